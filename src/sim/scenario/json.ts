// A strict JSON parser that keeps the position of every value and property name (layer: sim, pure).
// Scenario files are JSON (RFC 8259): no comments, no trailing commas, double-quoted strings. The
// parser never throws: the first syntax error comes back as a Diagnostic at the exact offending
// character, the way a compiler reports it, and parsing stops there (later errors in broken JSON
// are mostly echoes of the first). Columns count UTF-16 code units from 1, as the KC lexer does,
// so VS Code and the CLI point at the same character.

import type { Diagnostic, SourceRange } from '../../lang/source';

interface NodeBase {
	/** Offset of the first character of the value. */
	readonly start: number;
	/** Offset just past the last character. */
	readonly end: number;
}

export interface JsonObject extends NodeBase {
	readonly kind: 'object';
	/** In source order. Duplicate keys are a parse error, so keys are unique. */
	readonly properties: readonly JsonProperty[];
}

export interface JsonProperty {
	readonly key: string;
	/** The key's quoted text. */
	readonly keyStart: number;
	readonly keyEnd: number;
	readonly value: JsonNode;
}

export interface JsonArray extends NodeBase {
	readonly kind: 'array';
	readonly items: readonly JsonNode[];
}

export interface JsonString extends NodeBase {
	readonly kind: 'string';
	readonly value: string;
}

export interface JsonNumber extends NodeBase {
	readonly kind: 'number';
	readonly value: number;
}

export interface JsonBoolean extends NodeBase {
	readonly kind: 'boolean';
	readonly value: boolean;
}

export interface JsonNull extends NodeBase {
	readonly kind: 'null';
}

/** A JSON value with its position. */
export type JsonNode = JsonObject | JsonArray | JsonString | JsonNumber | JsonBoolean | JsonNull;

/** A step of a path from the root to a value: a property name or an array index. */
export type JsonPathSegment = string | number;

/** Maps offsets of one text to 1-based line/column ranges. */
export class TextPositions {
	private readonly lineStarts: number[] = [0];

	constructor(readonly text: string, readonly file: string) {
		for (let i = 0; i < text.length; i++) {
			const c = text.charCodeAt(i);
			// \r\n, \r and \n each end a line; a \r\n pair counts once.
			if (c === 0x0a || (c === 0x0d && text.charCodeAt(i + 1) !== 0x0a)) {
				this.lineStarts.push(i + 1);
			}
		}
	}

	/** 1-based line and column of `offset` (clamped to the text). */
	position(offset: number): { line: number; col: number } {
		const at = Math.max(0, Math.min(offset, this.text.length));
		let low = 0;
		let high = this.lineStarts.length - 1;
		while (low < high) {
			const middle = (low + high + 1) >> 1;
			if (this.lineStarts[middle] <= at) {
				low = middle;
			} else {
				high = middle - 1;
			}
		}
		return { line: low + 1, col: at - this.lineStarts[low] + 1 };
	}

	/** The range from `start` to `end` (offsets). */
	range(start: number, end: number): SourceRange {
		const a = this.position(start);
		const b = this.position(Math.max(start, end));
		return { file: this.file, line: a.line, col: a.col, endLine: b.line, endCol: b.col };
	}
}

/** The result of `parseJson`: the root value unless the text is not JSON. */
export interface JsonParseResult {
	readonly root?: JsonNode;
	readonly diagnostics: readonly Diagnostic[];
	readonly positions: TextPositions;
}

/** Parsing nests at most this deep; deeper text is reported, not recursed into (no stack overflow). */
const maxDepth = 512;

class SyntaxProblem {
	constructor(readonly message: string, readonly start: number, readonly end: number) {}
}

function describeChar(c: string): string {
	if (c === '') {
		return 'end of file';
	}
	const code = c.charCodeAt(0);
	if (code < 0x20 || code === 0x7f) {
		return `character U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
	}
	return `'${c}'`;
}

/** A recursive-descent parser over one text; `parse` throws only SyntaxProblem, caught by `parseJson`. */
class Parser {
	private pos = 0;
	/** Offset of the last ',' consumed, for pointing at a trailing comma. */
	private lastComma = 0;

	constructor(private readonly text: string) {}

	parseDocument(): JsonNode {
		this.skipSpace();
		if (this.pos >= this.text.length) {
			throw new SyntaxProblem('expected a JSON value, but the file is empty', this.pos, this.pos);
		}
		const root = this.parseValue(0);
		this.skipSpace();
		if (this.pos < this.text.length) {
			throw new SyntaxProblem(`unexpected ${describeChar(this.text[this.pos])} after the end of the JSON value`, this.pos, this.pos + 1);
		}
		return root;
	}

	/** Skips whitespace; a comment is an error (JSON has none), reported at the comment. */
	private skipSpace(): void {
		for (;;) {
			const c = this.text[this.pos];
			if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
				this.pos++;
			} else if (c === '/' && (this.text[this.pos + 1] === '/' || this.text[this.pos + 1] === '*')) {
				throw new SyntaxProblem('comments are not allowed in JSON', this.pos, this.pos + 2);
			} else {
				return;
			}
		}
	}

	private peek(): string {
		return this.pos < this.text.length ? this.text[this.pos] : '';
	}

	private unexpected(expected: string): SyntaxProblem {
		const c = this.peek();
		if (c === '') {
			return new SyntaxProblem(`expected ${expected}, got end of file`, this.pos, this.pos);
		}
		return new SyntaxProblem(`expected ${expected}, got ${describeChar(c)}`, this.pos, this.pos + 1);
	}

	private parseValue(depth: number): JsonNode {
		if (depth > maxDepth) {
			throw new SyntaxProblem(`values nest deeper than ${maxDepth} levels`, this.pos, this.pos + 1);
		}
		const c = this.peek();
		switch (c) {
			case '{':
				return this.parseObject(depth);
			case '[':
				return this.parseArray(depth);
			case '"':
				return this.parseString();
			case '\'':
				throw new SyntaxProblem('strings must be in double quotes', this.pos, this.pos + 1);
			case 't':
			case 'f':
			case 'n':
				return this.parseLiteral();
			default:
				if (c === '-' || (c >= '0' && c <= '9')) {
					return this.parseNumber();
				}
				if (/[A-Za-z_$]/.test(c)) {
					return this.parseLiteral();
				}
				throw this.unexpected('a JSON value');
		}
	}

	private parseLiteral(): JsonNode {
		const start = this.pos;
		for (const [word, node] of [
			['true', { kind: 'boolean', value: true }],
			['false', { kind: 'boolean', value: false }],
			['null', { kind: 'null' }],
		] as const) {
			if (this.text.startsWith(word, start) && !/[\w$]/.test(this.text[start + word.length] ?? '')) {
				this.pos += word.length;
				return { ...node, start, end: this.pos } as JsonNode;
			}
		}
		let end = start;
		while (end < this.text.length && /[\w$]/.test(this.text[end])) {
			end++;
		}
		throw new SyntaxProblem(`unexpected word '${this.text.slice(start, end)}': expected a JSON value (strings need double quotes)`, start, end);
	}

	private parseNumber(): JsonNumber {
		const start = this.pos;
		const match = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
		match.lastIndex = start;
		const found = match.exec(this.text);
		if (found === null) {
			throw new SyntaxProblem('invalid number', start, start + 1);
		}
		let end = start + found[0].length;
		const next = this.text[end] ?? '';
		if (/[\w.$]/.test(next)) {
			// `0x10`, `012`, `1.`, `1e`, `1_000`: show the whole malformed token.
			while (end < this.text.length && /[\w.$+-]/.test(this.text[end])) {
				end++;
			}
			const token = this.text.slice(start, end);
			const hint = /^-?0[xX]/.test(token) ? ' (JSON has no hexadecimal numbers; write a string such as "0x1000")'
				: /^-?0\d/.test(token) ? ' (JSON numbers have no leading zeros)' : '';
			throw new SyntaxProblem(`invalid number '${token}'${hint}`, start, end);
		}
		this.pos = end;
		return { kind: 'number', value: Number(found[0]), start, end };
	}

	private parseString(): JsonString {
		const start = this.pos;
		this.pos++;
		let value = '';
		let chunk = this.pos;
		for (;;) {
			if (this.pos >= this.text.length) {
				throw new SyntaxProblem('unterminated string', start, this.pos);
			}
			const c = this.text[this.pos];
			if (c === '"') {
				value += this.text.slice(chunk, this.pos);
				this.pos++;
				return { kind: 'string', value, start, end: this.pos };
			}
			if (c === '\n' || c === '\r') {
				throw new SyntaxProblem('unterminated string (a line break must be written \\n)', start, this.pos);
			}
			if (c.charCodeAt(0) < 0x20) {
				throw new SyntaxProblem(`${describeChar(c)} in a string must be escaped`, this.pos, this.pos + 1);
			}
			if (c !== '\\') {
				this.pos++;
				continue;
			}
			value += this.text.slice(chunk, this.pos);
			const escapeStart = this.pos;
			const e = this.text[this.pos + 1] ?? '';
			const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
			if (simple[e] !== undefined) {
				value += simple[e];
				this.pos += 2;
			} else if (e === 'u') {
				const hex = this.text.slice(this.pos + 2, this.pos + 6);
				if (!/^[0-9a-fA-F]{4}$/.test(hex)) {
					throw new SyntaxProblem('\\u must be followed by four hexadecimal digits', escapeStart, Math.min(this.text.length, this.pos + 6));
				}
				value += String.fromCharCode(parseInt(hex, 16));
				this.pos += 6;
			} else {
				throw new SyntaxProblem(e === '' ? 'unterminated string' : `invalid escape '\\${e}' in a string`, escapeStart, Math.min(this.text.length, this.pos + 2));
			}
			chunk = this.pos;
		}
	}

	private parseObject(depth: number): JsonObject {
		const start = this.pos;
		this.pos++;
		const properties: JsonProperty[] = [];
		const seen = new Map<string, number>();
		this.skipSpace();
		if (this.peek() === '}') {
			this.pos++;
			return { kind: 'object', properties, start, end: this.pos };
		}
		for (;;) {
			this.skipSpace();
			const c = this.peek();
			if (c !== '"') {
				if (c === '}' && properties.length > 0) {
					throw new SyntaxProblem('trailing comma before \'}\' is not allowed in JSON', this.lastComma, this.lastComma + 1);
				}
				if (c === '\'') {
					throw new SyntaxProblem('property names must be in double quotes', this.pos, this.pos + 1);
				}
				if (/[A-Za-z_$]/.test(c)) {
					let end = this.pos;
					while (end < this.text.length && /[\w$]/.test(this.text[end])) {
						end++;
					}
					throw new SyntaxProblem(`property names must be in double quotes: "${this.text.slice(this.pos, end)}"`, this.pos, end);
				}
				throw this.unexpected('a property name in double quotes');
			}
			const key = this.parseString();
			const first = seen.get(key.value);
			if (first !== undefined) {
				throw new SyntaxProblem(`duplicate property "${key.value}" in this object`, key.start, key.end);
			}
			seen.set(key.value, key.start);
			this.skipSpace();
			if (this.peek() !== ':') {
				throw this.unexpected(`':' after the property name "${key.value}"`);
			}
			this.pos++;
			this.skipSpace();
			const value = this.parseValue(depth + 1);
			properties.push({ key: key.value, keyStart: key.start, keyEnd: key.end, value });
			this.skipSpace();
			const after = this.peek();
			if (after === ',') {
				this.lastComma = this.pos;
				this.pos++;
				continue;
			}
			if (after === '}') {
				this.pos++;
				return { kind: 'object', properties, start, end: this.pos };
			}
			if (after === '"') {
				throw new SyntaxProblem('missing \',\' between properties', this.pos, this.pos + 1);
			}
			throw this.unexpected('\',\' or \'}\' after the property value');
		}
	}

	private parseArray(depth: number): JsonArray {
		const start = this.pos;
		this.pos++;
		const items: JsonNode[] = [];
		this.skipSpace();
		if (this.peek() === ']') {
			this.pos++;
			return { kind: 'array', items, start, end: this.pos };
		}
		for (;;) {
			this.skipSpace();
			if (this.peek() === ']' && items.length > 0) {
				throw new SyntaxProblem('trailing comma before \']\' is not allowed in JSON', this.lastComma, this.lastComma + 1);
			}
			if (this.peek() === ',') {
				throw this.unexpected('a JSON value');
			}
			items.push(this.parseValue(depth + 1));
			this.skipSpace();
			const after = this.peek();
			if (after === ',') {
				this.lastComma = this.pos;
				this.pos++;
				continue;
			}
			if (after === ']') {
				this.pos++;
				return { kind: 'array', items, start, end: this.pos };
			}
			if (after === '"' || after === '{' || after === '[') {
				throw new SyntaxProblem('missing \',\' between array elements', this.pos, this.pos + 1);
			}
			throw this.unexpected('\',\' or \']\' after the array element');
		}
	}
}

/**
 * Parses `text` as strict JSON. Never throws: a syntax error gives one diagnostic at the offending
 * character (and no root). A byte-order mark at the start is skipped, as editors write one.
 */
export function parseJson(text: string, file: string): JsonParseResult {
	const positions = new TextPositions(text, file);
	const parser = new Parser(text.charCodeAt(0) === 0xfeff ? ` ${text.slice(1)}` : text);
	try {
		return { root: parser.parseDocument(), diagnostics: [], positions };
	} catch (problem) {
		if (!(problem instanceof SyntaxProblem)) {
			throw problem;
		}
		return { diagnostics: [{ severity: 'error', message: problem.message, range: positions.range(problem.start, problem.end) }], positions };
	}
}

/** The plain JavaScript value of a node (objects get a null prototype, so `__proto__` is just a key). */
export function jsonValue(node: JsonNode): unknown {
	switch (node.kind) {
		case 'object': {
			const value: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
			for (const p of node.properties) {
				value[p.key] = jsonValue(p.value);
			}
			return value;
		}
		case 'array':
			return node.items.map(jsonValue);
		case 'null':
			return null;
		default:
			return node.value;
	}
}

/** The property `key` of an object node, if present. */
export function jsonProperty(node: JsonNode | undefined, key: string): JsonProperty | undefined {
	return node?.kind === 'object' ? node.properties.find(p => p.key === key) : undefined;
}

/** The node at `path` below `root`, or the deepest node on the way there when the path leaves the tree. */
export function jsonNodeAt(root: JsonNode, path: readonly JsonPathSegment[]): JsonNode {
	let node = root;
	for (const segment of path) {
		const next = typeof segment === 'number'
			? (node.kind === 'array' ? node.items[segment] : undefined)
			: jsonProperty(node, segment)?.value;
		if (next === undefined) {
			return node;
		}
		node = next;
	}
	return node;
}

/** `machine.ram`, `processes[0].program`; the empty path is `(top level)`. */
export function formatJsonPath(path: readonly JsonPathSegment[]): string {
	let text = '';
	for (const segment of path) {
		if (typeof segment === 'number') {
			text += `[${segment}]`;
		} else if (/^[A-Za-z_$][\w$-]*$/.test(segment)) {
			text += text === '' ? segment : `.${segment}`;
		} else {
			text += `[${JSON.stringify(segment)}]`;
		}
	}
	return text === '' ? '(top level)' : text;
}
