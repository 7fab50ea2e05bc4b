/* <asm/unistd_64.h>: x86-64 Linux system call numbers; the kernel's copy of kc/include/asm/unistd_64.h
   (a test keeps the two identical below this comment). */
#ifndef _ASM_X86_UNISTD_64_H
#define _ASM_X86_UNISTD_64_H 1

#define __NR_read 0
#define __NR_write 1
#define __NR_open 2
#define __NR_close 3
#define __NR_stat 4
#define __NR_fstat 5
#define __NR_lstat 6
#define __NR_poll 7
#define __NR_lseek 8
#define __NR_mmap 9
#define __NR_mprotect 10
#define __NR_munmap 11
#define __NR_brk 12
#define __NR_rt_sigaction 13
#define __NR_rt_sigprocmask 14
#define __NR_rt_sigreturn 15
#define __NR_ioctl 16
#define __NR_pread64 17
#define __NR_pwrite64 18
#define __NR_readv 19
#define __NR_writev 20
#define __NR_access 21
#define __NR_pipe 22
#define __NR_sched_yield 24
#define __NR_mremap 25
#define __NR_msync 26
#define __NR_mincore 27
#define __NR_madvise 28
#define __NR_dup 32
#define __NR_dup2 33
#define __NR_pause 34
#define __NR_nanosleep 35
#define __NR_getitimer 36
#define __NR_alarm 37
#define __NR_setitimer 38
#define __NR_getpid 39
#define __NR_clone 56
#define __NR_fork 57
#define __NR_vfork 58
#define __NR_execve 59
#define __NR_exit 60
#define __NR_wait4 61
#define __NR_kill 62
#define __NR_uname 63
#define __NR_fcntl 72
#define __NR_flock 73
#define __NR_fsync 74
#define __NR_ftruncate 77
#define __NR_getcwd 79
#define __NR_chdir 80
#define __NR_rename 82
#define __NR_mkdir 83
#define __NR_rmdir 84
#define __NR_creat 85
#define __NR_unlink 87
#define __NR_readlink 89
#define __NR_chmod 90
#define __NR_fchmod 91
#define __NR_umask 95
#define __NR_gettimeofday 96
#define __NR_ptrace 101
#define __NR_getuid 102
#define __NR_getgid 104
#define __NR_geteuid 107
#define __NR_getegid 108
#define __NR_getppid 110
#define __NR_sigaltstack 131
#define __NR_mlock 149
#define __NR_munlock 150
#define __NR_mlockall 151
#define __NR_munlockall 152
#define __NR_arch_prctl 158
#define __NR_gettid 186
#define __NR_tkill 200
#define __NR_futex 202
#define __NR_sched_setaffinity 203
#define __NR_sched_getaffinity 204
#define __NR_set_tid_address 218
#define __NR_clock_gettime 228
#define __NR_clock_getres 229
#define __NR_clock_nanosleep 230
#define __NR_exit_group 231
#define __NR_tgkill 234
#define __NR_waitid 247
#define __NR_openat 257
#define __NR_mkdirat 258
#define __NR_newfstatat 262
#define __NR_unlinkat 263
#define __NR_pselect6 270
#define __NR_dup3 292
#define __NR_pipe2 293
#define __NR_preadv 295
#define __NR_pwritev 296
#define __NR_process_vm_readv 310
#define __NR_process_vm_writev 311
#define __NR_getrandom 318
#define __NR_memfd_create 319
#define __NR_mlock2 325

/* Cell/spufs calls exist on powerpc only, where they are numbered 278 and 279. The simulated
   machine has SPEs, so Faultline programs get the powerpc numbers; on x86-64 Linux 278 and 279 are
   vmsplice and move_pages, which the simulated kernel does not implement. */
#ifdef __FAULTLINE__
#define __NR_spu_run 278
#define __NR_spu_create 279
#endif

#endif
