// Unit tests for the scheduling policies (layer: kernel): markers and slices, round robin, seeded
// random determinism, explicit schedules (parsing, stepping, skipping, CPU pinning, interrupted
// slices, fallback) and snapshot/restore of every policy's state.

import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
	createPolicy, ExplicitPolicy, formatMarker, matchesMarker, parseMarker, parsePolicyConfig, restorePolicy, Slice,
	type PolicyConfig, type SchedulingPolicy, type SliceEnd, type StatementLocation,
} from '../../../../src/kernel/sched/policy';

function loc(file: string, line: number, fn = 'f'): StatementLocation {
	return { file, line, col: 1, fn };
}

/** A task for the fake machine: its statements in order, and an optional statement index where it blocks. */
interface FakeTask {
	readonly statements: readonly StatementLocation[];
	readonly blocksAt?: number;
}

/**
 * Drives `policy` over fake tasks on `cpus` CPUs, one statement per CPU per round, and returns
 * `task:index` for every statement run. Tasks exit after their last statement; a task that blocks
 * stays blocked. `interruptAfter` ends the first slice that many statements in with `interrupted`.
 */
function drive(policy: SchedulingPolicy, tasks: Readonly<Record<string, FakeTask>>, options: { cpus?: number; limit?: number; interruptAfter?: number } = {}): string[] {
	const cpus = options.cpus ?? 1;
	const pc = new Map(Object.keys(tasks).map(id => [id, 0]));
	const blocked = new Set<string>();
	const exited = new Set<string>();
	const slices: (Slice | null)[] = new Array(cpus).fill(null);
	const log: string[] = [];
	let interruptPending = options.interruptAfter;
	for (let round = 0; round < (options.limit ?? 200); round++) {
		let progressed = false;
		for (let cpu = 0; cpu < cpus; cpu++) {
			let slice = slices[cpu];
			if (slice === null) {
				const running = new Set(slices.filter((s): s is Slice => s !== null).map(s => s.decision.task));
				const runnable = Object.keys(tasks).filter(id => !blocked.has(id) && !exited.has(id) && !running.has(id));
				const decision = policy.pick(runnable, null, cpu, round);
				if (decision === null) {
					continue;
				}
				slice = new Slice(decision, cpu);
				slices[cpu] = slice;
			}
			const task = slice.decision.task;
			const index = pc.get(task) as number;
			const end = (reason: SliceEnd): void => {
				policy.account((slice as Slice).finish(reason));
				slices[cpu] = null;
			};
			if (index >= tasks[task].statements.length) {
				exited.add(task);
				end('exited');
				continue;
			}
			if (interruptPending !== undefined && slice.statements === interruptPending) {
				interruptPending = undefined;
				end('interrupted');
				continue;
			}
			const stop = slice.beforeStatement(tasks[task].statements[index]);
			if (stop !== null) {
				end(stop);
				continue;
			}
			log.push(`${task}:${index}`);
			progressed = true;
			if (tasks[task].blocksAt === index) {
				blocked.add(task);
				end('blocked');
				continue;
			}
			pc.set(task, index + 1);
			slice.afterStatement();
		}
		if (!progressed && slices.every(s => s === null) && Object.keys(tasks).every(id => exited.has(id) || blocked.has(id))) {
			break;
		}
	}
	return log;
}

function straight(file: string, count: number, first = 1): FakeTask {
	return { statements: Array.from({ length: count }, (_, i) => loc(file, first + i)) };
}

describe('policy: markers and slices', () => {
	it('matches files by whole trailing path segments, lines and functions', () => {
		const statement = loc('kc/drivers/drm/drm_vm.c', 120, 'drm_bo_vm_nopage');
		assert.equal(matchesMarker({ file: 'drm_vm.c', line: 120 }, statement), true);
		assert.equal(matchesMarker({ file: 'drm/drm_vm.c', line: 120 }, statement), true);
		assert.equal(matchesMarker({ file: 'kc/drivers/drm/drm_vm.c' }, statement), true);
		assert.equal(matchesMarker({ file: 'vm.c', line: 120 }, statement), false);
		assert.equal(matchesMarker({ file: 'drm_vm.c', line: 121 }, statement), false);
		assert.equal(matchesMarker({ fn: 'drm_bo_vm_nopage' }, statement), true);
		assert.equal(matchesMarker({ fn: 'other' }, statement), false);
		assert.equal(matchesMarker({ file: 'drm\\drm_vm.c' }, loc('C:\\kc\\drm\\drm_vm.c', 1)), true);
	});

	it('parses and formats marker strings', () => {
		assert.deepEqual(parseMarker('drm_vm.c:120'), { file: 'drm_vm.c', line: 120 });
		assert.deepEqual(parseMarker(' mm/memory.c:2300#3 '), { file: 'mm/memory.c', line: 2300, hit: 3 });
		assert.deepEqual(parseMarker('do_page_fault()'), { fn: 'do_page_fault' });
		assert.deepEqual(parseMarker('do_page_fault()#2'), { fn: 'do_page_fault', hit: 2 });
		for (const bad of ['', 'drm_vm.c', 'drm_vm.c:x', 'f()#0', 'drm_vm.c:0']) {
			assert.equal(typeof parseMarker(bad), 'string', bad);
		}
		for (const text of ['drm_vm.c:120', 'mm/memory.c:2300#3', 'do_page_fault()', 'do_page_fault()#2']) {
			assert.equal(formatMarker(parseMarker(text) as never), text);
		}
	});

	it('ends a slice on its quantum, and on a marker except on its first statement unless told', () => {
		const slice = new Slice({ task: 'T', quantum: 2 }, 0);
		assert.equal(slice.needsLocation, false);
		assert.equal(slice.beforeStatement(), null);
		slice.afterStatement();
		assert.equal(slice.beforeStatement(), null);
		slice.afterStatement();
		assert.equal(slice.beforeStatement(), 'quantum');
		assert.deepEqual(slice.finish('quantum'), { task: 'T', cpu: 0, statements: 2, markerHits: 0, end: 'quantum' });
		const marked = new Slice({ task: 'T', quantum: Infinity, stopAt: { file: 'a.c', line: 5 }, stopAtHits: 2 }, 1);
		assert.equal(marked.beforeStatement(loc('a.c', 5)), null);
		marked.afterStatement();
		assert.equal(marked.beforeStatement(loc('a.c', 5)), null);
		marked.afterStatement();
		assert.equal(marked.beforeStatement(loc('a.c', 6)), null);
		marked.afterStatement();
		assert.equal(marked.beforeStatement(loc('a.c', 5)), 'marker');
		assert.equal(marked.markerHits, 2);
		const checkFirst = new Slice({ task: 'T', quantum: Infinity, stopAt: { line: 5, file: 'a.c' }, checkFirst: true }, 0);
		assert.equal(checkFirst.beforeStatement(loc('a.c', 5)), 'marker');
	});
});

describe('policy: round robin', () => {
	it('rotates through runnable tasks with a quantum in statements', () => {
		const policy = createPolicy({ kind: 'round-robin', quantum: 2 });
		const log = drive(policy, { T1: straight('a.c', 3), T2: straight('b.c', 3), T3: straight('c.c', 1) });
		assert.deepEqual(log, ['T1:0', 'T1:1', 'T2:0', 'T2:1', 'T3:0', 'T1:2', 'T2:2']);
	});

	it('keeps its rotation across exits and new tasks, and restores from a snapshot', () => {
		const policy = createPolicy({ kind: 'round-robin' });
		assert.equal(policy.pick(['A', 'B', 'C'], null, 0, 0)?.task, 'A');
		assert.equal(policy.pick(['A', 'B', 'C'], 'A', 0, 0)?.task, 'B');
		policy.account({ task: 'B', cpu: 0, statements: 1, markerHits: 0, end: 'exited' });
		const copy = restorePolicy(JSON.parse(JSON.stringify(policy.snapshot())));
		for (const p of [policy, copy]) {
			assert.equal(p.pick(['A', 'C', 'D'], null, 0, 0)?.task, 'C');
			assert.equal(p.pick(['A', 'C', 'D'], null, 0, 0)?.task, 'D');
			assert.equal(p.pick(['A', 'C', 'D'], null, 0, 0)?.task, 'A');
			assert.equal(p.pick([], null, 0, 0), null);
		}
		assert.equal(policy.pick(['A'], null, 0, 0)?.quantum, 20);
	});

	it('gives two CPUs different tasks', () => {
		const policy = createPolicy({ kind: 'round-robin', quantum: 1 });
		const log = drive(policy, { T1: straight('a.c', 2), T2: straight('b.c', 2) }, { cpus: 2 });
		assert.deepEqual(log.slice(0, 2), ['T1:0', 'T2:0']);
		assert.equal(log.length, 4);
	});
});

describe('policy: seeded random', () => {
	const config: PolicyConfig = { kind: 'random', minQuantum: 1, maxQuantum: 5 };
	const tasks = { T1: straight('a.c', 12), T2: straight('b.c', 12), T3: straight('c.c', 12) };

	it('makes the same choices for the same seed and different ones for other seeds', () => {
		const first = drive(createPolicy(config, 7), tasks);
		assert.deepEqual(drive(createPolicy(config, 7), tasks), first);
		assert.deepEqual(drive(createPolicy({ ...config, seed: 7 }), tasks), first);
		const others = [1, 2, 3, 4].map(seed => drive(createPolicy(config, seed), tasks).join(' '));
		assert.ok(others.some(other => other !== first.join(' ')));
		// The seed argument (--seed) wins over the configuration's.
		assert.deepEqual(drive(createPolicy({ ...config, seed: 99 }, 7), tasks), first);
	});

	it('draws quanta within bounds and preempts at statement granularity', () => {
		fc.assert(fc.property(fc.integer({ min: 0, max: 2 ** 40 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: 6 }), (seed, min, extra) => {
			const policy = createPolicy({ kind: 'random', minQuantum: min, maxQuantum: min + extra }, seed);
			for (let i = 0; i < 20; i++) {
				const decision = policy.pick(['A', 'B'], null, 0, i);
				assert.ok(decision !== null && ['A', 'B'].includes(decision.task));
				assert.ok(decision.quantum >= min && decision.quantum <= min + extra);
			}
		}), { numRuns: 100 });
	});

	it('continues identically after a snapshot is restored', () => {
		const policy = createPolicy(config, 3);
		for (let i = 0; i < 5; i++) {
			policy.pick(['A', 'B', 'C'], null, 0, i);
		}
		const copy = restorePolicy(JSON.parse(JSON.stringify(policy.snapshot())));
		for (let i = 0; i < 20; i++) {
			assert.deepEqual(copy.pick(['A', 'B', 'C'], null, 0, i), policy.pick(['A', 'B', 'C'], null, 0, i));
		}
	});
});

describe('policy: explicit schedule', () => {
	// T1 runs f.c lines 1..6 and loops back to line 3 once: 1 2 3 4 5 3 4 5 6.
	const loop = [1, 2, 3, 4, 5, 3, 4, 5, 6].map(line => loc('src/f.c', line));
	const tasks = { T1: { statements: loop }, K: straight('k.c', 5), T2: straight('t2.c', 2) };

	it('runs T1 until it reaches a line, then K for 3 statements, then T1, then falls back', () => {
		const parsed = parsePolicyConfig({
			kind: 'explicit',
			steps: [
				{ task: 'T1', until: { stmt: { file: 'f.c', line: 4 } } },
				{ task: 'K', until: { count: 3 } },
				'T1',
			],
			then: { kind: 'round-robin', quantum: 1 },
		});
		assert.deepEqual(parsed.errors, []);
		const policy = createPolicy(parsed.config as PolicyConfig);
		const log = drive(policy, tasks);
		assert.deepEqual(log, [
			'T1:0', 'T1:1', 'T1:2',           // stops before line 4
			'K:0', 'K:1', 'K:2',              // three statements
			'T1:3', 'T1:4', 'T1:5', 'T1:6', 'T1:7', 'T1:8', // to its exit
			'K:3', 'T2:0', 'K:4', 'T2:1',     // round robin afterwards
		]);
		assert.equal((policy as ExplicitPolicy).stepIndex, 3);
	});

	it('counts marker hits, and does not stop at the statement a step starts on', () => {
		const policy = createPolicy({
			kind: 'explicit',
			steps: [
				{ task: 'T1', until: { stmt: { file: 'f.c', line: 3 } } },
				{ task: 'T1', until: { stmt: { file: 'f.c', line: 3 } } },
				{ task: 'K', until: { count: 1 } },
				{ task: 'T1', until: { stmt: { fn: 'f', hit: 2 } } },
			],
			then: { kind: 'round-robin', quantum: 100 },
		});
		assert.deepEqual(drive(policy, tasks), [
			'T1:0', 'T1:1',                 // reaches line 3
			'T1:2', 'T1:3', 'T1:4',         // starts on line 3, runs past it, stops when it comes back
			'K:0',
			'T1:5', 'T1:6',                 // the step's first statement does not count; stops at the second hit
			'T1:7', 'T1:8', 'K:1', 'K:2', 'K:3', 'K:4', 'T2:0', 'T2:1', // round robin
		]);
	});

	it('skips a step whose task is not runnable and ends a step when its task blocks', () => {
		const policy = createPolicy({ kind: 'explicit', steps: [{ task: 'T2' }, { task: 'Gone' }, { task: 'T1' }, { task: 'K', until: { count: 1 } }] }) as ExplicitPolicy;
		const log = drive(policy, { T1: { statements: loop, blocksAt: 1 }, K: straight('k.c', 2), T2: straight('t2.c', 1) });
		assert.deepEqual(log, ['T2:0', 'T1:0', 'T1:1', 'K:0', 'K:1']);
		assert.deepEqual(policy.skippedSteps, [1]);
	});

	it('pins a step to a CPU and leaves the other CPUs idle meanwhile', () => {
		const policy = createPolicy({ kind: 'explicit', steps: [{ task: 'T2', cpu: 1 }, { task: 'K', until: { count: 2 } }], then: { kind: 'round-robin', quantum: 1 } });
		const trace: string[] = [];
		const original = policy.pick.bind(policy);
		policy.pick = (runnable, current, cpu, now) => {
			const decision = original(runnable, current, cpu, now);
			trace.push(`${cpu}:${decision?.task ?? 'idle'}`);
			return decision;
		};
		const log = drive(policy, { T2: straight('t2.c', 2), K: straight('k.c', 3) }, { cpus: 2 });
		assert.deepEqual(trace.slice(0, 2), ['0:idle', '1:T2']);
		assert.deepEqual(log.slice(0, 4), ['T2:0', 'T2:1', 'K:0', 'K:1']);
		assert.deepEqual(log.slice().sort(), ['K:0', 'K:1', 'K:2', 'T2:0', 'T2:1']);
	});

	it('resumes an interrupted step with what it still owes', () => {
		const policy = createPolicy({ kind: 'explicit', steps: [{ task: 'K', until: { count: 4 } }, { task: 'T2' }] });
		const log = drive(policy, { K: straight('k.c', 5), T2: straight('t2.c', 1) }, { interruptAfter: 2 });
		assert.deepEqual(log, ['K:0', 'K:1', 'K:2', 'K:3', 'T2:0', 'K:4']);
	});

	it('restores mid-step from a snapshot and continues identically', () => {
		const config: PolicyConfig = { kind: 'explicit', steps: [{ task: 'T1', until: { count: 5 } }, { task: 'K' }], then: { kind: 'random', maxQuantum: 3 } };
		const policy = createPolicy(config, 11);
		const decision = policy.pick(['T1', 'K'], null, 0, 0);
		assert.deepEqual(decision, { task: 'T1', quantum: 5 });
		policy.account({ task: 'T1', cpu: 0, statements: 2, markerHits: 0, end: 'interrupted' });
		assert.match(policy.describe(), /^step 1\/2: T1 for 5 statements \(2 statements so far\)$/);
		const copy = restorePolicy(JSON.parse(JSON.stringify(policy.snapshot())));
		for (const p of [policy, copy]) {
			assert.deepEqual(p.pick(['T1', 'K'], null, 0, 1), { task: 'T1', quantum: 3 });
		}
		const tasksAfter = { T1: straight('a.c', 10), K: straight('k.c', 10) };
		assert.deepEqual(drive(copy, tasksAfter), drive(policy, tasksAfter));
	});
});

describe('policy: configuration parsing', () => {
	it('accepts the documented shapes', () => {
		assert.deepEqual(parsePolicyConfig('round-robin').config, { kind: 'round-robin' });
		assert.deepEqual(parsePolicyConfig({ kind: 'random', seed: 5, maxQuantum: 9 }).config, { kind: 'random', seed: 5, maxQuantum: 9 });
		assert.deepEqual(parsePolicyConfig(['T1', { task: 'K', until: { stmt: 'drm_vm.c:120#2', count: 3 }, cpu: 0 }]).config, {
			kind: 'explicit',
			steps: [{ task: 'T1' }, { task: 'K', cpu: 0, until: { stmt: { file: 'drm_vm.c', line: 120, hit: 2 }, count: 3 } }],
		});
		assert.deepEqual(parsePolicyConfig({ kind: 'explicit', steps: [{ task: 'A', until: { stmt: { fn: 'do_page_fault' } } }], then: 'random' }).config, {
			kind: 'explicit', steps: [{ task: 'A', until: { stmt: { fn: 'do_page_fault' } } }], then: { kind: 'random' },
		});
	});

	it('reports problems with JSON paths', () => {
		const { config, errors } = parsePolicyConfig({
			kind: 'explicit',
			steps: [{ task: '' }, { task: 'K', until: { stmt: 'nowhere' } }, { task: 'K', until: {} }, { task: 'K', until: { stmt: { line: 3 }, count: 0 }, extra: 1 }, 7],
			then: { kind: 'random', minQuantum: 5, maxQuantum: 2 },
		});
		assert.equal(config, undefined);
		assert.deepEqual(errors.map(e => e.path), [
			'schedule.steps[0].task',
			'schedule.steps[1].until.stmt',
			'schedule.steps[2].until',
			'schedule.steps[3].extra',
			'schedule.steps[3].until.stmt',
			'schedule.steps[3].until.stmt',
			'schedule.steps[3].until.count',
			'schedule.steps[4]',
			'schedule.then.maxQuantum',
		]);
		assert.deepEqual(parsePolicyConfig({ kind: 'fifo' }).errors.map(e => e.path), ['schedule']);
		assert.deepEqual(parsePolicyConfig({ kind: 'round-robin', quantum: 0 }, 'sched').errors.map(e => e.path), ['sched.quantum']);
	});

	it('never throws, whatever the JSON', () => {
		fc.assert(fc.property(fc.jsonValue(), value => {
			const { config, errors } = parsePolicyConfig(value);
			assert.ok((config === undefined) !== (errors.length === 0));
			if (config !== undefined) {
				createPolicy(config, 1).pick(['A'], null, 0, 0);
			}
		}), { numRuns: 500 });
	});
});
