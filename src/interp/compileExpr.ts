// The expression half of the KC compiler (layer: interp): emission primitives (labels, temporaries,
// exits), expressions in three-address form, lvalues, loads and stores, calls and builtins. The
// statement half (compiler.ts) extends it; see compiler.ts for the design and its invariants.

import type { SourceRange } from '../lang/source';
import type { Assign, Binary, BuiltinCall, Call, CheckedInit, Declaration, Expr, FuncSymbol, FunctionDef, Index, Member, Stmt, StmtExpr, Unary, VarSymbol } from '../lang/ast';
import { intType, sizeOf, alignOf, type CType, type Field, type FunctionType } from '../lang/types';
import type { BuiltinAction } from './contracts';
import type { FunctionInfo, LocalInfo } from './program';
import { Exit } from './runtime';
import {
	BOUNDS_UB,
	COMPARE,
	JS_SIMPLE,
	LOADS,
	OP_NAMES,
	SAVE_MARKER,
	STORES,
	UNSIGNED_SMALL,
	elementSize,
	intLit,
	intersect,
	mayWriteRegisters,
	numLit,
	vk,
	wrapConst,
	type LValue,
	type LoopTargets,
	type VarLoc,
} from './compileSupport';

/** What the compiler needs from the linker. */
export interface CompileEnv {
	/** Absolute address of a global or static object; reports an undefined reference (then returns 0). */
	globalAddress(sym: VarSymbol, at: SourceRange): number;
	/** The function a symbol refers to, or undefined (an undefined reference, reported). */
	functionFor(sym: FuncSymbol, at: SourceRange): FunctionInfo | undefined;
	/** The builtin (or KC function) named `name`, for `__builtin_name` spellings; undefined if none (reported). */
	functionNamed(name: string, at: SourceRange): FunctionInfo | undefined;
	/** Address of an interned string literal of this translation unit (NUL-terminated). */
	internString(bytes: Uint8Array, wide: boolean): number;
	/** Registers a pause point and returns its statement id. */
	addStatement(range: SourceRange, fn: string): number;
	error(message: string, range: SourceRange): void;
}

/**
 * Compiles expressions of one function into the state machine's statements (see compiler.ts).
 * Subclasses compile statements (`compileStmt`), which statement expressions need.
 */
export abstract class ExprCompiler {
	protected out: string[] = [];
	/** Statement id of each label. */
	protected readonly labelStatement: number[] = [];
	protected readonly checkLabels: number[] = [];
	/** Labels placed into the current buffer (to decide whether a branch can stay a JS `if`). */
	protected labelsPlaced = 0;
	protected resume = 0;
	protected dirty = false;
	protected statement = -1;
	protected firstStatement = -1;

	protected nslots = 0;
	protected readonly written = new Set<number>();
	protected tempBase = 0;
	protected tempTop = 0;
	protected maxTemps = 0;
	/** Temporaries below tempBase + liveAcrossTop were allocated at some label (see place()). */
	protected liveAcrossTop = 0;
	protected frameSize = 0;

	protected readonly vars = new Map<number, VarLoc>();
	protected readonly constants: unknown[] = [];
	protected readonly constantIndex = new Map<unknown, number>();
	protected readonly locals: LocalInfo[] = [];

	/** Register locals definitely assigned at the current point (symbol ids). */
	protected assigned = new Set<number>();
	protected readonly paramIds = new Set<number>();
	protected readonly loops: LoopTargets[] = [];
	protected readonly gotoLabels = new Map<string, number>();
	protected caseLabels = new Map<Stmt, number>();
	protected switchAssigned: Set<number> | undefined;
	protected readonly blocks: SourceRange[] = [];
	protected readonly fnName: string;
	protected readonly isMain: boolean;
	protected readonly returnType: CType;

	constructor(
		protected readonly def: FunctionDef,
		protected readonly info: FunctionInfo,
		protected readonly env: CompileEnv,
	) {
		this.fnName = info.name;
		this.isMain = info.name === 'main';
		this.returnType = def.symbol?.type.returns ?? intType;
	}

	// ---- Frame layout ----------------------------------------------------------------------------

	protected declareLocal(l: VarSymbol): void {
		if (this.vars.has(l.id)) return;
		if (l.storage === 'global') {
			const address = this.env.globalAddress(l, l.range);
			this.vars.set(l.id, { kind: 'static', address });
			return;
		}
		const inMemory = l.addressTaken || l.type.kind === 'struct' || l.type.kind === 'array';
		if (inMemory) {
			const size = Math.max(sizeOf(l.type), 1);
			const offset = this.allocFrame(size, Math.max(alignOf(l.type), this.alignAttribute(l)));
			this.vars.set(l.id, { kind: 'stack', offset });
		} else {
			const slot = this.nslots++;
			this.vars.set(l.id, { kind: 'reg', slot });
		}
	}

	protected allocFrame(size: number, align: number): number {
		const a = Math.max(1, align);
		const offset = Math.ceil(this.frameSize / a) * a;
		this.frameSize = offset + size;
		return offset;
	}

	// ---- Emission primitives -------------------------------------------------------------------------

	protected emit(line: string): void {
		this.out.push(line);
	}

	protected newLabel(): number {
		const l = this.labelStatement.length;
		this.labelStatement.push(this.statement);
		return l;
	}

	/** Places label `l` here: a resume point and jump target. */
	protected place(l: number): void {
		// Temporaries allocated now may hold values that code after this label reads: they must be
		// saved on exits and reloaded on entry. Others never live across a resume point.
		if (this.tempTop > this.liveAcrossTop) this.liveAcrossTop = this.tempTop;
		this.labelStatement[l] = this.statement;
		this.emit(`case ${l}:`);
		this.labelsPlaced++;
		this.resume = l;
		this.dirty = false;
	}

	protected placeLabel(): number {
		const l = this.newLabel();
		this.place(l);
		return l;
	}

	protected jump(l: number): string {
		return `pc = ${l}; continue M;`;
	}

	/** Makes the next memory access re-executable: places a label if a side effect happened since the last one. */
	protected touch(): void {
		if (this.dirty) this.placeLabel();
	}

	protected faultCheck(): void {
		this.emit(`if (m.fault !== null) { pc = ${this.resume}; cpu.ex = ${Exit.Fault}; break M; }`);
	}

	protected ubExit(message: string): string {
		return `{ cpu.ubMessage = ${this.konst(message)}; pc = ${this.resume}; cpu.ex = ${Exit.Ub}; break M; }`;
	}

	protected konst(value: unknown): string {
		let i = this.constantIndex.get(value);
		if (i === undefined) {
			i = this.constants.length;
			this.constants.push(value);
			this.constantIndex.set(value, i);
		}
		return `k${i}`;
	}

	protected allocTemp(): string {
		const slot = this.tempBase + this.tempTop++;
		if (this.tempTop > this.maxTemps) this.maxTemps = this.tempTop;
		this.written.add(slot);
		return `$${slot}`;
	}

	/** Makes `code` safe to evaluate more than once: a temporary unless already trivial. */
	protected once(code: string): string {
		if (JS_SIMPLE.test(code)) return code;
		const t = this.allocTemp();
		this.emit(`${t} = ${code};`);
		return t;
	}

	/**
	 * Like `once`, and also copies a register variable (which a later write in the same expression
	 * could change) into a temporary, so the value is the one read now.
	 */
	protected freeze(code: string): string {
		const reg = /^\$(\d+)$/.exec(code);
		if (reg !== null && Number(reg[1]) < this.tempBase) {
			const t = this.allocTemp();
			this.emit(`${t} = ${code};`);
			return t;
		}
		return this.once(code);
	}

	/** Compiles `fn` into a separate buffer; returns its lines and whether it placed labels. */
	protected sub(fn: () => void): { lines: string[]; labels: number } {
		const savedOut = this.out;
		const savedPlaced = this.labelsPlaced;
		this.out = [];
		this.labelsPlaced = 0;
		fn();
		const lines = this.out;
		const labels = this.labelsPlaced;
		this.out = savedOut;
		this.labelsPlaced = savedPlaced + labels;
		return { lines, labels };
	}

	protected error(message: string, range: SourceRange): void {
		this.env.error(message, range);
	}

	// ---- Statement checks and declarations (shared with statement expressions) --------------------

	/** Starts statement `range`: registers it and emits its check (pause point). */
	protected check(range: SourceRange): void {
		const id = this.env.addStatement(range, this.fnName);
		if (this.firstStatement < 0) this.firstStatement = id;
		this.statement = id;
		const l = this.newLabel();
		this.labelStatement[l] = id;
		this.emit(`case ${l}: if (--b < 0 || bp[${id}] !== 0) { pc = ${l}; break M; }`);
		this.labelsPlaced++;
		this.checkLabels.push(l);
		this.placeLabel();
	}

	protected compileDeclaration(d: Declaration, noCheck = false): void {
		const vars = d.vars ?? [];
		let checked = noCheck;
		const scopeEnd = this.blocks[this.blocks.length - 1];
		for (const { symbol, init } of vars) {
			this.declareLocal(symbol);
			const loc = this.vars.get(symbol.id)!;
			const scope: SourceRange = scopeEnd
				? { file: symbol.range.file, line: symbol.range.line, col: symbol.range.col, endLine: scopeEnd.endLine, endCol: scopeEnd.endCol }
				: symbol.range;
			switch (loc.kind) {
				case 'reg':
					this.addLocal(symbol, 'local', 'reg', loc.slot, 0, 0, scope);
					break;
				case 'stack':
					this.addLocal(symbol, 'local', 'stack', 0, loc.offset, 0, scope);
					break;
				case 'static':
					this.addLocal(symbol, 'static', 'static', 0, 0, loc.address, scope);
					break;
				default:
					break;
			}
			if (loc.kind === 'static') continue;
			if (!init) {
				if (loc.kind === 'reg') {
					// Each time control reaches the declaration the variable is indeterminate again.
					this.emit(`$${loc.slot} = undefined;`);
					this.written.add(loc.slot);
					this.assigned.delete(symbol.id);
				}
				continue;
			}
			if (!checked) {
				this.check(d.range);
				checked = true;
			}
			const savedTop = this.tempTop;
			if (loc.kind === 'reg') {
				const value = init.kind === 'expr' ? this.expr(init.expr) : this.scalarFromList(init, symbol.type);
				this.emit(`$${loc.slot} = ${value};`);
				this.written.add(loc.slot);
				this.dirty = true;
				this.assigned.add(symbol.id);
			} else {
				this.initMemory(this.locAddress(loc), symbol.type, init);
			}
			this.tempTop = savedTop;
		}
	}

	/** Initializes the object at `addr` (a pure expression) of type `type`. */
	protected initMemory(addr: string, type: CType, init: CheckedInit): void {
		const a = this.once(addr);
		if (init.kind === 'expr') {
			const e = init.expr;
			if (type.kind === 'array' && e.kind === 'StringLiteral') {
				this.touch();
				const size = sizeOf(type);
				const bytes = new Uint8Array(size);
				bytes.set(e.bytes.subarray(0, size));
				this.emit(`m.write(${a}, ${this.konst(bytes)});`);
				this.faultCheck();
				this.dirty = true;
				return;
			}
			if (type.kind === 'struct' || type.kind === 'array') {
				const src = this.expr(e);
				this.touch();
				this.emit(`m.copy(${a}, ${src}, ${sizeOf(type)});`);
				this.faultCheck();
				this.dirty = true;
				return;
			}
			this.storeMem(a, type, this.expr(e));
			return;
		}
		this.touch();
		this.emit(`m.fill(${a}, 0, ${init.size});`);
		this.faultCheck();
		this.dirty = true;
		for (const item of init.items) {
			const at = item.offset === 0 ? a : `(${a} + ${item.offset})`;
			if ('bytes' in item) {
				this.touch();
				this.emit(`m.write(${at}, ${this.konst(item.bytes)});`);
				this.faultCheck();
				this.dirty = true;
				continue;
			}
			if (item.type.kind === 'struct' || item.type.kind === 'array') {
				this.initMemory(at, item.type, { kind: 'expr', expr: item.expr });
				continue;
			}
			const v = this.expr(item.expr);
			if (item.bitField) this.storeLValue({ kind: 'mem', addr: at, type: item.type, volatile: false, field: item.bitField }, v);
			else this.storeMem(at, item.type, v);
		}
	}

	// ---- Expressions: conditions and effects -------------------------------------------------------------

	/** Evaluates `e` for its side effects only. */
	protected effect(e: Expr): void {
		switch (e.kind) {
			case 'Call':
				this.compileCall(e, false);
				return;
			case 'Binary':
				if (e.op === ',') {
					this.effect(e.left);
					this.effect(e.right);
					return;
				}
				break;
			case 'ImplicitCast':
			case 'Cast': {
				const kind = e.castKind;
				if (kind === 'ToVoid') {
					this.effect(e.operand);
					return;
				}
				break;
			}
			case 'Unary':
				if (e.op === 'post++' || e.op === 'post--') {
					this.incDec(e, false);
					return;
				}
				break;
			case 'Conditional': {
				this.conditional(e.cond, () => this.effect(e.then), () => this.effect(e.otherwise));
				return;
			}
			default:
				break;
		}
		this.expr(e);
	}

	/**
	 * Compiles a two-way branch: `thenFn`/`elseFn` emit code. Stays a JS `if` when neither branch
	 * places a label; otherwise becomes jumps.
	 */
	protected conditional(condExpr: Expr, thenFn: () => void, elseFn: () => void): void {
		const c = this.cond(condExpr);
		const resume = this.resume;
		const dirty = this.dirty;
		const before = new Set(this.assigned);
		const a = this.sub(thenFn);
		const afterA = this.assigned;
		const dirtyA = this.dirty;
		this.resume = resume;
		this.dirty = dirty;
		this.assigned = new Set(before);
		const elseLabel = this.newLabel();
		const end = this.newLabel();
		const bOut = this.sub(() => {
			// The else branch may be entered by a jump: it must start with its label if we flatten.
			elseFn();
		});
		const afterB = this.assigned;
		if (a.labels === 0 && bOut.labels === 0) {
			if (bOut.lines.length > 0) this.emit(`if (${c}) {\n${a.lines.join('\n')}\n} else {\n${bOut.lines.join('\n')}\n}`);
			else if (a.lines.length > 0) this.emit(`if (${c}) {\n${a.lines.join('\n')}\n}`);
			this.resume = resume;
			this.dirty = dirty || dirtyA || this.dirty;
		} else {
			this.emit(`if (!${c}) { ${this.jump(elseLabel)} }`);
			for (const l of a.lines) this.emit(l);
			this.emit(this.jump(end));
			this.place(elseLabel);
			for (const l of bOut.lines) this.emit(l);
			this.place(end);
		}
		this.assigned = intersect(afterA, afterB);
	}

	/** A JS boolean expression for the C truth value of `e`. */
	protected cond(e: Expr): string {
		if (e.constValue !== undefined && e.type?.kind === 'int') return e.constValue !== 0n ? 'true' : 'false';
		if (e.kind === 'Binary') {
			const op = COMPARE[e.op];
			if (op !== undefined) {
				const a = this.expr(e.left);
				const b = this.expr(e.right);
				return `(${a} ${op} ${b})`;
			}
			if (e.op === '&&' || e.op === '||') {
				const a = this.cond(e.left);
				const savedAssigned = new Set(this.assigned);
				let rc = 'false';
				const right = this.sub(() => {
					rc = this.cond(e.right);
				});
				this.assigned = savedAssigned;
				if (right.labels === 0 && right.lines.length === 0) return `(${a} ${e.op} ${rc})`;
				return `(${this.logical(e, a, right, rc)} !== 0)`;
			}
		}
		if (e.kind === 'Unary' && e.op === '!') return `!${this.cond(e.operand)}`;
		if (e.kind === 'ImplicitCast' && (e.castKind === 'IntegralToBoolean' || e.castKind === 'PointerToBoolean' || e.castKind === 'FloatingToBoolean')) {
			return this.cond(e.operand);
		}
		return `(${this.expr(e)} !== 0)`;
	}

	/**
	 * `a && b` / `a || b` whose right side emits code: `leftCond` is the left truth value, `right` the
	 * right side compiled into a sub-buffer whose last line is `\0<cond>`.
	 */
	protected logical(e: Binary, leftCond: string, right: { lines: string[]; labels: number }, rc: string): string {
		const t = this.allocTemp();
		const isAnd = e.op === '&&';
		if (right.labels === 0) {
			this.emit(`if (${isAnd ? '' : '!'}${leftCond}) {\n${right.lines.join('\n')}\n${t} = ${rc} ? 1 : 0;\n} else ${t} = ${isAnd ? 0 : 1};`);
			return t;
		}
		const end = this.newLabel();
		this.emit(`if (${isAnd ? '!' : ''}${leftCond}) { ${t} = ${isAnd ? 0 : 1}; ${this.jump(end)} }`);
		for (const l of right.lines) this.emit(l);
		this.emit(`${t} = ${rc} ? 1 : 0;`);
		this.place(end);
		return t;
	}

	// ---- Expressions: values -------------------------------------------------------------------------------

	/** Compiles `e` and returns a pure JS expression for its value (structs and arrays: their address). */
	protected expr(e: Expr): string {
		if (e.constValue !== undefined && e.type !== undefined && (e.type.kind === 'int' || e.type.kind === 'pointer')) {
			return intLit(wrapConst(e.constValue, e.type));
		}
		switch (e.kind) {
			case 'IntLiteral':
				return intLit(wrapConst(e.value, e.type));
			case 'CharLiteral':
				return intLit(wrapConst(BigInt(e.value), e.type ?? intType));
			case 'FloatLiteral':
				return numLit(e.type?.kind === 'float' && e.type.size === 4 ? Math.fround(e.value) : e.value);
			case 'StringLiteral':
				return this.address(e);
			case 'Ident': {
				const sym = e.symbol;
				if (!sym) {
					this.error(`use of undeclared identifier '${e.name}'`, e.range);
					return '0';
				}
				if (sym.kind === 'enumconst') return intLit(wrapConst(sym.value, sym.type));
				if (sym.kind === 'func') return this.address(e);
				if (sym.type.kind === 'array' || sym.type.kind === 'struct') return this.address(e);
				return this.load(this.lvalue(e));
			}
			case 'ImplicitCast':
			case 'Cast':
				return this.cast(e.castKind, e.operand, e.type);
			case 'Unary':
				return this.unary(e);
			case 'Binary':
				return this.binary(e);
			case 'Assign':
				return this.assign(e);
			case 'Conditional': {
				if (vk(e.type) === 'void') {
					this.effect(e);
					return 'undefined';
				}
				const t = this.allocTemp();
				const savedTop = this.tempTop;
				this.conditional(
					e.cond,
					() => {
						const v = this.expr(e.then);
						this.emit(`${t} = ${v};`);
						this.tempTop = savedTop;
					},
					() => {
						const v = this.expr(e.otherwise);
						this.emit(`${t} = ${v};`);
						this.tempTop = savedTop;
					},
				);
				return t;
			}
			case 'Call':
				return this.compileCall(e, true);
			case 'Index':
			case 'Member':
				if (e.type?.kind === 'array' || e.type?.kind === 'struct') return this.address(e);
				return this.load(this.lvalue(e));
			case 'SizeofExpr':
			case 'SizeofType':
			case 'AlignofType':
			case 'Offsetof':
				this.error('cannot evaluate this constant', e.range);
				return '0';
			case 'VaArg':
				return this.vaArg(e.ap, e.typeName.type ?? intType);
			case 'CompoundLiteral': {
				const addr = this.address(e);
				if (e.type?.kind === 'array' || e.type?.kind === 'struct') return addr;
				return this.load({ kind: 'mem', addr, type: e.type ?? intType, volatile: false });
			}
			case 'StmtExpr':
				return this.stmtExpr(e);
			case 'BuiltinCall':
				return this.builtinCall(e);
			case 'ErrorExpr':
				this.error('cannot run an expression with errors', e.range);
				return '0';
		}
	}

	protected cast(kind: string | undefined, operand: Expr, to: CType | undefined): string {
		switch (kind) {
			case 'LValueToRValue': {
				if (operand.type?.kind === 'struct' || operand.type?.kind === 'array') return this.address(operand);
				return this.load(this.lvalue(operand));
			}
			case 'ArrayToPointerDecay':
			case 'FunctionToPointerDecay':
				return this.address(operand);
			case 'ToVoid':
				this.effect(operand);
				return 'undefined';
			case 'NullToPointer':
				this.effect(operand);
				return '0';
			default:
				return this.convert(this.expr(operand), operand.type, to);
		}
	}

	/** Converts the value `v` of type `from` to type `to` (a pure JS expression). */
	protected convert(v: string, from: CType | undefined, to: CType | undefined): string {
		const f = vk(from);
		const t = vk(to);
		if (f === t || t === 'void' || t === 'agg' || f === 'agg') return v;
		if (t === 'bool') return `(${v} === 0 ? 0 : 1)`;
		if (f === 'f32' || f === 'f64') {
			switch (t) {
				case 'f32':
					return `Math.fround(${v})`;
				case 'f64':
					return v;
				case 'i32':
					return `(${v} | 0)`;
				case 'u32':
					return `(${v} >>> 0)`;
				case 'i64':
					return `f64ToI64(${v})`;
				case 'u64':
					return `f64ToU64(${v})`;
				case 'ptr':
					return `intToPtr(f64ToU64(${v}))`;
				default:
					return this.convert(`(${v} | 0)`, intType, to);
			}
		}
		if (t === 'f32') return f === 'i64' || f === 'u64' ? `intToF32(${v})` : `Math.fround(${v})`;
		if (t === 'f64') return f === 'i64' || f === 'u64' ? `intToF64(${v})` : v;
		if (f === 'ptr') {
			switch (t) {
				case 'i64':
					return `ptrToI64(${v})`;
				case 'u64':
					return `ptrToU64(${v})`;
				default:
					return this.convert(`(${v} | 0)`, intType, to);
			}
		}
		if (t === 'ptr') {
			if (UNSIGNED_SMALL.has(f)) return v;
			return `intToPtr(${v})`;
		}
		const wide = f === 'i64' || f === 'u64';
		switch (t) {
			case 'i32':
				if (wide) return `toI32(${v})`;
				return f === 'u32' ? `(${v} | 0)` : v;
			case 'u32':
				if (wide) return `toU32(${v})`;
				return f === 'u8' || f === 'u16' || f === 'bool' ? v : `(${v} >>> 0)`;
			case 'i16':
				if (wide) return `toI16(${v})`;
				return f === 'i8' || f === 'u8' || f === 'bool' ? v : `((${v} << 16) >> 16)`;
			case 'u16':
				if (wide) return `toU16(${v})`;
				return f === 'u8' || f === 'bool' ? v : `(${v} & 65535)`;
			case 'i8':
				if (wide) return `toI8(${v})`;
				return f === 'bool' ? v : `((${v} << 24) >> 24)`;
			case 'u8':
				if (wide) return `toU8(${v})`;
				return f === 'bool' ? v : `(${v} & 255)`;
			case 'i64':
				return f === 'u64' ? `canonI64(${v})` : v;
			case 'u64':
				return UNSIGNED_SMALL.has(f) ? v : `canonU64(${v})`;
			default:
				return v;
		}
	}

	protected unary(e: Unary): string {
		switch (e.op) {
			case '&':
				return this.address(e.operand, true);
			case '*': {
				if (e.type?.kind === 'function') return this.expr(e.operand);
				if (e.type?.kind === 'struct' || e.type?.kind === 'array') return this.address(e);
				return this.load(this.lvalue(e));
			}
			case '+':
				return this.expr(e.operand);
			case '-':
				return this.negate(this.expr(e.operand), e.type);
			case '~': {
				const a = this.expr(e.operand);
				switch (vk(e.type)) {
					case 'u32':
						return `(~${a} >>> 0)`;
					case 'i64':
						return `notI64(${a})`;
					case 'u64':
						return `notU64(${a})`;
					default:
						return `(~${a})`;
				}
			}
			case '!':
				return `(${this.cond(e.operand)} ? 0 : 1)`;
			case 'pre++':
			case 'pre--':
			case 'post++':
			case 'post--':
				return this.incDec(e, true);
		}
	}

	protected negate(a: string, type: CType | undefined): string {
		switch (vk(type)) {
			case 'u32':
				return `((0 - ${a}) >>> 0)`;
			case 'i64': {
				const x = this.once(a);
				this.emit(`if (${x} === -9223372036854775808n) ${this.ubExit('signed integer overflow in negation')}`);
				return `negI64(${x})`;
			}
			case 'u64':
				return `negU64(${a})`;
			case 'f32':
			case 'f64':
				return `(-${a})`;
			default: {
				const x = this.once(a);
				this.emit(`if (${x} === -2147483648) ${this.ubExit('signed integer overflow in negation')}`);
				return `(0 - ${x})`;
			}
		}
	}

	protected binary(e: Binary): string {
		switch (e.op) {
			case ',':
				this.effect(e.left);
				return this.expr(e.right);
			case '&&':
			case '||':
				return `(${this.cond(e)} ? 1 : 0)`;
			default:
				break;
		}
		const cmp = COMPARE[e.op];
		if (cmp !== undefined) {
			const a = this.expr(e.left);
			const b = this.expr(e.right);
			return `(${a} ${cmp} ${b} ? 1 : 0)`;
		}
		const lt = e.left.type;
		const rt = e.right.type;
		const lp = lt?.kind === 'pointer';
		const rp = rt?.kind === 'pointer';
		if ((e.op === '+' || e.op === '-') && (lp || rp)) {
			const scale = e.pointerScale ?? (lp ? elementSize(lt) : elementSize(rt));
			const a = this.expr(e.left);
			const b = this.expr(e.right);
			if (lp && rp) return `ptrDiff(${a}, ${b}, ${scale})`;
			if (e.op === '+') return lp ? `ptrAdd(${a}, ${b}, ${scale})` : `ptrAdd(${b}, ${a}, ${scale})`;
			return `ptrSub(${a}, ${b}, ${scale})`;
		}
		const a = this.expr(e.left);
		const b = this.expr(e.right);
		return this.arith(e.op, e.type, a, b);
	}

	/** `a op b` in type `t` (both operands already of `t`, except shift counts). Emits UB checks. */
	protected arith(op: string, t: CType | undefined, a: string, b: string): string {
		let k = vk(t);
		if (k === 'i8' || k === 'i16' || k === 'u8' || k === 'u16' || k === 'bool') k = 'i32';
		const isShift = op === '<<' || op === '>>';
		if (isShift) {
			const width = k === 'i64' || k === 'u64' ? 64 : 32;
			const c = this.once(b);
			this.emit(`if (${c} < 0 || ${c} >= ${width}) ${this.ubExit(`shift count is negative or not less than the width of the type (${width} bits)`)}`);
			switch (k) {
				case 'i32':
					return op === '<<' ? `(${a} << ${c})` : `(${a} >> ${c})`;
				case 'u32':
					return op === '<<' ? `((${a} << ${c}) >>> 0)` : `(${a} >>> ${c})`;
				case 'i64':
					return op === '<<' ? `shlI64(${a}, ${c})` : `shr64(${a}, ${c})`;
				case 'u64':
					return op === '<<' ? `shlU64(${a}, ${c})` : `shr64(${a}, ${c})`;
				default:
					return '0';
			}
		}
		switch (k) {
			case 'i32':
				switch (op) {
					case '+':
					case '-':
					case '*': {
						const t1 = this.allocTemp();
						this.emit(`${t1} = ${a} ${op} ${b};`);
						this.emit(`if (${t1} > 2147483647 || ${t1} < -2147483648) ${this.ubExit(`signed integer overflow in 'int' ${OP_NAMES[op]}`)}`);
						return op === '*' ? `(${t1} | 0)` : t1;
					}
					case '/':
					case '%': {
						const x = this.once(a);
						const y = this.once(b);
						this.emit(`if (${y} === 0) ${this.ubExit(op === '/' ? 'division by zero' : 'remainder by zero')}`);
						this.emit(`if (${y} === -1 && ${x} === -2147483648) ${this.ubExit(`signed integer overflow in 'int' ${OP_NAMES[op]}`)}`);
						return `((${x} ${op} ${y}) | 0)`;
					}
					default:
						return `(${a} ${op} ${b})`;
				}
			case 'u32':
				switch (op) {
					case '+':
					case '-':
						return `((${a} ${op} ${b}) >>> 0)`;
					case '*':
						return `(Math.imul(${a}, ${b}) >>> 0)`;
					case '/':
					case '%': {
						const y = this.once(b);
						this.emit(`if (${y} === 0) ${this.ubExit(op === '/' ? 'division by zero' : 'remainder by zero')}`);
						return op === '/' ? `((${a} / ${y}) >>> 0)` : `(${a} % ${y})`;
					}
					default:
						return `((${a} ${op} ${b}) >>> 0)`;
				}
			case 'i64':
			case 'u64': {
				const s = k === 'i64';
				switch (op) {
					case '+':
					case '-':
					case '*': {
						const fn = { '+': 'add', '-': 'sub', '*': 'mul' }[op];
						if (!s) return `${fn}U64(${a}, ${b})`;
						const x = this.once(a);
						const y = this.once(b);
						this.emit(`if (${fn}OverflowsI64(${x}, ${y})) ${this.ubExit(`signed integer overflow in 'long' ${OP_NAMES[op]}`)}`);
						return `${fn}I64(${x}, ${y})`;
					}
					case '/':
					case '%': {
						const x = this.once(a);
						const y = this.once(b);
						this.emit(`if (${y} === 0) ${this.ubExit(op === '/' ? 'division by zero' : 'remainder by zero')}`);
						if (s) this.emit(`if (${y} === -1 && ${x} === -9223372036854775808n) ${this.ubExit(`signed integer overflow in 'long' ${OP_NAMES[op]}`)}`);
						return `${op === '/' ? 'div' : 'rem'}${s ? 'I' : 'U'}64(${x}, ${y})`;
					}
					case '&':
						return `and64(${a}, ${b})`;
					case '|':
						return `or64(${a}, ${b})`;
					case '^':
						return `xor64(${a}, ${b})`;
					default:
						return '0';
				}
			}
			case 'f32':
				return `Math.fround(${a} ${op} ${b})`;
			case 'f64':
				return `(${a} ${op} ${b})`;
			default:
				return `(${a} ${op} ${b})`;
		}
	}

	protected assign(e: Assign): string {
		const target = e.target;
		const ttype = target.type ?? intType;
		if (e.op === '=') {
			if (ttype.kind === 'struct' || ttype.kind === 'array') {
				const dst = this.once(this.address(target));
				const src = this.expr(e.value);
				this.touch();
				this.emit(`m.copy(${dst}, ${src}, ${sizeOf(ttype)});`);
				this.faultCheck();
				this.dirty = true;
				return dst;
			}
			const lv = this.stable(this.lvalue(target));
			const v = this.expr(e.value);
			return this.storeLValue(lv, v);
		}
		const lv = this.stable(this.lvalue(target));
		const op = e.op.slice(0, -1);
		const value = this.expr(e.value);
		const old = this.load(lv);
		let result: string;
		if (ttype.kind === 'pointer') {
			const scale = e.pointerScale ?? elementSize(ttype);
			result = op === '+' ? `ptrAdd(${old}, ${value}, ${scale})` : `ptrSub(${old}, ${value}, ${scale})`;
		} else {
			const opType = e.opType ?? ttype;
			const a = this.convert(old, ttype, opType);
			result = this.convert(this.arith(op, opType, a, value), opType, ttype);
		}
		return this.storeLValue(lv, result);
	}

	protected incDec(e: Unary, want: boolean): string {
		const type = e.operand.type ?? intType;
		const lv = this.stable(this.lvalue(e.operand));
		let old = this.load(lv);
		const post = e.op === 'post++' || e.op === 'post--';
		if ((lv.kind === 'reg' && want && post) || !JS_SIMPLE.test(old)) {
			// A register's old value must survive the store (post-increment returns it).
			const t = this.allocTemp();
			this.emit(`${t} = ${old};`);
			old = t;
		}
		const inc = e.op === 'pre++' || e.op === 'post++';
		let next: string;
		switch (vk(type)) {
			case 'ptr': {
				const scale = elementSize(type);
				next = inc ? `ptrAdd(${old}, 1, ${scale})` : `ptrSub(${old}, 1, ${scale})`;
				break;
			}
			case 'f32':
				next = `Math.fround(${old} ${inc ? '+' : '-'} 1)`;
				break;
			case 'f64':
				next = `(${old} ${inc ? '+' : '-'} 1)`;
				break;
			case 'bool':
				next = inc ? '1' : `(1 - ${old})`;
				break;
			case 'i32':
				this.emit(`if (${old} === ${inc ? 2147483647 : -2147483648}) ${this.ubExit(`signed integer overflow in 'int' ${inc ? 'increment' : 'decrement'}`)}`);
				next = `(${old} ${inc ? '+' : '-'} 1)`;
				break;
			case 'u32':
				next = `((${old} ${inc ? '+' : '-'} 1) >>> 0)`;
				break;
			case 'i64':
				this.emit(`if (${old} === ${inc ? '9223372036854775807n' : '-9223372036854775808n'}) ${this.ubExit(`signed integer overflow in 'long' ${inc ? 'increment' : 'decrement'}`)}`);
				next = `${inc ? 'add' : 'sub'}I64(${old}, 1)`;
				break;
			case 'u64':
				next = `${inc ? 'add' : 'sub'}U64(${old}, 1)`;
				break;
			default:
				// char and short: computed in int, converted back (wraps, implementation-defined, not UB).
				next = this.convert(`(${old} ${inc ? '+' : '-'} 1)`, intType, type);
				break;
		}
		const stored = this.storeLValue(lv, next);
		if (!want) return 'undefined';
		return e.op === 'pre++' || e.op === 'pre--' ? stored : old;
	}

	// ---- Lvalues, loads and stores ---------------------------------------------------------------------------

	/** Makes an lvalue's address safe to use twice. */
	protected stable(lv: LValue): LValue {
		if (lv.kind === 'reg') return lv;
		return { ...lv, addr: this.once(lv.addr) };
	}

	protected lvalue(e: Expr): LValue {
		switch (e.kind) {
			case 'Ident': {
				const sym = e.symbol;
				if (sym?.kind === 'var') {
					const loc = this.varLoc(sym, e.range);
					if (loc.kind === 'reg') return { kind: 'reg', slot: loc.slot, sym, type: sym.type };
					return { kind: 'mem', addr: this.locAddress(loc), type: sym.type, volatile: !!sym.type.volatile };
				}
				break;
			}
			case 'Unary':
				if (e.op === '*') {
					const p = this.expr(e.operand);
					const type = e.type ?? intType;
					return { kind: 'mem', addr: p, type, volatile: !!type.volatile };
				}
				break;
			case 'Index':
				return { kind: 'mem', addr: this.indexAddress(e, false), type: e.type ?? intType, volatile: !!e.type?.volatile };
			case 'Member': {
				const type = e.type ?? intType;
				const addr = this.memberAddress(e);
				return { kind: 'mem', addr, type, volatile: !!type.volatile, field: e.field?.bitWidth !== undefined ? e.field : undefined };
			}
			case 'CompoundLiteral':
			case 'StringLiteral':
				return { kind: 'mem', addr: this.address(e), type: e.type ?? intType, volatile: false };
			case 'ImplicitCast':
			case 'Cast':
				if (e.castKind === 'NoOp' || e.castKind === 'LValueToRValue') return this.lvalue(e.operand);
				break;
			default:
				break;
		}
		if (e.type?.kind === 'struct') return { kind: 'mem', addr: this.expr(e), type: e.type, volatile: false };
		this.error('expression is not assignable', e.range);
		return { kind: 'mem', addr: '0', type: e.type ?? intType, volatile: false };
	}

	protected varLoc(sym: VarSymbol, at: SourceRange): VarLoc {
		let loc = this.vars.get(sym.id);
		if (loc === undefined) {
			if (sym.storage === 'global') {
				loc = { kind: 'static', address: this.env.globalAddress(sym, at) };
				this.vars.set(sym.id, loc);
			} else {
				// A local the checker did not list (a compound literal object, say): give it a place now.
				this.declareLocal(sym);
				loc = this.vars.get(sym.id)!;
			}
		}
		return loc;
	}

	protected locAddress(loc: VarLoc): string {
		switch (loc.kind) {
			case 'stack':
				return loc.offset === 0 ? 'B' : `(B + ${loc.offset})`;
			case 'static':
				return `${loc.address}`;
			case 'indirect':
				return `$${loc.slot}`;
			case 'reg':
				return '0';
		}
	}

	/** The address of an object designated by `e` (or of a function, or of a struct rvalue). */
	protected address(e: Expr, forAddressOf = false): string {
		switch (e.kind) {
			case 'Ident': {
				const sym = e.symbol;
				if (sym?.kind === 'func') {
					const f = this.env.functionFor(sym, e.range);
					return f ? `${f.address}` : '0';
				}
				if (sym?.kind === 'var') {
					const loc = this.varLoc(sym, e.range);
					if (loc.kind === 'reg') {
						this.error(`internal error: address of register variable '${sym.name}'`, e.range);
						return '0';
					}
					return this.locAddress(loc);
				}
				break;
			}
			case 'StringLiteral': {
				return `${this.env.internString(e.bytes, e.wide)}`;
			}
			case 'Unary':
				if (e.op === '*') return this.expr(e.operand);
				break;
			case 'Index':
				return this.indexAddress(e, forAddressOf);
			case 'Member':
				if (e.field?.bitWidth !== undefined) {
					this.error('cannot take the address of a bit-field', e.range);
				}
				return this.memberAddress(e);
			case 'CompoundLiteral': {
				const obj = e.object;
				const type = e.type ?? intType;
				let addr: string;
				if (obj) {
					const loc = this.varLoc(obj, e.range);
					if (loc.kind === 'reg') {
						// A scalar compound literal the checker kept in a register: give it memory.
						const offset = this.allocFrame(sizeOf(type), alignOf(type));
						addr = `(B + ${offset})`;
					} else addr = this.locAddress(loc);
				} else {
					const offset = this.allocFrame(Math.max(sizeOf(type), 1), alignOf(type));
					addr = `(B + ${offset})`;
				}
				if (obj?.storage !== 'global' && e.checkedInit) this.initMemory(addr, type, e.checkedInit);
				return addr;
			}
			case 'ImplicitCast':
			case 'Cast':
				if (e.castKind === 'FunctionToPointerDecay' || e.castKind === 'ArrayToPointerDecay' || e.castKind === 'NoOp' || e.castKind === 'LValueToRValue') {
					return this.address(e.operand, forAddressOf);
				}
				break;
			case 'Call':
			case 'Assign':
			case 'Conditional':
			case 'StmtExpr':
			case 'VaArg':
			case 'Binary':
				if (e.type?.kind === 'struct' || e.type?.kind === 'array') return this.expr(e);
				break;
			default:
				break;
		}
		this.error('cannot take the address of this expression', e.range);
		return '0';
	}

	protected memberAddress(e: Member): string {
		const offset = e.offset ?? e.field?.offset ?? 0;
		const base = e.arrow ? this.expr(e.base) : this.address(e.base);
		return offset === 0 ? base : `(${base} + ${offset})`;
	}

	protected indexAddress(e: Index, forAddressOf: boolean): string {
		const base = this.expr(e.base);
		const scale = e.scale ?? sizeOf(e.type ?? intType);
		// An index widened from a 32-bit (or smaller) integer addresses the same element modulo 2^64
		// and has the same bounds verdict, so use the narrow value: plain number arithmetic.
		let indexExpr = e.index;
		while ((indexExpr.kind === 'ImplicitCast' || indexExpr.kind === 'Cast') && indexExpr.castKind === 'IntegralCast' && indexExpr.operand.type?.kind === 'int' && indexExpr.operand.type.size <= 4) {
			indexExpr = indexExpr.operand;
		}
		let index = this.expr(indexExpr);
		const len = e.boundsLength;
		if (len !== undefined && len > 0 && !this.isTrailingArray(e.base, len)) {
			index = this.once(index);
			const test = forAddressOf ? `${index} > ${len}` : `${index} >= ${len}`;
			this.emit(`if (${index} < 0 || ${test}) ${this.ubExit(`${BOUNDS_UB} (index not in 0..${len - 1})`)}`);
		}
		const ik = vk(indexExpr.type);
		if (forAddressOf || ik === 'i64' || ik === 'u64') return `ptrAdd(${base}, ${index}, ${scale})`;
		return scale === 1 ? `(${base} + ${index})` : `(${base} + ${index} * ${scale})`;
	}

	/** True for `s->a[i]` where `a` is a trailing array of length 0 or 1 (the pre-C99 flexible array idiom). */
	protected isTrailingArray(base: Expr, len: number): boolean {
		if (len > 1) return false;
		let e = base;
		while ((e.kind === 'ImplicitCast' || e.kind === 'Cast') && e.castKind === 'ArrayToPointerDecay') e = e.operand;
		if (e.kind !== 'Member') return false;
		const st = e.arrow ? (e.base.type?.kind === 'pointer' ? e.base.type.to : undefined) : e.base.type;
		if (st?.kind !== 'struct') return false;
		const last = st.fields[st.fields.length - 1];
		return last !== undefined && last === e.field;
	}

	/** Loads the value of an lvalue (registers: with the uninitialized-use check). */
	protected load(lv: LValue): string {
		if (lv.kind === 'reg') {
			if (!this.assigned.has(lv.sym.id)) {
				this.emit(`if ($${lv.slot} === undefined) ${this.ubExit(`use of uninitialized variable '${lv.sym.name}'`)}`);
				// After the check the value is known to be set on this path.
				this.assigned.add(lv.sym.id);
			}
			return `$${lv.slot}`;
		}
		const type = lv.type;
		const k = vk(type);
		if (k === 'agg') return lv.addr;
		if (lv.field?.bitWidth !== undefined) return this.loadBitField(lv.addr, type, lv.field);
		this.touch();
		const t = this.allocTemp();
		if (k === 'ptr') this.emit(`${t} = ldPtr(m, ${lv.addr});`);
		else this.emit(`${t} = m.${LOADS[k] ?? 'ld32s'}(${lv.addr});`);
		this.faultCheck();
		if (lv.volatile) this.dirty = true;
		return t;
	}

	protected loadBitField(addr: string, type: CType, field: Field): string {
		const width = field.bitWidth ?? 0;
		const bit = field.bitOffset ?? 0;
		const unit = sizeOf(type);
		const signed = type.kind === 'int' && type.signed && type.name !== '_Bool';
		this.touch();
		const t = this.allocTemp();
		if (unit <= 4 && bit + width <= unit * 8 && width < 32) {
			this.emit(`${t} = m.${unit === 1 ? 'ld8u' : unit === 2 ? 'ld16u' : 'ld32u'}(${addr});`);
			this.faultCheck();
			if (signed) return `((${t} << ${32 - bit - width}) >> ${32 - width})`;
			return `((${t} >>> ${bit}) & ${2 ** width - 1})`;
		}
		this.emit(`${t} = bitGet(m, ${addr}, ${bit}, ${width}, ${signed});`);
		this.faultCheck();
		return t;
	}

	/** Stores `v` (already of the lvalue's type) and returns the expression's value (the stored value). */
	protected storeLValue(lv: LValue, v: string): string {
		if (lv.kind === 'reg') {
			this.emit(`$${lv.slot} = ${v};`);
			this.written.add(lv.slot);
			this.dirty = true;
			this.assigned.add(lv.sym.id);
			return `$${lv.slot}`;
		}
		if (lv.field?.bitWidth !== undefined) {
			const field = lv.field;
			const width = field.bitWidth ?? 0;
			const bit = field.bitOffset ?? 0;
			const type = lv.type;
			const unit = sizeOf(type);
			const signed = type.kind === 'int' && type.signed && type.name !== '_Bool';
			const x = this.once(v);
			this.touch();
			if (unit <= 4 && bit + width <= unit * 8 && width < 32) {
				const mask = 2 ** width - 1;
				const t = this.allocTemp();
				const ld = unit === 1 ? 'ld8u' : unit === 2 ? 'ld16u' : 'ld32u';
				const st = unit === 1 ? 'st8' : unit === 2 ? 'st16' : 'st32';
				this.emit(`${t} = m.${ld}(${lv.addr});`);
				this.faultCheck();
				const field32 = vk(type) === 'i64' || vk(type) === 'u64' ? `low32(${x})` : x;
				this.emit(`m.${st}(${lv.addr}, (${t} & ${~(mask * 2 ** bit) >>> 0}) | ((${field32} & ${mask}) << ${bit}));`);
				this.faultCheck();
				this.dirty = true;
				if (type.kind === 'int' && type.name === '_Bool') return `(${x} & 1)`;
				if (vk(type) === 'i64' || vk(type) === 'u64') return `bitTruncate(${x}, ${width}, ${signed})`;
				return signed ? `((${x} << ${32 - width}) >> ${32 - width})` : `(${x} & ${mask})`;
			}
			this.emit(`bitSet(m, ${lv.addr}, ${bit}, ${width}, ${x});`);
			this.faultCheck();
			this.dirty = true;
			return `bitTruncate(${x}, ${width}, ${signed})`;
		}
		const x = this.once(v);
		this.storeMem(lv.addr, lv.type, x);
		return x;
	}

	/** Stores `v` at `addr` (a side effect: volatile or not, the next access gets a fresh label). */
	protected storeMem(addr: string, type: CType, v: string): void {
		const k = vk(type);
		this.touch();
		if (k === 'ptr') this.emit(`stPtr(m, ${addr}, ${v});`);
		else if (k === 'agg' || k === 'void') {
			this.emit(`m.copy(${addr}, ${v}, ${sizeOf(type)});`);
		} else this.emit(`m.${STORES[k]}(${addr}, ${v});`);
		this.faultCheck();
		this.dirty = true;
	}

	// ---- Calls -------------------------------------------------------------------------------------------

	/** The function a call names directly (`f(...)`, `(*f)(...)`, `(&f)(...)`), if it does. */
	protected directCallee(e: Expr): FuncSymbol | undefined {
		switch (e.kind) {
			case 'Ident':
				return e.symbol?.kind === 'func' ? e.symbol : undefined;
			case 'ImplicitCast':
			case 'Cast':
				return e.castKind === 'FunctionToPointerDecay' || e.castKind === 'NoOp' ? this.directCallee(e.operand) : undefined;
			case 'Unary':
				return e.op === '*' || e.op === '&' ? this.directCallee(e.operand) : undefined;
			default:
				return undefined;
		}
	}

	/**
	 * Compiles the arguments: scalars as values, structs copied into a call-site slot of this frame.
	 * Right to left, as gcc does on x86-64 (the order is unspecified in C, and gcc is the oracle
	 * `faultline exec` output is compared with).
	 */
	protected callArgs(args: readonly Expr[]): string[] {
		const out: string[] = new Array<string>(args.length);
		for (let i = args.length - 1; i >= 0; i--) {
			const a = args[i];
			const t = a.type;
			if (t?.kind === 'struct') {
				const size = sizeOf(t);
				const offset = this.allocFrame(Math.max(size, 1), Math.max(alignOf(t), 8));
				const src = this.expr(a);
				this.touch();
				this.emit(`m.copy(B + ${offset}, ${src}, ${size});`);
				this.faultCheck();
				this.dirty = true;
				out[i] = `(B + ${offset})`;
			} else {
				// Arguments evaluated after this one (to its left) may write a register this value reads.
				const v = this.expr(a);
				out[i] = i > 0 && args.slice(0, i).some(mayWriteRegisters) ? this.freeze(v) : v;
			}
		}
		return out;
	}

	protected compileCall(e: Call, want: boolean): string {
		const ftype: FunctionType | undefined = e.calleeType;
		const returns = ftype?.returns ?? e.type ?? intType;
		const sym = this.directCallee(e.callee);
		let target: FunctionInfo | undefined;
		let pointer: string | undefined;
		if (sym) {
			target = this.env.functionFor(sym, e.callee.range);
			if (!target) return '0';
		} else {
			pointer = this.expr(e.callee);
		}
		const args = this.callArgs(e.args);
		const argTypes = e.args.map(a => a.type ?? intType);
		return this.emitCall(target, pointer, args, argTypes, returns, want, sym?.name);
	}

	/** Emits a call to `target` (known function) or through `pointer`. Returns the value expression. */
	protected emitCall(
		target: FunctionInfo | undefined,
		pointer: string | undefined,
		args: string[],
		argTypes: readonly CType[],
		returns: CType,
		want: boolean,
		name: string | undefined,
	): string {
		const structReturn = returns.kind === 'struct';
		let retDest = '0';
		if (structReturn) {
			const offset = this.allocFrame(Math.max(sizeOf(returns), 1), Math.max(alignOf(returns), 8));
			retDest = `(B + ${offset})`;
		}
		const usesValue = want && returns.kind !== 'void';
		const result = usesValue && !structReturn ? this.allocTemp() : undefined;
		const slot = result ? Number(result.slice(1)) : -1;
		const typesConst = this.konst(Object.freeze(argTypes.slice()));
		const call = this.newLabel();
		const after = this.newLabel();
		this.place(call);
		if (target && target.kind === 'builtin' && target.builtin) {
			const fn = this.konst(target.builtin);
			const res = result ?? this.allocTemp();
			this.emit(`ctx.argTypes = ${typesConst}; ${res} = ${fn}(ctx, [${args.join(', ')}]);`);
			this.emit(`if (typeof ${res} === 'object') { cpu.action = ${res}; cpu.retSlot = ${res === result ? slot : -1}; pc = ${after}; cpu.ex = ${Exit.Action}; break M; }`);
			this.place(after);
			return result ?? 'undefined';
		}
		const callee = target ? this.konst(target) : '';
		const pad = target ? `/*PAD:${callee.slice(1)}:${args.length}*/` : '';
		const common = `cpu.args = [${args.join(', ')}${pad}]; cpu.argTypes = ${typesConst}; cpu.retSlot = ${slot}; cpu.retDest = ${retDest}; pc = ${after};`;
		if (target) {
			// A nested call (compiler.ts header): the callee runs inside this activation; 1: it
			// returned, 2: it stopped (save the registers, pc is already after the call, and leave
			// cpu.budget and cpu.ex as the callee set them), 0: through the run loop.
			const take = result ? `${result} = cpu.retVal; ` : '';
			this.emit(`cpu.callee = ${callee}; ${common} fr.pc = ${after}; cpu.budget = b;`);
			this.emit(`switch (cpu.callDirect()) { case 1: ${take}b = cpu.budget; break; case 2: ${SAVE_MARKER} return; default: cpu.ex = ${Exit.Call}; break M; }`);
		} else this.emit(`cpu.callAddr = ${pointer}; ${common} cpu.ex = ${Exit.CallPointer}; break M;`);
		this.place(after);
		if (structReturn) return retDest;
		if (result) {
			const who = name !== undefined ? `function '${name}'` : 'the called function';
			this.emit(`if (${result} === undefined) ${this.ubExit(`the value of ${who} is used, but it returned without a value`)}`);
			return result;
		}
		return 'undefined';
	}

	// ---- Variadic arguments, statement expressions, builtins ----------------------------------------------

	protected stripLoad(e: Expr): Expr {
		let x = e;
		while ((x.kind === 'ImplicitCast' || x.kind === 'Cast') && (x.castKind === 'LValueToRValue' || x.castKind === 'NoOp' || x.castKind === 'ArrayToPointerDecay')) x = x.operand;
		return x;
	}

	protected vaArg(ap: Expr, type: CType): string {
		const lv = this.stable(this.lvalue(this.stripLoad(ap)));
		const p = this.freeze(this.load(lv));
		const k = vk(type);
		const step = type.kind === 'struct' ? Math.ceil(sizeOf(type) / 8) * 8 : 8;
		let value: string;
		if (k === 'agg') value = p;
		else {
			value = this.load({ kind: 'mem', addr: p, type: k === 'f32' ? { kind: 'float', name: 'double', size: 8 } : type, volatile: false });
			if (k === 'f32') value = `Math.fround(${value})`;
		}
		const v = this.once(value);
		this.storeLValue(lv, `(${p} + ${step})`);
		return v;
	}

	protected stmtExpr(e: StmtExpr): string {
		const items = e.body.items;
		const result = vk(e.type) === 'void' ? undefined : this.allocTemp();
		this.blocks.push(e.body.range);
		for (let i = 0; i < items.length; i++) {
			const item = items[i];
			if (item.kind === 'Declaration') {
				this.compileDeclaration(item);
				continue;
			}
			if (i === items.length - 1 && item.kind === 'ExprStmt' && result) {
				const savedTop = this.tempTop;
				this.check(item.range);
				const v = this.expr(item.expr);
				this.emit(`${result} = ${v};`);
				this.tempTop = savedTop;
				continue;
			}
			this.compileStmt(item);
		}
		this.blocks.pop();
		return result ?? 'undefined';
	}

	protected builtinCall(e: BuiltinCall): string {
		const name = e.name;
		const exprArgs = e.args.filter((a): a is Expr => a.kind !== 'TypeName');
		const arg = (i: number): Expr | undefined => exprArgs[i];
		const bits = name.endsWith('ll') || name.endsWith('l') ? 64 : 32;
		switch (name) {
			case '__builtin_expect':
			case '__builtin_expect_with_probability': {
				const a = arg(0);
				return a ? this.expr(a) : '0';
			}
			case '__builtin_constant_p':
				return '0';
			case '__builtin_unreachable':
				this.emit(this.ubExit('__builtin_unreachable() was reached'));
				return 'undefined';
			case '__builtin_trap': {
				const action: BuiltinAction = { kind: 'trap', message: '__builtin_trap() was reached', signal: 4 };
				this.emit(`cpu.action = ${this.konst(action)}; cpu.retSlot = -1; pc = ${this.resume}; cpu.ex = ${Exit.Action}; break M;`);
				return 'undefined';
			}
			case '__builtin_prefetch':
				for (const a of exprArgs) this.effect(a);
				return 'undefined';
			case '__builtin_choose_expr': {
				const c = arg(0)?.constValue;
				const pick = c !== undefined && c !== 0n ? arg(1) : arg(2);
				return pick ? this.expr(pick) : '0';
			}
			case '__builtin_va_start': {
				const ap = arg(0);
				if (!ap) return 'undefined';
				if (!this.info.variadic) this.error(`'va_start' used in a function with fixed arguments`, e.range);
				this.storeLValue(this.lvalue(this.stripLoad(ap)), 'fr.va');
				return 'undefined';
			}
			case '__builtin_va_end':
				return 'undefined';
			case '__builtin_va_copy': {
				const dst = arg(0);
				const src = arg(1);
				if (!dst || !src) return 'undefined';
				const lv = this.stable(this.lvalue(this.stripLoad(dst)));
				const v = this.load(this.lvalue(this.stripLoad(src)));
				this.storeLValue(lv, v);
				return 'undefined';
			}
			case '__builtin_clz':
			case '__builtin_clzl':
			case '__builtin_clzll':
				return `clz(${this.expr(arg(0)!)}, ${bits})`;
			case '__builtin_ctz':
			case '__builtin_ctzl':
			case '__builtin_ctzll':
				return `ctz(${this.expr(arg(0)!)}, ${bits})`;
			case '__builtin_popcount':
			case '__builtin_popcountl':
			case '__builtin_popcountll':
				return `popcount(${this.expr(arg(0)!)}, ${bits})`;
			case '__builtin_ffs':
			case '__builtin_ffsl':
			case '__builtin_ffsll': {
				const x = this.once(this.expr(arg(0)!));
				return `(${x} === 0 ? 0 : ctz(${x}, ${bits}) + 1)`;
			}
			case '__builtin_bswap16':
				return `bswap(${this.expr(arg(0)!)}, 16)`;
			case '__builtin_bswap32':
				return `bswap(${this.expr(arg(0)!)}, 32)`;
			case '__builtin_bswap64':
				return `bswap(${this.expr(arg(0)!)}, 64)`;
			case '__builtin_object_size': {
				if (arg(0)) this.effect(arg(0)!);
				const kind = arg(1)?.constValue ?? 0n;
				return kind >= 2n ? '0' : '(-1)';
			}
			case '__builtin_add_overflow':
			case '__builtin_sub_overflow':
			case '__builtin_mul_overflow':
				return this.overflowBuiltin(e, exprArgs);
			default:
				break;
		}
		if (exprArgs.length !== e.args.length) {
			this.error(`unsupported builtin '${name}'`, e.range);
			return '0';
		}
		// `__builtin_memcpy` and friends: the builtin table's `memcpy`.
		const plain = name.startsWith('__builtin_') ? name.slice('__builtin_'.length) : name;
		const target = this.env.functionNamed(plain, e.range);
		if (!target) return '0';
		const args = this.callArgs(exprArgs);
		const returns = e.type ?? intType;
		return this.emitCall(target, undefined, args, exprArgs.map(a => a.type ?? intType), returns, true, plain);
	}

	/** `__builtin_{add,sub,mul}_overflow(a, b, &res)`: exact result, stored wrapped, returns whether it overflowed. */
	protected overflowBuiltin(e: BuiltinCall, args: Expr[]): string {
		if (args.length !== 3) {
			this.error(`'${e.name}' needs three arguments`, e.range);
			return '0';
		}
		const a = this.expr(args[0]);
		const b = this.expr(args[1]);
		const p = this.once(this.expr(args[2]));
		const rt = args[2].type?.kind === 'pointer' ? args[2].type.to : intType;
		const size = sizeOf(rt);
		const signed = rt.kind === 'int' && rt.signed;
		const op = e.name.includes('add') ? '+' : e.name.includes('sub') ? '-' : '*';
		const exact = this.allocTemp();
		this.emit(`${exact} = toBig(${a}) ${op} toBig(${b});`);
		const wrapped = `convInt(fromBigI64(${exact}), ${size}, ${signed})`;
		this.storeMem(p, rt, wrapped);
		return `(toBig(convInt(fromBigI64(${exact}), ${size}, ${signed})) === ${exact} ? 0 : 1)`;
	}



	protected alignAttribute(sym: VarSymbol): number {
		for (const a of sym.attributes ?? []) {
			if ((a.name === 'aligned' || a.name === '__aligned__') && a.args.length > 0 && a.args[0].constValue !== undefined) {
				return Number(a.args[0].constValue);
			}
			if (a.name === 'aligned' || a.name === '__aligned__') return 16;
		}
		return 1;
	}

	protected addLocal(sym: VarSymbol, kind: LocalInfo['kind'], storage: LocalInfo['storage'], slot: number, offset: number, address: number, scope: SourceRange): void {
		if (sym.name === '') return;
		this.locals.push({ name: sym.name, type: sym.type, kind, storage, slot, offset, address, scope, declRange: sym.range });
	}

	/** A scalar initialized with a brace list (`int x = {5};`): the item at offset 0, or zero. */
	protected scalarFromList(init: CheckedInit & { kind: 'list' }, type: CType): string {
		for (const item of init.items) {
			if ('expr' in item && item.offset === 0) return this.convert(this.expr(item.expr), item.type, type);
		}
		return vk(type) === 'i64' || vk(type) === 'u64' ? '0' : '0';
	}

	/** Compiles a statement (provided by the statement compiler). */
	protected abstract compileStmt(s: Stmt): void;
}
