/* mm/swap.c (part): dropping page references, page aging's entry point, and dirtying.
 *
 * Pages are not on LRU lists (there is no reclaim), so the last reference frees an order-0 page
 * straight back to the buddy allocator. An anonymous page keeps page->mapping (its anon_vma) after
 * its last unmap, as page_remove_rmap leaves it; freeing clears it here, as 2.6's
 * free_hot_cold_page and 6.8's free_pages_prepare do, together with PG_anon_exclusive (5.19+). */
#include <linux/mm.h>
#include <linux/pagemap.h>

#include "internal.h"

void put_page(struct page *page)
{
	if (put_page_testzero(page)) {
		if (PageAnon(page)) {
			page->mapping = NULL;
#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 19, 0)
			ClearPageAnonExclusive(page);
#endif
		}
		free_the_page(page, 0);
	}
}

/*
 * The page was used (a zapped young PTE, a read through the page cache). Linux moves it towards the
 * active LRU list (inactive,unreferenced -> inactive,referenced -> active,unreferenced); with no LRU
 * lists here, the first step is all there is: PG_referenced.
 */
void mark_page_accessed(struct page *page)
{
	if (!PageReferenced(page))
		SetPageReferenced(page);
}

/*
 * Marks a page dirty: its contents differ from its backing store and must be written back before
 * it is dropped (Linux: set_page_dirty / folio_mark_dirty in mm/page-writeback.c, a unit Faultline
 * does not have; it lives here with the other page-state entry points). A page of a mapping goes
 * through the mapping's a_ops->set_page_dirty when it has one; anything else (anonymous pages, a
 * mapping without the hook: tmpfs, which has no writeback accounting) just gets PG_dirty. 1 when
 * the page was clean.
 */
int set_page_dirty(struct page *page)
{
	struct address_space *mapping = PageAnon(page) ? NULL : page->mapping;

	if (likely(mapping) && mapping->a_ops && mapping->a_ops->set_page_dirty)
		return mapping->a_ops->set_page_dirty(page);
	if (!PageDirty(page)) {
		if (!TestSetPageDirty(page))
			return 1;
	}
	return 0;
}
