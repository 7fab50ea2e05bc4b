// Threads of the KC CPU: an explicit stack of plain-data frames over a region of simulated stack
// memory, plus the scratch object compiled code talks to (layer: interp).
//
// A thread's whole state is `frames` (each: function, pc, registers, frame base, where its result
// goes) and `finished`; memory holds the rest. `save()` deep-copies the frames (small arrays), so a
// saved thread plus a memory snapshot capture everything: restoring both and running again gives
// the same execution, bit for bit (nothing here reads clocks, random numbers or host state).

import type { CType } from '../lang/types';
import type { BuiltinAction, BuiltinContext, MemoryBus, StopReason, Value } from './contracts';
import type { CpuScratch, FrameState, FunctionInfo, LocalInfo, Program } from './program';

/** Continuation of a builtin that called a KC function (`BuiltinAction` `call` with `then`). */
export type Continuation = (ret: Value | undefined) => Value | undefined | BuiltinAction;

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
		/** Address of the first spilled variadic argument (va_start's value). */
		readonly va: number,
		/** Set when a builtin called this function: receives the return value. */
		readonly then: Continuation | null,
	) {}

	/** The statement this frame is at (about to execute, or in the middle of). */
	get statement(): number {
		return this.fn.pcStatement[this.pc] ?? -1;
	}

	/** True when the frame is stopped before its statement's check (the statement has not been counted). */
	get atStatementCheck(): boolean {
		return this.fn.checkPc[this.pc] === 1;
	}

	clone(): Frame {
		const f = new Frame(this.fn, this.regs.slice(), this.base, this.retSlot, this.retDest, this.va, this.then);
		f.pc = this.pc;
		return f;
	}
}

/** The BuiltinContext handed to builtins; `argTypes` is set by each call site. */
export class BuiltinCtx implements BuiltinContext {
	argTypes: readonly CType[] = [];
	constructor(
		readonly mem: MemoryBus,
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
	readonly ctx: BuiltinCtx;

	constructor(
		readonly mem: MemoryBus,
		readonly bp: Uint8Array,
		thread: Thread,
	) {
		this.ctx = new BuiltinCtx(mem, thread.id, thread);
	}
}

/** A captured thread (see Thread.save). */
export interface SavedThread {
	readonly frames: readonly Frame[];
	readonly finished: StopReason | null;
	readonly thread: Thread;
}

/** A KC thread: its frames, its stack region, and whether it has finished. */
export class Thread {
	frames: Frame[] = [];
	/** Set once the thread can no longer run (exited, trapped, undefined behaviour). */
	finished: StopReason | null = null;
	readonly cpu: Cpu;

	constructor(
		readonly program: Program,
		readonly memory: MemoryBus,
		readonly id: number,
		/** Lowest usable stack address; a frame below it is a stack overflow. */
		readonly stackLow: number,
		/** The stack pointer the first frame starts below. */
		public initialSp: number,
		/** Addresses below this faulting are reported as null pointer dereferences (0 disables). */
		readonly nullGuard: number,
	) {
		this.cpu = new Cpu(memory, program.breakpoints, this);
	}

	/** The innermost frame (undefined once the thread has returned from its entry function). */
	get top(): Frame | undefined {
		return this.frames[this.frames.length - 1];
	}

	/** Call depth, for step over/out: a step over stops at a depth <= the starting one. */
	get depth(): number {
		return this.frames.length;
	}

	/** Current stack pointer (lowest used stack address). */
	get sp(): number {
		const top = this.top;
		return top ? top.base : this.initialSp;
	}

	/** Deep copy of the thread's state (frames and registers); memory is captured separately. */
	save(): SavedThread {
		return { frames: this.frames.map(f => f.clone()), finished: this.finished, thread: this };
	}

	/** Puts this thread back into a saved state (its own or one saved from it). */
	load(saved: SavedThread): void {
		this.frames = saved.frames.map(f => f.clone());
		this.finished = saved.finished;
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
 * the statement's start.
 */
export function visibleLocals(frame: Frame, program: Program): LocalInfo[] {
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
