// One translation unit as the language server sees it (layer: languageServer): the KC front end's
// three stages run here one by one (preprocess, parse, check), so that besides the tree and the
// diagnostics `compileUnit` returns, the editor features also get what those stages know and
// `compileUnit` drops: the macros defined at the end, the preprocessed tokens (which say where a
// macro was expanded), the include graph, and the checker's file scope (typedefs, tags, enum
// constants). The diagnostics are exactly `compileUnit`'s (test/unit/languageServer/analysis.test.ts
// compares them on every shipped KC file), so the editor and the interpreter never disagree.

import type { TranslationUnit } from '../lang/ast';
import { CheckContext } from '../lang/checkContext';
import { checkInContext } from '../lang/checker';
import { parse } from '../lang/parser';
import { type MacroDefinition, preprocess } from '../lang/preprocessor';
import type { Scope } from '../lang/scope';
import { type Diagnostic, type SourceProvider, pointRange } from '../lang/source';
import type { Token } from '../lang/tokens';

/** One `#include` the preprocessor resolved (or failed to), in the order it asked. */
export interface IncludeEdge {
	readonly name: string;
	readonly fromFile: string;
	readonly quoted: boolean;
	/** The resolved path, or undefined when the header was not found. */
	readonly resolved?: string;
}

/** Everything the editor features know about one analysed translation unit. */
export interface Analysis {
	/** The main file's path (as the SourceProvider names it). */
	readonly file: string;
	/** The text of the main file that was analysed. */
	readonly text: string;
	readonly tree: TranslationUnit;
	/** Preprocessor, parser and checker diagnostics, in that order (all files). */
	readonly diagnostics: readonly Diagnostic[];
	/** The macros defined when preprocessing ended. */
	readonly macros: ReadonlyMap<string, MacroDefinition>;
	/** The preprocessed token stream (tokens of macro expansions carry `macro` and the invocation's range). */
	readonly tokens: readonly Token[];
	/** Every file included, once each, in first-inclusion order. */
	readonly includedFiles: readonly string[];
	/** Every include the preprocessor resolved, in order. */
	readonly includes: readonly IncludeEdge[];
	/** The checker's file scope at the end of the unit: functions, objects, typedefs, enum constants, tags. */
	readonly fileScope: Scope;
}

/**
 * Analyses `file` read through `sources`, with `-D` style `defines`. Never throws: a failure of a
 * stage becomes an error diagnostic, as in `compileUnit`.
 */
export function analyze(file: string, sources: SourceProvider, defines: Readonly<Record<string, string>>): Analysis {
	const includes: IncludeEdge[] = [];
	const recording: SourceProvider = {
		read: path => sources.read(path),
		resolveInclude: (name, fromFile, quoted) => {
			const resolved = sources.resolveInclude(name, fromFile, quoted);
			includes.push(resolved === undefined ? { name, fromFile, quoted } : { name, fromFile, quoted, resolved });
			return resolved;
		},
	};
	const diagnostics: Diagnostic[] = [];
	const ctx = new CheckContext();
	let tree: TranslationUnit = { kind: 'TranslationUnit', file, decls: [], range: pointRange(file, 1, 1) };
	let macros: ReadonlyMap<string, MacroDefinition> = new Map();
	let tokens: readonly Token[] = [];
	let includedFiles: readonly string[] = [];
	try {
		const preprocessed = preprocess(file, recording, { defines: { ...defines } });
		diagnostics.push(...preprocessed.diagnostics);
		macros = preprocessed.macros;
		tokens = preprocessed.tokens;
		includedFiles = preprocessed.includedFiles;
		const parsed = parse(preprocessed.tokens, file);
		diagnostics.push(...parsed.diagnostics);
		tree = parsed.tree;
		checkInContext(ctx, tree);
		diagnostics.push(...ctx.diagnostics);
	} catch (error) {
		const message = error instanceof Error ? error.message : String(error);
		diagnostics.push({ severity: 'error', message: `internal compiler error: ${message}`, range: pointRange(file, 1, 1) });
	}
	return {
		file,
		text: sources.read(file) ?? '',
		tree,
		diagnostics,
		macros,
		tokens,
		includedFiles,
		includes,
		fileScope: ctx.fileScope,
	};
}
