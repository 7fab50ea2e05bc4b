/*
 * counter.c: a read-modify-write of a counter in a shared file mapping, without a lock.
 *
 * Run as two processes ("a" and "b") on the same file. Each maps the file MAP_SHARED, so both
 * address spaces map the same page-cache page, and each adds 1 to the counter with a plain load
 * and store. The explicit schedule of lost-update.json stops "a" between its load and its store
 * (the @point below), runs "b" to the end, then lets "a" finish: a's store overwrites b's, and
 * one increment is lost. Under any schedule that does not split the two statements, the final
 * value is 2 (the file starts out empty on the simulated machine). gcc builds it too; run the
 * two processes at once on real Linux to race them.
 */
#include <fcntl.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	const char *me = argc > 1 ? argv[1] : "?";
	int fd = open("/tmp/counter", O_RDWR | O_CREAT, 0600);
	if (fd < 0 || ftruncate(fd, 4096) != 0) {
		perror("counter file");
		return 1;
	}
	volatile int *counter = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if ((void *)counter == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	int seen = *counter;
	// @point: between-load-and-store
	counter[0] = seen + 1;
	printf("%s: counter %d -> %d\n", me, seen, seen + 1);
	printf("%s: counter is now %d\n", me, *counter);
	munmap((void *)counter, 4096);
	close(fd);
	return 0;
}
