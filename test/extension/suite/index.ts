// Mocha entry of the extension-host tests (tier: extension): VS Code (code-server here, a desktop
// VS Code through @vscode/test-electron elsewhere) loads this module from `--extensionTestsPath`
// and calls `run()` inside its extension host. Bundled by test/extension/runTest.ts.

import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export function run(): Promise<void> {
	const mocha = new Mocha({ ui: 'bdd', timeout: 180_000, color: false, reporter: 'spec' });
	mocha.addFile(path.join(__dirname, 'extension.test.js'));
	return new Promise((resolve, reject) => {
		const runner = mocha.run(failures => {
			// The runner (test/extension/runTest.ts) reads the counts from here: the extension host
			// inherits code-server's environment.
			const results = process.env.FAULTLINE_EXTENSION_TEST_RESULTS;
			if (results) fs.writeFileSync(results, JSON.stringify({ passed: runner.stats?.passes ?? 0, failed: runner.stats?.failures ?? failures, pending: runner.stats?.pending ?? 0 }));
			if (failures > 0) reject(new Error(`${failures} extension-host test(s) failed`));
			else resolve();
		});
	});
}
