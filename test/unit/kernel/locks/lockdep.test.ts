// Unit tests for the lock-order validator (layer: kernel), driven through LockSystem as the CPU
// would: AB-BA across two tasks that never deadlocked, longer cycles, recursion and nesting
// annotations, trylocks, ww acquire contexts, atomic context, held-at-exit, priming, snapshots.

import assert from 'node:assert/strict';
import type { CircularDependencyReport, HeldLocksReport, NestingOrderReport, RecursiveLockingReport, SleepInAtomicReport } from '../../../../src/kernel/locks/lockdep';
import { LockSystem, pageTableLockSpec, type LockReport } from '../../../../src/kernel/locks/lockSystem';
import type { LockSite } from '../../../../src/kernel/locks/types';

function at(file: string, line: number, fn: string): LockSite {
	return { file, line, col: 2, fn };
}

function system(): { locks: LockSystem; reports: LockReport[] } {
	const reports: LockReport[] = [];
	const locks = new LockSystem({ onReport: r => reports.push(r) });
	locks.registerTask('1', 'A');
	locks.registerTask('2', 'B');
	locks.registerTask('3', 'C');
	return { locks, reports };
}

function kinds(reports: readonly LockReport[]): string[] {
	return reports.map(r => r.kind);
}

describe('lockdep: dependency cycles', () => {
	it('reports AB-BA across two tasks even though the runs never deadlocked', () => {
		const { locks, reports } = system();
		const a = locks.createLock({ kind: 'mutex', name: 'dev->struct_mutex', className: '&dev->struct_mutex' });
		const b = locks.createLock({ kind: 'mutex', name: 'bo1->mutex', className: '&bo->mutex' });
		// Task A: struct_mutex, then the bo mutex. Runs to completion.
		assert.equal(locks.tryAcquire('1', a, 'exclusive', at('drm_bo.c', 10, 'drm_bo_validate')).status, 'acquired');
		assert.equal(locks.tryAcquire('1', b, 'exclusive', at('drm_bo.c', 12, 'drm_bo_validate')).status, 'acquired');
		locks.release('1', b, at('drm_bo.c', 20, 'drm_bo_validate'));
		locks.release('1', a, at('drm_bo.c', 21, 'drm_bo_validate'));
		assert.deepEqual(reports, []);
		// Task B, later: the bo mutex, then struct_mutex. No deadlock happens, lockdep still reports.
		locks.tryAcquire('2', b, 'exclusive', at('drm_vm.c', 30, 'drm_bo_vm_nopage'));
		assert.equal(locks.tryAcquire('2', a, 'exclusive', at('drm_vm.c', 33, 'drm_bo_vm_nopage')).status, 'acquired');
		assert.deepEqual(kinds(reports), ['circular-dependency']);
		const report = reports[0] as CircularDependencyReport;
		assert.equal(report.title, 'possible circular locking dependency detected');
		assert.equal(report.task.name, 'B');
		assert.equal(report.acquiring.lock.name, 'dev->struct_mutex');
		assert.equal(report.acquiring.site.line, 33);
		assert.equal(report.holding.lock.name, 'bo1->mutex');
		assert.equal(report.holding.site.line, 30);
		// The existing chain: struct_mutex -> bo mutex, first seen in task A at these sites.
		assert.equal(report.chain.length, 1);
		assert.deepEqual([report.chain[0].from, report.chain[0].to], ['&dev->struct_mutex', '&bo->mutex']);
		assert.equal(report.chain[0].task.name, 'A');
		assert.deepEqual([report.chain[0].fromSite.line, report.chain[0].toSite.line], [10, 12]);
		assert.match(report.text, /WARNING: possible circular locking dependency detected/);
		assert.match(report.text, /B\/2 is trying to acquire lock:\n dev->struct_mutex \(&dev->struct_mutex\), at: drm_vm\.c:33:2 drm_bo_vm_nopage\(\)/);
		assert.match(report.text, /-> #1 \(&bo->mutex\):\n {7}bo1->mutex acquired by A\/1 at: drm_bo\.c:12:2 drm_bo_validate\(\)/);
		assert.match(report.text, / {2}lock\(&bo->mutex\);\n {31}lock\(&dev->struct_mutex\);\n {31}lock\(&bo->mutex\);\n {2}lock\(&dev->struct_mutex\);/);
		assert.match(report.text, /1 lock held by B\/2:\n #0: bo1->mutex \(&bo->mutex\), at: drm_vm\.c:30:2/);
		// The same cycle is reported once.
		locks.release('2', a, at('drm_vm.c', 40, 'x'));
		locks.release('2', b, at('drm_vm.c', 41, 'x'));
		locks.tryAcquire('3', b, 'exclusive', at('drm_vm.c', 30, 'drm_bo_vm_nopage'));
		locks.tryAcquire('3', a, 'exclusive', at('drm_vm.c', 33, 'drm_bo_vm_nopage'));
		assert.equal(reports.length, 1);
	});

	it('does not report a consistent order, and reports a three-lock cycle with its chain', () => {
		const { locks, reports } = system();
		const [x, y, z] = ['X', 'Y', 'Z'].map(name => locks.createLock({ kind: 'mutex', name }));
		const pair = (task: string, first: number, second: number, line: number): void => {
			locks.tryAcquire(task, first, 'exclusive', at('f.c', line, 'f'));
			locks.tryAcquire(task, second, 'exclusive', at('f.c', line + 1, 'f'));
			locks.release(task, second, at('f.c', line + 2, 'f'));
			locks.release(task, first, at('f.c', line + 3, 'f'));
		};
		pair('1', x, y, 10);
		pair('1', x, y, 10);
		pair('2', y, z, 20);
		assert.deepEqual(reports, []);
		pair('3', z, x, 30);
		assert.deepEqual(kinds(reports), ['circular-dependency']);
		const report = reports[0] as CircularDependencyReport;
		assert.deepEqual(report.chain.map(e => `${e.from}->${e.to}@${e.task.name}`), ['X->Y@A', 'Y->Z@B']);
		assert.match(report.text, /Chain exists of:\n {2}X --> Y --> Z/);
		assert.deepEqual(locks.lockdep.dependencies().map(e => `${e.from}->${e.to}`), ['X->Y', 'Y->Z', 'Z->X']);
	});

	it('adds no dependency into a trylocked lock, but does from it', () => {
		const { locks, reports } = system();
		const mmap = locks.createLock({ kind: 'rwsem', name: 'mm1->mmap_lock', className: '&mm->mmap_lock' });
		const resv = locks.createLock({ kind: 'mutex', name: 'bo1->resv', className: 'bo->resv' });
		const ptl = locks.createLock(pageTableLockSpec(0x42));
		// TTM's fault path (2.6.31): mmap_lock read, then only a trylock on the reservation.
		locks.tryAcquire('1', mmap, 'shared', at('memory.c', 1, 'handle_mm_fault'));
		assert.equal(locks.tryAcquire('1', resv, 'exclusive', at('ttm_bo_vm.c', 2, 'ttm_bo_vm_fault'), { trylock: true }).status, 'acquired');
		locks.tryAcquire('1', ptl, 'exclusive', at('memory.c', 3, 'vm_insert_mixed'));
		locks.release('1', ptl, at('memory.c', 4, 'vm_insert_mixed'));
		locks.release('1', resv, at('ttm_bo_vm.c', 5, 'ttm_bo_vm_fault'));
		locks.release('1', mmap, at('memory.c', 6, 'handle_mm_fault'), 'shared');
		// Eviction takes the reservation, then mmap_lock: no cycle, since the fault only trylocked.
		locks.tryAcquire('2', resv, 'exclusive', at('ttm_bo.c', 7, 'ttm_bo_evict'));
		locks.tryAcquire('2', mmap, 'exclusive', at('ttm_bo.c', 8, 'ttm_bo_evict'));
		assert.deepEqual(reports, []);
		// The trylocked lock was the top held lock, so both it and mmap_lock lead to the PTL.
		assert.deepEqual(locks.lockdep.dependencies().map(e => `${e.from}->${e.to}`), [
			'bo->resv->ptlock_ptr(page)', '&mm->mmap_lock->ptlock_ptr(page)', 'bo->resv->&mm->mmap_lock',
		]);
	});
});

describe('lockdep: recursion and nesting', () => {
	it('reports taking a second lock of a held class unless a nesting annotation says otherwise', () => {
		const { locks, reports } = system();
		const mm1 = locks.createLock({ kind: 'rwsem', name: 'mm1->mmap_lock', className: '&mm->mmap_lock' });
		const mm2 = locks.createLock({ kind: 'rwsem', name: 'mm2->mmap_lock', className: '&mm->mmap_lock' });
		locks.tryAcquire('1', mm1, 'exclusive', at('drm_ttm.c', 10, 'drm_ttm_lock_mmap_sem'));
		locks.tryAcquire('1', mm2, 'exclusive', at('drm_ttm.c', 11, 'drm_ttm_lock_mmap_sem'));
		assert.deepEqual(kinds(reports), ['recursive-locking']);
		const report = reports[0] as RecursiveLockingReport;
		assert.equal(report.task.name, 'A');
		assert.equal(report.previous.lock.name, 'mm1->mmap_lock');
		assert.equal(report.acquiring.lock.name, 'mm2->mmap_lock');
		assert.match(report.text, /possible recursive locking detected[\s\S]*May be due to missing lock nesting notation/);
		locks.release('1', mm2, at('drm_ttm.c', 12, 'x'));
		// down_write_nested(mm2, SINGLE_DEPTH_NESTING) is a distinct class for lockdep.
		locks.tryAcquire('1', mm2, 'exclusive', at('drm_ttm.c', 13, 'drm_ttm_lock_mmap_sem'), { subclass: 1 });
		assert.equal(reports.length, 1);
		assert.deepEqual(locks.lockdep.held('1').map(h => h.classKey), ['&mm->mmap_lock', '&mm->mmap_lock/1']);
	});

	it('still flags two instances nested in inconsistent orders despite the annotation', () => {
		const { locks, reports } = system();
		const mm1 = locks.createLock({ kind: 'rwsem', name: 'mm1->mmap_lock', className: '&mm->mmap_lock' });
		const mm2 = locks.createLock({ kind: 'rwsem', name: 'mm2->mmap_lock', className: '&mm->mmap_lock' });
		locks.tryAcquire('1', mm1, 'exclusive', at('drm_ttm.c', 10, 'lock_all'));
		locks.tryAcquire('1', mm2, 'exclusive', at('drm_ttm.c', 11, 'lock_all'), { subclass: 1 });
		locks.release('1', mm2, at('drm_ttm.c', 12, 'unlock_all'));
		locks.release('1', mm1, at('drm_ttm.c', 13, 'unlock_all'));
		locks.tryAcquire('2', mm2, 'exclusive', at('drm_ttm.c', 10, 'lock_all'));
		locks.tryAcquire('2', mm1, 'exclusive', at('drm_ttm.c', 11, 'lock_all'), { subclass: 1 });
		assert.deepEqual(kinds(reports), ['nesting-order']);
		const report = reports[0] as NestingOrderReport;
		assert.equal(report.task.name, 'B');
		assert.equal(report.acquiring.lock.name, 'mm1->mmap_lock');
		assert.equal(report.holding.lock.name, 'mm2->mmap_lock');
		assert.deepEqual(report.chain.map(e => `${e.fromLock.name}->${e.toLock.name}@${e.task.name}`), ['mm1->mmap_lock->mm2->mmap_lock@A']);
		assert.match(report.text, /nesting annotation hides this from Linux lockdep/);
	});

	it('allows several instances under a nest lock (ww acquire context)', () => {
		const { locks, reports } = system();
		const bos = [1, 2, 3].map(n => locks.createLock({ kind: 'ww_mutex', name: `bo${n}->resv`, className: 'reservation_ww_class_mutex', wwClass: 'reservation_ww_class' }));
		const ctx = locks.wwAcquireInit('1', 'reservation_ww_class', at('ttm_execbuf.c', 1, 'ttm_eu_reserve_buffers'));
		for (const bo of bos) {
			assert.equal(locks.tryAcquire('1', bo, 'exclusive', at('ttm_execbuf.c', 2, 'ttm_eu_reserve_buffers'), { ctx }).status, 'acquired');
		}
		assert.deepEqual(reports, []);
		assert.deepEqual(locks.lockdep.dependencies().map(e => `${e.from}->${e.to}`), ['reservation_ww_class_acquire->reservation_ww_class_mutex']);
		for (const bo of bos) {
			locks.release('1', bo, at('ttm_execbuf.c', 3, 'ttm_eu_backoff'));
		}
		locks.wwAcquireFini('1', ctx, at('ttm_execbuf.c', 4, 'ttm_eu_backoff'));
		assert.deepEqual(locks.lockdep.held('1'), []);
		// Without a context, two reservations are recursive locking.
		locks.tryAcquire('2', bos[0], 'exclusive', at('x.c', 5, 'x'));
		locks.tryAcquire('2', bos[1], 'exclusive', at('x.c', 6, 'x'));
		assert.deepEqual(kinds(reports), ['recursive-locking']);
	});

	it('treats an rwsem read as non-recursive but lets rwlock reads recurse', () => {
		const { locks, reports } = system();
		const sem = locks.createLock({ kind: 'rwsem', name: 'sem' });
		const rw = locks.createLock({ kind: 'rwlock', name: 'rw' });
		locks.tryAcquire('1', rw, 'shared', at('a.c', 1, 'f'));
		locks.tryAcquire('1', rw, 'shared', at('a.c', 2, 'f'));
		assert.deepEqual(reports, []);
		locks.tryAcquire('2', sem, 'shared', at('a.c', 3, 'g'));
		locks.tryAcquire('2', sem, 'shared', at('a.c', 4, 'g'));
		assert.deepEqual(kinds(reports), ['recursive-locking']);
		// Recursive reads record no dependency.
		assert.deepEqual(locks.lockdep.dependencies(), []);
	});
});

describe('lockdep: context and lifetime checks', () => {
	it('reports a sleeping lock taken under a spinlock, once per site', () => {
		const { locks, reports } = system();
		const ptl = locks.createLock(pageTableLockSpec(0x1234));
		const m = locks.createLock({ kind: 'mutex', name: 'dev->struct_mutex' });
		locks.tryAcquire('1', ptl, 'exclusive', at('memory.c', 100, 'do_no_page'));
		assert.equal(locks.preemptCount('1'), 1);
		locks.tryAcquire('1', m, 'exclusive', at('drm_vm.c', 200, 'drm_do_vm_nopage'));
		assert.deepEqual(kinds(reports), ['sleep-in-atomic']);
		const report = reports[0] as SleepInAtomicReport;
		assert.equal(report.severity, 'bug');
		assert.equal(report.what, 'mutex_lock');
		assert.equal(report.lock?.name, 'dev->struct_mutex');
		assert.deepEqual(report.atomic.map(u => u.lock.name), ['ptl(pfn 0x1234)']);
		assert.match(report.text, /^BUG: sleeping function called from invalid context at drm_vm\.c:200:2 drm_do_vm_nopage\(\)\nin_atomic\(\): 1, irqs_disabled\(\): 0, non_block: 0, pid: 1, name: A\npreempt_count: 1, expected: 0/);
		locks.release('1', m, at('drm_vm.c', 201, 'x'));
		locks.tryAcquire('1', m, 'exclusive', at('drm_vm.c', 200, 'drm_do_vm_nopage'));
		assert.equal(reports.length, 1);
		locks.release('1', m, at('drm_vm.c', 201, 'x'));
		// Trylocks do not sleep; explicit preempt_disable counts too.
		locks.tryAcquire('1', m, 'exclusive', at('drm_vm.c', 210, 'x'), { trylock: true });
		locks.release('1', m, at('drm_vm.c', 211, 'x'));
		locks.release('1', ptl, at('memory.c', 101, 'do_no_page'));
		locks.preemptDisable('2');
		locks.mightSleep('2', at('slab.c', 5, 'kmalloc'), 'kmalloc(GFP_KERNEL)');
		locks.preemptEnable('2');
		locks.mightSleep('2', at('slab.c', 6, 'kmalloc'), 'kmalloc(GFP_KERNEL)');
		assert.deepEqual(kinds(reports), ['sleep-in-atomic', 'sleep-in-atomic']);
		assert.equal((reports[1] as SleepInAtomicReport).task.name, 'B');
	});

	it('reports locks held at exit and on return to user space', () => {
		const { locks, reports } = system();
		const m = locks.createLock({ kind: 'mutex', name: 'bo->mutex' });
		const sem = locks.createLock({ kind: 'rwsem', name: 'mm1->mmap_lock' });
		locks.tryAcquire('1', sem, 'shared', at('fault.c', 1, 'do_page_fault'));
		locks.returnToUser('1', at('entry.c', 2, 'ret_from_exception'));
		locks.release('1', sem, at('fault.c', 3, 'do_page_fault'), 'shared');
		locks.returnToUser('1', at('entry.c', 2, 'ret_from_exception'));
		locks.tryAcquire('1', m, 'exclusive', at('drm.c', 4, 'ioctl'));
		locks.taskExit('1', at('exit.c', 5, 'do_exit'));
		assert.deepEqual(kinds(reports), ['held-on-return-to-user', 'held-at-exit']);
		const exit = reports[1] as HeldLocksReport;
		assert.equal(exit.title, 'task exited with locks held');
		assert.deepEqual(exit.held.map(u => [u.lock.name, u.site.line]), [['bo->mutex', 4]]);
		assert.match(exit.text, /WARNING: A\/1 still has locks held!/);
		// The lock stays held: a waiter hangs on it.
		assert.equal(locks.tryAcquire('2', m, 'exclusive', at('drm.c', 6, 'ioctl')).status, 'blocked');
		assert.deepEqual(locks.stall().map(s => [s.task.name, s.cause]), [['B', 'exited-holder']]);
	});

	it('reports the reverse of a primed order in a single run', () => {
		const { locks, reports } = system();
		locks.prime({ id: '0', name: 'swapper' }, ['&mm->mmap_lock', 'reservation_ww_class_mutex'], at('dma-resv.c', 700, 'dma_resv_lockdep'));
		const resv = locks.createLock({ kind: 'ww_mutex', name: 'bo1->resv', className: 'reservation_ww_class_mutex', wwClass: 'reservation_ww_class' });
		const mmap = locks.createLock({ kind: 'rwsem', name: 'mm1->mmap_lock', className: '&mm->mmap_lock' });
		locks.tryAcquire('2', resv, 'exclusive', at('drm_ttm.c', 10, 'evict'));
		locks.tryAcquire('2', mmap, 'exclusive', at('drm_ttm.c', 11, 'evict'));
		assert.deepEqual(kinds(reports), ['circular-dependency']);
		const report = reports[0] as CircularDependencyReport;
		assert.equal(report.chain[0].primed, true);
		assert.match(report.text, /primed at boot by swapper\/0 at: dma-resv\.c:700:2 dma_resv_lockdep\(\)/);
	});

	it('restores its graph and held stacks from a snapshot', () => {
		const { locks, reports } = system();
		const a = locks.createLock({ kind: 'mutex', name: 'a' });
		const b = locks.createLock({ kind: 'mutex', name: 'b' });
		locks.tryAcquire('1', a, 'exclusive', at('s.c', 1, 'f'));
		locks.tryAcquire('1', b, 'exclusive', at('s.c', 2, 'f'));
		const saved = JSON.parse(JSON.stringify(locks.snapshot()));
		locks.release('1', b, at('s.c', 3, 'f'));
		locks.release('1', a, at('s.c', 4, 'f'));
		locks.tryAcquire('2', b, 'exclusive', at('s.c', 5, 'g'));
		locks.tryAcquire('2', a, 'exclusive', at('s.c', 6, 'g'));
		const firstText = reports.map(r => r.text);
		assert.equal(firstText.length, 1);
		const again = new LockSystem({ onReport: r => reports.push(r) });
		again.restore(saved);
		assert.deepEqual(again.lockdep.held('1').map(h => h.lock.name), ['a', 'b']);
		again.release('1', b, at('s.c', 3, 'f'));
		again.release('1', a, at('s.c', 4, 'f'));
		again.tryAcquire('2', b, 'exclusive', at('s.c', 5, 'g'));
		again.tryAcquire('2', a, 'exclusive', at('s.c', 6, 'g'));
		assert.deepEqual(reports.slice(1).map(r => r.text), firstText);
	});
});
