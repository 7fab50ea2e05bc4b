/* <linux/wait.h>: wait queues (kernel/sched/wait.c), as Linux 6.8 has them.
 *
 * A sleeper puts an entry on the queue, sets its task state, re-checks its condition and calls
 * schedule(); a waker takes the queue lock and calls each entry's wake function, which by default
 * is wake_up_process on the sleeper (autoremove_wake_function also unlinks the entry). The
 * condition is always re-checked after setting the state, so a wake-up between the check and
 * schedule() is never lost (schedule() returns at once for a TASK_RUNNING task). */
#ifndef _LINUX_WAIT_H
#define _LINUX_WAIT_H

#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/errno.h>

struct wait_queue_entry;
typedef int (*wait_queue_func_t)(struct wait_queue_entry *wq_entry, unsigned int mode, int flags, void *key);

#define WQ_FLAG_EXCLUSIVE	0x01
#define WQ_FLAG_WOKEN		0x02

struct wait_queue_entry {
	unsigned int flags;
	void *private;			/* the sleeping task */
	wait_queue_func_t func;
	struct list_head entry;
};
typedef struct wait_queue_entry wait_queue_entry_t;

struct wait_queue_head {
	spinlock_t lock;
	struct list_head head;
};
typedef struct wait_queue_head wait_queue_head_t;

int default_wake_function(struct wait_queue_entry *wq_entry, unsigned int mode, int flags, void *key);
int autoremove_wake_function(struct wait_queue_entry *wq_entry, unsigned int mode, int flags, void *key);

#define __WAIT_QUEUE_HEAD_INITIALIZER(name) { .lock = __SPIN_LOCK_UNLOCKED(name.lock), .head = LIST_HEAD_INIT(name.head) }
#define DECLARE_WAIT_QUEUE_HEAD(name) struct wait_queue_head name = __WAIT_QUEUE_HEAD_INITIALIZER(name)

void __init_waitqueue_head(struct wait_queue_head *wq_head, const char *name);
#define init_waitqueue_head(wq_head) __init_waitqueue_head((wq_head), #wq_head)

#define DEFINE_WAIT_FUNC(name, function) \
	struct wait_queue_entry name = { .private = current, .func = function, .entry = LIST_HEAD_INIT((name).entry) }
#define DEFINE_WAIT(name) DEFINE_WAIT_FUNC(name, autoremove_wake_function)
#define DECLARE_WAITQUEUE(name, tsk) \
	struct wait_queue_entry name = { .private = tsk, .func = default_wake_function, .entry = { NULL, NULL } }

static inline void init_waitqueue_entry(struct wait_queue_entry *wq_entry, struct task_struct *p)
{
	wq_entry->flags = 0;
	wq_entry->private = p;
	wq_entry->func = default_wake_function;
}

static inline int waitqueue_active(struct wait_queue_head *wq_head)
{
	return !list_empty(&wq_head->head);
}

void add_wait_queue(struct wait_queue_head *wq_head, struct wait_queue_entry *wq_entry);
void add_wait_queue_exclusive(struct wait_queue_head *wq_head, struct wait_queue_entry *wq_entry);
void remove_wait_queue(struct wait_queue_head *wq_head, struct wait_queue_entry *wq_entry);
void prepare_to_wait(struct wait_queue_head *wq_head, struct wait_queue_entry *wq_entry, int state);
void prepare_to_wait_exclusive(struct wait_queue_head *wq_head, struct wait_queue_entry *wq_entry, int state);
/* Like prepare_to_wait, but returns -ERESTARTSYS (and does not queue) when a signal is pending
 * and `state` is interruptible. */
long prepare_to_wait_event(struct wait_queue_head *wq_head, struct wait_queue_entry *wq_entry, int state);
void finish_wait(struct wait_queue_head *wq_head, struct wait_queue_entry *wq_entry);

/* Wakes up to `nr_exclusive` exclusive waiters (0: all) among those sleeping in `mode`. */
void __wake_up(struct wait_queue_head *wq_head, unsigned int mode, int nr_exclusive, void *key);
#define wake_up(x)			__wake_up(x, TASK_NORMAL, 1, NULL)
#define wake_up_nr(x, nr)		__wake_up(x, TASK_NORMAL, nr, NULL)
#define wake_up_all(x)			__wake_up(x, TASK_NORMAL, 0, NULL)
#define wake_up_interruptible(x)	__wake_up(x, TASK_INTERRUPTIBLE, 1, NULL)
#define wake_up_interruptible_all(x)	__wake_up(x, TASK_INTERRUPTIBLE, 0, NULL)

#define TASK_NORMAL (TASK_INTERRUPTIBLE | TASK_UNINTERRUPTIBLE)

/* Sleeps until a wake-up or `timeout` jiffies (MAX_SCHEDULE_TIMEOUT: forever); returns the
 * jiffies left (0 when it timed out). kernel/sched/wait.c on the machine's timers. */
long schedule_timeout(long timeout);
long schedule_timeout_interruptible(long timeout);
long schedule_timeout_uninterruptible(long timeout);
#define MAX_SCHEDULE_TIMEOUT 0x7fffffffffffffffL

/*
 * The wait_event family: sleep in `state` until `condition` holds. `cmd` is how to sleep
 * (schedule() or a timeout). Interruptible forms give -ERESTARTSYS when a signal arrives.
 */
#define ___wait_is_interruptible(state) ((state) == TASK_INTERRUPTIBLE || (state) == TASK_KILLABLE)

#define ___wait_event(wq_head, condition, state, exclusive, ret, cmd) ({		\
	struct wait_queue_entry __wq_entry;						\
	long __ret = ret;								\
	__wq_entry.flags = (exclusive) ? WQ_FLAG_EXCLUSIVE : 0;				\
	__wq_entry.private = current;							\
	__wq_entry.func = autoremove_wake_function;					\
	INIT_LIST_HEAD(&__wq_entry.entry);						\
	for (;;) {									\
		long __int = prepare_to_wait_event(&(wq_head), &__wq_entry, state);	\
		if (condition)								\
			break;								\
		if (___wait_is_interruptible(state) && __int) {				\
			__ret = __int;							\
			break;								\
		}									\
		cmd;									\
	}										\
	finish_wait(&(wq_head), &__wq_entry);						\
	__ret;										\
})

#define wait_event(wq_head, condition) do {						\
	if (!(condition))								\
		(void)___wait_event(wq_head, condition, TASK_UNINTERRUPTIBLE, 0, 0, schedule()); \
} while (0)

#define wait_event_interruptible(wq_head, condition)					\
	((condition) ? 0L : ___wait_event(wq_head, condition, TASK_INTERRUPTIBLE, 0, 0, schedule()))

#define wait_event_killable(wq_head, condition)						\
	((condition) ? 0L : ___wait_event(wq_head, condition, TASK_KILLABLE, 0, 0, schedule()))

#define wait_event_interruptible_exclusive(wq_head, condition)				\
	((condition) ? 0L : ___wait_event(wq_head, condition, TASK_INTERRUPTIBLE, 1, 0, schedule()))

/* Returns 0 when the timeout elapsed with the condition false, else the jiffies left (at least 1). */
#define ___wait_cond_timeout(condition) ({ int __cond = (condition); if (__cond && !__ret) __ret = 1; __cond || !__ret; })

#define wait_event_timeout(wq_head, condition, timeout) ({				\
	long __ret = (timeout);								\
	if (!___wait_cond_timeout(condition))						\
		__ret = ___wait_event(wq_head, ___wait_cond_timeout(condition), TASK_UNINTERRUPTIBLE, 0, timeout, __ret = schedule_timeout(__ret)); \
	__ret;										\
})

#define wait_event_interruptible_timeout(wq_head, condition, timeout) ({		\
	long __ret = (timeout);								\
	if (!___wait_cond_timeout(condition))						\
		__ret = ___wait_event(wq_head, ___wait_cond_timeout(condition), TASK_INTERRUPTIBLE, 0, timeout, __ret = schedule_timeout(__ret)); \
	__ret;										\
})

#endif /* _LINUX_WAIT_H */
