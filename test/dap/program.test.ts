// DAP tier: one KC program (test/dap/fixtures/touch.c) under the built adapter. Breakpoint lines
// come from the @bp markers of the fixture and from text searches in the shipped kernel sources.
// Covers: stop on entry, conditional and hit-count breakpoints, logpoints, function breakpoints,
// stack from user code into the kernel through the fault entry with a Fault scope, variables with
// struct expansion and hex, evaluate (KC expressions, REPL commands), setVariable, readMemory
// through access_process_vm, stepping, step back and reverse continue, custom requests.

import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { fixtures, launchAndStop, markerLine, resumeAndStop, scopeValues, startClient, topFrame } from './support';

const program = path.join(fixtures, 'touch.c');

describe('DAP: a KC program', function () {
	this.timeout(120_000);
	let client: DebugClient;
	let entry: DebugProtocol.StoppedEvent;

	before(async () => {
		client = await startClient();
		entry = await launchAndStop(client, { program, stopOnEntry: true });
	});

	after(async () => {
		await client.stop();
	});

	it('stops on entry at main of the process, shown as a thread with its pid', async () => {
		assert.equal(entry.body.reason, 'entry');
		const threads = await client.threadsRequest();
		assert.ok(threads.body.threads.some(t => t.id === entry.body.threadId && /touch\.c \(pid \d+\)/.test(t.name)), JSON.stringify(threads.body.threads));
		const frame = await topFrame(client, entry.body.threadId!);
		assert.equal(frame.name, 'main');
		assert.equal(frame.source?.path, program);
	});

	it('a conditional breakpoint stops only when its KC condition holds, with arguments in scope', async () => {
		const line = markerLine(program, 'square-body');
		const set = await client.setBreakpointsRequest({ source: { path: program }, breakpoints: [{ line, condition: 'x == 2' }] });
		assert.equal(set.body.breakpoints[0].verified, true);
		assert.equal(set.body.breakpoints[0].line, line);
		const stop = await resumeAndStop(client, () => client.continueRequest({ threadId: entry.body.threadId! }));
		assert.equal(stop.body.reason, 'breakpoint');
		const frame = await topFrame(client, stop.body.threadId!);
		assert.equal(frame.line, line);
		const args = await scopeValues(client, frame.id, 'Arguments');
		assert.equal(args.get('x')?.value, '2');
		const evaluated = await client.evaluateRequest({ expression: 'x * 10 + counter', frameId: frame.id, context: 'watch' });
		assert.equal(evaluated.body.result, '22');
	});

	it('expands structs in the caller frame, shows hex, and evaluates member expressions', async () => {
		const trace = await client.stackTraceRequest({ threadId: entry.body.threadId! });
		const main = trace.body.stackFrames.find(f => f.name === 'main')!;
		const locals = await scopeValues(client, main.id, 'Locals');
		const pair = locals.get('pair')!;
		assert.ok(pair.variablesReference > 0);
		const members = await client.variablesRequest({ variablesReference: pair.variablesReference });
		const byName = new Map(members.body.variables.map(v => [v.name, v.value]));
		assert.equal(byName.get('left'), '3');
		assert.equal(byName.get('right'), '40');
		assert.equal(byName.get('name'), '"pair"');
		const hex = await client.variablesRequest({ variablesReference: pair.variablesReference, format: { hex: true } });
		assert.equal(hex.body.variables.find(v => v.name === 'right')?.value, '0x28');
		const member = await client.evaluateRequest({ expression: 'pair.right / 4 + sizeof(pair)', frameId: main.id, context: 'hover' });
		assert.equal(member.body.result, String(10 + 24));
		await assert.rejects(client.evaluateRequest({ expression: 'pair.nope', frameId: main.id, context: 'hover' }), /no member named 'nope'|nope/);
	});

	it('setVariable writes a register local and the program sees it', async () => {
		const frame = await topFrame(client, entry.body.threadId!);
		const scopes = await client.scopesRequest({ frameId: frame.id });
		const args = scopes.body.scopes.find(s => s.name === 'Arguments')!;
		const set = await client.setVariableRequest({ variablesReference: args.variablesReference, name: 'x', value: '5' });
		assert.equal(set.body.value, '5');
		const check = await client.evaluateRequest({ expression: 'x', frameId: frame.id, context: 'watch' });
		assert.equal(check.body.result, '5');
		// Put the original value back for the rest of the run.
		await client.setVariableRequest({ variablesReference: args.variablesReference, name: 'x', value: '2' });
	});

	it('steps over within the function, then back (stepBack lands on the statement before)', async () => {
		const threadId = entry.body.threadId!;
		const before = await topFrame(client, threadId);
		const stepped = await resumeAndStop(client, () => client.nextRequest({ threadId }));
		assert.equal(stepped.body.reason, 'step');
		const after = await topFrame(client, threadId);
		assert.equal(after.line, before.line + 1);
		const back = await resumeAndStop(client, () => client.stepBackRequest({ threadId }));
		assert.equal(back.body.reason, 'step');
		const again = await topFrame(client, threadId);
		assert.equal(again.line, before.line);
		const args = await scopeValues(client, again.id, 'Arguments');
		assert.equal(args.get('x')?.value, '2');
	});

	it('a hit-count breakpoint and a logpoint', async () => {
		const threadId = entry.body.threadId!;
		await client.setBreakpointsRequest({ source: { path: program }, breakpoints: [] });
		const line = markerLine(program, 'loop-call');
		const output: string[] = [];
		const listener = (event: DebugProtocol.OutputEvent) => output.push(event.body.output);
		client.on('output', listener);
		await client.setBreakpointsRequest({ source: { path: program }, breakpoints: [{ line: markerLine(program, 'square-body'), logMessage: 'square of {x}' }, { line: markerLine(program, 'first-touch'), hitCondition: '1' }] });
		const stop = await resumeAndStop(client, () => client.continueRequest({ threadId }));
		client.off('output', listener);
		assert.equal(stop.body.reason, 'breakpoint');
		assert.equal((await topFrame(client, threadId)).line, markerLine(program, 'first-touch'));
		assert.ok(output.some(text => text.includes('square of 3')), output.join(''));
		void line;
	});

	it('stops on a write page fault (exception filter with a condition) deep in the kernel with a Fault scope', async () => {
		const threadId = entry.body.threadId!;
		await client.setBreakpointsRequest({ source: { path: program }, breakpoints: [] });
		await client.setExceptionBreakpointsRequest({ filters: [], filterOptions: [{ filterId: 'pageFault', condition: 'write && user' }] });
		const stop = await resumeAndStop(client, () => client.continueRequest({ threadId }));
		assert.equal(stop.body.reason, 'exception');
		const info = await client.exceptionInfoRequest({ threadId });
		assert.match(info.body.description ?? '', /Page fault at 0x[0-9a-f]+ \(write, user\)/);
		const trace = await client.stackTraceRequest({ threadId });
		const names = trace.body.stackFrames.map(f => f.name);
		assert.equal(names[0], 'do_page_fault');
		const label = trace.body.stackFrames.findIndex(f => f.presentationHint === 'label');
		assert.ok(label > 0 && /page fault: .*write, user at 0x/.test(trace.body.stackFrames[label].name), names.join(' / '));
		assert.equal(trace.body.stackFrames[label + 1].name, 'main');
		assert.equal(trace.body.stackFrames[label + 1].line, markerLine(program, 'first-touch'));
		assert.match(trace.body.stackFrames[0].source?.path ?? '', /kc[\\/]kernel[\\/]/);
		const fault = await scopeValues(client, trace.body.stackFrames[0].id, 'Fault');
		assert.equal(fault.get('access')?.value, 'write');
		assert.match(fault.get('vma')?.value ?? '', /VM_READ\|VM_WRITE/);
		assert.match(fault.get('pte before')?.value ?? '', /none|not present/);
		// The REPL's view of the same address.
		const page = fault.get('address')!.value;
		const maps = await client.evaluateRequest({ expression: 'maps', context: 'repl', frameId: trace.body.stackFrames[0].id });
		assert.match(maps.body.result, /rw-p/);
		const vtop = await client.evaluateRequest({ expression: `vtop ${page}`, context: 'repl' });
		assert.match(vtop.body.result, /not mapped/);
		await client.setExceptionBreakpointsRequest({ filters: [] });
	});

	it('steps out of the fault handler back to the faulting statement, which then runs', async () => {
		const threadId = entry.body.threadId!;
		const out = await resumeAndStop(client, () => client.stepOutRequest({ threadId }));
		assert.equal(out.body.reason, 'step');
		const frame = await topFrame(client, threadId);
		assert.equal(frame.name, 'main');
		assert.ok(frame.line > markerLine(program, 'first-touch'));
		const vtop = await client.evaluateRequest({ expression: 'vtop page', context: 'repl' });
		assert.match(vtop.body.result, /not an address/);
		const page = await client.evaluateRequest({ expression: 'page', frameId: frame.id, context: 'watch' });
		const address = page.body.memoryReference!;
		const walk = await client.evaluateRequest({ expression: `pte ${address}`, context: 'repl' });
		assert.match(walk.body.result, /struct page: refcount 1 mapcount 1/);
	});

	it('reads memory through access_process_vm and agrees with the machine', async () => {
		const threadId = entry.body.threadId!;
		const frame = await topFrame(client, threadId);
		const page = await client.evaluateRequest({ expression: 'page', frameId: frame.id, context: 'watch' });
		const read = await client.send('readMemory', { memoryReference: page.body.memoryReference!, count: 4 }) as DebugProtocol.ReadMemoryResponse;
		assert.equal(read.body?.unreadableBytes ?? 0, 0);
		assert.equal(Buffer.from(read.body!.data!, 'base64')[0], 'a'.charCodeAt(0));
		const peek = await client.customRequest('faultline/peek', { address: page.body.memoryReference, length: 1, path: 'ptrace' });
		assert.equal(peek.body.via, 'gup');
		assert.equal(Buffer.from(peek.body.data, 'base64')[0], 'a'.charCodeAt(0));
		const machine = await client.customRequest('faultline/peek', { address: page.body.memoryReference, length: 1, path: 'machine' });
		assert.equal(machine.body.data, peek.body.data);
		// A hole between mappings: nothing through ptrace (EIO), said so.
		const hole = await client.customRequest('faultline/peek', { address: '0x1000', length: 8, path: 'ptrace' });
		assert.equal(hole.body.bytesRead, 0);
		assert.match(hole.body.error, /no VMA/);
	});

	it('answers the address-space and timeline custom requests', async () => {
		const threadId = entry.body.threadId!;
		const processes = await client.customRequest('faultline/addressSpaces', {});
		assert.ok(processes.body.processes.some((p: { pid: number }) => p.pid === threadId));
		const vmas = await client.customRequest('faultline/addressSpaces', { pid: threadId });
		const anon = vmas.body.vmas.find((v: { pages: number; perms: string; backing: string }) => v.pages === 2 && v.perms === 'rw-p' && v.backing === 'anon');
		assert.ok(anon !== undefined, JSON.stringify(vmas.body.vmas));
		assert.equal(anon.mappedPages, 1);
		const pages = await client.customRequest('faultline/addressSpaces', { pid: threadId, vma: anon.start, start: 0, count: 2 });
		assert.equal(pages.body.total, 2);
		assert.equal(pages.body.pages[0].present, true);
		assert.equal(pages.body.pages[1].present, false);
		const timeline = await client.customRequest('faultline/timeline', { kinds: ['fault'] });
		assert.ok(timeline.body.total >= 1);
		assert.ok(timeline.body.events.every((e: { kind: string }) => e.kind === 'fault'));
	});

	it('travels back to a timeline event and reverse-continues to a breakpoint', async () => {
		const threadId = entry.body.threadId!;
		const timeline = await client.customRequest('faultline/timeline', { kinds: ['fault'] });
		const first = timeline.body.events[timeline.body.events.length - 1];
		const travel = await client.customRequest('faultline/travel', { eventId: first.id });
		assert.ok(travel.body.time <= timeline.body.now);
		await client.setBreakpointsRequest({ source: { path: program }, breakpoints: [{ line: markerLine(program, 'loop-call') }] });
		const reverse = await resumeAndStop(client, () => client.send('reverseContinue', { threadId }));
		assert.equal(reverse.body.reason, 'breakpoint');
		const frame = await topFrame(client, threadId);
		assert.equal(frame.line, markerLine(program, 'loop-call'));
		const i = await client.evaluateRequest({ expression: 'i', frameId: frame.id, context: 'watch' });
		assert.equal(i.body.result, '3');
	});

	it('runs to the end: the child of fork stops at its breakpoint, then the program exits with its output', async () => {
		const threadId = entry.body.threadId!;
		await client.setBreakpointsRequest({ source: { path: program }, breakpoints: [{ line: markerLine(program, 'child-write') }] });
		const child = await resumeAndStop(client, () => client.continueRequest({ threadId }));
		assert.equal(child.body.reason, 'breakpoint');
		assert.notEqual(child.body.threadId, threadId);
		await client.setBreakpointsRequest({ source: { path: program }, breakpoints: [] });
		const output: string[] = [];
		client.on('output', (event: DebugProtocol.OutputEvent) => output.push(event.body.output));
		const terminated = client.waitForEvent('terminated');
		await client.continueRequest({ threadId: child.body.threadId! });
		await terminated;
		assert.ok(output.join('').includes('total 14 counter 4 left 14 page ab'), output.join(''));
	});
});
