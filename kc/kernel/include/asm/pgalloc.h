/* <asm/pgalloc.h>: allocating page-table pages and linking them into the level above
 * (arch/x86/mm/pgtable.c). Every table is a zeroed page from the buddy allocator. */
#ifndef _ASM_X86_PGALLOC_H
#define _ASM_X86_PGALLOC_H

#include <linux/mm.h>

pgtable_t pte_alloc_one(struct mm_struct *mm);
pte_t *pte_alloc_one_kernel(struct mm_struct *mm);
void pte_free(struct mm_struct *mm, pgtable_t pte);
void pte_free_kernel(struct mm_struct *mm, pte_t *pte);
pmd_t *pmd_alloc_one(struct mm_struct *mm, unsigned long addr);
void pmd_free(struct mm_struct *mm, pmd_t *pmd);
pud_t *pud_alloc_one(struct mm_struct *mm, unsigned long addr);
void pud_free(struct mm_struct *mm, pud_t *pud);

/* User-level tables get _PAGE_TABLE (user-accessible), kernel ones _KERNPG_TABLE. */
static inline void pmd_populate(struct mm_struct *mm, pmd_t *pmd, pgtable_t pte)
{
	(void)mm;
	set_pmd(pmd, __pmd(((pmdval_t)page_to_pfn(pte) << PAGE_SHIFT) | _PAGE_TABLE));
}

static inline void pmd_populate_kernel(struct mm_struct *mm, pmd_t *pmd, pte_t *pte)
{
	(void)mm;
	set_pmd(pmd, __pmd(__pa(pte) | _KERNPG_TABLE));
}

static inline void pud_populate(struct mm_struct *mm, pud_t *pud, pmd_t *pmd)
{
	(void)mm;
	set_pud(pud, __pud(__pa(pmd) | _PAGE_TABLE));
}

static inline void pgd_populate(struct mm_struct *mm, pgd_t *pgd, pud_t *pud)
{
	(void)mm;
	set_pgd(pgd, __pgd(__pa(pud) | _PAGE_TABLE));
}

#endif /* _ASM_X86_PGALLOC_H */
