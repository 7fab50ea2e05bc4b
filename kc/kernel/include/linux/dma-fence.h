/* <linux/dma-fence.h>: cross-device synchronisation points (drivers/dma-buf/dma-fence.c), Linux 6.8 API.
 *
 * A fence is a one-shot event on a timeline (context, seqno): a device job that will complete.
 * dma_fence_signal marks it done (once: later signals return -EINVAL), runs the callbacks queued by
 * dma_fence_add_callback and wakes waiters (dma_fence_wait_timeout sleeps through a callback that
 * wakes the task). Signalling happens under fence->lock, which the creator provides (often one lock
 * per timeline), so callbacks run with it held and must not sleep. References are a kref:
 * dma_fence_put of the last one calls ops->release (or frees it).
 *
 * Faultline: no RCU (a fence is freed at the last put); timestamps are the machine's clock in
 * nanoseconds (one statement, one nanosecond). The era gate is the caller's: the dma-buf of 2.6
 * profiles (the 2012 RFC) has no fences, but drivers of every profile may use them. */
#ifndef __LINUX_DMA_FENCE_H
#define __LINUX_DMA_FENCE_H

#include <linux/types.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/list.h>
#include <linux/kref.h>
#include <linux/bug.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/sched.h>
#include <linux/jiffies.h>
#include <asm/bitops.h>

#ifndef __KC_KTIME_T
#define __KC_KTIME_T
/* <linux/ktime.h>: nanoseconds. */
typedef s64 ktime_t;
#endif

/* The machine's clock in nanoseconds (jiffy resolution). */
static inline ktime_t dma_fence_ktime_get(void)
{
	return (ktime_t)jiffies * (ktime_t)NSEC_PER_JIFFY;
}

struct dma_fence;
struct dma_fence_ops;
struct dma_fence_cb;

struct dma_fence {
	spinlock_t *lock;		/* serialises signalling and the callback list */
	const struct dma_fence_ops *ops;
	union {
		struct list_head cb_list;	/* until signalled */
		ktime_t timestamp;		/* replaces cb_list when signalled */
	};
	u64 context;			/* the timeline (dma_fence_context_alloc) */
	u64 seqno;			/* position on the timeline */
	unsigned long flags;		/* DMA_FENCE_FLAG_*_BIT */
	struct kref refcount;
	int error;			/* set before signalling when the job failed */
};

enum dma_fence_flag_bits {
	DMA_FENCE_FLAG_SIGNALED_BIT,
	DMA_FENCE_FLAG_TIMESTAMP_BIT,
	DMA_FENCE_FLAG_ENABLE_SIGNAL_BIT,
	DMA_FENCE_FLAG_USER_BITS,	/* must always be last member */
};

typedef void (*dma_fence_func_t)(struct dma_fence *fence, struct dma_fence_cb *cb);

struct dma_fence_cb {
	struct list_head node;
	dma_fence_func_t func;
};

struct dma_fence_ops {
	bool use_64bit_seqno;
	const char *(*get_driver_name)(struct dma_fence *fence);
	const char *(*get_timeline_name)(struct dma_fence *fence);
	/* Called once (with fence->lock held) when someone first waits or adds a callback. false:
	 * the fence is already signalled. */
	bool (*enable_signaling)(struct dma_fence *fence);
	/* Optional peek at the hardware: true when done. */
	bool (*signaled)(struct dma_fence *fence);
	/* Optional custom wait (deprecated in Linux); NULL means dma_fence_default_wait. */
	signed long (*wait)(struct dma_fence *fence, bool intr, signed long timeout);
	/* Optional: frees the fence at the last put (default: kfree). */
	void (*release)(struct dma_fence *fence);
	void (*fence_value_str)(struct dma_fence *fence, char *str, int size);
	void (*timeline_value_str)(struct dma_fence *fence, char *str, int size);
	void (*set_deadline)(struct dma_fence *fence, ktime_t deadline);
};

void dma_fence_init(struct dma_fence *fence, const struct dma_fence_ops *ops, spinlock_t *lock, u64 context, u64 seqno);
void dma_fence_release(struct kref *kref);
void dma_fence_free(struct dma_fence *fence);

static inline void dma_fence_put(struct dma_fence *fence)
{
	if (fence)
		kref_put(&fence->refcount, dma_fence_release);
}

static inline struct dma_fence *dma_fence_get(struct dma_fence *fence)
{
	if (fence)
		kref_get(&fence->refcount);
	return fence;
}

/* Without RCU the object is alive as long as the caller's pointer is: a plain get. */
static inline struct dma_fence *dma_fence_get_rcu(struct dma_fence *fence)
{
	if (atomic_inc_not_zero(&fence->refcount.refcount))
		return fence;
	return NULL;
}

static inline bool dma_fence_begin_signalling(void)
{
	return true;
}

static inline void dma_fence_end_signalling(bool cookie)
{
	(void)cookie;
}

int dma_fence_signal(struct dma_fence *fence);
int dma_fence_signal_locked(struct dma_fence *fence);
int dma_fence_signal_timestamp(struct dma_fence *fence, ktime_t timestamp);
int dma_fence_signal_timestamp_locked(struct dma_fence *fence, ktime_t timestamp);
signed long dma_fence_default_wait(struct dma_fence *fence, bool intr, signed long timeout);
/* 0 with `cb` queued; -ENOENT when already signalled (cb not queued); -EINVAL without func. */
int dma_fence_add_callback(struct dma_fence *fence, struct dma_fence_cb *cb, dma_fence_func_t func);
/* true when `cb` was still queued (and now is not). */
bool dma_fence_remove_callback(struct dma_fence *fence, struct dma_fence_cb *cb);
void dma_fence_enable_sw_signaling(struct dma_fence *fence);

static inline bool dma_fence_is_signaled_locked(struct dma_fence *fence)
{
	if (test_bit(DMA_FENCE_FLAG_SIGNALED_BIT, &fence->flags))
		return true;
	if (fence->ops->signaled && fence->ops->signaled(fence)) {
		dma_fence_signal_locked(fence);
		return true;
	}
	return false;
}

static inline bool dma_fence_is_signaled(struct dma_fence *fence)
{
	if (test_bit(DMA_FENCE_FLAG_SIGNALED_BIT, &fence->flags))
		return true;
	if (fence->ops->signaled && fence->ops->signaled(fence)) {
		dma_fence_signal(fence);
		return true;
	}
	return false;
}

static inline bool __dma_fence_is_later(u64 f1, u64 f2, const struct dma_fence_ops *ops)
{
	/* 32-bit seqnos wrap: compare the difference of the low words. */
	if (ops->use_64bit_seqno)
		return f1 > f2;
	return (int)((u32)f1 - (u32)f2) > 0;
}

static inline bool dma_fence_is_later(struct dma_fence *f1, struct dma_fence *f2)
{
	if (WARN_ON(f1->context != f2->context))
		return false;
	return __dma_fence_is_later(f1->seqno, f2->seqno, f1->ops);
}

static inline bool dma_fence_is_later_or_same(struct dma_fence *f1, struct dma_fence *f2)
{
	return f1 == f2 || dma_fence_is_later(f1, f2);
}

static inline int dma_fence_get_status_locked(struct dma_fence *fence)
{
	if (dma_fence_is_signaled_locked(fence))
		return fence->error ? fence->error : 1;
	return 0;
}

/* 0 pending, 1 signalled, or the negative error it was signalled with. */
int dma_fence_get_status(struct dma_fence *fence);

static inline void dma_fence_set_error(struct dma_fence *fence, int error)
{
	WARN_ON(test_bit(DMA_FENCE_FLAG_SIGNALED_BIT, &fence->flags));
	WARN_ON(error >= 0 || error < -MAX_ERRNO);
	fence->error = error;
}

/* Sleeps until signalled: the remaining timeout (jiffies, at least 1), 0 on timeout, or
 * -ERESTARTSYS when `intr` and a signal arrived. */
signed long dma_fence_wait_timeout(struct dma_fence *fence, bool intr, signed long timeout);
signed long dma_fence_wait_any_timeout(struct dma_fence **fences, u32 count, bool intr, signed long timeout,
				       u32 *idx);

/* 0 once signalled, or -ERESTARTSYS. */
static inline signed long dma_fence_wait(struct dma_fence *fence, bool intr)
{
	signed long ret = dma_fence_wait_timeout(fence, intr, MAX_SCHEDULE_TIMEOUT);

	return ret < 0 ? ret : 0;
}

/* A new range of `num` timeline contexts. */
u64 dma_fence_context_alloc(unsigned num);
/* A signalled fence (a reference). */
struct dma_fence *dma_fence_get_stub(void);

#endif /* __LINUX_DMA_FENCE_H */
