// Breakpoint requests (layer: debugAdapter): source lines, functions, exception filters with
// conditions, breakpointLocations, exceptionInfo. The engine holds the breakpoints; this maps DAP
// shapes to it and back.

import type { DebugProtocol } from '@vscode/debugprotocol';
import { EXCEPTION_FILTERS, type ExceptionFilterId } from '../shared/debugProtocol';
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
