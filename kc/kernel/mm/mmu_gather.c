/* mm/mmu_gather.c: batching TLB flushes with the freeing of what the flushed translations pointed
 * at. Until the TLBs of every CPU using the mm are flushed, another CPU may still reach a page or
 * walk a page table through a stale entry; so pages and page tables taken out of an address space
 * are queued here and freed only after the flush (tlb_flush_mmu). */
#include <linux/mm.h>
#include <asm/tlb.h>
#include <asm/tlbflush.h>

static void __tlb_reset_range(struct mmu_gather *tlb)
{
	if (tlb->fullmm) {
		tlb->start = 0;
		tlb->end = TLB_FLUSH_ALL;
	} else {
		/* Empty: start above end. */
		tlb->start = TASK_SIZE;
		tlb->end = 0;
	}
	tlb->freed_tables = 0;
}

static void __tlb_gather_mmu(struct mmu_gather *tlb, struct mm_struct *mm, unsigned int fullmm)
{
	tlb->mm = mm;
	tlb->fullmm = fullmm;
	tlb->nr = 0;
	__tlb_reset_range(tlb);
}

void tlb_gather_mmu(struct mmu_gather *tlb, struct mm_struct *mm)
{
	__tlb_gather_mmu(tlb, mm, 0);
}

void tlb_gather_mmu_fullmm(struct mmu_gather *tlb, struct mm_struct *mm)
{
	__tlb_gather_mmu(tlb, mm, 1);
}

void tlb_flush_range_add(struct mmu_gather *tlb, unsigned long address, unsigned long size)
{
	if (tlb->fullmm)
		return;
	if (address < tlb->start)
		tlb->start = address;
	if (address + size > tlb->end)
		tlb->end = address + size;
}

void tlb_flush_mmu(struct mmu_gather *tlb)
{
	unsigned int i;

	if (tlb->fullmm)
		flush_tlb_mm(tlb->mm);
	else if (tlb->end > tlb->start)
		flush_tlb_mm_range(tlb->mm, tlb->start, tlb->end);
	__tlb_reset_range(tlb);
	/* Nothing can reach the gathered pages any more. */
	for (i = 0; i < tlb->nr; i++) {
		struct page *page = tlb->pages[i];

		if (PageTable(page))
			pgtable_pte_page_dtor(page);
		put_page(page);
	}
	tlb->nr = 0;
}

void tlb_remove_page(struct mmu_gather *tlb, struct page *page)
{
	tlb->pages[tlb->nr++] = page;
	if (tlb->nr == MMU_GATHER_BATCH)
		tlb_flush_mmu(tlb);
}

void tlb_finish_mmu(struct mmu_gather *tlb)
{
	tlb_flush_mmu(tlb);
}

/*
 * A freed table takes with it every translation it provided: the flushed range is what the table
 * mapped (2 MiB for a PTE table, 1 GiB for a PMD table, 512 GiB for a PUD table).
 */
void pte_free_tlb(struct mmu_gather *tlb, pgtable_t pte, unsigned long address)
{
	tlb->freed_tables = 1;
	tlb_flush_range_add(tlb, address & PMD_MASK, PMD_SIZE);
	tlb_remove_page(tlb, pte);
}

void pmd_free_tlb(struct mmu_gather *tlb, pmd_t *pmd, unsigned long address)
{
	tlb->freed_tables = 1;
	tlb_flush_range_add(tlb, address & PUD_MASK, PUD_SIZE);
	tlb_remove_page(tlb, virt_to_page(pmd));
}

void pud_free_tlb(struct mmu_gather *tlb, pud_t *pud, unsigned long address)
{
	tlb->freed_tables = 1;
	tlb_flush_range_add(tlb, address & PGDIR_MASK, PGDIR_SIZE);
	tlb_remove_page(tlb, virt_to_page(pud));
}
