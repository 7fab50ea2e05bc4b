// Checks MAP_FIXED replacing part of an existing mapping (new pages zero, neighbours intact) and MAP_FIXED_NOREPLACE refusing with EEXIST but filling a hole (kernel-semantics §1 VMA set; issue 3: mmap).
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define PAGE 4096UL

int main(void)
{
	char *p = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return 1;
	for (int i = 0; i < 4; i++)
		memset(p + i * PAGE, 'A' + i, PAGE);

	char *q = mmap(p + PAGE, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	printf("MAP_FIXED returned the requested address: %s\n", q == p + PAGE ? "yes" : "no");
	for (int i = 0; i < 4; i++)
		printf("page %d after MAP_FIXED over pages 1-2: first %d last %d\n", i, p[i * PAGE], p[i * PAGE + PAGE - 1]);

	/* MAP_FIXED can also change the protection of the replaced part only. */
	q = mmap(p + 2 * PAGE, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	printf("MAP_FIXED read-only page 2: %s\n", q == p + 2 * PAGE ? "ok" : "failed");
	p[PAGE] = 'b';
	p[3 * PAGE] = 'd';
	printf("neighbours still writable: %c %c\n", p[PAGE], p[3 * PAGE]);

	errno = 0;
	q = mmap(p + PAGE, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	printf("MAP_FIXED_NOREPLACE over a mapped page: %s errno %s\n", q == MAP_FAILED ? "failed" : "mapped", errno == EEXIST ? "EEXIST" : "other");
	printf("data under the refused mapping kept: %c\n", p[PAGE]);

	munmap(p + 3 * PAGE, PAGE);
	errno = 0;
	q = mmap(p + 2 * PAGE, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	printf("MAP_FIXED_NOREPLACE half over a hole, half mapped: %s errno %s\n", q == MAP_FAILED ? "failed" : "mapped", errno == EEXIST ? "EEXIST" : "other");

	q = mmap(p + 3 * PAGE, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	printf("MAP_FIXED_NOREPLACE into the hole: %s\n", q == p + 3 * PAGE ? "at the requested address" : "elsewhere or failed");
	printf("hole page reads zero: %d\n", q[0]);
	q[0] = 'z';
	printf("hole page written: %c\n", q[0]);

	printf("munmap all: %d\n", munmap(p, 4 * PAGE));
	return 0;
}
