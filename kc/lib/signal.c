/*
 * Signals in Faultline's user C library (user code): sigaction and signal over rt_sigaction,
 * sigprocmask/pthread_sigmask over rt_sigprocmask, raise over tgkill, and the sigset_t operations.
 *
 * glibc's sigset_t has 1024 bits; the kernel's has 64 (8 bytes is the sigsetsize passed). sigaction
 * translates glibc's struct sigaction into the kernel's (handler, flags, restorer, mask) and adds
 * SA_RESTORER with __restore_rt as glibc does; on this machine a handler's return is the
 * sigreturn itself (the machine calls handlers as functions), so the restorer is never entered.
 * Signals 32 and 33 are glibc's own (SIGCANCEL, SIGSETXID): the set operations refuse them and
 * sigfillset leaves them out.
 */
#include "internal.h"
#include <signal.h>
#include <string.h>
#include <unistd.h>

#define KERNEL_SA_RESTORER 0x04000000
#define KERNEL_SIGSET_SIZE 8
#define SIGCANCEL 32
#define SIGSETXID 33

/* The kernel's struct sigaction for rt_sigaction on x86-64. */
struct kernel_sigaction {
	void *handler;
	unsigned long flags;
	void (*restorer)(void);
	unsigned long mask;
};

/* glibc's __restore_rt: what a handler returns into on real hardware. */
void __restore_rt(void)
{
	__syscall0(__NR_rt_sigreturn);
}

static int valid_signal(int sig)
{
	return sig > 0 && sig < NSIG;
}

static int internal_signal(int sig)
{
	return sig == SIGCANCEL || sig == SIGSETXID;
}

int sigaction(int sig, const struct sigaction *act, struct sigaction *oact)
{
	struct kernel_sigaction kact;
	struct kernel_sigaction koact;
	long r;

	if (!valid_signal(sig) || internal_signal(sig)) {
		errno = EINVAL;
		return -1;
	}
	if (act != NULL) {
		kact.handler = (void *)act->sa_handler;
		kact.flags = (unsigned int)act->sa_flags | KERNEL_SA_RESTORER;
		kact.restorer = __restore_rt;
		kact.mask = act->sa_mask.__val[0];
	}
	r = __syscall4(__NR_rt_sigaction, sig, act != NULL ? &kact : NULL, oact != NULL ? &koact : NULL, KERNEL_SIGSET_SIZE);
	if (__syscall_failed(r))
		return (int)__syscall_ret(r);
	if (oact != NULL) {
		memset(oact, 0, sizeof *oact);
		oact->sa_handler = (__sighandler_t)koact.handler;
		oact->sa_flags = (int)koact.flags;
		oact->sa_restorer = koact.restorer;
		oact->sa_mask.__val[0] = koact.mask;
	}
	return 0;
}

/* signal() has BSD semantics in glibc: the handler stays, the signal is blocked while it runs, and
   interrupted system calls restart. */
__sighandler_t signal(int sig, __sighandler_t handler)
{
	struct sigaction act;
	struct sigaction oact;

	if (handler == SIG_ERR || !valid_signal(sig) || internal_signal(sig)) {
		errno = EINVAL;
		return SIG_ERR;
	}
	memset(&act, 0, sizeof act);
	act.sa_handler = handler;
	sigemptyset(&act.sa_mask);
	sigaddset(&act.sa_mask, sig);
	act.sa_flags = SA_RESTART;
	if (sigaction(sig, &act, &oact) < 0)
		return SIG_ERR;
	return oact.sa_handler;
}

int sigprocmask(int how, const sigset_t *set, sigset_t *oset)
{
	return (int)__syscall_ret(__syscall4(__NR_rt_sigprocmask, how, set, oset, KERNEL_SIGSET_SIZE));
}

/* pthread_sigmask returns the error number instead of setting errno. */
int pthread_sigmask(int how, const sigset_t *set, sigset_t *oset)
{
	long r = __syscall4(__NR_rt_sigprocmask, how, set, oset, KERNEL_SIGSET_SIZE);

	return __syscall_failed(r) ? (int)-r : 0;
}

/* raise sends the signal to the calling thread (tgkill), as glibc. */
int raise(int sig)
{
	pid_t pid = (pid_t)__syscall0(__NR_getpid);
	pid_t tid = (pid_t)__syscall0(__NR_gettid);

	return (int)__syscall_ret(__syscall3(__NR_tgkill, pid, tid, sig));
}

/* ---- Signal sets -------------------------------------------------------------------------------- */

#define SIGSET_WORDS (sizeof(sigset_t) / sizeof(unsigned long))
#define SIGWORD(sig) (((sig) - 1) / (8 * sizeof(unsigned long)))
#define SIGBIT(sig) (1UL << (((sig) - 1) % (8 * sizeof(unsigned long))))

int sigemptyset(sigset_t *set)
{
	if (set == NULL) {
		errno = EINVAL;
		return -1;
	}
	memset(set, 0, sizeof *set);
	return 0;
}

int sigfillset(sigset_t *set)
{
	if (set == NULL) {
		errno = EINVAL;
		return -1;
	}
	memset(set, 0xff, sizeof *set);
	set->__val[SIGWORD(SIGCANCEL)] &= ~SIGBIT(SIGCANCEL);
	set->__val[SIGWORD(SIGSETXID)] &= ~SIGBIT(SIGSETXID);
	return 0;
}

int sigaddset(sigset_t *set, int sig)
{
	if (set == NULL || !valid_signal(sig) || internal_signal(sig)) {
		errno = EINVAL;
		return -1;
	}
	set->__val[SIGWORD(sig)] |= SIGBIT(sig);
	return 0;
}

int sigdelset(sigset_t *set, int sig)
{
	if (set == NULL || !valid_signal(sig) || internal_signal(sig)) {
		errno = EINVAL;
		return -1;
	}
	set->__val[SIGWORD(sig)] &= ~SIGBIT(sig);
	return 0;
}

int sigismember(const sigset_t *set, int sig)
{
	if (set == NULL || !valid_signal(sig)) {
		errno = EINVAL;
		return -1;
	}
	return (set->__val[SIGWORD(sig)] & SIGBIT(sig)) != 0;
}

int sigisemptyset(const sigset_t *set)
{
	if (set == NULL) {
		errno = EINVAL;
		return -1;
	}
	for (size_t i = 0; i < SIGSET_WORDS; i++)
		if (set->__val[i] != 0)
			return 0;
	return 1;
}

int sigandset(sigset_t *set, const sigset_t *left, const sigset_t *right)
{
	if (set == NULL || left == NULL || right == NULL) {
		errno = EINVAL;
		return -1;
	}
	for (size_t i = 0; i < SIGSET_WORDS; i++)
		set->__val[i] = left->__val[i] & right->__val[i];
	return 0;
}

int sigorset(sigset_t *set, const sigset_t *left, const sigset_t *right)
{
	if (set == NULL || left == NULL || right == NULL) {
		errno = EINVAL;
		return -1;
	}
	for (size_t i = 0; i < SIGSET_WORDS; i++)
		set->__val[i] = left->__val[i] | right->__val[i];
	return 0;
}
