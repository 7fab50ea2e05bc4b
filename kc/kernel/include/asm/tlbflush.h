/* <asm/tlbflush.h>: TLB maintenance. The simulated TLBs keep stale translations until flushed, as
 * hardware does; these reach the machine through a builtin (all CPUs using the mm are flushed,
 * the IPIs of a real shootdown included). */
#ifndef _ASM_X86_TLBFLUSH_H
#define _ASM_X86_TLBFLUSH_H

#include <linux/faultline.h>

#define TLB_FLUSH_ALL (~0UL)

#define flush_tlb_mm(mm) __kc_flush_tlb_mm_range((void *)(mm), 0UL, TLB_FLUSH_ALL)
#define flush_tlb_range(vma, start, end) __kc_flush_tlb_mm_range((void *)(vma)->vm_mm, (start), (end))
#define flush_tlb_page(vma, addr) __kc_flush_tlb_mm_range((void *)(vma)->vm_mm, (addr), (addr) + PAGE_SIZE)
#define flush_tlb_mm_range(mm, start, end) __kc_flush_tlb_mm_range((void *)(mm), (start), (end))
#define flush_tlb_kernel_range(start, end) __kc_flush_tlb_mm_range(NULL, (start), (end))
#define flush_tlb_all() __kc_flush_tlb_mm_range(NULL, 0UL, TLB_FLUSH_ALL)

#endif /* _ASM_X86_TLBFLUSH_H */
