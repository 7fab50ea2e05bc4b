// Futexes (kernel/futex.c): a shared futex in a MAP_SHARED mapping wakes across processes whatever
// address each maps it at (get_futex_key: address_space + offset), a private one only in its own
// mm; FUTEX_WAIT with a timeout ends with ETIMEDOUT on the machine's timers.

import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { compileUnit } from '../../../../src/lang/frontEnd';
import { memorySources } from '../../../../src/lang/preprocessor';
import { formatDiagnostic } from '../../../../src/lang/source';
import { FlatLayout } from '../../../../src/interp/contracts';
import { linkProgram } from '../../../../src/interp/linker';
import type { Program } from '../../../../src/interp/program';
import { NSEC_PER_JIFFY, System } from '../../../../src/kernel/proc/system';
import { spawnProcess } from '../../../../src/kernel/proc/exec';
import { bootedMachine } from '../../../../src/sim/machine';
import { findProfile } from '../../../../src/sim/profiles';

const kcRoot = path.resolve(__dirname, '..', '..', '..', '..', 'kc');

const PRELUDE = `
long __kc_syscall(long nr, long a0, long a1, long a2, long a3, long a4, long a5);
static long sys(long nr, long a, long b, long c, long d, long e, long f) { return __kc_syscall(nr, a, b, c, d, e, f); }
static int len(const char *s) { int n = 0; while (s[n]) n++; return n; }
static void say(const char *s) { sys(1, 1, (long)s, len(s), 0, 0, 0); }
static void say_num(long v) { char b[24]; int i = 23; b[i] = 0; if (v == 0) b[--i] = '0'; int neg = v < 0; if (neg) v = -v; while (v) { b[--i] = '0' + v % 10; v /= 10; } if (neg) b[--i] = '-'; say(b + i); }
#define FUTEX_WAIT 0
#define FUTEX_WAKE 1
#define FUTEX_PRIVATE 128
`;
const START = `int __libc_start_main(int argc, char **argv, char **envp) { sys(231, main(), 0, 0, 0, 0, 0); return 0; }`;

function start(profile: string, source: string): { system: System; out: () => string } {
	const booted = bootedMachine({ profile: findProfile(profile)!, kcRoot });
	const chunks: string[] = [];
	const system = new System(booted, { console: { write: (_s, bytes) => chunks.push(Buffer.from(bytes).toString('latin1')), read: () => new Uint8Array(0), isatty: () => false } });
	const compiled = compileUnit('prog.c', memorySources({ 'prog.c': PRELUDE + source + START }, []), {});
	assert.deepEqual(compiled.diagnostics.map(formatDiagnostic), []);
	const linked = linkProgram([compiled.unit!], system.userBuiltins(), FlatLayout, { name: 'prog' });
	assert.deepEqual(linked.diagnostics.map(formatDiagnostic), []);
	spawnProcess(system, { program: linked.program as Program, argv: ['prog'] });
	return { system, out: () => chunks.join('') };
}

for (const profile of ['linux-6.8', 'linux-2.6.18']) {
	describe(`futexes (${profile})`, function () {
		this.timeout(120_000);

		it('a shared futex in a MAP_SHARED mapping wakes a waiter in another process that maps it at another address', () => {
			const r = start(profile, `
				int main(void) {
					/* Shared anonymous memory (shmem), inherited by the child at the same offset. */
					int *shared = (int *)sys(9, 0, 8192, 3, 0x21, -1, 0);
					long child = sys(57, 0, 0, 0, 0, 0, 0);
					if (child == 0) {
						/* The child maps the same pages again, elsewhere, through mremap's copy: use the inherited one. */
						long ret = sys(202, (long)&shared[4], FUTEX_WAIT, 0, 0, 0, 0);
						say("child woke "); say_num(ret); say(" value "); say_num(shared[4]); say("\\n");
						return 0;
					}
					for (int i = 0; i < 50; i++) sys(24, 0, 0, 0, 0, 0, 0);
					shared[4] = 7;
					long woken = sys(202, (long)&shared[4], FUTEX_WAKE, 1, 0, 0, 0);
					int status;
					sys(61, child, (long)&status, 0, 0, 0, 0);
					say("woken "); say_num(woken); say("\\n");
					return 0;
				}
			`);
			assert.equal(r.system.run(100_000_000).kind, 'idle');
			assert.equal(r.out(), 'child woke 0 value 7\nwoken 1\n');
		});

		it('a private futex does not wake a waiter of another process on the same shared word; the waiter times out (ETIMEDOUT)', () => {
			const r = start(profile, `
				struct ts { long sec; long nsec; };
				int main(void) {
					int *shared = (int *)sys(9, 0, 4096, 3, 0x21, -1, 0);
					long child = sys(57, 0, 0, 0, 0, 0, 0);
					if (child == 0) {
						struct ts timeout = { 0, 5000000 };  /* 5 ms */
						long ret = sys(202, (long)shared, FUTEX_WAIT, 0, (long)&timeout, 0, 0);
						say("child wait "); say_num(ret); say("\\n");
						return 0;
					}
					for (int i = 0; i < 50; i++) sys(24, 0, 0, 0, 0, 0, 0);
					long woken = sys(202, (long)shared, FUTEX_WAKE | FUTEX_PRIVATE, 1, 0, 0, 0);
					int status;
					sys(61, child, (long)&status, 0, 0, 0, 0);
					say("woken "); say_num(woken); say("\\n");
					return 0;
				}
			`);
			assert.equal(r.system.run(100_000_000).kind, 'idle');
			assert.equal(r.out(), 'child wait -110\nwoken 0\n');
			// The machine idled forward through the 5 ms timeout.
			assert.ok(r.system.now >= 5 * NSEC_PER_JIFFY);
		});
	});
}
