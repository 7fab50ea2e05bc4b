// Statement markers in scenarios (layer: sim, pure). A scenario names a statement by line
// (`drm_vm.c:120`), by function (`drm_bo_vm_fault()`), or by a named point: a `// @point: name`
// comment in the source marks the statement that follows it (or the statement the comment trails),
// so a scenario keeps working when lines move. The line and function forms are the scheduler's
// own (`parseMarker` in src/kernel/sched/policy.ts); this file adds points and finds them in text.

import { parseMarker } from '../../kernel/sched/policy';

/** A marker before its position is attached. */
export interface MarkerFields {
	readonly file?: string;
	readonly line?: number;
	readonly point?: string;
	readonly fn?: string;
	readonly hit?: number;
}

/**
 * Reads a marker string: `file:line`, `file:point`, `fn()`, each optionally followed by `#hit`.
 * Returns an error message for anything else.
 */
export function parseMarkerText(text: string): MarkerFields | string {
	const scheduler = parseMarker(text);
	if (typeof scheduler !== 'string') {
		return scheduler;
	}
	const point = /^\s*(.+?):([A-Za-z_][\w-]*)\s*(?:#(\d+))?\s*$/.exec(text);
	if (point === null) {
		return `expected a marker "file:line", "file:point" or "function()", optionally followed by "#hit", got ${JSON.stringify(text)}`;
	}
	const hit = point[3] !== undefined ? Number(point[3]) : undefined;
	if (hit !== undefined && hit < 1) {
		return 'the hit count must be at least 1';
	}
	return hit === undefined ? { file: point[1], point: point[2] } : { file: point[1], point: point[2], hit };
}

/** A `// @point: name` comment found in a source text. */
export interface PointDefinition {
	readonly name: string;
	/** The 1-based line of the comment. */
	readonly commentLine: number;
	/**
	 * The line the point stands for: the comment's own line when code precedes the comment there,
	 * else the next line that holds code (not blank, not only a comment, not a preprocessor line).
	 * The runner maps it to the first statement that starts on or after this line. Undefined when
	 * no code follows.
	 */
	readonly line?: number;
}

const pointComment = /(\/\/|\/\*)\s*@point:\s*([A-Za-z_][\w-]*)/;

/**
 * Which lines hold code: not blank, not only a comment (line or block, including the lines inside a
 * multi-line block comment), not a preprocessor line. A line such as `*p = x;` is code unless it is
 * inside a block comment.
 */
function codeLines(lines: readonly string[]): boolean[] {
	const code: boolean[] = [];
	let inBlock = false;
	for (const text of lines) {
		let rest = '';
		let i = 0;
		while (i < text.length) {
			if (inBlock) {
				const end = text.indexOf('*/', i);
				if (end < 0) {
					i = text.length;
				} else {
					inBlock = false;
					i = end + 2;
				}
			} else if (text.startsWith('/*', i)) {
				inBlock = true;
				i += 2;
			} else if (text.startsWith('//', i)) {
				i = text.length;
			} else {
				rest += text[i];
				i++;
			}
		}
		const trimmed = rest.trim();
		code.push(trimmed !== '' && !trimmed.startsWith('#'));
	}
	return code;
}

/** Every `@point:` comment in `text`, in order (a name may repeat; callers report duplicates). */
export function findPoints(text: string): PointDefinition[] {
	const lines = text.split(/\r\n|\r|\n/);
	const code = codeLines(lines);
	const points: PointDefinition[] = [];
	lines.forEach((lineText, index) => {
		const match = pointComment.exec(lineText);
		if (match === null) {
			return;
		}
		const before = lineText.slice(0, match.index);
		let line: number | undefined;
		if (before.trim() !== '' && codeLines([before])[0]) {
			line = index + 1;
		} else {
			for (let next = index + 1; next < lines.length; next++) {
				if (code[next]) {
					line = next + 1;
					break;
				}
			}
		}
		points.push(line === undefined ? { name: match[2], commentLine: index + 1 } : { name: match[2], commentLine: index + 1, line });
	});
	return points;
}
