/* spufs/inode.c: the SPU file system and the module's entry points.
 *
 * spufs is a file system (mounted on /spu here, by the module: Faultline has no mount(2); a Cell
 * system mounts it from userspace with `mount -t spufs spufs /spu`). spu_create(2) makes a
 * directory in it, one per SPU context, filled with the context's files (file.c), and returns a
 * descriptor for the directory; closing that descriptor removes the directory and gives up the
 * creator's mm (spu_forget). The context itself lives as long as any of its files is open or
 * mapped: every file inode holds a context reference (i_ctx), dropped when the inode goes.
 *
 * Each file has its own inode and so its own address_space: the i_mmap of the mem inode lists
 * every VMA, of any process, that maps the context's local store, which is what
 * spu_unmap_mappings zaps through unmap_mapping_range on every bind and unbind. */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/file.h>
#include <linux/namei.h>
#include <linux/mount.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/module.h>
#include "spufs.h"

static struct file_system_type spufs_type;

static struct inode *spufs_alloc_inode(struct super_block *sb)
{
	struct spufs_inode_info *ei = kmalloc(sizeof(*ei), GFP_KERNEL);

	(void)sb;
	if (!ei)
		return NULL;
	inode_init_once(&ei->vfs_inode);
	ei->i_ctx = NULL;
	ei->i_openers = 0;
	return &ei->vfs_inode;
}

static void spufs_destroy_inode(struct inode *inode)
{
	kfree(SPUFS_I(inode));
}

static struct inode *spufs_new_inode(struct super_block *sb, umode_t mode)
{
	struct inode *inode;

	inode = new_inode(sb);
	if (!inode)
		goto out;
	inode->i_ino = get_next_ino();
	inode->i_mode = mode;
	inode->i_blocks = 0;
out:
	return inode;
}

/* The last reference to a file inode: its context reference goes (2.6.18 spufs_delete_inode,
 * 6.8 spufs_evict_inode). */
static void spufs_evict_inode(struct inode *inode)
{
	struct spufs_inode_info *ei = SPUFS_I(inode);

	clear_inode(inode);
	if (ei->i_ctx)
		put_spu_context(ei->i_ctx);
}

static int spufs_new_file(struct super_block *sb, struct dentry *dentry, const struct file_operations *fops, umode_t mode,
			  size_t size, struct spu_context *ctx)
{
	struct inode *inode;
	int ret;

	ret = -ENOSPC;
	inode = spufs_new_inode(sb, S_IFREG | mode);
	if (!inode)
		goto out;
	ret = 0;
	inode->i_fop = fops;
	inode->i_size = size;
	inode->i_private = SPUFS_I(inode)->i_ctx = get_spu_context(ctx);
	/* The allocation reference of the dentry pins it in the directory until spufs_prune_dir. */
	d_add(dentry, inode);
out:
	return ret;
}

/* Removes every file of a context directory (its dentries go; inodes live while files are open). */
static void spufs_prune_dir(struct dentry *dir)
{
	struct dentry *dentry, *tmp;

	inode_lock(dir->d_inode);
	list_for_each_entry_safe(dentry, tmp, &dir->d_subdirs, d_child) {
		if (!d_unhashed(dentry) && dentry->d_inode) {
			dget(dentry);
			d_drop(dentry);
			simple_unlink(dir->d_inode, dentry);
			dput(dentry);
		}
	}
	inode_unlock(dir->d_inode);
}

/* Caller must hold parent's inode lock */
static int spufs_rmdir(struct inode *parent, struct dentry *dir)
{
	/* remove all entries */
	spufs_prune_dir(dir);
	d_drop(dir);
	return simple_rmdir(parent, dir);
}

static int spufs_fill_dir(struct dentry *dir, const struct spufs_tree_descr *files, umode_t mode, struct spu_context *ctx)
{
	struct dentry *dentry;
	int ret;

	while (files->name && files->name[0]) {
		ret = -ENOMEM;
		dentry = d_alloc_name(dir, files->name);
		if (!dentry)
			goto out;
		ret = spufs_new_file(dir->d_sb, dentry, files->ops, files->mode & mode, files->size, ctx);
		if (ret) {
			dput(dentry);
			goto out;
		}
		files++;
	}
	return 0;
out:
	spufs_prune_dir(dir);
	return ret;
}

/* Closing the descriptor spu_create returned removes the context directory. */
static int spufs_dir_close(struct inode *inode, struct file *file)
{
	struct inode *parent;
	struct dentry *dir;
	struct spu_context *ctx;
	int ret;

	dir = file->f_path.dentry;
	parent = dir->d_parent->d_inode;
	ctx = SPUFS_I(dir->d_inode)->i_ctx;

	inode_lock_nested(parent, I_MUTEX_PARENT);
	ret = spufs_rmdir(parent, dir);
	inode_unlock(parent);
	WARN_ON(ret);

	/* We have to give up the mm_struct */
	spu_forget(ctx);

	return dcache_dir_close(inode, file);
}

const struct file_operations spufs_context_fops = {
	.open = dcache_dir_open,
	.release = spufs_dir_close,
	.llseek = default_llseek,
	.read = generic_read_dir,
};

static const struct inode_operations spufs_dir_inode_operations = {
	.lookup = simple_lookup,
};

static int spufs_mkdir(struct inode *dir, struct dentry *dentry, unsigned int flags, umode_t mode)
{
	int ret;
	struct inode *inode;
	struct spu_context *ctx;

	inode = spufs_new_inode(dir->i_sb, mode | S_IFDIR);
	if (!inode)
		return -ENOSPC;
	ctx = alloc_spu_context();
	SPUFS_I(inode)->i_ctx = ctx;
	if (!ctx) {
		iput(inode);
		return -ENOSPC;
	}
	ctx->flags = flags;
	inode->i_op = &spufs_dir_inode_operations;
	inode->i_fop = &simple_dir_operations;

	inode_lock(inode);
	dget(dentry);
	inc_nlink(dir);
	inc_nlink(inode);
	d_instantiate(dentry, inode);
	d_rehash(dentry);
	ret = spufs_fill_dir(dentry, spufs_dir_contents, mode, ctx);
	inode_unlock(inode);
	if (ret)
		spufs_rmdir(dir, dentry);
	return ret;
}

static int spufs_context_open(const struct path *path)
{
	int ret;
	struct file *filp;

	ret = get_unused_fd_flags(0);
	if (ret < 0)
		return ret;
	filp = dentry_open(path, O_RDONLY);
	if (IS_ERR(filp)) {
		put_unused_fd(ret);
		return PTR_ERR(filp);
	}
	filp->f_op = &spufs_context_fops;
	fd_install(ret, filp);
	return ret;
}

/*
 * spu_create(2) once the path is resolved: `dentry` is the new name's (negative) dentry in the
 * directory `path` names, whose inode lock the caller holds (kern_path_create). 2.6.18 called this
 * spufs_create_thread and took a nameidata; 6.8 names it spufs_create with a path and a dentry.
 */
long spufs_create(struct path *path, struct dentry *dentry, unsigned int flags, umode_t mode)
{
	struct inode *dir = path->dentry->d_inode;
	struct path ctx_path;
	struct spu_context *ctx;
	int ret;

	/* check if we are on spufs, at its root (there are no gangs to create contexts in) */
	if (path->dentry->d_sb->s_type != &spufs_type || path->dentry != path->dentry->d_sb->s_root)
		return -EINVAL;
#if LINUX_VERSION_CODE < KERNEL_VERSION(2, 6, 20)
	/* all flags are reserved */
	if (flags)
		return -EINVAL;
#else
	/* don't accept undefined flags */
	if (flags & (~SPU_CREATE_FLAG_ALL))
		return -EINVAL;
	/* gangs and affinity need more than one SPE node; isolation needs the isolated loader */
	if (flags & (SPU_CREATE_GANG | SPU_CREATE_AFFINITY_SPU | SPU_CREATE_AFFINITY_MEM))
		return -EINVAL;
	if ((flags & (SPU_CREATE_NOSCHED | SPU_CREATE_ISOLATE)) == SPU_CREATE_ISOLATE)
		return -EINVAL;
	if (flags & SPU_CREATE_ISOLATE)
		return -ENODEV;
#endif
	/* current_umask(): every task has init's 0022 (this kernel has no fs_struct) */
	mode &= ~0022;
	ret = spufs_mkdir(dir, dentry, flags, mode & S_IRWXUGO);
	if (ret)
		return ret;
	ctx = SPUFS_I(dentry->d_inode)->i_ctx;
	/* Faultline: the context's name for the harness and the Devices view. */
	snprintf(ctx->name, sizeof(ctx->name), "%s/%s", "/spu", (const char *)dentry->d_name.name);
	__spu_switch_notify(-1, ctx->id, ctx->name, 2);

	ctx_path.mnt = path->mnt;
	ctx_path.dentry = dentry;
	ret = spufs_context_open(&ctx_path);
	if (ret < 0) {
		WARN_ON(spufs_rmdir(dir, dentry));
		spu_forget(ctx);
	}
	return ret;
}

/* The context whose directory `name` is (for the harness), with a reference; or NULL. */
struct spu_context *spufs_lookup_context(const char *name)
{
	struct path path;
	struct spu_context *ctx = NULL;
	struct inode *inode;

	if (kern_path(name, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &path))
		return NULL;
	inode = path.dentry->d_inode;
	if (path.dentry->d_sb->s_type == &spufs_type && inode && SPUFS_I(inode)->i_ctx)
		ctx = get_spu_context(SPUFS_I(inode)->i_ctx);
	path_put(&path);
	return ctx;
}

/* ---- The file system ---- */

static const struct super_operations spufs_ops = {
	.alloc_inode = spufs_alloc_inode,
	.destroy_inode = spufs_destroy_inode,
	.drop_inode = generic_drop_inode,
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 36)
	.evict_inode = spufs_evict_inode,
#else
	.delete_inode = spufs_evict_inode,
#endif
};

static int spufs_fill_super(struct super_block *sb, void *data, int silent)
{
	struct inode *inode;

	(void)data;
	(void)silent;
	sb->s_maxbytes = MAX_LFS_FILESIZE;
	sb->s_blocksize = PAGE_SIZE;
	sb->s_blocksize_bits = PAGE_SHIFT;
	sb->s_magic = SPUFS_MAGIC;
	sb->s_op = &spufs_ops;

	inode = spufs_new_inode(sb, S_IFDIR | 0775);
	if (!inode)
		return -ENOMEM;
	inode->i_op = &spufs_dir_inode_operations;
	inode->i_fop = &simple_dir_operations;
	SPUFS_I(inode)->i_ctx = NULL;
	inc_nlink(inode);
	sb->s_root = d_make_root(inode);
	if (!sb->s_root)
		return -ENOMEM;
	return 0;
}

#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 39)
static struct dentry *spufs_mount(struct file_system_type *fstype, int flags, const char *name, void *data)
{
	(void)name;
	return mount_nodev(fstype, flags, data, spufs_fill_super);
}
#else
static int spufs_get_sb(struct file_system_type *fstype, int flags, const char *name, void *data, struct vfsmount *mnt)
{
	(void)name;
	return get_sb_nodev(fstype, flags, data, spufs_fill_super, mnt);
}
#endif

static struct file_system_type spufs_type = {
	.name = "spufs",
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 39)
	.mount = spufs_mount,
#else
	.get_sb = spufs_get_sb,
#endif
	.kill_sb = kill_litter_super,
};

/* mkdir /spu and mount spufs there (what a Cell system's init scripts do). */
static int spufs_mount_root(void)
{
	struct path parent;
	struct dentry *dentry;
	int err;

	dentry = kern_path_create(AT_FDCWD, "/spu", &parent, LOOKUP_DIRECTORY);
	if (IS_ERR(dentry))
		return PTR_ERR(dentry);
	err = vfs_mkdir(parent.dentry->d_inode, dentry, 0755);
	done_path_create(&parent, dentry);
	if (err)
		return err;
	return do_mount_fs("spufs", "/spu");
}

static int __init spufs_init(void)
{
	int ret;

	ret = spu_enumerate_spus();
	if (ret < 0)
		goto out_spus;
	if (ret == 0) {
		ret = -ENODEV;
		goto out_spus;
	}
	ret = spu_sched_init();
	if (ret)
		goto out_spus;
	ret = register_filesystem(&spufs_type);
	if (ret)
		goto out_sched;
	ret = register_spu_syscalls(&spufs_calls);
	if (ret)
		goto out_sched;
	ret = spufs_mount_root();
	if (ret)
		goto out_syscalls;
	return 0;
out_syscalls:
	unregister_spu_syscalls(&spufs_calls);
out_sched:
	spu_sched_exit();
out_spus:
	spu_unmap_all();
	return ret;
}
module_init(spufs_init);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Arnd Bergmann <arndb@de.ibm.com>");
