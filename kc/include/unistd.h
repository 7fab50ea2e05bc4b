/* <unistd.h> for Faultline user programs: the POSIX calls of glibc's header, x86-64 values.
   Calls the running machine does not provide yet fail at link time with "undefined reference". */
#ifndef _UNISTD_H
#define _UNISTD_H 1

#include <bits/faultline-types.h>

#ifndef __size_t_defined
#define __size_t_defined 1
typedef unsigned long size_t;
#endif

#ifndef __ssize_t_defined
#define __ssize_t_defined 1
typedef __ssize_t ssize_t;
#endif

#undef NULL
#define NULL ((void *)0)

#ifndef __intptr_t_defined
#define __intptr_t_defined 1
typedef long intptr_t;
#endif

#define STDIN_FILENO 0
#define STDOUT_FILENO 1
#define STDERR_FILENO 2

/* Spelled exactly as in <fcntl.h> and <stdio.h>, which define them too. */
#define R_OK 4
#define W_OK 2
#define X_OK 1
#define F_OK 0
#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2

/* sysconf names (glibc's enum values). */
#define _SC_CLK_TCK 2
#define _SC_OPEN_MAX 4
#define _SC_PAGESIZE 30
#define _SC_PAGE_SIZE _SC_PAGESIZE
#define _SC_NPROCESSORS_CONF 83
#define _SC_NPROCESSORS_ONLN 84
#define _SC_PHYS_PAGES 85

ssize_t write(int __fd, const void *__buf, size_t __n);
ssize_t read(int __fd, void *__buf, size_t __nbytes);
void _exit(int __status) __attribute__((noreturn));

long syscall(long __sysno, ...);
__pid_t getpid(void);
__pid_t getppid(void);
__pid_t gettid(void);
__pid_t fork(void);
__pid_t vfork(void);
int execve(const char *__path, char *const __argv[], char *const __envp[]);
int execv(const char *__path, char *const __argv[]);
int execvp(const char *__file, char *const __argv[]);
int close(int __fd);
__off_t lseek(int __fd, __off_t __offset, int __whence);
ssize_t pread(int __fd, void *__buf, size_t __nbytes, __off_t __offset);
ssize_t pwrite(int __fd, const void *__buf, size_t __n, __off_t __offset);
int pipe(int __pipedes[2]);
int dup(int __fd);
int dup2(int __fd, int __fd2);
unsigned int sleep(unsigned int __seconds);
int usleep(__useconds_t __useconds);
int pause(void);
long sysconf(int __name);
int getpagesize(void);
int brk(void *__addr);
void *sbrk(intptr_t __delta);
int access(const char *__name, int __type);
int unlink(const char *__name);
int rmdir(const char *__path);
int chdir(const char *__path);
char *getcwd(char *__buf, size_t __size);
int ftruncate(int __fd, __off_t __length);
int truncate(const char *__file, __off_t __length);
int fsync(int __fd);
__uid_t getuid(void);
__uid_t geteuid(void);
__gid_t getgid(void);
__gid_t getegid(void);
int isatty(int __fd);

#endif
