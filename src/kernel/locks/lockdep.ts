// A lock-order validator in the spirit of Linux lockdep (layer: kernel). It reasons about lock
// classes, not instances: every acquisition made while other locks are held adds "held -> new"
// edges to one dependency graph for the whole machine, and an edge that closes a cycle is reported
// as a possible circular locking dependency, even if the runs that recorded the two orders never
// deadlocked. It also reports recursive locking of one class, sleeping in atomic context, and
// locks held at task exit or on return to user space. Reports are structured objects with a
// lockdep-style text rendering.
//
// Faithful to lockdep (kernel/locking/lockdep.c) where it matters here:
// - validation happens when an acquisition is attempted, before it blocks; trylocks are not
//   validated and add no dependency into the trylocked lock;
// - edges are added from the most recent held lock, and from the trylocked locks above it
//   (check_prevs_add stops after the first non-trylock entry; older ones are connected through it);
// - recursive reads (`rwlock_t` read side) never add edges, and may nest in another read of their
//   class; an `rw_semaphore` read is not recursive (a queued writer makes it deadlock);
// - `subclass` (`mutex_lock_nested`, `down_write_nested`) makes a distinct class `name/subclass`;
// - `nestLock` (`mutex_lock_nest_lock`, ww_mutexes under an acquire context) allows several
//   instances of one class under the nest lock without a report;
// - `prime` records known orders ahead of time, as `dma_resv_lockdep()` does at boot.
// One addition: subclass annotations hide inconsistent nesting of two *instances* of one class
// from Linux lockdep (B takes mm1 then mm2/1, C takes mm2 then mm1/1). Faultline keeps an instance
// order graph for such nested acquisitions and reports a cycle in it as `nesting-order`.

import {
	banner, formatLock, formatSite, formatTask, isSleepingKind,
	type LockId, type LockMode, type LockRef, type LockSite, type ReportBase, type TaskId, type TaskRef,
} from './types';

/** How a lock is being acquired, as lockdep sees it. */
export interface LockdepAcquire {
	readonly mode: LockMode;
	/** A trylock: not validated, cannot deadlock. */
	readonly trylock?: boolean;
	/** Nesting annotation; 0 is the plain class. */
	readonly subclass?: number;
	/** A held lock that serializes acquisitions of several instances of this class (ww acquire context, `mm_take_all_locks`). */
	readonly nestLock?: LockId | null;
}

/** One entry of a task's held-lock stack. */
export interface HeldLock {
	readonly lock: LockRef;
	/** `className`, or `className/subclass`. */
	readonly classKey: string;
	readonly mode: LockMode;
	/** A read of an `rwlock_t`: may recurse and adds no dependency. */
	readonly readRecursive: boolean;
	readonly trylock: boolean;
	readonly nestLock: LockId | null;
	/** Where it was acquired. */
	readonly site: LockSite;
	readonly since: number;
}

/** A lock as a report shows it: the instance, its class key, the mode and where it was taken. */
export interface LockUse {
	readonly lock: LockRef;
	readonly classKey: string;
	readonly mode: LockMode;
	readonly site: LockSite;
}

/**
 * "`to` was acquired while `from` was held": the first time this order was seen, with the task,
 * the instances and both sites. Primed edges come from `prime`, not from an execution.
 */
export interface DependencyEdge {
	/** Class key of the lock that was held. */
	readonly from: string;
	/** Class key of the lock that was acquired. */
	readonly to: string;
	readonly fromLock: LockRef;
	readonly toLock: LockRef;
	/** Where the held lock had been acquired. */
	readonly fromSite: LockSite;
	/** Where the new lock was acquired. */
	readonly toSite: LockSite;
	readonly task: TaskRef;
	readonly primed: boolean;
	readonly time: number;
}

/** Lockdep's report on taking a class the task already holds. */
export interface RecursiveLockingReport extends ReportBase {
	readonly kind: 'recursive-locking';
	readonly lock: LockRef;
	readonly acquiring: LockUse;
	readonly previous: LockUse;
	readonly held: readonly LockUse[];
}

/**
 * An acquisition that closes a cycle in the class dependency graph. `chain` is the existing
 * path from the new lock's class to the held lock's class, edge by edge (first seen).
 */
export interface CircularDependencyReport extends ReportBase {
	readonly kind: 'circular-dependency';
	readonly lock: LockRef;
	readonly acquiring: LockUse;
	readonly holding: LockUse;
	readonly chain: readonly DependencyEdge[];
	readonly held: readonly LockUse[];
}

/**
 * Faultline's addition: two instances of one class nested (with subclass annotations) in orders
 * that contradict each other. `chain` is the existing path of instance edges from the new
 * instance to the held one.
 */
export interface NestingOrderReport extends ReportBase {
	readonly kind: 'nesting-order';
	readonly lock: LockRef;
	readonly acquiring: LockUse;
	readonly holding: LockUse;
	readonly chain: readonly DependencyEdge[];
	readonly held: readonly LockUse[];
}

/** A sleeping operation in atomic context (spinlock held or preemption disabled). */
export interface SleepInAtomicReport extends ReportBase {
	readonly kind: 'sleep-in-atomic';
	/** What would sleep (`mutex_lock`, `down_read`, `wait_for_completion`, `kmalloc(GFP_KERNEL)`). */
	readonly what: string;
	/** The sleeping lock involved, if any. */
	readonly lock: LockRef | null;
	/** The preempt count at that point: spinning locks held plus explicit `preempt_disable`s. */
	readonly preemptCount: number;
	/** The spinning locks that make the context atomic. */
	readonly atomic: readonly LockUse[];
	readonly held: readonly LockUse[];
}

/** Locks still held when a task exits or returns to user space. */
export interface HeldLocksReport extends ReportBase {
	readonly kind: 'held-at-exit' | 'held-on-return-to-user';
	readonly held: readonly LockUse[];
}

/** Everything lockdep reports. */
export type LockdepReport = RecursiveLockingReport | CircularDependencyReport | NestingOrderReport | SleepInAtomicReport | HeldLocksReport;

/** Lockdep's state as JSON-safe data. */
export interface LockdepState {
	readonly held: readonly { readonly task: TaskId; readonly locks: readonly HeldLock[] }[];
	readonly edges: readonly DependencyEdge[];
	readonly instanceEdges: readonly DependencyEdge[];
	readonly preempt: readonly { readonly task: TaskId; readonly count: number }[];
	readonly reported: readonly string[];
}

/** Options of a validator. */
export interface LockdepOptions {
	/** Simulated time for report and edge times. Default: always 0. */
	readonly clock?: () => number;
}

/** The class key of an acquisition: lockdep names subclass n of class C `C/n`. */
export function classKeyOf(className: string, subclass = 0): string {
	return subclass === 0 ? className : `${className}/${subclass}`;
}

function edgeKey(from: string, to: string): string {
	return `${from}\u0000${to}`;
}

/** True when the graph whose successor sets are `successors` has the edge `from -> to`. */
function hasEdge(successors: ReadonlyMap<string, ReadonlySet<string>>, from: string, to: string): boolean {
	const targets = successors.get(from);
	return targets !== undefined && targets.has(to);
}

/** What `held` returns for a task holding nothing, and `validate` when it reports nothing (shared, never mutated). */
const NOTHING_HELD: readonly HeldLock[] = Object.freeze([]);
const NO_REPORTS: readonly LockdepReport[] = Object.freeze([]);

function useOf(held: HeldLock): LockUse {
	return { lock: held.lock, classKey: held.classKey, mode: held.mode, site: held.site };
}

function describeUse(use: LockUse): string {
	const key = use.classKey === use.lock.className ? formatLock(use.lock) : `${use.lock.name} (${use.classKey})`;
	return `${key}${use.mode === 'shared' ? ' [read]' : ''}, at: ${formatSite(use.site)}`;
}

function heldListing(task: TaskRef, held: readonly LockUse[]): string[] {
	if (held.length === 0) {
		return [`no locks held by ${formatTask(task)}.`];
	}
	const lines = [`${held.length} lock${held.length === 1 ? '' : 's'} held by ${formatTask(task)}:`];
	held.forEach((use, index) => lines.push(` #${index}: ${describeUse(use)}`));
	return lines;
}

/**
 * The validator. One per machine. Call `validate` when an acquisition is attempted (not on
 * retries), `acquired` when it succeeds, `released` on release; the lock layer's `LockSystem`
 * does this for every primitive.
 */
export class Lockdep {
	private readonly clock: () => number;
	private readonly heldLocks = new Map<TaskId, HeldLock[]>();
	private readonly edges = new Map<string, DependencyEdge>();
	private readonly forward = new Map<string, string[]>();
	/** The targets of each node's edges, for the hot "is this edge known" test (no key string built). */
	private readonly successors = new Map<string, Set<string>>();
	private readonly instanceEdges = new Map<string, DependencyEdge>();
	private readonly instanceForward = new Map<string, string[]>();
	private readonly instanceSuccessors = new Map<string, Set<string>>();
	private readonly preempt = new Map<TaskId, number>();
	/** Report deduplication keys (a cycle, a recursion, a site). */
	private readonly reported = new Set<string>();

	constructor(options: LockdepOptions = {}) {
		this.clock = options.clock ?? (() => 0);
	}

	/** The task's held locks, oldest first. */
	held(task: TaskId): readonly HeldLock[] {
		return this.heldLocks.get(task) ?? NOTHING_HELD;
	}

	/** Every recorded dependency, in the order first seen. */
	dependencies(): readonly DependencyEdge[] {
		return [...this.edges.values()];
	}

	/** Every recorded nested-instance order (see `NestingOrderReport`). */
	instanceDependencies(): readonly DependencyEdge[] {
		return [...this.instanceEdges.values()];
	}

	/** Spinning locks held plus explicit `preempt_disable` depth: nonzero means atomic context. */
	preemptCount(task: TaskId): number {
		const held = this.held(task);
		let spinning = 0;
		for (let i = 0; i < held.length; i++) if (!isSleepingKind(held[i].lock.kind)) spinning++;
		return spinning + (this.preempt.get(task) ?? 0);
	}

	/** `preempt_disable` (delta 1) and `preempt_enable` (delta -1), for atomic sections without a spinlock. */
	adjustPreempt(task: TaskId, delta: number): void {
		const count = Math.max(0, (this.preempt.get(task) ?? 0) + delta);
		if (count === 0) {
			this.preempt.delete(task);
		} else {
			this.preempt.set(task, count);
		}
	}

	/**
	 * Records the order `classes[0] -> classes[1] -> ...` as if seen, so that the first acquisition
	 * in the opposite order is reported even in a run that never took them in this order
	 * (`dma_resv_lockdep()` teaches lockdep `mmap_lock -> dma_resv` at boot this way).
	 */
	prime(task: TaskRef, classes: readonly string[], site: LockSite): void {
		for (let i = 0; i + 1 < classes.length; i++) {
			const from = classes[i];
			const to = classes[i + 1];
			if (!hasEdge(this.successors, from, to)) {
				const ref = (className: string): LockRef => ({ id: 0, name: className, className, kind: 'mutex' });
				this.addEdge(this.edges, this.forward, this.successors, {
					from, to, fromLock: ref(from), toLock: ref(to), fromSite: site, toSite: site, task, primed: true, time: this.clock(),
				});
			}
		}
	}

	/**
	 * Validates an acquisition `task` is attempting while holding its current locks: recursion,
	 * then new dependencies and the cycles they close, then nested-instance order. Returns the
	 * reports (each problem is reported once).
	 */
	validate(task: TaskRef, lock: LockRef, acquire: LockdepAcquire, site: LockSite): readonly LockdepReport[] {
		if (acquire.trylock === true) {
			return NO_REPORTS;
		}
		const held = this.held(task.id);
		if (held.length === 0) {
			// Nothing held: no recursion, no new dependency, no nesting (the common first lock).
			return NO_REPORTS;
		}
		const key = classKeyOf(lock.className, acquire.subclass ?? 0);
		const readRecursive = acquire.mode === 'shared' && lock.kind === 'rwlock';
		const nestLock = acquire.nestLock ?? null;
		const nestHeld = nestLock !== null && held.some(h => h.lock.id === nestLock);
		const acquiring: LockUse = { lock, classKey: key, mode: acquire.mode, site };
		const reports: LockdepReport[] = [];

		// check_deadlock: the same class already held.
		for (const previous of held) {
			if (previous.classKey !== key) {
				continue;
			}
			if (readRecursive && previous.mode === 'shared') {
				continue;
			}
			if (nestHeld) {
				return reports;
			}
			const report = this.recursiveReport(task, acquiring, useOf(previous), held, site);
			if (report !== null) {
				reports.push(report);
			}
			return reports;
		}

		// check_prevs_add: edges from the top held lock, and from trylocked locks above it.
		for (let i = held.length - 1; i >= 0; i--) {
			const previous = held[i];
			const storeEdge = !readRecursive && !previous.readRecursive;
			if (!hasEdge(this.successors, previous.classKey, key)) {
				const path = this.findPath(this.edges, this.forward, key, previous.classKey);
				if (path !== null) {
					const report = this.circularReport(task, acquiring, useOf(previous), path, held, site);
					if (report !== null) {
						reports.push(report);
					}
				}
				if (storeEdge) {
					this.addEdge(this.edges, this.forward, this.successors, {
						from: previous.classKey, to: key, fromLock: previous.lock, toLock: lock,
						fromSite: previous.site, toSite: site, task, primed: false, time: this.clock(),
					});
				}
			}
			if (!previous.trylock) {
				break;
			}
		}

		// Faultline's instance order check for annotated nesting within one class.
		if (!nestHeld) {
			for (const previous of held) {
				if (previous.lock.className !== lock.className || previous.lock.id === lock.id || previous.classKey === key) {
					continue;
				}
				const from = String(previous.lock.id);
				const to = String(lock.id);
				if (hasEdge(this.instanceSuccessors, from, to)) {
					continue;
				}
				const path = this.findPath(this.instanceEdges, this.instanceForward, to, from);
				if (path !== null) {
					const report = this.nestingReport(task, acquiring, useOf(previous), path, held, site);
					if (report !== null) {
						reports.push(report);
					}
				}
				this.addEdge(this.instanceEdges, this.instanceForward, this.instanceSuccessors, {
					from, to, fromLock: previous.lock, toLock: lock, fromSite: previous.site, toSite: site, task, primed: false, time: this.clock(),
				});
			}
		}
		return reports;
	}

	/** The acquisition succeeded: push it on the task's held stack. */
	acquired(task: TaskId, lock: LockRef, acquire: LockdepAcquire, site: LockSite): void {
		let held = this.heldLocks.get(task);
		if (held === undefined) {
			held = [];
			this.heldLocks.set(task, held);
		}
		held.push({
			lock,
			classKey: classKeyOf(lock.className, acquire.subclass ?? 0),
			mode: acquire.mode,
			readRecursive: acquire.mode === 'shared' && lock.kind === 'rwlock',
			trylock: acquire.trylock === true,
			nestLock: acquire.nestLock ?? null,
			site,
			since: this.clock(),
		});
	}

	/**
	 * The task released `lock`: removes its most recent entry (locks may be released in any order).
	 * Returns false when the task did not hold it (the lock table reports that misuse).
	 */
	released(task: TaskId, lock: LockId): boolean {
		const held = this.heldLocks.get(task);
		if (held === undefined) {
			return false;
		}
		for (let i = held.length - 1; i >= 0; i--) {
			if (held[i].lock.id === lock) {
				if (i === held.length - 1) {
					held.pop();
				} else {
					held.splice(i, 1);
				}
				if (held.length === 0) {
					this.heldLocks.delete(task);
				}
				return true;
			}
		}
		return false;
	}

	/** Changes the mode of a held entry (`downgrade_write`). */
	downgraded(task: TaskId, lock: LockId): void {
		const held = this.heldLocks.get(task) ?? [];
		const index = held.findIndex(h => h.lock.id === lock);
		if (index >= 0) {
			held[index] = { ...held[index], mode: 'shared', readRecursive: held[index].lock.kind === 'rwlock' };
		}
	}

	/**
	 * `might_sleep()`: reports `BUG: sleeping function called from invalid context` if the task is
	 * atomic (holds a spinning lock or disabled preemption). Once per site and task.
	 */
	mightSleep(task: TaskRef, site: LockSite, what: string, lock: LockRef | null = null): SleepInAtomicReport | null {
		const count = this.preemptCount(task.id);
		if (count === 0) {
			return null;
		}
		const key = `sleep\u0000${task.id}\u0000${site.file}:${site.line}:${site.col}`;
		if (this.reported.has(key)) {
			return null;
		}
		this.reported.add(key);
		const held = this.held(task.id).map(useOf);
		const atomic = this.held(task.id).filter(h => !isSleepingKind(h.lock.kind)).map(useOf);
		const title = 'sleeping function called from invalid context';
		const lines = [
			`BUG: ${title} at ${formatSite(site)}`,
			`in_atomic(): 1, irqs_disabled(): 0, non_block: 0, pid: ${task.id}, name: ${task.name}`,
			`preempt_count: ${count}, expected: 0`,
			`${what}${lock === null ? '' : ` on ${formatLock(lock)}`} may sleep`,
			...heldListing(task, held),
		];
		return { kind: 'sleep-in-atomic', severity: 'bug', title, task, site, time: this.clock(), what, lock, preemptCount: count, atomic, held, text: lines.join('\n') };
	}

	/**
	 * `debug_check_no_locks_held()` at exit, or `lockdep_sys_exit()` on return to user space:
	 * reports the locks the task still holds. At exit the task's stack is then forgotten.
	 */
	checkNoneHeld(task: TaskRef, site: LockSite, when: 'exit' | 'return-to-user'): HeldLocksReport | null {
		const held = this.held(task.id).map(useOf);
		if (when === 'exit') {
			this.heldLocks.delete(task.id);
			this.preempt.delete(task.id);
		}
		if (held.length === 0) {
			return null;
		}
		const kind = when === 'exit' ? 'held-at-exit' : 'held-on-return-to-user';
		const title = when === 'exit' ? 'task exited with locks held' : 'lock held when returning to user space!';
		const headline = when === 'exit' ? `WARNING: ${formatTask(task)} still has locks held!` : `WARNING: ${title}`;
		const lines = [banner(headline)];
		if (when === 'return-to-user') {
			lines.push(`${formatTask(task)} is leaving the kernel with locks still held!`);
		} else {
			lines.push(`${formatTask(task)} exited at ${formatSite(site)}`);
		}
		lines.push(...heldListing(task, held));
		return { kind, severity: 'warning', title, task, site, time: this.clock(), held, text: lines.join('\n') };
	}

	// ---- Graph ----

	private addEdge(edges: Map<string, DependencyEdge>, forward: Map<string, string[]>, successors: Map<string, Set<string>>, edge: DependencyEdge): void {
		edges.set(edgeKey(edge.from, edge.to), edge);
		let next = forward.get(edge.from);
		if (next === undefined) {
			next = [];
			forward.set(edge.from, next);
		}
		next.push(edge.to);
		let targets = successors.get(edge.from);
		if (targets === undefined) {
			targets = new Set();
			successors.set(edge.from, targets);
		}
		targets.add(edge.to);
	}

	/** Breadth-first search (shortest path, deterministic order) for `start ->...-> target`. */
	private findPath(edges: Map<string, DependencyEdge>, forward: Map<string, string[]>, start: string, target: string): DependencyEdge[] | null {
		if (start === target) {
			return null;
		}
		const cameFrom = new Map<string, string>();
		const queue = [start];
		const seen = new Set([start]);
		for (let head = 0; head < queue.length; head++) {
			const node = queue[head];
			for (const next of forward.get(node) ?? []) {
				if (seen.has(next)) {
					continue;
				}
				seen.add(next);
				cameFrom.set(next, node);
				if (next === target) {
					const path: DependencyEdge[] = [];
					for (let at = target; at !== start;) {
						const from = cameFrom.get(at) as string;
						path.unshift(edges.get(edgeKey(from, at)) as DependencyEdge);
						at = from;
					}
					return path;
				}
				queue.push(next);
			}
		}
		return null;
	}

	// ---- Reports ----

	private recursiveReport(task: TaskRef, acquiring: LockUse, previous: LockUse, heldLocks: readonly HeldLock[], site: LockSite): RecursiveLockingReport | null {
		const key = `recursive\u0000${task.id}\u0000${acquiring.classKey}\u0000${site.file}:${site.line}:${site.col}`;
		if (this.reported.has(key)) {
			return null;
		}
		this.reported.add(key);
		const held = heldLocks.map(useOf);
		const title = 'possible recursive locking detected';
		const lines = [
			banner(`WARNING: ${title}`),
			`${formatTask(task)} is trying to acquire lock:`,
			` ${describeUse(acquiring)}`,
			'',
			'but task is already holding lock:',
			` ${describeUse(previous)}`,
			'',
			'other info that might help us debug this:',
			' Possible unsafe locking scenario:',
			'',
			'       CPU0',
			'       ----',
			`  lock(${previous.classKey});`,
			`  lock(${acquiring.classKey});`,
			'',
			' *** DEADLOCK ***',
			'',
			' May be due to missing lock nesting notation',
			'',
			...heldListing(task, held),
		];
		return { kind: 'recursive-locking', severity: 'warning', title, task, site, time: this.clock(), lock: acquiring.lock, acquiring, previous, held, text: lines.join('\n') };
	}

	private circularReport(task: TaskRef, acquiring: LockUse, holding: LockUse, chain: DependencyEdge[], heldLocks: readonly HeldLock[], site: LockSite): CircularDependencyReport | null {
		const key = `cycle\u0000${[...new Set([acquiring.classKey, ...chain.map(e => e.to)])].sort().join('\u0000')}`;
		if (this.reported.has(key)) {
			return null;
		}
		this.reported.add(key);
		const held = heldLocks.map(useOf);
		const title = 'possible circular locking dependency detected';
		const lines = [
			banner(`WARNING: ${title}`, '='),
			`${formatTask(task)} is trying to acquire lock:`,
			` ${describeUse(acquiring)}`,
			'',
			'but task is already holding lock:',
			` ${describeUse(holding)}`,
			'',
			'which lock already depends on the new lock.',
			'',
			...this.chainLines(task, acquiring, holding, chain, (_lock, classKey) => `(${classKey})`),
			...this.scenarioLines(acquiring.classKey, holding.classKey, chain.map(e => e.from)),
			...heldListing(task, held),
		];
		return { kind: 'circular-dependency', severity: 'warning', title, task, site, time: this.clock(), lock: acquiring.lock, acquiring, holding, chain, held, text: lines.join('\n') };
	}

	private nestingReport(task: TaskRef, acquiring: LockUse, holding: LockUse, chain: DependencyEdge[], heldLocks: readonly HeldLock[], site: LockSite): NestingOrderReport | null {
		const key = `nesting\u0000${[...new Set([acquiring.lock.id, ...chain.map(e => e.toLock.id)])].sort((a, b) => a - b).join(',')}`;
		if (this.reported.has(key)) {
			return null;
		}
		this.reported.add(key);
		const held = heldLocks.map(useOf);
		const title = 'possible circular locking dependency detected';
		const lines = [
			banner(`WARNING: ${title}`, '='),
			`(between instances of ${acquiring.lock.className}; the nesting annotation hides this from Linux lockdep)`,
			`${formatTask(task)} is trying to acquire lock:`,
			` ${describeUse(acquiring)}`,
			'',
			'but task is already holding lock:',
			` ${describeUse(holding)}`,
			'',
			'which lock instance was already taken before the new one.',
			'',
			...this.chainLines(task, acquiring, holding, chain, lock => lock.name),
			...this.scenarioLines(acquiring.lock.name, holding.lock.name, chain.map(e => e.fromLock.name)),
			...heldListing(task, held),
		];
		return { kind: 'nesting-order', severity: 'warning', title, task, site, time: this.clock(), lock: acquiring.lock, acquiring, holding, chain, held, text: lines.join('\n') };
	}

	/** "the existing dependency chain (in reverse order)": #n is the held lock, #0 the new one. */
	private chainLines(task: TaskRef, acquiring: LockUse, holding: LockUse, chain: readonly DependencyEdge[], name: (lock: LockRef, classKey: string) => string): string[] {
		const lines = ['the existing dependency chain (in reverse order) is:', ''];
		for (let i = chain.length - 1; i >= 0; i--) {
			const edge = chain[i];
			lines.push(`-> #${i + 1} ${name(edge.toLock, edge.to)}:`);
			if (edge.primed) {
				lines.push(`       primed at boot by ${formatTask(edge.task)} at: ${formatSite(edge.toSite)}`);
			} else {
				lines.push(`       ${edge.toLock.name} acquired by ${formatTask(edge.task)} at: ${formatSite(edge.toSite)}`);
				lines.push(`       while holding ${edge.fromLock.name} (${edge.from}), acquired at: ${formatSite(edge.fromSite)}`);
			}
			lines.push('');
		}
		lines.push(`-> #0 ${name(acquiring.lock, acquiring.classKey)}:`);
		lines.push(`       ${acquiring.lock.name} being acquired by ${formatTask(task)} at: ${formatSite(acquiring.site)}`);
		lines.push(`       while holding ${holding.lock.name} (${holding.classKey}), acquired at: ${formatSite(holding.site)}`);
		lines.push('');
		return lines;
	}

	/** lockdep's two-CPU scenario; `path` lists the chain's nodes from the new lock to the held one (exclusive). */
	private scenarioLines(target: string, source: string, path: readonly string[]): string[] {
		const lines = ['other info that might help us debug this:', ''];
		const parent = path.length > 0 ? path[path.length - 1] : target;
		if (path.length > 1) {
			lines.push('Chain exists of:', `  ${[...path, source].join(' --> ')}`, '');
		}
		lines.push(
			' Possible unsafe locking scenario:',
			'',
			'       CPU0                    CPU1',
			'       ----                    ----',
			`  lock(${source});`,
			`                               lock(${parent});`,
			`                               lock(${source});`,
			`  lock(${target});`,
			'',
			' *** DEADLOCK ***',
			'',
		);
		return lines;
	}

	// ---- Snapshots ----

	/** Lockdep's state as JSON-safe data (deep copy). */
	snapshot(): LockdepState {
		return JSON.parse(JSON.stringify({
			held: [...this.heldLocks].map(([task, locks]) => ({ task, locks })),
			edges: [...this.edges.values()],
			instanceEdges: [...this.instanceEdges.values()],
			preempt: [...this.preempt].map(([task, count]) => ({ task, count })),
			reported: [...this.reported],
		})) as LockdepState;
	}

	/** Replaces the state with a snapshot (deep copy). */
	restore(state: LockdepState): void {
		const copy = JSON.parse(JSON.stringify(state)) as LockdepState;
		this.heldLocks.clear();
		for (const entry of copy.held) {
			this.heldLocks.set(entry.task, [...entry.locks]);
		}
		this.edges.clear();
		this.forward.clear();
		this.successors.clear();
		for (const edge of copy.edges) {
			this.addEdge(this.edges, this.forward, this.successors, edge);
		}
		this.instanceEdges.clear();
		this.instanceForward.clear();
		this.instanceSuccessors.clear();
		for (const edge of copy.instanceEdges) {
			this.addEdge(this.instanceEdges, this.instanceForward, this.instanceSuccessors, edge);
		}
		this.preempt.clear();
		for (const entry of copy.preempt) {
			this.preempt.set(entry.task, entry.count);
		}
		this.reported.clear();
		for (const key of copy.reported) {
			this.reported.add(key);
		}
	}
}
