// Where the shipped KC sources are (layer: cli). They live in `kc/` at the package root, next to
// `dist/`, and are read from disk at run time (never bundled), so users can open and step through them.

import * as fs from 'node:fs';
import * as path from 'node:path';

/** How many directories up from a module to look for `kc/`: dist/cli.js is one below the root, src/cli/*.ts two. */
const maxLevels = 3;

/**
 * Finds the shipped KC root (the `kc/` folder that holds `include/`) by walking up from `fromDir`.
 * Returns the absolute path, or undefined if there is none within a few levels.
 */
export function findKcRoot(fromDir: string): string | undefined {
	let dir = path.resolve(fromDir);
	for (let level = 0; level <= maxLevels; level++) {
		const candidate = path.join(dir, 'kc');
		if (fs.existsSync(path.join(candidate, 'include'))) {
			return candidate;
		}
		const parent = path.dirname(dir);
		if (parent === dir) {
			break;
		}
		dir = parent;
	}
	return undefined;
}

/**
 * The shipped KC root for this installation, found relative to the running code (`dist/..` when
 * bundled, the repository root when run from source). Falls back to `<module dir>/../kc` so error
 * messages name the expected place.
 */
export function kcRoot(): string {
	return findKcRoot(__dirname) ?? path.resolve(__dirname, '..', 'kc');
}
