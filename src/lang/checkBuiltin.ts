// GNU builtins for the KC checker (layer: lang): `__builtin_va_*`, `__builtin_expect`,
// `__builtin_constant_p`, `__builtin_types_compatible_p`, bit operations (clz, ctz, popcount, ffs,
// bswap), `__builtin_choose_expr`, `__builtin_object_size`, the overflow checks, the floating
// constants (inf, huge_val, nan), `__alignof__ expr`, and library functions called as
// `__builtin_memcpy` and friends. Each gets its argument checks, result type and, where the
// arguments are constant, its folded value.

import type { BuiltinCall, Expr, OffsetofExpr, TypeName } from './ast';
import { type CheckContext, findAttribute } from './checkContext';
import { resolveTypeName } from './checkDecl';
import {
	assignConvert,
	checkArguments,
	checkExpr,
	checkRvalue,
	checkVaListOperand,
	isVaList,
	offsetOfPath,
	sizeOfForOperator,
} from './checkExpr';
import { compatible, qualify, unqual } from './checkTypes';
import { byteSwap, countLeadingZeros, countTrailingZeros, populationCount } from './constEval';
import {
	type CType,
	type FunctionType,
	type IntType,
	boolType,
	charType,
	doubleType,
	floatType,
	intType,
	llongType,
	longDoubleType,
	longType,
	pointerTo,
	sizeType,
	uintType,
	ullongType,
	ulongType,
	ushortType,
	voidType,
	wrapInt,
} from './types';

function builtinArgs(ctx: CheckContext, e: BuiltinCall, name: string, count: number): Expr[] | undefined {
	if (e.args.length !== count) {
		ctx.error(e.range, `${e.args.length < count ? 'too few' : 'too many'} arguments to function '${name}'`);
		for (let i = 0; i < e.args.length; i++) {
			const a = e.args[i];
			if (a.kind !== 'TypeName') {
				e.args[i] = checkExpr(ctx, a);
			}
		}
		return undefined;
	}
	const result: Expr[] = [];
	for (const a of e.args) {
		if (a.kind === 'TypeName') {
			ctx.error(a.range, `expected expression before type name in call to '${name}'`);
			return undefined;
		}
		result.push(a);
	}
	return result;
}

/** Checks a `__builtin_*` call (or GNU `__alignof__ expr`) in place. */
export function checkBuiltin(ctx: CheckContext, e: BuiltinCall): void {
	if (e.name === '__alignof__' || e.name === 'alignof' || e.name === '_Alignof') {
		return checkAlignofExpr(ctx, e);
	}
	const full = e.name.startsWith('__builtin_') ? e.name : `__builtin_${e.name}`;
	const short = full.slice('__builtin_'.length);
	e.type = intType;
	const fail = () => {
		ctx.poison(e);
	};
	switch (short) {
		case 'va_start': {
			const args = builtinArgs(ctx, e, full, 2);
			e.type = voidType;
			if (!args) {
				return fail();
			}
			e.args[0] = checkVaListOperand(ctx, args[0], 'va_start');
			const last = checkExpr(ctx, args[1]);
			e.args[1] = last;
			if (!ctx.fn || !ctx.fn.variadic) {
				ctx.error(e.range, `'va_start' used in function with fixed arguments`);
				return fail();
			}
			const lastParam = ctx.fn.params[ctx.fn.params.length - 1];
			if (!(last.kind === 'Ident' && last.symbol === lastParam) && !ctx.isPoisoned(last)) {
				ctx.warning(last.range, `second parameter of 'va_start' not last named argument`);
			}
			if (ctx.isPoisoned(e.args[0] as Expr) || ctx.isPoisoned(last)) {
				fail();
			}
			return;
		}
		case 'va_end': {
			const args = builtinArgs(ctx, e, full, 1);
			e.type = voidType;
			if (!args) {
				return fail();
			}
			e.args[0] = checkVaListOperand(ctx, args[0], 'va_end');
			if (ctx.isPoisoned(e.args[0] as Expr)) {
				fail();
			}
			return;
		}
		case 'va_copy': {
			const args = builtinArgs(ctx, e, full, 2);
			e.type = voidType;
			if (!args) {
				return fail();
			}
			e.args[0] = checkVaListOperand(ctx, args[0], 'va_copy');
			const src = checkRvalue(ctx, args[1]);
			e.args[1] = src;
			if (!ctx.isPoisoned(src) && !isVaList(src.type!)) {
				ctx.error(src.range, `second argument to 'va_copy' not of type 'va_list'`);
				return fail();
			}
			if (ctx.isPoisoned(e.args[0] as Expr) || ctx.isPoisoned(src)) {
				fail();
			}
			return;
		}
		case 'expect': {
			const args = builtinArgs(ctx, e, full, 2);
			e.type = longType;
			if (!args) {
				return fail();
			}
			const converted = args.map((a, i) => {
				const r = checkRvalue(ctx, a);
				return ctx.isPoisoned(r) ? r : assignConvert(ctx, r, longType, { kind: 'argument', index: i + 1, callee: full });
			});
			e.args = converted;
			if (converted.some(a => ctx.isPoisoned(a))) {
				return fail();
			}
			e.constValue = converted[0].constValue;
			return;
		}
		case 'constant_p': {
			const args = builtinArgs(ctx, e, full, 1);
			if (!args) {
				return fail();
			}
			ctx.unevaluated++;
			let arg: Expr;
			try {
				arg = checkRvalue(ctx, args[0]);
			} finally {
				ctx.unevaluated--;
			}
			e.args[0] = arg;
			const constant = arg.constValue !== undefined || ctx.floatConstants.has(arg) || isStringConstant(arg);
			e.constValue = constant ? 1n : 0n;
			return;
		}
		case 'unreachable':
		case 'trap':
			builtinArgs(ctx, e, full, 0);
			e.type = voidType;
			return;
		case 'types_compatible_p': {
			if (e.args.length !== 2 || e.args.some(a => a.kind !== 'TypeName')) {
				ctx.error(e.range, `'${full}' takes two type names`);
				return fail();
			}
			const a = resolveTypeName(ctx, e.args[0] as TypeName);
			const b = resolveTypeName(ctx, e.args[1] as TypeName);
			e.constValue = compatible(unqual(a), unqual(b), true) ? 1n : 0n;
			return;
		}
		case 'clz':
		case 'clzl':
		case 'clzll':
		case 'ctz':
		case 'ctzl':
		case 'ctzll':
		case 'popcount':
		case 'popcountl':
		case 'popcountll': {
			const width = short.endsWith('ll') ? 'll' : short.endsWith('l') ? 'l' : '';
			const operandType = width === 'll' ? ullongType : width === 'l' ? ulongType : uintType;
			const arg = unaryBuiltinArgument(ctx, e, full, operandType);
			e.type = intType;
			if (!arg) {
				return fail();
			}
			const v = arg.constValue;
			if (v !== undefined) {
				const bits = operandType.size * 8;
				e.constValue = short.startsWith('clz') ? countLeadingZeros(v, bits) : short.startsWith('ctz') ? countTrailingZeros(v, bits) : populationCount(v);
			}
			return;
		}
		case 'bswap16':
		case 'bswap32':
		case 'bswap64': {
			const bytes = Number(short.slice('bswap'.length)) / 8;
			const t = bytes === 2 ? ushortType : bytes === 4 ? uintType : ulongType;
			const arg = unaryBuiltinArgument(ctx, e, full, t);
			e.type = t;
			if (!arg) {
				return fail();
			}
			if (arg.constValue !== undefined) {
				e.constValue = byteSwap(arg.constValue, bytes);
			}
			return;
		}
		case 'offsetof':
			return checkBuiltinOffsetof(ctx, e, full);
		case 'expect_with_probability': {
			const args = builtinArgs(ctx, e, full, 3);
			e.type = longType;
			if (!args) {
				return fail();
			}
			e.args = args.map((a, i) => {
				const r = checkRvalue(ctx, a);
				return ctx.isPoisoned(r) ? r : assignConvert(ctx, r, i < 2 ? longType : doubleType, { kind: 'argument', index: i + 1, callee: full });
			});
			if (e.args.some(a => ctx.isPoisoned(a as Expr))) {
				return fail();
			}
			e.constValue = (e.args[0] as Expr).constValue;
			return;
		}
		case 'prefetch': {
			e.type = voidType;
			if (e.args.length < 1 || e.args.length > 3 || e.args.some(a => a.kind === 'TypeName')) {
				ctx.error(e.range, `'${full}' takes a pointer and up to two constant arguments`);
				return fail();
			}
			e.args = (e.args as Expr[]).map(a => checkRvalue(ctx, a));
			return;
		}
		case 'choose_expr': {
			const args = builtinArgs(ctx, e, full, 3);
			if (!args) {
				return fail();
			}
			const choice = checkRvalue(ctx, args[0]);
			const a = checkRvalue(ctx, args[1]);
			const b = checkRvalue(ctx, args[2]);
			e.args = [choice, a, b];
			if (ctx.isPoisoned(choice) || ctx.isPoisoned(a) || ctx.isPoisoned(b)) {
				return fail();
			}
			if (choice.type?.kind !== 'int' || choice.constValue === undefined) {
				ctx.error(args[0].range, `first argument to '${full}' not a constant`);
				return fail();
			}
			const chosen = choice.constValue !== 0n ? a : b;
			e.type = chosen.type;
			e.constValue = chosen.constValue;
			return;
		}
		case 'ffs':
		case 'ffsl':
		case 'ffsll': {
			const operandType = short === 'ffsll' ? llongType : short === 'ffsl' ? longType : intType;
			const arg = unaryBuiltinArgument(ctx, e, full, operandType);
			e.type = intType;
			if (!arg) {
				return fail();
			}
			const v = arg.constValue;
			if (v !== undefined) {
				const bits = operandType.size * 8;
				e.constValue = v === 0n ? 0n : countTrailingZeros(BigInt.asUintN(bits, v), bits)! + 1n;
			}
			return;
		}
		case 'object_size': {
			const args = builtinArgs(ctx, e, full, 2);
			e.type = sizeType;
			if (!args) {
				return fail();
			}
			const pointer = checkRvalue(ctx, args[0]);
			const kind = checkRvalue(ctx, args[1]);
			e.args = [pointer, kind];
			if (ctx.isPoisoned(pointer) || ctx.isPoisoned(kind)) {
				return fail();
			}
			if (pointer.type?.kind !== 'pointer' || kind.type?.kind !== 'int' || kind.constValue === undefined || kind.constValue < 0n || kind.constValue > 3n) {
				ctx.error(e.range, `invalid arguments to '${full}'`);
				return fail();
			}
			// KC does not track object sizes: "unknown", as gcc answers when it cannot tell.
			e.constValue = kind.constValue >= 2n ? 0n : wrapInt(sizeType, -1n);
			return;
		}
		case 'add_overflow':
		case 'sub_overflow':
		case 'mul_overflow': {
			const args = builtinArgs(ctx, e, full, 3);
			e.type = boolType;
			if (!args) {
				return fail();
			}
			const checkedArgs = args.map(a => checkRvalue(ctx, a));
			e.args = checkedArgs;
			if (checkedArgs.some(a => ctx.isPoisoned(a))) {
				return fail();
			}
			const [a, b, result] = checkedArgs;
			const target = result.type?.kind === 'pointer' ? result.type.to : undefined;
			if (a.type?.kind !== 'int' || b.type?.kind !== 'int') {
				ctx.error(e.range, `operand to '${full}' is not an integer`);
				return fail();
			}
			if (!target || target.kind !== 'int' || target.name === '_Bool' || target.enumTag !== undefined || target.const) {
				ctx.error(result.range, `result argument to '${full}' is not a pointer to a modifiable integer`);
				return fail();
			}
			return;
		}
		case 'huge_val':
		case 'huge_valf':
		case 'huge_vall':
		case 'inf':
		case 'inff':
		case 'infl':
		case 'nan':
		case 'nanf':
		case 'nanl': {
			const isNan = short.startsWith('nan');
			const args = builtinArgs(ctx, e, full, isNan ? 1 : 0);
			const suffix = short.endsWith('f') ? 'f' : short.endsWith('l') && !short.endsWith('val') ? 'l' : '';
			e.type = suffix === 'f' ? floatType : suffix === 'l' ? longDoubleType : doubleType;
			if (!args) {
				return fail();
			}
			if (isNan) {
				const tag = checkRvalue(ctx, args[0]);
				e.args = [tag];
				if (!isStringConstant(tag)) {
					ctx.error(args[0].range, `argument to '${full}' must be a string literal`);
					return fail();
				}
			}
			ctx.floatConstants.set(e, isNan ? Number.NaN : Number.POSITIVE_INFINITY);
			return;
		}
		default:
			return checkLibraryBuiltin(ctx, e, full, short);
	}
}

/**
 * `__builtin_memcpy(...)` and friends: the library function of the same name (its declaration if
 * one is visible, else the standard prototype), called like any function.
 */
function checkLibraryBuiltin(ctx: CheckContext, e: BuiltinCall, full: string, plain: string): void {
	const declared = ctx.scope.lookup(plain);
	const fnType = declared?.kind === 'symbol' && declared.symbol.kind === 'func' ? declared.symbol.type : libraryPrototype(plain);
	if (!fnType || e.args.some(a => a.kind === 'TypeName')) {
		ctx.error(e.range, `unknown builtin '${e.name}'`);
		for (let i = 0; i < e.args.length; i++) {
			const a = e.args[i];
			if (a.kind !== 'TypeName') {
				e.args[i] = checkExpr(ctx, a);
			}
		}
		ctx.poison(e);
		return;
	}
	const checked = checkArguments(ctx, e.args as Expr[], fnType, full, e.range, undefined);
	e.args = checked.args;
	e.type = unqual(fnType.returns);
	if (checked.poisoned) {
		ctx.poison(e);
	}
}

/** Standard prototypes of the library functions gcc also knows as `__builtin_<name>`. */
function libraryPrototype(name: string): FunctionType | undefined {
	const constVoidPtr = pointerTo(qualify(voidType, { const: true }));
	const voidPtr = pointerTo(voidType);
	const constCharPtr = pointerTo(qualify(charType, { const: true }));
	const charPtr = pointerTo(charType);
	const fn = (returns: CType, params: CType[], variadic = false): FunctionType => ({
		kind: 'function',
		returns,
		params: params.map(type => ({ type })),
		variadic,
		unprototyped: false,
	});
	switch (name) {
		case 'memcpy':
		case 'memmove':
			return fn(voidPtr, [voidPtr, constVoidPtr, sizeType]);
		case 'memset':
			return fn(voidPtr, [voidPtr, intType, sizeType]);
		case 'memcmp':
			return fn(intType, [constVoidPtr, constVoidPtr, sizeType]);
		case 'strlen':
			return fn(sizeType, [constCharPtr]);
		case 'strcmp':
			return fn(intType, [constCharPtr, constCharPtr]);
		case 'strncmp':
			return fn(intType, [constCharPtr, constCharPtr, sizeType]);
		case 'strcpy':
		case 'strcat':
			return fn(charPtr, [charPtr, constCharPtr]);
		case 'strncpy':
		case 'strncat':
			return fn(charPtr, [charPtr, constCharPtr, sizeType]);
		case 'strchr':
		case 'strrchr':
			return fn(charPtr, [constCharPtr, intType]);
		case 'abs':
			return fn(intType, [intType]);
		case 'labs':
			return fn(longType, [longType]);
		case 'printf':
			return fn(intType, [constCharPtr], true);
		case 'puts':
			return fn(intType, [constCharPtr]);
		case 'putchar':
			return fn(intType, [intType]);
		case 'malloc':
			return fn(voidPtr, [sizeType]);
		case 'calloc':
			return fn(voidPtr, [sizeType, sizeType]);
		case 'free':
			return fn(voidType, [voidPtr]);
		case 'abort':
			return fn(voidType, []);
		case 'exit':
			return fn(voidType, [intType]);
		default:
			return undefined;
	}
}

/** GNU `__alignof__ expr`: the alignment of the expression's type (of the declared object for a variable). */
function checkAlignofExpr(ctx: CheckContext, e: BuiltinCall): void {
	e.type = sizeType;
	const [arg] = e.args;
	if (e.args.length !== 1 || arg.kind === 'TypeName') {
		if (arg?.kind === 'TypeName') {
			const v = sizeOfForOperator(ctx, e, resolveTypeName(ctx, arg), '__alignof__');
			if (v !== undefined) {
				e.constValue = BigInt(v);
			}
			return;
		}
		ctx.error(e.range, `'__alignof__' takes one operand`);
		ctx.poison(e);
		return;
	}
	ctx.unevaluated++;
	let operand: Expr;
	try {
		operand = checkExpr(ctx, arg);
	} finally {
		ctx.unevaluated--;
	}
	e.args[0] = operand;
	if (ctx.isPoisoned(operand)) {
		ctx.poison(e);
		return;
	}
	let v = sizeOfForOperator(ctx, e, operand.type!, '__alignof__');
	if (v === undefined) {
		return;
	}
	if (operand.kind === 'Ident' && operand.symbol?.kind === 'var') {
		const aligned = operand.symbol.attributes && findAttribute(operand.symbol.attributes, 'aligned');
		const n = aligned && aligned.args[0]?.constValue;
		if (n !== undefined && n !== null && Number(n) > v) {
			v = Number(n);
		}
	}
	e.constValue = BigInt(v);
}

function isStringConstant(e: Expr): boolean {
	return e.kind === 'ImplicitCast' && e.castKind === 'ArrayToPointerDecay' && e.operand.kind === 'StringLiteral';
}

function unaryBuiltinArgument(ctx: CheckContext, e: BuiltinCall, name: string, t: IntType): Expr | undefined {
	const args = builtinArgs(ctx, e, name, 1);
	if (!args) {
		return undefined;
	}
	const r = checkRvalue(ctx, args[0]);
	if (ctx.isPoisoned(r)) {
		e.args[0] = r;
		return undefined;
	}
	const converted = assignConvert(ctx, r, t, { kind: 'argument', index: 1, callee: name });
	e.args[0] = converted;
	return ctx.isPoisoned(converted) ? undefined : converted;
}

/** `__builtin_offsetof(T, a.b[2])` reaching the checker as a call: the member designator is an expression. */
function checkBuiltinOffsetof(ctx: CheckContext, e: BuiltinCall, name: string): void {
	e.type = sizeType;
	const [typeArg, designator] = e.args;
	if (e.args.length !== 2 || typeArg.kind !== 'TypeName' || designator.kind === 'TypeName') {
		ctx.error(e.range, `'${name}' takes a type name and a member designator`);
		ctx.poison(e);
		return;
	}
	const path: OffsetofExpr['path'][number][] = [];
	let cur: Expr = designator;
	for (let steps = 0; steps < 1000; steps++) {
		if (cur.kind === 'Ident') {
			path.unshift({ kind: 'field', name: cur.name });
			break;
		}
		if (cur.kind === 'Member' && !cur.arrow) {
			path.unshift({ kind: 'field', name: cur.name });
			cur = cur.base;
			continue;
		}
		if (cur.kind === 'Index') {
			path.unshift({ kind: 'index', index: cur.index });
			cur = cur.base;
			continue;
		}
		ctx.error(designator.range, `expected identifier in '${name}' member designator`);
		ctx.poison(e);
		return;
	}
	const t = resolveTypeName(ctx, typeArg);
	const offset = offsetOfPath(ctx, e, t, path);
	if (offset === undefined) {
		ctx.poison(e);
		return;
	}
	e.constValue = offset;
}
