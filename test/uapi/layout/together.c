// Checks that every UAPI header can be included together with the C library headers in one program.
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include <asm/ioctl.h>
#include <asm/types.h>
#include <asm/unistd.h>
#include <drm/drm.h>
#include <drm/drm_mode.h>
#include <fcntl.h>
#include <linux/dma-buf.h>
#include <linux/ioctl.h>
#include <linux/posix_types.h>
#include <linux/types.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/spu.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include "print.h"

/* What a device program declares: a dumb buffer shared through PRIME and synced through dma-buf. */
struct device_request {
	struct drm_mode_create_dumb create;
	struct drm_mode_map_dumb map;
	struct drm_prime_handle prime;
	struct dma_buf_sync sync;
	struct iovec chunk;
	struct timespec when;
	pthread_mutex_t lock;
	sigset_t blocked;
	struct stat info;
};

static struct device_request request = {
	.create = { .height = 480, .width = 640, .bpp = 32 },
	.prime = { .flags = DRM_CLOEXEC | DRM_RDWR },
	.sync = { .flags = DMA_BUF_SYNC_START | DMA_BUF_SYNC_RW },
	.lock = PTHREAD_MUTEX_INITIALIZER,
};

int main(void)
{
	TYPE(struct device_request);
	MEMBER(struct device_request, map);
	MEMBER(struct device_request, prime);
	MEMBER(struct device_request, sync);
	MEMBER(struct device_request, chunk);
	MEMBER(struct device_request, when);
	MEMBER(struct device_request, lock);
	MEMBER(struct device_request, blocked);
	MEMBER(struct device_request, info);
	printf("dumb %ux%u@%u prime flags %#x sync flags %llu\n", request.create.width, request.create.height, request.create.bpp,
		request.prime.flags, (unsigned long long)request.sync.flags);
	CONST(PROT_READ | PROT_WRITE);
	CONST(MAP_SHARED | MAP_POPULATE);
	CONST(O_RDWR | O_CLOEXEC);
	CONST(SYS_mmap);
	CONST(SIGBUS);
	CONST(WNOHANG);
	CONST(PTRACE_PEEKDATA);
	CONST(CLONE_VM | CLONE_THREAD);
	CONST(SPU_CREATE_EVENTS_ENABLED);
	CONST(DRM_IOCTL_MODE_MAP_DUMB);
	CONST(DMA_BUF_IOCTL_SYNC);
	CONST(ENOSYS);
	return 0;
}
