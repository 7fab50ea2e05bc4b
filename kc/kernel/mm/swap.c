/* mm/swap.c (part): dropping page references. Pages are not on LRU lists yet, so the last
 * reference frees an order-0 page straight back to the buddy allocator. */
#include <linux/mm.h>

#include "internal.h"

void put_page(struct page *page)
{
	if (put_page_testzero(page))
		free_the_page(page, 0);
}
