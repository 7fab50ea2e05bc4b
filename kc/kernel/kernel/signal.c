/* kernel/signal.c: sending, queueing and taking signals.
 *
 * Pending signals are bit sets per thread (task->pending) and per thread group
 * (signal->shared_pending), with a queue of siginfo records (one per standard signal: a signal
 * already pending is not queued twice). The machine learns that a task has something to deliver
 * through recalc_sigpending_tsk (the TIF_SIGPENDING flag of x86), and calls exit_to_user_mode
 * (arch/x86/entry/common.c) before the task runs user code again: after a system call, after a
 * fault, or when a preempted task is resumed. get_signal then picks the lowest-numbered unblocked
 * signal and either returns it for a user handler or takes the default action. Faultline has no
 * job control: stop signals are ignored; no core dumps are written (RLIMIT_CORE 0), so the wait
 * status of a signal death carries no 0x80 flag. */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/spinlock.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/uaccess.h>

#define SIG_KERNEL_IGNORE_MASK (sigmask(SIGCHLD) | sigmask(SIGCONT) | sigmask(23) | sigmask(28))
#define SIG_KERNEL_STOP_MASK (sigmask(SIGSTOP) | sigmask(SIGTSTP) | sigmask(21) | sigmask(22))
#define SIG_KERNEL_ONLY_MASK (sigmask(SIGKILL) | sigmask(SIGSTOP))

#define SIG_BLOCK 0
#define SIG_UNBLOCK 1
#define SIG_SETMASK 2

void init_sigpending(struct sigpending *sig)
{
	sig->signal.sig[0] = 0;
	INIT_LIST_HEAD(&sig->list);
}

struct sighand_struct *alloc_sighand(void)
{
	struct sighand_struct *sighand = kzalloc(sizeof(*sighand), GFP_KERNEL);

	if (!sighand)
		return NULL;
	atomic_set(&sighand->count, 1);
	spin_lock_init(&sighand->siglock);
	return sighand;
}

struct signal_struct *alloc_signal(void)
{
	struct signal_struct *sig = kzalloc(sizeof(*sig), GFP_KERNEL);

	if (!sig)
		return NULL;
	atomic_set(&sig->live, 1);
	init_sigpending(&sig->shared_pending);
	return sig;
}

static unsigned long pending_mask(struct task_struct *t)
{
	unsigned long bits = t->pending.signal.sig[0];

	if (t->signal)
		bits |= t->signal->shared_pending.signal.sig[0];
	return bits & ~t->blocked.sig[0];
}

int signal_pending(struct task_struct *p)
{
	if (p->signal && (p->signal->flags & SIGNAL_GROUP_EXIT))
		return 1;
	return pending_mask(p) != 0;
}

int fatal_signal_pending(struct task_struct *p)
{
	if (p->signal && (p->signal->flags & SIGNAL_GROUP_EXIT))
		return 1;
	return (p->pending.signal.sig[0] & sigmask(SIGKILL)) != 0;
}

void recalc_sigpending_tsk(struct task_struct *t)
{
	__kc_set_sigpending(t, signal_pending(t));
}

void recalc_sigpending(void)
{
	recalc_sigpending_tsk(current);
}

static void flush_sigqueue(struct sigpending *queue)
{
	while (!list_empty(&queue->list)) {
		struct sigqueue *q = list_first_entry(&queue->list, struct sigqueue, list);

		list_del(&q->list);
		kfree(q);
	}
	queue->signal.sig[0] = 0;
}

void flush_signals(struct task_struct *t)
{
	flush_sigqueue(&t->pending);
	if (t->signal)
		flush_sigqueue(&t->signal->shared_pending);
	recalc_sigpending_tsk(t);
}

static int sig_handler_ignored(struct task_struct *t, int sig)
{
	void *handler = t->sighand->action[sig - 1].sa.sa_handler;

	if (handler == SIG_IGN)
		return 1;
	return handler == SIG_DFL && (sigmask(sig) & (SIG_KERNEL_IGNORE_MASK | SIG_KERNEL_STOP_MASK));
}

/* Wakes the thread so it notices the signal: an interruptible sleep ends, and SIGKILL also ends a
 * killable one. */
static void signal_wake_up(struct task_struct *t, int fatal)
{
	recalc_sigpending_tsk(t);
	if ((t->__state & TASK_INTERRUPTIBLE) || (fatal && (t->__state & TASK_WAKEKILL)))
		wake_up_process(t);
}

/* The thread of t's group that should take a group-wide signal: t if it does not block it, else the
 * first thread that does not (complete_signal's choice). */
static struct task_struct *signal_target(struct task_struct *t, int sig)
{
	struct task_struct *leader = t->group_leader;
	struct task_struct *it;

	if (!(t->blocked.sig[0] & sigmask(sig)))
		return t;
	if (!(leader->blocked.sig[0] & sigmask(sig)))
		return leader;
	list_for_each_entry(it, &leader->thread_group, thread_group) {
		if (!(it->blocked.sig[0] & sigmask(sig)))
			return it;
	}
	return t;
}

static int __send_signal(int sig, kernel_siginfo_t *info, struct task_struct *t, int group)
{
	struct sigpending *pending = group ? &t->signal->shared_pending : &t->pending;
	struct sigqueue *q;
	struct task_struct *target;
	struct task_struct *it;

	/* An ignored signal is dropped, unless the task is traced (its tracer sees every signal, as
	 * sig_ignored says). Stop signals count as ignored: no job control, only ptrace stops. */
	if (!t->ptrace && sig_handler_ignored(t, sig) && !(t->blocked.sig[0] & sigmask(sig)))
		return 0;
	/* Standard signals do not queue: a second one while the first is pending is lost. */
	if (pending->signal.sig[0] & sigmask(sig))
		return 0;
	q = kzalloc(sizeof(*q), GFP_ATOMIC);
	if (q) {
		q->info = *info;
		list_add_tail(&q->list, &pending->list);
	}
	pending->signal.sig[0] |= sigmask(sig);
	if (sig == SIGKILL && group) {
		/* SIGKILL takes the whole group down: every thread gets it. */
		t->signal->flags |= SIGNAL_GROUP_EXIT;
		t->signal->group_exit_code = SIGKILL;
		signal_wake_up(t->group_leader, 1);
		list_for_each_entry(it, &t->group_leader->thread_group, thread_group)
			signal_wake_up(it, 1);
		return 0;
	}
	target = group ? signal_target(t, sig) : t;
	signal_wake_up(target, sig == SIGKILL);
	return 0;
}

int send_sig_info(int sig, kernel_siginfo_t *info, struct task_struct *p)
{
	int ret;

	if (sig <= 0 || sig > _NSIG)
		return -EINVAL;
	spin_lock(&p->sighand->siglock);
	ret = __send_signal(sig, info, p, 0);
	spin_unlock(&p->sighand->siglock);
	return ret;
}

int group_send_sig_info(int sig, kernel_siginfo_t *info, struct task_struct *p)
{
	int ret;

	if (sig <= 0 || sig > _NSIG)
		return -EINVAL;
	if (p->exit_state)
		return 0;
	spin_lock(&p->sighand->siglock);
	ret = __send_signal(sig, info, p, 1);
	spin_unlock(&p->sighand->siglock);
	return ret;
}

int send_sig(int sig, struct task_struct *p, int priv)
{
	kernel_siginfo_t info;

	memset(&info, 0, sizeof(info));
	info.si_signo = sig;
	info.si_code = priv ? SI_KERNEL : SI_USER;
	return send_sig_info(sig, &info, p);
}

/* force_sig_info_to_task: the signal must get through, so a blocked or ignored one is unblocked
 * and its action reset to the default. */
static int force_sig_info(kernel_siginfo_t *info)
{
	struct task_struct *t = current;
	int sig = info->si_signo;
	struct k_sigaction *action;
	int ret;

	/* Kernel threads (init_task on a machine without processes) take no signals. */
	if (!t->sighand || !t->signal)
		return -ESRCH;
	action = &t->sighand->action[sig - 1];
	spin_lock(&t->sighand->siglock);
	if (action->sa.sa_handler == SIG_IGN || (t->blocked.sig[0] & sigmask(sig))) {
		if (action->sa.sa_handler == SIG_IGN)
			action->sa.sa_handler = SIG_DFL;
		t->blocked.sig[0] &= ~sigmask(sig);
	}
	ret = __send_signal(sig, info, t, 0);
	spin_unlock(&t->sighand->siglock);
	return ret;
}

int force_sig_fault(int sig, int code, void __user *addr)
{
	kernel_siginfo_t info;

	memset(&info, 0, sizeof(info));
	info.si_signo = sig;
	info.si_code = code;
	info._sifields.sigfault.si_addr = addr;
	return force_sig_info(&info);
}

void force_sig(int sig)
{
	kernel_siginfo_t info;

	memset(&info, 0, sizeof(info));
	info.si_signo = sig;
	info.si_code = SI_KERNEL;
	force_sig_info(&info);
}

/* Takes the lowest-numbered unblocked signal off `pending` into *info; 0 when there is none. */
static int dequeue_from(struct sigpending *pending, sigset_t *mask, kernel_siginfo_t *info)
{
	unsigned long bits = pending->signal.sig[0] & ~mask->sig[0];
	struct sigqueue *q;
	int sig;

	if (!bits)
		return 0;
	for (sig = 1; sig <= _NSIG; sig++)
		if (bits & sigmask(sig))
			break;
	pending->signal.sig[0] &= ~sigmask(sig);
	memset(info, 0, sizeof(*info));
	info->si_signo = sig;
	list_for_each_entry(q, &pending->list, list) {
		if (q->info.si_signo == sig) {
			*info = q->info;
			list_del(&q->list);
			kfree(q);
			break;
		}
	}
	return sig;
}

static int dequeue_signal(struct task_struct *t, kernel_siginfo_t *info)
{
	int sig = dequeue_from(&t->pending, &t->blocked, info);

	if (!sig)
		sig = dequeue_from(&t->signal->shared_pending, &t->blocked, info);
	return sig;
}

int get_signal(struct ksignal *ksig)
{
	struct task_struct *t = current;
	struct sighand_struct *sighand = t->sighand;

	for (;;) {
		struct k_sigaction *ka;
		int sig;

		if (t->signal->flags & SIGNAL_GROUP_EXIT)
			do_exit(t->signal->group_exit_code);
		spin_lock(&sighand->siglock);
		sig = dequeue_signal(t, &ksig->info);
		if (!sig) {
			spin_unlock(&sighand->siglock);
			recalc_sigpending_tsk(t);
			return 0;
		}
		if (t->ptrace && sig != SIGKILL) {
			/* A traced task stops and lets its tracer decide (ptrace_signal). */
			int orig = sig;

			spin_unlock(&sighand->siglock);
			sig = ptrace_signal(sig);
			if (!sig)
				continue;
			if (sig != orig)
				ksig->info.si_signo = sig;
			spin_lock(&sighand->siglock);
		}
		ka = &sighand->action[sig - 1];
		if (ka->sa.sa_handler == SIG_IGN) {
			spin_unlock(&sighand->siglock);
			continue;
		}
		if (ka->sa.sa_handler != SIG_DFL) {
			ksig->ka = *ka;
			ksig->sig = sig;
			if (ka->sa.sa_flags & SA_RESETHAND)
				ka->sa.sa_handler = SIG_DFL;
			spin_unlock(&sighand->siglock);
			return 1;
		}
		spin_unlock(&sighand->siglock);
		if (sigmask(sig) & (SIG_KERNEL_IGNORE_MASK | SIG_KERNEL_STOP_MASK))
			continue;
		/* The default action of every other signal kills the whole thread group. */
		do_group_exit(sig);
	}
}

int do_notify_parent(struct task_struct *tsk, int sig)
{
	struct task_struct *parent = tsk->parent;
	struct sighand_struct *psig = parent->sighand;
	kernel_siginfo_t info;
	int autoreap = 0;

	memset(&info, 0, sizeof(info));
	info.si_signo = sig;
	info._sifields.sigchld.si_pid = tsk->pid;
	if (tsk->exit_code & 0x7f) {
		info.si_code = CLD_KILLED;
		info._sifields.sigchld.si_status = tsk->exit_code & 0x7f;
	} else {
		info.si_code = CLD_EXITED;
		info._sifields.sigchld.si_status = tsk->exit_code >> 8;
	}
	/* A parent that ignores SIGCHLD, and init_task (no handlers at all), reap at once. */
	if (!psig || psig->action[SIGCHLD - 1].sa.sa_handler == SIG_IGN)
		autoreap = 1;
	if (psig && sig > 0)
		group_send_sig_info(sig, &info, parent);
	return autoreap;
}

struct task_struct *find_task_by_vpid(pid_t nr)
{
	struct task_struct *p;
	struct task_struct *found = NULL;

	spin_lock(&tasklist_lock);
	list_for_each_entry(p, &init_task.tasks, tasks) {
		if (p->pid == nr && !(p->exit_state & EXIT_DEAD)) {
			found = p;
			break;
		}
	}
	spin_unlock(&tasklist_lock);
	return found;
}

static kernel_siginfo_t user_siginfo(int sig)
{
	kernel_siginfo_t info;

	memset(&info, 0, sizeof(info));
	info.si_signo = sig;
	info.si_code = SI_USER;
	info._sifields.kill.si_pid = current->tgid;
	return info;
}

long sys_kill(pid_t pid, int sig)
{
	kernel_siginfo_t info = user_siginfo(sig);
	struct task_struct *p;
	int found = 0;

	if (sig < 0 || sig > _NSIG)
		return -EINVAL;
	if (pid > 0) {
		p = find_task_by_vpid(pid);
		if (!p || p->exit_state)
			return -ESRCH;
		return sig ? group_send_sig_info(sig, &info, p->group_leader) : 0;
	}
	/* pid 0 (our process group), -1 (everyone we may signal) and -pgrp: Faultline has one
	 * session and one process group, so each means every process but init (and, for -1, us). */
	spin_lock(&tasklist_lock);
	list_for_each_entry(p, &init_task.tasks, tasks) {
		if (p->pid <= 0 || !thread_group_leader(p) || p->exit_state || (p->flags & PF_KTHREAD))
			continue;
		if (pid == -1 && p->tgid == current->tgid)
			continue;
		found = 1;
		if (sig)
			group_send_sig_info(sig, &info, p);
	}
	spin_unlock(&tasklist_lock);
	return found ? 0 : -ESRCH;
}

long sys_tgkill(pid_t tgid, pid_t pid, int sig)
{
	kernel_siginfo_t info = user_siginfo(sig);
	struct task_struct *p;

	if (pid <= 0 || tgid <= 0 || sig < 0 || sig > _NSIG)
		return -EINVAL;
	p = find_task_by_vpid(pid);
	if (!p || p->tgid != tgid || p->exit_state)
		return -ESRCH;
	return sig ? send_sig_info(sig, &info, p) : 0;
}

long sys_tkill(pid_t pid, int sig)
{
	struct task_struct *p = pid > 0 ? find_task_by_vpid(pid) : NULL;

	if (pid <= 0)
		return -EINVAL;
	if (!p)
		return -ESRCH;
	return sys_tgkill(p->tgid, pid, sig);
}

long sys_rt_sigaction(int sig, const struct sigaction __user *act, struct sigaction __user *oact, size_t sigsetsize)
{
	struct k_sigaction *k;
	struct sigaction new_sa;
	struct sigaction old_sa;

	if (sigsetsize != sizeof(sigset_t))
		return -EINVAL;
	if (sig < 1 || sig > _NSIG || (act && (sigmask(sig) & SIG_KERNEL_ONLY_MASK)))
		return -EINVAL;
	if (act && copy_from_user(&new_sa, act, sizeof(new_sa)))
		return -EFAULT;
	k = &current->sighand->action[sig - 1];
	spin_lock(&current->sighand->siglock);
	old_sa = k->sa;
	if (act) {
		new_sa.sa_mask.sig[0] &= ~SIG_KERNEL_ONLY_MASK;
		k->sa = new_sa;
		/* POSIX: setting SIG_IGN (or SIG_DFL for an ignored-by-default signal) discards it. */
		if (sig_handler_ignored(current, sig)) {
			current->pending.signal.sig[0] &= ~sigmask(sig);
			current->signal->shared_pending.signal.sig[0] &= ~sigmask(sig);
		}
	}
	spin_unlock(&current->sighand->siglock);
	if (oact && copy_to_user(oact, &old_sa, sizeof(old_sa)))
		return -EFAULT;
	return 0;
}

long sys_rt_sigprocmask(int how, sigset_t __user *nset, sigset_t __user *oset, size_t sigsetsize)
{
	sigset_t old = current->blocked;
	sigset_t set;

	if (sigsetsize != sizeof(sigset_t))
		return -EINVAL;
	if (nset) {
		if (copy_from_user(&set, nset, sizeof(set)))
			return -EFAULT;
		set.sig[0] &= ~SIG_KERNEL_ONLY_MASK;
		switch (how) {
		case SIG_BLOCK:
			current->blocked.sig[0] |= set.sig[0];
			break;
		case SIG_UNBLOCK:
			current->blocked.sig[0] &= ~set.sig[0];
			break;
		case SIG_SETMASK:
			current->blocked = set;
			break;
		default:
			return -EINVAL;
		}
		recalc_sigpending();
	}
	if (oset && copy_to_user(oset, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

long sys_pause(void)
{
	while (!signal_pending(current)) {
		set_current_state(TASK_INTERRUPTIBLE);
		schedule();
	}
	return -EINTR;
}
