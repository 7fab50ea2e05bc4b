// Helpers of the language server's unit tests (layer: test): a Project over the shipped KC tree
// with virtual documents (open-document texts that exist nowhere on disk), and cursor positions
// found by searching the text.

import * as path from 'node:path';
import { Project, type Unit } from '../../../src/languageServer/project';

export const repoRoot = path.resolve(__dirname, '..', '..', '..');
export const kcRoot = path.join(repoRoot, 'kc');
/** A folder for virtual user documents (never created on disk). */
export const userDir = path.join(repoRoot, 'test', 'unit', 'languageServer', 'virtual');
/** A folder for virtual kernel documents: inside kc/kernel, so they compile as kernel units. */
export const kernelDir = path.join(kcRoot, 'kernel', 'drivers', 'virtual-test');

/** A fresh project over the shipped KC tree. */
export function newProject(profile?: string): Project {
	return new Project({ layout: { kcRoot, kernelDirs: [] }, ...(profile !== undefined ? { profile } : {}) });
}

/** Opens `text` as document `file` (version 1 unless given) and analyses it. */
export function openUnit(project: Project, file: string, text: string, version = 1): Unit {
	project.setDocument(file, text, version);
	const unit = project.unit(file);
	if (unit === undefined) throw new Error(`no unit for ${file}`);
	return unit;
}

/** 1-based (line, col) of the `occurrence`-th match of `needle`, plus `offset` characters. */
export function at(text: string, needle: string, offset = 0, occurrence = 0): { line: number; col: number } {
	let index = -1;
	for (let i = 0; i <= occurrence; i++) {
		index = text.indexOf(needle, index + 1);
		if (index < 0) throw new Error(`'${needle}' (occurrence ${occurrence}) not in the text`);
	}
	index += offset;
	const before = text.slice(0, index);
	const line = before.split('\n').length;
	return { line, col: index - (before.lastIndexOf('\n') + 1) + 1 };
}
