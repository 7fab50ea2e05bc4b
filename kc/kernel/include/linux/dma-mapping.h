/* <linux/dma-mapping.h>: the streaming DMA API over direct mapping (kernel/dma/direct.c in Linux),
 * with the cache maintenance of a non-coherent system.
 *
 * There is no IOMMU: a DMA address is the physical address. What matters is the CPU cache model
 * (src/kernel/hw/cache.ts): a device reads and writes RAM without looking into the CPU caches, so
 * - before the device touches a buffer ("for device": dma_map_*, dma_sync_*_for_device) the CPU's
 *   dirty lines must be written back (clean), or the device reads old data and a later write-back
 *   overwrites what the device wrote;
 * - before the CPU reads what the device wrote ("for cpu": dma_unmap_*, dma_sync_*_for_cpu) its
 *   lines must be dropped (invalidate), or it keeps reading the stale copies.
 * arch_sync_dma_for_device/for_cpu are arm64's (arch/arm64/mm/dma-mapping.c, 6.8): for the device
 * always clean to the point of coherency; for the CPU invalidate unless the transfer was
 * DMA_TO_DEVICE (the device only read: the CPU's lines are still right). Where the machine is
 * coherent the cache model holds no lines and both are no-ops, as dev_is_dma_coherent() skipping
 * them would be.
 *
 * `struct device` is only declared here: the API takes it as Linux's does, and ignores it. */
#ifndef _LINUX_DMA_MAPPING_H
#define _LINUX_DMA_MAPPING_H

#include <linux/types.h>
#include <linux/errno.h>
#include <linux/bug.h>
#include <linux/dma-direction.h>
#include <linux/scatterlist.h>
#include <linux/mm.h>
#include <asm/page.h>

struct device;

#define DMA_MAPPING_ERROR (~(dma_addr_t)0)
#define DMA_BIT_MASK(n) (((n) == 64) ? ~0ULL : ((1ULL << (n)) - 1))

/* dma_map_*_attrs attributes. */
#define DMA_ATTR_WEAK_ORDERING (1UL << 1)
#define DMA_ATTR_WRITE_COMBINE (1UL << 2)
#define DMA_ATTR_NO_KERNEL_MAPPING (1UL << 4)
#define DMA_ATTR_SKIP_CPU_SYNC (1UL << 5)

/*
 * The CPU cache maintenance of a streaming DMA transfer on a physical range (arm64's, see the file
 * header): for the device, clean; for the CPU, invalidate unless the device only read. Defined in
 * drivers/dma-buf/dma-noncoherent.c (the dma-buf module) until the kernel has the cache
 * instructions as builtins; a module calling them loads after `dma-buf`.
 */
void arch_sync_dma_for_device(phys_addr_t paddr, size_t size, enum dma_data_direction dir);
void arch_sync_dma_for_cpu(phys_addr_t paddr, size_t size, enum dma_data_direction dir);

static inline int dma_set_mask(struct device *dev, u64 mask)
{
	(void)dev;
	(void)mask;
	return 0;
}

static inline int dma_set_mask_and_coherent(struct device *dev, u64 mask)
{
	return dma_set_mask(dev, mask);
}

static inline int dma_mapping_error(struct device *dev, dma_addr_t dma_addr)
{
	(void)dev;
	return dma_addr == DMA_MAPPING_ERROR ? -ENOMEM : 0;
}

/* ---- single pages ---- */

static inline dma_addr_t dma_map_page_attrs(struct device *dev, struct page *page, size_t offset, size_t size,
					    enum dma_data_direction dir, unsigned long attrs)
{
	phys_addr_t phys = page_to_phys(page) + offset;

	(void)dev;
	BUG_ON(!valid_dma_direction(dir));
	if (!(attrs & DMA_ATTR_SKIP_CPU_SYNC))
		arch_sync_dma_for_device(phys, size, dir);
	return (dma_addr_t)phys;
}

static inline void dma_unmap_page_attrs(struct device *dev, dma_addr_t addr, size_t size, enum dma_data_direction dir,
					unsigned long attrs)
{
	(void)dev;
	BUG_ON(!valid_dma_direction(dir));
	if (!(attrs & DMA_ATTR_SKIP_CPU_SYNC))
		arch_sync_dma_for_cpu((phys_addr_t)addr, size, dir);
}

#define dma_map_page(d, p, o, s, r) dma_map_page_attrs(d, p, o, s, r, 0)
#define dma_unmap_page(d, a, s, r) dma_unmap_page_attrs(d, a, s, r, 0)

static inline dma_addr_t dma_map_single(struct device *dev, void *ptr, size_t size, enum dma_data_direction dir)
{
	return dma_map_page_attrs(dev, virt_to_page(ptr), offset_in_page(ptr), size, dir, 0);
}

#define dma_unmap_single(d, a, s, r) dma_unmap_page_attrs(d, a, s, r, 0)

static inline void dma_sync_single_for_cpu(struct device *dev, dma_addr_t addr, size_t size, enum dma_data_direction dir)
{
	(void)dev;
	BUG_ON(!valid_dma_direction(dir));
	arch_sync_dma_for_cpu((phys_addr_t)addr, size, dir);
}

static inline void dma_sync_single_for_device(struct device *dev, dma_addr_t addr, size_t size,
					      enum dma_data_direction dir)
{
	(void)dev;
	BUG_ON(!valid_dma_direction(dir));
	arch_sync_dma_for_device((phys_addr_t)addr, size, dir);
}

/* ---- scatterlists ---- */

/* Maps `nents` entries for the device: the number mapped (every one), 0 on failure. */
static inline int dma_map_sg_attrs(struct device *dev, struct scatterlist *sgl, int nents, enum dma_data_direction dir,
				   unsigned long attrs)
{
	struct scatterlist *sg;
	int i;

	(void)dev;
	BUG_ON(!valid_dma_direction(dir));
	for_each_sg(sgl, sg, nents, i) {
		sg->dma_address = (dma_addr_t)sg_phys(sg);
		sg->dma_length = sg->length;
		if (!(attrs & DMA_ATTR_SKIP_CPU_SYNC))
			arch_sync_dma_for_device(sg_phys(sg), sg->length, dir);
	}
	return nents;
}

static inline void dma_unmap_sg_attrs(struct device *dev, struct scatterlist *sgl, int nents,
				      enum dma_data_direction dir, unsigned long attrs)
{
	struct scatterlist *sg;
	int i;

	(void)dev;
	BUG_ON(!valid_dma_direction(dir));
	for_each_sg(sgl, sg, nents, i) {
		if (!(attrs & DMA_ATTR_SKIP_CPU_SYNC))
			arch_sync_dma_for_cpu(sg_phys(sg), sg->length, dir);
	}
}

#define dma_map_sg(d, s, n, r) dma_map_sg_attrs(d, s, n, r, 0)
#define dma_unmap_sg(d, s, n, r) dma_unmap_sg_attrs(d, s, n, r, 0)

/* The CPU is about to access the buffer the device used (invalidate unless TO_DEVICE). */
static inline void dma_sync_sg_for_cpu(struct device *dev, struct scatterlist *sgl, int nelems, enum dma_data_direction dir)
{
	struct scatterlist *sg;
	int i;

	(void)dev;
	BUG_ON(!valid_dma_direction(dir));
	for_each_sg(sgl, sg, nelems, i)
		arch_sync_dma_for_cpu(sg_phys(sg), sg->length, dir);
}

/* The device is about to access the buffer the CPU used (clean). */
static inline void dma_sync_sg_for_device(struct device *dev, struct scatterlist *sgl, int nelems,
					  enum dma_data_direction dir)
{
	struct scatterlist *sg;
	int i;

	(void)dev;
	BUG_ON(!valid_dma_direction(dir));
	for_each_sg(sgl, sg, nelems, i)
		arch_sync_dma_for_device(sg_phys(sg), sg->length, dir);
}

/* The table forms: 0 or -errno; map sets sgt->nents. */
static inline int dma_map_sgtable(struct device *dev, struct sg_table *sgt, enum dma_data_direction dir, unsigned long attrs)
{
	int nents = dma_map_sg_attrs(dev, sgt->sgl, (int)sgt->orig_nents, dir, attrs);

	if (nents <= 0)
		return -EINVAL;
	sgt->nents = (unsigned int)nents;
	return 0;
}

static inline void dma_unmap_sgtable(struct device *dev, struct sg_table *sgt, enum dma_data_direction dir, unsigned long attrs)
{
	dma_unmap_sg_attrs(dev, sgt->sgl, (int)sgt->orig_nents, dir, attrs);
}

static inline void dma_sync_sgtable_for_cpu(struct device *dev, struct sg_table *sgt, enum dma_data_direction dir)
{
	dma_sync_sg_for_cpu(dev, sgt->sgl, (int)sgt->orig_nents, dir);
}

static inline void dma_sync_sgtable_for_device(struct device *dev, struct sg_table *sgt, enum dma_data_direction dir)
{
	dma_sync_sg_for_device(dev, sgt->sgl, (int)sgt->orig_nents, dir);
}

#endif /* _LINUX_DMA_MAPPING_H */
