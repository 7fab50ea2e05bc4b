// Measures the KC language server's request latency on kc/kernel/mm/memory.c over stdio (LSP tier
// tooling, not a test: `npm run build && npx tsx test/lsp/latency.ts`). Prints a table of median and
// 95th percentile times for hover and completion, with the analysis already done ("warm") and right
// after an edit (the request analyses the new text first), plus the first analysis.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { kcRoot, LspClient, uriOf } from './client';

function percentile(values: readonly number[], p: number): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * p))];
}

async function time(run: () => Promise<unknown>): Promise<number> {
	const start = performance.now();
	await run();
	return performance.now() - start;
}

async function main(): Promise<void> {
	const file = path.join(kcRoot, 'kernel', 'mm', 'memory.c');
	const text = fs.readFileSync(file, 'utf8');
	const lines = text.split('\n');
	const uri = uriOf(file);
	// Identifier positions spread over the file, and the places where `->` is followed by a member.
	const words: { line: number; character: number }[] = [];
	const arrows: { line: number; character: number }[] = [];
	lines.forEach((source, line) => {
		for (const match of source.matchAll(/[A-Za-z_][A-Za-z0-9_]*/g)) words.push({ line, character: (match.index ?? 0) + 1 });
		for (const match of source.matchAll(/->/g)) arrows.push({ line, character: (match.index ?? 0) + 2 });
	});
	const sample = <T>(list: readonly T[], count: number) => list.filter((_, i) => i % Math.max(1, Math.floor(list.length / count)) === 0).slice(0, count);

	const client = await LspClient.start({ initializationOptions: { diagnosticsDelay: 60000 } });
	const rows: [string, number[]][] = [];
	try {
		await client.open(uri, text, 1);
		rows.push(['first analysis + hover', [await time(() => client.hover(uri, words[100]))]]);
		const hovers: number[] = [];
		for (const position of sample(words, 200)) hovers.push(await time(() => client.hover(uri, position)));
		rows.push(['hover (warm)', hovers]);
		const members: number[] = [];
		for (const position of sample(arrows, 100)) members.push(await time(() => client.completion(uri, position, '>')));
		rows.push(['completion after -> (warm)', members]);
		const names: number[] = [];
		for (const position of sample(words, 100)) names.push(await time(() => client.completion(uri, position)));
		rows.push(['completion of names (warm)', names]);
		const definitions: number[] = [];
		for (const position of sample(words, 100)) definitions.push(await time(() => client.definition(uri, position)));
		rows.push(['definition (warm)', definitions]);
		// Typing: insert a character at the end of the file, then ask (the request analyses the new text).
		let version = 1;
		const end = { line: lines.length - 1, character: 0 };
		const edited = async (ask: () => Promise<unknown>) => {
			await client.change(uri, ++version, [{ range: { start: end, end }, text: ' ' }]);
			return time(ask);
		};
		const hoverAfterEdit: number[] = [];
		for (const position of sample(words, 30)) hoverAfterEdit.push(await edited(() => client.hover(uri, position)));
		rows.push(['hover after an edit', hoverAfterEdit]);
		const completionAfterEdit: number[] = [];
		for (const position of sample(arrows, 30)) completionAfterEdit.push(await edited(() => client.completion(uri, position, '>')));
		rows.push(['completion after an edit', completionAfterEdit]);
	} finally {
		await client.stop();
	}
	console.log(`kc/kernel/mm/memory.c: ${lines.length} lines, ${text.length} characters`);
	console.log(`${'request'.padEnd(30)} ${'n'.padStart(4)} ${'median ms'.padStart(10)} ${'p95 ms'.padStart(8)}`);
	for (const [name, values] of rows) {
		console.log(`${name.padEnd(30)} ${String(values.length).padStart(4)} ${percentile(values, 0.5).toFixed(1).padStart(10)} ${percentile(values, 0.95).toFixed(1).padStart(8)}`);
	}
}

void main();
