// The lock builtins of the KC kernel over the real LockSystem: uncontended and contended spinlocks,
// mutexes and rwsems taken by KC code on KC threads interleaved by the test, lockdep's AB-BA report,
// an actual deadlock, sleeping in atomic context, misuse, locks freed with their memory; and the
// console builtins: BUG_ON's "kernel BUG at file:line!", WARN_ON by era, printk's levels.

import * as assert from 'node:assert/strict';
import type { Builtin } from '../../../../src/interp/contracts';
import { run } from '../../../../src/interp/cpu';
import { isSpinning } from '../../../../src/kernel/builtins';
import { kernelFiles, KernelMachine } from './kernelHarness';

class LockTest {
	readonly gates = new Set<number>();
	readonly steps: string[] = [];
	readonly m: KernelMachine;

	constructor(profile = 'linux-6.8') {
		const probe: Builtin = (ctx, args) => {
			const step = Number(args[0]);
			if (this.gates.has(step)) return { kind: 'block', reason: `probe ${step}` };
			this.steps.push(`T${ctx.threadId}:${step}`);
			return undefined;
		};
		this.m = new KernelMachine({ profile, tests: ['mm_test.c', 'locks_test.c'], builtins: new Map([['probe', probe]]) });
		this.m.boot();
	}

	/** Address of lock_a (0), lock_b (1), spin_s (2), sem_r (3). */
	address(which: number): number {
		return Number(this.m.call('test_lock_address', which));
	}

	lockAt(which: number) {
		const id = this.m.locks.table.lockAt(this.address(which));
		assert.ok(id !== undefined, `lock ${which} exists`);
		return this.m.locks.table.lock(id);
	}
}

/** The line of `needle` in a test KC file. */
function lineOf(file: string, needle: string): number {
	const text = kernelFiles()[file];
	const at = text.indexOf(needle);
	assert.ok(at >= 0, needle);
	return text.slice(0, at).split('\n').length;
}

describe('KC kernel: lock builtins', function () {
	this.timeout(60000);

	it('an uncontended spinlock goes through the lock system and keeps its state word', () => {
		const t = new LockTest();
		t.gates.add(5);
		const t1 = t.m.thread(1, 'test_spin_hold');
		assert.deepEqual(run(t1, 100_000), { kind: 'blocked', reason: 'probe 5' });
		const lock = t.lockAt(2);
		// Statically initialised: registered on first use, named by its dep_map.
		assert.equal(lock.name, 'spin_s');
		assert.equal(lock.kind, 'spinlock');
		assert.equal(lock.owner, 'T1');
		assert.equal(lock.ownerSite?.file, 'test/locks_test.c');
		assert.equal(lock.ownerSite?.line, lineOf('test/locks_test.c', 'spin_lock(&spin_s);\n\tprobe(5)'));
		assert.equal(t.m.memory.ld32u(t.address(2)), 1);
		t.gates.delete(5);
		assert.deepEqual(run(t1, 100_000), { kind: 'exited', code: 0 });
		assert.equal(lock.state, 'unlocked');
		assert.equal(t.m.memory.ld32u(t.address(2)), 0);
		assert.deepEqual(t.m.reports, []);
	});

	it('a contended spinlock spins (runnable) until the holder releases it; trylock fails meanwhile', () => {
		const t = new LockTest();
		t.gates.add(5);
		const t1 = t.m.thread(1, 'test_spin_hold');
		run(t1, 100_000);
		const t2 = t.m.thread(2, 'test_spin_hold');
		const spin = run(t2, 100_000);
		assert.ok(isSpinning(spin), JSON.stringify(spin));
		assert.match(spin.kind === 'blocked' ? spin.reason : '', /^spin: spin_lock\(spin_s\) at test\/locks_test\.c:\d+$/);
		assert.ok(isSpinning(run(t2, 100_000)), 'still spinning');
		assert.equal(t.m.num('test_spin_trylock'), 0);
		t.gates.delete(5);
		assert.deepEqual(run(t1, 100_000), { kind: 'exited', code: 0 });
		assert.deepEqual(run(t2, 100_000), { kind: 'exited', code: 0 });
		assert.deepEqual(t.steps, ['T1:5', 'T2:5']);
		assert.equal(t.m.num('test_spin_trylock'), 1);
		assert.ok(t.lockAt(2).stats.spinRetries >= 1);
		assert.deepEqual(t.m.reports, []);
	});

	it('rwsem: readers share, a writer sleeps until they leave and is handed the lock', () => {
		const t = new LockTest();
		t.gates.add(6).add(7);
		const r1 = t.m.thread(1, 'test_read_hold');
		const r2 = t.m.thread(2, 'test_read_hold');
		const w = t.m.thread(3, 'test_write_hold');
		assert.equal(run(r1, 100_000).kind, 'blocked');
		assert.equal(run(r2, 100_000).kind, 'blocked');
		assert.equal(t.m.memory.ld64s(t.address(3)), 2);
		const sleeping = run(w, 100_000);
		assert.match(sleeping.kind === 'blocked' ? sleeping.reason : '', /^sleep: down_write\(sem_r\)/);
		assert.ok(!isSpinning(sleeping));
		t.gates.delete(6);
		assert.deepEqual(run(r1, 100_000), { kind: 'exited', code: 0 });
		assert.deepEqual(run(r2, 100_000), { kind: 'exited', code: 0 });
		// The last reader's up_read handed the semaphore to the writer.
		assert.equal(t.lockAt(3).owner, 'T3');
		assert.equal(t.m.memory.ld64s(t.address(3)), -1);
		assert.deepEqual(run(w, 100_000), { kind: 'blocked', reason: 'probe 7' });
		t.gates.delete(7);
		assert.deepEqual(run(w, 100_000), { kind: 'exited', code: 0 });
		assert.equal(t.m.memory.ld64s(t.address(3)), 0);
	});

	it('lockdep reports AB-BA across two KC threads even when they never overlapped', () => {
		const t = new LockTest();
		assert.deepEqual(run(t.m.thread(1, 'test_ab'), 100_000), { kind: 'exited', code: 0 });
		assert.equal(t.m.reports.length, 0);
		assert.deepEqual(run(t.m.thread(2, 'test_ba'), 100_000), { kind: 'exited', code: 0 });
		assert.equal(t.m.reports.length, 1);
		const [report] = t.m.reports;
		assert.equal(report.kind, 'circular-dependency');
		if (report.kind !== 'circular-dependency') return;
		assert.equal(report.task.id, 'T2');
		assert.equal(report.acquiring.lock.name, 'lock_a');
		assert.equal(report.holding.lock.name, 'lock_b');
		assert.equal(report.site.file, 'test/locks_test.c');
		assert.equal(report.site.line, lineOf('test/locks_test.c', 'mutex_lock(&lock_a);\n\tprobe(4)'));
		assert.equal(report.site.fn, 'test_ba');
		assert.equal(report.chain[0].task.id, 'T1');
		assert.match(report.text, /possible circular locking dependency detected/);
	});

	it('AB-BA interleaved by the scheduler deadlocks, and the deadlock is reported', () => {
		const t = new LockTest();
		t.gates.add(1).add(3);
		const t1 = t.m.thread(1, 'test_ab');
		const t2 = t.m.thread(2, 'test_ba');
		assert.deepEqual(run(t1, 100_000), { kind: 'blocked', reason: 'probe 1' });
		assert.deepEqual(run(t2, 100_000), { kind: 'blocked', reason: 'probe 3' });
		t.gates.clear();
		const s1 = run(t1, 100_000);
		const s2 = run(t2, 100_000);
		assert.match(s1.kind === 'blocked' ? s1.reason : '', /^sleep: mutex_lock\(lock_b\)/);
		assert.match(s2.kind === 'blocked' ? s2.reason : '', /^sleep: mutex_lock\(lock_a\)/);
		assert.deepEqual(t.m.reports.map(r => r.kind), ['circular-dependency', 'deadlock']);
		assert.equal(t.m.locks.deadlocks().length, 1);
		// The mutex words show locked-with-waiters.
		assert.equal(t.m.memory.ld32s(t.address(0)), -1);
		assert.equal(t.m.memory.ld32s(t.address(1)), -1);
		// Still stuck when run again.
		assert.equal(run(t1, 100_000).kind, 'blocked');
	});

	it('a sleeping allocation under a spinlock is "sleeping function called from invalid context"', () => {
		const t = new LockTest();
		t.m.call('test_sleep_in_atomic');
		const report = t.m.reports.find(r => r.kind === 'sleep-in-atomic');
		assert.ok(report !== undefined, JSON.stringify(t.m.reports.map(r => r.kind)));
		assert.equal(report.site.file, 'mm/slab.c');
		assert.equal(report.site.fn, 'kmem_cache_alloc');
		assert.match(report.text, /BUG: sleeping function called from invalid context at mm\/slab\.c:\d+/);
	});

	it('misuse: a double unlock and a held lock freed with its memory are reported', () => {
		const t = new LockTest();
		t.m.call('test_double_unlock');
		t.m.call('test_free_held');
		const problems = t.m.reports.map(r => (r.kind === 'lock-misuse' ? r.problem : r.kind));
		assert.deepEqual(problems, ['double-unlock', 'destroy-held']);
	});

	it('a lock initialised in kmalloc memory lives and dies with it', () => {
		const t = new LockTest();
		const before = t.m.locks.table.allLocks().length;
		// mutex count while held: 0 (locked, no waiters).
		assert.equal(t.m.num('test_lock_lifetime'), 0);
		assert.equal(t.m.locks.table.allLocks().length, before);
		assert.deepEqual(t.m.reports, []);
		// Page-table locks are classed as Linux's split PTL.
		const mm = t.m.call('mm_alloc')!;
		t.m.call('test_map', mm, 0x400000, 0x300, 1);
		assert.ok(t.m.locks.table.allLocks().some(l => l.className === 'ptlock_ptr(page)' && l.kind === 'spinlock'));
	});
});

describe('KC kernel: BUG, WARN and printk', function () {
	this.timeout(60000);

	it('BUG_ON stops the task with "kernel BUG at file:line!" and logs a KC backtrace', () => {
		const t = new LockTest();
		assert.equal(t.m.num('test_bug_on', 2), 2);
		const line = lineOf('test/locks_test.c', 'BUG_ON(x > 3)');
		const { stop } = t.m.tryCall('test_bug_on', 5);
		assert.deepEqual(stop, { kind: 'trap', message: `kernel BUG at test/locks_test.c:${line}!` });
		const log = t.m.log.text();
		assert.match(log, new RegExp(`------------\\[ cut here \\]------------\nkernel BUG at test/locks_test.c:${line}!\n`));
		assert.match(log, new RegExp(`Call Trace:\n \\[<ffffffff81[0-9a-f]{6}>\\] test_bug_on \\(test/locks_test.c:${line}\\)\n \\[<ffffffff81[0-9a-f]{6}>\\] __test_entry \\(test/mm_test.c:\\d+\\)\n`));
		assert.deepEqual(t.m.events.ofKind('bug').map(e => [e.message, e.site.fn]), [[`kernel BUG at test/locks_test.c:${line}!`, 'test_bug_on']]);
	});

	it('WARN_ON returns its condition and prints the era\'s banner', () => {
		const line = lineOf('test/locks_test.c', 'WARN_ON(x != 0)');
		const banners: Record<string, string> = {
			'linux-6.8': `WARNING: CPU: 0 PID: T100 at test/locks_test.c:${line} test_warn_on\n`,
			'linux-2.6.27': `WARNING: at test/locks_test.c:${line} test_warn_on()\n`,
			'linux-2.6.18': `BUG: warning at test/locks_test.c:${line}/test_warn_on()\n`,
		};
		for (const [profile, banner] of Object.entries(banners)) {
			const t = new LockTest(profile);
			const quiet = t.m.log.records.length;
			assert.equal(t.m.num('test_warn_on', 0), 0);
			assert.equal(t.m.log.records.length, quiet);
			assert.equal(t.m.num('test_warn_on', 7), 1, profile);
			assert.ok(t.m.log.text().includes(banner), `${profile}: ${t.m.log.text()}`);
			assert.ok(t.m.log.text().includes('Call Trace:'), profile);
		}
	});

	it('printk parses both eras\' level prefixes and joins continued lines', () => {
		for (const profile of ['linux-6.8', 'linux-2.6.18']) {
			const t = new LockTest(profile);
			const start = t.m.log.records.length;
			t.m.call('test_printk');
			assert.deepEqual(t.m.log.records.slice(start).map(r => [r.level, r.text, r.task]), [
				[6, 'hello 42 kc', 'T100'],
				[3, 'err 0x10', 'T100'],
				[4, 'no level, continued', 'T100'],
			], profile);
		}
	});
});
