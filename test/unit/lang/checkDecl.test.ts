// Unit tests for the KC checker's declarations (layer: lang): struct layouts against gcc's
// (bit-fields, packed, aligned, anonymous members), enums, scopes and name spaces, linkage and
// redeclarations, tentative definitions, static and extern locals, and what the checker records
// on declarations and functions (vars, params, locals, addressTaken).

import assert from 'node:assert/strict';
import type { Declaration, FunctionDef, StructSpecifier } from '../../../src/lang/ast';
import { findField, typeToString, type StructType } from '../../../src/lang/types';
import { bodyExprs, checkedExpr, compile, compileOk, diagnosticsOf, functionNamed, globalNamed, typeOf } from './checkSupport';

/** The struct type declared by the first declaration of `source`. */
function structOf(source: string): StructType {
	const unit = compileOk(source);
	const decl = unit.tree.decls[0] as Declaration;
	const spec = decl.specs.typeSpecs[0] as StructSpecifier;
	assert.ok(spec.type);
	return spec.type;
}

describe('checker: struct layouts match gcc (x86-64)', () => {
	// Expected values printed by a gcc 12 build on x86-64; bit-fields as 'first bit+width' from the struct start.
	const cases: [source: string, size: number, align: number, members: Record<string, number | string>][] = [
		['struct A { char a; int b:3; int c:30; };', 8, 4, { a: 0, b: '8+3', c: '32+30' }],
		['struct B { char a; int b:3; int c:30; } __attribute__((packed));', 6, 1, { a: 0, b: '8+3', c: '11+30' }],
		['struct C { char a; short b:9; char c; int d:20; long e:40; char f; };', 16, 8, { a: 0, c: 4, f: 13, b: '16+9', d: '40+20', e: '64+40' }],
		['struct D { int a:3; int :0; char b; };', 8, 4, { b: 4, a: '0+3' }],
		['struct E { char a; int :5; char b; };', 3, 1, { a: 0, b: 2 }],
		['union U { char a; int b:17; long c; };', 8, 8, { a: 0, c: 0, b: '0+17' }],
		['struct F { char a; double d __attribute__((aligned(16))); char e; };', 32, 16, { a: 0, d: 16, e: 24 }],
		['struct G { char a; int b __attribute__((packed)); char c; };', 6, 1, { a: 0, b: 1, c: 5 }],
		['struct H { char c; struct { short s; union { int i; char k[5]; }; }; long l; };', 24, 8, { c: 0, s: 4, i: 8, k: 8, l: 16 }],
		['struct I { char c; long double ld; } __attribute__((aligned(32)));', 32, 32, { c: 0, ld: 16 }],
		['struct J { unsigned char a:4, b:4, c:4; unsigned short d:12; };', 4, 2, { a: '0+4', b: '4+4', c: '8+4', d: '16+12' }],
		['struct K { long long a:33; long long b:33; int c:31; };', 16, 8, { a: '0+33', b: '64+33', c: '97+31' }],
		['struct L { char a; int fam[]; };', 4, 4, { a: 0, fam: 4 }],
		['struct M { _Bool b:1; char c:7; unsigned long long x:63; };', 16, 8, { b: '0+1', c: '1+7', x: '64+63' }],
		['struct N { char a; struct { char b; } __attribute__((packed)) s; short c; };', 4, 2, { a: 0, s: 1, c: 2 }],
		['struct O { char x; int y:7; int z; } __attribute__((packed));', 6, 1, { x: 0, z: 2, y: '8+7' }],
		['struct P { int a; char b[]; } __attribute__((aligned(8)));', 8, 8, { a: 0, b: 4 }],
		['struct Q { char a; short b:4; short c:13; char d; };', 6, 2, { a: 0, d: 4, b: '8+4', c: '16+13' }],
		['struct R { char a:1; long b:63; char c; };', 16, 8, { c: 8, a: '0+1', b: '1+63' }],
		['struct S { int a; char b __attribute__((aligned(8))); int c:2; } __attribute__((packed));', 16, 8, { a: 0, b: 8, c: '72+2' }],
		['struct T { char a; long b:1; char c:1; };', 8, 8, { a: 0, b: '8+1', c: '9+1' }],
		['struct V { char a; _Alignas(8) char b; };', 16, 8, { a: 0, b: 8 }],
	];
	for (const [source, size, align, members] of cases) {
		it(source, () => {
			const s = structOf(source);
			assert.equal(s.size, size, 'size');
			assert.equal(s.align, align, 'align');
			for (const [name, where] of Object.entries(members)) {
				const found = findField(s, name);
				assert.ok(found, name);
				if (typeof where === 'number') {
					assert.equal(found.offset, where, name);
					assert.equal(found.field.bitWidth, undefined);
				} else {
					assert.equal(`${found.offset * 8 + (found.field.bitOffset ?? 0)}+${found.field.bitWidth}`, where, name);
				}
			}
		});
	}

	it('completes a struct declared earlier, seen through pointers made before', () => {
		const unit = compileOk('struct s *p; struct s { long a, b; }; unsigned long n = sizeof *p;');
		const n = globalNamed(unit, 'n');
		assert.ok(n.init?.kind === 'expr' && n.init.expr.constValue === 16n);
	});
});

describe('checker: enums', () => {
	it('numbers enumerators, with explicit values and constant expressions', () => {
		const values = ['A', 'B', 'C', 'D', 'E'].map(n => checkedExpr(n, 'enum e { A, B = 10, C, D = B * 2 + A, E = sizeof(int) };').constValue);
		assert.deepEqual(values, [0n, 10n, 11n, 20n, 4n]);
	});

	it('gives a constant that does not fit int the enumerated type once the enum is complete (gcc)', () => {
		// gcc 12: sizeof(A) == 4 and A > 0 for enum { A = 0x80000000 }; with a negative member, 8.
		assert.equal(checkedExpr('sizeof(A)', 'enum { A = 0x80000000, B };').constValue, 4n);
		assert.equal(checkedExpr('A > 0', 'enum { A = 0x80000000, B };').constValue, 1n);
		assert.equal(checkedExpr('sizeof(D)', 'enum { C = -1, D = 0x80000000 };').constValue, 8n);
		assert.equal(checkedExpr('sizeof(C)', 'enum { C = -1, D = 0x80000000 };').constValue, 4n);
	});

	it('types constants as int and the enum as unsigned int, or int with a negative constant', () => {
		assert.equal(typeOf('A', 'enum e { A };'), 'int');
		const unit = compileOk('enum e { A } x; enum n { M = -1 } y;');
		const x = globalNamed(unit, 'x').type;
		const y = globalNamed(unit, 'y').type;
		assert.ok(x.kind === 'int' && x.name === 'unsigned int' && x.enumTag === 'e');
		assert.ok(y.kind === 'int' && y.name === 'int' && y.enumTag === 'n');
		assert.equal(typeToString(x), 'enum e');
	});

	it('reports bad enumerators', () => {
		assert.deepEqual(diagnosticsOf('int v; enum e { A = v };'), ["1:21: error: enumerator value for 'A' is not an integer constant"]);
		assert.deepEqual(diagnosticsOf('enum e { A, A };'), ["1:13: error: redeclaration of enumerator 'A'"]);
		assert.deepEqual(diagnosticsOf('enum e { A }; enum e { B };'), ["1:15: error: redeclaration of 'enum e'"]);
	});
});

describe('checker: scopes and name spaces', () => {
	it('keeps tags apart from ordinary identifiers', () => {
		compileOk('struct s { int s; } s; int f(void) { return s.s; }');
	});

	it('lets inner scopes shadow names and tags', () => {
		const unit = compileOk(`
			int x; struct t { int a; };
			long f(void) { long x = 2; struct t { char c[9]; } v; { char x = 1; (void)x; } return x + sizeof v; }`);
		const f = functionNamed(unit.tree, 'f');
		assert.deepEqual(f.locals?.map(l => `${l.name}:${typeToString(l.type)}`), ['x:long', 'v:struct t', 'x:char']);
	});

	it('scopes for-loop declarations to the loop', () => {
		assert.deepEqual(diagnosticsOf('void f(void) { for (int i = 0; i < 3; i++) {} i = 1; }'), ["1:47: error: 'i' undeclared (first use in this function)"]);
	});

	it('handles typedefs, including redefinition with the same type', () => {
		assert.equal(typeOf('(T)1', 'typedef unsigned long T; typedef unsigned long T;'), 'unsigned long');
		assert.equal(typeOf('p', 'typedef int A[3]; typedef A *PA; PA p;'), 'int (*)[3]');
		assert.equal(typeOf('fp', 'typedef int F(int); F *fp;'), 'int (*)(int)');
		assert.deepEqual(diagnosticsOf('typedef int T; typedef char T;'), ["1:29: error: conflicting types for 'T'; have 'char'"]);
	});

	it('predeclares __builtin_va_list as char *', () => {
		assert.equal(typeOf('ap', '__builtin_va_list ap;'), 'char *');
	});

	it('resolves typeof', () => {
		assert.equal(typeOf('y', 'int a[3]; typeof(a) y;'), 'int [3]');
		assert.equal(typeOf('y', 'const long x = 1; __typeof__(x) y = 2;'), 'const long');
		assert.equal(typeOf('y', 'typeof(char *) y;'), 'char *');
	});

	it('applies qualifiers: const arrays have const elements, pointers carry their own', () => {
		assert.equal(typeOf('a', 'const int a[2] = { 1, 2 };'), 'const int [2]');
		assert.equal(typeOf('p', 'char *const p = 0;'), 'char * const');
		assert.equal(typeOf('p', 'const struct s { int a; } *p;'), 'const struct s *');
		assert.equal(typeOf('*p', 'volatile unsigned *p;'), 'volatile unsigned int');
	});
});

describe('checker: linkage and redeclarations', () => {
	it('merges compatible declarations into one symbol with the composite type', () => {
		const unit = compileOk('extern int a[]; int a[4]; int f(); int f(int x) { return x; } int f(int);');
		assert.equal(unit.globals.filter(g => g.name === 'a').length, 1);
		assert.equal(typeToString(globalNamed(unit, 'a').type), 'int [4]');
		const f = unit.functions.filter(fn => fn.name === 'f');
		assert.equal(f.length, 1);
		assert.equal(f[0].type.unprototyped, false);
		assert.ok(f[0].def);
	});

	const cases: [source: string, diagnostics: string[]][] = [
		['int f(int); double f(int);', ["1:20: error: conflicting types for 'f'; have 'double (int)'"]],
		['int v; char v;', ["1:13: error: conflicting types for 'v'; have 'char'"]],
		['int f(); int f(char c);', ["1:14: error: conflicting types for 'f'; have 'int (char)'"]],
		['int f(void) { return 0; } int f(void) { return 1; }', ["1:31: error: redefinition of 'f'"]],
		['int i = 1; int i = 2;', ["1:16: error: redefinition of 'i'"]],
		['int x; void x(void);', ["1:13: error: 'x' redeclared as different kind of symbol"]],
		['int n(void); static int n(void) { return 0; }', ["1:25: error: static declaration of 'n' follows non-static declaration"]],
		['static int m; int m;', ["1:19: error: non-static declaration of 'm' follows static declaration"]],
		['extern int e = 1;', ["1:12: warning: 'e' initialized and declared 'extern'"]],
		['int g(int a, int a);', ["1:18: error: redefinition of parameter 'a'"]],
		['void f(void) { int q; int q; }', ["1:27: error: redeclaration of 'q' with no linkage"]],
		['int f(int a) { int a; return 0; }', ["1:20: error: 'a' redeclared as different kind of symbol"]],
		['void f(void) { int x; extern int x; }', ["1:34: error: extern declaration of 'x' follows declaration with no linkage"]],
		['int a[];', ["1:5: warning: array 'a' assumed to have one element"]],
		['struct s x;', ["1:10: error: storage size of 'x' isn't known"]],
		['void f(void) { struct s x; }', ["1:25: error: storage size of 'x' isn't known"]],
		['void v;', ["1:6: error: variable or field 'v' declared void"]],
		['int a[-1];', ["1:7: error: size of array 'a' is negative"]],
		['void f(int n) { int a[n]; }', ["1:23: error: variable length array 'a' is not supported in KC"]],
		['int f(int);\nint f(int) { return 0; }', ['2:7: error: parameter name omitted']],
		['struct s; int f(struct s p) { return 0; }', ["1:26: error: parameter 1 ('p') has incomplete type"]],
		['struct s { int a; int a; };', ["1:23: error: duplicate member 'a'"]],
		['struct s { int x:0; int y:33; float z:3; };', ["1:18: error: zero width for bit-field 'x'", "1:27: error: width of 'y' exceeds its type", "1:39: error: bit-field 'z' has invalid type"]],
		['struct s { int a[]; int q; };', ['1:16: error: flexible array member not at end of struct']],
		['struct s { struct s self; };', ["1:21: error: field 'self' has incomplete type"]],
		['struct s { int a; }; struct s { int b; };', ["1:22: error: redefinition of 'struct s'"]],
		['struct s; union s *p;', ["1:11: error: 's' defined as wrong kind of tag"]],
		['typedef int T = 1;', ["1:13: error: typedef 'T' is initialized (use __typeof__ instead)"]],
		['int f(void) = 0;', ["1:5: error: function 'f' is initialized like a variable"]],
		['void f(void) { static int g(void); }', ["1:27: error: invalid storage class for function 'g'"]],
		['_Static_assert(sizeof(int) == 8, "int is 8 bytes");', ['1:1: error: static assertion failed: "int is 8 bytes"']],
		['int x; _Static_assert(x, "m");', ['1:23: error: expression in static assertion is not an integer constant expression']],
		['int x __attribute__((aligned(3)));', ['1:30: error: requested alignment is not a positive power of 2']],
	];
	for (const [source, diagnostics] of cases) {
		it(source.replace(/\n/g, ' '), () => {
			assert.deepEqual(diagnosticsOf(source), diagnostics);
		});
	}

	it('adds notes pointing at the previous declaration', () => {
		const [d] = compile('int f(int);\ndouble f(int);').diagnostics;
		assert.deepEqual(d.related?.map(r => `${r.range.line}:${r.range.col}: ${r.message}`), ["1:5: previous declaration of 'f' with type 'int (int)'"]);
	});

	it('links block-scope extern declarations and function declarations to the file-scope entity', () => {
		const unit = compileOk('int f(void) { extern int shared; int g(int); return shared + g(1); }\nint shared = 3;\nint g(int x) { return x; }');
		assert.equal(unit.globals.filter(g => g.name === 'shared').length, 1);
		const shared = globalNamed(unit, 'shared');
		assert.ok(shared.isDefinition && shared.linkage === 'external' && shared.init?.kind === 'expr');
		assert.equal(unit.functions.filter(fn => fn.name === 'g').length, 1);
		assert.ok(unit.functions.find(fn => fn.name === 'g')?.def);
	});

	it('marks tentative, extern and static definitions', () => {
		const unit = compileOk('int t; int t; extern int e; static int s = 2; extern int d; int d = 1;');
		const t = globalNamed(unit, 't');
		assert.ok(t.isDefinition && t.linkage === 'external' && !t.init);
		const e = globalNamed(unit, 'e');
		assert.ok(!e.isDefinition && e.linkage === 'external');
		assert.equal(globalNamed(unit, 's').linkage, 'internal');
		assert.ok(globalNamed(unit, 'd').isDefinition);
	});
});

describe('checker: functions and their variables', () => {
	const source = `
		int counter(int step, int *out) {
			static int total = 5;
			int local = step, taken = 0, arr[2] = { 0 };
			struct { int a; } rec = { 1 };
			int *where = &taken;
			total += local;
			*out = total + *where + arr[0] + rec.a;
			return total;
		}
		int twice(int n) { int m = n * 2; int *p = &((int[]){ m })[0]; return *p; }`;

	it('records params, every local (static ones too) and addressTaken', () => {
		const unit = compileOk(source);
		const f = functionNamed(unit.tree, 'counter');
		assert.deepEqual(f.params?.map(p => [p.name, p.storage, p.addressTaken]), [['step', 'param', false], ['out', 'param', false]]);
		assert.deepEqual(
			f.locals?.map(l => [l.name, l.storage, l.linkage, l.addressTaken]),
			[
				['total', 'global', 'none', false],
				['local', 'local', 'none', false],
				['taken', 'local', 'none', true],
				['arr', 'local', 'none', true],
				['rec', 'local', 'none', true],
				['where', 'local', 'none', false],
			],
		);
		const total = f.locals![0];
		assert.ok(unit.globals.includes(total));
		assert.ok(total.init?.kind === 'expr' && total.init.expr.constValue === 5n);
		assert.ok(f.symbol?.def === f);
	});

	it('lists the variables each declaration defines with their initializers', () => {
		const unit = compileOk(source);
		const f = functionNamed(unit.tree, 'counter');
		const decls = f.body.items.filter((i): i is Declaration => i.kind === 'Declaration');
		assert.deepEqual(decls.map(d => d.vars?.map(v => `${v.symbol.name}${v.init ? '=' + v.init.kind : ''}`)), [
			['total=expr'],
			['local=expr', 'taken=expr', 'arr=list'],
			['rec=list'],
			['where=expr'],
		]);
		const fileDecls = compileOk('int a, b = 2; extern int c; typedef int T; int f(void);').tree.decls as Declaration[];
		assert.deepEqual(fileDecls.map(d => d.vars?.map(v => v.symbol.name)), [['a', 'b'], [], [], []]);
	});

	it('makes compound literals local objects in functions and static ones at file scope', () => {
		const unit = compileOk(source + '\nint *gp = (int[]){ 1, 2 };');
		const twice = functionNamed(unit.tree, 'twice');
		const literal = twice.locals?.find(l => l.name.startsWith('(compound literal'));
		assert.ok(literal && literal.storage === 'local' && literal.addressTaken);
		const fileLiteral = unit.globals.find(g => g.name.startsWith('(compound literal') && g.storage === 'global');
		assert.ok(fileLiteral && fileLiteral.init?.kind === 'list' && typeToString(fileLiteral.type) === 'int [2]');
	});

	it('creates __func__ as a static local holding the name', () => {
		const unit = compileOk('const char *name(void) { return __func__; }');
		const f = functionNamed(unit.tree, 'name');
		const func = f.locals?.find(l => l.name === '__func__');
		assert.ok(func && func.init?.kind === 'list');
		const item = func.init.items[0];
		assert.ok('bytes' in item && new TextDecoder().decode(item.bytes) === 'name\0');
	});

	it('takes attributes: noreturn, aligned on variables', () => {
		const unit = compileOk('__attribute__((noreturn)) void die(void); _Noreturn void quit(void); int v __attribute__((aligned(16)));');
		assert.ok(unit.functions.find(f => f.name === 'die')?.attributes?.some(a => a.name === 'noreturn'));
		assert.ok(unit.functions.find(f => f.name === 'quit')?.attributes?.some(a => a.name === 'noreturn'));
		assert.ok(globalNamed(unit, 'v').attributes?.some(a => a.name === 'aligned'));
	});

	it('adjusts array and function parameters to pointers', () => {
		const unit = compileOk('int f(int a[10], int g(void), char s[const]) { return a[0] + g() + s[0]; }');
		const f = functionNamed(unit.tree, 'f') as FunctionDef;
		assert.deepEqual(f.params?.map(p => typeToString(p.type)), ['int *', 'int (*)(void)', 'char * const']);
		assert.equal(bodyExprs(f).length, 0);
	});
});
