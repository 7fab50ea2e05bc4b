/* <linux/ww_mutex.h>: wound/wait mutexes, the locks of dma_resv (Linux 6.8 API).
 *
 * A ww_mutex is a mutex that several locks of one class can be taken under an acquire context
 * (struct ww_acquire_ctx, a "ticket" stamped at ww_acquire_init: smaller is older). When two
 * transactions want each other's locks, the class's algorithm decides who backs off:
 * - wait-die (DEFINE_WD_CLASS, reservation_ww_class): a younger context that holds locks and
 *   finds a lock held by an older one gets -EDEADLK at once; an older one waits;
 * - wound-wait (DEFINE_WW_CLASS): the older context "wounds" the younger holder, which gets
 *   -EDEADLK at its next ww_mutex_lock.
 * The loser releases every lock it holds and takes the contended one with ww_mutex_lock_slow
 * (no deadlock check: it holds nothing), then retries the others. ww_mutex_lock on a lock its own
 * context holds is -EALREADY. ww_mutex_trylock and ww_mutex_lock(lock, NULL) take no part in the
 * protocol.
 *
 * Faultline: until the lock layer's ww_mutex builtins reach the KC headers (src/kernel/locks/
 * locks.ts implements the algorithms), this header implements the protocol in KC over the mutex
 * builtins: the base mutex is only ever taken with mutex_trylock, and a contended locker sleeps on
 * the lock's wait queue until ww_mutex_unlock wakes it, then tries again and re-checks the stamps.
 * Both algorithms act when the locker arrives; a wounded context learns it at its next lock call
 * (Linux also wakes a wounded sleeper at once). Lockdep sees the locks as held trylocks: it
 * reports them held at exit or on return to user space, but validates no order for them.
 * The lock functions are macros so that lock reports name the caller's source line. */
#ifndef _LINUX_WW_MUTEX_H
#define _LINUX_WW_MUTEX_H

#include <linux/types.h>
#include <linux/errno.h>
#include <linux/bug.h>
#include <linux/atomic.h>
#include <linux/mutex.h>
#include <linux/wait.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>

struct ww_class {
	atomic_long_t stamp;		/* the next ticket */
	const char *acquire_name;
	const char *mutex_name;
	unsigned int is_wait_die;
};

struct ww_acquire_ctx {
	struct task_struct *task;
	unsigned long stamp;		/* smaller is older */
	unsigned int acquired;		/* ww_mutexes held through this context */
	unsigned short wounded;		/* wound-wait: an older context wants one of our locks */
	unsigned short is_wait_die;
	struct ww_class *ww_class;
	unsigned int done_acquire;	/* ww_acquire_done was called */
	unsigned int contending;	/* a lock returned -EDEADLK and was not yet taken slowly */
};

struct ww_mutex {
	struct mutex base;
	struct ww_acquire_ctx *ctx;	/* the holder's context, NULL when locked without one */
	struct ww_class *ww_class;
	wait_queue_head_t wait;		/* Faultline: contended lockers sleep here (see the header) */
};

#define __WW_CLASS_INITIALIZER(ww_class, _is_wait_die) { \
	.stamp = ATOMIC_LONG_INIT(0), \
	.acquire_name = #ww_class "_acquire", \
	.mutex_name = #ww_class "_mutex", \
	.is_wait_die = _is_wait_die }

#define DEFINE_WD_CLASS(classname) struct ww_class classname = __WW_CLASS_INITIALIZER(classname, 1)
#define DEFINE_WW_CLASS(classname) struct ww_class classname = __WW_CLASS_INITIALIZER(classname, 0)

/* Initialises a ww_mutex of `ww_class`, unlocked. */
#define ww_mutex_init(lock, class) do { \
	struct ww_mutex *__ww = (lock); \
	__kc_mutex_init((void *)&__ww->base, (class)->mutex_name, __KC_SITE); \
	__ww->ctx = NULL; \
	__ww->ww_class = (class); \
	__init_waitqueue_head(&__ww->wait, "&ww->wait"); \
} while (0)

static inline void ww_mutex_destroy(struct ww_mutex *lock)
{
	(void)lock;
}

static inline bool ww_mutex_is_locked(struct ww_mutex *lock)
{
	return __kc_mutex_is_locked((void *)&lock->base) != 0;
}

/* Starts a transaction: a new ticket, younger than every earlier one of the class. */
static inline void ww_acquire_init(struct ww_acquire_ctx *ctx, struct ww_class *ww_class)
{
	ctx->task = current;
	ctx->stamp = (unsigned long)atomic_long_inc_return(&ww_class->stamp);
	ctx->acquired = 0;
	ctx->wounded = 0;
	ctx->is_wait_die = (unsigned short)ww_class->is_wait_die;
	ctx->ww_class = ww_class;
	ctx->done_acquire = 0;
	ctx->contending = 0;
}

/* The transaction takes no more locks (a debugging aid: later ww_mutex_lock calls warn). */
static inline void ww_acquire_done(struct ww_acquire_ctx *ctx)
{
	WARN_ON(ctx->done_acquire);
	ctx->done_acquire = 1;
}

/* Ends the transaction; it must not hold any lock. */
static inline void ww_acquire_fini(struct ww_acquire_ctx *ctx)
{
	WARN_ON(ctx->acquired > 0);
	ctx->acquired = ~0U;
}

/* True when context `a` is younger than `b` (a later ticket). */
static inline bool __ww_ctx_less(struct ww_acquire_ctx *a, struct ww_acquire_ctx *b)
{
	return (long)(a->stamp - b->stamp) > 0;
}

/* The back-off decision for `ctx` finding `lock` held by `hold` (may be NULL): -EDEADLK or 0 (wait). */
static inline int __ww_mutex_check_kill(struct ww_mutex *lock, struct ww_acquire_ctx *ctx, struct ww_acquire_ctx *hold)
{
	(void)lock;
	if (ctx->acquired == 0)
		return 0;
	if (ctx->is_wait_die) {
		/* Wait-die: die if the holder is older. */
		if (hold && __ww_ctx_less(ctx, hold))
			return -EDEADLK;
		return 0;
	}
	/* Wound-wait: a wounded context backs off; an older one wounds a younger holder and waits. */
	if (ctx->wounded)
		return -EDEADLK;
	if (hold && __ww_ctx_less(hold, ctx))
		hold->wounded = 1;
	return 0;
}

/*
 * ww_mutex_lock's body: 0 with the lock held (and recorded in ctx), -EALREADY, -EDEADLK, or
 * -EINTR for an interruptible wait ended by a signal. `slow`: the caller holds no lock of the
 * class (ww_mutex_lock_slow), so it only waits. The site is the caller's.
 */
static inline int __ww_mutex_lock(struct ww_mutex *lock, struct ww_acquire_ctx *ctx, int state, int slow,
				  const char *file, int line, const char *func)
{
	__kc_might_sleep(file, line, func);
	if (ctx) {
		if (unlikely(READ_ONCE(lock->ctx) == ctx))
			return -EALREADY;
		WARN_ON(ctx->task != current);
		WARN_ON(ctx->done_acquire);
		WARN_ON(ctx->ww_class != lock->ww_class);
		if (slow)
			WARN_ON(ctx->acquired > 0);
	}
	for (;;) {
		DEFINE_WAIT(wait);
		int ret;

		if (__kc_mutex_trylock((void *)&lock->base, file, line, func))
			break;
		if (ctx && !slow) {
			ret = __ww_mutex_check_kill(lock, ctx, READ_ONCE(lock->ctx));
			if (ret) {
				ctx->contending = 1;
				return ret;
			}
		}
		prepare_to_wait(&lock->wait, &wait, state);
		/* Queued before the re-check: an unlock from here on wakes us. */
		if (__kc_mutex_is_locked((void *)&lock->base))
			schedule();
		finish_wait(&lock->wait, &wait);
		if (state == TASK_INTERRUPTIBLE && signal_pending(current))
			return -EINTR;
	}
	if (ctx) {
		lock->ctx = ctx;
		ctx->acquired++;
		ctx->contending = 0;
	}
	return 0;
}

static inline int __ww_mutex_trylock(struct ww_mutex *lock, struct ww_acquire_ctx *ctx,
				     const char *file, int line, const char *func)
{
	if (ctx && READ_ONCE(lock->ctx) == ctx)
		return 0;
	if (!__kc_mutex_trylock((void *)&lock->base, file, line, func))
		return 0;
	if (ctx) {
		lock->ctx = ctx;
		ctx->acquired++;
	}
	return 1;
}

static inline void __ww_mutex_unlock(struct ww_mutex *lock, const char *file, int line, const char *func)
{
	if (lock->ctx) {
		if (lock->ctx->acquired > 0)
			lock->ctx->acquired--;
		lock->ctx = NULL;
	}
	__kc_mutex_unlock((void *)&lock->base, file, line, func);
	__wake_up(&lock->wait, TASK_NORMAL, 0, NULL);
}

/* 0, -EALREADY (this context holds it) or -EDEADLK (back off: unlock all, then ww_mutex_lock_slow). */
#define ww_mutex_lock(lock, ctx) __ww_mutex_lock((lock), (ctx), TASK_UNINTERRUPTIBLE, 0, __KC_SITE)
/* ww_mutex_lock, or -EINTR when a signal ends the wait. */
#define ww_mutex_lock_interruptible(lock, ctx) __ww_mutex_lock((lock), (ctx), TASK_INTERRUPTIBLE, 0, __KC_SITE)
/* After -EDEADLK, with every other lock of the context released: waits for the contended lock. */
#define ww_mutex_lock_slow(lock, ctx) ((void)__ww_mutex_lock((lock), (ctx), TASK_UNINTERRUPTIBLE, 1, __KC_SITE))
#define ww_mutex_lock_slow_interruptible(lock, ctx) __ww_mutex_lock((lock), (ctx), TASK_INTERRUPTIBLE, 1, __KC_SITE)
/* 1 when taken (6.8 takes an optional context), 0 when busy. */
#define ww_mutex_trylock(lock, ctx) __ww_mutex_trylock((lock), (ctx), __KC_SITE)
#define ww_mutex_unlock(lock) __ww_mutex_unlock((lock), __KC_SITE)

#endif /* _LINUX_WW_MUTEX_H */
