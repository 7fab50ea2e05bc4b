/* fs/sync.c: fsync and fdatasync. tmpfs and the devices here have no backing store, so ->fsync
 * has nothing to write; a file without ->fsync (a character device) answers -EINVAL.
 *
 *   long sys_fsync(unsigned int fd);
 *   long sys_fdatasync(unsigned int fd);
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/fs.h>
#include <linux/file.h>

int vfs_fsync_range(struct file *file, loff_t start, loff_t end, int datasync)
{
	if (!file->f_op || !file->f_op->fsync)
		return -EINVAL;
#if LINUX_VERSION_CODE >= KERNEL_VERSION(3, 1, 0)
	return file->f_op->fsync(file, start, end, datasync);
#else
	(void)start;
	(void)end;
	return file->f_op->fsync(file, file->f_path.dentry, datasync);
#endif
}

int vfs_fsync(struct file *file, int datasync)
{
	return vfs_fsync_range(file, 0, (loff_t)(~0ULL >> 1), datasync);
}

static long do_fsync(unsigned int fd, int datasync)
{
	struct file *f = fget(fd);
	long ret;

	if (!f)
		return -EBADF;
	ret = vfs_fsync(f, datasync);
	fput(f);
	return ret;
}

long sys_fsync(unsigned int fd)
{
	return do_fsync(fd, 0);
}

long sys_fdatasync(unsigned int fd)
{
	return do_fsync(fd, 1);
}
