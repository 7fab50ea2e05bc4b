// C integer and floating arithmetic on the KC value representation (layer: interp).
//
// The interpreter's generated JavaScript calls these helpers for everything that is not plain
// 32-bit arithmetic (which it emits inline: `(a + b) | 0`, `Math.imul(a, b)`, `x >>> 0`).
// See the top of contracts.ts for the representation:
// - 8-byte integers are *canonical*: a JS number when |v| < 2^53 (a safe integer), else a bigint.
//   Every function here that returns a 64-bit value returns it canonical, and never returns -0.
// - Signed 64-bit values are in -2^63..2^63-1, unsigned ones in 0..2^64-1 (so an unsigned value is
//   never negative, and JS's `<` compares number/bigint mixes exactly: one comparison serves both).
// - Pointers are numbers 0..2^48-1.
//
// Every function takes the number fast path first and falls back to bigint arithmetic only when an
// operand is a bigint or the exact result leaves the safe range. The fast paths rely on one fact:
// for integer operands, a rounded double result that lands inside the safe range is exact (rounding
// is monotonic and 2^53 is representable, so an exact result outside the range cannot round into it).
//
// Undefined behaviour (signed overflow, INT_MIN / -1, shift counts >= width, out-of-range float to
// int conversion) is detected by the caller, using the `...Overflows...` and `floatFitsInt` helpers;
// the arithmetic helpers themselves return the wrapped two's-complement result, as x86-64 would.
// Division by zero is also the caller's to detect; here it returns 0 rather than throwing.

import type { Value } from './contracts';

/** 2^53 - 1, the largest safe integer. */
const MAX_SAFE = 9007199254740991;
const TWO32 = 4294967296;
const TWO47 = 140737488355328;
const TWO48 = 281474976710656;
const TWO63 = 9223372036854775808;
const TWO64 = 18446744073709551616;

const MAX_SAFE_BIG = 9007199254740991n;
const MIN_I64_BIG = -9223372036854775808n;
const MAX_I64_BIG = 9223372036854775807n;
const TWO64_BIG = 18446744073709551616n;
const MAX_U64_BIG = 18446744073709551615n;
/** What a pointer in the upper half (bit 47 set) gains when sign-extended to 64 bits. */
const PTR_SIGN_EXTENSION_BIG = 0xffff000000000000n;

/** POW2[n] = 2^n for n in 0..64 (exact doubles), so shifts on numbers are a multiply or divide. */
const POW2 = new Float64Array(65);
for (let n = 0; n <= 64; n++) POW2[n] = 2 ** n;

/** Exclusive upper limits of the signed (index = size in bytes) and unsigned integer types; powers of two, so exact. */
const INT_LIMIT_SIGNED: readonly number[] = [0, 128, 32768, 0, 2147483648, 0, 0, 0, TWO63];
const INT_LIMIT_UNSIGNED: readonly number[] = [0, 256, 65536, 0, 4294967296, 0, 0, 0, TWO64];

// ---- Canonical forms ----------------------------------------------------------------------------

/** Canonical form of a bigint already known to lie in the 64-bit range of its type (no wrapping). */
function fromBigExact(b: bigint): Value {
	return b >= -MAX_SAFE_BIG && b <= MAX_SAFE_BIG ? Number(b) : b;
}

/** Wraps `b` modulo 2^64 into -2^63..2^63-1 and returns the canonical signed 64-bit value. */
export function fromBigI64(b: bigint): Value {
	const w = BigInt.asIntN(64, b);
	return w >= -MAX_SAFE_BIG && w <= MAX_SAFE_BIG ? Number(w) : w;
}

/** Wraps `b` modulo 2^64 into 0..2^64-1 and returns the canonical unsigned 64-bit value. */
export function fromBigU64(b: bigint): Value {
	const w = BigInt.asUintN(64, b);
	return w <= MAX_SAFE_BIG ? Number(w) : w;
}

/** The exact value as a bigint. `v` must be an integer (any canonical or non-canonical form). */
export function toBig(v: Value): bigint {
	return typeof v === 'bigint' ? v : BigInt(v);
}

/**
 * Converts any integer value (of any type, canonical or not) to the canonical signed 64-bit value
 * with the same low 64 bits. `v` must be integral; a non-finite number (a host bug) gives 0 rather
 * than a thrown exception.
 */
export function canonI64(v: Value): Value {
	if (typeof v === 'number') {
		if (v >= -MAX_SAFE && v <= MAX_SAFE) return v + 0;
		return Number.isFinite(v) ? fromBigI64(BigInt(Math.trunc(v))) : 0;
	}
	return fromBigI64(v);
}

/** Converts any integer value to the canonical unsigned 64-bit value with the same low 64 bits. */
export function canonU64(v: Value): Value {
	if (typeof v === 'number') {
		if (v >= 0 && v <= MAX_SAFE) return v + 0;
		return Number.isFinite(v) ? fromBigU64(BigInt(Math.trunc(v))) : 0;
	}
	return fromBigU64(v);
}

/** True when `v` is in canonical 64-bit form: a safe integer number (not -0), or a bigint outside the safe range. */
export function isCanonical64(v: Value): boolean {
	if (typeof v === 'number') return Number.isSafeInteger(v) && !Object.is(v, -0);
	return v < -MAX_SAFE_BIG || v > MAX_SAFE_BIG;
}

// ---- 64-bit arithmetic ---------------------------------------------------------------------------

/** `a + b` for signed 64-bit operands, wrapped (signed overflow is UB: see addOverflowsI64). */
export function addI64(a: Value, b: Value): Value {
	if (typeof a === 'number' && typeof b === 'number') {
		const s = a + b;
		if (s >= -MAX_SAFE && s <= MAX_SAFE) return s;
	}
	return fromBigI64(toBig(a) + toBig(b));
}

/** `a + b` for unsigned 64-bit operands, modulo 2^64. */
export function addU64(a: Value, b: Value): Value {
	if (typeof a === 'number' && typeof b === 'number') {
		const s = a + b;
		if (s <= MAX_SAFE) return s;
	}
	return fromBigU64(toBig(a) + toBig(b));
}

/** `a - b` for signed 64-bit operands, wrapped. */
export function subI64(a: Value, b: Value): Value {
	if (typeof a === 'number' && typeof b === 'number') {
		const s = a - b;
		if (s >= -MAX_SAFE && s <= MAX_SAFE) return s;
	}
	return fromBigI64(toBig(a) - toBig(b));
}

/** `a - b` for unsigned 64-bit operands, modulo 2^64. */
export function subU64(a: Value, b: Value): Value {
	if (typeof a === 'number' && typeof b === 'number') {
		const s = a - b;
		if (s >= 0) return s;
	}
	return fromBigU64(toBig(a) - toBig(b));
}

/** `a * b` for signed 64-bit operands, wrapped. */
export function mulI64(a: Value, b: Value): Value {
	if (typeof a === 'number' && typeof b === 'number') {
		const p = a * b;
		// `+ 0` turns the -0 of (0 * -5) into 0.
		if (p >= -MAX_SAFE && p <= MAX_SAFE) return p + 0;
	}
	return fromBigI64(toBig(a) * toBig(b));
}

/** `a * b` for unsigned 64-bit operands, modulo 2^64. */
export function mulU64(a: Value, b: Value): Value {
	if (typeof a === 'number' && typeof b === 'number') {
		const p = a * b;
		if (p <= MAX_SAFE) return p;
	}
	return fromBigU64(toBig(a) * toBig(b));
}

/**
 * `a / b` for signed 64-bit operands, truncating toward zero. INT64_MIN / -1 (UB) wraps to INT64_MIN.
 * The caller checks `b` for zero (this returns 0 then).
 */
export function divI64(a: Value, b: Value): Value {
	if (typeof a === 'number' && typeof b === 'number') {
		if (b === 0) return 0;
		// `%` is exact on doubles, and a - a % b is an exact multiple of b, so the quotient is exact.
		return (a - (a % b)) / b + 0;
	}
	const bb = toBig(b);
	if (bb === 0n) return 0;
	return fromBigI64(toBig(a) / bb);
}

/** `a / b` for unsigned 64-bit operands. The caller checks `b` for zero (this returns 0 then). */
export function divU64(a: Value, b: Value): Value {
	if (typeof a === 'number' && typeof b === 'number') {
		if (b === 0) return 0;
		return (a - (a % b)) / b;
	}
	const bb = toBig(b);
	if (bb === 0n) return 0;
	return fromBigExact(toBig(a) / bb);
}

/** `a % b` for signed 64-bit operands (sign of the dividend, as C99). INT64_MIN % -1 gives 0. */
export function remI64(a: Value, b: Value): Value {
	if (typeof a === 'number' && typeof b === 'number') {
		if (b === 0) return 0;
		return (a % b) + 0;
	}
	const bb = toBig(b);
	if (bb === 0n) return 0;
	return fromBigExact(toBig(a) % bb);
}

/** `a % b` for unsigned 64-bit operands. */
export function remU64(a: Value, b: Value): Value {
	if (typeof a === 'number' && typeof b === 'number') {
		if (b === 0) return 0;
		return a % b;
	}
	const bb = toBig(b);
	if (bb === 0n) return 0;
	return fromBigExact(toBig(a) % bb);
}

/**
 * Splits a safe integer into hi * 2^32 + lo with lo = the low 32 bits (as `x >>> 0` or `x & y`
 * compute them: ToInt32 is exact modulo 2^32) and hi = floor(x / 2^32) in -2^21..2^21-1, whose
 * int32 bit pattern is bits 32..63 of the two's-complement value. Bitwise operations on the halves
 * therefore give the 64-bit result, which is in -2^53..2^53-1: only -2^53 needs a bigint.
 */
function joinHalves(hi: number, lo: number): Value {
	const r = hi * TWO32 + lo;
	return r >= -MAX_SAFE ? r : BigInt(r);
}

/** `a & b` on 64-bit operands of the same type (signed or unsigned: the bits are the same). */
export function and64(a: Value, b: Value): Value {
	if (typeof a === 'number' && typeof b === 'number') {
		if ((a | 0) === a && (b | 0) === b) return a & b;
		return joinHalves(Math.floor(a / TWO32) & Math.floor(b / TWO32), (a & b) >>> 0);
	}
	return fromBigExact(toBig(a) & toBig(b));
}

/** `a | b` on 64-bit operands of the same type. */
export function or64(a: Value, b: Value): Value {
	if (typeof a === 'number' && typeof b === 'number') {
		if ((a | 0) === a && (b | 0) === b) return a | b;
		return joinHalves(Math.floor(a / TWO32) | Math.floor(b / TWO32), (a | b) >>> 0);
	}
	return fromBigExact(toBig(a) | toBig(b));
}

/** `a ^ b` on 64-bit operands of the same type. */
export function xor64(a: Value, b: Value): Value {
	if (typeof a === 'number' && typeof b === 'number') {
		if ((a | 0) === a && (b | 0) === b) return a ^ b;
		return joinHalves(Math.floor(a / TWO32) ^ Math.floor(b / TWO32), (a ^ b) >>> 0);
	}
	return fromBigExact(toBig(a) ^ toBig(b));
}

/** `~a` for a signed 64-bit operand (= -a - 1). */
export function notI64(a: Value): Value {
	if (typeof a === 'number') {
		const r = -a - 1;
		if (r >= -MAX_SAFE) return r;
	}
	return fromBigExact(-toBig(a) - 1n);
}

/** `~a` for an unsigned 64-bit operand (= 2^64 - 1 - a). */
export function notU64(a: Value): Value {
	return fromBigExact(MAX_U64_BIG - toBig(a));
}

/** `-a` for a signed 64-bit operand; -INT64_MIN (UB) wraps to INT64_MIN. */
export function negI64(a: Value): Value {
	if (typeof a === 'number') return 0 - a;
	return fromBigI64(-a);
}

/** `-a` for an unsigned 64-bit operand (= 2^64 - a, or 0). */
export function negU64(a: Value): Value {
	if (a === 0) return 0;
	return fromBigExact(TWO64_BIG - toBig(a));
}

/**
 * `a << n` for a signed 64-bit operand, `n` in 0..63, wrapped (shifting a negative value or shifting
 * a bit out or into the sign bit is UB in C99: see shlOverflowsI64).
 */
export function shlI64(a: Value, n: number): Value {
	if (typeof a === 'number') {
		const r = a * POW2[n];
		if (r >= -MAX_SAFE && r <= MAX_SAFE) return r;
	}
	return fromBigI64(toBig(a) << BigInt(n));
}

/** `a << n` for an unsigned 64-bit operand, `n` in 0..63, modulo 2^64. */
export function shlU64(a: Value, n: number): Value {
	if (typeof a === 'number') {
		const r = a * POW2[n];
		if (r <= MAX_SAFE) return r;
	}
	return fromBigU64(toBig(a) << BigInt(n));
}

/**
 * `a >> n`, `n` in 0..63: arithmetic for signed operands, logical for unsigned ones. Both are
 * floor(a / 2^n) of the mathematical value, since canonical unsigned values are never negative.
 */
export function shr64(a: Value, n: number): Value {
	if (typeof a === 'number') return Math.floor(a / POW2[n]);
	return fromBigExact(a >> BigInt(n));
}

/** `a < b` for two 64-bit values of the same type (signed or unsigned; number/bigint mixes compare exactly). */
export function lt64(a: Value, b: Value): boolean {
	return a < b;
}

/** `a <= b` for two 64-bit values of the same type. */
export function le64(a: Value, b: Value): boolean {
	return a <= b;
}

/** `a > b` for two 64-bit values of the same type. */
export function gt64(a: Value, b: Value): boolean {
	return a > b;
}

/** `a >= b` for two 64-bit values of the same type. */
export function ge64(a: Value, b: Value): boolean {
	return a >= b;
}

/** `a == b` for two canonical 64-bit values of the same type (canonical forms make `===` exact). */
export function eq64(a: Value, b: Value): boolean {
	return a === b;
}

/** `a != b` for two canonical 64-bit values of the same type. */
export function ne64(a: Value, b: Value): boolean {
	return a !== b;
}

export { shr64 as shrI64, shr64 as shrU64 };

// ---- Signed-overflow detection (the caller reports UB) ------------------------------------------

/** True when the signed 64-bit sum a + b does not fit in -2^63..2^63-1. */
export function addOverflowsI64(a: Value, b: Value): boolean {
	if (typeof a === 'number' && typeof b === 'number') {
		const s = a + b;
		if (s >= -MAX_SAFE && s <= MAX_SAFE) return false;
	}
	const s = toBig(a) + toBig(b);
	return s < MIN_I64_BIG || s > MAX_I64_BIG;
}

/** True when the signed 64-bit difference a - b does not fit. */
export function subOverflowsI64(a: Value, b: Value): boolean {
	if (typeof a === 'number' && typeof b === 'number') {
		const s = a - b;
		if (s >= -MAX_SAFE && s <= MAX_SAFE) return false;
	}
	const s = toBig(a) - toBig(b);
	return s < MIN_I64_BIG || s > MAX_I64_BIG;
}

/** True when the signed 64-bit product a * b does not fit. */
export function mulOverflowsI64(a: Value, b: Value): boolean {
	if (typeof a === 'number' && typeof b === 'number') {
		const p = a * b;
		if (p >= -MAX_SAFE && p <= MAX_SAFE) return false;
	}
	const p = toBig(a) * toBig(b);
	return p < MIN_I64_BIG || p > MAX_I64_BIG;
}

/** True when -a overflows (a is INT64_MIN). */
export function negOverflowsI64(a: Value): boolean {
	return a === MIN_I64_BIG;
}

/** True when a / b or a % b overflows (INT64_MIN / -1). Division by zero is checked separately. */
export function divOverflowsI64(a: Value, b: Value): boolean {
	return a === MIN_I64_BIG && b === -1;
}

/**
 * True when the signed 64-bit `a << n` is undefined by C99 6.5.7 (beyond the shift count, which the
 * caller checks): `a` is negative, or a * 2^n is not representable.
 */
export function shlOverflowsI64(a: Value, n: number): boolean {
	if (typeof a === 'number') {
		if (a < 0) return true;
		const r = a * POW2[n];
		if (r <= MAX_SAFE) return false;
	}
	const big = toBig(a);
	return big < 0n || big << BigInt(n) > MAX_I64_BIG;
}

/** True when the int32 sum a + b overflows. */
export function addOverflowsI32(a: number, b: number): boolean {
	const s = a + b;
	return s > 2147483647 || s < -2147483648;
}

/** True when the int32 difference a - b overflows. */
export function subOverflowsI32(a: number, b: number): boolean {
	const s = a - b;
	return s > 2147483647 || s < -2147483648;
}

/** True when the int32 product a * b overflows (the double product is exact whenever it is in range). */
export function mulOverflowsI32(a: number, b: number): boolean {
	const p = a * b;
	return p > 2147483647 || p < -2147483648;
}

/** True when -a overflows (a is INT_MIN). */
export function negOverflowsI32(a: number): boolean {
	return a === -2147483648;
}

/** True when a / b or a % b overflows (INT_MIN / -1). */
export function divOverflowsI32(a: number, b: number): boolean {
	return a === -2147483648 && b === -1;
}

/** True when the int32 `a << n` (n in 0..31) is undefined by C99: `a` negative or a * 2^n > INT_MAX. */
export function shlOverflowsI32(a: number, n: number): boolean {
	return a < 0 || a * POW2[n] > 2147483647;
}

// ---- 32-bit helpers ------------------------------------------------------------------------------

/** Exact `unsigned int` product modulo 2^32. */
export function mulU32(a: number, b: number): number {
	return Math.imul(a, b) >>> 0;
}

/**
 * `int` division truncating toward zero. INT_MIN / -1 is UB (divOverflowsI32); it wraps to INT_MIN.
 * The caller checks `b` for zero (this returns 0 then, via `NaN | 0`).
 */
export function divI32(a: number, b: number): number {
	// |a| < 2^53, so the rounded quotient never crosses an integer: truncating it is exact.
	return (a / b) | 0;
}

/** `int` remainder with the sign of the dividend. INT_MIN % -1 gives 0. Zero divisor gives 0. */
export function remI32(a: number, b: number): number {
	return (a % b) | 0;
}

/** `unsigned int` division. The caller checks `b` for zero (this returns 0 then). */
export function divU32(a: number, b: number): number {
	return (a / b) >>> 0;
}

/** `unsigned int` remainder. Zero divisor gives 0. */
export function remU32(a: number, b: number): number {
	return (a % b) >>> 0;
}

// ---- Integer conversions -------------------------------------------------------------------------

/** Converts an integer value of any type to `signed char` (low 8 bits, sign-extended). */
export function toI8(v: Value): number {
	return typeof v === 'number' ? (v << 24) >> 24 : Number(BigInt.asIntN(8, v));
}

/** Converts an integer value of any type to `unsigned char`. */
export function toU8(v: Value): number {
	return typeof v === 'number' ? v & 0xff : Number(BigInt.asUintN(8, v));
}

/** Converts an integer value of any type to `short`. */
export function toI16(v: Value): number {
	return typeof v === 'number' ? (v << 16) >> 16 : Number(BigInt.asIntN(16, v));
}

/** Converts an integer value of any type to `unsigned short`. */
export function toU16(v: Value): number {
	return typeof v === 'number' ? v & 0xffff : Number(BigInt.asUintN(16, v));
}

/** Converts an integer value of any type to `int`. */
export function toI32(v: Value): number {
	return typeof v === 'number' ? v | 0 : Number(BigInt.asIntN(32, v));
}

/** Converts an integer value of any type to `unsigned int`. */
export function toU32(v: Value): number {
	return typeof v === 'number' ? v >>> 0 : Number(BigInt.asUintN(32, v));
}

export { canonI64 as toI64, canonU64 as toU64 };

/** Converts a scalar (integer, pointer or floating) to `_Bool`: 0 or 1. */
export function toBool(v: Value): number {
	return truthy(v) ? 1 : 0;
}

/** C truth value of a scalar: nonzero (NaN included) is true, 0 and -0.0 are false. */
export function truthy(v: Value): boolean {
	return typeof v === 'number' ? v !== 0 : v !== 0n;
}

/**
 * Converts an integer value of any type to the integer type of `size` bytes (1, 2, 4 or 8) and
 * signedness `signed`: truncation to the low bits, then sign extension for signed types.
 */
export function convInt(v: Value, size: number, signed: boolean): Value {
	switch (size) {
		case 1:
			return signed ? toI8(v) : toU8(v);
		case 2:
			return signed ? toI16(v) : toU16(v);
		case 4:
			return signed ? toI32(v) : toU32(v);
		default:
			return signed ? canonI64(v) : canonU64(v);
	}
}

// ---- Integer <-> floating conversions ------------------------------------------------------------

/** Converts an integer value to `double` (round to nearest even, as x86-64 cvtsi2sd). */
export function intToF64(v: Value): number {
	return typeof v === 'number' ? v : Number(v);
}

/**
 * Converts an integer value to `float` with a single rounding. Numbers are exact doubles, so
 * Math.fround rounds once. Bigints (>= 2^53 in magnitude) are first rounded to 53 bits *to odd*
 * (sticky bit), which makes the second rounding to 24 bits give the correctly rounded result.
 */
export function intToF32(v: Value): number {
	if (typeof v === 'number') return Math.fround(v);
	if (v >= -MAX_SAFE_BIG && v <= MAX_SAFE_BIG) return Math.fround(Number(v));
	const negative = v < 0n;
	const magnitude = negative ? -v : v;
	const excess = BigInt(magnitude.toString(2).length - 53);
	let top = magnitude >> excess;
	if ((magnitude & ((1n << excess) - 1n)) !== 0n) top |= 1n;
	const rounded = Math.fround(Number(top) * 2 ** Number(excess));
	return negative ? -rounded : rounded;
}

/** Converts a double to `float` (round to nearest even). */
export function toF32(x: number): number {
	return Math.fround(x);
}

/**
 * True when converting the floating value `x` to the integer type of `size` bytes and signedness
 * `signed` is defined by C (its truncation toward zero is representable). False for NaN and infinities.
 */
export function floatFitsInt(x: number, size: number, signed: boolean): boolean {
	// The truncation is exact, and the limits are powers of two, so exact as doubles.
	const t = Math.trunc(x);
	if (signed) {
		const limit = INT_LIMIT_SIGNED[size];
		return t >= -limit && t < limit;
	}
	return t >= 0 && t < INT_LIMIT_UNSIGNED[size];
}

/** `(int)x`, truncating toward zero. Out of range (UB) wraps modulo 2^32; NaN and infinities give 0. */
export function f64ToI32(x: number): number {
	return x | 0;
}

/** `(unsigned int)x`, truncating toward zero. Out of range (UB) wraps modulo 2^32; NaN and infinities give 0. */
export function f64ToU32(x: number): number {
	return x >>> 0;
}

/** `(long)x`, truncating toward zero. Out of range (UB) wraps modulo 2^64; NaN and infinities give 0. */
export function f64ToI64(x: number): Value {
	const t = Math.trunc(x);
	if (t >= -MAX_SAFE && t <= MAX_SAFE) return t + 0;
	return Number.isFinite(t) ? fromBigI64(BigInt(t)) : 0;
}

/** `(unsigned long)x`, truncating toward zero. Out of range (UB) wraps modulo 2^64; NaN and infinities give 0. */
export function f64ToU64(x: number): Value {
	const t = Math.trunc(x);
	if (t >= 0 && t <= MAX_SAFE) return t + 0;
	return Number.isFinite(t) ? fromBigU64(BigInt(t)) : 0;
}

/**
 * Converts a floating value to the integer type of `size` bytes and signedness `signed`, truncating
 * toward zero. Out-of-range values (UB: check floatFitsInt) wrap; NaN and infinities give 0.
 */
export function floatToInt(x: number, size: number, signed: boolean): Value {
	if (size === 8) return signed ? f64ToI64(x) : f64ToU64(x);
	// For sizes below 8, the int32 wrap then the narrower wrap equal the wrap of the truncation.
	return convInt(f64ToI64(x), size, signed);
}

// ---- Pointers ------------------------------------------------------------------------------------

/** Converts a pointer to a signed 64-bit integer: bit 47 is sign-extended (kernel addresses are negative). */
export function ptrToI64(p: number): number {
	return p < TWO47 ? p : p - TWO48;
}

/** Converts a pointer to an unsigned 64-bit integer: bit 47 is sign-extended (0xffff8... for kernel addresses). */
export function ptrToU64(p: number): Value {
	return p < TWO47 ? p : BigInt(p) + PTR_SIGN_EXTENSION_BIG;
}

/**
 * Converts a pointer to the integer type of `size` bytes and signedness `signed`, as x86-64 does:
 * the 64-bit sign-extended address, truncated.
 */
export function ptrToInt(p: number, size: number, signed: boolean): Value {
	if (size === 8) return signed ? ptrToI64(p) : ptrToU64(p);
	return convInt(p, size, signed);
}

/** Converts an integer value of any type to a pointer: the low 48 bits. */
export function intToPtr(v: Value): number {
	if (typeof v === 'number') {
		if (v >= 0 && v < TWO48) return v;
		const r = v % TWO48;
		return r < 0 ? r + TWO48 : r + 0;
	}
	return Number(BigInt.asUintN(48, v));
}

export { intToPtr as u64ToPtr };

// ---- Halves, for 64-bit loads and stores -------------------------------------------------------

/** The canonical signed 64-bit value whose bits 63..32 are the int32 `hi` and bits 31..0 the uint32 `lo`. */
export function fromHalvesI64(hi: number, lo: number): Value {
	const v = hi * TWO32 + lo;
	if (v >= -MAX_SAFE && v <= MAX_SAFE) return v;
	return (BigInt(hi) << 32n) + BigInt(lo);
}

/** The canonical unsigned 64-bit value whose bits 63..32 are the uint32 `hi` and bits 31..0 the uint32 `lo`. */
export function fromHalvesU64(hi: number, lo: number): Value {
	const v = hi * TWO32 + lo;
	if (v <= MAX_SAFE) return v;
	return (BigInt(hi) << 32n) + BigInt(lo);
}

/** Bits 31..0 of a 64-bit integer value, as a uint32. */
export function low32(v: Value): number {
	return typeof v === 'number' ? v >>> 0 : Number(BigInt.asUintN(32, v));
}

/** Bits 63..32 of a 64-bit integer value (two's complement), as an int32. */
export function high32(v: Value): number {
	return typeof v === 'number' ? Math.floor(v / TWO32) | 0 : Number(BigInt.asIntN(32, v >> 32n));
}
