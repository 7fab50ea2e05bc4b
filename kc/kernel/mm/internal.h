/* mm/internal.h: interfaces between the files of mm/ that nothing else uses. */
#ifndef __MM_INTERNAL_H
#define __MM_INTERNAL_H

#include <linux/mm.h>

/* Returns 2^order pages whose last reference is gone to the buddy allocator (page_alloc.c). */
void free_the_page(struct page *page, unsigned int order);
/* Boot: frames leaving memblock for the buddy allocator (page_alloc.c). */
void __free_pages_core(struct page *page, unsigned int order);

#endif /* __MM_INTERNAL_H */
