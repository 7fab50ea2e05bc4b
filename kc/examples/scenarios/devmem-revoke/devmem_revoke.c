/* A process maps an idle PCI BAR through /dev/mem; a debugger (its parent) PEEKs the mapping; then a
 * driver claims the BAR (the harness's request_region at the point "claim") and both look again
 * (kernel-semantics.md 6 "Revocation", section 8 scenario 11). argv[1]: the BAR's physical address.
 *   6.8 + IO_STRICT_DEVMEM: PEEK reads the ID through generic_access_phys; after the claim
 *     revoke_iomem has zapped the PTE: PEEK gives EIO and the child dies of SIGBUS.
 *   6.8 without IO_STRICT_DEVMEM: the claim revokes nothing (devmem_is_allowed still says yes).
 *   2.6.18: no ->access, so PEEK is EIO before and after; nothing is revoked.
 *   2.6.27: PEEK works (generic_access_phys), nothing is revoked (revocation is 5.8+). */
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/wait.h>

static void peek(pid_t pid, volatile uint32_t *regs, const char *when)
{
	long word;

	errno = 0;
	word = ptrace(PTRACE_PEEKDATA, pid, (void *)regs, NULL);
	if (errno)
		printf("debugger: PEEK %s the claim: %s\n", when, strerror(errno));
	else
		printf("debugger: PEEK %s the claim: id %#x\n", when, (unsigned int)word);
}

int main(int argc, char **argv)
{
	unsigned long bar = argc > 1 ? strtoul(argv[1], NULL, 16) : 0;
	volatile uint32_t *regs;
	volatile int *go;
	int fd, status;
	pid_t pid;

	fd = open("/dev/mem", O_RDWR);
	if (fd < 0) {
		perror("open /dev/mem");
		return 1;
	}
	regs = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)bar);
	if (regs == MAP_FAILED) {
		perror("mmap bar");
		return 1;
	}
	go = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (go == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	*go = 0;
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		printf("child: id %#x\n", regs[0]);
		fflush(stdout);
		*go = 1;
		while (*go != 2)
			sched_yield();
		/* The same access as before the claim. */
		printf("child: after the claim, id %#x\n", regs[0]);
		return 0;
	}
	while (*go != 1)
		sched_yield();
	if (ptrace(PTRACE_ATTACH, pid, NULL, NULL) < 0) {
		perror("PTRACE_ATTACH");
		return 1;
	}
	waitpid(pid, &status, 0);
	peek(pid, regs, "before");
	// @point: claim
	peek(pid, regs, "after");
	ptrace(PTRACE_DETACH, pid, NULL, NULL);
	*go = 2;
	waitpid(pid, &status, 0);
	if (WIFSIGNALED(status))
		printf("child: killed by signal %d%s\n", WTERMSIG(status), WTERMSIG(status) == SIGBUS ? " (SIGBUS)" : "");
	else
		printf("child: exit %d\n", WEXITSTATUS(status));
	return 0;
}
