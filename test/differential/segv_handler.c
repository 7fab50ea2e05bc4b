// Checks a user-space SIGSEGV handler (sigaction SA_SIGINFO): si_code SEGV_ACCERR for protection faults and SEGV_MAPERR for unmapped pages, si_addr at the faulting byte; the handler fixes the page (mprotect or mmap MAP_FIXED) and returns so the access restarts (kernel-semantics §2.5 arch entry, SIGSEGV; issue 3: signals with sigaction handlers).
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define PAGE 4096UL
#define MAX_EVENTS 16

static char *base;
static volatile int events;
static int event_code[MAX_EVENTS];
static long event_offset[MAX_EVENTS];
static int event_fix[MAX_EVENTS];

/* Records the fault, then makes the page accessible: mprotect if mapped, a fresh page if not. */
static void on_segv(int signal, siginfo_t *info, void *context)
{
	(void)signal;
	(void)context;
	char *address = info->si_addr;
	char *page = (char *)((uintptr_t)address & ~(PAGE - 1));
	int n = events;
	if (n >= MAX_EVENTS)
		_exit(3);  /* a fault that the handler cannot fix would loop forever */
	event_code[n] = info->si_code;
	event_offset[n] = address - base;
	if (info->si_code == SEGV_MAPERR)
		event_fix[n] = mmap(page, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == page ? 1 : -1;
	else
		event_fix[n] = mprotect(page, PAGE, PROT_READ | PROT_WRITE) == 0 ? 2 : -2;
	events = n + 1;
}

static const char *code_name(int code)
{
	return code == SEGV_ACCERR ? "SEGV_ACCERR" : code == SEGV_MAPERR ? "SEGV_MAPERR" : "other si_code";
}

int main(void)
{
	struct sigaction action;
	memset(&action, 0, sizeof action);
	action.sa_sigaction = on_segv;
	action.sa_flags = SA_SIGINFO;
	sigemptyset(&action.sa_mask);
	printf("sigaction: %d\n", sigaction(SIGSEGV, &action, NULL));

	base = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (base == MAP_FAILED)
		return 1;
	strcpy(base, "page zero data");
	strcpy(base + PAGE, "page one data");
	mprotect(base, PAGE, PROT_NONE);
	mprotect(base + PAGE, PAGE, PROT_READ);
	munmap(base + 3 * PAGE, PAGE);

	base[PAGE + 123] = 'W';                 /* write to PROT_READ: ACCERR, then restarts */
	printf("store to the read-only page after the handler: %c\n", base[PAGE + 123]);
	printf("read-only page kept its data: %.8s\n", base + PAGE);
	volatile char first = base[5];          /* read of PROT_NONE: ACCERR */
	printf("read from the PROT_NONE page after the handler: %c\n", first);
	base[3 * PAGE + 4000] = 'M';            /* unmapped: MAPERR, the handler maps a page */
	printf("store to the unmapped page after the handler: %c\n", base[3 * PAGE + 4000]);
	printf("rest of that new page is zero: %d\n", base[3 * PAGE]);
	base[2 * PAGE + 5] = 'N';               /* an ordinary page: no fault */
	base[PAGE + 124] = 'V';                 /* already fixed: no second fault */

	printf("faults handled: %d\n", events);
	for (int i = 0; i < events; i++)
		printf("fault %d: %s at base+%ld, fixed by %s\n", i, code_name(event_code[i]), event_offset[i],
			event_fix[i] == 1 ? "mmap MAP_FIXED" : event_fix[i] == 2 ? "mprotect" : "a failing call");
	return 0;
}
