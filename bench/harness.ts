// The protocol between benchmark files and `npm run bench` (tooling; see scripts/bench.mjs).
//
// A benchmark is a file `bench/<name>.bench.ts` (or `.mjs`) run on its own with tsx. It measures
// Faultline and a baseline in the same run (a native JS or gcc-built equivalent), then calls
// `report(rows)` once with real measurements. Nothing is hard-coded: a figure that cannot be
// measured on this machine is left out (a row without a baseline, or no row).
//
//   import { measure, report } from './harness';
//   const faultline = measure(() => runKc(program));
//   const baseline = measure(() => nativeJs());
//   report([{ name: 'fib(25)', unit: 'ms', faultline: faultline.median, baseline: baseline.median,
//             baselineLabel: 'native JS', better: 'lower', targetRatio: 50 }]);
//
// Under the runner, `report` sends the rows over the IPC channel; run directly
// (`npx tsx bench/x.bench.ts`) it prints them.

/** One line of the benchmark table. */
export interface BenchRow {
	/** What was measured, e.g. `fib(25)` or `minor fault (KC fault path)`. */
	readonly name: string;
	/** Unit of both figures, e.g. `ms`, `ns/fault`, `Mstmt/s`. */
	readonly unit: string;
	/** Faultline's figure. */
	readonly faultline: number;
	/** The baseline's figure, measured in the same run, in the same unit. */
	readonly baseline?: number;
	/** What the baseline is: `gcc -O2`, `picoc`, `native JS`, `Linux minor fault`. */
	readonly baselineLabel?: string;
	/** Whether lower figures (times) or higher ones (throughputs) are better. */
	readonly better: 'lower' | 'higher';
	/**
	 * The bar, as a limit on faultline / baseline: at most this when lower is better, at least this
	 * when higher is better. Omitted when the row has no target.
	 */
	readonly targetRatio?: number;
}

/** The message a benchmark sends to the runner. */
export interface BenchMessage {
	readonly faultlineBenchRows: readonly BenchRow[];
}

/** Hands the rows to `npm run bench`, or prints them when the file runs on its own. */
export function report(rows: readonly BenchRow[]): void {
	if (process.send) {
		const message: BenchMessage = { faultlineBenchRows: rows };
		process.send(message);
		return;
	}
	for (const row of rows) {
		const baseline = row.baseline !== undefined ? `, ${row.baselineLabel ?? 'baseline'} ${row.baseline} ${row.unit}` : '';
		console.log(`${row.name}: faultline ${row.faultline} ${row.unit}${baseline}`);
	}
}

/** Timing of repeated runs of one function, in milliseconds per run. */
export interface Measurement {
	readonly median: number;
	readonly min: number;
	readonly runs: number;
}

/**
 * Times `run` repeatedly: `warmup` untimed runs, then timed runs until both `minRuns` runs and
 * `minTimeMs` milliseconds are reached. Returns milliseconds per run.
 */
export function measure(run: () => unknown, options: { warmup?: number; minRuns?: number; minTimeMs?: number } = {}): Measurement {
	const warmup = options.warmup ?? 1;
	const minRuns = options.minRuns ?? 5;
	const minTimeMs = options.minTimeMs ?? 500;
	for (let i = 0; i < warmup; i++) {
		run();
	}
	const times: number[] = [];
	const start = process.hrtime.bigint();
	while (times.length < minRuns || Number(process.hrtime.bigint() - start) / 1e6 < minTimeMs) {
		const before = process.hrtime.bigint();
		run();
		times.push(Number(process.hrtime.bigint() - before) / 1e6);
	}
	times.sort((a, b) => a - b);
	const middle = times.length >> 1;
	const median = times.length % 2 === 1 ? times[middle] : (times[middle - 1] + times[middle]) / 2;
	return { median, min: times[0], runs: times.length };
}
