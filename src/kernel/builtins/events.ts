// Trace events of the KC kernel (layer: kernel): what the kernel's own calls into hardware builtins
// report (PTE stores, page allocation, TLB flushes, BUG and WARN), as typed callbacks. The
// simulator turns them into `--trace` JSON lines, debugger events and invariant checks.
//
// Addresses are KC pointers (48-bit numbers, see src/interp/contracts.ts): `mm` is the address of
// the `struct mm_struct` (0 for kernel mappings set with set_pte), `va` the virtual address the
// entry maps. Entry values are canonical unsigned 64-bit Values (number when below 2^53).

import type { Value } from '../../interp/contracts';

/** Where in KC source a builtin was called from (the `__FILE__`, `__LINE__`, `__func__` of the call). */
export interface KernelSite {
	/** The file as the compiler named it, relative to the kernel tree (`mm/memory.c`). */
	readonly file: string;
	readonly line: number;
	/** The enclosing function (`__func__`). */
	readonly fn: string;
}

/** The event sink the kernel builtins report to. */
export interface KernelEvents {
	/** A PTE was written (`set_pte_at`, `set_pte`): `old` is the value it replaced. */
	pteSet(mm: number, va: number, old: Value, value: Value, site: KernelSite): void;
	/** A PTE was cleared (`pte_clear`, `ptep_get_and_clear`): `old` is the value it had. */
	pteClear(mm: number, va: number, old: Value, site: KernelSite): void;
	/** The buddy allocator handed out 2^order frames starting at `pfn`. */
	pageAlloc(pfn: number, order: number, gfpFlags: number): void;
	/** 2^order frames starting at `pfn` went back to the buddy allocator. */
	pageFree(pfn: number, order: number): void;
	/** Translations of [start, end) in `mm` (0: the kernel's) were flushed; `end` Infinity means all. */
	tlbFlush?(mm: number, start: number, end: number): void;
	/** BUG(): the task is about to die with an oops. */
	bug?(task: string, message: string, site: KernelSite): void;
	/** WARN(): the kernel logged a warning and continues. */
	warning?(task: string, message: string, site: KernelSite): void;
}

/** One recorded event (see RecordingKernelEvents). */
export type KernelEvent =
	| { readonly kind: 'pteSet'; readonly mm: number; readonly va: number; readonly old: Value; readonly value: Value; readonly site: KernelSite }
	| { readonly kind: 'pteClear'; readonly mm: number; readonly va: number; readonly old: Value; readonly site: KernelSite }
	| { readonly kind: 'pageAlloc'; readonly pfn: number; readonly order: number; readonly gfpFlags: number }
	| { readonly kind: 'pageFree'; readonly pfn: number; readonly order: number }
	| { readonly kind: 'tlbFlush'; readonly mm: number; readonly start: number; readonly end: number }
	| { readonly kind: 'bug'; readonly task: string; readonly message: string; readonly site: KernelSite }
	| { readonly kind: 'warning'; readonly task: string; readonly message: string; readonly site: KernelSite };

/** A sink that keeps every event in order, for tests and for writing traces. */
export class RecordingKernelEvents implements KernelEvents {
	readonly events: KernelEvent[] = [];

	pteSet(mm: number, va: number, old: Value, value: Value, site: KernelSite): void {
		this.events.push({ kind: 'pteSet', mm, va, old, value, site });
	}

	pteClear(mm: number, va: number, old: Value, site: KernelSite): void {
		this.events.push({ kind: 'pteClear', mm, va, old, site });
	}

	pageAlloc(pfn: number, order: number, gfpFlags: number): void {
		this.events.push({ kind: 'pageAlloc', pfn, order, gfpFlags });
	}

	pageFree(pfn: number, order: number): void {
		this.events.push({ kind: 'pageFree', pfn, order });
	}

	tlbFlush(mm: number, start: number, end: number): void {
		this.events.push({ kind: 'tlbFlush', mm, start, end });
	}

	bug(task: string, message: string, site: KernelSite): void {
		this.events.push({ kind: 'bug', task, message, site });
	}

	warning(task: string, message: string, site: KernelSite): void {
		this.events.push({ kind: 'warning', task, message, site });
	}

	/** The events of one kind, typed. */
	ofKind<K extends KernelEvent['kind']>(kind: K): Extract<KernelEvent, { kind: K }>[] {
		return this.events.filter((e): e is Extract<KernelEvent, { kind: K }> => e.kind === kind);
	}

	/** Forgets the events recorded so far. */
	clear(): void {
		this.events.length = 0;
	}
}

/** A sink that ignores everything. */
export const nullKernelEvents: KernelEvents = {
	pteSet() {},
	pteClear() {},
	pageAlloc() {},
	pageFree() {},
};
