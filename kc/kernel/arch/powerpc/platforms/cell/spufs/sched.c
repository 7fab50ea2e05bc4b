/* spufs/sched.c: the SPU scheduler. More contexts than SPEs share the SPEs: a context that wants
 * to run (spu_run, or a problem-state fault before 2.6.25) takes an idle SPE if there is one, else
 * waits on the run queue; the scheduler thread `spusched` gives each bound context a time slice
 * and, when it is used up and a context waits, unbinds it (spu_unbind_context: zap its mappings,
 * spu_save) and binds the waiter (spu_bind_context: zap, spu_restore). Faultline follows the 2.6.27
 * design (the kernel thread, the priority run queue, spusched_tick, __spu_deactivate) in every
 * era; 2.6.18 did the preemption from a work item (spu_reaper) and 2.6.21 from a per-context
 * delayed work on the "spusched" workqueue, with the same bind/unbind sequences. Lock names and
 * the state lock's kind follow the era (spufs.h).
 *
 * Lock order: ctx->state lock -> cbe_spu_info.list_mutex -> spu_prio->runq_lock; binding and
 * unbinding happen with the context's state lock held exclusively and take list_mutex inside.
 * spusched never holds list_mutex while it takes a context lock (it drops it around the tick).
 *
 * sim_spu_context_switch (scenario harness): forces the switch a time slice would make, on a given
 * SPE to a given context, through the same spu_unschedule/__spu_schedule steps. */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/slab.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/sched.h>
#include <linux/kthread.h>
#include <linux/jiffies.h>
#include <linux/wait.h>
#include <linux/module.h>
#include "spufs.h"

struct spu_prio_array {
	unsigned long bitmap[(MAX_PRIO + BITS_PER_LONG - 1) / BITS_PER_LONG];
	struct list_head runq[MAX_PRIO];
	spinlock_t runq_lock;
	int nr_waiting;
};

static struct spu_prio_array *spu_prio;
static struct task_struct *spusched_task;
unsigned long spu_nr_switches;

/* Time slice, in spusched ticks (jiffies), of every context: a module parameter, so that a scenario
 * can make preemption quick or rare. */
static int spu_timeslice = DEF_SPU_TIMESLICE;
module_param(spu_timeslice, int, 0644);

void spu_set_timeslice(struct spu_context *ctx)
{
	ctx->time_slice = spu_timeslice > 0 ? spu_timeslice : MIN_SPU_TIMESLICE;
}

/* Every context has the default priority (there is no nice value in this kernel's tasks). */
void spu_update_sched_info(struct spu_context *ctx)
{
	ctx->prio = DEFAULT_PRIO;
	ctx->policy = SCHED_NORMAL;
}

/* spu_switch_notify: tell the listeners (the device model's view and trace) about a (un)bind. */
static void spu_switch_notify(struct spu *spu, struct spu_context *ctx, int bind)
{
	__spu_switch_notify(spu ? spu->number : -1, ctx->id, ctx->name, bind);
}

/**
 * spu_bind_context - bind spu context to physical spu
 * Called with the context's state lock held exclusively; takes register_lock inside.
 */
static void spu_bind_context(struct spu *spu, struct spu_context *ctx)
{
	spin_lock_irq(&spu->register_lock);
	spu->ctx = ctx;
	spu->flags = 0;
	ctx->spu = spu;
	ctx->ops = &spu_hw_ops;
	spu->pid = current->pid;
	spu->tgid = current->tgid;
	spu->ibox_callback = spufs_ibox_callback;
	spu->wbox_callback = spufs_wbox_callback;
	spu->stop_callback = spufs_stop_callback;
	spu->mfc_callback = spufs_mfc_callback;
	spin_unlock_irq(&spu->register_lock);

	/* Zap first: from here on every access to the context's files faults and sees the SPE. */
	spu_unmap_mappings(ctx);

	spu_restore(&ctx->csa, spu);
	spu->timestamp = jiffies;
	ctx->state = SPU_STATE_RUNNABLE;
	spu_nr_switches++;
	spu_switch_notify(spu, ctx, 1);
}

/**
 * spu_unbind_context - unbind spu context from physical spu
 * Called with the context's state lock held exclusively.
 */
static void spu_unbind_context(struct spu *spu, struct spu_context *ctx)
{
	u32 status;

	/* Zap before the data moves: no PTE may keep pointing at the SPE's local store. */
	spu_unmap_mappings(ctx);
	spu_save(&ctx->csa, spu);

	spin_lock_irq(&spu->register_lock);
	spu->timestamp = jiffies;
	ctx->state = SPU_STATE_SAVED;
	spu->ibox_callback = NULL;
	spu->wbox_callback = NULL;
	spu->stop_callback = NULL;
	spu->mfc_callback = NULL;
	spu->pid = 0;
	spu->tgid = 0;
	ctx->ops = &spu_backing_ops;
	spu->flags = 0;
	spu->ctx = NULL;
	spin_unlock_irq(&spu->register_lock);

	ctx->spu = NULL;
	spu_switch_notify(spu, ctx, 0);

	if (spu_stopped(ctx, &status))
		wake_up_all(&ctx->stop_wq);
}

/* ---- The run queue ---- */

static void __spu_add_to_rq(struct spu_context *ctx)
{
	/*
	 * Unfortunately this code path can be called from multiple threads on behalf of a single
	 * context under the state lock, so check if the context is already on the run queue.
	 */
	if (list_empty(&ctx->rq)) {
		list_add_tail(&ctx->rq, &spu_prio->runq[ctx->prio]);
		set_bit(ctx->prio, spu_prio->bitmap);
		/* The first waiter starts the scheduler's ticks (2.6.27 arms spusched_timer). */
		if (!spu_prio->nr_waiting++ && spusched_task)
			wake_up_process(spusched_task);
	}
}

static void spu_add_to_rq(struct spu_context *ctx)
{
	spin_lock(&spu_prio->runq_lock);
	__spu_add_to_rq(ctx);
	spin_unlock(&spu_prio->runq_lock);
}

static void __spu_del_from_rq(struct spu_context *ctx)
{
	int prio = ctx->prio;

	if (!list_empty(&ctx->rq)) {
		spu_prio->nr_waiting--;
		list_del_init(&ctx->rq);
		if (list_empty(&spu_prio->runq[prio]))
			clear_bit(prio, spu_prio->bitmap);
	}
}

void spu_del_from_rq(struct spu_context *ctx)
{
	spin_lock(&spu_prio->runq_lock);
	__spu_del_from_rq(ctx);
	spin_unlock(&spu_prio->runq_lock);
}

/* The first free SPE, marked used; NULL when every SPE has a context. */
static struct spu *spu_get_idle(struct spu_context *ctx)
{
	struct spu *spu, *found = NULL;

	(void)ctx;
	mutex_lock(&cbe_spu_info[0].list_mutex);
	list_for_each_entry(spu, &cbe_spu_info[0].spus, cbe_list) {
		if (spu->alloc_state == SPU_FREE) {
			spu->alloc_state = SPU_USED;
			found = spu;
			break;
		}
	}
	mutex_unlock(&cbe_spu_info[0].list_mutex);
	return found;
}

static void __spu_schedule(struct spu *spu, struct spu_context *ctx)
{
	int success = 0;

	spu_set_timeslice(ctx);
	mutex_lock(&cbe_spu_info[0].list_mutex);
	if (spu->ctx == NULL) {
		spu_bind_context(spu, ctx);
		cbe_spu_info[0].nr_active++;
		spu->alloc_state = SPU_USED;
		success = 1;
	}
	mutex_unlock(&cbe_spu_info[0].list_mutex);

	if (success)
		wake_up_all(&ctx->run_wq);
	else
		spu_add_to_rq(ctx);
}

static void spu_schedule(struct spu *spu, struct spu_context *ctx)
{
	/* not a candidate for interruptible because it's called either from the scheduler thread or
	 * from spu_deactivate */
	spu_acquire_exclusive(ctx);
	if (ctx->state == SPU_STATE_SAVED)
		__spu_schedule(spu, ctx);
	spu_release_exclusive(ctx);
}

/*
 * spu_unschedule - remove a context from a spu, and possibly release it. With free_spu zero the
 * caller binds another context to the SPE next. Called with ctx's state lock held exclusively.
 */
static void spu_unschedule(struct spu *spu, struct spu_context *ctx, int free_spu)
{
	mutex_lock(&cbe_spu_info[0].list_mutex);
	cbe_spu_info[0].nr_active--;
	if (free_spu)
		spu->alloc_state = SPU_FREE;
	spu_unbind_context(spu, ctx);
	ctx->stats.invol_ctx_switch++;
	spu->stats.invol_ctx_switch++;
	mutex_unlock(&cbe_spu_info[0].list_mutex);
}

/**
 * spu_activate - find a free spu for a context and execute it. If none is free, the context goes
 * on the run queue and is bound (its run_wq woken) when an SPE frees up or a time slice ends.
 * Called with the context's state lock held exclusively.
 */
int spu_activate(struct spu_context *ctx, unsigned long flags)
{
	struct spu *spu;

	(void)flags;
	/*
	 * If there are multiple threads waiting for a single context only one actually binds the
	 * context while the others will only be able to acquire the state lock once the context
	 * already is in runnable state.
	 */
	if (ctx->spu)
		return 0;
	if (signal_pending(current))
		return -ERESTARTSYS;
	spu = spu_get_idle(ctx);
	if (spu) {
		__spu_schedule(spu, ctx);
		return 0;
	}
	spu_add_to_rq(ctx);
	return 0;
}

/* The first context waiting with a priority better than `prio`, off the run queue; or NULL. */
static struct spu_context *grab_runnable_context(int prio, int node)
{
	struct spu_context *ctx;
	int best;

	(void)node;
	spin_lock(&spu_prio->runq_lock);
	for (best = 0; best < prio && best < MAX_PRIO; best++) {
		struct list_head *rq = &spu_prio->runq[best];

		if (!test_bit(best, spu_prio->bitmap))
			continue;
		list_for_each_entry(ctx, rq, rq) {
			__spu_del_from_rq(ctx);
			goto found;
		}
	}
	ctx = NULL;
found:
	spin_unlock(&spu_prio->runq_lock);
	return ctx;
}

static int __spu_deactivate(struct spu_context *ctx, int force, int max_prio)
{
	struct spu *spu = ctx->spu;
	struct spu_context *new = NULL;

	if (spu) {
		new = grab_runnable_context(max_prio, spu->node);
		if (new || force) {
			spu_unschedule(spu, ctx, new == NULL);
			if (new) {
				spu_release_exclusive(ctx);
				spu_schedule(spu, new);
				/* this one can't easily be made interruptible */
				spu_acquire_exclusive(ctx);
			}
		}
	}
	return new != NULL;
}

/**
 * spu_deactivate - unbind a context from its physical spu and schedule the best waiting context
 * on the freed SPE. Called with the state lock held exclusively.
 */
void spu_deactivate(struct spu_context *ctx)
{
	__spu_deactivate(ctx, 1, MAX_PRIO);
}

/**
 * spu_yield - yield a physical spu if others are waiting. Called without the state lock.
 */
void spu_yield(struct spu_context *ctx)
{
	if (!(ctx->flags & SPU_CREATE_NOSCHED)) {
		spu_acquire_exclusive(ctx);
		__spu_deactivate(ctx, 0, MAX_PRIO);
		spu_release_exclusive(ctx);
	}
}

/* One tick for a bound context: when its slice is used up (or it is not in spu_run at all) and a
 * context waits, the waiter gets the SPE; a preempted context in spu_run queues again. */
static void spusched_tick(struct spu_context *ctx)
{
	struct spu_context *new = NULL;
	struct spu *spu = NULL;

	spu_acquire_exclusive(ctx);	/* a kernel thread never has signals pending */

	if (ctx->state != SPU_STATE_RUNNABLE)
		goto out;
	if (ctx->flags & SPU_CREATE_NOSCHED)
		goto out;
	if (ctx->policy == SCHED_FIFO)
		goto out;
	if (--ctx->time_slice && test_bit(SPU_SCHED_SPU_RUN, &ctx->sched_flags))
		goto out;

	spu = ctx->spu;
	new = grab_runnable_context(ctx->prio + 1, spu->node);
	if (new) {
		spu_unschedule(spu, ctx, 0);
		if (test_bit(SPU_SCHED_SPU_RUN, &ctx->sched_flags))
			spu_add_to_rq(ctx);
	} else {
		if (!ctx->time_slice)
			ctx->time_slice++;
	}
out:
	spu_release_exclusive(ctx);

	if (new)
		spu_schedule(spu, new);
}

/* spusched: ticks every jiffy while a context waits for an SPE (2.6.27 arms spusched_timer for
 * that), sleeps otherwise. */
static int spusched_thread(void *unused)
{
	struct spu *spu;

	(void)unused;
	while (!kthread_should_stop()) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (!spu_prio->nr_waiting) {
			/* Nothing waits: sleep until the first waiter wakes us, then tick a slice later. */
			schedule();
			continue;
		}
		schedule_timeout(SPUSCHED_TICK);
		__set_current_state(TASK_RUNNING);
		mutex_lock(&cbe_spu_info[0].list_mutex);
		list_for_each_entry(spu, &cbe_spu_info[0].spus, cbe_list) {
			struct spu_context *ctx = spu->ctx;

			if (ctx) {
				get_spu_context(ctx);
				mutex_unlock(&cbe_spu_info[0].list_mutex);
				spusched_tick(ctx);
				mutex_lock(&cbe_spu_info[0].list_mutex);
				put_spu_context(ctx);
			}
		}
		/* An SPE left free (its context stopped and yielded) goes to a waiter. */
		list_for_each_entry(spu, &cbe_spu_info[0].spus, cbe_list) {
			struct spu_context *new;

			if (spu->alloc_state != SPU_FREE)
				continue;
			new = grab_runnable_context(MAX_PRIO, 0);
			if (!new)
				break;
			spu->alloc_state = SPU_USED;
			mutex_unlock(&cbe_spu_info[0].list_mutex);
			spu_schedule(spu, new);
			mutex_lock(&cbe_spu_info[0].list_mutex);
		}
		mutex_unlock(&cbe_spu_info[0].list_mutex);
	}
	return 0;
}

/* ---- Forced switches (the scenario harness) ---- */

static struct spu *spu_by_number(int number)
{
	struct spu *spu;

	list_for_each_entry(spu, &cbe_spu_info[0].spus, cbe_list)
		if (spu->number == number)
			return spu;
	return NULL;
}

/*
 * Unbinds whatever runs on SPE `spe` (zap, spu_save) and binds `next` there (zap, spu_restore);
 * with `next` NULL, the best waiting context, or nobody. A context preempted here that is in
 * spu_run waits on the run queue, as after a time slice. `next` running on another SPE is moved.
 */
int spu_force_switch(int spe, struct spu_context *next)
{
	struct spu *spu, *other;
	struct spu_context *victim;

	mutex_lock(&cbe_spu_info[0].list_mutex);
	spu = spu_by_number(spe);
	victim = spu ? spu->ctx : NULL;
	if (victim)
		get_spu_context(victim);
	mutex_unlock(&cbe_spu_info[0].list_mutex);
	if (!spu)
		return -ENODEV;
	if (victim && victim == next) {
		put_spu_context(victim);
		return 0;
	}
	if (victim) {
		spu_acquire_exclusive(victim);
		if (victim->spu == spu) {
			spu_unschedule(spu, victim, 0);
			if (test_bit(SPU_SCHED_SPU_RUN, &victim->sched_flags))
				spu_add_to_rq(victim);
		}
		spu_release_exclusive(victim);
		put_spu_context(victim);
	} else {
		mutex_lock(&cbe_spu_info[0].list_mutex);
		spu->alloc_state = SPU_USED;
		mutex_unlock(&cbe_spu_info[0].list_mutex);
	}
	if (!next)
		next = grab_runnable_context(MAX_PRIO, 0);
	if (!next) {
		mutex_lock(&cbe_spu_info[0].list_mutex);
		if (!spu->ctx)
			spu->alloc_state = SPU_FREE;
		mutex_unlock(&cbe_spu_info[0].list_mutex);
		return 0;
	}
	spu_acquire_exclusive(next);
	other = next->spu;
	if (other && other != spu) {
		spu_unschedule(other, next, 1);
	}
	spu_del_from_rq(next);
	if (next->state == SPU_STATE_SAVED)
		__spu_schedule(spu, next);
	spu_release_exclusive(next);
	return 0;
}

/* The harness call `spu_context_switch` (src/kernel/devices/registry.ts). */
long sim_spu_context_switch(int spe, const char *to)
{
	struct spu_context *next = NULL;
	long ret;

	if (to) {
		next = spufs_lookup_context(to);
		if (!next)
			return -ENOENT;
	}
	ret = spu_force_switch(spe, next);
	if (next)
		put_spu_context(next);
	return ret;
}

int spu_sched_init(void)
{
	int i;

	spu_prio = kzalloc(sizeof(struct spu_prio_array), GFP_KERNEL);
	if (!spu_prio)
		return -ENOMEM;
	for (i = 0; i < MAX_PRIO; i++) {
		INIT_LIST_HEAD(&spu_prio->runq[i]);
		__clear_bit(i, spu_prio->bitmap);
	}
	spin_lock_init(&spu_prio->runq_lock);
	spusched_task = kthread_run(spusched_thread, NULL, "spusched");
	if (IS_ERR(spusched_task)) {
		int err = PTR_ERR(spusched_task);

		spusched_task = NULL;
		kfree(spu_prio);
		return err;
	}
	return 0;
}

void spu_sched_exit(void)
{
	if (spusched_task)
		kthread_stop(spusched_task);
	kfree(spu_prio);
}
