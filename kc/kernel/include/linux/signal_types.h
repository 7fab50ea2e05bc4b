/* <linux/signal_types.h>: the kernel's signal data (x86-64 numbering; 64 signals in one word).
 * The user-visible layouts (siginfo_t, struct sigaction) are the UAPI ones of kc/include/signal.h;
 * the kernel keeps its own copies here with the same layout. */
#ifndef _LINUX_SIGNAL_TYPES_H
#define _LINUX_SIGNAL_TYPES_H

#include <linux/types.h>
#include <linux/list.h>
#include <linux/spinlock_types.h>

#define _NSIG 64

#define SIGHUP		1
#define SIGINT		2
#define SIGQUIT		3
#define SIGILL		4
#define SIGTRAP		5
#define SIGABRT		6
#define SIGBUS		7
#define SIGFPE		8
#define SIGKILL		9
#define SIGUSR1		10
#define SIGSEGV		11
#define SIGUSR2		12
#define SIGPIPE		13
#define SIGALRM		14
#define SIGTERM		15
#define SIGSTKFLT	16
#define SIGCHLD		17
#define SIGCONT		18
#define SIGSTOP		19
#define SIGTSTP		20

/* Bit (sig - 1) set: signal pending / blocked. */
typedef struct {
	unsigned long sig[1];
} sigset_t;

#define sigmask(sig) (1UL << ((sig) - 1))

/* si_code values. */
#define SI_USER		0
#define SI_KERNEL	0x80
#define SEGV_MAPERR	1
#define SEGV_ACCERR	2
#define BUS_ADRALN	1
#define BUS_ADRERR	2
#define CLD_EXITED	1
#define CLD_KILLED	2
#define CLD_DUMPED	3

/* The x86-64 siginfo_t: 128 bytes; the fields this kernel fills. */
struct kernel_siginfo {
	int si_signo;
	int si_errno;
	int si_code;
	int __pad0;
	union {
		struct {		/* SIGSEGV, SIGBUS */
			void *si_addr;
		} sigfault;
		struct {		/* kill() */
			pid_t si_pid;
			unsigned int si_uid;
		} kill;
		struct {		/* SIGCHLD */
			pid_t si_pid;
			unsigned int si_uid;
			int si_status;
		} sigchld;
		char __pad[112];
	} _sifields;
};
typedef struct kernel_siginfo kernel_siginfo_t;

#define SIG_DFL ((void *)0)
#define SIG_IGN ((void *)1)

#define SA_SIGINFO	0x00000004
#define SA_NODEFER	0x40000000
#define SA_RESETHAND	0x80000000
#define SA_RESTART	0x10000000
#define SA_RESTORER	0x04000000

/* The kernel's struct sigaction (the rt_sigaction system call's layout). */
struct sigaction {
	void *sa_handler;		/* SIG_DFL, SIG_IGN or the handler's address */
	unsigned long sa_flags;
	void *sa_restorer;
	sigset_t sa_mask;
};

struct k_sigaction {
	struct sigaction sa;
};

/* A queued signal with its siginfo (one per signal number: standard signals do not queue). */
struct sigqueue {
	struct list_head list;
	kernel_siginfo_t info;
};

struct sigpending {
	struct list_head list;		/* struct sigqueue */
	sigset_t signal;
};

/* The actions of a thread group (shared by CLONE_SIGHAND). */
struct sighand_struct {
	atomic_t count;
	spinlock_t siglock;
	struct k_sigaction action[_NSIG];
};

/* Per-thread-group state. */
struct signal_struct {
	atomic_t live;			/* threads not yet exited */
	int group_exit_code;
	unsigned int flags;		/* SIGNAL_GROUP_EXIT */
	struct sigpending shared_pending;
};

#define SIGNAL_GROUP_EXIT 0x00000004

#endif /* _LINUX_SIGNAL_TYPES_H */
