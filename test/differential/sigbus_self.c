// Checks the program's own exit status when it dies of SIGBUS: exit status 135 (128+7) after reading a shared file mapping past EOF with no handler; output flushed before the fault survives, unflushed output is lost (issue 3: SIGBUS delivery; BRIEF 2.4 exit statuses).
#include <fcntl.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

int main(void)
{
	char path[64];
	snprintf(path, sizeof path, "/tmp/fl-diff-sigbus-self-%d", (int)getpid());
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || write(fd, "short file", 10) != 10)
		return 1;
	char *map = mmap(NULL, 3 * 4096, PROT_READ, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED)
		return 1;
	unlink(path);  /* the mapping keeps the file alive; nothing is left behind after the crash */
	printf("first bytes: %.10s\n", map);
	printf("reading page 1, past EOF; the process dies of SIGBUS\n");
	fflush(stdout);
	printf("this line stays in the stdio buffer and is lost\n");
	volatile char value = map[4096];
	printf("not reached: %d\n", value);
	return 0;
}
