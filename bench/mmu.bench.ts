// Benchmarks of the machine's memory hardware (layer: bench): translated loads through the CPU bus
// (fast-path hit, TLB hit on another page, full page walk), against native typed-array loads and the
// MMU-less FlatMemory measured in the same run; and host bytes per touched page for 1,000,000 pages.
// Run with `npx tsx bench/mmu.bench.ts` (or `npm run bench -- mmu`).

import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { FlatMemory } from '../src/interp/flatMemory';
import { Machine } from '../src/kernel/hw/machine';
import { encodePte, tableIndex, type PagingLevel } from '../src/kernel/hw/pageTable';
import type { PhysicalMemory } from '../src/kernel/hw/physMem';
import { report, type BenchRow } from './harness';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
const VA = 0x7f0000000000;
const ITERATIONS = 10_000_000;
const RUNS = 5;

/** Keeps results alive so loops are not optimised away. */
let sink = 0;

/** Best nanoseconds per operation of `body` (performing `ops` operations) over RUNS runs after a warm-up. */
function nsPerOp(body: () => number, ops: number): number {
	sink ^= body();
	let best = Infinity;
	for (let run = 0; run < RUNS; run++) {
		const start = process.hrtime.bigint();
		sink ^= body();
		best = Math.min(best, Number(process.hrtime.bigint() - start));
	}
	return best / ops;
}

/** A bump allocator building 4-level tables in simulated RAM (what the KC kernel does for real). */
class Tables {
	readonly root: number;
	constructor(
		private readonly phys: PhysicalMemory,
		private next: number,
	) {
		this.root = this.alloc();
	}
	private alloc(): number {
		const pa = this.next;
		this.next += 4096;
		return pa;
	}
	/** Maps 4 KiB page `va` to `pa`, user-writable. */
	map(va: number, pa: number): void {
		let table = this.root;
		for (let level: PagingLevel = 4; level > 1; level = (level - 1) as PagingLevel) {
			const at = table + tableIndex(va, level) * 8;
			let entry = this.phys.ld32(at);
			if ((entry & 1) === 0) {
				entry = this.alloc() + 7;
				this.phys.st32(at, entry);
			}
			table = entry - (entry & 0xfff);
		}
		this.phys.st64(table + tableIndex(va, 1) * 8, encodePte({ physicalAddress: pa, writable: true, user: true }));
	}
}

function timeLoads(): BenchRow[] {
	const machine = new Machine({ ramBytes: 256 * MiB, cpus: 1 });
	const tables = new Tables(machine.phys, 16 * MiB);
	// 32 Ki user pages (128 MiB) on frames from 64 MiB.
	const PAGES = 32768;
	for (let i = 0; i < PAGES; i++) tables.map(VA + i * 4096, 64 * MiB + i * 4096);
	const { bus, mmu } = machine.cpus[0];
	mmu.setCr3(tables.root);
	bus.mode = 'user';
	for (let i = 0; i < PAGES; i++) bus.st32(VA + i * 4096, i);

	const words = new Int32Array(1024);
	const native = nsPerOp(() => {
		let sum = 0;
		for (let i = 0; i < ITERATIONS; i++) sum = (sum + words[i & 1023]) | 0;
		return sum;
	}, ITERATIONS);

	const flat = new FlatMemory();
	flat.map(VA, 4096, { read: true, write: true });
	const flatHit = nsPerOp(() => {
		let sum = 0;
		for (let i = 0; i < ITERATIONS; i++) sum = (sum + flat.ld32s(VA + ((i & 1023) << 2))) | 0;
		return sum;
	}, ITERATIONS);

	const hit = nsPerOp(() => {
		let sum = 0;
		for (let i = 0; i < ITERATIONS; i++) sum = (sum + bus.ld32s(VA + ((i & 1023) << 2))) | 0;
		return sum;
	}, ITERATIONS);

	// 64 pages round robin: every load misses the two last-page entries and hits the page cache.
	const pageCacheOps = ITERATIONS / 5;
	const pageCache = nsPerOp(() => {
		let sum = 0;
		for (let i = 0; i < pageCacheOps; i++) sum = (sum + bus.ld32s(VA + (i & 63) * 4096 + ((i >> 6) & 1023) * 4)) | 0;
		return sum;
	}, pageCacheOps);

	// 8 pages 1 MiB apart: they share one slot of the direct-mapped page cache (always a miss) and
	// one set of the 8-way TLB (always a hit).
	const tlbOps = ITERATIONS / 5;
	const tlbHit = nsPerOp(() => {
		let sum = 0;
		for (let i = 0; i < tlbOps; i++) sum = (sum + bus.ld32s(VA + (i & 7) * 256 * 4096 + ((i >> 3) & 1023) * 4)) | 0;
		return sum;
	}, tlbOps);

	// 32 Ki pages in order: every set of the 8-way TLB sees 128 pages in turn, so every load walks.
	const walkOps = ITERATIONS / 20;
	const walk = nsPerOp(() => {
		let sum = 0;
		for (let i = 0; i < walkOps; i++) sum = (sum + bus.ld32s(VA + (i % PAGES) * 4096)) | 0;
		return sum;
	}, walkOps);
	if (bus.fault !== null) throw new Error(`unexpected fault ${JSON.stringify(bus.fault)}`);

	return [
		{ name: 'CPU bus ld32, last-page entry hit', unit: 'ns/load', faultline: hit, baseline: flatHit, baselineLabel: 'FlatMemory ld32s, no MMU', better: 'lower' },
		{ name: 'CPU bus ld32, last-page entry hit', unit: 'ns/load', faultline: hit, baseline: native, baselineLabel: 'native Int32Array', better: 'lower' },
		{ name: 'CPU bus ld32, page-cache hit (64 pages round robin)', unit: 'ns/load', faultline: pageCache, baseline: native, baselineLabel: 'native Int32Array', better: 'lower' },
		{ name: 'CPU bus ld32, TLB hit on another page', unit: 'ns/load', faultline: tlbHit, baseline: native, baselineLabel: 'native Int32Array', better: 'lower' },
		{ name: 'CPU bus ld32, TLB miss + 4-level walk', unit: 'ns/load', faultline: walk, baseline: native, baselineLabel: 'native Int32Array', better: 'lower' },
	];
}

/** Host bytes (V8 heap + ArrayBuffers) after a full garbage collection. */
function hostBytes(gc: () => void): number {
	gc();
	gc();
	const usage = process.memoryUsage();
	return usage.heapUsed + usage.external;
}

function measureTouchedPages(): BenchRow[] {
	v8.setFlagsFromString('--expose-gc');
	const gc = vm.runInNewContext('gc') as () => void;
	const PAGES = 1_000_000;
	const before = hostBytes(gc);
	const machine = new Machine({ ramBytes: 4 * GiB + 512 * MiB, cpus: 2 });
	const phys = machine.phys;
	// Touch every other frame in the low RAM and the rest above 4 GiB: 1,000,000 frames with data.
	let touched = 0;
	for (let pfn = 0; touched < PAGES; pfn += 1) {
		const pa = pfn < 786432 ? pfn * 4096 : 4 * GiB + (pfn - 786432) * 4096;
		phys.st32(pa + 8, pfn + 1);
		touched++;
	}
	const after = hostBytes(gc);
	const overhead = (after - before - PAGES * 4096) / PAGES;
	const stats = phys.stats();
	if (stats.residentFrames !== PAGES) throw new Error(`expected ${PAGES} resident frames, got ${stats.residentFrames}`);
	sink ^= phys.ld32(8);
	return [
		{ name: 'host bytes per touched page beyond its 4 KiB (1,000,000 pages, target < 64)', unit: 'B/page', faultline: overhead, better: 'lower' },
		{ name: 'same, as estimated by PhysicalMemory.stats()', unit: 'B/page', faultline: stats.estimatedOverheadBytes / PAGES, better: 'lower' },
	];
}

const rows = [...timeLoads(), ...measureTouchedPages()];
report(rows);
if (!process.send) console.log(`(checksum ${sink})`);
