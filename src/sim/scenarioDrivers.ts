// A scenario's drivers, device models and harness tasks on the machine (layer: sim).
//
// - Devices: each shipped driver the scenario loads makes its device models from the scenario's
//   machine section; their regions go into the physical address space before the system starts.
//   Regions of the machine section that no model serves stay in the map as plain windows where
//   nothing answers (a bus error), as an empty PCI slot does.
// - Drivers: loaded as modules in the scenario's order (dependencies first), each with its
//   models' builtins and its `params`; a driver the profile does not support is an error.
// - Harness tasks with inline calls become one generated module: for each task a kernel thread
//   function calling `sim_<call>(...)` in order (prototypes: src/kernel/devices/registry.ts) and a
//   start function run.ts calls at the task's trigger. Calls that name a task (`signal`) read the
//   task's pid from a module global that run.ts fills in at the trigger.

import * as path from 'node:path';
import type { Diagnostic, SourceProvider, SourceRange } from '../lang/source';
import type { BootedKernel } from '../kernel/boot';
import type { DeviceConfig, DeviceModel, ShippedDriver } from '../kernel/devices/device';
import { findShippedDriver, HARNESS_CALL_PROTOTYPES, SHIPPED_DRIVERS } from '../kernel/devices/registry';
import type { RegionSpec } from '../kernel/hw/physMem';
import { loadModule, type LoadedModule } from '../kernel/proc/modules';
import type { System } from '../kernel/proc/system';
import type { KernelProfile } from './profiles';
import type { ConfigValue, HarnessTask, Scenario } from './scenario/types';

/** One module to load, in order. */
interface DriverPlan {
	readonly name: string;
	readonly units: readonly string[];
	readonly params: Readonly<Record<string, ConfigValue>>;
	readonly devices: readonly DeviceModel[];
	readonly range: SourceRange;
}

/** The devices and the load plan of a scenario's drivers. */
export interface PreparedDrivers {
	readonly devices: readonly DeviceModel[];
	readonly plan: readonly DriverPlan[];
	readonly diagnostics: readonly Diagnostic[];
}

/** Signal names a harness `signal` call may use. */
const SIGNAL_NUMBERS: Readonly<Record<string, number>> = {
	SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGILL: 4, SIGTRAP: 5, SIGABRT: 6, SIGBUS: 7, SIGFPE: 8, SIGKILL: 9,
	SIGUSR1: 10, SIGSEGV: 11, SIGUSR2: 12, SIGPIPE: 13, SIGALRM: 14, SIGTERM: 15, SIGCHLD: 17, SIGCONT: 18, SIGSTOP: 19,
};

/**
 * Decides which modules load and makes the device models, adding their regions to the booted
 * machine (the machine snapshot the next run restores drops them again).
 */
export function prepareDrivers(scenario: Scenario, profile: KernelProfile, booted: BootedKernel): PreparedDrivers {
	const diagnostics: Diagnostic[] = [];
	const plan: DriverPlan[] = [];
	const devices: DeviceModel[] = [];
	const config: DeviceConfig = {
		ramBytes: scenario.machine.ramBytes,
		cpus: scenario.machine.cpus,
		...(scenario.machine.gpu === undefined ? {} : { gpu: scenario.machine.gpu }),
		...(scenario.machine.spes === undefined ? {} : { spes: scenario.machine.spes }),
		mmio: scenario.machine.mmio,
		regions: scenario.machine.regions,
		coherentDma: scenario.machine.coherentDma,
		config: scenario.kernel.config,
	};
	const planned = new Set<string>();
	const baseProfile = profile.name.split('+')[0];
	const addShipped = (driver: ShippedDriver, params: Readonly<Record<string, ConfigValue>>, range: SourceRange, chain: readonly string[]): void => {
		if (planned.has(driver.name)) return;
		if (chain.includes(driver.name)) {
			diagnostics.push({ severity: 'error', message: `driver ${driver.name}: circular dependency (${[...chain, driver.name].join(' -> ')})`, range });
			return;
		}
		for (const dependency of driver.depends ?? []) {
			const needed = findShippedDriver(dependency);
			if (needed === undefined) {
				diagnostics.push({ severity: 'error', message: `driver ${driver.name} needs ${dependency}, which does not ship`, range });
				return;
			}
			addShipped(needed, {}, range, [...chain, driver.name]);
		}
		if (driver.profiles !== undefined && !driver.profiles.includes(baseProfile)) {
			diagnostics.push({ severity: 'error', message: `driver ${driver.name} does not support profile ${baseProfile} (it supports ${driver.profiles.join(', ')})`, range });
			return;
		}
		planned.add(driver.name);
		const models = driver.createDevices(config);
		devices.push(...models);
		plan.push({ name: driver.name, units: driver.units, params, devices: models, range });
	};
	for (const driver of scenario.drivers) {
		if (driver.profiles !== undefined && !driver.profiles.includes(baseProfile)) continue;
		if (driver.kind === 'shipped') {
			const shipped = findShippedDriver(driver.name);
			if (shipped === undefined) {
				const names = SHIPPED_DRIVERS.map(d => d.name);
				diagnostics.push({ severity: 'error', message: `no shipped driver '${driver.name}'${names.length === 0 ? '' : ` (shipped: ${names.join(', ')})`}`, range: driver.range });
				continue;
			}
			addShipped(shipped, driver.params, driver.range, []);
		} else {
			if (planned.has(driver.name)) {
				diagnostics.push({ severity: 'error', message: `driver ${driver.name} is loaded twice`, range: driver.range });
				continue;
			}
			planned.add(driver.name);
			plan.push({ name: driver.name, units: driver.sources.map(s => path.resolve(s.path)), params: driver.params, devices: [], range: driver.range });
		}
	}
	// Regions: the models' own, then the machine section's windows nobody serves.
	const placed = new Set<string>();
	const add = (spec: RegionSpec, range: SourceRange): void => {
		if (placed.has(spec.name)) return;
		try {
			booted.machine.phys.addRegion(spec);
			placed.add(spec.name);
		} catch (error) {
			diagnostics.push({ severity: 'error', message: `region ${spec.name}: ${error instanceof Error ? error.message : String(error)}`, range });
		}
	};
	for (const entry of plan) for (const device of entry.devices) for (const spec of device.regions()) add(spec, entry.range);
	for (const region of scenario.machine.regions) add({ base: region.base, size: region.size, kind: region.kind, name: region.name, owner: region.owner }, region.range);
	for (const range of scenario.machine.nonCoherent) booted.machine.cache.addNonCoherentRange(range.base, range.size);
	for (const device of devices) for (const range of device.nonCoherent?.() ?? []) booted.machine.cache.addNonCoherentRange(range.base, range.size);
	return { devices, plan, diagnostics };
}

/** Loads the planned modules in order; stops at the first that fails. */
export function loadDrivers(system: System, prepared: PreparedDrivers, sources: SourceProvider): { readonly modules: readonly LoadedModule[]; readonly diagnostics: readonly Diagnostic[] } {
	const modules: LoadedModule[] = [];
	const diagnostics: Diagnostic[] = [];
	for (const entry of prepared.plan) {
		const builtins = new Map();
		for (const device of entry.devices) for (const [name, builtin] of device.builtins?.() ?? []) builtins.set(name, builtin);
		const result = loadModule(system, { name: entry.name, units: entry.units, sources, builtins, params: entry.params, range: entry.range });
		diagnostics.push(...result.diagnostics);
		if (result.module === undefined) break;
		modules.push(result.module);
	}
	return { modules, diagnostics };
}

/** The generated harness module: its source and, per harness task, its start function and pid slots. */
export interface HarnessModule {
	readonly file: string;
	readonly source: string;
	readonly tasks: readonly { readonly task: HarnessTask; readonly start: string; readonly pidSlots: readonly { readonly global: string; readonly taskId: string }[] }[];
	readonly diagnostics: readonly Diagnostic[];
}

/** A C string literal for `text` (octal escapes for anything not plainly printable). */
function cString(text: string): string {
	let out = '"';
	for (const byte of new TextEncoder().encode(text)) {
		if (byte === 0x22 || byte === 0x5c) out += `\\${String.fromCharCode(byte)}`;
		else if (byte >= 0x20 && byte < 0x7f && byte !== 0x3f) out += String.fromCharCode(byte);
		else out += `\\${byte.toString(8).padStart(3, '0')}`;
	}
	return `${out}"`;
}

/** Builds the harness module of the scenario's inline harness tasks (program bodies are reported). */
export function harnessModule(scenario: Scenario): HarnessModule {
	const diagnostics: Diagnostic[] = [];
	const used = new Set<string>();
	const bodies: string[] = [];
	const globals: string[] = [];
	const tasks: { task: HarnessTask; start: string; pidSlots: { global: string; taskId: string }[] }[] = [];
	scenario.harness.forEach((task, index) => {
		if (task.body.kind !== 'inline') {
			diagnostics.push({ severity: 'error', message: `harness task ${task.name}: KC harness programs are not supported yet; use inline "run" calls`, range: task.range });
			return;
		}
		const lines: string[] = [];
		const pidSlots: { global: string; taskId: string }[] = [];
		for (const call of task.body.calls) {
			const prototype = HARNESS_CALL_PROTOTYPES[call.call];
			if (prototype === undefined) {
				diagnostics.push({ severity: 'error', message: `harness task ${task.name}: unknown call '${call.call}'`, range: call.range });
				continue;
			}
			used.add(call.call);
			const args: string[] = [];
			for (const param of prototype.params) {
				const value = call.args[param.name];
				if (call.call === 'signal' && param.name === 'task') {
					const global = `harness_pid_${index}_${pidSlots.length}`;
					globals.push(`int ${global};`);
					pidSlots.push({ global, taskId: String(value) });
					args.push(global);
				} else if (call.call === 'signal' && param.name === 'signal') {
					const number = typeof value === 'number' ? value : SIGNAL_NUMBERS[String(value)];
					if (number === undefined) diagnostics.push({ severity: 'error', message: `harness task ${task.name}: unknown signal ${JSON.stringify(value)}`, range: call.range });
					args.push(String(number ?? 0));
				} else if (param.type === 'int') {
					args.push(String(typeof value === 'number' ? Math.trunc(value) : value === true ? 1 : 0));
				} else {
					args.push(value === undefined ? 'NULL' : cString(String(value)));
				}
			}
			lines.push(`\tret = sim_${call.call}(${args.join(', ')});`);
			lines.push(`\tif (ret < 0)\n\t\tprintk(KERN_WARNING "harness %s: ${call.call} failed with %ld\\n", ${cString(task.name)}, ret);`);
		}
		const start = `harness_start_${index}`;
		const startParams = pidSlots.length === 0 ? 'void' : pidSlots.map((_, k) => `int pid${k}`).join(', ');
		const setPids = pidSlots.map((slot, k) => `\t${slot.global} = pid${k};\n`).join('');
		bodies.push(`/* ${task.name.replace(/\*\//g, '* /')}: ${task.description.replace(/\*\//g, '* /')} */
static int harness_${index}(void *unused)
{
	long ret = 0;

	(void)unused;
${lines.join('\n')}
	return (int)ret;
}

/* Starts the harness thread (the pids of the tasks its calls name, resolved at the trigger). */
long ${start}(${startParams})
{
	struct task_struct *t;

${setPids}	t = kthread_run(harness_${index}, NULL, "%s", ${cString(task.name)});
	return IS_ERR(t) ? PTR_ERR(t) : t->pid;
}
`);
		tasks.push({ task, start, pidSlots });
	});
	const prototypes = [...used].sort().map(name => `long sim_${name}(${HARNESS_CALL_PROTOTYPES[name].params.map(p => p.type === 'int' ? `int ${p.name}` : `const char *${p.name}`).join(', ')});`);
	const source = `/* The harness tasks of ${scenario.name}, generated by faultline run (src/sim/scenarioDrivers.ts). */
#include <linux/kernel.h>
#include <linux/err.h>
#include <linux/sched.h>
#include <linux/kthread.h>

${prototypes.join('\n')}
${globals.join('\n')}

${bodies.join('\n')}`;
	return { file: `harness/${scenario.name.replace(/[^A-Za-z0-9_.-]/g, '_')}.c`, source, tasks, diagnostics };
}

/** `base` plus one in-memory file. */
export function withFile(base: SourceProvider, file: string, text: string): SourceProvider {
	return {
		read: path => path === file ? text : base.read(path),
		resolveInclude: (name, fromFile, quoted) => base.resolveInclude(name, fromFile === file ? 'kernel/sim_harness.c' : fromFile, quoted),
	};
}
