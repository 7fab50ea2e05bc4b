// Checks /proc/self/pagemap bits 63 (present) and 62 (swapped) of anonymous pages: untouched, written, read (zero page), after MADV_DONTNEED, after munmap, in a forked child (issue 3: /proc/self/pagemap in the real format; kernel-semantics §1 PTE present/none).
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE 4096UL

static int pagemap;

static void show(const char *label, const void *address)
{
	uint64_t entry = 0;
	off_t offset = (off_t)((uintptr_t)address / PAGE * sizeof entry);
	if (lseek(pagemap, offset, SEEK_SET) != offset || read(pagemap, &entry, sizeof entry) != (long)sizeof entry) {
		printf("%s: pagemap read failed\n", label);
		return;
	}
	printf("%-40s present %d swapped %d\n", label, (int)(entry >> 63 & 1), (int)(entry >> 62 & 1));
}

int main(void)
{
	pagemap = open("/proc/self/pagemap", O_RDONLY);
	if (pagemap < 0) {
		printf("cannot open /proc/self/pagemap\n");
		return 1;
	}
	char *mem = mmap(NULL, 8 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		return 1;
#ifdef MADV_NOHUGEPAGE
	/* Keeps (m)THP from populating neighbours on real Linux; its result does not matter. */
	madvise(mem, 8 * PAGE, MADV_NOHUGEPAGE);
#endif
	show("page 0 untouched:", mem);
	mem[0] = 1;
	show("page 0 after a write:", mem);
	show("page 1 (neighbour) untouched:", mem + PAGE);
	volatile char value = mem[2 * PAGE + 9];
	(void)value;
	show("page 2 after a read:", mem + 2 * PAGE);
	mem[3 * PAGE + 4095] = 1;
	show("page 3 after a write to its last byte:", mem + 3 * PAGE + 17);

	printf("MADV_DONTNEED pages 0-2: %d\n", madvise(mem, 3 * PAGE, MADV_DONTNEED));
	show("page 0 after MADV_DONTNEED:", mem);
	show("page 2 after MADV_DONTNEED:", mem + 2 * PAGE);
	show("page 3 (outside the range):", mem + 3 * PAGE);
	mem[0] = 2;
	show("page 0 written again:", mem);

	mprotect(mem + 3 * PAGE, PAGE, PROT_READ);
	show("page 3 after mprotect PROT_READ:", mem + 3 * PAGE);

	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		int inherited = pagemap;
		pagemap = open("/proc/self/pagemap", O_RDONLY);  /* the child's own mm */
		show("child: page 0 (written before fork):", mem);
		show("child: page 1 (never touched):", mem + PAGE);
		mem[PAGE] = 1;
		show("child: page 1 after the child's write:", mem + PAGE);
		pagemap = inherited;  /* opened by the parent: it describes the parent's mm */
		show("child, parent's descriptor: page 1:", mem + PAGE);
		fflush(stdout);
		_exit(0);
	}
	waitpid(pid, NULL, 0);
	show("parent: page 1 after the child's write:", mem + PAGE);

	munmap(mem + 4 * PAGE, 4 * PAGE);
	show("page 4 after munmap:", mem + 4 * PAGE);
	munmap(mem, 4 * PAGE);
	close(pagemap);
	return 0;
}
