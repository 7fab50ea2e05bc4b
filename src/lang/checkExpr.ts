// Expressions for the KC checker (layer: lang): types and constraints of every operator, lvalues,
// the conversions C implies (made explicit as ImplicitCast nodes, including every load as
// `LValueToRValue`), integer constant folding into `constValue`, and gcc-style diagnostics.
//
// Conventions: `checkExpr` annotates a node in place and returns it; it never replaces the node
// it was given. Callers that use the expression's value wrap it with `rvalue` (load, array and
// function decay) and then with `convertTo` / `assignConvert`, and store the wrapped node back
// into the parent. An expression already checked (its `type` set) is returned unchanged.

import type {
	Assign,
	Binary,
	Call,
	Cast,
	CastKind,
	CompoundLiteral,
	Conditional,
	Expr,
	Ident,
	ImplicitCast,
	Index,
	IntLiteral,
	Member,
	OffsetofExpr,
	SizeofExpr,
	SizeofType,
	StmtExpr,
	Unary,
	VaArgExpr,
	VarSymbol,
} from './ast';
import { type CheckContext, newSymbolId } from './checkContext';
import type { SourceRange } from './source';
import { registerVariables, resolveTypeName } from './checkDecl';
import { checkInitializer } from './checkInit';
import { checkBuiltin } from './checkBuiltin';
import { checkCompoundStmt } from './checkStmt';
import {
	compatible,
	composite,
	defaultPromotedType,
	discardedQualifiers,
	hasConstMember,
	isConstType,
	isNullPointerConstant,
	mergePointerQualifiers,
	qualify,
	scalarCastKind,
	structBase,
	unqual,
} from './checkTypes';
import { foldArithmetic, foldComparison, foldUnary } from './constEval';
import {
	type CType,
	type Field,
	type FloatType,
	type FunctionType,
	type IntType,
	type PointerType,
	type StructType,
	alignOf,
	arrayOf,
	charType,
	doubleType,
	findField,
	floatType,
	intRange,
	intType,
	intTypesByName,
	isArithmetic,
	llongType,
	isComplete,
	isInteger,
	isScalar,
	longDoubleType,
	longType,
	pointerTo,
	promote,
	ptrdiffType,
	sizeOf,
	sizeType,
	typeToString,
	uintType,
	ullongType,
	ulongType,
	ushortType,
	usualArithmetic,
	voidType,
	wrapInt,
} from './types';

/** Expression nesting the checker follows before reporting instead of recursing (stack safety). */
const maxExprDepth = 1000;

// ---- Entry points ------------------------------------------------------------------------------------

/** Checks an expression in place (type, lvalue, constValue, conversions below it) and returns it. */
export function checkExpr(ctx: CheckContext, e: Expr): Expr {
	if (e.type) {
		return e;
	}
	if (ctx.depth > maxExprDepth) {
		ctx.error(e.range, 'expression nested too deeply');
		e.type = intType;
		return ctx.poison(e);
	}
	ctx.depth++;
	try {
		checkLeftSpine(ctx, e);
		dispatch(ctx, e);
	} finally {
		ctx.depth--;
		if (!e.type) {
			e.type = intType;
			ctx.poison(e);
		}
	}
	return e;
}

/** The operand a left-deep chain continues through: `a + b + c`, `p->next->next`, `a[1][2]`, `f()()`. */
function leftOperand(e: Expr): Expr | undefined {
	switch (e.kind) {
		case 'Binary':
			return e.left;
		case 'Member':
		case 'Index':
			return e.base;
		case 'Call':
			return e.callee;
		default:
			return undefined;
	}
}

/**
 * Checks a long left-deep chain below `e` bottom-up in a loop, so `1 + 1 + ... + 1` with thousands
 * of terms (which the parser builds without nesting limits) costs no recursion depth.
 */
function checkLeftSpine(ctx: CheckContext, e: Expr): void {
	const spine: Expr[] = [];
	for (let cur = leftOperand(e); cur && !cur.type && leftOperand(cur) && spine.length < 10_000_000; cur = leftOperand(cur)) {
		spine.push(cur);
	}
	if (spine.length < 64) {
		return;
	}
	for (let i = spine.length - 1; i >= 0; i--) {
		checkExpr(ctx, spine[i]);
	}
}

/** Checks an expression and converts it to an rvalue (load, decay). */
export function checkRvalue(ctx: CheckContext, e: Expr): Expr {
	return rvalue(ctx, checkExpr(ctx, e));
}

/** Checks a controlling expression (`if`, loops, `?:`, `!`, `&&`): a scalar rvalue. */
export function checkCondition(ctx: CheckContext, e: Expr): Expr {
	const r = checkRvalue(ctx, e);
	requireScalar(ctx, r);
	return r;
}

function requireScalar(ctx: CheckContext, r: Expr): boolean {
	if (ctx.isPoisoned(r) || isScalar(r.type!)) {
		return true;
	}
	if (r.type!.kind === 'void') {
		ctx.error(r.range, 'void value not ignored as it ought to be');
	} else {
		ctx.error(r.range, `used ${r.type!.kind === 'struct' ? (r.type as StructType).isUnion ? 'union' : 'struct' : 'array'} type value where scalar is required`);
	}
	ctx.poison(r);
	return false;
}

// ---- Conversions -------------------------------------------------------------------------------------

/** Makes an ImplicitCast node of `kind` to `type` around `e`, folding constants through it. */
export function implicitCast(ctx: CheckContext, e: Expr, type: CType, kind: CastKind): ImplicitCast {
	const node: ImplicitCast = { kind: 'ImplicitCast', castKind: kind, operand: e, range: e.range, type };
	foldCast(ctx, node, e, type, kind);
	if (ctx.isPoisoned(e)) {
		ctx.poison(node);
	}
	return node;
}

/** Propagates constant values through a conversion (explicit or implicit). */
function foldCast(ctx: CheckContext, node: Expr, operand: Expr, type: CType, kind: CastKind): void {
	const v = operand.constValue;
	const f = ctx.floatConstants.get(operand);
	if (type.kind === 'int') {
		if (kind === 'IntegralCast' || kind === 'NoOp' || kind === 'IntegralToBoolean') {
			if (v !== undefined && operand.type?.kind === 'int') {
				node.constValue = wrapInt(type, v);
			}
		} else if ((kind === 'FloatingToIntegral' || kind === 'FloatingToBoolean') && f !== undefined && Number.isFinite(f)) {
			if (type.name === '_Bool') {
				node.constValue = f !== 0 ? 1n : 0n;
			} else {
				const truncated = BigInt(Math.trunc(f));
				const { min, max } = intRange(type);
				if (truncated >= min && truncated <= max) {
					node.constValue = truncated;
				}
			}
		} else if (kind === 'PointerToIntegral') {
			const offset = ctx.nullOffsets.get(operand);
			if (offset !== undefined) {
				node.constValue = wrapInt(type, offset);
			}
		}
	} else if (type.kind === 'float') {
		if (v !== undefined && operand.type?.kind === 'int') {
			ctx.floatConstants.set(node, roundFloat(type, Number(v)));
		} else if (f !== undefined) {
			ctx.floatConstants.set(node, roundFloat(type, f));
		}
	} else if (type.kind === 'pointer') {
		if (v !== undefined && operand.type?.kind === 'int') {
			ctx.nullOffsets.set(node, v);
		} else if ((kind === 'BitCast' || kind === 'NoOp') && ctx.nullOffsets.has(operand)) {
			ctx.nullOffsets.set(node, ctx.nullOffsets.get(operand)!);
		}
	}
}

function roundFloat(t: FloatType, v: number): number {
	return t.size === 4 ? Math.fround(v) : v;
}

/**
 * Lvalue conversion (C11 6.3.2.1): arrays decay to a pointer to their first element, functions to
 * a pointer to themselves, and other lvalues are loaded (`LValueToRValue`, qualifiers dropped).
 */
export function rvalue(ctx: CheckContext, e: Expr): Expr {
	const t = e.type!;
	if (t.kind === 'array') {
		const decayed = implicitCast(ctx, e, pointerTo(t.of), 'ArrayToPointerDecay');
		const offset = ctx.nullOffsets.get(e);
		if (offset !== undefined) {
			ctx.nullOffsets.set(decayed, offset);
		}
		return decayed;
	}
	if (t.kind === 'function') {
		return implicitCast(ctx, e, pointerTo(t), 'FunctionToPointerDecay');
	}
	if (!e.lvalue || t.kind === 'void') {
		return e;
	}
	if (t.kind === 'struct' && !t.complete && !ctx.isPoisoned(e)) {
		ctx.error(e.range, `invalid use of undefined type '${typeToString(unqual(t))}'`);
		ctx.poison(e);
	}
	return implicitCast(ctx, e, unqual(t), 'LValueToRValue');
}

/** The bit-field member an rvalue was loaded from, if any. */
function bitFieldOf(e: Expr): Member | undefined {
	const inner = e.kind === 'ImplicitCast' && e.castKind === 'LValueToRValue' ? e.operand : e;
	return inner.kind === 'Member' && inner.field?.bitWidth !== undefined ? inner : undefined;
}

/** The type an integer rvalue promotes to; bit-fields narrower than int promote to int, as in gcc. */
function promotedTypeOf(e: Expr): IntType {
	const t = e.type as IntType;
	const bf = bitFieldOf(e);
	if (bf && bf.field?.bitWidth !== undefined) {
		const width = bf.field.bitWidth;
		if (width < 32) {
			return intType;
		}
		if (width === 32) {
			return t.signed ? intType : uintType;
		}
	}
	return promotedIntType(t);
}

/** Integer promotion of a type, enums becoming their plain underlying type (as C's arithmetic sees them). */
export function promotedIntType(t: IntType): IntType {
	return intTypesByName[promote(t).name];
}

/** Integer promotion of an rvalue of integer type. */
function promoteExpr(ctx: CheckContext, e: Expr): Expr {
	return convertTo(ctx, e, promotedTypeOf(e));
}

/** Converts an rvalue of scalar (or matching struct) type to `target`, inserting the right cast. */
export function convertTo(ctx: CheckContext, e: Expr, target: CType): Expr {
	const to = unqual(target);
	const from = e.type!;
	if (to.kind === 'void') {
		return from.kind === 'void' ? e : implicitCast(ctx, e, voidType, 'ToVoid');
	}
	if (to.kind === 'struct' || from.kind === 'struct') {
		return e;
	}
	if (sameUnqualified(from, to)) {
		return e;
	}
	let kind = scalarCastKind(unqual(from), to);
	if (kind === undefined) {
		return e;
	}
	if (kind === 'IntegralToPointer' && isNullPointerConstant(e)) {
		kind = 'NullToPointer';
	}
	return implicitCast(ctx, e, to, kind);
}

function sameUnqualified(a: CType, b: CType): boolean {
	if (a.kind !== b.kind) {
		return false;
	}
	if (a.kind === 'int') {
		return a.name === (b as IntType).name && a.enumTag === (b as IntType).enumTag && !a.const && !a.volatile;
	}
	if (a.kind === 'float') {
		return a.name === (b as FloatType).name && !a.const && !a.volatile;
	}
	if (a.kind === 'pointer') {
		const bp = b as PointerType;
		return !a.const && !a.volatile && compatible(a.to, bp.to) && pointerTargetsIdentical(a.to, bp.to);
	}
	return false;
}

/** Compatible pointer targets can still differ (an enum vs its int, `int[]` vs `int[3]`): then a NoOp cast states the type. */
function pointerTargetsIdentical(a: CType, b: CType): boolean {
	if (a.kind === 'int' && b.kind === 'int') {
		return a.enumTag === b.enumTag;
	}
	if (a.kind === 'array' && b.kind === 'array') {
		return a.length === b.length && pointerTargetsIdentical(a.of, b.of);
	}
	if (a.kind === 'pointer' && b.kind === 'pointer') {
		return pointerTargetsIdentical(a.to, b.to);
	}
	return true;
}

/** Where a value is converted "as if by assignment", for gcc-style messages. */
export type ConversionContext =
	| { readonly kind: 'assignment' }
	| { readonly kind: 'initialization' }
	| { readonly kind: 'return' }
	| { readonly kind: 'argument'; readonly index: number; readonly callee: string };

function describeIntPointerMismatch(how: ConversionContext, to: CType, from: CType, what: 'pointer from integer' | 'integer from pointer'): string {
	const T = typeToString(to);
	const S = typeToString(from);
	switch (how.kind) {
		case 'assignment':
			return `assignment to '${T}' from '${S}' makes ${what} without a cast`;
		case 'initialization':
			return `initialization of '${T}' from '${S}' makes ${what} without a cast`;
		case 'return':
			return `returning '${S}' from a function with return type '${T}' makes ${what} without a cast`;
		case 'argument':
			return `passing argument ${how.index} of '${how.callee}' makes ${what} without a cast`;
	}
}

function describeIncompatiblePointer(how: ConversionContext, to: CType, from: CType): string {
	const T = typeToString(to);
	const S = typeToString(from);
	switch (how.kind) {
		case 'assignment':
			return `assignment to '${T}' from incompatible pointer type '${S}'`;
		case 'initialization':
			return `initialization of '${T}' from incompatible pointer type '${S}'`;
		case 'return':
			return `returning '${S}' from a function with incompatible return type '${T}'`;
		case 'argument':
			return `passing argument ${how.index} of '${how.callee}' from incompatible pointer type`;
	}
}

function describeDiscarded(how: ConversionContext, qualifier: string): string {
	switch (how.kind) {
		case 'assignment':
			return `assignment discards '${qualifier}' qualifier from pointer target type`;
		case 'initialization':
			return `initialization discards '${qualifier}' qualifier from pointer target type`;
		case 'return':
			return `return discards '${qualifier}' qualifier from pointer target type`;
		case 'argument':
			return `passing argument ${how.index} of '${how.callee}' discards '${qualifier}' qualifier from pointer target type`;
	}
}

function describeIncompatible(how: ConversionContext, to: CType, from: CType): string {
	const T = typeToString(to);
	const S = typeToString(from);
	switch (how.kind) {
		case 'assignment':
			return `incompatible types when assigning to type '${T}' from type '${S}'`;
		case 'initialization':
			return `incompatible types when initializing type '${T}' using type '${S}'`;
		case 'return':
			return `incompatible types when returning type '${S}' but '${T}' was expected`;
		case 'argument':
			return `incompatible type for argument ${how.index} of '${how.callee}'`;
	}
}

/**
 * Converts an rvalue as if by assignment to an object of type `target` (C11 6.5.16.1): used for
 * `=`, initializers, arguments and `return`. Reports gcc's warnings (int/pointer mixing,
 * incompatible pointers, discarded qualifiers, constant overflow) and errors (struct/scalar mismatch).
 */
export function assignConvert(ctx: CheckContext, e: Expr, target: CType, how: ConversionContext, bitField?: Field): Expr {
	const to = unqual(target);
	const from = e.type!;
	if (ctx.isPoisoned(e)) {
		return e;
	}
	if (from.kind === 'void') {
		ctx.error(e.range, 'void value not ignored as it ought to be');
		return ctx.poison(e);
	}
	if (isArithmetic(to) && isArithmetic(from)) {
		warnConstantOverflow(ctx, e, to, bitField?.bitWidth);
		return convertTo(ctx, e, to);
	}
	if (to.kind === 'struct' && from.kind === 'struct' && structBase(to).id === structBase(from).id) {
		return e;
	}
	if (to.kind === 'int' && to.name === '_Bool' && from.kind === 'pointer') {
		return convertTo(ctx, e, to);
	}
	if (to.kind === 'pointer') {
		if (from.kind === 'pointer') {
			const lost = discardedQualifiers(from, to);
			const fromTarget = unqual(from.to);
			const toTarget = unqual(to.to);
			if (fromTarget.kind !== 'void' && toTarget.kind !== 'void' && !compatible(fromTarget, toTarget, true) && !differOnlyInSign(fromTarget, toTarget)) {
				ctx.warning(e.range, describeIncompatiblePointer(how, to, from));
			} else if (lost.length > 0) {
				ctx.warning(e.range, describeDiscarded(how, lost[0]));
			}
			return convertTo(ctx, e, to);
		}
		if (from.kind === 'int') {
			if (!isNullPointerConstant(e)) {
				ctx.warning(e.range, describeIntPointerMismatch(how, to, from, 'pointer from integer'));
			}
			return convertTo(ctx, e, to);
		}
	}
	if (to.kind === 'int' && from.kind === 'pointer') {
		ctx.warning(e.range, describeIntPointerMismatch(how, to, from, 'integer from pointer'));
		return convertTo(ctx, e, to);
	}
	ctx.error(e.range, describeIncompatible(how, to, from));
	return ctx.poison(e);
}

/** `char *` vs `unsigned char *`: gcc only warns about these with -Wpointer-sign (part of -Wall). */
function differOnlyInSign(a: CType, b: CType): boolean {
	return a.kind === 'int' && b.kind === 'int' && a.rank === b.rank && a.name !== '_Bool';
}

/** gcc's -Woverflow for an integer constant that changes value when converted (to a bit-field of `width` bits). */
function warnConstantOverflow(ctx: CheckContext, e: Expr, to: IntType | FloatType, width?: number): void {
	if (to.kind !== 'int' || to.name === '_Bool' || e.constValue === undefined || e.type?.kind !== 'int') {
		return;
	}
	const v = e.constValue;
	const bits = BigInt(width ?? to.size * 8);
	const lowest = -(1n << (bits - 1n));
	const highest = (1n << bits) - 1n;
	if (v >= lowest && v <= highest) {
		return;
	}
	const converted = to.signed ? BigInt.asIntN(Number(bits), v) : BigInt.asUintN(Number(bits), v);
	const prefix = to.signed ? 'overflow in conversion' : 'unsigned conversion';
	const shown = typeToString(to) + (width !== undefined ? `:${width}` : '');
	ctx.warning(e.range, `${prefix} from '${typeToString(e.type)}' to '${shown}' changes value from '${v}' to '${converted}'`);
}

/** The integer operand of pointer arithmetic, widened to 64 bits (long, or unsigned long if it already was). */
function pointerOffset(ctx: CheckContext, e: Expr): Expr {
	const p = promotedTypeOf(e);
	return convertTo(ctx, e, p.size < 8 ? longType : p.signed ? longType : ulongType);
}

// ---- Dispatch ------------------------------------------------------------------------------------------

function dispatch(ctx: CheckContext, e: Expr): void {
	switch (e.kind) {
		case 'IntLiteral':
			return checkIntLiteral(ctx, e);
		case 'FloatLiteral':
			e.type = e.suffix === 'f' ? floatType : e.suffix === 'l' ? longDoubleType : doubleType;
			ctx.floatConstants.set(e, roundFloat(e.type as FloatType, e.value));
			return;
		case 'CharLiteral':
			e.type = e.wide ? literalCharType(true, e.text) : intType;
			e.constValue = BigInt(e.value);
			return;
		case 'StringLiteral': {
			const element = literalCharType(e.wide, e.text);
			e.type = arrayOf(element, Math.floor(e.bytes.length / element.size) + 1);
			e.lvalue = true;
			return;
		}
		case 'Ident':
			return checkIdent(ctx, e);
		case 'Unary':
			return checkUnary(ctx, e);
		case 'Binary':
			return checkBinary(ctx, e);
		case 'Assign':
			return checkAssign(ctx, e);
		case 'Conditional':
			return checkConditional(ctx, e);
		case 'Call':
			return checkCall(ctx, e);
		case 'Index':
			return checkIndex(ctx, e);
		case 'Member':
			return checkMember(ctx, e);
		case 'Cast':
			return checkCast(ctx, e);
		case 'ImplicitCast':
			// Only the checker makes these, and always typed; an untyped one is a stray from elsewhere.
			e.operand = checkExpr(ctx, e.operand);
			e.type = e.operand.type;
			return;
		case 'SizeofExpr':
			return checkSizeofExpr(ctx, e);
		case 'SizeofType':
		case 'AlignofType':
			return checkSizeofType(ctx, e);
		case 'Offsetof':
			return checkOffsetof(ctx, e);
		case 'VaArg':
			return checkVaArg(ctx, e);
		case 'CompoundLiteral':
			return checkCompoundLiteral(ctx, e);
		case 'StmtExpr':
			return checkStmtExpr(ctx, e);
		case 'BuiltinCall':
			return checkBuiltin(ctx, e);
		case 'ErrorExpr':
			e.type = intType;
			ctx.poison(e);
			return;
	}
}

// ---- Primary expressions -------------------------------------------------------------------------------

/**
 * The element type of a string literal or the type of a wide character constant, from its prefix:
 * `L` wchar_t (int), `u` char16_t (unsigned short), `U` char32_t (unsigned int); narrow strings char.
 */
export function literalCharType(wide: boolean, text: string): IntType {
	if (!wide) {
		return charType;
	}
	const prefix = /(?:^|\s)(L|u|U)['"]/.exec(text)?.[1];
	return prefix === 'u' ? ushortType : prefix === 'U' ? uintType : intType;
}

function checkIntLiteral(ctx: CheckContext, e: IntLiteral): void {
	const v = e.value;
	let candidates: IntType[];
	if (e.longSuffix === 0) {
		candidates = e.unsignedSuffix ? [uintType, ulongType] : e.decimal ? [intType, longType] : [intType, uintType, longType, ulongType];
	} else if (e.longSuffix === 1) {
		candidates = e.unsignedSuffix ? [ulongType] : e.decimal ? [longType] : [longType, ulongType];
	} else {
		candidates = e.unsignedSuffix ? [ullongType] : e.decimal ? [llongType] : [llongType, ullongType];
	}
	for (const t of candidates) {
		const { min, max } = intRange(t);
		if (v >= min && v <= max) {
			e.type = t;
			e.constValue = v;
			return;
		}
	}
	const widest = e.longSuffix === 2 ? ullongType : ulongType;
	if (v <= intRange(widest).max) {
		ctx.warning(e.range, 'integer constant is so large that it is unsigned');
		e.type = widest;
		e.constValue = v;
		return;
	}
	ctx.error(e.range, 'integer constant is too large for its type');
	e.type = widest;
	e.constValue = wrapInt(widest, v);
}

const functionNameIdentifiers = new Set(['__func__', '__FUNCTION__', '__PRETTY_FUNCTION__']);

function checkIdent(ctx: CheckContext, e: Ident): void {
	const entity = ctx.scope.lookup(e.name);
	if (!entity) {
		if (functionNameIdentifiers.has(e.name) && ctx.fn) {
			const symbol = functionNameVariable(ctx, e.name);
			e.symbol = symbol;
			e.type = symbol.type;
			e.lvalue = true;
			return;
		}
		reportUndeclared(ctx, e.name, e.range);
		e.type = intType;
		ctx.poison(e);
		return;
	}
	if (entity.kind === 'typedef') {
		ctx.error(e.range, `expected expression before '${e.name}'`);
		e.type = intType;
		ctx.poison(e);
		return;
	}
	const symbol = entity.symbol;
	e.symbol = symbol;
	switch (symbol.kind) {
		case 'var':
			e.type = symbol.type;
			e.lvalue = true;
			return;
		case 'func':
			e.type = symbol.type;
			return;
		case 'enumconst':
			e.type = symbol.type;
			e.constValue = symbol.value;
			return;
	}
}

function reportUndeclared(ctx: CheckContext, name: string, range: Expr['range']): void {
	if (!ctx.fn) {
		ctx.error(range, `'${name}' undeclared here (not in a function)`);
		return;
	}
	if (ctx.fn.undeclared.has(name)) {
		return;
	}
	ctx.fn.undeclared.add(name);
	ctx.error(range, `'${name}' undeclared (first use in this function)`);
}

/** `__func__` (C99 6.4.2.2): `static const char __func__[] = "name";`, created on first use. */
function functionNameVariable(ctx: CheckContext, name: string): VarSymbol {
	const fn = ctx.fn!;
	const existing = fn.functionNames.get(name);
	if (existing) {
		return existing;
	}
	const bytes = new TextEncoder().encode(fn.symbol.name);
	const type = arrayOf(qualify(charType, { const: true }), bytes.length + 1);
	const padded = new Uint8Array(bytes.length + 1);
	padded.set(bytes);
	const symbol: VarSymbol = {
		kind: 'var',
		name,
		id: newSymbolId(),
		type,
		storage: 'global',
		linkage: 'none',
		addressTaken: false,
		isDefinition: true,
		init: { kind: 'list', size: bytes.length + 1, items: [{ offset: 0, bytes: padded }] },
		range: fn.def.range,
	};
	fn.functionNames.set(name, symbol);
	fn.locals.push(symbol);
	ctx.globals.push(symbol);
	return symbol;
}

// ---- Unary operators -------------------------------------------------------------------------------------

/** A short C rendering of an lvalue for messages (`'*p'`, `'a[i]'`, `'s.x'`). */
export function exprText(e: Expr, depth = 0): string {
	if (depth > 8) {
		return '...';
	}
	switch (e.kind) {
		case 'Ident':
			return e.name;
		case 'IntLiteral':
		case 'FloatLiteral':
		case 'CharLiteral':
			return e.text;
		case 'ImplicitCast':
			return exprText(e.operand, depth);
		case 'Member':
			return `${exprText(e.base, depth + 1)}${e.arrow ? '->' : '.'}${e.name}`;
		case 'Index':
			return `${exprText(e.base, depth + 1)}[${exprText(e.index, depth + 1)}]`;
		case 'Unary':
			return e.op === '*' || e.op === '&' || e.op === '-' || e.op === '~' || e.op === '!' ? `${e.op}${exprText(e.operand, depth + 1)}` : `(${exprText(e.operand, depth + 1)})`;
		case 'Call':
			return `${exprText(e.callee, depth + 1)}(...)`;
		default:
			return '(...)';
	}
}

/** The variable an lvalue designates storage of (for addressTaken), looking through members and indexing. */
function markAddressTaken(e: Expr): void {
	for (let cur: Expr | undefined = e, steps = 0; cur && steps < 1000; steps++) {
		switch (cur.kind) {
			case 'Ident':
				if (cur.symbol?.kind === 'var') {
					cur.symbol.addressTaken = true;
				}
				return;
			case 'Member':
				if (cur.arrow) {
					return;
				}
				cur = cur.base;
				break;
			case 'Index':
				cur = cur.base;
				break;
			case 'ImplicitCast':
				if (cur.castKind !== 'ArrayToPointerDecay') {
					return;
				}
				cur = cur.operand;
				break;
			case 'CompoundLiteral':
				if (cur.object) {
					cur.object.addressTaken = true;
				}
				return;
			default:
				return;
		}
	}
}

function checkUnary(ctx: CheckContext, e: Unary): void {
	switch (e.op) {
		case '&':
			return checkAddressOf(ctx, e);
		case '*':
			return checkDereference(ctx, e);
		case 'pre++':
		case 'pre--':
		case 'post++':
		case 'post--':
			return checkIncrement(ctx, e);
	}
	const operand = checkRvalue(ctx, e.operand);
	e.operand = operand;
	if (ctx.isPoisoned(operand)) {
		e.type = e.op === '!' ? intType : operand.type;
		ctx.poison(e);
		return;
	}
	const t = operand.type!;
	if (e.op === '!') {
		if (!isScalar(t)) {
			ctx.error(e.range, `wrong type argument to unary exclamation mark`);
			ctx.poison(e);
		} else if (operand.constValue !== undefined) {
			e.constValue = operand.constValue === 0n ? 1n : 0n;
		} else if (ctx.floatConstants.has(operand)) {
			e.constValue = ctx.floatConstants.get(operand) === 0 ? 1n : 0n;
		}
		e.type = intType;
		return;
	}
	const allowed = e.op === '~' ? isInteger(t) : isArithmetic(t);
	if (!allowed) {
		const what = e.op === '-' ? 'unary minus' : e.op === '+' ? 'unary plus' : 'bit-complement';
		ctx.error(e.range, `wrong type argument to ${what}`);
		e.type = intType;
		ctx.poison(e);
		return;
	}
	if (t.kind === 'float') {
		e.type = unqual(t);
		const f = ctx.floatConstants.get(operand);
		if (f !== undefined) {
			ctx.floatConstants.set(e, e.op === '-' ? -f : f);
		}
		return;
	}
	const promoted = promoteExpr(ctx, operand);
	e.operand = promoted;
	const pt = promoted.type as IntType;
	e.type = pt;
	if (promoted.constValue !== undefined) {
		const r = foldUnary(e.op, promoted.constValue, pt);
		if (r.overflow && ctx.unevaluated === 0) {
			ctx.warning(e.range, `integer overflow in expression of type '${typeToString(pt)}' results in '${r.value}'`);
		}
		e.constValue = r.value;
	}
}

function checkAddressOf(ctx: CheckContext, e: Unary): void {
	const operand = checkExpr(ctx, e.operand);
	e.operand = operand;
	const t = operand.type!;
	if (ctx.isPoisoned(operand)) {
		e.type = pointerTo(t);
		ctx.poison(e);
		return;
	}
	if (t.kind !== 'function' && !operand.lvalue && !(operand.kind === 'Unary' && operand.op === '*')) {
		ctx.error(e.range, `lvalue required as unary '&' operand`);
		e.type = pointerTo(t);
		ctx.poison(e);
		return;
	}
	if (operand.kind === 'Member' && operand.field?.bitWidth !== undefined) {
		ctx.error(e.range, `cannot take address of bit-field '${operand.name}'`);
		ctx.poison(e);
	}
	if (operand.kind === 'Ident' && operand.symbol?.kind === 'var' && registerVariables.has(operand.symbol)) {
		ctx.error(e.range, `address of register variable '${operand.name}' requested`);
		ctx.poison(e);
	}
	markAddressTaken(operand);
	e.type = pointerTo(t);
	const offset = ctx.nullOffsets.get(operand);
	if (offset !== undefined) {
		ctx.nullOffsets.set(e, offset);
	}
}

function checkDereference(ctx: CheckContext, e: Unary): void {
	const operand = checkRvalue(ctx, e.operand);
	e.operand = operand;
	const t = operand.type!;
	if (ctx.isPoisoned(operand)) {
		e.type = t.kind === 'pointer' ? t.to : intType;
		e.lvalue = true;
		ctx.poison(e);
		return;
	}
	if (t.kind !== 'pointer') {
		ctx.error(e.range, `invalid type argument of unary '*' (have '${typeToString(t)}')`);
		e.type = intType;
		ctx.poison(e);
		return;
	}
	const target = t.to;
	e.type = target;
	if (target.kind === 'void') {
		ctx.warning(e.range, `dereferencing 'void *' pointer`);
		return;
	}
	e.lvalue = target.kind !== 'function';
	const offset = ctx.nullOffsets.get(operand);
	if (offset !== undefined) {
		ctx.nullOffsets.set(e, offset);
	}
}

/**
 * Checks that `target` is a modifiable lvalue (C11 6.3.2.1p1) for `action`; reports gcc's message
 * and returns false otherwise.
 */
function checkModifiable(ctx: CheckContext, target: Expr, action: 'assignment' | 'increment' | 'decrement'): boolean {
	if (ctx.isPoisoned(target)) {
		return false;
	}
	const t = target.type!;
	if (!target.lvalue) {
		ctx.error(target.range, action === 'assignment' ? 'lvalue required as left operand of assignment' : `lvalue required as ${action} operand`);
		return false;
	}
	if (t.kind === 'array') {
		ctx.error(target.range, action === 'assignment' ? 'assignment to expression with array type' : `lvalue required as ${action} operand`);
		return false;
	}
	if (!isComplete(t)) {
		ctx.error(target.range, `invalid use of undefined type '${typeToString(unqual(t))}'`);
		return false;
	}
	const readOnly = isConstType(t) || (t.kind === 'struct' && hasConstMember(t));
	if (!readOnly) {
		return true;
	}
	const of = `${action} of`;
	if (target.kind === 'Ident') {
		ctx.error(target.range, `${of} read-only variable '${target.name}'`);
	} else if (target.kind === 'Member' && target.field) {
		if (isConstType(target.field.type)) {
			ctx.error(target.range, `${of} read-only member '${target.name}'`);
		} else {
			ctx.error(target.range, `${of} member '${target.name}' in read-only object`);
		}
	} else {
		ctx.error(target.range, `${of} read-only location '${exprText(target)}'`);
	}
	return false;
}

function checkIncrement(ctx: CheckContext, e: Unary): void {
	const operand = checkExpr(ctx, e.operand);
	e.operand = operand;
	const t = unqual(operand.type!);
	e.type = t;
	const action = e.op.endsWith('++') ? 'increment' : 'decrement';
	if (!checkModifiable(ctx, operand, action)) {
		ctx.poison(e);
		return;
	}
	if (t.kind === 'pointer') {
		if (t.to.kind === 'struct' && !t.to.complete) {
			ctx.error(e.range, `${action} of pointer to an incomplete type '${typeToString(unqual(t.to))}'`);
			ctx.poison(e);
		}
		return;
	}
	if (!isArithmetic(t)) {
		ctx.error(e.range, `wrong type argument to ${action}`);
		ctx.poison(e);
	}
}

// ---- Binary operators -------------------------------------------------------------------------------------

function invalidOperands(ctx: CheckContext, e: Binary | Assign, op: string, l: CType, r: CType): void {
	ctx.error(e.range, `invalid operands to binary ${op} (have '${typeToString(l)}' and '${typeToString(r)}')`);
	ctx.poison(e);
}

/** Applies the usual arithmetic conversions to two arithmetic rvalues; returns them and the common type. */
function usualConversions(ctx: CheckContext, l: Expr, r: Expr): [Expr, Expr, IntType | FloatType] {
	const lt = l.type!.kind === 'int' ? promotedTypeOf(l) : (unqual(l.type!) as FloatType);
	const rt = r.type!.kind === 'int' ? promotedTypeOf(r) : (unqual(r.type!) as FloatType);
	const common = usualArithmetic(lt, rt);
	return [convertTo(ctx, l, common), convertTo(ctx, r, common), common];
}

function pointeeScale(ctx: CheckContext, e: Expr, p: PointerType): number {
	const to = p.to;
	if (to.kind === 'struct' && !to.complete) {
		ctx.error(e.range, `arithmetic on pointer to an incomplete type`);
		ctx.poison(e);
		return 1;
	}
	if (to.kind === 'array' && to.length === undefined) {
		ctx.error(e.range, `arithmetic on pointer to an incomplete type`);
		ctx.poison(e);
		return 1;
	}
	return Math.max(sizeOf(to), to.kind === 'void' || to.kind === 'function' ? 1 : 0);
}

function checkBinary(ctx: CheckContext, e: Binary): void {
	if (e.op === ',') {
		e.left = checkExpr(ctx, e.left);
		const r = checkRvalue(ctx, e.right);
		e.right = r;
		e.type = r.type;
		if (ctx.isPoisoned(e.left) || ctx.isPoisoned(r)) {
			ctx.poison(e);
		}
		return;
	}
	let l = checkRvalue(ctx, e.left);
	let r = checkRvalue(ctx, e.right);
	e.left = l;
	e.right = r;
	if (ctx.isPoisoned(l) || ctx.isPoisoned(r)) {
		e.type = isComparison(e.op) || e.op === '&&' || e.op === '||' ? intType : l.type!.kind === 'pointer' ? l.type : intType;
		ctx.poison(e);
		return;
	}
	const lt = l.type!;
	const rt = r.type!;
	if (e.op === '&&' || e.op === '||') {
		e.type = intType;
		if (!isScalar(lt) || !isScalar(rt)) {
			invalidOperands(ctx, e, e.op, lt, rt);
			return;
		}
		const lv = truthOf(ctx, l);
		const rv = truthOf(ctx, r);
		if (e.op === '&&') {
			e.constValue = lv === false ? 0n : lv === true && rv !== undefined ? (rv ? 1n : 0n) : undefined;
		} else {
			e.constValue = lv === true ? 1n : lv === false && rv !== undefined ? (rv ? 1n : 0n) : undefined;
		}
		return;
	}
	if (isComparison(e.op)) {
		return checkComparison(ctx, e, l, r);
	}
	switch (e.op) {
		case '+':
		case '-':
			if (lt.kind === 'pointer' || rt.kind === 'pointer') {
				return checkPointerArithmetic(ctx, e, l, r);
			}
			break;
		case '<<':
		case '>>':
			if (!isInteger(lt) || !isInteger(rt)) {
				return invalidOperands(ctx, e, e.op, lt, rt);
			}
			l = promoteExpr(ctx, l);
			r = promoteExpr(ctx, r);
			e.left = l;
			e.right = r;
			e.type = l.type;
			foldIntegerBinary(ctx, e, l, r, l.type as IntType);
			return;
	}
	const needsInteger = e.op === '%' || e.op === '&' || e.op === '|' || e.op === '^';
	if (needsInteger ? !isInteger(lt) || !isInteger(rt) : !isArithmetic(lt) || !isArithmetic(rt)) {
		return invalidOperands(ctx, e, e.op, lt, rt);
	}
	const [cl, cr, common] = usualConversions(ctx, l, r);
	e.left = cl;
	e.right = cr;
	e.type = common;
	if (common.kind === 'int') {
		foldIntegerBinary(ctx, e, cl, cr, common);
	} else {
		foldFloatBinary(ctx, e, cl, cr, common);
	}
}

function isComparison(op: string): boolean {
	return op === '<' || op === '>' || op === '<=' || op === '>=' || op === '==' || op === '!=';
}

/** Whether a scalar constant is true, false, or not a constant. */
function truthOf(ctx: CheckContext, e: Expr): boolean | undefined {
	if (e.constValue !== undefined) {
		return e.constValue !== 0n;
	}
	const f = ctx.floatConstants.get(e);
	if (f !== undefined) {
		return f !== 0;
	}
	return undefined;
}

function foldIntegerBinary(ctx: CheckContext, e: Binary, l: Expr, r: Expr, t: IntType): void {
	if (r.constValue !== undefined && (e.op === '/' || e.op === '%') && r.constValue === 0n && ctx.unevaluated === 0) {
		ctx.warning(e.range, 'division by zero');
	}
	if (r.constValue !== undefined && (e.op === '<<' || e.op === '>>')) {
		const probe = foldArithmetic(e.op, 0n, r.constValue, t);
		if (probe.problem && ctx.unevaluated === 0) {
			ctx.warning(e.range, probe.problem);
		}
	}
	if (l.constValue === undefined || r.constValue === undefined) {
		return;
	}
	const result = foldArithmetic(e.op, l.constValue, r.constValue, t);
	if (result.overflow && ctx.unevaluated === 0) {
		ctx.warning(e.range, `integer overflow in expression of type '${typeToString(t)}' results in '${result.value}'`);
	}
	e.constValue = result.value;
}

function foldFloatBinary(ctx: CheckContext, e: Binary, l: Expr, r: Expr, t: FloatType): void {
	const a = ctx.floatConstants.get(l);
	const b = ctx.floatConstants.get(r);
	if (a === undefined || b === undefined) {
		return;
	}
	let v: number;
	switch (e.op) {
		case '*':
			v = a * b;
			break;
		case '/':
			v = a / b;
			break;
		case '+':
			v = a + b;
			break;
		case '-':
			v = a - b;
			break;
		default:
			return;
	}
	ctx.floatConstants.set(e, roundFloat(t, v));
}

function checkPointerArithmetic(ctx: CheckContext, e: Binary, l: Expr, r: Expr): void {
	const lt = l.type!;
	const rt = r.type!;
	if (e.op === '-' && lt.kind === 'pointer' && rt.kind === 'pointer') {
		if (!compatible(unqual(lt.to), unqual(rt.to), true)) {
			return invalidOperands(ctx, e, '-', lt, rt);
		}
		e.type = ptrdiffType;
		e.pointerScale = pointeeScale(ctx, e, lt);
		const lo = ctx.nullOffsets.get(l);
		const ro = ctx.nullOffsets.get(r);
		if (lo !== undefined && ro !== undefined && e.pointerScale > 0) {
			e.constValue = (lo - ro) / BigInt(e.pointerScale);
		}
		return;
	}
	if (lt.kind === 'pointer' && isInteger(rt)) {
		e.right = pointerOffset(ctx, r);
		e.type = lt;
		e.pointerScale = pointeeScale(ctx, e, lt);
		foldNullOffset(ctx, e, l, e.right, e.op === '-' ? -1n : 1n);
		return;
	}
	if (e.op === '+' && isInteger(lt) && rt.kind === 'pointer') {
		e.left = pointerOffset(ctx, l);
		e.type = rt;
		e.pointerScale = pointeeScale(ctx, e, rt);
		foldNullOffset(ctx, e, r, e.left, 1n);
		return;
	}
	invalidOperands(ctx, e, e.op, lt, rt);
}

function foldNullOffset(ctx: CheckContext, e: Expr & { pointerScale?: number }, pointer: Expr, offset: Expr, sign: bigint): void {
	const base = ctx.nullOffsets.get(pointer);
	if (base !== undefined && offset.constValue !== undefined) {
		ctx.nullOffsets.set(e, base + sign * offset.constValue * BigInt(e.pointerScale ?? 1));
	}
}

function checkComparison(ctx: CheckContext, e: Binary, l: Expr, r: Expr): void {
	const lt = l.type!;
	const rt = r.type!;
	e.type = intType;
	const equality = e.op === '==' || e.op === '!=';
	if (isArithmetic(lt) && isArithmetic(rt)) {
		const [cl, cr, common] = usualConversions(ctx, l, r);
		e.left = cl;
		e.right = cr;
		if (common.kind === 'int') {
			if (cl.constValue !== undefined && cr.constValue !== undefined) {
				e.constValue = foldComparison(e.op, cl.constValue, cr.constValue);
			}
		} else {
			const a = ctx.floatConstants.get(cl);
			const b = ctx.floatConstants.get(cr);
			if (a !== undefined && b !== undefined) {
				const ok = e.op === '<' ? a < b : e.op === '>' ? a > b : e.op === '<=' ? a <= b : e.op === '>=' ? a >= b : e.op === '==' ? a === b : a !== b;
				e.constValue = ok ? 1n : 0n;
			}
		}
		return;
	}
	if (lt.kind === 'pointer' && rt.kind === 'pointer') {
		const lto = unqual(lt.to);
		const rto = unqual(rt.to);
		if (compatible(lto, rto, true)) {
			e.right = convertTo(ctx, r, lt);
		} else if (equality && (lto.kind === 'void' || rto.kind === 'void')) {
			if (lto.kind === 'void') {
				e.right = convertTo(ctx, r, lt);
			} else {
				e.left = convertTo(ctx, l, rt);
			}
		} else {
			ctx.warning(e.range, 'comparison of distinct pointer types lacks a cast');
			e.right = convertTo(ctx, r, lt);
		}
		return;
	}
	if (lt.kind === 'pointer' && isInteger(rt)) {
		if (!isNullPointerConstant(r)) {
			ctx.warning(e.range, 'comparison between pointer and integer');
		}
		e.right = convertTo(ctx, r, lt);
		return;
	}
	if (isInteger(lt) && rt.kind === 'pointer') {
		if (!isNullPointerConstant(l)) {
			ctx.warning(e.range, 'comparison between pointer and integer');
		}
		e.left = convertTo(ctx, l, rt);
		return;
	}
	invalidOperands(ctx, e, e.op, lt, rt);
}

// ---- Assignment ---------------------------------------------------------------------------------------------

function checkAssign(ctx: CheckContext, e: Assign): void {
	const target = checkExpr(ctx, e.target);
	e.target = target;
	let value = checkRvalue(ctx, e.value);
	e.value = value;
	const tt = unqual(target.type!);
	e.type = tt;
	if (ctx.isPoisoned(target) || ctx.isPoisoned(value)) {
		ctx.poison(e);
		return;
	}
	if (!checkModifiable(ctx, target, 'assignment')) {
		ctx.poison(e);
		return;
	}
	if (e.op === '=') {
		const bitField = target.kind === 'Member' && target.field?.bitWidth !== undefined ? target.field : undefined;
		e.value = assignConvert(ctx, value, tt, { kind: 'assignment' }, bitField);
		if (ctx.isPoisoned(e.value)) {
			ctx.poison(e);
		}
		return;
	}
	const op = e.op.slice(0, -1);
	const vt = value.type!;
	if ((op === '+' || op === '-') && tt.kind === 'pointer') {
		if (!isInteger(vt)) {
			return invalidOperands(ctx, e, op, tt, vt);
		}
		e.value = pointerOffset(ctx, value);
		e.opType = tt;
		e.pointerScale = pointeeScale(ctx, e, tt);
		return;
	}
	const needsInteger = op === '%' || op === '&' || op === '|' || op === '^' || op === '<<' || op === '>>';
	if (needsInteger ? !isInteger(tt) || !isInteger(vt) : !isArithmetic(tt) || !isArithmetic(vt)) {
		return invalidOperands(ctx, e, op, tt, vt);
	}
	const targetPromoted = tt.kind === 'int' ? promotedTypeOf(implicitCast(ctx, target, tt, 'LValueToRValue')) : tt;
	if (op === '<<' || op === '>>') {
		value = promoteExpr(ctx, value);
		e.value = value;
		e.opType = targetPromoted;
		if (value.constValue !== undefined && ctx.unevaluated === 0) {
			const probe = foldArithmetic(op, 0n, value.constValue, targetPromoted as IntType);
			if (probe.problem) {
				ctx.warning(e.range, probe.problem);
			}
		}
		return;
	}
	const common = usualArithmetic(targetPromoted as IntType | FloatType, vt.kind === 'int' ? promotedTypeOf(value) : (unqual(vt) as FloatType));
	e.opType = common;
	e.value = convertTo(ctx, value, common);
	if ((op === '/' || op === '%') && e.value.constValue === 0n && common.kind === 'int' && ctx.unevaluated === 0) {
		ctx.warning(e.range, 'division by zero');
	}
}

// ---- Conditional --------------------------------------------------------------------------------------------

function checkConditional(ctx: CheckContext, e: Conditional): void {
	// GNU `c ?: b`: the parser makes `then` the very node `cond` is. Keep them one node (evaluated
	// once): the condition is converted to the result type, which preserves its truth value.
	const shared = e.then === e.cond;
	const cond = checkCondition(ctx, e.cond);
	e.cond = cond;
	let a = shared ? cond : checkRvalue(ctx, e.then);
	let b = checkRvalue(ctx, e.otherwise);
	if (ctx.isPoisoned(cond) || ctx.isPoisoned(a) || ctx.isPoisoned(b)) {
		e.then = a;
		e.otherwise = b;
		e.type = ctx.isPoisoned(a) ? b.type : a.type;
		ctx.poison(e);
		return;
	}
	const at = a.type!;
	const bt = b.type!;
	let type: CType;
	if (isArithmetic(at) && isArithmetic(bt)) {
		const [ca, cb, common] = usualConversions(ctx, a, b);
		a = ca;
		b = cb;
		type = common;
	} else if (at.kind === 'void' && bt.kind === 'void') {
		type = voidType;
	} else if (at.kind === 'void' || bt.kind === 'void') {
		// gcc accepts a void arm; the result is void.
		type = voidType;
		a = convertTo(ctx, a, voidType);
		b = convertTo(ctx, b, voidType);
	} else if (at.kind === 'struct' && bt.kind === 'struct' && structBase(at).id === structBase(bt).id) {
		type = unqual(at);
	} else if (at.kind === 'pointer' && bt.kind === 'pointer') {
		type = conditionalPointerType(ctx, e, a, b, at, bt);
		a = convertTo(ctx, a, type);
		b = convertTo(ctx, b, type);
	} else if (at.kind === 'pointer' && isInteger(bt)) {
		if (!isNullPointerConstant(b)) {
			ctx.warning(e.range, 'pointer/integer type mismatch in conditional expression');
		}
		type = at;
		b = convertTo(ctx, b, at);
	} else if (isInteger(at) && bt.kind === 'pointer') {
		if (!isNullPointerConstant(a)) {
			ctx.warning(e.range, 'pointer/integer type mismatch in conditional expression');
		}
		type = bt;
		a = convertTo(ctx, a, bt);
	} else {
		ctx.error(e.range, 'type mismatch in conditional expression');
		type = at;
		ctx.poison(e);
	}
	e.then = a;
	e.otherwise = b;
	e.type = type;
	if (shared) {
		e.cond = a;
	}
	const truth = truthOf(ctx, e.cond);
	if (truth !== undefined && type.kind === 'int') {
		e.constValue = (truth ? a : b).constValue;
	} else if (truth !== undefined && type.kind === 'float') {
		const f = ctx.floatConstants.get(truth ? a : b);
		if (f !== undefined) {
			ctx.floatConstants.set(e, f);
		}
	} else if (truth !== undefined && type.kind === 'pointer') {
		const offset = ctx.nullOffsets.get(truth ? a : b);
		if (offset !== undefined) {
			ctx.nullOffsets.set(e, offset);
		}
	}
}

function conditionalPointerType(ctx: CheckContext, e: Expr, a: Expr, b: Expr, at: PointerType, bt: PointerType): CType {
	if (isNullPointerConstant(b) && !isNullPointerConstant(a)) {
		return at;
	}
	if (isNullPointerConstant(a) && !isNullPointerConstant(b)) {
		return bt;
	}
	const ato = unqual(at.to);
	const bto = unqual(bt.to);
	if (compatible(ato, bto, true)) {
		return pointerTo(mergePointerQualifiers(composite(ato, bto), at, bt));
	}
	if (ato.kind === 'void' || bto.kind === 'void') {
		return pointerTo(mergePointerQualifiers(voidType, at, bt));
	}
	ctx.warning(e.range, 'pointer type mismatch in conditional expression');
	return pointerTo(mergePointerQualifiers(voidType, at, bt));
}

// ---- Calls ----------------------------------------------------------------------------------------------------

function checkCall(ctx: CheckContext, e: Call): void {
	const callee = e.callee;
	if (callee.kind === 'Ident' && !ctx.scope.lookup(callee.name) && !functionNameIdentifiers.has(callee.name)) {
		ctx.error(callee.range, `implicit declaration of function '${callee.name}'`);
		callee.type = intType;
		ctx.poison(callee);
		e.args = e.args.map(a => checkRvalue(ctx, a));
		e.type = intType;
		ctx.poison(e);
		return;
	}
	const c = checkRvalue(ctx, callee);
	e.callee = c;
	const ct = c.type!;
	const fnType = ct.kind === 'pointer' && ct.to.kind === 'function' ? ct.to : undefined;
	if (!fnType) {
		e.args = e.args.map(a => checkRvalue(ctx, a));
		e.type = intType;
		if (!ctx.isPoisoned(c)) {
			const name = callee.kind === 'Ident' ? ` '${callee.name}'` : '';
			ctx.error(callee.range, `called object${name} is not a function or function pointer`);
		}
		ctx.poison(e);
		return;
	}
	e.calleeType = fnType;
	const name = exprText(callee);
	const declaredAt = callee.kind === 'Ident' && callee.symbol ? [{ message: 'declared here', range: callee.symbol.range }] : undefined;
	const checked = checkArguments(ctx, e.args, fnType, name, e.range, declaredAt);
	e.args = checked.args;
	let poisoned = checked.poisoned || ctx.isPoisoned(c);
	const returns = unqual(fnType.returns);
	e.type = returns;
	if (returns.kind === 'struct' && !returns.complete) {
		ctx.error(e.range, `invalid use of undefined type '${typeToString(returns)}'`);
		poisoned = true;
	}
	if (poisoned) {
		ctx.poison(e);
	}
}

/**
 * Checks call arguments against a function type: conversion as if by assignment to prototyped
 * parameters, default argument promotions for the rest, and the argument count.
 */
export function checkArguments(
	ctx: CheckContext,
	given: readonly Expr[],
	fnType: FunctionType,
	name: string,
	range: SourceRange,
	declaredAt: { message: string; range: SourceRange }[] | undefined,
): { args: Expr[]; poisoned: boolean } {
	const args: Expr[] = [];
	let poisoned = false;
	for (let i = 0; i < given.length; i++) {
		let arg = checkRvalue(ctx, given[i]);
		if (ctx.isPoisoned(arg)) {
			poisoned = true;
		} else if (!fnType.unprototyped && i < fnType.params.length) {
			arg = assignConvert(ctx, arg, fnType.params[i].type, { kind: 'argument', index: i + 1, callee: name });
		} else {
			arg = defaultArgumentPromotion(ctx, arg);
		}
		poisoned ||= ctx.isPoisoned(arg);
		args.push(arg);
	}
	if (!fnType.unprototyped) {
		if (args.length < fnType.params.length) {
			ctx.error(range, `too few arguments to function '${name}'`, declaredAt);
			poisoned = true;
		} else if (args.length > fnType.params.length && !fnType.variadic) {
			ctx.error(range, `too many arguments to function '${name}'`, declaredAt);
			poisoned = true;
		}
	}
	return { args, poisoned };
}

/** Default argument promotions for `...` and unprototyped calls: float to double, small integers to int. */
function defaultArgumentPromotion(ctx: CheckContext, arg: Expr): Expr {
	const t = arg.type!;
	if (t.kind === 'void') {
		ctx.error(arg.range, 'invalid use of void expression');
		return ctx.poison(arg);
	}
	if (t.kind === 'int') {
		return promoteExpr(ctx, arg);
	}
	if (t.kind === 'float') {
		return convertTo(ctx, arg, defaultPromotedType(t));
	}
	if (t.kind === 'struct' && !t.complete) {
		ctx.error(arg.range, `invalid use of undefined type '${typeToString(unqual(t))}'`);
		return ctx.poison(arg);
	}
	return arg;
}

// ---- Postfix: indexing and members -----------------------------------------------------------------------------

function checkIndex(ctx: CheckContext, e: Index): void {
	const rawBase = checkExpr(ctx, e.base);
	const rawIndex = checkExpr(ctx, e.index);
	let base = rvalue(ctx, rawBase);
	let index = rvalue(ctx, rawIndex);
	const rawBaseType = rawBase.type!;
	const rawIndexType = rawIndex.type!;
	let arrayLength = rawBaseType.kind === 'array' ? rawBaseType.length : undefined;
	if (base.type!.kind !== 'pointer' && index.type!.kind === 'pointer') {
		// `i[a]` is `a[i]`: normalize so `base` is the pointer.
		[base, index] = [index, base];
		arrayLength = rawIndexType.kind === 'array' ? rawIndexType.length : undefined;
	}
	e.base = base;
	e.index = index;
	if (ctx.isPoisoned(base) || ctx.isPoisoned(index)) {
		const poisonedType = base.type!;
		e.type = poisonedType.kind === 'pointer' ? poisonedType.to : intType;
		e.lvalue = true;
		ctx.poison(e);
		return;
	}
	const bt = base.type!;
	if (bt.kind !== 'pointer') {
		ctx.error(e.range, 'subscripted value is neither array nor pointer nor vector');
		e.type = intType;
		ctx.poison(e);
		return;
	}
	if (!isInteger(index.type!)) {
		ctx.error(index.range, 'array subscript is not an integer');
		e.type = bt.to;
		ctx.poison(e);
		return;
	}
	const element = bt.to;
	e.type = element;
	e.lvalue = true;
	if (element.kind === 'function') {
		ctx.error(e.range, 'subscripted value is pointer to function');
		ctx.poison(e);
		return;
	}
	if (!isComplete(element) && element.kind !== 'void') {
		ctx.error(e.range, `invalid use of undefined type '${typeToString(unqual(element))}'`);
		ctx.poison(e);
		return;
	}
	e.index = pointerOffset(ctx, index);
	e.scale = Math.max(sizeOf(element), element.kind === 'void' ? 1 : 0);
	if (arrayLength !== undefined) {
		e.boundsLength = arrayLength;
	}
	const offset = ctx.nullOffsets.get(base);
	if (offset !== undefined && e.index.constValue !== undefined) {
		ctx.nullOffsets.set(e, offset + e.index.constValue * BigInt(e.scale));
	}
}

function checkMember(ctx: CheckContext, e: Member): void {
	let s: CType;
	if (e.arrow) {
		const base = checkRvalue(ctx, e.base);
		e.base = base;
		if (ctx.isPoisoned(base)) {
			e.type = intType;
			ctx.poison(e);
			return;
		}
		const bt = base.type!;
		if (bt.kind !== 'pointer' || bt.to.kind !== 'struct') {
			ctx.error(e.range, `invalid type argument of '->' (have '${typeToString(bt)}')`);
			e.type = intType;
			ctx.poison(e);
			return;
		}
		s = bt.to;
		e.lvalue = true;
	} else {
		const base = checkExpr(ctx, e.base);
		e.base = base;
		if (ctx.isPoisoned(base)) {
			e.type = intType;
			ctx.poison(e);
			return;
		}
		s = base.type!;
		if (s.kind !== 'struct') {
			ctx.error(e.nameRange, `request for member '${e.name}' in something not a structure or union`);
			e.type = intType;
			ctx.poison(e);
			return;
		}
		e.lvalue = !!base.lvalue;
	}
	const st = s as StructType;
	if (!st.complete) {
		ctx.error(e.range, `invalid use of undefined type '${typeToString(unqual(st))}'`);
		e.type = intType;
		ctx.poison(e);
		return;
	}
	const found = findField(structBase(st), e.name);
	if (!found) {
		ctx.error(e.nameRange, `'${typeToString(unqual(st))}' has no member named '${e.name}'`);
		e.type = intType;
		ctx.poison(e);
		return;
	}
	e.field = found.field;
	e.offset = found.offset;
	e.type = qualify(found.field.type, { const: st.const, volatile: st.volatile });
	const baseOffset = ctx.nullOffsets.get(e.base);
	if (baseOffset !== undefined) {
		ctx.nullOffsets.set(e, baseOffset + BigInt(found.offset));
	}
}

// ---- Casts, sizeof, alignof, offsetof -------------------------------------------------------------------------

function checkCast(ctx: CheckContext, e: Cast): void {
	const target = resolveTypeName(ctx, e.typeName);
	const operand = checkRvalue(ctx, e.operand);
	e.operand = operand;
	const to = unqual(target);
	e.type = to;
	if (ctx.isPoisoned(operand)) {
		e.castKind = 'NoOp';
		ctx.poison(e);
		return;
	}
	const from = operand.type!;
	if (to.kind === 'void') {
		e.castKind = 'ToVoid';
		return;
	}
	if (to.kind === 'struct') {
		if (from.kind === 'struct' && structBase(from).id === structBase(to).id) {
			// gcc accepts a cast to the operand's own struct type (pedantic warning only).
			e.castKind = 'NoOp';
			return;
		}
		ctx.error(e.range, 'conversion to non-scalar type requested');
		e.castKind = 'NoOp';
		ctx.poison(e);
		return;
	}
	if (to.kind === 'array') {
		ctx.error(e.range, 'cast specifies array type');
		e.castKind = 'NoOp';
		ctx.poison(e);
		return;
	}
	if (to.kind === 'function') {
		ctx.error(e.range, 'cast specifies function type');
		e.castKind = 'NoOp';
		ctx.poison(e);
		return;
	}
	if (!isScalar(from)) {
		const expected = to.kind === 'pointer' ? 'a pointer' : to.kind === 'float' ? 'a floating-point number' : 'an integer';
		ctx.error(e.range, from.kind === 'void' ? 'void value not ignored as it ought to be' : `aggregate value used where ${expected} was expected`);
		e.castKind = 'NoOp';
		ctx.poison(e);
		return;
	}
	if ((to.kind === 'pointer' && from.kind === 'float') || (to.kind === 'float' && from.kind === 'pointer')) {
		ctx.error(e.range, to.kind === 'pointer' ? 'cannot convert to a pointer type' : 'pointer value used where a floating-point was expected');
		e.castKind = 'NoOp';
		ctx.poison(e);
		return;
	}
	let kind = sameUnqualified(unqual(from), to) ? 'NoOp' : (scalarCastKind(unqual(from), to) ?? 'NoOp');
	if (kind === 'IntegralToPointer' && isNullPointerConstant(operand)) {
		kind = 'NullToPointer';
	}
	if (kind === 'IntegralToPointer' && (from as IntType).size !== 8 && operand.constValue === undefined) {
		ctx.warning(e.range, 'cast to pointer from integer of different size');
	}
	if (kind === 'PointerToIntegral' && (to as IntType).size !== 8 && (to as IntType).name !== '_Bool') {
		ctx.warning(e.range, 'cast from pointer to integer of different size');
	}
	e.castKind = kind;
	foldCast(ctx, e, operand, to, kind);
}

function checkSizeofExpr(ctx: CheckContext, e: SizeofExpr): void {
	ctx.unevaluated++;
	let operand: Expr;
	try {
		operand = checkExpr(ctx, e.operand);
	} finally {
		ctx.unevaluated--;
	}
	e.operand = operand;
	e.type = sizeType;
	if (ctx.isPoisoned(operand)) {
		ctx.poison(e);
		return;
	}
	if (operand.kind === 'Member' && operand.field?.bitWidth !== undefined) {
		ctx.error(e.range, `'sizeof' applied to a bit-field`);
		ctx.poison(e);
		return;
	}
	const size = sizeOfForOperator(ctx, e, operand.type!, 'sizeof');
	if (size !== undefined) {
		e.constValue = BigInt(size);
	}
}

/** The value of `sizeof`/`__alignof__` for type `t` (1 for void and functions, as gcc); reports incomplete types. */
export function sizeOfForOperator(ctx: CheckContext, e: Expr, t: CType, op: 'sizeof' | '__alignof__'): number | undefined {
	if (t.kind === 'function' || t.kind === 'void') {
		return 1; // gcc extension
	}
	if (!isComplete(t)) {
		ctx.error(e.range, `invalid application of '${op}' to incomplete type '${typeToString(unqual(t))}'`);
		ctx.poison(e);
		return undefined;
	}
	return op === 'sizeof' ? sizeOf(t) : alignOf(t);
}

function checkSizeofType(ctx: CheckContext, e: SizeofType): void {
	const t = resolveTypeName(ctx, e.typeName);
	e.type = sizeType;
	const v = sizeOfForOperator(ctx, e, t, e.kind === 'SizeofType' ? 'sizeof' : '__alignof__');
	if (v !== undefined) {
		e.constValue = BigInt(v);
	}
}

function checkOffsetof(ctx: CheckContext, e: OffsetofExpr): void {
	const t = resolveTypeName(ctx, e.typeName);
	e.type = sizeType;
	const offset = offsetOfPath(ctx, e, t, e.path);
	if (offset === undefined) {
		ctx.poison(e);
		return;
	}
	e.constValue = offset;
}

/** The byte offset of an `offsetof` member designator (fields and constant indices) within `t`. */
export function offsetOfPath(ctx: CheckContext, e: Expr, t: CType, path: OffsetofExpr['path']): bigint | undefined {
	let cur = t;
	let offset = 0n;
	for (const step of path) {
		if (step.kind === 'field') {
			if (cur.kind !== 'struct') {
				ctx.error(e.range, `request for member '${step.name}' in something not a structure or union`);
				return undefined;
			}
			if (!cur.complete) {
				ctx.error(e.range, `invalid use of undefined type '${typeToString(unqual(cur))}'`);
				return undefined;
			}
			const found = findField(structBase(cur), step.name);
			if (!found) {
				ctx.error(e.range, `'${typeToString(unqual(cur))}' has no member named '${step.name}'`);
				return undefined;
			}
			if (found.field.bitWidth !== undefined) {
				ctx.error(e.range, `attempt to take address of bit-field structure member '${step.name}'`);
				return undefined;
			}
			offset += BigInt(found.offset);
			cur = found.field.type;
		} else {
			const idx = checkRvalue(ctx, step.index);
			if (cur.kind !== 'array') {
				ctx.error(step.index.range, 'subscripted value is neither array nor pointer nor vector');
				return undefined;
			}
			if (ctx.isPoisoned(idx)) {
				return undefined;
			}
			if (idx.type?.kind !== 'int' || idx.constValue === undefined) {
				ctx.error(step.index.range, `array index in 'offsetof' is not an integer constant`);
				return undefined;
			}
			offset += idx.constValue * BigInt(sizeOf(cur.of));
			cur = cur.of;
		}
	}
	return offset;
}

// ---- va_arg, compound literals, statement expressions ----------------------------------------------------------

/** `va_list` is `char *` in KC; arguments are spilled in 8-byte slots. */
export function isVaList(t: CType): boolean {
	return t.kind === 'pointer' && t.to.kind === 'int' && t.to.size === 1;
}

/** Checks the `va_list` operand of a va_* builtin: an lvalue of type `char *`. */
export function checkVaListOperand(ctx: CheckContext, ap: Expr, what: string): Expr {
	const checked = checkExpr(ctx, ap);
	if (ctx.isPoisoned(checked)) {
		return checked;
	}
	if (!isVaList(unqual(checked.type!)) || !checked.lvalue) {
		ctx.error(ap.range, `first argument to '${what}' not of type 'va_list'`);
		ctx.poison(checked);
	}
	return checked;
}

function checkVaArg(ctx: CheckContext, e: VaArgExpr): void {
	e.ap = checkVaListOperand(ctx, e.ap, 'va_arg');
	const t = resolveTypeName(ctx, e.typeName);
	e.type = unqual(t);
	if (ctx.isPoisoned(e.ap)) {
		ctx.poison(e);
	}
	if (t.kind === 'void' || t.kind === 'function' || t.kind === 'array' || !isComplete(t)) {
		ctx.error(e.typeName.range, `invalid type '${typeToString(t)}' for 'va_arg'`);
		ctx.poison(e);
		return;
	}
	const promoted = defaultPromotedType(unqual(t));
	if (!compatible(promoted, unqual(t), true)) {
		ctx.warning(e.typeName.range, `'${typeToString(unqual(t))}' is promoted to '${typeToString(promoted)}' when passed through '...'`);
	}
}

function checkCompoundLiteral(ctx: CheckContext, e: CompoundLiteral): void {
	const t = resolveTypeName(ctx, e.typeName);
	e.lvalue = true;
	if (t.kind === 'function' || t.kind === 'void' || (!isComplete(t) && !(t.kind === 'array' && t.length === undefined))) {
		ctx.error(e.typeName.range, `compound literal has ${t.kind === 'function' ? 'function' : 'incomplete'} type`);
		e.type = t.kind === 'function' ? pointerTo(t) : intType;
		ctx.poison(e);
		return;
	}
	const isStatic = ctx.atFileScope;
	const object: VarSymbol = {
		kind: 'var',
		name: `(compound literal ${++ctx.compoundLiterals})`,
		id: newSymbolId(),
		type: t,
		storage: isStatic ? 'global' : 'local',
		linkage: 'none',
		addressTaken: !isStatic && (t.kind === 'struct' || t.kind === 'array'),
		isDefinition: true,
		range: e.range,
	};
	e.object = object;
	if (isStatic) {
		ctx.globals.push(object);
	} else {
		ctx.fn?.locals.push(object);
	}
	const checked = checkInitializer(ctx, t, e.init, isStatic);
	object.type = checked.type;
	e.type = checked.type;
	e.checkedInit = checked.init;
	if (isStatic) {
		object.init = checked.init;
	}
}

function checkStmtExpr(ctx: CheckContext, e: StmtExpr): void {
	if (!ctx.fn) {
		ctx.error(e.range, 'braced-group within expression allowed only inside a function');
		e.type = intType;
		ctx.poison(e);
		return;
	}
	checkCompoundStmt(ctx, e.body, true);
	const items = e.body.items;
	const last = items[items.length - 1];
	if (last && last.kind === 'ExprStmt') {
		const value = rvalue(ctx, last.expr);
		last.expr = value;
		e.type = value.type;
		if (ctx.isPoisoned(value)) {
			ctx.poison(e);
		}
		return;
	}
	e.type = voidType;
}
