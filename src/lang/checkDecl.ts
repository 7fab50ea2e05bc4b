// Declarations for the KC checker (layer: lang): types from declaration specifiers and declarators,
// struct/union/enum definitions and layouts (with `packed` and `aligned`), typedefs, objects and
// functions at file and block scope with C's linkage and redeclaration rules, and the end-of-unit
// pass over tentative definitions.

import type {
	Attribute,
	Declaration,
	DeclSpecs,
	Declarator,
	EnumConstSymbol,
	EnumSpecifier,
	Expr,
	FuncSymbol,
	ParamDecl,
	StaticAssert,
	StructSpecifier,
	TypeName,
	TypeQualifiers,
	VarSymbol,
} from './ast';
import { type CheckContext, attributeName, findAttribute, newSymbolId } from './checkContext';
import { checkExpr } from './checkExpr';
import { checkInitializer } from './checkInit';
import { compatible, composite, isConstType, qualify, structBase, unqual } from './checkTypes';
import type { OrdinaryEntity } from './scope';
import type { SourceRange } from './source';
import {
	type CType,
	type FunctionType,
	type IntType,
	type MemberDecl,
	type Param,
	type StructType,
	arrayOf,
	boolType,
	doubleType,
	floatType,
	intRange,
	intType,
	intTypesByName,
	isComplete,
	layoutStruct,
	longDoubleType,
	longType,
	newStruct,
	pointerTo,
	sizeOf,
	typeToString,
	uintType,
	ulongType,
	voidType,
} from './types';

/** Deepest declarator / nested specifier the checker follows before giving up (stack safety). */
const maxTypeDepth = 200;

/** Ints a declaration may use as an array length or object size (gcc's limit is the address space). */
const maxObjectSize = 2 ** 47;

// ---- Declaration specifiers --------------------------------------------------------------------

/** Resolves the type named by declaration specifiers (before any declarator applies). */
export function resolveSpecs(ctx: CheckContext, specs: DeclSpecs, declOnly = false): CType {
	if (++ctx.typeDepth > maxTypeDepth) {
		ctx.typeDepth--;
		ctx.error(specs.range, 'type nested too deeply');
		return intType;
	}
	try {
		const base = resolveBaseType(ctx, specs, declOnly);
		return applyQualifiers(ctx, base, specs.qualifiers, specs.range);
	} finally {
		ctx.typeDepth--;
	}
}

function applyQualifiers(ctx: CheckContext, t: CType, q: TypeQualifiers, range: SourceRange): CType {
	if (q.restrict && t.kind !== 'pointer') {
		ctx.error(range, `invalid use of 'restrict'`);
	}
	if (!q.const && !q.volatile && !q.restrict) {
		return t;
	}
	return qualify(t, { const: q.const, volatile: q.volatile, restrict: q.restrict && t.kind === 'pointer' });
}

function resolveBaseType(ctx: CheckContext, specs: DeclSpecs, declOnly: boolean): CType {
	const words = new Map<string, number>();
	let other: CType | undefined;
	let otherCount = 0;
	let firstRange: SourceRange | undefined;
	for (const ts of specs.typeSpecs) {
		firstRange ??= ts.range;
		switch (ts.kind) {
			case 'Keyword':
				words.set(ts.word, (words.get(ts.word) ?? 0) + 1);
				break;
			case 'TypedefName': {
				otherCount++;
				const entity = ctx.scope.lookup(ts.name);
				if (entity?.kind === 'typedef') {
					other = entity.type;
				} else {
					ctx.error(ts.range, `unknown type name '${ts.name}'`);
					other = intType;
				}
				break;
			}
			case 'StructSpec':
				otherCount++;
				other = resolveStructSpec(ctx, ts, declOnly && specs.typeSpecs.length === 1);
				break;
			case 'EnumSpec':
				otherCount++;
				other = resolveEnumSpec(ctx, ts, declOnly && specs.typeSpecs.length === 1);
				break;
			case 'Typeof':
				otherCount++;
				other = resolveTypeof(ctx, ts.arg, ts.range);
				break;
		}
	}
	if (otherCount > 0) {
		if (otherCount > 1 || words.size > 0) {
			ctx.error(specs.range, 'two or more data types in declaration specifiers');
		}
		return other ?? intType;
	}
	if (words.size === 0) {
		// C89 implicit int (C99 requires a type specifier): the parser reports it; assume int.
		return intType;
	}
	return keywordType(ctx, words, firstRange ?? specs.range);
}

function keywordType(ctx: CheckContext, words: Map<string, number>, range: SourceRange): CType {
	const count = (w: string) => words.get(w) ?? 0;
	const signed = count('signed');
	const unsigned = count('unsigned');
	const long = count('long');
	const short = count('short');
	const tooMany = () => {
		ctx.error(range, 'two or more data types in declaration specifiers');
		return intType;
	};
	for (const [word, n] of words) {
		if (n > 1 && word !== 'long') {
			return word === 'signed' || word === 'unsigned' ? intType : tooMany();
		}
	}
	if (signed && unsigned) {
		ctx.error(range, `both 'signed' and 'unsigned' in declaration specifiers`);
		return intType;
	}
	if (long > 2) {
		ctx.error(range, `'long long long' is too long for GCC`);
		return intType;
	}
	if (long && short) {
		ctx.error(range, `both 'long' and 'short' in declaration specifiers`);
		return intType;
	}
	const only = (...allowed: string[]) => [...words.keys()].every(w => allowed.includes(w));
	if (count('void')) {
		return only('void') ? voidType : tooMany();
	}
	if (count('_Bool')) {
		return only('_Bool') ? boolType : tooMany();
	}
	if (count('float')) {
		return only('float') ? floatType : tooMany();
	}
	if (count('double')) {
		if (!only('double', 'long') || long > 1) {
			return tooMany();
		}
		return long ? longDoubleType : doubleType;
	}
	if (count('char')) {
		if (!only('char', 'signed', 'unsigned')) {
			return tooMany();
		}
		return intTypesByName[signed ? 'signed char' : unsigned ? 'unsigned char' : 'char'];
	}
	if (!only('int', 'short', 'long', 'signed', 'unsigned')) {
		return tooMany();
	}
	if (short) {
		return intTypesByName[unsigned ? 'unsigned short' : 'short'];
	}
	if (long === 2) {
		return intTypesByName[unsigned ? 'unsigned long long' : 'long long'];
	}
	if (long === 1) {
		return intTypesByName[unsigned ? 'unsigned long' : 'long'];
	}
	return unsigned ? uintType : intType;
}

function resolveTypeof(ctx: CheckContext, arg: Expr | TypeName, range: SourceRange): CType {
	if (arg.kind === 'TypeName') {
		return resolveTypeName(ctx, arg);
	}
	ctx.unevaluated++;
	try {
		const e = checkExpr(ctx, arg);
		if (e.kind === 'Member' && e.field?.bitWidth !== undefined) {
			ctx.error(range, `'typeof' applied to a bit-field`);
		}
		return e.type ?? intType;
	} finally {
		ctx.unevaluated--;
	}
}

/** Resolves a type name (casts, sizeof, compound literals...) and records it on the node. */
export function resolveTypeName(ctx: CheckContext, tn: TypeName): CType {
	if (tn.type) {
		return tn.type;
	}
	const base = resolveSpecs(ctx, tn.specs);
	const t = applyDeclarator(ctx, base, tn.declarator, 'type').type;
	tn.type = t;
	return t;
}

// ---- Structs, unions, enums ------------------------------------------------------------------------

function tagKindName(isUnion: boolean): string {
	return isUnion ? 'union' : 'struct';
}

function resolveStructSpec(ctx: CheckContext, spec: StructSpecifier, declOnly: boolean): StructType {
	const kindName = tagKindName(spec.isUnion);
	if (spec.members === undefined) {
		if (spec.tag === undefined) {
			ctx.error(spec.range, `expected '{' after '${kindName}'`);
			const s = newStruct(spec.isUnion);
			spec.type = s;
			return s;
		}
		// `struct s;` alone declares a new incomplete type in the current scope, hiding outer ones.
		const existing = declOnly ? ctx.scope.tags.get(spec.tag) : ctx.scope.lookupTag(spec.tag);
		if (existing) {
			if (existing.kind === 'struct' && existing.type.isUnion === spec.isUnion) {
				spec.type = existing.type;
				return existing.type;
			}
			ctx.error(spec.range, `'${spec.tag}' defined as wrong kind of tag`);
			const s = newStruct(spec.isUnion, spec.tag);
			spec.type = s;
			return s;
		}
		const s = newStruct(spec.isUnion, spec.tag);
		ctx.scope.tags.set(spec.tag, { kind: 'struct', type: s, range: spec.range });
		if (ctx.scope.kind === 'prototype') {
			ctx.warning(spec.range, `'${kindName} ${spec.tag}' declared inside parameter list will not be visible outside of this definition or declaration`);
		}
		spec.type = s;
		return s;
	}
	let s: StructType | undefined;
	if (spec.tag !== undefined) {
		const existing = ctx.scope.tags.get(spec.tag);
		if (existing) {
			if (existing.kind !== 'struct' || existing.type.isUnion !== spec.isUnion) {
				ctx.error(spec.range, `'${spec.tag}' defined as wrong kind of tag`);
			} else if (existing.type.complete || beingDefined.has(existing.type)) {
				ctx.error(spec.range, `${beingDefined.has(existing.type) ? 'nested ' : ''}redefinition of '${kindName} ${spec.tag}'`, [
					{ message: 'originally defined here', range: existing.range },
				]);
			} else {
				s = existing.type;
			}
		}
		if (!s) {
			s = newStruct(spec.isUnion, spec.tag);
			if (!existing || existing.kind === 'struct') {
				ctx.scope.tags.set(spec.tag, { kind: 'struct', type: s, range: spec.range });
			}
		}
	} else {
		s = newStruct(spec.isUnion);
	}
	spec.type = s;
	beingDefined.add(s);
	try {
		defineStruct(ctx, spec, s);
	} finally {
		beingDefined.delete(s);
	}
	return s;
}

/** Structs whose member list is being processed (to catch `struct s { struct s { ... } x; }`). */
const beingDefined = new WeakSet<StructType>();

function defineStruct(ctx: CheckContext, spec: StructSpecifier, s: StructType): void {
	const members: MemberDecl[] = [];
	const names = new Map<string, SourceRange>();
	const memberDecls = spec.members ?? [];
	for (let i = 0; i < memberDecls.length; i++) {
		const md = memberDecls[i];
		if (md.specs.storage) {
			ctx.error(md.specs.range, 'expected specifier-qualifier-list before \'' + md.specs.storage + '\'');
		}
		const base = resolveSpecs(ctx, md.specs);
		if (md.declarators.length === 0) {
			// C11 anonymous members are untagged struct/union definitions; `struct t { ... };` inside
			// a struct only declares the tag.
			const spec = md.specs.typeSpecs[0];
			const anonymous = md.specs.typeSpecs.length === 1 && spec.kind === 'StructSpec' && spec.tag === undefined && spec.members !== undefined;
			if (anonymous && base.kind === 'struct' && base.complete) {
				// Anonymous struct/union member: its fields are found through it.
				collectMemberNames(ctx, base, names, md.range);
				members.push({ type: base, ...memberAttributes(ctx, md.specs.attributes) });
			} else {
				ctx.warning(md.range, 'declaration does not declare anything');
			}
			continue;
		}
		for (let j = 0; j < md.declarators.length; j++) {
			const { declarator, bitWidth } = md.declarators[j];
			const type = applyDeclarator(ctx, base, declarator, 'member').type;
			const name = declarator.name;
			const range = declarator.nameRange ?? declarator.range;
			const shown = name ?? '<anonymous>';
			const isLast = i === memberDecls.length - 1 && j === md.declarators.length - 1;
			if (name !== undefined) {
				if (names.has(name)) {
					ctx.error(range, `duplicate member '${name}'`);
				}
				names.set(name, range);
			}
			const attrs = memberAttributes(ctx, [...md.specs.attributes, ...declarator.attributes]);
			if (bitWidth) {
				const width = bitFieldWidth(ctx, type, bitWidth, name);
				if (width === undefined) {
					continue;
				}
				members.push({ name, type, bitWidth: width, ...attrs });
				continue;
			}
			if (type.kind === 'function') {
				ctx.error(range, `field '${shown}' declared as a function`);
				continue;
			}
			if (type.kind === 'array' && type.length === undefined && isComplete(type.of)) {
				if (spec.isUnion) {
					ctx.error(range, 'flexible array member in union');
					continue;
				}
				if (!isLast) {
					ctx.error(range, 'flexible array member not at end of struct');
					continue;
				}
				if (names.size <= 1) {
					ctx.error(range, 'flexible array member in a struct with no named members');
					continue;
				}
				members.push({ name, type, ...attrs });
				continue;
			}
			if (!isComplete(type)) {
				ctx.error(range, `field '${shown}' has incomplete type`);
				continue;
			}
			members.push({ name, type, ...attrs });
		}
	}
	typeAttributeLiterals(ctx, spec.attributes);
	const packed = !!findAttribute(spec.attributes, 'packed');
	layoutStruct(s, members, packed);
	const aligned = findAttribute(spec.attributes, 'aligned');
	if (aligned) {
		const n = alignmentArgument(ctx, aligned);
		if (n !== undefined && n > s.align) {
			s.align = n;
			s.size = Math.ceil(s.size / n) * n;
		}
	}
}

function collectMemberNames(ctx: CheckContext, s: StructType, names: Map<string, SourceRange>, range: SourceRange): void {
	for (const f of structBase(s).fields) {
		if (f.name !== undefined) {
			if (names.has(f.name)) {
				ctx.error(range, `duplicate member '${f.name}'`);
			}
			names.set(f.name, range);
		} else if (f.type.kind === 'struct') {
			collectMemberNames(ctx, f.type, names, range);
		}
	}
}

function memberAttributes(ctx: CheckContext, attributes: readonly Attribute[]): { alignAttribute?: number; packedAttribute?: boolean } {
	const result: { alignAttribute?: number; packedAttribute?: boolean } = {};
	typeAttributeLiterals(ctx, attributes);
	const aligned = findAttribute(attributes, 'aligned');
	if (aligned) {
		const n = alignmentArgument(ctx, aligned);
		if (n !== undefined) {
			result.alignAttribute = n;
		}
	}
	if (findAttribute(attributes, 'packed')) {
		result.packedAttribute = true;
	}
	return result;
}

/** The N of `aligned(N)` (16, the largest x86-64 alignment, when omitted), or undefined if invalid. */
export function alignmentArgument(ctx: CheckContext, a: Attribute): number | undefined {
	if (a.args.length === 0) {
		return 16;
	}
	const v = integerConstant(ctx, a.args[0], 'requested alignment is not an integer constant');
	if (v === undefined) {
		return undefined;
	}
	if (v <= 0n || (v & (v - 1n)) !== 0n) {
		ctx.error(a.args[0].range, 'requested alignment is not a positive power of 2');
		return undefined;
	}
	if (v > 1n << 28n) {
		ctx.error(a.args[0].range, `requested alignment '${v}' exceeds maximum 268435456`);
		return undefined;
	}
	return Number(v);
}

function bitFieldWidth(ctx: CheckContext, type: CType, widthExpr: Expr, name: string | undefined): number | undefined {
	const shown = name ?? '<anonymous>';
	if (type.kind !== 'int') {
		ctx.error(widthExpr.range, `bit-field '${shown}' has invalid type`);
		return undefined;
	}
	const v = integerConstant(ctx, widthExpr, `bit-field '${shown}' width not an integer constant`);
	if (v === undefined) {
		return undefined;
	}
	if (v < 0n) {
		ctx.error(widthExpr.range, `negative width in bit-field '${shown}'`);
		return undefined;
	}
	if (v === 0n && name !== undefined) {
		ctx.error(widthExpr.range, `zero width for bit-field '${shown}'`);
		return undefined;
	}
	const limit = type.name === '_Bool' ? 1n : BigInt(type.size * 8);
	if (v > limit) {
		ctx.error(widthExpr.range, `width of '${shown}' exceeds its type`);
		return undefined;
	}
	return Number(v);
}

function resolveEnumSpec(ctx: CheckContext, spec: EnumSpecifier, declOnly: boolean): IntType {
	if (spec.enumerators === undefined) {
		if (spec.tag === undefined) {
			ctx.error(spec.range, `expected '{' after 'enum'`);
			return intType;
		}
		const existing = declOnly ? ctx.scope.tags.get(spec.tag) : ctx.scope.lookupTag(spec.tag);
		if (existing) {
			if (existing.kind === 'enum') {
				return existing.type;
			}
			ctx.error(spec.range, `'${spec.tag}' defined as wrong kind of tag`);
			return intType;
		}
		// A forward reference to an enum (a GNU extension): assume gcc's default underlying type.
		const t: IntType = { ...uintType, enumTag: spec.tag };
		ctx.scope.tags.set(spec.tag, { kind: 'enum', type: t, defined: false, range: spec.range });
		return t;
	}
	const tag = spec.tag;
	let entry = tag !== undefined ? ctx.scope.tags.get(tag) : undefined;
	if (entry && tag !== undefined) {
		if (entry.kind !== 'enum') {
			ctx.error(spec.range, `'${tag}' defined as wrong kind of tag`);
			entry = undefined;
		} else if (entry.defined) {
			ctx.error(spec.range, `redeclaration of 'enum ${tag}'`, [{ message: 'originally defined here', range: entry.range }]);
			entry = undefined;
		}
	}
	let next = 0n;
	let min = 0n;
	let max = 0n;
	const intLimits = intRange(intType);
	const wide: { type: CType }[] = [];
	for (const en of spec.enumerators) {
		let value = next;
		if (en.value) {
			const v = integerConstant(ctx, en.value, `enumerator value for '${en.name}' is not an integer constant`);
			if (v !== undefined) {
				value = v;
			}
		}
		min = value < min ? value : min;
		max = value > max ? value : max;
		const type = value >= intLimits.min && value <= intLimits.max ? intType : value < 0n ? longType : ulongType;
		const symbol: EnumConstSymbol = { kind: 'enumconst', name: en.name, id: newSymbolId(), value, type, range: en.range };
		if (type !== intType) {
			wide.push(symbol as { type: CType });
		}
		declareOrdinary(ctx, en.name, { kind: 'symbol', symbol }, en.range);
		next = value + 1n;
	}
	const uintLimits = intRange(uintType);
	const underlying =
		min < 0n ? (min >= intLimits.min && max <= intLimits.max ? intType : longType) : max <= uintLimits.max ? uintType : ulongType;
	const enumType: IntType = { ...underlying, enumTag: tag ?? '<anonymous>' };
	// GNU C: once the enum is complete, a constant that does not fit `int` has the enumerated type
	// (so `enum { A = 0x80000000 }` gives A the type unsigned int, as gcc does).
	for (const symbol of wide) {
		symbol.type = enumType;
	}
	if (tag !== undefined) {
		if (entry && entry.kind === 'enum') {
			entry.type = enumType;
			entry.defined = true;
		} else if (!ctx.scope.tags.has(tag) || ctx.scope.tags.get(tag)?.kind === 'enum') {
			ctx.scope.tags.set(tag, { kind: 'enum', type: enumType, defined: true, range: spec.range });
		}
	}
	return enumType;
}

/** Declares an ordinary identifier in the current scope, reporting clashes with one already there. */
function declareOrdinary(ctx: CheckContext, name: string, entity: OrdinaryEntity, range: SourceRange): void {
	const existing = ctx.scope.ordinary.get(name);
	if (existing) {
		const previous = existing.kind === 'typedef' ? existing.range : existing.symbol.range;
		if (existing.kind === 'symbol' && existing.symbol.kind === 'enumconst' && entity.kind === 'symbol' && entity.symbol.kind === 'enumconst') {
			ctx.error(range, `redeclaration of enumerator '${name}'`, [{ message: `previous definition of '${name}' was here`, range: previous }]);
		} else {
			ctx.error(range, `'${name}' redeclared as different kind of symbol`, [{ message: `previous declaration of '${name}' was here`, range: previous }]);
		}
		return;
	}
	ctx.scope.ordinary.set(name, entity);
}

// ---- Declarators -----------------------------------------------------------------------------------

/** Where a declarator appears; changes what is allowed (array parameters, abstract names...). */
export type DeclaratorUse = 'object' | 'param' | 'member' | 'type';

/** The result of applying a declarator: the type, and for functions the parameters of the outermost parameter list. */
export interface DeclaratorResult {
	readonly type: CType;
	/** Parameter symbols of the function parameter list applied last (the one a definition uses). */
	readonly params?: VarSymbol[];
	readonly paramDecls?: readonly { readonly range: SourceRange; readonly named: boolean }[];
}

/** Applies a declarator's derivations (pointer, array, function) to a base type. */
export function applyDeclarator(ctx: CheckContext, base: CType, d: Declarator, use: DeclaratorUse): DeclaratorResult {
	if (d.derived.length > maxTypeDepth || ctx.typeDepth > maxTypeDepth) {
		ctx.error(d.range, 'declarator nested too deeply');
		return { type: intType };
	}
	ctx.typeDepth++;
	try {
		let t = base;
		let params: VarSymbol[] | undefined;
		let paramDecls: { range: SourceRange; named: boolean }[] | undefined;
		const name = d.name;
		const shown = name !== undefined ? `'${name}'` : 'type name';
		for (let i = 0; i < d.derived.length; i++) {
			const dd = d.derived[i];
			const isLast = i === d.derived.length - 1;
			switch (dd.kind) {
				case 'Pointer':
					t = applyQualifiers(ctx, pointerTo(t), dd.qualifiers, dd.range);
					params = undefined;
					break;
				case 'Array': {
					if (t.kind === 'function') {
						ctx.error(dd.range, `declaration of ${shown} as array of functions`);
						t = pointerTo(t);
					} else if (!isComplete(t)) {
						if (t.kind === 'void') {
							ctx.error(dd.range, `declaration of ${shown} as array of voids`);
						} else {
							ctx.error(dd.range, `array type has incomplete element type '${typeToString(t)}'`);
						}
						t = intType;
					}
					let length: number | undefined;
					if (dd.size) {
						length = arrayLength(ctx, dd.size, name, use === 'param' && isLast, sizeOf(t));
					}
					t = arrayOf(t, length);
					if (use === 'param' && isLast) {
						// Array parameters are pointers; `int a[const 3]` qualifies the pointer.
						t = applyQualifiers(ctx, pointerTo(t.of), dd.qualifiers, dd.range);
					}
					params = undefined;
					break;
				}
				case 'Function': {
					if (t.kind === 'function') {
						ctx.error(dd.range, `${shown} declared as function returning a function`);
						t = intType;
					} else if (t.kind === 'array') {
						ctx.error(dd.range, `${shown} declared as function returning an array`);
						t = intType;
					}
					const fp = functionParams(ctx, dd.params);
					const fnType: FunctionType = {
						kind: 'function',
						returns: unqual(t),
						params: fp.params,
						variadic: dd.variadic,
						unprototyped: dd.unprototyped && dd.params.length === 0,
					};
					t = fnType;
					params = fp.symbols;
					paramDecls = fp.decls;
					if (use === 'param' && isLast) {
						t = pointerTo(t);
					}
					break;
				}
			}
		}
		if (typeNesting(t) > maxTypeNesting) {
			ctx.error(d.range, 'type nested too deeply');
			return { type: intType };
		}
		return { type: t, params, paramDecls };
	} finally {
		ctx.typeDepth--;
	}
}

/** How deeply derived types (pointer, array, function) nest; typedef chains can build deep ones. */
const maxTypeNesting = 1000;
const nestingCache = new WeakMap<CType, number>();

/** Nesting depth of derived types in `t`, memoized so a chain of typedefs costs O(1) per step. */
function typeNesting(t: CType): number {
	if (t.kind !== 'pointer' && t.kind !== 'array' && t.kind !== 'function') {
		return 0;
	}
	const cached = nestingCache.get(t);
	if (cached !== undefined) {
		return cached;
	}
	// Children were measured when they were built (or are shallow), so this recursion is short.
	let depth: number;
	if (t.kind === 'pointer') {
		depth = 1 + typeNesting(t.to);
	} else if (t.kind === 'array') {
		depth = 1 + typeNesting(t.of);
	} else {
		depth = 1 + Math.max(typeNesting(t.returns), ...t.params.map(p => typeNesting(p.type)));
	}
	nestingCache.set(t, depth);
	return depth;
}

function arrayLength(ctx: CheckContext, size: Expr, name: string | undefined, inParam: boolean, elementSize: number): number | undefined {
	const shown = name !== undefined ? `'${name}'` : 'unnamed array';
	// After an error the array gets one element, so later uses do not report it as incomplete.
	const invalid = inParam ? undefined : 1;
	const e = checkExpr(ctx, size);
	if (ctx.isPoisoned(e)) {
		return invalid;
	}
	if (!e.type || e.type.kind !== 'int') {
		ctx.error(size.range, `size of array ${shown} has non-integer type`);
		return invalid;
	}
	if (e.constValue === undefined) {
		if (inParam) {
			return undefined; // `int a[n]` in a parameter list: adjusted to a pointer anyway
		}
		if (ctx.atFileScope) {
			ctx.error(size.range, `variably modified ${shown} at file scope`);
		} else {
			ctx.error(size.range, `variable length array ${shown} is not supported in KC`);
		}
		return invalid;
	}
	const v = e.constValue;
	if (v < 0n) {
		ctx.error(size.range, `size of array ${shown} is negative`);
		return invalid;
	}
	if (v * BigInt(Math.max(elementSize, 1)) > BigInt(maxObjectSize)) {
		ctx.error(size.range, `size of array ${shown} is too large`);
		return invalid;
	}
	return Number(v);
}

function functionParams(
	ctx: CheckContext,
	decls: readonly ParamDecl[],
): { params: Param[]; symbols: VarSymbol[]; decls: { range: SourceRange; named: boolean }[] } {
	const params: Param[] = [];
	const symbols: VarSymbol[] = [];
	const infos: { range: SourceRange; named: boolean }[] = [];
	ctx.pushScope('prototype');
	try {
		for (let i = 0; i < decls.length; i++) {
			const pd = decls[i];
			if (pd.specs.storage && pd.specs.storage !== 'register') {
				ctx.error(pd.specs.range, `storage class specified for parameter '${pd.declarator.name ?? i + 1}'`);
			}
			const base = resolveSpecs(ctx, pd.specs);
			let type = applyDeclarator(ctx, base, pd.declarator, 'param').type;
			// Array and function parameters are pointers, also when the type comes from a typedef.
			if (type.kind === 'array') {
				type = pointerTo(type.of);
			} else if (type.kind === 'function') {
				type = pointerTo(type);
			}
			const name = pd.declarator.name;
			const range = pd.declarator.nameRange ?? pd.range;
			if (type.kind === 'void') {
				if (decls.length === 1 && name === undefined && pd.declarator.derived.length === 0 && !type.const && !type.volatile) {
					// `(void)` should have been given as no parameters; accept it anyway.
					continue;
				}
				ctx.error(range, name !== undefined ? `parameter ${i + 1} ('${name}') has void type` : `'void' must be the only parameter`);
				continue;
			}
			params.push({ name, type });
			const symbol: VarSymbol = {
				kind: 'var',
				name: name ?? '',
				id: newSymbolId(),
				type,
				storage: 'param',
				linkage: 'none',
				addressTaken: type.kind === 'struct',
				isDefinition: true,
				range,
				attributes: normalizeAttributes(ctx, [...pd.specs.attributes, ...pd.declarator.attributes]),
			};
			symbols.push(symbol);
			infos.push({ range, named: name !== undefined });
			if (name !== undefined) {
				if (ctx.scope.ordinary.has(name)) {
					ctx.error(range, `redefinition of parameter '${name}'`);
				} else {
					ctx.scope.ordinary.set(name, { kind: 'symbol', symbol });
				}
			}
			if (pd.specs.storage === 'register') {
				registerVariables.add(symbol);
			}
		}
	} finally {
		ctx.popScope();
	}
	return { params, symbols, decls: infos };
}

/** Variables declared `register`: taking their address is an error. */
export const registerVariables = new WeakSet<VarSymbol>();

/**
 * Copies attributes with their names normalized (`__aligned__` -> `aligned`); undefined if none.
 * Literal arguments (`section("x")`, `aligned(8)`) are typed so the tree has no untyped literal;
 * identifier arguments (`format(printf, 1, 2)`) name no C entity and are left alone.
 */
export function normalizeAttributes(ctx: CheckContext, attributes: readonly Attribute[]): readonly Attribute[] | undefined {
	if (attributes.length === 0) {
		return undefined;
	}
	typeAttributeLiterals(ctx, attributes);
	return attributes.map(a => (attributeName(a) === a.name ? a : { ...a, name: attributeName(a) }));
}

function typeAttributeLiterals(ctx: CheckContext, attributes: readonly Attribute[]): void {
	for (const a of attributes) {
		for (const arg of a.args) {
			if (arg.kind === 'IntLiteral' || arg.kind === 'StringLiteral' || arg.kind === 'CharLiteral' || arg.kind === 'FloatLiteral') {
				checkExpr(ctx, arg);
			}
		}
	}
}

// ---- Constant expressions in declarations ---------------------------------------------------------

/** Checks `e` and returns its value if it is an integer constant expression; reports `message` otherwise. */
export function integerConstant(ctx: CheckContext, e: Expr, message: string): bigint | undefined {
	const checked = checkExpr(ctx, e);
	if (ctx.isPoisoned(checked)) {
		return undefined;
	}
	if (!checked.type || checked.type.kind !== 'int' || checked.constValue === undefined) {
		ctx.error(e.range, message);
		return undefined;
	}
	return checked.constValue;
}

/** `_Static_assert(cond, "message")` at file scope. */
export function checkStaticAssert(ctx: CheckContext, sa: StaticAssert): void {
	if (sa.message) {
		checkExpr(ctx, sa.message);
	}
	const v = integerConstant(ctx, sa.cond, 'expression in static assertion is not an integer constant expression');
	if (v === 0n) {
		const text = sa.message ? `"${new TextDecoder().decode(sa.message.bytes)}"` : '';
		ctx.error(sa.range, `static assertion failed${text ? ': ' + text : ''}`);
	}
}

// ---- Declarations ------------------------------------------------------------------------------------

/** Checks a declaration at file scope, block scope, or in a `for` initializer. */
export function checkDeclaration(ctx: CheckContext, decl: Declaration, where: 'file' | 'block' | 'for'): void {
	const specs = decl.specs;
	const base = resolveSpecs(ctx, specs, decl.declarators.length === 0);
	decl.vars = [];
	if (decl.declarators.length === 0) {
		const declaresTag = specs.typeSpecs.some(ts => (ts.kind === 'StructSpec' && ts.tag !== undefined) || ts.kind === 'EnumSpec' || (ts.kind === 'StructSpec' && ts.members !== undefined));
		if (!declaresTag) {
			ctx.warning(decl.range, 'useless type name in empty declaration');
		}
		return;
	}
	if (where === 'file' && (specs.storage === 'auto' || specs.storage === 'register')) {
		ctx.error(specs.range, `file-scope declaration specifies '${specs.storage}'`);
	}
	for (const id of decl.declarators) {
		const d = id.declarator;
		const name = d.name;
		const result = applyDeclarator(ctx, base, d, 'object');
		const type = result.type;
		const range = d.nameRange ?? d.range;
		if (name === undefined) {
			ctx.error(d.range, 'expected identifier or \'(\'');
			continue;
		}
		const attributes = normalizeAttributes(ctx, [...specs.attributes, ...d.attributes]);
		if (specs.storage === 'typedef') {
			if (id.init) {
				ctx.error(range, `typedef '${name}' is initialized (use __typeof__ instead)`);
			}
			declareTypedef(ctx, name, type, range);
			continue;
		}
		if (type.kind === 'function') {
			if (id.init) {
				ctx.error(range, `function '${name}' is initialized like a variable`);
			}
			if (where === 'for') {
				ctx.error(range, `declaration of non-variable '${name}' in 'for' loop initial declaration`);
			}
			if (where !== 'file' && specs.storage === 'static') {
				ctx.error(range, `invalid storage class for function '${name}'`);
			}
			declareFunction(ctx, name, type, specs, range, attributes);
			continue;
		}
		if (specs.inline) {
			ctx.error(range, `variable '${name}' declared 'inline'`);
		}
		const aligned = attributes && findAttribute(attributes, 'aligned');
		if (aligned) {
			alignmentArgument(ctx, aligned);
		}
		if (where === 'file') {
			declareFileObject(ctx, decl, id, name, type, range, attributes);
		} else {
			declareBlockObject(ctx, decl, id, name, type, range, attributes, where);
		}
	}
}

function previousNote(name: string, symbolRange: SourceRange, type: CType | undefined, definition = false): { message: string; range: SourceRange }[] {
	const what = definition ? 'definition' : 'declaration';
	return [{ message: type ? `previous ${what} of '${name}' with type '${typeToString(type)}'` : `previous ${what} of '${name}' was here`, range: symbolRange }];
}

function declareTypedef(ctx: CheckContext, name: string, type: CType, range: SourceRange): void {
	const existing = ctx.scope.ordinary.get(name);
	if (existing?.kind === 'typedef') {
		if (!compatible(existing.type, type) || !sameQualifiedTypedef(existing.type, type)) {
			ctx.error(range, `conflicting types for '${name}'; have '${typeToString(type)}'`, previousNote(name, existing.range, existing.type));
		}
		return;
	}
	declareOrdinary(ctx, name, { kind: 'typedef', name, type, range }, range);
}

function sameQualifiedTypedef(a: CType, b: CType): boolean {
	return isConstType(a) === isConstType(b);
}

/** Declares (or redeclares) a function with linkage; returns its symbol. */
export function declareFunction(
	ctx: CheckContext,
	name: string,
	type: FunctionType,
	specs: DeclSpecs,
	range: SourceRange,
	attributes: readonly Attribute[] | undefined,
): FuncSymbol {
	const inScope = ctx.scope.ordinary.get(name);
	let prior: VarSymbol | FuncSymbol | undefined = ctx.externals.get(name);
	if (inScope && !(inScope.kind === 'symbol' && inScope.symbol === prior)) {
		// Something without linkage (a local, typedef or enum constant) in the same scope.
		const previous = inScope.kind === 'typedef' ? inScope.range : inScope.symbol.range;
		ctx.error(range, `'${name}' redeclared as different kind of symbol`, previousNote(name, previous, undefined));
		prior = undefined;
	}
	let allAttributes = attributes;
	if (specs.noreturn) {
		allAttributes = [...(attributes ?? []), { name: 'noreturn', args: [], range: specs.range }];
	}
	if (prior && prior.kind === 'var') {
		ctx.error(range, `'${name}' redeclared as different kind of symbol`, previousNote(name, prior.range, prior.type));
		prior = undefined;
	}
	if (prior && prior.kind === 'func') {
		if (!compatible(prior.type, type)) {
			ctx.error(range, `conflicting types for '${name}'; have '${typeToString(type)}'`, previousNote(name, prior.range, prior.type, !!prior.def));
		} else {
			prior.type = composite(prior.type, type) as FunctionType;
		}
		if (specs.storage === 'static' && prior.linkage === 'external') {
			ctx.error(range, `static declaration of '${name}' follows non-static declaration`, previousNote(name, prior.range, prior.type));
		}
		if (allAttributes) {
			const merged = [...(prior.attributes ?? []), ...allAttributes];
			(prior as { attributes?: readonly Attribute[] }).attributes = merged;
		}
		if (!ctx.scope.ordinary.has(name)) {
			ctx.scope.ordinary.set(name, { kind: 'symbol', symbol: prior });
		}
		return prior;
	}
	const symbol: FuncSymbol = {
		kind: 'func',
		name,
		id: newSymbolId(),
		type,
		linkage: specs.storage === 'static' ? 'internal' : 'external',
		range,
		attributes: allAttributes,
	};
	ctx.functions.push(symbol);
	ctx.externals.set(name, symbol);
	if (!ctx.scope.ordinary.has(name)) {
		ctx.scope.ordinary.set(name, { kind: 'symbol', symbol });
	}
	return symbol;
}

function newGlobal(name: string, type: CType, linkage: VarSymbol['linkage'], isDefinition: boolean, range: SourceRange, attributes: readonly Attribute[] | undefined): VarSymbol {
	return { kind: 'var', name, id: newSymbolId(), type, storage: 'global', linkage, addressTaken: false, isDefinition, range, attributes };
}

function declareFileObject(
	ctx: CheckContext,
	decl: Declaration,
	id: Declaration['declarators'][number],
	name: string,
	type: CType,
	range: SourceRange,
	attributes: readonly Attribute[] | undefined,
): void {
	const storage = decl.specs.storage;
	if (type.kind === 'void') {
		ctx.error(range, `variable or field '${name}' declared void`);
		return;
	}
	const inScope = ctx.fileScope.ordinary.get(name);
	const prior = ctx.externals.get(name);
	if (inScope && !(inScope.kind === 'symbol' && inScope.symbol === prior)) {
		const previous = inScope.kind === 'typedef' ? inScope.range : inScope.symbol.range;
		ctx.error(range, `'${name}' redeclared as different kind of symbol`, previousNote(name, previous, undefined));
		return;
	}
	if (prior?.kind === 'func') {
		ctx.error(range, `'${name}' redeclared as different kind of symbol`, previousNote(name, prior.range, prior.type));
		return;
	}
	const isDefinition = storage !== 'extern' || id.init !== undefined;
	if (storage === 'extern' && id.init) {
		ctx.warning(range, `'${name}' initialized and declared 'extern'`);
	}
	let symbol: VarSymbol;
	if (prior) {
		symbol = prior;
		if (!compatible(prior.type, type)) {
			ctx.error(range, `conflicting types for '${name}'; have '${typeToString(type)}'`, previousNote(name, prior.range, prior.type));
			return;
		}
		if (storage === 'static' && prior.linkage !== 'internal') {
			ctx.error(range, `static declaration of '${name}' follows non-static declaration`, previousNote(name, prior.range, prior.type));
		} else if (storage === undefined && prior.linkage === 'internal') {
			ctx.error(range, `non-static declaration of '${name}' follows static declaration`, previousNote(name, prior.range, prior.type));
		}
		if (id.init && prior.init) {
			ctx.error(range, `redefinition of '${name}'`, previousNote(name, prior.range, prior.type, true));
			return;
		}
		prior.type = composite(prior.type, type);
		prior.isDefinition ||= isDefinition;
		if (attributes) {
			(prior as { attributes?: readonly Attribute[] }).attributes = [...(prior.attributes ?? []), ...attributes];
		}
	} else {
		symbol = newGlobal(name, type, storage === 'static' ? 'internal' : 'external', isDefinition, range, attributes);
		ctx.globals.push(symbol);
		ctx.externals.set(name, symbol);
	}
	if (!ctx.fileScope.ordinary.has(name)) {
		ctx.fileScope.ordinary.set(name, { kind: 'symbol', symbol });
	}
	let init;
	if (id.init) {
		const checked = checkInitializer(ctx, symbol.type, id.init, true);
		init = checked.init;
		symbol.type = checked.type;
		symbol.init = init;
	}
	if (isDefinition) {
		decl.vars?.push(init ? { symbol, init } : { symbol });
	}
}

function declareBlockObject(
	ctx: CheckContext,
	decl: Declaration,
	id: Declaration['declarators'][number],
	name: string,
	type: CType,
	range: SourceRange,
	attributes: readonly Attribute[] | undefined,
	where: 'block' | 'for',
): void {
	const storage = decl.specs.storage;
	const fn = ctx.fn;
	if (type.kind === 'void') {
		ctx.error(range, `variable or field '${name}' declared void`);
		return;
	}
	const existing = ctx.scope.ordinary.get(name);
	if (storage === 'extern') {
		if (id.init) {
			ctx.error(range, `'${name}' has both 'extern' and initializer`);
		}
		let prior = ctx.externals.get(name);
		if (existing && !(existing.kind === 'symbol' && existing.symbol === prior)) {
			const previous = existing.kind === 'typedef' ? existing.range : existing.symbol.range;
			ctx.error(range, `extern declaration of '${name}' follows declaration with no linkage`, previousNote(name, previous, undefined));
			return;
		}
		if (prior?.kind === 'func') {
			ctx.error(range, `'${name}' redeclared as different kind of symbol`, previousNote(name, prior.range, prior.type));
			return;
		}
		if (prior) {
			if (!compatible(prior.type, type)) {
				ctx.error(range, `conflicting types for '${name}'; have '${typeToString(type)}'`, previousNote(name, prior.range, prior.type));
				return;
			}
			prior.type = composite(prior.type, type);
		} else {
			prior = newGlobal(name, type, 'external', false, range, attributes);
			ctx.globals.push(prior);
			ctx.externals.set(name, prior);
		}
		ctx.scope.ordinary.set(name, { kind: 'symbol', symbol: prior });
		return;
	}
	if (existing) {
		const previous = existing.kind === 'typedef' ? existing.range : existing.symbol.range;
		if (existing.kind === 'symbol' && existing.symbol.kind === 'var' && existing.symbol.storage !== 'param') {
			ctx.error(range, `redeclaration of '${name}' with no linkage`, previousNote(name, previous, existing.symbol.type));
		} else {
			const previousType = existing.kind === 'symbol' && existing.symbol.kind !== 'enumconst' ? existing.symbol.type : undefined;
			ctx.error(range, `'${name}' redeclared as different kind of symbol`, previousNote(name, previous, previousType, true));
		}
		return;
	}
	if (where === 'for' && (storage === 'static' || storage === 'typedef')) {
		ctx.error(range, `declaration of static variable '${name}' in 'for' loop initial declaration`);
	}
	const isStatic = storage === 'static';
	const symbol: VarSymbol = isStatic
		? newGlobal(name, type, 'none', true, range, attributes)
		: {
				kind: 'var',
				name,
				id: newSymbolId(),
				type,
				storage: 'local',
				linkage: 'none',
				addressTaken: type.kind === 'struct' || type.kind === 'array',
				isDefinition: true,
				range,
				attributes,
			};
	if (storage === 'register') {
		registerVariables.add(symbol);
	}
	if (isStatic) {
		ctx.globals.push(symbol);
	}
	fn?.locals.push(symbol);
	ctx.scope.ordinary.set(name, { kind: 'symbol', symbol });
	if (!isComplete(type) && !(type.kind === 'array' && type.length === undefined && id.init)) {
		ctx.error(range, `storage size of '${name}' isn't known`);
		return;
	}
	let init;
	if (id.init) {
		const checked = checkInitializer(ctx, type, id.init, isStatic);
		init = checked.init;
		symbol.type = checked.type;
		if (isStatic) {
			symbol.init = init;
		}
	}
	decl.vars?.push(init ? { symbol, init } : { symbol });
}

/** After the last declaration: complete tentative definitions, reject objects of incomplete type. */
export function finishUnit(ctx: CheckContext): void {
	for (const g of ctx.globals) {
		if (!g.isDefinition || g.init || g.linkage === 'none') {
			continue;
		}
		if (g.type.kind === 'array' && g.type.length === undefined) {
			ctx.warning(g.range, `array '${g.name}' assumed to have one element`);
			g.type = arrayOf(g.type.of, 1);
		} else if (!isComplete(g.type)) {
			ctx.error(g.range, `storage size of '${g.name}' isn't known`);
		}
	}
}
