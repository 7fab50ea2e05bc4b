// Module-level helpers of the KC compiler (layer: interp): value kinds of C types, JS literals for
// constants, the load/store method tables, and small analyses the expression compiler uses.

import type { Expr, VarSymbol } from '../lang/ast';
import { isComplete, sizeOf, type CType, type Field } from '../lang/types';

/** Value kinds: how a C type is represented in JS and which memory method loads it. */
export type VK = 'i8' | 'u8' | 'i16' | 'u16' | 'i32' | 'u32' | 'i64' | 'u64' | 'bool' | 'f32' | 'f64' | 'ptr' | 'agg' | 'void';

/** The value kind of a type (undefined: void). */
export function vk(t: CType | undefined): VK {
	if (t === undefined) return 'void';
	switch (t.kind) {
		case 'int':
			if (t.name === '_Bool') return 'bool';
			switch (t.size) {
				case 1:
					return t.signed ? 'i8' : 'u8';
				case 2:
					return t.signed ? 'i16' : 'u16';
				case 4:
					return t.signed ? 'i32' : 'u32';
				default:
					return t.signed ? 'i64' : 'u64';
			}
		case 'float':
			return t.size === 4 ? 'f32' : 'f64';
		case 'pointer':
		case 'function':
			return 'ptr';
		case 'array':
		case 'struct':
			return 'agg';
		case 'void':
			return 'void';
	}
}

/** Unsigned kinds narrower than 64 bits: their values convert to wider unsigned types and pointers unchanged. */
export const UNSIGNED_SMALL: ReadonlySet<VK> = new Set(['u8', 'u16', 'u32', 'bool']);
/** 2^53 - 1 as a bigint: integer constants up to it are emitted as numbers. */
export const MAX_SAFE = 9007199254740991n;
/** MemoryBus load method per value kind (pointers use `ldPtr`). */
export const LOADS: Partial<Record<VK, string>> = {
	i8: 'ld8s', u8: 'ld8u', bool: 'ld8u', i16: 'ld16s', u16: 'ld16u', i32: 'ld32s', u32: 'ld32u', i64: 'ld64s', u64: 'ld64u', f32: 'ldf32', f64: 'ldf64',
};
/** MemoryBus store method per value kind (pointers use `stPtr`). */
export const STORES: Partial<Record<VK, string>> = {
	i8: 'st8', u8: 'st8', bool: 'st8', i16: 'st16', u16: 'st16', i32: 'st32', u32: 'st32', i64: 'st64', u64: 'st64', f32: 'stf32', f64: 'stf64',
};

/** A JS literal for an exact integer value (number when safe, bigint literal otherwise). */
export function intLit(v: bigint): string {
	if (v >= -MAX_SAFE && v <= MAX_SAFE) return v < 0n ? `(${v})` : `${v}`;
	return v < 0n ? `(${v}n)` : `${v}n`;
}

/** A JS literal for a double, including the values JSON cannot spell. */
export function numLit(x: number): string {
	if (Number.isNaN(x)) return 'NaN';
	if (x === Infinity) return 'Infinity';
	if (x === -Infinity) return '(-Infinity)';
	if (Object.is(x, -0)) return '(-0)';
	return x < 0 ? `(${x})` : `${x}`;
}

/** Wraps a mathematical integer into the representation of `t` (for constants). */
export function wrapConst(v: bigint, t: CType | undefined): bigint {
	const k = vk(t);
	switch (k) {
		case 'bool':
			return v === 0n ? 0n : 1n;
		case 'i8':
			return BigInt.asIntN(8, v);
		case 'u8':
			return BigInt.asUintN(8, v);
		case 'i16':
			return BigInt.asIntN(16, v);
		case 'u16':
			return BigInt.asUintN(16, v);
		case 'i32':
			return BigInt.asIntN(32, v);
		case 'u32':
			return BigInt.asUintN(32, v);
		case 'i64':
			return BigInt.asIntN(64, v);
		case 'u64':
			return BigInt.asUintN(64, v);
		case 'ptr':
			return BigInt.asUintN(48, v);
		default:
			return v;
	}
}

/** Where a variable lives in a frame. */
export type VarLoc =
	| { readonly kind: 'reg'; readonly slot: number }
	| { readonly kind: 'stack'; readonly offset: number }
	| { readonly kind: 'indirect'; readonly slot: number }
	| { readonly kind: 'static'; readonly address: number };

/** A compiled lvalue: a register or a memory address (a pure JS expression). */
export type LValue =
	| { readonly kind: 'reg'; readonly slot: number; readonly sym: VarSymbol; readonly type: CType }
	| { readonly kind: 'mem'; readonly addr: string; readonly type: CType; readonly volatile: boolean; readonly field?: Field };

/** JS expressions cheap and side-effect free enough to repeat (registers, constants, `B + n`). */
export const JS_SIMPLE = /^(\$\d+|k\d+|B|\(B \+ \d+\)|\(?-?\d+(\.\d+)?(e[+-]?\d+)?n?\)?|undefined|NaN|Infinity)$/;
/**
 * Stands for the register saves of the function's save path in code emitted before they are known
 * (a nested call that stopped saves the registers itself); compiler.ts `finish` replaces it.
 */
export const SAVE_MARKER = '/*SAVE*/';
/** Start of the out-of-bounds undefined-behaviour message. */
export const BOUNDS_UB = 'array index out of bounds';

/** Where `break` and `continue` jump inside the innermost loop or switch. */
export interface LoopTargets {
	readonly breakLabel: number;
	readonly continueLabel: number | undefined;
}

/** C comparison operators and their JS spelling (canonical values make `===` exact). */
export const COMPARE: Partial<Record<string, string>> = { '<': '<', '>': '>', '<=': '<=', '>=': '>=', '==': '===', '!=': '!==' };
/** Operator names for undefined-behaviour messages. */
export const OP_NAMES: Record<string, string> = { '+': 'addition', '-': 'subtraction', '*': 'multiplication', '/': 'division', '%': 'remainder' };

/** Size of the elements a pointer of type `t` steps over (void and functions: 1, as gcc). */
export function elementSize(t: CType | undefined): number {
	if (t?.kind !== 'pointer') return 1;
	const to = t.to;
	if (to.kind === 'void' || to.kind === 'function' || !isComplete(to)) return Math.max(1, sizeOf(to));
	return sizeOf(to);
}

/**
 * Conservatively, whether evaluating `e` may write a register variable of the current frame:
 * assignments, increments, va_arg (advances `ap`), statement expressions. Calls cannot (a callee
 * has its own registers).
 */
export function mayWriteRegisters(e: Expr): boolean {
	switch (e.kind) {
		case 'Assign':
		case 'StmtExpr':
		case 'VaArg':
		case 'BuiltinCall':
			return true;
		case 'Unary':
			return e.op === 'pre++' || e.op === 'pre--' || e.op === 'post++' || e.op === 'post--' || mayWriteRegisters(e.operand);
		case 'Binary':
			return mayWriteRegisters(e.left) || mayWriteRegisters(e.right);
		case 'Conditional':
			return mayWriteRegisters(e.cond) || mayWriteRegisters(e.then) || mayWriteRegisters(e.otherwise);
		case 'Call':
			return mayWriteRegisters(e.callee) || e.args.some(mayWriteRegisters);
		case 'Index':
			return mayWriteRegisters(e.base) || mayWriteRegisters(e.index);
		case 'Member':
			return mayWriteRegisters(e.base);
		case 'Cast':
		case 'ImplicitCast':
			return mayWriteRegisters(e.operand);
		case 'CompoundLiteral':
			return true;
		default:
			return false;
	}
}

/** Set intersection (definite-assignment analysis at control-flow joins). */
export function intersect(a: Set<number>, b: Set<number>): Set<number> {
	const out = new Set<number>();
	for (const x of a) if (b.has(x)) out.add(x);
	return out;
}
