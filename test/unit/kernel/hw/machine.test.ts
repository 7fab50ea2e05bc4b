// Unit tests of the machine (layer: kernel, hardware): the PC memory map, per-CPU MMUs and buses,
// and snapshots of all hardware state (memory, TLBs, modes, cache lines, device state).

import assert from 'node:assert/strict';
import type { Value } from '../../../../src/interp/contracts';
import { HIGH_RAM_BASE, LOW_RAM_LIMIT, Machine } from '../../../../src/kernel/hw/machine';
import type { DeviceRegisters } from '../../../../src/kernel/hw/physMem';
import { TableBuilder } from './tables';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
const VA = 0x7f0000000000;

class Counter implements DeviceRegisters {
	count = 0;
	read(): Value {
		return this.count;
	}
	write(_offset: number, _size: number, value: Value): void {
		this.count = Number(value);
	}
	snapshot(): unknown {
		return this.count;
	}
	restore(state: unknown): void {
		this.count = state as number;
	}
}

describe('kernel/hw/machine', () => {
	it('lays RAM out like a PC, around the PCI hole', () => {
		const m = new Machine({ ramBytes: 4 * GiB, cpus: 2, regions: [{ base: 0xd0000000, size: 256 * MiB, kind: 'vram', name: 'vram', owner: 'gpu0' }] });
		assert.deepEqual(m.ramRegions().map((r) => [r.base, r.size]), [[0, LOW_RAM_LIMIT], [HIGH_RAM_BASE, GiB]]);
		assert.equal(m.phys.regionAt(0xd0000000)?.kind, 'vram');
		assert.equal(m.phys.regionAt(0xcfff0000), null, 'the rest of the PCI hole is a hole');
		assert.equal(m.cpus.length, 2);
		assert.notEqual(m.cpus[0].tlb, m.cpus[1].tlb, 'TLBs are per CPU');
		assert.throws(() => new Machine({ ramBytes: 1000, cpus: 1 }), RangeError);
		assert.throws(() => new Machine({ ramBytes: 4096, cpus: 0 }), RangeError);
	});

	it('keeps each CPU’s TLB its own: a flush on one CPU leaves the other stale', () => {
		const m = new Machine({ ramBytes: 64 * MiB, cpus: 2 });
		const tables = new TableBuilder(m.phys, MiB);
		tables.map(VA, { physicalAddress: 16 * MiB, user: true, writable: true });
		m.phys.st32(16 * MiB, 1);
		m.phys.st32(17 * MiB, 2);
		for (const cpu of m.cpus) {
			cpu.mmu.setCr3(tables.root);
			assert.equal(cpu.bus.ld32u(VA), 1);
		}
		tables.map(VA, { physicalAddress: 17 * MiB, user: true, writable: true });
		m.cpus[0].mmu.invlpg(VA);
		assert.equal(m.cpus[0].bus.ld32u(VA), 2);
		assert.equal(m.cpus[1].bus.ld32u(VA), 1, 'missing shootdown on CPU 1');
	});

	it('snapshots and restores all hardware state', () => {
		const counter = new Counter();
		const m = new Machine({
			ramBytes: 64 * MiB,
			cpus: 2,
			regions: [{ base: 0xe0000000, size: 4096, kind: 'mmio', name: 'counter', device: counter }],
			nonCoherent: [{ base: 32 * MiB, size: MiB }],
		});
		const tables = new TableBuilder(m.phys, MiB);
		tables.map(VA, { physicalAddress: 16 * MiB, user: true, writable: true });
		tables.map(VA + 4096, { physicalAddress: 32 * MiB, user: true, writable: true });
		const [cpu0, cpu1] = m.cpus;
		cpu0.mmu.setCr3(tables.root);
		cpu0.bus.mode = 'user';
		cpu0.bus.st32(VA, 10);
		cpu0.bus.st32(VA + 4096, 20);
		tables.map(VA, { physicalAddress: 18 * MiB, user: true, writable: true });
		counter.count = 3;
		const s = m.snapshot();

		cpu0.mmu.invlpg(VA);
		cpu0.bus.st32(VA, 11);
		cpu0.bus.mode = 'kernel';
		cpu0.bus.fault = { address: 1, access: 'read', reason: 'not-present' };
		m.cache.flush(32 * MiB, MiB);
		cpu1.mmu.setCr3(0x5000);
		counter.count = 4;
		m.phys.st32(16 * MiB, 99);

		m.restore(s);
		assert.equal(cpu0.bus.mode, 'user');
		assert.equal(cpu0.bus.fault, null);
		assert.equal(cpu1.mmu.cr3, 0);
		assert.equal(counter.count, 3);
		assert.equal(cpu0.bus.ld32u(VA), 10, 'the stale TLB entry is back');
		assert.equal(m.phys.ld32(18 * MiB), 0);
		assert.equal(m.cache.lineState(32 * MiB), 'dirty');
		assert.equal(m.phys.ld32(32 * MiB), 0);
		assert.equal(cpu0.bus.ld32u(VA + 4096), 20);
		// Resuming after the restore behaves the same as the first time.
		cpu0.mmu.invlpg(VA);
		cpu0.bus.st32(VA, 11);
		assert.equal(m.phys.ld32(18 * MiB), 11);
		assert.throws(() => new Machine({ ramBytes: 4096, cpus: 1 }).restore(s));
	});
});
