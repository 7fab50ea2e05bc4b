/* <sys/uio.h> for Faultline user programs: scatter/gather I/O and cross-process memory access
   (process_vm_readv/writev), with glibc's x86-64 definitions. */
#ifndef _SYS_UIO_H
#define _SYS_UIO_H 1

#include <bits/faultline-types.h>
#include <bits/types/struct_iovec.h>

#ifndef __size_t_defined
#define __size_t_defined 1
typedef unsigned long size_t;
#endif
#ifndef __ssize_t_defined
#define __ssize_t_defined 1
typedef __ssize_t ssize_t;
#endif
#ifndef __off_t_defined
#define __off_t_defined 1
typedef __off_t off_t;
#endif
#ifndef __pid_t_defined
#define __pid_t_defined 1
typedef __pid_t pid_t;
#endif

/* Most iovec entries one call takes. */
#define UIO_MAXIOV 1024

/* preadv2()/pwritev2() flags. */
#define RWF_HIPRI 0x00000001
#define RWF_DSYNC 0x00000002
#define RWF_SYNC 0x00000004
#define RWF_NOWAIT 0x00000008
#define RWF_APPEND 0x00000010

ssize_t readv(int __fd, const struct iovec *__iovec, int __count);
ssize_t writev(int __fd, const struct iovec *__iovec, int __count);
ssize_t preadv(int __fd, const struct iovec *__iovec, int __count, __off_t __offset);
ssize_t pwritev(int __fd, const struct iovec *__iovec, int __count, __off_t __offset);
ssize_t process_vm_readv(pid_t __pid, const struct iovec *__lvec, unsigned long __liovcnt, const struct iovec *__rvec, unsigned long __riovcnt, unsigned long __flags);
ssize_t process_vm_writev(pid_t __pid, const struct iovec *__lvec, unsigned long __liovcnt, const struct iovec *__rvec, unsigned long __riovcnt, unsigned long __flags);

#endif
