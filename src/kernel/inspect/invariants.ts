// Invariant checks over the KC kernel's memory-management state (layer: kernel): what must hold on a
// quiescent machine (no KC thread in the middle of a PTE update), read with the typed reader. Each
// check names where the invariant is stated: /work/shared/reference/kernel-semantics.md sections
// "1. Object model the simulator needs (names follow Linux)" and "9. Implementation checklist
// (invariants to enforce or assert)", and the kernel's own headers (mm_types.h, page_alloc.c).
//
// Checks:
// - free lists (mm/page_alloc.c header): blocks naturally aligned, inside mem_map, disjoint; the
//   first page PG_buddy with private == order; free pages unreferenced and unmapped; nr_free and
//   free_pages agree with the lists;
// - no present user PTE, and no page-table page of a user address space, is a free frame;
// - mapcount: for every struct page, page_mapcount() (_mapcount + 1; -1 means unmapped) equals the
//   number of PTEs that map it as a normal page: not special, not the zero page (2.6.24+), not a raw
//   PFN of a VM_PFNMAP VMA (vm_normal_page's rules, both the special-bit and the pgoff forms);
// - refcount >= mapcount, plus one for a page-cache page (mapping set and not PAGE_MAPPING_ANON);
// - VMAs: page-aligned, non-empty, sorted, non-overlapping, below task_size, vm_mm pointing back,
//   mm->map_count equal to the list length; every present user PTE inside a VMA;
// - PTEs with the user bit (on every level) only below TASK_SIZE;
// - no lock held by a task that has exited (LockSystem's holders against exit_state / taskExit).
//
// Robustness: corrupted data (a list that loops, a wild pointer, a page table in MMIO) becomes a
// violation; every walk is bounded; nothing here throws (an unexpected exception is reported as an
// `unreadable` violation with its message, so a bug in the checker shows up instead of hiding).

import type { BootedKernel } from '../boot';
import { PAGE_SIZE } from '../hw/pageTable';
import { loadKernelConstants, type KernelConstants } from './debugInfo';
import { KernelReader, messageOf, type KObject, type WalkProblem } from './reader';
import {
	freeLists, memMap, MemMapSnapshot, mmObject, mmPgdPhys, pageFlag, taskWalk, vmaWalk, walkPageTables,
	USER_HALF_END, type PteView, type TaskView, type VmaView,
} from './views';

/** What kind of invariant a violation breaks. */
export type ViolationKind =
	| 'free-list-corrupt'
	| 'pte-maps-free-frame'
	| 'mapcount-mismatch'
	| 'refcount-below-mapcount'
	| 'vma-unaligned'
	| 'vma-empty'
	| 'vma-unsorted'
	| 'vma-overlap'
	| 'vma-beyond-task-size'
	| 'vma-wrong-mm'
	| 'map-count-mismatch'
	| 'pte-outside-vma'
	| 'user-pte-above-task-size'
	| 'lock-held-by-exited-task'
	| 'list-corrupt'
	| 'page-table-corrupt'
	| 'unreadable';

/** One broken invariant. */
export interface Violation {
	readonly kind: ViolationKind;
	readonly message: string;
	/** Where the invariant is stated. */
	readonly source: string;
	readonly pfn?: number;
	/** Kernel address of the mm concerned. */
	readonly mm?: number;
	/** The virtual (or, for page-table entries, physical) address concerned. */
	readonly address?: number;
	/** The lock-system task id concerned. */
	readonly task?: string;
}

/** Names of the checks, for `checks` and the report. */
export type InvariantCheck = 'free-lists' | 'tasks' | 'vmas' | 'page-tables' | 'mapcount' | 'refcount' | 'locks';

/** Options of checkInvariants. */
export interface InvariantOptions {
	/** The header constants (loadKernelConstants): needed for flag-based rules (VM_PFNMAP, PG_buddy, PAGE_MAPPING_ANON, the era). */
	readonly constants?: KernelConstants;
	/** A reader to use (its constants take precedence). */
	readonly reader?: KernelReader;
	/** Address spaces not reachable from the task list (kernel addresses of struct mm_struct). */
	readonly mms?: readonly number[];
	/** Run only these checks (default: all). */
	readonly checks?: readonly InvariantCheck[];
}

/** Violations, and which checks ran or were skipped (with why). */
export interface InvariantReport {
	readonly violations: Violation[];
	readonly checked: InvariantCheck[];
	readonly skipped: { readonly check: InvariantCheck; readonly reason: string }[];
}

const S1 = 'kernel-semantics.md section 1 "Object model the simulator needs (names follow Linux)"';
const S9 = 'kernel-semantics.md section 9 "Implementation checklist (invariants to enforce or assert)"';
const PAGE_ALLOC = 'mm/page_alloc.c header "Invariants"';
const MAPCOUNT = `${S1} (PTE: special bit "no struct page, do not refcount"; struct page existence) and <linux/mm_types.h> (_mapcount: -1 when unmapped)`;
const VMA_LIST = `${S1} (VMA: vm_start, vm_end) and <linux/mm_types.h> (vm_next: "list sorted, no overlaps"; map_count)`;

const KV_2_6_24 = (2 << 16) + (6 << 8) + 24;

/** True when every bit of `mask` is set in `value` (64-bit safe). */
function hasBits(value: number, mask: number): boolean {
	const m = BigInt(mask);
	return m !== 0n && (BigInt(value) & m) === m;
}

function hex(n: number): string {
	return `0x${n.toString(16)}`;
}

/** The violations of the invariants (see the file header). Never throws. */
export function checkInvariants(booted: BootedKernel, options: InvariantOptions = {}): Violation[] {
	return invariantReport(booted, options).violations;
}

/** checkInvariants with the list of checks that ran and those skipped. Never throws. */
export function invariantReport(booted: BootedKernel, options: InvariantOptions = {}): InvariantReport {
	const violations: Violation[] = [];
	const checked: InvariantCheck[] = [];
	const skipped: { check: InvariantCheck; reason: string }[] = [];
	const wanted = (check: InvariantCheck): boolean => options.checks === undefined || options.checks.includes(check);
	let reader: KernelReader;
	try {
		reader = options.reader ?? new KernelReader(booted, { constants: options.constants ?? loadKernelConstants(booted.sources, booted.profile.defines) });
	} catch (error) {
		violations.push({ kind: 'unreadable', message: `cannot inspect the kernel: ${messageOf(error)}`, source: S1 });
		return { violations, checked, skipped };
	}
	const state = new CheckState(reader, violations);
	const guard = (check: InvariantCheck, body: () => void): void => {
		if (!wanted(check)) return;
		try {
			body();
			checked.push(check);
		} catch (error) {
			violations.push({ kind: 'unreadable', message: `${check}: ${messageOf(error)}`, source: S1 });
		}
	};

	guard('free-lists', () => state.checkFreeLists());
	// The task list is read even when 'tasks' is not asked for: the address spaces come from it.
	try {
		state.collectTasks(options.mms ?? []);
		if (wanted('tasks')) checked.push('tasks');
	} catch (error) {
		violations.push({ kind: 'unreadable', message: `tasks: ${messageOf(error)}`, source: S1 });
	}
	guard('vmas', () => state.checkVmas());
	guard('page-tables', () => state.checkPageTables());
	if (wanted('mapcount') || wanted('refcount')) {
		const why = wanted('mapcount') ? state.mapcountBlocker() : undefined;
		if (why !== undefined) skipped.push({ check: 'mapcount', reason: why });
		const compare = wanted('mapcount') && why === undefined;
		guard(compare ? 'mapcount' : 'refcount', () => state.checkPages(compare, wanted('refcount')));
		if (compare && wanted('refcount') && checked.includes('mapcount')) checked.push('refcount');
	}
	guard('locks', () => state.checkLocks());
	return { violations, checked, skipped };
}

/** One address space as the checks see it. */
interface MmState {
	readonly address: number;
	vmas: VmaView[];
	vmaProblem: WalkProblem | undefined;
	pgdPhys: number | undefined;
	leaves: PteView[];
	complete: boolean;
}

class CheckState {
	/** pfns of every page in a listed free block. */
	free = new Set<number>();
	freeComplete = false;
	tasks: TaskView[] = [];
	mms = new Map<number, MmState>();
	/** Normal-page PTEs per pfn. */
	readonly mapped = new Map<number, number>();
	pageTablesComplete = false;
	pageTablesRan = false;
	private readonly maxPfn: number;

	constructor(private readonly reader: KernelReader, private readonly violations: Violation[]) {
		this.maxPfn = memMap(reader).count;
	}

	private report(v: Violation): void {
		this.violations.push(v);
	}

	// ---- Free lists ----

	checkFreeLists(): void {
		const reader = this.reader;
		let complete = true;
		const owner = new Map<number, number>();
		for (const zone of freeLists(reader)) {
			for (const p of zone.problems) {
				complete = false;
				this.report({ kind: 'free-list-corrupt', message: `zone ${zone.name}: ${p.message}`, source: PAGE_ALLOC, address: p.address });
			}
			let sum = 0;
			for (const o of zone.orders) {
				if (o.nrFree !== o.blocks.length) {
					this.report({ kind: 'free-list-corrupt', message: `zone ${zone.name}: free_area[${o.order}].nr_free is ${o.nrFree} but the list has ${o.blocks.length} blocks`, source: PAGE_ALLOC });
				}
				for (const block of o.blocks) {
					const pages = 2 ** block.order;
					sum += pages;
					if (block.pfn % pages !== 0 || block.pfn + pages > this.maxPfn) {
						complete = false;
						this.report({ kind: 'free-list-corrupt', message: `zone ${zone.name}: free block at pfn ${hex(block.pfn)} of order ${block.order} is not aligned or runs past mem_map`, source: PAGE_ALLOC, pfn: block.pfn });
						continue;
					}
					this.checkFreeBlock(zone.name, block.pfn, block.order, owner);
				}
			}
			if (sum !== zone.freePages) {
				this.report({ kind: 'free-list-corrupt', message: `zone ${zone.name}: free_pages is ${zone.freePages} but the free lists hold ${sum} pages`, source: PAGE_ALLOC });
			}
		}
		this.freeComplete = complete;
	}

	private checkFreeBlock(zone: string, pfn: number, order: number, owner: Map<number, number>): void {
		const pages = this.pages();
		for (let i = 0; i < 2 ** order; i++) {
			const p = pfn + i;
			const previous = owner.get(p);
			if (previous !== undefined) {
				this.report({ kind: 'free-list-corrupt', message: `zone ${zone}: pfn ${hex(p)} is in two free blocks (from ${hex(previous)} and ${hex(pfn)})`, source: PAGE_ALLOC, pfn: p });
				continue;
			}
			owner.set(p, pfn);
			this.free.add(p);
			const buddy = pageFlag(this.reader, pages.flags(p), 'buddy');
			if (i === 0) {
				if (buddy === false) this.report({ kind: 'free-list-corrupt', message: `zone ${zone}: free block at pfn ${hex(p)} (order ${order}) lacks PG_buddy`, source: PAGE_ALLOC, pfn: p });
				const priv = pages.private(p);
				if (priv !== order) this.report({ kind: 'free-list-corrupt', message: `zone ${zone}: free block at pfn ${hex(p)} is on the order-${order} list but page->private is ${priv}`, source: PAGE_ALLOC, pfn: p });
			} else if (buddy === true) {
				this.report({ kind: 'free-list-corrupt', message: `zone ${zone}: pfn ${hex(p)} inside the free block at ${hex(pfn)} has PG_buddy`, source: PAGE_ALLOC, pfn: p });
			}
			const refcount = pages.refcount(p);
			const mapcount = pages.mapcount(p);
			if (refcount !== 0 || mapcount !== 0) {
				this.report({ kind: 'free-list-corrupt', message: `zone ${zone}: free pfn ${hex(p)} has refcount ${refcount} and mapcount ${mapcount} (both must be 0)`, source: PAGE_ALLOC, pfn: p });
			}
		}
	}

	private memMapCopy: MemMapSnapshot | undefined;
	/** mem_map, read once per check run. */
	private pages(): MemMapSnapshot {
		this.memMapCopy ??= new MemMapSnapshot(this.reader);
		return this.memMapCopy;
	}

	// ---- Tasks and address spaces ----

	collectTasks(extra: readonly number[]): void {
		const walk = taskWalk(this.reader);
		this.tasks = walk.tasks;
		if (walk.problem !== undefined) {
			this.report({ kind: 'list-corrupt', message: `task list (init_task.tasks): ${walk.problem.message}`, source: S1, address: walk.problem.address });
		}
		const addresses = [this.reader.global('init_mm').address, ...this.tasks.flatMap(t => [t.mm, t.activeMm]), ...extra];
		for (const address of addresses) {
			if (address !== 0 && !this.mms.has(address)) this.mms.set(address, { address, vmas: [], vmaProblem: undefined, pgdPhys: undefined, leaves: [], complete: false });
		}
	}

	checkVmas(): void {
		for (const mm of this.mms.values()) {
			try {
				this.checkMmVmas(mm);
			} catch (error) {
				mm.vmaProblem = { kind: 'unreadable', message: messageOf(error), address: mm.address };
				this.report({ kind: 'unreadable', message: `mm ${hex(mm.address)}: ${messageOf(error)}`, source: VMA_LIST, mm: mm.address });
			}
		}
	}

	private taskSize(mm: KObject): number {
		if (mm.hasMember('task_size')) {
			const size = mm.member('task_size').number();
			if (size > 0) return size;
		}
		return this.reader.constant('TASK_SIZE_MAX') ?? this.reader.constant('TASK_SIZE') ?? USER_HALF_END;
	}

	private checkMmVmas(mm: MmState): void {
		const object = mmObject(this.reader, mm.address);
		const walk = vmaWalk(this.reader, object);
		mm.vmas = walk.vmas;
		mm.vmaProblem = walk.problem;
		if (walk.problem !== undefined) {
			this.report({ kind: 'list-corrupt', message: `mm ${hex(mm.address)}: VMA list (mmap, vm_next): ${walk.problem.message}`, source: VMA_LIST, mm: mm.address, address: walk.problem.address });
		}
		const taskSize = this.taskSize(object);
		let previous: VmaView | undefined;
		for (const vma of walk.vmas) {
			const range = `[${hex(vma.start)}, ${hex(vma.end)})`;
			const at = { mm: mm.address, address: vma.start, source: VMA_LIST };
			if (vma.start % PAGE_SIZE !== 0 || vma.end % PAGE_SIZE !== 0) this.report({ kind: 'vma-unaligned', message: `mm ${hex(mm.address)}: VMA ${range} is not page-aligned`, ...at });
			if (vma.start >= vma.end) this.report({ kind: 'vma-empty', message: `mm ${hex(mm.address)}: VMA ${range} is empty or inverted`, ...at });
			if (vma.end > taskSize) this.report({ kind: 'vma-beyond-task-size', message: `mm ${hex(mm.address)}: VMA ${range} ends above task_size ${hex(taskSize)}`, ...at });
			if (vma.mm !== mm.address) this.report({ kind: 'vma-wrong-mm', message: `mm ${hex(mm.address)}: VMA ${range} has vm_mm ${hex(vma.mm)}`, ...at });
			if (previous !== undefined) {
				if (vma.start < previous.start) this.report({ kind: 'vma-unsorted', message: `mm ${hex(mm.address)}: VMA ${range} follows [${hex(previous.start)}, ${hex(previous.end)}) in the list`, ...at });
				else if (vma.start < previous.end) this.report({ kind: 'vma-overlap', message: `mm ${hex(mm.address)}: VMA ${range} overlaps [${hex(previous.start)}, ${hex(previous.end)})`, ...at });
			}
			previous = vma;
		}
		if (walk.problem === undefined && object.hasMember('map_count')) {
			const count = object.member('map_count').number();
			if (count !== walk.vmas.length) this.report({ kind: 'map-count-mismatch', message: `mm ${hex(mm.address)}: map_count is ${count} but the VMA list has ${walk.vmas.length} entries`, source: VMA_LIST, mm: mm.address });
		}
	}

	// ---- Page tables ----

	checkPageTables(): void {
		let complete = true;
		const kernelVisited = new Set<number>();
		for (const mm of this.mms.values()) {
			try {
				mm.pgdPhys = mmPgdPhys(this.reader, mm.address);
			} catch (error) {
				complete = false;
				this.report({ kind: 'page-table-corrupt', message: `mm ${hex(mm.address)}: ${messageOf(error)}`, source: S1, mm: mm.address });
				continue;
			}
			try {
				this.checkMmPageTables(mm, mm.pgdPhys, kernelVisited);
			} catch (error) {
				complete = false;
				this.report({ kind: 'unreadable', message: `mm ${hex(mm.address)}: ${messageOf(error)}`, source: S1, mm: mm.address });
			}
			if (!mm.complete) complete = false;
		}
		this.pageTablesComplete = complete;
		this.pageTablesRan = true;
	}

	/** The user half of one mm (PTEs against free frames, VMAs, TASK_SIZE; mapcount tally), then its kernel half. */
	private checkMmPageTables(mm: MmState, pgdPhys: number, kernelVisited: Set<number>): void {
		const taskSize = this.taskSize(mmObject(this.reader, mm.address));
		const user = walkPageTables(this.reader, pgdPhys);
		mm.leaves = user.leaves;
		mm.complete = user.problems.length === 0 && mm.vmaProblem === undefined;
		for (const p of user.problems) this.report({ kind: 'page-table-corrupt', message: `mm ${hex(mm.address)}: ${p.message}`, source: S1, mm: mm.address, address: p.address });
		// Page-table pages themselves (the pgd included) must not be free.
		for (const table of user.tables) {
			const pfn = Math.floor(table.phys / PAGE_SIZE);
			if (this.free.has(pfn)) this.report({ kind: 'pte-maps-free-frame', message: `mm ${hex(mm.address)}: the level-${table.level} page table for ${hex(table.va)} is the free frame ${hex(pfn)}`, source: `${S1}; ${PAGE_ALLOC}`, mm: mm.address, pfn, address: table.phys });
		}
		const vmasUsable = mm.vmaProblem === undefined;
		for (const leaf of user.leaves) {
			const span = leaf.entry.pageSize || PAGE_SIZE;
			if (this.free.has(leaf.pfn)) {
				this.report({ kind: 'pte-maps-free-frame', message: `mm ${hex(mm.address)}: the PTE of ${hex(leaf.va)} (at physical ${hex(leaf.entryAddress)}) maps the free frame ${hex(leaf.pfn)}`, source: `${S1}; ${PAGE_ALLOC}`, mm: mm.address, pfn: leaf.pfn, address: leaf.va });
			}
			if (leaf.userPath && leaf.va + span > taskSize) {
				this.report({ kind: 'user-pte-above-task-size', message: `mm ${hex(mm.address)}: a user PTE maps ${hex(leaf.va)}, above TASK_SIZE ${hex(taskSize)}`, source: S1, mm: mm.address, address: leaf.va });
			}
			const vma = vmasUsable ? findVma(mm.vmas, leaf.va) : undefined;
			if (vmasUsable && vma === undefined) {
				this.report({ kind: 'pte-outside-vma', message: `mm ${hex(mm.address)}: a present PTE maps ${hex(leaf.va)} (pfn ${hex(leaf.pfn)}), which no VMA covers`, source: VMA_LIST, mm: mm.address, address: leaf.va, pfn: leaf.pfn });
			}
			if (vma !== undefined && leaf.level === 1 && this.isNormalPage(leaf, vma)) this.mapped.set(leaf.pfn, (this.mapped.get(leaf.pfn) ?? 0) + 1);
		}
		// The kernel half (shared by every mm: walked once) must have no user-accessible entry.
		const kernel = walkPageTables(this.reader, pgdPhys, { start: USER_HALF_END, end: 2 ** 48, visited: kernelVisited });
		for (const p of kernel.problems) this.report({ kind: 'page-table-corrupt', message: `mm ${hex(mm.address)} (kernel half): ${p.message}`, source: S1, mm: mm.address, address: p.address });
		for (const leaf of kernel.leaves) {
			if (leaf.userPath) this.report({ kind: 'user-pte-above-task-size', message: `a user-accessible entry maps the kernel address ${hex(leaf.va)} (entry at physical ${hex(leaf.entryAddress)})`, source: S1, mm: mm.address, address: leaf.va });
		}
	}

	/** The era of the profile (undefined without constants). */
	private get version(): number | undefined {
		return this.reader.constants?.version;
	}

	/** pfn of the shared zero page, if the kernel has one (empty_zero_page, or zero_pfn). */
	private zeroPfn(): number | undefined {
		const reader = this.reader;
		if (reader.hasGlobal('zero_pfn')) return reader.global('zero_pfn').number();
		if (reader.hasGlobal('empty_zero_page')) {
			const pa = reader.memory.physOf(reader.global('empty_zero_page').address);
			return pa === null ? undefined : Math.floor(pa / PAGE_SIZE);
		}
		return undefined;
	}

	/**
	 * vm_normal_page(vma, addr, pte) != NULL, as the era's kernel decides it: a valid pfn, not a
	 * special PTE, not the zero page (from 2.6.24, when the zero page stopped being refcounted), and
	 * for VM_PFNMAP VMAs only a COW copy (pfn differs from vm_pgoff + offset in a COW mapping).
	 */
	private isNormalPage(leaf: PteView, vma: VmaView): boolean {
		if (!(leaf.pfn < this.maxPfn)) return false;
		if (leaf.entry.special) return false;
		const version = this.version;
		if (version !== undefined && version >= KV_2_6_24 && leaf.pfn === this.zeroPfnCached) return false;
		const pfnmap = this.reader.constant('VM_PFNMAP');
		if (pfnmap !== undefined && hasBits(vma.flags, pfnmap)) {
			const offset = Math.floor((leaf.va - vma.start) / PAGE_SIZE);
			if (leaf.pfn === vma.pgoff + offset) return false;
			const shared = this.reader.constant('VM_SHARED') ?? 0;
			const maywrite = this.reader.constant('VM_MAYWRITE') ?? 0;
			// is_cow_mapping(): private and potentially writable.
			if ((BigInt(vma.flags) & BigInt(shared)) !== 0n || !hasBits(vma.flags, maywrite)) return false;
		}
		return true;
	}

	private zeroPfnValue: number | undefined | null = null;
	private get zeroPfnCached(): number | undefined {
		if (this.zeroPfnValue === null) this.zeroPfnValue = this.zeroPfn();
		return this.zeroPfnValue;
	}

	// ---- struct page counts ----

	/** Why the mapcount comparison cannot be trusted, or undefined when it can. */
	mapcountBlocker(): string | undefined {
		if (this.reader.constants === undefined) return 'no header constants (VM_PFNMAP and the era decide which PTEs count)';
		if (!this.pageTablesRan) return 'the page-tables check did not run (it counts the PTEs)';
		if (!this.pageTablesComplete) return 'some address space could not be walked completely (see the other violations)';
		for (const mm of this.mms.values()) if (mm.vmaProblem !== undefined) return `the VMA list of mm ${hex(mm.address)} is corrupt`;
		return undefined;
	}

	/** mapcount == normal-page PTEs (when `compareMapcount`) and refcount >= mapcount (+1 for page cache, when `checkRefcount`) for every struct page. */
	checkPages(compareMapcount: boolean, checkRefcount: boolean): void {
		const reader = this.reader;
		const pages = this.pages();
		const anonBit = reader.constant('PAGE_MAPPING_ANON');
		for (let pfn = 0; pfn < pages.count; pfn++) {
			const mapcount = pages.mapcount(pfn);
			const expected = this.mapped.get(pfn) ?? 0;
			if (compareMapcount && mapcount !== expected) {
				this.report({ kind: 'mapcount-mismatch', message: `pfn ${hex(pfn)}: page_mapcount() is ${mapcount} but ${expected} PTE${expected === 1 ? ' maps' : 's map'} it`, source: MAPCOUNT, pfn });
			}
			if (!checkRefcount || mapcount <= 0) continue;
			const refcount = pages.refcount(pfn);
			let needed = mapcount;
			let why = '';
			if (anonBit !== undefined) {
				const mapping = pages.mapping(pfn);
				if (mapping !== 0 && (BigInt(mapping) & BigInt(anonBit)) === 0n && pageFlag(reader, pages.flags(pfn), 'slab') !== true) {
					needed++;
					why = ' + 1 (page cache)';
				}
			}
			if (refcount < needed) {
				this.report({ kind: 'refcount-below-mapcount', message: `pfn ${hex(pfn)}: page_count() is ${refcount}, below mapcount ${mapcount}${why}`, source: `${S9} (page references) and ${MAPCOUNT}`, pfn });
			}
		}
	}

	// ---- Locks ----

	checkLocks(): void {
		const table = this.reader.booted.locks.table;
		const byId = new Map<string, TaskView>();
		for (const task of this.tasks) byId.set(String(task.pid), task);
		for (const lock of table.allLocks()) {
			const holders = [...(lock.owner === null ? [] : [lock.owner]), ...lock.readers.map(r => r.task)];
			for (const holder of holders) {
				const task = byId.get(holder);
				const exited = table.hasExited(holder) || (task !== undefined && task.pid !== 0 && task.exitState !== 0);
				if (!exited) continue;
				this.report({ kind: 'lock-held-by-exited-task', message: `${lock.kind} ${lock.name} (${lock.className}) is held by task ${holder}, which has exited`, source: S9, task: holder, ...(lock.address === null ? {} : { address: lock.address }) });
			}
		}
	}
}

/** The VMA containing `va` in a sorted list (linear: lists are short). */
function findVma(vmas: readonly VmaView[], va: number): VmaView | undefined {
	for (const vma of vmas) if (va >= vma.start && va < vma.end) return vma;
	return undefined;
}
