/* spufs/run.c: spu_run(2): start a context at *npc and sleep until its SPU stops (stop-and-signal,
 * halt, an invalid instruction) or a signal arrives; return the SPU status (with the stop code in
 * bits 16-31) and the next program counter.
 *
 * The runner holds the context's state lock except while it sleeps (spufs_wait drops it), so the
 * scheduler can unbind and bind the context meanwhile. Eras:
 * - 2.6.18-2.6.26: spu_run_init makes the context runnable first (spu_acquire_runnable: bind it,
 *   waiting for an SPE); if the scheduler unbinds it while it runs, spu_stopped says so and the
 *   runner re-acquires it runnable (spu_reacquire_runnable) and starts it again where it was.
 * - 2.6.27+: spu_run_init starts the context in whatever state it is (a SAVED context's backing
 *   registers say RUNNING) and activates it; the scheduler binds and preempts it on its own, and
 *   the runner only wakes when the SPU really stops. */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/wait.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include "spufs.h"

/* interrupt-level stop callback function (spu_base.c's class 2 handler). */
void spufs_stop_callback(struct spu *spu, int irq)
{
	struct spu_context *ctx = spu->ctx;

	(void)irq;
	/*
	 * It should be impossible to preempt a context while an exception is being processed, since
	 * the context switch code is specially coded to deal with interrupts ... But, just in case,
	 * sanity check the context pointer.
	 */
	if (ctx)
		wake_up_all(&ctx->stop_wq);
}

void spufs_ibox_callback(struct spu *spu)
{
	struct spu_context *ctx = spu->ctx;

	if (ctx)
		wake_up_all(&ctx->ibox_wq);
}

void spufs_wbox_callback(struct spu *spu)
{
	struct spu_context *ctx = spu->ctx;

	if (ctx)
		wake_up_all(&ctx->wbox_wq);
}

void spufs_mfc_callback(struct spu *spu)
{
	(void)spu;
}

#define SPU_STOPPED_MASK (SPU_STATUS_INVALID_INSTR | SPU_STATUS_SINGLE_STEP | SPU_STATUS_STOPPED_BY_HALT | \
			  SPU_STATUS_STOPPED_BY_STOP)

int spu_stopped(struct spu_context *ctx, u32 *stat)
{
	u32 stopped = SPU_STOPPED_MASK;

top:
	*stat = ctx->ops->status_read(ctx);
	if (*stat & stopped) {
		/* If the spu hasn't finished stopping, we need to re-read the register to get the
		 * stopped value. */
		if (*stat & SPU_STATUS_RUNNING)
			goto top;
		return 1;
	}
#if LINUX_VERSION_CODE < KERNEL_VERSION(2, 6, 27)
	/* The scheduler took the SPE away: the runner must make the context runnable again. */
	if (ctx->state != SPU_STATE_RUNNABLE)
		return 1;
#endif
	if (test_bit(SPU_SCHED_NOTIFY_ACTIVE, &ctx->sched_flags))
		return 1;
	return 0;
}

#if LINUX_VERSION_CODE < KERNEL_VERSION(2, 6, 27)

static int spu_run_init(struct spu_context *ctx, u32 *npc)
{
	int ret;

	ret = spu_acquire_runnable(ctx, 0);
	if (ret)
		return ret;
	ctx->ops->npc_write(ctx, *npc);
	ctx->ops->runcntl_write(ctx, SPU_RUNCNTL_RUNNABLE);
	set_bit(SPU_SCHED_SPU_RUN, &ctx->sched_flags);
	return 0;
}

static int spu_run_fini(struct spu_context *ctx, u32 *npc, u32 *status)
{
	int ret = 0;

	*status = ctx->ops->status_read(ctx);
	*npc = ctx->ops->npc_read(ctx);
	clear_bit(SPU_SCHED_SPU_RUN, &ctx->sched_flags);
	spu_release(ctx);
	if (signal_pending(current))
		ret = -ERESTARTSYS;
	return ret;
}

static int spu_reacquire_runnable(struct spu_context *ctx, u32 *npc, u32 *status)
{
	int ret;

	ret = spu_run_fini(ctx, npc, status);
	if (ret)
		return ret;
	if (*status & (SPU_STATUS_STOPPED_BY_STOP | SPU_STATUS_STOPPED_BY_HALT))
		return *status;
	/*
	 * Linux writes npc and runcntl again here (spu_run_init). The save area says RUNNING, and
	 * spu_restore resumes such a context where it was when it is bound again, so only make it
	 * runnable: writing the npc saved by spu_run_fini could restart a context that has stopped
	 * since it was bound (and re-run its last instructions).
	 */
	ret = spu_acquire_runnable(ctx, 0);
	if (ret)
		return ret;
	set_bit(SPU_SCHED_SPU_RUN, &ctx->sched_flags);
	return 0;
}

long spufs_run_spu(struct spu_context *ctx, u32 *npc, u32 *event)
{
	int ret;
	u32 status = 0;

	if (mutex_lock_interruptible(&ctx->run_mutex))
		return -ERESTARTSYS;
	ctx->event_return = 0;
	ret = spu_run_init(ctx, npc);
	if (ret)
		goto out;

	do {
		ret = spufs_wait(ctx->stop_wq, spu_stopped(ctx, &status));
		if (unlikely(ret))
			break;
		if (unlikely(ctx->state != SPU_STATE_RUNNABLE)) {
			ret = spu_reacquire_runnable(ctx, npc, &status);
			if (ret)
				goto out_status;
			continue;
		}
		if (signal_pending(current))
			ret = -ERESTARTSYS;
	} while (!ret && !(status & SPU_STOPPED_MASK));

	ret = spu_run_fini(ctx, npc, &status);
	spu_yield(ctx);
out_status:
	/* (spu_reacquire_runnable answers the status itself when the SPU stopped meanwhile) */
	if (!ret || (ret == -ERESTARTSYS && (status & SPU_STOPPED_MASK)))
		ret = status;
out:
	*event = ctx->event_return;
	mutex_unlock(&ctx->run_mutex);
	return ret;
}

#else /* 2.6.27+ */

static int spu_run_init(struct spu_context *ctx, u32 *npc)
{
	int ret;

	ctx->ops->npc_write(ctx, *npc);
	ctx->ops->runcntl_write(ctx, SPU_RUNCNTL_RUNNABLE);
	if (ctx->state == SPU_STATE_SAVED) {
		ret = spu_activate(ctx, 0);
		if (ret)
			return ret;
	}
	set_bit(SPU_SCHED_SPU_RUN, &ctx->sched_flags);
	return 0;
}

static int spu_run_fini(struct spu_context *ctx, u32 *npc, u32 *status)
{
	int ret = 0;

	spu_del_from_rq(ctx);
	*status = ctx->ops->status_read(ctx);
	*npc = ctx->ops->npc_read(ctx);
	clear_bit(SPU_SCHED_SPU_RUN, &ctx->sched_flags);
	spu_release(ctx);
	if (signal_pending(current))
		ret = -ERESTARTSYS;
	return ret;
}

long spufs_run_spu(struct spu_context *ctx, u32 *npc, u32 *event)
{
	int ret;
	u32 status = 0;

	if (mutex_lock_interruptible(&ctx->run_mutex))
		return -ERESTARTSYS;
	ctx->event_return = 0;
	ret = spu_acquire(ctx);
	if (ret)
		goto out_unlock;
	spu_update_sched_info(ctx);
	ret = spu_run_init(ctx, npc);
	if (ret) {
		spu_release(ctx);
		goto out;
	}

	do {
		ret = spufs_wait(ctx->stop_wq, spu_stopped(ctx, &status));
		if (unlikely(ret)) {
			/* This is nasty: we need the state_mutex for all the bookkeeping even if the
			 * syscall was interrupted by a signal. ewww. */
			mutex_lock(&ctx->state_mutex);
			break;
		}
		if (unlikely(test_and_clear_bit(SPU_SCHED_NOTIFY_ACTIVE, &ctx->sched_flags))) {
			if (!(status & SPU_STATUS_STOPPED_BY_STOP))
				continue;
		}
		if (signal_pending(current))
			ret = -ERESTARTSYS;
	} while (!ret && !(status & (SPU_STATUS_STOPPED_BY_STOP | SPU_STATUS_STOPPED_BY_HALT | SPU_STATUS_SINGLE_STEP |
				     SPU_STATUS_INVALID_INSTR)));

	ret = spu_run_fini(ctx, npc, &status);
	spu_yield(ctx);

	if ((ret == 0) ||
	    ((ret == -ERESTARTSYS) &&
	     ((status & SPU_STATUS_STOPPED_BY_HALT) || (status & SPU_STATUS_SINGLE_STEP) ||
	      (status & SPU_STATUS_INVALID_INSTR) || (status & SPU_STATUS_STOPPED_BY_STOP))))
		ret = status;
out:
	*event = ctx->event_return;
out_unlock:
	mutex_unlock(&ctx->run_mutex);
	return ret;
}

#endif
