// VMA bookkeeping of the KC kernel (mm/mmap.c subset) on the KC CPU: the sorted VMA list, find_vma
// and find_vma_prev, insert_vm_struct, split_vma, vma_merge's cases, i_mmap linkage of file VMAs,
// and get_unmapped_area's layout by era.

import * as assert from 'node:assert/strict';
import type { Value } from '../../../../src/interp/contracts';
import { KernelMachine } from './kernelHarness';

const VM_READ = 0x1;
const VM_WRITE = 0x2;
const VM_MAYREAD = 0x10;
const VM_MAYWRITE = 0x20;
const VM_MAYEXEC = 0x40;
const VM_IO = 0x4000;
const RW = VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC;
const RO = VM_READ | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC;
const MAP_FIXED = 0x10;
const ENOMEM = 12;
const EINVAL = 22;
const K = 0x1000;

interface Vma {
	readonly start: number;
	readonly end: number;
	readonly pgoff: number;
	readonly flags: number;
}

class Mm {
	readonly mm: number;
	constructor(readonly m: KernelMachine) {
		this.mm = Number(m.call('mm_alloc'));
	}

	add(start: number, end: number, flags = RW, file = 0, pgoff = 0): number {
		return Number(this.m.call('test_vma_new', this.mm, start, end, flags, file, pgoff));
	}

	get(vma: Value | undefined): Vma {
		const f = (i: number): number => this.m.num('test_vma_get', vma!, i);
		return { start: f(0), end: f(1), pgoff: f(2), flags: f(3) };
	}

	list(): Vma[] {
		const out: Vma[] = [];
		for (let v = this.m.call('test_mm_first', this.mm); Number(v) !== 0; v = this.m.call('test_vma_next', v!)) out.push(this.get(v));
		return out;
	}

	ranges(): [number, number][] {
		return this.list().map(v => [v.start, v.end]);
	}

	find(addr: number): number {
		return Number(this.m.call('find_vma', this.mm, addr));
	}

	unmapped(addr: number, len: number, flags = 0): number {
		const v = this.m.call('test_unmapped', this.mm, addr, len, flags)!;
		// An unsigned long: errors are -errno in two's complement.
		return typeof v === 'bigint' ? Number(BigInt.asIntN(64, v)) : v;
	}
}

function booted(profile = 'linux-6.8'): KernelMachine {
	const m = new KernelMachine({ profile });
	m.boot();
	return m;
}

describe('KC kernel: VMA bookkeeping', function () {
	this.timeout(60000);

	it('insert_vm_struct keeps the list sorted and refuses overlaps; find_vma and find_vma_prev', () => {
		const m = booted();
		const mm = new Mm(m);
		const b = mm.add(0x20000 * K, 0x20010 * K);
		const a = mm.add(0x10000 * K, 0x10004 * K);
		const c = mm.add(0x30000 * K, 0x30001 * K);
		assert.deepEqual(mm.ranges(), [[0x10000 * K, 0x10004 * K], [0x20000 * K, 0x20010 * K], [0x30000 * K, 0x30001 * K]]);
		assert.equal(m.num('test_map_count', mm.mm), 3);
		// An anonymous VMA's pgoff is its start page.
		assert.equal(mm.get(a).pgoff, 0x10000);
		assert.equal(mm.add(0x2000f * K, 0x20011 * K), 0, 'overlap');
		assert.equal(mm.add(0x1ffff * K, 0x20001 * K), 0, 'overlap');
		assert.equal(m.num('test_map_count', mm.mm), 3);
		assert.equal(mm.find(0x10002 * K), a);
		assert.equal(mm.find(0x10004 * K), b, 'vm_end is exclusive: the next VMA');
		assert.equal(mm.find(0x28000 * K), c, 'in a gap: the VMA above');
		assert.equal(mm.find(0x30001 * K), 0, 'above every VMA');
		assert.equal(mm.find(0), a);
		assert.equal(Number(m.call('test_find_vma_prev', mm.mm, 0x20005 * K, 1)), a);
		assert.equal(Number(m.call('test_find_vma_prev', mm.mm, 0x20005 * K, 0)), b);
		assert.equal(Number(m.call('test_find_vma_prev', mm.mm, 0x5000 * K, 1)), 0);
		assert.equal(Number(m.call('test_find_vma_prev', mm.mm, 0x40000 * K, 1)), c);
	});

	it('split_vma cuts a VMA in two, keeping pgoff consistent', () => {
		const m = booted();
		const mm = new Mm(m);
		const v = mm.add(0x100 * K, 0x110 * K);
		assert.equal(m.num('split_vma', mm.mm, v, 0x104 * K, 0), 0);
		assert.deepEqual(mm.list(), [
			{ start: 0x100 * K, end: 0x104 * K, pgoff: 0x100, flags: RW },
			{ start: 0x104 * K, end: 0x110 * K, pgoff: 0x104, flags: RW },
		]);
		assert.equal(m.num('split_vma', mm.mm, v, 0x102 * K, 1), 0);
		assert.deepEqual(mm.list().map(x => [x.start, x.end, x.pgoff]), [[0x100 * K, 0x102 * K, 0x100], [0x102 * K, 0x104 * K, 0x102], [0x104 * K, 0x110 * K, 0x104]]);
		assert.equal(m.num('test_map_count', mm.mm), 3);
		// The original VMA object is the one above the cut when new_below is set.
		assert.equal(mm.get(v).start, 0x102 * K);
		assert.equal(m.num('split_vma', mm.mm, v, 0x102 * K, 0), -EINVAL, 'at vm_start');
		assert.equal(m.num('split_vma', mm.mm, v, 0x1028 * 0x100 + 1, 0), -EINVAL, 'unaligned');
	});

	it('vma_merge extends a neighbour instead of adding a VMA (cases 1, 2, 3) and refuses unlike ones', () => {
		const m = booted();
		const mm = new Mm(m);
		const a = mm.add(0x100 * K, 0x104 * K);
		const c = mm.add(0x108 * K, 0x10c * K);
		// Case 2: adjacent to the VMA before.
		assert.equal(Number(m.call('test_merge', mm.mm, a, 0x104 * K, 0x105 * K, RW, 0, 0x104)), a);
		assert.deepEqual(mm.ranges(), [[0x100 * K, 0x105 * K], [0x108 * K, 0x10c * K]]);
		// Case 3: adjacent to the VMA after.
		assert.equal(Number(m.call('test_merge', mm.mm, a, 0x107 * K, 0x108 * K, RW, 0, 0x107)), c);
		assert.deepEqual(mm.list().map(x => [x.start, x.end, x.pgoff]), [[0x100 * K, 0x105 * K, 0x100], [0x107 * K, 0x10c * K, 0x107]]);
		// Unlike flags, a wrong pgoff, or a special mapping: no merge.
		assert.equal(Number(m.call('test_merge', mm.mm, a, 0x105 * K, 0x106 * K, RO, 0, 0x105)), 0);
		assert.equal(Number(m.call('test_merge', mm.mm, a, 0x105 * K, 0x106 * K, RW, 0, 0x999)), 0);
		assert.equal(Number(m.call('test_merge', mm.mm, a, 0x105 * K, 0x106 * K, RW | VM_IO, 0, 0x105)), 0);
		// Case 1: the hole between them joins both: one VMA, the other freed.
		assert.equal(Number(m.call('test_merge', mm.mm, a, 0x105 * K, 0x107 * K, RW, 0, 0x105)), a);
		assert.deepEqual(mm.list(), [{ start: 0x100 * K, end: 0x10c * K, pgoff: 0x100, flags: RW }]);
		assert.equal(m.num('test_map_count', mm.mm), 1);
		assert.equal(mm.find(0x10b * K), a);
	});

	it('vma_merge of a VMA whose flags change to its neighbours\' (cases 5, 6, 7, 8)', () => {
		const m = booted();
		const mm = new Mm(m);
		const a = mm.add(0x100 * K, 0x104 * K);
		mm.add(0x104 * K, 0x108 * K, RO);
		const c = mm.add(0x108 * K, 0x10c * K, RO);
		// Case 5: the head of b becomes like a: a grows, b shrinks.
		assert.equal(Number(m.call('test_merge', mm.mm, a, 0x104 * K, 0x105 * K, RW, 0, 0x104)), a);
		assert.deepEqual(mm.list().map(x => [x.start, x.end, x.pgoff, x.flags]), [[0x100 * K, 0x105 * K, 0x100, RW], [0x105 * K, 0x108 * K, 0x105, RO], [0x108 * K, 0x10c * K, 0x108, RO]]);
		// Case 7: all of b becomes like a (c is RO, so only a merges).
		assert.equal(Number(m.call('test_merge', mm.mm, a, 0x105 * K, 0x108 * K, RW, 0, 0x105)), a);
		assert.deepEqual(mm.ranges(), [[0x100 * K, 0x108 * K], [0x108 * K, 0x10c * K]]);
		assert.equal(m.num('test_map_count', mm.mm), 2);
		// Case 8: d between a and c becomes like c.
		mm.add(0x10c * K, 0x110 * K);
		assert.equal(m.num('split_vma', mm.mm, a, 0x106 * K, 0), 0);
		const d = mm.find(0x106 * K);
		assert.notEqual(d, a);
		assert.equal(Number(m.call('test_merge', mm.mm, a, 0x106 * K, 0x108 * K, RO, 0, 0x106)), c);
		assert.deepEqual(mm.list().map(x => [x.start, x.end, x.pgoff, x.flags]), [[0x100 * K, 0x106 * K, 0x100, RW], [0x106 * K, 0x10c * K, 0x106, RO], [0x10c * K, 0x110 * K, 0x10c, RW]]);
		// Case 6: c becomes RW between two RW VMAs: all three are one.
		assert.equal(Number(m.call('test_merge', mm.mm, a, 0x106 * K, 0x10c * K, RW, 0, 0x106)), a);
		assert.deepEqual(mm.list(), [{ start: 0x100 * K, end: 0x110 * K, pgoff: 0x100, flags: RW }]);
		assert.equal(m.num('test_map_count', mm.mm), 1);
	});

	it('vma_merge case 4: the tail of the VMA before takes the attributes of the one after', () => {
		const m = booted();
		const mm = new Mm(m);
		const a = mm.add(0x100 * K, 0x106 * K);
		const c = mm.add(0x106 * K, 0x10a * K, RO);
		assert.equal(Number(m.call('test_merge', mm.mm, a, 0x104 * K, 0x106 * K, RO, 0, 0x104)), c);
		assert.deepEqual(mm.list().map(x => [x.start, x.end, x.pgoff, x.flags]), [[0x100 * K, 0x104 * K, 0x100, RW], [0x104 * K, 0x10a * K, 0x104, RO]]);
		assert.equal(m.num('test_map_count', mm.mm), 2);
	});

	it('file VMAs are on their file\'s i_mmap through splits and merges, holding file references', () => {
		for (const profile of ['linux-6.8', 'linux-2.6.18']) {
			const m = booted(profile);
			const bootFree = m.num('nr_free_pages');
			const mm = new Mm(m);
			const file = Number(m.call('test_file_init'));
			const v = mm.add(0x200 * K, 0x208 * K, RW | 0x8 | 0x80, file, 10);
			assert.equal(m.num('test_i_mmap_count', file), 1, profile);
			assert.equal(m.num('test_file_count', file), 2);
			assert.equal(m.num('split_vma', mm.mm, v, 0x204 * K, 0), 0);
			assert.equal(m.num('test_i_mmap_count', file), 2);
			assert.equal(m.num('test_file_count', file), 3);
			assert.deepEqual(mm.list().map(x => x.pgoff), [10, 14]);
			// Case 8 with a file: the first VMA takes the second's attributes, and the second grows
			// down over it (consecutive file offsets); the first leaves i_mmap and drops its reference.
			const flags = RW | 0x8 | 0x80;
			const second = mm.find(0x204 * K);
			assert.equal(Number(m.call('test_merge', mm.mm, 0, 0x200 * K, 0x204 * K, flags, file, 10)), second);
			assert.deepEqual(mm.list().map(x => [x.start, x.end, x.pgoff]), [[0x200 * K, 0x208 * K, 10]]);
			assert.equal(m.num('test_i_mmap_count', file), 1);
			assert.equal(m.num('test_file_count', file), 2);
			// Not contiguous in the file: no merge.
			assert.equal(Number(m.call('test_merge', mm.mm, second, 0x208 * K, 0x209 * K, flags, file, 99)), 0);
			m.call('test_remove_all', mm.mm);
			assert.equal(m.num('test_i_mmap_count', file), 0);
			assert.equal(m.num('test_file_count', file), 1);
			m.call('test_mmdrop', mm.mm);
			assert.equal(m.num('nr_free_pages'), bootFree);
			assert.deepEqual(m.reports, []);
		}
	});

	it('get_unmapped_area: top-down below mmap_base since 2.6.25', () => {
		const m = booted('linux-6.8');
		const mm = new Mm(m);
		const base = 0x7ffff7fff000;
		assert.equal(m.num('test_mmap_base', mm.mm), base);
		const first = mm.unmapped(0, 0x3000);
		assert.equal(first, base - 0x3000);
		mm.add(first, first + 0x3000);
		const second = mm.unmapped(0, 0x10000);
		assert.equal(second, first - 0x10000);
		mm.add(second, second + 0x10000);
		// A free hint is honoured; a taken one is not; MAP_FIXED returns the address as given.
		assert.equal(mm.unmapped(0x10000000, 0x1000), 0x10000000);
		assert.equal(mm.unmapped(first + 0x1000, 0x1000), second - 0x1000);
		assert.equal(mm.unmapped(first + 0x1000, 0x1000, MAP_FIXED), first + 0x1000);
		// A hole between the two mappings is used when it fits.
		m.call('test_remove_all', mm.mm);
		mm.add(base - 0x2000, base);
		mm.add(base - 0x8000, base - 0x6000);
		assert.equal(mm.unmapped(0, 0x4000), base - 0x6000);
		assert.equal(mm.unmapped(0, 0x5000), base - 0x8000 - 0x5000);
		assert.equal(mm.unmapped(0, 2 ** 47), -ENOMEM);
		// Callers page-align the length (do_mmap does): an unaligned one gives an unaligned address, refused.
		assert.equal(mm.unmapped(0, 0x1001), -EINVAL);
	});

	it('get_unmapped_area: bottom-up from TASK_UNMAPPED_BASE on 2.6.18 x86-64', () => {
		const m = booted('linux-2.6.18');
		const mm = new Mm(m);
		const first = mm.unmapped(0, 0x3000);
		assert.equal(first, 0x2aaaaaaab000);
		mm.add(first, first + 0x3000);
		assert.equal(mm.unmapped(0, 0x1000), first + 0x3000);
	});
});
