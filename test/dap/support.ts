// Helpers of the DAP tests (test tier `dap`): a DebugClient on the built adapter (`node dist/cli.js
// dap`; run `npm run build` first), breakpoint lines from `@bp:name` markers in the sources, and the
// launch/stop sequence the tests share.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';

export const root = path.resolve(__dirname, '..', '..');
export const fixtures = path.join(__dirname, 'fixtures');
export const kcRoot = path.join(root, 'kc');

/** The line of the `@bp:name` marker in `file` (1-based); throws when the marker is missing. */
export function markerLine(file: string, name: string): number {
	const lines = fs.readFileSync(file, 'utf8').split(/\r?\n/);
	const index = lines.findIndex(line => line.includes(`@bp:${name}`));
	if (index < 0) throw new Error(`no @bp:${name} marker in ${file}`);
	return index + 1;
}

/** The first line of `file` that contains `text` (for kernel sources that carry no markers). */
export function lineContaining(file: string, text: string): number {
	const lines = fs.readFileSync(file, 'utf8').split(/\r?\n/);
	const index = lines.findIndex(line => line.includes(text));
	if (index < 0) throw new Error(`no '${text}' in ${file}`);
	return index + 1;
}

/** A started client on the built adapter bundle (the same session `faultline dap` runs; DebugClient spawns `node FILE` without arguments). */
export async function startClient(): Promise<DebugClient> {
	const adapter = path.join(root, 'dist', 'debugAdapter.js');
	if (!fs.existsSync(adapter)) throw new Error('dist/debugAdapter.js is missing: run npm run build');
	const client = new DebugClient('node', adapter, 'faultline', { cwd: root });
	client.defaultTimeout = 60_000;
	await client.start();
	return client;
}

/** initialize + launch + configurationDone, then the first stop. */
export async function launchAndStop(client: DebugClient, launch: Record<string, unknown>, before?: () => Promise<void>): Promise<DebugProtocol.StoppedEvent> {
	await client.initializeRequest({ adapterID: 'faultline', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
	const initialized = client.waitForEvent('initialized');
	await client.launch({ kcRoot, ...launch });
	await initialized;
	await before?.();
	const stopped = client.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
	await client.configurationDoneRequest();
	return stopped;
}

/** Runs a request that resumes the machine and waits for the next stop. */
export async function resumeAndStop(client: DebugClient, request: () => Promise<unknown>): Promise<DebugProtocol.StoppedEvent> {
	const stopped = client.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
	await request();
	return stopped;
}

/** The top frame of a thread. */
export async function topFrame(client: DebugClient, threadId: number): Promise<DebugProtocol.StackFrame> {
	const trace = await client.stackTraceRequest({ threadId });
	const frame = trace.body.stackFrames.find(f => f.presentationHint !== 'label');
	assert.ok(frame !== undefined, 'the thread has a frame');
	return frame;
}

/** Variables of a frame's scope by scope name, as a name -> value map. */
export async function scopeValues(client: DebugClient, frameId: number, scope: string): Promise<Map<string, DebugProtocol.Variable>> {
	const scopes = await client.scopesRequest({ frameId });
	const found = scopes.body.scopes.find(s => s.name === scope);
	assert.ok(found !== undefined, `scope ${scope} in ${scopes.body.scopes.map(s => s.name).join(', ')}`);
	const vars = await client.variablesRequest({ variablesReference: found.variablesReference });
	return new Map(vars.body.variables.map(v => [v.name, v]));
}
