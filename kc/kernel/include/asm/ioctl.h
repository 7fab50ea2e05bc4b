/* <asm/ioctl.h>: x86-64 uses the generic ioctl encoding (see <asm-generic/ioctl.h>). */
#ifndef _ASM_X86_IOCTL_H
#define _ASM_X86_IOCTL_H 1

#include <asm-generic/ioctl.h>

#endif
