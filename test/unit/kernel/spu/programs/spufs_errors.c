/* spufs's interface checks (test/unit/kernel/spu/spufs.test.ts): spu_create outside spufs, twice,
 * with flags; spu_run on a file that is not a context; a private mapping of mem; mem read/write
 * offsets; closing the context fd removes the directory while a mapping keeps the context. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/spu.h>
#include <sys/syscall.h>
#include <unistd.h>

static void result(const char *what, long ret)
{
	printf("%s: %ld %s\n", what, ret, ret < 0 ? strerror(errno) : "ok");
}

int main(void)
{
	unsigned int npc = 0, event = 0;
	uint32_t word = 0x11223344, back = 0;
	volatile uint32_t *ls;
	void *priv;
	int ctx, mem;

	result("create outside spufs", syscall(SYS_spu_create, "/tmp/ctx", 0, 0755));
	ctx = (int)syscall(SYS_spu_create, "/spu/ctxA", 0, 0755);
	result("create", ctx >= 0 ? 0 : -1);
	result("create again", syscall(SYS_spu_create, "/spu/ctxA", 0, 0755));
	result("create with NOSCHED", syscall(SYS_spu_create, "/spu/ctxN", SPU_CREATE_NOSCHED, 0755));
	result("create with GANG", syscall(SYS_spu_create, "/spu/ctxG", SPU_CREATE_GANG, 0755));
	mem = open("/spu/ctxA/mem", O_RDWR);
	result("run on mem", syscall(SYS_spu_run, mem, &npc, &event));
	result("run on a bad fd", syscall(SYS_spu_run, 99, &npc, &event));
	priv = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, mem, 0);
	result("private mmap", priv == MAP_FAILED ? -1 : 0);
	result("pwrite at 0x3fffc", pwrite(mem, &word, 4, 0x3fffc));
	result("pwrite past the end", pwrite(mem, &word, 4, 0x40004));
	result("pread at 0x3fffc", pread(mem, &back, 4, 0x3fffc));
	printf("read back 0x%x\n", (unsigned int)back);
	ls = mmap(NULL, 256 * 1024, PROT_READ | PROT_WRITE, MAP_SHARED, mem, 0);
	result("shared mmap", (void *)ls == MAP_FAILED ? -1 : 0);
	close(mem);
	close(ctx);
	result("open mem after close", open("/spu/ctxA/mem", O_RDONLY));
	printf("mapping after close 0x%x\n", (unsigned int)ls[0x3fffc / 4]);
	return 0;
}
