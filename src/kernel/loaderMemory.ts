// The memory an image loader writes through (layer: kernel): a CPU's memory bus plus the two
// operations loadImage needs to make room, `map` and `protect`, which each loader provides (the
// boot builds page tables itself; the module loader asks the KC kernel for pages).

import type { Value } from '../interp/contracts';
import type { MappableMemory } from '../interp/program';
import type { CpuMemoryBus } from './hw/cpuBus';

/** Forwards every access to `bus`; subclasses say how segments are mapped and protected. */
export abstract class LoaderMemory implements MappableMemory {
	constructor(protected readonly bus: CpuMemoryBus) {}

	abstract map(start: number, length: number, prot: { readonly read: boolean; readonly write: boolean }): void;
	abstract protect(start: number, length: number, prot: { readonly read: boolean; readonly write: boolean }): boolean;

	get fault(): CpuMemoryBus['fault'] {
		return this.bus.fault;
	}
	set fault(f: CpuMemoryBus['fault']) {
		this.bus.fault = f;
	}

	ld8u(a: number): number { return this.bus.ld8u(a); }
	ld8s(a: number): number { return this.bus.ld8s(a); }
	ld16u(a: number): number { return this.bus.ld16u(a); }
	ld16s(a: number): number { return this.bus.ld16s(a); }
	ld32u(a: number): number { return this.bus.ld32u(a); }
	ld32s(a: number): number { return this.bus.ld32s(a); }
	ld64u(a: number): Value { return this.bus.ld64u(a); }
	ld64s(a: number): Value { return this.bus.ld64s(a); }
	ldf32(a: number): number { return this.bus.ldf32(a); }
	ldf64(a: number): number { return this.bus.ldf64(a); }
	st8(a: number, v: number): void { this.bus.st8(a, v); }
	st16(a: number, v: number): void { this.bus.st16(a, v); }
	st32(a: number, v: number): void { this.bus.st32(a, v); }
	st64(a: number, v: Value): void { this.bus.st64(a, v); }
	stf32(a: number, v: number): void { this.bus.stf32(a, v); }
	stf64(a: number, v: number): void { this.bus.stf64(a, v); }
	copy(dst: number, src: number, len: number): void { this.bus.copy(dst, src, len); }
	fill(dst: number, byte: number, len: number): void { this.bus.fill(dst, byte, len); }
	read(a: number, len: number): Uint8Array | null { return this.bus.read(a, len); }
	write(a: number, bytes: Uint8Array): void { this.bus.write(a, bytes); }
}
