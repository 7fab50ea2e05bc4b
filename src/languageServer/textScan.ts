// What the text around a position says, independent of whether it parses (layer: languageServer):
// the word under the cursor, an `#include` line, the context of a completion (after `.`/`->`, a
// `struct` keyword, a directive, a header name) and the call whose arguments the cursor is in. Code
// being typed is usually incomplete, so these work on the lexer's tokens of the document, not on
// the tree. Lines and columns are 1-based, as in SourceRange.

import { FLAG_LINE_START, FLAG_UNTERMINATED, lexWithFlags } from '../lang/lexer';
import type { SourceRange } from '../lang/source';
import { TokenKind, type Token } from '../lang/tokens';

/** The document's tokens (lexed once per text) with their line-start flags. */
export interface LexedText {
	readonly tokens: readonly Token[];
	readonly flags: Uint8Array;
}

/** Lexes a document for the scans below. */
export function lexText(text: string, file: string): LexedText {
	const lexed = lexWithFlags(text, file);
	return { tokens: lexed.tokens, flags: lexed.flags };
}

/** Offsets of the starts of lines (index 0 is line 1). */
export function lineStarts(text: string): number[] {
	const starts = [0];
	for (let i = 0; i < text.length; i++) {
		if (text.charCodeAt(i) === 10) starts.push(i + 1);
	}
	return starts;
}

/** The text of line `line` (1-based), without its newline. */
export function lineText(text: string, starts: readonly number[], line: number): string {
	if (line < 1 || line > starts.length) return '';
	const end = line < starts.length ? starts[line] - 1 : text.length;
	return text.slice(starts[line - 1], end).replace(/\r$/, '');
}

function isWordChar(c: string): boolean {
	return /[A-Za-z0-9_$]/.test(c);
}

/** The identifier at (line, col) (the cursor touching its start or end counts), with its range. */
export function wordAt(text: string, starts: readonly number[], file: string, line: number, col: number): { word: string; range: SourceRange } | undefined {
	const source = lineText(text, starts, line);
	let start = Math.min(col - 1, source.length);
	let end = start;
	while (start > 0 && isWordChar(source[start - 1])) start--;
	while (end < source.length && isWordChar(source[end])) end++;
	const word = source.slice(start, end);
	if (word === '' || /^[0-9]/.test(word)) return undefined;
	return { word, range: { file, line, col: start + 1, endLine: line, endCol: end + 1 } };
}

/** An `#include` directive on one line: the header name as written and where it is. */
export interface IncludeLine {
	readonly name: string;
	readonly quoted: boolean;
	/** The range of the name between the delimiters. */
	readonly nameRange: SourceRange;
}

const includePattern = /^(\s*#\s*include(?:_next)?\s*)([<"])([^>"]*)([>"]?)/;

/** The `#include` on `line`, if there is one. */
export function includeOnLine(text: string, starts: readonly number[], file: string, line: number): IncludeLine | undefined {
	const match = includePattern.exec(lineText(text, starts, line));
	if (match === null) return undefined;
	const col = match[1].length + 2;
	return { name: match[3], quoted: match[2] === '"', nameRange: { file, line, col, endLine: line, endCol: col + match[3].length } };
}

/** What kind of completion the cursor asks for. */
export type CompletionContext =
	| { readonly kind: 'include'; readonly quoted: boolean; readonly partial: string }
	| {
			readonly kind: 'member';
			readonly arrow: boolean;
			/** The tokens of the expression before the operator (a postfix chain: `a->b[i].c`, `f(x)`). */
			readonly base: readonly Token[];
			readonly prefix: string;
	  }
	| { readonly kind: 'tag'; readonly keyword: 'struct' | 'union' | 'enum'; readonly prefix: string }
	| { readonly kind: 'directive'; readonly prefix: string }
	| { readonly kind: 'macro'; readonly prefix: string }
	| { readonly kind: 'identifier'; readonly prefix: string }
	| { readonly kind: 'none' };

/** Index of the last token that ends at or before (line, col), or -1. */
function lastTokenBefore(tokens: readonly Token[], line: number, col: number): number {
	let low = 0;
	let high = tokens.length - 1;
	let found = -1;
	while (low <= high) {
		const mid = (low + high) >> 1;
		const t = tokens[mid];
		if (t.kind === TokenKind.EOF) {
			high = mid - 1;
			continue;
		}
		const before = t.range.endLine < line || (t.range.endLine === line && t.range.endCol <= col);
		if (before) {
			found = mid;
			low = mid + 1;
		} else {
			high = mid - 1;
		}
	}
	return found;
}

/** The index of the first token of the directive line containing token `index`, or -1 when it is not in one. */
function directiveStart(lexed: LexedText, index: number): number {
	for (let i = index; i >= 0; i--) {
		if ((lexed.flags[i] & FLAG_LINE_START) !== 0) {
			const t = lexed.tokens[i];
			return t.kind === TokenKind.Punctuator && t.text === '#' ? i : -1;
		}
	}
	return -1;
}

/** The completion context at (line, col). */
export function completionContext(text: string, starts: readonly number[], lexed: LexedText, line: number, col: number): CompletionContext {
	const source = lineText(text, starts, line).slice(0, col - 1);
	const include = /^\s*#\s*include(?:_next)?\s*([<"])([^>"]*)$/.exec(source);
	if (include !== null) return { kind: 'include', quoted: include[1] === '"', partial: include[2] };
	if (/^\s*#\s*[A-Za-z_]*$/.test(source)) return { kind: 'directive', prefix: /([A-Za-z_]*)$/.exec(source)?.[1] ?? '' };
	const prefix = /([A-Za-z_$][A-Za-z0-9_$]*)$/.exec(source)?.[1] ?? '';
	if (/[0-9]$/.test(source) && prefix === '') return { kind: 'none' };
	const tokens = lexed.tokens;
	let index = lastTokenBefore(tokens, line, col);
	// Inside a literal (or at the end of an unterminated one): nothing to complete.
	if (index >= 0 && insideToken(tokens[index + 1], line, col)) return { kind: 'none' };
	if (index >= 0 && (lexed.flags[index] & FLAG_UNTERMINATED) !== 0) return { kind: 'none' };
	if (inComment(text, starts, index >= 0 ? tokens[index].range : undefined, line, col)) return { kind: 'none' };
	if (index >= 0 && prefix !== '' && tokens[index].kind === TokenKind.Identifier && tokens[index].text.endsWith(prefix)) index--;
	const previous = index >= 0 ? tokens[index] : undefined;
	if (previous !== undefined && previous.kind === TokenKind.Punctuator && (previous.text === '.' || previous.text === '->')) {
		const base = postfixChain(tokens, index - 1);
		if (base.length === 0) return { kind: 'none' };
		return { kind: 'member', arrow: previous.text === '->', base, prefix };
	}
	if (previous !== undefined && previous.kind === TokenKind.Identifier && (previous.text === 'struct' || previous.text === 'union' || previous.text === 'enum')) {
		return { kind: 'tag', keyword: previous.text, prefix };
	}
	const directive = index >= 0 ? directiveStart(lexed, index) : -1;
	if (directive >= 0 && directive + 1 <= index) {
		const name = tokens[directive + 1].text;
		if (name === 'ifdef' || name === 'ifndef' || name === 'undef' || name === 'elifdef' || name === 'elifndef') return { kind: 'macro', prefix };
	}
	return { kind: 'identifier', prefix };
}

/** True if (line, col) is inside a comment or a string or character literal (not code). */
export function inCommentOrLiteral(text: string, starts: readonly number[], lexed: LexedText, line: number, col: number): boolean {
	const tokens = lexed.tokens;
	const index = lastTokenBefore(tokens, line, col);
	if (insideToken(tokens[index + 1], line, col)) return true;
	return inComment(text, starts, index >= 0 ? tokens[index].range : undefined, line, col);
}

/** True if the text between the end of the token before the cursor and the cursor opens a comment. */
function inComment(text: string, starts: readonly number[], previous: SourceRange | undefined, line: number, col: number): boolean {
	const from = previous === undefined ? 0 : (starts[previous.endLine - 1] ?? 0) + previous.endCol - 1;
	const to = (starts[line - 1] ?? text.length) + col - 1;
	const gap = text.slice(from, Math.max(from, to));
	const block = gap.lastIndexOf('/*');
	if (block >= 0 && gap.indexOf('*/', block + 2) < 0) return true;
	const lineComment = gap.lastIndexOf('//');
	return lineComment >= 0 && gap.indexOf('\n', lineComment) < 0 && gap.lastIndexOf('*/') < lineComment;
}

/** True if (line, col) is strictly inside token `t` (a literal spanning the cursor). */
function insideToken(t: Token | undefined, line: number, col: number): boolean {
	if (t === undefined || t.kind === TokenKind.EOF) return false;
	if (t.kind !== TokenKind.StringLiteral && t.kind !== TokenKind.CharLiteral) return false;
	const afterStart = t.range.line < line || (t.range.line === line && t.range.col < col);
	const beforeEnd = t.range.endLine > line || (t.range.endLine === line && t.range.endCol > col);
	return afterStart && beforeEnd;
}

/** The closing bracket's opener. */
const openerOf: Readonly<Record<string, string>> = { ')': '(', ']': '[' };

/**
 * The tokens of the postfix expression ending at token `end` (inclusive): an identifier or a
 * parenthesized expression followed by calls, subscripts and member accesses. Empty if there is none.
 */
export function postfixChain(tokens: readonly Token[], end: number): Token[] {
	let i = end;
	for (;;) {
		const t = tokens[i];
		if (t === undefined) return [];
		if (t.kind === TokenKind.Punctuator && (t.text === ')' || t.text === ']')) {
			const open = matchingOpen(tokens, i, openerOf[t.text], t.text);
			if (open < 0) return [];
			const before = tokens[open - 1];
			// `(expr)` at the head of the chain, or a call / subscript on what precedes it.
			if (t.text === ')' && (before === undefined || !(before.kind === TokenKind.Identifier || isClosing(before)))) {
				i = open;
				break;
			}
			i = open - 1;
			continue;
		}
		if (t.kind === TokenKind.Identifier) {
			const before = tokens[i - 1];
			if (before !== undefined && before.kind === TokenKind.Punctuator && (before.text === '.' || before.text === '->')) {
				i -= 2;
				continue;
			}
			break;
		}
		return [];
	}
	return tokens.slice(i, end + 1);
}

function isClosing(t: Token): boolean {
	return t.kind === TokenKind.Punctuator && (t.text === ')' || t.text === ']');
}

/** Index of the bracket `open` matching the `close` at `index`, or -1. */
function matchingOpen(tokens: readonly Token[], index: number, open: string, close: string): number {
	let depth = 0;
	for (let i = index; i >= 0; i--) {
		const t = tokens[i];
		if (t.kind !== TokenKind.Punctuator) continue;
		if (t.text === close) depth++;
		else if (t.text === open && --depth === 0) return i;
		else if (t.text === ';' || t.text === '{' || t.text === '}') return -1;
	}
	return -1;
}

/** The call the cursor is in the arguments of: the callee's tokens and the argument index. */
export interface CallContext {
	/** The callee expression's tokens (a postfix chain; usually one identifier). */
	readonly callee: readonly Token[];
	readonly activeParameter: number;
}

/** The innermost call whose parentheses contain (line, col), if any (within the current statement). */
export function callContext(lexed: LexedText, line: number, col: number): CallContext | undefined {
	const tokens = lexed.tokens;
	let depth = 0;
	let commas = 0;
	for (let i = lastTokenBefore(tokens, line, col); i >= 0; i--) {
		const t = tokens[i];
		if ((lexed.flags[i] & FLAG_LINE_START) !== 0 && t.kind === TokenKind.Punctuator && t.text === '#') return undefined;
		if (t.kind !== TokenKind.Punctuator) continue;
		switch (t.text) {
			case ')':
			case ']':
				depth++;
				break;
			case '[':
				if (depth === 0) return undefined;
				depth--;
				break;
			case '(':
				if (depth > 0) {
					depth--;
					break;
				}
				{
					const callee = postfixChain(tokens, i - 1);
					const last = callee[callee.length - 1];
					if (callee.length > 0 && last.kind === TokenKind.Identifier && !isKeywordLike(last.text)) {
						return { callee, activeParameter: commas };
					}
				}
				// A parenthesized expression or a cast: look further out.
				commas = 0;
				break;
			case ',':
				if (depth === 0) commas++;
				break;
			case ';':
			case '{':
			case '}':
				if (depth === 0) return undefined;
				break;
		}
	}
	return undefined;
}

/** Words followed by `(` that are not calls. */
function isKeywordLike(word: string): boolean {
	return ['if', 'while', 'for', 'switch', 'return', 'sizeof', '_Alignof', '__alignof__', 'typeof', '__typeof__', 'defined', '__attribute__', '__builtin_offsetof'].includes(word);
}
