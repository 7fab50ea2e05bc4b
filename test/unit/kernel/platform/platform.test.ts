// The kernel's driver platform (session 3): the module loader (src/kernel/proc/modules.ts,
// kc/kernel/kernel/module.c), kernel threads (kernel/kthread.c), wait queues and completions
// (kernel/sched/), schedule_timeout on the machine's timers, vmalloc/ioremap (mm/vmalloc.c) and
// threaded IRQs raised by a device model (kernel/irq/manage.c, src/kernel/devices/device.ts).
// One test module (test/unit/kernel/mm/kc/platform_test.c) exercises them all.

import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { Value } from '../../../../src/interp/contracts';
import type { DeviceHost, DeviceModel } from '../../../../src/kernel/devices/device';
import { loadModule, type ModuleOptions } from '../../../../src/kernel/proc/modules';
import { NSEC_PER_JIFFY, System } from '../../../../src/kernel/proc/system';
import { bootedMachine } from '../../../../src/sim/machine';
import { findProfile } from '../../../../src/sim/profiles';
import { kernelSources } from '../mm/kernelHarness';

const kcRoot = path.resolve(__dirname, '..', '..', '..', '..', 'kc');
const MODULE: ModuleOptions = { name: 'platform_test', units: ['test/platform_test.c'], sources: kernelSources() };
const MMIO_BASE = 0xfe000000;

/** A device with one register window: reg 0 latches writes, reg 8 reads back latch + 1; it raises IRQ 5 at a set time. */
class TestDevice implements DeviceModel {
	readonly name = 'ptest0';
	latch = 0;
	raiseAt: number | undefined;
	private host: DeviceHost | undefined;
	regions() {
		return [{
			base: MMIO_BASE, size: 4096, kind: 'mmio' as const, name: 'ptest0-regs', owner: 'ptest0',
			device: {
				read: (offset: number): Value => offset === 8 ? this.latch + 1 : 0,
				write: (offset: number, _size: number, value: Value): void => { if (offset === 0) this.latch = Number(value); },
			},
		}];
	}
	attach(host: DeviceHost): void { this.host = host; }
	nextEvent(): number | undefined { return this.raiseAt; }
	tick(now: number): void {
		if (this.raiseAt !== undefined && now >= this.raiseAt) {
			this.raiseAt = undefined;
			this.host!.raiseIrq(5);
		}
	}
	snapshot(): unknown { return { latch: this.latch, raiseAt: this.raiseAt }; }
	restore(state: unknown): void { Object.assign(this, state as object); }
}

function machine(profile: string, device?: TestDevice): System {
	const booted = bootedMachine({ profile: findProfile(profile)!, kcRoot });
	if (device !== undefined) for (const region of device.regions()) booted.machine.phys.addRegion(region);
	return new System(booted, device === undefined ? {} : { devices: [device] });
}

function global(system: System, module: { program: { globals: ReadonlyMap<string, { address: number }> } }, name: string): number {
	const entry = module.program.globals.get(name) ?? [...module.program.globals].find(([key]) => key.endsWith(`:${name}`))?.[1];
	if (entry === undefined) throw new Error(`no global ${name}`);
	return entry.address;
}

function readInt(system: System, address: number): number {
	return system.data.read32(address) | 0;
}

for (const profile of ['linux-6.8', 'linux-2.6.18']) {
	describe(`the driver platform (${profile})`, function () {
		this.timeout(120_000);

		it('loads a module: params by C type (int, charp), init_module runs, unknown params are refused', () => {
			const system = machine(profile);
			const refused = loadModule(system, { ...MODULE, params: { hidden_knob: 1 } });
			assert.equal(refused.module, undefined);
			assert.match(refused.diagnostics.map(d => d.message).join('\n'), /Unknown parameter 'hidden_knob'/);

			const result = loadModule(system, { ...MODULE, params: { workers: 3, label: 'camera' } });
			assert.deepEqual(result.diagnostics.filter(d => d.severity === 'error').map(d => d.message), []);
			const module = result.module!;
			assert.ok(module.program.textBase >= 0xffffffffa0000000 - 2 ** 64 + 2 ** 48 || module.program.textBase > 0);
			assert.equal(readInt(system, global(system, module, 'init_workers')), 3);
			assert.equal(system.data.readString(global(system, module, 'init_label'), 16), 'camera');
			// The kernel threads exist as tasks named by kthread_create's format.
			const names = system.alive().map(t => t.name).sort();
			assert.deepEqual(names, ['irq/5-ptest', 'looper', 'sleeper', 'waiter/0', 'waiter/1', 'waiter/2']);
		});

		it('kernel threads sleep on a completion until a thread woken by schedule_timeout completes it; kthread_stop returns the thread value', () => {
			const system = machine(profile);
			const module = loadModule(system, { ...MODULE, params: { workers: 2 } }).module!;
			const start = system.now;
			const stop = system.run(50_000_000);
			// Everything but the looper and the IRQ thread has exited; only kernel threads sleep: idle.
			assert.equal(stop.kind, 'idle');
			const trace = Array.from({ length: readInt(system, global(system, module, 'trace_len')) }, (_, i) => readInt(system, global(system, module, 'trace') + 4 * i));
			// Both waiters and the sleeper started before anyone was released; the waiters finished after the sleeper woke.
			assert.deepEqual(trace.slice(0, 3).sort((a, b) => a - b), [1, 100, 101]);
			assert.ok(trace.indexOf(2) < trace.indexOf(200) && trace.indexOf(2) < trace.indexOf(201), `trace ${trace}`);
			// schedule_timeout(3): the clock went idle forward to the timer, at least 3 jiffies after the start.
			const wokeAt = Number(system.data.read64(global(system, module, 'woke_at_jiffies')));
			assert.ok(wokeAt >= Math.floor(start / NSEC_PER_JIFFY) + 3, `woke at ${wokeAt}`);
			assert.ok(system.now >= 3 * NSEC_PER_JIFFY);
			// The looper saw `flag` on its first wait, then waits for kthread_stop: 40 + 1 round.
			assert.equal(Number(system.callKernel(module.program.functionByName('platform_test_stop')!.address, [])), 0);
			assert.equal(system.run(50_000_000).kind, 'idle');
			assert.equal(readInt(system, global(system, module, 'stop_result')), 41);
			assert.deepEqual(system.alive().map(t => t.name), ['irq/5-ptest']);
		});

		it('vmalloc gives distinct pages in the vmalloc area and vfree unmaps them: a later access oopses', () => {
			const system = machine(profile);
			const module = loadModule(system, MODULE).module!;
			assert.equal(Number(system.callKernel(module.program.functionByName('platform_test_vmalloc')!.address, [])), 0);
			let expected = 0;
			for (let i = 0; i < 3 * 4096 + 100; i++) expected += (i * 7) & 0xff;
			assert.equal(Number(system.data.read64(global(system, module, 'vmalloc_checksum'))), expected);
			assert.equal(readInt(system, global(system, module, 'vmalloc_distinct_pages')), 4);
			assert.throws(() => system.callKernel(module.program.functionByName('platform_test_use_after_vfree')!.address, []), /did not return/);
		});

		it('ioremap reaches a device register window; a device model raises an IRQ whose threaded handler runs', () => {
			const device = new TestDevice();
			const system = machine(profile, device);
			const module = loadModule(system, MODULE).module!;
			assert.equal(Number(system.callKernel(module.program.functionByName('platform_test_mmio')!.address, [MMIO_BASE, 41])), 0);
			assert.equal(device.latch, 41);
			assert.equal(readInt(system, global(system, module, 'mmio_value')), 42);
			// The IRQ fires at a time when every task sleeps: the machine idles forward to it.
			device.raiseAt = system.now + 5 * NSEC_PER_JIFFY;
			system.run(50_000_000);
			assert.equal(readInt(system, global(system, module, 'irq_count')), 5);
			assert.equal(device.raiseAt, undefined);
		});

		it('a module that does not compile gives diagnostics with file and line, and nothing is loaded', () => {
			const system = machine(profile);
			const broken = loadModule(system, { name: 'broken', units: ['test/broken.c'], sources: kernelSources({ 'test/broken.c': '#include <linux/module.h>\nint init_module(void) { return undefined_thing; }\n' }) });
			assert.equal(broken.module, undefined);
			const error = broken.diagnostics.find(d => d.severity === 'error')!;
			assert.equal(error.range.file, 'test/broken.c');
			assert.equal(error.range.line, 2);
			assert.equal(system.kernelPrograms().length, 1);
		});
	});
}
