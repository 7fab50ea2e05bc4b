/* mm/shmem.c: tmpfs, the file system whose files live only in the page cache.
 *
 * A file's data is its page cache: shmem_getpage finds the page at an index or allocates a zeroed
 * one (a hole until then: reads see zeros without allocating). Pages are accounted per super block
 * (a tmpfs instance may use at most half of RAM, as Linux's default size=50%: -ENOSPC beyond) and
 * per inode (info->alloced, i_blocks); shmem_recalc_inode settles the accounts after pages leave
 * the cache. With no swap, a page stays until truncation or eviction frees it.
 *
 * Directories live in the dentry cache (libfs's simple_lookup): create/mknod/mkdir pin the new
 * dentry with an extra reference, unlink/rmdir drop it. An unlinked file keeps its inode and pages
 * while it is open or mapped (its struct file holds the dentry, the dentry the inode).
 *
 * mmap sets shmem_vm_ops, with the era's fault handler (kernel-semantics.md section 2):
 *   2.6.18, 2.6.21  ->nopage = shmem_nopage: the page unlocked with a reference, NOPAGE_SIGBUS
 *                   at or beyond EOF, NOPAGE_OOM when out of memory;
 *   2.6.27, 6.8     ->fault = shmem_fault: vmf->page locked with a reference (VM_FAULT_LOCKED),
 *                   VM_FAULT_SIGBUS at or beyond EOF, VM_FAULT_OOM when out of memory.
 * shmem_zero_setup backs MAP_SHARED|MAP_ANONYMOUS mappings with an unlinked file "dev/zero" on the
 * internal mount shm_mnt. */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/mm.h>
#include <linux/fs.h>
#include <linux/mount.h>
#include <linux/pagemap.h>
#include <linux/shmem_fs.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/err.h>

#define BOGO_DIRENT_SIZE 20

struct vfsmount *shm_mnt;

static const struct super_operations shmem_ops;
static const struct address_space_operations shmem_aops;
static const struct inode_operations shmem_inode_operations;
static const struct inode_operations shmem_dir_inode_operations;
static const struct file_operations shmem_file_operations;
static const struct vm_operations_struct shmem_vm_ops;

static struct shmem_sb_info *SHMEM_SB(struct super_block *sb)
{
	return sb->s_fs_info;
}

/* ---- Page accounting ---- */

/* Charges one page to the file system: 0, or -ENOSPC when it is full. */
static int shmem_acct_block(struct inode *inode)
{
	struct shmem_sb_info *sbinfo = SHMEM_SB(inode->i_sb);
	int err = 0;

	spin_lock(&sbinfo->stat_lock);
	if (sbinfo->max_blocks && sbinfo->used_blocks >= sbinfo->max_blocks)
		err = -ENOSPC;
	else
		sbinfo->used_blocks++;
	spin_unlock(&sbinfo->stat_lock);
	return err;
}

static void shmem_unacct_blocks(struct inode *inode, unsigned long pages)
{
	struct shmem_sb_info *sbinfo = SHMEM_SB(inode->i_sb);

	spin_lock(&sbinfo->stat_lock);
	sbinfo->used_blocks -= pages;
	spin_unlock(&sbinfo->stat_lock);
}

/* Pages that left the cache (truncation) stop counting against the inode and the file system. */
static void shmem_recalc_inode(struct inode *inode)
{
	struct shmem_inode_info *info = SHMEM_I(inode);
	long freed;

	spin_lock(&info->lock);
	freed = info->alloced - inode->i_mapping->nrpages;
	if (freed > 0) {
		info->alloced -= freed;
		inode->i_blocks -= freed * (PAGE_SIZE / 512);
	}
	spin_unlock(&info->lock);
	if (freed > 0)
		shmem_unacct_blocks(inode, freed);
}

/* ---- The page of an index ---- */

int shmem_getpage(struct inode *inode, pgoff_t index, struct page **pagep, enum sgp_type sgp)
{
	struct address_space *mapping = inode->i_mapping;
	struct shmem_inode_info *info = SHMEM_I(inode);
	struct page *page;
	int error;

	if (index > (pgoff_t)(MAX_LFS_FILESIZE >> PAGE_SHIFT))
		return -EFBIG;
repeat:
	*pagep = NULL;
	page = find_lock_page(mapping, index);
	if (page) {
		if (sgp != SGP_WRITE && ((loff_t)index << PAGE_SHIFT) >= i_size_read(inode)) {
			unlock_page(page);
			put_page(page);
			return -EINVAL;
		}
		*pagep = page;
		return 0;
	}
	/* A hole: reads see zeros, faults beyond EOF fail, the rest allocate. */
	if (sgp == SGP_READ)
		return 0;
	if (sgp == SGP_CACHE && ((loff_t)index << PAGE_SHIFT) >= i_size_read(inode))
		return -EINVAL;
	error = shmem_acct_block(inode);
	if (error)
		return error;
	page = alloc_page(mapping_gfp_mask(mapping) | __GFP_ZERO);
	if (!page) {
		shmem_unacct_blocks(inode, 1);
		return -ENOMEM;
	}
	__SetPageLocked(page);
	SetPageUptodate(page);
	error = add_to_page_cache_lru(page, mapping, index, mapping_gfp_mask(mapping));
	if (error) {
		__ClearPageLocked(page);
		put_page(page);
		shmem_unacct_blocks(inode, 1);
		if (error == -EEXIST)
			goto repeat;
		return error;
	}
	spin_lock(&info->lock);
	info->alloced++;
	inode->i_blocks += PAGE_SIZE / 512;
	spin_unlock(&info->lock);
	/* Our allocation reference is the caller's; the cache took its own. */
	*pagep = page;
	return 0;
}

/* ---- Faults ---- */

#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 23)
#if LINUX_VERSION_CODE >= KERNEL_VERSION(4, 17, 0)
static vm_fault_t shmem_fault(struct vm_fault *vmf)
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(4, 11, 0)
static int shmem_fault(struct vm_fault *vmf)
#else
static int shmem_fault(struct vm_area_struct *vma, struct vm_fault *vmf)
#endif
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(4, 11, 0)
	struct vm_area_struct *vma = vmf->vma;
#endif
	struct inode *inode = file_inode(vma->vm_file);
	struct page *page;
	int error;

	if (((loff_t)vmf->pgoff << PAGE_SHIFT) >= i_size_read(inode))
		return VM_FAULT_SIGBUS;
	error = shmem_getpage(inode, vmf->pgoff, &page, SGP_CACHE);
	if (error)
		return error == -ENOMEM ? VM_FAULT_OOM : VM_FAULT_SIGBUS;
	vmf->page = page;
	return VM_FAULT_LOCKED;
}
#else
static struct page *shmem_nopage(struct vm_area_struct *vma, unsigned long address, int *type)
{
	struct inode *inode = file_inode(vma->vm_file);
	struct page *page;
	unsigned long idx;
	int error;

	idx = (address - vma->vm_start) >> PAGE_SHIFT;
	idx += vma->vm_pgoff;
	if (((loff_t)idx << PAGE_SHIFT) >= i_size_read(inode))
		return NOPAGE_SIGBUS;
	error = shmem_getpage(inode, idx, &page, SGP_CACHE);
	if (error)
		return error == -ENOMEM ? NOPAGE_OOM : NOPAGE_SIGBUS;
	/* do_no_page wants the page unlocked, with our reference. */
	unlock_page(page);
	if (type)
		*type = VM_FAULT_MINOR;
	return page;
}
#endif

static const struct vm_operations_struct shmem_vm_ops = {
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 23)
	.fault = shmem_fault,
#else
	.nopage = shmem_nopage,
#endif
};

int shmem_mmap(struct file *file, struct vm_area_struct *vma)
{
	(void)file;
	vma->vm_ops = &shmem_vm_ops;
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 23) && LINUX_VERSION_CODE < KERNEL_VERSION(4, 0, 0)
	vma->vm_flags |= VM_CAN_NONLINEAR;
#endif
	return 0;
}

/* ---- read and write ---- */

/* 2.6.18's do_shmem_file_read / 6.8's shmem_file_read_iter: the page cache, holes as zeros. The
 * copy to user space runs without the page lock (it may fault, even on a mapping of this file). */
static ssize_t shmem_file_read(struct file *filp, char __user *buf, size_t count, loff_t *ppos)
{
	struct inode *inode = file_inode(filp);
	pgoff_t index = *ppos >> PAGE_SHIFT;
	unsigned long offset = *ppos & ~PAGE_MASK;
	ssize_t copied = 0;
	int error = 0;

	while (count) {
		struct page *page = NULL;
		loff_t isize = i_size_read(inode);
		pgoff_t end_index = isize >> PAGE_SHIFT;
		unsigned long nr;
		unsigned long left;

		if (index > end_index)
			break;
		if (index == end_index && (unsigned long)(isize & ~PAGE_MASK) <= offset)
			break;
		error = shmem_getpage(inode, index, &page, SGP_READ);
		if (error) {
			if (error == -EINVAL)
				error = 0;
			break;
		}
		if (page)
			unlock_page(page);
		/* i_size may have changed while we looked the page up. */
		isize = i_size_read(inode);
		end_index = isize >> PAGE_SHIFT;
		nr = PAGE_SIZE;
		if (index > end_index || (index == end_index && (nr = isize & ~PAGE_MASK) <= offset)) {
			if (page)
				put_page(page);
			break;
		}
		nr -= offset;
		if (nr > count)
			nr = count;
		if (page) {
			left = copy_to_user(buf + copied, (char *)page_address(page) + offset, nr);
			put_page(page);
		} else {
			left = clear_user(buf + copied, nr);
		}
		nr -= left;
		copied += nr;
		count -= nr;
		offset += nr;
		index += offset >> PAGE_SHIFT;
		offset &= ~PAGE_MASK;
		if (left) {
			error = -EFAULT;
			break;
		}
	}
	*ppos = ((loff_t)index << PAGE_SHIFT) + offset;
	return copied ? copied : error;
}

/* generic_perform_write with shmem_write_begin/end. The user bytes are copied into a kernel buffer
 * before the page is locked: a fault on the source (which may be a mapping of this very page) must
 * never run under the page lock (Linux prefaults the source and copies with faults disabled). The
 * inode lock serializes writers and truncation. */
static ssize_t shmem_file_write(struct file *file, const char __user *buf, size_t count, loff_t *ppos)
{
	struct inode *inode = file_inode(file);
	loff_t pos;
	ssize_t written = 0;
	int status = 0;
	char *bounce;

	if (!count)
		return 0;
	bounce = kmalloc(PAGE_SIZE, GFP_KERNEL);
	if (!bounce)
		return -ENOMEM;
	inode_lock(inode);
	pos = *ppos;
	if (file->f_flags & O_APPEND)
		pos = i_size_read(inode);
	if (pos >= inode->i_sb->s_maxbytes) {
		status = -EFBIG;
		goto out;
	}
	if (count > (size_t)(inode->i_sb->s_maxbytes - pos))
		count = inode->i_sb->s_maxbytes - pos;
	while (count) {
		unsigned long offset = pos & ~PAGE_MASK;
		pgoff_t index = pos >> PAGE_SHIFT;
		unsigned long bytes = PAGE_SIZE - offset;
		unsigned long left;
		struct page *page;

		if (bytes > count)
			bytes = count;
		left = copy_from_user(bounce, buf + written, bytes);
		if (left == bytes) {
			status = -EFAULT;
			break;
		}
		bytes -= left;
		status = shmem_getpage(inode, index, &page, SGP_WRITE);
		if (status)
			break;
		memcpy((char *)page_address(page) + offset, bounce, bytes);
		/* No writeback for tmpfs: the dirty bit only says the page differs from zeros. */
		SetPageDirty(page);
		unlock_page(page);
		put_page(page);
		pos += bytes;
		written += bytes;
		count -= bytes;
		if (pos > i_size_read(inode))
			i_size_write(inode, pos);
		if (left) {
			status = -EFAULT;
			break;
		}
	}
	*ppos = pos;
out:
	inode_unlock(inode);
	kfree(bounce);
	return written ? written : status;
}

/* ---- Truncation and attributes ---- */

void shmem_truncate_range(struct inode *inode, loff_t lstart, loff_t lend)
{
	truncate_inode_pages_range(inode->i_mapping, lstart, lend);
	shmem_recalc_inode(inode);
}

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
static int shmem_setattr(struct mnt_idmap *idmap, struct dentry *dentry, struct iattr *attr)
{
	struct inode *inode = dentry->d_inode;
	int error = setattr_prepare(idmap, dentry, attr);

	if (error)
		return error;
	if ((attr->ia_valid & ATTR_SIZE) && attr->ia_size != i_size_read(inode)) {
		loff_t oldsize = inode->i_size;
		loff_t newsize = attr->ia_size;

		i_size_write(inode, newsize);
		if (newsize < oldsize) {
			/* truncate_pagecache: unmap beyond the new end, free the cache, unmap again. */
			truncate_pagecache(inode, newsize);
			shmem_recalc_inode(inode);
		}
	}
	setattr_copy(idmap, inode, attr);
	return 0;
}
#else
/* 2.6's shmem_notify_change: inode_setattr runs vmtruncate, which calls ->truncate. */
static int shmem_setattr(struct dentry *dentry, struct iattr *attr)
{
	struct inode *inode = dentry->d_inode;
	int error = inode_change_ok(inode, attr);

	if (error)
		return error;
	return inode_setattr(inode, attr);
}

/* ->truncate after vmtruncate changed i_size and freed the cache beyond it. */
static void shmem_truncate(struct inode *inode)
{
	shmem_recalc_inode(inode);
}
#endif

/* ---- Inodes ---- */

static struct inode *shmem_get_inode(struct super_block *sb, const struct inode *dir, umode_t mode, dev_t dev)
{
	struct shmem_sb_info *sbinfo = SHMEM_SB(sb);
	struct inode *inode;

	(void)dir;
	spin_lock(&sbinfo->stat_lock);
	if (sbinfo->max_inodes) {
		if (!sbinfo->free_inodes) {
			spin_unlock(&sbinfo->stat_lock);
			return NULL;
		}
		sbinfo->free_inodes--;
	}
	spin_unlock(&sbinfo->stat_lock);
	inode = new_inode(sb);
	if (!inode)
		return NULL;
	inode->i_ino = get_next_ino();
	inode->i_mode = mode;
	inode->i_mapping->a_ops = &shmem_aops;
	switch (mode & S_IFMT) {
	default:
		init_special_inode(inode, mode, dev);
		break;
	case S_IFREG:
		inode->i_op = &shmem_inode_operations;
		inode->i_fop = &shmem_file_operations;
		break;
	case S_IFDIR:
		inc_nlink(inode);
		/* Some things misbehave if size == 0 on a directory. */
		inode->i_size = 2 * BOGO_DIRENT_SIZE;
		inode->i_op = &shmem_dir_inode_operations;
		inode->i_fop = &simple_dir_operations;
		break;
	}
	return inode;
}

static struct inode *shmem_alloc_inode(struct super_block *sb)
{
	struct shmem_inode_info *info = kmalloc(sizeof(*info), GFP_KERNEL);

	(void)sb;
	if (!info)
		return NULL;
	inode_init_once(&info->vfs_inode);
	spin_lock_init(&info->lock);
	info->flags = 0;
	info->alloced = 0;
	return &info->vfs_inode;
}

static void shmem_destroy_inode(struct inode *inode)
{
	kfree(SHMEM_I(inode));
}

static void shmem_free_inode(struct super_block *sb)
{
	struct shmem_sb_info *sbinfo = SHMEM_SB(sb);

	if (sbinfo->max_inodes) {
		spin_lock(&sbinfo->stat_lock);
		sbinfo->free_inodes++;
		spin_unlock(&sbinfo->stat_lock);
	}
}

/* The last reference to an unlinked (or unmounted) inode: its pages go back. */
static void shmem_evict_inode(struct inode *inode)
{
	if (inode->i_mapping->a_ops == &shmem_aops)
		shmem_truncate_range(inode, 0, (loff_t)-1);
	shmem_free_inode(inode->i_sb);
	clear_inode(inode);
}

/* ---- Directories ---- */

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
static int shmem_mknod(struct mnt_idmap *idmap, struct inode *dir, struct dentry *dentry, umode_t mode, dev_t dev)
#else
static int shmem_mknod(struct inode *dir, struct dentry *dentry, int mode, dev_t dev)
#endif
{
	struct inode *inode = shmem_get_inode(dir->i_sb, dir, mode, dev);

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
	(void)idmap;
#endif
	if (!inode)
		return -ENOSPC;
	dir->i_size += BOGO_DIRENT_SIZE;
	d_instantiate(dentry, inode);
	d_rehash(dentry);
	/* Extra count: pin the dentry in core (the dentry cache is the directory). */
	dget(dentry);
	return 0;
}

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
static int shmem_mkdir(struct mnt_idmap *idmap, struct inode *dir, struct dentry *dentry, umode_t mode)
{
	int error = shmem_mknod(idmap, dir, dentry, mode | S_IFDIR, 0);
#else
static int shmem_mkdir(struct inode *dir, struct dentry *dentry, int mode)
{
	int error = shmem_mknod(dir, dentry, mode | S_IFDIR, 0);
#endif

	if (error)
		return error;
	inc_nlink(dir);
	return 0;
}

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
static int shmem_create(struct mnt_idmap *idmap, struct inode *dir, struct dentry *dentry, umode_t mode, bool excl)
{
	(void)excl;
	return shmem_mknod(idmap, dir, dentry, mode | S_IFREG, 0);
}
#else
static int shmem_create(struct inode *dir, struct dentry *dentry, int mode, struct nameidata *nd)
{
	(void)nd;
	return shmem_mknod(dir, dentry, mode | S_IFREG, 0);
}
#endif

static int shmem_unlink(struct inode *dir, struct dentry *dentry)
{
	struct inode *inode = dentry->d_inode;

	dir->i_size -= BOGO_DIRENT_SIZE;
	drop_nlink(inode);
	/* Undo the count from create: this does all the work. */
	dput(dentry);
	return 0;
}

static int shmem_rmdir(struct inode *dir, struct dentry *dentry)
{
	if (!simple_empty(dentry))
		return -ENOTEMPTY;
	drop_nlink(dentry->d_inode);
	drop_nlink(dir);
	return shmem_unlink(dir, dentry);
}

/* ---- Super blocks ---- */

static void shmem_put_super(struct super_block *sb)
{
	kfree(sb->s_fs_info);
	sb->s_fs_info = NULL;
}

int shmem_fill_super(struct super_block *sb, void *data, int silent)
{
	struct shmem_sb_info *sbinfo = kzalloc(sizeof(*sbinfo), GFP_KERNEL);
	struct inode *inode;

	(void)data;
	(void)silent;
	if (!sbinfo)
		return -ENOMEM;
	/* The default size: half of RAM. */
	sbinfo->max_blocks = totalram_pages_count / 2;
	spin_lock_init(&sbinfo->stat_lock);
	sb->s_fs_info = sbinfo;
	sb->s_maxbytes = MAX_LFS_FILESIZE;
	sb->s_blocksize = PAGE_SIZE;
	sb->s_blocksize_bits = PAGE_SHIFT;
	sb->s_magic = TMPFS_MAGIC;
	sb->s_op = &shmem_ops;
	inode = shmem_get_inode(sb, NULL, S_IFDIR | S_ISVTX | S_IRWXUGO, 0);
	sb->s_root = d_make_root(inode);
	if (!sb->s_root) {
		shmem_put_super(sb);
		return -ENOMEM;
	}
	return 0;
}

static const struct super_operations shmem_ops = {
	.alloc_inode = shmem_alloc_inode,
	.destroy_inode = shmem_destroy_inode,
	.drop_inode = generic_drop_inode,
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 36)
	.evict_inode = shmem_evict_inode,
#else
	.delete_inode = shmem_evict_inode,
#endif
	.put_super = shmem_put_super,
};

static const struct address_space_operations shmem_aops = {
	.writepage = NULL,
};

static const struct file_operations shmem_file_operations = {
	.mmap = shmem_mmap,
	.llseek = generic_file_llseek,
	.read = shmem_file_read,
	.write = shmem_file_write,
	.open = generic_file_open,
#if LINUX_VERSION_CODE >= KERNEL_VERSION(3, 1, 0)
	.fsync = noop_fsync,
#else
	.fsync = simple_sync_file,
#endif
};

static const struct inode_operations shmem_inode_operations = {
	.setattr = shmem_setattr,
#if LINUX_VERSION_CODE < KERNEL_VERSION(3, 8, 0)
	.truncate = shmem_truncate,
#endif
};

static const struct inode_operations shmem_dir_inode_operations = {
	.lookup = simple_lookup,
	.create = shmem_create,
	.unlink = shmem_unlink,
	.mkdir = shmem_mkdir,
	.rmdir = shmem_rmdir,
	.mknod = shmem_mknod,
};

#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 39)
static struct dentry *shmem_mount(struct file_system_type *fs_type, int flags, const char *dev_name, void *data)
{
	(void)dev_name;
	return mount_nodev(fs_type, flags, data, shmem_fill_super);
}
#else
static int shmem_get_sb(struct file_system_type *fs_type, int flags, const char *dev_name, void *data, struct vfsmount *mnt)
{
	(void)dev_name;
	return get_sb_nodev(fs_type, flags, data, shmem_fill_super, mnt);
}
#endif

static struct file_system_type shmem_fs_type = {
	.name = "tmpfs",
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 39)
	.mount = shmem_mount,
#else
	.get_sb = shmem_get_sb,
#endif
	.kill_sb = kill_litter_super,
};

int shmem_init(void)
{
	int error = register_filesystem(&shmem_fs_type);

	if (error)
		return error;
	shm_mnt = kern_mount(&shmem_fs_type);
	if (IS_ERR(shm_mnt)) {
		error = PTR_ERR(shm_mnt);
		printk(KERN_ERR "Could not kern_mount tmpfs\n");
		return error;
	}
	return 0;
}

/* ---- Files with no name ---- */

struct file *shmem_file_setup(const char *name, loff_t size, unsigned long flags)
{
	struct dentry *dentry;
	struct inode *inode;
	struct path path;
	struct file *file;

	(void)flags;
	vfs_caches_init();
	if (IS_ERR_OR_NULL(shm_mnt))
		return ERR_PTR(shm_mnt ? PTR_ERR(shm_mnt) : -ENODEV);
	if (size < 0 || size > MAX_LFS_FILESIZE)
		return ERR_PTR(-EINVAL);
	dentry = d_alloc_name(shm_mnt->mnt_root, name);
	if (!dentry)
		return ERR_PTR(-ENOMEM);
	inode = shmem_get_inode(shm_mnt->mnt_sb, NULL, S_IFREG | S_IRWXUGO, 0);
	if (!inode) {
		dput(dentry);
		return ERR_PTR(-ENOSPC);
	}
	d_instantiate(dentry, inode);
	inode->i_size = size;
	/* It is unlinked: the dentry is never hashed, and goes with the last reference. */
	clear_nlink(inode);
	path.mnt = mntget(shm_mnt);
	path.dentry = dentry;
	file = alloc_file(&path, FMODE_WRITE | FMODE_READ, &shmem_file_operations);
	if (IS_ERR(file)) {
		path_put(&path);
		return file;
	}
	file->f_flags = O_RDWR;
	return file;
}

int shmem_zero_setup(struct vm_area_struct *vma)
{
	struct file *file;
	loff_t size = vma->vm_end - vma->vm_start;

	file = shmem_file_setup("dev/zero", size, vma->vm_flags);
	if (IS_ERR(file))
		return PTR_ERR(file);
	if (vma->vm_file)
		fput(vma->vm_file);
	vma->vm_file = file;
	vma->vm_ops = &shmem_vm_ops;
	return 0;
}
