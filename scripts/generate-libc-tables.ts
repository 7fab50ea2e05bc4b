// Generates kc/lib/tables.c: the C library's constant tables (glibc 2.36's strerror texts and the
// C-locale character class table behind <ctype.h>) from the TypeScript C library's definitions, so
// the flat host and the KC C library print the same texts. Run: npx tsx scripts/generate-libc-tables.ts
// A unit test (test/unit/libc-kc/tables.test.ts) fails when the file is out of date.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { libcTablesSource } from '../src/interp/libc/tablesSource';

fs.writeFileSync(path.resolve(__dirname, '..', 'kc', 'lib', 'tables.c'), libcTablesSource());
