// Debugger benchmarks (layer: bench): the engine behind `faultline dap` (src/sim/debug), measured
// without the protocol's transport. Run with `npx tsx bench/debug.bench.ts` (or `npm run bench --
// debug`). Targets (issue 5): step p99 under 5 ms; first page of children of a process with one
// million mapped pages under 20 ms. Absolute targets are rows with a baseline equal to the target
// and targetRatio 1.
//
// 1. Step latency: 1000 step-overs in a loop of a user program, other work on the second CPU.
// 2. Stack + variables deep in a fault handler: stopped in handle_mm_fault's callee after a user
//    write fault, the whole stack, every frame's scopes and their variables.
// 3. A process with 1,048,576 pages mapped (every page read once: the zero page): the VMA list,
//    then the first page (100 rows) of the big VMA's pages.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DebugEngine, VariableStore, addressSpaces, stackOf } from '../src/sim/debug';
import { report, type BenchRow } from './harness';

const kcRoot = path.resolve(__dirname, '..', 'kc');

const LOOP = `
#include <stdio.h>
#include <unistd.h>
static volatile long sink;
int main(void)
{
	long total = 0;
	if (fork() == 0) {
		for (long j = 0; j < 100000000; j++)
			sink = j;
		return 0;
	}
	for (long i = 0; i < 100000; i++) {
		total += i;
		sink = total;
	}
	return 0;
}
`;

const FAULT = `
#include <sys/mman.h>
int main(void)
{
	char *p = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	p[0] = 1;
	return 0;
}
`;

const MILLION = `
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>
int main(int argc, char **argv)
{
	long pages = atol(argv[1]);
	volatile char *p = mmap(0, pages * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	long sum = 0;
	for (long i = 0; i < pages; i++)
		sum += p[i * 4096];
	pause();
	return (int)sum;
}
`;

function percentile(values: readonly number[], p: number): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function ms(start: bigint): number {
	return Number(process.hrtime.bigint() - start) / 1e6;
}

function launch(file: string, args: readonly string[] = []): DebugEngine {
	const launched = DebugEngine.launch({ program: file, args, kcRoot, checkpointInterval: 20_000 });
	if (launched.engine === undefined) throw new Error(launched.errors.join('\n'));
	return launched.engine;
}

async function stepLatency(dir: string, rows: BenchRow[]): Promise<void> {
	const file = path.join(dir, 'loop.c');
	fs.writeFileSync(file, LOOP);
	const engine = launch(file);
	const line = LOOP.split('\n').findIndex(l => l.includes('total += i;')) + 1;
	engine.setSourceBreakpoints(file, [{ line }]);
	let stop = await engine.start(false);
	engine.setSourceBreakpoints(file, []);
	const pid = stop.pid!;
	const times: number[] = [];
	for (let i = 0; i < 1000; i++) {
		const start = process.hrtime.bigint();
		stop = await engine.stepTask(pid, 'over', false);
		times.push(ms(start));
		if (stop.reason !== 'step') throw new Error(`step ${i} stopped with ${stop.reason}: ${stop.description}`);
	}
	engine.dispose();
	rows.push({ name: 'step over (user loop, 2 tasks), p50', unit: 'ms', faultline: percentile(times, 50), better: 'lower' });
	rows.push({ name: 'step over (user loop, 2 tasks), p99', unit: 'ms', faultline: percentile(times, 99), baseline: 5, baselineLabel: 'target', better: 'lower', targetRatio: 1 });
}

async function faultStack(dir: string, rows: BenchRow[]): Promise<void> {
	const file = path.join(dir, 'fault.c');
	fs.writeFileSync(file, FAULT);
	const engine = launch(file);
	engine.setExceptionFilters([{ filter: 'pageFault', condition: 'write && user' }]);
	const fault = await engine.start(false);
	if (fault.reason !== 'exception') throw new Error(`no fault stop: ${fault.description}`);
	engine.setExceptionFilters([]);
	engine.setFunctionBreakpoints([{ functionName: 'handle_mm_fault' }]);
	const deep = await engine.continue();
	engine.setFunctionBreakpoints([]);
	const task = engine.task(deep.pid!)!;
	for (let i = 0; i < 8; i++) await engine.stepTask(task.pid, 'in', false);
	const times: number[] = [];
	let frames = 0;
	for (let round = 0; round < 20; round++) {
		const start = process.hrtime.bigint();
		const store = new VariableStore(engine);
		const stack = stackOf(engine, task);
		frames = stack.length;
		for (const row of stack) {
			if (row.index < 0) continue;
			for (const scope of store.scopes(task, row.index)) if (!scope.expensive) store.variables(scope.reference);
		}
		times.push(ms(start));
	}
	engine.dispose();
	rows.push({ name: `stack + scopes + variables, ${frames} frames deep in a fault handler (median)`, unit: 'ms', faultline: percentile(times, 50), better: 'lower' });
}

async function millionPages(dir: string, rows: BenchRow[]): Promise<void> {
	const file = path.join(dir, 'million.c');
	fs.writeFileSync(file, MILLION);
	const pages = 1 << 20;
	const engine = launch(file, [String(pages)]);
	const started = process.hrtime.bigint();
	const stop = await engine.start(false);
	const runMs = ms(started);
	if (stop.reason !== 'exception' || stop.exception?.id !== 'stall') throw new Error(`the process did not stop in pause(): ${stop.reason} ${stop.description}`);
	const pid = engine.machine.processes[0].task.pid;
	let start = process.hrtime.bigint();
	const vmas = addressSpaces(engine, { pid });
	const vmaMs = ms(start);
	const big = vmas.vmas!.find(v => v.pages === pages);
	if (big === undefined) throw new Error('no VMA of a million pages');
	start = process.hrtime.bigint();
	const first = addressSpaces(engine, { pid, vma: big.start, start: 0, count: 100 });
	const pageMs = ms(start);
	if (first.total !== pages || first.pages!.length !== 100) throw new Error('wrong page listing');
	engine.dispose();
	rows.push({ name: `run ${pages} read faults under the debugger`, unit: 'ms', faultline: Math.round(runMs), better: 'lower' });
	rows.push({ name: `VMA list of a process with ${pages} mapped pages`, unit: 'ms', faultline: vmaMs, better: 'lower' });
	rows.push({ name: 'first page (100) of a million-page VMA\'s pages', unit: 'ms', faultline: pageMs, baseline: 20, baselineLabel: 'target', better: 'lower', targetRatio: 1 });
}

async function main(): Promise<void> {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'faultline-debug-bench-'));
	const rows: BenchRow[] = [];
	try {
		await stepLatency(dir, rows);
		process.stderr.write('debug bench: steps done\n');
		await faultStack(dir, rows);
		process.stderr.write('debug bench: fault stack done\n');
		await millionPages(dir, rows);
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
	report(rows);
}

void main();
