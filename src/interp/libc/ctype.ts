// Character classes of the "C" locale with glibc's class bits (layer: interp).
//
// glibc's isalpha(c) is `table[c] & _ISalpha`, so it returns the bit (1024), not 1; programs that
// print the result see that, and so they do here. <ctype.h>'s macros read the table itself from
// simulated memory through `__ctype_b_loc()`, exactly as glibc's do; the functions compute the same
// bits. Arguments outside -128..255 are undefined behaviour in C; the functions classify them as
// nothing.

import type { Builtin, MemoryBus } from '../contracts';
import { toInt } from './memoryAccess';

/** glibc's _IS* bits on a little-endian machine. */
export const CtypeBit = {
	upper: 0x100,
	lower: 0x200,
	alpha: 0x400,
	digit: 0x800,
	xdigit: 0x1000,
	space: 0x2000,
	print: 0x4000,
	graph: 0x8000,
	blank: 0x1,
	cntrl: 0x2,
	punct: 0x4,
	alnum: 0x8,
} as const;

/** The class mask of each byte 0..255 in the C locale (128..255 have none). */
const TABLE: Uint16Array = (() => {
	const t = new Uint16Array(256);
	for (let c = 0; c < 128; c++) {
		let m = 0;
		const upper = c >= 0x41 && c <= 0x5a;
		const lower = c >= 0x61 && c <= 0x7a;
		const digit = c >= 0x30 && c <= 0x39;
		if (upper) m |= CtypeBit.upper | CtypeBit.alpha | CtypeBit.alnum;
		if (lower) m |= CtypeBit.lower | CtypeBit.alpha | CtypeBit.alnum;
		if (digit) m |= CtypeBit.digit | CtypeBit.xdigit | CtypeBit.alnum;
		if ((c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66)) m |= CtypeBit.xdigit;
		if (c === 0x20 || (c >= 0x09 && c <= 0x0d)) m |= CtypeBit.space;
		if (c === 0x20 || c === 0x09) m |= CtypeBit.blank;
		if (c < 0x20 || c === 0x7f) m |= CtypeBit.cntrl;
		if (c >= 0x20 && c < 0x7f) m |= CtypeBit.print;
		if (c > 0x20 && c < 0x7f) m |= CtypeBit.graph;
		if (c > 0x20 && c < 0x7f && !upper && !lower && !digit) m |= CtypeBit.punct;
		t[c] = m;
	}
	return t;
})();

/** The class mask of an `int` argument as glibc's table lookup gives it. */
export function ctypeMask(c: number): number {
	return c >= 0 && c < 256 ? TABLE[c] : 0;
}

/** toupper in the C locale: only a..z change. */
export function toUpper(c: number): number {
	return c >= 0x61 && c <= 0x7a ? c - 0x20 : c;
}

/** tolower in the C locale: only A..Z change. */
export function toLower(c: number): number {
	return c >= 0x41 && c <= 0x5a ? c + 0x20 : c;
}

/** Writes glibc's 384-entry class table (index -128 .. 255; C locale) and the pointer to its entry 0. */
export function initCtypeTable(mem: MemoryBus, table: number, pointer: number): void {
	const bytes = new Uint8Array(384 * 2);
	const view = new DataView(bytes.buffer);
	for (let c = 0; c < 256; c++) view.setUint16((c + 128) * 2, TABLE[c], true);
	mem.write(table, bytes);
	mem.st64(pointer, table + 128 * 2);
}

/** The <ctype.h> builtins; `ctypePointer` is the address `__ctype_b_loc()` returns. */
export function ctypeBuiltins(ctypePointer: number): Record<string, Builtin> {
	const classify = (bit: number): Builtin => (ctx, args) => ctypeMask(toInt(args[0])) & bit;
	return {
		__ctype_b_loc: () => ctypePointer,
		isalnum: classify(CtypeBit.alnum),
		isalpha: classify(CtypeBit.alpha),
		isblank: classify(CtypeBit.blank),
		iscntrl: classify(CtypeBit.cntrl),
		isdigit: classify(CtypeBit.digit),
		isgraph: classify(CtypeBit.graph),
		islower: classify(CtypeBit.lower),
		isprint: classify(CtypeBit.print),
		ispunct: classify(CtypeBit.punct),
		isspace: classify(CtypeBit.space),
		isupper: classify(CtypeBit.upper),
		isxdigit: classify(CtypeBit.xdigit),
		isascii: (ctx, args) => ((toInt(args[0]) & ~0x7f) === 0 ? 1 : 0),
		toascii: (ctx, args) => toInt(args[0]) & 0x7f,
		tolower: (ctx, args) => toLower(toInt(args[0])),
		toupper: (ctx, args) => toUpper(toInt(args[0])),
	};
}
