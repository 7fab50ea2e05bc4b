// The debugger engine (layer: sim): a debug session's control of one simulated machine, in plain
// data (no DAP types): launch, tasks as threads, breakpoints (source lines, functions, conditions,
// hit counts, logpoints, exception filters), continue/pause/step per task or with the others frozen,
// "run this task next", and reverse execution.
//
// ## Running
// The engine runs the machine through System.debugRun, whose breakpoint stops do not disturb the
// schedule and whose runs can be cut anywhere (see the debugger section of system.ts). A stop is
// decided in `stopAt` at a breakpoint: the statement tables (Program.breakpoints) are armed with
// the user's breakpoints plus what the current command needs (the statements of the stepped task's
// functions for a step over, every statement for a step in or an exception stop), and a stop the
// command does not want resumes transparently. Long runs go in chunks with a turn of the event loop
// between them, so `pause` is served between chunks. With `singleThread` a step runs only the
// stepped task, one statement at a time (System.runAlone).
//
// ## Time travel
// `executed` counts statements run since launch (breakpoint stops fall before their statement, as
// budget stops do). The machine is deterministic, so its state at any count is a function of what
// the engine did: the op log records every run segment and every intervention (a task run alone, a
// write), and checkpoints (System.snapshot plus the engine's counters) are taken every
// `checkpointInterval` statements. Landing at a count restores the nearest checkpoint before it and
// replays the log up to the count exactly. stepBack replays the window before the stop with the
// stepped task's statements armed and records where the task stopped; reverseContinue does the
// same with the user's breakpoints, window by window back to the launch. Going forward again from
// the past follows the log (recorded interventions are applied again at their counts) until it runs
// out, so the timeline stays one history; an intervention made in the past cuts the future off.
//
// ## Harness triggers
// A scenario's harness tasks that wait for a statement, a step count or an event (triggers.ts) fire
// as under `faultline run`: the trigger statements stay armed until they fire; at the frontier of
// the history a due trigger starts its harness task (a kernel thread) and logs a `harness` op, and
// the task then runs alone before anything else (logged as `alone` ops; breakpoints and steps stop
// in it like in any task) until it ends, blocks or uses its budget. Replays apply the logged ops
// instead of firing, and count trigger hits and events the same way (the counts, and the harness
// tasks still in their alone phase, are part of every checkpoint).
//
// ## Data breakpoints
// Watches (watches.ts) are compared after every run chunk, alone run and single-thread step. On a
// change, the chunk is replayed from its start with every statement armed, and the first statement
// boundary at which a watch differs is where the machine stops (the task that ran the statement
// before it is the writer), as a hardware watchpoint stops after the writing instruction. A value
// that changes and changes back within one chunk is not seen. Without reverse execution
// (checkpointInterval 0) the stop is at the end of the chunk, and says so.

import * as path from 'node:path';
import type { Value } from '../../interp/contracts';
import type { FunctionInfo, Program } from '../../interp/program';
import type { Frame } from '../../interp/thread';
import type { KernelEvents, KernelSite } from '../../kernel/builtins';
import { KernelReader, loadKernelConstants, type KernelConstants } from '../../kernel/inspect';
import { System, type SystemEvents, type SystemSnapshot, type SystemStop, type Task } from '../../kernel/proc/system';
import { pageFaultErrorCode } from '../../kernel/faults';
import { launchMachine, type LaunchedMachine, type LaunchRequest } from './launch';
import { AddressSpaceView, formatValue, pointerHex } from './values';
import { EvaluationError, evaluateExpression, isTrue, type EvaluationScope } from './evaluate';
import type { ExceptionFilterId, TimelineEvent, TimelineEventKind } from '../../shared/debugProtocol';
import { findVma, pteText, type FaultRecord, type VmaFacts } from './faultInfo';
import { TriggerSet, type TriggerState } from './triggers';
import { describeWatch, readWatch, watchProblem, type WatchHost, type WatchSpec, type WatchValue } from './watches';
import type { KernelEventKind } from '../scenario/types';

/** Options of DebugEngine.launch: what to launch (launch.ts), and how the engine runs it. */
export interface EngineLaunchOptions extends LaunchRequest {
	/** Statements between checkpoints (default 20000; 0: no reverse execution). */
	readonly checkpointInterval?: number;
	/** Program output and engine messages. */
	readonly output?: (category: 'stdout' | 'stderr' | 'console', text: string) => void;
}

/** Why the machine stopped. */
export interface StopInfo {
	readonly reason: 'entry' | 'breakpoint' | 'function breakpoint' | 'data breakpoint' | 'step' | 'pause' | 'exception' | 'goto' | 'exited';
	/** The task the stop is about (DAP thread id = pid). */
	readonly pid?: number;
	readonly description: string;
	readonly text?: string;
	readonly hitBreakpointIds?: readonly number[];
	readonly exception?: ExceptionStop;
}

/** What an exception stop explains (DAP exceptionInfo). */
export interface ExceptionStop {
	readonly filter: ExceptionFilterId;
	readonly id: string;
	readonly description: string;
	readonly details: string;
	/** Frames captured when the task's own were replaced (an oops restarts the task in make_task_dead). */
	readonly frames?: readonly Frame[];
}

/** A task as a thread. */
export interface ThreadInfo {
	readonly pid: number;
	readonly tgid: number;
	readonly name: string;
	readonly comm: string;
	readonly id: string;
	readonly kind: 'user' | 'kernel';
	readonly state: Task['state'];
}

/** A breakpoint as the engine holds it. */
export interface BreakpointSpec {
	readonly line?: number;
	readonly functionName?: string;
	readonly condition?: string;
	readonly hitCondition?: string;
	readonly logMessage?: string;
}

/** The result of setting one breakpoint. */
export interface BreakpointResult {
	readonly id: number;
	readonly verified: boolean;
	readonly line?: number;
	readonly file?: string;
	readonly message?: string;
}

interface UserBreakpoint {
	readonly id: number;
	readonly kind: 'source' | 'function';
	readonly spec: BreakpointSpec;
	readonly locations: readonly { readonly program: Program; readonly stmt: number }[];
	hits: number;
}

/** An exception filter with its optional condition. */
export interface ExceptionFilterSetting {
	readonly filter: ExceptionFilterId;
	readonly condition?: string;
}

type StepKind = 'in' | 'over' | 'out';

interface StepPlan {
	readonly pid: number;
	readonly kind: StepKind;
	readonly depth: number;
	readonly fn: FunctionInfo;
	readonly line: number;
	readonly file: string;
}

/** One entry of the op log (see the header). */
type Op =
	| { readonly kind: 'run'; readonly at: number; n: number }
	| { readonly kind: 'alone'; readonly at: number; readonly pid: number; readonly n: number }
	| { readonly kind: 'steps'; readonly at: number; readonly pid: number; n: number }
	| { readonly kind: 'edit'; readonly at: number; readonly text: string; readonly apply: () => void }
	| { readonly kind: 'harness'; readonly at: number; readonly index: number };

/** A harness task in its alone phase: it runs before anything else for `left` more statements. */
interface HarnessAlone {
	readonly pid: number;
	readonly left: number;
}

interface EngineCounters {
	eventSeq: number;
	outputSeq: number;
	seenLog: number;
	seenLockReports: number;
}

interface Checkpoint {
	readonly executed: number;
	/** Ops before this index are fully applied; ops[opIndex] may be a run op applied up to `executed`. */
	readonly opIndex: number;
	readonly snapshot: SystemSnapshot;
	readonly round: ReturnType<System['debugState']>;
	readonly counters: EngineCounters;
	readonly pending: readonly PendingException[];
	readonly triggers: readonly TriggerState[];
	readonly harnessAlone: readonly HarnessAlone[];
}

interface PendingException {
	readonly pid: number;
	readonly stop: ExceptionStop;
	/** The task has died (no next statement): stop at the end of its slice. */
	readonly atSliceEnd: boolean;
}

/** Statements per chunk of a run between turns of the event loop. */
const CHUNK = 20_000;
/** Time a run keeps the event loop before yielding (ms). */
const YIELD_MS = 15;
const DEFAULT_CHECKPOINT_INTERVAL = 20_000;
/** Checkpoints kept: beyond, every other one goes and the interval doubles (reverse steps replay further). */
const MAX_CHECKPOINTS = 256;
/** Timeline events kept (later ones are counted, not stored). */
const MAX_TIMELINE = 200_000;
const SIGBUS = 7;
const SIGSEGV = 11;

const SIGNAL_NAMES: Readonly<Record<number, string>> = { 6: 'SIGABRT', 7: 'SIGBUS', 9: 'SIGKILL', 11: 'SIGSEGV' };

function slashes(file: string): string {
	return file.replace(/\\/g, '/');
}

/** True when `statementFile` (as the compiler named it, maybe relative to kc/kernel) is `file` (absolute). */
export function sameSourceFile(statementFile: string, file: string): boolean {
	const a = slashes(statementFile).replace(/^\.\//, '');
	const b = slashes(file).replace(/^\.\//, '');
	return a === b || b.endsWith(`/${a}`) || a.endsWith(`/${b}`);
}

/** Parses a DAP hit condition: `N`, `>= N`, `> N`, `== N`, `% N`. */
function hitMatches(condition: string, hits: number): boolean | string {
	const m = /^\s*(>=|>|==|=|%)?\s*(\d+)\s*$/.exec(condition);
	if (m === null) return `bad hit condition '${condition}' (use N, >= N, > N, == N or % N)`;
	const n = Number(m[2]);
	switch (m[1]) {
		case '>': return hits > n;
		case '%': return n > 0 && hits % n === 0;
		case '==':
		case '=': return hits === n;
		default: return hits >= n;
	}
}

/** The debugger's control of one machine. */
export class DebugEngine {
	readonly system: System;
	readonly machine: LaunchedMachine;
	readonly reader: KernelReader;
	readonly constants: KernelConstants;
	/** Statements executed since launch (see the header). */
	executed = 0;
	/** The timeline of memory-management events (ids are indexes). */
	readonly timeline: TimelineEvent[] = [];
	/** Recent page faults per pid (for Fault scopes), newest last. */
	readonly faults = new Map<number, FaultRecord[]>();
	/** The last stop. */
	lastStop: StopInfo | undefined;

	private readonly output: (category: 'stdout' | 'stderr' | 'console', text: string) => void;
	private readonly checkpointInterval: number;
	/** The spacing of new checkpoints (grows as old ones are thinned out). */
	private interval: number;
	private readonly ops: Op[] = [];
	private readonly checkpoints: Checkpoint[] = [];
	/** Index of the op the machine is in or before (== ops.length at the frontier). */
	private opCursor = 0;
	private counters: EngineCounters = { eventSeq: 0, outputSeq: 0, seenLog: 0, seenLockReports: 0 };
	/** Output already sent (replays do not send it again). */
	private outputSent = 0;
	private replaying = false;
	private pendingExceptions: PendingException[] = [];
	private readonly breakpoints = new Map<string, UserBreakpoint[]>();
	private functionBreakpoints: UserBreakpoint[] = [];
	private exceptionFilters = new Map<ExceptionFilterId, ExceptionFilterSetting>();
	private nextBreakpointId = 1;
	private step: StepPlan | undefined;
	private entry: { readonly pid: number; readonly program: Program; readonly stmt: number } | undefined;
	/** Every statement armed (step in, exception stops). */
	private armAll = false;
	/** Functions whose statements are armed (step over/out). */
	private armedFunctions: readonly FunctionInfo[] = [];
	private pauseRequested = false;
	private running = false;
	/** What stopAt decided. */
	private decided: StopInfo | undefined;
	/** A recorder replacing the stop decision during reverse searches. */
	private recorder: ((task: Task, stmt: number) => void) | undefined;
	/** Statement index per program: file -> line -> statement ids. */
	private readonly lineIndex = new Map<Program, Map<string, Map<number, number[]>>>();
	/** Task to run next, alone, when the machine continues. */
	private runNext: { pid: number; statements: number } | undefined;
	private disposed = false;
	/** The scenario's harness triggers (see the header). */
	private readonly triggers: TriggerSet;
	/** Harness tasks started and still in their alone phase; the first runs next. */
	private harnessAlone: HarnessAlone[] = [];
	/** A statement trigger due at the breakpoint debugRun just stopped at. */
	private firing: { readonly index: number; readonly task: Task } | undefined;
	/** Event triggers that came due during a run (fired when it returns). */
	private dueEvents: number[] = [];
	/** Data breakpoints with the value each had when last compared. */
	private watches: { readonly id: number; readonly spec: WatchSpec; readonly description: string; last: WatchValue }[] = [];

	private constructor(machine: LaunchedMachine, options: EngineLaunchOptions, kcRoot: string) {
		this.machine = machine;
		this.system = machine.system;
		this.output = options.output ?? (() => undefined);
		this.checkpointInterval = options.checkpointInterval ?? DEFAULT_CHECKPOINT_INTERVAL;
		this.interval = this.checkpointInterval;
		this.constants = loadKernelConstants(machine.booted.sources, machine.profile.defines);
		this.reader = new KernelReader(machine.booted, { constants: this.constants });
		this.triggers = new TriggerSet(machine.triggers);
		void kcRoot;
	}

	/**
	 * Builds the machine and the engine. The machine is before its first statement; call `start`
	 * to run to the entry (main of the first process) or the first breakpoint.
	 */
	static launch(options: EngineLaunchOptions): { readonly engine?: DebugEngine; readonly errors: readonly string[]; readonly warnings: readonly string[] } {
		// Sinks are bound to the engine once it exists (the machine is built first).
		const bound: { engine?: DebugEngine } = {};
		const console = {
			write: (stream: number, bytes: Uint8Array) => bound.engine?.programOutput(stream, bytes),
			read: () => new Uint8Array(0),
			isatty: () => false,
		};
		const systemEvents: SystemEvents = {
			fault: (task, address, errorCode, mode) => bound.engine?.onFault(task, address, errorCode, mode),
			contextSwitch: (cpu, from, to) => {
				bound.engine?.record('context-switch', `CPU ${cpu}: ${from?.id ?? 'idle'} -> ${to.id}`, to);
				bound.engine?.triggerEvent('context-switch', to.id, undefined);
			},
			signalHandler: (task, sig) => bound.engine?.onSignal(task, sig, 'handler'),
			exit: (task, status) => bound.engine?.onExit(task, status),
		};
		const kernelEvents: KernelEvents = {
			pteSet: (mm, va, old, value, site) => bound.engine?.onPte('pte-set', mm, va, old, value, site),
			pteClear: (mm, va, old, site) => bound.engine?.onPte('pte-zap', mm, va, old, 0, site),
			pageAlloc: () => undefined,
			pageFree: () => undefined,
			tlbFlush: (mm, start, end) => {
				bound.engine?.record('tlb-flush', `mm ${pointerHex(mm)}: ${Number.isFinite(end) ? `${pointerHex(start)}-${pointerHex(end)}` : 'all'}`, undefined, start);
				bound.engine?.triggerEvent('tlb-flush', bound.engine.system.running?.id, start);
			},
			bug: (task, message, site) => bound.engine?.onBug(task, message, site),
		};
		const launched = launchMachine(options, { console, systemEvents, kernelEvents });
		if ('errors' in launched) return { errors: launched.errors, warnings: [] };
		const engine = new DebugEngine(launched.machine, options, options.kcRoot);
		bound.engine = engine;
		engine.counters.seenLog = launched.machine.booted.log.records.length;
		engine.counters.seenLockReports = launched.machine.booted.lockReports.length;
		const first = launched.machine.processes[0];
		const main = first.program.functionByName('main');
		if (main !== undefined) {
			const stmt = firstStatement(main);
			if (stmt !== undefined) engine.entry = { pid: first.task.pid, program: first.program, stmt };
		}
		engine.takeCheckpoint();
		engine.rearm();
		return { engine, errors: [], warnings: launched.warnings };
	}

	/** Clears every statement table this session armed (the kernel's programs are shared by the host process). */
	dispose(): void {
		this.disposed = true;
		for (const program of this.programs()) program.breakpoints.fill(0);
	}

	// ---- Tasks ---------------------------------------------------------------------------------------

	/** The user programs and the kernel with its modules. */
	programs(): Program[] {
		return [...this.machine.programs, ...this.system.kernelPrograms()];
	}

	/** The tasks alive (and the stopped one even when it died), by pid. */
	threads(): ThreadInfo[] {
		const stopped = this.lastStop?.pid;
		return [...this.system.tasks.values()]
			.filter(t => t.state !== 'dead' || t.pid === stopped)
			.sort((a, b) => a.pid - b.pid)
			.map(t => ({
				pid: t.pid,
				tgid: t.tgid,
				comm: t.name,
				id: t.id,
				name: `${t.id === String(t.pid) ? t.name : t.id} (pid ${t.pid}${t.tgid !== t.pid ? `, tgid ${t.tgid}` : ''})${t.state === 'dead' ? ' [exited]' : ''}`,
				kind: t.thread.program.privilege === 'kernel' ? 'kernel' : 'user',
				state: t.state,
			}));
	}

	task(pid: number): Task | undefined {
		return this.system.task(pid);
	}

	/** The address-space view of a task (its page tables; the kernel's for kernel threads). */
	spaceOf(task: Task | undefined): AddressSpaceView {
		return new AddressSpaceView(this.reader.memory, task?.cr3 ?? this.machine.booted.pgdPhys, task?.thread.code);
	}

	/** The evaluation scope of a frame of a task. */
	scopeOf(task: Task, frame: Frame | undefined): EvaluationScope {
		const program = frame?.fn.program ?? task.thread.program;
		const kernel = program.privilege === 'kernel';
		return {
			...(frame === undefined ? {} : { frame }),
			program,
			...(kernel ? { morePrograms: this.system.kernelPrograms().filter(p => p !== program), constants: this.constants.values } : {}),
			space: this.spaceOf(task),
		};
	}

	// ---- Breakpoints ---------------------------------------------------------------------------------

	private statementLines(program: Program, file: string): Map<number, number[]> | undefined {
		let byFile = this.lineIndex.get(program);
		if (byFile === undefined) {
			byFile = new Map();
			program.statements.forEach((statement, id) => {
				let lines = byFile!.get(statement.range.file);
				if (lines === undefined) byFile!.set(statement.range.file, lines = new Map());
				let ids = lines.get(statement.range.line);
				if (ids === undefined) lines.set(statement.range.line, ids = []);
				ids.push(id);
			});
			this.lineIndex.set(program, byFile);
		}
		for (const [name, lines] of byFile) if (sameSourceFile(name, file)) return lines;
		return undefined;
	}

	/** Lines of `file` in [line, endLine] where a statement starts (breakpointLocations). */
	breakpointLines(file: string, line: number, endLine = line): number[] {
		const out = new Set<number>();
		for (const program of this.programs()) {
			const lines = this.statementLines(program, file);
			if (lines === undefined) continue;
			for (const l of lines.keys()) if (l >= line && l <= endLine) out.add(l);
		}
		return [...out].sort((a, b) => a - b);
	}

	/** Replaces the source breakpoints of `file`. A line without a statement moves to the next line that has one. */
	setSourceBreakpoints(file: string, specs: readonly BreakpointSpec[]): BreakpointResult[] {
		const key = path.resolve(file);
		const results: BreakpointResult[] = [];
		const list: UserBreakpoint[] = [];
		for (const spec of specs) {
			const id = this.nextBreakpointId++;
			const wanted = spec.line ?? 0;
			let best: number | undefined;
			const locations: { program: Program; stmt: number }[] = [];
			for (const program of this.programs()) {
				const lines = this.statementLines(program, key);
				if (lines === undefined) continue;
				for (const l of lines.keys()) if (l >= wanted && (best === undefined || l < best)) best = l;
			}
			if (best !== undefined && best - wanted <= 50) {
				for (const program of this.programs()) for (const stmt of this.statementLines(program, key)?.get(best) ?? []) locations.push({ program, stmt });
			}
			const problem = spec.hitCondition === undefined ? undefined : hitMatches(spec.hitCondition, 0);
			if (locations.length === 0 || typeof problem === 'string') {
				results.push({ id, verified: false, ...(spec.line === undefined ? {} : { line: spec.line }), message: typeof problem === 'string' ? problem : `no statement of the running programs or the kernel at or after line ${wanted} of ${path.basename(key)}` });
				continue;
			}
			list.push({ id, kind: 'source', spec, locations, hits: 0 });
			results.push({ id, verified: true, line: best!, file: key });
		}
		this.breakpoints.set(key, list);
		this.rearm();
		return results;
	}

	/** Replaces the function breakpoints (the first statement of each function of that name). */
	setFunctionBreakpoints(specs: readonly BreakpointSpec[]): BreakpointResult[] {
		const results: BreakpointResult[] = [];
		this.functionBreakpoints = [];
		for (const spec of specs) {
			const id = this.nextBreakpointId++;
			const locations: { program: Program; stmt: number }[] = [];
			let where: { file: string; line: number } | undefined;
			for (const program of this.programs()) {
				for (const fn of program.functions) {
					if (fn.name !== spec.functionName || fn.kind !== 'kc') continue;
					const stmt = firstStatement(fn);
					if (stmt === undefined) continue;
					locations.push({ program, stmt });
					const range = program.statements[stmt].range;
					where ??= { file: range.file, line: range.line };
				}
			}
			if (locations.length === 0) {
				results.push({ id, verified: false, message: `no KC function ${spec.functionName ?? ''}() in the running programs or the kernel` });
				continue;
			}
			this.functionBreakpoints.push({ id, kind: 'function', spec, locations, hits: 0 });
			results.push({ id, verified: true, line: where!.line, file: this.sourcePath(where!.file) });
		}
		this.rearm();
		return results;
	}

	/** Replaces the exception filters. A condition that does not compile is reported and the filter stays off. */
	setExceptionFilters(settings: readonly ExceptionFilterSetting[]): { readonly filter: ExceptionFilterId; readonly verified: boolean; readonly message?: string }[] {
		this.exceptionFilters = new Map();
		return settings.map(s => {
			if (s.condition !== undefined && s.condition.trim() !== '') {
				const problem = this.faultConditionProblem(s.condition);
				if (problem !== undefined) return { filter: s.filter, verified: false, message: problem };
			}
			this.exceptionFilters.set(s.filter, s);
			return { filter: s.filter, verified: true };
		});
	}

	/** The absolute path of a source file as the compiler named it (kernel units are relative to kc/kernel). */
	sourcePath(file: string): string {
		if (path.isAbsolute(file)) return file;
		return path.join(this.kcRoot(), 'kernel', file);
	}

	private kcRootCache: string | undefined;

	private kcRoot(): string {
		if (this.kcRootCache === undefined) {
			// The kernel's own source provider resolves relative names against kc/kernel.
			const probe = this.machine.booted.sources.resolveInclude('linux/mm.h', 'mm/memory.c', false);
			this.kcRootCache = probe !== undefined && path.isAbsolute(probe) ? path.resolve(path.dirname(probe), '..', '..', '..') : path.resolve('kc');
		}
		return this.kcRootCache;
	}

	/** Re-arms the statement tables: the user's breakpoints plus what the current command needs. */
	private rearm(): void {
		if (this.disposed) return;
		for (const program of this.programs()) program.breakpoints.fill(this.armAll ? 1 : 0);
		if (this.armAll) return;
		for (const list of this.breakpoints.values()) for (const bp of list) for (const { program, stmt } of bp.locations) program.breakpoints[stmt] = 1;
		for (const bp of this.functionBreakpoints) for (const { program, stmt } of bp.locations) program.breakpoints[stmt] = 1;
		if (this.entry !== undefined) this.entry.program.breakpoints[this.entry.stmt] = 1;
		for (const fn of this.armedFunctions) armFunction(fn);
		this.triggers.arm();
	}

	// ---- Events from the machine -----------------------------------------------------------------------

	/** Simulated time of an event: the statements executed so far (the running slice's too, roughly). */
	private eventTime(): number {
		return this.executed;
	}

	/** Records a timeline event (once: a replay passes the same events again). Returns its id. */
	record(kind: TimelineEventKind, text: string | (() => string), task?: Task, address?: number): number {
		const id = this.counters.eventSeq++;
		// Already recorded (a replay), or past the bound: the text is not even formatted.
		if (id < this.timeline.length || this.timeline.length >= MAX_TIMELINE) return id;
		this.timeline.push({
			id,
			time: this.eventTime(),
			kind,
			...(task === undefined ? {} : { pid: task.pid, task: task.id }),
			...(address === undefined ? {} : { address: pointerHex(address) }),
			text: typeof text === 'string' ? text : text(),
		});
		return id;
	}

	private programOutput(stream: number, bytes: Uint8Array): void {
		const at = this.counters.outputSeq;
		this.counters.outputSeq += bytes.length;
		if (this.counters.outputSeq <= this.outputSent) return;
		const fresh = bytes.subarray(Math.max(0, this.outputSent - at));
		this.outputSent = this.counters.outputSeq;
		this.output(stream === 2 ? 'stderr' : 'stdout', new TextDecoder('latin1').decode(fresh));
	}

	private onPte(kind: 'pte-set' | 'pte-zap', mm: number, va: number, old: Value, value: Value, site: KernelSite): void {
		const running = this.system.running ?? undefined;
		const hex = (v: Value) => `0x${BigInt.asUintN(64, typeof v === 'bigint' ? v : BigInt(v)).toString(16)}`;
		this.record(kind, () => `${kind === 'pte-set' ? 'set' : 'zap'} ${pointerHex(va)}: ${hex(old)} -> ${hex(value)} in mm ${pointerHex(mm)} (${site.fn}, ${site.file}:${site.line})`, running, va);
		this.triggerEvent(kind, running?.id, va);
	}

	private onFault(task: Task, address: number, errorCode: number, mode: 'user' | 'kernel'): void {
		// The VMA costs a walk of the mm's list: looked up only when a filter or the timeline needs it.
		let vma: VmaFacts | undefined;
		let looked = false;
		const vmaNow = (): VmaFacts | undefined => {
			if (!looked) {
				vma = findVma(this, task, address);
				looked = true;
			}
			return vma;
		};
		let pte: string;
		try {
			pte = pteText(this, task, address);
		} catch (error) {
			pte = `<${error instanceof Error ? error.message : String(error)}>`;
		}
		const access = (errorCode & 16) !== 0 ? 'exec' : (errorCode & 2) !== 0 ? 'write' : 'read';
		let list = this.faults.get(task.pid);
		if (list === undefined) this.faults.set(task.pid, list = []);
		list.push({ pid: task.pid, address, errorCode, mode, access, time: this.executed, pteBefore: pte, frames: mode === 'kernel' ? task.thread.frames.map(f => f.clone()) : undefined });
		if (list.length > 64) list.shift();
		this.record('fault', () => `${access} fault at ${pointerHex(address)} (${mode}, error code ${errorCode})${vmaNow() === undefined ? ', no VMA' : ` in ${vma!.range} ${vma!.flags.join('|')}`}`, task, address);
		this.triggerEvent('fault', task.id, address);
		if (this.replaying || (!this.exceptionFilters.has('deviceFault') && !this.exceptionFilters.has('pageFault'))) return;
		const info = { vma: vmaNow(), pte };
		if (this.replaying) return;
		const device = info.vma !== undefined && info.vma.flags.some(f => f === 'VM_IO' || f === 'VM_PFNMAP' || f === 'VM_MIXEDMAP');
		const filter: ExceptionFilterId | undefined = device && this.exceptionFilters.has('deviceFault') ? 'deviceFault' : this.exceptionFilters.has('pageFault') ? 'pageFault' : undefined;
		if (filter === undefined) return;
		const condition = this.exceptionFilters.get(filter)?.condition;
		if (condition !== undefined && condition.trim() !== '' && !this.faultCondition(condition, task, address, errorCode, mode)) return;
		const details = [
			`${access} access to ${pointerHex(address)} from ${mode} mode (error code ${errorCode}: ${describeErrorCode(errorCode)})`,
			info.vma === undefined ? 'no VMA contains the address' : `VMA ${info.vma.range} ${info.vma.flags.join('|')}${info.vma.faultHandler === undefined ? '' : `, vm_ops->fault = ${info.vma.faultHandler}`}`,
			`PTE before: ${info.pte}`,
		].join('\n');
		this.pendingExceptions.push({ pid: task.pid, atSliceEnd: false, stop: { filter, id: device ? 'device page fault' : 'page fault', description: `${device ? 'Device page fault' : 'Page fault'} at ${pointerHex(address)} (${access}, ${mode})`, details } });
		this.armForException();
	}

	private onSignal(task: Task, sig: number, action: 'handler' | 'killed'): void {
		this.record('signal', `${SIGNAL_NAMES[sig] ?? `signal ${sig}`} ${action === 'handler' ? 'delivered to a handler' : 'killed the task'}`, task);
		this.triggerEvent('signal', task.id, undefined);
		if (this.replaying || (sig !== SIGSEGV && sig !== SIGBUS) || !this.exceptionFilters.has('signal')) return;
		const name = SIGNAL_NAMES[sig];
		const fault = this.faults.get(task.pid)?.at(-1);
		const faultVma = fault === undefined || action === 'killed' ? undefined : findVma(this, task, fault.address);
		this.pendingExceptions.push({
			pid: task.pid,
			atSliceEnd: action === 'killed',
			stop: {
				filter: 'signal',
				id: name,
				description: action === 'handler' ? `${name}: the handler is about to run` : `${name}: the process was killed`,
				details: fault === undefined ? `${name} sent to ${task.id}` : `${name} after a ${fault.access} fault at ${pointerHex(fault.address)}${faultVma === undefined ? (action === 'killed' ? '' : ' (no VMA there)') : ` in ${faultVma.range} ${faultVma.flags.join('|')}`}`,
			},
		});
		if (action === 'handler') this.armForException();
		else this.system.requestPause();
	}

	private onExit(task: Task, status: number): void {
		const signal = status & 0x7f;
		this.record('exit', signal !== 0 ? `killed by ${SIGNAL_NAMES[signal] ?? `signal ${signal}`}` : `exited with ${(status >> 8) & 0xff}`, task);
		if (signal !== 0) this.onSignal(task, signal, 'killed');
	}

	private onBug(taskId: string, message: string, site: KernelSite): void {
		const task = [...this.system.tasks.values()].find(t => t.id === taskId && t.state !== 'dead');
		this.record('bug', `${message} at ${site.file}:${site.line} ${site.fn}()`, task);
		this.triggerEvent('bug', taskId, undefined);
		if (this.replaying || task === undefined || !this.exceptionFilters.has('oops')) return;
		this.pendingExceptions.push({ pid: task.pid, atSliceEnd: true, stop: { filter: 'oops', id: 'BUG', description: `kernel BUG in ${taskId}: ${message}`, details: `${site.file}:${site.line} ${site.fn}()`, frames: task.thread.frames.map(f => f.clone()) } });
		this.system.requestPause();
	}

	/** New kernel log oopses and lock reports since the last look (at slice ends). */
	private collectReports(task: Task): void {
		const booted = this.machine.booted;
		const records = booted.log.records;
		for (; this.counters.seenLog < records.length; this.counters.seenLog++) {
			const record = records[this.counters.seenLog];
			if (!/^(BUG: |Oops|kernel BUG)/.test(record.text)) continue;
			this.record('oops', record.text, task);
			if (this.replaying || !this.exceptionFilters.has('oops')) continue;
			if (this.pendingExceptions.some(p => p.stop.filter === 'oops')) continue;
			const fault = this.faults.get(task.pid)?.at(-1);
			const frames = fault?.frames;
			this.pendingExceptions.push({ pid: task.pid, atSliceEnd: true, stop: { filter: 'oops', id: 'oops', description: `kernel oops in ${task.id}`, details: `${record.text}\n${booted.log.records.slice(this.counters.seenLog + 1, this.counters.seenLog + 12).map(r => r.text).join('\n')}`, ...(frames === undefined ? {} : { frames }) } });
		}
		for (; this.counters.seenLockReports < booted.lockReports.length; this.counters.seenLockReports++) {
			const report = booted.lockReports[this.counters.seenLockReports];
			const deadlock = report.kind === 'deadlock';
			this.record(deadlock ? 'deadlock' : 'lockdep', report.title, task);
			const filter: ExceptionFilterId = deadlock ? 'deadlock' : 'lockOrder';
			if (this.replaying || !this.exceptionFilters.has(filter)) continue;
			this.pendingExceptions.push({ pid: task.pid, atSliceEnd: true, stop: { filter, id: report.kind, description: report.title, details: report.text } });
		}
	}

	private armForException(): void {
		if (!this.armAll) {
			this.armAll = true;
			this.rearm();
		}
	}

	private faultConditionProblem(condition: string): string | undefined {
		try {
			this.faultConditionValue(condition, 0, 0, 'user', 0);
			return undefined;
		} catch (error) {
			return `condition: ${error instanceof Error ? error.message : String(error)}`;
		}
	}

	/** Evaluates an exception condition over `address`, `write`, `user`, `pid`, `error_code` (globals of the kernel visible too). */
	private faultConditionValue(condition: string, address: number, errorCode: number, mode: 'user' | 'kernel', pid: number): boolean {
		const kernel = this.machine.booted.kernel!;
		const values: Record<string, Value> = { address, write: (errorCode & 2) !== 0 ? 1 : 0, user: mode === 'user' ? 1 : 0, pid, error_code: errorCode };
		// The fault's facts are bound as constants next to the kernel headers' (VM_PFNMAP...).
		const constants = new Map(this.constants.values);
		for (const [name, v] of Object.entries(values)) constants.set(name, BigInt(v));
		const result = evaluateExpression(condition, { program: kernel, constants, space: this.spaceOf(undefined) });
		return isTrue(result, this.spaceOf(undefined));
	}

	private faultCondition(condition: string, task: Task, address: number, errorCode: number, mode: 'user' | 'kernel'): boolean {
		try {
			return this.faultConditionValue(condition, address, errorCode, mode, task.pid);
		} catch (error) {
			this.output('console', `exception condition '${condition}': ${error instanceof Error ? error.message : String(error)}\n`);
			return true;
		}
	}

	// ---- Stop decisions -----------------------------------------------------------------------------------

	/** At a breakpoint of `task` at statement `stmt` (of its top frame's program): stop or go on. */
	private stopAt(task: Task, stmt: number): boolean {
		if (this.recorder !== undefined) {
			this.replayStop(task, stmt);
			return false;
		}
		const top = task.thread.top;
		if (top === undefined) return false;
		const program = top.fn.program;
		const due = this.triggers.hit(task, program, stmt);
		if (due !== undefined && this.atFrontier()) {
			this.firing = { index: due, task };
			return true;
		}
		const pending = this.pendingExceptions.findIndex(p => p.pid === task.pid && !p.atSliceEnd);
		if (pending >= 0) {
			const exception = this.pendingExceptions[pending].stop;
			this.pendingExceptions.splice(pending, 1);
			this.decided = { reason: 'exception', pid: task.pid, description: exception.description, text: exception.details, exception };
			return true;
		}
		const step = this.step;
		if (step !== undefined && step.pid === task.pid && this.stepDone(step, task)) {
			this.decided = { reason: 'step', pid: task.pid, description: 'step' };
			return true;
		}
		if (this.entry !== undefined && this.entry.pid === task.pid && this.entry.program === program && this.entry.stmt === stmt) {
			this.entry = undefined;
			this.rearm();
			this.decided = { reason: 'entry', pid: task.pid, description: 'entry: main' };
			return true;
		}
		const hit = this.userBreakpointAt(task, program, stmt);
		if (hit !== undefined) {
			this.decided = hit;
			return true;
		}
		return false;
	}

	/** True when the step plan is complete at the task's current statement. */
	private stepDone(step: StepPlan, task: Task): boolean {
		const top = task.thread.top!;
		const depth = task.thread.frames.length;
		const range = top.statementInfo?.range;
		if (range === undefined) return false;
		switch (step.kind) {
			case 'in':
				return depth !== step.depth || range.line !== step.line || range.file !== step.file || top.fn !== step.fn;
			case 'over':
				return depth < step.depth || (depth === step.depth && (top.fn !== step.fn || range.line !== step.line || range.file !== step.file));
			case 'out':
				return depth < step.depth;
		}
	}

	/** The user breakpoint that stops `task` at `stmt`, after conditions, hit counts and logpoints. */
	private userBreakpointAt(task: Task, program: Program, stmt: number): StopInfo | undefined {
		const candidates: UserBreakpoint[] = [];
		for (const list of this.breakpoints.values()) for (const bp of list) if (bp.locations.some(l => l.program === program && l.stmt === stmt)) candidates.push(bp);
		for (const bp of this.functionBreakpoints) if (bp.locations.some(l => l.program === program && l.stmt === stmt)) candidates.push(bp);
		const stopping: UserBreakpoint[] = [];
		let conditionError: string | undefined;
		for (const bp of candidates) {
			const scope = this.scopeOf(task, task.thread.top);
			if (bp.spec.condition !== undefined && bp.spec.condition.trim() !== '') {
				try {
					if (!isTrue(evaluateExpression(bp.spec.condition, scope), scope.space)) continue;
				} catch (error) {
					conditionError = `breakpoint condition '${bp.spec.condition}': ${error instanceof Error ? error.message : String(error)}`;
					stopping.push(bp);
					continue;
				}
			}
			bp.hits++;
			if (bp.spec.hitCondition !== undefined && bp.spec.hitCondition.trim() !== '' && hitMatches(bp.spec.hitCondition, bp.hits) !== true) continue;
			if (bp.spec.logMessage !== undefined) {
				if (!this.replaying) this.output('console', `${this.interpolate(bp.spec.logMessage, task)}\n`);
				continue;
			}
			stopping.push(bp);
		}
		if (stopping.length === 0) return undefined;
		const functionStop = stopping.every(bp => bp.kind === 'function');
		return {
			reason: functionStop ? 'function breakpoint' : 'breakpoint',
			pid: task.pid,
			description: conditionError ?? (functionStop ? `function breakpoint ${stopping[0].spec.functionName ?? ''}` : 'breakpoint'),
			...(conditionError === undefined ? {} : { text: conditionError }),
			hitBreakpointIds: stopping.map(bp => bp.id),
		};
	}

	/** A logpoint message with each `{expression}` replaced by its value in the task's top frame. */
	interpolate(message: string, task: Task): string {
		return message.replace(/\{([^{}]+)\}/g, (_, expression: string) => {
			try {
				const scope = this.scopeOf(task, task.thread.top);
				return this.valueText(evaluateExpression(expression, scope), scope);
			} catch (error) {
				return `<${error instanceof Error ? error.message : String(error)}>`;
			}
		});
	}

	/** Short text of a typed value (for logpoints). */
	private valueText(tv: ReturnType<typeof evaluateExpression>, scope: EvaluationScope): string {
		return formatValue(tv, scope.space);
	}

	// ---- Running ------------------------------------------------------------------------------------------

	/** True while a run command is in progress. */
	get isRunning(): boolean {
		return this.running;
	}

	/** Asks a running command to stop at the next chunk boundary. */
	pause(): void {
		this.pauseRequested = true;
	}

	/** Continues until a stop (or the end of every task). */
	continue(): Promise<StopInfo> {
		return this.runCommand(() => this.forward(undefined));
	}

	/** Steps task `pid` (in, over or out); with `singleThread` the other tasks stay frozen. */
	stepTask(pid: number, kind: StepKind, singleThread: boolean): Promise<StopInfo> {
		const task = this.system.task(pid);
		if (task === undefined || task.state === 'dead' || task.thread.top === undefined) return Promise.resolve(this.stopped({ reason: 'step', description: `task ${pid} cannot run`, ...(task === undefined ? {} : { pid }) }));
		const top = task.thread.top;
		const range = top.statementInfo?.range ?? top.fn.range;
		const plan: StepPlan = { pid, kind, depth: task.thread.frames.length, fn: top.fn, line: range?.line ?? 0, file: range?.file ?? '' };
		return this.runCommand(() => singleThread ? this.stepAlone(task, plan) : this.forward(plan));
	}

	/** Makes `pid` run next, alone, for up to `statements` (until it blocks, exits or hits a breakpoint). */
	runTaskNext(pid: number, statements = 1_000_000): string | undefined {
		const task = this.system.task(pid);
		if (task === undefined || task.state === 'dead') return `no live task ${pid}`;
		this.runNext = { pid, statements: Math.max(1, Math.min(statements, 1_000_000)) };
		return undefined;
	}

	private async runCommand(body: () => Promise<StopInfo>): Promise<StopInfo> {
		if (this.running) return { reason: 'pause', description: 'the machine is already running' };
		this.running = true;
		this.pauseRequested = false;
		// Watches compare with the values at the start of the command (a travel or an edit moved them).
		if (this.watches.length > 0) {
			const host = this.watchHost();
			for (const watch of this.watches) watch.last = readWatch(watch.spec, host);
		}
		try {
			return this.stopped(await body());
		} finally {
			this.running = false;
			this.step = undefined;
			this.armAll = false;
			this.armedFunctions = [];
			this.rearm();
		}
	}

	/** Stops are not timeline events: the timeline holds only what the machine does (a replay passes it again). */
	private stopped(stop: StopInfo): StopInfo {
		this.lastStop = stop;
		return stop;
	}

	/** Runs the machine forward until a stop; `plan` is the step in progress, if any. */
	private async forward(plan: StepPlan | undefined): Promise<StopInfo> {
		this.step = plan;
		if (plan !== undefined) {
			const task = this.system.task(plan.pid)!;
			if (plan.kind === 'in') this.armAll = true;
			else this.armedFunctions = task.thread.frames.slice(0, plan.kind === 'out' ? -1 : undefined).map(f => f.fn).filter((f, i, all) => all.indexOf(f) === i);
		}
		this.rearm();
		if (this.runNext !== undefined) {
			const next = this.runNext;
			this.runNext = undefined;
			const start = this.executed;
			const stop = this.aloneOnce(next.pid, next.statements);
			const change = this.watchStop(start);
			if (change !== undefined) return change;
			if (stop !== undefined) return stop;
		}
		let yieldAt = Date.now() + YIELD_MS;
		for (;;) {
			if (this.pauseRequested) {
				this.pauseRequested = false;
				const pid = this.step?.pid ?? this.lastStop?.pid ?? this.firstAlive()?.pid;
				return { reason: 'pause', description: 'paused', ...(pid === undefined ? {} : { pid }) };
			}
			const stepDue = this.atFrontier() ? this.triggers.dueStep(this.executed) : undefined;
			if (stepDue !== undefined) {
				this.fireTrigger(stepDue);
				continue;
			}
			const chunkStart = this.executed;
			const alone = this.harnessAloneRun();
			const written = this.watchStop(chunkStart);
			if (written !== undefined) return written;
			if (alone.stop !== undefined) return alone.stop;
			if (!alone.ran) {
				const nextStep = this.triggers.nextStep();
				const stop = this.advance(nextStep === undefined ? CHUNK : Math.max(1, Math.min(CHUNK, nextStep - this.executed)));
				const fired = this.fireDue();
				const change = this.watchStop(chunkStart);
				if (change !== undefined) return change;
				if (fired !== undefined) return fired;
				if (stop !== undefined) return stop;
			}
			if (this.step !== undefined && this.system.task(this.step.pid)?.state === 'dead') {
				// The stepped task ended: what is left is a continue.
				this.step = undefined;
				this.armAll = false;
				this.armedFunctions = [];
				this.rearm();
			}
			if (Date.now() >= yieldAt) {
				await new Promise<void>(resolve => setImmediate(resolve));
				yieldAt = Date.now() + YIELD_MS;
			}
		}
	}

	/** Runs task `pid` alone once (runTaskNext), logging it; a stop when it hit a breakpoint. */
	private aloneOnce(pid: number, budget: number): StopInfo | undefined {
		const task = this.system.task(pid);
		if (task === undefined || task.state === 'dead') return undefined;
		this.cutFuture();
		const before = this.system.now;
		const { result } = this.system.debugRunAlone(task, budget);
		const n = this.system.now - before;
		this.ops.push({ kind: 'alone', at: this.executed, pid, n });
		this.executed += n;
		this.opCursor = this.ops.length;
		this.collectReports(task);
		this.noteAloneProgress(pid, result, n);
		if (result === 'breakpoint' && task.thread.top !== undefined) {
			const top = task.thread.top;
			const due = this.triggers.hit(task, top.fn.program, top.statement);
			if (due !== undefined) {
				// The task reached a harness trigger: the harness task runs before it goes on.
				this.firing = { index: due, task };
				return this.fireDue() ?? this.takePending();
			}
			const decided = this.userBreakpointAt(task, top.fn.program, top.statement);
			if (decided !== undefined) return decided;
		}
		this.fireDue();
		return this.takePending();
	}

	// ---- Data breakpoints (see the header) -----------------------------------------------------------

	private watchHost(): WatchHost {
		const memory = this.reader.memory;
		const mmu = this.system.booted.machine.cpus[0].mmu;
		return {
			task: pid => this.system.task(pid),
			readVirtual: (task, address, length) => this.spaceOf(task).read(address, length),
			readPhysical: (address, length) => memory.readPhys(address, length),
			walk: (task, address) => {
				const steps = mmu.probe(address, task.cr3).steps;
				const last = steps[steps.length - 1];
				return last === undefined ? undefined : { raw: last.entry.raw, level: last.level, present: last.entry.present, leaf: last.entry.leaf, pfn: last.entry.pfn };
			},
		};
	}

	/** Replaces the data breakpoints. */
	setDataBreakpoints(specs: readonly WatchSpec[]): BreakpointResult[] {
		const host = this.watchHost();
		this.watches = [];
		return specs.map(spec => {
			const id = this.nextBreakpointId++;
			const problem = watchProblem(spec, host);
			if (problem !== undefined) return { id, verified: false, message: problem };
			const description = describeWatch(spec, host);
			this.watches.push({ id, spec, description, last: readWatch(spec, host) });
			return { id, verified: true, message: description };
		});
	}

	/** The first watch whose value differs from its last one, with both values (nothing updated). */
	private watchChange(): { readonly index: number; readonly now: WatchValue } | undefined {
		if (this.watches.length === 0) return undefined;
		const host = this.watchHost();
		for (let index = 0; index < this.watches.length; index++) {
			const now = readWatch(this.watches[index].spec, host);
			if (now.key !== this.watches[index].last.key) return { index, now };
		}
		return undefined;
	}

	/** A data-breakpoint stop here, `pid` the writer; every watch takes its current value. */
	private watchStopHere(change: { readonly index: number; readonly now: WatchValue }, pid: number | undefined, note = ''): StopInfo {
		const watch = this.watches[change.index];
		const old = watch.last;
		const host = this.watchHost();
		for (const w of this.watches) w.last = readWatch(w.spec, host);
		const writer = pid === undefined ? undefined : this.system.task(pid);
		const text = `${watch.description} changed: ${old.text} -> ${change.now.text}${writer === undefined ? '' : ` (written by ${writer.id})`}${note}`;
		return { reason: 'data breakpoint', description: `data breakpoint: ${watch.description}`, text, hitBreakpointIds: [watch.id], ...(pid === undefined ? {} : { pid }) };
	}

	/**
	 * After a run from count `start`: when a watch changed, finds the statement that changed it (a
	 * replay of the run with every statement armed) and stops there.
	 */
	private watchStop(start: number): StopInfo | undefined {
		const change = this.watchChange();
		if (change === undefined) return undefined;
		const end = this.executed;
		if (!this.canReverse || end <= start) return this.watchStopHere(change, this.lastRunner(), this.canReverse ? '' : ' (seen at the end of a run chunk: reverse execution is off, so the writing statement was not located)');
		const watch = this.watches[change.index];
		const host = this.watchHost();
		const savedArm = this.armAll;
		let found: { count: number; pid: number | undefined } | undefined;
		let previous: Task | undefined;
		try {
			this.armAll = true;
			this.rearm();
			// The value at `start` is the one last compared.
			const base = watch.last.key;
			this.landAt(end, task => {
				if (found !== undefined) return;
				if (this.executed < start) {
					previous = task;
					return;
				}
				if (readWatch(watch.spec, host).key !== base) found = { count: this.executed, pid: previous?.pid ?? task.pid };
				previous = task;
			}, start);
		} finally {
			this.armAll = savedArm;
			this.rearm();
		}
		if (found === undefined) return this.watchStopHere(change, previous?.pid ?? this.lastRunner());
		this.landAt(found.count);
		return this.watchStopHere({ index: change.index, now: readWatch(watch.spec, host) }, found.pid);
	}

	/** The task a CPU ran last (for a stop that has no better candidate). */
	private lastRunner(): number | undefined {
		const last = this.system.debugState().lastOn.find(t => t !== undefined);
		return last?.pid ?? this.firstAlive()?.pid;
	}

	// ---- Harness triggers (see the header) -----------------------------------------------------------

	/** True when the machine is at the end of the recorded history, where triggers fire (replays apply logged ops). */
	private atFrontier(): boolean {
		return !this.replaying && this.recorder === undefined && this.opCursor >= this.ops.length;
	}

	/** A machine event: counted for the event triggers (live and in replays); those due fire when the run returns. */
	triggerEvent(kind: KernelEventKind, taskId: string | undefined, address: number | undefined): void {
		if (this.triggers.size === 0) return;
		const due = this.triggers.event(kind, taskId, address);
		if (due.length === 0 || !this.atFrontier()) return;
		this.dueEvents.push(...due);
		this.system.requestPause();
	}

	/** During a replay, at an armed statement: trigger hits are counted as they were live; the recorder sees it. */
	private replayStop(task: Task, stmt: number): void {
		const top = task.thread.top;
		if (top !== undefined) this.triggers.hit(task, top.fn.program, stmt);
		this.recorder?.(task, stmt);
	}

	/**
	 * Fires what came due during the last run: the statement trigger debugRun stopped at (then the
	 * user's breakpoint at that statement, if any, is the stop) and the event triggers.
	 */
	private fireDue(): StopInfo | undefined {
		let stop: StopInfo | undefined;
		if (this.firing !== undefined) {
			const { index, task } = this.firing;
			this.firing = undefined;
			this.fireTrigger(index);
			const top = task.thread.top;
			if (top !== undefined) stop = this.userBreakpointAt(task, top.fn.program, top.statement);
		}
		for (const index of this.dueEvents.splice(0)) if (!this.triggers.fired(index)) this.fireTrigger(index);
		return stop;
	}

	/** Fires harness trigger `index` here (at the frontier): logs it, starts its task, re-arms. */
	private fireTrigger(index: number): void {
		this.cutFuture();
		this.ops.push({ kind: 'harness', at: this.executed, index });
		this.opCursor = this.ops.length;
		this.startHarness(index);
		this.rearm();
	}

	/** Starts the harness task of trigger `index` (live or from the log): it enters its alone phase. */
	private startHarness(index: number): void {
		const trigger = this.triggers.markFired(index);
		const started = trigger.start();
		const when = this.triggers.describe(index);
		if (typeof started === 'string') {
			this.record('harness', `harness ${trigger.name} (${when}): ${started}`);
			if (!this.replaying) this.output('console', `harness ${trigger.name}: ${started}\n`);
			return;
		}
		this.record('harness', `harness ${trigger.name} fired (${when}): task ${started.id} (pid ${started.pid}) runs alone`, started);
		if (!this.replaying) this.output('console', `harness ${trigger.name} fired (${when}): task ${started.id} (pid ${started.pid}) runs before anything else\n`);
		this.harnessAlone.push({ pid: started.pid, left: trigger.aloneBudget });
	}

	/** A task ran alone (live or in a replay): a harness task in its alone phase uses its budget, and leaves it when it ends or blocks. */
	private noteAloneProgress(pid: number, result: ReturnType<System['runAlone']>, n: number): void {
		const index = this.harnessAlone.findIndex(h => h.pid === pid);
		if (index < 0) return;
		const left = this.harnessAlone[index].left - n;
		const task = this.system.task(pid);
		if (result === 'exited' || result === 'blocked' || left <= 0 || task === undefined || task.state === 'dead') this.harnessAlone.splice(index, 1);
		else this.harnessAlone[index] = { pid, left };
	}

	/**
	 * Runs the first harness task in its alone phase for one chunk (at the frontier). `ran`: it did
	 * something (the caller loops); `stop`: a breakpoint, step or exception stopped in it.
	 */
	private harnessAloneRun(): { readonly ran: boolean; readonly stop?: StopInfo } {
		const head = this.harnessAlone[0];
		if (head === undefined || !this.atFrontier()) return { ran: false };
		const task = this.system.task(head.pid);
		if (task === undefined || task.state === 'dead') {
			this.harnessAlone.shift();
			return { ran: true };
		}
		this.decided = undefined;
		const { result, statements: n } = this.system.debugRunAlone(task, Math.min(CHUNK, head.left));
		if (n > 0) this.ops.push({ kind: 'alone', at: this.executed, pid: head.pid, n });
		this.executed += n;
		this.opCursor = this.ops.length;
		this.noteAloneProgress(head.pid, result, n);
		this.collectReports(task);
		if (this.checkpointInterval > 0 && this.executed - this.lastCheckpoint() >= this.interval) this.takeCheckpoint();
		if (result === 'breakpoint' && task.thread.top !== undefined && this.stopAt(task, task.thread.top.statement)) {
			const fired = this.fireDue();
			if (this.decided !== undefined) return { ran: true, stop: this.decided };
			if (fired !== undefined) return { ran: true, stop: fired };
		}
		const fired = this.fireDue();
		if (fired !== undefined) return { ran: true, stop: fired };
		const pending = this.takePending();
		return pending === undefined ? { ran: true } : { ran: true, stop: pending };
	}

	/** A pending exception of a task that died (stops at the end of its slice), if any. */
	private takePending(): StopInfo | undefined {
		const index = this.pendingExceptions.findIndex(p => p.atSliceEnd || this.system.task(p.pid)?.state === 'dead');
		if (index < 0) return undefined;
		const { pid, stop } = this.pendingExceptions.splice(index, 1)[0];
		return { reason: 'exception', pid, description: stop.description, text: stop.details, exception: stop };
	}

	/** Steps a task alone, one statement at a time (singleThread). */
	private async stepAlone(task: Task, plan: StepPlan): Promise<StopInfo> {
		this.cutFuture();
		// Only harness trigger statements stop inside runAlone: every call runs one statement (or none, at a trigger).
		const armTriggersOnly = (): void => {
			for (const program of this.programs()) program.breakpoints.fill(0);
			this.triggers.arm();
		};
		armTriggersOnly();
		let yieldAt = Date.now() + YIELD_MS;
		for (let count = 0; ; count++) {
			if (this.pauseRequested) {
				this.pauseRequested = false;
				return { reason: 'pause', pid: task.pid, description: 'paused' };
			}
			// A harness task that fired runs before anything else, the stepped task included.
			if (this.harnessAlone.length > 0 && !this.harnessAlone.some(h => h.pid === task.pid)) {
				this.rearm();
				const alone = this.harnessAloneRun();
				armTriggersOnly();
				if (alone.stop !== undefined) return alone.stop;
				if (alone.ran) continue;
			}
			const { result, statements: n } = this.system.debugRunAlone(task, 1);
			const last = this.ops[this.ops.length - 1];
			if (last !== undefined && last.kind === 'steps' && last.pid === task.pid && last.at + last.n === this.executed && n === 1) last.n++;
			else if (n === 1) this.ops.push({ kind: 'steps', at: this.executed, pid: task.pid, n: 1 });
			else if (n > 0) this.ops.push({ kind: 'alone', at: this.executed, pid: task.pid, n });
			this.executed += n;
			this.opCursor = this.ops.length;
			this.noteAloneProgress(task.pid, result, n);
			this.collectReports(task);
			if (this.checkpointInterval > 0 && this.executed - this.lastCheckpoint() >= this.interval) this.takeCheckpoint();
			if (result === 'breakpoint' && task.thread.top !== undefined) {
				const due = this.triggers.hit(task, task.thread.top.fn.program, task.thread.top.statement);
				if (due !== undefined) {
					this.fireTrigger(due);
					armTriggersOnly();
				}
				if (n === 0) continue;
			}
			this.fireDue();
			armTriggersOnly();
			const change = this.watchChange();
			if (change !== undefined) return this.watchStopHere(change, task.pid);
			const exception = this.pendingExceptions.findIndex(p => p.pid === task.pid);
			if (exception >= 0) {
				const { stop } = this.pendingExceptions.splice(exception, 1)[0];
				return { reason: 'exception', pid: task.pid, description: stop.description, text: stop.details, exception: stop };
			}
			if (task.state === 'dead' || result === 'exited') return { reason: 'step', pid: task.pid, description: `${task.id} exited` };
			if (result === 'blocked' || n === 0) return { reason: 'step', pid: task.pid, description: `${task.id} blocked: the other tasks are frozen (continue to let them run)` };
			const top = task.thread.top;
			if (top === undefined) return { reason: 'step', pid: task.pid, description: 'step' };
			if (this.stepDone(plan, task)) return { reason: 'step', pid: task.pid, description: 'step' };
			const hit = this.userBreakpointAt(task, top.fn.program, top.statement);
			if (hit !== undefined) return hit;
			if (Date.now() >= yieldAt) {
				await new Promise<void>(resolve => setImmediate(resolve));
				yieldAt = Date.now() + YIELD_MS;
			}
			void count;
		}
	}

	private firstAlive(): Task | undefined {
		return this.system.alive().sort((a, b) => a.pid - b.pid)[0];
	}

	/**
	 * Runs at most `budget` statements (less when the log's recorded future has an intervention
	 * sooner, which is then applied). Returns the stop, or undefined to go on.
	 */
	private advance(budget: number): StopInfo | undefined {
		// Following the recorded future: stop at the next recorded intervention and apply it.
		let limit = budget;
		if (this.opCursor < this.ops.length) {
			const op = this.ops[this.opCursor];
			if (op.kind === 'run') limit = Math.min(limit, Math.max(0, op.at + op.n - this.executed));
			else {
				if (op.at <= this.executed) {
					this.applyOp(op, Infinity);
					this.opCursor++;
					return undefined;
				}
				limit = Math.min(limit, op.at - this.executed);
			}
			if (limit === 0 && op.kind === 'run') {
				this.opCursor++;
				return undefined;
			}
		}
		this.decided = undefined;
		const before = this.executed;
		const stop = this.system.debugRun(limit, {
			onPortion: (_cpu, task, statements) => {
				this.executed += statements;
				this.collectReports(task);
			},
			stopAt: (task, stmt) => this.stopAt(task, stmt),
		});
		this.logRun(before, this.executed - before);
		if (this.checkpointInterval > 0 && this.executed - this.lastCheckpoint() >= this.interval) this.takeCheckpoint();
		return this.stopFrom(stop);
	}

	/** Appends a run segment to the log (or moves through the recorded one). */
	private logRun(at: number, n: number): void {
		if (n === 0) return;
		if (this.opCursor < this.ops.length) {
			const op = this.ops[this.opCursor];
			if (op.kind === 'run' && at + n >= op.at + op.n) this.opCursor++;
			return;
		}
		const last = this.ops[this.ops.length - 1];
		if (last !== undefined && last.kind === 'run' && last.at + last.n === at) last.n += n;
		else this.ops.push({ kind: 'run', at, n });
		this.opCursor = this.ops.length;
	}

	/** The StopInfo of a debugRun result (undefined: keep running). */
	private stopFrom(stop: SystemStop): StopInfo | undefined {
		switch (stop.kind) {
			case 'breakpoint':
				if (this.firing !== undefined) return undefined;
				return this.decided ?? { reason: 'breakpoint', pid: stop.task.pid, description: 'breakpoint' };
			case 'paused':
				return this.takePending();
			case 'budget':
				return this.takePending();
			case 'idle':
				return this.takePending() ?? { reason: 'exited', description: 'every task has ended' };
			case 'stalled': {
				const text = stop.tasks.map(t => `${this.system.task(t.pid)?.id ?? t.pid} (pid ${t.pid}) in ${t.where}`).join('\n');
				this.record('deadlock', `no task can run: ${stop.tasks.map(t => t.name).join(', ')}`);
				const exception: ExceptionStop = { filter: 'deadlock', id: 'stall', description: 'Deadlock: tasks are alive but none can run', details: text };
				return { reason: 'exception', pid: stop.tasks[0].pid, description: exception.description, text, exception };
			}
		}
	}

	// ---- Time travel ----------------------------------------------------------------------------------

	private lastCheckpoint(): number {
		return this.checkpoints[this.checkpoints.length - 1]?.executed ?? 0;
	}

	private takeCheckpoint(): void {
		// Only at the frontier, or where no checkpoint exists yet (a replay passes the others).
		const existing = this.checkpoints.findIndex(c => c.executed >= this.executed);
		if (existing >= 0 && this.checkpoints[existing].executed === this.executed) return;
		const checkpoint: Checkpoint = {
			executed: this.executed,
			opIndex: this.opCursor,
			snapshot: this.system.snapshot(),
			round: this.system.debugState(),
			counters: { ...this.counters },
			pending: [...this.pendingExceptions],
			triggers: this.triggers.save(),
			harnessAlone: [...this.harnessAlone],
		};
		if (existing < 0) this.checkpoints.push(checkpoint);
		else this.checkpoints.splice(existing, 0, checkpoint);
		if (this.checkpoints.length > MAX_CHECKPOINTS) {
			// Thin out: keep the launch and every other one (landings replay from the one before).
			const kept = this.checkpoints.filter((_, i) => i === 0 || i % 2 === 0 || i === this.checkpoints.length - 1);
			this.checkpoints.length = 0;
			this.checkpoints.push(...kept);
			this.interval *= 2;
		}
	}

	/** True when reverse execution is available. */
	get canReverse(): boolean {
		return this.checkpointInterval > 0;
	}

	/** An intervention in the past cuts off the recorded future (see the header). */
	private cutFuture(): void {
		if (this.opCursor >= this.ops.length) return;
		const op = this.ops[this.opCursor];
		if (op.kind === 'run' && op.at < this.executed) {
			op.n = this.executed - op.at;
			this.ops.length = this.opCursor + 1;
		} else this.ops.length = this.opCursor;
		this.opCursor = this.ops.length;
		while (this.checkpoints.length > 1 && this.checkpoints[this.checkpoints.length - 1].executed > this.executed) this.checkpoints.pop();
		this.timeline.length = Math.min(this.timeline.length, this.counters.eventSeq);
		this.outputSent = this.counters.outputSeq;
	}

	/** Records an edit (a write to the machine) at the current count and applies it. */
	edit(text: string, apply: () => void): void {
		this.cutFuture();
		apply();
		this.ops.push({ kind: 'edit', at: this.executed, text, apply });
		this.opCursor = this.ops.length;
	}

	private applyOp(op: Op, upTo: number): void {
		switch (op.kind) {
			case 'run':
				break;
			case 'edit':
				op.apply();
				break;
			case 'harness':
				this.startHarness(op.index);
				break;
			case 'alone':
			case 'steps': {
				const task = this.system.task(op.pid);
				if (task === undefined) break;
				// A landing may have run part of the op already.
				const n = Math.min(op.at + op.n, upTo) - Math.max(op.at, this.executed);
				const saved = this.programs().map(p => p.breakpoints.slice());
				// Trigger statements are armed (their hits are counted as they were live), and with a
				// recorder whatever it watches (breakpoints do not change what runs).
				if (this.recorder === undefined) for (const program of this.programs()) program.breakpoints.fill(0);
				this.triggers.arm();
				let left = n;
				while (left > 0) {
					const { result, statements } = this.system.debugRunAlone(task, op.kind === 'alone' ? left : 1);
					this.executed += statements;
					left -= statements;
					this.noteAloneProgress(op.pid, result, statements);
					const top = task.thread.top;
					if (result === 'breakpoint' && top !== undefined) {
						this.replayStop(task, top.statement);
						continue;
					}
					if (op.kind === 'alone' || statements === 0) break;
				}
				this.collectReports(task);
				this.programs().forEach((p, i) => p.breakpoints.set(saved[i]));
				break;
			}
		}
	}

	/**
	 * Puts the machine at count `target` (<= the log's end): restores the nearest checkpoint (at or
	 * before `replayFrom` too, when given) and replays. With `recorder`, every armed statement reached
	 * on the way is reported to it.
	 */
	private landAt(target: number, recorder?: (task: Task, stmt: number) => void, replayFrom = target): void {
		let index = -1;
		for (let i = 0; i < this.checkpoints.length; i++) if (this.checkpoints[i].executed <= Math.min(target, replayFrom)) index = i;
		const checkpoint = this.checkpoints[Math.max(0, index)];
		this.system.restore(checkpoint.snapshot);
		this.system.debugLoad(checkpoint.round);
		this.executed = checkpoint.executed;
		this.counters = { ...checkpoint.counters };
		this.pendingExceptions = [...checkpoint.pending];
		this.triggers.load(checkpoint.triggers);
		this.harnessAlone = [...checkpoint.harnessAlone];
		this.firing = undefined;
		this.dueEvents = [];
		this.opCursor = checkpoint.opIndex;
		this.replaying = true;
		this.recorder = recorder;
		try {
			while (this.executed < target || (this.opCursor < this.ops.length && (this.ops[this.opCursor].kind === 'edit' || this.ops[this.opCursor].kind === 'harness') && this.ops[this.opCursor].at <= target)) {
				const op = this.ops[this.opCursor];
				if (op === undefined) break;
				if (op.kind === 'run') {
					const end = Math.min(op.at + op.n, target);
					if (end > this.executed) {
						this.system.debugRun(end - this.executed, {
							onPortion: (_cpu, task, statements) => {
								this.executed += statements;
								this.collectReports(task);
							},
							stopAt: (task, stmt) => {
								this.replayStop(task, stmt);
								return false;
							},
						});
					}
					if (this.executed >= op.at + op.n) this.opCursor++;
					// At the target: the loop condition still applies the edits and firings logged at it.
					if (this.executed >= target && this.executed < op.at + op.n) break;
					continue;
				}
				if (op.at > target) break;
				this.applyOp(op, target);
				if (op.kind === 'edit' || op.kind === 'harness' || op.at + op.n <= target) this.opCursor++;
				else break;
			}
		} finally {
			this.replaying = false;
			this.recorder = undefined;
		}
		// Pending exceptions belong to a stop already made; none survives a landing.
		this.pendingExceptions = [];
		this.faults.clear();
	}

	/** Goes to count `time` (clamped to [0, the log's end]); reports a `goto` stop. */
	travel(time: number, pid?: number): Promise<StopInfo> {
		return this.runCommand(async () => {
			const end = this.frontier();
			const target = Math.max(0, Math.min(Math.floor(time), end));
			this.landAt(target);
			const shown = pid ?? this.lastStop?.pid ?? this.firstAlive()?.pid;
			return { reason: 'goto', description: `time ${target}`, ...(shown === undefined ? {} : { pid: shown }) };
		});
	}

	/** Goes to just after timeline event `id` (a replay to its count, then forward until it has happened). */
	travelToEvent(id: number): Promise<StopInfo> {
		return this.runCommand(async () => {
			const event = this.timeline[id];
			if (event === undefined) return { reason: 'goto', description: `no timeline event ${id}` };
			this.landAt(Math.min(event.time, this.frontier()));
			// Forward, statement by statement of whoever runs, until the event's sequence number passed.
			this.armAll = true;
			this.rearm();
			let landed: Task | undefined;
			this.recorder = task => {
				if (this.counters.eventSeq > id && landed === undefined) {
					landed = task;
					this.system.requestPause();
				}
			};
			this.replaying = true;
			try {
				while (landed === undefined && this.executed < this.frontier()) {
					const op = this.ops[this.opCursor];
					if (op !== undefined && op.kind !== 'run' && op.at <= this.executed) {
						this.applyOp(op, Infinity);
						this.opCursor++;
						continue;
					}
					const limit = op === undefined ? this.frontier() - this.executed : op.kind === 'run' ? op.at + op.n - this.executed : op.at - this.executed;
					if (limit <= 0) {
						this.opCursor++;
						continue;
					}
					const before = this.executed;
					this.system.debugRun(limit, {
						onPortion: (_cpu, task, statements) => {
							this.executed += statements;
							this.collectReports(task);
						},
						stopAt: (task, stmt) => {
							this.replayStop(task, stmt);
							return landed !== undefined;
						},
					});
					if (op?.kind === 'run' && this.executed >= op.at + op.n) this.opCursor++;
					if (this.executed === before && landed === undefined) break;
				}
			} finally {
				this.replaying = false;
				this.recorder = undefined;
			}
			this.pendingExceptions = [];
			const pid = landed?.pid ?? event.pid;
			return { reason: 'goto', description: `after event ${id}: ${event.kind}`, text: event.text, ...(pid === undefined ? {} : { pid }) };
		});
	}

	/** The end of the recorded history. */
	frontier(): number {
		const last = this.ops[this.ops.length - 1];
		return Math.max(this.executed, last === undefined ? 0 : last.kind === 'edit' || last.kind === 'harness' ? last.at : last.at + last.n);
	}

	/**
	 * Steps task `pid` back to the statement before its current one in the same frame (or its
	 * caller's, when it is at the first statement of the function): reverse of a step over.
	 */
	stepBack(pid: number): Promise<StopInfo> {
		return this.runCommand(async () => {
			const task = this.system.task(pid);
			if (!this.canReverse) return { reason: 'step', pid, description: 'reverse execution is off (checkpointInterval 0)' };
			if (task === undefined || task.thread.top === undefined) return { reason: 'step', pid, description: `task ${pid} has no frames` };
			const depth = task.thread.frames.length;
			const fn = task.thread.top.fn;
			const line = task.thread.top.statementInfo?.range.line;
			const wanted = (d: number, f: FunctionInfo, l: number | undefined) => d < depth || (d === depth && (f !== fn || l !== line));
			const found = this.searchBack(task, candidate => candidate.pid === pid ? candidate : undefined, (t) => {
				const top = t.thread.top;
				return top !== undefined && wanted(t.thread.frames.length, top.fn, top.statementInfo?.range.line);
			}, true);
			if (found === undefined) {
				this.landAt(0);
				return { reason: 'step', pid, description: 'reached the start of the recording' };
			}
			this.landAt(found);
			return { reason: 'step', pid, description: 'step back' };
		});
	}

	/** Runs backwards to the latest earlier stop at a user breakpoint (or the start). */
	reverseContinue(): Promise<StopInfo> {
		return this.runCommand(async () => {
			if (!this.canReverse) return { reason: 'pause', description: 'reverse execution is off (checkpointInterval 0)' };
			let hitPid: number | undefined;
			const found = this.searchBack(undefined, task => task, task => {
				const top = task.thread.top;
				if (top === undefined) return false;
				const stop = this.userBreakpointProbe(task, top.fn.program, top.statement);
				if (stop) hitPid = task.pid;
				return stop;
			}, false);
			if (found === undefined) {
				this.landAt(0);
				const pid = this.firstAlive()?.pid;
				return { reason: 'entry', description: 'reached the start of the recording', ...(pid === undefined ? {} : { pid }) };
			}
			this.landAt(found);
			return { reason: 'breakpoint', description: 'breakpoint (reverse)', ...(hitPid === undefined ? {} : { pid: hitPid }) };
		});
	}

	/** A user breakpoint at `stmt` whose condition holds (no hit counting, no logpoints): for reverse searches. */
	private userBreakpointProbe(task: Task, program: Program, stmt: number): boolean {
		const all = [...[...this.breakpoints.values()].flat(), ...this.functionBreakpoints];
		for (const bp of all) {
			if (bp.spec.logMessage !== undefined) continue;
			if (!bp.locations.some(l => l.program === program && l.stmt === stmt)) continue;
			if (bp.spec.condition === undefined || bp.spec.condition.trim() === '') return true;
			try {
				const scope = this.scopeOf(task, task.thread.top);
				if (isTrue(evaluateExpression(bp.spec.condition, scope), scope.space)) return true;
			} catch (error) {
				if (error instanceof EvaluationError) return true;
				throw error;
			}
		}
		return false;
	}

	/**
	 * Searches the history before the current count for the latest statement boundary where
	 * `accept` holds for a task `select` picks, window by window between checkpoints. `stepped`:
	 * arm every statement of the task's functions (a step back) instead of the user's breakpoints.
	 * Returns the count, with the machine left anywhere (the caller lands).
	 */
	private searchBack(task: Task | undefined, select: (candidate: Task) => Task | undefined, accept: (candidate: Task) => boolean, stepped: boolean): number | undefined {
		const now = this.executed;
		let windowEnd = now;
		const interval = Math.max(1, this.checkpointInterval);
		const savedArm = this.armAll;
		const savedFunctions = this.armedFunctions;
		try {
			this.armAll = stepped;
			this.armedFunctions = [];
			this.rearm();
			if (!stepped) this.entry = undefined;
			while (windowEnd > 0) {
				const windowStart = Math.max(0, this.checkpoints.filter(c => c.executed < windowEnd).map(c => c.executed).pop() ?? Math.max(0, windowEnd - interval));
				let best: number | undefined;
				this.landAt(windowStart);
				if (windowStart < windowEnd && this.atBoundary(task, select, accept)) best = windowStart;
				this.landAt(windowEnd, candidate => {
					const chosen = select(candidate);
					if (chosen === undefined || this.executed >= windowEnd) return;
					if (accept(chosen)) best = this.executed;
				});
				if (best !== undefined) return best;
				windowEnd = windowStart;
			}
			return undefined;
		} finally {
			this.armAll = savedArm;
			this.armedFunctions = savedFunctions;
			this.rearm();
			void now;
		}
	}

	/** At a landing point: does a selected task stand at an accepted statement boundary? */
	private atBoundary(task: Task | undefined, select: (candidate: Task) => Task | undefined, accept: (candidate: Task) => boolean): boolean {
		const candidates = task === undefined ? this.system.alive() : [task];
		for (const candidate of candidates) {
			const chosen = select(candidate);
			if (chosen !== undefined && chosen.thread.top?.atStatementCheck === true && accept(chosen)) return true;
		}
		return false;
	}

	/** Starts the session: runs to main of the first process (stopOnEntry) or to the first stop. */
	start(stopOnEntry: boolean): Promise<StopInfo> {
		if (!stopOnEntry) {
			this.entry = undefined;
			this.rearm();
		}
		return this.continue();
	}

	/** The task's fault records (newest last). */
	faultsOf(pid: number): readonly FaultRecord[] {
		return this.faults.get(pid) ?? [];
	}

	/** Error-code bits in words (for the Fault scope). */
	static describeErrorCode(code: number): string {
		return describeErrorCode(code);
	}

	/** The x86 error code the machine computes for a fault (exported for tests). */
	static errorCodeOf = pageFaultErrorCode;
}

/** The first statement check of a KC function. */
export function firstStatement(fn: FunctionInfo): number | undefined {
	for (let pc = 0; pc < fn.checkPc.length; pc++) if (fn.checkPc[pc] === 1 && fn.pcStatement[pc] >= 0) return fn.pcStatement[pc];
	return undefined;
}

/** Arms every statement check of `fn`. */
function armFunction(fn: FunctionInfo): void {
	const table = fn.program.breakpoints;
	for (let pc = 0; pc < fn.checkPc.length; pc++) if (fn.checkPc[pc] === 1 && fn.pcStatement[pc] >= 0) table[fn.pcStatement[pc]] = 1;
}

/** x86 page-fault error code bits in words. */
export function describeErrorCode(code: number): string {
	const parts = [
		(code & 1) !== 0 ? 'protection violation' : 'page not present',
		(code & 2) !== 0 ? 'write' : 'read',
		(code & 4) !== 0 ? 'user' : 'kernel',
	];
	if ((code & 8) !== 0) parts.push('reserved bit');
	if ((code & 16) !== 0) parts.push('instruction fetch');
	return parts.join(', ');
}
