// Extension-host tests (tier: extension): run inside real VS Code's extension host with the built
// extension (dist/extension.js) loaded as the development extension and kc/examples as the
// workspace. They drive the public VS Code API only: activation, F5's configuration provider, a
// debug session on a shipped spufs scenario stopped in the spufs fault handler with the Address
// Spaces view showing the device VMA, and the KC language server's diagnostics and hover.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AddressSpaceNode, AddressSpacesProvider } from '../../../src/extension/addressSpaces';

const EXTENSION_ID = 'faultline.faultline';

interface Api {
	readonly addressSpaces: AddressSpacesProvider;
}

function extensionRoot(): string {
	const extension = vscode.extensions.getExtension(EXTENSION_ID);
	assert.ok(extension, `extension ${EXTENSION_ID} is not installed`);
	return extension.extensionPath;
}

/** Resolves with the next DAP `stopped` event body of a faultline session. */
function nextStop(): { readonly stopped: Promise<{ reason: string; threadId?: number }>; readonly errors: string[]; readonly dispose: () => void } {
	const errors: string[] = [];
	let resolveStop: (body: { reason: string; threadId?: number }) => void = () => undefined;
	const stopped = new Promise<{ reason: string; threadId?: number }>(resolve => { resolveStop = resolve; });
	const registration = vscode.debug.registerDebugAdapterTrackerFactory('faultline', {
		createDebugAdapterTracker: () => ({
			onDidSendMessage: (message: { type?: string; event?: string; command?: string; success?: boolean; message?: string; body?: { reason: string; threadId?: number } }) => {
				if (message.type === 'event' && message.event === 'stopped' && message.body) resolveStop(message.body);
				if (message.type === 'response' && message.success === false) errors.push(`${message.command}: ${message.message}`);
			},
		}),
	});
	return { stopped, errors, dispose: () => registration.dispose() };
}

async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
	let timer: NodeJS.Timeout | undefined;
	const timeout = new Promise<never>((_resolve, reject) => { timer = setTimeout(() => reject(new Error(`timed out: ${what}`)), ms); });
	try {
		return await Promise.race([promise, timeout]);
	} finally {
		clearTimeout(timer);
	}
}

async function stopAllSessions(): Promise<void> {
	await vscode.debug.stopDebugging();
	vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
}

describe('Faultline in VS Code', function () {
	let api: Api;

	before(async function () {
		const extension = vscode.extensions.getExtension<Api>(EXTENSION_ID);
		assert.ok(extension, `extension ${EXTENSION_ID} is not installed`);
		api = await extension.activate();
	});

	afterEach(stopAllSessions);

	it('activates and contributes its commands, the debugger and the KC language', async function () {
		const commands = await vscode.commands.getCommands(true);
		assert.ok(commands.includes('faultline.debugFile'));
		assert.ok(commands.includes('faultline.refreshViews'));
		assert.ok((await vscode.languages.getLanguages()).includes('kc'));
		assert.ok(api.addressSpaces, 'activate returns the Address Spaces provider');
		assert.deepEqual(await api.addressSpaces.getChildren(), [], 'no session: the view is empty');
	});

	it('F5 without launch.json on a KC program: the configuration provider fills in the open file and the session stops on entry', async function () {
		const hello = path.join(extensionRoot(), 'kc', 'examples', 'hello.kc');
		await vscode.window.showTextDocument(vscode.Uri.file(hello));
		const stop = nextStop();
		try {
			const started = await vscode.debug.startDebugging(undefined, { type: 'faultline', request: 'launch', name: 'F5' });
			assert.ok(started, 'the session started');
			const session = vscode.debug.activeDebugSession;
			assert.equal(session?.type, 'faultline');
			assert.equal(session?.configuration.program, hello, 'the provider chose the open file');
			const body = await withTimeout(stop.stopped, 120_000, 'stop on entry');
			assert.equal(body.reason, 'entry');
		} finally {
			stop.dispose();
		}
	});

	it('a scenario stops in the spufs problem-state fault handler and the Address Spaces view shows the device VMA (seed 001, kernel-semantics.md 3.2 and 8.4)', async function () {
		const root = extensionRoot();
		vscode.debug.addBreakpoints([new vscode.FunctionBreakpoint('spufs_ps_nopfn')]);
		const scenario = path.join(root, 'kc', 'examples', 'scenarios', 'spu-ps-saved', 'spu-ps-saved.json');
		const stop = nextStop();
		try {
			const started = await vscode.debug.startDebugging(undefined, { type: 'faultline', request: 'launch', name: 'spu', scenario, profile: 'linux-2.6.21' });
			assert.ok(started, `the session did not start: ${stop.errors.join('; ')}`);
			const body = await withTimeout(stop.stopped, 150_000, 'the breakpoint in the spufs fault handler');
			assert.match(body.reason, /breakpoint/);
			const session = vscode.debug.activeDebugSession!;
			const trace = await session.customRequest('stackTrace', { threadId: body.threadId, startFrame: 0, levels: 20 }) as { stackFrames: { name: string; source?: { path?: string }; line: number }[] };
			const names = trace.stackFrames.map(f => f.name).join(' < ');
			assert.match(trace.stackFrames[0].name, /spufs_ps_nopfn/, names);
			assert.match(trace.stackFrames[0].source?.path ?? '', /spufs[\\/]file\.c$/);
			assert.ok(trace.stackFrames.some(frame => /do_no_pfn|handle_mm_fault|do_page_fault/.test(frame.name)), names);

			const processes = await api.addressSpaces.getChildren();
			assert.ok(processes.some(p => p.kind === 'process' && p.process.comm.startsWith('p')), 'the scenario process is listed');
			let device: AddressSpaceNode | undefined;
			for (const process of processes) {
				const vmas = await api.addressSpaces.getChildren(process);
				device ??= vmas.find(v => v.kind === 'vma' && v.vma.backing === 'device' && v.vma.flags.includes('VM_PFNMAP'));
			}
			assert.ok(device && device.kind === 'vma', 'the cntl mapping is a VM_PFNMAP device VMA');
			const item = api.addressSpaces.getTreeItem(device);
			assert.match(String(item.description), /^device/);
		} finally {
			stop.dispose();
		}
	});

	it('the KC language server reports a compile error with its position, and hovers show types', async function () {
		const dir = fs.mkdtempSync(path.join(extensionRoot(), 'kc', 'examples', '.ext-test-'));
		try {
			const file = path.join(dir, 'broken.kc');
			fs.writeFileSync(file, 'int main(void)\n{\n\tint answer = 42;\n\treturn undefined_name;\n}\n');
			const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
			assert.equal(document.languageId, 'kc');
			await vscode.window.showTextDocument(document);
			const diagnostics = await withTimeout((async () => {
				for (;;) {
					const found = vscode.languages.getDiagnostics(document.uri);
					if (found.length > 0) return found;
					await new Promise(resolve => setTimeout(resolve, 200));
				}
			})(), 60_000, 'diagnostics');
			assert.ok(diagnostics.some(d => d.range.start.line === 3 && /undefined_name/.test(d.message)), diagnostics.map(d => `${d.range.start.line}: ${d.message}`).join('\n'));
			const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, new vscode.Position(2, 6));
			const text = hovers.flatMap(h => h.contents.map(c => (typeof c === 'string' ? c : c.value))).join('\n');
			assert.match(text, /int/);
		} finally {
			fs.rmSync(dir, { recursive: true, force: true });
		}
	});
});
