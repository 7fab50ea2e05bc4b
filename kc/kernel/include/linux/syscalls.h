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
/* arch/x86/kernel/sys_x86_64.c */
long sys_mmap(unsigned long addr, unsigned long len, unsigned long prot, unsigned long flags, unsigned long fd, unsigned long off);
/* kernel/ptrace.c */
long sys_ptrace(long request, long pid, unsigned long addr, unsigned long data);
/* kernel/futex.c */
long sys_futex(u32 __user *uaddr, int op, u32 val, unsigned long utime, u32 __user *uaddr2, u32 val3);

/* ---- files (fs/, mm/msync.c, mm/mincore.c) ---- */
struct stat;
/* fs/open.c */
long sys_open(const char __user *filename, int flags, umode_t mode);
long sys_openat(int dfd, const char __user *filename, int flags, umode_t mode);
long sys_creat(const char __user *pathname, umode_t mode);
long sys_truncate(const char __user *path, long length);
long sys_ftruncate(unsigned int fd, unsigned long length);
/* fs/file.c */
long sys_close(unsigned int fd);
long sys_dup(unsigned int fildes);
long sys_dup2(unsigned int oldfd, unsigned int newfd);
long sys_dup3(unsigned int oldfd, unsigned int newfd, int flags);
/* fs/read_write.c */
long sys_read(unsigned int fd, char __user *buf, size_t count);
long sys_write(unsigned int fd, const char __user *buf, size_t count);
long sys_pread64(unsigned int fd, char __user *buf, size_t count, loff_t pos);
long sys_pwrite64(unsigned int fd, const char __user *buf, size_t count, loff_t pos);
long sys_lseek(unsigned int fd, off_t offset, unsigned int whence);
/* fs/stat.c */
long sys_newstat(const char __user *filename, struct stat __user *statbuf);
long sys_newlstat(const char __user *filename, struct stat __user *statbuf);
long sys_newfstat(unsigned int fd, struct stat __user *statbuf);
long sys_newfstatat(int dfd, const char __user *filename, struct stat __user *statbuf, int flag);
/* fs/ioctl.c, fs/sync.c, fs/fcntl.c */
long sys_ioctl(unsigned int fd, unsigned int cmd, unsigned long arg);
long sys_fsync(unsigned int fd);
long sys_fdatasync(unsigned int fd);
long sys_fcntl(unsigned int fd, unsigned int cmd, unsigned long arg);
/* fs/namei.c */
long sys_unlink(const char __user *pathname);
long sys_unlinkat(int dfd, const char __user *pathname, int flag);
long sys_mkdir(const char __user *pathname, umode_t mode);
long sys_mkdirat(int dfd, const char __user *pathname, umode_t mode);
long sys_rmdir(const char __user *pathname);
long sys_mknod(const char __user *filename, umode_t mode, unsigned int dev);
/* mm/msync.c, mm/mincore.c */
long sys_msync(unsigned long start, size_t len, int flags);
long sys_mincore(unsigned long start, size_t len, unsigned char __user *vec);

/* ---- mm-syscalls: mm/mmap.c, mm/mprotect.c, mm/mremap.c, mm/madvise.c (sys_mmap's fd lookup is
 * the arch's, over vm_mmap_pgoff of <linux/mm.h>) ---- */
long sys_munmap(unsigned long addr, size_t len);
long sys_brk(unsigned long brk);
long sys_mprotect(unsigned long start, size_t len, unsigned long prot);
long sys_mremap(unsigned long addr, unsigned long old_len, unsigned long new_len, unsigned long flags, unsigned long new_addr);
long sys_madvise(unsigned long start, size_t len_in, int behavior);

/* ---- spufs (arch/powerpc/platforms/cell/spu_syscalls.c; powerpc numbers 278, 279) ---- */
#include <linux/version.h>
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 23)
long sys_spu_create(const char __user *name, unsigned int flags, umode_t mode, int neighbor_fd);
#else
long sys_spu_create(const char __user *name, unsigned int flags, umode_t mode);
#endif
long sys_spu_run(int fd, __u32 __user *unpc, __u32 __user *ustatus);

#endif /* _LINUX_SYSCALLS_H */
