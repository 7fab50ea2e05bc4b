// From a loaded scenario to what a run on one profile needs (layer: sim, pure): the profile itself
// (from src/sim/profiles.ts, possibly overridden by `--profile`), the macros kernel and driver
// sources are compiled with, the expectations that apply on that profile, and the scheduler's
// `PolicyConfig` once the runner can turn markers into source locations.

import type { PolicyConfig, ScheduleStep, StatementMarker } from '../../kernel/sched/policy';
import type { Diagnostic } from '../../lang/source';
import { findProfile, profiles, type KernelProfile } from '../profiles';
import type { ConfigValue, Expectation, Scenario, ScenarioDriver, ScenarioMarker, ScenarioSchedule } from './types';

/**
 * The profile a run uses: `override` (from `--profile`) or the scenario's own. An unknown
 * override is an error; one the scenario does not list among its `profiles` is a warning (the run
 * goes ahead, and expectations restricted to other profiles do not apply).
 */
export function resolveProfile(scenario: Scenario, override?: string): { readonly profile?: KernelProfile; readonly diagnostics: readonly Diagnostic[] } {
	const name = override ?? scenario.kernel.profile;
	const profile = findProfile(name);
	const range = scenario.kernel.range;
	if (profile === undefined) {
		return {
			diagnostics: [{ severity: 'error', message: `unknown profile ${JSON.stringify(name)} (known: ${profiles.map(p => p.name).join(', ')})`, range }],
		};
	}
	if (override !== undefined && scenario.kernel.profilesListed && !scenario.kernel.profiles.includes(override)) {
		return {
			profile,
			diagnostics: [{ severity: 'warning', message: `scenario ${JSON.stringify(scenario.name)} is meant for ${scenario.kernel.profiles.join(', ')}, not ${override}`, range }],
		};
	}
	return { profile, diagnostics: [] };
}

/** A config value as a macro body: true is 1, a number its decimal text, a string a C string literal; false is undefined. */
function macroValue(value: ConfigValue): string | undefined {
	if (typeof value === 'boolean') {
		return value ? '1' : undefined;
	}
	return typeof value === 'number' ? String(value) : JSON.stringify(value);
}

/** The macros for compiling kernel and driver sources: the profile's, then the scenario's config overrides. */
export function kernelDefines(profile: KernelProfile, config: Readonly<Record<string, ConfigValue>>): Record<string, string> {
	const defines: Record<string, string> = { ...profile.defines };
	for (const [name, value] of Object.entries(config)) {
		const body = macroValue(value);
		if (body === undefined) {
			delete defines[name];
		} else {
			defines[name] = body;
		}
	}
	return defines;
}

/** True when something restricted to `restriction` applies on `profile`. */
function appliesOn(restriction: readonly string[] | undefined, profile: string): boolean {
	return restriction === undefined || restriction.includes(profile);
}

/** The expectations that apply when the scenario runs on `profile`. */
export function expectationsFor(scenario: Scenario, profile: string): Expectation[] {
	return scenario.expect.filter(e => appliesOn(e.profiles, profile));
}

/** The drivers loaded when the scenario runs on `profile`, in load order. */
export function driversFor(scenario: Scenario, profile: string): ScenarioDriver[] {
	return scenario.drivers.filter(d => appliesOn(d.profiles, profile));
}

/**
 * The scheduler's configuration for a scenario's schedule. `locate` turns a scenario marker into
 * the scheduler's (a named point into its file and line); it is the runner's, which has the sources.
 */
export function toPolicyConfig(schedule: ScenarioSchedule, locate: (marker: ScenarioMarker) => StatementMarker): PolicyConfig {
	if (schedule.kind !== 'explicit') {
		return schedule;
	}
	const steps = schedule.steps.map((step): ScheduleStep => {
		const until = step.until === undefined ? undefined : {
			...(step.until.stmt !== undefined ? { stmt: locate(step.until.stmt) } : {}),
			...(step.until.count !== undefined ? { count: step.until.count } : {}),
		};
		return { task: step.task, ...(until !== undefined ? { until } : {}), ...(step.cpu !== undefined ? { cpu: step.cpu } : {}) };
	});
	return { kind: 'explicit', steps, then: schedule.then };
}
