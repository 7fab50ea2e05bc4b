// Tests of the KC C library's allocator (kc/lib/malloc.c) running as user code on the test-only
// fake machine (fakeMachine.ts): random malloc/calloc/realloc/free/posix_memalign sequences keep
// blocks disjoint, aligned and their contents intact; where memory comes from follows glibc (brk
// with M_TOP_PAD, mmap at M_MMAP_THRESHOLD and munmap on free, the dynamic threshold, trimming with
// a negative sbrk, fenceposts after a foreign sbrk, mmap when brk fails); misuse aborts with
// glibc's messages.

import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import type { BuiltinContext, Value } from '../../../src/interp/contracts';
import { linkTestProgram, runLinked, runSource, type FakeMachine, type LinkedProgram, type Outcome, type TestBuiltins } from './fakeMachine';

/** One allocator operation of a random sequence. */
interface Op {
	readonly kind: 'malloc' | 'calloc' | 'realloc' | 'free' | 'memalign';
	readonly slot: number;
	readonly size: number;
	/** Alignment for memalign (a power of two from 8 to 8192). */
	readonly align: number;
}

const KINDS = ['malloc', 'calloc', 'realloc', 'free', 'memalign'] as const;
const SLOTS = 12;

/** The driver: asks the test for each operation, performs it, reports the block back. */
const DRIVER = `
#include <stdlib.h>
#include <malloc.h>

long __test_next(long *op);
void __test_after(long kind, long slot, void *block, long usable, long result);

static void *slots[${SLOTS}];

int main(void)
{
	long op[4];

	while (__test_next(op)) {
		int slot = (int)op[1];
		size_t size = (size_t)op[2];
		long result = 0;
		switch (op[0]) {
		case 0: slots[slot] = malloc(size); break;
		case 1: slots[slot] = calloc(size, 1); break;
		case 2: slots[slot] = realloc(slots[slot], size); break;
		case 3: free(slots[slot]); slots[slot] = NULL; break;
		case 4: free(slots[slot]); slots[slot] = NULL; result = posix_memalign(&slots[slot], (size_t)op[3], size); break;
		}
		__test_after(op[0], slot, slots[slot], (long)malloc_usable_size(slots[slot]), result);
	}
	for (int i = 0; i < ${SLOTS}; i++)
		free(slots[i]);
	return 0;
}
`;

interface Block {
	readonly address: number;
	readonly size: number;
	readonly seed: number;
}

/** The model the TypeScript side keeps while the driver runs, and its checks. */
class AllocatorModel {
	readonly blocks = new Map<number, Block>();
	private next = 0;
	private serial = 0;
	failure: string | undefined;

	constructor(private readonly ops: readonly Op[]) {}

	nextOp(ctx: BuiltinContext, args: readonly Value[]): Value {
		if (this.failure !== undefined || this.next >= this.ops.length) return 0;
		const op = this.ops[this.next++];
		const at = Number(args[0]);
		ctx.mem.st64(at, KINDS.indexOf(op.kind));
		ctx.mem.st64(at + 8, op.slot);
		ctx.mem.st64(at + 16, op.size);
		ctx.mem.st64(at + 24, op.align);
		return 1;
	}

	after(ctx: BuiltinContext, args: readonly Value[]): undefined {
		const [kindIndex, slot, address, usable, result] = args.map(Number);
		const op = this.ops[this.next - 1];
		const fail = (why: string): undefined => {
			this.failure ??= `op ${this.next - 1} (${JSON.stringify(op)}): ${why}`;
			return undefined;
		};
		const old = this.blocks.get(slot);
		this.blocks.delete(slot);
		const kind = KINDS[kindIndex];
		// realloc(p, 0) frees p (glibc); realloc(NULL, 0) is malloc(0), a unique pointer.
		if (kind === 'free' || (kind === 'realloc' && op.size === 0 && old !== undefined)) {
			if (address !== 0) return fail('the slot should be empty');
		} else {
			if (address === 0) return fail('allocation failed');
			if (kind === 'memalign' && result !== 0) return fail(`posix_memalign returned ${result}`);
			const alignment = kind === 'memalign' ? Math.max(op.align, 16) : 16;
			if (address % alignment !== 0) return fail(`0x${address.toString(16)} is not ${alignment}-aligned`);
			if (usable < op.size) return fail(`malloc_usable_size ${usable} < ${op.size}`);
			const bytes = ctx.mem.read(address, op.size);
			if (bytes === null) return fail('the block is not mapped');
			if (kind === 'calloc' && bytes.some(b => b !== 0)) return fail('calloc memory is not zero');
			if (kind === 'realloc' && old !== undefined) {
				const keep = Math.min(old.size, op.size);
				for (let i = 0; i < keep; i++) if (bytes[i] !== pattern(old.seed, i)) return fail(`realloc lost byte ${i}`);
			}
			const block = { address, size: op.size, seed: ++this.serial };
			ctx.mem.write(address, Uint8Array.from({ length: op.size }, (_, i) => pattern(block.seed, i)));
			this.blocks.set(slot, block);
		}
		// Every live block is intact and no two overlap.
		const live = [...this.blocks.values()].sort((a, b) => a.address - b.address);
		for (let i = 0; i < live.length; i++) {
			const b = live[i];
			if (i > 0 && live[i - 1].address + Math.max(live[i - 1].size, 1) > b.address) return fail('blocks overlap');
			const bytes = ctx.mem.read(b.address, b.size);
			if (bytes === null || bytes.some((v, k) => v !== pattern(b.seed, k))) return fail(`block at 0x${b.address.toString(16)} was corrupted`);
		}
		return undefined;
	}
}

function pattern(seed: number, i: number): number {
	return (seed * 31 + i * 7 + (i >> 8)) & 0xff;
}

let driver: LinkedProgram | undefined;
let model: AllocatorModel | undefined;

function runOps(ops: readonly Op[]): { model: AllocatorModel; outcome: Outcome } {
	const builtins: TestBuiltins = new Map<string, (m: FakeMachine, ctx: BuiltinContext, args: readonly Value[]) => Value | undefined>([
		['__test_next', (_m, ctx, args) => model!.nextOp(ctx, args)],
		['__test_after', (_m, ctx, args) => model!.after(ctx, args)],
	]);
	driver ??= linkTestProgram(DRIVER, builtins, 'malloc_driver');
	model = new AllocatorModel(ops);
	const outcome = runLinked(driver, { quantum: 100_000 });
	return { model, outcome };
}

const sizeArbitrary = fc.oneof(
	{ weight: 6, arbitrary: fc.integer({ min: 0, max: 200 }) },
	{ weight: 3, arbitrary: fc.integer({ min: 200, max: 6000 }) },
	{ weight: 1, arbitrary: fc.integer({ min: 100_000, max: 300_000 }) },
);

const opArbitrary: fc.Arbitrary<Op> = fc.record({
	kind: fc.constantFrom(...KINDS),
	slot: fc.integer({ min: 0, max: SLOTS - 1 }),
	size: sizeArbitrary,
	align: fc.constantFrom(8, 16, 32, 64, 256, 4096, 8192),
});

function mmaps(outcome: Outcome): number[] {
	return outcome.syscalls.filter(s => s.name === 'mmap').map(s => Number(s.args[1]));
}

describe('KC libc malloc (on the fake machine)', function () {
	this.timeout(60000);

	it('keeps random malloc/calloc/realloc/free/posix_memalign blocks disjoint, aligned and intact', () => {
		fc.assert(
			fc.property(fc.array(opArbitrary, { minLength: 1, maxLength: 80 }), ops => {
				const { model, outcome } = runOps(ops);
				assert.equal(model.failure, undefined);
				assert.equal(outcome.status, 0, outcome.stderr);
			}),
			{ numRuns: 40 },
		);
	});

	it('grows the heap with brk by the request plus M_TOP_PAD, rounded to pages, and reuses freed chunks', () => {
		const out = runSource(`
			#include <stdio.h>
			#include <stdlib.h>
			#include <unistd.h>
			int main(void)
			{
				char *start = sbrk(0);
				char *a = malloc(100);
				char *b = malloc(100);
				char *end = sbrk(0);
				free(a);
				char *c = malloc(90);
				printf("%ld %ld %d %d\\n", (long)(end - start), (long)(b - a), a == c, (int)((unsigned long)a % 16));
				return 0;
			}`);
		// 112-byte chunk + 128 KiB + MINSIZE rounded up to pages: 0x21000, glibc's first heap.
		assert.equal(out.stdout, '135168 112 1 0\n');
	});

	it('serves M_MMAP_THRESHOLD-sized requests with their own mapping, unmapped by free, and raises the threshold', () => {
		const out = runSource(`
			#include <stdio.h>
			#include <stdlib.h>
			#include <string.h>
			#include <unistd.h>
			int main(void)
			{
				char *heap = sbrk(0);
				char *big = malloc(200000);
				memset(big, 7, 200000);
				int mapped = big > heap + (1L << 32);
				free(big);
				char *again = malloc(200000);
				int heap_now = again < heap + (1L << 32);
				char *small_big = malloc(130000);
				printf("%d %d %d\\n", mapped, heap_now, small_big < heap + (1L << 32));
				return 0;
			}`);
		// Freeing a 200000-byte mapped chunk raised the threshold above it: the next ones come from the heap.
		assert.equal(out.stdout, '1 1 1\n');
		// The chunk (200016 bytes) plus its size field, rounded to pages.
		assert.deepEqual(mmaps(out), [200704]);
		assert.equal(out.syscalls.filter(s => s.name === 'munmap').length, 1);
	});

	it('trims the top of the heap with a negative sbrk after a large free', () => {
		const out = runSource(`
			#include <stdio.h>
			#include <stdlib.h>
			#include <unistd.h>
			int main(void)
			{
				char *start = sbrk(0);
				char *first = malloc(120000);
				char *second = malloc(120000);
				char *third = malloc(120000);
				long grown = (char *)sbrk(0) - start;
				free(third);
				long trimmed = (char *)sbrk(0) - start;
				printf("%ld %ld\\n", grown, trimmed);
				free(first);
				free(second);
				return 0;
			}`);
		const brks = out.syscalls.filter(s => s.name === 'brk').map(s => Number(s.args[0]));
		const [grown, trimmed] = out.stdout.trim().split(' ').map(Number);
		// The first heap holds two 120016-byte chunks (120016 + 128 KiB + 32 rounded: 253952); the third
		// grows it by what is missing plus the pad (237568); freeing it leaves a 251488-byte top, of
		// which all whole pages above 128 KiB + MINSIZE go back (118784).
		assert.equal(brks.length, 4, `brk calls: ${brks}`);
		assert.equal(grown, 253952 + 237568);
		assert.equal(trimmed, grown - 118784);
	});

	it('closes the old top with fenceposts when the program moved the break itself, and keeps working', () => {
		const out = runSource(`
			#include <stdio.h>
			#include <stdlib.h>
			#include <string.h>
			#include <unistd.h>
			int main(void)
			{
				char *a = malloc(1000);
				sbrk(4096 * 3);              /* the program takes pages after the heap */
				char *mine = (char *)sbrk(0) - 4096;
				memset(mine, 1, 100);
				char *b = malloc(120000);    /* fits in the top chunk */
				char *c = malloc(120000);    /* does not: the heap grows past the program's pages */
				memset(b, 2, 120000);
				memset(c, 3, 120000);
				free(a);
				free(b);
				free(c);
				char *d = malloc(500);
				printf("%d %d\\n", d != NULL, mine[99]);
				return 0;
			}`);
		assert.equal(out.status, 0, out.stderr);
		assert.equal(out.stdout, '1 1\n');
	});

	it('continues the heap in a mapping when brk fails, and returns NULL with ENOMEM when nothing is left', () => {
		const out = runSource(`
			#include <errno.h>
			#include <stdio.h>
			#include <stdlib.h>
			#include <unistd.h>
			int main(void)
			{
				char *p = malloc(1000);
				char *q = malloc(1L << 45);
				int e = errno;
				printf("%d %d %d\\n", p != NULL, q == NULL, e == ENOMEM);
				return 0;
			}`, { brkLimit: 0 });
		assert.equal(out.stdout, '1 1 1\n');
		assert.ok(mmaps(out).includes(1024 * 1024), `mmaps: ${mmaps(out)}`);
	});

	it('aligns memalign/aligned_alloc/valloc blocks and keeps realloc of a mapped block mapped (mremap)', () => {
		const out = runSource(`
			#include <stdio.h>
			#include <stdlib.h>
			#include <string.h>
			#include <malloc.h>
			int main(void)
			{
				char *a = memalign(4096, 100);
				char *b = aligned_alloc(64, 64);
				char *c = valloc(10);
				char *m = malloc(300000);
				memset(m, 9, 300000);
				char *r = realloc(m, 600000);
				printf("%d %d %d %d %d\\n", (int)((unsigned long)a % 4096), (int)((unsigned long)b % 64), (int)((unsigned long)c % 4096), r[299999], malloc_usable_size(r) >= 600000);
				void *p;
				printf("%d %d\\n", posix_memalign(&p, 24, 10) == 22, posix_memalign(&p, 0, 10) == 22);
				return 0;
			}`);
		assert.equal(out.stdout, '0 0 0 9 1\n1 1\n');
		assert.equal(out.syscalls.filter(s => s.name === 'mremap').length, 1);
	});

	it('aborts with glibc messages on a double free and on freeing a pointer it never returned', () => {
		const twice = runSource(`
			#include <stdlib.h>
			int main(void) { char *p = malloc(10); char *q = malloc(10); free(p); free(p); return q == 0; }`);
		assert.equal(twice.status, 134);
		assert.equal(twice.stderr, 'free(): double free detected in tcache 2\n');
		const large = runSource(`
			#include <stdlib.h>
			int main(void) { char *p = malloc(5000); char *q = malloc(10); free(p); free(p); return q == 0; }`);
		assert.equal(large.stderr, 'double free or corruption (!prev)\n');
		const wild = runSource(`
			#include <stdlib.h>
			int main(void) { char *p = malloc(64); free(p + 8); return 0; }`);
		assert.equal(wild.status, 134);
		assert.match(wild.stderr, /^free\(\): invalid (pointer|size)\n$/);
	});

	it('fails calloc and reallocarray on overflow with ENOMEM, and malloc(0) gives a unique pointer', () => {
		const out = runSource(`
			#include <errno.h>
			#include <stdio.h>
			#include <stdlib.h>
			int main(void)
			{
				void *c = calloc((size_t)1 << 62, 8);
				int e1 = errno;
				errno = 0;
				void *r = reallocarray(NULL, (size_t)1 << 62, 8);
				int e2 = errno;
				void *z1 = malloc(0), *z2 = malloc(0);
				printf("%d %d %d %d %d\\n", c == NULL, e1 == ENOMEM, r == NULL, e2 == ENOMEM, z1 != NULL && z2 != NULL && z1 != z2);
				return 0;
			}`);
		assert.equal(out.stdout, '1 1 1 1 1\n');
	});
});
