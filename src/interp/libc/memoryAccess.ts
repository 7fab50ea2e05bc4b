// Reading and writing C objects through a MemoryBus on behalf of C library builtins (layer: interp).
//
// Every helper reports a fault as `undefined`/`false` with `mem.fault` set and no further effect,
// so a builtin can return `{ kind: 'fault' }` and be called again once the fault is handled.
// Strings are read a page at a time, so a read never touches a page the string does not reach.

import type { BuiltinAction, MemoryBus, Value } from '../contracts';

/** The action a builtin returns when one of its memory accesses faulted. */
export const FAULT: BuiltinAction = { kind: 'fault' };

const PAGE = 4096;

/** The largest string a builtin reads in one call; longer "strings" are treated as ending there. */
export const MAX_STRING = 64 * 1024 * 1024;

/** Converts a `size_t`-like argument (number or bigint) to a non-negative JS number, saturating. */
export function toSize(v: Value): number {
	if (typeof v === 'bigint') {
		return v < 0n ? 0 : v > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(v);
	}
	// Values follow the representation rules; anything else (NaN, fractions) must still not throw.
	return v > 0 ? Math.min(Math.trunc(v), Number.MAX_SAFE_INTEGER) : 0;
}

/** Converts an `int`-typed argument to a JS int32. */
export function toInt(v: Value): number {
	return typeof v === 'bigint' ? Number(BigInt.asIntN(32, v)) : v | 0;
}

/** Converts any integer value to a 48-bit address, as a conversion to a pointer does. */
export function toAddress(v: Value): number {
	if (typeof v === 'bigint') {
		return Number(BigInt.asUintN(48, v));
	}
	if (v >= 0 && v < 2 ** 48) {
		return Math.trunc(v);
	}
	return Number.isFinite(v) ? Number(BigInt.asUintN(48, BigInt(Math.trunc(v)))) : 0;
}

/** A canonical 64-bit value: a number when safe, else a bigint (see contracts.ts). */
export function canonical64(v: bigint): Value {
	return v >= -9007199254740991n && v <= 9007199254740991n ? Number(v) : v;
}

/**
 * The bytes of the NUL-terminated string at `address` (without the NUL), reading at most `limit`
 * bytes. Returns undefined on a fault.
 */
export function readCString(mem: MemoryBus, address: number, limit = MAX_STRING): Uint8Array | undefined {
	const chunks: Uint8Array[] = [];
	let total = 0;
	let at = address;
	while (total < limit) {
		const length = Math.min(PAGE - (at % PAGE), limit - total);
		const chunk = mem.read(at, length);
		if (chunk === null) {
			return undefined;
		}
		const nul = chunk.indexOf(0);
		if (nul >= 0) {
			chunks.push(chunk.subarray(0, nul));
			total += nul;
			break;
		}
		chunks.push(chunk);
		total += length;
		at += length;
	}
	if (chunks.length === 1) {
		return chunks[0];
	}
	const out = new Uint8Array(total);
	let offset = 0;
	for (const c of chunks) {
		out.set(c, offset);
		offset += c.length;
	}
	return out;
}

/** strlen through memory: the length, or undefined on a fault. */
export function stringLength(mem: MemoryBus, address: number, limit = MAX_STRING): number | undefined {
	return readCString(mem, address, limit)?.length;
}

/** The int32 characters of the wchar_t string at `address`, at most `limit`; undefined on a fault. */
export function readWideString(mem: MemoryBus, address: number, limit = MAX_STRING): number[] | undefined {
	const out: number[] = [];
	let at = address;
	while (out.length < limit) {
		const ch = mem.ld32s(at);
		if (mem.fault) {
			return undefined;
		}
		if (ch === 0) {
			break;
		}
		out.push(ch);
		at += 4;
	}
	return out;
}

/** Writes `bytes` and a terminating NUL at `address`. False on a fault. */
export function writeCString(mem: MemoryBus, address: number, bytes: Uint8Array): boolean {
	const withNul = new Uint8Array(bytes.length + 1);
	withNul.set(bytes);
	mem.write(address, withNul);
	return mem.fault === null;
}

const encoder = new TextEncoder();

/** ASCII/UTF-8 text to bytes. */
export function bytesOf(text: string): Uint8Array {
	return encoder.encode(text);
}

/** Bytes to text for messages (Latin-1, so no byte is lost or replaced). */
export function latin1Text(bytes: Uint8Array): string {
	let s = '';
	for (let i = 0; i < bytes.length; i += 8192) {
		s += String.fromCharCode(...bytes.subarray(i, i + 8192));
	}
	return s;
}
