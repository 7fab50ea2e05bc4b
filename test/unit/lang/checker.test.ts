// Unit tests for the KC checker's expressions (layer: lang): result types, the conversions it
// makes explicit (loads, decays, promotions, usual arithmetic conversions), constant folding with
// C's wrap-around, builtins, and the expression diagnostics with their positions.

import assert from 'node:assert/strict';
import type { Call, Conditional, Expr, Index, Member } from '../../../src/lang/ast';
import { check } from '../../../src/lang/checker';
import { parse } from '../../../src/lang/parser';
import { memorySources, preprocess } from '../../../src/lang/preprocessor';
import { checkedExpr, compile, compileOk, diagnosticsOf, show, typeOf } from './checkSupport';

describe('checker: expression types', () => {
	const cases: [expr: string, type: string, decls?: string, locals?: string][] = [
		['c + 1', 'int', '', 'char c;'],
		['c + c', 'int', '', 'unsigned char c;'],
		['u + 1', 'unsigned int', '', 'unsigned u;'],
		['u + 1L', 'long', '', 'unsigned u;'],
		['ul + 1L', 'unsigned long', '', 'unsigned long ul;'],
		['1.0f + 1', 'float', '', ''],
		['1.0f + 1.0', 'double', '', ''],
		['1.0L * 2', 'long double', '', ''],
		['s << 40L', 'int', '', 'short s;'],
		['p + 1', 'int *', '', 'int *p;'],
		['1 + p', 'int *', '', 'int *p;'],
		['p - p', 'long', '', 'int *p;'],
		['p == 0', 'int', '', 'int *p;'],
		['!p', 'int', '', 'int *p;'],
		['a', 'int [4]', '', 'int a[4];'],
		['&a', 'int (*)[4]', '', 'int a[4];'],
		['*a', 'int', '', 'int a[4];'],
		['a[1]', 'int', '', 'int a[4];'],
		['"abc"', 'char [4]', '', ''],
		['L"ab"', 'int [3]', '', ''],
		['\'a\'', 'int', '', ''],
		['sizeof(int)', 'unsigned long', '', ''],
		['f', 'int (int)', 'int f(int);', ''],
		['&f', 'int (*)(int)', 'int f(int);', ''],
		['f(1)', 'int', 'int f(int);', ''],
		['fp(1)', 'long', 'long (*fp)(int);', ''],
		['(*fp)(1)', 'long', 'long (*fp)(int);', ''],
		['s.b', 'char', 'struct s { int a; char b; } s;', ''],
		['ps->a', 'int', 'struct s { int a; char b; } *ps;', ''],
		['cs.a', 'const int', 'const struct s { int a; } cs;', ''],
		['c ? 1 : 2.0', 'double', '', 'int c;'],
		['c ? p : 0', 'int *', '', 'int c; int *p;'],
		['c ? p : v', 'void *', '', 'int c; int *p; void *v;'],
		['c ? cp : p', 'const int *', '', 'int c; int *p; const int *cp;'],
		['c ? s : s', 'struct s', 'struct s { int a; } s;', 'int c;'],
		['c ? (void)0 : (void)1', 'void', '', 'int c;'],
		['(1, 2.5)', 'double', '', ''],
		['x = 3', 'int', '', 'int x;'],
		['x += 2.5', 'char', '', 'char x;'],
		['x++', 'short', '', 'short x;'],
		['-x', 'int', '', 'unsigned char x;'],
		['~x', 'unsigned long', '', 'unsigned long x;'],
		['(long)x', 'long', '', 'int x;'],
		['e', 'enum e', 'enum e { A, B } e;', ''],
		['A', 'int', 'enum e { A, B } e;', ''],
		['e + 1', 'unsigned int', 'enum e { A, B } e;', ''],
		['n + 1', 'int', 'enum n { M = -1 } n;', ''],
		['(struct s){ 1 }', 'struct s', 'struct s { int a; };', ''],
		['(int[]){ 1, 2, 3 }', 'int [3]', '', ''],
		['({ int y = 2; y * 2L; })', 'long', '', ''],
		['({ int y = 2; })', 'void', '', ''],
		['__builtin_expect(x, 1)', 'long', '', 'int x;'],
		['__builtin_clzl(x)', 'int', '', 'unsigned long x;'],
		['__builtin_bswap16(x)', 'unsigned short', '', 'int x;'],
		['bf.x + 0', 'int', 'struct { unsigned x:3; unsigned y:32; unsigned long z:40; } bf;', ''],
		['bf.y + 0', 'unsigned int', 'struct { unsigned x:3; unsigned y:32; unsigned long z:40; } bf;', ''],
		['bf.z + 0', 'unsigned long', 'struct { unsigned x:3; unsigned y:32; unsigned long z:40; } bf;', ''],
		['__func__', 'const char [2]', '', ''],
		['__builtin_memcpy(d, s, 4)', 'void *', '', 'char d[4], s[4];'],
		['__builtin_strlen("abc")', 'unsigned long', '', ''],
		['__builtin_strlen(p)', 'long', 'long strlen(const char *);', 'char *p;'],
		['__builtin_add_overflow(a, b, &r)', '_Bool', '', 'int a, b; long r;'],
		['__builtin_choose_expr(1, 1.5, (char *)0)', 'double', '', ''],
		['__builtin_huge_valf()', 'float', '', ''],
		['__builtin_nan("")', 'double', '', ''],
		['__builtin_inf() > 1e308', 'int', '', ''],
		['__builtin_prefetch(p)', 'void', '', 'int *p;'],
	];
	for (const [expr, type, decls, locals] of cases) {
		it(`${expr} has type ${type}`, () => {
			assert.equal(typeOf(expr, decls, locals), type);
		});
	}
});

describe('checker: inserted conversions', () => {
	const cases: [expr: string, tree: string, decls?: string, locals?: string][] = [
		['c + 1', '(IntegralCast<int>(LValueToRValue<char>(c)) + 1)', '', 'char c;'],
		['x + l', '(IntegralCast<long>(LValueToRValue<int>(x)) + LValueToRValue<long>(l))', '', 'int x; long l;'],
		['-1 < 1u', '(IntegralCast<unsigned int>(-(1)) < 1u)'],
		['x < 1.5f', '(IntegralToFloating<float>(LValueToRValue<int>(x)) < 1.5f)', '', 'int x;'],
		['s << 2L', '(IntegralCast<int>(LValueToRValue<short>(s)) << 2L)', '', 'short s;'],
		['p + 1', '(LValueToRValue<int *>(p) + IntegralCast<long>(1))', '', 'int *p;'],
		['p + u', '(LValueToRValue<int *>(p) + IntegralCast<long>(LValueToRValue<unsigned int>(u)))', '', 'int *p; unsigned u;'],
		['i[a]', 'ArrayToPointerDecay<int *>(a)[IntegralCast<long>(LValueToRValue<int>(i))]', '', 'int a[4]; int i;'],
		['p = 0', '(p = NullToPointer<int *>(0))', '', 'int *p;'],
		['p = (void *)0', '(p = BitCast<int *>((void *:NullToPointer)0))', '', 'int *p;'],
		['v = p', '(v = BitCast<void *>(LValueToRValue<int *>(p)))', '', 'int *p; void *v;'],
		['cp = p', '(cp = NoOp<const int *>(LValueToRValue<int *>(p)))', '', 'int *p; const int *cp;'],
		['b = p', '(b = PointerToBoolean<_Bool>(LValueToRValue<int *>(p)))', '', 'int *p; _Bool b;'],
		['x = 2.5', '(x = FloatingToIntegral<int>(2.5))', '', 'int x;'],
		['d = x', '(d = IntegralToFloating<double>(LValueToRValue<int>(x)))', '', 'int x; double d;'],
		['f = d', '(f = FloatingCast<float>(LValueToRValue<double>(d)))', '', 'float f; double d;'],
		['x = cx', '(x = LValueToRValue<int>(cx))', '', 'int x; const int cx = 1;'],
		['g(1.5f, c)', 'FunctionToPointerDecay<int (*)(int, ...)>(g)(FloatingToIntegral<int>(1.5f), IntegralCast<int>(LValueToRValue<char>(c)))', 'int g(int, ...);', 'char c;'],
		['g(1, 1.5f)', 'FunctionToPointerDecay<int (*)(int, ...)>(g)(1, FloatingCast<double>(1.5f))', 'int g(int, ...);', ''],
		['h(s)', 'FunctionToPointerDecay<int (*)()>(h)(IntegralCast<int>(LValueToRValue<short>(s)))', 'int h();', 'short s;'],
		['c ? 1 : 2.0', '(LValueToRValue<int>(c) ? IntegralToFloating<double>(1) : 2.0)', '', 'int c;'],
		['(long)p', '(long:PointerToIntegral)LValueToRValue<int *>(p)', '', 'int *p;'],
		['(void)x', '(void:ToVoid)LValueToRValue<int>(x)', '', 'int x;'],
		['(int)x', '(int:NoOp)LValueToRValue<int>(x)', '', 'int x;'],
		['s.b', 's.b', 'struct s { int a; char b; } s;', ''],
		['ps->b', 'LValueToRValue<struct s *>(ps)->b', 'struct s { int a; char b; } *ps;', ''],
		['x *= 2.5', '(x *= 2.5)', '', 'int x;'],
		['e = 1', '(e = IntegralCast<enum e>(1))', 'enum e { A } e;', ''],
		['e + 1u', '(NoOp<unsigned int>(LValueToRValue<enum e>(e)) + 1u)', 'enum e { A } e;', ''],
	];
	for (const [expr, tree, decls, locals] of cases) {
		it(`${expr} -> ${tree}`, () => {
			assert.equal(show(checkedExpr(expr, decls, locals)), tree);
		});
	}

	it('records the operation type of compound assignments', () => {
		const e = checkedExpr('c += 1.5', '', 'char c;');
		assert.equal(e.kind, 'Assign');
		if (e.kind === 'Assign') {
			assert.equal(e.opType?.kind === 'float' && e.opType.name, 'double');
		}
		const p = checkedExpr('p -= 2', '', 'long *p;');
		assert.ok(p.kind === 'Assign' && p.pointerScale === 8 && show(p.value) === 'IntegralCast<long>(2)');
		const sh = checkedExpr('c <<= 2L', '', 'char c;');
		assert.ok(sh.kind === 'Assign' && sh.opType?.kind === 'int' && sh.opType.name === 'int' && show(sh.value) === '2L');
	});

	it('scales pointer arithmetic by the element size (1 for void *)', () => {
		const cases: [string, string, number][] = [
			['p + 1', 'double *p;', 8],
			['p - q', 'double *p, *q;', 8],
			['v + 1', 'void *v;', 1],
			['s + 1', 'struct { char c[12]; } *s;', 12],
		];
		for (const [expr, locals, scale] of cases) {
			const e = checkedExpr(expr, '', locals);
			assert.ok(e.kind === 'Binary' && e.pointerScale === scale, expr);
		}
	});

	it('normalizes indexing and records the element size and array bounds', () => {
		const e = checkedExpr('2[a]', '', 'int a[7];') as Index;
		assert.equal(show(e.base), 'ArrayToPointerDecay<int *>(a)');
		assert.equal(e.scale, 4);
		assert.equal(e.boundsLength, 7);
		const p = checkedExpr('p[1]', '', 'int *p;') as Index;
		assert.equal(p.boundsLength, undefined);
		const m = checkedExpr('m[1][2]', '', 'short m[3][5];') as Index;
		assert.equal(m.scale, 2);
		assert.equal(m.boundsLength, 5);
		assert.equal((m.base as Expr & { operand: Index }).operand.boundsLength, 3);
	});

	it('resolves members through anonymous structs and unions with their offsets', () => {
		const decls = 'struct s { char c; union { int i; struct { short lo, hi; }; }; long l; } s;';
		const hi = checkedExpr('s.hi', decls) as Member;
		assert.equal(hi.offset, 6);
		assert.equal(hi.field?.name, 'hi');
		assert.equal((checkedExpr('s.l', decls) as Member).offset, 8);
	});

	it('keeps the GNU `?:` condition one node', () => {
		const e = checkedExpr('c ?: 2L', '', 'int c;') as Conditional;
		assert.equal(e.cond, e.then);
		assert.equal(show(e.cond), 'IntegralCast<long>(LValueToRValue<int>(c))');
	});

	it('records the callee type of calls', () => {
		const e = checkedExpr('f(1, 2)', 'int f(int, long);') as Call;
		assert.equal(e.calleeType?.params.length, 2);
	});

	it('types every expression node of a checked tree', () => {
		const unit = compileOk(`
			struct s { int a[3]; struct s *next; };
			static int g(int x, ...) { return x; }
			int main(void) {
				struct s v = { { 1, 2 }, 0 };
				int i = sizeof v.a / sizeof v.a[0];
				v.next = &v;
				i += g(i, v.next->a[1], (char)i, 1.5f) ? ({ int t = i; t; }) : (int){ 4 };
				return v.a[i & 1] + __builtin_offsetof(struct s, a[2]);
			}`);
		let count = 0;
		const visit = (e: Expr) => {
			count++;
			assert.ok(e.type, `untyped ${e.kind}`);
		};
		for (const d of unit.tree.decls) {
			if (d.kind === 'FunctionDef') {
				walkAll(d, visit);
			}
		}
		assert.ok(count > 40);
	});
});

function walkAll(node: unknown, visit: (e: Expr) => void, seen = new Set<object>()): void {
	if (!node || typeof node !== 'object' || seen.has(node) || node instanceof Uint8Array) {
		return;
	}
	seen.add(node);
	const record = node as Record<string, unknown>;
	if (typeof record.kind === 'string' && 'range' in record && !('items' in record && record.kind === 'InitList') && isExpr(record.kind)) {
		visit(node as Expr);
	}
	for (const [key, value] of Object.entries(record)) {
		if (['type', 'symbol', 'field', 'calleeType', 'object', 'range', 'nameRange', 'specs', 'declarator', 'typeName'].includes(key)) {
			continue;
		}
		for (const v of Array.isArray(value) ? value : [value]) {
			walkAll(v, visit, seen);
		}
	}
}

function isExpr(kind: string): boolean {
	return /^(IntLiteral|FloatLiteral|CharLiteral|StringLiteral|Ident|Unary|Binary|Assign|Conditional|Call|Index|Member|Cast|ImplicitCast|SizeofExpr|SizeofType|AlignofType|Offsetof|VaArg|CompoundLiteral|StmtExpr|BuiltinCall|ErrorExpr)$/.test(kind);
}

describe('checker: integer constant expressions', () => {
	const cases: [expr: string, value: bigint | undefined, decls?: string][] = [
		['-1 < 1u', 0n],
		['-1 < 1', 1n],
		['-1L < 1u', 1n],
		['(unsigned char)-1', 255n],
		['(signed char)200', -56n],
		['(_Bool)256', 1n],
		['(char)300', 44n],
		['2147483647 + 1', -2147483648n],
		['4294967295u + 1', 0n],
		['-2147483647 - 1', -2147483648n],
		['0x7fffffff', 2147483647n],
		['0xffffffff', 4294967295n],
		['2147483648', 2147483648n],
		['-1 >> 1', -1n],
		['-1u >> 1', 2147483647n],
		['1 << 31', -2147483648n],
		['1ull << 63', 9223372036854775808n],
		['7 / -2', -3n],
		['7 % -2', 1n],
		['-7 % 2', -1n],
		['~0u', 4294967295n],
		['!5', 0n],
		['1 ? 2 : 3', 2n],
		['0 ? 2 : 3u', 3n],
		['0 && x', 0n, 'int x;'],
		['1 || x', 1n, 'int x;'],
		['1 && 2', 1n],
		['3 > 2 == 1', 1n],
		['sizeof(long double)', 16n],
		['sizeof(int[3][5])', 60n],
		['sizeof "abc"', 4n],
		['sizeof(struct s)', 12n, 'struct s { char a; int b:3; int c:30; long : 0; char d; };'],
		['_Alignof(double)', 8n],
		['__alignof__(long double)', 16n],
		['__builtin_offsetof(struct s, b[2])', 12n, 'struct s { char a; int b[4]; };'],
		['(long)&((struct s *)0)->b', 4n, 'struct s { char a; int b[4]; };'],
		['B * 10', 60n, 'enum { A = 5, B };'],
		['(int)3.9', 3n],
		['(int)-3.9', -3n],
		['(int)(1.5 * 3)', 4n],
		['1.5 > 1', 1n],
		['__builtin_constant_p(3 + 4)', 1n],
		['__builtin_constant_p(x)', 0n, 'int x;'],
		['__builtin_types_compatible_p(int, const int)', 1n],
		['__builtin_types_compatible_p(int, long)', 0n],
		['__builtin_types_compatible_p(unsigned, enum e)', 1n, 'enum e { E };'],
		['__builtin_clz(1)', 31n],
		['__builtin_ctzll(8)', 3n],
		['__builtin_popcountl(255)', 8n],
		['__builtin_bswap32(0x11223344)', 0x44332211n],
		['__builtin_bswap16(0x1122)', 0x2211n],
		['__builtin_expect(5, 0)', 5n],
		['__builtin_expect_with_probability(5, 0, 0.9)', 5n],
		['__builtin_ffs(8)', 4n],
		['__builtin_ffsll(0)', 0n],
		['__builtin_choose_expr(0, 1, 2)', 2n],
		['__builtin_object_size(p, 0)', 18446744073709551615n, 'int *p;'],
		['__builtin_object_size(p, 2)', 0n, 'int *p;'],
		['__builtin_inf() > 1e308', 1n],
		['x', undefined, 'const int x = 3;'],
		['(1, 2)', undefined],
		['f()', undefined, 'int f(void);'],
	];
	for (const [expr, value, decls] of cases) {
		it(`${expr} = ${value ?? 'not constant'}`, () => {
			const e = checkedExpr(expr, decls);
			assert.equal(e.constValue, value);
		});
	}

	it('uses constant expressions for array sizes, enums, case labels and bit widths', () => {
		const unit = compileOk(`
			enum { N = sizeof(long) * 2 };
			int a[N + (1 ? 3 : -1)];
			struct b { unsigned x : N - 10; };
			int f(int v) { switch (v) { case N: return 1; case N + 1 ... N + 3: return 2; } return 0; }
		`);
		const a = unit.globals.find(g => g.name === 'a')!;
		assert.equal(a.type.kind === 'array' && a.type.length, 19);
	});

	it('reports division by zero, and requires a constant where one is needed', () => {
		assert.deepEqual(diagnosticsOf('int a[1 / 0];'), ['1:7: warning: division by zero', "1:7: error: variably modified 'a' at file scope"]);
		assert.deepEqual(diagnosticsOf('enum { A = 1 % 0 };'), ['1:12: warning: division by zero', "1:12: error: enumerator value for 'A' is not an integer constant"]);
		assert.deepEqual(diagnosticsOf('void f(int x) { x = x / 0; }'), ['1:21: warning: division by zero']);
	});

	it('warns about signed overflow in constant folding and shifts out of range', () => {
		assert.deepEqual(diagnosticsOf('int x = 2147483647 + 1;'), ["1:9: warning: integer overflow in expression of type 'int' results in '-2147483648'"]);
		assert.deepEqual(diagnosticsOf('int x = 1 << 32;'), ['1:9: warning: left shift count >= width of type', "1:9: error: initializer element is not constant"]);
		assert.deepEqual(diagnosticsOf('int y = -1; int x = 1 >> -1;'), ['1:21: warning: right shift count is negative', '1:21: error: initializer element is not constant']);
	});

	it('warns when a constant changes value on conversion, as gcc -Woverflow', () => {
		assert.deepEqual(diagnosticsOf('char c = 300; unsigned char u = -1; char d = 255; unsigned char e = -300;'), [
			"1:10: warning: overflow in conversion from 'int' to 'char' changes value from '300' to '44'",
			"1:69: warning: unsigned conversion from 'int' to 'unsigned char' changes value from '-300' to '212'",
		]);
		assert.deepEqual(diagnosticsOf('struct { unsigned a:3; } s = { 9 };'), ["1:32: warning: unsigned conversion from 'int' to 'unsigned int:3' changes value from '9' to '1'"]);
	});
});

describe('checker: expression diagnostics', () => {
	const fn = (body: string, decls = '') => diagnosticsOf(`${decls}\nvoid t(void) {\n${body}\n}`).map(d => d.replace(/^\d+:/, ''));
	const cases: [body: string, diagnostics: string[], decls?: string][] = [
		['int a[3]; a = 0;', ['11: error: assignment to expression with array type']],
		['1 = 2;', ['1: error: lvalue required as left operand of assignment']],
		['&3;', ['1: error: lvalue required as unary \'&\' operand']],
		['g(1, 2);', ["1: error: too many arguments to function 'g'"], 'int g(int);'],
		['g();', ["1: error: too few arguments to function 'g'"], 'int g(int);'],
		['zz = 1; zz = 2;', ["1: error: 'zz' undeclared (first use in this function)"]],
		['yy();', ["1: error: implicit declaration of function 'yy'"]],
		['struct s k; k.b = 1;', ["15: error: 'struct s' has no member named 'b'"], 'struct s { int a; };'],
		['struct s k; k->a = 1;', ["13: error: invalid type argument of '->' (have 'struct s')"], 'struct s { int a; };'],
		['int x; x.y = 1;', ["10: error: request for member 'y' in something not a structure or union"]],
		['const int ci = 1; ci = 2;', ["19: error: assignment of read-only variable 'ci'"]],
		['const int ci = 1; ci++;', ["19: error: increment of read-only variable 'ci'"]],
		['const struct s cs = { 1 }; cs.a = 2;', ["28: error: assignment of member 'a' in read-only object"], 'struct s { int a; };'],
		['struct s v; v.a = 2;', ["13: error: assignment of read-only member 'a'"], 'struct s { const int a; };'],
		['int x; const int *cp = &x; *cp = 3;', ["28: error: assignment of read-only location '*cp'"]],
		['const struct s *p = 0; p->a = 1;', ["24: error: assignment of member 'a' in read-only object"], 'struct s { int a; };'],
		['struct t *tp = 0; tp->x = 1;', ["19: error: invalid use of undefined type 'struct t'"], 'struct t;'],
		['int n = sizeof(struct t);', ["9: error: invalid application of 'sizeof' to incomplete type 'struct t'"], 'struct t;'],
		['int x; x();', ["8: error: called object 'x' is not a function or function pointer"]],
		['int *p = 0; void *v = 0; p + v;', ['26: error: invalid operands to binary + (have \'int *\' and \'void *\')']],
		['int *p = 0; char *c = 0; p - c;', ['26: error: invalid operands to binary - (have \'int *\' and \'char *\')']],
		['struct s v; -v;', ['13: error: wrong type argument to unary minus'], 'struct s { int a; };'],
		['~1.5;', ['1: error: wrong type argument to bit-complement']],
		['struct s v; if (v) {}', ['17: error: used struct type value where scalar is required'], 'struct s { int a; };'],
		['struct s v; int x = 1 ? v : 2;', ['21: error: type mismatch in conditional expression'], 'struct s { int a; };'],
		['int *ip = 0; char *cp = ip;', ["25: warning: initialization of 'char *' from incompatible pointer type 'int *'"]],
		['int *ip = 0; char *cp = 0; ip < cp;', ['28: warning: comparison of distinct pointer types lacks a cast']],
		['int *ip = 0; ip == 5;', ['14: warning: comparison between pointer and integer']],
		['int *p = 5;', ["10: warning: initialization of 'int *' from 'int' makes pointer from integer without a cast"]],
		['int *p = 0; int x = p;', ["21: warning: initialization of 'int' from 'int *' makes integer from pointer without a cast"]],
		['int *p; p = 1;', ["13: warning: assignment to 'int *' from 'int' makes pointer from integer without a cast"]],
		['const int *cp = 0; int *p = cp;', ["29: warning: initialization discards 'const' qualifier from pointer target type"]],
		['const char *s = "x"; g(s);', ["24: warning: passing argument 1 of 'g' discards 'const' qualifier from pointer target type"], 'void g(char *);'],
		['g(1);', ["3: warning: passing argument 1 of 'g' makes pointer from integer without a cast"], 'void g(char *);'],
		['unsigned char *u = 0; char *c = u; long *l = 0; long long *q = l;', ["64: warning: initialization of 'long long *' from incompatible pointer type 'long *'"]],
		['int *p = 0; g(p);', ["15: warning: passing argument 1 of 'g' from incompatible pointer type"], 'void g(char *);'],
		['struct s v; int x = v;', ["21: error: incompatible types when initializing type 'int' using type 'struct s'"], 'struct s { int a; };'],
		['struct s v; v = 1;', ["17: error: incompatible types when assigning to type 'struct s' from type 'int'"], 'struct s { int a; };'],
		['g(1);', ["3: error: incompatible type for argument 1 of 'g'"], 'struct s { int a; }; void g(struct s);'],
		['int x = g();', ['9: error: void value not ignored as it ought to be'], 'void g(void);'],
		['int *p; p[1.0];', ['11: error: array subscript is not an integer']],
		['int x; x[1];', ['8: error: subscripted value is neither array nor pointer nor vector']],
		['float f = 1; f %= 2;', ["14: error: invalid operands to binary % (have 'float' and 'int')"]],
		['int *p = 0; (int[2])p;', ['13: error: cast specifies array type']],
		['int x = 0; (struct s)x;', ['12: error: conversion to non-scalar type requested'], 'struct s { int a; };'],
		['__builtin_foo(1);', ["1: error: unknown builtin '__builtin_foo'"]],
		['__builtin_memcpy(1, 2);', ["18: warning: passing argument 1 of '__builtin_memcpy' makes pointer from integer without a cast", "21: warning: passing argument 2 of '__builtin_memcpy' makes pointer from integer without a cast", "1: error: too few arguments to function '__builtin_memcpy'"]],
		['int a; const int c = 0; __builtin_add_overflow(a, a, &c);', ["54: error: result argument to '__builtin_add_overflow' is not a pointer to a modifiable integer"]],
		['register int r; int *p = &r;', ["26: error: address of register variable 'r' requested"]],
		['struct { int b:3; } s; int *p = &s.b;', ["33: error: cannot take address of bit-field 'b'"]],
		['struct { int b:3; } s; sizeof s.b;', ["24: error: 'sizeof' applied to a bit-field"]],
		['void *v = 0; int x = *v;', ["22: warning: dereferencing 'void *' pointer", '22: error: void value not ignored as it ought to be']],
		['int x = *5;', ["9: error: invalid type argument of unary '*' (have 'int')"]],
		['__builtin_va_start(ap, 1);', ["1: error: 'va_start' used in function with fixed arguments"], '__builtin_va_list ap;'],
		['int x = __builtin_va_arg(ap, int);', [], '__builtin_va_list ap;'],
		['int x = __builtin_va_arg(ap, char);', ["30: warning: 'char' is promoted to 'int' when passed through '...'"], '__builtin_va_list ap;'],
		['int x; __builtin_va_end(x);', ["25: error: first argument to 'va_end' not of type 'va_list'"]],
	];
	for (const [body, diagnostics, decls] of cases) {
		it(`${body}${decls ? ` (after ${decls})` : ''}`, () => {
			assert.deepEqual(fn(body, decls), diagnostics);
		});
	}

	it('reports an undeclared name once per function, and at file scope differently', () => {
		assert.deepEqual(diagnosticsOf('int a = b;'), ["1:9: error: 'b' undeclared here (not in a function)"]);
		assert.deepEqual(diagnosticsOf('void f(void) { x = 1; x = 2; }\nvoid g(void) { x = 3; }'), [
			"1:16: error: 'x' undeclared (first use in this function)",
			"2:16: error: 'x' undeclared (first use in this function)",
		]);
	});

	it('points at the offending subexpression', () => {
		const [d] = compile('void t(int *p) {\n  int x = 1 + (p * 2);\n}').diagnostics;
		assert.equal(d.message, "invalid operands to binary * (have 'int *' and 'int')");
		assert.deepEqual([d.range.line, d.range.col, d.range.endLine, d.range.endCol], [2, 16, 2, 21]);
	});
});

describe('checker: check() on its own', () => {
	it('never throws on a tree it cannot make sense of, and reports an internal error', () => {
		const bogus = { kind: 'TranslationUnit', file: 'x.c', range: { file: 'x.c', line: 1, col: 1, endLine: 1, endCol: 1 }, decls: [{ kind: 'Declaration', range: { file: 'x.c', line: 1, col: 1, endLine: 1, endCol: 1 } }] };
		const result = check(bogus as never);
		assert.equal(result.diagnostics.length, 1);
		assert.match(result.diagnostics[0].message, /^internal checker error: /);
	});

	it('can silence warnings', () => {
		const source = 'int f(void) { int *p = 5; return 0; }';
		const parsed = () => parse(preprocess('t.c', memorySources({ 't.c': source })).tokens, 't.c').tree;
		assert.equal(check(parsed()).diagnostics.length, 1);
		assert.equal(check(parsed(), { warnings: false }).diagnostics.length, 0);
	});
});
