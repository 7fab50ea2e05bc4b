// The contract between the machine and its device models (layer: kernel).
//
// A device model is the TypeScript half of a simulated device: the hardware a KC driver talks to.
// It adds regions to the physical address space (VRAM, a GTT aperture, SPU local stores and
// problem-state windows, MMIO BARs), answers register accesses through `DeviceRegisters` regions,
// offers builtins for what a real driver does through firmware or DMA engines, makes progress in
// simulated time (`tick`), raises interrupts, and describes itself as plain data for views.
//
// Invariants:
// - A device never reaches the host and never throws for guest behaviour (a bad register write is
//   ignored or latched as an error status, as hardware does).
// - Its state is plain data: `snapshot()` captures everything that changes, `restore()` brings it
//   back exactly (the machine's snapshots and the debugger's reverse execution rely on it).
// - Time is the machine's simulated time (statements executed), passed to `tick`; a device never
//   looks at a clock.

import type { BuiltinTable, MemoryBus } from '../../interp/contracts';
import type { NonCoherentRange } from '../hw/cache';
import type { Machine } from '../hw/machine';
import type { RegionSpec } from '../hw/physMem';

/** What the machine offers a device model once it is attached. */
export interface DeviceHost {
	readonly machine: Machine;
	/** Raises interrupt line `line` (the driver's `request_irq` handler runs in its IRQ thread). */
	raiseIrq(line: number): void;
	/** Simulated time now (statements executed by all CPUs). */
	now(): number;
	/** Physical memory as a device sees it (DMA: no CPU caches, no MMU). */
	readonly dma: MemoryBus;
}

/** Plain data describing a device for the debugger's Devices panel (a tree of labelled nodes). */
export interface DeviceView {
	readonly label: string;
	readonly description?: string;
	/** Extra fields shown as `key: value`. */
	readonly fields?: Readonly<Record<string, string | number | boolean>>;
	readonly children?: readonly DeviceView[];
}

/** A simulated device. */
export interface DeviceModel {
	/** Unique within the machine (`gpu0`, `spe0`..., `vcam0`). */
	readonly name: string;
	/** Physical regions this device adds (placed by the scenario's machine section or by the model). */
	regions(): readonly RegionSpec[];
	/** Physical ranges the device accesses without snooping CPU caches (the cache model applies). */
	nonCoherent?(): readonly NonCoherentRange[];
	/** Builtins its driver calls, by C name (prefix them with the device kind: `__spu_`, `__gpu_`). */
	builtins?(): BuiltinTable;
	/** Called once, after the regions are in the machine. */
	attach(host: DeviceHost): void;
	/** Makes progress up to simulated time `now` (copy engines, DMA, SPU execution). */
	tick?(now: number): void;
	/** The earliest simulated time at which `tick` has something to do (undefined: idle). */
	nextEvent?(): number | undefined;
	snapshot(): unknown;
	restore(state: unknown): void;
	describe?(): DeviceView;
}

/** The part of a scenario's machine section a driver's device factory reads. */
export interface DeviceConfig {
	readonly ramBytes: number;
	readonly cpus: number;
	readonly gpu?: { readonly name: string; readonly vramSize: number; readonly gttSize: number };
	readonly spes?: { readonly count: number; readonly localStoreSize: number; readonly problemStateSize: number };
	readonly mmio: readonly { readonly name: string; readonly size: number; readonly description: string }[];
	/** Device regions with their addresses, as the scenario placed them. */
	readonly regions: readonly { readonly name: string; readonly kind: RegionSpec['kind']; readonly base: number; readonly size: number; readonly owner: string }[];
	readonly coherentDma: boolean;
	/** Driver/kernel configuration values (`config` of the scenario's kernel section). */
	readonly config: Readonly<Record<string, boolean | number | string>>;
}

/** A driver that ships with Faultline: KC units plus the device models they drive. */
export interface ShippedDriver {
	/** The name scenario files use (`spufs`, `ttm-gpu`, `dma-buf-vcam`, `devmem`, `fbsd-devpager`...). */
	readonly name: string;
	readonly description: string;
	/** KC translation units, kernel-tree paths (`drivers/gpu/drm/ttm/ttm_bo.c`). */
	readonly units: readonly string[];
	/** Names of shipped drivers this one needs loaded first (imports their symbols). */
	readonly depends?: readonly string[];
	/** Profiles it supports (undefined: every profile of its OS). */
	readonly profiles?: readonly string[];
	/** The device models for a machine (may be empty: /dev/mem drives no device of its own). */
	createDevices(config: DeviceConfig): DeviceModel[];
}
