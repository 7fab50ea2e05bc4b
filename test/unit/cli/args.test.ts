// Tests of `faultline` argument parsing (layer: cli): src/cli/args.ts.

import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { helpText, parseArgs } from '../../../src/cli/args';

/** Asserts that argv is a usage error whose message contains `fragment`. */
function assertUsageError(argv: string[], fragment: string): void {
	const result = parseArgs(argv);
	assert.equal(result.kind, 'usage-error', `expected a usage error for ${JSON.stringify(argv)}, got ${JSON.stringify(result)}`);
	if (result.kind === 'usage-error') {
		assert.ok(result.message.includes(fragment), `message '${result.message}' lacks '${fragment}'`);
	}
}

describe('cli: parseArgs', () => {
	describe('exec', () => {
		it('takes a file', () => {
			assert.deepEqual(parseArgs(['exec', 'prog.kc']), { kind: 'exec', file: 'prog.kc', args: [] });
		});

		it('takes --profile before or after the file, with a space or =', () => {
			const expected = { kind: 'exec', file: 'p.kc', args: [], profile: 'linux-2.6.18' };
			assert.deepEqual(parseArgs(['exec', '--profile', 'linux-2.6.18', 'p.kc']), expected);
			assert.deepEqual(parseArgs(['exec', 'p.kc', '--profile=linux-2.6.18']), expected);
		});

		it('passes everything after -- to the program untouched', () => {
			assert.deepEqual(parseArgs(['exec', 'p.kc', '--', '--help', '-x', '--', 'a b']), {
				kind: 'exec', file: 'p.kc', args: ['--help', '-x', '--', 'a b'],
			});
		});

		it('passes any program arguments through unchanged (property)', () => {
			fc.assert(fc.property(fc.array(fc.string()), (args) => {
				const result = parseArgs(['exec', 'p.kc', '--', ...args]);
				assert.equal(result.kind, 'exec');
				assert.deepEqual(result.kind === 'exec' ? result.args : undefined, args);
			}));
		});

		it('accepts - as a file name and a file that looks like a number', () => {
			assert.deepEqual(parseArgs(['exec', '-']), { kind: 'exec', file: '-', args: [] });
			assert.deepEqual(parseArgs(['exec', '42']), { kind: 'exec', file: '42', args: [] });
		});

		it('rejects a missing file, extra arguments, unknown and repeated options', () => {
			assertUsageError(['exec'], 'needs a FILE.kc');
			assertUsageError(['exec', '--', 'x'], 'needs a FILE.kc');
			assertUsageError(['exec', 'a.kc', 'b'], 'program arguments go after --');
			assertUsageError(['exec', '--seed', '1', 'a.kc'], "unknown option '--seed'");
			assertUsageError(['exec', '-p', 'x', 'a.kc'], "unknown option '-p'");
			assertUsageError(['exec', '--profile', 'a', '--profile', 'b', 'p.kc'], 'given twice');
			assertUsageError(['exec', 'p.kc', '--profile'], '--profile needs a value');
			assertUsageError(['exec', 'p.kc', '--profile='], '--profile needs a value');
			assertUsageError(['exec', '--profile', '--', 'p.kc'], 'needs');
		});
	});

	describe('run', () => {
		it('takes a scenario and its options', () => {
			assert.deepEqual(parseArgs(['run', 's.json', '--seed', '7', '--profile', 'freebsd-7', '--trace=t.jsonl']), {
				kind: 'run', scenario: 's.json', seed: 7, profile: 'freebsd-7', trace: 't.jsonl',
			});
			assert.deepEqual(parseArgs(['run', 's.json']), { kind: 'run', scenario: 's.json' });
		});

		it('reads seeds in decimal and hex, up to 2^53-1', () => {
			assert.deepEqual(parseArgs(['run', 's', '--seed=0x10']), { kind: 'run', scenario: 's', seed: 16 });
			assert.deepEqual(parseArgs(['run', 's', '--seed', '0']), { kind: 'run', scenario: 's', seed: 0 });
			assert.deepEqual(parseArgs(['run', 's', '--seed', '9007199254740991']), { kind: 'run', scenario: 's', seed: 2 ** 53 - 1 });
		});

		it('rejects bad seeds', () => {
			for (const seed of ['-1', '1.5', 'abc', '', '01', '9007199254740992', '1e3']) {
				assertUsageError(['run', 's.json', `--seed=${seed}`], '--seed');
			}
		});

		it('rejects a missing or second scenario and arguments after --', () => {
			assertUsageError(['run'], 'needs a SCENARIO');
			assertUsageError(['run', 'a', 'b'], "unexpected argument 'b'");
			assertUsageError(['run', 'a', '--', 'b'], 'after --');
			assertUsageError(['run', 'a', '--trace'], '--trace needs a value');
		});
	});

	describe('dap and lsp', () => {
		it('parses dap', () => {
			assert.deepEqual(parseArgs(['dap']), { kind: 'dap' });
			assertUsageError(['dap', 'x'], "unexpected argument 'x'");
			assertUsageError(['dap', '--stdio'], "unknown option '--stdio'");
		});

		it('parses lsp --stdio, with an optional client process id', () => {
			assert.deepEqual(parseArgs(['lsp', '--stdio']), { kind: 'lsp' });
			assert.deepEqual(parseArgs(['lsp', '--stdio', '--clientProcessId=4242']), { kind: 'lsp', clientProcessId: 4242 });
			assertUsageError(['lsp'], 'needs --stdio');
			assertUsageError(['lsp', '--stdio=yes'], 'takes no value');
			assertUsageError(['lsp', '--stdio', '--clientProcessId=me'], '--clientProcessId');
		});
	});

	describe('help, version and errors', () => {
		it('gives general help and per-command help', () => {
			assert.deepEqual(parseArgs(['--help']), { kind: 'help' });
			assert.deepEqual(parseArgs(['-h']), { kind: 'help' });
			assert.deepEqual(parseArgs(['help']), { kind: 'help' });
			assert.deepEqual(parseArgs(['help', 'run']), { kind: 'help', topic: 'run' });
			assert.deepEqual(parseArgs(['exec', '--help']), { kind: 'help', topic: 'exec' });
			assert.deepEqual(parseArgs(['exec', 'p.kc', '--bogus', '-h']), { kind: 'help', topic: 'exec' });
		});

		it('does not treat --help after -- as a request for help', () => {
			assert.deepEqual(parseArgs(['exec', 'p.kc', '--', '--help']), { kind: 'exec', file: 'p.kc', args: ['--help'] });
		});

		it('parses --version alone', () => {
			assert.deepEqual(parseArgs(['--version']), { kind: 'version' });
			assertUsageError(['--version', 'x'], 'no arguments');
		});

		it('rejects no command, unknown commands and unknown global options', () => {
			assertUsageError([], 'no command');
			assertUsageError(['--', 'x'], 'no command');
			assertUsageError(['compile', 'x.kc'], "unknown command 'compile'");
			assertUsageError(['help', 'compile'], "unknown command 'compile'");
			assertUsageError(['--profile', 'x', 'exec', 'p.kc'], "unknown option '--profile'");
		});

		it('documents every command in the general help and ends texts with a newline', () => {
			const text = helpText();
			for (const usage of ['faultline exec [--profile P] FILE.kc [-- ARGS...]', 'faultline run SCENARIO', 'faultline dap', 'faultline lsp --stdio']) {
				assert.ok(text.includes(usage), usage);
			}
			for (const topic of ['exec', 'run', 'dap', 'lsp'] as const) {
				assert.ok(helpText(topic).startsWith(`usage: faultline ${topic}`));
				assert.ok(helpText(topic).endsWith('\n'));
			}
		});
	});
});
