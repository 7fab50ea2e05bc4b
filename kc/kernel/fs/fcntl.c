/* fs/fcntl.c: fcntl(2) for descriptors and status flags.
 *
 *   long sys_fcntl(unsigned int fd, unsigned int cmd, unsigned long arg);
 * F_DUPFD (lowest free >= arg), F_GETFD/F_SETFD (FD_CLOEXEC), F_GETFL, F_SETFL (O_APPEND and
 * O_NONBLOCK may change); locks and the rest: -EINVAL. */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/fs.h>
#include <linux/file.h>
#include <linux/fdtable.h>
#include <linux/sched.h>
#include <asm/bitops.h>

#define SETFL_MASK (O_APPEND | O_NONBLOCK | O_NDELAY | O_DIRECT | O_NOATIME)

static long do_fcntl(struct files_struct *files, unsigned int fd, unsigned int cmd, unsigned long arg, struct file *filp)
{
	long err = -EINVAL;

	switch (cmd) {
	case F_DUPFD:
		if (arg >= NR_OPEN_MAX)
			return -EINVAL;
		err = __alloc_fd(files, arg, NR_OPEN_MAX, 0);
		if (err >= 0) {
			get_file(filp);
			__fd_install(files, err, filp);
		}
		break;
	case F_GETFD:
		spin_lock(&files->file_lock);
		err = test_bit(fd, files_fdtable(files)->close_on_exec) ? FD_CLOEXEC : 0;
		spin_unlock(&files->file_lock);
		break;
	case F_SETFD:
		spin_lock(&files->file_lock);
		if (arg & FD_CLOEXEC)
			__set_bit(fd, files_fdtable(files)->close_on_exec);
		else
			__clear_bit(fd, files_fdtable(files)->close_on_exec);
		spin_unlock(&files->file_lock);
		err = 0;
		break;
	case F_GETFL:
		err = filp->f_flags;
		break;
	case F_SETFL:
		filp->f_flags = (arg & SETFL_MASK) | (filp->f_flags & ~SETFL_MASK);
		err = 0;
		break;
	default:
		break;
	}
	return err;
}

long sys_fcntl(unsigned int fd, unsigned int cmd, unsigned long arg)
{
	struct files_struct *files = current->files;
	struct file *filp = fget_files(files, fd);
	long err;

	if (!filp)
		return -EBADF;
	err = do_fcntl(files, fd, cmd, arg, filp);
	fput(filp);
	return err;
}
