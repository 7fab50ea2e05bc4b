/* fs/proc/root.c: the procfs root: /proc/self and /proc/<pid> directories (no other entries yet).
 * procfs is mounted on /proc by vfs_caches_init. */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/fs.h>
#include <linux/proc_fs.h>
#include <linux/dcache.h>
#include <linux/err.h>
#include "internal.h"

#if LINUX_VERSION_CODE >= KERNEL_VERSION(3, 6, 0)
static struct dentry *proc_root_lookup(struct inode *dir, struct dentry *dentry, unsigned int flags)
#else
static struct dentry *proc_root_lookup(struct inode *dir, struct dentry *dentry, struct nameidata *flags)
#endif
{
	if (dentry->d_name.len == 4 && dentry->d_name.name[0] == 's' && dentry->d_name.name[1] == 'e' &&
	    dentry->d_name.name[2] == 'l' && dentry->d_name.name[3] == 'f')
		return proc_self_lookup(dir, dentry);
	return proc_pid_lookup(dir, dentry, flags);
}

static const struct inode_operations proc_root_inode_operations = {
	.lookup = proc_root_lookup,
};

static int proc_fill_super(struct super_block *s, void *data, int silent)
{
	struct inode *root_inode;

	(void)data;
	(void)silent;
	s->s_blocksize = 1024;
	s->s_blocksize_bits = 10;
	s->s_magic = PROC_SUPER_MAGIC;
	s->s_op = &proc_sops;
	root_inode = proc_new_inode(s, S_IFDIR | S_IRUGO | S_IXUGO, 0);
	if (!root_inode)
		return -ENOMEM;
	root_inode->i_op = &proc_root_inode_operations;
	root_inode->i_fop = &simple_dir_operations;
	s->s_root = d_make_root(root_inode);
	return s->s_root ? 0 : -ENOMEM;
}

#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 39)
static struct dentry *proc_mount(struct file_system_type *fs_type, int flags, const char *dev_name, void *data)
{
	(void)dev_name;
	return mount_nodev(fs_type, flags, data, proc_fill_super);
}
#else
static int proc_get_sb(struct file_system_type *fs_type, int flags, const char *dev_name, void *data, struct vfsmount *mnt)
{
	(void)dev_name;
	return get_sb_nodev(fs_type, flags, data, proc_fill_super, mnt);
}
#endif

static struct file_system_type proc_fs_type = {
	.name = "proc",
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 39)
	.mount = proc_mount,
#else
	.get_sb = proc_get_sb,
#endif
	.kill_sb = kill_anon_super,
};

void proc_root_init(void)
{
	int err = register_filesystem(&proc_fs_type);

	if (err)
		printk(KERN_ERR "proc_root_init: cannot register procfs (%d)\n", err);
}
