/*
 * sigbus.c: a read past the end of a file through a shared file mapping (kernel-semantics.md
 * section 2.5: the mapping exists, but the page-cache fault finds no page inside i_size, so the
 * fault path returns VM_FAULT_SIGBUS and the process gets SIGBUS, BUS_ADRERR).
 *
 * The file holds 10 bytes; the mapping covers two pages. Page 0 reads fine (the rest of it is
 * zeros); page 1 lies wholly past EOF. Nothing handles the signal: the process dies of SIGBUS
 * (exit status 135 under a shell). gcc builds it too.
 */
#include <fcntl.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

int main(void)
{
	int fd = open("/tmp/short-file", O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || write(fd, "short file", 10) != 10) {
		perror("short-file");
		return 1;
	}
	char *map = mmap(NULL, 2 * 4096, PROT_READ, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	unlink("/tmp/short-file");  /* the mapping keeps the file alive */
	printf("page 0: \"%.10s\", then %d\n", map, map[10]);
	printf("reading page 1, past the end of the file\n");
	fflush(stdout);
	volatile char value = map[4096];
	printf("not reached: %d\n", value);
	return 0;
}
