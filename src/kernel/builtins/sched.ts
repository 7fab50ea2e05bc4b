// The scheduler's builtins (layer: kernel): `current` (__kc_get_current), schedule, yield and
// wake_up_process, as <linux/sched.h> declares them. The machine's process layer (src/kernel/proc)
// supplies the hooks; without one (a bare booted kernel, unit tests of KC code) every thread runs
// as init_task, schedule() returns at once for a running task and reports a hang for a sleeping
// one, and wake_up_process only sets the state.

import type { Builtin, BuiltinAction, BuiltinContext } from '../../interp/contracts';
import { toAddress } from '../../interp/libc/memoryAccess';
import type { Thread } from '../../interp/thread';

/** What the process layer provides to the scheduler builtins. */
export interface SchedulerHooks {
	/** The task_struct address of the task a thread runs, or undefined for init_task. */
	current(threadId: number): number | undefined;
	/**
	 * schedule() or yield() on `threadId`: undefined to return now, or an action (block: the CPU
	 * goes to another task and the builtin is called again when this one runs next).
	 */
	schedule(ctx: BuiltinContext, yieldOnly: boolean): BuiltinAction | undefined;
	/** wake_up_process(task): 1 when the task was asleep. The state store is done by the builtin. */
	wake(task: number): number;
	/** The machine's clock in jiffies (`jiffies`). */
	jiffies(): number;
	/** `__kc_timer_wake_at(task, expires)`: wake `task` once jiffies reach `expires` (0 cancels). */
	setTimer(task: number, expires: number): void;
}

/** Offset of task_struct.__state (the first member, see <linux/sched.h>). */
const STATE_OFFSET = 0;
const TASK_RUNNING = 0;

/** The init_task of the kernel program the calling thread runs (0 when none is linked). */
function initTask(ctx: BuiltinContext): number {
	const thread = (ctx as { readonly thread?: Thread }).thread;
	if (thread === undefined) return 0;
	for (const program of thread.code.programs) {
		if (program.privilege !== 'kernel') continue;
		const symbol = program.globals.get('init_task');
		if (symbol !== undefined) return symbol.address;
	}
	return 0;
}

/** The scheduler builtins by C name; `hooks()` is read on every call (the process layer may attach later). */
export function schedBuiltins(hooks: () => SchedulerHooks | undefined): Map<string, Builtin> {
	const table = new Map<string, Builtin>();
	table.set('__kc_get_current', ctx => hooks()?.current(ctx.threadId) ?? initTask(ctx));
	const schedule = (yieldOnly: boolean): Builtin => ctx => {
		const h = hooks();
		if (h !== undefined) return h.schedule(ctx, yieldOnly);
		if (yieldOnly) return undefined;
		const task = initTask(ctx);
		const state = task === 0 ? TASK_RUNNING : Number(ctx.mem.ld64s(task + STATE_OFFSET));
		if (ctx.mem.fault !== null) return { kind: 'fault' };
		if (state === TASK_RUNNING) return undefined;
		return { kind: 'trap', message: 'schedule() in a sleeping task with no other task to run' };
	};
	table.set('__kc_jiffies', () => hooks()?.jiffies() ?? 0);
	table.set('__kc_timer_wake_at', (_ctx, args) => {
		hooks()?.setTimer(toAddress(args[0]), Number(args[1]));
		return undefined;
	});
	table.set('schedule', schedule(false));
	table.set('yield', schedule(true));
	table.set('wake_up_process', (ctx, args) => {
		const task = toAddress(args[0]);
		const state = Number(ctx.mem.ld64s(task + STATE_OFFSET));
		if (ctx.mem.fault !== null) return { kind: 'fault' };
		ctx.mem.st64(task + STATE_OFFSET, TASK_RUNNING);
		if (ctx.mem.fault !== null) return { kind: 'fault' };
		const h = hooks();
		if (h !== undefined) return h.wake(task);
		return state === TASK_RUNNING ? 0 : 1;
	});
	return table;
}
