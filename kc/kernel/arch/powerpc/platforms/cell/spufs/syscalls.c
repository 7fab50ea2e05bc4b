/* spufs/syscalls.c: the module's halves of spu_create(2) and spu_run(2), registered with the
 * kernel's spu_syscalls.c (register_spu_syscalls in spufs_init).
 *
 * sys_spu_run - run code loaded into an SPU: transfers control of execution of a user space thread
 * to an SPU; it returns when the SPU has finished executing or hits an error condition, and is
 * interrupted if a signal needs to be delivered to a handler. The next program counter is read from
 * and written back to *unpc; the return value is the SPU status register (stop code in bits 16-31),
 * *ustatus the context's events. */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/namei.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/module.h>
#include "spufs.h"

static long do_spu_run(struct file *filp, __u32 __user *unpc, __u32 __user *ustatus)
{
	long ret;
	struct spufs_inode_info *i;
	u32 npc, status;

	ret = -EFAULT;
	if (get_user(npc, unpc))
		goto out;

	/* check if this file was created by spu_create */
	ret = -EINVAL;
	if (filp->f_op != &spufs_context_fops)
		goto out;

	i = SPUFS_I(filp->f_path.dentry->d_inode);
	ret = spufs_run_spu(i->i_ctx, &npc, &status);

	if (put_user(npc, unpc))
		ret = -EFAULT;
	if (ustatus && put_user(status, ustatus))
		ret = -EFAULT;
out:
	return ret;
}

#if LINUX_VERSION_CODE >= KERNEL_VERSION(3, 7, 0)
static long do_spu_create(const char __user *pathname, unsigned int flags, umode_t mode, struct file *neighbor)
#else
static long do_spu_create(const char __user *pathname, unsigned int flags, umode_t mode)
#endif
{
	struct path path;
	struct dentry *dentry;
	char *tmp;
	long ret;

#if LINUX_VERSION_CODE >= KERNEL_VERSION(3, 7, 0)
	(void)neighbor;
#endif
	tmp = getname(pathname);
	if (IS_ERR(tmp))
		return PTR_ERR(tmp);
	dentry = kern_path_create(AT_FDCWD, tmp, &path, LOOKUP_DIRECTORY);
	ret = PTR_ERR(dentry);
	if (!IS_ERR(dentry)) {
		ret = spufs_create(&path, dentry, flags, mode);
		done_path_create(&path, dentry);
	}
	putname(tmp);
	return ret;
}

struct spufs_calls spufs_calls = {
	.create_thread = do_spu_create,
	.spu_run = do_spu_run,
	.owner = THIS_MODULE,
};
