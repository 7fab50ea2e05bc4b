// C programs under the KC CPU print exactly what the same programs built with gcc -O0 printed when
// they were recorded (test/unit/interp/programs/NAME.out): integer promotion and wrap-around,
// signed vs unsigned, 64-bit edge values, floats, pointers, arrays, structs by value, unions,
// bit-fields, enums, function pointers, designated initializers, compound literals, goto unwinding,
// switch fall-through, recursion, variadic functions, statement expressions, list idioms.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runProgram } from './harness';

const dir = path.join(__dirname, 'programs');

describe('KC CPU: programs match gcc output', () => {
	for (const file of fs.readdirSync(dir).filter(f => f.endsWith('.c')).sort()) {
		it(file, () => {
			const source = fs.readFileSync(path.join(dir, file), 'utf8');
			const expected = fs.readFileSync(path.join(dir, file.replace(/\.c$/, '.out')), 'utf8');
			const result = runProgram(source);
			assert.deepEqual(result.stop, { kind: 'exited', code: 0 });
			assert.equal(result.output, expected);
		});
	}
});
