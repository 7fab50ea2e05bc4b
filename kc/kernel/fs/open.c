/* fs/open.c and fs/attr.c: opening files into descriptors, closing them, truncation and
 * attribute changes.
 *
 *   long sys_open(const char __user *filename, int flags, umode_t mode);
 *   long sys_openat(int dfd, const char __user *filename, int flags, umode_t mode);
 *   long sys_creat(const char __user *pathname, umode_t mode);
 *   long sys_truncate(const char __user *path, long length);
 *   long sys_ftruncate(unsigned int fd, unsigned long length);
 * (close, dup* are in fs/file.c.) Permission checks are those of a root process: none beyond the
 * access mode a file was opened with. */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/fs.h>
#include <linux/file.h>
#include <linux/fdtable.h>
#include <linux/namei.h>
#include <linux/mount.h>
#include <linux/pagemap.h>
#include <linux/err.h>
#include <linux/sched.h>
#include <linux/syscalls.h>
#include "internal.h"

struct file *alloc_empty_file(int flags);

/* O_RDONLY/O_WRONLY/O_RDWR as FMODE_READ/FMODE_WRITE. */
#define OPEN_FMODE(flag) ((fmode_t)(((flag) + 1) & O_ACCMODE))

int vfs_open(const struct path *path, struct file *f)
{
	struct inode *inode = path->dentry->d_inode;
	int error = 0;

	f->f_path = *path;
	path_get(&f->f_path);
	f->f_inode = inode;
	f->f_mapping = inode->i_mapping;
	f->f_op = inode->i_fop;
	if (f->f_op && f->f_op->open)
		error = f->f_op->open(inode, f);
	return error;
}

struct file *dentry_open(const struct path *path, int flags)
{
	struct file *f = alloc_empty_file(flags);
	int error;

	if (IS_ERR(f))
		return f;
	f->f_mode = OPEN_FMODE(flags) | FMODE_LSEEK | FMODE_PREAD | FMODE_PWRITE;
	error = vfs_open(path, f);
	if (error) {
		/* Not opened: no ->release (Linux: FMODE_OPENED is not set). */
		f->f_op = NULL;
		fput(f);
		return ERR_PTR(error);
	}
	return f;
}

/* Files that cannot seek (character devices): lseek is -ESPIPE, pread/pwrite too. */
int nonseekable_open(struct inode *inode, struct file *filp)
{
	(void)inode;
	filp->f_mode &= ~(FMODE_LSEEK | FMODE_PREAD | FMODE_PWRITE);
	return 0;
}

int generic_file_open(struct inode *inode, struct file *filp)
{
	(void)inode;
	(void)filp;
	return 0;
}

int filp_close(struct file *filp, void *id)
{
	(void)id;
	if (!atomic_long_read(&filp->f_count)) {
		printk(KERN_ERR "VFS: Close: file count is 0\n");
		return 0;
	}
	fput(filp);
	return 0;
}

long do_sys_open(struct files_struct *files, int dfd, const char __user *filename, int flags, umode_t mode)
{
	char *tmp;
	int fd;

	if (!files)
		return -EMFILE;
	tmp = getname(filename);
	if (IS_ERR(tmp))
		return PTR_ERR(tmp);
	fd = __alloc_fd(files, 0, NR_OPEN_MAX, flags);
	if (fd >= 0) {
		struct file *f = do_filp_open(dfd, tmp, flags, mode);

		if (IS_ERR(f)) {
			__put_unused_fd(files, fd);
			fd = PTR_ERR(f);
		} else {
			__fd_install(files, fd, f);
		}
	}
	putname(tmp);
	return fd;
}

long sys_open(const char __user *filename, int flags, umode_t mode)
{
	/* x86-64: every file is large (force_o_largefile). */
	return do_sys_open(current->files, AT_FDCWD, filename, flags | O_LARGEFILE, mode);
}

long sys_openat(int dfd, const char __user *filename, int flags, umode_t mode)
{
	return do_sys_open(current->files, dfd, filename, flags | O_LARGEFILE, mode);
}

long sys_creat(const char __user *pathname, umode_t mode)
{
	return sys_open(pathname, O_CREAT | O_WRONLY | O_TRUNC, mode);
}

/* ---- Attributes and truncation (fs/attr.c, fs/open.c) ---- */

/* Changes attributes through ->setattr; the caller holds the inode lock. */
int notify_change(struct dentry *dentry, struct iattr *attr)
{
	struct inode *inode = dentry->d_inode;

	if (inode->i_op->setattr) {
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
		return inode->i_op->setattr(&nop_mnt_idmap, dentry, attr);
#else
		return inode->i_op->setattr(dentry, attr);
#endif
	}
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
	/* simple_setattr */
	{
		int error = setattr_prepare(&nop_mnt_idmap, dentry, attr);

		if (error)
			return error;
		if (attr->ia_valid & ATTR_SIZE)
			truncate_setsize(inode, attr->ia_size);
		setattr_copy(&nop_mnt_idmap, inode, attr);
		return 0;
	}
#else
	{
		int error = inode_change_ok(inode, attr);

		if (error)
			return error;
		return inode_setattr(inode, attr);
	}
#endif
}

int do_truncate(struct dentry *dentry, loff_t length, unsigned int time_attrs, struct file *filp)
{
	struct inode *inode = dentry->d_inode;
	struct iattr newattrs;
	int ret;

	if (length < 0)
		return -EINVAL;
	newattrs.ia_size = length;
	newattrs.ia_valid = ATTR_SIZE | time_attrs;
	newattrs.ia_mode = 0;
	newattrs.ia_file = filp;
	inode_lock(inode);
	ret = notify_change(dentry, &newattrs);
	inode_unlock(inode);
	return ret;
}

long do_sys_truncate(const char __user *pathname, loff_t length)
{
	struct path path;
	struct inode *inode;
	long error;

	if (length < 0)
		return -EINVAL;
	error = user_path_at(AT_FDCWD, pathname, LOOKUP_FOLLOW, &path);
	if (error)
		return error;
	inode = path.dentry->d_inode;
	if (S_ISDIR(inode->i_mode))
		error = -EISDIR;
	else if (!S_ISREG(inode->i_mode))
		error = -EINVAL;
	else
		error = do_truncate(path.dentry, length, 0, NULL);
	path_put(&path);
	return error;
}

long do_sys_ftruncate(struct files_struct *files, unsigned int fd, loff_t length)
{
	struct file *file;
	struct inode *inode;
	long error;

	if (length < 0)
		return -EINVAL;
	file = fget_files(files, fd);
	if (!file)
		return -EBADF;
	inode = file_inode(file);
	/* A file not open for writing, or not a regular file: -EINVAL (as Linux, not -EBADF). */
	if (!S_ISREG(inode->i_mode) || !(file->f_mode & FMODE_WRITE))
		error = -EINVAL;
	else
		error = do_truncate(file->f_path.dentry, length, ATTR_MTIME | ATTR_CTIME, file);
	fput(file);
	return error;
}

long sys_truncate(const char __user *path, long length)
{
	return do_sys_truncate(path, length);
}

long sys_ftruncate(unsigned int fd, unsigned long length)
{
	return do_sys_ftruncate(current->files, fd, (loff_t)(long)length);
}
