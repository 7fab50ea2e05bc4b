/* <linux/dma-resv.h>: reservation objects (drivers/dma-buf/dma-resv.c), Linux 6.8 API.
 *
 * A dma_resv guards a buffer shared between devices: a ww_mutex of reservation_ww_class (wait-die)
 * that memory managers hold while they move or map the buffer, and the fences of the jobs that use
 * it, each with a usage: KERNEL (memory management moves/clears) < WRITE (implicit writes) < READ
 * (implicit reads) < BOOKKEEP (no implicit sync). Asking for usage U returns every fence of usage
 * <= U: a CPU read waits for WRITE (and KERNEL) fences, a CPU write for READ ones too
 * (dma_resv_usage_rw). Fences are added under the lock, after reserving slots
 * (dma_resv_reserve_fences, which may fail: adding may not); a fence of a context already in the
 * object replaces the older one of that context.
 *
 * Lock order (6.8 dma_resv_lockdep): mmap_lock -> dma_resv -> i_mmap_rwsem -> page-table lock.
 * The lock calls are macros, so that lock reports name the caller's line. Faultline: no RCU; the
 * unlocked iterators and readers hold a reference on the fence they return and take fences_lock
 * (below) to step, restarting when the list was replaced meanwhile (what the seqcount does). */
#ifndef _LINUX_RESERVATION_H
#define _LINUX_RESERVATION_H

#include <linux/types.h>
#include <linux/ww_mutex.h>
#include <linux/dma-fence.h>
#include <linux/slab.h>
#include <linux/lockdep.h>

extern struct ww_class reservation_ww_class;

struct dma_resv_list;

enum dma_resv_usage {
	DMA_RESV_USAGE_KERNEL,
	DMA_RESV_USAGE_WRITE,
	DMA_RESV_USAGE_READ,
	DMA_RESV_USAGE_BOOKKEEP
};

/* A new write waits for existing reads and writes; a new read only for writes. */
static inline enum dma_resv_usage dma_resv_usage_rw(bool write)
{
	return write ? DMA_RESV_USAGE_READ : DMA_RESV_USAGE_WRITE;
}

struct dma_resv {
	struct ww_mutex lock;
	struct dma_resv_list *fences;
	/* Faultline: Linux lets readers walk `fences` under RCU; without RCU this spinlock guards the
	 * list pointer and its entries for the unlocked readers (writers hold both). */
	spinlock_t fences_lock;
};

struct dma_resv_iter {
	struct dma_resv *obj;
	enum dma_resv_usage usage;
	struct dma_fence *fence;		/* the current fence (a reference in the unlocked walk) */
	enum dma_resv_usage fence_usage;
	unsigned int index;
	struct dma_resv_list *fences;
	unsigned int num_fences;
	bool is_restarted;
};

struct dma_fence *dma_resv_iter_first_unlocked(struct dma_resv_iter *cursor);
struct dma_fence *dma_resv_iter_next_unlocked(struct dma_resv_iter *cursor);
struct dma_fence *dma_resv_iter_first(struct dma_resv_iter *cursor);
struct dma_fence *dma_resv_iter_next(struct dma_resv_iter *cursor);

static inline void dma_resv_iter_begin(struct dma_resv_iter *cursor, struct dma_resv *obj, enum dma_resv_usage usage)
{
	cursor->obj = obj;
	cursor->usage = usage;
	cursor->fence = NULL;
}

static inline void dma_resv_iter_end(struct dma_resv_iter *cursor)
{
	dma_fence_put(cursor->fence);
}

static inline enum dma_resv_usage dma_resv_iter_usage(struct dma_resv_iter *cursor)
{
	return cursor->fence_usage;
}

static inline bool dma_resv_iter_is_restarted(struct dma_resv_iter *cursor)
{
	return cursor->is_restarted;
}

#define dma_resv_for_each_fence_unlocked(cursor, fence) \
	for (fence = dma_resv_iter_first_unlocked(cursor); fence; fence = dma_resv_iter_next_unlocked(cursor))

#define dma_resv_for_each_fence(cursor, obj, usage, fence) \
	for (dma_resv_iter_begin(cursor, obj, usage), fence = dma_resv_iter_first(cursor); fence; \
	     fence = dma_resv_iter_next(cursor))

#define dma_resv_held(obj) lockdep_is_held(&(obj)->lock.base)
#define dma_resv_assert_held(obj) lockdep_assert_held(&(obj)->lock.base)

/* 0 (locked), -EALREADY (ctx holds it) or -EDEADLK (back off, then dma_resv_lock_slow). */
#define dma_resv_lock(obj, ctx) ww_mutex_lock(&(obj)->lock, (ctx))
/* dma_resv_lock, or -EINTR when a signal ends the wait. */
#define dma_resv_lock_interruptible(obj, ctx) ww_mutex_lock_interruptible(&(obj)->lock, (ctx))
#define dma_resv_lock_slow(obj, ctx) ww_mutex_lock_slow(&(obj)->lock, (ctx))
#define dma_resv_lock_slow_interruptible(obj, ctx) ww_mutex_lock_slow_interruptible(&(obj)->lock, (ctx))
/* true when taken (no acquire context). */
#define dma_resv_trylock(obj) ((bool)ww_mutex_trylock(&(obj)->lock, NULL))
#define dma_resv_unlock(obj) ww_mutex_unlock(&(obj)->lock)

static inline bool dma_resv_is_locked(struct dma_resv *obj)
{
	return ww_mutex_is_locked(&obj->lock);
}

static inline struct ww_acquire_ctx *dma_resv_locking_ctx(struct dma_resv *obj)
{
	return READ_ONCE(obj->lock.ctx);
}

void dma_resv_init(struct dma_resv *obj);
void dma_resv_fini(struct dma_resv *obj);
/* Makes room for `num_fences` more dma_resv_add_fence calls (lock held): 0 or -ENOMEM. */
int dma_resv_reserve_fences(struct dma_resv *obj, unsigned int num_fences);
/* Adds `fence` (a new reference) with `usage`, replacing a signalled fence or an older one of its
 * context (lock held, a slot reserved). */
void dma_resv_add_fence(struct dma_resv *obj, struct dma_fence *fence, enum dma_resv_usage usage);
void dma_resv_replace_fences(struct dma_resv *obj, u64 context, struct dma_fence *fence, enum dma_resv_usage usage);
/* The unsignalled fences of usage <= `usage`, as a kmalloc'd array of references: 0 or -ENOMEM. */
int dma_resv_get_fences(struct dma_resv *obj, enum dma_resv_usage usage, unsigned int *num_fences,
			struct dma_fence ***fences);
int dma_resv_copy_fences(struct dma_resv *dst, struct dma_resv *src);
/* Waits for every fence of usage <= `usage`: the remaining timeout (at least 1), 0 on timeout, or
 * -ERESTARTSYS when `intr` and a signal arrived. The lock need not be held. */
long dma_resv_wait_timeout(struct dma_resv *obj, enum dma_resv_usage usage, bool intr, unsigned long timeout);
/* true when every fence of usage <= `usage` has signalled. */
bool dma_resv_test_signaled(struct dma_resv *obj, enum dma_resv_usage usage);

#endif /* _LINUX_RESERVATION_H */
