// <stdio.h> of the user C library: the three standard streams with glibc's buffering, the printf
// family, character and line I/O, and write/read on descriptors 0-2 (layer: interp).
//
// Streams are FILE objects in the C library's data region (FILE_SIZE bytes each):
//   +0 u32 magic 0xFBAD0000 | fd   +4 i32 fd   +8 u32 mode (_IOFBF 0, _IOLBF 1, _IONBF 2)
//   +12 u32 flags (1 EOF, 2 error)  +16 u64 buffer  +24 u32 capacity  +28 u32 bytes buffered
//   +32 u32 stdin read position    +36 i32 ungetc pushback (-1 none)
// Output follows glibc's _IO_new_file_xsputn: a fully buffered stream fills its buffer, flushes it
// whole, writes whole blocks directly and buffers the rest; a line-buffered one flushes through the
// last newline; an unbuffered one writes at once. What is still buffered is lost by abort() and
// _exit(), kept by exit(), exactly as with glibc, so output under Faultline matches gcc-built
// programs byte for byte, including when stdout and stderr go to the same place.

import type { Builtin, BuiltinAction, BuiltinContext, MemoryBus, Value } from '../contracts';
import { type LibcEnv, getErrno, setErrno } from './env';
import { Errno, strerrorText as strerrorOf } from './errors';
import { type ArgSource, formatPrintfResult } from './format';
import { FILE_SIZE, LibcData, STDIO_BUFFER_SIZE } from './libcData';
import { FAULT, readCString, toAddress, toInt, toSize } from './memoryAccess';
import { CallArgSource, VaListArgSource } from './printfArgs';

const FILE_MAGIC = 0xfbad0000;
const F = { magic: 0, fd: 4, mode: 8, flags: 12, buffer: 16, capacity: 24, length: 28, inputPosition: 32, pushback: 36 } as const;
const FLAG_EOF = 1;
const FLAG_ERROR = 2;
/** Buffering modes, with <stdio.h>'s values: full, line, none. */
export const IOFBF = 0;
export const IOLBF = 1;
export const IONBF = 2;
const EOF = -1;

/** The largest write() a program can make in one call; larger ones complete partially. */
const MAX_WRITE = 16 * 1024 * 1024;

/** How the standard output stream is buffered: like a pipe or file (`full`) or a terminal (`line`). */
export type StdoutBuffering = 'full' | 'line' | 'none';

/** Address of the FILE object for descriptor 0, 1 or 2. */
export function fileAddress(env: LibcEnv, fd: number): number {
	return env.data + LibcData.files + FILE_SIZE * fd;
}

/** Writes the three FILE objects. */
export function initStreams(mem: MemoryBus, env: LibcEnv, stdoutBuffering: StdoutBuffering): void {
	const modes = [IOFBF, stdoutBuffering === 'full' ? IOFBF : stdoutBuffering === 'line' ? IOLBF : IONBF, IONBF];
	for (let fd = 0; fd < 3; fd++) {
		const f = fileAddress(env, fd);
		mem.fill(f, 0, FILE_SIZE);
		mem.st32(f + F.magic, (FILE_MAGIC | fd) >>> 0);
		mem.st32(f + F.fd, fd);
		mem.st32(f + F.mode, modes[fd]);
		mem.st64(f + F.buffer, fd === 1 ? env.data + LibcData.stdoutBuffer : 0);
		mem.st32(f + F.capacity, fd === 1 ? STDIO_BUFFER_SIZE : 0);
		mem.st32(f + F.pushback, -1);
	}
}

/** A validated stream: its FILE address and descriptor. */
interface Stream {
	readonly f: number;
	readonly fd: number;
}

/**
 * Checks that `f` is one of the C library's FILE objects. A wild pointer faults as it would when
 * glibc dereferenced it; a readable non-FILE gives undefined (the call fails with EBADF).
 */
function streamOf(mem: MemoryBus, env: LibcEnv, f: number): Stream | 'fault' | undefined {
	const magic = mem.ld32u(f + F.magic);
	if (mem.fault) {
		return 'fault';
	}
	const fd = magic & 0xffff;
	if (magic - fd !== FILE_MAGIC || fd > 2 || f !== fileAddress(env, fd)) {
		return undefined;
	}
	return { f, fd };
}

/** Emits whatever the stream has buffered. */
function flushStream(mem: MemoryBus, env: LibcEnv, s: Stream): boolean {
	const length = mem.ld32u(s.f + F.length);
	if (length === 0) {
		return true;
	}
	const capacity = mem.ld32u(s.f + F.capacity);
	const buffer = Number(mem.ld64u(s.f + F.buffer));
	mem.st32(s.f + F.length, 0);
	const bytes = length <= capacity ? mem.read(buffer, length) : null;
	if (bytes === null) {
		// The program corrupted the FILE object; drop the buffer as glibc's behaviour is undefined.
		mem.fault = null;
		return false;
	}
	return env.emit(s.fd, bytes);
}

/** Flushes every output stream (exit, fflush(NULL)). */
export function flushAll(mem: MemoryBus, env: LibcEnv): void {
	for (const fd of [1, 2]) {
		flushStream(mem, env, { f: fileAddress(env, fd), fd });
	}
}

/** Appends to the stream's buffer (the caller checked that it fits). */
function appendToBuffer(mem: MemoryBus, s: Stream, bytes: Uint8Array): void {
	if (bytes.length === 0) {
		return;
	}
	const length = mem.ld32u(s.f + F.length);
	mem.write(Number(mem.ld64u(s.f + F.buffer)) + length, bytes);
	mem.st32(s.f + F.length, length + bytes.length);
}

/** Writes bytes to a stream with glibc's buffering. False if the descriptor cannot be written. */
function streamWrite(mem: MemoryBus, env: LibcEnv, s: Stream, bytes: Uint8Array): boolean {
	const mode = mem.ld32u(s.f + F.mode);
	const capacity = mem.ld32u(s.f + F.capacity);
	if (s.fd === 0) {
		mem.st32(s.f + F.flags, mem.ld32u(s.f + F.flags) | FLAG_ERROR);
		return false;
	}
	if (mode === IONBF || capacity === 0) {
		const ok = flushStream(mem, env, s) && (bytes.length === 0 || env.emit(s.fd, bytes));
		return ok;
	}
	const space = capacity - mem.ld32u(s.f + F.length);
	if (mode === IOLBF && bytes.length <= space) {
		const newline = bytes.lastIndexOf(0x0a);
		if (newline < 0) {
			appendToBuffer(mem, s, bytes);
			return true;
		}
		appendToBuffer(mem, s, bytes.subarray(0, newline + 1));
		const ok = flushStream(mem, env, s);
		appendToBuffer(mem, s, bytes.subarray(newline + 1));
		return ok;
	}
	if (bytes.length <= space) {
		appendToBuffer(mem, s, bytes);
		return true;
	}
	appendToBuffer(mem, s, bytes.subarray(0, space));
	let ok = flushStream(mem, env, s);
	const rest = bytes.subarray(space);
	const direct = rest.length - (rest.length % capacity);
	if (direct > 0) {
		ok = env.emit(s.fd, rest.subarray(0, direct)) && ok;
	}
	appendToBuffer(mem, s, rest.subarray(direct));
	return ok;
}

/** Reads one byte of standard input through the stream, or EOF. */
function streamGetc(mem: MemoryBus, env: LibcEnv, s: Stream): number {
	if (s.fd !== 0) {
		mem.st32(s.f + F.flags, mem.ld32u(s.f + F.flags) | FLAG_ERROR);
		setErrno(mem, env, Errno.EBADF);
		return EOF;
	}
	const pushback = mem.ld32s(s.f + F.pushback);
	if (pushback >= 0) {
		mem.st32(s.f + F.pushback, -1);
		return pushback;
	}
	const position = mem.ld32u(s.f + F.inputPosition);
	if (position % STDIO_BUFFER_SIZE === 0) {
		// glibc flushes line-buffered output whenever it refills an input buffer.
		const out: Stream = { f: fileAddress(env, 1), fd: 1 };
		if (mem.ld32u(out.f + F.mode) === IOLBF) {
			flushStream(mem, env, out);
		}
	}
	if (position >= env.stdin.length) {
		mem.st32(s.f + F.flags, mem.ld32u(s.f + F.flags) | FLAG_EOF);
		return EOF;
	}
	mem.st32(s.f + F.inputPosition, position + 1);
	return env.stdin[position];
}

// ---- Builtins ------------------------------------------------------------------------------------

/** Formats with an argument source; fault or the bytes and printf's error state. */
function format(ctx: BuiltinContext, formatAddress: number, source: ArgSource): { bytes: Uint8Array; error?: string } | 'fault' {
	const fmt = readCString(ctx.mem, formatAddress);
	if (fmt === undefined) {
		return 'fault';
	}
	const r = formatPrintfResult(fmt, source);
	if (source.failed || ctx.mem.fault) {
		return 'fault';
	}
	return r;
}

/** Sets errno for a formatting error; returns printf's -1. */
function formatError(ctx: BuiltinContext, env: LibcEnv, error: string): number {
	setErrno(ctx.mem, env, error === 'EINVAL' ? Errno.EINVAL : error === 'EILSEQ' ? Errno.EILSEQ : Errno.EOVERFLOW);
	return -1;
}

/** The <stdio.h> builtins, plus write/read on descriptors 0-2 and `__faultline_stdio` behind stdin/stdout/stderr. */
export function stdioBuiltins(env: LibcEnv): Record<string, Builtin> {
	const callArgs = (ctx: BuiltinContext, args: readonly Value[], first: number): ArgSource =>
		new CallArgSource(ctx.mem, env.errnoAddress, args, ctx.argTypes, first);
	const vaArgs = (ctx: BuiltinContext, vaList: Value): ArgSource => new VaListArgSource(ctx.mem, env.errnoAddress, toAddress(vaList));

	/** printf/fprintf/vprintf/vfprintf: format, then write to the stream. */
	const printTo = (ctx: BuiltinContext, streamValue: Value, formatValue: Value, source: ArgSource): Value | BuiltinAction => {
		const s = streamOf(ctx.mem, env, toAddress(streamValue));
		if (s === 'fault') return FAULT;
		const r = format(ctx, toAddress(formatValue), source);
		if (r === 'fault') return FAULT;
		if (s === undefined) {
			setErrno(ctx.mem, env, Errno.EBADF);
			return -1;
		}
		if (!streamWrite(ctx.mem, env, s, r.bytes)) {
			setErrno(ctx.mem, env, Errno.EBADF);
			return -1;
		}
		return r.error !== undefined ? formatError(ctx, env, r.error) : r.bytes.length;
	};

	/** dprintf/vdprintf: format, then write to the descriptor unbuffered. */
	const printToFd = (ctx: BuiltinContext, fdValue: Value, formatValue: Value, source: ArgSource): Value | BuiltinAction => {
		const r = format(ctx, toAddress(formatValue), source);
		if (r === 'fault') return FAULT;
		if (!env.emit(toInt(fdValue), r.bytes)) {
			setErrno(ctx.mem, env, Errno.EBADF);
			return -1;
		}
		return r.error !== undefined ? formatError(ctx, env, r.error) : r.bytes.length;
	};

	/** sprintf/snprintf and their v-forms: format into memory, NUL-terminated, at most `limit` bytes. */
	const printToMemory = (ctx: BuiltinContext, destination: Value, limit: number | undefined, formatValue: Value, source: ArgSource): Value | BuiltinAction => {
		const r = format(ctx, toAddress(formatValue), source);
		if (r === 'fault') return FAULT;
		const keep = limit === undefined ? r.bytes.length : Math.min(r.bytes.length, Math.max(0, limit - 1));
		if (limit === undefined || limit > 0) {
			const out = new Uint8Array(keep + 1);
			out.set(r.bytes.subarray(0, keep));
			ctx.mem.write(toAddress(destination), out);
			if (ctx.mem.fault) return FAULT;
		}
		return r.error !== undefined ? formatError(ctx, env, r.error) : r.bytes.length;
	};

	/** asprintf/vasprintf: format into a new malloc'd string stored at *strp. */
	const printToNew = (ctx: BuiltinContext, strp: Value, formatValue: Value, source: ArgSource): Value | BuiltinAction => {
		const r = format(ctx, toAddress(formatValue), source);
		if (r === 'fault') return FAULT;
		if (r.error !== undefined) return formatError(ctx, env, r.error);
		const p = env.allocator.malloc(ctx.mem, r.bytes.length + 1);
		if (p === 0) {
			setErrno(ctx.mem, env, Errno.ENOMEM);
			return -1;
		}
		const out = new Uint8Array(r.bytes.length + 1);
		out.set(r.bytes);
		ctx.mem.write(p, out);
		ctx.mem.st64(toAddress(strp), p);
		if (ctx.mem.fault) return FAULT;
		return r.bytes.length;
	};

	const stdoutValue = (): number => fileAddress(env, 1);

	/** Writes bytes to a stream argument; the libc return conventions are left to the caller. */
	const writeStream = (ctx: BuiltinContext, streamValue: Value, bytes: Uint8Array): boolean | 'fault' => {
		const s = streamOf(ctx.mem, env, toAddress(streamValue));
		if (s === 'fault') return 'fault';
		if (s === undefined) {
			setErrno(ctx.mem, env, Errno.EBADF);
			return false;
		}
		return streamWrite(ctx.mem, env, s, bytes);
	};

	const putc: Builtin = (ctx, args) => {
		const c = toInt(args[0]) & 0xff;
		const ok = writeStream(ctx, args[1], Uint8Array.of(c));
		return ok === 'fault' ? FAULT : ok ? c : EOF;
	};

	const getc: Builtin = (ctx, args) => {
		const s = streamOf(ctx.mem, env, toAddress(args[0]));
		if (s === 'fault') return FAULT;
		if (s === undefined) {
			setErrno(ctx.mem, env, Errno.EBADF);
			return EOF;
		}
		return streamGetc(ctx.mem, env, s);
	};

	/** Applies `op` to a valid stream, or fails with EBADF (`bad`), or faults. */
	const withStream = (ctx: BuiltinContext, streamValue: Value, bad: Value | undefined, op: (s: Stream) => Value | undefined | BuiltinAction): Value | undefined | BuiltinAction => {
		const s = streamOf(ctx.mem, env, toAddress(streamValue));
		if (s === 'fault') return FAULT;
		if (s === undefined) {
			setErrno(ctx.mem, env, Errno.EBADF);
			return bad;
		}
		return op(s);
	};

	return {
		__faultline_stdio: (ctx, args) => {
			const fd = toInt(args[0]);
			return fd >= 0 && fd <= 2 ? fileAddress(env, fd) : 0;
		},

		printf: (ctx, args) => printTo(ctx, stdoutValue(), args[0], callArgs(ctx, args, 1)),
		fprintf: (ctx, args) => printTo(ctx, args[0], args[1], callArgs(ctx, args, 2)),
		dprintf: (ctx, args) => printToFd(ctx, args[0], args[1], callArgs(ctx, args, 2)),
		sprintf: (ctx, args) => printToMemory(ctx, args[0], undefined, args[1], callArgs(ctx, args, 2)),
		snprintf: (ctx, args) => printToMemory(ctx, args[0], toSize(args[1]), args[2], callArgs(ctx, args, 3)),
		asprintf: (ctx, args) => printToNew(ctx, args[0], args[1], callArgs(ctx, args, 2)),
		vprintf: (ctx, args) => printTo(ctx, stdoutValue(), args[0], vaArgs(ctx, args[1])),
		vfprintf: (ctx, args) => printTo(ctx, args[0], args[1], vaArgs(ctx, args[2])),
		vdprintf: (ctx, args) => printToFd(ctx, args[0], args[1], vaArgs(ctx, args[2])),
		vsprintf: (ctx, args) => printToMemory(ctx, args[0], undefined, args[1], vaArgs(ctx, args[2])),
		vsnprintf: (ctx, args) => printToMemory(ctx, args[0], toSize(args[1]), args[2], vaArgs(ctx, args[3])),
		vasprintf: (ctx, args) => printToNew(ctx, args[0], args[1], vaArgs(ctx, args[2])),

		puts: (ctx, args) => {
			const s = readCString(ctx.mem, toAddress(args[0]));
			if (s === undefined) return FAULT;
			const line = new Uint8Array(s.length + 1);
			line.set(s);
			line[s.length] = 0x0a;
			const ok = writeStream(ctx, stdoutValue(), line);
			// glibc returns MIN(INT_MAX, length + 1).
			return ok === 'fault' ? FAULT : ok ? Math.min(0x7fffffff, line.length) : EOF;
		},
		fputs: (ctx, args) => {
			const s = readCString(ctx.mem, toAddress(args[0]));
			if (s === undefined) return FAULT;
			const ok = writeStream(ctx, args[1], s);
			return ok === 'fault' ? FAULT : ok ? 1 : EOF;
		},
		putchar: (ctx, args) => putc(ctx, [args[0], stdoutValue()]),
		fputc: putc,
		putc,
		fwrite: (ctx, args) => {
			const size = toSize(args[1]);
			const count = toSize(args[2]);
			const total = size * count;
			if (total === 0) return 0;
			if (total > MAX_WRITE) {
				setErrno(ctx.mem, env, Errno.EOVERFLOW);
				return 0;
			}
			const bytes = ctx.mem.read(toAddress(args[0]), total);
			if (bytes === null) return FAULT;
			const ok = writeStream(ctx, args[3], bytes);
			return ok === 'fault' ? FAULT : ok ? count : 0;
		},
		fflush: (ctx, args) => {
			if (toAddress(args[0]) === 0) {
				flushAll(ctx.mem, env);
				return 0;
			}
			return withStream(ctx, args[0], EOF, s => (flushStream(ctx.mem, env, s) ? 0 : EOF));
		},
		setvbuf: (ctx, args) => {
			const mode = toInt(args[2]);
			return withStream(ctx, args[0], EOF, s => {
				if (mode !== IOFBF && mode !== IOLBF && mode !== IONBF) {
					setErrno(ctx.mem, env, Errno.EINVAL);
					return EOF;
				}
				// The C library keeps its own buffer; a caller-supplied one is not used.
				flushStream(ctx.mem, env, s);
				ctx.mem.st32(s.f + F.mode, mode);
				return 0;
			});
		},
		setbuf: (ctx, args) =>
			withStream(ctx, args[0], undefined, s => {
				flushStream(ctx.mem, env, s);
				ctx.mem.st32(s.f + F.mode, toAddress(args[1]) === 0 ? IONBF : IOFBF);
				return undefined;
			}),
		feof: (ctx, args) => withStream(ctx, args[0], 0, s => ((ctx.mem.ld32u(s.f + F.flags) & FLAG_EOF) !== 0 ? 1 : 0)),
		ferror: (ctx, args) => withStream(ctx, args[0], 0, s => ((ctx.mem.ld32u(s.f + F.flags) & FLAG_ERROR) !== 0 ? 1 : 0)),
		clearerr: (ctx, args) =>
			withStream(ctx, args[0], undefined, s => {
				ctx.mem.st32(s.f + F.flags, 0);
				return undefined;
			}),
		fileno: (ctx, args) => withStream(ctx, args[0], -1, s => s.fd),

		getchar: (ctx) => getc(ctx, [fileAddress(env, 0)]),
		fgetc: getc,
		getc,
		ungetc: (ctx, args) =>
			withStream(ctx, args[1], EOF, s => {
				const c = toInt(args[0]);
				if (c === EOF || s.fd !== 0) return EOF;
				ctx.mem.st32(s.f + F.pushback, c & 0xff);
				ctx.mem.st32(s.f + F.flags, ctx.mem.ld32u(s.f + F.flags) & ~FLAG_EOF);
				return c & 0xff;
			}),
		fgets: (ctx, args) => {
			const destination = toAddress(args[0]);
			const n = toInt(args[1]);
			return withStream(ctx, args[2], 0, s => {
				if (n <= 0) {
					setErrno(ctx.mem, env, Errno.EINVAL);
					return 0;
				}
				const line: number[] = [];
				while (line.length < n - 1) {
					const c = streamGetc(ctx.mem, env, s);
					if (c === EOF) break;
					line.push(c);
					if (c === 0x0a) break;
				}
				if (line.length === 0 && n > 1) {
					return 0;
				}
				ctx.mem.write(destination, Uint8Array.from([...line, 0]));
				return ctx.mem.fault ? FAULT : destination;
			});
		},
		fread: (ctx, args) => {
			const destination = toAddress(args[0]);
			const size = toSize(args[1]);
			const count = toSize(args[2]);
			return withStream(ctx, args[3], 0, s => {
				const wanted = Math.min(size * count, MAX_WRITE);
				const bytes: number[] = [];
				while (bytes.length < wanted) {
					const c = streamGetc(ctx.mem, env, s);
					if (c === EOF) break;
					bytes.push(c);
				}
				ctx.mem.write(destination, Uint8Array.from(bytes));
				if (ctx.mem.fault) return FAULT;
				return size === 0 ? 0 : Math.floor(bytes.length / size);
			});
		},

		perror: (ctx, args) => {
			const address = toAddress(args[0]);
			const prefix = address === 0 ? new Uint8Array(0) : readCString(ctx.mem, address);
			if (prefix === undefined) return FAULT;
			const message = new TextEncoder().encode(strerrorOf(getErrno(ctx.mem, env)) + '\n');
			const text = prefix.length > 0 ? concat(prefix, new TextEncoder().encode(': '), message) : message;
			flushStream(ctx.mem, env, { f: fileAddress(env, 2), fd: 2 });
			env.emit(2, text);
			return undefined;
		},

		write: (ctx, args) => {
			const fd = toInt(args[0]);
			const n = Math.min(toSize(args[2]), MAX_WRITE);
			if (fd !== 1 && fd !== 2) {
				setErrno(ctx.mem, env, Errno.EBADF);
				return -1;
			}
			const bytes = n === 0 ? new Uint8Array(0) : ctx.mem.read(toAddress(args[1]), n);
			if (bytes === null) {
				// The kernel reports a bad buffer as EFAULT rather than killing the process.
				ctx.mem.fault = null;
				setErrno(ctx.mem, env, Errno.EFAULT);
				return -1;
			}
			env.emit(fd, bytes);
			return n;
		},
		read: (ctx, args) => {
			const fd = toInt(args[0]);
			if (fd !== 0) {
				setErrno(ctx.mem, env, Errno.EBADF);
				return -1;
			}
			const f = fileAddress(env, 0);
			const position = ctx.mem.ld32u(f + F.inputPosition);
			const n = Math.min(toSize(args[2]), MAX_WRITE, Math.max(0, env.stdin.length - position));
			ctx.mem.write(toAddress(args[1]), env.stdin.subarray(position, position + n));
			if (ctx.mem.fault) {
				ctx.mem.fault = null;
				setErrno(ctx.mem, env, Errno.EFAULT);
				return -1;
			}
			ctx.mem.st32(f + F.inputPosition, position + n);
			return n;
		},
	};
}


function concat(...parts: Uint8Array[]): Uint8Array {
	const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
	let offset = 0;
	for (const p of parts) {
		out.set(p, offset);
		offset += p.length;
	}
	return out;
}
