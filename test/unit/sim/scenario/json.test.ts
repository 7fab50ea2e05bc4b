// The position-keeping JSON parser of scenario files (layer: sim): values and their offsets,
// strict JSON (no comments, no trailing commas, no single quotes), the exact position and wording
// of the first syntax error, line counting across \n, \r\n and \r, and path helpers.

import * as assert from 'node:assert/strict';
import { formatJsonPath, jsonNodeAt, jsonValue, parseJson, TextPositions } from '../../../../src/sim/scenario/json';

/** `line:col: message` of the first diagnostic, or `ok`. */
function firstError(text: string): string {
	const result = parseJson(text, 'f.json');
	const d = result.diagnostics[0];
	return d === undefined ? 'ok' : `${d.range.line}:${d.range.col}: ${d.message}`;
}

describe('sim/scenario: JSON parser', () => {
	it('reads every kind of value, with escapes, exactly as JSON.parse does', () => {
		const text = '{"a": [1, -2.5e3, 0, true, false, null], "b": {"c": "x\\ty\\u00e9\\n\\"\\\\\\/"}, "__proto__": {"d": []}}';
		const result = parseJson(text, 'f.json');
		assert.deepEqual(result.diagnostics, []);
		assert.ok(result.root !== undefined);
		assert.equal(JSON.stringify(jsonValue(result.root)), JSON.stringify(JSON.parse(text)));
	});

	it('keeps the offsets of values and keys', () => {
		const text = '{\n\t"machine": { "ram": "64M" },\n\t"list": [10, 20]\n}';
		const result = parseJson(text, 'f.json');
		assert.ok(result.root !== undefined);
		const ram = jsonNodeAt(result.root, ['machine', 'ram']);
		assert.equal(text.slice(ram.start, ram.end), '"64M"');
		assert.deepEqual(result.positions.range(ram.start, ram.end), { file: 'f.json', line: 2, col: 22, endLine: 2, endCol: 27 });
		const second = jsonNodeAt(result.root, ['list', 1]);
		assert.equal(text.slice(second.start, second.end), '20');
		assert.equal(result.root.kind === 'object' && text.slice(result.root.properties[1].keyStart, result.root.properties[1].keyEnd), '"list"');
		// A path that leaves the tree stops at the deepest node on the way.
		assert.equal(jsonNodeAt(result.root, ['machine', 'cpus']), jsonNodeAt(result.root, ['machine']));
	});

	it('reports the first syntax error at the offending character', () => {
		const cases: [string, string][] = [
			['', '1:1: expected a JSON value, but the file is empty'],
			['  \n  ', '2:3: expected a JSON value, but the file is empty'],
			['{"a": 1,}', '1:8: trailing comma before \'}\' is not allowed in JSON'],
			['[1,\n 2,\n]', '2:3: trailing comma before \']\' is not allowed in JSON'],
			['{"a" 1}', '1:6: expected \':\' after the property name "a", got \'1\''],
			['{"a": 1 "b": 2}', '1:9: missing \',\' between properties'],
			['[1 2]', '1:4: expected \',\' or \']\' after the array element, got \'2\''],
			['[{} {}]', '1:5: missing \',\' between array elements'],
			['{a: 1}', '1:2: property names must be in double quotes: "a"'],
			['{\'a\': 1}', '1:2: property names must be in double quotes'],
			['{"a": \'x\'}', '1:7: strings must be in double quotes'],
			['{"a": tru}', '1:7: unexpected word \'tru\': expected a JSON value (strings need double quotes)'],
			['{"a": True}', '1:7: unexpected word \'True\': expected a JSON value (strings need double quotes)'],
			['{"a": nullx}', '1:7: unexpected word \'nullx\': expected a JSON value (strings need double quotes)'],
			['{"a": 012}', '1:7: invalid number \'012\' (JSON numbers have no leading zeros)'],
			['{"a": 0x10}', '1:7: invalid number \'0x10\' (JSON has no hexadecimal numbers; write a string such as "0x1000")'],
			['{"a": 1.}', '1:7: invalid number \'1.\''],
			['{"a": -}', '1:7: invalid number'],
			['{"a": +1}', '1:7: expected a JSON value, got \'+\''],
			['{"a": "x\n"}', '1:7: unterminated string (a line break must be written \\n)'],
			['{"a": "x', '1:7: unterminated string'],
			['{"a": "\\q"}', '1:8: invalid escape \'\\q\' in a string'],
			['{"a": "\\u12g4"}', '1:8: \\u must be followed by four hexadecimal digits'],
			['{"a": "\t"}', '1:8: character U+0009 in a string must be escaped'],
			['{"a": 1} x', '1:10: unexpected \'x\' after the end of the JSON value'],
			['{"a": 1, "a": 2}', '1:10: duplicate property "a" in this object'],
			['// c\n{}', '1:1: comments are not allowed in JSON'],
			['{} /* c */', '1:4: comments are not allowed in JSON'],
			['{"a": [1, 2', '1:12: expected \',\' or \']\' after the array element, got end of file'],
			['{,}', '1:2: expected a property name in double quotes, got \',\''],
			['[,1]', '1:2: expected a JSON value, got \',\''],
		];
		for (const [text, expected] of cases) {
			assert.equal(firstError(text), expected, JSON.stringify(text));
		}
	});

	it('accepts a byte-order mark and counts \\r\\n and \\r line ends once each', () => {
		assert.equal(firstError('\ufeff{}'), 'ok');
		assert.equal(firstError('{\r\n"a": 1,\r\n}'), '2:7: trailing comma before \'}\' is not allowed in JSON');
		assert.equal(firstError('{\r"a": x}'), '2:6: unexpected word \'x\': expected a JSON value (strings need double quotes)');
		const positions = new TextPositions('ab\r\ncd\ref\ngh', 'f');
		assert.deepEqual([0, 4, 7, 10, 11].map(o => positions.position(o)), [
			{ line: 1, col: 1 }, { line: 2, col: 1 }, { line: 3, col: 1 }, { line: 4, col: 1 }, { line: 4, col: 2 },
		]);
	});

	it('reports nesting deeper than it recurses instead of overflowing the stack', () => {
		const deep = `${'['.repeat(100000)}${']'.repeat(100000)}`;
		assert.match(firstError(deep), /^1:514: values nest deeper than 512 levels$/);
		assert.equal(firstError(`${'['.repeat(500)}${']'.repeat(500)}`), 'ok');
	});

	it('formats paths the way messages print them', () => {
		assert.equal(formatJsonPath([]), '(top level)');
		assert.equal(formatJsonPath(['processes', 0, 'program']), 'processes[0].program');
		assert.equal(formatJsonPath(['kernel', 'config', 'CONFIG_HZ']), 'kernel.config.CONFIG_HZ');
		assert.equal(formatJsonPath(['params', 'a b']), 'params["a b"]');
	});
});
