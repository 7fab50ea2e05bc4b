// LSP tier: the KC language server survives any text (layer: test). A property test sends random
// bytes, random C-ish token soup and truncated shipped sources as documents (user and kernel
// units), asks every feature at random positions, and requires that no request fails and the
// server logs no internal error. Cancellation answers RequestCancelled.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { CancellationTokenSource, LSPErrorCodes, ResponseError } from 'vscode-languageserver-protocol';
import { kcRoot, LspClient, positionOf, repoRoot, uriOf } from './client';

const fragments = [
	'int', 'x', 'struct s', '{', '}', '(', ')', ';', '->', '.', ',', '*', '&', '=', '"str', "'c'", '/*', '*/', '//',
	'#include <linux/mm.h>\n', '#include "', '#define M(a) a\n', 'M(', '#if 1\n', '#endif\n', '#else\n', '\\\n', '\n', ' ',
	'typedef', 'enum e {', 'A = 1', 'goto', 'out:', 'return', 'sizeof', '__attribute__((packed))', '0x', '1.5e', '[', ']',
	'vma->vm_', 'printf(', 'list_for_each_entry(', '\u00e9', '\ud83d\ude00', '\t', '\r\n',
];

const realFiles = ['kernel/mm/memory.c', 'kernel/include/linux/mm.h', 'lib/stdio.c', 'examples/hello.kc'].map(f => fs.readFileSync(path.join(kcRoot, f), 'utf8'));

const text = fc.oneof(
	fc.uint8Array({ maxLength: 400 }).map(bytes => Buffer.from(bytes).toString('utf8')),
	fc.uint8Array({ maxLength: 400 }).map(bytes => Buffer.from(bytes).toString('latin1')),
	fc.array(fc.constantFrom(...fragments), { maxLength: 120 }).map(parts => parts.join(' ')),
	fc.array(fc.constantFrom(...fragments), { maxLength: 120 }).map(parts => parts.join('')),
	fc.tuple(fc.constantFrom(...realFiles), fc.double({ min: 0, max: 1, noNaN: true })).map(([file, cut]) => file.slice(0, Math.floor(file.length * cut))),
);

/** Where words start in `source` (up to `limit`, spread over the text): positions that name things. */
function wordStarts(source: string, limit: number): { line: number; character: number }[] {
	const starts: { line: number; character: number }[] = [];
	source.split('\n').forEach((text, line) => {
		for (const match of text.matchAll(/[A-Za-z_][A-Za-z0-9_]*/g)) starts.push({ line, character: (match.index ?? 0) + 1 });
	});
	const step = Math.max(1, Math.floor(starts.length / limit));
	return starts.filter((_, i) => i % step === 0).slice(0, limit);
}

/** Random positions inside the text and a little past its lines' ends, plus positions on words. */
function positions(source: string): fc.Arbitrary<{ line: number; character: number }[]> {
	const lines = source.split('\n');
	const random = fc.array(fc.nat({ max: lines.length }).chain(line => fc.nat({ max: (lines[line]?.length ?? 0) + 2 }).map(character => ({ line, character }))), { minLength: 1, maxLength: 4 });
	return random.map(list => [...list, ...wordStarts(source, 12)]);
}

describe('lsp: robustness', function () {
	this.timeout(120000);
	let client: LspClient;

	before(async () => {
		client = await LspClient.start({ initializationOptions: { diagnosticsDelay: 0 } });
	});
	after(async () => {
		await client.stop();
	});

	it('answers every request on any text without errors', async () => {
		const uris = [uriOf(path.join(repoRoot, 'test', 'lsp', 'virtual', 'fuzz.c')), uriOf(path.join(kcRoot, 'kernel', 'drivers', 'virtual-lsp', 'fuzz.c')), 'untitled:Fuzz-1'];
		const versions = uris.map(() => 1);
		for (const uri of uris) await client.open(uri, '');
		await fc.assert(
			fc.asyncProperty(fc.nat({ max: uris.length - 1 }), text.chain(source => fc.tuple(fc.constant(source), positions(source))), fc.constantFrom(undefined, '.', '>', '<', '"', '/', '#'), async (which, [source, where], trigger) => {
				const uri = uris[which];
				const logged = client.logs.length;
				await client.change(uri, ++versions[which], [{ text: source }]);
				for (const position of where) {
					await client.hover(uri, position);
					await client.completion(uri, position, trigger);
					await client.definition(uri, position);
					await client.signatureHelp(uri, position);
				}
				const symbols = await client.symbols(uri);
				assert.ok(Array.isArray(symbols));
				const items = await client.completion(uri, where[0]);
				if (items.length > 0) await client.resolve(items[0]);
				assert.deepEqual(client.logs.slice(logged).filter(log => log.type === 1), []);
			}),
			{ numRuns: 100 },
		);
		// Diagnostics were published for the last version of each document, and the server lives on.
		for (let i = 0; i < uris.length; i++) await client.waitForDiagnostics(uris[i], p => p.version === versions[i]);
		assert.deepEqual(client.errors(), []);
		assert.equal(client.process.exitCode, null);
	});

	it('answers a cancelled request with RequestCancelled, and the next one normally', async () => {
		// No debounced analysis runs meanwhile: the hover itself analyses the changed text.
		const slow = await LspClient.start({ initializationOptions: { diagnosticsDelay: 60000 } });
		try {
			const memory = realFiles[0];
			const uri = uriOf(path.join(kcRoot, 'kernel', 'mm', 'virtual-cancel.c'));
			await slow.open(uri, memory, 1);
			await slow.change(uri, 2, [{ text: `${memory}\nint added;\n` }]);
			const source = new CancellationTokenSource();
			const position = positionOf(memory, 'vma->vm_page_prot', 6);
			const pending = slow.hover(uri, position, source);
			source.cancel();
			await assert.rejects(pending, (error: unknown) => error instanceof ResponseError && error.code === LSPErrorCodes.RequestCancelled);
			const hover = await slow.hover(uri, position);
			assert.match(JSON.stringify(hover?.contents), /vm_page_prot/);
			assert.deepEqual(slow.errors(), []);
		} finally {
			await slow.stop();
		}
	});
});
