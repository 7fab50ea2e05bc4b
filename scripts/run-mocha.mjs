// Runs one mocha test tier in this process and reports its counts to the parent (tooling).
// Started by scripts/test.mjs as `node scripts/run-mocha.mjs <tier.json>`, where the JSON is
// `{ config?: string, spec: string[], grep?: string }` (config: a mocharc JSON file whose `require`,
// `spec`, `ui` and `timeout` are used). Prints mocha's spec reporter output; at the end sends
// `{ faultlineTestCounts: { passed, failed, pending } }` over the IPC channel when there is one.

import Mocha from 'mocha';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';

const tier = JSON.parse(process.argv[2]);
const root = process.cwd();
const config = tier.config ? JSON.parse(fs.readFileSync(path.join(root, tier.config), 'utf8')) : {};
const requireFromRoot = createRequire(path.join(root, 'package.json'));

for (const hook of config.require ?? ['tsx/cjs']) {
	requireFromRoot(hook);
}

const mocha = new Mocha({
	ui: config.ui ?? 'bdd',
	timeout: config.timeout ?? 20000,
	reporter: 'spec',
	color: process.stdout.isTTY,
	...(tier.grep ? { grep: tier.grep } : {}),
});
const specs = tier.spec ?? [].concat(config.spec ?? []);
for (const file of specs.flatMap((spec) => expandGlob(spec)).sort()) {
	mocha.addFile(file);
}

/** Expands a spec such as `test/unit/**\/*.test.ts` (`**`, `*` and `?` supported) relative to the root. */
function expandGlob(spec) {
	const parts = spec.split('/');
	const firstWild = parts.findIndex((part) => /[*?]/.test(part));
	if (firstWild < 0) {
		return fs.existsSync(path.join(root, spec)) ? [path.join(root, spec)] : [];
	}
	const base = path.join(root, ...parts.slice(0, firstWild));
	const pattern = new RegExp('^' + parts.slice(firstWild).join('/')
		.replace(/[.+^${}()|[\]\\]/g, '\\$&')
		.replace(/\*\*\//g, '\u0000')
		.replace(/\*/g, '[^/]*')
		.replace(/\?/g, '[^/]')
		.replace(/\u0000/g, '(?:.*/)?') + '$');
	if (!fs.existsSync(base)) {
		return [];
	}
	return fs.readdirSync(base, { recursive: true })
		.map((relative) => relative.split(path.sep).join('/'))
		.filter((relative) => pattern.test(relative))
		.map((relative) => path.join(base, relative));
}

let counts = { passed: 0, failed: 0, pending: 0 };
try {
	await mocha.loadFilesAsync();
	const runner = mocha.run();
	await new Promise((resolve) => runner.on('end', resolve));
	const stats = runner.stats ?? {};
	counts = { passed: stats.passes ?? 0, failed: stats.failures ?? 0, pending: stats.pending ?? 0 };
} catch (error) {
	// A test file that fails to load is one failure, reported with its stack.
	console.error(error instanceof Error ? error.stack : error);
	counts = { passed: 0, failed: 1, pending: 0 };
}
process.exitCode = counts.failed > 0 ? 1 : 0;
if (process.send) {
	process.send({ faultlineTestCounts: counts });
}
