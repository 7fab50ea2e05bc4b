/* <asm/tlb.h>: the mmu_gather (mm/mmu_gather.c). Page-table pages and data pages removed from an
 * address space are not freed at once: another CPU may still walk or use them through its TLB.
 * They are gathered, the TLB is flushed for the range, and only then are they freed. */
#ifndef _ASM_X86_TLB_H
#define _ASM_X86_TLB_H

#include <linux/mm_types.h>

/* Pages gathered before a flush-and-free. */
#define MMU_GATHER_BATCH 64

struct mmu_gather {
	struct mm_struct *mm;
	unsigned long start, end;	/* the range whose translations must be flushed */
	unsigned int fullmm;		/* tearing down the whole address space */
	unsigned int freed_tables;	/* page tables were unlinked: walk caches must go too */
	unsigned int nr;
	struct page *pages[MMU_GATHER_BATCH];
};

void tlb_gather_mmu(struct mmu_gather *tlb, struct mm_struct *mm);
void tlb_gather_mmu_fullmm(struct mmu_gather *tlb, struct mm_struct *mm);
void tlb_finish_mmu(struct mmu_gather *tlb);
/* Flushes the gathered range and frees the gathered pages. */
void tlb_flush_mmu(struct mmu_gather *tlb);
/* Queues a page (its reference is dropped after the flush). */
void tlb_remove_page(struct mmu_gather *tlb, struct page *page);
/* Extends the range to flush. */
void tlb_flush_range_add(struct mmu_gather *tlb, unsigned long address, unsigned long size);

/* Unlinked page-table pages: freed after the flush. */
void pte_free_tlb(struct mmu_gather *tlb, pgtable_t pte, unsigned long address);
void pmd_free_tlb(struct mmu_gather *tlb, pmd_t *pmd, unsigned long address);
void pud_free_tlb(struct mmu_gather *tlb, pud_t *pud, unsigned long address);

#endif /* _ASM_X86_TLB_H */
