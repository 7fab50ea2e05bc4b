/* arch/x86/mm/pgtable.c: allocating and freeing page-table pages (x86-64, 4-level).
 *
 * Every table is one zeroed page from the buddy allocator. A PTE table is a struct page with its
 * own lock (the split page-table lock, initialised by pgtable_pte_page_ctor); the upper levels are
 * handled by address. A new pgd shares the kernel half of init_mm's (the direct map, vmalloc, the
 * kernel image), so that every address space sees the kernel. */
#include <linux/mm.h>
#include <linux/string.h>
#include <asm/pgalloc.h>

#define GFP_PGTABLE (GFP_KERNEL | __GFP_ZERO)

pgtable_t pte_alloc_one(struct mm_struct *mm)
{
	struct page *pte = alloc_pages(GFP_PGTABLE, 0);

	(void)mm;
	if (!pte)
		return NULL;
	if (!pgtable_pte_page_ctor(pte)) {
		__free_page(pte);
		return NULL;
	}
	return pte;
}

void pte_free(struct mm_struct *mm, pgtable_t pte)
{
	(void)mm;
	pgtable_pte_page_dtor(pte);
	__free_page(pte);
}

pte_t *pte_alloc_one_kernel(struct mm_struct *mm)
{
	(void)mm;
	return (pte_t *)get_zeroed_page(GFP_KERNEL);
}

void pte_free_kernel(struct mm_struct *mm, pte_t *pte)
{
	(void)mm;
	free_page((unsigned long)pte);
}

pmd_t *pmd_alloc_one(struct mm_struct *mm, unsigned long addr)
{
	(void)mm;
	(void)addr;
	return (pmd_t *)get_zeroed_page(GFP_KERNEL);
}

void pmd_free(struct mm_struct *mm, pmd_t *pmd)
{
	(void)mm;
	free_page((unsigned long)pmd);
}

pud_t *pud_alloc_one(struct mm_struct *mm, unsigned long addr)
{
	(void)mm;
	(void)addr;
	return (pud_t *)get_zeroed_page(GFP_KERNEL);
}

void pud_free(struct mm_struct *mm, pud_t *pud)
{
	(void)mm;
	free_page((unsigned long)pud);
}

pgd_t *pgd_alloc(struct mm_struct *mm)
{
	pgd_t *pgd = (pgd_t *)get_zeroed_page(GFP_KERNEL);

	if (!pgd)
		return NULL;
	/* The kernel half: copy init_mm's top-level entries (the tables below them are shared). */
	if (init_mm.pgd && mm != &init_mm)
		memcpy(pgd + KERNEL_PGD_BOUNDARY, init_mm.pgd + KERNEL_PGD_BOUNDARY, KERNEL_PGD_PTRS * sizeof(pgd_t));
	return pgd;
}

void pgd_free(struct mm_struct *mm, pgd_t *pgd)
{
	(void)mm;
	free_page((unsigned long)pgd);
}
