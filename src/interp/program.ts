// The linked program the KC CPU runs: functions with their addresses and compiled code, the
// statement table the debugger sets breakpoints in, where every global lives, and the image of its
// initial memory (layer: interp).
//
// A Program is immutable once the linker returns it, except for `breakpoints`, the per-statement
// breakpoint table that its functions' generated code reads (`bp[stmtId] !== 0` stops there).
//
// ## Programs, privilege, statement ids
// - A program is linked for one privilege (`'user'` or `'kernel'`) and one place in the address
//   space (a LinkLayout); every FunctionInfo knows its program and privilege. Several programs run
//   together through a CodeSpace (codeSpace.ts): a user program and the kernel, the kernel and
//   its modules.
// - Statement ids are scoped per program: `program.statements[id]` and `program.breakpoints[id]`.
//   A frame's statement is therefore looked up in `frame.fn.program` (Frame.statementInfo does
//   it), and the `stmt` of a `breakpoint` or `ub` stop is an id of the program of the stopped
//   thread's top frame (`thread.top.fn.program`).
// - Linking produces the program and its ProgramImage (segments with their initial bytes, all
//   static initializers and address constants resolved); `loadImage` (linker.ts) writes an image
//   into any memory, as often as needed: one program serves every address space it is loaded
//   into (fork, exec of the same binary), with no recompilation.

import type { SourceRange } from '../lang/source';
import type { CType, FunctionType } from '../lang/types';
import type { Builtin, MemoryBus, Privilege, Value } from './contracts';

/** Generated code of one KC function: runs the frame from `frame.pc` until it exits (see compiler.ts). */
export type CompiledCode = (cpu: CpuScratch, frame: FrameState) => void;

/**
 * The per-thread scratch object that generated code talks to (implemented by `Cpu` in cpu.ts). Listed
 * here so the compiler and the program model do not depend on the run loop.
 */
export interface CpuScratch {
	budget: number;
	ex: number;
}

/** The part of a frame that generated code reads and writes (implemented by `Frame` in thread.ts). */
export interface FrameState {
	pc: number;
	regs: (Value | undefined)[];
	base: number;
}

/** Where a parameter or local lives, for the debugger. */
export interface LocalInfo {
	readonly name: string;
	readonly type: CType;
	readonly kind: 'param' | 'local' | 'static';
	/**
	 * `reg`: the value is `frame.regs[slot]`. `stack`: the object is at `frame.base + offset`.
	 * `indirect`: the object's address is `frame.regs[slot]` (struct parameters live in the caller's
	 * frame). `static`: the object is at the absolute `address`.
	 */
	readonly storage: 'reg' | 'stack' | 'indirect' | 'static';
	readonly slot: number;
	readonly offset: number;
	readonly address: number;
	/** Where the name is visible: from its declaration to the end of the enclosing block. */
	readonly scope: SourceRange;
	readonly declRange: SourceRange;
}

/** One pause point: the CPU stops "about to execute statement N". */
export interface StatementInfo {
	readonly range: SourceRange;
	/** Name of the function containing it. */
	readonly fn: string;
}

/**
 * A function of the program: KC-defined (compiled) or a builtin (TypeScript). Function N is at
 * address `textBase + 16 * N`; a function pointer holds that number.
 */
export class FunctionInfo {
	/** KC functions: compiled code, filled by the compiler. */
	code: CompiledCode | null = null;
	/** Builtins: the host implementation. */
	builtin: Builtin | null = null;
	/** Number of register slots (parameters, register locals, temporaries). */
	nregs = 0;
	/** `nregs` undefined values: a new frame's registers start as a copy. */
	regTemplate: undefined[] = [];
	/** Number of declared parameters (the first `nparams` register slots receive the arguments). */
	nparams = 0;
	variadic = false;
	/** Bytes of stack memory for address-taken locals, arrays, structs and call-site temporaries (16-aligned). */
	frameSize = 0;
	/** Size of the struct this function returns (0 for scalar or void returns). */
	structReturnSize = 0;
	/** For each pc (resume label): the statement id it belongs to, or -1 (prologue). */
	pcStatement: Int32Array = new Int32Array(0);
	/** 1 at the pcs of statement checks (the pause points), 0 elsewhere. */
	checkPc: Uint8Array = new Uint8Array(0);
	/** Parameters and locals, for the debugger. */
	locals: LocalInfo[] = [];
	/** The generated JavaScript, kept for debugging Faultline itself. */
	source = '';
	/** The constants (`K`) the generated code refers to. */
	constants: readonly unknown[] = [];

	/** The program this function belongs to (set by the linker once the program exists). */
	program!: Program;

	constructor(
		readonly index: number,
		readonly name: string,
		readonly address: number,
		readonly kind: 'kc' | 'builtin',
		readonly type: FunctionType | undefined,
		readonly range: SourceRange | undefined,
		/** The privilege the function runs at: its program's. */
		readonly privilege: Privilege = 'user',
	) {}
}

/** Read/write/execute permission of an image segment. */
export interface SegmentProtection {
	readonly read: boolean;
	readonly write: boolean;
	readonly exec: boolean;
}

/**
 * One segment of a program image: `length` bytes of address space from `address` (both multiples of
 * 4096), whose first `bytes.length` bytes are `bytes` and the rest zero (`bytes` absent: all zero).
 */
export interface ImageSegment {
	/** `.text`, `.rodata` or `.data` (which includes .bss: the zero tail). */
	readonly name: string;
	readonly address: number;
	readonly length: number;
	readonly bytes?: Uint8Array;
	readonly prot: SegmentProtection;
}

/**
 * The initial memory of a linked program, independent of any memory it is loaded into. The `.text`
 * segment holds no bytes: KC code runs from the CodeSpace, not from memory; it is there so that an
 * address space can reserve (and show) the text range.
 */
export interface ProgramImage {
	readonly segments: readonly ImageSegment[];
}

/** Memory that can map regions (FlatMemory; a process's address space later). */
export interface MappableMemory extends MemoryBus {
	map(start: number, length: number, prot: { readonly read: boolean; readonly write: boolean }): void;
	/** Changes the protection of mapped pages (optional: memories without it leave segments writable). */
	protect?(start: number, length: number, prot: { readonly read: boolean; readonly write: boolean }): boolean;
}

/** A linked program. */
export interface Program {
	/** A name for views and messages (LinkOptions.name; default `program`). */
	readonly name: string;
	/** The privilege every function of the program runs at. */
	readonly privilege: Privilege;
	readonly functions: readonly FunctionInfo[];
	/** Statement table: `statements[id]`. Statement ids index `breakpoints`. */
	readonly statements: readonly StatementInfo[];
	/** Breakpoint table shared by every thread: set `breakpoints[id] = 1` to stop before statement `id`. */
	readonly breakpoints: Uint8Array;
	/** First text address (function N is at `textBase + 16 * N`). */
	readonly textBase: number;
	/** End (exclusive) of the function addresses: `textBase + 16 * functions.length`. */
	readonly textEnd: number;
	/** The initial memory of the program (load it with linker.ts `loadImage`). */
	readonly image: ProgramImage;
	/** The data region (globals, statics, string literals) the linker mapped: [dataStart, dataEnd). */
	readonly dataStart: number;
	readonly dataEnd: number;
	/** Address of each global with external linkage, and of internal ones as `file:name`. */
	readonly globals: ReadonlyMap<string, { readonly address: number; readonly type: CType }>;
	/** Looks up a function by name (external linkage first). */
	functionByName(name: string): FunctionInfo | undefined;
	/** The KC function of external linkage named `name` (what another program may import). */
	exportedFunction(name: string): FunctionInfo | undefined;
	/** The function at a text address, if the address is one. */
	functionAt(address: number): FunctionInfo | undefined;
	/** Statement ids whose range starts on `line` of `file` (for setting breakpoints). */
	stmtsAt(file: string, line: number): number[];
}
