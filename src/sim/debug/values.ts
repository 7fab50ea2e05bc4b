// Typed values as a debugger shows them (layer: sim): where a KC object lives (memory of a task's
// address space, a register of a frame, or a computed rvalue), reading it without side effects
// (page-table walks with Mmu.probe, RAM only: no TLB fills, no accessed bits, no device reads),
// writing it, rendering it (decimal or hex, chars, pointers with the function or string they point
// to), and its children (struct members, array elements, the pointee).
//
// Values follow src/interp/contracts.ts: pointers are 48-bit numbers; 64-bit integers numbers when
// safe, else bigints. Addresses shown to users are canonical (kernel ones sign-extended).

import { findField, sizeOf, typeToString, unqualified, type CType, type Field } from '../../lang/types';
import type { Value } from '../../interp/contracts';
import type { Frame } from '../../interp/thread';
import { convInt, intToPtr, ptrToU64 } from '../../interp/values';
import type { CodeSpace } from '../../interp/codeSpace';
import { decodeScalar, InspectError, type KernelMemory } from '../../kernel/inspect';

/** Where an object is. */
export type Location =
	| { readonly kind: 'memory'; readonly address: number }
	| { readonly kind: 'register'; readonly frame: Frame; readonly slot: number }
	| { readonly kind: 'rvalue'; readonly value: Value | undefined };

/** An object (or rvalue) of a C type. */
export interface TypedValue {
	readonly type: CType;
	readonly location: Location;
	readonly bitField?: Field;
}

/** Reads and writes one address space (a task's page tables) for the debugger. */
export class AddressSpaceView {
	constructor(
		readonly memory: KernelMemory,
		/** Physical address of the top-level page table (the task's CR3). */
		readonly pgdPhys: number,
		/** The code the task can reach, to name function pointers. */
		readonly code: CodeSpace | undefined,
	) {}

	/** `len` bytes at `va`; throws InspectError when a page is not mapped or not RAM. */
	read(va: number, len: number): Uint8Array {
		return this.memory.read(va, len, this.pgdPhys);
	}

	/** Writes `bytes` at `va` in RAM (page by page through the page tables); throws InspectError when unmapped. */
	write(va: number, bytes: Uint8Array): void {
		let done = 0;
		while (done < bytes.length) {
			const at = va + done;
			const n = Math.min(bytes.length - done, 4096 - (at % 4096));
			const pa = this.memory.physOf(at, this.pgdPhys);
			if (pa === null || !this.memory.isRam(pa, n)) throw new InspectError(`address 0x${at.toString(16)} is not mapped to RAM`, at);
			const phys = this.memory.machine.phys;
			const saved = phys.fault;
			phys.write(pa, bytes.subarray(done, done + n));
			phys.fault = saved;
			done += n;
		}
	}
}

/** Canonical hex of a pointer (`0xffff888000001000` for kernel addresses). */
export function pointerHex(p: number): string {
	const v = ptrToU64(p);
	return `0x${(typeof v === 'bigint' ? v : BigInt(v)).toString(16)}`;
}

/** Parses `0x...`/decimal text (canonical kernel addresses allowed) into a 48-bit address; undefined when not a number. */
export function parseAddress(text: string): number | undefined {
	const t = text.trim();
	if (!/^(0[xX][0-9a-fA-F]+|[0-9]+)$/.test(t)) return undefined;
	const big = BigInt(t);
	if (big < 0n || big >= 1n << 64n) return undefined;
	return intToPtr(big);
}

/** The scalar value of `tv` (reads memory for memory objects); throws InspectError when unreadable. */
export function scalarOf(tv: TypedValue, space: AddressSpaceView): Value {
	const t = unqualified(tv.type);
	switch (tv.location.kind) {
		case 'rvalue':
			if (tv.location.value === undefined) throw new InspectError('no value');
			return tv.location.value;
		case 'register': {
			const v = tv.location.frame.regs[tv.location.slot];
			if (v === undefined) throw new InspectError('not assigned yet');
			return v;
		}
		case 'memory': {
			const size = t.kind === 'pointer' ? 8 : sizeOf(t);
			return decodeScalar(space.read(tv.location.address, size), 0, t, tv.bitField);
		}
	}
}

/** The address of a memory object (undefined for registers and rvalues). */
export function addressOf(tv: TypedValue): number | undefined {
	return tv.location.kind === 'memory' ? tv.location.address : undefined;
}

/** Rendering options. */
export interface FormatOptions {
	readonly hex?: boolean;
}

function intText(v: Value, t: Extract<CType, { kind: 'int' }>, hex: boolean): string {
	if (t.name === '_Bool') return Number(v) !== 0 ? 'true' : 'false';
	if (hex) {
		const big = BigInt.asUintN(t.size * 8, typeof v === 'bigint' ? v : BigInt(v));
		return `0x${big.toString(16)}`;
	}
	const text = String(v);
	if (t.size === 1 && t.enumTag === undefined) {
		const code = Number(BigInt.asUintN(8, BigInt(v)));
		const shown = code >= 0x20 && code < 0x7f ? String.fromCharCode(code) : `\\x${code.toString(16).padStart(2, '0')}`;
		return `${text} '${shown === "'" ? "\\'" : shown}'`;
	}
	return text;
}

/** A C string at `address` for a preview (at most `max` bytes), or undefined when unreadable. */
export function stringPreview(space: AddressSpaceView, address: number, max = 64): string | undefined {
	if (address === 0) return undefined;
	let out = '';
	for (let i = 0; i < max; i++) {
		let byte: number;
		try {
			byte = space.read(address + i, 1)[0];
		} catch {
			return i === 0 ? undefined : `"${out}"...`;
		}
		if (byte === 0) return `"${out}"`;
		out += byte >= 0x20 && byte < 0x7f && byte !== 0x22 && byte !== 0x5c ? String.fromCharCode(byte) : `\\x${byte.toString(16).padStart(2, '0')}`;
	}
	return `"${out}"...`;
}

/** The text a debugger shows for a value. Never throws: an unreadable object renders as `<...>`. */
export function formatValue(tv: TypedValue, space: AddressSpaceView, options: FormatOptions = {}): string {
	const t = unqualified(tv.type);
	try {
		switch (t.kind) {
			case 'int':
				return intText(scalarOf(tv, space), t, options.hex === true);
			case 'float':
				return String(scalarOf(tv, space));
			case 'pointer': {
				const p = Number(scalarOf(tv, space));
				const target = unqualified(t.to);
				if (p === 0) return 'NULL';
				if (target.kind === 'function') {
					const fn = space.code?.functionAt(p);
					return fn === undefined ? pointerHex(p) : `${pointerHex(p)} <${fn.name}>`;
				}
				if (target.kind === 'int' && target.size === 1) {
					const preview = stringPreview(space, p);
					return preview === undefined ? pointerHex(p) : `${pointerHex(p)} ${preview}`;
				}
				return pointerHex(p);
			}
			case 'array': {
				const element = unqualified(t.of);
				const address = addressOf(tv);
				if (element.kind === 'int' && element.size === 1 && address !== undefined) {
					const preview = stringPreview(space, address, Math.min(t.length ?? 64, 64));
					if (preview !== undefined) return preview;
				}
				return `${typeToString(t.of)}[${t.length ?? ''}]`;
			}
			case 'struct':
				return `{${typeToString(t)}}`;
			case 'function': {
				const address = addressOf(tv);
				const fn = address === undefined ? undefined : space.code?.functionAt(address);
				return fn === undefined ? typeToString(t) : `${fn.name}()`;
			}
			case 'void':
				return 'void';
		}
	} catch (error) {
		return `<${error instanceof Error ? error.message : String(error)}>`;
	}
}

/** A child of a value, for the Variables view. */
export interface ValueChild {
	readonly name: string;
	readonly value: TypedValue;
	/** The C expression that names it, relative to the parent's (`.m`, `[3]`, `*`). */
	readonly access: { readonly kind: 'member'; readonly name: string } | { readonly kind: 'index'; readonly index: number } | { readonly kind: 'deref' };
}

/** How many children a value has: named (struct members, pointee) or indexed (array elements). */
export function childCount(tv: TypedValue, space: AddressSpaceView): { readonly named: number; readonly indexed: number } {
	const t = unqualified(tv.type);
	if (t.kind === 'struct') return { named: memberList(t.fields).length, indexed: 0 };
	if (t.kind === 'array') return { named: 0, indexed: t.length ?? 0 };
	if (t.kind === 'pointer') {
		const target = unqualified(t.to);
		if (target.kind === 'void' || target.kind === 'function' || (target.kind === 'struct' && !target.complete)) return { named: 0, indexed: 0 };
		try {
			return Number(scalarOf(tv, space)) === 0 ? { named: 0, indexed: 0 } : { named: 1, indexed: 0 };
		} catch {
			return { named: 0, indexed: 0 };
		}
	}
	return { named: 0, indexed: 0 };
}

/** Members, with anonymous struct/union members listed as `<anonymous>`. */
function memberList(fields: readonly Field[]): Field[] {
	return fields.filter(f => f.name !== undefined || unqualified(f.type).kind === 'struct');
}

/** The children of a value: members, elements `[start, start + count)`, or the pointee. */
export function children(tv: TypedValue, space: AddressSpaceView, start = 0, count = Infinity): ValueChild[] {
	const t = unqualified(tv.type);
	const address = addressOf(tv);
	if (t.kind === 'struct') {
		if (address === undefined) return [];
		return memberList(t.fields).map(f => ({
			name: f.name ?? '<anonymous>',
			value: { type: f.type, location: { kind: 'memory', address: address + f.offset }, ...(f.bitWidth !== undefined ? { bitField: f } : {}) },
			access: { kind: 'member', name: f.name ?? '' },
		}));
	}
	if (t.kind === 'array') {
		if (address === undefined) return [];
		const size = sizeOf(t.of);
		const end = Math.min(t.length ?? 0, start + count);
		const out: ValueChild[] = [];
		for (let i = start; i < end; i++) out.push({ name: `[${i}]`, value: { type: t.of, location: { kind: 'memory', address: address + i * size } }, access: { kind: 'index', index: i } });
		return out;
	}
	if (t.kind === 'pointer' && childCount(tv, space).named > 0) {
		const p = Number(scalarOf(tv, space));
		return [{ name: `*${pointerHex(p)}`, value: { type: t.to, location: { kind: 'memory', address: p } }, access: { kind: 'deref' } }];
	}
	return [];
}

/** The member `name` of a struct value (searching anonymous members), or undefined. */
export function memberOf(tv: TypedValue, name: string): TypedValue | undefined {
	const t = unqualified(tv.type);
	const address = addressOf(tv);
	if (t.kind !== 'struct' || address === undefined) return undefined;
	const found = findField(t, name);
	if (found === undefined) return undefined;
	return { type: found.field.type, location: { kind: 'memory', address: address + found.offset }, ...(found.field.bitWidth !== undefined ? { bitField: found.field } : {}) };
}

/**
 * Parses `text` as a value of scalar type `type` (decimal, hex, octal, negative, a char in quotes,
 * true/false, a float for floating types). Returns the value or a message.
 */
export function parseScalar(text: string, type: CType): Value | string {
	const t = unqualified(type);
	const s = text.trim();
	if (t.kind === 'float') {
		const n = Number(s);
		return Number.isFinite(n) ? (t.size === 4 ? Math.fround(n) : n) : `'${s}' is not a number`;
	}
	if (t.kind !== 'int' && t.kind !== 'pointer') return `cannot assign to a ${typeToString(t)}`;
	let big: bigint;
	const char = /^'(.|\\x[0-9a-fA-F]{2})'$/.exec(s);
	if (char !== null) big = BigInt(char[1].length === 1 ? char[1].charCodeAt(0) : Number.parseInt(char[1].slice(2), 16));
	else if (s === 'true' || s === 'false') big = s === 'true' ? 1n : 0n;
	else if (/^-?(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/.test(s)) {
		const negative = s.startsWith('-');
		const body = negative ? s.slice(1) : s;
		const magnitude = /^0[0-7]+$/.test(body) ? BigInt(`0o${body.slice(1)}`) : BigInt(body);
		big = negative ? -magnitude : magnitude;
	} else return `'${s}' is not an integer`;
	if (t.kind === 'pointer') return intToPtr(big);
	return convInt(big, t.size, t.signed);
}

/** Encodes a scalar `value` of `type` as its little-endian bytes (pointers: the 64-bit sign-extended form). */
export function scalarBytes(value: Value, type: CType): Uint8Array {
	const t = unqualified(type);
	const size = t.kind === 'pointer' ? 8 : sizeOf(t);
	const bytes = new Uint8Array(size);
	const view = new DataView(bytes.buffer);
	if (t.kind === 'float') {
		if (size === 4) view.setFloat32(0, Number(value), true);
		else view.setFloat64(0, Number(value), true);
		return bytes;
	}
	const big = t.kind === 'pointer' ? BigInt(ptrToU64(Number(value))) : typeof value === 'bigint' ? value : BigInt(value);
	let raw = BigInt.asUintN(size * 8, big);
	for (let i = 0; i < size; i++) {
		bytes[i] = Number(raw & 0xffn);
		raw >>= 8n;
	}
	return bytes;
}

/** Writes a scalar to where `tv` lives (memory or register); bit-fields merge into their storage unit. Throws InspectError. */
export function writeScalar(tv: TypedValue, value: Value, space: AddressSpaceView): void {
	const t = unqualified(tv.type);
	const location = tv.location;
	if (location.kind === 'rvalue') throw new InspectError('not an lvalue');
	if (location.kind === 'register') {
		location.frame.regs[location.slot] = value;
		return;
	}
	if (tv.bitField !== undefined && tv.bitField.bitWidth !== undefined && t.kind === 'int') {
		const unit = space.read(location.address, t.size);
		let raw = 0n;
		for (let i = t.size - 1; i >= 0; i--) raw = (raw << 8n) | BigInt(unit[i]);
		const width = BigInt(tv.bitField.bitWidth);
		const shift = BigInt(tv.bitField.bitOffset ?? 0);
		const mask = ((1n << width) - 1n) << shift;
		raw = (raw & ~mask) | ((BigInt.asUintN(Number(width), typeof value === 'bigint' ? value : BigInt(value)) << shift) & mask);
		for (let i = 0; i < t.size; i++) {
			unit[i] = Number(raw & 0xffn);
			raw >>= 8n;
		}
		space.write(location.address, unit);
		return;
	}
	space.write(location.address, scalarBytes(value, t));
}
