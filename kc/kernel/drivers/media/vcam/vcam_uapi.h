/* drivers/media/vcam/vcam_uapi.h: the user API of /dev/vcam0 (the vcam driver, src/kernel/devices/
 * vcam). The scenario programs carry a copy (kc/examples/scenarios/dmabuf-vcam/vcam_uapi.h) with
 * the same values; test/unit/kernel/dmabuf checks that the two agree.
 *
 * VCAM_IOC_CREATE_BUF allocates a frame buffer of `size` bytes (whole pages) and returns a dma-buf
 * fd for it in `fd` (VCAM_BUF_NO_MMAP: the exporter offers no mmap). VCAM_IOC_CAPTURE queues a capture into the buffer behind `fd` (the engine
 * fills it with `value`) and returns at once; VCAM_IOC_WAIT waits until the buffer's capture is
 * done (no cache maintenance: that is DMA_BUF_IOCTL_SYNC's job); VCAM_IOC_SCANOUT has the engine
 * read the buffer and returns the first byte and the byte sum it read. */
#ifndef _VCAM_UAPI_H
#define _VCAM_UAPI_H

#include <linux/types.h>
#include <linux/ioctl.h>

/* vcam_create_buf.flags: export without an mmap operation (mmap of the dma-buf fails). */
#define VCAM_BUF_NO_MMAP 0x1

struct vcam_create_buf {
	__u32 size;
	__u32 flags;
	__s32 fd;
	__u32 pad;
};

struct vcam_job {
	__s32 fd;
	__u32 value;
	__u32 first;
	__u32 sum;
};

#define VCAM_IOC_CREATE_BUF _IOWR('V', 0xc0, struct vcam_create_buf)
#define VCAM_IOC_CAPTURE _IOW('V', 0xc1, struct vcam_job)
#define VCAM_IOC_WAIT _IOW('V', 0xc2, struct vcam_job)
#define VCAM_IOC_SCANOUT _IOWR('V', 0xc3, struct vcam_job)

#endif /* _VCAM_UAPI_H */
