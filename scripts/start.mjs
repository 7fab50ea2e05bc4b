// `npm start` (tooling): until the VS Code extension exists, builds the bundles and runs the example
// program kc/examples/hello.kc headless through the CLI (`bin/faultline exec`). The program's output
// goes to stdout untouched; this script's own messages go to stderr. Exits with the program's status.

import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from './build.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const example = path.join('kc', 'examples', 'hello.kc');

if (!(await build())) {
	console.error('start: the build failed (see above)');
	process.exit(1);
}
console.error(`start: faultline exec ${example}`);
const result = spawnSync(process.execPath, [path.join(root, 'bin', 'faultline'), 'exec', example], { cwd: root, stdio: 'inherit' });
if (result.error) {
	console.error(`start: ${result.error.message}`);
	process.exit(1);
}
process.exit(result.status ?? 128);
