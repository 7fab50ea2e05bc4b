/* fs/libfs.c: helpers for simple in-memory file systems: directories that exist only in the
 * dentry cache (tmpfs, the procfs root's fixed part), reads from a kernel buffer, fsync that
 * has nothing to write. Directories cannot be read with read(2) (-EISDIR; getdents is not
 * implemented). */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/fs.h>
#include <linux/dcache.h>
#include <linux/uaccess.h>
#include <linux/err.h>

/* A name the dentry cache does not know does not exist: a negative dentry, hashed until its last
 * user drops it (negative dentries are not cached beyond that here). */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(3, 6, 0)
struct dentry *simple_lookup(struct inode *dir, struct dentry *dentry, unsigned int flags)
#else
struct dentry *simple_lookup(struct inode *dir, struct dentry *dentry, struct nameidata *nd)
#endif
{
	(void)dir;
#if LINUX_VERSION_CODE >= KERNEL_VERSION(3, 6, 0)
	(void)flags;
#else
	(void)nd;
#endif
	if (dentry->d_name.len > NAME_MAX)
		return ERR_PTR(-ENAMETOOLONG);
	d_add(dentry, NULL);
	return NULL;
}

/* A directory with no positive children. */
int simple_empty(struct dentry *dentry)
{
	struct dentry *child;
	int ret = 1;

	spin_lock(&dcache_lock);
	list_for_each_entry(child, &dentry->d_subdirs, d_child) {
		if (child->d_inode) {
			ret = 0;
			break;
		}
	}
	spin_unlock(&dcache_lock);
	return ret;
}

/* The dentry pins the inode from create until here: dropping the pin does the rest. */
int simple_unlink(struct inode *dir, struct dentry *dentry)
{
	struct inode *inode = dentry->d_inode;

	(void)dir;
	drop_nlink(inode);
	dput(dentry);
	return 0;
}

int simple_rmdir(struct inode *dir, struct dentry *dentry)
{
	if (!simple_empty(dentry))
		return -ENOTEMPTY;
	drop_nlink(dentry->d_inode);
	simple_unlink(dir, dentry);
	drop_nlink(dir);
	return 0;
}

int dcache_dir_open(struct inode *inode, struct file *file)
{
	(void)inode;
	(void)file;
	return 0;
}

int dcache_dir_close(struct inode *inode, struct file *file)
{
	(void)inode;
	(void)file;
	return 0;
}

ssize_t generic_read_dir(struct file *filp, char __user *buf, size_t siz, loff_t *ppos)
{
	(void)filp;
	(void)buf;
	(void)siz;
	(void)ppos;
	return -EISDIR;
}

const struct file_operations simple_dir_operations = {
	.open = dcache_dir_open,
	.release = dcache_dir_close,
	.llseek = default_llseek,
	.read = generic_read_dir,
};

const struct inode_operations simple_dir_inode_operations = {
	.lookup = simple_lookup,
};

ssize_t simple_read_from_buffer(void __user *to, size_t count, loff_t *ppos, const void *from, size_t available)
{
	loff_t pos = *ppos;
	size_t ret;

	if (pos < 0)
		return -EINVAL;
	if (pos >= (loff_t)available || !count)
		return 0;
	if (count > available - pos)
		count = available - pos;
	ret = copy_to_user(to, (const char *)from + pos, count);
	if (ret == count)
		return -EFAULT;
	count -= ret;
	*ppos = pos + count;
	return count;
}

#if LINUX_VERSION_CODE >= KERNEL_VERSION(3, 1, 0)
int noop_fsync(struct file *file, loff_t start, loff_t end, int datasync)
{
	(void)file;
	(void)start;
	(void)end;
	(void)datasync;
	return 0;
}
#else
int simple_sync_file(struct file *file, struct dentry *dentry, int datasync)
{
	(void)file;
	(void)dentry;
	(void)datasync;
	return 0;
}
#endif
