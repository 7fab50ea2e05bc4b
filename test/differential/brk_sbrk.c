// Checks brk/sbrk: growth returns the old break and moves it by the request, new heap pages are zero and writable, shrinking releases pages (a child touching one gets SIGSEGV), brk below the heap start leaves the break unchanged (issue 3: brk; kernel-semantics §1 VMA set).
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE 4096UL

int main(void)
{
	printf("brk test\n");  /* stdio allocates its buffer before the break is measured */
	char *b0 = sbrk(0);
	char *grown_from = sbrk(5 * PAGE);
	char *b1 = sbrk(0);
	char *first_full_page = (char *)(((uintptr_t)b0 + PAGE - 1) & ~(PAGE - 1));
	unsigned long nonzero = 0;
	for (char *c = first_full_page; c < b1; c++)
		nonzero += *c != 0;
	for (char *c = b0; c < b1; c++)
		*c = (char)((c - b0) % 251);
	unsigned long sum = 0;
	for (char *c = b0; c < b1; c++)
		sum += (unsigned char)*c;
	char *shrunk_from = sbrk(-(long)(2 * PAGE));
	char *b2 = sbrk(0);
	int brk_back = brk(b0);
	char *b3 = sbrk(0);
	int brk_low = brk((void *)PAGE);  /* the kernel refuses; glibc's wrapper reports 0 as the break did not fall short */
	char *b4 = sbrk(0);

	printf("sbrk(5 pages) returned the old break: %s\n", grown_from == b0 ? "yes" : "no");
	printf("break moved by %ld\n", (long)(b1 - b0));
	printf("nonzero bytes in new whole pages: %lu\n", nonzero);
	printf("sum after writing the new heap: %lu\n", sum);
	printf("sbrk(-2 pages) returned the previous break: %s, break moved by %ld\n", shrunk_from == b1 ? "yes" : "no", (long)(b2 - b1));
	printf("brk(start) returned %d, break now at start: %s\n", brk_back, b3 == b0 ? "yes" : "no");
	printf("brk below the heap start returned %d, break unchanged: %s\n", brk_low, b4 == b0 ? "yes" : "no");

	/* Pages above the break are gone: a child touching one is killed by SIGSEGV. */
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		volatile char value = first_full_page[3 * PAGE];
		_exit(value);
	}
	int status = 0;
	waitpid(pid, &status, 0);
	printf("child touching a released heap page: %s\n", WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV ? "SIGSEGV" : "not killed by SIGSEGV");

	/* Growing again gives zeroed pages, not the old contents. */
	sbrk(5 * PAGE);
	printf("regrown page reads: %d\n", first_full_page[3 * PAGE]);
	return 0;
}
