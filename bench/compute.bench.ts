// Compute benchmarks of the KC CPU against the same algorithms in native JS (layer: bench).
// Run with `npx tsx bench/compute.bench.ts` (or `npm run bench -- compute`). Each KC program is
// compiled and linked once (timed separately as "compile"); each timed run restores the memory
// snapshot taken after loading and runs `main` on a fresh thread to completion.

import { compileUnit } from '../src/lang/frontEnd';
import { memorySources } from '../src/lang/preprocessor';
import { formatDiagnostic } from '../src/lang/source';
import type { Builtin, Value } from '../src/interp/contracts';
import { FlatMemory } from '../src/interp/flatMemory';
import { link } from '../src/interp/linker';
import { run, startMain } from '../src/interp/cpu';
import { measure, report, type BenchRow } from './harness';

interface Workload {
	readonly name: string;
	readonly source: string;
	readonly native: () => number;
	/** Bar: KC time / native time must stay below this. */
	readonly targetRatio: number;
}

const SIEVE_N = 2_000_000;
const FIB_N = 27;
const MATRIX_N = 96;
const HASH_BYTES = 1 << 20;

const workloads: Workload[] = [
	{
		name: `sieve(${SIEVE_N})`,
		source: `
void result(long v);
static int flags[${SIEVE_N}];
int main(void) {
	int n = ${SIEVE_N}, count = 0;
	for (int i = 0; i < n; i++) flags[i] = 1;
	for (int i = 2; i * i < n; i++)
		if (flags[i])
			for (int j = i * i; j < n; j += i) flags[j] = 0;
	for (int i = 2; i < n; i++) count += flags[i];
	result(count);
	return 0;
}`,
		native: () => {
			const n = SIEVE_N;
			const flags = new Int32Array(n);
			let count = 0;
			for (let i = 0; i < n; i++) flags[i] = 1;
			for (let i = 2; i * i < n; i++) if (flags[i]) for (let j = i * i; j < n; j += i) flags[j] = 0;
			for (let i = 2; i < n; i++) count += flags[i];
			return count;
		},
		targetRatio: 30,
	},
	{
		name: `fib(${FIB_N})`,
		source: `
void result(long v);
int fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
int main(void) { result(fib(${FIB_N})); return 0; }`,
		native: () => {
			const fib = (n: number): number => (n < 2 ? n : fib(n - 1) + fib(n - 2));
			return fib(FIB_N);
		},
		targetRatio: 30,
	},
	{
		name: `matmul(${MATRIX_N}x${MATRIX_N} double)`,
		source: `
void result(long v);
#define N ${MATRIX_N}
static double a[N][N], b[N][N], c[N][N];
int main(void) {
	for (int i = 0; i < N; i++)
		for (int j = 0; j < N; j++) { a[i][j] = i + j * 0.5; b[i][j] = i - j * 0.25; }
	for (int i = 0; i < N; i++)
		for (int j = 0; j < N; j++) {
			double s = 0;
			for (int k = 0; k < N; k++) s += a[i][k] * b[k][j];
			c[i][j] = s;
		}
	double t = 0;
	for (int i = 0; i < N; i++) t += c[i][i];
	result((long)t);
	return 0;
}`,
		native: () => {
			const n = MATRIX_N;
			const a = new Float64Array(n * n);
			const b = new Float64Array(n * n);
			const c = new Float64Array(n * n);
			for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) { a[i * n + j] = i + j * 0.5; b[i * n + j] = i - j * 0.25; }
			for (let i = 0; i < n; i++)
				for (let j = 0; j < n; j++) {
					let s = 0;
					for (let k = 0; k < n; k++) s += a[i * n + k] * b[k * n + j];
					c[i * n + j] = s;
				}
			let t = 0;
			for (let i = 0; i < n; i++) t += c[i * n + i];
			return Math.trunc(t);
		},
		targetRatio: 40,
	},
	{
		name: `fnv1a hash (${HASH_BYTES >> 10} KiB, char *)`,
		source: `
void result(long v);
static unsigned char buf[${HASH_BYTES}];
static unsigned int hash(const unsigned char *p, unsigned long n) {
	unsigned int h = 2166136261u;
	while (n--) { h ^= *p++; h *= 16777619u; }
	return h;
}
int main(void) {
	unsigned int x = 12345;
	for (unsigned long i = 0; i < sizeof buf; i++) { x = x * 1103515245u + 12345u; buf[i] = (unsigned char)(x >> 16); }
	result(hash(buf, sizeof buf));
	return 0;
}`,
		native: () => {
			const buf = new Uint8Array(HASH_BYTES);
			let x = 12345;
			for (let i = 0; i < HASH_BYTES; i++) {
				x = (Math.imul(x, 1103515245) + 12345) >>> 0;
				buf[i] = (x >>> 16) & 255;
			}
			let h = 2166136261;
			for (let i = 0; i < HASH_BYTES; i++) {
				h = (h ^ buf[i]) >>> 0;
				h = Math.imul(h, 16777619) >>> 0;
			}
			return h;
		},
		targetRatio: 40,
	},
];

/** Compiles and links a workload; returns a runner that executes main once and returns its result. */
function prepare(w: Workload): { runOnce: () => number; compileMs: number } {
	const start = process.hrtime.bigint();
	const compiled = compileUnit('bench.c', memorySources({ 'bench.c': w.source }));
	if (!compiled.unit) throw new Error(compiled.diagnostics.map(formatDiagnostic).join('\n'));
	const memory = new FlatMemory();
	let last = 0;
	const builtins = new Map<string, Builtin>([
		[
			'result',
			(_ctx, args: readonly Value[]) => {
				last = Number(args[0]);
				return undefined;
			},
		],
	]);
	const linked = link([compiled.unit], builtins, memory);
	if (!linked.program) throw new Error(linked.diagnostics.map(formatDiagnostic).join('\n'));
	const program = linked.program;
	const compileMs = Number(process.hrtime.bigint() - start) / 1e6;
	const loaded = memory.snapshot();
	const runOnce = (): number => {
		memory.restore(loaded);
		const thread = startMain(program, memory, ['bench']);
		const stop = run(thread, Number.MAX_SAFE_INTEGER);
		if (stop.kind !== 'exited' || stop.code !== 0) throw new Error(`${w.name}: unexpected stop ${JSON.stringify(stop)}`);
		return last;
	};
	return { runOnce, compileMs };
}

function main(): void {
	const rows: BenchRow[] = [];
	let kcTotal = 0;
	let nativeTotal = 0;
	for (const w of workloads) {
		const { runOnce, compileMs } = prepare(w);
		const expected = w.native();
		const got = runOnce();
		if (got !== expected) throw new Error(`${w.name}: KC computed ${got}, native JS ${expected}`);
		const kc = measure(runOnce, { warmup: 1, minRuns: 5, minTimeMs: 300 });
		const native = measure(w.native, { warmup: 2, minRuns: 5, minTimeMs: 200 });
		if (w.name.startsWith('sieve') || w.name.startsWith('fib')) {
			kcTotal += kc.median;
			nativeTotal += native.median;
		}
		rows.push({ name: `${w.name}`, unit: 'ms', faultline: round(kc.median), baseline: round(native.median), baselineLabel: 'native JS', better: 'lower', targetRatio: w.targetRatio });
		rows.push({ name: `${w.name} compile+link`, unit: 'ms', faultline: round(compileMs), better: 'lower' });
	}
	rows.push({ name: 'sieve + fib', unit: 'ms', faultline: round(kcTotal), baseline: round(nativeTotal), baselineLabel: 'native JS', better: 'lower', targetRatio: 32 });
	report(rows);
	if (!process.send) for (const r of rows) if (r.baseline !== undefined) console.log(`  ${r.name}: ratio ${(r.faultline / r.baseline).toFixed(1)}x`);
}

function round(x: number): number {
	return Math.round(x * 100) / 100;
}

main();
