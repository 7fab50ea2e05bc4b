/* fs/file_table.c: struct file allocation and the last-reference release.
 *
 * A file starts with f_count 1 (its creator's). Descriptor slots, VMAs (vm_file) and in-flight
 * system calls (fget) each hold one more. The last fput runs __fput at once (2.6 did; 6.8 defers it
 * to task_work on return to user space): ->release, then the dentry and mount references, so an
 * unlinked file's inode and pages go right there. fput may sleep; it is called with mmap_lock held
 * (remove_vma) but never under a spinlock. */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/fs.h>
#include <linux/mount.h>
#include <linux/slab.h>
#include <linux/err.h>

static unsigned long nr_files;

/* An empty file (no path yet) with one reference. */
struct file *alloc_empty_file(int flags)
{
	struct file *f = kzalloc(sizeof(*f), GFP_KERNEL);

	if (!f)
		return ERR_PTR(-ENFILE);
	atomic_long_set(&f->f_count, 1);
	f->f_flags = flags;
	nr_files++;
	return f;
}

struct file *alloc_file(const struct path *path, fmode_t mode, const struct file_operations *fop)
{
	struct file *file = alloc_empty_file(0);
	struct inode *inode = path->dentry->d_inode;

	if (IS_ERR(file))
		return file;
	file->f_path = *path;
	file->f_inode = inode;
	file->f_mapping = inode->i_mapping;
	file->f_mode = mode;
	file->f_op = fop;
	if (mode & FMODE_READ)
		file->f_mode |= FMODE_PREAD;
	if (mode & FMODE_WRITE)
		file->f_mode |= FMODE_PWRITE;
	return file;
}

static void __fput(struct file *file)
{
	struct dentry *dentry = file->f_path.dentry;
	struct inode *inode = file->f_inode;

	might_sleep();
	if (file->f_op && file->f_op->release)
		file->f_op->release(inode, file);
	if (dentry)
		path_put(&file->f_path);
	nr_files--;
	kfree(file);
}

void fput(struct file *file)
{
	if (atomic_long_dec_and_test(&file->f_count))
		__fput(file);
}

/* Open struct files in the machine (get_nr_files). */
unsigned long get_nr_files(void)
{
	return nr_files;
}
