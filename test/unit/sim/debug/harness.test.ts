// The debugger engine runs a scenario's harness tasks the way `faultline run` does (issue 5: the
// shipped scenarios force their interleavings with statement triggers), and keeps them inside one
// deterministic history: a trigger fires once, at the same count, whether the run goes forward
// live, is replayed after a travel back, or is re-run after an intervention in the past.
//
// Fixture: test/fixtures/scenarios/run/driver-harness.json (the same one run.test.ts runs through
// `faultline run`): a harness task at step 0 logs "hello", one at the statement marker
// kdev-user.c:ready sends SIGUSR1 to the program (which spins until it arrives), and one at the
// program's first page fault logs it.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DebugEngine } from '../../../../src/sim/debug/engine';
import type { System } from '../../../../src/kernel/proc/system';

const root = path.resolve(__dirname, '..', '..', '..', '..');
const kcRoot = path.join(root, 'kc');
const scenario = path.join(root, 'test', 'fixtures', 'scenarios', 'run', 'driver-harness.json');
const userFile = path.join(root, 'test', 'fixtures', 'scenarios', 'run', 'kdev-user.c');

/** The lines the harness tasks log, in kernel-log order. */
function harnessLog(engine: DebugEngine): string[] {
	return engine.machine.booted.log.records.map(r => r.text.trim()).filter(t => t.startsWith('harness:'));
}

/** The line of kdev-user.c's `while (!got)`, the first statement after "// @point: ready". */
function readyLine(): number {
	return fs.readFileSync(userFile, 'utf8').split('\n').findIndex(l => l.includes('while (!got)')) + 1;
}

function signature(system: System): string {
	return JSON.stringify({
		now: system.now,
		tasks: [...system.tasks.values()].map(t => ({ pid: t.pid, id: t.id, state: t.state, frames: t.thread.frames.map(f => [f.fn.name, f.pc, f.regs.map(String)]) })),
	});
}

function launch(output: string[]): DebugEngine {
	const launched = DebugEngine.launch({ scenario, kcRoot, output: (category, text) => { if (category === 'stdout') output.push(text); } });
	assert.deepEqual(launched.errors, []);
	return launched.engine!;
}

describe('debugger engine: harness triggers (driver-harness.json)', function () {
	this.timeout(180_000);

	it('fires the step, statement and event triggers as faultline run does: the signal arrives and the program ends', async () => {
		const output: string[] = [];
		const engine = launch(output);
		try {
			const first = await engine.start(false);
			assert.equal(first.reason, 'exited', JSON.stringify(first));
			assert.equal(output.join(''), 'kdev says 42\ngot signal 10\n');
			assert.deepEqual(harnessLog(engine), ['harness: "hello" at step 0', 'harness: p faulted', 'harness: poked p']);
			const fired = engine.timeline.filter(e => e.kind === 'harness').map(e => e.text);
			assert.equal(fired.length, 3, fired.join('\n'));
			assert.match(fired[0], /^harness hello fired \(step 0\)/);
			assert.match(fired[1], /^harness first-fault fired \(event fault of p\)/);
			assert.match(fired[2], /^harness poke fired \(statement kdev-user\.c:ready\)/);
			assert.equal(engine.machine.processes[0].task.exitCode, 0);
		} finally {
			engine.dispose();
		}
	});

	it('a breakpoint at the trigger statement stops after the harness fired; the harness task is a thread until it ends', async () => {
		const output: string[] = [];
		const engine = launch(output);
		try {
			const ready = readyLine();
			const set = engine.setSourceBreakpoints(userFile, [{ line: ready }]);
			assert.equal(set[0].verified, true);
			const stop = await engine.start(false);
			assert.equal(stop.reason, 'breakpoint');
			const poke = engine.threads().find(t => t.id === 'poke');
			assert.ok(poke !== undefined, engine.threads().map(t => t.name).join(', '));
			assert.equal(poke.kind, 'kernel');
			assert.deepEqual(harnessLog(engine), ['harness: "hello" at step 0', 'harness: p faulted'], 'poke has fired but not run yet');
			engine.setSourceBreakpoints(userFile, []);
			const end = await engine.continue();
			assert.equal(end.reason, 'exited');
			assert.equal(output.join(''), 'kdev says 42\ngot signal 10\n');
		} finally {
			engine.dispose();
		}
	});

	it('a travel back replays the logged firings (not fired twice); an intervention in the past fires them live again, at the same counts', async () => {
		const output: string[] = [];
		const engine = launch(output);
		try {
			await engine.start(false);
			const end = signature(engine.system);
			const firedAt = engine.timeline.filter(e => e.kind === 'harness').map(e => [e.text, e.time]);
			const executed = engine.executed;
			// Back to the start, then forward through the recorded history.
			await engine.travel(0);
			assert.deepEqual(harnessLog(engine), [], 'at count 0 the step-0 harness task has started but not run');
			assert.ok(engine.threads().some(t => t.id === 'hello'), engine.threads().map(t => t.name).join(', '));
			const again = await engine.continue();
			assert.equal(again.reason, 'exited');
			assert.equal(engine.executed, executed);
			assert.equal(signature(engine.system), end);
			assert.deepEqual(harnessLog(engine), ['harness: "hello" at step 0', 'harness: p faulted', 'harness: poked p']);
			assert.equal(output.join(''), 'kdev says 42\ngot signal 10\n', 'output is not repeated by a replay');
			// Back to a count before the statement trigger, an intervention there (one statement of p
			// alone cuts the recorded future), then forward live: the triggers fire again, at the same counts.
			const pokeAt = Number(firedAt[2][1]);
			await engine.travel(pokeAt - 50);
			const p = engine.machine.processes[0].task.pid;
			const stepped = await engine.stepTask(p, 'in', true);
			assert.equal(stepped.reason, 'step');
			const live = await engine.continue();
			assert.equal(live.reason, 'exited');
			assert.deepEqual(harnessLog(engine), ['harness: "hello" at step 0', 'harness: p faulted', 'harness: poked p']);
			assert.deepEqual(engine.timeline.filter(e => e.kind === 'harness').map(e => [e.text, e.time]), firedAt);
			assert.equal(signature(engine.system), end);
		} finally {
			engine.dispose();
		}
	});

	it('landing at the firing count restores the fired-but-not-run harness; stepBack and forward again across its effects', async () => {
		const engine = launch([]);
		try {
			engine.setSourceBreakpoints(userFile, [{ line: readyLine() }]);
			const stop = await engine.start(false);
			assert.equal(stop.reason, 'breakpoint');
			const p = stop.pid!;
			const firedAt = engine.executed;
			const before = signature(engine.system);
			const printLine = readyLine() + 2;
			engine.setSourceBreakpoints(userFile, [{ line: printLine }]);
			const printed = await engine.continue();
			assert.equal(printed.reason, 'breakpoint');
			assert.equal(engine.task(p)!.thread.top!.statementInfo!.range.line, printLine);
			const after = signature(engine.system);
			// Back to the count where poke fired: it exists and has not run yet.
			await engine.travel(firedAt);
			assert.equal(signature(engine.system), before);
			assert.deepEqual(harnessLog(engine), ['harness: "hello" at step 0', 'harness: p faulted']);
			await engine.travel(engine.frontier());
			assert.equal(signature(engine.system), after);
			// One statement back: p is in its loop again, after the signal (poke's work stays done).
			const back = await engine.stepBack(p);
			assert.equal(back.reason, 'step');
			assert.equal(engine.task(p)!.thread.top!.statementInfo!.range.line, readyLine());
			assert.deepEqual(harnessLog(engine), ['harness: "hello" at step 0', 'harness: p faulted', 'harness: poked p']);
			engine.setSourceBreakpoints(userFile, []);
			const forward = await engine.stepTask(p, 'over', false);
			assert.equal(forward.reason, 'step');
			assert.equal(signature(engine.system), after);
		} finally {
			engine.dispose();
		}
	});
});
