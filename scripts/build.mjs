// Builds the node bundles in dist/ with esbuild (tooling). `npm run build` builds once;
// `npm run build -- --watch` rebuilds on change and prints the `[watch] build started/finished`
// lines the `$esbuild-watch` problem matcher looks for. Typechecking is separate (`npm run typecheck`).
//
// Each entry is one bundle: CommonJS for Node 20 with a source map. `vscode` is always external (the
// extension host provides it). KC sources in kc/ are not bundled: they ship as files next to dist/.

import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * One line per bundle: `out` is the file name in dist/ without `.js`. A bundle whose source does
 * not exist yet is skipped (the adapter, server and extension arrive one by one).
 */
export const entries = [
	{ out: 'cli', source: 'src/cli/main.ts' },
	{ out: 'debugAdapter', source: 'src/debugAdapter/main.ts' },
	{ out: 'languageServer', source: 'src/languageServer/main.ts' },
	{ out: 'extension', source: 'src/extension/extension.ts' },
].filter((entry) => fs.existsSync(path.join(root, entry.source)));

/** esbuild options for all node bundles. */
function options() {
	return {
		absWorkingDir: root,
		entryPoints: entries.map((entry) => ({ in: entry.source, out: entry.out })),
		outdir: 'dist',
		bundle: true,
		platform: 'node',
		format: 'cjs',
		target: 'node20',
		sourcemap: true,
		sourcesContent: false,
		external: ['vscode'],
		logLevel: 'warning',
	};
}

/** Prints the lines connor4312.esbuild-problem-matchers' `$esbuild-watch` expects. */
const watchReporter = {
	name: 'watch-reporter',
	setup(build) {
		build.onStart(() => {
			console.log('[watch] build started');
		});
		build.onEnd((result) => {
			for (const { text, location } of result.errors) {
				console.error(`✘ [ERROR] ${text}`);
				if (location) {
					console.error(`    ${location.file}:${location.line}:${location.column}:`);
				}
			}
			console.log('[watch] build finished');
		});
	},
};

/** Builds every entry once. Returns true on success; esbuild has already printed any errors. */
export async function build() {
	try {
		await esbuild.build(options());
		return true;
	} catch {
		return false;
	}
}

async function watch() {
	const context = await esbuild.context({ ...options(), plugins: [watchReporter] });
	await context.watch();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
	if (process.argv.includes('--watch')) {
		await watch();
	} else {
		process.exitCode = (await build()) ? 0 : 1;
	}
}
