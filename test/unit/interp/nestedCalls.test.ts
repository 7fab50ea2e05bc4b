// Direct calls run nested inside the caller's JS activation (compiler.ts "Nested calls",
// thread.ts Cpu.callDirect). These tests check that a stop anywhere in a chain of nested calls, and
// beyond the nesting limit, leaves the thread exactly as the run loop would have: the frames, their
// pcs and registers, the budget, and the statement the thread stops at.

import * as assert from 'node:assert/strict';
import { run } from '../../../src/interp/cpu';
import type { Frame } from '../../../src/interp/thread';
import { load } from './harness';

const UNMAPPED = 0x50000000;

/** Recursion `depth` deep (deeper than the nesting limit), a store at the bottom, values on the way back. */
function recursive(depth: number): string {
	return `void putint(long v);
long down(long n, long *p) {
	long here = n * 3;
	if (n == 0) {
		*p = 7;
		return *p;
	}
	long below = down(n - 1, p);
	return below + here;
}
int main(void) {
	long r = down(${depth}, (long *)${UNMAPPED});
	putint(r);
	return 0;
}`;
}

function lineOf(m: ReturnType<typeof load>, frame: Frame | undefined): number | undefined {
	return frame === undefined ? undefined : m.program.statements[frame.statement]?.range.line;
}

describe('KC CPU: nested calls', () => {
	it('a fault under 100 nested calls stops with every frame saved, and resuming finishes the work once', () => {
		const m = load(recursive(100));
		const stop = run(m.thread, 1_000_000);
		assert.equal(stop.kind, 'fault');
		const frames = m.thread.frames;
		assert.equal(frames.length, 102, 'main and 101 activations of down');
		assert.equal(lineOf(m, frames[frames.length - 1]), 5, 'the top frame is at the faulting store');
		for (let i = 1; i < frames.length - 1; i++) {
			assert.equal(frames[i].fn.name, 'down');
			assert.equal(lineOf(m, frames[i]), 8, 'every caller is at its call');
			assert.equal(frames[i].regs[0], 100 - (i - 1), 'with its own registers saved');
		}
		assert.equal(lineOf(m, frames[0]), 12);
		m.memory.map(UNMAPPED, 4096, { read: true, write: true });
		assert.deepEqual(run(m.thread, 1_000_000), { kind: 'exited', code: 0 });
		assert.equal(m.out.text, `${7 + (3 * 100 * 101) / 2}\n`);
	});

	it('one statement at a time executes the same statements as one run', () => {
		const whole = load(recursive(60));
		whole.memory.map(UNMAPPED, 4096, { read: true, write: true });
		const budget = 1_000_000;
		assert.deepEqual(run(whole.thread, budget), { kind: 'exited', code: 0 });
		const executed = budget - whole.thread.cpu.budget;

		const stepped = load(recursive(60));
		stepped.memory.map(UNMAPPED, 4096, { read: true, write: true });
		const depths: number[] = [];
		let steps = 0;
		for (;;) {
			const stop = run(stepped.thread, 1);
			steps++;
			if (stop.kind !== 'budget') {
				assert.deepEqual(stop, { kind: 'exited', code: 0 });
				break;
			}
			depths.push(stepped.thread.frames.length);
			assert.equal(stepped.thread.top?.atStatementCheck, true, 'a budget stop is always before a statement');
		}
		assert.equal(steps, executed, 'each run of budget 1 executes one statement, the last one included');
		assert.equal(stepped.out.text, whole.out.text);
		assert.equal(Math.max(...depths), 62);
	});

	it('stops at a breakpoint in a nested callee, before the statement, and continues over it', () => {
		const m = load(recursive(40));
		m.memory.map(UNMAPPED, 4096, { read: true, write: true });
		const [id] = m.program.stmtsAt('main.c', 3);
		m.program.breakpoints[id] = 1;
		const depths: number[] = [];
		for (;;) {
			const stop = run(m.thread, 1_000_000, { skipBreakpoint: true });
			if (stop.kind === 'exited') break;
			assert.deepEqual(stop, { kind: 'breakpoint', stmt: id });
			assert.equal(lineOf(m, m.thread.top), 3);
			for (let i = 1; i < m.thread.frames.length - 1; i++) assert.equal(lineOf(m, m.thread.frames[i]), 8);
			depths.push(m.thread.frames.length);
		}
		assert.deepEqual(depths, Array.from({ length: 41 }, (_, i) => i + 2));
		assert.equal(m.out.text, `${7 + (3 * 40 * 41) / 2}\n`);
	});

	it('runs out of budget inside a nested callee and resumes there', () => {
		for (const budget of [5, 17, 64, 199]) {
			const m = load(recursive(50));
			m.memory.map(UNMAPPED, 4096, { read: true, write: true });
			let stop = run(m.thread, budget);
			let rounds = 1;
			while (stop.kind === 'budget') {
				assert.ok(m.thread.cpu.budget < 0 || m.thread.top?.atStatementCheck === true);
				stop = run(m.thread, budget);
				rounds++;
			}
			assert.deepEqual(stop, { kind: 'exited', code: 0 });
			assert.ok(rounds > 1);
			assert.equal(m.out.text, `${7 + (3 * 50 * 51) / 2}\n`);
		}
	});
});
