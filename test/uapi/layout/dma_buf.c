// Checks <linux/dma-buf.h>: the SYNC flags, DMA_BUF_IOCTL_* numbers and their argument structures.
#define _GNU_SOURCE
#include <linux/dma-buf.h>
#include "print.h"

int main(void)
{
	CONST(DMA_BUF_SYNC_READ);
	CONST(DMA_BUF_SYNC_WRITE);
	CONST(DMA_BUF_SYNC_RW);
	CONST(DMA_BUF_SYNC_START);
	CONST(DMA_BUF_SYNC_END);
	CONST(DMA_BUF_SYNC_VALID_FLAGS_MASK);
	CONST(DMA_BUF_NAME_LEN);
	CONST(DMA_BUF_BASE);
	CONST(DMA_BUF_IOCTL_SYNC);
	CONST(DMA_BUF_SET_NAME);
	CONST(DMA_BUF_SET_NAME_A);
	CONST(DMA_BUF_SET_NAME_B);
	CONST(DMA_BUF_IOCTL_EXPORT_SYNC_FILE);
	CONST(DMA_BUF_IOCTL_IMPORT_SYNC_FILE);
	CONST(_IOC_DIR(DMA_BUF_IOCTL_SYNC));
	CONST(_IOC_TYPE(DMA_BUF_IOCTL_SYNC));
	CONST(_IOC_NR(DMA_BUF_IOCTL_SYNC));
	CONST(_IOC_SIZE(DMA_BUF_IOCTL_SYNC));
	CONST(DMA_BUF_SYNC_START | DMA_BUF_SYNC_READ);
	CONST(DMA_BUF_SYNC_END | DMA_BUF_SYNC_RW);
	CONST(8 & ~DMA_BUF_SYNC_VALID_FLAGS_MASK);

	TYPE(struct dma_buf_sync);
	INTMEMBER(struct dma_buf_sync, flags);
	TYPE(struct dma_buf_export_sync_file);
	INTMEMBER(struct dma_buf_export_sync_file, flags);
	INTMEMBER(struct dma_buf_export_sync_file, fd);
	TYPE(struct dma_buf_import_sync_file);
	INTMEMBER(struct dma_buf_import_sync_file, flags);
	INTMEMBER(struct dma_buf_import_sync_file, fd);
	return 0;
}
