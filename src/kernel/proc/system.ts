// Processes on the booted machine (layer: kernel): the machine's side of tasks, the scheduler, system
// calls, traps and signal delivery. The KC kernel owns every task's data (task_struct, mm, files,
// signals: kc/kernel/kernel/*.c); this file owns what hardware and the core scheduler own: which
// CPU thread runs each task, on which CPU, when, and how control crosses between user and kernel.
//
// ## Tasks and CPU threads
// Each task_struct the kernel creates gets one KC CPU thread (thread id = pid), with the task's
// kernel stack (task->stack, THREAD_SIZE) and a user stack. The first process's thread starts in the
// libc's `__libc_start_main` (src/kernel/proc/exec.ts loads it); fork's child is a copy of the
// parent's user frames returning 0 from the system call; a clone'd thread starts in the libc's
// `__kc_clone_start(fn, arg)` on the stack the libc gave (copyThread below). Every thread has a
// 1 KiB thread area at the top of its user stack (`__kc_thread_area`: errno, then three signal
// frames of 256 bytes for nested handlers).
//
// ## Scheduling (SMP, statement granularity)
// A SchedulingPolicy (src/kernel/sched/policy.ts) picks which runnable task each CPU runs and for how
// many statements; the CPUs take turns, one slice each, so two CPUs interleave at slice granularity
// (an explicit schedule gives one interleaving exactly). A task is runnable unless it sleeps in
// schedule() (task->__state not TASK_RUNNING, until wake_up_process), waits for a sleeping lock
// (until the lock system hands it over), or has died. Switching a CPU to a task loads its mm's pgd
// into CR3 (the MMU flushes non-global TLB entries) and gives the thread that CPU's bus.
// Simulated time is the number of statements executed.
//
// ## Crossing into the kernel
// - System calls: the user builtin `__kc_syscall(nr, ...)` calls the kernel's KC do_syscall_64 on the
//   same thread (a `call` action: privilege switch onto the kernel stack). Its continuation runs the
//   return-to-user work: when the task has a signal pending (TIF_SIGPENDING, set by the kernel through
//   __kc_set_sigpending), KC exit_to_user_mode takes it and may ask for a user handler, which is then
//   called like a function; when it returns, KC signal_return restores the mask (rt_sigreturn) and
//   the system call's value reaches the caller.
// - Page faults: a `fault` stop in user mode injects KC do_page_fault(error_code, address); when it
//   returns the access re-executes, after the same return-to-user work (a SIGSEGV queued by the
//   fault handler is delivered there: default action kills the process, a handler runs first).
//   In kernel mode at a user address (copy_to_user...), the same handler runs; if it cannot fix the
//   page and the fault came from a uaccess builtin, the exception-table rule makes that call fail
//   (-EFAULT); any other kernel fault is an oops: the kernel log gets the report and the task dies
//   through make_task_dead.
// - Preemption: a task resumed in user mode with a signal pending first goes through
//   exit_to_user_mode, as after a timer interrupt.
//
// Invariant: every continuation here is a function of the task and of simulated memory only, so a
// saved machine resumes identically (thread.ts).

import type { SourceRange } from '../../lang/source';
import type { BuiltinAction, BuiltinContext, StopReason, Value } from '../../interp/contracts';
import { KernelLayout } from '../../interp/contracts';
import { createThread, injectCall, run } from '../../interp/cpu';
import { CodeSpace } from '../../interp/codeSpace';
import type { FunctionInfo, Program } from '../../interp/program';
import { Frame, Thread, type InjectionOutcome, type SavedThread, type ThreadHost } from '../../interp/thread';
import { toI32 } from '../../interp/values';
import type { BootedKernel } from '../boot';
import { bootStackTop, restoreKernel, snapshotKernel, type KernelSnapshot } from '../boot';
import { canonicalHex, isSpinning, SLEEP_REASON_PREFIX, type HostConsole } from '../builtins';
import type { CpuMemoryBus } from '../hw/cpuBus';
import { pageFaultErrorCode } from '../faults';
import { kernelFaultMessage } from '../oops';
import { createPolicy, restorePolicy, Slice, type PolicyConfig, type PolicyState, type SchedulingPolicy, type SliceEnd } from '../sched/policy';
import type { DeviceHost, DeviceModel } from '../devices/device';
import { KernelData } from './kernelData';

/** THREAD_SIZE: the kernel stack of a task. */
export const THREAD_SIZE = 16 * 1024;
/** Bytes of the thread area at the top of every user stack. */
export const THREAD_AREA_SIZE = 1024;
/** Offset of the first signal frame in the thread area, size of a frame, and how many nest. */
const SIGFRAME_BASE = 256;
const SIGFRAME_SIZE = 256;
const SIGFRAME_SLOTS = 3;
/** Consecutive faults at one address the handler claims to have fixed before the task is killed. */
const FAULT_RETRY_LIMIT = 8;
/** Statements of a synchronous kernel call (exec's loader steps) before it is reported as hung. */
const KERNEL_CALL_LIMIT = 50_000_000;
/** Simulated nanoseconds per jiffy (HZ = 1000, one statement = one nanosecond; <linux/jiffies.h>). */
export const NSEC_PER_JIFFY = 1_000_000;
/** The x86-64 user address limit (TASK_SIZE_MAX). */
const USER_LIMIT = 0x7fff_ffff_f000;

const SIGKILL = 9;
const SIGABRT = 6;
const CLONE_VM = 0x100;
const EINVAL = 22;

/** Lifecycle of a task as the scheduler sees it. */
export type TaskRunState = 'runnable' | 'sleeping' | 'lock' | 'dead';

/** One task (thread) of the simulated kernel. */
export class Task {
	/** Scheduling state (see the header). */
	state: TaskRunState = 'runnable';
	/** The CPU running it, or -1. */
	cpu = -1;
	/** Blocked in the schedule() builtin: the next call returns once the task is TASK_RUNNING. */
	inSchedule = false;
	/** Gave the CPU away in yield(): the next call returns at once. */
	yielded = false;
	/** TIF_SIGPENDING. */
	sigpending = false;
	/** Signal frames in use (nested handlers). */
	signalDepth = 0;
	/** The handler exit_to_user_mode asked for, until it is called. */
	pendingHandler: { readonly handler: number; readonly sig: number; readonly info: number; readonly uc: number; readonly frame: number } | undefined;
	/** The libc's clone start routine arguments, between __kc_clone and copy_thread. */
	pendingClone: { readonly fn: number; readonly arg: number; readonly stackTop: number } | undefined;
	/** Wait status when the task died (exit_code), for the machine's report. */
	exitCode: number | undefined;
	lastFaultAddress = -1;
	faultRepeats = 0;
	/** Tasks this one created (children and threads): the next one is named `<id>.<children>`. */
	children = 0;
	/** Restarted into make_task_dead or do_group_exit after an oops or UB: another failure abandons it. */
	dying = false;
	/** Stopped at a breakpoint that must not stop it again when it resumes (see System.resumeOverBreakpoint). */
	skipBreakpoint = false;
	/** A kernel thread (kthread_create): no user half; the machine is idle when only these sleep. */
	kernelThread = false;

	constructor(
		/** Address of the task_struct. */
		readonly address: number,
		readonly pid: number,
		readonly tgid: number,
		/** Lock-system task id (`String(pid)`). */
		readonly id: string,
		public name: string,
		public thread: Thread,
		/** Physical address of the task's top-level page table (its mm's pgd). */
		public cr3: number,
		/** Lowest address of the thread area (user memory). */
		readonly threadArea: number,
	) {}
}

/** What the process layer reports for traces and debuggers (all optional). */
export interface SystemEvents {
	/** A page fault entered the kernel (before the handler runs). */
	fault?(task: Task, address: number, errorCode: number, mode: 'user' | 'kernel'): void;
	/** CPU `cpu` switched from one task to another (null: idle). */
	contextSwitch?(cpu: number, from: Task | null, to: Task): void;
	/** A user signal handler is about to run. */
	signalHandler?(task: Task, sig: number): void;
	/** A task died; `status` is its wait status (signal number in the low 7 bits when killed). */
	exit?(task: Task, status: number): void;
	/** CPU `cpu` ended a slice of `task` (the machine is at a statement boundary on that CPU). */
	sliceEnd?(cpu: number, task: Task): void;
}

/** Options of a System. */
export interface SystemOptions {
	/** The policy (default: round robin with `quantum` statements per slice). */
	readonly policy?: PolicyConfig;
	readonly seed?: number;
	/** Statements per slice of the default round robin (default 1000). */
	readonly quantum?: number;
	/** The host side of the console device (stdin, stdout, stderr); `caller` is the writer's process id (tgid). */
	readonly console?: HostConsole;
	readonly events?: SystemEvents;
	/** Device models of the machine (their regions must already be in the machine). */
	readonly devices?: readonly DeviceModel[];
}

/** Why System.run returned. */
export type SystemStop =
	/** No task is left alive. */
	| { readonly kind: 'idle' }
	/** The statement budget ran out. */
	| { readonly kind: 'budget' }
	/** Tasks are alive but none can run (everyone sleeps: a lost wake-up or a deadlock). */
	| { readonly kind: 'stalled'; readonly tasks: readonly { readonly pid: number; readonly name: string; readonly where: string }[] }
	/** A task reached a breakpoint (the debugger's business). */
	| { readonly kind: 'breakpoint'; readonly task: Task; readonly stmt: number }
	/** requestPause() was called (by an event sink, a debugger): the machine stopped at the end of a slice. */
	| { readonly kind: 'paused' };

/** A whole system at a statement boundary of every CPU (see System.snapshot). */
export interface SystemSnapshot {
	readonly owner: System;
	readonly kernel: KernelSnapshot;
	readonly now: number;
	readonly policy: PolicyState;
	readonly slots: readonly { readonly task: Task | null; readonly slice: { readonly decision: Slice['decision']; readonly statements: number; readonly markerHits: number } | null; readonly cr3: number }[];
	readonly tasks: readonly { readonly task: Task; readonly fields: TaskFields; readonly saved: SavedThread }[];
	readonly uaccessFaulted: readonly [number, number][];
	readonly uaccessFixup: readonly number[];
	readonly pendingReleases: readonly number[];
	readonly timers: readonly [number, number][];
	readonly pendingIrqs: readonly number[];
	readonly devices: readonly unknown[];
	readonly modules: readonly Program[];
	/** The task each CPU ran last (the next context-switch event's `from`). */
	readonly lastOn: readonly (Task | undefined)[];
}

/** The mutable fields of a Task. */
type TaskFields = Pick<Task, 'state' | 'cpu' | 'inSchedule' | 'yielded' | 'sigpending' | 'signalDepth' | 'pendingHandler' | 'pendingClone' | 'exitCode' | 'lastFaultAddress' | 'faultRepeats' | 'name' | 'thread' | 'cr3' | 'children' | 'dying' | 'skipBreakpoint'>;

/** Per-CPU scheduler state. */
interface CpuSlot {
	task: Task | null;
	slice: Slice | null;
	/** The mm (CR3) loaded on this CPU. */
	cr3: number;
}

/** A call the return-to-user path makes, continuing to more calls or to what follows (`R`). */
interface UserReturnCall<R> {
	readonly kind: 'call';
	readonly target: number;
	readonly args: readonly Value[];
	readonly then: (value: Value | undefined) => R | UserReturnCall<R>;
}

/** A user-mode UB report (what UBSan prints) for the console. */
function ubReport(range: SourceRange | undefined, message: string): string {
	return `${range === undefined ? '' : `${range.file}:${range.line}:${range.col}: `}runtime error: ${message}\n`;
}

/** The machine's process layer over a booted kernel. */
export class System {
	readonly tasks = new Map<number, Task>();
	private readonly byThread = new Map<number, Task>();
	readonly data: KernelData;
	private policy: SchedulingPolicy;
	private readonly slots: CpuSlot[];
	/** The task each CPU ran last (for context-switch events). */
	private readonly lastOn: (Task | undefined)[] = [];
	/** Simulated time: statements executed by all CPUs. */
	now = 0;
	/** Dead tasks whose thread reference (task->usage) the kernel has yet to drop. */
	private pendingReleases: number[] = [];
	/** The task whose slice is running now (builtins called by user code belong to it), else null. */
	running: Task | null = null;
	/** One-shot timers armed by schedule_timeout: task_struct address -> expiry in jiffies. */
	private timers = new Map<number, number>();
	/** Interrupt lines device models raised, in order, not yet delivered. */
	private pendingIrqs: number[] = [];
	/** The device models (see src/kernel/devices/device.ts). */
	readonly devices: readonly DeviceModel[];
	/** Loaded modules, in load order (src/kernel/proc/modules.ts). */
	private modules: Program[] = [];
	/** The code every kernel thread runs: the kernel and its modules. */
	private kernelSpace: CodeSpace;
	private readonly fn: {
		readonly doSyscall: number;
		readonly exitToUser: FunctionInfo;
		readonly signalReturn: FunctionInfo;
		readonly doPageFault: FunctionInfo;
		readonly makeTaskDead: FunctionInfo;
		readonly doGroupExit: FunctionInfo;
	};
	private readonly encoder = new TextEncoder();

	constructor(readonly booted: BootedKernel, private readonly options: SystemOptions = {}) {
		const kernel = booted.kernel;
		const builtins = booted.builtins;
		if (kernel === undefined || builtins === undefined || !booted.booted) throw new Error('System: the kernel did not boot');
		this.data = new KernelData(booted.machine, kernel, booted.pgdPhys, booted.ramBytes);
		const kc = (name: string): FunctionInfo => {
			const f = kernel.functionByName(name);
			if (f === undefined || f.kind !== 'kc') throw new Error(`System: the kernel has no ${name}`);
			return f;
		};
		this.fn = {
			doSyscall: kc('do_syscall_64').address,
			exitToUser: kc('exit_to_user_mode'),
			signalReturn: kc('signal_return'),
			doPageFault: kc('do_page_fault'),
			makeTaskDead: kc('make_task_dead'),
			doGroupExit: kc('do_group_exit'),
		};
		this.policy = createPolicy(options.policy ?? { kind: 'round-robin', quantum: options.quantum ?? 1000 }, options.seed);
		this.slots = booted.machine.cpus.map(() => ({ task: null, slice: null, cr3: -1 }));
		this.kernelSpace = CodeSpace.of(kernel);
		this.devices = options.devices ?? [];
		this.attach(options.console);
		const host: DeviceHost = {
			machine: booted.machine,
			raiseIrq: line => { this.pendingIrqs.push(line); },
			now: () => this.now,
			dma: booted.machine.cpus[0].bus,
		};
		for (const device of this.devices) device.attach(host);
	}

	// ---- Modules -------------------------------------------------------------------------------------

	/** The kernel and its loaded modules (what kernel threads, and user processes' kernel half, can call). */
	kernelPrograms(): readonly Program[] {
		return [this.booted.kernel!, ...this.modules];
	}

	/** The code space of a user program on this machine: the program, then the kernel and its modules. */
	codeSpaceFor(program: Program): CodeSpace {
		return new CodeSpace([program, ...this.kernelPrograms()]);
	}

	/**
	 * Adds a linked module to every code space: kernel threads and live tasks can now reach its
	 * functions (a module's file operations are called through pointers from any task). Used by
	 * modules.ts after the image is mapped.
	 */
	addModule(program: Program): void {
		this.modules.push(program);
		this.kernelSpace = new CodeSpace(this.kernelPrograms());
		for (const task of this.tasks.values()) {
			if (task.state === 'dead' || task.thread.code.programs.includes(program)) continue;
			task.thread.code = new CodeSpace([...task.thread.code.programs, program]);
		}
	}

	/** Connects the kernel's builtins to this system (scheduler, processes, console, task names). */
	private attach(console: HostConsole | undefined): void {
		const builtins = this.booted.builtins!;
		builtins.host.setTaskNaming(id => this.byThread.get(id)?.id ?? `swapper/${id}`, id => Math.max(0, this.byThread.get(id)?.cpu ?? 0));
		builtins.setScheduler({
			current: id => this.byThread.get(id)?.address,
			schedule: (ctx, yieldOnly) => this.schedule(ctx, yieldOnly),
			wake: task => this.wake(task),
			jiffies: () => Math.floor(this.now / NSEC_PER_JIFFY),
			setTimer: (task, expires) => {
				if (expires === 0) this.timers.delete(task);
				else this.timers.set(task, expires);
			},
		});
		builtins.setProcesses({
			copyThread: (ctx, task, flags, stack, tls) => this.copyThread(ctx, task, flags, stack, tls),
			taskDead: ctx => this.taskDead(ctx),
			setSigpending: (task, pending) => {
				const t = this.taskAt(task);
				if (t !== undefined) t.sigpending = pending;
			},
			signalDeliver: (ctx, handler, sig, info, uc) => {
				const t = this.byThread.get(ctx.threadId);
				if (t !== undefined) t.pendingHandler = { handler, sig, info, uc, frame: info };
			},
			kthreadThread: (_ctx, task, entry, arg) => this.kthreadThread(task, entry, arg),
		});
		builtins.setConsole(console === undefined ? undefined : {
			write: (stream, bytes, caller) => console.write(stream, bytes, this.byThread.get(caller)?.tgid ?? 0),
			read: (stream, max, caller) => console.read(stream, max, this.byThread.get(caller)?.tgid ?? 0),
			isatty: (stream, caller) => console.isatty(stream, this.byThread.get(caller)?.tgid ?? 0),
		});
	}

	// ---- Tasks ---------------------------------------------------------------------------------------

	/** The live task whose task_struct is at `address` (a dead task's struct may have been reused). */
	private taskAt(address: number): Task | undefined {
		for (const t of this.tasks.values()) if (t.address === address && t.state !== 'dead') return t;
		return undefined;
	}

	/** The task with this pid (alive or dead but not forgotten). */
	task(pid: number): Task | undefined {
		return this.tasks.get(pid);
	}

	/** The tasks still alive (kernel threads included). */
	alive(): Task[] {
		return [...this.tasks.values()].filter(t => t.state !== 'dead');
	}

	/** The thread host: the CPU bus follows the thread's privilege. */
	private readonly threadHost: ThreadHost = {
		onModeSwitch: (thread, mode) => {
			(thread.memory as CpuMemoryBus).mode = mode;
		},
	};

	/** pgd physical address of the mm of the task_struct at `task`. */
	private cr3Of(task: number): number {
		const mm = this.data.field(task, 'task_struct', 'active_mm', 8);
		// A kernel thread created before any process ran (a module's init at boot, from the harness's
		// context) borrows no mm yet: it runs on the kernel's own page tables (init_mm).
		if (mm === 0) return this.booted.pgdPhys;
		const pgd = this.data.field(mm, 'mm_struct', 'pgd', 8);
		const pa = this.data.phys(pgd);
		if (pa === null) throw new Error('System: a task mm has no pgd');
		return pa;
	}

	/** Registers a task whose CPU thread exists (the first process, fork children, threads). */
	adopt(taskAddress: number, thread: Thread, threadArea: number, id?: string): Task {
		const pid = this.data.field(taskAddress, 'task_struct', 'pid', 4);
		const tgid = this.data.field(taskAddress, 'task_struct', 'tgid', 4);
		const comm = this.data.readString(taskAddress + this.data.offset('task_struct', 'comm'), 16);
		const task = new Task(taskAddress, pid, tgid, id ?? String(pid), comm, thread, this.cr3Of(taskAddress), threadArea);
		this.tasks.set(pid, task);
		this.byThread.set(thread.id, task);
		this.booted.locks.registerTask(task.id, comm);
		return task;
	}

	/** The kernel stack top of the task_struct at `task`. */
	kernelStackTop(task: number): number {
		return this.data.field(task, 'task_struct', 'stack', 8) + THREAD_SIZE;
	}

	/** A new CPU thread for a task, on CPU 0's bus until it is scheduled. */
	newThread(code: Thread['code'], entry: string | number, args: readonly Value[], pid: number, task: number, stackTop: number): Thread {
		const bus = this.booted.machine.cpus[0].bus;
		return createThread(code, bus, entry, args, {
			threadId: pid,
			stackTop,
			stackSize: 8 * 1024 * 1024 - THREAD_AREA_SIZE,
			kernelStackTop: this.kernelStackTop(task),
			kernelStackSize: THREAD_SIZE,
			mapStack: false,
			nullGuard: 0,
			host: this.threadHost,
		});
	}

	// ---- Kernel calls from the machine ----------------------------------------------------------------

	/**
	 * Runs the KC kernel function `name(args)` to completion on a kernel thread of CPU 0 (its boot
	 * stack; `current` is init_task) and returns its value. Used between slices only (exec's loader
	 * steps, dropping a dead thread's task reference). Throws when the call does not return: a kernel
	 * bug, reported with the kernel's own message.
	 */
	callKernel(name: string | number, args: readonly Value[]): Value | undefined {
		const kernel = this.kernelSpace;
		const bus = this.booted.machine.cpus[0].bus;
		const saved = { mode: bus.mode };
		bus.mode = 'kernel';
		// The kernel's own page tables (init_mm): CPU 0 may still hold a dead process's freed pgd.
		this.booted.machine.cpus[0].mmu.setCr3(this.booted.pgdPhys);
		const thread = createThread(kernel, bus, name, args, {
			threadId: 0,
			kernelStackTop: bootStackTop(0),
			kernelStackSize: KernelLayout.stackSize,
			mapStack: false,
			nullGuard: 0,
			host: this.threadHost,
		});
		let result: Value | undefined;
		// A kernel call is atomic to a debugger: the breakpoints armed in kernel code are lifted for it.
		const lifted: { table: Uint8Array; saved: Uint8Array }[] = [];
		for (const program of this.kernelPrograms()) {
			const table = program.breakpoints;
			if (table.indexOf(1) < 0) continue;
			lifted.push({ table, saved: table.slice() });
			table.fill(0);
		}
		let stop: StopReason;
		try {
			stop = this.runToEnd(thread, value => { result = value; });
		} finally {
			for (const { table, saved } of lifted) table.set(saved);
		}
		bus.mode = saved.mode;
		this.slots[0].cr3 = -1;
		if (stop.kind !== 'exited') throw new Error(`kernel call ${name} did not return: ${describeStop(stop)}`);
		return result;
	}

	/**
	 * Runs a fresh kernel thread to the end and hands its entry function's full 64-bit value to
	 * `onReturn` (an outermost return would only keep an int exit code): the entry frame is
	 * re-linked as an injected call whose continuation takes the value and ends the thread.
	 */
	private runToEnd(thread: Thread, onReturn: (value: Value | undefined) => void): StopReason {
		const entry = thread.frames.pop()!;
		const wrapper = new Frame(entry.fn, entry.regs, entry.base, -1, 0, entry.va, {
			kind: 'inject',
			switched: false,
			savedOtherSp: thread.otherSp,
			savedLimit: thread.limit,
			then: value => {
				onReturn(value);
				return { kind: 'exit', code: 0 };
			},
		});
		// A linked frame returns into the frame below it: the entry itself stays below as a base that never resumes.
		thread.frames.push(entry, wrapper);
		let left = KERNEL_CALL_LIMIT;
		for (;;) {
			const stop = run(thread, Math.min(left, 1_000_000));
			left -= 1_000_000;
			if (stop.kind !== 'budget' || left <= 0) return stop;
		}
	}

	// ---- Scheduler hooks --------------------------------------------------------------------------------

	private schedule(ctx: BuiltinContext, yieldOnly: boolean): BuiltinAction | undefined {
		const task = this.byThread.get(ctx.threadId);
		if (task === undefined) return undefined;
		if (yieldOnly) {
			if (task.yielded) {
				task.yielded = false;
				return undefined;
			}
			task.yielded = true;
			return { kind: 'block', reason: 'yield' };
		}
		const state = this.data.read64(task.address + this.data.offset('task_struct', '__state'));
		if (task.inSchedule) {
			if (state === 0) {
				task.inSchedule = false;
				return undefined;
			}
			return { kind: 'block', reason: 'schedule' };
		}
		if (state === 0) return undefined;
		task.inSchedule = true;
		return { kind: 'block', reason: 'schedule' };
	}

	private wake(address: number): number {
		const task = this.taskAt(address);
		if (task === undefined) return 0;
		if (task.state === 'sleeping') {
			task.state = 'runnable';
			return 1;
		}
		return 0;
	}

	// ---- Process builtins -------------------------------------------------------------------------------

	private copyThread(ctx: BuiltinContext, child: number, flags: number, stack: number, _tls: number): number {
		const parent = this.byThread.get(ctx.threadId);
		if (parent === undefined) return -EINVAL;
		const pid = this.data.field(child, 'task_struct', 'pid', 4);
		const pending = parent.pendingClone;
		let thread: Thread;
		let threadArea: number;
		if ((flags & CLONE_VM) !== 0) {
			if (pending === undefined || stack === 0) return -EINVAL;
			threadArea = pending.stackTop - THREAD_AREA_SIZE;
			thread = this.newThread(parent.thread.code, '__kc_clone_start', [pending.fn, pending.arg], pid, child, threadArea);
			if (thread.finished !== null) return -EINVAL;
		} else {
			thread = this.forkThread(parent.thread, pid, child);
			threadArea = parent.threadArea;
		}
		parent.children++;
		const task = this.adopt(child, thread, threadArea, `${parent.id}.${parent.children}`);
		task.name = parent.name;
		return 0;
	}

	/** A kernel thread's CPU thread (kernel/kthread.c): kernel mode from the start, on the task's kernel stack. */
	private kthreadThread(task: number, entry: number, arg: number): number {
		const pid = this.data.field(task, 'task_struct', 'pid', 4);
		const bus = this.booted.machine.cpus[0].bus;
		const thread = createThread(this.kernelSpace, bus, entry, [arg], {
			threadId: pid,
			kernelStackTop: this.kernelStackTop(task),
			kernelStackSize: THREAD_SIZE,
			mapStack: false,
			nullGuard: 0,
			host: this.threadHost,
		});
		if (thread.finished !== null) return -EINVAL;
		// Kernel threads are known by their names (schedules and views name them so), made unique.
		const comm = this.data.readString(task + this.data.offset('task_struct', 'comm'), 16);
		const taken = (id: string): boolean => [...this.tasks.values()].some(t => t.id === id && t.state !== 'dead');
		this.adopt(task, thread, 0, taken(comm) ? `${comm}#${pid}` : comm).kernelThread = true;
		return 0;
	}

	/**
	 * fork's child thread: the parent's user frames (everything below the kernel entry of the current
	 * system call), with the system call's value 0 delivered where the parent's will go.
	 */
	private forkThread(parent: Thread, pid: number, child: number): Thread {
		const frames = parent.frames;
		let entry = -1;
		for (let i = 0; i < frames.length; i++) {
			const link = frames[i].link;
			if (link !== null && link.switched && frames[i].fn.privilege === 'kernel') {
				entry = i;
				break;
			}
		}
		if (entry <= 0) throw new Error('fork: the parent is not in a system call');
		const bus = this.booted.machine.cpus[0].bus;
		const kernelTop = this.kernelStackTop(child);
		const thread = new Thread(parent.code, bus, pid, parent.stackLow, parent.initialSp, 0, { low: kernelTop - THREAD_SIZE, top: kernelTop }, this.threadHost);
		thread.frames = frames.slice(0, entry).map(f => f.clone());
		thread.mode = 'user';
		thread.limit = parent.stackLow;
		thread.otherSp = kernelTop;
		const caller = thread.frames[thread.frames.length - 1];
		const slot = frames[entry].retSlot;
		if (slot >= 0) caller.regs[slot] = 0;
		return thread;
	}

	private taskDead(ctx: BuiltinContext): BuiltinAction {
		const task = this.byThread.get(ctx.threadId);
		if (task === undefined) return { kind: 'trap', message: 'an unknown task died' };
		task.exitCode = this.data.field(task.address, 'task_struct', 'exit_code', 4);
		this.options.events?.exit?.(task, task.exitCode);
		return { kind: 'exit', code: task.exitCode };
	}

	// ---- User builtins ----------------------------------------------------------------------------------

	/** The builtins user programs link against to reach this machine (the libc's system-call layer). */
	userBuiltins(): Map<string, (ctx: BuiltinContext, args: readonly Value[]) => Value | undefined | BuiltinAction> {
		const table = new Map<string, (ctx: BuiltinContext, args: readonly Value[]) => Value | undefined | BuiltinAction>();
		table.set('__kc_syscall', (ctx, args) => {
			const task = this.byThread.get(ctx.threadId);
			if (task === undefined) return -38;
			return { kind: 'call', target: this.fn.doSyscall, args: args.slice(0, 7), then: ret => this.syscallReturn(task, ret ?? 0) };
		});
		table.set('__kc_thread_area', ctx => this.byThread.get(ctx.threadId)?.threadArea ?? 0);
		table.set('__kc_clone', (ctx, args) => {
			const task = this.byThread.get(ctx.threadId);
			if (task === undefined) return -38;
			// (fn, stack_top, flags, arg, parent_tid, tls, child_tid)
			const stackTop = Number(args[1]);
			task.pendingClone = { fn: Number(args[0]), arg: Number(args[3]), stackTop };
			return {
				kind: 'call',
				target: this.fn.doSyscall,
				args: [56, args[2], stackTop, args[4], args[6], args[5], 0],
				then: ret => {
					task.pendingClone = undefined;
					return this.syscallReturn(task, ret ?? 0);
				},
			};
		});
		return table;
	}

	// ---- Return to user mode ----------------------------------------------------------------------------

	/** The user address of the task's next free signal frame, or 0 when all are in use. */
	private signalFrame(task: Task): number {
		return task.signalDepth < SIGFRAME_SLOTS ? task.threadArea + SIGFRAME_BASE + task.signalDepth * SIGFRAME_SIZE : 0;
	}

	/** After a system call: deliver pending signals (maybe running handlers), then return `ret`. */
	private syscallReturn(task: Task, ret: Value): Value | BuiltinAction {
		return this.returnToUser<Value>(task, ret);
	}

	/** After a trap (fault, preemption): the same return-to-user work, then `after`. */
	private trapReturn(task: Task, after: InjectionOutcome): InjectionOutcome {
		return this.returnToUser<InjectionOutcome>(task, after);
	}

	/**
	 * The return-to-user work (arch/x86/entry/common.c): while a signal is pending, KC
	 * exit_to_user_mode takes it; when it asks for a user handler, the handler is called like a
	 * function with its siginfo in the task's next signal frame, then KC signal_return restores the
	 * mask, and the work repeats. `after` is what follows: a system call's value, or how a trapped
	 * thread resumes. Both the builtin `call` action and an injection continue through this shape.
	 */
	private returnToUser<R>(task: Task, after: R): R | UserReturnCall<R> {
		if (!task.sigpending) return after;
		return {
			kind: 'call',
			target: this.fn.exitToUser.address,
			args: [this.signalFrame(task)],
			then: handled => {
				const handler = task.pendingHandler;
				if (handled === undefined || Number(handled) === 0 || handler === undefined) return after;
				task.pendingHandler = undefined;
				task.signalDepth++;
				this.options.events?.signalHandler?.(task, handler.sig);
				return {
					kind: 'call',
					target: handler.handler,
					args: [handler.sig, handler.info, handler.uc],
					then: () => ({
						kind: 'call',
						target: this.fn.signalReturn.address,
						args: [handler.frame],
						then: () => {
							task.signalDepth--;
							return this.returnToUser(task, after);
						},
					}),
				};
			},
		};
	}

	// ---- Traps ------------------------------------------------------------------------------------------

	/** x86 error code of a fault stop. */
	private errorCode(stop: Extract<StopReason, { kind: 'fault' }>, mode: 'user' | 'kernel'): number {
		return pageFaultErrorCode(stop.fault, mode);
	}

	/** Handles a fault stop of `task`; returns a stop that ends the slice, or null to keep running. */
	private handleFault(task: Task, stop: Extract<StopReason, { kind: 'fault' }>): StopReason | null {
		const thread = task.thread;
		const address = stop.fault.address;
		if (address === task.lastFaultAddress) task.faultRepeats++;
		else {
			task.lastFaultAddress = address;
			task.faultRepeats = 1;
		}
		const mode = thread.mode;
		if (task.faultRepeats > FAULT_RETRY_LIMIT && mode === 'kernel') {
			return this.oops(task, `BUG: page fault at ${canonicalHex(address)} repeats after the handler fixed it`);
		}
		this.options.events?.fault?.(task, address, this.errorCode(stop, mode), mode);
		if (mode === 'user') {
			return injectCall(thread, this.fn.doPageFault, [this.errorCode(stop, 'user'), address], () => this.trapReturn(task, { kind: 'resume' }));
		}
		if (address >= USER_LIMIT) return this.oops(task, oopsText(stop));
		const uaccess = this.booted.builtins!.uaccess;
		return injectCall(thread, this.fn.doPageFault, [this.errorCode(stop, 'kernel'), address], ret => {
			if (ret === undefined || toI32(ret) === 0) return { kind: 'resume' };
			if (uaccess.inUserCopy(thread.id)) {
				uaccess.applyFixup(thread.id);
				return { kind: 'resume' };
			}
			if (task.dying) return { kind: 'trap', message: oopsText(stop) };
			task.dying = true;
			this.logOops(task, oopsText(stop));
			return { kind: 'call', target: this.fn.makeTaskDead, args: [SIGKILL] };
		});
	}

	private logOops(task: Task, message: string): void {
		const lines = [message];
		const frames = task.thread.frames;
		lines.push('Call Trace:');
		for (let i = frames.length - 1; i >= 0; i--) {
			const f = frames[i];
			const r = f.statementInfo?.range ?? f.fn.range;
			lines.push(` ${f.fn.name}${r === undefined ? '' : ` (${r.file}:${r.line})`}`);
		}
		this.booted.log.writeLines(1, lines.join('\n'), `${task.name}/${task.pid}`);
	}

	/** A kernel bug in `task`: logged, and the task dies (make_task_dead on a fresh kernel context). */
	private oops(task: Task, message: string): StopReason | null {
		if (task.dying) return { kind: 'trap', message };
		task.dying = true;
		this.logOops(task, message);
		this.restartInKernel(task, this.fn.makeTaskDead, [SIGKILL]);
		return null;
	}

	/**
	 * A task that failed again while dying (a fault inside make_task_dead): Linux prints "Fixing
	 * recursive fault but reboot is needed!" and parks it forever. It never runs again; its locks
	 * stay as they are reported, its resources are not freed, and it has no exit status.
	 */
	private abandon(task: Task, message: string): { statements: number; end: SliceEnd } {
		this.logOops(task, message);
		this.booted.log.writeLines(1, 'Fixing recursive fault but reboot is needed!', `${task.name}/${task.pid}`);
		task.state = 'dead';
		this.byThread.delete(task.thread.id);
		this.booted.locks.taskExit(task.id, { file: 'kernel/exit.c', line: 1, col: 1, fn: 'make_task_dead' });
		if (task.cpu >= 0) {
			this.booted.machine.cpus[task.cpu].mmu.setCr3(this.booted.pgdPhys);
			this.slots[task.cpu].cr3 = this.booted.pgdPhys;
		}
		return { statements: 0, end: 'exited' };
	}

	/** Replaces a task's thread (whose frames cannot continue) with one calling `fn(args)` on its kernel stack. */
	private restartInKernel(task: Task, fn: FunctionInfo, args: readonly Value[]): void {
		const old = task.thread;
		const kernelTop = this.kernelStackTop(task.address);
		const thread = createThread(old.code, old.memory, fn.address, args, {
			threadId: old.id,
			kernelStackTop: kernelTop,
			kernelStackSize: THREAD_SIZE,
			mapStack: false,
			nullGuard: 0,
			host: this.threadHost,
		});
		(thread.memory as CpuMemoryBus).mode = 'kernel';
		task.thread = thread;
		this.byThread.set(thread.id, task);
	}

	/** Replaces the scheduling policy (a scenario's, once its markers are resolved against the built programs). */
	setPolicy(config: PolicyConfig, seed?: number): void {
		this.policy = createPolicy(config, seed);
	}

	// ---- Snapshots ----------------------------------------------------------------------------------

	/**
	 * Captures the whole system between `run` calls: the machine (RAM copy-on-write, MMUs, TLBs),
	 * the lock system, the kernel log position, every task with its CPU thread, the scheduler.
	 * `restore` puts it all back, so running again repeats the same execution exactly.
	 */
	snapshot(): SystemSnapshot {
		const uaccess = this.booted.builtins!.uaccess;
		return {
			owner: this,
			kernel: snapshotKernel(this.booted),
			now: this.now,
			policy: this.policy.snapshot(),
			slots: this.slots.map(slot => ({ task: slot.task, cr3: slot.cr3, slice: slot.slice === null ? null : { decision: slot.slice.decision, statements: slot.slice.statements, markerHits: slot.slice.markerHits } })),
			tasks: [...this.tasks.values()].map(task => ({ task, fields: taskFields(task), saved: task.thread.save() })),
			uaccessFaulted: [...uaccess.faulted],
			uaccessFixup: [...uaccess.fixup],
			pendingReleases: [...this.pendingReleases],
			timers: [...this.timers],
			pendingIrqs: [...this.pendingIrqs],
			devices: this.devices.map(d => d.snapshot()),
			modules: [...this.modules],
			lastOn: [...this.lastOn],
		};
	}

	/** Puts back what `snapshot` captured (tasks created since are forgotten, dead ones revived). */
	restore(snapshot: SystemSnapshot): void {
		if (snapshot.owner !== this) throw new Error('System.restore: a snapshot of another system');
		const builtins = this.booted.builtins!;
		restoreKernel(this.booted, snapshot.kernel);
		// restoreKernel detaches the process layer: attach this system again.
		this.attach(this.options.console);
		builtins.uaccess.faulted.clear();
		for (const [id, n] of snapshot.uaccessFaulted) builtins.uaccess.faulted.set(id, n);
		builtins.uaccess.fixup.clear();
		for (const id of snapshot.uaccessFixup) builtins.uaccess.fixup.add(id);
		this.now = snapshot.now;
		this.pendingReleases = [...snapshot.pendingReleases];
		this.timers = new Map(snapshot.timers);
		this.pendingIrqs = [...snapshot.pendingIrqs];
		this.devices.forEach((d, i) => d.restore(snapshot.devices[i]));
		this.modules = [...snapshot.modules];
		this.lastOn.length = 0;
		this.lastOn.push(...snapshot.lastOn);
		this.kernelSpace = new CodeSpace(this.kernelPrograms());
		this.policy = restorePolicy(snapshot.policy);
		this.tasks.clear();
		this.byThread.clear();
		for (const entry of snapshot.tasks) {
			Object.assign(entry.task, entry.fields);
			entry.task.thread.load(entry.saved);
			this.tasks.set(entry.task.pid, entry.task);
			if (entry.task.state !== 'dead') this.byThread.set(entry.task.thread.id, entry.task);
		}
		snapshot.slots.forEach((saved, i) => {
			const slot = this.slots[i];
			slot.task = saved.task;
			slot.cr3 = saved.cr3;
			if (saved.slice === null) {
				slot.slice = null;
			} else {
				const slice = new Slice(saved.slice.decision, i);
				slice.statements = saved.slice.statements;
				slice.markerHits = saved.slice.markerHits;
				slot.slice = slice;
			}
		});
	}

	// ---- Running ------------------------------------------------------------------------------------

	private pauseRequested = false;

	/** Makes `run` return `paused` at the end of the current slice (callable from event callbacks). */
	requestPause(): void {
		this.pauseRequested = true;
	}

	/** The task stopped at a breakpoint executes that statement when it next runs instead of stopping again. */
	resumeOverBreakpoint(task: Task): void {
		task.skipBreakpoint = true;
	}

	/**
	 * Runs `task` alone on CPU 0, the other CPUs frozen, for at most `budget` statements: what a
	 * scenario's harness task does at its trigger ("runs before anything else"). Returns how it
	 * stopped; a task that blocks (on a lock another task holds) goes back to normal scheduling.
	 */
	runAlone(task: Task, budget: number): 'exited' | 'blocked' | 'budget' | 'breakpoint' {
		if (task.state === 'dead') return 'exited';
		if (!this.runnable(task)) return 'blocked';
		const slice = new Slice({ task: task.id, quantum: budget }, 0);
		const outcome = this.runSlice(task, 0, slice, budget);
		this.options.events?.sliceEnd?.(0, task);
		this.now += outcome.statements;
		task.cpu = -1;
		if (outcome.breakpoint !== undefined) return 'breakpoint';
		if ((task.state as TaskRunState) === 'dead') return 'exited';
		if (outcome.end === 'quantum' || outcome.end === null) return 'budget';
		return 'blocked';
	}

	/**
	 * Between slices, the machine's own events: expired schedule_timeout timers wake their tasks
	 * (KC __kc_timer_fire), device models make progress up to now, and raised interrupt lines are
	 * delivered (KC __kc_irq_raise wakes the line's IRQ thread). Both KC entry points take no lock,
	 * so they are safe whatever the preempted tasks hold.
	 */
	private serviceMachine(): void {
		if (this.timers.size > 0) {
			const jiffies = Math.floor(this.now / NSEC_PER_JIFFY);
			for (const [task, expires] of [...this.timers]) {
				if (expires > jiffies) continue;
				this.timers.delete(task);
				if (this.taskAt(task) !== undefined) this.callKernel('__kc_timer_fire', [task]);
			}
		}
		for (const device of this.devices) {
			const next = device.nextEvent?.();
			if (next !== undefined && next <= this.now) device.tick?.(this.now);
		}
		while (this.pendingIrqs.length > 0) {
			const line = this.pendingIrqs.shift()!;
			this.callKernel('__kc_irq_raise', [line]);
		}
	}

	/** With no CPU able to run, advances the clock to the next timer or device event; false when there is none. */
	private idleUntilNextEvent(): boolean {
		let next = Infinity;
		for (const expires of this.timers.values()) next = Math.min(next, expires * NSEC_PER_JIFFY);
		for (const device of this.devices) {
			const event = device.nextEvent?.();
			if (event !== undefined) next = Math.min(next, event);
		}
		if (this.pendingIrqs.length > 0) next = this.now;
		// An event "now" that servicing did not consume is a device that makes no progress: report
		// the stall rather than spin.
		if (!Number.isFinite(next) || (next <= this.now && this.pendingIrqs.length === 0)) return false;
		this.now = Math.max(this.now, next);
		this.serviceMachine();
		return true;
	}

	private runnable(task: Task): boolean {
		if (task.state === 'runnable') return true;
		if (task.state === 'lock') {
			const pending = this.booted.locks.table.pendingOf(task.id);
			if (pending === undefined || pending.outcome !== 'waiting') {
				task.state = 'runnable';
				return true;
			}
		}
		return false;
	}

	/** Drops dead tasks' thread references when every runnable task is in user mode (a safe point). */
	private drainReleases(): void {
		if (this.pendingReleases.length === 0) return;
		for (const t of this.tasks.values()) if (t.state === 'runnable' && t.thread.mode === 'kernel' && t.thread.finished === null) return;
		const releases = this.pendingReleases;
		this.pendingReleases = [];
		for (const address of releases) this.callKernel('release_task_thread', [address]);
	}

	/** Puts `task` on CPU `cpu`: its bus, privilege and address space. */
	private switchTo(task: Task, cpu: number): void {
		const machineCpu = this.booted.machine.cpus[cpu];
		const slot = this.slots[cpu];
		if (this.lastOn[cpu] !== task) {
			this.options.events?.contextSwitch?.(cpu, this.lastOn[cpu] ?? null, task);
			this.lastOn[cpu] = task;
		}
		task.cpu = cpu;
		if (task.thread.memory !== machineCpu.bus) task.thread.setMemory(machineCpu.bus);
		machineCpu.bus.mode = task.thread.mode;
		if (slot.cr3 !== task.cr3 || machineCpu.mmu.cr3 !== task.cr3) {
			machineCpu.mmu.setCr3(task.cr3);
			slot.cr3 = task.cr3;
		}
	}

	/**
	 * Runs the machine for at most `budget` statements: every CPU in turn runs a slice of the task
	 * the policy picks. Returns when no task is alive, the budget is spent, no task can run, or a
	 * breakpoint is hit.
	 */
	run(budget: number): SystemStop {
		let left = budget;
		for (;;) {
			this.drainReleases();
			this.serviceMachine();
			let progressed = false;
			for (let cpu = 0; cpu < this.slots.length; cpu++) {
				if (left <= 0) return { kind: 'budget' };
				const slot = this.slots[cpu];
				if (slot.task === null || slot.slice === null) {
					const busy = new Set(this.slots.filter((s, i) => i !== cpu && s.task !== null).map(s => s.task!.id));
					const runnable = [...this.tasks.values()].filter(t => t.state !== 'dead' && !busy.has(t.id) && this.runnable(t)).map(t => t.id);
					const decision = this.policy.pick(runnable, null, cpu, this.now);
					if (decision === null) continue;
					const task = [...this.tasks.values()].find(t => t.id === decision.task)!;
					slot.task = task;
					slot.slice = new Slice(decision, cpu);
				}
				const task = slot.task!;
				const slice = slot.slice!;
				const outcome = this.runSlice(task, cpu, slice, left);
				this.options.events?.sliceEnd?.(cpu, task);
				left -= outcome.statements;
				this.now += outcome.statements;
				if (outcome.statements > 0) progressed = true;
				if (outcome.end !== null) {
					this.policy.account(slice.finish(outcome.end));
					slot.task = null;
					slot.slice = null;
					task.cpu = -1;
					progressed = true;
				}
				if (outcome.breakpoint !== undefined) return { kind: 'breakpoint', task, stmt: outcome.breakpoint };
				if (this.pauseRequested) {
					this.pauseRequested = false;
					return { kind: 'paused' };
				}
			}
			if (!progressed) {
				// Every CPU is idle: time passes until the next timer or device event, if any.
				if (this.idleUntilNextEvent()) continue;
				const alive = this.alive();
				// Only kernel threads left, all asleep (IRQ threads, a driver's scheduler): the machine is idle.
				if (alive.every(t => t.kernelThread)) return { kind: 'idle' };
				return { kind: 'stalled', tasks: alive.map(t => ({ pid: t.pid, name: t.name, where: whereIs(t) })) };
			}
		}
	}

	/** Runs one slice (or what is left of it) of `task` on `cpu`. */
	private runSlice(task: Task, cpu: number, slice: Slice, budget: number): { statements: number; end: SliceEnd | null; breakpoint?: number } {
		this.switchTo(task, cpu);
		this.running = task;
		try {
			return this.runSliceOn(task, slice, budget);
		} finally {
			this.running = null;
		}
	}

	private runSliceOn(task: Task, slice: Slice, budget: number): { statements: number; end: SliceEnd | null; breakpoint?: number } {
		const thread = task.thread;
		let statements = 0;
		// A task resumed in user mode with a signal pending takes it first (as after an interrupt).
		// (Injecting the full return-to-user path directly: a trial injection popped again would leave
		// the thread in kernel mode over user frames.)
		if (task.sigpending && thread.mode === 'user' && thread.finished === null && thread.top?.atStatementCheck === true) {
			const outcome = this.trapReturn(task, { kind: 'resume' });
			if (outcome !== undefined && outcome.kind === 'call') injectCall(thread, outcome.target, outcome.args, outcome.then);
		}
		const stepwise = slice.needsLocation;
		for (;;) {
			if (stepwise && thread.top?.atStatementCheck === true) {
				const end = slice.beforeStatement(locationOf(thread));
				if (end !== null) return { statements, end };
			}
			const quantumLeft = slice.decision.quantum - slice.statements;
			if (quantumLeft <= 0) return { statements, end: 'quantum' };
			const chunk = Math.min(stepwise ? 1 : quantumLeft, budget - statements);
			if (chunk <= 0) return { statements, end: null };
			const stop = run(thread, chunk, task.skipBreakpoint ? { skipBreakpoint: true } : undefined);
			task.skipBreakpoint = false;
			const done = chunk - Math.max(0, thread.cpu.budget);
			statements += done;
			slice.statements += done;
			switch (stop.kind) {
				case 'budget':
					continue;
				case 'fault': {
					const result = this.handleFault(task, stop);
					if (result !== null) return this.ended(task, result, statements);
					continue;
				}
				case 'blocked':
					return { statements, end: this.blocked(task, stop.reason) };
				case 'breakpoint':
					return { statements, end: 'interrupted', breakpoint: stop.stmt };
				default:
					return this.ended(task, stop, statements);
			}
		}
	}

	private blocked(task: Task, reason: string): SliceEnd {
		if (reason === 'yield') return 'yielded';
		if (reason === 'schedule') {
			const state = this.data.read64(task.address + this.data.offset('task_struct', '__state'));
			task.state = state === 0 ? 'runnable' : 'sleeping';
			return 'blocked';
		}
		if (reason.startsWith(SLEEP_REASON_PREFIX)) {
			task.state = 'lock';
			return 'blocked';
		}
		if (isSpinning({ kind: 'blocked', reason })) return 'yielded';
		task.state = 'lock';
		return 'blocked';
	}

	/** The task's thread stopped for good (exited, trap, UB): the task dies or gets cleaned up. */
	private ended(task: Task, stop: StopReason, statements: number): { statements: number; end: SliceEnd } {
		const thread = task.thread;
		if (stop.kind === 'exited' && task.exitCode !== undefined) {
			task.state = 'dead';
			// exit_mm freed (or may free) the task's page tables: its CPU goes back to init_mm's, as a
			// dead task runs on until it switches away.
			if (task.cpu >= 0) {
				this.booted.machine.cpus[task.cpu].mmu.setCr3(this.booted.pgdPhys);
				this.slots[task.cpu].cr3 = this.booted.pgdPhys;
			}
			this.booted.locks.taskExit(task.id, { file: 'kernel/exit.c', line: 1, col: 1, fn: 'do_exit' });
			this.byThread.delete(thread.id);
			// finish_task_switch's put_task_struct, run once no task can be holding a spinlock the
			// free path needs (a preempted task in kernel mode might hold zone->lock).
			this.pendingReleases.push(task.address);
			return { statements, end: 'exited' };
		}
		// Anything else means the thread cannot go on: a kernel bug (oops) or user-mode UB.
		if (task.dying) return { ...this.abandon(task, oopsText(stop)), statements };
		task.dying = true;
		if (stop.kind === 'ub' && thread.mode === 'user') {
			const top = thread.top;
			const range = top === undefined ? undefined : top.fn.program.statements[stop.stmt]?.range;
			this.options.console?.write(2, this.encoder.encode(ubReport(range, stop.message)), task.tgid);
			this.restartInKernel(task, this.fn.doGroupExit, [SIGABRT]);
		} else {
			this.logOops(task, oopsText(stop));
			this.restartInKernel(task, this.fn.makeTaskDead, [SIGKILL]);
		}
		return { statements, end: 'blocked' };
	}

	// ---- Debugger support (debug helper) ----
	// What src/sim/debug needs and `run` does not give: a run that can be cut anywhere and continued
	// with no trace of the cut (a debugger stops, a time-travel replay lands, a pause arrives between
	// chunks), and a report of which task ran how many statements. debugRun is `run` with three
	// differences: (1) a call that returns mid-round keeps where the round is (`debugCursor`), so
	// debugRun(a) then debugRun(b) executes exactly what debugRun(a + b) does; (2) a breakpoint does
	// not end the task's slice: the task resumes over it in the same slice when `stopAt` declines
	// the stop or the debugger continues, so breakpoints do not change the schedule; (3) every
	// portion of a slice is reported to `onPortion`. Without stops, debugRun(n) executes what run(n)
	// does. Known difference: a task resumed over a breakpoint in user mode with a signal pending
	// takes it at that statement (runSliceOn's preamble) instead of at its next return to user mode.

	/** The round debugRun is in: started (releases drained, machine serviced), next CPU, progress so far. */
	private debugRound = { started: false, cpu: 0, progressed: false };

	/**
	 * What a debugger keeps with a snapshot besides it: the debugRun round, and the task each CPU ran
	 * last (`snapshot` does not capture it, and a replay must report the same context switches).
	 */
	debugState(): { readonly started: boolean; readonly cpu: number; readonly progressed: boolean; readonly lastOn: readonly (Task | undefined)[] } {
		return { ...this.debugRound, lastOn: [...this.lastOn] };
	}

	/** Puts back a state saved with debugState (after `restore`). */
	debugLoad(state: { readonly started: boolean; readonly cpu: number; readonly progressed: boolean; readonly lastOn: readonly (Task | undefined)[] }): void {
		this.debugRound = { started: state.started, cpu: state.cpu, progressed: state.progressed };
		this.lastOn.length = 0;
		this.lastOn.push(...state.lastOn);
	}

	/** The slice CPU `cpu` is running, if any: its task and statements so far. */
	debugSlot(cpu: number): { readonly task: Task; readonly statements: number; readonly quantum: number } | undefined {
		const slot = this.slots[cpu];
		if (slot === undefined || slot.task === null || slot.slice === null) return undefined;
		return { task: slot.task, statements: slot.slice.statements, quantum: slot.slice.decision.quantum };
	}

	/**
	 * `run` for a debugger (see above). `hooks.onPortion(cpu, task, statements)` follows every slice
	 * portion (after `now` advanced); `hooks.stopAt(task, stmt)` decides at each breakpoint whether
	 * the machine stops there (true) or the task goes on over it in its slice (false; the default
	 * is to stop). A stop leaves the task to execute the statement when the machine continues.
	 */
	debugRun(budget: number, hooks: { readonly onPortion?: (cpu: number, task: Task, statements: number) => void; readonly stopAt?: (task: Task, stmt: number) => boolean } = {}): SystemStop {
		let left = budget;
		const round = this.debugRound;
		for (;;) {
			if (!round.started) {
				this.drainReleases();
				this.serviceMachine();
				round.started = true;
				round.cpu = 0;
				round.progressed = false;
			}
			while (round.cpu < this.slots.length) {
				const cpu = round.cpu;
				if (left <= 0) return { kind: 'budget' };
				const slot = this.slots[cpu];
				if (slot.task === null || slot.slice === null) {
					const busy = new Set(this.slots.filter((s, i) => i !== cpu && s.task !== null).map(s => s.task!.id));
					const runnable = [...this.tasks.values()].filter(t => t.state !== 'dead' && !busy.has(t.id) && this.runnable(t)).map(t => t.id);
					const decision = this.policy.pick(runnable, null, cpu, this.now);
					if (decision === null) {
						round.cpu++;
						continue;
					}
					const picked = [...this.tasks.values()].find(t => t.id === decision.task)!;
					slot.task = picked;
					slot.slice = new Slice(decision, cpu);
				}
				const task = slot.task!;
				const slice = slot.slice!;
				// A task the debugger stopped at a breakpoint first executes that one statement with its
				// breakpoint lifted (see debugPassStopped), then runs on as usual.
				const passing = task.skipBreakpoint && this.debugAtCheck(task);
				const outcome = passing ? this.debugPassStopped(task, () => this.runSlice(task, cpu, slice, 1)) : this.runSlice(task, cpu, slice, left);
				let statements = outcome.statements;
				if (outcome.breakpoint !== undefined) statements -= this.debugUncount(task, slice);
				this.options.events?.sliceEnd?.(cpu, task);
				left -= statements;
				this.now += statements;
				if (statements > 0) round.progressed = true;
				hooks.onPortion?.(cpu, task, statements);
				if (outcome.breakpoint !== undefined) {
					// The slice goes on: the task executes the statement when it runs again.
					task.skipBreakpoint = true;
					round.progressed = true;
					if (hooks.stopAt === undefined || hooks.stopAt(task, outcome.breakpoint)) return { kind: 'breakpoint', task, stmt: outcome.breakpoint };
					continue;
				}
				if (passing && outcome.end === null) continue;
				if (outcome.end !== null) {
					this.policy.account(slice.finish(outcome.end));
					slot.task = null;
					slot.slice = null;
					task.cpu = -1;
					round.progressed = true;
				}
				round.cpu++;
				if (this.pauseRequested) {
					this.pauseRequested = false;
					return { kind: 'paused' };
				}
			}
			round.started = false;
			if (!round.progressed) {
				if (this.idleUntilNextEvent()) continue;
				const alive = this.alive();
				// Only kernel threads left, all asleep (IRQ threads, a driver's scheduler): the machine is idle.
				if (alive.every(t => t.kernelThread)) return { kind: 'idle' };
				return { kind: 'stalled', tasks: alive.map(t => ({ pid: t.pid, name: t.name, where: whereIs(t) })) };
			}
		}
	}

	/** True when the task's top frame is before a statement check (a budget stop, or a breakpoint stop put back). */
	private debugAtCheck(task: Task): boolean {
		const top = task.thread.top;
		return top !== undefined && top.fn.checkPc[top.pc] === 1;
	}

	/**
	 * After a breakpoint stop the CPU leaves the frame past the statement's check, counted. Puts it
	 * back before the check, uncounted, as a budget stop leaves it (the stop then falls at the same
	 * place in the count as the same statement reached by a budget); returns 1 when it did.
	 */
	private debugUncount(task: Task, slice: Slice | null): number {
		const top = task.thread.top;
		if (top === undefined || top.pc === 0 || top.fn.checkPc[top.pc - 1] !== 1) return 0;
		top.pc -= 1;
		if (slice !== null) slice.statements -= 1;
		return 1;
	}

	/**
	 * Runs `body` (one statement of `task`, which stands before the check of the statement it was
	 * stopped at) with that statement's breakpoint lifted: the CPU executes the check itself, so the
	 * statement counts once and continues at the right label. (Resuming with skipBreakpoint moves
	 * the pc to check + 1, which is not the statement's body for a `for` step or a `do` condition.)
	 */
	private debugPassStopped<R>(task: Task, body: () => R): R {
		const top = task.thread.top!;
		const table = top.fn.program.breakpoints;
		const stmt = top.fn.pcStatement[top.pc];
		const armed = table[stmt];
		table[stmt] = 0;
		task.skipBreakpoint = false;
		try {
			return body();
		} finally {
			table[stmt] = armed;
		}
	}

	/**
	 * `runAlone` for a debugger: a task stopped at a breakpoint first passes it (see
	 * debugPassStopped), and a breakpoint stop is put back before its check, uncounted. Returns how
	 * it stopped and the statements it ran.
	 */
	debugRunAlone(task: Task, budget: number): { readonly result: ReturnType<System['runAlone']>; readonly statements: number } {
		const before = this.now;
		let result: ReturnType<System['runAlone']>;
		if (task.skipBreakpoint && this.debugAtCheck(task)) {
			result = this.debugPassStopped(task, () => this.runAlone(task, 1));
			if (result === 'budget' && budget > 1) result = this.runAlone(task, budget - 1);
		} else {
			task.skipBreakpoint = false;
			result = this.runAlone(task, budget);
		}
		if (result === 'breakpoint') {
			this.now -= this.debugUncount(task, null);
			task.skipBreakpoint = true;
		}
		return { result, statements: this.now - before };
	}
	// ---- End of debugger support ----
}

function taskFields(task: Task): TaskFields {
	return {
		state: task.state,
		cpu: task.cpu,
		inSchedule: task.inSchedule,
		yielded: task.yielded,
		skipBreakpoint: task.skipBreakpoint,
		sigpending: task.sigpending,
		signalDepth: task.signalDepth,
		pendingHandler: task.pendingHandler,
		pendingClone: task.pendingClone,
		exitCode: task.exitCode,
		lastFaultAddress: task.lastFaultAddress,
		faultRepeats: task.faultRepeats,
		name: task.name,
		thread: task.thread,
		cr3: task.cr3,
		children: task.children,
		dying: task.dying,
	};
}

function describeStop(stop: StopReason): string {
	switch (stop.kind) {
		case 'fault':
			return `fault at ${canonicalHex(stop.fault.address)} (${stop.fault.access}, ${stop.fault.reason})`;
		case 'ub':
			return `undefined behaviour: ${stop.message}`;
		case 'trap':
			return stop.message;
		case 'blocked':
			return `blocked (${stop.reason})`;
		default:
			return stop.kind;
	}
}

function oopsText(stop: StopReason): string {
	if (stop.kind === 'fault') return kernelFaultMessage(stop.fault);
	return `BUG: ${describeStop(stop)}`;
}

/** The statement a thread is about to execute, as the scheduler's markers see it. */
function locationOf(thread: Thread): { file: string; line: number; col: number; fn: string } | undefined {
	const top = thread.top;
	const info = top?.statementInfo;
	if (top === undefined || info === undefined) return undefined;
	return { file: info.range.file, line: info.range.line, col: info.range.col, fn: top.fn.name };
}

/** Where a task is stopped, for stall reports: its innermost KC frame. */
function whereIs(task: Task): string {
	const frame = waitingFrame(task);
	if (frame === undefined) return '?';
	const r = frame.statementInfo?.range ?? frame.fn.range;
	return `${frame.fn.name}${r === undefined ? '' : ` (${r.file}:${r.line})`}`;
}

/**
 * The frame that says where a task waits, as Linux's wchan: the innermost one outside the
 * scheduler's own helpers (kernel/sched/: schedule_timeout, wait queues, completions).
 */
export function waitingFrame(task: Task): Frame | undefined {
	const frames = task.thread.frames;
	for (let i = frames.length - 1; i >= 0; i--) {
		const file = frames[i].fn.range?.file ?? '';
		if (!file.startsWith('kernel/sched/')) return frames[i];
	}
	return task.thread.top;
}
