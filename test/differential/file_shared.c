// Checks a MAP_SHARED file mapping over a file in /tmp: initial contents, stores seen by read(), write() seen through the mapping, msync, data kept after munmap and close (kernel-semantics §1 address_space/page cache, §2.5 do_shared_fault; issue 3 acceptance: file mappings).
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define PAGE 4096UL

static void read_at(int fd, long offset, char *buffer, unsigned long length)
{
	lseek(fd, offset, SEEK_SET);
	long got = read(fd, buffer, length);
	if (got != (long)length)
		printf("short read at %ld: %ld\n", offset, got);
}

int main(void)
{
	char path[64];
	snprintf(path, sizeof path, "/tmp/fl-diff-file-shared-%d", (int)getpid());
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0) {
		printf("open failed\n");
		return 1;
	}
	printf("ftruncate to 3 pages: %d\n", ftruncate(fd, 3 * PAGE));
	char block[PAGE];
	for (int i = 0; i < 3; i++) {
		memset(block, 'a' + i, PAGE);
		lseek(fd, i * PAGE, SEEK_SET);
		printf("write page %d: %ld\n", i, (long)write(fd, block, PAGE));
	}

	char *map = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED) {
		printf("mmap failed\n");
		return 1;
	}
	printf("mapping shows the file: %c %c %c\n", map[0], map[PAGE + 5], map[3 * PAGE - 1]);

	memcpy(map + PAGE + 100, "through the mapping", 19);
	char text[32] = { 0 };
	read_at(fd, PAGE + 100, text, 19);
	printf("read() sees the store: %s\n", text);

	lseek(fd, 2 * PAGE + 7, SEEK_SET);
	printf("write() 5 bytes: %ld\n", (long)write(fd, "HELLO", 5));
	printf("mapping sees write(): %.5s\n", map + 2 * PAGE + 7);

	printf("msync MS_SYNC: %d\n", msync(map, 3 * PAGE, MS_SYNC));
	printf("msync MS_ASYNC one page: %d\n", msync(map + PAGE, PAGE, MS_ASYNC));
	map[0] = 'Z';
	printf("munmap: %d\n", munmap(map, 3 * PAGE));
	printf("close: %d\n", close(fd));

	fd = open(path, O_RDONLY);
	memset(text, 0, sizeof text);
	read_at(fd, 0, text, 1);
	printf("after munmap and close, byte 0 of the file: %c\n", text[0]);
	memset(text, 0, sizeof text);
	read_at(fd, PAGE + 100, text, 19);
	printf("after munmap and close, mapped store in the file: %s\n", text);
	printf("file size: %ld\n", (long)lseek(fd, 0, SEEK_END));
	close(fd);
	printf("unlink: %d\n", unlink(path));
	return 0;
}
