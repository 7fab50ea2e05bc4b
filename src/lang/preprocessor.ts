// The KC preprocessor: C11 translation phase 4 with the GNU extensions kernels use (layer: lang).
//
// Files are lexed once (cached per path) and walked by index; directives are recognised by the
// lexer's line-start flag. Macro expansion follows Dave Prosser's algorithm (the one behind the
// C standard's wording): every token carries a "hide set" of macro names it was produced by, and a
// name in its own token's hide set is never expanded again ("painted blue"). This terminates on
// any self-referential definition and matches gcc on the standard's examples. Expansion results
// are pushed onto a stack of pending tokens in front of the file, so rescanning together with the
// rest of the input (`f` at the end of an expansion taking `(...)` from the file) needs no copying.
//
// Bounds: include depth (`maxIncludeDepth`), nesting of argument pre-expansion, `#if` expression
// depth, and a total work budget (tokens produced by expansion plus tokens of included files). A
// pathological input ends with a diagnostic, never with a hang or a thrown exception.

import { FLAG_LINE_START, FLAG_UNTERMINATED, contextualProblem, lexWithFlags } from './lexer';
import { decodeCharLiteral, isFloatingLiteral, parseIntegerLiteral } from './literals';
import type { Diagnostic, Severity, SourceProvider, SourceRange } from './source';
import { TokenKind, type Token } from './tokens';

/** Options for one preprocessing run. */
export interface PreprocessOptions {
	/**
	 * Command-line style definitions, applied after the predefined macros: `{ DEBUG: '1' }` is
	 * `-DDEBUG=1`, `{ 'F(x)': '((x)+1)' }` defines a function-like macro. An empty value defines
	 * the macro as empty (write '1' for gcc's bare `-DNAME`).
	 */
	defines?: Readonly<Record<string, string>>;
	/** Names to `#undef` after `defines` (like `-U`). */
	undefines?: readonly string[];
	/** Maximum `#include` nesting; default 64. */
	maxIncludeDepth?: number;
	/**
	 * Budget of tokens the run may produce by macro expansion and file inclusion together; default
	 * 20,000,000. When exhausted, expansion and inclusion stop with a diagnostic.
	 */
	workLimit?: number;
}

/** A macro as defined at the end of preprocessing, for hover and go-to-definition. */
export interface MacroDefinition {
	name: string;
	/**
	 * Parameters as written, for function-like macros: `['a', '...']` for `(a, ...)`, and
	 * `['a', 'rest...']` for GNU `(a, rest...)`. Undefined for object-like macros.
	 */
	params?: string[];
	variadic: boolean;
	/** The replacement list's spelling, tokens separated by single spaces where the source had space. */
	body: string;
	/** Where the macro was defined; predefined macros use file '<built-in>', `-D` ones '<command-line>'. */
	range: SourceRange;
}

export interface PreprocessResult {
	/** The token stream for the parser, ending with the main file's EOF token. */
	tokens: Token[];
	diagnostics: Diagnostic[];
	/** Paths (as returned by `SourceProvider.resolveInclude`) of every file included, once each, in first-inclusion order. */
	includedFiles: string[];
	/** The macros defined when preprocessing ended. */
	macros: ReadonlyMap<string, MacroDefinition>;
}

/**
 * Preprocesses `mainFile`, reading it and its includes through `sources`. Never throws: problems
 * become diagnostics and preprocessing continues where it sensibly can.
 */
export function preprocess(mainFile: string, sources: SourceProvider, options: PreprocessOptions = {}): PreprocessResult {
	return new Preprocessor(sources, options).run(mainFile);
}

/**
 * A SourceProvider over in-memory files, for tests and tools. Quoted includes are searched next to
 * the including file, then at the root, then in `systemDirs`; angle includes at the root and in
 * `systemDirs`. Paths are normalised (`./`, `../`, duplicate slashes).
 */
export function memorySources(files: Readonly<Record<string, string>>, systemDirs: readonly string[] = ['include']): SourceProvider {
	const has = (path: string): boolean => Object.prototype.hasOwnProperty.call(files, path);
	return {
		read(path: string): string | undefined {
			return has(path) ? files[path] : undefined;
		},
		resolveInclude(name: string, fromFile: string, quoted: boolean): string | undefined {
			const candidates: string[] = [];
			if (quoted) {
				const slash = fromFile.lastIndexOf('/');
				candidates.push(slash >= 0 ? fromFile.slice(0, slash + 1) + name : name);
			}
			candidates.push(name);
			for (const dir of systemDirs) candidates.push(`${dir}/${name}`);
			for (const candidate of candidates) {
				const path = normalizePath(candidate);
				if (has(path)) return path;
			}
			return undefined;
		},
	};
}

function normalizePath(path: string): string {
	const absolute = path.startsWith('/');
	const parts: string[] = [];
	for (const part of path.split('/')) {
		if (part === '' || part === '.') continue;
		if (part === '..' && parts.length > 0 && parts[parts.length - 1] !== '..') parts.pop();
		else parts.push(part);
	}
	return (absolute ? '/' : '') + parts.join('/');
}

// ---------------------------------------------------------------------------------------------
// Internals

/** A token inside the preprocessor: a Token plus the names of the macros that produced it. */
interface PPToken extends Token {
	readonly hideSet?: HideSet;
}

/** An immutable, interned set of macro names; equal sets are the same object, so caches work. */
class HideSet {
	readonly withCache = new Map<string, HideSet>();
	readonly unionCache = new Map<HideSet, HideSet>();
	constructor(readonly names: ReadonlySet<string>) {}
	has(name: string): boolean {
		return this.names.has(name);
	}
}

class HideSets {
	private readonly interned = new Map<string, HideSet>();

	private intern(names: Set<string>): HideSet {
		const key = Array.from(names).sort().join(' ');
		let set = this.interned.get(key);
		if (set === undefined) {
			set = new HideSet(names);
			this.interned.set(key, set);
		}
		return set;
	}

	add(set: HideSet | undefined, name: string): HideSet {
		if (set === undefined) return this.intern(new Set([name]));
		let result = set.withCache.get(name);
		if (result === undefined) {
			result = set.has(name) ? set : this.intern(new Set([...set.names, name]));
			set.withCache.set(name, result);
		}
		return result;
	}

	union(a: HideSet | undefined, b: HideSet | undefined): HideSet | undefined {
		if (a === undefined || a === b) return b;
		if (b === undefined) return a;
		let result = a.unionCache.get(b);
		if (result === undefined) {
			result = this.intern(new Set([...a.names, ...b.names]));
			a.unionCache.set(b, result);
		}
		return result;
	}

	intersect(a: HideSet | undefined, b: HideSet | undefined): HideSet | undefined {
		if (a === undefined || b === undefined) return undefined;
		if (a === b) return a;
		const names = new Set<string>();
		for (const name of a.names) if (b.has(name)) names.add(name);
		return names.size === 0 ? undefined : this.intern(names);
	}
}

type BuiltinKind = 'file' | 'line' | 'counter' | 'includeLevel' | 'baseFile' | 'operator';

interface Macro {
	readonly def: MacroDefinition;
	readonly functionLike: boolean;
	/** Parameter names used for lookup; C99 `...` is `__VA_ARGS__`. */
	readonly params: readonly string[];
	readonly variadic: boolean;
	readonly body: readonly Token[];
	/** For each body token, the index of the parameter it names, or -1. */
	readonly paramIndex: Int32Array;
	/** Dynamic macros computed at each use (`__LINE__`), and names only meaningful in `#if`. */
	readonly builtin?: BuiltinKind;
}

interface LexedFile {
	readonly tokens: Token[];
	readonly flags: Uint8Array;
	/** The macro of a classic include guard covering the whole file, if there is one. */
	readonly guard?: string;
}

interface Conditional {
	/** The directive that opened or last continued it: 'if', 'ifdef', 'ifndef', 'elif', 'else'. */
	directive: string;
	readonly range: SourceRange;
	/** Some group of this conditional has been (or is being) included. */
	taken: boolean;
	sawElse: boolean;
}

interface FileContext {
	readonly path: string;
	readonly tokens: Token[];
	readonly flags: Uint8Array;
	index: number;
	readonly conditionals: Conditional[];
	/** `#line` state: name and line offset applied to this file's tokens from then on. */
	presumedFile: string;
	lineDelta: number;
}

/** The placemarker of C11 6.10.3.3: stands for an empty argument next to `##`, removed afterwards. */
const PLACEMARKER: PPToken = {
	kind: TokenKind.Punctuator,
	text: '',
	range: { file: '', line: 0, col: 0, endLine: 0, endCol: 0 },
	spaceBefore: false,
};

const VALID_PUNCTUATORS = new Set([
	'[', ']', '(', ')', '{', '}', '.', '->', '++', '--', '&', '*', '+', '-', '~', '!', '/', '%', '<<', '>>',
	'<', '>', '<=', '>=', '==', '!=', '^', '|', '&&', '||', '?', ':', ';', '...', '=', '*=', '/=', '%=', '+=',
	'-=', '<<=', '>>=', '&=', '^=', '|=', ',', '#', '##',
]);

const BUILTIN_FILE = '<built-in>';
const COMMAND_LINE_FILE = '<command-line>';
const MAX_EXPANSION_NESTING = 200;
const MAX_EXPRESSION_DEPTH = 256;
const DEFAULT_WORK_LIMIT = 20_000_000;

/** Predefined macros of an x86-64 Linux gcc-like target. */
const PREDEFINED = `
#define __STDC__ 1
#define __STDC_VERSION__ 201112L
#define __STDC_HOSTED__ 1
#define __STDC_UTF_16__ 1
#define __STDC_UTF_32__ 1
#define __x86_64__ 1
#define __x86_64 1
#define __amd64__ 1
#define __amd64 1
#define __linux__ 1
#define __linux 1
#define __gnu_linux__ 1
#define __unix__ 1
#define __unix 1
#define __ELF__ 1
#define __LP64__ 1
#define _LP64 1
#define __CHAR_BIT__ 8
#define __SIZEOF_INT__ 4
#define __SIZEOF_LONG__ 8
#define __SIZEOF_LONG_LONG__ 8
#define __SIZEOF_SHORT__ 2
#define __SIZEOF_POINTER__ 8
#define __SIZEOF_FLOAT__ 4
#define __SIZEOF_DOUBLE__ 8
#define __SIZEOF_LONG_DOUBLE__ 16
#define __SIZEOF_SIZE_T__ 8
#define __SIZEOF_WCHAR_T__ 4
#define __SIZEOF_WINT_T__ 4
#define __SIZEOF_PTRDIFF_T__ 8
#define __ORDER_LITTLE_ENDIAN__ 1234
#define __ORDER_BIG_ENDIAN__ 4321
#define __ORDER_PDP_ENDIAN__ 3412
#define __BYTE_ORDER__ __ORDER_LITTLE_ENDIAN__
#define __SCHAR_MAX__ 0x7f
#define __SHRT_MAX__ 0x7fff
#define __INT_MAX__ 0x7fffffff
#define __LONG_MAX__ 0x7fffffffffffffffL
#define __LONG_LONG_MAX__ 0x7fffffffffffffffLL
#define __WCHAR_MAX__ 0x7fffffff
#define __WCHAR_MIN__ (-__WCHAR_MAX__ - 1)
#define __INTMAX_MAX__ 0x7fffffffffffffffL
#define __UINTMAX_MAX__ 0xffffffffffffffffUL
#define __SIZE_MAX__ 0xffffffffffffffffUL
#define __PTRDIFF_MAX__ 0x7fffffffffffffffL
#define __INTPTR_MAX__ 0x7fffffffffffffffL
#define __UINTPTR_MAX__ 0xffffffffffffffffUL
#define __SIZE_TYPE__ long unsigned int
#define __PTRDIFF_TYPE__ long int
#define __WCHAR_TYPE__ int
#define __WINT_TYPE__ unsigned int
#define __INTMAX_TYPE__ long int
#define __UINTMAX_TYPE__ long unsigned int
#define __INTPTR_TYPE__ long int
#define __UINTPTR_TYPE__ long unsigned int
#define __CHAR16_TYPE__ short unsigned int
#define __CHAR32_TYPE__ unsigned int
#define __GNUC__ 4
#define __GNUC_MINOR__ 2
#define __GNUC_PATCHLEVEL__ 1
#define __VERSION__ "4.2.1 Compatible Faultline KC"
#define __USER_LABEL_PREFIX__
#define __REGISTER_PREFIX__
#define __DATE__ "Jan  1 2000"
#define __TIME__ "00:00:00"
#define __FAULTLINE__ 1
#define __KC__ 1
`;

const DYNAMIC_BUILTINS: readonly [string, BuiltinKind][] = [
	['__FILE__', 'file'], ['__LINE__', 'line'], ['__COUNTER__', 'counter'], ['__INCLUDE_LEVEL__', 'includeLevel'],
	['__BASE_FILE__', 'baseFile'], ['__has_include', 'operator'], ['__has_include_next', 'operator'],
	['__has_attribute', 'operator'], ['__has_builtin', 'operator'], ['__has_c_attribute', 'operator'],
	['__has_feature', 'operator'], ['__has_extension', 'operator'],
];

/**
 * Reads tokens front to back. `stack` holds pending tokens in reverse (the next one last), in front
 * of the files when the reader is the top-level one, or alone when it expands an isolated list.
 */
class Reader {
	readonly stack: PPToken[] = [];
	constructor(private readonly files: Preprocessor | undefined) {}

	static of(tokens: readonly PPToken[]): Reader {
		const reader = new Reader(undefined);
		for (let i = tokens.length - 1; i >= 0; i--) reader.stack.push(tokens[i]);
		return reader;
	}

	next(): PPToken | undefined {
		return this.stack.length > 0 ? this.stack.pop() : this.files?.readFile();
	}

	pushFront(tokens: readonly PPToken[]): void {
		for (let i = tokens.length - 1; i >= 0; i--) this.stack.push(tokens[i]);
	}

	/** True if the next token is `(` (without consuming it). */
	nextIsLParen(): boolean {
		if (this.stack.length > 0) return isPunctuator(this.stack[this.stack.length - 1], '(');
		return this.files?.fileNextIsLParen() ?? false;
	}
}

function isPunctuator(t: Token | undefined, text: string): boolean {
	return t !== undefined && t.kind === TokenKind.Punctuator && t.text === text;
}

function spell(tokens: readonly Token[]): string {
	let text = '';
	for (let i = 0; i < tokens.length; i++) {
		if (i > 0 && tokens[i].spaceBefore) text += ' ';
		text += tokens[i].text;
	}
	return text;
}

function directiveRange(first: Token, last: Token): SourceRange {
	return { file: first.range.file, line: first.range.line, col: first.range.col, endLine: last.range.endLine, endCol: last.range.endCol };
}

function quoteString(text: string): string {
	return '"' + text.replace(/\\/g, '\\\\').replace(/"/g, '\\"') + '"';
}

/** Finds `#ifndef X` ... `#endif` around a whole file (nothing but the guard outside it). */
function findIncludeGuard(tokens: readonly Token[], flags: Uint8Array): string | undefined {
	const isDirectiveAt = (i: number): boolean =>
		(flags[i] & FLAG_LINE_START) !== 0 && isPunctuator(tokens[i], '#') && (flags[i + 1] & FLAG_LINE_START) === 0;
	if (tokens.length < 4 || !isDirectiveAt(0) || tokens[1].text !== 'ifndef' || tokens[2].kind !== TokenKind.Identifier) return undefined;
	if (!(flags[3] & FLAG_LINE_START) && tokens[3].kind !== TokenKind.EOF) return undefined;
	let depth = 1;
	for (let i = 3; tokens[i].kind !== TokenKind.EOF; i++) {
		if (!isDirectiveAt(i)) continue;
		const name = tokens[i + 1].text;
		if (name === 'if' || name === 'ifdef' || name === 'ifndef') depth++;
		else if ((name === 'else' || name.startsWith('elif')) && depth === 1) return undefined;
		else if (name === 'endif' && --depth === 0) {
			let j = i + 2;
			while (tokens[j].kind !== TokenKind.EOF && !(flags[j] & FLAG_LINE_START)) j++;
			return tokens[j].kind === TokenKind.EOF ? tokens[2].text : undefined;
		}
	}
	return undefined;
}

/** A value of a `#if` expression: intmax_t or uintmax_t. */
interface PPValue {
	readonly value: bigint;
	readonly unsigned: boolean;
}

class Preprocessor {
	private readonly macros = new Map<string, Macro>();
	private readonly diagnostics: Diagnostic[] = [];
	private readonly output: Token[] = [];
	private readonly files: FileContext[] = [];
	private readonly lexed = new Map<string, LexedFile>();
	private readonly included = new Set<string>();
	private readonly onceFiles = new Set<string>();
	private readonly hideSets = new HideSets();
	private readonly top = new Reader(this);
	private readonly maxIncludeDepth: number;
	private readonly workLimit: number;
	private work = 0;
	/** Set when the work budget ran out: no more expansion or inclusion. */
	private exhausted = false;
	private nesting = 0;
	/** True while expanding a `#if` line, where `defined` is an operator. */
	private inCondition = false;
	private counter = 0;
	private mainFile = '';

	constructor(private readonly sources: SourceProvider, private readonly options: PreprocessOptions) {
		this.maxIncludeDepth = options.maxIncludeDepth ?? 64;
		this.workLimit = options.workLimit ?? DEFAULT_WORK_LIMIT;
	}

	run(mainFile: string): PreprocessResult {
		this.mainFile = mainFile;
		let eof: Token = { kind: TokenKind.EOF, text: '', range: { file: mainFile, line: 1, col: 1, endLine: 1, endCol: 1 }, spaceBefore: false };
		try {
			this.definePredefined();
			const text = this.sources.read(mainFile);
			if (text === undefined) {
				this.report('error', `'${mainFile}' file not found`, eof.range);
			} else {
				const file = this.load(mainFile, text);
				eof = file.tokens[file.tokens.length - 1];
				this.enter(mainFile, file);
				for (let t = this.nextExpanded(this.top); t !== undefined; t = this.nextExpanded(this.top)) this.emit(t);
			}
		} catch (error) {
			// A bug in the preprocessor, not in the program: report it rather than crash the caller.
			this.report('error', `internal preprocessor error: ${error instanceof Error ? error.message : String(error)}`, eof.range);
		}
		this.output.push(eof);
		const macros = new Map<string, MacroDefinition>();
		for (const [name, macro] of this.macros) macros.set(name, macro.def);
		return { tokens: this.output, diagnostics: this.diagnostics, includedFiles: Array.from(this.included), macros };
	}

	private report(severity: Severity, message: string, range: SourceRange): void {
		this.diagnostics.push({ severity, message, range });
	}

	/** Adds `amount` to the work done; false (after one diagnostic) once the budget is gone. */
	private spend(amount: number, range: SourceRange): boolean {
		if (this.exhausted) return false;
		this.work += amount;
		if (this.work <= this.workLimit) return true;
		this.exhausted = true;
		this.report('error', `preprocessing exceeds the limit of ${this.workLimit} tokens; macro expansion and #include stopped here`, range);
		return false;
	}

	private definePredefined(): void {
		const builtinRange: SourceRange = { file: BUILTIN_FILE, line: 1, col: 1, endLine: 1, endCol: 1 };
		for (const [name, builtin] of DYNAMIC_BUILTINS) {
			this.macros.set(name, {
				def: { name, variadic: false, body: '', range: builtinRange },
				functionLike: false, params: [], variadic: false, body: [], paramIndex: new Int32Array(0), builtin,
			});
		}
		this.runPseudoFile(BUILTIN_FILE, PREDEFINED);
		let commandLine = '';
		for (const [key, value] of Object.entries(this.options.defines ?? {})) {
			const eq = key.indexOf('=');
			// Accept `{ 'X=1': '' }` too; newlines would end the directive early.
			const [name, body] = eq >= 0 && value === '' ? [key.slice(0, eq), key.slice(eq + 1)] : [key, value];
			commandLine += `#define ${name.replace(/\n/g, ' ')} ${body.replace(/\n/g, ' ')}\n`;
		}
		for (const name of this.options.undefines ?? []) commandLine += `#undef ${name.replace(/\n/g, ' ')}\n`;
		if (commandLine !== '') this.runPseudoFile(COMMAND_LINE_FILE, commandLine);
	}

	/** Processes a file of directives (predefined macros, -D/-U), discarding any other tokens. */
	private runPseudoFile(name: string, text: string): void {
		const lexed = lexWithFlags(text, name);
		for (const d of lexed.diagnostics) this.diagnostics.push(d);
		this.enter(name, { tokens: lexed.tokens, flags: lexed.flags });
		while (this.readFile() !== undefined) { /* only directives matter */ }
	}

	private load(path: string, text: string): LexedFile {
		let file = this.lexed.get(path);
		if (file === undefined) {
			const lexed = lexWithFlags(text, path);
			for (const d of lexed.diagnostics) this.diagnostics.push(d);
			file = { tokens: lexed.tokens, flags: lexed.flags, guard: findIncludeGuard(lexed.tokens, lexed.flags) };
			this.lexed.set(path, file);
		}
		return file;
	}

	private enter(path: string, file: LexedFile): void {
		this.files.push({
			path, tokens: file.tokens, flags: file.flags, index: 0, conditionals: [], presumedFile: path, lineDelta: 0,
		});
	}

	private emit(t: PPToken): void {
		if (t.kind === TokenKind.Punctuator && !VALID_PUNCTUATORS.has(t.text)) {
			if (t !== PLACEMARKER) this.report('error', `stray '${t.text}' in program`, t.range);
			return;
		}
		if (t.macro === undefined && t.hideSet === undefined) this.output.push(t);
		else this.output.push(t.macro === undefined
			? { kind: t.kind, text: t.text, range: t.range, spaceBefore: t.spaceBefore }
			: { kind: t.kind, text: t.text, range: t.range, spaceBefore: t.spaceBefore, macro: t.macro });
	}

	// ----- Reading files and directives -----

	/** The next token of the current file that is not part of a directive, or undefined at the end. */
	readFile(): PPToken | undefined {
		for (;;) {
			const context = this.files[this.files.length - 1];
			if (context === undefined) return undefined;
			const index = context.index;
			const t = context.tokens[index];
			if (t.kind === TokenKind.EOF) {
				this.leave(context);
				continue;
			}
			const flags = context.flags[index];
			if ((flags & FLAG_LINE_START) !== 0 && t.kind === TokenKind.Punctuator && t.text === '#') {
				this.directive(context);
				continue;
			}
			context.index = index + 1;
			if (flags & FLAG_UNTERMINATED) this.report('error', contextualProblem(t, flags)!, t.range);
			return context.lineDelta === 0 && context.presumedFile === context.path ? t : this.presumed(context, t);
		}
	}

	/**
	 * True if the current file's next token is `(`. A directive line in between means no, and so
	 * does the end of an included file: an invocation does not continue into the includer.
	 */
	fileNextIsLParen(): boolean {
		const context = this.files[this.files.length - 1];
		return context !== undefined && isPunctuator(context.tokens[context.index], '(');
	}

	private presumed(context: FileContext, t: Token): Token {
		const r = t.range;
		return {
			kind: t.kind, text: t.text, spaceBefore: t.spaceBefore,
			range: { file: context.presumedFile, line: r.line + context.lineDelta, col: r.col, endLine: r.endLine + context.lineDelta, endCol: r.endCol },
		};
	}

	private leave(context: FileContext): void {
		for (const conditional of context.conditionals) {
			this.report('error', `unterminated #${conditional.directive}`, conditional.range);
		}
		this.files.pop();
	}

	/**
	 * Handles the directive whose `#` is at `context.index`, then skips any groups excluded by
	 * conditionals. Leaves `context.index` after the directive line (or the skipped text).
	 */
	private directive(context: FileContext): void {
		let skip = this.runDirective(context);
		while (skip) {
			this.skipGroup(context);
			if (context.tokens[context.index].kind === TokenKind.EOF) return;
			skip = this.runDirective(context);
		}
	}

	/** Moves `context.index` to the next `#elif`/`#else`/`#endif` of the current conditional, or EOF. */
	private skipGroup(context: FileContext): void {
		const { tokens, flags } = context;
		let depth = 0;
		for (let i = context.index; ; i++) {
			const t = tokens[i];
			if (t.kind === TokenKind.EOF) {
				context.index = i;
				return;
			}
			if ((flags[i] & FLAG_LINE_START) === 0 || t.kind !== TokenKind.Punctuator || t.text !== '#') continue;
			const name = tokens[i + 1];
			if ((flags[i + 1] & FLAG_LINE_START) !== 0 || name.kind !== TokenKind.Identifier) continue;
			switch (name.text) {
				case 'if': case 'ifdef': case 'ifndef':
					depth++;
					break;
				case 'endif':
					if (depth-- > 0) break;
				// falls through: the end of the skipped group at depth 0
				case 'elif': case 'else': case 'elifdef': case 'elifndef':
					if (depth <= 0) {
						context.index = i;
						return;
					}
			}
		}
	}

	/** Runs one directive line. Returns true if the group after it must be skipped. */
	private runDirective(context: FileContext): boolean {
		const { tokens, flags } = context;
		const hashIndex = context.index;
		let end = hashIndex + 1;
		while (tokens[end].kind !== TokenKind.EOF && (flags[end] & FLAG_LINE_START) === 0) end++;
		context.index = end;
		let line = tokens.slice(hashIndex, end);
		if (context.lineDelta !== 0 || context.presumedFile !== context.path) line = line.map(t => this.presumed(context, t));
		if (line.length === 1) return false; // the null directive
		const range = directiveRange(line[0], line[line.length - 1]);
		const nameToken = line[1];
		const args = line.slice(2);
		if (nameToken.kind === TokenKind.Number) {
			// A GNU line marker, `# 33 "file.c" 1`.
			this.lineDirective(context, line.slice(1), range, line[line.length - 1]);
			return false;
		}
		const name = nameToken.kind === TokenKind.Identifier ? nameToken.text : '';
		const conditionals = context.conditionals;
		switch (name) {
			case 'if': {
				const value = this.evaluateCondition(args, range, 'if');
				conditionals.push({ directive: 'if', range, taken: value, sawElse: false });
				return !value;
			}
			case 'ifdef': case 'ifndef': {
				const value = this.definedCondition(args, range, name) === (name === 'ifdef');
				conditionals.push({ directive: name, range, taken: value, sawElse: false });
				return !value;
			}
			case 'elif': case 'elifdef': case 'elifndef': {
				const top = conditionals[conditionals.length - 1];
				if (top === undefined) {
					this.report('error', `#${name} without #if`, range);
					return false;
				}
				if (top.sawElse) this.report('error', `#${name} after #else`, range);
				top.directive = name;
				if (top.taken) return true;
				const value = name === 'elif'
					? this.evaluateCondition(args, range, 'elif')
					: this.definedCondition(args, range, name) === (name === 'elifdef');
				top.taken = value;
				return !value;
			}
			case 'else': {
				const top = conditionals[conditionals.length - 1];
				if (top === undefined) {
					this.report('error', '#else without #if', range);
					return false;
				}
				if (top.sawElse) this.report('error', '#else after #else', range);
				this.extraTokens(args, 'else');
				top.sawElse = true;
				top.directive = 'else';
				if (top.taken) return true;
				top.taken = true;
				return false;
			}
			case 'endif':
				if (conditionals.length === 0) this.report('error', '#endif without #if', range);
				else conditionals.pop();
				this.extraTokens(args, 'endif');
				return false;
			case 'define':
				this.define(args, range);
				return false;
			case 'undef':
				this.undefine(args, range);
				return false;
			case 'include': case 'include_next': case 'import':
				this.include(context, args, range, name);
				return false;
			case 'error':
				// gcc points at the directive name (column of `error`), not at the `#`.
				this.report('error', `#error ${spell(args)}`, directiveRange(nameToken, line[line.length - 1]));
				return false;
			case 'warning':
				this.report('warning', `#warning ${spell(args)}`, directiveRange(nameToken, line[line.length - 1]));
				return false;
			case 'line':
				this.lineDirective(context, this.expandList(args), range, line[line.length - 1]);
				return false;
			case 'pragma':
				if (args.length > 0 && args[0].text === 'once') this.onceFiles.add(context.path);
				return false;
			case 'ident': case 'sccs': case 'assert': case 'unassert':
				return false;
			default:
				this.report('error', `invalid preprocessing directive #${nameToken.text}`, range);
				return false;
		}
	}

	private extraTokens(args: readonly Token[], directive: string): void {
		if (args.length > 0) this.report('warning', `extra tokens at end of #${directive} directive`, args[0].range);
	}

	private definedCondition(args: readonly Token[], range: SourceRange, directive: string): boolean {
		const name = args[0];
		if (name === undefined) {
			this.report('error', `no macro name given in #${directive} directive`, range);
			return false;
		}
		if (name.kind !== TokenKind.Identifier) {
			this.report('error', 'macro names must be identifiers', name.range);
			return false;
		}
		this.extraTokens(args.slice(1), directive);
		return this.macros.has(name.text);
	}

	private lineDirective(context: FileContext, args: readonly Token[], range: SourceRange, last: Token): void {
		const number = args[0];
		if (number === undefined || number.kind !== TokenKind.Number || !/^[0-9]+$/.test(number.text)) {
			this.report('error', `"${number?.text ?? ''}" after #line is not a positive integer`, range);
			return;
		}
		// The line after the directive gets the given number. `last` may already be shifted by an
		// earlier #line, so compute from its physical line.
		const physicalNext = last.range.endLine - context.lineDelta + 1;
		context.lineDelta = Number(number.text) - physicalNext;
		const file = args[1];
		if (file !== undefined) {
			if (file.kind === TokenKind.StringLiteral && file.text.startsWith('"')) {
				context.presumedFile = file.text.slice(1, -1).replace(/\\(.)/g, '$1');
			} else {
				this.report('error', `invalid filename "${file.text}"`, file.range);
			}
		}
	}

	// ----- #include -----

	private include(context: FileContext, args: readonly Token[], range: SourceRange, directive: string): void {
		const target = this.includeTarget(args, directive, range);
		if (target === undefined) return;
		if (this.exhausted) return;
		if (this.files.length >= this.maxIncludeDepth) {
			this.report('error', `#include nested depth ${this.files.length} exceeds maximum of ${this.maxIncludeDepth}`, range);
			return;
		}
		const path = this.sources.resolveInclude(target.name, context.path, target.quoted);
		const text = path === undefined ? undefined : this.sources.read(path);
		if (path === undefined || text === undefined) {
			// gcc points at the header name.
			const nameRange = args.length > 0 ? directiveRange(args[0], args[args.length - 1]) : range;
			this.report('error', `'${target.name}' file not found`, nameRange);
			return;
		}
		if (directive === 'include_next' && path === context.path) {
			// No search path to continue along: including the same file again would recurse.
			return;
		}
		if (directive === 'import') this.onceFiles.add(path);
		this.included.add(path);
		if (this.onceFiles.has(path) && this.lexed.has(path)) return;
		const file = this.load(path, text);
		if (file.guard !== undefined && this.macros.has(file.guard)) return;
		if (!this.spend(file.tokens.length, range)) return;
		this.enter(path, file);
	}

	private includeTarget(args: readonly Token[], directive: string, range: SourceRange): { name: string; quoted: boolean } | undefined {
		let tokens: readonly Token[] = args;
		const first = args[0];
		if (first === undefined || !(first.kind === TokenKind.StringLiteral && (first.text.startsWith('"') || first.text.startsWith('<')))) {
			tokens = this.expandList(args);
		}
		const head = tokens[0];
		let result: { name: string; quoted: boolean } | undefined;
		let rest = 1;
		if (head !== undefined && head.kind === TokenKind.StringLiteral && head.text.startsWith('"') && head.text.endsWith('"') && head.text.length >= 2) {
			result = { name: head.text.slice(1, -1), quoted: true };
		} else if (head !== undefined && head.kind === TokenKind.StringLiteral && head.text.startsWith('<') && head.text.endsWith('>')) {
			result = { name: head.text.slice(1, -1), quoted: false };
		} else if (isPunctuator(head, '<')) {
			const close = tokens.findIndex(t => isPunctuator(t, '>'));
			if (close > 0) {
				result = { name: spell(tokens.slice(1, close)), quoted: false };
				rest = close + 1;
			}
		}
		if (result === undefined || result.name === '') {
			this.report('error', `#${directive} expects "FILENAME" or <FILENAME>`, range);
			return undefined;
		}
		if (tokens.length > rest) this.report('warning', `extra tokens at end of #${directive} directive`, tokens[rest].range);
		return result;
	}

	// ----- #define / #undef -----

	private define(args: readonly Token[], range: SourceRange): void {
		const nameToken = args[0];
		if (nameToken === undefined) {
			this.report('error', 'no macro name given in #define directive', range);
			return;
		}
		if (nameToken.kind !== TokenKind.Identifier) {
			this.report('error', 'macro names must be identifiers', nameToken.range);
			return;
		}
		const name = nameToken.text;
		if (name === 'defined') {
			this.report('error', '"defined" cannot be used as a macro name', nameToken.range);
			return;
		}
		let bodyStart = 1;
		let params: string[] = [];
		let written: string[] | undefined;
		let variadic = false;
		const functionLike = isPunctuator(args[1], '(') && !args[1].spaceBefore;
		if (functionLike) {
			const parsed = this.parseParameters(args, range);
			if (parsed === undefined) return;
			({ params, written, variadic } = parsed);
			bodyStart = parsed.end;
		} else if (args[1] !== undefined && !args[1].spaceBefore) {
			this.report('warning', 'missing whitespace after the macro name', args[1].range);
		}
		const body = args.slice(bodyStart);
		const paramIndex = new Int32Array(body.length).fill(-1);
		for (let i = 0; i < body.length; i++) {
			const t = body[i];
			if (t.kind !== TokenKind.Identifier) continue;
			const index = params.indexOf(t.text);
			if (index >= 0) paramIndex[i] = index;
			else if (t.text === '__VA_ARGS__' && !(variadic && params[params.length - 1] === '__VA_ARGS__')) {
				this.report('warning', '__VA_ARGS__ can only appear in the expansion of a C99 variadic macro', t.range);
			}
		}
		if (isPunctuator(body[0], '##') || (body.length > 0 && isPunctuator(body[body.length - 1], '##'))) {
			this.report('error', '\'##\' cannot appear at either end of a macro expansion', range);
			return;
		}
		if (functionLike) {
			for (let i = 0; i < body.length; i++) {
				if (isPunctuator(body[i], '#') && !(paramIndex[i + 1] >= 0 || (variadic && body[i + 1]?.text === '__VA_OPT__'))) {
					this.report('error', '\'#\' is not followed by a macro parameter', body[i].range);
					return;
				}
			}
		}
		const def: MacroDefinition = {
			name, variadic, body: spell(body), range: nameToken.range,
		};
		if (written !== undefined) def.params = written;
		const macro: Macro = { def, functionLike, params, variadic, body, paramIndex };
		const previous = this.macros.get(name);
		// An identical redefinition is allowed and keeps the first location for go-to-definition.
		if (previous !== undefined && sameDefinition(previous, macro)) return;
		if (previous !== undefined) {
			this.diagnostics.push({
				severity: 'warning', message: `"${name}" redefined`, range: nameToken.range,
				related: [{ message: 'this is the location of the previous definition', range: previous.def.range }],
			});
		}
		this.macros.set(name, macro);
	}

	private parseParameters(args: readonly Token[], range: SourceRange): { params: string[]; written: string[]; variadic: boolean; end: number } | undefined {
		const params: string[] = [];
		const written: string[] = [];
		let i = 2;
		if (isPunctuator(args[i], ')')) return { params, written, variadic: false, end: i + 1 };
		for (;;) {
			const t = args[i];
			if (t === undefined) {
				this.report('error', 'missing \')\' in macro parameter list', range);
				return undefined;
			}
			if (isPunctuator(t, '...')) {
				params.push('__VA_ARGS__');
				written.push('...');
				if (!isPunctuator(args[i + 1], ')')) {
					this.report('error', 'missing \')\' in macro parameter list', range);
					return undefined;
				}
				return { params, written, variadic: true, end: i + 2 };
			}
			if (t.kind !== TokenKind.Identifier) {
				this.report('error', `expected parameter name, found "${t.text}"`, t.range);
				return undefined;
			}
			if (params.includes(t.text)) {
				this.report('error', `duplicate macro parameter "${t.text}"`, t.range);
				return undefined;
			}
			if (t.text === '__VA_ARGS__') {
				this.report('error', '__VA_ARGS__ can not be used as a parameter name', t.range);
				return undefined;
			}
			params.push(t.text);
			const next = args[i + 1];
			if (isPunctuator(next, '...')) {
				written.push(t.text + '...');
				if (!isPunctuator(args[i + 2], ')')) {
					this.report('error', 'missing \')\' in macro parameter list', range);
					return undefined;
				}
				return { params, written, variadic: true, end: i + 3 };
			}
			written.push(t.text);
			if (isPunctuator(next, ')')) return { params, written, variadic: false, end: i + 2 };
			if (!isPunctuator(next, ',')) {
				this.report('error', next === undefined ? 'missing \')\' in macro parameter list' : `expected ',' or ')', found "${next.text}"`, next?.range ?? range);
				return undefined;
			}
			i += 2;
		}
	}

	private undefine(args: readonly Token[], range: SourceRange): void {
		const name = args[0];
		if (name === undefined) {
			this.report('error', 'no macro name given in #undef directive', range);
			return;
		}
		if (name.kind !== TokenKind.Identifier) {
			this.report('error', 'macro names must be identifiers', name.range);
			return;
		}
		if (name.text === 'defined') {
			this.report('error', '"defined" cannot be used as a macro name', name.range);
			return;
		}
		this.extraTokens(args.slice(1), 'undef');
		this.macros.delete(name.text);
	}

	// ----- Macro expansion -----

	/** The next token from `reader` after macro expansion, or undefined when it is exhausted. */
	private nextExpanded(reader: Reader): PPToken | undefined {
		for (;;) {
			const t = reader.next();
			if (t === undefined || t.kind !== TokenKind.Identifier) return t;
			const name = t.text;
			if (name === 'defined' && this.inCondition) return this.definedOperator(reader, t);
			const macro = this.macros.get(name);
			if (macro === undefined) {
				if (name === '_Pragma' && reader.nextIsLParen()) {
					this.pragmaOperator(reader, t);
					continue;
				}
				return t;
			}
			if (t.hideSet?.has(name) || this.exhausted) return t;
			if (macro.builtin !== undefined) {
				const value = this.builtinToken(macro.builtin, t);
				if (value === undefined) return t;
				return value;
			}
			if (!macro.functionLike) {
				const expansion = this.substitute(macro, undefined, t, this.hideSets.add(t.hideSet, name));
				if (!this.spend(expansion.length, t.range)) return t;
				reader.pushFront(expansion);
				continue;
			}
			if (!reader.nextIsLParen()) return t;
			const call = this.collectArguments(reader, macro, t);
			if (call === undefined) return t;
			const hideSet = this.hideSets.add(this.hideSets.intersect(t.hideSet, call.close.hideSet), name);
			const expansion = this.substitute(macro, call, invocationThrough(t, call.close), hideSet);
			if (!this.spend(expansion.length, t.range)) return t;
			reader.pushFront(expansion);
		}
	}

	/** Fully expands an isolated token list (a macro argument, a `#if` or `#include` line). */
	private expandList(tokens: readonly PPToken[]): PPToken[] {
		if (this.nesting >= MAX_EXPANSION_NESTING) {
			if (!this.exhausted) {
				this.exhausted = true;
				this.report('error', `macro arguments nested more than ${MAX_EXPANSION_NESTING} deep; macro expansion stopped here`, tokens[0]?.range ?? PLACEMARKER.range);
			}
			return tokens.slice();
		}
		this.nesting++;
		const reader = Reader.of(tokens);
		const result: PPToken[] = [];
		for (let t = this.nextExpanded(reader); t !== undefined; t = this.nextExpanded(reader)) result.push(t);
		this.nesting--;
		return result;
	}

	private builtinToken(kind: BuiltinKind, t: PPToken): PPToken | undefined {
		let tokenKind = TokenKind.Number;
		let text: string;
		switch (kind) {
			case 'line':
				text = String(t.range.line);
				break;
			case 'counter':
				text = String(this.counter++);
				break;
			case 'includeLevel':
				text = String(Math.max(0, this.files.length - 1));
				break;
			case 'file': {
				const context = this.files[this.files.length - 1];
				tokenKind = TokenKind.StringLiteral;
				text = quoteString(context?.presumedFile ?? this.mainFile);
				break;
			}
			case 'baseFile':
				tokenKind = TokenKind.StringLiteral;
				text = quoteString(this.mainFile);
				break;
			default:
				return undefined;
		}
		return { kind: tokenKind, text, range: t.range, spaceBefore: t.spaceBefore, macro: t.macro ?? t.text };
	}

	/**
	 * `defined` produced by macro expansion inside `#if` (gcc accepts it): its operand is not
	 * expanded. Returns 1 or 0, or `defined` itself (operand left in place) if malformed.
	 */
	private definedOperator(reader: Reader, t: PPToken): PPToken {
		const consumed: PPToken[] = [];
		const take = (): PPToken | undefined => {
			const next = reader.next();
			if (next !== undefined) consumed.push(next);
			return next;
		};
		const parenthesized = reader.nextIsLParen();
		if (parenthesized) take();
		const name = take();
		if (name?.kind === TokenKind.Identifier && (!parenthesized || isPunctuator(take(), ')'))) {
			return { kind: TokenKind.Number, text: this.macros.has(name.text) ? '1' : '0', range: t.range, spaceBefore: t.spaceBefore, macro: t.macro };
		}
		reader.pushFront(consumed);
		return t;
	}

	/** `_Pragma("...")`: consumed and ignored, except `_Pragma("once")`. */
	private pragmaOperator(reader: Reader, t: PPToken): void {
		reader.next();
		const text = reader.next();
		const close = text === undefined || isPunctuator(text, ')') ? text : reader.next();
		if (text === undefined || text.kind !== TokenKind.StringLiteral || !isPunctuator(close, ')')) {
			this.report('error', '_Pragma takes a parenthesized string literal', t.range);
			return;
		}
		if (/^"\s*once\s*"$/.test(text.text)) {
			const context = this.files[this.files.length - 1];
			if (context !== undefined) this.onceFiles.add(context.path);
		}
	}

	/**
	 * Reads `( args )` after a function-like macro name. Returns the unexpanded arguments (one list
	 * per parameter) and the closing parenthesis, or undefined after reporting an error.
	 */
	private collectArguments(reader: Reader, macro: Macro, nameToken: PPToken): ArgumentList | undefined {
		reader.next(); // '('
		const args: PPToken[][] = [];
		let current: PPToken[] = [];
		let depth = 0;
		const paramCount = macro.params.length;
		const name = macro.def.name;
		let close: PPToken;
		for (;;) {
			const t = reader.next();
			if (t === undefined) {
				this.report('error', `unterminated argument list invoking macro "${name}"`, nameToken.range);
				return undefined;
			}
			if (t.kind === TokenKind.Punctuator) {
				if (t.text === '(') depth++;
				else if (t.text === ')') {
					if (depth === 0) {
						close = t;
						break;
					}
					depth--;
				} else if (t.text === ',' && depth === 0 && !(macro.variadic && args.length === paramCount - 1)) {
					args.push(current);
					current = [];
					continue;
				}
			}
			current.push(t);
		}
		args.push(current);
		if (paramCount === 0) {
			if (args.length === 1 && args[0].length === 0) return { args: [], close, variadicOmitted: false };
			this.report('error', `macro "${name}" passed ${args.length} arguments, but takes just 0`, nameToken.range);
			return undefined;
		}
		// GNU: the variable arguments may be left out entirely (`debug("x")`, or `f()` for `f(...)`).
		let variadicOmitted = false;
		if (macro.variadic && (args.length === paramCount - 1 || (paramCount === 1 && args[0].length === 0))) {
			variadicOmitted = true;
			if (args.length === paramCount - 1) args.push([]);
		}
		if (args.length < paramCount) {
			this.report('error', `macro "${name}" requires ${paramCount} arguments, but only ${args.length} given`, nameToken.range);
			return undefined;
		}
		if (args.length > paramCount) {
			this.report('error', `macro "${name}" passed ${args.length} arguments, but takes just ${paramCount}`, nameToken.range);
			return undefined;
		}
		return { args, close, variadicOmitted };
	}

	/**
	 * Builds a macro's replacement for one invocation (C11 6.10.3.1-6.10.3.3): parameters replaced
	 * by their fully expanded arguments, except next to `#` (stringified) and `##` (pasted raw).
	 * Every produced token gets the invocation's range (name through `)`), the outermost macro's
	 * name and `hideSet`.
	 */
	private substitute(macro: Macro, call: ArgumentList | undefined, invocation: PPToken, hideSet: HideSet): PPToken[] {
		const expanded: (PPToken[] | undefined)[] = [];
		const state: SubstitutionState = {
			macro, args: call?.args ?? [], variadicOmitted: call?.variadicOmitted ?? false, invocation, hideSet, expanded,
			macroName: invocation.macro ?? macro.def.name, placemarkers: false,
		};
		const out: PPToken[] = [];
		this.substituteRange(state, 0, macro.body.length, out);
		let result = state.placemarkers ? out.filter(t => t !== PLACEMARKER) : out;
		if (result.length > 0 && result[0].spaceBefore !== invocation.spaceBefore) {
			result = result.slice();
			result[0] = { ...result[0], spaceBefore: invocation.spaceBefore };
		}
		return result;
	}

	private copyToken(state: SubstitutionState, t: PPToken, spaceBefore: boolean): PPToken {
		return {
			kind: t.kind, text: t.text, range: state.invocation.range, spaceBefore, macro: state.macroName,
			hideSet: this.hideSets.union(t.hideSet, state.hideSet),
		};
	}

	private substituteRange(state: SubstitutionState, start: number, end: number, out: PPToken[]): void {
		const { macro, args } = state;
		const body = macro.body;
		const paramIndex = macro.paramIndex;
		for (let i = start; i < end; i++) {
			const t = body[i];
			const param = paramIndex[i];
			if (macro.functionLike && t.kind === TokenKind.Punctuator && t.text === '#' && i + 1 < end) {
				if (paramIndex[i + 1] >= 0) {
					out.push(this.stringify(state, args[paramIndex[i + 1]], t.spaceBefore));
					i++;
					continue;
				}
				if (this.isVaOpt(state, i + 1, end)) {
					const close = this.vaOptClose(state, i + 2, end);
					const inner: PPToken[] = [];
					if (this.hasVariadicTokens(state)) this.substituteRange(state, i + 3, close, inner);
					out.push(this.stringify(state, inner.filter(x => x !== PLACEMARKER), t.spaceBefore));
					i = close;
					continue;
				}
			}
			if (t.kind === TokenKind.Punctuator && t.text === '##' && i + 1 < end) {
				i = this.pasteOperand(state, i, end, out);
				continue;
			}
			if (param >= 0) {
				const arg = args[param];
				if (isPunctuator(body[i + 1], '##') && i + 1 < end) {
					if (arg.length === 0) {
						out.push(PLACEMARKER);
						state.placemarkers = true;
					} else {
						for (let k = 0; k < arg.length; k++) out.push(this.copyToken(state, arg[k], k === 0 ? t.spaceBefore : arg[k].spaceBefore));
					}
				} else {
					let expanded = state.expanded[param];
					if (expanded === undefined) {
						expanded = this.expandList(arg);
						state.expanded[param] = expanded;
					}
					for (let k = 0; k < expanded.length; k++) out.push(this.copyToken(state, expanded[k], k === 0 ? t.spaceBefore : expanded[k].spaceBefore));
				}
				continue;
			}
			if (this.isVaOpt(state, i, end)) {
				const close = this.vaOptClose(state, i + 1, end);
				if (this.hasVariadicTokens(state)) this.substituteRange(state, i + 2, close, out);
				else {
					out.push(PLACEMARKER);
					state.placemarkers = true;
				}
				i = close;
				continue;
			}
			out.push(this.copyToken(state, t, t.spaceBefore));
		}
	}

	private isVaOpt(state: SubstitutionState, i: number, end: number): boolean {
		const t = state.macro.body[i];
		return state.macro.variadic && i < end && t.kind === TokenKind.Identifier && t.text === '__VA_OPT__' && isPunctuator(state.macro.body[i + 1], '(');
	}

	/** The index of the `)` closing `__VA_OPT__(` whose `(` is at `open` (or `end` - 1 if unbalanced). */
	private vaOptClose(state: SubstitutionState, open: number, end: number): number {
		const body = state.macro.body;
		let depth = 0;
		for (let i = open; i < end; i++) {
			if (isPunctuator(body[i], '(')) depth++;
			else if (isPunctuator(body[i], ')') && --depth === 0) return i;
		}
		this.report('error', 'unterminated __VA_OPT__', state.invocation.range);
		return end - 1;
	}

	/** True if the variable arguments expand to at least one token (the test of `__VA_OPT__`). */
	private hasVariadicTokens(state: SubstitutionState): boolean {
		const index = state.macro.params.length - 1;
		const arg = state.args[index];
		if (arg === undefined || arg.length === 0) return false;
		let expanded = state.expanded[index];
		if (expanded === undefined) {
			expanded = this.expandList(arg);
			state.expanded[index] = expanded;
		}
		return expanded.length > 0;
	}

	/**
	 * Handles `## operand` at body index `i` (the `##`): pastes the last token produced so far with
	 * the operand's first token. Returns the index of the operand's last body token.
	 */
	private pasteOperand(state: SubstitutionState, i: number, end: number, out: PPToken[]): number {
		const { macro, args } = state;
		const body = macro.body;
		const next = i + 1;
		const param = macro.paramIndex[next];
		let operand: PPToken[];
		let last = next;
		if (param >= 0) {
			const arg = args[param];
			// GNU `, ## __VA_ARGS__`: omitted variable arguments swallow the comma; otherwise no paste.
			if (macro.variadic && param === macro.params.length - 1 && i > 0 && isPunctuator(body[i - 1], ',') && macro.paramIndex[i - 1] < 0) {
				if (state.variadicOmitted) {
					if (isPunctuator(out[out.length - 1], ',')) out.pop();
				} else {
					for (let k = 0; k < arg.length; k++) out.push(this.copyToken(state, arg[k], k === 0 ? body[next].spaceBefore : arg[k].spaceBefore));
				}
				return next;
			}
			operand = arg.map((t, k) => this.copyToken(state, t, k === 0 ? body[next].spaceBefore : t.spaceBefore));
		} else if (this.isVaOpt(state, next, end)) {
			last = this.vaOptClose(state, next + 1, end);
			operand = [];
			if (this.hasVariadicTokens(state)) this.substituteRange(state, next + 2, last, operand);
			operand = operand.filter(t => t !== PLACEMARKER);
		} else {
			operand = [this.copyToken(state, body[next], body[next].spaceBefore)];
		}
		if (operand.length === 0) return last; // right operand is a placemarker: the left one stays
		const left = out.pop();
		// Loops, not spread: an argument can be longer than the engine's argument limit.
		let k = 0;
		if (left !== undefined && left !== PLACEMARKER) {
			for (const pasted of this.paste(state, left, operand[0])) out.push(pasted);
			k = 1;
		}
		for (; k < operand.length; k++) out.push(operand[k]);
		return last;
	}

	/** Pastes two tokens into one; reports and keeps both if the result is not a single token. */
	private paste(state: SubstitutionState, left: PPToken, right: PPToken): PPToken[] {
		const text = left.text + right.text;
		let kind: TokenKind | undefined;
		if (left.kind === TokenKind.Identifier && (right.kind === TokenKind.Identifier || right.kind === TokenKind.Number) && /^[A-Za-z0-9_$]+$/.test(right.text)) {
			kind = TokenKind.Identifier;
		} else {
			const lexed = lexWithFlags(text, '');
			if (lexed.tokens.length === 2 && lexed.diagnostics.length === 0 && (lexed.flags[0] & ~FLAG_LINE_START) === 0 && lexed.tokens[0].text === text) {
				kind = lexed.tokens[0].kind;
			}
		}
		if (kind === undefined) {
			this.report('error', `pasting "${left.text}" and "${right.text}" does not give a valid preprocessing token`, state.invocation.range);
			return [left, right];
		}
		return [{ kind, text, range: left.range, spaceBefore: left.spaceBefore, macro: state.macroName, hideSet: state.hideSet }];
	}

	/** `#param`: the argument's spelling as a string literal (C11 6.10.3.2). */
	private stringify(state: SubstitutionState, arg: readonly PPToken[], spaceBefore: boolean): PPToken {
		let text = '"';
		for (let k = 0; k < arg.length; k++) {
			const t = arg[k];
			if (k > 0 && t.spaceBefore) text += ' ';
			text += t.kind === TokenKind.StringLiteral || t.kind === TokenKind.CharLiteral
				? t.text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')
				: t.text;
		}
		text += '"';
		return { kind: TokenKind.StringLiteral, text, range: state.invocation.range, spaceBefore, macro: state.macroName, hideSet: state.hideSet };
	}

	// ----- #if expressions -----

	private evaluateCondition(args: readonly Token[], range: SourceRange, directive: string): boolean {
		const resolved = this.resolveOperators(args, range);
		if (resolved === undefined) return false;
		this.inCondition = true;
		const tokens = this.expandList(resolved);
		this.inCondition = false;
		if (tokens.length === 0) {
			this.report('error', `#${directive} with no expression`, range);
			return false;
		}
		const evaluator = new ConditionEvaluator(tokens, name => this.macros.has(name));
		const value = evaluator.evaluate();
		if (evaluator.error !== undefined) {
			this.report('error', evaluator.error, range);
			return false;
		}
		return value !== undefined && value.value !== 0n;
	}

	/**
	 * Replaces `defined X`, `defined(X)`, `__has_include(...)` and the `__has_*` feature tests by
	 * 0 or 1 before macro expansion, as their operands must not be expanded.
	 */
	private resolveOperators(args: readonly Token[], range: SourceRange): PPToken[] | undefined {
		const out: PPToken[] = [];
		for (let i = 0; i < args.length; i++) {
			const t = args[i];
			if (t.kind !== TokenKind.Identifier) {
				out.push(t);
				continue;
			}
			const one = (value: boolean): PPToken => ({ kind: TokenKind.Number, text: value ? '1' : '0', range: t.range, spaceBefore: t.spaceBefore });
			if (t.text === 'defined') {
				const parenthesized = isPunctuator(args[i + 1], '(');
				const name = args[parenthesized ? i + 2 : i + 1];
				if (name === undefined || name.kind !== TokenKind.Identifier) {
					this.report('error', 'operator "defined" requires an identifier', range);
					return undefined;
				}
				if (parenthesized && !isPunctuator(args[i + 3], ')')) {
					this.report('error', 'missing \')\' after "defined"', range);
					return undefined;
				}
				out.push(one(this.macros.has(name.text)));
				i += parenthesized ? 3 : 1;
				continue;
			}
			const macro = this.macros.get(t.text);
			if (macro?.builtin !== 'operator') {
				out.push(t);
				continue;
			}
			if (!isPunctuator(args[i + 1], '(')) {
				this.report('error', `missing '(' after "${t.text}"`, range);
				return undefined;
			}
			let close = i + 2;
			for (let depth = 1; close < args.length; close++) {
				if (isPunctuator(args[close], '(')) depth++;
				else if (isPunctuator(args[close], ')') && --depth === 0) break;
			}
			if (close >= args.length) {
				this.report('error', `missing ')' after "${t.text}" operand`, range);
				return undefined;
			}
			const operand = args.slice(i + 2, close);
			out.push(one(t.text.startsWith('__has_include') ? this.hasInclude(operand, range) : false));
			i = close;
		}
		return out;
	}

	private hasInclude(operand: readonly Token[], range: SourceRange): boolean {
		const context = this.files[this.files.length - 1];
		let name: string | undefined;
		let quoted = false;
		const first = operand[0];
		if (first?.kind === TokenKind.StringLiteral && first.text.startsWith('"')) {
			name = first.text.slice(1, -1);
			quoted = true;
		} else if (isPunctuator(first, '<') && isPunctuator(operand[operand.length - 1], '>')) {
			name = spell(operand.slice(1, -1));
		}
		if (name === undefined || name === '') {
			this.report('error', 'operator "__has_include" requires a header name', range);
			return false;
		}
		return this.sources.resolveInclude(name, context?.path ?? this.mainFile, quoted) !== undefined;
	}
}

interface ArgumentList {
	/** Unexpanded arguments, one list per parameter. */
	readonly args: PPToken[][];
	/** The `)` ending the invocation (its hide set takes part in the result's). */
	readonly close: PPToken;
	/** The variable arguments were not written at all (GNU `, ## __VA_ARGS__` then drops the comma). */
	readonly variadicOmitted: boolean;
}

interface SubstitutionState {
	readonly macro: Macro;
	readonly args: PPToken[][];
	readonly variadicOmitted: boolean;
	readonly invocation: PPToken;
	readonly hideSet: HideSet;
	/** Fully expanded arguments, computed on first use. */
	readonly expanded: (PPToken[] | undefined)[];
	readonly macroName: string;
	placemarkers: boolean;
}

/**
 * The macro name token with its range widened to end at the invocation's `)`, so that expanded
 * tokens cover the whole invocation `NAME(args)`. Kept as is when `)` lies elsewhere (another file).
 */
function invocationThrough(name: PPToken, close: PPToken): PPToken {
	const a = name.range;
	const b = close.range;
	if (a.file !== b.file || b.endLine < a.line || (b.endLine === a.line && b.endCol <= a.endCol)) return name;
	return { ...name, range: { file: a.file, line: a.line, col: a.col, endLine: b.endLine, endCol: b.endCol } };
}

function sameDefinition(a: Macro, b: Macro): boolean {
	if (a.builtin !== undefined || a.functionLike !== b.functionLike || a.variadic !== b.variadic) return false;
	if (a.params.length !== b.params.length || a.params.some((p, i) => p !== b.params[i])) return false;
	if (a.body.length !== b.body.length) return false;
	for (let i = 0; i < a.body.length; i++) {
		if (a.body[i].text !== b.body[i].text || (i > 0 && a.body[i].spaceBefore !== b.body[i].spaceBefore)) return false;
	}
	return true;
}

const BINARY_PRECEDENCE: Readonly<Record<string, number>> = {
	'*': 10, '/': 10, '%': 10, '+': 9, '-': 9, '<<': 8, '>>': 8, '<': 7, '>': 7, '<=': 7, '>=': 7,
	'==': 6, '!=': 6, '&': 5, '^': 4, '|': 3, '&&': 2, '||': 1,
};

function normalize(value: bigint, unsigned: boolean): PPValue {
	return { value: unsigned ? BigInt.asUintN(64, value) : BigInt.asIntN(64, value), unsigned };
}

const FALSE: PPValue = { value: 0n, unsigned: false };
const TRUE: PPValue = { value: 1n, unsigned: false };

/**
 * Evaluates a macro-expanded `#if` expression in intmax_t/uintmax_t (C11 6.10.1): unknown
 * identifiers are 0, the usual arithmetic conversions pick unsigned when either side is unsigned,
 * and `&&`, `||`, `?:` do not evaluate (nor diagnose) the operand they skip.
 */
class ConditionEvaluator {
	error: string | undefined;
	private index = 0;
	private depth = 0;
	/** False inside an operand that short-circuiting skips. */
	private evaluating = true;

	constructor(private readonly tokens: readonly Token[], private readonly isDefined: (name: string) => boolean) {}

	evaluate(): PPValue | undefined {
		const value = this.comma();
		if (this.error === undefined && this.index < this.tokens.length) {
			const t = this.tokens[this.index];
			this.fail(isPunctuator(t, ')') ? 'missing \'(\' in expression' : isPunctuator(t, ':') ? '\':\' without preceding \'?\'' : `missing binary operator before token "${t.text}"`);
		}
		return this.error === undefined ? value : undefined;
	}

	private fail(message: string): PPValue {
		this.error ??= message;
		return FALSE;
	}

	private peek(): Token | undefined {
		return this.tokens[this.index];
	}

	private comma(): PPValue {
		let value = this.conditional();
		while (this.error === undefined && isPunctuator(this.peek(), ',')) {
			this.index++;
			value = this.conditional();
		}
		return value;
	}

	private conditional(): PPValue {
		const condition = this.binary(1);
		if (this.error !== undefined || !isPunctuator(this.peek(), '?')) return condition;
		this.index++;
		if (++this.depth > MAX_EXPRESSION_DEPTH) return this.fail('#if expression nested too deeply');
		try {
			return this.choose(condition);
		} finally {
			this.depth--;
		}
	}

	/** The rest of `condition ? a : b` after the `?`. */
	private choose(condition: PPValue): PPValue {
		const saved = this.evaluating;
		const chooseFirst = condition.value !== 0n;
		this.evaluating = saved && chooseFirst;
		const first = this.comma();
		this.evaluating = saved;
		if (this.error !== undefined) return FALSE;
		if (!isPunctuator(this.peek(), ':')) return this.fail('\'?\' without following \':\'');
		this.index++;
		this.evaluating = saved && !chooseFirst;
		const second = this.conditional();
		this.evaluating = saved;
		const unsigned = first.unsigned || second.unsigned;
		return normalize(chooseFirst ? first.value : second.value, unsigned);
	}

	private binary(minPrecedence: number): PPValue {
		let left = this.unary();
		for (;;) {
			if (this.error !== undefined) return FALSE;
			const t = this.peek();
			if (t === undefined || t.kind !== TokenKind.Punctuator) return left;
			const precedence = BINARY_PRECEDENCE[t.text];
			if (precedence === undefined || precedence < minPrecedence) return left;
			this.index++;
			const op = t.text;
			if (op === '&&' || op === '||') {
				const saved = this.evaluating;
				const decided = op === '&&' ? left.value === 0n : left.value !== 0n;
				this.evaluating = saved && !decided;
				const right = this.binary(precedence + 1);
				this.evaluating = saved;
				left = decided ? (op === '&&' ? FALSE : TRUE) : (right.value !== 0n ? TRUE : FALSE);
				continue;
			}
			if (this.index >= this.tokens.length) return this.fail(`operator '${op}' has no right operand`);
			const right = this.binary(precedence + 1);
			left = this.apply(op, left, right);
		}
	}

	private apply(op: string, left: PPValue, right: PPValue): PPValue {
		if (op === '<<' || op === '>>') {
			// The result has the left operand's type. Like gcc, a negative signed count shifts the
			// other way; an unsigned count is never negative.
			let count = right.value;
			let leftShift = op === '<<';
			if (count < 0n) {
				count = -count;
				leftShift = !leftShift;
			}
			if (leftShift) return count >= 64n ? normalize(0n, left.unsigned) : normalize(left.value << count, left.unsigned);
			if (count >= 64n) return normalize(!left.unsigned && left.value < 0n ? -1n : 0n, left.unsigned);
			return normalize(left.value >> count, left.unsigned);
		}
		const unsigned = left.unsigned || right.unsigned;
		const a = unsigned ? BigInt.asUintN(64, left.value) : left.value;
		const b = unsigned ? BigInt.asUintN(64, right.value) : right.value;
		switch (op) {
			case '*': return normalize(a * b, unsigned);
			case '/': case '%':
				if (b === 0n) return this.evaluating ? this.fail('division by zero in #if') : normalize(0n, unsigned);
				return normalize(op === '/' ? a / b : a % b, unsigned);
			case '+': return normalize(a + b, unsigned);
			case '-': return normalize(a - b, unsigned);
			case '<': return a < b ? TRUE : FALSE;
			case '>': return a > b ? TRUE : FALSE;
			case '<=': return a <= b ? TRUE : FALSE;
			case '>=': return a >= b ? TRUE : FALSE;
			case '==': return a === b ? TRUE : FALSE;
			case '!=': return a !== b ? TRUE : FALSE;
			case '&': return normalize(a & b, unsigned);
			case '^': return normalize(a ^ b, unsigned);
			default: return normalize(a | b, unsigned);
		}
	}

	private unary(): PPValue {
		if (++this.depth > MAX_EXPRESSION_DEPTH) return this.fail('#if expression nested too deeply');
		try {
			const t = this.peek();
			if (t === undefined) {
				const previous = this.tokens[this.index - 1];
				return this.fail(previous === undefined ? '#if with no expression' : `operator '${previous.text}' has no right operand`);
			}
			this.index++;
			if (t.kind === TokenKind.Punctuator) {
				switch (t.text) {
					case '+': return this.unary();
					case '-': {
						const value = this.unary();
						return normalize(-value.value, value.unsigned);
					}
					case '~': {
						const value = this.unary();
						return normalize(~value.value, value.unsigned);
					}
					case '!': return this.unary().value === 0n ? TRUE : FALSE;
					case '(': {
						const value = this.comma();
						if (this.error !== undefined) return FALSE;
						if (!isPunctuator(this.peek(), ')')) return this.fail('missing \')\' in expression');
						this.index++;
						return value;
					}
				}
				return this.fail(`token "${t.text}" is not valid in preprocessor expressions`);
			}
			return this.primary(t);
		} finally {
			this.depth--;
		}
	}

	private primary(t: Token): PPValue {
		switch (t.kind) {
			case TokenKind.Number: {
				if (isFloatingLiteral(t.text)) return this.fail('floating constant in preprocessor expression');
				const literal = parseIntegerLiteral(t.text);
				if ('error' in literal) return this.fail(literal.error);
				// A constant too large for intmax_t is unsigned (gcc warns "so large that it is unsigned").
				return { value: literal.value, unsigned: literal.unsignedSuffix || literal.value > 0x7fffffffffffffffn };
			}
			case TokenKind.CharLiteral: {
				const literal = decodeCharLiteral(t.text);
				if ('error' in literal) return this.fail(literal.error);
				return { value: BigInt(literal.value), unsigned: false };
			}
			case TokenKind.Identifier: {
				if (t.text === 'defined') {
					// `defined` produced by a macro expansion: evaluate it like gcc does.
					const parenthesized = isPunctuator(this.peek(), '(');
					if (parenthesized) this.index++;
					const name = this.peek();
					if (name === undefined || name.kind !== TokenKind.Identifier) return this.fail('operator "defined" requires an identifier');
					this.index++;
					if (parenthesized) {
						if (!isPunctuator(this.peek(), ')')) return this.fail('missing \')\' after "defined"');
						this.index++;
					}
					return this.isDefined(name.text) ? TRUE : FALSE;
				}
				if (isPunctuator(this.peek(), '(')) return this.fail(`function-like macro "${t.text}" is not defined`);
				return FALSE;
			}
			default:
				return this.fail(`token "${t.text}" is not valid in preprocessor expressions`);
		}
	}
}
