// Checks mincore on file and shared anonymous mappings: it reports page-cache residency (written file pages are resident before the mapping touches them, and stay so after MADV_DONTNEED), pages past EOF are not resident (kernel-semantics §1 address_space/page cache; issue 3 acceptance: mincore, MADV_DONTNEED).
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define PAGE 4096UL

static void show(const char *label, char *address, int pages)
{
	unsigned char vec[8];
	printf("%-44s ", label);
	if (mincore(address, pages * PAGE, vec) != 0) {
		printf("mincore failed\n");
		return;
	}
	for (int i = 0; i < pages; i++)
		putchar(vec[i] & 1 ? '1' : '0');
	putchar('\n');
}

int main(void)
{
	char path[64];
	snprintf(path, sizeof path, "/tmp/fl-diff-mincore-file-%d", (int)getpid());
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	char block[3 * PAGE];
	memset(block, 'f', sizeof block);
	if (fd < 0 || write(fd, block, sizeof block) != (long)sizeof block)
		return 1;
	char *shared = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	char *priv = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	char *shanon = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shared == MAP_FAILED || priv == MAP_FAILED || shanon == MAP_FAILED)
		return 1;

	show("shared file, 3 written pages + 1 past EOF:", shared, 4);
	show("private file, same file:", priv, 4);
	shared[0] = 'S';
	priv[PAGE] = 'P';
	show("shared file after a store to page 0:", shared, 4);
	show("private file after a COW store to page 1:", priv, 4);
	printf("MADV_DONTNEED on both: %d %d\n", madvise(shared, 3 * PAGE, MADV_DONTNEED), madvise(priv, 3 * PAGE, MADV_DONTNEED));
	show("shared file after MADV_DONTNEED:", shared, 4);
	show("private file after MADV_DONTNEED:", priv, 4);
	printf("data: shared %c, private page 1 %c (the file again)\n", shared[0], priv[PAGE]);

	show("shared anonymous, untouched:", shanon, 4);
	shanon[2 * PAGE] = 1;
	show("shared anonymous after a store to page 2:", shanon, 4);
	volatile char value = shanon[0];
	(void)value;
	show("shared anonymous after a read of page 0:", shanon, 4);

	munmap(shared, 4 * PAGE);
	munmap(priv, 4 * PAGE);
	munmap(shanon, 4 * PAGE);
	close(fd);
	printf("unlink: %d\n", unlink(path));
	return 0;
}
