// The KC C library against the repository's C programs (test layer): every program of
// test/differential compiles and links with crt0 + kc/lib + the TypeScript user builtins + the
// machine's three builtins (what `faultline exec` on the kernel will link; the conformance programs
// link the same way, checked here only for those run below, to keep the file fast), and
// the conformance programs that exercise the C library (stdio buffering, exit and atexit, assert,
// the allocator, rand, printf, qsort) print exactly the committed gcc output and exit status when
// run on the test-only fake machine (fakeMachine.ts).

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { compileOrThrow, linkUnits, runLinked, testSources, type LinkedProgram } from './fakeMachine';

const repository = path.resolve(__dirname, '../../..');
const differentialDir = path.join(repository, 'test/differential');
const conformanceDir = path.join(repository, 'test/conformance');

function programsIn(dir: string): string[] {
	return fs
		.readdirSync(dir)
		.filter(f => f.endsWith('.c'))
		.sort()
		.map(f => path.join(dir, f));
}

/** Conformance programs whose output depends on the C library's own behaviour. */
const LIBC_PROGRAMS = ['stdio_buffering.c', 'exit_atexit.c', 'assert_fail.c', 'malloc_stress.c', 'rand_glibc.c', 'sprintf_format.c', 'variadic.c', 'qsort_bsearch.c', 'strings.c'];

describe('KC libc with the repository\'s C programs', function () {
	this.timeout(120000);
	const linked = new Map<string, LinkedProgram>();
	const link = (file: string): LinkedProgram => {
		let program = linked.get(file);
		if (program === undefined) {
			program = linkUnits([compileOrThrow(file, testSources())]);
			linked.set(file, program);
		}
		return program;
	};

	it('compiles and links every differential program against crt0 and kc/lib', () => {
		const failures: string[] = [];
		for (const file of programsIn(differentialDir)) {
			try {
				link(file);
			} catch (error) {
				failures.push(`${path.basename(file)}: ${error instanceof Error ? error.message : String(error)}`);
			}
		}
		assert.deepEqual(failures, []);
	});

	for (const name of LIBC_PROGRAMS) {
		it(`prints what gcc printed for ${name}`, () => {
			const file = path.join(conformanceDir, name);
			const expected = fs.readFileSync(file.replace(/\.c$/, '.expected'));
			const newline = expected.indexOf(0x0a);
			const status = Number(/^# exit status: (\d+)$/.exec(expected.subarray(0, newline).toString('latin1'))![1]);
			const out = runLinked(link(file), { argv: [file], quantum: 1_000_000, maxStatements: 200_000_000 });
			assert.equal(out.stdout, expected.subarray(newline + 1).toString('latin1'));
			assert.equal(out.status, status);
		});
	}
});
