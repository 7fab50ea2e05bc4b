// Page-table and trace builtins of the KC kernel (layer: kernel): the stores of set_pte_at,
// pte_clear and ptep_get_and_clear (one 64-bit store each, as the MMU sees it) with their trace
// events, the page allocator's trace points, and TLB flushes handed to the machine.

import type { Builtin, Value } from '../../interp/contracts';
import { FAULT, toAddress } from '../../interp/libc/memoryAccess';
import { addressArg, type KernelHost } from './host';

/** The page-table builtins by C name. */
export function pgtableBuiltins(host: KernelHost): Map<string, Builtin> {
	const table = new Map<string, Builtin>();

	// __kc_set_pte(ptep, pteval, mm, addr, file, line, func)
	table.set('__kc_set_pte', (ctx, args) => {
		const mem = ctx.mem;
		const ptep = toAddress(args[0]);
		const site = host.site(mem, args[4], args[5], args[6]);
		if (site === undefined) {
			return FAULT;
		}
		const old = mem.ld64u(ptep);
		if (mem.fault !== null) {
			return FAULT;
		}
		const value: Value = args[1];
		mem.st64(ptep, value);
		if (mem.fault !== null) {
			return FAULT;
		}
		host.events.pteSet(toAddress(args[2]), toAddress(args[3]), old, value, site);
		return undefined;
	});

	// __kc_pte_clear(ptep, mm, addr, file, line, func) and __kc_ptep_get_and_clear (returns the old value)
	const clear = (returnOld: boolean): Builtin => (ctx, args) => {
		const mem = ctx.mem;
		const ptep = toAddress(args[0]);
		const site = host.site(mem, args[3], args[4], args[5]);
		if (site === undefined) {
			return FAULT;
		}
		const old = mem.ld64u(ptep);
		if (mem.fault !== null) {
			return FAULT;
		}
		mem.st64(ptep, 0);
		if (mem.fault !== null) {
			return FAULT;
		}
		host.events.pteClear(toAddress(args[1]), toAddress(args[2]), old, site);
		return returnOld ? old : undefined;
	};
	table.set('__kc_pte_clear', clear(false));
	table.set('__kc_ptep_get_and_clear', clear(true));

	table.set('__kc_trace_page_alloc', (_ctx, args) => {
		host.events.pageAlloc(Number(args[0]), Number(args[1]), Number(args[2]));
		return undefined;
	});
	table.set('__kc_trace_page_free', (_ctx, args) => {
		host.events.pageFree(Number(args[0]), Number(args[1]));
		return undefined;
	});

	// __kc_flush_tlb_mm_range(mm, start, end): end ~0UL means everything.
	table.set('__kc_flush_tlb_mm_range', (_ctx, args) => {
		const mm = toAddress(args[0]);
		const start = addressArg(args[1]);
		const end = addressArg(args[2]);
		host.flushTlb?.(mm, start, end);
		host.events.tlbFlush?.(mm, start, end);
		return undefined;
	});

	return table;
}
