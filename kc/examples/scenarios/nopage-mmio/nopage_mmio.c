/* Maps a device's register page through /dev/mmio0 (nopage-mmio's driver) and talks to it
 * (kernel-semantics.md section 8 scenario 12; seed 003). The driver's `mode` decides how the fault
 * (or the mmap) installs the PTE; this program is the same for all of them. It reads the ID
 * register, writes the scratch register and reads it back, then unmaps and exits.
 * Registers (bar-claim's PCI model): 0x00 ID, 0x04 SCRATCH. */
#include <stdio.h>
#include <stdint.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/mman.h>

int main(void)
{
	volatile uint32_t *regs;
	int fd = open("/dev/mmio0", O_RDWR);

	if (fd < 0) {
		perror("open /dev/mmio0");
		return 1;
	}
	regs = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (regs == MAP_FAILED) {
		perror("mmap /dev/mmio0");
		return 1;
	}
	// @point: mapped
	printf("id %#x\n", (unsigned)regs[0]);
	regs[1] = 0x5eed;
	printf("scratch %#x\n", (unsigned)regs[1]);
	munmap((void *)regs, 4096);
	close(fd);
	printf("unmapped\n");
	return 0;
}
