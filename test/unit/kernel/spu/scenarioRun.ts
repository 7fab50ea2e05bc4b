// Runs the spufs example scenarios (kc/examples/scenarios/spu-*) with `faultline run`'s
// runScenario on a given profile and checks that every expectation held (layer: test).
//
// Known limitation of run.ts (reported to the lead): a run whose user processes have all exited
// but whose driver left kernel threads asleep (spufs's spusched, the SPEs' IRQ threads) ends as
// "stalled" and is reported as a deadlock (exit status 3). Until run.ts ends such a run normally,
// that one report is accepted here, and only when every task it names is one of those kernel
// threads; any expectation failure, oops, BUG or other deadlock still fails.

import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { runScenario } from '../../../../src/sim/run';
import { kcRoot } from './spuMachine';

export const scenariosDir = path.join(kcRoot, 'examples', 'scenarios');

/** The outcome of one run. */
export interface ScenarioOutcome {
	readonly status: number;
	readonly messages: string;
	readonly events: readonly Record<string, unknown>[];
}

/** The task id of the harness task `name` (a kernel thread: its comm keeps 15 characters). */
export function harnessTask(name: string): string {
	return name.slice(0, 15);
}

const DRIVER_THREADS = /^(irq\/\d+-spe\d+\.\d|spusched)$/;

/** Runs `folder/file` on `profile` and asserts that it passed (see the header). */
export function runSpuScenario(folder: string, file: string, profile: string): ScenarioOutcome {
	let messages = '';
	const lines: string[] = [];
	const status = runScenario({ file: path.join(scenariosDir, folder, file), kcRoot, profile, trace: line => lines.push(line), report: text => { messages += text; } });
	const events = lines.map(line => JSON.parse(line) as Record<string, unknown>);
	assert.doesNotMatch(messages, /expectation failed|error:/, messages);
	const failures = events.filter(e => e.kind === 'oops' || e.kind === 'bug');
	assert.deepEqual(failures, [], messages);
	if (status !== 0) {
		assert.equal(status, 3, messages);
		const deadlocks = events.filter(e => e.kind === 'deadlock');
		assert.equal(deadlocks.length, 1, messages);
		const tasks = (deadlocks[0].tasks as { task: string }[]).map(t => t.task);
		assert.ok(tasks.length > 0 && tasks.every(t => DRIVER_THREADS.test(t)), `a deadlock of more than the driver's idle threads: ${tasks.join(', ')}\n${messages}`);
	}
	return { status, messages, events };
}
