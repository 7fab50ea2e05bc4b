// Unit tests of the CPU cache model for non-coherent DMA (layer: kernel, hardware): stale lines after
// device writes, dirty lines invisible to devices, maintenance operations, uncached mappings, and
// snapshots.

import assert from 'node:assert/strict';
import type { CacheEvent } from '../../../../src/kernel/hw/cache';
import { Machine } from '../../../../src/kernel/hw/machine';
import type { CacheMode } from '../../../../src/kernel/hw/pageTable';
import { TableBuilder } from './tables';

const MiB = 1024 * 1024;
const BUFFER = 32 * MiB;
const VA = 0x7f0000000000;

/** A machine whose [32 MiB, 33 MiB) is non-coherent, with the buffer's first page mapped at VA (WB), VA+1 page (UC), VA+2 pages (WT), and its second page at VA+3 pages (WP). */
function setup(): { machine: Machine; tables: TableBuilder } {
	const machine = new Machine({ ramBytes: 64 * MiB, cpus: 2, nonCoherent: [{ base: BUFFER, size: MiB }] });
	const tables = new TableBuilder(machine.phys, MiB);
	const modes: [number, number, CacheMode][] = [[0, BUFFER, 'WB'], [1, BUFFER, 'UC'], [2, BUFFER, 'WT'], [3, BUFFER + 4096, 'WP'], [4, 16 * MiB, 'WB']];
	for (const [page, pa, cacheMode] of modes) tables.map(VA + page * 4096, { physicalAddress: pa, user: true, writable: true, cacheMode });
	for (const cpu of machine.cpus) {
		cpu.mmu.setCr3(tables.root);
		cpu.bus.mode = 'user';
	}
	return { machine, tables };
}

describe('kernel/hw/cache', () => {
	it('gives the CPU stale lines after a device write, until they are invalidated', () => {
		const { machine } = setup();
		const { bus } = machine.cpus[0];
		machine.phys.st32(BUFFER, 1);
		assert.equal(bus.ld32u(VA), 1);
		assert.equal(machine.cache.lineState(BUFFER), 'clean');
		machine.phys.st32(BUFFER, 2);
		assert.equal(bus.ld32u(VA), 1, 'stale line');
		assert.equal(machine.cpus[1].bus.ld32u(VA), 1, 'every CPU sees the same (coherent) cache');
		assert.equal(bus.ld32u(VA + 64), 0, 'other lines fill fresh');
		assert.equal(machine.cache.invalidate(BUFFER, 64), 1);
		assert.equal(machine.cache.lineState(BUFFER), 'absent');
		assert.equal(bus.ld32u(VA), 2);
	});

	it('hides CPU writes from the device until the line is cleaned', () => {
		const { machine } = setup();
		const { bus } = machine.cpus[0];
		bus.st32(VA + 8, 77);
		assert.equal(machine.cache.lineState(BUFFER), 'dirty');
		assert.equal(machine.phys.ld32(BUFFER + 8), 0, 'the device reads RAM');
		assert.equal(bus.ld32u(VA + 8), 77, 'the CPU reads its line');
		assert.equal(machine.cache.clean(BUFFER, 4096), 1);
		assert.equal(machine.cache.lineState(BUFFER), 'clean');
		assert.equal(machine.phys.ld32(BUFFER + 8), 77);
	});

	it('loses dirty data on invalidate, keeps it on flush', () => {
		const { machine } = setup();
		const { bus } = machine.cpus[0];
		const events: CacheEvent[] = [];
		machine.cache.onEvent = (e) => events.push(e);
		bus.st32(VA, 5);
		machine.cache.invalidate(BUFFER, 4096);
		assert.equal(bus.ld32u(VA), 0, 'the write is gone');
		assert.deepEqual(events.map((e) => `${e.kind} ${e.lostDirtyData ?? ''}`), ['fill ', 'drop true', 'fill ']);
		bus.st32(VA + 128, 6);
		assert.equal(machine.cache.flush(BUFFER, 4096), 2);
		assert.equal(machine.phys.ld32(BUFFER + 128), 6);
		assert.deepEqual(machine.cache.cachedLines(BUFFER, 4096), []);
	});

	it('bypasses the lines for uncached mappings, and writes through for WT and WP ones', () => {
		const { machine } = setup();
		const { bus } = machine.cpus[0];
		bus.ld32u(VA);
		bus.st32(VA + 1 * 4096, 9);
		assert.equal(machine.phys.ld32(BUFFER), 9, 'UC store goes to RAM');
		assert.equal(bus.ld32u(VA), 0, 'the WB alias still holds the stale line');
		assert.equal(bus.ld32u(VA + 4096), 9, 'UC load reads RAM');
		bus.st32(VA + 2 * 4096 + 4, 10);
		assert.equal(machine.phys.ld32(BUFFER + 4), 10, 'WT store reaches RAM');
		assert.equal(bus.ld32u(VA + 4), 10, 'and updates the present line');
		assert.equal(machine.cache.lineState(BUFFER), 'clean');
		bus.ld32u(VA + 3 * 4096);
		assert.equal(machine.cache.lineState(BUFFER + 4096), 'clean');
		bus.st32(VA + 3 * 4096, 11);
		assert.equal(machine.phys.ld32(BUFFER + 4096), 11, 'WP store reaches RAM');
		assert.equal(machine.cache.lineState(BUFFER + 4096), 'absent', 'and drops the line');
		// Coherent RAM is never cached by the model.
		bus.st32(VA + 4 * 4096, 12);
		assert.equal(machine.phys.ld32(16 * MiB), 12);
		assert.equal(machine.cache.lineState(16 * MiB), 'absent');
	});

	it('serves block operations line by line and shows the CPU’s view with peek', () => {
		const { machine } = setup();
		const { bus } = machine.cpus[0];
		bus.fill(VA, 0xaa, 4096);
		assert.equal(machine.cache.cachedLines(BUFFER, 4096).filter((l) => l.state === 'dirty').length, 64);
		assert.equal(machine.phys.ld8(BUFFER + 100), 0);
		assert.deepEqual(machine.cache.peek(BUFFER + 62, 4), new Uint8Array([0xaa, 0xaa, 0xaa, 0xaa]));
		bus.copy(VA + 4 * 4096, VA, 100);
		assert.equal(machine.phys.ld8(16 * MiB + 99), 0xaa, 'copied from the lines into coherent RAM');
		assert.deepEqual(bus.read(VA + 60, 8), new Uint8Array(8).fill(0xaa));
	});

	it('restores lines and their states with the machine', () => {
		const { machine } = setup();
		const { bus } = machine.cpus[0];
		bus.st32(VA, 1);
		const s = machine.snapshot();
		bus.st32(VA, 2);
		machine.cache.clean(BUFFER, 64);
		assert.equal(machine.phys.ld32(BUFFER), 2);
		machine.restore(s);
		assert.equal(machine.cache.lineState(BUFFER), 'dirty');
		assert.equal(machine.phys.ld32(BUFFER), 0);
		assert.equal(bus.ld32u(VA), 1);
		machine.cache.clean(BUFFER, 64);
		assert.equal(machine.phys.ld32(BUFFER), 1);
		machine.restore(s);
		assert.equal(machine.phys.ld32(BUFFER), 0, 'the snapshot was not disturbed');
		assert.equal(bus.ld32u(VA), 1);
	});

	it('lets the page walker see page-table updates the CPU holds in dirty lines', () => {
		const { machine, tables } = setup();
		const { bus, mmu } = machine.cpus[0];
		// A (perverse) page table living in the non-coherent buffer, written through the WB mapping.
		const table = BUFFER + 2 * 4096;
		tables.map(VA + 5 * 4096, { physicalAddress: table, user: true, writable: true });
		const pte = 16 * MiB + 0x1000 + 0x7;
		bus.st64(VA + 5 * 4096, pte);
		assert.equal(machine.phys.ld32(table), 0, 'not in RAM yet');
		tables.write(0x600000000000, table + 0x7, 2);
		assert.equal(mmu.translate(0x600000000000 + 12, 'read', 'user'), 16 * MiB + 0x1000 + 12);
	});
});
