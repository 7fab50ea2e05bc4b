/* spu_create, a program written into the local store through the mem file, spu_run until the
 * SPU's stop instruction: the status carries the stop code, the count the SPU kept in its local
 * store is read back through mem (test/unit/kernel/spu/spufs.test.ts). */
#include <stdio.h>
#include <stdint.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/spu.h>
#include <sys/syscall.h>

/* src/kernel/devices/spu/isa.ts */
#define SPU(op, operand) ((uint32_t)(op) << 24 | ((uint32_t)(operand) & 0xffffff))
enum { STOP = 0, INC = 3, LDI = 4, DJNZ = 6 };

int main(void)
{
	/* 0x00 LDI 0x1000, 5; 0x08 INC 0x1004; 0x0c DJNZ 0x1000, 0x08; 0x14 STOP 0x42 */
	uint32_t program[] = { SPU(LDI, 0x1000), 5, SPU(INC, 0x1004), SPU(DJNZ, 0x1000), 0x08, SPU(STOP, 0x42) };
	unsigned int npc = 0, event = 0;
	uint32_t count = 0;
	long status;
	int ctx, mem;

	ctx = (int)syscall(SYS_spu_create, "/spu/ctxA", 0, 0755);
	if (ctx < 0) {
		perror("spu_create");
		return 1;
	}
	mem = open("/spu/ctxA/mem", O_RDWR);
	if (mem < 0) {
		perror("open mem");
		return 1;
	}
	if (pwrite(mem, program, sizeof(program), 0) != (ssize_t)sizeof(program)) {
		perror("pwrite");
		return 1;
	}
	status = syscall(SYS_spu_run, ctx, &npc, &event);
	if (pread(mem, &count, 4, 0x1004) != 4) {
		perror("pread");
		return 1;
	}
	printf("status 0x%lx npc 0x%x count %u\n", status, npc, (unsigned int)count);
	close(mem);
	close(ctx);
	return 0;
}
