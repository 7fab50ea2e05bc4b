/* kernel/futex.c: FUTEX_WAIT and FUTEX_WAKE, what pthread_join and the libc's mutexes sleep on.
 *
 * A waiter is keyed as get_futex_key does: a private futex (FUTEX_PRIVATE_FLAG, or an address in a
 * private mapping) by (mm, user address); a shared one, in a MAP_SHARED file or shmem mapping, by
 * (address_space, byte offset in the file), so processes mapping the same file wait and wake on the
 * same key whatever address they map it at. One spinlock stands for the hash bucket locks: the value
 * check and the enqueue happen under it, so a wake cannot slip between them. FUTEX_WAIT's timeout
 * (a relative timespec) sleeps on the machine's timers and ends with -ETIMEDOUT. */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/slab.h>
#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/uaccess.h>
#include <linux/mm.h>
#include <linux/fs.h>
#include <linux/wait.h>
#include <linux/jiffies.h>

#define FUTEX_WAIT		0
#define FUTEX_WAKE		1
#define FUTEX_PRIVATE_FLAG	128
#define FUTEX_CLOCK_REALTIME	256
#define FUTEX_CMD_MASK		(~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME))

/* (mm, address) for a private futex; (address_space, offset) for a shared one. */
struct futex_key {
	void *ptr;
	unsigned long word;
};

struct futex_q {
	struct list_head list;
	struct task_struct *task;	/* NULL once woken */
	struct futex_key key;
};

static LIST_HEAD(futex_queue);
static DEFINE_SPINLOCK(futex_lock);

/* The mmap lock of the era (mmap_sem before 5.8). */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 8, 0)
#include <linux/mmap_lock.h>
#define futex_mmap_read_lock(mm) mmap_read_lock(mm)
#define futex_mmap_read_unlock(mm) mmap_read_unlock(mm)
#else
#define futex_mmap_read_lock(mm) down_read(&(mm)->mmap_sem)
#define futex_mmap_read_unlock(mm) up_read(&(mm)->mmap_sem)
#endif

/* The key of `uaddr` in current's address space. */
static int get_futex_key(unsigned long uaddr, int fshared, struct futex_key *key)
{
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *vma;

	if (uaddr & 3)
		return -EINVAL;
	key->ptr = mm;
	key->word = uaddr;
	if (!fshared || !mm)
		return 0;
	futex_mmap_read_lock(mm);
	vma = find_vma(mm, uaddr);
	if (!vma || vma->vm_start > uaddr) {
		futex_mmap_read_unlock(mm);
		return -EFAULT;
	}
	if ((vma->vm_flags & VM_SHARED) && vma->vm_file) {
		key->ptr = vma->vm_file->f_mapping;
		key->word = (uaddr - vma->vm_start) + (vma->vm_pgoff << PAGE_SHIFT);
	}
	futex_mmap_read_unlock(mm);
	return 0;
}

static int match_futex(const struct futex_key *a, const struct futex_key *b)
{
	return a->ptr == b->ptr && a->word == b->word;
}

/* Sleeps until woken, a signal, or `timeout` jiffies (MAX_SCHEDULE_TIMEOUT: none). */
static int futex_wait(u32 __user *uaddr, int fshared, u32 val, long timeout)
{
	struct futex_q q;
	u32 uval;
	int ret;

	ret = get_futex_key((unsigned long)uaddr, fshared, &q.key);
	if (ret)
		return ret;
	q.task = current;
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
	while (q.task && !signal_pending(current) && timeout) {
		timeout = schedule_timeout(timeout);
		set_current_state(TASK_INTERRUPTIBLE);
	}
	__set_current_state(TASK_RUNNING);
	spin_lock(&futex_lock);
	if (q.task) {
		list_del(&q.list);
		spin_unlock(&futex_lock);
		return timeout ? -EINTR : -ETIMEDOUT;
	}
	spin_unlock(&futex_lock);
	return 0;
}

static int futex_wake(u32 __user *uaddr, int fshared, int nr_wake)
{
	struct futex_key key;
	struct futex_q *q;
	struct futex_q *n;
	int woken = 0;
	int ret = get_futex_key((unsigned long)uaddr, fshared, &key);

	if (ret)
		return ret;
	spin_lock(&futex_lock);
	list_for_each_entry_safe(q, n, &futex_queue, list) {
		struct task_struct *t;

		if (woken >= nr_wake)
			break;
		if (!match_futex(&q->key, &key))
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

/* Wakes one waiter of a private futex (exit's clear_child_tid: pthread_join). */
int futex_wake_private(u32 __user *uaddr, int nr_wake)
{
	return futex_wake(uaddr, 0, nr_wake);
}

struct futex_timespec {
	long tv_sec;
	long tv_nsec;
};

long sys_futex(u32 __user *uaddr, int op, u32 val, unsigned long utime, u32 __user *uaddr2, u32 val3)
{
	int fshared = !(op & FUTEX_PRIVATE_FLAG);
	long timeout = MAX_SCHEDULE_TIMEOUT;

	(void)uaddr2;
	(void)val3;
	switch (op & FUTEX_CMD_MASK) {
	case FUTEX_WAIT:
		if (utime) {
			struct futex_timespec ts;

			if (copy_from_user(&ts, (void __user *)utime, sizeof(ts)))
				return -EFAULT;
			if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000L)
				return -EINVAL;
			timeout = ts.tv_sec * HZ + (ts.tv_nsec + NSEC_PER_JIFFY - 1) / NSEC_PER_JIFFY;
		}
		return futex_wait(uaddr, fshared, val, timeout);
	case FUTEX_WAKE:
		return futex_wake(uaddr, fshared, (int)val);
	default:
		return -ENOSYS;
	}
}
