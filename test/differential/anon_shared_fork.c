// Checks MAP_SHARED|MAP_ANONYMOUS memory across fork: writes by either process are seen by the other while both run, private memory is not shared (kernel-semantics §1 VM_SHARED; issue 3 acceptance: anonymous mappings, fork).
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE 4096UL

/* Spins until *flag holds value; the other process sets it. */
static void wait_for(volatile int *flag, int value)
{
	while (*flag != value)
		sched_yield();
}

static void report(const char *label, pid_t pid)
{
	int status = 0;
	if (waitpid(pid, &status, 0) != pid) {
		printf("%s: waitpid failed\n", label);
		return;
	}
	if (WIFEXITED(status))
		printf("%s: exited %d\n", label, WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		printf("%s: killed by signal %d\n", label, WTERMSIG(status));
}

int main(void)
{
	char *shared = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	char *private = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	volatile int *flag = (volatile int *)(shared + PAGE);
	if (shared == MAP_FAILED || private == MAP_FAILED)
		return 1;
	printf("shared page starts zero: %s\n", shared[0] == 0 && shared[PAGE - 1] == 0 ? "yes" : "no");
	strcpy(shared, "written by the parent before fork");
	strcpy(private, "private before fork");

	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		int code = 0;
		if (strcmp(shared, "written by the parent before fork") != 0)
			code |= 1;
		if (strcmp(private, "private before fork") != 0)
			code |= 2;
		strcpy(shared, "written by the child");
		strcpy(private, "child's private copy");
		*flag = 1;          /* tell the parent the child wrote */
		wait_for(flag, 2);  /* the parent answers through the same page */
		if (strcmp(shared, "answered by the parent") != 0)
			code |= 4;
		shared[100] = 42;   /* written after the parent stops waiting, seen after exit */
		_exit(code);
	}
	wait_for(flag, 1);
	printf("parent sees the child's shared write while it runs: %s\n", shared);
	printf("parent's private copy: %s\n", private);
	strcpy(shared, "answered by the parent");
	*flag = 2;
	report("child (exit code bits: 1 shared, 2 private, 4 answer)", pid);
	printf("byte written by the child before exit: %d\n", shared[100]);

	/* A second child inherits the shared mapping as the parent left it. */
	fflush(stdout);
	pid = fork();
	if (pid == 0)
		_exit(shared[100] == 42 && *flag == 2 ? 0 : 1);
	report("second child sees the current shared contents (0 = yes)", pid);

	printf("munmap shared: %d\n", munmap(shared, 2 * PAGE));
	printf("munmap private: %d\n", munmap(private, PAGE));
	return 0;
}
