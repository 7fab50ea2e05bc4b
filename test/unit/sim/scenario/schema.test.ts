// The scenario JSON schema (layer: sim): the file in kc/schema is exactly what schema.ts builds;
// the schema uses only keywords validate.ts interprets; every property is documented for VS Code;
// enumerations come from the modules that own them; the documented defaults are the ones the
// parser fills in. Agreement: Ajv (an independent draft-07 validator) and validateJson accept
// and reject the same documents, on every fixture and on random mutations of the valid ones.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import fc from 'fast-check';
import { defaultProfile, profiles } from '../../../../src/sim/profiles';
import { parseJson } from '../../../../src/sim/scenario/json';
import { parseScenario } from '../../../../src/sim/scenario/parse';
import { harnessCalls, scenarioDefaults, scenarioSchema, scenarioSchemaText, shippedDrivers } from '../../../../src/sim/scenario/schema';
import { supportedKeywords, validateJson, type JsonSchema } from '../../../../src/sim/scenario/validate';
import { scenarioSchemaPath } from '../../../../src/sim/scenario/writeSchema';

const fixtures = path.resolve(__dirname, '../../../fixtures/scenarios');

function allFixtures(): string[] {
	return ['valid', 'schema-only', 'broken'].flatMap(folder =>
		fs.readdirSync(path.join(fixtures, folder)).filter(f => f.endsWith('.json')).sort().map(f => path.join(fixtures, folder, f)));
}

/** Keywords whose values are data, not schemas. */
const dataKeywords = new Set(['type', 'enum', 'const', 'default', 'examples', 'defaultSnippets', 'required', 'dependencies', 'enumDescriptions', 'markdownEnumDescriptions']);

/** Calls `visit` on every subschema with its JSON-pointer-like location. */
function walk(schema: JsonSchema, where: string, visit: (schema: JsonSchema, where: string) => void): void {
	visit(schema, where);
	for (const [keyword, value] of Object.entries(schema)) {
		if (dataKeywords.has(keyword) || typeof value !== 'object' || value === null) {
			continue;
		}
		if (keyword === 'properties' || keyword === 'patternProperties' || keyword === 'definitions') {
			for (const [name, sub] of Object.entries(value as Record<string, JsonSchema>)) {
				walk(sub, `${where}/${keyword}/${name}`, visit);
			}
		} else if (Array.isArray(value)) {
			value.forEach((sub: JsonSchema, index) => walk(sub, `${where}/${keyword}/${index}`, visit));
		} else {
			walk(value as JsonSchema, `${where}/${keyword}`, visit);
		}
	}
}

function newAjv() {
	const ajv = new Ajv({ allErrors: true, logger: false });
	const onDisk = JSON.parse(fs.readFileSync(scenarioSchemaPath, 'utf8')) as object;
	return ajv.compile(onDisk);
}

describe('sim/scenario: the JSON schema', () => {
	it('kc/schema/scenario.schema.json is up to date (regenerate: npx tsx src/sim/scenario/writeSchema.ts)', () => {
		assert.equal(fs.readFileSync(scenarioSchemaPath, 'utf8'), scenarioSchemaText());
	});

	it('uses only keywords the validator interprets', () => {
		walk(scenarioSchema, '#', (schema, where) => {
			for (const keyword of Object.keys(schema)) {
				assert.ok(supportedKeywords.has(keyword), `${where}: keyword ${keyword} is not supported by validate.ts`);
			}
		});
	});

	it('documents every property and definition, in plain text and Markdown', () => {
		let count = 0;
		walk(scenarioSchema, '#', (schema, where) => {
			if (/\/(properties|definitions)\/[^/]+$/.test(where)) {
				count++;
				assert.ok(typeof schema.description === 'string' && schema.description !== '', `${where} has no description`);
				assert.ok(typeof schema.markdownDescription === 'string' && schema.markdownDescription !== '', `${where} has no markdownDescription`);
				assert.ok(!/`/.test(schema.description ?? ''), `${where}: the plain description still has Markdown`);
			}
		});
		assert.ok(count > 150, `only ${count} documented properties`);
	});

	it('describes every value of every string enumeration', () => {
		walk(scenarioSchema, '#', (schema, where) => {
			if (schema.enum !== undefined && schema.enum.every(v => typeof v === 'string')) {
				assert.equal(schema.enumDescriptions?.length, schema.enum.length, `${where}: enumDescriptions`);
				assert.equal(schema.markdownEnumDescriptions?.length, schema.enum.length, `${where}: markdownEnumDescriptions`);
			}
		});
	});

	it('closes every object, so typos are caught', () => {
		walk(scenarioSchema, '#', (schema, where) => {
			if (schema.type === 'object') {
				assert.equal(schema.additionalProperties, false, `${where} allows unknown properties`);
			}
		});
	});

	it('takes profile names from src/sim/profiles.ts and driver and builtin names from one list each', () => {
		const profile = scenarioSchema.definitions?.profile;
		assert.deepEqual(profile?.enum, profiles.map(p => p.name));
		assert.deepEqual(profile?.enumDescriptions, profiles.map(p => p.description));
		assert.equal(scenarioDefaults.profile, defaultProfile.name);
		const driver = scenarioSchema.definitions?.driver.anyOf?.[0];
		assert.deepEqual(driver?.enum, shippedDrivers.map(d => d[0]));
		const calls = scenarioSchema.definitions?.harnessCall.anyOf?.map(b => b.properties?.call.const);
		assert.deepEqual(calls, harnessCalls);
	});

	it('documents the defaults the parser fills in', () => {
		const definitions = scenarioSchema.definitions ?? {};
		const machine = scenarioSchema.properties?.machine.properties ?? {};
		assert.equal(machine.cpus.default, scenarioDefaults.cpus);
		assert.equal(machine.coherentDma.default, scenarioDefaults.coherentDma);
		assert.match(machine.ram.markdownDescription ?? '', new RegExp(`"${scenarioDefaults.ram}"`));
		assert.equal(definitions.roundRobin.properties?.quantum.default, scenarioDefaults.quantum);
		assert.equal(definitions.random.properties?.minQuantum.default, scenarioDefaults.minQuantum);
		assert.equal(definitions.random.properties?.maxQuantum.default, scenarioDefaults.maxQuantum);
		assert.equal(scenarioSchema.properties?.limits.properties?.maxSteps.default, scenarioDefaults.maxSteps);
		assert.equal(definitions.invariantExpectation.properties?.holds.default, scenarioDefaults.holds);
		const scenario = parseScenario('{ "name": "d", "processes": [{ "name": "p", "program": "p.kc" }], "schedule": { "kind": "random" }, "expect": [{ "invariant": "refcounts" }] }', 'd.json').scenario;
		assert.equal(scenario?.machine.cpus, scenarioDefaults.cpus);
		assert.equal(scenario?.machine.ramBytes, 64 * 2 ** 20);
		assert.equal(scenario?.kernel.profile, scenarioDefaults.profile);
		assert.deepEqual(scenario?.schedule, { kind: 'random', seed: 0, minQuantum: scenarioDefaults.minQuantum, maxQuantum: scenarioDefaults.maxQuantum });
		assert.equal(scenario?.limits.maxSteps, scenarioDefaults.maxSteps);
		assert.deepEqual(scenario?.expect.map(e => e.kind === 'invariant' && e.holds), [scenarioDefaults.holds]);
	});

	it('is a valid draft-07 schema for Ajv', () => {
		assert.doesNotThrow(() => newAjv());
	});

	it('agrees with Ajv on every fixture', () => {
		const ajvValidate = newAjv();
		let compared = 0;
		for (const file of allFixtures()) {
			const text = fs.readFileSync(file, 'utf8');
			const parsed = parseJson(text, file);
			if (parsed.root === undefined) {
				continue;
			}
			const ours = validateJson(parsed.root, scenarioSchema);
			const theirs = ajvValidate(JSON.parse(text)) as boolean;
			assert.equal(ours.length === 0, theirs, `${path.relative(fixtures, file)}: validateJson says ${ours.map(e => e.message).join('; ') || 'valid'}, Ajv says ${theirs ? 'valid' : JSON.stringify(ajvValidate.errors)}`);
			compared++;
		}
		assert.ok(compared >= 35, `only ${compared} fixtures compared`);
	});

	it('agrees with Ajv on random mutations of the valid scenarios', () => {
		const ajvValidate = newAjv();
		const bases = allFixtures().filter(f => !f.includes(`${path.sep}broken${path.sep}`)).map(f => JSON.parse(fs.readFileSync(f, 'utf8')) as unknown);
		const interesting = fc.constantFrom<unknown>(
			'64M', '5K', '0x1000', 4096, 4095, -1, 0, 1.5, 65, true, null, {}, [], '', 'p1', 'p1.2', 'spufs', 'linux-2.6.18', 'linux-2.6.19',
			'x.kc:12', 'x.kc:point#2', 'f()', 'x.kc', 'round-robin', 'explicit', { kind: 'random', seed: 3 }, { task: 'p1' }, ['linux-6.8'],
			{ process: 'p1', exit: 0, signal: 'SIGBUS' }, { event: 'bug' }, { call: 'log', text: 'x' }, 'SIGSEGV', '>= 2', '< x',
		);
		const replacement = fc.oneof(interesting, fc.jsonValue({ maxDepth: 2 }));
		const verdicts = { valid: 0, invalid: 0 };
		const key = fc.constantFrom('name', 'program', 'kind', 'ram', 'extra', 'profiles', 'until', 'stmt', 'count', 'exit', 'signal', 'file', 'line', 'point', 'fn');
		fc.assert(fc.property(fc.nat(bases.length - 1), fc.nat(), fc.constantFrom('replace', 'delete', 'add'), replacement, key, (which, pick, kind, value, name) => {
			const document = structuredClone(bases[which]);
			const containers: { parent: Record<string, unknown> | unknown[]; key: string | number }[] = [];
			const collect = (node: unknown): void => {
				if (Array.isArray(node)) {
					node.forEach((child, index) => { containers.push({ parent: node, key: index }); collect(child); });
				} else if (typeof node === 'object' && node !== null) {
					for (const [k, child] of Object.entries(node)) {
						containers.push({ parent: node as Record<string, unknown>, key: k });
						collect(child);
					}
				}
			};
			collect(document);
			const target = containers[pick % containers.length];
			if (kind === 'replace') {
				(target.parent as Record<string | number, unknown>)[target.key] = value;
			} else if (kind === 'delete') {
				if (Array.isArray(target.parent)) target.parent.splice(target.key as number, 1);
				else delete target.parent[target.key as string];
			} else {
				const holder = (target.parent as Record<string | number, unknown>)[target.key];
				if (typeof holder === 'object' && holder !== null && !Array.isArray(holder)) (holder as Record<string, unknown>)[name] = value;
				else if (Array.isArray(holder)) holder.push(value);
			}
			const text = JSON.stringify(document, null, '\t');
			const root = parseJson(text, 'm.json').root;
			assert.ok(root !== undefined);
			const ours = validateJson(root, scenarioSchema);
			const theirs = ajvValidate(JSON.parse(text)) as boolean;
			assert.equal(ours.length === 0, theirs, `${text}\nvalidateJson: ${ours.map(e => e.message).join('; ') || 'valid'}\nAjv: ${JSON.stringify(ajvValidate.errors)}`);
			verdicts[theirs ? 'valid' : 'invalid']++;
		}), { numRuns: 600, seed: 20240517 });
		// The mutations must exercise both verdicts, or the agreement says little.
		assert.ok(verdicts.valid >= 40 && verdicts.invalid >= 40, JSON.stringify(verdicts));
	});
});
