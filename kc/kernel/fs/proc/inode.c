/* fs/proc/inode.c: procfs inodes (struct proc_inode around the VFS inode). */
#include <linux/kernel.h>
#include <linux/fs.h>
#include <linux/slab.h>
#include "internal.h"

static struct inode *proc_alloc_inode(struct super_block *sb)
{
	struct proc_inode *ei = kmalloc(sizeof(*ei), GFP_KERNEL);

	(void)sb;
	if (!ei)
		return NULL;
	inode_init_once(&ei->vfs_inode);
	ei->pid = 0;
	return &ei->vfs_inode;
}

static void proc_destroy_inode(struct inode *inode)
{
	kfree(PROC_I(inode));
}

#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 36)
static void proc_evict_inode(struct inode *inode)
{
	clear_inode(inode);
}
#else
static void proc_delete_inode(struct inode *inode)
{
	clear_inode(inode);
}
#endif

const struct super_operations proc_sops = {
	.alloc_inode = proc_alloc_inode,
	.destroy_inode = proc_destroy_inode,
	.drop_inode = generic_drop_inode,
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 36)
	.evict_inode = proc_evict_inode,
#else
	.delete_inode = proc_delete_inode,
#endif
};

/* A fresh procfs inode for process `pid` (0: none). */
struct inode *proc_new_inode(struct super_block *sb, umode_t mode, pid_t pid)
{
	struct inode *inode = new_inode(sb);

	if (!inode)
		return NULL;
	inode->i_ino = get_next_ino();
	inode->i_mode = mode;
	PROC_I(inode)->pid = pid;
	if (S_ISDIR(mode))
		set_nlink(inode, 2);
	return inode;
}
