// Checks mprotect faults: a child writing a PROT_READ mapping or reading a PROT_NONE one is killed by SIGSEGV (parent checks WIFSIGNALED && WTERMSIG == SIGSEGV), reads of PROT_READ work, data survives protection changes (kernel-semantics §2.5 access checks; issue 3 acceptance: mprotect faults).
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE 4096UL

static char *mem;

static void child_access(const char *label, int write, unsigned long offset)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		if (write)
			mem[offset] = 'w';
		volatile char value = mem[offset];
		_exit(value == 'w' ? 100 : (unsigned char)value);
	}
	int status = 0;
	waitpid(pid, &status, 0);
	int segv = WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV;
	if (segv)
		printf("%s: WIFSIGNALED && WTERMSIG == SIGSEGV\n", label);
	else if (WIFEXITED(status))
		printf("%s: exited %d\n", label, WEXITSTATUS(status));
	else
		printf("%s: killed by signal %d\n", label, WTERMSIG(status));
}

int main(void)
{
	mem = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		return 1;
	memset(mem, 'r', 2 * PAGE);

	child_access("write to PROT_READ|PROT_WRITE", 1, 10);
	printf("mprotect PROT_READ: %d\n", mprotect(mem, 2 * PAGE, PROT_READ));
	child_access("read of PROT_READ", 0, 10);
	child_access("write to PROT_READ", 1, 10);
	child_access("write to PROT_READ, second page", 1, PAGE + 10);
	printf("mprotect PROT_NONE: %d\n", mprotect(mem, 2 * PAGE, PROT_NONE));
	child_access("read of PROT_NONE", 0, 10);
	child_access("write to PROT_NONE", 1, 10);
	printf("mprotect PROT_WRITE only: %d\n", mprotect(mem, 2 * PAGE, PROT_WRITE));
	child_access("write to PROT_WRITE", 1, 20);
	printf("mprotect PROT_READ|PROT_WRITE: %d\n", mprotect(mem, 2 * PAGE, PROT_READ | PROT_WRITE));
	printf("data kept through the changes: %c %c\n", mem[0], mem[2 * PAGE - 1]);
	mem[0] = 'p';
	printf("parent store after restoring write: %c\n", mem[0]);

	/* A page never touched, made read-only, reads as zero and still refuses writes. */
	char *fresh = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	printf("fresh PROT_READ page reads: %d\n", fresh[123]);
	mem = fresh;
	child_access("write to a fresh PROT_READ page", 1, 0);
	printf("mprotect fresh page RW: %d\n", mprotect(fresh, PAGE, PROT_READ | PROT_WRITE));
	fresh[0] = 'f';
	printf("fresh page after mprotect: %c\n", fresh[0]);
	return 0;
}
