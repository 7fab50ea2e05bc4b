/* arch/x86/entry/common.c: the C side of the system-call entry and of the return to user mode.
 *
 * The user's libc enters through the `__kc_syscall` builtin (the SYSCALL instruction), which calls
 * do_syscall_64(nr, args...) here on the task's kernel stack: the number indexes sys_call_table
 * (arch/x86/entry/syscall_64.c); an unknown number gives -ENOSYS. On the way back, and after a page
 * fault or a preemption, the machine calls exit_to_user_mode when the task has a signal pending:
 * get_signal takes default actions itself (a fatal signal never returns) and hands back a signal to
 * deliver to a user handler; setup_rt_frame writes its siginfo into the signal frame the machine
 * chose in user memory (`frame`: siginfo at +0, a small kernel-private ucontext at +128 holding the
 * blocked mask to restore) and tells the machine to call the handler. When the handler returns, the
 * machine calls signal_return(frame), which is what rt_sigreturn does. */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/string.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/uaccess.h>
#include <asm/unistd_64.h>

typedef long (*sys_call_ptr_t)(unsigned long, unsigned long, unsigned long, unsigned long, unsigned long, unsigned long);

#define NR_syscalls 336
extern const sys_call_ptr_t sys_call_table[NR_syscalls];

/* Bytes of the signal frame: siginfo, then the ucontext. */
#define SIGFRAME_INFO 0
#define SIGFRAME_UC 128

long do_syscall_64(unsigned long nr, unsigned long a0, unsigned long a1, unsigned long a2, unsigned long a3, unsigned long a4, unsigned long a5)
{
	sys_call_ptr_t fn;

	if (nr >= NR_syscalls)
		return -ENOSYS;
	fn = sys_call_table[nr];
	if (!fn)
		return -ENOSYS;
	return fn(a0, a1, a2, a3, a4, a5);
}

/* Writes the frame, blocks what the handler's sa_mask (and the signal itself) say, and asks the
 * machine to call the handler. A frame that cannot be written kills the task with SIGSEGV, as a
 * bad signal stack does in Linux. */
static int setup_rt_frame(struct ksignal *ksig, unsigned long frame)
{
	struct task_struct *t = current;
	sigset_t saved = t->blocked;

	if (copy_to_user((void __user *)(frame + SIGFRAME_INFO), &ksig->info, sizeof(ksig->info)) ||
	    clear_user((void __user *)(frame + SIGFRAME_UC), 128) ||
	    copy_to_user((void __user *)(frame + SIGFRAME_UC), &saved, sizeof(saved)))
		return -EFAULT;
	t->blocked.sig[0] |= ksig->ka.sa.sa_mask.sig[0];
	if (!(ksig->ka.sa.sa_flags & SA_NODEFER))
		t->blocked.sig[0] |= sigmask(ksig->sig);
	recalc_sigpending();
	__kc_signal_deliver(ksig->ka.sa.sa_handler, ksig->sig, (void __user *)(frame + SIGFRAME_INFO), (void __user *)(frame + SIGFRAME_UC));
	return 0;
}

/* Returns 1 when a user handler will run (the machine calls it next), else 0. `frame` is the user
 * address of a free signal frame, or 0 when the task cannot take another nested frame. */
long exit_to_user_mode(unsigned long frame)
{
	struct ksignal ksig;

	if (!signal_pending(current))
		return 0;
	if (!get_signal(&ksig))
		return 0;
	if (!frame || setup_rt_frame(&ksig, frame)) {
		force_sig(SIGSEGV);
		if (get_signal(&ksig))
			do_group_exit(SIGSEGV);
		return 0;
	}
	return 1;
}

/* rt_sigreturn: the handler returned; restore the blocked mask saved in the frame. */
long signal_return(unsigned long frame)
{
	sigset_t saved;

	if (copy_from_user(&saved, (void __user *)(frame + SIGFRAME_UC), sizeof(saved)))
		do_group_exit(SIGSEGV);
	saved.sig[0] &= ~(sigmask(SIGKILL) | sigmask(SIGSTOP));
	current->blocked = saved;
	recalc_sigpending();
	return 0;
}
