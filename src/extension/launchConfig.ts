// What F5 means for a file (layer: extension, vscode-free so unit tests can check it): the launch
// configuration of the `faultline` debug type for a KC program or a scenario file, and the
// completion of a partial configuration (VS Code's resolveDebugConfiguration step).

import { DEBUG_TYPE, type FaultlineLaunchArguments } from '../shared/debugProtocol';

/** A launch configuration as VS Code stores it: type, request, name, then the launch arguments. */
export interface FaultlineDebugConfiguration extends FaultlineLaunchArguments {
	readonly type: string;
	readonly request: string;
	readonly name: string;
	readonly [key: string]: unknown;
}

/** Whether `fileName` is a KC program (.kc, or .c: KC is C). */
export function isProgramFile(fileName: string): boolean {
	return /\.(kc|c)$/i.test(fileName);
}

/** Whether `text` (a .json file's contents) looks like a Faultline scenario. */
export function isScenarioText(fileName: string, text: string): boolean {
	return /\.json$/i.test(fileName) && /"processes"\s*:/.test(text) && /scenario\.schema\.json|"machine"\s*:|"expect"\s*:/.test(text);
}

/** The configuration F5 uses for the file open in the editor, or undefined when it is neither. */
export function configurationForFile(fileName: string, text: string): FaultlineDebugConfiguration | undefined {
	const base = fileName.split(/[\\/]/).pop() ?? fileName;
	if (isScenarioText(fileName, text)) {
		return { type: DEBUG_TYPE, request: 'launch', name: `Faultline: ${base}`, scenario: fileName, stopOnEntry: true };
	}
	if (isProgramFile(fileName)) {
		return { type: DEBUG_TYPE, request: 'launch', name: `Faultline: ${base}`, program: fileName, stopOnEntry: true };
	}
	return undefined;
}

/** The failure side of resolveConfiguration. */
export interface ResolveError {
	readonly error: string;
}

/** Whether resolveConfiguration failed. */
export function isResolveError(value: FaultlineDebugConfiguration | ResolveError): value is ResolveError {
	return typeof (value as { error?: unknown }).error === 'string' && (value as { type?: unknown }).type === undefined;
}

/**
 * Completes `config` (possibly empty: F5 without a launch.json) with the active file. Returns a
 * message instead when nothing can be launched.
 */
export function resolveConfiguration(config: Readonly<Record<string, unknown>>, active?: { readonly fileName: string; readonly text: string }): FaultlineDebugConfiguration | ResolveError {
	const empty = config.type === undefined && config.request === undefined && config.name === undefined;
	if (empty || (config.program === undefined && config.scenario === undefined)) {
		const fromFile = active === undefined ? undefined : configurationForFile(active.fileName, active.text);
		if (fromFile === undefined) {
			return { error: 'Faultline: open a KC program (.kc, .c) or a scenario (.json) to debug, or set "program" or "scenario" in launch.json.' };
		}
		return empty ? fromFile : { ...fromFile, ...config, program: fromFile.program, scenario: fromFile.scenario } as FaultlineDebugConfiguration;
	}
	if (config.program !== undefined && config.scenario !== undefined) {
		return { error: 'Faultline: a launch configuration names either "program" or "scenario", not both.' };
	}
	return { type: DEBUG_TYPE, request: 'launch', name: 'Faultline', ...config } as FaultlineDebugConfiguration;
}
