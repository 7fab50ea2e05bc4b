// Generated code hygiene (program text never reaches the generated JavaScript) and several threads
// interleaved statement by statement over one memory.

import * as assert from 'node:assert/strict';
import { createThread, run } from '../../../src/interp/cpu';
import { load } from './harness';

describe('KC compiler: generated code', () => {
	it('never embeds identifiers, strings or messages from the program', () => {
		const hostile = '*/ }); globalThis.pwned = 1; /* ${x} `';
		const m = load(`void putstr(const char *s);
int __proto__ = 3;
static int constructor(int toString) { return toString + __proto__; }
int main(void) {
	int hasOwnProperty = constructor(4);
	putstr("${hostile.replace(/[\\"]/g, c => '\\' + c)}");
	return hasOwnProperty;
}`);
		for (const f of m.program.functions) {
			if (f.kind !== 'kc') continue;
			for (const word of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'pwned', 'putstr']) {
				assert.ok(!f.source.includes(word), `${f.name}'s code mentions ${word}`);
			}
		}
		assert.deepEqual(run(m.thread, 1000), { kind: 'exited', code: 7 });
		assert.equal(m.out.text, hostile + '\n');
		assert.equal((globalThis as Record<string, unknown>).pwned, undefined);
	});

	it('runs statement expressions, goto out of loops, and switch inside loops without losing state', () => {
		const m = load(`void putint(long v);
int main(void) {
	int found = -1;
	for (int i = 0; i < 10; i++)
		for (int j = 0; j < 10; j++)
			if (i * j == 42) { found = i * 10 + j; goto done; }
done:
	putint(found);
	int k = ({ int t = 0; for (int i = 0; i < 4; i++) switch (i) { case 1: t += 10; break; case 2: continue; default: t++; } t; });
	putint(k);
	return 0;
}`);
		assert.deepEqual(run(m.thread, 10_000), { kind: 'exited', code: 0 });
		assert.equal(m.out.text, '67\n12\n');
	});
});

describe('KC CPU: threads', () => {
	it('interleaves threads over one memory statement by statement, deterministically', () => {
		const source = `int shared;
int log[64];
int pos;
int worker(int id) {
	for (int i = 0; i < 5; i++) {
		int seen = shared;
		shared = seen + id;
		log[pos++] = id;
	}
	return id;
}
int main(void) { return 0; }`;
		const trace = (): string => {
			const m = load(source);
			const a = createThread(m.program, m.memory, 'worker', [1], { threadId: 1 });
			const b = createThread(m.program, m.memory, 'worker', [100], { threadId: 2 });
			const stops: string[] = [];
			let turn = 0;
			while (a.finished === null || b.finished === null) {
				const t = turn++ % 2 === 0 ? a : b;
				if (t.finished === null) stops.push(run(t, 2).kind);
			}
			const g = m.program.globals;
			const logs: number[] = [];
			for (let i = 0; i < 10; i++) logs.push(m.memory.ld32s(g.get('log')!.address + 4 * i));
			return JSON.stringify({ shared: m.memory.ld32s(g.get('shared')!.address), logs, stops, a: a.finished, b: b.finished });
		};
		const first = trace();
		assert.equal(trace(), first);
		const parsed = JSON.parse(first) as { shared: number; logs: number[]; a: unknown; b: unknown };
		assert.deepEqual(parsed.a, { kind: 'exited', code: 1 });
		assert.deepEqual(parsed.b, { kind: 'exited', code: 100 });
		// Each thread has its own stack: both ran their loop five times.
		assert.equal(parsed.logs.filter(x => x === 1).length, 5);
		assert.equal(parsed.logs.filter(x => x === 100).length, 5);
		// Interleaved read-modify-write loses updates (a race), deterministically.
		assert.ok(parsed.shared < 505);
	});
});
