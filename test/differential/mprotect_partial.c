// Checks mprotect on part of a mapping and across holes: only the named pages change, a range starting in a hole fails with ENOMEM and changes nothing, a range ending in a hole fails with ENOMEM after changing the mapped part (kernel-semantics §1 VMA split; issue 3: mprotect).
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE 4096UL

static char *mem;

/* Forks a child that writes each of `count` pages, and prints which writes were allowed. */
static void probe_writes(const char *label, int count)
{
	printf("%s:", label);
	for (int i = 0; i < count; i++) {
		fflush(stdout);
		pid_t pid = fork();
		if (pid == 0) {
			mem[i * PAGE] = 1;
			_exit(0);
		}
		int status = 0;
		waitpid(pid, &status, 0);
		if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
			printf(" w");
		else if (WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV)
			printf(" SEGV");
		else
			printf(" ?");
	}
	printf("\n");
}

int main(void)
{
	mem = mmap(NULL, 5 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		return 1;
	memset(mem, 'm', 5 * PAGE);
	probe_writes("writable pages at start", 5);

	printf("mprotect page 2 PROT_READ: %d\n", mprotect(mem + 2 * PAGE, PAGE, PROT_READ));
	probe_writes("after protecting page 2", 5);
	printf("mprotect pages 0-1 PROT_READ: %d\n", mprotect(mem, 2 * PAGE, PROT_READ));
	probe_writes("after protecting pages 0-1", 5);
	printf("mprotect pages 1-3 RW: %d\n", mprotect(mem + PAGE, 3 * PAGE, PROT_READ | PROT_WRITE));
	probe_writes("after unprotecting pages 1-3", 5);
	printf("mprotect all RW: %d\n", mprotect(mem, 5 * PAGE, PROT_READ | PROT_WRITE));

	/* Punch a hole at page 3. */
	printf("munmap page 3: %d\n", munmap(mem + 3 * PAGE, PAGE));
	errno = 0;
	int r = mprotect(mem + 3 * PAGE, 2 * PAGE, PROT_READ);
	printf("mprotect pages 3-4 (starts in the hole): %d %s\n", r, r == 0 ? "" : errno == ENOMEM ? "ENOMEM" : "other");
	errno = 0;
	r = mprotect(mem + PAGE, 3 * PAGE, PROT_READ);
	printf("mprotect pages 1-3 (ends in the hole): %d %s\n", r, r == 0 ? "" : errno == ENOMEM ? "ENOMEM" : "other");
	mem[0] = 'x';
	printf("page 0 still writable in the parent: %c\n", mem[0]);
	probe_writes("pages 0-2 after the partial failure", 3);
	mem += 4 * PAGE;
	probe_writes("page 4 after the failure that started in the hole", 1);
	mem -= 4 * PAGE;
	printf("data kept: %c %c %c\n", mem[PAGE], mem[2 * PAGE], mem[4 * PAGE]);
	return 0;
}
