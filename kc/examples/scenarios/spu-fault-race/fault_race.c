/*
 * fault_race.c: a page fault on an SPU context's local store races with the context switch that
 * saves the context (kernel-semantics.md 2.1-2.2, 3.2 and 8, scenario 3; the seed is
 * Herrenschmidt's 2006 mail: do_no_pfn "doesn't implement the truncate logic that do_no_page()
 * does, which means that it is not protected against racing unmap_mapping_range() calls").
 *
 * ctxA runs on SPE 0 (a thread of this process is in spu_run). The main thread writes a word to a
 * page of ctxA's local store it has not touched yet: the fault handler decides "ctxA is on SPE 0,
 * map its physical local store". The scenario's harness switches SPE 0 to ctxB in the middle of
 * that fault (after the decision, before the PTE). Then the program reads the word back through
 * the mem files, which always go to a context's current backing:
 * - correct (2.6.18's do_no_page retries because truncate_count moved; 2.6.21+ spufs decides and
 *   inserts under the context lock, so the switch waits): the word is in ctxA's local store;
 * - a PFN driver without that lock (the module parameter fault_insert_locked=0): the PTE installed
 *   after the switch points at SPE 0, which now holds ctxB: the write lands in ctxB.
 * gcc builds it too (with -I kc/include for <sys/spu.h>).
 */
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/spu.h>
#include <sys/syscall.h>
#include <unistd.h>

#define LS_SIZE (256 * 1024)
#define FLAG_AT 0x1000
#define WORD_AT 0x2000
#define WRITTEN 0xf00d0003u

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

int main(void)
{
	uint32_t program[] = { SPU(SPU_LDI, FLAG_AT), 1, SPU(SPU_RDSIG, FLAG_AT + 4), SPU(SPU_STOP, 0x7) };
	uint32_t b_word = 0xbbbb0002, in_a = 0, in_b = 0, flag = 0, go = 1;
	volatile uint32_t *ls;
	pthread_t runner;
	int mem_a, mem_b, ctx_b, signal1;

	ctx_a = create_context("/spu/ctxA");
	ctx_b = create_context("/spu/ctxB");
	mem_a = open("/spu/ctxA/mem", O_RDWR);
	mem_b = open("/spu/ctxB/mem", O_RDWR);
	if (ctx_a < 0 || ctx_b < 0 || mem_a < 0 || mem_b < 0) {
		perror("contexts");
		return 1;
	}
	pwrite(mem_a, program, sizeof(program), 0);
	pwrite(mem_b, &b_word, 4, WORD_AT);
	ls = mmap(NULL, LS_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, mem_a, 0);
	if ((void *)ls == MAP_FAILED) {
		perror("mmap mem");
		return 1;
	}
	pthread_create(&runner, NULL, run_ctx_a, NULL);
	/* Wait for ctxA to run (through the file: the mapping's page at WORD_AT stays untouched). */
	while (flag != 1) {
		pread(mem_a, &flag, 4, FLAG_AT);
		sched_yield();
	}
	/* The racing fault: the handler maps a page of ctxA's local store. */
	ls[WORD_AT / 4] = WRITTEN;
	pread(mem_a, &in_a, 4, WORD_AT);
	pread(mem_b, &in_b, 4, WORD_AT);
	printf("ctxA's word 0x%x, ctxB's word 0x%x: %s\n", (unsigned int)in_a, (unsigned int)in_b,
	       in_a == WRITTEN && in_b == 0xbbbb0002 ? "the write reached ctxA" :
	       in_b == WRITTEN ? "the write landed in ctxB (stale PTE to the SPE)" : "neither");
	signal1 = open("/spu/ctxA/signal1", O_WRONLY);
	if (signal1 < 0 || write(signal1, &go, 4) != 4)
		perror("signal1");
	pthread_join(runner, NULL);
	printf("spu_run returned 0x%lx\n", run_status);
	return 0;
}
