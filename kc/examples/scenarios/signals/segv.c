/*
 * segv.c: a store to a read-only mapping (kernel-semantics.md section 2.5: the fault path finds
 * a VMA without VM_WRITE, and the arch code sends SIGSEGV with SEGV_ACCERR).
 *
 * With no argument, nothing handles the signal and the process dies of SIGSEGV (exit status 139
 * under a shell); output flushed before the fault survives. With "handle", a SA_SIGINFO handler
 * reports the fault, makes the page writable with mprotect and returns: the store runs again and
 * succeeds. gcc builds it too, and real Linux prints the same thing.
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#define PAGE 4096UL

static char *page;

static void on_segv(int signal, siginfo_t *info, void *context)
{
	(void)context;
	printf("handler: signal %d, %s at page offset %ld\n", signal,
	       info->si_code == SEGV_ACCERR ? "SEGV_ACCERR" : "another si_code", (long)((char *)info->si_addr - page));
	mprotect(page, PAGE, PROT_READ | PROT_WRITE);
}

int main(int argc, char **argv)
{
	int handle = argc > 1 && strcmp(argv[1], "handle") == 0;
	if (handle) {
		struct sigaction action;
		memset(&action, 0, sizeof action);
		action.sa_sigaction = on_segv;
		action.sa_flags = SA_SIGINFO;
		sigemptyset(&action.sa_mask);
		sigaction(SIGSEGV, &action, NULL);
	}
	page = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (page == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	printf("page is read-only; storing to it\n");
	fflush(stdout);
	page[100] = 'x';
	printf("the store went through: %c\n", page[100]);
	return 0;
}
