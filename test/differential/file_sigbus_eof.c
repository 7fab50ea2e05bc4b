// Checks a shared file mapping longer than the file: the partial last page reads zeros past EOF and its stores do not grow the file, pages wholly past EOF raise SIGBUS (exit status 135), also for a mapping that starts past EOF (kernel-semantics §2.5 do_fault → VM_FAULT_SIGBUS; issue 3: signals with SIGBUS delivery).
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE 4096UL
#define FILE_SIZE 6000L

/* Runs a child that reads the byte at `address`, and prints how it ended. */
static void touch_in_child(const char *label, const char *address)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		volatile char value = *address;
		_exit(value == 0 ? 0 : 1);
	}
	int status = 0;
	waitpid(pid, &status, 0);
	if (WIFEXITED(status))
		printf("%s: exited %d\n", label, WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		printf("%s: killed by signal %d%s, shell status %d\n", label, WTERMSIG(status), WTERMSIG(status) == SIGBUS ? " (SIGBUS)" : "", 128 + WTERMSIG(status));
}

int main(void)
{
	char path[64];
	snprintf(path, sizeof path, "/tmp/fl-diff-sigbus-eof-%d", (int)getpid());
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		return 1;
	char data[FILE_SIZE];
	memset(data, 'd', sizeof data);
	printf("write %ld bytes: %ld\n", FILE_SIZE, (long)write(fd, data, sizeof data));

	char *map = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED)
		return 1;
	printf("mmap of 3 pages over a %ld-byte file: ok\n", FILE_SIZE);
	printf("last file byte: %c\n", map[FILE_SIZE - 1]);
	unsigned long nonzero = 0;
	for (unsigned long i = FILE_SIZE; i < 2 * PAGE; i++)
		nonzero += map[i] != 0;
	printf("nonzero bytes between EOF and the end of its page: %lu\n", nonzero);
	map[FILE_SIZE + 10] = 'T';
	printf("store past EOF in the last page reads back: %c\n", map[FILE_SIZE + 10]);
	printf("file size after that store: %ld\n", (long)lseek(fd, 0, SEEK_END));

	touch_in_child("child reading the partial last page", map + FILE_SIZE + 1);
	touch_in_child("child reading the first page past EOF", map + 2 * PAGE);
	touch_in_child("child reading the last byte of the mapping", map + 3 * PAGE - 1);

	char *beyond = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, fd, 4 * PAGE);
	printf("mmap at file offset 4 pages (past EOF): %s\n", beyond == MAP_FAILED ? "failed" : "ok");
	touch_in_child("child reading a mapping that starts past EOF", beyond);

	printf("ftruncate to 3 pages: %d\n", ftruncate(fd, 3 * PAGE));
	touch_in_child("child reading page 2 after the file grew", map + 2 * PAGE);

	munmap(beyond, PAGE);
	munmap(map, 3 * PAGE);
	close(fd);
	printf("unlink: %d\n", unlink(path));
	return 0;
}
