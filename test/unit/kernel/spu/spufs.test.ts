// spufs (kc/kernel/arch/powerpc/platforms/cell/: spu_base.c, spufs/*.c) loaded as a module on a
// booted machine with SPEs, on every Linux profile: the module's threads and file system, spu_run
// to a stop instruction, the checks spu_create/spu_run/mmap make, time slicing of more contexts
// than SPEs, and forced context switches (the harness's sim_spu_context_switch) in the middle of a
// ptrace PEEK (kernel-semantics.md 3.1-3.3).

import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { loadModule, type LoadedModule } from '../../../../src/kernel/proc/modules';
import { kernelSources } from '../mm/kernelHarness';
import { kcRoot, spuMachine, type SpuMachine } from './spuMachine';

const PROFILES = ['linux-6.8', 'linux-2.6.18', 'linux-2.6.21', 'linux-2.6.27'];
const STALE_PTRACE = path.join(kcRoot, 'examples', 'scenarios', 'spu-stale-ptrace', 'stale_ptrace.c');

/** The test module that forces switches (test/unit/kernel/mm/kc/spu_harness_test.c). */
function harness(m: SpuMachine): LoadedModule {
	const loaded = loadModule(m.system, { name: 'spu_harness', units: ['test/spu_harness_test.c'], sources: kernelSources() });
	assert.ok(loaded.module, loaded.diagnostics.map(d => d.message).join('\n'));
	return loaded.module;
}

/** The kernel statements of `file` (a kernel-tree path suffix) at `line`. */
function statementsAt(m: SpuMachine, file: string, line: number): number[] {
	const ids: number[] = [];
	m.system.kernelPrograms()[0].statements.forEach((s, id) => {
		if (s.range.file.endsWith(file) && s.range.line === line) ids.push(id);
	});
	return ids;
}

/** The line of access_process_vm's copy from the page GUP returned (kernel/ptrace.c, 2.6 branch). */
function ptraceCopyLine(m: SpuMachine): number {
	const text = m.system.booted.sources.read('kernel/ptrace.c') ?? '';
	const lines = text.split('\n');
	const matches = lines.flatMap((l, i) => (l.includes('maddr = ptrace_kmap(page);') ? [i + 1] : []));
	assert.equal(matches.length, 2, 'the 6.8 and the 2.6 copy of access_process_vm');
	return matches[1];
}

for (const profile of PROFILES) {
	describe(`spufs on ${profile}`, function () {
		this.timeout(300_000);

		it('loads as a module: spu_base finds the SPE, spusched and the class 2 IRQ thread exist, spu_run runs the local-store program to its stop instruction (status = stop code << 16 | STOPPED_BY_STOP)', () => {
			const m = spuMachine(profile, { policy: { kind: 'round-robin', quantum: 20 } });
			assert.deepEqual(m.system.alive().map(t => t.name).sort(), ['irq/48-spe00.2', 'spusched']);
			assert.match(m.log(), /spu_base: 1 SPE/);
			const task = m.spawn('spu_run_count.c');
			m.runToCompletion();
			assert.equal(m.output(task.pid), 'status 0x420002 npc 0x18 count 5\n');
			assert.equal(task.exitCode, 0);
			// Bound by spu_run, unbound when the context went away (its fd closed at exit).
			assert.deepEqual(m.model.switchLog.map(s => `${s.kind} ${s.context}`), ['bind /spu/ctxA', 'unbind /spu/ctxA']);
			assert.equal(m.model.registers(0).executed, 12);
		});

		it('refuses what Linux refuses: spu_create outside spufs or twice, flags (all reserved in 2.6.18; gangs without affinity support later), spu_run on a non-context fd, a private mem mapping, writes past the local store; closing the context fd removes its directory but not a mapping', () => {
			const m = spuMachine(profile);
			const task = m.spawn('spufs_errors.c');
			m.runToCompletion();
			const nosched = profile === 'linux-2.6.18' ? 'create with NOSCHED: -1 Invalid argument' : 'create with NOSCHED: 4 ok';
			assert.equal(m.output(task.pid), [
				'create outside spufs: -1 Invalid argument',
				'create: 0 ok',
				'create again: -1 File exists',
				nosched,
				'create with GANG: -1 Invalid argument',
				'run on mem: -1 Invalid argument',
				'run on a bad fd: -1 Bad file descriptor',
				'private mmap: -1 Invalid argument',
				'pwrite at 0x3fffc: 4 ok',
				'pwrite past the end: -1 File too large',
				'pread at 0x3fffc: 4 ok',
				'read back 0x11223344',
				'shared mmap: 0 ok',
				'open mem after close: -1 No such file or directory',
				'mapping after close 0x11223344',
				'',
			].join('\n'));
		});

		it('more contexts than SPEs: spusched time-slices two spu_run callers on one SPE, saving and restoring each through its save area (kernel-semantics.md 3.1)', () => {
			const m = spuMachine(profile, { params: { spu_timeslice: 2 } });
			const task = m.spawn('spu_timeslice.c', ['spu_timeslice', '100']);
			m.runToCompletion(400_000_000);
			const out = [...m.system.tasks.values()].filter(t => t.threadArea !== 0).map(t => m.output(t.pid)).join('');
			assert.match(out, /\/spu\/ctxA: status 0xa0002 count 100\n/);
			assert.match(out, /\/spu\/ctxB: status 0xb0002 count 100\n/);
			assert.equal(task.exitCode, 0);
			const binds = m.model.switchLog.filter(s => s.kind === 'bind').map(s => s.context);
			// Both programs take 100 x 20000 cycles; a slice is 2 ticks: they alternate many times.
			assert.ok(binds.length >= 10, `only ${binds.length} binds`);
			for (let i = 1; i < binds.length - 1; i++) assert.notEqual(binds[i], binds[i - 1], `consecutive binds of ${binds[i]}`);
		});

		it('kernel-semantics.md 3.3 / seed 001: a ptrace PEEK of ctxA\'s local store while SPE 0 is switched to ctxB between get_user_pages and the copy reads ctxB\'s word on 2.6.18, fails (EIO) with VM_IO on 2.6.21, and reads ctxA\'s word through ->access from 2.6.27', () => {
			const m = spuMachine(profile, { ramBytes: 64 << 20, policy: { kind: 'round-robin', quantum: 20 } });
			const module = harness(m);
			const kernel = m.system.kernelPrograms()[0];
			const armed = profile === 'linux-6.8' ? [] : statementsAt(m, 'kernel/ptrace.c', ptraceCopyLine(m));
			for (const id of armed) kernel.breakpoints[id] = 1;
			const task = m.spawn(STALE_PTRACE);
			let switched = 0;
			for (let rounds = 0; rounds < 200 && m.system.alive().some(t => t.threadArea !== 0); rounds++) {
				const stop = m.system.run(5_000_000);
				if (stop.kind !== 'breakpoint') continue;
				for (const id of armed) kernel.breakpoints[id] = 0;
				// The PEEK holds the page GUP returned: switch SPE 0 to ctxB now (nothing it locks is held).
				assert.equal(Number(m.system.callKernel(module.program.functionByName('spu_test_switch_now')!.address, [0, 2])), 0);
				switched++;
			}
			assert.equal(m.system.alive().filter(t => t.threadArea !== 0).length, 0, m.log());
			const expected = {
				'linux-2.6.18': 'debugger: PEEKDATA reads 0xbbbb0002 (ctxB\'s word)\n',
				'linux-2.6.21': 'debugger: PEEKDATA failed: Input/output error\n',
				'linux-2.6.27': 'debugger: PEEKDATA reads 0xaaaa0001 (ctxA\'s word)\n',
				'linux-6.8': 'debugger: PEEKDATA reads 0xaaaa0001 (ctxA\'s word)\n',
			}[profile];
			assert.equal(m.output(task.pid), expected);
			// Only 2.6.18 reaches the copy from a GUP page (2.6.21+ refuse VM_IO before any page).
			assert.equal(switched, profile === 'linux-2.6.18' ? 1 : 0);
			assert.equal(task.exitCode, 0);
		});
	});
}
