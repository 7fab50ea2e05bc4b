/* <asm-generic/int-ll64.h> for Faultline user programs: the kernel's fixed-width integer types
   (64-bit ones are long long, as in the Linux user API on every architecture). */
#ifndef _ASM_GENERIC_INT_LL64_H
#define _ASM_GENERIC_INT_LL64_H 1

typedef signed char __s8;
typedef unsigned char __u8;
typedef short __s16;
typedef unsigned short __u16;
typedef int __s32;
typedef unsigned int __u32;
typedef long long __s64;
typedef unsigned long long __u64;

#endif
