// <string.h> and <strings.h> of the user C library (layer: interp).
//
// Comparisons return the difference of the first differing bytes as unsigned chars, as glibc's
// x86-64 implementations do (strcmp("a", "c") == -2). Each builtin reads everything it needs
// before writing, so a fault leaves memory untouched and the call can simply be made again.

import type { Builtin, BuiltinContext, MemoryBus, Value } from '../contracts';
import { type LibcEnv, setErrno } from './env';
import { Errno, strerrorText } from './errors';
import { LibcData, STRERROR_SLOT } from './libcData';
import { FAULT, readCString, toAddress, toInt, toSize } from './memoryAccess';

const PAGE = 4096;

/** Number of errno values with a fixed strerror slot; larger ones share the "Unknown error" slot. */
const KNOWN_ERRNOS = 134;

/** Compares two memory ranges a page-sized chunk at a time; the byte difference, or undefined on a fault. */
function compareMemory(mem: MemoryBus, a: number, b: number, n: number): number | undefined {
	let offset = 0;
	while (offset < n) {
		const length = Math.min(n - offset, PAGE - ((a + offset) % PAGE), PAGE - ((b + offset) % PAGE));
		const x = mem.read(a + offset, length);
		const y = mem.read(b + offset, length);
		if (x === null || y === null) {
			return undefined;
		}
		for (let i = 0; i < length; i++) {
			if (x[i] !== y[i]) {
				return x[i] - y[i];
			}
		}
		offset += length;
	}
	return 0;
}

function lower(c: number): number {
	return c >= 0x41 && c <= 0x5a ? c + 0x20 : c;
}

/** Compares C strings; `limit` bounds the bytes compared, `fold` ignores ASCII case. */
function compareStrings(mem: MemoryBus, a: number, b: number, limit: number, fold: boolean): number | undefined {
	const x = readCString(mem, a, limit);
	const y = x === undefined ? undefined : readCString(mem, b, limit);
	if (x === undefined || y === undefined) {
		return undefined;
	}
	const n = Math.min(limit, Math.max(x.length, y.length) + 1);
	for (let i = 0; i < n; i++) {
		let cx = i < x.length ? x[i] : 0;
		let cy = i < y.length ? y[i] : 0;
		if (fold) {
			cx = lower(cx);
			cy = lower(cy);
		}
		if (cx !== cy || cx === 0) {
			return cx - cy;
		}
	}
	return 0;
}

function withNul(bytes: Uint8Array, padTo = bytes.length + 1): Uint8Array {
	const out = new Uint8Array(Math.max(padTo, bytes.length));
	out.set(bytes);
	return out;
}

/** The first index of `needle` in `haystack`, or -1; an empty needle is found at 0. */
function indexOfBytes(haystack: Uint8Array, needle: Uint8Array): number {
	if (needle.length === 0) {
		return 0;
	}
	const first = needle[0];
	for (let i = haystack.indexOf(first); i >= 0 && i + needle.length <= haystack.length; i = haystack.indexOf(first, i + 1)) {
		let j = 1;
		while (j < needle.length && haystack[i + j] === needle[j]) j++;
		if (j === needle.length) {
			return i;
		}
	}
	return -1;
}

/** Membership table of a set of bytes (strspn, strtok delimiters). */
function byteSet(bytes: Uint8Array): Uint8Array {
	const set = new Uint8Array(256);
	for (const b of bytes) set[b] = 1;
	return set;
}

/** Address of the static string strerror returns for `errnum`, written on first use. */
export function strerrorString(mem: MemoryBus, env: LibcEnv, errnum: number): number {
	const known = errnum >= 0 && errnum < KNOWN_ERRNOS;
	const slot = env.data + LibcData.strerror + STRERROR_SLOT * (known ? errnum : KNOWN_ERRNOS);
	const text = new TextEncoder().encode(strerrorText(errnum)).subarray(0, STRERROR_SLOT - 1);
	mem.write(slot, withNul(text));
	return slot;
}

/** The <string.h> and <strings.h> builtins. */
export function stringBuiltins(env: LibcEnv): Record<string, Builtin> {
	const strtok = (ctx: BuiltinContext, s: number, delimiters: number, saveAddress: number): Value | ReturnType<Builtin> => {
		const mem = ctx.mem;
		let at = s !== 0 ? s : toAddress(mem.ld64u(saveAddress));
		if (mem.fault) return FAULT;
		if (at === 0) return 0;
		const delim = readCString(mem, delimiters);
		const text = delim === undefined ? undefined : readCString(mem, at);
		if (delim === undefined || text === undefined) return FAULT;
		const set = byteSet(delim);
		let i = 0;
		while (i < text.length && set[text[i]]) i++;
		if (i === text.length) {
			mem.st64(saveAddress, at + i);
			return mem.fault ? FAULT : 0;
		}
		const start = i;
		while (i < text.length && !set[text[i]]) i++;
		if (i < text.length) {
			mem.st8(at + i, 0);
			mem.st64(saveAddress, at + i + 1);
		} else {
			mem.st64(saveAddress, at + i);
		}
		at += start;
		return mem.fault ? FAULT : at;
	};

	const duplicate = (ctx: BuiltinContext, bytes: Uint8Array): Value => {
		const p = env.allocator.malloc(ctx.mem, bytes.length + 1);
		if (p === 0) {
			setErrno(ctx.mem, env, Errno.ENOMEM);
			return 0;
		}
		ctx.mem.write(p, withNul(bytes));
		return p;
	};

	const builtins: Record<string, Builtin> = {
		memcpy: (ctx, args) => {
			// Overlapping memcpy is undefined; copying as memmove gives the answer most programs expect.
			ctx.mem.copy(toAddress(args[0]), toAddress(args[1]), toSize(args[2]));
			return ctx.mem.fault ? FAULT : args[0];
		},
		memmove: (ctx, args) => {
			ctx.mem.copy(toAddress(args[0]), toAddress(args[1]), toSize(args[2]));
			return ctx.mem.fault ? FAULT : args[0];
		},
		memset: (ctx, args) => {
			ctx.mem.fill(toAddress(args[0]), toInt(args[1]) & 0xff, toSize(args[2]));
			return ctx.mem.fault ? FAULT : args[0];
		},
		memcmp: (ctx, args) => compareMemory(ctx.mem, toAddress(args[0]), toAddress(args[1]), toSize(args[2])) ?? FAULT,
		memchr: (ctx, args) => {
			const s = toAddress(args[0]);
			const c = toInt(args[1]) & 0xff;
			const n = toSize(args[2]);
			for (let offset = 0; offset < n; ) {
				const length = Math.min(n - offset, PAGE - ((s + offset) % PAGE));
				const chunk = ctx.mem.read(s + offset, length);
				if (chunk === null) return FAULT;
				const i = chunk.indexOf(c);
				if (i >= 0) return s + offset + i;
				offset += length;
			}
			return 0;
		},
		strlen: (ctx, args) => readCString(ctx.mem, toAddress(args[0]))?.length ?? FAULT,
		strnlen: (ctx, args) => readCString(ctx.mem, toAddress(args[0]), toSize(args[1]))?.length ?? FAULT,
		strcpy: (ctx, args) => {
			const s = readCString(ctx.mem, toAddress(args[1]));
			if (s === undefined) return FAULT;
			ctx.mem.write(toAddress(args[0]), withNul(s));
			return ctx.mem.fault ? FAULT : args[0];
		},
		stpcpy: (ctx, args) => {
			const s = readCString(ctx.mem, toAddress(args[1]));
			if (s === undefined) return FAULT;
			ctx.mem.write(toAddress(args[0]), withNul(s));
			return ctx.mem.fault ? FAULT : toAddress(args[0]) + s.length;
		},
		strncpy: (ctx, args) => {
			const n = toSize(args[2]);
			const s = readCString(ctx.mem, toAddress(args[1]), n);
			if (s === undefined) return FAULT;
			// Copies at most n bytes and pads with NULs up to n: no terminator if the source is too long.
			// The padding is a fill, so a huge n costs nothing until it reaches unmapped memory.
			const d = toAddress(args[0]);
			if (n > 0) {
				ctx.mem.write(d, s.length >= n ? s.subarray(0, n) : s);
				if (!ctx.mem.fault && s.length < n) ctx.mem.fill(d + s.length, 0, n - s.length);
			}
			return ctx.mem.fault ? FAULT : args[0];
		},
		strcat: (ctx, args) => {
			const d = toAddress(args[0]);
			const existing = readCString(ctx.mem, d);
			const s = existing === undefined ? undefined : readCString(ctx.mem, toAddress(args[1]));
			if (existing === undefined || s === undefined) return FAULT;
			ctx.mem.write(d + existing.length, withNul(s));
			return ctx.mem.fault ? FAULT : args[0];
		},
		strncat: (ctx, args) => {
			const d = toAddress(args[0]);
			const existing = readCString(ctx.mem, d);
			const s = existing === undefined ? undefined : readCString(ctx.mem, toAddress(args[1]), toSize(args[2]));
			if (existing === undefined || s === undefined) return FAULT;
			ctx.mem.write(d + existing.length, withNul(s));
			return ctx.mem.fault ? FAULT : args[0];
		},
		strcmp: (ctx, args) => compareStrings(ctx.mem, toAddress(args[0]), toAddress(args[1]), Infinity, false) ?? FAULT,
		strncmp: (ctx, args) => compareStrings(ctx.mem, toAddress(args[0]), toAddress(args[1]), toSize(args[2]), false) ?? FAULT,
		strcasecmp: (ctx, args) => compareStrings(ctx.mem, toAddress(args[0]), toAddress(args[1]), Infinity, true) ?? FAULT,
		strncasecmp: (ctx, args) => compareStrings(ctx.mem, toAddress(args[0]), toAddress(args[1]), toSize(args[2]), true) ?? FAULT,
		strchr: (ctx, args) => {
			const s = toAddress(args[0]);
			const text = readCString(ctx.mem, s);
			if (text === undefined) return FAULT;
			const c = toInt(args[1]) & 0xff;
			if (c === 0) return s + text.length;
			const i = text.indexOf(c);
			return i < 0 ? 0 : s + i;
		},
		strrchr: (ctx, args) => {
			const s = toAddress(args[0]);
			const text = readCString(ctx.mem, s);
			if (text === undefined) return FAULT;
			const c = toInt(args[1]) & 0xff;
			if (c === 0) return s + text.length;
			const i = text.lastIndexOf(c);
			return i < 0 ? 0 : s + i;
		},
		strstr: (ctx, args) => {
			const h = toAddress(args[0]);
			const haystack = readCString(ctx.mem, h);
			const needle = haystack === undefined ? undefined : readCString(ctx.mem, toAddress(args[1]));
			if (haystack === undefined || needle === undefined) return FAULT;
			const i = indexOfBytes(haystack, needle);
			return i < 0 ? 0 : h + i;
		},
		strspn: (ctx, args) => {
			const text = readCString(ctx.mem, toAddress(args[0]));
			const accept = text === undefined ? undefined : readCString(ctx.mem, toAddress(args[1]));
			if (text === undefined || accept === undefined) return FAULT;
			const set = byteSet(accept);
			let i = 0;
			while (i < text.length && set[text[i]]) i++;
			return i;
		},
		strcspn: (ctx, args) => {
			const text = readCString(ctx.mem, toAddress(args[0]));
			const reject = text === undefined ? undefined : readCString(ctx.mem, toAddress(args[1]));
			if (text === undefined || reject === undefined) return FAULT;
			const set = byteSet(reject);
			let i = 0;
			while (i < text.length && !set[text[i]]) i++;
			return i;
		},
		strpbrk: (ctx, args) => {
			const s = toAddress(args[0]);
			const text = readCString(ctx.mem, s);
			const accept = text === undefined ? undefined : readCString(ctx.mem, toAddress(args[1]));
			if (text === undefined || accept === undefined) return FAULT;
			const set = byteSet(accept);
			for (let i = 0; i < text.length; i++) {
				if (set[text[i]]) return s + i;
			}
			return 0;
		},
		strtok: (ctx, args) => strtok(ctx, toAddress(args[0]), toAddress(args[1]), env.data + LibcData.strtokSave),
		strtok_r: (ctx, args) => strtok(ctx, toAddress(args[0]), toAddress(args[1]), toAddress(args[2])),
		strdup: (ctx, args) => {
			const s = readCString(ctx.mem, toAddress(args[0]));
			return s === undefined ? FAULT : duplicate(ctx, s);
		},
		strndup: (ctx, args) => {
			const s = readCString(ctx.mem, toAddress(args[0]), toSize(args[1]));
			return s === undefined ? FAULT : duplicate(ctx, s);
		},
		strerror: (ctx, args) => {
			const p = strerrorString(ctx.mem, env, toInt(args[0]));
			return ctx.mem.fault ? FAULT : p;
		},
	};
	return builtins;
}
