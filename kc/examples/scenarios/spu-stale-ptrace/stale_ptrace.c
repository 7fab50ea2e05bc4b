/*
 * stale_ptrace.c: a debugger reads an SPU context's local store through ptrace while the SPU
 * scheduler switches the context out (kernel-semantics.md 3.3 and 8, scenario 1; the seed is
 * Herrenschmidt's 2006 mail: "it's currently possible to trick PTRACE into reading the local
 * store of an SPU that has been switched to a different task").
 *
 * The parent is the debugger. It creates context ctxB and stores ctxB's word at local-store
 * offset 0x2000, then forks the victim. The victim creates ctxA, writes an SPU program and ctxA's
 * word (at the same offset) through a MAP_SHARED mapping of /spu/ctxA/mem, starts the program on a
 * thread (spu_run), waits until the SPU runs it, and reads the word through its mapping: the PTE
 * now maps the SPE's physical local store. Then the debugger attaches and PEEKs that address, and
 * finally lets ctxA's program stop (a signal notification) so that the victim's spu_run returns.
 * The scenario's harness switches SPE 0 from ctxA to ctxB in the middle of the PEEK.
 *
 * What the debugger sees depends on the kernel: 2.6.18 hands access_process_vm the struct page of
 * the SPE's local store, which now holds ctxB's data (ctxB's word); 2.6.20-2.6.26 mark the mapping
 * VM_IO, so the PEEK fails (EIO); 2.6.27+ read it through spufs's ->access under the context lock
 * (ctxA's word, from wherever ctxA lives). gcc builds it too (with -I kc/include, for
 * <sys/spu.h>); on a Cell it needs spufs on /spu.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/spu.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define LS_SIZE (256 * 1024)
#define FLAG_AT 0x1000		/* the SPU program sets this word when it runs */
#define WORD_AT 0x2000		/* "offset X" */
#define CTX_A_WORD 0xaaaa0001u
#define CTX_B_WORD 0xbbbb0002u

/* SPU instructions (Faultline's SPU model, src/kernel/devices/spu/isa.ts). */
#define SPU(op, operand) ((uint32_t)(op) << 24 | ((uint32_t)(operand) & 0xffffff))
enum { SPU_STOP = 0, SPU_LDI = 4, SPU_RDSIG = 9 };

/* spu_create(2) and spu_run(2) have no glibc wrappers: call them by number where the machine has
 * them (powerpc, Faultline); elsewhere <sys/spu.h>'s inline versions fail with ENOSYS. */
static int create_context(const char *path)
{
#ifdef SYS_spu_create
	return (int)syscall(SYS_spu_create, path, 0, 0755);
#else
	return spu_create(path, 0, 0755);
#endif
}

static long run_context(int fd, unsigned int *npc, unsigned int *event)
{
#ifdef SYS_spu_run
	return syscall(SYS_spu_run, fd, npc, event);
#else
	return spu_run(fd, npc, event);
#endif
}

struct shared {
	volatile int ready;
	volatile unsigned long address;
};

static int ctx_a;
static long run_status;

static void *run_ctx_a(void *unused)
{
	unsigned int npc = 0, event = 0;

	(void)unused;
	run_status = run_context(ctx_a, &npc, &event);
	return NULL;
}

static int victim(struct shared *shared)
{
	pthread_t runner;
	volatile uint32_t *ls;
	int mem;

	ctx_a = create_context("/spu/ctxA");
	mem = open("/spu/ctxA/mem", O_RDWR);
	if (ctx_a < 0 || mem < 0) {
		perror("victim: ctxA");
		return 1;
	}
	ls = mmap(NULL, LS_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, mem, 0);
	if ((void *)ls == MAP_FAILED) {
		perror("victim: mmap mem");
		return 1;
	}
	/* 0x0 LDI FLAG_AT, 1; 0x8 RDSIG FLAG_AT + 4 (wait for a signal notification); 0xc STOP 0x7 */
	ls[0] = SPU(SPU_LDI, FLAG_AT);
	ls[1] = 1;
	ls[2] = SPU(SPU_RDSIG, FLAG_AT + 4);
	ls[3] = SPU(SPU_STOP, 0x7);
	ls[WORD_AT / 4] = CTX_A_WORD;
	pthread_create(&runner, NULL, run_ctx_a, NULL);
	while (ls[FLAG_AT / 4] != 1)
		sched_yield();
	/* ctxA runs on an SPE: this read maps the SPE's own local store. */
	printf("victim: ctxA runs, its word is 0x%x\n", (unsigned int)ls[WORD_AT / 4]);
	fflush(stdout);
	shared->address = (unsigned long)&ls[WORD_AT / 4];
	shared->ready = 1;
	/* The debugger ends the SPU program with a signal notification when it is done. */
	pthread_join(runner, NULL);
	printf("victim: spu_run returned 0x%lx\n", run_status);
	return 0;
}

int main(void)
{
	struct shared *shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	uint32_t word = CTX_B_WORD;
	int ctx_b, mem_b, signal1, status, tries;
	pid_t pid;
	long peek;

	ctx_b = create_context("/spu/ctxB");
	mem_b = open("/spu/ctxB/mem", O_RDWR);
	if (ctx_b < 0 || mem_b < 0 || pwrite(mem_b, &word, 4, WORD_AT) != 4) {
		perror("debugger: ctxB");
		return 1;
	}
	pid = fork();
	if (pid == 0)
		exit(victim(shared));
	while (!shared->ready)
		sched_yield();
	/* Attach, and PEEK once the victim is stopped for us (ESRCH until then: a real debugger would
	 * waitpid for the stop). */
	if (ptrace(PTRACE_ATTACH, pid, NULL, NULL) != 0)
		perror("debugger: PTRACE_ATTACH");
	for (tries = 0; tries < 100; tries++) {
		errno = 0;
		peek = ptrace(PTRACE_PEEKDATA, pid, (void *)shared->address, NULL);
		if (!(peek == -1 && errno == ESRCH))
			break;
		sched_yield();
	}
	if (peek == -1 && errno != 0)
		printf("debugger: PEEKDATA failed: %s\n", strerror(errno));
	else
		printf("debugger: PEEKDATA reads 0x%x (%s)\n", (unsigned int)(uint32_t)peek,
		       (uint32_t)peek == CTX_A_WORD ? "ctxA's word" : (uint32_t)peek == CTX_B_WORD ? "ctxB's word" : "neither");
	ptrace(PTRACE_DETACH, pid, NULL, NULL);
	/* Let ctxA's program finish: it waits for signal notification 1. */
	signal1 = open("/spu/ctxA/signal1", O_WRONLY);
	if (signal1 < 0 || write(signal1, &word, 4) != 4)
		perror("debugger: signal1");
	waitpid(pid, &status, 0);
	return status;
}
