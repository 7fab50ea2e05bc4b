// The VFS, tmpfs and the file system calls of the KC kernel (kc/kernel/fs/, mm/shmem.c,
// mm/filemap.c, mm/truncate.c) on the harness: sys_* called as the syscall table would, with user
// buffers in a user-space region of the harness memory, and fs_test.c's probes for reference counts
// and page-cache state.

import * as assert from 'node:assert/strict';
import type { Value } from '../../../../src/interp/contracts';
import type { HostConsole } from '../../../../src/kernel/builtins/console';
import { KernelMachine } from '../mm/kernelHarness';

const RAM = 16 << 20;
const PAGE = 4096;
/** User memory of the test "process": buffers and path strings. */
const USER = 0x1000_0000;
const USER_SIZE = 0x40000;
const BUF = USER;
const BUF2 = USER + 0x10000;
const STATBUF = USER + 0x20000;
const STRINGS = USER + 0x30000;

const O_RDONLY = 0;
const O_WRONLY = 1;
const O_RDWR = 2;
const O_CREAT = 0o100;
const O_EXCL = 0o200;
const O_TRUNC = 0o1000;
const O_APPEND = 0o2000;
const O_DIRECTORY = 0o200000;
const O_CLOEXEC = 0o2000000;
const F_GETFD = 1;
const F_SETFD = 2;
const F_GETFL = 3;
const FD_CLOEXEC = 1;
const SEEK_SET = 0;
const SEEK_CUR = 1;
const SEEK_END = 2;
const AT_FDCWD = -100;
const AT_REMOVEDIR = 0x200;
const AT_EMPTY_PATH = 0x1000;
const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const S_IFCHR = 0o020000;
const TCGETS = 0x5401;
const PG_locked = 0;
const PG_uptodate = 3;
const PG_dirty = 4;

const ENOENT = 2;
const EBADF = 9;
const EFAULT = 14;
const EEXIST = 17;
const ENOTDIR = 20;
const EISDIR = 21;
const EINVAL = 22;
const ENOTTY = 25;
const ESPIPE = 29;
const ENXIO = 6;
const ENOTEMPTY = 39;

/** A long result (-errno in two's complement when it came back as a 64-bit value). */
function signed(v: Value | undefined): number {
	return typeof v === 'bigint' ? Number(BigInt.asIntN(64, v)) : Number(v);
}

interface Stat {
	readonly dev: number;
	readonly ino: number;
	readonly nlink: number;
	readonly mode: number;
	readonly rdev: number;
	readonly size: number;
	readonly blksize: number;
	readonly blocks: number;
}

/** A booted harness kernel with the VFS and a file table for `current`. */
class Vfs {
	readonly m: KernelMachine;
	private strings = STRINGS;

	constructor(readonly profile: string) {
		this.m = new KernelMachine({ profile, tests: ['fs_test.c'], ramBytes: RAM });
		this.m.memory.map(USER, USER_SIZE, { read: true, write: true });
		this.m.call('fs_test_boot', RAM, 1 << 20);
	}

	/** A new empty file table for `current` (each test starts from descriptor 0). */
	fresh(): this {
		this.m.call('fs_test_new_files');
		this.strings = STRINGS;
		return this;
	}

	call(name: string, ...args: Value[]): number {
		return signed(this.m.call(name, ...args));
	}

	/** A NUL-terminated string in user memory. */
	str(s: string): number {
		const at = this.strings;
		const bytes = new TextEncoder().encode(`${s}\0`);
		this.m.memory.write(at, bytes);
		this.strings += bytes.length;
		return at;
	}

	open(path: string, flags: number, mode = 0o644): number {
		return this.call('sys_open', this.str(path), flags, mode);
	}

	write(fd: number, data: string | Uint8Array): number {
		const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
		this.m.memory.write(BUF, bytes);
		return this.call('sys_write', fd, BUF, bytes.length);
	}

	/** read(fd, n): the result and the bytes read. */
	read(fd: number, n: number): { readonly ret: number; readonly text: string; readonly bytes: Uint8Array } {
		this.m.memory.fill(BUF2, 0xee, n);
		const ret = this.call('sys_read', fd, BUF2, n);
		const bytes = ret > 0 ? this.m.memory.read(BUF2, ret)! : new Uint8Array(0);
		return { ret, bytes, text: new TextDecoder().decode(bytes) };
	}

	lseek(fd: number, offset: number, whence: number): number {
		return this.call('sys_lseek', fd, offset, whence);
	}

	private decodeStat(): Stat {
		const raw = this.m.memory.read(STATBUF, 144)!;
		const dv = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
		const u64 = (at: number): number => Number(dv.getBigUint64(at, true));
		return {
			dev: u64(0), ino: u64(8), nlink: u64(16), mode: dv.getUint32(24, true), rdev: u64(40),
			size: u64(48), blksize: u64(56), blocks: u64(64),
		};
	}

	stat(path: string): Stat | number {
		const ret = this.call('sys_newstat', this.str(path), STATBUF);
		return ret === 0 ? this.decodeStat() : ret;
	}

	fstat(fd: number): Stat | number {
		const ret = this.call('sys_newfstat', fd, STATBUF);
		return ret === 0 ? this.decodeStat() : ret;
	}

	fstatat(dfd: number, path: string, flags: number): Stat | number {
		const ret = this.call('sys_newfstatat', dfd, this.str(path), STATBUF, flags);
		return ret === 0 ? this.decodeStat() : ret;
	}
}

function st(v: Stat | number): Stat {
	assert.equal(typeof v, 'object', `stat failed: ${String(v)}`);
	return v as Stat;
}

/** A host console that records output and serves input. */
class RecordingConsole implements HostConsole {
	readonly out: string[] = ['', '', ''];
	input = '';
	tty = false;

	write(stream: number, bytes: Uint8Array): void {
		this.out[stream] += new TextDecoder().decode(bytes);
	}

	read(_stream: number, max: number): Uint8Array {
		const chunk = this.input.slice(0, max);
		this.input = this.input.slice(chunk.length);
		return new TextEncoder().encode(chunk);
	}

	isatty(): boolean {
		return this.tty;
	}
}

for (const profile of ['linux-6.8', 'linux-2.6.18']) {
	describe(`KC kernel: the VFS and tmpfs (${profile})`, function () {
		this.timeout(60000);
		let machine: Vfs;
		/** One booted kernel per profile; each test gets a fresh file table and its own file names. */
		const vfs = (): Vfs => (machine ??= new Vfs(profile)).fresh();

		it('open(O_CREAT|O_EXCL) gives the lowest free descriptor; write, lseek and read move the file position', () => {
			const v = vfs();
			const fd = v.open('/tmp/f', O_CREAT | O_EXCL | O_RDWR);
			assert.equal(fd, 0);
			assert.equal(v.open('/tmp/f', O_CREAT | O_EXCL | O_RDWR), -EEXIST);
			assert.equal(v.open('/tmp/f', O_RDONLY), 1);
			assert.equal(v.call('sys_close', 0), 0);
			assert.equal(v.call('sys_close', 0), -EBADF);
			assert.equal(v.open('/tmp/f', O_RDWR), 0, 'the lowest free descriptor again');

			assert.equal(v.write(0, 'hello'), 5);
			assert.equal(v.lseek(0, 0, SEEK_CUR), 5);
			assert.equal(v.lseek(0, 0, SEEK_SET), 0);
			assert.deepEqual([v.read(0, 100).ret, v.lseek(0, 0, SEEK_CUR)], [5, 5]);
			assert.equal(v.read(0, 100).ret, 0, 'end of file');
			// The other descriptor has its own position.
			assert.equal(v.read(1, 3).text, 'hel');
			// A hole past the end reads as zeros.
			assert.equal(v.lseek(0, 10, SEEK_END), 15);
			assert.equal(v.write(0, 'X'), 1);
			assert.equal(v.lseek(0, 5, SEEK_SET), 5);
			assert.deepEqual([...v.read(0, 100).bytes], [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 'X'.charCodeAt(0)]);
			assert.equal(v.lseek(0, -1, SEEK_SET), -EINVAL);
			assert.equal(v.lseek(0, 0, 3), -EINVAL);
			assert.equal(st(v.fstat(0)).size, 16);

			// pread/pwrite leave the position alone.
			assert.equal(v.lseek(0, 2, SEEK_SET), 2);
			v.m.memory.write(BUF, new TextEncoder().encode('J'));
			assert.equal(v.call('sys_pwrite64', 0, BUF, 1, 0), 1);
			assert.equal(v.call('sys_pread64', 0, BUF2, 5, 0), 5);
			assert.equal(new TextDecoder().decode(v.m.memory.read(BUF2, 5)!), 'Jello');
			assert.equal(v.call('sys_pread64', 0, BUF2, 5, -1), -EINVAL);
			assert.equal(v.lseek(0, 0, SEEK_CUR), 2);

			// O_APPEND writes at the end whatever the position; O_TRUNC empties.
			const ap = v.open('/tmp/f', O_WRONLY | O_APPEND);
			assert.equal(v.write(ap, '!'), 1);
			assert.equal(st(v.fstat(ap)).size, 17);
			const tr = v.open('/tmp/f', O_WRONLY | O_TRUNC);
			assert.equal(st(v.fstat(tr)).size, 0);
		});

		it('the page cache: a page per written index with the cache\'s reference, holes unallocated, truncation frees and zeroes', () => {
			const v = vfs();
			const fd = v.open('/tmp/pc', O_CREAT | O_RDWR);
			const before = v.call('fs_test_free_pages');
			assert.equal(v.write(fd, 'abcdef'), 6);
			assert.equal(v.lseek(fd, 3 * PAGE, SEEK_SET), 3 * PAGE);
			assert.equal(v.write(fd, 'z'), 1);
			assert.equal(v.call('fs_test_nrpages', fd), 2);
			assert.equal(v.call('fs_test_page_count', fd, 0), 1, 'only the page cache holds it');
			assert.equal(v.call('fs_test_page_count', fd, 1), -1, 'a hole');
			const flags = v.call('fs_test_page_flags', fd, 0);
			assert.ok(flags & (1 << PG_uptodate));
			assert.ok(flags & (1 << PG_dirty));
			assert.equal(flags & (1 << PG_locked), 0);
			assert.equal(v.call('fs_test_sb_used', fd), 2);
			assert.ok(before - v.call('fs_test_free_pages') >= 2);
			// Reading the hole allocates nothing.
			assert.equal(v.call('sys_pread64', fd, BUF2, 2 * PAGE, PAGE), 2 * PAGE);
			assert.equal(v.call('fs_test_nrpages', fd), 2);
			const stat = st(v.fstat(fd));
			assert.equal(stat.size, 3 * PAGE + 1);
			assert.equal(stat.blocks, 2 * (PAGE / 512));

			// Shrinking frees the pages beyond the end and zeroes the tail of the last one.
			assert.equal(v.call('sys_ftruncate', fd, 3), 0);
			assert.equal(v.call('fs_test_nrpages', fd), 1);
			assert.equal(v.call('fs_test_sb_used', fd), 1);
			assert.equal(v.call('sys_pread64', fd, BUF2, 100, 0), 3);
			// Growing adds no pages; the old tail reads as zeros.
			assert.equal(v.call('sys_ftruncate', fd, 10), 0);
			assert.equal(v.call('fs_test_nrpages', fd), 1);
			assert.equal(v.call('sys_pread64', fd, BUF2, 100, 0), 10);
			assert.deepEqual([...v.m.memory.read(BUF2, 10)!], [97, 98, 99, 0, 0, 0, 0, 0, 0, 0]);
			// truncate(2) by name.
			assert.equal(v.call('sys_truncate', v.str('/tmp/pc'), 0), 0);
			assert.equal(v.call('fs_test_nrpages', fd), 0);
			assert.equal(v.call('fs_test_sb_used', fd), 0);
		});

		it('unlink: the inode and its pages live while a descriptor is open, and go with the last close', () => {
			const v = vfs();
			const fd = v.open('/tmp/u', O_CREAT | O_RDWR);
			const before = v.call('fs_test_free_pages');
			assert.equal(v.write(fd, new Uint8Array(3 * PAGE).fill(7)), 3 * PAGE);
			const other = v.open('/tmp/u', O_RDONLY);
			assert.equal(v.call('fs_test_inode_count', fd), 1, 'the dentry holds the inode');
			assert.equal(v.call('fs_test_dentry_count', fd), 3, 'tmpfs\'s pin and two open files');
			assert.equal(v.call('sys_unlink', v.str('/tmp/u')), 0);
			assert.equal(v.call('fs_test_nlink', fd), 0);
			assert.equal(v.open('/tmp/u', O_RDONLY), -ENOENT);
			assert.equal(v.stat('/tmp/u'), -ENOENT);
			assert.equal(st(v.fstat(fd)).nlink, 0);
			assert.equal(v.call('sys_unlink', v.str('/tmp/u')), -ENOENT);
			// Still readable and writable through the descriptors.
			assert.equal(v.read(other, 4).ret, 4);
			assert.equal(v.call('sys_close', other), 0);
			assert.equal(v.call('fs_test_nrpages', fd), 3);
			const sentinel = v.open('/tmp/sentinel', O_CREAT | O_RDWR);
			assert.equal(v.call('fs_test_sb_used', sentinel), 3);
			assert.equal(v.call('sys_close', fd), 0);
			assert.equal(v.call('fs_test_sb_used', sentinel), 0, 'the last close freed the pages');
			assert.ok(v.call('fs_test_free_pages') >= before);
			// The name is free again.
			assert.equal(v.open('/tmp/u', O_CREAT | O_EXCL | O_RDWR), 0);
		});

		it('errors: ENOENT, ENOTDIR, EISDIR, EBADF, EINVAL, EFAULT, ENOTEMPTY', () => {
			const v = vfs();
			assert.equal(v.open('/nope/x', O_CREAT | O_RDWR), -ENOENT);
			assert.equal(v.open('/tmp/missing', O_RDONLY), -ENOENT);
			const fd = v.open('/tmp/file', O_CREAT | O_WRONLY);
			assert.equal(fd, 0);
			assert.equal(v.open('/tmp/file/x', O_RDONLY), -ENOTDIR);
			assert.equal(v.open('/tmp/file', O_RDONLY | O_DIRECTORY), -ENOTDIR);
			assert.equal(v.open('/tmp', O_RDWR), -EISDIR);
			assert.equal(v.open('/tmp/', O_CREAT | O_RDWR), -EISDIR);
			assert.equal(v.open('/tmp', O_CREAT | O_RDONLY), -EISDIR, 'O_CREAT never opens a directory');
			const dir = v.open('/tmp', O_RDONLY | O_DIRECTORY);
			assert.equal(v.read(dir, 10).ret, -EISDIR);
			assert.equal(v.read(fd, 10).ret, -EBADF, 'read on a write-only file');
			const ro = v.open('/tmp/file', O_RDONLY);
			assert.equal(v.write(ro, 'x'), -EBADF, 'write on a read-only file');
			assert.equal(v.call('sys_ftruncate', ro, 0), -EINVAL, 'ftruncate of a file not open for writing');
			assert.equal(v.call('sys_ftruncate', fd, -1), -EINVAL);
			assert.equal(v.call('sys_ftruncate', 42, 0), -EBADF);
			assert.equal(v.call('sys_truncate', v.str('/tmp'), 0), -EISDIR);
			assert.equal(v.read(42, 1).ret, -EBADF);
			assert.equal(v.call('sys_write', fd, 0xffff_8880_0000_0000n, 4), -EFAULT, 'a kernel address (access_ok)');
			assert.equal(v.call('sys_unlink', v.str('/tmp')), -EISDIR);
			assert.equal(v.call('sys_mkdir', v.str('/tmp/d'), 0o755), 0);
			assert.equal(v.call('sys_mkdir', v.str('/tmp/d'), 0o755), -EEXIST);
			assert.equal(v.open('/tmp/d/f', O_CREAT | O_RDWR), 3);
			assert.equal(v.call('sys_rmdir', v.str('/tmp/d')), -ENOTEMPTY);
			assert.equal(v.call('sys_unlinkat', AT_FDCWD, v.str('/tmp/d/f'), 0), 0);
			assert.equal(v.call('sys_unlinkat', AT_FDCWD, v.str('/tmp/d'), AT_REMOVEDIR), 0);
			assert.equal(v.stat('/tmp/d'), -ENOENT);
		});

		it('stat, fstat and newfstatat fill the x86-64 struct stat; the mount tree crosses devices', () => {
			const v = vfs();
			const fd = v.open('/tmp/s', O_CREAT | O_RDWR, 0o640);
			assert.equal(v.write(fd, 'x'.repeat(5000)), 5000);
			const s = st(v.stat('/tmp/s'));
			assert.equal(s.mode, S_IFREG | 0o640);
			const wide = v.open('/tmp/wide', O_CREAT | O_RDWR, 0o666);
			assert.equal(st(v.fstat(wide)).mode, S_IFREG | 0o644, 'the creation mask is init\'s 0022');
			assert.equal(s.size, 5000);
			assert.equal(s.nlink, 1);
			assert.equal(s.blksize, PAGE);
			assert.equal(s.blocks, 16);
			assert.equal(s.ino, v.call('fs_test_ino', fd));
			assert.deepEqual(st(v.fstat(fd)), s);
			const tmp = v.open('/tmp', O_RDONLY | O_DIRECTORY);
			assert.deepEqual(st(v.fstatat(tmp, 's', 0)), s, 'relative to a directory descriptor');
			assert.deepEqual(st(v.fstatat(AT_FDCWD, 'tmp/s', 0)), s, 'relative to "/" (there is no cwd)');
			assert.deepEqual(st(v.fstatat(fd, '', AT_EMPTY_PATH)), s);
			assert.equal(v.fstatat(fd, 's', 0), -ENOTDIR);
			// Directories, mounts, devices.
			const root = st(v.stat('/'));
			assert.equal(root.mode & S_IFMT, S_IFDIR);
			const tmpStat = st(v.stat('/tmp'));
			assert.notEqual(tmpStat.dev, root.dev, '/tmp is another tmpfs instance');
			assert.equal(s.dev, tmpStat.dev);
			assert.deepEqual(st(v.stat('/tmp/..')), root, '".." leaves the mount');
			assert.deepEqual(st(v.stat('/tmp/../tmp/./s')), s);
			assert.deepEqual(st(v.stat('/..')), root, 'nothing above the root');
			assert.notEqual(st(v.stat('/proc')).dev, root.dev);
			const console = st(v.stat('/dev/console'));
			assert.equal(console.mode & S_IFMT, S_IFCHR);
			assert.equal(console.rdev, (5 << 8) | 1, 'makedev(5, 1)');
			assert.equal(v.call('sys_newstat', v.str('/tmp/s'), 0xffff_8880_0000_0000n), -EFAULT);
		});

		it('dup, dup2, dup3 share the open file; fork\'s dup_fd copies the table with a reference per file', () => {
			const v = vfs();
			const fd = v.open('/tmp/dup', O_CREAT | O_RDWR);
			assert.equal(v.call('sys_dup', fd), 1);
			assert.equal(v.call('fs_test_file_count', fd), 2);
			assert.equal(v.call('sys_dup2', fd, 10), 10);
			assert.equal(v.call('sys_dup2', fd, fd), fd);
			assert.equal(v.call('sys_dup2', 33, 34), -EBADF);
			assert.equal(v.call('sys_dup3', fd, fd, 0), -EINVAL);
			assert.equal(v.call('fs_test_file_count', fd), 3);
			// One file, one position.
			assert.equal(v.write(10, 'abc'), 3);
			assert.equal(v.lseek(1, 0, SEEK_CUR), 3);
			// dup2 onto an open descriptor closes what was there.
			const other = v.open('/tmp/e', O_CREAT | O_RDWR);
			assert.equal(v.call('sys_dup2', other, 1), 1);
			assert.equal(v.call('fs_test_file_count', fd), 2);
			assert.equal(v.call('fs_test_file_count', other), 2);

			const parent = Number(v.m.call('fs_test_files'));
			const child = Number(v.m.call('fs_test_dup_files'));
			assert.notEqual(child, 0);
			assert.equal(v.call('fs_test_open_count', child), v.call('fs_test_open_count', parent));
			assert.equal(Number(v.m.call('fs_test_file_of', child, 10)), Number(v.m.call('fs_test_file_of', parent, 10)));
			assert.equal(v.call('fs_test_file_count', fd), 4);
			v.m.call('fs_test_put_files', child);
			assert.equal(v.call('fs_test_file_count', fd), 2);
			// Close-on-exec: O_CLOEXEC and fcntl(F_SETFD); exec closes them.
			const cloexec = v.open('/tmp/dup', O_RDWR | O_CLOEXEC);
			assert.equal(v.call('sys_fcntl', cloexec, F_GETFD, 0), FD_CLOEXEC);
			assert.equal(v.call('sys_fcntl', 10, F_SETFD, FD_CLOEXEC), 0);
			assert.equal(v.call('sys_fcntl', fd, F_GETFL, 0) & 3, O_RDWR);
			const kept = v.call('fs_test_open_count', parent);
			v.m.call('fs_test_close_on_exec');
			assert.equal(v.call('fs_test_open_count', parent), kept - 2);
			assert.equal(v.call('sys_fcntl', cloexec, F_GETFD, 0), -EBADF);
			// Descriptors past the embedded table grow it.
			assert.equal(v.call('sys_dup2', fd, 200), 200);
			assert.equal(v.call('fs_test_file_count', fd), 2, 'descriptors 0 and 200 (10 went at exec)');
			assert.equal(v.call('sys_dup2', fd, 5000), -EBADF);
		});

		it('the console: writes reach the host streams, reads come from stdin, TCGETS is -ENOTTY unless the host stream is a terminal', () => {
			const v = vfs();
			const host = new RecordingConsole();
			v.m.kernel.setConsole(host);
			const files = Number(v.m.call('fs_test_console_files'));
			assert.notEqual(files, 0);
			assert.equal(v.call('fs_test_open_count', files), 3);
			v.m.call('fs_test_set_files', files);
			assert.equal(v.write(1, 'out\n'), 4);
			assert.equal(v.write(2, 'err\n'), 4);
			assert.deepEqual(host.out, ['', 'out\n', 'err\n']);
			host.input = 'typed';
			assert.equal(v.read(0, 3).text, 'typ');
			assert.equal(v.read(0, 10).text, 'ed');
			assert.equal(v.read(0, 10).ret, 0, 'end of input');
			assert.equal(v.lseek(1, 0, SEEK_SET), -ESPIPE);
			assert.equal(v.call('sys_pread64', 0, BUF2, 1, 0), -ESPIPE);
			assert.equal(v.call('sys_ioctl', 1, TCGETS, BUF2), -ENOTTY);
			host.tty = true;
			assert.equal(v.call('sys_ioctl', 1, TCGETS, BUF2), 0);
			const lflag = new DataView(v.m.memory.read(BUF2 + 12, 4)!.buffer).getUint32(0, true);
			assert.ok(lflag & 0x2, 'ICANON');
			assert.equal(v.call('sys_ioctl', 1, 0x1234, 0), -ENOTTY);
			// A regular file is no terminal either.
			const fd = v.open('/tmp/t', O_CREAT | O_RDWR);
			assert.equal(v.call('sys_ioctl', fd, TCGETS, BUF2), -ENOTTY);
			assert.equal(v.call('sys_fsync', fd), 0);
			assert.equal(v.call('sys_fsync', 1), -EINVAL, 'the console has no fsync');
		});

		it('character devices: register_chrdev and devtmpfs_create_node; open reaches the driver\'s fops, an unknown major is -ENXIO', () => {
			const v = vfs();
			const major = v.call('fs_test_register_driver', 0);
			assert.ok(major >= 234 && major <= 254, `dynamic major ${major}`);
			assert.equal(v.call('fs_test_register_driver', major), -16, 'EBUSY');
			assert.equal(v.call('fs_test_create_node', v.str('fstest'), major, 3), 0);
			assert.equal(v.call('fs_test_create_node', v.str('fstest'), major, 3), -EEXIST);
			const s = st(v.stat('/dev/fstest'));
			assert.equal(s.mode, S_IFCHR | 0o666);
			assert.equal(s.rdev, (major << 8) | 3);
			const fd = v.open('/dev/fstest', O_RDONLY);
			assert.equal(v.call('fs_test_driver_opens'), 1);
			assert.equal(v.read(fd, 100).text, 'minor 3');
			assert.equal(v.call('sys_close', fd), 0);
			assert.equal(v.call('fs_test_driver_releases'), 1);
			// A node whose major has no driver.
			assert.equal(v.call('fs_test_create_node', v.str('nodriver'), 200, 0), 0);
			assert.equal(v.open('/dev/nodriver', O_RDONLY), -ENXIO);
			assert.equal(v.call('fs_test_delete_node', v.str('nodriver')), 0);
			assert.equal(v.stat('/dev/nodriver'), -ENOENT);
			v.m.call('fs_test_unregister_driver', major);
			assert.equal(v.open('/dev/fstest', O_RDONLY), -ENXIO);
		});
	});
}

describe('KC kernel: the VFS on every Linux profile', function () {
	this.timeout(60000);
	for (const profile of ['linux-2.6.21', 'linux-2.6.27']) {
		it(`${profile}: create, write, read back, unlink`, () => {
			const v = new Vfs(profile);
			const fd = v.open('/tmp/x', O_CREAT | O_RDWR);
			assert.equal(v.write(fd, 'era'), 3);
			assert.equal(v.call('sys_pread64', fd, BUF2, 10, 0), 3);
			assert.equal(new TextDecoder().decode(v.m.memory.read(BUF2, 3)!), 'era');
			assert.equal(v.call('sys_unlink', v.str('/tmp/x')), 0);
			assert.equal(v.call('sys_close', fd), 0);
			assert.equal(v.stat('/tmp/x'), -ENOENT);
		});
	}
});
