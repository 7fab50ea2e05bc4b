// `npm start` (tooling): opens Faultline in real VS Code in the browser. Builds dist/, installs
// code-server (VS Code 1.139 for the web, on Node 24 from npm) and Debian's Chromium when missing
// (scripts/vscode-offline.sh install, a few minutes once), starts code-server with this repository
// as an installed extension and kc/examples as the workspace, prints the URL and keeps running
// until Ctrl-C (which stops the server).
//
//   npm start                      VS Code at http://127.0.0.1:8080/ (PORT=N to change)
//   npm start -- --headless        no VS Code: run kc/examples/hello.kc through `faultline exec`
//
// Env: VO_DIR (install folder, default $TMPDIR/vscode-offline), PORT (default 8080).

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from './build.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const recipe = path.join(root, 'scripts', 'vscode-offline.sh');
const voDir = process.env.VO_DIR ?? path.join(os.tmpdir(), 'vscode-offline');
const port = process.env.PORT ?? '8080';
const env = { ...process.env, VO_DIR: voDir, PORT: port };

if (!(await build())) {
	console.error('start: the build failed (see above)');
	process.exit(1);
}

if (process.argv.includes('--headless')) {
	const example = path.join('kc', 'examples', 'hello.kc');
	console.error(`start: faultline exec ${example}`);
	const result = spawnSync(process.execPath, [path.join(root, 'bin', 'faultline'), 'exec', example], { cwd: root, stdio: 'inherit' });
	process.exit(result.status ?? 1);
}

const installed = fs.existsSync(path.join(voDir, 'code-server', 'node_modules', 'code-server', 'out', 'node', 'entry.js')) && fs.existsSync('/usr/bin/chromium');
if (!installed) {
	console.error(`start: installing code-server and Node 24 into ${voDir} (a few minutes, once)`);
	const install = spawnSync('bash', [recipe, 'install'], { env, stdio: 'inherit' });
	if (install.status !== 0) {
		console.error('start: the install failed; `npm start -- --headless` runs the CLI demo instead');
		process.exit(1);
	}
}
const workspace = path.join(root, 'kc', 'examples');
const started = spawnSync('bash', [recipe, 'start', root, workspace], { env, stdio: 'inherit' });
if (started.status !== 0) {
	console.error('start: code-server did not start (see above)');
	process.exit(1);
}
const url = `http://127.0.0.1:${port}/?folder=${workspace}`;
console.log(`\nFaultline is running in VS Code: ${url}\nOpen a scenario under scenarios/ (or hello.kc) and press F5. Ctrl-C stops the server.\n`);
const stop = () => {
	spawnSync('bash', [recipe, 'stop'], { env, stdio: 'inherit' });
	process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
// Stay alive until a signal (the server runs detached; a pending promise alone would not keep Node up).
globalThis.setInterval(() => undefined, 1 << 30);
