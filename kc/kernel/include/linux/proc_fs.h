/* <linux/proc_fs.h>: procfs (fs/proc/). /proc/self names the reader's own /proc/<pid>; each pid
 * directory has `maps` and `pagemap`, whose reads fs/proc/task_mmu.c produces through the two
 * functions below (the proc-and-gup helper writes them). */
#ifndef _LINUX_PROC_FS_H
#define _LINUX_PROC_FS_H

#include <linux/types.h>

struct task_struct;
struct super_block;

#define PROC_SUPER_MAGIC 0x9fa0

/* read() of /proc/<pid>/maps and /proc/<pid>/pagemap of `task`, at *ppos, for `count` bytes into
 * the user buffer: bytes copied (advancing *ppos), 0 at the end, or -errno. `task` has a reference
 * for the duration of the call; `current` is the reader. */
ssize_t proc_pid_maps_read(struct task_struct *task, char __user *buf, size_t count, loff_t *ppos);
ssize_t proc_pid_pagemap_read(struct task_struct *task, char __user *buf, size_t count, loff_t *ppos);

/* Registers procfs (fs/proc/root.c); vfs_caches_init mounts it on /proc. */
void proc_root_init(void);
/* The task with pid `nr` on the task list (init_task.tasks), with a reference, or NULL. */
struct task_struct *find_get_task_by_pid(pid_t nr);

#endif /* _LINUX_PROC_FS_H */
