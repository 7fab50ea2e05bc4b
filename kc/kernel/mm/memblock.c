/* mm/memblock.c: the boot-time physical memory allocator (Faultline's own, after Linux's memblock).
 *
 * RAM and reservations are two sorted tables of non-overlapping physical ranges. Allocation is
 * top-down: the highest aligned range of RAM that overlaps no reservation, which then becomes a
 * reservation. memblock_free_all() ends the boot phase by giving every RAM frame outside the
 * reservations to the buddy allocator, in the largest aligned blocks that fit. */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/string.h>
#include <linux/memblock.h>
#include <linux/mm.h>
#include "internal.h"

struct memblock memblock = {
	.memory = { .cnt = 0, .max = INIT_MEMBLOCK_REGIONS, .name = "memory" },
	.reserved = { .cnt = 0, .max = INIT_MEMBLOCK_REGIONS, .name = "reserved" },
};

static phys_addr_t region_end(const struct memblock_region *r)
{
	return r->base + r->size;
}

static void memblock_remove_region(struct memblock_type *type, unsigned long i)
{
	unsigned long j;

	for (j = i; j + 1 < type->cnt; j++)
		type->regions[j] = type->regions[j + 1];
	type->cnt--;
}

/* Adds [base, base + size) to `type`, merging it with the ranges it overlaps or touches. */
static int memblock_add_range(struct memblock_type *type, phys_addr_t base, phys_addr_t size)
{
	unsigned long i, at;

	if (size == 0)
		return 0;
	/* The first range that ends at or after the new one's start: the merge candidates follow it. */
	for (at = 0; at < type->cnt && region_end(&type->regions[at]) < base; at++)
		;
	if (at < type->cnt && type->regions[at].base <= base + size) {
		struct memblock_region *r = &type->regions[at];
		phys_addr_t end = max(region_end(r), base + size);

		type->total_size -= r->size;
		r->base = min(r->base, base);
		r->size = end - r->base;
		/* Swallow the following ranges that the grown one now reaches. */
		while (at + 1 < type->cnt && type->regions[at + 1].base <= region_end(r)) {
			struct memblock_region *n = &type->regions[at + 1];

			type->total_size -= n->size;
			end = max(region_end(r), region_end(n));
			r->size = end - r->base;
			memblock_remove_region(type, at + 1);
		}
		type->total_size += r->size;
		return 0;
	}
	if (type->cnt >= type->max)
		return -ENOMEM;
	for (i = type->cnt; i > at; i--)
		type->regions[i] = type->regions[i - 1];
	type->regions[at].base = base;
	type->regions[at].size = size;
	type->cnt++;
	type->total_size += size;
	return 0;
}

int memblock_add(phys_addr_t base, phys_addr_t size)
{
	return memblock_add_range(&memblock.memory, base, size);
}

int memblock_reserve(phys_addr_t base, phys_addr_t size)
{
	return memblock_add_range(&memblock.reserved, base, size);
}

/* The reservation overlapping [base, base + size), or NULL. */
static struct memblock_region *memblock_overlap(phys_addr_t base, phys_addr_t size)
{
	unsigned long i;

	for (i = 0; i < memblock.reserved.cnt; i++) {
		struct memblock_region *r = &memblock.reserved.regions[i];

		if (r->base < base + size && base < region_end(r))
			return r;
	}
	return NULL;
}

int memblock_is_region_reserved(phys_addr_t base, phys_addr_t size)
{
	return memblock_overlap(base, size) != NULL;
}

int memblock_is_region_memory(phys_addr_t base, phys_addr_t size)
{
	unsigned long i;

	for (i = 0; i < memblock.memory.cnt; i++) {
		struct memblock_region *r = &memblock.memory.regions[i];

		if (r->base <= base && base + size <= region_end(r))
			return 1;
	}
	return 0;
}

phys_addr_t memblock_phys_alloc(phys_addr_t size, phys_addr_t align)
{
	unsigned long i;

	if (size == 0)
		return 0;
	if (align == 0)
		align = PAGE_SIZE;
	size = ALIGN(size, align);
	for (i = memblock.memory.cnt; i-- > 0;) {
		struct memblock_region *m = &memblock.memory.regions[i];
		/* Physical address 0 means failure, so the first page is never handed out. */
		phys_addr_t low = max(m->base, (phys_addr_t)PAGE_SIZE);
		phys_addr_t candidate;

		if (m->size < size || region_end(m) - size < low)
			continue;
		candidate = round_down(region_end(m) - size, align);
		while (candidate >= low) {
			struct memblock_region *r = memblock_overlap(candidate, size);

			if (!r) {
				if (memblock_reserve(candidate, size))
					return 0;
				return candidate;
			}
			/* Try just below the reservation in the way. */
			if (r->base < low + size)
				break;
			candidate = round_down(r->base - size, align);
		}
	}
	return 0;
}

void *memblock_alloc(phys_addr_t size, phys_addr_t align)
{
	phys_addr_t phys = memblock_phys_alloc(size, align);

	if (!phys)
		return NULL;
	memset(__va(phys), 0, size);
	return __va(phys);
}

phys_addr_t memblock_start_of_DRAM(void)
{
	return memblock.memory.cnt ? memblock.memory.regions[0].base : 0;
}

phys_addr_t memblock_end_of_DRAM(void)
{
	return memblock.memory.cnt ? region_end(&memblock.memory.regions[memblock.memory.cnt - 1]) : 0;
}

/* Frees the frames [start_pfn, end_pfn) in the largest naturally aligned blocks that fit. */
static unsigned long __free_pages_memory(unsigned long start_pfn, unsigned long end_pfn)
{
	unsigned long freed = 0;

	while (start_pfn < end_pfn) {
		unsigned int order = NR_PAGE_ORDERS - 1;

		if (start_pfn != 0)
			order = min_t(unsigned int, order, __ffs(start_pfn));
		while (start_pfn + (1UL << order) > end_pfn)
			order--;
		__free_pages_core(pfn_to_page(start_pfn), order);
		freed += 1UL << order;
		start_pfn += 1UL << order;
	}
	return freed;
}

static unsigned long free_range(phys_addr_t start, phys_addr_t end)
{
	unsigned long start_pfn = PFN_UP(start);
	unsigned long end_pfn = min(PFN_DOWN(end), max_mapnr);

	if (start_pfn >= end_pfn)
		return 0;
	return __free_pages_memory(start_pfn, end_pfn);
}

unsigned long memblock_free_all(void)
{
	unsigned long i, j, freed = 0;

	for (i = 0; i < memblock.memory.cnt; i++) {
		struct memblock_region *m = &memblock.memory.regions[i];
		phys_addr_t cur = m->base;

		/* The parts of this RAM range between reservations (both tables are sorted). */
		for (j = 0; j < memblock.reserved.cnt; j++) {
			struct memblock_region *r = &memblock.reserved.regions[j];

			if (region_end(r) <= cur)
				continue;
			if (r->base >= region_end(m))
				break;
			if (r->base > cur)
				freed += free_range(cur, r->base);
			cur = max(cur, region_end(r));
		}
		if (cur < region_end(m))
			freed += free_range(cur, region_end(m));
	}
	return freed;
}
