// Lock objects and their state machines (layer: kernel): spinlocks (and the page-table lock),
// rwlocks, mutexes, rw_semaphores, ww_mutexes for dma_resv, completions and wait queues. The CPU's
// lock builtins call `LockTable` (usually through `LockSystem`, which adds lockdep and deadlock
// detection); when a lock is unavailable the call returns `blocked` (or `spin`) and the scheduler
// runs someone else; releases return the tasks to wake. Plain, CPU-independent, deterministic.
//
// The contract with the CPU follows `BuiltinAction` `block` in src/interp/contracts.ts: a blocked
// builtin is called again with the same arguments when its task is resumed. The table remembers one
// pending operation per task; the repeated call returns its outcome (`acquired` once the lock has
// been handed over, `deadlk` for a ww back-off, `interrupted` for a signal). Sleeping locks hand
// ownership directly to the first waiter on release (strict FIFO, as the brief asks and as 2.6-era
// rwsems granted locks in `__rwsem_do_wake`). Spinning locks are test-and-set: a spinning task stays
// runnable and retries on each call; the table counts the retries.
//
// Program misuse (unlocking a lock that is not held, double unlock, unlocking another task's mutex,
// `up_write` on a read-held rwsem, freeing a held lock, a bad ww acquire context) never throws: it
// produces a `LockMisuseReport` like Linux's `DEBUG_LOCKS_WARN_ON`, and the state is left unchanged.

import {
	banner, formatLock, formatSite, formatTask, LockInvariantError,
	type LockId, type LockKind, type LockMode, type LockRef, type LockSite, type ReportBase,
	type TaskId, type TaskRef, type Transitions, type WaitKind,
} from './types';

// ---- States and their transitions ----------------------------------------------------------------

/**
 * The state of a lock object. Which states a kind uses:
 * spinlock, mutex, ww_mutex: unlocked/locked; rwlock, rwsem: unlocked/read-locked/write-locked;
 * completion: pending/done; waitqueue: idle/waited.
 */
export type LockState = 'unlocked' | 'locked' | 'read-locked' | 'write-locked' | 'pending' | 'done' | 'idle' | 'waited';

const exclusiveTransitions: Transitions<LockState> = {
	unlocked: { locked: 'acquired while free' },
	locked: {
		unlocked: 'released with no waiter',
		locked: 'released and handed to the first waiter',
	},
};

const readWriteTransitions: Transitions<LockState> = {
	'unlocked': {
		'read-locked': 'a reader acquired it while free',
		'write-locked': 'a writer acquired it while free',
	},
	'read-locked': {
		'read-locked': 'readers came or went, some remain',
		'unlocked': 'the last reader released it with no waiter',
		'write-locked': 'the last reader released it and it was handed to a queued writer',
	},
	'write-locked': {
		'unlocked': 'the writer released it with no waiter',
		'read-locked': 'the writer downgraded it, or released it to queued readers',
		'write-locked': 'the writer released it to a queued writer',
	},
};

const completionTransitions: Transitions<LockState> = {
	pending: {
		done: 'completed with no waiter',
		pending: 'completed straight to a waiter, or reinitialized',
	},
	done: {
		pending: 'a waiter consumed the last completion, or reinitialized',
		done: 'completed again, or a waiter consumed one of several',
	},
};

const waitQueueTransitions: Transitions<LockState> = {
	idle: { waited: 'a task prepared to wait' },
	waited: {
		idle: 'the last waiter was woken or finished waiting',
		waited: 'waiters came or went, some remain',
	},
};

/** The transition table of each kind. */
export const lockTransitions: { readonly [K in LockKind]: Transitions<LockState> } = {
	spinlock: exclusiveTransitions,
	mutex: exclusiveTransitions,
	ww_mutex: exclusiveTransitions,
	rwlock: readWriteTransitions,
	rwsem: readWriteTransitions,
	completion: completionTransitions,
	waitqueue: waitQueueTransitions,
};

/**
 * `lockTransitions` as nested maps (kind, from, to -> reason), for the hot `setState`: map lookups
 * with the state strings, not keyed property loads on the tables.
 */
const transitionMaps: ReadonlyMap<LockKind, ReadonlyMap<LockState, ReadonlyMap<LockState, string>>> = new Map(
	(Object.keys(lockTransitions) as LockKind[]).map(kind => [kind, new Map(
		(Object.entries(lockTransitions[kind]) as [LockState, Partial<Record<LockState, string>>][])
			.map(([from, targets]) => [from, new Map(Object.entries(targets) as [LockState, string][])]),
	)]),
);

/** The state a new lock of each kind starts in. */
export const initialLockState: { readonly [K in LockKind]: LockState } = {
	spinlock: 'unlocked',
	mutex: 'unlocked',
	ww_mutex: 'unlocked',
	rwlock: 'unlocked',
	rwsem: 'unlocked',
	completion: 'pending',
	waitqueue: 'idle',
};

/** `complete_all` sets `done` to this (Linux uses UINT_MAX); waiters then never decrement it. */
export const completeAllDone = 0xffff_ffff;

// ---- Lock objects (plain data, snapshot-able) ------------------------------------------------------

/** What a new lock is. */
export interface LockSpec {
	readonly kind: LockKind;
	/** The instance name shown in reports and views (`mm#1->mmap_lock`). */
	readonly name: string;
	/** The lockdep class; defaults to `name`. All instances initialized by one site share a class. */
	readonly className?: string;
	/** The simulated address of the KC object (`struct mutex`), if it has one. */
	readonly address?: number;
	/** For `ww_mutex`: its ww class (`reservation_ww_class`). Defaults to the class name. */
	readonly wwClass?: string;
}

/** A shared holder of an rwlock or rwsem. */
export interface ReaderHold {
	readonly task: TaskId;
	/** Nesting depth: only rwlocks allow a reader to take the same lock again. */
	count: number;
	/** Where it first took the read lock. */
	readonly site: LockSite;
	readonly since: number;
}

/**
 * A task asleep on a sleeping lock, a completion or a wait queue. Queue order is FIFO except for
 * ww_mutex waiters with an acquire context (stamp order) and wait-queue entries (non-exclusive
 * entries at the head, exclusive ones at the tail, as `prepare_to_wait`/`_exclusive` do).
 */
export interface LockWaiter {
	readonly task: TaskId;
	readonly mode: LockMode;
	/** Where it started waiting. */
	readonly site: LockSite;
	readonly since: number;
	readonly wait: WaitKind;
	/** The ww acquire context the waiter locks with, or null. */
	readonly ctx: LockId | null;
	/** Wait queues: an exclusive waiter (`prepare_to_wait_exclusive`). */
	readonly exclusive: boolean;
}

/** A task busy-waiting on a spinlock or rwlock; it stays runnable and retries. */
export interface LockSpinner {
	readonly task: TaskId;
	readonly mode: LockMode;
	readonly site: LockSite;
	readonly since: number;
	/** How many retries found the lock still unavailable (each costs the spinner a statement). */
	retries: number;
}

/** Contention counters, like /proc/lock_stat. Times are simulated time. */
export interface LockStats {
	acquisitions: number;
	/** Acquisitions that had to wait or spin first. */
	contentions: number;
	spinRetries: number;
	waitTime: number;
	maxWaitTime: number;
}

/**
 * One synchronization object. Invariants (checked by `sanityCheck` after every change):
 * - `locked`/`write-locked`: `owner` set, no readers. `read-locked`: readers, no owner. `unlocked`: neither.
 * - A sleeping lock that could be granted has no waiters (release hands over at once), so an
 *   `unlocked` mutex, rwsem or ww_mutex has an empty queue, and a `read-locked` rwsem's first
 *   waiter is a writer.
 * - Spinning locks have no waiters, only spinners; sleeping locks have no spinners.
 * - A ww_mutex's `holderCtx` is null unless it is locked through an acquire context of its owner.
 */
export interface LockObject {
	readonly id: LockId;
	readonly kind: LockKind;
	readonly name: string;
	readonly className: string;
	readonly address: number | null;
	readonly wwClass: string | null;
	state: LockState;
	/** The reason of the last state change, from the transition table (for views). */
	lastTransition: string;
	owner: TaskId | null;
	ownerSite: LockSite | null;
	ownerSince: number;
	readers: ReaderHold[];
	waiters: LockWaiter[];
	spinners: LockSpinner[];
	/** The last release, to tell a double unlock from an unlock of a never-taken lock. */
	lastRelease: { readonly task: TaskId; readonly site: LockSite } | null;
	/** ww_mutex: the acquire context of the holder. */
	holderCtx: LockId | null;
	/** completion: the `done` count. */
	done: number;
	stats: LockStats;
}

/** A ww acquire context (`struct ww_acquire_ctx`). */
export interface WwAcquireContext {
	readonly id: LockId;
	readonly task: TaskId;
	readonly wwClass: string;
	/** Smaller is older. Taken from the class's counter at `ww_acquire_init`. */
	readonly stamp: number;
	/** ww_mutexes currently held through this context. */
	acquired: number;
	/** `ww_acquire_done` was called: no more locks may be taken. */
	done: boolean;
	/** Wound-wait: an older transaction wants a lock this one holds; it must back off when it next blocks. */
	wounded: boolean;
	readonly site: LockSite;
}

/** How a ww class resolves conflicts between acquire contexts. */
export type WwAlgorithm = 'wait-die' | 'wound-wait';

/** The outcome a pending operation has reached. */
export type PendingOutcome = 'waiting' | 'acquired' | 'deadlk' | 'interrupted';

/** The one operation a task is blocked or spinning in. */
export interface PendingOperation {
	readonly task: TaskId;
	readonly lock: LockId;
	/** lock: asleep on a sleeping lock; spin: spinning; completion: in wait_for_completion; sleep: in schedule() after prepare_to_wait. */
	readonly op: 'lock' | 'spin' | 'completion' | 'sleep';
	readonly mode: LockMode;
	readonly site: LockSite;
	readonly since: number;
	readonly wait: WaitKind;
	readonly ctx: LockId | null;
	outcome: PendingOutcome;
}

/**
 * What an acquisition call answers.
 * - `acquired`: the caller holds the lock (or the wait finished) and continues.
 * - `blocked`: the task sleeps; call again with the same arguments after it is woken.
 * - `spin`: the lock is busy and the task busy-waits: it stays runnable; call again to retry.
 * - `busy`: a trylock failed; nothing changed.
 * - `deadlk`: ww_mutex -EDEADLK: back off (release everything, then lock the contended one slowly).
 * - `already`: ww_mutex -EALREADY: this acquire context already holds it.
 * - `interrupted`: an interruptible or killable wait was ended by a signal (-EINTR).
 */
export type AcquireStatus = 'acquired' | 'blocked' | 'spin' | 'busy' | 'deadlk' | 'already' | 'interrupted';

/** A task made runnable, and how its pending operation ended. */
export interface Wakeup {
	readonly task: TaskId;
	readonly lock: LockId;
	readonly outcome: Exclude<PendingOutcome, 'waiting'>;
}

/** An acquisition's answer plus the tasks it woke (ww back-off victims). */
export interface LockResult {
	readonly status: AcquireStatus;
	readonly wakeups: readonly Wakeup[];
}

/** Options of an acquisition. */
export interface AcquireOptions {
	/** `mutex_trylock`, `down_read_trylock`, `spin_trylock`, `ww_mutex_trylock`: never wait. */
	readonly trylock?: boolean;
	/** How a sleeping wait reacts to signals. Default uninterruptible. */
	readonly wait?: WaitKind;
	/** ww_mutex: the acquire context, or null/absent for `ww_mutex_lock(lock, NULL)`. */
	readonly ctx?: LockId | null;
}

// ---- Misuse reports ------------------------------------------------------------------------------

/** What a KC program did wrong with a lock. */
export type MisuseProblem =
	/** Released a lock nobody holds (never taken, or released by someone else already). */
	| 'not-locked'
	/** Released a lock it had already released (the last release was by the same task). */
	| 'double-unlock'
	/** Released a lock another task holds. */
	| 'not-owner'
	/** Released in the wrong mode: `up_write` on a read-held rwsem, `up_read` while write-holding it. */
	| 'wrong-mode'
	/** Destroyed or freed a lock that is held or waited on. */
	| 'destroy-held'
	/** Misused a ww acquire context (after ww_acquire_done, wrong class, another task's, fini with locks held). */
	| 'ww-context';

/** A `DEBUG_LOCKS_WARN_ON`-style report of lock misuse; the lock's state is left as it was. */
export interface LockMisuseReport extends ReportBase {
	readonly kind: 'lock-misuse';
	readonly problem: MisuseProblem;
	readonly lock: LockRef;
	/** The condition Linux's debug code would print. */
	readonly warning: string;
	/** Who holds the lock now, with where they took it. */
	readonly holders: readonly { readonly task: TaskRef; readonly mode: LockMode; readonly site: LockSite }[];
	/** The last release before this one, if any. */
	readonly lastRelease: { readonly task: TaskRef; readonly site: LockSite } | null;
}

// ---- Snapshots -------------------------------------------------------------------------------------

/** A task between `prepare_to_wait` and its wake-up or `finish_wait` (its `TASK_*` sleep state is set). */
export interface ArmedWait {
	readonly task: TaskId;
	readonly wait: WaitKind;
	/** The wait queue it was put on. */
	readonly queue: LockId;
}

/** The whole table as JSON-safe data. */
export interface LockTableState {
	readonly nextId: number;
	readonly locks: readonly LockObject[];
	readonly contexts: readonly WwAcquireContext[];
	readonly pending: readonly PendingOperation[];
	readonly tasks: readonly TaskRef[];
	/** Tasks whose `prepare_to_wait` has not yet been undone by a wake-up or `finish_wait`. */
	readonly armed: readonly ArmedWait[];
	readonly wwClasses: readonly { readonly name: string; readonly algorithm: WwAlgorithm; readonly nextStamp: number }[];
	readonly exited: readonly TaskId[];
}

function cloneData<T>(value: T): T {
	return JSON.parse(JSON.stringify(value)) as T;
}

const misuseTitles: { readonly [P in MisuseProblem]: string } = {
	'not-locked': 'bad unlock balance detected!',
	'double-unlock': 'bad unlock balance detected!',
	'not-owner': 'unlock of a lock held by another task',
	'wrong-mode': 'unlock in the wrong mode',
	'destroy-held': 'held lock freed!',
	'ww-context': 'ww_acquire_ctx misuse',
};

const noWakeups: readonly Wakeup[] = Object.freeze([]);

/** The answers that wake nobody, shared (LockResult is read-only). */
const plainResults = new Map<AcquireStatus, LockResult>(
	(['acquired', 'blocked', 'spin', 'busy', 'deadlk', 'already', 'interrupted'] as const).map(status => [status, Object.freeze({ status, wakeups: noWakeups })]),
);

function result(status: AcquireStatus, wakeups: readonly Wakeup[] = noWakeups): LockResult {
	return wakeups === noWakeups ? plainResults.get(status) as LockResult : { status, wakeups };
}

/** Throws the invariant error `sanityCheck` reports. */
function insane(lock: LockObject, what: string): never {
	throw new LockInvariantError(`${lock.kind} ${lock.name} in state ${lock.state}: ${what}`);
}

// ---- The table -------------------------------------------------------------------------------------

/** Options of a table. */
export interface LockTableOptions {
	/** Simulated time, for wait statistics and report times. Default: always 0. */
	readonly clock?: () => number;
	/** Receives misuse reports as they happen; without it they queue up for `takeReports`. */
	readonly onReport?: (report: LockMisuseReport) => void;
}

/**
 * All lock objects of a machine, the ww acquire contexts, and each task's pending operation.
 * Deterministic: no iteration over anything but insertion-ordered arrays and maps.
 */
export class LockTable {
	private readonly clock: () => number;
	private readonly onReport: ((report: LockMisuseReport) => void) | undefined;
	private nextId = 1;
	private readonly locks = new Map<LockId, LockObject>();
	private readonly byAddress = new Map<number, LockId>();
	/** lockRef's references, per lock object (a restored table has new objects, so new references). */
	private readonly refs = new WeakMap<LockObject, LockRef>();
	private readonly contexts = new Map<LockId, WwAcquireContext>();
	private readonly pending = new Map<TaskId, PendingOperation>();
	private readonly tasks = new Map<TaskId, TaskRef>();
	private readonly armed = new Map<TaskId, ArmedWait>();
	private readonly wwClasses = new Map<string, { algorithm: WwAlgorithm; nextStamp: number }>();
	private readonly exited = new Set<TaskId>();
	private readonly queuedReports: LockMisuseReport[] = [];

	constructor(options: LockTableOptions = {}) {
		this.clock = options.clock ?? (() => 0);
		this.onReport = options.onReport;
	}

	// ---- Tasks and objects ----

	/** Names a task (again, after `exec`). Unknown tasks are registered on first use, named by id. */
	registerTask(id: TaskId, name: string): void {
		this.tasks.set(id, { id, name });
	}

	/** The task's reference for reports. */
	task(id: TaskId): TaskRef {
		let task = this.tasks.get(id);
		if (task === undefined) {
			task = { id, name: id };
			this.tasks.set(id, task);
		}
		return task;
	}

	/** True once `taskExit` ran for the task. */
	hasExited(id: TaskId): boolean {
		return this.exited.has(id);
	}

	/** Creates a lock object in its initial state. */
	createLock(spec: LockSpec): LockId {
		const id = this.nextId++;
		const className = spec.className ?? spec.name;
		const lock: LockObject = {
			id,
			kind: spec.kind,
			name: spec.name,
			className,
			address: spec.address ?? null,
			wwClass: spec.kind === 'ww_mutex' ? (spec.wwClass ?? className) : null,
			state: initialLockState[spec.kind],
			lastTransition: 'initialized',
			owner: null,
			ownerSite: null,
			ownerSince: 0,
			readers: [],
			waiters: [],
			spinners: [],
			lastRelease: null,
			holderCtx: null,
			done: 0,
			stats: { acquisitions: 0, contentions: 0, spinRetries: 0, waitTime: 0, maxWaitTime: 0 },
		};
		this.locks.set(id, lock);
		if (lock.address !== null) {
			this.byAddress.set(lock.address, id);
		}
		return id;
	}

	/** The lock created for a simulated address, if any. */
	lockAt(address: number): LockId | undefined {
		return this.byAddress.get(address);
	}

	/** The lock object (live; callers outside the lock layer must treat it as read-only). */
	lock(id: LockId): LockObject {
		const lock = this.locks.get(id);
		if (lock === undefined) {
			throw new LockInvariantError(`no lock with id ${id}`);
		}
		return lock;
	}

	/** All locks, in creation order. */
	allLocks(): readonly LockObject[] {
		return [...this.locks.values()];
	}

	/** A lock's reference for reports (one per lock object: references are read-only). */
	lockRef(id: LockId): LockRef {
		const lock = this.lock(id);
		let ref = this.refs.get(lock);
		if (ref === undefined) {
			ref = { id: lock.id, name: lock.name, className: lock.className, kind: lock.kind };
			this.refs.set(lock, ref);
		}
		return ref;
	}

	/**
	 * Destroys a lock (`mutex_destroy`, or freeing the memory that holds it). Destroying a lock that is
	 * held or waited on is reported (`held lock freed`) and the lock is kept, so its holders and
	 * waiters stay consistent; otherwise it is removed.
	 */
	destroyLock(task: TaskId, id: LockId, site: LockSite): void {
		const lock = this.lock(id);
		const busy = lock.owner !== null || lock.readers.length > 0 || lock.waiters.length > 0 || lock.spinners.length > 0;
		if (busy) {
			this.report(task, lock, site, 'destroy-held', 'DEBUG_LOCKS_WARN_ON(lock is held or waited on when freed)');
			return;
		}
		this.locks.delete(id);
		if (lock.address !== null && this.byAddress.get(lock.address) === id) {
			this.byAddress.delete(lock.address);
		}
	}

	/** The task's pending operation, if it is blocked or spinning. */
	pendingOf(task: TaskId): PendingOperation | undefined {
		return this.pending.get(task);
	}

	/** All pending operations, in the order they started. */
	allPending(): readonly PendingOperation[] {
		return [...this.pending.values()];
	}

	/** The acquire context (live). */
	context(id: LockId): WwAcquireContext {
		const ctx = this.contexts.get(id);
		if (ctx === undefined) {
			throw new LockInvariantError(`no ww acquire context with id ${id}`);
		}
		return ctx;
	}

	/** Locks the task holds (as owner or reader), in creation order. */
	locksHeldBy(task: TaskId): LockObject[] {
		return [...this.locks.values()].filter(lock => lock.owner === task || lock.readers.some(r => r.task === task));
	}

	/** Reports not yet taken (only when no `onReport` was given), oldest first. */
	takeReports(): LockMisuseReport[] {
		return this.queuedReports.splice(0, this.queuedReports.length);
	}

	// ---- Acquisition ----

	/**
	 * Tries to take `lock` for `task` (`spin_lock`, `read_lock`, `mutex_lock`, `down_read`,
	 * `down_write`, `ww_mutex_lock` and their trylock, interruptible and killable variants).
	 * Calling again after `blocked` (once woken) or `spin` continues the same operation.
	 */
	tryAcquire(task: TaskId, lockId: LockId, mode: LockMode, site: LockSite, options: AcquireOptions = {}): LockResult {
		const lock = this.lock(lockId);
		const pending = this.pending.get(task);
		if (pending !== undefined) {
			return this.continuePending(pending, lock, 'lock');
		}
		this.checkMode(lock, mode);
		this.task(task);
		switch (lock.kind) {
			case 'spinlock':
			case 'rwlock':
				return this.acquireSpinning(task, lock, mode, site, options);
			case 'mutex':
			case 'rwsem':
				return this.acquireSleeping(task, lock, mode, site, options);
			case 'ww_mutex':
				return this.acquireWw(task, lock, site, options);
			default:
				throw new LockInvariantError(`tryAcquire on ${lock.kind} ${lock.name}: use the ${lock.kind} operations`);
		}
	}

	private continuePending(pending: PendingOperation, lock: LockObject, call: PendingOperation['op']): LockResult {
		const expected = pending.op === 'spin' ? 'lock' : pending.op;
		if (pending.lock !== lock.id || expected !== call) {
			throw new LockInvariantError(
				`task ${pending.task} has a pending ${pending.op} on lock ${pending.lock} but called ${call} on ${lock.id} (${lock.name})`);
		}
		if (pending.op === 'spin') {
			return this.retrySpin(pending, lock);
		}
		if (pending.outcome === 'waiting') {
			return result('blocked');
		}
		this.pending.delete(pending.task);
		return result(pending.outcome);
	}

	private checkMode(lock: LockObject, mode: LockMode): void {
		if (mode === 'shared' && lock.kind !== 'rwlock' && lock.kind !== 'rwsem') {
			throw new LockInvariantError(`shared acquisition of ${lock.kind} ${lock.name}`);
		}
	}

	/** Whether `mode` can be granted now to a newcomer (who must not jump a sleeping queue). */
	private available(lock: LockObject, mode: LockMode): boolean {
		if (lock.state === 'unlocked') {
			return lock.waiters.length === 0;
		}
		if (mode === 'shared' && lock.state === 'read-locked') {
			// rwlock readers always join readers (2.6 rwlocks starve writers); rwsem readers only
			// when nobody is queued, so a queued writer blocks new readers.
			return lock.kind === 'rwlock' || lock.waiters.length === 0;
		}
		return false;
	}

	private acquireSpinning(task: TaskId, lock: LockObject, mode: LockMode, site: LockSite, options: AcquireOptions): LockResult {
		const readAgain = mode === 'shared' && lock.readers.some(r => r.task === task);
		if (readAgain || this.available(lock, mode)) {
			this.grant(lock, task, mode, site, this.clock());
			return result('acquired');
		}
		if (options.trylock === true) {
			return result('busy');
		}
		const now = this.clock();
		lock.spinners.push({ task, mode, site, since: now, retries: 0 });
		lock.stats.contentions++;
		this.pending.set(task, { task, lock: lock.id, op: 'spin', mode, site, since: now, wait: 'uninterruptible', ctx: null, outcome: 'waiting' });
		this.sanityCheck(lock);
		return result('spin');
	}

	private retrySpin(pending: PendingOperation, lock: LockObject): LockResult {
		const index = lock.spinners.findIndex(s => s.task === pending.task);
		if (index < 0) {
			throw new LockInvariantError(`task ${pending.task} spins on ${lock.name} but is not among its spinners`);
		}
		if (!this.available(lock, pending.mode)) {
			lock.spinners[index].retries++;
			lock.stats.spinRetries++;
			return result('spin');
		}
		lock.spinners.splice(index, 1);
		this.pending.delete(pending.task);
		this.grant(lock, pending.task, pending.mode, pending.site, pending.since);
		return result('acquired');
	}

	private acquireSleeping(task: TaskId, lock: LockObject, mode: LockMode, site: LockSite, options: AcquireOptions): LockResult {
		if (this.available(lock, mode)) {
			this.grant(lock, task, mode, site, this.clock());
			return result('acquired');
		}
		if (options.trylock === true) {
			return result('busy');
		}
		this.enqueue(lock, { task, mode, site, since: this.clock(), wait: options.wait ?? 'uninterruptible', ctx: null, exclusive: mode === 'exclusive' }, lock.waiters.length);
		return result('blocked');
	}

	private enqueue(lock: LockObject, waiter: LockWaiter, position: number): void {
		lock.waiters.splice(position, 0, waiter);
		lock.stats.contentions++;
		const op = lock.kind === 'completion' ? 'completion' : lock.kind === 'waitqueue' ? 'sleep' : 'lock';
		this.pending.set(waiter.task, {
			task: waiter.task, lock: lock.id, op, mode: waiter.mode, site: waiter.site, since: waiter.since,
			wait: waiter.wait, ctx: waiter.ctx, outcome: 'waiting',
		});
		this.sanityCheck(lock);
	}

	/** Makes `task` a holder of `lock` in `mode`; `since` is when it started trying (for wait time). */
	private grant(lock: LockObject, task: TaskId, mode: LockMode, site: LockSite, since: number): void {
		const now = this.clock();
		const waited = now - since;
		lock.stats.acquisitions++;
		lock.stats.waitTime += waited;
		lock.stats.maxWaitTime = Math.max(lock.stats.maxWaitTime, waited);
		if (mode === 'shared') {
			const reader = lock.readers.find(r => r.task === task);
			if (reader !== undefined) {
				reader.count++;
			} else {
				lock.readers.push({ task, count: 1, site, since: now });
			}
			this.setState(lock, 'read-locked');
		} else {
			lock.owner = task;
			lock.ownerSite = site;
			lock.ownerSince = now;
			this.setState(lock, lock.kind === 'rwlock' || lock.kind === 'rwsem' ? 'write-locked' : 'locked');
		}
	}

	/** Grants the lock to waiters at the head of the queue while they are compatible with it. */
	private grantWaiters(lock: LockObject, wakeups: Wakeup[]): void {
		while (lock.waiters.length > 0) {
			const waiter = lock.waiters[0];
			const compatible = lock.state === 'unlocked' || (waiter.mode === 'shared' && lock.state === 'read-locked');
			if (!compatible) {
				break;
			}
			lock.waiters.shift();
			this.grant(lock, waiter.task, waiter.mode, waiter.site, waiter.since);
			if (waiter.ctx !== null) {
				lock.holderCtx = waiter.ctx;
				this.context(waiter.ctx).acquired++;
			}
			this.finishPending(waiter.task, 'acquired', wakeups);
			if (lock.kind === 'ww_mutex' && lock.holderCtx !== null) {
				this.checkWwWaiters(lock, wakeups);
			}
		}
	}

	private finishPending(task: TaskId, outcome: Exclude<PendingOutcome, 'waiting'>, wakeups: Wakeup[]): void {
		const pending = this.pending.get(task);
		if (pending === undefined || pending.outcome !== 'waiting') {
			throw new LockInvariantError(`waking task ${task}, which has no operation waiting`);
		}
		pending.outcome = outcome;
		wakeups.push({ task, lock: pending.lock, outcome });
	}

	// ---- ww_mutex ----

	/** Declares how a ww class resolves conflicts (`DEFINE_WD_CLASS` vs `DEFINE_WW_CLASS`). */
	defineWwClass(name: string, algorithm: WwAlgorithm): void {
		const existing = this.wwClasses.get(name);
		this.wwClasses.set(name, { algorithm, nextStamp: existing?.nextStamp ?? 1 });
	}

	/** The class's algorithm; classes never defined are wound-wait, like `DEFINE_WW_CLASS` since 4.19. */
	wwAlgorithm(name: string): WwAlgorithm {
		return this.wwClasses.get(name)?.algorithm ?? 'wound-wait';
	}

	/** `ww_acquire_init`: a new transaction, younger than every earlier one of its class. */
	wwAcquireInit(task: TaskId, wwClass: string, site: LockSite): LockId {
		let entry = this.wwClasses.get(wwClass);
		if (entry === undefined) {
			entry = { algorithm: 'wound-wait', nextStamp: 1 };
			this.wwClasses.set(wwClass, entry);
		}
		const id = this.nextId++;
		this.task(task);
		this.contexts.set(id, { id, task, wwClass, stamp: entry.nextStamp++, acquired: 0, done: false, wounded: false, site });
		return id;
	}

	/** `ww_acquire_done`: the transaction takes no more locks. */
	wwAcquireDone(task: TaskId, ctxId: LockId, site: LockSite): void {
		const ctx = this.context(ctxId);
		if (ctx.task !== task) {
			this.reportContext(task, ctx, site, 'DEBUG_LOCKS_WARN_ON(ctx->task != current)');
		}
		ctx.done = true;
	}

	/** `ww_acquire_fini`: ends the transaction; it must hold no ww_mutex. */
	wwAcquireFini(task: TaskId, ctxId: LockId, site: LockSite): void {
		const ctx = this.context(ctxId);
		if (ctx.task !== task) {
			this.reportContext(task, ctx, site, 'DEBUG_LOCKS_WARN_ON(ctx->task != current)');
		}
		if (ctx.acquired > 0) {
			this.reportContext(task, ctx, site, 'DEBUG_LOCKS_WARN_ON(ctx->acquired)');
			return;
		}
		this.contexts.delete(ctxId);
	}

	/** All live acquire contexts. */
	allContexts(): readonly WwAcquireContext[] {
		return [...this.contexts.values()];
	}

	private acquireWw(task: TaskId, lock: LockObject, site: LockSite, options: AcquireOptions): LockResult {
		const ctx = options.ctx === undefined || options.ctx === null ? null : this.context(options.ctx);
		if (ctx !== null) {
			if (ctx.task !== task) {
				this.reportContext(task, ctx, site, 'DEBUG_LOCKS_WARN_ON(ww_ctx->task != current)', lock);
			}
			if (ctx.done) {
				this.reportContext(task, ctx, site, 'DEBUG_LOCKS_WARN_ON(ww_ctx->done_acquire)', lock);
			}
			if (ctx.wwClass !== lock.wwClass) {
				this.reportContext(task, ctx, site, 'DEBUG_LOCKS_WARN_ON(ww_ctx->ww_class != ww->ww_class)', lock);
			}
			// A transaction that holds nothing (it just backed off) is no longer wounded.
			if (ctx.acquired === 0) {
				ctx.wounded = false;
			}
			if (lock.holderCtx === ctx.id) {
				return result('already');
			}
		}
		if (this.available(lock, 'exclusive')) {
			this.grant(lock, task, 'exclusive', site, this.clock());
			if (ctx !== null) {
				lock.holderCtx = ctx.id;
				ctx.acquired++;
			}
			this.sanityCheck(lock);
			return result('acquired');
		}
		if (options.trylock === true) {
			return result('busy');
		}
		const wakeups: Wakeup[] = [];
		let position = lock.waiters.length;
		if (ctx !== null) {
			const waitDie = this.wwAlgorithm(ctx.wwClass) === 'wait-die';
			const holder = lock.holderCtx === null ? null : this.context(lock.holderCtx);
			if (ctx.acquired > 0) {
				// Wait-die: a younger transaction never waits for an older one; it dies (-EDEADLK).
				if (waitDie && holder !== null && holder.stamp < ctx.stamp) {
					return result('deadlk');
				}
				// Wound-wait: a wounded transaction backs off the moment it would have to wait.
				if (!waitDie && ctx.wounded) {
					return result('deadlk');
				}
			}
			// Queue in stamp order among waiters with a context (waiters without one are skipped), as
			// __ww_mutex_add_waiter walks the list from its tail.
			for (let i = lock.waiters.length - 1; i >= 0; i--) {
				const other = lock.waiters[i];
				if (other.ctx === null) {
					continue;
				}
				const otherCtx = this.context(other.ctx);
				if (otherCtx.stamp < ctx.stamp) {
					// An older transaction waits ahead: under wait-die we would only die later.
					if (waitDie && ctx.acquired > 0) {
						return result('deadlk');
					}
					break;
				}
				position = i;
			}
			this.enqueue(lock, { task, mode: 'exclusive', site, since: this.clock(), wait: options.wait ?? 'uninterruptible', ctx: ctx.id, exclusive: true }, position);
			if (waitDie) {
				// Younger waiters now queued behind us must die if they hold locks.
				this.killYoungerWaiters(lock, ctx, position + 1, wakeups);
			} else if (holder !== null && holder.stamp > ctx.stamp) {
				this.wound(holder, wakeups);
			}
			this.sanityCheck(lock);
			return result('blocked', wakeups);
		}
		this.enqueue(lock, { task, mode: 'exclusive', site, since: this.clock(), wait: options.wait ?? 'uninterruptible', ctx: null, exclusive: true }, position);
		return result('blocked');
	}

	/** Wait-die: wakes with -EDEADLK the waiters from `from` on that are younger than `older` and hold locks. */
	private killYoungerWaiters(lock: LockObject, older: WwAcquireContext, from: number, wakeups: Wakeup[]): void {
		for (let i = from; i < lock.waiters.length;) {
			const waiter = lock.waiters[i];
			if (waiter.ctx !== null) {
				const waiterCtx = this.context(waiter.ctx);
				if (waiterCtx.stamp > older.stamp && waiterCtx.acquired > 0) {
					lock.waiters.splice(i, 1);
					this.finishPending(waiter.task, 'deadlk', wakeups);
					continue;
				}
			}
			i++;
		}
	}

	/** Wound-wait: marks `victim` wounded and, if it is asleep on a ww_mutex of its class holding locks, wakes it with -EDEADLK. */
	private wound(victim: WwAcquireContext, wakeups: Wakeup[]): void {
		victim.wounded = true;
		if (victim.acquired === 0) {
			return;
		}
		const pending = this.pending.get(victim.task);
		if (pending === undefined || pending.outcome !== 'waiting' || pending.ctx !== victim.id) {
			return;
		}
		const lock = this.lock(pending.lock);
		const index = lock.waiters.findIndex(w => w.task === victim.task);
		lock.waiters.splice(index, 1);
		this.finishPending(victim.task, 'deadlk', wakeups);
		this.sanityCheck(lock);
	}

	/** After a ww_mutex changed hands to a transaction: kill (wait-die) or wound (wound-wait) as Linux's __ww_mutex_check_waiters does. */
	private checkWwWaiters(lock: LockObject, wakeups: Wakeup[]): void {
		const holder = this.context(lock.holderCtx as LockId);
		if (this.wwAlgorithm(holder.wwClass) === 'wait-die') {
			this.killYoungerWaiters(lock, holder, 0, wakeups);
			return;
		}
		const olderWaiter = lock.waiters.some(w => w.ctx !== null && this.context(w.ctx).stamp < holder.stamp);
		if (olderWaiter) {
			this.wound(holder, wakeups);
		}
	}

	// ---- Release ----

	/**
	 * Releases `lock` (`spin_unlock`, `read_unlock`, `mutex_unlock`, `up_read` with mode shared,
	 * `up_write` with mode exclusive, `ww_mutex_unlock`). Returns the tasks to wake: with sleeping
	 * locks the lock has already been handed to them. Misuse is reported and changes nothing.
	 */
	release(task: TaskId, lockId: LockId, site: LockSite, mode: LockMode = 'exclusive'): readonly Wakeup[] {
		const lock = this.lock(lockId);
		this.checkMode(lock, mode);
		this.task(task);
		if (mode === 'shared') {
			return this.releaseShared(task, lock, site);
		}
		if (lock.owner !== task) {
			if (lock.owner !== null) {
				this.report(task, lock, site, 'not-owner', 'DEBUG_LOCKS_WARN_ON(lock->owner != current)');
			} else if (lock.state === 'read-locked') {
				const problem = lock.readers.some(r => r.task === task) ? 'wrong-mode' : 'not-owner';
				this.report(task, lock, site, problem, 'DEBUG_RWSEMS_WARN_ON(sem->owner != current): up_write on a read-held lock');
			} else {
				this.reportUnlocked(task, lock, site);
			}
			return noWakeups;
		}
		const wakeups: Wakeup[] = [];
		if (lock.holderCtx !== null) {
			this.context(lock.holderCtx).acquired--;
			lock.holderCtx = null;
		}
		lock.owner = null;
		lock.ownerSite = null;
		lock.lastRelease = { task, site };
		this.setState(lock, 'unlocked');
		this.grantWaiters(lock, wakeups);
		this.sanityCheck(lock);
		return wakeups;
	}

	private releaseShared(task: TaskId, lock: LockObject, site: LockSite): readonly Wakeup[] {
		const index = lock.readers.findIndex(r => r.task === task);
		if (index < 0) {
			if (lock.owner === task) {
				this.report(task, lock, site, 'wrong-mode', 'DEBUG_RWSEMS_WARN_ON(up_read on a write-held lock)');
			} else if (lock.state === 'read-locked' || lock.owner !== null) {
				this.report(task, lock, site, 'not-owner', 'DEBUG_RWSEMS_WARN_ON(current is not a reader)');
			} else {
				this.reportUnlocked(task, lock, site);
			}
			return noWakeups;
		}
		const reader = lock.readers[index];
		reader.count--;
		if (reader.count === 0) {
			lock.readers.splice(index, 1);
		}
		lock.lastRelease = { task, site };
		const wakeups: Wakeup[] = [];
		this.setState(lock, lock.readers.length > 0 ? 'read-locked' : 'unlocked');
		this.grantWaiters(lock, wakeups);
		this.sanityCheck(lock);
		return wakeups;
	}

	/** `downgrade_write`: the writer becomes a reader and queued readers at the head join it. */
	downgradeWrite(task: TaskId, lockId: LockId, site: LockSite): readonly Wakeup[] {
		const lock = this.lock(lockId);
		if (lock.kind !== 'rwsem' && lock.kind !== 'rwlock') {
			throw new LockInvariantError(`downgrade_write on ${lock.kind} ${lock.name}`);
		}
		if (lock.state !== 'write-locked' || lock.owner !== task) {
			if (lock.state === 'write-locked') {
				this.report(task, lock, site, 'not-owner', 'DEBUG_RWSEMS_WARN_ON(sem->owner != current): downgrade_write');
			} else if (lock.readers.some(r => r.task === task)) {
				this.report(task, lock, site, 'wrong-mode', 'DEBUG_RWSEMS_WARN_ON(downgrade_write on a read-held lock)');
			} else {
				this.reportUnlocked(task, lock, site);
			}
			return noWakeups;
		}
		lock.readers.push({ task, count: 1, site: lock.ownerSite ?? site, since: lock.ownerSince });
		lock.owner = null;
		lock.ownerSite = null;
		this.setState(lock, 'read-locked');
		const wakeups: Wakeup[] = [];
		this.grantWaiters(lock, wakeups);
		this.sanityCheck(lock);
		return wakeups;
	}

	// ---- Completions ----

	/**
	 * `wait_for_completion` (`trylock`: `try_wait_for_completion`). Consumes one completion, or
	 * sleeps until `complete` hands one over.
	 */
	waitForCompletion(task: TaskId, completionId: LockId, site: LockSite, options: AcquireOptions = {}): LockResult {
		const completion = this.kindCheck(completionId, 'completion');
		const pending = this.pending.get(task);
		if (pending !== undefined) {
			return this.continuePending(pending, completion, 'completion');
		}
		this.task(task);
		if (completion.done > 0) {
			if (completion.done !== completeAllDone) {
				completion.done--;
			}
			completion.stats.acquisitions++;
			this.setState(completion, completion.done > 0 ? 'done' : 'pending');
			return result('acquired');
		}
		if (options.trylock === true) {
			return result('busy');
		}
		this.enqueue(completion, { task, mode: 'exclusive', site, since: this.clock(), wait: options.wait ?? 'uninterruptible', ctx: null, exclusive: true }, completion.waiters.length);
		return result('blocked');
	}

	/** `complete` (one waiter, or one future wait) or `complete_all` (every waiter, and every future wait). */
	complete(task: TaskId, completionId: LockId, site: LockSite, all = false): readonly Wakeup[] {
		const completion = this.kindCheck(completionId, 'completion');
		this.task(task);
		completion.lastRelease = { task, site };
		const wakeups: Wakeup[] = [];
		if (all) {
			completion.done = completeAllDone;
		} else if (completion.waiters.length === 0 && completion.done !== completeAllDone) {
			completion.done++;
		}
		// The woken waiter consumes the completion at once (hand-off), so `done` only counts
		// completions nobody has waited for yet.
		const woken = all ? completion.waiters.length : Math.min(1, completion.waiters.length);
		for (const waiter of completion.waiters.splice(0, woken)) {
			completion.stats.acquisitions++;
			this.finishPending(waiter.task, 'acquired', wakeups);
		}
		this.setState(completion, completion.done > 0 ? 'done' : 'pending');
		this.sanityCheck(completion);
		return wakeups;
	}

	/** `reinit_completion`. */
	reinitCompletion(completionId: LockId): void {
		const completion = this.kindCheck(completionId, 'completion');
		completion.done = 0;
		this.setState(completion, 'pending');
	}

	/** `completion_done`: true when a wait would not sleep. */
	completionDone(completionId: LockId): boolean {
		return this.kindCheck(completionId, 'completion').done > 0;
	}

	// ---- Wait queues ----

	/**
	 * `prepare_to_wait` (`exclusive`: `prepare_to_wait_exclusive`): puts the task on the queue and
	 * marks it as going to sleep. A wake-up before `schedule` makes that `schedule` return at once,
	 * which is how `wait_event` avoids lost wake-ups.
	 */
	prepareToWait(task: TaskId, queueId: LockId, site: LockSite, options: { readonly exclusive?: boolean; readonly wait?: WaitKind } = {}): void {
		const queue = this.kindCheck(queueId, 'waitqueue');
		this.task(task);
		const wait = options.wait ?? 'uninterruptible';
		this.armed.set(task, { task, wait, queue: queue.id });
		if (queue.waiters.some(w => w.task === task)) {
			return;
		}
		const exclusive = options.exclusive === true;
		const waiter: LockWaiter = { task, mode: 'exclusive', site, since: this.clock(), wait, ctx: null, exclusive };
		if (exclusive) {
			queue.waiters.push(waiter);
		} else {
			queue.waiters.unshift(waiter);
		}
		this.setState(queue, 'waited');
		this.sanityCheck(queue);
	}

	/**
	 * `schedule()` after `prepare_to_wait`: `acquired` at once if a wake-up (or, for interruptible
	 * waits, a signal) already came, else `blocked` until one does. Called again after the wake-up,
	 * it answers `acquired` (woken) or `interrupted`. Without `prepare_to_wait` it just returns.
	 */
	schedule(task: TaskId, site: LockSite): LockResult {
		const pending = this.pending.get(task);
		if (pending !== undefined) {
			return this.continuePending(pending, this.lock(pending.lock), 'sleep');
		}
		const armed = this.armed.get(task);
		if (armed === undefined) {
			return result('acquired');
		}
		const queue = this.lock(armed.queue);
		queue.stats.contentions++;
		this.pending.set(task, { task, lock: queue.id, op: 'sleep', mode: 'exclusive', site, since: this.clock(), wait: armed.wait, ctx: null, outcome: 'waiting' });
		return result('blocked');
	}

	/** `wake_up_process`: ends the task's sleep (or makes its coming `schedule()` return at once). */
	wakeUpProcess(task: TaskId): readonly Wakeup[] {
		this.armed.delete(task);
		const pending = this.pending.get(task);
		const wakeups: Wakeup[] = [];
		if (pending !== undefined && pending.op === 'sleep' && pending.outcome === 'waiting') {
			this.finishPending(task, 'acquired', wakeups);
		}
		return wakeups;
	}

	/** `finish_wait`: the task is running again and leaves the queue if a wake-up did not remove it. */
	finishWait(task: TaskId, queueId: LockId): void {
		const queue = this.kindCheck(queueId, 'waitqueue');
		this.armed.delete(task);
		const index = queue.waiters.findIndex(w => w.task === task);
		if (index >= 0) {
			queue.waiters.splice(index, 1);
			this.setState(queue, queue.waiters.length > 0 ? 'waited' : 'idle');
		}
		this.sanityCheck(queue);
	}

	/**
	 * `wake_up` (`nrExclusive` 1), `wake_up_nr`, `wake_up_all` (`nrExclusive` 0): wakes every
	 * non-exclusive waiter and up to `nrExclusive` exclusive ones, in queue order, removing them
	 * (`autoremove_wake_function`). `interruptibleOnly` is `wake_up_interruptible`.
	 */
	wakeUp(task: TaskId, queueId: LockId, site: LockSite, options: { readonly nrExclusive?: number; readonly interruptibleOnly?: boolean } = {}): readonly Wakeup[] {
		const queue = this.kindCheck(queueId, 'waitqueue');
		this.task(task);
		queue.lastRelease = { task, site };
		let exclusiveLeft = options.nrExclusive ?? 1;
		const wakeups: Wakeup[] = [];
		for (let i = 0; i < queue.waiters.length;) {
			const waiter = queue.waiters[i];
			if (options.interruptibleOnly === true && waiter.wait === 'uninterruptible') {
				i++;
				continue;
			}
			queue.waiters.splice(i, 1);
			queue.stats.acquisitions++;
			this.armed.delete(waiter.task);
			const pending = this.pending.get(waiter.task);
			if (pending !== undefined && pending.lock === queue.id && pending.outcome === 'waiting') {
				this.finishPending(waiter.task, 'acquired', wakeups);
			}
			if (waiter.exclusive && --exclusiveLeft === 0) {
				break;
			}
		}
		this.setState(queue, queue.waiters.length > 0 ? 'waited' : 'idle');
		this.sanityCheck(queue);
		return wakeups;
	}

	private kindCheck(id: LockId, kind: LockKind): LockObject {
		const lock = this.lock(id);
		if (lock.kind !== kind) {
			throw new LockInvariantError(`${lock.name} is a ${lock.kind}, not a ${kind}`);
		}
		return lock;
	}

	// ---- Signals and exit ----

	/**
	 * A signal arrived for `task` (`fatal`: SIGKILL). If it sleeps interruptibly (or killably and
	 * the signal is fatal) its wait ends with `interrupted`; the queue it leaves may now let others
	 * through (readers queued behind a departing writer). Armed wait-queue sleepers are woken too.
	 */
	interrupt(task: TaskId, fatal: boolean): readonly Wakeup[] {
		const wakeups: Wakeup[] = [];
		const interruptible = (wait: WaitKind): boolean => wait === 'interruptible' || (wait === 'killable' && fatal);
		const armed = this.armed.get(task);
		if (armed !== undefined && interruptible(armed.wait)) {
			// signal_wake_up: the task is running again; its schedule() will not sleep.
			this.armed.delete(task);
		}
		const pending = this.pending.get(task);
		if (pending === undefined || pending.outcome !== 'waiting' || pending.op === 'spin' || !interruptible(pending.wait)) {
			return wakeups;
		}
		const lock = this.lock(pending.lock);
		if (pending.op !== 'sleep') {
			const index = lock.waiters.findIndex(w => w.task === task);
			lock.waiters.splice(index, 1);
		}
		this.finishPending(task, 'interrupted', wakeups);
		if (lock.kind === 'rwsem' || lock.kind === 'mutex' || lock.kind === 'ww_mutex') {
			this.grantWaiters(lock, wakeups);
		}
		this.sanityCheck(lock);
		return wakeups;
	}

	/**
	 * The task exits. A pending operation is abandoned (the task leaves any queue; others may get
	 * through). Locks it still holds stay held, as in Linux: their waiters hang. Returns those locks.
	 */
	taskExit(task: TaskId): { readonly held: readonly LockObject[]; readonly wakeups: readonly Wakeup[] } {
		const wakeups: Wakeup[] = [];
		const pending = this.pending.get(task);
		if (pending !== undefined) {
			this.pending.delete(task);
			const lock = this.lock(pending.lock);
			const list = pending.op === 'spin' ? lock.spinners : lock.waiters;
			const index = list.findIndex(w => w.task === task);
			if (index >= 0 && lock.kind !== 'waitqueue') {
				list.splice(index, 1);
			}
			if (lock.kind === 'rwsem' || lock.kind === 'mutex' || lock.kind === 'ww_mutex') {
				this.grantWaiters(lock, wakeups);
			}
			this.sanityCheck(lock);
		}
		this.armed.delete(task);
		for (const queue of this.locks.values()) {
			if (queue.kind === 'waitqueue' && queue.waiters.some(w => w.task === task)) {
				queue.waiters = queue.waiters.filter(w => w.task !== task);
				this.setState(queue, queue.waiters.length > 0 ? 'waited' : 'idle');
			}
		}
		this.exited.add(task);
		return { held: this.locksHeldBy(task), wakeups };
	}

	// ---- State machine checks ----

	/** Changes the state, asserting the transition is in the kind's table. */
	private setState(lock: LockObject, to: LockState): void {
		const reason = transitionMaps.get(lock.kind)?.get(lock.state)?.get(to);
		if (reason === undefined) {
			throw new LockInvariantError(`${lock.kind} ${lock.name}: no transition from ${lock.state} to ${to}`);
		}
		lock.state = to;
		lock.lastTransition = reason;
	}

	/** Asserts the per-state invariants listed on `LockObject`. */
	sanityCheck(lock: LockObject): void {
		const spinning = lock.kind === 'spinlock' || lock.kind === 'rwlock';
		if (!spinning && lock.spinners.length > 0) {
			insane(lock, 'a sleeping lock has spinners');
		}
		if (spinning && lock.waiters.length > 0) {
			insane(lock, 'a spinning lock has sleeping waiters');
		}
		switch (lock.state) {
			case 'unlocked':
				if (lock.owner !== null || lock.readers.length > 0) {
					insane(lock, 'unlocked but held');
				}
				if (lock.waiters.length > 0) {
					insane(lock, 'unlocked with sleeping waiters (release must hand over)');
				}
				break;
			case 'locked':
			case 'write-locked':
				if (lock.owner === null || lock.readers.length > 0) {
					insane(lock, 'needs exactly one owner and no reader');
				}
				break;
			case 'read-locked':
				if (lock.owner !== null || lock.readers.length === 0 || lock.readers.some(r => r.count < 1)) {
					insane(lock, 'needs readers and no owner');
				}
				if (lock.kind === 'rwsem' && lock.waiters.length > 0 && lock.waiters[0].mode === 'shared') {
					insane(lock, 'a reader waits at the head of a read-locked rwsem');
				}
				break;
			case 'pending':
				if (lock.done !== 0) {
					insane(lock, 'pending with a nonzero done count');
				}
				break;
			case 'done':
				if (lock.done === 0 || lock.waiters.length > 0) {
					insane(lock, 'done needs a count and no waiter');
				}
				break;
			case 'idle':
				if (lock.waiters.length > 0) {
					insane(lock, 'idle with waiters');
				}
				break;
			case 'waited':
				if (lock.waiters.length === 0) {
					insane(lock, 'waited without waiters');
				}
				break;
		}
		if (lock.holderCtx !== null && (lock.state !== 'locked' || !this.contexts.has(lock.holderCtx))) {
			insane(lock, 'a holder acquire context without a holder');
		}
		for (const waiter of lock.waiters) {
			const pending = this.pending.get(waiter.task);
			const asleep = pending !== undefined && pending.lock === lock.id && pending.outcome === 'waiting';
			if (lock.kind !== 'waitqueue' && !asleep) {
				insane(lock, `waiter ${waiter.task} has no matching pending operation`);
			}
		}
	}

	// ---- Reports ----

	private holdersOf(lock: LockObject): LockMisuseReport['holders'] {
		const holders: { task: TaskRef; mode: LockMode; site: LockSite }[] = [];
		if (lock.owner !== null) {
			holders.push({ task: this.task(lock.owner), mode: 'exclusive', site: lock.ownerSite as LockSite });
		}
		for (const reader of lock.readers) {
			holders.push({ task: this.task(reader.task), mode: 'shared', site: reader.site });
		}
		return holders;
	}

	private reportUnlocked(task: TaskId, lock: LockObject, site: LockSite): void {
		if (lock.lastRelease !== null && lock.lastRelease.task === task) {
			this.report(task, lock, site, 'double-unlock', 'DEBUG_LOCKS_WARN_ON(!locked): released twice');
		} else {
			this.report(task, lock, site, 'not-locked', 'DEBUG_LOCKS_WARN_ON(!locked): released but not held');
		}
	}

	/** Reports misuse of an acquire context; `lock` is the ww_mutex involved, if any. */
	private reportContext(task: TaskId, ctx: WwAcquireContext, site: LockSite, warning: string, lock?: LockObject): void {
		if (lock !== undefined) {
			this.report(task, lock, site, 'ww-context', warning);
			return;
		}
		const ctxRef: LockRef = { id: ctx.id, name: `ww_acquire_ctx#${ctx.id}`, className: `${ctx.wwClass}_acquire`, kind: 'ww_acquire_ctx' };
		this.emit(task, ctxRef, site, 'ww-context', warning, [{ task: this.task(ctx.task), mode: 'exclusive', site: ctx.site }], null);
	}

	private report(task: TaskId, lock: LockObject, site: LockSite, problem: MisuseProblem, warning: string): void {
		const lockRef: LockRef = { id: lock.id, name: lock.name, className: lock.className, kind: lock.kind };
		const lastRelease = lock.lastRelease === null ? null : { task: this.task(lock.lastRelease.task), site: lock.lastRelease.site };
		this.emit(task, lockRef, site, problem, warning, this.holdersOf(lock), lastRelease);
	}

	private emit(
		task: TaskId, lockRef: LockRef, site: LockSite, problem: MisuseProblem, warning: string,
		holders: LockMisuseReport['holders'], lastRelease: LockMisuseReport['lastRelease'],
	): void {
		const taskRef = this.task(task);
		const title = misuseTitles[problem];
		const verb = problem === 'destroy-held' ? 'free' : problem === 'ww-context' ? 'use' : 'release';
		const lines = [
			banner(`WARNING: ${title}`),
			`${formatTask(taskRef)} is trying to ${verb} lock:`,
			` ${formatLock(lockRef)}, at: ${formatSite(site)}`,
			warning,
		];
		if (holders.length > 0) {
			lines.push(problem === 'ww-context' ? 'the acquire context belongs to:' : 'but the lock is held by:');
			for (const holder of holders) {
				lines.push(` ${formatTask(holder.task)}${holder.mode === 'shared' ? ' [read]' : ''}, at: ${formatSite(holder.site)}`);
			}
		} else {
			lines.push('but there are no more locks to release!');
		}
		if (lastRelease !== null) {
			lines.push(`last released by ${formatTask(lastRelease.task)}, at: ${formatSite(lastRelease.site)}`);
		}
		const report: LockMisuseReport = {
			kind: 'lock-misuse', severity: 'warning', title, problem, task: taskRef, site, time: this.clock(),
			lock: lockRef, warning, holders, lastRelease, text: lines.join('\n'),
		};
		if (this.onReport !== undefined) {
			this.onReport(report);
		} else {
			this.queuedReports.push(report);
		}
	}

	// ---- Snapshots ----

	/** The whole table as JSON-safe data (deep copy). */
	snapshot(): LockTableState {
		return cloneData({
			nextId: this.nextId,
			locks: [...this.locks.values()],
			contexts: [...this.contexts.values()],
			pending: [...this.pending.values()],
			tasks: [...this.tasks.values()],
			armed: [...this.armed.values()],
			wwClasses: [...this.wwClasses].map(([name, entry]) => ({ name, algorithm: entry.algorithm, nextStamp: entry.nextStamp })),
			exited: [...this.exited],
		});
	}

	/** Replaces this table's state with a snapshot (deep copy; queued reports are dropped). */
	restore(state: LockTableState): void {
		const copy = cloneData(state);
		this.nextId = copy.nextId;
		this.locks.clear();
		this.byAddress.clear();
		for (const lock of copy.locks) {
			this.locks.set(lock.id, lock);
			if (lock.address !== null) {
				this.byAddress.set(lock.address, lock.id);
			}
		}
		this.contexts.clear();
		for (const ctx of copy.contexts) {
			this.contexts.set(ctx.id, ctx);
		}
		this.pending.clear();
		for (const pending of copy.pending) {
			this.pending.set(pending.task, pending);
		}
		this.tasks.clear();
		for (const task of copy.tasks) {
			this.tasks.set(task.id, task);
		}
		this.armed.clear();
		for (const entry of copy.armed) {
			this.armed.set(entry.task, entry);
		}
		this.wwClasses.clear();
		for (const entry of copy.wwClasses) {
			this.wwClasses.set(entry.name, { algorithm: entry.algorithm, nextStamp: entry.nextStamp });
		}
		this.exited.clear();
		for (const task of copy.exited) {
			this.exited.add(task);
		}
		this.queuedReports.length = 0;
	}
}
