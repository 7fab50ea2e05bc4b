/*
 * The remaining POSIX and Linux calls the user headers declare, as glibc's thin wrappers (user code
 * over __kc_syscall, errno convention of syscalls.c): directories and modes, fcntl, vectored I/O,
 * time and sleeping, more signal calls, CPU affinity, memory locking, memfd, waitid, execve. Each
 * makes exactly the system call glibc makes on x86-64; a kernel that lacks it answers ENOSYS.
 */
#include "internal.h"
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef __NR_rt_sigpending
#define __NR_rt_sigpending 127
#endif
#ifndef __NR_rt_sigsuspend
#define __NR_rt_sigsuspend 130
#endif

#define KERNEL_SIGSET_SIZE 8

/* ---- Files and directories ---------------------------------------------------------------------- */

/* fcntl takes one more argument, an integer or a pointer (glibc reads it as a pointer). */
int fcntl(int fd, int cmd, ...)
{
	va_list ap;
	unsigned long arg;

	va_start(ap, cmd);
	arg = va_arg(ap, unsigned long);
	va_end(ap);
	return (int)__syscall_ret(__syscall3(__NR_fcntl, fd, cmd, arg));
}

int mkdir(const char *path, mode_t mode)
{
	return (int)__syscall_ret(__syscall2(__NR_mkdir, path, mode));
}

int mkdirat(int dirfd, const char *path, mode_t mode)
{
	return (int)__syscall_ret(__syscall3(__NR_mkdirat, dirfd, path, mode));
}

int rmdir(const char *path)
{
	return (int)__syscall_ret(__syscall1(__NR_rmdir, path));
}

int chdir(const char *path)
{
	return (int)__syscall_ret(__syscall1(__NR_chdir, path));
}

int chmod(const char *path, mode_t mode)
{
	return (int)__syscall_ret(__syscall2(__NR_chmod, path, mode));
}

int fchmod(int fd, mode_t mode)
{
	return (int)__syscall_ret(__syscall2(__NR_fchmod, fd, mode));
}

/* umask cannot fail: the old mask is the result. */
mode_t umask(mode_t mask)
{
	return (mode_t)__syscall1(__NR_umask, mask);
}

/* getcwd with a NULL buffer allocates one (size bytes, or what the path needs when size is 0). */
char *getcwd(char *buf, size_t size)
{
	char *path = buf;
	size_t room = size;
	long r;

	if (buf == NULL) {
		room = size != 0 ? size : 4096;
		path = malloc(room);
		if (path == NULL)
			return NULL;
	} else if (size == 0) {
		errno = EINVAL;
		return NULL;
	}
	r = __syscall2(__NR_getcwd, path, room);
	if (__syscall_failed(r)) {
		if (buf == NULL)
			free(path);
		errno = (int)-r;
		return NULL;
	}
	return path;
}

ssize_t readv(int fd, const struct iovec *iov, int count)
{
	return __syscall_ret(__syscall3(__NR_readv, fd, iov, count));
}

ssize_t writev(int fd, const struct iovec *iov, int count)
{
	return __syscall_ret(__syscall3(__NR_writev, fd, iov, count));
}

/* The offset goes as a low and a high word; on x86-64 the low word holds all of it. */
ssize_t preadv(int fd, const struct iovec *iov, int count, off_t offset)
{
	return __syscall_ret(__syscall5(__NR_preadv, fd, iov, count, offset, 0));
}

ssize_t pwritev(int fd, const struct iovec *iov, int count, off_t offset)
{
	return __syscall_ret(__syscall5(__NR_pwritev, fd, iov, count, offset, 0));
}

ssize_t process_vm_readv(pid_t pid, const struct iovec *local, unsigned long local_count, const struct iovec *remote, unsigned long remote_count,
	unsigned long flags)
{
	return __syscall_ret(__syscall6(__NR_process_vm_readv, pid, local, local_count, remote, remote_count, flags));
}

ssize_t process_vm_writev(pid_t pid, const struct iovec *local, unsigned long local_count, const struct iovec *remote, unsigned long remote_count,
	unsigned long flags)
{
	return __syscall_ret(__syscall6(__NR_process_vm_writev, pid, local, local_count, remote, remote_count, flags));
}

int execve(const char *path, char *const argv[], char *const envp[])
{
	return (int)__syscall_ret(__syscall3(__NR_execve, path, argv, envp));
}

/* ---- Memory ------------------------------------------------------------------------------------- */

int mlockall(int flags)
{
	return (int)__syscall_ret(__syscall1(__NR_mlockall, flags));
}

int munlockall(void)
{
	return (int)__syscall_ret(__syscall0(__NR_munlockall));
}

int mlock2(const void *addr, size_t length, unsigned int flags)
{
	return (int)__syscall_ret(__syscall3(__NR_mlock2, addr, length, flags));
}

int memfd_create(const char *name, unsigned int flags)
{
	return (int)__syscall_ret(__syscall2(__NR_memfd_create, name, flags));
}

/* ---- Processes and signals ---------------------------------------------------------------------- */

int waitid(idtype_t idtype, id_t id, siginfo_t *info, int options)
{
	return (int)__syscall_ret(__syscall5(__NR_waitid, idtype, id, info, options, NULL));
}

int sched_setaffinity(pid_t pid, size_t size, const cpu_set_t *set)
{
	return (int)__syscall_ret(__syscall3(__NR_sched_setaffinity, pid, size, set));
}

int killpg(pid_t group, int sig)
{
	if (group < 0) {
		errno = EINVAL;
		return -1;
	}
	return (int)__syscall_ret(__syscall2(__NR_kill, -group, sig));
}

int sigpending(sigset_t *set)
{
	return (int)__syscall_ret(__syscall2(__NR_rt_sigpending, set, KERNEL_SIGSET_SIZE));
}

int sigsuspend(const sigset_t *set)
{
	return (int)__syscall_ret(__syscall2(__NR_rt_sigsuspend, set, KERNEL_SIGSET_SIZE));
}

int sigaltstack(const stack_t *stack, stack_t *old)
{
	return (int)__syscall_ret(__syscall2(__NR_sigaltstack, stack, old));
}

/* ---- Time --------------------------------------------------------------------------------------- */

int clock_gettime(clockid_t clock, struct timespec *ts)
{
	return (int)__syscall_ret(__syscall2(__NR_clock_gettime, clock, ts));
}

int clock_getres(clockid_t clock, struct timespec *ts)
{
	return (int)__syscall_ret(__syscall2(__NR_clock_getres, clock, ts));
}

int gettimeofday(struct timeval *tv, void *tz)
{
	return (int)__syscall_ret(__syscall2(__NR_gettimeofday, tv, tz));
}

time_t time(time_t *result)
{
	struct timespec now;

	if (clock_gettime(CLOCK_REALTIME, &now) < 0)
		return (time_t)-1;
	if (result != NULL)
		*result = now.tv_sec;
	return now.tv_sec;
}

int nanosleep(const struct timespec *request, struct timespec *remaining)
{
	return (int)__syscall_ret(__syscall2(__NR_nanosleep, request, remaining));
}

/* clock_nanosleep returns the error number instead of setting errno. */
int clock_nanosleep(clockid_t clock, int flags, const struct timespec *request, struct timespec *remaining)
{
	long r = __syscall4(__NR_clock_nanosleep, clock, flags, request, remaining);

	return __syscall_failed(r) ? (int)-r : 0;
}

/* sleep returns the seconds left when a signal cut it short (rounded up, as glibc). */
unsigned int sleep(unsigned int seconds)
{
	struct timespec ts = { (time_t)seconds, 0 };

	if (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		return (unsigned int)ts.tv_sec + (ts.tv_nsec >= 500000000L);
	return 0;
}

int usleep(__useconds_t microseconds)
{
	struct timespec ts = { (time_t)(microseconds / 1000000), (long)(microseconds % 1000000) * 1000 };

	return nanosleep(&ts, NULL);
}
