/* <signal.h> for Faultline user programs: Linux x86-64 signal numbers, glibc's sigset_t,
   struct sigaction, siginfo_t and si_code values, and the signal calls. */
#ifndef _SIGNAL_H
#define _SIGNAL_H 1

#include <bits/faultline-types.h>
#include <bits/types/sigset_t.h>
#include <bits/types/__sigval_t.h>
#include <bits/types/siginfo_t.h>
#include <bits/types/struct_timespec.h>
#include <bits/pthreadtypes.h>

#ifndef __pid_t_defined
#define __pid_t_defined 1
typedef __pid_t pid_t;
#endif
#ifndef __uid_t_defined
#define __uid_t_defined 1
typedef __uid_t uid_t;
#endif
#ifndef __size_t_defined
#define __size_t_defined 1
typedef unsigned long size_t;
#endif

typedef int sig_atomic_t;
typedef __sigval_t sigval_t;

/* Signal numbers. */
#define SIGHUP 1
#define SIGINT 2
#define SIGQUIT 3
#define SIGILL 4
#define SIGTRAP 5
#define SIGABRT 6
#define SIGIOT SIGABRT
#define SIGBUS 7
#define SIGFPE 8
#define SIGKILL 9
#define SIGUSR1 10
#define SIGSEGV 11
#define SIGUSR2 12
#define SIGPIPE 13
#define SIGALRM 14
#define SIGTERM 15
#define SIGSTKFLT 16
#define SIGCHLD 17
#define SIGCLD SIGCHLD
#define SIGCONT 18
#define SIGSTOP 19
#define SIGTSTP 20
#define SIGTTIN 21
#define SIGTTOU 22
#define SIGURG 23
#define SIGXCPU 24
#define SIGXFSZ 25
#define SIGVTALRM 26
#define SIGPROF 27
#define SIGWINCH 28
#define SIGPOLL 29
#define SIGIO SIGPOLL
#define SIGPWR 30
#define SIGSYS 31

/* Real-time signals: the kernel's range is 32..64; glibc keeps 32 and 33 for its threads, so
   programs see SIGRTMIN as 34 (glibc computes it at run time; here it is a constant). */
#define __SIGRTMIN 32
#define __SIGRTMAX 64
#define SIGRTMIN 34
#define SIGRTMAX __SIGRTMAX
#define _NSIG (__SIGRTMAX + 1)
#define NSIG _NSIG

typedef void (*__sighandler_t)(int);
typedef __sighandler_t sighandler_t;
typedef __sighandler_t sig_t;

#define SIG_ERR ((__sighandler_t)-1)
#define SIG_DFL ((__sighandler_t)0)
#define SIG_IGN ((__sighandler_t)1)
#define SIG_HOLD ((__sighandler_t)2)

/* struct sigaction: 152 bytes (handler 0, mask 8, flags 136, restorer 144). */
struct sigaction {
	union {
		__sighandler_t sa_handler;
		void (*sa_sigaction)(int, siginfo_t *, void *);
	} __sigaction_handler;
	__sigset_t sa_mask;
	int sa_flags;
	void (*sa_restorer)(void);
};
#define sa_handler __sigaction_handler.sa_handler
#define sa_sigaction __sigaction_handler.sa_sigaction

/* sa_flags bits. */
#define SA_NOCLDSTOP 1
#define SA_NOCLDWAIT 2
#define SA_SIGINFO 4
#define SA_ONSTACK 0x08000000
#define SA_RESTART 0x10000000
#define SA_INTERRUPT 0x20000000
#define SA_NODEFER 0x40000000
#define SA_RESETHAND 0x80000000
#define SA_NOMASK SA_NODEFER
#define SA_ONESHOT SA_RESETHAND
#define SA_STACK SA_ONSTACK

/* sigprocmask() how. */
#define SIG_BLOCK 0
#define SIG_UNBLOCK 1
#define SIG_SETMASK 2

/* si_code values for any signal (who sent it). */
enum {
	SI_ASYNCNL = -60,
	SI_DETHREAD = -7,
	SI_TKILL = -6,
	SI_SIGIO = -5,
	SI_ASYNCIO = -4,
	SI_MESGQ = -3,
	SI_TIMER = -2,
	SI_QUEUE = -1,
	SI_USER = 0,
	SI_KERNEL = 0x80
};
#define SI_ASYNCNL SI_ASYNCNL
#define SI_DETHREAD SI_DETHREAD
#define SI_TKILL SI_TKILL
#define SI_SIGIO SI_SIGIO
#define SI_ASYNCIO SI_ASYNCIO
#define SI_MESGQ SI_MESGQ
#define SI_TIMER SI_TIMER
#define SI_QUEUE SI_QUEUE
#define SI_USER SI_USER
#define SI_KERNEL SI_KERNEL

/* si_code for SIGILL. */
enum {
	ILL_ILLOPC = 1,
	ILL_ILLOPN = 2,
	ILL_ILLADR = 3,
	ILL_ILLTRP = 4,
	ILL_PRVOPC = 5,
	ILL_PRVREG = 6,
	ILL_COPROC = 7,
	ILL_BADSTK = 8,
	ILL_BADIADDR = 9
};
#define ILL_ILLOPC ILL_ILLOPC
#define ILL_ILLOPN ILL_ILLOPN
#define ILL_ILLADR ILL_ILLADR
#define ILL_ILLTRP ILL_ILLTRP
#define ILL_PRVOPC ILL_PRVOPC
#define ILL_PRVREG ILL_PRVREG
#define ILL_COPROC ILL_COPROC
#define ILL_BADSTK ILL_BADSTK
#define ILL_BADIADDR ILL_BADIADDR

/* si_code for SIGFPE. */
enum {
	FPE_INTDIV = 1,
	FPE_INTOVF = 2,
	FPE_FLTDIV = 3,
	FPE_FLTOVF = 4,
	FPE_FLTUND = 5,
	FPE_FLTRES = 6,
	FPE_FLTINV = 7,
	FPE_FLTSUB = 8,
	FPE_FLTUNK = 14,
	FPE_CONDTRAP = 15
};
#define FPE_INTDIV FPE_INTDIV
#define FPE_INTOVF FPE_INTOVF
#define FPE_FLTDIV FPE_FLTDIV
#define FPE_FLTOVF FPE_FLTOVF
#define FPE_FLTUND FPE_FLTUND
#define FPE_FLTRES FPE_FLTRES
#define FPE_FLTINV FPE_FLTINV
#define FPE_FLTSUB FPE_FLTSUB
#define FPE_FLTUNK FPE_FLTUNK
#define FPE_CONDTRAP FPE_CONDTRAP

/* si_code for SIGSEGV: no mapping at the address, or a mapping that forbids the access. */
enum {
	SEGV_MAPERR = 1,
	SEGV_ACCERR = 2,
	SEGV_BNDERR = 3,
	SEGV_PKUERR = 4,
	SEGV_ACCADI = 5,
	SEGV_ADIDERR = 6,
	SEGV_ADIPERR = 7,
	SEGV_MTEAERR = 8,
	SEGV_MTESERR = 9
};
#define SEGV_MAPERR SEGV_MAPERR
#define SEGV_ACCERR SEGV_ACCERR
#define SEGV_BNDERR SEGV_BNDERR
#define SEGV_PKUERR SEGV_PKUERR
#define SEGV_ACCADI SEGV_ACCADI
#define SEGV_ADIDERR SEGV_ADIDERR
#define SEGV_ADIPERR SEGV_ADIPERR
#define SEGV_MTEAERR SEGV_MTEAERR
#define SEGV_MTESERR SEGV_MTESERR

/* si_code for SIGBUS: BUS_ADRERR is what a fault handler's VM_FAULT_SIGBUS delivers. */
enum {
	BUS_ADRALN = 1,
	BUS_ADRERR = 2,
	BUS_OBJERR = 3,
	BUS_MCEERR_AR = 4,
	BUS_MCEERR_AO = 5
};
#define BUS_ADRALN BUS_ADRALN
#define BUS_ADRERR BUS_ADRERR
#define BUS_OBJERR BUS_OBJERR
#define BUS_MCEERR_AR BUS_MCEERR_AR
#define BUS_MCEERR_AO BUS_MCEERR_AO

/* si_code for SIGTRAP. */
enum {
	TRAP_BRKPT = 1,
	TRAP_TRACE = 2,
	TRAP_BRANCH = 3,
	TRAP_HWBKPT = 4,
	TRAP_UNK = 5
};
#define TRAP_BRKPT TRAP_BRKPT
#define TRAP_TRACE TRAP_TRACE
#define TRAP_BRANCH TRAP_BRANCH
#define TRAP_HWBKPT TRAP_HWBKPT
#define TRAP_UNK TRAP_UNK

/* si_code for SIGCHLD. */
enum {
	CLD_EXITED = 1,
	CLD_KILLED = 2,
	CLD_DUMPED = 3,
	CLD_TRAPPED = 4,
	CLD_STOPPED = 5,
	CLD_CONTINUED = 6
};
#define CLD_EXITED CLD_EXITED
#define CLD_KILLED CLD_KILLED
#define CLD_DUMPED CLD_DUMPED
#define CLD_TRAPPED CLD_TRAPPED
#define CLD_STOPPED CLD_STOPPED
#define CLD_CONTINUED CLD_CONTINUED

/* si_code for SIGPOLL. */
enum {
	POLL_IN = 1,
	POLL_OUT = 2,
	POLL_MSG = 3,
	POLL_ERR = 4,
	POLL_PRI = 5,
	POLL_HUP = 6
};
#define POLL_IN POLL_IN
#define POLL_OUT POLL_OUT
#define POLL_MSG POLL_MSG
#define POLL_ERR POLL_ERR
#define POLL_PRI POLL_PRI
#define POLL_HUP POLL_HUP

/* Asynchronous notification (timers, message queues): 64 bytes. */
typedef struct sigevent {
	__sigval_t sigev_value;
	int sigev_signo;
	int sigev_notify;
	union {
		int _pad[12];
		__pid_t _tid;
		struct {
			void (*_function)(__sigval_t);
			pthread_attr_t *_attribute;
		} _sigev_thread;
	} _sigev_un;
} sigevent_t;
#define sigev_notify_function _sigev_un._sigev_thread._function
#define sigev_notify_attributes _sigev_un._sigev_thread._attribute

enum {
	SIGEV_SIGNAL = 0,
	SIGEV_NONE = 1,
	SIGEV_THREAD = 2,
	SIGEV_THREAD_ID = 4
};
#define SIGEV_SIGNAL SIGEV_SIGNAL
#define SIGEV_NONE SIGEV_NONE
#define SIGEV_THREAD SIGEV_THREAD
#define SIGEV_THREAD_ID SIGEV_THREAD_ID

/* Alternate signal stack. */
typedef struct {
	void *ss_sp;
	int ss_flags;
	size_t ss_size;
} stack_t;

enum {
	SS_ONSTACK = 1,
	SS_DISABLE = 2
};
#define SS_ONSTACK SS_ONSTACK
#define SS_DISABLE SS_DISABLE

/* Fixed sizes (glibc's values when the sizes are not queried at run time). */
#define MINSIGSTKSZ 2048
#define SIGSTKSZ 8192

__sighandler_t signal(int __sig, __sighandler_t __handler);
int kill(__pid_t __pid, int __sig);
int killpg(__pid_t __pgrp, int __sig);
int raise(int __sig);
int tgkill(__pid_t __tgid, __pid_t __tid, int __signal);
void psignal(int __sig, const char *__s);
void psiginfo(const siginfo_t *__pinfo, const char *__s);

int sigemptyset(sigset_t *__set);
int sigfillset(sigset_t *__set);
int sigaddset(sigset_t *__set, int __signo);
int sigdelset(sigset_t *__set, int __signo);
int sigismember(const sigset_t *__set, int __signo);
int sigisemptyset(const sigset_t *__set);
int sigandset(sigset_t *__set, const sigset_t *__left, const sigset_t *__right);
int sigorset(sigset_t *__set, const sigset_t *__left, const sigset_t *__right);

int sigprocmask(int __how, const sigset_t *__restrict __set, sigset_t *__restrict __oset);
int sigsuspend(const sigset_t *__set);
int sigaction(int __sig, const struct sigaction *__restrict __act, struct sigaction *__restrict __oact);
int sigpending(sigset_t *__set);
int sigwait(const sigset_t *__restrict __set, int *__restrict __sig);
int sigwaitinfo(const sigset_t *__restrict __set, siginfo_t *__restrict __info);
int sigtimedwait(const sigset_t *__restrict __set, siginfo_t *__restrict __info, const struct timespec *__restrict __timeout);
int sigqueue(__pid_t __pid, int __sig, const union sigval __val);
int sigaltstack(const stack_t *__restrict __ss, stack_t *__restrict __oss);
int siginterrupt(int __sig, int __interrupt);

int pthread_sigmask(int __how, const __sigset_t *__restrict __newmask, __sigset_t *__restrict __oldmask);
int pthread_kill(pthread_t __threadid, int __signo);

#endif
