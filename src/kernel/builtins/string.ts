// The kernel's memory-block builtins (layer: kernel): memset, memcpy, memmove, memcmp, clear_page
// and copy_page, which x86 implements with string instructions (arch/x86/lib) rather than C.
// A fault leaves memory unchanged and the call is re-executed once it is handled.

import type { Builtin } from '../../interp/contracts';
import { FAULT, toAddress, toSize } from '../../interp/libc/memoryAccess';

const PAGE_SIZE = 4096;

/** The string builtins by C name. */
export function stringBuiltins(): Map<string, Builtin> {
	const table = new Map<string, Builtin>();
	table.set('memset', (ctx, args) => {
		ctx.mem.fill(toAddress(args[0]), Number(args[1]) & 0xff, toSize(args[2]));
		return ctx.mem.fault !== null ? FAULT : args[0];
	});
	const copy: Builtin = (ctx, args) => {
		ctx.mem.copy(toAddress(args[0]), toAddress(args[1]), toSize(args[2]));
		return ctx.mem.fault !== null ? FAULT : args[0];
	};
	table.set('memcpy', copy);
	table.set('memmove', copy);
	table.set('memcmp', (ctx, args) => {
		const n = toSize(args[2]);
		const a = ctx.mem.read(toAddress(args[0]), n);
		const b = a === null ? null : ctx.mem.read(toAddress(args[1]), n);
		if (a === null || b === null) {
			return FAULT;
		}
		for (let i = 0; i < n; i++) {
			if (a[i] !== b[i]) {
				return a[i] < b[i] ? -1 : 1;
			}
		}
		return 0;
	});
	table.set('clear_page', (ctx, args) => {
		ctx.mem.fill(toAddress(args[0]), 0, PAGE_SIZE);
		return ctx.mem.fault !== null ? FAULT : undefined;
	});
	table.set('copy_page', (ctx, args) => {
		ctx.mem.copy(toAddress(args[0]), toAddress(args[1]), PAGE_SIZE);
		return ctx.mem.fault !== null ? FAULT : undefined;
	});
	return table;
}
