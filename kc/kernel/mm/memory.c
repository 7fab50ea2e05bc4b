/* mm/memory.c (part): the struct page array, page-table allocation on demand, PTE lookup, and
 * freeing the page tables of a range. The fault path joins this file later.
 *
 * Allocating a table follows Linux's pattern: allocate and zero the new table with no lock held
 * (the allocator may sleep), then take the lock that protects the entry above and check again:
 * if another thread populated the entry meanwhile, the new table is freed and theirs is used
 * (kernel-semantics.md section 9: every install re-checks under the lock; losers back out
 * silently). PTE tables are linked under pmd_lockptr (mm->page_table_lock), the upper levels
 * under mm->page_table_lock; PTEs themselves under the table's own split lock (pte_lockptr). */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/errno.h>
#include <linux/spinlock.h>
#include <asm/pgalloc.h>
#include <asm/tlb.h>

/* The flat memory model's frame array (see <asm/page.h>), set up by free_area_init. */
struct page *mem_map;
unsigned long max_mapnr;

bool pgtable_pte_page_ctor(struct page *page)
{
	/* Every PTE table lock shares the lockdep class "ptlock_ptr(page)", as in Linux. */
	spin_lock_init(ptlock_ptr(page));
	__SetPageTable(page);
	return true;
}

void pgtable_pte_page_dtor(struct page *page)
{
	__ClearPageTable(page);
}

#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 0, 0)
int __pte_alloc(struct mm_struct *mm, pmd_t *pmd)
#else
int __pte_alloc(struct mm_struct *mm, pmd_t *pmd, unsigned long address)
#endif
{
	spinlock_t *ptl;
	pgtable_t new = pte_alloc_one(mm);

	if (!new)
		return -ENOMEM;
	/* The zeroed table must be visible before the entry that points at it. */
	smp_wmb();
	ptl = pmd_lockptr(mm, pmd);
	spin_lock(ptl);
	if (likely(pmd_none(*pmd))) {	/* Has another populated it? */
		mm_inc_nr_ptes(mm);
		pmd_populate(mm, pmd, new);
		new = NULL;
	}
	spin_unlock(ptl);
	if (new)
		pte_free(mm, new);
	return 0;
}

int __pte_alloc_kernel(pmd_t *pmd)
{
	pte_t *new = pte_alloc_one_kernel(&init_mm);

	if (!new)
		return -ENOMEM;
	smp_wmb();
	spin_lock(&init_mm.page_table_lock);
	if (likely(pmd_none(*pmd))) {	/* Has another populated it? */
		pmd_populate_kernel(&init_mm, pmd, new);
		new = NULL;
	}
	spin_unlock(&init_mm.page_table_lock);
	if (new)
		pte_free_kernel(&init_mm, new);
	return 0;
}

int __pud_alloc(struct mm_struct *mm, pgd_t *pgd, unsigned long address)
{
	pud_t *new = pud_alloc_one(mm, address);

	if (!new)
		return -ENOMEM;
	smp_wmb();
	spin_lock(&mm->page_table_lock);
	if (pgd_present(*pgd))		/* Another has populated it */
		pud_free(mm, new);
	else
		pgd_populate(mm, pgd, new);
	spin_unlock(&mm->page_table_lock);
	return 0;
}

int __pmd_alloc(struct mm_struct *mm, pud_t *pud, unsigned long address)
{
	pmd_t *new = pmd_alloc_one(mm, address);

	if (!new)
		return -ENOMEM;
	smp_wmb();
	spin_lock(&mm->page_table_lock);
	if (pud_present(*pud))		/* Another has populated it */
		pmd_free(mm, new);
	else
		pud_populate(mm, pud, new);
	spin_unlock(&mm->page_table_lock);
	return 0;
}

pte_t *get_locked_pte(struct mm_struct *mm, unsigned long addr, spinlock_t **ptl)
{
	pgd_t *pgd = pgd_offset(mm, addr);
	pud_t *pud = pud_alloc(mm, pgd, addr);
	pmd_t *pmd;

	if (!pud)
		return NULL;
	pmd = pmd_alloc(mm, pud, addr);
	if (!pmd)
		return NULL;
	return pte_alloc_map_lock(mm, pmd, addr, ptl);
}

int follow_pte(struct mm_struct *mm, unsigned long address, pte_t **ptepp, spinlock_t **ptlp)
{
	pgd_t *pgd;
	pud_t *pud;
	pmd_t *pmd;
	pte_t *ptep;

	pgd = pgd_offset(mm, address);
	if (pgd_none(*pgd) || unlikely(pgd_bad(*pgd)))
		goto out;
	pud = pud_offset(pgd, address);
	if (pud_none(*pud) || unlikely(pud_bad(*pud)))
		goto out;
	pmd = pmd_offset(pud, address);
	/* A huge-page PMD is "bad" here: there is no PTE to return. */
	if (pmd_none(*pmd) || unlikely(pmd_bad(*pmd)))
		goto out;
	ptep = pte_offset_map_lock(mm, pmd, address, ptlp);
	if (!pte_present(*ptep))
		goto unlock;
	*ptepp = ptep;
	return 0;
unlock:
	pte_unmap_unlock(ptep, *ptlp);
out:
	return -EINVAL;
}

/* ---- Freeing page tables ---- */

static void pgd_clear_bad(pgd_t *pgd)
{
	printk(KERN_ERR "bad pgd %p(%016lx)\n", pgd, pgd_val(*pgd));
	pgd_clear(pgd);
}

static void pud_clear_bad(pud_t *pud)
{
	printk(KERN_ERR "bad pud %p(%016lx)\n", pud, pud_val(*pud));
	pud_clear(pud);
}

static void pmd_clear_bad(pmd_t *pmd)
{
	printk(KERN_ERR "bad pmd %p(%016lx)\n", pmd, pmd_val(*pmd));
	pmd_clear(pmd);
}

static int pgd_none_or_clear_bad(pgd_t *pgd)
{
	if (pgd_none(*pgd))
		return 1;
	if (unlikely(pgd_bad(*pgd))) {
		pgd_clear_bad(pgd);
		return 1;
	}
	return 0;
}

static int pud_none_or_clear_bad(pud_t *pud)
{
	if (pud_none(*pud))
		return 1;
	if (unlikely(pud_bad(*pud))) {
		pud_clear_bad(pud);
		return 1;
	}
	return 0;
}

static int pmd_none_or_clear_bad(pmd_t *pmd)
{
	if (pmd_none(*pmd))
		return 1;
	if (unlikely(pmd_bad(*pmd))) {
		pmd_clear_bad(pmd);
		return 1;
	}
	return 0;
}

/* Unlinks the PTE table under `pmd` (its entries are already clear) and queues it for freeing. */
static void free_pte_range(struct mmu_gather *tlb, pmd_t *pmd, unsigned long addr)
{
	pgtable_t token = pmd_page(*pmd);

	pmd_clear(pmd);
	pte_free_tlb(tlb, token, addr);
	mm_dec_nr_ptes(tlb->mm);
}

/*
 * Each level frees the tables below it for [addr, end), then its own table if that table maps
 * nothing outside [floor, ceiling): the neighbours' VMAs may still use a table that straddles the
 * range's ends. floor and ceiling are the ends of the neighbouring VMAs (0 for "none": the bottom
 * and the top of the address space).
 */
static void free_pmd_range(struct mmu_gather *tlb, pud_t *pud, unsigned long addr, unsigned long end,
			   unsigned long floor, unsigned long ceiling)
{
	pmd_t *pmd;
	unsigned long next;
	unsigned long start = addr;

	pmd = pmd_offset(pud, addr);
	do {
		next = pmd_addr_end(addr, end);
		if (pmd_none_or_clear_bad(pmd))
			continue;
		free_pte_range(tlb, pmd, addr);
	} while (pmd++, addr = next, addr != end);

	start &= PUD_MASK;
	if (start < floor)
		return;
	if (ceiling) {
		ceiling &= PUD_MASK;
		if (!ceiling)
			return;
	}
	if (end - 1 > ceiling - 1)
		return;
	pmd = pmd_offset(pud, start);
	pud_clear(pud);
	pmd_free_tlb(tlb, pmd, start);
}

static void free_pud_range(struct mmu_gather *tlb, pgd_t *pgd, unsigned long addr, unsigned long end,
			   unsigned long floor, unsigned long ceiling)
{
	pud_t *pud;
	unsigned long next;
	unsigned long start = addr;

	pud = pud_offset(pgd, addr);
	do {
		next = pud_addr_end(addr, end);
		if (pud_none_or_clear_bad(pud))
			continue;
		free_pmd_range(tlb, pud, addr, next, floor, ceiling);
	} while (pud++, addr = next, addr != end);

	start &= PGDIR_MASK;
	if (start < floor)
		return;
	if (ceiling) {
		ceiling &= PGDIR_MASK;
		if (!ceiling)
			return;
	}
	if (end - 1 > ceiling - 1)
		return;
	pud = pud_offset(pgd, start);
	pgd_clear(pgd);
	pud_free_tlb(tlb, pud, start);
}

void free_pgd_range(struct mmu_gather *tlb, unsigned long addr, unsigned long end, unsigned long floor, unsigned long ceiling)
{
	pgd_t *pgd;
	unsigned long next;

	/*
	 * Work in PMD_SIZE units: a PTE table maps 2 MiB, and is freed only when no part of it lies
	 * outside [floor, ceiling). Round addr up past a table shared with the VMA below, and end
	 * down past one shared with the VMA above.
	 */
	addr &= PMD_MASK;
	if (addr < floor) {
		addr += PMD_SIZE;
		if (!addr)
			return;
	}
	if (ceiling) {
		ceiling &= PMD_MASK;
		if (!ceiling)
			return;
	}
	if (end - 1 > ceiling - 1)
		end -= PMD_SIZE;
	if (addr > end - 1)
		return;

	pgd = pgd_offset(tlb->mm, addr);
	do {
		next = pgd_addr_end(addr, end);
		if (pgd_none_or_clear_bad(pgd))
			continue;
		free_pud_range(tlb, pgd, addr, next, floor, ceiling);
	} while (pgd++, addr = next, addr != end);
}

void free_pgtables(struct mmu_gather *tlb, struct vm_area_struct *vma, unsigned long floor, unsigned long ceiling)
{
	while (vma) {
		struct vm_area_struct *next = vma->vm_next;
		unsigned long addr = vma->vm_start;

		/* VMAs close together share tables: free them in one walk. */
		while (next && next->vm_start <= vma->vm_end + PMD_SIZE) {
			vma = next;
			next = vma->vm_next;
		}
		free_pgd_range(tlb, addr, vma->vm_end, floor, next ? next->vm_start : ceiling);
		vma = next;
	}
}

/* ---- The anonymous fault path (kernel-semantics.md section 2) ----
 *
 * handle_mm_fault walks (allocating) to the PTE table of the faulting address and hands the PTE to
 * handle_pte_fault, which dispatches on its state. Era differences: until 2.6.23 the result is one
 * of VM_FAULT_OOM/SIGBUS/MINOR/MAJOR (2.6.18 values), later a bitmask where 0 means done; the
 * caller passes `write_access` until 2.6.30 and FAULT_FLAG_* (plus pt_regs, 5.8+) afterwards.
 * Only VMAs with no vm_ops (anonymous memory) are handled so far: do_no_page / do_fault, swap and
 * do_wp_page (COW) come later, and until then those cases answer VM_FAULT_SIGBUS. */

#if LINUX_VERSION_CODE >= KERNEL_VERSION(4, 17, 0)
#define fault_result_t vm_fault_t
#else
#define fault_result_t int
#endif

#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 34)
#define inc_anon_rss(mm) inc_mm_counter((mm), MM_ANONPAGES)
#else
#define inc_anon_rss(mm) inc_mm_counter((mm), anon_rss)
#endif

/* Movable user pages arrived in 2.6.23; 2.6.18 allocated GFP_HIGHUSER. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 23)
#define GFP_ANON_PAGE GFP_HIGHUSER_MOVABLE
#else
#define GFP_ANON_PAGE GFP_HIGHUSER
#endif

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 6, 0)
#define maybe_mkwrite(pte, vma) (((vma)->vm_flags & VM_WRITE) ? pte_mkwrite((pte), (vma)) : (pte))
#else
#define maybe_mkwrite(pte, vma) (((vma)->vm_flags & VM_WRITE) ? pte_mkwrite(pte) : (pte))
#endif

/*
 * A fresh zeroed page for a not-present, none PTE of an anonymous VMA. The page is allocated and
 * the PTE value built with no lock held; then, under the PTE table's lock, the PTE is checked
 * again: if another thread installed one meanwhile, this one backs out silently (frees its page,
 * reports success) and the access re-executes against theirs. Read faults also get a private page
 * (no shared zero page yet), writable when the VMA is, as 2.6.24-2.6.31 did without ZERO_PAGE.
 */
static fault_result_t do_anonymous_page(struct mm_struct *mm, struct vm_area_struct *vma, unsigned long address, pmd_t *pmd)
{
	struct page *page;
	spinlock_t *ptl;
	pte_t *pte;
	pte_t entry;

	page = alloc_page(GFP_ANON_PAGE | __GFP_ZERO);
	if (!page)
		return VM_FAULT_OOM;
	entry = mk_pte(page, vma->vm_page_prot);
	entry = maybe_mkwrite(pte_mkdirty(entry), vma);

	pte = pte_offset_map_lock(mm, pmd, address, &ptl);
	if (!pte_none(*pte)) {
		/* Lost the race: someone else mapped this address. */
		pte_unmap_unlock(pte, ptl);
		put_page(page);
		return VM_FAULT_MINOR;
	}
	inc_anon_rss(mm);
	set_pte_at(mm, address, pte, entry);
	update_mmu_cache(vma, address, pte);
	pte_unmap_unlock(pte, ptl);
	return VM_FAULT_MINOR;
}

/*
 * Dispatch on the PTE, read once without the lock (it may change under us; every path re-checks
 * under the PTE lock before acting on it).
 */
static fault_result_t handle_pte_fault(struct mm_struct *mm, struct vm_area_struct *vma, unsigned long address, pmd_t *pmd, int write_access)
{
	pte_t *pte = pte_offset_map(pmd, address);
	pte_t entry = *pte;
	spinlock_t *ptl;

	pte_unmap(pte);
	if (!pte_present(entry)) {
		if (pte_none(entry) && !vma->vm_ops)
			return do_anonymous_page(mm, vma, address, pmd);
		/* File-backed (->nopage / ->fault), nonlinear and swap PTEs: not simulated yet. */
		return VM_FAULT_SIGBUS;
	}

	/* A present PTE: a protection or accessed/dirty fault. */
	pte = pte_offset_map_lock(mm, pmd, address, &ptl);
	if (unlikely(!pte_same(*pte, entry))) {
		/* Changed since we looked: back out, the access re-executes. */
		pte_unmap_unlock(pte, ptl);
		return VM_FAULT_MINOR;
	}
	if (write_access && !pte_write(entry)) {
		/* do_wp_page (copy on write) is not simulated yet. */
		pte_unmap_unlock(pte, ptl);
		return VM_FAULT_SIGBUS;
	}
	entry = pte_mkyoung(entry);
	if (write_access)
		entry = pte_mkdirty(entry);
	set_pte_at(mm, address, pte, entry);
	update_mmu_cache(vma, address, pte);
	pte_unmap_unlock(pte, ptl);
	return VM_FAULT_MINOR;
}

/* Called with mmap_lock (mmap_sem) held for read; `vma` contains `address`. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 8, 0)
struct pt_regs;
vm_fault_t handle_mm_fault(struct vm_area_struct *vma, unsigned long address, unsigned int flags, struct pt_regs *regs)
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 30)
fault_result_t handle_mm_fault(struct mm_struct *mm, struct vm_area_struct *vma, unsigned long address, unsigned int flags)
#else
int handle_mm_fault(struct mm_struct *mm, struct vm_area_struct *vma, unsigned long address, int write_access)
#endif
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 8, 0)
	struct mm_struct *mm = vma->vm_mm;
	int write_access = (flags & FAULT_FLAG_WRITE) != 0;
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 30)
	int write_access = (flags & FAULT_FLAG_WRITE) != 0;
#endif
	pgd_t *pgd;
	pud_t *pud;
	pmd_t *pmd;

#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 8, 0)
	(void)regs;
#endif
	pgd = pgd_offset(mm, address);
	pud = pud_alloc(mm, pgd, address);
	if (!pud)
		return VM_FAULT_OOM;
	pmd = pmd_alloc(mm, pud, address);
	if (!pmd)
		return VM_FAULT_OOM;
	if (unlikely(pmd_none(*pmd)) && __PTE_ALLOC(mm, pmd, address))
		return VM_FAULT_OOM;
	return handle_pte_fault(mm, vma, address, pmd, write_access);
}
