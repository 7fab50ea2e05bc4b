// Tests of the user C library builtins on real flat memory (libc layer): glibc's random(), the
// allocator, stdio buffering and the printf family, exit/abort/assert, strings, conversions and
// the builtin protocol (faults leave no effect, `call` actions for qsort/bsearch/atexit).

import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { FlatLayout, type BuiltinAction, type BuiltinContext, type Value } from '../../../src/interp/contracts';
import { FlatMemory } from '../../../src/interp/flatMemory';
import { parseDouble, parseInteger, sortOrder } from '../../../src/interp/libc/stdlib';
import { createUserHost, type UserHost } from '../../../src/interp/libc/userHost';
import { ldexp, frexp } from '../../../src/interp/libc/math';
import { charType, doubleType, intType, longType, pointerTo, ulongType, type CType } from '../../../src/lang/types';
import { haveGcc } from './printfCases.test';

const charPtr = pointerTo(charType);
const voidPtr = pointerTo({ kind: 'void' });

/** A C library on fresh flat memory, with its output captured and a scratch area for test data. */
class Harness {
	readonly memory = new FlatMemory();
	readonly host: UserHost;
	readonly stdout: number[] = [];
	readonly stderr: number[] = [];
	/** Interleaved record of writes to both descriptors, for ordering checks. */
	readonly writes: string[] = [];
	/** A mapped scratch region for strings and buffers the test passes in. */
	readonly scratch = 0x700000;
	private next = this.scratch;
	/** KC "functions" the builtins may call through `call` actions, by address. */
	readonly functions = new Map<number, (args: readonly Value[]) => Value | undefined>();

	constructor(options: { heapLimit?: number; stdoutBuffering?: 'full' | 'line' | 'none'; stdin?: string } = {}) {
		this.memory.map(this.scratch, 0x100000, { read: true, write: true });
		this.host = createUserHost({
			memory: this.memory,
			stdout: b => this.capture(1, b),
			stderr: b => this.capture(2, b),
			heapBase: FlatLayout.heapBase,
			heapLimit: options.heapLimit ?? FlatLayout.heapLimit,
			stdoutBuffering: options.stdoutBuffering,
			stdin: options.stdin !== undefined ? new TextEncoder().encode(options.stdin) : undefined,
			programName: 'prog',
		});
	}

	private capture(fd: 1 | 2, bytes: Uint8Array): void {
		const target = fd === 1 ? this.stdout : this.stderr;
		for (const b of bytes) target.push(b);
		this.writes.push(`${fd}:` + Buffer.from(bytes).toString('latin1'));
	}

	/** Copies a NUL-terminated string into scratch memory; returns its address. */
	string(s: string): number {
		return this.bytes(Buffer.concat([Buffer.from(s, 'latin1'), Buffer.from([0])]));
	}

	bytes(b: Uint8Array): number {
		const at = this.next;
		this.memory.write(at, b);
		this.next += Math.ceil((b.length + 1) / 16) * 16;
		return at;
	}

	alloc(size: number): number {
		const at = this.next;
		this.next += Math.ceil(size / 16) * 16 + 16;
		return at;
	}

	readString(address: number): string {
		let s = '';
		for (let a = address; ; a++) {
			const c = this.memory.ld8u(a);
			if (c === 0) return s;
			s += String.fromCharCode(c);
		}
	}

	out(): string {
		return Buffer.from(this.stdout).toString('latin1');
	}

	err(): string {
		return Buffer.from(this.stderr).toString('latin1');
	}

	/**
	 * Calls builtin `name` as the CPU would, running `call` actions against `functions` and feeding
	 * their results to `then`, until a value or a final action (exit, trap, fault) comes out.
	 */
	call(name: string, args: readonly Value[], types: readonly CType[] = args.map(() => longType)): Value | undefined | BuiltinAction {
		const builtin = this.host.builtins.get(name);
		assert.ok(builtin, `no builtin ${name}`);
		const ctx: BuiltinContext = { mem: this.memory, argTypes: types, threadId: 0 };
		let r = builtin(ctx, args);
		while (typeof r === 'object' && r.kind === 'call') {
			const fn = this.functions.get(Number(r.target));
			assert.ok(fn, `call to unknown function ${String(r.target)}`);
			const value = fn(r.args);
			r = r.then ? r.then(value) : value;
		}
		return r;
	}

	/** Calls a builtin that must return a plain value. */
	value(name: string, args: readonly Value[], types?: readonly CType[]): Value {
		const r = this.call(name, args, types);
		if (typeof r !== 'number' && typeof r !== 'bigint') {
			assert.fail(`${name} returned ${JSON.stringify(r)}`);
		}
		return r;
	}

	errno(): number {
		return this.memory.ld32s(this.host.addresses.errno);
	}
}

/** printf-style call: the format then variadic arguments with their types. */
function printf(h: Harness, name: string, leading: readonly [Value, CType][], format: string, ...rest: [Value, CType][]): Value | undefined | BuiltinAction {
	const all: [Value, CType][] = [...leading, [h.string(format), charPtr], ...rest];
	return h.call(name, all.map(a => a[0]), all.map(a => a[1]));
}

/** How many comparisons glibc's merge sort makes for these keys. */
function countComparisons(keys: readonly number[]): number {
	let n = 0;
	sortOrder(keys.length, (a, b) => (n++, keys[a] - keys[b]));
	return n;
}

/** Runs a C program built by gcc and returns its stdout, or undefined without gcc. */
function gccOutput(source: string): string | undefined {
	if (!haveGcc()) return undefined;
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'faultline-libc-'));
	try {
		fs.writeFileSync(path.join(dir, 'p.c'), source);
		execFileSync('gcc', ['-std=gnu11', '-O0', '-w', '-o', path.join(dir, 'p'), path.join(dir, 'p.c'), '-lm']);
		return execFileSync(path.join(dir, 'p')).toString('latin1');
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
}

describe('user C library', () => {
	describe('rand / srand: glibc TYPE_3 random()', () => {
		/** The first numbers of glibc 2.36 for srand(1) (also the default) and srand(42). */
		const GLIBC_SRAND_1 = [1804289383, 846930886, 1681692777, 1714636915, 1957747793, 424238335, 719885386, 1649760492];
		const GLIBC_SRAND_42 = [71876166, 708592740, 1483128881, 907283241, 442951012, 537146758, 1366999021, 1854614940];

		const sequence = (h: Harness, n: number): number[] => Array.from({ length: n }, () => Number(h.value('rand', [])));

		it('starts as if seeded with 1 and matches glibc for srand(1) and srand(42)', () => {
			const h = new Harness();
			assert.deepEqual(sequence(h, 8), GLIBC_SRAND_1);
			h.call('srand', [42], [intType]);
			assert.deepEqual(sequence(h, 8), GLIBC_SRAND_42);
			h.call('srand', [1], [intType]);
			assert.deepEqual(sequence(h, 8), GLIBC_SRAND_1);
		});

		it('matches gcc-built glibc for many seeds and long runs', function () {
			const seeds = [0, 1, 2, 42, 1000, 65535, 2147483647, 2147483648, 4294967295];
			const expected = gccOutput(
				`#include <stdio.h>\n#include <stdlib.h>\nint main(void){unsigned s[]={${seeds.map(s => s + 'u').join(',')}};` +
					`for(int i=0;i<${seeds.length};i++){srand(s[i]);long t=0;for(int k=0;k<1000;k++)t+=rand();printf("%u %d %ld\\n",s[i],rand(),t);}return 0;}`,
			);
			if (expected === undefined) this.skip();
			const h = new Harness();
			let mine = '';
			for (const s of seeds) {
				h.call('srand', [s | 0], [intType]);
				let t = 0;
				for (let k = 0; k < 1000; k++) t += Number(h.value('rand', []));
				mine += `${s} ${h.value('rand', [])} ${t}\n`;
			}
			assert.equal(mine, expected);
		});

		it('keeps its state in simulated memory, so a memory snapshot replays the sequence', () => {
			const h = new Harness();
			h.call('srand', [7], [intType]);
			const snapshot = h.memory.snapshot();
			const first = sequence(h, 5);
			h.memory.restore(snapshot);
			assert.deepEqual(sequence(h, 5), first);
		});
	});

	describe('malloc / calloc / realloc / free', () => {
		it('returns 16-byte aligned, non-overlapping blocks and reuses freed ones', () => {
			const h = new Harness();
			const blocks = [1, 7, 16, 24, 100, 1000, 5000].map(n => ({ n, p: Number(h.value('malloc', [n], [ulongType])) }));
			for (const b of blocks) assert.equal(b.p % 16, 0);
			const sorted = [...blocks].sort((a, b) => a.p - b.p);
			for (let i = 1; i < sorted.length; i++) assert.ok(sorted[i - 1].p + sorted[i - 1].n <= sorted[i].p, 'blocks overlap');
			const victim = blocks[4].p;
			h.call('free', [victim], [voidPtr]);
			assert.equal(h.value('malloc', [90], [ulongType]), victim, 'a request that fits reuses the freed block');
			assert.deepEqual(h.host.allocator.audit(h.memory).problems, []);
		});

		it('calloc zeroes reused memory and realloc keeps the contents', () => {
			const h = new Harness();
			const p = Number(h.value('malloc', [64], [ulongType]));
			h.memory.fill(p, 0xaa, 64);
			h.call('free', [p], [voidPtr]);
			const z = Number(h.value('calloc', [8, 8], [ulongType, ulongType]));
			assert.equal(z, p);
			assert.deepEqual([...h.memory.read(z, 64)!], new Array(64).fill(0));
			h.memory.write(z, Uint8Array.from({ length: 64 }, (_, i) => i));
			h.value('malloc', [16], [ulongType]); // a neighbour, so that growing must move the block
			const moved = Number(h.value('realloc', [z, 4000], [voidPtr, ulongType]));
			assert.deepEqual([...h.memory.read(moved, 64)!], Array.from({ length: 64 }, (_, i) => i));
			const shrunk = Number(h.value('realloc', [moved, 10], [voidPtr, ulongType]));
			assert.equal(shrunk, moved, 'shrinking stays in place');
			assert.deepEqual([...h.memory.read(shrunk, 10)!], Array.from({ length: 10 }, (_, i) => i));
			assert.equal(h.value('realloc', [shrunk, 0], [voidPtr, ulongType]), 0, 'realloc(p, 0) frees and returns NULL');
			assert.deepEqual(h.host.allocator.audit(h.memory).problems, []);
		});

		it('returns NULL with ENOMEM when the heap limit is reached, and recovers after free', () => {
			const h = new Harness({ heapLimit: FlatLayout.heapBase + 0x10000 + 256 * 1024 });
			const blocks: number[] = [];
			for (;;) {
				const p = Number(h.value('malloc', [10000], [ulongType]));
				if (p === 0) break;
				blocks.push(p);
				assert.ok(blocks.length < 100);
			}
			assert.equal(h.errno(), 12);
			assert.ok(blocks.length >= 20);
			assert.equal(h.value('calloc', [2 ** 40, 2 ** 40], [ulongType, ulongType]), 0);
			for (const p of blocks) h.call('free', [p], [voidPtr]);
			const big = Number(h.value('malloc', [200 * 1024], [ulongType]));
			assert.notEqual(big, 0, 'freed blocks coalesce back into one region');
			assert.deepEqual(h.host.allocator.audit(h.memory).problems, []);
		});

		it('reports invalid and double frees like glibc: message on stderr, then SIGABRT', () => {
			const h = new Harness();
			const p = Number(h.value('malloc', [32], [ulongType]));
			assert.deepEqual(h.call('free', [p + 8], [voidPtr]), { kind: 'trap', message: 'free(): invalid pointer', signal: 6 });
			assert.deepEqual(h.call('free', [h.scratch], [voidPtr]), { kind: 'trap', message: 'free(): invalid pointer', signal: 6 });
			h.call('free', [p], [voidPtr]);
			assert.deepEqual(h.call('free', [p], [voidPtr]), { kind: 'trap', message: 'free(): double free detected in tcache 2', signal: 6 });
			assert.equal(h.err(), 'free(): invalid pointer\nfree(): invalid pointer\nfree(): double free detected in tcache 2\n');
			assert.deepEqual(h.call('realloc', [p + 16, 8], [voidPtr, ulongType]), { kind: 'trap', message: 'realloc(): invalid pointer', signal: 6 });
		});

		it('aligned_alloc and posix_memalign honour large alignments', () => {
			const h = new Harness();
			h.value('malloc', [40], [ulongType]);
			for (const alignment of [32, 64, 4096]) {
				const p = Number(h.value('aligned_alloc', [alignment, 100], [ulongType, ulongType]));
				assert.equal(p % alignment, 0);
			}
			const slot = h.alloc(8);
			assert.equal(h.value('posix_memalign', [slot, 4096, 10], [voidPtr, ulongType, ulongType]), 0);
			assert.equal(Number(h.memory.ld64u(slot)) % 4096, 0);
			assert.equal(h.value('posix_memalign', [slot, 24, 10], [voidPtr, ulongType, ulongType]), 22);
			assert.deepEqual(h.host.allocator.audit(h.memory).problems, []);
		});

		it('keeps its invariants under random workloads (property)', () => {
			fc.assert(
				fc.property(
					fc.array(fc.record({ op: fc.constantFrom('malloc', 'free', 'realloc', 'calloc', 'memalign'), slot: fc.nat(15), size: fc.oneof(fc.nat(64), fc.nat(3000)) }), { maxLength: 120 }),
					ops => {
						const h = new Harness({ heapLimit: FlatLayout.heapBase + 0x10000 + 64 * 1024 });
						const slots: { p: number; size: number; fill: number }[] = [];
						let fill = 1;
						for (const { op, slot, size } of ops) {
							const current = slots[slot];
							if (op === 'free' || (current && op !== 'realloc')) {
								if (current) {
									assert.deepEqual([...h.memory.read(current.p, current.size)!], new Array(current.size).fill(current.fill), 'contents survived');
									assert.equal(h.call('free', [current.p], [voidPtr]), undefined);
									delete slots[slot];
								}
								continue;
							}
							let p: number;
							if (op === 'realloc' && current) {
								p = Number(h.value('realloc', [current.p, size], [voidPtr, ulongType]));
								if (p === 0 && size > 0) continue;
								const kept = Math.min(size, current.size);
								if (size > 0) assert.deepEqual([...h.memory.read(p, kept)!], new Array(kept).fill(current.fill));
								if (size === 0) {
									delete slots[slot];
									continue;
								}
							} else if (op === 'memalign') {
								p = Number(h.value('aligned_alloc', [256, size], [ulongType, ulongType]));
								if (p !== 0) assert.equal(p % 256, 0);
							} else {
								p = Number(h.value(op === 'calloc' ? 'calloc' : 'malloc', op === 'calloc' ? [1, size] : [size], op === 'calloc' ? [ulongType, ulongType] : [ulongType]));
							}
							if (p === 0) continue;
							assert.equal(p % 16, 0);
							fill = (fill % 250) + 1;
							h.memory.fill(p, fill, size);
							slots[slot] = { p, size, fill };
							assert.deepEqual(h.host.allocator.audit(h.memory).problems, []);
						}
						assert.deepEqual(h.host.allocator.audit(h.memory).problems, []);
					},
				),
				{ numRuns: 60, seed: 1234 },
			);
		});
	});

	describe('stdio', () => {
		it('buffers stdout fully by default: write(1) overtakes printf until a flush', () => {
			const h = new Harness();
			printf(h, 'printf', [], 'a=%d\n', [5, intType]);
			const text = h.string('direct\n');
			assert.equal(h.value('write', [1, text, 7], [intType, charPtr, ulongType]), 7);
			assert.equal(h.out(), 'direct\n');
			h.value('fflush', [h.host.addresses.stdout], [voidPtr]);
			assert.equal(h.out(), 'direct\na=5\n');
		});

		it('flushes a full 4096-byte buffer and writes whole blocks directly, as glibc does', () => {
			const h = new Harness();
			printf(h, 'printf', [], '%s', [h.string('x'.repeat(4000)), charPtr]);
			assert.equal(h.stdout.length, 0);
			printf(h, 'printf', [], '%s', [h.string('y'.repeat(9000)), charPtr]);
			// 96 bytes filled the buffer (flushed: 4096), 8192 went directly, 712 stay buffered.
			assert.deepEqual(h.writes.map(w => w.length - 2), [4096, 8192]);
			h.host.flush();
			assert.equal(h.out(), 'x'.repeat(4000) + 'y'.repeat(9000));
		});

		it('line-buffers stdout when asked (a terminal) and never buffers stderr', () => {
			const h = new Harness({ stdoutBuffering: 'line' });
			printf(h, 'printf', [], 'partial');
			assert.equal(h.out(), '');
			printf(h, 'printf', [], ' line\nnext');
			assert.equal(h.out(), 'partial line\n');
			printf(h, 'fprintf', [[h.host.addresses.stderr, voidPtr]], 'err %d\n', [1, intType]);
			assert.equal(h.err(), 'err 1\n');
			assert.equal(h.value('setvbuf', [h.host.addresses.stdout, 0, 2, 0], [voidPtr, charPtr, intType, ulongType]), 0);
			assert.equal(h.out(), 'partial line\nnext', 'setvbuf flushes first');
			h.value('putchar', [0x21], [intType]);
			assert.equal(h.out(), 'partial line\nnext!');
		});

		it('printf family return values and snprintf truncation', () => {
			const h = new Harness();
			const buf = h.alloc(64);
			assert.equal(printf(h, 'snprintf', [[buf, charPtr], [8, ulongType]], '%s-%d', [h.string('abcdef'), charPtr], [123, intType]), 10);
			assert.equal(h.readString(buf), 'abcdef-');
			assert.equal(printf(h, 'snprintf', [[0, charPtr], [0, ulongType]], '%d', [-42, intType]), 3);
			assert.equal(printf(h, 'sprintf', [[buf, charPtr]], '%5.1f|%lu|%p', [2.25, doubleType], [2n ** 64n - 1n, ulongType], [0, voidPtr]), 32);
			assert.equal(h.readString(buf), '  2.2|18446744073709551615|(nil)');
			const strp = h.alloc(8);
			assert.equal(printf(h, 'asprintf', [[strp, pointerTo(charPtr)]], 'n=%d', [7, intType]), 3);
			assert.equal(h.readString(Number(h.memory.ld64u(strp))), 'n=7');
			assert.equal(printf(h, 'printf', [], 'bad %'), -1);
			assert.equal(h.errno(), 22);
			assert.equal(h.value('puts', [h.string('line')], [charPtr]), 5);
			assert.equal(h.value('fputs', [h.string('x'), h.host.addresses.stdout], [charPtr, voidPtr]), 1);
			assert.equal(h.value('fputc', [0x141, h.host.addresses.stdout], [intType, voidPtr]), 0x41);
		});

		it('vprintf reads a va_list of 8-byte slots (ints extended, doubles as f64, pointers)', () => {
			const h = new Harness();
			const slots = h.alloc(48);
			h.memory.st64(slots, -5);
			h.memory.stf64(slots + 8, 1.5);
			h.memory.st64(slots + 16, h.string('str'));
			h.memory.st64(slots + 24, 2n ** 63n);
			h.memory.st64(slots + 32, 0x41);
			const buf = h.alloc(64);
			assert.equal(h.value('vsnprintf', [buf, 64, h.string('%d %.2f %s %lu %c'), slots], [charPtr, ulongType, charPtr, charPtr]), 33);
			assert.equal(h.readString(buf), '-5 1.50 str 9223372036854775808 A');
		});

		it('takes integer and floating arguments from separate sequences, as x86-64 registers do', () => {
			const h = new Harness();
			const buf = h.alloc(64);
			// printf("%d %f", 1.5, 2) prints "2 1.500000" with glibc on x86-64.
			printf(h, 'sprintf', [[buf, charPtr]], '%d %f', [1.5, doubleType], [2, intType]);
			assert.equal(h.readString(buf), '2 1.500000');
		});

		it('reads stdin through getchar, fgets and read', () => {
			const h = new Harness({ stdin: 'first line\nsecond\n' });
			assert.equal(h.value('getchar', []), 0x66);
			const buf = h.alloc(32);
			assert.equal(h.value('fgets', [buf, 32, h.host.addresses.stdin], [charPtr, intType, voidPtr]), buf);
			assert.equal(h.readString(buf), 'irst line\n');
			assert.equal(h.value('ungetc', [0x53, h.host.addresses.stdin], [intType, voidPtr]), 0x53);
			assert.equal(h.value('getc', [h.host.addresses.stdin], [voidPtr]), 0x53);
			assert.equal(h.value('read', [0, buf, 100], [intType, charPtr, ulongType]), 7);
			assert.equal(h.value('getchar', []), -1);
			assert.equal(h.value('feof', [h.host.addresses.stdin], [voidPtr]), 1);
		});

		it('rejects pointers that are not streams without crashing', () => {
			const h = new Harness();
			assert.equal(printf(h, 'fprintf', [[h.scratch, voidPtr]], 'x'), -1);
			assert.equal(h.errno(), 9);
			assert.deepEqual(printf(h, 'fprintf', [[0x50, voidPtr]], 'x'), { kind: 'fault' });
			h.memory.fault = null;
		});

		it('perror and strerror use glibc texts', () => {
			const h = new Harness();
			h.memory.st32(h.host.addresses.errno, 2);
			h.call('perror', [h.string('open')], [charPtr]);
			assert.equal(h.err(), 'open: No such file or directory\n');
			const s1 = Number(h.value('strerror', [12], [intType]));
			const s2 = Number(h.value('strerror', [9999], [intType]));
			assert.equal(h.readString(s1), 'Cannot allocate memory');
			assert.equal(h.readString(s2), 'Unknown error 9999');
		});
	});

	describe('exit, abort and assert', () => {
		it('exit runs atexit handlers newest first through calls, flushes, then exits with status & 0xff', () => {
			const h = new Harness();
			const order: string[] = [];
			h.functions.set(0x400010, () => {
				order.push('first');
				printf(h, 'printf', [], 'from handler\n');
				return undefined;
			});
			h.functions.set(0x400020, () => (order.push('second'), undefined));
			h.value('atexit', [0x400010], [voidPtr]);
			h.value('atexit', [0x400020], [voidPtr]);
			printf(h, 'printf', [], 'buffered\n');
			assert.deepEqual(h.call('exit', [300], [intType]), { kind: 'exit', code: 44 });
			assert.deepEqual(order, ['second', 'first']);
			assert.equal(h.out(), 'buffered\nfrom handler\n');
		});

		it('_exit and abort lose buffered output, as glibc does', () => {
			const h = new Harness();
			printf(h, 'printf', [], 'lost\n');
			assert.deepEqual(h.call('_exit', [3], [intType]), { kind: 'exit', code: 3 });
			assert.deepEqual(h.call('abort', []), { kind: 'trap', message: 'Aborted', signal: 6 });
			assert.equal(h.out(), '');
		});

		it('__assert_fail prints glibc\'s message and aborts', () => {
			const h = new Harness();
			const r = h.call('__assert_fail', [h.string('x > 0'), h.string('t.c'), 12, h.string('main')], [charPtr, charPtr, intType, charPtr]);
			assert.deepEqual(r, { kind: 'trap', message: "prog: t.c:12: main: Assertion `x > 0' failed.", signal: 6 });
			assert.equal(h.err(), "prog: t.c:12: main: Assertion `x > 0' failed.\n");
		});
	});

	describe('strings', () => {
		it('compares like glibc on x86-64: the difference of the first differing bytes', () => {
			const h = new Harness();
			const cmp = (name: string, a: string, b: string, n?: number): Value => h.value(name, n === undefined ? [h.string(a), h.string(b)] : [h.string(a), h.string(b), n]);
			assert.equal(cmp('strcmp', 'apple', 'apricot'), -2);
			assert.equal(cmp('strcmp', '', 'a'), -97);
			assert.equal(cmp('strcmp', 'a\xe9', 'a'), 0xe9);
			assert.equal(cmp('strncmp', 'abcX', 'abcY', 3), 0);
			assert.equal(cmp('strcasecmp', 'apple', 'Apple\xe9'), -233);
			assert.equal(cmp('memcmp', 'ab', 'ac', 2), -1);
		});

		it('copies, searches and tokenizes', () => {
			const h = new Harness();
			const buf = h.alloc(32);
			h.memory.fill(buf, 0x78, 32);
			h.value('strncpy', [buf, h.string('ab'), 6]);
			assert.deepEqual([...h.memory.read(buf, 7)!], [0x61, 0x62, 0, 0, 0, 0, 0x78]);
			h.value('strcat', [buf, h.string('cd')]);
			assert.equal(h.readString(buf), 'abcd');
			const hay = h.string('one two two');
			assert.equal(h.value('strstr', [hay, h.string('two')]), hay + 4);
			assert.equal(h.value('strrchr', [hay, 0x74], [charPtr, intType]), hay + 8);
			assert.equal(h.value('strchr', [hay, 0], [charPtr, intType]), hay + 11);
			assert.equal(h.value('memchr', [hay, 0x7a, 11], [charPtr, intType, ulongType]), 0);
			const text = h.string(',a,,b;c');
			const delim = h.string(',;');
			const tokens: string[] = [];
			for (let t = Number(h.value('strtok', [text, delim])); t !== 0; t = Number(h.value('strtok', [0, delim]))) tokens.push(h.readString(t));
			assert.deepEqual(tokens, ['a', 'b', 'c']);
			const dup = Number(h.value('strndup', [h.string('duplicate'), 3]));
			assert.equal(h.readString(dup), 'dup');
		});

		it('a faulting source leaves the destination untouched and can be retried', () => {
			const h = new Harness();
			const buf = h.string('keep');
			assert.deepEqual(h.call('strcpy', [buf, 0x50]), { kind: 'fault' });
			assert.equal(h.memory.fault?.address, 0x50);
			h.memory.fault = null;
			assert.equal(h.readString(buf), 'keep');
			assert.deepEqual(h.call('strlen', [0xdead0000]), { kind: 'fault' });
			h.memory.fault = null;
		});
	});

	describe('conversions', () => {
		const parse = (s: string, base: number, signed = true) => {
			const r = parseInteger(new TextEncoder().encode(s), base, signed);
			return [r.value, r.end, r.errno ?? 0];
		};

		it('parses integers like glibc strtol/strtoul', () => {
			assert.deepEqual(parse('  -42x', 10), [-42n, 5, 0]);
			assert.deepEqual(parse('0x1fg', 0), [31n, 4, 0]);
			assert.deepEqual(parse('0x', 0), [0n, 1, 0]);
			assert.deepEqual(parse('0755', 0), [493n, 4, 0]);
			assert.deepEqual(parse('zZ', 36), [1295n, 2, 0]);
			assert.deepEqual(parse('', 10), [0n, 0, 0]);
			assert.deepEqual(parse('9223372036854775808', 10), [9223372036854775807n, 19, 34]);
			assert.deepEqual(parse('-9223372036854775809', 10), [-9223372036854775808n, 20, 34]);
			assert.deepEqual(parse('-1', 10, false), [18446744073709551615n, 2, 0]);
			assert.deepEqual(parse('18446744073709551616', 10, false), [18446744073709551615n, 20, 34]);
			assert.deepEqual(parse('1', 37), [0n, 0, 22]);
		});

		it('parses doubles with correct rounding, hex floats, inf and nan', () => {
			const d = (s: string) => {
				const r = parseDouble(new TextEncoder().encode(s));
				return [r.value, r.end, r.errno ?? 0];
			};
			assert.deepEqual(d('  3.25e2xyz'), [325, 8, 0]);
			assert.deepEqual(d('0x1.8p1'), [3, 7, 0]);
			assert.deepEqual(d('0x1p-1074'), [5e-324, 9, 34]);
			assert.deepEqual(d('0x1.fffffffffffff8p1023'), [Infinity, 23, 34]);
			assert.deepEqual(d('-INFINITY'), [-Infinity, 9, 0]);
			assert.ok(Number.isNaN(d('nan(123)')[0] as number));
			assert.deepEqual(d('1e-400'), [0, 6, 34]);
			assert.deepEqual(d('.e5'), [0, 0, 0]);
			assert.deepEqual(d('0xz'), [0, 1, 0]);
		});

		it('atoi truncates strtol to int; strtol stores the end pointer', () => {
			const h = new Harness();
			assert.equal(h.value('atoi', [h.string('4294967297')]), 1);
			const end = h.alloc(8);
			const s = h.string('  17 rest');
			assert.equal(h.value('strtol', [s, end, 10], [charPtr, voidPtr, intType]), 17);
			assert.equal(Number(h.memory.ld64u(end)), s + 4);
			assert.equal(h.value('strtoull', [h.string('0xffffffffffffffff'), 0, 16], [charPtr, voidPtr, intType]), 18446744073709551615n);
		});

		it('ldexp and frexp are exact, including subnormals', () => {
			assert.deepEqual(frexp(48), { mantissa: 0.75, exponent: 6 });
			assert.deepEqual(frexp(5e-324), { mantissa: 0.5, exponent: -1073 });
			assert.equal(ldexp(0.75, 6), 48);
			assert.equal(ldexp(1, -1074), 5e-324);
			assert.equal(ldexp(0.5, -1074), 0, 'ties to even');
			assert.equal(ldexp(0.75, -1074), 5e-324);
			assert.equal(ldexp(1, 1024), Infinity);
			assert.equal(ldexp(0.5, 1024), 2 ** 1023);
		});

		it('ctype classes are glibc bits, through the functions and the __ctype_b_loc table', () => {
			const h = new Harness();
			assert.equal(h.value('isalpha', [0x61], [intType]), 1024);
			assert.equal(h.value('isdigit', [0x35], [intType]), 2048);
			assert.equal(h.value('isspace', [-1], [intType]), 0);
			assert.equal(h.value('toupper', [0x71], [intType]), 0x51);
			const tableAddress = Number(h.memory.ld64u(Number(h.value('__ctype_b_loc', []))));
			assert.equal(h.memory.ld16u(tableAddress + 2 * 0x41), 0x100 | 0x400 | 0x8 | 0x1000 | 0x4000 | 0x8000);
			assert.equal(h.memory.ld16u(tableAddress - 2), 0, 'EOF entry');
		});
	});

	it('no builtin throws, whatever the arguments (property)', () => {
		const h = new Harness({ stdin: 'input' });
		const names = [...h.host.builtins.keys()].sort();
		const interesting = [0, 1, -1, 0x50, h.scratch, h.scratch + 3, h.host.addresses.stdout, FlatLayout.heapBase + 0x10010, 2 ** 47, 2 ** 48 - 1];
		const value = fc.oneof(
			fc.constantFrom(...interesting),
			fc.integer(),
			fc.double(),
			fc.bigInt({ min: -(2n ** 63n), max: 2n ** 64n - 1n }),
		);
		const type = fc.constantFrom<CType>(intType, longType, ulongType, doubleType, charPtr, voidPtr);
		// Comparison functions and atexit handlers called through `call` actions return anything.
		for (const address of interesting) h.functions.set(address, () => 1);
		h.memory.write(h.scratch, new TextEncoder().encode('%s%d%n%f%p%*.*e\0'));
		fc.assert(
			fc.property(fc.constantFrom(...names), fc.array(fc.tuple(value, type), { maxLength: 6 }), (name, args) => {
				const builtin = h.host.builtins.get(name)!;
				let r = builtin({ mem: h.memory, argTypes: args.map(a => a[1]), threadId: 0 }, args.map(a => a[0]));
				for (let steps = 0; typeof r === 'object' && r.kind === 'call' && steps < 10000; steps++) {
					r = r.then ? r.then(1) : undefined;
				}
				h.memory.fault = null;
			}),
			{ numRuns: Number(process.env.LIBC_FUZZ_RUNS ?? 3000), seed: Number(process.env.LIBC_FUZZ_SEED ?? 99) },
		);
	});

	describe('qsort and bsearch through the program\'s comparison function', () => {
		it('sorts stably with glibc\'s merge order, calling the comparator via call actions', () => {
			const h = new Harness();
			const values = [5, 3, 9, 3, 1, 7, 5, 0];
			const base = h.alloc(values.length * 8);
			// Elements: (key, original index) pairs of two int32s; compare keys only.
			values.forEach((v, i) => {
				h.memory.st32(base + 8 * i, v);
				h.memory.st32(base + 8 * i + 4, i);
			});
			let calls = 0;
			h.functions.set(0x400100, ([a, b]) => {
				calls++;
				return h.memory.ld32s(Number(a)) - h.memory.ld32s(Number(b));
			});
			assert.equal(h.call('qsort', [base, values.length, 8, 0x400100], [voidPtr, ulongType, ulongType, voidPtr]), undefined);
			const result = values.map((_, i) => [h.memory.ld32s(base + 8 * i), h.memory.ld32s(base + 8 * i + 4)]);
			assert.deepEqual(result, [[0, 7], [1, 4], [3, 1], [3, 3], [5, 0], [5, 6], [7, 5], [9, 2]]);
			assert.equal(calls, countComparisons(values));
			const key = h.alloc(4);
			h.memory.st32(key, 7);
			assert.equal(h.value('bsearch', [key, base, values.length, 8, 0x400100], [voidPtr, voidPtr, ulongType, ulongType, voidPtr]), base + 8 * 6);
			h.memory.st32(key, 4);
			assert.equal(h.value('bsearch', [key, base, values.length, 8, 0x400100], [voidPtr, voidPtr, ulongType, ulongType, voidPtr]), 0);
		});

		it('makes the same number of comparisons as glibc\'s qsort', function () {
			const n = 300;
			const keys = Array.from({ length: n }, (_, i) => (i * 7919) % 1000);
			const expected = gccOutput(
				`#include <stdio.h>\n#include <stdlib.h>\nstatic int c;static int cmp(const void*a,const void*b){c++;return *(int*)a-*(int*)b;}` +
					`int main(void){int k[]={${keys.join(',')}};qsort(k,${n},sizeof k[0],cmp);printf("%d\\n",c);return 0;}`,
			);
			if (expected === undefined) this.skip();
			assert.equal(`${countComparisons(keys)}\n`, expected);
		});
	});
});
