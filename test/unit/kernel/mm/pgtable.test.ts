// Page tables built by the KC kernel, checked in memory with the MMU's own decoder
// (src/kernel/hw/pageTable.ts): allocation on demand with the re-check under the lock, set_pte_at
// and pte_clear through the trace builtins, follow_pte, and freeing the tables of a range.

import * as assert from 'node:assert/strict';
import { run } from '../../../../src/interp/cpu';
import { intToPtr } from '../../../../src/interp/values';
import { decodePte, pml4Index, pdptIndex, pdIndex, ptIndex, pteToBigInt, type DecodedPte, type PagingLevel } from '../../../../src/kernel/hw/pageTable';
import { DIRECT_MAP, kernelFiles, KernelMachine } from './kernelHarness';

const RAM = 8 << 20;
const VA = 0x7f12_3456_7000;

/** The entries that translate `va`, top level first, read from the machine's memory. */
function walk(m: KernelMachine, pgd: number, va: number): DecodedPte[] {
	const entries: DecodedPte[] = [];
	let table = pgd;
	const index: Record<PagingLevel, (v: number) => number> = { 4: pml4Index, 3: pdptIndex, 2: pdIndex, 1: ptIndex };
	for (const level of [4, 3, 2, 1] as PagingLevel[]) {
		const raw = m.memory.ld64u(table + 8 * index[level](va));
		const entry = decodePte(raw, level);
		entries.push(entry);
		if (!entry.present) break;
		table = DIRECT_MAP + entry.physicalAddress;
	}
	return entries;
}

function setup(profile = 'linux-6.8'): { m: KernelMachine; mm: number; pgd: number; base: number; bootFree: number } {
	const m = new KernelMachine({ profile, ramBytes: RAM });
	m.boot();
	const bootFree = m.num('nr_free_pages');
	const mm = Number(m.call('mm_alloc'));
	assert.notEqual(mm, 0);
	const pgd = Number(m.call('test_mm_pgd', mm));
	return { m, mm, pgd, base: m.num('nr_free_pages'), bootFree };
}

/** The line of the first `needle` after `after` in a kernel source file. */
function lineOf(file: string, after: string, needle: string): number {
	const text = kernelFiles()[file];
	const start = text.indexOf(after);
	const at = text.indexOf(needle, start);
	assert.ok(start >= 0 && at >= 0, `${needle} in ${file}`);
	return text.slice(0, at).split('\n').length;
}

describe('KC kernel: page tables', function () {
	this.timeout(60000);

	it('allocates the missing tables for a VA and set_pte_at writes the entry the MMU reads', () => {
		const { m, mm, pgd, base } = setup();
		const data = m.call('test_alloc', 0)!;
		const pfn = m.num('test_pfn', data);
		m.events.clear();
		assert.equal(m.num('test_map', mm, VA, pfn, 1), 0);
		// pud, pmd and pte tables, plus the data page.
		assert.equal(m.num('nr_free_pages'), base - 4);
		assert.equal(m.num('test_nr_pte_tables', mm), 1);
		const [l4, l3, l2, l1] = walk(m, pgd, VA);
		for (const upper of [l4, l3, l2]) {
			// _PAGE_TABLE: present, writable, user, accessed, dirty.
			assert.equal(upper.flags, 'P RW US A D');
			assert.ok(!upper.leaf);
		}
		assert.ok(l1.present && l1.writable && l1.user && l1.dirty && l1.accessed && l1.nx);
		assert.equal(l1.pfn, pfn);
		assert.equal(l1.cacheMode, 'WB');
		// Every table came from the allocator: the trace saw them allocated, and the PTE stored.
		const allocated = m.events.ofKind('pageAlloc').map(e => e.pfn);
		assert.deepEqual(allocated, [l4.pfn, l3.pfn, l2.pfn]);
		const [set] = m.events.ofKind('pteSet');
		assert.equal(set.mm, mm);
		assert.equal(set.va, VA);
		assert.equal(set.old, 0);
		assert.equal(pteToBigInt(set.value), l1.raw);
		assert.deepEqual({ file: set.site.file, fn: set.site.fn }, { file: 'test/mm_test.c', fn: 'test_map' });
		assert.equal(set.site.line, lineOf('test/mm_test.c', 'int test_map(', 'set_pte_at('));
		assert.equal(m.num('test_follow', mm, VA), pfn);

		// A second page in the same 2 MiB shares every table; a read-only one is not writable.
		m.call('test_map', mm, VA + 4096, pfn, 0);
		assert.equal(m.num('nr_free_pages'), base - 4);
		const ro = walk(m, pgd, VA + 4096)[3];
		assert.ok(ro.present && !ro.writable && !ro.dirty);
	});

	it('follow_pte finds present PTEs only; ptep_get_and_clear and pte_clear trace the old value', () => {
		const { m, mm, pgd } = setup();
		assert.equal(m.num('test_follow', mm, VA), -22);
		m.call('test_map', mm, VA, 0x321, 1);
		m.call('test_map', mm, VA + 4096, 0x322, 1);
		const before = walk(m, pgd, VA)[3].raw;
		m.events.clear();
		assert.equal(m.num('test_unmap', mm, VA, 1), 0x321);
		assert.equal(m.num('test_unmap', mm, VA + 4096, 0), 0x322);
		assert.equal(m.num('test_follow', mm, VA), -22);
		assert.equal(walk(m, pgd, VA)[3].raw, 0n);
		const clears = m.events.ofKind('pteClear');
		assert.deepEqual(clears.map(c => c.va), [VA, VA + 4096]);
		assert.equal(pteToBigInt(clears[0].old), before);
		assert.equal(decodePte(clears[1].old, 1).pfn, 0x322);
		assert.deepEqual(clears.map(c => c.site.fn), ['test_unmap', 'test_unmap']);
		// The walk's PTE table lock was taken and released each time.
		assert.deepEqual(m.reports, []);
	});

	it('free_pgd_range returns every table, and mmdrop the pgd and the mm', () => {
		const { m, mm, pgd, bootFree } = setup();
		m.call('test_map', mm, VA, 0x300, 1);
		const tables = walk(m, pgd, VA).slice(0, 3).map(e => e.pfn);
		m.call('test_unmap', mm, VA, 0);
		m.events.clear();
		m.call('test_free_range', mm, VA, VA + 4096, 0, 0);
		assert.deepEqual(m.events.ofKind('pageFree').map(e => e.pfn).sort(), [...tables].sort());
		assert.deepEqual(m.events.events.map(e => e.kind).filter(k => k !== 'pageFree'), ['tlbFlush']);
		const [flush] = m.events.ofKind('tlbFlush');
		assert.equal(flush.mm, mm);
		assert.ok(flush.start <= VA && flush.end >= VA + 4096);
		assert.equal(walk(m, pgd, VA)[0].raw, 0n);
		assert.equal(m.num('test_nr_pte_tables', mm), 0);
		m.call('test_mmdrop', mm);
		assert.equal(m.num('nr_free_pages'), bootFree);
		assert.equal(m.num('test_check_buddy'), bootFree);
	});

	it('keeps a table that still maps a neighbour outside [floor, ceiling)', () => {
		const { m, mm, pgd, base } = setup();
		const a = 0x4000_0000;
		const b = a + 0x1000;
		m.call('test_map', mm, a, 0x300, 1);
		m.call('test_map', mm, b, 0x301, 1);
		m.call('test_unmap', mm, a, 0);
		// The VMA above starts at b: the PTE table (and the ones above it) map b too.
		m.call('test_free_range', mm, a, b, 0, b);
		assert.equal(m.num('test_follow', mm, b), 0x301);
		assert.equal(m.num('nr_free_pages'), base - 3);
		m.call('test_unmap', mm, b, 0);
		m.call('test_free_range', mm, b, b + 0x1000, 0, 0);
		assert.equal(m.num('nr_free_pages'), base);
		assert.equal(walk(m, pgd, a)[0].raw, 0n);
	});

	it('free_pgtables frees the tables under every VMA of an address space', () => {
		const { m, mm, pgd, bootFree } = setup();
		const RW = 0x73;
		m.call('test_vma_new', mm, 0x400000, 0x402000, RW, 0, 0);
		m.call('test_vma_new', mm, 0x600000, 0x601000, RW, 0, 0);
		m.call('test_vma_new', mm, 0x7f0000000000, 0x7f0000001000, RW, 0, 0);
		const base = m.num('nr_free_pages');
		for (const va of [0x400000, 0x401000, 0x600000, 0x7f0000000000]) m.call('test_map', mm, va, 0x300, 1);
		// Two PTE tables under one PMD table for the low VMAs, and a separate branch for the high one.
		assert.equal(m.num('test_nr_pte_tables', mm), 3);
		assert.equal(m.num('nr_free_pages'), base - 7);
		for (const va of [0x400000, 0x401000, 0x600000, 0x7f0000000000]) m.call('test_unmap', mm, va, 0);
		m.call('test_free_pgtables', mm);
		assert.equal(m.num('nr_free_pages'), base);
		assert.equal(m.num('test_nr_pte_tables', mm), 0);
		assert.equal(walk(m, pgd, 0x400000)[0].raw, 0n);
		assert.equal(walk(m, pgd, 0x7f0000000000)[0].raw, 0n);
		m.call('test_remove_all', mm);
		m.call('test_mmdrop', mm);
		assert.equal(m.num('nr_free_pages'), bootFree);
	});

	it('a thread that loses the race to populate a PMD frees its new table and uses the winner\'s', () => {
		const { m, mm, pgd, base } = setup();
		const line = lineOf('mm/memory.c', 'int __pte_alloc(struct mm_struct *mm, pmd_t *pmd)', 'spin_lock(ptl);');
		const stmts = m.program.stmtsAt('mm/memory.c', line);
		assert.equal(stmts.length, 1);
		m.program.breakpoints[stmts[0]] = 1;
		m.events.clear();
		// Thread 1 allocates its PTE table and stops before taking the lock.
		const t1 = m.thread(1, 'test_map', [mm, VA, 0x400, 1]);
		assert.equal(run(t1, 1_000_000).kind, 'breakpoint');
		const loserTable = m.events.ofKind('pageAlloc').at(-1)!.pfn;
		m.program.breakpoints[stmts[0]] = 0;
		// Thread 2 maps the next page completely: it populates the PMD with its own table.
		const t2 = m.thread(2, 'test_map', [mm, VA + 4096, 0x401, 1]);
		assert.deepEqual(run(t2, 1_000_000), { kind: 'exited', code: 0 });
		const winnerTable = walk(m, pgd, VA)[2].pfn;
		assert.notEqual(winnerTable, loserTable);
		// Thread 1 re-checks under the lock, finds the PMD populated, and frees its table.
		assert.deepEqual(run(t1, 1_000_000, { skipBreakpoint: true }), { kind: 'exited', code: 0 });
		assert.deepEqual(m.events.ofKind('pageFree').map(e => e.pfn), [loserTable]);
		assert.equal(walk(m, pgd, VA)[2].pfn, winnerTable);
		assert.equal(m.num('test_follow', mm, VA), 0x400);
		assert.equal(m.num('test_follow', mm, VA + 4096), 0x401);
		assert.equal(m.num('test_nr_pte_tables', mm), 1);
		assert.equal(m.num('nr_free_pages'), base - 3);
		assert.deepEqual(m.reports, []);
	});

	it('a new pgd shares the kernel half of init_mm\'s', () => {
		const m = new KernelMachine({ ramBytes: RAM });
		m.boot();
		const swapperPtr = intToPtr(m.call('test_get_zeroed_page')!);
		// A fake kernel mapping at the direct map's slot (KERNEL_PGD_BOUNDARY, 273) and one below it.
		m.memory.st64(swapperPtr + 8 * 273, 0x5063);
		m.memory.st64(swapperPtr + 8 * 200, 0x6063);
		m.call('test_set_init_pgd', swapperPtr);
		const mm = Number(m.call('mm_alloc'));
		const pgd = Number(m.call('test_mm_pgd', mm));
		assert.equal(m.memory.ld64u(pgd + 8 * 273), 0x5063);
		assert.equal(m.memory.ld64u(pgd + 8 * 200), 0);
		assert.equal(m.memory.ld64u(pgd + 8 * pml4Index(VA)), 0);
	});

	it('linux-2.6.18: the same tables (nr_ptes counter, three-argument __pte_alloc)', () => {
		const { m, mm, pgd, base } = setup('linux-2.6.18');
		m.call('test_map', mm, VA, 0x222, 1);
		assert.equal(m.num('test_nr_pte_tables', mm), 1);
		assert.equal(walk(m, pgd, VA)[3].pfn, 0x222);
		assert.equal(m.num('nr_free_pages'), base - 3);
	});
});
