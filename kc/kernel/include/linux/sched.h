/* <linux/sched.h>: struct task_struct and `current`.
 *
 * One task_struct per thread, in kernel memory (kmalloc'd by copy_process; init_task is static). The
 * machine (src/kernel/proc/) runs each task on a KC CPU thread and knows which task a CPU is running:
 * `current` is the builtin __kc_get_current(), which returns the task of the calling CPU thread
 * (&init_task for the boot and idle threads). Scheduling state lives here and in the machine:
 * `__state` says whether the task may run (TASK_RUNNING) or sleeps; schedule() is a builtin that
 * gives the CPU away and returns once the task is TASK_RUNNING again (wake_up_process sets it).
 *
 * Process relationships follow Linux: `real_parent`/`parent`, the `children` list linked through
 * `sibling`, the thread group (`group_leader`, `thread_group` list; tgid = the leader's pid), and
 * exit states (EXIT_ZOMBIE until the parent reaps it with wait4, then EXIT_DEAD). */
#ifndef _LINUX_SCHED_H
#define _LINUX_SCHED_H

#include <linux/types.h>
#include <linux/list.h>
#include <linux/atomic.h>
#include <linux/spinlock_types.h>
#include <linux/signal_types.h>

struct mm_struct;
struct files_struct;
struct fs_struct;

/* Task states (task->__state). */
#define TASK_RUNNING		0x0000
#define TASK_INTERRUPTIBLE	0x0001
#define TASK_UNINTERRUPTIBLE	0x0002
#define __TASK_STOPPED		0x0004
#define __TASK_TRACED		0x0008
#define TASK_DEAD		0x0080
#define TASK_KILLABLE		(TASK_WAKEKILL | TASK_UNINTERRUPTIBLE)
#define TASK_WAKEKILL		0x0100

/* task->exit_state */
#define EXIT_DEAD		0x0010
#define EXIT_ZOMBIE		0x0020

/* task->flags */
#define PF_EXITING		0x00000004
#define PF_KTHREAD		0x00200000

#define TASK_COMM_LEN 16

struct task_struct {
	volatile long __state;		/* TASK_RUNNING, TASK_INTERRUPTIBLE, ... */
	unsigned int flags;		/* PF_* */
	int on_cpu;			/* the CPU running it, -1 when not running (the machine keeps it) */
	int exit_state;
	int exit_code;			/* wait status: (code << 8) | signal */
	int exit_signal;		/* signal sent to the parent at exit (SIGCHLD; -1 for threads) */
	pid_t pid;
	pid_t tgid;
	struct task_struct *real_parent;
	struct task_struct *parent;
	struct list_head children;	/* my children */
	struct list_head sibling;	/* link in my parent's children list */
	struct task_struct *group_leader;
	struct list_head thread_group;	/* the other threads of my thread group */
	struct list_head tasks;		/* every task, from init_task */
	struct mm_struct *mm;		/* NULL for kernel threads */
	struct mm_struct *active_mm;
	struct files_struct *files;
	struct sighand_struct *sighand;
	struct signal_struct *signal;
	sigset_t blocked;
	struct sigpending pending;	/* signals sent to this thread */
	unsigned long set_child_tid;	/* CLONE_CHILD_SETTID */
	unsigned long clear_child_tid;	/* CLONE_CHILD_CLEARTID: zeroed and woken at exit (pthread_join) */
	void *stack;			/* the task's kernel stack (its lowest address) */
	char comm[TASK_COMM_LEN];
	struct task_struct *ptrace_parent; /* the tracer (PTRACE_ATTACH), else NULL */
	unsigned int ptrace;
	atomic_t usage;			/* references: the running thread and the parent's reap (put_task_struct) */
	void *worker_private;		/* kernel threads: their struct kthread (kernel/kthread.c) */
};

extern struct task_struct init_task;

/* The task the calling CPU runs (src/kernel/proc: the machine's task table). */
struct task_struct *__kc_get_current(void);
#define current (__kc_get_current())
#define get_current() (__kc_get_current())

/* Gives the CPU to another task. Returns at once when current->__state is TASK_RUNNING (a yield);
 * otherwise returns after wake_up_process(current) (or a signal, for TASK_INTERRUPTIBLE). */
void schedule(void);
/* Makes a sleeping task TASK_RUNNING and runnable; 1 when it was asleep. */
int wake_up_process(struct task_struct *p);
/* sched_yield(): the policy picks who runs next. */
void yield(void);
#define cond_resched() do { } while (0)

#define set_current_state(state) do { current->__state = (state); } while (0)
#define __set_current_state(state) do { current->__state = (state); } while (0)

static inline pid_t task_pid_nr(struct task_struct *p)
{
	return p->pid;
}

static inline pid_t task_tgid_nr(struct task_struct *p)
{
	return p->tgid;
}

static inline int thread_group_leader(struct task_struct *p)
{
	return p->group_leader == p;
}

#endif /* _LINUX_SCHED_H */
