// The gcc conformance suite (test layer over sim): every program in test/conformance must print
// exactly what the gcc-built binary prints and exit with the same status under `faultline exec`;
// every program in test/conformance/errors must fail to compile with the diagnostic its
// `// EXPECT-ERROR:` comment states, and exit status 2.
//
// Expectations come from gcc when it is installed (and the committed .expected files must then
// agree with it), otherwise from the committed .expected files (see update-expected.mjs).

import * as assert from 'node:assert/strict';
import { execFile as execFileCallback, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { execFile } from '../../src/sim/exec';

const run = promisify(execFileCallback);

const conformanceDir = path.resolve(__dirname, '../conformance');
const errorsDir = path.join(conformanceDir, 'errors');
const kcRoot = path.resolve(__dirname, '../../kc');

type ExecFile = typeof execFile;

interface Outcome {
	readonly stdout: Buffer;
	readonly status: number;
}

function haveGcc(): boolean {
	return spawnSync('gcc', ['--version']).status === 0;
}

function parseExpected(file: string): Outcome {
	const bytes = fs.readFileSync(file);
	const newline = bytes.indexOf(0x0a);
	const header = /^# exit status: (\d+)$/.exec(bytes.subarray(0, newline).toString('latin1'));
	assert.ok(header, `${file}: malformed header`);
	return { status: Number(header[1]), stdout: bytes.subarray(newline + 1) };
}

/** Builds every program with gcc in parallel and runs it with stdout on a pipe, stdin empty. */
async function gccOutcomes(sources: readonly string[]): Promise<Map<string, Outcome>> {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'faultline-conformance-'));
	try {
		const results = await Promise.all(
			sources.map(async source => {
				const binary = path.join(dir, path.basename(source, '.c'));
				await run('gcc', ['-std=gnu11', '-O0', '-w', '-o', binary, source, '-lm']);
				const r = spawnSync(binary, [], { cwd: dir, input: Buffer.alloc(0), maxBuffer: 64 * 1024 * 1024 });
				const status = r.status ?? 128 + (os.constants.signals[r.signal as NodeJS.Signals] ?? 0);
				return [source, { stdout: r.stdout, status }] as const;
			}),
		);
		return new Map(results);
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
}

async function runFaultline(execFile: ExecFile, file: string): Promise<{ stdout: Buffer; stderr: Buffer; status: number }> {
	const out: Uint8Array[] = [];
	const err: Uint8Array[] = [];
	const status = await execFile({ file, args: [], kcRoot, maxStatements: 2_000_000_000, stdout: b => out.push(Uint8Array.from(b)), stderr: b => err.push(Uint8Array.from(b)) });
	return { stdout: Buffer.concat(out), stderr: Buffer.concat(err), status };
}

const programs = fs
	.readdirSync(conformanceDir)
	.filter(f => f.endsWith('.c'))
	.sort()
	.map(f => path.join(conformanceDir, f));

const brokenInputs = fs
	.readdirSync(errorsDir)
	.filter(f => f.endsWith('.c'))
	.sort()
	.map(f => path.join(errorsDir, f));

describe('conformance suite (gcc as the oracle)', function () {
	this.timeout(120000);
	let expected: Map<string, Outcome>;
	const gcc = haveGcc();

	before(async () => {
		expected = new Map(programs.map(p => [p, parseExpected(p.replace(/\.c$/, '.expected'))]));
		if (gcc) {
			const fresh = await gccOutcomes(programs);
			const stale = programs.filter(p => {
				const f = fresh.get(p)!;
				const e = expected.get(p)!;
				return f.status !== e.status || !f.stdout.equals(e.stdout);
			});
			assert.deepEqual(
				stale.map(p => path.basename(p)),
				[],
				'the committed .expected files disagree with gcc: run `node test/conformance/update-expected.mjs`',
			);
			expected = fresh;
		}
	});

	it('has at least 30 programs, each with a one-line comment saying what it checks, and its .expected file', () => {
		assert.ok(programs.length >= 30, `only ${programs.length} programs`);
		for (const p of programs) {
			assert.match(fs.readFileSync(p, 'latin1'), /^\/\/ Checks .+\n/, `${path.basename(p)} lacks its header comment`);
			assert.ok(fs.existsSync(p.replace(/\.c$/, '.expected')), `${path.basename(p)} has no .expected file`);
		}
	});

	for (const program of programs) {
		it(`runs ${path.basename(program)} like gcc`, async function () {
			const want = expected.get(program)!;
			const got = await runFaultline(execFile, program);
			assert.equal(got.stdout.toString('latin1'), want.stdout.toString('latin1'), `stdout differs; stderr was:\n${got.stderr.toString('latin1')}`);
			assert.equal(got.status, want.status, `exit status; stderr was:\n${got.stderr.toString('latin1')}`);
		});
	}

	describe('broken inputs', () => {
		it('has at least 6, each stating its expected diagnostic', () => {
			assert.ok(brokenInputs.length >= 6);
			for (const p of brokenInputs) {
				assert.match(fs.readFileSync(p, 'latin1'), /\/\/ EXPECT-ERROR: \d+:\d+: error: .+/, path.basename(p));
			}
		});

		for (const input of brokenInputs) {
			it(`rejects ${path.basename(input)} with its diagnostic and status 2`, async function () {
				const expectation = /\/\/ EXPECT-ERROR: (\d+:\d+: error: .+)/.exec(fs.readFileSync(input, 'latin1'))![1];
				const got = await runFaultline(execFile, input);
				const firstLine = got.stderr.toString('latin1').split('\n')[0];
				assert.equal(firstLine, `${input}:${expectation}`);
				assert.equal(got.status, 2);
				assert.equal(got.stdout.length, 0);
				if (gcc) {
					// gcc rejects it too (treating implicit declarations as errors, as KC does).
					const r = spawnSync('gcc', ['-std=gnu11', '-fsyntax-only', '-Werror=implicit-function-declaration', input], { encoding: 'latin1' });
					assert.notEqual(r.status, 0, 'gcc accepts it');
				}
			});
		}
	});
});
