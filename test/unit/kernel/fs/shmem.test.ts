// tmpfs mappings, msync, mincore and /proc/self on the harness: shmem_zero_setup, the era's fault
// handler of tmpfs VMAs called as the core fault path calls it, msync's and mincore's argument
// rules (mm/msync.c, mm/mincore.c), and procfs's /proc/self/{maps,pagemap} wiring to
// fs/proc/task_mmu.c. Faults through the page tables (PTEs, COW, SIGBUS delivered) are in
// mmap.test.ts on the booted machine.

import * as assert from 'node:assert/strict';
import type { Value } from '../../../../src/interp/contracts';
import { KernelMachine } from '../mm/kernelHarness';

const RAM = 16 << 20;
const PAGE = 4096;
const USER = 0x1000_0000;
const USER_SIZE = 0x40000;
const BUF = USER;
const OUT = USER + 0x20000;
const STRINGS = USER + 0x30000;
/** Where the test address spaces put their VMAs (bookkeeping only: no PTEs in these tests). */
const MAP = 0x4000_0000;

const VM_READ = 0x1;
const VM_WRITE = 0x2;
const VM_SHARED = 0x8;
const VM_MAYREAD = 0x10;
const VM_MAYWRITE = 0x20;
const VM_MAYSHARE = 0x80;
const VM_LOCKED = 0x2000;
const SHARED_RW = VM_READ | VM_WRITE | VM_SHARED | VM_MAYREAD | VM_MAYWRITE | VM_MAYSHARE;
const PRIVATE_RW = VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE;
const O_RDWR = 2;
const O_CREAT = 0o100;
const O_RDONLY = 0;
const MS_ASYNC = 1;
const MS_INVALIDATE = 2;
const MS_SYNC = 4;

const ENOENT = 2;
const EFAULT = 14;
const EBUSY = 16;
const EINVAL = 22;
const ENOMEM = 12;

function signed(v: Value | undefined): number {
	return typeof v === 'bigint' ? Number(BigInt.asIntN(64, v)) : Number(v);
}

const NEW_FAULT_API: Record<string, boolean> = { 'linux-6.8': true, 'linux-2.6.27': true, 'linux-2.6.21': false, 'linux-2.6.18': false };

class Shm {
	readonly m: KernelMachine;
	private strings = STRINGS;

	constructor(readonly profile: string) {
		this.m = new KernelMachine({ profile, tests: ['fs_test.c'], ramBytes: RAM });
		this.m.memory.map(USER, USER_SIZE, { read: true, write: true });
		this.m.call('fs_test_boot', RAM, 1 << 20);
	}

	call(name: string, ...args: Value[]): number {
		return signed(this.m.call(name, ...args));
	}

	ptr(name: string, ...args: Value[]): number {
		return Number(this.m.call(name, ...args));
	}

	str(s: string): number {
		const at = this.strings;
		const bytes = new TextEncoder().encode(`${s}\0`);
		this.m.memory.write(at, bytes);
		this.strings += bytes.length;
		return at;
	}

	open(path: string, flags: number): number {
		return this.call('sys_open', this.str(path), flags, 0o644);
	}

	write(fd: number, bytes: Uint8Array, pos: number): number {
		this.m.memory.write(BUF, bytes);
		return this.call('sys_pwrite64', fd, BUF, bytes.length, pos);
	}

	/** The VMA's fault handler on `address`: its result, whether the page came back locked, the page. */
	fault(vma: number, address: number): { readonly result: number; readonly locked: boolean; readonly page: number } {
		const page = this.ptr('fs_test_call_fault', vma, address, OUT, OUT + 8);
		const result = signed(this.m.memory.ld64s(OUT));
		const locked = this.m.memory.ld32s(OUT + 8) !== 0;
		return { result, locked, page };
	}

	release(page: number, locked: boolean): void {
		this.m.call('fs_test_release_page', page, locked ? 1 : 0);
	}

	mincore(mm: number, start: number, len: number, vec = OUT): { readonly ret: number; readonly vec: number[] } {
		const pages = Math.ceil(len / PAGE);
		this.m.memory.fill(OUT, 0xee, pages);
		const ret = this.call('fs_test_mincore', mm, start, len, vec);
		return { ret, vec: [...this.m.memory.read(OUT, pages)!] };
	}
}

for (const profile of ['linux-6.8', 'linux-2.6.27', 'linux-2.6.21', 'linux-2.6.18']) {
	describe(`KC kernel: tmpfs mappings, msync and mincore (${profile})`, function () {
		this.timeout(60000);
		let shared: Shm;
		const shm = (): Shm => {
			shared ??= new Shm(profile);
			shared.m.call('fs_test_new_files');
			return shared;
		};
		const newApi = NEW_FAULT_API[profile];

		it('shmem_zero_setup gives MAP_SHARED|MAP_ANONYMOUS an unlinked "dev/zero" tmpfs file of the VMA\'s size, linked on its i_mmap', () => {
			const s = shm();
			const mm = s.ptr('fs_test_new_mm');
			const vma = s.ptr('fs_test_map_shared_anon', mm, MAP, 4 * PAGE, SHARED_RW);
			assert.notEqual(vma, 0);
			assert.equal(s.call('fs_test_vma_file_size', vma), 4 * PAGE);
			assert.equal(s.call('fs_test_vma_file_nlink', vma), 0, 'unlinked');
			assert.equal(s.call('fs_test_i_mmap_count', vma), 1, '__vma_link_file put it on i_mmap');
			assert.equal(s.call('fs_test_vma_has_fault_handler', vma), 1);
			// A fault allocates the zeroed page in the file's page cache.
			const f = s.fault(vma, MAP + 2 * PAGE + 123);
			assert.notEqual(f.page, 0);
			assert.equal(f.result, newApi ? 0x200 : 0, newApi ? 'VM_FAULT_LOCKED' : 'a page from ->nopage');
			assert.equal(f.locked, newApi, newApi ? '->fault returns the page locked' : '->nopage returns it unlocked');
			assert.equal(s.call('fs_test_page_refs', f.page), 2, 'the page cache\'s and the fault\'s');
			s.release(f.page, f.locked);
			assert.equal(s.call('fs_test_page_refs', f.page), 1);
			// The same index again: the same page.
			const again = s.fault(vma, MAP + 2 * PAGE);
			assert.equal(again.page, f.page);
			s.release(again.page, again.locked);
			// Unmapping drops the last reference to the file: inode and page go.
			const free = s.call('fs_test_free_pages');
			s.m.call('fs_test_unmap_all', mm);
			assert.ok(s.call('fs_test_free_pages') > free);
		});

		it('tmpfs ->fault/->nopage: the page-cache page, allocated for holes inside EOF, SIGBUS at and beyond EOF (kernel-semantics.md 2.1, 2.3, 2.5)', () => {
			const s = shm();
			const fd = s.open('/tmp/mapped', O_CREAT | O_RDWR);
			assert.equal(s.write(fd, new Uint8Array([1, 2, 3]), 0), 3);
			assert.equal(s.write(fd, new Uint8Array(10).fill(9), 2 * PAGE), 10);
			const mm = s.ptr('fs_test_new_mm');
			const vma = s.ptr('fs_test_map_file', mm, fd, MAP, 4 * PAGE, SHARED_RW, 0);
			assert.notEqual(vma, 0);
			assert.equal(s.call('fs_test_i_mmap_count', vma), 1);
			assert.equal(s.call('fs_test_vma_has_fault_handler', vma), 1);
			assert.equal(s.call('fs_test_file_count', fd), 2, 'the descriptor\'s and vm_file\'s');
			// Page 0: the cached page itself.
			const p0 = s.fault(vma, MAP);
			assert.equal(s.call('fs_test_page_count', fd, 0), 2);
			assert.deepEqual([...s.m.memory.read(s.ptr('fs_test_page_address', p0.page), 4)!], [1, 2, 3, 0], 'the data write() put there');
			s.release(p0.page, p0.locked);
			// Page 1: a hole inside EOF is allocated (SGP_CACHE).
			assert.equal(s.call('fs_test_nrpages', fd), 2);
			const p1 = s.fault(vma, MAP + PAGE);
			assert.notEqual(p1.page, 0);
			assert.equal(s.call('fs_test_nrpages', fd), 3);
			s.release(p1.page, p1.locked);
			// Page 3 lies beyond EOF (size 2 pages + 10 bytes): SIGBUS.
			const beyond = s.fault(vma, MAP + 3 * PAGE);
			assert.equal(beyond.page, 0);
			assert.equal(beyond.result, newApi ? 0x2 : 1, newApi ? 'VM_FAULT_SIGBUS' : 'NOPAGE_SIGBUS');
			// After truncation to nothing every page is beyond EOF.
			assert.equal(s.call('sys_ftruncate', fd, 0), 0);
			assert.equal(s.call('fs_test_nrpages', fd), 0);
			assert.equal(s.fault(vma, MAP).result, newApi ? 0x2 : 1);
			s.m.call('fs_test_unmap_all', mm);
			assert.equal(s.call('fs_test_file_count', fd), 1);
		});

		it('msync: EINVAL for bad flags or alignment, ENOMEM across holes, EBUSY for MS_INVALIDATE on locked VMAs', () => {
			const s = shm();
			const fd = s.open('/tmp/msync', O_CREAT | O_RDWR);
			assert.equal(s.call('sys_ftruncate', fd, PAGE), 0);
			const mm = s.ptr('fs_test_new_mm');
			const anon = s.ptr('fs_test_map_anon', mm, MAP, 2 * PAGE, PRIVATE_RW);
			assert.notEqual(s.ptr('fs_test_map_file', mm, fd, MAP + 3 * PAGE, PAGE, SHARED_RW, 0), 0);
			const msync = (start: number, len: number, flags: number): number => s.call('fs_test_msync', mm, start, len, flags);
			assert.equal(msync(MAP + 1, PAGE, MS_SYNC), -EINVAL, 'unaligned start');
			assert.equal(msync(MAP, PAGE, 8), -EINVAL, 'unknown flag');
			assert.equal(msync(MAP, PAGE, MS_ASYNC | MS_SYNC), -EINVAL);
			assert.equal(msync(MAP, 0, MS_SYNC), 0, 'empty range');
			assert.equal(s.call('fs_test_msync', mm, MAP, -PAGE, MS_SYNC), -ENOMEM, 'wraps around');
			assert.equal(msync(MAP, 2 * PAGE, MS_SYNC), 0);
			assert.equal(msync(MAP, 2 * PAGE - 100, MS_ASYNC), 0, 'length rounded up to pages');
			assert.equal(msync(MAP + 3 * PAGE, PAGE, MS_SYNC), 0, 'a shared file mapping: fsync (nothing to write)');
			assert.equal(msync(MAP, 4 * PAGE, MS_SYNC), -ENOMEM, 'the hole at MAP + 2 pages');
			assert.equal(msync(MAP + 2 * PAGE, 2 * PAGE, MS_ASYNC), -ENOMEM, 'starts in the hole');
			assert.equal(msync(MAP + 8 * PAGE, PAGE, MS_SYNC), -ENOMEM, 'beyond every VMA');
			assert.equal(msync(MAP, PAGE, MS_INVALIDATE), 0);
			s.m.call('fs_test_set_vma_flags', anon, PRIVATE_RW | VM_LOCKED);
			assert.equal(msync(MAP, PAGE, MS_INVALIDATE), -EBUSY);
			assert.equal(msync(MAP, PAGE, MS_SYNC), 0, 'only MS_INVALIDATE cares about VM_LOCKED');
			s.m.call('fs_test_unmap_all', mm);
		});

		it('mincore: file VMAs report page-cache residency, anonymous ones their PTEs (2.6.18: -ENOMEM); EINVAL, ENOMEM, EFAULT', () => {
			const s = shm();
			const fd = s.open('/tmp/mincore', O_CREAT | O_RDWR);
			assert.equal(s.write(fd, new Uint8Array([1]), 0), 1);
			assert.equal(s.write(fd, new Uint8Array([1]), 2 * PAGE), 1);
			const mm = s.ptr('fs_test_new_mm');
			assert.notEqual(s.ptr('fs_test_map_file', mm, fd, MAP, 4 * PAGE, SHARED_RW, 0), 0);
			assert.notEqual(s.ptr('fs_test_map_anon', mm, MAP + 4 * PAGE, 2 * PAGE, PRIVATE_RW), 0);
			// Pages 0 and 2 are cached (no PTE maps them yet: residency comes from the page cache).
			assert.deepEqual(s.mincore(mm, MAP, 4 * PAGE), { ret: 0, vec: [1, 0, 1, 0] });
			// A file VMA at an offset.
			assert.deepEqual(s.mincore(mm, MAP + 2 * PAGE, PAGE + 1), { ret: 0, vec: [1, 0] });
			// Anonymous memory without PTEs: not resident, or (2.6.18) not supported at all.
			const anon = s.mincore(mm, MAP + 4 * PAGE, 2 * PAGE);
			if (profile === 'linux-2.6.18') assert.equal(anon.ret, -ENOMEM);
			else assert.deepEqual(anon, { ret: 0, vec: [0, 0] });
			assert.equal(s.mincore(mm, MAP + 1, PAGE).ret, -EINVAL);
			assert.equal(s.mincore(mm, MAP + 6 * PAGE, PAGE).ret, -ENOMEM, 'not mapped');
			assert.equal(s.mincore(mm, MAP - PAGE, 2 * PAGE).ret, -ENOMEM, 'starts before the VMA');
			assert.equal(s.mincore(mm, 0x7fff_ffff_0000, 0x100000).ret, -ENOMEM, 'beyond user space');
			assert.equal(s.call('fs_test_mincore', mm, MAP, PAGE, 0xffff_8880_0000_0000n), -EFAULT, 'vec not in user space');
			s.m.call('fs_test_unmap_all', mm);
		});

		it('/proc/self is the reader\'s /proc/<pid>; its maps and pagemap come from task_mmu.c', () => {
			const s = shm();
			const fdFile = s.open('/tmp/in-maps', O_CREAT | O_RDWR);
			assert.equal(s.call('sys_ftruncate', fdFile, PAGE), 0);
			const mm = s.ptr('fs_test_new_mm');
			assert.notEqual(s.ptr('fs_test_map_file', mm, fdFile, MAP, PAGE, SHARED_RW, 0), 0);
			s.m.call('fs_test_set_mm', mm);
			// pid 0 (the idle task) has no /proc entry.
			s.m.call('fs_test_set_pid', 0);
			assert.equal(s.open('/proc/self/maps', O_RDONLY), -ENOENT);
			s.m.call('fs_test_set_pid', 1);
			try {
				assert.equal(s.open('/proc/2/maps', O_RDONLY), -ENOENT);
				// /proc/self is a symbolic link to "1"; stat follows it, lstat does not.
				assert.equal(s.call('sys_newlstat', s.str('/proc/self'), OUT), 0);
				assert.equal(s.m.memory.ld32u(OUT + 24) & 0o170000, 0o120000);
				assert.equal(s.call('sys_newstat', s.str('/proc/self'), OUT), 0);
				assert.equal(s.m.memory.ld32u(OUT + 24) & 0o170000, 0o040000);
				const fd = s.open('/proc/self/maps', O_RDONLY);
				assert.ok(fd >= 0, String(fd));
				const n = s.call('sys_read', fd, BUF, 4096);
				assert.ok(n > 0, String(n));
				const text = new TextDecoder().decode(s.m.memory.read(BUF, n)!);
				assert.match(text, /^40000000-40001000 rw-s 00000000 00:\w\w \d+ +\/tmp\/in-maps\n$/);
				assert.equal(s.call('sys_close', fd), 0);
				const byPid = s.open('/proc/1/maps', O_RDONLY);
				assert.equal(s.call('sys_read', byPid, BUF, 4096), n);
				if (profile === 'linux-6.8' || profile === 'linux-2.6.27') {
					const pm = s.open('/proc/self/pagemap', O_RDONLY);
					assert.ok(pm >= 0);
					assert.equal(s.call('sys_lseek', pm, (MAP / PAGE) * 8, 0), (MAP / PAGE) * 8);
					assert.equal(s.call('sys_read', pm, BUF, 8), 8);
					// No PTE yet: 6.8 shows an empty entry, 2.6.27 PM_NOT_PRESENT with the page shift.
					const entry = BigInt(s.m.memory.ld64u(BUF));
					assert.equal(entry === 0n, profile === 'linux-6.8');
				} else {
					// 85863e475e5: /proc/<pid> has no pagemap entry before 2.6.25.
					assert.equal(s.open('/proc/self/pagemap', O_RDONLY), -ENOENT);
				}
			} finally {
				s.m.call('fs_test_set_pid', 0);
				s.m.call('fs_test_set_mm', 0);
			}
		});
	});
}
