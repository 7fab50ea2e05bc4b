// Threads of the KC CPU: an explicit stack of plain-data frames over two regions of simulated stack
// memory (the user stack and the kernel stack), plus the scratch object compiled code talks to
// (layer: interp).
//
// ## State
// A thread's whole state is `frames` (each: function, pc, registers, frame base, where its result
// goes, how it was entered), `finished`, the current privilege `mode` and the two stack pointers
// (`limit`, `otherSp`); memory holds the rest. `save()` deep-copies the frames (small arrays), so a
// saved thread plus a memory snapshot capture everything: restoring both and running again gives
// the same execution, bit for bit (nothing here reads clocks, random numbers or host state).
// Continuations (`FrameLink.then`) are kept by reference: they must be pure functions of their
// arguments and of simulated memory, or restoring would not reproduce the run.
//
// ## Privilege and stacks
// One thread carries user and kernel frames, as a Linux task does: user code calls a libc wrapper
// whose `call` action enters the kernel's KC code, and a fault in user code gets the kernel's
// fault handler pushed on the same thread (cpu.ts `injectCall`). Invariants:
// - `mode` is the privilege of the top frame (`top.fn.privilege`); it changes only when a frame is
//   entered or left through a FrameLink whose `switched` is set, and every change is reported to
//   the host (`ThreadHost.onModeSwitch`) before any memory access in the new mode.
// - User frames live on the user stack [stackLow, initialSp), kernel frames on the kernel stack
//   [kernelStackLow, kernelStackTop) (16 KiB by default, as THREAD_SIZE). `limit` is the low end of
//   the stack the top frame is on; `otherSp` is the stack pointer of the other stack (the base of
//   the innermost frame on it, or its top). A switched push allocates the new frame below
//   `otherSp` and swaps the two, keeping the old values in the FrameLink; popping it puts them
//   back. So calls and returns within one privilege never look at privilege at all.
// - A frame enters through a direct or pointer call (no link: same privilege, same stack), a
//   builtin's `call` action (link kind `call`: the builtin's continuation gets the value) or an
//   injection (link kind `inject`: the host's continuation decides what happens next, and the
//   frame below, the interrupted one, resumes exactly where it stopped).

import type { CType } from '../lang/types';
import type { BuiltinAction, BuiltinContext, MemoryBus, Privilege, StopReason, Value } from './contracts';
import { CodeSpace } from './codeSpace';
import type { CompiledCode, CpuScratch, FrameState, FunctionInfo, LocalInfo, Program, StatementInfo } from './program';
import { Exit } from './runtime';

// Module-local copies: imported bindings compile to getters under CommonJS interop.
const EXIT_STATEMENT = Exit.Statement;
const EXIT_RETURN = Exit.Return;
/**
 * Most nested calls in progress at once (Cpu.callDirect): bounds the host stack a KC call chain
 * uses; deeper calls go through the run loop, which starts nesting again from its frame.
 */
const MAX_NEST = 32;

/** Continuation of a builtin that called a KC function (`BuiltinAction` `call` with `then`). */
export type Continuation = (ret: Value | undefined) => Value | undefined | BuiltinAction;

/**
 * What happens when an injected call returns (see cpu.ts `injectCall`):
 * - `undefined` or `resume`: the interrupted frame continues where it stopped (after a fault: the
 *   faulting access executes again);
 * - `call`: inject another call on the interrupted frame (a user signal handler after the kernel
 *   set up its frame); its own `then` decides again when it returns (e.g. `resume` for sigreturn);
 * - `trap`: the thread ends with a trap stop carrying the signal (a fatal SIGSEGV or SIGBUS);
 * - `exit`: the thread ends with an exit stop.
 */
export type InjectionOutcome =
	| undefined
	| { readonly kind: 'resume' }
	| { readonly kind: 'call'; readonly target: string | number | FunctionInfo; readonly args: readonly Value[]; readonly then?: InjectionContinuation }
	| { readonly kind: 'trap'; readonly message: string; readonly signal?: number }
	| { readonly kind: 'exit'; readonly code: number };

/** Receives the injected function's return value (undefined for void) and decides what follows. */
export type InjectionContinuation = (ret: Value | undefined) => InjectionOutcome;

/** How a frame that was not entered by an ordinary call was entered (see the header). */
export type FrameLink =
	| (StackSwitch & { readonly kind: 'call'; readonly then: Continuation })
	| (StackSwitch & { readonly kind: 'inject'; readonly then: InjectionContinuation | null });

/** The privilege switch a linked frame made, and the stack state to put back when it returns. */
export interface StackSwitch {
	/** True when the frame runs at another privilege (on the other stack) than the frame below it. */
	readonly switched: boolean;
	/** `thread.otherSp` and `thread.limit` before the switch (meaningless when not switched). */
	readonly savedOtherSp: number;
	readonly savedLimit: number;
}

/** The machine around a thread: told whenever the thread changes privilege. */
export interface ThreadHost {
	/**
	 * The thread's top frame now runs at `mode` (a call, return, builtin `call` action or injection
	 * crossed between user and kernel code). Called before any memory access in the new mode: the
	 * machine sets its bus's mode, and may give the thread another bus (`thread.setMemory`).
	 */
	onModeSwitch(thread: Thread, mode: Privilege): void;
}

/** One activation of a KC function. */
export class Frame implements FrameState {
	/** Resume label (see compiler.ts: what pc means when stopped). */
	pc = 0;

	constructor(
		readonly fn: FunctionInfo,
		public regs: (Value | undefined)[],
		/** Lowest address of this frame's stack memory (locals at base + offset). */
		readonly base: number,
		/** Register of the caller that receives the return value (-1: none). */
		readonly retSlot: number,
		/** Where a struct return value is copied (in the caller's frame), else 0. */
		readonly retDest: number,
		va: number,
		/** Set when a builtin's `call` action or an injection entered this frame (null: an ordinary call). */
		readonly link: FrameLink | null,
	) {
		this.vaOffset = va - base;
	}

	/**
	 * `va` relative to `base` (a small integer: frames are created by the million, and a kernel
	 * address held in a field of its own would be one more heap number each time).
	 */
	private readonly vaOffset: number;

	/** Address of the first spilled variadic argument (va_start's value). */
	get va(): number {
		return this.base + this.vaOffset;
	}

	/** The statement this frame is at (about to execute, or in the middle of): an id of `fn.program`. */
	get statement(): number {
		return this.fn.pcStatement[this.pc] ?? -1;
	}

	/** The statement this frame is at, looked up in its own program (statement ids are per program). */
	get statementInfo(): StatementInfo | undefined {
		return this.fn.program.statements[this.statement];
	}

	/** True when the frame is stopped before its statement's check (the statement has not been counted). */
	get atStatementCheck(): boolean {
		return this.fn.checkPc[this.pc] === 1;
	}

	/** How the frame was entered: an ordinary call, a builtin's `call` action, or an injection (a trap). */
	get entry(): 'call' | 'builtin' | 'inject' {
		const link = this.link;
		return link === null ? 'call' : link.kind === 'call' ? 'builtin' : 'inject';
	}

	clone(): Frame {
		const f = new Frame(this.fn, this.regs.slice(), this.base, this.retSlot, this.retDest, this.va, this.link);
		f.pc = this.pc;
		return f;
	}
}

/** The BuiltinContext handed to builtins; `argTypes` is set by each call site. */
export class BuiltinCtx implements BuiltinContext {
	argTypes: readonly CType[] = [];
	constructor(
		/** The thread's current memory bus (changes with `Thread.setMemory`). */
		public mem: MemoryBus,
		readonly threadId: number,
		/** The running thread, for builtins that need more than the contract gives (scheduler, debugger). */
		readonly thread: Thread,
	) {}
}

/**
 * Scratch state that generated code and the run loop exchange on each exit (see runtime.ts `Exit`).
 * One per thread, so running threads never share it.
 */
export class Cpu implements CpuScratch {
	budget = 0;
	ex = 0;
	callee: FunctionInfo | null = null;
	callAddr = 0;
	args: (Value | undefined)[] = [];
	argTypes: readonly CType[] = [];
	retSlot = -1;
	retDest = 0;
	retVal: Value | undefined = undefined;
	action: BuiltinAction | null = null;
	ubMessage = '';
	/** Nested calls in progress (see callDirect); the run loop sets it to 0 before it runs a frame. */
	nest = 0;
	readonly ctx: BuiltinCtx;

	constructor(
		/** The memory generated code loads from and stores to (read on every entry into a frame). */
		public mem: MemoryBus,
		readonly thread: Thread,
	) {
		this.ctx = new BuiltinCtx(mem, thread.id, thread);
	}

	/**
	 * A direct call (cpu.callee, cpu.args, cpu.retSlot, cpu.retDest) made by the top frame, run
	 * nested, inside the caller's JS activation, instead of through the run loop (see compiler.ts,
	 * "Nested calls"). The caller has set its pc to after the call and `budget`. Pushes the callee's
	 * frame as the run loop's fast path would and runs it. Returns
	 * - 1 when the callee returned: its frame is popped, the value is in `retVal`, `ex` is reset;
	 * - 2 when it stopped (budget, breakpoint, fault, a call through the run loop, an action, UB):
	 *   its frame (and any it pushed) stays on top, `ex` and `budget` say why, and the caller saves
	 *   its registers and returns at once, so the run loop finds the state it would have had;
	 * - 0 when it cannot run nested (too deep, variadic or short argument array, no room for the
	 *   frame on the fast path): nothing happened, the caller exits with Exit.Call.
	 */
	callDirect(): number {
		if (this.nest >= MAX_NEST) return 0;
		const fn = this.callee as FunctionInfo;
		const args = this.args;
		if (args.length !== fn.nregs || fn.variadic) return 0;
		const thread = this.thread;
		const frames = thread.frames;
		const sp = frames[frames.length - 1].base;
		const base = sp - 16 - fn.frameSize;
		if (base < thread.limit || sp % 16 !== 0) return 0;
		const frame = new Frame(fn, args, base, this.retSlot, this.retDest, base + fn.frameSize, null);
		frames.push(frame);
		this.nest++;
		this.ex = EXIT_STATEMENT;
		(fn.code as CompiledCode)(this, frame);
		this.nest--;
		if (this.ex !== EXIT_RETURN) return 2;
		frames.pop();
		this.ex = EXIT_STATEMENT;
		return 1;
	}
}

/** A captured thread (see Thread.save). */
export interface SavedThread {
	readonly frames: readonly Frame[];
	readonly finished: StopReason | null;
	readonly thread: Thread;
	readonly mode: Privilege;
	readonly limit: number;
	readonly otherSp: number;
	readonly code: CodeSpace;
}

/** The kernel stack of a thread (see ThreadStacks). */
export interface KernelStack {
	/** Lowest usable address; a kernel frame below it is a kernel stack overflow. */
	readonly low: number;
	/** The address the first kernel frame starts below. */
	readonly top: number;
}

/** A KC thread: its frames, its stack regions, its privilege, and whether it has finished. */
export class Thread {
	frames: Frame[] = [];
	/** Set once the thread can no longer run (exited, trapped, undefined behaviour). */
	finished: StopReason | null = null;
	readonly cpu: Cpu;
	/** The functions the thread can reach (replace it on exec; see codeSpace.ts). */
	code: CodeSpace;
	/** The program the thread was created for (the first of its code space). */
	readonly program: Program;
	/** The privilege of the top frame (see the header); set by the CPU, reported to `host`. */
	mode: Privilege = 'user';
	/** Low end of the stack the top frame is on (see the header). */
	limit: number;
	/** Stack pointer of the other stack (see the header). */
	otherSp: number;
	/** Lowest usable kernel stack address. */
	readonly kernelStackLow: number;
	/** Top of the kernel stack. */
	readonly kernelStackTop: number;
	/** Told about privilege switches (null: nobody listens, as for a user-only program). */
	host: ThreadHost | null;

	constructor(
		code: CodeSpace | Program,
		memory: MemoryBus,
		readonly id: number,
		/** Lowest usable user stack address; a user frame below it is a stack overflow. */
		readonly stackLow: number,
		/** The stack pointer the first user frame starts below. */
		public initialSp: number,
		/** Addresses below this faulting are reported as null pointer dereferences (0 disables). */
		readonly nullGuard: number,
		kernelStack?: KernelStack,
		host?: ThreadHost,
	) {
		this.code = code instanceof CodeSpace ? code : CodeSpace.of(code);
		this.program = this.code.programs[0];
		this.kernelStackLow = kernelStack?.low ?? 0;
		this.kernelStackTop = kernelStack?.top ?? 0;
		this.host = host ?? null;
		this.limit = stackLow;
		this.otherSp = this.kernelStackTop;
		this.cpu = new Cpu(memory, this);
	}

	/** The memory bus the thread runs on (the current CPU's). */
	get memory(): MemoryBus {
		return this.cpu.mem;
	}

	/** Moves the thread to another memory bus (another CPU's, or another address space's). */
	setMemory(memory: MemoryBus): void {
		this.cpu.mem = memory;
		this.cpu.ctx.mem = memory;
	}

	/** Makes `mode` the thread's privilege before its first frame is pushed: picks the stack the frame goes on. */
	startIn(mode: Privilege): void {
		this.mode = mode;
		if (mode === 'kernel') {
			this.limit = this.kernelStackLow;
			this.otherSp = this.initialSp;
		} else {
			this.limit = this.stackLow;
			this.otherSp = this.kernelStackTop;
		}
	}

	/** The innermost frame (undefined once the thread has returned from its entry function). */
	get top(): Frame | undefined {
		return this.frames[this.frames.length - 1];
	}

	/** Call depth, for step over/out: a step over stops at a depth <= the starting one. */
	get depth(): number {
		return this.frames.length;
	}

	/** Current stack pointer (lowest used address of the stack the thread is on). */
	get sp(): number {
		const top = this.top;
		if (top !== undefined) return top.base;
		return this.mode === 'kernel' ? this.kernelStackTop : this.initialSp;
	}

	/** Deep copy of the thread's state (frames and registers); memory is captured separately. */
	save(): SavedThread {
		return { frames: this.frames.map(f => f.clone()), finished: this.finished, thread: this, mode: this.mode, limit: this.limit, otherSp: this.otherSp, code: this.code };
	}

	/**
	 * Puts this thread back into a saved state (its own or one saved from it). The host is not told
	 * about the mode: it restores its bus's mode from its own snapshot.
	 */
	load(saved: SavedThread): void {
		this.frames = saved.frames.map(f => f.clone());
		this.finished = saved.finished;
		this.mode = saved.mode;
		this.limit = saved.limit;
		this.otherSp = saved.otherSp;
		this.code = saved.code;
	}

	/** Returns the saved thread, put back into its saved state. */
	static restore(saved: SavedThread): Thread {
		saved.thread.load(saved);
		return saved.thread;
	}
}

/** Where a local lives right now in a frame: its value (registers) or its address (memory). */
export interface LocalLocation {
	readonly local: LocalInfo;
	/** Register locals: the value (undefined when not yet assigned). */
	readonly value?: Value;
	/** Memory locals: the address of the object. */
	readonly address?: number;
}

/** Locates a local of `frame` (see LocalInfo.storage). */
export function locateLocal(frame: Frame, local: LocalInfo): LocalLocation {
	switch (local.storage) {
		case 'reg':
			return { local, value: frame.regs[local.slot] };
		case 'stack':
			return { local, address: frame.base + local.offset };
		case 'indirect':
			return { local, address: Number(frame.regs[local.slot] ?? 0) };
		case 'static':
			return { local, address: local.address };
	}
}

/**
 * The locals visible at the frame's current statement (innermost last), found by name lookup the
 * way a debugger's Variables view needs them: parameters, then block locals whose scope contains
 * the statement's start. `program` defaults to the frame's own (statement ids are per program).
 */
export function visibleLocals(frame: Frame, program: Program = frame.fn.program): LocalInfo[] {
	const stmt = program.statements[frame.statement];
	if (!stmt) return frame.fn.locals.filter(l => l.kind === 'param');
	const { line, col } = stmt.range;
	return frame.fn.locals.filter(l => {
		if (l.kind === 'param') return true;
		const s = l.scope;
		const afterStart = line > s.line || (line === s.line && col >= s.col);
		const beforeEnd = line < s.endLine || (line === s.endLine && col < s.endCol);
		return afterStart && beforeEnd;
	});
}
