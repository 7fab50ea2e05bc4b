/* arch/powerpc/platforms/cell/spu_syscalls.c: the spu_create(2) and spu_run(2) system calls, built
 * into the kernel. The work is done by the spufs module, which registers its entry points here when
 * it loads (register_spu_syscalls); without it both calls fail with -ENOSYS, as on a kernel whose
 * spufs is not loaded. The system-call table (arch/x86/entry/syscall_64.c) names sys_spu_run (278)
 * and sys_spu_create (279), the powerpc numbers (see <asm/unistd_64.h>).
 *
 * 2.6.18 took three arguments for spu_create; 2.6.23 added the neighbor fd for affinity
 * (SPU_CREATE_AFFINITY_SPU): its descriptor is checked here, and spufs then refuses affinity (the
 * simulated Cell has one SPE node and no gangs). */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/fs.h>
#include <linux/file.h>
#include <linux/syscalls.h>
#include <asm/spu.h>

static struct spufs_calls *spufs_calls_registered;

#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 23)
long sys_spu_create(const char __user *name, unsigned int flags, umode_t mode, int neighbor_fd)
#else
long sys_spu_create(const char __user *name, unsigned int flags, umode_t mode)
#endif
{
	struct spufs_calls *calls = spufs_calls_registered;
	long ret = -ENOSYS;

	if (!calls)
		return ret;
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 23)
	if (flags & SPU_CREATE_AFFINITY_SPU) {
		struct file *neighbor = fget(neighbor_fd);

		ret = -EBADF;
		if (!neighbor)
			return ret;
		fput(neighbor);
	}
#endif
#if LINUX_VERSION_CODE >= KERNEL_VERSION(3, 7, 0)
	ret = calls->create_thread(name, flags, mode, NULL);
#else
	ret = calls->create_thread(name, flags, mode);
#endif
	return ret;
}

long sys_spu_run(int fd, __u32 __user *unpc, __u32 __user *ustatus)
{
	struct spufs_calls *calls = spufs_calls_registered;
	struct file *filp;
	long ret = -EBADF;

	filp = fget(fd);
	if (filp) {
		ret = -ENOSYS;
		if (calls)
			ret = calls->spu_run(filp, unpc, ustatus);
		fput(filp);
	}
	return ret;
}

int register_spu_syscalls(struct spufs_calls *calls)
{
	if (spufs_calls_registered)
		return -EBUSY;
	spufs_calls_registered = calls;
	return 0;
}

void unregister_spu_syscalls(struct spufs_calls *calls)
{
	if (spufs_calls_registered == calls)
		spufs_calls_registered = NULL;
}
