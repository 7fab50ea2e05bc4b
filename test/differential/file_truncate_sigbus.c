// Checks ftruncate shrinking a mapped file: pages past the new EOF raise SIGBUS in shared and private (even COWed) mappings, data below EOF stays, growing again gives zeros (kernel-semantics §2.1/§2.5 unmap_mapping_range with even_cows; issue 3: unmap_mapping_range, SIGBUS).
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE 4096UL

static void touch_in_child(const char *label, const char *address)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		volatile char value = *address;
		_exit((unsigned char)value);
	}
	int status = 0;
	waitpid(pid, &status, 0);
	if (WIFEXITED(status))
		printf("%s: exited with the byte it read, %d\n", label, WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		printf("%s: killed by %s\n", label, WTERMSIG(status) == SIGBUS ? "SIGBUS" : WTERMSIG(status) == SIGSEGV ? "SIGSEGV" : "another signal");
}

int main(void)
{
	char path[64];
	snprintf(path, sizeof path, "/tmp/fl-diff-truncate-%d", (int)getpid());
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		return 1;
	char block[PAGE];
	for (int i = 0; i < 4; i++) {
		memset(block, 'a' + i, PAGE);
		if (write(fd, block, PAGE) != (long)PAGE)
			return 1;
	}
	char *shared = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	char *priv = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	if (shared == MAP_FAILED || priv == MAP_FAILED)
		return 1;
	printf("before: shared %c %c %c %c\n", shared[0], shared[PAGE], shared[2 * PAGE], shared[3 * PAGE]);
	priv[3 * PAGE] = 'X';   /* a COWed private page */
	priv[0] = 'Y';          /* a COWed private page below the new EOF */
	printf("private COW copies: %c %c\n", priv[0], priv[3 * PAGE]);

	printf("ftruncate to 1 page: %d\n", ftruncate(fd, PAGE));
	printf("shared page 0 still: %c\n", shared[0]);
	printf("private COWed page 0 still: %c\n", priv[0]);
	touch_in_child("child reading shared page 1", shared + PAGE);
	touch_in_child("child reading shared page 3", shared + 3 * PAGE);
	touch_in_child("child reading private COWed page 3", priv + 3 * PAGE);
	touch_in_child("child reading private page 2", priv + 2 * PAGE);

	printf("ftruncate back to 4 pages: %d\n", ftruncate(fd, 4 * PAGE));
	touch_in_child("child reading shared page 2 after regrowth", shared + 2 * PAGE);
	printf("shared page 3 after regrowth: %d\n", shared[3 * PAGE]);
	printf("private page 3 after regrowth (COW copy gone): %d\n", priv[3 * PAGE]);
	shared[PAGE] = 'n';
	char byte = 0;
	lseek(fd, PAGE, SEEK_SET);
	if (read(fd, &byte, 1) != 1)
		return 1;
	printf("store into the regrown file seen by read(): %c\n", byte);

	munmap(shared, 4 * PAGE);
	munmap(priv, 4 * PAGE);
	close(fd);
	printf("unlink: %d\n", unlink(path));
	return 0;
}
