// The debugger engine (src/sim/debug) on a KC program: System.debugRun can be cut anywhere and
// breakpoints do not change what runs (the base of reverse execution), landing at a count gives
// the state the forward run passed through, and KC expressions evaluate in a frame through the
// real front end.

import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import fc from 'fast-check';
import { DebugEngine } from '../../../../src/sim/debug/engine';
import { evaluateExpression, EvaluationError } from '../../../../src/sim/debug/evaluate';
import { formatValue } from '../../../../src/sim/debug/values';
import type { System } from '../../../../src/kernel/proc/system';

const root = path.resolve(__dirname, '..', '..', '..', '..');
const program = path.join(root, 'test', 'dap', 'fixtures', 'touch.c');
const kcRoot = path.join(root, 'kc');

/** Every task's frames (function, pc, registers) and the clock: equal signatures, equal machines. */
function signature(system: System): string {
	return JSON.stringify({
		now: system.now,
		tasks: [...system.tasks.values()].map(t => ({ pid: t.pid, state: t.state, frames: t.thread.frames.map(f => [f.fn.name, f.pc, f.regs.map(String)]) })),
	});
}

describe('debugger engine', function () {
	this.timeout(120_000);
	let engine: DebugEngine;

	before(() => {
		const launched = DebugEngine.launch({ program, kcRoot });
		assert.deepEqual(launched.errors, []);
		engine = launched.engine!;
	});

	after(() => engine.dispose());

	/** The statement tables of every program (cleared for the direct System tests, armed again after). */
	const tables = () => [...engine.machine.programs, ...engine.system.kernelPrograms()].map(p => p.breakpoints);

	beforeEach(() => {
		for (const table of tables()) table.fill(0);
	});

	it('debugRun(a) then debugRun(b) executes exactly debugRun(a + b), wherever the cut falls', () => {
		const system = engine.system;
		const start = system.snapshot();
		const round = system.debugState();
		const total = 3000;
		let executed = 0;
		system.debugRun(total, { onPortion: (_c, _t, n) => { executed += n; } });
		assert.equal(executed, total);
		const whole = signature(system);
		fc.assert(fc.property(fc.array(fc.integer({ min: 1, max: 700 }), { minLength: 1, maxLength: 8 }), cuts => {
			system.restore(start);
			system.debugLoad(round);
			let done = 0;
			for (const cut of cuts) {
				if (done >= total) break;
				const n = Math.min(cut, total - done);
				system.debugRun(n, { onPortion: (_c, _t, k) => { done += k; } });
			}
			if (done < total) system.debugRun(total - done);
			assert.equal(signature(system), whole);
		}), { numRuns: 12 });
		system.restore(start);
		system.debugLoad(round);
	});

	it('breakpoints on every statement, declined one by one, leave the run unchanged (for-loop steps included)', () => {
		const system = engine.system;
		const start = system.snapshot();
		const round = system.debugState();
		system.debugRun(2500);
		const plain = signature(system);
		system.restore(start);
		system.debugLoad(round);
		let stops = 0;
		for (const table of tables()) table.fill(1);
		try {
			system.debugRun(2500, { stopAt: () => { stops++; return false; } });
		} finally {
			for (const table of tables()) table.fill(0);
		}
		assert.ok(stops >= 2400, `a stop per statement (${stops})`);
		assert.equal(signature(system), plain);
		system.restore(start);
		system.debugLoad(round);
	});

	it('stepBack lands on the state the forward run passed through', async () => {
		const start = await engine.start(true);
		assert.equal(start.reason, 'entry');
		const seen: string[] = [];
		for (let i = 0; i < 6; i++) {
			seen.push(signature(engine.system));
			await engine.stepTask(engine.lastStop!.pid!, 'in', false);
		}
		const pid = engine.lastStop!.pid!;
		const landed: string[] = [];
		for (let i = 0; i < 3; i++) {
			await engine.stepBack(pid);
			landed.push(signature(engine.system));
		}
		// Each step back is one of the states the forward steps stopped at (stepBack is a reverse step over).
		for (const state of landed) assert.ok(seen.includes(state), 'a state of the forward run');
		assert.notEqual(landed[0], landed[2]);
	});

	it('evaluates KC expressions in a frame with the real front end', async () => {
		const task = engine.task(engine.lastStop!.pid!)!;
		const main = task.thread.frames.find(f => f.fn.name === 'main')!;
		const scope = engine.scopeOf(task, main);
		const text = (expression: string) => formatValue(evaluateExpression(expression, scope), scope.space);
		assert.equal(text('pair.left * 2 + (int)sizeof(struct pair)'), String(3 * 2 + 24));
		assert.equal(text('pair.name[1]'), "97 'a'");
		assert.equal(text('&pair.right == (long *)((char *)&pair + 8)'), '1');
		assert.equal(text('-1 < 0u'), '0');
		assert.throws(() => evaluateExpression('square(2)', scope), EvaluationError);
		assert.throws(() => evaluateExpression('nosuchname + 1', scope), /undeclared/);
		assert.throws(() => evaluateExpression('pair.left = 4', scope), /assignments are not evaluated/);
		assert.throws(() => evaluateExpression('1 +', scope), /^Error: 1:5: expected expression/);
	});
});
