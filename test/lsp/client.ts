// A real LSP client for the KC language server tests (layer: test, LSP tier): spawns the built server
// (`node dist/languageServer.js --stdio`, or `bin/faultline lsp --stdio`) and talks to it over
// stdio through vscode-languageserver-protocol's node connection (vscode-jsonrpc underneath).
// Collects published diagnostics and log messages so tests can wait for them.

import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
	CancellationTokenSource,
	type CompletionItem,
	CompletionRequest,
	CompletionResolveRequest,
	type CompletionList,
	createProtocolConnection,
	DefinitionRequest,
	DidChangeTextDocumentNotification,
	DidCloseTextDocumentNotification,
	DidOpenTextDocumentNotification,
	type DocumentSymbol,
	DocumentSymbolRequest,
	ExitNotification,
	type Hover,
	HoverRequest,
	InitializedNotification,
	InitializeRequest,
	type Location,
	type LogMessageParams,
	LogMessageNotification,
	type Position,
	type ProtocolConnection,
	type PublishDiagnosticsParams,
	PublishDiagnosticsNotification,
	type Range,
	ShutdownRequest,
	type SignatureHelp,
	SignatureHelpRequest,
	StreamMessageReader,
	StreamMessageWriter,
} from 'vscode-languageserver-protocol/node';

/** The repository root (test/lsp/ is two levels down). */
export const repoRoot = path.resolve(__dirname, '..', '..');
export const serverPath = path.join(repoRoot, 'dist', 'languageServer.js');
export const kcRoot = path.join(repoRoot, 'kc');

/** The file URI of a path. */
export function uriOf(file: string): string {
	return pathToFileURL(file).href;
}

/** Options of a client session. */
export interface ClientOptions {
	readonly initializationOptions?: Record<string, unknown>;
	/** Command and arguments to start the server with (default: node dist/languageServer.js --stdio). */
	readonly command?: readonly string[];
}

/** One server process and the client connection to it. */
export class LspClient {
	readonly diagnostics = new Map<string, PublishDiagnosticsParams[]>();
	readonly logs: LogMessageParams[] = [];
	private readonly waiters: (() => void)[] = [];
	private readonly exited: Promise<number | null>;
	stderr = '';

	private constructor(readonly process: ChildProcess, readonly connection: ProtocolConnection) {
		this.exited = new Promise(resolve => process.on('exit', code => resolve(code)));
		process.stderr?.on('data', (chunk: Buffer) => {
			this.stderr += chunk.toString();
		});
		connection.onNotification(PublishDiagnosticsNotification.type, params => {
			const list = this.diagnostics.get(params.uri) ?? [];
			list.push(params);
			this.diagnostics.set(params.uri, list);
			this.wake();
		});
		connection.onNotification(LogMessageNotification.type, params => {
			this.logs.push(params);
		});
		connection.listen();
	}

	/** Starts the server and completes the initialize handshake. */
	static async start(options: ClientOptions = {}): Promise<LspClient> {
		if (options.command === undefined && !fs.existsSync(serverPath)) {
			throw new Error(`${serverPath} does not exist: run npm run build first`);
		}
		const [command, ...args] = options.command ?? [process.execPath, serverPath, '--stdio'];
		const child = spawn(command, args, { cwd: repoRoot, stdio: ['pipe', 'pipe', 'pipe'] });
		const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
		const client = new LspClient(child, connection);
		await connection.sendRequest(InitializeRequest.type, {
			processId: process.pid,
			rootUri: uriOf(repoRoot),
			capabilities: {
				textDocument: {
					hover: { contentFormat: ['markdown', 'plaintext'] },
					completion: { completionItem: { snippetSupport: true, documentationFormat: ['markdown'] } },
					documentSymbol: { hierarchicalDocumentSymbolSupport: true },
					publishDiagnostics: { relatedInformation: true, versionSupport: true },
				},
			},
			initializationOptions: { diagnosticsDelay: 20, ...options.initializationOptions },
			workspaceFolders: null,
		});
		await connection.sendNotification(InitializedNotification.type, {});
		return client;
	}

	private wake(): void {
		for (const waiter of this.waiters.splice(0)) waiter();
	}

	/** Waits (up to `timeoutMs`) until a diagnostics notification for `uri` satisfies `predicate`. */
	async waitForDiagnostics(uri: string, predicate: (params: PublishDiagnosticsParams) => boolean = () => true, timeoutMs = 15000): Promise<PublishDiagnosticsParams> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const found = (this.diagnostics.get(uri) ?? []).find(predicate);
			if (found !== undefined) return found;
			const remaining = deadline - Date.now();
			if (remaining <= 0) throw new Error(`no matching diagnostics for ${uri} within ${timeoutMs} ms; got ${JSON.stringify(this.diagnostics.get(uri) ?? [])}`);
			await new Promise<void>(resolve => {
				const timer = setTimeout(resolve, remaining);
				this.waiters.push(() => {
					clearTimeout(timer);
					resolve();
				});
			});
		}
	}

	async open(uri: string, text: string, version = 1): Promise<void> {
		await this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'kc', version, text } });
	}

	/** Sends incremental changes (`range` set) or a full text (`range` absent). */
	async change(uri: string, version: number, changes: readonly ({ range: Range; text: string } | { text: string })[]): Promise<void> {
		await this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [...changes] });
	}

	async close(uri: string): Promise<void> {
		await this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
	}

	hover(uri: string, position: Position, token?: CancellationTokenSource): Promise<Hover | null> {
		return this.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position }, token?.token);
	}

	async completion(uri: string, position: Position, triggerCharacter?: string): Promise<CompletionItem[]> {
		const result = await this.connection.sendRequest(CompletionRequest.type, {
			textDocument: { uri },
			position,
			...(triggerCharacter !== undefined ? { context: { triggerKind: 2, triggerCharacter } } : { context: { triggerKind: 1 } }),
		});
		if (result === null) return [];
		return Array.isArray(result) ? result : (result as CompletionList).items;
	}

	resolve(item: CompletionItem): Promise<CompletionItem> {
		return this.connection.sendRequest(CompletionResolveRequest.type, item);
	}

	async definition(uri: string, position: Position): Promise<Location[]> {
		const result = await this.connection.sendRequest(DefinitionRequest.type, { textDocument: { uri }, position });
		if (result === null) return [];
		const list = Array.isArray(result) ? result : [result];
		return list.map(l => ('targetUri' in l ? { uri: l.targetUri, range: l.targetSelectionRange } : l));
	}

	async symbols(uri: string): Promise<DocumentSymbol[]> {
		const result = await this.connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } });
		return (result ?? []) as DocumentSymbol[];
	}

	signatureHelp(uri: string, position: Position): Promise<SignatureHelp | null> {
		return this.connection.sendRequest(SignatureHelpRequest.type, { textDocument: { uri }, position });
	}

	/** Sends a request by method name (custom requests). */
	request<R>(method: string, params?: unknown): Promise<R> {
		return this.connection.sendRequest(method, params);
	}

	/** Errors the server logged (window/logMessage of type Error). */
	errors(): string[] {
		return this.logs.filter(l => l.type === 1).map(l => l.message);
	}

	/** Orderly shutdown; resolves with the server's exit status. */
	async stop(): Promise<number | null> {
		try {
			await this.connection.sendRequest(ShutdownRequest.type);
			await this.connection.sendNotification(ExitNotification.type);
		} catch {
			this.process.kill();
		}
		const timer = setTimeout(() => this.process.kill(), 5000);
		const code = await this.exited;
		clearTimeout(timer);
		this.connection.dispose();
		return code;
	}
}

/** The 0-based position of the `occurrence`-th (0-based) match of `needle` in `text`, plus `offset` characters. */
export function positionOf(text: string, needle: string, offset = 0, occurrence = 0): Position {
	let index = -1;
	for (let i = 0; i <= occurrence; i++) {
		index = text.indexOf(needle, index + 1);
		if (index < 0) throw new Error(`'${needle}' (occurrence ${occurrence}) not in the text`);
	}
	index += offset;
	const before = text.slice(0, index);
	const line = before.split('\n').length - 1;
	return { line, character: index - (before.lastIndexOf('\n') + 1) };
}
