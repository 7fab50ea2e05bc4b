// Integer constant folding for the KC checker (layer: lang).
//
// Values are mathematical integers (bigint) that the caller has already converted to the operands'
// types; results wrap to the operation's type as the C abstract machine (on x86-64) would compute
// them. Signed overflow is reported so the checker can warn as gcc does, but the wrapped value is
// still the result (gcc folds it the same way).

import { type IntType, intType, wrapInt } from './types';

/** The outcome of folding one operation. `value` is absent when the operation has no defined result. */
export interface FoldResult {
	readonly value?: bigint;
	/** Signed arithmetic overflowed; `value` is the wrapped result. */
	readonly overflow?: boolean;
	/** A problem that leaves the result undefined (division by zero, bad shift count). */
	readonly problem?: 'division by zero' | 'left shift count is negative' | 'right shift count is negative' | 'left shift count >= width of type' | 'right shift count >= width of type';
}

function wrapped(t: IntType, exact: bigint): FoldResult {
	const value = wrapInt(t, exact);
	return { value, overflow: t.signed && value !== exact };
}

/**
 * Folds an arithmetic, bitwise or shift operator on two constants. `t` is the operation's type:
 * the common type for arithmetic and bitwise operators, the promoted left type for shifts.
 */
export function foldArithmetic(op: string, a: bigint, b: bigint, t: IntType): FoldResult {
	switch (op) {
		case '*':
			return wrapped(t, a * b);
		case '/':
			if (b === 0n) {
				return { problem: 'division by zero' };
			}
			return wrapped(t, a / b);
		case '%':
			if (b === 0n) {
				return { problem: 'division by zero' };
			}
			// INT_MIN % -1 is 0 mathematically; gcc folds it to 0.
			return { value: wrapInt(t, a % b) };
		case '+':
			return wrapped(t, a + b);
		case '-':
			return wrapped(t, a - b);
		case '&':
			return { value: wrapInt(t, a & b) };
		case '|':
			return { value: wrapInt(t, a | b) };
		case '^':
			return { value: wrapInt(t, a ^ b) };
		case '<<':
		case '>>': {
			const side = op === '<<' ? 'left' : 'right';
			if (b < 0n) {
				return { problem: `${side} shift count is negative` };
			}
			if (b >= BigInt(t.size * 8)) {
				return { problem: `${side} shift count >= width of type` };
			}
			// Shifting a negative value left is undefined in C; gcc folds it as two's complement.
			return { value: wrapInt(t, op === '<<' ? a << b : a >> b) };
		}
		default:
			return {};
	}
}

/** Folds a comparison of two constants already converted to their common type; the result is an int 0 or 1. */
export function foldComparison(op: string, a: bigint, b: bigint): bigint | undefined {
	switch (op) {
		case '<':
			return a < b ? 1n : 0n;
		case '>':
			return a > b ? 1n : 0n;
		case '<=':
			return a <= b ? 1n : 0n;
		case '>=':
			return a >= b ? 1n : 0n;
		case '==':
			return a === b ? 1n : 0n;
		case '!=':
			return a !== b ? 1n : 0n;
		default:
			return undefined;
	}
}

/** Folds a unary operator on a promoted constant of type `t` (`!` gives an int). */
export function foldUnary(op: string, a: bigint, t: IntType): FoldResult {
	switch (op) {
		case '+':
			return { value: a };
		case '-':
			return wrapped(t, -a);
		case '~':
			return { value: wrapInt(t, ~a) };
		case '!':
			return { value: wrapInt(intType, a === 0n ? 1n : 0n) };
		default:
			return {};
	}
}

/** Counts leading zeros of `v` in a `bits`-wide unsigned word (undefined for 0, as `__builtin_clz`). */
export function countLeadingZeros(v: bigint, bits: number): bigint | undefined {
	if (v === 0n) {
		return undefined;
	}
	let n = 0;
	for (let bit = bits - 1; bit >= 0 && ((v >> BigInt(bit)) & 1n) === 0n; bit--) {
		n++;
	}
	return BigInt(n);
}

/** Counts trailing zeros of `v` (undefined for 0, as `__builtin_ctz`). */
export function countTrailingZeros(v: bigint, bits: number): bigint | undefined {
	if (v === 0n) {
		return undefined;
	}
	let n = 0;
	while (n < bits && ((v >> BigInt(n)) & 1n) === 0n) {
		n++;
	}
	return BigInt(n);
}

/** Counts the one bits of a non-negative value (`__builtin_popcount`). */
export function populationCount(v: bigint): bigint {
	let n = 0n;
	for (let x = v; x > 0n; x >>= 1n) {
		n += x & 1n;
	}
	return n;
}

/** Reverses the byte order of a `bytes`-wide unsigned value. */
export function byteSwap(v: bigint, bytes: number): bigint {
	let result = 0n;
	for (let i = 0; i < bytes; i++) {
		result = (result << 8n) | ((v >> BigInt(8 * i)) & 0xffn);
	}
	return result;
}
