#!/usr/bin/env node
// Regenerates test/conformance/<name>.expected from gcc-built programs (test support).
//
// Each program is compiled with the system headers (`gcc -std=gnu11 -O0 -w ... -lm`) and run with
// stdout on a pipe and stdin empty, as the conformance test runs them. The .expected file holds
// one header line `# exit status: N` followed by the program's stdout, byte for byte. Commit the
// results so machines without gcc still check Faultline against real glibc output.
//
// Usage: node test/conformance/update-expected.mjs [name.c ...]

import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

/** Compiles and runs one program; returns its stdout bytes and exit status (128 + signal if killed). */
export function runWithGcc(source, workDir) {
	const name = path.basename(source, '.c');
	const binary = path.join(workDir, name);
	execFileSync('gcc', ['-std=gnu11', '-O0', '-w', '-o', binary, source, '-lm'], { stdio: ['ignore', 'ignore', 'pipe'] });
	const r = spawnSync(binary, [], { cwd: workDir, input: Buffer.alloc(0), maxBuffer: 64 * 1024 * 1024 });
	const status = r.status ?? 128 + (os.constants.signals[r.signal] ?? 0);
	return { stdout: r.stdout, status };
}

/** The .expected text for a result. */
export function expectedFile(result) {
	return Buffer.concat([Buffer.from(`# exit status: ${result.status}\n`), result.stdout]);
}

function main() {
	const requested = process.argv.slice(2);
	const sources = (requested.length > 0 ? requested : fs.readdirSync(here).filter(f => f.endsWith('.c'))).map(f => path.resolve(here, f));
	const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'faultline-expected-'));
	try {
		for (const source of sources) {
			const result = runWithGcc(source, workDir);
			const target = source.replace(/\.c$/, '.expected');
			fs.writeFileSync(target, expectedFile(result));
			console.log(`${path.basename(target)}: exit ${result.status}, ${result.stdout.length} bytes`);
		}
	} finally {
		fs.rmSync(workDir, { recursive: true, force: true });
	}
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	main();
}
