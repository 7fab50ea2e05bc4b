/* CPU access to a dma-buf of a device that does not snoop the CPU caches (kernel-semantics.md 5,
 * section 8 scenario 8; seed 004, the 2012 RFC and its review).
 *
 * argv[1]: "sync" (6.8: DMA_BUF_IOCTL_SYNC with START/END and READ/WRITE) or "rfc" (2.6 profiles:
 * the RFC's argument-less PREPARE_ACCESS/FINISH_ACCESS). argv[2]: "harness" (a harness task makes
 * the device write the frame at the point "cached") or "ioctl" (the program asks for the capture).
 *
 * 1. The CPU reads the buffer through its mmap: the cache lines fill (zeros).
 * 2. The device captures a frame of 0xab into RAM by DMA; VCAM_IOC_WAIT waits until it is done.
 * 3. Without SYNC the CPU still reads its lines: stale 00.
 * 4. SYNC START|READ (PREPARE): the exporter invalidates, the CPU reads ab.
 * 5. The CPU writes 5a; without SYNC END (FINISH) the device's scanout reads ab from RAM: the
 *    data sits in dirty lines. After END|WRITE (clean) the scanout sees 5a.
 * 6. The error cases of the era. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <linux/dma-buf.h>
#include "vcam_uapi.h"

/* The 2012 RFC's ioctls (kernel-private in the RFC: "for now just stuff these here"). */
#define DMA_BUF_IOCTL_PREPARE_ACCESS _IO('Z', 0)
#define DMA_BUF_IOCTL_FINISH_ACCESS _IO('Z', 1)

#define SIZE (2 * 4096)

static int rfc;

static const char *err(int ret)
{
	return ret == 0 ? "ok" : errno == EINVAL ? "EINVAL" : errno == ENOTTY ? "ENOTTY" : errno == ENODEV ? "ENODEV" : strerror(errno);
}

static int sync_flags(int fd, unsigned long long flags)
{
	struct dma_buf_sync sync = { .flags = flags };

	return ioctl(fd, DMA_BUF_IOCTL_SYNC, &sync);
}

/* Bracket start: SYNC START with `flags`, or the RFC's PREPARE_ACCESS. */
static void cpu_begin(int fd, unsigned long long flags)
{
	int ret = rfc ? ioctl(fd, DMA_BUF_IOCTL_PREPARE_ACCESS) : sync_flags(fd, DMA_BUF_SYNC_START | flags);

	if (ret)
		printf("begin: %s\n", err(ret));
}

static void cpu_end(int fd, unsigned long long flags)
{
	int ret = rfc ? ioctl(fd, DMA_BUF_IOCTL_FINISH_ACCESS) : sync_flags(fd, DMA_BUF_SYNC_END | flags);

	if (ret)
		printf("end: %s\n", err(ret));
}

static void scanout(int vcam, int fd, const char *when)
{
	struct vcam_job job = { .fd = fd };

	if (ioctl(vcam, VCAM_IOC_SCANOUT, &job))
		printf("scanout: %s\n", strerror(errno));
	else
		printf("device reads %s: %02x (sum %u)\n", when, job.first, job.sum);
}

int main(int argc, char **argv)
{
	struct vcam_create_buf create = { .size = SIZE };
	struct vcam_job job;
	volatile unsigned char *p;
	void *q;
	int vcam, fd;

	rfc = argc > 1 && strcmp(argv[1], "rfc") == 0;
	vcam = open("/dev/vcam0", O_RDWR);
	if (vcam < 0) {
		perror("open /dev/vcam0");
		return 1;
	}
	if (ioctl(vcam, VCAM_IOC_CREATE_BUF, &create)) {
		perror("VCAM_IOC_CREATE_BUF");
		return 1;
	}
	fd = create.fd;
	p = mmap(NULL, SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		perror("mmap dma-buf");
		return 1;
	}

	/* 1. The CPU's lines fill. */
	printf("cpu reads before the capture: %02x\n", p[0]);
	// @point: cached
	if (argc > 2 && strcmp(argv[2], "ioctl") == 0) {
		job.fd = fd;
		job.value = 0xab;
		if (ioctl(vcam, VCAM_IOC_CAPTURE, &job))
			perror("VCAM_IOC_CAPTURE");
	}
	/* 2. Until the frame is in RAM (no cache maintenance). */
	job.fd = fd;
	if (ioctl(vcam, VCAM_IOC_WAIT, &job))
		perror("VCAM_IOC_WAIT");

	/* 3. Stale lines. */
	printf("cpu reads without sync: %02x\n", p[0]);
	/* 4. Invalidate (and wait for the write fence). */
	cpu_begin(fd, DMA_BUF_SYNC_READ);
	printf("cpu reads after %s: %02x %02x\n", rfc ? "PREPARE_ACCESS" : "SYNC_START|READ", p[0], p[SIZE - 1]);
	cpu_end(fd, DMA_BUF_SYNC_READ);

	/* 5. CPU writes: in dirty lines until cleaned. */
	cpu_begin(fd, DMA_BUF_SYNC_WRITE);
	memset((void *)p, 0x5a, SIZE);
	scanout(vcam, fd, rfc ? "before FINISH_ACCESS" : "before SYNC_END|WRITE");
	cpu_end(fd, DMA_BUF_SYNC_WRITE);
	scanout(vcam, fd, rfc ? "after FINISH_ACCESS" : "after SYNC_END|WRITE");

	/* 6. Errors. */
	if (!rfc) {
		printf("sync START alone: %s\n", err(sync_flags(fd, DMA_BUF_SYNC_START)));
		printf("sync END alone: %s\n", err(sync_flags(fd, DMA_BUF_SYNC_END)));
		printf("sync flags 8: %s\n", err(sync_flags(fd, 8)));
		printf("unknown ioctl: %s\n", err(ioctl(fd, _IO('b', 0x7f))));
	} else {
		printf("unknown ioctl: %s\n", err(ioctl(fd, _IO('Z', 7))));
		/* The RFC dispatches on _IOC_NR alone: 6.8's SYNC (number 0) is PREPARE_ACCESS there. */
		printf("DMA_BUF_IOCTL_SYNC on the RFC: %s\n", err(sync_flags(fd, DMA_BUF_SYNC_START | DMA_BUF_SYNC_READ)));
	}
	q = mmap(NULL, 3 * 4096, PROT_READ, MAP_SHARED, fd, 0);
	printf("mmap of 3 pages of a 2-page buffer: %s\n", q == MAP_FAILED ? err(-1) : "ok");
	q = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 2 * 4096);
	printf("mmap at page 2 of a 2-page buffer: %s\n", q == MAP_FAILED ? err(-1) : "ok");
	create.flags = VCAM_BUF_NO_MMAP;
	if (ioctl(vcam, VCAM_IOC_CREATE_BUF, &create) == 0) {
		q = mmap(NULL, 4096, PROT_READ, MAP_SHARED, create.fd, 0);
		printf("mmap of an exporter without mmap: %s\n", q == MAP_FAILED ? err(-1) : "ok");
		close(create.fd);
	}
	munmap((void *)p, SIZE);
	close(fd);
	close(vcam);
	return 0;
}
