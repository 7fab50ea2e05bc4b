// Unit tests of the x86-64 paging format helpers (layer: kernel, hardware): address split, Linux bit
// names, entry encoding and decoding, cache modes through the PAT.

import assert from 'node:assert/strict';
import {
	LINUX_2_6_PAT, LINUX_PAT, POWER_ON_PAT, PTE_PFN_MASK, _PAGE_ACCESSED, _PAGE_BIT_DEVMAP, _PAGE_BIT_NX, _PAGE_BIT_SOFT_DIRTY, _PAGE_BIT_SPECIAL,
	_PAGE_DIRTY, _PAGE_GLOBAL, _PAGE_NX, _PAGE_PAT, _PAGE_PAT_LARGE, _PAGE_PCD, _PAGE_PRESENT, _PAGE_PSE, _PAGE_PWT, _PAGE_RW, _PAGE_SPECIAL, _PAGE_USER,
	cacheModeBits, cacheModeOf, decodePte, encodePte, isCacheable, pdIndex, pdptIndex, pml4Index, pteHigh, pteLow, pteToBigInt, ptIndex, type CacheMode,
} from '../../../../src/kernel/hw/pageTable';

describe('kernel/hw/pageTable', () => {
	it('splits a 48-bit virtual address into the four table indices', () => {
		// 0x7f12_3456_7000: a typical user mmap address.
		const va = 0x7f1234567000;
		assert.equal(pml4Index(va), Number((BigInt(va) >> 39n) & 511n));
		assert.equal(pdptIndex(va), Number((BigInt(va) >> 30n) & 511n));
		assert.equal(pdIndex(va), Number((BigInt(va) >> 21n) & 511n));
		assert.equal(ptIndex(va), Number((BigInt(va) >> 12n) & 511n));
		// The Linux 4-level direct map starts at 0xffff888000000000: PML4 slot 273.
		assert.equal(pml4Index(0x888000000000), 273);
		assert.equal(pml4Index(0xffffffffffff), 511);
		assert.equal(ptIndex(0xffffffffffff), 511);
	});

	it('names the entry bits as Linux does', () => {
		assert.deepEqual(
			[_PAGE_PRESENT, _PAGE_RW, _PAGE_USER, _PAGE_PWT, _PAGE_PCD, _PAGE_ACCESSED, _PAGE_DIRTY, _PAGE_PSE, _PAGE_PAT, _PAGE_GLOBAL, _PAGE_SPECIAL, _PAGE_PAT_LARGE],
			[0x1, 0x2, 0x4, 0x8, 0x10, 0x20, 0x40, 0x80, 0x80, 0x100, 0x200, 0x1000],
		);
		assert.equal(_PAGE_BIT_SPECIAL, 9);
		assert.equal(_PAGE_BIT_SOFT_DIRTY, 11);
		assert.equal(_PAGE_BIT_DEVMAP, 57);
		assert.equal(_PAGE_BIT_NX, 63);
		assert.equal(_PAGE_NX, 0x8000000000000000n);
		assert.equal(PTE_PFN_MASK, 0x000ffffffffff000n);
	});

	it('encodes and decodes entries', () => {
		const pte = encodePte({ physicalAddress: 0x12345000, writable: true, user: true, accessed: true, dirty: true, nx: true, special: true });
		assert.equal(pteToBigInt(pte), 0x8000000012345000n | 0x267n);
		assert.equal(pteLow(pte), 0x12345267);
		assert.equal(pteHigh(pte), 0x80000000);
		const d = decodePte(pte, 1);
		assert.equal(d.present, true);
		assert.equal(d.writable, true);
		assert.equal(d.user, true);
		assert.equal(d.accessed, true);
		assert.equal(d.dirty, true);
		assert.equal(d.special, true);
		assert.equal(d.nx, true);
		assert.equal(d.global, false);
		assert.equal(d.leaf, true);
		assert.equal(d.pfn, 0x12345);
		assert.equal(d.pageSize, 4096);
		assert.equal(d.cacheMode, 'WB');
		assert.equal(d.flags, 'P RW US A D SPECIAL NX');
		assert.equal(decodePte(0, 1).flags, 'none');

		const large = encodePte({ physicalAddress: 0x40000000, writable: true, global: true, large: true, cacheMode: 'WC' }, 2);
		const dl = decodePte(large, 2);
		assert.equal(dl.large, true);
		assert.equal(dl.leaf, true);
		assert.equal(dl.pageSize, 2 * 1024 * 1024);
		assert.equal(dl.cacheMode, 'WC');
		assert.equal(dl.global, true);
		// A table pointer at level 2 has no cache mode and no page size.
		const table = decodePte(0x5000 | _PAGE_PRESENT | _PAGE_RW, 2);
		assert.equal(table.leaf, false);
		assert.equal(table.cacheMode, null);
		assert.equal(table.physicalAddress, 0x5000);
		// Reserved bits: above MAXPHYADDR (bit 46), and inside a large page's address.
		assert.equal(decodePte(0x0000400000000001n, 1).reservedBits, 0x0000400000000000n);
		assert.equal(decodePte(0x40002081, 2).reservedBits, 0x2000n);
		assert.equal(decodePte(0x81, 4).reservedBits, BigInt(_PAGE_PSE));
		assert.throws(() => encodePte({ physicalAddress: 0x1001 }), RangeError);
		assert.throws(() => encodePte({ physicalAddress: 0x1000, large: true }, 2), RangeError);
	});

	it('derives cache modes from PWT, PCD and PAT under the Linux PAT layouts', () => {
		const modes = (pat: readonly CacheMode[], level: 1 | 2): CacheMode[] => [0, _PAGE_PWT, _PAGE_PCD, _PAGE_PCD | _PAGE_PWT].flatMap((low) => [
			cacheModeOf(low, level, pat),
			cacheModeOf(low | (level === 1 ? _PAGE_PAT : _PAGE_PAT_LARGE), level, pat),
		]);
		assert.deepEqual(modes(LINUX_PAT, 1), ['WB', 'WB', 'WC', 'WP', 'UC-', 'UC-', 'UC', 'WT']);
		assert.deepEqual(modes(LINUX_PAT, 2), ['WB', 'WB', 'WC', 'WP', 'UC-', 'UC-', 'UC', 'WT']);
		assert.deepEqual(modes(POWER_ON_PAT, 1), ['WB', 'WB', 'WT', 'WT', 'UC-', 'UC-', 'UC', 'UC']);
		assert.deepEqual(modes(LINUX_2_6_PAT, 1).slice(0, 2), ['WB', 'WB']);
		// _PAGE_CACHE_MODE_* to protection bits, as cachemode2protval.
		assert.equal(cacheModeBits('WC', 1), _PAGE_PWT);
		assert.equal(cacheModeBits('UC-', 1), _PAGE_PCD);
		assert.equal(cacheModeBits('UC', 1), _PAGE_PCD | _PAGE_PWT);
		assert.equal(cacheModeBits('WT', 1), _PAGE_PAT | _PAGE_PCD | _PAGE_PWT);
		assert.equal(cacheModeBits('WT', 2), _PAGE_PAT_LARGE | _PAGE_PCD | _PAGE_PWT);
		assert.equal(cacheModeBits('WC', 1, POWER_ON_PAT), null);
		assert.ok(isCacheable('WB') && isCacheable('WT') && !isCacheable('WC') && !isCacheable('UC-'));
	});
});
