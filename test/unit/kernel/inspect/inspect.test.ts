// The kernel inspector (src/kernel/inspect) on a booted KC kernel, one boot per era: typed reads by
// name (init_mm, init_task, mem_map), side-effect-free translation, the free lists against
// nr_free_pages(), an address space built with boot_test_new_mm / boot_test_map_anon and faulted in
// from a user thread (VMA view, page-table walk), the invariant checker on the healthy machine, and
// each invariant violated on purpose by writing physical memory (then restored from a snapshot).

import * as assert from 'node:assert/strict';
import { compileUnit } from '../../../../src/lang/frontEnd';
import { memorySources } from '../../../../src/lang/preprocessor';
import { formatDiagnostic } from '../../../../src/lang/source';
import { FlatLayout, KernelLayout, type Value } from '../../../../src/interp/contracts';
import { run } from '../../../../src/interp/cpu';
import { linkProgram } from '../../../../src/interp/linker';
import type { Program } from '../../../../src/interp/program';
import { BOOT_FRAMES_BASE, bootKernel, kernelThread, type BootedKernel } from '../../../../src/kernel/boot';
import { createUserThread, runWithFaults } from '../../../../src/kernel/faults';
import type { MachineSnapshot } from '../../../../src/kernel/hw/machine';
import {
	checkInvariants, freeFrames, freeLists, InspectError, invariantReport, KernelReader, loadKernelConstants, memMap,
	mmPgdPhys, nrFreePages, pageObject, pageView, pfnOfPage, tasks, vmas, walkPageTables,
	type KernelConstants, type Violation,
} from '../../../../src/kernel/inspect';
import { findProfile } from '../../../../src/sim/profiles';
import { kernelFiles } from '../mm/kernelHarness';

const RAM = 16 << 20;
const PAGE = 4096;
const ANON = FlatLayout.heapBase;
const ANON_PAGES = 4;
const STACK_START = FlatLayout.stackTop - FlatLayout.stackSize;

const files: Record<string, string> = { ...kernelFiles() };
const sources = memorySources(files, ['include']);

const USER_SOURCE = `
int poke(long *p)
{
	*p = 42;
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

/** Calls `name(args)` on CPU 1's kernel thread and returns its result. */
function call(k: BootedKernel, name: string, args: readonly Value[] = []): number {
	const stop = run(kernelThread(k, 1, name, args), 10_000_000);
	assert.equal(stop.kind, 'exited', JSON.stringify(stop));
	return stop.kind === 'exited' ? stop.code : -1;
}

/** Writes `bytes` little-endian bytes of `value` at kernel address `va`, through physical memory. */
function poke(reader: KernelReader, va: number, value: bigint, bytes: 4 | 8): void {
	const pa = reader.memory.physOf(va);
	assert.ok(pa !== null, `kernel address 0x${va.toString(16)} is mapped`);
	const data = new Uint8Array(bytes);
	const view = new DataView(data.buffer);
	if (bytes === 8) view.setBigUint64(0, BigInt.asUintN(64, value), true);
	else view.setUint32(0, Number(BigInt.asUintN(32, value)), true);
	assert.equal(reader.booted.machine.phys.write(pa, data), true);
}

function kinds(violations: readonly Violation[]): string[] {
	return [...new Set(violations.map(v => v.kind))].sort();
}

for (const name of ['linux-6.8', 'linux-2.6.18']) {
	describe(`kernel inspector (${name})`, function () {
		this.timeout(120000);
		let k: BootedKernel;
		let constants: KernelConstants;
		let reader: KernelReader;
		let mm: number;
		let pgdPhys: number;
		let healthy: MachineSnapshot;

		before(() => {
			const profile = findProfile(name);
			assert.ok(profile !== undefined);
			k = bootKernel({ ramBytes: RAM, cpus: 2, profile, sources });
			assert.deepEqual(k.diagnostics.filter(d => d.severity === 'error').map(formatDiagnostic), []);
			assert.equal(k.booted, true, k.log.text());
			constants = loadKernelConstants(sources, profile.defines);
			assert.deepEqual(constants.diagnostics.filter(d => d.severity === 'error').map(formatDiagnostic), []);
			reader = new KernelReader(k, { constants });
		});

		it('reads init_mm, init_task and max_mapnr by name, with the checker\'s layouts', () => {
			const initMm = reader.global('init_mm');
			assert.equal(initMm.typeName, 'struct mm_struct');
			assert.equal(reader.memory.physOf(initMm.member('pgd').pointer()), k.pgdPhys);
			assert.equal(initMm.member('mmap').isNull(), true);
			assert.equal(initMm.member('map_count').value(), 0);
			assert.equal(initMm.member('mm_users').member('counter').value(), 2);
			assert.equal(initMm.member('task_size').value(), Number(constants.values.get('TASK_SIZE')));
			const init = reader.global('init_task');
			assert.equal(init.member('comm').cString(), 'swapper');
			assert.equal(init.member('active_mm').pointer(), initMm.address);
			// A pointer member read through a pointer auto-dereferences, as drgn does.
			assert.equal(init.member('active_mm').member('pgd').pointer(), initMm.member('pgd').pointer());
			assert.equal(reader.global('max_mapnr').value(), RAM / PAGE);
			// offsetof from the kernel's own layout, container_of back.
			const tasksOffset = reader.offsetOf('struct task_struct', 'tasks');
			assert.equal(init.member('tasks').address, init.address + tasksOffset);
			assert.equal(reader.containerOf(init.member('tasks').address, 'struct task_struct', 'tasks').address, init.address);
			assert.deepEqual(tasks(reader).map(t => [t.pid, t.comm, t.mm]), [[0, 'swapper', 0]]);
			// An enum of the headers decodes.
			assert.equal(reader.enumName('zone_type', 0), 'ZONE_NORMAL');
		});

		it('refuses what the kernel does not have and NULL, with InspectError', () => {
			assert.throws(() => reader.global('no_such_global'), InspectError);
			assert.throws(() => reader.global('init_task').member('no_such_member'), InspectError);
			assert.throws(() => reader.global('init_task').member('mm').deref(), /NULL pointer/);
			assert.throws(() => reader.object('struct no_such_tag', 0), InspectError);
			assert.throws(() => reader.global('init_task').value(), /not a scalar/);
			// MMIO or a hole is never read.
			assert.throws(() => reader.memory.readPhys(0xfee00000, 8), /is not memory/);
		});

		it('reads without touching TLBs, accessed/dirty bits or fault state', () => {
			const init = reader.global('init_task');
			const walk = k.machine.cpus[0].mmu.probe(init.address, k.pgdPhys);
			assert.ok(walk.physicalAddress !== null, 'init_task is in the image, mapped by the kernel page tables');
			const entryAddress = walk.steps[walk.steps.length - 1].entryAddress;
			const pteBefore = reader.memory.readPhys64(entryAddress);
			const tlbBefore = k.machine.cpus.map(cpu => JSON.stringify(cpu.mmu.tlbEntries()));
			const sentinel = { reason: 'bus' as const, address: 1, access: 'read' as const, physicalAddress: 1 };
			k.machine.phys.fault = sentinel;
			assert.equal(init.member('comm').cString(), 'swapper');
			assert.throws(() => reader.memory.readPhys(RAM + 0x1000, 8), InspectError);
			assert.equal(k.machine.phys.fault, sentinel);
			k.machine.phys.fault = null;
			assert.deepEqual(k.machine.cpus.map(cpu => JSON.stringify(cpu.mmu.tlbEntries())), tlbBefore);
			assert.deepEqual(k.machine.cpus.map(cpu => cpu.bus.fault), [null, null]);
			assert.equal(reader.memory.readPhys64(entryAddress), pteBefore);
		});

		it('mem_map: boot frames are reserved, free blocks are PG_buddy heads, and the free lists add up to nr_free_pages()', () => {
			const map = memMap(reader);
			assert.equal(map.count, RAM / PAGE);
			const boot = pageView(reader, BOOT_FRAMES_BASE / PAGE);
			assert.ok(boot.flagNames.includes('PG_reserved'), boot.flagNames.join(' '));
			assert.equal(boot.refcount, 1);
			assert.equal(boot.mapcount, 0);
			// _mapcount is a signed int: -1 for an unmapped page.
			assert.equal(pageObject(reader, BOOT_FRAMES_BASE / PAGE).member('_mapcount').member('counter').value(), -1);
			const zones = freeLists(reader);
			assert.equal(zones.length, 1);
			assert.equal(zones[0].name, 'Normal');
			assert.deepEqual(zones[0].problems, []);
			const free = freeFrames(reader);
			assert.equal(free.size, call(k, 'nr_free_pages'));
			assert.equal(nrFreePages(reader), free.size);
			assert.ok(!free.has(BOOT_FRAMES_BASE / PAGE));
			const largest = zones[0].orders.filter(o => o.blocks.length > 0).at(-1)!;
			const head = pageView(reader, largest.blocks[0].pfn);
			assert.ok(head.flagNames.includes('PG_buddy'), head.flagNames.join(' '));
			assert.equal(head.private, largest.order);
			assert.equal(head.refcount, 0);
			// listForEach is list_for_each_entry: the same heads, and pfnOfPage inverts mem_map[pfn].
			const area = reader.global('contig_page_data').member('node_zones').index(0).member('free_area').index(largest.order);
			const listed = reader.listForEach(area.member('free_list'), 'struct page', 'lru');
			assert.deepEqual(listed.map(p => pfnOfPage(reader, p.address)), largest.blocks.map(b => b.pfn));
		});

		it('an address space faulted in from a user thread: VMAs, page-table walk, invariants hold', () => {
			const freeBefore = freeFrames(reader).size;
			pgdPhys = call(k, 'boot_test_new_mm');
			assert.equal(call(k, 'boot_test_map_anon', [ANON, ANON_PAGES * PAGE]), 0);
			assert.equal(call(k, 'boot_test_map_anon', [STACK_START, FlatLayout.stackSize]), 0);
			k.machine.cpus[0].mmu.setCr3(pgdPhys);
			const user = userProgram();
			for (const address of [ANON, ANON + 2 * PAGE]) {
				assert.deepEqual(runWithFaults(createUserThread(k, user, 0, 'poke', [address]), 1_000_000), { kind: 'exited', code: 42 });
			}
			k.machine.cpus[0].mmu.setCr3(k.pgdPhys);

			const all = tasks(reader);
			assert.equal(all.length, 1);
			mm = all[0].mm;
			assert.notEqual(mm, 0);
			assert.equal(mmPgdPhys(reader, mm), pgdPhys);
			const list = vmas(reader, mm);
			assert.deepEqual(list.map(v => [v.start, v.end]), [[ANON, ANON + ANON_PAGES * PAGE], [STACK_START, FlatLayout.stackTop]]);
			for (const v of list) {
				assert.equal(v.mm, mm);
				assert.deepEqual(v.flagNames, ['VM_READ', 'VM_WRITE', 'VM_MAYREAD', 'VM_MAYWRITE', 'VM_MAYEXEC']);
				assert.equal(v.file, 0);
			}
			assert.equal(reader.object('struct mm_struct', mm).member('map_count').value(), 2);

			const walk = walkPageTables(reader, pgdPhys);
			assert.deepEqual(walk.problems, []);
			const data = walk.leaves.filter(l => l.va >= ANON && l.va < ANON + ANON_PAGES * PAGE);
			assert.deepEqual(data.map(l => l.va), [ANON, ANON + 2 * PAGE]);
			for (const leaf of data) {
				assert.equal(leaf.level, 1);
				assert.equal(leaf.entry.present && leaf.entry.user && leaf.entry.writable && leaf.userPath, true);
				// The frame holds what the user wrote, and the MMU agrees with the walk.
				assert.equal(reader.memory.readPhys64(leaf.entry.physicalAddress), 42n);
				assert.equal(k.machine.cpus[0].mmu.probe(leaf.va, pgdPhys).physicalAddress, leaf.entry.physicalAddress);
				const page = pageView(reader, leaf.pfn);
				assert.ok(page.refcount >= 1);
				assert.ok(!page.flagNames.includes('PG_buddy'));
			}
			// pgd, PUD, PMD and PTE tables of the data pages; every other leaf is on the stack.
			assert.ok(walk.tables.length >= 4);
			for (const leaf of walk.leaves) assert.ok(leaf.va >= STACK_START || leaf.va < ANON + ANON_PAGES * PAGE);
			// Two data pages and at least the PUD, PMD and PTE tables left the free lists.
			assert.equal(freeFrames(reader).size, call(k, 'nr_free_pages'));
			assert.ok(freeBefore - freeFrames(reader).size >= 2 + 3);

			// The kernel keeps _mapcount in step with the PTEs (rmap) or not yet: either way the
			// checker's verdict is exact: nothing, or exactly those pages with mapcount 0.
			const unaccounted = walk.leaves.filter(l => pageView(reader, l.pfn).mapcount === 0).map(l => l.pfn).sort((a, b) => a - b);
			const report = invariantReport(k, { constants });
			assert.deepEqual(report.skipped, []);
			assert.deepEqual(report.checked.sort(), ['free-lists', 'locks', 'mapcount', 'page-tables', 'refcount', 'tasks', 'vmas']);
			assert.deepEqual(report.violations.filter(v => v.kind !== 'mapcount-mismatch'), []);
			assert.deepEqual(report.violations.map(v => v.pfn).sort((a, b) => a! - b!), unaccounted);
			healthy = k.machine.snapshot();
		});

		/** The violations after `corrupt`, with the machine put back afterwards. */
		function violationsAfter(corrupt: () => void): Violation[] {
			const baseline = checkInvariants(k, { constants });
			try {
				corrupt();
				const after = checkInvariants(k, { constants });
				const known = new Set(baseline.map(v => v.message));
				return after.filter(v => !known.has(v.message));
			} finally {
				k.machine.restore(healthy);
			}
		}

		it('a PTE pointing at a free frame is reported (and the frame\'s counts with it)', () => {
			const leaf = walkPageTables(reader, pgdPhys).leaves.find(l => l.va === ANON)!;
			const freePfn = [...freeFrames(reader)][10];
			const violations = violationsAfter(() => {
				const raw = (leaf.entry.raw & ~0x000f_ffff_ffff_f000n) | (BigInt(freePfn) << 12n);
				const bytes = new Uint8Array(8);
				new DataView(bytes.buffer).setBigUint64(0, raw, true);
				k.machine.phys.write(leaf.entryAddress, bytes);
			});
			const hit = violations.filter(v => v.kind === 'pte-maps-free-frame');
			assert.equal(hit.length, 1, JSON.stringify(violations));
			assert.equal(hit[0].pfn, freePfn);
			assert.equal(hit[0].mm, mm);
			assert.equal(hit[0].address, ANON);
			assert.ok(hit[0].source.includes('section 1'));
			assert.ok(violations.some(v => v.kind === 'mapcount-mismatch' && v.pfn === freePfn));
		});

		it('a bumped mapcount is reported for that page only', () => {
			const pgdPfn = pgdPhys / PAGE;
			const counter = pageObject(reader, pgdPfn).member('_mapcount').member('counter');
			const violations = violationsAfter(() => poke(reader, counter.address, BigInt(counter.number() + 1), 4));
			assert.deepEqual(violations.map(v => [v.kind, v.pfn]), [['mapcount-mismatch', pgdPfn]]);
			assert.match(violations[0].message, /page_mapcount\(\) is 1 but 0 PTEs map it/);
		});

		it('a VMA list that loops is reported, never followed forever, and the mapcount check stands down', () => {
			const second = vmas(reader, mm)[1];
			let report = invariantReport(k, { constants });
			try {
				poke(reader, second.object.member('vm_next').address, BigInt(second.address), 8);
				report = invariantReport(k, { constants });
			} finally {
				k.machine.restore(healthy);
			}
			const corrupt = report.violations.filter(v => v.kind === 'list-corrupt');
			assert.equal(corrupt.length, 1, JSON.stringify(report.violations));
			assert.equal(corrupt[0].mm, mm);
			assert.match(corrupt[0].message, /reached twice/);
			assert.deepEqual(report.skipped.map(s => s.check), ['mapcount']);
			assert.equal(vmas(reader, mm).length, 2);
		});

		it('a wild vm_next, overlapping VMAs and a wrong map_count are each reported', () => {
			const [first, second] = vmas(reader, mm);
			const wild = violationsAfter(() => poke(reader, second.object.member('vm_next').address, 0x5000n, 8));
			assert.deepEqual(kinds(wild), ['list-corrupt']);
			assert.match(wild[0].message, /cannot be read/);
			const overlap = violationsAfter(() => poke(reader, second.object.member('vm_start').address, BigInt(first.end - PAGE), 8));
			assert.ok(kinds(overlap).includes('vma-overlap'), JSON.stringify(overlap));
			const count = violationsAfter(() => poke(reader, reader.object('struct mm_struct', mm).member('map_count').address, 3n, 4));
			assert.deepEqual(count.map(v => v.kind), ['map-count-mismatch']);
		});

		it('a task list cycle, a user-accessible kernel PTE and a free-list count error are each reported', () => {
			const init = reader.global('init_task');
			// init_task.tasks.next pointing at itself+8 (its own prev field): a list that never returns to the head.
			const loop = violationsAfter(() => {
				const head = init.member('tasks');
				poke(reader, head.member('next').address, BigInt(head.member('prev').address), 8);
				poke(reader, head.member('prev').address, BigInt(head.member('prev').address), 8);
			});
			assert.ok(kinds(loop).includes('list-corrupt'), JSON.stringify(loop));
			const probe = k.machine.cpus[0].mmu.probe(init.address, k.pgdPhys);
			const pte = probe.steps[probe.steps.length - 1];
			const userKernel = violationsAfter(() => {
				for (const step of probe.steps) {
					const bytes = new Uint8Array(8);
					new DataView(bytes.buffer).setBigUint64(0, step.entry.raw | 4n, true);
					k.machine.phys.write(step.entryAddress, bytes);
				}
			});
			assert.ok(userKernel.some(v => v.kind === 'user-pte-above-task-size' && v.address === Math.floor(init.address / PAGE) * PAGE), JSON.stringify(userKernel.map(v => v.message)));
			assert.equal(pte.entry.user, false);
			const nrFree = reader.global('contig_page_data').member('node_zones').index(0).member('free_area').index(0).member('nr_free');
			const counts = violationsAfter(() => poke(reader, nrFree.address, BigInt(nrFree.number() + 1), 8));
			assert.deepEqual(counts.map(v => v.kind), ['free-list-corrupt']);
		});

		it('a lock still held by a task that has exited is reported', () => {
			const saved = k.locks.snapshot();
			try {
				const id = k.locks.createLock({ kind: 'mutex', name: 'test_mutex', address: KernelLayout.dataBase });
				const site = { file: 'test.c', line: 1, col: 1, fn: 'test' };
				assert.equal(k.locks.tryAcquire('42', id, 'exclusive', site).status, 'acquired');
				assert.deepEqual(checkInvariants(k, { constants, checks: ['locks'] }), []);
				k.locks.taskExit('42', site);
				const violations = checkInvariants(k, { constants, checks: ['locks'] });
				assert.deepEqual(violations.map(v => [v.kind, v.task]), [['lock-held-by-exited-task', '42']]);
				assert.match(violations[0].message, /test_mutex/);
			} finally {
				k.locks.restore(saved);
				k.lockReports.length = 0;
			}
		});

		it('without header constants the reader still works and the checker says what it skipped', () => {
			const bare = new KernelReader(k);
			assert.deepEqual(pageView(bare, BOOT_FRAMES_BASE / PAGE).flagNames, []);
			assert.equal(vmas(bare, mm).length, 2);
			const report = invariantReport(k, { reader: bare });
			assert.deepEqual(report.skipped.map(s => s.check), ['mapcount']);
			assert.deepEqual(report.violations, []);
		});
	});
}
