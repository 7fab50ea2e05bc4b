// Decoding of C literal spellings into values, as gcc does for x86-64 Linux (layer: lang, pure).
//
// The lexer keeps literals exactly as written; the preprocessor (`#if`) and the parser call these
// functions to get values. Nothing here throws: malformed spellings return `{ error }` with a
// gcc-style message, and questionable-but-accepted ones carry a `warning`.

/** A decoded integer constant: its value (0 ..2^64-1) and the suffix that selects its type. */
export interface IntegerLiteral {
	readonly value: bigint;
	/** `u`/`U` was present. */
	readonly unsignedSuffix: boolean;
	/** 0: no `l`; 1: `l`; 2: `ll`. */
	readonly longSuffix: 0 | 1 | 2;
	/** Written in decimal (C picks signed types only for unsuffixed decimal constants). */
	readonly decimal: boolean;
}

/** A decoded floating constant. `suffix` 'l' (long double) is evaluated as double. */
export interface FloatLiteral {
	readonly value: number;
	readonly suffix: '' | 'f' | 'l';
}

/** A decoded character constant. */
export interface CharLiteral {
	/**
	 * The constant's value. Plain constants have type `int` and are sign-extended from `char`
	 * ('\xff' is -1); `L'x'` is a 32-bit `wchar_t` (signed), `u'x'` 16-bit and `U'x'` 32-bit unsigned.
	 */
	readonly value: number;
	/** True for the `L`, `u` and `U` prefixes. */
	readonly wide: boolean;
	/** True for a multi-character constant like 'ab' (gcc warns and combines the bytes big-endian). */
	readonly multiChar: boolean;
	/** A gcc-style warning about the spelling, if any. */
	readonly warning?: string;
}

/** A decoded string literal, without its terminating NUL. */
export interface StringLiteral {
	/** Narrow strings: UTF-8 bytes. Wide strings: little-endian units of `unitSize` bytes each. */
	readonly bytes: Uint8Array;
	/** True for the `L`, `u` and `U` prefixes. */
	readonly wide: boolean;
	/** 1 for "" and u8"", 2 for u"" (char16_t), 4 for L"" (wchar_t) and U"" (char32_t). */
	readonly unitSize: 1 | 2 | 4;
	/** A gcc-style warning about the spelling, if any. */
	readonly warning?: string;
}

export interface LiteralError {
	readonly error: string;
}

const UINT64_MAX = (1n << 64n) - 1n;

/** True if a pp-number spells a floating constant rather than an integer one (`1.5`, `1e3`, `0x1p4`). */
export function isFloatingLiteral(text: string): boolean {
	if (/^0[xX]/.test(text)) return /[.pP]/.test(text);
	return /[.eE]/.test(text);
}

/** Decodes an integer constant such as `0x1fUL`, `0777`, `0b101`, `42llu`. */
export function parseIntegerLiteral(text: string): IntegerLiteral | LiteralError {
	let base = 10;
	let start = 0;
	if (/^0[xX]/.test(text)) {
		base = 16;
		start = 2;
	} else if (/^0[bB]/.test(text)) {
		base = 2;
		start = 2;
	} else if (text.startsWith('0')) {
		base = 8;
	}
	if (!/^[0-9]/.test(text)) return { error: `invalid integer constant "${text}"` };
	let end = start;
	const digitPattern = base === 16 ? /[0-9a-fA-F]/ : /[0-9]/;
	while (end < text.length && digitPattern.test(text[end])) end++;
	const digits = text.slice(start, end);
	const suffix = text.slice(end);
	if (base === 16 && digits.length === 0) return { error: `invalid suffix "${text.slice(1)}" on integer constant` };
	if (base === 2) {
		if (digits.length === 0) return { error: `invalid suffix "${text.slice(1)}" on integer constant` };
		const bad = /[2-9]/.exec(digits);
		if (bad) return { error: `invalid digit "${bad[0]}" in binary constant` };
	}
	if (base === 8) {
		const bad = /[89]/.exec(digits);
		if (bad) return { error: `invalid digit "${bad[0]}" in octal constant` };
	}
	const parsedSuffix = parseIntegerSuffix(suffix);
	if (!parsedSuffix) {
		const kind = isFloatingLiteral(text) ? 'floating' : 'integer';
		return { error: `invalid suffix "${suffix}" on ${kind} constant` };
	}
	let value = 0n;
	const bigBase = BigInt(base);
	for (let i = 0; i < digits.length; i++) {
		value = value * bigBase + BigInt(parseInt(digits[i], 16));
		if (value > UINT64_MAX) return { error: 'integer constant is too large for its type' };
	}
	return { value, unsignedSuffix: parsedSuffix.unsigned, longSuffix: parsedSuffix.long, decimal: base === 10 };
}

function parseIntegerSuffix(suffix: string): { unsigned: boolean; long: 0 | 1 | 2 } | undefined {
	const match = /^(?:([uU])(ll|LL|l|L)?|(ll|LL|l|L)([uU])?)?$/.exec(suffix);
	if (!match) return undefined;
	const longPart = match[2] ?? match[3] ?? '';
	return { unsigned: match[1] !== undefined || match[4] !== undefined, long: longPart.length as 0 | 1 | 2 };
}

/** Decodes a floating constant such as `1.5e-3f`, `.5`, `1e+10`, `0x1.8p3`, `2.0L`. */
export function parseFloatLiteral(text: string): FloatLiteral | LiteralError {
	let body = text;
	let suffix: '' | 'f' | 'l' = '';
	const last = text[text.length - 1];
	const hex = /^0[xX]/.test(text);
	if (last === 'f' || last === 'F' || ((last === 'l' || last === 'L'))) {
		// In a hex float an f is a digit unless the exponent has been seen.
		if (!hex || /[pP]/.test(text)) {
			suffix = last === 'f' || last === 'F' ? 'f' : 'l';
			body = text.slice(0, -1);
		}
	}
	let value: number;
	if (hex) {
		const match = /^0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?(?:([pP])([+-]?)([0-9]*))?$/.exec(body);
		if (!match || (match[1] === '' && (match[2] ?? '') === '')) return { error: `invalid suffix "${text.slice(1)}" on integer constant` };
		if (match[3] === undefined) return { error: 'hexadecimal floating constants require an exponent' };
		if (match[5] === '') return { error: 'exponent has no digits' };
		const fraction = match[2] ?? '';
		const mantissa = BigInt('0x' + (match[1] + fraction || '0'));
		const exponent = Number(match[5].slice(0, 8)) * (match[4] === '-' ? -1 : 1) - 4 * fraction.length;
		value = scaleByPowerOfTwo(mantissa, exponent);
	} else {
		const match = /^([0-9]*)(\.[0-9]*)?(?:([eE])([+-]?)([0-9]*))?$/.exec(body);
		if (!match || (match[1] === '' && (match[2] ?? '.').length <= 1)) {
			const tail = /^[0-9]*(\.[0-9]*)?([eE][+-]?[0-9]*)?/.exec(text)![0];
			return { error: `invalid suffix "${text.slice(tail.length)}" on floating constant` };
		}
		if (match[3] !== undefined && match[5] === '') return { error: 'exponent has no digits' };
		value = Number(body);
	}
	if (suffix === 'f') value = Math.fround(value);
	return { value, suffix };
}

/** mantissa * 2^exponent, rounded once where the mantissa fits a double exactly. */
function scaleByPowerOfTwo(mantissa: bigint, exponent: number): number {
	if (mantissa === 0n) return 0;
	// Normalize the mantissa to at most 64 significant bits, keeping a sticky bit for rounding.
	const bits = mantissa.toString(2).length;
	if (bits > 64) {
		const drop = bits - 64;
		const sticky = (mantissa & ((1n << BigInt(drop)) - 1n)) !== 0n ? 1n : 0n;
		mantissa = (mantissa >> BigInt(drop)) | sticky;
		exponent += drop;
	}
	let value = Number(mantissa);
	// Apply the exponent in steps that cannot overflow or underflow prematurely.
	while (exponent > 0) {
		const step = Math.min(exponent, 1000);
		value *= 2 ** step;
		exponent -= step;
	}
	while (exponent < 0) {
		const step = Math.max(exponent, -1000);
		value *= 2 ** step;
		exponent -= step;
	}
	return value;
}

interface Prefix {
	readonly length: number;
	readonly wide: boolean;
	readonly unitSize: 1 | 2 | 4;
	readonly signed: boolean;
}

function literalPrefix(text: string): Prefix {
	if (text.startsWith('u8')) return { length: 2, wide: false, unitSize: 1, signed: true };
	switch (text[0]) {
		case 'L': return { length: 1, wide: true, unitSize: 4, signed: true };
		case 'u': return { length: 1, wide: true, unitSize: 2, signed: false };
		case 'U': return { length: 1, wide: true, unitSize: 4, signed: false };
		default: return { length: 0, wide: false, unitSize: 1, signed: true };
	}
}

/**
 * Splits the contents of a literal into code units: each element is either a value from an escape
 * sequence (already a unit for the literal's width) or a Unicode code point from the source.
 */
interface Unit {
	readonly value: number;
	/** True if the value came from a numeric escape (`\x41`, `\101`): it is a unit, not a code point. */
	readonly raw: boolean;
}

function decodeUnits(body: string, unitSize: 1 | 2 | 4): { units: Unit[]; warning?: string } | LiteralError {
	const units: Unit[] = [];
	let warning: string | undefined;
	const maxUnit = unitSize === 4 ? 0xffffffff : unitSize === 2 ? 0xffff : 0xff;
	for (let i = 0; i < body.length;) {
		const c = body.codePointAt(i)!;
		if (c !== 0x5c /* \ */) {
			units.push({ value: c, raw: false });
			i += c > 0xffff ? 2 : 1;
			continue;
		}
		const e = body[i + 1];
		i += 2;
		switch (e) {
			case 'n': units.push({ value: 10, raw: true }); break;
			case 't': units.push({ value: 9, raw: true }); break;
			case 'r': units.push({ value: 13, raw: true }); break;
			case 'a': units.push({ value: 7, raw: true }); break;
			case 'b': units.push({ value: 8, raw: true }); break;
			case 'f': units.push({ value: 12, raw: true }); break;
			case 'v': units.push({ value: 11, raw: true }); break;
			case 'e': case 'E': units.push({ value: 27, raw: true }); break;
			case '\\': case '\'': case '"': case '?': units.push({ value: e.charCodeAt(0), raw: true }); break;
			case 'x': {
				let j = i;
				while (j < body.length && /[0-9a-fA-F]/.test(body[j])) j++;
				if (j === i) return { error: '\\x used with no following hex digits' };
				let value = 0n;
				for (let k = i; k < j; k++) value = value * 16n + BigInt(parseInt(body[k], 16));
				if (value > BigInt(maxUnit)) {
					warning = 'hex escape sequence out of range';
					value &= BigInt(maxUnit);
				}
				units.push({ value: Number(value), raw: true });
				i = j;
				break;
			}
			case 'u': case 'U': {
				const length = e === 'u' ? 4 : 8;
				const digits = body.slice(i, i + length);
				if (!new RegExp(`^[0-9a-fA-F]{${length}}$`).test(digits)) return { error: `incomplete universal character name \\${e}${digits}` };
				const value = parseInt(digits, 16);
				if (value > 0x10ffff || (value >= 0xd800 && value <= 0xdfff)) return { error: `\\${e}${digits} is not a valid universal character` };
				units.push({ value, raw: false });
				i += length;
				break;
			}
			case undefined:
				return { error: 'missing terminating character' };
			default: {
				if (e >= '0' && e <= '7') {
					let j = i - 1;
					let value = 0;
					while (j < body.length && j < i + 2 && body[j] >= '0' && body[j] <= '7') value = value * 8 + (body.charCodeAt(j++) - 48);
					if (value > maxUnit) {
						warning = 'octal escape sequence out of range';
						value &= maxUnit;
					}
					units.push({ value, raw: true });
					i = j;
				} else {
					// gcc accepts an unknown escape as the character itself, with a warning.
					warning = `unknown escape sequence: '\\${e}'`;
					const code = body.codePointAt(i - 1)!;
					units.push({ value: code, raw: false });
					if (code > 0xffff) i++;
				}
			}
		}
	}
	return warning === undefined ? { units } : { units, warning };
}

/** Appends the UTF-8 encoding of a code point. */
function pushUtf8(out: number[], cp: number): void {
	if (cp < 0x80) out.push(cp);
	else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 0x3f));
	else if (cp < 0x10000) out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
	else out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
}

/** Converts decoded units to the code units of a literal of the given width. */
function toCodeUnits(units: readonly Unit[], unitSize: 1 | 2 | 4): number[] {
	const out: number[] = [];
	for (const u of units) {
		if (u.raw) out.push(u.value);
		else if (unitSize === 1) pushUtf8(out, u.value);
		else if (unitSize === 2 && u.value > 0xffff) {
			const v = u.value - 0x10000;
			out.push(0xd800 | (v >> 10), 0xdc00 | (v & 0x3ff));
		} else out.push(u.value);
	}
	return out;
}

/**
 * Decodes a character constant such as `'a'`, `'\n'`, `'\xff'` (-1), `L'é'` or the multi-character
 * `'ab'` (0x6162, like gcc).
 */
export function decodeCharLiteral(text: string): CharLiteral | LiteralError {
	const prefix = literalPrefix(text);
	if (text[prefix.length] !== '\'') return { error: `invalid character constant ${text}` };
	if (!isTerminated(text, prefix.length, '\'')) {
		return { error: 'missing terminating \' character' };
	}
	const decoded = decodeUnits(text.slice(prefix.length + 1, -1), prefix.unitSize);
	if ('error' in decoded) return decoded;
	const codeUnits = toCodeUnits(decoded.units, prefix.unitSize);
	if (codeUnits.length === 0) return { error: 'empty character constant' };
	let warning = decoded.warning;
	if (prefix.unitSize === 1 && !prefix.wide) {
		// Plain char: int value sign-extended from char; several chars combine big-endian.
		if (codeUnits.length === 1) {
			const byte = codeUnits[0] & 0xff;
			return withWarning({ value: byte >= 0x80 ? byte - 0x100 : byte, wide: false, multiChar: false }, warning);
		}
		let value = 0;
		for (const unit of codeUnits) value = ((value << 8) | (unit & 0xff)) | 0;
		warning ??= codeUnits.length > 4 ? 'character constant too long for its type' : 'multi-character character constant';
		return withWarning({ value, wide: false, multiChar: true }, warning);
	}
	// Wide: gcc keeps the last unit and warns when there are several.
	if (codeUnits.length > 1) warning ??= 'character constant too long for its type';
	const unit = codeUnits[codeUnits.length - 1];
	let value: number;
	if (prefix.unitSize === 2) value = unit & 0xffff;
	else value = prefix.signed ? unit | 0 : unit >>> 0;
	return withWarning({ value, wide: true, multiChar: codeUnits.length > 1 }, warning);
}

/** True if the literal opened at `start` ends with an unescaped closing `quote`. */
function isTerminated(text: string, start: number, quote: string): boolean {
	if (text.length < start + 2 || text[text.length - 1] !== quote) return false;
	let backslashes = 0;
	for (let i = text.length - 2; i > start && text[i] === '\\'; i--) backslashes++;
	return backslashes % 2 === 0;
}

function withWarning<T extends object>(value: T, warning: string | undefined): T {
	return warning === undefined ? value : { ...value, warning };
}

/**
 * Decodes a string literal such as `"a\tb"`, `u8"é"` (UTF-8 bytes) or `L"x"` (4-byte little-endian
 * units). The result excludes the terminating NUL; adjacent literals are joined by the caller.
 */
export function decodeStringLiteral(text: string): StringLiteral | LiteralError {
	const prefix = literalPrefix(text);
	if (text[prefix.length] !== '"') return { error: `invalid string literal ${text}` };
	if (!isTerminated(text, prefix.length, '"')) {
		return { error: 'missing terminating " character' };
	}
	const decoded = decodeUnits(text.slice(prefix.length + 1, -1), prefix.unitSize);
	if ('error' in decoded) return decoded;
	const codeUnits = toCodeUnits(decoded.units, prefix.unitSize);
	const bytes = new Uint8Array(codeUnits.length * prefix.unitSize);
	for (let i = 0; i < codeUnits.length; i++) {
		const unit = codeUnits[i];
		for (let b = 0; b < prefix.unitSize; b++) bytes[i * prefix.unitSize + b] = (unit >>> (8 * b)) & 0xff;
	}
	const result: StringLiteral = { bytes, wide: prefix.wide, unitSize: prefix.unitSize };
	return withWarning(result, decoded.warning);
}
