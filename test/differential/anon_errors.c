// Checks the errno of rejected mmap/munmap/mprotect/madvise calls: length 0, unaligned addresses, no sharing type, bad fd, huge lengths, holes (kernel-semantics §1 VMA set; issue 3: mmap, munmap, mprotect, madvise).
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#define PAGE 4096UL

static const char *errname(int e)
{
	switch (e) {
	case EINVAL: return "EINVAL";
	case ENOMEM: return "ENOMEM";
	case EBADF: return "EBADF";
	case EACCES: return "EACCES";
	case EEXIST: return "EEXIST";
	case ENODEV: return "ENODEV";
	case EPERM: return "EPERM";
	default: return "unexpected errno";
	}
}

/* Prints "label: ok" or "label: -1 ERRNAME" for a call returning -1 (or MAP_FAILED) on failure. */
static void report(const char *label, long result, int error)
{
	if (result == -1)
		printf("%s: -1 %s\n", label, errname(error));
	else
		printf("%s: ok\n", label);
}

#define TRY(label, call) do { errno = 0; long r_ = (long)(call); report(label, r_, errno); } while (0)

int main(void)
{
	char *p = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return 1;
	p[0] = 1;

	TRY("mmap length 0", mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
	TRY("mmap neither shared nor private", mmap(NULL, PAGE, PROT_READ, MAP_ANONYMOUS, -1, 0));
	TRY("mmap file mapping with fd -1", mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, -1, 0));
	TRY("mmap unaligned offset", mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 100));
	TRY("mmap MAP_FIXED unaligned address", mmap(p + 1, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0));
	TRY("mmap length SIZE_MAX", mmap(NULL, SIZE_MAX, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
	TRY("mmap length 2^47", mmap(NULL, 1UL << 47, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0));

	TRY("munmap unaligned address", munmap(p + 1, PAGE));
	TRY("munmap length 0", munmap(p, 0));
	TRY("munmap last page", munmap(p + 3 * PAGE, PAGE));
	TRY("munmap the same page again (a hole)", munmap(p + 3 * PAGE, PAGE));
	TRY("munmap unaligned length (rounded up)", munmap(p + 2 * PAGE, 1));
	TRY("munmap range spanning pages and holes", munmap(p + PAGE, 3 * PAGE));

	TRY("mprotect unaligned address", mprotect(p + 1, PAGE, PROT_READ));
	TRY("mprotect hole", mprotect(p + PAGE, PAGE, PROT_READ));
	TRY("mprotect mapped page", mprotect(p, PAGE, PROT_READ));
	TRY("mprotect length 0", mprotect(p, 0, PROT_READ));

	TRY("madvise unaligned address", madvise(p + 1, PAGE, MADV_DONTNEED));
	TRY("madvise hole", madvise(p + PAGE, PAGE, MADV_DONTNEED));
	TRY("madvise unknown advice", madvise(p, PAGE, 12345));
	TRY("madvise MADV_DONTNEED mapped page", madvise(p, PAGE, MADV_DONTNEED));

	TRY("munmap first page", munmap(p, PAGE));
	return 0;
}
