// DAP tier, robustness: random and malformed request sequences (fast-check) against the built
// adapter, stopped in a KC program. Every request must be answered (a response or an error
// response, within the client's timeout) and the adapter must keep answering afterwards.

import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import fc from 'fast-check';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import { fixtures, launchAndStop, startClient } from './support';

const program = path.join(fixtures, 'touch.c');

/** Values of any JSON shape, including the wrong one for each argument. */
const junk = fc.oneof(
	fc.constant(undefined),
	fc.constant(null),
	fc.integer({ min: -5, max: 100_000 }),
	fc.double(),
	fc.string({ maxLength: 12 }),
	fc.constantFrom('0x0', '0x1000', 'phys:0x0', 'phys:0x100000', '0xffff888000000000', 'x', 'x + ', 'pair.left', 'maps', 'vtop 0x1000', 'page 1', '(struct pair *)0', '*(int *)0'),
	fc.array(fc.integer(), { maxLength: 3 }),
	fc.dictionary(fc.string({ maxLength: 6 }), fc.integer(), { maxKeys: 3 }),
);

const commands = [
	'threads', 'stackTrace', 'scopes', 'variables', 'evaluate', 'setVariable', 'setBreakpoints', 'setFunctionBreakpoints',
	'setExceptionBreakpoints', 'breakpointLocations', 'exceptionInfo', 'readMemory', 'writeMemory', 'completions', 'modules',
	'next', 'stepIn', 'stepOut', 'stepBack', 'pause', 'source', 'gotoTargets', 'restartFrame', 'noSuchCommand',
	'faultline/addressSpaces', 'faultline/physicalMemory', 'faultline/devices', 'faultline/locks', 'faultline/timeline',
	'faultline/peek', 'faultline/runTaskNext', 'faultline/travel',
] as const;

const request = fc.record({
	command: fc.constantFrom(...commands),
	args: fc.dictionary(
		fc.constantFrom('threadId', 'frameId', 'variablesReference', 'expression', 'context', 'name', 'value', 'source', 'breakpoints', 'filters', 'memoryReference', 'count', 'offset', 'data', 'line', 'text', 'column', 'pid', 'vma', 'start', 'address', 'length', 'path', 'eventId', 'time', 'region'),
		junk,
		{ maxKeys: 5 },
	),
});

describe('DAP: robustness', function () {
	this.timeout(300_000);
	let client: DebugClient;

	before(async () => {
		client = await startClient();
		client.defaultTimeout = 30_000;
		await launchAndStop(client, { program, stopOnEntry: true });
	});

	after(async () => {
		await client.stop();
	});

	it('answers every random or malformed request and keeps answering', async () => {
		let answered = 0;
		await fc.assert(
			fc.asyncProperty(fc.array(request, { minLength: 1, maxLength: 12 }), async requests => {
				for (const r of requests) {
					// Resuming requests are answered at once; the stop they cause arrives as an event.
					await client.send(r.command, r.args).then(() => undefined, (error: Error) => {
						assert.ok(!/timeout/i.test(error.message), `${r.command} was not answered: ${error.message}`);
					});
					answered++;
				}
				// Still alive and consistent: threads answers.
				const threads = await client.threadsRequest();
				assert.ok(Array.isArray(threads.body.threads));
			}),
			{ numRuns: 25, seed: 42 },
		);
		assert.ok(answered > 25);
	});
});
