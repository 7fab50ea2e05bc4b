#!/usr/bin/env node
// Regenerates test/differential/<name>.expected from gcc-built programs run on the real Linux
// kernel (test support for the differential suite, test/unit/differential.test.ts).
//
// Each program is compiled with `gcc -std=gnu11 -O0 -Wall -pthread` (any compiler output is an
// error: the programs must build cleanly) and run three times with stdout on a pipe, stdin empty
// and a fresh temporary working directory. The three runs must agree byte for byte, or the script
// fails without writing anything for that program: a differential test is only as good as the
// determinism of its program. The .expected file holds the program's stdout followed by one line
// `exit=<status>`, where status is the exit code, or 128+signal when a signal killed the program
// (SIGSEGV 139, SIGBUS 135), as a shell reports it. Commit the results so that machines without
// gcc still check Faultline against real Linux.
//
// Usage: node test/differential/update-expected.mjs [name.c ...]

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

/** The gcc command line every differential program must compile with, without warnings. */
export const gccFlags = ['-std=gnu11', '-O0', '-Wall', '-pthread'];

/** Runs of each program that must agree before its output is recorded. */
const runsPerProgram = 3;

/** A run that takes longer than this is a hung program. */
const runTimeoutMs = 60_000;

/** Compiles `source` into `workDir`; throws with gcc's output on an error or a warning. */
export function buildWithGcc(source, workDir) {
	const binary = path.join(workDir, path.basename(source, '.c'));
	const r = spawnSync('gcc', [...gccFlags, '-o', binary, source], { encoding: 'utf8' });
	if (r.status !== 0 || r.stderr.length > 0 || r.stdout.length > 0) {
		throw new Error(`${path.basename(source)} does not build cleanly with gcc ${gccFlags.join(' ')}:\n${r.stdout}${r.stderr}`);
	}
	return binary;
}

/** Runs a built program once; returns its stdout bytes and shell-style exit status. */
export function runBinary(binary) {
	const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'faultline-differential-run-'));
	try {
		const r = spawnSync(binary, [], { cwd, input: Buffer.alloc(0), maxBuffer: 16 * 1024 * 1024, timeout: runTimeoutMs, killSignal: 'SIGKILL' });
		if (r.error !== undefined) {
			throw new Error(`${path.basename(binary)}: ${r.error.message}`);
		}
		const status = r.status ?? 128 + (os.constants.signals[r.signal] ?? 0);
		return { stdout: r.stdout, status };
	} finally {
		fs.rmSync(cwd, { recursive: true, force: true });
	}
}

/** The .expected text for one run: stdout, then `exit=<status>`. Stdout must end with a newline. */
export function expectedText(name, result) {
	if (result.stdout.length > 0 && result.stdout[result.stdout.length - 1] !== 0x0a) {
		throw new Error(`${name}: stdout does not end with a newline, so the exit line would not stand on its own`);
	}
	return Buffer.concat([result.stdout, Buffer.from(`exit=${result.status}\n`)]);
}

/** Builds and runs one program `runsPerProgram` times; returns its .expected bytes or throws if the runs differ. */
export function stableExpected(source, workDir) {
	const name = path.basename(source);
	const binary = buildWithGcc(source, workDir);
	const texts = [];
	for (let i = 0; i < runsPerProgram; i++) {
		texts.push(expectedText(name, runBinary(binary)));
	}
	for (let i = 1; i < texts.length; i++) {
		if (!texts[i].equals(texts[0])) {
			throw new Error(`${name} is not deterministic: run 1 and run ${i + 1} differ.\n--- run 1\n${texts[0].toString('latin1')}--- run ${i + 1}\n${texts[i].toString('latin1')}`);
		}
	}
	return texts[0];
}

function main() {
	const requested = process.argv.slice(2);
	const sources = (requested.length > 0 ? requested : fs.readdirSync(here).filter(f => f.endsWith('.c')).sort()).map(f => path.resolve(here, f));
	const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'faultline-differential-'));
	const failures = [];
	try {
		for (const source of sources) {
			try {
				const text = stableExpected(source, workDir);
				const target = source.replace(/\.c$/, '.expected');
				const previous = fs.existsSync(target) ? fs.readFileSync(target) : undefined;
				fs.writeFileSync(target, text);
				const exitLine = text.toString('latin1').trimEnd().split('\n').pop();
				console.log(`${path.basename(target)}: ${exitLine}, ${text.length} bytes${previous === undefined ? ' (new)' : previous.equals(text) ? '' : ' (changed)'}`);
			} catch (error) {
				failures.push(`${error instanceof Error ? error.message : String(error)}`);
			}
		}
	} finally {
		fs.rmSync(workDir, { recursive: true, force: true });
	}
	if (failures.length > 0) {
		console.error(`\nFAILED for ${failures.length} program(s):\n\n${failures.join('\n\n')}`);
		process.exit(1);
	}
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	main();
}
