/* mm/truncate.c: freeing a file's page cache beyond a size, and the size changes that do it.
 *
 * Order matters (kernel-semantics.md 2.1, 2.3): i_size shrinks first, so a new fault beyond it
 * fails with SIGBUS (shmem_fault/filemap_fault check i_size with the page locked); then
 * unmap_mapping_range zaps every PTE of every VMA on the file's i_mmap beyond the new end, private
 * COW copies included (even_cows = 1); then the cache pages go, each under its page lock; and the
 * zap is repeated (6.8's truncate_pagecache) for a private COW that raced in meanwhile. */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/mm.h>
#include <linux/fs.h>
#include <linux/pagemap.h>
#include <linux/string.h>

/* mm/memory.c: zaps the PTEs mapping [holebegin, holebegin + holelen) of the file (holelen 0: to
 * the end) in every VMA on mapping->i_mmap; `even_cows` zaps private COW copies too. */
void unmap_mapping_range(struct address_space *mapping, loff_t const holebegin, loff_t const holelen, int even_cows);

#define TRUNCATE_BATCH 16

/* Zeroes the part of a page beyond EOF (zero_user_segment). */
static void truncate_partial_page(struct page *page, unsigned int partial)
{
	memset((char *)page_address(page) + partial, 0, PAGE_SIZE - partial);
}

/* Takes a locked page out of the cache: zapped first if it is still mapped (a fault that won a
 * race with the unmap), then dirtiness cancelled (nothing to write back) and removed. */
static void truncate_complete_page(struct address_space *mapping, struct page *page)
{
	if (page->mapping != mapping)
		return;
	if (page_mapped(page))
		unmap_mapping_range(mapping, (loff_t)page->index << PAGE_SHIFT, PAGE_SIZE, 0);
	ClearPageDirty(page);
	ClearPageUptodate(page);
	delete_from_page_cache(page);
}

/* Frees the cached pages that lie entirely in [lstart, lend] (lend inclusive; -1: to the end) and
 * zeroes the tail of the page that holds lstart. The caller keeps new pages out (i_size already
 * changed, or the inode lock held). */
void truncate_inode_pages_range(struct address_space *mapping, loff_t lstart, loff_t lend)
{
	pgoff_t start = (lstart + PAGE_SIZE - 1) >> PAGE_SHIFT;
	unsigned int partial = lstart & (PAGE_SIZE - 1);
	/* The first page index past the range (exclusive). */
	pgoff_t end = lend < 0 ? ~0UL : (pgoff_t)((lend + 1) >> PAGE_SHIFT);
	struct page *pages[TRUNCATE_BATCH];
	pgoff_t next = start;

	if (mapping->nrpages == 0)
		return;
	while (next < end) {
		unsigned int nr = find_get_pages(mapping, next, TRUNCATE_BATCH, pages);
		unsigned int i;

		if (!nr)
			break;
		for (i = 0; i < nr; i++) {
			struct page *page = pages[i];

			if (page->index < end) {
				next = page->index + 1;
				lock_page(page);
				truncate_complete_page(mapping, page);
				unlock_page(page);
			} else {
				next = end;
			}
			put_page(page);
		}
	}
	if (partial) {
		struct page *page = find_lock_page(mapping, start - 1);

		if (page) {
			truncate_partial_page(page, partial);
			unlock_page(page);
			put_page(page);
		}
	}
}

void truncate_inode_pages(struct address_space *mapping, loff_t lstart)
{
	truncate_inode_pages_range(mapping, lstart, (loff_t)-1);
}

/* The inode is going away: every page goes. */
void truncate_inode_pages_final(struct address_space *mapping)
{
	truncate_inode_pages(mapping, 0);
}

#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 31)
void truncate_pagecache(struct inode *inode, loff_t newsize)
{
	struct address_space *mapping = inode->i_mapping;
	loff_t holebegin = round_up(newsize, (loff_t)PAGE_SIZE);

	/* Unmap first (even private COW pages: truncation must be visible to them too), then free
	 * the cache, then unmap again for a private COW that faulted in meanwhile. */
	unmap_mapping_range(mapping, holebegin, 0, 1);
	truncate_inode_pages(mapping, newsize);
	unmap_mapping_range(mapping, holebegin, 0, 1);
}
#endif

#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 36)
void truncate_setsize(struct inode *inode, loff_t newsize)
{
	loff_t oldsize = inode->i_size;

	i_size_write(inode, newsize);
	if (newsize < oldsize)
		truncate_pagecache(inode, newsize);
}
#endif

#if LINUX_VERSION_CODE < KERNEL_VERSION(3, 8, 0)
int vmtruncate(struct inode *inode, loff_t offset)
{
	struct address_space *mapping = inode->i_mapping;

	if (inode->i_size < offset)
		goto do_expand;
	i_size_write(inode, offset);
	/* 2.6.18 spells the rounding up to a page boundary as offset + PAGE_SIZE - 1. */
	unmap_mapping_range(mapping, offset + PAGE_SIZE - 1, 0, 1);
	truncate_inode_pages(mapping, offset);
	goto out_truncate;

do_expand:
	if (offset > inode->i_sb->s_maxbytes)
		return -EFBIG;
	i_size_write(inode, offset);

out_truncate:
	if (inode->i_op && inode->i_op->truncate)
		inode->i_op->truncate(inode);
	return 0;
}
#endif
