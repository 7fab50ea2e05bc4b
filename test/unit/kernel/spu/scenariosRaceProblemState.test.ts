// The spufs example scenarios 3 and 4 of kernel-semantics.md section 8, run by `faultline run` on
// every profile they list (kc/examples/scenarios/spu-fault-race, spu-ps-saved): each scenario
// file's per-profile expectations must all hold (see scenarioRun.ts).

import * as assert from 'node:assert/strict';
import { harnessTask, runSpuScenario } from './scenarioRun';

describe('spufs scenarios: fault vs context switch, problem state while saved', function () {
	this.timeout(300_000);

	it('kernel-semantics.md 8 scenario 3 / 2.1 (do_no_page retries when truncate_count moved), seeds 001 and 002: spu-fault-race.json on linux-2.6.18', () => {
		const run = runSpuScenario('spu-fault-race', 'spu-fault-race.json', 'linux-2.6.18');
		assert.ok(run.events.some(e => e.kind === 'context-switch' && e.to === harnessTask('switch-in-the-fault')), 'the switch ran inside the fault');
	});

	for (const profile of ['linux-2.6.21', 'linux-2.6.27', 'linux-6.8']) {
		it(`kernel-semantics.md 8 scenario 3 / 2.2 (vm_insert_pfn under the context lock, 78bde53e351): spu-fault-race-pfn.json on ${profile}`, () => {
			const run = runSpuScenario('spu-fault-race', 'spu-fault-race-pfn.json', profile);
			assert.ok(run.events.some(e => e.kind === 'context-switch' && e.to === harnessTask('switch-in-the-fault')), 'the switch ran inside the fault');
		});
		it(`kernel-semantics.md 8 scenario 3 / 2.2 (do_no_pfn's race, seed 001 "not protected against racing unmap_mapping_range()"): spu-fault-race-unlocked.json on ${profile}`, () => {
			const run = runSpuScenario('spu-fault-race', 'spu-fault-race-unlocked.json', profile);
			assert.ok(run.events.some(e => e.kind === 'context-switch' && e.to === harnessTask('switch-in-the-fault')), 'the switch ran inside the fault');
		});
	}

	for (const profile of ['linux-2.6.18', 'linux-2.6.21']) {
		it(`kernel-semantics.md 8 scenario 4 / 3.2 (spu_acquire_runnable in the problem-state fault), seed 001: spu-ps-saved.json on ${profile}`, () => {
			const run = runSpuScenario('spu-ps-saved', 'spu-ps-saved.json', profile);
			assert.equal(run.events.filter(e => e.kind === 'lockdep').length, 0);
		});
	}

	for (const profile of ['linux-2.6.27', 'linux-6.8']) {
		it(`kernel-semantics.md 8 scenario 4 / 3.2 (spufs_ps_fault drops mmap_lock and waits, returns NOPAGE): spu-ps-saved-wait.json on ${profile}`, () => {
			const run = runSpuScenario('spu-ps-saved', 'spu-ps-saved-wait.json', profile);
			assert.ok(run.events.some(e => e.kind === 'context-switch' && e.to === harnessTask('bind-ctxA')), 'the harness bound ctxA while the fault slept');
		});
	}
});
