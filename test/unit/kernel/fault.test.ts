// Demand paging on the booted kernel (src/kernel/faults.ts, kc/kernel/arch/x86/mm/fault.c,
// handle_mm_fault in kc/kernel/mm/memory.c): a user access to an anonymous VMA faults, the KC
// handler runs in kernel mode, installs a PTE to a fresh zeroed page, and the access re-executes;
// an access outside every VMA ends the thread with SIGSEGV.

import * as assert from 'node:assert/strict';
import { compileUnit } from '../../../src/lang/frontEnd';
import { memorySources } from '../../../src/lang/preprocessor';
import { formatDiagnostic } from '../../../src/lang/source';
import { FlatLayout, type Value } from '../../../src/interp/contracts';
import { run } from '../../../src/interp/cpu';
import { linkProgram } from '../../../src/interp/linker';
import type { Program } from '../../../src/interp/program';
import type { Thread } from '../../../src/interp/thread';
import { bootKernel, kernelThread, type BootedKernel } from '../../../src/kernel/boot';
import { createUserThread, handlePageFault, runWithFaults } from '../../../src/kernel/faults';
import { X86_PF_USER, X86_PF_WRITE } from '../../../src/kernel/hw/mmu';
import { decodePte, pdIndex, pdptIndex, pml4Index, ptIndex, type DecodedPte, type PagingLevel } from '../../../src/kernel/hw/pageTable';
import { findProfile } from '../../../src/sim/profiles';
import { kernelFiles } from './mm/kernelHarness';

const RAM = 16 << 20;
const PAGE = 4096;
/** The anonymous VMA: four pages at the flat layout's heap base. */
const ANON = FlatLayout.heapBase;
const ANON_PAGES = 4;
/** Not covered by any VMA. */
const HOLE = 0x20000000;

const files: Record<string, string> = { ...kernelFiles() };

const USER_SOURCE = `
int poke(long *p)
{
	*p = 42;
	return (int)*p;
}

int peek(long *p)
{
	return (int)*p;
}
`;

function userProgram(): Program {
	const compiled = compileUnit('user.c', memorySources({ 'user.c': USER_SOURCE }, []), {});
	assert.deepEqual(compiled.diagnostics.map(formatDiagnostic), []);
	const linked = linkProgram([compiled.unit!], new Map(), FlatLayout, { name: 'user', privilege: 'user' });
	assert.deepEqual(linked.diagnostics.map(formatDiagnostic), []);
	return linked.program!;
}

/** Calls `name(args)` on CPU `cpu`'s kernel thread and returns its int result. */
function call(k: BootedKernel, cpu: number, name: string, args: readonly Value[] = []): number {
	const stop = run(kernelThread(k, cpu, name, args), 10_000_000);
	assert.equal(stop.kind, 'exited', JSON.stringify(stop));
	return stop.kind === 'exited' ? stop.code : -1;
}

function readPhys64(k: BootedKernel, pa: number): bigint {
	const bytes = k.machine.phys.read(pa, 8)!;
	return new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
}

/** The 1-based line of the first line of `text` in kernel file `file`. */
function lineOf(file: string, text: string): number {
	const at = files[file].indexOf(text);
	assert.ok(at >= 0, text);
	return files[file].slice(0, at).split('\n').length;
}

/** The source line of the statement the thread's top frame stopped at. */
function currentLine(thread: Thread): number | undefined {
	const top = thread.top;
	if (top === undefined) return undefined;
	return top.fn.program.statements[top.fn.pcStatement[top.pc]]?.range.line;
}

/** Walks the 4-level tables at `pgdPhys` for `va` in physical memory; the entries met, top down. */
function walk(k: BootedKernel, pgdPhys: number, va: number): DecodedPte[] {
	const indices: Record<PagingLevel, number> = { 4: pml4Index(va), 3: pdptIndex(va), 2: pdIndex(va), 1: ptIndex(va) };
	const entries: DecodedPte[] = [];
	let table = pgdPhys;
	for (const level of [4, 3, 2, 1] as const) {
		const entry = decodePte(readPhys64(k, table + indices[level] * 8), level);
		entries.push(entry);
		if (!entry.present || entry.leaf) break;
		table = entry.physicalAddress;
	}
	return entries;
}

for (const name of ['linux-6.8', 'linux-2.6.18']) {
	describe(`demand paging on the booted kernel (${name})`, function () {
		this.timeout(120000);
		let k: BootedKernel;
		let user: Program;
		let pgdPhys: number;

		before(() => {
			const profile = findProfile(name);
			assert.ok(profile !== undefined);
			k = bootKernel({ ramBytes: RAM, cpus: 2, profile, sources: memorySources(files, ['include']) });
			assert.deepEqual(k.diagnostics.filter(d => d.severity === 'error').map(formatDiagnostic), []);
			assert.equal(k.booted, true, k.log.text());
			user = userProgram();
			pgdPhys = call(k, 0, 'boot_test_new_mm');
			assert.ok(pgdPhys > 0 && pgdPhys < RAM && pgdPhys % PAGE === 0);
			assert.equal(call(k, 0, 'boot_test_map_anon', [ANON, ANON_PAGES * PAGE]), 0);
			// The user stack, demand-faulted like the rest (these functions keep their locals in registers).
			assert.equal(call(k, 0, 'boot_test_map_anon', [FlatLayout.stackTop - FlatLayout.stackSize, FlatLayout.stackSize]), 0);
			// Overlapping VMAs are refused.
			assert.equal(call(k, 0, 'boot_test_map_anon', [ANON + PAGE, PAGE]), -12);
			k.machine.cpus[0].mmu.setCr3(pgdPhys);
		});

		it('the new pgd shares the kernel half and has an empty user half', () => {
			const user = walk(k, pgdPhys, ANON);
			assert.equal(user.length, 1);
			assert.equal(user[0].present, false);
			assert.equal(walk(k, pgdPhys, k.kernel!.textBase).at(-1)?.present, true);
		});

		it('a write faults (not present, write, user), the KC handler maps a zeroed page, and the write re-executes', () => {
			const before = call(k, 1, 'nr_free_pages');
			const thread = createUserThread(k, user, 0, 'poke', [ANON]);
			const first = run(thread, 1_000_000);
			assert.equal(first.kind, 'fault', JSON.stringify(first));
			if (first.kind !== 'fault') return;
			assert.equal(first.fault.address, ANON);
			assert.equal(first.fault.access, 'write');
			assert.equal(first.fault.reason, 'not-present');
			assert.equal((first.fault as { errorCode?: number }).errorCode, X86_PF_WRITE | X86_PF_USER);
			assert.equal(thread.mode, 'user');
			assert.equal(walk(k, pgdPhys, ANON).at(-1)?.present, false);

			assert.equal(handlePageFault(thread, first), null);
			// The handler runs in kernel mode, on the kernel stack, on top of the interrupted user frame.
			assert.equal(thread.mode, 'kernel');
			assert.equal(k.machine.cpus[0].bus.mode, 'kernel');
			assert.equal(thread.top?.fn.name, 'do_page_fault');
			assert.equal(thread.frames[thread.frames.length - 2].fn.name, 'poke');

			const done = runWithFaults(thread, 1_000_000);
			assert.deepEqual(done, { kind: 'exited', code: 42 });
			assert.equal(k.machine.cpus[0].bus.mode, 'user');

			const entries = walk(k, pgdPhys, ANON);
			assert.equal(entries.length, 4);
			const pte = entries[3];
			assert.equal(pte.present, true);
			assert.equal(pte.user, true);
			assert.equal(pte.writable, true);
			assert.equal(pte.dirty, true);
			assert.equal(pte.nx, true);
			// A frame of RAM the buddy allocator owns (not a boot frame), holding 42 and zeros elsewhere.
			assert.ok(pte.pfn > 0 && pte.pfn < RAM / PAGE);
			assert.ok(pte.physicalAddress >= k.reserved.end || pte.physicalAddress < k.reserved.start);
			assert.equal(readPhys64(k, pte.physicalAddress), 42n);
			assert.ok(k.machine.phys.read(pte.physicalAddress + 8, PAGE - 8)!.every(b => b === 0));
			// The upper levels are user tables (US, RW), as _PAGE_TABLE makes them.
			for (const table of entries.slice(0, 3)) assert.equal(table.flags.includes('US') && table.writable, true, table.flags);
			// One data page, the PUD, PMD and PTE tables, and the first slab page of anon_vma objects
			// (anon_vma_prepare on the VMA's first anonymous page).
			assert.equal(before - call(k, 1, 'nr_free_pages'), 5);
		});

		it('a read of the mapped page does not fault; a read fault on a new page maps the zero page read-only and costs no page (kernel-semantics.md section 2, zero page)', () => {
			const thread = createUserThread(k, user, 0, 'peek', [ANON]);
			assert.deepEqual(run(thread, 1_000_000), { kind: 'exited', code: 42 });
			const before = call(k, 1, 'nr_free_pages');
			const second = createUserThread(k, user, 0, 'peek', [ANON + PAGE]);
			assert.deepEqual(runWithFaults(second, 1_000_000), { kind: 'exited', code: 0 });
			assert.equal(before - call(k, 1, 'nr_free_pages'), 0);
			const pte = walk(k, pgdPhys, ANON + PAGE)[3];
			assert.equal(pte.present && pte.user, true);
			assert.equal(pte.writable, false);
			// The same frame as any other read of fresh anonymous memory: the shared zero page.
			const third = createUserThread(k, user, 0, 'peek', [ANON + 3 * PAGE]);
			assert.deepEqual(runWithFaults(third, 1_000_000), { kind: 'exited', code: 0 });
			assert.equal(walk(k, pgdPhys, ANON + 3 * PAGE)[3].pfn, pte.pfn);
			assert.ok(k.machine.phys.read(pte.physicalAddress, PAGE)!.every(b => b === 0));
		});

		it('two CPUs fault on one page: the loser of the PTE lock race frees its page and re-executes', () => {
			const target = ANON + 2 * PAGE;
			const before = call(k, 1, 'nr_free_pages');
			// A (CPU 0) faults and runs its handler up to taking the PTE lock in do_anonymous_page,
			// after it has allocated its page.
			const a = createUserThread(k, user, 0, 'poke', [target]);
			const first = run(a, 1_000_000);
			assert.equal(first.kind, 'fault');
			if (first.kind !== 'fault') return;
			assert.equal(handlePageFault(a, first), null);
			const lockLine = lineOf('mm/memory.c', name === 'linux-6.8'
				? 'vmf->pte = pte_offset_map_lock(vma->vm_mm, vmf->pmd, vmf->address, &vmf->ptl);\n\tif (vmf_pte_changed(vmf)) {\n\t\t/* Lost the race'
				: 'page_table = pte_offset_map_lock(mm, pmd, address, &ptl);\n\t\tif (!pte_none(*page_table))\n\t\t\tgoto release;\n\t\tinc_anon_rss');
			let steps = 0;
			while (!(a.top?.fn.name === 'do_anonymous_page' && currentLine(a) === lockLine)) {
				assert.equal(run(a, 1).kind, 'budget');
				assert.ok(++steps < 10_000, 'A never reached the PTE lock');
			}
			// B (CPU 1, same mm) takes the same fault and wins.
			k.machine.cpus[1].mmu.setCr3(pgdPhys);
			const b = createUserThread(k, user, 1, 'poke', [target]);
			assert.deepEqual(runWithFaults(b, 1_000_000), { kind: 'exited', code: 42 });
			const winner = walk(k, pgdPhys, target)[3];
			assert.equal(winner.present, true);
			k.machine.cpus[1].mmu.setCr3(k.pgdPhys);
			assert.equal(before - call(k, 1, 'nr_free_pages'), 2);
			// A finds the PTE populated, backs out silently, and its write lands in B's page.
			assert.deepEqual(runWithFaults(a, 1_000_000), { kind: 'exited', code: 42 });
			assert.equal(walk(k, pgdPhys, target)[3].raw, winner.raw);
			assert.equal(before - call(k, 1, 'nr_free_pages'), 1);
			assert.deepEqual(k.lockReports, []);
		});

		it('an access outside every VMA ends the thread with SIGSEGV and allocates nothing', () => {
			const before = call(k, 1, 'nr_free_pages');
			for (const address of [HOLE, ANON + ANON_PAGES * PAGE, 0]) {
				const thread = createUserThread(k, user, 0, 'poke', [address]);
				const stop = runWithFaults(thread, 1_000_000);
				assert.equal(stop.kind, 'trap', JSON.stringify(stop));
				assert.equal(stop.kind === 'trap' ? stop.signal : undefined, 11);
				assert.match(stop.kind === 'trap' ? stop.message : '', /^SIGSEGV at address /);
			}
			assert.equal(call(k, 1, 'nr_free_pages'), before);
			assert.equal(walk(k, pgdPhys, HOLE).at(-1)?.present, false);
		});
	});
}
