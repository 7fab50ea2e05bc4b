// glibc-exact printf formatting, shared by the user C library (printf, snprintf, vprintf, ...) and,
// later, the kernel's printk (layer: interp).
//
// `formatPrintf` is pure: it turns a format string and a source of arguments into bytes. It never
// reads memory itself; the ArgSource does (for `%s`) and stores (for `%n`), and reports a fault by
// setting `failed`, after which formatting stops.
//
// Fidelity notes (checked against glibc 2.36 by test/unit/libc/format.test.ts):
// - Floating-point conversions are exact: a double is m * 2^e, so its decimal expansion is finite,
//   and digits are produced with BigInt arithmetic and rounded half-to-even on exact ties, as glibc
//   does in the default rounding mode. JS toFixed/toPrecision round ties away and are not used.
// - `%p` prints `0x...` (as `%#lx`, keeping the `+` and space flags as glibc does) and `(nil)`;
//   `%s` of NULL prints `(null)` unless the precision is below 6; `%m` prints strerror(errno).
// - `%La`/`%LA` print in the x87 80-bit layout glibc uses for long double (`0x8p-3` for 1.0),
//   computed from the double that KC stores for a long double.
// - Unknown conversions are copied verbatim; a format ending inside a conversion is an error (-1).
// - Positional arguments (`%2$d`, `%*3$d`) are supported.

import { strerrorText } from './errors';

/** Where formatPrintf takes its arguments from. */
export interface ArgSource {
	/**
	 * The next integer-class argument (an integer or a pointer, which x86-64 passes in general
	 * registers). Any exact integer value: the formatter truncates it to the conversion's width.
	 */
	nextInt(): number | bigint;
	/** The next floating-point argument (passed in SSE registers on x86-64). */
	nextDouble(): number;
	/**
	 * The bytes of the NUL-terminated string at `address`, without the NUL, reading at most `limit`
	 * bytes when given. Returns undefined after a memory fault (and sets `failed`).
	 */
	cString(address: number, limit?: number): Uint8Array | undefined;
	/** The wide characters (int32) of the wchar_t string at `address`, at most `limit`; undefined on a fault. */
	wideString(address: number, limit?: number): number[] | undefined;
	/** `%n`: stores `count` into the `size`-byte integer at `address`. False after a fault. */
	storeCount(address: number, size: 1 | 2 | 4 | 8, count: number): boolean;
	/** The current errno, for `%m`. */
	errno(): number;
	/** True once a memory access of the source faulted; formatting stops. */
	readonly failed: boolean;
}

/** Result of formatting. */
export interface FormatResult {
	/** The bytes produced (up to the failure point when `error` or a fault stopped formatting). */
	readonly bytes: Uint8Array;
	/**
	 * Set when printf must return -1: `EINVAL` (format ends inside a conversion), `EILSEQ` (a wide
	 * character with no single-byte form in the C locale), `EOVERFLOW` (output beyond the limit).
	 */
	readonly error?: 'EINVAL' | 'EILSEQ' | 'EOVERFLOW';
}

/**
 * The most bytes one call may produce. glibc's limit is INT_MAX; a simulated program cannot be
 * allowed to make the host allocate that much, so larger outputs fail with EOVERFLOW.
 */
export const MAX_FORMAT_OUTPUT = 16 * 1024 * 1024;

/** Formats like glibc's vfprintf. See formatPrintfResult for the error cases. */
export function formatPrintf(format: Uint8Array, args: ArgSource): Uint8Array {
	return formatPrintfResult(format, args).bytes;
}

// ---- Parsing ---------------------------------------------------------------------------------

type Length = '' | 'hh' | 'h' | 'l' | 'll' | 'L' | 'j' | 'z' | 't';

/** A width or precision: absent, a literal, or taken from an argument (`*` or `*n$`). */
type Amount = { kind: 'none' } | { kind: 'fixed'; value: number } | { kind: 'arg'; position: number };

interface Spec {
	/** Index in the format of the `%`, and just past the conversion character. */
	readonly start: number;
	end: number;
	left: boolean;
	plus: boolean;
	space: boolean;
	alt: boolean;
	zero: boolean;
	width: Amount;
	precision: Amount;
	length: Length;
	/** The conversion character, or 0 when the format ended inside the conversion. */
	conversion: number;
	/** 1-based argument position for positional formats, 0 for sequential. */
	position: number;
}

type Item = { kind: 'text'; start: number; end: number } | { kind: 'spec'; spec: Spec };

const PERCENT = 0x25;

function isDigit(c: number): boolean {
	return c >= 0x30 && c <= 0x39;
}

/** Parses decimal digits at `i`; returns the value (saturated) and the index after them. */
function parseNumber(format: Uint8Array, i: number): { value: number; next: number } {
	let value = 0;
	while (i < format.length && isDigit(format[i])) {
		value = Math.min(value * 10 + (format[i] - 0x30), 0x7fffffff + 1);
		i++;
	}
	return { value, next: i };
}

/** Parses `n$` at `i` if present; returns the position or 0. */
function parsePosition(format: Uint8Array, i: number): { position: number; next: number } {
	if (i < format.length && isDigit(format[i]) && format[i] !== 0x30) {
		const n = parseNumber(format, i);
		if (n.next < format.length && format[n.next] === 0x24 /* $ */) {
			return { position: n.value, next: n.next + 1 };
		}
	}
	return { position: 0, next: i };
}

function parseSpec(format: Uint8Array, start: number): Spec {
	const spec: Spec = {
		start,
		end: format.length,
		left: false,
		plus: false,
		space: false,
		alt: false,
		zero: false,
		width: { kind: 'none' },
		precision: { kind: 'none' },
		length: '',
		conversion: 0,
		position: 0,
	};
	let i = start + 1;
	const pos = parsePosition(format, i);
	spec.position = pos.position;
	i = pos.next;
	// Flags. `'` (grouping) and `I` (locale digits) have no effect in the C locale.
	for (; i < format.length; i++) {
		const c = format[i];
		if (c === 0x2d) spec.left = true;
		else if (c === 0x2b) spec.plus = true;
		else if (c === 0x20) spec.space = true;
		else if (c === 0x23) spec.alt = true;
		else if (c === 0x30) spec.zero = true;
		else if (c === 0x27 || c === 0x49) continue;
		else break;
	}
	// Width.
	if (i < format.length && format[i] === 0x2a /* * */) {
		i++;
		const p = parsePosition(format, i);
		spec.width = { kind: 'arg', position: p.position };
		i = p.next;
	} else if (i < format.length && isDigit(format[i])) {
		const n = parseNumber(format, i);
		spec.width = { kind: 'fixed', value: n.value };
		i = n.next;
	}
	// Precision.
	if (i < format.length && format[i] === 0x2e /* . */) {
		i++;
		if (i < format.length && format[i] === 0x2a) {
			i++;
			const p = parsePosition(format, i);
			spec.precision = { kind: 'arg', position: p.position };
			i = p.next;
		} else {
			const n = parseNumber(format, i);
			spec.precision = { kind: 'fixed', value: n.value };
			i = n.next;
		}
	}
	// Length modifier.
	if (i < format.length) {
		const c = format[i];
		const next = i + 1 < format.length ? format[i + 1] : 0;
		if (c === 0x68 /* h */) {
			spec.length = next === 0x68 ? 'hh' : 'h';
			i += next === 0x68 ? 2 : 1;
		} else if (c === 0x6c /* l */) {
			spec.length = next === 0x6c ? 'll' : 'l';
			i += next === 0x6c ? 2 : 1;
		} else if (c === 0x4c /* L */ || c === 0x71 /* q */) {
			spec.length = 'L';
			i++;
		} else if (c === 0x6a /* j */) {
			spec.length = 'j';
			i++;
		} else if (c === 0x7a /* z */ || c === 0x5a /* Z */) {
			spec.length = 'z';
			i++;
		} else if (c === 0x74 /* t */) {
			spec.length = 't';
			i++;
		}
	}
	if (i < format.length) {
		spec.conversion = format[i];
		spec.end = i + 1;
	}
	return spec;
}

function parseFormat(format: Uint8Array): Item[] {
	const items: Item[] = [];
	let i = 0;
	while (i < format.length) {
		const pct = format.indexOf(PERCENT, i);
		if (pct < 0) {
			items.push({ kind: 'text', start: i, end: format.length });
			break;
		}
		if (pct > i) {
			items.push({ kind: 'text', start: i, end: pct });
		}
		const spec = parseSpec(format, pct);
		items.push({ kind: 'spec', spec });
		i = spec.end;
	}
	return items;
}

// ---- Argument classes ---------------------------------------------------------------------------

/** What a conversion consumes: an integer-class value, a double, or nothing. */
type ArgClass = 'int' | 'double' | 'none';

function conversionClass(conversion: number): ArgClass {
	switch (String.fromCharCode(conversion)) {
		case 'd': case 'i': case 'u': case 'o': case 'x': case 'X': case 'c': case 'C':
		case 's': case 'S': case 'p': case 'n':
			return 'int';
		case 'f': case 'F': case 'e': case 'E': case 'g': case 'G': case 'a': case 'A':
			return 'double';
		default:
			return 'none';
	}
}

/** Hands out arguments either in order or, for positional formats, by position from a prefetched table. */
class Arguments {
	private readonly table: (number | bigint)[] | undefined;

	constructor(private readonly source: ArgSource, items: readonly Item[]) {
		const specs = items.filter((item): item is { kind: 'spec'; spec: Spec } => item.kind === 'spec').map(item => item.spec);
		if (specs.length === 0 || specs[0].position === 0) {
			return;
		}
		// Positional: learn every position's class, then read them in order (missing ones as int).
		const classes: ArgClass[] = [];
		const note = (position: number, cls: ArgClass): void => {
			if (position > 0 && position <= 0x10000) {
				classes[position - 1] = cls;
			}
		};
		for (const spec of specs) {
			if (spec.width.kind === 'arg') note(spec.width.position, 'int');
			if (spec.precision.kind === 'arg') note(spec.precision.position, 'int');
			const cls = conversionClass(spec.conversion);
			if (cls !== 'none') note(spec.position, cls);
		}
		this.table = [];
		for (let i = 0; i < classes.length && !source.failed; i++) {
			this.table.push(classes[i] === 'double' ? source.nextDouble() : source.nextInt());
		}
	}

	int(position: number): number | bigint {
		if (this.table === undefined) {
			return this.source.nextInt();
		}
		const v = this.table[position - 1];
		return typeof v === 'bigint' || Number.isInteger(v) ? v : 0;
	}

	double(position: number): number {
		if (this.table === undefined) {
			return this.source.nextDouble();
		}
		const v = this.table[position - 1];
		return typeof v === 'number' ? v : 0;
	}
}

// ---- Output buffer ------------------------------------------------------------------------------

class ByteWriter {
	private buffer = new Uint8Array(64);
	length = 0;
	overflow = false;

	private reserve(n: number): boolean {
		if (this.length + n > MAX_FORMAT_OUTPUT) {
			this.overflow = true;
			return false;
		}
		if (this.length + n > this.buffer.length) {
			let size = this.buffer.length * 2;
			while (size < this.length + n) size *= 2;
			const grown = new Uint8Array(size);
			grown.set(this.buffer.subarray(0, this.length));
			this.buffer = grown;
		}
		return true;
	}

	byte(b: number): void {
		if (this.reserve(1)) {
			this.buffer[this.length++] = b;
		}
	}

	bytes(b: Uint8Array): void {
		if (this.reserve(b.length)) {
			this.buffer.set(b, this.length);
			this.length += b.length;
		}
	}

	/** ASCII text only. */
	ascii(s: string): void {
		if (this.reserve(s.length)) {
			for (let i = 0; i < s.length; i++) {
				this.buffer[this.length++] = s.charCodeAt(i);
			}
		}
	}

	pad(b: number, n: number): void {
		if (n > 0 && this.reserve(n)) {
			this.buffer.fill(b, this.length, this.length + n);
			this.length += n;
		}
	}

	result(): Uint8Array {
		return this.buffer.slice(0, this.length);
	}
}

// ---- The formatter ------------------------------------------------------------------------------

/** Formats like glibc's vfprintf and says whether printf would return -1. */
export function formatPrintfResult(format: Uint8Array, source: ArgSource): FormatResult {
	const items = parseFormat(format);
	const args = new Arguments(source, items);
	const out = new ByteWriter();
	for (const item of items) {
		if (source.failed) {
			break;
		}
		if (item.kind === 'text') {
			out.bytes(format.subarray(item.start, item.end));
		} else {
			const error = formatOne(item.spec, format, args, source, out);
			if (error !== undefined) {
				return { bytes: out.result(), error };
			}
		}
		if (out.overflow) {
			return { bytes: new Uint8Array(0), error: 'EOVERFLOW' };
		}
	}
	return { bytes: out.result() };
}

/** Resolved flags and sizes of one conversion. */
interface Conversion {
	left: boolean;
	plus: boolean;
	space: boolean;
	alt: boolean;
	/** The padding character for right-justified numbers: '0' only with the `0` flag and no `-`. */
	zeroPad: boolean;
	width: number;
	/** -1 when absent. */
	precision: number;
	length: Length;
	conversion: string;
}

function formatOne(spec: Spec, format: Uint8Array, args: Arguments, source: ArgSource, out: ByteWriter): FormatResult['error'] {
	if (spec.conversion === 0) {
		// The format ended inside a conversion specification.
		return 'EINVAL';
	}
	let sequential = 0;
	const position = (p: number): number => (p > 0 ? p : ++sequential);
	const c: Conversion = {
		left: spec.left,
		plus: spec.plus,
		space: spec.space,
		alt: spec.alt,
		zeroPad: false,
		width: 0,
		precision: -1,
		length: spec.length,
		conversion: String.fromCharCode(spec.conversion),
	};
	if (spec.width.kind === 'fixed') {
		c.width = spec.width.value;
	} else if (spec.width.kind === 'arg') {
		const w = Number(BigInt.asIntN(32, toBigInt(args.int(position(spec.width.position)))));
		if (w < 0) {
			c.left = true;
			c.width = -w;
		} else {
			c.width = w;
		}
	}
	if (spec.precision.kind === 'fixed') {
		c.precision = spec.precision.value;
	} else if (spec.precision.kind === 'arg') {
		const p = Number(BigInt.asIntN(32, toBigInt(args.int(position(spec.precision.position)))));
		c.precision = p < 0 ? -1 : p;
	}
	if (c.width > MAX_FORMAT_OUTPUT || c.precision > MAX_FORMAT_OUTPUT) {
		return 'EOVERFLOW';
	}
	c.zeroPad = spec.zero && !c.left;
	if (source.failed) {
		return undefined;
	}
	const argPosition = spec.position;
	switch (c.conversion) {
		case 'd':
		case 'i':
			formatInteger(c, args.int(position(argPosition)), true, 10, out);
			return undefined;
		case 'u':
			formatInteger(c, args.int(position(argPosition)), false, 10, out);
			return undefined;
		case 'o':
			formatInteger(c, args.int(position(argPosition)), false, 8, out);
			return undefined;
		case 'x':
		case 'X':
			formatInteger(c, args.int(position(argPosition)), false, 16, out);
			return undefined;
		case 'p':
			formatPointer(c, args.int(position(argPosition)), out);
			return undefined;
		case 'c':
		case 'C': {
			const v = args.int(position(argPosition));
			if (c.length === 'l' || c.conversion === 'C') {
				const wc = Number(BigInt.asUintN(32, toBigInt(v)));
				if (wc > 0x7f) {
					return 'EILSEQ';
				}
				padded(c, Uint8Array.of(wc), out);
			} else {
				padded(c, Uint8Array.of(Number(BigInt.asUintN(8, toBigInt(v)))), out);
			}
			return undefined;
		}
		case 's':
		case 'S':
			return formatString(c, args.int(position(argPosition)), source, out);
		case 'm':
			formatText(c, new TextEncoder().encode(strerrorText(source.errno())), out);
			return undefined;
		case 'n': {
			const address = Number(BigInt.asUintN(48, toBigInt(args.int(position(argPosition)))));
			const size = c.length === 'hh' ? 1 : c.length === 'h' ? 2 : c.length === '' ? 4 : 8;
			source.storeCount(address, size, out.length);
			return undefined;
		}
		case '%':
			out.byte(PERCENT);
			return undefined;
		case 'f':
		case 'F':
		case 'e':
		case 'E':
		case 'g':
		case 'G':
			formatFloat(c, args.double(position(argPosition)), out);
			return undefined;
		case 'a':
		case 'A':
			formatHexFloat(c, args.double(position(argPosition)), out);
			return undefined;
		default:
			// glibc prints an unknown conversion specification as it was written.
			out.bytes(format.subarray(spec.start, spec.end));
			return undefined;
	}
}

/** `%c`, `%s`-style output: padding is always spaces, whatever the `0` flag says. */
function padded(c: Conversion, body: Uint8Array, out: ByteWriter): void {
	const fill = c.width - body.length;
	if (!c.left) out.pad(0x20, fill);
	out.bytes(body);
	if (c.left) out.pad(0x20, fill);
}

function formatText(c: Conversion, text: Uint8Array, out: ByteWriter): void {
	padded(c, c.precision >= 0 && c.precision < text.length ? text.subarray(0, c.precision) : text, out);
}

const NULL_TEXT = new TextEncoder().encode('(null)');

function formatString(c: Conversion, pointer: number | bigint, source: ArgSource, out: ByteWriter): FormatResult['error'] {
	const address = Number(BigInt.asUintN(48, toBigInt(pointer)));
	if (address === 0) {
		// glibc prints "(null)" only when the precision leaves room for all of it.
		padded(c, c.precision === -1 || c.precision >= NULL_TEXT.length ? NULL_TEXT : new Uint8Array(0), out);
		return undefined;
	}
	if (c.length === 'l' || c.conversion === 'S') {
		// Wide string: each character must convert to one byte in the C locale; the precision counts bytes.
		const chars = source.wideString(address, c.precision >= 0 ? c.precision : undefined);
		if (chars === undefined) {
			return undefined;
		}
		if (chars.some(ch => ch < 0 || ch > 0x7f)) {
			return 'EILSEQ';
		}
		padded(c, Uint8Array.from(chars), out);
		return undefined;
	}
	const bytes = source.cString(address, c.precision >= 0 ? c.precision : undefined);
	if (bytes !== undefined) {
		padded(c, bytes, out);
	}
	return undefined;
}

/**
 * An integer argument as a bigint. Sources hand out integers; a non-integer number (a double where
 * the caller's types were unknown) truncates instead of throwing.
 */
function toBigInt(v: number | bigint): bigint {
	if (typeof v === 'bigint') return v;
	return Number.isFinite(v) ? BigInt(Math.trunc(v)) : 0n;
}

/** Truncates an argument to the conversion's integer width; returns the magnitude and the sign. */
function integerValue(c: Conversion, v: number | bigint, signed: boolean): { magnitude: bigint | number; negative: boolean } {
	let bits: number;
	switch (c.length) {
		case 'hh':
			bits = 8;
			break;
		case 'h':
			bits = 16;
			break;
		case '':
			bits = 32;
			break;
		default:
			bits = 64;
	}
	if (typeof v === 'number' && bits <= 32) {
		// Fast path: ToInt32 / ToUint32 truncate any integer-valued number modulo 2^32.
		let n = signed ? v | 0 : v >>> 0;
		if (bits === 16) n = signed ? (n << 16) >> 16 : n & 0xffff;
		if (bits === 8) n = signed ? (n << 24) >> 24 : n & 0xff;
		return { magnitude: Math.abs(n), negative: n < 0 };
	}
	if (typeof v === 'number' && bits === 64 && Number.isSafeInteger(v) && (signed || v >= 0)) {
		return { magnitude: Math.abs(v), negative: v < 0 };
	}
	const big = signed ? BigInt.asIntN(bits, toBigInt(v)) : BigInt.asUintN(bits, toBigInt(v));
	return { magnitude: big < 0n ? -big : big, negative: big < 0n };
}

function formatInteger(c: Conversion, v: number | bigint, signed: boolean, base: 8 | 10 | 16, out: ByteWriter): void {
	const { magnitude, negative } = integerValue(c, v, signed);
	emitNumber(c, magnitude, negative, signed, base, out);
}

/** `%p`: `(nil)` for NULL, else `%#lx` of the canonical (bit-47 sign-extended) address. */
function formatPointer(c: Conversion, v: number | bigint, out: ByteWriter): void {
	let address = BigInt.asUintN(64, toBigInt(v));
	if (address === 0n) {
		const nil = new TextEncoder().encode('(nil)');
		padded(c, nil, out);
		return;
	}
	if (address < 1n << 48n && address >= 1n << 47n) {
		address |= 0xffff000000000000n;
	}
	// glibc jumps past the point where unsigned conversions drop `+` and space, so they stay.
	emitNumber({ ...c, alt: true, conversion: 'x', length: 'l' }, address, false, true, 16, out);
}

/** glibc's LABEL(number): precision, `#` markers, sign and padding for an integer conversion. */
function emitNumber(c: Conversion, magnitude: bigint | number, negative: boolean, keepSign: boolean, base: 8 | 10 | 16, out: ByteWriter): void {
	const isZero = magnitude === 0 || magnitude === 0n;
	let precision = c.precision;
	let zeroPad = c.zeroPad;
	if (precision < 0) {
		precision = 1;
	} else {
		zeroPad = false;
	}
	let digits: string;
	if (precision === 0 && isZero) {
		digits = base === 8 && c.alt ? '0' : '';
	} else {
		digits = magnitude.toString(base);
		if (c.conversion === 'X') digits = digits.toUpperCase();
	}
	if (precision <= digits.length && !isZero && c.alt && base === 8) {
		digits = '0' + digits;
	}
	const zeros = Math.max(0, precision - digits.length);
	const plus = keepSign && c.plus;
	const space = keepSign && c.space;
	const sign = negative ? '-' : plus ? '+' : space ? ' ' : '';
	const prefix = !isZero && c.alt && base === 16 ? (c.conversion === 'X' ? '0X' : '0x') : '';
	const body = sign.length + prefix.length + zeros + digits.length;
	const fill = c.width - body;
	if (!c.left && !zeroPad) out.pad(0x20, fill);
	out.ascii(sign + prefix);
	if (!c.left && zeroPad) out.pad(0x30, fill);
	out.pad(0x30, zeros);
	out.ascii(digits);
	if (c.left) out.pad(0x20, fill);
}

// ---- Floating point -----------------------------------------------------------------------------

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

/** The sign bit of a double, NaNs and -0 included. */
function signBit(x: number): boolean {
	f64[0] = x;
	return u32[1] >>> 31 === 1;
}

/** |x| = mantissa * 2^exponent exactly, for finite x. mantissa is 0 only for zeros. */
function decompose(x: number): { mantissa: bigint; exponent: number } {
	f64[0] = x;
	const hi = u32[1];
	const lo = u32[0];
	const biased = (hi >>> 20) & 0x7ff;
	const fraction = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
	if (biased === 0) {
		return { mantissa: fraction, exponent: -1074 };
	}
	return { mantissa: fraction | (1n << 52n), exponent: biased - 1075 };
}

const powersOfTen: bigint[] = [1n];
function pow10(n: number): bigint {
	while (powersOfTen.length <= n) {
		powersOfTen.push(powersOfTen[powersOfTen.length - 1] * 10n);
	}
	return powersOfTen[n];
}

/** round(mantissa * 2^exponent * 10^scale), ties to even: the digits of a decimal conversion. */
function scaledRound(mantissa: bigint, exponent: number, scale: number): bigint {
	let numerator = mantissa;
	let denominator = 1n;
	if (scale >= 0) numerator *= pow10(scale);
	else denominator *= pow10(-scale);
	if (exponent >= 0) numerator <<= BigInt(exponent);
	else denominator <<= BigInt(-exponent);
	const quotient = numerator / denominator;
	const twice = (numerator - quotient * denominator) * 2n;
	if (twice > denominator || (twice === denominator && (quotient & 1n) === 1n)) {
		return quotient + 1n;
	}
	return quotient;
}

/** floor(log10(mantissa * 2^exponent)) for a nonzero value, exactly. */
function decimalExponent(x: number, mantissa: bigint, exponent: number): number {
	let e = Math.floor(Math.log10(Math.abs(x)));
	// Math.log10 may be off by one near powers of ten: correct it exactly.
	const atLeast = (k: number): boolean => {
		// mantissa * 2^exponent >= 10^k ?
		let left = mantissa;
		let right = 1n;
		if (exponent >= 0) left <<= BigInt(exponent);
		else right <<= BigInt(-exponent);
		if (k >= 0) right *= pow10(k);
		else left *= pow10(-k);
		return left >= right;
	};
	while (!atLeast(e)) e--;
	while (atLeast(e + 1)) e++;
	return e;
}

/**
 * Beyond these precisions every further digit of a double is zero (its exact expansion has at
 * most 1074 fractional digits and 767 significant ones), so digits are computed up to the cap and
 * zeros appended: the cost stays bounded whatever precision a program asks for.
 */
const FIXED_DIGITS_CAP = 1100;
const SIGNIFICANT_DIGITS_CAP = 800;

/** Digits of |x| with `precision` fractional digits: integer part and fraction (exactly `precision` long). */
function fixedDigits(mantissa: bigint, exponent: number, precision: number): { integer: string; fraction: string } {
	const computed = Math.min(precision, FIXED_DIGITS_CAP);
	let s = scaledRound(mantissa, exponent, computed).toString();
	if (s.length <= computed) s = '0'.repeat(computed + 1 - s.length) + s;
	const integer = s.slice(0, s.length - computed);
	const fraction = s.slice(s.length - computed) + '0'.repeat(precision - computed);
	return { integer, fraction };
}

/** Digits of |x| in scientific form with `precision` digits after the first: d.ddd and the exponent. */
function scientificDigits(x: number, mantissa: bigint, exponent: number, precision: number): { digits: string; exponent10: number } {
	if (mantissa === 0n) {
		return { digits: '0'.repeat(precision + 1), exponent10: 0 };
	}
	const computed = Math.min(precision, SIGNIFICANT_DIGITS_CAP);
	let e = decimalExponent(x, mantissa, exponent);
	let n = scaledRound(mantissa, exponent, computed - e);
	if (n === pow10(computed + 1)) {
		// Rounding carried into a new digit (9.99 -> 10.0).
		n = pow10(computed);
		e++;
	}
	return { digits: n.toString() + '0'.repeat(precision - computed), exponent10: e };
}

function exponentText(e: number, upper: boolean): string {
	const magnitude = Math.abs(e).toString();
	return (upper ? 'E' : 'e') + (e < 0 ? '-' : '+') + (magnitude.length < 2 ? '0' + magnitude : magnitude);
}

/** Sign and padding around a finished floating-point body (digits, point, exponent). */
function emitFloat(c: Conversion, negative: boolean, prefix: string, body: string, finite: boolean, out: ByteWriter): void {
	const sign = negative ? '-' : c.plus ? '+' : c.space ? ' ' : '';
	const fill = c.width - sign.length - prefix.length - body.length;
	// glibc pads inf and nan with spaces even under the `0` flag.
	const zeroPad = c.zeroPad && finite;
	if (!c.left && !zeroPad) out.pad(0x20, fill);
	out.ascii(sign + prefix);
	if (!c.left && zeroPad) out.pad(0x30, fill);
	out.ascii(body);
	if (c.left) out.pad(0x20, fill);
}

function stripTrailingZeros(digits: string): string {
	let end = digits.length;
	while (end > 0 && digits.charCodeAt(end - 1) === 0x30) end--;
	return digits.slice(0, end);
}

function formatFloat(c: Conversion, x: number, out: ByteWriter): void {
	const conv = c.conversion;
	const upper = conv === 'F' || conv === 'E' || conv === 'G';
	const negative = signBit(x);
	if (!Number.isFinite(x)) {
		const text = Number.isNaN(x) ? 'nan' : 'inf';
		emitFloat(c, negative, '', upper ? text.toUpperCase() : text, false, out);
		return;
	}
	const { mantissa, exponent } = decompose(x);
	let precision = c.precision < 0 ? 6 : c.precision;
	let body: string;
	if (conv === 'f' || conv === 'F') {
		const { integer, fraction } = fixedDigits(mantissa, exponent, precision);
		body = integer + (precision > 0 || c.alt ? '.' : '') + fraction;
	} else if (conv === 'e' || conv === 'E') {
		const { digits, exponent10 } = scientificDigits(x, mantissa, exponent, precision);
		body = digits[0] + (precision > 0 || c.alt ? '.' : '') + digits.slice(1) + exponentText(exponent10, upper);
	} else {
		// %g: scientific when the exponent X of the %e form is < -4 or >= P.
		if (precision === 0) precision = 1;
		const sci = scientificDigits(x, mantissa, exponent, precision - 1);
		const X = sci.exponent10;
		if (c.alt && X === precision && mantissa !== 0n && decimalExponent(x, mantissa, exponent) === precision - 1) {
			// glibc quirk: it chose the %f style from the unrounded exponent; when rounding then carries
			// into a new digit (999.5 with %#.3g) it switches to %e but keeps no fraction digits: "1.e+03".
			body = '1.' + exponentText(X, upper);
		} else if (X < precision && X >= -4) {
			const fractionDigits = precision - 1 - X;
			const { integer, fraction } = fixedDigits(mantissa, exponent, fractionDigits);
			const kept = c.alt ? fraction : stripTrailingZeros(fraction);
			body = integer + (kept.length > 0 || c.alt ? '.' : '') + kept;
		} else {
			const kept = c.alt ? sci.digits.slice(1) : stripTrailingZeros(sci.digits.slice(1));
			body = sci.digits[0] + (kept.length > 0 || c.alt ? '.' : '') + kept + exponentText(X, upper);
		}
	}
	emitFloat(c, negative, '', body, true, out);
}

/**
 * `%a`: hexadecimal floating point as glibc prints it. For doubles the leading digit is 1 (0 for
 * zero and subnormals, which keep the exponent -1022); for `L` the x87 layout: a 64-bit mantissa
 * with an explicit integer bit, leading digit 8..f and the exponent reduced by 3. Rounding to a
 * precision is half-to-even on the hex digits, and a carry out of the leading digit is kept
 * (`0x2p+0`), both as glibc does.
 */
function formatHexFloat(c: Conversion, x: number, out: ByteWriter): void {
	const upper = c.conversion === 'A';
	const negative = signBit(x);
	if (!Number.isFinite(x)) {
		const text = Number.isNaN(x) ? 'nan' : 'inf';
		emitFloat(c, negative, '', upper ? text.toUpperCase() : text, false, out);
		return;
	}
	const { mantissa, exponent } = decompose(x);
	let leading: number;
	let fraction: string; // hex digits after the point, before trimming
	let binaryExponent: number;
	if (mantissa === 0n) {
		leading = 0;
		fraction = '';
		binaryExponent = 0;
	} else if (c.length === 'L') {
		// Normalize to 64 bits with the top bit set.
		const bits = mantissa.toString(2).length;
		const m64 = mantissa << BigInt(64 - bits);
		leading = Number(m64 >> 60n);
		fraction = (m64 & ((1n << 60n) - 1n)).toString(16).padStart(15, '0');
		binaryExponent = exponent + bits - 1 - 3;
	} else if (mantissa >= 1n << 52n) {
		leading = 1;
		fraction = (mantissa & ((1n << 52n) - 1n)).toString(16).padStart(13, '0');
		binaryExponent = exponent + 52;
	} else {
		leading = 0;
		fraction = mantissa.toString(16).padStart(13, '0');
		binaryExponent = -1022;
	}
	let digits = stripTrailingZeros(fraction);
	if (c.precision >= 0 && c.precision < digits.length) {
		const next = parseInt(digits[c.precision], 16);
		const more = c.precision + 1 < digits.length;
		const last = c.precision > 0 ? parseInt(digits[c.precision - 1], 16) : leading;
		let kept = digits.slice(0, c.precision);
		if (next > 8 || (next === 8 && (more || (last & 1) === 1))) {
			// Round up, carrying into the leading digit if every kept digit was f.
			const value = (BigInt(leading) << BigInt(4 * c.precision)) + (c.precision > 0 ? BigInt('0x' + kept) : 0n) + 1n;
			const text = value.toString(16);
			const keptLength = c.precision;
			kept = keptLength > 0 ? text.slice(-keptLength).padStart(keptLength, '0') : '';
			leading = Number(value >> BigInt(4 * keptLength));
			if (c.length === 'L' && leading > 15) {
				// The x87 layout renormalizes a carry out of the leading digit; the double layout keeps 0x2.
				leading = 1;
				binaryExponent += 4;
			}
		}
		digits = kept;
	}
	if (c.precision > digits.length) {
		digits += '0'.repeat(c.precision - digits.length);
	}
	let body = leading.toString(16) + (digits.length > 0 || c.alt ? '.' : '') + digits;
	body += 'p' + (binaryExponent < 0 ? '-' : '+') + Math.abs(binaryExponent).toString();
	if (upper) body = body.toUpperCase();
	emitFloat(c, negative, upper ? '0X' : '0x', body, true, out);
}
