// The KC language server's protocol side (layer: languageServer): binds a vscode-languageserver
// connection to the Project. Documents sync incrementally; diagnostics are published after a quiet
// period (debounced per document, and again for open documents that include a changed one);
// requests analyse the current text on demand, so they never answer from stale positions.
//
// Robustness: a request handler never lets an exception escape as a protocol error: it is logged
// (window/logMessage, type Error: the property tests fail on any) and the request gets an empty
// answer. Cancellation is checked after every expensive step; a cancelled request is answered
// with RequestCancelled.

import * as path from 'node:path';
import {
	type CancellationToken,
	type CompletionList,
	type CompletionParams,
	type Connection,
	type Definition,
	type DefinitionParams,
	type DocumentSymbol,
	type DocumentSymbolParams,
	type Hover,
	type HoverParams,
	type InitializeParams,
	type InitializeResult,
	LSPErrorCodes,
	MarkupKind,
	ResponseError,
	type SignatureHelp,
	type SignatureHelpParams,
	TextDocuments,
	TextDocumentSyncKind,
	CompletionTriggerKind,
	FileChangeType,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { complete, resolveCompletion } from './completion';
import { documentDiagnostics, toLspRange } from './diagnostics';
import { documentSymbols } from './documentSymbols';
import { fileToUri, findKcRoot, uriToFile } from './files';
import { describeTarget, targetAt, targetLocations } from './lookup';
import { renderMarkdown } from './describe';
import { Project, type Unit } from './project';
import { signatureHelp } from './signatureHelp';

/** Options of the server, from the command line and `initializationOptions`. */
export interface ServerOptions {
	/** The shipped KC root; found next to the server when absent. */
	readonly kcRoot?: string;
	/** Kernel profile for kernel units (default linux-6.8). */
	readonly profile?: string;
	/** More folders whose files compile as kernel units. */
	readonly kernelDirs?: readonly string[];
	/** Quiet period before diagnostics are published after a change, in ms (default 250). */
	readonly diagnosticsDelay?: number;
}

/** The `faultline/status` request: what the server has done, for tests and troubleshooting. */
export const statusRequest = 'faultline/status';

/** The result of `faultline/status`. */
export interface ServerStatus {
	readonly kcRoot: string;
	readonly profile: string;
	/** Translation units analysed since start. */
	readonly analyses: number;
	readonly openDocuments: number;
	readonly cachedFiles: number;
	/** Milliseconds the last analysis of each open document took, by URI. */
	readonly lastAnalysisMs: Readonly<Record<string, number>>;
}

/** Thrown inside handlers when their request was cancelled. */
class Cancelled {}

/** Lets queued messages (a `$/cancelRequest`) be read, then stops if the request was cancelled. */
async function checkpoint(token: CancellationToken): Promise<void> {
	await new Promise<void>(resolve => setImmediate(resolve));
	if (token.isCancellationRequested) throw new Cancelled();
}

function readOptions(value: unknown): ServerOptions {
	if (value === null || typeof value !== 'object') return {};
	const record = value as Record<string, unknown>;
	const options: { -readonly [K in keyof ServerOptions]: ServerOptions[K] } = {};
	if (typeof record.kcRoot === 'string') options.kcRoot = record.kcRoot;
	if (typeof record.profile === 'string') options.profile = record.profile;
	if (Array.isArray(record.kernelDirs)) options.kernelDirs = record.kernelDirs.filter((d): d is string => typeof d === 'string');
	if (typeof record.diagnosticsDelay === 'number' && record.diagnosticsDelay >= 0) options.diagnosticsDelay = record.diagnosticsDelay;
	return options;
}

/**
 * Registers the server's handlers on `connection` and starts listening. `defaults` come from the
 * command line; the client's `initializationOptions` override them.
 */
export function startServer(connection: Connection, defaults: ServerOptions = {}): void {
	const documents = new TextDocuments(TextDocument);
	let options: ServerOptions = defaults;
	let project: Project | undefined;
	const timers = new Map<string, NodeJS.Timeout>();
	/** The URI the client uses for each open file. */
	const uris = new Map<string, string>();
	/** The document completion was last asked for: `completionItem/resolve` looks items up there. */
	let completionFile: string | undefined;

	const uriOf = (file: string): string => uris.get(file) ?? fileToUri(file);
	const logError = (what: string, error: unknown) => {
		const detail = error instanceof Error ? error.stack ?? error.message : String(error);
		connection.console.error(`faultline: internal error in ${what} (a bug in the KC language server): ${detail}`);
	};
	const ready = (): Project => {
		if (project === undefined) throw new Error('the server is not initialized');
		return project;
	};

	connection.onInitialize((params: InitializeParams): InitializeResult => {
		options = { ...defaults, ...readOptions(params.initializationOptions) };
		const kcRoot = options.kcRoot !== undefined ? path.resolve(options.kcRoot) : findKcRoot(__dirname) ?? path.resolve(__dirname, '..', 'kc');
		project = new Project({
			layout: { kcRoot, kernelDirs: (options.kernelDirs ?? []).map(d => path.resolve(d)) },
			...(options.profile !== undefined ? { profile: options.profile } : {}),
		});
		return {
			capabilities: {
				textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
				hoverProvider: true,
				completionProvider: { triggerCharacters: ['.', '>', '<', '"', '/', '#'], resolveProvider: true },
				definitionProvider: true,
				documentSymbolProvider: true,
				signatureHelpProvider: { triggerCharacters: ['(', ','], retriggerCharacters: [','] },
			},
			serverInfo: { name: 'faultline-kc' },
		};
	});

	// ---- Documents and diagnostics ----

	const publish = (file: string) => {
		timers.delete(file);
		const current = ready();
		if (current.documentVersion(file) === undefined) return;
		try {
			const unit = current.unit(file);
			if (unit === undefined) return;
			void connection.sendDiagnostics({ uri: uriOf(file), version: unit.version, diagnostics: documentDiagnostics(current, unit, uriOf) });
		} catch (error) {
			logError('diagnostics', error);
		}
	};
	const schedule = (file: string, delay = options.diagnosticsDelay ?? 250) => {
		const pending = timers.get(file);
		if (pending !== undefined) clearTimeout(pending);
		timers.set(file, setTimeout(() => publish(file), delay));
	};
	const changed = (document: TextDocument) => {
		const current = ready();
		const file = uriToFile(document.uri);
		uris.set(file, document.uri);
		current.setDocument(file, document.getText(), document.version);
		schedule(file);
		for (const dependent of current.dependents(file)) schedule(dependent);
	};
	documents.onDidOpen(event => changed(event.document));
	documents.onDidChangeContent(event => changed(event.document));
	documents.onDidClose(event => {
		const current = ready();
		const file = uriToFile(event.document.uri);
		const pending = timers.get(file);
		if (pending !== undefined) clearTimeout(pending);
		timers.delete(file);
		const dependents = current.dependents(file);
		current.closeDocument(file);
		uris.delete(file);
		void connection.sendDiagnostics({ uri: event.document.uri, diagnostics: [] });
		for (const dependent of dependents) schedule(dependent);
	});
	connection.onDidChangeWatchedFiles(params => {
		const current = ready();
		for (const change of params.changes) {
			const file = uriToFile(change.uri);
			current.files.invalidate(file);
			for (const dependent of current.dependents(file)) schedule(dependent);
			if (change.type === FileChangeType.Created) {
				// A new header may change where includes resolve: check every open document again.
				current.forgetAnalyses();
				for (const open of current.openDocuments()) schedule(open);
			}
		}
	});
	connection.onDidChangeConfiguration(params => {
		const settings = (params.settings as { faultline?: { kernelProfile?: unknown } } | null)?.faultline;
		if (typeof settings?.kernelProfile === 'string') {
			const current = ready();
			current.configure({ profile: settings.kernelProfile });
			for (const file of current.openDocuments()) schedule(file, 0);
		}
	});

	// ---- Requests ----

	/** Wraps a request handler: cancellation, and no exception escapes as a protocol error. */
	const handler = <P extends { textDocument: { uri: string } }, R>(what: string, empty: R, run: (unit: Unit, params: P, token: CancellationToken) => R) =>
		async (params: P, token: CancellationToken): Promise<R | ResponseError<void>> => {
			try {
				await checkpoint(token);
				const unit = ready().unit(uriToFile(params.textDocument.uri));
				if (unit === undefined) return empty;
				await checkpoint(token);
				return run(unit, params, token);
			} catch (error) {
				if (error instanceof Cancelled) return new ResponseError(LSPErrorCodes.RequestCancelled, 'request cancelled');
				logError(what, error);
				return empty;
			}
		};

	connection.onHover(handler<HoverParams, Hover | null>('hover', null, (unit, params) => {
		const line = params.position.line + 1;
		const col = params.position.character + 1;
		const target = targetAt(ready(), unit, line, col);
		if (target === undefined) return null;
		const description = describeTarget(ready(), unit, target);
		if (description === undefined) return null;
		const range = target.kind === 'occurrence' ? target.occurrence.range : target.kind === 'expression' ? target.expr.range : target.range;
		return {
			contents: { kind: MarkupKind.Markdown, value: renderMarkdown(description) },
			...(range.file === unit.file ? { range: toLspRange(range) } : {}),
		};
	}));

	connection.onCompletion(handler<CompletionParams, CompletionList>('completion', { isIncomplete: false, items: [] }, (unit, params) => {
		const line = params.position.line + 1;
		const col = params.position.character + 1;
		completionFile = unit.file;
		const trigger = params.context?.triggerKind === CompletionTriggerKind.TriggerCharacter ? params.context.triggerCharacter : undefined;
		if (trigger !== undefined && !triggerApplies(unit, trigger, line, col)) return { isIncomplete: false, items: [] };
		return complete(ready(), unit, line, col);
	}));

	connection.onCompletionResolve(item => {
		try {
			return completionFile === undefined ? item : resolveCompletion(ready(), item, completionFile);
		} catch (error) {
			logError('completion resolve', error);
			return item;
		}
	});

	connection.onDefinition(handler<DefinitionParams, Definition | null>('definition', null, (unit, params) => {
		const current = ready();
		const target = targetAt(current, unit, params.position.line + 1, params.position.character + 1);
		if (target === undefined) return null;
		const locations = targetLocations(current, unit, target).filter(r => !r.file.startsWith('<'));
		if (locations.length === 0) return null;
		return locations.map(r => ({ uri: uriOf(r.file), range: toLspRange(r) }));
	}));

	connection.onDocumentSymbol(handler<DocumentSymbolParams, DocumentSymbol[]>('document symbols', [], unit => documentSymbols(unit)));

	connection.onSignatureHelp(handler<SignatureHelpParams, SignatureHelp | null>('signature help', null, (unit, params) =>
		signatureHelp(ready(), unit, params.position.line + 1, params.position.character + 1)));

	connection.onRequest(statusRequest, (): ServerStatus => {
		const current = ready();
		const lastAnalysisMs: Record<string, number> = {};
		for (const file of current.openDocuments()) {
			const unit = current.latest(file);
			if (unit !== undefined) lastAnalysisMs[uriOf(file)] = Math.round(unit.cost * 10) / 10;
		}
		return {
			kcRoot: current.kcRoot,
			profile: current.profileName,
			analyses: current.analyses,
			openDocuments: current.openDocuments().length,
			cachedFiles: current.files.cachedFiles,
			lastAnalysisMs,
		};
	});

	connection.onShutdown(() => {
		for (const timer of timers.values()) clearTimeout(timer);
		timers.clear();
	});

	documents.listen(connection);
	connection.listen();
}

/** True if a completion triggered by `character` makes sense where it was typed. */
function triggerApplies(unit: Unit, character: string, line: number, col: number): boolean {
	const before = lineBefore(unit, line, col);
	switch (character) {
		case '>':
			return before.endsWith('->');
		case '<':
		case '"':
		case '/':
			return /^\s*#\s*include(?:_next)?\s*[<"]/.test(before);
		case '#':
			return /^\s*#$/.test(before);
		default:
			return true;
	}
}

function lineBefore(unit: Unit, line: number, col: number): string {
	const start = unit.starts[line - 1] ?? unit.text.length;
	return unit.text.slice(start, start + col - 1);
}
