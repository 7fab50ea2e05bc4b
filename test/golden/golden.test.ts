// Golden tests (tier: golden): the built CLI (`bin/faultline`, after `npm run build`) runs shipped
// examples and scenarios, and what it prints and traces must equal the checked-in files under
// test/golden/expected byte for byte. Each trace is produced twice in separate processes, so the tier
// also checks issue 3's determinism acceptance ("a scenario run twice with one seed gives
// byte-identical traces").
//
// When a change to the kernel sources or the simulator changes an expected file on purpose (kernel
// line numbers appear in the traces' `site` fields), regenerate and review the diff:
//   FAULTLINE_UPDATE_GOLDEN=1 npx mocha --require tsx/cjs --extension ts test/golden/golden.test.ts

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..', '..');
const cli = path.join(root, 'bin', 'faultline');
const expectedDir = path.join(__dirname, 'expected');
const update = process.env.FAULTLINE_UPDATE_GOLDEN === '1';

/** One golden case: a CLI command and the files its outcome is compared with. */
interface GoldenCase {
	/** File stem under test/golden/expected. */
	readonly name: string;
	/** What the case shows (the test title). */
	readonly title: string;
	/** Arguments after `faultline` (paths relative to the repository). */
	readonly args: readonly string[];
	/** The exit status the command must have. */
	readonly status: number;
	/** Whether the command writes a `--trace` file that is compared too (and run twice). */
	readonly trace: boolean;
}

const scenarios = 'kc/examples/scenarios';

const CASES: readonly GoldenCase[] = [
	{ name: 'exec-hello', title: 'faultline exec kc/examples/hello.kc prints what gcc would', args: ['exec', 'kc/examples/hello.kc'], status: 0, trace: false },
	{ name: 'run-fork-cow-6.8', title: 'fork-cow on linux-6.8: COW faults and PTE installs (kernel-semantics.md 2.5)', args: ['run', `${scenarios}/fork-cow/fork-cow.json`, '--profile', 'linux-6.8'], status: 0, trace: true },
	{ name: 'run-fork-cow-2.6.18', title: 'fork-cow on linux-2.6.18: the same program through the era A fault path (2.1)', args: ['run', `${scenarios}/fork-cow/fork-cow.json`, '--profile', 'linux-2.6.18'], status: 0, trace: true },
	{ name: 'run-lost-update', title: 'lost-update: the explicit schedule loses one increment', args: ['run', `${scenarios}/lost-update/lost-update.json`], status: 0, trace: true },
	{ name: 'run-threads-same-page-seed-1', title: 'threads-same-page with seed 1: one interleaving of the fault race', args: ['run', `${scenarios}/threads-same-page/threads-same-page.json`, '--seed', '1'], status: 0, trace: true },
	{ name: 'run-threads-same-page-seed-7', title: 'threads-same-page with seed 7: another interleaving, same accounting', args: ['run', `${scenarios}/threads-same-page/threads-same-page.json`, '--seed', '7'], status: 0, trace: true },
	{ name: 'run-dmabuf-vcam-6.8', title: 'dmabuf-vcam on linux-6.8: stale read, SYNC invalidate and clean (scenario 8, seed 004)', args: ['run', `${scenarios}/dmabuf-vcam/dmabuf-vcam.json`], status: 0, trace: true },
	{ name: 'run-devmem-revoke-6.8', title: 'devmem-revoke on linux-6.8: revoke_iomem zaps the /dev/mem PTE, SIGBUS (scenario 11)', args: ['run', `${scenarios}/devmem-revoke/devmem-revoke.json`, '--profile', 'linux-6.8'], status: 0, trace: true },
	{ name: 'run-spu-ls-backing-6.8', title: 'spu-ls-backing on linux-6.8: LS PTE zapped and refaulted into the saved copy (scenario 2, seed 001)', args: ['run', `${scenarios}/spu-ls-backing/spu-ls-backing.json`, '--profile', 'linux-6.8'], status: 0, trace: true },
];

/** Runs the CLI; returns its status, stdout, stderr and trace text (when asked for). */
function runCli(args: readonly string[], trace: boolean): { status: number | null; stdout: string; stderr: string; trace?: string } {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'faultline-golden-'));
	try {
		const traceFile = path.join(dir, 'trace.jsonl');
		const result = spawnSync(process.execPath, [cli, ...args, ...(trace ? ['--trace', traceFile] : [])], {
			cwd: root,
			encoding: 'utf8',
			maxBuffer: 64 << 20,
		});
		if (result.error) throw result.error;
		return {
			status: result.status,
			stdout: result.stdout,
			stderr: result.stderr,
			...(trace ? { trace: fs.existsSync(traceFile) ? fs.readFileSync(traceFile, 'utf8') : '' } : {}),
		};
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
}

/** Compares `actual` with the expected file (or writes it when updating). */
function checkGolden(file: string, actual: string): void {
	const full = path.join(expectedDir, file);
	if (update) {
		fs.mkdirSync(expectedDir, { recursive: true });
		fs.writeFileSync(full, actual);
		return;
	}
	assert.ok(fs.existsSync(full), `missing golden file test/golden/expected/${file} (run with FAULTLINE_UPDATE_GOLDEN=1 to create it)`);
	const expected = fs.readFileSync(full, 'utf8');
	if (actual === expected) return;
	// Name the first differing line: traces are long.
	const a = actual.split('\n');
	const e = expected.split('\n');
	let line = 0;
	while (line < a.length && line < e.length && a[line] === e[line]) line++;
	assert.fail(`test/golden/expected/${file} differs at line ${line + 1}:\n  expected: ${e[line] ?? '<end of file>'}\n  actual:   ${a[line] ?? '<end of file>'}\n(if the change is intended, regenerate with FAULTLINE_UPDATE_GOLDEN=1 and review the diff)`);
}

describe('golden: CLI output and kernel event traces', function () {
	this.timeout(180_000);

	before(function () {
		if (!fs.existsSync(path.join(root, 'dist', 'cli.js'))) throw new Error('dist/cli.js is missing: run `npm run build` first (npm test does)');
	});

	for (const golden of CASES) {
		it(golden.title, function () {
			const first = runCli(golden.args, golden.trace);
			assert.equal(first.status, golden.status, `faultline ${golden.args.join(' ')} exited ${first.status}; stderr:\n${first.stderr}`);
			if (!golden.trace) {
				checkGolden(`${golden.name}.stdout`, first.stdout);
				return;
			}
			// `faultline run` is silent when every expectation holds (its report goes to stderr otherwise).
			assert.equal(first.stdout, '', 'faultline run printed on stdout');
			assert.ok((first.trace ?? '').length > 0, 'the trace file is empty');
			checkGolden(`${golden.name}.trace.jsonl`, first.trace ?? '');
			// Determinism: a second process with the same arguments writes the same bytes.
			const second = runCli(golden.args, true);
			assert.equal(second.stdout, first.stdout, 'a second run printed something else');
			assert.ok(second.trace === first.trace, 'a second run with the same seed wrote a different trace');
		});
	}
});
