// The language server's model of the workspace (layer: languageServer): open documents, their
// latest analyses, and the caches shared by every request (file texts, doc comments, the
// definition index). Protocol-free: server.ts translates LSP messages into calls here, and the unit
// tests drive it directly.

import * as path from 'node:path';
import type { Token } from '../lang/tokens';
import { type Analysis, analyze } from './analysis';
import { DefinitionIndex } from './definitionIndex';
import { DocComments } from './docComments';
import { FileStore, type Layout, type UnitConfig, unitConfig } from './files';
import { type EditorProfile, editorProfile } from './profiles';
import { buildSyntaxIndex, type SyntaxIndex } from './syntaxIndex';
import { type LexedText, lexText, lineStarts } from './textScan';

/** One analysed version of a document, with lazily built lookups. */
export class Unit {
	private indexCache: SyntaxIndex | undefined;
	private lexedCache: LexedText | undefined;
	private startsCache: number[] | undefined;
	private invocations: Map<string, Token[]> | undefined;

	constructor(
		readonly file: string,
		/** The document version analysed (or -1 for a file that is not open). */
		readonly version: number,
		readonly text: string,
		readonly config: UnitConfig,
		readonly analysis: Analysis,
		/** Milliseconds the analysis took. */
		readonly cost: number,
		/** Every file the analysis read (headers included) with the text it got. */
		readonly reads: ReadonlyMap<string, string | undefined>,
	) {}

	/** Position lookups over the checked tree (built on first use). */
	get index(): SyntaxIndex {
		this.indexCache ??= buildSyntaxIndex(this.analysis.tree, this.file, this.text);
		return this.indexCache;
	}

	/** The document's own tokens, for scans of code being typed (built on first use). */
	get lexed(): LexedText {
		this.lexedCache ??= lexText(this.text, this.file);
		return this.lexedCache;
	}

	/** Offsets of the document's line starts. */
	get starts(): number[] {
		this.startsCache ??= lineStarts(this.text);
		return this.startsCache;
	}

	/**
	 * The preprocessed tokens of the macro invocation that starts at (line, col) of the main file:
	 * what the macro expanded to there. Empty if no macro expansion starts there.
	 */
	expansionAt(line: number, col: number): readonly Token[] {
		if (this.invocations === undefined) {
			this.invocations = new Map();
			for (const t of this.analysis.tokens) {
				if (t.macro === undefined || t.range.file !== this.file) continue;
				const key = `${t.range.line}:${t.range.col}`;
				const list = this.invocations.get(key);
				if (list === undefined) this.invocations.set(key, [t]);
				else list.push(t);
			}
		}
		return this.invocations.get(`${line}:${col}`) ?? [];
	}
}

/** Server settings that change how units compile. */
export interface ProjectSettings {
	readonly layout: Layout;
	/** The kernel profile kernel units are compiled for (default linux-6.8). */
	readonly profile?: string;
}

interface DocumentState {
	text: string;
	version: number;
}

/** Documents, analyses and caches. */
export class Project {
	readonly files = new FileStore();
	readonly docs = new DocComments(file => this.files.read(file));
	readonly definitions = new DefinitionIndex(file => this.files.read(file));
	private readonly documents = new Map<string, DocumentState>();
	private readonly units = new Map<string, Unit>();
	private layout: Layout;
	private profile: EditorProfile;
	/** Analyses run so far (for the status request and the tests of debouncing). */
	analyses = 0;

	constructor(settings: ProjectSettings) {
		this.layout = settings.layout;
		this.profile = editorProfile(settings.profile);
	}

	get kcRoot(): string {
		return this.layout.kcRoot;
	}

	get profileName(): string {
		return this.profile.name;
	}

	/** Changes the profile (or kernel folders); every analysis is redone on its next use. */
	configure(settings: Partial<ProjectSettings>): void {
		if (settings.layout !== undefined) this.layout = settings.layout;
		if (settings.profile !== undefined) this.profile = editorProfile(settings.profile);
		this.units.clear();
	}

	/** Drops every analysis (a file appeared: an include may now resolve elsewhere). */
	forgetAnalyses(): void {
		this.units.clear();
	}

	/** Opens or updates a document. */
	setDocument(file: string, text: string, version: number): void {
		this.documents.set(file, { text, version });
		this.files.setDocument(file, text);
	}

	closeDocument(file: string): void {
		this.documents.delete(file);
		this.files.setDocument(file, undefined);
		this.units.delete(file);
	}

	/** The paths of the open documents. */
	openDocuments(): string[] {
		return [...this.documents.keys()];
	}

	/** The version of an open document, or undefined. */
	documentVersion(file: string): number | undefined {
		return this.documents.get(file)?.version;
	}

	/** How `file` compiles. */
	configFor(file: string): UnitConfig {
		return unitConfig(file, this.layout, this.profile);
	}

	/**
	 * The latest analysis of `file` if it is of the current text of the file and of every header it
	 * read (open documents or disk), without analysing.
	 */
	current(file: string): Unit | undefined {
		const unit = this.units.get(file);
		const document = this.documents.get(file);
		if (unit === undefined) return undefined;
		if (document !== undefined ? unit.version !== document.version || unit.text !== document.text : unit.text !== this.files.read(file)) return undefined;
		for (const [read, text] of unit.reads) {
			if (this.files.read(read) !== text) return undefined;
		}
		return unit;
	}

	/** The latest analysis of `file`, whatever text it was of. */
	latest(file: string): Unit | undefined {
		return this.units.get(file);
	}

	/** The analysis of the current text of `file` (an open document, or a file on disk), analysing if needed. */
	unit(file: string): Unit | undefined {
		this.files.beginPass();
		const existing = this.current(file);
		if (existing !== undefined) return existing;
		const document = this.documents.get(file);
		const text = document?.text ?? this.files.read(file);
		if (text === undefined) return undefined;
		const config = this.configFor(file);
		const sources = this.files.sources(config);
		const reads = new Map<string, string | undefined>();
		const recording = {
			read: (path: string) => {
				const read = sources.read(path);
				reads.set(path, read);
				return read;
			},
			resolveInclude: sources.resolveInclude,
		};
		const started = performance.now();
		const analysis = analyze(file, recording, config.defines);
		const unit = new Unit(file, document?.version ?? -1, text, config, analysis, performance.now() - started, reads);
		this.analyses++;
		if (document !== undefined) this.units.set(file, unit);
		return unit;
	}

	/** Open documents whose last analysis read `file` (they need analysing again when it changes). */
	dependents(file: string): string[] {
		const result: string[] = [];
		for (const [other, unit] of this.units) {
			if (other !== file && unit.analysis.includedFiles.includes(file)) result.push(other);
		}
		return result;
	}

	/** A short name for messages: relative to the folder holding `kc/` when inside it. */
	displayPath(file: string): string {
		if (!path.isAbsolute(file)) return file;
		const relative = path.relative(path.dirname(this.layout.kcRoot), file);
		return relative.startsWith('..') ? file : relative;
	}

	/** Folders whose `.c` files define the functions a unit of `config` may call. */
	definitionRoots(config: UnitConfig): string[] {
		if (config.kind === 'kernel') {
			return [path.join(this.layout.kcRoot, 'kernel'), path.join(this.layout.kcRoot, 'drivers'), ...this.layout.kernelDirs];
		}
		return [path.join(this.layout.kcRoot, 'lib')];
	}
}
