/* <asm/pgtable.h>: x86-64 4-level page tables: geometry, entry accessors and the walk helpers.
 *
 * Levels: pgd (PML4) -> pud (PDPT) -> pmd (PD) -> pte (PT), 512 entries each, every table one page
 * from the buddy allocator. Linux 4.12+ has a folded p4d level between pgd and pud when running
 * 4-level paging; Faultline walks pgd -> pud directly in every era.
 *
 * Stores of leaf entries (set_pte_at, pte_clear, ptep_get_and_clear) go through builtins that do the
 * one 64-bit store the hardware sees and emit a trace event; upper-level entries are plain stores. */
#ifndef _ASM_X86_PGTABLE_H
#define _ASM_X86_PGTABLE_H

#include <linux/types.h>
#include <linux/version.h>
#include <linux/faultline.h>
#include <asm/page.h>
#include <asm/pgtable_types.h>
#include <asm/tlbflush.h>

#define PGDIR_SHIFT 39
#define PTRS_PER_PGD 512
#define PUD_SHIFT 30
#define PTRS_PER_PUD 512
#define PMD_SHIFT 21
#define PTRS_PER_PMD 512
#define PTRS_PER_PTE 512

#define PGDIR_SIZE (1UL << PGDIR_SHIFT)
#define PGDIR_MASK (~(PGDIR_SIZE - 1))
#define PUD_SIZE (1UL << PUD_SHIFT)
#define PUD_MASK (~(PUD_SIZE - 1))
#define PMD_SIZE (1UL << PMD_SHIFT)
#define PMD_MASK (~(PMD_SIZE - 1))

/* The first pgd slot of the kernel half that every process shares (the direct map onwards). */
#define KERNEL_PGD_BOUNDARY pgd_index(PAGE_OFFSET)
#define KERNEL_PGD_PTRS (PTRS_PER_PGD - KERNEL_PGD_BOUNDARY)
#define USER_PGD_PTRS (PTRS_PER_PGD / 2)
#define FIRST_USER_ADDRESS 0UL
#define USER_PTRS_PER_PGD USER_PGD_PTRS

#define pgd_index(address) (((address) >> PGDIR_SHIFT) & (PTRS_PER_PGD - 1))
#define pud_index(address) (((address) >> PUD_SHIFT) & (PTRS_PER_PUD - 1))
#define pmd_index(address) (((address) >> PMD_SHIFT) & (PTRS_PER_PMD - 1))
#define pte_index(address) (((address) >> PAGE_SHIFT) & (PTRS_PER_PTE - 1))

/* The end of the range [addr, end) covered by addr's entry at each level (the walkers' step). */
#define pgd_addr_end(addr, end) ({ unsigned long __boundary = ((addr) + PGDIR_SIZE) & PGDIR_MASK; \
	(__boundary - 1 < (end) - 1) ? __boundary : (end); })
#define pud_addr_end(addr, end) ({ unsigned long __boundary = ((addr) + PUD_SIZE) & PUD_MASK; \
	(__boundary - 1 < (end) - 1) ? __boundary : (end); })
#define pmd_addr_end(addr, end) ({ unsigned long __boundary = ((addr) + PMD_SIZE) & PMD_MASK; \
	(__boundary - 1 < (end) - 1) ? __boundary : (end); })

/* ---- Values and accessors ---- */

static inline pte_t __pte(pteval_t val) { return (pte_t) { val }; }
static inline pmd_t __pmd(pmdval_t val) { return (pmd_t) { val }; }
static inline pud_t __pud(pudval_t val) { return (pud_t) { val }; }
static inline pgd_t __pgd(pgdval_t val) { return (pgd_t) { val }; }
static inline pteval_t pte_val(pte_t pte) { return pte.pte; }
static inline pmdval_t pmd_val(pmd_t pmd) { return pmd.pmd; }
static inline pudval_t pud_val(pud_t pud) { return pud.pud; }
static inline pgdval_t pgd_val(pgd_t pgd) { return pgd.pgd; }

static inline pteval_t pte_flags(pte_t pte) { return pte.pte & PTE_FLAGS_MASK; }
static inline int pte_none(pte_t pte) { return pte.pte == 0; }
/* A PROT_NONE entry is present for the kernel, not for the MMU. */
static inline int pte_present(pte_t pte) { return (pte.pte & (_PAGE_PRESENT | _PAGE_PROTNONE)) != 0; }
static inline int pte_write(pte_t pte) { return (pte.pte & _PAGE_RW) != 0; }
static inline int pte_dirty(pte_t pte) { return (pte.pte & _PAGE_DIRTY) != 0; }
static inline int pte_young(pte_t pte) { return (pte.pte & _PAGE_ACCESSED) != 0; }
static inline int pte_exec(pte_t pte) { return (pte.pte & _PAGE_NX) == 0; }
static inline int pte_same(pte_t a, pte_t b) { return a.pte == b.pte; }
static inline unsigned long pte_pfn(pte_t pte) { return (pte.pte & PTE_PFN_MASK) >> PAGE_SHIFT; }
static inline pgprot_t pte_pgprot(pte_t pte) { return __pgprot(pte.pte & PTE_FLAGS_MASK); }

static inline pte_t pfn_pte(unsigned long pfn, pgprot_t prot) { return __pte(((pteval_t)pfn << PAGE_SHIFT) | pgprot_val(prot)); }
#define mk_pte(page, pgprot) pfn_pte(page_to_pfn(page), (pgprot))
#define pte_page(pte) pfn_to_page(pte_pfn(pte))

static inline pte_t pte_set_flags(pte_t pte, pteval_t set) { return __pte(pte.pte | set); }
static inline pte_t pte_clear_flags(pte_t pte, pteval_t clear) { return __pte(pte.pte & ~clear); }
static inline pte_t pte_mkdirty(pte_t pte) { return pte_set_flags(pte, _PAGE_DIRTY); }
static inline pte_t pte_mkclean(pte_t pte) { return pte_clear_flags(pte, _PAGE_DIRTY); }
static inline pte_t pte_mkyoung(pte_t pte) { return pte_set_flags(pte, _PAGE_ACCESSED); }
static inline pte_t pte_mkold(pte_t pte) { return pte_clear_flags(pte, _PAGE_ACCESSED); }
static inline pte_t pte_wrprotect(pte_t pte) { return pte_clear_flags(pte, _PAGE_RW); }
static inline pte_t pte_mkexec(pte_t pte) { return pte_clear_flags(pte, _PAGE_NX); }
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 6, 0)
/* 6.6 added the VMA argument (shadow stacks); the old form is pte_mkwrite_novma. */
struct vm_area_struct;
static inline pte_t pte_mkwrite_novma(pte_t pte) { return pte_set_flags(pte, _PAGE_RW); }
static inline pte_t pte_mkwrite(pte_t pte, struct vm_area_struct *vma) { (void)vma; return pte_set_flags(pte, _PAGE_RW); }
#else
static inline pte_t pte_mkwrite(pte_t pte) { return pte_set_flags(pte, _PAGE_RW); }
#endif
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 26)
/* "No struct page behind this PFN, do not refcount" (kernel-semantics.md 2.3, VM_MIXEDMAP). */
#define __HAVE_ARCH_PTE_SPECIAL
static inline int pte_special(pte_t pte) { return (pte.pte & _PAGE_SPECIAL) != 0; }
static inline pte_t pte_mkspecial(pte_t pte) { return pte_set_flags(pte, _PAGE_SPECIAL); }
#endif

/* Changes the protection of an entry, keeping its frame, cache attributes and software bits. */
static inline pte_t pte_modify(pte_t pte, pgprot_t newprot)
{
	return __pte((pte.pte & _PAGE_CHG_MASK) | (pgprot_val(newprot) & ~_PAGE_CHG_MASK));
}

static inline unsigned long pmd_flags(pmd_t pmd) { return pmd.pmd & PTE_FLAGS_MASK; }
static inline int pmd_none(pmd_t pmd) { return pmd.pmd == 0; }
static inline int pmd_present(pmd_t pmd) { return (pmd.pmd & _PAGE_PRESENT) != 0; }
static inline int pmd_large(pmd_t pmd) { return (pmd.pmd & _PAGE_PSE) != 0; }
/* Not a pointer to a page table: corrupt, or a huge page. */
static inline int pmd_bad(pmd_t pmd) { return (pmd_flags(pmd) & ~_PAGE_USER) != _KERNPG_TABLE; }
static inline unsigned long pmd_pfn(pmd_t pmd) { return (pmd.pmd & PTE_PFN_MASK) >> PAGE_SHIFT; }
static inline unsigned long pmd_page_vaddr(pmd_t pmd) { return (unsigned long)__va(pmd.pmd & PTE_PFN_MASK); }
#define pmd_page(pmd) pfn_to_page(pmd_pfn(pmd))

static inline unsigned long pud_flags(pud_t pud) { return pud.pud & PTE_FLAGS_MASK; }
static inline int pud_none(pud_t pud) { return pud.pud == 0; }
static inline int pud_present(pud_t pud) { return (pud.pud & _PAGE_PRESENT) != 0; }
static inline int pud_large(pud_t pud) { return (pud.pud & _PAGE_PSE) != 0; }
static inline int pud_bad(pud_t pud) { return (pud_flags(pud) & ~_PAGE_USER) != _KERNPG_TABLE; }
static inline unsigned long pud_pfn(pud_t pud) { return (pud.pud & PTE_PFN_MASK) >> PAGE_SHIFT; }
static inline unsigned long pud_page_vaddr(pud_t pud) { return (unsigned long)__va(pud.pud & PTE_PFN_MASK); }
#define pud_page(pud) pfn_to_page(pud_pfn(pud))

static inline unsigned long pgd_flags(pgd_t pgd) { return pgd.pgd & PTE_FLAGS_MASK; }
static inline int pgd_none(pgd_t pgd) { return pgd.pgd == 0; }
static inline int pgd_present(pgd_t pgd) { return (pgd.pgd & _PAGE_PRESENT) != 0; }
static inline int pgd_bad(pgd_t pgd) { return (pgd_flags(pgd) & ~_PAGE_USER) != _KERNPG_TABLE; }
static inline unsigned long pgd_pfn(pgd_t pgd) { return (pgd.pgd & PTE_PFN_MASK) >> PAGE_SHIFT; }
static inline unsigned long pgd_page_vaddr(pgd_t pgd) { return (unsigned long)__va(pgd.pgd & PTE_PFN_MASK); }
#define pgd_page(pgd) pfn_to_page(pgd_pfn(pgd))

/* ---- Walking ---- */

#define pgd_offset(mm, address) ((mm)->pgd + pgd_index(address))
#define pgd_offset_k(address) pgd_offset(&init_mm, (address))

static inline pud_t *pud_offset(pgd_t *pgd, unsigned long address)
{
	return (pud_t *)pgd_page_vaddr(*pgd) + pud_index(address);
}

static inline pmd_t *pmd_offset(pud_t *pud, unsigned long address)
{
	return (pmd_t *)pud_page_vaddr(*pud) + pmd_index(address);
}

static inline pte_t *pte_offset_kernel(pmd_t *pmd, unsigned long address)
{
	return (pte_t *)pmd_page_vaddr(*pmd) + pte_index(address);
}

/* No highmem on x86-64: page tables are always mapped, "unmapping" does nothing. */
#define pte_offset_map(pmd, address) pte_offset_kernel((pmd), (address))
#define pte_unmap(pte) do { (void)(pte); } while (0)

/* ---- Stores ---- */

/* A user PTE for `addr` in `mm`: the store and a `pteSet` trace event. */
#define set_pte_at(mm, addr, ptep, pte) __kc_set_pte((void *)(ptep), pte_val(pte), (void *)(mm), (addr), __KC_SITE)
/* A kernel PTE (no mm, address unknown to the trace). */
#define set_pte(ptep, pte) __kc_set_pte((void *)(ptep), pte_val(pte), NULL, 0UL, __KC_SITE)
#define pte_clear(mm, addr, ptep) __kc_pte_clear((void *)(ptep), (void *)(mm), (addr), __KC_SITE)
#define ptep_get_and_clear(mm, addr, ptep) __pte(__kc_ptep_get_and_clear((void *)(ptep), (void *)(mm), (addr), __KC_SITE))
#define ptep_get(ptep) (*(ptep))

static inline void set_pmd(pmd_t *pmdp, pmd_t pmd) { *pmdp = pmd; }
static inline void pmd_clear(pmd_t *pmd) { pmd->pmd = 0; }
static inline void set_pud(pud_t *pudp, pud_t pud) { *pudp = pud; }
static inline void pud_clear(pud_t *pud) { pud->pud = 0; }
static inline void set_pgd(pgd_t *pgdp, pgd_t pgd) { *pgdp = pgd; }
static inline void pgd_clear(pgd_t *pgd) { pgd->pgd = 0; }

/* There are no caches to maintain when a translation changes (x86). */
#define update_mmu_cache(vma, address, ptep) do { } while (0)
#define update_mmu_tlb(vma, address, ptep) do { } while (0)
#define flush_cache_page(vma, address, pfn) do { } while (0)
#define flush_cache_range(vma, start, end) do { } while (0)
#define flush_icache_page(vma, page) do { } while (0)
#define flush_dcache_page(page) do { } while (0)

/* ---- Read-modify-write of a leaf entry (the caller holds the PTE table's lock) ---- */

/* Write-protects a present PTE (fork's COW): one store through the traced builtin. */
#define ptep_set_wrprotect(mm, addr, ptep) set_pte_at((mm), (addr), (ptep), pte_wrprotect(*(ptep)))

/* Clears a PTE and flushes its translation from every TLB before the caller installs another
 * (COW: no CPU may keep writing to the old page through a stale entry). Returns the old value. */
#define ptep_clear_flush(vma, address, ptep) ({ \
	pte_t __old = ptep_get_and_clear((vma)->vm_mm, (address), (ptep)); \
	flush_tlb_page((vma), (address)); \
	__old; \
})

/*
 * Sets the accessed/dirty/write bits of a present PTE to `entry` (a fault that only upgrades the
 * entry); true when it changed. x86 stores only for a write (`dirty`): a stale read-only TLB entry
 * just refaults (the MMU drops a faulting page's entry). 2.6 x86-64 also flushed the page at once.
 */
#define ptep_set_access_flags(vma, address, ptep, entry, dirty) ({ \
	int __changed = !pte_same(*(ptep), (entry)); \
	if (__changed && (dirty)) { \
		set_pte_at((vma)->vm_mm, (address), (ptep), (entry)); \
		if (LINUX_VERSION_CODE < KERNEL_VERSION(2, 6, 28)) \
			flush_tlb_page((vma), (address)); \
	} \
	__changed; \
})

/* ---- The shared zero page ----
 * One zeroed frame that every read fault of untouched anonymous memory maps read-only, until a
 * write copies it (do_wp_page). Linux has it in the image's .bss (empty_zero_page); here the image is
 * not in the direct map, so mm/memory.c takes a frame from the page allocator at boot
 * (init_zero_pfn, or at first use) and marks it PG_reserved: it is never freed. Eras: 2.6.18-2.6.23
 * map it as a normal page (refcounted, mapcounted, counted in file_rss); 2.6.24-2.6.31 do not map it
 * on faults at all (GUP still hands it out); 2.6.32+ map it as a special PTE, never refcounted. */
extern unsigned long zero_pfn;
struct page *__zero_page(void);
#define ZERO_PAGE(vaddr) ((void)(vaddr), __zero_page())
#define is_zero_pfn(pfn) ((unsigned long)(pfn) == zero_pfn)
#define my_zero_pfn(addr) ((void)(addr), page_to_pfn(__zero_page()))

#endif /* _ASM_X86_PGTABLE_H */
