/* Two processes, one SPE: each runs a context whose SPU program counts to argv[1] with WAITs in
 * between, so spusched has to share the SPE by time slices (test/unit/kernel/spu/spufs.test.ts). */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/spu.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define SPU(op, operand) ((uint32_t)(op) << 24 | ((uint32_t)(operand) & 0xffffff))
enum { STOP = 0, WAIT = 2, INC = 3, LDI = 4, DJNZ = 6 };

static int run(const char *path, uint32_t rounds, uint32_t code)
{
	/* 0x00 LDI 0x1000, rounds; 0x08 INC 0x1004; 0x0c WAIT 20000; 0x10 DJNZ 0x1000, 0x08; 0x18 STOP code */
	uint32_t program[] = { SPU(LDI, 0x1000), rounds, SPU(INC, 0x1004), SPU(WAIT, 20000), SPU(DJNZ, 0x1000), 0x08, SPU(STOP, code) };
	unsigned int npc = 0, event = 0;
	uint32_t count = 0;
	char mem_path[64];
	int ctx, mem;
	long status;

	ctx = (int)syscall(SYS_spu_create, path, 0, 0755);
	snprintf(mem_path, sizeof(mem_path), "%s/mem", path);
	mem = open(mem_path, O_RDWR);
	if (ctx < 0 || mem < 0)
		return 1;
	pwrite(mem, program, sizeof(program), 0);
	status = syscall(SYS_spu_run, ctx, &npc, &event);
	pread(mem, &count, 4, 0x1004);
	printf("%s: status 0x%lx count %u\n", path, status, (unsigned int)count);
	return 0;
}

int main(int argc, char **argv)
{
	uint32_t rounds = argc > 1 ? (uint32_t)atoi(argv[1]) : 200;
	int status;
	pid_t pid = fork();

	if (pid == 0)
		return run("/spu/ctxB", rounds, 0xb);
	run("/spu/ctxA", rounds, 0xa);
	waitpid(pid, &status, 0);
	return 0;
}
