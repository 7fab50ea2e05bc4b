// Test helper (layer: test): builds x86-64 page tables by hand in simulated physical memory, the way
// a kernel would, with a bump allocator for table frames. Not a test file itself.

import type { Value } from '../../../../src/interp/contracts';
import { encodePte, pteToBigInt, pteToValue, tableIndex, _PAGE_PRESENT, _PAGE_RW, _PAGE_USER, type PagingLevel, type PteFields } from '../../../../src/kernel/hw/pageTable';
import { FRAME_SIZE, type PhysicalMemory } from '../../../../src/kernel/hw/physMem';

/** Flags of the table pointers a builder writes (Linux's _PAGE_TABLE without A/D: P, RW, US). */
export const TABLE_FLAGS = _PAGE_PRESENT | _PAGE_RW | _PAGE_USER;

export class TableBuilder {
	/** Physical address of the PML4 (the CR3 value). */
	readonly root: number;
	private next: number;

	/** Table frames are allocated from `firstFree` upwards. */
	constructor(
		readonly phys: PhysicalMemory,
		firstFree: number,
		private readonly tableFlags = TABLE_FLAGS,
	) {
		this.next = firstFree;
		this.root = this.newTable();
	}

	/** A zeroed frame for a table. */
	newTable(): number {
		const pa = this.next;
		this.next += FRAME_SIZE;
		this.phys.fill(pa, 0, FRAME_SIZE);
		return pa;
	}

	/** Physical address of the entry for `va` at `level`, creating the tables above it. */
	entryAddress(va: number, level: PagingLevel): number {
		let table = this.root;
		for (let l: PagingLevel = 4; l > level; l = (l - 1) as PagingLevel) {
			const at = table + tableIndex(va, l) * 8;
			const entry = pteToBigInt(this.phys.ld64(at));
			if ((entry & 1n) === 0n) {
				const t = this.newTable();
				this.phys.st64(at, t + this.tableFlags);
				table = t;
			} else table = Number(entry & 0x000ffffffffff000n);
		}
		return table + tableIndex(va, level) * 8;
	}

	/** Maps the page containing `va` (4 KiB at level 1, 2 MiB at 2, 1 GiB at 3) to `fields.physicalAddress`. */
	map(va: number, fields: PteFields, level: PagingLevel = 1): void {
		const entry = encodePte({ ...fields, large: level > 1 }, level);
		this.phys.st64(this.entryAddress(va, level), entry);
	}

	/** The entry for `va` at `level` as a bigint. */
	read(va: number, level: PagingLevel = 1): bigint {
		return pteToBigInt(this.phys.ld64(this.entryAddress(va, level)));
	}

	/** Overwrites the entry for `va` at `level` (no TLB flush: that is the caller's business). */
	write(va: number, value: Value | bigint, level: PagingLevel = 1): void {
		this.phys.st64(this.entryAddress(va, level), typeof value === 'bigint' ? pteToValue(value) : value);
	}

	/** Sets or clears bits of the low half of the entry for `va` at `level`. */
	update(va: number, set: number, clear = 0, level: PagingLevel = 1): void {
		const at = this.entryAddress(va, level);
		this.phys.st32(at, ((this.phys.ld32(at) | set) & ~clear) >>> 0);
	}
}
