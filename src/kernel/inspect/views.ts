// Views of the KC kernel's memory-management state, read with the typed reader (layer: kernel):
// every task (init_task and its `tasks` list), an mm's VMAs (mm->mmap through vm_next), a walk of
// an mm's page tables (PTEs decoded with hw/pageTable.ts), mem_map[pfn] (struct page), and the
// buddy allocator's free lists (contig_page_data's zones, free_area[order].free_list through
// page->lru, as mm/page_alloc.c keeps them). All names, no offsets: a member the kernel renames
// between eras (`_refcount`/`_count`) is looked up under each of its names.
//
// The walks are bounded and never loop: a list that comes back on itself, a page table reached
// twice or a pointer to nowhere ends that walk with a WalkProblem (the views that return plain
// arrays throw an InspectError instead).

import { KernelLayout, type Value } from '../../interp/contracts';
import { decodePte, levelSpan, PAGE_SIZE, PTRS_PER_TABLE, type DecodedPte, type PagingLevel } from '../hw/pageTable';
import { InspectError } from './debugInfo';
import { findField, type CType, type Field } from '../../lang/types';
import { decodeScalar, messageOf, type KernelReader, type KObject, type WalkProblem } from './reader';

function hex(n: number): string {
	return `0x${n.toString(16)}`;
}

/** The value of an atomic_t / atomic_long_t (its `counter`) or of a plain integer. */
export function atomicValue(obj: KObject): number {
	return obj.hasMember('counter') && obj.type.kind === 'struct' ? obj.member('counter').number() : obj.number();
}

/** The first of `names` that `obj` has as a member (era renames); throws when none. */
export function memberOf(obj: KObject, ...names: string[]): KObject {
	for (const name of names) if (obj.hasMember(name)) return obj.member(name);
	throw new InspectError(`${obj.typeName} has none of the members ${names.join(', ')}`, obj.address);
}

// ---- Tasks ---------------------------------------------------------------------------------------

/** A task_struct. */
export interface TaskView {
	readonly object: KObject;
	readonly address: number;
	readonly pid: number;
	readonly tgid: number;
	readonly comm: string;
	/** mm and active_mm (kernel addresses; 0 for none). */
	readonly mm: number;
	readonly activeMm: number;
	/** `__state` (`state` before 5.14). */
	readonly state: number;
	readonly exitState: number;
	readonly flags: number;
}

/** Reads one task_struct. */
export function taskView(task: KObject): TaskView {
	return {
		object: task,
		address: task.address,
		pid: task.member('pid').number(),
		tgid: task.member('tgid').number(),
		comm: task.member('comm').cString(),
		mm: task.member('mm').pointer(),
		activeMm: task.hasMember('active_mm') ? task.member('active_mm').pointer() : 0,
		state: memberOf(task, '__state', 'state').number(),
		exitState: task.hasMember('exit_state') ? task.member('exit_state').number() : 0,
		flags: task.member('flags').number(),
	};
}

/** Every task: init_task, then its `tasks` list (for_each_process order), and the problem that cut the walk short. */
export function taskWalk(reader: KernelReader): { readonly tasks: TaskView[]; readonly problem?: WalkProblem } {
	const init = reader.global('init_task');
	const walk = reader.listWalk(init.member('tasks'), init.type, 'tasks');
	const tasks = [taskView(init)];
	for (const entry of walk.entries) {
		try {
			tasks.push(taskView(entry));
		} catch (error) {
			return { tasks, problem: { kind: 'unreadable', message: `task_struct at ${hex(entry.address)}: ${messageOf(error)}`, address: entry.address } };
		}
	}
	return walk.problem === undefined ? { tasks } : { tasks, problem: walk.problem };
}

/** Every task (throws InspectError when the task list is corrupt). */
export function tasks(reader: KernelReader): TaskView[] {
	const walk = taskWalk(reader);
	if (walk.problem !== undefined) throw new InspectError(walk.problem.message, walk.problem.address);
	return walk.tasks;
}

// ---- mm and VMAs ---------------------------------------------------------------------------------

/** The struct mm_struct at `mm` (an address, a pointer object or the struct itself). */
export function mmObject(reader: KernelReader, mm: number | KObject): KObject {
	if (typeof mm === 'number') return reader.object('struct mm_struct', mm);
	return mm.type.kind === 'pointer' ? mm.deref() : mm;
}

/** Physical address of an mm's top-level page table (what CR3 takes): __pa(mm->pgd). */
export function mmPgdPhys(reader: KernelReader, mm: number | KObject): number {
	const pgd = mmObject(reader, mm).member('pgd').pointer();
	const pa = reader.memory.physOf(pgd);
	if (pa === null || pgd === 0) throw new InspectError(`mm->pgd ${hex(pgd)} is not mapped`, pgd);
	return pa;
}

/** A vm_area_struct. */
export interface VmaView {
	readonly object: KObject;
	readonly address: number;
	readonly mm: number;
	readonly start: number;
	readonly end: number;
	readonly flags: number;
	/** VM_* names of the set flags (hex for bits no macro names; empty without header constants). */
	readonly flagNames: readonly string[];
	readonly pgoff: number;
	/** vm_file, vm_ops, anon_vma (kernel addresses; 0 for none). */
	readonly file: number;
	readonly ops: number;
	readonly anonVma: number;
	/** vm_page_prot's value. */
	readonly pageProt: Value;
}

/** VM_* flag masks of the profile (VM_FAULT_* codes excluded). */
export function vmFlagMasks(reader: KernelReader): [string, bigint][] {
	return reader.flagMasks('VM_', ['VM_FAULT_']);
}

/** Reads one vm_area_struct. */
export function vmaView(reader: KernelReader, vma: KObject, masks: [string, bigint][] = vmFlagMasks(reader)): VmaView {
	const flags = vma.member('vm_flags').number();
	const prot = vma.member('vm_page_prot');
	return {
		object: vma,
		address: vma.address,
		mm: vma.member('vm_mm').pointer(),
		start: vma.member('vm_start').number(),
		end: vma.member('vm_end').number(),
		flags,
		flagNames: masks.length === 0 ? [] : reader.decodeFlags(flags, masks),
		pgoff: vma.member('vm_pgoff').number(),
		file: vma.member('vm_file').pointer(),
		ops: vma.member('vm_ops').pointer(),
		anonVma: vma.hasMember('anon_vma') ? vma.member('anon_vma').pointer() : 0,
		pageProt: prot.type.kind === 'struct' ? prot.member('pgprot').value() : prot.value(),
	};
}

/** An mm's VMAs in list order (mm->mmap, vm_next) and the problem that cut the walk short. */
export function vmaWalk(reader: KernelReader, mm: number | KObject): { readonly vmas: VmaView[]; readonly problem?: WalkProblem } {
	const walk = reader.chainWalk(mmObject(reader, mm).member('mmap'), 'vm_next');
	const masks = vmFlagMasks(reader);
	const vmas: VmaView[] = [];
	for (const entry of walk.entries) {
		try {
			vmas.push(vmaView(reader, entry, masks));
		} catch (error) {
			return { vmas, problem: { kind: 'unreadable', message: `vm_area_struct at ${hex(entry.address)}: ${messageOf(error)}`, address: entry.address } };
		}
	}
	return walk.problem === undefined ? { vmas } : { vmas, problem: walk.problem };
}

/** An mm's VMAs (throws InspectError when the list is corrupt). */
export function vmas(reader: KernelReader, mm: number | KObject): VmaView[] {
	const walk = vmaWalk(reader, mm);
	if (walk.problem !== undefined) throw new InspectError(walk.problem.message, walk.problem.address);
	return walk.vmas;
}

// ---- Page tables ---------------------------------------------------------------------------------

/** The end of the user half of the address space (bit 47 clear). */
export const USER_HALF_END = KernelLayout.kernelHalf;

/** A leaf entry found by a page-table walk. */
export interface PteView {
	/** The virtual address the entry maps (48-bit). */
	readonly va: number;
	readonly level: PagingLevel;
	/** Physical address of the entry itself. */
	readonly entryAddress: number;
	readonly entry: DecodedPte;
	/** The kernel's pte_present: P, or PROT_NONE (_PAGE_PROTNONE without P). */
	readonly mapped: boolean;
	/** User access allowed by every level (US at each entry on the way). */
	readonly userPath: boolean;
	readonly pfn: number;
}

/** A page-table page met by a walk (the top-level table included). */
export interface TableView {
	readonly level: PagingLevel;
	readonly phys: number;
	/** First virtual address the table covers. */
	readonly va: number;
}

/** The result of a page-table walk. */
export interface PageTableWalk {
	readonly leaves: PteView[];
	readonly tables: TableView[];
	readonly problems: WalkProblem[];
}

/** Options of walkPageTables. */
export interface WalkOptions {
	/** Virtual range to walk, [start, end) (default: the user half). */
	readonly start?: number;
	readonly end?: number;
	/** Also report leaves that are not pte_present but not zero (swap or corrupt entries). Default false. */
	readonly nonPresent?: boolean;
	/** Tables already walked (shared between calls to skip the kernel half of every mm). */
	readonly visited?: Set<number>;
	/** Stop after this many entries examined (default 4,000,000). */
	readonly budget?: number;
}

/**
 * Walks the 4-level tables at `pgdPhys` over [start, end): every leaf (a 4 KiB PTE, or a 2 MiB /
 * 1 GiB large entry) that the kernel considers present. Reads RAM only; a table pointer to
 * something that is not RAM, or to a table already walked, is a problem, not followed.
 */
export function walkPageTables(reader: KernelReader, pgdPhys: number, options: WalkOptions = {}): PageTableWalk {
	const start = options.start ?? 0;
	const end = options.end ?? USER_HALF_END;
	const protNone = reader.constant('_PAGE_PROTNONE') ?? 0;
	const visited = options.visited ?? new Set<number>();
	let budget = options.budget ?? 4_000_000;
	const leaves: PteView[] = [];
	const tables: TableView[] = [];
	const problems: WalkProblem[] = [];
	const memory = reader.memory;

	const walkTable = (table: number, level: PagingLevel, base: number, userPath: boolean): void => {
		if (!memory.isRam(table, PAGE_SIZE) || table % PAGE_SIZE !== 0) {
			problems.push({ kind: 'unreadable', message: `level-${level} table at physical ${hex(table)} (for ${hex(base)}) is not a RAM page`, address: table });
			return;
		}
		if (visited.has(table)) {
			if (options.visited === undefined) problems.push({ kind: 'cycle', message: `page table at physical ${hex(table)} is reached twice (level ${level}, ${hex(base)})`, address: table });
			return;
		}
		visited.add(table);
		tables.push({ level, phys: table, va: base });
		const span = levelSpan(level);
		const bytes = memory.readPhys(table, PAGE_SIZE);
		const view = new DataView(bytes.buffer, bytes.byteOffset, PAGE_SIZE);
		for (let i = 0; i < PTRS_PER_TABLE; i++) {
			const va = base + i * span;
			if (va + span <= start || va >= end) continue;
			if (--budget < 0) {
				if (budget === -1) problems.push({ kind: 'limit', message: 'page-table walk budget exhausted', address: table });
				return;
			}
			const raw = view.getBigUint64(i * 8, true);
			if (raw === 0n) continue;
			const entry = decodePte(raw, level);
			const entryAddress = table + i * 8;
			const leaf = level === 1 || entry.large;
			if (!leaf) {
				if (entry.present) walkTable(entry.physicalAddress, (level - 1) as PagingLevel, va, userPath && entry.user);
				continue;
			}
			const mapped = entry.present || (level === 1 && protNone !== 0 && (Number(raw & 0xfffn) & protNone) !== 0);
			if (!mapped && options.nonPresent !== true) continue;
			leaves.push({ va, level, entryAddress, entry, mapped, userPath: userPath && entry.user, pfn: entry.pfn });
		}
	};
	walkTable(pgdPhys, 4, 0, true);
	return { leaves, tables, problems };
}

// ---- struct page ---------------------------------------------------------------------------------

/** mem_map (the struct page array) and its length max_mapnr. */
export function memMap(reader: KernelReader): { readonly base: KObject; readonly count: number } {
	return { base: reader.global('mem_map'), count: reader.global('max_mapnr').number() };
}

/** mem_map[pfn] (pfn_to_page). Throws InspectError when the pfn has no struct page (!pfn_valid). */
export function pageObject(reader: KernelReader, pfn: number): KObject {
	const map = memMap(reader);
	if (!(Number.isInteger(pfn) && pfn >= 0 && pfn < map.count)) throw new InspectError(`pfn ${hex(pfn)} has no struct page (max_mapnr ${hex(map.count)})`);
	return map.base.index(pfn);
}

/** The pfn of the struct page at `address` (page_to_pfn), or undefined when it is not an element of mem_map. */
export function pfnOfPage(reader: KernelReader, address: number): number | undefined {
	const map = memMap(reader);
	const base = map.base.pointer();
	const size = reader.structType('page').size;
	const delta = address - base;
	if (delta < 0 || delta % size !== 0 || delta / size >= map.count) return undefined;
	return delta / size;
}

/** A struct page. */
export interface PageView {
	readonly pfn: number;
	readonly object: KObject;
	readonly flags: bigint;
	/** PG_* names of the set flags (from enum pageflags; empty without header constants). */
	readonly flagNames: readonly string[];
	/** page_count(): _refcount (4.6+) or _count. */
	readonly refcount: number;
	/** page_mapcount(): _mapcount + 1 (_mapcount is -1 for an unmapped page). */
	readonly mapcount: number;
	readonly mapping: number;
	readonly index: Value;
	readonly private: Value;
}

/** Reads mem_map[pfn]. */
export function pageView(reader: KernelReader, pfn: number, page: KObject = pageObject(reader, pfn)): PageView {
	const flags = page.member('flags').bigint();
	const masks = reader.enumBitMasks('pageflags');
	return {
		pfn,
		object: page,
		flags,
		flagNames: masks.length === 0 ? [] : reader.decodeFlags(flags, masks),
		refcount: atomicValue(memberOf(page, '_refcount', '_count')),
		mapcount: atomicValue(page.member('_mapcount')) + 1,
		mapping: page.member('mapping').pointer(),
		index: page.member('index').value(),
		private: page.member('private').value(),
	};
}

/** True when `flags` has PG_`name` set (`pageFlag(reader, flags, 'buddy')` is PageBuddy); undefined without header constants. */
export function pageFlag(reader: KernelReader, flags: bigint, name: string): boolean | undefined {
	const bit = reader.constants?.values.get(`PG_${name}`);
	return bit === undefined ? undefined : ((flags >> bit) & 1n) === 1n;
}

/**
 * The whole of mem_map read at once, for checks that visit every struct page: each field is
 * decoded from the copy with the offset and type of its member (looked up by name once).
 */
export class MemMapSnapshot {
	readonly count: number;
	private readonly bytes: Uint8Array;
	private readonly size: number;
	private readonly fields = new Map<string, { readonly offset: number; readonly type: CType; readonly bitField?: Field }>();

	constructor(private readonly reader: KernelReader) {
		const map = memMap(reader);
		this.count = map.count;
		this.size = reader.structType('page').size;
		this.bytes = reader.memory.read(map.base.pointer(), this.count * this.size);
	}

	/** Member `path` (`_mapcount.counter`, or several era names separated by `|`) of mem_map[pfn]. */
	value(pfn: number, path: string): Value {
		let info = this.fields.get(path);
		if (info === undefined) {
			const names = path.split('|');
			const page = this.reader.structType('page');
			const name = names.find(n => findField(page, n.split('.')[0]) !== undefined);
			if (name === undefined) throw new InspectError(`struct page has none of ${names.join(', ')}`);
			info = this.reader.memberInfo(page, name);
			this.fields.set(path, info);
		}
		if (!(pfn >= 0 && pfn < this.count)) throw new InspectError(`pfn ${hex(pfn)} has no struct page`);
		return decodeScalar(this.bytes, pfn * this.size + info.offset, info.type, info.bitField);
	}

	flags(pfn: number): bigint {
		const v = this.value(pfn, 'flags');
		return typeof v === 'bigint' ? v : BigInt(v);
	}

	/** page_count(). */
	refcount(pfn: number): number {
		return Number(this.value(pfn, '_refcount.counter|_count.counter'));
	}

	/** page_mapcount(): _mapcount + 1. */
	mapcount(pfn: number): number {
		return Number(this.value(pfn, '_mapcount.counter')) + 1;
	}

	mapping(pfn: number): number {
		return Number(this.value(pfn, 'mapping'));
	}

	private(pfn: number): number {
		return Number(this.value(pfn, 'private'));
	}
}

// ---- The buddy allocator ---------------------------------------------------------------------------

/** A free block on a buddy free list. */
export interface FreeBlock {
	readonly pfn: number;
	readonly order: number;
	/** The zone's name. */
	readonly zone: string;
}

/** One zone's free lists. */
export interface ZoneFreeView {
	readonly name: string;
	readonly address: number;
	/** zone->free_pages (nr_free_pages() sums these). */
	readonly freePages: number;
	readonly orders: readonly { readonly order: number; readonly nrFree: number; readonly blocks: readonly FreeBlock[] }[];
	readonly problems: readonly WalkProblem[];
}

/** The zones of contig_page_data (node_zones[0 .. nr_zones)). */
export function zones(reader: KernelReader): KObject[] {
	const node = reader.global('contig_page_data');
	const array = node.member('node_zones');
	const length = array.length ?? 0;
	const count = node.hasMember('nr_zones') ? Math.min(length, Math.max(0, node.member('nr_zones').number())) : length;
	const out: KObject[] = [];
	for (let i = 0; i < count; i++) out.push(array.index(i));
	return out;
}

/** Every zone's free lists: free_area[order].free_list, pages linked through page->lru. */
export function freeLists(reader: KernelReader): ZoneFreeView[] {
	const views: ZoneFreeView[] = [];
	for (const zone of zones(reader)) {
		const problems: WalkProblem[] = [];
		let name = '';
		try {
			name = zone.member('name').cString(64);
		} catch {
			name = hex(zone.address);
		}
		const areas = zone.member('free_area');
		const orders: { order: number; nrFree: number; blocks: FreeBlock[] }[] = [];
		for (let order = 0; order < (areas.length ?? 0); order++) {
			const area = areas.index(order);
			const walk = reader.listWalk(area.member('free_list'), 'struct page', 'lru');
			if (walk.problem !== undefined) problems.push(walk.problem);
			const blocks: FreeBlock[] = [];
			for (const page of walk.entries) {
				const pfn = pfnOfPage(reader, page.address);
				if (pfn === undefined) {
					problems.push({ kind: 'unreadable', message: `free_area[${order}] of zone ${name} lists ${hex(page.address)}, which is not in mem_map`, address: page.address });
					continue;
				}
				blocks.push({ pfn, order, zone: name });
			}
			orders.push({ order, nrFree: area.member('nr_free').number(), blocks });
		}
		const freePages = zone.hasMember('free_pages') ? zone.member('free_pages').number() : orders.reduce((sum, o) => sum + o.nrFree * 2 ** o.order, 0);
		views.push({ name, address: zone.address, freePages, orders, problems });
	}
	return views;
}

/** The pfns of every free frame (every page of every listed block). Throws InspectError when a free list is corrupt. */
export function freeFrames(reader: KernelReader): Set<number> {
	const frames = new Set<number>();
	for (const zone of freeLists(reader)) {
		if (zone.problems.length > 0) throw new InspectError(zone.problems[0].message, zone.problems[0].address);
		for (const o of zone.orders) for (const block of o.blocks) for (let i = 0; i < 2 ** block.order; i++) frames.add(block.pfn + i);
	}
	return frames;
}

/** nr_free_pages(): the sum of the zones' free_pages counters. */
export function nrFreePages(reader: KernelReader): number {
	return freeLists(reader).reduce((sum, zone) => sum + zone.freePages, 0);
}
