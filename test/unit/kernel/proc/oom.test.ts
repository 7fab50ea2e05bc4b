// Simulated memory exhaustion (BRIEF 5 "Robust": an OOM path, not a host crash): the page allocator
// calls the OOM killer (mm/oom_kill.c), which kills the process with the largest resident set and
// logs it in the era's words; the machine goes on.

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

/** Touches anonymous memory page by page, forever (mmap of 1 MiB chunks). */
const HOG = `
long __kc_syscall(long nr, long a0, long a1, long a2, long a3, long a4, long a5);
int main(void) {
	for (;;) {
		char *p = (char *)__kc_syscall(9, 0, 1 << 20, 3, 0x22, -1, 0);
		if ((long)p < 0) return 2;
		for (long i = 0; i < (1 << 20); i += 4096) p[i] = 1;
	}
}
int __libc_start_main(int argc, char **argv, char **envp) { __kc_syscall(231, main(), 0, 0, 0, 0, 0); return 0; }
`;

/** Sleeps in a loop of sched_yield calls with a small footprint. */
const SMALL = `
long __kc_syscall(long nr, long a0, long a1, long a2, long a3, long a4, long a5);
int main(void) { for (int i = 0; i < 200000; i++) __kc_syscall(24, 0, 0, 0, 0, 0, 0); return 0; }
int __libc_start_main(int argc, char **argv, char **envp) { __kc_syscall(231, main(), 0, 0, 0, 0, 0); return 0; }
`;

function program(system: System, source: string): Program {
	const compiled = compileUnit('prog.c', memorySources({ 'prog.c': source }, []), {});
	assert.deepEqual(compiled.diagnostics.map(formatDiagnostic), []);
	const linked = linkProgram([compiled.unit!], system.userBuiltins(), FlatLayout, { name: 'prog' });
	assert.deepEqual(linked.diagnostics.map(formatDiagnostic), []);
	return linked.program as Program;
}

for (const [profile, killedLine] of [
	['linux-6.8', /Out of memory: Killed process 1 \(hog\) total-vm:\d+kB, anon-rss:\d+kB/],
	['linux-2.6.18', /Out of memory: Killed process 1 \(hog\)\./],
] as const) {
	describe(`out of memory (${profile})`, function () {
		this.timeout(300_000);

		it('the OOM killer kills the process with the largest resident set (SIGKILL) and logs it; the other process runs to its end', () => {
			const booted = bootedMachine({ profile: findProfile(profile)!, kcRoot, ramBytes: 16 << 20 });
			const system = new System(booted);
			const hog = spawnProcess(system, { program: program(system, HOG), argv: ['hog'] });
			const small = spawnProcess(system, { program: program(system, SMALL), argv: ['small'] });
			const stop = system.run(400_000_000);
			assert.equal(stop.kind, 'idle', booted.log.text());
			assert.equal(hog.exitCode! & 0x7f, 9, `hog status ${hog.exitCode}`);
			assert.equal(small.exitCode, 0);
			assert.match(booted.log.text(), killedLine);
			assert.match(booted.log.text(), /invoked oom-killer/);
		});
	});
}
