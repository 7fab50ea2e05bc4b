// Runs an example scenario of kc/examples/scenarios with `faultline run`'s runScenario on one
// profile, with the trace, and asserts that every expectation held and nothing oopsed
// (layer: test). Used by the /dev/mem, dma-buf and nopage tests.

import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { runScenario } from '../../../../src/sim/run';
import { kcRoot } from './driverMachine';

export const scenariosDir = path.join(kcRoot, 'examples', 'scenarios');

export interface ScenarioOutcome {
	readonly status: number;
	readonly messages: string;
	readonly events: readonly Record<string, unknown>[];
}

/** Runs `folder/file` on `profile`; `allowOops`: the scenario expects a kernel oops or BUG. */
export function runExample(folder: string, file: string, profile: string, allowOops = false): ScenarioOutcome {
	let messages = '';
	const lines: string[] = [];
	const status = runScenario({ file: path.join(scenariosDir, folder, file), kcRoot, profile, trace: line => lines.push(line), report: text => { messages += text; } });
	const events = lines.map(line => JSON.parse(line) as Record<string, unknown>);
	assert.doesNotMatch(messages, /expectation failed|error:/, messages);
	if (!allowOops) assert.deepEqual(events.filter(e => e.kind === 'oops' || e.kind === 'bug'), [], messages);
	assert.equal(status, 0, messages);
	return { status, messages, events };
}
