// Console and crash builtins of the KC kernel (layer: kernel): printk (glibc-exact formatting over
// the shared printf engine, with the kernel's log levels), dump_stack, BUG and WARN.
//
// BUG() ends the calling task with a `trap` stop whose message is Linux's "kernel BUG at FILE:LINE!"
// (the host turns it into an oops); WARN() logs and continues. Both print the KC backtrace.

import type { Builtin, BuiltinContext, Value } from '../../interp/contracts';
import type { CType } from '../../lang/types';
import { formatPrintf } from '../../interp/libc/format';
import { FAULT, latin1Text, readCString, toAddress } from '../../interp/libc/memoryAccess';
import { CallArgSource } from '../../interp/libc/printfArgs';
import type { KernelHost } from './host';
import { LOGLEVEL_DEFAULT } from './log';

/** Kernel printf arguments: there is no errno, so `%m` prints as errno 0. */
class KernelArgSource extends CallArgSource {
	override errno(): number {
		return 0;
	}
}

/** The level a message's prefix selects (KERN_SOH + digit since 3.6, `<N>` before) and where its text starts. */
export function parseLogLevel(format: Uint8Array): { readonly level: number | 'cont' | null; readonly start: number } {
	if (format.length >= 2 && format[0] === 1) {
		const c = format[1];
		if (c >= 0x30 && c <= 0x37) {
			return { level: c - 0x30, start: 2 };
		}
		if (c === 0x63) {
			return { level: 'cont', start: 2 };
		}
		if (c === 0x64) {
			return { level: LOGLEVEL_DEFAULT, start: 2 };
		}
		return { level: null, start: 2 };
	}
	if (format.length >= 3 && format[0] === 0x3c && format[2] === 0x3e) {
		const c = format[1];
		if (c >= 0x30 && c <= 0x37) {
			return { level: c - 0x30, start: 3 };
		}
		if (c === 0x63) {
			return { level: 'cont', start: 3 };
		}
	}
	return { level: null, start: 0 };
}

/** Formats `format` with the call's arguments from index `first`; undefined on a fault. */
function formatMessage(ctx: BuiltinContext, format: Uint8Array, args: readonly Value[], types: readonly CType[], first: number): string | undefined {
	const source = new KernelArgSource(ctx.mem, 0, args, types, first);
	const bytes = formatPrintf(format, source);
	return source.failed ? undefined : latin1Text(bytes);
}

const CUT_HERE = '------------[ cut here ]------------';

/** The console and crash builtins by C name. */
export function debugBuiltins(host: KernelHost): Map<string, Builtin> {
	const table = new Map<string, Builtin>();

	table.set('printk', (ctx, args) => {
		const format = readCString(ctx.mem, toAddress(args[0]));
		if (format === undefined) {
			return FAULT;
		}
		const { level, start } = parseLogLevel(format);
		const text = formatMessage(ctx, format.subarray(start), args, ctx.argTypes, 1);
		if (text === undefined) {
			return FAULT;
		}
		host.log.write(level, text, host.task(ctx));
		return text.length;
	});

	// The kernel's snprintf family (lib/vsprintf.c): same formatting as printk, into a buffer of
	// `size` bytes, always NUL-terminated when size > 0. snprintf returns the length the whole text
	// needs; scnprintf what it wrote.
	const bufferPrint = (bounded: boolean, written: boolean): Builtin => (ctx, args) => {
		const buffer = toAddress(args[0]);
		const size = bounded ? Number(args[1]) : Number.MAX_SAFE_INTEGER;
		const formatIndex = bounded ? 2 : 1;
		const format = readCString(ctx.mem, toAddress(args[formatIndex]));
		if (format === undefined) {
			return FAULT;
		}
		const source = new KernelArgSource(ctx.mem, 0, args, ctx.argTypes, formatIndex + 1);
		const bytes = formatPrintf(format, source);
		if (source.failed) {
			return FAULT;
		}
		if (size > 0) {
			const n = Math.min(bytes.length, size - 1);
			const out = new Uint8Array(n + 1);
			out.set(bytes.subarray(0, n));
			ctx.mem.write(buffer, out);
			if (ctx.mem.fault !== null) {
				return FAULT;
			}
			return written ? n : bytes.length;
		}
		return written ? 0 : bytes.length;
	};
	table.set('snprintf', bufferPrint(true, false));
	table.set('scnprintf', bufferPrint(true, true));
	table.set('sprintf', bufferPrint(false, false));

	table.set('dump_stack', ctx => {
		const task = host.task(ctx);
		host.log.writeLines(4, ['Call Trace:', ...host.backtrace(ctx)].join('\n'), task);
		return undefined;
	});

	table.set('__kc_bug', (ctx, args) => {
		const site = host.site(ctx.mem, args[0], args[1], args[2]);
		if (site === undefined) {
			return FAULT;
		}
		const task = host.task(ctx);
		const message = `kernel BUG at ${site.file}:${site.line}!`;
		host.log.writeLines(0, [CUT_HERE, message, `invalid opcode: 0000 [#1] SMP`, `CPU: ${host.cpu(ctx)} PID: ${task}`,
			`RIP: ${site.fn}`, 'Call Trace:', ...host.backtrace(ctx, site)].join('\n'), task);
		host.events.bug?.(task, message, site);
		return { kind: 'trap', message };
	});

	table.set('__kc_warn', (ctx, args) => {
		const site = host.site(ctx.mem, args[1], args[2], args[3]);
		if (site === undefined) {
			return FAULT;
		}
		const task = host.task(ctx);
		const style = Number(args[0]);
		const headline = style === 0
			? `WARNING: at ${site.file}:${site.line} ${site.fn}()`
			: `WARNING: CPU: ${host.cpu(ctx)} PID: ${task} at ${site.file}:${site.line} ${site.fn}`;
		const lines = [CUT_HERE, headline];
		let message = headline;
		if (Number(args[4]) !== 0) {
			const format = readCString(ctx.mem, toAddress(args[4]));
			if (format === undefined) {
				return FAULT;
			}
			const text = formatMessage(ctx, format, args, ctx.argTypes, 5);
			if (text === undefined) {
				return FAULT;
			}
			message = text.replace(/\n$/, '');
			lines.push(message);
		}
		lines.push('Call Trace:', ...host.backtrace(ctx, site), '---[ end trace 0000000000000000 ]---');
		host.log.writeLines(4, lines.join('\n'), task);
		host.events.warning?.(task, message, site);
		return undefined;
	});

	return table;
}
