/* <sys/wait.h> for Faultline user programs: waiting for children, and glibc's decoding of the
   status word (bits 0-6: terminating signal, 0x7f when stopped; bit 7: core dumped; bits 8-15:
   exit code or stop signal; 0xffff: continued). */
#ifndef _SYS_WAIT_H
#define _SYS_WAIT_H 1

#include <bits/faultline-types.h>
#include <bits/types/siginfo_t.h>

#ifndef __pid_t_defined
#define __pid_t_defined 1
typedef __pid_t pid_t;
#endif
#ifndef __id_t_defined
#define __id_t_defined 1
typedef __id_t id_t;
#endif

/* Option bits of waitpid() and waitid(). */
#define WNOHANG 1
#define WUNTRACED 2
#define WSTOPPED 2
#define WEXITED 4
#define WCONTINUED 8
#define WNOWAIT 0x01000000
#define __WNOTHREAD 0x20000000
#define __WALL 0x40000000
#define __WCLONE 0x80000000

#define WCOREFLAG 0x80
#define __WCOREFLAG WCOREFLAG
#define __W_CONTINUED 0xffff

#define WEXITSTATUS(status) (((status) & 0xff00) >> 8)
#define WTERMSIG(status) ((status) & 0x7f)
#define WSTOPSIG(status) WEXITSTATUS(status)
#define WIFEXITED(status) (WTERMSIG(status) == 0)
/* Neither 0 (exited) nor 0x7f (stopped): adding 1 and halving as a signed char is positive only
   for 1..0x7e. */
#define WIFSIGNALED(status) (((signed char)(((status) & 0x7f) + 1) >> 1) > 0)
#define WIFSTOPPED(status) (((status) & 0xff) == 0x7f)
#define WIFCONTINUED(status) ((status) == __W_CONTINUED)
#define WCOREDUMP(status) ((status) & WCOREFLAG)
#define W_EXITCODE(ret, sig) ((ret) << 8 | (sig))
#define W_STOPCODE(sig) ((sig) << 8 | 0x7f)

#define WAIT_ANY (-1)
#define WAIT_MYPGRP 0

/* waitid() selectors. */
typedef enum {
	P_ALL,
	P_PID,
	P_PGID,
	P_PIDFD
} idtype_t;

struct rusage;

__pid_t wait(int *__stat_loc);
__pid_t waitpid(__pid_t __pid, int *__stat_loc, int __options);
int waitid(idtype_t __idtype, __id_t __id, siginfo_t *__infop, int __options);
__pid_t wait3(int *__stat_loc, int __options, struct rusage *__usage);
__pid_t wait4(__pid_t __pid, int *__stat_loc, int __options, struct rusage *__usage);

#endif
