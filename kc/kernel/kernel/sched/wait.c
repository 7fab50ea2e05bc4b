/* kernel/sched/wait.c: wait queues and schedule_timeout (Linux 6.8 shapes).
 *
 * Invariant: a sleeper is on the queue with its state set before it re-checks its condition, and
 * wakers take the queue lock, so a wake-up can never fall between the check and schedule(). */
#include <linux/wait.h>
#include <linux/jiffies.h>

void __init_waitqueue_head(struct wait_queue_head *wq_head, const char *name)
{
	(void)name;
	spin_lock_init(&wq_head->lock);
	INIT_LIST_HEAD(&wq_head->head);
}

/* try_to_wake_up(p, mode): wakes p only when it sleeps in one of the states of `mode`. */
int default_wake_function(struct wait_queue_entry *wq_entry, unsigned int mode, int flags, void *key)
{
	struct task_struct *p = wq_entry->private;

	(void)flags;
	(void)key;
	if (!(p->__state & mode))
		return 0;
	return wake_up_process(p);
}

int autoremove_wake_function(struct wait_queue_entry *wq_entry, unsigned int mode, int flags, void *key)
{
	int ret = default_wake_function(wq_entry, mode, flags, key);

	if (ret)
		list_del_init(&wq_entry->entry);
	return ret;
}

void add_wait_queue(struct wait_queue_head *wq_head, struct wait_queue_entry *wq_entry)
{
	spin_lock(&wq_head->lock);
	wq_entry->flags &= ~WQ_FLAG_EXCLUSIVE;
	list_add(&wq_entry->entry, &wq_head->head);
	spin_unlock(&wq_head->lock);
}

void add_wait_queue_exclusive(struct wait_queue_head *wq_head, struct wait_queue_entry *wq_entry)
{
	spin_lock(&wq_head->lock);
	wq_entry->flags |= WQ_FLAG_EXCLUSIVE;
	list_add_tail(&wq_entry->entry, &wq_head->head);
	spin_unlock(&wq_head->lock);
}

void remove_wait_queue(struct wait_queue_head *wq_head, struct wait_queue_entry *wq_entry)
{
	spin_lock(&wq_head->lock);
	list_del(&wq_entry->entry);
	spin_unlock(&wq_head->lock);
}

static void queue_entry(struct wait_queue_head *wq_head, struct wait_queue_entry *wq_entry)
{
	if (!list_empty(&wq_entry->entry))
		return;
	if (wq_entry->flags & WQ_FLAG_EXCLUSIVE)
		list_add_tail(&wq_entry->entry, &wq_head->head);
	else
		list_add(&wq_entry->entry, &wq_head->head);
}

void prepare_to_wait(struct wait_queue_head *wq_head, struct wait_queue_entry *wq_entry, int state)
{
	spin_lock(&wq_head->lock);
	wq_entry->flags &= ~WQ_FLAG_EXCLUSIVE;
	queue_entry(wq_head, wq_entry);
	set_current_state(state);
	spin_unlock(&wq_head->lock);
}

void prepare_to_wait_exclusive(struct wait_queue_head *wq_head, struct wait_queue_entry *wq_entry, int state)
{
	spin_lock(&wq_head->lock);
	wq_entry->flags |= WQ_FLAG_EXCLUSIVE;
	queue_entry(wq_head, wq_entry);
	set_current_state(state);
	spin_unlock(&wq_head->lock);
}

long prepare_to_wait_event(struct wait_queue_head *wq_head, struct wait_queue_entry *wq_entry, int state)
{
	long ret = 0;

	spin_lock(&wq_head->lock);
	if ((state == TASK_INTERRUPTIBLE && signal_pending(current)) ||
	    (state == TASK_KILLABLE && fatal_signal_pending(current))) {
		/* Leave the queue now: a wake-up meant for us must go to the next waiter. */
		list_del_init(&wq_entry->entry);
		ret = -ERESTARTSYS;
	} else {
		queue_entry(wq_head, wq_entry);
		set_current_state(state);
	}
	spin_unlock(&wq_head->lock);
	return ret;
}

void finish_wait(struct wait_queue_head *wq_head, struct wait_queue_entry *wq_entry)
{
	__set_current_state(TASK_RUNNING);
	if (!list_empty(&wq_entry->entry)) {
		spin_lock(&wq_head->lock);
		list_del_init(&wq_entry->entry);
		spin_unlock(&wq_head->lock);
	}
}

void __wake_up(struct wait_queue_head *wq_head, unsigned int mode, int nr_exclusive, void *key)
{
	struct wait_queue_entry *curr, *next;

	spin_lock(&wq_head->lock);
	list_for_each_entry_safe(curr, next, &wq_head->head, entry) {
		unsigned int flags = curr->flags;
		int ret = curr->func(curr, mode, 0, key);

		if (ret < 0)
			break;
		if (ret && (flags & WQ_FLAG_EXCLUSIVE) && !--nr_exclusive)
			break;
	}
	spin_unlock(&wq_head->lock);
}

/* The machine arms a one-shot timer that wakes the task at `expires` (in jiffies); 0 cancels. */
void __kc_timer_wake_at(struct task_struct *p, unsigned long expires);

long schedule_timeout(long timeout)
{
	unsigned long expire;

	if (timeout == MAX_SCHEDULE_TIMEOUT) {
		schedule();
		return timeout;
	}
	if (timeout < 0) {
		__set_current_state(TASK_RUNNING);
		return 0;
	}
	expire = jiffies + timeout;
	__kc_timer_wake_at(current, expire);
	schedule();
	__kc_timer_wake_at(current, 0);
	timeout = (long)(expire - jiffies);
	return timeout < 0 ? 0 : timeout;
}

long schedule_timeout_interruptible(long timeout)
{
	__set_current_state(TASK_INTERRUPTIBLE);
	return schedule_timeout(timeout);
}

long schedule_timeout_uninterruptible(long timeout)
{
	__set_current_state(TASK_UNINTERRUPTIBLE);
	return schedule_timeout(timeout);
}

void msleep(unsigned int msecs)
{
	long timeout = msecs_to_jiffies(msecs) + 1;

	while (timeout)
		timeout = schedule_timeout_uninterruptible(timeout);
}

unsigned long msleep_interruptible(unsigned int msecs)
{
	long timeout = msecs_to_jiffies(msecs) + 1;

	while (timeout && !signal_pending(current))
		timeout = schedule_timeout_interruptible(timeout);
	return jiffies_to_msecs(timeout);
}
