// Browser end-to-end tests (tier: e2e, run by scripts/test.mjs after `npm run build`): real VS Code
// for the web (code-server, installed by scripts/vscode-offline.sh when missing) with Faultline
// installed as an extension and kc/examples as the workspace, driven through Debian's Chromium by
// playwright-core the way a user would: open hello.kc, press F5, see the session stop with the call
// stack, and the Address Spaces view list the process and its mappings. Screenshots are kept in
// test/e2e/artifacts/. Reports its counts to scripts/test.mjs over IPC (`faultlineTestCounts`).
// Env: VO_DIR (install folder, default $TMPDIR/vscode-offline), E2E_PORT (default 8093).

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type Page } from 'playwright-core';

const root = path.resolve(__dirname, '..', '..');
const voDir = process.env.VO_DIR ?? path.join(os.tmpdir(), 'vscode-offline');
const port = process.env.E2E_PORT ?? '8093';
const recipe = path.join(root, 'scripts', 'vscode-offline.sh');
const env = { ...process.env, VO_DIR: voDir, PORT: port };
const artifacts = path.join(__dirname, 'artifacts');
const workspace = path.join(root, 'kc', 'examples');

interface Check {
	readonly title: string;
	readonly run: (page: Page) => Promise<void>;
}

const CHECKS: readonly Check[] = [
	{
		title: 'the workbench loads with Faultline installed and the examples workspace open',
		run: async page => {
			await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`);
			await page.locator('.monaco-workbench').waitFor({ timeout: 90_000 });
			await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'scenarios' }).first().waitFor({ timeout: 60_000 });
		},
	},
	{
		title: 'hello.kc opens as a KC file (language mode KC)',
		run: async page => {
			await page.keyboard.press('Control+P');
			await page.locator('.quick-input-widget input').waitFor();
			await page.keyboard.type('hello.kc');
			await page.locator('.quick-input-list .monaco-list-row', { hasText: 'hello.kc' }).first().waitFor({ timeout: 30_000 });
			await page.keyboard.press('Enter');
			await page.locator('.tab.active', { hasText: 'hello.kc' }).waitFor({ timeout: 30_000 });
			await page.locator('.statusbar [aria-label="KC"], .statusbar-item', { hasText: /^KC$/ }).first().waitFor({ timeout: 30_000 });
		},
	},
	{
		title: 'F5 without launch.json starts a Faultline session that stops on entry in main',
		run: async page => {
			await page.locator('.activitybar [aria-label^="Run and Debug"]').first().click();
			await page.locator('[id="workbench.view.debug"]').first().waitFor({ timeout: 20_000 });
			await page.locator('.monaco-editor .view-lines').first().click();
			await page.keyboard.press('F5');
			// VS Code may ask which debugger to use when the workspace has no launch.json.
			const picker = page.locator('.quick-input-list .monaco-list-row', { hasText: 'Faultline' }).first();
			if (await picker.isVisible({ timeout: 5_000 }).catch(() => false)) await picker.click();
			await page.locator('.debug-call-stack .monaco-list-row', { hasText: 'main' }).first().waitFor({ timeout: 120_000 });
			await page.screenshot({ path: path.join(artifacts, 'stopped-on-entry.png') });
		},
	},
	{
		title: 'the Address Spaces view lists the process; expanding it shows its mappings',
		run: async page => {
			const view = page.locator('.pane', { hasText: 'Address Spaces' }).first();
			await view.waitFor({ timeout: 30_000 });
			const header = view.locator('.pane-header').first();
			if ((await header.getAttribute('aria-expanded')) === 'false') await header.click();
			const process = view.locator('.monaco-list-row', { hasText: 'pid' }).first();
			await process.waitFor({ timeout: 30_000 });
			await process.click();
			await page.keyboard.press('ArrowRight');
			await view.locator('.monaco-list-row', { hasText: /0x[0-9a-f]+-0x[0-9a-f]+ [r-][w-][x-][ps]/ }).first().waitFor({ timeout: 30_000 });
			await page.screenshot({ path: path.join(artifacts, 'address-spaces.png') });
		},
	},
];

function report(counts: { passed: number; failed: number; pending: number }): void {
	process.send?.({ faultlineTestCounts: counts });
	console.log(`e2e tier: ${counts.passed} passed, ${counts.failed} failed`);
}

async function main(): Promise<number> {
	if (!fs.existsSync(path.join(root, 'dist', 'extension.js'))) {
		console.error('e2e: dist/extension.js is missing: run `npm run build` first');
		report({ passed: 0, failed: CHECKS.length, pending: 0 });
		return 1;
	}
	const installedNow = fs.existsSync(path.join(voDir, 'code-server', 'node_modules', 'code-server', 'out', 'node', 'entry.js')) && fs.existsSync('/usr/bin/chromium');
	if (!installedNow && spawnSync('bash', [recipe, 'install'], { env, stdio: 'inherit' }).status !== 0) {
		console.error('e2e: installing code-server failed');
		report({ passed: 0, failed: CHECKS.length, pending: 0 });
		return 1;
	}
	fs.mkdirSync(artifacts, { recursive: true });
	if (spawnSync('bash', [recipe, 'start', root, workspace], { env, stdio: 'inherit' }).status !== 0) {
		console.error('e2e: code-server did not start');
		report({ passed: 0, failed: CHECKS.length, pending: 0 });
		return 1;
	}
	const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'faultline-e2e-chromium-'));
	let passed = 0;
	let failed = 0;
	try {
		const context = await chromium.launchPersistentContext(profile, {
			executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
			headless: true,
			viewport: { width: 1400, height: 900 },
			args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
		});
		const page = context.pages()[0] ?? await context.newPage();
		let broken = false;
		for (const check of CHECKS) {
			if (broken) {
				console.log(`  - ${check.title} (not run: an earlier step failed)`);
				failed++;
				continue;
			}
			const start = Date.now();
			try {
				await check.run(page);
				passed++;
				console.log(`  ✔ ${check.title} (${Date.now() - start} ms)`);
			} catch (error) {
				failed++;
				broken = true;
				const shot = path.join(artifacts, `failure-${passed + failed}.png`);
				await page.screenshot({ path: shot }).catch(() => undefined);
				console.log(`  ✘ ${check.title}\n    ${error instanceof Error ? error.message.split('\n')[0] : String(error)}\n    screenshot: ${path.relative(root, shot)}`);
			}
		}
		await context.close();
	} finally {
		fs.rmSync(profile, { recursive: true, force: true });
		spawnSync('bash', [recipe, 'stop'], { env, stdio: 'inherit' });
	}
	report({ passed, failed, pending: 0 });
	return failed > 0 ? 1 : 0;
}

main().then(status => process.exit(status), error => {
	console.error(error);
	report({ passed: 0, failed: CHECKS.length, pending: 0 });
	process.exit(1);
});
