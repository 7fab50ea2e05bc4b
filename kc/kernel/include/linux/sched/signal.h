/* <linux/sched/signal.h>: sending and taking signals (kernel/signal.c), the process life cycle
 * (kernel/fork.c, kernel/exit.c) and the arch hooks of signal delivery (arch/x86/entry/common.c). */
#ifndef _LINUX_SCHED_SIGNAL_H
#define _LINUX_SCHED_SIGNAL_H

#include <linux/sched.h>
#include <linux/signal_types.h>

/* A signal about to be handled by a user handler (get_signal's answer). */
struct ksignal {
	struct k_sigaction ka;
	kernel_siginfo_t info;
	int sig;
};

/* 1 when the task has an unblocked signal pending (or its group is exiting). */
int signal_pending(struct task_struct *p);
int fatal_signal_pending(struct task_struct *p);
/* Recomputes the machine's "signal pending" flag of the task (TIF_SIGPENDING). */
void recalc_sigpending_tsk(struct task_struct *t);
void recalc_sigpending(void);

int send_sig_info(int sig, kernel_siginfo_t *info, struct task_struct *p);
int send_sig(int sig, struct task_struct *p, int priv);
int group_send_sig_info(int sig, kernel_siginfo_t *info, struct task_struct *p);
/* Signals the current thread for a fault it took (SIGSEGV/SIGBUS with si_code and si_addr); an
 * ignored or blocked signal is unblocked and reset to the default action, as the kernel must
 * deliver it. */
int force_sig_fault(int sig, int code, void __user *addr);
void force_sig(int sig);
/* Dequeues the next signal to deliver to current; takes default actions (a fatal one does not
 * return). Returns 1 with *ksig filled when a user handler must run, else 0. */
int get_signal(struct ksignal *ksig);
/* Notifies the parent of a dead child (SIGCHLD); returns 1 when the child should be reaped at once
 * (the parent ignores SIGCHLD). */
int do_notify_parent(struct task_struct *tsk, int sig);
struct sighand_struct *alloc_sighand(void);
struct signal_struct *alloc_signal(void);
void flush_signals(struct task_struct *t);
void init_sigpending(struct sigpending *sig);

struct task_struct *find_task_by_vpid(pid_t nr);

/* kernel/exit.c */
void do_exit(long code) __attribute__((noreturn));
void do_group_exit(int exit_code) __attribute__((noreturn));
void make_task_dead(int signr) __attribute__((noreturn));
void release_task(struct task_struct *p);

/* kernel/fork.c */
pid_t kernel_clone(unsigned long clone_flags, unsigned long stack, int __user *parent_tid, int __user *child_tid, unsigned long tls);

/* The machine (src/kernel/proc): */
/* The task's thread ends: its CPU thread finishes and is never scheduled again. */
void __kc_task_dead(void) __attribute__((noreturn));
/* TIF_SIGPENDING: tells the machine to enter exit_to_user_mode before the task runs user code. */
void __kc_set_sigpending(struct task_struct *t, int pending);
/* Arranges for the current thread to call `handler(sig, info, uc)` in user mode on its way out of
 * the kernel (setup_rt_frame wrote the frame at info/uc). */
void __kc_signal_deliver(void *handler, int sig, void __user *info, void __user *uc);
/* copy_thread: gives task p a CPU thread: a copy of the calling thread's user context returning 0
 * from the system call (fork), or a new thread starting in the libc's clone start routine on
 * `stack` (the user function and argument come from the libc's __kc_clone call). 0 or -errno. */
int __kc_copy_thread(struct task_struct *p, unsigned long clone_flags, unsigned long stack, unsigned long tls);

/* kernel/ptrace.c: a traced task stops for its tracer; returns the signal to deliver (0: none). */
int ptrace_signal(int signr);
/* kernel/ptrace.c: a dying tracer releases its tracees. */
void exit_ptrace(struct task_struct *tracer);

#endif /* _LINUX_SCHED_SIGNAL_H */
