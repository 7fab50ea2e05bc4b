// Page faults on the booted kernel (layer: kernel): what the x86 trap path does between the MMU and
// the KC fault handler. A user thread's access faults → `run` returns a `fault` stop carrying the
// MMU's PageFault → `handlePageFault` injects the KC `do_page_fault(error_code, address)`
// (kc/kernel/arch/x86/mm/fault.c) on that thread, in kernel mode on its kernel stack → on return 0
// the interrupted frame resumes and the access re-executes; a signal number ends the thread with a
// `trap` stop carrying that signal (signal handlers come with processes).
//
// A fault taken in kernel mode is not handled here: with no exception table yet it is an oops, and
// the stop is returned to the caller as is. A handler that keeps answering 0 while the access keeps
// faulting at the same address would loop forever on hardware; here it ends the thread after
// FAULT_RETRY_LIMIT such faults in a row.

import { CodeSpace } from '../interp/codeSpace';
import type { MemoryFault, StopReason, Value } from '../interp/contracts';
import { KernelLayout } from '../interp/contracts';
import { createThread, injectCall, run } from '../interp/cpu';
import type { Program } from '../interp/program';
import type { Thread } from '../interp/thread';
import { ptrToU64, toI32 } from '../interp/values';
import { bootStackTop, type BootedKernel } from './boot';
import { canonicalHex } from './builtins';
import { X86_PF_INSTR, X86_PF_PROT, X86_PF_USER, X86_PF_WRITE } from './hw/mmu';

/** Consecutive faults at one address that the handler claims to have fixed before the thread is killed. */
export const FAULT_RETRY_LIMIT = 8;

/** Signal names for messages. */
const SIGNAL_NAMES: Readonly<Record<number, string>> = { 7: 'SIGBUS', 9: 'SIGKILL', 11: 'SIGSEGV' };

/**
 * The x86 error code of a fault: the MMU's own for a page fault, else (a fault the CPU synthesised,
 * e.g. a user stack overflow) built from the access kind, the reason and the thread's mode.
 */
export function pageFaultErrorCode(fault: MemoryFault, mode: 'user' | 'kernel'): number {
	const code = (fault as { readonly errorCode?: unknown }).errorCode;
	if (typeof code === 'number') return code;
	return (fault.reason === 'protection' ? X86_PF_PROT : 0)
		| (fault.access === 'write' ? X86_PF_WRITE : 0)
		| (fault.access === 'exec' ? X86_PF_INSTR : 0)
		| (mode === 'user' ? X86_PF_USER : 0);
}

/** Options of createUserThread. */
export interface UserThreadOptions {
	/** Top of the user stack (default: FlatLayout's). The stack must be covered by a VMA of the current mm. */
	readonly stackTop?: number;
	readonly stackSize?: number;
}

/**
 * A user-mode thread on CPU `cpu` calling the user program's KC function `entry(args)`, with the
 * kernel in its code space (so faults can enter it) and that CPU's boot kernel stack as its kernel
 * stack. Nothing is mapped: the user stack demand-faults like any other user memory. NULL is an
 * ordinary unmapped address (nullGuard 0). The CPU's bus follows the thread's privilege.
 */
export function createUserThread(booted: BootedKernel, user: Program, cpu: number, entry: string, args: readonly Value[] = [], options?: UserThreadOptions): Thread {
	if (booted.kernel === undefined) throw new Error('createUserThread: the kernel did not link');
	const bus = booted.machine.cpus[cpu].bus;
	bus.mode = 'user';
	return createThread(new CodeSpace([user, booted.kernel]), bus, entry, args, {
		threadId: cpu,
		...(options?.stackTop === undefined ? {} : { stackTop: options.stackTop }),
		...(options?.stackSize === undefined ? {} : { stackSize: options.stackSize }),
		kernelStackTop: bootStackTop(cpu),
		kernelStackSize: KernelLayout.stackSize,
		mapStack: false,
		nullGuard: 0,
		host: { onModeSwitch: (_thread, mode) => { bus.mode = mode; } },
	});
}

/**
 * Handles a user-mode `fault` stop of `thread`: injects `do_page_fault(error_code, address)`, whose
 * return decides (0: resume and re-execute the access; a signal number: the thread ends with a
 * `trap` stop with that signal). Returns null when the handler is pushed (run the thread again), or
 * the stop that prevents it.
 */
export function handlePageFault(thread: Thread, stop: Extract<StopReason, { kind: 'fault' }>): StopReason | null {
	const fault = stop.fault;
	const errorCode = pageFaultErrorCode(fault, thread.mode);
	return injectCall(thread, 'do_page_fault', [errorCode, ptrToU64(fault.address)], ret => {
		const signal = ret === undefined ? 0 : toI32(ret);
		if (signal === 0) return { kind: 'resume' };
		const name = SIGNAL_NAMES[signal] ?? `signal ${signal}`;
		return { kind: 'trap', message: `${name} at address ${canonicalHex(fault.address)} (${fault.access}, ${fault.reason})`, signal };
	});
}

/**
 * Runs `thread` for at most `budget` statements (counting the fault handlers' statements), handling
 * user-mode page faults with the KC kernel. Returns the first stop it does not handle: exited, a
 * signal (`trap` with `signal`), budget, a kernel-mode fault (an oops), breakpoint, blocked, ub.
 */
export function runWithFaults(thread: Thread, budget: number): StopReason {
	let left = budget;
	let lastAddress = -1;
	let repeats = 0;
	for (;;) {
		const stop = run(thread, left);
		left = Math.max(0, thread.cpu.budget);
		if (stop.kind !== 'fault' || thread.mode !== 'user') return stop;
		if (stop.fault.address === lastAddress) repeats++;
		else {
			lastAddress = stop.fault.address;
			repeats = 1;
		}
		if (repeats > FAULT_RETRY_LIMIT) {
			thread.finished = { kind: 'trap', message: `page fault at ${canonicalHex(stop.fault.address)} repeats after the handler fixed it`, signal: 11 };
			return thread.finished;
		}
		const injected = handlePageFault(thread, stop);
		if (injected !== null) return injected;
		if (left <= 0) return { kind: 'budget' };
	}
}
