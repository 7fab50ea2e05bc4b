// <math.h> of the user C library, on the host's IEEE-754 doubles (layer: interp).
//
// sqrt, fabs, floor, ceil, trunc, round, fmod, fmin, fmax, ldexp, frexp, modf and the
// classification helpers are exact, as in glibc. The transcendental functions use the host's
// Math.*, which may differ from glibc's libm in the last bit. An invalid operation returns x86's
// default NaN, whose sign bit is set (glibc prints it as `-nan`); errno follows glibc's
// math_errhandling (EDOM for domain errors, ERANGE for poles and overflow).

import type { Builtin, BuiltinContext, Value } from '../contracts';
import { type LibcEnv, setErrno } from './env';
import { Errno } from './errors';
import { FAULT, toAddress, toInt } from './memoryAccess';

/** The NaN an invalid SSE operation produces: sign set, quiet, zero payload. */
const DEFAULT_NAN = new Float64Array(new BigUint64Array([0xfff8000000000000n]).buffer)[0];

const bits = new Float64Array(1);
const words = new Uint32Array(bits.buffer);

function signBit(x: number): boolean {
	bits[0] = x;
	return words[1] >>> 31 === 1;
}

/** frexp: x = m * 2^e with 0.5 <= |m| < 1 (m = x, e = 0 for zero, inf and NaN). */
export function frexp(x: number): { mantissa: number; exponent: number } {
	if (x === 0 || !Number.isFinite(x)) {
		return { mantissa: x, exponent: 0 };
	}
	bits[0] = x;
	let biased = (words[1] >>> 20) & 0x7ff;
	let extra = 0;
	if (biased === 0) {
		// Subnormal: scale into the normal range first (exact).
		bits[0] = x * 2 ** 64;
		biased = (words[1] >>> 20) & 0x7ff;
		extra = -64;
	}
	const exponent = biased - 1022 + extra;
	words[1] = (words[1] & 0x800fffff) | (1022 << 20);
	return { mantissa: bits[0], exponent };
}

/** ldexp: x * 2^n with a single rounding, also into the subnormal range. */
export function ldexp(x: number, n: number): number {
	if (x === 0 || !Number.isFinite(x)) {
		return x;
	}
	const { mantissa, exponent } = frexp(x);
	const k = exponent + Math.max(-5000, Math.min(5000, n));
	if (k > 1024) {
		return mantissa * Infinity;
	}
	if (k >= -1021) {
		// 2 * mantissa is in [1, 2): exact, and 2^(k-1) is a normal power of two.
		return 2 * mantissa * 2 ** (k - 1);
	}
	if (k >= -1074) {
		// 2^k is representable (maybe subnormal); the product rounds once.
		return mantissa * 2 ** k;
	}
	return mantissa * 0;
}

/** C round(): halfway cases away from zero (Math.round rounds them up). */
function roundHalfAway(x: number): number {
	if (!Number.isFinite(x)) return x;
	const r = Math.sign(x) * Math.round(Math.abs(x));
	return r === 0 ? (signBit(x) ? -0 : 0) : r;
}

/** fmin/fmax: a NaN argument is ignored unless both are NaN. */
function fminmax(a: number, b: number, max: boolean): number {
	if (Number.isNaN(a)) return b;
	if (Number.isNaN(b)) return a;
	if (a === b) {
		// -0 < +0 for fmin/fmax, as glibc orders them.
		return max ? (signBit(a) ? b : a) : signBit(a) ? a : b;
	}
	return max ? Math.max(a, b) : Math.min(a, b);
}

/** C pow() special cases that JS's ** gets differently. */
function pow(x: number, y: number): number {
	if (x === 1 || y === 0) return 1;
	if (x === -1 && !Number.isFinite(y) && !Number.isNaN(y)) return 1;
	return x ** y;
}

/** The <math.h> builtins. */
export function mathBuiltins(env: LibcEnv): Record<string, Builtin> {
	/**
	 * A one- or two-argument double function. `domain(args)` says whether the arguments are outside
	 * the domain (EDOM); a finite-to-infinite result is a pole or overflow (ERANGE).
	 */
	const real = (f: (...xs: number[]) => number, options: { domain?: (...xs: number[]) => boolean; positiveNaN?: boolean } = {}): Builtin =>
		(ctx: BuiltinContext, args: readonly Value[]) => {
			const xs = args.map(Number);
			let r = f(...xs);
			const inputsNaN = xs.some(Number.isNaN);
			if (options.domain !== undefined && !inputsNaN && options.domain(...xs)) {
				setErrno(ctx.mem, env, Errno.EDOM);
			} else if (!Number.isFinite(r) && !Number.isNaN(r) && xs.every(Number.isFinite)) {
				setErrno(ctx.mem, env, Errno.ERANGE);
			}
			if (Number.isNaN(r) && !inputsNaN) {
				r = options.positiveNaN ? NaN : DEFAULT_NAN;
			}
			return r;
		};
	const single = (f: (x: number) => number): Builtin => (ctx, args) => Math.fround(f(Number(args[0])));

	return {
		fabs: real(Math.abs),
		sqrt: real(Math.sqrt, { domain: x => x < 0 }),
		cbrt: real(Math.cbrt),
		floor: real(Math.floor),
		ceil: real(Math.ceil),
		trunc: real(Math.trunc),
		round: real(roundHalfAway),
		fmod: real((x, y) => x % y, { domain: (x, y) => y === 0 || !Number.isFinite(x) }),
		fmin: real((a, b) => fminmax(a, b, false)),
		fmax: real((a, b) => fminmax(a, b, true)),
		hypot: real(Math.hypot),
		pow: real(pow, { domain: (x, y) => x < 0 && Number.isFinite(x) && Number.isFinite(y) && !Number.isInteger(y) }),
		exp: real(Math.exp),
		exp2: real(x => 2 ** x),
		log: real(Math.log, { domain: x => x < 0 }),
		log2: real(Math.log2, { domain: x => x < 0 }),
		log10: real(Math.log10, { domain: x => x < 0 }),
		sin: real(Math.sin, { domain: x => !Number.isFinite(x) }),
		cos: real(Math.cos, { domain: x => !Number.isFinite(x) }),
		tan: real(Math.tan, { domain: x => !Number.isFinite(x) }),
		asin: real(Math.asin, { domain: x => Math.abs(x) > 1, positiveNaN: true }),
		acos: real(Math.acos, { domain: x => Math.abs(x) > 1, positiveNaN: true }),
		atan: real(Math.atan),
		atan2: real(Math.atan2),
		sinh: real(Math.sinh),
		cosh: real(Math.cosh),
		tanh: real(Math.tanh),
		ldexp: (ctx, args) => {
			const r = ldexp(Number(args[0]), toInt(args[1]));
			if (!Number.isFinite(r) && Number.isFinite(Number(args[0]))) setErrno(ctx.mem, env, Errno.ERANGE);
			return r;
		},
		frexp: (ctx, args) => {
			const { mantissa, exponent } = frexp(Number(args[0]));
			ctx.mem.st32(toAddress(args[1]), exponent);
			return ctx.mem.fault ? FAULT : mantissa;
		},
		modf: (ctx, args) => {
			const x = Number(args[0]);
			const integral = Number.isFinite(x) ? Math.trunc(x) : x;
			const fraction = Number.isNaN(x) ? x : !Number.isFinite(x) ? (x > 0 ? 0 : -0) : x - integral;
			ctx.mem.stf64(toAddress(args[1]), integral);
			// The fraction keeps the sign of x, also when it is zero.
			return ctx.mem.fault ? FAULT : fraction === 0 && signBit(x) ? -0 : fraction;
		},
		fabsf: single(Math.abs),
		sqrtf: single(Math.sqrt),
		floorf: single(Math.floor),
		ceilf: single(Math.ceil),
		__isnan: (ctx, args) => (Number.isNaN(Number(args[0])) ? 1 : 0),
		__isinf: (ctx, args) => {
			const x = Number(args[0]);
			return x === Infinity ? 1 : x === -Infinity ? -1 : 0;
		},
		__finite: (ctx, args) => (Number.isFinite(Number(args[0])) ? 1 : 0),
		__signbit: (ctx, args) => (signBit(Number(args[0])) ? 1 : 0),
	};
}
