// A booted machine with SPEs and the spufs module loaded, for the spufs tests (layer: test).
//
// Boots a profile's kernel (cached per profile by src/sim/machine.ts), places the SPEs' local
// stores and problem-state areas in the PCI hole, loads the `spufs` module with the device model's
// builtins (as `faultline run` does from src/kernel/devices/spu/driver.ts) and runs user programs
// built with the KC C library. Kernel threads (spusched, the SPEs' IRQ threads) sleep forever, so
// a run ends when every user task has exited.

import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { CellSpus, type SpePlacement } from '../../../../src/kernel/devices/spu/model';
import { SPUFS_UNITS } from '../../../../src/kernel/devices/spu/driver';
import { spawnProcess } from '../../../../src/kernel/proc/exec';
import { loadModule, type LoadedModule } from '../../../../src/kernel/proc/modules';
import { System, type SystemEvents, type Task } from '../../../../src/kernel/proc/system';
import type { PolicyConfig } from '../../../../src/kernel/sched/policy';
import { bootedMachine } from '../../../../src/sim/machine';
import { findProfile } from '../../../../src/sim/profiles';
import { buildUserProgram } from '../../../../src/sim/userProgram';
import { userLibraryBuiltins } from '../../../../src/sim/userLibrary';

export const kcRoot = path.resolve(__dirname, '..', '..', '..', '..', 'kc');
export const programsDir = path.join(__dirname, 'programs');
export const LS_SIZE = 256 * 1024;
export const PS_SIZE = 128 * 1024;
const LS_BASE = 0xd0000000;
const PS_BASE = 0xd8000000;

/** A machine with SPEs and spufs. */
export interface SpuMachine {
	readonly system: System;
	readonly model: CellSpus;
	readonly module: LoadedModule;
	/** Everything the user programs wrote to stdout and stderr, by pid. */
	output(pid: number): string;
	/** Starts `program` (a file of test/unit/kernel/spu/programs, or an absolute path) as a new process. */
	spawn(program: string, argv?: readonly string[], taskId?: string): Task;
	/** Runs until every user task has exited; throws if that does not happen within `budget`. */
	runToCompletion(budget?: number): void;
	/** The kernel log since the module loaded. */
	log(): string;
}

/** The SPEs' regions, as a scenario's machine section would place them. */
export function placements(count: number): SpePlacement[] {
	return Array.from({ length: count }, (_, i) => ({ ls: { base: LS_BASE + i * LS_SIZE, size: LS_SIZE }, ps: { base: PS_BASE + i * PS_SIZE, size: PS_SIZE } }));
}

export interface SpuMachineOptions {
	readonly spes?: number;
	readonly params?: Readonly<Record<string, number>>;
	readonly policy?: PolicyConfig;
	readonly events?: SystemEvents;
	/** Bytes of RAM (default the default machine's). */
	readonly ramBytes?: number;
}

export function spuMachine(profile: string, options: SpuMachineOptions = {}): SpuMachine {
	const booted = bootedMachine({ profile: findProfile(profile)!, kcRoot, ...(options.ramBytes === undefined ? {} : { ramBytes: options.ramBytes }) });
	const model = new CellSpus(placements(options.spes ?? 1));
	for (const region of model.regions()) booted.machine.phys.addRegion(region);
	const outputs = new Map<number, string[]>();
	const system = new System(booted, {
		devices: [model],
		...(options.policy === undefined ? {} : { policy: options.policy }),
		...(options.events === undefined ? {} : { events: options.events }),
		console: {
			write: (_stream, bytes, caller) => {
				const list = outputs.get(caller) ?? [];
				list.push(Buffer.from(bytes).toString('latin1'));
				outputs.set(caller, list);
			},
			read: () => new Uint8Array(0),
			isatty: () => false,
		},
	});
	const logStart = booted.log.records.length;
	const loaded = loadModule(system, { name: 'spufs', units: SPUFS_UNITS, builtins: model.builtins(), params: options.params });
	const errors = loaded.diagnostics.filter(d => d.severity === 'error').map(d => `${d.range.file}:${d.range.line}: ${d.message}`);
	assert.deepEqual(errors, []);
	const module = loaded.module!;
	return {
		system,
		model,
		module,
		output: pid => (outputs.get(pid) ?? []).join(''),
		spawn: (program, argv, taskId) => {
			const file = path.isAbsolute(program) ? program : path.join(programsDir, program);
			const built = buildUserProgram(file, kcRoot, userLibraryBuiltins(system));
			assert.ok(built.program, built.diagnostics.map(d => `${d.range.file}:${d.range.line}: ${d.message}`).join('\n'));
			return spawnProcess(system, { program: built.program, argv: argv ?? [path.basename(program, '.c')], ...(taskId === undefined ? {} : { taskId }) });
		},
		runToCompletion: (budget = 200_000_000) => {
			const users = (): Task[] => system.alive().filter(t => t.threadArea !== 0);
			let left = budget;
			while (users().length > 0) {
				assert.ok(left > 0, `user tasks still alive: ${users().map(t => t.id).join(', ')}\n${booted.log.records.slice(logStart).map(r => r.text).join('\n')}`);
				const before = system.now;
				const stop = system.run(Math.min(left, 5_000_000));
				left -= Math.max(1, system.now - before);
				if (stop.kind === 'stalled' || stop.kind === 'idle') {
					assert.equal(users().length, 0, `stalled with user tasks alive: ${JSON.stringify(stop)}\n${booted.log.records.slice(logStart).map(r => r.text).join('\n')}`);
				}
			}
		},
		log: () => booted.log.records.slice(logStart).map(r => r.text).join('\n'),
	};
}
