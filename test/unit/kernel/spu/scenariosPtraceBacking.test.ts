// The spufs example scenarios 1 and 2 of kernel-semantics.md section 8, run by `faultline run` on
// every profile they list (kc/examples/scenarios/spu-stale-ptrace, spu-ls-backing): each scenario
// file's per-profile expectations must all hold (see scenarioRun.ts).

import * as assert from 'node:assert/strict';
import { harnessTask, runSpuScenario } from './scenarioRun';

describe('spufs scenarios: stale ptrace page, local-store backing', function () {
	this.timeout(300_000);

	for (const profile of ['linux-2.6.18', 'linux-2.6.21']) {
		it(`kernel-semantics.md 8 scenario 1 / 3.3, seed 001 (Herrenschmidt 2006, "trick PTRACE into reading the local store of an SPU that has been switched"): spu-stale-ptrace.json on ${profile}`, () => {
			const run = runSpuScenario('spu-stale-ptrace', 'spu-stale-ptrace.json', profile);
			// The harness fired only where access_process_vm reached the copy from a GUP page.
			const harnessRan = run.events.some(e => e.kind === 'context-switch' && e.to === harnessTask('switch-after-gup'));
			assert.equal(harnessRan, profile === 'linux-2.6.18');
		});
	}

	for (const profile of ['linux-2.6.27', 'linux-6.8']) {
		it(`kernel-semantics.md 8 scenario 1 / 3.2 spufs_mem_mmap_access: spu-stale-ptrace-access.json on ${profile}`, () => {
			const run = runSpuScenario('spu-stale-ptrace', 'spu-stale-ptrace-access.json', profile);
			assert.ok(run.events.some(e => e.kind === 'context-switch' && e.to === harnessTask('switch-during-access')), 'the switch was forced inside ->access');
		});
	}

	for (const profile of ['linux-2.6.18', 'linux-2.6.21', 'linux-2.6.27', 'linux-6.8']) {
		it(`kernel-semantics.md 8 scenario 2 / 3.1, seed 001 ("unmap_mapping_range() ... further no_page() will then bring in pages from either the backing store or the real SPU local store"): spu-ls-backing.json on ${profile}`, () => {
			const run = runSpuScenario('spu-ls-backing', 'spu-ls-backing.json', profile);
			// Every PTE of the word's page: hardware local store (PFN 0xc0002) first, then RAM, in both processes.
			const ptes = run.events.filter(e => (e.kind === 'pte-set' || e.kind === 'pte-zap') && e.va === '0x50002000' && e.process === 'p');
			const ls = (v: unknown): boolean => /c0002[0-9a-f]{3}$/.test(String(v));
			const zapsOfLs = ptes.filter(e => e.kind === 'pte-zap' && ls(e.old));
			assert.equal(zapsOfLs.length, 2, 'one unmap_mapping_range zapped the local-store PTE of both processes');
			const lastLsZap = ptes.indexOf(zapsOfLs[1]);
			const after = ptes.slice(lastLsZap + 1).filter(e => e.kind === 'pte-set');
			assert.ok(after.length >= 2 && after.every(e => !ls(e.value)), 'after the switch both processes map RAM (the save area)');
			assert.ok(zapsOfLs[0].task !== zapsOfLs[1].task || zapsOfLs[0].mm !== zapsOfLs[1].mm, 'two address spaces');
		});
	}
});
