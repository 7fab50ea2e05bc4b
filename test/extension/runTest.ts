// Runner of the extension-host tier (tier: extension, run by scripts/test.mjs after `npm run build`):
// installs real VS Code for the web (code-server, with Node 24 from npm, and Debian's Chromium) when
// missing, through the vendored recipe scripts/vscode-offline.sh, bundles the Mocha suite in
// test/extension/suite, and runs it inside code-server's extension host with this repository as
// the development extension and kc/examples as the workspace. Reports its counts to scripts/test.mjs
// over IPC (`faultlineTestCounts`). Env: VO_DIR (install folder, default $TMPDIR/vscode-offline).

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as esbuild from 'esbuild';

const root = path.resolve(__dirname, '..', '..');
const voDir = process.env.VO_DIR ?? path.join(os.tmpdir(), 'vscode-offline');
const recipe = path.join(root, 'scripts', 'vscode-offline.sh');
const env = { ...process.env, VO_DIR: voDir };

function report(counts: { passed: number; failed: number; pending: number }): void {
	process.send?.({ faultlineTestCounts: counts });
	console.log(`extension tier: ${counts.passed} passed, ${counts.failed} failed${counts.pending ? `, ${counts.pending} pending` : ''}`);
}

function fail(message: string): never {
	console.error(`extension tier: ${message}`);
	report({ passed: 0, failed: 1, pending: 0 });
	process.exit(1);
}

function installed(): boolean {
	return fs.existsSync(path.join(voDir, 'bin', 'code-web-test'))
		&& fs.existsSync(path.join(voDir, 'code-server', 'node_modules', 'code-server', 'out', 'node', 'entry.js'))
		&& fs.existsSync('/usr/bin/chromium');
}

async function main(): Promise<void> {
	if (!fs.existsSync(path.join(root, 'dist', 'extension.js'))) fail('dist/extension.js is missing: run `npm run build` first');
	if (!installed()) {
		console.log(`extension tier: installing code-server, Node 24 and Chromium into ${voDir} (a few minutes, once)`);
		const install = spawnSync('bash', [recipe, 'install'], { env, stdio: 'inherit' });
		if (install.status !== 0 || !installed()) fail('installing code-server failed (see above)');
	}
	const out = path.join(root, '.test-dist', 'extension');
	fs.rmSync(out, { recursive: true, force: true });
	await esbuild.build({
		entryPoints: [path.join(__dirname, 'suite', 'index.ts'), path.join(__dirname, 'suite', 'extension.test.ts')],
		outdir: out,
		bundle: true,
		platform: 'node',
		format: 'cjs',
		target: 'node20',
		external: ['vscode', 'mocha'],
		sourcemap: 'inline',
		logLevel: 'warning',
	});
	const results = path.join(out, 'results.json');
	const workspace = path.join(root, 'kc', 'examples');
	const run = spawnSync('bash', [recipe, 'test', root, path.join(out, 'index.js'), workspace], {
		env: { ...env, FAULTLINE_EXTENSION_TEST_RESULTS: results, TEST_TIMEOUT_MS: '900000' },
		stdio: 'inherit',
	});
	if (!fs.existsSync(results)) fail(`the tests did not report (exit ${run.status}); see the log above`);
	const counts = JSON.parse(fs.readFileSync(results, 'utf8')) as { passed: number; failed: number; pending: number };
	report(counts);
	process.exit(counts.failed > 0 || run.status !== 0 ? 1 : 0);
}

main().catch(error => fail(error instanceof Error ? error.stack ?? error.message : String(error)));
