// Actual deadlock detection on the wait-for graph (layer: kernel). Lockdep (lockdep.ts) reports a
// *possible* deadlock: a lock order that could deadlock under some interleaving. This module
// reports a deadlock that *has happened*: a cycle of tasks, each blocked on (or spinning for) a
// lock that the next one holds, so none of them can ever run again. It reads the lock table and
// never changes it.
//
// Who a waiter waits for (its blockers):
// - every holder of the lock incompatible with the waiter's mode: the owner, or each reader of a
//   read-held rwsem (readers count as owners: a writer needs all of them gone);
// - every waiter queued ahead of it with an incompatible mode, because sleeping locks are handed
//   over in queue order (a reader queued behind a writer waits for that writer: this is how a
//   recursive `down_read` deadlocks against a queued `down_write`).
// Waits on completions and wait queues have no owner; they show up in `analyzeStall` only.

import type { LockObject, LockTable, PendingOperation } from './locks';
import {
	banner, formatLock, formatSite, formatTask,
	type LockMode, type LockRef, type LockSite, type ReportBase, type TaskId, type TaskRef,
} from './types';

/** One edge of the wait-for graph: `waiter` cannot proceed until `blocker` releases or gets through. */
export interface WaitForEdge {
	readonly waiter: TaskRef;
	readonly lock: LockRef;
	/** The mode the waiter asked for. */
	readonly mode: LockMode;
	/** Where the waiter is waiting (the call that blocked or spins). */
	readonly waitSite: LockSite;
	/** Whether it sleeps or spins. */
	readonly how: 'sleeps' | 'spins';
	readonly blocker: TaskRef;
	/** `owner`: holds it exclusively; `reader`: one of its readers; `queued-ahead`: waits ahead of it in the queue. */
	readonly reason: 'owner' | 'reader' | 'queued-ahead';
	readonly blockerMode: LockMode;
	/** Where the blocker acquired the lock, or where it queued for it. */
	readonly blockerSite: LockSite;
}

/** A cycle of waits: each link's blocker is the next link's waiter, and the last blocks the first. */
export interface DeadlockReport extends ReportBase {
	readonly kind: 'deadlock';
	readonly cycle: readonly WaitForEdge[];
	/** The tasks of the cycle, in cycle order. */
	readonly tasks: readonly TaskRef[];
	/** The locks of the cycle, in cycle order. */
	readonly locks: readonly LockRef[];
}

/** Why one blocked task is stuck, for stall analysis. */
export interface StuckTask {
	readonly task: TaskRef;
	readonly lock: LockRef;
	readonly waitSite: LockSite;
	/** `deadlock`: on a cycle; `exited-holder`: (transitively) waits for a lock held by an exited task;
	 * `no-owner`: waits on a completion or wait queue nobody is bound to signal; `blocked-behind`: waits
	 * for other stuck tasks. */
	readonly cause: 'deadlock' | 'exited-holder' | 'no-owner' | 'blocked-behind';
	readonly blockers: readonly WaitForEdge[];
}

function incompatible(held: LockMode, wanted: LockMode, lock: LockObject): boolean {
	if (held === 'shared' && wanted === 'shared') {
		return false;
	}
	return lock.kind !== 'completion' && lock.kind !== 'waitqueue';
}

/** The wait-for edges out of `task` (none if it is not waiting on a lock with holders). */
export function waitForEdges(table: LockTable, task: TaskId): WaitForEdge[] {
	const pending = table.pendingOf(task);
	if (pending === undefined || pending.outcome !== 'waiting') {
		return [];
	}
	const lock = table.lock(pending.lock);
	if (lock.kind === 'completion' || lock.kind === 'waitqueue') {
		return [];
	}
	const waiter = table.task(task);
	const lockRef = table.lockRef(lock.id);
	const how = pending.op === 'spin' ? 'spins' : 'sleeps';
	const edges: WaitForEdge[] = [];
	const edge = (blocker: TaskId, reason: WaitForEdge['reason'], blockerMode: LockMode, blockerSite: LockSite): void => {
		edges.push({ waiter, lock: lockRef, mode: pending.mode, waitSite: pending.site, how, blocker: table.task(blocker), reason, blockerMode, blockerSite });
	};
	if (lock.owner !== null) {
		edge(lock.owner, 'owner', 'exclusive', lock.ownerSite as LockSite);
	}
	if (pending.mode === 'exclusive') {
		for (const reader of lock.readers) {
			edge(reader.task, 'reader', 'shared', reader.site);
		}
	}
	for (const ahead of lock.waiters) {
		if (ahead.task === task) {
			break;
		}
		if (incompatible(ahead.mode, pending.mode, lock)) {
			edge(ahead.task, 'queued-ahead', ahead.mode, ahead.site);
		}
	}
	return edges;
}

/**
 * Looks for a cycle of waits through `task` (call it when `task` has just blocked or started to
 * spin: only its new edges can have closed a cycle). Depth-first, in a deterministic order.
 */
export function findDeadlock(table: LockTable, task: TaskId, time = 0): DeadlockReport | null {
	const path: WaitForEdge[] = [];
	const visited = new Set<TaskId>();
	const search = (current: TaskId): boolean => {
		visited.add(current);
		for (const edge of waitForEdges(table, current)) {
			path.push(edge);
			if (edge.blocker.id === task) {
				return true;
			}
			if (!visited.has(edge.blocker.id) && search(edge.blocker.id)) {
				return true;
			}
			path.pop();
		}
		return false;
	};
	if (!search(task)) {
		return null;
	}
	return deadlockReport(path, time);
}

/** Every distinct cycle in the wait-for graph, one report each, by the first task in pending order. */
export function findDeadlocks(table: LockTable, time = 0): DeadlockReport[] {
	const reports: DeadlockReport[] = [];
	const covered = new Set<TaskId>();
	for (const pending of table.allPending()) {
		if (covered.has(pending.task)) {
			continue;
		}
		const report = findDeadlock(table, pending.task, time);
		if (report !== null) {
			for (const task of report.tasks) {
				covered.add(task.id);
			}
			reports.push(report);
		}
	}
	return reports;
}

/** A stable key for a cycle (its tasks and locks, independent of where it was entered). */
export function deadlockKey(report: DeadlockReport): string {
	const parts = report.cycle.map(edge => `${edge.waiter.id}>${edge.lock.id}>${edge.blocker.id}`);
	return parts.sort().join('|');
}

function deadlockReport(cycle: readonly WaitForEdge[], time: number): DeadlockReport {
	const first = cycle[0];
	const title = 'deadlock detected';
	const lines = [banner(`BUG: ${title}: ${cycle.length} task${cycle.length === 1 ? '' : 's'} wait for each other`)];
	for (const edge of cycle) {
		const mode = edge.mode === 'shared' ? ' [read]' : '';
		const heldMode = edge.blockerMode === 'shared' ? ' [read]' : '';
		lines.push(`${formatTask(edge.waiter)} ${edge.how} waiting for ${formatLock(edge.lock)}${mode}, at: ${formatSite(edge.waitSite)}`);
		if (edge.reason === 'queued-ahead') {
			lines.push(`  behind ${formatTask(edge.blocker)}${heldMode}, queued at: ${formatSite(edge.blockerSite)}`);
		} else {
			lines.push(`  held by ${formatTask(edge.blocker)}${heldMode}, acquired at: ${formatSite(edge.blockerSite)}`);
		}
	}
	lines.push('', ' *** DEADLOCK ***');
	return {
		kind: 'deadlock', severity: 'bug', title, task: first.waiter, site: first.waitSite, time,
		cycle, tasks: cycle.map(edge => edge.waiter), locks: cycle.map(edge => edge.lock), text: lines.join('\n'),
	};
}

/**
 * Explains every blocked task (call it when no task can run): on a deadlock cycle, waiting
 * (perhaps through others) for a lock an exited task still holds, waiting on a completion or wait
 * queue, or blocked behind such tasks. Spinning tasks are included (they never stop on their own).
 */
export function analyzeStall(table: LockTable): StuckTask[] {
	const onCycle = new Set<TaskId>();
	for (const report of findDeadlocks(table)) {
		for (const task of report.tasks) {
			onCycle.add(task.id);
		}
	}
	const stuck: StuckTask[] = [];
	const reachesExited = (start: TaskId): boolean => {
		const seen = new Set<TaskId>([start]);
		const queue = [start];
		for (let head = 0; head < queue.length; head++) {
			for (const edge of waitForEdges(table, queue[head])) {
				if (table.hasExited(edge.blocker.id)) {
					return true;
				}
				if (!seen.has(edge.blocker.id)) {
					seen.add(edge.blocker.id);
					queue.push(edge.blocker.id);
				}
			}
		}
		return false;
	};
	const causeOf = (pending: PendingOperation, lock: LockObject): StuckTask['cause'] => {
		if (onCycle.has(pending.task)) {
			return 'deadlock';
		}
		if (lock.kind === 'completion' || lock.kind === 'waitqueue') {
			return 'no-owner';
		}
		return reachesExited(pending.task) ? 'exited-holder' : 'blocked-behind';
	};
	for (const pending of table.allPending()) {
		if (pending.outcome !== 'waiting') {
			continue;
		}
		const lock = table.lock(pending.lock);
		stuck.push({
			task: table.task(pending.task),
			lock: table.lockRef(lock.id),
			waitSite: pending.site,
			cause: causeOf(pending, lock),
			blockers: waitForEdges(table, pending.task),
		});
	}
	return stuck;
}
