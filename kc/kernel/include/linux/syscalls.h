/* <linux/syscalls.h>: the system-call functions, as the syscall table sees them. Each returns the
 * result or -errno; arch/x86/entry/syscall_64.c puts them in sys_call_table by x86-64 number. */
#ifndef _LINUX_SYSCALLS_H
#define _LINUX_SYSCALLS_H

#include <linux/types.h>
#include <linux/signal_types.h>

struct new_utsname;

/* kernel/sys.c */
long sys_getpid(void);
long sys_gettid(void);
long sys_getppid(void);
long sys_getuid(void);
long sys_sched_yield(void);
long sys_newuname(struct new_utsname __user *name);
/* kernel/fork.c */
long sys_fork(void);
long sys_vfork(void);
long sys_clone(unsigned long clone_flags, unsigned long newsp, int __user *parent_tidptr, int __user *child_tidptr, unsigned long tls);
long sys_set_tid_address(int __user *tidptr);
/* kernel/exit.c */
long sys_exit(int error_code);
long sys_exit_group(int error_code);
long sys_wait4(pid_t upid, int __user *stat_addr, int options, void __user *ru);
/* kernel/signal.c */
long sys_kill(pid_t pid, int sig);
long sys_tgkill(pid_t tgid, pid_t pid, int sig);
long sys_tkill(pid_t pid, int sig);
long sys_rt_sigaction(int sig, const struct sigaction __user *act, struct sigaction __user *oact, size_t sigsetsize);
long sys_rt_sigprocmask(int how, sigset_t __user *nset, sigset_t __user *oset, size_t sigsetsize);
long sys_pause(void);
/* kernel/futex.c */
long sys_futex(u32 __user *uaddr, int op, u32 val, unsigned long utime, u32 __user *uaddr2, u32 val3);

#endif /* _LINUX_SYSCALLS_H */
