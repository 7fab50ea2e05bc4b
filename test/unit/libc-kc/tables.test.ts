// kc/lib/tables.c is generated from the TypeScript C library's tables (scripts/generate-libc-tables.ts):
// both C libraries must print the same strerror texts and classify characters alike.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { libcTablesSource } from '../../../src/interp/libc/tablesSource';

describe('KC C library tables', () => {
	it('kc/lib/tables.c is up to date (run npx tsx scripts/generate-libc-tables.ts)', () => {
		const file = path.resolve(__dirname, '..', '..', '..', 'kc', 'lib', 'tables.c');
		assert.equal(fs.readFileSync(file, 'utf8'), libcTablesSource());
	});
});
