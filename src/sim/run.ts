// `faultline run SCENARIO`: runs a scenario headless on the simulated machine (layer: sim). Loads
// and checks the scenario, boots (or restores) the kernel of its profile with its RAM, CPUs and
// kernel configuration, builds each process's program, resolves the schedule's statement markers
// against the compiled code, starts the processes, runs the scheduler the scenario asks for until
// every task has ended (or `limits.maxSteps` statements), writes the trace, and checks the
// expectations.
//
// Exit status (BRIEF 2.4): 0 when the run finishes and every expectation holds; 1 when one fails
// (or the run does not finish within its limit); 2 for bad input (the scenario, a program that does
// not compile, a marker that names no statement); 3 when the kernel oopses, hits a BUG, or the
// tasks deadlock (alive, but none can run). Expectations are checked and reported in every case.
//
// Processes: each scenario process is a task named as in the scenario; tasks it creates (fork
// children and threads) are `name.1`, `name.2`, ... and theirs `name.1.1`... Everything those
// descendants write to stdout or stderr belongs to the scenario process (they inherit its file
// descriptors, as under a shell), and its outcome expectation sees it in write order.
//
// Trace (`--trace`): one JSON object per line, in execution order, each with `seq`, `t` (simulated
// time: statements executed so far by all CPUs, as of the slice the event happened in) and a
// `kind` from the scenario schema's event kinds: fault, pte-set, pte-zap, tlb-flush,
// context-switch, signal, bug, oops, lockdep, deadlock, invariant. Events caused by a task carry
// `task` (its scheduler id); events that belong to a scenario process carry `process` (for PTE
// changes: the process whose address space changed). Event expectations with `process` select
// on that field.
//
// Statement markers: `file:line` must name a line where a statement of a program or of the
// kernel starts; `file:point` (a `// @point: name` comment) stands for the first statement that
// starts on or after the line the comment marks; `fn()` must name a compiled function.
//
// Drivers and devices (src/sim/scenarioDrivers.ts): the device models' regions join the physical
// map, the drivers load as modules before any process starts, in the scenario's order.
//
// Harness tasks: each runs as a kernel thread named as in the scenario, alone on CPU 0 ("before
// anything else"), at its trigger: `boot` (after the drivers load, before the processes start),
// `{ step: N }` (once N statements have run in all), a statement marker (when a task, or the named
// task, is about to execute it: a breakpoint the run clears once it fires) or `{ event }` (the
// N-th matching kernel event: the machine pauses at the end of that slice). A harness task that
// blocks goes back to normal scheduling.
//
// Not yet: KC harness programs (inline calls only), `limits.maxTime`, a process's `env` and `pid`
// (the loader takes neither yet); a scenario that uses them is refused with a message at the line
// that asks for it (exit 2).

import * as fs from 'node:fs';
import * as path from 'node:path';
import { formatDiagnostic, pointRange, type Diagnostic, type SourceRange } from '../lang/source';
import type { Value } from '../interp/contracts';
import type { Program } from '../interp/program';
import { canonicalHex, type KernelEvents, type KernelSite } from '../kernel/builtins';
import type { BootedKernel } from '../kernel/boot';
import { spawnProcess } from '../kernel/proc/exec';
import { System, waitingFrame, type SystemEvents, type SystemStop, type Task } from '../kernel/proc/system';
import { type PolicyConfig, type ScheduleStep, type StatementMarker } from '../kernel/sched/policy';
import { checkInvariants, type InvariantCheck } from '../kernel/inspect/invariants';
import { bootedMachine } from './machine';
import { harnessModule, loadDrivers, prepareDrivers, withFile } from './scenarioDrivers';
import { loadModule } from '../kernel/proc/modules';
import type { KernelProfile } from './profiles';
import { diskFiles, loadScenario } from './scenario/load';
import { findPoints } from './scenario/markers';
import { resolvePath } from './scenario/paths';
import type { EventExpectation, Expectation, HarnessTask, KernelEventKind, Scenario, ScenarioMarker, TextMatcher } from './scenario/types';
import { buildUserProgram } from './userProgram';
import { userLibraryBuiltins } from './userLibrary';

/** Options of runScenario. */
export interface RunScenarioOptions {
	readonly file: string;
	/** Seeds the random policy (also an explicit schedule's random fallback); wins over the scenario's seed. */
	readonly seed?: number;
	/** Overrides the scenario's kernel profile. */
	readonly profile?: string;
	readonly kcRoot: string;
	/** Receives each trace line (JSON, no newline). */
	readonly trace?: (line: string) => void;
	/** Messages for the user (diagnostics, expectation results), each ending with a newline. */
	readonly report: (text: string) => void;
}

export const exitExpectationFailed = 1;
export const exitBadInput = 2;
export const exitKernelFailure = 3;
/** A thrown host exception (a bug in Faultline): EX_SOFTWARE. */
export const exitInternalError = 70;

const SIGNALS: Readonly<Record<string, number>> = {
	SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGILL: 4, SIGTRAP: 5, SIGABRT: 6, SIGBUS: 7, SIGFPE: 8, SIGKILL: 9, SIGUSR1: 10,
	SIGSEGV: 11, SIGUSR2: 12, SIGPIPE: 13, SIGALRM: 14, SIGTERM: 15, SIGCHLD: 17, SIGCONT: 18, SIGSTOP: 19,
};

function signalName(signal: number): string {
	return Object.keys(SIGNALS).find(name => SIGNALS[name] === signal) ?? `signal ${signal}`;
}

/** One trace event. */
interface TraceEvent {
	readonly kind: KernelEventKind;
	readonly seq: number;
	readonly t: number;
	readonly task?: string | null;
	readonly process?: string;
	readonly [key: string]: unknown;
}

/** What one scenario process (with its descendants) did, for expectations. */
interface ProcessOutcome {
	task: Task;
	stdout: Uint8Array[];
	stderr: Uint8Array[];
}

function hex(v: Value): string {
	return `0x${(typeof v === 'bigint' ? v : BigInt(v)).toString(16)}`;
}

function siteOf(site: KernelSite): string {
	return `${site.file}:${site.line} ${site.fn}()`;
}

function slashes(file: string): string {
	return file.replace(/\\/g, '/');
}

/** True when the two paths name the same file: equal, or one is a trailing run of the other's segments. */
function sameFile(a: string, b: string): boolean {
	const x = slashes(a).replace(/^\.\//, '');
	const y = slashes(b).replace(/^\.\//, '');
	return x === y || x.endsWith(`/${y}`) || y.endsWith(`/${x}`);
}

/** The scenario process a task belongs to: its id up to the first dot (`p1.2.1` belongs to `p1`). */
function rootOf(taskId: string): string {
	const dot = taskId.indexOf('.');
	return dot < 0 ? taskId : taskId.slice(0, dot);
}

/** The profile with the scenario's `kernel.config` applied to its defines (true: 1, false: undefined). */
export function configuredProfile(profile: KernelProfile, config: Scenario['kernel']['config']): KernelProfile {
	const keys = Object.keys(config).sort();
	if (keys.length === 0) return profile;
	const defines: Record<string, string> = { ...profile.defines };
	for (const key of keys) {
		const value = config[key];
		if (value === false) delete defines[key];
		else defines[key] = value === true ? '1' : String(value);
	}
	// The name keys the machine cache: one booted kernel per distinct configuration.
	return { ...profile, name: `${profile.name}+${keys.map(k => `${k}=${JSON.stringify(config[k])}`).join(',')}`, defines };
}

/** Where `"key"` first appears in the scenario text (for settings the loaded scenario keeps no range of). */
function keyRange(file: string, key: string): SourceRange {
	let text = '';
	try {
		text = fs.readFileSync(file, 'utf8');
	} catch {
		return pointRange(file, 1, 1);
	}
	const at = text.indexOf(`"${key}"`);
	if (at < 0) return pointRange(file, 1, 1);
	const before = text.slice(0, at).split(/\r\n|\r|\n/);
	return pointRange(file, before.length, before[before.length - 1].length + 1);
}

/** What this version cannot run yet, at the lines that ask for it. */
function unsupportedParts(scenario: Scenario, profile: KernelProfile): Diagnostic[] {
	const problems: Diagnostic[] = [];
	const refuse = (range: SourceRange, what: string): void => {
		problems.push({ severity: 'error', message: `${what}: this version of Faultline cannot run it yet`, range });
	};
	if (scenario.limits.maxTimeNs !== undefined) refuse(keyRange(scenario.file, 'maxTime'), 'limits.maxTime (use limits.maxSteps)');
	scenario.processes.forEach((process, index) => {
		if (process.env.length > 0) refuse(process.range, `processes[${index}].env`);
		if (process.pid !== undefined) refuse(process.range, `processes[${index}].pid (the kernel assigns process ids)`);
	});
	void profile;
	return problems.sort((a, b) => a.range.line - b.range.line || a.range.col - b.range.col);
}

// ---- Statement markers ------------------------------------------------------------------------------

/** Statements a harness task runs alone at its trigger before it goes back to normal scheduling. */
export const HARNESS_ALONE_BUDGET = 50_000_000;

/** The statement ids of `program` a resolved marker names (a function marker: its first statement). */
export function markerStatements(program: Program, marker: StatementMarker): number[] {
	const ids: number[] = [];
	program.statements.forEach((statement, id) => {
		if (marker.fn !== undefined && statement.fn !== marker.fn) return;
		if (marker.file !== undefined && !sameFile(statement.range.file, marker.file)) return;
		if (marker.line !== undefined && statement.range.line !== marker.line) return;
		ids.push(id);
	});
	return marker.fn !== undefined && marker.line === undefined ? ids.slice(0, 1) : ids;
}

/** A compiled program whose statements markers can name. */
interface MarkerTarget {
	readonly program: Program;
}

/**
 * The files a marker's `file` may mean: the programs' files ending with it, the file next to the
 * scenario, and the shipped KC sources (the same candidates the loader checked).
 */
function markerFiles(scenario: Scenario, kcRoot: string, file: string): string[] {
	const tail = slashes(file).replace(/^\.\//, '');
	const candidates = scenario.processes.map(p => p.program.path).filter(p => slashes(p) === tail || slashes(p).endsWith(`/${tail}`));
	const files = diskFiles(kcRoot);
	const local = resolvePath(scenario.folder, file);
	if (!candidates.includes(local) && files.read(local) !== undefined) candidates.push(local);
	for (const shipped of files.shipped(file)) if (!candidates.includes(shipped)) candidates.push(shipped);
	return candidates;
}

/** Lines where statements start, per source file as the compiler named it, in `targets`. */
function statementLines(targets: readonly MarkerTarget[], file: string): Map<string, number[]> {
	const lines = new Map<string, number[]>();
	for (const target of targets) {
		for (const statement of target.program.statements) {
			const source = statement.range.file;
			if (!sameFile(source, file)) continue;
			let list = lines.get(source);
			if (list === undefined) lines.set(source, list = []);
			list.push(statement.range.line);
		}
	}
	for (const list of lines.values()) list.sort((a, b) => a - b);
	return lines;
}

/**
 * Resolves a scenario marker into the scheduler's form: a point becomes the line of the first
 * statement at or after the line it marks, and a line or function must exist in the compiled
 * code. Returns an error message when the marker names no statement.
 */
function resolveMarker(marker: ScenarioMarker, scenario: Scenario, kcRoot: string, targets: readonly MarkerTarget[]): StatementMarker | string {
	const result: { file?: string; line?: number; fn?: string; hit: number } = { hit: marker.hit };
	if (marker.fn !== undefined) {
		result.fn = marker.fn;
		if (!targets.some(t => t.program.statements.some(s => s.fn === marker.fn))) return `no compiled function ${marker.fn}() in the programs or the kernel`;
	}
	if (marker.file === undefined) return result;
	result.file = marker.file;
	let wanted = marker.line;
	let definedAt = '';
	if (marker.point !== undefined) {
		for (const path of markerFiles(scenario, kcRoot, marker.file)) {
			let text: string | undefined;
			try {
				text = fs.readFileSync(path, 'utf8');
			} catch {
				text = undefined;
			}
			const point = text === undefined ? undefined : findPoints(text).find(p => p.name === marker.point);
			if (point?.line !== undefined) {
				wanted = point.line;
				definedAt = `${path}:${point.commentLine}`;
				// Only statements of the file that defines the point count.
				result.file = path;
				break;
			}
		}
		if (wanted === undefined) return `no "// @point: ${marker.point}" comment with a statement after it in ${marker.file}`;
	}
	const byFile = statementLines(targets, result.file);
	if (byFile.size === 0) return `no compiled statement in ${marker.file} (is it a program of this scenario, or a kernel source built for this profile?)`;
	if (marker.point !== undefined) {
		// The defining file may be spelled differently by the compiler (kernel units are named relative to kc/kernel).
		let best: { file: string; line: number } | undefined;
		for (const [source, lines] of byFile) {
			const line = lines.find(l => l >= wanted!);
			if (line !== undefined && (best === undefined || line < best.line)) best = { file: source, line };
		}
		if (best === undefined) return `point "${marker.point}" (${definedAt}) has no compiled statement after it`;
		result.file = best.file;
		result.line = best.line;
		return result;
	}
	result.file = marker.file;
	if (wanted !== undefined) {
		if (![...byFile.values()].some(lines => lines.includes(wanted!))) return `no statement starts at line ${wanted} of ${marker.file}`;
		result.line = wanted;
	}
	return result;
}

/** The scheduler's configuration for the scenario, markers resolved; or the diagnostics of markers that name nothing. */
function policyOf(scenario: Scenario, kcRoot: string, targets: readonly MarkerTarget[]): PolicyConfig | Diagnostic[] {
	const schedule = scenario.schedule;
	if (schedule.kind !== 'explicit') return schedule;
	const problems: Diagnostic[] = [];
	const steps: ScheduleStep[] = schedule.steps.map(step => {
		let stmt: StatementMarker | undefined;
		if (step.until?.stmt !== undefined) {
			const resolved = resolveMarker(step.until.stmt, scenario, kcRoot, targets);
			if (typeof resolved === 'string') problems.push({ severity: 'error', message: `${step.until.stmt.where}: ${resolved}`, range: step.until.stmt.range });
			else stmt = resolved;
		}
		const until = step.until === undefined ? undefined : { ...(stmt === undefined ? {} : { stmt }), ...(step.until.count === undefined ? {} : { count: step.until.count }) };
		return { task: step.task, ...(step.cpu === undefined ? {} : { cpu: step.cpu }), ...(until === undefined ? {} : { until }) };
	});
	return problems.length > 0 ? problems : { kind: 'explicit', steps, then: schedule.then };
}

// ---- Expectations -----------------------------------------------------------------------------------

function matches(matcher: TextMatcher, text: string): boolean {
	switch (matcher.kind) {
		case 'exact':
			return text === matcher.text;
		case 'contains':
			return text.includes(matcher.text);
		case 'regex':
			return new RegExp(matcher.regex, matcher.flags).test(text);
	}
}

function describeMatcher(matcher: TextMatcher): string {
	switch (matcher.kind) {
		case 'exact':
			return JSON.stringify(matcher.text);
		case 'contains':
			return `text containing ${JSON.stringify(matcher.text)}`;
		case 'regex':
			return `/${matcher.regex}/${matcher.flags}`;
	}
}

function countHolds(actual: number, cond: EventExpectation['count']): boolean {
	switch (cond.op) {
		case '==': return actual === cond.value;
		case '!=': return actual !== cond.value;
		case '>=': return actual >= cond.value;
		case '<=': return actual <= cond.value;
		case '>': return actual > cond.value;
		case '<': return actual < cond.value;
	}
}

function describeCount(cond: EventExpectation['count']): string {
	return cond.op === '==' ? String(cond.value) : `${cond.op} ${cond.value}`;
}

const decoder = new TextDecoder('latin1');

function joined(chunks: readonly Uint8Array[]): string {
	return chunks.map(c => decoder.decode(c)).join('');
}

function describeStatus(code: number): string {
	const signal = code & 0x7f;
	return signal !== 0 ? `was killed by ${signalName(signal)}` : `exited with ${(code >> 8) & 0xff}`;
}

/** Why an expectation does not hold, or undefined when it does. */
function check(expectation: Expectation, byName: ReadonlyMap<string, ProcessOutcome>, events: readonly TraceEvent[], booted: BootedKernel, staleMappings: readonly string[]): string | undefined {
	switch (expectation.kind) {
		case 'outcome': {
			const p = byName.get(expectation.process);
			if (p === undefined) return `process ${expectation.process} did not start`;
			const code = p.task.exitCode;
			if ((expectation.exit !== undefined || expectation.signal !== undefined) && code === undefined) return `process ${expectation.process} did not end`;
			if (code !== undefined) {
				const signal = code & 0x7f;
				if (expectation.exit !== undefined && (signal !== 0 || ((code >> 8) & 0xff) !== expectation.exit)) {
					return `process ${expectation.process} ${describeStatus(code)}, expected exit ${expectation.exit}`;
				}
				if (expectation.signal !== undefined && signal !== SIGNALS[expectation.signal]) {
					return `process ${expectation.process} ${describeStatus(code)}, expected to be killed by ${expectation.signal}`;
				}
			}
			if (expectation.stdout !== undefined && !matches(expectation.stdout, joined(p.stdout))) {
				return `stdout of ${expectation.process} does not match ${describeMatcher(expectation.stdout)}: it is ${JSON.stringify(joined(p.stdout))}`;
			}
			if (expectation.stderr !== undefined && !matches(expectation.stderr, joined(p.stderr))) {
				return `stderr of ${expectation.process} does not match ${describeMatcher(expectation.stderr)}: it is ${JSON.stringify(joined(p.stderr))}`;
			}
			return undefined;
		}
		case 'event': {
			if (expectation.backing !== undefined || expectation.mapping !== undefined) return 'event filters by backing or mapping need the device model (not available yet)';
			const selected = events.filter(e => {
				if (e.kind !== expectation.event) return false;
				if (expectation.process !== undefined && e.process !== expectation.process) return false;
				if (expectation.signal !== undefined && e.signal !== SIGNALS[expectation.signal]) return false;
				const text = JSON.stringify(e);
				if (expectation.match !== undefined && !text.includes(expectation.match)) return false;
				if (expectation.regex !== undefined && !new RegExp(expectation.regex).test(text)) return false;
				return true;
			});
			if (countHolds(selected.length, expectation.count)) return undefined;
			const filters = [
				expectation.process === undefined ? '' : ` of process ${expectation.process}`,
				expectation.signal === undefined ? '' : ` with ${expectation.signal}`,
				expectation.match === undefined ? '' : ` containing ${JSON.stringify(expectation.match)}`,
				expectation.regex === undefined ? '' : ` matching /${expectation.regex}/`,
			].join('');
			const first = selected.length > 0 && expectation.count.op !== '>=' && expectation.count.op !== '>' ? ` (the first: ${JSON.stringify(selected[0])})` : '';
			return `${selected.length} ${expectation.event} events${filters}, expected ${describeCount(expectation.count)}${first}`;
		}
		case 'invariant': {
			let problems: string[];
			if (expectation.invariant === 'no-stale-mapping') {
				problems = [...staleMappings];
			} else if (expectation.invariant === 'bo-contents-preserved') {
				return 'invariant bo-contents-preserved needs the GPU model (not available yet)';
			} else {
				const checks: Record<string, readonly InvariantCheck[]> = {
					'no-pte-to-free-frame': ['page-tables', 'free-lists'],
					refcounts: ['mapcount', 'refcount'],
					'locks-released': ['locks'],
				};
				problems = checkInvariants(booted, { checks: checks[expectation.invariant] }).map(v => v.message);
			}
			const holds = problems.length === 0;
			if (holds === expectation.holds) return undefined;
			return holds ? `invariant ${expectation.invariant} holds, expected a violation` : `invariant ${expectation.invariant} violated: ${problems.slice(0, 5).join('; ')}${problems.length > 5 ? `; and ${problems.length - 5} more` : ''}`;
		}
	}
}

// ---- The run ----------------------------------------------------------------------------------------

/** Where a task is, for messages: its innermost KC frame. */
function whereIs(task: Task): string {
	const frame = waitingFrame(task);
	if (frame === undefined) return '?';
	const range = frame.statementInfo?.range ?? frame.fn.range;
	return `${frame.fn.name}()${range === undefined ? '' : ` at ${range.file}:${range.line}`}`;
}

/** Runs the scenario; see the header for the exit status. Never throws for bad input. */
export function runScenario(options: RunScenarioOptions): number {
	const report = options.report;
	const reportDiagnostics = (diagnostics: readonly Diagnostic[]): void => {
		for (const d of diagnostics) report(`${formatDiagnostic(d)}\n`);
	};
	// The loader compares the scenario's files with the shipped tree's by their spelling: spell the
	// KC root the way the scenario path is spelled (relative or absolute), so that a scenario inside
	// the shipped tree (kc/examples) does not see each of its files twice.
	const kcRoot = path.isAbsolute(options.file) ? path.resolve(options.kcRoot) : path.relative(process.cwd(), options.kcRoot) || '.';
	const loaded = loadScenario(options.file, { ...(options.profile === undefined ? {} : { profile: options.profile }), kcRoot });
	reportDiagnostics(loaded.diagnostics);
	const scenario = loaded.scenario;
	if (scenario === undefined || loaded.profile === undefined || loaded.diagnostics.some(d => d.severity === 'error')) return exitBadInput;
	const unsupported = unsupportedParts(scenario, loaded.profile);
	if (unsupported.length > 0) {
		reportDiagnostics(unsupported);
		return exitBadInput;
	}
	const profile = configuredProfile(loaded.profile, scenario.kernel.config);

	// The trace.
	const events: TraceEvent[] = [];
	/** Set once they exist (the event sinks are made before them). */
	const live: { system?: System; booted?: BootedKernel; spawning?: string } = {};
	/** Set while the run's harness event triggers listen. */
	let onEvent: ((event: TraceEvent) => void) | undefined;
	const emit = (kind: KernelEventKind, fields: Record<string, unknown>): void => {
		const event: TraceEvent = { kind, seq: events.length, t: live.system?.now ?? 0, ...fields };
		events.push(event);
		options.trace?.(JSON.stringify(event));
		onEvent?.(event);
	};
	const processNames = new Set(scenario.processes.map(p => p.name));
	/** The scenario process of a task id, if it is one of theirs. */
	const processOf = (taskId: string | undefined): string | undefined => {
		if (taskId === undefined) return undefined;
		const root = rootOf(taskId);
		return processNames.has(root) ? root : undefined;
	};
	const taskFields = (task: Task): Record<string, unknown> => {
		const process = processOf(task.id);
		return { task: task.id, pid: task.pid, ...(process === undefined ? {} : { process }) };
	};
	/** The running task, and the scenario process whose address space `mm` is (while loading: the one being loaded). */
	const mmFields = (mm: number): Record<string, unknown> => {
		const system = live.system;
		const running = system?.running ?? null;
		let owner = live.spawning;
		if (system !== undefined && owner === undefined) {
			// Fork copies PTEs into the child's mm before the child is a task: then the running task's process.
			for (const task of system.tasks.values()) {
				if (task.state === 'dead') continue;
				if (system.data.field(task.address, 'task_struct', 'mm', 8) === mm) {
					owner = processOf(task.id);
					if (owner !== undefined) break;
				}
			}
		}
		owner ??= processOf(running?.id);
		return { task: running?.id ?? null, ...(owner === undefined ? {} : { process: owner }) };
	};
	const kernelEvents: KernelEvents = {
		pteSet: (mm, va, old, value, site) => emit('pte-set', { ...mmFields(mm), mm: canonicalHex(mm), va: hex(va), old: hex(old), value: hex(value), site: siteOf(site) }),
		pteClear: (mm, va, old, site) => emit('pte-zap', { ...mmFields(mm), mm: canonicalHex(mm), va: hex(va), old: hex(old), site: siteOf(site) }),
		pageAlloc: () => undefined,
		pageFree: () => undefined,
		tlbFlush: (mm, start, end) => emit('tlb-flush', { ...mmFields(mm), mm: canonicalHex(mm), start: hex(start), end: Number.isFinite(end) ? hex(end) : 'all' }),
		bug: (task, message, site) => emit('bug', { task, ...(processOf(task) === undefined ? {} : { process: processOf(task) }), message, site: siteOf(site) }),
	};

	const processes = new Map<string, ProcessOutcome>();
	const staleMappings: string[] = [];
	const wantsStaleCheck = scenario.expect.some(e => e.kind === 'invariant' && e.invariant === 'no-stale-mapping');
	/** Kernel log records and lock reports already turned into events. */
	const seen = { log: 0, lockReports: 0 };
	let oopses = 0;
	let deadlocks = 0;
	/** Turns new kernel log oops lines and lock reports into events (at slice ends: the trace stays in order). */
	const collectKernelReports = (booted: BootedKernel): void => {
		const records = booted.log.records;
		for (; seen.log < records.length; seen.log++) {
			const record = records[seen.log];
			if (/^(BUG: |Oops)/.test(record.text)) {
				oopses++;
				const task = /^(.*)\/\d+$/.exec(record.task)?.[1] ?? record.task;
				emit('oops', { task, ...(processOf(task) === undefined ? {} : { process: processOf(task) }), message: record.text });
			}
		}
		for (; seen.lockReports < booted.lockReports.length; seen.lockReports++) {
			const lock = booted.lockReports[seen.lockReports];
			if (lock.kind === 'deadlock') deadlocks++;
			emit(lock.kind === 'deadlock' ? 'deadlock' : 'lockdep', { message: lock.title, text: lock.text });
		}
	};
	const systemEvents: SystemEvents = {
		sliceEnd: (cpu, task) => {
			const booted = live.booted;
			if (booted === undefined) return;
			collectKernelReports(booted);
			if (!wantsStaleCheck) return;
			for (const stale of staleTranslations(booted, cpu)) {
				staleMappings.push(`CPU ${cpu} after ${task.id}: ${stale}`);
				emit('invariant', { invariant: 'no-stale-mapping', cpu, ...taskFields(task), message: stale });
			}
		},
		fault: (task, address, errorCode, mode) => emit('fault', { ...taskFields(task), address: hex(address), errorCode, mode }),
		contextSwitch: (cpu, from, to) => emit('context-switch', { cpu, from: from?.id ?? null, to: to.id }),
		signalHandler: (task, sig) => emit('signal', { ...taskFields(task), signal: sig, name: signalName(sig), action: 'handler' }),
		exit: (task, status) => {
			if ((status & 0x7f) !== 0) emit('signal', { ...taskFields(task), signal: status & 0x7f, name: signalName(status & 0x7f), action: 'killed' });
		},
	};

	let booted: BootedKernel;
	try {
		booted = bootedMachine({ profile, kcRoot: options.kcRoot, cpus: scenario.machine.cpus, ramBytes: scenario.machine.ramBytes });
	} catch (error) {
		report(`faultline: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
		return exitInternalError;
	}
	booted.builtins!.host.setEvents(kernelEvents);
	live.booted = booted;
	seen.log = booted.log.records.length;
	seen.lockReports = booted.lockReports.length;
	const logStart = seen.log;
	const stdinOf = new Map<string, { data: Uint8Array; at: number }>();
	/** The scenario process that owns output and input of the thread group `tgid`. */
	const owner = (tgid: number): string | undefined => processOf(live.system?.task(tgid)?.id);
	const hostConsole = {
		write: (stream: number, bytes: Uint8Array, tgid: number): void => {
			const name = owner(tgid);
			const p = name === undefined ? undefined : processes.get(name);
			if (p !== undefined) (stream === 2 ? p.stderr : p.stdout).push(bytes.slice());
		},
		read: (_stream: number, max: number, tgid: number): Uint8Array => {
			const name = owner(tgid);
			const input = name === undefined ? undefined : stdinOf.get(name);
			if (input === undefined) return new Uint8Array(0);
			const chunk = input.data.subarray(input.at, input.at + max);
			input.at += chunk.length;
			return chunk;
		},
		isatty: (): boolean => false,
	};
	// Devices join the machine before the system starts (their models attach to it).
	const prepared = prepareDrivers(scenario, profile, booted);
	reportDiagnostics(prepared.diagnostics);
	if (prepared.diagnostics.some(d => d.severity === 'error')) return exitBadInput;
	// The policy is settled once the programs are built (markers name their statements); until then
	// the system runs nothing, so a placeholder stands in.
	const system = new System(booted, { policy: { kind: 'round-robin' }, ...(options.seed === undefined ? {} : { seed: options.seed }), events: systemEvents, console: hostConsole, devices: prepared.devices });
	live.system = system;

	// Drivers (modules), then the harness module that calls into them.
	const drivers = loadDrivers(system, prepared, booted.sources);
	reportDiagnostics(drivers.diagnostics);
	collectKernelReports(booted);
	if (drivers.diagnostics.some(d => d.severity === 'error')) return oopses > 0 ? exitKernelFailure : exitBadInput;
	const harness = harnessModule(scenario);
	reportDiagnostics(harness.diagnostics);
	if (harness.diagnostics.some(d => d.severity === 'error')) return exitBadInput;
	let harnessProgram: Program | undefined;
	if (harness.tasks.length > 0) {
		const loadedHarness = loadModule(system, { name: 'harness', units: [harness.file], sources: withFile(booted.sources, harness.file, harness.source) });
		reportDiagnostics(loadedHarness.diagnostics);
		if (loadedHarness.module === undefined) {
			report(`${options.file}: the harness calls do not link: does every driver they call define its sim_* function?\n`);
			return exitBadInput;
		}
		harnessProgram = loadedHarness.module.program;
	}

	// Programs.
	const builtins = userLibraryBuiltins(system);
	const diagnostics: Diagnostic[] = [];
	const programs = new Map<string, Program>();
	/** Each file is built once: processes running the same program share its (read-only) code. */
	const byPath = new Map<string, Program | undefined>();
	for (const [index, process] of scenario.processes.entries()) {
		const file = process.program.path;
		if (!byPath.has(file)) {
			const built = buildUserProgram(file, options.kcRoot, builtins);
			diagnostics.push(...built.diagnostics);
			byPath.set(file, built.diagnostics.some(d => d.severity === 'error') ? undefined : built.program);
			if (byPath.get(file) === undefined) {
				const why = built.libraryBroken ? 'does not link with the C library (a broken installation)' : 'does not compile';
				diagnostics.push({ severity: 'error', message: `processes[${index}].program: ${process.program.written} ${why}`, range: process.program.range });
			}
		}
		const program = byPath.get(file);
		if (program !== undefined) programs.set(process.name, program);
	}
	reportDiagnostics(diagnostics);
	if (diagnostics.some(d => d.severity === 'error')) return exitBadInput;

	// The schedule.
	const policy = policyOf(scenario, kcRoot, [...programs.values(), ...system.kernelPrograms()].map(program => ({ program })));
	if (Array.isArray(policy)) {
		reportDiagnostics(policy);
		return exitBadInput;
	}
	system.setPolicy(policy, options.seed);

	// Processes.
	for (const process of scenario.processes) {
		live.spawning = process.name;
		let task: Task;
		try {
			task = spawnProcess(system, { program: programs.get(process.name)!, argv: process.argv, comm: process.comm, taskId: process.name });
		} catch (error) {
			live.spawning = undefined;
			report(`${formatDiagnostic({ severity: 'error', message: `process ${process.name} cannot start: ${error instanceof Error ? error.message : String(error)}`, range: process.range })}\n`);
			return exitKernelFailure;
		}
		live.spawning = undefined;
		processes.set(process.name, { task, stdout: [], stderr: [] });
		stdinOf.set(process.name, { data: new TextEncoder().encode(process.stdin), at: 0 });
	}

	// Harness triggers.
	const triggers = harness.tasks.map(entry => ({ ...entry, fired: false, hits: 0, events: 0, stmts: [] as { program: Program; id: number }[] }));
	const fire = (trigger: (typeof triggers)[number]): void => {
		trigger.fired = true;
		for (const { program, id } of trigger.stmts) program.breakpoints[id] = 0;
		const pids = trigger.pidSlots.map(slot => [...system.tasks.values()].find(t => t.id === slot.taskId && t.state !== 'dead')?.pid ?? -1);
		const pid = Number(system.callKernel(harnessProgram!.functionByName(trigger.start)!.address, pids) ?? -1);
		const task = system.task(pid);
		if (task === undefined) {
			report(`${formatDiagnostic({ severity: 'error', message: `harness task ${trigger.task.name} could not start (${pid})`, range: trigger.task.range })}\n`);
			return;
		}
		system.runAlone(task, HARNESS_ALONE_BUDGET);
	};
	/** Breakpoints the statement triggers set (in shared programs: always cleared at the end). */
	const armed: { program: Program; id: number }[] = [];
	for (const trigger of triggers) {
		const at = trigger.task.at;
		if (at.kind !== 'statement') continue;
		const targets = [...programs.values(), ...system.kernelPrograms()].map(program => ({ program }));
		const resolved = resolveMarker(at.stmt, scenario, kcRoot, targets);
		if (typeof resolved === 'string') {
			reportDiagnostics([{ severity: 'error', message: `harness ${trigger.task.name}: ${resolved}`, range: at.stmt.range }]);
			return exitBadInput;
		}
		for (const { program } of targets) {
			for (const id of markerStatements(program, resolved)) {
				trigger.stmts.push({ program, id });
				armed.push({ program, id });
				program.breakpoints[id] = 1;
			}
		}
	}
	/** Event triggers count matching events as they are emitted and pause the machine at the N-th. */
	const pendingEventTriggers: (typeof triggers)[number][] = [];
	onEvent = event => {
		for (const trigger of triggers) {
			const at = trigger.task.at;
			if (trigger.fired || at.kind !== 'event' || at.event !== event.kind) continue;
			if (at.process !== undefined && event.process !== at.process) continue;
			if (at.addressRange !== undefined) {
				const address = typeof event.address === 'string' ? Number.parseInt(event.address, 16) : typeof event.va === 'string' ? Number.parseInt(event.va, 16) : NaN;
				if (!(address >= at.addressRange.start && address < at.addressRange.end)) continue;
			}
			trigger.events++;
			if (trigger.events === at.nth && !pendingEventTriggers.includes(trigger)) {
				pendingEventTriggers.push(trigger);
				system.requestPause();
			}
		}
	};

	// Run.
	let stop: SystemStop;
	const startTime = system.now;
	try {
		for (const trigger of triggers) if (trigger.task.at.kind === 'boot') fire(trigger);
		for (;;) {
			const used = system.now - startTime;
			let budget = scenario.limits.maxSteps - used;
			const stepTrigger = triggers.find(t => !t.fired && t.task.at.kind === 'step' && t.task.at.step <= used);
			if (stepTrigger !== undefined) {
				fire(stepTrigger);
				continue;
			}
			for (const t of triggers) if (!t.fired && t.task.at.kind === 'step') budget = Math.min(budget, t.task.at.step - used);
			if (budget <= 0) {
				stop = { kind: 'budget' };
				break;
			}
			stop = system.run(budget);
			if (stop.kind === 'paused') {
				for (const trigger of pendingEventTriggers.splice(0)) fire(trigger);
				continue;
			}
			if (stop.kind === 'breakpoint') {
				const hit = stop;
				const trigger = triggers.find(t => !t.fired && t.stmts.some(s => s.id === hit.stmt && s.program === hit.task.thread.top?.fn.program));
				if (trigger !== undefined) {
					const at = trigger.task.at as Extract<HarnessTask['at'], { kind: 'statement' }>;
					if (at.task === undefined || at.task === hit.task.id) trigger.hits++;
					if ((at.task === undefined || at.task === hit.task.id) && trigger.hits >= at.stmt.hit) fire(trigger);
					else system.resumeOverBreakpoint(hit.task);
					continue;
				}
				break;
			}
			if (stop.kind === 'budget' && system.now - startTime < scenario.limits.maxSteps) continue;
			break;
		}
	} catch (error) {
		// A host exception is a bug in Faultline, not in the scenario: say so, with what the kernel logged.
		collectKernelReports(booted);
		const log = booted.log.records.slice(logStart).map(r => `${r.text}\n`).join('');
		report(`${options.file}: internal error (a bug in Faultline) at simulated time ${system.now}: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n${log === '' ? '' : `kernel log:\n${log}`}`);
		return exitInternalError;
	} finally {
		for (const { program, id } of armed) program.breakpoints[id] = 0;
		onEvent = undefined;
	}
	collectKernelReports(booted);

	let status = 0;
	if (stop.kind === 'budget') {
		const message = `the run did not finish within ${scenario.limits.maxSteps} statements (limits.maxSteps); still running: ${system.alive().map(t => `${t.id} in ${whereIs(t)}`).join(', ')}`;
		reportDiagnostics([{ severity: 'error', message, range: keyRange(scenario.file, 'maxSteps') }]);
		status = exitExpectationFailed;
	} else if (stop.kind === 'stalled') {
		deadlocks++;
		const tasks = stop.tasks.map(t => ({ task: system.task(t.pid)?.id ?? String(t.pid), pid: t.pid, where: t.where }));
		emit('deadlock', { message: 'no task can run', tasks });
		report(`${options.file}: deadlock: tasks are alive but none can run:\n${tasks.map(t => `  ${t.task} (pid ${t.pid}) in ${t.where}`).join('\n')}\n`);
	} else if (stop.kind === 'breakpoint') {
		report(`${options.file}: the run stopped at a breakpoint\n`);
		status = exitExpectationFailed;
	}
	const bugs = events.filter(e => e.kind === 'bug').length;
	if (oopses > 0 || bugs > 0 || deadlocks > 0) {
		const log = booted.log.records.slice(logStart).map(r => `${r.text}\n`).join('');
		if (log !== '') report(`kernel log:\n${log}`);
		status = exitKernelFailure;
	}

	// Expectations.
	const failures: string[] = [];
	for (const expectation of scenario.expect) {
		if (expectation.profiles !== undefined && !expectation.profiles.includes(loaded.profile.name)) continue;
		const failure = check(expectation, processes, events, booted, staleMappings);
		if (failure !== undefined) {
			failures.push(failure);
			report(`${formatDiagnostic({ severity: 'error', message: `expectation failed: ${failure}`, range: expectation.range })}\n`);
		}
	}
	if (failures.length > 0) {
		report(`${options.file}: ${failures.length} of ${scenario.expect.length} expectations failed\n`);
		if (status === 0) status = exitExpectationFailed;
	}
	return status;
}

/** Translations a CPU's TLB holds that its page tables no longer give (a missing flush). */
function staleTranslations(booted: BootedKernel, cpu: number): string[] {
	const mmu = booted.machine.cpus[cpu].mmu;
	const stale: string[] = [];
	for (const entry of mmu.tlbEntries()) {
		const walk = mmu.probe(entry.va);
		if (walk.physicalAddress === null) {
			stale.push(`${hex(entry.va)} -> pfn ${hex(entry.pfn)} is cached but not mapped`);
		} else if (Math.floor(walk.physicalAddress / 4096) !== entry.pfn) {
			stale.push(`${hex(entry.va)} -> pfn ${hex(entry.pfn)} is cached but maps pfn ${hex(Math.floor(walk.physicalAddress / 4096))}`);
		} else if (entry.writable && !walk.writable) {
			stale.push(`${hex(entry.va)} is cached writable but mapped read-only`);
		}
	}
	return stale;
}
