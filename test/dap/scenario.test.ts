// DAP tier: shipped scenarios under the built adapter, and `faultline dap` itself. The signals
// scenario stops on SIGSEGV (exception filter) in the killed process; the threads scenario shows
// its tasks as threads and steps one thread with the others frozen; `faultline dap` answers
// initialize on stdio.

import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import { kcRoot, launchAndStop, resumeAndStop, root, startClient, topFrame } from './support';

const scenarios = path.join(kcRoot, 'examples', 'scenarios');

describe('DAP: scenarios', function () {
	this.timeout(180_000);

	it('signals: SIGSEGV stops in the process the kernel kills, with an explanation', async () => {
		const client: DebugClient = await startClient();
		try {
			const stop = await launchAndStop(client, { scenario: path.join(scenarios, 'signals', 'signals.json') }, async () => {
				await client.setExceptionBreakpointsRequest({ filters: ['signal'] });
			});
			assert.equal(stop.body.reason, 'exception');
			const info = await client.exceptionInfoRequest({ threadId: stop.body.threadId! });
			assert.equal(info.body.exceptionId, 'SIGSEGV');
			assert.match(info.body.details?.message ?? '', /write fault at 0x[0-9a-f]+064/);
			const threads = await client.threadsRequest();
			const thread = threads.body.threads.find(t => t.id === stop.body.threadId);
			assert.match(thread?.name ?? '', /^segv \(pid \d+\)/);
		} finally {
			await client.stop();
		}
	});

	it('threads-same-page: every thread is listed; a single-thread step leaves the others where they were', async () => {
		const client: DebugClient = await startClient();
		try {
			const file = path.join(scenarios, 'threads-same-page', 'same_page.c');
			const stop = await launchAndStop(client, { scenario: path.join(scenarios, 'threads-same-page', 'threads-same-page.json') }, async () => {
				await client.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'worker' }] });
			});
			assert.equal(stop.body.reason, 'function breakpoint');
			const threads = await client.threadsRequest();
			assert.ok(threads.body.threads.length >= 2, JSON.stringify(threads.body.threads));
			const others = threads.body.threads.filter(t => t.id !== stop.body.threadId);
			const before = await Promise.all(others.map(async t => (await client.stackTraceRequest({ threadId: t.id })).body.stackFrames.map(f => `${f.name}:${f.line}`).join('/')));
			const frame = await topFrame(client, stop.body.threadId!);
			assert.equal(frame.source?.path, file);
			const stepped = await resumeAndStop(client, () => client.nextRequest({ threadId: stop.body.threadId!, singleThread: true }));
			assert.equal(stepped.body.reason, 'step');
			assert.notEqual((await topFrame(client, stop.body.threadId!)).line, frame.line);
			const after = await Promise.all(others.map(async t => (await client.stackTraceRequest({ threadId: t.id })).body.stackFrames.map(f => `${f.name}:${f.line}`).join('/')));
			assert.deepEqual(after, before);
		} finally {
			await client.stop();
		}
	});

	it('`faultline dap` answers initialize on stdio', async () => {
		const child = spawn(process.execPath, [path.join(root, 'dist', 'cli.js'), 'dap'], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] });
		const body = JSON.stringify({ seq: 1, type: 'request', command: 'initialize', arguments: { adapterID: 'faultline', pathFormat: 'path' } });
		child.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
		const answer = await new Promise<string>((resolve, reject) => {
			let text = '';
			child.stdout.on('data', (chunk: Buffer) => {
				text += chunk.toString('utf8');
				if (text.includes('"command":"initialize"')) resolve(text);
			});
			child.on('exit', code => reject(new Error(`faultline dap exited with ${code}: ${text}`)));
		});
		child.stdin.end();
		assert.match(answer, /"supportsStepBack":true/);
		assert.match(answer, /"success":true/);
		await new Promise(resolve => child.on('exit', resolve));
	});
});
