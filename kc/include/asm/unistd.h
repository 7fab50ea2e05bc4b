/* <asm/unistd.h> for Faultline user programs: the x86-64 system call numbers. */
#ifndef _ASM_X86_UNISTD_H
#define _ASM_X86_UNISTD_H 1

#include <asm/unistd_64.h>

#endif
