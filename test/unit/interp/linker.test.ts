// The KC linker: symbols across translation units, internal linkage, undefined references and
// multiple definitions (with locations), function addresses, and static initializers including
// address constants.

import * as assert from 'node:assert/strict';
import { FlatLayout } from '../../../src/interp/contracts';
import { FlatMemory } from '../../../src/interp/flatMemory';
import { link } from '../../../src/interp/linker';
import { formatDiagnostic } from '../../../src/lang/source';
import { compileAll, runProgram, testBuiltins } from './harness';

function linkErrors(files: Record<string, string>): string[] {
	const memory = new FlatMemory();
	const r = link(compileAll(files), testBuiltins({ text: '' }, memory), memory);
	return r.diagnostics.map(formatDiagnostic);
}

describe('KC linker', () => {
	it('links several units: external symbols shared, static ones private to each unit', () => {
		const r = runProgram({
			'main.c': `void putint(long v);
extern int counter;
int bump(int by);
static int helper(void) { return 1000; }
int main(void) { bump(2); bump(3); putint(counter); putint(helper()); return 0; }`,
			'lib.c': `int counter = 10;
static int helper(void) { return 1; }
int bump(int by) { counter += by * helper(); return counter; }`,
		});
		assert.deepEqual(r.stop, { kind: 'exited', code: 0 });
		assert.equal(r.output, '15\n1000\n');
	});

	it('reports undefined references at the use', () => {
		const errors = linkErrors({ 'main.c': 'int missing(int);\nextern int nowhere;\nint main(void) {\n\treturn missing(1) + nowhere;\n}' });
		assert.deepEqual(errors, ["main.c:4:9: error: undefined reference to 'missing'", "main.c:4:22: error: undefined reference to 'nowhere'"]);
	});

	it('an unused declaration without a definition is fine', () => {
		assert.deepEqual(linkErrors({ 'main.c': 'int never_called(void);\nint main(void) { return 0; }' }), []);
	});

	it('reports multiple definitions', () => {
		const errors = linkErrors({ 'a.c': 'int x = 1;\nint f(void) { return 1; }\nint main(void) { return 0; }', 'b.c': 'int x = 2;\nint f(void) { return 2; }' });
		assert.equal(errors.length, 2);
		assert.ok(errors.some(e => e.startsWith("b.c:1:") && e.endsWith("multiple definition of 'x'")), errors.join('\n'));
		assert.ok(errors.some(e => e.startsWith("b.c:2:") && e.endsWith("multiple definition of 'f'")), errors.join('\n'));
	});

	it('gives every function an address textBase + 16 * index, builtins included', () => {
		const memory = new FlatMemory();
		const r = link(compileAll({ 'main.c': 'void putint(long);\nint a(void) { return 0; }\nint main(void) { putint((long)&a); return a(); }' }), testBuiltins({ text: '' }, memory), memory);
		const program = r.program!;
		program.functions.forEach((f, i) => assert.equal(f.address, FlatLayout.textBase + 16 * i));
		assert.equal(program.functionByName('putint')?.kind, 'builtin');
		assert.equal(program.functionAt(program.functionByName('main')!.address)?.name, 'main');
		assert.equal(program.functionAt(FlatLayout.textBase + 3), undefined);
	});

	it('evaluates static initializers with address constants, casts and arithmetic', () => {
		const r = runProgram(`void putint(long v);
struct s { int a; int f[4]; struct s *self; };
struct s g = { 1, { 2, 3, 4, 5 }, &g };
int *p1 = &g.f[2];
int *p2 = g.f + 3;
char *s = "xyz" + 1;
long diff = sizeof(g.f) / sizeof(int) - 1;
unsigned long addr = (unsigned long)&g;
int (*fp)(void);
int zero;
double d = 1.0 / 4 + 2;
char c = 300;
unsigned u = -1;
_Bool b = 7;
int arr[] = { [4] = 9, [1 ... 2] = 7 };
int main(void) {
	putint(*p1); putint(*p2); putint(*s); putint(diff); putint(addr == (unsigned long)&g);
	putint(g.self->f[0]); putint(fp == 0); putint(zero); putint((long)(d * 100)); putint(c); putint(u); putint(b);
	putint(sizeof arr / sizeof arr[0]); putint(arr[0] + arr[1] * 10 + arr[2] * 100 + arr[4] * 1000);
	return 0;
}`);
		assert.deepEqual(r.stop, { kind: 'exited', code: 0 });
		assert.equal(r.output, ['4', '5', '121', '3', '1', '2', '1', '0', '225', '44', '4294967295', '1', '5', '9770'].join('\n') + '\n');
	});

	it('string literals are interned per unit and NUL-terminated', () => {
		const r = runProgram('void putint(long v);\nint main(void) { const char *a = "same", *b = "same"; putint(a == b); putint(a[4]); return 0; }');
		assert.equal(r.output, '1\n0\n');
	});
});
