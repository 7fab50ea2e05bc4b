// Shared machinery of the printf tests: typed test arguments, an ArgSource over them, and a gcc
// oracle that runs the same formats through real glibc (test support for the libc layer).
// This file also checks the machinery itself, so that the oracle cannot silently compare nothing.

import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ArgSource } from '../../../src/interp/libc/format';

/** One argument of a test case, with its C type. */
export type TestArg =
	| { readonly type: 'int' | 'unsigned' | 'long' | 'unsigned long' | 'long long' | 'unsigned long long'; readonly value: bigint }
	| { readonly type: 'double'; readonly value: number }
	| { readonly type: 'long double'; readonly value: number }
	| { readonly type: 'string'; readonly value: string | null }
	| { readonly type: 'wstring'; readonly value: string }
	| { readonly type: 'pointer'; readonly value: bigint };

export interface PrintfCase {
	readonly format: string;
	readonly args: readonly TestArg[];
}

export const int = (v: number | bigint): TestArg => ({ type: 'int', value: BigInt(v) });
export const uint = (v: number | bigint): TestArg => ({ type: 'unsigned', value: BigInt(v) });
export const long = (v: number | bigint): TestArg => ({ type: 'long', value: BigInt(v) });
export const ulong = (v: number | bigint): TestArg => ({ type: 'unsigned long', value: BigInt(v) });
export const llong = (v: number | bigint): TestArg => ({ type: 'long long', value: BigInt(v) });
export const ullong = (v: number | bigint): TestArg => ({ type: 'unsigned long long', value: BigInt(v) });
export const dbl = (v: number): TestArg => ({ type: 'double', value: v });
export const ldbl = (v: number): TestArg => ({ type: 'long double', value: v });
export const str = (v: string | null): TestArg => ({ type: 'string', value: v });
export const wstr = (v: string): TestArg => ({ type: 'wstring', value: v });
export const ptr = (v: number | bigint): TestArg => ({ type: 'pointer', value: BigInt(v) });

/**
 * An ArgSource over typed test arguments. Integer-class and floating arguments are taken from two
 * separate queues, as the x86-64 calling convention does for register arguments. Strings live at
 * made-up addresses; address 0xdead0000 faults.
 */
export class TestArgSource implements ArgSource {
	failed = false;
	private readonly ints: (number | bigint)[] = [];
	private readonly doubles: number[] = [];
	private readonly strings = new Map<number, Uint8Array>();
	private readonly wides = new Map<number, number[]>();
	readonly stores: { address: number; size: number; count: number }[] = [];

	constructor(args: readonly TestArg[], private readonly errnoValue = 0) {
		let next = 0x1000;
		for (const a of args) {
			switch (a.type) {
				case 'double':
				case 'long double':
					this.doubles.push(a.value);
					break;
				case 'string':
					if (a.value === null) {
						this.ints.push(0);
					} else {
						this.strings.set(next, latin1(a.value));
						this.ints.push(next);
						next += 0x1000;
					}
					break;
				case 'wstring':
					this.wides.set(next, [...a.value].map(ch => ch.codePointAt(0) ?? 0));
					this.ints.push(next);
					next += 0x1000;
					break;
				default: {
					const v = a.value;
					this.ints.push(Number.isSafeInteger(Number(v)) ? Number(v) : v);
				}
			}
		}
	}

	nextInt(): number | bigint {
		return this.ints.shift() ?? 0;
	}

	nextDouble(): number {
		return this.doubles.shift() ?? 0;
	}

	cString(address: number, limit?: number): Uint8Array | undefined {
		const s = this.strings.get(address);
		if (s === undefined) {
			this.failed = true;
			return undefined;
		}
		return limit === undefined ? s : s.subarray(0, Math.min(limit, s.length));
	}

	wideString(address: number, limit?: number): number[] | undefined {
		const s = this.wides.get(address);
		if (s === undefined) {
			this.failed = true;
			return undefined;
		}
		return limit === undefined ? s : s.slice(0, limit);
	}

	storeCount(address: number, size: 1 | 2 | 4 | 8, count: number): boolean {
		this.stores.push({ address, size, count });
		return true;
	}

	errno(): number {
		return this.errnoValue;
	}
}

export function latin1(s: string): Uint8Array {
	return Uint8Array.from([...s].map(ch => ch.charCodeAt(0) & 0xff));
}

export function fromLatin1(b: Uint8Array): string {
	return String.fromCharCode(...b);
}

/** A C string literal for `s` (bytes 0..255), with octal escapes so no escape runs into the next character. */
export function cLiteral(s: string): string {
	let text = '"';
	for (const ch of s) {
		const c = ch.charCodeAt(0);
		if (c >= 0x20 && c < 0x7f && ch !== '"' && ch !== '\\' && ch !== '?') {
			text += ch;
		} else {
			text += '\\' + c.toString(8).padStart(3, '0');
		}
	}
	return text + '"';
}

function doubleLiteral(v: number): string {
	if (Number.isNaN(v)) return '__builtin_nan("")';
	if (v === Infinity) return '__builtin_inf()';
	if (v === -Infinity) return '(-__builtin_inf())';
	if (Object.is(v, -0)) return '(-0.0)';
	// Hex floats are exact.
	return hexDouble(v);
}

function hexDouble(v: number): string {
	const buffer = new DataView(new ArrayBuffer(8));
	buffer.setFloat64(0, v);
	const bits = buffer.getBigUint64(0);
	const sign = bits >> 63n ? '-' : '';
	const exponent = Number((bits >> 52n) & 0x7ffn);
	const fraction = bits & ((1n << 52n) - 1n);
	if (exponent === 0) {
		return `(${sign}0x0.${fraction.toString(16).padStart(13, '0')}p-1022)`;
	}
	return `(${sign}0x1.${fraction.toString(16).padStart(13, '0')}p${exponent - 1023})`;
}

function cArgument(a: TestArg): string {
	switch (a.type) {
		case 'int':
			return a.value === -(2n ** 31n) ? '(-2147483647 - 1)' : `(${a.value})`;
		case 'unsigned':
			return `(${a.value}u)`;
		case 'long':
		case 'long long': {
			const suffix = a.type === 'long' ? 'L' : 'LL';
			return a.value === -(2n ** 63n) ? `(-9223372036854775807${suffix} - 1)` : `(${a.value}${suffix})`;
		}
		case 'unsigned long':
			return `(${a.value}UL)`;
		case 'unsigned long long':
			return `(${a.value}ULL)`;
		case 'double':
			return doubleLiteral(a.value);
		case 'long double':
			return `((long double)${doubleLiteral(a.value)})`;
		case 'string':
			return a.value === null ? '((char *)0)' : cLiteral(a.value);
		case 'wstring':
			return 'L' + cLiteral(a.value);
		case 'pointer':
			return `((void *)${a.value}UL)`;
	}
}

let gccChecked: boolean | undefined;

/** True if a working gcc is on PATH. */
export function haveGcc(): boolean {
	if (gccChecked === undefined) {
		const r = spawnSync('gcc', ['--version'], { encoding: 'utf8' });
		gccChecked = r.status === 0;
	}
	return gccChecked;
}

export interface GlibcResult {
	/** What snprintf produced. */
	readonly output: string;
	/** snprintf's return value. */
	readonly returned: number;
}

/** Runs every case through glibc's snprintf (one compiled program) and returns outputs in order. */
export function glibcPrintf(cases: readonly PrintfCase[], prelude = ''): GlibcResult[] {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'faultline-printf-'));
	try {
		const lines: string[] = [
			'#include <stdio.h>',
			'#include <wchar.h>',
			'#include <errno.h>',
			'static char buf[1 << 20];',
			'#include <string.h>',
			'static void emit(int r) { int n = r < 0 ? (int)strlen(buf) : r; if (n > (int)sizeof buf - 1) n = sizeof buf - 1; printf("%d %d:", r, n); fwrite(buf, 1, n, stdout); putchar(10); }',
			'int main(void) {',
			prelude,
		];
		for (const c of cases) {
			const args = c.args.map(cArgument).join(', ');
			lines.push(`\tbuf[0] = 0; emit(snprintf(buf, sizeof buf, ${cLiteral(c.format)}${args ? ', ' + args : ''}));`);
		}
		lines.push('\treturn 0;', '}');
		const source = path.join(dir, 'p.c');
		const binary = path.join(dir, 'p');
		fs.writeFileSync(source, lines.join('\n'));
		execFileSync('gcc', ['-std=gnu11', '-O0', '-w', '-o', binary, source]);
		const output = execFileSync(binary, { maxBuffer: 1 << 28 });
		const results: GlibcResult[] = [];
		let i = 0;
		while (i < output.length) {
			const colon = output.indexOf(0x3a, i);
			const [returned, length] = output.subarray(i, colon).toString('latin1').split(' ').map(Number);
			const start = colon + 1;
			results.push({ output: output.subarray(start, start + length).toString('latin1'), returned });
			i = start + length + 1;
		}
		assert.equal(results.length, cases.length, 'the oracle program printed one result per case');
		return results;
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
}

describe('printf test machinery', () => {
	it('TestArgSource hands out integer and floating arguments from separate queues', () => {
		const s = new TestArgSource([int(1), dbl(2.5), str('x'), long(-3)]);
		assert.equal(s.nextDouble(), 2.5);
		assert.equal(s.nextInt(), 1);
		const address = s.nextInt();
		assert.deepEqual(s.cString(Number(address)), latin1('x'));
		assert.equal(s.nextInt(), -3);
		assert.equal(s.failed, false);
		assert.equal(s.cString(0xdead0000), undefined);
		assert.equal(s.failed, true);
	});

	it('cLiteral escapes everything that is not plain printable ASCII', () => {
		assert.equal(cLiteral('a"b\\\n\x01?'), '"a\\042b\\134\\012\\001\\077"');
	});

	it('the gcc oracle reports glibc output and return values', function () {
		if (!haveGcc()) {
			this.skip();
		}
		const r = glibcPrintf([{ format: '[%5d|%s]', args: [int(42), str('hi')] }]);
		assert.deepEqual(r, [{ output: '[   42|hi]', returned: 10 }]);
	});
});
