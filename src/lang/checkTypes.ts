// Type relations the KC checker needs beyond `types.ts`: qualified struct views, compatibility and
// composite types (C11 6.2.7), null pointer constants, and which CastKind converts one type to
// another (layer: lang).
//
// Qualified structs: `types.ts` keeps struct identity by object, so `qualified()` cannot mark a
// struct const. The checker instead makes a *view*: an object whose every StructType property is a
// live getter onto the original (so later completion shows through, and `{ ...view }` copies the
// current fields) plus its own `const`/`volatile`. `structBase` maps a view back to the original.

import type { CastKind, Expr } from './ast';
import {
	type CType,
	type FloatType,
	type FunctionType,
	type IntType,
	type PointerType,
	type StructType,
	doubleType,
	intType,
	qualified,
	unqualified,
} from './types';

const structProperties = ['kind', 'isUnion', 'tag', 'id', 'complete', 'fields', 'size', 'align', 'packed'] as const;
const viewBases = new WeakMap<object, StructType>();
const viewCache = new WeakMap<StructType, Map<string, StructType>>();

/** The original (unqualified) struct object behind a qualified view, or `s` itself. */
export function structBase(s: StructType): StructType {
	return viewBases.get(s) ?? s;
}

function structView(base: StructType, isConst: boolean, isVolatile: boolean): StructType {
	if (!isConst && !isVolatile) {
		return base;
	}
	const key = (isConst ? 'c' : '') + (isVolatile ? 'v' : '');
	let cache = viewCache.get(base);
	if (!cache) {
		cache = new Map();
		viewCache.set(base, cache);
	}
	const cached = cache.get(key);
	if (cached) {
		return cached;
	}
	const view: Record<string, unknown> = {};
	const target = base as unknown as Record<string, unknown>;
	for (const property of structProperties) {
		Object.defineProperty(view, property, {
			enumerable: true,
			get: () => target[property],
			set: (value: unknown) => {
				target[property] = value;
			},
		});
	}
	if (isConst) {
		view.const = true;
	}
	if (isVolatile) {
		view.volatile = true;
	}
	const result = view as unknown as StructType;
	viewBases.set(result, base);
	cache.set(key, result);
	return result;
}

/**
 * Adds qualifiers to a type. Structs get a qualified view; arrays pass qualifiers to their element
 * type (C11 6.7.3p9); functions ignore them.
 */
export function qualify<T extends CType>(t: T, q: { const?: boolean; volatile?: boolean; restrict?: boolean }): T {
	switch (t.kind) {
		case 'struct':
			return structView(structBase(t), !!(t.const || q.const), !!(t.volatile || q.volatile)) as T;
		case 'array':
			if (!q.const && !q.volatile) {
				return t;
			}
			return { ...t, of: qualify(t.of, q) } as T;
		case 'function':
			return t;
		case 'pointer': {
			const withCv = qualified(t, q);
			return (q.restrict && !(withCv as PointerType).restrict ? { ...withCv, restrict: true } : withCv) as T;
		}
		default:
			return qualified(t, q);
	}
}

/** Strips top-level qualifiers, including a struct view's. */
export function unqual<T extends CType>(t: T): T {
	if (t.kind === 'struct') {
		return structBase(t) as T;
	}
	return unqualified(t);
}

/** True if the type is const at top level, or an array whose elements are. */
export function isConstType(t: CType): boolean {
	if (t.kind === 'array') {
		return isConstType(t.of);
	}
	return !!t.const;
}

/** True if a struct or union has a const member somewhere inside (so it cannot be assigned as a whole). */
export function hasConstMember(s: StructType, depth = 0): boolean {
	if (depth > 64) {
		return false;
	}
	for (const f of structBase(s).fields) {
		if (isConstType(f.type)) {
			return true;
		}
		let inner = f.type;
		while (inner.kind === 'array') {
			inner = inner.of;
		}
		if (inner.kind === 'struct' && hasConstMember(inner, depth + 1)) {
			return true;
		}
	}
	return false;
}

/** A pointer to (possibly qualified) void. */
export function isVoidPointer(t: CType): t is PointerType {
	return t.kind === 'pointer' && t.to.kind === 'void';
}

/** Same integer representation (enum types match their underlying type). */
function sameIntRepresentation(a: IntType, b: IntType): boolean {
	return a.name === b.name;
}

/**
 * C11 6.2.7 compatibility. Qualifiers must match except at the top level when `ignoreTopQualifiers`
 * is set. An enum is compatible with its underlying integer type, as gcc treats it.
 */
export function compatible(a: CType, b: CType, ignoreTopQualifiers = false, depth = 0): boolean {
	if (depth > 200) {
		return false;
	}
	if (!ignoreTopQualifiers && (!!a.const !== !!b.const || !!a.volatile !== !!b.volatile)) {
		return false;
	}
	if (a.kind !== b.kind) {
		return false;
	}
	switch (a.kind) {
		case 'void':
			return true;
		case 'int': {
			const bb = b as IntType;
			if (a.enumTag !== undefined && bb.enumTag !== undefined) {
				return a.enumTag === bb.enumTag && sameIntRepresentation(a, bb);
			}
			return sameIntRepresentation(a, bb);
		}
		case 'float':
			return a.name === (b as FloatType).name;
		case 'pointer':
			return compatible(a.to, (b as PointerType).to, false, depth + 1);
		case 'array': {
			const bb = b as typeof a;
			if (a.length !== undefined && bb.length !== undefined && a.length !== bb.length) {
				return false;
			}
			return compatible(a.of, bb.of, false, depth + 1);
		}
		case 'struct':
			return structBase(a).id === structBase(b as StructType).id;
		case 'function': {
			const bf = b as FunctionType;
			if (!compatible(a.returns, bf.returns, false, depth + 1)) {
				return false;
			}
			if (a.unprototyped && bf.unprototyped) {
				return true;
			}
			if (a.unprototyped || bf.unprototyped) {
				// A prototype matches an empty parameter list only if no parameter type changes
				// under the default argument promotions and it is not variadic (C11 6.7.6.3p15).
				const proto = a.unprototyped ? bf : a;
				return !proto.variadic && proto.params.every(p => {
					const t = unqual(p.type);
					return compatible(defaultPromotedType(t), t, true, depth + 1);
				});
			}
			return (
				a.variadic === bf.variadic &&
				a.params.length === bf.params.length &&
				a.params.every((p, i) => compatible(unqual(p.type), unqual(bf.params[i].type), true, depth + 1))
			);
		}
	}
}

/** The composite type of two compatible types (C11 6.2.7p3): known array lengths and prototypes win. */
export function composite(a: CType, b: CType, depth = 0): CType {
	if (depth > 200) {
		return a;
	}
	if (a.kind === 'array' && b.kind === 'array') {
		const length = a.length ?? b.length;
		const of = composite(a.of, b.of, depth + 1);
		return { ...a, of, length };
	}
	if (a.kind === 'pointer' && b.kind === 'pointer') {
		return { ...a, to: composite(a.to, b.to, depth + 1) };
	}
	if (a.kind === 'function' && b.kind === 'function') {
		if (a.unprototyped && !b.unprototyped) {
			return { ...b, returns: composite(a.returns, b.returns, depth + 1) };
		}
		if (!a.unprototyped && !b.unprototyped) {
			return {
				...a,
				returns: composite(a.returns, b.returns, depth + 1),
				params: a.params.map((p, i) => ({ name: p.name ?? b.params[i]?.name, type: composite(p.type, b.params[i]?.type ?? p.type, depth + 1) })),
			};
		}
	}
	return a;
}

/** Default argument promotions on a type (C11 6.5.2.2p6): small integers to int, float to double. */
export function defaultPromotedType(t: CType): CType {
	if (t.kind === 'int') {
		return t.rank < intType.rank ? intType : t;
	}
	if (t.kind === 'float' && t.name === 'float') {
		return doubleType;
	}
	return t;
}

/**
 * A null pointer constant (C11 6.3.2.3p3): an integer constant expression with value 0, or one
 * cast to `void *`.
 */
export function isNullPointerConstant(e: Expr): boolean {
	const t = e.type;
	if (!t) {
		return false;
	}
	if (t.kind === 'int') {
		return e.constValue === 0n;
	}
	if (isVoidPointer(t) && !t.to.const && !t.to.volatile && (e.kind === 'Cast' || e.kind === 'ImplicitCast')) {
		return isNullPointerConstant(e.operand);
	}
	return false;
}

/**
 * The CastKind that converts a value of scalar type `from` to `to` (both unqualified), or
 * undefined when no scalar conversion exists (struct, array, function, void source).
 */
export function scalarCastKind(from: CType, to: CType): CastKind | undefined {
	if (to.kind === 'void') {
		return 'ToVoid';
	}
	if (to.kind === 'int') {
		const toBool = to.name === '_Bool';
		switch (from.kind) {
			case 'int':
				return toBool ? (from.name === '_Bool' ? 'NoOp' : 'IntegralToBoolean') : from.name === to.name ? 'NoOp' : 'IntegralCast';
			case 'float':
				return toBool ? 'FloatingToBoolean' : 'FloatingToIntegral';
			case 'pointer':
				return toBool ? 'PointerToBoolean' : 'PointerToIntegral';
			default:
				return undefined;
		}
	}
	if (to.kind === 'float') {
		switch (from.kind) {
			case 'int':
				return 'IntegralToFloating';
			case 'float':
				return from.name === to.name ? 'NoOp' : 'FloatingCast';
			default:
				return undefined;
		}
	}
	if (to.kind === 'pointer') {
		switch (from.kind) {
			case 'int':
				return 'IntegralToPointer';
			case 'pointer':
				// Adding or dropping target qualifiers (`int *` -> `const int *`) changes nothing.
				return compatible(unqual(from.to), unqual(to.to), true) ? 'NoOp' : 'BitCast';
			default:
				return undefined;
		}
	}
	return undefined;
}

/** `const` / `volatile` of a pointer's target that `to` lacks, for "discards qualifier" warnings. */
export function discardedQualifiers(from: PointerType, to: PointerType): string[] {
	const lost: string[] = [];
	if (from.to.const && !to.to.const) {
		lost.push('const');
	}
	if (from.to.volatile && !to.to.volatile) {
		lost.push('volatile');
	}
	return lost;
}

/** Pointer to the element type with the union of the target qualifiers of `a` and `b`. */
export function mergePointerQualifiers(target: CType, a: PointerType, b: PointerType): CType {
	return qualify(target, { const: !!(a.to.const || b.to.const), volatile: !!(a.to.volatile || b.to.volatile) });
}
