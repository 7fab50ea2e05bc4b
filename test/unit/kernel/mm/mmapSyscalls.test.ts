// The anonymous-memory system calls of the KC kernel (kc/kernel/mm/mmap.c, util.c, mprotect.c,
// mremap.c, madvise.c) on a booted machine, for linux-6.8 and linux-2.6.18: the VMA list after
// mmap, munmap, mprotect, mremap and madvise split and merge it, the error codes, the PTEs they
// change (read back from the page tables), the frames they free (nr_free_pages), brk, MAP_POPULATE,
// shared anonymous memory, and exit_mmap. Memory is touched by user threads that demand-fault
// through the KC fault handler, so a stale TLB entry or a missed PTE shows up as a wrong value or
// a missing SIGSEGV. The KC driver is test/unit/kernel/mm/kc/mmap_syscalls_test.c.

import * as assert from 'node:assert/strict';
import { compileUnit } from '../../../../src/lang/frontEnd';
import { memorySources } from '../../../../src/lang/preprocessor';
import { formatDiagnostic } from '../../../../src/lang/source';
import { FlatLayout, type Value } from '../../../../src/interp/contracts';
import { injectCall, run } from '../../../../src/interp/cpu';
import { linkProgram } from '../../../../src/interp/linker';
import type { Program } from '../../../../src/interp/program';
import { toBig } from '../../../../src/interp/values';
import { bootKernel, KERNEL_UNITS, kernelThread, PROCESS_UNITS, type BootedKernel } from '../../../../src/kernel/boot';
import { createUserThread, pageFaultErrorCode, runWithFaults } from '../../../../src/kernel/faults';
import { X86_PF_USER } from '../../../../src/kernel/hw/mmu';
import { findProfile } from '../../../../src/sim/profiles';
import { kernelFiles } from './kernelHarness';

const DRIVER = 'test/mmap_syscalls_test.c';
const OUR_UNITS = ['mm/madvise.c', 'mm/mmap.c', 'mm/mprotect.c', 'mm/mremap.c', 'mm/util.c'];

const files: Record<string, string> = { ...kernelFiles() };

const P = 4096;
const RAM = 16 << 20;

const PROT_NONE = 0;
const PROT_READ = 1;
const PROT_WRITE = 2;
const PROT_EXEC = 4;
const PROT_GROWSDOWN = 0x01000000;
const RW = PROT_READ | PROT_WRITE;
const MAP_SHARED = 0x01;
const MAP_PRIVATE = 0x02;
const MAP_FIXED = 0x10;
const MAP_ANONYMOUS = 0x20;
const MAP_GROWSDOWN = 0x100;
const MAP_NORESERVE = 0x4000;
const MAP_POPULATE = 0x8000;
const MAP_FIXED_NOREPLACE = 0x100000;
const ANON = MAP_PRIVATE | MAP_ANONYMOUS;
const MREMAP_MAYMOVE = 1;
const MREMAP_FIXED = 2;
const MREMAP_DONTUNMAP = 4;
const MADV_NORMAL = 0;
const MADV_RANDOM = 1;
const MADV_WILLNEED = 3;
const MADV_DONTNEED = 4;

const VM_READ = 0x1;
const VM_WRITE = 0x2;
const VM_SHARED = 0x8;
const VM_MAYREAD = 0x10;
const VM_MAYWRITE = 0x20;
const VM_MAYEXEC = 0x40;
const VM_MAYSHARE = 0x80;
const VM_GROWSDOWN = 0x100;
const VM_RAND_READ = 0x10000;
const VM_ACCOUNT = 0x100000;
const VM_NORESERVE = 0x200000;
/** Set by tmpfs's ->mmap in 2.6.23-3.x (remap_file_pages support); not checked here. */
const VM_CAN_NONLINEAR = 0x08000000;
const MAY = VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC;

const EBADF = 9;
const EACCES = 13;
const ENOMEM = 12;
const EFAULT = 14;
const EEXIST = 17;
const EINVAL = 22;

const _PAGE_PRESENT = 1n;
const _PAGE_RW = 2n;
const _PAGE_PROTNONE = 0x100n;
const PFN_MASK = 0x000f_ffff_ffff_f000n;

const FMODE_READ = 0x1;
const FMODE_WRITE = 0x2;

const SIGSEGV = 11;

/** x86-64's first bottom-up mmap address (TASK_SIZE / 3, page aligned), 2.6.18's first choice. */
const TASK_UNMAPPED_BASE = 0x2aaa_aaaa_b000;
/** 6.8's mmap_base with randomization off: 128 MiB under TASK_SIZE. */
const MMAP_BASE = 0x7fff_f7ff_f000;
/** The user stack the user threads run on: 64 KiB under FlatLayout.stackTop. */
const STACK = FlatLayout.stackTop - 16 * P;

/** Test areas, each in a 1 GiB region of its own (own page tables, so frees can be counted). */
const AREA = (n: number): number => 0x10_0000_0000 + n * 0x4000_0000;

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

interface Vma {
	readonly start: number;
	readonly end: number;
	readonly flags: number;
	readonly pgoff: number;
	readonly file: boolean;
}

/** KERNEL_VERSION(a, b, c) */
const KV = (a: number, b: number, c: number): number => (a << 16) + (b << 8) + c;

for (const name of ['linux-6.8', 'linux-2.6.18']) {
	const version = Number(findProfile(name)?.defines.LINUX_VERSION_CODE);
	/** Era switches this file checks (see the headers of the mm/ sources for where each comes from). */
	const era = {
		topDown: version >= KV(2, 6, 25),
		noReplace: version >= KV(4, 17, 0),
		populatesAnon: version >= KV(2, 6, 23),
		exclusiveWritable: version >= KV(6, 0, 0),
		mapleMremap: version >= KV(6, 1, 0),
		dontUnmap: version >= KV(5, 7, 0),
		adviceCheckedFirst: version >= KV(2, 6, 31),
		willneedAnon: version >= KV(3, 5, 0),
		brkAboveData: version >= KV(5, 0, 0),
		stackGuardGap: version >= KV(4, 12, 0),
		noReserveFlag: version >= KV(3, 7, 0),
	};

	describe(`mmap, munmap, mprotect, mremap, madvise and brk (${name})`, function () {
		this.timeout(120000);
		let k: BootedKernel;
		let user: Program;
		let mm: Value;
		let pgd: number;

		/** Calls the KC function `fn(args)` on CPU 1's kernel thread; its full 64-bit result (signed). */
		function kraw(fn: string, ...args: Value[]): Value {
			const thread = kernelThread(k, 1, 'ms_current_mm');
			let result: Value | undefined;
			injectCall(thread, fn, args, ret => {
				result = ret;
				return { kind: 'resume' };
			});
			const stop = run(thread, 50_000_000);
			assert.equal(stop.kind, 'exited', `${fn}: ${JSON.stringify(stop)}\n${k.log.text()}`);
			return result ?? 0;
		}

		function kcall(fn: string, ...args: Value[]): number {
			return Number(BigInt.asIntN(64, toBig(kraw(fn, ...args))));
		}

		function mmap(addr: number, len: Value, prot: number, flags: number, pgoff = 0): number {
			return kcall('ms_mmap', addr, len, prot, flags, pgoff);
		}

		function pte(addr: number): bigint {
			return BigInt.asUintN(64, toBig(kraw('ms_pte', addr)));
		}

		function pfn(addr: number): number {
			return Number((pte(addr) & PFN_MASK) >> 12n);
		}

		function vmas(): Vma[] {
			const n = kcall('ms_check_vmas');
			assert.ok(n >= 0, `VMA list invariant ${n}`);
			const out: Vma[] = [];
			for (let i = 0; i < n; i++) {
				out.push({ start: kcall('ms_vma', i, 0), end: kcall('ms_vma', i, 1), flags: kcall('ms_vma', i, 2), pgoff: kcall('ms_vma', i, 3), file: kcall('ms_vma', i, 4) === 1 });
			}
			return out;
		}

		/** The VMAs inside [lo, hi) as [start, end] pairs. */
		function ranges(lo: number, hi: number): [number, number][] {
			return vmas().filter(v => v.start >= lo && v.end <= hi).map(v => [v.start, v.end]);
		}

		function vmaAt(addr: number): Vma | undefined {
			return vmas().find(v => v.start <= addr && addr < v.end);
		}

		function freePages(): number {
			return kcall('nr_free_pages');
		}

		/** Runs a user function on CPU 0 in the current address space, demand-faulting. */
		function userRun(fn: string, ...args: Value[]) {
			return runWithFaults(createUserThread(k, user, 0, fn, args), 1_000_000);
		}

		function poke(addr: number, value: number): void {
			assert.deepEqual(userRun('poke', addr, value), { kind: 'exited', code: value }, `poke ${addr.toString(16)}`);
		}

		function peek(addr: number): number {
			const stop = userRun('peek', addr);
			assert.equal(stop.kind, 'exited', `peek ${addr.toString(16)}: ${JSON.stringify(stop)}`);
			return stop.kind === 'exited' ? stop.code : -1;
		}

		/**
		 * The user access faults in the MMU (so no CPU kept a stale translation), and the KC fault
		 * handler's verdict for it is SIGSEGV (no VMA, or one whose flags forbid the access). The
		 * verdict is asked with the error code's user bit cleared: the same VMA checks, without
		 * queueing the signal on the test's task.
		 */
		function segv(fn: 'poke' | 'peek', addr: number): void {
			const stop = run(createUserThread(k, user, 0, fn, [addr, 7]), 1_000_000);
			assert.equal(stop.kind, 'fault', `${fn} ${addr.toString(16)}: ${JSON.stringify(stop)}`);
			if (stop.kind !== 'fault') return;
			assert.equal(stop.fault.address, addr);
			assert.equal(kcall('do_page_fault', pageFaultErrorCode(stop.fault, 'user') & ~X86_PF_USER, addr), SIGSEGV);
		}

		function useMm(target: Value): void {
			pgd = kcall('ms_use_mm', target);
			for (const cpu of k.machine.cpus) cpu.mmu.setCr3(pgd);
		}

		before(() => {
			const profile = findProfile(name);
			assert.ok(profile !== undefined);
			const units = [...new Set([...KERNEL_UNITS, ...PROCESS_UNITS, ...OUR_UNITS]), DRIVER];
			k = bootKernel({ ramBytes: RAM, cpus: 2, profile, sources: memorySources(files, ['include']), units });
			assert.deepEqual(k.diagnostics.filter(d => d.severity === 'error').map(formatDiagnostic), []);
			assert.equal(k.booted, true, k.log.text());
			user = userProgram();
			mm = kraw('ms_mm_new');
			useMm(mm);
			// The user threads' stack, a stack VMA as exec makes (MAP_GROWSDOWN sets VM_GROWSDOWN).
			assert.equal(mmap(STACK, 16 * P, RW, ANON | MAP_FIXED | MAP_GROWSDOWN), STACK);
		});

		afterEach(() => {
			assert.deepEqual(k.lockReports, []);
			assert.ok(kcall('ms_check_vmas') >= 0);
		});

		it('mmap places anonymous memory by the era\'s layout (6.8 top-down under mmap_base, 2.6.18 bottom-up from TASK_UNMAPPED_BASE) and merges adjacent alike VMAs (kernel-semantics §1 vm_flags)', () => {
			const stack = vmaAt(STACK)!;
			assert.equal(stack.flags & VM_GROWSDOWN, VM_GROWSDOWN);
			const count = kcall('ms_map_count');
			const total = kcall('ms_mm_counter', 0);
			const a = mmap(0, 2 * P, RW, ANON);
			const b = mmap(0, 3 * P, RW, ANON);
			if (era.topDown) {
				assert.equal(a, MMAP_BASE - 2 * P);
				assert.equal(b, a - 3 * P);
			} else {
				assert.equal(a, TASK_UNMAPPED_BASE);
				assert.equal(b, a + 2 * P);
			}
			// One VMA: the second mapping extended the first (vma_merge), pgoff = its start page.
			const lo = Math.min(a, b);
			const merged = vmaAt(a)!;
			assert.deepEqual([merged.start, merged.end], [lo, lo + 5 * P]);
			assert.equal(merged.pgoff, lo / P);
			assert.equal(merged.file, false);
			// Private writable anonymous memory: the prot bits, every VM_MAY*, and a reservation.
			assert.equal(merged.flags, VM_READ | VM_WRITE | MAY | VM_ACCOUNT);
			assert.equal(kcall('ms_map_count'), count + 1);
			assert.equal(kcall('ms_mm_counter', 0), total + 5);
			// A read-only neighbour stays a VMA of its own, without VM_ACCOUNT.
			const c = mmap(0, P, PROT_READ, ANON);
			assert.equal(c, era.topDown ? lo - P : lo + 5 * P);
			assert.equal(vmaAt(c)!.flags, VM_READ | MAY);
			assert.equal(kcall('ms_map_count'), count + 2);
			// MAP_NORESERVE: no reservation, and (6.8) VM_NORESERVE instead of VM_ACCOUNT.
			const d = mmap(AREA(0), P, RW, ANON | MAP_NORESERVE);
			assert.equal(vmaAt(d)!.flags, VM_READ | VM_WRITE | MAY | (era.noReserveFlag ? VM_NORESERVE : 0));
			assert.equal(kcall('ms_munmap', d, P), 0);
			assert.equal(kcall('ms_munmap', Math.min(lo, c), 6 * P), 0);
			assert.equal(kcall('ms_map_count'), count);
			assert.equal(kcall('ms_mm_counter', 0), total);
		});

		it('mmap errors: EINVAL (len 0, no mapping type, unaligned MAP_FIXED), ENOMEM (too long, beyond TASK_SIZE), and MAP_FIXED_NOREPLACE: EEXIST on 6.8, an unknown bit (a hint) on 2.6.18', () => {
			const X = AREA(0);
			assert.equal(mmap(X, 0, RW, ANON), -EINVAL);
			assert.equal(mmap(X, P, RW, MAP_ANONYMOUS), -EINVAL);
			assert.equal(mmap(X, P, RW, MAP_ANONYMOUS | MAP_SHARED | MAP_PRIVATE), -EINVAL);
			assert.equal(mmap(X + 1, P, RW, ANON | MAP_FIXED), -EINVAL);
			assert.equal(mmap(X, 2n ** 64n - 100n, RW, ANON), -ENOMEM);
			assert.equal(mmap(0, 2 ** 47, RW, ANON), -ENOMEM);
			assert.equal(mmap(2 ** 47 - 2 * P, 2 * P, RW, ANON | MAP_FIXED), -ENOMEM);
			assert.deepEqual(ranges(X, X + 0x4000_0000), []);

			assert.equal(mmap(X, 2 * P, RW, ANON | MAP_FIXED), X);
			poke(X, 11);
			const noreplace = mmap(X, P, PROT_READ, ANON | MAP_FIXED_NOREPLACE);
			if (era.noReplace) {
				assert.equal(noreplace, -EEXIST);
			} else {
				// The address was only a hint, and taken: the mapping goes elsewhere.
				assert.ok(noreplace > 0 && noreplace !== X, noreplace.toString(16));
				assert.equal(kcall('ms_munmap', noreplace, P), 0);
			}
			assert.deepEqual(ranges(X, X + 0x4000_0000), [[X, X + 2 * P]]);
			assert.equal(peek(X), 11);
			// A free hint is taken as it is.
			assert.equal(mmap(X + 4 * P, P, RW, ANON), X + 4 * P);
			assert.equal(kcall('ms_munmap', X, 5 * P), 0);
		});

		it('MAP_FIXED replaces what is there: the VMA is split around it, the old pages are unmapped and freed, the range reads zeros', () => {
			const X = AREA(1);
			assert.equal(mmap(X, 4 * P, RW, ANON | MAP_FIXED), X);
			for (let i = 0; i < 4; i++) poke(X + i * P, 100 + i);
			const before = freePages();
			assert.equal(mmap(X + P, 2 * P, PROT_READ, ANON | MAP_FIXED), X + P);
			assert.deepEqual(ranges(X, X + 4 * P), [[X, X + P], [X + P, X + 3 * P], [X + 3 * P, X + 4 * P]]);
			assert.equal(vmaAt(X + P)!.flags, VM_READ | MAY);
			// The two old pages went back to the allocator; the PTE table stays (its other PTEs live).
			assert.equal(pte(X + P), 0n);
			assert.equal(pte(X + 2 * P), 0n);
			assert.equal(freePages(), before + 2);
			assert.equal(peek(X + P), 0);
			assert.equal(peek(X), 100);
			assert.equal(peek(X + 3 * P), 103);
			segv('poke', X + 2 * P);
			assert.equal(kcall('ms_munmap', X, 4 * P), 0);
		});

		it('munmap splits VMAs at both ends, zaps the range, and frees its frames and the page tables only it used, after the TLB flush (nr_free_pages back to where it was)', () => {
			const X = AREA(2);
			const count = kcall('ms_map_count');
			const start = freePages();
			assert.equal(mmap(X, 8 * P, RW, ANON | MAP_FIXED), X);
			for (let i = 0; i < 8; i++) poke(X + i * P, i + 1);
			// Eight pages plus the PUD, PMD and PTE tables of a fresh 1 GiB region (and maybe a slab
			// page for the VMA or anon_vma).
			const used = start - freePages();
			assert.ok(used >= 8 + 3 && used <= 8 + 3 + 2, `${used}`);
			const before = freePages();
			assert.equal(kcall('ms_munmap', X + 2 * P, 3 * P), 0);
			assert.deepEqual(ranges(X, X + 8 * P), [[X, X + 2 * P], [X + 5 * P, X + 8 * P]]);
			assert.equal(kcall('ms_map_count'), count + 2);
			// The upper piece keeps its file offset: pgoff of its own start page.
			assert.equal(vmaAt(X + 5 * P)!.pgoff, (X + 5 * P) / P);
			for (let i = 2; i < 5; i++) assert.equal(pte(X + i * P), 0n);
			assert.equal(freePages(), before + 3);
			assert.equal(peek(X + P), 2);
			assert.equal(peek(X + 5 * P), 6);
			segv('peek', X + 3 * P);
			// A range with holes and beyond every VMA is fine; unaligned or empty ranges are not.
			assert.equal(kcall('ms_munmap', X + 4 * P, 0x100 * P), 0);
			assert.deepEqual(ranges(X, X + 8 * P), [[X, X + 2 * P]]);
			assert.equal(kcall('ms_munmap', X + 1, P), -EINVAL);
			assert.equal(kcall('ms_munmap', X, 0), -EINVAL);
			assert.equal(kcall('ms_munmap', X, 2 ** 47), -EINVAL);
			assert.equal(kcall('ms_munmap', X, 2 * P), 0);
			assert.equal(kcall('ms_map_count'), count);
			assert.equal(kcall('ms_has_pte_table', X), 0);
			assert.equal(freePages(), start);
		});

		it('mprotect splits a VMA in three and merges it back; present PTEs lose and regain write access, the TLB is flushed (kernel-semantics §1 vm_flags, is_cow_mapping)', () => {
			const X = AREA(3);
			assert.equal(mmap(X, 4 * P, RW, ANON | MAP_FIXED), X);
			for (let i = 0; i < 4; i++) poke(X + i * P, 200 + i);
			const frame = pfn(X + P);
			assert.equal(pte(X + P) & _PAGE_RW, _PAGE_RW);
			const count = kcall('ms_map_count');

			assert.equal(kcall('ms_mprotect', X + P, 2 * P, PROT_READ), 0);
			assert.deepEqual(ranges(X, X + 4 * P), [[X, X + P], [X + P, X + 3 * P], [X + 3 * P, X + 4 * P]]);
			assert.equal(kcall('ms_map_count'), count + 2);
			// VM_ACCOUNT stays once reserved (6.8 drops it only from VMAs that never had a page).
			assert.equal(vmaAt(X + P)!.flags, VM_READ | MAY | VM_ACCOUNT);
			assert.equal(pte(X + P) & (_PAGE_RW | _PAGE_PRESENT), _PAGE_PRESENT);
			assert.equal(pfn(X + P), frame);
			assert.equal(pte(X) & _PAGE_RW, _PAGE_RW);
			// The user thread's CPU had a writable translation cached by the pokes: it was flushed.
			segv('poke', X + P);
			assert.equal(peek(X + P), 201);

			// Writable again: one VMA. 6.8 makes the exclusive anonymous PTEs writable at once;
			// 2.6.18 leaves them read-only (a private writable mapping's protection) for do_wp_page.
			assert.equal(kcall('ms_mprotect', X + P, 2 * P, RW), 0);
			assert.deepEqual(ranges(X, X + 4 * P), [[X, X + 4 * P]]);
			assert.equal(kcall('ms_map_count'), count);
			assert.equal(pte(X + P) & _PAGE_RW, era.exclusiveWritable ? _PAGE_RW : 0n);
			poke(X + P, 301);
			assert.equal(pfn(X + P), frame, 'the write reused the page: it was mapped only here');
			assert.equal(pte(X + P) & _PAGE_RW, _PAGE_RW);

			// PROT_NONE: the PTE stays (PROTNONE, not present to the MMU), any access faults.
			assert.equal(kcall('ms_mprotect', X, P, PROT_NONE), 0);
			assert.equal(pte(X) & (_PAGE_PRESENT | _PAGE_PROTNONE), _PAGE_PROTNONE);
			segv('peek', X);
			assert.equal(kcall('ms_mprotect', X, P, RW), 0);
			assert.equal(peek(X), 200);

			// Errors: unaligned, unknown bits; a hole gives ENOMEM after changing what precedes it.
			assert.equal(kcall('ms_mprotect', X + 1, P, PROT_READ), -EINVAL);
			assert.equal(kcall('ms_mprotect', X, P, 0x10), -EINVAL);
			assert.equal(kcall('ms_mprotect', X, 0, PROT_READ), 0);
			assert.equal(kcall('ms_mprotect', X + 8 * P, P, PROT_READ), -ENOMEM);
			assert.equal(kcall('ms_mprotect', X + 2 * P, 4 * P, PROT_READ), -ENOMEM);
			assert.deepEqual(ranges(X, X + 4 * P), [[X, X + 2 * P], [X + 2 * P, X + 4 * P]]);
			assert.equal(vmaAt(X + 3 * P)!.flags & VM_WRITE, 0);
			assert.equal(kcall('ms_munmap', X, 4 * P), 0);
		});

		it('mremap shrinks, grows in place, and moves with MREMAP_MAYMOVE / MREMAP_FIXED by moving the PTEs: the same frames at the new address, nothing copied or freed', () => {
			const X = AREA(4);
			assert.equal(mmap(X, 2 * P, RW, ANON | MAP_FIXED), X);
			poke(X, 41);
			poke(X + P, 42);
			const frames = [pfn(X), pfn(X + P)];
			assert.equal(kcall('ms_mremap', X, 2 * P, 4 * P, 0, 0), X);
			assert.deepEqual(ranges(X, X + 0x100 * P), [[X, X + 4 * P]]);
			assert.equal(kcall('ms_mremap', X, 4 * P, 3 * P, 0, 0), X);
			assert.deepEqual(ranges(X, X + 0x100 * P), [[X, X + 3 * P]]);
			// Something above: growing in place is impossible, and moving is not allowed.
			assert.equal(mmap(X + 3 * P, P, PROT_READ, ANON | MAP_FIXED), X + 3 * P);
			assert.equal(kcall('ms_mremap', X, 3 * P, 5 * P, 0, 0), -ENOMEM);

			const before = freePages();
			const moved = kcall('ms_mremap', X, 3 * P, 5 * P, MREMAP_MAYMOVE, 0);
			assert.ok(moved > 0 && moved !== X, moved.toString(16));
			assert.deepEqual([vmaAt(moved)!.start, vmaAt(moved)!.end], [moved, moved + 5 * P]);
			assert.equal(vmaAt(X), undefined);
			assert.deepEqual([pfn(moved), pfn(moved + P)], frames);
			assert.equal(pte(X), 0n);
			assert.equal(kcall('ms_page_mapcount', frames[0]), 1);
			// No data page was allocated or freed (new page tables at most).
			assert.ok(before - freePages() <= 3, `${before - freePages()}`);
			assert.equal(peek(moved), 41);
			assert.equal(peek(moved + P), 42);
			segv('peek', X);

			const F = AREA(5);
			assert.equal(kcall('ms_mremap', moved, 5 * P, 5 * P, MREMAP_MAYMOVE | MREMAP_FIXED, F), F);
			assert.deepEqual([pfn(F), pfn(F + P)], frames);
			assert.equal(peek(F + P), 42);
			assert.equal(vmaAt(moved), undefined);

			// Errors.
			assert.equal(kcall('ms_mremap', F, P, P, 8, 0), -EINVAL);
			assert.equal(kcall('ms_mremap', F, P, 2 * P, MREMAP_FIXED, F + 0x100 * P), -EINVAL);
			assert.equal(kcall('ms_mremap', F + 1, P, 2 * P, 0, 0), -EINVAL);
			assert.equal(kcall('ms_mremap', F, P, 0, 0, 0), -EINVAL);
			assert.equal(kcall('ms_mremap', F, 2 * P, 2 * P, MREMAP_MAYMOVE | MREMAP_FIXED, F + P), -EINVAL);
			assert.equal(kcall('ms_mremap', F + 0x100 * P, P, 2 * P, MREMAP_MAYMOVE, 0), -EFAULT);
			assert.equal(kcall('ms_mremap', F + 4 * P, 2 * P, 3 * P, MREMAP_MAYMOVE, 0), -EFAULT);
			// Shrinking an unmapped range: 2.6.18 only unmaps (nothing) and succeeds; 6.8 looks first.
			assert.equal(kcall('ms_mremap', F + 0x100 * P, 2 * P, P, 0, 0), era.mapleMremap ? -EFAULT : F + 0x100 * P);
			// Duplicating a private mapping (old_len 0): 6.8 refuses.
			if (era.mapleMremap) assert.equal(kcall('ms_mremap', F, 0, P, MREMAP_MAYMOVE, 0), -EINVAL);
			// 6.8's MREMAP_DONTUNMAP: the pages move, the old range stays mapped and reads zeros.
			if (era.dontUnmap) {
				const kept = kcall('ms_mremap', F, P, P, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, 0);
				assert.ok(kept > 0 && kept !== F, kept.toString(16));
				assert.equal(pfn(kept), frames[0]);
				assert.equal(pte(F), 0n);
				assert.deepEqual([vmaAt(F)!.start, vmaAt(F)!.end], [F, F + 5 * P]);
				assert.equal(peek(F), 0);
				assert.equal(peek(kept), 41);
				assert.equal(kcall('ms_mremap', F, P, 2 * P, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, 0), -EINVAL);
				assert.equal(kcall('ms_munmap', kept, P), 0);
			}
			assert.equal(kcall('ms_munmap', F, 5 * P), 0);
			assert.equal(kcall('ms_munmap', X, 4 * P), 0);
		});

		it('madvise MADV_DONTNEED zaps the range (private anonymous pages read back as zeros, their frames are freed); unmapped parts give ENOMEM after the mapped ones were advised', () => {
			const X = AREA(6);
			assert.equal(mmap(X, 3 * P, RW, ANON | MAP_FIXED), X);
			for (let i = 0; i < 3; i++) poke(X + i * P, 50 + i);
			const before = freePages();
			assert.equal(kcall('ms_madvise', X, 2 * P, MADV_DONTNEED), 0);
			assert.equal(pte(X), 0n);
			assert.equal(pte(X + P), 0n);
			assert.equal(freePages(), before + 2);
			assert.deepEqual(ranges(X, X + 3 * P), [[X, X + 3 * P]], 'the VMA stays');
			assert.equal(peek(X), 0);
			assert.equal(peek(X + 2 * P), 52);

			// A hole: the pages after it are zapped all the same, and the answer is ENOMEM.
			poke(X, 60);
			assert.equal(kcall('ms_munmap', X + P, P), 0);
			assert.equal(kcall('ms_madvise', X, 3 * P, MADV_DONTNEED), -ENOMEM);
			assert.equal(peek(X), 0);
			assert.equal(peek(X + 2 * P), 0);
			assert.equal(kcall('ms_madvise', X + P, P, MADV_DONTNEED), -ENOMEM);

			// Unknown advice: EINVAL on a mapped range; on an unmapped one 6.8 checks the advice
			// first, 2.6.18 finds no VMA first.
			assert.equal(kcall('ms_madvise', X, P, 100), -EINVAL);
			assert.equal(kcall('ms_madvise', X + P, P, 100), era.adviceCheckedFirst ? -EINVAL : -ENOMEM);
			assert.equal(kcall('ms_madvise', X + 1, P, MADV_DONTNEED), -EINVAL);
			assert.equal(kcall('ms_madvise', X, 0, MADV_DONTNEED), 0);
			// WILLNEED on anonymous memory: refused before 3.5, a no-op hint after.
			assert.equal(kcall('ms_madvise', X, P, MADV_WILLNEED), era.willneedAnon ? 0 : -EBADF);
			assert.equal(kcall('ms_munmap', X, 3 * P), 0);
		});

		it('madvise MADV_RANDOM / MADV_NORMAL split a VMA around VM_RAND_READ and merge it back', () => {
			const X = AREA(7);
			assert.equal(mmap(X, 3 * P, RW, ANON | MAP_FIXED), X);
			assert.equal(kcall('ms_madvise', X + P, P, MADV_RANDOM), 0);
			assert.deepEqual(ranges(X, X + 3 * P), [[X, X + P], [X + P, X + 2 * P], [X + 2 * P, X + 3 * P]]);
			assert.equal(vmaAt(X + P)!.flags & VM_RAND_READ, VM_RAND_READ);
			assert.equal(vmaAt(X)!.flags & VM_RAND_READ, 0);
			assert.equal(kcall('ms_madvise', X, 3 * P, MADV_NORMAL), 0);
			assert.deepEqual(ranges(X, X + 3 * P), [[X, X + 3 * P]]);
			assert.equal(kcall('ms_munmap', X, 3 * P), 0);
		});

		it('brk grows and shrinks the heap VMA (not executable); refused moves return the old break (6.8: not below end_data; 2.6.18: not below end_code)', () => {
			const H = AREA(8);
			kcall('ms_set_brk_layout', H - 0x10000, H, H);
			const count = kcall('ms_map_count');
			assert.equal(kcall('ms_brk', 0), H);
			assert.equal(kcall('ms_brk', H + 100), H + 100);
			assert.deepEqual(ranges(H, H + 0x100 * P), [[H, H + P]]);
			assert.equal(vmaAt(H)!.flags, VM_READ | VM_WRITE | MAY | VM_ACCOUNT);
			assert.equal(kcall('ms_brk', H + 50), H + 50, 'inside the last page: only mm->brk moves');
			assert.equal(kcall('ms_brk', H + 3 * P + 5), H + 3 * P + 5);
			assert.deepEqual(ranges(H, H + 0x100 * P), [[H, H + 4 * P]]);
			assert.equal(kcall('ms_map_count'), count + 1);
			poke(H + 3 * P, 77);
			const before = freePages();
			assert.equal(kcall('ms_brk', H + P), H + P);
			assert.deepEqual(ranges(H, H + 0x100 * P), [[H, H + P]]);
			assert.equal(freePages(), before + 1);
			// A mapping above the heap: the heap must stay a page below it.
			assert.equal(mmap(H + 10 * P, P, PROT_READ, ANON | MAP_FIXED), H + 10 * P);
			assert.equal(kcall('ms_brk', H + 10 * P), H + P);
			assert.equal(kcall('ms_brk', H + 9 * P), H + 9 * P);
			assert.equal(kcall('ms_mm_counter', 1), H + 9 * P);
			// Below the lower limit.
			assert.equal(kcall('ms_brk', H - 0x20000), H + 9 * P);
			assert.equal(kcall('ms_brk', H - 0x8000), era.brkAboveData ? H + 9 * P : H - 0x8000);
			assert.equal(kcall('ms_munmap', H - 0x10000, 0x10000 + 11 * P), 0);
		});

		it('MAP_POPULATE faults every page in from 2.6.23 (3.9+: after dropping mmap_lock to read); 2.6.18 left private anonymous memory to demand faults', () => {
			const X = AREA(9);
			assert.equal(mmap(X, 3 * P, RW, ANON | MAP_FIXED | MAP_POPULATE), X);
			for (let i = 0; i < 3; i++) {
				const entry = pte(X + i * P);
				if (era.populatesAnon) assert.equal(entry & (_PAGE_PRESENT | _PAGE_RW), _PAGE_PRESENT | _PAGE_RW);
				else assert.equal(entry, 0n);
			}
			assert.equal(peek(X + P), 0);
			assert.equal(kcall('ms_munmap', X, 3 * P), 0);
		});

		it('shared anonymous memory gets a tmpfs file (shmem_zero_setup): VM_SHARED|VM_MAYSHARE, pgoff 0, writable PTEs', () => {
			const X = AREA(10);
			assert.equal(mmap(X, 2 * P, RW, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED), X);
			const v = vmaAt(X)!;
			assert.equal(v.file, true);
			assert.equal(v.flags & (VM_SHARED | VM_MAYSHARE), VM_SHARED | VM_MAYSHARE);
			assert.equal(v.pgoff, 0);
			poke(X + P, 91);
			assert.equal(pte(X + P) & _PAGE_RW, _PAGE_RW);
			assert.equal(peek(X + P), 91);
			assert.equal(peek(X), 0);
			// Two shared anonymous mappings side by side are two objects: no merge.
			assert.equal(mmap(X + 2 * P, P, RW, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED), X + 2 * P);
			assert.deepEqual(ranges(X, X + 3 * P), [[X, X + 2 * P], [X + 2 * P, X + 3 * P]]);
			assert.equal(kcall('ms_munmap', X, 3 * P), 0);
		});

		it('file mappings: vm_file holds a file reference per VMA, MAP_SHARED pages are the page cache\'s (seen by every mapping, refaulted after MADV_DONTNEED), MAP_PRIVATE writes are copies (kernel-semantics §1 vm_file, address_space)', () => {
			const X = AREA(13);
			const f = kraw('ms_shmem_file', 8 * P, FMODE_READ | FMODE_WRITE);
			assert.notEqual(Number(f), 0);
			const refs = kcall('ms_file_count', f);
			assert.equal(kcall('ms_mmap_file', f, X, 2 * P, RW, MAP_SHARED | MAP_FIXED, 0), X);
			const v = vmaAt(X)!;
			assert.equal(v.file, true);
			assert.equal(v.flags & ~VM_CAN_NONLINEAR, VM_READ | VM_WRITE | MAY | VM_SHARED | VM_MAYSHARE);
			assert.equal(kcall('ms_file_count', f), refs + 1);
			// The same file pages at a second address.
			assert.equal(kcall('ms_mmap_file', f, X + 4 * P, 2 * P, RW, MAP_SHARED | MAP_FIXED, 0), X + 4 * P);
			poke(X + P, 61);
			assert.equal(peek(X + 5 * P), 61);
			assert.equal(pfn(X + 5 * P), pfn(X + P));
			// Splitting gives the new piece its own reference.
			assert.equal(kcall('ms_mprotect', X, P, PROT_READ), 0);
			assert.equal(kcall('ms_file_count', f), refs + 3);
			// DONTNEED drops the PTE; the data is the file's and comes back on the next fault.
			assert.equal(kcall('ms_madvise', X, 2 * P, MADV_DONTNEED), 0);
			assert.equal(pte(X + P), 0n);
			assert.equal(peek(X + P), 61);
			// A private mapping of the file reads it, and writes to a copy of its own.
			assert.equal(kcall('ms_mmap_file', f, X + 8 * P, 2 * P, RW, MAP_PRIVATE | MAP_FIXED, 0), X + 8 * P);
			assert.equal(vmaAt(X + 8 * P)!.flags & (VM_SHARED | VM_MAYSHARE), 0);
			assert.equal(peek(X + 9 * P), 61);
			poke(X + 9 * P, 62);
			assert.notEqual(pfn(X + 9 * P), pfn(X + 5 * P));
			assert.equal(peek(X + 5 * P), 61);
			assert.equal(kcall('ms_munmap', X, 10 * P), 0);
			assert.equal(kcall('ms_file_count', f), refs);
			kcall('ms_fput', f);
		});

		it('file mappings the open mode forbids: EACCES for MAP_SHARED+PROT_WRITE on a read-only file or any map of an unreadable one; a read-only shared mapping lacks VM_MAYWRITE, so mprotect(PROT_WRITE) is EACCES', () => {
			const X = AREA(14);
			const ro = kraw('ms_shmem_file', 2 * P, FMODE_READ);
			assert.equal(kcall('ms_mmap_file', ro, X, P, RW, MAP_SHARED | MAP_FIXED, 0), -EACCES);
			assert.equal(kcall('ms_mmap_file', ro, X, P, PROT_READ, MAP_SHARED | MAP_FIXED, 0), X);
			assert.equal(vmaAt(X)!.flags & ~VM_CAN_NONLINEAR, VM_READ | VM_MAYREAD | VM_MAYEXEC | VM_MAYSHARE);
			assert.equal(kcall('ms_mprotect', X, P, RW), -EACCES);
			assert.equal(kcall('ms_mprotect', X, P, PROT_READ | PROT_EXEC), 0);
			// Private: writes go to copies, so a read-only file may be mapped writable.
			assert.equal(kcall('ms_mmap_file', ro, X + P, P, RW, MAP_PRIVATE | MAP_FIXED, 0), X + P);
			const wo = kraw('ms_shmem_file', 2 * P, FMODE_WRITE);
			assert.equal(kcall('ms_mmap_file', wo, X + 2 * P, P, PROT_READ, MAP_PRIVATE | MAP_FIXED, 0), -EACCES);
			assert.equal(kcall('ms_mmap_file', wo, X + 2 * P, P, RW, MAP_SHARED | MAP_FIXED, 0), -EACCES);
			assert.deepEqual(ranges(X, X + 4 * P), [[X, X + P], [X + P, X + 2 * P]]);
			assert.equal(kcall('ms_munmap', X, 2 * P), 0);
			kcall('ms_fput', ro);
			kcall('ms_fput', wo);
		});

		it('a MAP_GROWSDOWN stack grows down (expand_downwards), within the 8 MiB limit and (4.12+) the stack guard gap; mprotect PROT_GROWSDOWN reaches down to its start', () => {
			const S = AREA(15) + 0x200 * P;
			assert.equal(mmap(S, 4 * P, RW, ANON | MAP_FIXED | MAP_GROWSDOWN), S);
			const total = kcall('ms_mm_counter', 0);
			const stackVm = kcall('ms_mm_counter', 4);
			assert.equal(kcall('ms_expand_stack', S - 2 * P + 8), 0);
			const v = vmaAt(S)!;
			assert.deepEqual([v.start, v.end, v.pgoff], [S - 2 * P, S + 4 * P, (S - 2 * P) / P]);
			assert.equal(kcall('ms_mm_counter', 0), total + 2);
			assert.equal(kcall('ms_mm_counter', 4), stackVm + 2);
			poke(S - 2 * P, 33);
			// Past the 8 MiB stack limit.
			assert.equal(kcall('ms_expand_stack', S + 4 * P - (8 << 20) - P), -ENOMEM);
			// A mapping below, 15 pages under where the stack would grow to: 4.12+ keeps a 256-page
			// gap, 2.6 only refuses overlaps.
			assert.equal(mmap(S - 0x20 * P, P, RW, ANON | MAP_FIXED), S - 0x20 * P);
			assert.equal(kcall('ms_expand_stack', S - 0x10 * P), era.stackGuardGap ? -ENOMEM : 0);
			// Not a stack.
			assert.equal(kcall('ms_expand_stack', S - 0x21 * P), -EFAULT);
			// PROT_GROWSDOWN: from the given page down to the stack's start, in one VMA.
			const start = vmaAt(S)!.start;
			assert.equal(kcall('ms_mprotect', S, P, PROT_READ | PROT_GROWSDOWN), 0);
			assert.deepEqual(ranges(start, S + 4 * P), [[start, S + P], [S + P, S + 4 * P]]);
			assert.equal(vmaAt(start)!.flags & VM_WRITE, 0);
			assert.equal(kcall('ms_mprotect', S - 0x20 * P, P, PROT_READ | PROT_GROWSDOWN), -EINVAL);
			assert.equal(kcall('ms_munmap', S - 0x20 * P, 0x24 * P), 0);
		});

		it('exit_mmap (the last mmput) frees every page, page table and VMA of an address space: nr_free_pages back to its value before mm_alloc', () => {
			const cycle = (): void => {
				const other = kraw('ms_mm_new');
				useMm(other);
				assert.equal(kcall('ms_do_mmap', other, STACK, 16 * P, RW, ANON | MAP_FIXED | MAP_GROWSDOWN), STACK);
				assert.equal(mmap(AREA(11), 4 * P, RW, ANON | MAP_FIXED), AREA(11));
				assert.equal(mmap(AREA(12), 2 * P, RW, ANON | MAP_FIXED), AREA(12));
				for (let i = 0; i < 4; i++) poke(AREA(11) + i * P, i);
				poke(AREA(12) + P, 5);
				assert.equal(kcall('ms_munmap', AREA(11) + P, P), 0);
				useMm(mm);
				kcall('ms_mmput', other);
			};
			// The first cycle may leave slab pages behind for the caches' next objects.
			cycle();
			const start = freePages();
			cycle();
			assert.equal(freePages(), start);
			// The test's own address space is untouched.
			assert.equal(vmaAt(STACK)!.start, STACK);
		});
	});
}
