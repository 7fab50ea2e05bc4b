/* <linux/types.h> for Faultline user programs: the fixed-width and byte-order-annotated integer
   types of the Linux user API (sparse's __bitwise annotation is empty for compilers). */
#ifndef _LINUX_TYPES_H
#define _LINUX_TYPES_H 1

#include <asm/types.h>
#include <linux/posix_types.h>

#define __bitwise
#define __bitwise__ __bitwise

/* Little- and big-endian values as stored in device and wire formats. */
typedef __u16 __bitwise __le16;
typedef __u16 __bitwise __be16;
typedef __u32 __bitwise __le32;
typedef __u32 __bitwise __be32;
typedef __u64 __bitwise __le64;
typedef __u64 __bitwise __be64;

/* Internet checksums. */
typedef __u16 __bitwise __sum16;
typedef __u32 __bitwise __wsum;

/* 64-bit members that stay 8-byte aligned in 32-bit user space too. */
#define __aligned_u64 __u64 __attribute__((aligned(8)))
#define __aligned_s64 __s64 __attribute__((aligned(8)))
#define __aligned_be64 __be64 __attribute__((aligned(8)))
#define __aligned_le64 __le64 __attribute__((aligned(8)))

typedef unsigned __bitwise __poll_t;

#endif
