// Tests of `faultline` command dispatch and the KC root lookup (layer: cli): src/cli/commands.ts
// and src/cli/paths.ts. execFile is replaced by a recorder here because this only checks wiring;
// the real program runs are tested end to end against bin/faultline.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type CliServices, runCli } from '../../../src/cli/commands';
import type { RunScenarioOptions } from '../../../src/sim/run';
import { findKcRoot, kcRoot } from '../../../src/cli/paths';

type ExecOptions = Parameters<CliServices['execFile']>[0];

interface Run {
	status: number;
	stdout: string;
	stderr: string;
	execCalls: ExecOptions[];
	runCalls: RunScenarioOptions[];
	traceLines: string[];
}

async function run(argv: string[], execStatus = 0): Promise<Run> {
	const decoder = new TextDecoder();
	const result: Run = { status: -1, stdout: '', stderr: '', execCalls: [], runCalls: [], traceLines: [] };
	result.status = await runCli(argv, {
		stdout: (bytes) => { result.stdout += decoder.decode(bytes); },
		stderr: (bytes) => { result.stderr += decoder.decode(bytes); },
	}, {
		execFile: (options) => {
			result.execCalls.push(options);
			options.stdout(new Uint8Array([0x68, 0x69, 0x0a]));
			return execStatus;
		},
		runScenario: (options) => {
			result.runCalls.push(options);
			options.trace?.('{"kind":"fault"}');
			options.report('expectation failed\n');
			return execStatus;
		},
		openTrace: (file) => (file === '/no/such/dir/t.jsonl' ? 'cannot write the trace file' : { write: line => result.traceLines.push(line), close: () => undefined }),
		kcRoot: () => '/opt/faultline/kc',
		version: '9.8.7',
	});
	return result;
}

describe('cli: runCli', () => {
	it('runs exec with the file, arguments, profile and KC root, returning the program status', async () => {
		const result = await run(['exec', '--profile', 'linux-6.8', 'p.kc', '--', 'a', 'b'], 139);
		assert.equal(result.status, 139);
		assert.equal(result.stdout, 'hi\n');
		assert.equal(result.execCalls.length, 1);
		const call = result.execCalls[0];
		assert.deepEqual([call.file, call.args, call.profile, call.kcRoot], ['p.kc', ['a', 'b'], 'linux-6.8', '/opt/faultline/kc']);
	});

	it('leaves the profile out when none is given', async () => {
		const result = await run(['exec', 'p.kc']);
		assert.equal(result.status, 0);
		assert.equal('profile' in result.execCalls[0], false);
	});

	it('reports usage errors on stderr with status 2', async () => {
		const result = await run(['exec']);
		assert.equal(result.status, 2);
		assert.equal(result.stdout, '');
		assert.equal(result.stderr, 'faultline: exec needs a FILE.kc\nusage: faultline exec [--profile P] FILE.kc [-- ARGS...]\n');
		assert.equal(result.execCalls.length, 0);
	});

	it('runs a scenario with seed, profile and trace, returning its status and writing the trace', async () => {
		const result = await run(['run', 's.json', '--seed', '7', '--profile', 'linux-2.6.18', '--trace', 't.jsonl'], 1);
		assert.equal(result.status, 1);
		const call = result.runCalls[0];
		assert.deepEqual([call.file, call.seed, call.profile, call.kcRoot], ['s.json', 7, 'linux-2.6.18', '/opt/faultline/kc']);
		assert.deepEqual(result.traceLines, ['{"kind":"fault"}']);
		assert.equal(result.stderr, 'expectation failed\n');
	});

	it('refuses a trace file it cannot open with status 2, before running', async () => {
		const result = await run(['run', 's.json', '--trace', '/no/such/dir/t.jsonl']);
		assert.equal(result.status, 2);
		assert.equal(result.runCalls.length, 0);
	});

	// `faultline dap` and `faultline lsp --stdio` are tested end to end over stdio in test/dap and test/lsp.

	it('prints help and version on stdout with status 0', async () => {
		const help = await run(['--help']);
		assert.equal(help.status, 0);
		assert.match(help.stdout, /^usage: faultline <command>/);
		const version = await run(['--version']);
		assert.deepEqual([version.status, version.stdout, version.stderr], [0, 'faultline 9.8.7\n', '']);
	});
});

describe('cli: findKcRoot', () => {
	let root: string;

	before(() => {
		root = fs.mkdtempSync(path.join(os.tmpdir(), 'faultline-paths-'));
		fs.mkdirSync(path.join(root, 'kc', 'include'), { recursive: true });
		fs.mkdirSync(path.join(root, 'dist'));
		fs.mkdirSync(path.join(root, 'src', 'cli'), { recursive: true });
	});

	after(() => {
		fs.rmSync(root, { recursive: true, force: true });
	});

	it('finds kc/ from dist/ (bundled) and from src/cli/ (source)', () => {
		assert.equal(findKcRoot(path.join(root, 'dist')), path.join(root, 'kc'));
		assert.equal(findKcRoot(path.join(root, 'src', 'cli')), path.join(root, 'kc'));
	});

	it('returns undefined when there is no kc/include above', () => {
		assert.equal(findKcRoot(os.tmpdir()), undefined);
	});

	it('names a kc/ folder for this checkout', () => {
		assert.equal(path.basename(kcRoot()), 'kc');
	});
});
