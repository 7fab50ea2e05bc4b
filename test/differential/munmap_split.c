// Checks partial munmap splitting a mapping: the remaining pieces keep their data, the hole faults with SIGSEGV and mincore reports ENOMEM for it (kernel-semantics §1 VMA set, §2.5 zapping; issue 3: munmap).
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE 4096UL

static char *base;

/* Runs a child that reads one byte of page `index`, and prints how it ended. */
static void touch_in_child(int index)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		volatile char value = base[index * PAGE + 10];
		_exit(value);
	}
	int status = 0;
	waitpid(pid, &status, 0);
	if (WIFEXITED(status))
		printf("child reading page %d: exited %d\n", index, WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		printf("child reading page %d: killed by %s\n", index, WTERMSIG(status) == SIGSEGV ? "SIGSEGV" : "another signal");
}

static void mincore_page(int index)
{
	unsigned char vec[1] = { 7 };
	errno = 0;
	int r = mincore(base + index * PAGE, PAGE, vec);
	printf("mincore page %d: %s\n", index, r == 0 ? "mapped" : errno == ENOMEM ? "ENOMEM" : "other error");
}

int main(void)
{
	base = mmap(NULL, 5 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (base == MAP_FAILED)
		return 1;
	for (int i = 0; i < 5; i++)
		memset(base + i * PAGE, 10 + i, PAGE);

	printf("munmap middle page 2: %d\n", munmap(base + 2 * PAGE, PAGE));
	for (int i = 0; i < 5; i++)
		if (i != 2)
			printf("page %d data: %d %d\n", i, base[i * PAGE], base[i * PAGE + PAGE - 1]);
	mincore_page(1);
	mincore_page(2);
	mincore_page(3);
	touch_in_child(1);
	touch_in_child(2);
	touch_in_child(3);

	printf("munmap first and last pages: %d %d\n", munmap(base, PAGE), munmap(base + 4 * PAGE, PAGE));
	mincore_page(0);
	mincore_page(4);
	touch_in_child(0);
	touch_in_child(4);
	base[PAGE] = 'x';
	base[3 * PAGE] = 'y';
	printf("survivors still writable: %c %c\n", base[PAGE], base[3 * PAGE]);

	unsigned char vec[5];
	errno = 0;
	printf("mincore over the whole old range: %s\n", mincore(base, 5 * PAGE, vec) == 0 ? "mapped" : errno == ENOMEM ? "ENOMEM" : "other");
	printf("munmap the whole old range (pages and holes): %d\n", munmap(base, 5 * PAGE));
	mincore_page(1);
	mincore_page(3);
	return 0;
}
