// The kernel's copy of the x86-64 system-call numbers (kc/kernel/include/asm/unistd_64.h) must match
// the user API's (kc/include/asm/unistd_64.h) below their header comments, as Linux generates both
// from one table.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..', '..', '..', 'kc');

function body(file: string): string {
	return fs.readFileSync(path.join(root, file), 'utf8').split('\n').slice(2).join('\n');
}

describe('system-call numbers', () => {
	it('the kernel and the user headers give every syscall the same number', () => {
		assert.equal(body('kernel/include/asm/unistd_64.h'), body('include/asm/unistd_64.h'));
	});
});
