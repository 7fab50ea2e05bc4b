// File mappings on the booted machine: tmpfs files mapped with mmap (mm/mmap.c's vm_mmap_pgoff on
// a descriptor, as sys_mmap does), user threads storing and loading through them, page faults
// through the era's fault path into shmem's handler, read()/write() through the page cache, COW of
// private mappings, truncation zapping the mappings (SIGBUS beyond EOF), mincore with real PTEs,
// and a user copy into an unmapped buffer failing with -EFAULT by the exception-table rule.
// The KC driver is test/unit/kernel/mm/kc/fs_mmap_test.c.

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
import type { HostConsole } from '../../../../src/kernel/builtins/console';
import { createUserThread, pageFaultErrorCode, runWithFaults } from '../../../../src/kernel/faults';
import { decodePte, pdIndex, pdptIndex, pml4Index, ptIndex, type DecodedPte, type PagingLevel } from '../../../../src/kernel/hw/pageTable';
import { findProfile } from '../../../../src/sim/profiles';
import { kernelFiles } from '../mm/kernelHarness';

const DRIVER = 'test/fs_mmap_test.c';

const files: Record<string, string> = { ...kernelFiles() };

const PAGE = 4096;
const RAM = 16 << 20;
/** User buffers for read/write/mincore. */
const UBUF = 0x3000_0000;
const UBUF_PAGES = 4;
/** Never mapped. */
const HOLE = 0x3800_0000;
const SHARED_AT = 0x4000_0000;
const PRIVATE_AT = 0x4100_0000;
const TRUNC_AT = 0x4200_0000;
const ANON_SHARED_AT = 0x4300_0000;
const ANON_AT = 0x4400_0000;
const STACK = FlatLayout.stackTop - FlatLayout.stackSize;

const PROT_READ = 0x1;
const PROT_WRITE = 0x2;
const MAP_SHARED = 0x01;
const MAP_PRIVATE = 0x02;
const MAP_FIXED = 0x10;
const MAP_ANONYMOUS = 0x20;
const O_RDWR = 2;
const O_CREAT = 0o100;
const SIGBUS = 7;
const EFAULT = 14;
const ENOMEM = 12;

const USER_SOURCE = `
void poke(long *p, long v)
{
	*p = v;
}

int peekb(unsigned char *p)
{
	return *p;
}

void pokeb(unsigned char *p, int v)
{
	*p = (unsigned char)v;
}

void fill(unsigned char *p, int c, int n)
{
	int i;

	for (i = 0; i < n; i++)
		p[i] = (unsigned char)c;
}
`;

function userProgram(): Program {
	const compiled = compileUnit('user.c', memorySources({ 'user.c': USER_SOURCE }, []), {});
	assert.deepEqual(compiled.diagnostics.map(formatDiagnostic), []);
	const linked = linkProgram([compiled.unit!], new Map(), FlatLayout, { name: 'user', privilege: 'user' });
	assert.deepEqual(linked.diagnostics.map(formatDiagnostic), []);
	return linked.program!;
}

/** The 4-level walk of `va` in the tables at `pgdPhys`, top down. */
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

function pteOf(k: BootedKernel, pgdPhys: number, va: number): DecodedPte | undefined {
	const entries = walk(k, pgdPhys, va);
	const last = entries[entries.length - 1];
	return entries.length === 4 && last.present ? last : undefined;
}

function readUser(k: BootedKernel, pgdPhys: number, va: number, length: number): Uint8Array {
	const pte = pteOf(k, pgdPhys, va);
	assert.ok(pte !== undefined, `user page ${va.toString(16)} is not mapped`);
	return k.machine.phys.read(pte.physicalAddress + (va % PAGE), length)!;
}

class Recording implements HostConsole {
	readonly out: string[] = ['', '', ''];

	write(stream: number, bytes: Uint8Array): void {
		this.out[stream] += new TextDecoder().decode(bytes);
	}

	read(): Uint8Array {
		return new Uint8Array(0);
	}

	isatty(): boolean {
		return false;
	}
}

for (const name of ['linux-6.8', 'linux-2.6.27', 'linux-2.6.21', 'linux-2.6.18']) {
	describe(`file mappings on the booted machine (${name})`, function () {
		this.timeout(120000);
		let k: BootedKernel;
		let user: Program;
		let pgd: number;

		/** Calls `fn(args)` on CPU 1's kernel thread as init_task, resolving user-copy faults (exception table). */
		function kcall(fn: string, ...args: Value[]): number {
			const thread = kernelThread(k, 1, fn, args);
			for (let faults = 0; ; faults++) {
				const stop = run(thread, 50_000_000);
				if (stop.kind === 'fault' && k.builtins!.uaccess.inUserCopy(1) && faults < 64) {
					injectCall(thread, 'do_page_fault', [pageFaultErrorCode(stop.fault, 'kernel'), ptrToU64(stop.fault.address)], ret => {
						if (ret !== undefined && toI32(ret) !== 0) k.builtins!.uaccess.applyFixup(1);
						return { kind: 'resume' };
					});
					continue;
				}
				assert.equal(stop.kind, 'exited', `${fn}: ${JSON.stringify(stop)}\n${k.log.text()}`);
				return stop.kind === 'exited' ? stop.code : 0;
			}
		}

		/** Runs the user function on CPU 0, demand-faulting; the exit code, or the signal as -signal. */
		function userCall(fn: string, ...args: Value[]): number {
			const stop = runWithFaults(createUserThread(k, user, 0, fn, args), 1_000_000);
			if (stop.kind === 'trap' && (stop as { signal?: number }).signal !== undefined) return -(stop as { signal: number }).signal;
			assert.equal(stop.kind, 'exited', `${JSON.stringify(stop)}\n${k.log.text()}`);
			return stop.kind === 'exited' ? stop.code : 0;
		}

		function text(va: number, n: number): string {
			return new TextDecoder().decode(readUser(k, pgd, va, n));
		}

		before(() => {
			const profile = findProfile(name);
			assert.ok(profile !== undefined);
			const units = [...KERNEL_UNITS, DRIVER];
			k = bootKernel({ ramBytes: RAM, cpus: 2, profile, sources: memorySources(files, ['include']), units });
			assert.deepEqual(k.diagnostics.filter(d => d.severity === 'error').map(formatDiagnostic), []);
			assert.equal(k.booted, true, k.log.text());
			user = userProgram();
			pgd = kcall('boot_test_new_mm');
			assert.ok(pgd > 0);
			for (const cpu of k.machine.cpus) cpu.mmu.setCr3(pgd);
			assert.equal(kcall('boot_test_map_anon', UBUF, UBUF_PAGES * PAGE), 0);
			assert.equal(kcall('boot_test_map_anon', STACK, FlatLayout.stackSize), 0);
			assert.equal(kcall('fsm_setup'), 0);
		});

		it('MAP_SHARED: a store through the mapping is what read() returns, a write() is what the mapping shows: one page-cache page', () => {
			const fd = kcall('fsm_open', 0, O_CREAT | O_RDWR);
			assert.ok(fd >= 0);
			assert.equal(kcall('sys_ftruncate', fd, 2 * PAGE), 0);
			assert.equal(kcall('fsm_mmap', fd, SHARED_AT, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, 0), SHARED_AT);
			assert.equal(kcall('fsm_nrpages', fd), 0, 'nothing faulted yet');
			assert.equal(userCall('poke', SHARED_AT + 8, 0x41424344), 0);
			assert.equal(kcall('fsm_nrpages', fd), 1);
			const pte = pteOf(k, pgd, SHARED_AT);
			assert.ok(pte !== undefined && pte.writable);
			assert.equal(pte.physicalAddress, kcall('fsm_page_phys', fd, 0), 'the PTE maps the page-cache page');
			assert.equal(kcall('fsm_page_mapcount', fd, 0), 1);
			assert.equal(kcall('fsm_page_count', fd, 0), 2, 'the cache\'s reference and the mapping\'s');
			assert.equal(kcall('sys_pread64', fd, UBUF, 16, 0), 16);
			assert.equal(text(UBUF + 8, 4), 'DCBA');
			// write() into the second page, then load it through the mapping.
			assert.equal(userCall('fill', UBUF, 0x5a, 8), 0);
			assert.equal(kcall('sys_pwrite64', fd, UBUF, 8, PAGE + 100), 8);
			assert.equal(userCall('peekb', SHARED_AT + PAGE + 100), 0x5a);
			assert.equal(pteOf(k, pgd, SHARED_AT + PAGE)!.physicalAddress, kcall('fsm_page_phys', fd, 1));
		});

		it('MAP_PRIVATE: loads see the file, a store copies the page away from the page cache', () => {
			const fd = kcall('fsm_open', 1, O_CREAT | O_RDWR);
			assert.equal(userCall('fill', UBUF, 0x41, 16), 0);
			assert.equal(kcall('sys_pwrite64', fd, UBUF, 16, 0), 16);
			assert.equal(kcall('fsm_mmap', fd, PRIVATE_AT, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_FIXED, 0), PRIVATE_AT);
			assert.equal(userCall('peekb', PRIVATE_AT + 1), 0x41);
			const cached = kcall('fsm_page_phys', fd, 0);
			const before = pteOf(k, pgd, PRIVATE_AT);
			assert.ok(before !== undefined);
			assert.equal(before.physicalAddress, cached, 'a read fault maps the cache page');
			assert.equal(before.writable, false, 'read-only until written (COW)');
			assert.equal(userCall('pokeb', PRIVATE_AT, 0x42), 0);
			const after = pteOf(k, pgd, PRIVATE_AT)!;
			assert.notEqual(after.physicalAddress, cached, 'the store copied the page');
			assert.equal(after.writable, true);
			assert.equal(kcall('sys_pread64', fd, UBUF, 2, 0), 2);
			assert.equal(text(UBUF, 2), 'AA', 'the file is unchanged');
			// The copy no longer follows the file.
			assert.equal(userCall('fill', UBUF, 0x43, 1), 0);
			assert.equal(kcall('sys_pwrite64', fd, UBUF, 1, 1), 1);
			assert.deepEqual([userCall('peekb', PRIVATE_AT), userCall('peekb', PRIVATE_AT + 1)], [0x42, 0x41]);
		});

		it('truncation zaps the mappings beyond the new end: access there is SIGBUS (kernel-semantics.md 2.1, 2.5)', () => {
			const fd = kcall('fsm_open', 2, O_CREAT | O_RDWR);
			assert.equal(kcall('sys_ftruncate', fd, 3 * PAGE), 0);
			assert.equal(kcall('fsm_mmap', fd, TRUNC_AT, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, 0), TRUNC_AT);
			for (let i = 0; i < 3; i++) assert.equal(userCall('poke', TRUNC_AT + i * PAGE, i + 1), 0);
			assert.equal(kcall('fsm_nrpages', fd), 3);
			assert.equal(kcall('sys_ftruncate', fd, PAGE), 0);
			assert.ok(pteOf(k, pgd, TRUNC_AT) !== undefined, 'the page inside the file stays mapped');
			assert.equal(pteOf(k, pgd, TRUNC_AT + PAGE), undefined, 'unmap_mapping_range zapped it');
			assert.equal(pteOf(k, pgd, TRUNC_AT + 2 * PAGE), undefined);
			assert.equal(kcall('fsm_nrpages', fd), 1, 'truncate_inode_pages freed the cache pages');
			assert.equal(userCall('peekb', TRUNC_AT + PAGE), -SIGBUS);
			assert.equal(userCall('poke', TRUNC_AT + 2 * PAGE, 9), -SIGBUS);
			assert.equal(userCall('peekb', TRUNC_AT), 1);
			// Growing the file again makes the range valid (zero-filled).
			assert.equal(kcall('sys_ftruncate', fd, 3 * PAGE), 0);
			assert.equal(userCall('peekb', TRUNC_AT + PAGE), 0);
		});

		it('MAP_SHARED|MAP_ANONYMOUS is tmpfs memory; mincore reports PTEs and page-cache pages', () => {
			assert.equal(kcall('fsm_mmap', -1, ANON_SHARED_AT, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, 0), ANON_SHARED_AT);
			assert.equal(userCall('poke', ANON_SHARED_AT, 7), 0);
			assert.equal(userCall('fill', UBUF, 0xee, 8), 0);
			assert.equal(kcall('sys_mincore', ANON_SHARED_AT, 2 * PAGE, UBUF), 0);
			assert.deepEqual([...readUser(k, pgd, UBUF, 2)], [1, 0]);
			// Private anonymous memory: present PTEs (2.6.18 answered only for file mappings).
			assert.equal(kcall('fsm_mmap', -1, ANON_AT, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, 0), ANON_AT);
			assert.equal(userCall('poke', ANON_AT + 2 * PAGE, 1), 0);
			const ret = kcall('sys_mincore', ANON_AT, 3 * PAGE, UBUF);
			if (name === 'linux-2.6.18') {
				assert.equal(ret, -ENOMEM);
			} else {
				assert.equal(ret, 0);
				assert.deepEqual([...readUser(k, pgd, UBUF, 3)], [0, 0, 1]);
			}
			// The shared file mapping of the first test: both pages cached and mapped.
			assert.equal(kcall('sys_mincore', SHARED_AT, 2 * PAGE, UBUF), 0);
			assert.deepEqual([...readUser(k, pgd, UBUF, 2)], [1, 1]);
			assert.equal(kcall('sys_mincore', SHARED_AT, 2 * PAGE, HOLE), -EFAULT, 'vec not mapped');
		});

		it('a user copy to or from an unmapped buffer fails with -EFAULT (exception-table rule)', () => {
			const fd = kcall('fsm_open', 3, O_CREAT | O_RDWR);
			assert.equal(userCall('fill', UBUF, 0x61, 8), 0);
			assert.equal(kcall('sys_pwrite64', fd, UBUF, 8, 0), 8);
			assert.equal(kcall('sys_pread64', fd, HOLE, 8, 0), -EFAULT);
			assert.equal(kcall('sys_pwrite64', fd, HOLE, 8, 0), -EFAULT);
			// A read that crosses into the hole copies what it can.
			assert.equal(kcall('sys_pread64', fd, UBUF + UBUF_PAGES * PAGE - 4, 8, 0), 4);
		});

		it('the console: write(2) on fds 1 and 2 of console_stdio_files reaches the host streams', () => {
			const host = new Recording();
			k.builtins!.setConsole(host);
			assert.equal(kcall('fsm_use_console'), 0);
			assert.equal(userCall('fill', UBUF, 0x21, 3), 0);
			assert.equal(kcall('sys_write', 1, UBUF, 3), 3);
			assert.equal(kcall('sys_write', 2, UBUF, 1), 1);
			assert.deepEqual(host.out, ['', '!!!', '!']);
			assert.equal(kcall('fsm_restore_files'), 0);
		});
	});
}
