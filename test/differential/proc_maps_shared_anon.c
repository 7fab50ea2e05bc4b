// Checks the /proc/self/maps line of a MAP_SHARED|MAP_ANONYMOUS mapping: "rw-s", offset 0, a nonzero inode and the path "/dev/zero (deleted)" (its shmem backing), in the parent and in a forked child (issue 3: /proc/self/maps in the real format; kernel-semantics §1 VM_SHARED).
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE 4096UL

static char maps[1 << 16];

/* Writes "perms offset inode path" of the line containing `address` into `out`. */
static void line_for(const void *address, char *out, size_t size)
{
	int fd = open("/proc/self/maps", O_RDONLY);
	long total = 0, got;
	while (fd >= 0 && total < (long)sizeof maps - 1 && (got = read(fd, maps + total, sizeof maps - 1 - total)) > 0)
		total += got;
	maps[total] = 0;
	if (fd >= 0)
		close(fd);
	snprintf(out, size, "no line");
	for (char *line = maps; *line; ) {
		char *next = strchr(line, '\n');
		if (next == NULL)
			break;
		*next = 0;
		char *cursor;
		unsigned long start = strtoul(line, &cursor, 16);
		unsigned long end = strtoul(cursor + 1, &cursor, 16);
		if (start <= (unsigned long)address && (unsigned long)address < end) {
			char *perms = cursor + 1;
			char *offset = perms + 5;
			char *device = strchr(offset, ' ') + 1;
			char *inode = strchr(device, ' ') + 1;
			unsigned long number = strtoul(inode, &cursor, 10);
			while (*cursor == ' ')
				cursor++;
			snprintf(out, size, "perms %.4s offset %.*s inode %s path \"%s\"", perms, (int)(device - offset - 1), offset, number ? "nonzero" : "0", cursor);
			return;
		}
		line = next + 1;
	}
}

int main(void)
{
	char *shared = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	char *readonly = mmap(NULL, PAGE, PROT_READ, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shared == MAP_FAILED || readonly == MAP_FAILED)
		return 1;
	shared[0] = 1;
	char text[256];
	line_for(shared + PAGE, text, sizeof text);
	printf("shared anonymous: %s\n", text);
	line_for(readonly, text, sizeof text);
	printf("shared anonymous read-only: %s\n", text);

	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		line_for(shared, text, sizeof text);
		printf("in a forked child: %s\n", text);
		fflush(stdout);
		_exit(0);
	}
	waitpid(pid, NULL, 0);
	printf("munmap: %d %d\n", munmap(shared, 2 * PAGE), munmap(readonly, PAGE));
	return 0;
}
