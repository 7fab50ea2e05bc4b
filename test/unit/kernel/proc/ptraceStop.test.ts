// ptrace stops between real processes (kernel/ptrace.c ptrace_signal, kernel/exit.c wait4): a
// tracer attaches (SIGSTOP is queued), waits for the stop (status 0x137f: stopped by SIGSTOP), PEEKs
// the tracee's memory while it is stopped, lets it run again with PTRACE_CONT, and finally detaches.
// This is the debugger side of kernel-semantics.md section 8 scenario 1 (PEEK through
// access_process_vm needs a stopped tracee).

import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { compileUnit } from '../../../../src/lang/frontEnd';
import { memorySources } from '../../../../src/lang/preprocessor';
import { formatDiagnostic } from '../../../../src/lang/source';
import { FlatLayout } from '../../../../src/interp/contracts';
import { linkProgram } from '../../../../src/interp/linker';
import type { Program } from '../../../../src/interp/program';
import { System } from '../../../../src/kernel/proc/system';
import { spawnProcess } from '../../../../src/kernel/proc/exec';
import { bootedMachine } from '../../../../src/sim/machine';
import { findProfile } from '../../../../src/sim/profiles';

const kcRoot = path.resolve(__dirname, '..', '..', '..', '..', 'kc');

const PROGRAM = `
long __kc_syscall(long nr, long a0, long a1, long a2, long a3, long a4, long a5);
static long sys(long nr, long a, long b, long c, long d) { return __kc_syscall(nr, a, b, c, d, 0, 0); }
static int len(const char *s) { int n = 0; while (s[n]) n++; return n; }
static void say(const char *s) { sys(1, 1, (long)s, len(s), 0); }
static void say_num(long v) { char b[24]; int i = 23; b[i] = 0; if (v == 0) b[--i] = '0'; int neg = v < 0; if (neg) v = -v; while (v) { b[--i] = '0' + v % 10; v /= 10; } if (neg) b[--i] = '-'; say(b + i); }
volatile long counter;
long peeked;
int main(void) {
	long child = sys(57, 0, 0, 0, 0);
	if (child == 0) {
		for (;;) counter++;
	}
	for (int i = 0; i < 20; i++) sys(24, 0, 0, 0, 0);
	long r = sys(101, 16, child, 0, 0);            /* PTRACE_ATTACH */
	say("attach "); say_num(r); say("\\n");
	int status = 0;
	r = sys(61, child, (long)&status, 0, 0);       /* wait4 */
	say("wait "); say_num(r == child); say(" status "); say_num(status); say("\\n");
	r = sys(101, 2, child, (long)&counter, (long)&peeked); /* PTRACE_PEEKDATA */
	long first = peeked;
	r |= sys(101, 2, child, (long)&counter, (long)&peeked);
	say("peek "); say_num(r); say(" stopped counter stable "); say_num(first == peeked && first > 0); say("\\n");
	r = sys(101, 7, child, 0, 0);                  /* PTRACE_CONT */
	for (int i = 0; i < 50; i++) sys(24, 0, 0, 0, 0);
	r = sys(101, 2, child, (long)&counter, (long)&peeked);
	say("peek while running "); say_num(r); say("\\n");
	r = sys(62, child, 9, 0, 0);                   /* kill SIGKILL */
	r = sys(61, child, (long)&status, 0, 0);
	say("killed status "); say_num(status); say("\\n");
	return 0;
}
int __libc_start_main(int argc, char **argv, char **envp) { sys(231, main(), 0, 0, 0); return 0; }
`;

for (const profile of ['linux-6.8', 'linux-2.6.18']) {
	describe(`ptrace stops between processes (${profile})`, function () {
		this.timeout(120_000);

		it('ATTACH queues SIGSTOP; wait4 reports the stop (0x137f); PEEK needs the stop (ESRCH once CONT lets the tracee run); SIGKILL ends the tracee', () => {
			const booted = bootedMachine({ profile: findProfile(profile)!, kcRoot });
			const chunks: string[] = [];
			const system = new System(booted, { console: { write: (_s, bytes) => chunks.push(Buffer.from(bytes).toString('latin1')), read: () => new Uint8Array(0), isatty: () => false } });
			const compiled = compileUnit('prog.c', memorySources({ 'prog.c': PROGRAM }, []), {});
			assert.deepEqual(compiled.diagnostics.map(formatDiagnostic), []);
			const linked = linkProgram([compiled.unit!], system.userBuiltins(), FlatLayout, { name: 'prog' });
			assert.deepEqual(linked.diagnostics.map(formatDiagnostic), []);
			const task = spawnProcess(system, { program: linked.program as Program, argv: ['tracer'] });
			const stop = system.run(100_000_000);
			assert.equal(stop.kind, 'idle', `${chunks.join('')}\n${system.alive().map(t => `${t.id} ${t.state}`).join(', ')}`);
			assert.equal(chunks.join(''), [
				'attach 0',
				`wait 1 status ${(19 << 8) | 0x7f}`,
				'peek 0 stopped counter stable 1',
				'peek while running -3',
				'killed status 9',
				'',
			].join('\n'));
			assert.equal(task.exitCode, 0);
		});
	});
}
