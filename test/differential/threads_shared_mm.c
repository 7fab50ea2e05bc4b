// Checks that threads share one address space: a mapping made by a thread is used by main, and an mprotect or munmap done by a thread takes effect for main even for pages main had just touched (TLB shootdown) (kernel-semantics §1 one mm per process; issue 3: pthread_create/join, SIGSEGV delivery).
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define PAGE 4096UL

static char *made_by_thread;
static char *shared_page;
static volatile int faults;
static int fault_code[4];

static void on_segv(int signal, siginfo_t *info, void *context)
{
	(void)signal;
	(void)context;
	char *page = (char *)((uintptr_t)info->si_addr & ~(PAGE - 1));
	if (faults >= 4)
		_exit(3);
	fault_code[faults] = info->si_code;
	faults = faults + 1;
	if (info->si_code == SEGV_MAPERR)
		mmap(page, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	else
		mprotect(page, PAGE, PROT_READ | PROT_WRITE);
}

static void *make_mapping(void *argument)
{
	(void)argument;
	made_by_thread = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	strcpy(made_by_thread, "mapped and written by a thread");
	return NULL;
}

static void *protect(void *argument)
{
	(void)argument;
	return (void *)(long)mprotect(shared_page, PAGE, PROT_READ);
}

static void *unmap(void *argument)
{
	(void)argument;
	return (void *)(long)munmap(shared_page, PAGE);
}

static long run_thread(void *(*function)(void *))
{
	pthread_t thread;
	void *result = NULL;
	if (pthread_create(&thread, NULL, function, NULL) != 0)
		return -100;
	pthread_join(thread, &result);
	return (long)result;
}

int main(void)
{
	struct sigaction action;
	memset(&action, 0, sizeof action);
	action.sa_sigaction = on_segv;
	action.sa_flags = SA_SIGINFO;
	sigemptyset(&action.sa_mask);
	sigaction(SIGSEGV, &action, NULL);

	run_thread(make_mapping);
	printf("main reads the thread's mapping: %s\n", made_by_thread);
	made_by_thread[PAGE] = 'm';
	printf("main writes its second page: %c\n", made_by_thread[PAGE]);

	shared_page = made_by_thread + PAGE;
	shared_page[1] = 'x';  /* main has the page mapped writable right now */
	printf("thread's mprotect PROT_READ: %ld\n", run_thread(protect));
	printf("faults before main writes: %d\n", faults);
	shared_page[2] = 'y';
	printf("after main's write: faults %d (%s), data %c%c%c\n", faults,
		faults > 0 && fault_code[0] == SEGV_ACCERR ? "SEGV_ACCERR" : "no ACCERR", shared_page[0], shared_page[1], shared_page[2]);

	printf("thread's munmap: %ld\n", run_thread(unmap));
	shared_page[3] = 'z';
	printf("after main's write to the unmapped page: faults %d (%s), page now holds %d %d %c\n", faults,
		faults > 1 && fault_code[1] == SEGV_MAPERR ? "SEGV_MAPERR" : "no MAPERR", shared_page[0], shared_page[1], shared_page[3]);
	printf("first page unaffected: %s\n", made_by_thread);
	munmap(made_by_thread, 2 * PAGE);
	return 0;
}
