/* fs/proc/internal.h: procfs's private interfaces. */
#ifndef _FS_PROC_INTERNAL_H
#define _FS_PROC_INTERNAL_H

#include <linux/types.h>
#include <linux/fs.h>
#include <linux/kernel.h>

struct task_struct;

/* A procfs inode: which process it describes (by pid: a /proc/<pid> entry outlives nothing, each
 * read looks the task up again and fails with -ESRCH once it is gone; Linux keeps a struct pid). */
struct proc_inode {
	pid_t pid;
	struct inode vfs_inode;
};

static inline struct proc_inode *PROC_I(const struct inode *inode)
{
	return container_of(inode, struct proc_inode, vfs_inode);
}

/* fs/proc/inode.c */
extern const struct super_operations proc_sops;
struct inode *proc_new_inode(struct super_block *sb, umode_t mode, pid_t pid);

/* fs/proc/base.c */
extern const struct inode_operations proc_self_inode_operations;
extern const struct dentry_operations pid_dentry_operations;
#if LINUX_VERSION_CODE >= KERNEL_VERSION(3, 6, 0)
struct dentry *proc_pid_lookup(struct inode *dir, struct dentry *dentry, unsigned int flags);
#else
struct dentry *proc_pid_lookup(struct inode *dir, struct dentry *dentry, struct nameidata *nd);
#endif
struct dentry *proc_self_lookup(struct inode *dir, struct dentry *dentry);

#endif /* _FS_PROC_INTERNAL_H */
