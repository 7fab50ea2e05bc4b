// Machine views for the debugger's custom requests and REPL (layer: sim): processes > VMAs > pages,
// physical regions > frames, devices, locks and the timeline, read with the kernel inspector from
// the stopped machine (no side effects). Results are the plain DTOs of src/shared/debugProtocol.ts.
// Device views come from each DeviceModel's describe(), so drivers added later appear without
// changes here.

import { PAGE_SIZE } from '../../kernel/hw/pageTable';
import { InspectError, freeFrames, pageView, vmaWalk, walkPageTables, type PageView, type VmaView } from '../../kernel/inspect';
import type { DeviceView } from '../../kernel/devices/device';
import type { Task } from '../../kernel/proc/system';
import type {
	AddressSpacesResponse, DevicesResponse, FrameSummary, InfoNode, LocksResponse, PageSummary, PhysicalMemoryResponse, ProcessSummary, TimelineArguments, TimelineResponse, VmaSummary,
} from '../../shared/debugProtocol';
import { pageWindow } from '../../shared/debugProtocol';
import type { DebugEngine } from './engine';
import { taskMm, vmaFacts } from './faultInfo';
import { parseAddress, pointerHex } from './values';

/** VMAs up to this many pages get their present PTEs counted in the VMA list. */
const MAPPED_COUNT_LIMIT = 65536;

/** /proc/PID/maps permissions of VM_* flags. */
export function permsOf(flags: number, names: readonly string[]): string {
	const has = (name: string) => names.includes(name);
	void flags;
	return `${has('VM_READ') ? 'r' : '-'}${has('VM_WRITE') ? 'w' : '-'}${has('VM_EXEC') ? 'x' : '-'}${has('VM_SHARED') ? 's' : 'p'}`;
}

function backingOf(vma: VmaView): VmaSummary['backing'] {
	if (vma.flagNames.some(f => f === 'VM_IO' || f === 'VM_PFNMAP' || f === 'VM_MIXEDMAP')) return 'device';
	if (vma.file !== 0) return 'file';
	if (vma.ops !== 0) return 'special';
	return 'anon';
}

/** The processes (one row per live task; kernel threads have no mm). */
export function processes(engine: DebugEngine): ProcessSummary[] {
	return [...engine.system.tasks.values()].filter(t => t.state !== 'dead').sort((a, b) => a.pid - b.pid).map(task => {
		const mm = taskMm(engine, task);
		let vmaCount = 0;
		if (mm !== 0) {
			try {
				vmaCount = vmaWalk(engine.reader, mm).vmas.length;
			} catch {
				vmaCount = 0;
			}
		}
		return { pid: task.pid, tgid: task.tgid, comm: task.name, threadId: task.pid, mm: pointerHex(mm), kernelThread: mm === 0, state: task.state, vmaCount };
	});
}

/** The VMAs of a task, with page counts. */
export function vmaSummaries(engine: DebugEngine, task: Task): VmaSummary[] {
	const mm = taskMm(engine, task);
	if (mm === 0) return [];
	const walk = vmaWalk(engine.reader, mm);
	return walk.vmas.map(vma => {
		const facts = vmaFacts(engine, vma, task);
		const pages = (vma.end - vma.start) / PAGE_SIZE;
		// Counting a huge VMA's PTEs would walk all of them: those are paged through `pages` instead.
		const mapped = pages > MAPPED_COUNT_LIMIT ? undefined : walkPageTables(engine.reader, task.cr3, { start: vma.start, end: vma.end }).leaves.length;
		return {
			start: pointerHex(vma.start),
			end: pointerHex(vma.end),
			perms: permsOf(vma.flags, vma.flagNames),
			flags: vma.flagNames,
			backing: backingOf(vma),
			pgoff: vma.pgoff,
			ops: pointerHex(vma.ops),
			...(facts.faultHandler === undefined ? {} : { faultHandler: facts.faultHandler }),
			...(facts.accessHandler === undefined ? {} : { accessHandler: facts.accessHandler }),
			pages,
			...(mapped === undefined ? {} : { mappedPages: mapped }),
		};
	});
}

function pageState(engine: DebugEngine, pfn: number): PageSummary['page'] | undefined {
	let view: PageView;
	try {
		view = pageView(engine.reader, pfn);
	} catch {
		return undefined;
	}
	return { refcount: view.refcount, mapcount: view.mapcount, flags: view.flagNames, mapping: pointerHex(view.mapping) };
}

/** Pages [start, start + count) of the VMA starting at `vmaStart` (every page, mapped or not). */
export function pageSummaries(engine: DebugEngine, task: Task, vmaStart: number, start: number, count: number): { pages: PageSummary[]; total: number } {
	const mm = taskMm(engine, task);
	const vma = mm === 0 ? undefined : vmaWalk(engine.reader, mm).vmas.find(v => v.start === vmaStart);
	if (vma === undefined) throw new InspectError(`no VMA starts at ${pointerHex(vmaStart)}`);
	const total = (vma.end - vma.start) / PAGE_SIZE;
	const first = vma.start + start * PAGE_SIZE;
	const end = Math.min(vma.end, first + count * PAGE_SIZE);
	const leaves = new Map(walkPageTables(engine.reader, task.cr3, { start: first, end, nonPresent: true }).leaves.map(l => [l.va, l]));
	const phys = engine.machine.booted.machine.phys;
	const pages: PageSummary[] = [];
	for (let va = first; va < end; va += PAGE_SIZE) {
		const leaf = leaves.get(va);
		if (leaf === undefined) {
			pages.push({ va: pointerHex(va), pte: '0x0', present: false, writable: false, user: false, accessed: false, dirty: false, special: false });
			continue;
		}
		const e = leaf.entry;
		const region = leaf.mapped ? phys.regionAt(e.physicalAddress) : null;
		const page = leaf.mapped && region?.kind === 'ram' && !e.special ? pageState(engine, leaf.pfn) : undefined;
		pages.push({
			va: pointerHex(va),
			pte: `0x${e.raw.toString(16)}`,
			present: e.present,
			writable: e.writable,
			user: leaf.userPath,
			accessed: e.accessed,
			dirty: e.dirty,
			special: e.special,
			...(leaf.mapped ? { pfn: leaf.pfn } : {}),
			...(region === null ? {} : { region: region.kind === 'ram' ? 'ram' : region.name }),
			...(page === undefined ? {} : { page }),
		});
	}
	return { pages, total };
}

/** `faultline/addressSpaces`. */
export function addressSpaces(engine: DebugEngine, args: { pid?: number; vma?: string; start?: number; count?: number }): AddressSpacesResponse {
	if (args.pid === undefined) {
		const list = processes(engine);
		return { processes: list, total: list.length };
	}
	const task = engine.task(args.pid);
	if (task === undefined || task.state === 'dead') throw new InspectError(`no live task ${args.pid}`);
	if (args.vma === undefined) {
		const list = vmaSummaries(engine, task);
		const window = pageWindow(args.start, args.count);
		return { vmas: list.slice(window.start, window.start + window.count), total: list.length };
	}
	const start = parseAddress(args.vma);
	if (start === undefined) throw new InspectError(`'${args.vma}' is not an address`);
	const window = pageWindow(args.start, args.count);
	const { pages, total } = pageSummaries(engine, task, start, window.start, window.count);
	return { pages, total };
}

/** `faultline/physicalMemory`. */
export function physicalMemory(engine: DebugEngine, args: { region?: number; start?: number; count?: number }): PhysicalMemoryResponse {
	const regions = engine.machine.booted.machine.phys.regions();
	if (args.region === undefined) {
		const list = regions.map((r, index) => ({ index, name: r.name, kind: r.kind, start: pointerHex(r.base), end: pointerHex(r.end), frames: Math.ceil(r.size / PAGE_SIZE) }));
		return { regions: list, total: list.length };
	}
	const region = regions[args.region];
	if (region === undefined) throw new InspectError(`no region ${args.region}`);
	const total = Math.ceil(region.size / PAGE_SIZE);
	const window = pageWindow(args.start, args.count);
	const frames: FrameSummary[] = [];
	const firstPfn = Math.floor(region.base / PAGE_SIZE);
	let free: Set<number> | undefined;
	try {
		free = region.kind === 'ram' ? freeFrames(engine.reader) : undefined;
	} catch {
		free = undefined;
	}
	// Who maps each frame of the window: the live tasks' page tables.
	const mappers = new Map<number, string[]>();
	const windowEnd = firstPfn + Math.min(total, window.start + window.count);
	const visited = new Set<number>();
	for (const task of engine.system.alive()) {
		if (taskMm(engine, task) === 0) continue;
		for (const leaf of walkPageTables(engine.reader, task.cr3, { visited }).leaves) {
			if (leaf.pfn < firstPfn + window.start || leaf.pfn >= windowEnd) continue;
			let list = mappers.get(leaf.pfn);
			if (list === undefined) mappers.set(leaf.pfn, list = []);
			list.push(`${task.pid}:${pointerHex(leaf.va)}`);
		}
		visited.clear();
	}
	for (let i = window.start; i < Math.min(total, window.start + window.count); i++) {
		const pfn = firstPfn + i;
		const mappedBy = mappers.get(pfn);
		const page = region.kind === 'ram' ? pageState(engine, pfn) : undefined;
		const owner = region.kind !== 'ram' ? `device (${region.owner ?? region.name})` : free?.has(pfn) === true ? 'free' : mappedBy !== undefined ? 'user' : page !== undefined && page.refcount > 0 ? 'kernel' : 'reserved';
		frames.push({
			pfn,
			address: pointerHex(pfn * PAGE_SIZE),
			owner,
			...(page === undefined ? {} : { refcount: page.refcount, mapcount: page.mapcount, flags: page.flags }),
			...(mappedBy === undefined ? {} : { mappedBy }),
		});
	}
	return { frames, total };
}

function infoOf(view: DeviceView): InfoNode {
	const fields = Object.entries(view.fields ?? {}).map(([label, value]) => ({ label, value: String(value) }));
	const children = [...fields, ...(view.children ?? []).map(infoOf)];
	return { label: view.label, ...(view.description === undefined ? {} : { description: view.description }), ...(children.length === 0 ? {} : { children }) };
}

/** `faultline/devices`: each device model's own description, then the loaded driver modules. */
export function devices(engine: DebugEngine): DevicesResponse {
	const nodes: InfoNode[] = engine.system.devices.map(device => device.describe?.() === undefined ? { label: device.name } : infoOf(device.describe()!));
	for (const program of engine.system.kernelPrograms().slice(1)) {
		nodes.push({ label: `module ${program.name}`, description: `text ${pointerHex(program.textBase)}-${pointerHex(program.textEnd)}`, children: [{ label: 'functions', value: String(program.functions.length) }] });
	}
	return { devices: nodes };
}

/** `faultline/locks`. */
export function locks(engine: DebugEngine): LocksResponse {
	const system = engine.machine.booted.locks;
	const list = system.table.allLocks().filter(l => l.owner !== null || l.readers.length > 0 || l.waiters.length > 0 || l.spinners.length > 0).map(l => ({
		name: l.name,
		kind: l.kind,
		holders: [...(l.owner === null ? [] : [l.owner]), ...l.readers.map(r => r.task)],
		waiters: [...l.waiters.map(w => w.task), ...l.spinners.map(s => s.task)],
	}));
	const order = system.lockdep.dependencies().map(edge => ({ from: edge.from, to: edge.to }));
	const reports = engine.machine.booted.lockReports.map(r => ({ kind: r.kind, title: r.title, text: r.text }));
	return { locks: list, order, reports };
}

/** `faultline/timeline`. */
export function timeline(engine: DebugEngine, args: TimelineArguments): TimelineResponse {
	const kinds = args.kinds === undefined || args.kinds.length === 0 ? undefined : new Set(args.kinds);
	const selected = engine.timeline.filter(e => (kinds === undefined || kinds.has(e.kind)) && (args.pid === undefined || e.pid === args.pid));
	const window = pageWindow(args.start, args.count);
	return { events: selected.slice(window.start, window.start + window.count), total: selected.length, now: engine.executed };
}
