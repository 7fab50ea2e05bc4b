// Checks file mappings across fork: a child's store to a MAP_PRIVATE file page stays in the child (parent and file unchanged), a store to a MAP_SHARED file page reaches the parent and the file (kernel-semantics §1 i_mmap, is_cow_mapping; issue 3 acceptance: file mappings, COW after fork).
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE 4096UL

static int child_status(pid_t pid)
{
	int status = 0;
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int main(void)
{
	char path[64];
	snprintf(path, sizeof path, "/tmp/fl-diff-cow-file-%d", (int)getpid());
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		return 1;
	char block[2 * PAGE];
	memset(block, '.', sizeof block);
	strcpy(block, "file page 0");
	strcpy(block + PAGE, "file page 1");
	if (write(fd, block, sizeof block) != (long)sizeof block)
		return 1;
	char *priv = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	char *shared = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (priv == MAP_FAILED || shared == MAP_FAILED)
		return 1;
	strcpy(priv + PAGE, "parent's private page 1");  /* COWed in the parent before fork */

	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		int code = 0;
		if (strcmp(priv + PAGE, "parent's private page 1") != 0)
			code |= 1;  /* the child inherits the parent's private copy */
		strcpy(priv, "child's private page 0");
		strcpy(priv + PAGE, "child's private page 1");
		strcpy(shared + PAGE + 100, "child via shared");
		if (strcmp(priv, "child's private page 0") != 0)
			code |= 2;
		_exit(code);
	}
	printf("child exit status (0 = every check held): %d\n", child_status(pid));
	printf("parent private page 0: %s\n", priv);
	printf("parent private page 1: %s\n", priv + PAGE);
	printf("parent shared page 0: %s\n", shared);
	printf("parent shared page 1 at 100: %s\n", shared + PAGE + 100);
	char text[32] = { 0 };
	lseek(fd, 0, SEEK_SET);
	if (read(fd, text, 11) != 11)
		return 1;
	printf("file page 0 by read(): %s\n", text);
	memset(text, 0, sizeof text);
	lseek(fd, PAGE + 100, SEEK_SET);
	if (read(fd, text, 16) != 16)
		return 1;
	printf("file page 1 at 100 by read(): %s\n", text);

	munmap(priv, 2 * PAGE);
	munmap(shared, 2 * PAGE);
	close(fd);
	printf("unlink: %d\n", unlink(path));
	return 0;
}
