// The Faultline VS Code extension (layer: extension), bundled to dist/extension.js. Wires:
// - the `faultline` debugger: the adapter runs out of process (dist/debugAdapter.js on the extension
//   host's Node), and a configuration provider makes F5 on a KC program or a scenario file work
//   without a launch.json;
// - the KC language client (dist/languageServer.js over stdio) for .kc files and the KC sources;
// - the Address Spaces view in the Run and Debug container, refreshed on every machine stop;
// - a status bar item with the running session's profile and seed.
// `activate` returns the API the extension-host tests use (the tree provider, the language client).

import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { DEBUG_TYPE, FaultlineEvents } from '../shared/debugProtocol';
import { AddressSpacesProvider } from './addressSpaces';
import { isResolveError, resolveConfiguration } from './launchConfig';

/** What `activate` returns (for tests and other extensions). */
export interface FaultlineApi {
	readonly addressSpaces: AddressSpacesProvider;
	readonly languageClient: LanguageClient | undefined;
}

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<FaultlineApi> {
	const dist = path.join(context.extensionPath, 'dist');
	const kcRoot = path.join(context.extensionPath, 'kc');

	// Debugger.
	context.subscriptions.push(vscode.debug.registerDebugAdapterDescriptorFactory(DEBUG_TYPE, {
		createDebugAdapterDescriptor: () => new vscode.DebugAdapterExecutable(process.execPath, [path.join(dist, 'debugAdapter.js')]),
	}));
	context.subscriptions.push(vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, {
		resolveDebugConfiguration(_folder, config) {
			const editor = vscode.window.activeTextEditor;
			const active = editor === undefined ? undefined : { fileName: editor.document.fileName, text: editor.document.getText() };
			const resolved = resolveConfiguration(config, active);
			if (isResolveError(resolved)) {
				void vscode.window.showErrorMessage(resolved.error);
				return undefined;
			}
			return { kcRoot, ...resolved } as vscode.DebugConfiguration;
		},
	}));

	// Views.
	const addressSpaces = new AddressSpacesProvider();
	context.subscriptions.push(vscode.window.registerTreeDataProvider('faultline.addressSpaces', addressSpaces));
	context.subscriptions.push(vscode.debug.onDidReceiveDebugSessionCustomEvent(event => {
		if (event.session.type === DEBUG_TYPE && event.event === FaultlineEvents.machineStopped) addressSpaces.refresh();
	}));
	context.subscriptions.push(vscode.debug.onDidChangeActiveDebugSession(() => addressSpaces.refresh()));
	context.subscriptions.push(vscode.debug.onDidTerminateDebugSession(() => addressSpaces.refresh()));
	context.subscriptions.push(vscode.commands.registerCommand('faultline.refreshViews', () => addressSpaces.refresh()));
	context.subscriptions.push(vscode.commands.registerCommand('faultline.debugFile', async (uri?: vscode.Uri) => {
		const target = uri ?? vscode.window.activeTextEditor?.document.uri;
		if (target === undefined) return false;
		const document = await vscode.workspace.openTextDocument(target);
		const resolved = resolveConfiguration({}, { fileName: document.fileName, text: document.getText() });
		if (isResolveError(resolved)) {
			void vscode.window.showErrorMessage(resolved.error);
			return false;
		}
		return vscode.debug.startDebugging(vscode.workspace.getWorkspaceFolder(target), { kcRoot, ...resolved } as vscode.DebugConfiguration);
	}));

	// Status bar: the running session's profile and seed.
	const status = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Left, 50);
	status.command = 'workbench.view.debug';
	const showStatus = (): void => {
		const session = vscode.debug.activeDebugSession;
		if (session?.type !== DEBUG_TYPE) {
			status.hide();
			return;
		}
		const config = session.configuration as { profile?: string; seed?: number; scenario?: string };
		status.text = `$(debug) Faultline ${config.profile ?? 'default profile'}${config.seed === undefined ? '' : ` · seed ${config.seed}`}`;
		status.tooltip = config.scenario === undefined ? 'Faultline: a KC program on the default machine' : `Faultline scenario ${config.scenario}`;
		status.show();
	};
	context.subscriptions.push(status, vscode.debug.onDidChangeActiveDebugSession(showStatus), vscode.debug.onDidStartDebugSession(showStatus), vscode.debug.onDidTerminateDebugSession(showStatus));

	// Language client.
	const serverModule = path.join(dist, 'languageServer.js');
	const serverOptions: ServerOptions = {
		run: { module: serverModule, transport: TransportKind.stdio, args: ['--kc-root', kcRoot] },
		debug: { module: serverModule, transport: TransportKind.stdio, args: ['--kc-root', kcRoot] },
	};
	const clientOptions: LanguageClientOptions = {
		documentSelector: [{ scheme: 'file', language: 'kc' }, { scheme: 'file', language: 'c', pattern: '**/kc/**/*.{c,h}' }],
	};
	client = new LanguageClient('faultline.kc', 'Faultline KC', serverOptions, clientOptions);
	try {
		await client.start();
	} catch (error) {
		void vscode.window.showWarningMessage(`Faultline: the KC language server did not start: ${error instanceof Error ? error.message : String(error)}`);
	}
	return { addressSpaces, languageClient: client };
}

export async function deactivate(): Promise<void> {
	await client?.stop();
	client = undefined;
}
