// Unit tests for the lock state machines (layer: kernel): mutex FIFO hand-off, rwsem fairness and
// downgrade, spinning locks, ww_mutex wait-die and wound-wait outcomes, completions, wait queues,
// signals, misuse reports, snapshots, and a random-operation property test of the invariants.

import assert from 'node:assert/strict';
import fc from 'fast-check';
import { LockTable, lockTransitions, type LockMisuseReport, type Wakeup } from '../../../../src/kernel/locks/locks';
import { LockInvariantError, type LockId, type LockMode, type LockSite } from '../../../../src/kernel/locks/types';

function at(line: number, fn = 'f', file = 'drv.c'): LockSite {
	return { file, line, col: 2, fn };
}

function tasksOf(wakeups: readonly Wakeup[]): string[] {
	return wakeups.map(w => `${w.task}:${w.outcome}`);
}

function table(): { locks: LockTable; reports: LockMisuseReport[] } {
	const reports: LockMisuseReport[] = [];
	const locks = new LockTable({ onReport: r => reports.push(r) });
	for (const name of ['A', 'B', 'C', 'D', 'E']) {
		locks.registerTask(name, `task${name}`);
	}
	return { locks, reports };
}

describe('locks: mutex', () => {
	it('hands the lock to waiters in FIFO order and completes their repeated call', () => {
		const { locks } = table();
		const m = locks.createLock({ kind: 'mutex', name: 'dev->struct_mutex' });
		assert.equal(locks.tryAcquire('A', m, 'exclusive', at(1)).status, 'acquired');
		for (const task of ['B', 'C', 'D']) {
			assert.equal(locks.tryAcquire(task, m, 'exclusive', at(2)).status, 'blocked');
		}
		// A blocked task calling again before it is woken stays blocked.
		assert.equal(locks.tryAcquire('C', m, 'exclusive', at(2)).status, 'blocked');
		assert.deepEqual(locks.lock(m).waiters.map(w => w.task), ['B', 'C', 'D']);
		assert.deepEqual(tasksOf(locks.release('A', m, at(3))), ['B:acquired']);
		assert.equal(locks.lock(m).owner, 'B');
		assert.equal(locks.tryAcquire('B', m, 'exclusive', at(2)).status, 'acquired');
		assert.equal(locks.pendingOf('B'), undefined);
		// A newcomer cannot jump the queue, even with trylock.
		assert.equal(locks.tryAcquire('E', m, 'exclusive', at(4), { trylock: true }).status, 'busy');
		assert.deepEqual(tasksOf(locks.release('B', m, at(3))), ['C:acquired']);
		assert.deepEqual(tasksOf(locks.release('C', m, at(3))), ['D:acquired']);
		assert.deepEqual(tasksOf(locks.release('D', m, at(3))), []);
		assert.equal(locks.lock(m).state, 'unlocked');
		assert.equal(locks.lock(m).stats.acquisitions, 4);
		assert.equal(locks.lock(m).stats.contentions, 3);
	});

	it('records wait times from the simulated clock', () => {
		let now = 0;
		const locks = new LockTable({ clock: () => now });
		const m = locks.createLock({ kind: 'mutex', name: 'm' });
		locks.tryAcquire('A', m, 'exclusive', at(1));
		now = 5;
		locks.tryAcquire('B', m, 'exclusive', at(1));
		now = 12;
		locks.release('A', m, at(2));
		assert.equal(locks.lock(m).stats.waitTime, 7);
		assert.equal(locks.lock(m).stats.maxWaitTime, 7);
	});
});

describe('locks: rw_semaphore', () => {
	it('lets readers share it and makes a queued writer block new readers', () => {
		const { locks } = table();
		const sem = locks.createLock({ kind: 'rwsem', name: 'mm1->mmap_lock', className: '&mm->mmap_lock' });
		assert.equal(locks.tryAcquire('A', sem, 'shared', at(1)).status, 'acquired');
		assert.equal(locks.tryAcquire('B', sem, 'shared', at(1)).status, 'acquired');
		assert.equal(locks.lock(sem).state, 'read-locked');
		assert.equal(locks.tryAcquire('C', sem, 'exclusive', at(2)).status, 'blocked');
		// Writer-preferring: a reader arriving after the queued writer waits behind it.
		assert.equal(locks.tryAcquire('D', sem, 'shared', at(3), { trylock: true }).status, 'busy');
		assert.equal(locks.tryAcquire('D', sem, 'shared', at(3)).status, 'blocked');
		assert.equal(locks.tryAcquire('E', sem, 'exclusive', at(4)).status, 'blocked');
		assert.deepEqual(tasksOf(locks.release('A', sem, at(5), 'shared')), []);
		assert.deepEqual(tasksOf(locks.release('B', sem, at(5), 'shared')), ['C:acquired']);
		assert.equal(locks.lock(sem).state, 'write-locked');
		// The writer's release grants the reader at the head, not the writer behind it.
		assert.deepEqual(tasksOf(locks.release('C', sem, at(6))), ['D:acquired']);
		assert.equal(locks.lock(sem).state, 'read-locked');
		assert.deepEqual(tasksOf(locks.release('D', sem, at(6), 'shared')), ['E:acquired']);
	});

	it('wakes every reader queued at the head together, up to the first writer', () => {
		const { locks } = table();
		const sem = locks.createLock({ kind: 'rwsem', name: 'i_mmap_rwsem' });
		locks.tryAcquire('A', sem, 'exclusive', at(1));
		locks.tryAcquire('B', sem, 'shared', at(2));
		locks.tryAcquire('C', sem, 'shared', at(2));
		locks.tryAcquire('D', sem, 'exclusive', at(3));
		locks.tryAcquire('E', sem, 'shared', at(2));
		assert.deepEqual(tasksOf(locks.release('A', sem, at(4))), ['B:acquired', 'C:acquired']);
		assert.deepEqual(locks.lock(sem).readers.map(r => r.task), ['B', 'C']);
		assert.deepEqual(locks.lock(sem).waiters.map(w => w.task), ['D', 'E']);
	});

	it('downgrades a write lock and lets queued readers in', () => {
		const { locks, reports } = table();
		const sem = locks.createLock({ kind: 'rwsem', name: 'sem' });
		locks.tryAcquire('A', sem, 'exclusive', at(1));
		locks.tryAcquire('B', sem, 'shared', at(2));
		locks.tryAcquire('C', sem, 'exclusive', at(3));
		assert.deepEqual(tasksOf(locks.downgradeWrite('A', sem, at(4))), ['B:acquired']);
		assert.deepEqual(locks.lock(sem).readers.map(r => r.task), ['A', 'B']);
		assert.equal(locks.lock(sem).state, 'read-locked');
		assert.equal(reports.length, 0);
		locks.release('A', sem, at(5), 'shared');
		assert.deepEqual(tasksOf(locks.release('B', sem, at(5), 'shared')), ['C:acquired']);
		assert.equal(locks.tryAcquire('D', sem, 'exclusive', at(6), { trylock: true }).status, 'busy');
	});
});

describe('locks: spinning locks', () => {
	it('keeps a spinner runnable, counts its retries and lets it in after the release', () => {
		let now = 0;
		const locks = new LockTable({ clock: () => now });
		const ptl = locks.createLock({ kind: 'spinlock', name: 'ptl(pfn 0x42)', className: 'ptlock_ptr(page)' });
		assert.equal(locks.tryAcquire('A', ptl, 'exclusive', at(1)).status, 'acquired');
		assert.equal(locks.tryAcquire('B', ptl, 'exclusive', at(2), { trylock: true }).status, 'busy');
		now = 1;
		assert.equal(locks.tryAcquire('B', ptl, 'exclusive', at(2)).status, 'spin');
		now = 2;
		assert.equal(locks.tryAcquire('B', ptl, 'exclusive', at(2)).status, 'spin');
		now = 3;
		assert.equal(locks.tryAcquire('B', ptl, 'exclusive', at(2)).status, 'spin');
		assert.equal(locks.lock(ptl).spinners[0].retries, 2);
		assert.deepEqual(locks.release('A', ptl, at(3)), []);
		now = 4;
		assert.equal(locks.tryAcquire('B', ptl, 'exclusive', at(2)).status, 'acquired');
		assert.equal(locks.lock(ptl).owner, 'B');
		assert.equal(locks.lock(ptl).stats.spinRetries, 2);
		assert.equal(locks.lock(ptl).stats.waitTime, 3);
		assert.throws(() => locks.tryAcquire('C', ptl, 'shared', at(5)), LockInvariantError);
	});

	it('lets rwlock readers recurse and pass a spinning writer (2.6 rwlock_t)', () => {
		const { locks } = table();
		const rw = locks.createLock({ kind: 'rwlock', name: 'tasklist_lock' });
		assert.equal(locks.tryAcquire('A', rw, 'shared', at(1)).status, 'acquired');
		assert.equal(locks.tryAcquire('B', rw, 'exclusive', at(2)).status, 'spin');
		assert.equal(locks.tryAcquire('A', rw, 'shared', at(3)).status, 'acquired');
		assert.equal(locks.tryAcquire('C', rw, 'shared', at(4)).status, 'acquired');
		assert.equal(locks.lock(rw).readers.find(r => r.task === 'A')?.count, 2);
		locks.release('A', rw, at(5), 'shared');
		locks.release('C', rw, at(5), 'shared');
		assert.equal(locks.tryAcquire('B', rw, 'exclusive', at(2)).status, 'spin');
		locks.release('A', rw, at(5), 'shared');
		assert.equal(locks.tryAcquire('B', rw, 'exclusive', at(2)).status, 'acquired');
		assert.equal(locks.tryAcquire('C', rw, 'shared', at(6)).status, 'spin');
	});
});

describe('locks: ww_mutex', () => {
	it('wait-die: the older transaction waits, the younger gets -EDEADLK, and -EALREADY for its own lock', () => {
		const { locks } = table();
		locks.defineWwClass('reservation_ww_class', 'wait-die');
		const bo1 = locks.createLock({ kind: 'ww_mutex', name: 'bo1->resv', wwClass: 'reservation_ww_class' });
		const bo2 = locks.createLock({ kind: 'ww_mutex', name: 'bo2->resv', wwClass: 'reservation_ww_class' });
		const older = locks.wwAcquireInit('A', 'reservation_ww_class', at(1));
		const younger = locks.wwAcquireInit('B', 'reservation_ww_class', at(1));
		assert.ok(locks.context(older).stamp < locks.context(younger).stamp);
		assert.equal(locks.tryAcquire('A', bo1, 'exclusive', at(2), { ctx: older }).status, 'acquired');
		assert.equal(locks.tryAcquire('A', bo1, 'exclusive', at(2), { ctx: older }).status, 'already');
		assert.equal(locks.tryAcquire('B', bo2, 'exclusive', at(2), { ctx: younger }).status, 'acquired');
		// The older one waits for the younger holder.
		assert.equal(locks.tryAcquire('A', bo2, 'exclusive', at(3), { ctx: older }).status, 'blocked');
		// The younger one, holding a lock, dies instead of waiting for the older holder.
		assert.equal(locks.tryAcquire('B', bo1, 'exclusive', at(3), { ctx: younger }).status, 'deadlk');
		// It backs off: the older one gets bo2.
		assert.deepEqual(tasksOf(locks.release('B', bo2, at(4))), ['A:acquired']);
		assert.equal(locks.tryAcquire('A', bo2, 'exclusive', at(3), { ctx: older }).status, 'acquired');
		assert.equal(locks.context(older).acquired, 2);
		// Holding nothing, the younger one may wait (ww_mutex_lock_slow) and never dies.
		assert.equal(locks.tryAcquire('B', bo1, 'exclusive', at(5), { ctx: younger }).status, 'blocked');
		locks.release('A', bo2, at(6));
		assert.deepEqual(tasksOf(locks.release('A', bo1, at(6))), ['B:acquired']);
		locks.wwAcquireFini('A', older, at(7));
		assert.equal(locks.context(younger).acquired, 1);
	});

	it('wait-die: a younger waiter queued behind a newly queued older one dies', () => {
		const { locks } = table();
		locks.defineWwClass('wd', 'wait-die');
		const x = locks.createLock({ kind: 'ww_mutex', name: 'x', wwClass: 'wd' });
		const y = locks.createLock({ kind: 'ww_mutex', name: 'y', wwClass: 'wd' });
		const z = locks.createLock({ kind: 'ww_mutex', name: 'z', wwClass: 'wd' });
		locks.tryAcquire('C', x, 'exclusive', at(1));
		const older = locks.wwAcquireInit('A', 'wd', at(1));
		const younger = locks.wwAcquireInit('B', 'wd', at(1));
		locks.tryAcquire('A', y, 'exclusive', at(2), { ctx: older });
		locks.tryAcquire('B', z, 'exclusive', at(2), { ctx: younger });
		assert.equal(locks.tryAcquire('B', x, 'exclusive', at(3), { ctx: younger }).status, 'blocked');
		const queued = locks.tryAcquire('A', x, 'exclusive', at(3), { ctx: older });
		assert.equal(queued.status, 'blocked');
		assert.deepEqual(tasksOf(queued.wakeups), ['B:deadlk']);
		assert.equal(locks.tryAcquire('B', x, 'exclusive', at(3), { ctx: younger }).status, 'deadlk');
		assert.deepEqual(locks.lock(x).waiters.map(w => w.task), ['A']);
	});

	it('wound-wait: the older transaction wounds the younger holder, which backs off when it would wait', () => {
		const { locks } = table();
		locks.defineWwClass('reservation_ww_class', 'wound-wait');
		const bo1 = locks.createLock({ kind: 'ww_mutex', name: 'bo1->resv', wwClass: 'reservation_ww_class' });
		const bo2 = locks.createLock({ kind: 'ww_mutex', name: 'bo2->resv', wwClass: 'reservation_ww_class' });
		const bo3 = locks.createLock({ kind: 'ww_mutex', name: 'bo3->resv', wwClass: 'reservation_ww_class' });
		const older = locks.wwAcquireInit('A', 'reservation_ww_class', at(1));
		const younger = locks.wwAcquireInit('B', 'reservation_ww_class', at(1));
		locks.tryAcquire('B', bo2, 'exclusive', at(2), { ctx: younger });
		locks.tryAcquire('A', bo1, 'exclusive', at(2), { ctx: older });
		// The older one waits for bo2 and wounds its younger holder.
		assert.equal(locks.tryAcquire('A', bo2, 'exclusive', at(3), { ctx: older }).status, 'blocked');
		assert.equal(locks.context(younger).wounded, true);
		// A wounded transaction still takes free locks...
		assert.equal(locks.tryAcquire('B', bo3, 'exclusive', at(4), { ctx: younger }).status, 'acquired');
		// ...but gets -EDEADLK as soon as it would have to wait.
		assert.equal(locks.tryAcquire('B', bo1, 'exclusive', at(5), { ctx: younger }).status, 'deadlk');
		locks.release('B', bo3, at(6));
		assert.deepEqual(tasksOf(locks.release('B', bo2, at(6))), ['A:acquired']);
		// After backing off (nothing held) it is no longer wounded and may wait.
		assert.equal(locks.tryAcquire('B', bo1, 'exclusive', at(7), { ctx: younger }).status, 'blocked');
		assert.equal(locks.context(younger).wounded, false);
	});

	it('wound-wait: an older transaction wakes a wounded younger one that sleeps holding locks', () => {
		const { locks } = table();
		const x = locks.createLock({ kind: 'ww_mutex', name: 'x', wwClass: 'ww' });
		const y = locks.createLock({ kind: 'ww_mutex', name: 'y', wwClass: 'ww' });
		locks.tryAcquire('C', x, 'exclusive', at(1));
		const older = locks.wwAcquireInit('A', 'ww', at(1));
		const younger = locks.wwAcquireInit('B', 'ww', at(1));
		locks.tryAcquire('B', y, 'exclusive', at(2), { ctx: younger });
		assert.equal(locks.tryAcquire('B', x, 'exclusive', at(3), { ctx: younger }).status, 'blocked');
		const waited = locks.tryAcquire('A', y, 'exclusive', at(3), { ctx: older });
		assert.equal(waited.status, 'blocked');
		assert.deepEqual(tasksOf(waited.wakeups), ['B:deadlk']);
		assert.equal(locks.tryAcquire('B', x, 'exclusive', at(3), { ctx: younger }).status, 'deadlk');
		assert.deepEqual(tasksOf(locks.release('B', y, at(4))), ['A:acquired']);
	});

	it('reports acquire-context misuse without throwing', () => {
		const { locks, reports } = table();
		const x = locks.createLock({ kind: 'ww_mutex', name: 'x', wwClass: 'ww' });
		const ctx = locks.wwAcquireInit('A', 'ww', at(1));
		locks.tryAcquire('A', x, 'exclusive', at(2), { ctx });
		locks.wwAcquireDone('A', ctx, at(3));
		const y = locks.createLock({ kind: 'ww_mutex', name: 'y', wwClass: 'other' });
		locks.tryAcquire('A', y, 'exclusive', at(4), { ctx });
		locks.wwAcquireFini('A', ctx, at(5));
		assert.deepEqual(reports.map(r => [r.problem, r.warning]), [
			['ww-context', 'DEBUG_LOCKS_WARN_ON(ww_ctx->done_acquire)'],
			['ww-context', 'DEBUG_LOCKS_WARN_ON(ww_ctx->ww_class != ww->ww_class)'],
			['ww-context', 'DEBUG_LOCKS_WARN_ON(ctx->acquired)'],
		]);
		assert.equal(reports[2].lock.name, `ww_acquire_ctx#${ctx}`);
		assert.equal(reports[2].holders[0].task.name, 'taskA');
	});
});

describe('locks: completions and wait queues', () => {
	it('hands completions to waiters in order and counts the ones nobody waited for', () => {
		const { locks } = table();
		const done = locks.createLock({ kind: 'completion', name: 'fence->done' });
		assert.equal(locks.waitForCompletion('A', done, at(1)).status, 'blocked');
		assert.equal(locks.waitForCompletion('B', done, at(1)).status, 'blocked');
		assert.deepEqual(tasksOf(locks.complete('C', done, at(2))), ['A:acquired']);
		assert.equal(locks.waitForCompletion('A', done, at(1)).status, 'acquired');
		assert.deepEqual(tasksOf(locks.complete('C', done, at(2))), ['B:acquired']);
		locks.complete('C', done, at(2));
		locks.complete('C', done, at(2));
		assert.equal(locks.lock(done).state, 'done');
		assert.equal(locks.waitForCompletion('D', done, at(3)).status, 'acquired');
		assert.equal(locks.waitForCompletion('D', done, at(3), { trylock: true }).status, 'acquired');
		assert.equal(locks.waitForCompletion('D', done, at(3), { trylock: true }).status, 'busy');
		assert.equal(locks.completionDone(done), false);
	});

	it('complete_all releases every waiter and every later wait until reinit', () => {
		const { locks } = table();
		const done = locks.createLock({ kind: 'completion', name: 'c' });
		locks.waitForCompletion('A', done, at(1));
		locks.waitForCompletion('B', done, at(1));
		assert.deepEqual(tasksOf(locks.complete('C', done, at(2), true)), ['A:acquired', 'B:acquired']);
		assert.equal(locks.waitForCompletion('D', done, at(3)).status, 'acquired');
		assert.equal(locks.waitForCompletion('E', done, at(3)).status, 'acquired');
		locks.reinitCompletion(done);
		assert.equal(locks.waitForCompletion('E', done, at(3)).status, 'blocked');
	});

	it('does not lose a wake-up that comes between prepare_to_wait and schedule', () => {
		const { locks } = table();
		const wq = locks.createLock({ kind: 'waitqueue', name: 'dev->wq' });
		locks.prepareToWait('A', wq, at(1));
		assert.deepEqual(tasksOf(locks.wakeUp('B', wq, at(2))), []);
		assert.equal(locks.lock(wq).state, 'idle');
		assert.equal(locks.schedule('A', at(3)).status, 'acquired');
		locks.finishWait('A', wq);
		// Without a wake-up, schedule sleeps until one comes.
		locks.prepareToWait('A', wq, at(1));
		assert.equal(locks.schedule('A', at(3)).status, 'blocked');
		assert.deepEqual(tasksOf(locks.wakeUp('B', wq, at(2))), ['A:acquired']);
		assert.equal(locks.schedule('A', at(3)).status, 'acquired');
		locks.finishWait('A', wq);
		// schedule() without prepare_to_wait does not sleep.
		assert.equal(locks.schedule('A', at(4)).status, 'acquired');
	});

	it('wakes all non-exclusive waiters and nrExclusive exclusive ones', () => {
		const { locks } = table();
		const wq = locks.createLock({ kind: 'waitqueue', name: 'wq' });
		locks.prepareToWait('A', wq, at(1), { exclusive: true });
		locks.prepareToWait('B', wq, at(1), { exclusive: true });
		locks.prepareToWait('C', wq, at(1));
		locks.prepareToWait('D', wq, at(1), { exclusive: true });
		for (const task of ['A', 'B', 'C', 'D']) {
			assert.equal(locks.schedule(task, at(2)).status, 'blocked');
		}
		// Non-exclusive entries sit at the head; one exclusive waiter is woken.
		assert.deepEqual(tasksOf(locks.wakeUp('E', wq, at(3))), ['C:acquired', 'A:acquired']);
		assert.deepEqual(tasksOf(locks.wakeUp('E', wq, at(3), { nrExclusive: 0 })), ['B:acquired', 'D:acquired']);
		assert.equal(locks.lock(wq).state, 'idle');
	});

	it('ends interruptible waits on a signal and killable ones only on a fatal signal', () => {
		const { locks } = table();
		const wq = locks.createLock({ kind: 'waitqueue', name: 'wq' });
		const m = locks.createLock({ kind: 'mutex', name: 'm' });
		locks.prepareToWait('A', wq, at(1), { wait: 'interruptible' });
		locks.schedule('A', at(2));
		assert.deepEqual(tasksOf(locks.interrupt('A', false)), ['A:interrupted']);
		assert.equal(locks.schedule('A', at(2)).status, 'interrupted');
		locks.finishWait('A', wq);
		locks.tryAcquire('B', m, 'exclusive', at(3));
		locks.tryAcquire('C', m, 'exclusive', at(4), { wait: 'killable' });
		locks.tryAcquire('D', m, 'exclusive', at(4));
		assert.deepEqual(locks.interrupt('C', false), []);
		assert.deepEqual(locks.interrupt('D', true), []);
		assert.deepEqual(tasksOf(locks.interrupt('C', true)), ['C:interrupted']);
		assert.equal(locks.tryAcquire('C', m, 'exclusive', at(4)).status, 'interrupted');
		assert.deepEqual(tasksOf(locks.release('B', m, at(5))), ['D:acquired']);
	});

	it('lets readers through when the writer queued ahead of them is interrupted', () => {
		const { locks } = table();
		const sem = locks.createLock({ kind: 'rwsem', name: 'mmap_lock' });
		locks.tryAcquire('A', sem, 'shared', at(1));
		locks.tryAcquire('B', sem, 'exclusive', at(2), { wait: 'killable' });
		locks.tryAcquire('C', sem, 'shared', at(3));
		assert.deepEqual(tasksOf(locks.interrupt('B', true)), ['B:interrupted', 'C:acquired']);
		assert.deepEqual(locks.lock(sem).readers.map(r => r.task), ['A', 'C']);
	});
});

describe('locks: misuse', () => {
	it('reports releasing a lock nobody holds, a double unlock and another task\'s mutex, and changes nothing', () => {
		const { locks, reports } = table();
		const m = locks.createLock({ kind: 'mutex', name: 'bo->mutex', className: '&bo->mutex' });
		locks.release('A', m, at(10, 'drm_bo_unlock'));
		locks.tryAcquire('A', m, 'exclusive', at(11, 'drm_bo_lock'));
		locks.release('B', m, at(12, 'evict'));
		assert.equal(locks.lock(m).owner, 'A');
		locks.release('A', m, at(13, 'drm_bo_unlock'));
		locks.release('A', m, at(14, 'drm_bo_unlock'));
		assert.deepEqual(reports.map(r => r.problem), ['not-locked', 'not-owner', 'double-unlock']);
		const notOwner = reports[1];
		assert.equal(notOwner.task.name, 'taskB');
		assert.equal(notOwner.lock.name, 'bo->mutex');
		assert.deepEqual(notOwner.site, at(12, 'evict'));
		assert.deepEqual(notOwner.holders.map(h => [h.task.name, h.site.line]), [['taskA', 11]]);
		assert.match(notOwner.text, /taskB\/B is trying to release lock:\n bo->mutex \(&bo->mutex\), at: drv\.c:12:2 evict\(\)/);
		assert.match(notOwner.text, /DEBUG_LOCKS_WARN_ON\(lock->owner != current\)/);
		const double = reports[2];
		assert.equal(double.title, 'bad unlock balance detected!');
		assert.deepEqual(double.lastRelease?.site, at(13, 'drm_bo_unlock'));
		assert.match(double.text, /no more locks to release/);
	});

	it('reports rwsem releases in the wrong mode and freeing a held lock', () => {
		const { locks, reports } = table();
		const sem = locks.createLock({ kind: 'rwsem', name: 'sem' });
		locks.tryAcquire('A', sem, 'shared', at(1));
		locks.release('A', sem, at(2), 'exclusive');
		locks.release('B', sem, at(3), 'shared');
		locks.destroyLock('C', sem, at(4));
		locks.release('A', sem, at(5), 'shared');
		locks.tryAcquire('A', sem, 'exclusive', at(6));
		locks.release('A', sem, at(7), 'shared');
		locks.downgradeWrite('B', sem, at(8));
		assert.deepEqual(reports.map(r => [r.task.id, r.problem]), [
			['A', 'wrong-mode'], ['B', 'not-owner'], ['C', 'destroy-held'], ['A', 'wrong-mode'], ['B', 'not-owner'],
		]);
		assert.equal(reports[2].title, 'held lock freed!');
		assert.equal(locks.lock(sem).owner, 'A');
		locks.release('A', sem, at(9));
		locks.destroyLock('C', sem, at(10));
		assert.throws(() => locks.lock(sem), LockInvariantError);
	});

	it('throws only when its caller breaks the API contract', () => {
		const { locks } = table();
		const m = locks.createLock({ kind: 'mutex', name: 'm' });
		const n = locks.createLock({ kind: 'mutex', name: 'n' });
		const c = locks.createLock({ kind: 'completion', name: 'c' });
		locks.tryAcquire('A', m, 'exclusive', at(1));
		locks.tryAcquire('B', m, 'exclusive', at(1));
		assert.throws(() => locks.tryAcquire('B', n, 'exclusive', at(2)), LockInvariantError);
		assert.throws(() => locks.tryAcquire('C', 999, 'exclusive', at(2)), LockInvariantError);
		assert.throws(() => locks.tryAcquire('C', c, 'exclusive', at(2)), LockInvariantError);
		assert.throws(() => locks.complete('C', m, at(2)), LockInvariantError);
	});

	it('keeps locks of an exiting task held and takes a departing waiter out of its queue', () => {
		const { locks } = table();
		const m = locks.createLock({ kind: 'mutex', name: 'm' });
		const sem = locks.createLock({ kind: 'rwsem', name: 'sem' });
		locks.tryAcquire('A', m, 'exclusive', at(1));
		locks.tryAcquire('B', sem, 'shared', at(1));
		locks.tryAcquire('C', sem, 'exclusive', at(2));
		locks.tryAcquire('D', sem, 'shared', at(3));
		const exit = locks.taskExit('C');
		assert.deepEqual(tasksOf(exit.wakeups), ['D:acquired']);
		const exitA = locks.taskExit('A');
		assert.deepEqual(exitA.held.map(l => l.name), ['m']);
		assert.equal(locks.lock(m).owner, 'A');
		assert.equal(locks.hasExited('A'), true);
	});
});

describe('locks: state machine', () => {
	it('declares a reason for every transition', () => {
		for (const [kind, table] of Object.entries(lockTransitions)) {
			for (const [from, targets] of Object.entries(table)) {
				for (const [to, reason] of Object.entries(targets ?? {})) {
					assert.ok(typeof reason === 'string' && reason.length > 5, `${kind}: ${from} -> ${to}`);
				}
			}
		}
	});

	it('restores a snapshot and replays identically', () => {
		const { locks } = table();
		const m = locks.createLock({ kind: 'mutex', name: 'm', address: 0x1000 });
		const sem = locks.createLock({ kind: 'rwsem', name: 'sem' });
		locks.tryAcquire('A', m, 'exclusive', at(1));
		locks.tryAcquire('B', m, 'exclusive', at(2));
		locks.tryAcquire('C', sem, 'shared', at(3));
		const saved = locks.snapshot();
		const run = (): string[] => [
			...tasksOf(locks.release('A', m, at(4))),
			locks.tryAcquire('B', m, 'exclusive', at(2)).status,
			locks.tryAcquire('D', sem, 'exclusive', at(5)).status,
			...tasksOf(locks.release('C', sem, at(6), 'shared')),
			String(locks.lockAt(0x1000)),
		];
		const first = run();
		const after = JSON.stringify(locks.snapshot());
		locks.restore(JSON.parse(JSON.stringify(saved)));
		assert.deepEqual(run(), first);
		assert.equal(JSON.stringify(locks.snapshot()), after);
	});

	it('keeps its invariants under any sequence of operations (property)', () => {
		type Step = { task: number; lock: number; op: number; mode: number };
		const step = fc.record({ task: fc.nat(3), lock: fc.nat(3), op: fc.nat(9), mode: fc.nat(1) });
		fc.assert(fc.property(fc.array(step, { maxLength: 80 }), (steps: Step[]) => {
			const locks = new LockTable({ onReport: () => undefined });
			const ids: LockId[] = [
				locks.createLock({ kind: 'mutex', name: 'm' }),
				locks.createLock({ kind: 'rwsem', name: 'sem' }),
				locks.createLock({ kind: 'spinlock', name: 'spin' }),
				locks.createLock({ kind: 'ww_mutex', name: 'ww', wwClass: 'ww' }),
			];
			const tasks = ['A', 'B', 'C', 'D'];
			// What each task is in the middle of: the call to repeat, and whether it may run.
			const pending = new Map<string, { lock: LockId; mode: LockMode; runnable: boolean }>();
			const wake = (wakeups: readonly Wakeup[]): void => {
				for (const w of wakeups) {
					const entry = pending.get(w.task);
					assert.ok(entry !== undefined && !entry.runnable && entry.lock === w.lock);
					entry.runnable = true;
				}
			};
			for (const s of steps) {
				const task = tasks[s.task];
				const current = pending.get(task);
				if (current !== undefined) {
					if (!current.runnable) {
						continue;
					}
					const again = locks.tryAcquire(task, current.lock, current.mode, at(1));
					wake(again.wakeups);
					if (again.status !== 'spin') {
						pending.delete(task);
					}
					continue;
				}
				const lock = ids[s.lock];
				const kind = locks.lock(lock).kind;
				const mode: LockMode = kind === 'rwsem' && s.mode === 1 ? 'shared' : 'exclusive';
				if (s.op < 5) {
					const outcome = locks.tryAcquire(task, lock, mode, at(2), { trylock: s.op === 4 });
					wake(outcome.wakeups);
					if (outcome.status === 'blocked') {
						pending.set(task, { lock, mode, runnable: false });
					} else if (outcome.status === 'spin') {
						pending.set(task, { lock, mode, runnable: true });
					}
				} else {
					// Releases, including ones the task has no right to make.
					wake(locks.release(task, lock, at(3), mode));
				}
				for (const id of ids) {
					const object = locks.lock(id);
					locks.sanityCheck(object);
					assert.ok(object.owner === null || object.readers.length === 0);
				}
			}
		}), { numRuns: 300 });
	});
});
