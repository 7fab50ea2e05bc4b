// Where the language server's source text comes from (layer: languageServer): the editor's open
// documents over the host file system, the shipped KC tree (`kc/`), and the include paths of the
// two kinds of translation unit. Mirrors what the simulator compiles with (src/sim/hostSources.ts,
// src/sim/machine.ts `kernelSources`, src/sim/userProgram.ts), which this layer may not import:
// - a file under `kc/kernel` or `kc/drivers` (or a configured kernel folder) is a kernel unit:
//   `<linux/x.h>` resolves in `kc/kernel/include`, and the profile's `LINUX_VERSION_CODE`/`CONFIG_*`
//   are defined;
// - any other file is a user program: `<stdio.h>` resolves in `kc/include`; the C library's own
//   sources (`kc/lib`) also get `__FAULTLINE_LIBC__`.
// `"x.h"` is searched next to the including file first, as gcc does.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { SourceProvider } from '../lang/source';
import type { EditorProfile } from './profiles';

/** How one translation unit is compiled. */
export interface UnitConfig {
	readonly kind: 'kernel' | 'user';
	/** Directories searched for `<x.h>` (and, after the includer's folder, for `"x.h"`). */
	readonly systemDirs: readonly string[];
	readonly defines: Readonly<Record<string, string>>;
}

interface DiskEntry {
	readonly text: string | undefined;
	readonly mtimeMs: number;
	readonly size: number;
	/** The pass in which the entry was last compared with the disk. */
	checked: number;
}

/**
 * The text of every file the server reads: open documents first (what the user sees, saved or
 * not), then the disk. Disk reads are cached and re-validated (by modification time and size) at
 * most once per pass, so one analysis reads each header once and a later one sees edits made
 * outside the editor.
 */
export class FileStore {
	private readonly disk = new Map<string, DiskEntry>();
	private readonly documents = new Map<string, string>();
	private pass = 0;

	/** Starts a new pass: disk entries are compared with the disk again on their next read. */
	beginPass(): void {
		this.pass++;
	}

	/** Sets (or with undefined, drops) the open document text of `file`. */
	setDocument(file: string, text: string | undefined): void {
		if (text === undefined) {
			this.documents.delete(file);
		} else {
			this.documents.set(file, text);
		}
	}

	/** True if `file` is an open document. */
	isDocument(file: string): boolean {
		return this.documents.has(file);
	}

	/** Forgets the cached disk text of `file` (after the client reported a change). */
	invalidate(file: string): void {
		this.disk.delete(file);
	}

	/** The text of `file`, or undefined if there is no such document or file. */
	read(file: string): string | undefined {
		const open = this.documents.get(file);
		if (open !== undefined) {
			return open;
		}
		if (!path.isAbsolute(file)) {
			return undefined;
		}
		const cached = this.disk.get(file);
		if (cached !== undefined && cached.checked === this.pass) {
			return cached.text;
		}
		let stat: fs.Stats | undefined;
		try {
			stat = fs.statSync(file);
		} catch {
			stat = undefined;
		}
		if (stat === undefined || !stat.isFile()) {
			this.disk.set(file, { text: undefined, mtimeMs: 0, size: -1, checked: this.pass });
			return undefined;
		}
		if (cached !== undefined && cached.mtimeMs === stat.mtimeMs && cached.size === stat.size) {
			cached.checked = this.pass;
			return cached.text;
		}
		let text: string | undefined;
		try {
			text = fs.readFileSync(file, 'utf8');
		} catch {
			text = undefined;
		}
		this.disk.set(file, { text, mtimeMs: stat.mtimeMs, size: stat.size, checked: this.pass });
		return text;
	}

	/** Number of disk files cached (for the status request). */
	get cachedFiles(): number {
		return this.disk.size;
	}

	/** A SourceProvider over this store with the include search of `config`. */
	sources(config: UnitConfig): SourceProvider {
		return {
			read: file => this.read(file),
			resolveInclude: (name, fromFile, quoted) => {
				const dirs = quoted && path.isAbsolute(fromFile) ? [path.dirname(fromFile), ...config.systemDirs] : config.systemDirs;
				for (const dir of dirs) {
					const full = path.resolve(dir, name);
					if (this.read(full) !== undefined) {
						return full;
					}
				}
				return undefined;
			},
		};
	}
}

/** Where the shipped KC tree is and which folders hold kernel units. */
export interface Layout {
	/** The shipped `kc/` folder. */
	readonly kcRoot: string;
	/** More folders whose files are kernel units (absolute paths). */
	readonly kernelDirs: readonly string[];
}

/** True if `file` is `dir` or inside it. */
export function isInside(file: string, dir: string): boolean {
	const relative = path.relative(dir, file);
	return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/** How `file` is compiled: as a kernel unit under `profile`, or as a user program. */
export function unitConfig(file: string, layout: Layout, profile: EditorProfile): UnitConfig {
	const kernelRoots = [path.join(layout.kcRoot, 'kernel'), path.join(layout.kcRoot, 'drivers'), ...layout.kernelDirs];
	if (path.isAbsolute(file) && kernelRoots.some(dir => isInside(file, dir))) {
		return { kind: 'kernel', systemDirs: [path.join(layout.kcRoot, 'kernel', 'include')], defines: profile.defines };
	}
	const libc = path.isAbsolute(file) && isInside(file, path.join(layout.kcRoot, 'lib'));
	return { kind: 'user', systemDirs: [path.join(layout.kcRoot, 'include')], defines: libc ? { __FAULTLINE_LIBC__: '1' } : {} };
}

/** How many folders up from this module to look for `kc/`: dist/languageServer.js is one below the root, src/languageServer/*.ts two. */
const maxLevels = 3;

/** Finds the shipped KC root (a `kc/` folder holding `include/` and `kernel/include/`) walking up from `fromDir`. */
export function findKcRoot(fromDir: string): string | undefined {
	let dir = path.resolve(fromDir);
	for (let level = 0; level <= maxLevels; level++) {
		const candidate = path.join(dir, 'kc');
		if (fs.existsSync(path.join(candidate, 'include')) && fs.existsSync(path.join(candidate, 'kernel', 'include'))) {
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
 * The file key of a document URI: the file system path of `file:` URIs, the URI itself for others
 * (`untitled:`), which then has no folder and no neighbours on disk.
 */
export function uriToFile(uri: string): string {
	if (uri.startsWith('file:')) {
		try {
			return path.normalize(fileURLToPath(uri));
		} catch {
			return uri;
		}
	}
	return uri;
}

/** The URI of a file key (inverse of `uriToFile`). */
export function fileToUri(file: string): string {
	return path.isAbsolute(file) ? pathToFileURL(file).href : file;
}
