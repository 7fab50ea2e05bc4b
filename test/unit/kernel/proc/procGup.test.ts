// /proc/PID/maps and /proc/PID/pagemap (kc/kernel/fs/proc/task_mmu.c), get_user_pages and
// follow_page (kc/kernel/mm/gup.c), access_process_vm and ptrace (kc/kernel/kernel/ptrace.c) on a
// booted machine, for every Linux profile. The KC driver test/unit/kernel/mm/kc/proc_gup_test.c
// builds the address spaces and tasks; user threads fault pages in from user mode; the proc reads
// copy to a user buffer through copy_to_user, whose faults this file resolves with the KC fault
// handler as the machine's exception-table path does.

import * as assert from 'node:assert/strict';
import { compileUnit } from '../../../../src/lang/frontEnd';
import { memorySources } from '../../../../src/lang/preprocessor';
import { formatDiagnostic } from '../../../../src/lang/source';
import { FlatLayout, type Value } from '../../../../src/interp/contracts';
import { injectCall, run } from '../../../../src/interp/cpu';
import { linkProgram } from '../../../../src/interp/linker';
import type { Program } from '../../../../src/interp/program';
import { ptrToU64, toI32 } from '../../../../src/interp/values';
import { bootKernel, KERNEL_UNITS, kernelThread, type BootedKernel } from '../../../../src/kernel/boot';
import { createUserThread, pageFaultErrorCode, runWithFaults } from '../../../../src/kernel/faults';
import { decodePte, pdIndex, pdptIndex, pml4Index, ptIndex, type DecodedPte, type PagingLevel } from '../../../../src/kernel/hw/pageTable';
import { findProfile } from '../../../../src/sim/profiles';
import { kernelFiles } from '../mm/kernelHarness';

const DRIVER = 'test/proc_gup_test.c';
const OUR_UNITS = ['fs/proc/task_mmu.c', 'mm/gup.c', 'kernel/ptrace.c'];

const files: Record<string, string> = { ...kernelFiles() };

const PAGE = 4096;
const RAM = 16 << 20;

const VM_READ = 0x1;
const VM_WRITE = 0x2;
const VM_EXEC = 0x4;
const VM_SHARED = 0x8;
const VM_MAYREAD = 0x10;
const VM_MAYWRITE = 0x20;
const VM_MAYEXEC = 0x40;
const VM_MAYSHARE = 0x80;
const VM_GROWSDOWN = 0x100;
const MAY = VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC;
const RW = VM_READ | VM_WRITE | MAY;

const EPERM = 1;
const ENOENT = 2;
const ESRCH = 3;
const EIO = 5;
const EFAULT = 14;
const EEXIST = 17;
const EINVAL = 22;

const PTRACE_PEEKDATA = 2;
const PTRACE_POKEDATA = 5;
const PTRACE_CONT = 7;
const PTRACE_GETREGS = 12;
const PTRACE_ATTACH = 16;
const PTRACE_DETACH = 17;
const TASK_RUNNING = 0;
const TASK_TRACED = 0x8;

// The init task's address space (slot 0): what the user threads run in.
const HEAP = 0x601000;
const BRK = 0x602800;
const UBUF = 0x30000000;
const UBUF_PAGES = 16;
const PERMS_BASE = 0x40000000;
const PAGES = 0x48000000;
const RO = 0x49000000;
const DEVICE = 0x4a000000;
const FILES = 0x50000000;
const STACK = FlatLayout.stackTop - FlatLayout.stackSize;
const START_STACK = FlatLayout.stackTop - 0x940;
// The tracee's own address space (slot 1).
const TRACEE_ANON = 0x20000000;
const TRACEE_DEVICE = 0x21000000;
const TRACEE_PID = 200;

/** Each permission combination of a private or shared anonymous VMA, as maps prints it. */
const PERMISSIONS: readonly { readonly perms: string; readonly flags: number }[] = [
	{ perms: '---p', flags: MAY },
	{ perms: 'r--p', flags: VM_READ | MAY },
	{ perms: '-w-p', flags: VM_WRITE | MAY },
	{ perms: '--xp', flags: VM_EXEC | MAY },
	{ perms: 'rw-p', flags: VM_READ | VM_WRITE | MAY },
	{ perms: 'r-xp', flags: VM_READ | VM_EXEC | MAY },
	{ perms: 'rwxp', flags: VM_READ | VM_WRITE | VM_EXEC | MAY },
	{ perms: 'rw-s', flags: VM_READ | VM_WRITE | VM_SHARED | VM_MAYSHARE | MAY },
	{ perms: 'r--s', flags: VM_READ | VM_MAYSHARE | VM_MAYREAD | VM_MAYEXEC },
];

const USER_SOURCE = `
void poke(long *p, long v)
{
	*p = v;
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

const hex8 = (v: number): string => v.toString(16).padStart(8, '0');

/**
 * A maps line as Linux prints it: "%08lx-%08lx %c%c%c%c %08llx %02x:%02x %lu " and, for a named
 * mapping, the name at column 73 (seq_pad to 72, then one space; one space when the header is longer).
 */
function mapsLine(start: number, end: number, perms: string, offset: number, dev: string, inode: number, name?: string): string {
	const head = `${hex8(start)}-${hex8(end)} ${perms} ${hex8(offset)} ${dev} ${inode} `;
	if (name === undefined) return `${head}\n`;
	return `${head.length < 73 ? head.padEnd(73, ' ') : `${head} `}${name}\n`;
}

/** The walk of the 4-level tables at `pgdPhys` for `va`, top down. */
function walk(k: BootedKernel, pgdPhys: number, va: number): DecodedPte[] {
	const indices: Record<PagingLevel, number> = { 4: pml4Index(va), 3: pdptIndex(va), 2: pdIndex(va), 1: ptIndex(va) };
	const entries: DecodedPte[] = [];
	let table = pgdPhys;
	for (const level of [4, 3, 2, 1] as const) {
		const bytes = k.machine.phys.read(table + indices[level] * 8, 8)!;
		const entry = decodePte(new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true), level);
		entries.push(entry);
		if (!entry.present || entry.leaf) break;
		table = entry.physicalAddress;
	}
	return entries;
}

/** The PTE of `va` when its page is mapped, else undefined. */
function pteOf(k: BootedKernel, pgdPhys: number, va: number): DecodedPte | undefined {
	const entries = walk(k, pgdPhys, va);
	const last = entries[entries.length - 1];
	return entries.length === 4 && last.present ? last : undefined;
}

/** Bytes of user memory through the page tables (every page must be mapped). */
function readUser(k: BootedKernel, pgdPhys: number, va: number, length: number): Uint8Array {
	const out = new Uint8Array(length);
	for (let done = 0; done < length;) {
		const pte = pteOf(k, pgdPhys, va + done);
		assert.ok(pte !== undefined, `user page ${(va + done).toString(16)} is not mapped`);
		const offset = (va + done) % PAGE;
		const n = Math.min(PAGE - offset, length - done);
		out.set(k.machine.phys.read(pte.physicalAddress + offset, n)!, done);
		done += n;
	}
	return out;
}

function versionCode(name: string): number {
	const profile = findProfile(name);
	assert.ok(profile !== undefined);
	return Number(profile.defines.LINUX_VERSION_CODE);
}

const KV = (a: number, b: number, c: number): number => (a << 16) + (b << 8) + c;

for (const name of ['linux-6.8', 'linux-2.6.18', 'linux-2.6.21', 'linux-2.6.27']) {
	const version = versionCode(name);
	describe(`/proc/PID/maps, pagemap, GUP and ptrace (${name})`, function () {
		this.timeout(120000);
		let k: BootedKernel;
		let user: Program;
		let pgd: number;
		let traceePgd: number;

		/**
		 * Calls the KC function `fn(args)` on CPU 1's kernel thread (current = init_task, CR3 = its
		 * mm). A fault of copy_to_user/put_user on a user page runs do_page_fault; if that cannot fix
		 * it, the copy fails by the exception-table rule. Returns the int result.
		 */
		function kcall(fn: string, ...args: Value[]): number {
			const thread = kernelThread(k, 1, fn, args);
			for (let faults = 0; ; faults++) {
				const stop = run(thread, 50_000_000);
				if (stop.kind === 'fault' && k.builtins!.uaccess.inUserCopy(1) && faults < 64) {
					const address = stop.fault.address;
					injectCall(thread, 'do_page_fault', [pageFaultErrorCode(stop.fault, 'kernel'), ptrToU64(address)], ret => {
						if (ret !== undefined && toI32(ret) !== 0) k.builtins!.uaccess.applyFixup(1);
						return { kind: 'resume' };
					});
					continue;
				}
				assert.equal(stop.kind, 'exited', `${fn}: ${JSON.stringify(stop)}\n${k.log.text()}`);
				return stop.kind === 'exited' ? stop.code : 0;
			}
		}

		/** Runs the user function `fn(args)` on CPU 0 in the init task's address space, demand-faulting. */
		function userCall(fn: string, ...args: Value[]): number {
			const stop = runWithFaults(createUserThread(k, user, 0, fn, args), 1_000_000);
			assert.equal(stop.kind, 'exited', JSON.stringify(stop));
			return stop.kind === 'exited' ? stop.code : 0;
		}

		/** Reads /proc/<task>/maps from position `pos` in reads of `chunk` bytes until EOF. */
		function readMaps(task: number, chunk = UBUF_PAGES * PAGE, pos = 0): string {
			kcall('pg_seek', pos);
			let text = '';
			for (;;) {
				const got = kcall('pg_maps_read', task, UBUF, chunk);
				assert.ok(got >= 0 && got <= chunk, `read returned ${got}`);
				if (got === 0) break;
				text += Buffer.from(readUser(k, pgd, UBUF, got)).toString('latin1');
				assert.equal(kcall('pg_tell'), pos + text.length);
			}
			return text;
		}

		/** Reads `n` pagemap entries of task slot `task` from virtual page `vpage`. */
		function readPagemap(task: number, va: number, n: number): bigint[] {
			kcall('pg_seek', (va / PAGE) * 8);
			const got = kcall('pg_pagemap_read', task, UBUF, n * 8);
			assert.equal(got, n * 8);
			assert.equal(kcall('pg_tell'), (va / PAGE + n) * 8);
			const bytes = readUser(k, pgd, UBUF, n * 8);
			const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
			return Array.from({ length: n }, (_, i) => view.getBigUint64(i * 8, true));
		}

		/** Anonymous VMAs show their vm_pgoff (= address >> 12) before 2.6.30, 0 after. */
		const anonOffset = (start: number): number => (version < KV(2, 6, 30) ? start : 0);

		/** The maps lines of the VMAs `before` created, by address. */
		function baseLines(): string[] {
			const lines: [number, string][] = [
				[HEAP, mapsLine(HEAP, HEAP + 2 * PAGE, 'rw-p', anonOffset(HEAP), '00:00', 0, '[heap]')],
				[UBUF, mapsLine(UBUF, UBUF + UBUF_PAGES * PAGE, 'rw-p', anonOffset(UBUF), '00:00', 0)],
				[PAGES, mapsLine(PAGES, PAGES + 4 * PAGE, 'rw-p', anonOffset(PAGES), '00:00', 0)],
				[RO, mapsLine(RO, RO + PAGE, 'r--p', anonOffset(RO), '00:00', 0)],
				[STACK, mapsLine(STACK, FlatLayout.stackTop, 'rw-p', anonOffset(STACK), '00:00', 0, '[stack]')],
			];
			PERMISSIONS.forEach((p, i) => {
				const start = PERMS_BASE + i * 2 * PAGE;
				lines.push([start, mapsLine(start, start + PAGE, p.perms, anonOffset(start), '00:00', 0)]);
			});
			return lines.sort((a, b) => a[0] - b[0]).map(l => l[1]);
		}

		before(() => {
			const profile = findProfile(name)!;
			// The units the machine boots (src/sim/machine.ts), and the test driver.
			const units = [...new Set([...KERNEL_UNITS, ...OUR_UNITS]), DRIVER];
			k = bootKernel({ ramBytes: RAM, cpus: 2, profile, sources: memorySources(files, ['include']), units });
			assert.deepEqual(k.diagnostics.filter(d => d.severity === 'error').map(formatDiagnostic), []);
			assert.equal(k.booted, true, k.log.text());
			user = userProgram();
			pgd = kcall('boot_test_new_mm');
			for (const cpu of k.machine.cpus) cpu.mmu.setCr3(pgd);
			assert.equal(kcall('pg_mm_current', 0), 0);
			assert.equal(kcall('pg_map', 0, STACK, FlatLayout.stackSize, RW | VM_GROWSDOWN, 0), 0);
			assert.equal(kcall('pg_map', 0, UBUF, UBUF_PAGES * PAGE, RW, 0), 0);
			assert.equal(kcall('pg_map', 0, HEAP, 2 * PAGE, RW, 0), 0);
			assert.equal(kcall('pg_map', 0, PAGES, 4 * PAGE, RW, 0), 0);
			assert.equal(kcall('pg_map', 0, RO, PAGE, VM_READ | MAY, 0), 0);
			PERMISSIONS.forEach((p, i) => assert.equal(kcall('pg_map', 0, PERMS_BASE + i * 2 * PAGE, PAGE, p.flags, 0), 0));
			kcall('pg_set_layout', 0, HEAP, BRK, START_STACK);
			// Task slot 0: pid 100 on this address space (the /proc reads' target).
			assert.equal(kcall('pg_task_new', 0, 100, 0), 0);
			// Task slot 1: the tracee, with its own address space (slot 1).
			assert.equal(kcall('pg_mm_new', 1), 0);
			traceePgd = kcall('pg_mm_pgd_phys', 1);
			assert.equal(kcall('pg_map', 1, TRACEE_ANON, 3 * PAGE, RW, 0), 0);
			assert.equal(kcall('pg_task_new', 1, TRACEE_PID, 1), 0);
		});

		it('maps: one line per VMA in the kernel format, every permission combination, [heap] and [stack] (kernel-semantics §1 vm_flags, vm_pgoff)', () => {
			const text = readMaps(0);
			assert.equal(text, baseLines().join(''));
			// The heap line byte for byte: the name at column 73 (34 spaces after the inode).
			const heapOffset = version < KV(2, 6, 30) ? '00601000' : '00000000';
			assert.ok(text.startsWith(`00601000-00603000 rw-p ${heapOffset} 00:00 0${' '.repeat(34)}[heap]\n`), text.split('\n')[0]);
			// An anonymous line without a name keeps the space after the inode.
			assert.match(text, /\n30000000-30010000 rw-p [0-9a-f]{8} 00:00 0 \n/);
		});

		it('maps: partial reads of any size continue where they stopped; reading at the end gives 0 (seq_file)', () => {
			const whole = readMaps(0);
			for (const chunk of [73, 100, 4096]) assert.equal(readMaps(0, chunk), whole, `chunks of ${chunk}`);
			// Byte by byte across the first two lines.
			kcall('pg_seek', 0);
			let bytes = '';
			for (let i = 0; i < 100; i++) {
				assert.equal(kcall('pg_maps_read', 0, UBUF + i, 1), 1);
				bytes += String.fromCharCode(readUser(k, pgd, UBUF + i, 1)[0]);
			}
			assert.equal(bytes, whole.slice(0, 100));
			assert.equal(readMaps(0, 50, 30), whole.slice(30));
			assert.equal(readMaps(0, 4096, whole.length), '');
			assert.equal(readMaps(0, 4096, whole.length + 100), '');
			// A task without an address space has an empty maps file.
			assert.equal(kcall('pg_task_new', 2, 300, -1), 0);
			assert.equal(readMaps(2), '');
		});

		it('maps: [heap] is the VMA between start_brk and brk: 2.6.39+ also when brk lies past it (0db0c01b53a)', () => {
			kcall('pg_set_layout', 0, HEAP, HEAP + 3 * PAGE, START_STACK);
			const heapLine = readMaps(0).split('\n')[0];
			if (version >= KV(2, 6, 39)) assert.match(heapLine, / \[heap\]$/);
			else assert.match(heapLine, / 0 $/);
			kcall('pg_set_layout', 0, HEAP, BRK, START_STACK);
			assert.match(readMaps(0).split('\n')[0], / \[heap\]$/);
		});

		it('maps: file VMAs show offset, device 00:xx, inode and the path at column 73; " (deleted)" after unlink; /dev/zero (deleted); \\n escaped', () => {
			kcall('pg_files_init', 0x15);
			assert.equal(kcall('pg_map_file', 0, FILES, 2 * PAGE, VM_READ | VM_MAYREAD | VM_MAYEXEC | VM_SHARED | VM_MAYSHARE, 1, 0), 0);
			assert.equal(kcall('pg_map_file', 0, FILES + 4 * PAGE, PAGE, RW, 3, 0), 0);
			assert.equal(kcall('pg_map_file', 0, FILES + 8 * PAGE, 2 * PAGE, RW | VM_SHARED | VM_MAYSHARE, 0, 1), 0);
			assert.equal(kcall('pg_map_file', 0, FILES + 12 * PAGE, PAGE, VM_READ | MAY, 0, 2), 0);
			const expected = (deleted: string): string =>
				mapsLine(FILES, FILES + 2 * PAGE, 'r--s', PAGE, '00:15', 4242, `/tmp/fl-maps${deleted}`)
				+ mapsLine(FILES + 4 * PAGE, FILES + 5 * PAGE, 'rw-p', 3 * PAGE, '00:15', 4242, `/tmp/fl-maps${deleted}`)
				+ mapsLine(FILES + 8 * PAGE, FILES + 10 * PAGE, 'rw-s', 0, '00:15', 7, '/dev/zero (deleted)')
				+ mapsLine(FILES + 12 * PAGE, FILES + 13 * PAGE, 'r--p', 0, '00:15', 99, '/tmp/a\\012b');
			const fileLines = (): string => readMaps(0).split('\n').filter(l => l.startsWith('500')).map(l => `${l}\n`).join('');
			assert.equal(fileLines(), expected(''));
			assert.ok(fileLines().startsWith(`50000000-50002000 r--s 00001000 00:15 4242${' '.repeat(31)}/tmp/fl-maps\n`));
			kcall('pg_file_unlink', 0);
			assert.equal(fileLines(), expected(' (deleted)'));
		});

		it('maps: tmpfs files of the VFS: a /tmp file by path, then " (deleted)"; MAP_SHARED|MAP_ANONYMOUS as /dev/zero (deleted) (proc_maps_shared_anon.expected)', () => {
			kcall('pg_vfs_init');
			const REAL = FILES + 32 * PAGE;
			assert.equal(kcall('pg_map_shared_anon', 0, REAL, 2 * PAGE, RW | VM_SHARED | VM_MAYSHARE), 0);
			assert.equal(kcall('pg_map_tmp_file', 0, REAL + 4 * PAGE, PAGE, RW | VM_SHARED | VM_MAYSHARE, 2), 0);
			const dev = kcall('pg_tmp_file_dev');
			const device = `${(dev >>> 20).toString(16).padStart(2, '0')}:${(dev & 0xfffff).toString(16).padStart(2, '0')}`;
			const ino = kcall('pg_tmp_file_ino');
			assert.ok(ino > 0);
			const lines = (): string[] => readMaps(0).split('\n').filter(l => parseInt(l, 16) >= REAL);
			const [shared, file] = lines();
			assert.match(shared, new RegExp(`^${hex8(REAL)}-${hex8(REAL + 2 * PAGE)} rw-s 00000000 00:[0-9a-f]{2} [1-9][0-9]* +/dev/zero \\(deleted\\)$`));
			assert.equal(shared.indexOf('/dev/zero'), 73);
			assert.equal(`${file}\n`, mapsLine(REAL + 4 * PAGE, REAL + 5 * PAGE, 'rw-s', 2 * PAGE, device, ino, '/tmp/fl-real'));
			assert.equal(kcall('pg_unlink_tmp_file'), 0);
			assert.equal(`${lines()[1]}\n`, mapsLine(REAL + 4 * PAGE, REAL + 5 * PAGE, 'rw-s', 2 * PAGE, device, ino, '/tmp/fl-real (deleted)'));
		});

		it('pagemap: one u64 per page at vpage * 8, present bit and PFN by era, holes and VMAs alike (kernel-semantics §1 PTE present/none)', () => {
			kcall('pg_seek', 0);
			if (version < KV(2, 6, 25)) {
				// /proc/PID/pagemap arrived in 2.6.25.
				assert.equal(kcall('pg_pagemap_read', 0, UBUF, 8), -ENOENT);
				return;
			}
			userCall('poke', PAGES, 11);
			userCall('poke', PAGES + 2 * PAGE + 4088, 12);
			const pfn0 = pteOf(k, pgd, PAGES)!.pfn;
			const pfn2 = pteOf(k, pgd, PAGES + 2 * PAGE)!.pfn;
			// The page before the VMA (a hole), its four pages, the page after (a hole).
			const entries = readPagemap(0, PAGES - PAGE, 6);
			const PRESENT = 1n << 63n;
			if (version >= KV(4, 2, 0)) {
				// Unprivileged: no PFN. Anonymous pages mapped once: exclusive (bit 56), not file (bit 61).
				const anon = PRESENT | (1n << 56n);
				assert.deepEqual(entries, [0n, anon, 0n, anon, 0n, 0n]);
				kcall('pg_set_cap_sys_admin', 1);
				assert.deepEqual(readPagemap(0, PAGES - PAGE, 6), [0n, anon | BigInt(pfn0), 0n, anon | BigInt(pfn2), 0n, 0n]);
				kcall('pg_set_cap_sys_admin', 0);
			} else {
				// 2.6.25-4.1: the page shift (12) in bits 55-60 of every entry, the PFN for everyone.
				const shift = 12n << 55n;
				assert.deepEqual(entries, [shift, shift | PRESENT | BigInt(pfn0), shift, shift | PRESENT | BigInt(pfn2), shift, shift]);
			}
		});

		it('pagemap: unaligned reads fail with EINVAL, partial reads continue, reads past the user address space give 0', () => {
			if (version < KV(2, 6, 25)) return;
			kcall('pg_seek', (PAGES / PAGE) * 8 + 4);
			assert.equal(kcall('pg_pagemap_read', 0, UBUF, 8), -EINVAL);
			kcall('pg_seek', (PAGES / PAGE) * 8);
			assert.equal(kcall('pg_pagemap_read', 0, UBUF, 12), -EINVAL);
			const whole = readPagemap(0, PAGES - 2 * PAGE, 8);
			kcall('pg_seek', ((PAGES - 2 * PAGE) / PAGE) * 8);
			const pieces: bigint[] = [];
			for (const n of [3, 1, 4]) {
				assert.equal(kcall('pg_pagemap_read', 0, UBUF, n * 8), n * 8);
				const bytes = readUser(k, pgd, UBUF, n * 8);
				const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
				for (let i = 0; i < n; i++) pieces.push(view.getBigUint64(i * 8, true));
			}
			assert.deepEqual(pieces, whole);
			// The entries of the last user pages, then nothing.
			kcall('pg_seek', (FlatLayout.stackTop / PAGE - 1) * 8);
			assert.equal(kcall('pg_pagemap_read', 0, UBUF, 16), 8);
			assert.equal(kcall('pg_pagemap_read', 0, UBUF, 16), 0);
		});

		it('pagemap: a VM_PFNMAP VMA reads as a hole in 4.2+ (walk_page_range skips it), present with its PFN before', () => {
			assert.equal(kcall('pg_map_device', 0, DEVICE), 0);
			if (version < KV(2, 6, 25)) return;
			const devicePfn = kcall('pg_device_pfn');
			kcall('pg_set_cap_sys_admin', 1);
			const entries = readPagemap(0, DEVICE, 2);
			kcall('pg_set_cap_sys_admin', 0);
			if (version >= KV(4, 2, 0)) assert.deepEqual(entries, [0n, 0n]);
			else assert.deepEqual(entries, [0, 1].map(i => (12n << 55n) | (1n << 63n) | BigInt(devicePfn + i)));
		});

		it('GUP: a present page comes back with a reference, an absent one is faulted in; no VMA and VM_IO|VM_PFNMAP give -EFAULT (kernel-semantics §2.1 GUP, §2.5)', () => {
			userCall('poke', PAGES + PAGE, 21);
			const present = pteOf(k, pgd, PAGES + PAGE)!.pfn;
			const before = kcall('pg_page_count', present);
			// Pages 1 (present) and 3 (never touched).
			assert.equal(pteOf(k, pgd, PAGES + 3 * PAGE), undefined);
			assert.equal(kcall('pg_gup', 0, PAGES + PAGE, 1, 0, 0), 1);
			assert.equal(kcall('pg_gup_pfn', 0), present);
			if (version < KV(6, 5, 0)) assert.equal(kcall('pg_gup_vma_contains', 0, PAGES + PAGE), 1);
			assert.equal(kcall('pg_page_count', present), before + 1);
			kcall('pg_gup_put', 0);
			assert.equal(kcall('pg_page_count', present), before);
			assert.equal(kcall('pg_gup', 0, PAGES + 3 * PAGE, 1, 1, 0), 1);
			const faulted = pteOf(k, pgd, PAGES + 3 * PAGE);
			assert.ok(faulted !== undefined && faulted.writable);
			assert.equal(kcall('pg_gup_pfn', 0), faulted.pfn);
			kcall('pg_gup_put', 0);
			// Across the end of the VMA: the pages before the hole.
			assert.equal(kcall('pg_gup', 0, PAGES + 3 * PAGE, 2, 0, 0), 1);
			kcall('pg_gup_put', 0);
			// follow_page itself: a present page, an absent one (NULL: fault it in), and a PFN-map PTE
			// with no struct page (NULL before 2.6.26, ERR_PTR(-EFAULT) in 2.6.26-6.4, -EEXIST after).
			const FOLL_GET = kcall('pg_foll', 1);
			assert.equal(kcall('pg_follow_page', 0, PAGES + PAGE, FOLL_GET), present);
			assert.equal(kcall('pg_follow_page', 1, TRACEE_ANON + 2 * PAGE, FOLL_GET), -1);
			assert.equal(kcall('pg_follow_page', 0, DEVICE, FOLL_GET), version >= KV(6, 5, 0) ? -EEXIST : version >= KV(2, 6, 26) ? -EFAULT : -1);
			assert.equal(kcall('pg_page_count', present), before);
			assert.equal(kcall('pg_gup', 0, PAGES + 8 * PAGE, 1, 0, 0), -EFAULT);
			assert.equal(kcall('pg_gup', 0, DEVICE, 1, 0, 0), -EFAULT);
			assert.equal(kcall('pg_gup', 0, DEVICE, 1, 0, 1), -EFAULT);
			// Writing a read-only VMA needs force; PROT_NONE cannot be read without it.
			assert.equal(kcall('pg_gup', 0, RO, 1, 1, 0), -EFAULT);
			assert.equal(kcall('pg_gup', 0, PERMS_BASE, 1, 0, 0), -EFAULT);
		});

		it('GUP: the reference outlives a zap of the PTE; the page keeps its data until put (kernel-semantics §2.1 item 5, §9 GUP)', () => {
			userCall('poke', PAGES, 0x5a5a);
			const pfn = pteOf(k, pgd, PAGES)!.pfn;
			assert.equal(kcall('pg_gup', 0, PAGES, 1, 0, 0), 1);
			assert.equal(kcall('pg_gup_pfn', 0), pfn);
			const pinned = kcall('pg_page_count', pfn);
			// The mapping goes (MADV_DONTNEED's zap; unmap_mapping_range and munmap zap alike): the
			// mapping's reference goes with it, GUP's stays.
			assert.equal(kcall('pg_zap', 0, PAGES), 0);
			assert.equal(pteOf(k, pgd, PAGES), undefined);
			assert.equal(kcall('pg_page_count', pfn), pinned - 1);
			assert.equal(kcall('pg_page_mapcount', pfn), 0);
			assert.equal(kcall('pg_gup_word', 0, 0), 0x5a5a);
			// The process faults in a new page; the holder of the reference still sees the old one.
			assert.equal(userCall('peek', PAGES), 0);
			assert.notEqual(pteOf(k, pgd, PAGES)!.pfn, pfn);
			assert.equal(kcall('pg_gup_word', 0, 0), 0x5a5a);
			kcall('pg_gup_put', 0);
			assert.equal(kcall('pg_page_count', pfn), 0);
		});

		it('GUP: FOLL_FORCE writes to a read-only private page through a COW copy, the PTE staying read-only', () => {
			assert.equal(userCall('peek', RO), 0);
			const original = pteOf(k, pgd, RO)!;
			assert.equal(original.writable, false);
			assert.equal(kcall('pg_gup', 0, RO, 1, 1, 1), 1);
			const after = pteOf(k, pgd, RO)!;
			assert.equal(after.writable, false);
			assert.equal(kcall('pg_gup_pfn', 0), after.pfn);
			kcall('pg_gup_put', 0);
		});

		it('access_process_vm: writes and reads another address space across pages, faulting pages in; stops at the end of the VMA', () => {
			// 16 bytes across the boundary of the tracee's pages 0 and 1 (neither mapped yet).
			const at = TRACEE_ANON + PAGE - 8;
			kcall('pg_kbuf_fill', 16, 3);
			assert.equal(kcall('pg_access', 1, at, 16, 1), 16);
			assert.ok(pteOf(k, traceePgd, TRACEE_ANON) !== undefined && pteOf(k, traceePgd, TRACEE_ANON + PAGE) !== undefined);
			const written = readUser(k, traceePgd, at, 16);
			assert.deepEqual(Array.from(written), Array.from({ length: 16 }, (_, i) => (3 + i * 7) & 0xff));
			kcall('pg_kbuf_fill', 16, 0);
			assert.equal(kcall('pg_access', 1, at, 16, 0), 16);
			assert.deepEqual(Array.from({ length: 16 }, (_, i) => kcall('pg_kbuf_byte', i)), Array.from(written));
			// Up to the end of the VMA only, and nothing from a hole.
			assert.equal(kcall('pg_access', 1, TRACEE_ANON + 3 * PAGE - 4, 16, 0), 4);
			assert.equal(kcall('pg_access', 1, TRACEE_ANON + 4 * PAGE, 16, 0), 0);
		});

		it('access_process_vm on VM_IO|VM_PFNMAP: nothing before 2.6.27, vm_ops->access from 2.6.27 (kernel-semantics §2.4, §3.3)', () => {
			assert.equal(kcall('pg_map_device', 1, TRACEE_DEVICE), 0);
			kcall('pg_device_set', 100, 0x77);
			kcall('pg_kbuf_fill', 8, 0);
			const read = kcall('pg_access', 1, TRACEE_DEVICE + 100, 8, 0);
			if (version < KV(2, 6, 27)) {
				assert.equal(read, 0);
				return;
			}
			assert.equal(read, 8);
			assert.equal(kcall('pg_kbuf_byte', 0), 0x77);
			kcall('pg_kbuf_fill', 4, 9);
			assert.equal(kcall('pg_access', 1, TRACEE_DEVICE + PAGE, 4, 1), 4);
			assert.equal(kcall('pg_device_byte', PAGE + 1), 16);
			// The whole remaining length goes to ->access, which stops at the end of the VMA.
			assert.equal(kcall('pg_access', 1, TRACEE_DEVICE + 2 * PAGE - 8, 64, 0), 8);
		});

		it('ptrace: ESRCH until attached, EPERM for kernel threads and a second attach, PEEK/POKE through access_process_vm, EIO on a hole, DETACH resumes (kernel-semantics §8 scenario 1)', () => {
			const word = UBUF + 64;
			userCall('poke', word, 0);
			assert.equal(kcall('pg_sys_ptrace', PTRACE_PEEKDATA, TRACEE_PID, TRACEE_ANON, word), -ESRCH);
			assert.equal(kcall('pg_sys_ptrace', PTRACE_ATTACH, 999, 0, 0), -ESRCH);
			assert.equal(kcall('pg_sys_ptrace', PTRACE_ATTACH, 0, 0, 0), -EPERM);
			if (version < KV(2, 6, 26)) assert.equal(kcall('pg_sys_ptrace', PTRACE_ATTACH, 1, 0, 0), -EPERM);
			assert.equal(kcall('pg_sys_ptrace', PTRACE_ATTACH, TRACEE_PID, 0, 0), 0);
			// ATTACH queues SIGSTOP; until the tracee takes it (ptrace_signal) it is not stopped and
			// requests fail with ESRCH (ptrace_check_attach). This tracee has no thread: stop it by hand.
			assert.equal(kcall('pg_task_stop_pending', 1), 1);
			assert.equal(kcall('pg_sys_ptrace', PTRACE_PEEKDATA, TRACEE_PID, TRACEE_ANON, word), -ESRCH);
			kcall('pg_task_set_state', 1, TASK_TRACED);
			assert.equal(kcall('pg_task_traced_by_current', 1), 1);
			assert.equal(kcall('pg_sys_ptrace', PTRACE_ATTACH, TRACEE_PID, 0, 0), -EPERM);

			assert.equal(kcall('pg_sys_ptrace', PTRACE_POKEDATA, TRACEE_PID, TRACEE_ANON + 2 * PAGE, 0x1234567), 0);
			assert.equal(kcall('pg_sys_ptrace', PTRACE_PEEKDATA, TRACEE_PID, TRACEE_ANON + 2 * PAGE, word), 0);
			// The word went to *data, in the tracer's memory.
			assert.equal(userCall('peek', word), 0x1234567);
			assert.equal(kcall('pg_sys_ptrace', PTRACE_PEEKDATA, TRACEE_PID, TRACEE_ANON + 8 * PAGE, word), -EIO);
			// A word straddling the end of the VMA is a short copy: EIO.
			assert.equal(kcall('pg_sys_ptrace', PTRACE_PEEKDATA, TRACEE_PID, TRACEE_ANON + 3 * PAGE - 4, word), -EIO);
			// The device mapping: EIO before 2.6.27 (VM_IO), its ->access after.
			kcall('pg_device_set', 16, 0x42);
			const peekDevice = kcall('pg_sys_ptrace', PTRACE_PEEKDATA, TRACEE_PID, TRACEE_DEVICE + 16, word);
			if (version < KV(2, 6, 27)) assert.equal(peekDevice, -EIO);
			else {
				assert.equal(peekDevice, 0);
				assert.equal(userCall('peek', word) & 0xff, 0x42);
			}
			assert.equal(kcall('pg_sys_ptrace', PTRACE_GETREGS, TRACEE_PID, 0, 0), -EIO);
			assert.equal(kcall('pg_sys_ptrace', PTRACE_CONT, TRACEE_PID, 0, 1000), -EIO);
			// A tracee that runs again is not stopped: requests fail until it stops.
			assert.equal(kcall('pg_sys_ptrace', PTRACE_CONT, TRACEE_PID, 0, 0), 0);
			assert.equal(kcall('pg_task_state', 1), TASK_RUNNING);
			assert.equal(kcall('pg_sys_ptrace', PTRACE_PEEKDATA, TRACEE_PID, TRACEE_ANON, word), -ESRCH);
			kcall('pg_task_set_state', 1, TASK_TRACED);
			assert.equal(kcall('pg_sys_ptrace', PTRACE_DETACH, TRACEE_PID, 0, 0), 0);
			assert.equal(kcall('pg_task_state', 1), TASK_RUNNING);
			assert.equal(kcall('pg_task_traced_by_current', 1), 0);
			assert.equal(kcall('pg_sys_ptrace', PTRACE_PEEKDATA, TRACEE_PID, TRACEE_ANON, word), -ESRCH);
			assert.deepEqual(k.lockReports, []);
		});
	});
}
