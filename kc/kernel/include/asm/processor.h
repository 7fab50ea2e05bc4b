/* <asm/processor.h>: the user address-space limits of x86-64 (4-level paging). */
#ifndef _ASM_X86_PROCESSOR_H
#define _ASM_X86_PROCESSOR_H

#include <asm/page.h>

/* The highest user address + 1: one guard page below the non-canonical hole (0x7ffffffff000). */
#define TASK_SIZE_MAX ((1UL << 47) - PAGE_SIZE)
#define TASK_SIZE TASK_SIZE_MAX
#define STACK_TOP TASK_SIZE
/* Where bottom-up mmap searches start (the legacy layout). */
#define TASK_UNMAPPED_BASE (((TASK_SIZE / 3) + PAGE_SIZE - 1) & PAGE_MASK)

#endif /* _ASM_X86_PROCESSOR_H */
