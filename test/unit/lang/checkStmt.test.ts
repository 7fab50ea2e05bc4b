// Unit tests for the KC checker's statements (layer: lang): switch cases and their converted
// values, labels and goto, break/continue placement, return conversions, controlling
// expressions, and the statement diagnostics.

import assert from 'node:assert/strict';
import type { Stmt, SwitchStmt } from '../../../src/lang/ast';
import { compileOk, diagnosticsOf, functionNamed, show } from './checkSupport';

function firstSwitch(source: string): SwitchStmt {
	const unit = compileOk(source);
	const f = functionNamed(unit.tree, 'f');
	const found = f.body.items.find((s): s is SwitchStmt => s.kind === 'Switch');
	assert.ok(found);
	return found;
}

describe('checker: switch', () => {
	it('collects the cases of its own body (not nested switches) and the default', () => {
		const s = firstSwitch(`int f(int v) {
			switch (v) {
			case 1: return 1;
			case 'a': { case 3: break; }
			case 10 ... 12: switch (v) { case 1: break; default: break; }
			default: return 0;
			}
			return 2;
		}`);
		assert.deepEqual(s.cases?.map(c => [c.low, c.high]), [[1n, 1n], [97n, 97n], [3n, 3n], [10n, 12n]]);
		assert.equal(s.defaultCase?.kind, 'Default');
	});

	it('converts the controlling expression and the case values to the promoted type', () => {
		const narrow = firstSwitch('int f(unsigned char c) { switch (c) { case 300: return 1; case -1: return 2; } return 0; }');
		assert.equal(show(narrow.cond), 'IntegralCast<int>(LValueToRValue<unsigned char>(c))');
		assert.deepEqual(narrow.cases?.map(c => c.low), [300n, -1n]);
		const unsigned = firstSwitch('int f(unsigned u) { switch (u) { case -1: return 1; } return 0; }');
		assert.deepEqual(unsigned.cases?.map(c => c.low), [4294967295n]);
		const long = firstSwitch('int f(long l) { switch (l) { case 1u << 31: return 1; } return 0; }');
		assert.deepEqual(long.cases?.map(c => c.low), [2147483648n]);
	});

	const cases: [source: string, diagnostics: string[]][] = [
		['int f(int x) { switch (x) { case 1: case 1: break; } return 0; }', ['1:42: error: duplicate case value']],
		['int f(int x) { switch (x) { case 1 ... 5: case 3: break; } return 0; }', ['1:48: error: duplicate case value']],
		['int f(int x) { switch (x) { case 5 ... 1: break; } return 0; }', ['1:29: warning: empty range specified']],
		['int f(int x) { switch (x) { case x: break; } return 0; }', ['1:34: error: case label does not reduce to an integer constant']],
		['int f(int x) { switch (x) { default: default: break; } return 0; }', ['1:38: error: multiple default labels in one switch']],
		['int f(int x) { case 3: return 0; }', ['1:16: error: case label not within a switch statement']],
		['int f(int x) { default: return 0; }', ["1:16: error: 'default' label not within a switch statement"]],
		['int f(double d) { switch (d) { } return 0; }', ['1:27: error: switch quantity not an integer']],
	];
	for (const [source, diagnostics] of cases) {
		it(source, () => {
			assert.deepEqual(diagnosticsOf(source), diagnostics);
		});
	}
});

describe('checker: statements', () => {
	const cases: [source: string, diagnostics: string[]][] = [
		['void f(void) { break; }', ['1:16: error: break statement not within loop or switch']],
		['void f(void) { continue; }', ['1:16: error: continue statement not within a loop']],
		['void f(int x) { switch (x) { case 1: continue; } }', ['1:38: error: continue statement not within a loop']],
		['void f(int x) { while (x) { switch (x) { case 1: continue; } } for (;;) break; do break; while (0); }', []],
		['void f(void) { lab: lab: ; }', ["1:21: error: duplicate label 'lab'"]],
		['void f(void) { goto nowhere; }', ["1:16: error: label 'nowhere' used but not defined"]],
		['void f(void) { goto later; later: ; }', []],
		['void f(void) { return 1; }', ["1:23: error: 'return' with a value, in function returning void"]],
		['void g(void); void f(void) { return g(); }', []],
		['int f(void) { return; }', ["1:15: warning: 'return' with no value, in function returning non-void"]],
		['int *f(void) { return 1; }', ["1:23: warning: returning 'int' from a function with return type 'int *' makes pointer from integer without a cast"]],
		['char *f(int *p) { return p; }', ["1:26: warning: returning 'int *' from a function with incompatible return type 'char *'"]],
		['struct s { int a; }; int f(struct s v) { return v; }', ["1:49: error: incompatible types when returning type 'struct s' but 'int' was expected"]],
		['struct s { int a; }; void f(struct s v) { if (v) ; while (v) ; for (; v; ) ; do ; while (v); }', [
			'1:47: error: used struct type value where scalar is required',
			'1:59: error: used struct type value where scalar is required',
			'1:71: error: used struct type value where scalar is required',
			'1:90: error: used struct type value where scalar is required',
		]],
		['void g(void); void f(void) { if (g()) ; }', ['1:34: error: void value not ignored as it ought to be']],
		['void f(void) { for (static int i = 0; i < 1; ) ; }', ["1:32: error: declaration of static variable 'i' in 'for' loop initial declaration"]],
		['int f(void) { int x = 0; x; ({ x; }); return ({ int y = x; y + 1; }); }', []],
		['int x = ({ 1; });', ['1:9: error: braced-group within expression allowed only inside a function']],
	];
	for (const [source, diagnostics] of cases) {
		it(source, () => {
			assert.deepEqual(diagnosticsOf(source), diagnostics);
		});
	}

	it('converts return values to the return type', () => {
		const unit = compileOk('long f(char c) { return c; } double g(void) { return 1; } void *h(int *p) { return p; }');
		const value = (name: string) => {
			const ret = functionNamed(unit.tree, name).body.items[0] as Stmt;
			assert.ok(ret.kind === 'Return' && ret.value);
			return show(ret.value);
		};
		assert.equal(value('f'), 'IntegralCast<long>(LValueToRValue<char>(c))');
		assert.equal(value('g'), 'IntegralToFloating<double>(1)');
		assert.equal(value('h'), 'BitCast<void *>(LValueToRValue<int *>(p))');
	});

	it('keeps conditions as scalar rvalues', () => {
		const unit = compileOk('void f(int *p, double d) { if (p) ; while (d) ; }');
		const [ifs, loop] = functionNamed(unit.tree, 'f').body.items as Stmt[];
		assert.ok(ifs.kind === 'If' && show(ifs.cond) === 'LValueToRValue<int *>(p)');
		assert.ok(loop.kind === 'While' && show(loop.cond) === 'LValueToRValue<double>(d)');
	});

	it('gives a statement expression the value of its last expression statement', () => {
		const unit = compileOk('int f(void) { int a[2] = { 1, 2 }; int *p = ({ a; }); return *p; }');
		const decl = functionNamed(unit.tree, 'f').body.items[1];
		assert.ok(decl.kind === 'Declaration');
		const init = decl.vars?.[0].init;
		assert.ok(init?.kind === 'expr' && init.expr.kind === 'StmtExpr');
		const last = init.expr.body.items[0];
		assert.ok(last.kind === 'ExprStmt' && show(last.expr) === 'ArrayToPointerDecay<int *>(a)');
	});

	it('checks va_start, va_arg and va_end in a variadic function', () => {
		const unit = compileOk(`
			typedef __builtin_va_list va_list;
			int sum(int n, ...) {
				va_list ap, copy;
				__builtin_va_start(ap, n);
				__builtin_va_copy(copy, ap);
				int total = 0;
				while (n--) total += __builtin_va_arg(ap, int);
				double d = __builtin_va_arg(copy, double);
				__builtin_va_end(ap);
				__builtin_va_end(copy);
				return total + (int)d;
			}`);
		assert.ok(functionNamed(unit.tree, 'sum').symbol?.type.variadic);
		assert.deepEqual(diagnosticsOf('void f(int a, int b, ...) { __builtin_va_list ap; __builtin_va_start(ap, a); }'), ["1:74: warning: second parameter of 'va_start' not last named argument"]);
	});
});
