// A minimal one-CPU machine for lock tests (test helper, layer: kernel): tasks are lists of lock
// statements with KC-like sites, run by a SchedulingPolicy through `Slice`, with every lock
// operation going through LockSystem the way the CPU's builtins will (a blocked statement is
// repeated when its task is woken). It shows the intended use of both APIs.

import { LockSystem, type LockReport } from '../../../../src/kernel/locks/lockSystem';
import type { LockId, LockMode, LockSite, TaskId } from '../../../../src/kernel/locks/types';
import { Slice, type SchedulingPolicy, type SliceEnd } from '../../../../src/kernel/sched/policy';

/** One statement of a task. */
export type Op =
	| { readonly do: 'lock'; readonly lock: string; readonly mode?: LockMode; readonly trylock?: boolean; readonly subclass?: number; readonly site: LockSite }
	| { readonly do: 'unlock'; readonly lock: string; readonly mode?: LockMode; readonly site: LockSite }
	| { readonly do: 'work'; readonly site: LockSite };

interface TaskState {
	readonly id: TaskId;
	readonly program: readonly Op[];
	pc: number;
	/** Suspended inside the current statement (blocked or spinning): resume it, it is no boundary. */
	resuming: boolean;
	blocked: boolean;
	exited: boolean;
}

/** What a run did. */
export interface RunResult {
	/** One line per statement executed or attempted: `A drm_vm.c:130 lock bo -> blocked`. */
	readonly trace: readonly string[];
	readonly reports: readonly LockReport[];
	/** True when tasks remain but none can run. */
	readonly stalled: boolean;
	readonly exited: readonly TaskId[];
}

export function site(file: string, line: number, fn: string): LockSite {
	return { file, line, col: 2, fn };
}

/** Runs `programs` (task id -> statements) under `policy` until every task exited or none can run. */
export function runTasks(
	locks: LockSystem,
	lockIds: Readonly<Record<string, LockId>>,
	programs: Readonly<Record<TaskId, readonly Op[]>>,
	policy: SchedulingPolicy,
	maxStatements = 10_000,
): RunResult {
	const tasks: TaskState[] = Object.entries(programs).map(([id, program]) => ({ id, program, pc: 0, resuming: false, blocked: false, exited: false }));
	const trace: string[] = [];
	let now = 0;
	let current: TaskId | null = null;
	const wake = (wakeups: readonly { task: TaskId }[]): void => {
		for (const wakeup of wakeups) {
			const task = tasks.find(t => t.id === wakeup.task);
			if (task !== undefined) {
				task.blocked = false;
			}
		}
	};
	while (now < maxStatements) {
		const runnable = tasks.filter(t => !t.blocked && !t.exited).map(t => t.id);
		const decision = policy.pick(runnable, current !== null && runnable.includes(current) ? current : null, 0, now);
		if (decision === null) {
			break;
		}
		const task = tasks.find(t => t.id === decision.task) as TaskState;
		const slice = new Slice(decision, 0);
		let end: SliceEnd | null = null;
		while (end === null) {
			if (task.pc >= task.program.length) {
				task.exited = true;
				wake(locks.taskExit(task.id, site('exit.c', 1, 'do_exit')));
				end = 'exited';
				break;
			}
			const op = task.program[task.pc];
			if (!task.resuming) {
				const stop = slice.beforeStatement(op.site);
				if (stop !== null) {
					end = stop;
					break;
				}
			}
			const where = `${task.id} ${op.site.file}:${op.site.line}`;
			now++;
			if (op.do === 'work') {
				trace.push(`${where} work`);
			} else if (op.do === 'unlock') {
				wake(locks.release(task.id, lockIds[op.lock], op.site, op.mode ?? 'exclusive'));
				trace.push(`${where} unlock ${op.lock}`);
			} else {
				const result = locks.tryAcquire(task.id, lockIds[op.lock], op.mode ?? 'exclusive', op.site, { trylock: op.trylock, subclass: op.subclass });
				wake(result.wakeups);
				trace.push(`${where} lock ${op.lock} -> ${result.status}`);
				if (result.status === 'blocked') {
					task.resuming = true;
					task.blocked = true;
					end = 'blocked';
					break;
				}
				if (result.status === 'spin') {
					task.resuming = true;
					slice.afterStatement();
					continue;
				}
			}
			task.resuming = false;
			task.pc++;
			slice.afterStatement();
		}
		policy.account(slice.finish(end));
		current = task.id;
	}
	return {
		trace,
		reports: locks.takeReports(),
		stalled: tasks.some(t => !t.exited),
		exited: tasks.filter(t => t.exited).map(t => t.id),
	};
}
