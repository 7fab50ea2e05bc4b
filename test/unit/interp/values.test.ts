// Unit tests for the KC value helpers (layer: interp): every operation and conversion is checked
// against a BigInt reference model (BigInt.asIntN / asUintN), on random and boundary values, and
// every 64-bit result must be canonical (a number exactly when it is a safe integer, never -0).

import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Value } from '../../../src/interp/contracts';
import * as v from '../../../src/interp/values';

const TWO53 = 2n ** 53n;

/** The canonical form of an exact value, computed independently of values.ts. */
function canonical(b: bigint): Value {
	return b > -TWO53 && b < TWO53 ? Number(b) : b;
}

/** Signed (i) or unsigned (u) reference wrap of `b` to `bits`, in canonical form. */
function refI(bits: number, b: bigint): Value {
	return canonical(BigInt.asIntN(bits, b));
}
function refU(bits: number, b: bigint): Value {
	return canonical(BigInt.asUintN(bits, b));
}

/** Interesting values: 0, ±1, powers of two and their neighbours at every width boundary. */
const BOUNDARIES: bigint[] = (() => {
	const set = new Set<bigint>([0n, 1n, -1n, 2n, -2n, 3n, 7n, 255n, 256n, 65535n, 65536n]);
	for (const e of [7, 8, 15, 16, 21, 31, 32, 47, 48, 52, 53, 54, 62, 63, 64]) {
		for (const d of [-2n, -1n, 0n, 1n, 2n]) {
			set.add(2n ** BigInt(e) + d);
			set.add(-(2n ** BigInt(e)) + d);
		}
	}
	return [...set];
})();

/** Exact bigints in the range of a 64-bit type, biased to boundaries and to the safe-integer edge. */
function big64(signed: boolean): fc.Arbitrary<bigint> {
	const min = signed ? -(2n ** 63n) : 0n;
	const max = signed ? 2n ** 63n - 1n : 2n ** 64n - 1n;
	const inRange = (b: bigint) => b >= min && b <= max;
	return fc.oneof(
		fc.constantFrom(...BOUNDARIES.filter(inRange)),
		fc.bigInt({ min, max }),
		fc.integer({ min: -100000, max: 100000 }).map(BigInt).filter(inRange),
		fc.bigInt({ min: -(2n ** 54n), max: 2n ** 54n }).filter(inRange),
		fc.tuple(fc.integer({ min: 0, max: 63 }), fc.integer({ min: -3, max: 3 }), fc.boolean()).map(([e, d, neg]) => {
			const b = 2n ** BigInt(e) + BigInt(d);
			return neg ? -b : b;
		}).filter(inRange),
	);
}

const i64 = big64(true);
const u64 = big64(false);
/** Values of any integer type up to 64 bits (for conversions). */
const anyInt = fc.oneof(i64, u64);
const int32 = fc.oneof(fc.constantFrom(0, 1, -1, 2147483647, -2147483648, 2147483646, -2147483647, 65536, -65536), fc.integer());
const uint32 = fc.oneof(fc.constantFrom(0, 1, 4294967295, 2147483648, 2147483647, 65536), fc.integer({ min: 0, max: 4294967295 }));
const shiftCount = fc.integer({ min: 0, max: 63 });

/** Asserts that `actual` is the canonical value `expected` (strict: 0 and -0 differ). */
function same(actual: Value, expected: Value, what: string): void {
	assert.ok(v.isCanonical64(actual), `${what}: result ${String(actual)} (${typeof actual}) is not canonical`);
	assert.strictEqual(actual, expected, what);
}

const RUNS = { numRuns: 400 };

describe('values: canonical forms', () => {
	it('canonical() of the tests agrees with isCanonical64 at the edges', () => {
		assert.equal(v.isCanonical64(2 ** 53 - 1), true);
		assert.equal(v.isCanonical64(-(2 ** 53 - 1)), true);
		assert.equal(v.isCanonical64(2 ** 53), false);
		assert.equal(v.isCanonical64(2n ** 53n), true);
		assert.equal(v.isCanonical64(-(2n ** 53n)), true);
		assert.equal(v.isCanonical64(5n), false);
		assert.equal(v.isCanonical64(-0), false);
		assert.equal(v.isCanonical64(1.5), false);
	});

	it('fromBigI64 / fromBigU64 wrap modulo 2^64 and canonicalize', () => {
		fc.assert(fc.property(fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }), (b) => {
			same(v.fromBigI64(b), refI(64, b), `fromBigI64(${b})`);
			same(v.fromBigU64(b), refU(64, b), `fromBigU64(${b})`);
		}), RUNS);
		same(v.fromBigI64(2n ** 63n), -(2n ** 63n), 'fromBigI64(2^63)');
		same(v.fromBigU64(-1n), 2n ** 64n - 1n, 'fromBigU64(-1)');
		same(v.fromBigI64(2n ** 53n - 1n), 2 ** 53 - 1, 'fromBigI64(2^53-1)');
		same(v.fromBigI64(-(2n ** 53n)), -(2n ** 53n), 'fromBigI64(-2^53)');
	});

	it('canonI64 / canonU64 accept either form and return the canonical one', () => {
		fc.assert(fc.property(anyInt, (b) => {
			same(v.canonI64(b), refI(64, b), `canonI64(${b}n)`);
			same(v.canonU64(b), refU(64, b), `canonU64(${b}n)`);
			if (b > -TWO53 && b < TWO53) {
				same(v.canonI64(Number(b)), refI(64, b), `canonI64(${b})`);
				same(v.canonU64(Number(b)), refU(64, b), `canonU64(${b})`);
			}
		}), RUNS);
		same(v.canonI64(-0), 0, 'canonI64(-0)');
		same(v.canonI64(2 ** 60), 2n ** 60n, 'canonI64 of an unsafe number');
		same(v.canonI64(Infinity), 0, 'canonI64(Infinity) does not throw');
		assert.equal(v.toBig(5), 5n);
		assert.equal(v.toBig(2n ** 60n), 2n ** 60n);
	});
});

describe('values: 64-bit arithmetic against BigInt', () => {
	const binary: [string, (a: Value, b: Value) => Value, (a: bigint, b: bigint) => bigint, boolean][] = [
		['addI64', v.addI64, (a, b) => a + b, true],
		['addU64', v.addU64, (a, b) => a + b, false],
		['subI64', v.subI64, (a, b) => a - b, true],
		['subU64', v.subU64, (a, b) => a - b, false],
		['mulI64', v.mulI64, (a, b) => a * b, true],
		['mulU64', v.mulU64, (a, b) => a * b, false],
		['and64 (signed)', v.and64, (a, b) => a & b, true],
		['and64 (unsigned)', v.and64, (a, b) => a & b, false],
		['or64 (signed)', v.or64, (a, b) => a | b, true],
		['or64 (unsigned)', v.or64, (a, b) => a | b, false],
		['xor64 (signed)', v.xor64, (a, b) => a ^ b, true],
		['xor64 (unsigned)', v.xor64, (a, b) => a ^ b, false],
	];
	for (const [name, op, model, signed] of binary) {
		it(name, () => {
			fc.assert(fc.property(signed ? i64 : u64, signed ? i64 : u64, (a, b) => {
				const expected = signed ? refI(64, model(a, b)) : refU(64, model(a, b));
				same(op(canonical(a), canonical(b)), expected, `${name}(${a}, ${b})`);
			}), RUNS);
		});
	}

	it('every pair of boundary values, for every binary operation', () => {
		for (const [name, op, model, signed] of binary) {
			const operands = BOUNDARIES.filter((b) => (signed ? BigInt.asIntN(64, b) === b : b >= 0n && BigInt.asUintN(64, b) === b));
			for (const a of operands) {
				for (const b of operands) {
					const expected = signed ? refI(64, model(a, b)) : refU(64, model(a, b));
					same(op(canonical(a), canonical(b)), expected, `${name}(${a}, ${b})`);
				}
			}
		}
	});

	it('results at the edge of the safe range take the right form', () => {
		same(v.and64(-(2 ** 53) + 1, -(2 ** 53) + 2), -(2n ** 53n), 'and64 giving -2^53');
		same(v.subU64(0, 1), 2n ** 64n - 1n, '0u - 1');
		same(v.addI64(2n ** 53n, -1), 2 ** 53 - 1, '2^53 + -1');
		same(v.addU64(2 ** 53 - 1, 1), 2n ** 53n, '(2^53-1) + 1');
		same(v.mulI64(0, -5), 0, '0 * -5 is not -0');
	});

	for (const signed of [true, false]) {
		const div = signed ? v.divI64 : v.divU64;
		const rem = signed ? v.remI64 : v.remU64;
		it(`div/rem ${signed ? 'I64' : 'U64'} truncate toward zero`, () => {
			fc.assert(fc.property(signed ? i64 : u64, signed ? i64 : u64, (a, b) => {
				if (b === 0n) return;
				const wrap = signed ? refI : refU;
				// BigInt division truncates toward zero, as C99 requires.
				same(div(canonical(a), canonical(b)), wrap(64, a / b), `div(${a}, ${b})`);
				same(rem(canonical(a), canonical(b)), wrap(64, a % b), `rem(${a}, ${b})`);
			}), RUNS);
		});
	}

	it('div/rem edge cases: INT64_MIN / -1 wraps, zero divisors give 0, no -0', () => {
		const min = -(2n ** 63n);
		same(v.divI64(min, -1), min, 'INT64_MIN / -1');
		same(v.remI64(min, -1), 0, 'INT64_MIN % -1');
		same(v.divI64(7, 0), 0, '7 / 0');
		same(v.divI64(2n ** 60n, 0), 0, 'big / 0');
		same(v.remU64(7, 0), 0, '7 % 0');
		same(v.divI64(0, -5), 0, '0 / -5');
		same(v.divI64(3, -5), 0, '3 / -5');
		same(v.remI64(-4, 2), 0, '-4 % 2');
		same(v.divI64(-7, 2), -3, '-7 / 2');
		same(v.remI64(-7, 2), -1, '-7 % 2');
	});

	it('notI64 / notU64 / negI64 / negU64', () => {
		fc.assert(fc.property(i64, u64, (a, b) => {
			same(v.notI64(canonical(a)), refI(64, ~a), `notI64(${a})`);
			same(v.negI64(canonical(a)), refI(64, -a), `negI64(${a})`);
			same(v.notU64(canonical(b)), refU(64, ~b), `notU64(${b})`);
			same(v.negU64(canonical(b)), refU(64, -b), `negU64(${b})`);
		}), RUNS);
		same(v.negI64(0), 0, '-0 is 0');
		same(v.notI64(2 ** 53 - 1), -(2n ** 53n), '~(2^53-1) is the bigint -2^53');
	});

	it('shifts: shlI64 / shlU64 wrap, shr64 is arithmetic for signed and logical for unsigned', () => {
		fc.assert(fc.property(i64, u64, shiftCount, (a, b, n) => {
			const count = BigInt(n);
			same(v.shlI64(canonical(a), n), refI(64, a << count), `shlI64(${a}, ${n})`);
			same(v.shlU64(canonical(b), n), refU(64, b << count), `shlU64(${b}, ${n})`);
			// BigInt >> is arithmetic: for the signed model that is C's >>; for unsigned, shift the bit pattern.
			same(v.shrI64(canonical(a), n), refI(64, a >> count), `shrI64(${a}, ${n})`);
			same(v.shrU64(canonical(b), n), refU(64, BigInt.asUintN(64, b) >> count), `shrU64(${b}, ${n})`);
		}), RUNS);
		same(v.shr64(-(2n ** 63n), 63), -1, 'INT64_MIN >> 63');
		same(v.shr64(2n ** 64n - 1n, 63), 1, 'UINT64_MAX >> 63');
		same(v.shr64(-1, 1), -1, '-1 >> 1');
	});

	it('comparisons are exact across number/bigint forms', () => {
		for (const [arb, name] of [[i64, 'signed'], [u64, 'unsigned']] as const) {
			fc.assert(fc.property(arb, arb, (a, b) => {
				const ca = canonical(a);
				const cb = canonical(b);
				assert.equal(v.lt64(ca, cb), a < b, `${name} ${a} < ${b}`);
				assert.equal(v.le64(ca, cb), a <= b, `${name} ${a} <= ${b}`);
				assert.equal(v.gt64(ca, cb), a > b, `${name} ${a} > ${b}`);
				assert.equal(v.ge64(ca, cb), a >= b, `${name} ${a} >= ${b}`);
				assert.equal(v.eq64(ca, cb), a === b, `${name} ${a} == ${b}`);
				assert.equal(v.ne64(ca, cb), a !== b, `${name} ${a} != ${b}`);
			}), RUNS);
		}
	});
});

describe('values: signed overflow detection', () => {
	const inI64 = (b: bigint) => b >= -(2n ** 63n) && b < 2n ** 63n;
	it('64-bit add/sub/mul/neg/div/shl', () => {
		fc.assert(fc.property(i64, i64, shiftCount, (a, b, n) => {
			const ca = canonical(a);
			const cb = canonical(b);
			assert.equal(v.addOverflowsI64(ca, cb), !inI64(a + b), `${a} + ${b}`);
			assert.equal(v.subOverflowsI64(ca, cb), !inI64(a - b), `${a} - ${b}`);
			assert.equal(v.mulOverflowsI64(ca, cb), !inI64(a * b), `${a} * ${b}`);
			assert.equal(v.negOverflowsI64(ca), !inI64(-a), `-${a}`);
			assert.equal(v.divOverflowsI64(ca, cb), b !== 0n && !inI64(a / b), `${a} / ${b}`);
			assert.equal(v.shlOverflowsI64(ca, n), a < 0n || !inI64(a * 2n ** BigInt(n)), `${a} << ${n}`);
		}), RUNS);
	});

	const inI32 = (x: number) => x >= -2147483648 && x <= 2147483647;
	it('32-bit add/sub/mul/neg/div/shl', () => {
		fc.assert(fc.property(int32, int32, fc.integer({ min: 0, max: 31 }), (a, b, n) => {
			const A = BigInt(a);
			const B = BigInt(b);
			const fits = (x: bigint) => inI32(Number(x));
			assert.equal(v.addOverflowsI32(a, b), !fits(A + B), `${a} + ${b}`);
			assert.equal(v.subOverflowsI32(a, b), !fits(A - B), `${a} - ${b}`);
			assert.equal(v.mulOverflowsI32(a, b), !fits(A * B), `${a} * ${b}`);
			assert.equal(v.negOverflowsI32(a), !fits(-A), `-${a}`);
			assert.equal(v.divOverflowsI32(a, b), b !== 0 && !fits(A / B), `${a} / ${b}`);
			assert.equal(v.shlOverflowsI32(a, n), a < 0 || !fits(A << BigInt(n)), `${a} << ${n}`);
		}), RUNS);
	});
});

describe('values: 32-bit helpers', () => {
	it('mulU32, divU32, remU32 on unsigned ints', () => {
		fc.assert(fc.property(uint32, uint32, (a, b) => {
			assert.equal(v.mulU32(a, b), Number(BigInt.asUintN(32, BigInt(a) * BigInt(b))), `${a} * ${b}`);
			if (b !== 0) {
				assert.equal(v.divU32(a, b), Number(BigInt(a) / BigInt(b)), `${a} / ${b}`);
				assert.equal(v.remU32(a, b), Number(BigInt(a) % BigInt(b)), `${a} % ${b}`);
			}
		}), RUNS);
	});

	it('divI32, remI32 truncate toward zero; INT_MIN / -1 wraps; zero divisor gives 0', () => {
		fc.assert(fc.property(int32, int32, (a, b) => {
			if (b === 0) return;
			same(v.divI32(a, b), Number(BigInt.asIntN(32, BigInt(a) / BigInt(b))), `${a} / ${b}`);
			same(v.remI32(a, b), Number(BigInt(a) % BigInt(b)), `${a} % ${b}`);
		}), RUNS);
		assert.equal(v.divI32(-2147483648, -1), -2147483648);
		same(v.remI32(-2147483648, -1), 0, 'INT_MIN % -1');
		assert.equal(v.divI32(5, 0), 0);
		assert.equal(v.remI32(5, 0), 0);
		assert.equal(v.divU32(5, 0), 0);
	});
});

describe('values: integer conversions', () => {
	it('toI8 .. toU64 and convInt truncate and sign-extend like BigInt.asIntN/asUintN', () => {
		const fixed: [number, boolean, (x: Value) => Value][] = [
			[1, true, v.toI8], [1, false, v.toU8], [2, true, v.toI16], [2, false, v.toU16],
			[4, true, v.toI32], [4, false, v.toU32], [8, true, v.toI64], [8, false, v.toU64],
		];
		fc.assert(fc.property(anyInt, (b) => {
			for (const x of [canonical(b), b]) {
				for (const [size, signed, conv] of fixed) {
					const expected = signed ? refI(size * 8, b) : refU(size * 8, b);
					same(conv(x), expected, `${conv.name}(${typeof x} ${b})`);
					same(v.convInt(x, size, signed), expected, `convInt(${b}, ${size}, ${signed})`);
				}
			}
		}), RUNS);
	});

	it('toBool and truthy follow C: only zero is false', () => {
		for (const x of [1, -1, 0.5, NaN, Infinity, 2n ** 60n, -(2n ** 60n)]) {
			assert.equal(v.truthy(x), true, String(x));
			assert.equal(v.toBool(x), 1, String(x));
		}
		for (const x of [0, -0, 0n]) {
			assert.equal(v.truthy(x), false, String(x));
			assert.equal(v.toBool(x), 0, String(x));
		}
	});
});

/** Reference int -> float conversion with one round-half-even to 24 significant bits. */
function refToFloat32(b: bigint): number {
	const negative = b < 0n;
	const m = negative ? -b : b;
	const bits = m.toString(2).length;
	if (bits <= 24) return negative ? -Number(m) : Number(m);
	const shift = BigInt(bits - 24);
	let q = m >> shift;
	const rest = m - (q << shift);
	const half = 1n << (shift - 1n);
	if (rest > half || (rest === half && (q & 1n) === 1n)) q += 1n;
	const result = Number(q) * 2 ** Number(shift);
	return negative ? -result : result;
}

describe('values: integer <-> floating conversions', () => {
	it('intToF64 rounds to nearest; intToF32 rounds once (no double rounding)', () => {
		fc.assert(fc.property(anyInt, (b) => {
			const x = canonical(b);
			assert.equal(v.intToF64(x), Number(b), `intToF64(${b})`);
			assert.equal(v.intToF32(x), refToFloat32(b), `intToF32(${b})`);
		}), { numRuns: 2000 });
		// 2^60 + 2^36 + 1 is just above the midpoint between two floats; rounding through a double
		// first would land exactly on the midpoint and round to even (down).
		const tricky = 2n ** 60n + 2n ** 36n + 1n;
		assert.equal(v.intToF32(tricky), refToFloat32(tricky));
		assert.equal(v.intToF32(tricky), 2 ** 60 + 2 ** 37);
		assert.notEqual(Math.fround(Number(tricky)), v.intToF32(tricky));
		assert.equal(v.toF32(0.1), Math.fround(0.1));
	});

	const doubles = fc.oneof(
		fc.double(),
		fc.double({ min: -(2 ** 65), max: 2 ** 65, noNaN: true }),
		fc.double({ min: -5e9, max: 5e9, noNaN: true }),
		fc.double({ min: -300, max: 300, noNaN: true }),
		fc.constantFrom(-0.5, 0.5, -1, -0.99, 2 ** 63, -(2 ** 63), 2 ** 64, 2 ** 31, -(2 ** 31) - 0.5, 2 ** 32 - 0.5, 2 ** 53 + 2),
	);

	it('float -> int truncates toward zero; floatFitsInt says when that is defined; out of range wraps', () => {
		fc.assert(fc.property(doubles, (x) => {
			const finite = Number.isFinite(x);
			const t = finite ? BigInt(Math.trunc(x)) : 0n;
			for (const size of [1, 2, 4, 8]) {
				for (const signed of [true, false]) {
					const expected = signed ? refI(size * 8, t) : refU(size * 8, t);
					same(v.floatToInt(x, size, signed), expected, `floatToInt(${x}, ${size}, ${signed})`);
					const min = signed ? -(2n ** BigInt(size * 8 - 1)) : 0n;
					const max = signed ? 2n ** BigInt(size * 8 - 1) - 1n : 2n ** BigInt(size * 8) - 1n;
					assert.equal(v.floatFitsInt(x, size, signed), finite && t >= min && t <= max, `floatFitsInt(${x}, ${size}, ${signed})`);
				}
			}
			assert.equal(v.f64ToI32(x), refI(32, t), `f64ToI32(${x})`);
			assert.equal(v.f64ToU32(x), refU(32, t), `f64ToU32(${x})`);
			same(v.f64ToI64(x), refI(64, t), `f64ToI64(${x})`);
			same(v.f64ToU64(x), refU(64, t), `f64ToU64(${x})`);
		}), { numRuns: 1000 });
		assert.equal(v.floatFitsInt(-(2 ** 63), 8, true), true);
		assert.equal(v.floatFitsInt(2 ** 63, 8, true), false);
		assert.equal(v.floatFitsInt(-0.9, 4, false), true);
		assert.equal(v.floatFitsInt(NaN, 4, true), false);
	});
});

describe('values: pointers and halves', () => {
	const pointer = fc.oneof(
		fc.integer({ min: 0, max: 2 ** 48 - 1 }),
		fc.constantFrom(0, 1, 2 ** 47 - 1, 2 ** 47, 2 ** 48 - 1, 0x7ffffffff000, 0xffff80000000 % 2 ** 48),
	);

	it('pointer -> integer sign-extends bit 47; integer -> pointer keeps the low 48 bits', () => {
		fc.assert(fc.property(pointer, (p) => {
			const extended = BigInt.asIntN(48, BigInt(p));
			same(v.ptrToI64(p), refI(64, extended), `ptrToI64(${p})`);
			same(v.ptrToU64(p), refU(64, extended), `ptrToU64(${p})`);
			for (const size of [1, 2, 4, 8]) {
				same(v.ptrToInt(p, size, true), refI(size * 8, extended), `ptrToInt(${p}, ${size}, signed)`);
				same(v.ptrToInt(p, size, false), refU(size * 8, extended), `ptrToInt(${p}, ${size}, unsigned)`);
			}
			assert.equal(v.intToPtr(v.ptrToU64(p)), p);
			assert.equal(v.intToPtr(v.ptrToI64(p)), p);
		}), RUNS);
		fc.assert(fc.property(anyInt, (b) => {
			const expected = Number(BigInt.asUintN(48, b));
			assert.equal(v.intToPtr(canonical(b)), expected, `intToPtr(${b})`);
			assert.equal(v.u64ToPtr(b), expected, `u64ToPtr(${b}n)`);
		}), RUNS);
		same(v.ptrToU64(0xffff80000000), 0xffffffff80000000n, 'kernel address');
		assert.ok(!Object.is(v.intToPtr(-(2 ** 48)), -0));
	});

	it('fromHalves / low32 / high32 split and join the two 32-bit halves', () => {
		fc.assert(fc.property(i64, u64, (a, b) => {
			same(v.fromHalvesI64(v.high32(canonical(a)), v.low32(canonical(a))), canonical(a), `halves of ${a}`);
			same(v.fromHalvesU64(v.high32(canonical(b)) >>> 0, v.low32(canonical(b))), canonical(b), `halves of ${b}`);
			assert.equal(v.low32(canonical(a)), Number(BigInt.asUintN(32, a)));
			assert.equal(v.high32(canonical(a)), Number(BigInt.asIntN(32, a >> 32n)));
		}), RUNS);
		same(v.fromHalvesI64(-2097152, 0), -(2n ** 53n), '-2^53 from halves is a bigint');
		same(v.fromHalvesI64(-2097152, 1), -(2 ** 53) + 1, '-2^53+1 from halves is a number');
	});
});
