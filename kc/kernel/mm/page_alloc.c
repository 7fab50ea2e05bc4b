/* mm/page_alloc.c: the buddy allocator and the struct page array (Faultline's own code, after the
 * design of Linux's mm/page_alloc.c).
 *
 * Free memory is kept in blocks of 2^order pages, naturally aligned (the block's first PFN is a
 * multiple of 2^order), on per-order free lists of the one zone. Allocation takes a block of the
 * smallest order that has one and splits it, returning the upper halves to the lower lists
 * (expand). Freeing merges a block with its buddy (the block whose PFN differs in bit `order`)
 * while the buddy is free and of the same order, then lists the result (__free_one_page).
 *
 * Invariants (checked by test/unit/kernel/mm):
 * - A free block's first page has PG_buddy set and page->private == its order; no other page of a
 *   free block has PG_buddy. zone->free_pages is the sum of 2^order over the listed blocks.
 * - An allocated block's first page has a reference count of 1, a map count of -1 (unmapped) and
 *   no mapping; pages handed out never have PG_reserved or PG_buddy.
 * - Freeing a page whose state says it is still in use (mapped, referenced, on a list, reserved) is
 *   a "Bad page state" report; the page is then leaked rather than corrupting the free lists. */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/oom.h>
#include <linux/gfp.h>
#include <linux/mmzone.h>
#include <linux/memblock.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <trace/events/kmem.h>
#include "internal.h"

pg_data_t contig_page_data;
unsigned long totalram_pages_count;

static struct zone *the_zone(void)
{
	return &contig_page_data.node_zones[ZONE_NORMAL];
}

/* ---- Boot ---- */

/* Frames of registered RAM below `max_pfn`. */
static unsigned long present_pages_below(unsigned long max_pfn)
{
	unsigned long i, pages = 0;

	for (i = 0; i < memblock.memory.cnt; i++) {
		struct memblock_region *r = &memblock.memory.regions[i];
		unsigned long start = PFN_UP(r->base);
		unsigned long end = min(PFN_DOWN(r->base + r->size), max_pfn);

		if (end > start)
			pages += end - start;
	}
	return pages;
}

void free_area_init(unsigned long max_pfn)
{
	struct zone *zone = the_zone();
	unsigned long pfn;
	unsigned int order;

	/* memblock_alloc returns zeroed memory: only the fields that are not zero are set below. */
	mem_map = memblock_alloc(PAGE_ALIGN(max_pfn * sizeof(struct page)), PAGE_SIZE);
	BUG_ON(!mem_map);
	max_mapnr = max_pfn;
	/* Every frame starts reserved with one reference, as memmap_init does; memblock_free_all()
	 * releases the RAM that is not reserved. Holes in RAM stay reserved forever. */
	for (pfn = 0; pfn < max_pfn; pfn++) {
		struct page *page = &mem_map[pfn];

		page->flags = 1UL << PG_reserved;
		init_page_count(page);
		page_mapcount_reset(page);
		INIT_LIST_HEAD(&page->lru);
	}

	spin_lock_init(&zone->lock);
	zone->name = "Normal";
	zone->zone_start_pfn = 0;
	zone->spanned_pages = max_pfn;
	zone->present_pages = present_pages_below(max_pfn);
	zone->managed_pages = 0;
	zone->free_pages = 0;
	for (order = 0; order < NR_PAGE_ORDERS; order++) {
		INIT_LIST_HEAD(&zone->free_area[order].free_list);
		zone->free_area[order].nr_free = 0;
	}
	contig_page_data.nr_zones = MAX_NR_ZONES;
	contig_page_data.node_mem_map = mem_map;
	contig_page_data.node_start_pfn = 0;
	contig_page_data.node_spanned_pages = max_pfn;
	contig_page_data.node_present_pages = zone->present_pages;
}

void mem_init(void)
{
	struct zone *zone = the_zone();

	totalram_pages_count = memblock_free_all();
	printk(KERN_INFO "Memory: %luK/%luK available\n", nr_free_pages() << (PAGE_SHIFT - 10),
	       zone->present_pages << (PAGE_SHIFT - 10));
}

/* ---- Free lists ---- */

static void set_page_order(struct page *page, unsigned int order)
{
	set_page_private(page, order);
	__SetPageBuddy(page);
}

static void rmv_page_order(struct page *page)
{
	__ClearPageBuddy(page);
	set_page_private(page, 0);
}

/* True when `buddy` is the first page of a free block of exactly `order`. */
static int page_is_buddy(struct page *buddy, unsigned int order)
{
	return PageBuddy(buddy) && page_private(buddy) == order;
}

static int pfn_in_zone(struct zone *zone, unsigned long pfn)
{
	return pfn >= zone->zone_start_pfn && pfn < zone_end_pfn(zone);
}

/* Lists the free block at `pfn` of 2^order pages, merging it with free buddies. Zone lock held. */
static void __free_one_page(struct page *page, unsigned long pfn, struct zone *zone, unsigned int order)
{
	zone->free_pages += 1UL << order;
	while (order < NR_PAGE_ORDERS - 1) {
		unsigned long buddy_pfn = pfn ^ (1UL << order);
		unsigned long combined_pfn;
		struct page *buddy;

		if (!pfn_in_zone(zone, buddy_pfn))
			break;
		buddy = pfn_to_page(buddy_pfn);
		if (!page_is_buddy(buddy, order))
			break;
		list_del(&buddy->lru);
		zone->free_area[order].nr_free--;
		rmv_page_order(buddy);
		combined_pfn = buddy_pfn & pfn;
		page = pfn_to_page(combined_pfn);
		pfn = combined_pfn;
		order++;
	}
	set_page_order(page, order);
	list_add(&page->lru, &zone->free_area[order].free_list);
	zone->free_area[order].nr_free++;
}

/* Puts the upper halves of a block of order `high` on the lists down to order `low`. */
static void expand(struct zone *zone, struct page *page, unsigned int low, unsigned int high)
{
	unsigned long size = 1UL << high;

	while (high > low) {
		high--;
		size >>= 1;
		list_add(&page[size].lru, &zone->free_area[high].free_list);
		zone->free_area[high].nr_free++;
		set_page_order(&page[size], high);
	}
}

/* Takes a block of 2^order pages from the smallest order that has one. Zone lock held. */
static struct page *__rmqueue_smallest(struct zone *zone, unsigned int order)
{
	unsigned int current_order;

	for (current_order = order; current_order < NR_PAGE_ORDERS; current_order++) {
		struct free_area *area = &zone->free_area[current_order];
		struct page *page;

		if (list_empty(&area->free_list))
			continue;
		page = list_first_entry(&area->free_list, struct page, lru);
		list_del(&page->lru);
		rmv_page_order(page);
		area->nr_free--;
		zone->free_pages -= 1UL << order;
		expand(zone, page, order, current_order);
		return page;
	}
	return NULL;
}

/* ---- Checks ---- */

/* Reports a page whose state does not allow what is being done to it, and makes it harmless. */
static void bad_page(struct page *page, const char *reason)
{
	printk(KERN_ALERT "BUG: Bad page state: pfn:%05lx\n", page_to_pfn(page));
	printk(KERN_ALERT "page:%p refcount:%d mapcount:%d mapping:%p index:%#lx flags:%#lx\n",
	       page, page_count(page), page_mapcount(page), page->mapping, page->index, page->flags);
	printk(KERN_ALERT "page dumped because: %s\n", reason);
	dump_stack();
	/* Leave the page in a state that will not report again; it is leaked, as Linux leaks it. */
	page->flags &= ~PAGE_FLAGS_CHECK_AT_PREP;
	page->mapping = NULL;
	page_mapcount_reset(page);
}

static const char *page_bad_reason(struct page *page, unsigned long flags)
{
	if (page_mapcount(page) != 0)
		return "nonzero mapcount";
	if (page->mapping != NULL)
		return "non-NULL mapping";
	if (page_count(page) != 0)
		return "nonzero _refcount";
	if (page->flags & flags)
		return "PAGE_FLAGS_CHECK flag(s) set";
	return NULL;
}

static int free_pages_check(struct page *page)
{
	const char *reason = page_bad_reason(page, PAGE_FLAGS_CHECK_AT_FREE);

	if (reason) {
		bad_page(page, reason);
		return 1;
	}
	if (PageDirty(page))
		__ClearPageDirty(page);
	return 0;
}

static int check_new_page(struct page *page)
{
	const char *reason = page_bad_reason(page, PAGE_FLAGS_CHECK_AT_PREP);

	if (reason) {
		bad_page(page, reason);
		return 1;
	}
	return 0;
}

/* ---- Allocation ---- */

struct page *alloc_pages(gfp_t gfp_mask, unsigned int order)
{
	struct zone *zone = the_zone();
	struct page *page;
	unsigned long i;

	might_sleep_if(gfpflags_allow_blocking(gfp_mask));
	if (order >= NR_PAGE_ORDERS) {
		WARN_ON_ONCE(!(gfp_mask & __GFP_NOWARN));
		return NULL;
	}
retry:
	spin_lock(&zone->lock);
	page = __rmqueue_smallest(zone, order);
	spin_unlock(&zone->lock);
	if (!page) {
		/* No reclaim: a blocking allocation of a small order asks the OOM killer
		 * (__alloc_pages_may_oom), then fails; the caller's retry finds the victim's pages once
		 * it has exited. */
		if (gfpflags_allow_blocking(gfp_mask) && !(gfp_mask & __GFP_NORETRY) && order <= 3 &&
		    out_of_memory(gfp_mask, order))
			return NULL;	/* a victim will free memory: the caller retries */
		if (!(gfp_mask & __GFP_NOWARN))
			printk(KERN_WARNING "page allocation failure: order:%u, mode:%#x\n", order, gfp_mask);
		return NULL;
	}
	for (i = 0; i < (1UL << order); i++) {
		/* A corrupt page is reported, leaked, and the allocation tries again. */
		if (check_new_page(page + i))
			goto retry;
	}
	set_page_private(page, 0);
	set_page_refcounted(page);
	if (gfp_mask & __GFP_ZERO) {
		for (i = 0; i < (1UL << order); i++)
			clear_page(page_address(page + i));
	}
	trace_mm_page_alloc(page, order, gfp_mask);
	return page;
}

unsigned long __get_free_pages(gfp_t gfp_mask, unsigned int order)
{
	struct page *page = alloc_pages(gfp_mask, order);

	if (!page)
		return 0;
	return (unsigned long)page_address(page);
}

unsigned long get_zeroed_page(gfp_t gfp_mask)
{
	return __get_free_pages(gfp_mask | __GFP_ZERO, 0);
}

/* ---- Freeing ---- */

/* Returns 2^order pages whose last reference is gone to the free lists. */
void free_the_page(struct page *page, unsigned int order)
{
	struct zone *zone = page_zone(page);
	unsigned long i;
	int bad = 0;

	for (i = 0; i < (1UL << order); i++)
		bad += free_pages_check(page + i);
	if (bad)
		return;
	trace_mm_page_free(page, order);
	/* Lock objects inside the freed memory must not outlive it (lockdep's check). */
	debug_check_no_locks_freed(page_address(page), PAGE_SIZE << order);
	spin_lock(&zone->lock);
	__free_one_page(page, page_to_pfn(page), zone, order);
	spin_unlock(&zone->lock);
}

void __free_pages(struct page *page, unsigned int order)
{
	if (put_page_testzero(page))
		free_the_page(page, order);
}

void free_pages(unsigned long addr, unsigned int order)
{
	if (addr != 0) {
		VM_BUG_ON(!virt_addr_valid((void *)addr));
		__free_pages(virt_to_page((void *)addr), order);
	}
}

/* Boot: a block of frames leaves memblock (reserved, one reference) for the free lists. */
void __free_pages_core(struct page *page, unsigned int order)
{
	unsigned long nr_pages = 1UL << order;
	unsigned long i;

	for (i = 0; i < nr_pages; i++) {
		__ClearPageReserved(page + i);
		set_page_count(page + i, 0);
	}
	set_page_refcounted(page);
	page_zone(page)->managed_pages += nr_pages;
	__free_pages(page, order);
}

unsigned long nr_free_pages(void)
{
	return the_zone()->free_pages;
}
