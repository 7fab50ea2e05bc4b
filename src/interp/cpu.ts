// The KC CPU's run loop: runs a thread's compiled frames for a statement budget, performs the calls
// and returns generated code asks for (a trampoline, so KC recursion never grows the host stack),
// and turns exits into StopReasons (layer: interp).
//
// `run` is re-entrant and keeps no state outside the thread, so a scheduler can interleave threads
// over one memory statement by statement.

import type { CType } from '../lang/types';
import { FlatLayout, type BuiltinAction, type MemoryBus, type MemoryFault, type StopReason, type Value } from './contracts';
import type { FunctionInfo, Program } from './program';
import { Exit } from './runtime';
import { Frame, Thread, type Continuation } from './thread';
import { ptrToI64, toI32 } from './values';

const BUDGET_STOP: StopReason = Object.freeze({ kind: 'budget' });

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
	const mem = cpu.mem;
	// A fault reported earlier has been handled (or the thread would not be resumed).
	mem.fault = null;
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
		const fr = thread.frames[thread.frames.length - 1];
		cpu.ex = EXIT_STATEMENT;
		try {
			fr.fn.code!(cpu, fr);
		} catch (error) {
			// Only a bug in Faultline (generated code or a builtin) gets here: end the thread, keep the host.
			return finish(thread, { kind: 'trap', message: `internal error in the KC CPU: ${error instanceof Error ? error.message : String(error)}` });
		}
		switch (cpu.ex) {
			case EXIT_STATEMENT:
				if (cpu.budget < 0) return BUDGET_STOP;
				fr.pc += 1;
				return { kind: 'breakpoint', stmt: fr.fn.pcStatement[fr.pc] };
			case EXIT_CALL: {
				const fault = pushFrame(thread, cpu.callee!, cpu.args, cpu.argTypes, cpu.retSlot, cpu.retDest, null);
				if (fault !== null) {
					fr.pc -= 1;
					return faultStop(thread, fault);
				}
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
				return faultStop(thread, mem.fault ?? { address: 0, access: 'read', reason: 'bus' });
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

/** Bytes a variadic argument takes in the spill area. */
function vaSlotSize(type: CType | undefined): number {
	return type?.kind === 'struct' ? Math.max(8, Math.ceil(type.size / 8) * 8) : 8;
}

/**
 * Pushes a frame for the KC function `fn`. Extra arguments of a variadic function are spilled into
 * 8-byte slots above its locals. Returns a fault (stack overflow) instead of pushing when the frame
 * does not fit.
 */
export function pushFrame(
	thread: Thread,
	fn: FunctionInfo,
	args: readonly (Value | undefined)[],
	argTypes: readonly CType[],
	retSlot: number,
	retDest: number,
	then: Continuation | null,
): MemoryFault | null {
	const frames = thread.frames;
	const sp = frames.length > 0 ? frames[frames.length - 1].base : thread.initialSp;
	if (args.length === fn.nregs && !fn.variadic) {
		// Fast path: a direct call passes an array already sized for the callee's registers (see
		// compiler.ts); frame sizes are multiples of 16 and frame bases 16-aligned.
		const fastBase = sp - 16 - fn.frameSize;
		if (fastBase >= thread.stackLow && sp % 16 === 0) {
			frames.push(new FrameClass(fn, args as (Value | undefined)[], fastBase, retSlot, retDest, fastBase + fn.frameSize, then));
			return null;
		}
	}
	let vaBytes = 0;
	if (fn.variadic) for (let i = fn.nparams; i < args.length; i++) vaBytes += vaSlotSize(argTypes[i]);
	// 16 bytes for the return address and saved frame pointer, as on x86-64.
	const base = Math.floor((sp - 16 - fn.frameSize - vaBytes) / 16) * 16;
	if (base < thread.stackLow) return { address: Math.max(base, 0), access: 'write', reason: 'not-present', detail: 'stack overflow' };
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
		const mem = thread.memory;
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
	frames.push(new FrameClass(fn, regs, base, retSlot, retDest, va, then));
	return null;
}

function callPointer(thread: Thread, fr: Frame): StopReason | null {
	const cpu = thread.cpu;
	const target = thread.program.functionAt(cpu.callAddr);
	if (target === undefined) {
		fr.pc -= 1;
		return faultStop(thread, { address: cpu.callAddr, access: 'exec', reason: 'not-present', detail: 'call to an address that is not a function' });
	}
	if (target.kind === 'kc') {
		const fault = pushFrame(thread, target, cpu.args, cpu.argTypes, cpu.retSlot, cpu.retDest, null);
		if (fault !== null) {
			fr.pc -= 1;
			return faultStop(thread, fault);
		}
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

function handleAction(thread: Thread, fr: Frame, action: BuiltinAction, retSlot: number): StopReason | null {
	switch (action.kind) {
		case 'block':
			fr.pc -= 1;
			return { kind: 'blocked', reason: action.reason };
		case 'fault':
			fr.pc -= 1;
			return faultStop(thread, thread.memory.fault ?? { address: 0, access: 'read', reason: 'bus' });
		case 'exit':
			return finish(thread, { kind: 'exited', code: action.code });
		case 'trap':
			return finish(thread, action.signal === undefined ? { kind: 'trap', message: action.message } : { kind: 'trap', message: action.message, signal: action.signal });
		case 'call': {
			const program = thread.program;
			const target = typeof action.target === 'string' ? program.functionByName(action.target) : program.functionAt(action.target);
			const then: Continuation = action.then ?? (v => v);
			if (target === undefined) return finish(thread, { kind: 'trap', message: `a builtin called an undefined function (${String(action.target)})` });
			if (target.kind === 'builtin') {
				const ctx = thread.cpu.ctx;
				ctx.argTypes = [];
				const r = target.builtin!(ctx, action.args);
				if (typeof r === 'object' && r !== null) return handleAction(thread, fr, r, retSlot);
				return deliver(thread, fr, retSlot, then(r));
			}
			const fault = pushFrame(thread, target, action.args, [], retSlot, 0, then);
			if (fault !== null) {
				fr.pc -= 1;
				return faultStop(thread, fault);
			}
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
	if (done.then !== null) return deliver(thread, caller, done.retSlot, done.then(value));
	if (done.retSlot >= 0) caller.regs[done.retSlot] = value;
	return null;
}

// ---- Creating threads --------------------------------------------------------------------------------

/** Memory that can map regions (FlatMemory; the machine's MMU later). */
export interface MappableMemory extends MemoryBus {
	map(start: number, length: number, prot: { readonly read: boolean; readonly write: boolean }): void;
}

export interface ThreadOptions {
	/** Thread id (also selects the stack region: top = stackTop - id * stackSize). Default 0. */
	readonly threadId?: number;
	readonly stackTop?: number;
	readonly stackSize?: number;
	/** Map the stack region read-write (default: when the memory can map). */
	readonly mapStack?: boolean;
	/** Faults below this address are reported as null pointer dereferences (default 4096). */
	readonly nullGuard?: number;
	/**
	 * startMain only: the KC function that receives (argc, argv, envp) instead of `main`, e.g. a C
	 * runtime start routine that calls main and then exit. Default `main`.
	 */
	readonly entry?: string;
}

function newThread(program: Program, memory: MemoryBus, options: ThreadOptions | undefined): Thread {
	const id = options?.threadId ?? 0;
	const size = options?.stackSize ?? FlatLayout.stackSize;
	const top = options?.stackTop ?? FlatLayout.stackTop - id * size;
	const low = top - size;
	const mappable = memory as Partial<MappableMemory>;
	if (options?.mapStack !== false && typeof mappable.map === 'function') mappable.map.call(memory, low, size, { read: true, write: true });
	return new Thread(program, memory, id, low, top, options?.nullGuard ?? 4096);
}

function entryFunction(program: Program, entry: string | number): FunctionInfo {
	const fn = typeof entry === 'string' ? program.functionByName(entry) : program.functionAt(entry);
	if (fn === undefined || fn.kind !== 'kc') throw new Error(`createThread: no KC function ${String(entry)}`);
	return fn;
}

/**
 * Creates a thread that will call `entry` (a KC function's name or address) with `args`. The host
 * must check that the entry exists (this throws otherwise: a Faultline bug, not a program error).
 */
export function createThread(program: Program, memory: MemoryBus, entry: string | number, args: readonly Value[], options?: ThreadOptions): Thread {
	const fn = entryFunction(program, entry);
	const thread = newThread(program, memory, options);
	const fault = pushFrame(thread, fn, args, [], -1, 0, null);
	if (fault !== null) thread.finished = { kind: 'fault', fault };
	return thread;
}

/**
 * Creates the main thread of a program: copies the argument strings to the top of the stack, builds
 * the NULL-terminated `argv` array below them (and an empty `envp`), as Linux does, and calls
 * `main(argc, argv, envp)` (fewer arguments if main takes fewer), or `options.entry` instead.
 */
export function startMain(program: Program, memory: MemoryBus, argv: readonly string[], options?: ThreadOptions): Thread {
	const fn = entryFunction(program, options?.entry ?? 'main');
	const thread = newThread(program, memory, options);
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
	const args: Value[] = [argv.length, argvAddress, envpAddress];
	const fault = memory.fault ?? pushFrame(thread, fn, args.slice(0, Math.max(fn.nparams, 0)), [], -1, 0, null);
	if (fault !== null) thread.finished = { kind: 'fault', fault };
	return thread;
}
