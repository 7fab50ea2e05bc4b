// Checks a large anonymous mapping: 4096 pages (16 MiB) touched one word each, then read back and summed, with every page resident afterwards (issue 3 acceptance/bench: touching many pages of an anonymous mapping; kernel-semantics §2.5 do_anonymous_page).
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#define PAGE 4096UL
#define PAGES 4096UL

int main(void)
{
	unsigned long *mem = mmap(NULL, PAGES * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		return 1;
	const unsigned long words = PAGE / sizeof *mem;
	for (unsigned long p = 0; p < PAGES; p++)
		mem[p * words + p % words] = p * 3 + 1;
	unsigned long sum = 0, others = 0;
	for (unsigned long p = 0; p < PAGES; p++) {
		sum += mem[p * words + p % words];
		others += mem[p * words + (p + 1) % words];
	}
	printf("pages touched: %lu\n", PAGES);
	printf("sum of the written words: %lu (expected %lu)\n", sum, 3 * (PAGES * (PAGES - 1) / 2) + PAGES);
	printf("sum of unwritten words: %lu\n", others);
	static unsigned char vec[PAGES];
	unsigned long resident = 0;
	if (mincore(mem, PAGES * PAGE, vec) == 0)
		for (unsigned long p = 0; p < PAGES; p++)
			resident += vec[p] & 1;
	printf("resident pages: %lu\n", resident);
	printf("munmap: %d\n", munmap(mem, PAGES * PAGE));
	return 0;
}
