// The process builtins of the KC kernel (layer: kernel): what <linux/sched/signal.h> declares for the
// machine's side of the process life cycle and of signal delivery. The process layer
// (src/kernel/proc/system.ts) supplies the hooks; a bare booted kernel has none: copy_thread fails
// with -ENOSYS, a dying task's thread ends with a trap, and signal notifications are dropped.

import type { Builtin, BuiltinAction, BuiltinContext } from '../../interp/contracts';
import { toAddress } from '../../interp/libc/memoryAccess';

/** What the process layer does for the process builtins. */
export interface ProcessHooks {
	/** `__kc_copy_thread(p, clone_flags, stack, tls)`: 0 or -errno. */
	copyThread(ctx: BuiltinContext, task: number, cloneFlags: number, stack: number, tls: number): number;
	/** `__kc_task_dead()`: the calling task's thread ends (the action that ends it). */
	taskDead(ctx: BuiltinContext): BuiltinAction;
	/** `__kc_set_sigpending(t, pending)`. */
	setSigpending(task: number, pending: boolean): void;
	/** `__kc_signal_deliver(handler, sig, info, uc)`: call the handler when the thread returns to user mode. */
	signalDeliver(ctx: BuiltinContext, handler: number, sig: number, info: number, uc: number): void;
	/** `__kc_kthread_thread(p, entry, arg)`: a CPU thread for kernel thread `p` starting at `entry(arg)`; 0 or -errno. */
	kthreadThread(ctx: BuiltinContext, task: number, entry: number, arg: number): number;
}

const ENOSYS = 38;

/** The process builtins by C name; `hooks()` is read on every call. */
export function procBuiltins(hooks: () => ProcessHooks | undefined): Map<string, Builtin> {
	const table = new Map<string, Builtin>();
	table.set('__kc_copy_thread', (ctx, args) => hooks()?.copyThread(ctx, toAddress(args[0]), Number(args[1]), toAddress(args[2]), toAddress(args[3])) ?? -ENOSYS);
	table.set('__kc_task_dead', ctx => hooks()?.taskDead(ctx) ?? { kind: 'trap', message: 'a task died on a machine without processes' });
	table.set('__kc_set_sigpending', (_ctx, args) => {
		hooks()?.setSigpending(toAddress(args[0]), Number(args[1]) !== 0);
		return undefined;
	});
	table.set('__kc_signal_deliver', (ctx, args) => {
		hooks()?.signalDeliver(ctx, toAddress(args[0]), Number(args[1]), toAddress(args[2]), toAddress(args[3]));
		return undefined;
	});
	table.set('__kc_kthread_thread', (ctx, args) => hooks()?.kthreadThread(ctx, toAddress(args[0]), toAddress(args[1]), toAddress(args[2])) ?? -ENOSYS);
	return table;
}
