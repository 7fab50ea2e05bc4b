/* <trace/events/kmem.h>: the page allocator's trace points, as pageAlloc/pageFree trace events. */
#ifndef _TRACE_KMEM_H
#define _TRACE_KMEM_H

#include <linux/faultline.h>
#include <asm/page.h>

#define trace_mm_page_alloc(page, order, gfp_flags) __kc_trace_page_alloc(page_to_pfn(page), (order), (gfp_flags))
#define trace_mm_page_free(page, order) __kc_trace_page_free(page_to_pfn(page), (order))

#endif /* _TRACE_KMEM_H */
