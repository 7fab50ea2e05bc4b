// A cache of compiled kernel units shared by every boot in one host process (layer: kernel).
// Compiling the ~60 kernel units takes seconds (each re-reads the large kernel headers), and a test
// run or an editor session boots the same profile many times. An entry is keyed by unit name and
// defines, and remembers every file the front end read and every include it resolved; a later
// compile reuses it only if the source provider gives exactly the same answers, so a test that
// overrides one header still gets a fresh compile. Checked units are never mutated by linking.

import type { CheckedUnit } from '../lang/ast';
import { compileUnit } from '../lang/frontEnd';
import type { Diagnostic, SourceProvider } from '../lang/source';

interface Entry {
	readonly reads: ReadonlyMap<string, string | undefined>;
	readonly includes: ReadonlyMap<string, string | undefined>;
	readonly result: { readonly unit?: CheckedUnit; readonly diagnostics: readonly Diagnostic[] };
}

const entries = new Map<string, Entry[]>();
/** At most this many variants per unit and defines (tests that override headers add variants). */
const VARIANTS = 4;
/** Units kept in all (least recently used dropped first): about four kernel configurations. */
const UNITS = 400;

function includeKey(name: string, fromFile: string, quoted: boolean): string {
	return `${quoted ? '"' : '<'}${name}|${fromFile}`;
}

function valid(entry: Entry, sources: SourceProvider): boolean {
	for (const [file, text] of entry.reads) if (sources.read(file) !== text) return false;
	for (const [key, resolved] of entry.includes) {
		const quoted = key.startsWith('"');
		const bar = key.indexOf('|');
		if (sources.resolveInclude(key.slice(1, bar), key.slice(bar + 1), quoted) !== resolved) return false;
	}
	return true;
}

/** compileUnit with the cache (same result as compiling afresh). */
export function compileKernelUnit(file: string, sources: SourceProvider, defines: Readonly<Record<string, string>>): { readonly unit?: CheckedUnit; readonly diagnostics: readonly Diagnostic[] } {
	const key = `${file}|${JSON.stringify(Object.entries(defines).sort())}`;
	const variants = entries.get(key) ?? [];
	for (const entry of variants) {
		if (!valid(entry, sources)) continue;
		entries.delete(key);
		entries.set(key, variants);
		return entry.result;
	}
	const reads = new Map<string, string | undefined>();
	const includes = new Map<string, string | undefined>();
	const recording: SourceProvider = {
		read: path => {
			const text = sources.read(path);
			reads.set(path, text);
			return text;
		},
		resolveInclude: (name, fromFile, quoted) => {
			const resolved = sources.resolveInclude(name, fromFile, quoted);
			includes.set(includeKey(name, fromFile, quoted), resolved);
			return resolved;
		},
	};
	const compiled = compileUnit(file, recording, { defines: { ...defines } });
	const result = { ...(compiled.unit === undefined ? {} : { unit: compiled.unit }), diagnostics: compiled.diagnostics };
	variants.unshift({ reads, includes, result });
	if (variants.length > VARIANTS) variants.length = VARIANTS;
	entries.delete(key);
	entries.set(key, variants);
	while (entries.size > UNITS) entries.delete(entries.keys().next().value!);
	return result;
}
