// What every kernel builtin shares (layer: kernel): the options a machine passes in (lock system,
// trace sink, kernel log, task naming), reading KC source sites and strings, and the KC backtrace
// of the calling task for BUG, WARN and dump_stack.

import type { BuiltinContext, MemoryBus, Value } from '../../interp/contracts';
import { latin1Text, readCString, toAddress } from '../../interp/libc/memoryAccess';
import type { Thread } from '../../interp/thread';
import { ptrToU64 } from '../../interp/values';
import type { LockSystem } from '../locks/lockSystem';
import type { LockSite, TaskId } from '../locks/types';
import { nullKernelEvents, type KernelEvents, type KernelSite } from './events';
import { KernelLog } from './log';

/** The machine-side services the kernel builtins use. */
export interface KernelBuiltinOptions {
	/** The lock layer every lock builtin goes through. */
	readonly locks: LockSystem;
	/** Trace events (default: ignored). */
	readonly events?: KernelEvents;
	/** The kernel log printk writes to (default: a fresh one, see `KernelHost.log`). */
	readonly log?: KernelLog;
	/** The task running on a CPU thread (default: the thread id as a string). */
	readonly taskOf?: (threadId: number) => TaskId;
	/** The CPU a thread runs on, for WARNING lines (default 0). */
	readonly cpuOf?: (threadId: number) => number;
	/** The machine's TLB shootdown: drop translations of [start, end) (end Infinity: all) for `mm` (0: kernel). */
	readonly flushTlb?: (mm: number, start: number, end: number) => void;
}

/** `ffffffff81000010`: the canonical form of a KC pointer, as the kernel prints addresses. */
export function canonicalHex(pointer: number): string {
	const v = ptrToU64(pointer);
	return (typeof v === 'bigint' ? v : BigInt(v)).toString(16).padStart(16, '0');
}

/** A 64-bit unsigned argument (an address) as a KC pointer number; ~0UL (the "all" marker) is Infinity. */
export function addressArg(v: Value): number {
	if (typeof v === 'bigint' && v === 0xffff_ffff_ffff_ffffn) {
		return Infinity;
	}
	return toAddress(v);
}

/** Shared state of one machine's kernel builtins. */
export class KernelHost {
	readonly locks: LockSystem;
	/** Where trace events go (replace with `setEvents`, e.g. for a traced run of a cached machine). */
	events: KernelEvents;
	readonly log: KernelLog;
	private taskOfThread: (threadId: number) => TaskId;
	private cpuOfThread: (threadId: number) => number;
	readonly flushTlb: ((mm: number, start: number, end: number) => void) | undefined;
	/**
	 * Strings read from kernel memory by address. Only the file, function and lock-class names that
	 * macros pass as string literals are cached: they live in read-only data and never change.
	 */
	private readonly literals = new Map<number, string>();

	constructor(options: KernelBuiltinOptions) {
		this.locks = options.locks;
		this.events = options.events ?? nullKernelEvents;
		this.log = options.log ?? new KernelLog();
		this.taskOfThread = options.taskOf ?? (id => String(id));
		this.cpuOfThread = options.cpuOf ?? (() => 0);
		this.flushTlb = options.flushTlb;
	}

	/** Sends trace events to `events` from now on. */
	setEvents(events: KernelEvents): void {
		this.events = events;
	}

	/** Replaces how threads map to tasks and CPUs (the process layer attaches after boot). */
	setTaskNaming(taskOf: (threadId: number) => TaskId, cpuOf: (threadId: number) => number): void {
		this.taskOfThread = taskOf;
		this.cpuOfThread = cpuOf;
	}

	task(ctx: BuiltinContext): TaskId {
		return this.taskOfThread(ctx.threadId);
	}

	cpu(ctx: BuiltinContext): number {
		return this.cpuOfThread(ctx.threadId);
	}

	/** A string literal at `address` (cached), or undefined on a fault (`mem.fault` is set). */
	literal(mem: MemoryBus, address: number): string | undefined {
		const cached = this.literals.get(address);
		if (cached !== undefined) {
			return cached;
		}
		const bytes = readCString(mem, address, 4096);
		if (bytes === undefined) {
			return undefined;
		}
		const text = latin1Text(bytes);
		this.literals.set(address, text);
		return text;
	}

	/** The site a `__KC_SITE` argument triple names (file, line, function); undefined on a fault. */
	site(mem: MemoryBus, file: Value, line: Value, fn: Value): KernelSite | undefined {
		const fileName = Number(file) === 0 ? '?' : this.literal(mem, toAddress(file));
		const fnName = Number(fn) === 0 ? '' : this.literal(mem, toAddress(fn));
		if (fileName === undefined || fnName === undefined) {
			return undefined;
		}
		return { file: fileName, line: Number(line), fn: fnName };
	}

	/**
	 * The site as the lock layer wants it. Macros know no column: the column is 1, and reports
	 * print `file:line:1 function()`.
	 */
	lockSite(site: KernelSite): LockSite {
		return { file: site.file, line: site.line, col: 1, fn: site.fn };
	}

	/**
	 * A site for an operation whose caller passed none: the function running the call, at the
	 * line where that function is defined.
	 */
	callerSite(ctx: BuiltinContext): LockSite {
		const top = (ctx as { readonly thread?: Thread }).thread?.top;
		if (top === undefined) {
			return { file: '?', line: 0, col: 1, fn: '' };
		}
		const range = top.fn.range;
		return { file: range?.file ?? '?', line: range?.line ?? 0, col: 1, fn: top.fn.name };
	}

	/**
	 * The calling task's KC call stack, innermost first, as `function (file:line)` lines. The
	 * innermost frame is in the middle of a builtin call whose line the CPU has not saved: it shows
	 * `site`'s line when given, else only its name.
	 */
	backtrace(ctx: BuiltinContext, site?: KernelSite): string[] {
		const thread = (ctx as { readonly thread?: Thread }).thread;
		if (thread === undefined) {
			return [];
		}
		const lines: string[] = [];
		const frames = thread.frames;
		for (let i = frames.length - 1; i >= 0; i--) {
			const frame = frames[i];
			const name = frame.fn.name;
			const address = canonicalHex(frame.fn.address);
			if (i === frames.length - 1) {
				lines.push(site !== undefined ? ` [<${address}>] ${name} (${site.file}:${site.line})` : ` [<${address}>] ${name}`);
				continue;
			}
			const stmt = frame.statementInfo;
			lines.push(stmt !== undefined ? ` [<${address}>] ${name} (${stmt.range.file}:${stmt.range.line})` : ` [<${address}>] ${name}`);
		}
		return lines;
	}
}
