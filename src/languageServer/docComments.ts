// Documentation comments of KC declarations (layer: languageServer). The shipped headers document
// the kernel API the way Linux does: a comment block above a declaration or macro (`/* ... */`,
// `/** ... */` or `//` lines), possibly for a group of prototypes and `#if` lines that follow it
// without a blank line (<linux/mm.h> documents remap_pfn_range, vm_insert_page and
// vmf_insert_pfn in one block), or a comment after it on the same line
// (`#define VM_PFNMAP 0x400UL /* raw PFNs, no struct page behind them */`). A blank line or a
// brace (the end of a function body) ends the search.

import type { SourceRange } from '../lang/source';
import { lineStarts, lineText } from './textScan';

interface FileLines {
	readonly text: string;
	readonly starts: readonly number[];
}

/** Line tables of the files asked about, rebuilt when a file's text changes. */
export class DocComments {
	private readonly files = new Map<string, FileLines>();

	constructor(private readonly read: (file: string) => string | undefined) {}

	private lines(file: string): FileLines | undefined {
		const text = this.read(file);
		if (text === undefined) return undefined;
		const cached = this.files.get(file);
		if (cached !== undefined && cached.text === text) return cached;
		const entry = { text, starts: lineStarts(text) };
		this.files.set(file, entry);
		return entry;
	}

	/** The text of `range` in its file (at most `limit` characters), or undefined. */
	slice(range: SourceRange, limit = 4000): string | undefined {
		const lines = this.lines(range.file);
		if (lines === undefined || range.line < 1 || range.endLine > lines.starts.length) return undefined;
		const start = lines.starts[range.line - 1] + range.col - 1;
		const end = lines.starts[range.endLine - 1] + range.endCol - 1;
		return end < start ? undefined : lines.text.slice(start, Math.min(end, start + limit));
	}

	/**
	 * The comment documenting the declaration that starts on `line` of `file` and ends on `endLine`
	 * (same line by default), as plain text lines, or undefined. With `group` false only a comment
	 * right above counts (struct members: the comment above an earlier member is not theirs).
	 */
	forDeclaration(file: string, line: number, endLine = line, group = true): string | undefined {
		const lines = this.lines(file);
		if (lines === undefined) return undefined;
		return commentAbove(lines, line, 0) ?? trailingComment(lines, line, endLine) ?? (group ? commentAbove(lines, line, groupLines) : undefined);
	}
}

/** How many declaration lines a group comment may sit above (Linux headers document groups of prototypes). */
const groupLines = 16;

function commentAbove(lines: FileLines, line: number, skip: number): string | undefined {
	for (let l = line - 1, skipped = 0; l >= 1 && skipped <= skip; l--, skipped++) {
		const above = lineText(lines.text, lines.starts, l).trim();
		if (above === '' || above.endsWith('{') || above.endsWith('}')) return undefined;
		if (above.endsWith('*/')) {
			const comment = blockEndingAt(lines, l);
			// A comment after code on its line belongs to that code: keep looking above it.
			if (comment !== undefined) return comment;
			continue;
		}
		if (above.startsWith('//')) {
			const block: string[] = [];
			for (let k = l; k >= 1; k--) {
				const source = lineText(lines.text, lines.starts, k).trim();
				if (!source.startsWith('//')) break;
				block.unshift(source.replace(/^\/\/+\s?/, ''));
			}
			return nonEmpty(block.join('\n'));
		}
	}
	return undefined;
}

/** The block comment ending on line `end`, when it starts a line of its own (not after code). */
function blockEndingAt(lines: FileLines, end: number): string | undefined {
	for (let first = end; first >= 1 && first >= end - 200; first--) {
		const source = lineText(lines.text, lines.starts, first);
		const open = first === end ? source.slice(0, source.lastIndexOf('*/')).lastIndexOf('/*') : source.lastIndexOf('/*');
		if (open < 0) continue;
		if (source.slice(0, open).trim() !== '') return undefined;
		const block: string[] = [];
		for (let l = first; l <= end; l++) block.push(lineText(lines.text, lines.starts, l));
		return cleanBlock(block.join('\n').slice(open));
	}
	return undefined;
}

function trailingComment(lines: FileLines, line: number, endLine: number): string | undefined {
	for (const l of endLine === line ? [line] : [line, endLine]) {
		const source = lineText(lines.text, lines.starts, l);
		const block = /\/\*(.*?)\*\/\s*(\\)?\s*$/.exec(source);
		if (block !== null && source.slice(0, block.index).trim() !== '') return nonEmpty(block[1].trim());
		const slashes = /\/\/(.*)$/.exec(source);
		if (slashes !== null && source.slice(0, slashes.index).trim() !== '' && !/"[^"]*$/.test(source.slice(0, slashes.index))) {
			return nonEmpty(slashes[1].trim());
		}
	}
	return undefined;
}

/** The text of a `/* ... *\/` block without delimiters and leading `*` columns. */
function cleanBlock(comment: string): string | undefined {
	const inner = comment.replace(/^\/\*+/, '').replace(/\*+\/$/, '');
	const cleaned = inner.split('\n').map(l => l.replace(/^\s*\*( ?)/, '').replace(/\s+$/, ''));
	while (cleaned.length > 0 && cleaned[0].trim() === '') cleaned.shift();
	while (cleaned.length > 0 && cleaned[cleaned.length - 1].trim() === '') cleaned.pop();
	return nonEmpty(cleaned.map(l => l.replace(/^\s+/, '')).join('\n'));
}

function nonEmpty(text: string): string | undefined {
	return text.trim() === '' ? undefined : text;
}
