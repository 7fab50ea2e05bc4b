// Kernel access to user memory (layer: kernel): copy_to_user, copy_from_user, clear_user,
// strncpy_from_user, get_user/put_user, as <linux/uaccess.h> declares them. In Linux these are
// assembly with exception-table entries; here they are builtins with the same contract.
//
// The copy runs through the calling CPU's bus in kernel mode (the current address space), one page
// at a time. When a user page faults, the builtin records how many bytes it had copied and returns
// the `fault` action: the thread stops with a kernel-mode fault at a user address, and the machine
// runs the page-fault handler (demand paging from kernel mode, as Linux does). If the handler fixes
// the page, the call is made again and starts over (re-copying the same bytes is harmless). If it
// cannot, the machine marks the thread with `UaccessState.fixup` (the exception-table rule) and
// resumes it: the repeated call then returns what was not copied (or -EFAULT) instead of touching
// memory. Invariant: `faulted` holds a thread only between a fault stop of a uaccess builtin and the
// next call of one; `fixup` only between the machine's decision and that call.

import type { Builtin, BuiltinContext, Value } from '../../interp/contracts';
import { FAULT, toAddress, toSize } from '../../interp/libc/memoryAccess';

const PAGE_SIZE = 4096;
/** The first address above user space (TASK_SIZE_MAX + 1 page, the non-canonical hole). */
const USER_LIMIT = 0x7fff_ffff_f000;
const EFAULT = 14;

/** Which threads are in the middle of a faulting user copy (see the header). */
export class UaccessState {
	/** Thread id -> bytes copied before the page that faulted. */
	readonly faulted = new Map<number, number>();
	/** Threads whose next uaccess call must fail (the fault handler could not fix the page). */
	readonly fixup = new Set<number>();

	/** True when the thread's last stop was a fault inside a uaccess builtin. */
	inUserCopy(threadId: number): boolean {
		return this.faulted.has(threadId);
	}

	/** The exception-table rule: the pending user copy of the thread fails when it is called again. */
	applyFixup(threadId: number): void {
		this.fixup.add(threadId);
	}
}

function userRangeOk(address: number, n: number): boolean {
	return address >= 0 && address + n <= USER_LIMIT;
}

/**
 * Runs `step(offset, length)` over [0, n) in chunks that do not cross a page of `userAddress`.
 * Returns the bytes not copied: 0, or (after a fixup) what was left at the fault; or FAULT.
 */
function chunked(state: UaccessState, ctx: BuiltinContext, userAddress: number, n: number, step: (offset: number, length: number) => boolean): number | typeof FAULT {
	const id = ctx.threadId;
	if (state.fixup.delete(id)) {
		const copied = state.faulted.get(id) ?? 0;
		state.faulted.delete(id);
		return n - copied;
	}
	state.faulted.delete(id);
	let offset = 0;
	while (offset < n) {
		const pageEnd = (Math.floor((userAddress + offset) / PAGE_SIZE) + 1) * PAGE_SIZE;
		const length = Math.min(n - offset, pageEnd - (userAddress + offset));
		if (!step(offset, length)) {
			state.faulted.set(id, offset);
			return FAULT;
		}
		offset += length;
	}
	return 0;
}

/** The uaccess builtins by C name, sharing `state` with the machine's fault handling. */
export function uaccessBuiltins(state: UaccessState): Map<string, Builtin> {
	const table = new Map<string, Builtin>();
	const copyTo = (ctx: BuiltinContext, to: number, from: number, n: number): number | typeof FAULT => {
		if (!userRangeOk(to, n)) return n;
		return chunked(state, ctx, to, n, (offset, length) => {
			const bytes = ctx.mem.read(from + offset, length);
			if (bytes === null) return false;
			ctx.mem.write(to + offset, bytes);
			return ctx.mem.fault === null;
		});
	};
	const copyFrom = (ctx: BuiltinContext, to: number, from: number, n: number): number | typeof FAULT => {
		if (!userRangeOk(from, n)) return n;
		return chunked(state, ctx, from, n, (offset, length) => {
			const bytes = ctx.mem.read(from + offset, length);
			if (bytes === null) return false;
			ctx.mem.write(to + offset, bytes);
			return ctx.mem.fault === null;
		});
	};
	table.set('copy_to_user', (ctx, args) => copyTo(ctx, toAddress(args[0]), toAddress(args[1]), toSize(args[2])));
	table.set('copy_from_user', (ctx, args) => copyFrom(ctx, toAddress(args[0]), toAddress(args[1]), toSize(args[2])));
	table.set('clear_user', (ctx, args) => {
		const to = toAddress(args[0]);
		const n = toSize(args[1]);
		if (!userRangeOk(to, n)) return n;
		return chunked(state, ctx, to, n, (offset, length) => {
			ctx.mem.fill(to + offset, 0, length);
			return ctx.mem.fault === null;
		});
	});
	table.set('__kc_get_user', (ctx, args) => {
		const r = copyFrom(ctx, toAddress(args[0]), toAddress(args[1]), toSize(args[2]));
		return r === FAULT ? FAULT : r === 0 ? 0 : -EFAULT;
	});
	table.set('__kc_put_user', (ctx, args) => {
		const r = copyTo(ctx, toAddress(args[0]), toAddress(args[1]), toSize(args[2]));
		return r === FAULT ? FAULT : r === 0 ? 0 : -EFAULT;
	});
	table.set('strncpy_from_user', (ctx, args): Value | typeof FAULT => {
		const dst = toAddress(args[0]);
		const src = toAddress(args[1]);
		const count = Number(args[2]);
		if (count <= 0) return 0;
		if (src >= USER_LIMIT) return -EFAULT;
		let found = -1;
		let copied = 0;
		const r = chunked(state, ctx, src, Math.min(count, USER_LIMIT - src), (offset, length) => {
			if (found >= 0) return true;
			const bytes = ctx.mem.read(src + offset, length);
			if (bytes === null) return false;
			const nul = bytes.indexOf(0);
			const keep = nul >= 0 ? bytes.subarray(0, nul + 1) : bytes;
			ctx.mem.write(dst + offset, keep);
			if (ctx.mem.fault !== null) return false;
			copied = offset + keep.length;
			if (nul >= 0) found = offset + nul;
			return true;
		});
		if (r === FAULT) return FAULT;
		if (found >= 0) return found;
		if (r !== 0) return -EFAULT;
		return copied;
	});
	return table;
}
