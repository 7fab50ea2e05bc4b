// ESLint flat config (tooling). typescript-eslint's recommended rules without type information (fast),
// plus the layering rules that keep src/ one-way: each folder of src/ may import only the folders
// listed in `layers` below. test/unit/lint/layers.test.ts checks that these rules really fire.
//
// Flat-config blocks do not merge the options of one rule, so every layer gets exactly one block
// listing everything it may not import.

import { builtinModules } from 'node:module';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

/**
 * What each folder of src/ may import. `allowed` are other src/ folders; `typesOnly` may be imported
 * with `import type` only; `vscode` and `node` say whether the `vscode` module and Node built-ins are
 * allowed; `deterministic` forbids the host's clocks, timers, randomness and `process` as globals.
 */
const layers = {
	base: { allowed: [], node: false, deterministic: true },
	lang: { allowed: ['base'], node: false, deterministic: true },
	interp: { allowed: ['base', 'lang'], node: false, deterministic: true },
	kernel: { allowed: ['base', 'lang', 'interp'], node: false, deterministic: true },
	sim: { allowed: ['base', 'lang', 'interp', 'kernel', 'shared'], node: true },
	debugAdapter: { allowed: ['base', 'shared', 'sim'], typesOnly: ['lang'], node: true },
	languageServer: { allowed: ['base', 'shared', 'lang'], node: true },
	extension: { allowed: ['base', 'shared'], node: true, vscode: true },
	cli: { allowed: ['base', 'lang', 'interp', 'kernel', 'sim', 'shared', 'debugAdapter', 'languageServer'], node: true },
	shared: { allowed: ['base'], node: false },
	webview: { allowed: ['base', 'shared'], node: false },
};

const folders = Object.keys(layers);

/** Matches a relative import that climbs out of the current folder into src/<folder>. */
function folderImport(folder) {
	return `^(\\./)?(\\.\\./)+${folder}(/|$)`;
}

const nodeBuiltins = `^(node:.*|(${builtinModules.filter((m) => !m.startsWith('_')).join('|')})(/.*)?)$`;

function layerBlock(folder, layer) {
	const allowedText = layer.allowed.length > 0 ? layer.allowed.join(', ') : 'nothing of ours';
	const patterns = [];
	for (const other of folders) {
		if (other === folder || layer.allowed.includes(other)) {
			continue;
		}
		const typesOnly = (layer.typesOnly ?? []).includes(other);
		patterns.push({
			regex: folderImport(other),
			caseSensitive: true,
			allowTypeImports: typesOnly,
			message: `src/${folder} may import only ${allowedText}${typesOnly ? ` (and types from ${other})` : ''}; see src/ARCHITECTURE.md.`,
		});
	}
	if (!layer.node) {
		patterns.push({
			regex: nodeBuiltins,
			caseSensitive: true,
			message: `src/${folder} must not use Node built-ins: it runs anywhere and never reaches the host.`,
		});
	}
	const paths = layer.vscode ? [] : [{
		name: 'vscode',
		message: 'Only src/extension may import vscode.',
	}];
	const rules = { '@typescript-eslint/no-restricted-imports': ['error', { paths, patterns }] };
	if (layer.deterministic) {
		const message = `src/${folder} is deterministic and host-free: no clocks, timers, randomness or process.`;
		rules['no-restricted-globals'] = ['error',
			...['Date', 'setTimeout', 'setInterval', 'setImmediate', 'performance', 'process'].map((name) => ({ name, message })),
		];
		rules['no-restricted-properties'] = ['error', { object: 'Math', property: 'random', message }];
	}
	return { files: [`src/${folder}/**/*.ts`], rules };
}

/** Globals that Node scripts (scripts/*.mjs) use. */
const nodeGlobals = Object.fromEntries(
	['process', 'console', 'Buffer', 'URL', 'setTimeout', 'clearTimeout', 'setImmediate', 'TextEncoder', 'TextDecoder']
		.map((name) => [name, 'readonly']),
);

export default defineConfig(
	{ ignores: ['dist/**', 'out/**', 'node_modules/**', '.bench/**', 'kc/**', 'test-results/**', 'tmp/**'] },
	tseslint.configs.recommended,
	{
		rules: {
			'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
			'eqeqeq': ['error', 'always', { null: 'ignore' }],
			// Walking a parent chain starts from `this` (`for (let s = this; s; s = s.parent)`);
			// the `const self = this` idiom the rule targets is already gone with arrow functions.
			'@typescript-eslint/no-this-alias': 'off',
		},
	},
	{
		files: ['**/*.mjs'],
		languageOptions: { globals: nodeGlobals },
		rules: { 'no-undef': 'error' },
	},
	Object.entries(layers).map(([folder, layer]) => layerBlock(folder, layer)),
);
