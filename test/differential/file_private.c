// Checks a MAP_PRIVATE file mapping: stores stay private (read() and a shared mapping do not see them), untouched pages still follow the page cache, MADV_DONTNEED drops the private copy (kernel-semantics §1 is_cow_mapping, §2.5 do_cow_fault; issue 3 acceptance: file mappings, COW).
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define PAGE 4096UL

int main(void)
{
	char path[64];
	snprintf(path, sizeof path, "/tmp/fl-diff-file-private-%d", (int)getpid());
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		return 1;
	char block[PAGE];
	for (int i = 0; i < 3; i++) {
		memset(block, '0' + i, PAGE);
		if (write(fd, block, PAGE) != (long)PAGE)
			return 1;
	}

	char *priv = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	char *shared = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (priv == MAP_FAILED || shared == MAP_FAILED)
		return 1;
	printf("private mapping reads the file: %c %c %c\n", priv[0], priv[PAGE], priv[2 * PAGE]);

	/* Read page 1 first, so its PTE maps the page-cache page itself. */
	printf("page 1 before the file changes: %c\n", priv[PAGE + 1]);
	priv[0] = 'P';
	printf("private store: %c, shared mapping still: %c\n", priv[0], shared[0]);
	char byte = 0;
	lseek(fd, 0, SEEK_SET);
	if (read(fd, &byte, 1) != 1)
		return 1;
	printf("read() of byte 0: %c\n", byte);

	/* Change the file under the private mapping: the COWed page keeps its copy, others follow. */
	lseek(fd, 0, SEEK_SET);
	if (write(fd, "F", 1) != 1)
		return 1;
	lseek(fd, PAGE + 1, SEEK_SET);
	if (write(fd, "G", 1) != 1)
		return 1;
	shared[2 * PAGE + 2] = 'H';
	printf("COWed page 0 after write(): %c\n", priv[0]);
	printf("untouched-for-write page 1 after write(): %c\n", priv[PAGE + 1]);
	printf("read-only-used page 2 after a store through the shared mapping: %c\n", priv[2 * PAGE + 2]);

	/* MADV_DONTNEED on a private file mapping drops the private copy: the file shows again. */
	priv[PAGE + 1] = 'Q';
	printf("page 1 after a private store: %c, shared sees %c\n", priv[PAGE + 1], shared[PAGE + 1]);
	printf("madvise MADV_DONTNEED: %d\n", madvise(priv, 2 * PAGE, MADV_DONTNEED));
	printf("after MADV_DONTNEED: page 0 %c, page 1 %c\n", priv[0], priv[PAGE + 1]);

	printf("munmap: %d %d\n", munmap(priv, 3 * PAGE), munmap(shared, 3 * PAGE));
	close(fd);
	printf("unlink: %d\n", unlink(path));
	return 0;
}
