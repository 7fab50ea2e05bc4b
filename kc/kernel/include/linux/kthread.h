/* <linux/kthread.h>: kernel threads (kernel/kthread.c). A kernel thread is a task with no mm that
 * runs `threadfn(data)` in kernel mode; kthread_create leaves it asleep until wake_up_process (or
 * kthread_stop), kthread_run wakes it at once. When threadfn returns, the thread exits with its
 * value, which kthread_stop returns. */
#ifndef _LINUX_KTHREAD_H
#define _LINUX_KTHREAD_H

#include <linux/kernel.h>
#include <linux/err.h>
#include <linux/sched.h>

#define NUMA_NO_NODE (-1)

/* Creates the thread named `name` (TASK_COMM_LEN - 1 characters are kept). */
struct task_struct *__kthread_create(int (*threadfn)(void *data), void *data, const char *name);

#define kthread_create(threadfn, data, namefmt, ...) ({					\
	char __kthread_name[TASK_COMM_LEN];						\
	snprintf(__kthread_name, sizeof(__kthread_name), namefmt, ##__VA_ARGS__);	\
	__kthread_create(threadfn, data, __kthread_name);				\
})
#define kthread_create_on_node(threadfn, data, node, namefmt, ...) \
	kthread_create(threadfn, data, namefmt, ##__VA_ARGS__)

#define kthread_run(threadfn, data, namefmt, ...) ({					\
	struct task_struct *__k = kthread_create(threadfn, data, namefmt, ##__VA_ARGS__); \
	if (!IS_ERR(__k))								\
		wake_up_process(__k);							\
	__k;										\
})

/* True in a kernel thread that kthread_stop has been called on. */
int kthread_should_stop(void);
/* Asks `k` to stop, wakes it, waits until it exits and returns threadfn's value (-EINTR when it
 * was stopped before it ever ran). */
int kthread_stop(struct task_struct *k);
/* Ends the calling kernel thread with `result` (what kthread_stop returns). */
void kthread_exit(long result) __attribute__((noreturn));
/* The data argument of the kernel thread `k`. */
void *kthread_data(struct task_struct *k);

#endif /* _LINUX_KTHREAD_H */
