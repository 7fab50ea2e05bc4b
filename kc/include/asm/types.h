/* <asm/types.h> for Faultline user programs (x86-64): the kernel's __u8..__u64 and __s8..__s64. */
#ifndef _ASM_X86_TYPES_H
#define _ASM_X86_TYPES_H 1

#include <asm-generic/int-ll64.h>

#endif
