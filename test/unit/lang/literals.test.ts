// Unit tests for literal decoding (layer: lang): integer, floating, character and string constants,
// checked against what gcc computes for x86-64 Linux.

import assert from 'node:assert/strict';
import {
	decodeCharLiteral, decodeStringLiteral, isFloatingLiteral, parseFloatLiteral, parseIntegerLiteral,
} from '../../../src/lang/literals';

function bytesOf(text: string): number[] {
	const r = decodeStringLiteral(text);
	if ('error' in r) throw new Error(r.error);
	return Array.from(r.bytes);
}

describe('literals', () => {
	describe('parseIntegerLiteral', () => {
		it('reads decimal, hex, octal and binary', () => {
			assert.deepEqual(parseIntegerLiteral('42'), { value: 42n, unsignedSuffix: false, longSuffix: 0, decimal: true });
			assert.deepEqual(parseIntegerLiteral('0x1f'), { value: 31n, unsignedSuffix: false, longSuffix: 0, decimal: false });
			assert.deepEqual(parseIntegerLiteral('0XABCDEF'), { value: 0xabcdefn, unsignedSuffix: false, longSuffix: 0, decimal: false });
			assert.deepEqual(parseIntegerLiteral('0777'), { value: 511n, unsignedSuffix: false, longSuffix: 0, decimal: false });
			assert.deepEqual(parseIntegerLiteral('0'), { value: 0n, unsignedSuffix: false, longSuffix: 0, decimal: false });
			assert.deepEqual(parseIntegerLiteral('0b101'), { value: 5n, unsignedSuffix: false, longSuffix: 0, decimal: false });
			assert.deepEqual(parseIntegerLiteral('18446744073709551615'), { value: (1n << 64n) - 1n, unsignedSuffix: false, longSuffix: 0, decimal: true });
		});

		it('accepts every suffix spelling in any case', () => {
			const expected: Record<string, [boolean, number]> = {
				u: [true, 0], U: [true, 0], l: [false, 1], L: [false, 1], ll: [false, 2], LL: [false, 2],
				ul: [true, 1], lu: [true, 1], UL: [true, 1], LU: [true, 1], uL: [true, 1], Lu: [true, 1],
				ull: [true, 2], llu: [true, 2], ULL: [true, 2], LLU: [true, 2], uLL: [true, 2], llU: [true, 2],
			};
			for (const [suffix, [unsigned, long]] of Object.entries(expected)) {
				const r = parseIntegerLiteral('0x10' + suffix);
				assert.ok(!('error' in r), suffix);
				assert.equal(r.value, 16n);
				assert.equal(r.unsignedSuffix, unsigned, suffix);
				assert.equal(r.longSuffix, long, suffix);
			}
		});

		it('rejects bad suffixes and digits with gcc messages', () => {
			assert.deepEqual(parseIntegerLiteral('10x'), { error: 'invalid suffix "x" on integer constant' });
			assert.deepEqual(parseIntegerLiteral('1lL'), { error: 'invalid suffix "lL" on integer constant' });
			assert.deepEqual(parseIntegerLiteral('1lul'), { error: 'invalid suffix "lul" on integer constant' });
			assert.deepEqual(parseIntegerLiteral('1uu'), { error: 'invalid suffix "uu" on integer constant' });
			assert.deepEqual(parseIntegerLiteral('08'), { error: 'invalid digit "8" in octal constant' });
			assert.deepEqual(parseIntegerLiteral('0779'), { error: 'invalid digit "9" in octal constant' });
			assert.deepEqual(parseIntegerLiteral('0b12'), { error: 'invalid digit "2" in binary constant' });
			assert.deepEqual(parseIntegerLiteral('0x'), { error: 'invalid suffix "x" on integer constant' });
			assert.deepEqual(parseIntegerLiteral('18446744073709551616'), { error: 'integer constant is too large for its type' });
		});

		it('tells floating constants apart', () => {
			for (const t of ['1.5', '.5', '1e3', '1E-3', '0x1p4', '0x1.8P3', '1.']) assert.ok(isFloatingLiteral(t), t);
			for (const t of ['15', '0x1e3', '0777', '10UL']) assert.ok(!isFloatingLiteral(t), t);
		});
	});

	describe('parseFloatLiteral', () => {
		it('reads decimal floats with suffixes', () => {
			assert.deepEqual(parseFloatLiteral('1.5'), { value: 1.5, suffix: '' });
			assert.deepEqual(parseFloatLiteral('1.5e-3'), { value: 0.0015, suffix: '' });
			assert.deepEqual(parseFloatLiteral('.5'), { value: 0.5, suffix: '' });
			assert.deepEqual(parseFloatLiteral('1e+10'), { value: 1e10, suffix: '' });
			assert.deepEqual(parseFloatLiteral('2.L'), { value: 2, suffix: 'l' });
			assert.deepEqual(parseFloatLiteral('0.1f'), { value: Math.fround(0.1), suffix: 'f' });
			assert.deepEqual(parseFloatLiteral('1e400'), { value: Infinity, suffix: '' });
		});

		it('reads hex floats', () => {
			assert.deepEqual(parseFloatLiteral('0x1.8p3'), { value: 12, suffix: '' });
			assert.deepEqual(parseFloatLiteral('0x1p-2'), { value: 0.25, suffix: '' });
			assert.deepEqual(parseFloatLiteral('0xAp0f'), { value: 10, suffix: 'f' });
			assert.deepEqual(parseFloatLiteral('0x.8p1'), { value: 1, suffix: '' });
			assert.deepEqual(parseFloatLiteral('0x1.fffffffffffffp1023'), { value: Number.MAX_VALUE, suffix: '' });
			assert.deepEqual(parseFloatLiteral('0x1p-1074'), { value: Number.MIN_VALUE, suffix: '' });
		});

		it('rejects malformed floats', () => {
			assert.deepEqual(parseFloatLiteral('1.5x'), { error: 'invalid suffix "x" on floating constant' });
			assert.deepEqual(parseFloatLiteral('1e'), { error: 'exponent has no digits' });
			assert.deepEqual(parseFloatLiteral('0x1.8'), { error: 'hexadecimal floating constants require an exponent' });
			assert.deepEqual(parseFloatLiteral('1.5ff'), { error: 'invalid suffix "ff" on floating constant' });
		});
	});

	describe('decodeCharLiteral', () => {
		it('decodes plain characters and escapes', () => {
			const cases: Record<string, number> = {
				'\'a\'': 97, '\'\\n\'': 10, '\'\\t\'': 9, '\'\\r\'': 13, '\'\\0\'': 0, '\'\\a\'': 7, '\'\\b\'': 8,
				'\'\\f\'': 12, '\'\\v\'': 11, '\'\\\\\'': 92, '\'\\\'\'': 39, '\'\\"\'': 34, '\'\\?\'': 63,
				'\'\\101\'': 65, '\'\\x41\'': 65, '\'"\'': 34, '\'\\e\'': 27,
			};
			for (const [text, value] of Object.entries(cases)) {
				assert.deepEqual(decodeCharLiteral(text), { value, wide: false, multiChar: false }, text);
			}
		});

		it('sign-extends plain chars like gcc', () => {
			assert.deepEqual(decodeCharLiteral('\'\\xff\''), { value: -1, wide: false, multiChar: false });
			assert.deepEqual(decodeCharLiteral('\'\\200\''), { value: -128, wide: false, multiChar: false });
			assert.deepEqual(decodeCharLiteral('\'\\x7f\''), { value: 127, wide: false, multiChar: false });
		});

		it('combines multi-character constants big-endian with a warning', () => {
			assert.deepEqual(decodeCharLiteral('\'ab\''), { value: 0x6162, wide: false, multiChar: true, warning: 'multi-character character constant' });
			assert.deepEqual(decodeCharLiteral('\'abcd\''), { value: 0x61626364, wide: false, multiChar: true, warning: 'multi-character character constant' });
			const long = decodeCharLiteral('\'\\xff\\xff\\xff\\xfe\'');
			assert.ok(!('error' in long));
			assert.equal(long.value, -2);
			// A non-ASCII source character is its UTF-8 bytes, as gcc reads UTF-8 input.
			const e = decodeCharLiteral('\'é\'');
			assert.ok(!('error' in e));
			assert.equal(e.value, 0xc3a9);
		});

		it('decodes wide constants', () => {
			assert.deepEqual(decodeCharLiteral('L\'a\''), { value: 97, wide: true, multiChar: false });
			assert.deepEqual(decodeCharLiteral('L\'é\''), { value: 0xe9, wide: true, multiChar: false });
			assert.deepEqual(decodeCharLiteral('L\'\\xffffffff\''), { value: -1, wide: true, multiChar: false });
			assert.deepEqual(decodeCharLiteral('U\'\\xffffffff\''), { value: 0xffffffff, wide: true, multiChar: false });
			assert.deepEqual(decodeCharLiteral('u\'\\u20ac\''), { value: 0x20ac, wide: true, multiChar: false });
			assert.deepEqual(decodeCharLiteral('U\'😀\''), { value: 0x1f600, wide: true, multiChar: false });
		});

		it('reports malformed constants', () => {
			assert.deepEqual(decodeCharLiteral('\'\''), { error: 'empty character constant' });
			assert.deepEqual(decodeCharLiteral('\'a'), { error: 'missing terminating \' character' });
			assert.deepEqual(decodeCharLiteral('\'\\\''), { error: 'missing terminating \' character' });
			assert.deepEqual(decodeCharLiteral('\'\\x\''), { error: '\\x used with no following hex digits' });
			const range = decodeCharLiteral('\'\\x100\'');
			assert.ok(!('error' in range) && range.warning === 'hex escape sequence out of range');
			const unknown = decodeCharLiteral('\'\\q\'');
			assert.ok(!('error' in unknown) && unknown.value === 113 && unknown.warning === 'unknown escape sequence: \'\\q\'');
		});
	});

	describe('decodeStringLiteral', () => {
		it('decodes escapes into bytes without the NUL', () => {
			assert.deepEqual(bytesOf('"a\\tb"'), [97, 9, 98]);
			assert.deepEqual(bytesOf('""'), []);
			assert.deepEqual(bytesOf('"\\x41\\0\\101\\\\\\"\\\'"'), [65, 0, 65, 92, 34, 39]);
			// \x takes every hex digit that follows; octal at most three.
			assert.deepEqual(bytesOf('"\\1234"'), [83, 52]);
			assert.deepEqual(bytesOf('"\\xff"'), [255]);
		});

		it('encodes non-ASCII source characters as UTF-8', () => {
			assert.deepEqual(bytesOf('"é€😀"'), [0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80]);
			assert.deepEqual(bytesOf('u8"é"'), [0xc3, 0xa9]);
			assert.deepEqual(bytesOf('"\\u00e9"'), [0xc3, 0xa9]);
		});

		it('stores wide strings as little-endian units', () => {
			const r = decodeStringLiteral('L"a€"');
			assert.ok(!('error' in r));
			assert.equal(r.wide, true);
			assert.equal(r.unitSize, 4);
			assert.deepEqual(Array.from(r.bytes), [97, 0, 0, 0, 0xac, 0x20, 0, 0]);
			const u = decodeStringLiteral('u"😀"');
			assert.ok(!('error' in u));
			assert.equal(u.unitSize, 2);
			assert.deepEqual(Array.from(u.bytes), [0x3d, 0xd8, 0x00, 0xde]);
			const raw = decodeStringLiteral('L"\\xffffffff"');
			assert.ok(!('error' in raw));
			assert.deepEqual(Array.from(raw.bytes), [255, 255, 255, 255]);
		});

		it('reports malformed strings', () => {
			assert.deepEqual(decodeStringLiteral('"abc'), { error: 'missing terminating " character' });
			assert.deepEqual(decodeStringLiteral('"abc\\"'), { error: 'missing terminating " character' });
			assert.ok(!('error' in decodeStringLiteral('"abc\\\\"')));
			assert.deepEqual(decodeStringLiteral('"\\u12"'), { error: 'incomplete universal character name \\u12' });
		});
	});
});
