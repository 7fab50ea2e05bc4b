// Checks /proc/self/maps lines for one mapping as VMAs split and merge: mprotect of the middle page gives three lines, restoring the protection merges them back into one, munmap of the middle leaves two (issue 3: /proc/self/maps; kernel-semantics §1 VMA set).
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define PAGE 4096UL

static char maps[1 << 16];

/* Prints how many maps lines overlap [from, to) and their permission fields, in order. */
static void lines_over(const char *label, char *from, char *to)
{
	int fd = open("/proc/self/maps", O_RDONLY);
	long total = 0, got;
	while (fd >= 0 && total < (long)sizeof maps - 1 && (got = read(fd, maps + total, sizeof maps - 1 - total)) > 0)
		total += got;
	maps[total] = 0;
	if (fd >= 0)
		close(fd);
	int count = 0;
	char perms[8][5];
	for (char *line = maps; *line; ) {
		char *cursor;
		unsigned long start = strtoul(line, &cursor, 16);
		unsigned long end = strtoul(cursor + 1, &cursor, 16);
		if (start < (unsigned long)to && end > (unsigned long)from && count < 8) {
			memcpy(perms[count], cursor + 1, 4);
			perms[count][4] = 0;
			count++;
		}
		char *next = strchr(line, '\n');
		if (next == NULL)
			break;
		line = next + 1;
	}
	printf("%s: %d line%s:", label, count, count == 1 ? "" : "s");
	for (int i = 0; i < count; i++)
		printf(" %s", perms[i]);
	printf("\n");
}

int main(void)
{
	char *p = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return 1;
	memset(p, 'x', 3 * PAGE);
	char *end = p + 3 * PAGE;
	lines_over("fresh 3-page mapping", p, end);
	printf("mprotect middle page PROT_READ: %d\n", mprotect(p + PAGE, PAGE, PROT_READ));
	lines_over("after mprotect of the middle page", p, end);
	printf("mprotect first page PROT_READ: %d\n", mprotect(p, PAGE, PROT_READ));
	lines_over("after mprotect of the first page too", p, end);
	printf("mprotect all PROT_READ|PROT_WRITE: %d\n", mprotect(p, 3 * PAGE, PROT_READ | PROT_WRITE));
	lines_over("after restoring the protection", p, end);
	printf("mprotect last page PROT_NONE: %d\n", mprotect(p + 2 * PAGE, PAGE, PROT_NONE));
	lines_over("after mprotect of the last page", p, end);
	printf("munmap middle page: %d\n", munmap(p + PAGE, PAGE));
	lines_over("after munmap of the middle page", p, end);
	printf("data kept: %c\n", p[0]);
	munmap(p, 3 * PAGE);
	lines_over("after munmap of everything", p, end);
	return 0;
}
