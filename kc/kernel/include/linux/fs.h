/* <linux/fs.h>: the VFS objects: super blocks, inodes, open files, address spaces (the page cache
 * and i_mmap), their operation tables, and the character-device registry.
 *
 * address_space->i_mmap holds every VMA (of any process) that maps the file, so that
 * unmap_mapping_range finds them all (kernel-semantics.md section 1). Faultline keeps them in a list
 * (linked through vma->shared) instead of the prio tree / interval tree. Its lock is the era's:
 * a spinlock (i_mmap_lock) before 3.0, a mutex (i_mmap_mutex) in 3.0-3.18, the rwsem i_mmap_rwsem
 * from 3.19; i_mmap_lock_write() and friends name it in every era.
 *
 * The page cache of a mapping is the list i_pages of its pages sorted by index (linked through
 * page->lru; Linux has a radix tree, then an xarray), under tree_lock. A page in the cache holds one
 * reference for the cache; page->mapping and page->index say where it is.
 *
 * Operation signatures follow the era where the profiles differ (2.6.18-2.6.27 against 6.8); the
 * 3.x-6.2 intermediate forms are not modelled (no profile uses them). Lifetimes: a file holds its
 * dentry (f_path), a dentry its inode; an inode goes at the last iput (tmpfs inodes are pinned by
 * their dentry until unlink), so an unlinked file lives while it is open or mapped (vm_file). */
#ifndef _LINUX_FS_H
#define _LINUX_FS_H

#include <linux/types.h>
#include <linux/version.h>
#include <linux/list.h>
#include <linux/atomic.h>
#include <linux/spinlock.h>
#include <linux/mutex.h>
#include <linux/rwsem.h>
#include <linux/kdev_t.h>
#include <linux/stat.h>
#include <linux/fcntl.h>
#include <linux/path.h>
#include <linux/dcache.h>

struct inode;
struct vm_area_struct;
struct file;
struct page;
struct kstat;
struct super_block;
struct vfsmount;
struct nameidata;
struct cdev;
struct delayed_call;
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
/* How a mount maps user and group ids (6.3+); every mount uses the identity mapping here. */
struct mnt_idmap {
	atomic_t count;
};
extern struct mnt_idmap nop_mnt_idmap;
#endif

#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2
#define SEEK_MAX SEEK_END

#define MAX_LFS_FILESIZE ((loff_t)LONG_MAX)
#define MAX_RW_COUNT (INT_MAX & PAGE_MASK)

/* file->f_mode */
#define FMODE_READ ((fmode_t)0x1)
#define FMODE_WRITE ((fmode_t)0x2)
#define FMODE_LSEEK ((fmode_t)0x4)
#define FMODE_PREAD ((fmode_t)0x8)
#define FMODE_PWRITE ((fmode_t)0x10)

/* MAY_* for permission(). */
#define MAY_EXEC 0x1
#define MAY_WRITE 0x2
#define MAY_READ 0x4

struct address_space_operations {
	int (*writepage)(struct page *page, void *wbc);
	int (*set_page_dirty)(struct page *page);
};

struct address_space {
	struct inode *host;
	struct list_head i_pages;	/* the page cache: pages by index (page->lru) */
	spinlock_t tree_lock;		/* i_pages (6.8: the xarray's xa_lock) */
	gfp_t gfp_mask;			/* how to allocate its pages (mapping_gfp_mask) */
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
	unsigned long nrpages;		/* pages in i_pages */
	int i_mmap_writable;		/* VM_SHARED mappings */
	const struct address_space_operations *a_ops;
};

/* inode->i_state */
#define I_NEW 0x8
#define I_FREEING 0x20

struct inode {
	unsigned long i_ino;
	umode_t i_mode;
	unsigned int i_nlink;
	unsigned int i_uid;
	unsigned int i_gid;
	dev_t i_rdev;
	loff_t i_size;
	unsigned long long i_blocks;	/* 512-byte units */
	unsigned long i_state;
	atomic_t i_count;
	const struct inode_operations *i_op;
	const struct file_operations *i_fop;	/* the default f_op of files opened on it */
	struct super_block *i_sb;
	struct list_head i_sb_list;	/* on i_sb->s_inodes */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(4, 7, 0)
	struct rw_semaphore i_rwsem;	/* directory operations, writes, truncate (inode_lock) */
#else
	struct mutex i_mutex;
#endif
	struct address_space *i_mapping;
	struct address_space i_data;
	struct cdev *i_cdev;		/* a character device's driver, once opened */
	void *i_private;
};

#if LINUX_VERSION_CODE >= KERNEL_VERSION(4, 7, 0)
#define inode_lock(inode) down_write(&(inode)->i_rwsem)
#define inode_unlock(inode) up_write(&(inode)->i_rwsem)
#define inode_lock_shared(inode) down_read(&(inode)->i_rwsem)
#define inode_unlock_shared(inode) up_read(&(inode)->i_rwsem)
#define inode_lock_nested(inode, subclass) down_write_nested(&(inode)->i_rwsem, (subclass))
#else
#define inode_lock(inode) mutex_lock(&(inode)->i_mutex)
#define inode_unlock(inode) mutex_unlock(&(inode)->i_mutex)
#define inode_lock_shared(inode) mutex_lock(&(inode)->i_mutex)
#define inode_unlock_shared(inode) mutex_unlock(&(inode)->i_mutex)
#define inode_lock_nested(inode, subclass) mutex_lock_nested(&(inode)->i_mutex, (subclass))
#endif
/* Lockdep subclasses of inode locks taken together (a directory, then a child). */
#define I_MUTEX_NORMAL 0
#define I_MUTEX_PARENT 1
#define I_MUTEX_CHILD 2

static inline loff_t i_size_read(const struct inode *inode)
{
	return inode->i_size;
}

static inline void i_size_write(struct inode *inode, loff_t i_size)
{
	inode->i_size = i_size;
}

static inline unsigned int iminor(const struct inode *inode)
{
	return MINOR(inode->i_rdev);
}

static inline unsigned int imajor(const struct inode *inode)
{
	return MAJOR(inode->i_rdev);
}

/* What setattr changes (ia_valid bits). */
#define ATTR_MODE (1 << 0)
#define ATTR_UID (1 << 1)
#define ATTR_GID (1 << 2)
#define ATTR_SIZE (1 << 3)
#define ATTR_MTIME (1 << 5)
#define ATTR_CTIME (1 << 6)
#define ATTR_OPEN (1 << 15)

struct iattr {
	unsigned int ia_valid;
	umode_t ia_mode;
	loff_t ia_size;
	struct file *ia_file;
};

struct inode_operations {
#if LINUX_VERSION_CODE >= KERNEL_VERSION(3, 6, 0)
	struct dentry *(*lookup)(struct inode *dir, struct dentry *dentry, unsigned int flags);
#else
	struct dentry *(*lookup)(struct inode *dir, struct dentry *dentry, struct nameidata *nd);
#endif
	/* The target of a symbolic link: a string that lives until done runs (4.5+'s get_link; the
	 * 2.6 follow_link/put_link pair is modelled by the same call). */
	const char *(*get_link)(struct dentry *dentry, struct inode *inode, struct delayed_call *done);
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
	int (*create)(struct mnt_idmap *idmap, struct inode *dir, struct dentry *dentry, umode_t mode, bool excl);
	int (*mkdir)(struct mnt_idmap *idmap, struct inode *dir, struct dentry *dentry, umode_t mode);
	int (*mknod)(struct mnt_idmap *idmap, struct inode *dir, struct dentry *dentry, umode_t mode, dev_t dev);
	int (*setattr)(struct mnt_idmap *idmap, struct dentry *dentry, struct iattr *attr);
	int (*getattr)(struct mnt_idmap *idmap, const struct path *path, struct kstat *stat, u32 request_mask, unsigned int query_flags);
#else
	int (*create)(struct inode *dir, struct dentry *dentry, int mode, struct nameidata *nd);
	int (*mkdir)(struct inode *dir, struct dentry *dentry, int mode);
	int (*mknod)(struct inode *dir, struct dentry *dentry, int mode, dev_t dev);
	int (*setattr)(struct dentry *dentry, struct iattr *attr);
	int (*getattr)(struct vfsmount *mnt, struct dentry *dentry, struct kstat *stat);
#endif
	int (*unlink)(struct inode *dir, struct dentry *dentry);
	int (*rmdir)(struct inode *dir, struct dentry *dentry);
#if LINUX_VERSION_CODE < KERNEL_VERSION(3, 8, 0)
	/* vmtruncate's call after i_size changed: free what lies beyond it. */
	void (*truncate)(struct inode *inode);
#endif
};

struct file_operations {
	loff_t (*llseek)(struct file *file, loff_t offset, int whence);
	ssize_t (*read)(struct file *file, char __user *buf, size_t count, loff_t *pos);
	ssize_t (*write)(struct file *file, const char __user *buf, size_t count, loff_t *pos);
#if LINUX_VERSION_CODE < KERNEL_VERSION(2, 6, 36)
	/* Called with the big kernel lock in 2.6; unlocked_ioctl is preferred when both exist. */
	int (*ioctl)(struct inode *inode, struct file *file, unsigned int cmd, unsigned long arg);
#endif
	long (*unlocked_ioctl)(struct file *file, unsigned int cmd, unsigned long arg);
	int (*mmap)(struct file *file, struct vm_area_struct *vma);
	int (*open)(struct inode *inode, struct file *file);
	int (*release)(struct inode *inode, struct file *file);
#if LINUX_VERSION_CODE >= KERNEL_VERSION(3, 1, 0)
	int (*fsync)(struct file *file, loff_t start, loff_t end, int datasync);
#else
	int (*fsync)(struct file *file, struct dentry *dentry, int datasync);
#endif
	unsigned long (*get_unmapped_area)(struct file *file, unsigned long addr, unsigned long len, unsigned long pgoff, unsigned long flags);
};

struct file {
	struct path f_path;		/* the dentry and mount it was opened through (a reference) */
	struct inode *f_inode;
	const struct file_operations *f_op;
	atomic_long_t f_count;
	unsigned int f_flags;		/* O_* */
	fmode_t f_mode;			/* FMODE_* */
	loff_t f_pos;
	struct address_space *f_mapping;
	void *private_data;
};

#if LINUX_VERSION_CODE < KERNEL_VERSION(3, 19, 0)
/* 2.6.20-3.18 spelled these through f_path; 2.6.18 had them as members. */
#define f_dentry f_path.dentry
#define f_vfsmnt f_path.mnt
#endif

static inline struct inode *file_inode(const struct file *f)
{
	return f->f_inode;
}

static inline struct file *get_file(struct file *f)
{
	atomic_long_inc(&f->f_count);
	return f;
}

/* Drops a reference to a file; the last one releases it (fs/file_table.c: __fput calls
 * f_op->release and drops the dentry and mount). */
void fput(struct file *file);

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

static inline int mapping_mapped(struct address_space *mapping)
{
	return !list_empty(&mapping->i_mmap);
}

/* ---- Super blocks and file system types (fs/super.c, fs/filesystems.c) ---- */

struct super_operations {
	struct inode *(*alloc_inode)(struct super_block *sb);
	void (*destroy_inode)(struct inode *inode);
	/* Nonzero: free the inode at its last iput (generic_drop_inode: no links left). */
	int (*drop_inode)(struct inode *inode);
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 36)
	void (*evict_inode)(struct inode *inode);
#else
	void (*delete_inode)(struct inode *inode);
	void (*clear_inode)(struct inode *inode);
#endif
	void (*put_super)(struct super_block *sb);
};

struct super_block {
	struct list_head s_list;	/* on super_blocks */
	dev_t s_dev;			/* anonymous device number (set_anon_super) */
	unsigned long s_blocksize;
	unsigned char s_blocksize_bits;
	loff_t s_maxbytes;
	struct file_system_type *s_type;
	const struct super_operations *s_op;
	unsigned long s_magic;
	struct dentry *s_root;
	atomic_t s_active;		/* mounts of it */
	struct list_head s_inodes;	/* every inode of the file system (i_sb_list) */
	struct list_head s_instances;	/* on s_type->fs_supers */
	spinlock_t s_inode_list_lock;
	void *s_fs_info;
	char s_id[32];
};

#define FS_REQUIRES_DEV 1
#define FS_USERNS_MOUNT 8

struct file_system_type {
	const char *name;
	int fs_flags;
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 39)
	struct dentry *(*mount)(struct file_system_type *fs_type, int flags, const char *dev_name, void *data);
#else
	int (*get_sb)(struct file_system_type *fs_type, int flags, const char *dev_name, void *data, struct vfsmount *mnt);
#endif
	void (*kill_sb)(struct super_block *sb);
	struct file_system_type *next;
	struct list_head fs_supers;
};

int register_filesystem(struct file_system_type *fs);
struct file_system_type *get_fs_type(const char *name);

typedef int (*fill_super_t)(struct super_block *sb, void *data, int silent);
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 39)
struct dentry *mount_nodev(struct file_system_type *fs_type, int flags, void *data, fill_super_t fill_super);
#else
int get_sb_nodev(struct file_system_type *fs_type, int flags, void *data, fill_super_t fill_super, struct vfsmount *mnt);
int simple_set_mnt(struct vfsmount *mnt, struct super_block *sb);
#endif
void kill_litter_super(struct super_block *sb);
void kill_anon_super(struct super_block *sb);
void generic_shutdown_super(struct super_block *sb);
void deactivate_super(struct super_block *sb);

/* ---- Inodes (fs/inode.c) ---- */

struct inode *new_inode(struct super_block *sb);
void iput(struct inode *inode);
struct inode *igrab(struct inode *inode);
static inline void ihold(struct inode *inode)
{
	atomic_inc(&inode->i_count);
}
unsigned int get_next_ino(void);
void clear_inode(struct inode *inode);
int generic_drop_inode(struct inode *inode);
void inode_init_once(struct inode *inode);
void address_space_init_once(struct address_space *mapping);
/* Sets an inode up as a character/block device or FIFO node: i_fop and i_rdev (fs/inode.c). */
void init_special_inode(struct inode *inode, umode_t mode, dev_t rdev);
void inc_nlink(struct inode *inode);
void drop_nlink(struct inode *inode);
void clear_nlink(struct inode *inode);
void set_nlink(struct inode *inode, unsigned int nlink);
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
void generic_fillattr(struct mnt_idmap *idmap, u32 request_mask, struct inode *inode, struct kstat *stat);
int setattr_prepare(struct mnt_idmap *idmap, struct dentry *dentry, struct iattr *attr);
void setattr_copy(struct mnt_idmap *idmap, struct inode *inode, const struct iattr *attr);
#else
void generic_fillattr(struct inode *inode, struct kstat *stat);
int inode_change_ok(struct inode *inode, struct iattr *attr);
int inode_setattr(struct inode *inode, struct iattr *attr);
#endif

/* ---- Files (fs/file_table.c, fs/open.c, fs/read_write.c, fs/namei.c) ---- */

/* A new struct file on `path` (references taken by the caller are handed over) with `fop`. */
struct file *alloc_file(const struct path *path, fmode_t mode, const struct file_operations *fop);
struct file *filp_open(const char *filename, int flags, umode_t mode);
int filp_close(struct file *filp, void *id);
struct file *dentry_open(const struct path *path, int flags);
int vfs_open(const struct path *path, struct file *file);
ssize_t vfs_read(struct file *file, char __user *buf, size_t count, loff_t *pos);
ssize_t vfs_write(struct file *file, const char __user *buf, size_t count, loff_t *pos);
loff_t vfs_llseek(struct file *file, loff_t offset, int whence);
loff_t generic_file_llseek(struct file *file, loff_t offset, int whence);
loff_t default_llseek(struct file *file, loff_t offset, int whence);
loff_t no_llseek(struct file *file, loff_t offset, int whence);
int nonseekable_open(struct inode *inode, struct file *filp);
int generic_file_open(struct inode *inode, struct file *filp);
int vfs_fsync(struct file *file, int datasync);
int vfs_fsync_range(struct file *file, loff_t start, loff_t end, int datasync);
long vfs_ioctl(struct file *filp, unsigned int cmd, unsigned long arg);
int do_truncate(struct dentry *dentry, loff_t length, unsigned int time_attrs, struct file *filp);
int notify_change(struct dentry *dentry, struct iattr *attr);
int vfs_getattr(const struct path *path, struct kstat *stat);
int vfs_create(struct inode *dir, struct dentry *dentry, umode_t mode, bool want_excl);
int vfs_mkdir(struct inode *dir, struct dentry *dentry, umode_t mode);
int vfs_mknod(struct inode *dir, struct dentry *dentry, umode_t mode, dev_t dev);
int vfs_unlink(struct inode *dir, struct dentry *dentry);
int vfs_rmdir(struct inode *dir, struct dentry *dentry);
/* Copies a user path into a kmalloc'd kernel string: the string or an ERR_PTR (fs/namei.c). */
char *getname(const char __user *filename);
void putname(const char *name);

/* The mmap file operation of page-cache files: vm_ops with the era's fault handler (mm/filemap.c). */
int generic_file_mmap(struct file *file, struct vm_area_struct *vma);
int generic_file_readonly_mmap(struct file *file, struct vm_area_struct *vma);
/* fsync for file systems without backing store (fs/libfs.c). */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(3, 1, 0)
int noop_fsync(struct file *file, loff_t start, loff_t end, int datasync);
#else
int simple_sync_file(struct file *file, struct dentry *dentry, int datasync);
#endif

/* libfs (fs/libfs.c): directories that live only in the dentry cache. */
extern const struct file_operations simple_dir_operations;
extern const struct inode_operations simple_dir_inode_operations;
#if LINUX_VERSION_CODE >= KERNEL_VERSION(3, 6, 0)
struct dentry *simple_lookup(struct inode *dir, struct dentry *dentry, unsigned int flags);
#else
struct dentry *simple_lookup(struct inode *dir, struct dentry *dentry, struct nameidata *nd);
#endif
int simple_unlink(struct inode *dir, struct dentry *dentry);
int simple_rmdir(struct inode *dir, struct dentry *dentry);
int simple_empty(struct dentry *dentry);
int dcache_dir_open(struct inode *inode, struct file *file);
int dcache_dir_close(struct inode *inode, struct file *file);
ssize_t generic_read_dir(struct file *filp, char __user *buf, size_t siz, loff_t *ppos);
/* Copies [*ppos, available) of `from` to user space (fs/libfs.c). */
ssize_t simple_read_from_buffer(void __user *to, size_t count, loff_t *ppos, const void *from, size_t available);

/* ---- Character devices (fs/char_dev.c) ----
 * A driver registers file operations for a major number (all 256 minors), then creates its node:
 *   register_chrdev(major, "name", &fops)   major 0 picks a free one; returns the major or -errno
 *   devtmpfs_create_node("name", major, minor)   makes /dev/name (a character-device inode)
 * Opening /dev/name runs chrdev_open (def_chr_fops), which swaps in the driver's fops and calls
 * their ->open, as Linux does. unregister_chrdev / devtmpfs_delete_node undo them. */
#define CHRDEV_MAJOR_MAX 512
int register_chrdev(unsigned int major, const char *name, const struct file_operations *fops);
void unregister_chrdev(unsigned int major, const char *name);
/* The registered fops of a device, or NULL. */
const struct file_operations *chrdev_fops(dev_t dev);
extern const struct file_operations def_chr_fops;
/* Creates /dev/NAME as a character device node (0666) for MKDEV(major, minor): 0 or -errno
 * (-EEXIST when it exists). In Linux devtmpfs_create_node takes a struct device; Faultline has no
 * driver model, so the name and numbers are passed directly. */
int devtmpfs_create_node(const char *name, unsigned int major, unsigned int minor);
int devtmpfs_delete_node(const char *name);

/* ---- Boot (init/main.c calls vfs_caches_init once the allocators work) ---- */
/* The dentry and inode caches, the mount tree (/ as tmpfs, /tmp tmpfs, /proc, /dev), tmpfs's
 * internal mount (shmem_zero_setup). Idempotent: a second call does nothing. */
void vfs_caches_init(void);
/* Mounts `type` on the directory `dir` (an absolute path): 0 or -errno (fs/namespace.c). */
int do_mount_fs(const char *type, const char *dir);

#endif /* _LINUX_FS_H */
