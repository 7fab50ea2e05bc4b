/* spufs.h: the SPU file system's private interface (arch/powerpc/platforms/cell/spufs/spufs.h).
 *
 * An SPU context (struct spu_context) is the SPU equivalent of a task: a directory in spufs
 * (/spu/NAME, made by spu_create(2)) whose files give access to its local store (mem), its
 * problem-state registers (psmap, cntl), its mailboxes and its next program counter. A context is
 * either RUNNABLE, bound to a physical SPE (ctx->spu, ctx->ops == &spu_hw_ops: every access goes
 * to the hardware), or SAVED in its context save area (ctx->csa, ctx->ops == &spu_backing_ops:
 * every access goes to the copy in memory). The SPU scheduler (sched.c) moves contexts between the
 * two with spu_bind_context/spu_unbind_context, which zap every user mapping of the context's
 * files first (spu_unmap_mappings -> unmap_mapping_range), so the next access faults and finds the
 * new backing (kernel-semantics.md 3.1).
 *
 * Locking (kernel-semantics.md 3.1), by era:
 * - 2.6.18-2.6.20: ctx->state_sema, an rwsem: spu_acquire/spu_release take it for reading;
 *   binding and unbinding take it for writing (spu_acquire_runnable, spu_acquire_saved).
 * - 2.6.21-2.6.24: ctx->state_mutex, a plain mutex (spu_acquire returns void).
 * - 2.6.25 onward: spu_acquire is mutex_lock_interruptible and can fail with -EINTR.
 * - 2.6.22 onward: ctx->mapping_lock protects the per-file address_space pointers, set on first
 *   open and cleared on last close (i_openers).
 * Bind and unbind always run with the state lock held for writing (or the mutex), so a fault
 * handler that holds it while it decides and installs a PFN (2.6.21+) cannot race a switch. */
#ifndef SPUFS_H
#define SPUFS_H

#include <linux/kernel.h>
#include <linux/version.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/rwsem.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/kref.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <asm/spu.h>
#include <asm/spu_csa.h>
#include <asm/spu_priv1.h>

/* The mapping sizes of the problem-state files. 2.6.18 mapped 0x4000 of every area. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 20)
#define SPUFS_PS_MAP_SIZE 0x20000
#define SPUFS_MFC_MAP_SIZE 0x1000
#define SPUFS_CNTL_MAP_SIZE 0x1000
#define SPUFS_SIGNAL_MAP_SIZE PAGE_SIZE
#define SPUFS_MSS_MAP_SIZE 0x1000
#else
#define SPUFS_CNTL_MAP_SIZE 0x4000
#define SPUFS_SIGNAL_MAP_SIZE 0x4000
#endif

enum spu_context_state {
	SPU_STATE_RUNNABLE,
	SPU_STATE_SAVED,
};

/* ctx->sched_flags bits. */
enum {
	SPU_SCHED_NOTIFY_ACTIVE,
	SPU_SCHED_WAS_ACTIVE,
	SPU_SCHED_SPU_RUN,	/* the context is in spu_run(2) */
};

#define MAX_PRIO 140
#define DEFAULT_PRIO 120
#define SCHED_NORMAL 0
#define SCHED_FIFO 1

/* Time slices in spusched ticks (sched.c; 2.6.22+ DEF_SPU_TIMESLICE is 100 ms of 10 ms ticks). */
#define SPUSCHED_TICK 1
#define MIN_SPU_TIMESLICE 1
#define DEF_SPU_TIMESLICE 4

struct spu_context_ops;

struct spu_context {
	struct spu *spu;			/* the physical SPU it is bound to, or NULL */
	struct spu_state csa;			/* the context save area */
	spinlock_t mmio_lock;			/* protects mmio access */
	struct address_space *local_store;	/* the mem file's mappings */
	struct address_space *cntl;		/* the cntl file's mappings */
	struct address_space *signal1;		/* signal1 */
	struct address_space *signal2;		/* signal2 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 20)
	struct address_space *psmap;		/* the psmap file's mappings */
#endif
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 22)
	struct mutex mapping_lock;		/* the address_space pointers above */
#endif
	enum spu_context_state state;
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 21)
	struct mutex state_mutex;
#else
	struct rw_semaphore state_sema;
#endif
	struct mutex run_mutex;			/* one spu_run at a time (2.6.18: run_sema) */
	struct mm_struct *owner;		/* the creator's address space, until the fd is closed */
	struct kref kref;
	wait_queue_head_t ibox_wq;
	wait_queue_head_t wbox_wq;
	wait_queue_head_t stop_wq;
	wait_queue_head_t run_wq;		/* woken when the context is bound (psmap faults wait here) */
	const struct spu_context_ops *ops;
	unsigned long flags;			/* SPU_CREATE_* */
	unsigned long sched_flags;		/* SPU_SCHED_* */
	u32 event_return;
	/* Scheduler (sched.c). */
	int prio;
	int policy;
	unsigned int time_slice;
	struct list_head rq;			/* on spu_prio->runq[prio] while waiting for an SPU */
	struct {
		unsigned long long vol_ctx_switch;
		unsigned long long invol_ctx_switch;
	} stats;
	/* Faultline: every context, for the harness and the Devices view. */
	struct list_head all;
	char name[32];				/* its spufs path, e.g. "/spu/ctxA" */
	int id;
};

/* The two ways to reach a context's state: the hardware (hw_ops.c) or the save area (backing_ops.c). */
struct spu_context_ops {
	int (*mbox_read)(struct spu_context *ctx, u32 *data);
	u32 (*mbox_stat_read)(struct spu_context *ctx);
	int (*wbox_write)(struct spu_context *ctx, u32 data);
	u32 (*signal1_read)(struct spu_context *ctx);
	void (*signal1_write)(struct spu_context *ctx, u32 data);
	u32 (*signal2_read)(struct spu_context *ctx);
	void (*signal2_write)(struct spu_context *ctx, u32 data);
	u32 (*npc_read)(struct spu_context *ctx);
	void (*npc_write)(struct spu_context *ctx, u32 data);
	u32 (*status_read)(struct spu_context *ctx);
	char *(*get_ls)(struct spu_context *ctx);
	u32 (*runcntl_read)(struct spu_context *ctx);
	void (*runcntl_write)(struct spu_context *ctx, u32 data);
};

extern const struct spu_context_ops spu_hw_ops;
extern const struct spu_context_ops spu_backing_ops;

struct spufs_inode_info {
	struct spu_context *i_ctx;
	int i_openers;
	struct inode vfs_inode;
};
#define SPUFS_I(inode) container_of(inode, struct spufs_inode_info, vfs_inode)

struct spufs_tree_descr {
	const char *name;
	const struct file_operations *ops;
	umode_t mode;
	size_t size;
};

extern const struct spufs_tree_descr spufs_dir_contents[];
extern const struct file_operations spufs_context_fops;
extern struct spufs_calls spufs_calls;

/* inode.c */
/* spu_create(2)'s work in the directory `path`, for the new name `dentry` (2.6.18:
 * spufs_create_thread): the new context's descriptor, or -errno. */
long spufs_create(struct path *path, struct dentry *dentry, unsigned int flags, umode_t mode);
/* The context of the spufs directory `path` names (for the harness), or NULL. */
struct spu_context *spufs_lookup_context(const char *path);

/* context.c */
struct spu_context *alloc_spu_context(void);
void destroy_spu_context(struct kref *kref);
struct spu_context *get_spu_context(struct spu_context *ctx);
int put_spu_context(struct spu_context *ctx);
void spu_forget(struct spu_context *ctx);
void spu_unmap_mappings(struct spu_context *ctx);
extern struct list_head spu_all_contexts;
extern struct mutex spu_all_contexts_mutex;

/* The state lock, by era (see the header). Macros, so that lock sites are the callers'. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 25)
#define spu_acquire(ctx) mutex_lock_interruptible(&(ctx)->state_mutex)
#define spu_release(ctx) mutex_unlock(&(ctx)->state_mutex)
/* The era's acquire as an int (0, or -EINTR when a signal interrupted it). */
#define spu_acquire_intr(ctx) spu_acquire(ctx)
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 21)
#define spu_acquire(ctx) mutex_lock(&(ctx)->state_mutex)
#define spu_release(ctx) mutex_unlock(&(ctx)->state_mutex)
#define spu_acquire_intr(ctx) ({ spu_acquire(ctx); 0; })
#else
#define spu_acquire(ctx) down_read(&(ctx)->state_sema)
#define spu_release(ctx) up_read(&(ctx)->state_sema)
#define spu_acquire_intr(ctx) ({ spu_acquire(ctx); 0; })
#endif
/* The lock for binding and unbinding (write side of state_sema in 2.6.18). */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 21)
#define spu_acquire_exclusive(ctx) mutex_lock(&(ctx)->state_mutex)
#define spu_release_exclusive(ctx) mutex_unlock(&(ctx)->state_mutex)
#else
#define spu_acquire_exclusive(ctx) down_write(&(ctx)->state_sema)
#define spu_release_exclusive(ctx) up_write(&(ctx)->state_sema)
#endif
/* Makes the context RUNNABLE (binding it, waiting for an SPE if none is free) and returns with the
 * state lock held; 0 or -errno (then the lock is not held). */
int spu_acquire_runnable(struct spu_context *ctx, unsigned long flags);
/* Makes the context SAVED and returns with the state lock held (2.6.25+: 0 or -EINTR). */
int spu_acquire_saved(struct spu_context *ctx);
void spu_release_saved(struct spu_context *ctx);

/*
 * spufs_wait: wait_event_interruptible on `wq` for `condition`, dropping the state lock while
 * asleep and taking it again when woken. 2.6.25+: a signal returns -ERESTARTSYS with the lock
 * NOT held (and an interrupted re-acquire returns its -EINTR, also without the lock); before, the
 * lock is held on return whatever happened. `ctx` must be in scope.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 25)
#define spufs_wait(wq, condition) ({						\
	int __ret = 0;								\
	DEFINE_WAIT(__wait);							\
	for (;;) {								\
		prepare_to_wait(&(wq), &__wait, TASK_INTERRUPTIBLE);		\
		if (condition)							\
			break;							\
		spu_release(ctx);						\
		if (signal_pending(current)) {					\
			__ret = -ERESTARTSYS;					\
			break;							\
		}								\
		schedule();							\
		__ret = spu_acquire(ctx);					\
		if (__ret)							\
			break;							\
	}									\
	finish_wait(&(wq), &__wait);						\
	__ret;									\
})
#else
#define spufs_wait(wq, condition) ({						\
	int __ret = 0;								\
	DEFINE_WAIT(__wait);							\
	for (;;) {								\
		prepare_to_wait(&(wq), &__wait, TASK_INTERRUPTIBLE);		\
		if (condition)							\
			break;							\
		if (!signal_pending(current)) {					\
			spu_release(ctx);					\
			schedule();						\
			spu_acquire(ctx);					\
			continue;						\
		}								\
		__ret = -ERESTARTSYS;						\
		break;								\
	}									\
	finish_wait(&(wq), &__wait);						\
	__ret;									\
})
#endif

/* sched.c */
int spu_activate(struct spu_context *ctx, unsigned long flags);
void spu_deactivate(struct spu_context *ctx);
void spu_yield(struct spu_context *ctx);
void spu_del_from_rq(struct spu_context *ctx);
void spu_set_timeslice(struct spu_context *ctx);
void spu_update_sched_info(struct spu_context *ctx);
int spu_sched_init(void);
void spu_sched_exit(void);
/* Faultline: the SPE an unbind/bind is forced on (sim_spu_context_switch); see sched.c. */
int spu_force_switch(int spe, struct spu_context *next);
/* Faultline's statistics of the scheduler, for views and tests. */
extern unsigned long spu_nr_switches;

/* run.c */
long spufs_run_spu(struct spu_context *ctx, u32 *npc, u32 *event);
void spufs_stop_callback(struct spu *spu, int irq);
void spufs_ibox_callback(struct spu *spu);
void spufs_wbox_callback(struct spu *spu);
void spufs_mfc_callback(struct spu *spu);
int spu_stopped(struct spu_context *ctx, u32 *stat);


#endif /* SPUFS_H */
