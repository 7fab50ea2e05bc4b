// Micro benchmarks of the CPU's memory (FlatMemory) and 64-bit value helpers (layer: bench).
// Run with `npx tsx bench/memory.bench.ts`; prints ns per operation, with native Int32Array loops
// over the same 64 KiB as the baseline. `runMemoryBench()` returns the rows for a bench driver.

import { FlatLayout } from '../src/interp/contracts';
import { FlatMemory } from '../src/interp/flatMemory';
import * as values from '../src/interp/values';
import { report } from './harness';

// Bound once, as generated code would: a named import compiled to CommonJS reads a getter per call.
const addI64 = values.addI64;
const addU64 = values.addU64;
const mulI64 = values.mulI64;
const toI32 = values.toI32;

/** One measured operation: best time over several runs, divided by the operations per run. */
export interface MemoryBenchRow {
	readonly name: string;
	readonly nsPerOp: number;
	/** The native equivalent's row name, when there is one. */
	readonly baseline?: string;
}

const ITERATIONS = 10_000_000;
const ARRAY_BYTES = 64 * 1024;
const ARRAY_WORDS = ARRAY_BYTES / 4;
const RUNS = 5;

/** Keeps results alive so the loops cannot be optimized away. */
let sink = 0;

/** Best nanoseconds per operation of `body` (which performs `ops` operations) over RUNS runs, after a warm-up. */
function measure(body: () => number, ops: number): number {
	sink ^= body();
	let best = Infinity;
	for (let run = 0; run < RUNS; run++) {
		const start = process.hrtime.bigint();
		sink ^= body();
		const elapsed = Number(process.hrtime.bigint() - start);
		best = Math.min(best, elapsed);
	}
	return best / ops;
}

function nativeLoad(words: Int32Array): number {
	let sum = 0;
	for (let i = 0; i < ITERATIONS; i++) sum = (sum + words[i & (ARRAY_WORDS - 1)]) | 0;
	return sum;
}

function nativeStore(words: Int32Array): number {
	for (let i = 0; i < ITERATIONS; i++) words[i & (ARRAY_WORDS - 1)] = i;
	return words[7];
}

function nativeLoadStore(words: Int32Array): number {
	for (let i = 0; i < ITERATIONS; i++) {
		const j = i & (ARRAY_WORDS - 1);
		words[j] = (words[j] + 1) | 0;
	}
	return words[7];
}

function memoryLoad(memory: FlatMemory, base: number): number {
	let sum = 0;
	for (let i = 0; i < ITERATIONS; i++) sum = (sum + memory.ld32s(base + ((i & (ARRAY_WORDS - 1)) << 2))) | 0;
	return sum;
}

function memoryStore(memory: FlatMemory, base: number): number {
	for (let i = 0; i < ITERATIONS; i++) memory.st32(base + ((i & (ARRAY_WORDS - 1)) << 2), i);
	return memory.ld32s(base + 28);
}

function memoryLoadStore(memory: FlatMemory, base: number): number {
	for (let i = 0; i < ITERATIONS; i++) {
		const addr = base + ((i & (ARRAY_WORDS - 1)) << 2);
		memory.st32(addr, (memory.ld32s(addr) + 1) | 0);
	}
	return memory.ld32s(base + 28);
}

function memoryLoadStore64(memory: FlatMemory, base: number): number {
	for (let i = 0; i < ITERATIONS; i++) {
		const addr = base + ((i & (ARRAY_BYTES / 8 - 1)) << 3);
		memory.st64(addr, addI64(memory.ld64s(addr), 1));
	}
	return toI32(memory.ld64s(base + 56));
}

/** Loads alternating between three pages far apart (stack, heap, globals): each misses the last-page cache and hits the TLB. */
function memoryLoadThreePages(memory: FlatMemory, addresses: readonly number[]): number {
	const [a, b, c] = addresses;
	let sum = 0;
	for (let i = 0; i < ITERATIONS; i += 3) {
		const off = (i & 1023) << 2;
		sum = (sum + memory.ld32s(a + off) + memory.ld32s(b + off) + memory.ld32s(c + off)) | 0;
	}
	return sum;
}

/** Loads from a pseudo-random page of 8 MiB each time: nearly every access walks the page tree. */
function memoryLoadRandomPages(memory: FlatMemory, base: number): number {
	let sum = 0;
	let x = 12345;
	for (let i = 0; i < ITERATIONS; i++) {
		x = (Math.imul(x, 1103515245) + 12345) | 0;
		sum = (sum + memory.ld32s(base + (((x >>> 8) & 2047) << 12))) | 0;
	}
	return sum;
}

function valuesAddMulNumbers(): number {
	let a: number | bigint = 1;
	for (let i = 0; i < ITERATIONS; i++) a = addI64(a, mulI64(i, 3));
	return toI32(a);
}

function valuesAddU64Big(): number {
	let a: number | bigint = 2n ** 63n;
	for (let i = 0; i < ITERATIONS / 10; i++) a = addU64(a, i);
	return toI32(a);
}

/** Snapshot, then one store to each of 64 pages (each copies its page and the tree path). */
function snapshotAndTouch(memory: FlatMemory, base: number, rounds: number): number {
	for (let r = 0; r < rounds; r++) {
		memory.snapshot();
		for (let p = 0; p < 64; p++) memory.st32(base + p * 4096 + 4 * (r & 1023), r);
	}
	return memory.ld32s(base);
}

function snapshotsOnly(memory: FlatMemory, rounds: number): number {
	let n = 0;
	for (let r = 0; r < rounds; r++) if (memory.snapshot() !== null) n++;
	return n;
}

/** Runs every benchmark and returns the rows. */
export function runMemoryBench(): MemoryBenchRow[] {
	const rows: MemoryBenchRow[] = [];
	const words = new Int32Array(ARRAY_WORDS);
	rows.push({ name: 'native Int32Array load', nsPerOp: measure(() => nativeLoad(words), ITERATIONS) });
	rows.push({ name: 'native Int32Array store', nsPerOp: measure(() => nativeStore(words), ITERATIONS) });
	rows.push({ name: 'native Int32Array load+store (per pair)', nsPerOp: measure(() => nativeLoadStore(words), ITERATIONS) });

	const memory = new FlatMemory();
	const heap = FlatLayout.heapBase;
	const stack = FlatLayout.stackTop - FlatLayout.stackSize;
	memory.map(heap, 16 * 1024 * 1024, { read: true, write: true });
	memory.map(stack, FlatLayout.stackSize, { read: true, write: true });
	memory.map(FlatLayout.dataBase, 1024 * 1024, { read: true, write: true });
	memory.fill(heap, 1, ARRAY_BYTES);
	memory.fill(stack, 1, ARRAY_BYTES);
	for (const [where, base] of [['heap', heap], ['stack', stack]] as const) {
		rows.push({ name: `FlatMemory ld32s (${where})`, nsPerOp: measure(() => memoryLoad(memory, base), ITERATIONS), baseline: 'native Int32Array load' });
		rows.push({ name: `FlatMemory st32 (${where})`, nsPerOp: measure(() => memoryStore(memory, base), ITERATIONS), baseline: 'native Int32Array store' });
		rows.push({
			name: `FlatMemory ld32s+st32 (${where}, per pair)`,
			nsPerOp: measure(() => memoryLoadStore(memory, base), ITERATIONS),
			baseline: 'native Int32Array load+store (per pair)',
		});
	}
	rows.push({ name: 'FlatMemory ld64s+addI64+st64 (heap, per pair)', nsPerOp: measure(() => memoryLoadStore64(memory, heap + ARRAY_BYTES), ITERATIONS) });
	rows.push({
		name: 'FlatMemory ld32s over 3 far pages (TLB hits)',
		nsPerOp: measure(() => memoryLoadThreePages(memory, [stack, heap, FlatLayout.dataBase]), ITERATIONS),
	});
	rows.push({ name: 'FlatMemory ld32s random page of 8 MiB (tree walks)', nsPerOp: measure(() => memoryLoadRandomPages(memory, heap), ITERATIONS) });
	rows.push({ name: 'FlatMemory snapshot()', nsPerOp: measure(() => snapshotsOnly(memory, 100_000), 100_000) });
	rows.push({ name: 'FlatMemory snapshot + 64 copy-on-write stores (per store)', nsPerOp: measure(() => snapshotAndTouch(memory, heap, 2000), 2000 * 64) });
	rows.push({ name: 'values addI64(a, mulI64(i, 3)), numbers (per pair)', nsPerOp: measure(valuesAddMulNumbers, ITERATIONS) });
	rows.push({ name: 'values addU64, bigint operand', nsPerOp: measure(valuesAddU64Big, ITERATIONS / 10) });
	return rows;
}

// Under `npm run bench` (and when run directly) the rows go to the shared table, each with the
// native typed-array figure it compares against as its baseline.
const rows = runMemoryBench();
report(
	rows
		.filter(row => !row.name.startsWith('native '))
		.map(row => {
			const base = row.baseline === undefined ? undefined : rows.find(r => r.name === row.baseline);
			return {
				name: row.name,
				unit: 'ns/op',
				faultline: row.nsPerOp,
				...(base !== undefined ? { baseline: base.nsPerOp, baselineLabel: base.name } : {}),
				better: 'lower' as const,
			};
		}),
);
if (sink === 0.5) {
	// Keeps the measured loops' results alive so V8 cannot drop them.
	console.log(sink);
}
