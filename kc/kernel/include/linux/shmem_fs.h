/* <linux/shmem_fs.h>: tmpfs (mm/shmem.c). A tmpfs file's data lives only in the page cache;
 * there is no swap here, so a page, once allocated, stays until truncation or eviction frees it.
 * shmem_zero_setup gives a MAP_SHARED|MAP_ANONYMOUS mapping an unlinked tmpfs file ("dev/zero")
 * as its vm_file, so that its pages are shared across fork like any shared file mapping. */
#ifndef _LINUX_SHMEM_FS_H
#define _LINUX_SHMEM_FS_H

#include <linux/types.h>
#include <linux/fs.h>
#include <linux/kernel.h>

struct vm_area_struct;
struct vfsmount;

#define TMPFS_MAGIC 0x01021994

struct shmem_inode_info {
	spinlock_t lock;
	unsigned long flags;
	unsigned long alloced;		/* data pages allocated to the file */
	struct inode vfs_inode;
};

struct shmem_sb_info {
	unsigned long max_blocks;	/* size limit in pages (0: none) */
	unsigned long used_blocks;	/* pages in use across the file system */
	unsigned long max_inodes;
	unsigned long free_inodes;
	spinlock_t stat_lock;
};

static inline struct shmem_inode_info *SHMEM_I(struct inode *inode)
{
	return container_of(inode, struct shmem_inode_info, vfs_inode);
}

/* How shmem_getpage treats a missing page (2.6.18 and 6.8 share these three). */
enum sgp_type {
	SGP_READ,	/* do not allocate: a hole reads as zeros (*pagep = NULL) */
	SGP_CACHE,	/* allocate if missing, unless beyond i_size (the fault path) */
	SGP_WRITE,	/* allocate if missing, beyond i_size too (write grows the file) */
};

/* The page of `inode` at `index`, locked and with a reference, in *pagep; allocated as `sgp`
 * says. 0, -EINVAL (SGP_READ/SGP_CACHE beyond EOF), -ENOMEM, -ENOSPC (6.8: shmem_get_folio). */
int shmem_getpage(struct inode *inode, pgoff_t index, struct page **pagep, enum sgp_type sgp);

/* The tmpfs internal mount (kern_mount of shmem_fs_type), made by shmem_init. */
extern struct vfsmount *shm_mnt;
int shmem_init(void);
/* An unlinked tmpfs file of `size` bytes on the internal mount, open read-write: a struct file or
 * an ERR_PTR. `flags` are VM_NORESERVE-style accounting flags (ignored: nothing is reserved). */
struct file *shmem_file_setup(const char *name, loff_t size, unsigned long flags);
/* MAP_SHARED|MAP_ANONYMOUS: replaces the VMA's file with a fresh "dev/zero" tmpfs file of the
 * VMA's size and sets the tmpfs vm_ops. 0, or -ENOMEM / the error of shmem_file_setup. The caller
 * holds mmap_lock for write; the VMA is not yet linked (do_mmap calls it before vma_link). */
int shmem_zero_setup(struct vm_area_struct *vma);
int shmem_mmap(struct file *file, struct vm_area_struct *vma);
/* Frees the pages of [lstart, lend] (lend inclusive, -1: to the end) from the file. */
void shmem_truncate_range(struct inode *inode, loff_t lstart, loff_t lend);

#endif /* _LINUX_SHMEM_FS_H */
