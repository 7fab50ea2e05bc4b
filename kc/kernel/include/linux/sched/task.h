/* <linux/sched/task.h>: task_struct references (kernel/exit.c frees the task on the last put). */
#ifndef _LINUX_SCHED_TASK_H
#define _LINUX_SCHED_TASK_H

#include <linux/sched.h>


#include <linux/spinlock_types.h>

/*
 * tasklist_lock guards the task lists: init_task.tasks, every children/sibling list, and (with the
 * group's sighand->siglock, which writers take too) every thread_group list. Readers walk under
 * either; nobody walks one of these lists unlocked, because another CPU's release_task may unlink
 * the very node a walker stands on. Order: tasklist_lock, then siglock. (Linux: an rwlock.)
 */
extern spinlock_t tasklist_lock;

/* Frees the task (its kernel stack, signal state) when the last reference goes. */
void __put_task_struct(struct task_struct *t);
static inline void get_task_struct(struct task_struct *t)
{
	atomic_inc(&t->usage);
}
static inline void put_task_struct(struct task_struct *t)
{
	if (atomic_dec_and_test(&t->usage))
		__put_task_struct(t);
}

#endif /* _LINUX_SCHED_TASK_H */
