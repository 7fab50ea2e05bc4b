// Completion for KC (layer: languageServer): header names inside `#include <...>`, struct and union
// members after `.` and `->` (the base expression's type from the checked tree, or from the names
// in scope when the line does not parse yet), struct/union/enum tags after the keyword, directive
// names after `#`, macros in `#ifdef`, and otherwise every name in scope at the cursor: locals and
// parameters of the enclosing blocks, the unit's file scope (including the kernel API the included
// headers declare), macros and keywords. Documentation comes on `completionItem/resolve`.

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FunctionDef, VarSymbol } from '../lang/ast';
import type { CType, StructType } from '../lang/types';
import { findField, typeToString } from '../lang/types';
import { TokenKind, type Token } from '../lang/tokens';
import {
	type CompletionItem,
	CompletionItemKind,
	type CompletionList,
	InsertTextFormat,
	MarkupKind,
} from 'vscode-languageserver';
import {
	declare,
	describeField,
	describeMacro,
	describeStruct,
	describeSymbol,
	describeTypedef,
	flattenFields,
	functionSignature,
	renderMarkdown,
} from './describe';
import type { Project, Unit } from './project';
import { comparePosition, rangeContains, rangeSize } from './syntaxIndex';
import { completionContext, type CompletionContext } from './textScan';

/**
 * What `completionItem/resolve` needs to find an item's entity again in the latest analysis of the
 * document completion was last asked for (the server remembers which one; keeping the path out of
 * every item keeps lists of a thousand names small).
 */
export interface CompletionData {
	readonly kind: 'symbol' | 'typedef' | 'macro' | 'field' | 'tag';
	readonly name: string;
	/** For fields and tags: the struct's id in the unit's tree. */
	readonly structId?: number;
}

const keywords = [
	'auto', 'break', 'case', 'char', 'const', 'continue', 'default', 'do', 'double', 'else', 'enum', 'extern', 'float', 'for',
	'goto', 'if', 'inline', 'int', 'long', 'register', 'restrict', 'return', 'short', 'signed', 'sizeof', 'static', 'struct',
	'switch', 'typedef', 'union', 'unsigned', 'void', 'volatile', 'while', '_Bool', '_Static_assert', '_Alignof', '_Noreturn',
	'__attribute__', 'typeof', '__typeof__', '__builtin_expect', '__builtin_offsetof', '__builtin_types_compatible_p',
	'__builtin_constant_p', '__builtin_va_arg', '__builtin_va_start', '__builtin_va_end',
];

const directives = ['include', 'define', 'undef', 'if', 'ifdef', 'ifndef', 'elif', 'else', 'endif', 'error', 'warning', 'pragma', 'line'];

/** Sort groups: nearer names first (members sort by offset within their own list). */
const Rank = {
	Local: '0',
	Member: '0',
	MainFile: '1',
	Header: '2',
	Macro: '3',
	Keyword: '4',
} as const;

/** The completion list at (line, col) (1-based) of the unit's main file. */
export function complete(project: Project, unit: Unit, line: number, col: number): CompletionList {
	const context = completionContext(unit.text, unit.starts, unit.lexed, line, col);
	const items = itemsFor(project, unit, context, line, col);
	return { isIncomplete: false, items };
}

function itemsFor(project: Project, unit: Unit, context: CompletionContext, line: number, col: number): CompletionItem[] {
	switch (context.kind) {
		case 'none':
			return [];
		case 'include':
			return headerItems(project, unit, context.quoted, context.partial);
		case 'directive':
			return directives.map(word => ({ label: word, kind: CompletionItemKind.Keyword }));
		case 'macro':
			return macroItems(unit, context.prefix);
		case 'tag':
			return tagItems(unit, context.keyword);
		case 'member': {
			const type = baseType(unit, context.base, line, col);
			const struct = type === undefined ? undefined : memberOwner(type, context.arrow);
			return struct === undefined ? [] : memberItems(unit, struct);
		}
		case 'identifier':
			return identifierItems(unit, context.prefix, line, col);
	}
}

// ---- Headers ----

function headerItems(project: Project, unit: Unit, quoted: boolean, partial: string): CompletionItem[] {
	const slash = partial.lastIndexOf('/');
	const folder = slash >= 0 ? partial.slice(0, slash) : '';
	if (folder.split('/').includes('..')) return [];
	const dirs = quoted && path.isAbsolute(unit.file) ? [path.dirname(unit.file), ...unit.config.systemDirs] : unit.config.systemDirs;
	const seen = new Set<string>();
	const items: CompletionItem[] = [];
	for (const dir of dirs) {
		let entries: fs.Dirent[];
		try {
			entries = fs.readdirSync(path.join(dir, folder), { withFileTypes: true });
		} catch {
			continue;
		}
		for (const entry of entries) {
			const isHeader = entry.isFile() && entry.name.endsWith('.h');
			if (!isHeader && !entry.isDirectory()) continue;
			const label = entry.isDirectory() ? `${entry.name}/` : entry.name;
			if (seen.has(label)) continue;
			seen.add(label);
			items.push({
				label,
				kind: entry.isDirectory() ? CompletionItemKind.Folder : CompletionItemKind.File,
				detail: project.displayPath(path.join(dir, folder, entry.name)),
				...(entry.isDirectory() ? { command: { title: 'Suggest', command: 'editor.action.triggerSuggest' } } : {}),
			});
		}
	}
	return items.sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
}

// ---- Members ----

/** The struct whose members follow `.` (`arrow` false) or `->` on a value of `type`. */
export function memberOwner(type: CType, arrow: boolean): StructType | undefined {
	let owner: CType = type;
	if (arrow) {
		if (type.kind === 'pointer') owner = type.to;
		else if (type.kind === 'array') owner = type.of;
		else return undefined;
	}
	return owner.kind === 'struct' && owner.complete ? owner : undefined;
}

/**
 * The type of the expression written as `base` (the tokens before `.`/`->`): the checked tree's
 * expression spanning exactly those tokens, else an evaluation of the chain over the names in scope.
 */
export function baseType(unit: Unit, base: readonly Token[], line: number, col: number): CType | undefined {
	const first = base[0].range;
	const last = base[base.length - 1].range;
	for (const e of unit.index.expressions) {
		const r = e.range;
		if (r.line === first.line && r.col === first.col && r.endLine === last.endLine && r.endCol === last.endCol && e.type !== undefined) {
			return e.type;
		}
	}
	return evaluateChain(unit, base, line, col);
}

function memberItems(unit: Unit, struct: StructType): CompletionItem[] {
	return flattenFields(struct).map(({ name, field, offset }) => ({
		label: name,
		kind: CompletionItemKind.Field,
		detail: declare(field.type, name) + (field.bitWidth !== undefined ? ` : ${field.bitWidth}` : ''),
		labelDetails: { description: `+${offset}` },
		sortText: `${Rank.Member}${String(offset).padStart(8, '0')}`,
		data: { kind: 'field', name, structId: struct.id } satisfies CompletionData,
	}));
}

/** The type of a postfix chain (`p->mm->pgd`, `vma->vm_ops->fault(vmf)`, `a[i].b`) from the names in scope. */
function evaluateChain(unit: Unit, tokens: readonly Token[], line: number, col: number): CType | undefined {
	const head = tokens[0];
	if (head.kind !== TokenKind.Identifier) return undefined;
	let type = nameType(unit, head.text, line, col);
	let i = 1;
	while (type !== undefined && i < tokens.length) {
		const t = tokens[i];
		if (t.kind !== TokenKind.Punctuator) return undefined;
		if (t.text === '.' || t.text === '->') {
			const name = tokens[i + 1];
			const owner = memberOwner(type, t.text === '->');
			if (name === undefined || owner === undefined) return undefined;
			type = findField(owner, name.text)?.field.type;
			i += 2;
		} else if (t.text === '[' || t.text === '(') {
			const close = t.text === '[' ? ']' : ')';
			let depth = 0;
			let j = i;
			for (; j < tokens.length; j++) {
				if (tokens[j].kind !== TokenKind.Punctuator) continue;
				if (tokens[j].text === t.text) depth++;
				else if (tokens[j].text === close && --depth === 0) break;
			}
			if (t.text === '[') {
				type = type.kind === 'pointer' ? type.to : type.kind === 'array' ? type.of : undefined;
			} else {
				const fn = type.kind === 'pointer' ? type.to : type;
				type = fn.kind === 'function' ? fn.returns : undefined;
			}
			i = j + 1;
		} else {
			return undefined;
		}
	}
	return type;
}

/** The type of `name` as seen at (line, col): locals and parameters first, then the file scope. */
function nameType(unit: Unit, name: string, line: number, col: number): CType | undefined {
	const local = visibleLocals(unit, line, col).find(v => v.name === name) ?? unfinishedFunctionLocals(unit, line, col).find(v => v.name === name);
	if (local !== undefined) return local.type;
	const entity = unit.analysis.fileScope.lookup(name);
	return entity?.kind === 'symbol' ? entity.symbol.type : undefined;
}

// ---- Names in scope ----

/** The function definition of the main file that contains (line, col). */
export function enclosingFunction(unit: Unit, line: number, col: number): FunctionDef | undefined {
	return unit.index.functions.find(def => rangeContains(def.range, line, col));
}

/**
 * When the cursor is past the end the parser gave the function being typed (an unfinished macro
 * invocation swallows the rest of the file), that function's parameters and the locals declared
 * before the cursor, whatever their block.
 */
function unfinishedFunctionLocals(unit: Unit, line: number, col: number): VarSymbol[] {
	let last: FunctionDef | undefined;
	for (const decl of unit.analysis.tree.decls) {
		if (decl.range.file !== unit.file || comparePosition(decl.range.line, decl.range.col, line, col) > 0) continue;
		last = decl.kind === 'FunctionDef' ? decl : undefined;
	}
	if (last === undefined) return [];
	const locals = (last.locals ?? []).filter(v => comparePosition(v.range.line, v.range.col, line, col) < 0);
	return [...locals.reverse(), ...(last.params ?? [])];
}

/** Parameters and locals visible at (line, col), innermost first, each name once. */
export function visibleLocals(unit: Unit, line: number, col: number): VarSymbol[] {
	const fn = enclosingFunction(unit, line, col);
	if (fn === undefined) return [];
	const blocks = unit.index.blocks
		.filter(b => rangeContains(b.range, line, col) && rangeContains(fn.range, b.range.line, b.range.col))
		.sort((a, b) => rangeSize(a.range) - rangeSize(b.range));
	const seen = new Set<string>();
	const result: VarSymbol[] = [];
	for (const block of blocks) {
		for (const { symbol, from } of block.locals) {
			if (comparePosition(from.line, from.col, line, col) > 0 || seen.has(symbol.name)) continue;
			seen.add(symbol.name);
			result.push(symbol);
		}
	}
	for (const p of fn.params ?? []) {
		if (p.name !== '' && !seen.has(p.name)) {
			seen.add(p.name);
			result.push(p);
		}
	}
	return result;
}

/** True if `label` could match what was typed (VS Code filters fuzzily from the first character). */
function mayMatch(label: string, prefix: string): boolean {
	return prefix === '' || label.toLowerCase().includes(prefix[0].toLowerCase());
}

function identifierItems(unit: Unit, prefix: string, line: number, col: number): CompletionItem[] {
	const items: CompletionItem[] = [];
	const seen = new Set<string>();
	for (const symbol of visibleLocals(unit, line, col)) {
		seen.add(symbol.name);
		if (!mayMatch(symbol.name, prefix)) continue;
		items.push({
			label: symbol.name,
			kind: CompletionItemKind.Variable,
			detail: declare(symbol.type, symbol.name),
			labelDetails: { description: symbol.storage === 'param' ? 'parameter' : 'local' },
			sortText: `${Rank.Local}${symbol.name}`,
		});
	}
	for (const [name, entity] of unit.analysis.fileScope.ordinary) {
		if (seen.has(name) || !mayMatch(name, prefix)) continue;
		seen.add(name);
		const range = entity.kind === 'typedef' ? entity.range : entity.symbol.range;
		const rank = range.file === unit.file ? Rank.MainFile : Rank.Header;
		if (entity.kind === 'typedef') {
			items.push({
				label: name,
				kind: entity.type.kind === 'struct' ? CompletionItemKind.Struct : CompletionItemKind.TypeParameter,
				detail: `typedef ${typeToString(entity.type)}`,
				sortText: `${rank}${name}`,
				data: { kind: 'typedef', name } satisfies CompletionData,
			});
			continue;
		}
		const symbol = entity.symbol;
		const item: CompletionItem = {
			label: name,
			kind: symbol.kind === 'func' ? CompletionItemKind.Function : symbol.kind === 'enumconst' ? CompletionItemKind.EnumMember : CompletionItemKind.Variable,
			detail: symbol.kind === 'func' ? functionSignature(name, symbol.type) : symbol.kind === 'enumconst' ? `${name} = ${symbol.value}` : declare(symbol.type, name),
			sortText: `${rank}${name}`,
			data: { kind: 'symbol', name } satisfies CompletionData,
		};
		if (symbol.kind === 'func') {
			item.insertText = `${name}($0)`;
			item.insertTextFormat = InsertTextFormat.Snippet;
			item.command = { title: 'Signature help', command: 'editor.action.triggerParameterHints' };
		}
		items.push(item);
	}
	items.push(...macroItems(unit, prefix).filter(item => !seen.has(item.label)));
	for (const word of keywords) {
		if (!seen.has(word) && mayMatch(word, prefix)) items.push({ label: word, kind: CompletionItemKind.Keyword, sortText: `${Rank.Keyword}${word}` });
	}
	return items;
}

function macroItems(unit: Unit, prefix: string): CompletionItem[] {
	const items: CompletionItem[] = [];
	for (const [name, definition] of unit.analysis.macros) {
		if (!mayMatch(name, prefix) || name.startsWith('__has_')) continue;
		const params = definition.params !== undefined ? `(${definition.params.join(', ')})` : '';
		const body = definition.body.length > 60 ? `${definition.body.slice(0, 57)}...` : definition.body;
		items.push({
			label: name,
			kind: definition.params !== undefined ? CompletionItemKind.Method : CompletionItemKind.Constant,
			detail: `#define ${name}${params} ${body}`.trimEnd(),
			sortText: `${Rank.Macro}${name}`,
			data: { kind: 'macro', name } satisfies CompletionData,
		});
	}
	return items;
}

function tagItems(unit: Unit, keyword: 'struct' | 'union' | 'enum'): CompletionItem[] {
	const items: CompletionItem[] = [];
	for (const [name, tag] of unit.analysis.fileScope.tags) {
		if (keyword === 'enum' ? tag.kind !== 'enum' : tag.kind !== 'struct' || tag.type.isUnion !== (keyword === 'union')) continue;
		items.push({
			label: name,
			kind: tag.kind === 'enum' ? CompletionItemKind.Enum : CompletionItemKind.Struct,
			detail: tag.kind === 'struct' && tag.type.complete ? `size ${tag.type.size}` : tag.kind === 'struct' ? 'incomplete' : 'enum',
			sortText: `${tag.range.file === unit.file ? Rank.MainFile : Rank.Header}${name}`,
			...(tag.kind === 'struct' ? { data: { kind: 'tag', name, structId: tag.type.id } satisfies CompletionData } : {}),
		});
	}
	return items;
}

// ---- Resolve ----

/** Adds documentation to an item from the latest analysis of `file`, where it was offered. */
export function resolveCompletion(project: Project, item: CompletionItem, file: string): CompletionItem {
	const data = item.data as CompletionData | undefined;
	if (data === undefined || data === null || typeof data !== 'object' || typeof data.name !== 'string') return item;
	const unit = project.latest(file);
	if (unit === undefined) return item;
	const scope = unit.analysis.fileScope;
	let markdown: string | undefined;
	switch (data.kind) {
		case 'symbol': {
			const entity = scope.lookup(data.name);
			if (entity?.kind === 'symbol') markdown = renderMarkdown(describeSymbol(project, unit, entity.symbol), false);
			break;
		}
		case 'typedef': {
			const entity = scope.lookup(data.name);
			if (entity?.kind === 'typedef') markdown = renderMarkdown(describeTypedef(project, unit, data.name, entity.type, entity.range), false);
			break;
		}
		case 'macro': {
			const definition = unit.analysis.macros.get(data.name);
			if (definition !== undefined) markdown = renderMarkdown(describeMacro(project, definition, undefined), true);
			break;
		}
		case 'field':
		case 'tag': {
			const spec = data.structId !== undefined ? unit.index.structDefinitions.get(data.structId) : undefined;
			const struct = spec?.type;
			if (struct === undefined) break;
			const description = data.kind === 'field' ? describeField(project, unit, struct, data.name) : describeStruct(project, unit, struct);
			if (description !== undefined) markdown = renderMarkdown(description, data.kind === 'tag');
			break;
		}
	}
	return markdown === undefined || markdown === '' ? item : { ...item, documentation: { kind: MarkupKind.Markdown, value: markdown } };
}
