// The 2006 DRM "lock every mmap_sem" design against a faulting thread (kernel-semantics.md §4.1
// and §9), at the lock level (layer: kernel). Task A faults on a buffer object mapping: it holds
// mm1's mmap_lock for read and wants the bo lock in the driver's nopage. Task B, the buffer
// manager, holds the bo lock and takes the mmap_lock of every mm mapping the object for write.
// Lockdep reports the order reversal in every interleaving; an actual deadlock happens only when
// the two critical sections overlap, which an explicit schedule (or some seeds) produces.

import assert from 'node:assert/strict';
import type { CircularDependencyReport } from '../../../../src/kernel/locks/lockdep';
import type { DeadlockReport } from '../../../../src/kernel/locks/deadlock';
import { LockSystem } from '../../../../src/kernel/locks/lockSystem';
import { createPolicy, parsePolicyConfig, type PolicyConfig } from '../../../../src/kernel/sched/policy';
import { runTasks, site, type Op, type RunResult } from './taskHarness';

const faultingThread: readonly Op[] = [
	{ do: 'lock', lock: 'mm1', mode: 'shared', site: site('arch/x86/mm/fault.c', 440, 'do_page_fault') },
	{ do: 'work', site: site('mm/memory.c', 2300, 'handle_mm_fault') },
	{ do: 'lock', lock: 'bo', site: site('drm_vm.c', 130, 'drm_bo_vm_nopage') },
	{ do: 'work', site: site('drm_vm.c', 140, 'drm_bo_vm_nopage') },
	{ do: 'unlock', lock: 'bo', site: site('drm_vm.c', 160, 'drm_bo_vm_nopage') },
	{ do: 'unlock', lock: 'mm1', mode: 'shared', site: site('arch/x86/mm/fault.c', 470, 'do_page_fault') },
];

const bufferManager: readonly Op[] = [
	{ do: 'lock', lock: 'bo', site: site('drm_bo.c', 500, 'drm_bo_move_buffer') },
	{ do: 'work', site: site('drm_bo.c', 505, 'drm_bo_move_buffer') },
	{ do: 'lock', lock: 'mm1', site: site('drm_ttm.c', 60, 'drm_ttm_lock_mmap_sem') },
	{ do: 'lock', lock: 'mm2', subclass: 1, site: site('drm_ttm.c', 60, 'drm_ttm_lock_mmap_sem') },
	{ do: 'work', site: site('drm_ttm.c', 80, 'unmap_vma_pages') },
	{ do: 'unlock', lock: 'mm2', site: site('drm_ttm.c', 95, 'drm_ttm_unlock_mmap_sem') },
	{ do: 'unlock', lock: 'mm1', site: site('drm_ttm.c', 95, 'drm_ttm_unlock_mmap_sem') },
	{ do: 'unlock', lock: 'bo', site: site('drm_bo.c', 520, 'drm_bo_move_buffer') },
];

function run(config: PolicyConfig, seed?: number): RunResult {
	const locks = new LockSystem();
	locks.registerTask('A', 'fault');
	locks.registerTask('B', 'drm_mm');
	const lockIds = {
		mm1: locks.createLock({ kind: 'rwsem', name: 'mm1->mmap_lock', className: '&mm->mmap_lock' }),
		mm2: locks.createLock({ kind: 'rwsem', name: 'mm2->mmap_lock', className: '&mm->mmap_lock' }),
		bo: locks.createLock({ kind: 'mutex', name: 'bo#1->mutex', className: '&bo->mutex' }),
	};
	return runTasks(locks, lockIds, { A: faultingThread, B: bufferManager }, createPolicy(config, seed));
}

function circular(result: RunResult): CircularDependencyReport[] {
	return result.reports.filter((r): r is CircularDependencyReport => r.kind === 'circular-dependency');
}

function deadlocks(result: RunResult): DeadlockReport[] {
	return result.reports.filter((r): r is DeadlockReport => r.kind === 'deadlock');
}

describe('DRM "lock every mmap_sem" vs a faulting thread', () => {
	it('gets a lockdep report but no deadlock when the fault completes first', () => {
		const result = run({ kind: 'round-robin', quantum: 100 });
		assert.equal(result.stalled, false);
		assert.deepEqual(result.exited, ['A', 'B']);
		assert.deepEqual(deadlocks(result), []);
		const [report] = circular(result);
		assert.equal(report.task.name, 'drm_mm');
		assert.equal(report.acquiring.lock.name, 'mm1->mmap_lock');
		assert.deepEqual(report.acquiring.site, site('drm_ttm.c', 60, 'drm_ttm_lock_mmap_sem'));
		assert.equal(report.holding.lock.name, 'bo#1->mutex');
		assert.deepEqual(report.chain.map(e => [e.from, e.to, e.task.name, e.fromSite.line, e.toSite.line]), [
			['&mm->mmap_lock', '&bo->mutex', 'fault', 440, 130],
		]);
	});

	it('deadlocks under the explicit interleaving, and both reports name tasks, locks and source lines', () => {
		// "Run A until it reaches the bo lock in drm_vm.c, then B until it blocks, then A."
		const parsed = parsePolicyConfig({
			kind: 'explicit',
			steps: [{ task: 'A', until: { stmt: 'drm_vm.c:130' } }, 'B', 'A'],
		});
		assert.deepEqual(parsed.errors, []);
		const result = run(parsed.config as PolicyConfig);
		assert.equal(result.stalled, true);
		assert.deepEqual(result.trace, [
			'A arch/x86/mm/fault.c:440 lock mm1 -> acquired',
			'A mm/memory.c:2300 work',
			'B drm_bo.c:500 lock bo -> acquired',
			'B drm_bo.c:505 work',
			'B drm_ttm.c:60 lock mm1 -> blocked',
			'A drm_vm.c:130 lock bo -> blocked',
		]);
		// Lockdep fires when A closes the cycle; then the deadlock is real.
		assert.deepEqual(result.reports.map(r => r.kind), ['circular-dependency', 'deadlock']);
		const lockdep = circular(result)[0];
		assert.equal(lockdep.task.name, 'fault');
		assert.deepEqual(lockdep.chain.map(e => `${e.from} -> ${e.to} by ${e.task.name} at ${e.toSite.file}:${e.toSite.line}`), [
			'&bo->mutex -> &mm->mmap_lock by drm_mm at drm_ttm.c:60',
		]);
		const [deadlock] = deadlocks(result);
		assert.deepEqual(deadlock.cycle.map(e => [e.waiter.name, e.lock.name, `${e.waitSite.file}:${e.waitSite.line}`, e.blocker.name, e.reason, `${e.blockerSite.file}:${e.blockerSite.line}`]), [
			['fault', 'bo#1->mutex', 'drm_vm.c:130', 'drm_mm', 'owner', 'drm_bo.c:500'],
			['drm_mm', 'mm1->mmap_lock', 'drm_ttm.c:60', 'fault', 'reader', 'arch/x86/mm/fault.c:440'],
		]);
		assert.match(deadlock.text, /fault\/A sleeps waiting for bo#1->mutex \(&bo->mutex\), at: drm_vm\.c:130:2 drm_bo_vm_nopage\(\)\n {2}held by drm_mm\/B, acquired at: drm_bo\.c:500:2 drm_bo_move_buffer\(\)/);
		assert.match(deadlock.text, /drm_mm\/B sleeps waiting for mm1->mmap_lock \(&mm->mmap_lock\), at: drm_ttm\.c:60:2 drm_ttm_lock_mmap_sem\(\)\n {2}held by fault\/A \[read\], acquired at: arch\/x86\/mm\/fault\.c:440:2 do_page_fault\(\)/);
	});

	it('reports the order reversal for every seed, deadlocks for some, and replays each seed exactly', () => {
		let deadlocked = 0;
		let completed = 0;
		for (let seed = 0; seed < 40; seed++) {
			const config: PolicyConfig = { kind: 'random', minQuantum: 1, maxQuantum: 4 };
			const first = run(config, seed);
			const again = run(config, seed);
			assert.deepEqual(again.trace, first.trace, `seed ${seed} replays`);
			assert.deepEqual(again.reports.map(r => r.text), first.reports.map(r => r.text));
			assert.equal(circular(first).length, 1, `seed ${seed} gets the lockdep report`);
			if (deadlocks(first).length > 0) {
				assert.equal(first.stalled, true);
				deadlocked++;
			} else {
				assert.deepEqual(first.exited.slice().sort(), ['A', 'B']);
				completed++;
			}
		}
		assert.ok(deadlocked > 0 && completed > 0, `${deadlocked} deadlocks, ${completed} completions`);
	});
});
