/*
 * ls_backing.c: what backs a mapping of an SPU context's local store, before and after the
 * context switch that saves it (kernel-semantics.md 3.1-3.2 and 8, scenario 2; the seed is
 * Herrenschmidt's 2006 mail: "when an SPU virtual context gets context switched in/out, we use
 * unmap_mapping_range() to destroy any current mapping in the page tables ... further no_page()
 * will then bring in pages from either the backing store or the real SPU local store").
 *
 * The parent maps /spu/ctxA/mem at 0x50000000 and forks: parent and child map the same file, so
 * both VMAs are on the mem inode's i_mmap. A thread of the parent runs ctxA (spu_run); while it
 * runs, both processes read the word at local-store offset 0x2000: their faults map the SPE's own
 * local store (uncached). At the @point below the scenario's harness switches SPE 0 to ctxB:
 * spu_unmap_mappings zaps the PTE in both processes (one unmap_mapping_range, through i_mmap),
 * spu_save copies the local store into ctxA's save area. Both read again: the new faults map the
 * save area's vmalloc page (cached). The value is the same. gcc builds it too (with -I kc/include,
 * for <sys/spu.h>).
 */
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/spu.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define LS_SIZE (256 * 1024)
#define LS_AT ((void *)0x50000000)
#define FLAG_AT 0x1000
#define WORD_AT 0x2000

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

static int ctx_a;
static long run_status;

static void *run_ctx_a(void *unused)
{
	unsigned int npc = 0, event = 0;

	(void)unused;
	run_status = run_context(ctx_a, &npc, &event);
	return NULL;
}

static void wait_phase(volatile int *phase, int value)
{
	while (*phase < value)
		sched_yield();
}

int main(void)
{
	volatile int *phase = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	volatile uint32_t *ls;
	uint32_t go = 1;
	pthread_t runner;
	int mem, ctx_b, signal1, status;
	pid_t pid;

	ctx_a = create_context("/spu/ctxA");
	ctx_b = create_context("/spu/ctxB");
	mem = open("/spu/ctxA/mem", O_RDWR);
	if (ctx_a < 0 || ctx_b < 0 || mem < 0) {
		perror("contexts");
		return 1;
	}
	ls = mmap(LS_AT, LS_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, mem, 0);
	if ((void *)ls == MAP_FAILED) {
		perror("mmap mem");
		return 1;
	}
	/* 0x0 LDI FLAG_AT, 1; 0x8 RDSIG FLAG_AT + 4; 0xc STOP 0x7 */
	ls[0] = SPU(SPU_LDI, FLAG_AT);
	ls[1] = 1;
	ls[2] = SPU(SPU_RDSIG, FLAG_AT + 4);
	ls[3] = SPU(SPU_STOP, 0x7);
	ls[WORD_AT / 4] = 0x5eed0001;

	pid = fork();
	if (pid == 0) {
		wait_phase(phase, 1);
		printf("child: while ctxA runs: 0x%x\n", (unsigned int)ls[WORD_AT / 4]);
		fflush(stdout);
		phase[0] = 2;
		wait_phase(phase, 3);
		printf("child: after the switch: 0x%x\n", (unsigned int)ls[WORD_AT / 4]);
		fflush(stdout);
		phase[0] = 4;
		exit(0);
	}
	pthread_create(&runner, NULL, run_ctx_a, NULL);
	while (ls[FLAG_AT / 4] != 1)
		sched_yield();
	printf("parent: while ctxA runs: 0x%x\n", (unsigned int)ls[WORD_AT / 4]);
	fflush(stdout);
	phase[0] = 1;
	wait_phase(phase, 2);
	// @point: switch-here
	printf("parent: after the switch: 0x%x\n", (unsigned int)ls[WORD_AT / 4]);
	fflush(stdout);
	phase[0] = 3;
	wait_phase(phase, 4);
	waitpid(pid, &status, 0);
	/* Let ctxA's program finish: it waits for signal notification 1. */
	signal1 = open("/spu/ctxA/signal1", O_WRONLY);
	if (signal1 < 0 || write(signal1, &go, 4) != 4)
		perror("signal1");
	pthread_join(runner, NULL);
	printf("parent: spu_run returned 0x%lx\n", run_status);
	return 0;
}
