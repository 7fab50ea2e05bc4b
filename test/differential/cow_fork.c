// Checks copy-on-write of private anonymous memory after fork: both processes see the pre-fork data, each sees only its own later stores, untouched and zero pages stay shared in behaviour (kernel-semantics §2.1/§2.5 do_wp_page, COW; issue 3 acceptance: COW after fork).
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE 4096UL

static void wait_for(volatile int *flag, int value)
{
	while (*flag != value)
		sched_yield();
}

int main(void)
{
	char *mem = mmap(NULL, 5 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	volatile int *flag = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED || (void *)flag == MAP_FAILED)
		return 1;
	strcpy(mem, "page 0 written before fork");
	strcpy(mem + PAGE, "page 1 before fork");
	strcpy(mem + 3 * PAGE, "page 3 written before fork");
	volatile char zero_read = mem[4 * PAGE];  /* page 4 is read (zero page) but never written */
	(void)zero_read;
	/* page 2 is never touched before fork */

	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		int code = 0;
		if (strcmp(mem, "page 0 written before fork") != 0 || strcmp(mem + PAGE, "page 1 before fork") != 0)
			code |= 1;
		if (mem[2 * PAGE] != 0 || mem[4 * PAGE] != 0)
			code |= 2;
		strcpy(mem + PAGE, "page 1 child");
		strcpy(mem + 2 * PAGE, "page 2 child");
		strcpy(mem + 4 * PAGE, "page 4 child");
		flag[0] = 1;
		wait_for(flag, 2);  /* the parent has now written its own copies */
		if (strcmp(mem + PAGE, "page 1 child") != 0 || strcmp(mem + 2 * PAGE, "page 2 child") != 0)
			code |= 4;
		if (strcmp(mem, "page 0 written before fork") != 0)
			code |= 8;  /* the parent's store to page 0 must not show here */
		if (strcmp(mem + 3 * PAGE, "page 3 written before fork") != 0)
			code |= 16;
		/* Report through shared memory what the child sees now. */
		strcpy((char *)flag + 64, mem + PAGE);
		strcpy((char *)flag + 128, mem);
		_exit(code);
	}
	wait_for(flag, 1);
	printf("parent after the child's stores:\n");
	printf("  page 0: %s\n", mem);
	printf("  page 1: %s\n", mem + PAGE);
	printf("  page 2 first byte: %d\n", mem[2 * PAGE]);
	printf("  page 3: %s\n", mem + 3 * PAGE);
	printf("  page 4 first byte: %d\n", mem[4 * PAGE]);
	strcpy(mem, "page 0 parent after fork");
	strcpy(mem + PAGE, "page 1 parent");
	flag[0] = 2;
	int status = 0;
	waitpid(pid, &status, 0);
	printf("child exit status (0 = every check held): %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	printf("child saw page 1: %s\n", (char *)flag + 64);
	printf("child saw page 0: %s\n", (char *)flag + 128);
	printf("parent page 0: %s\n", mem);
	printf("parent page 1: %s\n", mem + PAGE);

	/* Once the child is gone the parent's pages are its own again: stores keep working. */
	strcpy(mem + 2 * PAGE, "page 2 parent");
	strcpy(mem + 3 * PAGE, "page 3 parent");
	printf("parent pages 2 and 3 after the child exited: %s, %s\n", mem + 2 * PAGE, mem + 3 * PAGE);
	munmap(mem, 5 * PAGE);
	munmap((void *)flag, PAGE);
	return 0;
}
