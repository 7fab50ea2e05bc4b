/* fs/namespace.c: mounts and the initial mount tree.
 *
 * vfs_caches_init (fs/dcache.c's entry point in Linux; here, with the rest of the boot-time file
 * system setup) builds the tree every process sees:
 *   /        rootfs: a tmpfs instance (what 6.8 uses when CONFIG_TMPFS is set)
 *   /tmp     tmpfs
 *   /proc    procfs (fs/proc/)
 *   /dev     devtmpfs: a tmpfs instance where drivers' nodes appear (fs/devtmpfs.c)
 * and tmpfs's internal mount shm_mnt (shmem_file_setup, shmem_zero_setup). There is one mount
 * namespace and no per-process root: init_root is "/" for every walk.
 *
 * A vfsmount holds a reference to its super block (s_active) and its root dentry; an attached mount
 * holds its mountpoint and parent mount, and the tree holds one reference to it. vfsmount_lock
 * guards the mount list and the DCACHE_MOUNTED marks. */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/fs.h>
#include <linux/mount.h>
#include <linux/namei.h>
#include <linux/slab.h>
#include <linux/err.h>
#include <linux/shmem_fs.h>
#include <linux/proc_fs.h>
#include <linux/fdtable.h>

static LIST_HEAD(vfsmount_list);
static DEFINE_SPINLOCK(vfsmount_lock);

/* "/" of the mount tree, for every path walk (fs/namei.c). */
struct path init_root;

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
struct mnt_idmap nop_mnt_idmap = { .count = ATOMIC_INIT(1) };
#endif

static struct vfsmount *alloc_vfsmnt(const char *name)
{
	struct vfsmount *mnt = kzalloc(sizeof(*mnt), GFP_KERNEL);

	if (!mnt)
		return NULL;
	atomic_set(&mnt->mnt_count, 1);
	INIT_LIST_HEAD(&mnt->mnt_list);
	mnt->mnt_devname = name;
	return mnt;
}

struct vfsmount *mntget(struct vfsmount *mnt)
{
	if (mnt)
		atomic_inc(&mnt->mnt_count);
	return mnt;
}

void mntput(struct vfsmount *mnt)
{
	if (!mnt || !atomic_dec_and_test(&mnt->mnt_count))
		return;
	dput(mnt->mnt_root);
	deactivate_super(mnt->mnt_sb);
	kfree(mnt);
}

struct vfsmount *vfs_kern_mount(struct file_system_type *type, int flags, const char *name, void *data)
{
	struct vfsmount *mnt;

	if (!type)
		return ERR_PTR(-ENODEV);
	mnt = alloc_vfsmnt(name);
	if (!mnt)
		return ERR_PTR(-ENOMEM);
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 39)
	{
		struct dentry *root = type->mount(type, flags, name, data);

		if (IS_ERR(root)) {
			kfree(mnt);
			return ERR_PTR(PTR_ERR(root));
		}
		mnt->mnt_root = root;
		mnt->mnt_sb = root->d_sb;
	}
#else
	{
		int error = type->get_sb(type, flags, name, data, mnt);

		if (error) {
			kfree(mnt);
			return ERR_PTR(error);
		}
	}
#endif
	mnt->mnt_parent = mnt;
	mnt->mnt_mountpoint = mnt->mnt_root;
	return mnt;
}

struct vfsmount *kern_mount(struct file_system_type *type)
{
	struct vfsmount *mnt = vfs_kern_mount(type, 0, type->name, NULL);

	if (!IS_ERR(mnt))
		mnt->mnt_flags |= MNT_INTERNAL;
	return mnt;
}

struct vfsmount *lookup_mnt(const struct path *path)
{
	struct vfsmount *mnt;
	struct vfsmount *found = NULL;

	spin_lock(&vfsmount_lock);
	list_for_each_entry(mnt, &vfsmount_list, mnt_list) {
		if (mnt->mnt_parent == path->mnt && mnt->mnt_mountpoint == path->dentry) {
			/* The most recent mount on a point hides the earlier ones. */
			found = mnt;
		}
	}
	mntget(found);
	spin_unlock(&vfsmount_lock);
	return found;
}

/* Attaches `mnt` on `path` (graft_tree): the tree takes over the caller's reference to mnt. */
static void attach_mnt(struct vfsmount *mnt, const struct path *path)
{
	mnt->mnt_parent = mntget(path->mnt);
	mnt->mnt_mountpoint = dget(path->dentry);
	spin_lock(&vfsmount_lock);
	path->dentry->d_flags |= DCACHE_MOUNTED;
	list_add_tail(&mnt->mnt_list, &vfsmount_list);
	spin_unlock(&vfsmount_lock);
}

int do_mount_fs(const char *type, const char *dir)
{
	struct path path;
	struct vfsmount *mnt;
	int err;

	err = kern_path(dir, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &path);
	if (err)
		return err;
	mnt = vfs_kern_mount(get_fs_type(type), 0, type, NULL);
	if (IS_ERR(mnt)) {
		path_put(&path);
		return PTR_ERR(mnt);
	}
	attach_mnt(mnt, &path);
	path_put(&path);
	return 0;
}

/* ---- The initial tree ---- */

int shmem_fill_super(struct super_block *sb, void *data, int silent);

#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 39)
static struct dentry *rootfs_mount(struct file_system_type *fs_type, int flags, const char *dev_name, void *data)
{
	(void)dev_name;
	return mount_nodev(fs_type, flags, data, shmem_fill_super);
}
#else
static int rootfs_get_sb(struct file_system_type *fs_type, int flags, const char *dev_name, void *data, struct vfsmount *mnt)
{
	(void)dev_name;
	return get_sb_nodev(fs_type, flags, data, shmem_fill_super, mnt);
}
#endif

static struct file_system_type rootfs_fs_type = {
	.name = "rootfs",
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 39)
	.mount = rootfs_mount,
#else
	.get_sb = rootfs_get_sb,
#endif
	.kill_sb = kill_litter_super,
};

static int vfs_initialized;

static int make_dir(const char *name)
{
	struct path parent;
	struct dentry *dentry = kern_path_create(AT_FDCWD, name, &parent, LOOKUP_DIRECTORY);
	int err;

	if (IS_ERR(dentry))
		return PTR_ERR(dentry);
	err = vfs_mkdir(parent.dentry->d_inode, dentry, S_IFDIR | 0755);
	done_path_create(&parent, dentry);
	return err;
}

int devtmpfs_init(void);

static void init_mount_tree(void)
{
	struct vfsmount *mnt;

	register_filesystem(&rootfs_fs_type);
	mnt = vfs_kern_mount(&rootfs_fs_type, 0, "rootfs", NULL);
	BUG_ON(IS_ERR(mnt));
	init_root.mnt = mnt;
	init_root.dentry = dget(mnt->mnt_root);
}

void vfs_caches_init(void)
{
	int err;

	if (vfs_initialized)
		return;
	vfs_initialized = 1;
	err = shmem_init();
	BUG_ON(err);
	init_mount_tree();
	proc_root_init();
	err = make_dir("/tmp");
	if (!err)
		err = do_mount_fs("tmpfs", "/tmp");
	if (!err)
		err = make_dir("/proc");
	if (!err)
		err = do_mount_fs("proc", "/proc");
	if (!err)
		err = make_dir("/dev");
	if (!err)
		err = devtmpfs_init();
	/* /dev/console, for the first process's standard streams (tty_init's node in Linux). */
	if (!err)
		err = console_init();
	if (err)
		printk(KERN_ERR "vfs_caches_init: the initial mount tree failed (%d)\n", err);
}
