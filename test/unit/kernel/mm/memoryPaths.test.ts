// The fault, fork and unmap paths of the KC kernel (kc/kernel/mm/memory.c, mm/rmap.c, mm/swap.c)
// on a booted machine, once per Linux profile: the zero page and copy-on-write (user accesses that
// fault through the MMU), copy_page_range with its mapcounts and refcounts, zapping back to the
// frame count the machine started with, file faults through test ->nopage / ->fault handlers, the
// 2.6.18 truncate_count retry, unmap_mapping_range across address spaces, and the driver mapping
// calls (remap_pfn_range, ->nopfn, vm_insert_pfn / vmf_insert_pfn_prot, zap_vma_ptes,
// generic_access_phys). The KC side is test/unit/kernel/mm/kc/memory_paths_test.c.

import * as assert from 'node:assert/strict';
import { compileUnit } from '../../../../src/lang/frontEnd';
import { memorySources } from '../../../../src/lang/preprocessor';
import { formatDiagnostic } from '../../../../src/lang/source';
import { FlatLayout, type Value } from '../../../../src/interp/contracts';
import { run } from '../../../../src/interp/cpu';
import { linkProgram } from '../../../../src/interp/linker';
import type { Program } from '../../../../src/interp/program';
import { bootKernel, kernelThread, type BootedKernel } from '../../../../src/kernel/boot';
import { RecordingKernelEvents } from '../../../../src/kernel/builtins';
import { createUserThread, runWithFaults } from '../../../../src/kernel/faults';
import { findProfile } from '../../../../src/sim/profiles';
import { isModuleSource, kernelFiles } from './kernelHarness';

const DRIVER = 'test/memory_paths_test.c';

const files: Record<string, string> = { ...kernelFiles() };
/** Every kernel unit but the syscall entry (the memory paths do not need it), plus the driver. */
const UNITS = [...Object.keys(files).filter(f => f.endsWith('.c') && !f.startsWith('test/') && !f.startsWith('arch/x86/entry/') && !isModuleSource(f)).sort(), DRIVER];

const RAM = 16 << 20;
const PAGE = 0x1000;

// vm_flags (kernel-semantics.md section 1)
const VM_READ = 0x1;
const VM_WRITE = 0x2;
const VM_SHARED = 0x8;
const VM_MAYREAD = 0x10;
const VM_MAYWRITE = 0x20;
const VM_MAYSHARE = 0x80;
const VM_PFNMAP = 0x400;
const VM_IO = 0x4000;
const VM_DONTEXPAND = 0x40000;
const VM_RESERVED = 0x80000;
const VM_DONTDUMP = 0x04000000;
const PRIVATE_RW = VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE;
const SHARED_RW = PRIVATE_RW | VM_SHARED | VM_MAYSHARE;

// PTE bits (asm/pgtable_types.h)
const P = 0x1;
const RW = 0x2;
const DIRTY = 0x40;
const SPECIAL = 0x200;

// errno
const EINVAL = 22;
const EBUSY = 16;

// Handler modes of the driver
const MODE_NORMAL = 0;
const MODE_RACE = 1;
const MODE_REFAULT = 2;
const MODE_SIGBUS = 3;

// Address-space layout of the tests
const ANON = 0x20000000;
const ANON_PAGES = 16;
const ZAP = 0x21000000;
const FILE_PRIVATE = 0x30000000;
const FILE_SHARED = 0x30100000;
const PFN_VMA = 0x40000000;
const REMAP = 0x50000000;
const REMAP_FAR = 0x50100000;
const REMAP_COW = 0x50200000;
const STACK = FlatLayout.stackTop - FlatLayout.stackSize;

const USER_SOURCE = `
long poke(long *p, long v)
{
	*p = v;
	return *p;
}

long peek(long *p)
{
	return *p;
}
`;

function userProgram(): Program {
	const compiled = compileUnit('user.c', memorySources({ 'user.c': USER_SOURCE }, []), {});
	assert.deepEqual(compiled.diagnostics.map(formatDiagnostic), []);
	const linked = linkProgram([compiled.unit!], new Map(), FlatLayout, { name: 'user', privilege: 'user' });
	assert.deepEqual(linked.diagnostics.map(formatDiagnostic), []);
	return linked.program!;
}

/** Era facts of a profile (kernel-semantics.md section 9). */
interface Era {
	readonly name: string;
	/** Fault results: 2.6.18-2.6.22 numbered (MINOR 2, SIGBUS 1), later a bitmask (0, SIGBUS 2). */
	readonly ok: number;
	readonly sigbus: number;
	/** VM_FAULT_NOPAGE (2.6.23+). */
	readonly nopageResult: number;
	/** do_wp_page's result when it copied: VM_FAULT_WRITE or'ed in until 6.2 (GUP's "COW broken"). */
	readonly cowBroken: number;
	/** Read faults of anonymous memory map the zero page: refcounted (2.6.18-2.6.23), as a special
	 * PTE (2.6.32+), or not at all (2.6.24-2.6.31). */
	readonly zeroPage: 'refcounted' | 'special' | 'none';
	/** x86 pte_special (2.6.27+). */
	readonly special: boolean;
	/** The file handler: ->nopage until 2.6.22, ->fault from 2.6.23. */
	readonly handler: 'nopage' | 'fault';
	/** ->nopfn (2.6.19-2.6.26). */
	readonly nopfn: boolean;
	/** mapping->truncate_count (until 3.0). */
	readonly truncateCount: boolean;
	/** remap_pfn_range's flags besides VM_IO|VM_PFNMAP. */
	readonly remapFlags: number;
	readonly insertPfn: 'none' | 'errno' | 'vm_fault';
	readonly zapVmaPtes: 'none' | 'int' | 'void';
	/** generic_access_phys (2.6.27+). */
	readonly accessPhys: boolean;
	/** A none PTE of a VMA with vm_ops but no handler: 6.8 SIGBUS, 2.6 anonymous memory. */
	readonly noHandler: 'sigbus' | 'anonymous';
}

const ERAS: readonly Era[] = [
	{ name: 'linux-6.8', ok: 0, sigbus: 2, nopageResult: 0x100, cowBroken: 0, zeroPage: 'special', special: true, handler: 'fault', nopfn: false, truncateCount: false, remapFlags: VM_DONTEXPAND | VM_DONTDUMP, insertPfn: 'vm_fault', zapVmaPtes: 'void', accessPhys: true, noHandler: 'sigbus' },
	{ name: 'linux-2.6.18', ok: 2, sigbus: 1, nopageResult: -1, cowBroken: 0x12, zeroPage: 'refcounted', special: false, handler: 'nopage', nopfn: false, truncateCount: true, remapFlags: VM_RESERVED, insertPfn: 'none', zapVmaPtes: 'none', accessPhys: false, noHandler: 'anonymous' },
	{ name: 'linux-2.6.21', ok: 2, sigbus: 1, nopageResult: -1, cowBroken: 0x12, zeroPage: 'refcounted', special: false, handler: 'nopage', nopfn: true, truncateCount: true, remapFlags: VM_RESERVED, insertPfn: 'errno', zapVmaPtes: 'none', accessPhys: false, noHandler: 'anonymous' },
	{ name: 'linux-2.6.27', ok: 0, sigbus: 2, nopageResult: 0x100, cowBroken: 0x8, zeroPage: 'none', special: true, handler: 'fault', nopfn: false, truncateCount: true, remapFlags: VM_RESERVED, insertPfn: 'errno', zapVmaPtes: 'int', accessPhys: true, noHandler: 'anonymous' },
];

/** A booted kernel with the driver, and the ways the tests reach it. */
class Machine {
	readonly k: BootedKernel;
	readonly events = new RecordingKernelEvents();
	readonly user = userProgram();
	/** CR3 value of each mm slot. */
	readonly pgd: number[] = [];

	constructor(readonly era: Era) {
		const profile = findProfile(era.name);
		assert.ok(profile !== undefined);
		this.k = bootKernel({ ramBytes: RAM, cpus: 2, profile, sources: memorySources(files, ['include']), units: UNITS, events: this.events });
		assert.deepEqual(this.k.diagnostics.filter(d => d.severity === 'error').map(formatDiagnostic), []);
		assert.equal(this.k.booted, true, this.k.log.text());
		assert.equal(this.call('mpt_boot'), 0);
	}

	/** Calls a KC function on CPU 1's kernel thread; its int result. */
	call(name: string, ...args: Value[]): number {
		return this.callOn(1, name, ...args);
	}

	/** The same on CPU `cpu` (another task: swapper/cpu). */
	callOn(cpu: number, name: string, ...args: Value[]): number {
		const stop = run(kernelThread(this.k, cpu, name, args), 20_000_000);
		assert.equal(stop.kind, 'exited', `${name}: ${JSON.stringify(stop)}\n${this.k.log.text()}`);
		return stop.kind === 'exited' ? stop.code : -1;
	}

	/** A new address space in `slot`, with a user stack VMA (demand-faulted like the rest) unless `empty`. */
	newMm(slot: number, empty = false): void {
		const pgd = this.call('mpt_new_mm', slot);
		assert.ok(pgd > 0 && pgd % PAGE === 0);
		this.pgd[slot] = pgd;
		if (!empty) assert.equal(this.call('mpt_map_anon', slot, STACK, FlatLayout.stackSize, PRIVATE_RW), 0);
	}

	/** Runs the user function `entry(args)` on CPU 0 in address space `slot`, faults handled by the KC kernel. */
	runUser(slot: number, entry: string, ...args: Value[]): number {
		this.call('mpt_use_mm', slot);
		this.k.machine.cpus[0].mmu.setCr3(this.pgd[slot]);
		const stop = runWithFaults(createUserThread(this.k, this.user, 0, entry, args), 2_000_000);
		assert.equal(stop.kind, 'exited', `${entry}: ${JSON.stringify(stop)}\n${this.k.log.text()}`);
		return stop.kind === 'exited' ? stop.code : -1;
	}

	free(): number {
		return this.call('nr_free_pages');
	}

	pteFlags(slot: number, addr: number): number {
		return this.call('mpt_pte_flags', slot, addr);
	}

	ptePfn(slot: number, addr: number): number {
		return this.call('mpt_pte_pfn', slot, addr);
	}

	count(pfn: number): number {
		return this.call('mpt_page_count', pfn);
	}

	mapcount(pfn: number): number {
		return this.call('mpt_page_mapcount', pfn);
	}

	/** rss of mm `slot`: [anonymous, file]. */
	rss(slot: number): [number, number] {
		return [this.call('mpt_rss', slot, 0), this.call('mpt_rss', slot, 1)];
	}

	/** The first word of frame `pfn` (+ offset), read from physical memory. */
	word(pfn: number, offset = 0): bigint {
		const bytes = this.k.machine.phys.read(pfn * PAGE + offset, 8)!;
		return new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
	}

	writeWord(pfn: number, value: bigint): void {
		const bytes = new Uint8Array(8);
		new DataView(bytes.buffer).setBigUint64(0, value, true);
		this.k.machine.phys.write(pfn * PAGE, bytes);
	}

	/** Events recorded while `fn` ran. */
	during(fn: () => void): typeof this.events.events {
		const from = this.events.events.length;
		fn();
		return this.events.events.slice(from);
	}
}

for (const era of ERAS) {
	describe(`memory paths: zero page, COW, fork, zap, file faults, unmap_mapping_range, PFN maps (${era.name})`, function () {
		this.timeout(180000);
		let m: Machine;
		let zeroPfn: number;

		before(() => {
			m = new Machine(era);
			zeroPfn = m.call('mpt_zero_pfn');
			assert.ok(zeroPfn > 0 && zeroPfn < RAM / PAGE);
			assert.equal(m.call('mpt_file_init'), 0);
			m.newMm(0);
			assert.equal(m.call('mpt_map_anon', 0, ANON, ANON_PAGES * PAGE, PRIVATE_RW), 0);
		});

		it(`a read fault maps the zero page (${era.zeroPage}), the write then gets a fresh zeroed page (kernel-semantics.md 2.1, 2.5; section 9)`, () => {
			// The first write builds the tables and the anon_vma, so that the counts below are the pages'.
			assert.equal(m.runUser(0, 'poke', ANON, 5), 5);
			assert.equal(m.call('mpt_vma_has_anon_vma', 0, ANON), 1);
			const target = ANON + PAGE;
			const zeroCount = m.count(zeroPfn);
			const zeroMaps = m.mapcount(zeroPfn);
			const before = m.free();

			assert.equal(m.runUser(0, 'peek', target), 0);
			const flags = m.pteFlags(0, target);
			assert.equal(flags & P, P);
			switch (era.zeroPage) {
				case 'special':
					// A special PTE, read-only although the VMA is writable, never counted.
					assert.equal(m.ptePfn(0, target), zeroPfn);
					assert.equal(flags & (RW | SPECIAL), SPECIAL);
					assert.equal(m.call('mpt_normal_pfn', 0, target), -1);
					assert.equal(m.count(zeroPfn), zeroCount);
					assert.equal(m.mapcount(zeroPfn), zeroMaps);
					assert.deepEqual(m.rss(0).slice(1), [0]);
					assert.equal(m.free(), before);
					break;
				case 'refcounted':
					// A normal page: one more reference and mapping, counted as a file page.
					assert.equal(m.ptePfn(0, target), zeroPfn);
					assert.equal(flags & (RW | SPECIAL), 0);
					assert.equal(m.call('mpt_normal_pfn', 0, target), zeroPfn);
					assert.equal(m.count(zeroPfn), zeroCount + 1);
					assert.equal(m.mapcount(zeroPfn), zeroMaps + 1);
					assert.equal(m.rss(0)[1], 1);
					assert.equal(m.free(), before);
					break;
				case 'none':
					// 2.6.24-2.6.31: a private page at once, writable and dirty.
					assert.notEqual(m.ptePfn(0, target), zeroPfn);
					assert.equal(flags & (RW | DIRTY), RW | DIRTY);
					assert.equal(m.free(), before - 1);
					break;
			}
			const anonBefore = m.rss(0)[0];
			const readPfn = m.ptePfn(0, target);

			assert.equal(m.runUser(0, 'poke', target, 42), 42);
			const pfn = m.ptePfn(0, target);
			assert.equal(m.pteFlags(0, target) & (P | RW | DIRTY), P | RW | DIRTY);
			assert.equal(m.call('mpt_page_anon', pfn), 1);
			assert.equal(m.call('mpt_page_in_vma_anon', pfn, 0, target), 1);
			assert.equal(m.call('mpt_page_index', pfn), target / PAGE);
			assert.equal(m.count(pfn), 1);
			assert.equal(m.mapcount(pfn), 1);
			assert.equal(m.word(pfn), 42n);
			assert.ok(m.k.machine.phys.read(pfn * PAGE + 8, PAGE - 8)!.every(b => b === 0));
			// One data page in all; the zero page is back where it was.
			assert.equal(m.free(), before - 1);
			assert.equal(m.count(zeroPfn), zeroCount);
			assert.equal(m.mapcount(zeroPfn), zeroMaps);
			if (era.zeroPage === 'none') {
				assert.equal(pfn, readPfn);
				assert.deepEqual(m.rss(0), [anonBefore, 0]);
			} else {
				assert.notEqual(pfn, zeroPfn);
				assert.deepEqual(m.rss(0), [anonBefore + 1, 0]);
			}
			if (era.name === 'linux-6.8') assert.equal(m.call('mpt_page_anon_exclusive', pfn), 1);
		});

		it('fork: copy_page_range write-protects private PTEs in parent and child, shares the page (mapcount 2, refcount 2), and writes copy it apart (kernel-semantics.md section 1)', () => {
			const parentPfn = m.ptePfn(0, ANON);
			assert.equal(m.word(parentPfn), 5n);
			m.newMm(1, true);
			assert.equal(m.call('mpt_fork', 0, 1), 0);
			assert.equal(m.ptePfn(1, ANON), parentPfn);
			assert.equal(m.pteFlags(0, ANON) & (P | RW), P);
			assert.equal(m.pteFlags(1, ANON) & (P | RW), P);
			assert.equal(m.count(parentPfn), 2);
			assert.equal(m.mapcount(parentPfn), 2);
			// The child joined the parent's anon_vma family; its RSS counts what it now maps.
			assert.equal(m.call('mpt_anon_vma_refs', 1, ANON), 2);
			assert.equal(m.call('mpt_page_in_vma_anon', parentPfn, 1, ANON), 1);
			assert.deepEqual(m.rss(1), m.rss(0));
			if (era.name === 'linux-6.8') assert.equal(m.call('mpt_page_anon_exclusive', parentPfn), 0);

			// The child writes: do_wp_page copies (the page is mapped twice).
			const before = m.free();
			assert.equal(m.runUser(1, 'poke', ANON, 7), 7);
			const childPfn = m.ptePfn(1, ANON);
			assert.notEqual(childPfn, parentPfn);
			assert.equal(m.pteFlags(1, ANON) & (RW | DIRTY), RW | DIRTY);
			assert.equal(m.word(childPfn), 7n);
			assert.equal(m.word(parentPfn), 5n);
			assert.deepEqual([m.count(childPfn), m.mapcount(childPfn)], [1, 1]);
			assert.deepEqual([m.count(parentPfn), m.mapcount(parentPfn)], [1, 1]);
			assert.equal(m.pteFlags(0, ANON) & RW, 0);

			// The parent writes: its page is exclusively its own again, reused in place.
			const free = m.free();
			assert.equal(m.runUser(0, 'poke', ANON, 9), 9);
			assert.equal(m.ptePfn(0, ANON), parentPfn);
			assert.equal(m.pteFlags(0, ANON) & (RW | DIRTY), RW | DIRTY);
			assert.equal(m.free(), free);
			assert.ok(before - free >= 1);
			if (era.name === 'linux-6.8') assert.equal(m.call('mpt_page_anon_exclusive', parentPfn), 1);
			assert.equal(m.runUser(1, 'peek', ANON), 7);
			assert.equal(m.runUser(0, 'peek', ANON), 9);
			assert.deepEqual(m.k.lockReports, []);
		});

		it('zap_page_range clears PTEs through the __kc_* builtins and frees the frames; unmap_vmas + free_pgtables give back every frame (kernel-semantics.md section 9)', () => {
			m.newMm(2);
			assert.equal(m.call('mpt_map_anon', 2, ZAP, 8 * PAGE, PRIVATE_RW), 0);
			const free0 = m.free();
			for (let i = 0; i < 8; i++) assert.equal(m.call('mpt_fault', 2, ZAP + i * PAGE, 1), era.ok);
			const pfns = [...Array(8).keys()].map(i => m.ptePfn(2, ZAP + i * PAGE));
			const free1 = m.free();
			assert.ok(free0 - free1 >= 8 + 3, `${free0 - free1}`);
			assert.deepEqual(m.rss(2), [8, 0]);

			const events = m.during(() => assert.equal(m.call('mpt_zap', 2, ZAP, 8 * PAGE), 0));
			const cleared = events.filter(e => e.kind === 'pteClear');
			assert.deepEqual(cleared.map(e => e.kind === 'pteClear' ? [e.va, e.site.fn] : []), pfns.map((_, i) => [ZAP + i * PAGE, 'zap_pte_range']));
			assert.deepEqual(events.filter(e => e.kind === 'pageFree').map(e => e.kind === 'pageFree' ? e.pfn : -1).sort((a, b) => a - b), [...pfns].sort((a, b) => a - b));
			// The flush comes before the frees.
			const firstFree = events.findIndex(e => e.kind === 'pageFree');
			assert.ok(events.slice(0, firstFree).some(e => e.kind === 'tlbFlush'));
			assert.equal(m.free(), free1 + 8);
			assert.equal(m.pteFlags(2, ZAP), -1);
			assert.deepEqual(m.rss(2), [0, 0]);

			// Refault one page, then tear the whole address space down (exit_mmap's core).
			assert.equal(m.call('mpt_fault', 2, ZAP, 1), era.ok);
			m.call('mpt_teardown', 2, 0);
			assert.equal(m.free(), free0);
			assert.deepEqual(m.k.lockReports, []);
		});

		it(`file faults through ->${era.handler}: a read maps the file page read-only in a private VMA, a write copies it into an anonymous page (kernel-semantics.md 2.1, 2.3, 2.5)`, () => {
			m.newMm(3, true);
			assert.equal(m.call('mpt_map_file', 3, FILE_PRIVATE, 4 * PAGE, PRIVATE_RW, 0), 0);
			const file = [0, 1, 2, 3].map(n => m.call('mpt_file_pfn', n));
			m.call('mpt_set_mode', MODE_NORMAL);

			assert.equal(m.call('mpt_fault', 3, FILE_PRIVATE + PAGE, 0), era.ok);
			assert.equal(m.call('mpt_calls'), 1);
			assert.equal(m.ptePfn(3, FILE_PRIVATE + PAGE), file[1]);
			assert.equal(m.pteFlags(3, FILE_PRIVATE + PAGE) & (P | RW), P);
			assert.deepEqual([m.count(file[1]), m.mapcount(file[1])], [2, 1]);
			assert.deepEqual(m.rss(3), [0, 1]);

			// A write to that PTE: do_wp_page copies the file page (not anonymous: never reused).
			assert.equal(m.call('mpt_fault', 3, FILE_PRIVATE + PAGE, 1), era.cowBroken);
			const copy = m.ptePfn(3, FILE_PRIVATE + PAGE);
			assert.notEqual(copy, file[1]);
			assert.equal(m.pteFlags(3, FILE_PRIVATE + PAGE) & (RW | DIRTY), RW | DIRTY);
			assert.equal(m.call('mpt_page_anon', copy), 1);
			assert.equal(m.word(copy), 0x1001n);
			assert.deepEqual([m.count(file[1]), m.mapcount(file[1])], [1, 0]);
			assert.deepEqual(m.rss(3), [1, 0]);

			// A write to a none PTE copies at once (early COW); the handler's page is released.
			assert.equal(m.call('mpt_fault', 3, FILE_PRIVATE + 2 * PAGE, 1), era.ok);
			assert.equal(m.call('mpt_calls'), 2);
			const early = m.ptePfn(3, FILE_PRIVATE + 2 * PAGE);
			assert.notEqual(early, file[2]);
			assert.equal(m.word(early), 0x1002n);
			assert.equal(m.call('mpt_page_index', early), 2);
			assert.deepEqual([m.count(file[2]), m.mapcount(file[2])], [1, 0]);
			assert.deepEqual(m.rss(3), [2, 0]);

			// A handler's SIGBUS is the fault's.
			m.call('mpt_set_mode', MODE_SIGBUS);
			assert.equal(m.call('mpt_fault', 3, FILE_PRIVATE + 3 * PAGE, 0), era.sigbus);
			assert.equal(m.pteFlags(3, FILE_PRIVATE + 3 * PAGE), -1);
			if (era.name === 'linux-2.6.21') {
				// NOPAGE_REFAULT (2.6.19-2.6.22): no PTE, the access re-executes.
				m.call('mpt_set_mode', MODE_REFAULT);
				assert.equal(m.call('mpt_fault', 3, FILE_PRIVATE + 3 * PAGE, 0), era.ok);
				assert.equal(m.call('mpt_calls'), 1);
				assert.equal(m.pteFlags(3, FILE_PRIVATE + 3 * PAGE), -1);
			}
			m.call('mpt_set_mode', MODE_NORMAL);
		});

		it('a write to a shared file VMA calls ->page_mkwrite and maps the page writable; zapping its dirty PTE marks the page dirty (kernel-semantics.md 2.1, 2.5)', () => {
			assert.equal(m.call('mpt_map_file', 3, FILE_SHARED, 4 * PAGE, SHARED_RW, 0), 0);
			const page0 = m.call('mpt_file_pfn', 0);
			m.call('mpt_clear_dirty', 0);
			assert.equal(m.call('mpt_fault', 3, FILE_SHARED, 1), era.ok);
			assert.equal(m.call('mpt_mkwrite_count'), 1);
			assert.equal(m.ptePfn(3, FILE_SHARED), page0);
			assert.equal(m.pteFlags(3, FILE_SHARED) & (RW | DIRTY), RW | DIRTY);
			assert.deepEqual([m.count(page0), m.mapcount(page0)], [2, 1]);
			// 2.6.19+ dirty the page when the write fault maps it (dirty_page); 2.6.18 only at unmap.
			assert.equal(m.call('mpt_page_dirty', page0), era.name === 'linux-2.6.18' ? 0 : 1);

			m.call('mpt_clear_dirty', 0);
			assert.equal(m.call('mpt_zap', 3, FILE_SHARED, 4 * PAGE), 0);
			assert.equal(m.pteFlags(3, FILE_SHARED), -1);
			assert.equal(m.call('mpt_page_dirty', page0), 1);
			assert.deepEqual([m.count(page0), m.mapcount(page0)], [1, 0]);
			assert.deepEqual(m.rss(3), [2, 0]);
		});

		if (era.handler === 'nopage') {
			it('do_no_page calls ->nopage again when unmap_mapping_range moved truncate_count before the PTE lock (kernel-semantics.md 2.1, scenario 3)', () => {
				const [page0, page1] = [m.call('mpt_file_pfn', 0), m.call('mpt_file_pfn', 1)];
				const counts = [m.count(page0), m.count(page1)];
				const before = m.call('mpt_truncate_count');
				m.call('mpt_set_mode', MODE_RACE);
				// ->nopage zaps the file's mappings itself, then answers page 0; do_no_page sees
				// truncate_count moved, drops page 0 and asks again: page 1 is mapped.
				assert.equal(m.call('mpt_fault', 3, FILE_SHARED + 3 * PAGE, 0), era.ok);
				assert.equal(m.call('mpt_calls'), 2);
				assert.equal(m.ptePfn(3, FILE_SHARED + 3 * PAGE), page1);
				assert.deepEqual([m.count(page0), m.count(page1)], [counts[0], counts[1] + 1]);
				assert.equal(m.call('mpt_truncate_count'), before + 1);
				assert.equal(m.call('mpt_vma_truncate_count', 3, FILE_SHARED), before + 1);
				m.call('mpt_set_mode', MODE_NORMAL);
				assert.equal(m.call('mpt_zap', 3, FILE_SHARED, 4 * PAGE), 0);
			});
		} else {
			it('->fault has no truncate_count retry: an unmap_mapping_range during the handler leaves its stale page mapped (kernel-semantics.md 2.3)', () => {
				const [page0, page1] = [m.call('mpt_file_pfn', 0), m.call('mpt_file_pfn', 1)];
				m.call('mpt_set_mode', MODE_RACE);
				assert.equal(m.call('mpt_fault', 3, FILE_SHARED + 3 * PAGE, 0), era.ok);
				assert.equal(m.call('mpt_calls'), 1);
				assert.equal(m.ptePfn(3, FILE_SHARED + 3 * PAGE), page0);
				assert.notEqual(page0, page1);
				m.call('mpt_set_mode', MODE_NORMAL);
				assert.equal(m.call('mpt_zap', 3, FILE_SHARED, 4 * PAGE), 0);
			});
		}

		it('unmap_mapping_range zaps the file range in every process through i_mmap, with no mmap_lock; even_cows=0 spares COWed pages (kernel-semantics.md 2.1, 2.5)', () => {
			m.newMm(4, true);
			assert.equal(m.call('mpt_map_file', 4, FILE_SHARED, 4 * PAGE, SHARED_RW, 0), 0);
			const page0 = m.call('mpt_file_pfn', 0);
			assert.equal(m.call('mpt_fault', 3, FILE_SHARED, 0), era.ok);
			assert.equal(m.call('mpt_fault', 4, FILE_SHARED, 0), era.ok);
			assert.equal(m.call('mpt_fault', 3, FILE_PRIVATE, 0), era.ok);
			assert.equal(m.mapcount(page0), 3);
			// COWed private pages at file pages 1 and 2 (written through the private VMA).
			assert.equal(m.call('mpt_fault', 3, FILE_PRIVATE + PAGE, 1), era.ok);
			assert.equal(m.call('mpt_fault', 3, FILE_PRIVATE + 2 * PAGE, 1), era.ok);
			const cow = m.ptePfn(3, FILE_PRIVATE + PAGE);
			assert.equal(m.call('mpt_page_anon', cow), 1);
			const before = m.call('mpt_truncate_count');

			// Another task (CPU 0's) holds mm 3's mmap_lock for writing: the unmap (on CPU 1) must not
			// need it, or it would block.
			m.callOn(0, 'mpt_hold_mmap_lock', 3);
			assert.equal(m.call('mpt_unmap_mapping', 0, 0, 0), 0);
			m.callOn(0, 'mpt_release_mmap_lock', 3);
			assert.equal(m.pteFlags(3, FILE_SHARED), -1);
			assert.equal(m.pteFlags(4, FILE_SHARED), -1);
			assert.equal(m.pteFlags(3, FILE_PRIVATE), -1);
			assert.deepEqual([m.count(page0), m.mapcount(page0)], [1, 0]);
			// The private COWed pages stay (invalidation keeps private data) ...
			assert.equal(m.ptePfn(3, FILE_PRIVATE + PAGE), cow);
			assert.equal(m.ptePfn(3, FILE_PRIVATE + 2 * PAGE) > 0, true);
			if (era.truncateCount) {
				assert.equal(m.call('mpt_truncate_count'), before + 1);
				assert.equal(m.call('mpt_vma_truncate_count', 4, FILE_SHARED), before + 1);
			}
			// ... and truncation (even_cows) takes them too, from file page 1 on.
			const free = m.free();
			assert.equal(m.call('mpt_unmap_mapping', PAGE, 0, 1), 0);
			assert.equal(m.pteFlags(3, FILE_PRIVATE + PAGE), -1);
			assert.equal(m.pteFlags(3, FILE_PRIVATE + 2 * PAGE), -1);
			assert.equal(m.free(), free + 2);
			assert.deepEqual(m.rss(3), [0, 0]);
			if (era.truncateCount) assert.equal(m.call('mpt_truncate_count'), before + 2);
			assert.deepEqual(m.k.lockReports, []);
		});

		it(`remap_pfn_range fills a VM_IO|VM_PFNMAP VMA eagerly${era.special ? ' with special PTEs' : ''}; vm_normal_page sees no page and zapping leaves the frames alone (kernel-semantics.md 2.1, 2.5)`, () => {
			m.newMm(5, true);
			const ram = m.call('mpt_alloc_pfn');
			assert.ok(ram > 0);
			// RAM at REMAP (its refcount must not move), and two PFNs past the end of RAM (MMIO-like).
			assert.equal(m.call('mpt_map_remap', 5, REMAP, PAGE, SHARED_RW, 0, ram, PAGE), 0);
			const far = RAM / PAGE + 0x100;
			assert.equal(m.call('mpt_map_remap', 5, REMAP_FAR, 2 * PAGE, SHARED_RW, 0, far, 2 * PAGE), 0);
			const flags = m.call('mpt_vma_flags', 5, REMAP);
			assert.equal(flags & (VM_IO | VM_PFNMAP | era.remapFlags), VM_IO | VM_PFNMAP | era.remapFlags);
			for (const [addr, pfn] of [[REMAP, ram], [REMAP_FAR, far], [REMAP_FAR + PAGE, far + 1]]) {
				assert.equal(m.ptePfn(5, addr), pfn);
				assert.equal(m.pteFlags(5, addr) & (P | RW | SPECIAL), P | RW | (era.special ? SPECIAL : 0));
				assert.equal(m.call('mpt_normal_pfn', 5, addr), -1);
			}
			assert.deepEqual([m.count(ram), m.mapcount(ram)], [1, 0]);
			assert.deepEqual(m.rss(5), [0, 0]);

			if (era.accessPhys) {
				// ->access of PFN maps goes through ioremap_prot of the PTE's physical address, and
				// x86's __ioremap_caller refuses RAM that is in use (2.6.26+): generic_access_phys
				// fails on a PFN map of ordinary pages (6.8: -ENOMEM; 2.6.27's follow_phys path:
				// -EINVAL). Device memory is reached (test/unit/kernel/platform). No PFN map: -EINVAL.
				m.writeWord(ram, 0x5eedn);
				assert.equal(m.call('mpt_access_phys', 5, REMAP), era.name === 'linux-6.8' ? -12 : -EINVAL);
				assert.equal(m.call('mpt_access_phys', 0, ANON), -EINVAL);
			}
			assert.equal(m.call('mpt_zap', 5, REMAP, PAGE), 0);
			assert.equal(m.pteFlags(5, REMAP), -1);
			assert.deepEqual([m.count(ram), m.mapcount(ram)], [1, 0]);
			// With no handler, a new fault there: 6.8 answers SIGBUS; 2.6 makes it anonymous memory.
			const result = m.call('mpt_fault', 5, REMAP, 0);
			if (era.noHandler === 'sigbus') {
				assert.equal(result, era.sigbus);
				assert.equal(m.pteFlags(5, REMAP), -1);
			} else {
				assert.equal(result, era.ok);
				assert.notEqual(m.ptePfn(5, REMAP), ram);
			}

			// zap_vma_ptes (2.6.27+) acts on PFN maps only.
			if (era.zapVmaPtes !== 'none') {
				assert.equal(m.call('mpt_zap_vma_ptes', 5, REMAP_FAR, 2 * PAGE), 0);
				assert.equal(m.pteFlags(5, REMAP_FAR), -1);
				assert.equal(m.pteFlags(5, REMAP_FAR + PAGE), -1);
				assert.equal(m.call('mpt_zap_vma_ptes', 0, ANON, PAGE), era.zapVmaPtes === 'int' ? -1 : 0);
				assert.equal(m.pteFlags(0, ANON) & P, P);
			}
		});

		it('remap_pfn_range of a COW mapping: the whole VMA or -EINVAL, vm_pgoff = pfn; a write copies the PFN into an anonymous page that vm_normal_page sees (kernel-semantics.md 2.1)', () => {
			const ram = m.call('mpt_alloc_pfn');
			assert.equal(m.call('mpt_map_remap', 5, REMAP_COW, 2 * PAGE, PRIVATE_RW, 0, ram, PAGE), -EINVAL);
			assert.equal(m.call('mpt_map_remap', 5, REMAP_COW + 0x10000, PAGE, PRIVATE_RW, 0, ram, PAGE), 0);
			const addr = REMAP_COW + 0x10000;
			assert.equal(m.call('mpt_vma_pgoff', 5, addr), ram);
			assert.equal(m.pteFlags(5, addr) & (P | RW), P);
			assert.equal(m.call('mpt_normal_pfn', 5, addr), -1);
			m.writeWord(ram, 0xc0feen);
			// The COW copy reads the original through the user address: CPU 1 runs in mm 5.
			m.k.machine.cpus[1].mmu.setCr3(m.pgd[5]);
			assert.equal(m.call('mpt_fault', 5, addr, 1), era.cowBroken);
			m.k.machine.cpus[1].mmu.setCr3(m.k.pgdPhys);
			const copy = m.ptePfn(5, addr);
			assert.notEqual(copy, ram);
			assert.equal(m.word(copy), 0xc0feen);
			assert.equal(m.call('mpt_normal_pfn', 5, addr), copy);
			assert.equal(m.pteFlags(5, addr) & (RW | SPECIAL), RW);
			assert.deepEqual([m.count(ram), m.mapcount(ram)], [1, 0]);
			assert.deepEqual([m.count(copy), m.mapcount(copy)], [1, 1]);
		});

		if (era.nopfn) {
			it('->nopfn: do_no_pfn installs the PFN if the PTE is still none; NOPFN_REFAULT installs nothing; NOPFN_SIGBUS is SIGBUS (kernel-semantics.md 2.2)', () => {
				const base = RAM / PAGE + 0x200;
				assert.equal(m.call('mpt_map_pfn', 5, PFN_VMA, 4 * PAGE, SHARED_RW, base), 0);
				m.call('mpt_set_mode', MODE_NORMAL);
				assert.equal(m.call('mpt_fault', 5, PFN_VMA + 2 * PAGE, 0), era.ok);
				assert.equal(m.ptePfn(5, PFN_VMA + 2 * PAGE), base + 2);
				m.call('mpt_set_mode', MODE_REFAULT);
				assert.equal(m.call('mpt_fault', 5, PFN_VMA, 0), era.ok);
				assert.equal(m.call('mpt_calls'), 1);
				assert.equal(m.pteFlags(5, PFN_VMA), -1);
				m.call('mpt_set_mode', MODE_SIGBUS);
				assert.equal(m.call('mpt_fault', 5, PFN_VMA, 0), era.sigbus);
				m.call('mpt_set_mode', MODE_NORMAL);
				// vm_insert_pfn (2.6.21): -EBUSY where a PTE exists, harmlessly.
				assert.equal(m.call('mpt_insert_pfn', 5, PFN_VMA + 2 * PAGE, base + 9, 0), -EBUSY);
				assert.equal(m.call('mpt_insert_pfn', 5, PFN_VMA + 3 * PAGE, base + 9, 0), 0);
				assert.equal(m.ptePfn(5, PFN_VMA + 3 * PAGE), base + 9);
			});
		}

		if (era.handler === 'fault') {
			it(`a PFN-map ->fault inserts the PFN itself and answers VM_FAULT_NOPAGE; ${era.insertPfn === 'vm_fault' ? 'vmf_insert_pfn_prot answers NOPAGE again when the PTE exists' : 'vm_insert_pfn is -EBUSY when the PTE exists'} (kernel-semantics.md 2.3, 2.5)`, () => {
				const base = RAM / PAGE + 0x200;
				assert.equal(m.call('mpt_map_pfn', 5, PFN_VMA, 4 * PAGE, SHARED_RW, base), 0);
				m.call('mpt_set_mode', MODE_NORMAL);
				assert.equal(m.call('mpt_fault', 5, PFN_VMA + PAGE, 1), era.nopageResult);
				assert.equal(m.call('mpt_calls'), 1);
				assert.equal(m.ptePfn(5, PFN_VMA + PAGE), base + 1);
				assert.equal(m.pteFlags(5, PFN_VMA + PAGE) & (P | SPECIAL), P | SPECIAL);
				const PCD_PWT = 0x18;
				if (era.insertPfn === 'vm_fault') {
					assert.equal(m.call('mpt_insert_pfn', 5, PFN_VMA + 2 * PAGE, base + 7, 1), era.nopageResult);
					assert.equal(m.pteFlags(5, PFN_VMA + 2 * PAGE) & PCD_PWT, PCD_PWT);
					// Present already: nothing changes, and the answer is still NOPAGE.
					assert.equal(m.call('mpt_insert_pfn', 5, PFN_VMA + 2 * PAGE, base + 8, 0), era.nopageResult);
					assert.equal(m.ptePfn(5, PFN_VMA + 2 * PAGE), base + 7);
					assert.equal(m.pteFlags(5, PFN_VMA + 2 * PAGE) & PCD_PWT, PCD_PWT);
				} else {
					assert.equal(m.call('mpt_insert_pfn', 5, PFN_VMA + 2 * PAGE, base + 7, 0), 0);
					assert.equal(m.call('mpt_insert_pfn', 5, PFN_VMA + 2 * PAGE, base + 8, 0), -EBUSY);
					assert.equal(m.ptePfn(5, PFN_VMA + 2 * PAGE), base + 7);
				}
				assert.deepEqual(m.k.lockReports, []);
			});
		}

		it('vm_insert_page maps a driver page with a reference and a file-style rmap count; -EBUSY where mapped; zap drops both (kernel-semantics.md 2.1)', () => {
			const DRIVER_VMA = 0x60000000;
			assert.equal(m.call('mpt_map_driver', 5, DRIVER_VMA, 2 * PAGE, SHARED_RW), 0);
			const page = m.call('mpt_alloc_pfn');
			const [anon, file] = m.rss(5);
			assert.equal(m.call('mpt_insert_page', 5, DRIVER_VMA, page), 0);
			assert.equal(m.call('mpt_insert_page', 5, DRIVER_VMA, page), -EBUSY);
			assert.equal(m.call('mpt_insert_page', 5, DRIVER_VMA + 2 * PAGE, page), -14);
			assert.equal(m.ptePfn(5, DRIVER_VMA), page);
			assert.equal(m.call('mpt_normal_pfn', 5, DRIVER_VMA), page);
			assert.deepEqual([m.count(page), m.mapcount(page)], [2, 1]);
			assert.deepEqual(m.rss(5), [anon, file + 1]);
			assert.equal(m.call('mpt_zap', 5, DRIVER_VMA, 2 * PAGE), 0);
			assert.deepEqual([m.count(page), m.mapcount(page)], [1, 0]);
			assert.deepEqual(m.rss(5), [anon, file]);
		});
	});
}
