// <stdlib.h> of the user C library: allocation, number conversions, sorting and searching with
// the program's comparison function, glibc's random(), and process exit (layer: interp).

import type { Builtin, BuiltinAction, BuiltinContext, Value } from '../contracts';
import { type LibcEnv, SIGABRT, setErrno } from './env';
import { Errno } from './errors';
import { type HeapError } from './malloc';
import { ATEXIT_MAX, LibcData } from './libcData';
import { canonical64, FAULT, latin1Text, readCString, toAddress, toInt, toSize } from './memoryAccess';
import { nextRandom, seedRandom } from './random';
import { flushAll } from './stdio';

// ---- Number parsing --------------------------------------------------------------------------------

function isSpace(c: number): boolean {
	return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}

function digitValue(c: number): number {
	if (c >= 0x30 && c <= 0x39) return c - 0x30;
	if (c >= 0x61 && c <= 0x7a) return c - 0x61 + 10;
	if (c >= 0x41 && c <= 0x5a) return c - 0x41 + 10;
	return 99;
}

/** The result of glibc's ____strtol_l_internal: the value, where parsing ended, and errno if any. */
export interface ParsedInteger {
	readonly value: bigint;
	/** Bytes consumed from the start of the string (0 when nothing was converted). */
	readonly end: number;
	readonly errno?: number;
}

/**
 * strtol/strtoul/strtoll/strtoull on the bytes of a string: optional white space and sign, a
 * `0x` prefix for base 16 or 0, an octal `0` for base 0. Out-of-range values saturate with ERANGE;
 * the unsigned forms negate a `-` result modulo 2^64, as C requires.
 */
export function parseInteger(text: Uint8Array, base: number, signed: boolean, bits = 64): ParsedInteger {
	if (base < 0 || base === 1 || base > 36) {
		return { value: 0n, end: 0, errno: Errno.EINVAL };
	}
	let i = 0;
	while (i < text.length && isSpace(text[i])) i++;
	let negative = false;
	if (text[i] === 0x2d || text[i] === 0x2b) {
		negative = text[i] === 0x2d;
		i++;
	}
	let prefixEnd = -1;
	if ((base === 0 || base === 16) && text[i] === 0x30 && (text[i + 1] | 0x20) === 0x78) {
		// "0x" with no hex digit after it converts just the "0", ending at the "x".
		prefixEnd = i + 1;
		i += 2;
		base = 16;
	} else if (base === 0) {
		base = text[i] === 0x30 ? 8 : 10;
	}
	const bigBase = BigInt(base);
	let value = 0n;
	const start = i;
	while (i < text.length && digitValue(text[i]) < base) {
		value = value * bigBase + BigInt(digitValue(text[i]));
		i++;
	}
	if (i === start) {
		return { value: 0n, end: prefixEnd >= 0 ? prefixEnd : 0 };
	}
	const limit = 1n << BigInt(bits);
	if (signed) {
		const max = (limit >> 1n) - 1n;
		if (!negative && value > max) return { value: max, end: i, errno: Errno.ERANGE };
		if (negative && value > max + 1n) return { value: -max - 1n, end: i, errno: Errno.ERANGE };
		return { value: negative ? -value : value, end: i };
	}
	if (value >= limit) {
		return { value: limit - 1n, end: i, errno: Errno.ERANGE };
	}
	return { value: negative ? BigInt.asUintN(bits, -value) : value, end: i };
}

/** 2^n exactly, for -1074 <= n <= 1023. */
function pow2(n: number): number {
	const view = new DataView(new ArrayBuffer(8));
	if (n >= -1022) {
		view.setUint32(0, (n + 1023) << 20);
	} else {
		const bit = n + 1074; // position in the 52-bit fraction
		view.setUint32(0, bit >= 32 ? 1 << (bit - 32) : 0);
		view.setUint32(4, bit < 32 ? 2 ** bit : 0);
	}
	return view.getFloat64(0);
}

/** mantissa * 2^exponent rounded to the nearest double (ties to even), subnormals included. */
function roundToDouble(mantissa: bigint, exponent: number): number {
	if (mantissa === 0n) return 0;
	const bits = mantissa.toString(2).length;
	const topExponent = bits - 1 + exponent;
	if (topExponent > 1023) return Infinity;
	if (topExponent < -1075) return 0;
	const lsbExponent = Math.max(topExponent - 52, -1074);
	const shift = lsbExponent - exponent;
	if (shift <= 0) {
		return Number(mantissa) * pow2(exponent);
	}
	let q = mantissa >> BigInt(shift);
	const rest = mantissa - (q << BigInt(shift));
	const half = 1n << BigInt(shift - 1);
	if (rest > half || (rest === half && (q & 1n) === 1n)) q++;
	const result = Number(q) * pow2(lsbExponent);
	return result;
}

/** strtod on the bytes of a string: decimal and hexadecimal forms, inf/infinity and nan(...). */
export function parseDouble(text: Uint8Array): { value: number; end: number; errno?: number } {
	const s = latin1Text(text);
	let i = 0;
	while (i < s.length && isSpace(s.charCodeAt(i))) i++;
	let sign = 1;
	if (s[i] === '-' || s[i] === '+') {
		sign = s[i] === '-' ? -1 : 1;
		i++;
	}
	const rest = s.slice(i);
	const special = /^(inf(inity)?|nan(\([0-9A-Za-z_]*\))?)/i.exec(rest);
	if (special !== null) {
		return { value: sign * (special[0][0].toLowerCase() === 'i' ? Infinity : NaN), end: i + special[0].length };
	}
	const hex = /^0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?/.exec(rest);
	if (hex !== null && (hex[1].length > 0 || (hex[2] ?? '').length > 0)) {
		let end = i + hex[0].length;
		let exponent = 0;
		const p = /^[pP]([+-]?[0-9]+)/.exec(s.slice(end));
		if (p !== null) {
			exponent = Math.max(-100000, Math.min(100000, Number(p[1])));
			end += p[0].length;
		}
		const digits = hex[1] + (hex[2] ?? '');
		const mantissa = BigInt('0x' + (digits.length > 0 ? digits : '0'));
		const value = roundToDouble(mantissa, exponent - 4 * (hex[2] ?? '').length);
		return finishDouble(sign * value, mantissa !== 0n, end);
	}
	const decimal = /^([0-9]*)(?:\.([0-9]*))?/.exec(rest);
	if (decimal === null || (decimal[1].length === 0 && (decimal[2] ?? '').length === 0)) {
		// "0x" without hex digits still converts the 0.
		return hex !== null ? { value: sign * 0, end: i + 1 } : { value: 0, end: 0 };
	}
	let end = i + decimal[0].length;
	let literal = (decimal[1].length > 0 ? decimal[1] : '0') + '.' + (decimal[2] ?? '');
	const e = /^[eE]([+-]?[0-9]+)/.exec(s.slice(end));
	if (e !== null) {
		literal += 'e' + e[1];
		end += e[0].length;
	}
	const value = Number(literal);
	return finishDouble(sign * value, /[1-9]/.test(decimal[1] + (decimal[2] ?? '')), end);
}

function finishDouble(value: number, nonzeroDigits: boolean, end: number): { value: number; end: number; errno?: number } {
	if (!Number.isFinite(value)) {
		return { value, end, errno: Errno.ERANGE };
	}
	if (nonzeroDigits && Math.abs(value) < 2.2250738585072014e-308) {
		return { value, end, errno: Errno.ERANGE };
	}
	return { value, end };
}

// ---- Sorting ---------------------------------------------------------------------------------------

/**
 * glibc 2.36's qsort is a top-down merge sort (msort_with_tmp); this generator makes the same
 * comparisons in the same order, yielding pairs of element indices and receiving the comparison
 * function's result, and returns the sorted order of the original indices. Equal elements keep
 * their order, as with glibc.
 */
export function* mergeSortOrder(n: number): Generator<readonly [number, number], number[], number> {
	const order = Array.from({ length: n }, (_, i) => i);
	const sort = function* (from: number, count: number): Generator<readonly [number, number], void, number> {
		if (count <= 1) return;
		const n1 = Math.floor(count / 2);
		const n2 = count - n1;
		yield* sort(from, n1);
		yield* sort(from + n1, n2);
		const merged: number[] = [];
		let i = from;
		let j = from + n1;
		const endI = from + n1;
		const endJ = from + count;
		while (i < endI && j < endJ) {
			const r = yield [order[i], order[j]];
			if (r <= 0) merged.push(order[i++]);
			else merged.push(order[j++]);
		}
		while (i < endI) merged.push(order[i++]);
		while (j < endJ) merged.push(order[j++]);
		for (let k = 0; k < merged.length; k++) order[from + k] = merged[k];
	};
	yield* sort(0, n);
	return order;
}

// ---- Builtins ----------------------------------------------------------------------------------------

/** qsort keeps a permutation of the elements in host memory; this bounds it (16M elements). */
const QSORT_MAX_ELEMENTS = 1 << 24;

function heapTrap(ctx: BuiltinContext, env: LibcEnv, e: HeapError): BuiltinAction {
	// glibc's malloc_printerr writes the message to stderr, then aborts.
	flushAll(ctx.mem, env);
	env.emit(2, new TextEncoder().encode(e.error + '\n'));
	return { kind: 'trap', message: e.error, signal: SIGABRT };
}

/** The <stdlib.h> builtins (and <inttypes.h>'s conversions, __errno_location and __assert_fail). */
export function stdlibBuiltins(env: LibcEnv): Record<string, Builtin> {
	const heap = env.allocator;

	const allocated = (ctx: BuiltinContext, p: number): Value => {
		if (p === 0) setErrno(ctx.mem, env, Errno.ENOMEM);
		return p;
	};

	/** strto* family: parse, store *endptr, set errno, return the canonical value. */
	const strtoInteger = (signed: boolean, bits: number, base10?: boolean): Builtin => (ctx, args) => {
		const nptr = toAddress(args[0]);
		const text = readCString(ctx.mem, nptr);
		if (text === undefined) return FAULT;
		const base = base10 ? 10 : toInt(args[2]);
		const r = parseInteger(text, base, signed, bits);
		if (!base10) {
			const endptr = toAddress(args[1]);
			if (endptr !== 0 && r.errno !== Errno.EINVAL) {
				ctx.mem.st64(endptr, nptr + r.end);
				if (ctx.mem.fault) return FAULT;
			}
		}
		if (r.errno !== undefined) setErrno(ctx.mem, env, r.errno);
		return canonical64(r.value);
	};

	const strtod = (single: boolean): Builtin => (ctx, args) => {
		const nptr = toAddress(args[0]);
		const text = readCString(ctx.mem, nptr);
		if (text === undefined) return FAULT;
		const r = parseDouble(text);
		const endptr = args.length > 1 ? toAddress(args[1]) : 0;
		if (endptr !== 0) {
			ctx.mem.st64(endptr, nptr + r.end);
			if (ctx.mem.fault) return FAULT;
		}
		let value = r.value;
		let errno = r.errno;
		if (single) {
			value = Math.fround(value);
			if (!Number.isFinite(value) && Number.isFinite(r.value)) errno = Errno.ERANGE;
		}
		if (errno !== undefined) setErrno(ctx.mem, env, errno);
		return value;
	};

	const abs64 = (v: Value): Value => {
		const b = typeof v === 'bigint' ? v : BigInt(Number.isFinite(v) ? Math.trunc(v) : 0);
		// llabs(LLONG_MIN) wraps to LLONG_MIN, as the hardware negation does.
		return canonical64(BigInt.asIntN(64, b < 0n ? -b : b));
	};

	/** exit(): run atexit handlers newest first (each through a call), flush, then end. */
	const exitSequence = (ctx: BuiltinContext, status: number): BuiltinAction => {
		const countAddress = env.data + LibcData.atexitCount;
		const count = ctx.mem.ld32u(countAddress);
		if (count > 0 && count <= ATEXIT_MAX) {
			const handler = toAddress(ctx.mem.ld64u(env.data + LibcData.atexitTable + 8 * (count - 1)));
			ctx.mem.st32(countAddress, count - 1);
			return { kind: 'call', target: handler, args: [], then: () => exitSequence(ctx, status) };
		}
		flushAll(ctx.mem, env);
		return { kind: 'exit', code: status & 0xff };
	};

	return {
		__errno_location: () => env.errnoAddress,

		malloc: (ctx, args) => allocated(ctx, heap.malloc(ctx.mem, toSize(args[0]))),
		calloc: (ctx, args) => {
			const total = BigInt(toSize(args[0])) * BigInt(toSize(args[1]));
			if (total > BigInt(Number.MAX_SAFE_INTEGER)) return allocated(ctx, 0);
			const p = heap.malloc(ctx.mem, Number(total));
			if (p !== 0) ctx.mem.fill(p, 0, Number(total));
			return allocated(ctx, p);
		},
		realloc: (ctx, args) => {
			const n = toSize(args[1]);
			const r = heap.realloc(ctx.mem, toAddress(args[0]), n);
			if (typeof r !== 'number') return heapTrap(ctx, env, r);
			return r === 0 && n !== 0 ? allocated(ctx, 0) : r;
		},
		reallocarray: (ctx, args) => {
			const total = BigInt(toSize(args[1])) * BigInt(toSize(args[2]));
			if (total >= 1n << 64n) return allocated(ctx, 0);
			const r = heap.realloc(ctx.mem, toAddress(args[0]), Number(total));
			if (typeof r !== 'number') return heapTrap(ctx, env, r);
			return r === 0 && total !== 0n ? allocated(ctx, 0) : r;
		},
		free: (ctx, args) => {
			const e = heap.free(ctx.mem, toAddress(args[0]));
			return e === undefined ? undefined : heapTrap(ctx, env, e);
		},
		aligned_alloc: (ctx, args) => {
			let alignment = toSize(args[0]);
			// glibc 2.36 rounds an alignment that is not a power of two up to the next one.
			if (alignment & (alignment - 1)) alignment = 2 ** Math.ceil(Math.log2(alignment));
			return allocated(ctx, heap.memalign(ctx.mem, Math.max(alignment, 1), toSize(args[1])));
		},
		posix_memalign: (ctx, args) => {
			const alignment = toSize(args[1]);
			if (alignment % 8 !== 0 || (alignment & (alignment - 1)) !== 0 || alignment === 0) return Errno.EINVAL;
			const p = heap.memalign(ctx.mem, alignment, toSize(args[2]));
			if (p === 0) return Errno.ENOMEM;
			ctx.mem.st64(toAddress(args[0]), p);
			if (ctx.mem.fault) {
				heap.free(ctx.mem, p);
				return FAULT;
			}
			return 0;
		},

		atoi: (ctx, args) => {
			// glibc: (int) strtol(nptr, NULL, 10).
			const r = strtoInteger(true, 64, true)(ctx, args);
			return typeof r === 'number' || typeof r === 'bigint' ? toInt(r) : r;
		},
		atol: strtoInteger(true, 64, true),
		atoll: strtoInteger(true, 64, true),
		strtol: strtoInteger(true, 64),
		strtoll: strtoInteger(true, 64),
		strtoimax: strtoInteger(true, 64),
		strtoul: strtoInteger(false, 64),
		strtoull: strtoInteger(false, 64),
		strtoumax: strtoInteger(false, 64),
		atof: strtod(false),
		strtod: strtod(false),
		strtof: strtod(true),

		abs: (ctx, args) => {
			const v = toInt(args[0]);
			return v < 0 ? -v | 0 : v;
		},
		labs: (ctx, args) => abs64(args[0]),
		llabs: (ctx, args) => abs64(args[0]),
		imaxabs: (ctx, args) => abs64(args[0]),

		rand: (ctx) => nextRandom(ctx.mem, env.random),
		random: (ctx) => nextRandom(ctx.mem, env.random),
		srand: (ctx, args) => {
			seedRandom(ctx.mem, env.random, toInt(args[0]) >>> 0);
			return undefined;
		},
		srandom: (ctx, args) => {
			seedRandom(ctx.mem, env.random, toInt(args[0]) >>> 0);
			return undefined;
		},

		qsort: (ctx, args) => {
			const base = toAddress(args[0]);
			const count = toSize(args[1]);
			const size = toSize(args[2]);
			const compare = toAddress(args[3]);
			if (count <= 1 || size === 0) return undefined;
			// The array must exist before the sort allocates anything for it: touch its first and last byte.
			ctx.mem.ld8u(base);
			if (!ctx.mem.fault) ctx.mem.ld8u(base + count * size - 1);
			if (ctx.mem.fault) return FAULT;
			if (count > QSORT_MAX_ELEMENTS) {
				return { kind: 'trap', message: `qsort: ${count} elements is more than the simulator sorts (${QSORT_MAX_ELEMENTS})`, signal: SIGABRT };
			}
			const steps = mergeSortOrder(count);
			const advance = (step: IteratorResult<readonly [number, number], number[]>): BuiltinAction | undefined => {
				if (step.done) {
					// Apply the permutation in one read and one write.
					const bytes = ctx.mem.read(base, count * size);
					if (bytes === null) return FAULT;
					const sorted = new Uint8Array(bytes.length);
					step.value.forEach((from, to) => sorted.set(bytes.subarray(from * size, (from + 1) * size), to * size));
					ctx.mem.write(base, sorted);
					return ctx.mem.fault ? FAULT : undefined;
				}
				const [a, b] = step.value;
				return { kind: 'call', target: compare, args: [base + a * size, base + b * size], then: r => advance(steps.next(toInt(r ?? 0))) };
			};
			return advance(steps.next());
		},
		bsearch: (ctx, args) => {
			const key = args[0];
			const base = toAddress(args[1]);
			const size = toSize(args[3]);
			const compare = toAddress(args[4]);
			const probe = (low: number, high: number): Value | BuiltinAction => {
				if (low >= high) return 0;
				const middle = Math.floor((low + high) / 2);
				const p = base + middle * size;
				return {
					kind: 'call',
					target: compare,
					args: [key, p],
					then: r => {
						const c = toInt(r ?? 0);
						return c < 0 ? probe(low, middle) : c > 0 ? probe(middle + 1, high) : p;
					},
				};
			};
			return probe(0, toSize(args[2]));
		},

		atexit: (ctx, args) => {
			const countAddress = env.data + LibcData.atexitCount;
			const count = ctx.mem.ld32u(countAddress);
			if (count >= ATEXIT_MAX) return -1;
			ctx.mem.st64(env.data + LibcData.atexitTable + 8 * count, toAddress(args[0]));
			ctx.mem.st32(countAddress, count + 1);
			return 0;
		},
		exit: (ctx, args) => exitSequence(ctx, toInt(args[0])),
		_exit: (ctx, args) => ({ kind: 'exit', code: toInt(args[0]) & 0xff }),
		_Exit: (ctx, args) => ({ kind: 'exit', code: toInt(args[0]) & 0xff }),
		abort: () => ({ kind: 'trap', message: 'Aborted', signal: SIGABRT }),
		__assert_fail: (ctx, args) => {
			const assertion = readCString(ctx.mem, toAddress(args[0]));
			const file = readCString(ctx.mem, toAddress(args[1]));
			const functionAddress = toAddress(args[3]);
			const func = functionAddress === 0 ? undefined : readCString(ctx.mem, functionAddress);
			if (assertion === undefined || file === undefined || (functionAddress !== 0 && func === undefined)) return FAULT;
			const line = toInt(args[2]) >>> 0;
			const program = env.programName;
			const text =
				`${program}${program !== '' ? ': ' : ''}${latin1Text(file)}:${line}: ` +
				`${func !== undefined ? latin1Text(func) + ': ' : ''}Assertion \`${latin1Text(assertion)}' failed.\n`;
			env.emit(2, Uint8Array.from(text, ch => ch.charCodeAt(0) & 0xff));
			return { kind: 'trap', message: text.trimEnd(), signal: SIGABRT };
		},
		getenv: () => 0,
	};
}

/** For tests: the sorted order of values under a comparison, as glibc's qsort produces it. */
export function sortOrder(n: number, compare: (a: number, b: number) => number): number[] {
	const steps = mergeSortOrder(n);
	let step = steps.next();
	while (!step.done) {
		step = steps.next(compare(step.value[0], step.value[1]));
	}
	return step.value;
}
