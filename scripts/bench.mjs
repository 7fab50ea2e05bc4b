// `npm run bench` (tooling): runs every `bench/*.bench.ts` and `bench/*.bench.mjs` in its own
// process (with tsx), collects the rows each reports through bench/harness.ts (`report(rows)`,
// which sends `{ faultlineBenchRows }` over IPC), prints one table and writes `.bench/results.json`.
//
//   npm run bench                  every benchmark
//   npm run bench -- fault         only files whose name contains `fault`
//
// Benchmarks are not timed tests: a missed target is shown in the table but does not fail the run.
// A benchmark that crashes or reports nothing does (exit status 1).

import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const benchDir = path.join(root, 'bench');
const resultsFile = path.join(root, '.bench', 'results.json');

/** Runs one benchmark file; resolves with its rows (undefined when it reported none) and exit status. */
function runBench(file) {
	return new Promise((resolve) => {
		let rows;
		const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', file], {
			cwd: root,
			stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
		});
		child.on('message', (message) => {
			if (message && typeof message === 'object' && Array.isArray(message.faultlineBenchRows)) {
				rows = [...(rows ?? []), ...message.faultlineBenchRows];
			}
		});
		child.on('error', (error) => {
			console.error(`bench: cannot start ${file}: ${error.message}`);
			resolve({ rows, status: 127 });
		});
		child.on('close', (code, signal) => resolve({ rows, status: code ?? (signal ? 128 : 1) }));
	});
}

/** Formats a figure with 3 significant digits. */
function figure(value) {
	if (value === undefined || !Number.isFinite(value)) {
		return '-';
	}
	return Math.abs(value) >= 1000 ? value.toFixed(0) : value.toPrecision(3);
}

/** Adds ratio, target text and whether the target is met to a reported row. */
function evaluate(row, file) {
	const ratio = row.baseline ? row.faultline / row.baseline : undefined;
	let met;
	if (ratio !== undefined && row.targetRatio !== undefined) {
		met = row.better === 'higher' ? ratio >= row.targetRatio : ratio <= row.targetRatio;
	}
	return { file, ...row, ratio, met };
}

function printTable(rows) {
	const header = ['benchmark', 'faultline', 'baseline', 'ratio', 'target', ''];
	const lines = rows.map((row) => [
		row.name,
		`${figure(row.faultline)} ${row.unit}`,
		row.baseline !== undefined ? `${figure(row.baseline)} ${row.unit} (${row.baselineLabel ?? 'baseline'})` : '-',
		row.ratio !== undefined ? `${figure(row.ratio)}x` : '-',
		row.targetRatio !== undefined ? `${row.better === 'higher' ? '>=' : '<='} ${row.targetRatio}x` : '-',
		row.met === undefined ? '' : row.met ? 'ok' : 'MISSED',
	]);
	const widths = header.map((_, column) => Math.max(...[header, ...lines].map((line) => line[column].length)));
	const format = (line) => line.map((cell, column) => cell.padEnd(widths[column])).join('  ').trimEnd();
	console.log(format(header));
	console.log(format(widths.map((width) => '-'.repeat(width))));
	for (const line of lines) {
		console.log(format(line));
	}
}

async function main() {
	const filters = process.argv.slice(2);
	const files = fs.existsSync(benchDir)
		? fs.readdirSync(benchDir)
			.filter((name) => /\.bench\.(ts|mjs)$/.test(name))
			.filter((name) => filters.length === 0 || filters.some((filter) => name.includes(filter)))
			.sort()
		: [];
	const rows = [];
	const failures = [];
	for (const name of files) {
		console.error(`bench: ${name}`);
		const { rows: reported, status } = await runBench(path.join('bench', name));
		if (status !== 0 || reported === undefined) {
			failures.push(`${name}: ${status !== 0 ? `exited with status ${status}` : 'reported no rows'}`);
		}
		rows.push(...(reported ?? []).map((row) => evaluate(row, name)));
	}

	if (files.length === 0) {
		console.log('No benchmarks: bench/*.bench.ts|mjs matched nothing.');
	} else {
		printTable(rows);
	}
	for (const failure of failures) {
		console.error(`bench: FAILED ${failure}`);
	}
	fs.mkdirSync(path.dirname(resultsFile), { recursive: true });
	fs.writeFileSync(resultsFile, JSON.stringify({
		date: new Date().toISOString(),
		node: process.version,
		platform: `${os.platform()} ${os.arch()}`,
		cpu: os.cpus()[0]?.model ?? 'unknown',
		rows,
		failures,
	}, null, '\t') + '\n');
	console.log(`Results written to ${path.relative(root, resultsFile)}`);
	process.exitCode = failures.length > 0 ? 1 : 0;
}

await main();
