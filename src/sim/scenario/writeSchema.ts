// Writes `kc/schema/scenario.schema.json` from schema.ts (layer: sim, tooling; reads and writes
// the disk, so it is kept apart from the pure modules). Run it after changing the schema:
//   npx tsx src/sim/scenario/writeSchema.ts
// test/unit/sim/scenario/schema.test.ts fails while the file on disk is out of date.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { scenarioSchemaText } from './schema';

/** Where the schema file lives in the source tree (and ships, next to the KC sources). */
export const scenarioSchemaPath = path.resolve(__dirname, '..', '..', '..', 'kc', 'schema', 'scenario.schema.json');

/** Writes the schema file; returns true when its content changed. */
export function writeScenarioSchema(file: string = scenarioSchemaPath): boolean {
	const text = scenarioSchemaText();
	let old: string | undefined;
	try {
		old = fs.readFileSync(file, 'utf8');
	} catch {
		old = undefined;
	}
	if (old === text) {
		return false;
	}
	fs.mkdirSync(path.dirname(file), { recursive: true });
	fs.writeFileSync(file, text);
	return true;
}

if (require.main === module) {
	const changed = writeScenarioSchema();
	process.stdout.write(`${path.relative(process.cwd(), scenarioSchemaPath)}: ${changed ? 'written' : 'up to date'}\n`);
}
