// The KC front end in one call (layer: lang): preprocess, parse, check. The CLI, the interpreter's
// loader and the language server all compile translation units through here, so every consumer
// sees the same diagnostics for the same source.

import type { CheckedUnit, TranslationUnit } from './ast';
import { check } from './checker';
import { parse } from './parser';
import { preprocess } from './preprocessor';
import { type Diagnostic, type SourceProvider, hasErrors, pointRange } from './source';

/** Options of `compileUnit`. */
export interface CompileOptions {
	/** `-D` style macro definitions: `{ DEBUG: '1' }`. */
	readonly defines?: Record<string, string>;
}

/** What compiling one translation unit produced. */
export interface CompileResult {
	/** The checked unit, present only when there are no errors. */
	readonly unit?: CheckedUnit;
	/** The (checked, annotated) syntax tree, whenever parsing produced one, for editor features. */
	readonly tree?: TranslationUnit;
	/** Preprocessor, parser and checker diagnostics, in that order. */
	readonly diagnostics: Diagnostic[];
}

/**
 * Compiles `mainFile` (read through `sources`): preprocess -> parse -> check. Never throws; an
 * internal failure of a stage becomes an error diagnostic.
 */
export function compileUnit(mainFile: string, sources: SourceProvider, options: CompileOptions = {}): CompileResult {
	const diagnostics: Diagnostic[] = [];
	let tree: TranslationUnit | undefined;
	try {
		const preprocessed = preprocess(mainFile, sources, { defines: options.defines });
		diagnostics.push(...preprocessed.diagnostics);
		const parsed = parse(preprocessed.tokens, mainFile);
		diagnostics.push(...parsed.diagnostics);
		tree = parsed.tree;
		const checked = check(parsed.tree);
		diagnostics.push(...checked.diagnostics);
		return { unit: hasErrors(diagnostics) ? undefined : checked.unit, tree, diagnostics };
	} catch (error) {
		const message = error instanceof Error ? error.message : String(error);
		diagnostics.push({ severity: 'error', message: `internal compiler error: ${message}`, range: pointRange(mainFile, 1, 1) });
		return { tree, diagnostics };
	}
}
