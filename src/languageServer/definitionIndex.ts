// Where functions are defined across the shipped KC sources (layer: languageServer). A translation
// unit sees only the prototypes of functions other units define (`vmf_insert_pfn` in <linux/mm.h>,
// defined in kc/kernel/mm/memory.c), so "go to definition" also asks this index, which finds
// function definitions in the `.c` files of a folder tree by their shape in the token stream: a
// name, a parameter list and a body at file level. Preprocessor lines are skipped; definitions in
// every `#if` branch are listed (the profile decides which one runs). Each file is lexed once per
// text and cached. Function bodies are assumed to close with a `}` in column 1, as kernel style has
// it (a brace-balanced fallback covers other files).

import * as fs from 'node:fs';
import * as path from 'node:path';
import { FLAG_LINE_START, lexWithFlags } from '../lang/lexer';
import type { SourceRange } from '../lang/source';
import { TokenKind, type Token } from '../lang/tokens';

interface FileEntry {
	readonly text: string;
	readonly definitions: ReadonlyMap<string, readonly SourceRange[]>;
}

/** Words that look like calls before a block but are statements or declarations. */
const notFunctions = new Set(['if', 'while', 'for', 'switch', 'return', 'sizeof', '__attribute__', '__attribute', 'asm', '__asm__', 'typeof', '__typeof__']);

/** The function definitions in one file's text, by name. */
export function scanDefinitions(text: string, file: string): Map<string, SourceRange[]> {
	const { tokens, flags } = lexWithFlags(text, file);
	const result = new Map<string, SourceRange[]>();
	const isPunct = (t: Token | undefined, text: string) => t !== undefined && t.kind === TokenKind.Punctuator && t.text === text;
	// Drop directive lines first, so `#define f(x) { ... }` is not a definition.
	const code: Token[] = [];
	for (let i = 0; i < tokens.length; i++) {
		if ((flags[i] & FLAG_LINE_START) !== 0 && isPunct(tokens[i], '#')) {
			i++;
			while (i < tokens.length && (flags[i] & FLAG_LINE_START) === 0) i++;
			i--;
			continue;
		}
		if (tokens[i].kind !== TokenKind.EOF) code.push(tokens[i]);
	}
	/** Index just past the bracket group that opens at `i`, or code.length. */
	const skipGroup = (i: number, open: string, close: string): number => {
		let depth = 0;
		for (let j = i; j < code.length; j++) {
			if (isPunct(code[j], open)) depth++;
			else if (isPunct(code[j], close) && --depth === 0) return j + 1;
		}
		return code.length;
	};
	/**
	 * Index just past the function body opening at `i`. Bodies may hold `#if` branches whose
	 * braces do not balance once the directives are gone, so a `}` in column 1 (where kernel style
	 * closes every function) ends the body; balance counting is the fallback.
	 */
	const skipBody = (i: number): number => {
		for (let j = i + 1; j < code.length; j++) {
			if (isPunct(code[j], '}') && code[j].range.col === 1) return j + 1;
		}
		return skipGroup(i, '{', '}');
	};
	let i = 0;
	while (i < code.length) {
		const t = code[i];
		if (isPunct(t, '{')) {
			// A struct body or an initializer: balanced, and usually on fewer lines.
			i = skipGroup(i, '{', '}');
			continue;
		}
		if (t.kind === TokenKind.Identifier && isPunct(code[i + 1], '(') && !notFunctions.has(t.text)) {
			let j = skipGroup(i + 1, '(', ')');
			// Attributes and annotations between the parameter list and the body.
			while (j < code.length && code[j].kind === TokenKind.Identifier) {
				j++;
				if (isPunct(code[j], '(')) j = skipGroup(j, '(', ')');
			}
			if (isPunct(code[j], '{')) {
				const list = result.get(t.text) ?? [];
				list.push(t.range);
				result.set(t.text, list);
				i = skipBody(j);
				continue;
			}
			i = j;
			continue;
		}
		i++;
	}
	return result;
}

/** Function definitions in folder trees, cached per file text. */
export class DefinitionIndex {
	private readonly entries = new Map<string, FileEntry>();
	private readonly listings = new Map<string, { readonly files: readonly string[]; readonly pass: number }>();
	private pass = 0;

	constructor(private readonly read: (file: string) => string | undefined) {}

	/** Forget folder listings (files added or removed); file texts are re-checked by `read` anyway. */
	beginPass(): void {
		this.pass++;
	}

	/** Definitions of function `name` in the `.c`/`.kc` files under `roots`. */
	definitions(name: string, roots: readonly string[]): SourceRange[] {
		const found: SourceRange[] = [];
		for (const root of roots) {
			for (const file of this.filesUnder(root)) {
				const ranges = this.entry(file)?.definitions.get(name);
				if (ranges !== undefined) found.push(...ranges);
			}
		}
		return found;
	}

	private entry(file: string): FileEntry | undefined {
		const text = this.read(file);
		if (text === undefined) return undefined;
		const cached = this.entries.get(file);
		if (cached !== undefined && cached.text === text) return cached;
		const entry = { text, definitions: scanDefinitions(text, file) };
		this.entries.set(file, entry);
		return entry;
	}

	private filesUnder(root: string): readonly string[] {
		const cached = this.listings.get(root);
		if (cached !== undefined && cached.pass === this.pass) return cached.files;
		const files: string[] = [];
		const walk = (dir: string, depth: number) => {
			if (depth > 12) return;
			let names: fs.Dirent[];
			try {
				names = fs.readdirSync(dir, { withFileTypes: true });
			} catch {
				return;
			}
			for (const entry of names.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
				const full = path.join(dir, entry.name);
				if (entry.isDirectory()) walk(full, depth + 1);
				else if (entry.isFile() && (entry.name.endsWith('.c') || entry.name.endsWith('.kc'))) files.push(full);
			}
		};
		walk(root, 0);
		this.listings.set(root, { files, pass: this.pass });
		return files;
	}
}
