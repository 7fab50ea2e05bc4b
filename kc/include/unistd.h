/* <unistd.h> for Faultline user programs: the POSIX calls the flat host implements. More arrive
   with the simulated kernel. */
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

#define STDIN_FILENO 0
#define STDOUT_FILENO 1
#define STDERR_FILENO 2

ssize_t write(int __fd, const void *__buf, size_t __n);
ssize_t read(int __fd, void *__buf, size_t __nbytes);
void _exit(int __status) __attribute__((noreturn));

#endif
