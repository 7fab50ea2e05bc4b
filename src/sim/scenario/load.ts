// Loads a scenario from disk (layer: sim; the only scenario module that touches the file system).
// Reads the file, parses and checks it (parse.ts), checks that every file it names exists and
// every marker finds its file, line or point (references.ts), and resolves the kernel profile
// against src/sim/profiles.ts (resolve.ts). `faultline run` and the debug adapter start here.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { pointRange, type Diagnostic } from '../../lang/source';
import type { KernelProfile } from '../profiles';
import { parseScenario } from './parse';
import { checkReferences, type ScenarioFiles } from './references';
import { resolveProfile } from './resolve';
import type { Scenario } from './types';

export interface LoadScenarioOptions {
	/** A profile overriding the scenario's (`--profile`). */
	readonly profile?: string;
	/** The shipped KC tree (the folder holding `include/`), where markers may name kernel and driver sources. */
	readonly kcRoot?: string;
	/** Check that referenced files exist (default true). */
	readonly checkFiles?: boolean;
}

export interface LoadScenarioResult {
	/** Set when there is no error. */
	readonly scenario?: Scenario;
	/** The profile the run uses; set when there is no error. */
	readonly profile?: KernelProfile;
	/** Errors and warnings, in file order. */
	readonly diagnostics: readonly Diagnostic[];
}

/** Source file extensions searched in the shipped tree. */
const sourceExtensions = new Set(['.kc', '.c', '.h']);

/** `ScenarioFiles` over the disk: cached reads, and a lazily listed shipped tree. */
export function diskFiles(kcRoot?: string): ScenarioFiles {
	const cache = new Map<string, string | undefined>();
	let shippedList: string[] | undefined;
	const listShipped = (): string[] => {
		if (shippedList === undefined) {
			shippedList = [];
			const walk = (folder: string): void => {
				let entries: fs.Dirent[];
				try {
					entries = fs.readdirSync(folder, { withFileTypes: true });
				} catch {
					return;
				}
				for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
					const full = path.join(folder, entry.name);
					if (entry.isDirectory()) {
						walk(full);
					} else if (sourceExtensions.has(path.extname(entry.name))) {
						shippedList?.push(full);
					}
				}
			};
			if (kcRoot !== undefined) {
				walk(kcRoot);
			}
		}
		return shippedList;
	};
	return {
		read(file) {
			const key = path.resolve(file);
			if (!cache.has(key)) {
				let text: string | undefined;
				try {
					text = fs.statSync(key).isFile() ? fs.readFileSync(key, 'utf8') : undefined;
				} catch {
					text = undefined;
				}
				cache.set(key, text);
			}
			return cache.get(key);
		},
		shipped(suffix) {
			const tail = suffix.replace(/\\/g, '/').replace(/^\.\//, '');
			return listShipped().filter(file => {
				const full = file.replace(/\\/g, '/');
				return full === tail || full.endsWith(`/${tail}`);
			});
		},
	};
}

/**
 * Reads, parses and checks the scenario in `file`. Never throws; a file that cannot be read is an
 * error at its first line.
 */
export function loadScenario(file: string, options: LoadScenarioOptions = {}): LoadScenarioResult {
	let text: string;
	try {
		text = fs.readFileSync(file, 'utf8');
	} catch (problem) {
		const code = (problem as NodeJS.ErrnoException).code;
		const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (problem as Error).message;
		return { diagnostics: [{ severity: 'error', message: `cannot read the scenario: ${reason}`, range: pointRange(file, 1, 1) }] };
	}
	const parsed = parseScenario(text, file);
	if (parsed.scenario === undefined) {
		return { diagnostics: parsed.diagnostics };
	}
	const diagnostics: Diagnostic[] = [...parsed.diagnostics];
	if (options.checkFiles !== false) {
		diagnostics.push(...checkReferences(parsed.scenario, diskFiles(options.kcRoot)));
	}
	const resolved = resolveProfile(parsed.scenario, options.profile);
	diagnostics.push(...resolved.diagnostics);
	diagnostics.sort((a, b) => a.range.line - b.range.line || a.range.col - b.range.col);
	if (diagnostics.some(d => d.severity === 'error') || resolved.profile === undefined) {
		return { diagnostics };
	}
	return { scenario: parsed.scenario, profile: resolved.profile, diagnostics };
}
