// Checks anonymous private mappings: page alignment, zero fill, writes visible, a free hint honoured, munmap (kernel-semantics §2.5 core path, do_anonymous_page; issue 3 acceptance: anonymous mappings).
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#define PAGE 4096UL
#define PAGES 8UL

int main(void)
{
	unsigned char *p = mmap(NULL, PAGES * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		printf("mmap failed: errno %d\n", errno);
		return 1;
	}
	printf("page aligned: %s\n", (uintptr_t)p % PAGE == 0 ? "yes" : "no");

	unsigned long nonzero = 0;
	for (unsigned long i = 0; i < PAGES * PAGE; i++)
		nonzero += p[i] != 0;
	printf("nonzero bytes in a fresh mapping: %lu\n", nonzero);

	for (unsigned long i = 0; i < PAGES * PAGE; i++)
		p[i] = (unsigned char)(i * 7 + i / PAGE);
	unsigned long sum = 0;
	for (unsigned long i = 0; i < PAGES * PAGE; i++)
		sum += p[i];
	printf("checksum after writing every byte: %lu\n", sum);
	printf("p[4095]=%u p[4096]=%u p[32767]=%u\n", p[4095], p[4096], p[PAGES * PAGE - 1]);

	/* A one-byte request maps a whole page: its last byte is usable and starts at zero. */
	unsigned char *one = mmap(NULL, 1, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	printf("one-byte mapping: last byte of the page reads %u\n", one[PAGE - 1]);
	one[PAGE - 1] = 'x';
	printf("one-byte mapping: last byte after write '%c'\n", one[PAGE - 1]);
	printf("one-byte mapping overlaps the first: %s\n", one + PAGE > p && one < p + PAGES * PAGE ? "yes" : "no");
	printf("munmap(one, 1): %d\n", munmap(one, 1));

	/* Unmap, then ask for the same range as a hint: the kernel honours a free hint. */
	printf("munmap(p): %d\n", munmap(p, PAGES * PAGE));
	unsigned char *again = mmap(p, PAGES * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	printf("hint honoured: %s\n", again == p ? "yes" : "no");
	printf("remapped range is zero again: %s\n", again[0] == 0 && again[4096] == 0 && again[PAGES * PAGE - 1] == 0 ? "yes" : "no");
	printf("munmap(again): %d\n", munmap(again, PAGES * PAGE));
	return 0;
}
