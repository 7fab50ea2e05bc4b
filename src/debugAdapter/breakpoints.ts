// Breakpoint requests (layer: debugAdapter): source lines, functions, exception filters with
// conditions, breakpointLocations, exceptionInfo, data breakpoints. The engine holds the breakpoints; this maps DAP
// shapes to it and back.

import type { DebugProtocol } from '@vscode/debugprotocol';
import { EXCEPTION_FILTERS, type ExceptionFilterId } from '../shared/debugProtocol';
import { MAX_WATCH_BYTES, parseAddress, type WatchSpec } from '../sim/debug';
import type { AdapterContext } from './context';
import { RequestError } from './context';

/** The exception filters the adapter offers (all take a condition). */
export const exceptionFilters: DebugProtocol.ExceptionBreakpointsFilter[] = [
	{ filter: EXCEPTION_FILTERS.pageFault, label: 'Page faults', description: 'Every page fault that enters the kernel. Condition: a KC expression over address, write, user, pid, error_code and the kernel constants.', supportsCondition: true, conditionDescription: 'e.g. address >= 0x7f0000000000 && write', default: false },
	{ filter: EXCEPTION_FILTERS.deviceFault, label: 'Page faults in device mappings', description: 'Faults in VM_IO, VM_PFNMAP or VM_MIXEDMAP mappings (a driver\'s ->fault runs).', supportsCondition: true, default: false },
	{ filter: EXCEPTION_FILTERS.signal, label: 'SIGSEGV / SIGBUS', description: 'A segmentation fault or bus error reaches a process (handler or death).', supportsCondition: false, default: true },
	{ filter: EXCEPTION_FILTERS.oops, label: 'Kernel BUG / oops', description: 'BUG(), an oops, a panic.', supportsCondition: false, default: true },
	{ filter: EXCEPTION_FILTERS.lockOrder, label: 'Lock-order violations', description: 'lockdep reports.', supportsCondition: false, default: true },
	{ filter: EXCEPTION_FILTERS.deadlock, label: 'Deadlocks', description: 'A deadlock report (tasks alive but none can run always stops).', supportsCondition: false, default: true },
	{ filter: EXCEPTION_FILTERS.invariant, label: 'Invariant violations', description: 'Simulator invariants (stale TLB entries, page accounting).', supportsCondition: false, default: false },
];

const known = new Set<string>(Object.values(EXCEPTION_FILTERS));

export function setBreakpoints(context: AdapterContext, args: DebugProtocol.SetBreakpointsArguments): DebugProtocol.Breakpoint[] {
	const engine = context.requireEngine();
	const file = args.source.path;
	if (typeof file !== 'string' || file === '') throw new RequestError('setBreakpoints needs a source path');
	const specs = (args.breakpoints ?? (args.lines ?? []).map(line => ({ line }))).map(bp => ({
		line: Number(bp.line),
		...(typeof (bp as DebugProtocol.SourceBreakpoint).condition === 'string' ? { condition: (bp as DebugProtocol.SourceBreakpoint).condition! } : {}),
		...(typeof (bp as DebugProtocol.SourceBreakpoint).hitCondition === 'string' ? { hitCondition: (bp as DebugProtocol.SourceBreakpoint).hitCondition! } : {}),
		...(typeof (bp as DebugProtocol.SourceBreakpoint).logMessage === 'string' ? { logMessage: (bp as DebugProtocol.SourceBreakpoint).logMessage! } : {}),
	}));
	return engine.setSourceBreakpoints(file, specs).map(r => ({
		id: r.id,
		verified: r.verified,
		...(r.line === undefined ? {} : { line: r.line }),
		...(r.message === undefined ? {} : { message: r.message }),
		source: { path: file, name: file.split(/[\\/]/).pop() ?? file },
	}));
}

export function setFunctionBreakpoints(context: AdapterContext, args: DebugProtocol.SetFunctionBreakpointsArguments): DebugProtocol.Breakpoint[] {
	const engine = context.requireEngine();
	const specs = (args.breakpoints ?? []).map(bp => ({
		functionName: String(bp.name),
		...(typeof bp.condition === 'string' ? { condition: bp.condition } : {}),
		...(typeof bp.hitCondition === 'string' ? { hitCondition: bp.hitCondition } : {}),
	}));
	return engine.setFunctionBreakpoints(specs).map(r => ({
		id: r.id,
		verified: r.verified,
		...(r.line === undefined ? {} : { line: r.line }),
		...(r.message === undefined ? {} : { message: r.message }),
		...(r.file === undefined ? {} : { source: { path: r.file, name: r.file.split(/[\\/]/).pop() ?? r.file } }),
	}));
}

export function setExceptionBreakpoints(context: AdapterContext, args: DebugProtocol.SetExceptionBreakpointsArguments): DebugProtocol.Breakpoint[] {
	const engine = context.requireEngine();
	const settings: { filter: ExceptionFilterId; condition?: string }[] = [];
	for (const id of args.filters ?? []) if (known.has(id)) settings.push({ filter: id as ExceptionFilterId });
	for (const option of args.filterOptions ?? []) {
		if (!known.has(option.filterId)) continue;
		settings.push({ filter: option.filterId as ExceptionFilterId, ...(typeof option.condition === 'string' ? { condition: option.condition } : {}) });
	}
	return engine.setExceptionFilters(settings).map(r => ({ verified: r.verified, ...(r.message === undefined ? {} : { message: r.message }) }));
}

export function breakpointLocations(context: AdapterContext, args: DebugProtocol.BreakpointLocationsArguments): DebugProtocol.BreakpointLocation[] {
	const engine = context.requireEngine();
	const file = args.source.path;
	if (typeof file !== 'string') return [];
	return engine.breakpointLines(file, Number(args.line), Number(args.endLine ?? args.line)).map(line => ({ line }));
}

export function exceptionInfo(context: AdapterContext, args: DebugProtocol.ExceptionInfoArguments): DebugProtocol.ExceptionInfoResponse['body'] {
	const engine = context.requireEngine();
	const stop = engine.lastStop;
	if (stop?.exception === undefined || (stop.pid !== undefined && stop.pid !== args.threadId)) throw new RequestError(`thread ${args.threadId} did not stop on an exception`);
	const e = stop.exception;
	return {
		exceptionId: e.id,
		description: e.description,
		breakMode: 'always',
		details: { message: e.details, typeName: e.filter, ...(stop.pid === undefined ? {} : { evaluateName: undefined }) },
	};
}

// ---- Data breakpoints ----------------------------------------------------------------------------------
// A dataId names what to watch, in text the adapter parses back: `virtual:PID:0xADDR:BYTES` (bytes of
// a task's address space), `physical:0xADDR:BYTES` (the machine's memory) and `pte:PID:0xADDR` (the
// translation of a virtual address). dataBreakpointInfo makes them from a variable (its memory), an
// address (`asAddress`: `0x...` or `phys:0x...`), or the text `pte 0xADDR`.

const DEFAULT_WATCH_BYTES = 8;

/** Parses a dataId back into a watch (undefined: not one of ours). */
export function parseDataId(dataId: string): WatchSpec | undefined {
	let m = /^virtual:(\d+):0x([0-9a-f]+):(\d+)$/i.exec(dataId);
	if (m !== null) return { kind: 'virtual', pid: Number(m[1]), address: Number.parseInt(m[2], 16), length: Number(m[3]) };
	m = /^physical:0x([0-9a-f]+):(\d+)$/i.exec(dataId);
	if (m !== null) return { kind: 'physical', address: Number.parseInt(m[1], 16), length: Number(m[2]) };
	m = /^pte:(\d+):0x([0-9a-f]+)$/i.exec(dataId);
	if (m !== null) return { kind: 'pte', pid: Number(m[1]), address: Number.parseInt(m[2], 16) };
	return undefined;
}

function hexOf(address: number): string {
	return `0x${address.toString(16)}`;
}

export function dataBreakpointInfo(context: AdapterContext, args: DebugProtocol.DataBreakpointInfoArguments): DebugProtocol.DataBreakpointInfoResponse['body'] {
	const engine = context.requireStopped();
	const name = String(args.name ?? '').trim();
	const none = (description: string): DebugProtocol.DataBreakpointInfoResponse['body'] => ({ dataId: null, description });
	const pid = (args.frameId !== undefined ? context.frame(args.frameId)?.pid : undefined) ?? context.selectedPid ?? engine.lastStop?.pid;
	const pte = /^pte\s+(\S+)$/i.exec(name);
	if (pte !== null || args.asAddress === true) {
		const text = pte?.[1] ?? name;
		const physical = /^phys:/i.test(text);
		const address = parseAddress(text.replace(/^phys:/i, ''));
		if (address === undefined) return none(`'${text}' is not an address (0x..., or phys:0x...)`);
		if (physical) {
			const bytes = Math.min(MAX_WATCH_BYTES, Math.max(1, Number(args.bytes ?? DEFAULT_WATCH_BYTES)));
			return { dataId: `physical:${hexOf(address)}:${bytes}`, description: `${bytes} bytes at physical ${hexOf(address)}`, accessTypes: ['write'], canPersist: true };
		}
		if (pid === undefined) return none('no thread selected: a virtual address belongs to a task');
		if (pte !== null) return { dataId: `pte:${pid}:${hexOf(address)}`, description: `the translation of ${hexOf(address)} (its PTE) in pid ${pid}`, accessTypes: ['write'] };
		const bytes = Math.min(MAX_WATCH_BYTES, Math.max(1, Number(args.bytes ?? DEFAULT_WATCH_BYTES)));
		return { dataId: `virtual:${pid}:${hexOf(address)}:${bytes}`, description: `${bytes} bytes at ${hexOf(address)} of pid ${pid}`, accessTypes: ['write'] };
	}
	if (args.variablesReference === undefined) return none('choose a variable, or give an address (asAddress), or `pte 0xADDR`');
	const where = context.requireVariables().memoryOf(Number(args.variablesReference), name);
	if (typeof where === 'string') return none(where);
	if (where.size > MAX_WATCH_BYTES) return none(`${name} is ${where.size} bytes: watch one of its members (at most ${MAX_WATCH_BYTES} bytes)`);
	return { dataId: `virtual:${where.task.pid}:${hexOf(where.address)}:${where.size}`, description: `${name} (${where.type}, ${where.size} bytes at ${hexOf(where.address)})`, accessTypes: ['write'] };
}

export function setDataBreakpoints(context: AdapterContext, args: DebugProtocol.SetDataBreakpointsArguments): DebugProtocol.Breakpoint[] {
	const engine = context.requireEngine();
	const specs: WatchSpec[] = [];
	const results: (DebugProtocol.Breakpoint | number)[] = [];
	for (const bp of args.breakpoints ?? []) {
		const spec = parseDataId(String(bp.dataId ?? ''));
		if (spec === undefined) {
			results.push({ verified: false, message: `'${String(bp.dataId)}' is not a Faultline data breakpoint` });
			continue;
		}
		if (bp.accessType !== undefined && bp.accessType !== 'write') {
			results.push({ verified: false, message: 'only write (change) data breakpoints are supported' });
			continue;
		}
		results.push(specs.length);
		specs.push(spec);
	}
	const set = engine.setDataBreakpoints(specs);
	return results.map(r => {
		if (typeof r !== 'number') return r;
		const result = set[r];
		return { id: result.id, verified: result.verified, ...(result.message === undefined ? {} : { message: result.message }) };
	});
}
