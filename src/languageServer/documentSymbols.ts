// The outline of a KC document (layer: languageServer): its functions, structs and unions (with
// their members), enums (with their constants), typedefs, globals and prototypes from the checked
// tree, and the macros it defines (from its tokens, so definitions in every `#if` branch show).

import { type DocumentSymbol, SymbolKind } from 'vscode-languageserver';
import type { Declaration, DeclSpecs, EnumSpecifier, StructSpecifier } from '../lang/ast';
import { FLAG_LINE_START } from '../lang/lexer';
import type { SourceRange } from '../lang/source';
import { TokenKind } from '../lang/tokens';
import { typeToString } from '../lang/types';
import { functionSignature } from './describe';
import { toLspRange } from './diagnostics';
import type { Unit } from './project';
import { comparePosition, rangeContains } from './syntaxIndex';

/** The document symbols of the unit's main file, in source order. */
export function documentSymbols(unit: Unit): DocumentSymbol[] {
	const result: DocumentSymbol[] = [];
	const file = unit.file;
	for (const decl of unit.analysis.tree.decls) {
		if (decl.range.file !== file) continue;
		if (decl.kind === 'FunctionDef') {
			const name = decl.declarator.name;
			if (name === undefined) continue;
			const type = decl.symbol?.type;
			result.push(symbol(name, SymbolKind.Function, decl.range, decl.declarator.nameRange ?? decl.range, type !== undefined ? functionSignature(name, type) : undefined));
		} else if (decl.kind === 'Declaration') {
			result.push(...declarationSymbols(unit, decl));
		}
	}
	result.push(...macroSymbols(unit));
	return result.sort((a, b) => comparePosition(a.range.start.line, a.range.start.character, b.range.start.line, b.range.start.character));
}

function symbol(name: string, kind: SymbolKind, range: SourceRange, selection: SourceRange, detail?: string, children?: DocumentSymbol[]): DocumentSymbol {
	// The selection must lie inside the range; names out of macro expansions may not.
	const inside = rangeContains(range, selection.line, selection.col) && rangeContains(range, selection.endLine, selection.endCol);
	const whole = inside ? range : selection;
	return {
		name: name === '' ? '<anonymous>' : name,
		kind,
		range: toLspRange(whole),
		selectionRange: toLspRange(selection),
		...(detail !== undefined ? { detail } : {}),
		...(children !== undefined && children.length > 0 ? { children } : {}),
	};
}

function declarationSymbols(unit: Unit, decl: Declaration): DocumentSymbol[] {
	const result: DocumentSymbol[] = [];
	result.push(...tagSymbols(unit, decl.specs));
	const isTypedef = decl.specs.storage === 'typedef';
	const scope = unit.analysis.fileScope;
	for (const { declarator } of decl.declarators) {
		const name = declarator.name;
		if (name === undefined) continue;
		const selection = declarator.nameRange ?? declarator.range;
		if (isTypedef) {
			const entity = scope.lookup(name);
			result.push(symbol(name, SymbolKind.TypeParameter, decl.range, selection, entity?.kind === 'typedef' ? `typedef ${typeToString(entity.type)}` : undefined));
			continue;
		}
		const variable = decl.vars?.find(v => v.symbol.name === name)?.symbol;
		if (variable !== undefined) {
			result.push(symbol(name, SymbolKind.Variable, decl.range, selection, typeToString(variable.type)));
			continue;
		}
		const entity = scope.lookup(name);
		if (entity?.kind === 'symbol' && entity.symbol.kind === 'func') {
			result.push(symbol(name, SymbolKind.Function, decl.range, selection, `${functionSignature(name, entity.symbol.type)}; (declaration)`));
		}
	}
	return result;
}

function tagSymbols(unit: Unit, specs: DeclSpecs): DocumentSymbol[] {
	const result: DocumentSymbol[] = [];
	for (const spec of specs.typeSpecs) {
		if (spec.kind === 'StructSpec' && spec.members !== undefined) result.push(structSymbol(unit, spec));
		else if (spec.kind === 'EnumSpec' && spec.enumerators !== undefined) result.push(enumSymbol(spec));
	}
	return result;
}

function structSymbol(unit: Unit, spec: StructSpecifier): DocumentSymbol {
	const children: DocumentSymbol[] = [];
	const type = spec.type;
	for (const member of spec.members ?? []) {
		children.push(...tagSymbols(unit, member.specs));
		for (const { declarator } of member.declarators) {
			if (declarator.name === undefined) continue;
			const field = type?.fields.find(f => f.name === declarator.name);
			const detail = field !== undefined ? `${typeToString(field.type)} @${field.offset}` : undefined;
			children.push(symbol(declarator.name, SymbolKind.Field, member.range, declarator.nameRange ?? member.range, detail));
		}
	}
	const name = `${spec.isUnion ? 'union' : 'struct'} ${spec.tag ?? '<anonymous>'}`;
	const detail = type !== undefined && type.complete ? `size ${type.size}` : undefined;
	return symbol(name, SymbolKind.Struct, spec.range, spec.range, detail, children);
}

function enumSymbol(spec: EnumSpecifier): DocumentSymbol {
	const children = (spec.enumerators ?? []).map(en => symbol(en.name, SymbolKind.EnumMember, en.range, en.range));
	return symbol(`enum ${spec.tag ?? '<anonymous>'}`, SymbolKind.Enum, spec.range, spec.range, undefined, children);
}

/** `#define NAME` lines of the document. */
function macroSymbols(unit: Unit): DocumentSymbol[] {
	const { tokens, flags } = unit.lexed;
	const result: DocumentSymbol[] = [];
	for (let i = 0; i + 2 < tokens.length; i++) {
		if ((flags[i] & FLAG_LINE_START) === 0 || tokens[i].text !== '#' || tokens[i].kind !== TokenKind.Punctuator) continue;
		if (tokens[i + 1].text !== 'define' || (flags[i + 1] & FLAG_LINE_START) !== 0) continue;
		const name = tokens[i + 2];
		if (name.kind !== TokenKind.Identifier || (flags[i + 2] & FLAG_LINE_START) !== 0) continue;
		let last = i + 2;
		while (last + 1 < tokens.length && (flags[last + 1] & FLAG_LINE_START) === 0 && tokens[last + 1].kind !== TokenKind.EOF) last++;
		const range: SourceRange = { ...tokens[i].range, endLine: tokens[last].range.endLine, endCol: tokens[last].range.endCol };
		const functionLike = tokens[i + 3]?.text === '(' && !tokens[i + 3].spaceBefore && (flags[i + 3] & FLAG_LINE_START) === 0;
		result.push(symbol(name.text, functionLike ? SymbolKind.Function : SymbolKind.Constant, range, name.range, '#define'));
	}
	return result;
}
