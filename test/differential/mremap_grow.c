// Checks mremap: growing in place, ENOMEM when blocked without MREMAP_MAYMOVE, moving with it (data preserved, old range unmapped), shrinking in place, and the EINVAL/EFAULT cases (kernel-semantics §1 VMA set; issue 3 acceptance: mremap).
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define PAGE 4096UL

static const char *mapped(char *address, unsigned long length)
{
	unsigned char vec[16];
	errno = 0;
	if (mincore(address, length, vec) == 0)
		return "mapped";
	return errno == ENOMEM ? "unmapped" : "mincore error";
}

static const char *failure(void)
{
	return errno == ENOMEM ? "ENOMEM" : errno == EINVAL ? "EINVAL" : errno == EFAULT ? "EFAULT" : "other errno";
}

int main(void)
{
	char *p = mmap(NULL, 8 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return 1;
	munmap(p + 2 * PAGE, 6 * PAGE);  /* 6 free pages after a 2-page mapping */
	strcpy(p, "first page");
	strcpy(p + PAGE, "second page");

	char *q = mremap(p, 2 * PAGE, 4 * PAGE, 0);
	printf("grow 2 -> 4 pages without MAYMOVE: %s\n", q == p ? "in place" : q == MAP_FAILED ? failure() : "moved");
	printf("data kept: %s, %s; new pages zero: %d %d\n", p, p + PAGE, p[2 * PAGE], p[4 * PAGE - 1]);
	p[3 * PAGE] = 'g';
	printf("new page writable: %c\n", p[3 * PAGE]);

	char *blocker = mmap(p + 5 * PAGE, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	strcpy(blocker, "blocker");
	errno = 0;
	q = mremap(p, 4 * PAGE, 6 * PAGE, 0);
	printf("grow 4 -> 6 pages when blocked, without MAYMOVE: %s\n", q == MAP_FAILED ? failure() : "succeeded");
	printf("mapping unchanged: %s, %c\n", p, p[3 * PAGE]);

	q = mremap(p, 4 * PAGE, 6 * PAGE, MREMAP_MAYMOVE);
	printf("grow 4 -> 6 pages with MAYMOVE: %s\n", q == MAP_FAILED ? failure() : q == p ? "in place" : "moved");
	printf("moved data: %s, %s, %c; new pages zero: %d %d\n", q, q + PAGE, q[3 * PAGE], q[4 * PAGE], q[6 * PAGE - 1]);
	printf("old range: %s; blocker: %s\n", mapped(p, 4 * PAGE), blocker);

	char *r = mremap(q, 6 * PAGE, 2 * PAGE, 0);
	printf("shrink 6 -> 2 pages: %s\n", r == q ? "same address" : "different address");
	printf("kept: %s, %s; released tail: %s\n", q, q + PAGE, mapped(q + 2 * PAGE, 4 * PAGE));
	r = mremap(q, 2 * PAGE, 3 * PAGE, MREMAP_MAYMOVE);
	printf("grow 2 -> 3 pages with MAYMOVE into the freed tail: %s\n", r == q ? "in place" : r == MAP_FAILED ? failure() : "moved");
	printf("page 2 after regrowing reads zero: %d\n", q[2 * PAGE]);

	errno = 0;
	r = mremap(q + 1, PAGE, 2 * PAGE, MREMAP_MAYMOVE);
	printf("unaligned old address: %s\n", r == MAP_FAILED ? failure() : "succeeded");
	errno = 0;
	r = mremap(q, PAGE, 0, MREMAP_MAYMOVE);
	printf("new size 0: %s\n", r == MAP_FAILED ? failure() : "succeeded");
	errno = 0;
	r = mremap(p, PAGE, 2 * PAGE, MREMAP_MAYMOVE);
	printf("old range not mapped: %s\n", r == MAP_FAILED ? failure() : "succeeded");
	errno = 0;
	r = mremap(q, PAGE, 2 * PAGE, MREMAP_FIXED, p);
	printf("MREMAP_FIXED without MREMAP_MAYMOVE: %s\n", r == MAP_FAILED ? failure() : "succeeded");

	munmap(q, 3 * PAGE);
	munmap(blocker, PAGE);
	return 0;
}
