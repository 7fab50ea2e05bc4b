// Unit tests for FlatMemory (layer: interp): every access size at page boundaries, faults that
// leave memory unchanged, protection, sparse pages, block operations, and copy-on-write snapshots,
// including a fast-check model test of random operation sequences against a Map<address, byte>.

import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { MemoryFault, MemorySnapshot, Value } from '../../../src/interp/contracts';
import { FlatMemory, PAGE_SIZE, type PageProtection } from '../../../src/interp/flatMemory';

const RW: PageProtection = { read: true, write: true };
const RO: PageProtection = { read: true, write: false };
const NONE: PageProtection = { read: false, write: false };

const HEAP = 0x10000000;
const STACK_PAGE = 0x7ffffffff000 - PAGE_SIZE;

/** Expects exactly this fault (and clears it). */
function expectFault(memory: FlatMemory, address: number, access: 'read' | 'write', reason: MemoryFault['reason']): void {
	assert.ok(memory.fault !== null, `expected a ${access} fault at ${address.toString(16)}`);
	assert.deepEqual([memory.fault.address, memory.fault.access, memory.fault.reason], [address, access, reason]);
	memory.fault = null;
}

function expectNoFault(memory: FlatMemory): void {
	assert.equal(memory.fault, null, `unexpected fault ${JSON.stringify(memory.fault)}`);
}

/** The `count` bytes at `addr`, read one at a time. */
function bytesAt(memory: FlatMemory, addr: number, count: number): number[] {
	const out: number[] = [];
	for (let k = 0; k < count; k++) out.push(memory.ld8u(addr + k));
	return out;
}

/** Every load and store of FlatMemory with its size, and a DataView codec for the model. */
interface Access {
	readonly name: string;
	readonly size: number;
	load(memory: FlatMemory, addr: number): Value;
	store(memory: FlatMemory, addr: number, v: Value): void;
	/** Little-endian encoding of `v`, as the store must write it. */
	encode(v: Value): number[];
	/** The value a load must return for these bytes. */
	decode(bytes: number[]): Value;
	/** A sample value for stores. */
	sample: Value;
}

function codec(size: number, set: (d: DataView, v: Value) => void, get: (d: DataView) => Value): Pick<Access, 'encode' | 'decode'> {
	return {
		encode(v) {
			const d = new DataView(new ArrayBuffer(8));
			set(d, v);
			return [...new Uint8Array(d.buffer, 0, size)];
		},
		decode(bytes) {
			const d = new DataView(new Uint8Array([...bytes, 0, 0, 0, 0, 0, 0, 0, 0]).buffer);
			return get(d);
		},
	};
}

/** Canonical 64-bit value of a bigint (as the contracts define it). */
function canonical(b: bigint): Value {
	return b > -(2n ** 53n) && b < 2n ** 53n ? Number(b) : b;
}

const ACCESSES: Access[] = [
	{ name: 'ld8u/st8', size: 1, load: (m, a) => m.ld8u(a), store: (m, a, v) => m.st8(a, v as number), ...codec(1, (d, v) => d.setUint8(0, v as number), (d) => d.getUint8(0)), sample: 0xa5 },
	{ name: 'ld8s/st8', size: 1, load: (m, a) => m.ld8s(a), store: (m, a, v) => m.st8(a, v as number), ...codec(1, (d, v) => d.setInt8(0, v as number), (d) => d.getInt8(0)), sample: -7 },
	{ name: 'ld16u/st16', size: 2, load: (m, a) => m.ld16u(a), store: (m, a, v) => m.st16(a, v as number), ...codec(2, (d, v) => d.setUint16(0, v as number, true), (d) => d.getUint16(0, true)), sample: 0xbeef },
	{ name: 'ld16s/st16', size: 2, load: (m, a) => m.ld16s(a), store: (m, a, v) => m.st16(a, v as number), ...codec(2, (d, v) => d.setInt16(0, v as number, true), (d) => d.getInt16(0, true)), sample: -2 },
	{ name: 'ld32u/st32', size: 4, load: (m, a) => m.ld32u(a), store: (m, a, v) => m.st32(a, v as number), ...codec(4, (d, v) => d.setUint32(0, v as number, true), (d) => d.getUint32(0, true)), sample: 0xdeadbeef },
	{ name: 'ld32s/st32', size: 4, load: (m, a) => m.ld32s(a), store: (m, a, v) => m.st32(a, v as number), ...codec(4, (d, v) => d.setInt32(0, v as number, true), (d) => d.getInt32(0, true)), sample: -123456789 },
	{
		name: 'ld64u/st64', size: 8, load: (m, a) => m.ld64u(a), store: (m, a, v) => m.st64(a, v),
		...codec(8, (d, v) => d.setBigUint64(0, BigInt.asUintN(64, BigInt(v)), true), (d) => canonical(d.getBigUint64(0, true))), sample: 0xfedcba9876543210n,
	},
	{
		name: 'ld64s/st64', size: 8, load: (m, a) => m.ld64s(a), store: (m, a, v) => m.st64(a, v),
		...codec(8, (d, v) => d.setBigInt64(0, BigInt.asIntN(64, BigInt(v)), true), (d) => canonical(d.getBigInt64(0, true))), sample: -5,
	},
	{ name: 'ldf32/stf32', size: 4, load: (m, a) => m.ldf32(a), store: (m, a, v) => m.stf32(a, v as number), ...codec(4, (d, v) => d.setFloat32(0, v as number, true), (d) => d.getFloat32(0, true)), sample: -1.5 },
	{ name: 'ldf64/stf64', size: 8, load: (m, a) => m.ldf64(a), store: (m, a, v) => m.stf64(a, v as number), ...codec(8, (d, v) => d.setFloat64(0, v as number, true), (d) => d.getFloat64(0, true)), sample: Math.PI },
];

describe('FlatMemory: loads and stores', () => {
	it('is little-endian and returns canonical 64-bit values', () => {
		const memory = new FlatMemory();
		memory.map(HEAP, PAGE_SIZE, RW);
		memory.st32(HEAP, 0x11223344);
		assert.deepEqual(bytesAt(memory, HEAP, 4), [0x44, 0x33, 0x22, 0x11]);
		memory.st64(HEAP + 8, -1);
		assert.equal(memory.ld64s(HEAP + 8), -1);
		assert.equal(memory.ld64u(HEAP + 8), 2n ** 64n - 1n);
		memory.st64(HEAP + 16, 2n ** 53n);
		assert.equal(memory.ld64u(HEAP + 16), 2n ** 53n);
		memory.st64(HEAP + 16, 2n ** 53n - 1n);
		assert.equal(memory.ld64u(HEAP + 16), 2 ** 53 - 1, 'a value that fits comes back as a number');
		memory.st64(HEAP + 24, 0xffffffff80000000n);
		assert.equal(memory.ld64s(HEAP + 24), -2147483648);
		memory.st64(HEAP + 32, -(2n ** 63n));
		assert.equal(memory.ld64s(HEAP + 32), -(2n ** 63n));
		memory.st8(HEAP + 40, 0x1ff);
		assert.equal(memory.ld8u(HEAP + 40), 0xff, 'st8 keeps the low 8 bits');
		memory.st16(HEAP + 42, -1);
		assert.equal(memory.ld16u(HEAP + 42), 0xffff);
		memory.st32(HEAP + 44, 0xffffffff);
		assert.equal(memory.ld32s(HEAP + 44), -1);
		memory.stf32(HEAP + 48, 0.1);
		assert.equal(memory.ldf32(HEAP + 48), Math.fround(0.1));
		expectNoFault(memory);
	});

	for (const access of ACCESSES) {
		it(`${access.name} at every offset around a page boundary, low and high addresses`, () => {
			for (const firstPage of [HEAP, STACK_PAGE - PAGE_SIZE]) {
				const memory = new FlatMemory();
				memory.map(firstPage, 2 * PAGE_SIZE, RW);
				const boundary = firstPage + PAGE_SIZE;
				for (let addr = boundary - access.size - 1; addr <= boundary + 1; addr++) {
					memory.fill(boundary - 16, 0x5a, 32);
					access.store(memory, addr, access.sample);
					expectNoFault(memory);
					const expectedBytes = access.encode(access.sample);
					assert.deepEqual(bytesAt(memory, addr, access.size), expectedBytes, `${access.name} bytes at ${addr - boundary}`);
					assert.deepEqual([memory.ld8u(addr - 1), memory.ld8u(addr + access.size)], [0x5a, 0x5a], 'neighbours untouched');
					assert.ok(Object.is(access.load(memory, addr), access.decode(expectedBytes)), `${access.name} load at ${addr - boundary}`);
					expectNoFault(memory);
				}
			}
		});
	}

	it('a load that faults returns 0, sets the fault, and a later load does not clear it', () => {
		const memory = new FlatMemory();
		memory.map(HEAP, PAGE_SIZE, RW);
		memory.st32(HEAP + PAGE_SIZE - 4, -1);
		for (const access of ACCESSES) {
			// Straddles into the unmapped next page (or starts there): the first inaccessible byte is the page start.
			assert.ok(Object.is(access.load(memory, HEAP + PAGE_SIZE - Math.min(access.size - 1, 1)), 0), access.name);
			expectFault(memory, HEAP + PAGE_SIZE, 'read', 'not-present');
			assert.ok(Object.is(access.load(memory, HEAP - 8), 0), access.name);
			expectFault(memory, HEAP - 8, 'read', 'not-present');
		}
		memory.ld8u(HEAP - 1);
		memory.ld8u(HEAP);
		expectFault(memory, HEAP - 1, 'read', 'not-present');
	});

	it('a store that faults changes nothing, even the part in an accessible page', () => {
		const memory = new FlatMemory();
		memory.map(HEAP, PAGE_SIZE, RW);
		memory.map(HEAP + PAGE_SIZE, PAGE_SIZE, RO);
		memory.fill(HEAP + PAGE_SIZE - 8, 0x11, 8);
		for (const access of ACCESSES) {
			if (access.size === 1) continue;
			access.store(memory, HEAP + PAGE_SIZE - 1, access.sample);
			expectFault(memory, HEAP + PAGE_SIZE, 'write', 'protection');
			access.store(memory, HEAP - 1, access.sample);
			expectFault(memory, HEAP - 1, 'write', 'not-present');
		}
		assert.deepEqual(bytesAt(memory, HEAP + PAGE_SIZE - 8, 8), [0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11]);
		assert.deepEqual(bytesAt(memory, HEAP, 4), [0, 0, 0, 0]);
		assert.equal(memory.ld32u(HEAP + PAGE_SIZE), 0, 'the read-only page is readable and untouched');
		expectNoFault(memory);
	});

	it('faults outside the 48-bit address space instead of throwing', () => {
		const memory = new FlatMemory();
		memory.map(2 ** 48 - PAGE_SIZE, PAGE_SIZE, RW);
		memory.st32(2 ** 48 - 4, 7);
		assert.equal(memory.ld32s(2 ** 48 - 4), 7);
		memory.st32(2 ** 48 - 2, 7);
		expectFault(memory, 0, 'write', 'not-present');
		assert.equal(memory.ld8u(-1), 0);
		expectFault(memory, 2 ** 48 - 1, 'read', 'not-present');
		assert.equal(memory.ld8u(NaN), 0);
		expectFault(memory, 0, 'read', 'not-present');
		assert.equal(memory.read(2 ** 48 - 2, 4), null);
		expectFault(memory, 0, 'read', 'not-present');
	});
});

describe('FlatMemory: protection and mappings', () => {
	it('reports protection faults for writes to read-only pages and reads of PROT_NONE pages', () => {
		const memory = new FlatMemory();
		memory.map(HEAP, PAGE_SIZE, RW);
		memory.st32(HEAP, 42);
		assert.equal(memory.protect(HEAP, PAGE_SIZE, RO), true);
		memory.st32(HEAP, 43);
		expectFault(memory, HEAP, 'write', 'protection');
		assert.equal(memory.fault, null);
		assert.equal(memory.ld32s(HEAP), 42);
		memory.protect(HEAP, PAGE_SIZE, NONE);
		assert.equal(memory.ld32s(HEAP), 0);
		expectFault(memory, HEAP, 'read', 'protection');
		assert.equal(memory.isMapped(HEAP), true);
		assert.deepEqual(memory.protection(HEAP), NONE);
		memory.protect(HEAP, 1, RW);
		assert.equal(memory.ld32s(HEAP), 42, 'protect keeps contents');
	});

	it('the write cache does not outlive a protect to read-only', () => {
		const memory = new FlatMemory();
		memory.map(HEAP, PAGE_SIZE, RW);
		memory.st32(HEAP, 1);
		memory.st32(HEAP + 4, 2);
		memory.protect(HEAP, PAGE_SIZE, RO);
		memory.st32(HEAP + 8, 3);
		expectFault(memory, HEAP + 8, 'write', 'protection');
		assert.equal(memory.ld32s(HEAP + 8), 0);
	});

	it('unmap makes pages fault and drops their contents; map gives fresh zero pages', () => {
		const memory = new FlatMemory();
		memory.map(HEAP, 3 * PAGE_SIZE, RW);
		memory.fill(HEAP, 0x77, 3 * PAGE_SIZE);
		assert.equal(memory.ld8u(HEAP + PAGE_SIZE), 0x77);
		memory.unmap(HEAP + PAGE_SIZE, 1);
		assert.equal(memory.ld8u(HEAP + PAGE_SIZE + 5), 0);
		expectFault(memory, HEAP + PAGE_SIZE + 5, 'read', 'not-present');
		assert.equal(memory.isMapped(HEAP + PAGE_SIZE), false);
		assert.equal(memory.protection(HEAP + PAGE_SIZE), null);
		assert.equal(memory.ld8u(HEAP + 2 * PAGE_SIZE), 0x77);
		assert.equal(memory.protect(HEAP, 3 * PAGE_SIZE, RO), false, 'a hole in the range');
		assert.deepEqual(memory.protection(HEAP + 2 * PAGE_SIZE), RO);
		memory.map(HEAP, 3 * PAGE_SIZE, RW);
		assert.deepEqual(memory.read(HEAP, 3 * PAGE_SIZE), new Uint8Array(3 * PAGE_SIZE), 'remapping zeroes');
		assert.equal(memory.stats().mappedBytes, 3 * PAGE_SIZE);
		memory.unmap(0, 2 ** 48);
		assert.deepEqual(memory.stats(), { mappedBytes: 0, residentPages: 0, copiedPages: 0 });
		assert.throws(() => memory.map(-PAGE_SIZE, PAGE_SIZE, RW), RangeError);
		assert.throws(() => memory.map(2 ** 48 - PAGE_SIZE, 2 * PAGE_SIZE, RW), RangeError);
	});

	it('the last-page caches forget a page released by a zero fill', () => {
		const memory = new FlatMemory();
		memory.map(HEAP, 2 * PAGE_SIZE, RW);
		for (const order of [[0, 1], [1, 0]]) {
			memory.st32(HEAP, 1);
			memory.st32(HEAP + PAGE_SIZE, 2);
			assert.deepEqual([memory.ld32s(HEAP), memory.ld32s(HEAP + PAGE_SIZE)], [1, 2]);
			for (const page of order) {
				memory.fill(HEAP + page * PAGE_SIZE, 0, PAGE_SIZE);
				assert.equal(memory.ld32s(HEAP + page * PAGE_SIZE), 0);
				memory.st32(HEAP + page * PAGE_SIZE + 4, 5);
				assert.deepEqual([memory.ld32s(HEAP + page * PAGE_SIZE), memory.ld32s(HEAP + page * PAGE_SIZE + 4)], [0, 5]);
			}
		}
	});

	it('mapped pages that were never written cost no host memory', () => {
		const memory = new FlatMemory();
		memory.map(HEAP, 768 * 1024 * 1024, RW);
		memory.map(STACK_PAGE - 8 * 1024 * 1024, 8 * 1024 * 1024, RW);
		assert.deepEqual(memory.stats(), { mappedBytes: (768 + 8) * 1024 * 1024, residentPages: 0, copiedPages: 0 });
		let sum = 0;
		for (let addr = HEAP; addr < HEAP + 64 * 1024 * 1024; addr += PAGE_SIZE) sum += memory.ld32s(addr) + memory.ld8u(addr + 7);
		assert.equal(sum, 0);
		assert.deepEqual(memory.read(HEAP + 100, 3 * PAGE_SIZE), new Uint8Array(3 * PAGE_SIZE));
		memory.copy(HEAP + 10 * PAGE_SIZE, HEAP + 20 * PAGE_SIZE, 5 * PAGE_SIZE);
		memory.fill(HEAP + 30 * PAGE_SIZE, 0, 4 * PAGE_SIZE + 100);
		assert.equal(memory.stats().residentPages, 0, 'zeros copied or filled into zero pages allocate nothing');
		memory.st8(HEAP + 5, 1);
		memory.st64(STACK_PAGE - 8, 1);
		expectNoFault(memory);
		assert.equal(memory.stats().residentPages, 2);
		memory.fill(HEAP, 0, PAGE_SIZE);
		assert.equal(memory.stats().residentPages, 1, 'zeroing a whole page releases it');
		assert.equal(memory.ld8u(HEAP + 5), 0);
		memory.st8(HEAP + 5, 9);
		assert.equal(memory.ld8u(HEAP + 5), 9);
	});
});

describe('FlatMemory: block operations', () => {
	function pattern(length: number, seed: number): Uint8Array {
		const bytes = new Uint8Array(length);
		for (let k = 0; k < length; k++) bytes[k] = (k * 31 + seed * 7 + (k >> 8)) & 0xff;
		return bytes;
	}

	it('write and read round-trip across pages', () => {
		const memory = new FlatMemory();
		memory.map(HEAP, 4 * PAGE_SIZE, RW);
		const data = pattern(3 * PAGE_SIZE + 17, 1);
		memory.write(HEAP + 100, data);
		assert.deepEqual(memory.read(HEAP + 100, data.length), data);
		assert.deepEqual(memory.read(HEAP, 0), new Uint8Array(0));
		expectNoFault(memory);
	});

	it('copy has memmove semantics in both directions, across pages and within one page', () => {
		for (const [dstOffset, srcOffset, length] of [[100, 0, 3 * PAGE_SIZE], [0, 100, 3 * PAGE_SIZE], [PAGE_SIZE + 3, PAGE_SIZE, 50], [PAGE_SIZE, PAGE_SIZE + 3, 50], [5000, 5000, 300], [9000, 10, 40]]) {
			const memory = new FlatMemory();
			memory.map(HEAP, 5 * PAGE_SIZE, RW);
			const data = pattern(5 * PAGE_SIZE, 2);
			memory.write(HEAP, data);
			const model = data.slice();
			model.copyWithin(dstOffset, srcOffset, srcOffset + length);
			memory.copy(HEAP + dstOffset, HEAP + srcOffset, length);
			expectNoFault(memory);
			assert.deepEqual(memory.read(HEAP, 5 * PAGE_SIZE), model, `copy(${dstOffset}, ${srcOffset}, ${length})`);
		}
	});

	it('copy, fill, write and read fault before touching anything', () => {
		const memory = new FlatMemory();
		memory.map(HEAP, 2 * PAGE_SIZE, RW);
		memory.map(HEAP + 2 * PAGE_SIZE, PAGE_SIZE, RO);
		const data = pattern(3 * PAGE_SIZE, 3);
		memory.protect(HEAP + 2 * PAGE_SIZE, PAGE_SIZE, RW);
		memory.write(HEAP, data);
		memory.protect(HEAP + 2 * PAGE_SIZE, PAGE_SIZE, RO);

		memory.copy(HEAP, HEAP + PAGE_SIZE, 2 * PAGE_SIZE + 1);
		expectFault(memory, HEAP + 3 * PAGE_SIZE, 'read', 'not-present');
		memory.copy(HEAP + PAGE_SIZE + 10, HEAP, PAGE_SIZE);
		expectFault(memory, HEAP + 2 * PAGE_SIZE, 'write', 'protection');
		memory.fill(HEAP + 10, 0xee, 3 * PAGE_SIZE);
		expectFault(memory, HEAP + 2 * PAGE_SIZE, 'write', 'protection');
		memory.fill(HEAP + 10, 0, 3 * PAGE_SIZE);
		expectFault(memory, HEAP + 2 * PAGE_SIZE, 'write', 'protection');
		memory.write(HEAP + PAGE_SIZE, data);
		expectFault(memory, HEAP + 2 * PAGE_SIZE, 'write', 'protection');
		assert.equal(memory.read(HEAP + 5, 3 * PAGE_SIZE), null);
		expectFault(memory, HEAP + 3 * PAGE_SIZE, 'read', 'not-present');
		assert.deepEqual(memory.read(HEAP, 3 * PAGE_SIZE), data, 'nothing changed');
	});
});

describe('FlatMemory: snapshots', () => {
	it('restore puts back contents, mappings and the pending fault; snapshots are never mutated', () => {
		const memory = new FlatMemory();
		memory.map(HEAP, 2 * PAGE_SIZE, RW);
		memory.st32(HEAP, 1);
		const first = memory.snapshot();
		memory.st32(HEAP, 2);
		memory.st32(HEAP + PAGE_SIZE, 20);
		memory.map(STACK_PAGE, PAGE_SIZE, RW);
		memory.st32(STACK_PAGE, 30);
		memory.ld8u(0);
		const second = memory.snapshot();
		memory.unmap(HEAP, PAGE_SIZE);
		memory.protect(HEAP + PAGE_SIZE, PAGE_SIZE, RO);
		memory.fault = null;

		memory.restore(first);
		assert.equal(memory.fault, null);
		assert.equal(memory.ld32s(HEAP), 1);
		assert.equal(memory.ld32s(HEAP + PAGE_SIZE), 0);
		assert.equal(memory.isMapped(STACK_PAGE), false);
		memory.st32(HEAP, 100);
		memory.st32(HEAP + PAGE_SIZE, 200);

		memory.restore(second);
		expectFault(memory, 0, 'read', 'not-present');
		assert.deepEqual([memory.ld32s(HEAP), memory.ld32s(HEAP + PAGE_SIZE), memory.ld32s(STACK_PAGE)], [2, 20, 30]);
		assert.deepEqual(memory.protection(HEAP + PAGE_SIZE), RW);
		memory.st32(HEAP, 3);

		memory.restore(first);
		assert.deepEqual([memory.ld32s(HEAP), memory.ld32s(HEAP + PAGE_SIZE)], [1, 0], 'writes after the first restore are gone');
		memory.restore(second);
		assert.equal(memory.ld32s(HEAP), 2);
		memory.fault = null;
		assert.throws(() => new FlatMemory().restore(first), /not a snapshot of this memory/);
	});

	it('restore invalidates the last-page caches', () => {
		const memory = new FlatMemory();
		memory.map(HEAP, PAGE_SIZE, RW);
		memory.st32(HEAP, 1);
		const s = memory.snapshot();
		memory.st32(HEAP, 2);
		assert.equal(memory.ld32s(HEAP), 2);
		memory.restore(s);
		assert.equal(memory.ld32s(HEAP), 1, 'read cache');
		memory.st32(HEAP, 5);
		memory.restore(s);
		memory.st32(HEAP + 4, 6);
		assert.deepEqual([memory.ld32s(HEAP), memory.ld32s(HEAP + 4)], [1, 6], 'write cache');
	});

	it('after a snapshot, every page written before it is copied before its first write', () => {
		const memory = new FlatMemory();
		memory.map(HEAP, 4 * PAGE_SIZE, RW);
		for (let page = 0; page < 4; page++) memory.st32(HEAP + page * PAGE_SIZE, page + 1);
		const s = memory.snapshot();
		// Pages of one leaf, written in an order that defeats the write cache.
		for (const page of [2, 0, 3, 1, 2]) memory.st32(HEAP + page * PAGE_SIZE, -1);
		memory.restore(s);
		assert.deepEqual([0, 1, 2, 3].map((page) => memory.ld32s(HEAP + page * PAGE_SIZE)), [1, 2, 3, 4]);
		assert.equal(memory.stats().copiedPages, 4);
	});

	it('TLB entries (not only the last page) follow copy-on-write copies and zero-fill releases', () => {
		const memory = new FlatMemory();
		memory.map(HEAP, 2 * PAGE_SIZE, RW);
		const [a, b] = [HEAP, HEAP + PAGE_SIZE];
		memory.st32(a, 1);
		memory.st32(b, 2);
		// Both pages are in the read and write TLBs; b is the last page read and written.
		assert.deepEqual([memory.ld32s(a), memory.ld32s(b)], [1, 2]);
		const s = memory.snapshot();
		memory.st32(b, 20);
		memory.st32(a, 10);
		memory.st32(b + 4, 21);
		assert.deepEqual([memory.ld32s(a), memory.ld32s(b), memory.ld32s(b + 4)], [10, 20, 21]);
		memory.ld32s(b);
		memory.fill(a, 0, PAGE_SIZE);
		assert.equal(memory.ld32s(a), 0, 'read TLB entry of a released page');
		memory.st32(b, 22);
		memory.st32(a + 8, 11);
		assert.deepEqual([memory.ld32s(a), memory.ld32s(a + 8)], [0, 11], 'write TLB entry of a released page');
		memory.restore(s);
		assert.deepEqual([memory.ld32s(a), memory.ld32s(b), memory.ld32s(b + 4)], [1, 2, 0]);
	});

	it('a read-cached page follows its copy-on-write copy', () => {
		const memory = new FlatMemory();
		memory.map(HEAP, PAGE_SIZE, RW);
		memory.st32(HEAP, 1);
		assert.equal(memory.ld32s(HEAP), 1);
		const s = memory.snapshot();
		memory.st32(HEAP, 2);
		assert.equal(memory.ld32s(HEAP), 2);
		assert.equal(memory.stats().copiedPages, 1);
		memory.restore(s);
		assert.equal(memory.ld32s(HEAP), 1);
	});

	it('snapshot and restore are O(1): a thousand snapshots of a large memory stay cheap and independent', () => {
		const memory = new FlatMemory();
		memory.map(HEAP, 64 * 1024 * 1024, RW);
		for (let page = 0; page < 2048; page++) memory.st32(HEAP + page * PAGE_SIZE, page);
		const snapshots: MemorySnapshot[] = [];
		for (let k = 0; k < 1000; k++) {
			snapshots.push(memory.snapshot());
			memory.st32(HEAP + (k % 2048) * PAGE_SIZE, -k);
		}
		assert.ok(memory.stats().copiedPages <= 1000);
		memory.restore(snapshots[500]);
		assert.equal(memory.ld32s(HEAP + 499 * PAGE_SIZE), -499);
		assert.equal(memory.ld32s(HEAP + 500 * PAGE_SIZE), 500);
		memory.restore(snapshots[10]);
		assert.equal(memory.ld32s(HEAP + 499 * PAGE_SIZE), 499);
	});
});

// ---- Model test ----------------------------------------------------------------------------------

/** The pages the model test works on: a few around the heap base and two near the stack top. */
const MODEL_PAGES = [HEAP, HEAP + PAGE_SIZE, HEAP + 2 * PAGE_SIZE, HEAP + 3 * PAGE_SIZE, STACK_PAGE - PAGE_SIZE, STACK_PAGE];
const MODEL_SPAN = 4 * PAGE_SIZE;

/** A simple model: protection per page base, bytes per address (absent = 0). */
interface Model {
	prot: Map<number, PageProtection>;
	bytes: Map<number, number>;
}

function cloneModel(model: Model): Model {
	return { prot: new Map(model.prot), bytes: new Map(model.bytes) };
}

function pageOf(addr: number): number {
	return addr - (addr % PAGE_SIZE);
}

/** The fault the model expects for an access to [addr, addr + length), or null. */
function modelFault(model: Model, addr: number, length: number, access: 'read' | 'write'): [number, MemoryFault['reason']] | null {
	for (let a = addr; a < addr + length; a++) {
		const prot = model.prot.get(pageOf(a));
		if (prot === undefined) return [a, 'not-present'];
		if (!prot[access]) return [a, 'protection'];
	}
	return null;
}

function modelRead(model: Model, addr: number, length: number): number[] {
	const out: number[] = [];
	for (let a = addr; a < addr + length; a++) out.push(model.bytes.get(a) ?? 0);
	return out;
}

function modelWrite(model: Model, addr: number, bytes: ArrayLike<number>): void {
	for (let k = 0; k < bytes.length; k++) model.bytes.set(addr + k, bytes[k]);
}

function modelSetPages(model: Model, first: number, count: number, prot: PageProtection | undefined, zero: boolean): void {
	for (let page = first; page < first + count * PAGE_SIZE; page += PAGE_SIZE) {
		if (prot === undefined) model.prot.delete(page);
		else if (zero || model.prot.has(page)) model.prot.set(page, prot);
		if (zero || prot === undefined) for (let a = page; a < page + PAGE_SIZE; a++) model.bytes.delete(a);
	}
}

type Op =
	| { kind: 'store'; access: number; addr: number; value: number }
	| { kind: 'load'; access: number; addr: number }
	| { kind: 'copy'; dst: number; src: number; length: number }
	| { kind: 'fill'; dst: number; byte: number; length: number }
	| { kind: 'write'; addr: number; bytes: number[] }
	| { kind: 'read'; addr: number; length: number }
	| { kind: 'map' | 'protect'; page: number; count: number; prot: PageProtection }
	| { kind: 'unmap'; page: number; count: number }
	| { kind: 'snapshot' }
	| { kind: 'restore'; which: number };

const modelAddress = fc.oneof(
	fc.integer({ min: HEAP - 8, max: HEAP + MODEL_SPAN + 8 }),
	// Near page boundaries, where accesses straddle pages.
	fc.tuple(fc.integer({ min: 0, max: 4 }), fc.integer({ min: -9, max: 9 })).map(([page, delta]) => HEAP + page * PAGE_SIZE + delta),
	fc.integer({ min: STACK_PAGE - PAGE_SIZE - 8, max: STACK_PAGE + PAGE_SIZE + 8 }),
	fc.integer({ min: -9, max: 9 }).map((delta) => STACK_PAGE + delta),
);
const protection = fc.constantFrom(RW, RW, RO, NONE, { read: false, write: true });

const operation: fc.Arbitrary<Op> = fc.oneof(
	{ weight: 6, arbitrary: fc.record({ kind: fc.constant('store' as const), access: fc.integer({ min: 0, max: ACCESSES.length - 1 }), addr: modelAddress, value: fc.integer() }) },
	{ weight: 6, arbitrary: fc.record({ kind: fc.constant('load' as const), access: fc.integer({ min: 0, max: ACCESSES.length - 1 }), addr: modelAddress }) },
	{ weight: 2, arbitrary: fc.record({ kind: fc.constant('copy' as const), dst: modelAddress, src: modelAddress, length: fc.integer({ min: 0, max: 2 * PAGE_SIZE + 10 }) }) },
	{ weight: 2, arbitrary: fc.record({ kind: fc.constant('fill' as const), dst: modelAddress, byte: fc.constantFrom(0, 0, 0xab, 0x1ff), length: fc.integer({ min: 0, max: 2 * PAGE_SIZE + 10 }) }) },
	{ weight: 1, arbitrary: fc.record({ kind: fc.constant('write' as const), addr: modelAddress, bytes: fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 40 }) }) },
	{ weight: 1, arbitrary: fc.record({ kind: fc.constant('read' as const), addr: modelAddress, length: fc.integer({ min: 0, max: PAGE_SIZE + 20 }) }) },
	{ weight: 1, arbitrary: fc.record({ kind: fc.constantFrom('map' as const, 'protect' as const), page: fc.integer({ min: 0, max: MODEL_PAGES.length - 1 }), count: fc.integer({ min: 1, max: 2 }), prot: protection }) },
	{ weight: 1, arbitrary: fc.record({ kind: fc.constant('unmap' as const), page: fc.integer({ min: 0, max: MODEL_PAGES.length - 1 }), count: fc.integer({ min: 1, max: 2 }) }) },
	{ weight: 3, arbitrary: fc.constant({ kind: 'snapshot' as const }) },
	{ weight: 3, arbitrary: fc.record({ kind: fc.constant('restore' as const), which: fc.nat() }) },
);

/** Runs `ops` on a FlatMemory and on the model, comparing every result and fault. */
function runModel(ops: Op[]): void {
	const memory = new FlatMemory();
	let model: Model = { prot: new Map(), bytes: new Map() };
	const snapshots: [MemorySnapshot, Model][] = [];
	const start = (page: number) => MODEL_PAGES[page];
	// Pages beyond the listed ones (count 2 from the last heap page) are real neighbours too.
	const initial = [RW, RW, RO, RW, RW, RW];
	initial.forEach((prot, k) => {
		memory.map(MODEL_PAGES[k], PAGE_SIZE, prot);
		modelSetPages(model, MODEL_PAGES[k], 1, prot, true);
	});

	const check = (expected: [number, MemoryFault['reason']] | null, access: 'read' | 'write', what: string) => {
		if (expected === null) assert.equal(memory.fault, null, `${what}: unexpected fault ${JSON.stringify(memory.fault)}`);
		else {
			assert.ok(memory.fault !== null, `${what}: expected a fault`);
			assert.deepEqual([memory.fault.address, memory.fault.access, memory.fault.reason], [expected[0], access, expected[1]], what);
		}
		memory.fault = null;
	};

	/** Compares mappings and the contents of every readable page with the model. */
	const verifyAll = (when: string) => {
		for (const first of MODEL_PAGES) {
			for (const page of [first, first + PAGE_SIZE]) {
				const prot = model.prot.get(page);
				assert.deepEqual(memory.protection(page), prot ?? null, `${when}: protection of ${page.toString(16)}`);
				if (!prot?.read) continue;
				const actual = memory.read(page, PAGE_SIZE) as Uint8Array;
				for (let k = 0; k < PAGE_SIZE; k++) {
					if (actual[k] !== (model.bytes.get(page + k) ?? 0)) assert.fail(`${when}: byte at ${(page + k).toString(16)} is ${actual[k]}, expected ${model.bytes.get(page + k) ?? 0}`);
				}
			}
		}
		assert.equal(memory.stats().mappedBytes, model.prot.size * PAGE_SIZE, `${when}: mapped bytes`);
	};

	for (const op of ops) {
		const what = JSON.stringify(op);
		switch (op.kind) {
			case 'store': {
				const access = ACCESSES[op.access];
				const float = access.name.includes('f');
				// 64-bit integers: spread the bits over the whole range (bigints and numbers, both signs).
				const value: Value = float ? op.value / 7 : access.size === 8 ? canonical(BigInt.asIntN(64, BigInt(op.value) * 0x123456789abn)) : op.value;
				access.store(memory, op.addr, value);
				const fault = modelFault(model, op.addr, access.size, 'write');
				check(fault, 'write', what);
				if (fault === null) modelWrite(model, op.addr, access.encode(value));
				break;
			}
			case 'load': {
				const access = ACCESSES[op.access];
				const actual = access.load(memory, op.addr);
				const fault = modelFault(model, op.addr, access.size, 'read');
				check(fault, 'read', what);
				const expected = fault === null ? access.decode(modelRead(model, op.addr, access.size)) : 0;
				assert.ok(Object.is(actual, expected), `${what}: loaded ${String(actual)}, expected ${String(expected)}`);
				break;
			}
			case 'copy': {
				memory.copy(op.dst, op.src, op.length);
				// The source is checked first, then the destination.
				const readFault = op.length === 0 ? null : modelFault(model, op.src, op.length, 'read');
				const writeFault = op.length === 0 || readFault !== null ? null : modelFault(model, op.dst, op.length, 'write');
				check(readFault ?? writeFault, readFault !== null ? 'read' : 'write', what);
				if (readFault === null && writeFault === null) modelWrite(model, op.dst, modelRead(model, op.src, op.length));
				break;
			}
			case 'fill': {
				memory.fill(op.dst, op.byte, op.length);
				const fault = op.length === 0 ? null : modelFault(model, op.dst, op.length, 'write');
				check(fault, 'write', what);
				if (fault === null) modelWrite(model, op.dst, new Array<number>(op.length).fill(op.byte & 0xff));
				break;
			}
			case 'write': {
				memory.write(op.addr, Uint8Array.from(op.bytes));
				const fault = op.bytes.length === 0 ? null : modelFault(model, op.addr, op.bytes.length, 'write');
				check(fault, 'write', what);
				if (fault === null) modelWrite(model, op.addr, op.bytes);
				break;
			}
			case 'read': {
				const actual = memory.read(op.addr, op.length);
				const fault = op.length === 0 ? null : modelFault(model, op.addr, op.length, 'read');
				check(fault, 'read', what);
				assert.deepEqual(actual === null ? null : [...actual], fault === null ? modelRead(model, op.addr, op.length) : null, what);
				break;
			}
			case 'map':
				memory.map(start(op.page), op.count * PAGE_SIZE, op.prot);
				modelSetPages(model, start(op.page), op.count, op.prot, true);
				break;
			case 'protect': {
				const complete = memory.protect(start(op.page), op.count * PAGE_SIZE, op.prot);
				let expected = true;
				for (let k = 0; k < op.count; k++) if (!model.prot.has(start(op.page) + k * PAGE_SIZE)) expected = false;
				assert.equal(complete, expected, what);
				modelSetPages(model, start(op.page), op.count, op.prot, false);
				break;
			}
			case 'unmap':
				memory.unmap(start(op.page), op.count * PAGE_SIZE);
				modelSetPages(model, start(op.page), op.count, undefined, true);
				break;
			case 'snapshot':
				snapshots.push([memory.snapshot(), cloneModel(model)]);
				break;
			case 'restore':
				if (snapshots.length === 0) break;
				{
					const [snapshot, saved] = snapshots[op.which % snapshots.length];
					memory.restore(snapshot);
					model = cloneModel(saved);
					verifyAll(`after ${what}`);
				}
				break;
		}
	}
	verifyAll('at the end');
}

describe('FlatMemory: model test', () => {
	it('random sequences of accesses, block operations, mapping changes, snapshots and restores match a byte map', () => {
		fc.assert(fc.property(fc.array(operation, { minLength: 1, maxLength: 80 }), runModel), { numRuns: 500 });
	});
});
