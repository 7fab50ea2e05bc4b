// Tests the layering rules of eslint.config.mjs by linting in-memory snippets as if they lived in
// a given folder of src/ (tooling). The files need not exist: ESLint only uses the path to pick rules.

import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { ESLint } from 'eslint';

const repoRoot = path.resolve(__dirname, '..', '..', '..');

describe('lint: layering rules', function () {
	// Loading typescript-eslint takes a moment the first time.
	this.timeout(30000);
	let eslint: ESLint;

	before(() => {
		eslint = new ESLint({ cwd: repoRoot });
	});

	/** Lints `code` as the file `file` (relative to the repo root) and returns the ids of the rules that fired. */
	async function ruleIds(file: string, code: string): Promise<string[]> {
		const [result] = await eslint.lintText(code, { filePath: path.join(repoRoot, file) });
		return result.messages.map((m) => m.ruleId ?? `fatal: ${m.message}`);
	}

	const restricted = '@typescript-eslint/no-restricted-imports';

	const violations: [file: string, code: string, rule: string][] = [
		['src/lang/x.ts', `import { FlatLayout } from '../interp/contracts';\nexport const a = FlatLayout;\n`, restricted],
		['src/lang/x.ts', `import type { MemoryBus } from '../interp/contracts';\nexport type A = MemoryBus;\n`, restricted],
		['src/lang/x.ts', `import * as fs from 'node:fs';\nexport const a = fs;\n`, restricted],
		['src/lang/x.ts', `import * as fs from 'fs';\nexport const a = fs;\n`, restricted],
		['src/lang/pre/x.ts', `export * from '../../sim/exec';\n`, restricted],
		['src/base/x.ts', `import { a } from '../lang/lexer';\nexport const b = a;\n`, restricted],
		['src/interp/x.ts', `import { a } from '../kernel/mm';\nexport const b = a;\n`, restricted],
		['src/kernel/mm/x.ts', `import { a } from '../../sim/simulation';\nexport const b = a;\n`, restricted],
		['src/sim/x.ts', `import * as vscode from 'vscode';\nexport const a = vscode;\n`, restricted],
		['src/sim/x.ts', `import { a } from '../debugAdapter/session';\nexport const b = a;\n`, restricted],
		['src/debugAdapter/x.ts', `import { parse } from '../lang/parser';\nexport const a = parse;\n`, restricted],
		['src/debugAdapter/x.ts', `import { a } from '../interp/cpu';\nexport const b = a;\n`, restricted],
		['src/languageServer/x.ts', `import { a } from '../sim/simulation';\nexport const b = a;\n`, restricted],
		['src/extension/x.ts', `import { a } from '../sim/simulation';\nexport const b = a;\n`, restricted],
		['src/cli/x.ts', `import { a } from '../extension/extension';\nexport const b = a;\n`, restricted],
		['src/shared/x.ts', `import { a } from '../lang/ast';\nexport const b = a;\n`, restricted],
		['src/interp/x.ts', `export const a = Math.random();\n`, 'no-restricted-properties'],
		['src/kernel/x.ts', `export const a = Date.now();\n`, 'no-restricted-globals'],
		['src/interp/x.ts', `setTimeout(() => 0, 1);\n`, 'no-restricted-globals'],
	];
	for (const [file, code, rule] of violations) {
		it(`reports ${rule} in ${file}: ${code.split('\n')[0]}`, async () => {
			assert.deepEqual(await ruleIds(file, code), [rule]);
		});
	}

	const allowed: [file: string, code: string][] = [
		['src/lang/x.ts', `import { a } from '../base/bits';\nimport { b } from './source';\nexport const c = a + b;\n`],
		['src/lang/pre/x.ts', `import { a } from '../source';\nimport { b } from '../../base/bits';\nexport const c = a + b;\n`],
		['src/interp/x.ts', `import { a } from '../lang/types';\nexport const b = a;\n`],
		['src/kernel/x.ts', `import { a } from '../interp/contracts';\nexport const b = a;\n`],
		['src/sim/x.ts', `import * as fs from 'node:fs';\nimport { a } from '../kernel/mm';\nimport { b } from '../shared/dto';\nexport const c = [fs, a, b];\n`],
		['src/debugAdapter/x.ts', `import type { Diagnostic } from '../lang/source';\nimport { a } from '../sim/simulation';\nexport const b: Diagnostic | typeof a = a;\n`],
		['src/extension/x.ts', `import * as vscode from 'vscode';\nimport { a } from '../shared/ids';\nexport const b = [vscode, a];\n`],
		['src/cli/x.ts', `import { execFile } from '../sim/exec';\nimport { c } from '../debugAdapter/main';\nexport const b = [execFile, c];\n`],
		['test/unit/x.test.ts', `import { a } from '../../src/interp/contracts';\nimport * as fs from 'node:fs';\nexport const b = [a, fs, Date.now()];\n`],
	];
	for (const [file, code] of allowed) {
		it(`allows in ${file}: ${code.split('\n')[0]}`, async () => {
			assert.deepEqual(await ruleIds(file, code), []);
		});
	}
});
