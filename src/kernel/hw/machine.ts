// The simulated machine's hardware: physical memory, the cache model and the CPUs' MMUs, TLBs and
// memory buses, with snapshots of all of it (layer: kernel, hardware).
//
// The physical map follows a PC: system RAM from 0 up to 3 GiB, the PCI hole from 3 GiB to 4 GiB
// (where device BARs, apertures and MMIO windows usually go), and the rest of the RAM from 4 GiB.
// Frame allocation is the simulated kernel's business (KC code), not the machine's.

import type { MemoryFault } from '../../interp/contracts';
import { CpuCache, type CacheSnapshot, type NonCoherentRange } from './cache';
import { CpuMemoryBus } from './cpuBus';
import { Mmu, type CpuMode, type MmuOptions, type MmuSnapshot } from './mmu';
import { FRAME_SIZE, PhysicalMemory, type DeviceRegisters, type PhysSnapshot, type Region, type RegionSpec } from './physMem';
import type { Tlb } from './tlb';

/** RAM below this address; the rest goes above HIGH_RAM_BASE. */
export const LOW_RAM_LIMIT = 0xc0000000;
/** Where RAM continues above the PCI hole. */
export const HIGH_RAM_BASE = 0x100000000;

/** What a machine is made of. */
export interface MachineConfig {
	/** Bytes of system RAM (a multiple of 4 KiB). */
	readonly ramBytes: number;
	/** Number of CPUs (1..64). */
	readonly cpus: number;
	/** Device memory, MMIO windows, ROM and explicit holes. */
	readonly regions?: readonly RegionSpec[];
	/** Physical ranges that devices access without snooping the CPU caches (the cache model applies there). */
	readonly nonCoherent?: readonly NonCoherentRange[];
	/** MMU settings shared by every CPU (PAT, PGE, SMEP, SMAP, TLB sizes). */
	readonly mmu?: MmuOptions;
}

/** One CPU's memory hardware. */
export interface Cpu {
	readonly id: number;
	readonly mmu: Mmu;
	readonly tlb: Tlb;
	readonly bus: CpuMemoryBus;
}

/** Opaque captured machine state. */
export interface MachineSnapshot {
	readonly __machineSnapshot: true;
}

interface CpuState {
	readonly mmu: MmuSnapshot;
	readonly mode: CpuMode;
	readonly fault: MemoryFault | null;
}

class MachineSnapshotImpl implements MachineSnapshot {
	readonly __machineSnapshot = true as const;
	constructor(
		readonly owner: Machine,
		readonly phys: PhysSnapshot,
		readonly cache: CacheSnapshot,
		readonly cpus: readonly CpuState[],
		/** Device states by region name. */
		readonly devices: ReadonlyMap<string, unknown>,
	) {}
}

/** The RAM regions for `ramBytes` of RAM in the PC layout. */
export function systemRamRegions(ramBytes: number): RegionSpec[] {
	const low = Math.min(ramBytes, LOW_RAM_LIMIT);
	const regions: RegionSpec[] = [];
	if (low > 0) regions.push({ base: 0, size: low, kind: 'ram', name: 'System RAM', owner: 'system' });
	if (ramBytes > low) regions.push({ base: HIGH_RAM_BASE, size: ramBytes - low, kind: 'ram', name: 'System RAM (high)', owner: 'system' });
	return regions;
}

/** The hardware of a simulated machine. Configuration errors throw RangeError (host bugs: scenarios are validated before). */
export class Machine {
	readonly phys: PhysicalMemory;
	readonly cache: CpuCache;
	readonly cpus: readonly Cpu[];

	constructor(config: MachineConfig) {
		if (!(Number.isInteger(config.ramBytes) && config.ramBytes >= 0 && config.ramBytes % FRAME_SIZE === 0)) {
			throw new RangeError('Machine: ramBytes must be a multiple of 4096');
		}
		if (!(Number.isInteger(config.cpus) && config.cpus >= 1 && config.cpus <= 64)) throw new RangeError('Machine: cpus must be 1..64');
		this.phys = new PhysicalMemory([...systemRamRegions(config.ramBytes), ...(config.regions ?? [])]);
		this.cache = new CpuCache(this.phys);
		for (const r of config.nonCoherent ?? []) this.cache.addNonCoherentRange(r.base, r.size);
		const cpus: Cpu[] = [];
		for (let id = 0; id < config.cpus; id++) {
			const mmu = new Mmu(this.phys, config.mmu, this.cache);
			const bus = new CpuMemoryBus(mmu, this.phys, this.cache);
			cpus.push({ id, mmu, tlb: mmu.tlb, bus });
		}
		this.cpus = Object.freeze(cpus);
	}

	/** Attaches (or with null detaches) the device model serving a region. False when there is no such region. */
	attachDevice(regionName: string, device: DeviceRegisters | null): boolean {
		return this.phys.attachDevice(regionName, device);
	}

	/** The system RAM regions. */
	ramRegions(): Region[] {
		return this.phys.regions().filter((r) => r.kind === 'ram');
	}

	/** Captures all hardware state: memory contents and regions, cache lines, every CPU's registers, TLB, mode and pending fault, and device states. */
	snapshot(): MachineSnapshot {
		const devices = new Map<string, unknown>();
		for (const r of this.phys.regions()) {
			if (r.device !== null && r.device.snapshot !== undefined) devices.set(r.name, r.device.snapshot());
		}
		const cpus = this.cpus.map((cpu) => ({ mmu: cpu.mmu.snapshot(), mode: cpu.bus.mode, fault: cpu.bus.fault }));
		return new MachineSnapshotImpl(this, this.phys.snapshot(), this.cache.snapshot(), cpus, devices);
	}

	/** Puts back everything `s` (a snapshot of this machine) captured. */
	restore(s: MachineSnapshot): void {
		if (!(s instanceof MachineSnapshotImpl) || s.owner !== this) throw new Error('Machine.restore: not a snapshot of this machine');
		this.phys.restore(s.phys);
		this.cache.restore(s.cache);
		for (const r of this.phys.regions()) {
			const state = s.devices.get(r.name);
			if (state !== undefined && r.device !== null && r.device.restore !== undefined) r.device.restore(state);
		}
		this.cpus.forEach((cpu, i) => {
			const state = s.cpus[i];
			cpu.mmu.restore(state.mmu);
			cpu.bus.mode = state.mode;
			cpu.bus.fault = state.fault;
			cpu.bus.reset();
		});
	}
}
