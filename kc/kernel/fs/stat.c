/* fs/stat.c: stat, fstat, lstat and newfstatat, filling the x86-64 struct stat (<linux/stat.h>).
 *
 *   long sys_newstat(const char __user *filename, struct stat __user *statbuf);
 *   long sys_newlstat(const char __user *filename, struct stat __user *statbuf);
 *   long sys_newfstat(unsigned int fd, struct stat __user *statbuf);
 *   long sys_newfstatat(int dfd, const char __user *filename, struct stat __user *statbuf, int flag);
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/fs.h>
#include <linux/file.h>
#include <linux/namei.h>
#include <linux/stat.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include "internal.h"

int vfs_getattr(const struct path *path, struct kstat *stat)
{
	struct inode *inode = path->dentry->d_inode;

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
	if (inode->i_op->getattr)
		return inode->i_op->getattr(&nop_mnt_idmap, path, stat, 0, 0);
	generic_fillattr(&nop_mnt_idmap, 0, inode, stat);
#else
	if (inode->i_op->getattr)
		return inode->i_op->getattr(path->mnt, path->dentry, stat);
	generic_fillattr(inode, stat);
#endif
	return 0;
}

int vfs_fstat(unsigned int fd, struct kstat *stat)
{
	struct file *f = fget(fd);
	int error;

	if (!f)
		return -EBADF;
	error = vfs_getattr(&f->f_path, stat);
	fput(f);
	return error;
}

int vfs_fstatat(int dfd, const char __user *filename, struct kstat *stat, int flags)
{
	struct path path;
	unsigned int lookup_flags;
	int error;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT | AT_EMPTY_PATH))
		return -EINVAL;
	if (flags & AT_EMPTY_PATH) {
		char c;

		if (copy_from_user(&c, filename, 1))
			return -EFAULT;
		if (c == 0)
			return dfd == AT_FDCWD ? vfs_getattr(&init_root, stat) : vfs_fstat(dfd, stat);
	}
	lookup_flags = (flags & AT_SYMLINK_NOFOLLOW) ? 0 : LOOKUP_FOLLOW;
	error = user_path_at(dfd, filename, lookup_flags, &path);
	if (error)
		return error;
	error = vfs_getattr(&path, stat);
	path_put(&path);
	return error;
}

static long cp_new_stat(struct kstat *stat, struct stat __user *statbuf)
{
	struct stat tmp;

	memset(&tmp, 0, sizeof(tmp));
	tmp.st_dev = new_encode_dev(stat->dev);
	tmp.st_ino = stat->ino;
	tmp.st_mode = stat->mode;
	tmp.st_nlink = stat->nlink;
	tmp.st_uid = stat->uid;
	tmp.st_gid = stat->gid;
	tmp.st_rdev = new_encode_dev(stat->rdev);
	tmp.st_size = stat->size;
	tmp.st_atime = stat->atime_sec;
	tmp.st_mtime = stat->mtime_sec;
	tmp.st_ctime = stat->ctime_sec;
	tmp.st_blocks = stat->blocks;
	tmp.st_blksize = stat->blksize;
	return copy_to_user(statbuf, &tmp, sizeof(tmp)) ? -EFAULT : 0;
}

long sys_newstat(const char __user *filename, struct stat __user *statbuf)
{
	struct kstat stat;
	int error = vfs_fstatat(AT_FDCWD, filename, &stat, 0);

	if (error)
		return error;
	return cp_new_stat(&stat, statbuf);
}

long sys_newlstat(const char __user *filename, struct stat __user *statbuf)
{
	struct kstat stat;
	int error = vfs_fstatat(AT_FDCWD, filename, &stat, AT_SYMLINK_NOFOLLOW);

	if (error)
		return error;
	return cp_new_stat(&stat, statbuf);
}

long sys_newfstatat(int dfd, const char __user *filename, struct stat __user *statbuf, int flag)
{
	struct kstat stat;
	int error = vfs_fstatat(dfd, filename, &stat, flag);

	if (error)
		return error;
	return cp_new_stat(&stat, statbuf);
}

long sys_newfstat(unsigned int fd, struct stat __user *statbuf)
{
	struct kstat stat;
	int error = vfs_fstat(fd, &stat);

	if (!error)
		error = cp_new_stat(&stat, statbuf);
	return error;
}
