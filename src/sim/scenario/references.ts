// Checks a scenario's references to source files (layer: sim, pure: the files come through the
// `ScenarioFiles` interface, which load.ts backs with the disk and tests with a map). Every
// program and driver source must exist; every statement marker must name a file that exists,
// a line inside it, or a `// @point:` comment defined exactly once. Errors point at the reference.

import type { Diagnostic } from '../../lang/source';
import { findPoints } from './markers';
import { resolvePath } from './paths';
import type { FileReference, Scenario, ScenarioMarker } from './types';

/** Read access to the files a scenario may name. */
export interface ScenarioFiles {
	/** The text of `path`, or undefined when there is no such file. */
	read(path: string): string | undefined;
	/** Shipped KC sources whose path ends with `suffix` (whole path segments). */
	shipped(suffix: string): readonly string[];
}

/** Every file reference of a scenario: programs, harness programs, driver sources. */
export function fileReferences(scenario: Scenario): FileReference[] {
	const references: FileReference[] = scenario.processes.map(p => p.program);
	for (const h of scenario.harness) {
		if (h.body.kind === 'program') {
			references.push(h.body.program);
		}
	}
	for (const d of scenario.drivers) {
		if (d.kind === 'source') {
			references.push(...d.sources);
		}
	}
	return references;
}

/** Every statement marker of a scenario: schedule steps and harness triggers. */
export function statementMarkers(scenario: Scenario): ScenarioMarker[] {
	const markers: ScenarioMarker[] = [];
	if (scenario.schedule.kind === 'explicit') {
		for (const step of scenario.schedule.steps) {
			if (step.until?.stmt !== undefined) {
				markers.push(step.until.stmt);
			}
		}
	}
	for (const h of scenario.harness) {
		if (h.at.kind === 'statement') {
			markers.push(h.at.stmt);
		}
	}
	return markers;
}

function slashes(path: string): string {
	return path.replace(/\\/g, '/');
}

/** True when `path` is `suffix` or ends with `/suffix`. */
function endsWithSegments(path: string, suffix: string): boolean {
	const full = slashes(path);
	const tail = slashes(suffix).replace(/^\.\//, '');
	return full === tail || full.endsWith(`/${tail}`);
}

/** Checks every reference of `scenario` against `files`. */
export function checkReferences(scenario: Scenario, files: ScenarioFiles): Diagnostic[] {
	const diagnostics: Diagnostic[] = [];
	const existing: string[] = [];
	for (const reference of fileReferences(scenario)) {
		if (files.read(reference.path) === undefined) {
			diagnostics.push({ severity: 'error', message: `${reference.where}: no such file ${JSON.stringify(reference.written)}`, range: reference.range });
		} else if (!existing.includes(reference.path)) {
			existing.push(reference.path);
		}
	}
	for (const marker of statementMarkers(scenario)) {
		const problem = checkMarker(scenario, marker, existing, files);
		if (problem !== undefined) {
			diagnostics.push({ severity: 'error', message: `${marker.where}: ${problem}`, range: marker.range });
		}
	}
	return diagnostics;
}

/** What is wrong with a marker's file, line or point, if anything. */
function checkMarker(scenario: Scenario, marker: ScenarioMarker, existing: readonly string[], files: ScenarioFiles): string | undefined {
	if (marker.file === undefined) {
		return undefined;
	}
	const file = marker.file;
	const candidates = existing.filter(path => endsWithSegments(path, file));
	const local = resolvePath(scenario.folder, file);
	if (!candidates.includes(local) && files.read(local) !== undefined) {
		candidates.push(local);
	}
	for (const path of files.shipped(file)) {
		if (!candidates.includes(path)) {
			candidates.push(path);
		}
	}
	if (candidates.length === 0) {
		return `no file ${JSON.stringify(file)} among the scenario's programs and drivers, next to the scenario, or in the shipped kernel sources`;
	}
	const texts = candidates.map(path => ({ path, text: files.read(path) ?? '' }));
	if (marker.line !== undefined) {
		// A final line break ends the last line; it does not start another.
		const lines = Math.max(...texts.map(t => t.text.split(/\r\n|\r|\n/).length - (/(\r\n|\r|\n)$/.test(t.text) ? 1 : 0)));
		if (marker.line > lines) {
			return `line ${marker.line} is past the end of ${file} (${lines} lines)`;
		}
	}
	if (marker.point !== undefined) {
		const definitions = texts.flatMap(t => findPoints(t.text).filter(p => p.name === marker.point).map(p => ({ ...p, path: t.path })));
		if (definitions.length === 0) {
			return `no "// @point: ${marker.point}" comment in ${file}`;
		}
		if (definitions.length > 1) {
			return `point "${marker.point}" is defined ${definitions.length} times (${definitions.map(d => `${d.path}:${d.commentLine}`).join(', ')})`;
		}
		if (definitions[0].line === undefined) {
			return `point "${marker.point}" (${file}:${definitions[0].commentLine}) has no statement after it`;
		}
	}
	return undefined;
}
