// Vocabulary shared by the lock layer (layer: kernel): source sites, task and lock references,
// lock kinds and modes, the transition-table type and the error for broken simulator invariants.
// Everything here is plain data so lock state can be snapshotted and shown in views.

/**
 * Where a lock operation happened in KC source: the caller passes the location of the statement
 * that called the primitive (for example `mutex_lock(&bo->mutex)` in `drm_vm.c`). Opaque to the
 * lock layer except for rendering; it is copied into every report.
 */
export interface LockSite {
	readonly file: string;
	/** 1-based line. */
	readonly line: number;
	/** 1-based column. */
	readonly col: number;
	/** The enclosing KC function, or '' when unknown. */
	readonly fn: string;
}

/** A task's stable id as the simulator assigns it (unique for the life of a machine). */
export type TaskId = string;

/** Id of a lock object (or of a ww acquire context, which shares the numbering). */
export type LockId = number;

/** A task as reports name it: lockdep prints `name/id`, like `comm/pid`. */
export interface TaskRef {
	readonly id: TaskId;
	/** The task's command name (`comm`), which need not be unique. */
	readonly name: string;
}

/**
 * The kinds of synchronization object the lock layer models.
 * - `spinlock`: `spinlock_t` (also the page-table lock); busy-waits, never sleeps.
 * - `rwlock`: `rwlock_t` as in 2.6: spinning, readers always enter while readers hold it, recursive reads allowed.
 * - `mutex`: `struct mutex`; sleeps; one owner; FIFO hand-off to waiters.
 * - `rwsem`: `struct rw_semaphore` (`mmap_lock`, `i_mmap_rwsem`); sleeps; fair: a queued writer blocks new readers.
 * - `ww_mutex`: wound/wait mutex (`dma_resv`) with acquire contexts.
 * - `completion`: `struct completion`.
 * - `waitqueue`: `wait_queue_head_t`.
 */
export type LockKind = 'spinlock' | 'rwlock' | 'mutex' | 'rwsem' | 'ww_mutex' | 'completion' | 'waitqueue';

/** What lockdep tracks besides lock objects: the pseudo-lock of a ww acquire context. */
export type LockRefKind = LockKind | 'ww_acquire_ctx';

/** Exclusive (lock, write) or shared (read) acquisition. */
export type LockMode = 'exclusive' | 'shared';

/** How a sleeping wait reacts to signals: `mutex_lock`, `mutex_lock_interruptible`, `mutex_lock_killable`. */
export type WaitKind = 'uninterruptible' | 'interruptible' | 'killable';

/** A lock as reports name it. */
export interface LockRef {
	readonly id: LockId;
	/** The instance, for example `mm#2->mmap_lock` or the KC expression and address. */
	readonly name: string;
	/** The lockdep class (all `mm->mmap_lock` instances share `&mm->mmap_lock`). */
	readonly className: string;
	readonly kind: LockRefKind;
}

/** Legal state changes with the reason each one happens (style-anchors rule 4). */
export type Transitions<S extends string> = { readonly [From in S]?: { readonly [To in S]?: string } };

/**
 * Thrown when the lock layer's own invariants break or when its caller (the CPU or scheduler)
 * breaks the API contract (an unknown lock id, a new acquisition while a task is asleep). Never
 * thrown for anything a KC program does: program misuse becomes a report instead.
 */
export class LockInvariantError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'LockInvariantError';
	}
}

/** True for the kinds whose waiters sleep (and which must not be taken in atomic context). */
export function isSleepingKind(kind: LockRefKind): boolean {
	return kind !== 'spinlock' && kind !== 'rwlock';
}

/** `drm_vm.c:88:3 drm_bo_vm_nopage()`, the way reports print a site. */
export function formatSite(site: LockSite): string {
	const where = `${site.file}:${site.line}:${site.col}`;
	return site.fn === '' ? where : `${where} ${site.fn}()`;
}

/** `A/1`, lockdep's `comm/pid`; just the name when the id is the name. */
export function formatTask(task: TaskRef): string {
	return task.name === task.id ? task.name : `${task.name}/${task.id}`;
}

/** `mm#1->mmap_lock (&mm->mmap_lock)`; just one of them when they are equal. */
export function formatLock(lock: LockRef): string {
	return lock.name === lock.className ? `(${lock.className})` : `${lock.name} (${lock.className})`;
}

/** Common fields of every report the lock layer produces. */
export interface ReportBase {
	/** `warning` for lockdep splats and DEBUG_LOCKS_WARN_ON, `bug` for BUGs and actual deadlocks. */
	readonly severity: 'warning' | 'bug';
	/** The headline, as the kernel prints it (`possible circular locking dependency detected`). */
	readonly title: string;
	/** The task whose operation triggered the report. */
	readonly task: TaskRef;
	/** Where that operation was. */
	readonly site: LockSite;
	/** Simulated time of the report. */
	readonly time: number;
	/** The kernel-log rendering. */
	readonly text: string;
}

/** The separator lines lockdep draws around a headline. */
export function banner(headline: string, character = '='): string {
	const rule = character.repeat(Math.max(headline.length, 20));
	return `${rule}\n${headline}\n${'-'.repeat(rule.length)}`;
}
