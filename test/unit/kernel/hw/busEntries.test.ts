// Unit tests of the CPU bus's fast paths (layer: kernel, hardware): the entries of the mode that is
// not running stay truthful while parked (TLB drops, frame moves and snapshots reach them), and small
// copies and fills through the entries behave exactly like the general path, on RAM and on devices.

import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { MemoryFault, Value } from '../../../../src/interp/contracts';
import { Machine } from '../../../../src/kernel/hw/machine';
import type { DeviceRegisters } from '../../../../src/kernel/hw/physMem';
import { TableBuilder } from './tables';

const MiB = 1024 * 1024;
/** A user page and a kernel-only page. */
const USER_VA = 0x7f0000000000;
const KERNEL_VA = 0x888000000000;
const MMIO = 0xe0000000;

/** The pending fault (read through a call, so the compiler does not keep a narrowing across accesses). */
function faultOf(memory: { fault: MemoryFault | null }): MemoryFault | null {
	return memory.fault;
}

class Registers implements DeviceRegisters {
	readonly log: string[] = [];
	read(offset: number, size: number): Value {
		this.log.push(`r${size}@${offset}`);
		return offset & 0xff;
	}
	write(offset: number, size: number, value: Value): void {
		this.log.push(`w${size}@${offset}=${value}`);
	}
}

function setup(): { machine: Machine; tables: TableBuilder } {
	const machine = new Machine({ ramBytes: 64 * MiB, cpus: 1, regions: [{ base: MMIO, size: 0x10000, kind: 'mmio', name: 'regs' }] });
	const tables = new TableBuilder(machine.phys, 1 * MiB);
	machine.cpus[0].mmu.setCr3(tables.root);
	tables.map(USER_VA, { physicalAddress: 16 * MiB, user: true, writable: true });
	tables.map(KERNEL_VA, { physicalAddress: 17 * MiB, writable: true });
	return { machine, tables };
}

describe('kernel/hw/cpuBus: entries of the other mode', () => {
	it('keeps kernel entries across a trip to user mode, and drops them when the TLB drops the page meanwhile', () => {
		const { machine, tables } = setup();
		const { bus, mmu } = machine.cpus[0];
		machine.phys.st32(17 * MiB, 111);
		machine.phys.st32(18 * MiB, 222);
		bus.mode = 'kernel';
		assert.equal(bus.ld32u(KERNEL_VA), 111);
		bus.st32(KERNEL_VA + 4, 1);
		bus.mode = 'user';
		assert.equal(bus.ld32u(USER_VA), 0);
		assert.equal(bus.ld32u(KERNEL_VA), 0, 'a kernel page is not readable from user mode through parked entries');
		assert.equal(faultOf(bus)?.reason, 'protection');
		bus.fault = null;
		// The kernel page moves while the CPU is in user mode: the PTE changes and the TLB entry goes.
		tables.map(KERNEL_VA, { physicalAddress: 18 * MiB, writable: true });
		mmu.invlpg(KERNEL_VA);
		bus.mode = 'kernel';
		assert.equal(bus.ld32u(KERNEL_VA), 222, 'the parked read entry was dropped with the TLB entry');
		bus.st32(KERNEL_VA + 8, 5);
		assert.equal(machine.phys.ld32(18 * MiB + 8), 5, 'and the parked write entry too');
		assert.equal(machine.phys.ld32(17 * MiB + 8), 0);
		// A CR3 write while in user mode drops the parked (non-global) kernel entries as well.
		bus.mode = 'user';
		tables.map(KERNEL_VA, { physicalAddress: 17 * MiB, writable: true });
		mmu.setCr3(tables.root);
		bus.mode = 'kernel';
		assert.equal(bus.ld32u(KERNEL_VA), 111);
	});

	it('drops parked write entries when a snapshot shares the frames, so a write after it copies the frame', () => {
		const { machine } = setup();
		const { bus } = machine.cpus[0];
		bus.mode = 'kernel';
		bus.st32(KERNEL_VA, 1);
		bus.mode = 'user';
		bus.st32(USER_VA, 10);
		const snapshot = machine.snapshot();
		bus.st32(USER_VA, 11);
		bus.mode = 'kernel';
		bus.st32(KERNEL_VA, 2);
		assert.equal(bus.ld32u(KERNEL_VA), 2);
		machine.restore(snapshot);
		bus.mode = 'kernel';
		assert.equal(bus.ld32u(KERNEL_VA), 1, 'the write after the snapshot did not land in the shared frame');
		bus.mode = 'user';
		assert.equal(bus.ld32u(USER_VA), 10);
	});

	it('sees frames that move while their entries are parked (another CPU or DMA writes them)', () => {
		const { machine } = setup();
		const { bus } = machine.cpus[0];
		bus.mode = 'kernel';
		assert.equal(bus.ld32u(KERNEL_VA), 0, 'an untouched frame reads as the shared zero frame');
		bus.mode = 'user';
		machine.phys.st32(17 * MiB, 77);
		bus.mode = 'kernel';
		assert.equal(bus.ld32u(KERNEL_VA), 77);
	});
});

describe('kernel/hw/cpuBus: small copies and fills', () => {
	it('copy and fill within a page agree with a byte model for every length, offset and overlap (property)', () => {
		fc.assert(fc.property(
			fc.array(fc.oneof(
				fc.record({ kind: fc.constant('copy' as const), dst: fc.nat(4095), src: fc.nat(4095), len: fc.integer({ min: 1, max: 64 }), srcPage: fc.boolean(), dstPage: fc.boolean() }),
				fc.record({ kind: fc.constant('fill' as const), dst: fc.nat(4095), len: fc.integer({ min: 1, max: 300 }), value: fc.integer({ min: -300, max: 300 }), dstPage: fc.boolean() }),
			), { maxLength: 30 }),
			(ops) => {
				const { machine, tables } = setup();
				tables.map(USER_VA + 4096, { physicalAddress: 19 * MiB, user: true, writable: true });
				const { bus } = machine.cpus[0];
				bus.mode = 'user';
				const model = Uint8Array.from({ length: 8192 }, (_, i) => (i * 31 + 7) & 0xff);
				bus.write(USER_VA, model);
				for (const o of ops) {
					const dst = (o.dstPage ? 4096 : 0) + o.dst;
					if (o.kind === 'copy') {
						const src = (o.srcPage ? 4096 : 0) + o.src;
						bus.copy(USER_VA + dst, USER_VA + src, o.len);
						if (dst + o.len <= 8192 && src + o.len <= 8192) model.copyWithin(dst, src, src + o.len);
					} else {
						bus.fill(USER_VA + dst, o.value, o.len);
						if (dst + o.len <= 8192) model.fill(o.value & 0xff, dst, dst + o.len);
					}
					// Past the second page is unmapped: such operations fault and change nothing.
					bus.fault = null;
				}
				assert.deepEqual(bus.read(USER_VA, 8192), model);
			},
		), { numRuns: 60 });
	});

	it('faults before any byte moves: a read-only destination, an unmapped source', () => {
		const { machine, tables } = setup();
		tables.map(USER_VA + 4096, { physicalAddress: 19 * MiB, user: true, writable: false });
		const { bus } = machine.cpus[0];
		bus.mode = 'user';
		bus.st32(USER_VA, 0x01020304);
		bus.copy(USER_VA + 4096, USER_VA, 8);
		assert.equal(faultOf(bus)?.reason, 'protection');
		assert.equal(faultOf(bus)?.address, USER_VA + 4096);
		bus.fault = null;
		assert.equal(bus.ld32u(USER_VA + 4096), 0);
		bus.fill(USER_VA + 4100, 0xff, 16);
		assert.equal(faultOf(bus)?.access, 'write');
		bus.fault = null;
		assert.equal(bus.ld32u(USER_VA + 4100), 0);
		bus.copy(USER_VA + 8, USER_VA + 5 * 4096, 8);
		assert.equal(faultOf(bus)?.reason, 'not-present');
		assert.equal(faultOf(bus)?.address, USER_VA + 5 * 4096);
		bus.fault = null;
		assert.equal(bus.ld32u(USER_VA + 8), 0);
	});

	it('still moves device bytes one access at a time', () => {
		const { machine, tables } = setup();
		const regs = new Registers();
		machine.attachDevice('regs', regs);
		tables.map(USER_VA + 4096, { physicalAddress: MMIO, user: true, writable: true, cacheMode: 'UC' });
		const { bus } = machine.cpus[0];
		bus.mode = 'user';
		bus.copy(USER_VA, USER_VA + 4096 + 16, 4);
		assert.deepEqual(regs.log, ['r1@16', 'r1@17', 'r1@18', 'r1@19']);
		assert.deepEqual([...(bus.read(USER_VA, 4) ?? [])], [16, 17, 18, 19]);
		regs.log.length = 0;
		bus.copy(USER_VA + 4096 + 32, USER_VA, 2);
		assert.deepEqual(regs.log, ['w1@32=16', 'w1@33=17']);
	});
});
