// A validator for the subset of JSON Schema draft-07 the scenario schema uses (layer: sim, pure).
// It runs on the positioned JSON tree of json.ts, so every error points at the offending value,
// and it words errors for people: the property path, what was expected, what was found, and for an
// unknown property the nearest known name. The schema is the single source of truth for the shape
// of a scenario; this file only interprets it. `supportedKeywords` lists every keyword it
// understands, and a unit test checks that the scenario schema uses no other.
//
// Alternatives (`anyOf`/`oneOf`) are where messages usually go wrong. When no alternative matches,
// the report comes from the alternative the value most plausibly meant: one whose `const`
// discriminator (such as `"kind": "random"`) the value carries, else one whose own required
// properties the value has, else the one whose first error lies deepest. When every alternative
// rejects the value's JSON type, the message lists the types they accept instead.

import { formatJsonPath, jsonValue, type JsonNode, type JsonObject, type JsonPathSegment } from './json';

/** JSON types as JSON Schema names them. */
export type JsonType = 'object' | 'array' | 'string' | 'number' | 'integer' | 'boolean' | 'null';

/**
 * A JSON Schema (draft-07 subset) with the annotations VS Code understands (`markdownDescription`,
 * `enumDescriptions`, `defaultSnippets`, `patternErrorMessage`, `errorMessage`).
 */
export interface JsonSchema {
	readonly $schema?: string;
	readonly $id?: string;
	readonly $ref?: string;
	readonly $comment?: string;
	readonly title?: string;
	readonly description?: string;
	readonly markdownDescription?: string;
	readonly type?: JsonType | readonly JsonType[];
	readonly enum?: readonly unknown[];
	readonly const?: unknown;
	readonly enumDescriptions?: readonly string[];
	readonly markdownEnumDescriptions?: readonly string[];
	readonly properties?: Readonly<Record<string, JsonSchema>>;
	readonly patternProperties?: Readonly<Record<string, JsonSchema>>;
	readonly additionalProperties?: boolean | JsonSchema;
	readonly required?: readonly string[];
	readonly dependencies?: Readonly<Record<string, readonly string[]>>;
	readonly minProperties?: number;
	readonly items?: JsonSchema;
	readonly minItems?: number;
	readonly maxItems?: number;
	readonly uniqueItems?: boolean;
	readonly minimum?: number;
	readonly maximum?: number;
	readonly exclusiveMinimum?: number;
	readonly multipleOf?: number;
	readonly minLength?: number;
	readonly maxLength?: number;
	readonly pattern?: string;
	/** VS Code: the message shown when `pattern` does not match. */
	readonly patternErrorMessage?: string;
	/** VS Code: the message shown when the value does not match this schema. Used here for `not`. */
	readonly errorMessage?: string;
	readonly anyOf?: readonly JsonSchema[];
	readonly oneOf?: readonly JsonSchema[];
	readonly allOf?: readonly JsonSchema[];
	readonly not?: JsonSchema;
	readonly default?: unknown;
	readonly examples?: readonly unknown[];
	readonly defaultSnippets?: readonly { readonly label?: string; readonly description?: string; readonly markdownDescription?: string; readonly body?: unknown; readonly bodyText?: string }[];
	readonly definitions?: Readonly<Record<string, JsonSchema>>;
}

/** Every keyword `validateJson` interprets or deliberately ignores (annotations). */
export const supportedKeywords: ReadonlySet<string> = new Set([
	'$schema', '$id', '$ref', '$comment', 'title', 'description', 'markdownDescription', 'type', 'enum', 'const',
	'enumDescriptions', 'markdownEnumDescriptions', 'properties', 'patternProperties', 'additionalProperties',
	'required', 'dependencies', 'minProperties', 'items', 'minItems', 'maxItems', 'uniqueItems', 'minimum',
	'maximum', 'exclusiveMinimum', 'multipleOf', 'minLength', 'maxLength', 'pattern', 'patternErrorMessage',
	'errorMessage', 'anyOf', 'oneOf', 'allOf', 'not', 'default', 'examples', 'defaultSnippets', 'definitions',
]);

/** One violation: where (path and offsets) and what. `message` starts with the path. */
export interface SchemaError {
	readonly path: readonly JsonPathSegment[];
	readonly message: string;
	readonly start: number;
	readonly end: number;
}

/** An error before its path is put in front of the message; `kind` helps choose among alternatives. */
interface RawError {
	readonly path: readonly JsonPathSegment[];
	readonly text: string;
	readonly start: number;
	readonly end: number;
	readonly kind: 'type' | 'other';
}

/** Validates `node` against `schema`; `$ref`s resolve in `root` (`#/definitions/name`). Errors in document order. */
export function validateJson(node: JsonNode, schema: JsonSchema, root: JsonSchema = schema): SchemaError[] {
	const errors = new Validator(root).validate(node, schema, []);
	return errors
		.map(e => ({ path: e.path, start: e.start, end: e.end, message: e.path.length === 0 ? e.text : `${formatJsonPath(e.path)}: ${e.text}` }))
		.sort((a, b) => a.start - b.start || a.end - b.end);
}

/**
 * Edit distance for "did you mean" suggestions: insertions, deletions, substitutions and swaps of
 * adjacent characters (`rma` is one edit from `ram`) each cost 1; case is ignored.
 */
export function editDistance(a: string, b: string): number {
	const x = a.toLowerCase();
	const y = b.toLowerCase();
	const rows: number[][] = [Array.from({ length: y.length + 1 }, (_, j) => j)];
	for (let i = 1; i <= x.length; i++) {
		const row = [i];
		for (let j = 1; j <= y.length; j++) {
			const cost = x[i - 1] === y[j - 1] ? 0 : 1;
			let best = Math.min(rows[i - 1][j] + 1, row[j - 1] + 1, rows[i - 1][j - 1] + cost);
			if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1]) {
				best = Math.min(best, rows[i - 2][j - 2] + 1);
			}
			row.push(best);
		}
		rows.push(row);
	}
	return rows[x.length][y.length];
}

/** The candidate closest to `word` if it is plausibly a typo of it (or `word` is a distinctive part of it). */
export function suggest(word: string, candidates: readonly string[]): string | undefined {
	let best: string | undefined;
	let bestDistance = Number.POSITIVE_INFINITY;
	for (const candidate of candidates) {
		const distance = editDistance(word, candidate);
		if (distance < bestDistance) {
			best = candidate;
			bestDistance = distance;
		}
	}
	if (best !== undefined && bestDistance <= Math.max(1, Math.min(3, Math.floor(word.length / 3)))) {
		return best;
	}
	if (word.length >= 4) {
		return candidates.find(c => c.toLowerCase().includes(word.toLowerCase()) || word.toLowerCase().includes(c.toLowerCase()));
	}
	return undefined;
}

function article(type: JsonType): string {
	switch (type) {
		case 'object': return 'an object';
		case 'array': return 'an array';
		case 'string': return 'a string';
		case 'number': return 'a number';
		case 'integer': return 'an integer';
		case 'boolean': return 'true or false';
		case 'null': return 'null';
	}
}

/** `a, b or c`. */
function listOr(items: readonly string[]): string {
	return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

/** How a found value reads in a message: `a string "2"`, `-64`, `an object`. */
export function describeNode(node: JsonNode): string {
	switch (node.kind) {
		case 'object': return 'an object';
		case 'array': return 'an array';
		case 'null': return 'null';
		case 'boolean': return String(node.value);
		case 'number': return String(node.value);
		case 'string': return `a string ${JSON.stringify(node.value.length > 40 ? `${node.value.slice(0, 40)}...` : node.value)}`;
	}
}

function matchesType(node: JsonNode, type: JsonType): boolean {
	if (type === 'integer') {
		return node.kind === 'number' && Number.isInteger(node.value);
	}
	return node.kind === type;
}

/** A canonical text for deep equality (`enum`, `const`, `uniqueItems`). */
function canonical(value: unknown): string {
	if (Array.isArray(value)) {
		return `[${value.map(canonical).join(',')}]`;
	}
	if (typeof value === 'object' && value !== null) {
		const record = value as Record<string, unknown>;
		return `{${Object.keys(record).sort().map(k => `${JSON.stringify(k)}:${canonical(record[k])}`).join(',')}}`;
	}
	return JSON.stringify(value);
}

function formatNumber(value: number): string {
	return value >= 0x10000 && Number.isInteger(value) ? `${value} (0x${value.toString(16)})` : String(value);
}

class Validator {
	private readonly patterns = new Map<string, RegExp>();

	constructor(private readonly root: JsonSchema) {}

	private regex(source: string): RegExp {
		let compiled = this.patterns.get(source);
		if (compiled === undefined) {
			compiled = new RegExp(source, 'u');
			this.patterns.set(source, compiled);
		}
		return compiled;
	}

	/** Follows `$ref` chains (`#/definitions/name`). A bad reference is a bug in the schema, not in the input. */
	resolve(schema: JsonSchema): JsonSchema {
		let current = schema;
		for (let hops = 0; current.$ref !== undefined; hops++) {
			const match = /^#\/definitions\/([^/]+)$/.exec(current.$ref);
			const target = match === null ? undefined : this.root.definitions?.[match[1]];
			if (target === undefined || hops > 32) {
				throw new Error(`scenario schema: unresolvable $ref ${current.$ref}`);
			}
			current = target;
		}
		return current;
	}

	validate(node: JsonNode, schemaIn: JsonSchema, path: readonly JsonPathSegment[]): RawError[] {
		const schema = this.resolve(schemaIn);
		const at = (text: string, kind: RawError['kind'] = 'other'): RawError => ({ path, text, start: node.start, end: node.end, kind });
		if (schema.type !== undefined) {
			const types: readonly JsonType[] = typeof schema.type === 'string' ? [schema.type] : schema.type;
			if (!types.some(t => matchesType(node, t))) {
				const wanted = node.kind === 'number' && types.includes('integer') && !types.includes('number') ? `expected an integer, got ${node.value}` : `expected ${listOr(types.map(article))}, got ${describeNode(node)}`;
				return [at(wanted, 'type')];
			}
		}
		const errors: RawError[] = [];
		/** Property names that unknown properties of this object are typos of. */
		let typoTargets: ReadonlySet<string> = new Set();
		if (schema.const !== undefined && canonical(jsonValue(node)) !== canonical(schema.const)) {
			errors.push(at(`expected ${JSON.stringify(schema.const)}, got ${describeNode(node)}`));
		}
		if (schema.enum !== undefined) {
			const value = canonical(jsonValue(node));
			if (!schema.enum.some(e => canonical(e) === value)) {
				const names = schema.enum.map(e => JSON.stringify(e));
				const hint = node.kind === 'string' ? suggest(node.value, schema.enum.filter((e): e is string => typeof e === 'string')) : undefined;
				errors.push(at(`expected one of ${names.join(', ')}; got ${describeNode(node)}${hint !== undefined ? `; did you mean ${JSON.stringify(hint)}?` : ''}`));
			}
		}
		switch (node.kind) {
			case 'number':
				this.checkNumber(node.value, schema, at, errors);
				break;
			case 'string':
				this.checkString(node.value, schema, at, errors);
				break;
			case 'array':
				this.checkArray(node.items, schema, path, at, errors);
				break;
			case 'object':
				typoTargets = this.checkObject(node, schema, path, errors);
				break;
			default:
				break;
		}
		for (const sub of schema.allOf ?? []) {
			errors.push(...this.validate(node, sub, path));
		}
		if (schema.anyOf !== undefined) {
			errors.push(...this.alternatives(node, schema.anyOf, path, false, typoTargets));
		}
		if (schema.oneOf !== undefined) {
			errors.push(...this.alternatives(node, schema.oneOf, path, true, typoTargets));
		}
		if (schema.not !== undefined && this.validate(node, schema.not, path).length === 0) {
			const not = this.resolve(schema.not);
			const text = schema.not.errorMessage ?? not.errorMessage
				?? (not.required !== undefined && Object.keys(not).every(k => k === 'required' || k === 'errorMessage')
					? `${listOr(not.required.map(r => `'${r}'`)).replace(' or ', ' and ')} must not be given together`
					: 'this value is not allowed here');
			errors.push(at(text));
		}
		return errors;
	}

	private checkNumber(value: number, schema: JsonSchema, at: (text: string) => RawError, errors: RawError[]): void {
		if (schema.minimum !== undefined && value < schema.minimum) {
			errors.push(at(`must be at least ${formatNumber(schema.minimum)}, got ${formatNumber(value)}`));
		}
		if (schema.exclusiveMinimum !== undefined && value <= schema.exclusiveMinimum) {
			errors.push(at(`must be greater than ${formatNumber(schema.exclusiveMinimum)}, got ${formatNumber(value)}`));
		}
		if (schema.maximum !== undefined && value > schema.maximum) {
			errors.push(at(`must be at most ${formatNumber(schema.maximum)}, got ${formatNumber(value)}`));
		}
		if (schema.multipleOf !== undefined && value % schema.multipleOf !== 0) {
			errors.push(at(`must be a multiple of ${formatNumber(schema.multipleOf)}, got ${formatNumber(value)}`));
		}
	}

	private checkString(value: string, schema: JsonSchema, at: (text: string) => RawError, errors: RawError[]): void {
		// Lengths count code points, as JSON Schema says.
		const length = [...value].length;
		if (schema.minLength !== undefined && length < schema.minLength) {
			errors.push(at(schema.minLength === 1 ? 'must not be empty' : `must be at least ${schema.minLength} characters long`));
		}
		if (schema.maxLength !== undefined && length > schema.maxLength) {
			errors.push(at(`must be at most ${schema.maxLength} characters long, got ${length}`));
		}
		if (schema.pattern !== undefined && !this.regex(schema.pattern).test(value)) {
			errors.push(at(`${schema.patternErrorMessage ?? `must match the pattern /${schema.pattern}/`}, got ${JSON.stringify(value)}`));
		}
	}

	private checkArray(items: readonly JsonNode[], schema: JsonSchema, path: readonly JsonPathSegment[], at: (text: string) => RawError, errors: RawError[]): void {
		if (schema.minItems !== undefined && items.length < schema.minItems) {
			errors.push(at(schema.minItems === 1 ? 'must not be empty' : `needs at least ${schema.minItems} elements, got ${items.length}`));
		}
		if (schema.maxItems !== undefined && items.length > schema.maxItems) {
			errors.push(at(`allows at most ${schema.maxItems} elements, got ${items.length}`));
		}
		if (schema.items !== undefined) {
			items.forEach((item, index) => errors.push(...this.validate(item, schema.items as JsonSchema, [...path, index])));
		}
		if (schema.uniqueItems === true) {
			const seen = new Map<string, number>();
			items.forEach((item, index) => {
				const key = canonical(jsonValue(item));
				const first = seen.get(key);
				if (first !== undefined) {
					errors.push({ path: [...path, index], text: `duplicate of element [${first}]`, start: item.start, end: item.end, kind: 'other' });
				} else {
					seen.set(key, index);
				}
			});
		}
	}

	/** Checks an object's own keywords; returns the names its unknown properties are typos of. */
	private checkObject(node: JsonObject, schema: JsonSchema, path: readonly JsonPathSegment[], errors: RawError[]): ReadonlySet<string> {
		// A missing property is reported at the object's opening brace.
		const atBrace = (text: string): RawError => ({ path, text, start: node.start, end: node.start + 1, kind: 'other' });
		const present = new Set(node.properties.map(p => p.key));
		const known = Object.keys(schema.properties ?? {});
		// An unknown property that is a typo of a missing one: report the typo, not the absence.
		const typos = new Map<string, string>();
		if (schema.additionalProperties === false) {
			for (const property of node.properties) {
				if (!Object.prototype.hasOwnProperty.call(schema.properties ?? {}, property.key) && !Object.keys(schema.patternProperties ?? {}).some(p => this.regex(p).test(property.key))) {
					const hint = suggest(property.key, known.filter(k => !present.has(k)));
					if (hint !== undefined) {
						typos.set(property.key, hint);
					}
				}
			}
		}
		const suggested = new Set(typos.values());
		for (const name of schema.required ?? []) {
			if (!present.has(name) && !suggested.has(name)) {
				errors.push(atBrace(`missing required property '${name}'`));
			}
		}
		if (schema.minProperties !== undefined && node.properties.length < schema.minProperties) {
			errors.push(atBrace(schema.minProperties === 1 ? 'must not be empty' : `needs at least ${schema.minProperties} properties`));
		}
		for (const [name, needs] of Object.entries(schema.dependencies ?? {})) {
			if (!present.has(name)) {
				continue;
			}
			const property = node.properties.find(p => p.key === name);
			for (const needed of needs) {
				if (!present.has(needed) && property !== undefined) {
					errors.push({ path: [...path, name], text: `needs '${needed}' as well`, start: property.keyStart, end: property.keyEnd, kind: 'other' });
				}
			}
		}
		for (const property of node.properties) {
			const childPath = [...path, property.key];
			let matched = false;
			const own = schema.properties?.[property.key];
			if (own !== undefined && Object.prototype.hasOwnProperty.call(schema.properties, property.key)) {
				matched = true;
				errors.push(...this.validate(property.value, own, childPath));
			}
			for (const [pattern, sub] of Object.entries(schema.patternProperties ?? {})) {
				if (this.regex(pattern).test(property.key)) {
					matched = true;
					errors.push(...this.validate(property.value, sub, childPath));
				}
			}
			if (matched || schema.additionalProperties === undefined || schema.additionalProperties === true) {
				continue;
			}
			if (schema.additionalProperties === false) {
				const hint = typos.get(property.key);
				const patterns = Object.keys(schema.patternProperties ?? {});
				const allowed = hint !== undefined ? `; did you mean '${hint}'?`
					: known.length > 0 ? ` (allowed: ${known.join(', ')}${patterns.length > 0 ? ', or names matching ' : ''}${patterns.map(p => `/${p}/`).join(', ')})`
						: patterns.length > 0 ? ` (names must match ${patterns.map(p => `/${p}/`).join(', ')})` : ' (no properties are allowed here)';
				errors.push({ path: childPath, text: `unknown property${allowed}`, start: property.keyStart, end: property.keyEnd, kind: 'other' });
			} else {
				errors.push(...this.validate(property.value, schema.additionalProperties, childPath));
			}
		}
		return suggested;
	}

	/** Every property name a schema (through `$ref` and alternatives) declares. */
	private knownKeys(schemaIn: JsonSchema, depth = 0): Set<string> {
		const schema = this.resolve(schemaIn);
		const keys = new Set(Object.keys(schema.properties ?? {}));
		if (depth < 8) {
			for (const sub of [...(schema.anyOf ?? []), ...(schema.oneOf ?? []), ...(schema.allOf ?? [])]) {
				for (const key of this.knownKeys(sub, depth + 1)) {
					keys.add(key);
				}
			}
		}
		return keys;
	}

	/** `anyOf` (`exclusive` false) or `oneOf`: the errors of the most plausible alternative, or none. */
	private alternatives(node: JsonNode, branchesIn: readonly JsonSchema[], path: readonly JsonPathSegment[], exclusive: boolean, typoTargets: ReadonlySet<string>): RawError[] {
		const branches = branchesIn.map(b => this.resolve(b));
		const results = branches.map(b => this.validate(node, b, path));
		const passing = results.filter(r => r.length === 0).length;
		if (passing === 1 || (passing > 1 && !exclusive)) {
			return [];
		}
		const at = (text: string): RawError => ({ path, text, start: node.start, end: node.kind === 'object' ? node.start + 1 : node.end, kind: 'other' });
		// Alternatives that only demand properties: "needs one of".
		if (branches.every(b => b.required !== undefined && Object.keys(b).every(k => k === 'required'))) {
			if (passing === 0 && branches.some(b => (b.required as readonly string[]).every(r => typoTargets.has(r) || (node.kind === 'object' && node.properties.some(p => p.key === r))))) {
				// A misspelt property would satisfy this; its "did you mean" says enough.
				return [];
			}
			const names = branches.map(b => (b.required as readonly string[]).map(r => `'${r}'`).join(' and '));
			return [at(passing === 0 ? `needs ${exclusive ? 'exactly ' : ''}one of ${listOr(names)}` : `must have only one of ${listOr(names)}`)];
		}
		if (passing > 1) {
			return [at('matches more than one of the allowed forms')];
		}
		const typeFailures = results.map(r => r.length === 1 && r[0].kind === 'type' && r[0].path.length === path.length);
		if (typeFailures.every(Boolean)) {
			const types: string[] = [];
			for (const b of branches) {
				for (const t of typeof b.type === 'string' ? [b.type] : b.type ?? []) {
					const name = article(t);
					if (!types.includes(name)) {
						types.push(name);
					}
				}
			}
			return [{ ...at(`expected ${listOr(types)}, got ${describeNode(node)}`), kind: 'type', end: node.end }];
		}
		const candidates = branches.map((b, i) => i).filter(i => !typeFailures[i]);
		// A const discriminator: a property every candidate pins with `const`.
		if (node.kind === 'object') {
			const discriminators = Object.keys(branches[candidates[0]].properties ?? {}).filter(key =>
				candidates.every(i => branches[i].properties?.[key] !== undefined && this.resolve(branches[i].properties?.[key] as JsonSchema).const !== undefined));
			for (const key of discriminators) {
				const property = node.properties.find(p => p.key === key);
				if (property === undefined) {
					continue;
				}
				const value = canonical(jsonValue(property.value));
				const chosen = candidates.find(i => canonical(this.resolve(branches[i].properties?.[key] as JsonSchema).const) === value);
				if (chosen !== undefined) {
					return results[chosen];
				}
				const consts = candidates.map(i => this.resolve(branches[i].properties?.[key] as JsonSchema).const as unknown);
				const hint = property.value.kind === 'string' ? suggest(property.value.value, consts.filter((c): c is string => typeof c === 'string')) : undefined;
				return [{
					path: [...path, key], start: property.value.start, end: property.value.end, kind: 'other',
					text: `expected one of ${consts.map(c => JSON.stringify(c)).join(', ')}; got ${describeNode(property.value)}${hint !== undefined ? `; did you mean ${JSON.stringify(hint)}?` : ''}`,
				}];
			}
		}
		const score = (i: number): number[] => {
			const branch = branches[i];
			let claimed = 0;
			if (node.kind === 'object') {
				for (const name of branch.required ?? []) {
					const own = !branches.some((other, j) => j !== i && (other.required ?? []).includes(name));
					if (own && node.properties.some(p => p.key === name)) {
						claimed++;
					}
				}
			}
			const known = this.knownKeys(branch);
			const recognized = node.kind === 'object' ? node.properties.filter(p => known.has(p.key)).length : 0;
			const first = results[i].reduce((deepest, e) => Math.max(deepest, e.path.length), 0);
			return [claimed, recognized, first, -results[i].length];
		};
		// Lexicographic: own required properties present, then properties the branch knows, then
		// the deepest error (the value got furthest into that branch), then the fewest errors.
		const better = (a: readonly number[], b: readonly number[]): boolean => {
			for (let k = 0; k < a.length; k++) {
				if (a[k] !== b[k]) {
					return a[k] > b[k];
				}
			}
			return false;
		};
		let best = candidates[0];
		let bestScore = score(best);
		for (const i of candidates.slice(1)) {
			const s = score(i);
			if (better(s, bestScore)) {
				best = i;
				bestScore = s;
			}
		}
		return results[best];
	}
}
