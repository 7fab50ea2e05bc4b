// Statements and function definitions for the KC checker (layer: lang): controlling expressions,
// loops, `switch` with its case labels (values converted to the promoted controlling type, GNU
// ranges, duplicates), `break`/`continue` placement, labels and `goto` per function, `return`
// conversions, and the parameters and locals of each function.

import type { CaseStmt, CompoundStmt, FunctionDef, Stmt, SwitchStmt } from './ast';
import type { CheckContext, FunctionState, SwitchState } from './checkContext';
import { applyDeclarator, checkDeclaration, declareFunction, normalizeAttributes, resolveSpecs } from './checkDecl';
import { assignConvert, checkCondition, checkExpr, checkRvalue, convertTo, promotedIntType } from './checkExpr';
import { Scope } from './scope';
import { type IntType, intType, isComplete, typeToString, wrapInt } from './types';

/** Statement nesting followed before reporting instead of recursing (stack safety). */
const maxStmtDepth = 1000;

/** Checks a function definition: declares it, then checks its body with its parameters in scope. */
export function checkFunctionDef(ctx: CheckContext, def: FunctionDef): void {
	const specs = def.specs;
	const base = resolveSpecs(ctx, specs);
	const d = def.declarator;
	const result = applyDeclarator(ctx, base, d, 'object');
	const name = d.name ?? '';
	const range = d.nameRange ?? d.range;
	if (specs.storage === 'typedef' || specs.storage === 'auto' || specs.storage === 'register') {
		ctx.error(specs.range, `function definition declared '${specs.storage}'`);
	}
	const type = result.type;
	if (type.kind !== 'function' || !result.params || d.derived[d.derived.length - 1]?.kind !== 'Function') {
		ctx.error(range, 'function definition does not declare a function (a parameter list must follow the name)');
		return;
	}
	const symbol = declareFunction(ctx, name, type, specs, range, normalizeAttributes(ctx, [...specs.attributes, ...d.attributes]));
	if (symbol.def) {
		ctx.error(range, `redefinition of '${name}'`, [{ message: `previous definition of '${name}' with type '${typeToString(symbol.type)}'`, range: symbol.range }]);
	} else {
		symbol.def = def;
	}
	def.symbol = symbol;
	const params = result.params;
	def.params = params;
	(result.paramDecls ?? []).forEach((info, i) => {
		if (!info.named) {
			ctx.error(info.range, 'parameter name omitted');
		}
		const p = params[i];
		if (p && !isComplete(p.type)) {
			ctx.error(info.range, `parameter ${i + 1} ('${p.name}') has incomplete type`);
		}
	});
	const returns = type.returns;
	if (returns.kind !== 'void' && !isComplete(returns)) {
		ctx.error(range, 'return type is an incomplete type');
	}
	const scope = new Scope('function', ctx.fileScope);
	for (const p of params) {
		if (p.name !== '' && !scope.ordinary.has(p.name)) {
			scope.ordinary.set(p.name, { kind: 'symbol', symbol: p });
		}
	}
	const state: FunctionState = {
		def,
		symbol,
		returnType: returns,
		variadic: type.variadic,
		params,
		locals: [],
		labels: new Map(),
		gotos: [],
		undeclared: new Set(),
		functionNames: new Map(),
		loops: 0,
		switches: [],
	};
	def.locals = state.locals;
	const savedScope = ctx.scope;
	ctx.fn = state;
	ctx.scope = scope;
	try {
		checkCompoundStmt(ctx, def.body, false);
		for (const g of state.gotos) {
			if (!state.labels.has(g.label)) {
				ctx.error(g.range, `label '${g.label}' used but not defined`);
			}
		}
	} finally {
		ctx.fn = undefined;
		ctx.scope = savedScope;
	}
}

/** Checks a compound statement; `newScope` is false for a function's outermost block (it shares the parameters' scope). */
export function checkCompoundStmt(ctx: CheckContext, block: CompoundStmt, newScope: boolean): void {
	if (newScope) {
		ctx.pushScope('block');
	}
	try {
		for (const item of block.items) {
			if (item.kind === 'Declaration') {
				checkDeclaration(ctx, item, 'block');
			} else {
				checkStmt(ctx, item);
			}
		}
	} finally {
		if (newScope) {
			ctx.popScope();
		}
	}
}

function checkStmt(ctx: CheckContext, s: Stmt): void {
	if (ctx.depth > maxStmtDepth) {
		ctx.error(s.range, 'statement nested too deeply');
		return;
	}
	ctx.depth++;
	try {
		checkStmtInner(ctx, s);
	} finally {
		ctx.depth--;
	}
}

function checkStmtInner(ctx: CheckContext, s: Stmt): void {
	const fn = ctx.fn!;
	switch (s.kind) {
		case 'Compound':
			return checkCompoundStmt(ctx, s, true);
		case 'ExprStmt':
			s.expr = checkExpr(ctx, s.expr);
			return;
		case 'If':
			s.cond = checkCondition(ctx, s.cond);
			checkStmt(ctx, s.then);
			if (s.otherwise) {
				checkStmt(ctx, s.otherwise);
			}
			return;
		case 'While':
			s.cond = checkCondition(ctx, s.cond);
			fn.loops++;
			try {
				checkStmt(ctx, s.body);
			} finally {
				fn.loops--;
			}
			return;
		case 'DoWhile':
			fn.loops++;
			try {
				checkStmt(ctx, s.body);
			} finally {
				fn.loops--;
			}
			s.cond = checkCondition(ctx, s.cond);
			return;
		case 'For':
			ctx.pushScope('block');
			try {
				if (s.init) {
					if (s.init.kind === 'Declaration') {
						checkDeclaration(ctx, s.init, 'for');
					} else {
						checkExpr(ctx, s.init);
					}
				}
				if (s.cond) {
					s.cond = checkCondition(ctx, s.cond);
				}
				if (s.step) {
					s.step = checkExpr(ctx, s.step);
				}
				fn.loops++;
				try {
					checkStmt(ctx, s.body);
				} finally {
					fn.loops--;
				}
			} finally {
				ctx.popScope();
			}
			return;
		case 'Switch':
			return checkSwitch(ctx, s);
		case 'Case':
			return checkCase(ctx, s);
		case 'Default': {
			const sw = fn.switches[fn.switches.length - 1];
			if (!sw) {
				ctx.error(s.range, `'default' label not within a switch statement`);
			} else if (sw.defaultCase) {
				ctx.error(s.range, 'multiple default labels in one switch', [{ message: 'this is the first default label', range: sw.defaultCase.range }]);
			} else {
				sw.defaultCase = s;
			}
			checkStmt(ctx, s.body);
			return;
		}
		case 'Labeled': {
			const previous = fn.labels.get(s.label);
			if (previous) {
				ctx.error(s.range, `duplicate label '${s.label}'`, [{ message: `previous definition of '${s.label}' was here`, range: previous.range }]);
			} else {
				fn.labels.set(s.label, s);
			}
			checkStmt(ctx, s.body);
			return;
		}
		case 'Goto':
			fn.gotos.push(s);
			return;
		case 'Break':
			if (fn.loops === 0 && fn.switches.length === 0) {
				ctx.error(s.range, 'break statement not within loop or switch');
			}
			return;
		case 'Continue':
			if (fn.loops === 0) {
				ctx.error(s.range, 'continue statement not within a loop');
			}
			return;
		case 'Return':
			return checkReturn(ctx, s);
		case 'Empty':
		case 'ErrorStmt':
			return;
	}
}

function checkSwitch(ctx: CheckContext, s: SwitchStmt): void {
	const fn = ctx.fn!;
	let cond = checkRvalue(ctx, s.cond);
	let type: IntType = intType;
	if (!ctx.isPoisoned(cond)) {
		if (cond.type?.kind !== 'int') {
			ctx.error(cond.range, 'switch quantity not an integer');
			ctx.poison(cond);
		} else {
			type = promotedIntType(cond.type);
			cond = convertTo(ctx, cond, type);
		}
	}
	s.cond = cond;
	const state: SwitchState = { type, cases: [], values: new Map(), ranges: [] };
	fn.switches.push(state);
	try {
		checkStmt(ctx, s.body);
	} finally {
		fn.switches.pop();
	}
	s.cases = state.cases;
	s.defaultCase = state.defaultCase;
}

function caseValue(ctx: CheckContext, e: CaseStmt['value']): bigint | undefined {
	const checked = checkRvalue(ctx, e);
	if (ctx.isPoisoned(checked)) {
		return undefined;
	}
	if (checked.type?.kind !== 'int' || checked.constValue === undefined) {
		ctx.error(e.range, 'case label does not reduce to an integer constant');
		return undefined;
	}
	return checked.constValue;
}

function checkCase(ctx: CheckContext, s: CaseStmt): void {
	const fn = ctx.fn!;
	const sw = fn.switches[fn.switches.length - 1];
	const low = caseValue(ctx, s.value);
	const high = s.last ? caseValue(ctx, s.last) : low;
	if (!sw) {
		ctx.error(s.range, 'case label not within a switch statement');
	} else if (low !== undefined && high !== undefined) {
		const lo = wrapInt(sw.type, low);
		const hi = wrapInt(sw.type, high);
		if (s.last && hi < lo) {
			ctx.warning(s.range, 'empty range specified');
		} else {
			const clash = findDuplicate(sw, lo, hi);
			if (clash) {
				ctx.error(s.value.range, 'duplicate case value', [{ message: 'previously used here', range: clash.value.range }]);
			} else {
				s.low = lo;
				s.high = hi;
				sw.cases.push(s);
				if (lo === hi) {
					sw.values.set(lo, s);
				} else {
					sw.ranges.push({ low: lo, high: hi, stmt: s });
				}
			}
		}
	}
	checkStmt(ctx, s.body);
}

function findDuplicate(sw: SwitchState, lo: bigint, hi: bigint): CaseStmt | undefined {
	if (lo === hi) {
		const single = sw.values.get(lo);
		if (single) {
			return single;
		}
	} else {
		for (const [v, stmt] of sw.values) {
			if (v >= lo && v <= hi) {
				return stmt;
			}
		}
	}
	for (const r of sw.ranges) {
		if (r.low <= hi && lo <= r.high) {
			return r.stmt;
		}
	}
	return undefined;
}

function checkReturn(ctx: CheckContext, s: Extract<Stmt, { kind: 'Return' }>): void {
	const fn = ctx.fn!;
	const returnType = fn.returnType;
	const declared = [{ message: 'declared here', range: fn.symbol.range }];
	if (!s.value) {
		if (returnType.kind !== 'void') {
			ctx.warning(s.range, `'return' with no value, in function returning non-void`, declared);
		}
		return;
	}
	const value = checkRvalue(ctx, s.value);
	if (ctx.isPoisoned(value)) {
		s.value = value;
		return;
	}
	if (returnType.kind === 'void') {
		if (value.type?.kind !== 'void') {
			ctx.error(value.range, `'return' with a value, in function returning void`, declared);
		}
		s.value = value;
		return;
	}
	s.value = assignConvert(ctx, value, returnType, { kind: 'return' });
}
