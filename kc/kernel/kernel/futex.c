/* kernel/futex.c: FUTEX_WAIT and FUTEX_WAKE, what pthread_join and the libc's mutexes sleep on.
 *
 * A waiter is keyed by (mm, user address) — private futexes, which is what FUTEX_PRIVATE_FLAG
 * users and threads of one process need. Shared futexes between processes over MAP_SHARED memory
 * would key by (page, offset) in Linux; Faultline keys them the same way as private ones, so they
 * work only within one address space (documented limitation). One spinlock stands for the hash
 * bucket locks: the value check and the enqueue happen under it, so a wake cannot slip between them. */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/slab.h>
#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/uaccess.h>

#define FUTEX_WAIT		0
#define FUTEX_WAKE		1
#define FUTEX_PRIVATE_FLAG	128
#define FUTEX_CLOCK_REALTIME	256
#define FUTEX_CMD_MASK		(~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME))

struct futex_q {
	struct list_head list;
	struct task_struct *task;	/* NULL once woken */
	struct mm_struct *mm;
	unsigned long uaddr;
};

static LIST_HEAD(futex_queue);
static DEFINE_SPINLOCK(futex_lock);

static int futex_wait(u32 __user *uaddr, u32 val)
{
	struct futex_q q;
	u32 uval;

	if ((unsigned long)uaddr & 3)
		return -EINVAL;
	q.task = current;
	q.mm = current->mm;
	q.uaddr = (unsigned long)uaddr;
	spin_lock(&futex_lock);
	if (get_user(uval, uaddr)) {
		spin_unlock(&futex_lock);
		return -EFAULT;
	}
	if (uval != val) {
		spin_unlock(&futex_lock);
		return -EAGAIN;
	}
	list_add_tail(&q.list, &futex_queue);
	set_current_state(TASK_INTERRUPTIBLE);
	spin_unlock(&futex_lock);
	while (q.task && !signal_pending(current)) {
		schedule();
		set_current_state(TASK_INTERRUPTIBLE);
	}
	__set_current_state(TASK_RUNNING);
	spin_lock(&futex_lock);
	if (q.task) {
		list_del(&q.list);
		spin_unlock(&futex_lock);
		return -EINTR;
	}
	spin_unlock(&futex_lock);
	return 0;
}

int futex_wake(u32 __user *uaddr, int nr_wake)
{
	struct futex_q *q;
	struct futex_q *n;
	int woken = 0;

	spin_lock(&futex_lock);
	list_for_each_entry_safe(q, n, &futex_queue, list) {
		struct task_struct *t;

		if (woken >= nr_wake)
			break;
		if (q->mm != current->mm || q->uaddr != (unsigned long)uaddr)
			continue;
		t = q->task;
		list_del(&q->list);
		q->task = NULL;
		wake_up_process(t);
		woken++;
	}
	spin_unlock(&futex_lock);
	return woken;
}

long sys_futex(u32 __user *uaddr, int op, u32 val, unsigned long utime, u32 __user *uaddr2, u32 val3)
{
	switch (op & FUTEX_CMD_MASK) {
	case FUTEX_WAIT:
		/* Timeouts are not supported: a timed wait waits like an untimed one. */
		return futex_wait(uaddr, val);
	case FUTEX_WAKE:
		return futex_wake(uaddr, (int)val);
	default:
		return -ENOSYS;
	}
}
