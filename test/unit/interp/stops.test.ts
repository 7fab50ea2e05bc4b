// How the KC CPU stops and resumes: faults as values (resuming re-executes exactly the faulting
// access), breakpoints and statement budgets at exact statements, blocking builtins, exit and traps,
// stack overflow, and builtins that call back into KC code.

import * as assert from 'node:assert/strict';
import type { Builtin, StopReason } from '../../../src/interp/contracts';
import { run } from '../../../src/interp/cpu';
import { load, runProgram, stopLine } from './harness';

const UNMAPPED = 0x50000000;

function lineOfTop(m: ReturnType<typeof load>): number | undefined {
	const top = m.thread.top;
	return top ? m.program.statements[top.statement]?.range.line : undefined;
}

describe('KC CPU: faults are values', () => {
	it('a store to an unmapped address stops with fault; mapping it and resuming completes', () => {
		const m = load(`void putint(long v);
int main(void) {
	int *p = (int *)${UNMAPPED};
	putint(1);
	*p = 42;
	putint(*p + 1);
	return 0;
}`);
		const stop = run(m.thread, 1000);
		assert.equal(stop.kind, 'fault');
		if (stop.kind !== 'fault') return;
		assert.equal(stop.fault.address, UNMAPPED);
		assert.equal(stop.fault.access, 'write');
		assert.equal(lineOfTop(m), 5);
		assert.equal(m.out.text, '1\n');
		// Still faulting: the same stop again, nothing executed twice.
		assert.equal(run(m.thread, 1000).kind, 'fault');
		assert.equal(m.out.text, '1\n');
		m.memory.map(UNMAPPED, 4096, { read: true, write: true });
		assert.deepEqual(run(m.thread, 1000), { kind: 'exited', code: 0 });
		assert.equal(m.out.text, '1\n43\n');
	});

	it('resuming after a fault does not repeat the side effects that preceded it in the statement', () => {
		const m = load(`void putint(long v);
int calls;
int tick(void) { return ++calls; }
int main(void) {
	int *p = (int *)${UNMAPPED};
	int i = 0, a[4] = { 0 };
	a[i++] = tick() + *p;
	putint(calls);
	putint(i);
	putint(a[0]);
	return 0;
}`);
		const stop = run(m.thread, 1000);
		assert.equal(stop.kind, 'fault');
		m.memory.map(UNMAPPED, 4096, { read: true, write: true });
		m.memory.st32(UNMAPPED, 100);
		assert.deepEqual(run(m.thread, 1000), { kind: 'exited', code: 0 });
		assert.equal(m.out.text, '1\n1\n101\n');
	});

	it('a load fault in a loop condition re-executes only the load', () => {
		const m = load(`void putint(long v);
int main(void) {
	volatile int *p = (int *)${UNMAPPED};
	int n = 0;
	while (n++ < 3 && *p == 0) putint(n);
	putint(n);
	return 0;
}`);
		assert.equal(run(m.thread, 1000).kind, 'fault');
		m.memory.map(UNMAPPED, 4096, { read: true, write: true });
		assert.deepEqual(run(m.thread, 1000), { kind: 'exited', code: 0 });
		assert.equal(m.out.text, '1\n2\n3\n4\n');
	});

	it('faults inside && and ?: after calls resume without repeating the calls', () => {
		const m = load(`void putint(long v);
int calls;
int f(void) { return ++calls; }
int main(void) {
	int *p = (int *)${UNMAPPED};
	int n = 0;
	if (f() && *p == 5) putint(1);
	int v = (n++, f()) ? *p + 1 : 0;
	putint(calls);
	putint(n);
	putint(v);
	return 0;
}`);
		assert.equal(run(m.thread, 1000).kind, 'fault');
		m.memory.map(UNMAPPED, 4096, { read: true, write: true });
		m.memory.st32(UNMAPPED, 5);
		assert.equal(run(m.thread, 1000).kind, 'exited');
		assert.equal(m.out.text, '1\n2\n1\n6\n');
		const again = load(`void putint(long v);
int calls;
int f(void) { return ++calls; }
int main(void) {
	int *p = (int *)${UNMAPPED};
	int n = 0;
	int v = (n++, f()) ? *p + 1 : 0;
	putint(calls);
	putint(n);
	putint(v);
	return 0;
}`);
		assert.equal(run(again.thread, 1000).kind, 'fault');
		assert.equal(run(again.thread, 1000).kind, 'fault');
		again.memory.map(UNMAPPED, 4096, { read: true, write: true });
		assert.equal(run(again.thread, 1000).kind, 'exited');
		assert.equal(again.out.text, '1\n1\n1\n');
	});

	it('writing to a string literal faults (read-only data)', () => {
		const r = runProgram('int main(void) { char *s = "abc"; s[0] = 1; return 0; }');
		assert.equal(r.stop.kind, 'fault');
		if (r.stop.kind === 'fault') assert.equal(r.stop.fault.access, 'write');
	});

	it('runaway recursion is a stack overflow fault, not a host crash', () => {
		const r = runProgram('int f(int n) { return f(n + 1) + 1; }\nint main(void) { return f(0); }', 10_000_000);
		assert.equal(r.stop.kind, 'fault');
		if (r.stop.kind === 'fault') assert.equal(r.stop.fault.detail, 'stack overflow');
	});
});

describe('KC CPU: budgets and breakpoints', () => {
	const straight = `void putint(long v);
int main(void) {
	int a = 1;
	int b = 2;
	int c = a + b;
	putint(c);
	return 0;
}`;

	it('a budget of N executes exactly N statements and stops before the next', () => {
		const m = load(straight);
		assert.deepEqual(run(m.thread, 0), { kind: 'budget' });
		assert.equal(lineOfTop(m), 3);
		assert.deepEqual(run(m.thread, 1), { kind: 'budget' });
		assert.equal(lineOfTop(m), 4);
		assert.deepEqual(run(m.thread, 2), { kind: 'budget' });
		assert.equal(lineOfTop(m), 6);
		assert.equal(m.out.text, '');
		assert.deepEqual(run(m.thread, 1), { kind: 'budget' });
		assert.equal(m.out.text, '3\n');
		assert.deepEqual(run(m.thread, 1), { kind: 'exited', code: 0 });
	});

	it('an infinite loop stays pausable', () => {
		const m = load('int main(void) { for (;;); }');
		assert.deepEqual(run(m.thread, 100_000), { kind: 'budget' });
		const w = load('int main(void) { int x = 0; while (1) { } return x; }');
		assert.deepEqual(run(w.thread, 100_000), { kind: 'budget' });
		const g = load('int main(void) { L: goto L; }');
		assert.deepEqual(run(g.thread, 100_000), { kind: 'budget' });
	});

	it('stops before a statement with a breakpoint, once per execution, and resumes past it', () => {
		const m = load(`void putint(long v);
int main(void) {
	for (int i = 0; i < 3; i++)
		putint(i);
	putint(99);
	return 0;
}`);
		const ids = m.program.stmtsAt('main.c', 4);
		assert.equal(ids.length, 1);
		m.program.breakpoints[ids[0]] = 1;
		const hits: string[] = [];
		let stop: StopReason;
		for (;;) {
			stop = run(m.thread, 1_000_000);
			if (stop.kind !== 'breakpoint') break;
			assert.equal(stopLine(m.program, stop), 4);
			hits.push(m.out.text);
		}
		assert.deepEqual(stop, { kind: 'exited', code: 0 });
		// Before each putint(i): the statement had not run yet.
		assert.deepEqual(hits, ['', '0\n', '0\n1\n']);
		assert.equal(m.out.text, '0\n1\n2\n99\n');
	});

	it('skipBreakpoint continues from a statement that was reached by a step', () => {
		const m = load(straight);
		const ids = m.program.stmtsAt('main.c', 4);
		m.program.breakpoints[ids[0]] = 1;
		assert.deepEqual(run(m.thread, 1), { kind: 'budget' });
		assert.equal(lineOfTop(m), 4);
		assert.equal(run(m.thread, 100).kind, 'breakpoint');
		assert.equal(lineOfTop(m), 4);
		const again = load(straight);
		again.program.breakpoints[again.program.stmtsAt('main.c', 4)[0]] = 1;
		run(again.thread, 1);
		assert.deepEqual(run(again.thread, 100, { skipBreakpoint: true }), { kind: 'exited', code: 0 });
	});

	it('frame depth and statements support stepping into and out of calls', () => {
		const m = load(`int sq(int x) {
	return x * x;
}
int main(void) {
	int a = sq(3);
	return a - 9;
}`);
		run(m.thread, 0);
		assert.equal(m.thread.depth, 1);
		assert.equal(lineOfTop(m), 5);
		// One statement: line 5 runs until the call enters sq, which stops before its first statement.
		run(m.thread, 1);
		assert.equal(m.thread.depth, 2);
		assert.equal(lineOfTop(m), 2);
		assert.equal(m.thread.frames[0].statement, m.program.stmtsAt('main.c', 5)[0]);
		assert.deepEqual(run(m.thread, 10), { kind: 'exited', code: 0 });
	});
});

describe('KC CPU: builtin actions', () => {
	it('block suspends and resuming calls the builtin again', () => {
		let open = false;
		let calls = 0;
		const gate: Builtin = () => {
			calls++;
			return open ? 7 : { kind: 'block', reason: 'gate closed' };
		};
		const m = load('void putint(long v);\nint gate(void);\nint main(void) { putint(1); putint(gate() + 1); return 0; }', ['p'], new Map([['gate', gate]]));
		assert.deepEqual(run(m.thread, 100), { kind: 'blocked', reason: 'gate closed' });
		assert.deepEqual(run(m.thread, 100), { kind: 'blocked', reason: 'gate closed' });
		open = true;
		assert.deepEqual(run(m.thread, 100), { kind: 'exited', code: 0 });
		assert.equal(calls, 3);
		assert.equal(m.out.text, '1\n8\n');
	});

	it('exit and abort end the thread', () => {
		assert.deepEqual(runProgram('void exit(int);\nint main(void) { exit(3); return 0; }').stop, { kind: 'exited', code: 3 });
		const r = runProgram('void abort(void);\nint main(void) { abort(); }');
		assert.deepEqual(r.stop, { kind: 'trap', message: 'abort', signal: 6 });
		assert.equal(runProgram('int main(void) { __builtin_trap(); }').stop.kind, 'trap');
	});

	it('a builtin can call a KC function (by address) and use its result', () => {
		// apply2(f, x) = f(f(x)), implemented as a builtin that calls back into KC twice.
		const apply2: Builtin = (_ctx, args) => ({
			kind: 'call',
			target: Number(args[0]),
			args: [args[1]],
			then: first => ({ kind: 'call', target: Number(args[0]), args: [first ?? 0], then: second => Number(second) + 1000 }),
		});
		const m = load('void putint(long v);\nint apply2(int (*f)(int), int x);\nint twice(int v) { return v * 2; }\nint main(void) { putint(apply2(twice, 5)); putint(apply2(&twice, 1)); return 0; }', ['p'], new Map([['apply2', apply2]]));
		assert.deepEqual(run(m.thread, 1000), { kind: 'exited', code: 0 });
		assert.equal(m.out.text, '1020\n1004\n');
	});

	it('a host exception (a Faultline bug, here a throwing builtin) ends the thread with a trap, not a crash', () => {
		const broken: Builtin = () => {
			throw new Error('boom');
		};
		const m = load('int broken(void);\nint main(void) { return broken(); }', ['p'], new Map([['broken', broken]]));
		const stop = run(m.thread, 100);
		assert.equal(stop.kind, 'trap');
		if (stop.kind === 'trap') assert.match(stop.message, /internal error in the KC CPU: boom/);
		assert.deepEqual(run(m.thread, 100), stop);
	});

	it('builtins receive variadic arguments as values with their promoted types', () => {
		const seen: string[] = [];
		const probe: Builtin = (ctx, args) => {
			seen.push(ctx.argTypes.map(t => (t.kind === 'int' ? t.name : t.kind === 'float' ? t.name : t.kind)).join(','));
			seen.push(args.map(String).join(','));
			return 0;
		};
		const m = load('int probe(int n, ...);\nint main(void) { char c = -3; float f = 1.5f; unsigned long big = 18446744073709551615UL; probe(4, c, f, big, "s"); return 0; }', ['p'], new Map([['probe', probe]]));
		assert.deepEqual(run(m.thread, 100), { kind: 'exited', code: 0 });
		assert.equal(seen[0], 'int,int,double,unsigned long,pointer');
		assert.match(seen[1], /^4,-3,1\.5,18446744073709551615,\d+$/);
	});

	it('calls through function pointers reach builtins too', () => {
		const r = runProgram('void putint(long v);\nint main(void) { void (*p)(long) = putint; p(5); (*p)(6); return 0; }');
		assert.equal(r.output, '5\n6\n');
	});
});

describe('KC CPU: main arguments', () => {
	it('argc and argv are laid out on the stack like Linux', () => {
		const m = load('int printf(const char *, ...);\nint main(int argc, char **argv) { for (int i = 0; i < argc; i++) printf("%s|", argv[i]); printf("%d\\n", argv[argc] == 0); return argc; }', ['prog', 'one', 'two words']);
		assert.deepEqual(run(m.thread, 1000), { kind: 'exited', code: 3 });
		assert.equal(m.out.text, 'prog|one|two words|1\n');
	});
});
