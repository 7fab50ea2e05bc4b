// What is at a position of a document (layer: languageServer): an `#include`, a macro invocation,
// a name the checker resolved (see syntaxIndex.ts), a macro named in a directive, or failing all
// of those the innermost typed expression. Hover and go to definition both start here.

import type { Expr } from '../lang/ast';
import type { MacroDefinition } from '../lang/preprocessor';
import type { SourceRange } from '../lang/source';
import type { Token } from '../lang/tokens';
import { typeToString } from '../lang/types';
import {
	type Description,
	describeField,
	describeFunction,
	describeMacro,
	describeStruct,
	describeSymbol,
	describeTypedef,
} from './describe';
import type { Project, Unit } from './project';
import { type Occurrence, rangeContains, rangeSize, tagRangeIn } from './syntaxIndex';
import { includeOnLine, inCommentOrLiteral, lineStarts, wordAt } from './textScan';

/** What a position designates. */
export type Target =
	| { readonly kind: 'include'; readonly name: string; readonly quoted: boolean; readonly resolved?: string; readonly range: SourceRange }
	| { readonly kind: 'macro'; readonly definition: MacroDefinition; readonly expansion: readonly Token[]; readonly range: SourceRange }
	| { readonly kind: 'occurrence'; readonly occurrence: Occurrence }
	| { readonly kind: 'expression'; readonly expr: Expr };

/** The target at (line, col) (1-based) of the unit's main file. */
export function targetAt(project: Project, unit: Unit, line: number, col: number): Target | undefined {
	const file = unit.file;
	const include = includeOnLine(unit.text, unit.starts, file, line);
	if (include !== undefined && rangeContains(include.nameRange, line, col)) {
		const sources = project.files.sources(unit.config);
		const resolved = sources.resolveInclude(include.name, file, include.quoted);
		return { kind: 'include', name: include.name, quoted: include.quoted, ...(resolved === undefined ? {} : { resolved }), range: include.nameRange };
	}
	const word = wordAt(unit.text, unit.starts, file, line, col);
	if (word !== undefined && inCommentOrLiteral(unit.text, unit.starts, unit.lexed, word.range.line, word.range.col)) return undefined;
	if (word !== undefined) {
		// A macro invocation: its expansion starts exactly at the macro's name.
		const expansion = unit.expansionAt(word.range.line, word.range.col);
		const definition = unit.analysis.macros.get(word.word);
		if (expansion.length > 0 && expansion[0].macro === word.word && definition !== undefined) {
			return { kind: 'macro', definition, expansion, range: word.range };
		}
		const occurrence = occurrenceAt(unit, line, col, word.word);
		if (occurrence !== undefined) return { kind: 'occurrence', occurrence };
		// A macro named in a directive, or used inside another macro's arguments (whose expansion
		// carries the outer invocation's position).
		if (definition !== undefined) return { kind: 'macro', definition, expansion: [], range: word.range };
	}
	const expr = expressionAt(unit, line, col);
	return expr === undefined ? undefined : { kind: 'expression', expr };
}

/** The innermost occurrence at the position whose name is `word`. */
export function occurrenceAt(unit: Unit, line: number, col: number, word: string): Occurrence | undefined {
	let best: Occurrence | undefined;
	for (const o of unit.index.occurrences) {
		if (o.name !== word || !rangeContains(o.range, line, col)) continue;
		if (best === undefined || rangeSize(o.range) < rangeSize(best.range)) best = o;
	}
	return best;
}

/** The innermost typed expression at the position. */
export function expressionAt(unit: Unit, line: number, col: number): Expr | undefined {
	let best: Expr | undefined;
	for (const e of unit.index.expressions) {
		if (e.type === undefined || !rangeContains(e.range, line, col)) continue;
		if (best === undefined || rangeSize(e.range) < rangeSize(best.range)) best = e;
	}
	return best;
}

/** The description of a target, for hover. */
export function describeTarget(project: Project, unit: Unit, target: Target): Description | undefined {
	switch (target.kind) {
		case 'include':
			return {
				code: `#include ${target.quoted ? `"${target.name}"` : `<${target.name}>`}`,
				facts: [target.resolved !== undefined ? project.displayPath(target.resolved) : 'not found in the include path'],
				locations: target.resolved !== undefined ? [{ file: target.resolved, line: 1, col: 1, endLine: 1, endCol: 1 }] : [],
			};
		case 'macro':
			return describeMacro(project, target.definition, target.expansion);
		case 'expression': {
			const e = target.expr;
			if (e.type === undefined) return undefined;
			const facts = e.constValue !== undefined ? [`value ${e.constValue}`] : [];
			return { code: typeToString(e.type), facts: ['(expression type)', ...facts], locations: [] };
		}
		case 'occurrence':
			return describeOccurrence(project, unit, target.occurrence);
	}
}

function describeOccurrence(project: Project, unit: Unit, o: Occurrence): Description | undefined {
	const scope = unit.analysis.fileScope;
	switch (o.kind) {
		case 'ident':
			return o.expr.symbol !== undefined ? describeSymbol(project, unit, o.expr.symbol) : undefined;
		case 'member': {
			const base = o.expr.base.type;
			const struct = base?.kind === 'pointer' ? base.to : base;
			return struct?.kind === 'struct' ? describeField(project, unit, struct, o.name) : undefined;
		}
		case 'designator':
			return describeField(project, unit, o.struct, o.name);
		case 'declarator': {
			const declared = o.declared;
			switch (declared.what) {
				case 'var':
					return describeSymbol(project, unit, declared.symbol);
				case 'func': {
					const entity = scope.lookup(declared.name);
					const symbol = declared.symbol ?? (entity?.kind === 'symbol' && entity.symbol.kind === 'func' ? entity.symbol : undefined);
					return symbol !== undefined ? describeFunction(project, unit, symbol) : undefined;
				}
				case 'typedef': {
					const entity = scope.lookup(declared.name);
					return entity?.kind === 'typedef' ? describeTypedef(project, unit, declared.name, entity.type, entity.range) : undefined;
				}
				case 'field':
					return describeField(project, unit, declared.struct, declared.name);
				case 'param':
					return { code: declared.name, facts: ['(parameter of a prototype)'], locations: [o.range] };
			}
			return undefined;
		}
		case 'typedefName': {
			const entity = scope.lookup(o.name);
			return entity?.kind === 'typedef' ? describeTypedef(project, unit, o.name, entity.type, entity.range) : undefined;
		}
		case 'enumerator': {
			const entity = scope.lookup(o.name);
			return entity?.kind === 'symbol' ? describeSymbol(project, unit, entity.symbol) : undefined;
		}
		case 'tag': {
			const spec = o.spec;
			if (spec.kind === 'StructSpec') return spec.type !== undefined ? describeStruct(project, unit, spec.type) : undefined;
			const definition = unit.index.enumDefinitions.get(o.name) ?? spec;
			const tag = scope.lookupTag(o.name);
			const enumerators = (definition.enumerators ?? []).map(en => {
				const entity = scope.lookup(en.name);
				return entity?.kind === 'symbol' && entity.symbol.kind === 'enumconst' ? `\t${en.name} = ${entity.symbol.value},` : `\t${en.name},`;
			});
			const code = `enum ${o.name}${enumerators.length > 0 ? ` {\n${enumerators.join('\n')}\n}` : ''}`;
			const facts = tag?.kind === 'enum' ? [`underlying type ${tag.type.signed ? 'int' : 'unsigned int'}`] : [];
			const range = definition.range;
			const text = project.files.read(range.file);
			const where = (text !== undefined ? tagRangeIn(text, lineStarts(text), range, o.name) : undefined) ?? range;
			const doc = project.docs.forDeclaration(range.file, range.line);
			return { code, facts, ...(doc !== undefined ? { doc } : {}), locations: [where] };
		}
		case 'label': {
			const statement = unit.index.labels.get(o.fn)?.get(o.name);
			return { code: `${o.name}:`, facts: ['(label)'], locations: statement !== undefined ? [statement.range] : [] };
		}
	}
}

/** Where a target is defined, for go to definition. */
export function targetLocations(project: Project, unit: Unit, target: Target): SourceRange[] {
	if (target.kind === 'expression') return [];
	if (target.kind === 'occurrence') {
		const o = target.occurrence;
		if (o.kind === 'label') {
			const statement = unit.index.labels.get(o.fn)?.get(o.name);
			return statement === undefined ? [] : [{ ...statement.range, endLine: statement.range.line, endCol: statement.range.col + o.name.length }];
		}
		if (o.kind === 'declarator' && o.declared.what === 'var' && o.declared.symbol.storage !== 'global') return [o.range];
	}
	return [...(describeTarget(project, unit, target)?.locations ?? [])];
}
