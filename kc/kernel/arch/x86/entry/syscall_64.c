/* arch/x86/entry/syscall_64.c: the system-call table, indexed by x86-64 system-call number
 * (<asm/unistd_64.h>). Entries left NULL are system calls this kernel does not implement:
 * do_syscall_64 answers -ENOSYS for them, as Linux does for sys_ni_syscall. */
#include <linux/kernel.h>
#include <linux/uaccess.h>
#include <linux/syscalls.h>
#include <asm/unistd_64.h>

typedef long (*sys_call_ptr_t)(unsigned long, unsigned long, unsigned long, unsigned long, unsigned long, unsigned long);

#define NR_syscalls 336
#define __SYSCALL(nr, sym) [nr] = (sys_call_ptr_t)sym,

const sys_call_ptr_t sys_call_table[NR_syscalls] = {
	__SYSCALL(__NR_rt_sigaction, sys_rt_sigaction)
	__SYSCALL(__NR_rt_sigprocmask, sys_rt_sigprocmask)
	__SYSCALL(__NR_sched_yield, sys_sched_yield)
	__SYSCALL(__NR_pause, sys_pause)
	__SYSCALL(__NR_getpid, sys_getpid)
	__SYSCALL(__NR_clone, sys_clone)
	__SYSCALL(__NR_fork, sys_fork)
	__SYSCALL(__NR_vfork, sys_vfork)
	__SYSCALL(__NR_exit, sys_exit)
	__SYSCALL(__NR_wait4, sys_wait4)
	__SYSCALL(__NR_kill, sys_kill)
	__SYSCALL(__NR_uname, sys_newuname)
	__SYSCALL(__NR_getuid, sys_getuid)
	__SYSCALL(__NR_getgid, sys_getuid)
	__SYSCALL(__NR_geteuid, sys_getuid)
	__SYSCALL(__NR_getegid, sys_getuid)
	__SYSCALL(__NR_getppid, sys_getppid)
	__SYSCALL(__NR_gettid, sys_gettid)
	__SYSCALL(__NR_tkill, sys_tkill)
	__SYSCALL(__NR_futex, sys_futex)
	__SYSCALL(__NR_set_tid_address, sys_set_tid_address)
	__SYSCALL(__NR_exit_group, sys_exit_group)
	__SYSCALL(__NR_tgkill, sys_tgkill)
};
