// The KC memory manager's boot and page allocator, run on the KC CPU: memblock, mem_map, the buddy
// allocator's splitting and merging (seen through nr_free_pages and the free lists), exhaustion,
// zeroing, trace events, bad-page reports, and kmalloc/kfree over it.

import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { intToPtr } from '../../../../src/interp/values';
import { profiles } from '../../../../src/sim/profiles';
import { KernelMachine } from './kernelHarness';

const RAM = 8 << 20;
const RESERVED = 1 << 20;
/** struct page is 80 bytes: mem_map for 2048 frames takes 40 pages at the top of RAM (memblock is top-down). */
const MEM_MAP_PAGES = 40;
const FREE_AFTER_BOOT = RAM / 4096 - RESERVED / 4096 - MEM_MAP_PAGES;

/** nr_free per order, as an object of the non-empty orders. */
function freeLists(m: KernelMachine): Record<number, number> {
	const shape: Record<number, number> = {};
	const orders = m.num('test_nr_orders');
	for (let order = 0; order < orders; order++) {
		const n = m.num('test_nr_free', order);
		if (n !== 0) shape[order] = n;
	}
	return shape;
}

function booted(profile = 'linux-6.8'): KernelMachine {
	const m = new KernelMachine({ profile, ramBytes: RAM });
	m.boot(RESERVED);
	return m;
}

describe('KC kernel: boot and the buddy allocator', function () {
	this.timeout(60000);

	it('boot sizes mem_map from memblock and frees every unreserved frame', () => {
		const m = booted();
		assert.equal(m.num('test_max_mapnr'), RAM / 4096);
		assert.equal(m.num('test_mem_map_phys'), RAM - MEM_MAP_PAGES * 4096);
		assert.equal(m.num('nr_free_pages'), FREE_AFTER_BOOT);
		assert.equal(m.num('test_managed_pages'), FREE_AFTER_BOOT);
		assert.equal(m.num('test_check_buddy'), FREE_AFTER_BOOT);
		// [256, 2008) in naturally aligned blocks: 256+256 (o8), 512 (o9), 1024 (o9), 1536 (o8),
		// 1792 (o7), 1920 (o6), 1984 (o4), 2000 (o3).
		assert.deepEqual(freeLists(m), { 3: 1, 4: 1, 6: 1, 7: 1, 8: 2, 9: 2 });
		assert.match(m.log.text(), /^Memory: 7008K\/8192K available\n$/);
		// Reserved frames and mem_map's own frames stay reserved, with their boot reference.
		const reserved = m.call('test_pfn_to_page', 0)!;
		assert.equal(m.num('test_page_count', reserved), 1);
		assert.equal(m.num('test_pfn_valid', RAM / 4096 - 1), 1);
		assert.equal(m.num('test_pfn_valid', RAM / 4096), 0);
	});

	it('splits the smallest block on allocation and merges buddies back on free', () => {
		const m = booted();
		const initial = freeLists(m);
		const page = m.call('test_alloc', 0)!;
		assert.equal(m.num('test_pfn', page), 2000);
		assert.equal(m.num('test_page_count', page), 1);
		assert.equal(m.num('test_page_mapcount', page), 0);
		// The order-3 block at 2000 was split: 2001 (o0), 2002 (o1), 2004 (o2) are free.
		assert.deepEqual(freeLists(m), { 0: 1, 1: 1, 2: 1, 4: 1, 6: 1, 7: 1, 8: 2, 9: 2 });
		assert.equal(m.num('nr_free_pages'), FREE_AFTER_BOOT - 1);
		const buddy = m.call('test_alloc', 0)!;
		assert.equal(m.num('test_pfn', buddy), 2001);
		assert.equal(m.num('test_check_buddy'), FREE_AFTER_BOOT - 2);
		m.call('test_free', page, 0);
		assert.equal(m.num('test_check_buddy'), FREE_AFTER_BOOT - 1);
		m.call('test_free', buddy, 0);
		assert.deepEqual(freeLists(m), initial);
		assert.equal(m.num('nr_free_pages'), FREE_AFTER_BOOT);
	});

	it('hands out naturally aligned blocks of every order', () => {
		const m = booted();
		for (const order of [1, 2, 5, 9]) {
			const page = m.call('test_alloc', order)!;
			assert.notEqual(page, 0);
			assert.equal(m.num('test_pfn', page) % (1 << order), 0, `order ${order}`);
			m.call('test_free', page, order);
		}
		assert.equal(m.num('test_check_buddy'), FREE_AFTER_BOOT);
		// Larger than any block: NULL, with one warning.
		assert.equal(m.call('test_alloc_warn', 11), 0);
		assert.equal(m.call('test_alloc_warn', 12), 0);
		assert.equal(m.log.text().match(/WARNING: CPU: 0 PID: T100 at mm\/page_alloc\.c:\d+ alloc_pages/g)?.length, 1);
	});

	it('exhausting memory returns NULL, and freeing everything restores the free lists', () => {
		const m = booted();
		const initial = freeLists(m);
		const pages: number[] = [];
		for (;;) {
			const page = Number(m.call('test_alloc', 0));
			if (page === 0) break;
			pages.push(page);
		}
		assert.equal(pages.length, FREE_AFTER_BOOT);
		assert.equal(new Set(pages).size, pages.length);
		assert.equal(m.num('nr_free_pages'), 0);
		assert.equal(m.num('test_check_buddy'), 0);
		assert.equal(m.call('test_alloc_warn', 0), 0);
		assert.match(m.log.text(), /page allocation failure: order:0, mode:0xcc0\n/);
		for (const page of pages) m.call('test_free', page, 0);
		assert.equal(m.num('test_check_buddy'), FREE_AFTER_BOOT);
		assert.deepEqual(freeLists(m), initial);
	});

	it('__GFP_ZERO and get_zeroed_page return zeroed memory', () => {
		const m = booted();
		const page = m.call('test_alloc', 0)!;
		const address = m.call('test_page_address', page)!;
		m.call('test_fill', address, 0xaa, 4096);
		m.call('test_free', page, 0);
		// The free list is LIFO: the same frame comes back, and must be cleared.
		const again = m.call('test_alloc_zeroed', 0)!;
		assert.equal(again, page);
		assert.equal(m.num('test_all', address, 0, 4096), 1);
		m.call('test_fill', address, 0x55, 4096);
		m.call('test_free', again, 0);
		// An unsigned long in the direct map: the canonical 0xffff888... form.
		const zeroed = m.call('test_get_zeroed_page')!;
		assert.equal(typeof zeroed, 'bigint');
		assert.equal(intToPtr(zeroed), address);
		assert.equal(m.num('test_all', address, 0, 4096), 1);
		m.call('test_free_page', zeroed);
		assert.equal(m.num('test_check_buddy'), FREE_AFTER_BOOT);
	});

	it('reports pageAlloc and pageFree trace events with the PFN and order', () => {
		const m = booted();
		m.events.clear();
		const page = m.call('test_alloc', 2)!;
		const pfn = m.num('test_pfn', page);
		m.call('test_free', page, 2);
		assert.deepEqual(m.events.events.map(e => (e.kind === 'pageAlloc' || e.kind === 'pageFree' ? [e.kind, e.pfn, e.order] : [e.kind])), [
			['pageAlloc', pfn, 2],
			['pageFree', pfn, 2],
		]);
	});

	it('page references: the last put_page frees the page', () => {
		const m = booted();
		const page = m.call('test_alloc', 0)!;
		m.call('test_get_page', page);
		assert.equal(m.num('test_page_count', page), 2);
		m.call('test_put_page', page);
		assert.equal(m.num('nr_free_pages'), FREE_AFTER_BOOT - 1);
		m.call('test_put_page', page);
		assert.equal(m.num('nr_free_pages'), FREE_AFTER_BOOT);
	});

	it('freeing a reserved frame is a Bad page state report and leaks the frame', () => {
		const m = booted();
		const reserved = m.call('test_pfn_to_page', 5)!;
		m.call('test_free', reserved, 0);
		const log = m.log.text();
		assert.match(log, /BUG: Bad page state: pfn:00005\n/);
		assert.match(log, /page dumped because: PAGE_FLAGS_CHECK flag\(s\) set\n/);
		assert.equal(m.num('test_check_buddy'), FREE_AFTER_BOOT);
	});

	it('keeps the buddy invariants under random allocation and freeing', () => {
		const m = booted();
		const initial = freeLists(m);
		const op = fc.oneof(
			fc.record({ kind: fc.constant('alloc' as const), order: fc.integer({ min: 0, max: 4 }) }),
			fc.record({ kind: fc.constant('free' as const), index: fc.nat() }),
		);
		fc.assert(
			fc.property(fc.array(op, { maxLength: 25 }), ops => {
				const held: { page: number; order: number }[] = [];
				let expectedFree = FREE_AFTER_BOOT;
				for (const o of ops) {
					if (o.kind === 'alloc') {
						const page = Number(m.call('test_alloc', o.order));
						assert.notEqual(page, 0);
						assert.equal(m.num('test_pfn', page) % (1 << o.order), 0);
						held.push({ page, order: o.order });
						expectedFree -= 1 << o.order;
					} else if (held.length > 0) {
						const [h] = held.splice(o.index % held.length, 1);
						m.call('test_free', h.page, h.order);
						expectedFree += 1 << h.order;
					}
					assert.equal(m.num('test_check_buddy'), expectedFree);
				}
				for (const h of held) m.call('test_free', h.page, h.order);
				assert.deepEqual(freeLists(m), initial);
			}),
			{ numRuns: 15, seed: 42 },
		);
	});

	for (const profile of profiles.filter(p => p.os === 'linux')) {
		it(`${profile.name}: boots and allocates`, () => {
			const m = booted(profile.name);
			assert.equal(m.num('test_check_buddy'), FREE_AFTER_BOOT);
			const page = m.call('test_alloc', 3)!;
			assert.equal(m.num('test_page_count', page), 1);
			m.call('test_free', page, 3);
			assert.equal(m.num('test_check_buddy'), FREE_AFTER_BOOT);
		});
	}
});

describe('KC kernel: kmalloc', function () {
	this.timeout(60000);

	it('serves small sizes from size classes and large ones from pages; kfree returns everything', () => {
		const m = booted();
		const sizes = [1, 8, 9, 24, 64, 96, 100, 192, 500, 1024, 2048, 2049, 5000, 20000];
		const objects = sizes.map(size => ({ size, p: Number(m.call('test_kmalloc', size)) }));
		for (const { size, p } of objects) {
			assert.notEqual(p, 0, `kmalloc(${size})`);
			assert.ok(m.num('ksize', p) >= size, `ksize for ${size}`);
			m.call('test_fill', p, 0x77, size);
		}
		// No two allocations overlap.
		const ranges = objects.map(o => [o.p, o.p + m.num('ksize', o.p)]).sort((a, b) => a[0] - b[0]);
		for (let i = 1; i < ranges.length; i++) assert.ok(ranges[i][0] >= ranges[i - 1][1]);
		// The class sizes Linux has: 96 and 192 are classes of their own.
		assert.equal(m.num('ksize', objects[5].p), 96);
		assert.equal(m.num('ksize', objects[7].p), 192);
		assert.equal(m.num('ksize', objects[11].p), 4096);
		for (const { size, p } of objects) {
			assert.equal(m.num('test_all', p, 0x77, size), 1);
			m.call('kfree', p);
		}
		assert.equal(m.num('test_check_buddy'), FREE_AFTER_BOOT);
	});

	it('kzalloc zeroes, kmalloc(0) is ZERO_SIZE_PTR, kfree(NULL) does nothing', () => {
		const m = booted();
		const a = m.call('test_kmalloc', 200)!;
		m.call('test_fill', a, 0xee, 200);
		m.call('kfree', a);
		const b = m.call('test_kzalloc', 200)!;
		assert.equal(b, a);
		assert.equal(m.num('test_all', b, 0, 200), 1);
		m.call('kfree', b);
		assert.equal(m.call('test_kmalloc', 0), 16);
		m.call('kfree', 0);
		m.call('kfree', 16);
		assert.equal(m.num('test_check_buddy'), FREE_AFTER_BOOT);
	});

	it('fills slabs before taking new pages, and gives empty slabs back', () => {
		const m = booted();
		const objects: number[] = [];
		for (let i = 0; i < 64; i++) objects.push(Number(m.call('test_kmalloc', 64)));
		// 64 objects of 64 bytes fill exactly one page.
		assert.equal(m.num('nr_free_pages'), FREE_AFTER_BOOT - 1);
		assert.equal(new Set(objects.map(p => Math.floor(p / 4096))).size, 1);
		const extra = m.call('test_kmalloc', 64)!;
		assert.equal(m.num('nr_free_pages'), FREE_AFTER_BOOT - 2);
		m.call('kfree', extra);
		assert.equal(m.num('nr_free_pages'), FREE_AFTER_BOOT - 1);
		for (const p of objects) m.call('kfree', p);
		assert.equal(m.num('nr_free_pages'), FREE_AFTER_BOOT);
	});

	it('kmem_cache_create runs the constructor once per object of each new slab', () => {
		const m = booted();
		const cache = m.call('test_cache_create', 1000, 1)!;
		const a = m.call('test_cache_alloc', cache)!;
		assert.equal(m.num('test_int_at', a), 0x5a5a);
		// 1000-byte objects plus the free pointer: 4 per page, all constructed with the slab.
		assert.equal(m.num('test_ctor_calls'), 4);
		m.call('kmem_cache_free', cache, a);
		m.call('kmem_cache_destroy', cache);
		assert.equal(m.num('test_check_buddy'), FREE_AFTER_BOOT);
	});

	it('kfree of a pointer kmalloc did not return is a warning, not corruption', () => {
		const m = booted();
		const page = m.call('test_alloc', 0)!;
		const address = m.call('test_page_address', page)!;
		m.call('kfree', address);
		assert.match(m.log.text(), /WARNING: CPU: 0 PID: T100 at mm\/slab\.c:\d+ kfree\n/);
		assert.equal(m.num('nr_free_pages'), FREE_AFTER_BOOT - 1);
	});

	it('a double kfree is a kernel BUG', () => {
		const m = booted();
		const p = m.call('test_kmalloc', 32)!;
		m.call('test_kmalloc', 32);
		m.call('kfree', p);
		const { stop } = m.tryCall('kfree', p);
		assert.equal(stop.kind, 'trap');
		assert.match(stop.kind === 'trap' ? stop.message : '', /^kernel BUG at mm\/slab\.c:\d+!$/);
	});
});
