// Checks msync on a shared file mapping: MS_SYNC/MS_ASYNC/MS_INVALIDATE succeed and the data reaches the file, bad flags and unaligned addresses give EINVAL, unmapped ranges ENOMEM (kernel-semantics §1 address_space; issue 3: msync).
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define PAGE 4096UL

static void show(const char *label, int result)
{
	if (result == 0)
		printf("%s: 0\n", label);
	else
		printf("%s: -1 %s\n", label, errno == EINVAL ? "EINVAL" : errno == ENOMEM ? "ENOMEM" : errno == EBUSY ? "EBUSY" : "other errno");
}

int main(void)
{
	char path[64];
	snprintf(path, sizeof path, "/tmp/fl-diff-msync-%d", (int)getpid());
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		return 1;
	printf("ftruncate: %d\n", ftruncate(fd, 2 * PAGE));
	char *map = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED)
		return 1;
	printf("fresh file pages read zero: %d %d\n", map[0], map[2 * PAGE - 1]);
	strcpy(map + 10, "synced text");

	errno = 0;
	show("msync MS_SYNC", msync(map, 2 * PAGE, MS_SYNC));
	show("msync MS_ASYNC", msync(map, PAGE, MS_ASYNC));
	show("msync MS_INVALIDATE", msync(map, PAGE, MS_INVALIDATE));
	show("msync MS_SYNC|MS_ASYNC", msync(map, PAGE, MS_SYNC | MS_ASYNC));
	show("msync unknown flag", msync(map, PAGE, 0x100));
	show("msync unaligned address", msync(map + 1, PAGE, MS_SYNC));
	show("msync length 0", msync(map, 0, MS_SYNC));
	show("msync unaligned length (rounded up)", msync(map, 100, MS_SYNC));

	char *hole = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap(hole, PAGE);
	show("msync on an unmapped range", msync(hole, PAGE, MS_SYNC));
	char *anon = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	anon[0] = 1;
	show("msync on a private anonymous range", msync(anon, PAGE, MS_SYNC));
	munmap(anon, PAGE);

	int other = open(path, O_RDONLY);
	char text[16] = { 0 };
	lseek(other, 10, SEEK_SET);
	printf("read() through another descriptor: %ld \"%s\"\n", (long)read(other, text, 11), text);
	close(other);

	munmap(map, 2 * PAGE);
	close(fd);
	printf("unlink: %d\n", unlink(path));
	return 0;
}
