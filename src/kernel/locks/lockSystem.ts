// The lock layer as the CPU and scheduler use it (layer: kernel): one `LockSystem` per machine runs
// every lock primitive through the state machines of locks.ts, validates it with lockdep.ts, and
// looks for an actual deadlock (deadlock.ts) whenever a task starts to wait. Reports (misuse,
// lockdep splats, deadlocks) go to `onReport` or a queue the simulator drains.
//
// Typical use by a lock builtin:
//   const { status, wakeups } = locks.tryAcquire(tid, lockId, 'shared', site);   // down_read
//   status === 'blocked' -> return { kind: 'block', reason } and let the scheduler run others;
//   the builtin is called again once the task is woken, and then answers 'acquired'.
//   locks.release(tid, lockId, site, 'shared') -> wakeups: make those tasks runnable.

import { analyzeStall, findDeadlock, findDeadlocks, deadlockKey, type DeadlockReport, type StuckTask } from './deadlock';
import { Lockdep, type LockdepAcquire, type LockdepReport, type LockdepState } from './lockdep';
import {
	LockTable,
	type AcquireOptions, type LockMisuseReport, type LockResult, type LockSpec, type LockTableState, type WwAlgorithm, type Wakeup,
} from './locks';
import {
	isSleepingKind,
	type LockId, type LockKind, type LockMode, type LockRef, type LockSite, type TaskId, type TaskRef, type WaitKind,
} from './types';

/** Every report the lock layer produces. */
export type LockReport = LockMisuseReport | LockdepReport | DeadlockReport;

/** Options of an acquisition through the lock system. */
export interface LockCallOptions extends AcquireOptions {
	/** Lockdep nesting annotation (`mutex_lock_nested`, `down_write_nested`, `spin_lock_nested`). */
	readonly subclass?: number;
	/** Lockdep nest lock (`mutex_lock_nest_lock`, `down_write_nest_lock`); ww contexts imply theirs. */
	readonly nestLock?: LockId | null;
}

/** Options of a lock system. */
export interface LockSystemOptions {
	/** Simulated time. Default: always 0. */
	readonly clock?: () => number;
	/** Receives every report as it happens; without it reports queue up for `takeReports`. */
	readonly onReport?: (report: LockReport) => void;
	/** Run lockdep (default true). Misuse reports and deadlock detection do not depend on it. */
	readonly lockdep?: boolean;
	/** Look for deadlock cycles whenever a task starts to wait (default true). */
	readonly deadlockDetection?: boolean;
}

/** What the lock system remembers about an acquisition that is waiting or spinning. */
interface PendingAcquire {
	readonly lock: LockRef;
	readonly acquire: LockdepAcquire;
	readonly site: LockSite;
}

/** The whole lock layer as JSON-safe data. */
export interface LockSystemState {
	readonly table: LockTableState;
	readonly lockdep: LockdepState;
	readonly pending: readonly { readonly task: TaskId; readonly acquire: PendingAcquire }[];
	readonly reportedDeadlocks: readonly string[];
}

/** The lockdep class of Linux's split page-table lock (`ptlock_ptr(page)`). */
export const pageTableLockClass = 'ptlock_ptr(page)';

/** The spec of the page-table lock of the page-table page at `pfn`: a spinlock, one class for all. */
export function pageTableLockSpec(pfn: number, address?: number): LockSpec {
	return { kind: 'spinlock', name: `ptl(pfn 0x${pfn.toString(16)})`, className: pageTableLockClass, address };
}

/** The Linux name of the primitive that sleeps, for `might_sleep` reports. */
function sleepingCall(kind: LockKind, mode: LockMode): string {
	switch (kind) {
		case 'rwsem':
			return mode === 'shared' ? 'down_read' : 'down_write';
		case 'ww_mutex':
			return 'ww_mutex_lock';
		case 'completion':
			return 'wait_for_completion';
		case 'waitqueue':
			return 'schedule';
		default:
			return 'mutex_lock';
	}
}

/** The lock layer of one machine. Deterministic; snapshot-able with `snapshot`/`restore`. */
export class LockSystem {
	/** The lock objects (read them for views; change them only through this class). */
	readonly table: LockTable;
	/** The validator (read its held stacks and dependency graph for views). */
	readonly lockdep: Lockdep;
	private readonly clock: () => number;
	private readonly onReport: ((report: LockReport) => void) | undefined;
	private readonly lockdepEnabled: boolean;
	private readonly deadlockDetection: boolean;
	private readonly pending = new Map<TaskId, PendingAcquire>();
	private readonly reportedDeadlocks = new Set<string>();
	private readonly queued: LockReport[] = [];

	constructor(options: LockSystemOptions = {}) {
		this.clock = options.clock ?? (() => 0);
		this.onReport = options.onReport;
		this.lockdepEnabled = options.lockdep ?? true;
		this.deadlockDetection = options.deadlockDetection ?? true;
		this.table = new LockTable({ clock: this.clock, onReport: report => this.emit(report) });
		this.lockdep = new Lockdep({ clock: this.clock });
	}

	/** Reports not yet taken (only when no `onReport` was given), oldest first. */
	takeReports(): LockReport[] {
		return this.queued.splice(0, this.queued.length);
	}

	private emit(report: LockReport | null): void {
		if (report === null) {
			return;
		}
		if (this.onReport !== undefined) {
			this.onReport(report);
		} else {
			this.queued.push(report);
		}
	}

	// ---- Tasks and locks ----

	/** Names a task (again after `exec`); reports print `name/id`. */
	registerTask(id: TaskId, name: string): void {
		this.table.registerTask(id, name);
	}

	/** Creates a lock (`spin_lock_init`, `mutex_init`, `init_rwsem`, `ww_mutex_init`, `init_completion`, `init_waitqueue_head`). */
	createLock(spec: LockSpec): LockId {
		return this.table.createLock(spec);
	}

	/** Destroys a lock; a held or waited-on lock is reported and kept. */
	destroyLock(task: TaskId, lock: LockId, site: LockSite): void {
		this.table.destroyLock(task, lock, site);
	}

	/** Declares a ww class's algorithm (`DEFINE_WD_CLASS`: wait-die, `DEFINE_WW_CLASS`: wound-wait). */
	defineWwClass(name: string, algorithm: WwAlgorithm): void {
		this.table.defineWwClass(name, algorithm);
	}

	/** Teaches lockdep an order up front (see `Lockdep.prime`). */
	prime(task: TaskRef, classes: readonly string[], site: LockSite): void {
		this.lockdep.prime(task, classes, site);
	}

	// ---- Locks ----

	/**
	 * Takes a spinlock, rwlock, mutex, rwsem or ww_mutex. Fresh attempts are checked for sleeping
	 * in atomic context and validated by lockdep before they run; a task that starts to wait is
	 * checked for a deadlock cycle. Call again with the same arguments after `blocked` (once woken)
	 * or `spin`. Wake the tasks in `wakeups` (ww back-off victims).
	 */
	tryAcquire(task: TaskId, lock: LockId, mode: LockMode, site: LockSite, options: LockCallOptions = {}): LockResult {
		const continuing = this.table.pendingOf(task);
		if (continuing !== undefined) {
			const result = this.table.tryAcquire(task, lock, mode, site, options);
			const meta = this.pending.get(task);
			if (result.status === 'acquired' && continuing.op === 'spin' && meta !== undefined && this.lockdepEnabled) {
				this.lockdep.acquired(task, meta.lock, meta.acquire, meta.site);
			}
			if (result.status !== 'blocked' && result.status !== 'spin') {
				this.pending.delete(task);
			}
			this.processWakeups(result.wakeups);
			return result;
		}
		const lockRef = this.table.lockRef(lock);
		const taskRef = this.table.task(task);
		const acquire: LockdepAcquire = {
			mode,
			trylock: options.trylock === true,
			subclass: options.subclass ?? 0,
			nestLock: options.nestLock ?? options.ctx ?? null,
		};
		if (this.lockdepEnabled) {
			if (isSleepingKind(lockRef.kind) && options.trylock !== true) {
				this.emit(this.lockdep.mightSleep(taskRef, site, sleepingCall(lockRef.kind as LockKind, mode), lockRef));
			}
			for (const report of this.lockdep.validate(taskRef, lockRef, acquire, site)) {
				this.emit(report);
			}
		}
		const result = this.table.tryAcquire(task, lock, mode, site, options);
		if (result.status === 'acquired' && this.lockdepEnabled) {
			this.lockdep.acquired(task, lockRef, acquire, site);
		}
		if (result.status === 'blocked' || result.status === 'spin') {
			this.pending.set(task, { lock: lockRef, acquire, site });
			this.checkDeadlock(task);
		}
		this.processWakeups(result.wakeups);
		return result;
	}

	/**
	 * Releases a lock (mode `shared` for `read_unlock`/`up_read`). Returns the tasks to wake; for
	 * sleeping locks the lock was handed to them. Misuse is reported and changes nothing.
	 */
	release(task: TaskId, lock: LockId, site: LockSite, mode: LockMode = 'exclusive'): readonly Wakeup[] {
		const held = this.holds(task, lock, mode);
		const wakeups = this.table.release(task, lock, site, mode);
		if (held && this.lockdepEnabled) {
			this.lockdep.released(task, lock);
		}
		this.processWakeups(wakeups);
		return wakeups;
	}

	/** `downgrade_write`. */
	downgradeWrite(task: TaskId, lock: LockId, site: LockSite): readonly Wakeup[] {
		const held = this.holds(task, lock, 'exclusive');
		const wakeups = this.table.downgradeWrite(task, lock, site);
		if (held && this.lockdepEnabled) {
			this.lockdep.downgraded(task, lock);
		}
		this.processWakeups(wakeups);
		return wakeups;
	}

	/** True if `task` holds `lock` in `mode` (owner, or one of the readers). */
	holds(task: TaskId, lock: LockId, mode: LockMode = 'exclusive'): boolean {
		const object = this.table.lock(lock);
		return mode === 'exclusive' ? object.owner === task : object.readers.some(r => r.task === task);
	}

	// ---- ww acquire contexts ----

	/** `ww_acquire_init`: lockdep sees the context as a held pseudo-lock until `ww_acquire_fini`. */
	wwAcquireInit(task: TaskId, wwClass: string, site: LockSite): LockId {
		const ctx = this.table.wwAcquireInit(task, wwClass, site);
		if (this.lockdepEnabled) {
			const ref: LockRef = { id: ctx, name: `ww_acquire_ctx#${ctx}`, className: `${wwClass}_acquire`, kind: 'ww_acquire_ctx' };
			const acquire: LockdepAcquire = { mode: 'exclusive' };
			for (const report of this.lockdep.validate(this.table.task(task), ref, acquire, site)) {
				this.emit(report);
			}
			this.lockdep.acquired(task, ref, acquire, site);
		}
		return ctx;
	}

	/** `ww_acquire_done`. */
	wwAcquireDone(task: TaskId, ctx: LockId, site: LockSite): void {
		this.table.wwAcquireDone(task, ctx, site);
	}

	/** `ww_acquire_fini`. */
	wwAcquireFini(task: TaskId, ctx: LockId, site: LockSite): void {
		const owner = this.table.context(ctx).task;
		this.table.wwAcquireFini(task, ctx, site);
		// A context still holding locks is reported and kept; lockdep keeps it held too.
		const ended = !this.table.allContexts().some(c => c.id === ctx);
		if (ended && this.lockdepEnabled) {
			this.lockdep.released(owner, ctx);
		}
	}

	// ---- Completions and wait queues ----

	/** `wait_for_completion` (`trylock`: `try_wait_for_completion`); call again after `blocked` once woken. */
	waitForCompletion(task: TaskId, completion: LockId, site: LockSite, options: AcquireOptions = {}): LockResult {
		if (this.table.pendingOf(task) === undefined && options.trylock !== true && this.lockdepEnabled) {
			this.emit(this.lockdep.mightSleep(this.table.task(task), site, 'wait_for_completion', this.table.lockRef(completion)));
		}
		return this.table.waitForCompletion(task, completion, site, options);
	}

	/** `complete` / `complete_all`. */
	complete(task: TaskId, completion: LockId, site: LockSite, all = false): readonly Wakeup[] {
		const wakeups = this.table.complete(task, completion, site, all);
		this.processWakeups(wakeups);
		return wakeups;
	}

	/** `reinit_completion`. */
	reinitCompletion(completion: LockId): void {
		this.table.reinitCompletion(completion);
	}

	/** `completion_done`. */
	completionDone(completion: LockId): boolean {
		return this.table.completionDone(completion);
	}

	/** `prepare_to_wait` / `prepare_to_wait_exclusive`. */
	prepareToWait(task: TaskId, queue: LockId, site: LockSite, options: { readonly exclusive?: boolean; readonly wait?: WaitKind } = {}): void {
		this.table.prepareToWait(task, queue, site, options);
	}

	/** `schedule()` after `prepare_to_wait`; call again after `blocked` once woken. */
	schedule(task: TaskId, site: LockSite): LockResult {
		if (this.table.pendingOf(task) === undefined && this.lockdepEnabled) {
			this.emit(this.lockdep.mightSleep(this.table.task(task), site, 'schedule'));
		}
		return this.table.schedule(task, site);
	}

	/** `finish_wait`. */
	finishWait(task: TaskId, queue: LockId): void {
		this.table.finishWait(task, queue);
	}

	/** `wake_up` / `wake_up_nr` / `wake_up_all` (`nrExclusive` 0) / `wake_up_interruptible`. */
	wakeUp(task: TaskId, queue: LockId, site: LockSite, options: { readonly nrExclusive?: number; readonly interruptibleOnly?: boolean } = {}): readonly Wakeup[] {
		return this.table.wakeUp(task, queue, site, options);
	}

	/** `wake_up_process`. */
	wakeUpProcess(task: TaskId): readonly Wakeup[] {
		return this.table.wakeUpProcess(task);
	}

	// ---- Context, signals, exit ----

	/** `might_sleep()` for other sleeping calls (`kmalloc(GFP_KERNEL)`, `copy_from_user`). */
	mightSleep(task: TaskId, site: LockSite, what: string): void {
		if (this.lockdepEnabled) {
			this.emit(this.lockdep.mightSleep(this.table.task(task), site, what));
		}
	}

	/** `preempt_disable()` / `preempt_enable()`. */
	preemptDisable(task: TaskId): void {
		this.lockdep.adjustPreempt(task, 1);
	}

	preemptEnable(task: TaskId): void {
		this.lockdep.adjustPreempt(task, -1);
	}

	/** Nonzero when the task runs in atomic context (spinning locks held, preemption disabled). */
	preemptCount(task: TaskId): number {
		return this.lockdep.preemptCount(task);
	}

	/** A signal for `task`: ends interruptible (or, if `fatal`, killable) waits with `interrupted`. */
	interrupt(task: TaskId, fatal: boolean): readonly Wakeup[] {
		const wakeups = this.table.interrupt(task, fatal);
		this.processWakeups(wakeups);
		return wakeups;
	}

	/** The task returns to user space: reports locks it still holds. */
	returnToUser(task: TaskId, site: LockSite): void {
		if (this.lockdepEnabled) {
			this.emit(this.lockdep.checkNoneHeld(this.table.task(task), site, 'return-to-user'));
		}
	}

	/**
	 * The task exits: reports locks still held (`task exited with locks held`; they stay held and
	 * their waiters hang, as in Linux). Returns tasks that a departing waiter let through.
	 */
	taskExit(task: TaskId, site: LockSite): readonly Wakeup[] {
		const { wakeups } = this.table.taskExit(task);
		this.pending.delete(task);
		if (this.lockdepEnabled) {
			this.emit(this.lockdep.checkNoneHeld(this.table.task(task), site, 'exit'));
		}
		this.processWakeups(wakeups);
		return wakeups;
	}

	// ---- Deadlocks ----

	private checkDeadlock(task: TaskId): void {
		if (!this.deadlockDetection) {
			return;
		}
		const report = findDeadlock(this.table, task, this.clock());
		if (report === null) {
			return;
		}
		const key = deadlockKey(report);
		if (!this.reportedDeadlocks.has(key)) {
			this.reportedDeadlocks.add(key);
			this.emit(report);
		}
	}

	/** Every deadlock cycle present now (reported or not). */
	deadlocks(): DeadlockReport[] {
		return findDeadlocks(this.table, this.clock());
	}

	/** Why each blocked or spinning task is stuck (for "no task can run"). */
	stall(): StuckTask[] {
		return analyzeStall(this.table);
	}

	private processWakeups(wakeups: readonly Wakeup[]): void {
		for (const wakeup of wakeups) {
			const meta = this.pending.get(wakeup.task);
			if (meta === undefined || meta.lock.id !== wakeup.lock) {
				continue;
			}
			if (wakeup.outcome === 'acquired' && this.lockdepEnabled) {
				this.lockdep.acquired(wakeup.task, meta.lock, meta.acquire, meta.site);
			}
			this.pending.delete(wakeup.task);
		}
	}

	// ---- Snapshots ----

	/** The whole lock layer as JSON-safe data. */
	snapshot(): LockSystemState {
		return {
			table: this.table.snapshot(),
			lockdep: this.lockdep.snapshot(),
			pending: JSON.parse(JSON.stringify([...this.pending].map(([task, acquire]) => ({ task, acquire })))),
			reportedDeadlocks: [...this.reportedDeadlocks],
		};
	}

	/** Replaces the state with a snapshot; queued reports are dropped. */
	restore(state: LockSystemState): void {
		this.table.restore(state.table);
		this.lockdep.restore(state.lockdep);
		this.pending.clear();
		for (const entry of JSON.parse(JSON.stringify(state.pending)) as LockSystemState['pending']) {
			this.pending.set(entry.task, entry.acquire);
		}
		this.reportedDeadlocks.clear();
		for (const key of state.reportedDeadlocks) {
			this.reportedDeadlocks.add(key);
		}
		this.queued.length = 0;
	}
}
