// Every example scenario shipped in kc/examples/scenarios runs through `faultline run` on every
// profile it names (`kernel.profiles`, else its `kernel.profile`) and every expectation it states
// for that profile holds (issue 4 acceptance: the scenarios of kernel-semantics.md section 8 pass on
// the profiles they name). The status is 0, or 3 (BRIEF 2.4: the kernel oopsed, BUGged or
// deadlocked) when the scenario states that outcome with an oops/bug/deadlock event expectation
// (seed 003's oops, the 2006 DRM deadlock).

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runScenario } from '../../../src/sim/run';

const root = path.resolve(__dirname, '..', '..', '..');
const kcRoot = path.join(root, 'kc');
const examples = path.join(kcRoot, 'examples', 'scenarios');

/** Every scenario file (a `.json` with a `processes` key) below the examples folder. */
function scenarioFiles(): string[] {
	const files: string[] = [];
	for (const folder of fs.readdirSync(examples, { withFileTypes: true })) {
		if (!folder.isDirectory()) continue;
		for (const name of fs.readdirSync(path.join(examples, folder.name))) {
			if (!name.endsWith('.json')) continue;
			const file = path.join(examples, folder.name, name);
			const text = fs.readFileSync(file, 'utf8');
			if (/"processes"\s*:/.test(text)) files.push(file);
		}
	}
	return files.sort();
}

/** Whether the scenario expects a kernel failure on `profile` (an oops, bug or deadlock event wanted). */
function expectsKernelFailure(file: string, profile: string): boolean {
	const json = JSON.parse(fs.readFileSync(file, 'utf8')) as { expect?: { event?: string; count?: number | string; profiles?: string[] }[] };
	return (json.expect ?? []).some(e => (e.event === 'oops' || e.event === 'bug' || e.event === 'deadlock')
		&& (e.profiles === undefined || e.profiles.includes(profile))
		&& e.count !== 0 && !/^(==\s*)?0$|^<=?\s*0$/.test(String(e.count ?? '>= 1').trim()));
}

function profilesOf(file: string): string[] {
	const json = JSON.parse(fs.readFileSync(file, 'utf8')) as { kernel?: { profile?: string; profiles?: string[] } };
	return json.kernel?.profiles ?? [json.kernel?.profile ?? 'linux-6.8'];
}

describe('every shipped example scenario passes on the profiles it names (faultline run)', function () {
	this.timeout(600_000);
	for (const file of scenarioFiles()) {
		for (const profile of profilesOf(file)) {
			it(`${path.relative(examples, file)} on ${profile}`, () => {
				let messages = '';
				const status = runScenario({ file, kcRoot, profile, report: text => { messages += text; } });
				assert.doesNotMatch(messages, /expectation failed/, messages);
				assert.equal(status, expectsKernelFailure(file, profile) ? 3 : 0, messages);
			});
		}
	}
});
