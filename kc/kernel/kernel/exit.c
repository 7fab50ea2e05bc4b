/* kernel/exit.c: how a task ends (do_exit), how a thread group ends (do_group_exit), and how a
 * parent collects a dead child (wait4).
 *
 * do_exit drops the address space (exit_mm → mmput: the last user unmaps everything with
 * exit_mmap), the files (exit_files), gives its children to the reaper (init), becomes a zombie
 * (or is reaped at once when the parent ignores SIGCHLD, and always for non-leader threads),
 * notifies the parent with its exit_signal, and ends its CPU thread (__kc_task_dead). The zombie's
 * wait status is exit_code: (status << 8) for exit(status), the signal number for a signal death.
 *
 * References (task->usage): one for the running thread (dropped by the machine once the thread has
 * ended, through release_task_thread) and one for the reap (dropped by release_task). The task
 * struct and its kernel stack are freed when both are gone. */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/slab.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/spinlock.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/uaccess.h>

/* mm/mmap.c: drops a user of the address space; the last one tears it down. */
void mmput(struct mm_struct *mm);
/* fs/file.c: drops the task's file table. */
void exit_files(struct task_struct *tsk);
/* kernel/futex.c */
int futex_wake_private(u32 __user *uaddr, int nr_wake);

#define WNOHANG 0x00000001
#define WUNTRACED 0x00000002
#define __WALL 0x40000000
#define __WCLONE 0x80000000

#define THREAD_SIZE_ORDER 2

/* The task that adopts orphans (init, pid 1), set when the first process is created. */
struct task_struct *child_reaper;

void __put_task_struct(struct task_struct *t)
{
	if (t == &init_task)
		return;
	if (t->stack)
		free_pages((unsigned long)t->stack, THREAD_SIZE_ORDER);
	if (t->flags & PF_KTHREAD)
		kfree(t->worker_private);	/* struct kthread (kernel/kthread.c) */
	kfree(t);
}

/*
 * Called by the machine once the task's CPU thread has ended and its CPU left the task's page
 * tables: finish_task_switch for a dead task. Drops the lazy active_mm reference exit_mm took
 * (mmdrop may free the pgd only now) and the thread's task reference.
 */
void release_task_thread(struct task_struct *p)
{
	struct mm_struct *mm = p->active_mm;

	if (mm && mm != &init_mm && !p->mm) {
		p->active_mm = NULL;
		mmdrop(mm);
	}
	put_task_struct(p);
}

/* Unlinks p from the task lists (tasklist_lock and the group's siglock, as __exit_signal). */
static void __unhash_process(struct task_struct *p)
{
	spin_lock(&tasklist_lock);
	list_del_init(&p->tasks);
	if (thread_group_leader(p)) {
		list_del_init(&p->sibling);
	} else {
		spin_lock(&p->sighand->siglock);
		list_del_init(&p->thread_group);
		spin_unlock(&p->sighand->siglock);
	}
	spin_unlock(&tasklist_lock);
}

void release_task(struct task_struct *p)
{
	struct sighand_struct *sighand = p->sighand;
	struct signal_struct *sig = p->signal;
	int last_thread;

	p->exit_state = EXIT_DEAD;
	__unhash_process(p);
	flush_signals(p);
	last_thread = atomic_dec_and_test(&sig->live);
	if (atomic_dec_and_test(&sighand->count))
		kfree(sighand);
	if (last_thread)
		kfree(sig);
	p->sighand = NULL;
	p->signal = NULL;
	put_task_struct(p);
}

/* mm_release: the CLONE_CHILD_CLEARTID word is zeroed and its futex woken (pthread_join). */
static void mm_release(struct task_struct *tsk, struct mm_struct *mm)
{
	if (tsk->clear_child_tid) {
		u32 zero = 0;

		if (atomic_read(&mm->mm_users) > 1 && !put_user(zero, (u32 __user *)tsk->clear_child_tid))
			futex_wake_private((u32 __user *)tsk->clear_child_tid, 1);
		tsk->clear_child_tid = 0;
	}
}

static void exit_mm(void)
{
	struct mm_struct *mm = current->mm;

	if (!mm)
		return;
	mm_release(current, mm);
	/*
	 * The CPU keeps running on mm's page tables until the task switches away (lazy TLB): hold the
	 * mm_struct and its pgd (mm_count) as active_mm, so that mmput freeing the address space
	 * cannot free the pgd under the running task; release_task_thread drops it.
	 */
	mmgrab(mm);
	current->mm = NULL;
	mmput(mm);
}

/* Gives father's children to the reaper (tasklist_lock held). Zombies the reaper reaps at once
 * are marked EXIT_DEAD and moved to `dead`, for release_task once the lock is dropped. */
static void reparent_children(struct task_struct *father, struct list_head *dead)
{
	struct task_struct *p;
	struct task_struct *n;
	struct task_struct *reaper = child_reaper ? child_reaper : &init_task;

	if (reaper == father)
		reaper = &init_task;
	list_for_each_entry_safe(p, n, &father->children, sibling) {
		p->real_parent = reaper;
		p->parent = reaper;
		if (p->exit_state == EXIT_ZOMBIE && do_notify_parent(p, p->exit_signal)) {
			p->exit_state = EXIT_DEAD;
			list_move_tail(&p->sibling, dead);
		} else {
			list_move_tail(&p->sibling, &reaper->children);
		}
	}
}

/* True when every thread of the group but `tsk` has exited (tasklist_lock held). */
static int thread_group_empty_but(struct task_struct *tsk)
{
	struct task_struct *leader = tsk->group_leader;
	struct task_struct *t;

	if (leader != tsk && !leader->exit_state)
		return 0;
	list_for_each_entry(t, &leader->thread_group, thread_group) {
		if (t != tsk && !t->exit_state)
			return 0;
	}
	return 1;
}

static void exit_notify(struct task_struct *tsk)
{
	struct task_struct *leader = tsk->group_leader;
	struct task_struct *reap_leader = NULL;
	struct task_struct *p, *n;
	LIST_HEAD(dead);
	int autoreap = 0;

	spin_lock(&tasklist_lock);
	reparent_children(tsk, &dead);
	if (thread_group_leader(tsk)) {
		/* A leader whose threads still run stays a zombie without notifying: the last thread
		 * notifies for it (delay_group_leader). */
		if (thread_group_empty_but(tsk))
			autoreap = do_notify_parent(tsk, tsk->exit_signal);
		tsk->exit_state = autoreap ? EXIT_DEAD : EXIT_ZOMBIE;
	} else {
		autoreap = 1;
		tsk->exit_state = EXIT_DEAD;
		if (leader->exit_state == EXIT_ZOMBIE && thread_group_empty_but(tsk)) {
			if (do_notify_parent(leader, leader->exit_signal)) {
				leader->exit_state = EXIT_DEAD;
				reap_leader = leader;
			}
		}
	}
	if (tsk->parent)
		wake_up_process(tsk->parent);
	if (leader != tsk && leader->parent)
		wake_up_process(leader->parent);
	spin_unlock(&tasklist_lock);
	/* release_task takes tasklist_lock itself. */
	list_for_each_entry_safe(p, n, &dead, sibling)
		release_task(p);
	if (reap_leader)
		release_task(reap_leader);
	if (autoreap)
		release_task(tsk);
}

void do_exit(long code)
{
	struct task_struct *tsk = current;

	if (tsk->flags & PF_EXITING) {
		/* Recursive fault while exiting: stop here. */
		tsk->__state = TASK_DEAD;
		__kc_task_dead();
	}
	tsk->flags |= PF_EXITING;
	exit_ptrace(tsk);
	exit_mm();
	if (tsk->files)
		exit_files(tsk);
	tsk->exit_code = code;
	exit_notify(tsk);
	tsk->__state = TASK_DEAD;
	__kc_task_dead();
}

void make_task_dead(int signr)
{
	do_exit(signr);
}

void do_group_exit(int exit_code)
{
	struct signal_struct *sig = current->signal;
	struct task_struct *leader = current->group_leader;
	struct task_struct *t;

	if (sig->flags & SIGNAL_GROUP_EXIT) {
		exit_code = sig->group_exit_code;
	} else {
		sig->flags |= SIGNAL_GROUP_EXIT;
		sig->group_exit_code = exit_code;
		/* zap_other_threads (under siglock): every other thread gets SIGKILL. */
		spin_lock(&current->sighand->siglock);
		if (leader != current && !leader->exit_state) {
			leader->pending.signal.sig[0] |= sigmask(SIGKILL);
			recalc_sigpending_tsk(leader);
			wake_up_process(leader);
		}
		list_for_each_entry(t, &leader->thread_group, thread_group) {
			if (t == current || t->exit_state)
				continue;
			t->pending.signal.sig[0] |= sigmask(SIGKILL);
			recalc_sigpending_tsk(t);
			wake_up_process(t);
		}
		spin_unlock(&current->sighand->siglock);
	}
	do_exit(exit_code);
}

long sys_exit(int error_code)
{
	do_exit((error_code & 0xff) << 8);
}

long sys_exit_group(int error_code)
{
	do_group_exit((error_code & 0xff) << 8);
}

/* Whether child p is one that wait4(pid) asks about. */
static int eligible_child(pid_t pid, struct task_struct *p)
{
	if (pid > 0)
		return p->pid == pid;
	return 1;
}

long kernel_wait4(pid_t upid, int __user *stat_addr, int options, void __user *ru)
{
	struct task_struct *tsk = current->group_leader;
	struct task_struct *p;
	struct task_struct *t;

	if (options & ~(WNOHANG | WUNTRACED | __WALL | __WCLONE | 8 /* WEXITED */))
		return -EINVAL;
	for (;;) {
		struct task_struct *reap = NULL;
		int have_children = 0;
		pid_t pid = 0;
		int status = 0;

		set_current_state(TASK_INTERRUPTIBLE);
		spin_lock(&tasklist_lock);
		/* Children of every thread of the group count (do_wait walks the thread group). */
		t = tsk;
		do {
			list_for_each_entry(p, &t->children, sibling) {
				if (!eligible_child(upid, p))
					continue;
				have_children = 1;
				if (p->exit_state == EXIT_ZOMBIE && thread_group_empty_but(p)) {
					/* wait_task_zombie: claim it under the lock, reap it after. */
					p->exit_state = EXIT_DEAD;
					reap = p;
					pid = p->pid;
					status = p->exit_code;
					goto found;
				}
			}
			t = list_entry(t->thread_group.next, struct task_struct, thread_group);
		} while (t != tsk);
		/* Tracees stopped for us (ptrace_stop): reported once as stopped by their signal. */
		list_for_each_entry(p, &init_task.tasks, tasks) {
			if (!p->ptrace_parent || p->ptrace_parent->group_leader != tsk || !eligible_child(upid, p))
				continue;
			have_children = 1;
			if ((p->__state & __TASK_TRACED) && p->exit_code && !p->exit_state) {
				pid = p->pid;
				status = (p->exit_code << 8) | 0x7f;
				/* Reported: a second wait does not see this stop again (wait_task_stopped
				 * clears the code; PTRACE_CONT puts the signal to deliver there). */
				p->exit_code = 0;
				goto found;
			}
		}
		spin_unlock(&tasklist_lock);
		if (!have_children) {
			__set_current_state(TASK_RUNNING);
			return -ECHILD;
		}
		if (options & WNOHANG) {
			__set_current_state(TASK_RUNNING);
			return 0;
		}
		if (signal_pending(current)) {
			__set_current_state(TASK_RUNNING);
			return -EINTR;
		}
		schedule();
		continue;
found:
		spin_unlock(&tasklist_lock);
		__set_current_state(TASK_RUNNING);
		if (reap)
			release_task(reap);
		if (stat_addr && put_user(status, stat_addr))
			return -EFAULT;
		return pid;
	}
}

long sys_wait4(pid_t upid, int __user *stat_addr, int options, void __user *ru)
{
	return kernel_wait4(upid, stat_addr, options, ru);
}
