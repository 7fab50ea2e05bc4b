// The draft-07 subset validator (layer: sim) on small schemas: each keyword's message and
// position, how alternatives pick the branch to report, and "did you mean" suggestions.

import * as assert from 'node:assert/strict';
import { parseJson } from '../../../../src/sim/scenario/json';
import { editDistance, suggest, validateJson, type JsonSchema } from '../../../../src/sim/scenario/validate';

/** `offset message` for each error of `text` against `schema`. */
function check(schema: JsonSchema, text: string): string[] {
	const root = parseJson(text, 'v.json').root;
	assert.ok(root !== undefined, text);
	return validateJson(root, schema).map(e => `${e.start} ${e.message}`);
}

describe('sim/scenario: validateJson', () => {
	it('checks types, enums, consts, numbers and strings', () => {
		assert.deepEqual(check({ type: 'integer' }, '1.5'), ['0 expected an integer, got 1.5']);
		assert.deepEqual(check({ type: 'integer' }, '2.0'), []);
		assert.deepEqual(check({ type: ['boolean', 'null'] }, '"x"'), ['0 expected true or false or null, got a string "x"']);
		assert.deepEqual(check({ enum: ['red', 'green'] }, '"gren"'), ['0 expected one of "red", "green"; got a string "gren"; did you mean "green"?']);
		assert.deepEqual(check({ const: 3 }, '4'), ['0 expected 3, got 4']);
		assert.deepEqual(check({ minimum: 2, maximum: 5, multipleOf: 2 }, '7'), ['0 must be at most 5, got 7', '0 must be a multiple of 2, got 7']);
		assert.deepEqual(check({ exclusiveMinimum: 0 }, '0'), ['0 must be greater than 0, got 0']);
		assert.deepEqual(check({ minimum: 65536 }, '4096'), ['0 must be at least 65536 (0x10000), got 4096']);
		assert.deepEqual(check({ minLength: 1 }, '""'), ['0 must not be empty']);
		assert.deepEqual(check({ maxLength: 2 }, '"\u00e9\u00e9\u00e9"'), ['0 must be at most 2 characters long, got 3']);
		assert.deepEqual(check({ pattern: '^a' }, '"b"'), ['0 must match the pattern /^a/, got "b"']);
		assert.deepEqual(check({ pattern: '^a', patternErrorMessage: 'expected an a-word' }, '"b"'), ['0 expected an a-word, got "b"']);
	});

	it('checks arrays and objects, at the offending element or key', () => {
		assert.deepEqual(check({ type: 'array', items: { type: 'string' }, minItems: 3 }, '["a", 1]'), ['0 needs at least 3 elements, got 2', '6 [1]: expected a string, got 1']);
		assert.deepEqual(check({ type: 'array', maxItems: 1, uniqueItems: true }, '[{"a":1,"b":2}, {"b":2,"a":1}]'), ['0 allows at most 1 elements, got 2', '16 [1]: duplicate of element [0]']);
		const object: JsonSchema = {
			type: 'object', properties: { size: { type: 'integer' }, name: { type: 'string' }, line: {}, file: {} }, required: ['name'],
			additionalProperties: false, dependencies: { line: ['file'] },
		};
		assert.deepEqual(check(object, '{"sise": 1, "name": "n"}'), ['1 sise: unknown property; did you mean \'size\'?']);
		assert.deepEqual(check(object, '{"zzz": 1}'), ['0 missing required property \'name\'', '1 zzz: unknown property (allowed: size, name, line, file)']);
		// A typo of a missing required property is reported as the typo only.
		assert.deepEqual(check(object, '{"nmae": "n"}'), ['1 nmae: unknown property; did you mean \'name\'?']);
		assert.deepEqual(check(object, '{"name": "n", "line": 3}'), ['14 line: needs \'file\' as well']);
		assert.deepEqual(check({ type: 'object', patternProperties: { '^x_': { type: 'integer' } }, additionalProperties: false }, '{"x_a": 1, "y": 2}'), ['11 y: unknown property (names must match /^x_/)']);
		assert.deepEqual(check({ type: 'object', additionalProperties: { type: 'integer' } }, '{"a": "1"}'), ['6 a: expected an integer, got a string "1"']);
		assert.deepEqual(check({ type: 'object', minProperties: 1 }, '{}'), ['0 must not be empty']);
		assert.deepEqual(check({ not: { required: ['a', 'b'] } }, '{"a": 1, "b": 2}'), ['0 \'a\' and \'b\' must not be given together']);
		assert.deepEqual(check({ not: { type: 'string' } }, '"x"'), ['0 this value is not allowed here']);
	});

	it('reports the most plausible alternative when none matches', () => {
		const shape: JsonSchema = {
			anyOf: [
				{ type: 'string' },
				{ type: 'object', properties: { kind: { const: 'circle' }, radius: { type: 'number' } }, required: ['kind'], additionalProperties: false },
				{ type: 'object', properties: { kind: { const: 'square' }, side: { type: 'number' } }, required: ['kind'], additionalProperties: false },
			],
		};
		assert.deepEqual(check(shape, '7'), ['0 expected a string or an object, got 7']);
		assert.deepEqual(check(shape, '{"kind": "square", "side": "2"}'), ['27 side: expected a number, got a string "2"']);
		assert.deepEqual(check(shape, '{"kind": "sqare"}'), ['9 kind: expected one of "circle", "square"; got a string "sqare"; did you mean "square"?']);
		const byRequired: JsonSchema = {
			anyOf: [
				{ type: 'object', properties: { program: { type: 'string' }, argv: { type: 'array' } }, required: ['program'], additionalProperties: false },
				{ type: 'object', properties: { run: { type: 'array' } }, required: ['run'], additionalProperties: false },
			],
		};
		assert.deepEqual(check(byRequired, '{"run": 3}'), ['8 run: expected an array, got 3']);
		assert.deepEqual(check(byRequired, '{"argv": 3}'), ['0 missing required property \'program\'', '9 argv: expected an array, got 3']);
		assert.deepEqual(check({ oneOf: [{ required: ['a'] }, { required: ['b'] }] }, '{}'), ['0 needs exactly one of \'a\' or \'b\'']);
		assert.deepEqual(check({ oneOf: [{ required: ['a'] }, { required: ['b'] }] }, '{"a": 1, "b": 2}'), ['0 must have only one of \'a\' or \'b\'']);
		assert.deepEqual(check({ oneOf: [{ type: 'integer' }, { type: 'number' }] }, '1'), ['0 matches more than one of the allowed forms']);
		assert.deepEqual(check({ oneOf: [{ type: 'integer' }, { type: 'number' }] }, '1.5'), []);
	});

	it('follows $ref into definitions and treats a broken $ref as a bug in the schema', () => {
		const schema: JsonSchema = { definitions: { n: { type: 'integer' } }, type: 'array', items: { $ref: '#/definitions/n' } };
		assert.deepEqual(check(schema, '[1, "x"]'), ['4 [1]: expected an integer, got a string "x"']);
		const root = parseJson('1', 'v.json').root;
		assert.ok(root !== undefined);
		assert.throws(() => validateJson(root, { $ref: '#/definitions/missing' }), /unresolvable \$ref/);
	});

	it('suggests near names, including swapped letters and distinctive parts', () => {
		assert.equal(editDistance('rma', 'ram'), 1);
		assert.equal(editDistance('kitten', 'sitting'), 3);
		assert.equal(suggest('rma', ['ram', 'cpus']), 'ram');
		assert.equal(suggest('STRICT_DEVMEM', ['CONFIG_SMP', 'CONFIG_STRICT_DEVMEM']), 'CONFIG_STRICT_DEVMEM');
		assert.equal(suggest('xyz', ['ram', 'cpus']), undefined);
		assert.equal(suggest('a', ['b']), 'b');
	});
});
