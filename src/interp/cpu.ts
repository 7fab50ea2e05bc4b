// The KC CPU's run loop: runs a thread's compiled frames for a statement budget, performs the calls
// and returns generated code asks for (a trampoline, so KC recursion never grows the host stack),
// switches privilege where user and kernel code meet, lets the host inject calls (traps), and turns
// exits into StopReasons (layer: interp).
//
// `run` is re-entrant and keeps no state outside the thread, so a scheduler can interleave threads
// over one memory statement by statement.
//
// ## Calls and privilege (see thread.ts for the stack invariants)
// - Direct calls target a function of the same privilege (compiler.ts): they push on the current
//   stack with no privilege check, and an ordinary return (a frame with no link) pops without one.
//   This is the hot path: the caller runs it nested (Cpu.callDirect) inside its own JS activation,
//   and only when that cannot be done exits with Exit.Call for this loop to push the frame. A
//   nested callee that stops makes every activation return at once, leaving the callee's frame on
//   top: so after generated code returns, the frame that exited is the top frame, not necessarily
//   the one this loop ran.
// - Calls through a pointer (Exit.CallPointer) look the address up in the thread's CodeSpace, so a
//   pointer may name a function of any program (the kernel calling a module's `vm_ops->fault`). A
//   pointer to code of the other privilege faults instead (exec, protection), as on x86: user code
//   cannot jump into the kernel, and the kernel does not run user code (SMEP).
// - The gates between user and kernel code are a builtin's `call` action (a system call: the user
//   C library's wrapper returns `{ kind: 'call', target: <kernel function> }`) and `injectCall`
//   (a trap: the machine pushes `do_page_fault` on a faulting thread). Both may cross privilege in
//   either direction; crossing reports the new mode to the thread's host before the new frame
//   touches memory, and the return reports the old mode again before the continuation runs.
//
// ## Injection (traps)
// Between two `run` calls, whatever stopped the thread (a `fault`, `budget`, `breakpoint` or
// `blocked` stop, or none yet), `injectCall` pushes a call to a KC function on top of the thread's
// frames. The interrupted frame is untouched: after a fault its pc is the resume label that
// re-executes the faulting access (compiler.ts), after a statement stop it is the statement's
// check or body label. When the injected function returns, its continuation decides: resume the
// interrupted frame (the default), inject another call (a signal handler), or end the thread.
// Frames, links and continuations are all part of the thread's saved state.

import type { CType } from '../lang/types';
import { FlatLayout, KernelLayout, type BuiltinAction, type MemoryBus, type MemoryFault, type Privilege, type StopReason, type Value } from './contracts';
import { CodeSpace } from './codeSpace';
import type { FunctionInfo, MappableMemory, Program } from './program';
import { Exit } from './runtime';
import { Frame, Thread, type Continuation, type FrameLink, type InjectionContinuation, type InjectionOutcome, type ThreadHost } from './thread';
import { convInt, intToPtr, ptrToI64, toI32, truthy } from './values';

export type { MappableMemory } from './program';

const BUDGET_STOP: StopReason = Object.freeze({ kind: 'budget' });

/** `detail` of the fault pushFrame reports when a kernel frame does not fit (becomes a trap stop). */
const KERNEL_STACK_OVERFLOW = 'kernel stack overflow';

// Imported bindings compile to getters under CommonJS interop; the run loop is hot, so it reads
// module-local copies.
const EXIT_STATEMENT = Exit.Statement;
const EXIT_CALL = Exit.Call;
const EXIT_CALL_POINTER = Exit.CallPointer;
const EXIT_RETURN = Exit.Return;
const EXIT_FAULT = Exit.Fault;
const EXIT_UB = Exit.Ub;
const EXIT_ACTION = Exit.Action;
const FrameClass = Frame;
const toI32Local = toI32;
const ptrToI64Local = ptrToI64;

/** Options of one `run` call. */
export interface RunOptions {
	/**
	 * When the thread is stopped before a statement's check (after a step or a budget stop), count
	 * and execute that statement without stopping at a breakpoint on it: what "continue" from the
	 * current line needs.
	 */
	readonly skipBreakpoint?: boolean;
}

/**
 * Runs `thread` for at most `budget` statements. Returns why it stopped; a thread stopped by
 * `budget`, `breakpoint`, `fault` or `blocked` can be run again. Never throws for anything the KC
 * program does.
 */
export function run(thread: Thread, budget: number, options?: RunOptions): StopReason {
	if (thread.finished !== null) return thread.finished;
	const cpu = thread.cpu;
	// A fault reported earlier has been handled (or the thread would not be resumed).
	cpu.mem.fault = null;
	cpu.budget = budget;
	if (options?.skipBreakpoint === true) {
		const top = thread.top;
		if (top !== undefined && top.fn.checkPc[top.pc] === 1) {
			if (budget <= 0) return BUDGET_STOP;
			top.pc += 1;
			cpu.budget = budget - 1;
		}
	}
	for (;;) {
		const running = thread.frames[thread.frames.length - 1];
		cpu.ex = EXIT_STATEMENT;
		cpu.nest = 0;
		try {
			running.fn.code!(cpu, running);
		} catch (error) {
			// Only a bug in Faultline (generated code or a builtin) gets here: end the thread, keep the host.
			return finish(thread, { kind: 'trap', message: `internal error in the KC CPU: ${error instanceof Error ? error.message : String(error)}` });
		}
		// The frame that exited: `running`, or a frame its nested calls pushed (Cpu.callDirect).
		const fr = thread.frames[thread.frames.length - 1];
		switch (cpu.ex) {
			case EXIT_STATEMENT:
				if (cpu.budget < 0) return BUDGET_STOP;
				fr.pc += 1;
				return { kind: 'breakpoint', stmt: fr.fn.pcStatement[fr.pc] };
			case EXIT_CALL: {
				const fault = pushFrame(thread, cpu.callee!, cpu.args, cpu.argTypes, cpu.retSlot, cpu.retDest, null);
				if (fault !== null) return callFailed(thread, fr, fault);
				break;
			}
			case EXIT_CALL_POINTER: {
				const stop = callPointer(thread, fr);
				if (stop !== null) return stop;
				break;
			}
			case EXIT_RETURN: {
				const stop = doReturn(thread, cpu.retVal);
				if (stop !== null) return stop;
				break;
			}
			case EXIT_FAULT:
				return faultStop(thread, cpu.mem.fault ?? { address: 0, access: 'read', reason: 'bus' });
			case EXIT_UB:
				return finish(thread, { kind: 'ub', message: cpu.ubMessage, stmt: fr.fn.pcStatement[fr.pc] });
			case EXIT_ACTION: {
				const stop = handleAction(thread, fr, cpu.action!, cpu.retSlot);
				if (stop !== null) return stop;
				break;
			}
			default:
				return finish(thread, { kind: 'trap', message: `internal error: unknown CPU exit ${cpu.ex}` });
		}
	}
}

function finish(thread: Thread, reason: StopReason): StopReason {
	thread.finished = reason;
	return reason;
}

/** A fault stop, or undefined behaviour when it hit the null guard page. */
function faultStop(thread: Thread, fault: MemoryFault): StopReason {
	if (fault.address < thread.nullGuard) {
		const top = thread.top;
		const what = fault.access === 'exec' ? 'call through a null function pointer' : `null pointer dereference (${fault.access} at address 0x${fault.address.toString(16)})`;
		return finish(thread, { kind: 'ub', message: what, stmt: top ? top.fn.pcStatement[top.pc] : -1 });
	}
	return { kind: 'fault', fault };
}

/**
 * A call from `fr` could not push its frame: the call is retried on resume (pc back to the call's
 * label) after a fault, and a kernel stack overflow ends the thread, as the double fault it is.
 */
function callFailed(thread: Thread, fr: Frame, fault: MemoryFault): StopReason {
	fr.pc -= 1;
	if (fault.detail === KERNEL_STACK_OVERFLOW) return finish(thread, { kind: 'trap', message: KERNEL_STACK_OVERFLOW });
	return faultStop(thread, fault);
}

/** Reports the thread's new privilege to its host. */
function switchMode(thread: Thread, mode: Privilege): void {
	thread.mode = mode;
	const host = thread.host;
	if (host !== null) host.onModeSwitch(thread, mode);
}

/** Bytes a variadic argument takes in the spill area. */
function vaSlotSize(type: CType | undefined): number {
	return type?.kind === 'struct' ? Math.max(8, Math.ceil(type.size / 8) * 8) : 8;
}

/**
 * Pushes a frame for the KC function `fn` on the stack the thread is on (same privilege as the top
 * frame, or the thread's first frame). Extra arguments of a variadic function are spilled into
 * 8-byte slots above its locals. Returns a fault (stack overflow; detail `kernel stack overflow` on
 * the kernel stack) instead of pushing when the frame does not fit.
 */
export function pushFrame(
	thread: Thread,
	fn: FunctionInfo,
	args: readonly (Value | undefined)[],
	argTypes: readonly CType[],
	retSlot: number,
	retDest: number,
	link: FrameLink | null,
): MemoryFault | null {
	const frames = thread.frames;
	const n = frames.length;
	if (n > 0 && args.length === fn.nregs && !fn.variadic) {
		// Fast path: a direct call passes an array already sized for the callee's registers (see
		// compiler.ts); frame sizes are multiples of 16 and frame bases 16-aligned.
		const sp = frames[n - 1].base;
		const fastBase = sp - 16 - fn.frameSize;
		if (fastBase >= thread.limit && sp % 16 === 0) {
			frames.push(new FrameClass(fn, args as (Value | undefined)[], fastBase, retSlot, retDest, fastBase + fn.frameSize, link));
			return null;
		}
	}
	return pushAt(thread, fn, args, argTypes, retSlot, retDest, link, n > 0 ? frames[n - 1].base : thread.sp);
}

/** Pushes a frame below `sp` on the current stack (limit `thread.limit`); see pushFrame. */
function pushAt(
	thread: Thread,
	fn: FunctionInfo,
	args: readonly (Value | undefined)[],
	argTypes: readonly CType[],
	retSlot: number,
	retDest: number,
	link: FrameLink | null,
	sp: number,
): MemoryFault | null {
	let vaBytes = 0;
	if (fn.variadic) for (let i = fn.nparams; i < args.length; i++) vaBytes += vaSlotSize(argTypes[i]);
	// 16 bytes for the return address and saved frame pointer, as on x86-64.
	const base = Math.floor((sp - 16 - fn.frameSize - vaBytes) / 16) * 16;
	if (base < thread.limit) {
		const detail = thread.mode === 'kernel' ? KERNEL_STACK_OVERFLOW : 'stack overflow';
		return { address: Math.max(base, 0), access: 'write', reason: 'not-present', detail };
	}
	let regs: (Value | undefined)[];
	if (args.length === fn.nregs && !fn.variadic) {
		// Direct calls pass an array already sized for the callee's registers (see compiler.ts).
		regs = args as (Value | undefined)[];
	} else {
		regs = fn.regTemplate.slice();
		const n = Math.min(fn.nparams, args.length);
		for (let i = 0; i < n; i++) regs[i] = args[i];
	}
	const va = base + fn.frameSize;
	if (vaBytes > 0) {
		const mem = thread.cpu.mem;
		let at = va;
		for (let i = fn.nparams; i < args.length; i++) {
			const t = argTypes[i];
			const v = args[i] ?? 0;
			if (t?.kind === 'struct') {
				mem.copy(at, Number(v), t.size);
			} else if (t?.kind === 'float' || (t === undefined && typeof v === 'number' && !Number.isInteger(v))) {
				mem.stf64(at, Number(v));
			} else if (t?.kind === 'pointer') {
				mem.st64(at, ptrToI64Local(Number(v)));
			} else {
				mem.st64(at, v);
			}
			if (mem.fault !== null) return mem.fault;
			at += vaSlotSize(t);
		}
	}
	thread.frames.push(new FrameClass(fn, regs, base, retSlot, retDest, va, link));
	return null;
}

/**
 * Enters `fn` through a gate (a builtin's `call` action or an injection): a linked frame, pushed on
 * the other stack with a mode switch when `fn` runs at the other privilege. On failure the thread is
 * left exactly as it was (mode and stacks included).
 */
/**
 * Converts values a host (a builtin's `call` action, an injected trap, a new thread) passes to a KC
 * function into its parameters' representation (contracts.ts), as a call from KC code would: a
 * bigint kernel address for a pointer parameter becomes the 48-bit number, an out-of-range integer
 * wraps to the parameter's type. Generated code does this itself for calls between KC functions.
 */
function hostArgs(fn: FunctionInfo, args: readonly Value[]): readonly Value[] {
	const params = fn.type?.params;
	if (params === undefined) return args;
	let converted: Value[] | undefined;
	const n = Math.min(params.length, args.length);
	for (let i = 0; i < n; i++) {
		const t = params[i].type;
		const v = args[i];
		let c: Value = v;
		if (t.kind === 'pointer') c = intToPtr(v);
		else if (t.kind === 'int') c = t.name === '_Bool' ? (truthy(v) ? 1 : 0) : convInt(v, t.size, t.signed);
		else if (t.kind === 'float' && typeof v === 'bigint') c = t.size === 4 ? Math.fround(Number(v)) : Number(v);
		if (c !== v) {
			converted ??= args.slice();
			converted[i] = c;
		}
	}
	return converted ?? args;
}

function enterFrame(
	thread: Thread,
	fn: FunctionInfo,
	hostValues: readonly Value[],
	retSlot: number,
	kind: 'call' | 'inject',
	then: Continuation | InjectionContinuation | null,
): MemoryFault | null {
	const args = hostArgs(fn, hostValues);
	if (fn.privilege === thread.mode) return pushFrame(thread, fn, args, [], retSlot, 0, makeLink(kind, then, false, 0, 0));
	const savedOtherSp = thread.otherSp;
	const savedLimit = thread.limit;
	const previous = thread.mode;
	const link = makeLink(kind, then, true, savedOtherSp, savedLimit);
	thread.otherSp = thread.sp;
	thread.limit = fn.privilege === 'kernel' ? thread.kernelStackLow : thread.stackLow;
	switchMode(thread, fn.privilege);
	const fault = pushAt(thread, fn, args, [], retSlot, 0, link, savedOtherSp);
	if (fault !== null) {
		thread.otherSp = savedOtherSp;
		thread.limit = savedLimit;
		switchMode(thread, previous);
	}
	return fault;
}

function makeLink(kind: 'call' | 'inject', then: Continuation | InjectionContinuation | null, switched: boolean, savedOtherSp: number, savedLimit: number): FrameLink {
	return kind === 'call'
		? { kind, then: then as Continuation, switched, savedOtherSp, savedLimit }
		: { kind, then: then as InjectionContinuation | null, switched, savedOtherSp, savedLimit };
}

function callPointer(thread: Thread, fr: Frame): StopReason | null {
	const cpu = thread.cpu;
	const target = thread.code.functionAt(cpu.callAddr);
	if (target === undefined) {
		fr.pc -= 1;
		return faultStop(thread, { address: cpu.callAddr, access: 'exec', reason: 'not-present', detail: 'call to an address that is not a function' });
	}
	if (target.privilege !== thread.mode) {
		fr.pc -= 1;
		const detail = thread.mode === 'user' ? 'call into kernel code from user mode' : 'call into user code from kernel mode';
		return faultStop(thread, { address: cpu.callAddr, access: 'exec', reason: 'protection', detail });
	}
	if (target.kind === 'kc') {
		// Through a pointer of another type (a syscall table's cast), each argument arrives as the
		// callee's parameter type reads its register: an int parameter sees the low 32 bits, as on x86-64.
		const fault = pushFrame(thread, target, hostArgs(target, cpu.args as Value[]), cpu.argTypes, cpu.retSlot, cpu.retDest, null);
		if (fault !== null) return callFailed(thread, fr, fault);
		return null;
	}
	const ctx = cpu.ctx;
	ctx.argTypes = cpu.argTypes;
	const result = target.builtin!(ctx, cpu.args as Value[]);
	return deliver(thread, fr, cpu.retSlot, result);
}

/** Gives a builtin's result to the frame whose call it was (pc = after the call). */
function deliver(thread: Thread, fr: Frame, retSlot: number, result: Value | undefined | BuiltinAction): StopReason | null {
	if (typeof result === 'object' && result !== null) return handleAction(thread, fr, result, retSlot);
	if (retSlot >= 0) fr.regs[retSlot] = result;
	return null;
}

/** Resolves a call target: a function, a text address of any program, or a name (`preferred` program first). */
function resolveTarget(thread: Thread, target: string | number | FunctionInfo, preferred: Program | undefined): FunctionInfo | undefined {
	if (typeof target === 'number') return thread.code.functionAt(target);
	if (typeof target === 'string') return thread.code.functionByName(target, preferred);
	return target;
}

function handleAction(thread: Thread, fr: Frame, action: BuiltinAction, retSlot: number): StopReason | null {
	switch (action.kind) {
		case 'block':
			fr.pc -= 1;
			return { kind: 'blocked', reason: action.reason };
		case 'fault':
			fr.pc -= 1;
			return faultStop(thread, thread.cpu.mem.fault ?? { address: 0, access: 'read', reason: 'bus' });
		case 'exit':
			return finish(thread, { kind: 'exited', code: action.code });
		case 'trap':
			return finish(thread, action.signal === undefined ? { kind: 'trap', message: action.message } : { kind: 'trap', message: action.message, signal: action.signal });
		case 'call': {
			const target = resolveTarget(thread, action.target, fr.fn.program);
			const then: Continuation = action.then ?? (v => v);
			if (target === undefined) return finish(thread, { kind: 'trap', message: `a builtin called an undefined function (${String(action.target)})` });
			if (target.kind === 'builtin') {
				const ctx = thread.cpu.ctx;
				ctx.argTypes = [];
				const previous = thread.mode;
				const switched = target.privilege !== previous;
				if (switched) switchMode(thread, target.privilege);
				const r = target.builtin!(ctx, action.args);
				if (switched) switchMode(thread, previous);
				if (typeof r === 'object' && r !== null) return handleAction(thread, fr, r, retSlot);
				return deliver(thread, fr, retSlot, then(r));
			}
			const fault = enterFrame(thread, target, action.args, retSlot, 'call', then);
			if (fault !== null) return callFailed(thread, fr, fault);
			return null;
		}
	}
}

function doReturn(thread: Thread, value: Value | undefined): StopReason | null {
	const frames = thread.frames;
	const done = frames.pop()!;
	const caller = frames.length > 0 ? frames[frames.length - 1] : undefined;
	if (caller === undefined) {
		const code = value === undefined ? 0 : toI32Local(value);
		return finish(thread, { kind: 'exited', code });
	}
	if (done.link !== null) return linkedReturn(thread, done, done.link, caller, value);
	if (done.retSlot >= 0) caller.regs[done.retSlot] = value;
	return null;
}

/** Return from a frame entered through a gate: back to the caller's privilege, then the continuation. */
function linkedReturn(thread: Thread, done: Frame, link: FrameLink, caller: Frame, value: Value | undefined): StopReason | null {
	if (link.switched) {
		thread.otherSp = link.savedOtherSp;
		thread.limit = link.savedLimit;
		switchMode(thread, caller.fn.privilege);
	}
	if (link.kind === 'call') return deliver(thread, caller, done.retSlot, link.then(value));
	const outcome = link.then === null ? undefined : link.then(value);
	return injectionOutcome(thread, outcome);
}

/** Carries out what an injected call's continuation decided (the interrupted frame is on top). */
function injectionOutcome(thread: Thread, outcome: InjectionOutcome): StopReason | null {
	if (outcome === undefined) return null;
	switch (outcome.kind) {
		case 'resume':
			return null;
		case 'trap':
			return finish(thread, outcome.signal === undefined ? { kind: 'trap', message: outcome.message } : { kind: 'trap', message: outcome.message, signal: outcome.signal });
		case 'exit':
			return finish(thread, { kind: 'exited', code: outcome.code });
		case 'call':
			return inject(thread, outcome.target, outcome.args, outcome.then ?? null);
	}
}

function inject(thread: Thread, target: string | number | FunctionInfo, args: readonly Value[], then: InjectionContinuation | null): StopReason | null {
	const fn = resolveTarget(thread, target, thread.top?.fn.program);
	if (fn === undefined || fn.kind !== 'kc') return finish(thread, { kind: 'trap', message: `injected call to something that is not a KC function (${typeof target === 'object' ? target.name : String(target)})` });
	const fault = enterFrame(thread, fn, args, -1, 'inject', then);
	if (fault === null) return null;
	if (fault.detail === KERNEL_STACK_OVERFLOW) return finish(thread, { kind: 'trap', message: KERNEL_STACK_OVERFLOW });
	return faultStop(thread, fault);
}

/**
 * Pushes a call to the KC function `target` (a FunctionInfo, a text address of any program in the
 * thread's code space, or a name, looked up in the top frame's program first) on top of a stopped
 * thread's frames, with `args`, as the hardware does when it takes a trap: the machine injects
 * `do_page_fault(address, error_code)` after a `fault` stop, or a signal handler at a statement
 * boundary. The call runs at its function's privilege (switching stacks and reporting the mode as
 * a gate does); its return value goes to `then`, whose outcome decides what follows (see
 * InjectionOutcome: by default the interrupted frame resumes exactly where it stopped).
 *
 * Returns null when the call is pushed, or the stop that prevents it: a `fault` stop when the frame
 * does not fit on a user stack, a `trap` (thread finished) on a kernel stack overflow or a target
 * that is not a KC function. Throws when the thread has finished or has no frame (a host bug).
 */
export function injectCall(thread: Thread, target: string | number | FunctionInfo, args: readonly Value[], then?: InjectionContinuation): StopReason | null {
	if (thread.finished !== null || thread.frames.length === 0) throw new Error('injectCall: the thread is not running');
	// The fault that stopped the thread (if any) is being handled by this very call.
	thread.cpu.mem.fault = null;
	return inject(thread, target, args, then ?? null);
}

// ---- Creating threads --------------------------------------------------------------------------------

export interface ThreadOptions {
	/** Thread id (also selects the stack regions: user top = stackTop - id * stackSize). Default 0. */
	readonly threadId?: number;
	readonly stackTop?: number;
	readonly stackSize?: number;
	/**
	 * Top of the thread's kernel stack (default: KernelLayout.stackBase + (id + 1) * stackStride). A
	 * thread gets a kernel stack when its code space has kernel code or this is given.
	 */
	readonly kernelStackTop?: number;
	/** Kernel stack size (default KernelLayout.stackSize, 16 KiB as THREAD_SIZE). */
	readonly kernelStackSize?: number;
	/** Map the stack regions read-write (default: when the memory can map). */
	readonly mapStack?: boolean;
	/** Faults below this address are reported as null pointer dereferences (default 4096). */
	readonly nullGuard?: number;
	/**
	 * startMain only: the KC function that receives (argc, argv, envp) instead of `main`, e.g. a C
	 * runtime start routine that calls main and then exit. Default `main`.
	 */
	readonly entry?: string;
	/** Told about every privilege switch (see thread.ts ThreadHost). */
	readonly host?: ThreadHost;
}

function newThread(code: CodeSpace, memory: MemoryBus, entry: FunctionInfo, options: ThreadOptions | undefined): Thread {
	const id = options?.threadId ?? 0;
	const size = options?.stackSize ?? FlatLayout.stackSize;
	const top = options?.stackTop ?? FlatLayout.stackTop - id * size;
	const low = top - size;
	const hasKernelStack = code.hasKernel || options?.kernelStackTop !== undefined;
	const kernelSize = options?.kernelStackSize ?? KernelLayout.stackSize;
	const kernelTop = hasKernelStack ? (options?.kernelStackTop ?? KernelLayout.stackBase + (id + 1) * KernelLayout.stackStride) : 0;
	const kernelLow = hasKernelStack ? kernelTop - kernelSize : 0;
	const mappable = memory as Partial<MappableMemory>;
	if (options?.mapStack !== false && typeof mappable.map === 'function') {
		mappable.map.call(memory, low, size, { read: true, write: true });
		if (hasKernelStack) mappable.map.call(memory, kernelLow, kernelSize, { read: true, write: true });
	}
	const thread = new Thread(code, memory, id, low, top, options?.nullGuard ?? 4096, { low: kernelLow, top: kernelTop }, options?.host);
	thread.startIn(entry.privilege);
	return thread;
}

function codeSpaceOf(code: Program | CodeSpace): CodeSpace {
	return code instanceof CodeSpace ? code : CodeSpace.of(code);
}

function entryFunction(code: CodeSpace, entry: string | number): FunctionInfo {
	const fn = typeof entry === 'string' ? code.functionByName(entry) : code.functionAt(entry);
	if (fn === undefined || fn.kind !== 'kc') throw new Error(`createThread: no KC function ${String(entry)}`);
	return fn;
}

/**
 * Creates a thread that will call `entry` (a KC function's name or address, in any program of the
 * code space) with `args`, at that function's privilege and on the matching stack. The host must
 * check that the entry exists (this throws otherwise: a Faultline bug, not a program error).
 */
export function createThread(code: Program | CodeSpace, memory: MemoryBus, entry: string | number, args: readonly Value[], options?: ThreadOptions): Thread {
	const space = codeSpaceOf(code);
	const fn = entryFunction(space, entry);
	const thread = newThread(space, memory, fn, options);
	const fault = pushFrame(thread, fn, hostArgs(fn, args), [], -1, 0, null);
	if (fault !== null) thread.finished = fault.detail === KERNEL_STACK_OVERFLOW ? { kind: 'trap', message: KERNEL_STACK_OVERFLOW } : { kind: 'fault', fault };
	return thread;
}

/**
 * Creates the main thread of a program: copies the argument strings to the top of the stack, builds
 * the NULL-terminated `argv` array below them (and an empty `envp`), as Linux does, and calls
 * `main(argc, argv, envp)` (fewer arguments if main takes fewer), or `options.entry` instead. With
 * a code space, names are looked up in its programs in order (put the user program first).
 */
export function startMain(code: Program | CodeSpace, memory: MemoryBus, argv: readonly string[], options?: ThreadOptions): Thread {
	const space = codeSpaceOf(code);
	const fn = entryFunction(space, options?.entry ?? 'main');
	const thread = newThread(space, memory, fn, options);
	const encoder = new TextEncoder();
	let sp = thread.initialSp - 16;
	const pointers: number[] = [];
	for (const arg of argv) {
		const bytes = encoder.encode(arg);
		sp -= bytes.length + 1;
		memory.write(sp, bytes);
		memory.st8(sp + bytes.length, 0);
		pointers.push(sp);
	}
	sp = Math.floor(sp / 16) * 16;
	// envp (one NULL), then argv's NULL terminator and pointers, 16-aligned like the ABI's.
	const words = pointers.length + 2;
	sp -= words * 8;
	sp = Math.floor(sp / 16) * 16;
	const argvAddress = sp;
	for (let i = 0; i < pointers.length; i++) memory.st64(argvAddress + 8 * i, pointers[i]);
	memory.st64(argvAddress + 8 * pointers.length, 0);
	const envpAddress = argvAddress + 8 * (pointers.length + 1);
	memory.st64(envpAddress, 0);
	thread.initialSp = sp;
	if (fn.privilege === 'kernel') thread.otherSp = sp;
	const args: Value[] = [argv.length, argvAddress, envpAddress];
	const fault = memory.fault ?? pushFrame(thread, fn, args.slice(0, Math.max(fn.nparams, 0)), [], -1, 0, null);
	if (fault !== null) thread.finished = { kind: 'fault', fault };
	return thread;
}
