// Side-effect-free reads of the simulated machine's memory for the inspector (layer: kernel).
//
// Physical memory is the truth: a read returns what the simulated RAM holds (or, with
// `throughCache`, what a CPU load would see through the non-coherent cache model). Kernel virtual
// addresses are translated without a CPU: the direct map (PAGE_OFFSET + P -> P for all RAM) by
// arithmetic, anything else (the image's .data/.bss, stacks, vmalloc) by a walk of the kernel page
// tables with `Mmu.probe`, which reads entries without filling TLBs or setting accessed/dirty bits.
//
// Invariants: nothing here writes memory, changes a TLB, a CPU bus's mode or fault, or leaves
// `PhysicalMemory.fault` different from what it was; only memory-backed regions are read (RAM, and
// the RAM-like device memory VRAM, SPU local store and ROM, whose reads have no side effects):
// reading a device register could have side effects, so a pointer into MMIO is reported, never
// followed.

import { KernelLayout } from '../../interp/contracts';
import type { Machine } from '../hw/machine';
import { PAGE_SIZE } from '../hw/pageTable';
import { InspectError } from './debugInfo';

/** Region kinds whose bytes are plain memory (frame-backed, side-effect-free to read). */
const MEMORY_KINDS: ReadonlySet<string> = new Set(['ram', 'vram', 'spu-ls', 'rom']);

/** 2^48: KC pointers hold 48-bit addresses. */
const ADDRESS_LIMIT = 2 ** 48;

/** Options of KernelMemory. */
export interface KernelMemoryOptions {
	/** Read through the CPU cache model (what a CPU load sees) instead of RAM (what devices see). Default false. */
	readonly throughCache?: boolean;
}

/** Reads kernel virtual and physical memory of one machine without disturbing it. */
export class KernelMemory {
	private readonly throughCache: boolean;

	constructor(
		readonly machine: Machine,
		/** Bytes of RAM covered by the direct map. */
		readonly ramBytes: number,
		/** Physical address of the kernel's top-level page table (swapper_pg_dir). */
		readonly kernelPgd: number,
		options: KernelMemoryOptions = {},
	) {
		this.throughCache = options.throughCache ?? false;
	}

	/** True when [pa, pa + len) lies in one RAM region. */
	isRam(pa: number, len = 1): boolean {
		if (!Number.isInteger(pa) || pa < 0) return false;
		const region = this.machine.phys.regionAt(pa);
		return region !== null && region.kind === 'ram' && pa + len <= region.end;
	}

	/**
	 * The physical address of `va`: direct-map arithmetic, else a walk of the page tables at `pgdPhys`
	 * (default: the kernel's). Null when nothing maps it.
	 */
	physOf(va: number, pgdPhys: number = this.kernelPgd): number | null {
		if (!Number.isInteger(va) || va < 0 || va >= ADDRESS_LIMIT) return null;
		const direct = va - KernelLayout.directMapBase;
		if (direct >= 0 && direct < this.ramBytes) return direct;
		const walk = this.machine.cpus[0].mmu.probe(va, pgdPhys);
		return walk.physicalAddress;
	}

	/** True when [pa, pa + len) lies in one region backed by memory (RAM, VRAM, SPU local store, ROM). */
	isMemory(pa: number, len = 1): boolean {
		if (!Number.isInteger(pa) || pa < 0) return false;
		const region = this.machine.phys.regionAt(pa);
		return region !== null && MEMORY_KINDS.has(region.kind) && pa + len <= region.end;
	}

	/** `len` bytes of memory (isMemory) at `pa`. Throws InspectError when some byte is not memory. */
	readPhys(pa: number, len: number): Uint8Array {
		if (len === 0) return new Uint8Array(0);
		const out = new Uint8Array(len);
		let pos = 0;
		while (pos < len) {
			const at = pa + pos;
			const n = Math.min(len - pos, PAGE_SIZE - (at % PAGE_SIZE));
			if (!this.isMemory(at, n)) throw new InspectError(`physical address 0x${at.toString(16)} is not memory (${this.machine.phys.regionAt(at)?.kind ?? 'nothing'} there)`, at);
			const phys = this.machine.phys;
			const saved = phys.fault;
			const cache = this.machine.cache;
			const bytes = this.throughCache && cache.active ? cache.peek(at, n) : phys.read(at, n);
			phys.fault = saved;
			if (bytes === null) throw new InspectError(`physical address 0x${at.toString(16)} cannot be read`, at);
			out.set(bytes, pos);
			pos += n;
		}
		return out;
	}

	/** `len` bytes at kernel (or, with `pgdPhys`, user) virtual address `va`, page by page. Throws InspectError when unmapped. */
	read(va: number, len: number, pgdPhys: number = this.kernelPgd): Uint8Array {
		if (len === 0) return new Uint8Array(0);
		if (!Number.isInteger(va) || va < 0 || va + len > ADDRESS_LIMIT) throw new InspectError(`bad address ${va}`, va);
		const out = new Uint8Array(len);
		let pos = 0;
		while (pos < len) {
			const at = va + pos;
			const n = Math.min(len - pos, PAGE_SIZE - (at % PAGE_SIZE));
			const pa = this.physOf(at, pgdPhys);
			if (pa === null) throw new InspectError(`address 0x${at.toString(16)} is not mapped`, at);
			out.set(this.readPhys(pa, n), pos);
			pos += n;
		}
		return out;
	}

	/** An unsigned 64-bit little-endian word of RAM at `pa`, as a bigint. */
	readPhys64(pa: number): bigint {
		const bytes = this.readPhys(pa, 8);
		return new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
	}

	/** A 64-bit word at `va` as a bigint. */
	read64(va: number, pgdPhys?: number): bigint {
		const bytes = this.read(va, 8, pgdPhys);
		return new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
	}

	/** A NUL-terminated string at `va` (at most `max` bytes; bytes as Latin-1 characters). */
	cString(va: number, max = 4096, pgdPhys?: number): string {
		let text = '';
		let at = va;
		while (text.length < max) {
			const n = Math.min(max - text.length, PAGE_SIZE - (at % PAGE_SIZE));
			const bytes = this.read(at, n, pgdPhys);
			const end = bytes.indexOf(0);
			const part = end < 0 ? bytes : bytes.subarray(0, end);
			for (const b of part) text += String.fromCharCode(b);
			if (end >= 0) break;
			at += n;
		}
		return text;
	}
}
