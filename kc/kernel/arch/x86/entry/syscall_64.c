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
	__SYSCALL(__NR_read, sys_read)
	__SYSCALL(__NR_write, sys_write)
	__SYSCALL(__NR_open, sys_open)
	__SYSCALL(__NR_close, sys_close)
	__SYSCALL(__NR_stat, sys_newstat)
	__SYSCALL(__NR_fstat, sys_newfstat)
	__SYSCALL(__NR_lstat, sys_newlstat)
	__SYSCALL(__NR_lseek, sys_lseek)
	__SYSCALL(__NR_mmap, sys_mmap)
	__SYSCALL(__NR_mprotect, sys_mprotect)
	__SYSCALL(__NR_munmap, sys_munmap)
	__SYSCALL(__NR_brk, sys_brk)
	__SYSCALL(__NR_rt_sigaction, sys_rt_sigaction)
	__SYSCALL(__NR_rt_sigprocmask, sys_rt_sigprocmask)
	__SYSCALL(__NR_ioctl, sys_ioctl)
	__SYSCALL(__NR_pread64, sys_pread64)
	__SYSCALL(__NR_pwrite64, sys_pwrite64)
	__SYSCALL(__NR_sched_yield, sys_sched_yield)
	__SYSCALL(__NR_mremap, sys_mremap)
	__SYSCALL(__NR_msync, sys_msync)
	__SYSCALL(__NR_mincore, sys_mincore)
	__SYSCALL(__NR_madvise, sys_madvise)
	__SYSCALL(__NR_dup, sys_dup)
	__SYSCALL(__NR_dup2, sys_dup2)
	__SYSCALL(__NR_pause, sys_pause)
	__SYSCALL(__NR_getpid, sys_getpid)
	__SYSCALL(__NR_clone, sys_clone)
	__SYSCALL(__NR_fork, sys_fork)
	__SYSCALL(__NR_vfork, sys_vfork)
	__SYSCALL(__NR_exit, sys_exit)
	__SYSCALL(__NR_wait4, sys_wait4)
	__SYSCALL(__NR_kill, sys_kill)
	__SYSCALL(__NR_uname, sys_newuname)
	__SYSCALL(__NR_fcntl, sys_fcntl)
	__SYSCALL(__NR_fsync, sys_fsync)
	__SYSCALL(__NR_ftruncate, sys_ftruncate)
	__SYSCALL(__NR_mkdir, sys_mkdir)
	__SYSCALL(__NR_rmdir, sys_rmdir)
	__SYSCALL(__NR_creat, sys_creat)
	__SYSCALL(__NR_unlink, sys_unlink)
	__SYSCALL(__NR_ptrace, sys_ptrace)
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
	__SYSCALL(__NR_spu_run, sys_spu_run)
	__SYSCALL(__NR_spu_create, sys_spu_create)
	__SYSCALL(__NR_tgkill, sys_tgkill)
	__SYSCALL(__NR_openat, sys_openat)
	__SYSCALL(__NR_mkdirat, sys_mkdirat)
	__SYSCALL(__NR_newfstatat, sys_newfstatat)
	__SYSCALL(__NR_unlinkat, sys_unlinkat)
	__SYSCALL(__NR_dup3, sys_dup3)
};
