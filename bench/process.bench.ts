// Process benchmarks on the simulated kernel (layer: bench): page faults through the KC fault path
// against the real kernel, and host memory per mapped page. Run with `npx tsx bench/process.bench.ts`
// (or `npm run bench -- process`).
//
// 1. Minor faults: one C program maps N anonymous pages and writes one byte in each. It runs with
//    N = 65536 and N = 0 on the simulated machine (a process under `faultline exec`'s machine) and,
//    built by gcc -O2, natively on this host's Linux kernel; the cost per fault is the difference
//    divided by N on each side, so process start-up and exit cancel out.
// 2. Host memory per mapped page: a process maps 1,048,576 pages (4 GiB) and reads one byte in each:
//    every PTE points at the zero page, so the page tables (8 MiB of simulated RAM) and the kernel's
//    bookkeeping are the only data. The figure is the growth of the host's memory (heap + array
//    buffers) from after the process started to the end of the touching loop, per page.

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { System } from '../src/kernel/proc/system';
import { spawnProcess } from '../src/kernel/proc/exec';
import { bootedMachine } from '../src/sim/machine';
import { findProfile } from '../src/sim/profiles';
import { buildUserProgram } from '../src/sim/userProgram';
import { userLibraryBuiltins } from '../src/sim/userLibrary';
import { formatDiagnostic } from '../src/lang/source';
import { report, type BenchRow } from './harness';

const kcRoot = path.resolve(__dirname, '..', 'kc');
const FAULT_PAGES = 65536;
const MEMORY_PAGES = 1 << 20;

const TOUCH = `
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long pages = atol(argv[1]);
	int write = argc > 2 && argv[2][0] == 'w';
	int hold = argc > 2 && argv[2][0] == 'h';
	volatile char *p;
	long sum = 0;

	if (pages == 0)
		return 0;
	p = mmap(NULL, pages * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		return 1;
	for (long i = 0; i < pages; i++) {
		if (write)
			p[i * 4096] = 1;
		else
			sum += p[i * 4096];
	}
	if (hold)
		pause();	/* the machine measures host memory while every page is still mapped */
	return sum == 0 ? 0 : 2;
}
`;

interface SimRun {
	readonly ms: number;
	readonly status: number | undefined;
	readonly hostBytes: number;
}

function hostMemory(): number {
	const usage = process.memoryUsage();
	return usage.heapUsed + usage.arrayBuffers;
}

function runOnMachine(file: string, args: readonly string[], ramBytes: number): SimRun {
	const booted = bootedMachine({ profile: findProfile('linux-6.8')!, kcRoot, ramBytes });
	const system = new System(booted, {});
	const built = buildUserProgram(file, kcRoot, userLibraryBuiltins(system));
	if (built.program === undefined) throw new Error(built.diagnostics.map(formatDiagnostic).join('\n'));
	const task = spawnProcess(system, { program: built.program, argv: ['touch', ...args] });
	global.gc?.();
	const before = hostMemory();
	const start = process.hrtime.bigint();
	const stop = system.run(Number.MAX_SAFE_INTEGER);
	const ms = Number(process.hrtime.bigint() - start) / 1e6;
	const held = args[1] === 'h';
	if (stop.kind !== (held ? 'stalled' : 'idle')) throw new Error(`the benchmark process did not end as expected: ${stop.kind}`);
	global.gc?.();
	return { ms, status: held ? 0 : task.exitCode, hostBytes: hostMemory() - before };
}

function nativeMs(binary: string, args: readonly string[]): number | undefined {
	const times: number[] = [];
	for (let i = 0; i < 5; i++) {
		const start = process.hrtime.bigint();
		const result = spawnSync(binary, args);
		if (result.status !== 0) return undefined;
		times.push(Number(process.hrtime.bigint() - start) / 1e6);
	}
	times.sort((a, b) => a - b);
	return times[2];
}

function main(): void {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'faultline-bench-'));
	const source = path.join(dir, 'touch.c');
	fs.writeFileSync(source, TOUCH);
	const rows: BenchRow[] = [];

	// Minor faults.
	const ram = 512 << 20;
	runOnMachine(source, ['0'], ram); // boots and caches the machine
	const empty = runOnMachine(source, ['0'], ram);
	const full = runOnMachine(source, [String(FAULT_PAGES), 'w'], ram);
	if (full.status !== 0) throw new Error(`touch exited with ${full.status}`);
	const simPerFault = ((full.ms - empty.ms) * 1e6) / FAULT_PAGES;
	let nativePerFault: number | undefined;
	const binary = path.join(dir, 'touch');
	if (spawnSync('gcc', ['-O2', '-o', binary, source]).status === 0) {
		const nEmpty = nativeMs(binary, ['0']);
		const nFull = nativeMs(binary, [String(FAULT_PAGES), 'w']);
		if (nEmpty !== undefined && nFull !== undefined) nativePerFault = ((nFull - nEmpty) * 1e6) / FAULT_PAGES;
	}
	rows.push({
		name: `minor fault, ${FAULT_PAGES} anonymous pages written`,
		unit: 'ns/fault',
		faultline: Math.round(simPerFault),
		...(nativePerFault === undefined ? {} : { baseline: Math.round(nativePerFault), baselineLabel: 'gcc -O2 on the host Linux kernel' }),
		better: 'lower',
		targetRatio: 2,
	});

	// Host memory per mapped page.
	const mapped = runOnMachine(source, [String(MEMORY_PAGES), 'h'], 64 << 20);
	if (mapped.status !== 0) throw new Error(`touch exited with ${mapped.status}`);
	rows.push({
		name: `host memory, ${MEMORY_PAGES} pages mapped (zero page)`,
		unit: 'bytes/page',
		faultline: Math.round((mapped.hostBytes / MEMORY_PAGES) * 10) / 10,
		better: 'lower',
	});
	rows.push({
		name: `${MEMORY_PAGES} read faults (zero page)`,
		unit: 'ms',
		faultline: Math.round(mapped.ms),
		better: 'lower',
	});
	fs.rmSync(dir, { recursive: true, force: true });
	report(rows);
}

main();
