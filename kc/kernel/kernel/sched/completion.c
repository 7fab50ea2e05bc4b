/* kernel/sched/completion.c: completions on wait queues (Linux 6.8 semantics: complete() wakes
 * one waiter and adds one "done"; complete_all() saturates "done" so every waiter passes). */
#include <linux/completion.h>
#include <linux/jiffies.h>

void complete(struct completion *x)
{
	spin_lock(&x->wait.lock);
	if (x->done != UINT_MAX_DONE)
		x->done++;
	spin_unlock(&x->wait.lock);
	wake_up(&x->wait);
}

void complete_all(struct completion *x)
{
	spin_lock(&x->wait.lock);
	x->done = UINT_MAX_DONE;
	spin_unlock(&x->wait.lock);
	wake_up_all(&x->wait);
}

/* Takes one "done" if there is one (under the queue lock). */
static int take_done(struct completion *x)
{
	int taken = 0;

	spin_lock(&x->wait.lock);
	if (x->done) {
		if (x->done != UINT_MAX_DONE)
			x->done--;
		taken = 1;
	}
	spin_unlock(&x->wait.lock);
	return taken;
}

void wait_for_completion(struct completion *x)
{
	wait_event(x->wait, take_done(x));
}

int wait_for_completion_interruptible(struct completion *x)
{
	long ret = wait_event_interruptible(x->wait, take_done(x));

	return ret ? -ERESTARTSYS : 0;
}

int wait_for_completion_killable(struct completion *x)
{
	long ret = wait_event_killable(x->wait, take_done(x));

	return ret ? -ERESTARTSYS : 0;
}

unsigned long wait_for_completion_timeout(struct completion *x, unsigned long timeout)
{
	return (unsigned long)wait_event_timeout(x->wait, take_done(x), (long)timeout);
}

int try_wait_for_completion(struct completion *x)
{
	return take_done(x);
}

int completion_done(struct completion *x)
{
	int done;

	spin_lock(&x->wait.lock);
	done = x->done != 0;
	spin_unlock(&x->wait.lock);
	return done;
}
