/* fs/proc/base.c: /proc/self and the /proc/<pid> directories with their `maps` and `pagemap`
 * files, whose contents fs/proc/task_mmu.c produces (proc_pid_maps_read, proc_pid_pagemap_read).
 *
 * /proc/self is a symbolic link to the reader's tgid ("self" resolves per reader, like Linux's
 * proc_self_get_link). A /proc/<pid> entry exists while a task with that pid is on the task list
 * (init_task.tasks and the thread groups); its files look the task up again at each read (-ESRCH
 * once it has gone) and take a task reference for the duration of the call. No procfs dentry is
 * cached once unused (pid_delete_dentry), so a dead pid's entry disappears with its last user. */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/fs.h>
#include <linux/proc_fs.h>
#include <linux/dcache.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/err.h>
#include <linux/delayed_call.h>
#include "internal.h"

struct task_struct *find_get_task_by_pid(pid_t nr)
{
	struct task_struct *p;

	if (nr <= 0)
		return NULL;
	if (init_task.pid == nr) {
		get_task_struct(&init_task);
		return &init_task;
	}
	spin_lock(&tasklist_lock);
	list_for_each_entry(p, &init_task.tasks, tasks) {
		struct task_struct *t;

		if (p->pid == nr) {
			get_task_struct(p);
			spin_unlock(&tasklist_lock);
			return p;
		}
		list_for_each_entry(t, &p->thread_group, thread_group) {
			if (t->pid == nr) {
				get_task_struct(t);
				spin_unlock(&tasklist_lock);
				return t;
			}
		}
	}
	spin_unlock(&tasklist_lock);
	return NULL;
}

static int pid_delete_dentry(const struct dentry *dentry)
{
	(void)dentry;
	return 1;
}

const struct dentry_operations pid_dentry_operations = {
	.d_delete = pid_delete_dentry,
};

/* ---- /proc/self ---- */

static void kfree_link(void *p)
{
	kfree(p);
}

/* The decimal digits of v into buf (at least 12 bytes), NUL-terminated. */
static void format_pid(char *buf, pid_t v)
{
	char tmp[12];
	int n = 0;
	int i;

	do {
		tmp[n++] = '0' + v % 10;
		v /= 10;
	} while (v > 0);
	for (i = 0; i < n; i++)
		buf[i] = tmp[n - 1 - i];
	buf[n] = 0;
}

static const char *proc_self_get_link(struct dentry *dentry, struct inode *inode, struct delayed_call *done)
{
	pid_t tgid = task_tgid_nr(current);
	char *name;

	(void)dentry;
	(void)inode;
	if (!tgid)
		return ERR_PTR(-ENOENT);
	name = kmalloc(12, GFP_KERNEL);
	if (!name)
		return ERR_PTR(-ENOMEM);
	format_pid(name, tgid);
	set_delayed_call(done, kfree_link, name);
	return name;
}

const struct inode_operations proc_self_inode_operations = {
	.get_link = proc_self_get_link,
};

struct dentry *proc_self_lookup(struct inode *dir, struct dentry *dentry)
{
	struct inode *inode = proc_new_inode(dir->i_sb, S_IFLNK | S_IRWXUGO, 0);

	if (!inode)
		return ERR_PTR(-ENOMEM);
	inode->i_op = &proc_self_inode_operations;
	dentry->d_op = &pid_dentry_operations;
	d_add(dentry, inode);
	return NULL;
}

/* ---- /proc/<pid>/maps and /proc/<pid>/pagemap ---- */

static ssize_t proc_pid_file_read(struct file *file, char __user *buf, size_t count, loff_t *ppos,
	ssize_t (*show)(struct task_struct *task, char __user *buf, size_t count, loff_t *ppos))
{
	struct task_struct *task = find_get_task_by_pid(PROC_I(file_inode(file))->pid);
	ssize_t ret;

	if (!task)
		return -ESRCH;
	ret = show(task, buf, count, ppos);
	put_task_struct(task);
	return ret;
}

static ssize_t proc_maps_read(struct file *file, char __user *buf, size_t count, loff_t *ppos)
{
	return proc_pid_file_read(file, buf, count, ppos, proc_pid_maps_read);
}

static ssize_t proc_pagemap_read(struct file *file, char __user *buf, size_t count, loff_t *ppos)
{
	return proc_pid_file_read(file, buf, count, ppos, proc_pid_pagemap_read);
}

/* mem_lseek: any position from SEEK_SET or SEEK_CUR (the files have no size). */
static loff_t mem_lseek(struct file *file, loff_t offset, int orig)
{
	switch (orig) {
	case SEEK_SET:
		file->f_pos = offset;
		break;
	case SEEK_CUR:
		file->f_pos += offset;
		break;
	default:
		return -EINVAL;
	}
	return file->f_pos;
}

static const struct file_operations proc_pid_maps_operations = {
	.read = proc_maps_read,
	.llseek = mem_lseek,
};

static const struct file_operations proc_pagemap_operations = {
	.read = proc_pagemap_read,
	.llseek = mem_lseek,
};

/* The entries of a /proc/<pid> directory (pid_entry tgid_base_stuff, the part Faultline has). */
struct pid_entry {
	const char *name;
	unsigned int len;
	umode_t mode;
	const struct file_operations *fop;
};

static const struct pid_entry tgid_base_stuff[] = {
	{ .name = "maps", .len = 4, .mode = S_IFREG | S_IRUGO, .fop = &proc_pid_maps_operations },
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 25)
	/* 85863e475e5 ("maps4: add /proc/pid/pagemap interface"): no such entry before 2.6.25. */
	{ .name = "pagemap", .len = 7, .mode = S_IFREG | S_IRUSR, .fop = &proc_pagemap_operations },
#endif
};

#if LINUX_VERSION_CODE >= KERNEL_VERSION(3, 6, 0)
static struct dentry *proc_tgid_base_lookup(struct inode *dir, struct dentry *dentry, unsigned int flags)
#else
static struct dentry *proc_tgid_base_lookup(struct inode *dir, struct dentry *dentry, struct nameidata *flags)
#endif
{
	unsigned int i;

	(void)flags;
	for (i = 0; i < ARRAY_SIZE(tgid_base_stuff); i++) {
		const struct pid_entry *p = &tgid_base_stuff[i];
		struct inode *inode;
		unsigned int k;

		if (dentry->d_name.len != p->len)
			continue;
		for (k = 0; k < p->len && dentry->d_name.name[k] == (unsigned char)p->name[k]; k++)
			;
		if (k != p->len)
			continue;
		inode = proc_new_inode(dir->i_sb, p->mode, PROC_I(dir)->pid);
		if (!inode)
			return ERR_PTR(-ENOMEM);
		inode->i_fop = p->fop;
		dentry->d_op = &pid_dentry_operations;
		d_add(dentry, inode);
		return NULL;
	}
	return ERR_PTR(-ENOENT);
}

static const struct inode_operations proc_tgid_base_inode_operations = {
	.lookup = proc_tgid_base_lookup,
};

/* A decimal pid name ("123"), or 0. */
static pid_t name_to_pid(const struct qstr *name)
{
	pid_t pid = 0;
	unsigned int i;

	if (name->len == 0 || name->len > 9 || name->name[0] == '0')
		return 0;
	for (i = 0; i < name->len; i++) {
		unsigned char c = name->name[i];

		if (c < '0' || c > '9')
			return 0;
		pid = pid * 10 + (c - '0');
	}
	return pid;
}

#if LINUX_VERSION_CODE >= KERNEL_VERSION(3, 6, 0)
struct dentry *proc_pid_lookup(struct inode *dir, struct dentry *dentry, unsigned int flags)
#else
struct dentry *proc_pid_lookup(struct inode *dir, struct dentry *dentry, struct nameidata *flags)
#endif
{
	pid_t pid = name_to_pid(&dentry->d_name);
	struct task_struct *task;
	struct inode *inode;

	(void)flags;
	task = find_get_task_by_pid(pid);
	if (!task)
		return ERR_PTR(-ENOENT);
	inode = proc_new_inode(dir->i_sb, S_IFDIR | S_IRUGO | S_IXUGO, pid);
	put_task_struct(task);
	if (!inode)
		return ERR_PTR(-ENOMEM);
	inode->i_op = &proc_tgid_base_inode_operations;
	inode->i_fop = &simple_dir_operations;
	dentry->d_op = &pid_dentry_operations;
	d_add(dentry, inode);
	return NULL;
}
