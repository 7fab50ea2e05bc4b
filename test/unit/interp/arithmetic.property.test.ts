// Property: integer arithmetic under the KC CPU follows C exactly. Random binary operations on
// random values of random integer types are compared with a BigInt model of C99 (integer
// promotion, usual arithmetic conversions, wrap-around of unsigned results, and undefined
// behaviour for signed overflow, division by zero, INT_MIN / -1 and out-of-range shift counts).

import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Builtin } from '../../../src/interp/contracts';
import { run } from '../../../src/interp/cpu';
import { intRange, intTypesByName, promote, usualArithmetic, wrapInt, type IntName, type IntType } from '../../../src/lang/types';
import { load } from './harness';

const TYPES: IntName[] = ['signed char', 'unsigned char', 'short', 'unsigned short', 'int', 'unsigned int', 'long', 'unsigned long'];
const OPS = ['+', '-', '*', '/', '%', '&', '|', '^', '<<', '>>', '<', '<=', '==', '!='] as const;
type Op = (typeof OPS)[number];

interface Case {
	readonly ta: IntName;
	readonly tb: IntName;
	readonly a: bigint;
	readonly b: bigint;
	readonly op: Op;
}

/** The C result of `a op b` (a, b already of their types), or 'ub'. */
function model(c: Case): bigint | 'ub' {
	const ta = intTypesByName[c.ta];
	const tb = intTypesByName[c.tb];
	if (c.op === '<<' || c.op === '>>') {
		const lt = promote(ta);
		const width = BigInt(lt.size * 8);
		if (c.b < 0n || c.b >= width) return 'ub';
		return c.op === '<<' ? wrapInt(lt, c.a << c.b) : c.a >> c.b;
	}
	const common = usualArithmetic(ta, tb) as IntType;
	const x = wrapInt(common, c.a);
	const y = wrapInt(common, c.b);
	const checked = (v: bigint): bigint | 'ub' => {
		const { min, max } = intRange(common);
		if (common.signed && (v < min || v > max)) return 'ub';
		return wrapInt(common, v);
	};
	switch (c.op) {
		case '+':
			return checked(x + y);
		case '-':
			return checked(x - y);
		case '*':
			return checked(x * y);
		case '/':
		case '%':
			if (y === 0n) return 'ub';
			return checked(c.op === '/' ? x / y : x % y);
		case '&':
			return wrapInt(common, x & y);
		case '|':
			return wrapInt(common, x | y);
		case '^':
			return wrapInt(common, x ^ y);
		case '<':
			return x < y ? 1n : 0n;
		case '<=':
			return x <= y ? 1n : 0n;
		case '==':
			return x === y ? 1n : 0n;
		case '!=':
			return x !== y ? 1n : 0n;
	}
}

/** A C expression with value `v` of type `t` (no literal overflow). */
function literal(v: bigint, t: IntName): string {
	const min64 = -(1n << 63n);
	const text = v === min64 ? '(-9223372036854775807LL - 1)' : v < 0n ? `(${v}LL)` : v >= 1n << 63n ? `${v}ULL` : `${v}LL`;
	return `(${t})${text}`;
}

const interesting = [0n, 1n, 2n, 3n, 7n, 31n, 32n, 63n, 64n, 127n, 128n, 255n, 256n, 32767n, 65535n, 65536n, 2147483647n, 2147483648n, 4294967295n, 4294967296n, 9007199254740991n, 9007199254740993n, 9223372036854775807n, 18446744073709551615n];
const valueArb = fc.oneof(fc.constantFrom(...interesting), fc.constantFrom(...interesting).map(v => -v), fc.bigInt({ min: -(1n << 64n), max: 1n << 64n }), fc.integer({ min: -70, max: 70 }).map(BigInt));
const caseArb = fc
	.record({ ta: fc.constantFrom(...TYPES), tb: fc.constantFrom(...TYPES), a: valueArb, b: valueArb, op: fc.constantFrom(...OPS) })
	.map(c => ({ ...c, a: wrapInt(intTypesByName[c.ta], c.a), b: wrapInt(intTypesByName[c.tb], c.b) }));

describe('KC CPU: integer arithmetic matches the C model (property)', () => {
	it('random operations on random integer types, including undefined behaviour', () => {
		fc.assert(
			fc.property(fc.array(caseArb, { minLength: 1, maxLength: 30 }), cases => {
				const lines = cases.map((c, i) => `\t{ ${c.ta} a = ${literal(c.a, c.ta)}; ${c.tb} b = ${literal(c.b, c.tb)}; record(${i}, (unsigned long)(a ${c.op} b)); }`);
				const source = `void record(int i, unsigned long v);\nint main(void) {\n${lines.join('\n')}\n\treturn 0;\n}\n`;
				const got: bigint[] = [];
				const record: Builtin = (_ctx, args) => {
					got[Number(args[0])] = BigInt(args[1]);
					return undefined;
				};
				const m = load(source, ['p'], new Map([['record', record]]));
				const stop = run(m.thread, 100_000);
				const expected = cases.map(model);
				const firstUb = expected.indexOf('ub');
				const upto = firstUb < 0 ? cases.length : firstUb;
				for (let i = 0; i < upto; i++) {
					assert.equal(got[i], BigInt.asUintN(64, expected[i] as bigint), `${cases[i].ta} ${cases[i].a} ${cases[i].op} ${cases[i].tb} ${cases[i].b}`);
				}
				if (firstUb < 0) assert.deepEqual(stop, { kind: 'exited', code: 0 });
				else {
					assert.equal(stop.kind, 'ub', `expected UB for ${JSON.stringify(cases[firstUb], (_k, v) => (typeof v === 'bigint' ? String(v) : v))}`);
					if (stop.kind === 'ub') assert.equal(m.program.statements[stop.stmt].range.line, firstUb + 3);
				}
			}),
			{ numRuns: 100 },
		);
	});
});
