/* <linux/gfp.h>: allocation flags and the page allocator's interface (mm/page_alloc.c).
 *
 * The flag values are those of the era: 2.6.18-2.6.27 (with __GFP_WAIT) before 4.4, and the 6.8
 * values (__GFP_DIRECT_RECLAIM / __GFP_KSWAPD_RECLAIM replace __GFP_WAIT) from 4.4 on. The zone
 * modifiers are accepted and ignored: the simulated machine has one zone (see <linux/mmzone.h>).
 * Allocations that may sleep call might_sleep(), so taking one under a spinlock is reported. */
#ifndef _LINUX_GFP_H
#define _LINUX_GFP_H

#include <linux/types.h>
#include <linux/version.h>
#include <linux/mmzone.h>

struct page;

#if LINUX_VERSION_CODE < KERNEL_VERSION(4, 4, 0)
#define __GFP_DMA ((gfp_t)0x01u)
#define __GFP_HIGHMEM ((gfp_t)0x02u)
#define __GFP_DMA32 ((gfp_t)0x04u)
#define __GFP_WAIT ((gfp_t)0x10u)	/* may sleep */
#define __GFP_HIGH ((gfp_t)0x20u)	/* may use emergency pools */
#define __GFP_IO ((gfp_t)0x40u)
#define __GFP_FS ((gfp_t)0x80u)
#define __GFP_COLD ((gfp_t)0x100u)
#define __GFP_NOWARN ((gfp_t)0x200u)
#define __GFP_REPEAT ((gfp_t)0x400u)
#define __GFP_NOFAIL ((gfp_t)0x800u)
#define __GFP_NORETRY ((gfp_t)0x1000u)
#define __GFP_COMP ((gfp_t)0x4000u)
#define __GFP_ZERO ((gfp_t)0x8000u)	/* return zeroed memory */
#define __GFP_NOMEMALLOC ((gfp_t)0x10000u)
#define __GFP_HARDWALL ((gfp_t)0x20000u)
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 19)
#define __GFP_THISNODE ((gfp_t)0x40000u)
#endif
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 24)
#define __GFP_RECLAIMABLE ((gfp_t)0x80000u)
#define __GFP_MOVABLE ((gfp_t)0x100000u)
#endif

#define GFP_ATOMIC (__GFP_HIGH)
#define GFP_NOWAIT (GFP_ATOMIC & ~__GFP_HIGH)
#define GFP_NOIO (__GFP_WAIT)
#define GFP_NOFS (__GFP_WAIT | __GFP_IO)
#define GFP_KERNEL (__GFP_WAIT | __GFP_IO | __GFP_FS)
#define GFP_USER (__GFP_WAIT | __GFP_IO | __GFP_FS | __GFP_HARDWALL)
#define GFP_HIGHUSER (__GFP_WAIT | __GFP_IO | __GFP_FS | __GFP_HARDWALL | __GFP_HIGHMEM)
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 24)
#define GFP_HIGHUSER_MOVABLE (GFP_HIGHUSER | __GFP_MOVABLE)
#endif

/* The caller may sleep (reclaim): the test every era spells differently. */
#define gfpflags_allow_blocking(gfp) (((gfp) & __GFP_WAIT) != 0)

#else /* 4.4 and later: the 6.8 values */

#define __GFP_DMA ((gfp_t)0x01u)
#define __GFP_HIGHMEM ((gfp_t)0x02u)
#define __GFP_DMA32 ((gfp_t)0x04u)
#define __GFP_MOVABLE ((gfp_t)0x08u)
#define __GFP_RECLAIMABLE ((gfp_t)0x10u)
#define __GFP_HIGH ((gfp_t)0x20u)
#define __GFP_IO ((gfp_t)0x40u)
#define __GFP_FS ((gfp_t)0x80u)
#define __GFP_ZERO ((gfp_t)0x100u)
#define __GFP_DIRECT_RECLAIM ((gfp_t)0x400u)
#define __GFP_KSWAPD_RECLAIM ((gfp_t)0x800u)
#define __GFP_WRITE ((gfp_t)0x1000u)
#define __GFP_NOWARN ((gfp_t)0x2000u)
#define __GFP_RETRY_MAYFAIL ((gfp_t)0x4000u)
#define __GFP_NOFAIL ((gfp_t)0x8000u)
#define __GFP_NORETRY ((gfp_t)0x10000u)
#define __GFP_MEMALLOC ((gfp_t)0x20000u)
#define __GFP_COMP ((gfp_t)0x40000u)
#define __GFP_NOMEMALLOC ((gfp_t)0x80000u)
#define __GFP_HARDWALL ((gfp_t)0x100000u)
#define __GFP_THISNODE ((gfp_t)0x200000u)
#define __GFP_ACCOUNT ((gfp_t)0x400000u)
#define __GFP_RECLAIM (__GFP_DIRECT_RECLAIM | __GFP_KSWAPD_RECLAIM)

#define GFP_ATOMIC (__GFP_HIGH | __GFP_KSWAPD_RECLAIM)
#define GFP_KERNEL (__GFP_RECLAIM | __GFP_IO | __GFP_FS)
#define GFP_KERNEL_ACCOUNT (GFP_KERNEL | __GFP_ACCOUNT)
#define GFP_NOWAIT (__GFP_KSWAPD_RECLAIM)
#define GFP_NOIO (__GFP_RECLAIM)
#define GFP_NOFS (__GFP_RECLAIM | __GFP_IO)
#define GFP_USER (__GFP_RECLAIM | __GFP_IO | __GFP_FS | __GFP_HARDWALL)
#define GFP_DMA __GFP_DMA
#define GFP_DMA32 __GFP_DMA32
#define GFP_HIGHUSER (GFP_USER | __GFP_HIGHMEM)
#define GFP_HIGHUSER_MOVABLE (GFP_HIGHUSER | __GFP_MOVABLE)

#define gfpflags_allow_blocking(gfp) (((gfp) & __GFP_DIRECT_RECLAIM) != 0)

#endif

/* Allocates 2^order contiguous pages with one reference; NULL when memory is exhausted. */
struct page *alloc_pages(gfp_t gfp_mask, unsigned int order);
#define alloc_page(gfp_mask) alloc_pages(gfp_mask, 0)
/* The same, returning the direct-map address (0 on failure). */
unsigned long __get_free_pages(gfp_t gfp_mask, unsigned int order);
#define __get_free_page(gfp_mask) __get_free_pages((gfp_mask), 0)
unsigned long get_zeroed_page(gfp_t gfp_mask);

/* Drops a reference to 2^order pages from alloc_pages; the last one frees them. */
void __free_pages(struct page *page, unsigned int order);
#define __free_page(page) __free_pages((page), 0)
void free_pages(unsigned long addr, unsigned int order);
#define free_page(addr) free_pages((addr), 0)

/* Free pages in the whole machine. */
unsigned long nr_free_pages(void);

#endif /* _LINUX_GFP_H */
