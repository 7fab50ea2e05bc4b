// The KC parser: turns the preprocessor's tokens into the syntax tree of ast.ts (layer: lang).
//
// A hand-written recursive-descent parser for C11 plus the GNU extensions Linux code uses. It fills
// only the syntactic fields of the tree; the checker resolves names and types afterwards.
//
// Typedef names ("the lexer hack"): whether `T * x;` declares a pointer or multiplies depends on
// whether T names a type. The parser keeps a stack of scopes mapping every ordinary identifier
// declared so far to whether it is a typedef, so that variables, parameters and enumerators in inner
// scopes shadow typedefs as C requires. `__builtin_va_list` is predeclared as a typedef.
//
// Representation choices the consumers rely on:
// - `a ?: b` (GNU) is a Conditional whose `then` is the very same node object as `cond`: evaluate
//   the condition once and reuse its value.
// - Parentheses make no node: `(a)` is the Ident `a` (whose range excludes the parentheses); the
//   ranges of enclosing nodes include them.
// - `__alignof__ expr` (GNU, no type) is a BuiltinCall named `__alignof__` with the expression.
// - `_Alignas(N)` is the attribute `aligned(N)`; `_Alignas(type)` is `aligned` with an AlignofType arg.
// - Attribute names are normalized without surrounding underscores (`__packed__` -> `packed`).
// - asm statements become EmptyStmt; asm labels on declarators and top-level asm are dropped.
// - Attributes on statements (`__attribute__((fallthrough));` is an EmptyStmt), labels and enums
//   have no place in ast.ts and are dropped; `__label__` declarations are skipped.
// - `_Static_assert` inside a block or a struct cannot be represented in ast.ts yet: it is parsed
//   (and syntax-checked) but dropped; at file scope it is a StaticAssert node.
// - Every `__builtin_*` identifier followed by `(` is a BuiltinCall, except `__builtin_va_arg`
//   (VaArg) and `__builtin_offsetof` (Offsetof).
//
// Errors: the parser never throws. It reports gcc/clang-style diagnostics, inserts ErrorExpr /
// ErrorStmt placeholders, and resynchronizes at `;` and `}` so one mistake does not cascade: a second
// error at the same token is suppressed, and a statement that already had an error is skipped to
// its end silently. Nesting is bounded (MAX_DEPTH) so hostile input cannot overflow the host stack.

import type {
	AssignOp,
	Attribute,
	BinaryOp,
	CompoundStmt,
	Declaration,
	DeclSpecs,
	Declarator,
	DerivedDeclarator,
	Designator,
	EnumSpecifier,
	Expr,
	ExternalDecl,
	FunctionDef,
	IfStmt,
	InitDeclarator,
	Initializer,
	InitList,
	OffsetofExpr,
	ParamDecl,
	StaticAssert,
	Stmt,
	StorageClass,
	StringLiteral,
	StructMemberDecl,
	StructSpecifier,
	TranslationUnit,
	TypeName,
	TypeQualifiers,
	TypeSpecifier,
} from './ast';
import {
	decodeCharLiteral,
	decodeStringLiteral,
	isFloatingLiteral,
	parseFloatLiteral,
	parseIntegerLiteral,
} from './literals';
import {
	ASSIGNMENT_OPERATORS,
	BASIC_TYPE_WORDS,
	BINARY_PRECEDENCE,
	DECLARATION_START_WORDS,
	KEYWORDS,
	QUALIFIER_WORDS,
	TYPE_NAME_START_WORDS,
	UNSUPPORTED_TYPE_WORDS,
	normalizeAttributeName,
} from './parserKeywords';
import { type Diagnostic, type Severity, type SourceRange, pointRange } from './source';
import { type Token, TokenKind } from './tokens';

/** The parser's result: always a complete tree, plus whatever went wrong. */
export interface ParseResult {
	readonly tree: TranslationUnit;
	readonly diagnostics: Diagnostic[];
}

/**
 * Parses a translation unit from preprocessed tokens (ending with an EOF token; one is assumed if
 * missing). Never throws: syntax errors become diagnostics and placeholder nodes.
 */
export function parse(tokens: readonly Token[], file: string): ParseResult {
	const diagnostics: Diagnostic[] = [];
	let parser: Parser | undefined;
	try {
		parser = new Parser(tokens, file, diagnostics);
		return { tree: parser.parseTranslationUnit(), diagnostics };
	} catch (error) {
		// Only a bug in the parser gets here; keep the host alive and say what happened.
		const range = pointRange(file, 1, 1);
		diagnostics.push({ severity: 'error', message: `internal parser error: ${describeError(error)}`, range });
		return { tree: { kind: 'TranslationUnit', file, decls: [], range }, diagnostics };
	}
}

/**
 * How deeply parse functions may nest. A level of parentheses costs two units, a nested block one,
 * so about 300 levels of parentheses (clang stops at 256) still parse. Deeper input gets a diagnostic
 * instead of overflowing the host stack; the worst case uses under half of Node's default stack.
 */
const MAX_DEPTH = 640;

const NESTED_TOO_DEEPLY = 'expression, statement or declarator nested too deeply';

/** Thrown (and caught at the external declaration) when MAX_DEPTH is exceeded. */
const DEPTH_ABORT = { abort: 'depth' };

type SpecContext = 'decl' | 'member' | 'param' | 'typename';
/** `named`: a declaration's declarator; `abstract`: a type name's; `either`: a parameter's. */
type DeclaratorMode = 'named' | 'abstract' | 'either';

interface DeclaratorParts {
	name?: string;
	nameRange?: SourceRange;
	derived: DerivedDeclarator[];
}

type PendingLabel =
	| { readonly kind: 'Case'; readonly start: number; readonly value: Expr; readonly last?: Expr }
	| { readonly kind: 'Default'; readonly start: number }
	| { readonly kind: 'Labeled'; readonly start: number; readonly label: string };

class Parser {
	private readonly toks: readonly Token[];
	/** Canonical keyword of each token (undefined for non-keywords), looked up once. */
	private readonly words: (string | undefined)[];
	private pos = 0;
	/** Innermost last: each maps an ordinary identifier to whether it names a typedef there. */
	private readonly scopes: Map<string, boolean>[] = [new Map([['__builtin_va_list', true]])];
	private depth = 0;
	/** Token index of the last reported error; a second error there would only be noise. */
	private lastErrorIndex = -1;
	/** Counts errors, including suppressed ones: recovery compares it before and after a construct. */
	private errorEvents = 0;

	constructor(
		tokens: readonly Token[],
		private readonly file: string,
		private readonly diagnostics: Diagnostic[],
	) {
		const last = tokens[tokens.length - 1];
		if (last !== undefined && last.kind === TokenKind.EOF) {
			this.toks = tokens;
		} else {
			const r = last?.range;
			const range = r ? pointRange(r.file, r.endLine, r.endCol) : pointRange(file, 1, 1);
			this.toks = [...tokens, { kind: TokenKind.EOF, text: '', range, spaceBefore: false }];
		}
		this.words = new Array<string | undefined>(this.toks.length);
		for (let i = 0; i < this.toks.length; i++) {
			const t = this.toks[i];
			this.words[i] = t.kind === TokenKind.Identifier ? KEYWORDS.get(t.text) : undefined;
		}
	}

	// ---- Translation unit ------------------------------------------------------------------------

	parseTranslationUnit(): TranslationUnit {
		const decls: ExternalDecl[] = [];
		while (this.tok.kind !== TokenKind.EOF) {
			const start = this.pos;
			try {
				const decl = this.parseExternalDeclaration();
				if (decl) decls.push(decl);
			} catch (error) {
				if (isStackOverflow(error)) {
					// MAX_DEPTH keeps well inside Node's default stack; a caller that is already deep may not.
					this.report('error', NESTED_TOO_DEEPLY, this.toks[start].range, -1);
				} else if (error !== DEPTH_ABORT) {
					this.report('error', `internal parser error: ${describeError(error)}`, this.toks[start].range, -1);
				}
				this.depth = 0;
				this.scopes.length = 1;
				this.pos = start;
				this.skipToSync(true);
			}
			if (this.pos === start) this.advance();
		}
		const end = this.tok.range;
		const range: SourceRange = { file: this.file, line: 1, col: 1, endLine: end.endLine, endCol: end.endCol };
		return { kind: 'TranslationUnit', file: this.file, decls, range };
	}

	private parseExternalDeclaration(): ExternalDecl | undefined {
		const t = this.tok;
		if (t.kind === TokenKind.Punctuator) {
			// A stray ';' at file scope is harmless (gcc only warns with -pedantic).
			if (t.text === ';') {
				this.advance();
				return undefined;
			}
			if (t.text !== '*' && t.text !== '(') return this.rejectExternal();
		} else if (t.kind !== TokenKind.Identifier) {
			return this.rejectExternal();
		}
		const word = this.word(0);
		if (word === 'static_assert') return this.parseStaticAssert();
		if (word === 'asm') {
			const errors = this.errorEvents;
			this.skipAsm();
			this.expectSemicolon('expected \';\' after top-level asm block', errors, true);
			return undefined;
		}
		if (word !== undefined && word !== 'attribute' && !DECLARATION_START_WORDS.has(word)) return this.rejectExternal();
		return this.parseDeclarationOrFunction(true, this.pos, []);
	}

	private rejectExternal(): undefined {
		this.errorAtToken('expected identifier or \'(\'');
		this.skipToSync(true);
		return undefined;
	}

	// ---- Declarations ----------------------------------------------------------------------------

	/**
	 * Parses a declaration, or (at file scope) a function definition. `start` is where it began
	 * (before `leading` attributes already consumed by the caller).
	 */
	private parseDeclarationOrFunction(fileScope: boolean, start: number, leading: readonly Attribute[]): Declaration | FunctionDef {
		const errors = this.errorEvents;
		const specs = this.parseDeclSpecs('decl', start, leading);
		if (this.isPunct(';')) {
			this.advance();
			const declaresTag = specs.typeSpecs.some(s => s.kind === 'StructSpec' || s.kind === 'EnumSpec');
			if (!declaresTag && this.errorEvents === errors) this.report('warning', 'declaration does not declare anything', this.range(start), -1);
			return { kind: 'Declaration', specs, declarators: [], range: this.range(start) };
		}
		if (specs.typeSpecs.length === 0) this.errorAtToken('type specifier missing, defaults to \'int\'');
		const isTypedef = specs.storage === 'typedef';
		const declarators: InitDeclarator[] = [];
		for (;;) {
			const declaratorStart = this.pos;
			const declarator = this.parseDeclarator('named');
			if (declarators.length === 0 && this.isPunct('{') && isFunctionDeclarator(declarator)) {
				if (!fileScope) this.report('error', 'function definition is not allowed here', declarator.range, declaratorStart);
				return this.parseFunctionBody(specs, declarator, start);
			}
			if (declarator.name !== undefined) this.declare(declarator.name, isTypedef);
			let init: Initializer | undefined;
			if (this.eatPunct('=')) init = this.parseInitializer();
			const range = this.range(declaratorStart);
			declarators.push(init === undefined ? { declarator, range } : { declarator, init, range });
			if (!this.eatPunct(',')) break;
		}
		this.expectSemicolon('expected \';\' at end of declaration', errors, fileScope);
		return { kind: 'Declaration', specs, declarators, range: this.range(start) };
	}

	/** A declaration inside a block or a `for` header (function definitions are reported there). */
	private parseBlockDeclaration(start: number, leading: readonly Attribute[]): Declaration {
		const decl = this.parseDeclarationOrFunction(false, start, leading);
		if (decl.kind === 'Declaration') return decl;
		return { kind: 'Declaration', specs: decl.specs, declarators: [{ declarator: decl.declarator, range: decl.declarator.range }], range: decl.range };
	}

	private parseFunctionBody(specs: DeclSpecs, declarator: Declarator, start: number): FunctionDef {
		if (specs.storage === 'typedef') this.report('error', 'function definition declared \'typedef\'', declarator.range, -1);
		if (declarator.name !== undefined) this.declare(declarator.name, false);
		const fn = declarator.derived[declarator.derived.length - 1];
		// Parameters live in the outermost block of the body.
		this.pushScope();
		if (fn.kind === 'Function') {
			for (const param of fn.params) if (param.declarator.name !== undefined) this.declare(param.declarator.name, false);
		}
		const body = this.parseCompound(false);
		this.popScope();
		return { kind: 'FunctionDef', specs, declarator, body, range: this.range(start) };
	}

	private parseStaticAssert(): StaticAssert {
		const start = this.pos;
		const errors = this.errorEvents;
		const keyword = this.advance();
		const open = this.pos;
		if (!this.eatPunct('(')) {
			this.errorAtToken(`expected '(' after '${keyword.text}'`);
			this.skipToSync(false);
			return { kind: 'StaticAssert', cond: this.errorExprAt(open), range: this.range(start) };
		}
		const cond = this.parseConditional();
		let message: StringLiteral | undefined;
		if (this.eatPunct(',')) {
			if (this.tok.kind === TokenKind.StringLiteral) {
				const literal = this.parseStringLiterals();
				if (literal.kind === 'StringLiteral') message = literal;
			} else {
				this.errorAtToken('expected string literal');
			}
		}
		this.expectClose(')', open);
		this.expectSemicolon(`expected ';' after ${keyword.text}`, errors, false);
		const range = this.range(start);
		return message === undefined ? { kind: 'StaticAssert', cond, range } : { kind: 'StaticAssert', cond, message, range };
	}

	/**
	 * Declaration specifiers: storage class, qualifiers, type specifiers, function specifiers and
	 * attributes, in any order. Consumes nothing if none is there.
	 */
	private parseDeclSpecs(context: SpecContext, start: number = this.pos, leading: readonly Attribute[] = []): DeclSpecs {
		this.enter();
		let storage: StorageClass | undefined;
		let inline = false;
		let noreturn = false;
		let qualifiers: TypeQualifiers = NO_QUALIFIERS;
		const typeSpecs: TypeSpecifier[] = [];
		let attributes: Attribute[] | undefined = leading.length > 0 ? leading.slice() : undefined;
		loop: for (;;) {
			const t = this.tok;
			if (t.kind !== TokenKind.Identifier) break;
			const word = this.words[this.pos];
			switch (word) {
				case 'typedef':
				case 'extern':
				case 'static':
				case 'auto':
				case 'register':
					if (context === 'typename') this.errorAtToken('type name does not allow storage class to be specified');
					else if (context === 'member') this.errorAtToken('storage class is not allowed on a struct member');
					else if (context === 'param' && word !== 'register') this.errorAtToken('invalid storage class specifier in function declarator');
					else if (storage !== undefined && storage !== word) this.errorAtToken('multiple storage classes in declaration specifiers');
					else storage = word;
					this.advance();
					break;
				case 'inline':
					inline = true;
					this.advance();
					break;
				case '_Noreturn':
					noreturn = true;
					this.advance();
					break;
				case 'const':
				case 'volatile':
				case 'restrict':
					if (qualifiers === NO_QUALIFIERS) qualifiers = {};
					qualifiers[word] = true;
					this.advance();
					break;
				case 'attribute':
					attributes ??= [];
					this.parseAttributeSpecifier(attributes);
					break;
				case '_Alignas':
					attributes ??= [];
					attributes.push(this.parseAlignas());
					break;
				case '__extension__':
					this.advance();
					break;
				case 'thread_local':
					this.errorAtToken('thread-local storage is not supported in KC');
					this.advance();
					break;
				case 'struct':
				case 'union':
					typeSpecs.push(this.parseStructSpecifier());
					break;
				case 'enum':
					typeSpecs.push(this.parseEnumSpecifier());
					break;
				case 'typeof':
					typeSpecs.push(this.parseTypeof());
					break;
				case undefined: {
					if (typeSpecs.length > 0) break loop;
					if (this.isTypedefName(t.text)) {
						typeSpecs.push({ kind: 'TypedefName', name: t.text, range: t.range });
						this.advance();
						break;
					}
					if (context !== 'typename' && this.looksLikeUnknownTypeName(context)) {
						this.errorAtToken(`unknown type name '${t.text}'`);
						typeSpecs.push({ kind: 'TypedefName', name: t.text, range: t.range });
						this.advance();
						break;
					}
					break loop;
				}
				default:
					if (BASIC_TYPE_WORDS.has(word)) {
						typeSpecs.push({ kind: 'Keyword', word: word as BasicTypeWord, range: t.range });
						this.advance();
						break;
					}
					if (UNSUPPORTED_TYPE_WORDS.has(word)) {
						this.errorAtToken(`'${t.text}' is not supported in KC`);
						this.advance();
						if (word === '_Atomic' && this.isPunct('(')) this.skipBalanced();
						break;
					}
					break loop;
			}
		}
		this.leave();
		return { storage, inline, noreturn, qualifiers, typeSpecs, attributes: attributes ?? NO_ATTRIBUTES, range: this.range(start) };
	}

	/**
	 * At an identifier that is not a typedef name where a type is expected: true if it is most likely
	 * a misspelled or undeclared type (`foo x;`, `foo *p` in a declaration, any parameter).
	 */
	private looksLikeUnknownTypeName(context: SpecContext): boolean {
		if (context === 'param') return true;
		const next = this.peek(1);
		if (this.isPunct('*', next)) return true;
		if (next.kind !== TokenKind.Identifier) return false;
		const word = this.word(1);
		return word === undefined || QUALIFIER_WORDS.has(word);
	}

	private parseAlignas(): Attribute {
		const start = this.pos;
		const keyword = this.advance();
		const open = this.pos;
		if (!this.eatPunct('(')) {
			this.errorAtToken(`expected '(' after '${keyword.text}'`);
			return { name: 'aligned', args: [], range: this.range(start) };
		}
		let arg: Expr;
		if (this.isTypeNameStart(0)) {
			const typeName = this.parseTypeName();
			arg = { kind: 'AlignofType', typeName, range: typeName.range };
		} else {
			arg = this.parseConditional();
		}
		this.expectClose(')', open);
		return { name: 'aligned', args: [arg], range: this.range(start) };
	}

	/** `__attribute__((a, b(1, 2), ...))`, appended to `into`. */
	private parseAttributeSpecifier(into: Attribute[]): void {
		const keyword = this.advance();
		const outer = this.pos;
		if (!this.eatPunct('(')) {
			this.errorAtToken(`expected '(' after '${keyword.text}'`);
			return;
		}
		const inner = this.pos;
		if (!this.eatPunct('(')) {
			this.errorAtToken(`expected '(' after '${keyword.text}('`);
			this.skipToCloser(')');
			return;
		}
		for (;;) {
			if (this.isPunct(')')) break;
			if (this.eatPunct(',')) continue;
			const nameToken = this.tok;
			if (nameToken.kind !== TokenKind.Identifier) {
				this.errorAtToken('expected attribute name');
				break;
			}
			const start = this.pos;
			this.advance();
			const args: Expr[] = [];
			if (this.isPunct('(')) {
				const open = this.pos;
				this.advance();
				if (!this.isPunct(')')) {
					for (;;) {
						args.push(this.parseAssign());
						if (!this.eatPunct(',')) break;
					}
				}
				this.expectClose(')', open);
			}
			into.push({ name: normalizeAttributeName(nameToken.text), args, range: this.range(start) });
			if (!this.eatPunct(',')) break;
		}
		this.expectClose(')', inner);
		this.expectClose(')', outer);
	}

	/** Zero or more `__attribute__((...))`. */
	private parseAttributesOpt(into: Attribute[]): void {
		while (this.isKeyword('attribute')) this.parseAttributeSpecifier(into);
	}

	private parseStructSpecifier(): StructSpecifier {
		this.enter();
		const start = this.pos;
		const keyword = this.advance();
		const isUnion = keyword.text === 'union';
		const attributes: Attribute[] = [];
		this.parseAttributesOpt(attributes);
		let tag: string | undefined;
		if (this.isPlainIdentifier()) tag = this.advance().text;
		let members: StructMemberDecl[] | undefined;
		if (this.isPunct('{')) {
			members = this.parseStructBody();
			this.parseAttributesOpt(attributes);
		} else if (tag === undefined) {
			this.errorAtToken(`expected identifier or '{' after '${keyword.text}'`);
		}
		this.leave();
		return { kind: 'StructSpec', isUnion, tag, members, attributes: orEmpty(attributes), range: this.range(start) };
	}

	private parseStructBody(): StructMemberDecl[] {
		const open = this.pos;
		this.advance();
		const members: StructMemberDecl[] = [];
		while (!this.isPunct('}') && this.tok.kind !== TokenKind.EOF) {
			const start = this.pos;
			const errors = this.errorEvents;
			if (this.eatPunct(';')) continue;
			if (this.isKeyword('static_assert')) {
				this.parseStaticAssert(); // dropped: see the header comment
				continue;
			}
			const specs = this.parseDeclSpecs('member');
			if (this.pos === start) {
				this.errorAtToken('expected member declaration');
				this.skipToSync(false);
				if (this.pos === start) this.advance();
				continue;
			}
			if (specs.typeSpecs.length === 0) this.errorAtToken('type specifier missing, defaults to \'int\'');
			const declarators: { declarator: Declarator; bitWidth?: Expr }[] = [];
			if (!this.isPunct(';') && !this.isPunct('}')) {
				for (;;) {
					const declaratorStart = this.pos;
					let declarator = this.isPunct(':') ? this.emptyDeclarator() : this.parseDeclarator('named');
					if (this.eatPunct(':')) {
						const bitWidth = this.parseConditional();
						if (this.isKeyword('attribute')) {
							const attributes = [...declarator.attributes];
							this.parseAttributesOpt(attributes);
							declarator = { ...declarator, attributes, range: this.range(declaratorStart) };
						}
						declarators.push({ declarator, bitWidth });
					} else {
						declarators.push({ declarator });
					}
					if (!this.eatPunct(',')) break;
				}
			}
			if (!this.eatPunct(';')) {
				if (this.errorEvents > errors) {
					this.skipToSync(false);
				} else if (this.isPunct('}')) {
					this.report('warning', 'no semicolon at end of struct or union', this.pointAfterPrevious(), -1);
				} else {
					this.errorAfterPrevious('expected \';\' at end of declaration list');
					this.skipToSync(false);
				}
			}
			members.push({ specs, declarators, range: this.range(start) });
		}
		this.expectClose('}', open);
		return members;
	}

	private parseEnumSpecifier(): EnumSpecifier {
		this.enter();
		const start = this.pos;
		this.advance();
		this.parseAttributesOpt([]); // enum attributes (packed...) have no place in the tree
		let tag: string | undefined;
		if (this.isPlainIdentifier()) tag = this.advance().text;
		let enumerators: { name: string; value?: Expr; range: SourceRange }[] | undefined;
		if (this.isPunct('{')) {
			const open = this.pos;
			this.advance();
			enumerators = [];
			while (!this.isPunct('}') && this.tok.kind !== TokenKind.EOF) {
				const enumeratorStart = this.pos;
				if (!this.isPlainIdentifier()) {
					this.errorAtToken('expected identifier');
					break;
				}
				const name = this.advance().text;
				this.parseAttributesOpt([]);
				const value = this.eatPunct('=') ? this.parseConditional() : undefined;
				// Enumerators are ordinary identifiers: they shadow typedef names.
				this.declare(name, false);
				const range = this.range(enumeratorStart);
				enumerators.push(value === undefined ? { name, range } : { name, value, range });
				if (!this.eatPunct(',')) break;
			}
			if (enumerators.length === 0 && this.isPunct('}')) this.errorAtToken('use of empty enum');
			this.expectClose('}', open);
		} else if (tag === undefined) {
			this.errorAtToken('expected identifier or \'{\' after \'enum\'');
		}
		this.leave();
		return { kind: 'EnumSpec', tag, enumerators, range: this.range(start) };
	}

	private parseTypeof(): TypeSpecifier {
		const start = this.pos;
		const keyword = this.advance();
		const open = this.pos;
		if (!this.eatPunct('(')) {
			this.errorAtToken(`expected '(' after '${keyword.text}'`);
			return { kind: 'Typeof', arg: this.errorExprAt(this.pos), range: this.range(start) };
		}
		const arg = this.isTypeNameStart(0) ? this.parseTypeName() : this.parseExpression();
		this.expectClose(')', open);
		return { kind: 'Typeof', arg, range: this.range(start) };
	}

	/** A type in an expression: specifiers and qualifiers, then an abstract declarator. */
	private parseTypeName(): TypeName {
		this.enter();
		const start = this.pos;
		const specs = this.parseDeclSpecs('typename');
		if (specs.typeSpecs.length === 0) {
			if (this.pos === start) this.errorAtToken('expected a type');
			else this.errorAtToken('type specifier missing, defaults to \'int\'');
		}
		const declarator = this.parseDeclarator('abstract');
		this.leave();
		return { kind: 'TypeName', specs, declarator, range: this.range(start) };
	}

	// ---- Declarators -----------------------------------------------------------------------------

	private parseDeclarator(mode: DeclaratorMode): Declarator {
		this.enter();
		const start = this.pos;
		const attributes: Attribute[] = [];
		const parts = this.parseDeclaratorParts(mode, attributes);
		// Trailing GNU attributes and `asm("symbol")` labels.
		for (;;) {
			const word = this.word(0);
			if (word === 'attribute') this.parseAttributeSpecifier(attributes);
			else if (word === 'asm') this.skipAsm();
			else break;
		}
		this.leave();
		const range = this.range(start);
		if (parts.name === undefined) return { derived: parts.derived, attributes: orEmpty(attributes), range };
		return { name: parts.name, nameRange: parts.nameRange, derived: parts.derived, attributes: orEmpty(attributes), range };
	}

	/**
	 * Pointers, then the name or a parenthesized inner declarator, then array and function suffixes.
	 * The result lists derivations in the order they apply to the base type (see ast.ts): first the
	 * pointers written here, then the suffixes from right to left, then the inner declarator's.
	 */
	private parseDeclaratorParts(mode: DeclaratorMode, attributes: Attribute[]): DeclaratorParts {
		this.parseAttributesOpt(attributes);
		const derived: DerivedDeclarator[] = [];
		while (this.isPunct('*')) {
			const pointerStart = this.pos;
			this.advance();
			let qualifiers: TypeQualifiers = NO_QUALIFIERS;
			for (;;) {
				const word = this.word(0);
				if (word === 'const' || word === 'volatile' || word === 'restrict') {
					if (qualifiers === NO_QUALIFIERS) qualifiers = {};
					qualifiers[word] = true;
					this.advance();
				} else if (word === 'attribute') {
					this.parseAttributeSpecifier(attributes);
				} else if (word === '_Atomic') {
					this.errorAtToken(`'${this.tok.text}' is not supported in KC`);
					this.advance();
				} else {
					break;
				}
			}
			derived.push({ kind: 'Pointer', qualifiers, range: this.range(pointerStart) });
		}
		let name: string | undefined;
		let nameRange: SourceRange | undefined;
		let inner: DeclaratorParts | undefined;
		if (mode !== 'abstract' && this.isPlainIdentifier()) {
			nameRange = this.tok.range;
			name = this.advance().text;
		} else if (this.isPunct('(') && this.opensNestedDeclarator(mode)) {
			const open = this.pos;
			this.advance();
			this.enter();
			inner = this.parseDeclaratorParts(mode, attributes);
			this.leave();
			this.expectClose(')', open);
		} else if (mode === 'named') {
			this.errorAtToken('expected identifier or \'(\'');
		}
		const suffixes: DerivedDeclarator[] = [];
		for (;;) {
			if (this.isPunct('[')) suffixes.push(this.parseArraySuffix());
			else if (this.isPunct('(')) suffixes.push(this.parseFunctionSuffix());
			else break;
		}
		for (let i = suffixes.length - 1; i >= 0; i--) derived.push(suffixes[i]);
		if (inner === undefined) return { name, nameRange, derived };
		for (const d of inner.derived) derived.push(d);
		return { name: inner.name, nameRange: inner.nameRange, derived };
	}

	/** At `(` in a declarator: true if it opens a nested declarator rather than a parameter list. */
	private opensNestedDeclarator(mode: DeclaratorMode): boolean {
		const next = this.peek(1);
		if (next.kind === TokenKind.Punctuator) {
			if (next.text === '*' || next.text === '(' || next.text === '[' || next.text === '^') return true;
			return mode === 'named';
		}
		if (next.kind === TokenKind.Identifier) {
			const word = this.word(1);
			if (word === 'attribute' || mode === 'named') return true;
			if (mode === 'abstract' || word !== undefined) return false;
			// A parameter: `(T)` with T a typedef is an unnamed function parameter list, `(x)` a name.
			return !this.isTypedefName(next.text);
		}
		return mode === 'named';
	}

	private parseArraySuffix(): DerivedDeclarator {
		const start = this.pos;
		this.advance();
		let qualifiers: TypeQualifiers = NO_QUALIFIERS;
		for (;;) {
			const word = this.word(0);
			if (word === 'const' || word === 'volatile' || word === 'restrict') {
				if (qualifiers === NO_QUALIFIERS) qualifiers = {};
				qualifiers[word] = true;
			}
			else if (word !== 'static') break;
			this.advance();
		}
		let size: Expr | undefined;
		if (this.isPunct('*') && this.isPunct(']', this.peek(1))) this.advance(); // `[*]`: unspecified VLA size
		else if (!this.isPunct(']')) size = this.parseAssign();
		this.expectClose(']', start);
		const range = this.range(start);
		return size === undefined ? { kind: 'Array', qualifiers, range } : { kind: 'Array', size, qualifiers, range };
	}

	private parseFunctionSuffix(): DerivedDeclarator {
		const start = this.pos;
		this.advance();
		if (this.eatPunct(')')) return { kind: 'Function', params: [], variadic: false, unprototyped: true, range: this.range(start) };
		// Prototype scope: parameter names shadow typedefs for the rest of the list.
		this.pushScope();
		const params: ParamDecl[] = [];
		let variadic = false;
		for (;;) {
			if (this.eatPunct('...')) {
				variadic = true;
				break;
			}
			const paramStart = this.pos;
			const specs = this.parseDeclSpecs('param');
			if (this.pos === paramStart) {
				this.errorAtToken('expected parameter declarator');
				this.skipToParamEnd();
				if (this.eatPunct(',')) continue;
				break;
			}
			if (specs.typeSpecs.length === 0) this.errorAtToken('type specifier missing, defaults to \'int\'');
			const declarator = this.parseDeclarator('either');
			if (declarator.name !== undefined) this.declare(declarator.name, false);
			params.push({ specs, declarator, range: this.range(paramStart) });
			if (!this.eatPunct(',')) break;
		}
		this.popScope();
		this.expectClose(')', start);
		if (params.length === 1 && !variadic && isVoidParameter(params[0])) params.length = 0;
		return { kind: 'Function', params, variadic, unprototyped: false, range: this.range(start) };
	}

	private emptyDeclarator(): Declarator {
		return { derived: [], attributes: NO_ATTRIBUTES, range: this.pointHere() };
	}

	// ---- Initializers ----------------------------------------------------------------------------

	private parseInitializer(): Initializer {
		this.enter();
		const init = this.isPunct('{') ? this.parseInitList() : this.parseAssign();
		this.leave();
		return init;
	}

	private parseInitList(): InitList {
		const open = this.pos;
		this.advance();
		const items: { designators: Designator[]; init: Initializer; range: SourceRange }[] = [];
		while (!this.isPunct('}') && this.tok.kind !== TokenKind.EOF) {
			const start = this.pos;
			const designators = this.parseDesignation();
			const init = this.parseInitializer();
			items.push({ designators, init, range: this.range(start) });
			if (!this.eatPunct(',')) break;
		}
		this.expectClose('}', open);
		return { kind: 'InitList', items, range: this.range(open) };
	}

	/** `.a.b[2] =`, `[1 ... 3] =`, GNU `field:`; empty if the item has no designation. */
	private parseDesignation(): Designator[] {
		const designators: Designator[] = [];
		if (this.isPlainIdentifier() && this.isPunct(':', this.peek(1))) {
			designators.push({ kind: 'field', name: this.tok.text, range: this.tok.range });
			this.advance();
			this.advance();
			return designators;
		}
		for (;;) {
			const start = this.pos;
			if (this.eatPunct('.')) {
				if (!this.isPlainIdentifier()) {
					this.errorAtToken('expected a field designator, such as \'.field = 4\'');
					break;
				}
				designators.push({ kind: 'field', name: this.advance().text, range: this.range(start) });
			} else if (this.eatPunct('[')) {
				const index = this.parseConditional();
				const last = this.eatPunct('...') ? this.parseConditional() : undefined;
				this.expectClose(']', start);
				const range = this.range(start);
				designators.push(last === undefined ? { kind: 'index', index, range } : { kind: 'index', index, last, range });
			} else {
				break;
			}
		}
		// GNU's obsolete `[index] value` has no '='; `.field value` is an error.
		if (designators.length > 0 && !this.eatPunct('=') && designators.some(d => d.kind === 'field')) {
			this.errorAtToken('expected \'=\'');
		}
		return designators;
	}

	// ---- Statements ------------------------------------------------------------------------------

	/** `{ ... }`; `ownScope` is false for a function body, whose scope (with the parameters) the caller opened. */
	private parseCompound(ownScope = true): CompoundStmt {
		const open = this.pos;
		this.advance();
		if (ownScope) this.pushScope();
		const items: (Stmt | Declaration)[] = [];
		while (!this.isPunct('}') && this.tok.kind !== TokenKind.EOF) {
			const before = this.pos;
			const item = this.parseBlockItem();
			if (item) items.push(item);
			if (this.pos === before) this.advance();
		}
		this.expectClose('}', open);
		if (ownScope) this.popScope();
		return { kind: 'Compound', items, range: this.range(open) };
	}

	private parseBlockItem(): Stmt | Declaration | undefined {
		const start = this.pos;
		// `__extension__` prefixes declarations and expressions alike.
		while (this.isKeyword('__extension__')) this.advance();
		const word = this.word(0);
		if (word === 'static_assert') {
			this.parseStaticAssert(); // dropped: see the header comment
			return undefined;
		}
		if (word === '__label__') {
			this.skipLocalLabelDeclaration();
			return undefined;
		}
		if (word === 'attribute') {
			const attributes: Attribute[] = [];
			this.parseAttributesOpt(attributes);
			if (this.isDeclarationStart()) return this.parseBlockDeclaration(start, attributes);
			// A statement attribute such as `__attribute__((fallthrough));`.
			if (this.eatPunct(';')) return { kind: 'Empty', range: this.range(start) };
			return this.parseStatement();
		}
		if (this.isDeclarationStart()) return this.parseBlockDeclaration(start, []);
		this.pos = start;
		return this.parseStatement();
	}

	/** GNU `__label__ a, b;` (local label declarations): labels need no declaration in KC. */
	private skipLocalLabelDeclaration(): void {
		const errors = this.errorEvents;
		this.advance();
		for (;;) {
			if (!this.isPlainIdentifier()) {
				this.errorAtToken('expected identifier');
				break;
			}
			this.advance();
			if (!this.eatPunct(',')) break;
		}
		this.expectSemicolon('expected \';\' after __label__ declaration', errors, false);
	}

	/** True if the current token begins a declaration (decided with the typedef table). */
	private isDeclarationStart(): boolean {
		const t = this.tok;
		if (t.kind !== TokenKind.Identifier) return false;
		const word = this.word(0);
		if (word !== undefined) return DECLARATION_START_WORDS.has(word);
		if (this.isTypedefName(t.text)) return !this.isPunct(':', this.peek(1));
		// `foo bar;` or `foo const *p;` cannot be an expression: an unknown type name.
		const next = this.peek(1);
		if (next.kind !== TokenKind.Identifier) return false;
		const nextWord = this.word(1);
		return nextWord === undefined || QUALIFIER_WORDS.has(nextWord);
	}

	private parseStatement(): Stmt {
		this.enter();
		const labels: PendingLabel[] = [];
		for (;;) {
			const start = this.pos;
			const t = this.tok;
			const word = this.word(0);
			if (word === 'case') {
				this.advance();
				const value = this.parseConditional();
				const last = this.eatPunct('...') ? this.parseConditional() : undefined;
				this.expectPunct(':', 'expected \':\' after \'case\'');
				labels.push(last === undefined ? { kind: 'Case', start, value } : { kind: 'Case', start, value, last });
			} else if (word === 'default') {
				this.advance();
				this.expectPunct(':', 'expected \':\' after \'default\'');
				labels.push({ kind: 'Default', start });
			} else if (word === undefined && t.kind === TokenKind.Identifier && this.isPunct(':', this.peek(1))) {
				this.advance();
				this.advance();
				this.parseAttributesOpt([]);
				labels.push({ kind: 'Labeled', start, label: t.text });
			} else {
				break;
			}
		}
		let body: Stmt;
		if (labels.length === 0) {
			body = this.parseUnlabeledStatement();
		} else if (this.isPunct('}')) {
			// A label at the end of a block (C23, accepted by gcc).
			body = { kind: 'Empty', range: this.pointHere() };
		} else if (this.isDeclarationStart() || this.isKeyword('static_assert')) {
			const start = this.pos;
			this.errorAtToken('a label can only be part of a statement and a declaration is not a statement');
			if (this.isKeyword('static_assert')) this.parseStaticAssert();
			else this.parseBlockDeclaration(start, []);
			body = { kind: 'ErrorStmt', range: this.range(start) };
		} else {
			body = this.parseUnlabeledStatement();
		}
		// Labels nest: `a: case 1: s` is Labeled(Case(s)); all of them end where the statement ends.
		for (let i = labels.length - 1; i >= 0; i--) {
			const label = labels[i];
			const range = this.range(label.start);
			switch (label.kind) {
				case 'Case':
					body = label.last === undefined
						? { kind: 'Case', value: label.value, body, range }
						: { kind: 'Case', value: label.value, last: label.last, body, range };
					break;
				case 'Default':
					body = { kind: 'Default', body, range };
					break;
				case 'Labeled':
					body = { kind: 'Labeled', label: label.label, body, range };
					break;
			}
		}
		this.leave();
		return body;
	}

	private parseUnlabeledStatement(): Stmt {
		const start = this.pos;
		const t = this.tok;
		const errors = this.errorEvents;
		if (t.kind === TokenKind.Punctuator) {
			if (t.text === '{') return this.parseCompound();
			if (t.text === ';') {
				this.advance();
				return { kind: 'Empty', range: this.range(start) };
			}
		} else if (t.kind === TokenKind.Identifier) {
			switch (this.word(0)) {
				case 'if':
					return this.parseIf();
				case 'while': {
					this.advance();
					const cond = this.parseParenCondition('while');
					const body = this.parseStatement();
					return { kind: 'While', cond, body, range: this.range(start) };
				}
				case 'do':
					return this.parseDoWhile();
				case 'for':
					return this.parseFor();
				case 'switch': {
					this.advance();
					const cond = this.parseParenCondition('switch');
					const body = this.parseStatement();
					return { kind: 'Switch', cond, body, range: this.range(start) };
				}
				case 'break':
					this.advance();
					this.expectSemicolon('expected \';\' after break statement', errors, false);
					return { kind: 'Break', range: this.range(start) };
				case 'continue':
					this.advance();
					this.expectSemicolon('expected \';\' after continue statement', errors, false);
					return { kind: 'Continue', range: this.range(start) };
				case 'goto':
					return this.parseGoto();
				case 'return': {
					this.advance();
					const value = this.isPunct(';') ? undefined : this.parseExpression();
					this.expectSemicolon('expected \';\' after return statement', errors, false);
					const range = this.range(start);
					return value === undefined ? { kind: 'Return', range } : { kind: 'Return', value, range };
				}
				case 'asm':
					this.skipAsm();
					this.expectSemicolon('expected \';\' after asm statement', errors, false);
					return { kind: 'Empty', range: this.range(start) };
			}
		}
		const expr = this.parseExpression();
		this.expectSemicolon('expected \';\' after expression', errors, false);
		if (expr.kind === 'ErrorExpr' && this.errorEvents > errors) return { kind: 'ErrorStmt', range: this.range(start) };
		return { kind: 'ExprStmt', expr, range: this.range(start) };
	}

	/** `if`/`else if` chains are parsed iteratively, so a long chain costs no stack. */
	private parseIf(): IfStmt {
		const chain: { start: number; cond: Expr; then: Stmt }[] = [];
		let otherwise: Stmt | undefined;
		for (;;) {
			const start = this.pos;
			this.advance();
			const cond = this.parseParenCondition('if');
			const then = this.parseStatement();
			chain.push({ start, cond, then });
			if (!this.isKeyword('else')) break;
			this.advance();
			if (this.isKeyword('if')) continue;
			otherwise = this.parseStatement();
			break;
		}
		let result: IfStmt | undefined;
		for (let i = chain.length - 1; i >= 0; i--) {
			const { start, cond, then } = chain[i];
			const elseBranch = result ?? otherwise;
			const range = this.range(start);
			result = elseBranch === undefined ? { kind: 'If', cond, then, range } : { kind: 'If', cond, then, otherwise: elseBranch, range };
		}
		return result as IfStmt;
	}

	private parseDoWhile(): Stmt {
		const start = this.pos;
		const errors = this.errorEvents;
		this.advance();
		const body = this.parseStatement();
		let cond: Expr;
		if (this.isKeyword('while')) {
			this.advance();
			cond = this.parseParenCondition('while');
			this.expectSemicolon('expected \';\' after do/while statement', errors, false);
		} else {
			this.errorAtToken('expected \'while\' in do/while loop');
			cond = this.errorExprAt(this.pos);
		}
		return { kind: 'DoWhile', body, cond, range: this.range(start) };
	}

	private parseFor(): Stmt {
		const start = this.pos;
		this.advance();
		const open = this.pos;
		if (!this.eatPunct('(')) {
			this.errorAtToken('expected \'(\' after \'for\'');
			this.skipToSync(false);
			return { kind: 'ErrorStmt', range: this.range(start) };
		}
		// Declarations in the header are scoped to the loop.
		this.pushScope();
		let init: Declaration | Expr | undefined;
		if (this.eatPunct(';')) {
			init = undefined;
		} else if (this.isDeclarationStart()) {
			init = this.parseBlockDeclaration(this.pos, []);
		} else {
			init = this.parseExpression();
			this.expectPunct(';', 'expected \';\' in \'for\' statement specifier');
		}
		let cond: Expr | undefined;
		if (!this.eatPunct(';')) {
			cond = this.parseExpression();
			this.expectPunct(';', 'expected \';\' in \'for\' statement specifier');
		}
		const step = this.isPunct(')') ? undefined : this.parseExpression();
		this.expectClose(')', open);
		const body = this.parseStatement();
		this.popScope();
		return {
			kind: 'For',
			...(init === undefined ? {} : { init }),
			...(cond === undefined ? {} : { cond }),
			...(step === undefined ? {} : { step }),
			body,
			range: this.range(start),
		};
	}

	private parseGoto(): Stmt {
		const start = this.pos;
		const errors = this.errorEvents;
		this.advance();
		let label = '';
		if (this.isPlainIdentifier()) {
			label = this.advance().text;
		} else if (this.isPunct('*')) {
			this.errorAtToken('computed goto is not supported in KC');
		} else {
			this.errorAtToken('expected identifier');
		}
		this.expectSemicolon('expected \';\' after goto statement', errors, false);
		if (label === '') return { kind: 'ErrorStmt', range: this.range(start) };
		return { kind: 'Goto', label, range: this.range(start) };
	}

	/** `( expression )` after `if`, `while`, `switch`. */
	private parseParenCondition(keyword: string): Expr {
		const open = this.pos;
		if (!this.eatPunct('(')) {
			this.errorAtToken(`expected '(' after '${keyword}'`);
			return this.parseExpression();
		}
		const cond = this.parseExpression();
		this.expectClose(')', open);
		return cond;
	}

	/** `asm [volatile|goto|inline] ( ... )`, skipped with balanced parentheses. */
	private skipAsm(): void {
		const keyword = this.advance();
		for (;;) {
			const word = this.word(0);
			if (word !== 'volatile' && word !== 'goto' && word !== 'inline') break;
			this.advance();
		}
		if (!this.isPunct('(')) {
			this.errorAtToken(`expected '(' after '${keyword.text}'`);
			return;
		}
		this.skipBalanced();
	}

	// ---- Expressions -----------------------------------------------------------------------------

	private parseExpression(): Expr {
		const start = this.pos;
		let expr = this.parseAssign();
		while (this.eatPunct(',')) {
			const right = this.parseAssign();
			expr = { kind: 'Binary', op: ',', left: expr, right, range: this.range(start) };
		}
		return expr;
	}

	private parseAssign(): Expr {
		this.enter();
		const start = this.pos;
		const target = this.parseConditional();
		const t = this.tok;
		let result = target;
		if (t.kind === TokenKind.Punctuator && ASSIGNMENT_OPERATORS.has(t.text)) {
			this.advance();
			const value = this.parseAssign();
			result = { kind: 'Assign', op: t.text as AssignOp, target, value, range: this.range(start) };
		}
		this.leave();
		return result;
	}

	private parseConditional(): Expr {
		const start = this.pos;
		const cond = this.parseBinary(1);
		if (!this.isPunct('?')) return cond;
		const question = this.pos;
		this.advance();
		// GNU `a ?: b`: the middle operand is the condition itself (the same node).
		const then = this.isPunct(':') ? cond : this.parseExpression();
		let otherwise: Expr;
		if (this.eatPunct(':')) {
			this.enter();
			otherwise = this.parseConditional();
			this.leave();
		} else {
			const q = this.toks[question];
			this.errorAtToken('expected \':\'', [{ message: 'to match this \'?\'', range: q.range }]);
			otherwise = this.errorExprAt(this.pos);
		}
		return { kind: 'Conditional', cond, then, otherwise, range: this.range(start) };
	}

	/** Binary operators by precedence climbing: left-associative chains are loops, not recursion. */
	private parseBinary(minPrecedence: number): Expr {
		const start = this.pos;
		let left = this.parseCast();
		for (;;) {
			const t = this.tok;
			if (t.kind !== TokenKind.Punctuator) break;
			const precedence = BINARY_PRECEDENCE.get(t.text);
			if (precedence === undefined || precedence < minPrecedence) break;
			this.advance();
			const right = this.parseBinary(precedence + 1);
			left = { kind: 'Binary', op: t.text as BinaryOp, left, right, range: this.range(start) };
		}
		return left;
	}

	private parseCast(): Expr {
		if (!this.isPunct('(') || !this.isTypeNameStart(1)) return this.parseUnary();
		this.enter();
		const start = this.pos;
		this.advance();
		const typeName = this.parseTypeName();
		this.expectClose(')', start);
		let result: Expr;
		if (this.isPunct('{')) {
			const init = this.parseInitList();
			result = this.parsePostfixSuffixes({ kind: 'CompoundLiteral', typeName, init, range: this.range(start) }, start);
		} else {
			const operand = this.parseCast();
			result = { kind: 'Cast', typeName, operand, range: this.range(start) };
		}
		this.leave();
		return result;
	}

	private parseUnary(): Expr {
		this.enter();
		const start = this.pos;
		const t = this.tok;
		let result: Expr | undefined;
		if (t.kind === TokenKind.Punctuator) {
			switch (t.text) {
				case '++':
				case '--': {
					this.advance();
					const operand = this.parseCast();
					result = { kind: 'Unary', op: t.text === '++' ? 'pre++' : 'pre--', operand, range: this.range(start) };
					break;
				}
				case '&':
				case '*':
				case '+':
				case '-':
				case '~':
				case '!': {
					this.advance();
					const operand = this.parseCast();
					result = { kind: 'Unary', op: t.text, operand, range: this.range(start) };
					break;
				}
				case '&&':
					this.errorAtToken('taking the address of a label is not supported in KC');
					this.advance();
					if (this.isPlainIdentifier()) this.advance();
					result = { kind: 'ErrorExpr', range: this.range(start) };
					break;
			}
		} else if (t.kind === TokenKind.Identifier) {
			const word = this.word(0);
			if (word === 'sizeof' || word === 'alignof') {
				result = this.parseSizeof(word);
			} else if (word === '__extension__') {
				this.advance();
				result = this.parseCast();
			} else if (word === '__real__' || word === '__imag__') {
				this.errorAtToken(`'${t.text}' is not supported in KC`);
				this.advance();
				this.parseCast();
				result = { kind: 'ErrorExpr', range: this.range(start) };
			}
		}
		result ??= this.parsePostfixSuffixes(this.parsePrimary(), start);
		this.leave();
		return result;
	}

	private parseSizeof(word: 'sizeof' | 'alignof'): Expr {
		const start = this.pos;
		this.advance();
		let operand: Expr;
		if (this.isPunct('(') && this.isTypeNameStart(1)) {
			const open = this.pos;
			this.advance();
			const typeName = this.parseTypeName();
			this.expectClose(')', open);
			if (!this.isPunct('{')) return { kind: word === 'sizeof' ? 'SizeofType' : 'AlignofType', typeName, range: this.range(start) };
			// `sizeof (struct s){...}`: the operand is a compound literal.
			const init = this.parseInitList();
			operand = this.parsePostfixSuffixes({ kind: 'CompoundLiteral', typeName, init, range: this.range(open) }, open);
		} else {
			operand = this.parseUnary();
		}
		if (word === 'sizeof') return { kind: 'SizeofExpr', operand, range: this.range(start) };
		return { kind: 'BuiltinCall', name: '__alignof__', args: [operand], range: this.range(start) };
	}

	private parsePostfixSuffixes(base: Expr, start: number): Expr {
		let expr = base;
		for (;;) {
			const t = this.tok;
			if (t.kind !== TokenKind.Punctuator) return expr;
			switch (t.text) {
				case '[': {
					const open = this.pos;
					this.advance();
					const index = this.parseExpression();
					this.expectClose(']', open);
					expr = { kind: 'Index', base: expr, index, range: this.range(start) };
					break;
				}
				case '(': {
					const args = this.parseCallArguments();
					expr = { kind: 'Call', callee: expr, args, range: this.range(start) };
					break;
				}
				case '.':
				case '->': {
					this.advance();
					const nameToken = this.tok;
					if (!this.isPlainIdentifier()) {
						this.errorAtToken('expected identifier');
						return expr;
					}
					this.advance();
					expr = { kind: 'Member', base: expr, name: nameToken.text, arrow: t.text === '->', nameRange: nameToken.range, range: this.range(start) };
					break;
				}
				case '++':
				case '--':
					this.advance();
					expr = { kind: 'Unary', op: t.text === '++' ? 'post++' : 'post--', operand: expr, range: this.range(start) };
					break;
				default:
					return expr;
			}
		}
	}

	private parseCallArguments(): Expr[] {
		const open = this.pos;
		this.advance();
		const args: Expr[] = [];
		if (this.eatPunct(')')) return args;
		for (;;) {
			args.push(this.parseAssign());
			if (!this.eatPunct(',')) break;
		}
		this.expectClose(')', open);
		return args;
	}

	private parsePrimary(): Expr {
		const start = this.pos;
		const t = this.tok;
		switch (t.kind) {
			case TokenKind.Identifier:
				return this.parseIdentifierExpression();
			case TokenKind.Number:
				this.advance();
				return this.numberLiteral(t, start);
			case TokenKind.CharLiteral:
				this.advance();
				return this.charLiteral(t, start);
			case TokenKind.StringLiteral:
				return this.parseStringLiterals();
			case TokenKind.Punctuator:
				if (t.text === '(') {
					if (this.isPunct('{', this.peek(1))) {
						// GNU statement expression `({ ...; value; })`.
						this.advance();
						const body = this.parseCompound();
						this.expectClose(')', start);
						return { kind: 'StmtExpr', body, range: this.range(start) };
					}
					this.advance();
					const inner = this.parseExpression();
					this.expectClose(')', start);
					return inner;
				}
				break;
		}
		this.errorAtToken('expected expression');
		return this.errorExprAt(this.pos);
	}

	private parseIdentifierExpression(): Expr {
		const t = this.tok;
		const word = this.word(0);
		if (word !== undefined) {
			if (word === '_Generic') this.errorAtToken('\'_Generic\' is not supported in KC');
			else this.errorAtToken('expected expression');
			return this.errorExprAt(this.pos);
		}
		if (this.isTypedefName(t.text)) {
			this.errorAtToken(`unexpected type name '${t.text}': expected expression`);
			this.advance();
			return { kind: 'ErrorExpr', range: t.range };
		}
		if (t.text.startsWith('__builtin_') && this.isPunct('(', this.peek(1))) return this.parseBuiltin();
		this.advance();
		return { kind: 'Ident', name: t.text, range: t.range };
	}

	/** `__builtin_name(...)`: special forms with type arguments, or a BuiltinCall of expressions. */
	private parseBuiltin(): Expr {
		const start = this.pos;
		const name = this.advance().text;
		const open = this.pos;
		this.advance();
		switch (name) {
			case '__builtin_va_arg': {
				const ap = this.parseAssign();
				this.expectPunct(',');
				const typeName = this.parseTypeName();
				this.expectClose(')', open);
				return { kind: 'VaArg', ap, typeName, range: this.range(start) };
			}
			case '__builtin_offsetof': {
				const typeName = this.parseTypeName();
				this.expectPunct(',');
				const path = this.parseOffsetofPath();
				this.expectClose(')', open);
				return { kind: 'Offsetof', typeName, path, range: this.range(start) };
			}
			case '__builtin_types_compatible_p': {
				const first = this.parseTypeName();
				this.expectPunct(',');
				const second = this.parseTypeName();
				this.expectClose(')', open);
				return { kind: 'BuiltinCall', name, args: [first, second], range: this.range(start) };
			}
		}
		const args: Expr[] = [];
		if (!this.eatPunct(')')) {
			for (;;) {
				args.push(this.parseAssign());
				if (!this.eatPunct(',')) break;
			}
			this.expectClose(')', open);
		}
		return { kind: 'BuiltinCall', name, args, range: this.range(start) };
	}

	/** The member designator of `offsetof`: `a.b[2].c`. */
	private parseOffsetofPath(): OffsetofExpr['path'] {
		const path: ({ kind: 'field'; name: string } | { kind: 'index'; index: Expr })[] = [];
		if (!this.isPlainIdentifier()) {
			this.errorAtToken('expected identifier');
			return path;
		}
		path.push({ kind: 'field', name: this.advance().text });
		for (;;) {
			if (this.eatPunct('.')) {
				if (!this.isPlainIdentifier()) {
					this.errorAtToken('expected identifier');
					break;
				}
				path.push({ kind: 'field', name: this.advance().text });
			} else if (this.isPunct('[')) {
				const open = this.pos;
				this.advance();
				const index = this.parseExpression();
				this.expectClose(']', open);
				path.push({ kind: 'index', index });
			} else {
				break;
			}
		}
		return path;
	}

	private numberLiteral(t: Token, index: number): Expr {
		if (isFloatingLiteral(t.text)) {
			const result = parseFloatLiteral(t.text);
			if ('error' in result) return this.literalError(result.error, t, index);
			return { kind: 'FloatLiteral', value: result.value, text: t.text, suffix: result.suffix, range: t.range };
		}
		const result = parseIntegerLiteral(t.text);
		if ('error' in result) return this.literalError(result.error, t, index);
		return {
			kind: 'IntLiteral',
			value: result.value,
			text: t.text,
			unsignedSuffix: result.unsignedSuffix,
			longSuffix: result.longSuffix,
			decimal: result.decimal,
			range: t.range,
		};
	}

	private charLiteral(t: Token, index: number): Expr {
		const result = decodeCharLiteral(t.text);
		if ('error' in result) return this.literalError(result.error, t, index);
		if (result.warning !== undefined) this.report('warning', result.warning, t.range, -1);
		return { kind: 'CharLiteral', value: result.value, text: t.text, wide: result.wide, range: t.range };
	}

	/** Adjacent string literals form one StringLiteral; a narrow part joined to a wide one is widened. */
	private parseStringLiterals(): Expr {
		const start = this.pos;
		const parts: { token: Token; index: number; prefix: string }[] = [];
		while (this.tok.kind === TokenKind.StringLiteral) {
			const index = this.pos;
			const token = this.advance();
			parts.push({ token, index, prefix: token.text.slice(0, Math.max(0, token.text.indexOf('"'))) });
		}
		const widePrefixes = new Set(parts.map(p => p.prefix).filter(p => p === 'L' || p === 'u' || p === 'U'));
		const range = this.range(start);
		if (widePrefixes.size > 1 || (widePrefixes.size === 1 && parts.some(p => p.prefix === 'u8'))) {
			this.report('error', 'unsupported non-standard concatenation of string literals', range, start);
			return { kind: 'ErrorExpr', range };
		}
		const widePrefix = widePrefixes.size === 1 ? [...widePrefixes][0] : '';
		const chunks: Uint8Array[] = [];
		let length = 0;
		let failed = false;
		for (const part of parts) {
			const text = part.prefix === '' ? widePrefix + part.token.text : part.token.text;
			const decoded = decodeStringLiteral(text);
			if ('error' in decoded) {
				this.literalError(decoded.error, part.token, part.index);
				failed = true;
				continue;
			}
			if (decoded.warning !== undefined) this.report('warning', decoded.warning, part.token.range, -1);
			chunks.push(decoded.bytes);
			length += decoded.bytes.length;
		}
		if (failed) return { kind: 'ErrorExpr', range };
		const bytes = new Uint8Array(length);
		let offset = 0;
		for (const chunk of chunks) {
			bytes.set(chunk, offset);
			offset += chunk.length;
		}
		return { kind: 'StringLiteral', bytes, text: parts.map(p => p.token.text).join(' '), wide: widePrefix !== '', range };
	}

	private literalError(message: string, t: Token, index: number): Expr {
		// The lexer (through the preprocessor) already reported unterminated literals.
		if (!message.startsWith('missing terminating')) this.report('error', message, t.range, index);
		else this.errorEvents++;
		return { kind: 'ErrorExpr', range: t.range };
	}

	// ---- Typedef scopes --------------------------------------------------------------------------

	private pushScope(): void {
		this.scopes.push(new Map());
	}

	private popScope(): void {
		if (this.scopes.length > 1) this.scopes.pop();
	}

	private declare(name: string, isTypedef: boolean): void {
		this.scopes[this.scopes.length - 1].set(name, isTypedef);
	}

	private isTypedefName(name: string): boolean {
		for (let i = this.scopes.length - 1; i >= 0; i--) {
			const entry = this.scopes[i].get(name);
			if (entry !== undefined) return entry;
		}
		return false;
	}

	/** True if the token at `offset` from the current one can begin a type name. */
	private isTypeNameStart(offset: 0 | 1): boolean {
		const t = this.peek(offset);
		if (t.kind !== TokenKind.Identifier) return false;
		const word = this.word(offset);
		if (word !== undefined) return TYPE_NAME_START_WORDS.has(word);
		return this.isTypedefName(t.text);
	}

	// ---- Tokens ----------------------------------------------------------------------------------

	private get tok(): Token {
		return this.toks[this.pos];
	}

	private peek(offset: number): Token {
		const index = this.pos + offset;
		return this.toks[index < this.toks.length ? index : this.toks.length - 1];
	}

	/** Consumes the current token (never moves past EOF) and returns it. */
	private advance(): Token {
		const t = this.toks[this.pos];
		if (t.kind !== TokenKind.EOF) this.pos++;
		return t;
	}

	private isPunct(text: string, t: Token = this.tok): boolean {
		return t.kind === TokenKind.Punctuator && t.text === text;
	}

	private eatPunct(text: string): boolean {
		if (!this.isPunct(text)) return false;
		this.pos++;
		return true;
	}

	/** The canonical keyword of the token at `offset` from the current one, if it is a keyword. */
	private word(offset: 0 | 1): string | undefined {
		const index = this.pos + offset;
		return this.words[index < this.words.length ? index : this.words.length - 1];
	}

	private isKeyword(word: string): boolean {
		return this.words[this.pos] === word;
	}

	/** True if the current token is an identifier that is not a keyword (typedef names included). */
	private isPlainIdentifier(): boolean {
		return this.tok.kind === TokenKind.Identifier && this.words[this.pos] === undefined;
	}

	/** The range from token `start` through the last consumed token; a point if nothing was consumed. */
	private range(start: number): SourceRange {
		const first = this.toks[start].range;
		if (this.pos <= start) return pointRange(first.file, first.line, first.col);
		const last = this.toks[this.pos - 1].range;
		// Token ranges are immutable: a one-token node (or one inside a single macro expansion) shares it.
		if (last === first || last.file !== first.file) return first;
		return { file: first.file, line: first.line, col: first.col, endLine: last.endLine, endCol: last.endCol };
	}

	private pointHere(): SourceRange {
		const r = this.tok.range;
		return pointRange(r.file, r.line, r.col);
	}

	private pointAfterPrevious(): SourceRange {
		const r = this.pos > 0 ? this.toks[this.pos - 1].range : this.tok.range;
		return pointRange(r.file, r.endLine, r.endCol);
	}

	private errorExprAt(index: number): Expr {
		const r = this.toks[index].range;
		return { kind: 'ErrorExpr', range: pointRange(r.file, r.line, r.col) };
	}

	// ---- Diagnostics and recovery ----------------------------------------------------------------

	private report(
		severity: Severity,
		message: string,
		range: SourceRange,
		index: number,
		related?: { message: string; range: SourceRange }[],
	): void {
		if (severity === 'error') {
			this.errorEvents++;
			if (index >= 0 && index === this.lastErrorIndex) return;
			if (index >= 0) this.lastErrorIndex = index;
		}
		const notes = related ?? [];
		const macro = index >= 0 && index < this.toks.length ? this.toks[index].macro : undefined;
		if (macro !== undefined) notes.push({ message: `in expansion of macro '${macro}'`, range });
		this.diagnostics.push(notes.length > 0 ? { severity, message, range, related: notes } : { severity, message, range });
	}

	private errorAtToken(message: string, related?: { message: string; range: SourceRange }[]): void {
		this.report('error', message, this.tok.range, this.pos, related);
	}

	/** An error placed just after the previous token, where the missing token belongs. */
	private errorAfterPrevious(message: string): void {
		this.report('error', message, this.pointAfterPrevious(), this.pos);
	}

	private expectPunct(text: string, message = `expected '${text}'`): boolean {
		if (this.eatPunct(text)) return true;
		this.errorAtToken(message);
		return false;
	}

	/** Expects the closer matching the opener at token `open`; if missing, reports and skips to it. */
	private expectClose(closer: ')' | ']' | '}', open: number): boolean {
		if (this.eatPunct(closer)) return true;
		const opener = this.toks[open];
		this.errorAtToken(`expected '${closer}'`, [{ message: `to match this '${opener.text}'`, range: opener.range }]);
		this.skipToCloser(closer);
		return false;
	}

	/**
	 * Expects the `;` ending a statement or declaration. If the construct already had an error,
	 * skips silently to the next `;` or `}`. Otherwise reports the missing `;`; when the next token
	 * starts a new line, parsing goes on as if the `;` were there, else the rest of the line is junk
	 * and is skipped.
	 */
	private expectSemicolon(message: string, errorsBefore: number, fileScope: boolean): void {
		if (this.eatPunct(';')) return;
		if (this.errorEvents > errorsBefore) {
			this.skipToSync(fileScope);
			return;
		}
		this.errorAfterPrevious(message);
		const previous = this.toks[this.pos - 1];
		const t = this.tok;
		const newLine = previous === undefined || t.range.file !== previous.range.file || t.range.line > previous.range.endLine;
		if (!newLine && !this.isPunct('}')) this.skipToSync(fileScope);
	}

	/**
	 * Skips to just after the next `;` outside brackets, or to (not past) an unmatched `}`. At file
	 * scope an unmatched `}` is consumed too, as is a `}` that closes a skipped block.
	 */
	private skipToSync(fileScope: boolean): void {
		let parens = 0;
		let braces = 0;
		for (;;) {
			const t = this.tok;
			if (t.kind === TokenKind.EOF) return;
			if (t.kind === TokenKind.Punctuator) {
				switch (t.text) {
					case '(':
					case '[':
						parens++;
						break;
					case ')':
					case ']':
						if (parens > 0) parens--;
						break;
					case '{':
						braces++;
						break;
					case '}':
						if (braces === 0) {
							if (fileScope) this.advance();
							return;
						}
						braces--;
						if (braces === 0 && parens === 0 && fileScope) {
							this.advance();
							this.eatPunct(';');
							return;
						}
						break;
					case ';':
						if (braces === 0 && parens === 0) {
							this.advance();
							return;
						}
						break;
				}
			}
			this.advance();
		}
	}

	/** Skips to the matching `closer`, consuming it, but stops before a `;` or unmatched closer. */
	private skipToCloser(closer: string): void {
		let depth = 0;
		for (;;) {
			const t = this.tok;
			if (t.kind === TokenKind.EOF) return;
			if (t.kind === TokenKind.Punctuator) {
				const text = t.text;
				if (depth === 0 && text === closer) {
					this.advance();
					return;
				}
				if (text === '(' || text === '[' || text === '{') depth++;
				else if (text === ')' || text === ']' || text === '}') {
					if (depth === 0) return;
					depth--;
				} else if (text === ';' && depth === 0) return;
			}
			this.advance();
		}
	}

	/** Skips a parameter that failed to parse, up to the next `,` or `)` outside brackets. */
	private skipToParamEnd(): void {
		let depth = 0;
		for (;;) {
			const t = this.tok;
			if (t.kind === TokenKind.EOF) return;
			if (t.kind === TokenKind.Punctuator) {
				const text = t.text;
				if (depth === 0 && (text === ',' || text === ')' || text === ';' || text === '{' || text === '}')) return;
				if (text === '(' || text === '[') depth++;
				else if (text === ')' || text === ']') depth--;
			}
			this.advance();
		}
	}

	/** At an opening bracket: skips through its matching closer (reports if the input ends first). */
	private skipBalanced(): void {
		const open = this.pos;
		let depth = 0;
		for (;;) {
			const t = this.tok;
			if (t.kind === TokenKind.EOF) {
				const opener = this.toks[open];
				this.errorAtToken('expected \')\'', [{ message: `to match this '${opener.text}'`, range: opener.range }]);
				return;
			}
			this.advance();
			if (t.kind !== TokenKind.Punctuator) continue;
			if (t.text === '(' || t.text === '[' || t.text === '{') depth++;
			else if (t.text === ')' || t.text === ']' || t.text === '}') {
				depth--;
				if (depth === 0) return;
			}
		}
	}

	private enter(): void {
		if (++this.depth > MAX_DEPTH) {
			this.diagnostics.push({ severity: 'error', message: NESTED_TOO_DEEPLY, range: this.tok.range });
			this.errorEvents++;
			throw DEPTH_ABORT;
		}
	}

	private leave(): void {
		this.depth--;
	}
}

/**
 * Shared empty values for the common case (no qualifiers, no attributes), to keep big trees small.
 * They are frozen: syntactic fields of the tree are never mutated after parsing.
 */
const NO_QUALIFIERS: TypeQualifiers = Object.freeze({});
const NO_ATTRIBUTES: readonly Attribute[] = Object.freeze([]);

function orEmpty(attributes: readonly Attribute[]): readonly Attribute[] {
	return attributes.length === 0 ? NO_ATTRIBUTES : attributes;
}

type BasicTypeWord = 'void' | 'char' | 'short' | 'int' | 'long' | 'float' | 'double' | 'signed' | 'unsigned' | '_Bool';

function isFunctionDeclarator(declarator: Declarator): boolean {
	const derived = declarator.derived;
	return declarator.name !== undefined && derived.length > 0 && derived[derived.length - 1].kind === 'Function';
}

/** `(void)`: a single unnamed, unqualified `void` parameter means "no parameters". */
function isVoidParameter(param: ParamDecl): boolean {
	const { specs, declarator } = param;
	return specs.typeSpecs.length === 1
		&& specs.typeSpecs[0].kind === 'Keyword'
		&& specs.typeSpecs[0].word === 'void'
		&& specs.storage === undefined
		&& !specs.qualifiers.const && !specs.qualifiers.volatile
		&& declarator.name === undefined
		&& declarator.derived.length === 0;
}

function isStackOverflow(error: unknown): boolean {
	return error instanceof RangeError && /call stack/i.test(error.message);
}

function describeError(error: unknown): string {
	if (error instanceof Error) return error.message;
	return String(error);
}

