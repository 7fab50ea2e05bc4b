// Checks a SIGBUS handler for a file mapping past EOF: si_code BUS_ADRERR and si_addr at the faulting byte; the handler grows the file with ftruncate and returns, the access restarts and reads zero (kernel-semantics §2.5 VM_FAULT_SIGBUS; issue 3: signals with SIGBUS delivery and sigaction handlers).
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define PAGE 4096UL

static char *base;
static int file;
static volatile int faults;
static int fault_code[8];
static long fault_offset[8];
static int fault_fix[8];

static void on_sigbus(int signal, siginfo_t *info, void *context)
{
	(void)signal;
	(void)context;
	int n = faults;
	if (n >= 8)
		_exit(3);
	fault_code[n] = info->si_code;
	fault_offset[n] = (char *)info->si_addr - base;
	/* Grow the file to cover the faulting page. */
	long needed = (fault_offset[n] / (long)PAGE + 1) * (long)PAGE;
	fault_fix[n] = ftruncate(file, needed);
	faults = n + 1;
}

int main(void)
{
	char path[64];
	snprintf(path, sizeof path, "/tmp/fl-diff-sigbus-handler-%d", (int)getpid());
	file = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (file < 0)
		return 1;
	if (write(file, "one page of file", 16) != 16 || ftruncate(file, PAGE) != 0)
		return 1;

	struct sigaction action;
	memset(&action, 0, sizeof action);
	action.sa_sigaction = on_sigbus;
	action.sa_flags = SA_SIGINFO;
	sigemptyset(&action.sa_mask);
	printf("sigaction: %d\n", sigaction(SIGBUS, &action, NULL));

	base = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, file, 0);
	if (base == MAP_FAILED)
		return 1;
	printf("page 0: %s\n", base);
	volatile char value = base[2 * PAGE + 77];
	printf("read past EOF after the handler grew the file: %d\n", value);
	base[3 * PAGE + 9] = 'E';
	printf("store past EOF after the handler grew the file: %c\n", base[3 * PAGE + 9]);
	printf("page 1 (inside the grown file, no fault): %d\n", base[PAGE]);
	printf("file size now: %ld\n", (long)lseek(file, 0, SEEK_END));

	char byte = 0;
	lseek(file, 3 * PAGE + 9, SEEK_SET);
	if (read(file, &byte, 1) != 1)
		return 1;
	printf("read() sees the store made after the fault: %c\n", byte);

	printf("faults handled: %d\n", faults);
	for (int i = 0; i < faults; i++)
		printf("fault %d: %s at base+%ld, ftruncate returned %d\n", i, fault_code[i] == BUS_ADRERR ? "BUS_ADRERR" : "other si_code", fault_offset[i], fault_fix[i]);
	munmap(base, 4 * PAGE);
	close(file);
	printf("unlink: %d\n", unlink(path));
	return 0;
}
