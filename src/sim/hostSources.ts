// A SourceProvider over the host file system for the user's own files plus the KC headers Faultline
// ships in `kc/include` (layer: sim). This is the only way source text reaches the front end from
// disk; KC programs themselves never see the host file system.

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SourceProvider } from '../lang/source';

/**
 * Creates a provider that reads files from disk with normalized absolute paths (so `#pragma once`
 * and include guards see one name per file). `<x.h>` resolves in `systemDirs` only; `"x.h"` next to
 * the including file first, then in `systemDirs`, as gcc does.
 */
export function hostSources(systemDirs: readonly string[]): SourceProvider {
	const cache = new Map<string, string | undefined>();
	const read = (file: string): string | undefined => {
		const key = path.resolve(file);
		if (!cache.has(key)) {
			let text: string | undefined;
			try {
				text = fs.statSync(key).isFile() ? fs.readFileSync(key, 'utf8') : undefined;
			} catch {
				text = undefined;
			}
			cache.set(key, text);
		}
		return cache.get(key);
	};
	return {
		read,
		resolveInclude(name, fromFile, quoted) {
			const candidates = quoted ? [path.dirname(fromFile), ...systemDirs] : systemDirs;
			for (const dir of candidates) {
				const full = path.resolve(dir, name);
				if (read(full) !== undefined) {
					return full;
				}
			}
			return undefined;
		},
	};
}
