// Building a user program for the simulated machine (layer: sim): the user's C file, compiled against
// the Linux user API headers of kc/include, linked at the user layout with the C library (the KC
// sources of kc/lib, which run as user code and enter the kernel through the machine's system-call
// builtins) and the machine's user builtins. The compiled C library units are cached per KC root:
// they do not depend on the program.

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CheckedUnit } from '../lang/ast';
import { compileUnit } from '../lang/frontEnd';
import type { Diagnostic } from '../lang/source';
import { FlatLayout, type Builtin } from '../interp/contracts';
import { linkProgram } from '../interp/linker';
import type { Program } from '../interp/program';
import { hostSources } from './hostSources';

/** The C library's units (kc/lib/*.c and crt0.kc), compiled once per KC root. */
const libraryCache = new Map<string, { readonly units: CheckedUnit[]; readonly diagnostics: Diagnostic[] }>();

/** The files of the C library, in a stable order. */
export function libraryFiles(kcRoot: string): string[] {
	const dir = path.join(kcRoot, 'lib');
	let names: string[];
	try {
		names = fs.readdirSync(dir);
	} catch {
		names = [];
	}
	return names.filter(n => n.endsWith('.c') || n.endsWith('.kc')).sort().map(n => path.join(dir, n));
}

function library(kcRoot: string): { readonly units: CheckedUnit[]; readonly diagnostics: Diagnostic[] } {
	const cached = libraryCache.get(kcRoot);
	if (cached !== undefined) return cached;
	const sources = hostSources([path.join(kcRoot, 'include')]);
	const units: CheckedUnit[] = [];
	const diagnostics: Diagnostic[] = [];
	for (const file of libraryFiles(kcRoot)) {
		const compiled = compileUnit(file, sources, { defines: { __FAULTLINE_LIBC__: '1' } });
		diagnostics.push(...compiled.diagnostics.filter(d => d.severity === 'error'));
		if (compiled.unit !== undefined) units.push(compiled.unit);
	}
	const result = { units, diagnostics };
	libraryCache.set(kcRoot, result);
	return result;
}

/** Result of buildUserProgram. */
export interface BuiltProgram {
	readonly program?: Program;
	/** The user's diagnostics (warnings included), then the C library's or the linker's errors. */
	readonly diagnostics: readonly Diagnostic[];
	/** True when the failure is in the shipped C library, not in the user's program. */
	readonly libraryBroken: boolean;
}

/**
 * Compiles and links `file` with the C library. `builtins` are the machine's user builtins
 * (System.userBuiltins plus the pure C library functions implemented in TypeScript).
 */
export function buildUserProgram(file: string, kcRoot: string, builtins: ReadonlyMap<string, Builtin>): BuiltProgram {
	const sources = hostSources([path.join(kcRoot, 'include')]);
	const compiled = compileUnit(file, sources);
	const diagnostics: Diagnostic[] = [...compiled.diagnostics];
	if (compiled.unit === undefined) return { diagnostics, libraryBroken: false };
	const lib = library(kcRoot);
	if (lib.diagnostics.length > 0) return { diagnostics: [...diagnostics, ...lib.diagnostics], libraryBroken: true };
	const linked = linkProgram([compiled.unit, ...lib.units], builtins, FlatLayout, { name: path.basename(file) });
	diagnostics.push(...linked.diagnostics);
	return { ...(linked.program === undefined ? {} : { program: linked.program }), diagnostics, libraryBroken: false };
}
