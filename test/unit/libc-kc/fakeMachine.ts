// Test harness for the KC user C library (kc/lib): compiles the libc units once, links test
// programs against them plus the TypeScript user builtins (vsnprintf, string functions...), and
// runs them on FlatMemory over a FAKE of the machine's user builtins (`__kc_syscall`,
// `__kc_thread_area`, `__kc_clone`).
//
// The fake lives only in test/: it stands in for the simulated kernel until the lead wires
// `faultline exec` onto it, and implements just what the libc needs, the Linux way: brk (pages
// mapped and unmapped as the break moves, a limit that makes brk fail), anonymous mmap/munmap/
// mprotect/mremap, write to descriptors 1 and 2 (recorded call by call), read from 0, TCGETS on
// terminals, fstat (a terminal is a character device with st_blksize 1024, a pipe has 4096),
// regular files in memory (openat with O_CREAT/O_EXCL/O_TRUNC/O_APPEND, read, write, lseek,
// fstat, fcntl F_GETFL, unlink, close on descriptors 3 and up),
// futex WAIT/WAKE, clone of threads with PARENT_SETTID/CHILD_CLEARTID, set_tid_address, exit
// (thread) and exit_group (process), signals sent to oneself (default action, SIG_IGN or a
// handler called like a function), and a ptrace PEEKDATA that stores a chosen word. Threads run
// round robin in small slices so that they interleave.

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CheckedUnit } from '../../../src/lang/ast';
import { compileUnit } from '../../../src/lang/frontEnd';
import { formatDiagnostic, type SourceProvider } from '../../../src/lang/source';
import { FlatLayout, type Builtin, type BuiltinAction, type BuiltinContext, type StopReason, type Value } from '../../../src/interp/contracts';
import { createThread, run, startMain } from '../../../src/interp/cpu';
import { FlatMemory } from '../../../src/interp/flatMemory';
import { createUserHost } from '../../../src/interp/libc/userHost';
import { linkProgram, loadImage } from '../../../src/interp/linker';
import type { Program } from '../../../src/interp/program';
import type { Thread } from '../../../src/interp/thread';
import { hostSources } from '../../../src/sim/hostSources';

export const kcRoot = path.resolve(__dirname, '../../../kc');
const libDir = path.join(kcRoot, 'lib');

/** The C library's units, in link order after the program: crt0 first, then kc/lib/*.c sorted. */
export function libcUnitFiles(): string[] {
	const c = fs
		.readdirSync(libDir)
		.filter(f => f.endsWith('.c'))
		.sort()
		.map(f => path.join(libDir, f));
	return [path.join(libDir, 'crt0.kc'), ...c];
}

/** A source provider over the real files plus in-memory test programs (paths under /test/). */
export function testSources(programs: Record<string, string> = {}): SourceProvider {
	const host = hostSources([path.join(kcRoot, 'include')]);
	return {
		read: file => (Object.prototype.hasOwnProperty.call(programs, file) ? programs[file] : host.read(file)),
		resolveInclude: (name, from, quoted) => host.resolveInclude(name, from, quoted),
	};
}

/** Compiles one unit; throws with the diagnostics when it does not compile. */
export function compileOrThrow(file: string, sources: SourceProvider): CheckedUnit {
	const r = compileUnit(file, sources);
	if (r.unit === undefined) throw new Error(`${file} does not compile:\n${r.diagnostics.map(formatDiagnostic).join('\n')}`);
	return r.unit;
}

let libcCache: CheckedUnit[] | undefined;

/** The compiled C library (compiled once per test process). */
export function libcUnits(): CheckedUnit[] {
	libcCache ??= libcUnitFiles().map(f => compileOrThrow(f, testSources()));
	return libcCache;
}

// ---- Linux values the fake uses ------------------------------------------------------------------

const NR = {
	read: 0, write: 1, close: 3, fstat: 5, lseek: 8, mmap: 9, mprotect: 10, munmap: 11, brk: 12,
	rt_sigaction: 13, rt_sigprocmask: 14, ioctl: 16, sched_yield: 24, mremap: 25, madvise: 28,
	getpid: 39, exit: 60, kill: 62, fcntl: 72, unlink: 87, ptrace: 101, gettid: 186, futex: 202,
	sched_getaffinity: 204, set_tid_address: 218, exit_group: 231, tgkill: 234, openat: 257,
} as const;
export const SYSCALL_NAMES = new Map<number, string>(Object.entries(NR).map(([name, nr]) => [nr, name]));

export const E = { EPERM: 1, ENOENT: 2, ESRCH: 3, EINTR: 4, EBADF: 9, EAGAIN: 11, ENOMEM: 12, EFAULT: 14, EEXIST: 17, EINVAL: 22, ENOTTY: 25, ESPIPE: 29, ENOSYS: 38 } as const;

const PAGE = 4096;
const MAP_FIXED = 0x10;
const MAP_ANONYMOUS = 0x20;
const MREMAP_MAYMOVE = 1;
const PROT_READ = 1;
const PROT_WRITE = 2;
const TCGETS = 0x5401;
const FUTEX_CMD = 0x7f;
const CLONE_PARENT_SETTID = 0x00100000;
const CLONE_CHILD_CLEARTID = 0x00200000;
const S_IFCHR = 0o020000;
const S_IFIFO = 0o010000;
const S_IFREG = 0o100000;
const O_ACCMODE = 3;
const O_WRONLY = 1;
const O_RDONLY = 0;
const O_CREAT = 0o100;
const O_EXCL = 0o200;
const O_TRUNC = 0o1000;
const O_APPEND = 0o2000;
const F_GETFL = 3;
/** Where the main thread's thread area is (its own page, away from the argument strings). */
const MAIN_THREAD_AREA = 0x7e00_0000_0000;
/** mmap hands out addresses downwards from here. */
const MMAP_TOP = 0x7f00_0000_0000;
/** ... and no lower than this (the address space is full below: ENOMEM). */
const MMAP_FLOOR = 0x7000_0000_0000;
export const PID = 100;

const pageCeil = (a: number): number => Math.ceil(a / PAGE) * PAGE;

// ---- Programs ------------------------------------------------------------------------------------

/** Extra TypeScript builtins a test program may call (by name). */
export type TestBuiltins = ReadonlyMap<string, (machine: FakeMachine, ctx: BuiltinContext, args: readonly Value[]) => Value | undefined | BuiltinAction>;

/** A test program linked with the C library; `run` it as many times as wanted. */
export interface LinkedProgram {
	readonly program: Program;
	/** The machine of the current run (the builtins dispatch to it). */
	current: FakeMachine | undefined;
}

/** Compiles `source` (as /test/NAME.c) and links it with crt0 and the C library. Throws on errors. */
export function linkTestProgram(source: string, testBuiltins: TestBuiltins = new Map(), name = 'prog'): LinkedProgram {
	const file = `/test/${name}.c`;
	const unit = compileOrThrow(file, testSources({ [file]: source }));
	return linkUnits([unit], testBuiltins);
}

/** Links checked units (a program) with crt0 and the C library. Throws on link errors. */
export function linkUnits(units: readonly CheckedUnit[], testBuiltins: TestBuiltins = new Map()): LinkedProgram {
	const linked: { program?: Program; current: FakeMachine | undefined } = { current: undefined };
	const builtins = userBuiltins();
	const machine = (): FakeMachine => {
		if (linked.current === undefined) throw new Error('no machine is running this program');
		return linked.current;
	};
	builtins.set('__kc_syscall', (ctx, args) => machine().syscall(ctx, args));
	builtins.set('__kc_thread_area', ctx => machine().threadArea(ctx));
	builtins.set('__kc_clone', (ctx, args) => machine().clone(ctx, args));
	for (const [name, fn] of testBuiltins) builtins.set(name, (ctx, args) => fn(machine(), ctx, args));
	const result = linkProgram([...units, ...libcUnits()], builtins, FlatLayout, { entry: 'main' });
	if (result.program === undefined) throw new Error(`link failed:\n${result.diagnostics.map(formatDiagnostic).join('\n')}`);
	linked.program = result.program;
	return linked as LinkedProgram;
}

/** The TypeScript user builtins (the pure ones the KC libc leaves to them: vsnprintf, strlen...). */
export function userBuiltins(): Map<string, Builtin> {
	const host = createUserHost({ memory: new FlatMemory(), stdout: () => {}, stderr: () => {}, heapBase: FlatLayout.heapBase, heapLimit: FlatLayout.heapLimit });
	return new Map(host.builtins);
}

// ---- The fake machine ----------------------------------------------------------------------------

/** Options of one run. */
export interface RunOptions {
	readonly argv?: readonly string[];
	readonly stdin?: string;
	/** Descriptors that are terminals (TCGETS succeeds, fstat says character device). */
	readonly terminals?: readonly number[];
	/** fstat answers ENOSYS (a kernel without it). */
	readonly noFstat?: boolean;
	/** Highest address the break may reach (default: below the TypeScript host's data region). */
	readonly brkLimit?: number;
	/** Statements per slice of the round robin (default 200). */
	readonly quantum?: number;
	/** Give up after this many statements in all (default 20 million). */
	readonly maxStatements?: number;
	/** The word a PTRACE_PEEKDATA stores. */
	readonly peekWord?: bigint;
}

/** One write(2) call. */
export interface WriteCall {
	readonly fd: number;
	readonly text: string;
}

/** How a run ended. */
export interface Outcome {
	/** The exit status as a shell sees it: the exit code, or 128 + the signal. */
	readonly status: number;
	readonly stdout: string;
	readonly stderr: string;
	readonly writes: readonly WriteCall[];
	/** Every system call made: name (or number) and raw arguments. */
	readonly syscalls: readonly { readonly name: string; readonly args: readonly Value[] }[];
	readonly machine: FakeMachine;
}

/** An open regular file (descriptors 3 and up). */
interface OpenFile {
	readonly path: string;
	readonly flags: number;
	offset: number;
}

interface FakeThread {
	readonly tid: number;
	readonly thread: Thread;
	readonly area: number;
	clearTid: number;
	/** A FUTEX_WAIT in progress: the word, and whether a wake reached it. */
	futex: { readonly address: number; woken: boolean } | undefined;
	yielded: boolean;
	done: boolean;
}

const latin1 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('latin1');

/** A NUL-terminated string of simulated memory (latin1). */
function readString(mem: BuiltinContext['mem'], address: number): string {
	let text = '';
	for (let i = 0; i < 4096; i++) {
		const c = mem.ld8u(address + i);
		if (c === 0) break;
		text += String.fromCharCode(c);
	}
	return text;
}

/** The fake of the machine's user builtins over FlatMemory (see the file header). */
export class FakeMachine {
	readonly memory = new FlatMemory();
	readonly writes: WriteCall[] = [];
	readonly syscalls: { name: string; args: readonly Value[] }[] = [];
	readonly threads: FakeThread[] = [];
	/** Flags of every clone call. */
	readonly cloneFlags: number[] = [];
	/** The regular files, by path (contents as written). */
	readonly files = new Map<string, Uint8Array>();
	private readonly open = new Map<number, OpenFile>();
	/** Signal actions set with rt_sigaction: handler address by signal. */
	readonly handlers = new Map<number, number>();
	brkStart: number;
	brk: number;
	readonly brkLimit: number;
	private mmapNext = MMAP_TOP;
	private stdinAt = 0;
	private readonly stdin: Uint8Array;
	private nextTid = PID + 1;
	private byThreadId = new Map<number, FakeThread>();
	exitCode: number | undefined;
	killedBy: number | undefined;
	/** Something happened that may let a blocked thread go on (a wake-up, an exit). */
	private progress = false;

	constructor(readonly program: Program, readonly options: RunOptions = {}) {
		createUserHost({ memory: this.memory, stdout: () => {}, stderr: () => {}, heapBase: FlatLayout.heapBase, heapLimit: FlatLayout.heapLimit });
		loadImage(program.image, this.memory);
		this.brkStart = pageCeil(program.dataEnd);
		this.brk = this.brkStart;
		this.brkLimit = options.brkLimit ?? FlatLayout.heapBase;
		this.stdin = new TextEncoder().encode(options.stdin ?? '');
		this.memory.map(MAIN_THREAD_AREA, PAGE, { read: true, write: true });
		const main = startMain(program, this.memory, options.argv ?? ['prog'], { entry: '__libc_start_main', threadId: 1 });
		this.addThread(PID, main, MAIN_THREAD_AREA);
	}

	private addThread(tid: number, thread: Thread, area: number): FakeThread {
		const t: FakeThread = { tid, thread, area, clearTid: 0, futex: undefined, yielded: false, done: false };
		this.threads.push(t);
		this.byThreadId.set(thread.id, t);
		return t;
	}

	private current(ctx: BuiltinContext): FakeThread {
		const t = this.byThreadId.get(ctx.threadId);
		if (t === undefined) throw new Error(`unknown thread ${ctx.threadId}`);
		return t;
	}

	threadArea(ctx: BuiltinContext): number {
		return this.current(ctx).area;
	}

	/** Runs every thread round robin until the process ends; returns how it ended. */
	run(): Outcome {
		const quantum = this.options.quantum ?? 200;
		let budget = this.options.maxStatements ?? 20_000_000;
		let idleRounds = 0;
		while (this.exitCode === undefined && this.killedBy === undefined) {
			const live = this.threads.filter(t => !t.done);
			if (live.length === 0) throw new Error('every thread exited without exit_group');
			let ran = false;
			this.progress = false;
			for (const t of live) {
				if (this.exitCode !== undefined || this.killedBy !== undefined) break;
				const before = budget;
				const stop = run(t.thread, quantum);
				budget -= quantum - Math.max(0, t.thread.cpu.budget);
				if (budget !== before) ran = true;
				this.handleStop(t, stop);
				if (budget <= 0) throw new Error('the program ran past its statement limit');
			}
			// Only blocked threads and nothing that could wake them: a deadlock.
			idleRounds = ran || this.progress ? 0 : idleRounds + 1;
			if (idleRounds > 2) throw new Error(`deadlock: ${live.map(t => `${t.tid}: ${t.futex ? 'futex' : 'blocked'}`).join(', ')}`);
		}
		const all = this.writes;
		return {
			status: this.killedBy !== undefined ? 128 + this.killedBy : this.exitCode! & 0xff,
			stdout: all.filter(w => w.fd === 1).map(w => w.text).join(''),
			stderr: all.filter(w => w.fd === 2).map(w => w.text).join(''),
			writes: all,
			syscalls: this.syscalls,
			machine: this,
		};
	}

	private handleStop(t: FakeThread, stop: StopReason): void {
		switch (stop.kind) {
			case 'budget':
			case 'blocked':
				return;
			case 'exited':
				t.done = true;
				this.progress = true;
				return;
			case 'fault':
				// No handler support for faults here: the process dies of SIGSEGV, as without one.
				this.killedBy = 11;
				return;
			case 'trap':
				if (stop.signal !== undefined) {
					this.killedBy = stop.signal;
					return;
				}
				throw new Error(`trap: ${stop.message}`);
			case 'ub': {
				const info = t.thread.top?.fn.program.statements[stop.stmt];
				throw new Error(`undefined behaviour at ${info?.range.file}:${info?.range.line}: ${stop.message}`);
			}
			case 'breakpoint':
				throw new Error('unexpected breakpoint');
		}
	}

	// ---- __kc_clone ------------------------------------------------------------------------------

	clone(ctx: BuiltinContext, args: readonly Value[]): Value {
		const [fn, stackTop, flags, arg, parentTid, , childTid] = args.map(Number);
		this.cloneFlags.push(flags);
		const tid = this.nextTid++;
		const area = stackTop - 1024;
		if ((flags & CLONE_PARENT_SETTID) !== 0) ctx.mem.st32(parentTid, tid);
		const thread = createThread(this.program, this.memory, '__kc_clone_start', [fn, arg], { threadId: tid, stackTop: area, stackSize: 8 * 1024 * 1024 - 1024, mapStack: false });
		const t = this.addThread(tid, thread, area);
		if ((flags & CLONE_CHILD_CLEARTID) !== 0) t.clearTid = childTid;
		this.progress = true;
		return tid;
	}

	// ---- __kc_syscall ----------------------------------------------------------------------------

	syscall(ctx: BuiltinContext, args: readonly Value[]): Value | BuiltinAction {
		const nr = Number(args[0]);
		const a = args.slice(1).map(v => (typeof v === 'bigint' ? Number(BigInt.asIntN(64, v)) : v));
		const t = this.current(ctx);
		// A blocked call is made again when the thread resumes: log it once.
		if (t.futex === undefined && !t.yielded) this.syscalls.push({ name: SYSCALL_NAMES.get(nr) ?? String(nr), args: args.slice(1) });
		const mem = ctx.mem;
		switch (nr) {
			case NR.write: {
				const [fd, buf, n] = a;
				const file = this.open.get(fd);
				if (fd !== 1 && fd !== 2 && file === undefined) return -E.EBADF;
				const bytes = mem.read(buf, n);
				if (bytes === null) {
					mem.fault = null;
					return -E.EFAULT;
				}
				this.writes.push({ fd, text: latin1(bytes) });
				return file === undefined ? n : this.fileWrite(file, bytes);
			}
			case NR.read: {
				const [fd, buf, n] = a;
				const file = this.open.get(fd);
				if (file !== undefined) {
					if ((file.flags & O_ACCMODE) === O_WRONLY) return -E.EBADF;
					const data = this.files.get(file.path)!;
					const part = data.subarray(Math.min(file.offset, data.length), Math.min(data.length, file.offset + n));
					mem.write(buf, part);
					file.offset += part.length;
					return part.length;
				}
				if (fd !== 0) return -E.EBADF;
				let end = Math.min(this.stdin.length, this.stdinAt + n);
				// A terminal hands out one line per read.
				if (this.terminal(0)) {
					const nl = this.stdin.indexOf(10, this.stdinAt);
					if (nl >= 0 && nl < end) end = nl + 1;
				}
				mem.write(buf, this.stdin.subarray(this.stdinAt, end));
				const count = end - this.stdinAt;
				this.stdinAt = end;
				return count;
			}
			case NR.openat:
				return this.openFile(readString(mem, a[1]), a[2]);
			case NR.unlink:
				return this.files.delete(readString(mem, a[0])) ? 0 : -E.ENOENT;
			case NR.fcntl: {
				const file = this.open.get(a[0]);
				if (a[1] !== F_GETFL) return -E.EINVAL;
				return file !== undefined ? file.flags : a[0] >= 0 && a[0] <= 2 ? (a[0] === 0 ? O_RDONLY : O_WRONLY) : -E.EBADF;
			}
			case NR.close:
				if (this.open.delete(a[0])) return 0;
				return a[0] >= 0 && a[0] <= 2 ? 0 : -E.EBADF;
			case NR.lseek: {
				const file = this.open.get(a[0]);
				if (file === undefined) return a[0] >= 0 && a[0] <= 2 ? -E.ESPIPE : -E.EBADF;
				const base = a[2] === 0 ? 0 : a[2] === 1 ? file.offset : this.files.get(file.path)!.length;
				if (base + a[1] < 0) return -E.EINVAL;
				file.offset = base + a[1];
				return file.offset;
			}
			case NR.ioctl:
				if (a[0] < 0 || a[0] > 2) return -E.EBADF;
				return a[1] === TCGETS && this.terminal(a[0]) ? 0 : -E.ENOTTY;
			case NR.fstat: {
				if (this.options.noFstat === true) return -E.ENOSYS;
				const [fd, st] = a;
				const file = this.open.get(fd);
				if (file !== undefined) {
					mem.fill(st, 0, 144);
					mem.st32(st + 24, S_IFREG | 0o644);
					mem.st64(st + 48, this.files.get(file.path)!.length);
					mem.st64(st + 56, 4096);
					return 0;
				}
				if (fd < 0 || fd > 2) return -E.EBADF;
				mem.fill(st, 0, 144);
				mem.st32(st + 24, this.terminal(fd) ? S_IFCHR | 0o620 : S_IFIFO | 0o600);
				mem.st64(st + 56, this.terminal(fd) ? 1024 : 4096);
				return 0;
			}
			case NR.brk:
				return this.setBrk(a[0]);
			case NR.mmap:
				return this.mmap(a[0], a[1], a[2], a[3], a[4]);
			case NR.munmap:
				if (a[0] % PAGE !== 0) return -E.EINVAL;
				this.memory.unmap(a[0], pageCeil(a[1]));
				return 0;
			case NR.mprotect:
				return this.memory.protect(a[0], pageCeil(a[1]), { read: (a[2] & PROT_READ) !== 0, write: (a[2] & PROT_WRITE) !== 0 }) ? 0 : -E.ENOMEM;
			case NR.mremap:
				return this.mremap(a[0], a[1], a[2], a[3]);
			case NR.getpid:
				return PID;
			case NR.gettid:
				return t.tid;
			case NR.set_tid_address:
				t.clearTid = a[0];
				return t.tid;
			case NR.sched_yield:
				if (t.yielded) {
					t.yielded = false;
					return 0;
				}
				t.yielded = true;
				this.progress = true;
				return { kind: 'block', reason: 'yield' };
			case NR.sched_getaffinity:
				mem.st64(a[2], 3);
				return 8;
			case NR.futex:
				return this.futex(t, mem, a[0], a[1], a[2]);
			case NR.exit:
				this.threadExit(t, mem);
				return { kind: 'exit', code: a[0] & 0xff };
			case NR.exit_group:
				this.exitCode = a[0] & 0xff;
				return { kind: 'exit', code: a[0] & 0xff };
			case NR.rt_sigaction: {
				const [sig, act, oact] = a;
				if (oact !== 0) {
					mem.fill(oact, 0, 32);
					mem.st64(oact, this.handlers.get(sig) ?? 0);
				}
				if (act !== 0) this.handlers.set(sig, Number(mem.ld64u(act)));
				return 0;
			}
			case NR.rt_sigprocmask:
				if (a[2] !== 0) mem.st64(a[2], 0);
				return 0;
			case NR.kill:
			case NR.tgkill: {
				const sig = nr === NR.kill ? a[1] : a[2];
				return this.signal(sig);
			}
			case NR.ptrace:
				if (a[0] >= 1 && a[0] <= 3) {
					mem.st64(a[3], this.options.peekWord ?? 0n);
					return 0;
				}
				return -E.ESRCH;
			default:
				return -E.ENOSYS;
		}
	}

	private openFile(path: string, flags: number): number {
		const exists = this.files.has(path);
		if (!exists && (flags & O_CREAT) === 0) return -E.ENOENT;
		if (exists && (flags & O_CREAT) !== 0 && (flags & O_EXCL) !== 0) return -E.EEXIST;
		if (!exists || (flags & O_TRUNC) !== 0) this.files.set(path, new Uint8Array(0));
		let fd = 3;
		while (this.open.has(fd)) fd++;
		this.open.set(fd, { path, flags, offset: 0 });
		return fd;
	}

	private fileWrite(file: OpenFile, bytes: Uint8Array): number {
		if ((file.flags & O_ACCMODE) === O_RDONLY) return -E.EBADF;
		const old = this.files.get(file.path)!;
		if ((file.flags & O_APPEND) !== 0) file.offset = old.length;
		const data = new Uint8Array(Math.max(old.length, file.offset + bytes.length));
		data.set(old);
		data.set(bytes, file.offset);
		file.offset += bytes.length;
		this.files.set(file.path, data);
		return bytes.length;
	}

	terminal(fd: number): boolean {
		return this.options.terminals?.includes(fd) === true;
	}

	private setBrk(request: number): number {
		if (request < this.brkStart || request > this.brkLimit) return this.brk;
		const oldEnd = pageCeil(this.brk);
		const newEnd = pageCeil(request);
		if (newEnd > oldEnd) this.memory.map(oldEnd, newEnd - oldEnd, { read: true, write: true });
		if (newEnd < oldEnd) this.memory.unmap(newEnd, oldEnd - newEnd);
		this.brk = request;
		return this.brk;
	}

	private mmap(addr: number, length: number, prot: number, flags: number, fd: number): number {
		if (length <= 0) return -E.EINVAL;
		if ((flags & MAP_ANONYMOUS) === 0 || fd !== -1) return -E.ENOSYS;
		const size = pageCeil(length);
		let start: number;
		if (size > MMAP_TOP - MMAP_FLOOR || this.mmapNext - size - PAGE < MMAP_FLOOR) return -E.ENOMEM;
		if ((flags & MAP_FIXED) !== 0) {
			if (addr % PAGE !== 0) return -E.EINVAL;
			start = addr;
		} else {
			this.mmapNext -= size + PAGE; // a one-page gap keeps mappings apart
			start = this.mmapNext;
		}
		this.memory.map(start, size, { read: (prot & PROT_READ) !== 0, write: (prot & PROT_WRITE) !== 0 });
		return start;
	}

	private mremap(old: number, oldLength: number, newLength: number, flags: number): number {
		const oldSize = pageCeil(oldLength);
		const newSize = pageCeil(newLength);
		if (old % PAGE !== 0 || newSize === 0) return -E.EINVAL;
		if (newSize <= oldSize) {
			if (newSize < oldSize) this.memory.unmap(old + newSize, oldSize - newSize);
			return old;
		}
		if ((flags & MREMAP_MAYMOVE) === 0 || this.mmapNext - newSize - PAGE < MMAP_FLOOR) return -E.ENOMEM;
		this.mmapNext -= newSize + PAGE;
		const start = this.mmapNext;
		this.memory.map(start, newSize, { read: true, write: true });
		this.memory.copy(start, old, oldSize);
		this.memory.unmap(old, oldSize);
		return start;
	}

	private futex(t: FakeThread, mem: BuiltinContext['mem'], address: number, op: number, value: number): Value | BuiltinAction {
		switch (op & FUTEX_CMD) {
			case 0: {
				if (t.futex !== undefined) {
					if (!t.futex.woken) return { kind: 'block', reason: 'futex' };
					t.futex = undefined;
					return 0;
				}
				if ((mem.ld32s(address) | 0) !== (value | 0)) return -E.EAGAIN;
				t.futex = { address, woken: false };
				return { kind: 'block', reason: 'futex' };
			}
			case 1:
				return this.wake(address, value);
			default:
				return -E.ENOSYS;
		}
	}

	private wake(address: number, count: number): number {
		let woken = 0;
		for (const other of this.threads) {
			if (woken >= count) break;
			if (!other.done && other.futex !== undefined && other.futex.address === address && !other.futex.woken) {
				other.futex.woken = true;
				woken++;
			}
		}
		if (woken > 0) this.progress = true;
		return woken;
	}

	private threadExit(t: FakeThread, mem: BuiltinContext['mem']): void {
		if (t.clearTid !== 0) {
			mem.st32(t.clearTid, 0);
			this.wake(t.clearTid, 1);
		}
		this.progress = true;
	}

	/** A signal sent to the process: default action kills, SIG_IGN ignores, a handler is called. */
	private signal(sig: number): Value | BuiltinAction {
		const handler = this.handlers.get(sig) ?? 0;
		if (handler === 1) return 0;
		if (handler === 0) {
			this.killedBy = sig;
			return { kind: 'trap', message: `killed by signal ${sig}`, signal: sig };
		}
		return { kind: 'call', target: handler, args: [sig, 0, 0], then: () => 0 };
	}
}

/** Runs a linked program once on a fresh fake machine. */
export function runLinked(linked: LinkedProgram, options: RunOptions = {}): Outcome {
	const machine = new FakeMachine(linked.program, options);
	linked.current = machine;
	try {
		return machine.run();
	} finally {
		linked.current = undefined;
	}
}

/** Compiles, links and runs a program source once. */
export function runSource(source: string, options: RunOptions = {}, testBuiltins?: TestBuiltins): Outcome {
	return runLinked(linkTestProgram(source, testBuiltins), options);
}
