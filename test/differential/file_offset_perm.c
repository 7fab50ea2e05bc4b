// Checks file mappings at a page offset and the open-mode rules: PROT_WRITE|MAP_SHARED needs O_RDWR (EACCES), MAP_PRIVATE of a read-only file may write (COW), mprotect cannot add write to a read-only shared mapping, O_WRONLY cannot be mapped (kernel-semantics §1 vm_pgoff, VM_MAYWRITE; issue 3: mmap, mprotect).
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define PAGE 4096UL

static const char *outcome(void *result)
{
	if (result != MAP_FAILED)
		return "ok";
	return errno == EACCES ? "EACCES" : errno == EINVAL ? "EINVAL" : errno == EBADF ? "EBADF" : "other errno";
}

int main(void)
{
	char path[64];
	snprintf(path, sizeof path, "/tmp/fl-diff-offset-%d", (int)getpid());
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		return 1;
	char block[PAGE];
	for (int i = 0; i < 4; i++) {
		memset(block, 'A' + i, PAGE);
		snprintf(block, 16, "page %d", i);
		if (write(fd, block, PAGE) != (long)PAGE)
			return 1;
	}
	close(fd);

	int rdwr = open(path, O_RDWR);
	int rdonly = open(path, O_RDONLY);
	int wronly = open(path, O_WRONLY);

	char *at2 = mmap(NULL, 2 * PAGE, PROT_READ, MAP_SHARED, rdwr, 2 * PAGE);
	printf("mmap offset 2 pages: %s, reads \"%s\" and \"%s\"\n", outcome(at2), at2, at2 + PAGE);
	errno = 0;
	printf("mmap unaligned offset: %s\n", outcome(mmap(NULL, PAGE, PROT_READ, MAP_SHARED, rdwr, 100)));

	errno = 0;
	printf("PROT_WRITE MAP_SHARED on O_RDONLY: %s\n", outcome(mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, rdonly, 0)));
	errno = 0;
	char *ro_shared = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, rdonly, 0);
	printf("PROT_READ MAP_SHARED on O_RDONLY: %s, reads \"%s\"\n", outcome(ro_shared), ro_shared);
	errno = 0;
	int r = mprotect(ro_shared, PAGE, PROT_READ | PROT_WRITE);
	printf("mprotect adding PROT_WRITE to it: %s\n", r == 0 ? "ok" : errno == EACCES ? "EACCES" : "other errno");

	errno = 0;
	char *ro_private = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, rdonly, PAGE);
	printf("PROT_WRITE MAP_PRIVATE on O_RDONLY: %s\n", outcome(ro_private));
	strcpy(ro_private, "private edit");
	char text[8] = { 0 };
	lseek(rdonly, PAGE, SEEK_SET);
	if (read(rdonly, text, 6) != 6)
		return 1;
	printf("private copy: \"%s\", the file still holds \"%s\"\n", ro_private, text);

	errno = 0;
	printf("PROT_READ MAP_SHARED on O_WRONLY: %s\n", outcome(mmap(NULL, PAGE, PROT_READ, MAP_SHARED, wronly, 0)));
	errno = 0;
	printf("PROT_WRITE MAP_SHARED on a closed descriptor: %s\n", outcome(mmap(NULL, PAGE, PROT_WRITE, MAP_SHARED, 1000, 0)));

	/* The mapping keeps the file open: closing every descriptor does not end it. */
	close(rdwr);
	close(rdonly);
	close(wronly);
	printf("after closing all descriptors, the mapping still reads \"%s\"\n", at2 + PAGE);
	munmap(at2, 2 * PAGE);
	munmap(ro_shared, PAGE);
	munmap(ro_private, PAGE);
	printf("unlink: %d\n", unlink(path));
	return 0;
}
