// The typed reader of the KC kernel's data ("drgn in the simulator", layer: kernel): kernel objects
// found by global name and read by member name with the layouts the checker computed for the linked
// kernel, never with hand-copied offsets. `reader.global('init_task').member('mm').deref()
// .member('mmap')` walks the same memory the KC code walks, through KernelMemory (no side effects).
//
// Values follow the representation rules of src/interp/contracts.ts: integers of 1..4 bytes are
// numbers of their type's range, 8-byte integers are numbers when safe and bigints otherwise,
// pointers are 48-bit numbers, floats are numbers. Structs, unions and arrays are not values: read
// their members or elements.
//
// Errors: a name or type the kernel does not have, or memory that cannot be read (unmapped, not
// RAM, NULL), throws InspectError. Walks over lists (`listWalk`, `chainWalk`) never loop: a node
// seen twice ends the walk with a `cycle` problem.

import type { Value } from '../../interp/contracts';
import { findField, sizeOf, typeToString, unqualified, type CType, type Field, type FloatType, type IntType, type PointerType, type StructType } from '../../lang/types';
import type { BootedKernel } from '../boot';
import { InspectError, KernelTypes, type KernelConstants } from './debugInfo';
import { KernelMemory, type KernelMemoryOptions } from './memory';

/** Options of a KernelReader. */
export interface KernelReaderOptions extends KernelMemoryOptions {
	/** The header constants of the kernel's profile (loadKernelConstants): flag names, era. */
	readonly constants?: KernelConstants;
}

/** Why a list walk stopped early. */
export interface WalkProblem {
	readonly kind: 'cycle' | 'unreadable' | 'limit' | 'broken-link';
	readonly message: string;
	/** The node (or pointer) where it happened. */
	readonly address: number;
}

/** The nodes of a walk, and the problem that ended it early (undefined for a complete walk). */
export interface WalkResult {
	readonly entries: KObject[];
	readonly problem?: WalkProblem;
}

/** Default bound of list walks (far more than any simulated kernel list). */
export const DEFAULT_WALK_LIMIT = 1_000_000;

function canonicalValue(v: bigint): Value {
	return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

function hex(n: number): string {
	return `0x${n.toString(16)}`;
}

/** Reads the KC kernel's objects on a booted machine. */
export class KernelReader {
	readonly memory: KernelMemory;
	readonly types: KernelTypes;
	readonly constants: KernelConstants | undefined;

	constructor(readonly booted: BootedKernel, options: KernelReaderOptions = {}) {
		if (booted.kernel === undefined) throw new InspectError('the kernel did not link');
		this.memory = new KernelMemory(booted.machine, booted.ramBytes, booted.pgdPhys, options);
		this.constants = options.constants;
		this.types = new KernelTypes(booted.kernel, options.constants);
	}

	/** The kernel global `name` (internal ones as `file:name`, e.g. `mm/slab.c:slab_caches`). */
	global(name: string): KObject {
		const symbol = this.booted.kernel?.globals.get(name);
		if (symbol === undefined) throw new InspectError(`the kernel has no global '${name}'`);
		return new KObject(this, symbol.type, symbol.address);
	}

	/** True when the kernel has a global `name`. */
	hasGlobal(name: string): boolean {
		return this.booted.kernel?.globals.has(name) ?? false;
	}

	/** An object of `type` (a CType or a C spelling such as `struct page`) at kernel address `address`. */
	object(type: CType | string, address: number): KObject {
		return new KObject(this, typeof type === 'string' ? this.types.parse(type) : type, address);
	}

	/** `struct tag` of the kernel. Throws InspectError when the kernel has none. */
	structType(tag: string): StructType {
		const s = this.types.struct(tag);
		if (s === undefined) throw new InspectError(`the kernel has no complete struct ${tag}`);
		return s;
	}

	/** offsetof(type, member); `member` may be a path `a.b` (anonymous members are searched through). */
	offsetOf(type: CType | string, member: string): number {
		return this.memberInfo(type, member).offset;
	}

	/** The offset, type and (for a bit-field) field of `member` (a path `a.b`) in `type`. */
	memberInfo(type: CType | string, member: string): { readonly offset: number; readonly type: CType; readonly bitField?: Field } {
		let t = typeof type === 'string' ? this.types.parse(type) : type;
		let offset = 0;
		let bitField: Field | undefined;
		for (const name of member.split('.')) {
			const s = unqualified(t);
			if (s.kind !== 'struct') throw new InspectError(`${typeToString(t)} has no member ${name}: not a struct`);
			const found = findField(s, name);
			if (found === undefined) throw new InspectError(`${typeToString(s)} has no member '${name}'`);
			offset += found.offset;
			t = found.field.type;
			bitField = found.field.bitWidth !== undefined ? found.field : undefined;
		}
		return bitField === undefined ? { offset, type: t } : { offset, type: t, bitField };
	}

	/** container_of(pointer, type, member): the object of `type` whose `member` is at `pointer`. */
	containerOf(pointer: number | KObject, type: CType | string, member: string): KObject {
		const address = typeof pointer === 'number' ? pointer : pointer.pointerOrAddress();
		return this.object(type, address - this.offsetOf(type, member));
	}

	/**
	 * list_for_each_entry over the list_head `head` (an object of type struct list_head, or its
	 * address): the containing objects of `type` linked through `member`, in list order. Throws
	 * InspectError when the list is corrupt (use listWalk to get the problem instead).
	 */
	listForEach(head: KObject | number, type: CType | string, member: string, limit = DEFAULT_WALK_LIMIT): KObject[] {
		const result = this.listWalk(head, type, member, limit);
		if (result.problem !== undefined) throw new InspectError(result.problem.message, result.problem.address);
		return result.entries;
	}

	/**
	 * listForEach without throwing: follows `next` from the head until it comes back to the head.
	 * Stops with a problem on a node seen twice (a cycle that skips the head), an unreadable or NULL
	 * link, a node whose `prev` does not point back (`broken-link`, reported once the walk is done:
	 * the walk follows `next`), or more than `limit` nodes.
	 */
	listWalk(head: KObject | number, type: CType | string, member: string, limit = DEFAULT_WALK_LIMIT): WalkResult {
		const listHead = this.types.struct('list_head');
		if (listHead === undefined) throw new InspectError('the kernel has no struct list_head');
		const headAddress = typeof head === 'number' ? head : head.address;
		const resolved = typeof type === 'string' ? this.types.parse(type) : type;
		const offset = this.offsetOf(resolved, member);
		const entries: KObject[] = [];
		const seen = new Set<number>([headAddress]);
		let problem: WalkProblem | undefined;
		let linkProblem: WalkProblem | undefined;
		let node = headAddress;
		for (;;) {
			let next: number;
			let back: number;
			try {
				next = this.object(listHead, node).member('next').pointer();
				back = next === 0 ? 0 : this.object(listHead, next).member('prev').pointer();
			} catch (error) {
				problem = { kind: 'unreadable', message: `list at ${hex(headAddress)}: node ${hex(node)} cannot be read: ${messageOf(error)}`, address: node };
				break;
			}
			if (next === 0) {
				problem = { kind: 'unreadable', message: `list at ${hex(headAddress)}: NULL next pointer in node ${hex(node)}`, address: node };
				break;
			}
			if (back !== node && linkProblem === undefined) {
				linkProblem = { kind: 'broken-link', message: `list at ${hex(headAddress)}: ${hex(next)}->prev is ${hex(back)}, not ${hex(node)}`, address: next };
			}
			if (next === headAddress) break;
			if (seen.has(next)) {
				problem = { kind: 'cycle', message: `list at ${hex(headAddress)}: node ${hex(next)} is reached twice (a cycle that skips the head)`, address: next };
				break;
			}
			if (entries.length >= limit) {
				problem = { kind: 'limit', message: `list at ${hex(headAddress)}: more than ${limit} nodes`, address: next };
				break;
			}
			seen.add(next);
			entries.push(this.object(resolved, next - offset));
			node = next;
		}
		problem ??= linkProblem;
		return problem === undefined ? { entries } : { entries, problem };
	}

	/**
	 * A NULL-terminated singly linked chain (mm->mmap through vm_next): starting at the pointer object
	 * `first`, each node's `nextMember` pointer leads to the next. Stops with a problem on a cycle, an
	 * unreadable node or more than `limit` nodes.
	 */
	chainWalk(first: KObject, nextMember: string, limit = DEFAULT_WALK_LIMIT): WalkResult {
		const entries: KObject[] = [];
		const seen = new Set<number>();
		let pointer: KObject = first;
		for (;;) {
			let target: number;
			try {
				target = pointer.pointer();
			} catch (error) {
				return { entries, problem: { kind: 'unreadable', message: `chain link at ${hex(pointer.address)} cannot be read: ${messageOf(error)}`, address: pointer.address } };
			}
			if (target === 0) return { entries };
			if (seen.has(target)) return { entries, problem: { kind: 'cycle', message: `chain: node ${hex(target)} is reached twice`, address: target } };
			if (entries.length >= limit) return { entries, problem: { kind: 'limit', message: `chain: more than ${limit} nodes`, address: target } };
			seen.add(target);
			const node = pointer.deref();
			try {
				node.bytes();
			} catch (error) {
				return { entries, problem: { kind: 'unreadable', message: `chain node ${hex(target)} cannot be read: ${messageOf(error)}`, address: target } };
			}
			entries.push(node);
			pointer = node.member(nextMember);
		}
	}

	/** A NUL-terminated string at kernel address `address` (at most `max` bytes). */
	cString(address: number, max = 4096): string {
		return this.memory.cString(address, max);
	}

	/**
	 * The names of the bits set in `value`, with `names` giving each flag's mask; bits no name covers
	 * come last as one hex number. Masks of more than one bit are skipped.
	 */
	decodeFlags(value: Value, names: Iterable<readonly [string, bigint]>): string[] {
		let rest = BigInt.asUintN(64, typeof value === 'bigint' ? value : BigInt(value));
		const out: string[] = [];
		for (const [name, mask] of names) {
			if (mask === 0n || (mask & (mask - 1n)) !== 0n) continue;
			if ((rest & mask) !== 0n) {
				out.push(name);
				rest &= ~mask;
			}
		}
		if (rest !== 0n) out.push(`0x${rest.toString(16)}`);
		return out;
	}

	/** The single-bit masks of the macros named `prefix*` (not `exclude*`), in definition order; [] without constants. */
	flagMasks(prefix: string, exclude: readonly string[] = []): [string, bigint][] {
		const c = this.constants;
		if (c === undefined) return [];
		const out: [string, bigint][] = [];
		const used = new Set<bigint>();
		for (const name of c.macroNames) {
			if (!name.startsWith(prefix) || exclude.some(e => name.startsWith(e))) continue;
			const v = c.values.get(name);
			if (v === undefined || v === 0n || (v & (v - 1n)) !== 0n || used.has(v)) continue;
			used.add(v);
			out.push([name, v]);
		}
		return out;
	}

	/** Masks `1 << enumerator` of the enum `tag` (enum pageflags: PG_*), skipping `__`-prefixed counters; [] without constants. */
	enumBitMasks(tag: string): [string, bigint][] {
		const list = this.constants?.enums.get(tag) ?? [];
		return list.filter(e => !e.name.startsWith('__') && e.value >= 0n && e.value < 64n).map(e => [e.name, 1n << e.value] as [string, bigint]);
	}

	/** The name of `value` among the enumerators of `enum tag` (undefined when none or no constants). */
	enumName(tag: string, value: Value): string | undefined {
		const v = typeof value === 'bigint' ? value : BigInt(value);
		return this.constants?.enums.get(tag)?.find(e => e.value === v)?.name;
	}

	/** A header constant (macro or enumerator) as a number, or undefined. */
	constant(name: string): number | undefined {
		const v = this.constants?.values.get(name);
		return v === undefined ? undefined : Number(v);
	}
}

/** The message of anything thrown. */
export function messageOf(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

/**
 * A kernel object: a type and the kernel virtual address it lives at (or, for a bit-field member,
 * the address of its storage unit plus the field). Reading happens when a value is asked for.
 */
export class KObject {
	constructor(
		readonly reader: KernelReader,
		readonly type: CType,
		readonly address: number,
		private readonly bitField?: Field,
	) {}

	/** The type in C syntax: `struct page *`. */
	get typeName(): string {
		return typeToString(this.type);
	}

	/** sizeof the object. */
	get size(): number {
		return sizeOf(this.type);
	}

	/** The member `name` of a struct or union, or of the struct a pointer points to (as drgn does). Paths `a.b` work. */
	member(name: string): KObject {
		if (name.includes('.')) {
			let obj: KObject = this;
			for (const part of name.split('.')) obj = obj.member(part);
			return obj;
		}
		const t = unqualified(this.type);
		if (t.kind === 'pointer') return this.deref().member(name);
		if (t.kind !== 'struct') throw new InspectError(`member '${name}' of ${this.typeName}, which is not a struct`, this.address);
		const found = findField(t, name);
		if (found === undefined) throw new InspectError(`${this.typeName} has no member '${name}'`, this.address);
		return new KObject(this.reader, found.field.type, this.address + found.offset, found.field.bitWidth !== undefined ? found.field : undefined);
	}

	/** True when the struct (or the struct pointed to) has a member `name` (era differences: `_refcount` / `_count`). */
	hasMember(name: string): boolean {
		let t = unqualified(this.type);
		if (t.kind === 'pointer') t = unqualified(t.to);
		return t.kind === 'struct' && findField(t, name) !== undefined;
	}

	/** The object a pointer points to. Throws InspectError for NULL or a non-pointer. */
	deref(): KObject {
		const t = unqualified(this.type);
		if (t.kind !== 'pointer') throw new InspectError(`dereference of ${this.typeName}, which is not a pointer`, this.address);
		const target = this.pointer();
		if (target === 0) throw new InspectError(`NULL pointer dereference (${this.typeName} at 0x${this.address.toString(16)})`, this.address);
		return new KObject(this.reader, t.to, target);
	}

	/** Element `i` of an array, or `pointer[i]`. */
	index(i: number): KObject {
		const t = unqualified(this.type);
		if (t.kind === 'array') return new KObject(this.reader, t.of, this.address + i * sizeOf(t.of));
		if (t.kind === 'pointer') {
			const base = this.pointer();
			if (base === 0) throw new InspectError(`index of a NULL ${this.typeName}`, this.address);
			return new KObject(this.reader, t.to, base + i * sizeOf(t.to));
		}
		throw new InspectError(`index of ${this.typeName}, which is neither an array nor a pointer`, this.address);
	}

	/** Number of elements of an array type (undefined for an incomplete array or a non-array). */
	get length(): number | undefined {
		const t = unqualified(this.type);
		return t.kind === 'array' ? t.length : undefined;
	}

	/** The same memory seen as another type. */
	cast(type: CType | string): KObject {
		return this.reader.object(type, this.address);
	}

	/** The object's bytes. */
	bytes(): Uint8Array {
		return this.reader.memory.read(this.address, this.size);
	}

	/** The scalar value (see the file header for the representation). Throws for structs and arrays. */
	value(): Value {
		const t = unqualified(this.type);
		if (t.kind !== 'int' && t.kind !== 'pointer' && t.kind !== 'float') {
			throw new InspectError(`${this.typeName} is not a scalar: read its members or elements`, this.address);
		}
		return decodeScalar(this.reader.memory.read(this.address, scalarSize(t)), 0, t, this.bitField);
	}

	/** The value as a JS number (a 64-bit value beyond 2^53 loses precision). */
	number(): number {
		const v = this.value();
		return typeof v === 'bigint' ? Number(v) : v;
	}

	/** The value as a bigint (integers and pointers). */
	bigint(): bigint {
		const v = this.value();
		return typeof v === 'bigint' ? v : BigInt(v);
	}

	/** A pointer's target address (48 bits, as KC pointers are). */
	pointer(): number {
		const t = unqualified(this.type);
		if (t.kind !== 'pointer') throw new InspectError(`${this.typeName} is not a pointer`, this.address);
		return decodeScalar(this.reader.memory.read(this.address, 8), 0, t) as number;
	}

	/** A pointer's target, or the object's own address for anything else (for containerOf). */
	pointerOrAddress(): number {
		return unqualified(this.type).kind === 'pointer' ? this.pointer() : this.address;
	}

	/** True for a NULL pointer. */
	isNull(): boolean {
		return this.pointer() === 0;
	}

	/** A char array's or char pointer's NUL-terminated text (at most `max` bytes; an array stops at its length). */
	cString(max = 4096): string {
		const t = unqualified(this.type);
		if (t.kind === 'array') return this.reader.memory.cString(this.address, Math.min(max, t.length ?? max));
		if (t.kind === 'pointer') return this.reader.memory.cString(this.pointer(), max);
		throw new InspectError(`${this.typeName} is not a string`, this.address);
	}

	/** `struct page * 0xffff888000001000` style, for messages. */
	toString(): string {
		return `(${this.typeName})0x${this.address.toString(16)}`;
	}
}

/** Bytes a scalar of type `t` occupies (long double: its 8-byte double). */
function scalarSize(t: IntType | PointerType | FloatType): number {
	return t.kind === 'pointer' ? 8 : t.kind === 'float' ? (t.size === 4 ? 4 : 8) : t.size;
}

/**
 * The value of a scalar of type `t` stored little-endian at `bytes[offset..]` (a bit-field: its
 * storage unit), by the representation rules of contracts.ts.
 */
export function decodeScalar(bytes: Uint8Array, offset: number, type: CType, bitField?: Field): Value {
	const t = unqualified(type);
	if (t.kind === 'float') {
		const view = new DataView(bytes.buffer, bytes.byteOffset + offset, t.size === 4 ? 4 : 8);
		return t.size === 4 ? view.getFloat32(0, true) : view.getFloat64(0, true);
	}
	if (t.kind === 'pointer') {
		const view = new DataView(bytes.buffer, bytes.byteOffset + offset, 8);
		return view.getUint32(0, true) + (view.getUint32(4, true) & 0xffff) * 2 ** 32;
	}
	if (t.kind !== 'int') throw new InspectError(`${typeToString(t)} is not a scalar`);
	let raw = 0n;
	for (let i = t.size - 1; i >= 0; i--) raw = (raw << 8n) | BigInt(bytes[offset + i]);
	if (bitField !== undefined && bitField.bitWidth !== undefined) {
		const bits = (raw >> BigInt(bitField.bitOffset ?? 0)) & ((1n << BigInt(bitField.bitWidth)) - 1n);
		const v = t.signed ? BigInt.asIntN(bitField.bitWidth, bits) : bits;
		return t.name === '_Bool' ? (v !== 0n ? 1 : 0) : canonicalValue(v);
	}
	if (t.name === '_Bool') return raw !== 0n ? 1 : 0;
	return canonicalValue(t.signed ? BigInt.asIntN(t.size * 8, raw) : raw);
}
