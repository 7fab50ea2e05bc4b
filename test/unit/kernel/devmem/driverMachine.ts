// A booted machine with shipped drivers loaded as modules, for the /dev/mem, dma-buf and nopage
// tests (layer: test).
//
// Does what `faultline run` does for a scenario's drivers (src/sim/scenarioDrivers.ts): the
// profile configured with the scenario's kernel config, each driver's device models made from a
// machine section (MMIO windows placed at the given bases), their regions added to the physical
// map, non-coherent ranges declared, then each module loaded in order with its models' builtins
// and its parameters. User programs are built with the KC C library and run as processes.

import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { DeviceConfig, DeviceModel, ShippedDriver } from '../../../../src/kernel/devices/device';
import { spawnProcess } from '../../../../src/kernel/proc/exec';
import { loadModule, type LoadedModule, type ModuleParamValue } from '../../../../src/kernel/proc/modules';
import { System, type SystemEvents, type Task } from '../../../../src/kernel/proc/system';
import { bootedMachine } from '../../../../src/sim/machine';
import { findProfile } from '../../../../src/sim/profiles';
import { configuredProfile } from '../../../../src/sim/run';
import { buildUserProgram } from '../../../../src/sim/userProgram';
import { userLibraryBuiltins } from '../../../../src/sim/userLibrary';
import type { BootedKernel } from '../../../../src/kernel/boot';

export const kcRoot = path.resolve(__dirname, '..', '..', '..', '..', 'kc');

/** An MMIO window of the machine section, with its address. */
export interface Window {
	readonly name: string;
	readonly base: number;
	readonly size: number;
}

export interface DriverMachineOptions {
	readonly drivers: readonly { readonly driver: ShippedDriver; readonly params?: Readonly<Record<string, ModuleParamValue>> }[];
	readonly config?: Readonly<Record<string, boolean | number | string>>;
	readonly mmio?: readonly Window[];
	readonly ramBytes?: number;
	readonly cpus?: number;
	/** false: all of RAM is non-coherent (the machine section's coherentDma). */
	readonly coherentDma?: boolean;
	readonly events?: SystemEvents;
}

export interface DriverMachine {
	readonly booted: BootedKernel;
	readonly system: System;
	readonly devices: readonly DeviceModel[];
	readonly modules: readonly LoadedModule[];
	/** Everything a process wrote to stdout and stderr. */
	output(pid: number): string;
	/** Builds `file` (absolute) with the C library and starts it. */
	spawn(file: string, argv?: readonly string[]): Task;
	/** Runs until every user task has exited (or fails the test). */
	runToCompletion(budget?: number): void;
	/** The kernel log since the machine was made. */
	log(): string;
	/** The address of a global of a loaded module (or the kernel). */
	global(name: string): number;
}

export function driverMachine(profileName: string, options: DriverMachineOptions): DriverMachine {
	const base = findProfile(profileName);
	assert.ok(base, `no profile ${profileName}`);
	const profile = configuredProfile(base, options.config ?? {});
	const ramBytes = options.ramBytes ?? 64 << 20;
	const booted = bootedMachine({ profile, kcRoot, ramBytes, ...(options.cpus === undefined ? {} : { cpus: options.cpus }) });
	const logStart = booted.log.records.length;
	const windows = options.mmio ?? [];
	const config: DeviceConfig = {
		ramBytes,
		cpus: booted.machine.cpus.length,
		mmio: windows.map(w => ({ name: w.name, size: w.size, description: '' })),
		regions: windows.map(w => ({ name: w.name, kind: 'mmio' as const, base: w.base, size: w.size, owner: w.name })),
		coherentDma: options.coherentDma ?? true,
		config: options.config ?? {},
	};
	const perDriver = options.drivers.map(d => d.driver.createDevices(config));
	const devices = perDriver.flat();
	const placed = new Set<string>();
	for (const device of devices) {
		for (const region of device.regions()) {
			if (placed.has(region.name)) continue;
			placed.add(region.name);
			booted.machine.phys.addRegion(region);
		}
	}
	if (options.coherentDma === false) booted.machine.cache.addNonCoherentRange(0, ramBytes);
	for (const device of devices) for (const range of device.nonCoherent?.() ?? []) booted.machine.cache.addNonCoherentRange(range.base, range.size);
	const outputs = new Map<number, string[]>();
	const system = new System(booted, {
		devices,
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
	const log = (): string => booted.log.records.slice(logStart).map(r => r.text).join('\n');
	const modules: LoadedModule[] = [];
	options.drivers.forEach((d, i) => {
		const builtins = new Map();
		for (const device of perDriver[i]) for (const [name, builtin] of device.builtins?.() ?? []) builtins.set(name, builtin);
		const loaded = loadModule(system, { name: d.driver.name, units: d.driver.units, builtins, ...(d.params === undefined ? {} : { params: d.params }) });
		const errors = loaded.diagnostics.filter(x => x.severity === 'error').map(x => `${x.range.file}:${x.range.line}: ${x.message}`);
		assert.deepEqual(errors, [], log());
		modules.push(loaded.module!);
	});
	return {
		booted,
		system,
		devices,
		modules,
		output: pid => (outputs.get(pid) ?? []).join(''),
		spawn: (file, argv) => {
			const built = buildUserProgram(file, kcRoot, userLibraryBuiltins(system));
			assert.ok(built.program, built.diagnostics.map(d => `${d.range.file}:${d.range.line}: ${d.message}`).join('\n'));
			return spawnProcess(system, { program: built.program, argv: argv ?? [path.basename(file, '.c')] });
		},
		runToCompletion: (budget = 200_000_000) => {
			const users = (): Task[] => system.alive().filter(t => t.threadArea !== 0);
			let left = budget;
			while (users().length > 0) {
				assert.ok(left > 0, `user tasks still alive: ${users().map(t => t.id).join(', ')}\n${log()}`);
				const before = system.now;
				const stop = system.run(Math.min(left, 5_000_000));
				left -= Math.max(1, system.now - before);
				if (stop.kind === 'stalled' || stop.kind === 'idle') {
					assert.equal(users().length, 0, `stalled with user tasks alive: ${JSON.stringify(stop)}\n${log()}`);
				}
			}
		},
		log,
		global: name => {
			for (const program of [...modules].reverse().map(m => m.program).concat([booted.kernel!])) {
				const entry = program.globals.get(name) ?? [...program.globals].find(([key]) => key.endsWith(`:${name}`))?.[1];
				if (entry !== undefined) return entry.address;
			}
			throw new Error(`no global ${name}`);
		},
	};
}
