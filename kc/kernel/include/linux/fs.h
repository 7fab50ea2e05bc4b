/* <linux/fs.h>: the parts of files, inodes and address spaces the memory manager links to.
 *
 * address_space->i_mmap holds every VMA (of any process) that maps the file, so that
 * unmap_mapping_range finds them all (kernel-semantics.md section 1). Faultline keeps them in a list
 * (linked through vma->shared) instead of the prio tree / interval tree. Its lock is the era's:
 * a spinlock (i_mmap_lock) before 3.0, a mutex (i_mmap_mutex) in 3.0-3.18, the rwsem i_mmap_rwsem
 * from 3.19; i_mmap_lock_write() and friends name it in every era. */
#ifndef _LINUX_FS_H
#define _LINUX_FS_H

#include <linux/types.h>
#include <linux/version.h>
#include <linux/list.h>
#include <linux/atomic.h>
#include <linux/spinlock.h>
#include <linux/mutex.h>
#include <linux/rwsem.h>

struct inode;
struct vm_area_struct;
struct file;

struct address_space {
	struct inode *host;
	struct list_head i_mmap;	/* VMAs mapping this file (vma->shared) */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(3, 19, 0)
	struct rw_semaphore i_mmap_rwsem;
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(3, 0, 0)
	struct mutex i_mmap_mutex;
#else
	spinlock_t i_mmap_lock;
	/* Bumped by unmap_mapping_range before zapping; do_no_page retries if it moved. */
	unsigned int truncate_count;
#endif
	unsigned long nrpages;
	int i_mmap_writable;		/* VM_SHARED mappings */
	const void *a_ops;
};

struct inode {
	unsigned long i_ino;
	umode_t i_mode;
	loff_t i_size;
	atomic_t i_count;
	struct address_space *i_mapping;
	struct address_space i_data;
};

struct file_operations {
	int (*mmap)(struct file *file, struct vm_area_struct *vma);
	unsigned long (*get_unmapped_area)(struct file *file, unsigned long addr, unsigned long len, unsigned long pgoff, unsigned long flags);
	int (*open)(struct inode *inode, struct file *file);
	int (*release)(struct inode *inode, struct file *file);
};

struct file {
	const struct file_operations *f_op;
	struct address_space *f_mapping;
	struct inode *f_inode;
	atomic_long_t f_count;
	unsigned int f_flags;
	fmode_t f_mode;
	loff_t f_pos;
	void *private_data;
};

static inline struct file *get_file(struct file *f)
{
	atomic_long_inc(&f->f_count);
	return f;
}

/* Drops a reference to a file (no release processing yet: files come with the VFS). */
static inline void fput(struct file *f)
{
	atomic_long_dec(&f->f_count);
}

#if LINUX_VERSION_CODE >= KERNEL_VERSION(3, 19, 0)
#define i_mmap_lock_write(mapping) down_write(&(mapping)->i_mmap_rwsem)
#define i_mmap_unlock_write(mapping) up_write(&(mapping)->i_mmap_rwsem)
#define i_mmap_lock_read(mapping) down_read(&(mapping)->i_mmap_rwsem)
#define i_mmap_unlock_read(mapping) up_read(&(mapping)->i_mmap_rwsem)
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(3, 0, 0)
#define i_mmap_lock_write(mapping) mutex_lock(&(mapping)->i_mmap_mutex)
#define i_mmap_unlock_write(mapping) mutex_unlock(&(mapping)->i_mmap_mutex)
#define i_mmap_lock_read(mapping) mutex_lock(&(mapping)->i_mmap_mutex)
#define i_mmap_unlock_read(mapping) mutex_unlock(&(mapping)->i_mmap_mutex)
#else
#define i_mmap_lock_write(mapping) spin_lock(&(mapping)->i_mmap_lock)
#define i_mmap_unlock_write(mapping) spin_unlock(&(mapping)->i_mmap_lock)
#define i_mmap_lock_read(mapping) spin_lock(&(mapping)->i_mmap_lock)
#define i_mmap_unlock_read(mapping) spin_unlock(&(mapping)->i_mmap_lock)
#endif

#endif /* _LINUX_FS_H */
