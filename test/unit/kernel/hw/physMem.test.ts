// Unit tests of the physical address space (layer: kernel, hardware): regions and holes, sparse
// frames, device dispatch, ROM, aperture remapping, bulk operations and copy-on-write snapshots.

import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { MemoryFault, Value } from '../../../../src/interp/contracts';
import { FRAME_SIZE, PhysicalMemory, type DeviceRegisters, type PhysObserver } from '../../../../src/kernel/hw/physMem';

/** The pending fault (read through a call, so the compiler does not keep a narrowing across accesses). */
function faultOf(memory: { fault: MemoryFault | null }): MemoryFault | null {
	return memory.fault;
}

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

/** A register file that records its accesses. */
class RecordingDevice implements DeviceRegisters {
	readonly log: string[] = [];
	regs = new Map<number, Value>();
	read(offset: number, size: number): Value {
		this.log.push(`r${size}@${offset}`);
		return this.regs.get(offset) ?? 0;
	}
	write(offset: number, size: number, value: Value): void {
		this.log.push(`w${size}@${offset}=${value}`);
		this.regs.set(offset, value);
	}
	snapshot(): unknown {
		return new Map(this.regs);
	}
	restore(state: unknown): void {
		this.regs = new Map(state as Map<number, Value>);
	}
}

function makeMemory(): PhysicalMemory {
	return new PhysicalMemory([
		{ base: 0, size: 64 * MiB, kind: 'ram', name: 'System RAM' },
		{ base: 0xd0000000, size: 16 * MiB, kind: 'vram', name: 'vram', owner: 'gpu0' },
		{ base: 0xe0000000, size: 64 * 1024, kind: 'mmio', name: 'gpu-regs', owner: 'gpu0' },
		{ base: 0xf0000000, size: 256 * 1024, kind: 'spu-ls', name: 'spu0-ls', owner: 'spu0' },
		{ base: 0xfe000000, size: 4096, kind: 'hole', name: 'reserved' },
		{ base: 0xff000000, size: 64 * 1024, kind: 'rom', name: 'bios' },
	]);
}

describe('kernel/hw/physMem', () => {
	describe('regions', () => {
		it('keeps regions sorted, finds them, and lists holes between them', () => {
			const m = makeMemory();
			assert.deepEqual(m.regions().map((r) => r.name), ['System RAM', 'vram', 'gpu-regs', 'spu0-ls', 'reserved', 'bios']);
			assert.equal(m.regionAt(0xd0001000)?.name, 'vram');
			assert.equal(m.regionAt(0xd0001000)?.owner, 'gpu0');
			assert.equal(m.regionAt(64 * MiB), null);
			const layout = m.layout();
			assert.equal(layout[1].kind, 'hole');
			assert.equal(layout[1].base, 64 * MiB);
			assert.equal(layout[1].end, 0xd0000000);
		});

		it('rejects overlapping, unaligned and oversized regions', () => {
			const m = makeMemory();
			assert.throws(() => m.addRegion({ base: 32 * MiB, size: 4096, kind: 'mmio', name: 'x' }), RangeError);
			assert.throws(() => m.addRegion({ base: 0x10000001, size: 4096, kind: 'mmio', name: 'y' }), RangeError);
			assert.throws(() => m.addRegion({ base: 2 ** 46, size: 4096, kind: 'mmio', name: 'z' }), RangeError);
			assert.throws(() => m.addRegion({ base: 0x20000000, size: 4096, kind: 'mmio', name: 'vram' }), RangeError);
		});

		it('reports bus errors for holes, unassigned addresses and MMIO without a device', () => {
			const m = makeMemory();
			assert.equal(m.ld32(64 * MiB), 0);
			assert.equal(faultOf(m)?.reason, 'bus');
			assert.equal(faultOf(m)?.address, 64 * MiB);
			m.fault = null;
			m.st8(0xfe000010, 1);
			assert.equal(faultOf(m)?.reason, 'bus');
			assert.match(faultOf(m)?.detail ?? '', /hole/);
			m.fault = null;
			m.ld32(0xe0000000);
			assert.match(faultOf(m)?.detail ?? '', /no device attached/);
			m.fault = null;
			assert.equal(m.read(64 * MiB - 4, 8), null);
			assert.equal(faultOf(m)?.address, 64 * MiB);
			m.fault = null;
			assert.equal(m.ld64(2 ** 46), 0);
			assert.equal(faultOf(m)?.reason, 'bus');
		});

		it('dispatches MMIO accesses to the attached device with offsets and sizes', () => {
			const m = makeMemory();
			const dev = new RecordingDevice();
			assert.ok(m.attachDevice('gpu-regs', dev));
			m.st32(0xe0000010, 0xdeadbeef);
			assert.equal(m.ld32(0xe0000010), 0xdeadbeef);
			m.st64(0xe0000020, 2n ** 60n + 5n);
			assert.equal(m.ld64(0xe0000020), 2n ** 60n + 5n);
			m.st8(0xe0000003, 0x1ff);
			assert.equal(m.fault, null);
			assert.deepEqual(dev.log, ['w4@16=3735928559', 'r4@16', `w8@32=${2n ** 60n + 5n}`, 'r8@32', 'w1@3=255']);
			// Bulk reads use naturally aligned accesses of up to 8 bytes.
			dev.log.length = 0;
			m.read(0xe0000006, 12);
			assert.deepEqual(dev.log, ['r2@6', 'r8@8', 'r2@16']);
		});

		it('drops stores to ROM, which writeBackdoor initialises', () => {
			const m = makeMemory();
			assert.ok(m.writeBackdoor(0xff000000, new Uint8Array([0x55, 0xaa])));
			m.st16(0xff000000, 0x1234);
			assert.equal(m.fault, null);
			assert.equal(m.ld16(0xff000000), 0xaa55);
			assert.ok(m.write(0xff000000, new Uint8Array([1, 2, 3])));
			assert.equal(m.ld8(0xff000002), 0);
		});

		it('serves an aperture through its remap, and unbound aperture pages are bus errors', () => {
			const m = makeMemory();
			const gart = new Map<number, number>([[0x1000, 0x5000]]);
			m.addRegion({ base: 0xc0000000, size: 64 * 1024, kind: 'gtt-aperture', name: 'agp', remap: { translate: (offset) => gart.get(offset) ?? -1 } });
			m.st32(0x5010, 77);
			assert.equal(m.ld32(0xc0001010), 77);
			m.st32(0xc0001014, 99);
			assert.equal(m.ld32(0x5014), 99);
			assert.equal(m.ld32(0xc0002000), 0);
			assert.match(faultOf(m)?.detail ?? '', /not bound/);
		});

		it('forgets the frames of a removed region', () => {
			const m = makeMemory();
			m.st32(0xd0000000, 1);
			assert.ok(m.removeRegion('vram'));
			m.addRegion({ base: 0xd0000000, size: 16 * MiB, kind: 'vram', name: 'vram' });
			assert.equal(m.ld32(0xd0000000), 0);
			assert.equal(m.fault, null);
		});
	});

	describe('frames', () => {
		it('loads and stores every size little-endian, across frame boundaries too', () => {
			const m = makeMemory();
			m.st64(0x1ffc, 0x0102030405060708n);
			assert.equal(m.ld8(0x1ffc), 0x08);
			assert.equal(m.ld16(0x1ffe), 0x0506);
			assert.equal(m.ld32(0x2000), 0x01020304);
			assert.equal(m.ld64(0x1ffc), 0x0102030405060708n);
			m.st64(0x1ff8, 0x000f030405060708);
			assert.equal(m.ld64(0x1ff8), 0x000f030405060708);
			m.st64(0x3000, -1);
			assert.equal(m.ld64(0x3000), 2n ** 64n - 1n);
			m.st32(0x4000, -2);
			assert.equal(m.ld32(0x4000), 0xfffffffe);
			// A RAM access running off the end of RAM is a bus error with no effect.
			m.st32(64 * MiB - 2, 0x11223344);
			assert.equal(faultOf(m)?.reason, 'bus');
			m.fault = null;
			assert.equal(m.ld16(64 * MiB - 2), 0);
		});

		it('costs no host memory for untouched and zero frames', () => {
			const m = new PhysicalMemory([{ base: 0, size: 4 * GiB, kind: 'ram', name: 'ram' }]);
			let sum = 0;
			for (let pa = 0; pa < 4 * GiB; pa += 1024 * 1024 + 8) sum += m.ld64(pa) as number;
			assert.equal(sum, 0);
			assert.equal(m.read(12345, 100000)?.every((b) => b === 0), true);
			m.fill(0, 0, 1024 * 1024);
			assert.equal(m.stats().residentFrames, 0);
			m.st8(3 * GiB + 5, 1);
			assert.equal(m.stats().residentFrames, 1);
			m.fill(3 * GiB, 0, FRAME_SIZE);
			assert.equal(m.stats().residentFrames, 0);
			assert.equal(m.ld8(3 * GiB + 5), 0);
			// A frame written back to all zeros is reclaimed by the sweep.
			m.st32(8192, 5);
			m.st32(8192, 0);
			m.st32(16384, 5);
			assert.equal(m.stats().residentFrames, 2);
			assert.equal(m.reclaimZeroFrames(), 1);
			assert.equal(m.stats().residentFrames, 1);
			assert.equal(m.ld32(16384), 5);
		});

		it('reuses the host memory of released frames', () => {
			const m = makeMemory();
			for (let i = 0; i < 64; i++) m.st8(i * FRAME_SIZE, 1);
			const slabs = m.stats().slabs;
			m.fill(0, 0, 64 * FRAME_SIZE);
			for (let i = 0; i < 64; i++) m.st8((100 + i) * FRAME_SIZE + 1, 2);
			assert.equal(m.stats().slabs, slabs);
			assert.equal(m.ld8(100 * FRAME_SIZE), 0, 'reused frames start zeroed');
			assert.equal(m.ld8(100 * FRAME_SIZE + 1), 2);
		});

		it('copies with memmove semantics and fills ranges', () => {
			const m = makeMemory();
			const bytes = Uint8Array.from({ length: 10000 }, (_, i) => i & 0xff);
			assert.ok(m.write(0x10000 - 3000, bytes));
			assert.ok(m.copy(0x10000 - 2000, 0x10000 - 3000, 10000));
			assert.deepEqual(m.read(0x10000 - 2000, 10000), bytes);
			assert.ok(m.copy(0x10000 - 3000, 0x10000 - 2000, 10000));
			assert.deepEqual(m.read(0x10000 - 3000, 10000), bytes);
			assert.ok(m.fill(0x20001, 0x1ab, 5000));
			assert.equal(m.ld8(0x20000), 0);
			assert.equal(m.ld8(0x20001), 0xab);
			assert.equal(m.ld8(0x20001 + 4999), 0xab);
			assert.equal(m.ld8(0x20001 + 5000), 0);
			// Copying from RAM into VRAM and SPU local store works the same.
			assert.ok(m.copy(0xf0000000, 0x20001, 16));
			assert.equal(m.ld32(0xf0000000), 0xabababab);
			// A copy whose destination runs into a hole copies nothing.
			assert.equal(m.copy(64 * MiB - 8, 0x20001, 16), false);
			assert.equal(m.ld8(64 * MiB - 8), 0);
		});

		it('lists resident frames in a range', () => {
			const m = makeMemory();
			for (const pfn of [3, 700, 701, 5000]) m.st8(pfn * FRAME_SIZE, 1);
			const seen: number[] = [];
			m.forEachResidentFrame(0, 1000, (pfn) => seen.push(pfn));
			assert.deepEqual(seen, [3, 700, 701]);
			assert.ok(m.isResident(5000));
			assert.ok(!m.isResident(4999));
		});

		it('tells observers when a frame’s host storage changes', () => {
			const m = makeMemory();
			const moved: number[] = [];
			let shared = 0;
			let layout = 0;
			const observer: PhysObserver = { frameMoved: (pfn) => moved.push(pfn), framesShared: () => shared++, layoutChanged: () => layout++ };
			m.addObserver(observer);
			m.st8(0x5000, 1);
			m.st8(0x5001, 1);
			assert.deepEqual(moved, [5], 'allocated once');
			m.snapshot();
			assert.equal(shared, 1);
			m.st8(0x5002, 1);
			assert.deepEqual(moved, [5, 5], 'copied on write');
			m.fill(0x5000, 0, FRAME_SIZE);
			assert.deepEqual(moved, [5, 5, 5], 'released');
			m.attachDevice('gpu-regs', new RecordingDevice());
			assert.equal(layout, 1);
		});
	});

	describe('snapshots', () => {
		it('restores contents, regions and pending fault; snapshots stay independent', () => {
			const m = makeMemory();
			m.st32(0x1000, 1);
			const s1 = m.snapshot();
			m.st32(0x1000, 2);
			m.st32(0x2000, 3);
			m.attachDevice('gpu-regs', new RecordingDevice());
			const s2 = m.snapshot();
			m.st32(0x1000, 4);
			m.restore(s1);
			assert.equal(m.ld32(0x1000), 1);
			assert.equal(m.ld32(0x2000), 0);
			assert.equal(m.region('gpu-regs')?.backing, 'none');
			m.st32(0x1000, 5);
			m.restore(s2);
			assert.equal(m.ld32(0x1000), 2);
			assert.equal(m.ld32(0x2000), 3);
			assert.equal(m.region('gpu-regs')?.backing, 'device');
			m.restore(s1);
			assert.equal(m.ld32(0x1000), 1);
			assert.throws(() => makeMemory().restore(s1));
		});

		it('behaves like a plain byte array under random writes, snapshots and restores (model test)', () => {
			const SIZE = 6 * FRAME_SIZE;
			const BASE = 0xd0000000 - 2 * FRAME_SIZE;
			type Op =
				| { kind: 'st'; at: number; size: 1 | 2 | 4 | 8; value: number }
				| { kind: 'fill'; at: number; len: number; byte: number }
				| { kind: 'copy'; dst: number; src: number; len: number }
				| { kind: 'snapshot' }
				| { kind: 'restore'; which: number };
			const op: fc.Arbitrary<Op> = fc.oneof(
				fc.record({ kind: fc.constant('st' as const), at: fc.nat(SIZE - 8), size: fc.constantFrom(1 as const, 2 as const, 4 as const, 8 as const), value: fc.integer({ min: 0, max: 2 ** 31 }) }),
				fc.record({ kind: fc.constant('fill' as const), at: fc.nat(SIZE - 1), len: fc.nat(2 * FRAME_SIZE), byte: fc.constantFrom(0, 7) }),
				fc.record({ kind: fc.constant('copy' as const), dst: fc.nat(SIZE - 1), src: fc.nat(SIZE - 1), len: fc.nat(FRAME_SIZE + 100) }),
				fc.constant({ kind: 'snapshot' as const }),
				fc.record({ kind: fc.constant('restore' as const), which: fc.nat(10) }),
			);
			fc.assert(
				fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
					// RAM ends at BASE + 2 frames, VRAM starts 0xd0000000: the window spans a hole.
					const m = new PhysicalMemory([
						{ base: 0, size: 0xd0000000 - 4 * FRAME_SIZE, kind: 'ram', name: 'ram' },
						{ base: 0xd0000000, size: 4 * FRAME_SIZE, kind: 'vram', name: 'vram' },
					]);
					const model = new Uint8Array(SIZE);
					const valid = (i: number): boolean => BASE + i < 0xd0000000 - 4 * FRAME_SIZE || BASE + i >= 0xd0000000;
					const rangeValid = (at: number, len: number): boolean => {
						for (let i = at; i < at + len; i++) if (i >= SIZE || !valid(i)) return false;
						return true;
					};
					const snaps: { snap: ReturnType<PhysicalMemory['snapshot']>; bytes: Uint8Array }[] = [];
					for (const o of ops) {
						m.fault = null;
						if (o.kind === 'st') {
							const ok = rangeValid(o.at, o.size);
							if (o.size === 1) m.st8(BASE + o.at, o.value);
							else if (o.size === 2) m.st16(BASE + o.at, o.value);
							else if (o.size === 4) m.st32(BASE + o.at, o.value);
							else m.st64(BASE + o.at, o.value);
							assert.equal(m.fault === null, ok);
							if (ok) for (let k = 0; k < o.size; k++) model[o.at + k] = k < 4 ? (o.value >>> (8 * k)) & 0xff : 0;
						} else if (o.kind === 'fill') {
							const len = Math.min(o.len, SIZE - o.at);
							const ok = rangeValid(o.at, len);
							assert.equal(m.fill(BASE + o.at, o.byte, len), ok);
							if (ok) model.fill(o.byte, o.at, o.at + len);
						} else if (o.kind === 'copy') {
							const len = Math.min(o.len, SIZE - o.dst, SIZE - o.src);
							const ok = rangeValid(o.src, len) && rangeValid(o.dst, len);
							assert.equal(m.copy(BASE + o.dst, BASE + o.src, len), ok);
							if (ok) model.copyWithin(o.dst, o.src, o.src + len);
						} else if (o.kind === 'snapshot') snaps.push({ snap: m.snapshot(), bytes: model.slice() });
						else if (snaps.length > 0) {
							const s = snaps[o.which % snaps.length];
							m.restore(s.snap);
							model.set(s.bytes);
						}
					}
					for (let i = 0; i < SIZE; i++) if (valid(i)) assert.equal(m.ld8(BASE + i), model[i], `byte ${i}`);
					// Every snapshot still holds exactly what it captured.
					for (const s of snaps) {
						m.restore(s.snap);
						for (let i = 0; i < SIZE; i += 61) if (valid(i)) assert.equal(m.ld8(BASE + i), s.bytes[i]);
					}
				}),
				{ numRuns: 150 },
			);
		});
	});
});
