/* <linux/posix_types.h> for Faultline user programs: the kernel's fd_set and the architecture's
   __kernel_* types. */
#ifndef _LINUX_POSIX_TYPES_H
#define _LINUX_POSIX_TYPES_H 1

#undef __FD_SETSIZE
#define __FD_SETSIZE 1024

/* 1024 bits, one per descriptor. */
typedef struct {
	unsigned long fds_bits[__FD_SETSIZE / (8 * sizeof(long))];
} __kernel_fd_set;

typedef void (*__kernel_sighandler_t)(int);
typedef int __kernel_key_t;
typedef int __kernel_mqd_t;

#include <asm/posix_types.h>

#endif
