// Contracts between the KC CPU (interpreter) and whatever it runs on: the memory it loads from and
// stores to, the builtins (host functions) it calls, and the reasons it stops (layer: interp).
//
// The CPU knows nothing of kernels, MMUs or debuggers. The machine (kernel layer) implements
// MemoryBus with an MMU and turns faults into traps; the debugger reads frames and stops.
//
// ## Value representation (Architecture Invariant)
// - Integers of 1, 2 and 4 bytes, and `_Bool`: JS numbers holding the exact value of the type
//   (`int` is an int32 number, `unsigned int` a uint32 number, `char` -128..127, ...).
// - 8-byte integers: a JS number when the value is a safe integer (|v| < 2^53), otherwise a bigint.
//   This is canonical: a value that fits is never a bigint, so `===` compares values.
//   Signed 64-bit types hold -2^63..2^63-1, unsigned ones 0..2^64-1.
// - Pointers: JS numbers holding the 48-bit virtual address (0 .. 2^48-1), i.e. the canonical
//   x86-64 address with bits 63..48 dropped. Converting a pointer to a 64-bit integer sign-extends
//   bit 47 (kernel addresses become 0xffff8...); converting an integer to a pointer keeps the low 48 bits.
// - `float` and `double`: JS numbers (float values rounded with Math.fround). `long double` is a double.
// - Structs and unions are never values: they live in memory and are copied with `copy`.

import type { CType } from '../lang/types';

/** A scalar KC value. See the representation rules above. */
export type Value = number | bigint;

export type AccessKind = 'read' | 'write' | 'exec';

/** A failed memory access, reported as a value: the access had no effect. */
export interface MemoryFault {
	/** The 48-bit virtual address of the first byte that could not be accessed. */
	readonly address: number;
	readonly access: AccessKind;
	/** `not-present` (no translation), `protection` (translation forbids it), `bus` (no device behind it). */
	readonly reason: 'not-present' | 'protection' | 'bus';
	/** Free text for diagnostics (`"write to read-only page"`). */
	readonly detail?: string;
}

/**
 * Byte-addressable memory as seen by one CPU. Little-endian. Every access either completes or sets
 * `fault` and has no effect (loads then return 0). The CPU checks `fault` after each access, saves
 * its state so the faulting access is the next thing to execute, and stops with reason `fault`;
 * whoever handles the fault clears `fault` and resumes the CPU, which re-executes the access.
 */
export interface MemoryBus {
	fault: MemoryFault | null;
	ld8u(addr: number): number;
	ld8s(addr: number): number;
	ld16u(addr: number): number;
	ld16s(addr: number): number;
	ld32u(addr: number): number;
	ld32s(addr: number): number;
	/** Canonical 64-bit value (number when safe, else bigint), unsigned or signed. */
	ld64u(addr: number): Value;
	ld64s(addr: number): Value;
	ldf32(addr: number): number;
	ldf64(addr: number): number;
	st8(addr: number, v: number): void;
	st16(addr: number, v: number): void;
	st32(addr: number, v: number): void;
	st64(addr: number, v: Value): void;
	stf32(addr: number, v: number): void;
	stf64(addr: number, v: number): void;
	/** Copies `len` bytes from `src` to `dst` (memmove semantics: overlap is fine). */
	copy(dst: number, src: number, len: number): void;
	fill(dst: number, byte: number, len: number): void;
	/** Reads `len` bytes into a new array; null (and `fault` set) on a fault. */
	read(addr: number, len: number): Uint8Array | null;
	write(addr: number, bytes: Uint8Array): void;
}

/** Memory whose whole contents can be captured and put back cheaply (copy-on-write pages). */
export interface SnapshottableMemory extends MemoryBus {
	snapshot(): MemorySnapshot;
	restore(s: MemorySnapshot): void;
}

/** Opaque captured memory state. */
export interface MemorySnapshot {
	readonly __memorySnapshot: true;
}

/**
 * Why a CPU stopped running a thread. The CPU never throws for anything a KC program does; host
 * exceptions only mean a bug in Faultline itself.
 */
export type StopReason =
	/** The statement budget ran out; the thread is at a statement boundary and can resume. */
	| { readonly kind: 'budget' }
	/**
	 * About to execute a statement that has a breakpoint (the statement has not run). `stmt` is a
	 * statement id of the program of the thread's top frame (ids are per program, see program.ts).
	 */
	| { readonly kind: 'breakpoint'; readonly stmt: number }
	/** A memory access faulted; resuming re-executes it. */
	| { readonly kind: 'fault'; readonly fault: MemoryFault }
	/** A builtin asked the thread to wait (a lock, I/O); resuming calls the builtin again. */
	| { readonly kind: 'blocked'; readonly reason: string }
	/** The outermost function returned, or `exit` was called. */
	| { readonly kind: 'exited'; readonly code: number }
	/** Undefined behaviour detected; the thread cannot continue. `stmt`: as for `breakpoint`. */
	| { readonly kind: 'ub'; readonly message: string; readonly stmt: number }
	/** A builtin reported an error that ends the thread (abort, assert failure, signal). */
	| { readonly kind: 'trap'; readonly message: string; readonly signal?: number };

// ---- Builtins ------------------------------------------------------------------------------------


/**
 * What a builtin (a function implemented in TypeScript, such as `printf` or, later, a lock
 * primitive) may ask of the CPU instead of returning a value.
 */
export type BuiltinAction =
	/** Suspend the calling thread; when it is resumed the builtin is called again with the same args. */
	| { readonly kind: 'block'; readonly reason: string }
	/** End the whole program/thread with this exit status (`exit`, `_exit`). */
	| { readonly kind: 'exit'; readonly code: number }
	/** End the thread abnormally (`abort`, failed `assert`, a fatal signal). */
	| { readonly kind: 'trap'; readonly message: string; readonly signal?: number }
	/** A memory access made by the builtin faulted; `ctx.mem.fault` is set. Resuming calls the builtin again. */
	| { readonly kind: 'fault' }
	/**
	 * Call a KC function (by name or function address) on the calling thread. When it returns, its
	 * value becomes this builtin call's value, passed through `then` if given (e.g. `qsort` calling
	 * the comparison function, or a syscall entering the kernel's KC code).
	 *
	 * The target may be a function of any program of the thread's code space (an address, or a name
	 * looked up in the caller's program first), at either privilege: this is the gate a system call
	 * goes through (see cpu.ts). `then` runs back at the caller's privilege; it should not touch
	 * memory that can fault (a fault there makes the caller call the builtin again).
	 */
	| { readonly kind: 'call'; readonly target: string | number; readonly args: readonly Value[]; readonly then?: (ret: Value | undefined) => Value | undefined | BuiltinAction };

/** What a builtin receives besides its arguments. */
export interface BuiltinContext {
	readonly mem: MemoryBus;
	/** The declared types of the actual arguments, after the default argument promotions for `...` args. */
	readonly argTypes: readonly CType[];
	/** Opaque id of the calling thread. */
	readonly threadId: number;
}

/** Returns the call's value (`undefined` for void) or an action. Never throws for bad program input. */
export type Builtin = (ctx: BuiltinContext, args: readonly Value[]) => Value | undefined | BuiltinAction;

/** Builtins by C name. The linker binds every called function that no translation unit defines to one of these. */
export type BuiltinTable = ReadonlyMap<string, Builtin>;

// ---- The flat user address space (until the simulated kernel provides processes) ----------------

/**
 * Where things live in the flat address space of `faultline exec` before the kernel exists. Chosen to
 * resemble an x86-64 Linux process so printed pointers look familiar. Everything outside mapped
 * regions faults, so NULL and wild pointers are caught.
 */
export const FlatLayout = {
	/** Function "addresses": function N of the program is at textBase + 16 * N. Not readable data. */
	textBase: 0x400000,
	/** Globals, static locals, string literals: laid out by the linker from here. */
	dataBase: 0x600000,
	/** The malloc heap grows up from here. */
	heapBase: 0x10000000,
	heapLimit: 0x40000000,
	/** Thread stacks grow down from here; thread N's stack top is stackTop - N * stackSize. */
	stackTop: 0x7ffffffff000,
	stackSize: 8 * 1024 * 1024,
} as const;

// ---- Privilege and the kernel half of the address space ----------------------------------------

/**
 * The privilege a KC function runs at: every function belongs to a program linked either as user
 * code or as kernel code (see program.ts). The machine sets its memory bus to the same mode
 * (`CpuMemoryBus.mode`) when the CPU reports a switch (see thread.ts `ThreadHost`).
 */
export type Privilege = 'user' | 'kernel';

/**
 * Where the kernel program and the kernel's memory live, as in an x86-64 Linux kernel with 4-level
 * paging and KASLR off. Every value is a KC pointer, i.e. the 48-bit form of the canonical address
 * (bits 63..48 dropped: 0xffffffff81000000 is 0xffff81000000 here); the canonical form is given in
 * each comment, and is what `%p` prints and what a pointer converts to as an integer (bit 47 is
 * sign-extended). Everything at or above `kernelHalf` is kernel space.
 *
 * The linker uses `textBase`, `rodataBase`, `dataBase` and `dataLimit` (a LinkLayout, see linker.ts)
 * for the kernel program; drivers linked as separate kernel programs get module slots (linker.ts
 * `moduleLayout`). The other areas are for the machine and the KC kernel to use as Linux does.
 */
export const KernelLayout = {
	/** The lowest kernel address (0xffff800000000000): bit 47 set. */
	kernelHalf: 0x8000_0000_0000,
	/** Direct map of all physical memory, `page_offset_base` (0xffff888000000000). */
	directMapBase: 0x8880_0000_0000,
	/** vmalloc/ioremap area, `VMALLOC_START` (0xffffc90000000000) up to `vmallocEnd`. */
	vmallocBase: 0xc900_0000_0000,
	/** End (exclusive) of the vmalloc area available to the kernel (0xffffe80000000000): task kernel stacks follow. */
	vmallocEnd: 0xe800_0000_0000,
	/**
	 * Task kernel stacks (0xffffe80000000000, the top TiB of Linux's vmalloc range): thread N's
	 * stack is [stackBase + N * stackStride + stackStride - stackSize, stackBase + (N + 1) * stackStride),
	 * with an unmapped guard gap below each one, as with CONFIG_VMAP_STACK.
	 */
	stackBase: 0xe800_0000_0000,
	/** THREAD_SIZE on x86-64: 16 KiB of kernel stack per task. */
	stackSize: 16 * 1024,
	/** Distance between two tasks' kernel stacks (stack plus guard gap). */
	stackStride: 32 * 1024,
	/** `struct page` array, `vmemmap_base` (0xffffea0000000000). */
	vmemmapBase: 0xea00_0000_0000,
	/** Kernel text, `__START_KERNEL_map` + 16 MiB (0xffffffff81000000): function N at textBase + 16 * N. */
	textBase: 0xffff_8100_0000,
	/** Kernel .rodata (0xffffffff82000000): string literals, read-only. */
	rodataBase: 0xffff_8200_0000,
	/** Kernel .data and .bss (0xffffffff83000000) up to dataLimit. */
	dataBase: 0xffff_8300_0000,
	/** End (exclusive) of the kernel image's data (0xffffffff93000000). */
	dataLimit: 0xffff_9300_0000,
	/** Loadable modules, `MODULES_VADDR` (0xffffffffa0000000): slot N at modulesBase + N * moduleSpan. */
	modulesBase: 0xffff_a000_0000,
	/** Address space of one module slot (16 MiB): text, then rodata at +1 MiB, data at +4 MiB. */
	moduleSpan: 0x100_0000,
	/** End (exclusive) of the module area (0xffffffffff000000). */
	modulesEnd: 0xffff_ff00_0000,
} as const;
