/* <linux/mmzone.h>: the buddy allocator's free lists.
 *
 * The simulated machine has one memory node and one zone, "Normal", spanning every RAM frame; the
 * zone keeps, per order, a list of free blocks of 2^order pages (linked through page->lru, the
 * order in page->private, PG_buddy set on the block's first page). */
#ifndef _LINUX_MMZONE_H
#define _LINUX_MMZONE_H

#include <linux/types.h>
#include <linux/version.h>
#include <linux/list.h>
#include <linux/spinlock_types.h>

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 4, 0)
/* Since 6.4 MAX_ORDER is the largest order (inclusive); 6.8 adds NR_PAGE_ORDERS for the count. */
#define MAX_ORDER 10
#define NR_PAGE_ORDERS (MAX_ORDER + 1)
#else
/* Before 6.4 MAX_ORDER is the number of orders: blocks of 1 .. 2^(MAX_ORDER-1) pages. */
#define MAX_ORDER 11
#define NR_PAGE_ORDERS MAX_ORDER
#endif
/* The largest block, in pages. */
#define MAX_ORDER_NR_PAGES (1UL << (NR_PAGE_ORDERS - 1))

struct free_area {
	struct list_head free_list;
	unsigned long nr_free;
};

enum zone_type {
	ZONE_NORMAL,
	MAX_NR_ZONES
};

struct zone {
	/* Protects the free lists and the counters. */
	spinlock_t lock;
	unsigned long free_pages;
	struct free_area free_area[NR_PAGE_ORDERS];
	unsigned long zone_start_pfn;
	/* Frames from zone_start_pfn, holes included, and RAM frames among them. */
	unsigned long spanned_pages;
	unsigned long present_pages;
	/* Frames handed to the buddy allocator at boot (present minus memblock reservations). */
	unsigned long managed_pages;
	const char *name;
};

typedef struct pglist_data {
	struct zone node_zones[MAX_NR_ZONES];
	int nr_zones;
	struct page *node_mem_map;
	unsigned long node_start_pfn;
	unsigned long node_present_pages;
	unsigned long node_spanned_pages;
} pg_data_t;

extern pg_data_t contig_page_data;
#define NODE_DATA(nid) (&contig_page_data)

#define zone_end_pfn(zone) ((zone)->zone_start_pfn + (zone)->spanned_pages)

#endif /* _LINUX_MMZONE_H */
