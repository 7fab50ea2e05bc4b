// Source positions and diagnostics shared by every stage of the KC front end (layer: lang).
// Lines and columns are 1-based, as compilers print them (`file:line:col: error: ...`).

/** A half-open span of source text. `endLine`/`endCol` point just past the last character. */
export interface SourceRange {
	readonly file: string;
	readonly line: number;
	readonly col: number;
	readonly endLine: number;
	readonly endCol: number;
}

export type Severity = 'error' | 'warning' | 'note';

/** One message from the preprocessor, parser, checker or linker. Never thrown: always collected. */
export interface Diagnostic {
	readonly severity: Severity;
	readonly message: string;
	readonly range: SourceRange;
	/** For diagnostics raised inside a macro expansion or include: where it was expanded from. */
	readonly related?: readonly { readonly message: string; readonly range: SourceRange }[];
}

/** Formats a diagnostic the way gcc and clang do: `file:line:col: error: message`. */
export function formatDiagnostic(d: Diagnostic): string {
	let text = `${d.range.file}:${d.range.line}:${d.range.col}: ${d.severity}: ${d.message}`;
	for (const r of d.related ?? []) {
		text += `\n${r.range.file}:${r.range.line}:${r.range.col}: note: ${r.message}`;
	}
	return text;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
	return diagnostics.some(d => d.severity === 'error');
}

/** A range covering `a` through `b` (both in the same file; `b` after `a`). */
export function spanRanges(a: SourceRange, b: SourceRange): SourceRange {
	return { file: a.file, line: a.line, col: a.col, endLine: b.endLine, endCol: b.endCol };
}

/** A zero-width range at the given position, for synthesized nodes. */
export function pointRange(file: string, line: number, col: number): SourceRange {
	return { file, line, col, endLine: line, endCol: col };
}

/**
 * Where source text comes from. The preprocessor asks it for `#include` targets; the CLI backs it
 * with the user's files plus the headers Faultline ships, the language server with open documents.
 * KC programs never reach the host file system through anything else.
 */
export interface SourceProvider {
	/** Returns the text of `path`, or undefined if there is no such file. */
	read(path: string): string | undefined;
	/**
	 * Resolves an include. `quoted` is true for `#include "x"` (searched next to `fromFile` first),
	 * false for `#include <x>` (system headers only). Returns a path that `read` accepts.
	 */
	resolveInclude(name: string, fromFile: string, quoted: boolean): string | undefined;
}
