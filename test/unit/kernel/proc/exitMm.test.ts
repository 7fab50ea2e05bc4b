// exit_mm and the lazy active_mm (layer: test over kernel/proc and the KC kernel): a dying task
// keeps running on its address space's page tables until its CPU leaves them, so exit_mm holds
// the mm_struct (mm_count) as active_mm and the machine's finish_task_switch for a dead task
// (release_task_thread) drops it. Before, the last mmput freed the pgd under the running task: on
// two CPUs the other one could reuse the frame, and the dying task then faulted on kernel .data
// forever (cow_multi_fork.c on linux-2.6.27).

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { System, type Task } from '../../../../src/kernel/proc/system';
import { spawnProcess } from '../../../../src/kernel/proc/exec';
import { KernelReader } from '../../../../src/kernel/inspect/reader';
import { freeFrames, nrFreePages } from '../../../../src/kernel/inspect/views';
import { buildUserProgram } from '../../../../src/sim/userProgram';
import { userLibraryBuiltins } from '../../../../src/sim/userLibrary';
import { bootedMachine } from '../../../../src/sim/machine';
import { profiles } from '../../../../src/sim/profiles';

const kcRoot = path.resolve(__dirname, '..', '..', '..', '..', 'kc');

const PROGRAM = `#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	pid_t pid = fork();
	int status = 0;

	if (pid == 0)
		_exit(3);
	if (waitpid(pid, &status, 0) != pid)
		return 1;
	return WIFEXITED(status) && WEXITSTATUS(status) == 3 ? 0 : 2;
}
`;

describe('KC kernel: exit_mm keeps the dying task\'s page tables until its CPU leaves them', function () {
	this.timeout(60000);
	let file = '';
	before(() => {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'faultline-exit-mm-'));
		file = path.join(dir, 'fork_exit.c');
		fs.writeFileSync(file, PROGRAM);
	});
	after(() => fs.rmSync(path.dirname(file), { recursive: true, force: true }));

	for (const profile of profiles.filter(p => p.os === 'linux')) {
		it(`${profile.name}: at __kc_task_dead the pgd frame is still allocated; once both tasks are gone it is free and nr_free_pages is back`, () => {
			const booted = bootedMachine({ profile, kcRoot });
			const reader = new KernelReader(booted);
			const seen: { pid: number; pgdFree: boolean }[] = [];
			const pgds: number[] = [];
			const system = new System(booted, {
				console: { write: () => undefined, read: () => new Uint8Array(0), isatty: () => false },
				events: {
					exit: (task: Task) => {
						const pfn = Math.floor(task.cr3 / 4096);
						pgds.push(pfn);
						seen.push({ pid: task.pid, pgdFree: freeFrames(reader).has(pfn) });
					},
				},
			});
			const built = buildUserProgram(file, kcRoot, userLibraryBuiltins(system));
			assert.ok(built.program, built.diagnostics.map(d => d.message).join('\n'));
			const freeBefore = nrFreePages(reader);
			const task = spawnProcess(system, { program: built.program, argv: [file] });
			const stop = system.run(50_000_000);
			assert.equal(stop.kind, 'idle');
			assert.equal(task.exitCode, 0, 'the parent saw the child exit with 3');
			assert.deepEqual(seen.map(s => s.pgdFree), [false, false], 'a pgd was freed while its task still ran on it');
			const free = freeFrames(reader);
			assert.ok(pgds.every(pfn => free.has(pfn)), 'release_task_thread dropped the lazy mm reference');
			assert.equal(nrFreePages(reader), freeBefore, 'no page of the two processes is left allocated');
		});
	}
});
