// Checks /proc/self/maps as parsed by the program: permission field, offset field, inode and path of anonymous, shared and private file mappings (by the range it knows), " (deleted)" after unlink, [heap] and [stack] presence (issue 3: /proc/self/maps in the real format; kernel-semantics §1 vm_flags, vm_pgoff, vm_file).
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define PAGE 4096UL

static char maps[1 << 16];
static char expected_name[64];

static void load_maps(void)
{
	int fd = open("/proc/self/maps", O_RDONLY);
	long total = 0, got;
	while (fd >= 0 && total < (long)sizeof maps - 1 && (got = read(fd, maps + total, sizeof maps - 1 - total)) > 0)
		total += got;
	maps[total] = 0;
	if (fd >= 0)
		close(fd);
}

/* Prints the fields of the maps line containing `address`, without the addresses and device. */
static void describe(const char *label, const void *address)
{
	unsigned long target = (unsigned long)address;
	load_maps();
	for (char *line = maps; *line; ) {
		char *end_of_line = strchr(line, '\n');
		if (end_of_line == NULL)
			break;
		*end_of_line = 0;
		char *cursor;
		unsigned long start = strtoul(line, &cursor, 16);
		unsigned long end = strtoul(cursor + 1, &cursor, 16);
		if (start <= target && target < end) {
			char perms[5] = { 0 }, offset[17] = { 0 };
			memcpy(perms, cursor + 1, 4);
			cursor += 6;
			int n = 0;
			while (*cursor != ' ' && n < 16)
				offset[n++] = *cursor++;
			cursor++;
			while (*cursor != ' ')  /* device: differs between file systems */
				cursor++;
			unsigned long inode = strtoul(cursor + 1, &cursor, 10);
			while (*cursor == ' ')
				cursor++;
			const char *name = strrchr(cursor, '/') ? strrchr(cursor, '/') + 1 : cursor;
			char shown[96];
			if (*cursor == 0)
				snprintf(shown, sizeof shown, "(empty)");
			else if (strncmp(name, expected_name, strlen(expected_name)) == 0)
				snprintf(shown, sizeof shown, "<the test file>%s", name + strlen(expected_name));
			else
				snprintf(shown, sizeof shown, "%s", cursor[0] == '[' ? cursor : "(another file)");
			printf("%s: perms %s offset %s inode %s path %s\n", label, perms, offset, inode == 0 ? "0" : "nonzero", shown);
			return;
		}
		line = end_of_line + 1;
	}
	printf("%s: no line\n", label);
}

/* True if some line's path is exactly `name`. */
static int has_path(const char *name)
{
	load_maps();
	size_t length = strlen(name);
	for (char *hit = strstr(maps, name); hit; hit = strstr(hit + 1, name))
		if (hit[-1] == ' ' && (hit[length] == '\n' || hit[length] == 0))
			return 1;
	return 0;
}

int main(void)
{
	char path[96];
	snprintf(expected_name, sizeof expected_name, "fl-diff-maps-%d", (int)getpid());
	snprintf(path, sizeof path, "/tmp/%s", expected_name);
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || ftruncate(fd, 4 * PAGE) != 0)
		return 1;

	char *anon = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	anon[0] = 1;
	char *ro = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *none = mmap(NULL, PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *shared_file = mmap(NULL, 2 * PAGE, PROT_READ, MAP_SHARED, fd, PAGE);
	char *private_file = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 3 * PAGE);
	char *shared_rw = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (anon == MAP_FAILED || ro == MAP_FAILED || none == MAP_FAILED || shared_file == MAP_FAILED || private_file == MAP_FAILED || shared_rw == MAP_FAILED)
		return 1;
	private_file[0] = 'p';

	describe("private anonymous rw", anon + PAGE);
	describe("private anonymous read-only", ro);
	describe("private anonymous PROT_NONE", none);
	describe("shared file read-only at offset 1 page", shared_file + PAGE);
	describe("private file rw at offset 3 pages (written)", private_file);
	describe("shared file rw", shared_rw);

	if (sbrk(PAGE) == (void *)-1)
		return 1;
	printf("[heap] present: %s\n", has_path("[heap]") ? "yes" : "no");
	printf("[stack] present: %s\n", has_path("[stack]") ? "yes" : "no");
	int local = 0;
	describe("a local variable", &local);

	printf("unlink while mapped: %d\n", unlink(path));
	describe("shared file after unlink", shared_file);
	close(fd);
	describe("shared file after close", shared_rw);

	munmap(anon, 2 * PAGE);
	describe("after munmap", anon);
	munmap(ro, PAGE);
	munmap(none, PAGE);
	munmap(shared_file, 2 * PAGE);
	munmap(private_file, PAGE);
	munmap(shared_rw, PAGE);
	return 0;
}
