// Unit tests for the KC checker's initializers (layer: lang): flattened CheckedInit items compared
// byte for byte with what gcc puts in memory, array lengths from initializers, string literals,
// struct copies, bit-fields, and the initializer diagnostics.

import assert from 'node:assert/strict';
import type { CheckedInit, Expr } from '../../../src/lang/ast';
import { typeToString } from '../../../src/lang/types';
import { compileOk, diagnosticsOf, functionNamed, globalNamed, show } from './checkSupport';

function store(bytes: Uint8Array, offset: number, size: number, v: bigint): void {
	for (let i = 0; i < size; i++) {
		bytes[offset + i] = Number((v >> BigInt(8 * i)) & 0xffn);
	}
}

function constant(e: Expr): bigint {
	assert.notEqual(e.constValue, undefined, `not constant: ${show(e)}`);
	return e.constValue!;
}

/** Applies a checked initializer whose items are integer constants to zeroed memory: what the linker does. */
function render(init: CheckedInit, size: number): string {
	const bytes = new Uint8Array(size);
	if (init.kind === 'expr') {
		store(bytes, 0, size, constant(init.expr));
	} else {
		assert.equal(init.size, size);
		for (const item of init.items) {
			if ('bytes' in item) {
				bytes.set(item.bytes, item.offset);
			} else if (item.bitField) {
				const field = item.bitField;
				const unit = item.type.kind === 'int' ? item.type.size : 0;
				let word = 0n;
				for (let k = 0; k < unit; k++) {
					word |= BigInt(bytes[item.offset + k]) << BigInt(8 * k);
				}
				const mask = ((1n << BigInt(field.bitWidth!)) - 1n) << BigInt(field.bitOffset!);
				word = (word & ~mask) | ((constant(item.expr) << BigInt(field.bitOffset!)) & mask);
				store(bytes, item.offset, unit, word);
			} else {
				store(bytes, item.offset, item.type.kind === 'int' ? item.type.size : 8, constant(item.expr));
			}
		}
	}
	return [...bytes].map(b => b.toString(16).padStart(2, '0')).join('');
}

describe('checker: initializers give the bytes gcc gives', () => {
	// Memory images printed by a gcc 12 build on x86-64.
	const cases: [type: string, init: string, bytes: string][] = [
		['struct { int a, b, c; }', '{ .b = 2, 3, .a = 1 }', '010000000200000003000000'],
		['int [6]', '{ [4] = 4, 5, [1] = 1, [2 ... 3] = 9 }', '000000000100000009000000090000000400000005000000'],
		['struct { struct { int x, y; } p[2]; int z; }', '{ 1, 2, 3, 4, 5 }', '0100000002000000030000000400000005000000'],
		['struct { struct { int x, y; } p[2]; int z; }', '{ .p[1].y = 7, 8 }', '0000000000000000000000000700000008000000'],
		['struct { struct { int x, y; } p[2]; int z; }', '{ .p[0] = { 1 }, .p[0].y = 3, .p[1] = { .y = 4 } }', '0100000003000000000000000400000000000000'],
		['struct { struct { int x, y; } s; int z; }', '{ .s.x = 1, .s.y = 2, .s = { .y = 5 } }', '000000000500000000000000'],
		['union { char c[4]; int i; }', '{ .i = 0x01020304 }', '04030201'],
		['union { char c[4]; int i; }', '{ { 1, 2 } }', '01020000'],
		['struct { char s[6]; int n; }', '{ "hey", 5 }', '686579000000000005000000'],
		['struct { char s[6]; int n; }', '{ .s = "abcdef", .n = 1, .s = "z" }', '7a0000000000000001000000'],
		['char [8]', '"ab"', '6162000000000000'],
		['char [3][4]', '{ "ab", "cde", [0][3] = 1 }', '616200016364650000000000'],
		['struct { int a; union { int b; char c; }; int d; }', '{ 1, 2, 3 }', '010000000200000003000000'],
		['struct { int a; union { int b; char c; }; int d; }', '{ .c = 7, 8 }', '000000000700000008000000'],
		['struct { unsigned a:3, b:5; int c:4; char d; }', '{ 5, 17, -3, 9 }', '8d0d0900'],
		['struct { unsigned a:3, b:5; int c:4; char d; }', '{ .c = 7, .a = 1 }', '01070000'],
		['int [2][3]', '{ 1, 2, 3, 4 }', '010000000200000003000000040000000000000000000000'],
		['int [2][3]', '{ { 1 }, { 4, 5 } }', '010000000000000000000000040000000500000000000000'],
		['int [2][3]', '{ [1] = 1, 2, [0][2] = 3 }', '000000000000000003000000010000000200000000000000'],
		['short [5]', '{ [0 ... 4] = 3, [2] = 1 }', '03000300010003000300'],
		['struct { char a; long b; } [2]', '{ { 1, 2 }, 3, 4 }', '0100000000000000020000000000000003000000000000000400000000000000'],
		['struct { int a[3]; int b; }', '{ .a[1] = 1, 2, 3 }', '00000000010000000200000003000000'],
		['unsigned char [4]', '{ 44, -1, 2.5, 1 }', '2cff0201'],
		['struct { int x; } [3]', '{ [2].x = 1, [0] = 2 }', '020000000000000001000000'],
		['int [4]', '{ 1, [0] = 2, 3 }', '02000000030000000000000000000000'],
		['struct { int a; int b[2]; int c; }', '{ 1, { 2 }, 3 }', '01000000020000000000000003000000'],
		['struct { short a; struct { char b, c; } in; long d; }', '{ .in.c = 5, 6, .a = 1 }', '01000005000000000600000000000000'],
		['long long', '{ 42 }', '2a00000000000000'],
		['_Bool [3]', '{ 0, 5, -1 }', '000101'],
	];
	for (const [type, init, bytes] of cases) {
		it(`(${type}) ${init}`, () => {
			const unit = compileOk(`typedef __typeof__(${type}) T;\nT v = ${init};`);
			const v = globalNamed(unit, 'v');
			assert.ok(v.init);
			assert.equal(render(v.init, bytes.length / 2), bytes);
		});
	}
});

describe('checker: initializer shapes', () => {
	it('completes array lengths from initializers', () => {
		const unit = compileOk('int a[] = { 1, 2, 3 }; char s[] = "abc"; int d[] = { [7] = 1, 2 }; char w[] = { "hi" }; int e[] = {};');
		assert.deepEqual(['a', 's', 'd', 'w', 'e'].map(n => typeToString(globalNamed(unit, n).type)), ['int [3]', 'char [4]', 'int [9]', 'char [3]', 'int [0]']);
	});

	it('keeps scalars as one converted expression', () => {
		const unit = compileOk('double d = 1; int i = { 7 }; void *p = 0;');
		const d = globalNamed(unit, 'd').init;
		assert.ok(d?.kind === 'expr' && show(d.expr) === 'IntegralToFloating<double>(1)');
		const i = globalNamed(unit, 'i').init;
		assert.ok(i?.kind === 'expr' && show(i.expr) === '7');
		const p = globalNamed(unit, 'p').init;
		assert.ok(p?.kind === 'expr' && show(p.expr) === 'NullToPointer<void *>(0)');
	});

	it('copies structs from expressions of the same type, whole or inside a list', () => {
		const unit = compileOk('struct s { int a, b; }; struct t { struct s in; int c; };\nint f(struct s x) { struct s y = x; struct t z = { x, 3 }; return y.a + z.c; }');
		const f = functionNamed(unit.tree, 'f');
		const [y, z] = f.body.items.filter(i => i.kind === 'Declaration').map(d => (d.kind === 'Declaration' ? d.vars![0].init! : undefined));
		assert.ok(y?.kind === 'expr' && show(y.expr) === 'LValueToRValue<struct s>(x)');
		assert.ok(z?.kind === 'list');
		assert.deepEqual(
			z.items.map(item => ('expr' in item ? `${item.offset}:${typeToString(item.type)}:${show(item.expr)}` : 'bytes')),
			['0:struct s:LValueToRValue<struct s>(x)', '8:int:3'],
		);
	});

	it('carries the field on bit-field items', () => {
		const unit = compileOk('struct { int a; unsigned b:4, c:4; } v = { 1, 2, 3 };');
		const init = globalNamed(unit, 'v').init;
		assert.ok(init?.kind === 'list');
		assert.deepEqual(init.items.map(item => ('bitField' in item && item.bitField ? `${item.offset}:${item.bitField.name}@${item.bitField.bitOffset}` : `${item.offset}`)), ['0', '4:b@0', '4:c@4']);
	});

	it('allows non-constant elements for automatic objects only', () => {
		compileOk('int f(int x) { int a[2] = { x, x + 1 }; struct { int *p; } s = { &x }; return a[0] + *s.p; }');
		assert.deepEqual(diagnosticsOf('int x; int y = x;'), ['1:16: error: initializer element is not constant']);
		assert.deepEqual(diagnosticsOf('int f(int x) { static int y = x; return y; }'), ['1:31: error: initializer element is not constant']);
	});

	it('accepts address constants in static initializers', () => {
		compileOk(`
			struct s { int a; int b[4]; } g;
			int arr[10]; int f(void);
			int *p1 = &g.b[2]; int *p2 = arr + 3; int *p3 = &arr[1] - 1; const char *s = "str";
			int (*fp)(void) = f; void *v = (void *)&g; long l = (long)&g; int *n = 0;
			unsigned long off = (unsigned long)&((struct s *)0)->b[1]; int *p4 = g.b;
			static int *cl = (int []){ 1, 2 }; double d = 1.0 / 3; int c = sizeof(g) > 4 ? 1 : 2;
			void *table[] = { &g, arr, (void *)f, 0 };`);
	});
});

describe('checker: initializer diagnostics', () => {
	const cases: [source: string, diagnostics: string[]][] = [
		['int a[2] = { 1, 2, 3 };', ['1:20: warning: excess elements in array initializer']],
		['struct { int a; } s = { 1, 2 };', ['1:28: warning: excess elements in struct initializer']],
		['union { int a; char b; } u = { 1, 2 };', ['1:35: warning: excess elements in union initializer']],
		['int s = { 1, 2 };', ['1:14: warning: excess elements in scalar initializer']],
		['int s = { { 1 } };', ['1:11: warning: braces around scalar initializer']],
		['char s[2] = "abc";', ["1:13: warning: initializer-string for array of 'char' is too long"]],
		['int a[3] = "abc";', ['1:12: error: array of inappropriate type initialized from string constant']],
		['int a[3] = 5;', ['1:12: error: invalid initializer']],
		['struct s { int a; }; struct s x = 5;', ['1:35: error: invalid initializer']],
		['struct v { int n; }; struct v bad = { .q = 1 };', ["1:39: error: 'struct v' has no member named 'q'"]],
		['int idx[3] = { [5] = 1 };', ['1:16: error: array index in initializer exceeds array bounds']],
		['int idx[3] = { .a = 1 };', ['1:16: error: field name not in record or union initializer']],
		['struct { int a; } s = { [0] = 1 };', ['1:25: error: array index in non-array initializer']],
		['int n; int idx[3] = { [n] = 1 };', ['1:24: error: nonconstant array index in initializer']],
		['int *p = { 5 };', ["1:12: warning: initialization of 'int *' from 'int' makes pointer from integer without a cast"]],
	];
	for (const [source, diagnostics] of cases) {
		it(source, () => {
			assert.deepEqual(diagnosticsOf(source), diagnostics);
		});
	}
});
