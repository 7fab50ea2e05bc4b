// Unit tests of the CPU memory bus (layer: kernel, hardware): translated loads and stores, the
// fast-path entries following the TLB and frame changes, page-crossing accesses faulting atomically,
// device dispatch, bus errors, block operations, and a model test with snapshots.

import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { MemoryFault, Value } from '../../../../src/interp/contracts';
import { Machine } from '../../../../src/kernel/hw/machine';
import { X86_PF_PROT, X86_PF_USER, X86_PF_WRITE, type PageFault } from '../../../../src/kernel/hw/mmu';
import type { BusFault, DeviceRegisters } from '../../../../src/kernel/hw/physMem';
import { TableBuilder } from './tables';

/** The pending fault (read through a call, so the compiler does not keep a narrowing across accesses). */
function faultOf(memory: { fault: MemoryFault | null }): MemoryFault | null {
	return memory.fault;
}

const MiB = 1024 * 1024;
const VA = 0x7f0000000000;
const MMIO = 0xe0000000;

class Registers implements DeviceRegisters {
	readonly log: string[] = [];
	value: Value = 0;
	read(offset: number, size: number): Value {
		this.log.push(`r${size}@${offset}`);
		return this.value;
	}
	write(offset: number, size: number, value: Value): void {
		this.log.push(`w${size}@${offset}=${value}`);
		this.value = value;
	}
}

function setup(cpus = 1): { machine: Machine; tables: TableBuilder } {
	const machine = new Machine({
		ramBytes: 64 * MiB,
		cpus,
		regions: [
			{ base: MMIO, size: 0x10000, kind: 'mmio', name: 'regs' },
			{ base: 0xff000000, size: 0x10000, kind: 'rom', name: 'rom' },
		],
	});
	const tables = new TableBuilder(machine.phys, 1 * MiB);
	for (const cpu of machine.cpus) cpu.mmu.setCr3(tables.root);
	return { machine, tables };
}

/** Maps `pages` user pages at VA onto frames from 16 MiB, writable unless listed read-only. */
function mapUser(tables: TableBuilder, pages: number, readOnly: number[] = []): void {
	for (let i = 0; i < pages; i++) {
		tables.map(VA + i * 4096, { physicalAddress: 16 * MiB + i * 4096, user: true, writable: !readOnly.includes(i) });
	}
}

describe('kernel/hw/cpuBus', () => {
	it('loads and stores every type through the page tables', () => {
		const { machine, tables } = setup();
		mapUser(tables, 2);
		const bus = machine.cpus[0].bus;
		bus.mode = 'user';
		bus.st8(VA, 0xff);
		assert.equal(bus.ld8u(VA), 255);
		assert.equal(bus.ld8s(VA), -1);
		bus.st16(VA + 2, 0x8001);
		assert.equal(bus.ld16u(VA + 2), 0x8001);
		assert.equal(bus.ld16s(VA + 2), -32767);
		bus.st32(VA + 4, -5);
		assert.equal(bus.ld32u(VA + 4), 0xfffffffb);
		assert.equal(bus.ld32s(VA + 4), -5);
		bus.st64(VA + 8, -2);
		assert.equal(bus.ld64s(VA + 8), -2);
		assert.equal(bus.ld64u(VA + 8), 2n ** 64n - 2n);
		bus.st64(VA + 16, 2n ** 63n + 3n);
		assert.equal(bus.ld64u(VA + 16), 2n ** 63n + 3n);
		bus.stf32(VA + 24, 1.5);
		assert.equal(bus.ldf32(VA + 24), 1.5);
		bus.stf64(VA + 32, Math.PI);
		assert.equal(bus.ldf64(VA + 32), Math.PI);
		assert.equal(bus.fault, null);
		assert.equal(machine.phys.ld32(16 * MiB + 4), 0xfffffffb, 'the bytes are in the mapped frame');
	});

	it('faults as a value: loads return 0, stores have no effect, errors codes and CR2 as on x86', () => {
		const { machine, tables } = setup();
		mapUser(tables, 1, [0]);
		tables.map(VA + 0x1000, { physicalAddress: 16 * MiB + 0x1000, writable: true });
		const bus = machine.cpus[0].bus;
		bus.mode = 'user';
		assert.equal(bus.ld32u(VA + 0x5000), 0);
		assert.equal((faultOf(bus) as PageFault).errorCode, X86_PF_USER);
		assert.equal(faultOf(bus)?.reason, 'not-present');
		bus.fault = null;
		bus.st32(VA, 7);
		assert.equal((faultOf(bus) as PageFault).errorCode, X86_PF_PROT | X86_PF_WRITE | X86_PF_USER);
		assert.equal(machine.cpus[0].mmu.cr2, VA);
		bus.fault = null;
		assert.equal(bus.ld32u(VA + 0x1000), 0, 'kernel page from user mode');
		assert.equal((faultOf(bus) as PageFault).errorCode, X86_PF_PROT | X86_PF_USER);
		bus.fault = null;
		bus.mode = 'kernel';
		bus.st32(VA + 0x1000, 9);
		assert.equal(bus.ld32u(VA + 0x1000), 9);
		bus.mode = 'user';
		assert.equal(bus.ld32u(VA + 0x1000), 0, 'a mode change drops the fast-path entries');
		assert.equal(faultOf(bus)?.reason, 'protection');
		bus.fault = null;
		assert.equal(bus.ld8u(2 ** 48), 0);
		assert.equal(faultOf(bus)?.reason, 'not-present');
	});

	it('keeps reading the old frame through a stale TLB entry until invlpg, like the hardware', () => {
		const { machine, tables } = setup();
		mapUser(tables, 1);
		const { bus, mmu } = machine.cpus[0];
		machine.phys.st32(16 * MiB, 111);
		machine.phys.st32(20 * MiB, 222);
		bus.st32(VA + 8, 1);
		assert.equal(bus.ld32u(VA), 111);
		tables.map(VA, { physicalAddress: 20 * MiB, user: true, writable: true });
		assert.equal(bus.ld32u(VA), 111);
		bus.st32(VA + 4, 5);
		assert.equal(machine.phys.ld32(16 * MiB + 4), 5, 'the store goes to the old frame too (its TLB entry is dirty)');
		mmu.invlpg(VA);
		assert.equal(bus.ld32u(VA), 222);
		// A CR3 write drops non-global entries.
		tables.map(VA, { physicalAddress: 16 * MiB, user: true, writable: true });
		assert.equal(bus.ld32u(VA), 222);
		mmu.setCr3(tables.root);
		assert.equal(bus.ld32u(VA), 111);
	});

	it('never keeps a page-cache entry longer than the TLB keeps its translation', () => {
		const machine = new Machine({ ramBytes: 64 * MiB, cpus: 1, mmu: { tlb: { sets: 1, ways: 2 } } });
		const tables = new TableBuilder(machine.phys, MiB);
		const { bus, mmu } = machine.cpus[0];
		mapUser(tables, 3);
		mmu.setCr3(tables.root);
		machine.phys.st32(20 * MiB, 7);
		for (let i = 0; i < 3; i++) bus.ld32u(VA + i * 4096);
		// Page 0's TLB entry was replaced by page 2's: a changed PTE is seen at once.
		tables.map(VA, { physicalAddress: 20 * MiB, user: true, writable: true });
		assert.equal(bus.ld32u(VA), 7);
		// Hundreds of pages through the direct-mapped page cache, then one PTE changes.
		const big = setup();
		mapUser(big.tables, 600);
		const cpu = big.machine.cpus[0];
		for (let round = 0; round < 2; round++) for (let i = 0; i < 600; i++) cpu.bus.st32(VA + i * 4096, i);
		big.machine.phys.st32(40 * MiB, 4242);
		big.tables.map(VA + 300 * 4096, { physicalAddress: 40 * MiB, user: true, writable: true });
		assert.equal(cpu.bus.ld32u(VA + 300 * 4096), 300, 'stale until invlpg');
		cpu.mmu.invlpg(VA + 300 * 4096);
		assert.equal(cpu.bus.ld32u(VA + 300 * 4096), 4242);
		for (let i = 0; i < 600; i++) if (i !== 300) assert.equal(cpu.bus.ld32u(VA + i * 4096), i);
	});

	it('re-checks cached pages when SMAP’s EFLAGS.AC changes', () => {
		const machine = new Machine({ ramBytes: 64 * MiB, cpus: 1, mmu: { smap: true } });
		const tables = new TableBuilder(machine.phys, MiB);
		const { bus, mmu } = machine.cpus[0];
		mapUser(tables, 1);
		mmu.setCr3(tables.root);
		assert.equal(bus.ld32u(VA), 0);
		assert.equal(faultOf(bus)?.reason, 'protection');
		bus.fault = null;
		mmu.ac = true;
		bus.st32(VA, 5);
		assert.equal(bus.ld32u(VA), 5);
		assert.equal(bus.fault, null);
		mmu.ac = false;
		assert.equal(bus.ld32u(VA), 0);
		assert.equal(faultOf(bus)?.reason, 'protection');
	});

	it('sees device (DMA) writes and other CPUs’ writes to frames it has cached, untouched ones included', () => {
		const { machine, tables } = setup(2);
		mapUser(tables, 2);
		const [a, b] = machine.cpus.map((c) => c.bus);
		assert.equal(a.ld32u(VA), 0, 'reads the zero frame');
		assert.equal(a.ld32u(VA + 4096), 0);
		machine.phys.st32(16 * MiB, 42);
		assert.equal(a.ld32u(VA), 42);
		b.st32(VA + 4096, 43);
		assert.equal(a.ld32u(VA + 4096), 43);
		// After a snapshot, a write copies the frame: both CPUs follow.
		machine.snapshot();
		b.st32(VA, 44);
		assert.equal(a.ld32u(VA), 44);
		machine.phys.st32(16 * MiB, 45);
		assert.equal(b.ld32u(VA), 45);
		a.st32(VA, 46);
		assert.equal(b.ld32u(VA), 46);
		assert.equal(machine.phys.ld32(16 * MiB), 46);
	});

	it('faults on page-crossing accesses before touching either page', () => {
		const { machine, tables } = setup();
		mapUser(tables, 4, [1]);
		const bus = machine.cpus[0].bus;
		bus.mode = 'user';
		bus.st32(VA + 4094, 0x11223344);
		assert.equal((faultOf(bus) as PageFault).address, VA + 4096);
		assert.equal((faultOf(bus) as PageFault).errorCode, X86_PF_PROT | X86_PF_WRITE | X86_PF_USER);
		assert.equal(bus.ld16u(VA + 4094), 0, 'first page untouched');
		bus.fault = null;
		// Kernel mode too (CR0.WP).
		bus.mode = 'kernel';
		bus.st64(VA + 4092, -1);
		assert.equal((faultOf(bus) as PageFault).errorCode, X86_PF_PROT | X86_PF_WRITE);
		assert.equal(bus.ld32u(VA + 4092), 0);
		bus.fault = null;
		// Unmapped second page.
		bus.st64(VA + 4 * 4096 - 4, -1);
		assert.equal(faultOf(bus)?.address, VA + 4 * 4096);
		assert.equal(faultOf(bus)?.reason, 'not-present');
		bus.fault = null;
		assert.equal(bus.ld64u(VA + 4 * 4096 - 4), 0);
		assert.equal(faultOf(bus)?.address, VA + 4 * 4096);
		bus.fault = null;
		assert.equal(bus.ld32u(VA + 4 * 4096 - 4), 0, 'nothing was written');
		// Both pages fine: the value spans them.
		bus.st64(VA + 3 * 4096 - 4, 0x0102030405060708n);
		assert.equal(bus.ld64u(VA + 3 * 4096 - 4), 0x0102030405060708n);
		assert.equal(bus.ld32u(VA + 3 * 4096), 0x01020304);
		assert.equal(bus.fault, null);
	});

	it('dispatches device pages to the device model on every access, and reports holes as bus errors', () => {
		const { machine, tables } = setup();
		const regs = new Registers();
		machine.attachDevice('regs', regs);
		tables.map(VA, { physicalAddress: MMIO, writable: true, cacheMode: 'UC' });
		tables.map(VA + 0x1000, { physicalAddress: 0xfe000000, writable: true });
		tables.map(VA + 0x2000, { physicalAddress: 0xff000000, writable: true });
		const bus = machine.cpus[0].bus;
		bus.st32(VA + 0x10, 5);
		assert.equal(bus.ld32u(VA + 0x10), 5);
		assert.equal(bus.ld32u(VA + 0x10), 5);
		bus.st64(VA + 0x18, 2n ** 62n);
		assert.equal(bus.ld64u(VA + 0x18), 2n ** 62n);
		assert.deepEqual(regs.log, ['w4@16=5', 'r4@16', 'r4@16', `w8@24=${2n ** 62n}`, 'r8@24']);
		assert.equal(bus.ld32u(VA + 0x1008), 0);
		const f = bus.fault as BusFault;
		assert.equal(f.reason, 'bus');
		assert.equal(f.address, VA + 0x1008);
		assert.equal(f.physicalAddress, 0xfe000008);
		bus.fault = null;
		bus.st32(VA + 0x2000, 1);
		assert.equal(bus.ld32u(VA + 0x2000), 0, 'ROM drops stores');
		assert.equal(bus.fault, null);
	});

	it('copies, fills, reads and writes across pages, faulting with no effect', () => {
		const { machine, tables } = setup();
		mapUser(tables, 4, [3]);
		const bus = machine.cpus[0].bus;
		bus.mode = 'user';
		const data = Uint8Array.from({ length: 6000 }, (_, i) => (i * 7) & 0xff);
		bus.write(VA + 100, data);
		assert.deepEqual(bus.read(VA + 100, 6000), data);
		bus.copy(VA + 1000, VA + 100, 6000);
		assert.deepEqual(bus.read(VA + 1000, 6000), data);
		bus.copy(VA + 100, VA + 1000, 6000);
		assert.deepEqual(bus.read(VA + 100, 6000), data);
		// The destination's last page is read-only: nothing is copied.
		const before = bus.read(VA + 2 * 4096, 4096);
		bus.copy(VA + 2 * 4096, VA, 4097);
		assert.equal(faultOf(bus)?.address, VA + 3 * 4096);
		bus.fault = null;
		assert.deepEqual(bus.read(VA + 2 * 4096, 4096), before);
		bus.fill(VA + 2 * 4096 + 10, 9, 4096);
		assert.ok(bus.fault !== null);
		bus.fault = null;
		assert.equal(bus.ld8u(VA + 2 * 4096 + 10), before?.[10]);
		assert.equal(bus.read(VA + 4 * 4096 - 1, 2), null);
		bus.fault = null;
		// Zeroing a whole page gives the frame's host memory back.
		const resident = machine.phys.stats().residentFrames;
		bus.fill(VA, 0, 4096);
		assert.equal(machine.phys.stats().residentFrames, resident - 1);
		assert.equal(bus.ld32u(VA + 100), 0);
	});

	it('behaves like a flat byte array under random accesses, faults, snapshots and restores (model test)', () => {
		const PAGES = 4;
		const SIZE = PAGES * 4096;
		const READ_ONLY = 2;
		type Op =
			| { kind: 'st'; at: number; size: 1 | 2 | 4 | 8; value: number }
			| { kind: 'ld'; at: number; size: 1 | 2 | 4 | 8 }
			| { kind: 'copy'; dst: number; src: number; len: number }
			| { kind: 'dma'; at: number; value: number }
			| { kind: 'snapshot' }
			| { kind: 'restore'; which: number };
		const at = fc.nat(SIZE + 8);
		const size = fc.constantFrom(1 as const, 2 as const, 4 as const, 8 as const);
		const op: fc.Arbitrary<Op> = fc.oneof(
			fc.record({ kind: fc.constant('st' as const), at, size, value: fc.integer({ min: 0, max: 0xffffffff }) }),
			fc.record({ kind: fc.constant('ld' as const), at, size }),
			fc.record({ kind: fc.constant('copy' as const), dst: at, src: at, len: fc.nat(5000) }),
			fc.record({ kind: fc.constant('dma' as const), at: fc.nat(SIZE - 1), value: fc.nat(255) }),
			fc.constant({ kind: 'snapshot' as const }),
			fc.record({ kind: fc.constant('restore' as const), which: fc.nat(10) }),
		);
		fc.assert(
			fc.property(fc.array(op, { maxLength: 50 }), (ops) => {
				const { machine, tables } = setup();
				mapUser(tables, PAGES, [READ_ONLY]);
				const bus = machine.cpus[0].bus;
				bus.mode = 'user';
				const model = new Uint8Array(SIZE);
				const writable = (a: number, n: number): boolean => a + n <= SIZE && (a + n <= READ_ONLY * 4096 || a >= (READ_ONLY + 1) * 4096);
				const readable = (a: number, n: number): boolean => a + n <= SIZE;
				const snaps: { snap: ReturnType<Machine['snapshot']>; bytes: Uint8Array }[] = [];
				for (const o of ops) {
					bus.fault = null;
					if (o.kind === 'st') {
						const ok = writable(o.at, o.size);
						if (o.size === 1) bus.st8(VA + o.at, o.value);
						else if (o.size === 2) bus.st16(VA + o.at, o.value);
						else if (o.size === 4) bus.st32(VA + o.at, o.value);
						else bus.st64(VA + o.at, o.value);
						assert.equal(bus.fault === null, ok);
						if (ok) for (let k = 0; k < o.size; k++) model[o.at + k] = k < 4 ? (o.value >>> (8 * k)) & 0xff : 0;
					} else if (o.kind === 'ld') {
						const ok = readable(o.at, o.size);
						const v = o.size === 1 ? bus.ld8u(VA + o.at) : o.size === 2 ? bus.ld16u(VA + o.at) : o.size === 4 ? bus.ld32u(VA + o.at) : bus.ld64u(VA + o.at);
						assert.equal(bus.fault === null, ok);
						let expected = 0n;
						if (ok) for (let k = o.size - 1; k >= 0; k--) expected = (expected << 8n) | BigInt(model[o.at + k]);
						assert.equal(BigInt(v), expected);
					} else if (o.kind === 'copy') {
						const ok = o.len === 0 || (readable(o.src, o.len) && writable(o.dst, o.len));
						bus.copy(VA + o.dst, VA + o.src, o.len);
						assert.equal(bus.fault === null, ok);
						if (ok) model.copyWithin(o.dst, o.src, o.src + o.len);
					} else if (o.kind === 'dma') {
						machine.phys.st8(16 * MiB + o.at, o.value);
						model[o.at] = o.value;
					} else if (o.kind === 'snapshot') snaps.push({ snap: machine.snapshot(), bytes: model.slice() });
					else if (snaps.length > 0) {
						const s = snaps[o.which % snaps.length];
						machine.restore(s.snap);
						model.set(s.bytes);
					}
				}
				bus.fault = null;
				assert.deepEqual(bus.read(VA, SIZE), model);
			}),
			{ numRuns: 200 },
		);
	});
});
