// Reading and writing the KC kernel's data from the machine (layer: kernel): struct member offsets
// come from the kernel program's own types (the checker's layouts of `struct task_struct`...), found
// through a global of that type, and kernel virtual addresses are translated with a side-effect-free
// walk of the kernel page tables (no TLB fill, no accessed bits). The process layer uses it for the
// few fields it must see (a task's pid, mm, kernel stack, exit code); the typed reader of
// src/kernel/inspect is the general tool.

import type { Value } from '../../interp/contracts';
import { KernelLayout } from '../../interp/contracts';
import type { Program } from '../../interp/program';
import { findField, type CType, type StructType } from '../../lang/types';
import type { Machine } from '../hw/machine';

/** Kernel memory as the machine sees it (no CPU involved). */
export class KernelData {
	private readonly structs = new Map<string, StructType>();

	constructor(private readonly machine: Machine, private readonly kernel: Program, private readonly pgdPhys: number, private readonly ramBytes: number) {
		for (const symbol of kernel.globals.values()) this.collect(symbol.type, 0);
	}

	private collect(type: CType, depth: number): void {
		if (depth > 4) return;
		if (type.kind === 'struct') {
			if (type.tag !== undefined && !this.structs.has(type.tag) && type.fields !== undefined) {
				this.structs.set(type.tag, type);
				for (const f of type.fields) this.collect(f.type, depth + 1);
			}
		} else if (type.kind === 'pointer') {
			this.collect(type.to, depth + 1);
		} else if (type.kind === 'array') {
			this.collect(type.of, depth + 1);
		}
	}

	/** The byte offset of `member` in `struct tag` (a path through anonymous members is followed). */
	offset(tag: string, member: string): number {
		const s = this.structs.get(tag);
		if (s === undefined) throw new Error(`KernelData: struct ${tag} is not reachable from any kernel global`);
		const found = findField(s, member);
		if (found === undefined) throw new Error(`KernelData: struct ${tag} has no member ${member}`);
		return found.offset;
	}

	/** Address of a kernel global. */
	global(name: string): number {
		const symbol = this.kernel.globals.get(name);
		if (symbol === undefined) throw new Error(`KernelData: no kernel global ${name}`);
		return symbol.address;
	}

	/** Address of a kernel function. */
	function(name: string): number {
		const fn = this.kernel.functionByName(name);
		if (fn === undefined || fn.kind !== 'kc') throw new Error(`KernelData: no kernel function ${name}`);
		return fn.address;
	}

	/** Physical address of a kernel virtual address (direct map, or a walk of the kernel page tables); null when unmapped. */
	phys(va: number): number | null {
		const direct = va - KernelLayout.directMapBase;
		if (direct >= 0 && direct < this.ramBytes) return direct;
		const walk = this.machine.cpus[0].mmu.probe(va, this.pgdPhys);
		return walk.physicalAddress;
	}

	read64(va: number): Value {
		const pa = this.phys(va);
		const bytes = pa === null ? null : this.machine.phys.read(pa, 8);
		if (bytes === null) throw new Error(`KernelData: cannot read kernel address ${va.toString(16)}`);
		const v = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigInt64(0, true);
		return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
	}

	read32(va: number): number {
		const pa = this.phys(va);
		const bytes = pa === null ? null : this.machine.phys.read(pa, 4);
		if (bytes === null) throw new Error(`KernelData: cannot read kernel address ${va.toString(16)}`);
		return new DataView(bytes.buffer, bytes.byteOffset, 4).getInt32(0, true);
	}

	/** A kernel pointer field as a KC pointer (48-bit number). */
	readPointer(va: number): number {
		const v = this.read64(va);
		const big = typeof v === 'bigint' ? v : BigInt(v);
		return Number(big & 0xffff_ffff_ffffn);
	}

	/** A field of a struct at `base`: `readField(task, 'task_struct', 'pid', 4)`. */
	field(base: number, tag: string, member: string, size: 4 | 8): number {
		const at = base + this.offset(tag, member);
		return size === 4 ? this.read32(at) : this.readPointer(at);
	}

	/** A NUL-terminated string in kernel memory (at most `max` bytes). */
	readString(va: number, max: number): string {
		const pa = this.phys(va);
		const bytes = pa === null ? null : this.machine.phys.read(pa, max);
		if (bytes === null) return '';
		const end = bytes.indexOf(0);
		return String.fromCharCode(...bytes.subarray(0, end < 0 ? bytes.length : end));
	}
}
