// `faultline run SCENARIO`: runs a scenario headless on the simulated machine (layer: sim). Loads
// and checks the scenario, boots (or restores) the kernel of its profile with its RAM and CPUs,
// builds and starts each process, runs the scheduler the scenario asks for until every task has
// ended (or `limits.maxSteps` statements), writes the trace, and checks the expectations.
//
// Exit status (BRIEF 2.4): 0 when the run finishes and every expectation holds; 1 when one fails
// (or the run does not finish within its limit); 2 for bad input (the scenario, a program that does
// not compile); 3 when the kernel panics, hits a BUG or oops, or deadlocks.
//
// Trace (`--trace`): one JSON object per line, in execution order, each with `seq` and `t` (simulated
// time: statements executed so far by all CPUs, as of the slice the event happened in) and a
// `kind` from the scenario schema's event kinds: fault, pte-set, pte-zap, tlb-flush,
// context-switch, signal, bug, oops, lockdep, deadlock.
//
// Not yet: drivers and device regions (issue 4), harness tasks, `maxTime`; a scenario that uses
// them is refused with a clear message (exit 2).

import { formatDiagnostic, type Diagnostic } from '../lang/source';
import type { Value } from '../interp/contracts';
import { canonicalHex, type KernelEvents, type KernelSite } from '../kernel/builtins';
import { System, type SystemEvents, type SystemStop, type Task } from '../kernel/proc/system';
import { spawnProcess } from '../kernel/proc/exec';
import type { PolicyConfig, ScheduleStep, StatementMarker } from '../kernel/sched/policy';
import { bootedMachine } from './machine';
import { loadScenario } from './scenario/load';
import { findPoints } from './scenario/markers';
import type { EventExpectation, Expectation, KernelEventKind, Scenario, ScenarioMarker, TextMatcher } from './scenario/types';
import { buildUserProgram } from './userProgram';
import { checkInvariants, type InvariantCheck } from '../kernel/inspect/invariants';
import type { BootedKernel } from '../kernel/boot';
import { userLibraryBuiltins } from './userLibrary';
import * as fs from 'node:fs';

/** Options of runScenario. */
export interface RunScenarioOptions {
	readonly file: string;
	readonly seed?: number;
	readonly profile?: string;
	readonly kcRoot: string;
	/** Receives each trace line (JSON, no newline). */
	readonly trace?: (line: string) => void;
	/** Messages for the user (diagnostics, expectation results). */
	readonly report: (text: string) => void;
}

export const exitExpectationFailed = 1;
export const exitBadInput = 2;
export const exitKernelFailure = 3;

const SIGNALS: Readonly<Record<string, number>> = {
	SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGILL: 4, SIGTRAP: 5, SIGABRT: 6, SIGBUS: 7, SIGFPE: 8, SIGKILL: 9, SIGUSR1: 10,
	SIGSEGV: 11, SIGUSR2: 12, SIGPIPE: 13, SIGALRM: 14, SIGTERM: 15, SIGCHLD: 17, SIGCONT: 18, SIGSTOP: 19,
};

/** One trace event. */
interface TraceEvent {
	readonly kind: KernelEventKind;
	readonly seq: number;
	readonly t: number;
	readonly [key: string]: unknown;
}

/** What one process did, for expectations. */
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

/** Resolves a scenario marker into a scheduler marker (a `@point` becomes its line). */
function toMarker(marker: ScenarioMarker, scenario: Scenario): StatementMarker {
	let line = marker.line;
	if (marker.point !== undefined && marker.file !== undefined) {
		const candidates = [marker.file, `${scenario.folder}/${marker.file}`];
		for (const file of candidates) {
			let text: string | undefined;
			try {
				text = fs.readFileSync(file, 'utf8');
			} catch {
				text = undefined;
			}
			const found = text === undefined ? undefined : findPoints(text).find(p => p.name === marker.point);
			if (found?.line !== undefined) {
				line = found.line;
				break;
			}
		}
	}
	return {
		...(marker.file === undefined ? {} : { file: marker.file }),
		...(line === undefined ? {} : { line }),
		...(marker.fn === undefined ? {} : { fn: marker.fn }),
		hit: marker.hit,
	};
}

function policyOf(scenario: Scenario, seed: number | undefined): PolicyConfig {
	const schedule = scenario.schedule;
	if (schedule.kind !== 'explicit') return schedule.kind === 'random' && seed !== undefined ? { ...schedule, seed } : schedule;
	const steps: ScheduleStep[] = schedule.steps.map(step => ({
		task: step.task,
		...(step.cpu === undefined ? {} : { cpu: step.cpu }),
		...(step.until === undefined ? {} : { until: { ...(step.until.stmt === undefined ? {} : { stmt: toMarker(step.until.stmt, scenario) }), ...(step.until.count === undefined ? {} : { count: step.until.count }) } }),
	}));
	return { kind: 'explicit', steps, then: schedule.then };
}

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
	return matcher.kind === 'regex' ? `/${matcher.regex}/${matcher.flags}` : JSON.stringify(matcher.text);
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

const decoder = new TextDecoder('latin1');

function joined(chunks: readonly Uint8Array[]): string {
	return chunks.map(c => decoder.decode(c)).join('');
}

/** Runs the scenario; see the header for the exit status. */
export function runScenario(options: RunScenarioOptions): number {
	const report = options.report;
	const loaded = loadScenario(options.file, { ...(options.profile === undefined ? {} : { profile: options.profile }), kcRoot: options.kcRoot });
	for (const d of loaded.diagnostics) report(`${formatDiagnostic(d)}\n`);
	const scenario = loaded.scenario;
	const profile = loaded.profile;
	if (scenario === undefined || profile === undefined || loaded.diagnostics.some(d => d.severity === 'error')) return exitBadInput;
	const unsupported: string[] = [];
	if (scenario.drivers.length > 0) unsupported.push(`drivers (${scenario.drivers.map(d => d.name).join(', ')})`);
	if (scenario.harness.length > 0) unsupported.push('harness tasks');
	if (scenario.machine.regions.length > 0) unsupported.push('device regions');
	if (unsupported.length > 0) {
		report(`${options.file}: this version of Faultline cannot run scenarios with ${unsupported.join(', ')} yet\n`);
		return exitBadInput;
	}
	if (profile.os !== 'linux') {
		report(`${options.file}: profile ${profile.name}: only Linux kernels run processes in this version\n`);
		return exitBadInput;
	}

	// The trace.
	const events: TraceEvent[] = [];
	/** Set once the machine exists (the event sinks are made before it). */
	const live: { system?: System; booted?: BootedKernel } = {};
	const emit = (kind: KernelEventKind, fields: Record<string, unknown>): void => {
		const event: TraceEvent = { kind, seq: events.length, t: live.system?.now ?? 0, ...fields };
		events.push(event);
		options.trace?.(JSON.stringify(event));
	};
	const kernelEvents: KernelEvents = {
		pteSet: (mm, va, old, value, site) => emit('pte-set', { mm: canonicalHex(mm), va: hex(va), old: hex(old), value: hex(value), site: siteOf(site) }),
		pteClear: (mm, va, old, site) => emit('pte-zap', { mm: canonicalHex(mm), va: hex(va), old: hex(old), site: siteOf(site) }),
		pageAlloc: () => undefined,
		pageFree: () => undefined,
		tlbFlush: (mm, start, end) => emit('tlb-flush', { mm: canonicalHex(mm), start: hex(start), end: Number.isFinite(end) ? hex(end) : 'all' }),
		bug: (task, message, site) => emit('bug', { task, message, site: siteOf(site) }),
	};
	const processes = new Map<number, ProcessOutcome>();
	const staleMappings: string[] = [];
	const wantsStaleCheck = scenario.expect.some(e => e.kind === 'invariant' && e.invariant === 'no-stale-mapping');
	const systemEvents: SystemEvents = {
		sliceEnd: (cpu, task) => {
			if (!wantsStaleCheck || live.booted === undefined) return;
			for (const stale of staleTranslations(live.booted, cpu)) {
				staleMappings.push(`CPU ${cpu} after ${task.id}: ${stale}`);
				emit('invariant', { invariant: 'no-stale-mapping', cpu, task: task.id, message: stale });
			}
		},
		fault: (task, address, errorCode, mode) => emit('fault', { task: task.id, pid: task.pid, address: hex(address), errorCode, mode }),
		contextSwitch: (cpu, from, to) => emit('context-switch', { cpu, from: from?.id ?? null, to: to.id }),
		signalHandler: (task, sig) => emit('signal', { task: task.id, pid: task.pid, signal: sig, action: 'handler' }),
		exit: (task, status) => {
			if ((status & 0x7f) !== 0) emit('signal', { task: task.id, pid: task.pid, signal: status & 0x7f, action: 'killed' });
		},
	};

	let booted;
	try {
		booted = bootedMachine({ profile, kcRoot: options.kcRoot, cpus: scenario.machine.cpus, ramBytes: scenario.machine.ramBytes });
	} catch (error) {
		report(`faultline: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
		return 70;
	}
	booted.builtins!.host.setEvents(kernelEvents);
	live.booted = booted;
	const stdinOf = new Map<number, { data: Uint8Array; at: number }>();
	const system = new System(booted, {
		policy: policyOf(scenario, options.seed),
		...(options.seed === undefined ? {} : { seed: options.seed }),
		events: systemEvents,
		console: {
			write: (stream, bytes, pid) => {
				const p = processes.get(pid) ?? [...processes.values()].find(o => o.task.tgid === pid);
				if (p !== undefined) (stream === 1 ? p.stdout : p.stderr).push(bytes.slice());
			},
			read: (_stream, max, pid) => {
				const input = stdinOf.get(pid);
				if (input === undefined) return new Uint8Array(0);
				const chunk = input.data.subarray(input.at, input.at + max);
				input.at += chunk.length;
				return chunk;
			},
			isatty: () => false,
		},
	});
	live.system = system;

	// Processes.
	const builtins = userLibraryBuiltins(system);
	const diagnostics: Diagnostic[] = [];
	const byName = new Map<string, ProcessOutcome>();
	for (const process of scenario.processes) {
		const built = buildUserProgram(process.program.path, options.kcRoot, builtins);
		diagnostics.push(...built.diagnostics);
		if (built.program === undefined) continue;
		const task = spawnProcess(system, { program: built.program, argv: process.argv, comm: process.comm, taskId: process.name });
		const outcome: ProcessOutcome = { task, stdout: [], stderr: [] };
		processes.set(task.tgid, outcome);
		byName.set(process.name, outcome);
		stdinOf.set(task.tgid, { data: new TextEncoder().encode(process.stdin), at: 0 });
	}
	for (const d of diagnostics) report(`${formatDiagnostic(d)}\n`);
	if (diagnostics.some(d => d.severity === 'error')) return exitBadInput;

	// Run.
	const stop: SystemStop = system.run(scenario.limits.maxSteps);
	for (const lock of booted.lockReports) emit(lock.kind === 'deadlock' ? 'deadlock' : 'lockdep', { message: lock.title, text: lock.text });
	const oopses = booted.log.records.filter(r => /^(BUG|kernel BUG|Oops)/.test(r.text));
	for (const o of oopses) emit('oops', { task: o.task, message: o.text.split('\n')[0] });

	let status = 0;
	if (stop.kind === 'budget') {
		report(`${options.file}: the run did not finish within ${scenario.limits.maxSteps} statements\n`);
		status = exitExpectationFailed;
	} else if (stop.kind === 'stalled') {
		report(`${options.file}: no task can run:\n${stop.tasks.map(t => `  ${t.name}/${t.pid} in ${t.where}`).join('\n')}\n`);
		status = exitKernelFailure;
	} else if (stop.kind === 'breakpoint') {
		status = exitExpectationFailed;
	}
	if (oopses.length > 0 || booted.lockReports.some(r => r.kind === 'deadlock')) {
		report(booted.log.text());
		status = exitKernelFailure;
	}

	// Expectations.
	for (const expectation of scenario.expect) {
		if (expectation.profiles !== undefined && !expectation.profiles.includes(profile.name)) continue;
		const failure = check(expectation, byName, events, booted, staleMappings);
		if (failure !== undefined) {
			report(`${formatDiagnostic({ severity: 'error', message: `expectation failed: ${failure}`, range: expectation.range })}\n`);
			if (status === 0) status = exitExpectationFailed;
		}
	}
	return status;
}

/** Why an expectation does not hold, or undefined when it does. */
function check(expectation: Expectation, byName: ReadonlyMap<string, ProcessOutcome>, events: readonly TraceEvent[], booted: BootedKernel, staleMappings: readonly string[]): string | undefined {
	switch (expectation.kind) {
		case 'outcome': {
			const p = byName.get(expectation.process);
			if (p === undefined) return `process ${expectation.process} did not start`;
			const code = p.task.exitCode;
			if (code === undefined) return `process ${expectation.process} did not end`;
			const signal = code & 0x7f;
			if (expectation.exit !== undefined && (signal !== 0 || (code >> 8) !== expectation.exit)) {
				return `process ${expectation.process} ${signal !== 0 ? `was killed by signal ${signal}` : `exited with ${code >> 8}`}, expected exit ${expectation.exit}`;
			}
			if (expectation.signal !== undefined && signal !== SIGNALS[expectation.signal]) {
				return `process ${expectation.process} ${signal !== 0 ? `was killed by signal ${signal}` : `exited with ${code >> 8}`}, expected ${expectation.signal}`;
			}
			if (expectation.stdout !== undefined && !matches(expectation.stdout, joined(p.stdout))) {
				return `stdout of ${expectation.process} does not match ${describeMatcher(expectation.stdout)}: ${JSON.stringify(joined(p.stdout))}`;
			}
			if (expectation.stderr !== undefined && !matches(expectation.stderr, joined(p.stderr))) {
				return `stderr of ${expectation.process} does not match ${describeMatcher(expectation.stderr)}: ${JSON.stringify(joined(p.stderr))}`;
			}
			return undefined;
		}
		case 'event': {
			const selected = events.filter(e => {
				if (e.kind !== expectation.event) return false;
				if (expectation.process !== undefined && e.task !== expectation.process && !String(e.task ?? '').startsWith(`${expectation.process}.`)) return false;
				if (expectation.signal !== undefined && e.signal !== SIGNALS[expectation.signal]) return false;
				const text = JSON.stringify(e);
				if (expectation.match !== undefined && !text.includes(expectation.match)) return false;
				if (expectation.regex !== undefined && !new RegExp(expectation.regex).test(text)) return false;
				return true;
			});
			if (expectation.backing !== undefined || expectation.mapping !== undefined) return 'event filters by backing or mapping need the device model (not available yet)';
			return countHolds(selected.length, expectation.count) ? undefined : `${selected.length} ${expectation.event} events, expected ${expectation.count.op} ${expectation.count.value}`;
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
			return holds ? `invariant ${expectation.invariant} holds, expected a violation` : `invariant ${expectation.invariant} violated: ${problems.slice(0, 5).join('; ')}`;
		}
	}
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
