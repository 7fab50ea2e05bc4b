/* mm/internal.h: interfaces between the files of mm/ that nothing else uses. */
#ifndef __MM_INTERNAL_H
#define __MM_INTERNAL_H

#include <linux/mm.h>

/* Returns 2^order pages whose last reference is gone to the buddy allocator (page_alloc.c). */
void free_the_page(struct page *page, unsigned int order);
/* Boot: frames leaving memblock for the buddy allocator (page_alloc.c). */
void __free_pages_core(struct page *page, unsigned int order);

/* ---- mm-syscalls: mmap.c, util.c, mprotect.c, mremap.c, madvise.c ---- */

/* The mmap lock by its era's name: mm->mmap_sem until 5.8, mm->mmap_lock (mmap_write_lock() and
 * friends) after. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 8, 0)
#define mm_write_lock(mm) mmap_write_lock(mm)
#define mm_write_unlock(mm) mmap_write_unlock(mm)
#define mm_read_lock(mm) mmap_read_lock(mm)
#define mm_read_unlock(mm) mmap_read_unlock(mm)
#else
#define mm_write_lock(mm) down_write(&(mm)->mmap_sem)
#define mm_write_unlock(mm) up_write(&(mm)->mmap_sem)
#define mm_read_lock(mm) down_read(&(mm)->mmap_sem)
#define mm_read_unlock(mm) up_read(&(mm)->mmap_sem)
#endif

/* A new protection that keeps the cache attributes (and PTE-only bits) of the old one: x86's
 * pgprot_modify from 2.6.26 (PAT); before, the new protection simply replaced the old. */
static inline pgprot_t mm_pgprot_modify(pgprot_t oldprot, pgprot_t newprot)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 26)
	return __pgprot((pgprot_val(oldprot) & _PAGE_CHG_MASK) | (pgprot_val(newprot) & ~_PAGE_CHG_MASK));
#else
	(void)oldprot;
	return newprot;
#endif
}

/* Faults in the pages of [start, start + len) as MAP_POPULATE and VM_LOCKED do (Linux:
 * make_pages_present until 3.8, __mm_populate after). The caller holds the mmap lock. */
void mm_populate_range(struct mm_struct *mm, unsigned long start, unsigned long len);

/* The upper page-table levels: an entry that is none, or bad (reported and cleared), has nothing
 * below it to walk (Linux's pgd/pud/pmd_none_or_clear_bad of asm-generic/pgtable.h). */
static inline int mm_pgd_none_or_clear_bad(pgd_t *pgd)
{
	if (pgd_none(*pgd))
		return 1;
	if (unlikely(pgd_bad(*pgd))) {
		printk(KERN_ERR "bad pgd %016lx\n", (unsigned long)pgd_val(*pgd));
		pgd_clear(pgd);
		return 1;
	}
	return 0;
}

static inline int mm_pud_none_or_clear_bad(pud_t *pud)
{
	if (pud_none(*pud))
		return 1;
	if (unlikely(pud_bad(*pud))) {
		printk(KERN_ERR "bad pud %016lx\n", (unsigned long)pud_val(*pud));
		pud_clear(pud);
		return 1;
	}
	return 0;
}

static inline int mm_pmd_none_or_clear_bad(pmd_t *pmd)
{
	if (pmd_none(*pmd))
		return 1;
	if (unlikely(pmd_bad(*pmd))) {
		printk(KERN_ERR "bad pmd %016lx\n", (unsigned long)pmd_val(*pmd));
		pmd_clear(pmd);
		return 1;
	}
	return 0;
}

#endif /* __MM_INTERNAL_H */
