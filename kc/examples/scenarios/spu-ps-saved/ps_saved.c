/*
 * ps_saved.c: a program touches an SPU context's problem-state registers through a mapping while
 * the context is saved, i.e. not on any SPE (kernel-semantics.md 3.2 and 8, scenario 4; the seed is
 * Herrenschmidt's 2006 mail: "in the case of registers, further no_page() will block if the SPU is
 * not scheduled in").
 *
 * It maps the control area of ctxA (/spu/ctxA/cntl: the problem state from 0x4000, where the
 * mailboxes, run control, status and next program counter are) and writes a word to the SPU's
 * inbound mailbox (offset 0xc). ctxA has never run, so the fault finds it saved. Up to 2.6.24 the
 * fault handler binds it to an SPE itself (spu_acquire_runnable) and maps the registers; from 2.6.25
 * it drops mmap_lock and sleeps until someone else binds the context (the scenario's harness
 * does), then returns without a PTE and the write faults again and maps. Then the program runs
 * the SPU program that reads the mailbox, and finally checks the size of the control mapping:
 * 0x4000 on 2.6.18, 0x1000 later, so a child touching offset 0x1000 gets SIGBUS except on 2.6.18.
 * gcc builds it too (with -I kc/include for <sys/spu.h>).
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/spu.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define SPU(op, operand) ((uint32_t)(op) << 24 | ((uint32_t)(operand) & 0xffffff))
enum { SPU_STOP = 0, SPU_RDMB = 7 };

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

/* Offsets in the control area mapping (problem state 0x4000 + ...). */
#define SPU_MB_W 0x0c
#define MB_STAT_R 0x14

int main(void)
{
	uint32_t program[] = { SPU(SPU_RDMB, 0x1000), SPU(SPU_STOP, 0x4) };
	unsigned int npc = 0, event = 0;
	volatile uint32_t *cntl;
	uint32_t stat, got = 0;
	int ctx, mem, cntl_fd, status;
	long run;
	pid_t pid;

	ctx = create_context("/spu/ctxA");
	mem = open("/spu/ctxA/mem", O_RDWR);
	cntl_fd = open("/spu/ctxA/cntl", O_RDWR);
	if (ctx < 0 || mem < 0 || cntl_fd < 0) {
		perror("ctxA");
		return 1;
	}
	pwrite(mem, program, sizeof(program), 0);
	cntl = mmap(NULL, 2 * 4096, PROT_READ | PROT_WRITE, MAP_SHARED, cntl_fd, 0);
	if ((void *)cntl == MAP_FAILED) {
		perror("mmap cntl");
		return 1;
	}
	/* ctxA is saved: this store faults on its problem state. */
	// @point: touch-problem-state
	cntl[SPU_MB_W / 4] = 0x12345;
	stat = cntl[MB_STAT_R / 4];
	printf("mailbox written, %u inbound slots left\n", (unsigned int)(stat >> 8 & 0xff));
	fflush(stdout);

	run = run_context(ctx, &npc, &event);
	pread(mem, &got, 4, 0x1000);
	printf("the SPU read 0x%x from its mailbox; spu_run returned 0x%lx, npc 0x%x\n", (unsigned int)got, run, npc);
	fflush(stdout);

	/* The control mapping's size: a child reads the second page. */
	pid = fork();
	if (pid == 0) {
		(void)cntl[4096 / 4];
		_exit(0);
	}
	waitpid(pid, &status, 0);
	if (WIFSIGNALED(status))
		printf("cntl offset 0x1000: killed by signal %d\n", WTERMSIG(status));
	else
		printf("cntl offset 0x1000: readable\n");
	return 0;
}
