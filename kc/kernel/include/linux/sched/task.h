/* <linux/sched/task.h>: task_struct references (kernel/exit.c frees the task on the last put). */
#ifndef _LINUX_SCHED_TASK_H
#define _LINUX_SCHED_TASK_H

#include <linux/sched.h>


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
