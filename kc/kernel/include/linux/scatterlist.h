/* <linux/scatterlist.h>: lists of (page, offset, length) segments and their DMA addresses
 * (lib/scatterlist.c in Linux; here static inline, without chained tables).
 *
 * page_link holds the struct page pointer with two flag bits (SG_CHAIN unused here, SG_END marks
 * the last entry), as Linux packs them. `dma_address`/`dma_length` are what dma_map_sg filled in
 * (without an IOMMU: the physical address and the length). An sg_table's `orig_nents` is the
 * number of entries allocated and filled; `nents` the number dma_map_sg mapped. */
#ifndef _LINUX_SCATTERLIST_H
#define _LINUX_SCATTERLIST_H

#include <linux/types.h>
#include <linux/errno.h>
#include <linux/bug.h>
#include <linux/string.h>
#include <linux/slab.h>
#include <linux/mm.h>
#include <asm/page.h>

struct scatterlist {
	unsigned long page_link;
	unsigned int offset;
	unsigned int length;
	dma_addr_t dma_address;
	unsigned int dma_length;
};

struct sg_table {
	struct scatterlist *sgl;	/* the list */
	unsigned int nents;		/* mapped entries */
	unsigned int orig_nents;	/* original size of the list */
};

#define SG_CHAIN 0x01UL
#define SG_END 0x02UL
#define SG_PAGE_LINK_MASK (SG_CHAIN | SG_END)

#define sg_is_chain(sg) ((sg)->page_link & SG_CHAIN)
#define sg_is_last(sg) ((sg)->page_link & SG_END)

#define sg_dma_address(sg) ((sg)->dma_address)
#define sg_dma_len(sg) ((sg)->dma_length)

static inline struct page *sg_page(struct scatterlist *sg)
{
	return (struct page *)(sg->page_link & ~SG_PAGE_LINK_MASK);
}

static inline void sg_assign_page(struct scatterlist *sg, struct page *page)
{
	unsigned long page_link = sg->page_link & (SG_CHAIN | SG_END);

	/* The pointer's low bits carry the flags: a struct page is at least 4-byte aligned. */
	BUG_ON((unsigned long)page & SG_PAGE_LINK_MASK);
	sg->page_link = page_link | (unsigned long)page;
}

static inline void sg_set_page(struct scatterlist *sg, struct page *page, unsigned int len, unsigned int offset)
{
	sg_assign_page(sg, page);
	sg->offset = offset;
	sg->length = len;
}

static inline void sg_mark_end(struct scatterlist *sg)
{
	sg->page_link |= SG_END;
	sg->page_link &= ~SG_CHAIN;
}

static inline void sg_unmark_end(struct scatterlist *sg)
{
	sg->page_link &= ~SG_END;
}

/* The physical address of the segment. */
static inline phys_addr_t sg_phys(struct scatterlist *sg)
{
	return page_to_phys(sg_page(sg)) + sg->offset;
}

static inline void *sg_virt(struct scatterlist *sg)
{
	return page_address(sg_page(sg)) + sg->offset;
}

static inline void sg_init_table(struct scatterlist *sgl, unsigned int nents)
{
	memset(sgl, 0, sizeof(*sgl) * nents);
	sg_mark_end(&sgl[nents - 1]);
}

static inline void sg_init_one(struct scatterlist *sg, const void *buf, unsigned int buflen)
{
	sg_init_table(sg, 1);
	sg_set_page(sg, virt_to_page(buf), buflen, offset_in_page(buf));
}

/* The next entry, or NULL after the last. */
static inline struct scatterlist *sg_next(struct scatterlist *sg)
{
	if (sg_is_last(sg))
		return NULL;
	return sg + 1;
}

#define for_each_sg(sglist, sg, nr, __i) \
	for (__i = 0, sg = (sglist); __i < (nr); __i++, sg = sg_next(sg))

/* Every CPU-side entry of a table (orig_nents), and every DMA-mapped one (nents). */
#define for_each_sgtable_sg(sgt, sg, i) for_each_sg((sgt)->sgl, sg, (sgt)->orig_nents, i)
#define for_each_sgtable_dma_sg(sgt, sg, i) for_each_sg((sgt)->sgl, sg, (sgt)->nents, i)

/* A table of `nents` entries: 0 or -ENOMEM (-EINVAL for none). */
static inline int sg_alloc_table(struct sg_table *table, unsigned int nents, gfp_t gfp_mask)
{
	memset(table, 0, sizeof(*table));
	if (nents == 0)
		return -EINVAL;
	table->sgl = kmalloc_array(nents, sizeof(struct scatterlist), gfp_mask);
	if (!table->sgl)
		return -ENOMEM;
	sg_init_table(table->sgl, nents);
	table->nents = table->orig_nents = nents;
	return 0;
}

static inline void sg_free_table(struct sg_table *table)
{
	kfree(table->sgl);
	table->sgl = NULL;
	table->nents = table->orig_nents = 0;
}

/* One entry per page of `pages` (Linux merges contiguous pages; one per page keeps the list
 * readable in the debugger). `offset` applies to the first page; `size` is the total. */
static inline int sg_alloc_table_from_pages(struct sg_table *sgt, struct page **pages, unsigned int n_pages,
					    unsigned int offset, unsigned long size, gfp_t gfp_mask)
{
	struct scatterlist *sg;
	unsigned int i;
	int ret = sg_alloc_table(sgt, n_pages, gfp_mask);

	if (ret)
		return ret;
	for_each_sg(sgt->sgl, sg, n_pages, i) {
		unsigned int len = (unsigned int)min_t(unsigned long, size, PAGE_SIZE - offset);

		sg_set_page(sg, pages[i], len, offset);
		size -= len;
		offset = 0;
	}
	return 0;
}

#endif /* _LINUX_SCATTERLIST_H */
