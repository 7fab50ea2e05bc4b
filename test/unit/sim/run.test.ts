// Tests of `faultline run` (layer: sim): src/sim/run.ts runScenario on the real KC kernel and C
// library, with the shipped example scenarios (kc/examples/scenarios: fork COW, a lost update under
// an explicit schedule with a @point marker, threads faulting one page under seeded random
// scheduling, SIGSEGV/SIGBUS) and the fixtures of test/fixtures/scenarios/run (failing
// expectations, bad input, a deadlock, the statement limit). Also the CLI dispatch (runCli) with
// the real runScenario writing a trace file. The booted kernel is cached per profile in this
// process, so only the first run of each profile pays for the boot.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../../../src/cli/commands';
import { execFile } from '../../../src/sim/exec';
import { runScenario, type RunScenarioOptions } from '../../../src/sim/run';

const root = path.resolve(__dirname, '..', '..', '..');
const kcRoot = path.join(root, 'kc');
const examples = path.join(kcRoot, 'examples', 'scenarios');
const fixtures = path.join(root, 'test', 'fixtures', 'scenarios', 'run');

interface Outcome {
	readonly status: number;
	/** What the run reported (diagnostics, expectation failures). */
	readonly messages: string;
	/** The trace lines, as written. */
	readonly trace: readonly string[];
}

function run(file: string, options: Partial<Omit<RunScenarioOptions, 'file' | 'kcRoot' | 'trace' | 'report'>> = {}): Outcome {
	let messages = '';
	const trace: string[] = [];
	const status = runScenario({ file, kcRoot, ...options, trace: line => trace.push(line), report: text => { messages += text; } });
	return { status, messages, trace };
}

function kinds(trace: readonly string[], kind: string): Record<string, unknown>[] {
	return trace.map(line => JSON.parse(line) as Record<string, unknown>).filter(e => e.kind === kind);
}

describe('faultline run (runScenario)', function () {
	this.timeout(120_000);

	describe('the example scenarios pass', () => {
		for (const [folder, file] of [
			['fork-cow', 'fork-cow.json'],
			['lost-update', 'lost-update.json'],
			['threads-same-page', 'threads-same-page.json'],
			['signals', 'signals.json'],
		]) {
			it(`${folder}/${file}`, () => {
				const result = run(path.join(examples, folder, file));
				assert.equal(result.messages, '');
				assert.equal(result.status, 0);
			});
		}
	});

	it('writes valid JSON trace lines with kind, seq (0, 1, 2...) and a non-decreasing t', () => {
		const result = run(path.join(examples, 'fork-cow', 'fork-cow.json'));
		assert.equal(result.status, 0);
		assert.ok(result.trace.length > 20);
		let t = 0;
		result.trace.forEach((line, index) => {
			const event = JSON.parse(line) as Record<string, unknown>;
			assert.equal(typeof event.kind, 'string');
			assert.equal(event.seq, index);
			assert.equal(typeof event.t, 'number');
			assert.ok((event.t as number) >= t, `t goes back at ${line}`);
			t = event.t as number;
		});
		// The child's COW faults are its own (task parent.1) but belong to the scenario process "parent".
		const childFaults = kinds(result.trace, 'fault').filter(e => e.task === 'parent.1');
		assert.ok(childFaults.length > 0);
		assert.ok(childFaults.every(e => e.process === 'parent' && e.mode === 'user'));
		assert.ok(kinds(result.trace, 'pte-set').every(e => e.process === 'parent' && typeof e.site === 'string'));
	});

	it('an explicit schedule stops a process at a @point marker: the other one runs in between', () => {
		const result = run(path.join(examples, 'lost-update', 'lost-update.json'));
		assert.equal(result.status, 0);
		// a runs first, b runs once in the middle of a (at the point), a finishes.
		const switches = kinds(result.trace, 'context-switch').map(e => e.to);
		assert.deepEqual(switches.filter((to, i) => i === 0 || switches[i - 1] !== to), ['a', 'b', 'a']);
		// Given as a relative path (as typed in a shell), the scenario inside the shipped tree still finds its point once.
		const relative = run(path.relative(process.cwd(), path.join(examples, 'lost-update', 'lost-update.json')));
		assert.equal(relative.messages, '');
		assert.deepEqual(relative.trace, result.trace);
	});

	describe('determinism', () => {
		const scenario = path.join(examples, 'threads-same-page', 'threads-same-page.json');

		it('the same scenario and seed give byte-identical traces', () => {
			const first = run(scenario, { seed: 5 });
			const second = run(scenario, { seed: 5 });
			assert.equal(first.status, 0);
			assert.equal(second.status, 0);
			assert.ok(first.trace.length > 0);
			assert.deepEqual(second.trace, first.trace);
		});

		it('another seed interleaves the threads differently, and the outputs stay right', () => {
			const switches = (seed: number): string[] => {
				const result = run(scenario, { seed });
				assert.equal(result.messages, '', `seed ${seed}`);
				assert.equal(result.status, 0, `seed ${seed}`);
				return kinds(result.trace, 'context-switch').map(e => JSON.stringify([e.cpu, e.from, e.to]));
			};
			assert.notDeepEqual(switches(6), switches(5));
			assert.notDeepEqual(switches(7), switches(5));
		});
	});

	describe('exit 1: an expectation fails', () => {
		it('reports each failing expectation at its line, with what happened instead', () => {
			const file = path.join(fixtures, 'expect-fails.json');
			const result = run(file);
			assert.equal(result.status, 1);
			const lines = result.messages.trimEnd().split('\n');
			assert.equal(lines.length, 5);
			assert.equal(lines[0], `${file}:7:3: error: expectation failed: stdout of p does not match "goodbye\\n": it is "hello\\n"`);
			assert.equal(lines[1], `${file}:8:3: error: expectation failed: process p exited with 0, expected to be killed by SIGSEGV`);
			assert.match(lines[2], new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:9:3: error: expectation failed: 2 fault events of process p, expected 0 \\(the first: \\{"kind":"fault"`));
			assert.equal(lines[3], `${file}:10:3: error: expectation failed: invariant refcounts holds, expected a violation`);
			assert.equal(lines[4], `${file}: 4 of 5 expectations failed`);
		});

		it('reports a run that does not end within limits.maxSteps, and where the task is', () => {
			const file = path.join(fixtures, 'budget.json');
			const result = run(file);
			assert.equal(result.status, 1);
			assert.equal(result.messages, `${file}:4:14: error: the run did not finish within 20000 statements (limits.maxSteps); still running: p in main() at ${path.join(fixtures, 'spin.c')}:5\n`);
		});
	});

	describe('--profile', () => {
		it('overrides the scenario profile (an expectation restricted to linux-2.6.18 applies only there)', () => {
			const file = path.join(fixtures, 'profile-specific.json');
			assert.equal(run(file).status, 0);
			const overridden = run(file, { profile: 'linux-2.6.18' });
			assert.equal(overridden.status, 1);
			assert.match(overridden.messages, /profile-specific\.json:8:3: error: expectation failed: stdout of p does not match "only on 2\.6\.18\\n": it is "hello\\n"/);
		});

		it('runs the examples on linux-2.6.18 too', () => {
			for (const [folder, file] of [['fork-cow', 'fork-cow.json'], ['signals', 'signals.json']]) {
				const result = run(path.join(examples, folder, file), { profile: 'linux-2.6.18' });
				assert.equal(result.messages, '', file);
				assert.equal(result.status, 0, file);
			}
		});

		it('runs the shared process core on a FreeBSD profile; refuses a profile that does not exist (exit 2)', () => {
			const freebsd = run(path.join(fixtures, 'expect-fails.json'), { profile: 'freebsd-7' });
			assert.equal(freebsd.status, 1);
			assert.match(freebsd.messages, /expectation failed/);
			const unknown = run(path.join(fixtures, 'expect-fails.json'), { profile: 'linux-9.9' });
			assert.equal(unknown.status, 2);
			assert.match(unknown.messages, /linux-9\.9/);
		});
	});

	describe('exit 2: bad input, with file:line:col', () => {
		it('broken JSON', () => {
			const file = path.join(fixtures, 'broken-json.json');
			const result = run(file);
			assert.equal(result.status, 2);
			assert.equal(result.messages, `${file}:6:1: error: expected a JSON value, got '}'\n`);
			assert.deepEqual(result.trace, []);
		});

		it('a missing scenario file', () => {
			const file = path.join(fixtures, 'no-such-scenario.json');
			const result = run(file);
			assert.equal(result.status, 2);
			assert.equal(result.messages, `${file}:1:1: error: cannot read the scenario: no such file\n`);
		});

		it('a missing program', () => {
			const file = path.join(fixtures, 'missing-program.json');
			const result = run(file);
			assert.equal(result.status, 2);
			assert.equal(result.messages, `${file}:5:29: error: processes[1].program: no such file "no-such-program.c"\n`);
		});

		it('a program that does not compile: the compiler error, then the scenario line that names it', () => {
			const file = path.join(fixtures, 'compile-error.json');
			const result = run(file);
			assert.equal(result.status, 2);
			assert.equal(result.messages, [
				`${path.join(fixtures, 'does-not-compile.c')}:6:11: error: incompatible types when initializing type 'int *' using type 'double'`,
				`${file}:3:42: error: processes[0].program: does-not-compile.c does not compile`,
				'',
			].join('\n'));
		});

		it('a marker at a line where no statement starts', () => {
			const file = path.join(fixtures, 'no-statement.json');
			const result = run(file);
			assert.equal(result.status, 2);
			assert.equal(result.messages, `${file}:5:49: error: schedule[0].until.stmt: no statement starts at line 1 of hello.c\n`);
		});

		it('what this version cannot run yet (env, maxTime), at the lines that ask for it', () => {
			const file = path.join(fixtures, 'unsupported.json');
			const result = run(file);
			assert.equal(result.status, 2);
			assert.equal(result.messages, [
				`${file}:3:16: error: processes[0].env: this version of Faultline cannot run it yet`,
				`${file}:4:14: error: limits.maxTime (use limits.maxSteps): this version of Faultline cannot run it yet`,
				'',
			].join('\n'));
		});
	});

	describe('drivers and harness tasks', () => {
		it("loads a scenario's own driver as a module with its parameter; harness tasks run at a step, at a statement marker (sending the signal the program waits for) and at an event", () => {
			const result = run(path.join(fixtures, 'driver-harness.json'));
			assert.equal(result.status, 0, result.messages);
			const handled = kinds(result.trace, 'signal');
			assert.deepEqual(handled.map(e => [e.task, e.name, e.action]), [['p', 'SIGUSR1', 'handler']]);
		});

		it('a driver that does not ship, or does not compile, is bad input at its line (exit 2)', () => {
			const missing = run(path.join(fixtures, 'driver-errors.json'));
			assert.equal(missing.status, 2);
			assert.match(missing.messages, /driver-errors\.json:4:\d+: error: no shipped driver 'dma-buf-heap'/);
			const broken = run(path.join(fixtures, 'driver-broken.json'));
			assert.equal(broken.status, 2);
			assert.match(broken.messages, /driver-broken\.c:5:\d+: error: implicit declaration of function 'no_such_function'/);
		});

		it('a harness call no loaded driver defines does not link (exit 2)', () => {
			const result = run(path.join(fixtures, 'harness-unlinked.json'));
			assert.equal(result.status, 2);
			assert.match(result.messages, /sim_bo_evict/);
			assert.match(result.messages, /does every driver they call define its sim_\* function/);
		});
	});

	describe('exit 3: the kernel fails or the tasks deadlock', () => {
		it('an ABBA deadlock between two threads: a deadlock event, a report of where each task waits', () => {
			const file = path.join(fixtures, 'deadlock.json');
			const result = run(file);
			assert.equal(result.status, 3);
			assert.match(result.messages, /deadlock: tasks are alive but none can run:\n {2}main \(pid 1\) in futex_wait/);
			const deadlocks = kinds(result.trace, 'deadlock');
			assert.equal(deadlocks.length, 1);
			assert.deepEqual((deadlocks[0].tasks as { task: string }[]).map(t => t.task), ['main', 'main.1', 'main.2']);
			// The scenario's own expectations (one deadlock, no output) hold: only the exit status says it failed.
			assert.doesNotMatch(result.messages, /expectation failed/);
		});
		// A kernel oops or BUG cannot be provoked from user space without drivers: the KC kernel
		// answers bad user pointers with -EFAULT (tested in test/unit/kernel/proc/system.test.ts).
	});

	describe('through the CLI dispatch', () => {
		it('faultline run --seed --trace FILE writes one JSON event per line and exits with the scenario status', async () => {
			const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'faultline-run-'));
			try {
				const traceFile = path.join(folder, 'trace.jsonl');
				let stderr = '';
				const status = await runCli(['run', path.join(examples, 'threads-same-page', 'threads-same-page.json'), '--seed', '5', '--trace', traceFile], {
					stdout: () => assert.fail('run writes nothing on stdout'),
					stderr: bytes => { stderr += new TextDecoder().decode(bytes); },
				}, {
					execFile,
					runScenario,
					openTrace: file => {
						const fd = fs.openSync(file, 'w');
						return { write: line => fs.writeSync(fd, `${line}\n`), close: () => fs.closeSync(fd) };
					},
					kcRoot: () => kcRoot,
					version: 'test',
				});
				assert.equal(stderr, '');
				assert.equal(status, 0);
				const lines = fs.readFileSync(traceFile, 'utf8').split('\n');
				assert.equal(lines.pop(), '');
				// The same trace as the library call with the same seed.
				assert.deepEqual(lines, run(path.join(examples, 'threads-same-page', 'threads-same-page.json'), { seed: 5 }).trace);
				assert.ok(lines.every(line => typeof (JSON.parse(line) as { kind: unknown }).kind === 'string'));
			} finally {
				fs.rmSync(folder, { recursive: true, force: true });
			}
		});
	});
});
