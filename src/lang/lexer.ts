// The KC lexer: turns source text into preprocessing tokens with exact positions (layer: lang).
//
// It implements translation phases 1-3 of C11 5.1.1.2: `\r\n` is read as a newline, a backslash
// followed by a newline is deleted (line splicing), comments become white space, and the text is
// cut into preprocessing tokens. Positions always refer to physical source lines and 1-based
// UTF-16 columns, even inside spliced tokens, so editors and diagnostics point at what was typed.
// The lexer never throws: malformed input yields diagnostics and a best-effort token.

import type { Diagnostic } from './source';
import { TokenKind, type Token } from './tokens';

/** Per-token flag: the token is the first one on its (logical) line. Directives start there. */
export const FLAG_LINE_START = 1;
/** Per-token flag: a char or string literal without its closing quote (diagnosed by the caller). */
export const FLAG_UNTERMINATED = 2;
/** Per-token flag: a character that is no C token (`@`, `` ` ``, a lone `\`); emitted as a Punctuator. */
export const FLAG_STRAY = 4;
/** Per-token flag: a `<...>` header name lexed after `#include`; emitted as a StringLiteral. */
export const FLAG_HEADER_NAME = 8;

/** What the preprocessor needs from the lexer: tokens plus one flag byte per token. */
export interface LexResult {
	/** The tokens, always ending with an EOF token positioned at the end of the text. */
	readonly tokens: Token[];
	/** `FLAG_*` bits for each token, parallel to `tokens`. */
	readonly flags: Uint8Array;
	/** Diagnostics that do not depend on context (unterminated comments). */
	readonly diagnostics: Diagnostic[];
}

/**
 * Lexes `text` (the contents of `file`) into tokens ending with EOF. Unterminated literals and
 * comments and stray characters are reported as diagnostics; the function never throws.
 */
export function lex(text: string, file: string): { tokens: Token[]; diagnostics: Diagnostic[] } {
	const result = lexWithFlags(text, file);
	const diagnostics = result.diagnostics.slice();
	const { tokens, flags } = result;
	for (let i = 0; i < tokens.length; i++) {
		const message = contextualProblem(tokens[i], flags[i]);
		if (message !== undefined) diagnostics.push({ severity: 'error', message, range: tokens[i].range });
	}
	diagnostics.sort(compareDiagnostics);
	return { tokens, diagnostics };
}

/**
 * The message for a token flagged unterminated or stray, or undefined. The preprocessor calls this
 * only for tokens in active code, as gcc does not complain about text inside `#if 0`.
 */
export function contextualProblem(token: Token, flags: number): string | undefined {
	if (flags & FLAG_UNTERMINATED) {
		return `missing terminating ${token.kind === TokenKind.CharLiteral ? '\'' : '"'} character`;
	}
	if (flags & FLAG_STRAY) return `stray '${token.text}' in program`;
	return undefined;
}

function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
	return a.range.line - b.range.line || a.range.col - b.range.col;
}

/** Digraphs and their ordinary spellings; tokens carry the ordinary spelling. */
const DIGRAPHS: Readonly<Record<string, string>> = { '<:': '[', ':>': ']', '<%': '{', '%>': '}', '%:': '#', '%:%:': '##' };

const CH_TAB = 9, CH_LF = 10, CH_VT = 11, CH_FF = 12, CH_CR = 13, CH_SPACE = 32;
const CH_BANG = 33, CH_DQUOTE = 34, CH_HASH = 35, CH_DOLLAR = 36, CH_PERCENT = 37, CH_AMP = 38, CH_QUOTE = 39;
const CH_STAR = 42, CH_PLUS = 43, CH_MINUS = 45, CH_DOT = 46, CH_SLASH = 47;
const CH_0 = 48, CH_9 = 57, CH_COLON = 58, CH_LT = 60, CH_EQ = 61, CH_GT = 62;
const CH_UPPER_E = 69, CH_UPPER_L = 76, CH_UPPER_P = 80, CH_UPPER_U = 85;
const CH_BACKSLASH = 92, CH_CARET = 94, CH_UNDERSCORE = 95;
const CH_LOWER_E = 101, CH_LOWER_P = 112, CH_LOWER_U = 117, CH_BAR = 124;

function isIdentifierStart(c: number): boolean {
	return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === CH_UNDERSCORE || c === CH_DOLLAR || c >= 0x80;
}

function isIdentifierPart(c: number): boolean {
	return isIdentifierStart(c) || (c >= CH_0 && c <= CH_9);
}

function isDigit(c: number): boolean {
	return c >= CH_0 && c <= CH_9;
}

function isHorizontalSpace(c: number): boolean {
	return c === CH_SPACE || c === CH_TAB || c === CH_FF || c === CH_VT || c === CH_CR;
}

/**
 * Lexes `text` and returns tokens with per-token flags (see `FLAG_*`). Only unterminated comments
 * are reported directly; unterminated literals and stray characters are flagged, because whether
 * they are errors depends on whether the preprocessor skips them.
 */
export function lexWithFlags(text: string, file: string): LexResult {
	// Reading `\r\n` as `\n` does not move any line or column of the characters before it.
	if (text.indexOf('\r\n') >= 0) text = text.replace(/\r\n/g, '\n');
	return new Scanner(text, file).run();
}

class Scanner {
	private readonly tokens: Token[] = [];
	private readonly flagList: number[] = [];
	private readonly diagnostics: Diagnostic[] = [];
	/** Offset of the next character (always past any line splices). */
	private pos = 0;
	/** Physical line of `pos` and the offset where that line starts. */
	private line = 1;
	private lineStart = 0;
	/** Where the last consumed character ended: offset, line and column. */
	private endPos = 0;
	private endLine = 1;
	private endCol = 1;
	/** Counts splices passed so far, to know whether a token's text must be cleaned of them. */
	private splices = 0;
	/** 0: nothing; 1: a line-start `#`; 2: `# include`, so `<...>` is a header name. */
	private directiveState = 0;

	constructor(private readonly text: string, private readonly file: string) {
		this.skipSplices();
	}

	run(): LexResult {
		const text = this.text;
		let atLineStart = true;
		let spaceBefore = false;
		for (;;) {
			const c = this.peek();
			if (c < 0) break;
			if (c === CH_LF) {
				this.advance();
				atLineStart = true;
				spaceBefore = true;
				this.directiveState = 0;
				continue;
			}
			if (isHorizontalSpace(c)) {
				this.advance();
				spaceBefore = true;
				continue;
			}
			if (c === CH_SLASH) {
				const next = this.peekAt(1);
				if (next === CH_SLASH) {
					// A line comment runs to the end of the logical line (splices continue it).
					while (this.peek() >= 0 && this.peek() !== CH_LF) this.advance();
					spaceBefore = true;
					continue;
				}
				if (next === CH_STAR) {
					this.skipBlockComment();
					spaceBefore = true;
					continue;
				}
			}
			const startPos = this.pos;
			const startLine = this.line;
			const startCol = this.pos - this.lineStart + 1;
			const splicesBefore = this.splices;
			let flags = atLineStart ? FLAG_LINE_START : 0;
			const kind = this.scanToken(c);
			let spelling: string;
			if (kind === SCAN_HEADER) flags |= FLAG_HEADER_NAME;
			else if (kind === SCAN_UNTERMINATED_CHAR || kind === SCAN_UNTERMINATED_STRING) flags |= FLAG_UNTERMINATED;
			else if (kind === SCAN_STRAY) flags |= FLAG_STRAY;
			spelling = text.slice(startPos, this.endPos);
			if (this.splices !== splicesBefore) spelling = spelling.replace(/\\\n/g, '');
			const tokenKind = toTokenKind(kind);
			if (tokenKind === TokenKind.Punctuator) spelling = DIGRAPHS[spelling] ?? spelling;
			this.updateDirectiveState(tokenKind, spelling, atLineStart);
			this.tokens.push({
				kind: tokenKind,
				text: spelling,
				range: { file: this.file, line: startLine, col: startCol, endLine: this.endLine, endCol: this.endCol },
				spaceBefore,
			});
			this.flagList.push(flags);
			atLineStart = false;
			spaceBefore = false;
		}
		const col = this.text.length - this.lineStart + 1;
		this.tokens.push({
			kind: TokenKind.EOF,
			text: '',
			range: { file: this.file, line: this.line, col, endLine: this.line, endCol: col },
			spaceBefore,
		});
		this.flagList.push(atLineStart ? FLAG_LINE_START : 0);
		return { tokens: this.tokens, flags: Uint8Array.from(this.flagList), diagnostics: this.diagnostics };
	}

	private updateDirectiveState(kind: TokenKind, spelling: string, atLineStart: boolean): void {
		if (atLineStart) this.directiveState = kind === TokenKind.Punctuator && spelling === '#' ? 1 : 0;
		else if (this.directiveState === 1) {
			this.directiveState = kind === TokenKind.Identifier && (spelling === 'include' || spelling === 'include_next' || spelling === 'import') ? 2 : 0;
		} else this.directiveState = 0;
	}

	/** The character at `pos` (splices already skipped), or -1 at the end. */
	private peek(): number {
		return this.pos < this.text.length ? this.text.charCodeAt(this.pos) : -1;
	}

	/** The `n`th logical character after `pos`, looking through splices, or -1. */
	private peekAt(n: number): number {
		const text = this.text;
		let p = this.pos;
		for (let i = 0; i < n; i++) {
			p++;
			while (text.charCodeAt(p) === CH_BACKSLASH && text.charCodeAt(p + 1) === CH_LF) p += 2;
		}
		return p < text.length ? text.charCodeAt(p) : -1;
	}

	/** Consumes one logical character, keeping line/column bookkeeping and skipping splices after it. */
	private advance(): void {
		const c = this.text.charCodeAt(this.pos);
		this.pos++;
		if (c === CH_LF) {
			this.line++;
			this.lineStart = this.pos;
		}
		this.endPos = this.pos;
		this.endLine = this.line;
		this.endCol = this.pos - this.lineStart + 1;
		this.skipSplices();
	}

	private skipSplices(): void {
		const text = this.text;
		while (text.charCodeAt(this.pos) === CH_BACKSLASH && text.charCodeAt(this.pos + 1) === CH_LF) {
			this.pos += 2;
			this.line++;
			this.lineStart = this.pos;
			this.splices++;
		}
	}

	private skipBlockComment(): void {
		const line = this.line;
		const col = this.pos - this.lineStart + 1;
		this.advance();
		this.advance();
		for (;;) {
			const c = this.peek();
			if (c < 0) {
				this.diagnostics.push({
					severity: 'error',
					message: 'unterminated comment',
					range: { file: this.file, line, col, endLine: line, endCol: col + 2 },
				});
				return;
			}
			this.advance();
			if (c === CH_STAR && this.peek() === CH_SLASH) {
				this.advance();
				return;
			}
		}
	}

	/** Scans one token starting with character `c` and returns what it was. */
	private scanToken(c: number): ScanKind {
		if (isDigit(c) || (c === CH_DOT && isDigit(this.peekAt(1)))) {
			this.scanNumber();
			return SCAN_NUMBER;
		}
		if (isIdentifierStart(c)) {
			// Encoding prefixes: L'x', u"x", U'x', u8"x".
			if (c === CH_UPPER_L || c === CH_UPPER_U || c === CH_LOWER_U) {
				let quoteOffset = 1;
				if (c === CH_LOWER_U && this.peekAt(1) === 56 /* 8 */) quoteOffset = 2;
				const q = this.peekAt(quoteOffset);
				if (q === CH_QUOTE || q === CH_DQUOTE) {
					for (let i = 0; i < quoteOffset; i++) this.advance();
					return this.scanQuoted(q);
				}
			}
			this.advance();
			while (isIdentifierPart(this.peek())) this.advance();
			return SCAN_IDENTIFIER;
		}
		if (c === CH_QUOTE || c === CH_DQUOTE) return this.scanQuoted(c);
		if (c === CH_LT && this.directiveState === 2 && this.scanHeaderName()) return SCAN_HEADER;
		return this.scanPunctuator(c);
	}

	private scanNumber(): void {
		// pp-number: digit or .digit, then digits, identifier characters, '.', and e+ e- p+ p- pairs.
		this.advance();
		for (;;) {
			const c = this.peek();
			if (c === CH_LOWER_E || c === CH_UPPER_E || c === CH_LOWER_P || c === CH_UPPER_P) {
				this.advance();
				const sign = this.peek();
				if (sign === CH_PLUS || sign === CH_MINUS) this.advance();
				continue;
			}
			if (isIdentifierPart(c) || c === CH_DOT) {
				this.advance();
				continue;
			}
			return;
		}
	}

	private scanQuoted(quote: number): ScanKind {
		this.advance();
		for (;;) {
			const c = this.peek();
			if (c < 0 || c === CH_LF) {
				return quote === CH_QUOTE ? SCAN_UNTERMINATED_CHAR : SCAN_UNTERMINATED_STRING;
			}
			this.advance();
			if (c === quote) return quote === CH_QUOTE ? SCAN_CHAR : SCAN_STRING;
			if (c === CH_BACKSLASH) {
				const next = this.peek();
				if (next >= 0 && next !== CH_LF) this.advance();
			}
		}
	}

	/** After `#include`, scans `<...>` up to `>` on the same line. Returns false (consuming nothing) if there is none. */
	private scanHeaderName(): boolean {
		const text = this.text;
		let p = this.pos + 1;
		while (p < text.length) {
			const c = text.charCodeAt(p);
			if (c === CH_GT) break;
			if (c === CH_LF && text.charCodeAt(p - 1) !== CH_BACKSLASH) return false;
			p++;
		}
		if (p >= text.length) return false;
		while (this.pos <= p) this.advance();
		return true;
	}

	private scanPunctuator(c: number): ScanKind {
		const c1 = this.peekAt(1);
		let length = 1;
		switch (c) {
			case CH_DOT:
				if (c1 === CH_DOT && this.peekAt(2) === CH_DOT) length = 3;
				break;
			case CH_LT:
				if (c1 === CH_LT) length = this.peekAt(2) === CH_EQ ? 3 : 2;
				else if (c1 === CH_EQ || c1 === CH_COLON || c1 === CH_PERCENT) length = 2;
				break;
			case CH_GT:
				if (c1 === CH_GT) length = this.peekAt(2) === CH_EQ ? 3 : 2;
				else if (c1 === CH_EQ) length = 2;
				break;
			case CH_MINUS:
				if (c1 === CH_GT || c1 === CH_MINUS || c1 === CH_EQ) length = 2;
				break;
			case CH_PLUS:
				if (c1 === CH_PLUS || c1 === CH_EQ) length = 2;
				break;
			case CH_AMP:
				if (c1 === CH_AMP || c1 === CH_EQ) length = 2;
				break;
			case CH_BAR:
				if (c1 === CH_BAR || c1 === CH_EQ) length = 2;
				break;
			case CH_HASH:
				if (c1 === CH_HASH) length = 2;
				break;
			case CH_PERCENT:
				if (c1 === CH_COLON) length = this.peekAt(2) === CH_PERCENT && this.peekAt(3) === CH_COLON ? 4 : 2;
				else if (c1 === CH_EQ || c1 === CH_GT) length = 2;
				break;
			case CH_COLON:
				if (c1 === CH_GT) length = 2;
				break;
			case CH_STAR: case CH_SLASH: case CH_EQ: case CH_BANG: case CH_CARET:
				if (c1 === CH_EQ) length = 2;
				break;
			case 40: case 41: case 44: case 59: case 63: case 91: case 93: case 123: case 125: case 126:
				// ( ) , ; ? [ ] { } ~
				break;
			default: {
				// Not a C character: consume one code point (a surrogate pair stays whole).
				this.advance();
				if (c >= 0xd800 && c <= 0xdbff) {
					const low = this.peek();
					if (low >= 0xdc00 && low <= 0xdfff) this.advance();
				}
				return SCAN_STRAY;
			}
		}
		for (let i = 0; i < length; i++) this.advance();
		return SCAN_PUNCTUATOR;
	}
}

type ScanKind = number;
const SCAN_IDENTIFIER = 0, SCAN_NUMBER = 1, SCAN_CHAR = 2, SCAN_STRING = 3, SCAN_PUNCTUATOR = 4;
const SCAN_UNTERMINATED_CHAR = 5, SCAN_UNTERMINATED_STRING = 6, SCAN_STRAY = 7, SCAN_HEADER = 8;

function toTokenKind(kind: ScanKind): TokenKind {
	switch (kind) {
		case SCAN_IDENTIFIER: return TokenKind.Identifier;
		case SCAN_NUMBER: return TokenKind.Number;
		case SCAN_CHAR: case SCAN_UNTERMINATED_CHAR: return TokenKind.CharLiteral;
		case SCAN_STRING: case SCAN_UNTERMINATED_STRING: case SCAN_HEADER: return TokenKind.StringLiteral;
		default: return TokenKind.Punctuator;
	}
}
