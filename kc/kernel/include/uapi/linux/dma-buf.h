/* <uapi/linux/dma-buf.h>: the dma-buf user API as the kernel sees it (the same values as the user
   header kc/include/linux/dma-buf.h, include/uapi/linux/dma-buf.h in Linux). A CPU access to an mmap()ed
   dma-buf is bracketed by DMA_BUF_IOCTL_SYNC with START then END and the same READ/WRITE bits,
   which is when the exporter does its cache maintenance. */
#ifndef _DMA_BUF_UAPI_H_
#define _DMA_BUF_UAPI_H_ 1

#include <linux/ioctl.h>
#include <linux/types.h>

/* DMA_BUF_IOCTL_SYNC argument. */
struct dma_buf_sync {
	__u64 flags;
};

/* Direction bits (at least one is required) and START (0) or END. */
#define DMA_BUF_SYNC_READ (1 << 0)
#define DMA_BUF_SYNC_WRITE (2 << 0)
#define DMA_BUF_SYNC_RW (DMA_BUF_SYNC_READ | DMA_BUF_SYNC_WRITE)
#define DMA_BUF_SYNC_START (0 << 2)
#define DMA_BUF_SYNC_END (1 << 2)
#define DMA_BUF_SYNC_VALID_FLAGS_MASK (DMA_BUF_SYNC_RW | DMA_BUF_SYNC_END)

#define DMA_BUF_NAME_LEN 32

/* DMA_BUF_IOCTL_EXPORT_SYNC_FILE / _IMPORT_SYNC_FILE arguments. */
struct dma_buf_export_sync_file {
	__u32 flags;
	__s32 fd;
};

struct dma_buf_import_sync_file {
	__u32 flags;
	__s32 fd;
};

#define DMA_BUF_BASE 'b'
#define DMA_BUF_IOCTL_SYNC _IOW(DMA_BUF_BASE, 0, struct dma_buf_sync)
/* The name ioctl was first encoded with a pointer argument, whose size differs between 32- and
   64-bit user space; the kernel accepts both sizes (A: 4 bytes, B: 8 bytes). */
#define DMA_BUF_SET_NAME _IOW(DMA_BUF_BASE, 1, const char *)
#define DMA_BUF_SET_NAME_A _IOW(DMA_BUF_BASE, 1, __u32)
#define DMA_BUF_SET_NAME_B _IOW(DMA_BUF_BASE, 1, __u64)
#define DMA_BUF_IOCTL_EXPORT_SYNC_FILE _IOWR(DMA_BUF_BASE, 2, struct dma_buf_export_sync_file)
#define DMA_BUF_IOCTL_IMPORT_SYNC_FILE _IOW(DMA_BUF_BASE, 3, struct dma_buf_import_sync_file)

#endif
