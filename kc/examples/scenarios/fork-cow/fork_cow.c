/*
 * fork_cow.c: copy-on-write after fork (kernel-semantics.md section 2.5, do_wp_page).
 *
 * The parent fills two pages of a private anonymous mapping, then forks. Both processes now map
 * the same frames read-only; the first store of either one takes a write-protection fault, and
 * do_wp_page gives the writer a copy of its own. The child changes page 0 and exits; the parent
 * then checks that it still sees its own data, writes page 1 (a second COW fault, or a plain
 * write-enable if the child's copy left the frame to the parent alone), and prints what it sees.
 * gcc builds it too, and real Linux prints the same thing.
 */
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE 4096UL

int main(void)
{
	char *mem = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	strcpy(mem, "parent page 0");
	strcpy(mem + PAGE, "parent page 1");
	fflush(stdout);

	pid_t pid = fork();
	if (pid < 0) {
		perror("fork");
		return 1;
	}
	if (pid == 0) {
		/* The child's first store: a write fault on a read-only PTE shared with the parent. */
		// @point: child-store
		strcpy(mem, "child page 0");
		printf("child sees: %s / %s\n", mem, mem + PAGE);
		fflush(stdout);
		_exit(mem[0] == 'c' ? 7 : 1);
	}

	int status = 0;
	if (waitpid(pid, &status, 0) != pid) {
		perror("waitpid");
		return 1;
	}
	printf("child exited with %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	printf("parent sees: %s / %s\n", mem, mem + PAGE);
	strcpy(mem + PAGE, "parent wrote page 1 again");
	printf("parent after its store: %s\n", mem + PAGE);
	munmap(mem, 2 * PAGE);
	return 0;
}
