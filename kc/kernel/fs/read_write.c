/* fs/read_write.c: read, write, pread64, pwrite64 and lseek.
 *
 *   long sys_read(unsigned int fd, char __user *buf, size_t count);
 *   long sys_write(unsigned int fd, const char __user *buf, size_t count);
 *   long sys_pread64(unsigned int fd, char __user *buf, size_t count, loff_t pos);
 *   long sys_pwrite64(unsigned int fd, const char __user *buf, size_t count, loff_t pos);
 *   long sys_lseek(unsigned int fd, off_t offset, unsigned int whence);
 * read/write use and advance file->f_pos; the p* forms take the position and leave f_pos alone
 * (-ESPIPE on files that cannot seek). */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/fs.h>
#include <linux/file.h>
#include <linux/uaccess.h>
#include <linux/sched.h>
#include <asm/page.h>

static loff_t vfs_setpos(struct file *file, loff_t offset, loff_t maxsize)
{
	if (offset < 0 || offset > maxsize)
		return -EINVAL;
	file->f_pos = offset;
	return offset;
}

loff_t generic_file_llseek(struct file *file, loff_t offset, int whence)
{
	struct inode *inode = file->f_mapping->host;

	switch (whence) {
	case SEEK_END:
		offset += i_size_read(inode);
		break;
	case SEEK_CUR:
		if (offset == 0)
			return file->f_pos;
		offset += file->f_pos;
		break;
	case SEEK_SET:
		break;
	default:
		return -EINVAL;
	}
	return vfs_setpos(file, offset, inode->i_sb->s_maxbytes);
}

loff_t default_llseek(struct file *file, loff_t offset, int whence)
{
	struct inode *inode = file_inode(file);

	switch (whence) {
	case SEEK_END:
		offset += i_size_read(inode);
		break;
	case SEEK_CUR:
		if (offset == 0)
			return file->f_pos;
		offset += file->f_pos;
		break;
	case SEEK_SET:
		break;
	default:
		return -EINVAL;
	}
	if (offset < 0)
		return -EINVAL;
	file->f_pos = offset;
	return offset;
}

loff_t no_llseek(struct file *file, loff_t offset, int whence)
{
	(void)file;
	(void)offset;
	(void)whence;
	return -ESPIPE;
}

loff_t vfs_llseek(struct file *file, loff_t offset, int whence)
{
	loff_t (*fn)(struct file *, loff_t, int) = no_llseek;

	if (file->f_mode & FMODE_LSEEK) {
		fn = default_llseek;
		if (file->f_op && file->f_op->llseek)
			fn = file->f_op->llseek;
	}
	return fn(file, offset, whence);
}

/* The position and length a read or write may use: -EINVAL for a negative position. */
static int rw_verify_area(struct file *file, const loff_t *ppos, size_t count)
{
	(void)file;
	if (*ppos < 0)
		return -EINVAL;
	if ((loff_t)(*ppos + count) < 0)
		return -EOVERFLOW;
	return 0;
}

ssize_t vfs_read(struct file *file, char __user *buf, size_t count, loff_t *pos)
{
	ssize_t ret;

	if (!(file->f_mode & FMODE_READ))
		return -EBADF;
	if (!file->f_op || !file->f_op->read)
		return -EINVAL;
	if (!access_ok(buf, count))
		return -EFAULT;
	ret = rw_verify_area(file, pos, count);
	if (ret)
		return ret;
	if (count > MAX_RW_COUNT)
		count = MAX_RW_COUNT;
	return file->f_op->read(file, buf, count, pos);
}

ssize_t vfs_write(struct file *file, const char __user *buf, size_t count, loff_t *pos)
{
	ssize_t ret;

	if (!(file->f_mode & FMODE_WRITE))
		return -EBADF;
	if (!file->f_op || !file->f_op->write)
		return -EINVAL;
	if (!access_ok(buf, count))
		return -EFAULT;
	ret = rw_verify_area(file, pos, count);
	if (ret)
		return ret;
	if (count > MAX_RW_COUNT)
		count = MAX_RW_COUNT;
	return file->f_op->write(file, buf, count, pos);
}

long sys_read(unsigned int fd, char __user *buf, size_t count)
{
	struct file *file = fget(fd);
	loff_t pos;
	ssize_t ret;

	if (!file)
		return -EBADF;
	pos = file->f_pos;
	ret = vfs_read(file, buf, count, &pos);
	if (ret >= 0)
		file->f_pos = pos;
	fput(file);
	return ret;
}

long sys_write(unsigned int fd, const char __user *buf, size_t count)
{
	struct file *file = fget(fd);
	loff_t pos;
	ssize_t ret;

	if (!file)
		return -EBADF;
	pos = file->f_pos;
	ret = vfs_write(file, buf, count, &pos);
	if (ret >= 0)
		file->f_pos = pos;
	fput(file);
	return ret;
}

long sys_pread64(unsigned int fd, char __user *buf, size_t count, loff_t pos)
{
	struct file *file;
	ssize_t ret;

	if (pos < 0)
		return -EINVAL;
	file = fget(fd);
	if (!file)
		return -EBADF;
	ret = -ESPIPE;
	if (file->f_mode & FMODE_PREAD)
		ret = vfs_read(file, buf, count, &pos);
	fput(file);
	return ret;
}

long sys_pwrite64(unsigned int fd, const char __user *buf, size_t count, loff_t pos)
{
	struct file *file;
	ssize_t ret;

	if (pos < 0)
		return -EINVAL;
	file = fget(fd);
	if (!file)
		return -EBADF;
	ret = -ESPIPE;
	if (file->f_mode & FMODE_PWRITE)
		ret = vfs_write(file, buf, count, &pos);
	fput(file);
	return ret;
}

long sys_lseek(unsigned int fd, off_t offset, unsigned int whence)
{
	struct file *file = fget(fd);
	long retval;

	if (!file)
		return -EBADF;
	retval = -EINVAL;
	if (whence <= SEEK_MAX)
		retval = vfs_llseek(file, offset, whence);
	fput(file);
	return retval;
}
