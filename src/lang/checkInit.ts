// Initializers for the KC checker (layer: lang): flattens an initializer against the object's type
// into a CheckedInit (C11 6.7.9): brace elision, designators (fields, indices, GNU ranges) with
// later items overriding earlier ones, string literals for character arrays, struct copies, and
// the "initializer element is not constant" rule for objects with static storage duration.
//
// Model: a braced list walks its object with a stack of frames (one per aggregate entered, the
// first being the list's own object). Positional items go to the next subobject, popping
// exhausted frames; a designator restarts from the list's own frame. An expression meeting an
// aggregate that it cannot initialize as a whole enters it (brace elision) and initializes its
// first scalar.

import type { CheckedInit, CheckedInitItem, Designator, Expr, InitList, Initializer, StringLiteral } from './ast';
import type { CheckContext } from './checkContext';
import { assignConvert, checkExpr, literalCharType, rvalue } from './checkExpr';
import { structBase, unqual } from './checkTypes';
import {
	type ArrayType,
	type CType,
	type Field,
	type StructType,
	arrayOf,
	isComplete,
	sizeOf,
	typeToString,
} from './types';

/** The checked initializer, and the object's type completed by it (`int a[] = {1, 2}` -> `int [2]`). */
export interface InitResult {
	readonly init: CheckedInit;
	readonly type: CType;
}

/** Checks `init` for an object of type `type`; `isStatic` demands constant elements. */
export function checkInitializer(ctx: CheckContext, type: CType, init: Initializer, isStatic: boolean): InitResult {
	const builder = new InitBuilder(ctx, isStatic);
	if (init.kind !== 'InitList') {
		const e = checkExpr(ctx, init);
		if (type.kind === 'array') {
			const length = builder.stringInto(type, e, 0);
			if (length === undefined) {
				if (!ctx.isPoisoned(e)) {
					ctx.error(init.range, type.of.kind === 'int' && e.kind !== 'StringLiteral' ? 'invalid initializer' : 'array must be initialized with a brace-enclosed initializer');
				}
				return { init: { kind: 'list', size: sizeOf(type), items: [] }, type };
			}
			const completed = type.length === undefined ? arrayOf(type.of, length) : type;
			return { init: { kind: 'list', size: sizeOf(completed), items: builder.items }, type: completed };
		}
		return { init: { kind: 'expr', expr: builder.scalarOrStruct(type, e) }, type };
	}
	if (type.kind !== 'array' && type.kind !== 'struct') {
		builder.scalarList(type, init, 0, undefined);
		const only = builder.items.length === 1 && 'expr' in builder.items[0] ? builder.items[0] : undefined;
		if (only && 'expr' in only && only.offset === 0 && !only.bitField) {
			return { init: { kind: 'expr', expr: only.expr }, type };
		}
		return { init: { kind: 'list', size: sizeOf(type), items: builder.items }, type };
	}
	if (!isComplete(type) && !(type.kind === 'array' && type.length === undefined)) {
		ctx.error(init.range, `variable-sized object or incomplete type '${typeToString(unqual(type))}' may not be initialized`);
		return { init: { kind: 'list', size: 0, items: [] }, type };
	}
	const length = builder.list(type, init, 0);
	const completed = type.kind === 'array' && type.length === undefined ? arrayOf(type.of, length) : type;
	return { init: { kind: 'list', size: sizeOf(completed), items: builder.items }, type: completed };
}

/** One aggregate being walked: `index` is the next subobject; `seen` the highest index initialized. */
interface Frame {
	readonly type: ArrayType | StructType;
	readonly offset: number;
	index: number;
	readonly count: number;
	seen: number;
}

interface Child {
	readonly type: CType;
	readonly offset: number;
	readonly field?: Field;
}

/** Whether a string literal can initialize an array of `t` (its character type has the literal's unit size). */
function isCharLike(t: CType, literal: StringLiteral): boolean {
	return t.kind === 'int' && t.size === literalCharType(literal.wide, literal.text).size;
}

/** Collects items for one object; shared by every brace level of its initializer. */
class InitBuilder {
	readonly items: CheckedInitItem[] = [];
	/** End of the furthest byte written so far, to skip overlap scans in the common increasing case. */
	private maxEnd = 0;

	constructor(
		private readonly ctx: CheckContext,
		private readonly isStatic: boolean,
	) {}

	private push(item: CheckedInitItem, size: number): void {
		this.items.push(item);
		this.maxEnd = Math.max(this.maxEnd, item.offset + size);
	}

	/** Zero-fills a subobject about to be re-initialized as a whole, if earlier items wrote inside it. */
	private clear(offset: number, size: number): void {
		if (size <= 0 || offset >= this.maxEnd) {
			return;
		}
		const overlaps = this.items.some(item => {
			const itemSize = 'bytes' in item ? item.bytes.length : sizeOf(item.type);
			return item.offset < offset + size && item.offset + itemSize > offset;
		});
		if (overlaps) {
			this.push({ offset, bytes: new Uint8Array(size) }, size);
		}
	}

	/**
	 * Stores a string literal into a character array at `offset`; returns the array length used
	 * (the literal's length plus NUL for an incomplete array), or undefined when `e` is not a
	 * string literal suitable for this array.
	 */
	stringInto(type: ArrayType, e: Expr, offset: number): number | undefined {
		if (e.kind !== 'StringLiteral') {
			return undefined;
		}
		const element = type.of;
		if (element.kind !== 'int') {
			return undefined;
		}
		const elementSize = element.size;
		if (!isCharLike(element, e)) {
			this.ctx.error(e.range, e.wide ? 'char-array initialized from wide string' : 'array of inappropriate type initialized from string constant');
			return type.length ?? 0;
		}
		const stringLength = Math.floor(e.bytes.length / elementSize);
		const length = type.length ?? stringLength + 1;
		if (stringLength > length) {
			this.ctx.warning(e.range, `initializer-string for array of '${typeToString(unqual(element))}' is too long`);
		}
		// The literal replaces the whole array: clear what earlier items wrote there, then store
		// the characters and the NUL (if it fits); the rest is already zero.
		this.clear(offset, length * elementSize);
		const bytes = new Uint8Array(Math.min(length, stringLength + 1) * elementSize);
		bytes.set(e.bytes.subarray(0, Math.min(e.bytes.length, bytes.length)));
		this.push({ offset, bytes }, bytes.length);
		return length;
	}

	/** A whole-object expression initializer for a scalar or a struct. */
	scalarOrStruct(type: CType, e: Expr, bitField?: Field): Expr {
		const ctx = this.ctx;
		if (type.kind === 'struct') {
			const r = rvalue(ctx, e);
			if (ctx.isPoisoned(r)) {
				return r;
			}
			if (r.type?.kind !== 'struct' || structBase(r.type).id !== structBase(type).id) {
				ctx.error(e.range, 'invalid initializer');
				return ctx.poison(r);
			}
			this.requireConstant(r);
			return r;
		}
		const converted = assignConvert(ctx, rvalue(ctx, e), type, { kind: 'initialization' }, bitField);
		this.requireConstant(converted);
		return converted;
	}

	private requireConstant(e: Expr): void {
		if (this.isStatic && !this.ctx.isPoisoned(e) && !isConstantInitializer(this.ctx, e)) {
			this.ctx.error(e.range, 'initializer element is not constant');
			this.ctx.poison(e);
		}
	}

	/** A scalar initialized from a braced list: `int x = { 5 };` (or `{}` for zero). */
	scalarList(type: CType, list: InitList, offset: number, field: Field | undefined): void {
		const ctx = this.ctx;
		const [first, ...rest] = list.items;
		if (!first) {
			return;
		}
		if (first.designators.length > 0) {
			ctx.error(first.designators[0].range, first.designators[0].kind === 'field' ? 'field name not in record or union initializer' : 'array index in non-array initializer');
		}
		if (first.init.kind === 'InitList') {
			ctx.warning(first.init.range, 'braces around scalar initializer');
			this.scalarList(type, first.init, offset, field);
		} else {
			this.scalar(type, checkExpr(ctx, first.init), offset, field);
		}
		if (rest.length > 0) {
			ctx.warning(rest[0].range, 'excess elements in scalar initializer');
			for (const item of rest) {
				checkDiscarded(ctx, item.init);
			}
		}
	}

	private scalar(type: CType, e: Expr, offset: number, field: Field | undefined): void {
		const expr = this.scalarOrStruct(type, e, field);
		const item: CheckedInitItem = field?.bitWidth !== undefined ? { offset, type: field.type, expr, bitField: field } : { offset, type: unqual(type), expr };
		this.push(item, sizeOf(type));
	}

	/** Initializes an aggregate at `offset` from a braced list; returns the array length reached (for incomplete arrays). */
	list(type: ArrayType | StructType, list: InitList, offset: number): number {
		const ctx = this.ctx;
		const root = frameFor(type, offset);
		let stack: Frame[] = [root];
		if (type.kind === 'array' && list.items.length === 1 && list.items[0].designators.length === 0) {
			// `char s[] = { "abc" }`: braces around a string literal.
			const only = list.items[0].init;
			if (only.kind === 'StringLiteral' && type.of.kind === 'int' && isCharLike(type.of, only)) {
				const e = checkExpr(ctx, only);
				return this.stringInto(type, e, offset) ?? 0;
			}
		}
		for (const item of list.items) {
			let rangeEnd: number | undefined;
			if (item.designators.length > 0) {
				const designated = this.designate(root, item.designators);
				if (!designated) {
					checkDiscarded(ctx, item.init);
					stack = [root];
					continue;
				}
				stack = designated.stack;
				rangeEnd = designated.rangeEnd;
			} else {
				while (stack.length > 1 && stack[stack.length - 1].index >= stack[stack.length - 1].count) {
					stack.pop();
					advance(stack[stack.length - 1]);
				}
				if (root.index >= root.count && stack.length === 1) {
					ctx.warning(item.range, `excess elements in ${root.type.kind === 'array' ? 'array' : root.type.isUnion ? 'union' : 'struct'} initializer`);
					checkDiscarded(ctx, item.init);
					continue;
				}
			}
			const frame = stack[stack.length - 1];
			const first = frame.index;
			const before = this.items.length;
			const depth = stack.length;
			this.initialize(stack, item.init);
			if (rangeEnd !== undefined && frame.type.kind === 'array') {
				// GNU `[a ... b] = x`: what element `a` got, every element through `b` gets.
				const elementSize = sizeOf(frame.type.of);
				const made = this.items.slice(before);
				for (let k = first + 1; k <= rangeEnd; k++) {
					for (const m of made) {
						this.push({ ...m, offset: m.offset + (k - first) * elementSize }, 'bytes' in m ? m.bytes.length : sizeOf(m.type));
					}
				}
				stack.length = depth;
				frame.index = rangeEnd;
				frame.seen = Math.max(frame.seen, rangeEnd);
				advance(frame);
			}
		}
		return root.type.kind === 'array' && root.type.length === undefined ? root.seen + 1 : root.count;
	}

	/**
	 * Follows a designator list from the list's own frame. Returns the frame stack positioned at the
	 * designated subobject (and for a GNU range its last index), or undefined after an error.
	 */
	private designate(root: Frame, designators: readonly Designator[]): { stack: Frame[]; rangeEnd?: number } | undefined {
		const ctx = this.ctx;
		root.index = 0;
		const stack: Frame[] = [root];
		let rangeEnd: number | undefined;
		for (let k = 0; k < designators.length; k++) {
			const d = designators[k];
			if (k > 0) {
				const child = childOf(stack[stack.length - 1]);
				if (!child || (child.type.kind !== 'array' && child.type.kind !== 'struct')) {
					ctx.error(d.range, d.kind === 'field' ? 'field name not in record or union initializer' : 'array index in non-array initializer');
					return undefined;
				}
				if (!isComplete(child.type)) {
					ctx.error(d.range, `invalid use of undefined type '${typeToString(unqual(child.type))}'`);
					return undefined;
				}
				stack[stack.length - 1].seen = Math.max(stack[stack.length - 1].seen, stack[stack.length - 1].index);
				stack.push(frameFor(child.type, child.offset));
			}
			const frame = stack[stack.length - 1];
			rangeEnd = undefined;
			if (d.kind === 'field') {
				if (frame.type.kind !== 'struct') {
					ctx.error(d.range, 'field name not in record or union initializer');
					return undefined;
				}
				const path = fieldPath(frame.type, d.name);
				if (!path) {
					ctx.error(d.range, `'${typeToString(unqual(frame.type))}' has no member named '${d.name}'`);
					return undefined;
				}
				// Through anonymous members: enter each one on the way.
				for (let p = 0; p < path.length; p++) {
					const current = stack[stack.length - 1];
					current.index = path[p];
					if (p < path.length - 1) {
						const child = childOf(current)!;
						current.seen = Math.max(current.seen, current.index);
						stack.push(frameFor(child.type as StructType, child.offset));
					}
				}
				continue;
			}
			if (frame.type.kind !== 'array') {
				ctx.error(d.range, 'array index in non-array initializer');
				return undefined;
			}
			const low = designatorIndex(ctx, d.index);
			const high = d.last ? designatorIndex(ctx, d.last) : low;
			if (low === undefined || high === undefined) {
				return undefined;
			}
			if (high < low) {
				ctx.error(d.range, 'empty index range in initializer');
				return undefined;
			}
			if (low < 0n || (frame.type.length !== undefined && high >= BigInt(frame.count))) {
				ctx.error(d.range, 'array index in initializer exceeds array bounds');
				return undefined;
			}
			if (high > 1n << 32n) {
				ctx.error(d.range, 'array index in initializer is too large');
				return undefined;
			}
			frame.index = Number(low);
			if (d.last) {
				rangeEnd = Number(high);
			}
		}
		return { stack, rangeEnd };
	}

	/** Initializes the subobject at the top frame's index from one item, then moves past it. */
	private initialize(stack: Frame[], init: Initializer): void {
		const ctx = this.ctx;
		let frame = stack[stack.length - 1];
		let child = childOf(frame);
		if (!child) {
			checkDiscarded(ctx, init);
			return;
		}
		frame.seen = Math.max(frame.seen, frame.index);
		if (child.type.kind === 'array' && child.type.length === undefined) {
			// gcc lets static objects grow to hold one; KC objects have their type's size.
			ctx.error(init.range, 'initialization of a flexible array member is not supported in KC');
			checkDiscarded(ctx, init);
			advance(frame);
			return;
		}
		if (init.kind === 'InitList') {
			this.subobjectList(child, init);
			advance(frame);
			return;
		}
		const e = checkExpr(ctx, init);
		// Brace elision: enter aggregates the expression cannot initialize as a whole.
		for (let guard = 0; guard < 10000; guard++) {
			const t = child.type;
			if (t.kind === 'array') {
				if (e.kind === 'StringLiteral' && t.of.kind === 'int' && isCharLike(t.of, e)) {
					this.stringInto(t, e, child.offset);
					break;
				}
			} else if (t.kind === 'struct') {
				if (e.type?.kind === 'struct' && structBase(e.type).id === structBase(t).id) {
					this.clear(child.offset, sizeOf(t));
					this.push({ offset: child.offset, type: unqual(t), expr: this.scalarOrStruct(t, e) }, sizeOf(t));
					break;
				}
				if (ctx.isPoisoned(e)) {
					break;
				}
			} else {
				this.scalar(t, e, child.offset, child.field);
				break;
			}
			if (!isComplete(t)) {
				ctx.error(e.range, `invalid use of undefined type '${typeToString(unqual(t))}'`);
				break;
			}
			const inner = frameFor(t, child.offset);
			stack.push(inner);
			frame = inner;
			const next = childOf(inner);
			if (!next) {
				// An empty aggregate (zero-length array, empty struct): nothing to put the value in.
				ctx.warning(e.range, `excess elements in ${t.kind === 'array' ? 'array' : 'struct'} initializer`);
				break;
			}
			inner.seen = 0;
			child = next;
		}
		advance(frame);
	}

	/** A subobject initialized by its own braced list. */
	private subobjectList(child: Child, list: InitList): void {
		const t = child.type;
		if (t.kind === 'array' || t.kind === 'struct') {
			if (!isComplete(t)) {
				this.ctx.error(list.range, `invalid use of undefined type '${typeToString(unqual(t))}'`);
				checkDiscarded(this.ctx, list);
				return;
			}
			this.clear(child.offset, sizeOf(t));
			this.list(t, list, child.offset);
			return;
		}
		this.scalarList(t, list, child.offset, child.field);
	}
}

function frameFor(type: ArrayType | StructType, offset: number): Frame {
	if (type.kind === 'array') {
		return { type, offset, index: 0, count: type.length ?? (Number.POSITIVE_INFINITY as number), seen: -1 };
	}
	const s = structBase(type);
	return { type: s, offset, index: 0, count: s.fields.length, seen: -1 };
}

function childOf(frame: Frame): Child | undefined {
	if (frame.index >= frame.count) {
		return undefined;
	}
	if (frame.type.kind === 'array') {
		const of = frame.type.of;
		return { type: of, offset: frame.offset + frame.index * sizeOf(of) };
	}
	const field = frame.type.fields[frame.index];
	return { type: field.type, offset: frame.offset + field.offset, field };
}

/** Moves past the current subobject; a union is complete after one member. */
function advance(frame: Frame): void {
	frame.index = frame.type.kind === 'struct' && frame.type.isUnion ? frame.count : frame.index + 1;
}

/** Field indices from `s` to the member called `name`, through anonymous struct/union members. */
function fieldPath(s: StructType, name: string, depth = 0): number[] | undefined {
	if (depth > 64) {
		return undefined;
	}
	const fields = structBase(s).fields;
	for (let i = 0; i < fields.length; i++) {
		const f = fields[i];
		if (f.name === name) {
			return [i];
		}
		if (f.name === undefined && f.type.kind === 'struct') {
			const inner = fieldPath(f.type, name, depth + 1);
			if (inner) {
				return [i, ...inner];
			}
		}
	}
	return undefined;
}

function designatorIndex(ctx: CheckContext, e: Expr): bigint | undefined {
	const checked = rvalue(ctx, checkExpr(ctx, e));
	if (ctx.isPoisoned(checked)) {
		return undefined;
	}
	if (checked.type?.kind !== 'int' || checked.constValue === undefined) {
		ctx.error(e.range, 'nonconstant array index in initializer');
		return undefined;
	}
	return checked.constValue;
}

/** Checks the expressions of an initializer that is dropped (excess or after an error), so every node is typed. */
function checkDiscarded(ctx: CheckContext, init: Initializer): void {
	if (init.kind === 'InitList') {
		for (const item of init.items) {
			checkDiscarded(ctx, item.init);
		}
		return;
	}
	checkExpr(ctx, init);
}

// ---- Constant initializers -------------------------------------------------------------------------------

/**
 * True if `e` may initialize an object with static storage duration (C11 6.6p7): an arithmetic
 * constant expression, a null pointer, or an address constant (the address of an object with
 * static storage or a function, plus or minus an integer constant), possibly cast. The linker
 * evaluates such expressions; the checker only decides that they are constant.
 */
export function isConstantInitializer(ctx: CheckContext, e: Expr, depth = 0): boolean {
	if (depth > 200) {
		return false;
	}
	if (e.constValue !== undefined || ctx.floatConstants.has(e) || ctx.nullOffsets.has(e)) {
		return true;
	}
	switch (e.kind) {
		case 'ImplicitCast':
		case 'Cast': {
			const kind = e.kind === 'Cast' ? e.castKind : e.castKind;
			switch (kind) {
				case 'ArrayToPointerDecay':
				case 'FunctionToPointerDecay':
					return isStaticDesignator(ctx, e.operand, depth + 1);
				case 'LValueToRValue':
					// A struct copied from a compound literal at file scope (a gcc extension).
					return e.operand.kind === 'CompoundLiteral' && e.operand.object?.storage === 'global' && e.type?.kind === 'struct';
				case 'NullToPointer':
				case 'BitCast':
				case 'NoOp':
				case 'IntegralToPointer':
				case 'IntegralCast':
				case 'IntegralToBoolean':
				case 'PointerToBoolean':
				case 'IntegralToFloating':
				case 'FloatingCast':
				case 'FloatingToIntegral':
				case 'FloatingToBoolean':
				case 'ToVoid':
					return isConstantInitializer(ctx, e.operand, depth + 1);
				case 'PointerToIntegral':
					// gcc accepts an address cast to a pointer-sized integer.
					return e.type?.kind === 'int' && e.type.size === 8 && isConstantInitializer(ctx, e.operand, depth + 1);
				default:
					return false;
			}
		}
		case 'Unary':
			if (e.op === '&') {
				return isStaticDesignator(ctx, e.operand, depth + 1);
			}
			return false;
		case 'Binary':
			if ((e.op === '+' || e.op === '-') && e.pointerScale !== undefined && e.type?.kind === 'pointer') {
				const [pointer, offset] = e.left.type?.kind === 'pointer' ? [e.left, e.right] : [e.right, e.left];
				return offset.constValue !== undefined && isConstantInitializer(ctx, pointer, depth + 1);
			}
			return false;
		case 'Conditional':
			if (e.cond.constValue !== undefined) {
				return isConstantInitializer(ctx, e.cond.constValue !== 0n ? e.then : e.otherwise, depth + 1);
			}
			return false;
		default:
			return false;
	}
}

/** An lvalue designating an object with static storage duration, or a function. */
function isStaticDesignator(ctx: CheckContext, e: Expr, depth: number): boolean {
	if (depth > 200) {
		return false;
	}
	switch (e.kind) {
		case 'Ident':
			return e.symbol?.kind === 'func' || (e.symbol?.kind === 'var' && e.symbol.storage === 'global');
		case 'StringLiteral':
			return true;
		case 'CompoundLiteral':
			return e.object?.storage === 'global';
		case 'Member':
			return e.arrow ? isConstantInitializer(ctx, e.base, depth + 1) : isStaticDesignator(ctx, e.base, depth + 1);
		case 'Index':
			return e.index.constValue !== undefined && isConstantInitializer(ctx, e.base, depth + 1);
		case 'Unary':
			return e.op === '*' && isConstantInitializer(ctx, e.operand, depth + 1);
		default:
			return false;
	}
}
