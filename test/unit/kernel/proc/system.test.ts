// The machine's process layer (src/kernel/proc/system.ts, exec.ts) on the full KC kernel: a program
// started by the loader, system calls through do_syscall_64, fork with copy-on-write, wait4 status,
// signals (default actions and user handlers re-run after the fault), the uaccess exception table,
// threads with futex-based join, a stall report, and whole-system snapshot/restore. The user programs
// call the raw system-call builtin (no C library), so each test sees exactly the kernel's answers.

import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { compileUnit } from '../../../../src/lang/frontEnd';
import { memorySources } from '../../../../src/lang/preprocessor';
import { formatDiagnostic } from '../../../../src/lang/source';
import { FlatLayout } from '../../../../src/interp/contracts';
import { linkProgram } from '../../../../src/interp/linker';
import type { Program } from '../../../../src/interp/program';
import { System, type SystemEvents, type Task } from '../../../../src/kernel/proc/system';
import { spawnProcess } from '../../../../src/kernel/proc/exec';
import { checkInvariants, invariantReport } from '../../../../src/kernel/inspect/invariants';
import { buildUserProgram } from '../../../../src/sim/userProgram';
import { userLibraryBuiltins } from '../../../../src/sim/userLibrary';
import { bootedMachine } from '../../../../src/sim/machine';
import { findProfile } from '../../../../src/sim/profiles';

const kcRoot = path.resolve(__dirname, '..', '..', '..', '..', 'kc');

/** Raw system calls and a few helpers every test program starts with. */
const PRELUDE = `
long __kc_syscall(long nr, long a0, long a1, long a2, long a3, long a4, long a5);
long __kc_clone(int (*fn)(void *), void *stack_top, unsigned long flags, void *arg, int *ptid, void *tls, int *ctid);
static long sys(long nr, long a, long b, long c, long d, long e, long f) { return __kc_syscall(nr, a, b, c, d, e, f); }
static int len(const char *s) { int n = 0; while (s[n]) n++; return n; }
static void say(const char *s) { sys(1, 1, (long)s, len(s), 0, 0, 0); }
static void say_num(long v) { char b[24]; int i = 23; b[i] = 0; if (v == 0) b[--i] = '0'; int neg = v < 0; if (neg) v = -v; while (v) { b[--i] = '0' + v % 10; v /= 10; } if (neg) b[--i] = '-'; say(b + i); }
`;

/** The start routine, after the program's main (whatever its parameters). */
const START = `
int __libc_start_main(int argc, char **argv, char **envp) { sys(231, ((int (*)(int, char **))main)(argc, argv), 0, 0, 0, 0, 0); return 0; }
`;

interface Run {
	readonly system: System;
	readonly task: Task;
	readonly out: () => string;
}

function start(profile: string, source: string, events?: SystemEvents, argv: readonly string[] = ['prog']): Run {
	const booted = bootedMachine({ profile: findProfile(profile)!, kcRoot });
	const chunks: string[] = [];
	const system = new System(booted, {
		console: { write: (_stream, bytes) => chunks.push(Buffer.from(bytes).toString('latin1')), read: () => new Uint8Array(0), isatty: () => false },
		...(events === undefined ? {} : { events }),
	});
	const compiled = compileUnit('prog.c', memorySources({ 'prog.c': PRELUDE + source + START }, []), {});
	assert.deepEqual(compiled.diagnostics.map(formatDiagnostic), []);
	const linked = linkProgram([compiled.unit!], system.userBuiltins(), FlatLayout, { name: 'prog' });
	assert.deepEqual(linked.diagnostics.map(formatDiagnostic), []);
	const task = spawnProcess(system, { program: linked.program as Program, argv });
	return { system, task, out: () => chunks.join('') };
}

for (const profile of ['linux-6.8', 'linux-2.6.18']) {
	describe(`processes on the KC kernel (${profile})`, function () {
		this.timeout(120_000);

		it('runs a program from its loader entry with argv and reports exit_group status as (code << 8)', () => {
			const r = start(profile, `
				int counter = 5;
				int main(int argc, char **argv) { say(argv[1]); say("\\n"); return counter + argc + (int)sys(39, 0, 0, 0, 0, 0, 0); }
			`, undefined, ['prog', 'hello']);
			assert.deepEqual(r.system.run(10_000_000), { kind: 'idle' });
			assert.equal(r.out(), 'hello\n');
			// pid 1 is the first process: 5 + 2 + 1.
			assert.equal(r.task.exitCode, 8 << 8);
		});

		it('fork copies the address space copy-on-write; wait4 collects the child status (kernel-semantics.md section 2.5, do_wp_page)', () => {
			const r = start(profile, `
				int main(void) {
					char *p = (char *)sys(9, 0, 8192, 3, 0x22, -1, 0);
					p[0] = 'A'; p[4096] = 'B';
					long pid = sys(57, 0, 0, 0, 0, 0, 0);
					if (pid == 0) {
						p[0] = 'C';
						say(p[0] == 'C' && p[4096] == 'B' ? "child ok\\n" : "child bad\\n");
						sys(231, 7, 0, 0, 0, 0, 0);
					}
					int status = 0;
					long w = sys(61, pid, (long)&status, 0, 0, 0, 0);
					say(w == pid && status == (7 << 8) && p[0] == 'A' ? "parent ok\\n" : "parent bad\\n");
					say_num(sys(61, -1, (long)&status, 0, 0, 0, 0)); say("\\n");
					return 0;
				}
			`);
			assert.deepEqual(r.system.run(20_000_000), { kind: 'idle' });
			// wait4 with no child left: -ECHILD.
			assert.equal(r.out(), 'child ok\nparent ok\n-10\n');
			assert.equal(r.task.exitCode, 0);
			assert.deepEqual(checkInvariants(r.system.booted, { checks: ['free-lists', 'locks'] }), []);
		});

		it('a fault outside every VMA kills with SIGSEGV by default; the parent sees the signal in the status', () => {
			const r = start(profile, `
				int main(void) {
					long pid = sys(57, 0, 0, 0, 0, 0, 0);
					if (pid == 0) { *(volatile int *)0x1000 = 5; say("not reached\\n"); return 3; }
					int status = 0;
					sys(61, pid, (long)&status, 0, 0, 0, 0);
					say_num(status); say("\\n");
					return 0;
				}
			`);
			assert.deepEqual(r.system.run(20_000_000), { kind: 'idle' });
			assert.equal(r.out(), '11\n');
		});

		it('a SIGSEGV handler gets si_code and si_addr, and the faulting access runs again after it returns (kernel-semantics.md section 2.5)', () => {
			const r = start(profile, `
				struct ksa { void *handler; unsigned long flags; void *restorer; unsigned long mask; };
				struct info { int signo; int err; int code; int pad; void *addr; };
				int hits; char *page;
				void handler(int sig, struct info *info, void *uc) {
					hits++;
					say("handler "); say_num(sig); say(" code "); say_num(info->code);
					say(info->addr == (void *)(page + 5) ? " at page+5\\n" : " elsewhere\\n");
					/* PROT_READ|PROT_WRITE: the access can now succeed. */
					sys(10, (long)page, 4096, 3, 0, 0, 0);
				}
				int main(void) {
					struct ksa sa = { (void *)handler, 4, 0, 0 };
					page = (char *)sys(9, 0, 4096, 1, 0x22, -1, 0);
					if (sys(13, 11, (long)&sa, 0, 8, 0, 0) != 0) return 3;
					page[5] = 'x';
					say(page[5] == 'x' && hits == 1 ? "store done\\n" : "bad\\n");
					return 0;
				}
			`);
			assert.deepEqual(r.system.run(20_000_000), { kind: 'idle' });
			// SEGV_ACCERR (2): the page is mapped read-only.
			assert.equal(r.out(), 'handler 11 code 2 at page+5\nstore done\n');
			assert.equal(r.task.exitCode, 0);
		});

		it('a system call given a bad user buffer returns -EFAULT through the exception table, not an oops', () => {
			const r = start(profile, `
				int main(void) {
					long n = sys(1, 1, 0x10, 4, 0, 0, 0);
					say_num(n); say("\\n");
					int fd = (int)sys(2, (long)"/tmp/x", 0102, 0644, 0, 0, 0);
					sys(1, fd, (long)"data", 4, 0, 0, 0);
					sys(8, fd, 0, 0, 0, 0, 0);
					say_num(sys(0, fd, 0x20000000, 4, 0, 0, 0)); say("\\n");
					return 0;
				}
			`);
			assert.deepEqual(r.system.run(20_000_000), { kind: 'idle' });
			assert.equal(r.out(), '-14\n-14\n');
			assert.doesNotMatch(r.system.booted.log.text(), /BUG|Oops/);
		});

		it('kill(SIGUSR1) on itself takes the default action on the way out of the system call', () => {
			const r = start(profile, `
				int main(void) { sys(62, sys(39, 0, 0, 0, 0, 0, 0), 10, 0, 0, 0, 0); say("not reached\\n"); return 0; }
			`);
			assert.deepEqual(r.system.run(10_000_000), { kind: 'idle' });
			assert.equal(r.out(), '');
			assert.equal(r.task.exitCode, 10);
		});

		it('threads share the address space; the creator joins through CLONE_CHILD_CLEARTID and futex', () => {
			const r = start(profile, `
				volatile int shared;
				int tid_word;
				int worker(void *arg) { shared = 40 + (int)(long)arg; return 0; }
				int __kc_clone_start(int (*fn)(void *), void *arg) { sys(60, fn(arg), 0, 0, 0, 0, 0); return 0; }
				int main(void) {
					char *stack = (char *)sys(9, 0, 65536, 3, 0x22, -1, 0);
					/* CLONE_VM|FS|FILES|SIGHAND|THREAD|SYSVSEM|PARENT_SETTID|CHILD_CLEARTID */
					long tid = __kc_clone(worker, stack + 65536, 0x3d0f00, (void *)2, &tid_word, 0, &tid_word);
					if (tid <= 0) return 1;
					while (tid_word != 0) sys(202, (long)&tid_word, 128, tid_word, 0, 0, 0);
					say_num(shared); say("\\n");
					return 0;
				}
			`);
			assert.deepEqual(r.system.run(20_000_000), { kind: 'idle' });
			assert.equal(r.out(), '42\n');
			assert.equal(r.task.exitCode, 0);
		});

		it('reports a stall naming the sleeping task when nobody can wake it', () => {
			const r = start(profile, `
				int word = 1;
				int main(void) { sys(202, (long)&word, 128, 1, 0, 0, 0); return 0; }
			`);
			const stop = r.system.run(10_000_000);
			assert.equal(stop.kind, 'stalled');
			if (stop.kind === 'stalled') assert.match(stop.tasks[0].where, /^schedule|futex_wait/);
		});

		it('snapshot and restore mid-run replay the same execution (same output, status and statement count)', () => {
			const events: string[] = [];
			const r = start(profile, `
				int main(void) {
					char *p = (char *)sys(9, 0, 4 * 4096, 3, 0x22, -1, 0);
					for (int i = 0; i < 4; i++) p[i * 4096] = (char)i;
					long pid = sys(57, 0, 0, 0, 0, 0, 0);
					if (pid == 0) { p[4096] = 9; say("child\\n"); return 4; }
					int status; sys(61, pid, (long)&status, 0, 0, 0, 0);
					say("parent\\n");
					return status >> 8;
				}
			`, { fault: (task, address) => events.push(`${task.id}:${address.toString(16)}`) });
			r.system.run(2_000);
			const snapshot = r.system.snapshot();
			const before = r.out().length;
			const eventsBefore = events.length;
			assert.deepEqual(r.system.run(20_000_000), { kind: 'idle' });
			const first = { out: r.out().slice(before), code: r.task.exitCode, now: r.system.now, events: events.slice(eventsBefore) };
			r.system.restore(snapshot);
			const mark = r.out().length;
			events.length = eventsBefore;
			assert.equal(r.task.exitCode, undefined);
			assert.deepEqual(r.system.run(20_000_000), { kind: 'idle' });
			assert.deepEqual({ out: r.out().slice(mark), code: r.task.exitCode, now: r.system.now, events: events.slice(eventsBefore) }, first);
			assert.equal(first.code, 4 << 8);
		});

		for (const program of ['cow_fork', 'mremap_move', 'threads_same_page', 'file_shared', 'munmap_split']) {
			it(`the kernel-semantics.md invariants hold whenever every task is in user mode while ${program}.c runs (no PTE to a free frame, mapcount = PTEs, refcount >= mapcount, VMA lists, free lists, locks)`, () => {
				const booted = bootedMachine({ profile: findProfile(profile)!, kcRoot });
				const found: string[] = [];
				let checks = 0;
				const live: { system?: System } = {};
				const events: SystemEvents = {
					sliceEnd: () => {
						if (live.system === undefined || live.system.alive().some(t => t.thread.mode !== 'user')) return;
						checks++;
						for (const v of invariantReport(booted).violations) found.push(`${v.kind}: ${v.message}`);
					},
				};
				const system = new System(booted, { quantum: 211, events });
				live.system = system;
				const built = buildUserProgram(path.join(kcRoot, '..', 'test', 'differential', `${program}.c`), kcRoot, userLibraryBuiltins(system));
				assert.ok(built.program, built.diagnostics.map(formatDiagnostic).join('\n'));
				spawnProcess(system, { program: built.program, argv: [program] });
				assert.deepEqual(system.run(50_000_000), { kind: 'idle' });
				assert.ok(checks > 0, 'no quiescent point was checked');
				assert.deepEqual(found.slice(0, 5), []);
				assert.deepEqual(invariantReport(booted).violations, []);
			});
		}
	});
}
