// Checks mremap MREMAP_MAYMOVE|MREMAP_FIXED onto an existing mapping (replaces it), growing a shared file mapping (new pages show the file), and that a move keeps the protection (kernel-semantics §1 vm_pgoff, i_mmap; issue 3: mremap).
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE 4096UL

static int mapped(char *address, unsigned long length)
{
	unsigned char vec[16];
	return mincore(address, length, vec) == 0;
}

int main(void)
{
	char *target = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *source = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (target == MAP_FAILED || source == MAP_FAILED)
		return 1;
	memset(target, 'T', 3 * PAGE);
	memset(source, 'S', 2 * PAGE);
	source[PAGE] = 's';

	char *moved = mremap(source, 2 * PAGE, 2 * PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, target);
	printf("MREMAP_FIXED onto an existing mapping: %s\n", moved == target ? "at the target" : "elsewhere or failed");
	printf("target now holds: %c %c %c, its third page: %c\n", target[0], target[PAGE], target[2 * PAGE - 1], target[2 * PAGE]);
	printf("source range still mapped: %s\n", mapped(source, 2 * PAGE) ? "yes" : "no");

	/* A shared file mapping grown with MREMAP_MAYMOVE keeps mapping the file. */
	char path[64];
	snprintf(path, sizeof path, "/tmp/fl-diff-mremap-%d", (int)getpid());
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	char block[4 * PAGE];
	for (int i = 0; i < 4; i++)
		memset(block + i * PAGE, '0' + i, PAGE);
	if (fd < 0 || write(fd, block, sizeof block) != (long)sizeof block)
		return 1;
	char *file = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, PAGE);
	if (file == MAP_FAILED)
		return 1;
	printf("file mapping at offset 1 page reads: %c %c\n", file[0], file[PAGE]);
	char *grown = mremap(file, 2 * PAGE, 3 * PAGE, MREMAP_MAYMOVE);
	printf("file mapping grown to 3 pages: %s\n", grown == MAP_FAILED ? "failed" : "ok");
	printf("pages now read: %c %c %c\n", grown[0], grown[PAGE], grown[2 * PAGE]);
	grown[2 * PAGE + 1] = 'X';
	char byte = 0;
	lseek(fd, 3 * PAGE + 1, SEEK_SET);
	if (read(fd, &byte, 1) != 1)
		return 1;
	printf("store through the grown page reaches file offset 3 pages + 1: %c\n", byte);

	/* Moving a read-only mapping keeps it read-only. */
	char *ro = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	strcpy(ro, "read-only data");
	mprotect(ro, PAGE, PROT_READ);
	char *blocker = mmap(ro + PAGE, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	char *ro_moved = mremap(ro, PAGE, 2 * PAGE, MREMAP_MAYMOVE);
	printf("read-only mapping moved: %s, reads \"%s\"\n", ro_moved != ro && ro_moved != MAP_FAILED ? "yes" : "no", ro_moved);
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		ro_moved[0] = 'w';
		_exit(0);
	}
	int status = 0;
	waitpid(pid, &status, 0);
	printf("child writing the moved read-only mapping: %s\n", WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV ? "SIGSEGV" : "not killed by SIGSEGV");

	munmap(target, 3 * PAGE);
	munmap(grown, 3 * PAGE);
	munmap(ro_moved, 2 * PAGE);
	if (blocker != MAP_FAILED)
		munmap(blocker, PAGE);
	close(fd);
	printf("unlink: %d\n", unlink(path));
	return 0;
}
