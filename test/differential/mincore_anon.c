// Checks mincore on private anonymous memory: nothing resident before touching, written and read (zero page) pages resident, MADV_DONTNEED makes them non-resident and zero, EINVAL/ENOMEM for bad ranges (kernel-semantics §1 PTE present/none; issue 3 acceptance: mincore, MADV_DONTNEED).
#include <errno.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#define PAGE 4096UL
#define PAGES 16

static char *mem;

static void show(const char *label)
{
	unsigned char vec[PAGES];
	if (mincore(mem, PAGES * PAGE, vec) != 0) {
		printf("%s: mincore failed\n", label);
		return;
	}
	printf("%-34s ", label);
	for (int i = 0; i < PAGES; i++)
		putchar(vec[i] & 1 ? '1' : '0');
	putchar('\n');
}

int main(void)
{
	mem = mmap(NULL, PAGES * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		return 1;
#ifdef MADV_NOHUGEPAGE
	/* Keeps (m)THP from populating neighbours on real Linux; its result does not matter. */
	madvise(mem, PAGES * PAGE, MADV_NOHUGEPAGE);
#endif
	show("fresh mapping:");
	mem[0] = 1;
	mem[2 * PAGE + 100] = 2;
	mem[15 * PAGE + 4095] = 3;
	show("after writing pages 0, 2, 15:");
	volatile char value = mem[5 * PAGE];
	(void)value;
	show("after reading page 5:");
	for (int i = 8; i < 12; i++)
		mem[i * PAGE] = (char)i;
	show("after writing pages 8-11:");

	printf("madvise MADV_DONTNEED pages 0-3: %d\n", madvise(mem, 4 * PAGE, MADV_DONTNEED));
	show("after MADV_DONTNEED pages 0-3:");
	printf("pages 0 and 2 read back: %d %d\n", mem[0], mem[2 * PAGE + 100]);
	show("after reading pages 0 and 2:");
	printf("pages 8 and 15 kept: %d %d\n", mem[8 * PAGE], mem[15 * PAGE + 4095]);

	unsigned char vec[PAGES];
	errno = 0;
	int r = mincore(mem + 1, PAGE, vec);
	printf("mincore unaligned address: %d %s\n", r, r == 0 ? "" : errno == EINVAL ? "EINVAL" : "other");
	vec[0] = 0xff;
	vec[1] = 0xff;
	r = mincore(mem + 8 * PAGE, 100, vec);
	printf("mincore unaligned length: %d, entries %d and untouched %d\n", r, vec[0] & 1, vec[1]);
	munmap(mem + 12 * PAGE, 4 * PAGE);
	errno = 0;
	r = mincore(mem, PAGES * PAGE, vec);
	printf("mincore over a partly unmapped range: %d %s\n", r, r == 0 ? "" : errno == ENOMEM ? "ENOMEM" : "other");
	munmap(mem, 12 * PAGE);
	return 0;
}
