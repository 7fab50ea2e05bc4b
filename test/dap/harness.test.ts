// DAP tier: scenarios whose harness tasks fire after launch, under the built adapter (issue 5). The
// spu-ls-backing scenario (kernel-semantics.md section 8 scenario 2, seed 001) switches SPE 0 from
// ctxA to ctxB when the parent reaches `ls_backing.c:switch-here`: under the debugger the harness
// task is a kernel thread that appears among the threads, breakpoints stop inside it (spu_save in
// spufs/switch.c), and a PEEK of the local store through the simulated access_process_vm before and
// after the switch shows what each era does (2.6.18: get_user_pages on the SPE's hot-added struct
// pages, then on the save area after the refault; 6.8: the mapping is VM_IO|VM_PFNMAP and spufs's
// ->access reads the context's current backing, kernel-semantics.md 3.2-3.3).

import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import { kcRoot, launchAndStop, lineContaining, resumeAndStop, startClient, topFrame } from './support';

const folder = path.join(kcRoot, 'examples', 'scenarios', 'spu-ls-backing');
const scenario = path.join(folder, 'spu-ls-backing.json');
const program = path.join(folder, 'ls_backing.c');
const switchC = path.join(kcRoot, 'kernel', 'arch', 'powerpc', 'platforms', 'cell', 'spufs', 'switch.c');
/** ls[WORD_AT / 4] of ls_backing.c: LS_AT + WORD_AT. */
const WORD = '0x50002000';
const SEED = 0x5eed0001;

/** A PEEK of the word through ptrace's path (access_process_vm) and through the machine's page tables. */
async function peekWord(client: DebugClient, pid: number): Promise<{ ptrace: { value?: number; via: string; error?: string }; machine?: number }> {
	const ptrace = (await client.customRequest('faultline/peek', { address: WORD, length: 4, path: 'ptrace', pid })).body;
	const machine = (await client.customRequest('faultline/peek', { address: WORD, length: 4, path: 'machine', pid })).body;
	const word = (data: string) => (Buffer.from(data, 'base64').length === 4 ? Buffer.from(data, 'base64').readUInt32LE(0) : undefined);
	return { ptrace: { value: word(ptrace.data), via: ptrace.via, ...(ptrace.error === undefined ? {} : { error: ptrace.error }) }, machine: word(machine.data) };
}

async function repl(client: DebugClient, frameId: number, expression: string): Promise<string> {
	return (await client.evaluateRequest({ expression, frameId, context: 'repl' })).body.result;
}

describe('DAP: harness tasks fired by a statement (spu-ls-backing)', function () {
	this.timeout(240_000);

	for (const profile of ['linux-2.6.18', 'linux-6.8']) {
		it(`${profile}: PEEK of the SPU local store before and after the context switch the harness forces (seed 001, kernel-semantics.md 3.2)`, async () => {
			const client = await startClient();
			try {
				const before = lineContaining(program, 'phase[0] = 1;');
				const after = lineContaining(program, 'printf("parent: after the switch');
				const first = await launchAndStop(client, { scenario, profile }, async () => {
					await client.setBreakpointsRequest({ source: { path: program }, breakpoints: [{ line: before }, { line: after }] });
				});
				assert.equal(first.body.reason, 'breakpoint');
				const pid = first.body.threadId!;
				assert.equal((await topFrame(client, pid)).line, before);
				// Before: ctxA runs on SPE 0; the parent's PTE maps the SPE's local store.
				const frame = await topFrame(client, pid);
				const vtopBefore = await repl(client, frame.id, `vtop ${WORD}`);
				assert.match(vtopBefore, /c0002/i, vtopBefore);
				const peekBefore = await peekWord(client, pid);
				assert.equal(peekBefore.machine, SEED);
				assert.equal(peekBefore.ptrace.value, SEED, JSON.stringify(peekBefore));
				assert.equal(peekBefore.ptrace.via, profile === 'linux-2.6.18' ? 'gup' : 'access');
				assert.equal((await client.threadsRequest()).body.threads.some(t => /^switch /.test(t.name)), false, 'no harness thread before its trigger');

				// The trigger fires at switch-here; the breakpoint on the same statement stops after it.
				const second = await resumeAndStop(client, () => client.continueRequest({ threadId: pid }));
				assert.equal(second.body.reason, 'breakpoint');
				assert.equal(second.body.threadId, pid);
				assert.equal((await topFrame(client, pid)).line, after);
				const threads = (await client.threadsRequest()).body.threads;
				const harness = threads.find(t => /^switch \(pid \d+\)/.test(t.name));
				assert.ok(harness !== undefined, `the harness task is a thread: ${threads.map(t => t.name).join(', ')}`);
				assert.match(harness.name, /\[kernel thread\]$/);
				// It has fired but not run yet (it runs alone, before anything else, when the machine goes on).
				assert.match(await repl(client, (await topFrame(client, pid)).id, `vtop ${WORD}`), /c0002/i);
				// A breakpoint in spu_save stops in the harness thread, under spu_context_switch.
				const save = lineContaining(switchC, 'int spu_save(') + 1;
				await client.setBreakpointsRequest({ source: { path: switchC }, breakpoints: [{ line: save }] });
				const inSave = await resumeAndStop(client, () => client.continueRequest({ threadId: pid }));
				assert.equal(inSave.body.threadId, harness.id);
				const stack = (await client.stackTraceRequest({ threadId: harness.id })).body.stackFrames.map(f => f.name);
				assert.ok(stack.some(n => /spu_save/.test(n)), stack.join(' < '));
				assert.ok(stack.some(n => /spu_context_switch|spu_unbind_context/.test(n)), stack.join(' < '));
				await client.setBreakpointsRequest({ source: { path: switchC }, breakpoints: [] });
				const later = lineContaining(program, 'phase[0] = 3;');
				await client.setBreakpointsRequest({ source: { path: program }, breakpoints: [{ line: later }] });
				const third = await resumeAndStop(client, () => client.continueRequest({ threadId: harness.id }));
				assert.equal(third.body.threadId, pid);
				assert.equal((await topFrame(client, pid)).line, later);
				assert.equal((await client.threadsRequest()).body.threads.some(t => t.id === harness.id), false, 'the harness task has ended');

				// After: the switch zapped the PTE and the parent's read refaulted it onto ctxA's save area
				// (RAM); a PEEK still reads ctxA's word.
				const frameAfter = await topFrame(client, pid);
				const vtopAfter = await repl(client, frameAfter.id, `vtop ${WORD}`);
				assert.doesNotMatch(vtopAfter, /c0002/i, vtopAfter);
				const peekAfter = await peekWord(client, pid);
				assert.equal(peekAfter.ptrace.value, SEED, JSON.stringify(peekAfter));
				assert.equal(peekAfter.ptrace.via, profile === 'linux-2.6.18' ? 'gup' : 'access');
				const timeline = await client.customRequest('faultline/timeline', { kinds: ['harness'] });
				assert.equal(timeline.body.events.length, 1, JSON.stringify(timeline.body));
				assert.match(timeline.body.events[0].text, /harness switch fired \(statement ls_backing.c:switch-here\)/);
			} finally {
				await client.stop();
			}
		});
	}
});

describe('DAP: data breakpoints (spu-ls-backing)', function () {
	this.timeout(240_000);

	it('a data breakpoint on the translation of the local-store page fires when the forced switch zaps the PTE, then when the refault installs the save area (issue 5, kernel-semantics.md 3.1)', async () => {
		const client = await startClient();
		try {
			const before = lineContaining(program, 'phase[0] = 1;');
			const first = await launchAndStop(client, { scenario, profile: 'linux-6.8' }, async () => {
				await client.setBreakpointsRequest({ source: { path: program }, breakpoints: [{ line: before }] });
			});
			const pid = first.body.threadId!;
			const frame = await topFrame(client, pid);
			const info = await client.dataBreakpointInfoRequest({ name: `pte ${WORD}`, frameId: frame.id });
			assert.equal(info.body.dataId, `pte:${pid}:${WORD}`);
			const set = await client.setDataBreakpointsRequest({ breakpoints: [{ dataId: info.body.dataId!, accessType: 'write' }] });
			assert.equal(set.body.breakpoints[0].verified, true, JSON.stringify(set.body));
			// A watch on something that is not memory is refused, with the reason.
			const bad = await client.dataBreakpointInfoRequest({ name: 'phys:0xfee00000', asAddress: true });
			const refused = await client.setDataBreakpointsRequest({ breakpoints: [{ dataId: info.body.dataId! }, { dataId: bad.body.dataId! }] });
			assert.equal(refused.body.breakpoints[0].verified, true);
			assert.equal(refused.body.breakpoints[1].verified, false, 'a physical watch on nothing is refused');
			await client.setBreakpointsRequest({ source: { path: program }, breakpoints: [] });

			// The zap: inside the harness thread, under spu_context_switch.
			const zap = await resumeAndStop(client, () => client.continueRequest({ threadId: pid }));
			assert.equal(zap.body.reason, 'data breakpoint');
			assert.match(zap.body.text ?? '', /^the translation of 0x50002000 in p changed: 0x[0-9a-f]*c0002[0-9a-f]{3} pfn 0xc0002 -> none \(level-1 entry empty\) \(written by switch\)$/, zap.body.text);
			const harness = (await client.threadsRequest()).body.threads.find(t => t.id === zap.body.threadId);
			assert.match(harness?.name ?? '', /^switch /);
			const zapStack = (await client.stackTraceRequest({ threadId: zap.body.threadId! })).body.stackFrames.map(f => f.name);
			assert.ok(zapStack.some(n => /unmap_mapping_range|zap_/.test(n)), zapStack.join(' < '));
			assert.ok(zapStack.some(n => /spu_context_switch|spu_unbind_context|spu_unmap_mappings/.test(n)), zapStack.join(' < '));

			// The refault: in the parent's fault path, onto a RAM page of the save area.
			const refault = await resumeAndStop(client, () => client.continueRequest({ threadId: zap.body.threadId! }));
			assert.equal(refault.body.reason, 'data breakpoint');
			assert.equal(refault.body.threadId, pid, refault.body.text);
			assert.doesNotMatch(refault.body.text ?? '', /-> 0x[0-9a-f]*c0002[0-9a-f]{3}/);
			assert.match(refault.body.text ?? '', /-> 0x[0-9a-f]+ pfn 0x[0-9a-f]+ \(written by p\)$/);
			const faultStack = (await client.stackTraceRequest({ threadId: pid })).body.stackFrames.map(f => f.name);
			assert.ok(faultStack.some(n => /spufs_mem_mmap_fault/.test(n)), faultStack.join(' < '));
			assert.ok(faultStack.some(n => /vmf_insert_pfn/.test(n)), faultStack.join(' < '));
			// Reverse: stepping back from the refault stop lands before the PTE write, where the watch still reads none.
			const back = await resumeAndStop(client, () => client.stepBackRequest({ threadId: pid }));
			assert.equal(back.body.reason, 'step');
			const vtop = await repl(client, (await topFrame(client, pid)).id, `vtop ${WORD}`);
			assert.doesNotMatch(vtop, /-> physical/, vtop);
			// Forward again: the write happens in the step, and the data breakpoint says so.
			const again = await resumeAndStop(client, () => client.nextRequest({ threadId: pid }));
			assert.equal(again.body.reason, 'data breakpoint');
			assert.match(again.body.text ?? '', /none \(level-1 entry empty\) -> 0x[0-9a-f]+ pfn/);
			assert.match(await repl(client, (await topFrame(client, pid)).id, `vtop ${WORD}`), /-> physical 0x1?[0-9a-f]{1,5}000 /);
		} finally {
			await client.stop();
		}
	});
});
