// The differential suite against real Linux (test layer over sim): every program in
// test/differential exercises Linux memory management (anonymous and file mappings, COW after fork,
// mprotect faults, mincore, MADV_DONTNEED, mremap, threads, /proc/self/maps and pagemap) and prints
// only address-free text, so `faultline exec` must reproduce the stdout and exit status recorded
// from gcc-built runs on the real kernel in <name>.expected (see update-expected.mjs).
//
// Until the simulated kernel and the Linux user API headers land, a program that cannot compile or
// link under Faultline only because a header, function or macro is missing (status 2 and nothing
// but `file not found`, `undefined reference`, `implicit declaration of function` or `undeclared`
// errors) is reported as pending, with the missing names in its title; every other difference fails.

import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFile } from '../../src/sim/exec';

const differentialDir = path.resolve(__dirname, '../differential');
const kcRoot = path.resolve(__dirname, '../../kc');

/** Exactly the flags of update-expected.mjs: the programs must build with them without warnings. */
const gccFlags = ['-std=gnu11', '-O0', '-Wall', '-pthread'];

type ExecFile = typeof execFile;

interface Outcome {
	readonly stdout: Buffer;
	readonly status: number;
}

function haveGcc(): boolean {
	return spawnSync('gcc', ['--version']).status === 0;
}

/** Splits an .expected file into stdout and the status of its final `exit=<status>` line. */
function parseExpected(bytes: Buffer, name: string): Outcome {
	const text = bytes.toString('latin1');
	const match = /(?:^|\n)exit=(\d+)\n$/.exec(text);
	assert.ok(match, `${name}: the last line must be exit=<status>`);
	const stdoutLength = match.index + (match[0].startsWith('\n') ? 1 : 0);
	return { stdout: bytes.subarray(0, stdoutLength), status: Number(match[1]) };
}

/** The .expected bytes for an outcome (the inverse of parseExpected). */
function expectedBytes(outcome: Outcome): Buffer {
	return Buffer.concat([outcome.stdout, Buffer.from(`exit=${outcome.status}\n`)]);
}

/**
 * Diagnostics that mean "Faultline does not provide this name yet", each capturing the name: a
 * header, a function without a definition, a function without a declaration, a macro or other
 * identifier a header lacks. Anything else (syntax, types, struct layouts) is a real failure.
 */
const missingKinds: readonly RegExp[] = [
	/error: '([^']+)' file not found/,
	/error: undefined reference to '([^']+)'/,
	/error: implicit declaration of function '([^']+)'/,
	/error: '([^']+)' undeclared (?:\(first use in this function\)|here \(not in a function\))/,
];

/**
 * When a Faultline run failed with status 2 and every error it printed is one of `missingKinds`,
 * returns a short reason naming what is missing; otherwise undefined (a real failure).
 */
function missingApiReason(status: number, stderr: string): string | undefined {
	if (status !== 2) {
		return undefined;
	}
	const errors = stderr.split('\n').filter(line => /\berror: /.test(line));
	if (errors.length === 0) {
		return undefined;
	}
	const missing = new Set<string>();
	for (const line of errors) {
		const kind = missingKinds.find(pattern => pattern.test(line));
		if (kind === undefined) {
			return undefined;
		}
		missing.add(kind.exec(line)![1]);
	}
	const names = [...missing];
	const headers = names.filter(name => name.endsWith('.h'));
	const functions = names.filter(name => !name.endsWith('.h'));
	const parts: string[] = [];
	if (headers.length > 0) {
		parts.push(`header${headers.length > 1 ? 's' : ''} ${headers.join(', ')} not found`);
	}
	if (functions.length > 0) {
		const shown = functions.slice(0, 6).join(', ') + (functions.length > 6 ? `, +${functions.length - 6} more` : '');
		parts.push(`missing ${shown}`);
	}
	return parts.join('; ');
}

/** Runs a binary with stdout on a pipe, stdin empty, in its own temporary directory. */
function runNative(binary: string): Promise<Outcome> {
	const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'faultline-differential-run-'));
	return new Promise<Outcome>((resolve, reject) => {
		const child = spawn(binary, [], { cwd, stdio: ['ignore', 'pipe', 'ignore'] });
		const chunks: Buffer[] = [];
		const timer = setTimeout(() => child.kill('SIGKILL'), 20000);
		child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
		child.on('error', reject);
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			fs.rmSync(cwd, { recursive: true, force: true });
			const status = code ?? 128 + (signal !== null ? os.constants.signals[signal] : 0);
			resolve({ stdout: Buffer.concat(chunks), status });
		});
	});
}

/** Compiles a program with gcc; resolves to the binary, or rejects with gcc's output on an error or warning. */
function buildNative(source: string, dir: string): Promise<string> {
	const binary = path.join(dir, path.basename(source, '.c'));
	return new Promise<string>((resolve, reject) => {
		const child = spawn('gcc', [...gccFlags, '-o', binary, source], { stdio: ['ignore', 'pipe', 'pipe'] });
		const output: Buffer[] = [];
		child.stdout.on('data', (chunk: Buffer) => output.push(chunk));
		child.stderr.on('data', (chunk: Buffer) => output.push(chunk));
		child.on('error', reject);
		child.on('close', code => {
			const text = Buffer.concat(output).toString('utf8');
			if (code !== 0 || text.length > 0) {
				reject(new Error(`${path.basename(source)} does not build cleanly with gcc ${gccFlags.join(' ')}:\n${text}`));
			} else {
				resolve(binary);
			}
		});
	});
}

/** Maps `work` over `items` with at most `limit` in flight, keeping the order. */
async function mapLimited<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
	const results: R[] = new Array<R>(items.length);
	let next = 0;
	const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
		while (next < items.length) {
			const index = next++;
			results[index] = await work(items[index]);
		}
	});
	await Promise.all(lanes);
	return results;
}

async function runFaultline(execFile: ExecFile, file: string): Promise<{ stdout: Buffer; stderr: Buffer; status: number }> {
	const out: Uint8Array[] = [];
	const err: Uint8Array[] = [];
	const status = await execFile({ file, args: [], kcRoot, maxStatements: 2_000_000_000, stdout: b => out.push(Uint8Array.from(b)), stderr: b => err.push(Uint8Array.from(b)) });
	return { stdout: Buffer.concat(out), stderr: Buffer.concat(err), status };
}

const programs = fs
	.readdirSync(differentialDir)
	.filter(f => f.endsWith('.c'))
	.sort()
	.map(f => path.join(differentialDir, f));

const expectedPath = (program: string) => program.replace(/\.c$/, '.expected');

describe('differential suite (real Linux as the oracle)', function () {
	this.timeout(120000);

	describe('missingApiReason', () => {
		it('recognises missing headers, functions and identifiers, and nothing else', () => {
			assert.equal(missingApiReason(2, "p.c:3:10: error: 'sys/mman.h' file not found\n"), 'header sys/mman.h not found');
			assert.equal(
				missingApiReason(2, "p.c:9:2: error: undefined reference to 'mmap'\np.c:12:2: error: undefined reference to 'munmap'\np.c:14:2: error: undefined reference to 'mmap'\n"),
				'missing mmap, munmap',
			);
			assert.equal(
				missingApiReason(2, "p.c:9:2: error: implicit declaration of function 'fork'\np.c:10:7: error: 'MAP_FIXED_NOREPLACE' undeclared (first use in this function)\n"),
				'missing fork, MAP_FIXED_NOREPLACE',
			);
			assert.equal(missingApiReason(2, "p.c:9:2: error: undefined reference to 'mmap'\np.c:10:7: error: storage size of 'action' isn't known\n"), undefined);
			assert.equal(missingApiReason(2, "p.c:10:7: error: 'siginfo_t' has no member named 'si_addr'\n"), undefined);
			assert.equal(missingApiReason(2, "p.c:4:1: error: expected ';' before '}' token\n"), undefined);
			assert.equal(missingApiReason(1, "p.c:3:10: error: 'sys/mman.h' file not found\n"), undefined);
			assert.equal(missingApiReason(2, ''), undefined);
			assert.equal(missingApiReason(139, 'faultline: p.c: SIGSEGV: write at 0x0\n'), undefined);
		});
	});

	it('has at least 25 programs, each with its header comment and a well-formed .expected file', () => {
		assert.ok(programs.length >= 25, `only ${programs.length} programs`);
		for (const program of programs) {
			const name = path.basename(program);
			assert.match(fs.readFileSync(program, 'latin1'), /^\/\/ Checks .+\n/, `${name} lacks its one-line header comment`);
			assert.ok(fs.existsSync(expectedPath(program)), `${name} has no .expected file: run node test/differential/update-expected.mjs`);
			const outcome = parseExpected(fs.readFileSync(expectedPath(program)), name);
			const text = outcome.stdout.toString('latin1');
			assert.doesNotMatch(text, /0x[0-9a-f]{6,}|\b[0-9a-f]{12}\b/i, `${name} prints something that looks like an address`);
			if (outcome.status !== 0) {
				assert.match(fs.readFileSync(program, 'latin1').split('\n')[0], /exit status/i, `${name} exits ${outcome.status}; its first line must say so`);
			}
		}
	});

	it('has .expected files that agree with a fresh gcc run on this kernel', async function () {
		if (!haveGcc()) {
			this.skip();
		}
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'faultline-differential-'));
		try {
			const parallel = Math.max(2, os.availableParallelism());
			const fresh = await mapLimited(programs, parallel, async program => runNative(await buildNative(program, dir)));
			const stale = programs.filter((program, i) => !expectedBytes(fresh[i]).equals(fs.readFileSync(expectedPath(program))));
			assert.deepEqual(
				stale.map(p => path.basename(p)),
				[],
				'the committed .expected files disagree with gcc on this kernel: run `node test/differential/update-expected.mjs` (it checks determinism too)',
			);
		} finally {
			fs.rmSync(dir, { recursive: true, force: true });
		}
	});

	describe('under faultline exec', () => {
		for (const program of programs) {
			const name = path.basename(program);
			it(`runs ${name} like Linux`, async function () {
				const want = parseExpected(fs.readFileSync(expectedPath(program)), name);
				const got = await runFaultline(execFile, program);
				const stderr = got.stderr.toString('latin1');
				const reason = missingApiReason(got.status, stderr);
				if (reason !== undefined) {
					this.test!.title += ` (pending: ${reason})`;
					this.skip();
				}
				assert.equal(got.stdout.toString('latin1'), want.stdout.toString('latin1'), `stdout differs; stderr was:\n${stderr}`);
				assert.equal(got.status, want.status, `exit status; stderr was:\n${stderr}`);
			});
		}
	});
});
