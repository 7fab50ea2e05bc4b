// Checks the program's own exit status when it dies of SIGSEGV: exit status 139 (128+11) after writing to a PROT_READ mapping with no handler; output flushed before the fault survives (issue 3: mprotect faults, SIGSEGV delivery; BRIEF 2.4 exit statuses).
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

int main(void)
{
	char *page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (page == MAP_FAILED)
		return 1;
	strcpy(page, "before mprotect");
	printf("mprotect PROT_READ: %d\n", mprotect(page, 4096, PROT_READ));
	printf("still readable: %s\n", page);
	printf("writing now; the process dies of SIGSEGV\n");
	fflush(stdout);
	page[0] = 'X';
	printf("not reached\n");
	return 0;
}
