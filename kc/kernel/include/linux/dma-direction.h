/* <linux/dma-direction.h>: which way a streaming DMA transfer goes (values as in Linux).
 *
 * The direction tells the cache maintenance of non-coherent systems what to do: TO_DEVICE (the
 * CPU wrote, the device reads: clean dirty lines before the device looks), FROM_DEVICE (the device
 * writes, the CPU reads: invalidate so the CPU does not read stale lines), BIDIRECTIONAL (both). */
#ifndef _LINUX_DMA_DIRECTION_H
#define _LINUX_DMA_DIRECTION_H

enum dma_data_direction {
	DMA_BIDIRECTIONAL = 0,
	DMA_TO_DEVICE = 1,
	DMA_FROM_DEVICE = 2,
	DMA_NONE = 3,
};

static inline int valid_dma_direction(enum dma_data_direction dir)
{
	return dir == DMA_BIDIRECTIONAL || dir == DMA_TO_DEVICE || dir == DMA_FROM_DEVICE;
}

#endif /* _LINUX_DMA_DIRECTION_H */
