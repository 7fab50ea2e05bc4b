// `npm test` (tooling): runs every test tier that exists, in order, and ends with the plain line
// `N passed, N failed`. Exit status is non-zero when anything failed.
//
//   npm test                      every tier
//   npm test -- --tier unit       only the named tier(s) (repeat, or separate with commas)
//   npm test -- --grep TEXT       only tests whose full title matches TEXT (mocha-style tiers;
//                                 without --tier this skips the typecheck and lint tiers)
//
// A tier is one entry in `tiers` below:
// - `command` tiers (typecheck, lint) count as one test each: passed when the command exits 0;
// - `mocha` tiers run scripts/run-mocha.mjs over their spec files in a child process;
// - `script` tiers run a Node script (via tsx) that may report its own counts by calling
//   `process.send({ faultlineTestCounts: { passed, failed, pending } })`; without it they count as
//   one test decided by the exit status.
// A tier with a `folder` that does not exist is skipped and listed as such. Tiers that set
// `needsBuild` run after one `npm run build`, which then counts as one test too.

import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The tiers, in the order they run. */
const tiers = [
	{ name: 'typecheck', kind: 'command', command: ['npm', 'run', '--silent', 'typecheck'] },
	{ name: 'lint', kind: 'command', command: ['npm', 'run', '--silent', 'lint'] },
	{ name: 'unit', kind: 'mocha', folder: 'test/unit', config: 'test/.mocharc.unit.json' },
	{ name: 'golden', kind: 'mocha', folder: 'test/golden', spec: ['test/golden/**/*.test.ts'], needsBuild: true },
	{ name: 'dap', kind: 'mocha', folder: 'test/dap', spec: ['test/dap/**/*.test.ts'], needsBuild: true },
	{ name: 'lsp', kind: 'mocha', folder: 'test/lsp', spec: ['test/lsp/**/*.test.ts'], needsBuild: true },
	{ name: 'extension', kind: 'script', folder: 'test/extension', script: 'test/extension/runTest.ts', needsBuild: true },
	{ name: 'e2e', kind: 'script', folder: 'test/e2e', script: 'test/e2e/runTest.ts', needsBuild: true },
];

/** Parses `--tier NAME[,NAME]` (repeatable) and `--grep TEXT`, also in `--name=value` form. */
function parseOptions(argv) {
	const selected = [];
	let grep;
	for (let i = 0; i < argv.length; i++) {
		const [flag, inline] = argv[i].startsWith('--') && argv[i].includes('=')
			? [argv[i].slice(0, argv[i].indexOf('=')), argv[i].slice(argv[i].indexOf('=') + 1)]
			: [argv[i], undefined];
		const value = () => inline ?? argv[++i];
		if (flag === '--tier') {
			selected.push(...(value() ?? '').split(',').filter(Boolean));
		} else if (flag === '--grep') {
			grep = value();
		} else {
			fail(`unknown argument '${argv[i]}' (use --tier NAME and --grep TEXT)`);
		}
	}
	for (const name of selected) {
		if (!tiers.some((tier) => tier.name === name)) {
			fail(`unknown tier '${name}'; tiers: ${tiers.map((tier) => tier.name).join(', ')}`);
		}
	}
	if (grep === '') {
		fail('--grep needs a value');
	}
	return { selected, grep };
}

function fail(message) {
	console.error(`test: ${message}`);
	console.log('0 passed, 1 failed');
	process.exit(2);
}

/**
 * Runs a child process with inherited output. Resolves with its exit status and the counts it sent
 * over IPC, if any.
 */
function runChild(command, args, extraEnv = {}) {
	return new Promise((resolve) => {
		let counts;
		const child = spawn(command, args, {
			cwd: root,
			stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
			env: { ...process.env, ...extraEnv },
		});
		child.on('message', (message) => {
			if (message && typeof message === 'object' && message.faultlineTestCounts) {
				counts = message.faultlineTestCounts;
			}
		});
		child.on('error', (error) => {
			console.error(`test: cannot start ${command}: ${error.message}`);
			resolve({ status: 127, counts });
		});
		child.on('close', (code, signal) => resolve({ status: code ?? (signal ? 128 : 1), counts }));
	});
}

/** Turns a child's result into counts: its own when it reported them, else one test by exit status. */
function countsOf({ status, counts }) {
	if (counts) {
		// A child that reported no failures but still exited non-zero (a crash after reporting) failed once more.
		const failed = counts.failed + (status !== 0 && counts.failed === 0 ? 1 : 0);
		return { passed: counts.passed, failed, pending: counts.pending ?? 0 };
	}
	return status === 0 ? { passed: 1, failed: 0, pending: 0 } : { passed: 0, failed: 1, pending: 0 };
}

async function runTier(tier, grep) {
	switch (tier.kind) {
		case 'command':
			return countsOf(await runChild(tier.command[0], tier.command.slice(1)));
		case 'mocha': {
			const spec = { config: tier.config, spec: tier.spec, grep };
			return countsOf(await runChild(process.execPath, [heapOption(), path.join(root, 'scripts', 'run-mocha.mjs'), JSON.stringify(spec)]));
		}
		case 'script': {
			if (!fs.existsSync(path.join(root, tier.script))) {
				console.error(`test: ${tier.name}: ${tier.script} does not exist`);
				return { passed: 0, failed: 1, pending: 0 };
			}
			return countsOf(await runChild(process.execPath, ['--import', 'tsx', tier.script], grep ? { FAULTLINE_TEST_GREP: grep } : {}));
		}
	}
	throw new Error(`unknown tier kind ${tier.kind}`);
}

/**
 * A heap limit for test processes: the unit tier boots many kernels (profiles and scenario
 * configurations), more than Node's default ~4 GiB holds. Three quarters of the machine's memory,
 * at most 12 GiB.
 */
function heapOption() {
	const mib = Math.min(12 * 1024, Math.floor((os.totalmem() / (1024 * 1024)) * 0.75));
	return `--max-old-space-size=${mib}`;
}

function seconds(start) {
	return `${((Date.now() - start) / 1000).toFixed(1)}s`;
}

function describeCounts(counts) {
	return `${counts.passed} passed, ${counts.failed} failed${counts.pending ? `, ${counts.pending} pending` : ''}`;
}

async function main() {
	const { selected, grep } = parseOptions(process.argv.slice(2));
	const wanted = tiers.filter((tier) => selected.length > 0
		? selected.includes(tier.name)
		: !(grep !== undefined && tier.kind === 'command'));
	const summary = [];
	const total = { passed: 0, failed: 0, pending: 0 };
	const add = (name, counts, time) => {
		total.passed += counts.passed;
		total.failed += counts.failed;
		total.pending += counts.pending ?? 0;
		summary.push(`${name.padEnd(10)} ${describeCounts(counts)} (${time})`);
		console.log(`\n== ${name}: ${describeCounts(counts)} (${time})\n`);
	};

	const present = wanted.filter((tier) => !tier.folder || fs.existsSync(path.join(root, tier.folder)));
	let built;
	for (const tier of wanted) {
		if (!present.includes(tier)) {
			summary.push(`${tier.name.padEnd(10)} skipped (${tier.folder}/ does not exist)`);
			continue;
		}
		if (tier.needsBuild && built === undefined) {
			console.log('\n== build: npm run build\n');
			const start = Date.now();
			const counts = countsOf(await runChild('npm', ['run', '--silent', 'build']));
			built = counts.failed === 0;
			add('build', counts, seconds(start));
		}
		if (tier.needsBuild && !built) {
			summary.push(`${tier.name.padEnd(10)} not run (the build failed)`);
			continue;
		}
		console.log(`\n== ${tier.name}\n`);
		const start = Date.now();
		add(tier.name, await runTier(tier, grep), seconds(start));
	}

	console.log('Summary:');
	for (const line of summary) {
		console.log(`  ${line}`);
	}
	process.exitCode = total.failed > 0 ? 1 : 0;
	// The closing line CI reads: pending tests (waiting on parts not built yet) are shown as skipped.
	console.log(`${total.passed} passed, ${total.failed} failed${total.pending ? `, ${total.pending} skipped` : ''}`);
}

await main();
