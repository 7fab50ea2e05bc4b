/* spufs/context.c: SPU contexts: allocation, reference counting, the state lock's compound
 * operations (spu_acquire_runnable, spu_acquire_saved) and spu_unmap_mappings, which zaps every
 * user mapping of a context's files (kernel-semantics.md 3.1). A new context is SAVED: its state
 * lives in its save area (ctx->csa) until the scheduler binds it to an SPE. */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include "spufs.h"

LIST_HEAD(spu_all_contexts);
DEFINE_MUTEX(spu_all_contexts_mutex);
static int spu_next_context_id;

struct spu_context *alloc_spu_context(void)
{
	struct spu_context *ctx;

	ctx = kzalloc(sizeof(*ctx), GFP_KERNEL);
	if (!ctx)
		goto out;
	/* Binding to physical processor deferred until spu_activate(). */
	if (spu_init_csa(&ctx->csa))
		goto out_free;
	spin_lock_init(&ctx->mmio_lock);
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 22)
	mutex_init(&ctx->mapping_lock);
#endif
	kref_init(&ctx->kref);
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 21)
	mutex_init(&ctx->state_mutex);
#else
	init_rwsem(&ctx->state_sema);
#endif
	mutex_init(&ctx->run_mutex);
	init_waitqueue_head(&ctx->ibox_wq);
	init_waitqueue_head(&ctx->wbox_wq);
	init_waitqueue_head(&ctx->stop_wq);
	init_waitqueue_head(&ctx->run_wq);
	ctx->state = SPU_STATE_SAVED;
	ctx->ops = &spu_backing_ops;
	/* get_task_mm(current): the creator's address space, until spu_forget. */
	ctx->owner = current->mm;
	if (ctx->owner)
		atomic_inc(&ctx->owner->mm_users);
	INIT_LIST_HEAD(&ctx->rq);
	ctx->prio = DEFAULT_PRIO;
	ctx->policy = SCHED_NORMAL;
	spu_set_timeslice(ctx);
	mutex_lock(&spu_all_contexts_mutex);
	ctx->id = ++spu_next_context_id;
	list_add_tail(&ctx->all, &spu_all_contexts);
	mutex_unlock(&spu_all_contexts_mutex);
	goto out;
out_free:
	kfree(ctx);
	ctx = NULL;
out:
	return ctx;
}

void destroy_spu_context(struct kref *kref)
{
	struct spu_context *ctx;

	ctx = container_of(kref, struct spu_context, kref);
	spu_acquire_exclusive(ctx);
	spu_deactivate(ctx);
	spu_release_exclusive(ctx);
	mutex_lock(&spu_all_contexts_mutex);
	list_del(&ctx->all);
	mutex_unlock(&spu_all_contexts_mutex);
	__spu_switch_notify(-1, ctx->id, ctx->name, -1);
	spu_fini_csa(&ctx->csa);
	kfree(ctx);
}

struct spu_context *get_spu_context(struct spu_context *ctx)
{
	kref_get(&ctx->kref);
	return ctx;
}

int put_spu_context(struct spu_context *ctx)
{
	return kref_put(&ctx->kref, &destroy_spu_context);
}

/*
 * give up the mm reference when the context is about to be destroyed. Linux drops it under the
 * state lock; when the context's fd is closed by an exiting process, that mmput is the last one
 * and exit_mmap takes mmap_lock, the inverse of the fault path's mmap_lock -> state lock (lockdep
 * here reports it), so Faultline drops it after releasing the lock.
 */
void spu_forget(struct spu_context *ctx)
{
	struct mm_struct *mm;

	spu_acquire_saved(ctx);
	mm = ctx->owner;
	ctx->owner = NULL;
	spu_release_saved(ctx);
	if (mm)
		mmput(mm);
}

/*
 * Zaps every PTE, in every process, that maps one of the context's files: the next access faults
 * and the handler maps whatever backs the context then. Called by bind and unbind with the state
 * lock held for writing, before the data moves (kernel-semantics.md 3.1). unmap_mapping_range
 * takes only the i_mmap lock and the page-table locks, never an mmap_lock.
 */
void spu_unmap_mappings(struct spu_context *ctx)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 22)
	mutex_lock(&ctx->mapping_lock);
#endif
	if (ctx->local_store)
		unmap_mapping_range(ctx->local_store, 0, LS_SIZE, 1);
	if (ctx->cntl)
		unmap_mapping_range(ctx->cntl, 0, SPUFS_CNTL_MAP_SIZE, 1);
	if (ctx->signal1)
		unmap_mapping_range(ctx->signal1, 0, SPUFS_SIGNAL_MAP_SIZE, 1);
	if (ctx->signal2)
		unmap_mapping_range(ctx->signal2, 0, SPUFS_SIGNAL_MAP_SIZE, 1);
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 20)
	if (ctx->psmap)
		unmap_mapping_range(ctx->psmap, 0, SPUFS_PS_MAP_SIZE, 1);
#endif
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 22)
	mutex_unlock(&ctx->mapping_lock);
#endif
}

/*
 * spu_acquire_runnable: the context bound to an SPE, with the state lock held.
 * 2.6.18: take state_sema for reading; if the context is saved, trade it for the write side,
 * activate (waiting for an SPE if none is free), and downgrade back to reading.
 * 2.6.21+: with state_mutex held, activate if saved; activation may put the context on the run
 * queue instead (no SPE free), and the caller then waits for the bind (spufs_wait on run_wq).
 */
int spu_acquire_runnable(struct spu_context *ctx, unsigned long flags)
{
	int ret = 0;

#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 21)
	ret = spu_acquire_intr(ctx);
	if (ret)
		return ret;
	if (ctx->state == SPU_STATE_SAVED) {
		/* ctx is about to be freed, can't acquire any more */
		if (!ctx->owner) {
			ret = -EINVAL;
			goto out;
		}
		ret = spu_activate(ctx, flags);
		if (ret)
			goto out;
		/* No SPE was free: the context waits on the run queue until the scheduler binds it. */
		while (ctx->state == SPU_STATE_SAVED) {
			ret = spufs_wait(ctx->run_wq, ctx->state == SPU_STATE_RUNNABLE);
			if (ret) {
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 25)
				/* spufs_wait returned without the lock */
				spu_del_from_rq(ctx);
				return ret;
#else
				spu_del_from_rq(ctx);
				goto out;
#endif
			}
		}
	}
	return 0;
out:
	spu_release(ctx);
	return ret;
#else
	down_read(&ctx->state_sema);
	if (ctx->state == SPU_STATE_RUNNABLE)
		return 0;
	up_read(&ctx->state_sema);

	down_write(&ctx->state_sema);
	/* ctx is about to be freed, can't acquire any more */
	if (!ctx->owner) {
		ret = -EINVAL;
		goto out;
	}
	while (ctx->state == SPU_STATE_SAVED) {
		ret = spu_activate(ctx, flags);
		if (ret)
			goto out;
		if (ctx->state == SPU_STATE_SAVED) {
			/* queued: wait for the scheduler to bind us (it needs the write side) */
			up_write(&ctx->state_sema);
			ret = wait_event_interruptible(ctx->run_wq, ctx->state == SPU_STATE_RUNNABLE);
			down_write(&ctx->state_sema);
			if (ret) {
				spu_del_from_rq(ctx);
				goto out;
			}
		}
	}
	downgrade_write(&ctx->state_sema);
	/* On success, we return holding the lock */
	return ret;
out:
	/* Release here, to simplify calling code. */
	up_write(&ctx->state_sema);
	return ret;
#endif
}

/*
 * spu_acquire_saved: the context unbound from its SPE (saved), with the state lock held. 2.6.27+
 * also stops it and remembers that it was running, so spu_release_saved can start it again.
 */
int spu_acquire_saved(struct spu_context *ctx)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 21)
	int ret = spu_acquire_intr(ctx);

	if (ret)
		return ret;
	clear_bit(SPU_SCHED_WAS_ACTIVE, &ctx->sched_flags);
	if (ctx->state != SPU_STATE_SAVED) {
		set_bit(SPU_SCHED_WAS_ACTIVE, &ctx->sched_flags);
		spu_deactivate(ctx);
	}
	return 0;
#else
	down_read(&ctx->state_sema);
	if (ctx->state == SPU_STATE_SAVED)
		return 0;
	up_read(&ctx->state_sema);
	down_write(&ctx->state_sema);
	if (ctx->state == SPU_STATE_RUNNABLE)
		spu_deactivate(ctx);
	downgrade_write(&ctx->state_sema);
	return 0;
#endif
}

void spu_release_saved(struct spu_context *ctx)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 21)
	BUG_ON(ctx->state != SPU_STATE_SAVED);
	if (test_and_clear_bit(SPU_SCHED_WAS_ACTIVE, &ctx->sched_flags) && test_bit(SPU_SCHED_SPU_RUN, &ctx->sched_flags))
		spu_activate(ctx, 0);
#endif
	spu_release(ctx);
}
