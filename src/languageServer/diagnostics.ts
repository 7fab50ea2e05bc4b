// Diagnostics of a document (layer: languageServer): the front end's own, with their exact ranges.
// A document shows the diagnostics of its own text; errors inside the headers it includes are
// summed up as one diagnostic on the `#include` line (of this document) through which that header
// was reached, naming the first error and linking to all of them, as clangd does.

import {
	type Diagnostic as LspDiagnostic,
	type DiagnosticRelatedInformation,
	DiagnosticSeverity,
	type Range,
} from 'vscode-languageserver';
import type { Diagnostic, SourceRange } from '../lang/source';
import { fileToUri } from './files';
import type { Project, Unit } from './project';
import { includeOnLine } from './textScan';

/** A 1-based SourceRange as a 0-based LSP range. */
export function toLspRange(range: SourceRange): Range {
	const start = { line: Math.max(0, range.line - 1), character: Math.max(0, range.col - 1) };
	let end = { line: Math.max(0, range.endLine - 1), character: Math.max(0, range.endCol - 1) };
	if (end.line < start.line || (end.line === start.line && end.character < start.character)) end = start;
	return { start, end };
}

const severities: Readonly<Record<Diagnostic['severity'], DiagnosticSeverity>> = {
	error: DiagnosticSeverity.Error,
	warning: DiagnosticSeverity.Warning,
	note: DiagnosticSeverity.Information,
};

/** How many header errors one include diagnostic links to. */
const relatedLimit = 20;

/** The LSP diagnostics of the unit's main file. `uriOf` gives the URI to use for a file. */
export function documentDiagnostics(project: Project, unit: Unit, uriOf: (file: string) => string = fileToUri): LspDiagnostic[] {
	const result: LspDiagnostic[] = [];
	const fromHeaders = new Map<number, Diagnostic[]>();
	for (const d of unit.analysis.diagnostics) {
		const file = d.range.file;
		if (file === unit.file || file === '<built-in>' || file === '<command-line>') {
			const range = file === unit.file ? d.range : { file, line: 1, col: 1, endLine: 1, endCol: 1 };
			const item: LspDiagnostic = { range: toLspRange(range), severity: severities[d.severity], source: 'kc', message: d.message };
			const related = (d.related ?? []).filter(r => !r.range.file.startsWith('<')).map(r => ({ location: { uri: uriOf(r.range.file), range: toLspRange(r.range) }, message: r.message }));
			if (related.length > 0) item.relatedInformation = related;
			result.push(item);
			continue;
		}
		if (d.severity !== 'error') continue;
		const line = includeLineFor(unit, file);
		const list = fromHeaders.get(line) ?? [];
		list.push(d);
		fromHeaders.set(line, list);
	}
	for (const [line, errors] of fromHeaders) {
		const first = errors[0];
		const more = errors.length > 1 ? ` (and ${errors.length - 1} more error${errors.length > 2 ? 's' : ''})` : '';
		const include = includeOnLine(unit.text, unit.starts, unit.file, line);
		const range: SourceRange = include?.nameRange ?? { file: unit.file, line, col: 1, endLine: line, endCol: 1 };
		const related: DiagnosticRelatedInformation[] = errors.slice(0, relatedLimit).map(d => ({
			location: { uri: uriOf(d.range.file), range: toLspRange(d.range) },
			message: d.message,
		}));
		result.push({
			range: toLspRange(range),
			severity: DiagnosticSeverity.Error,
			source: 'kc',
			message: `In included file ${project.displayPath(first.range.file)}:${first.range.line}:${first.range.col}: ${first.message}${more}`,
			relatedInformation: related,
		});
	}
	return result;
}

/** The line of the main file's `#include` through which `header` was (first) included, or 1. */
function includeLineFor(unit: Unit, header: string): number {
	const parents = new Map<string, string>();
	for (const edge of unit.analysis.includes) {
		if (edge.resolved !== undefined && !parents.has(edge.resolved) && edge.resolved !== edge.fromFile) parents.set(edge.resolved, edge.fromFile);
	}
	let child = header;
	const seen = new Set<string>();
	for (let parent = parents.get(child); parent !== undefined && !seen.has(parent); parent = parents.get(child)) {
		if (parent === unit.file) break;
		seen.add(parent);
		child = parent;
	}
	const name = unit.analysis.includes.find(edge => edge.fromFile === unit.file && edge.resolved === child)?.name;
	if (name === undefined) return 1;
	for (let line = 1; line <= unit.starts.length; line++) {
		if (includeOnLine(unit.text, unit.starts, unit.file, line)?.name === name) return line;
	}
	return 1;
}
