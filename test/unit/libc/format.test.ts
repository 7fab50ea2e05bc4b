// Tests of the glibc-exact printf formatter (libc layer): a fixed table of glibc 2.36 outputs that
// always runs, and, where gcc exists, differential runs against real glibc of edge cases and of
// thousands of seeded random conversions.

import * as assert from 'node:assert/strict';
import { formatPrintfResult } from '../../../src/interp/libc/format';
import {
	dbl, fromLatin1, glibcPrintf, haveGcc, int, latin1, ldbl, llong, long, ptr, str, TestArgSource, uint, ullong, ulong, wstr,
	type PrintfCase, type TestArg,
} from './printfCases.test';

function format(fmt: string, ...args: TestArg[]): string {
	const r = formatPrintfResult(latin1(fmt), new TestArgSource(args));
	assert.equal(r.error, undefined, `unexpected error for ${JSON.stringify(fmt)}`);
	return fromLatin1(r.bytes);
}

/** Outputs of glibc 2.36 (x86-64), recorded from gcc-built programs; they hold without gcc too. */
const GLIBC_TABLE: readonly (readonly [PrintfCase, string])[] = [
	[{ format: '%d|%5d|%-5d|%05d|%+d|% d', args: [int(42), int(42), int(42), int(42), int(42), int(42)] }, '42|   42|42   |00042|+42| 42'],
	[{ format: '%d %i', args: [int(-2147483648), int(-1)] }, '-2147483648 -1'],
	[{ format: '%.0d|%.0x|%#.0o|%#x|%#o', args: [int(0), int(0), int(0), int(0), int(0)] }, '||0|0|0'],
	[{ format: '%.5d|%8.5d|%-8.5d|%08.5d', args: [int(-42), int(42), int(42), int(42)] }, '-00042|   00042|00042   |   00042'],
	[{ format: '%x %X %#x %#X %o %#o', args: [uint(255), uint(255), uint(255), uint(255), uint(8), uint(8)] }, 'ff FF 0xff 0XFF 10 010'],
	[{ format: '%#010x|%-#10x|%#.5o', args: [uint(255), uint(255), uint(8)] }, '0x000000ff|0xff      |00010'],
	[{ format: '%u %lu %llu', args: [uint(4294967295), ulong(18446744073709551615n), ullong(18446744073709551615n)] }, '4294967295 18446744073709551615 18446744073709551615'],
	[{ format: '%ld %lld %lx', args: [long(-9223372036854775808n), llong(9223372036854775807n), long(-1)] }, '-9223372036854775808 9223372036854775807 ffffffffffffffff'],
	[{ format: '%hhd %hhu %hd %hu', args: [int(300), int(-1), int(70000), int(-1)] }, '44 255 4464 65535'],
	[{ format: '%zu %zd %td %jd', args: [ulong(12), long(-12), long(-5), long(7)] }, '12 -12 -5 7'],
	[{ format: '%c|%3c|%-3c|%03c', args: [int(65), int(66), int(67), int(68)] }, 'A|  B|C  |  D'],
	[{ format: '%s|%10s|%-10s|%.2s|%010s', args: [str('hello'), str('hi'), str('hi'), str('hello'), str('x')] }, 'hello|        hi|hi        |he|         x'],
	[{ format: '%s|%.5s|%.6s|%8s', args: [str(null), str(null), str(null), str(null)] }, '(null)||(null)|  (null)'],
	[{ format: '%p|%10p|%-10p|%p', args: [ptr(0), ptr(0), ptr(0), ptr(0x1234)] }, '(nil)|     (nil)|(nil)     |0x1234'],
	[{ format: '%+p|% p|%020p|%.8p', args: [ptr(0x1234), ptr(0x1234), ptr(0x1234), ptr(0x1234)] }, '+0x1234| 0x1234|0x000000000000001234|0x00001234'],
	[{ format: '%f %f %f %f', args: [dbl(0), dbl(1.5), dbl(-0.0), dbl(3.14159265)] }, '0.000000 1.500000 -0.000000 3.141593'],
	[{ format: '%.0f %.0f %.0f %.0f %.0f', args: [dbl(0.5), dbl(1.5), dbl(2.5), dbl(3.5), dbl(-0.5)] }, '0 2 2 4 -0'],
	[{ format: '%.2f %.2f %.1f %.3f', args: [dbl(0.125), dbl(0.375), dbl(0.25), dbl(1.0005)] }, '0.12 0.38 0.2 1.000'],
	[{ format: '%e %E %.0e %#.0e %.3e', args: [dbl(12345.678), dbl(0.000123), dbl(5), dbl(5), dbl(9.9996)] }, '1.234568e+04 1.230000E-04 5e+00 5.e+00 1.000e+01'],
	[{ format: '%g %g %g %g %g %g', args: [dbl(100000), dbl(1000000), dbl(0.0001), dbl(0.00001), dbl(123.456), dbl(0)] }, '100000 1e+06 0.0001 1e-05 123.456 0'],
	[{ format: '%#g %G %.3g %.10g %#.3g', args: [dbl(1), dbl(1e-10), dbl(3.14159), dbl(0.1), dbl(100)] }, '1.00000 1E-10 3.14 0.1 100.'],
	[{ format: '%.17g %.17g %.20f', args: [dbl(0.1), dbl(1 / 3), dbl(0.1)] }, '0.10000000000000001 0.33333333333333331 0.10000000000000000555'],
	[{ format: '%f %F %e %g %5.1f %-6f|', args: [dbl(Infinity), dbl(-Infinity), dbl(NaN), dbl(NaN), dbl(Infinity), dbl(-Infinity)] }, 'inf -INF nan nan   inf -inf  |'],
	[{ format: '%010f|%+f|% f|%-12f|%012.3e', args: [dbl(Infinity), dbl(1), dbl(1), dbl(-1.25), dbl(-1234.5)] }, '       inf|+1.000000| 1.000000|-1.250000   |-001.234e+03'],
	[{ format: '%f', args: [dbl(1e300)] }, '1000000000000000052504760255204420248704468581108159154915854115511802457988908195786371375080447864043704443832883878176942523235360430575644792184786706982848387200926575803737830233794788090059368953234970799945081119038967640880074652742780142494579258788820056842838115669472196386865459400540160.000000'],
	[{ format: '%.3e %g %e', args: [dbl(5e-324), dbl(2.2250738585072014e-308), dbl(1.7976931348623157e308)] }, '4.941e-324 2.22507e-308 1.797693e+308'],
	[{ format: '%a %a %a %a %A', args: [dbl(1), dbl(0.1), dbl(0), dbl(-2.5), dbl(255)] }, '0x1p+0 0x1.999999999999ap-4 0x0p+0 -0x1.4p+1 0X1.FEP+7'],
	[{ format: '%.0a %.1a %.2a %a %.3a', args: [dbl(1.5), dbl(1.03125), dbl(1.999), dbl(5e-324), dbl(2.2250738585072014e-308)] }, '0x2p+0 0x1.0p+0 0x2.00p+0 0x0.0000000000001p-1022 0x1.000p-1022'],
	[{ format: '%La %La %.2La', args: [ldbl(1), ldbl(0.1), ldbl(3)] }, '0x8p-3 0xc.cccccccccccdp-7 0xc.00p-2'],
	[{ format: '%Lf %Lg', args: [ldbl(2.5), ldbl(1e20)] }, '2.500000 1e+20'],
	[{ format: '%5%|%-5%|%%', args: [] }, '%|%|%'],
	[{ format: '%y|%5k|%-3w', args: [] }, '%y|%5k|%-3w'],
	[{ format: '%*d|%-*d|%*d|%.*f|%.*d', args: [int(5), int(1), int(5), int(2), int(-5), int(3), int(2), dbl(3.14159), int(-1), int(7)] }, '    1|2    |3    |3.14|7'],
	[{ format: '%2$s %1$s|%3$*4$d|', args: [str('world'), str('hello'), int(7), int(4)] }, 'hello world|   7|'],
	[{ format: '%lc%lc|%ls|%.2ls|%5ls', args: [int(0x41), int(0x7a), wstr('wide'), wstr('wide'), wstr('ab')] }, 'Az|wide|wi|   ab'],
	[{ format: '%hhx %hx %llx %jx', args: [int(-1), int(-1), llong(-1), long(255)] }, 'ff ffff ffffffffffffffff ff'],
	[{ format: '%#.3x %#5.3o %+.3d % 05d %-+5d|', args: [uint(1), uint(1), int(1), int(1), int(1)] }, '0x001   001 +001  0001 +1   |'],
];

describe('formatPrintf', () => {
	describe('matches recorded glibc output', () => {
		for (const [c, expected] of GLIBC_TABLE) {
			it(JSON.stringify(c.format), () => {
				assert.equal(format(c.format, ...c.args), expected);
			});
		}
	});

	it('the recorded table is what glibc prints on this machine', function () {
		if (!haveGcc()) {
			this.skip();
		}
		const results = glibcPrintf(GLIBC_TABLE.map(([c]) => c));
		const wrong = results
			.map((r, i) => (r.output === GLIBC_TABLE[i][1] ? '' : `${JSON.stringify(GLIBC_TABLE[i][0].format)}: glibc prints ${JSON.stringify(r.output)}`))
			.filter(line => line !== '');
		assert.deepEqual(wrong, []);
	});

	it('stores the count for %n with the width of its length modifier', () => {
		const source = new TestArgSource([ptr(0x100), ptr(0x200), ptr(0x300), ptr(0x400)]);
		const r = formatPrintfResult(latin1('ab%ncd%hhnef%hn%lln'), source);
		assert.equal(fromLatin1(r.bytes), 'abcdef');
		assert.deepEqual(source.stores, [
			{ address: 0x100, size: 4, count: 2 },
			{ address: 0x200, size: 1, count: 4 },
			{ address: 0x300, size: 2, count: 6 },
			{ address: 0x400, size: 8, count: 6 },
		]);
	});

	it('prints strerror(errno) for %m', () => {
		const r = formatPrintfResult(latin1('[%m] [%.6m]'), new TestArgSource([], 2));
		assert.equal(fromLatin1(r.bytes), '[No such file or directory] [No suc]');
	});

	it('fails with EINVAL when the format ends inside a conversion, keeping what came before', () => {
		const r = formatPrintfResult(latin1('abc%5'), new TestArgSource([]));
		assert.equal(r.error, 'EINVAL');
		assert.equal(fromLatin1(r.bytes), 'abc');
	});

	it('fails with EILSEQ for a wide character outside the C locale', () => {
		assert.equal(formatPrintfResult(latin1('%lc'), new TestArgSource([int(0xe9)])).error, 'EILSEQ');
	});

	it('refuses outputs beyond the host limit instead of allocating them', () => {
		const r = formatPrintfResult(latin1('%2000000000d'), new TestArgSource([int(1)]));
		assert.equal(r.error, 'EOVERFLOW');
		const huge = formatPrintfResult(latin1('%.100000f'), new TestArgSource([dbl(1 / 3)]));
		assert.equal(huge.error, undefined);
		assert.equal(huge.bytes.length, 100002);
		assert.ok(fromLatin1(huge.bytes).startsWith('0.333333333333333314829616256247390992939472198486328125000'));
	});

	it('stops at a faulting %s and reports it through the source', () => {
		const source = new TestArgSource([int(1), ptr(0xdead0000), int(2)]);
		const r = formatPrintfResult(latin1('%d %s %d'), source);
		assert.equal(source.failed, true);
		assert.equal(fromLatin1(r.bytes), '1 ');
	});

	describe('against glibc (gcc)', function () {
		before(function () {
			if (!haveGcc()) {
				this.skip();
			}
		});

		it('edge cases', () => {
			compareWithGlibc(edgeCases());
		});

		// PRINTF_SEED and PRINTF_CASES run other or more random cases (e.g. PRINTF_CASES=100000).
		it('seeded random conversions', () => {
			compareWithGlibc(randomCases(Number(process.env.PRINTF_SEED ?? 0x5eed), Number(process.env.PRINTF_CASES ?? 4000)));
		});
	});
});

function compareWithGlibc(cases: readonly PrintfCase[]): void {
	const results = glibcPrintf(cases);
	const failures: string[] = [];
	cases.forEach((c, i) => {
		const source = new TestArgSource(c.args);
		const r = formatPrintfResult(latin1(c.format), source);
		const mine = fromLatin1(r.bytes);
		const returned = r.error !== undefined ? -1 : r.bytes.length;
		if (mine !== results[i].output || returned !== results[i].returned) {
			failures.push(`${JSON.stringify(c.format)} ${JSON.stringify(c.args, (_, v) => (typeof v === 'bigint' ? v.toString() : v))}\n  glibc: ${JSON.stringify(results[i].output)} (${results[i].returned})\n  mine:  ${JSON.stringify(mine)} (${returned})`);
		}
	});
	assert.equal(failures.length, 0, failures.slice(0, 20).join('\n'));
}

function edgeCases(): PrintfCase[] {
	const cases: PrintfCase[] = [];
	const doubles = [
		0, -0, 0.5, 1.5, 2.5, -2.5, 0.05, 0.15, 0.25, 0.35, 1e-5, 9.5, 99.5, 999.5, 0.999999, 9.9999995, 1e15, 1e16, 1e17, 1e21, 1e22, 1e23,
		123456789012345680000, 2 ** 53, 2 ** 63, 2 ** 64, 2 ** 100, 2 ** -20, 2 ** -1074, 2 ** -1022, 4.9406564584124654e-324, 1.7976931348623157e308,
		Math.PI, Math.E, 1 / 3, 2 / 3, 0.1, 0.2, 0.3, 100, 1e-300, 123.456, 1e100, 5e-5, 0.00001234, 65536.5, 0.0625, 6.5, 7.5,
	];
	const floatFormats = ['%f', '%.0f', '%.1f', '%.3f', '%.20f', '%.60f', '%#.0f', '%e', '%.0e', '%.1e', '%.15e', '%.25e', '%#.0e', '%g', '%.0g', '%.1g', '%.2g', '%.15g', '%.17g', '%.30g', '%#g', '%#.3g', '%G', '%E', '%a', '%.0a', '%.1a', '%.3a', '%.13a', '%.20a', '%#.0a', '%A', '%La', '%.2La', '%12.4f', '%-12.4e|', '%+012.3g', '% 010.2f', '%08.3a'];
	for (const d of doubles) {
		for (const f of floatFormats) {
			cases.push({ format: f, args: [f.includes('L') ? ldbl(d) : dbl(d)] });
			cases.push({ format: f, args: [f.includes('L') ? ldbl(-d) : dbl(-d)] });
		}
	}
	for (const d of [Infinity, -Infinity, NaN]) {
		for (const f of ['%f', '%F', '%e', '%E', '%g', '%G', '%a', '%A', '%010f', '%-8e|', '%+f', '% f', '%#g']) {
			cases.push({ format: f, args: [dbl(d)] });
		}
	}
	const ints = [0n, 1n, -1n, 7n, 8n, 255n, 256n, 65535n, 65536n, 2147483647n, -2147483648n, 4294967295n, 9007199254740993n, -9223372036854775808n, 9223372036854775807n];
	const intFormats = ['%d', '%i', '%u', '%x', '%X', '%o', '%#x', '%#o', '%#X', '%.0d', '%.0o', '%#.0o', '%#.0x', '%5.3d', '%-5.3d|', '%05d', '%+d', '% d', '%+u', '% x', '%-+08d|', '%#08x', '%#8.4x', '%.10o', '%#.10o', '%hhd', '%hhu', '%hd', '%hu', '%hx'];
	for (const v of ints) {
		for (const f of intFormats) {
			cases.push({ format: f, args: [int(BigInt.asIntN(32, v))] });
			const longFormat = f.replace(/h+/, '').replace(/([diuoxX])$/, 'l$1');
			cases.push({ format: longFormat, args: [long(BigInt.asIntN(64, v))] });
			cases.push({ format: longFormat.replace('l', 'll'), args: [ullong(BigInt.asUintN(64, v))] });
		}
	}
	for (const p of [0n, 1n, 0x7fffffffffffn, 0x10000000n, 0xffff800000000000n]) {
		for (const f of ['%p', '%20p', '%-20p|', '%+p', '% p', '%020p', '%.0p', '%.20p', '%#p', '%3p']) {
			cases.push({ format: f, args: [ptr(p)] });
		}
	}
	for (const s of ['', 'a', 'hello world', 'tab\there', '\xff\x80']) {
		for (const f of ['%s', '%.0s', '%.3s', '%10s', '%-10s|', '%010s', '%10.2s', '%-3.1s|']) {
			cases.push({ format: f, args: [str(s)] });
		}
	}
	for (const f of ['%s', '%.0s', '%.5s', '%.6s', '%.7s', '%10s', '%-10s|', '%3s']) {
		cases.push({ format: f, args: [str(null)] });
	}
	for (const f of ['%c', '%5c', '%-5c|', '%05c', '%.0c', '%hhc']) {
		for (const v of [65, 0x1ff, -56, 0]) {
			cases.push({ format: f, args: [int(v)] });
		}
	}
	for (const d of [9.5, 99.5, 999.5, 9999.5, 0.95, 9.95, 99.95, 999.95, 9.9999999, 99999.95, 0.0000995, 0.00000995, 9.96, 1e-5 * 9.9999]) {
		for (let p = 0; p <= 8; p++) {
			cases.push({ format: `%#.${p}g`, args: [dbl(d)] });
			cases.push({ format: `%.${p}g`, args: [dbl(d)] });
			cases.push({ format: `%#.${p}G`, args: [dbl(-d)] });
		}
	}
	cases.push({ format: 'a%', args: [] });
	cases.push({ format: 'a%l', args: [] });
	cases.push({ format: '%5.', args: [] });
	cases.push({ format: '%q', args: [] });
	cases.push({ format: '%qd %Ld %Lu', args: [llong(-5), llong(6), ullong(7)] });
	cases.push({ format: '%Zd %\'d %Id', args: [long(1234567), int(1234567), int(89)] });
	cases.push({ format: '%1$d %1$x %2$s %3$.2f %1$o', args: [int(42), str('pos'), dbl(2.5)] });
	cases.push({ format: '%3$s %1$*2$d|%4$-*2$s|', args: [int(9), int(6), str('third'), str('x')] });
	cases.push({ format: '%1$.*2$f %3$c', args: [dbl(1.23456), int(2), int(90)] });
	return cases;
}

/** A small deterministic PRNG (xorshift32) so the random cases are the same on every run. */
function prng(seed: number): () => number {
	let state = seed >>> 0 || 1;
	return () => {
		state ^= state << 13;
		state >>>= 0;
		state ^= state >>> 17;
		state ^= state << 5;
		state >>>= 0;
		return state / 4294967296;
	};
}

function randomCases(seed: number, count: number): PrintfCase[] {
	const random = prng(seed);
	const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
	const randomBits = (bits: number): bigint => {
		let v = 0n;
		for (let i = 0; i < bits; i += 16) v = (v << 16n) | BigInt(Math.floor(random() * 65536));
		return BigInt.asUintN(bits, v);
	};
	const randomDouble = (): number => {
		switch (pick(['bits', 'small', 'decimal', 'int', 'tie'])) {
			case 'bits': {
				const view = new DataView(new ArrayBuffer(8));
				view.setBigUint64(0, randomBits(64));
				const d = view.getFloat64(0);
				return Number.isFinite(d) ? d : 1.25;
			}
			case 'small':
				return (random() - 0.5) * 10 ** Math.floor(random() * 20 - 10);
			case 'decimal':
				return Number((random() * 1000).toFixed(Math.floor(random() * 6)));
			case 'int':
				return Math.floor((random() - 0.5) * 2 ** Math.floor(random() * 70));
			default:
				// Exact binary fractions produce exact decimal ties.
				return Math.floor(random() * 4096) / 2 ** Math.floor(random() * 12);
		}
	};
	const cases: PrintfCase[] = [];
	for (let n = 0; n < count; n++) {
		let flags = '';
		for (const f of ['-', '+', ' ', '#', '0']) if (random() < 0.2) flags += f;
		const width = random() < 0.4 ? String(Math.floor(random() * 30)) : random() < 0.1 ? '*' : '';
		const precision = random() < 0.5 ? '.' + (random() < 0.15 ? '' : String(Math.floor(random() * (random() < 0.1 ? 80 : 20)))) : random() < 0.05 ? '.*' : '';
		const args: TestArg[] = [];
		if (width === '*') args.push(int(Math.floor((random() - 0.5) * 40)));
		if (precision === '.*') args.push(int(Math.floor((random() - 0.3) * 30)));
		const kind = pick(['int', 'int', 'float', 'float', 'float', 'string', 'pointer', 'char']);
		let conversion: string;
		if (kind === 'int') {
			const length = pick(['', '', 'hh', 'h', 'l', 'll', 'z', 'j', 't']);
			conversion = length + pick(['d', 'i', 'u', 'o', 'x', 'X']);
			if (length === '' || length === 'h' || length === 'hh') {
				args.push(int(BigInt.asIntN(32, randomBits(pick([4, 8, 16, 32])))));
			} else {
				args.push(long(BigInt.asIntN(64, randomBits(pick([8, 32, 48, 64])))));
			}
		} else if (kind === 'float') {
			const long = random() < 0.1;
			conversion = (long ? 'L' : '') + pick(['f', 'F', 'e', 'E', 'g', 'G', 'a', 'A', 'g', 'f', 'e']);
			const d = randomDouble();
			args.push(long ? ldbl(d) : dbl(d));
		} else if (kind === 'string') {
			conversion = 's';
			args.push(random() < 0.1 ? str(null) : str(pick(['', 'x', 'abc', 'hello, world', 'tabs\tand\nnewlines'])));
		} else if (kind === 'pointer') {
			conversion = 'p';
			args.push(random() < 0.2 ? ptr(0) : ptr(randomBits(47)));
		} else {
			conversion = 'c';
			args.push(int(Math.floor(random() * 256)));
		}
		cases.push({ format: `<%${flags}${width}${precision}${conversion}>`, args });
	}
	return cases;
}

