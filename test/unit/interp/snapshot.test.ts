// Save/restore determinism: run N statements, save the thread and a memory snapshot, run M more
// recording output, restore, run M again: identical output, frames and memory. Also the
// debugger-facing metadata (statements, locals, frames).

import * as assert from 'node:assert/strict';
import type { StopReason } from '../../../src/interp/contracts';
import { run } from '../../../src/interp/cpu';
import { Thread, locateLocal, visibleLocals } from '../../../src/interp/thread';
import { load } from './harness';

const program = `void putint(long v);
void *malloc(unsigned long);
struct node { long value; struct node *next; };
static unsigned long seed = 12345;
static unsigned rnd(void) { seed = seed * 6364136223846793005UL + 1442695040888963407UL; return (unsigned)(seed >> 33); }
long table[64];
int main(void) {
	struct node *head = 0;
	for (int round = 0; round < 200; round++) {
		struct node *n = malloc(sizeof *n);
		n->value = rnd() % 1000;
		n->next = head;
		head = n;
		table[round % 64] += n->value;
		if (round % 25 == 0) {
			long sum = 0;
			for (struct node *p = head; p; p = p->next) sum += p->value;
			putint(sum);
		}
	}
	return (int)(table[3] & 127);
}`;

/** A comparable picture of a thread: each frame's function, pc, base and registers. */
function framesOf(t: Thread): string {
	return JSON.stringify(t.frames.map(f => ({ fn: f.fn.name, pc: f.pc, base: f.base, regs: f.regs.map(v => (typeof v === 'bigint' ? `${v}n` : v === undefined ? null : v)) })));
}

function memoryOf(m: ReturnType<typeof load>): string {
	const data = m.memory.read(m.program.dataStart, m.program.dataEnd - m.program.dataStart);
	const heap = m.memory.read(0x10000000, 4096 * 2);
	const stack = m.memory.read(m.thread.sp, 512);
	return Buffer.from([...(data ?? []), ...(heap ?? []), ...(stack ?? [])]).toString('base64');
}

describe('KC CPU: save and restore', () => {
	for (const [n, mSteps] of [
		[500, 2000],
		[1, 7],
		[1200, 100000],
	] as const) {
		it(`run ${n}, save, run ${mSteps} twice from the same state: identical`, () => {
			const m = load(program);
			assert.deepEqual(run(m.thread, n), { kind: 'budget' });
			const savedThread = m.thread.save();
			const savedMemory = m.memory.snapshot();
			const before = m.out.text;

			const stop1: StopReason = run(m.thread, mSteps);
			const out1 = m.out.text.slice(before.length);
			const frames1 = framesOf(m.thread);
			const memory1 = memoryOf(m);

			m.memory.restore(savedMemory);
			const restored = Thread.restore(savedThread);
			assert.equal(restored, m.thread);
			m.out.text = before;
			const stop2 = run(m.thread, mSteps);
			assert.deepEqual(stop2, stop1);
			assert.equal(m.out.text.slice(before.length), out1);
			assert.equal(framesOf(m.thread), frames1);
			assert.equal(memoryOf(m), memory1);
		});
	}

	it('a saved thread is not disturbed by running the live one', () => {
		const m = load(program);
		run(m.thread, 300);
		const saved = m.thread.save();
		const picture = JSON.stringify(saved.frames.map(f => [f.pc, f.regs.map(String)]));
		run(m.thread, 300);
		assert.equal(JSON.stringify(saved.frames.map(f => [f.pc, f.regs.map(String)])), picture);
	});
});

describe('KC CPU: debugger metadata', () => {
	it('statements, functions, and locals (registers and stack) are inspectable when stopped', () => {
		const m = load(`void putint(long v);
int g;
int work(int a, int b) {
	int sum = a + b;
	int arr[2] = { a, b };
	int *p = &sum;
	*p += arr[1];
	return sum;
}
int main(void) {
	g = work(2, 3);
	return 0;
}`);
		const bp = m.program.stmtsAt('main.c', 7);
		assert.equal(bp.length, 1);
		assert.equal(m.program.statements[bp[0]].fn, 'work');
		m.program.breakpoints[bp[0]] = 1;
		const stop = run(m.thread, 1000);
		assert.deepEqual(stop, { kind: 'breakpoint', stmt: bp[0] });
		const top = m.thread.top!;
		assert.equal(top.fn.name, 'work');
		assert.equal(m.thread.depth, 2);
		const names = visibleLocals(top, m.program).map(l => `${l.kind}:${l.name}:${l.storage}`);
		assert.deepEqual(names, ['param:a:reg', 'param:b:reg', 'local:sum:stack', 'local:arr:stack', 'local:p:reg']);
		const locals = new Map(visibleLocals(top, m.program).map(l => [l.name, locateLocal(top, l)]));
		assert.equal(locals.get('a')!.value, 2);
		assert.equal(locals.get('b')!.value, 3);
		const sumAddress = locals.get('sum')!.address!;
		assert.equal(m.memory.ld32s(sumAddress), 5);
		assert.equal(locals.get('p')!.value, sumAddress);
		assert.equal(m.memory.ld32s(locals.get('arr')!.address! + 4), 3);
		const work = m.program.functionByName('work')!;
		assert.equal(m.program.functionAt(work.address), work);
		assert.equal(work.address, m.program.textBase + 16 * work.index);
		assert.ok(m.program.globals.get('g'));
		m.program.breakpoints[bp[0]] = 0;
		assert.deepEqual(run(m.thread, 1000), { kind: 'exited', code: 0 });
		assert.equal(m.memory.ld32s(m.program.globals.get('g')!.address), 8);
	});
});
