// Checks the page size the program sees: sysconf(_SC_PAGESIZE) and sysconf(_SC_PAGE_SIZE) are 4096, getpagesize() agrees, and mmap rounds lengths to it (issue 3: sysconf(_SC_PAGESIZE); kernel-semantics §1 x86-64 4 KiB pages).
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

int main(void)
{
	long page = sysconf(_SC_PAGESIZE);
	printf("sysconf(_SC_PAGESIZE) = %ld\n", page);
	printf("sysconf(_SC_PAGE_SIZE) = %ld\n", sysconf(_SC_PAGE_SIZE));
	printf("getpagesize() = %d\n", getpagesize());
	printf("page size is 4096: %s\n", page == 4096 && getpagesize() == 4096 ? "yes" : "no");

	/* Two 1-byte mappings never share a page. */
	char *a = mmap(NULL, 1, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *b = mmap(NULL, 1, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	long distance = a > b ? a - b : b - a;
	printf("1-byte mappings page aligned: %s, at least a page apart: %s\n",
		(uintptr_t)a % (uintptr_t)page == 0 && (uintptr_t)b % (uintptr_t)page == 0 ? "yes" : "no", distance >= page ? "yes" : "no");
	munmap(a, 1);
	munmap(b, 1);
	return 0;
}
