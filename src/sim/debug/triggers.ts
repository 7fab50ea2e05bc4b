// Harness triggers under the debugger (layer: sim): which of a scenario's harness tasks are due, as
// `faultline run` decides it (run.ts, "Harness triggers"), in a form the engine can save with its
// checkpoints and count again during replays.
//
// A statement trigger fires at the hit-th time a task (the named one, or any) reaches one of the
// statements its marker names: the engine arms those statements while the trigger has not fired
// and reports each breakpoint there to `hit`. A step trigger fires once `step` statements have run
// since launch. An event trigger fires at the nth matching machine event (its kind, the process of
// the task it concerns, the address range). Counting is the same live and in replays (the state is
// part of every checkpoint), while firing is the engine's business: live it fires and logs an op; a
// replay applies the logged op instead (engine.ts, "Harness triggers").

import type { Program } from '../../interp/program';
import type { Task } from '../../kernel/proc/system';
import type { KernelEventKind } from '../scenario/types';
import type { LaunchedTrigger } from './launch';

/** What changes while a trigger waits: saved and restored with the engine's checkpoints. */
export interface TriggerState {
	readonly fired: boolean;
	readonly hits: number;
	readonly events: number;
}

/** The scenario process a task belongs to: its threads and children are named `p1.1`, `p1.2`... (as run.ts's rootOf). */
export function processOfTask(taskId: string): string {
	const dot = taskId.indexOf('.');
	return dot < 0 ? taskId : taskId.slice(0, dot);
}

/** The scenario's post-launch harness triggers and their counts. */
export class TriggerSet {
	readonly list: readonly LaunchedTrigger[];
	private state: { fired: boolean; hits: number; events: number }[];
	/** Trigger indexes by program and statement. */
	private readonly byStatement = new Map<Program, Map<number, number[]>>();

	constructor(list: readonly LaunchedTrigger[]) {
		this.list = list;
		this.state = list.map(() => ({ fired: false, hits: 0, events: 0 }));
		list.forEach((trigger, index) => {
			for (const { program, stmt } of trigger.stmts) {
				let table = this.byStatement.get(program);
				if (table === undefined) this.byStatement.set(program, table = new Map());
				const indexes = table.get(stmt) ?? [];
				indexes.push(index);
				table.set(stmt, indexes);
			}
		});
	}

	get size(): number {
		return this.list.length;
	}

	save(): readonly TriggerState[] {
		return this.state.map(s => ({ ...s }));
	}

	load(saved: readonly TriggerState[]): void {
		this.state = saved.map(s => ({ ...s }));
	}

	fired(index: number): boolean {
		return this.state[index].fired;
	}

	markFired(index: number): LaunchedTrigger {
		this.state[index].fired = true;
		return this.list[index];
	}

	/** Arms the statements of the statement triggers that have not fired. */
	arm(): void {
		this.list.forEach((trigger, index) => {
			if (this.state[index].fired) return;
			for (const { program, stmt } of trigger.stmts) program.breakpoints[stmt] = 1;
		});
	}

	/** True when `stmt` of `program` belongs to a statement trigger still waiting. */
	isTriggerStatement(program: Program, stmt: number): boolean {
		return (this.byStatement.get(program)?.get(stmt) ?? []).some(i => !this.state[i].fired);
	}

	/**
	 * `task` stands at a breakpoint at `stmt` of `program`: counts a hit for each waiting statement
	 * trigger there (of that task, when the trigger names one); returns the first trigger now due.
	 */
	hit(task: Task, program: Program, stmt: number): number | undefined {
		const indexes = this.byStatement.get(program)?.get(stmt);
		if (indexes === undefined) return undefined;
		let due: number | undefined;
		for (const index of indexes) {
			const state = this.state[index];
			const at = this.list[index].at;
			if (state.fired || at.kind !== 'statement') continue;
			if (at.task !== undefined && at.task !== task.id) continue;
			state.hits++;
			if (state.hits >= at.stmt.hit && due === undefined) due = index;
		}
		return due;
	}

	/** A machine event: counts it for each waiting event trigger it matches; returns the triggers now due. */
	event(kind: KernelEventKind, taskId: string | undefined, address: number | undefined): number[] {
		const due: number[] = [];
		this.list.forEach((trigger, index) => {
			const state = this.state[index];
			const at = trigger.at;
			if (state.fired || at.kind !== 'event' || at.event !== kind) return;
			if (at.process !== undefined && (taskId === undefined || processOfTask(taskId) !== at.process)) return;
			if (at.addressRange !== undefined && !(address !== undefined && address >= at.addressRange.start && address < at.addressRange.end)) return;
			state.events++;
			if (state.events === at.nth) due.push(index);
		});
		return due;
	}

	/** The earliest count at which a waiting step trigger fires, if any. */
	nextStep(): number | undefined {
		let next: number | undefined;
		this.list.forEach((trigger, index) => {
			if (this.state[index].fired || trigger.at.kind !== 'step') return;
			if (next === undefined || trigger.at.step < next) next = trigger.at.step;
		});
		return next;
	}

	/** A waiting step trigger due at `executed` statements, if any. */
	dueStep(executed: number): number | undefined {
		const index = this.list.findIndex((trigger, i) => !this.state[i].fired && trigger.at.kind === 'step' && trigger.at.step <= executed);
		return index < 0 ? undefined : index;
	}

	/** The trigger in words, for the console and the timeline. */
	describe(index: number): string {
		const at = this.list[index].at;
		switch (at.kind) {
			case 'statement': {
				const m = at.stmt;
				const where = m.point !== undefined ? `${m.file}:${m.point}` : m.fn !== undefined ? `${m.fn}()` : `${m.file ?? ''}${m.line === undefined ? '' : `:${m.line}`}`;
				return `statement ${where}${m.hit > 1 ? ` (hit ${m.hit})` : ''}${at.task === undefined ? '' : ` in ${at.task}`}`;
			}
			case 'step':
				return `step ${at.step}`;
			case 'event':
				return `event ${at.event}${at.process === undefined ? '' : ` of ${at.process}`}${at.nth > 1 ? ` #${at.nth}` : ''}`;
		}
	}
}
