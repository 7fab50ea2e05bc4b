// Path arithmetic for scenario file references (layer: sim, pure: no `node:path`, so the parser
// runs anywhere, e.g. in the language server over an unsaved document). POSIX and Windows
// spellings are both understood; the result uses the separator the scenario's own path uses.

/** True for `/x`, `\x`, `C:\x` and `C:/x`. */
export function isAbsolutePath(path: string): boolean {
	return path.startsWith('/') || path.startsWith('\\') || /^[A-Za-z]:[\\/]/.test(path);
}

/** The folder holding `file` (`.` for a bare name). */
export function folderOf(file: string): string {
	const cut = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
	if (cut < 0) {
		return '.';
	}
	if (cut === 0 || (cut === 2 && /^[A-Za-z]:/.test(file))) {
		return file.slice(0, cut + 1);
	}
	return file.slice(0, cut);
}

/** The last path segment of `file`. */
export function baseName(file: string): string {
	return file.slice(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);
}

/** Removes `.` segments, folds `name/..`, and joins with `separator`. */
function normalize(path: string, separator: string): string {
	const drive = /^[A-Za-z]:/.exec(path)?.[0] ?? '';
	const rest = path.slice(drive.length);
	const absolute = rest.startsWith('/') || rest.startsWith('\\');
	const out: string[] = [];
	for (const segment of rest.split(/[\\/]+/)) {
		if (segment === '' || segment === '.') {
			continue;
		}
		if (segment === '..' && out.length > 0 && out[out.length - 1] !== '..') {
			out.pop();
		} else if (segment !== '..' || !absolute) {
			out.push(segment);
		}
	}
	const body = out.join(separator);
	const prefix = drive + (absolute ? separator : '');
	return prefix + body || '.';
}

/** `relative` resolved against `folder` (an absolute `relative` stands alone). */
export function resolvePath(folder: string, relative: string): string {
	const separator = folder.includes('\\') && !folder.includes('/') ? '\\' : '/';
	return normalize(isAbsolutePath(relative) ? relative : `${folder}${separator}${relative}`, separator);
}
