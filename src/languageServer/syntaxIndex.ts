// Position -> syntax lookup over a checked KC tree (layer: languageServer). The front end gives a
// tree whose nodes carry ranges and checker annotations; this walks it once per analysis and
// records what the editor features ask about a position: the names written in the main file
// (identifiers, member names, declarator names, struct tags, typedef names, designators, labels)
// with what they denote, every expression with its type, the blocks of each function with the
// locals they declare (for "what is in scope here"), and where every struct is defined.
//
// Tokens that come out of a macro expansion carry the range of the whole invocation, so several
// names can share one range; lookups therefore match the word under the cursor by name.

import type {
	CompoundStmt,
	Declaration,
	DeclSpecs,
	Declarator,
	EnumSpecifier,
	Expr,
	FuncSymbol,
	FunctionDef,
	Ident,
	InitList,
	Initializer,
	LabeledStmt,
	Member,
	Stmt,
	StructSpecifier,
	TranslationUnit,
	TypeName,
	VarSymbol,
} from '../lang/ast';
import type { SourceRange } from '../lang/source';
import type { CType, StructType } from '../lang/types';
import { findField } from '../lang/types';

/** What a declarator's name declares. */
export type Declared =
	| { readonly what: 'var'; readonly symbol: VarSymbol }
	| { readonly what: 'func'; readonly name: string; readonly symbol?: FuncSymbol }
	| { readonly what: 'typedef'; readonly name: string }
	| { readonly what: 'field'; readonly struct: StructType; readonly name: string }
	| { readonly what: 'param'; readonly name: string; readonly type?: CType };

/** A name written in the main file, with what it refers to. */
export type Occurrence =
	| { readonly kind: 'ident'; readonly range: SourceRange; readonly name: string; readonly expr: Ident }
	| { readonly kind: 'member'; readonly range: SourceRange; readonly name: string; readonly expr: Member }
	| { readonly kind: 'declarator'; readonly range: SourceRange; readonly name: string; readonly declared: Declared; readonly declarationStart: SourceRange }
	| { readonly kind: 'tag'; readonly range: SourceRange; readonly name: string; readonly spec: StructSpecifier | EnumSpecifier }
	| { readonly kind: 'typedefName'; readonly range: SourceRange; readonly name: string }
	| { readonly kind: 'enumerator'; readonly range: SourceRange; readonly name: string }
	| { readonly kind: 'designator'; readonly range: SourceRange; readonly name: string; readonly struct: StructType }
	| { readonly kind: 'label'; readonly range: SourceRange; readonly name: string; readonly fn: FunctionDef };

/** A block of a function body and the locals it declares, each visible from `from` on. */
export interface Block {
	readonly range: SourceRange;
	readonly locals: { readonly symbol: VarSymbol; readonly from: SourceRange }[];
}

/** The index of one analysed unit. */
export interface SyntaxIndex {
	readonly occurrences: readonly Occurrence[];
	/** Every expression of the main file that the checker typed (not the implicit conversions). */
	readonly expressions: readonly Expr[];
	/** The main file's function definitions. */
	readonly functions: readonly FunctionDef[];
	/** Blocks (and `for` scopes) of the main file's functions. */
	readonly blocks: readonly Block[];
	/** The defining specifier of every struct or union in the unit (any file), by struct id. */
	readonly structDefinitions: ReadonlyMap<number, StructSpecifier>;
	/** The defining specifier of every tagged enum in the unit (any file), by tag (first definition). */
	readonly enumDefinitions: ReadonlyMap<string, EnumSpecifier>;
	/** Labels of each function, by name. */
	readonly labels: ReadonlyMap<FunctionDef, ReadonlyMap<string, LabeledStmt>>;
	/**
	 * For every declarator name in the unit (any file, file scope and struct members), the range of
	 * the whole declaration, keyed by `rangeKey` of the name: where its doc comment is looked for.
	 */
	readonly declarationRanges: ReadonlyMap<string, SourceRange>;
}

/** A map key for a range's start. */
export function rangeKey(range: SourceRange): string {
	return `${range.file}:${range.line}:${range.col}`;
}

/** (line, col) of `a` compared with (line, col): negative if before. */
export function comparePosition(line: number, col: number, otherLine: number, otherCol: number): number {
	return line !== otherLine ? line - otherLine : col - otherCol;
}

/** True if the position is inside `range` or at its end. */
export function rangeContains(range: SourceRange, line: number, col: number): boolean {
	return comparePosition(line, col, range.line, range.col) >= 0 && comparePosition(line, col, range.endLine, range.endCol) <= 0;
}

/** Size of a range for "innermost first" ordering (lines weigh more than columns). */
export function rangeSize(range: SourceRange): number {
	return (range.endLine - range.line) * 100000 + (range.endCol - range.col);
}

/** Builds the index of `tree` for the main file `file` (`text` is its contents, for tag positions). */
export function buildSyntaxIndex(tree: TranslationUnit, file: string, text: string): SyntaxIndex {
	return new Indexer(file, text).run(tree);
}

/**
 * Where `tag` is written after the `struct`/`union`/`enum` keyword that starts `range` in `text`
 * (the file of `range`; `starts` are its line offsets), or undefined if the text does not have it
 * there (a specifier that came out of a macro expansion).
 */
export function tagRangeIn(text: string, starts: readonly number[], range: SourceRange, tag: string): SourceRange | undefined {
	if (range.line < 1 || range.line > starts.length) return undefined;
	const start = starts[range.line - 1] + range.col - 1;
	const window = text.slice(start, start + 400);
	const match = /^(struct|union|enum)\b/.exec(window);
	if (match === null) return undefined;
	const found = new RegExp(`\\b${tag.replace(/\$/g, '\\$')}\\b`).exec(window.slice(match[0].length));
	if (found === null) return undefined;
	const offset = start + match[0].length + found.index;
	let low = 0;
	let high = starts.length - 1;
	while (low < high) {
		const mid = (low + high + 1) >> 1;
		if (starts[mid] <= offset) low = mid;
		else high = mid - 1;
	}
	const col = offset - starts[low] + 1;
	return { file: range.file, line: low + 1, col, endLine: low + 1, endCol: col + tag.length };
}

class Indexer {
	private readonly occurrences: Occurrence[] = [];
	private readonly expressions: Expr[] = [];
	private readonly functions: FunctionDef[] = [];
	private readonly blocks: Block[] = [];
	private readonly structDefinitions = new Map<number, StructSpecifier>();
	private readonly enumDefinitions = new Map<string, EnumSpecifier>();
	private readonly labels = new Map<FunctionDef, Map<string, LabeledStmt>>();
	private readonly declarationRanges = new Map<string, SourceRange>();
	private readonly lineStarts: number[];
	/** False while walking code of other files (headers): only struct definitions are collected there. */
	private local = true;
	private fn: FunctionDef | undefined;
	/** Nesting of function bodies being walked (any file). */
	private bodies = 0;
	private block: Block | undefined;
	/** Guards against pathological nesting (the parser bounds it, but stay safe). */
	private depth = 0;

	constructor(private readonly file: string, private readonly text: string) {
		this.lineStarts = [0];
		for (let i = 0; i < text.length; i++) {
			if (text.charCodeAt(i) === 10) this.lineStarts.push(i + 1);
		}
	}

	run(tree: TranslationUnit): SyntaxIndex {
		for (const decl of tree.decls) {
			this.local = decl.range.file === this.file;
			switch (decl.kind) {
				case 'Declaration':
					this.declaration(decl, 'file');
					break;
				case 'FunctionDef':
					this.functionDef(decl);
					break;
				case 'StaticAssert':
					this.expr(decl.cond);
					break;
			}
		}
		return {
			occurrences: this.occurrences,
			expressions: this.expressions,
			functions: this.functions,
			blocks: this.blocks,
			structDefinitions: this.structDefinitions,
			enumDefinitions: this.enumDefinitions,
			labels: this.labels,
			declarationRanges: this.declarationRanges,
		};
	}

	private add(occurrence: Occurrence): void {
		if (this.local && occurrence.range.file === this.file) this.occurrences.push(occurrence);
	}

	// ---- Declarations ----

	private declaration(decl: Declaration, where: 'file' | 'block'): void {
		this.specs(decl.specs);
		const isTypedef = decl.specs.storage === 'typedef';
		for (const id of decl.declarators) {
			const d = id.declarator;
			let declared: Declared | undefined;
			if (d.name !== undefined) {
				const variable = decl.vars?.find(v => v.symbol.name === d.name)?.symbol;
				if (isTypedef) declared = { what: 'typedef', name: d.name };
				else if (variable !== undefined) declared = { what: 'var', symbol: variable };
				else if (d.derived.length > 0 && d.derived[0].kind === 'Function') declared = { what: 'func', name: d.name };
				else if (where === 'file') declared = { what: 'func', name: d.name };
			}
			this.declarator(d, declared, decl.range);
			if (id.init !== undefined) {
				const type = decl.vars?.find(v => v.symbol.name === d.name)?.symbol.type;
				this.initializer(id.init, type);
			}
			if (where === 'block' && this.block !== undefined && d.name !== undefined) {
				const variable = decl.vars?.find(v => v.symbol.name === d.name)?.symbol;
				if (variable !== undefined) this.block.locals.push({ symbol: variable, from: d.nameRange ?? d.range });
			}
		}
	}

	private functionDef(def: FunctionDef): void {
		this.specs(def.specs);
		const name = def.declarator.name;
		this.declarator(def.declarator, name === undefined ? undefined : { what: 'func', name, symbol: def.symbol }, def.range, def.params);
		this.bodies++;
		if (this.local) {
			this.functions.push(def);
			this.fn = def;
			this.labels.set(def, new Map());
		}
		this.statement(def.body);
		this.fn = undefined;
		this.bodies--;
	}

	private specs(specs: DeclSpecs): void {
		for (const spec of specs.typeSpecs) {
			switch (spec.kind) {
				case 'TypedefName':
					this.add({ kind: 'typedefName', range: spec.range, name: spec.name });
					break;
				case 'StructSpec':
					this.structSpec(spec, undefined);
					break;
				case 'EnumSpec':
					this.enumSpec(spec);
					break;
				case 'Typeof':
					if (spec.arg.kind === 'TypeName') this.typeName(spec.arg);
					else this.expr(spec.arg);
					break;
				case 'Keyword':
					break;
			}
		}
	}

	/**
	 * `outer` is the struct through which the fields of this specifier are reached, when it is an
	 * anonymous member (`struct { union { int a; }; }`: `a` is a field of the outer struct).
	 */
	private structSpec(spec: StructSpecifier, outer: StructType | undefined): void {
		if (spec.tag !== undefined) {
			const tagRange = this.tagRange(spec.range, spec.tag);
			if (tagRange !== undefined) this.add({ kind: 'tag', range: tagRange, name: spec.tag, spec });
		}
		if (spec.members === undefined) return;
		const type = spec.type;
		if (type !== undefined && !this.structDefinitions.has(type.id)) this.structDefinitions.set(type.id, spec);
		const owner = outer ?? type;
		for (const member of spec.members) {
			for (const typeSpec of member.specs.typeSpecs) {
				if (typeSpec.kind === 'StructSpec') {
					const anonymous = member.declarators.length === 0 && typeSpec.tag === undefined && typeSpec.members !== undefined;
					this.structSpec(typeSpec, anonymous ? owner : undefined);
				} else if (typeSpec.kind === 'TypedefName') {
					this.add({ kind: 'typedefName', range: typeSpec.range, name: typeSpec.name });
				} else if (typeSpec.kind === 'EnumSpec') {
					this.enumSpec(typeSpec);
				} else if (typeSpec.kind === 'Typeof') {
					if (typeSpec.arg.kind === 'TypeName') this.typeName(typeSpec.arg);
					else this.expr(typeSpec.arg);
				}
			}
			for (const { declarator, bitWidth } of member.declarators) {
				const declared: Declared | undefined = declarator.name !== undefined && owner !== undefined
					? { what: 'field', struct: owner, name: declarator.name }
					: undefined;
				this.declarator(declarator, declared, member.range);
				if (bitWidth !== undefined) this.expr(bitWidth);
			}
		}
	}

	private enumSpec(spec: EnumSpecifier): void {
		if (spec.tag !== undefined && spec.enumerators !== undefined && !this.enumDefinitions.has(spec.tag)) this.enumDefinitions.set(spec.tag, spec);
		if (spec.tag !== undefined) {
			const tagRange = this.tagRange(spec.range, spec.tag);
			if (tagRange !== undefined) this.add({ kind: 'tag', range: tagRange, name: spec.tag, spec });
		}
		for (const enumerator of spec.enumerators ?? []) {
			const range = enumerator.range;
			this.add({ kind: 'enumerator', range: { ...range, endLine: range.line, endCol: range.col + enumerator.name.length }, name: enumerator.name });
			if (enumerator.value !== undefined) this.expr(enumerator.value);
		}
	}

	/** The range of `tag` after the `struct`/`union`/`enum` keyword at the start of `range`, if the text has it there. */
	private tagRange(range: SourceRange, tag: string): SourceRange | undefined {
		if (range.file !== this.file) return undefined;
		return tagRangeIn(this.text, this.lineStarts, range, tag);
	}

	private declarator(d: Declarator, declared: Declared | undefined, declarationRange: SourceRange, params?: readonly VarSymbol[]): void {
		if (d.name !== undefined && d.nameRange !== undefined && declared !== undefined) {
			this.add({ kind: 'declarator', range: d.nameRange, name: d.name, declared, declarationStart: declarationRange });
			if (this.bodies === 0 && declared.what !== 'param') this.declarationRanges.set(rangeKey(d.nameRange), declarationRange);
		}
		// The parameters of the outermost function declarator are the function's (for definitions).
		let outermost = true;
		for (let i = d.derived.length - 1; i >= 0; i--) {
			const step = d.derived[i];
			if (step.kind === 'Array') {
				if (step.size !== undefined) this.expr(step.size);
			} else if (step.kind === 'Function') {
				for (const param of step.params) {
					this.specs(param.specs);
					const name = param.declarator.name;
					const symbol = outermost && params !== undefined && name !== undefined ? params.find(p => p.name === name) : undefined;
					const paramDeclared: Declared | undefined = name === undefined ? undefined
						: symbol !== undefined ? { what: 'var', symbol } : { what: 'param', name };
					this.declarator(param.declarator, paramDeclared, param.range);
				}
				outermost = false;
			}
		}
	}

	private typeName(tn: TypeName): void {
		this.specs(tn.specs);
		this.declarator(tn.declarator, undefined, tn.range);
	}

	/** Walks an initializer whose object has type `type` (when known), recording field designators. */
	private initializer(init: Initializer, type: CType | undefined): void {
		if (init.kind !== 'InitList') {
			this.expr(init);
			return;
		}
		this.initList(init, type);
	}

	private initList(list: InitList, type: CType | undefined): void {
		for (const item of list.items) {
			let current = type;
			for (const designator of item.designators) {
				if (designator.kind === 'field') {
					const struct = current?.kind === 'struct' ? current : undefined;
					if (struct !== undefined) {
						const range = designator.range;
						// The range covers `.name`; the name is its last characters.
						const nameRange = { ...range, line: range.endLine, col: Math.max(range.col, range.endCol - designator.name.length) };
						this.add({ kind: 'designator', range: nameRange, name: designator.name, struct });
					}
					current = struct === undefined ? undefined : findField(struct, designator.name)?.field.type;
				} else {
					this.expr(designator.index);
					if (designator.last !== undefined) this.expr(designator.last);
					current = current?.kind === 'array' ? current.of : undefined;
				}
			}
			this.initializer(item.init, item.designators.length > 0 ? current : undefined);
		}
	}

	// ---- Statements ----

	private statement(s: Stmt | Declaration): void {
		if (this.depth > 2000) return;
		this.depth++;
		try {
			this.statementInner(s);
		} finally {
			this.depth--;
		}
	}

	private statementInner(s: Stmt | Declaration): void {
		switch (s.kind) {
			case 'Declaration':
				this.declaration(s, 'block');
				return;
			case 'Compound':
				this.compound(s);
				return;
			case 'ExprStmt':
				this.expr(s.expr);
				return;
			case 'If':
				this.expr(s.cond);
				this.statement(s.then);
				if (s.otherwise) this.statement(s.otherwise);
				return;
			case 'While':
				this.expr(s.cond);
				this.statement(s.body);
				return;
			case 'DoWhile':
				this.statement(s.body);
				this.expr(s.cond);
				return;
			case 'For': {
				const saved = this.block;
				if (s.init?.kind === 'Declaration') {
					const block: Block = { range: s.range, locals: [] };
					if (this.local && this.fn !== undefined) this.blocks.push(block);
					this.block = block;
					this.declaration(s.init, 'block');
				} else if (s.init !== undefined) {
					this.expr(s.init);
				}
				if (s.cond) this.expr(s.cond);
				if (s.step) this.expr(s.step);
				this.statement(s.body);
				this.block = saved;
				return;
			}
			case 'Switch':
				this.expr(s.cond);
				this.statement(s.body);
				return;
			case 'Case':
				this.expr(s.value);
				if (s.last) this.expr(s.last);
				this.statement(s.body);
				return;
			case 'Default':
				this.statement(s.body);
				return;
			case 'Labeled':
				if (this.fn !== undefined && this.local) {
					this.labels.get(this.fn)?.set(s.label, s);
					this.add({ kind: 'label', range: { ...s.range, endLine: s.range.line, endCol: s.range.col + s.label.length }, name: s.label, fn: this.fn });
				}
				this.statement(s.body);
				return;
			case 'Goto':
				if (this.fn !== undefined) {
					// `goto name;`: the name is the last word before the semicolon.
					const end = s.range.endCol - (this.charBefore(s.range) === ';' ? 1 : 0);
					this.add({ kind: 'label', range: { ...s.range, line: s.range.endLine, col: end - s.label.length, endCol: end }, name: s.label, fn: this.fn });
				}
				return;
			case 'Return':
				if (s.value) this.expr(s.value);
				return;
			case 'Break':
			case 'Continue':
			case 'Empty':
			case 'ErrorStmt':
				return;
		}
	}

	private charBefore(range: SourceRange): string {
		if (range.file !== this.file || range.endLine > this.lineStarts.length) return '';
		return this.text.charAt(this.lineStarts[range.endLine - 1] + range.endCol - 2);
	}

	private compound(block: CompoundStmt): void {
		const saved = this.block;
		const entry: Block = { range: block.range, locals: [] };
		if (this.local && this.fn !== undefined) this.blocks.push(entry);
		this.block = entry;
		for (const item of block.items) this.statement(item);
		this.block = saved;
	}

	// ---- Expressions ----

	private expr(e: Expr): void {
		if (this.depth > 2000) return;
		this.depth++;
		try {
			this.exprInner(e);
		} finally {
			this.depth--;
		}
	}

	private exprInner(e: Expr): void {
		if (this.local && e.kind !== 'ImplicitCast' && e.range.file === this.file) this.expressions.push(e);
		switch (e.kind) {
			case 'IntLiteral':
			case 'FloatLiteral':
			case 'CharLiteral':
			case 'StringLiteral':
			case 'ErrorExpr':
				return;
			case 'Ident':
				this.add({ kind: 'ident', range: e.range, name: e.name, expr: e });
				return;
			case 'Unary':
				this.expr(e.operand);
				return;
			case 'Binary':
				this.expr(e.left);
				this.expr(e.right);
				return;
			case 'Assign':
				this.expr(e.target);
				this.expr(e.value);
				return;
			case 'Conditional':
				this.expr(e.cond);
				this.expr(e.then);
				this.expr(e.otherwise);
				return;
			case 'Call':
				this.expr(e.callee);
				for (const arg of e.args) this.expr(arg);
				return;
			case 'Index':
				this.expr(e.base);
				this.expr(e.index);
				return;
			case 'Member':
				this.expr(e.base);
				this.add({ kind: 'member', range: e.nameRange, name: e.name, expr: e });
				return;
			case 'Cast':
				this.typeName(e.typeName);
				this.expr(e.operand);
				return;
			case 'ImplicitCast':
				this.expr(e.operand);
				return;
			case 'SizeofExpr':
				this.expr(e.operand);
				return;
			case 'SizeofType':
			case 'AlignofType':
				this.typeName(e.typeName);
				return;
			case 'Offsetof':
				this.typeName(e.typeName);
				for (const step of e.path) if (step.kind === 'index') this.expr(step.index);
				return;
			case 'VaArg':
				this.expr(e.ap);
				this.typeName(e.typeName);
				return;
			case 'CompoundLiteral':
				this.typeName(e.typeName);
				this.initList(e.init, e.typeName.type);
				return;
			case 'StmtExpr':
				this.compound(e.body);
				return;
			case 'BuiltinCall':
				for (const arg of e.args) {
					if (arg.kind === 'TypeName') this.typeName(arg);
					else this.expr(arg);
				}
				return;
		}
	}
}
