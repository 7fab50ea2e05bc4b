// The C type system of KC with x86-64 LP64 sizes and alignments (layer: lang).
//
// Types are plain immutable objects except StructType, which is completed in place when its
// definition is seen (C allows `struct s *p;` before `struct s { ... }`). Qualifiers are carried on
// the type object (`const`, `volatile`); `unqualified(t)` strips them. Compare types with
// `sameType`, never with `===` (qualified copies and distinct-but-identical pointer types exist).

/** Integer kinds by C name. `_Bool` is an integer type of size 1 whose values are 0 and 1. */
export type IntName =
	| '_Bool'
	| 'char'
	| 'signed char'
	| 'unsigned char'
	| 'short'
	| 'unsigned short'
	| 'int'
	| 'unsigned int'
	| 'long'
	| 'unsigned long'
	| 'long long'
	| 'unsigned long long';

interface Qualified {
	readonly const?: boolean;
	readonly volatile?: boolean;
}

export interface VoidType extends Qualified {
	readonly kind: 'void';
}

export interface IntType extends Qualified {
	readonly kind: 'int';
	readonly name: IntName;
	readonly size: 1 | 2 | 4 | 8;
	readonly signed: boolean;
	/** Integer conversion rank (C11 6.3.1.1): _Bool 1, char 2, short 3, int 4, long 5, long long 6. */
	readonly rank: number;
	/** Set for enum types, which are `unsigned int` or `int` underneath, for display. */
	readonly enumTag?: string;
}

export interface FloatType extends Qualified {
	readonly kind: 'float';
	readonly name: 'float' | 'double' | 'long double';
	/** 4, 8 or 16. `long double` is stored as a double in the low 8 bytes of its 16-byte slot. */
	readonly size: 4 | 8 | 16;
}

export interface PointerType extends Qualified {
	readonly kind: 'pointer';
	readonly to: CType;
	/** `restrict` is accepted and recorded; it has no effect on execution. */
	readonly restrict?: boolean;
}

export interface ArrayType extends Qualified {
	readonly kind: 'array';
	readonly of: CType;
	/** Number of elements; undefined for incomplete arrays (`int a[]`, flexible array members). */
	readonly length?: number;
}

export interface Param {
	readonly name?: string;
	readonly type: CType;
}

export interface FunctionType extends Qualified {
	readonly kind: 'function';
	readonly returns: CType;
	readonly params: readonly Param[];
	readonly variadic: boolean;
	/** `int f()` in C99 means "unspecified parameters": calls are not checked against params. */
	readonly unprototyped: boolean;
}

/** A struct or union member. Anonymous struct/union members have no name and are searched through. */
export interface Field {
	readonly name?: string;
	readonly type: CType;
	/** Byte offset of the field (of the storage unit holding it, for bit-fields). */
	readonly offset: number;
	/** Bit-fields only: bit position within the storage unit starting at `offset`, and width. */
	readonly bitOffset?: number;
	readonly bitWidth?: number;
}

/**
 * A struct or union. Identity matters: two `struct s` declarations in the same scope are the same
 * object. `complete` turns true when the member list is known, and then `fields`, `size` and
 * `align` are final.
 */
export interface StructType extends Qualified {
	readonly kind: 'struct';
	readonly isUnion: boolean;
	readonly tag?: string;
	/** Unique per struct definition, for identity across qualified copies. */
	readonly id: number;
	complete: boolean;
	fields: Field[];
	size: number;
	align: number;
	/** Set by `__attribute__((packed))`. */
	packed?: boolean;
}

export type CType = VoidType | IntType | FloatType | PointerType | ArrayType | FunctionType | StructType;

// ---- Canonical instances -------------------------------------------------------------------------

function int(name: IntName, size: 1 | 2 | 4 | 8, signed: boolean, rank: number): IntType {
	return { kind: 'int', name, size, signed, rank };
}

export const voidType: VoidType = { kind: 'void' };
export const boolType = int('_Bool', 1, false, 1);
/** Plain `char` is signed on x86-64, as with gcc. */
export const charType = int('char', 1, true, 2);
export const scharType = int('signed char', 1, true, 2);
export const ucharType = int('unsigned char', 1, false, 2);
export const shortType = int('short', 2, true, 3);
export const ushortType = int('unsigned short', 2, false, 3);
export const intType = int('int', 4, true, 4);
export const uintType = int('unsigned int', 4, false, 4);
export const longType = int('long', 8, true, 5);
export const ulongType = int('unsigned long', 8, false, 5);
export const llongType = int('long long', 8, true, 6);
export const ullongType = int('unsigned long long', 8, false, 6);
export const floatType: FloatType = { kind: 'float', name: 'float', size: 4 };
export const doubleType: FloatType = { kind: 'float', name: 'double', size: 8 };
export const longDoubleType: FloatType = { kind: 'float', name: 'long double', size: 16 };

/** `size_t`, `ptrdiff_t` and `intptr_t` as on x86-64 Linux. */
export const sizeType = ulongType;
export const ptrdiffType = longType;

export const intTypesByName: Readonly<Record<IntName, IntType>> = {
	'_Bool': boolType,
	'char': charType,
	'signed char': scharType,
	'unsigned char': ucharType,
	'short': shortType,
	'unsigned short': ushortType,
	'int': intType,
	'unsigned int': uintType,
	'long': longType,
	'unsigned long': ulongType,
	'long long': llongType,
	'unsigned long long': ullongType,
};

let nextStructId = 1;

/** Creates an incomplete struct or union; complete it with `layoutStruct`. */
export function newStruct(isUnion: boolean, tag?: string): StructType {
	return { kind: 'struct', isUnion, tag, id: nextStructId++, complete: false, fields: [], size: 0, align: 1 };
}

export function pointerTo(to: CType): PointerType {
	return { kind: 'pointer', to };
}

export function arrayOf(of: CType, length?: number): ArrayType {
	return { kind: 'array', of, length };
}

// ---- Queries -------------------------------------------------------------------------------------

export function unqualified<T extends CType>(t: T): T {
	if (t.kind === 'struct') {
		// Structs are identified by object: keep a live link to the original so completion is seen.
		return t;
	}
	if (!t.const && !t.volatile && !(t.kind === 'pointer' && t.restrict)) {
		return t;
	}
	const copy: Record<string, unknown> = { ...t };
	delete copy.const;
	delete copy.volatile;
	delete copy.restrict;
	return copy as unknown as T;
}

export function qualified<T extends CType>(t: T, q: { const?: boolean; volatile?: boolean }): T {
	if ((!q.const || t.const) && (!q.volatile || t.volatile)) {
		return t;
	}
	if (t.kind === 'struct') {
		// Qualifiers on struct objects are tracked by the checker on the lvalue, not on the type object.
		return t;
	}
	return { ...t, const: t.const || q.const || undefined, volatile: t.volatile || q.volatile || undefined };
}

export function isInteger(t: CType): t is IntType {
	return t.kind === 'int';
}
export function isFloating(t: CType): t is FloatType {
	return t.kind === 'float';
}
export function isArithmetic(t: CType): t is IntType | FloatType {
	return t.kind === 'int' || t.kind === 'float';
}
export function isScalar(t: CType): boolean {
	return t.kind === 'int' || t.kind === 'float' || t.kind === 'pointer';
}
export function isPointer(t: CType): t is PointerType {
	return t.kind === 'pointer';
}
/** Complete object type: has a known size (not void, not a function, not an incomplete array/struct). */
export function isComplete(t: CType): boolean {
	switch (t.kind) {
		case 'void':
		case 'function':
			return false;
		case 'array':
			return t.length !== undefined && isComplete(t.of);
		case 'struct':
			return t.complete;
		default:
			return true;
	}
}

/** `sizeof`. Incomplete types, void and functions have size 1 here (gcc's extension for `void *` arithmetic). */
export function sizeOf(t: CType): number {
	switch (t.kind) {
		case 'void':
		case 'function':
			return 1;
		case 'int':
			return t.size;
		case 'float':
			return t.size;
		case 'pointer':
			return 8;
		case 'array':
			return (t.length ?? 0) * sizeOf(t.of);
		case 'struct':
			return t.size;
	}
}

export function alignOf(t: CType): number {
	switch (t.kind) {
		case 'void':
		case 'function':
			return 1;
		case 'int':
			return t.size;
		case 'float':
			return t.size;
		case 'pointer':
			return 8;
		case 'array':
			return alignOf(t.of);
		case 'struct':
			return t.align;
	}
}

/** Type identity, ignoring top-level qualifiers when `ignoreQualifiers` is set. */
export function sameType(a: CType, b: CType, ignoreQualifiers = false): boolean {
	if (!ignoreQualifiers && (!!a.const !== !!b.const || !!a.volatile !== !!b.volatile)) {
		return false;
	}
	if (a.kind !== b.kind) {
		return false;
	}
	switch (a.kind) {
		case 'void':
			return true;
		case 'int':
			return a.name === (b as IntType).name && a.enumTag === (b as IntType).enumTag;
		case 'float':
			return a.name === (b as FloatType).name;
		case 'pointer':
			return sameType(a.to, (b as PointerType).to);
		case 'array': {
			const bb = b as ArrayType;
			return (a.length === undefined || bb.length === undefined || a.length === bb.length) && sameType(a.of, bb.of);
		}
		case 'struct':
			return a.id === (b as StructType).id;
		case 'function': {
			const bf = b as FunctionType;
			if (!sameType(a.returns, bf.returns)) {
				return false;
			}
			if (a.unprototyped || bf.unprototyped) {
				return true;
			}
			return (
				a.variadic === bf.variadic &&
				a.params.length === bf.params.length &&
				a.params.every((p, i) => sameType(p.type, bf.params[i].type, true))
			);
		}
	}
}

/** Integer promotion (C11 6.3.1.1p2): types of rank below int become int (all their values fit). */
export function promote(t: IntType): IntType {
	return t.rank < intType.rank ? intType : unqualified(t);
}

/** Usual arithmetic conversions (C11 6.3.1.8) for two arithmetic operand types. */
export function usualArithmetic(a: IntType | FloatType, b: IntType | FloatType): IntType | FloatType {
	if (a.kind === 'float' || b.kind === 'float') {
		const fa = a.kind === 'float' ? a.size : 0;
		const fb = b.kind === 'float' ? b.size : 0;
		const size = Math.max(fa, fb);
		return size === 16 ? longDoubleType : size === 8 ? doubleType : floatType;
	}
	const pa = promote(a);
	const pb = promote(b);
	if (pa.name === pb.name) {
		return pa;
	}
	if (pa.signed === pb.signed) {
		return pa.rank >= pb.rank ? pa : pb;
	}
	const [u, s] = pa.signed ? [pb, pa] : [pa, pb];
	if (u.rank >= s.rank) {
		return u;
	}
	if (s.size > u.size) {
		return s;
	}
	return unsignedOf(s);
}

export function unsignedOf(t: IntType): IntType {
	switch (t.name) {
		case 'char':
		case 'signed char':
			return ucharType;
		case 'short':
			return ushortType;
		case 'int':
			return uintType;
		case 'long':
			return ulongType;
		case 'long long':
			return ullongType;
		default:
			return t;
	}
}

/** Minimum and maximum value of an integer type, as bigints. */
export function intRange(t: IntType): { min: bigint; max: bigint } {
	if (t.name === '_Bool') {
		return { min: 0n, max: 1n };
	}
	const bits = BigInt(t.size * 8);
	return t.signed ? { min: -(1n << (bits - 1n)), max: (1n << (bits - 1n)) - 1n } : { min: 0n, max: (1n << bits) - 1n };
}

/** Wraps a mathematical integer into `t` (two's complement), as a conversion to `t` does. */
export function wrapInt(t: IntType, v: bigint): bigint {
	if (t.name === '_Bool') {
		return v === 0n ? 0n : 1n;
	}
	const bits = t.size * 8;
	return t.signed ? BigInt.asIntN(bits, v) : BigInt.asUintN(bits, v);
}

/** A description in C syntax, for diagnostics and debugger displays: `struct page *`, `int [4]`. */
export function typeToString(t: CType, inner = ''): string {
	const q = (t.const ? 'const ' : '') + (t.volatile ? 'volatile ' : '');
	switch (t.kind) {
		case 'void':
			return join(q + 'void', inner);
		case 'int':
			return join(q + (t.enumTag !== undefined ? `enum ${t.enumTag}` : t.name), inner);
		case 'float':
			return join(q + t.name, inner);
		case 'struct':
			return join(q + (t.isUnion ? 'union ' : 'struct ') + (t.tag ?? '<anonymous>'), inner);
		case 'pointer': {
			const pq = (t.const ? ' const' : '') + (t.volatile ? ' volatile' : '');
			const target = t.to.kind === 'array' || t.to.kind === 'function' ? `(*${pq}${inner})` : `*${pq}${inner}`;
			return typeToString({ ...t.to, const: t.to.const, volatile: t.to.volatile } as CType, target);
		}
		case 'array':
			return typeToString(t.of, `${inner}[${t.length ?? ''}]`);
		case 'function': {
			const params = t.unprototyped
				? ''
				: t.params.length === 0 && !t.variadic
					? 'void'
					: t.params.map(p => typeToString(p.type)).join(', ') + (t.variadic ? ', ...' : '');
			return typeToString(t.returns, `${inner}(${params})`);
		}
	}
}

function join(base: string, inner: string): string {
	if (inner === '') {
		return base;
	}
	return inner.startsWith('[') || inner.startsWith('(') ? base + ' ' + inner : base + ' ' + inner;
}

// ---- Struct layout ---------------------------------------------------------------------------------

/**
 * A member as declared, before layout. `bitWidth` is set for bit-fields (0 forces alignment).
 * `alignAttribute` is `__attribute__((aligned(N)))` on the member (raises its alignment, even in a
 * packed struct); `packedAttribute` is `__attribute__((packed))` on the member (drops it to 1).
 */
export interface MemberDecl {
	readonly name?: string;
	readonly type: CType;
	readonly bitWidth?: number;
	readonly alignAttribute?: number;
	readonly packedAttribute?: boolean;
}

/**
 * Lays out a struct or union as gcc does on x86-64 (System V ABI): each member at the next offset
 * aligned to its type; bit-fields packed into storage units of their declared type, never straddling
 * a unit boundary of that type; a zero-width bit-field aligns the next member to its type; unnamed
 * bit-fields do not affect the struct's alignment; size rounded up to the largest alignment. A
 * flexible array member (last, incomplete array) takes no space. `packed` (on the struct) and the
 * per-member attributes change alignments as gcc's do. Completes `s` in place.
 */
export function layoutStruct(s: StructType, members: readonly MemberDecl[], packed = false): void {
	const fields: Field[] = [];
	let align = 1;
	let bitPos = 0; // current position in bits from the start of the struct (structs only)
	let size = 0; // unions: the largest member
	for (const m of members) {
		const packedMember = packed || m.packedAttribute === true;
		const natural = packedMember ? 1 : alignOf(m.type);
		const mAlign = m.alignAttribute !== undefined ? Math.max(natural, m.alignAttribute) : natural;
		const mSize = sizeOf(m.type);
		if (m.bitWidth !== undefined) {
			const unitBits = mSize * 8;
			if (s.isUnion) {
				if (m.name !== undefined) {
					fields.push({ name: m.name, type: m.type, offset: 0, bitOffset: 0, bitWidth: m.bitWidth });
					align = Math.max(align, mAlign);
				}
				size = Math.max(size, Math.ceil(m.bitWidth / 8));
				continue;
			}
			if (m.alignAttribute !== undefined) {
				bitPos = Math.ceil(bitPos / (m.alignAttribute * 8)) * m.alignAttribute * 8;
			}
			if (m.bitWidth === 0) {
				bitPos = Math.ceil(bitPos / (mAlign * 8)) * mAlign * 8;
				continue;
			}
			// Start a new storage unit if the field would straddle a boundary of its type's alignment.
			if (!packedMember && Math.floor(bitPos / unitBits) !== Math.floor((bitPos + m.bitWidth - 1) / unitBits)) {
				bitPos = Math.ceil(bitPos / unitBits) * unitBits;
			}
			const unitStart = packedMember ? Math.floor(bitPos / 8) : Math.floor(bitPos / unitBits) * mSize;
			if (m.name !== undefined) {
				fields.push({ name: m.name, type: m.type, offset: unitStart, bitOffset: bitPos - unitStart * 8, bitWidth: m.bitWidth });
				align = Math.max(align, mAlign);
			}
			bitPos += m.bitWidth;
			continue;
		}
		if (s.isUnion) {
			fields.push({ name: m.name, type: m.type, offset: 0 });
			size = Math.max(size, mSize);
			align = Math.max(align, mAlign);
			continue;
		}
		const byte = Math.ceil(bitPos / 8);
		const offset = Math.ceil(byte / mAlign) * mAlign;
		fields.push({ name: m.name, type: m.type, offset });
		align = Math.max(align, mAlign);
		bitPos = (offset + mSize) * 8;
	}
	const rawSize = s.isUnion ? size : Math.ceil(bitPos / 8);
	s.fields = fields;
	s.align = align;
	s.size = Math.ceil(rawSize / align) * align;
	s.packed = packed || undefined;
	s.complete = true;
}

/**
 * Finds a member by name, searching through anonymous struct/union members. Returns the path of
 * fields from `s` to the member (the last element is the member) with the total byte offset.
 */
export function findField(s: StructType, name: string): { field: Field; offset: number } | undefined {
	for (const f of s.fields) {
		if (f.name === name) {
			return { field: f, offset: f.offset };
		}
		if (f.name === undefined && f.type.kind === 'struct') {
			const inner = findField(f.type, name);
			if (inner) {
				return { field: inner.field, offset: f.offset + inner.offset };
			}
		}
	}
	return undefined;
}
