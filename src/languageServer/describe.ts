// What the server says about a name (layer: languageServer): its declaration in C syntax, facts
// from the checker (types, LP64 sizes, struct member offsets, enum values, macro expansions), its
// doc comment, and where it is declared and defined. Hover, completion details, signature help
// and go to definition all describe names through here, so they agree.

import type { FuncSymbol, Symbol, VarSymbol } from '../lang/ast';
import type { MacroDefinition } from '../lang/preprocessor';
import type { SourceRange } from '../lang/source';
import type { Token } from '../lang/tokens';
import { alignOf, type CType, type Field, findField, type FunctionType, isComplete, sizeOf, type StructType, typeToString } from '../lang/types';
import type { Project, Unit } from './project';
import { rangeKey, tagRangeIn } from './syntaxIndex';
import { lineStarts } from './textScan';

/** A description of one named entity. */
export interface Description {
	/** The declaration as C code (one or more lines). */
	readonly code: string;
	/** Facts shown under the code (markdown). */
	readonly facts: readonly string[];
	/** The doc comment, as plain text. */
	readonly doc?: string;
	/** Where it is defined (or declared, when no definition is known). */
	readonly locations: readonly SourceRange[];
}

/** `struct page *` + `name` -> `struct page *name`; `int` + `x` -> `int x`. */
export function declare(type: CType, name: string): string {
	return typeToString(type, name);
}

/** A function's prototype with parameter names: `vm_fault_t vmf_insert_pfn(struct vm_area_struct *vma, ...)`. */
export function functionSignature(name: string, type: FunctionType): string {
	return `${joinReturn(typeToString(type.returns), name)}(${parameterList(type).join(', ')})`;
}

/** The parameters of a function type as written: `['struct vm_area_struct *vma', 'unsigned long addr', '...']`. */
export function parameterList(type: FunctionType): string[] {
	if (type.unprototyped) return [];
	if (type.params.length === 0 && !type.variadic) return ['void'];
	const params = type.params.map(p => (p.name !== undefined && p.name !== '' ? typeToString(p.type, p.name) : typeToString(p.type)));
	if (type.variadic) params.push('...');
	return params;
}

function joinReturn(returns: string, name: string): string {
	return returns.endsWith('*') ? `${returns}${name}` : `${returns} ${name}`;
}

function sizeFact(type: CType): string | undefined {
	if (type.kind === 'function' || type.kind === 'void' || !isComplete(type)) return undefined;
	return `size ${sizeOf(type)}, align ${alignOf(type)}`;
}

/** Describes what the checker's symbol denotes. */
export function describeSymbol(project: Project, unit: Unit, symbol: Symbol): Description {
	switch (symbol.kind) {
		case 'var':
			return describeVariable(project, unit, symbol);
		case 'func':
			return describeFunction(project, unit, symbol);
		case 'enumconst':
			return {
				code: `${typeToString(symbol.type)} ${symbol.name} = ${symbol.value}`,
				facts: [`value ${symbol.value}${symbol.value >= 10n || symbol.value < 0n ? ` (0x${(symbol.value < 0n ? symbol.value + (1n << 32n) : symbol.value).toString(16)})` : ''}`],
				...withDoc(docFor(project, unit, symbol.range)),
				locations: [symbol.range],
			};
	}
}

function describeVariable(project: Project, unit: Unit, symbol: VarSymbol): Description {
	const role = symbol.storage === 'param' ? 'parameter' : symbol.storage === 'local' ? 'local' : symbol.linkage === 'none' ? 'static local' : 'global';
	const storage = symbol.storage === 'global' && symbol.linkage === 'internal' ? 'static ' : symbol.storage === 'global' && !symbol.isDefinition ? 'extern ' : '';
	const facts = [`(${role})`];
	const size = sizeFact(symbol.type);
	if (size !== undefined) facts.push(size);
	return {
		code: `${storage}${declare(symbol.type, symbol.name)}`,
		facts,
		...withDoc(symbol.storage === 'global' ? docFor(project, unit, symbol.range) : undefined),
		locations: [symbol.range],
	};
}

/** Describes a function: its prototype, doc comment (from its declaration, else its definition), and definitions. */
export function describeFunction(project: Project, unit: Unit, symbol: FuncSymbol): Description {
	const defRange = symbol.def?.declarator.nameRange;
	const doc = docFor(project, unit, symbol.range) ?? (defRange !== undefined ? docFor(project, unit, defRange) : undefined);
	const storage = symbol.linkage === 'internal' ? 'static ' : '';
	const facts: string[] = [];
	let locations: SourceRange[];
	if (defRange !== undefined) {
		locations = [defRange];
		if (defRange.file !== unit.file) facts.push(`defined in ${project.displayPath(defRange.file)}`);
	} else {
		project.definitions.beginPass();
		const elsewhere = symbol.linkage === 'external' ? project.definitions.definitions(symbol.name, project.definitionRoots(unit.config)) : [];
		locations = elsewhere.length > 0 ? elsewhere : [symbol.range];
		for (const range of elsewhere.slice(0, 3)) facts.push(`defined in ${project.displayPath(range.file)}:${range.line}`);
	}
	if (symbol.range.file !== unit.file) facts.push(`declared in ${project.displayPath(symbol.range.file)}`);
	const written = writtenPrototype(project, unit, symbol.range, symbol.name) ?? (defRange !== undefined ? writtenPrototype(project, unit, defRange, symbol.name) : undefined);
	const resolved = `${storage}${functionSignature(symbol.name, symbol.type)}`;
	const code = written ?? resolved;
	// Typedef names resolved: what the checker sees (`vm_fault_t` is `unsigned int`).
	if (written !== undefined && !written.endsWith(resolved)) facts.unshift(`resolved: \`${resolved}\``);
	return { code, facts, ...withDoc(doc), locations };
}

/**
 * A function's prototype as its declaration (or definition) is written, with typedef names kept
 * (`vm_fault_t vmf_insert_pfn(...)`), or undefined when the source text is not a plain declaration
 * of `name` (one that came out of a macro, say).
 */
function writtenPrototype(project: Project, unit: Unit, nameRange: SourceRange, name: string): string | undefined {
	const declaration = unit.index.declarationRanges.get(rangeKey(nameRange));
	if (declaration === undefined || declaration.file !== nameRange.file) return undefined;
	const source = project.docs.slice(declaration);
	if (source === undefined) return undefined;
	const code = source.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/\/\/[^\n]*/g, ' ');
	const end = code.search(/[{;]/);
	const head = (end >= 0 ? code.slice(0, end) : code).replace(/\s+/g, ' ').trim();
	return new RegExp(`\\b${name.replace(/\$/g, '\\$')}\\s*\\(`).test(head) && head.length <= 400 ? head : undefined;
}

/** Describes a typedef name. */
export function describeTypedef(project: Project, unit: Unit, name: string, type: CType, range: SourceRange): Description {
	const facts: string[] = [];
	const size = sizeFact(type);
	if (size !== undefined) facts.push(size);
	return { code: `typedef ${declare(type, name)}`, facts, ...withDoc(docFor(project, unit, range)), locations: [range] };
}

/** The struct member `name` of `struct` (searched through anonymous members) and where it is declared. */
export function fieldDeclaration(unit: Unit, struct: StructType, name: string): SourceRange | undefined {
	const spec = unit.index.structDefinitions.get(struct.id);
	if (spec === undefined) return undefined;
	const search = (members: typeof spec.members): SourceRange | undefined => {
		for (const member of members ?? []) {
			for (const { declarator } of member.declarators) {
				if (declarator.name === name) return declarator.nameRange;
			}
			if (member.declarators.length === 0) {
				for (const typeSpec of member.specs.typeSpecs) {
					if (typeSpec.kind === 'StructSpec' && typeSpec.tag === undefined) {
						const inner = search(typeSpec.members);
						if (inner !== undefined) return inner;
					}
				}
			}
		}
		return undefined;
	};
	return search(spec.members);
}

/** Describes member `name` of `struct`: type, offset, size, bit position. */
export function describeField(project: Project, unit: Unit, struct: StructType, name: string): Description | undefined {
	const found = findField(struct, name);
	if (found === undefined) return undefined;
	const { field, offset } = found;
	const declaration = fieldDeclaration(unit, struct, name);
	const facts = [fieldFact(struct, field, offset)];
	return {
		code: declare(field.type, name) + (field.bitWidth !== undefined ? ` : ${field.bitWidth}` : ''),
		facts,
		...withDoc(declaration !== undefined ? docFor(project, unit, declaration, false) : undefined),
		locations: declaration !== undefined ? [declaration] : [],
	};
}

/** `struct page`, without the qualifiers of the object it was reached through. */
export function structName(struct: StructType): string {
	return `${struct.isUnion ? 'union' : 'struct'} ${struct.tag ?? '<anonymous>'}`;
}

function fieldFact(struct: StructType, field: Field, offset: number): string {
	const owner = structName(struct);
	if (field.bitWidth !== undefined) {
		return `bits ${field.bitOffset ?? 0}..${(field.bitOffset ?? 0) + field.bitWidth - 1} of the ${sizeOf(field.type)}-byte unit at offset ${offset} in \`${owner}\``;
	}
	const size = isComplete(field.type) ? `, size ${sizeOf(field.type)}` : '';
	return `offset ${offset} (0x${offset.toString(16)})${size} in \`${owner}\``;
}

/** Every named member of a struct with its total offset, through anonymous members (at most `limit`). */
export function flattenFields(struct: StructType, limit = 1000): { name: string; field: Field; offset: number }[] {
	const result: { name: string; field: Field; offset: number }[] = [];
	const walk = (s: StructType, base: number, depth: number) => {
		for (const f of s.fields) {
			if (result.length >= limit) return;
			if (f.name !== undefined) result.push({ name: f.name, field: f, offset: base + f.offset });
			else if (f.type.kind === 'struct' && depth < 16) walk(f.type, base + f.offset, depth + 1);
		}
	};
	walk(struct, 0, 0);
	return result;
}

/** Describes a struct or union with its layout (members with offsets and sizes). */
export function describeStruct(project: Project, unit: Unit, struct: StructType): Description {
	const name = structName(struct);
	const spec = unit.index.structDefinitions.get(struct.id);
	const locations: SourceRange[] = [];
	let doc: string | undefined;
	if (spec !== undefined) {
		const text = project.files.read(spec.range.file);
		const tagRange = text !== undefined && struct.tag !== undefined ? tagRangeIn(text, lineStarts(text), spec.range, struct.tag) : undefined;
		locations.push(tagRange ?? spec.range);
		doc = project.docs.forDeclaration(spec.range.file, spec.range.line);
	}
	if (!struct.complete) {
		return { code: `${name};`, facts: ['incomplete type'], ...withDoc(doc), locations };
	}
	const limit = 40;
	const fields = flattenFields(struct, limit + 1);
	const lines = fields.slice(0, limit).map(({ name: fieldName, field, offset }) => {
		const declaration = declare(field.type, fieldName) + (field.bitWidth !== undefined ? ` : ${field.bitWidth}` : '');
		const bit = field.bitOffset ?? 0;
		const where = field.bitWidth !== undefined ? `${offset}, bits ${bit}..${bit + field.bitWidth - 1}` : `${offset}`;
		return `\t${declaration};`.padEnd(44) + ` /* ${where} */`;
	});
	if (fields.length > limit) lines.push('\t/* ... */');
	const code = `${name} {\n${lines.join('\n')}\n}`;
	return { code, facts: [`size ${struct.size}, align ${struct.align}${struct.packed ? ', packed' : ''}`], ...withDoc(doc), locations };
}

/** Describes a macro: its definition and, at an invocation, what it expanded to there. */
export function describeMacro(project: Project, definition: MacroDefinition, expansion: readonly Token[] | undefined): Description {
	const params = definition.params !== undefined ? `(${definition.params.join(', ')})` : '';
	const facts: string[] = [];
	const code = `#define ${definition.name}${params} ${definition.body}`.trimEnd();
	let expanded: string | undefined;
	if (expansion !== undefined && expansion.length > 0) {
		expanded = spellTokens(expansion);
	}
	const builtin = definition.range.file.startsWith('<');
	if (builtin) facts.push(definition.range.file === '<command-line>' ? 'defined by the profile' : 'predefined');
	const doc = builtin ? undefined : project.docs.forDeclaration(definition.range.file, definition.range.line);
	return {
		code: expanded !== undefined ? `${code}\n\n// expands here to:\n${expanded}` : code,
		facts,
		...withDoc(doc),
		locations: builtin ? [] : [definition.range],
	};
}

/** Joins tokens as the preprocessor spells them (a space where the source had one), shortened if huge. */
export function spellTokens(tokens: readonly Token[], limit = 2000): string {
	let text = '';
	for (let i = 0; i < tokens.length; i++) {
		if (i > 0 && tokens[i].spaceBefore) text += ' ';
		text += tokens[i].text;
		if (text.length > limit) return `${text.slice(0, limit)} ...`;
	}
	return text;
}

/** The doc comment of the declaration whose name is at `nameRange` (`group`: see DocComments). */
export function docFor(project: Project, unit: Unit, nameRange: SourceRange, group = true): string | undefined {
	if (nameRange.file.startsWith('<')) return undefined;
	const declaration = unit.index.declarationRanges.get(rangeKey(nameRange));
	const start = declaration !== undefined && declaration.file === nameRange.file ? declaration.line : nameRange.line;
	return project.docs.forDeclaration(nameRange.file, start, nameRange.line, group);
}

function withDoc(doc: string | undefined): { doc?: string } {
	return doc === undefined ? {} : { doc };
}

/** Markdown for a hover or a completion item's documentation. */
export function renderMarkdown(description: Description, withCode = true): string {
	const parts: string[] = [];
	if (withCode) parts.push('```c\n' + description.code + '\n```');
	if (description.facts.length > 0) parts.push(description.facts.join('  \n'));
	if (description.doc !== undefined) parts.push(escapeMarkdown(description.doc).split('\n').join('  \n'));
	return parts.join('\n\n');
}

/**
 * Doc comments are plain text that uses backticks for code (as the shipped headers do): escape
 * what markdown would turn into emphasis, HTML or headings, keep the backticks.
 */
function escapeMarkdown(text: string): string {
	return text.replace(/([\\*<>])/g, '\\$1').replace(/(^|\n)([#=+-])/g, '$1\\$2').replace(/(^|\W)_|_(\W|$)/g, m => m.replace('_', '\\_'));
}
