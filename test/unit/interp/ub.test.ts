// Undefined behaviour is reported as a `ub` stop with a message and the statement (line) where it
// happened, never silently "working" and never as a host exception.

import * as assert from 'node:assert/strict';
import { runProgram, stopLine } from './harness';

/** Runs `body` as main's body (after `decls`) and returns the stop and its line. */
function ub(decls: string, body: string): { kind: string; message: string; line: number | undefined; output: string } {
	const source = `void putint(long v);\n${decls}\nint main(void) {\n${body}\n}\n`;
	const r = runProgram(source);
	return { kind: r.stop.kind, message: r.stop.kind === 'ub' ? r.stop.message : JSON.stringify(r.stop), line: stopLine(r.program, r.stop), output: r.output };
}

/** Line numbers: line 1 is the putint prototype, `decls` is line 2, main starts on line 3. */
describe('KC CPU: undefined behaviour', () => {
	it('null pointer read', () => {
		const r = ub('', 'int *p = 0;\nputint(1);\nreturn *p;');
		assert.equal(r.kind, 'ub');
		assert.match(r.message, /null pointer dereference \(read/);
		assert.equal(r.line, 6);
		assert.equal(r.output, '1\n');
	});

	it('null pointer write through a struct member', () => {
		const r = ub('struct s { int a, b; };', 'struct s *p = 0;\np->b = 3;\nreturn 0;');
		assert.equal(r.kind, 'ub');
		assert.match(r.message, /null pointer dereference \(write at address 0x4\)/);
		assert.equal(r.line, 5);
	});

	it('division and remainder by zero', () => {
		const d = ub('int zero(void) { return 0; }', 'int z = zero();\nputint(7 / 1);\nputint(7 / z);\nreturn 0;');
		assert.equal(d.kind, 'ub');
		assert.match(d.message, /division by zero/);
		assert.equal(d.line, 6);
		const r = ub('long zero(void) { return 0; }', 'long z = zero();\nreturn (int)(7L % z);');
		assert.match(r.message, /remainder by zero/);
		assert.equal(r.line, 5);
		const u = ub('unsigned zero(void) { return 0; }', 'return (int)(7u / zero());');
		assert.match(u.message, /division by zero/);
	});

	it('INT_MIN / -1', () => {
		const r = ub('int m1(void) { return -1; }', 'int x = -2147483647 - 1;\nreturn x / m1();');
		assert.equal(r.kind, 'ub');
		assert.match(r.message, /signed integer overflow in 'int' division/);
		assert.equal(r.line, 5);
	});

	it('signed overflow on int and long + - *, and ++', () => {
		assert.match(ub('int big(void) { return 2147483647; }', 'return big() + 1;').message, /signed integer overflow in 'int' addition/);
		assert.match(ub('int small(void) { return -2147483647; }', 'return small() - 2;').message, /signed integer overflow in 'int' subtraction/);
		assert.match(ub('int v(void) { return 65536; }', 'return v() * v();').message, /signed integer overflow in 'int' multiplication/);
		assert.match(ub('long v(void) { return 9223372036854775807L; }', 'long x = v() + 1;\nreturn (int)x;').message, /signed integer overflow in 'long' addition/);
		assert.match(ub('long v(void) { return 4294967296L; }', 'long x = v() * v();\nreturn (int)x;').message, /signed integer overflow in 'long' multiplication/);
		const inc = ub('', 'int i = 2147483646;\ni++;\ni++;\nreturn 0;');
		assert.match(inc.message, /signed integer overflow in 'int' increment/);
		assert.equal(inc.line, 6);
	});

	it('unsigned arithmetic wraps without UB', () => {
		const r = ub('', 'unsigned u = 4294967295u;\nunsigned long l = 0;\nu++;\nl--;\nputint(u);\nputint(l == 18446744073709551615UL);\nreturn 0;');
		assert.equal(r.kind, 'exited');
		assert.equal(r.output, '0\n1\n');
	});

	it('shift count negative or too large', () => {
		const r = ub('int n(int v) { return v; }', 'putint(1 << n(31));\nreturn 1 << n(32);');
		assert.equal(r.kind, 'ub');
		assert.match(r.message, /shift count .* \(32 bits\)/);
		assert.equal(r.line, 5);
		assert.match(ub('int n(int v) { return v; }', 'return 8 >> n(-1);').message, /shift count is negative/);
		assert.match(ub('int n(int v) { return v; }', 'long x = 1L << n(64);\nreturn (int)x;').message, /64 bits/);
	});

	it('out-of-bounds indexing of a known array; one past the end only for &a[n]', () => {
		const r = ub('int n(int v) { return v; }', 'int a[10];\nint *end = &a[n(10)];\nputint(end - a);\na[n(10)] = 1;\nreturn 0;');
		assert.equal(r.kind, 'ub');
		assert.match(r.message, /array index out of bounds \(index not in 0\.\.9\)/);
		assert.equal(r.line, 7);
		assert.equal(r.output, '10\n');
		assert.match(ub('int g[4][3];\nint n(int v) { return v; }', 'return g[1][n(-1)];').message, /index not in 0\.\.2/);
		assert.match(ub('int g[4][3];\nint n(int v) { return v; }', 'return g[n(4)][0];').message, /index not in 0\.\.3/);
	});

	it('trailing one-element arrays (the old flexible-array idiom) are not bounds-checked', () => {
		const r = ub('struct msg { int len; char data[1]; };\nvoid *malloc(unsigned long);', 'struct msg *m = malloc(64);\nm->data[5] = 7;\nputint(m->data[5]);\nreturn 0;');
		assert.equal(r.kind, 'exited');
		assert.equal(r.output, '7\n');
	});

	it('reading an uninitialized local', () => {
		const r = ub('int c(void) { return 0; }', 'int x;\nif (c()) x = 1;\nputint(2);\nreturn x;');
		assert.equal(r.kind, 'ub');
		assert.match(r.message, /use of uninitialized variable 'x'/);
		assert.equal(r.line, 7);
		assert.equal(r.output, '2\n');
	});

	it('a variable assigned on every path is not flagged', () => {
		const r = ub('int c(void) { return 1; }', 'int x;\nif (c()) x = 1; else x = 2;\nint y;\nfor (y = 0; y < 3; y++) ;\nputint(x + y);\nreturn 0;');
		assert.equal(r.kind, 'exited');
		assert.equal(r.output, '4\n');
	});

	it('a block variable is indeterminate again on each pass', () => {
		const r = ub('', 'for (int i = 0; i < 2; i++) {\nint v;\nif (i == 0) v = 5;\nputint(v);\n}\nreturn 0;');
		assert.equal(r.kind, 'ub');
		assert.match(r.message, /uninitialized variable 'v'/);
		assert.equal(r.output, '5\n');
	});

	it('using the value of a function that fell off its end', () => {
		const r = ub('int f(int a) { if (a) return 1; }', 'putint(f(1));\nf(0);\nreturn f(0);');
		assert.equal(r.kind, 'ub');
		assert.match(r.message, /value of function 'f' is used, but it returned without a value/);
		assert.equal(r.line, 6);
		assert.equal(r.output, '1\n');
	});

	it('main falling off its end returns 0', () => {
		const r = runProgram('void putint(long v);\nint main(void) { putint(3); }');
		assert.deepEqual(r.stop, { kind: 'exited', code: 0 });
	});

	it('__builtin_unreachable and calls through a null function pointer', () => {
		assert.match(ub('', '__builtin_unreachable();').message, /__builtin_unreachable/);
		const r = ub('int (*fp)(void);', 'putint(0);\nreturn fp();');
		assert.equal(r.kind, 'ub');
		assert.match(r.message, /null function pointer/);
		assert.equal(r.line, 5);
	});
});
