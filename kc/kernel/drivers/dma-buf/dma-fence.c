/* drivers/dma-buf/dma-fence.c: fences, the completion events of device jobs (Linux 6.8).
 *
 * See <linux/dma-fence.h>. Invariants:
 * - DMA_FENCE_FLAG_SIGNALED_BIT goes from 0 to 1 once, under fence->lock (test_and_set_bit is one
 *   statement); the callback list is spliced off at that moment, so a callback runs exactly once
 *   and a callback added later is refused (-ENOENT) rather than lost.
 * - A waiter queues a callback that wakes it, then sleeps while the bit is clear; the bit is
 *   re-tested under the lock after every wake-up, so a signal between the test and the sleep is
 *   never missed (schedule_timeout returns at once for a task the callback already woke).
 * - enable_signaling runs at most once (DMA_FENCE_FLAG_ENABLE_SIGNAL_BIT) with the lock held. */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/slab.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/wait.h>
#include <linux/jiffies.h>
#include <linux/module.h>
#include <linux/dma-fence.h>

static DEFINE_SPINLOCK(dma_fence_stub_lock);
static struct dma_fence dma_fence_stub;
static bool dma_fence_stub_ready;

/* The next unused timeline context (0 is never handed out). */
static u64 dma_fence_context_counter = 1;

static const char *dma_fence_stub_get_name(struct dma_fence *fence)
{
	(void)fence;
	return "stub";
}

static const struct dma_fence_ops dma_fence_stub_ops = {
	.get_driver_name = dma_fence_stub_get_name,
	.get_timeline_name = dma_fence_stub_get_name,
};

/* A signalled fence, for callers that need "no dependency" as a fence. */
struct dma_fence *dma_fence_get_stub(void)
{
	spin_lock(&dma_fence_stub_lock);
	if (!dma_fence_stub_ready) {
		dma_fence_init(&dma_fence_stub, &dma_fence_stub_ops, &dma_fence_stub_lock, 0, 0);
		/* The stub is never freed: one reference that nobody drops. */
		set_bit(DMA_FENCE_FLAG_ENABLE_SIGNAL_BIT, &dma_fence_stub.flags);
		dma_fence_signal_locked(&dma_fence_stub);
		dma_fence_stub_ready = true;
	}
	spin_unlock(&dma_fence_stub_lock);
	return dma_fence_get(&dma_fence_stub);
}

/* `num` consecutive new timeline contexts; the first is returned. */
u64 dma_fence_context_alloc(unsigned num)
{
	u64 first;

	WARN_ON(!num);
	spin_lock(&dma_fence_stub_lock);
	first = dma_fence_context_counter;
	dma_fence_context_counter += num;
	spin_unlock(&dma_fence_stub_lock);
	return first;
}

/* Signals with `timestamp`, fence->lock held: runs and forgets every callback. -EINVAL when it
 * was already signalled. */
int dma_fence_signal_timestamp_locked(struct dma_fence *fence, ktime_t timestamp)
{
	struct dma_fence_cb *cur, *tmp;
	struct list_head cb_list;

	lockdep_assert_held(fence->lock);

	if (unlikely(test_and_set_bit(DMA_FENCE_FLAG_SIGNALED_BIT, &fence->flags)))
		return -EINVAL;

	/* The callback list and the timestamp share their storage: take the list out first. */
	list_replace(&fence->cb_list, &cb_list);
	fence->timestamp = timestamp;
	set_bit(DMA_FENCE_FLAG_TIMESTAMP_BIT, &fence->flags);

	list_for_each_entry_safe(cur, tmp, &cb_list, node) {
		INIT_LIST_HEAD(&cur->node);
		cur->func(fence, cur);
	}
	return 0;
}

int dma_fence_signal_timestamp(struct dma_fence *fence, ktime_t timestamp)
{
	unsigned long flags;
	int ret;

	if (!fence)
		return -EINVAL;
	spin_lock_irqsave(fence->lock, flags);
	ret = dma_fence_signal_timestamp_locked(fence, timestamp);
	spin_unlock_irqrestore(fence->lock, flags);
	return ret;
}

int dma_fence_signal_locked(struct dma_fence *fence)
{
	return dma_fence_signal_timestamp_locked(fence, dma_fence_ktime_get());
}

/* Marks the fence done and runs its callbacks (they wake the waiters). 0, or -EINVAL when it
 * was already signalled (or is NULL). Callable from an IRQ handler. */
int dma_fence_signal(struct dma_fence *fence)
{
	unsigned long flags;
	int ret;

	if (!fence)
		return -EINVAL;
	spin_lock_irqsave(fence->lock, flags);
	ret = dma_fence_signal_timestamp_locked(fence, dma_fence_ktime_get());
	spin_unlock_irqrestore(fence->lock, flags);
	return ret;
}

/* Sleeps until the fence signals (see dma_fence_default_wait), through ops->wait if it has one. */
signed long dma_fence_wait_timeout(struct dma_fence *fence, bool intr, signed long timeout)
{
	signed long ret;

	if (WARN_ON(timeout < 0))
		return -EINVAL;
	might_sleep();
	dma_fence_enable_sw_signaling(fence);
	if (fence->ops->wait)
		ret = fence->ops->wait(fence, intr, timeout);
	else
		ret = dma_fence_default_wait(fence, intr, timeout);
	return ret;
}

/* The last reference went away: the exporter's release, or kfree. */
void dma_fence_release(struct kref *kref)
{
	struct dma_fence *fence = container_of(kref, struct dma_fence, refcount);

	/* A fence freed with waiters still queued would leave them dangling: Linux warns and signals
	 * it with -EDEADLK so that they wake up. */
	if (WARN(!test_bit(DMA_FENCE_FLAG_SIGNALED_BIT, &fence->flags) && !list_empty(&fence->cb_list),
		 "Fence %llu:%llu released with pending signals!\n", fence->context, fence->seqno)) {
		unsigned long flags;

		spin_lock_irqsave(fence->lock, flags);
		fence->error = -EDEADLK;
		dma_fence_signal_locked(fence);
		spin_unlock_irqrestore(fence->lock, flags);
	}
	if (fence->ops->release)
		fence->ops->release(fence);
	else
		dma_fence_free(fence);
}

void dma_fence_free(struct dma_fence *fence)
{
	kfree(fence);
}

/* Calls enable_signaling once, with the lock held; signals the fence when it reports done. */
static bool __dma_fence_enable_signaling(struct dma_fence *fence)
{
	bool was_set;

	lockdep_assert_held(fence->lock);
	was_set = test_and_set_bit(DMA_FENCE_FLAG_ENABLE_SIGNAL_BIT, &fence->flags);
	if (test_bit(DMA_FENCE_FLAG_SIGNALED_BIT, &fence->flags))
		return false;
	if (!was_set && fence->ops->enable_signaling) {
		if (!fence->ops->enable_signaling(fence)) {
			dma_fence_signal_locked(fence);
			return false;
		}
	}
	return true;
}

void dma_fence_enable_sw_signaling(struct dma_fence *fence)
{
	unsigned long flags;

	spin_lock_irqsave(fence->lock, flags);
	__dma_fence_enable_signaling(fence);
	spin_unlock_irqrestore(fence->lock, flags);
}

int dma_fence_add_callback(struct dma_fence *fence, struct dma_fence_cb *cb, dma_fence_func_t func)
{
	unsigned long flags;
	int ret = 0;

	if (WARN_ON(!fence || !func))
		return -EINVAL;
	if (test_bit(DMA_FENCE_FLAG_SIGNALED_BIT, &fence->flags)) {
		INIT_LIST_HEAD(&cb->node);
		return -ENOENT;
	}
	spin_lock_irqsave(fence->lock, flags);
	if (__dma_fence_enable_signaling(fence)) {
		cb->func = func;
		list_add_tail(&cb->node, &fence->cb_list);
	} else {
		INIT_LIST_HEAD(&cb->node);
		ret = -ENOENT;
	}
	spin_unlock_irqrestore(fence->lock, flags);
	return ret;
}

int dma_fence_get_status(struct dma_fence *fence)
{
	unsigned long flags;
	int status;

	spin_lock_irqsave(fence->lock, flags);
	status = dma_fence_get_status_locked(fence);
	spin_unlock_irqrestore(fence->lock, flags);
	return status;
}

bool dma_fence_remove_callback(struct dma_fence *fence, struct dma_fence_cb *cb)
{
	unsigned long flags;
	bool ret;

	spin_lock_irqsave(fence->lock, flags);
	ret = !list_empty(&cb->node);
	if (ret)
		list_del_init(&cb->node);
	spin_unlock_irqrestore(fence->lock, flags);
	return ret;
}

struct default_wait_cb {
	struct dma_fence_cb base;
	struct task_struct *task;
};

static void dma_fence_default_wait_cb(struct dma_fence *fence, struct dma_fence_cb *cb)
{
	struct default_wait_cb *wait = container_of(cb, struct default_wait_cb, base);

	(void)fence;
	wake_up_process(wait->task);
}

/* Sleeps until signalled or `timeout` jiffies passed: the remaining jiffies (1 when the fence was
 * already signalled with a zero timeout), 0 on timeout, -ERESTARTSYS when `intr` and a signal
 * arrived. */
signed long dma_fence_default_wait(struct dma_fence *fence, bool intr, signed long timeout)
{
	struct default_wait_cb cb;
	unsigned long flags;
	signed long ret = timeout ? timeout : 1;

	spin_lock_irqsave(fence->lock, flags);
	if (test_bit(DMA_FENCE_FLAG_SIGNALED_BIT, &fence->flags))
		goto out;
	if (intr && signal_pending(current)) {
		ret = -ERESTARTSYS;
		goto out;
	}
	if (!timeout) {
		ret = 0;
		goto out;
	}

	cb.base.func = dma_fence_default_wait_cb;
	cb.task = current;
	list_add(&cb.base.node, &fence->cb_list);

	while (!test_bit(DMA_FENCE_FLAG_SIGNALED_BIT, &fence->flags) && ret > 0) {
		/* The state is set before the lock drops: a signal from here on wakes us. */
		if (intr)
			__set_current_state(TASK_INTERRUPTIBLE);
		else
			__set_current_state(TASK_UNINTERRUPTIBLE);
		spin_unlock_irqrestore(fence->lock, flags);

		ret = schedule_timeout(ret);

		spin_lock_irqsave(fence->lock, flags);
		if (ret > 0 && intr && signal_pending(current))
			ret = -ERESTARTSYS;
	}
	if (!list_empty(&cb.base.node))
		list_del(&cb.base.node);
	__set_current_state(TASK_RUNNING);
out:
	spin_unlock_irqrestore(fence->lock, flags);
	return ret;
}

static bool dma_fence_test_signaled_any(struct dma_fence **fences, u32 count, u32 *idx)
{
	u32 i;

	for (i = 0; i < count; ++i) {
		if (test_bit(DMA_FENCE_FLAG_SIGNALED_BIT, &fences[i]->flags)) {
			if (idx)
				*idx = i;
			return true;
		}
	}
	return false;
}

/* Sleeps until one of `fences` signals: as dma_fence_default_wait, *idx naming the one. */
signed long dma_fence_wait_any_timeout(struct dma_fence **fences, u32 count, bool intr, signed long timeout, u32 *idx)
{
	struct default_wait_cb *cb;
	signed long ret = timeout;
	unsigned i;

	if (WARN_ON(!fences || !count || timeout < 0))
		return -EINVAL;
	if (timeout == 0) {
		for (i = 0; i < count; ++i)
			if (dma_fence_is_signaled(fences[i])) {
				if (idx)
					*idx = i;
				return 1;
			}
		return 0;
	}
	cb = kcalloc(count, sizeof(struct default_wait_cb), GFP_KERNEL);
	if (cb == NULL)
		return -ENOMEM;
	for (i = 0; i < count; ++i) {
		struct dma_fence *fence = fences[i];

		cb[i].task = current;
		if (dma_fence_add_callback(fence, &cb[i].base, dma_fence_default_wait_cb)) {
			/* This fence is already signalled. */
			if (idx)
				*idx = i;
			goto fence_rm_cb;
		}
	}
	while (ret > 0) {
		if (intr)
			set_current_state(TASK_INTERRUPTIBLE);
		else
			set_current_state(TASK_UNINTERRUPTIBLE);
		if (dma_fence_test_signaled_any(fences, count, idx))
			break;
		ret = schedule_timeout(ret);
		if (ret > 0 && intr && signal_pending(current))
			ret = -ERESTARTSYS;
	}
	__set_current_state(TASK_RUNNING);
fence_rm_cb:
	while (i-- > 0)
		dma_fence_remove_callback(fences[i], &cb[i].base);
	kfree(cb);
	return ret;
}

/* Sets up a fence with one reference, on timeline `context` at `seqno`, signalled under `lock`. */
void dma_fence_init(struct dma_fence *fence, const struct dma_fence_ops *ops, spinlock_t *lock, u64 context, u64 seqno)
{
	BUG_ON(!lock);
	BUG_ON(!ops || !ops->get_driver_name || !ops->get_timeline_name);

	kref_init(&fence->refcount);
	fence->ops = ops;
	INIT_LIST_HEAD(&fence->cb_list);
	fence->lock = lock;
	fence->context = context;
	fence->seqno = seqno;
	fence->flags = 0UL;
	fence->error = 0;
}
