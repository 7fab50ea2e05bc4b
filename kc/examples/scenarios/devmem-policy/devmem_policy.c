/* /dev/mem's policy as a user program sees it (kernel-semantics.md 6, section 8 scenario 11): mmap
 * and read() of the BIOS area, of RAM above 1 MiB, of page 0 and of an idle PCI BAR, and the cache
 * attributes of an O_SYNC mapping (the trace's pte-set events show them). argv[1]: the BAR's
 * physical address (hex). Prints one line per check. */
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/mman.h>

static void try_mmap(int fd, unsigned long phys, int prot)
{
	void *p = mmap(NULL, 4096, prot, MAP_SHARED, fd, (off_t)phys);

	if (p == MAP_FAILED)
		printf("mmap %#lx: %s\n", phys, strerror(errno));
	else {
		printf("mmap %#lx: ok\n", phys);
		munmap(p, 4096);
	}
}

int main(int argc, char **argv)
{
	unsigned long bar = argc > 1 ? strtoul(argv[1], NULL, 16) : 0;
	unsigned char buf[8];
	volatile unsigned char *low;
	volatile uint32_t *regs;
	ssize_t n;
	int fd;

	fd = open("/dev/mem", O_RDWR);
	if (fd < 0) {
		perror("open /dev/mem");
		return 1;
	}
	/* The BIOS area in the first MiB, and RAM at 16 MiB. */
	try_mmap(fd, 0xf0000, PROT_READ);
	try_mmap(fd, 0x1000000, PROT_READ);
	n = pread(fd, buf, 8, 0x1000000);
	if (n < 0)
		printf("read 0x1000000: %s\n", strerror(errno));
	else
		printf("read 0x1000000: %zd bytes\n", n);

	/* Page 0 (real-mode data, never handed out): write through a mapping, read it back with read(). */
	low = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (low == MAP_FAILED) {
		printf("mmap 0: %s\n", strerror(errno));
	} else {
		unsigned char saved[8];
		int i;

		for (i = 0; i < 8; i++) {
			saved[i] = low[0x400 + i];
			low[0x400 + i] = (unsigned char)(0xa0 + i);
		}
		n = pread(fd, buf, 8, 0x400);
		printf("read 0x400 after writing a0..a7 through the mapping: %zd bytes:", n);
		for (i = 0; i < (int)n; i++)
			printf(" %02x", buf[i]);
		printf("\n");
		for (i = 0; i < 8; i++)
			low[0x400 + i] = saved[i];
		munmap((void *)low, 4096);
	}

	/* An idle PCI BAR: mapped, and its ID register answers. */
	regs = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)bar);
	if (regs == MAP_FAILED) {
		printf("mmap bar %#lx: %s\n", bar, strerror(errno));
	} else {
		printf("mmap bar %#lx: ok, id %#x\n", bar, regs[0]);
		munmap((void *)regs, 4096);
	}
	close(fd);

	/* O_SYNC (which includes O_DSYNC): 6.8 maps UC-, 2.6.18 x86-64 uncached (UC). */
	fd = open("/dev/mem", O_RDWR | O_SYNC);
	regs = fd < 0 ? MAP_FAILED : mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, (off_t)bar);
	if (regs == MAP_FAILED) {
		printf("O_SYNC mmap bar: %s\n", strerror(errno));
	} else {
		printf("O_SYNC mmap bar at %p: id %#x\n", (void *)regs, regs[0]);
		munmap((void *)regs, 4096);
		close(fd);
	}
	return 0;
}
