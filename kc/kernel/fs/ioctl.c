/* fs/ioctl.c: ioctl(2).
 *
 *   long sys_ioctl(unsigned int fd, unsigned int cmd, unsigned long arg);
 * The generic commands (FIOCLEX, FIONCLEX, FIONBIO; FIONREAD on regular files) are answered here;
 * everything else goes to the file's unlocked_ioctl (2.6: or ->ioctl), -ENOTTY without one. */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/fs.h>
#include <linux/file.h>
#include <linux/fdtable.h>
#include <linux/uaccess.h>
#include <linux/sched.h>

#define FIONREAD 0x541B
#define FIONBIO 0x5421
#define FIONCLEX 0x5450
#define FIOCLEX 0x5451

long vfs_ioctl(struct file *filp, unsigned int cmd, unsigned long arg)
{
	long error = -ENOTTY;

	if (!filp->f_op)
		return error;
	if (filp->f_op->unlocked_ioctl) {
		error = filp->f_op->unlocked_ioctl(filp, cmd, arg);
		if (error == -ENOIOCTLCMD)
			error = -ENOTTY;
	}
#if LINUX_VERSION_CODE < KERNEL_VERSION(2, 6, 36)
	else if (filp->f_op->ioctl) {
		/* The big kernel lock is not modelled. */
		error = filp->f_op->ioctl(file_inode(filp), filp, cmd, arg);
	}
#endif
	return error;
}

static void set_close_on_exec(unsigned int fd, int flag)
{
	struct files_struct *files = current->files;
	struct fdtable *fdt;

	spin_lock(&files->file_lock);
	fdt = files_fdtable(files);
	if (fd < fdt->max_fds) {
		if (flag)
			__set_bit(fd, fdt->close_on_exec);
		else
			__clear_bit(fd, fdt->close_on_exec);
	}
	spin_unlock(&files->file_lock);
}

long do_vfs_ioctl(struct file *filp, unsigned int fd, unsigned int cmd, unsigned long arg)
{
	struct inode *inode = file_inode(filp);

	switch (cmd) {
	case FIOCLEX:
		set_close_on_exec(fd, 1);
		return 0;
	case FIONCLEX:
		set_close_on_exec(fd, 0);
		return 0;
	case FIONBIO: {
		int on;

		if (copy_from_user(&on, (void __user *)arg, sizeof(on)))
			return -EFAULT;
		if (on)
			filp->f_flags |= O_NONBLOCK;
		else
			filp->f_flags &= ~O_NONBLOCK;
		return 0;
	}
	default:
		break;
	}
	if (S_ISREG(inode->i_mode) && cmd == FIONREAD) {
		int avail = i_size_read(inode) > filp->f_pos ? (int)(i_size_read(inode) - filp->f_pos) : 0;

		return copy_to_user((void __user *)arg, &avail, sizeof(avail)) ? -EFAULT : 0;
	}
	return vfs_ioctl(filp, cmd, arg);
}

long sys_ioctl(unsigned int fd, unsigned int cmd, unsigned long arg)
{
	struct file *filp = fget(fd);
	long error;

	if (!filp)
		return -EBADF;
	error = do_vfs_ioctl(filp, fd, cmd, arg);
	fput(filp);
	return error;
}
