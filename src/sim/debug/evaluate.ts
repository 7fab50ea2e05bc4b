// KC expressions in a stopped frame (layer: sim): the debugger's `evaluate`, watch expressions,
// hovers, breakpoint conditions and logpoint `{expr}` parts. The text goes through the real front
// end: the preprocessor and parser read it as the single expression statement of a function, and
// the checker types it in a scope holding the frame's visible locals and parameters, the program's
// globals and functions (and, in kernel frames, the kernel headers' integer constants such as
// VM_PFNMAP), with every struct, union and enum tag the program's types reach. The checked tree is
// then evaluated here, node by node, with the checker's conversions (ImplicitCast) applied as the
// CPU would.
//
// Evaluation has no side effects on the machine: memory is read without TLB fills or accessed bits,
// and calls, increments, compound assignments and statement expressions are refused. Plain
// assignment (`x = 3`) is allowed only when the caller asks for it (the REPL), and writes as
// setVariable does.

import type { Expr, FuncSymbol, Symbol as LangSymbol, VarSymbol, EnumConstSymbol } from '../../lang/ast';
import { CheckContext, newSymbolId } from '../../lang/checkContext';
import { checkRvalue } from '../../lang/checkExpr';
import { parse } from '../../lang/parser';
import { memorySources, preprocess } from '../../lang/preprocessor';
import { Scope } from '../../lang/scope';
import { pointRange, type SourceRange } from '../../lang/source';
import { intTypesByName, pointerTo, sizeOf, typeToString, unqualified, type CType, type StructType } from '../../lang/types';
import type { Value } from '../../interp/contracts';
import type { FunctionInfo, LocalInfo, Program } from '../../interp/program';
import { collectTaggedTypes } from '../../kernel/inspect/debugInfo';
import { locateLocal, visibleLocals, type Frame } from '../../interp/thread';
import { convInt, intToPtr, ptrToInt } from '../../interp/values';
import { InspectError } from '../../kernel/inspect';
import { addressOf, scalarOf, writeScalar, type AddressSpaceView, type TypedValue } from './values';

/** The file name diagnostics of an expression carry. */
export const EXPRESSION_FILE = '<expression>';

/** Where an expression is evaluated. */
export interface EvaluationScope {
	/** The frame whose locals are visible (undefined: globals only). */
	readonly frame?: Frame;
	/** The program whose globals and functions are visible. */
	readonly program: Program;
	/** Other programs whose external globals are visible too (the kernel's modules). */
	readonly morePrograms?: readonly Program[];
	/** Integer constants visible as enumerators (kernel header macros in kernel frames). */
	readonly constants?: ReadonlyMap<string, bigint>;
	readonly space: AddressSpaceView;
}

/** An evaluation error (a message the user sees; never a host exception). */
export class EvaluationError extends Error {}

/** The checked expression and what its identifiers denote. */
export interface CompiledExpression {
	readonly expr: Expr;
	readonly bindings: ReadonlyMap<LangSymbol, TypedValue>;
}

/** Per program: symbols of its globals and functions, and the tags its types reach (built once). */
interface ProgramScope {
	readonly globals: Map<string, { readonly symbol: VarSymbol; readonly address: number }>;
	readonly internals: Map<string, Map<string, { readonly symbol: VarSymbol; readonly address: number }>>;
	readonly functions: Map<string, { readonly symbol: FuncSymbol; readonly fn: FunctionInfo }>;
	readonly tags: Map<string, StructType>;
	readonly unionTags: Map<string, StructType>;
}

const programScopes = new WeakMap<Program, ProgramScope>();
const constantSymbols = new WeakMap<ReadonlyMap<string, bigint>, Map<string, EnumConstSymbol>>();

const NO_RANGE: SourceRange = pointRange(EXPRESSION_FILE, 1, 1);

function varSymbol(name: string, type: CType, storage: VarSymbol['storage'], inMemory: boolean): VarSymbol {
	return { kind: 'var', name, id: newSymbolId(), type, storage, linkage: storage === 'global' ? 'external' : 'none', addressTaken: inMemory, isDefinition: true, range: NO_RANGE };
}


function programScope(program: Program): ProgramScope {
	const cached = programScopes.get(program);
	if (cached !== undefined) return cached;
	const globals = new Map<string, { symbol: VarSymbol; address: number }>();
	const internals = new Map<string, Map<string, { symbol: VarSymbol; address: number }>>();
	const tags = new Map<string, StructType>();
	const unionTags = new Map<string, StructType>();
	const seen = new Set<CType>();
	for (const [key, symbol] of program.globals) {
		const colon = key.lastIndexOf(':');
		const entry = { symbol: varSymbol(colon < 0 ? key : key.slice(colon + 1), symbol.type, 'global', true), address: symbol.address };
		if (colon < 0) globals.set(key, entry);
		else {
			const file = key.slice(0, colon);
			let perFile = internals.get(file);
			if (perFile === undefined) internals.set(file, perFile = new Map());
			perFile.set(key.slice(colon + 1), entry);
		}
		collectTaggedTypes(symbol.type, tags, unionTags, seen);
	}
	const functions = new Map<string, { symbol: FuncSymbol; fn: FunctionInfo }>();
	for (const fn of program.functions) {
		if (fn.type === undefined || functions.has(fn.name)) continue;
		functions.set(fn.name, { symbol: { kind: 'func', name: fn.name, id: newSymbolId(), type: fn.type, linkage: 'external', range: NO_RANGE }, fn });
		collectTaggedTypes(fn.type, tags, unionTags, seen);
		for (const local of fn.locals) collectTaggedTypes(local.type, tags, unionTags, seen);
	}
	const scope = { globals, internals, functions, tags, unionTags };
	programScopes.set(program, scope);
	return scope;
}

function constantSymbolsOf(constants: ReadonlyMap<string, bigint>): Map<string, EnumConstSymbol> {
	let map = constantSymbols.get(constants);
	if (map !== undefined) return map;
	map = new Map();
	for (const [name, value] of constants) {
		const signed = value < 1n << 63n;
		map.set(name, { kind: 'enumconst', name, id: newSymbolId(), value: signed ? value : BigInt.asIntN(64, value), type: signed ? intTypesByName['long'] : intTypesByName['unsigned long'], range: NO_RANGE });
	}
	constantSymbols.set(constants, map);
	return map;
}

/** Where a local of the frame lives, as a typed value. */
export function localValue(frame: Frame, local: LocalInfo): TypedValue {
	const where = locateLocal(frame, local);
	if (where.address !== undefined) return { type: local.type, location: { kind: 'memory', address: where.address } };
	return { type: local.type, location: { kind: 'register', frame, slot: local.slot } };
}

/**
 * Parses and checks `text` in `scope`. Throws EvaluationError with the front end's first error
 * (`1:5: error: ...` positions within the expression).
 */
export function compileExpression(text: string, scope: EvaluationScope): CompiledExpression {
	if (/[\r\n]/.test(text)) throw new EvaluationError('an expression is one line');
	if (text.trim() === '') throw new EvaluationError('empty expression');
	// The expression is line 2 of a one-statement function, so its columns are its own.
	const source = `void __faultline_evaluate(void) {\n${text} ;}\n`;
	const preprocessed = preprocess(EXPRESSION_FILE, memorySources({ [EXPRESSION_FILE]: source }, []));
	const parsed = parse(preprocessed.tokens, EXPRESSION_FILE);
	const syntax = [...preprocessed.diagnostics, ...parsed.diagnostics].find(d => d.severity === 'error');
	if (syntax !== undefined) throw new EvaluationError(`${syntax.range.line - 1}:${syntax.range.col}: ${syntax.message}`);
	const def = parsed.tree.decls[0];
	const items = def?.kind === 'FunctionDef' ? def.body.items : [];
	const first = items[0];
	if (parsed.tree.decls.length !== 1 || first === undefined || first.kind !== 'ExprStmt' || items.length > 2 || (items.length === 2 && items[1].kind !== 'Empty')) {
		throw new EvaluationError('not a single expression');
	}
	const ctx = new CheckContext({ warnings: false });
	const bindings = new Map<LangSymbol, TypedValue>();
	const programs = [scope.program, ...(scope.morePrograms ?? [])];
	// File scope: constants, then other programs' externals, then this program's (later wins).
	if (scope.constants !== undefined) for (const [name, symbol] of constantSymbolsOf(scope.constants)) ctx.fileScope.ordinary.set(name, { kind: 'symbol', symbol });
	for (const program of [...programs].reverse()) {
		const ps = programScope(program);
		for (const [tag, type] of ps.tags) ctx.fileScope.tags.set(tag, { kind: 'struct', type, range: NO_RANGE });
		for (const [tag, type] of ps.unionTags) if (!ctx.fileScope.tags.has(tag)) ctx.fileScope.tags.set(tag, { kind: 'struct', type, range: NO_RANGE });
		for (const [name, entry] of ps.functions) {
			ctx.fileScope.ordinary.set(name, { kind: 'symbol', symbol: entry.symbol });
			bindings.set(entry.symbol, { type: entry.fn.type!, location: { kind: 'memory', address: entry.fn.address } });
		}
		for (const [name, entry] of ps.globals) {
			ctx.fileScope.ordinary.set(name, { kind: 'symbol', symbol: entry.symbol });
			bindings.set(entry.symbol, { type: entry.symbol.type, location: { kind: 'memory', address: entry.address } });
		}
	}
	const frame = scope.frame;
	const file = frame?.statementInfo?.range.file ?? frame?.fn.range?.file;
	const fileStatics = file === undefined ? undefined : programScope(scope.program).internals.get(file);
	for (const [name, entry] of fileStatics ?? []) {
		ctx.fileScope.ordinary.set(name, { kind: 'symbol', symbol: entry.symbol });
		bindings.set(entry.symbol, { type: entry.symbol.type, location: { kind: 'memory', address: entry.address } });
	}
	if (frame !== undefined) {
		ctx.scope = new Scope('block', ctx.fileScope);
		for (const local of visibleLocals(frame)) {
			const value = localValue(frame, local);
			const symbol = varSymbol(local.name, local.type, local.kind === 'param' ? 'param' : local.kind === 'static' ? 'global' : 'local', value.location.kind === 'memory');
			ctx.scope.ordinary.set(local.name, { kind: 'symbol', symbol });
			bindings.set(symbol, value);
		}
	}
	const expr = checkRvalue(ctx, first.expr);
	const error = ctx.diagnostics.find(d => d.severity === 'error');
	if (error !== undefined) throw new EvaluationError(`${error.range.line - 1}:${error.range.col}: ${error.message}`);
	return { expr, bindings };
}

/** Options of evaluateExpression. */
export interface EvaluateOptions {
	/** Allow `lvalue = value` (writes the machine). */
	readonly allowAssignment?: boolean;
}

/** Compiles and evaluates `text`; the result is an rvalue, or an lvalue for the Variables view to expand. */
export function evaluateExpression(text: string, scope: EvaluationScope, options: EvaluateOptions = {}): TypedValue {
	const compiled = compileExpression(text, scope);
	return new Evaluator(compiled.bindings, scope.space, options).lvalueOrValue(compiled.expr);
}

/** True when `text` is an assignment (`lvalue = value`): evaluating it writes the machine. */
export function isAssignment(text: string, scope: EvaluationScope): boolean {
	return compileExpression(text, scope).expr.kind === 'Assign';
}

/** True when a value is non-zero (conditions). */
export function isTrue(tv: TypedValue, space: AddressSpaceView): boolean {
	const t = unqualified(tv.type);
	if (t.kind !== 'int' && t.kind !== 'pointer' && t.kind !== 'float') throw new EvaluationError(`a condition must be a scalar, not ${typeToString(t)}`);
	const v = scalarOf(tv, space);
	return typeof v === 'bigint' ? v !== 0n : v !== 0;
}

function big(v: Value): bigint {
	return typeof v === 'bigint' ? v : BigInt(Math.trunc(v));
}

class Evaluator {
	constructor(
		private readonly bindings: ReadonlyMap<LangSymbol, TypedValue>,
		private readonly space: AddressSpaceView,
		private readonly options: EvaluateOptions,
	) {}

	/** The expression with its outermost load undone, so objects keep their address for expansion. */
	lvalueOrValue(e: Expr): TypedValue {
		if (e.kind === 'ImplicitCast' && e.castKind === 'LValueToRValue') {
			const inner = this.eval(e.operand);
			if (inner.location.kind === 'memory' || inner.location.kind === 'register') return inner;
		}
		if (e.kind === 'ImplicitCast' && e.castKind === 'ArrayToPointerDecay') {
			const inner = this.eval(e.operand);
			if (inner.location.kind === 'memory') return inner;
		}
		return this.eval(e);
	}

	private rvalue(type: CType, value: Value | undefined): TypedValue {
		return { type, location: { kind: 'rvalue', value } };
	}

	private value(e: Expr): Value {
		const tv = this.eval(e);
		try {
			return scalarOf(tv, this.space);
		} catch (error) {
			throw new EvaluationError(error instanceof InspectError ? `cannot read ${exprName(e)}: ${error.message}` : String(error));
		}
	}

	eval(e: Expr): TypedValue {
		const type = e.type!;
		if (e.constValue !== undefined && unqualified(type).kind === 'int') {
			const t = unqualified(type) as Extract<CType, { kind: 'int' }>;
			return this.rvalue(type, convInt(e.constValue, t.size, t.signed));
		}
		switch (e.kind) {
			case 'IntLiteral':
			case 'CharLiteral':
				return this.rvalue(type, convInt(BigInt(e.value), sizeOf(type), (unqualified(type) as { signed?: boolean }).signed ?? true));
			case 'FloatLiteral':
				return this.rvalue(type, e.value);
			case 'Ident': {
				const bound = e.symbol === undefined ? undefined : this.bindings.get(e.symbol);
				if (bound === undefined) throw new EvaluationError(`'${e.name}' has no value here`);
				return bound;
			}
			case 'ImplicitCast':
				return this.convert(e.castKind, e.operand, type);
			case 'Cast':
				return this.convert(e.castKind ?? 'NoOp', e.operand, type);
			case 'Unary':
				return this.unary(e.op, e.operand, type);
			case 'Binary':
				return this.binary(e, type);
			case 'Conditional': {
				const cond = this.value(e.cond);
				return this.eval(big(cond) !== 0n ? e.then : e.otherwise);
			}
			case 'Index': {
				const base = Number(this.value(e.base));
				const index = big(this.value(e.index));
				return { type, location: { kind: 'memory', address: intToPtr(BigInt(base) + index * BigInt(e.scale ?? sizeOf(type))) } };
			}
			case 'Member': {
				const offset = e.offset ?? 0;
				let base: number;
				if (e.arrow) base = Number(this.value(e.base));
				else {
					const object = this.eval(e.base);
					const at = addressOf(object);
					if (at === undefined) throw new EvaluationError(`${exprName(e.base)} is not in memory`);
					base = at;
				}
				if (base === 0) throw new EvaluationError(`${exprName(e.base)} is NULL`);
				const field = e.field;
				return { type, location: { kind: 'memory', address: intToPtr(base + offset) }, ...(field?.bitWidth !== undefined ? { bitField: field } : {}) };
			}
			case 'Assign': {
				if (this.options.allowAssignment !== true || e.op !== '=') throw new EvaluationError('assignments are not evaluated here (use the Variables view or the debug console)');
				const target = this.eval(e.target);
				const value = this.value(e.value);
				try {
					writeScalar(target, value, this.space);
				} catch (error) {
					throw new EvaluationError(`cannot write ${exprName(e.target)}: ${error instanceof Error ? error.message : String(error)}`);
				}
				return this.rvalue(type, value);
			}
			case 'StringLiteral':
				throw new EvaluationError('string literals have no address in the stopped machine');
			case 'Call':
				throw new EvaluationError('function calls are not evaluated (they would run the machine)');
			default:
				throw new EvaluationError(`${e.kind} expressions are not evaluated`);
		}
	}

	private convert(kind: string, operand: Expr, to: CType): TypedValue {
		const target = unqualified(to);
		switch (kind) {
			case 'LValueToRValue': {
				const from = this.eval(operand);
				const t = unqualified(from.type);
				if (t.kind === 'struct' || t.kind === 'array') return from;
				try {
					return this.rvalue(to, scalarOf(from, this.space));
				} catch (error) {
					throw new EvaluationError(`cannot read ${exprName(operand)}: ${error instanceof Error ? error.message : String(error)}`);
				}
			}
			case 'ArrayToPointerDecay':
			case 'FunctionToPointerDecay': {
				const from = this.eval(operand);
				const at = addressOf(from);
				if (at === undefined) throw new EvaluationError(`${exprName(operand)} has no address`);
				return this.rvalue(to, at);
			}
			case 'ToVoid':
				this.eval(operand);
				return this.rvalue(to, undefined);
			case 'NullToPointer':
				return this.rvalue(to, 0);
			default:
				break;
		}
		const value = this.value(operand);
		const from = unqualified(operand.type!);
		switch (kind) {
			case 'IntegralCast':
				return this.rvalue(to, target.kind === 'int' ? convInt(value, target.size, target.signed) : value);
			case 'IntegralToBoolean':
			case 'PointerToBoolean':
			case 'FloatingToBoolean':
				return this.rvalue(to, big(value) !== 0n || (typeof value === 'number' && value !== 0) ? 1 : 0);
			case 'IntegralToFloating':
				return this.rvalue(to, target.kind === 'float' && target.size === 4 ? Math.fround(Number(value)) : Number(value));
			case 'FloatingToIntegral':
				if (!Number.isFinite(Number(value))) throw new EvaluationError('a floating value out of the integer range');
				return this.rvalue(to, target.kind === 'int' ? convInt(BigInt(Math.trunc(Number(value))), target.size, target.signed) : value);
			case 'FloatingCast':
				return this.rvalue(to, target.kind === 'float' && target.size === 4 ? Math.fround(Number(value)) : Number(value));
			case 'PointerToIntegral':
				return this.rvalue(to, target.kind === 'int' ? ptrToInt(Number(value), target.size, target.signed) : value);
			case 'IntegralToPointer':
				return this.rvalue(to, intToPtr(value));
			default:
				// BitCast, NoOp: the same bits (pointer to pointer, same-size integers).
				void from;
				return this.rvalue(to, value);
		}
	}

	private unary(op: string, operand: Expr, type: CType): TypedValue {
		switch (op) {
			case '*': {
				const p = Number(this.value(operand));
				if (p === 0) throw new EvaluationError(`${exprName(operand)} is NULL`);
				return { type, location: { kind: 'memory', address: p } };
			}
			case '&': {
				const object = this.eval(operand);
				const at = addressOf(object);
				if (at === undefined) throw new EvaluationError(`${exprName(operand)} lives in a register (its address was never taken)`);
				return this.rvalue(type, at);
			}
			case '+':
				return this.rvalue(type, this.value(operand));
			case '-':
			case '~':
			case '!': {
				const v = this.value(operand);
				const t = unqualified(type);
				if (t.kind === 'float') return this.rvalue(type, t.size === 4 ? Math.fround(-Number(v)) : -Number(v));
				if (op === '!') return this.rvalue(type, typeof v === 'number' ? (v === 0 ? 1 : 0) : v === 0n ? 1 : 0);
				const it = t as Extract<CType, { kind: 'int' }>;
				return this.rvalue(type, convInt(op === '-' ? -big(v) : ~big(v), it.size, it.signed));
			}
			default:
				throw new EvaluationError(`${op.replace('pre', '').replace('post', '')} has a side effect: not evaluated`);
		}
	}

	private binary(e: Extract<Expr, { kind: 'Binary' }>, type: CType): TypedValue {
		if (e.op === '&&' || e.op === '||') {
			const left = big(this.value(e.left)) !== 0n || this.nonZeroFloat(e.left);
			if (e.op === '&&' ? !left : left) return this.rvalue(type, e.op === '&&' ? 0 : 1);
			const right = big(this.value(e.right)) !== 0n || this.nonZeroFloat(e.right);
			return this.rvalue(type, right ? 1 : 0);
		}
		if (e.op === ',') {
			this.eval(e.left);
			return this.eval(e.right);
		}
		const lt = unqualified(e.left.type!);
		const rt = unqualified(e.right.type!);
		const a = this.value(e.left);
		const b = this.value(e.right);
		// Pointer arithmetic.
		if ((e.op === '+' || e.op === '-') && (lt.kind === 'pointer' || rt.kind === 'pointer')) {
			const scale = BigInt(e.pointerScale ?? 1);
			if (lt.kind === 'pointer' && rt.kind === 'pointer') {
				const diff = (BigInt(Number(a)) - BigInt(Number(b))) / scale;
				return this.rvalue(type, convInt(diff, 8, true));
			}
			const [p, n] = lt.kind === 'pointer' ? [Number(a), big(b)] : [Number(b), big(a)];
			return this.rvalue(type, intToPtr(BigInt(p) + (e.op === '+' ? n : -n) * scale));
		}
		const result = unqualified(type);
		const comparison = ['<', '>', '<=', '>=', '==', '!='].includes(e.op);
		const operandType = comparison ? lt : result;
		if (operandType.kind === 'float' || lt.kind === 'float') {
			const x = Number(a);
			const y = Number(b);
			const r = floatOp(e.op, x, y);
			if (comparison) return this.rvalue(type, r ? 1 : 0);
			return this.rvalue(type, result.kind === 'float' && result.size === 4 ? Math.fround(Number(r)) : Number(r));
		}
		const signed = operandType.kind === 'int' ? operandType.signed : false;
		const size = operandType.kind === 'int' ? operandType.size : 8;
		const x = lt.kind === 'pointer' ? BigInt(Number(a)) : normalize(big(a), size, signed);
		const y = rt.kind === 'pointer' ? BigInt(Number(b)) : normalize(big(b), size, signed);
		if (comparison) return this.rvalue(type, compare(e.op, x, y) ? 1 : 0);
		if ((e.op === '/' || e.op === '%') && y === 0n) throw new EvaluationError('division by zero');
		const it = result as Extract<CType, { kind: 'int' }>;
		let r: bigint;
		switch (e.op) {
			case '*': r = x * y; break;
			case '/': r = x / y; break;
			case '%': r = x % y; break;
			case '+': r = x + y; break;
			case '-': r = x - y; break;
			case '<<': r = x << (y & 63n); break;
			case '>>': r = normalize(x, it.size, it.signed) >> (y & 63n); break;
			case '&': r = x & y; break;
			case '|': r = x | y; break;
			case '^': r = x ^ y; break;
			default: throw new EvaluationError(`operator ${e.op} is not evaluated`);
		}
		return this.rvalue(type, convInt(r, it.size, it.signed));
	}

	private nonZeroFloat(e: Expr): boolean {
		const t = unqualified(e.type!);
		return t.kind === 'float' && Number(this.value(e)) !== 0;
	}
}

function normalize(v: bigint, size: number, signed: boolean): bigint {
	return signed ? BigInt.asIntN(size * 8, v) : BigInt.asUintN(size * 8, v);
}

function compare(op: string, x: bigint, y: bigint): boolean {
	switch (op) {
		case '<': return x < y;
		case '>': return x > y;
		case '<=': return x <= y;
		case '>=': return x >= y;
		case '==': return x === y;
		default: return x !== y;
	}
}

function floatOp(op: string, x: number, y: number): number | boolean {
	switch (op) {
		case '*': return x * y;
		case '/': return x / y;
		case '+': return x + y;
		case '-': return x - y;
		case '<': return x < y;
		case '>': return x > y;
		case '<=': return x <= y;
		case '>=': return x >= y;
		case '==': return x === y;
		case '!=': return x !== y;
		default: throw new EvaluationError(`operator ${op} does not apply to floating values`);
	}
}

function exprName(e: Expr): string {
	switch (e.kind) {
		case 'Ident': return e.name;
		case 'ImplicitCast': return exprName(e.operand);
		case 'Member': return `${exprName(e.base)}${e.arrow ? '->' : '.'}${e.name}`;
		case 'Index': return `${exprName(e.base)}[...]`;
		case 'Unary': return `${e.op}${exprName(e.operand)}`;
		default: return 'the expression';
	}
}

/** The pointer type to `type` (for `&x` results shown in the REPL). */
export function pointerType(type: CType): CType {
	return pointerTo(type);
}
