/*
 * System-call wrappers of Faultline's user C library (user code over __kc_syscall): files, memory
 * mappings, the program break, processes, waiting, ptrace, sysconf. Each one is what glibc's
 * wrapper does on x86-64: pass the arguments to the kernel, and on a result in -4095..-1 store the
 * error in errno and return -1 (glibc's INLINE_SYSCALL). Which system call each uses follows glibc
 * 2.36 on x86-64: open/creat go through openat(AT_FDCWD), stat through newfstatat, wait and waitpid
 * through wait4, _exit through exit_group.
 */
#include "internal.h"
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/spu.h>
#include <sys/stat.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* The errno convention (INLINE_SYSCALL's error path). */
long __syscall_ret(long raw)
{
	if (__syscall_failed(raw)) {
		errno = (int)-raw;
		return -1;
	}
	return raw;
}

/* syscall(2): the generic wrapper; reads six arguments whatever the call takes, as glibc does. */
long syscall(long number, ...)
{
	va_list ap;
	long a0, a1, a2, a3, a4, a5;

	va_start(ap, number);
	a0 = va_arg(ap, long);
	a1 = va_arg(ap, long);
	a2 = va_arg(ap, long);
	a3 = va_arg(ap, long);
	a4 = va_arg(ap, long);
	a5 = va_arg(ap, long);
	va_end(ap);
	return __syscall_ret(__kc_syscall(number, a0, a1, a2, a3, a4, a5));
}

/* ---- Files -------------------------------------------------------------------------------------- */

ssize_t read(int fd, void *buf, size_t count)
{
	return __syscall_ret(__syscall3(__NR_read, fd, buf, count));
}

ssize_t write(int fd, const void *buf, size_t count)
{
	return __syscall_ret(__syscall3(__NR_write, fd, buf, count));
}

ssize_t pread(int fd, void *buf, size_t count, off_t offset)
{
	return __syscall_ret(__syscall4(__NR_pread64, fd, buf, count, offset));
}

ssize_t pwrite(int fd, const void *buf, size_t count, off_t offset)
{
	return __syscall_ret(__syscall4(__NR_pwrite64, fd, buf, count, offset));
}

/* open and openat read the mode argument only when the flags create a file (O_CREAT, O_TMPFILE). */
int openat(int dirfd, const char *path, int flags, ...)
{
	mode_t mode = 0;

	if ((flags & O_CREAT) != 0 || (flags & O_TMPFILE) == O_TMPFILE) {
		va_list ap;
		va_start(ap, flags);
		mode = va_arg(ap, mode_t);
		va_end(ap);
	}
	return (int)__syscall_ret(__syscall4(__NR_openat, dirfd, path, flags, mode));
}

int open(const char *path, int flags, ...)
{
	mode_t mode = 0;

	if ((flags & O_CREAT) != 0 || (flags & O_TMPFILE) == O_TMPFILE) {
		va_list ap;
		va_start(ap, flags);
		mode = va_arg(ap, mode_t);
		va_end(ap);
	}
	return (int)__syscall_ret(__syscall4(__NR_openat, AT_FDCWD, path, flags, mode));
}

int creat(const char *path, mode_t mode)
{
	return (int)__syscall_ret(__syscall4(__NR_openat, AT_FDCWD, path, O_CREAT | O_WRONLY | O_TRUNC, mode));
}

int close(int fd)
{
	return (int)__syscall_ret(__syscall1(__NR_close, fd));
}

off_t lseek(int fd, off_t offset, int whence)
{
	return __syscall_ret(__syscall3(__NR_lseek, fd, offset, whence));
}

int ftruncate(int fd, off_t length)
{
	return (int)__syscall_ret(__syscall2(__NR_ftruncate, fd, length));
}

int truncate(const char *path, off_t length)
{
	return (int)__syscall_ret(__syscall2(__NR_truncate, path, length));
}

int unlink(const char *path)
{
	return (int)__syscall_ret(__syscall1(__NR_unlink, path));
}

int fsync(int fd)
{
	return (int)__syscall_ret(__syscall1(__NR_fsync, fd));
}

int dup(int fd)
{
	return (int)__syscall_ret(__syscall1(__NR_dup, fd));
}

int dup2(int fd, int fd2)
{
	return (int)__syscall_ret(__syscall2(__NR_dup2, fd, fd2));
}

int pipe(int fds[2])
{
	return (int)__syscall_ret(__syscall1(__NR_pipe, fds));
}

int access(const char *path, int mode)
{
	return (int)__syscall_ret(__syscall2(__NR_access, path, mode));
}

int fstat(int fd, struct stat *buf)
{
	return (int)__syscall_ret(__syscall2(__NR_fstat, fd, buf));
}

int fstatat(int dirfd, const char *path, struct stat *buf, int flags)
{
	return (int)__syscall_ret(__syscall4(__NR_newfstatat, dirfd, path, buf, flags));
}

int stat(const char *path, struct stat *buf)
{
	return (int)__syscall_ret(__syscall4(__NR_newfstatat, AT_FDCWD, path, buf, 0));
}

int lstat(const char *path, struct stat *buf)
{
	return (int)__syscall_ret(__syscall4(__NR_newfstatat, AT_FDCWD, path, buf, AT_SYMLINK_NOFOLLOW));
}

/* ioctl takes one more argument, an integer or a pointer, passed on as it is. */
int ioctl(int fd, unsigned long request, ...)
{
	va_list ap;
	unsigned long arg;

	va_start(ap, request);
	arg = va_arg(ap, unsigned long);
	va_end(ap);
	return (int)__syscall_ret(__syscall3(__NR_ioctl, fd, request, arg));
}

/* glibc's isatty is tcgetattr: TCGETS succeeds only on a terminal (ENOTTY otherwise). */
int isatty(int fd)
{
	unsigned char termios[64];

	return __syscall_ret(__syscall3(__NR_ioctl, fd, __TCGETS, termios)) == 0;
}

/* ---- Memory mappings ---------------------------------------------------------------------------- */

void *mmap(void *addr, size_t length, int prot, int flags, int fd, off_t offset)
{
	/* glibc rejects an offset that is not a multiple of the page size before the kernel sees it. */
	if ((offset & 4095) != 0) {
		errno = EINVAL;
		return MAP_FAILED;
	}
	return (void *)__syscall_ret(__syscall6(__NR_mmap, addr, length, prot, flags, fd, offset));
}

int munmap(void *addr, size_t length)
{
	return (int)__syscall_ret(__syscall2(__NR_munmap, addr, length));
}

int mprotect(void *addr, size_t length, int prot)
{
	return (int)__syscall_ret(__syscall3(__NR_mprotect, addr, length, prot));
}

/* mremap reads a fifth argument, the new address, only with MREMAP_FIXED (as glibc). */
void *mremap(void *old_address, size_t old_size, size_t new_size, int flags, ...)
{
	void *new_address = NULL;

	if ((flags & MREMAP_FIXED) != 0) {
		va_list ap;
		va_start(ap, flags);
		new_address = va_arg(ap, void *);
		va_end(ap);
	}
	return (void *)__syscall_ret(__syscall5(__NR_mremap, old_address, old_size, new_size, flags, new_address));
}

int madvise(void *addr, size_t length, int advice)
{
	return (int)__syscall_ret(__syscall3(__NR_madvise, addr, length, advice));
}

/* posix_madvise returns the error number instead of setting errno; POSIX_MADV_DONTNEED is a no-op
   in glibc (it must not discard data, which MADV_DONTNEED would). */
int posix_madvise(void *addr, size_t length, int advice)
{
	long r;

	if (advice == POSIX_MADV_DONTNEED)
		return 0;
	r = __syscall3(__NR_madvise, addr, length, advice);
	return __syscall_failed(r) ? (int)-r : 0;
}

int mincore(void *addr, size_t length, unsigned char *vec)
{
	return (int)__syscall_ret(__syscall3(__NR_mincore, addr, length, vec));
}

int msync(void *addr, size_t length, int flags)
{
	return (int)__syscall_ret(__syscall3(__NR_msync, addr, length, flags));
}

int mlock(const void *addr, size_t length)
{
	return (int)__syscall_ret(__syscall2(__NR_mlock, addr, length));
}

int munlock(const void *addr, size_t length)
{
	return (int)__syscall_ret(__syscall2(__NR_munlock, addr, length));
}

/* ---- The program break (glibc's brk.c and sbrk.c) ------------------------------------------------ */

/* The end of the x86-64 user address space (TASK_SIZE with 4-level paging, rounded up). */
#define USER_ADDRESS_END 0x800000000000UL

/* The current break as glibc caches it; NULL until the first brk or sbrk asks the kernel. */
void *__curbrk;

/* The kernel returns the new break, or the old one when it refused; glibc reports ENOMEM when the
   break ended below the request. brk(addr) below the heap start thus "succeeds" unchanged. */
int brk(void *addr)
{
	void *newbrk = (void *)__syscall1(__NR_brk, addr);

	__curbrk = newbrk;
	if ((uintptr_t)newbrk < (uintptr_t)addr) {
		errno = ENOMEM;
		return -1;
	}
	return 0;
}

/* sbrk(0) asks the kernel for the break the first time, then answers from the cache. */
void *sbrk(intptr_t increment)
{
	uintptr_t old;

	if (__curbrk == NULL && brk(0) < 0)
		return (void *)-1;
	if (increment == 0)
		return __curbrk;
	old = (uintptr_t)__curbrk;
	/* A break that wraps around, or lies beyond the 47-bit user address space (where the kernel
	   would refuse it and a KC pointer cannot even point), is not attempted. */
	if (increment > 0 ? old + (uintptr_t)increment < old || old + (uintptr_t)increment > USER_ADDRESS_END : old < 0 - (uintptr_t)increment) {
		errno = ENOMEM;
		return (void *)-1;
	}
	if (brk((void *)(old + increment)) < 0)
		return (void *)-1;
	return (void *)old;
}

/* ---- Processes ---------------------------------------------------------------------------------- */

pid_t getpid(void)
{
	return (pid_t)__syscall0(__NR_getpid);
}

pid_t getppid(void)
{
	return (pid_t)__syscall0(__NR_getppid);
}

pid_t gettid(void)
{
	return (pid_t)__syscall0(__NR_gettid);
}

uid_t getuid(void)
{
	return (uid_t)__syscall0(__NR_getuid);
}

uid_t geteuid(void)
{
	return (uid_t)__syscall0(__NR_geteuid);
}

gid_t getgid(void)
{
	return (gid_t)__syscall0(__NR_getgid);
}

gid_t getegid(void)
{
	return (gid_t)__syscall0(__NR_getegid);
}

int sched_yield(void)
{
	return (int)__syscall_ret(__syscall0(__NR_sched_yield));
}

int sched_getaffinity(pid_t pid, size_t size, cpu_set_t *set)
{
	long r = __syscall_ret(__syscall3(__NR_sched_getaffinity, pid, size, set));

	if (r < 0)
		return -1;
	/* The kernel fills only the bytes of its own mask; glibc clears the rest. */
	memset((char *)set + r, 0, size - (size_t)r);
	return 0;
}

int kill(pid_t pid, int sig)
{
	return (int)__syscall_ret(__syscall2(__NR_kill, pid, sig));
}

int tgkill(pid_t tgid, pid_t tid, int sig)
{
	return (int)__syscall_ret(__syscall3(__NR_tgkill, tgid, tid, sig));
}

int pause(void)
{
	return (int)__syscall_ret(__syscall0(__NR_pause));
}

/* fork: the malloc and stdio locks are taken around the call so the child gets them consistent
   and free (glibc's fork takes the same locks); the child's descriptor gets its new tid. */
pid_t fork(void)
{
	long r;

	__stdio_fork_prepare();
	__malloc_fork_prepare();
	r = __syscall0(__NR_fork);
	if (r == 0) {
		__pthread_fork_child();
		__malloc_fork_child();
		__stdio_fork_child();
	} else {
		__malloc_fork_parent();
		__stdio_fork_parent();
	}
	return (pid_t)__syscall_ret(r);
}

pid_t wait4(pid_t pid, int *status, int options, struct rusage *usage)
{
	return (pid_t)__syscall_ret(__syscall4(__NR_wait4, pid, status, options, usage));
}

pid_t waitpid(pid_t pid, int *status, int options)
{
	return (pid_t)__syscall_ret(__syscall4(__NR_wait4, pid, status, options, NULL));
}

pid_t wait(int *status)
{
	return (pid_t)__syscall_ret(__syscall4(__NR_wait4, -1, status, 0, NULL));
}

/* _exit ends every thread of the process (exit_group), as glibc's _exit does. */
void _exit(int status)
{
	for (;;)
		__syscall1(__NR_exit_group, status);
}

void _Exit(int status)
{
	_exit(status);
}

/* ptrace: PTRACE_PEEKTEXT/PEEKDATA/PEEKUSER (1..3) make the kernel store the word through `data`;
   glibc points data at a local, returns the word and clears errno so that a word of -1 can be told
   from an error. */
long ptrace(enum __ptrace_request request, ...)
{
	va_list ap;
	pid_t pid;
	void *addr;
	void *data;
	long word = 0;
	long r;

	va_start(ap, request);
	pid = va_arg(ap, pid_t);
	addr = va_arg(ap, void *);
	data = va_arg(ap, void *);
	va_end(ap);
	if (request > 0 && request < 4)
		data = &word;
	r = __syscall_ret(__syscall4(__NR_ptrace, request, pid, addr, data));
	if (r >= 0 && request > 0 && request < 4) {
		errno = 0;
		return word;
	}
	return r;
}

/* ---- sysconf ------------------------------------------------------------------------------------ */

int getpagesize(void)
{
	return 4096;
}

/* The number of CPUs this process may run on: the bits of its affinity mask (glibc's fallback when
   /sys and /proc cannot say; the simulated kernel's answer in either case). */
static long processors(void)
{
	unsigned long mask[16];
	long r = __syscall3(__NR_sched_getaffinity, 0, sizeof mask, mask);
	long count = 0;

	if (__syscall_failed(r))
		return 1;
	for (long i = 0; i < r / 8; i++)
		count += __builtin_popcountl(mask[i]);
	return count > 0 ? count : 1;
}

long sysconf(int name)
{
	switch (name) {
	case _SC_PAGESIZE:
		return 4096;
	case _SC_CLK_TCK:
		return 100;
	case _SC_NPROCESSORS_CONF:
	case _SC_NPROCESSORS_ONLN:
		return processors();
	case _SC_OPEN_MAX: {
		/* getdtablesize: the soft RLIMIT_NOFILE (7), through prlimit64 as glibc's getrlimit. */
		unsigned long limit[2];
		long r = __syscall_ret(__syscall4(__NR_prlimit64, 0, 7, NULL, limit));
		return r < 0 ? -1 : (long)limit[0];
	}
	default:
		errno = EINVAL;
		return -1;
	}
}

/* ---- Cell SPU (spufs) --------------------------------------------------------------------------- */

/* spu_create(2): the fourth argument (neighbor_fd) is read only with SPU_CREATE_AFFINITY_SPU. */
int spu_create(const char *pathname, unsigned int flags, mode_t mode, ...)
{
	int neighbor = -1;

	if (flags & SPU_CREATE_AFFINITY_SPU) {
		va_list ap;

		va_start(ap, mode);
		neighbor = va_arg(ap, int);
		va_end(ap);
	}
	return (int)__syscall_ret(__kc_syscall(__NR_spu_create, (long)pathname, flags, mode, neighbor, 0, 0));
}

/* spu_run(2). */
int spu_run(int fd, unsigned int *npc, unsigned int *event)
{
	return (int)__syscall_ret(__kc_syscall(__NR_spu_run, fd, (long)npc, (long)event, 0, 0, 0));
}
