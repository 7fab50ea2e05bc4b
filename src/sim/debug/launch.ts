// Building the machine a debug session runs (layer: sim): one KC user program on the default
// machine (as `faultline exec` runs it), or a scenario (as `faultline run` sets it up: profile and
// kernel configuration, machine size, drivers as modules, boot-time harness tasks, the programs, the
// schedule with its statement markers resolved, the processes). The result is a System stopped
// before its first statement, with the debugger's event sinks attached.
//
// Harness tasks triggered at boot run here, before the first statement. The others (a statement, a
// step count, an event) are handed to the engine as `triggers`, their statement markers resolved:
// the engine fires them as the run reaches them (see engine.ts, "Harness triggers").
//
// Scenario features `faultline run` refuses are refused here too with a message naming them
// (`limits.maxTime`; a process's env or pid), never silently dropped.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { formatDiagnostic, type Diagnostic } from '../../lang/source';
import type { Program } from '../../interp/program';
import type { BootedKernel } from '../../kernel/boot';
import type { HostConsole, KernelEvents } from '../../kernel/builtins';
import { spawnProcess } from '../../kernel/proc/exec';
import { loadModule } from '../../kernel/proc/modules';
import { System, type SystemEvents, type Task } from '../../kernel/proc/system';
import type { PolicyConfig, ScheduleStep, StatementMarker } from '../../kernel/sched/policy';
import { bootedMachine } from '../machine';
import { configuredProfile, HARNESS_ALONE_BUDGET, markerStatements } from '../run';
import { defaultProfile, findProfile, profiles, type KernelProfile } from '../profiles';
import { diskFiles, loadScenario } from '../scenario/load';
import { findPoints } from '../scenario/markers';
import { resolvePath } from '../scenario/paths';
import type { HarnessTrigger, Scenario, ScenarioMarker } from '../scenario/types';
import { harnessModule, loadDrivers, prepareDrivers, withFile } from '../scenarioDrivers';
import { userLibraryBuiltins } from '../userLibrary';
import { buildUserProgram } from '../userProgram';

/** What the debugger launches. Exactly one of `program` and `scenario`. */
export interface LaunchRequest {
	readonly program?: string;
	readonly args?: readonly string[];
	readonly scenario?: string;
	readonly profile?: string;
	readonly seed?: number;
	readonly kcRoot: string;
}

/** The debugger's sinks, attached before anything runs. */
export interface LaunchSinks {
	readonly console: HostConsole;
	readonly systemEvents: SystemEvents;
	readonly kernelEvents: KernelEvents;
}

/** A machine ready to run. */
export interface LaunchedMachine {
	readonly system: System;
	readonly booted: BootedKernel;
	readonly profile: KernelProfile;
	/** The user programs, one per distinct file. */
	readonly programs: readonly Program[];
	/** The processes started, in order (scenario name or program name, and task). */
	readonly processes: readonly { readonly name: string; readonly task: Task; readonly program: Program }[];
	/** The scenario, when one was launched. */
	readonly scenario?: Scenario;
	/** The scenario's harness tasks that fire after launch (statement, step or event triggers), in scenario order. */
	readonly triggers: readonly LaunchedTrigger[];
}

/** A harness task the engine fires when the run reaches its trigger. */
export interface LaunchedTrigger {
	/** The harness task's name in the scenario. */
	readonly name: string;
	readonly at: Exclude<HarnessTrigger, { kind: 'boot' }>;
	/** For a statement trigger: the statements (of user and kernel programs) its marker names. */
	readonly stmts: readonly { readonly program: Program; readonly stmt: number }[];
	/** Statements the task runs alone once started (then it is scheduled like any task). */
	readonly aloneBudget: number;
	/** Starts the harness task (a kernel thread); returns it, or why it could not start. Deterministic. */
	readonly start: () => Task | string;
}

/** A launch result: the machine, or the messages that say why not (compiler diagnostics formatted). */
export type LaunchResult = { readonly machine: LaunchedMachine; readonly warnings: readonly string[] } | { readonly errors: readonly string[] };

/** Builds the machine for `request`. Never throws for bad input. */
export function launchMachine(request: LaunchRequest, sinks: LaunchSinks): LaunchResult {
	if ((request.program === undefined) === (request.scenario === undefined)) return { errors: ['launch: give exactly one of "program" and "scenario"'] };
	try {
		return request.program !== undefined ? launchProgram(request, request.program, sinks) : launchScenario(request, request.scenario!, sinks);
	} catch (error) {
		return { errors: [`launch: internal error: ${error instanceof Error ? error.stack ?? error.message : String(error)}`] };
	}
}

function errorsOf(diagnostics: readonly Diagnostic[]): string[] {
	return diagnostics.filter(d => d.severity === 'error').map(formatDiagnostic);
}

function warningsOf(diagnostics: readonly Diagnostic[]): string[] {
	return diagnostics.filter(d => d.severity !== 'error').map(formatDiagnostic);
}

function launchProgram(request: LaunchRequest, file: string, sinks: LaunchSinks): LaunchResult {
	const profile = request.profile === undefined ? defaultProfile : findProfile(request.profile);
	if (profile === undefined) return { errors: [`unknown profile '${request.profile}' (known: ${profiles.map(p => p.name).join(', ')})`] };
	if (profile.os !== 'linux') return { errors: [`profile ${profile.name} runs no processes in this version (use a linux-* profile)`] };
	const absolute = path.resolve(file);
	if (!fs.existsSync(absolute)) return { errors: [`${file}: no such file`] };
	const booted = bootedMachine({ profile, kcRoot: request.kcRoot });
	booted.builtins!.host.setEvents(sinks.kernelEvents);
	const system = new System(booted, { console: sinks.console, events: sinks.systemEvents, ...(request.seed === undefined ? {} : { seed: request.seed }) });
	const built = buildUserProgram(absolute, request.kcRoot, userLibraryBuiltins(system));
	const errors = errorsOf(built.diagnostics);
	if (built.program === undefined || errors.length > 0) return { errors: errors.length > 0 ? errors : [`${file} does not link`] };
	if (built.program.functionByName('main')?.kind !== 'kc') return { errors: [`${file}: undefined reference to 'main'`] };
	const task = spawnProcess(system, { program: built.program, argv: [file, ...(request.args ?? [])] });
	return {
		machine: { system, booted, profile, programs: [built.program], processes: [{ name: path.basename(file), task, program: built.program }], triggers: [] },
		warnings: warningsOf(built.diagnostics),
	};
}

function launchScenario(request: LaunchRequest, file: string, sinks: LaunchSinks): LaunchResult {
	const loaded = loadScenario(file, { ...(request.profile === undefined ? {} : { profile: request.profile }), kcRoot: request.kcRoot });
	const scenario = loaded.scenario;
	if (scenario === undefined || loaded.profile === undefined || loaded.diagnostics.some(d => d.severity === 'error')) {
		return { errors: errorsOf(loaded.diagnostics).length > 0 ? errorsOf(loaded.diagnostics) : [`${file}: not a scenario`] };
	}
	const refused: string[] = [];
	if (scenario.limits.maxTimeNs !== undefined) refused.push(`${file}: limits.maxTime: the debugger cannot run it yet`);
	scenario.processes.forEach((p, i) => {
		if (p.env.length > 0) refused.push(`${file}: processes[${i}].env: the debugger cannot run it yet`);
		if (p.pid !== undefined) refused.push(`${file}: processes[${i}].pid: the kernel assigns process ids`);
	});
	if (refused.length > 0) return { errors: refused };
	const profile = configuredProfile(loaded.profile, scenario.kernel.config);
	const booted = bootedMachine({ profile, kcRoot: request.kcRoot, cpus: scenario.machine.cpus, ramBytes: scenario.machine.ramBytes });
	booted.builtins!.host.setEvents(sinks.kernelEvents);
	const prepared = prepareDrivers(scenario, profile, booted);
	const warnings = warningsOf([...loaded.diagnostics, ...prepared.diagnostics]);
	if (prepared.diagnostics.some(d => d.severity === 'error')) return { errors: errorsOf(prepared.diagnostics) };
	const seed = request.seed;
	const system = new System(booted, { policy: { kind: 'round-robin' }, ...(seed === undefined ? {} : { seed }), events: sinks.systemEvents, console: sinks.console, devices: prepared.devices });
	const drivers = loadDrivers(system, prepared, booted.sources);
	if (drivers.diagnostics.some(d => d.severity === 'error')) return { errors: errorsOf(drivers.diagnostics) };
	const harness = harnessModule(scenario);
	if (harness.diagnostics.some(d => d.severity === 'error')) return { errors: errorsOf(harness.diagnostics) };
	let harnessProgram: Program | undefined;
	if (harness.tasks.length > 0) {
		const loadedHarness = loadModule(system, { name: 'harness', units: [harness.file], sources: withFile(booted.sources, harness.file, harness.source) });
		if (loadedHarness.module === undefined) return { errors: [...errorsOf(loadedHarness.diagnostics), `${file}: the harness calls do not link`] };
		harnessProgram = loadedHarness.module.program;
	}
	// Programs, one build per file.
	const builtins = userLibraryBuiltins(system);
	const byPath = new Map<string, Program>();
	const errors: string[] = [];
	for (const process of scenario.processes) {
		const source = process.program.path;
		if (byPath.has(source)) continue;
		const built = buildUserProgram(source, request.kcRoot, builtins);
		errors.push(...errorsOf(built.diagnostics));
		warnings.push(...warningsOf(built.diagnostics));
		if (built.program !== undefined) byPath.set(source, built.program);
	}
	if (errors.length > 0) return { errors };
	const policy = scenarioPolicy(scenario, request.kcRoot, [...byPath.values(), ...system.kernelPrograms()]);
	if (typeof policy === 'string') return { errors: [policy] };
	system.setPolicy(policy, seed);
	const processes: { name: string; task: Task; program: Program }[] = [];
	for (const process of scenario.processes) {
		const program = byPath.get(process.program.path)!;
		try {
			const task = spawnProcess(system, { program, argv: process.argv, comm: process.comm, taskId: process.name });
			processes.push({ name: process.name, task, program });
		} catch (error) {
			return { errors: [`process ${process.name} cannot start: ${error instanceof Error ? error.message : String(error)}`] };
		}
	}
	// Harness tasks: the boot-time ones run alone before anything else, as under `faultline run`; the
	// others go to the engine with their markers resolved.
	const triggers: LaunchedTrigger[] = [];
	for (const entry of harness.tasks) {
		const start = (): Task | string => {
			const pids = entry.pidSlots.map(slot => [...system.tasks.values()].find(t => t.id === slot.taskId && t.state !== 'dead')?.pid ?? -1);
			const pid = Number(system.callKernel(harnessProgram!.functionByName(entry.start)!.address, pids) ?? -1);
			return system.task(pid) ?? `harness task ${entry.task.name} could not start (${pid})`;
		};
		const at = entry.task.at;
		if (at.kind === 'boot') {
			const task = start();
			if (typeof task === 'string') return { errors: [task] };
			system.runAlone(task, HARNESS_ALONE_BUDGET);
			continue;
		}
		const stmts: { program: Program; stmt: number }[] = [];
		if (at.kind === 'statement') {
			const targets = [...byPath.values(), ...system.kernelPrograms()];
			const resolved = resolveMarker(at.stmt, scenario, request.kcRoot, targets);
			if (typeof resolved === 'string') return { errors: [formatDiagnostic({ severity: 'error', message: `harness ${entry.task.name}: ${resolved}`, range: at.stmt.range })] };
			for (const program of targets) for (const stmt of markerStatements(program, resolved)) stmts.push({ program, stmt });
		}
		triggers.push({ name: entry.task.name, at, stmts, aloneBudget: HARNESS_ALONE_BUDGET, start });
	}
	return { machine: { system, booted, profile, programs: [...byPath.values()], processes, scenario, triggers }, warnings };
}

// ---- Schedule markers ---------------------------------------------------------------------------------

function slashes(file: string): string {
	return file.replace(/\\/g, '/').replace(/^\.\//, '');
}

function sameFile(a: string, b: string): boolean {
	const x = slashes(a);
	const y = slashes(b);
	return x === y || x.endsWith(`/${y}`) || y.endsWith(`/${x}`);
}

/** The scheduler's configuration of the scenario, statement markers resolved against `programs`; or a message. */
function scenarioPolicy(scenario: Scenario, kcRoot: string, programs: readonly Program[]): PolicyConfig | string {
	const schedule = scenario.schedule;
	if (schedule.kind !== 'explicit') return schedule;
	const steps: ScheduleStep[] = [];
	for (const step of schedule.steps) {
		let stmt: StatementMarker | undefined;
		if (step.until?.stmt !== undefined) {
			const resolved = resolveMarker(step.until.stmt, scenario, kcRoot, programs);
			if (typeof resolved === 'string') return `${formatDiagnostic({ severity: 'error', message: `${step.until.stmt.where}: ${resolved}`, range: step.until.stmt.range })}`;
			stmt = resolved;
		}
		const until = step.until === undefined ? undefined : { ...(stmt === undefined ? {} : { stmt }), ...(step.until.count === undefined ? {} : { count: step.until.count }) };
		steps.push({ task: step.task, ...(step.cpu === undefined ? {} : { cpu: step.cpu }), ...(until === undefined ? {} : { until }) });
	}
	return { kind: 'explicit', steps, then: schedule.then };
}

/** A marker in the scheduler's form: `file:point` becomes the first statement line at or after the point. */
function resolveMarker(marker: ScenarioMarker, scenario: Scenario, kcRoot: string, programs: readonly Program[]): StatementMarker | string {
	const result: { file?: string; line?: number; fn?: string; hit: number } = { hit: marker.hit };
	if (marker.fn !== undefined) {
		if (!programs.some(p => p.statements.some(s => s.fn === marker.fn))) return `no compiled function ${marker.fn}()`;
		result.fn = marker.fn;
	}
	if (marker.file === undefined) return result;
	let file = marker.file;
	let wanted = marker.line;
	if (marker.point !== undefined) {
		const candidates = [
			...scenario.processes.map(p => p.program.path).filter(p => sameFile(p, marker.file!)),
			resolvePath(scenario.folder, marker.file),
			...diskFiles(kcRoot).shipped(marker.file),
		];
		for (const candidate of candidates) {
			let text: string | undefined;
			try {
				text = fs.readFileSync(candidate, 'utf8');
			} catch {
				text = undefined;
			}
			const point = text === undefined ? undefined : findPoints(text).find(p => p.name === marker.point);
			if (point?.line !== undefined) {
				wanted = point.line;
				file = candidate;
				break;
			}
		}
		if (wanted === undefined) return `no "// @point: ${marker.point}" comment in ${marker.file}`;
	}
	let best: { file: string; line: number } | undefined;
	for (const program of programs) {
		for (const statement of program.statements) {
			if (!sameFile(statement.range.file, file)) continue;
			const line = statement.range.line;
			if (marker.point !== undefined ? line >= wanted! && (best === undefined || line < best.line) : wanted === undefined || line === wanted) {
				best = { file: statement.range.file, line };
			}
		}
	}
	if (best === undefined) return `no statement ${wanted === undefined ? 'in' : `at line ${wanted} of`} ${marker.file}`;
	result.file = best.file;
	if (wanted !== undefined) result.line = best.line;
	return result;
}
