// Properties of parseScenario (layer: sim): on any text (random strings, random JSON values,
// and valid scenarios with characters inserted, deleted or replaced) it never throws, every
// diagnostic lies inside the text, and a missing scenario always comes with an error.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { parseScenario } from '../../../../src/sim/scenario/parse';

const fixtures = path.resolve(__dirname, '../../../fixtures/scenarios');
const seeds = ['valid', 'schema-only']
	.flatMap(folder => fs.readdirSync(path.join(fixtures, folder)).filter(f => f.endsWith('.json')).map(f => fs.readFileSync(path.join(fixtures, folder, f), 'utf8')));

/** Checks the contract on one text; returns whether a scenario came out. */
function holds(text: string): boolean {
	const result = parseScenario(text, 'p.json');
	const lines = text.split(/\r\n|\r|\n/);
	for (const d of result.diagnostics) {
		const r = d.range;
		assert.equal(r.file, 'p.json');
		assert.ok(r.line >= 1 && r.line <= lines.length, `line ${r.line} outside 1..${lines.length}: ${d.message}`);
		assert.ok(r.col >= 1 && r.col <= lines[r.line - 1].length + 1, `col ${r.col} outside line ${r.line}: ${d.message}`);
		assert.ok(r.endLine > r.line || (r.endLine === r.line && r.endCol >= r.col), `range ends before it starts: ${d.message}`);
		assert.ok(d.message.length > 0);
	}
	if (result.scenario === undefined) {
		assert.ok(result.diagnostics.some(d => d.severity === 'error'), 'no scenario and no error');
	} else {
		assert.ok(result.diagnostics.every(d => d.severity !== 'error'), 'a scenario despite an error');
	}
	return result.scenario !== undefined;
}

/** One edit of a text: insert, delete or replace a run of characters. */
const edit = fc.record({
	at: fc.nat(),
	remove: fc.nat({ max: 6 }),
	insert: fc.oneof(fc.string({ maxLength: 4 }), fc.constantFrom(',', '}', ']', '"', ':', '{', '[', '//', '\n', '0x', '-', 'null', '\\', '\'')),
});

function apply(text: string, edits: readonly { at: number; remove: number; insert: string }[]): string {
	let result = text;
	for (const e of edits) {
		const at = e.at % (result.length + 1);
		result = result.slice(0, at) + e.insert + result.slice(at + e.remove);
	}
	return result;
}

describe('sim/scenario: parseScenario on any text', () => {
	it('never throws on random strings', () => {
		fc.assert(fc.property(fc.string({ maxLength: 200, unit: 'binary' }), text => {
			holds(text);
		}), { numRuns: 500 });
	});

	it('never throws on random JSON values', () => {
		fc.assert(fc.property(fc.jsonValue({ maxDepth: 4 }), fc.boolean(), (value, pretty) => {
			holds(JSON.stringify(value, null, pretty ? '\t' : undefined) ?? 'null');
		}), { numRuns: 300 });
	});

	it('never throws on edited scenarios, and gives positioned diagnostics', () => {
		let accepted = 0;
		let rejected = 0;
		fc.assert(fc.property(fc.constantFrom(...seeds), fc.array(edit, { minLength: 1, maxLength: 3 }), (text, edits) => {
			if (holds(apply(text, edits))) accepted++;
			else rejected++;
		}), { numRuns: 600 });
		// Edits inside strings often leave a valid scenario; most others break it.
		assert.ok(accepted > 0 && rejected > 0, `accepted ${accepted}, rejected ${rejected}`);
	});

	it('never throws on scenarios with values swapped for random ones', () => {
		fc.assert(fc.property(fc.constantFrom(...seeds), fc.nat(), fc.jsonValue({ maxDepth: 2 }), (text, pick, value) => {
			// Replace the pick-th scalar literal of the text with a random JSON value.
			const literals = [...text.matchAll(/"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?|true|false|null/g)];
			const target = literals[pick % literals.length];
			const index = target.index ?? 0;
			holds(text.slice(0, index) + (JSON.stringify(value) ?? 'null') + text.slice(index + target[0].length));
		}), { numRuns: 600 });
	});
});
