/* <linux/pagemap.h>: the page cache (mm/filemap.c, mm/truncate.c).
 *
 * A page-cache page has page->mapping (the file's address_space) and page->index (its offset in
 * pages), and is on mapping->i_pages. The cache holds one reference; find_get_page and friends hand
 * out another. PG_locked serializes a page's setup, truncation and the fault path (lock_page
 * sleeps until it is free); PG_uptodate says the contents are valid; PG_dirty that they must be
 * written back (never, for tmpfs, which has no backing store). */
#ifndef _LINUX_PAGEMAP_H
#define _LINUX_PAGEMAP_H

#include <linux/types.h>
#include <linux/version.h>
#include <linux/mm.h>
#include <linux/fs.h>

#if LINUX_VERSION_CODE < KERNEL_VERSION(4, 6, 0)
/* 2.6-4.5 spelled page-cache sizes and references separately from pages. */
#define PAGE_CACHE_SHIFT PAGE_SHIFT
#define PAGE_CACHE_SIZE PAGE_SIZE
#define PAGE_CACHE_MASK PAGE_MASK
#define PAGE_CACHE_ALIGN(addr) (((addr) + PAGE_CACHE_SIZE - 1) & PAGE_CACHE_MASK)
#define page_cache_get(page) get_page(page)
#define page_cache_release(page) put_page(page)
#endif

static inline gfp_t mapping_gfp_mask(struct address_space *mapping)
{
	return mapping->gfp_mask;
}

static inline void mapping_set_gfp_mask(struct address_space *mapping, gfp_t mask)
{
	mapping->gfp_mask = mask;
}

/* The page of `mapping` at `index` with a reference, or NULL. */
struct page *find_get_page(struct address_space *mapping, pgoff_t index);
/* The same, locked (waiting for the lock); NULL when absent. */
struct page *find_lock_page(struct address_space *mapping, pgoff_t index);
/* find_lock_page, or a new zeroed locked page added to the cache. NULL when out of memory. */
struct page *find_or_create_page(struct address_space *mapping, pgoff_t index, gfp_t gfp_mask);
/* Puts a locked page into the cache at `index`: the cache takes a reference. 0, or -EEXIST when
 * the index is taken. */
int add_to_page_cache(struct page *page, struct address_space *mapping, pgoff_t index, gfp_t gfp_mask);
int add_to_page_cache_lru(struct page *page, struct address_space *mapping, pgoff_t index, gfp_t gfp_mask);
/* Takes a locked page out of the cache (its mapping becomes NULL) and drops the cache's reference.
 * 2.6 called the first step remove_from_page_cache. */
void delete_from_page_cache(struct page *page);
void __delete_from_page_cache(struct page *page);
#if LINUX_VERSION_CODE < KERNEL_VERSION(2, 6, 39)
void remove_from_page_cache(struct page *page);
#endif
/* Pages of the mapping at index >= start (up to nr_pages), with references; returns how many. */
unsigned int find_get_pages(struct address_space *mapping, pgoff_t start, unsigned int nr_pages, struct page **pages);

void __lock_page(struct page *page);
static inline int trylock_page(struct page *page)
{
	return !TestSetPageLocked(page);
}
/* Sleeps (yields the CPU) until the page lock is ours. */
static inline void lock_page(struct page *page)
{
	might_sleep();
	if (!trylock_page(page))
		__lock_page(page);
}
void unlock_page(struct page *page);
void mark_page_accessed(struct page *page);
int set_page_dirty(struct page *page);

/* ---- Truncation (mm/truncate.c) ---- */

/* Frees the page cache from byte `lstart` on, zeroing the tail of a partial page. */
void truncate_inode_pages(struct address_space *mapping, loff_t lstart);
void truncate_inode_pages_range(struct address_space *mapping, loff_t lstart, loff_t lend);
void truncate_inode_pages_final(struct address_space *mapping);
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 31)
/* Unmaps every mapping of the file beyond `newsize`, then frees the page cache there. */
void truncate_pagecache(struct inode *inode, loff_t newsize);
#endif
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 36)
/* i_size = newsize, then truncate_pagecache. */
void truncate_setsize(struct inode *inode, loff_t newsize);
#endif
#if LINUX_VERSION_CODE < KERNEL_VERSION(3, 8, 0)
/* 2.6: i_size = offset; on shrinking, unmap the mappings beyond it, free the cache and call
 * i_op->truncate. 0, or -EFBIG past s_maxbytes. */
int vmtruncate(struct inode *inode, loff_t offset);
#endif

/* ---- The fault handler of page-cache mappings (mm/filemap.c), by era ---- */
extern const struct vm_operations_struct generic_file_vm_ops;
#if LINUX_VERSION_CODE >= KERNEL_VERSION(4, 17, 0)
vm_fault_t filemap_fault(struct vm_fault *vmf);
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(4, 11, 0)
int filemap_fault(struct vm_fault *vmf);
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 23)
int filemap_fault(struct vm_area_struct *vma, struct vm_fault *vmf);
#else
struct page *filemap_nopage(struct vm_area_struct *area, unsigned long address, int *type);
#endif

#endif /* _LINUX_PAGEMAP_H */
