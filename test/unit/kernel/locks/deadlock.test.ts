// Unit tests for actual deadlock detection on the wait-for graph (layer: kernel): AB-BA cycles of
// sleeping and spinning locks, rwsem readers as owners, a recursive down_read behind a queued
// writer, self-deadlock, ww transactions that back off instead, and stall analysis.

import assert from 'node:assert/strict';
import { analyzeStall, findDeadlock, findDeadlocks, waitForEdges, type DeadlockReport } from '../../../../src/kernel/locks/deadlock';
import { LockSystem, type LockReport } from '../../../../src/kernel/locks/lockSystem';
import type { LockSite } from '../../../../src/kernel/locks/types';

function at(line: number, fn: string, file = 'drv.c'): LockSite {
	return { file, line, col: 4, fn };
}

function system(): { locks: LockSystem; reports: LockReport[] } {
	const reports: LockReport[] = [];
	const locks = new LockSystem({ onReport: r => reports.push(r) });
	for (const [id, name] of [['1', 'A'], ['2', 'B'], ['3', 'C']]) {
		locks.registerTask(id, name);
	}
	return { locks, reports };
}

function deadlocks(reports: readonly LockReport[]): DeadlockReport[] {
	return reports.filter((r): r is DeadlockReport => r.kind === 'deadlock');
}

describe('deadlock detection', () => {
	it('finds an AB-BA cycle of mutexes when the second task blocks, with tasks, locks and sites', () => {
		const { locks, reports } = system();
		const a = locks.createLock({ kind: 'mutex', name: 'lockA', className: '&a->lock' });
		const b = locks.createLock({ kind: 'mutex', name: 'lockB', className: '&b->lock' });
		locks.tryAcquire('1', a, 'exclusive', at(10, 'first'));
		locks.tryAcquire('2', b, 'exclusive', at(20, 'second'));
		assert.equal(locks.tryAcquire('1', b, 'exclusive', at(11, 'first')).status, 'blocked');
		assert.deepEqual(deadlocks(reports), []);
		assert.equal(locks.tryAcquire('2', a, 'exclusive', at(21, 'second')).status, 'blocked');
		// Lockdep saw the order reversal first, then the deadlock happened.
		assert.deepEqual(reports.map(r => r.kind), ['circular-dependency', 'deadlock']);
		const report = deadlocks(reports)[0];
		assert.equal(report.severity, 'bug');
		assert.deepEqual(report.tasks.map(t => t.name), ['B', 'A']);
		assert.deepEqual(report.locks.map(l => l.name), ['lockA', 'lockB']);
		assert.deepEqual(report.cycle.map(e => [e.waiter.name, e.waitSite.line, e.blocker.name, e.blockerSite.line, e.reason]), [
			['B', 21, 'A', 10, 'owner'],
			['A', 11, 'B', 20, 'owner'],
		]);
		assert.match(report.text, /B\/2 sleeps waiting for lockA \(&a->lock\), at: drv\.c:21:4 second\(\)\n {2}held by A\/1, acquired at: drv\.c:10:4 first\(\)/);
		assert.equal(locks.deadlocks().length, 1);
		assert.deepEqual(locks.stall().map(s => s.cause), ['deadlock', 'deadlock']);
	});

	it('counts rwsem readers as owners', () => {
		const { locks, reports } = system();
		const mmap = locks.createLock({ kind: 'rwsem', name: 'mm1->mmap_lock', className: '&mm->mmap_lock' });
		const bo = locks.createLock({ kind: 'mutex', name: 'bo1->mutex', className: '&bo->mutex' });
		locks.tryAcquire('1', mmap, 'shared', at(1, 'do_page_fault'));
		locks.tryAcquire('3', mmap, 'shared', at(1, 'do_page_fault'));
		locks.tryAcquire('2', bo, 'exclusive', at(2, 'drm_bo_move'));
		locks.tryAcquire('2', mmap, 'exclusive', at(3, 'drm_bo_move'));
		const edges = waitForEdges(locks.table, '2');
		assert.deepEqual(edges.map(e => [e.blocker.name, e.reason, e.blockerMode]), [['A', 'reader', 'shared'], ['C', 'reader', 'shared']]);
		assert.deepEqual(deadlocks(reports), []);
		// C, the other reader, does not wait for anything; A now waits for B's mutex.
		locks.tryAcquire('1', bo, 'exclusive', at(4, 'drm_vm_nopage'));
		const report = deadlocks(reports)[0];
		assert.deepEqual(report.cycle.map(e => `${e.waiter.name}->${e.blocker.name}:${e.reason}`), ['A->B:owner', 'B->A:reader']);
	});

	it('finds the deadlock of a recursive down_read behind a queued writer', () => {
		const { locks, reports } = system();
		const sem = locks.createLock({ kind: 'rwsem', name: 'mm1->mmap_lock', className: '&mm->mmap_lock' });
		locks.tryAcquire('1', sem, 'shared', at(1, 'do_page_fault'));
		locks.tryAcquire('2', sem, 'exclusive', at(2, 'sys_mprotect'));
		assert.equal(locks.tryAcquire('1', sem, 'shared', at(3, 'get_user_pages')).status, 'blocked');
		assert.deepEqual(reports.map(r => r.kind), ['recursive-locking', 'deadlock']);
		const report = deadlocks(reports)[0];
		assert.deepEqual(report.cycle.map(e => `${e.waiter.name}->${e.blocker.name}:${e.reason}`), ['A->B:queued-ahead', 'B->A:reader']);
		assert.match(report.text, /A\/1 sleeps waiting for mm1->mmap_lock \(&mm->mmap_lock\) \[read\], at: drv\.c:3:4 get_user_pages\(\)\n {2}behind B\/2, queued at: drv\.c:2:4 sys_mprotect\(\)/);
	});

	it('finds a task waiting for itself', () => {
		const { locks, reports } = system();
		const m = locks.createLock({ kind: 'mutex', name: 'm' });
		locks.tryAcquire('1', m, 'exclusive', at(1, 'f'));
		locks.tryAcquire('1', m, 'exclusive', at(2, 'g'));
		const report = deadlocks(reports)[0];
		assert.equal(report.cycle.length, 1);
		assert.match(report.text, /1 task wait/);
	});

	it('finds spinlock deadlocks among spinning tasks', () => {
		const { locks, reports } = system();
		const a = locks.createLock({ kind: 'spinlock', name: 'ptl(pfn 0x1)', className: 'ptlock_ptr(page)' });
		const b = locks.createLock({ kind: 'spinlock', name: 'mm->page_table_lock', className: '&mm->page_table_lock' });
		locks.tryAcquire('1', a, 'exclusive', at(1, 'f'));
		locks.tryAcquire('2', b, 'exclusive', at(2, 'g'));
		assert.equal(locks.tryAcquire('1', b, 'exclusive', at(3, 'f')).status, 'spin');
		assert.equal(locks.tryAcquire('2', a, 'exclusive', at(4, 'g')).status, 'spin');
		const report = deadlocks(reports)[0];
		assert.deepEqual(report.cycle.map(e => e.how), ['spins', 'spins']);
		// Retrying does not report it again.
		locks.tryAcquire('1', b, 'exclusive', at(3, 'f'));
		locks.tryAcquire('2', a, 'exclusive', at(4, 'g'));
		assert.equal(deadlocks(reports).length, 1);
	});

	it('finds no deadlock where ww transactions back off', () => {
		const { locks, reports } = system();
		locks.defineWwClass('reservation_ww_class', 'wait-die');
		const x = locks.createLock({ kind: 'ww_mutex', name: 'bo1->resv', className: 'reservation_ww_class_mutex', wwClass: 'reservation_ww_class' });
		const y = locks.createLock({ kind: 'ww_mutex', name: 'bo2->resv', className: 'reservation_ww_class_mutex', wwClass: 'reservation_ww_class' });
		const older = locks.wwAcquireInit('1', 'reservation_ww_class', at(1, 'exec'));
		const younger = locks.wwAcquireInit('2', 'reservation_ww_class', at(1, 'exec'));
		locks.tryAcquire('1', x, 'exclusive', at(2, 'exec'), { ctx: older });
		locks.tryAcquire('2', y, 'exclusive', at(2, 'exec'), { ctx: younger });
		assert.equal(locks.tryAcquire('1', y, 'exclusive', at(3, 'exec'), { ctx: older }).status, 'blocked');
		assert.equal(locks.tryAcquire('2', x, 'exclusive', at(3, 'exec'), { ctx: younger }).status, 'deadlk');
		assert.deepEqual(reports, []);
		assert.deepEqual(findDeadlocks(locks.table), []);
	});

	it('explains a stall: exited holders, completions, and tasks blocked behind them', () => {
		const { locks } = system();
		const m = locks.createLock({ kind: 'mutex', name: 'm' });
		const n = locks.createLock({ kind: 'mutex', name: 'n' });
		const done = locks.createLock({ kind: 'completion', name: 'fence->done' });
		locks.tryAcquire('1', m, 'exclusive', at(1, 'f'));
		locks.taskExit('1', at(2, 'do_exit'));
		locks.tryAcquire('2', n, 'exclusive', at(3, 'g'));
		locks.tryAcquire('2', m, 'exclusive', at(4, 'g'));
		locks.tryAcquire('3', n, 'exclusive', at(5, 'h'));
		locks.registerTask('4', 'D');
		locks.waitForCompletion('4', done, at(6, 'dma_fence_wait'));
		assert.deepEqual(analyzeStall(locks.table).map(s => [s.task.name, s.lock.name, s.cause]), [
			['B', 'm', 'exited-holder'], ['C', 'n', 'exited-holder'], ['D', 'fence->done', 'no-owner'],
		]);
		assert.equal(findDeadlock(locks.table, '3'), null);
	});
});
