// Helpers for the KC checker's unit tests (layer: test): compile snippets through the whole front
// end, find declarations and expressions in the checked tree, and print expressions with their
// inserted conversions so tests can state the exact tree the checker produced.

import assert from 'node:assert/strict';
import type { CheckedUnit, Expr, FunctionDef, Stmt, TranslationUnit, VarSymbol } from '../../../src/lang/ast';
import { compileUnit } from '../../../src/lang/frontEnd';
import { memorySources } from '../../../src/lang/preprocessor';
import { type Diagnostic, formatDiagnostic } from '../../../src/lang/source';
import { typeToString } from '../../../src/lang/types';

/** Compiles `source` as `t.c` and returns the full result. */
export function compile(source: string, files: Record<string, string> = {}): ReturnType<typeof compileUnit> {
	return compileUnit('t.c', memorySources({ 't.c': source, ...files }));
}

/** Compiles a program that must have no errors (warnings allowed) and returns its unit. */
export function compileOk(source: string): CheckedUnit {
	const result = compile(source);
	const errors = result.diagnostics.filter(d => d.severity === 'error');
	assert.deepEqual(errors.map(formatDiagnostic), [], 'unexpected errors');
	assert.ok(result.unit, 'no unit');
	return result.unit;
}

/** `line:col: severity: message` for every diagnostic (notes excluded). */
export function diagnosticsOf(source: string): string[] {
	return compile(source).diagnostics.map(shortDiagnostic);
}

export function shortDiagnostic(d: Diagnostic): string {
	return `${d.range.line}:${d.range.col}: ${d.severity}: ${d.message}`;
}

export function functionNamed(tree: TranslationUnit, name: string): FunctionDef {
	const def = tree.decls.find((d): d is FunctionDef => d.kind === 'FunctionDef' && d.declarator.name === name);
	assert.ok(def, `no function ${name}`);
	return def;
}

export function globalNamed(unit: CheckedUnit, name: string): VarSymbol {
	const g = unit.globals.find(v => v.name === name);
	assert.ok(g, `no global ${name}`);
	return g;
}

/** The expression statements of a function body, in order (top level of the body only). */
export function bodyExprs(def: FunctionDef): Expr[] {
	return def.body.items.filter((s): s is Extract<Stmt, { kind: 'ExprStmt' }> => s.kind === 'ExprStmt').map(s => s.expr);
}

/**
 * Checks `expr` as an expression statement of `void t(void)` after `decls` (file scope) and
 * `locals` (inside the function); returns the checked expression. Errors fail the test.
 */
export function checkedExpr(expr: string, decls = '', locals = ''): Expr {
	const unit = compileOk(`${decls}\nvoid t(void) { ${locals}\n${expr}; }\n`);
	const exprs = bodyExprs(functionNamed(unit.tree, 't'));
	return exprs[exprs.length - 1];
}

/** The type of `expr`, as C would write it. */
export function typeOf(expr: string, decls = '', locals = ''): string {
	return typeToString(checkedExpr(expr, decls, locals).type!);
}

/**
 * A compact rendering of a checked expression: casts as `Kind<type>(operand)`, explicit casts
 * as `(type:Kind)operand`, operators in parentheses.
 */
export function show(e: Expr): string {
	switch (e.kind) {
		case 'Ident':
			return e.name;
		case 'IntLiteral':
		case 'FloatLiteral':
		case 'CharLiteral':
			return e.text;
		case 'StringLiteral':
			return JSON.stringify(new TextDecoder().decode(e.bytes));
		case 'ImplicitCast':
			return `${e.castKind}<${typeToString(e.type!)}>(${show(e.operand)})`;
		case 'Cast':
			return `(${typeToString(e.type!)}:${e.castKind})${show(e.operand)}`;
		case 'Unary':
			return e.op.startsWith('post') ? `(${show(e.operand)}${e.op.slice(4)})` : `${e.op.replace('pre', '')}(${show(e.operand)})`;
		case 'Binary':
			return `(${show(e.left)} ${e.op} ${show(e.right)})`;
		case 'Assign':
			return `(${show(e.target)} ${e.op} ${show(e.value)})`;
		case 'Conditional':
			return `(${show(e.cond)} ? ${show(e.then)} : ${show(e.otherwise)})`;
		case 'Call':
			return `${show(e.callee)}(${e.args.map(show).join(', ')})`;
		case 'Index':
			return `${show(e.base)}[${show(e.index)}]`;
		case 'Member':
			return `${show(e.base)}${e.arrow ? '->' : '.'}${e.name}`;
		case 'SizeofExpr':
			return `sizeof(${show(e.operand)})`;
		case 'BuiltinCall':
			return `${e.name}(${e.args.map(a => (a.kind === 'TypeName' ? typeToString(a.type!) : show(a))).join(', ')})`;
		default:
			return e.kind;
	}
}

/** Walks every expression reachable from a translation unit's statements and initializers. */
export function everyExpr(tree: TranslationUnit, visit: (e: Expr) => void): void {
	const seen = new Set<object>();
	const walk = (node: unknown, depth: number): void => {
		if (depth > 5000 || node === null || typeof node !== 'object' || seen.has(node)) {
			return;
		}
		seen.add(node);
		if (node instanceof Uint8Array) {
			return;
		}
		const record = node as Record<string, unknown>;
		if (typeof record.kind === 'string' && isExprKind(record.kind)) {
			visit(node as Expr);
		}
		for (const [key, value] of Object.entries(record)) {
			if (key === 'type' || key === 'symbol' || key === 'field' || key === 'calleeType' || key === 'object' || key === 'range' || key === 'nameRange') {
				continue;
			}
			if (Array.isArray(value)) {
				for (const v of value) {
					walk(v, depth + 1);
				}
			} else {
				walk(value, depth + 1);
			}
		}
	};
	walk(tree, 0);
}

const exprKinds = new Set([
	'IntLiteral', 'FloatLiteral', 'CharLiteral', 'StringLiteral', 'Ident', 'Unary', 'Binary', 'Assign', 'Conditional', 'Call', 'Index',
	'Member', 'Cast', 'ImplicitCast', 'SizeofExpr', 'SizeofType', 'AlignofType', 'Offsetof', 'VaArg', 'CompoundLiteral', 'StmtExpr', 'BuiltinCall', 'ErrorExpr',
]);

function isExprKind(kind: string): boolean {
	return exprKinds.has(kind);
}
