/* fs/devtmpfs.c: /dev (drivers/base/devtmpfs.c in Linux): a tmpfs instance mounted on /dev in
 * which drivers' device nodes appear.
 *
 *   int devtmpfs_create_node(const char *name, unsigned int major, unsigned int minor);
 *   int devtmpfs_delete_node(const char *name);
 * Linux's versions take a struct device and run in the kdevtmpfs thread; Faultline has no driver
 * model, so a driver passes its node name ("console", "mem", "spu/ctx0" for a node in an
 * existing subdirectory) and numbers directly, after register_chrdev. */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/fs.h>
#include <linux/namei.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/err.h>
#include "internal.h"

int shmem_fill_super(struct super_block *sb, void *data, int silent);

#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 39)
static struct dentry *dev_mount(struct file_system_type *fs_type, int flags, const char *dev_name, void *data)
{
	(void)dev_name;
	return mount_nodev(fs_type, flags, data, shmem_fill_super);
}
#else
static int dev_get_sb(struct file_system_type *fs_type, int flags, const char *dev_name, void *data, struct vfsmount *mnt)
{
	(void)dev_name;
	return get_sb_nodev(fs_type, flags, data, shmem_fill_super, mnt);
}
#endif

static struct file_system_type dev_fs_type = {
	.name = "devtmpfs",
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 39)
	.mount = dev_mount,
#else
	.get_sb = dev_get_sb,
#endif
	.kill_sb = kill_litter_super,
};

int devtmpfs_init(void)
{
	int err = register_filesystem(&dev_fs_type);

	if (err)
		return err;
	return do_mount_fs("devtmpfs", "/dev");
}

/* "/dev/" + name, kmalloc'd, or NULL. */
static char *dev_path(const char *name)
{
	size_t len = fs_strlen(name);
	char *path = kmalloc(len + 6, GFP_KERNEL);

	if (!path)
		return NULL;
	memcpy(path, "/dev/", 5);
	memcpy(path + 5, name, len + 1);
	return path;
}

int devtmpfs_create_node(const char *name, unsigned int major, unsigned int minor)
{
	struct path parent;
	struct dentry *dentry;
	char *path;
	int err;

	vfs_caches_init();
	path = dev_path(name);
	if (!path)
		return -ENOMEM;
	dentry = kern_path_create(AT_FDCWD, path, &parent, 0);
	kfree(path);
	if (IS_ERR(dentry))
		return PTR_ERR(dentry);
	err = vfs_mknod(parent.dentry->d_inode, dentry, S_IFCHR | 0666, MKDEV(major, minor));
	done_path_create(&parent, dentry);
	return err;
}

int devtmpfs_delete_node(const char *name)
{
	char *path = dev_path(name);
	long err;

	if (!path)
		return -ENOMEM;
	err = do_unlinkat(AT_FDCWD, path, 0);
	kfree(path);
	return err;
}
