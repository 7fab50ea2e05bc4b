// Helpers that generated KC code calls at run time, beyond the arithmetic of values.ts (layer: interp):
// exit codes shared by the compiler and the run loop, pointer arithmetic, bit-field access, and the
// GNU bit builtins. Everything here is monomorphic and allocation-free on its fast path.

import type { MemoryBus, Value } from './contracts';
import * as V from './values';

/**
 * Why generated code returned to the run loop (`cpu.ex`). The compiler emits these numbers; the run
 * loop in cpu.ts interprets them.
 */
export const Exit = {
	/** A statement check stopped: budget exhausted (cpu.budget < 0) or a breakpoint. pc = the check. */
	Statement: 0,
	/** Direct call of a KC function: cpu.callee, cpu.args, cpu.retSlot, cpu.retDest, cpu.argTypes. pc = after the call. */
	Call: 1,
	/** Call through a pointer: cpu.callAddr instead of cpu.callee. pc = after the call. */
	CallPointer: 2,
	/** The function returned: cpu.retVal (undefined when it fell off its end). */
	Return: 3,
	/** A memory access faulted: cpu.mem.fault is set; pc re-executes it. */
	Fault: 4,
	/** Undefined behaviour: cpu.ubMessage; pc locates the statement. */
	Ub: 5,
	/** A builtin returned an action (cpu.action); pc = after the call, and pc - 1 calls it again. */
	Action: 6,
} as const;

const TWO48 = 281474976710656;

/** `p + i * scale` for a pointer and an integer of any type, wrapped to 48 bits. */
export function ptrAdd(p: number, i: Value, scale: number): number {
	if (typeof i === 'number') {
		const r = p + i * scale;
		if (r >= 0 && r < TWO48) return r;
		return V.intToPtr(V.canonI64(r));
	}
	return Number(BigInt.asUintN(48, BigInt(p) + i * BigInt(scale)));
}

/** `p - i * scale`. */
export function ptrSub(p: number, i: Value, scale: number): number {
	if (typeof i === 'number') {
		const r = p - i * scale;
		if (r >= 0 && r < TWO48) return r;
		return V.intToPtr(V.canonI64(r));
	}
	return Number(BigInt.asUintN(48, BigInt(p) - i * BigInt(scale)));
}

/** `p - q` for two pointers, in elements of `scale` bytes (a `long`). */
export function ptrDiff(p: number, q: number, scale: number): number {
	// Pointers are 48-bit: sign-extend so kernel-half differences come out right.
	const d = V.ptrToI64(p) - V.ptrToI64(q);
	return scale === 1 ? d : Math.trunc(d / scale) + 0;
}

/**
 * Loads a pointer stored in memory as a 64-bit value (its low 48 bits). The load is signed: a
 * canonical kernel address (0xffff8...) is then a small negative number rather than a bigint, and
 * the low 48 bits of the signed and unsigned readings of the same 8 bytes are the same.
 */
export function ldPtr(m: MemoryBus, a: number): number {
	const v = m.ld64s(a);
	if (typeof v === 'number') {
		if (v >= 0) return v < TWO48 ? v : V.intToPtr(v);
		if (v >= -TWO48) return v + TWO48;
	}
	return V.intToPtr(v);
}

/** Stores a pointer as its canonical sign-extended 64-bit form. */
export function stPtr(m: MemoryBus, a: number, p: number): void {
	m.st64(a, V.ptrToI64(p));
}

/**
 * Reads a bit-field of `width` bits at bit `bit` of the little-endian bytes starting at `a` (general
 * case: any width up to 64, any position, for packed structs and 64-bit units).
 */
export function bitGet(m: MemoryBus, a: number, bit: number, width: number, signed: boolean): Value {
	const nbytes = (bit + width + 7) >> 3;
	if (nbytes <= 4) {
		let u = 0;
		for (let i = nbytes - 1; i >= 0; i--) u = u * 256 + m.ld8u(a + i);
		const shifted = Math.floor(u / 2 ** bit) % 2 ** width;
		if (signed && shifted >= 2 ** (width - 1)) return shifted - 2 ** width;
		return shifted;
	}
	let u = 0n;
	for (let i = nbytes - 1; i >= 0; i--) u = (u << 8n) | BigInt(m.ld8u(a + i));
	const field = (u >> BigInt(bit)) & ((1n << BigInt(width)) - 1n);
	return signed ? V.fromBigI64(BigInt.asIntN(width, field)) : V.fromBigU64(field);
}

/** Writes `v` (any integer value) into a bit-field (general case; see bitGet). */
export function bitSet(m: MemoryBus, a: number, bit: number, width: number, v: Value): void {
	const nbytes = (bit + width + 7) >> 3;
	let u = 0n;
	for (let i = nbytes - 1; i >= 0; i--) u = (u << 8n) | BigInt(m.ld8u(a + i));
	if (m.fault !== null) return;
	const mask = ((1n << BigInt(width)) - 1n) << BigInt(bit);
	u = (u & ~mask) | ((V.toBig(v) << BigInt(bit)) & mask);
	for (let i = 0; i < nbytes; i++) {
		m.st8(a + i, Number(u & 255n));
		u >>= 8n;
	}
}

/** The value a bit-field of `width` bits holds after storing `v` into it (the value of the assignment). */
export function bitTruncate(v: Value, width: number, signed: boolean): Value {
	if (width < 32 && typeof v === 'number') {
		const shift = 32 - width;
		return signed ? (v << shift) >> shift : ((v << shift) >>> shift);
	}
	const big = V.toBig(v);
	return signed ? V.fromBigI64(BigInt.asIntN(width, big)) : V.fromBigU64(BigInt.asUintN(width, big));
}

/** `__builtin_clz` family (x nonzero; 0 gives the width, as lzcnt does). */
export function clz(v: Value, bits: number): number {
	if (bits === 32) return Math.clz32(v as number);
	const hi = V.high32(v);
	return hi !== 0 ? Math.clz32(hi) : 32 + Math.clz32(V.low32(v));
}

/** `__builtin_ctz` family (x nonzero; 0 gives the width). */
export function ctz(v: Value, bits: number): number {
	const lo = V.low32(v);
	if (lo !== 0) return 31 - Math.clz32(lo & -lo);
	if (bits === 32) return 32;
	const hi = V.high32(v);
	return hi !== 0 ? 63 - Math.clz32(hi & -hi) : 64;
}

function popcount32(x: number): number {
	x = x - ((x >>> 1) & 0x55555555);
	x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
	return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24);
}

/** `__builtin_popcount` family. */
export function popcount(v: Value, bits: number): number {
	return bits === 32 ? popcount32(v as number) : popcount32(V.low32(v)) + popcount32(V.high32(v));
}

/** `__builtin_bswap16/32/64` (result unsigned). */
export function bswap(v: Value, bits: number): Value {
	if (bits === 16) {
		const x = V.toU16(v);
		return ((x & 0xff) << 8) | (x >>> 8);
	}
	if (bits === 32) {
		const x = V.toU32(v);
		return (((x & 0xff) << 24) | ((x & 0xff00) << 8) | ((x >>> 8) & 0xff00) | (x >>> 24)) >>> 0;
	}
	const lo = V.low32(v);
	const hi = V.high32(v) >>> 0;
	return V.fromHalvesU64(bswap(lo, 32) as number, bswap(hi, 32) as number);
}

/** Everything generated code may call, passed to each compiled function's factory. */
export const runtime = {
	...V,
	ptrAdd,
	ptrSub,
	ptrDiff,
	ldPtr,
	stPtr,
	bitGet,
	bitSet,
	bitTruncate,
	clz,
	ctz,
	popcount,
	bswap,
};

export type Runtime = typeof runtime;
