/* mm/memory.c: the core of the fault and unmap paths, as Linux of each profile's era does them
 * (kernel-semantics.md sections 1, 2 and 9): the struct page array, page-table allocation, the
 * zero page, vm_normal_page, fork's page-table copy, zapping (unmap_vmas, zap_page_range,
 * unmap_mapping_range), driver mappings (remap_pfn_range, vm_insert_page/pfn), the fault path
 * (anonymous, copy-on-write, file faults through ->nopage / ->nopfn / ->fault) and
 * generic_access_phys.
 *
 * Entry points others call, by era (declared in <linux/mm.h>):
 *   fork (kernel/fork.c dup_mmap), after linking the child VMA into its anon_vma:
 *     6.8:  int copy_page_range(struct vm_area_struct *dst_vma, struct vm_area_struct *src_vma);
 *     2.6:  int copy_page_range(struct mm_struct *dst, struct mm_struct *src, struct vm_area_struct *vma);
 *     then flush_tlb_mm(oldmm): the parent's writable translations must go.
 *   munmap / exit_mmap (mm/mmap.c):
 *     void unmap_vmas(struct mmu_gather *tlb, struct vm_area_struct *vma, unsigned long start_addr,
 *                     unsigned long end_addr);  (this 4-argument form in every era)
 *     then free_pgtables(tlb, vma, floor, ceiling), which also unlinks the VMAs' anon_vmas.
 *   madvise(MADV_DONTNEED): void zap_page_range(vma, start, size); 6.8 also zap_page_range_single.
 *   truncate, invalidation, drivers: unmap_mapping_range(mapping, holebegin, holelen, even_cows).
 *   drivers: remap_pfn_range, vm_insert_page, vm_insert_pfn (2.6.21+) / vmf_insert_pfn(_prot)
 *     (6.8), zap_vma_ptes (2.6.27+), generic_access_phys (2.6.27+).
 *   the arch fault handler and GUP: handle_mm_fault (era signature, unchanged).
 *
 * Invariants. Every PTE install or zap happens under the PTE table's lock, and every install
 * re-checks the entry under that lock (pte_same with the value the decision was based on, or "still
 * none"); a loser backs out silently and the access re-executes. Leaf PTE stores go through the
 * __kc_* builtins (set_pte_at, pte_clear, ptep_get_and_clear), so the trace sees each one. A
 * present PTE to a normal page holds one reference (page_count) and one mapping (page_mapcount) of
 * it, and one count in the mm's RSS (anonymous or file); pages leave an address space through the
 * mmu_gather, which frees them only after the TLB flush.
 *
 * Allocating a table follows Linux's pattern: allocate and zero the new table with no lock held
 * (the allocator may sleep), then take the lock that protects the entry above and check again:
 * if another thread populated the entry meanwhile, the new table is freed and theirs is used.
 * PTE tables are linked under pmd_lockptr (mm->page_table_lock), the upper levels under
 * mm->page_table_lock; PTEs themselves under the table's own split lock (pte_lockptr). */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/errno.h>
#include <linux/spinlock.h>
#include <linux/sched.h>
#include <linux/fs.h>
#include <linux/pagemap.h>
#include <linux/rmap.h>
#include <linux/uaccess.h>
#include <asm/io.h>
#include <asm/pgalloc.h>
#include <asm/tlb.h>
#include <asm/tlbflush.h>

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

#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 34)
#define unlink_anon_vma_of(vma) unlink_anon_vmas(vma)
#else
#define unlink_anon_vma_of(vma) anon_vma_unlink(vma)
#endif

void free_pgtables(struct mmu_gather *tlb, struct vm_area_struct *vma, unsigned long floor, unsigned long ceiling)
{
	while (vma) {
		struct vm_area_struct *next = vma->vm_next;
		unsigned long addr = vma->vm_start;

		/* Hide the VMA from rmap before freeing its tables: it leaves its anon_vma family. (The
		 * i_mmap unlinking Linux does here, unlink_file_vma, is mm/mmap.c's, done by its callers.) */
		unlink_anon_vma_of(vma);
		/* VMAs close together share tables: free them in one walk. */
		while (next && next->vm_start <= vma->vm_end + PMD_SIZE) {
			vma = next;
			next = vma->vm_next;
			unlink_anon_vma_of(vma);
		}
		free_pgd_range(tlb, addr, vma->vm_end, floor, next ? next->vm_start : ceiling);
		vma = next;
	}
}


/* ---- The shared zero page (see <asm/pgtable.h>) ---- */

/* Its PFN once taken; an impossible PFN before, so is_zero_pfn matches nothing. */
unsigned long zero_pfn = ~0UL;
static DEFINE_SPINLOCK(zero_page_lock);

int init_zero_pfn(void)
{
	struct page *page;

	if (zero_pfn != ~0UL)
		return 0;
	page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!page)
		return -ENOMEM;
	/* Like the image's empty_zero_page: reserved, never freed (its first reference is never put). */
	SetPageReserved(page);
	spin_lock(&zero_page_lock);
	if (zero_pfn == ~0UL) {
		zero_pfn = page_to_pfn(page);
		page = NULL;
	}
	spin_unlock(&zero_page_lock);
	if (page) {
		/* Another CPU took it first. */
		ClearPageReserved(page);
		__free_page(page);
	}
	return 0;
}

struct page *__zero_page(void)
{
	if (unlikely(zero_pfn == ~0UL) && init_zero_pfn()) {
		/* Linux's zero page is in the image: it cannot be missing. Ours could, at first use. */
		printk(KERN_EMERG "Kernel panic - not syncing: no memory for the zero page\n");
		BUG();
	}
	return pfn_to_page(zero_pfn);
}

/* ---- Counting, and the struct page behind a PTE ---- */

/*
 * RSS updates are batched per PTE table (rss[] below, added once with the table's lock held):
 * 6.8 counts by rss_stat member, 2.6 in _file_rss/_anon_rss (2.6 indexed its rss[2] by
 * !!PageAnon(page): file 0, anon 1).
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 34)
#define RSS_FILE(page) mm_counter_file(page)
#define RSS_ANON MM_ANONPAGES
#define NR_RSS NR_MM_COUNTERS
#define inc_anon_rss(mm) inc_mm_counter((mm), MM_ANONPAGES)
#define inc_file_rss(mm, page) inc_mm_counter((mm), mm_counter_file(page))
#define dec_file_rss(mm, page) dec_mm_counter((mm), mm_counter_file(page))

static void add_mm_rss_vec(struct mm_struct *mm, int *rss)
{
	int i;

	for (i = 0; i < NR_MM_COUNTERS; i++)
		if (rss[i])
			add_mm_counter(mm, i, rss[i]);
}
#else
#define RSS_FILE(page) 0
#define RSS_ANON 1
#define NR_RSS 2
#define inc_anon_rss(mm) inc_mm_counter((mm), anon_rss)
#define inc_file_rss(mm, page) inc_mm_counter((mm), file_rss)
#define dec_file_rss(mm, page) dec_mm_counter((mm), file_rss)

static void add_mm_rss_vec(struct mm_struct *mm, int *rss)
{
	if (rss[0])
		add_mm_counter(mm, file_rss, rss[0]);
	if (rss[1])
		add_mm_counter(mm, anon_rss, rss[1]);
}
#endif

static void init_rss_vec(int *rss)
{
	int i;

	for (i = 0; i < NR_RSS; i++)
		rss[i] = 0;
}

/* The rmap calls with the era's arguments. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 19, 0)
#define remove_rmap(page, vma) page_remove_rmap((page), (vma), false)
#define add_file_rmap(page, vma) page_add_file_rmap((page), (vma), false)
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 20)
#define remove_rmap(page, vma) page_remove_rmap((page), (vma))
#define add_file_rmap(page, vma) page_add_file_rmap(page)
#else
#define remove_rmap(page, vma) page_remove_rmap(page)
#define add_file_rmap(page, vma) page_add_file_rmap(page)
#endif

/* Movable user pages arrived in 2.6.24 (GFP_HIGHUSER_MOVABLE); 2.6.18 allocated GFP_HIGHUSER. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 24)
#define GFP_ANON_PAGE GFP_HIGHUSER_MOVABLE
#else
#define GFP_ANON_PAGE GFP_HIGHUSER
#endif

/* Do pte_mkwrite, but only if the VMA says VM_WRITE: a forced write (ptrace through GUP) to a
 * read-only private mapping gets a private copy that stays read-only. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 6, 0)
#define maybe_mkwrite(pte, vma) (likely((vma)->vm_flags & VM_WRITE) ? pte_mkwrite((pte), (vma)) : (pte))
#else
#define maybe_mkwrite(pte, vma) (likely((vma)->vm_flags & VM_WRITE) ? pte_mkwrite(pte) : (pte))
#endif

/* The offset in the mapped object of the page at `address` (linear_page_index). */
static pgoff_t fault_pgoff(struct vm_area_struct *vma, unsigned long address)
{
	return ((address - vma->vm_start) >> PAGE_SHIFT) + vma->vm_pgoff;
}

/* A PTE that must not exist where it is (a PFN past mem_map in a normal VMA, ...): reported; the
 * caller carries on as if it had no page. */
static void print_bad_pte(struct vm_area_struct *vma, unsigned long addr, pte_t pte, struct page *page)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 27)
	printk(KERN_ALERT "BUG: Bad page map in process %s  pte:%08lx\n",
	       vma->vm_mm == current->mm ? current->comm : "???", pte_val(pte));
	printk(KERN_ALERT "addr:%lx vm_flags:%08lx anon_vma:%p mapping:%p index:%lx\n", addr, vma->vm_flags,
	       vma->anon_vma, vma->vm_file ? vma->vm_file->f_mapping : NULL, fault_pgoff(vma, addr));
	if (page)
		printk(KERN_ALERT "page:%p refcount:%d mapcount:%d\n", page, page_count(page), page_mapcount(page));
#else
	(void)page;
	printk(KERN_ERR "Bad pte = %08lx, process = %s, vm_flags = %lx, vaddr = %lx\n", pte_val(pte),
	       vma->vm_mm == current->mm ? current->comm : "???", vma->vm_flags, addr);
#endif
	dump_stack();
}

/*
 * vm_normal_page: the struct page a present PTE maps, or NULL for a PTE that must not be counted.
 * - 2.6.18/2.6.21 (no pte_special): a VM_PFNMAP VMA's PTE is raw when its PFN follows the linear
 *   rule pfn == vm_pgoff + page index (remap_pfn_range set vm_pgoff to the first PFN of a COW
 *   mapping); in a non-COW PFN map every PTE is raw; only a COWed page of a COW PFN map has a page.
 *   A PFN outside mem_map is a bad PTE. The zero page is a normal (refcounted) page.
 * - 2.6.26+ (x86 has pte_special from 2.6.27): special PTEs (remap_pfn_range, vm_insert_pfn) have
 *   no page; 2.6.32+ also the zero page's special PTE.
 */
struct page *vm_normal_page(struct vm_area_struct *vma, unsigned long addr, pte_t pte)
{
	unsigned long pfn = pte_pfn(pte);

#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 26)
	if (likely(!pte_special(pte)))
		goto check_pfn;
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 32)
	if (vma->vm_flags & (VM_PFNMAP | VM_MIXEDMAP))
		return NULL;
	if (is_zero_pfn(pfn))
		return NULL;
	print_bad_pte(vma, addr, pte, NULL);
#else
	VM_BUG_ON(!(vma->vm_flags & (VM_PFNMAP | VM_MIXEDMAP)));
#endif
	return NULL;
#else
	if (unlikely(vma->vm_flags & VM_PFNMAP)) {
		unsigned long off = (addr - vma->vm_start) >> PAGE_SHIFT;

		if (pfn == vma->vm_pgoff + off)
			return NULL;
		if (!is_cow_mapping(vma->vm_flags))
			return NULL;
	}
#endif
check_pfn:
	if (unlikely(!pfn_valid(pfn))) {
		print_bad_pte(vma, addr, pte, NULL);
		return NULL;
	}
	/* PageReserved pages may be mapped here (the zero page before 2.6.24, driver pages). */
	return pfn_to_page(pfn);
}

/* ---- fork: copying page tables (copy_page_range) ---- */

/*
 * Copies one present or non-present, non-none PTE. A COW mapping's PTE is write-protected in the
 * parent and the child (the next write in either faults into do_wp_page); a shared mapping's is
 * copied clean (the parent's PTE carries the dirtiness); both copies are old. The page, if any,
 * gains a reference and a mapcount, counted in rss[] for the child.
 */
static void copy_one_pte(struct mm_struct *dst_mm, struct mm_struct *src_mm, pte_t *dst_pte, pte_t *src_pte,
			 struct vm_area_struct *vma, unsigned long addr, int *rss)
{
	unsigned long vm_flags = vma->vm_flags;
	pte_t pte = *src_pte;
	struct page *page;

	/* No swap entries exist: a non-present PTE is copied as it is (2.6 nonlinear file PTEs). */
	if (unlikely(!pte_present(pte)))
		goto out_set_pte;

#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 19, 0)
	page = vm_normal_page(vma, addr, pte);
	if (page && PageAnon(page)) {
		get_page(page);
		/* Never fails here (no DMA pins); the page stops being exclusive to the parent. */
		page_try_dup_anon_rmap(page, false, vma);
		rss[RSS_ANON]++;
	} else if (page) {
		get_page(page);
		page_dup_file_rmap(page, false);
		rss[RSS_FILE(page)]++;
	}
	/* If it's a COW mapping, write protect it both in the parent and the child. */
	if (is_cow_mapping(vm_flags) && pte_write(pte)) {
		ptep_set_wrprotect(src_mm, addr, src_pte);
		pte = pte_wrprotect(pte);
	}
	/* If it's a shared mapping, mark it clean in the child. */
	if (vm_flags & VM_SHARED)
		pte = pte_mkclean(pte);
	pte = pte_mkold(pte);
#else
	/* If it's a COW mapping, write protect it both in the parent and the child (2.6: one store
	 * whether or not the PTE was writable). */
	if (is_cow_mapping(vm_flags)) {
		ptep_set_wrprotect(src_mm, addr, src_pte);
		pte = *src_pte;
	}
	/* If it's a shared mapping, mark it clean in the child. */
	if (vm_flags & VM_SHARED)
		pte = pte_mkclean(pte);
	pte = pte_mkold(pte);

	page = vm_normal_page(vma, addr, pte);
	if (page) {
		get_page(page);
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 22)
		page_dup_rmap(page, vma, addr);
#else
		page_dup_rmap(page);
#endif
		rss[!!PageAnon(page)]++;
	}
#endif
out_set_pte:
	set_pte_at(dst_mm, addr, dst_pte, pte);
}

/* Both PTE tables are locked: the child's (just allocated), then the parent's nested. */
static int copy_pte_range(struct mm_struct *dst_mm, struct mm_struct *src_mm, pmd_t *dst_pmd, pmd_t *src_pmd,
			  struct vm_area_struct *vma, unsigned long addr, unsigned long end)
{
	pte_t *src_pte, *dst_pte, *orig_dst_pte;
	spinlock_t *src_ptl, *dst_ptl;
	int rss[NR_RSS];

	init_rss_vec(rss);
	dst_pte = pte_alloc_map_lock(dst_mm, dst_pmd, addr, &dst_ptl);
	if (!dst_pte)
		return -ENOMEM;
	orig_dst_pte = dst_pte;
	src_pte = pte_offset_map(src_pmd, addr);
	src_ptl = pte_lockptr(src_mm, src_pmd);
	spin_lock_nested(src_ptl, SINGLE_DEPTH_NESTING);
	do {
		if (pte_none(*src_pte))
			continue;
		copy_one_pte(dst_mm, src_mm, dst_pte, src_pte, vma, addr, rss);
	} while (dst_pte++, src_pte++, addr += PAGE_SIZE, addr != end);
	spin_unlock(src_ptl);
	add_mm_rss_vec(dst_mm, rss);
	pte_unmap_unlock(orig_dst_pte, dst_ptl);
	cond_resched();
	return 0;
}

static int copy_pmd_range(struct mm_struct *dst_mm, struct mm_struct *src_mm, pud_t *dst_pud, pud_t *src_pud,
			  struct vm_area_struct *vma, unsigned long addr, unsigned long end)
{
	pmd_t *src_pmd, *dst_pmd;
	unsigned long next;

	dst_pmd = pmd_alloc(dst_mm, dst_pud, addr);
	if (!dst_pmd)
		return -ENOMEM;
	src_pmd = pmd_offset(src_pud, addr);
	do {
		next = pmd_addr_end(addr, end);
		if (pmd_none_or_clear_bad(src_pmd))
			continue;
		if (copy_pte_range(dst_mm, src_mm, dst_pmd, src_pmd, vma, addr, next))
			return -ENOMEM;
	} while (dst_pmd++, src_pmd++, addr = next, addr != end);
	return 0;
}

static int copy_pud_range(struct mm_struct *dst_mm, struct mm_struct *src_mm, pgd_t *dst_pgd, pgd_t *src_pgd,
			  struct vm_area_struct *vma, unsigned long addr, unsigned long end)
{
	pud_t *src_pud, *dst_pud;
	unsigned long next;

	dst_pud = pud_alloc(dst_mm, dst_pgd, addr);
	if (!dst_pud)
		return -ENOMEM;
	src_pud = pud_offset(src_pgd, addr);
	do {
		next = pud_addr_end(addr, end);
		if (pud_none_or_clear_bad(src_pud))
			continue;
		if (copy_pmd_range(dst_mm, src_mm, dst_pud, src_pud, vma, addr, next))
			return -ENOMEM;
	} while (dst_pud++, src_pud++, addr = next, addr != end);
	return 0;
}

#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 10, 0)
/* Does fork copy this VMA's PTEs, or let the child fault them in (6.8 vma_needs_copy)? PFN maps
 * cannot be refaulted; anonymous pages (anon_vma) would be lost. */
static bool vma_needs_copy(struct vm_area_struct *dst_vma, struct vm_area_struct *src_vma)
{
	(void)dst_vma;
	if (src_vma->vm_flags & (VM_PFNMAP | VM_MIXEDMAP))
		return true;
	if (src_vma->anon_vma)
		return true;
	/* Don't copy ptes where a page fault will fill them correctly. */
	return false;
}

int copy_page_range(struct vm_area_struct *dst_vma, struct vm_area_struct *src_vma)
{
	struct mm_struct *dst_mm = dst_vma->vm_mm;
	struct mm_struct *src_mm = src_vma->vm_mm;
	struct vm_area_struct *vma = src_vma;
#else
int copy_page_range(struct mm_struct *dst_mm, struct mm_struct *src_mm, struct vm_area_struct *vma)
{
#endif
	pgd_t *src_pgd, *dst_pgd;
	unsigned long next;
	unsigned long addr = vma->vm_start;
	unsigned long end = vma->vm_end;
	int ret = 0;

	/*
	 * Don't copy ptes where a page fault will fill them correctly. Fork becomes much lighter when
	 * there are big shared or private readonly mappings.
	 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 10, 0)
	if (!vma_needs_copy(dst_vma, src_vma))
		return 0;
#else
	if (!(vma->vm_flags & (VM_HUGETLB | VM_NONLINEAR | VM_PFNMAP | VM_INSERTPAGE))) {
		if (!vma->anon_vma)
			return 0;
	}
#endif
	dst_pgd = pgd_offset(dst_mm, addr);
	src_pgd = pgd_offset(src_mm, addr);
	do {
		next = pgd_addr_end(addr, end);
		if (pgd_none_or_clear_bad(src_pgd))
			continue;
		if (unlikely(copy_pud_range(dst_mm, src_mm, dst_pgd, src_pgd, vma, addr, next))) {
			ret = -ENOMEM;
			break;
		}
	} while (dst_pgd++, src_pgd++, addr = next, addr != end);
	return ret;
}

/* ---- Zapping: taking pages out of an address space ---- */

/* The translation of `address` must be flushed before the gathered pages are freed. */
#define tlb_remove_tlb_entry(tlb, ptep, address) tlb_flush_range_add((tlb), (address), PAGE_SIZE)

/*
 * Which present pages a zap with `details` leaves alone: unmap_mapping_range without even_cows
 * keeps private COWed (anonymous) pages; 2.6 expressed it as "only pages of check_mapping".
 */
static bool should_zap_page(struct zap_details *details, struct page *page)
{
	if (!details || !page)
		return true;
#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 17, 0)
	if (details->even_cows)
		return true;
	return !PageAnon(page);
#else
	return !details->check_mapping || details->check_mapping == page->mapping;
#endif
}

/*
 * Clears the PTEs of [addr, end) in one table, under its lock: each page loses its rmap count,
 * and its reference is queued on the mmu_gather (dropped after the TLB flush); a dirty PTE makes a
 * file page dirty (the data must reach the file), a young one marks it accessed. Returns end.
 */
static unsigned long zap_pte_range(struct mmu_gather *tlb, struct vm_area_struct *vma, pmd_t *pmd,
				   unsigned long addr, unsigned long end, struct zap_details *details)
{
	struct mm_struct *mm = tlb->mm;
	int rss[NR_RSS];
	spinlock_t *ptl;
	pte_t *start_pte;
	pte_t *pte;

	init_rss_vec(rss);
	start_pte = pte = pte_offset_map_lock(mm, pmd, addr, &ptl);
	do {
		pte_t ptent = *pte;
		struct page *page;

		if (pte_none(ptent))
			continue;
		if (pte_present(ptent)) {
			page = vm_normal_page(vma, addr, ptent);
			if (unlikely(!should_zap_page(details, page)))
				continue;
			ptent = ptep_get_and_clear(mm, addr, pte);
			tlb_remove_tlb_entry(tlb, pte, addr);
			if (unlikely(!page))
				continue;
			if (PageAnon(page)) {
				rss[RSS_ANON]--;
			} else {
				if (pte_dirty(ptent))
					set_page_dirty(page);
				if (pte_young(ptent))
					mark_page_accessed(page);
				rss[RSS_FILE(page)]--;
			}
			remove_rmap(page, vma);
			tlb_remove_page(tlb, page);
			continue;
		}
		/* Not present and not none: a (2.6 nonlinear) file PTE; no swap entries exist. A zap
		 * that spares COWs (details) leaves it: it names a file page, not private data. */
		if (unlikely(details))
			continue;
		pte_clear(mm, addr, pte);
	} while (pte++, addr += PAGE_SIZE, addr != end);

	add_mm_rss_vec(mm, rss);
	pte_unmap_unlock(start_pte, ptl);
	return addr;
}

static unsigned long zap_pmd_range(struct mmu_gather *tlb, struct vm_area_struct *vma, pud_t *pud,
				   unsigned long addr, unsigned long end, struct zap_details *details)
{
	pmd_t *pmd;
	unsigned long next;

	pmd = pmd_offset(pud, addr);
	do {
		next = pmd_addr_end(addr, end);
		if (pmd_none_or_clear_bad(pmd))
			continue;
		next = zap_pte_range(tlb, vma, pmd, addr, next, details);
	} while (pmd++, addr = next, addr != end);
	return addr;
}

static unsigned long zap_pud_range(struct mmu_gather *tlb, struct vm_area_struct *vma, pgd_t *pgd,
				   unsigned long addr, unsigned long end, struct zap_details *details)
{
	pud_t *pud;
	unsigned long next;

	pud = pud_offset(pgd, addr);
	do {
		next = pud_addr_end(addr, end);
		if (pud_none_or_clear_bad(pud))
			continue;
		next = zap_pmd_range(tlb, vma, pud, addr, next, details);
	} while (pud++, addr = next, addr != end);
	return addr;
}

void unmap_page_range(struct mmu_gather *tlb, struct vm_area_struct *vma, unsigned long addr, unsigned long end,
		      struct zap_details *details)
{
	pgd_t *pgd;
	unsigned long next;

#if LINUX_VERSION_CODE < KERNEL_VERSION(5, 17, 0)
	/* 2.6: details that filter nothing are no details. */
	if (details && !details->check_mapping)
		details = NULL;
#endif
	BUG_ON(addr >= end);
	pgd = pgd_offset(vma->vm_mm, addr);
	do {
		next = pgd_addr_end(addr, end);
		if (pgd_none_or_clear_bad(pgd))
			continue;
		next = zap_pud_range(tlb, vma, pgd, addr, next, details);
	} while (pgd++, addr = next, addr != end);
}

/* Zaps the part of [start_addr, end_addr) that lies in `vma`. */
static void unmap_single_vma(struct mmu_gather *tlb, struct vm_area_struct *vma, unsigned long start_addr,
			     unsigned long end_addr, struct zap_details *details)
{
	unsigned long start = max(vma->vm_start, start_addr);
	unsigned long end;

	if (start >= vma->vm_end)
		return;
	end = min(vma->vm_end, end_addr);
	if (end <= vma->vm_start)
		return;
	if (start != end)
		unmap_page_range(tlb, vma, start, end, details);
}

/*
 * Unmaps [start_addr, end_addr) in `vma` and the VMAs after it (a list sorted by address): the
 * caller (munmap's unmap_region, exit_mmap) holds mmap_lock for writing and flushes and frees
 * through `tlb` (tlb_finish_mmu) once the page tables are freed too. Private pages are zapped as
 * well (6.8: details.even_cows; 2.6: no details).
 */
void unmap_vmas(struct mmu_gather *tlb, struct vm_area_struct *vma, unsigned long start_addr, unsigned long end_addr)
{
	for (; vma && vma->vm_start < end_addr; vma = vma->vm_next)
		unmap_single_vma(tlb, vma, start_addr, end_addr, NULL);
}

/* Zaps [address, address + size), which lies in `vma`, with details, and flushes and frees at once. */
static void zap_page_range_details(struct vm_area_struct *vma, unsigned long address, unsigned long size,
				   struct zap_details *details)
{
	struct mmu_gather tlb;

	tlb_gather_mmu(&tlb, vma->vm_mm);
	unmap_single_vma(&tlb, vma, address, address + size, details);
	tlb_finish_mmu(&tlb);
}

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
void zap_page_range_single(struct vm_area_struct *vma, unsigned long address, unsigned long size, struct zap_details *details)
{
	zap_page_range_details(vma, address, size, details);
}
#endif

/*
 * Removes user pages in [start, start + size), from `vma` on (the range may go past its end into
 * the next VMAs, as 2.6's zap_page_range did through unmap_vmas), and frees them. mmap_lock is
 * held (for reading is enough: madvise DONTNEED); the VMAs stay.
 */
void zap_page_range(struct vm_area_struct *vma, unsigned long start, unsigned long size)
{
	struct mmu_gather tlb;
	unsigned long end = start + size;

	tlb_gather_mmu(&tlb, vma->vm_mm);
	unmap_vmas(&tlb, vma, start, end);
	tlb_finish_mmu(&tlb);
}

/* Drivers (SGI GRU first): zap PTEs of a VM_PFNMAP VMA; anything else is refused. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(4, 18, 0)
void zap_vma_ptes(struct vm_area_struct *vma, unsigned long address, unsigned long size)
{
	if (address < vma->vm_start || address + size > vma->vm_end || !(vma->vm_flags & VM_PFNMAP))
		return;
	zap_page_range_details(vma, address, size, NULL);
}
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 27)
int zap_vma_ptes(struct vm_area_struct *vma, unsigned long address, unsigned long size)
{
	if (address < vma->vm_start || address + size > vma->vm_end || !(vma->vm_flags & VM_PFNMAP))
		return -1;
	zap_page_range_details(vma, address, size, NULL);
	return 0;
}
#endif

/* ---- unmap_mapping_range: a file range out of every process at once ---- */

#if LINUX_VERSION_CODE < KERNEL_VERSION(3, 0, 0)
/*
 * 2.6: mapping->truncate_count counts unmaps; a VMA's vm_truncate_count says which unmap last
 * finished with it (so a restarted walk skips it), or holds a page-aligned restart address when an
 * unmap broke off inside it. truncate_count therefore skips page-aligned values. Faultline never
 * breaks off (no lock break: nothing asks for a reschedule inside the walk), so restart addresses
 * are only honoured, never recorded.
 */
#define is_restart_addr(truncate_count) (!((truncate_count) & ~PAGE_MASK))

static void reset_vma_truncate_counts(struct address_space *mapping)
{
	struct vm_area_struct *vma;

	list_for_each_entry(vma, &mapping->i_mmap, shared)
		vma->vm_truncate_count = 0;
}

static void unmap_mapping_range_vma(struct vm_area_struct *vma, unsigned long start_addr, unsigned long end_addr,
				    struct zap_details *details)
{
	unsigned long restart_addr = vma->vm_truncate_count;

	if (is_restart_addr(restart_addr) && start_addr < restart_addr) {
		start_addr = restart_addr;
		if (start_addr >= end_addr) {
			/* Top of vma has been split off since last time */
			vma->vm_truncate_count = details->truncate_count;
			return;
		}
	}
	zap_page_range_details(vma, start_addr, end_addr - start_addr, details);
	/* We have now completed this vma: mark it so */
	vma->vm_truncate_count = details->truncate_count;
}

/* The VMAs of i_mmap that map file pages [first_index, last_index], each zapped over its part. */
static void unmap_mapping_range_list(struct address_space *mapping, struct zap_details *details)
{
	struct vm_area_struct *vma;
	pgoff_t vba, vea, zba, zea;

	list_for_each_entry(vma, &mapping->i_mmap, shared) {
		/* Skip quickly over those we have already dealt with */
		if (vma->vm_truncate_count == details->truncate_count)
			continue;
		vba = vma->vm_pgoff;
		vea = vba + vma_pages(vma) - 1;
		if (vea < details->first_index || vba > details->last_index)
			continue;
		zba = max(details->first_index, vba);
		zea = min(details->last_index, vea);
		unmap_mapping_range_vma(vma, ((zba - vba) << PAGE_SHIFT) + vma->vm_start,
					((zea - vba + 1) << PAGE_SHIFT) + vma->vm_start, details);
	}
}

void unmap_mapping_range(struct address_space *mapping, loff_t holebegin, loff_t holelen, int even_cows)
{
	struct zap_details details;
	pgoff_t hba = (pgoff_t)holebegin >> PAGE_SHIFT;
	pgoff_t hlen = ((pgoff_t)holelen + PAGE_SIZE - 1) >> PAGE_SHIFT;

	details.check_mapping = even_cows ? NULL : mapping;
	details.first_index = hba;
	details.last_index = hba + hlen - 1;
	/* holelen 0 (hlen 0) or a range past the end: to the end of the file. */
	if (details.last_index < details.first_index)
		details.last_index = ULONG_MAX;
	details.i_mmap_lock = &mapping->i_mmap_lock;

	spin_lock(&mapping->i_mmap_lock);
	/* serialize i_size write against truncate_count write */
	smp_wmb();
	/* Protect against page faults, and endless unmapping loops: a do_no_page that sampled the
	 * old value will see the change under its PTE lock and retry (kernel-semantics.md 2.1). */
	mapping->truncate_count++;
	smp_mb();
	if (unlikely(is_restart_addr(mapping->truncate_count))) {
		if (mapping->truncate_count == 0)
			reset_vma_truncate_counts(mapping);
		mapping->truncate_count++;
	}
	details.truncate_count = mapping->truncate_count;

	if (unlikely(!list_empty(&mapping->i_mmap)))
		unmap_mapping_range_list(mapping, &details);
	spin_unlock(&mapping->i_mmap_lock);
}
#else
static void unmap_mapping_range_tree(struct address_space *mapping, pgoff_t first_index, pgoff_t last_index,
				     struct zap_details *details)
{
	struct vm_area_struct *vma;
	pgoff_t vba, vea, zba, zea;

	list_for_each_entry(vma, &mapping->i_mmap, shared) {
		vba = vma->vm_pgoff;
		vea = vba + vma_pages(vma) - 1;
		if (vea < first_index || vba > last_index)
			continue;
		zba = max(first_index, vba);
		zea = min(last_index, vea);
		zap_page_range_details(vma, ((zba - vba) << PAGE_SHIFT) + vma->vm_start,
				       (zea - zba + 1) << PAGE_SHIFT, details);
	}
}

/*
 * 6.8: file pages [start, start + nr) (nr 0: to the end) out of every VMA on i_mmap, under the
 * i_mmap lock taken for reading. No mmap_lock is taken, of any process: this is why truncation and
 * drivers may call it from anywhere (kernel-semantics.md 2.5, "Zapping").
 */
void unmap_mapping_pages(struct address_space *mapping, pgoff_t start, pgoff_t nr, bool even_cows)
{
	struct zap_details details = { };
	pgoff_t first_index = start;
	pgoff_t last_index = start + nr - 1;

	details.even_cows = even_cows;
	if (last_index < first_index)
		last_index = ULONG_MAX;

	i_mmap_lock_read(mapping);
	if (unlikely(!list_empty(&mapping->i_mmap)))
		unmap_mapping_range_tree(mapping, first_index, last_index, &details);
	i_mmap_unlock_read(mapping);
}

void unmap_mapping_range(struct address_space *mapping, loff_t holebegin, loff_t holelen, int even_cows)
{
	pgoff_t hba = (pgoff_t)(holebegin) >> PAGE_SHIFT;
	pgoff_t hlen = ((pgoff_t)(holelen) + PAGE_SIZE - 1) >> PAGE_SHIFT;

	/* Check for overflow. */
	if (sizeof(holelen) > sizeof(hlen)) {
		long long holeend = (holebegin + holelen + PAGE_SIZE - 1) >> PAGE_SHIFT;

		if (holeend & ~(long long)ULONG_MAX)
			hlen = ULONG_MAX - hba + 1;
	}
	unmap_mapping_pages(mapping, hba, hlen, even_cows);
}
#endif

/* ---- Drivers: pages and PFNs into a VMA (kernel-semantics.md 2.1-2.5) ---- */

/* One refcounted page at `addr` (the old fallback for page remapping: file-style rmap). */
static int insert_page(struct vm_area_struct *vma, unsigned long addr, struct page *page, pgprot_t prot)
{
	struct mm_struct *mm = vma->vm_mm;
	int retval;
	pte_t *pte;
	spinlock_t *ptl;

	retval = -EINVAL;
	if (PageAnon(page))
		goto out;
	retval = -ENOMEM;
	flush_dcache_page(page);
	pte = get_locked_pte(mm, addr, &ptl);
	if (!pte)
		goto out;
	retval = -EBUSY;
	if (!pte_none(*pte))
		goto out_unlock;

	/* Ok, finally just insert the thing.. */
	get_page(page);
	inc_file_rss(mm, page);
	add_file_rmap(page, vma);
	set_pte_at(mm, addr, pte, mk_pte(page, prot));
	retval = 0;
out_unlock:
	pte_unmap_unlock(pte, ptl);
out:
	return retval;
}

/*
 * Drivers insert pages they allocated (a nice clean individual kernel allocation, with a
 * reference of their own) into a user VMA, with the VMA's protection. -EFAULT outside the VMA,
 * -EINVAL for a free page, -EBUSY when the address is mapped.
 */
int vm_insert_page(struct vm_area_struct *vma, unsigned long addr, struct page *page)
{
	if (addr < vma->vm_start || addr >= vma->vm_end)
		return -EFAULT;
	if (!page_count(page))
		return -EINVAL;
#if LINUX_VERSION_CODE < KERNEL_VERSION(3, 7, 0)
	/* copy_page_range must copy such PTEs: a fault could not recreate them. */
	vma->vm_flags |= VM_INSERTPAGE;
#else
	if (!(vma->vm_flags & VM_MIXEDMAP)) {
		BUG_ON(vma->vm_flags & VM_PFNMAP);
		vma->vm_flags |= VM_MIXEDMAP;
	}
#endif
	return insert_page(vma, addr, page, vma->vm_page_prot);
}

#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 21)
/*
 * One raw PFN at `addr`, under the PTE lock, only if the PTE is still none. The special bit says
 * "no struct page" from 2.6.26 (2.6.21 relied on vm_normal_page's non-COW PFN-map rule).
 */
static int insert_pfn(struct vm_area_struct *vma, unsigned long addr, unsigned long pfn, pgprot_t prot)
{
	struct mm_struct *mm = vma->vm_mm;
	int retval;
	pte_t *pte, entry;
	spinlock_t *ptl;

	retval = -ENOMEM;
	pte = get_locked_pte(mm, addr, &ptl);
	if (!pte)
		goto out;
	retval = -EBUSY;
	if (!pte_none(*pte))
		goto out_unlock;

	/* Ok, finally just insert the thing.. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 26)
	entry = pte_mkspecial(pfn_pte(pfn, prot));
#else
	entry = pfn_pte(pfn, prot);
#endif
	set_pte_at(mm, addr, pte, entry);
	update_mmu_cache(vma, addr, pte);
	retval = 0;
out_unlock:
	pte_unmap_unlock(pte, ptl);
out:
	return retval;
}
#endif

#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 21) && LINUX_VERSION_CODE < KERNEL_VERSION(4, 20, 0)
/*
 * From a fault handler (which then returns NOPFN_REFAULT, or VM_FAULT_NOPAGE from 2.6.26): a
 * sibling thread that already inserted makes this -EBUSY, harmlessly (unlike remap_pfn_range's
 * BUG). Correctness against a concurrent zap is the driver's own lock's business.
 */
int vm_insert_pfn(struct vm_area_struct *vma, unsigned long addr, unsigned long pfn)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 26)
	BUG_ON(!(vma->vm_flags & (VM_PFNMAP | VM_MIXEDMAP)));
	BUG_ON((vma->vm_flags & (VM_PFNMAP | VM_MIXEDMAP)) == (VM_PFNMAP | VM_MIXEDMAP));
	BUG_ON((vma->vm_flags & VM_PFNMAP) && is_cow_mapping(vma->vm_flags));
	BUG_ON((vma->vm_flags & VM_MIXEDMAP) && pfn_valid(pfn));

	if (addr < vma->vm_start || addr >= vma->vm_end)
		return -EFAULT;
#else
	BUG_ON(!(vma->vm_flags & VM_PFNMAP));
	BUG_ON(is_cow_mapping(vma->vm_flags));
#endif
	return insert_pfn(vma, addr, pfn, vma->vm_page_prot);
}
#endif

#if LINUX_VERSION_CODE >= KERNEL_VERSION(4, 17, 0)
/*
 * 6.8: vmf_insert_pfn_prot, with a per-page pgprot (TTM picks the caching per fault). A PTE that is
 * already present is left alone and the answer is still VM_FAULT_NOPAGE ("the PTE is there").
 */
vm_fault_t vmf_insert_pfn_prot(struct vm_area_struct *vma, unsigned long addr, unsigned long pfn, pgprot_t pgprot)
{
	int err;

	BUG_ON(!(vma->vm_flags & (VM_PFNMAP | VM_MIXEDMAP)));
	BUG_ON((vma->vm_flags & (VM_PFNMAP | VM_MIXEDMAP)) == (VM_PFNMAP | VM_MIXEDMAP));
	BUG_ON((vma->vm_flags & VM_PFNMAP) && is_cow_mapping(vma->vm_flags));
	BUG_ON((vma->vm_flags & VM_MIXEDMAP) && pfn_valid(pfn));

	if (addr < vma->vm_start || addr >= vma->vm_end)
		return VM_FAULT_SIGBUS;
	err = insert_pfn(vma, addr, pfn, pgprot);
	if (err == -ENOMEM)
		return VM_FAULT_OOM;
	return VM_FAULT_NOPAGE;
}

vm_fault_t vmf_insert_pfn(struct vm_area_struct *vma, unsigned long addr, unsigned long pfn)
{
	return vmf_insert_pfn_prot(vma, addr, pfn, vma->vm_page_prot);
}
#endif

/*
 * Maps a range of physical memory into the requested pages, eagerly. Every target PTE must be none
 * (BUG otherwise: called from a fault handler it races with a sibling's fault).
 */
static int remap_pte_range(struct mm_struct *mm, pmd_t *pmd, unsigned long addr, unsigned long end,
			   unsigned long pfn, pgprot_t prot)
{
	pte_t *pte, *mapped_pte;
	spinlock_t *ptl;

	mapped_pte = pte = pte_alloc_map_lock(mm, pmd, addr, &ptl);
	if (!pte)
		return -ENOMEM;
	do {
		BUG_ON(!pte_none(*pte));
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 26)
		set_pte_at(mm, addr, pte, pte_mkspecial(pfn_pte(pfn, prot)));
#else
		set_pte_at(mm, addr, pte, pfn_pte(pfn, prot));
#endif
		pfn++;
	} while (pte++, addr += PAGE_SIZE, addr != end);
	pte_unmap_unlock(mapped_pte, ptl);
	return 0;
}

static int remap_pmd_range(struct mm_struct *mm, pud_t *pud, unsigned long addr, unsigned long end,
			   unsigned long pfn, pgprot_t prot)
{
	pmd_t *pmd;
	unsigned long next;
	int err;

	pfn -= addr >> PAGE_SHIFT;
	pmd = pmd_alloc(mm, pud, addr);
	if (!pmd)
		return -ENOMEM;
	do {
		next = pmd_addr_end(addr, end);
		err = remap_pte_range(mm, pmd, addr, next, pfn + (addr >> PAGE_SHIFT), prot);
		if (err)
			return err;
	} while (pmd++, addr = next, addr != end);
	return 0;
}

static int remap_pud_range(struct mm_struct *mm, pgd_t *pgd, unsigned long addr, unsigned long end,
			   unsigned long pfn, pgprot_t prot)
{
	pud_t *pud;
	unsigned long next;
	int err;

	pfn -= addr >> PAGE_SHIFT;
	pud = pud_alloc(mm, pgd, addr);
	if (!pud)
		return -ENOMEM;
	do {
		next = pud_addr_end(addr, end);
		err = remap_pmd_range(mm, pud, addr, next, pfn + (addr >> PAGE_SHIFT), prot);
		if (err)
			return err;
	} while (pud++, addr = next, addr != end);
	return 0;
}

/*
 * remap_pfn_range: the caller (a driver's ->mmap) holds mmap_lock for writing. Physically remapped
 * pages are special: VM_IO says accesses may have side effects (GUP and core dumps stay away),
 * VM_PFNMAP that there is no struct page to count (VM_RESERVED in 2.6, VM_DONTEXPAND|VM_DONTDUMP in
 * 6.8 keep mremap from growing it and the core dump out). A COW mapping must be remapped whole,
 * and its vm_pgoff becomes the first PFN, so that vm_normal_page can tell original PFNs (the
 * linear rule) from pages COWed later.
 */
int remap_pfn_range(struct vm_area_struct *vma, unsigned long addr, unsigned long pfn, unsigned long size, pgprot_t prot)
{
	pgd_t *pgd;
	unsigned long next;
	unsigned long end = addr + PAGE_ALIGN(size);
	struct mm_struct *mm = vma->vm_mm;
	int err = 0;

#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 0, 0)
	if (WARN_ON_ONCE(!PAGE_ALIGNED(addr)))
		return -EINVAL;
#endif
	if (is_cow_mapping(vma->vm_flags)) {
		if (addr != vma->vm_start || end != vma->vm_end)
			return -EINVAL;
		vma->vm_pgoff = pfn;
	}
#if LINUX_VERSION_CODE >= KERNEL_VERSION(3, 7, 0)
	vma->vm_flags |= VM_IO | VM_PFNMAP | VM_DONTEXPAND | VM_DONTDUMP;
#else
	vma->vm_flags |= VM_IO | VM_RESERVED | VM_PFNMAP;
#endif

	BUG_ON(addr >= end);
	pfn -= addr >> PAGE_SHIFT;
	pgd = pgd_offset(mm, addr);
	flush_cache_range(vma, addr, end);
	do {
		next = pgd_addr_end(addr, end);
		err = remap_pud_range(mm, pgd, addr, next, pfn + (addr >> PAGE_SHIFT), prot);
		if (err)
			break;
	} while (pgd++, addr = next, addr != end);
	return err;
}

/* ---- The fault path (kernel-semantics.md section 2) ----
 *
 * handle_mm_fault walks (allocating) to the PTE of the faulting address and dispatches on it:
 * - none: anonymous memory (do_anonymous_page: the zero page for reads where the era has it, else
 *   a fresh zeroed page), or the VMA's handler: 2.6.18-2.6.22 ->nopage (do_no_page, with the
 *   truncate_count retry) or, 2.6.19-2.6.26, ->nopfn (do_no_pfn, no retry); 2.6.23+ ->fault
 *   (2.6.27: do_linear_fault -> __do_fault; 6.8: do_fault -> do_read_fault / do_cow_fault /
 *   do_shared_fault -> __do_fault + finish_fault);
 * - present: under the PTE lock, after checking it is unchanged, a write to a read-only PTE is
 *   do_wp_page (copy-on-write, or making a shared page writable), anything else sets the
 *   accessed/dirty bits.
 * Results: until 2.6.23 one of VM_FAULT_OOM/SIGBUS/MINOR/MAJOR (2.6.18 values) with VM_FAULT_WRITE
 * or'ed in when COW was broken (GUP uses it); later a bitmask where 0 means done. The caller passes
 * `write_access` until 2.6.30 and FAULT_FLAG_* (plus pt_regs, 5.8+) afterwards, and holds mmap_lock
 * for reading; a 6.8 result with VM_FAULT_RETRY means a ->fault handler dropped it. No swap: a
 * non-present PTE that is not none cannot exist and answers VM_FAULT_SIGBUS. */

#if LINUX_VERSION_CODE >= KERNEL_VERSION(4, 17, 0)
#define fault_result_t vm_fault_t
#else
#define fault_result_t int
#endif

/* The COW copy of a page; with no struct page (a PFN map), copy through the user address, which is
 * mapped (we are handling a write to a present read-only PTE) or else zero-fill. */
static void cow_user_page(struct page *dst, struct page *src, unsigned long va, struct vm_area_struct *vma)
{
	(void)vma;
	if (unlikely(!src)) {
		void *kaddr = page_address(dst);
		void __user *uaddr = (void __user *)(va & PAGE_MASK);

		if (copy_from_user(kaddr, uaddr, PAGE_SIZE))
			memset(kaddr, 0, PAGE_SIZE);
		return;
	}
	copy_page(page_address(dst), page_address(src));
}

#if LINUX_VERSION_CODE < KERNEL_VERSION(4, 10, 0)
/* ======== 2.6: (mm, vma, address, page_table, pmd, write_access) ======== */

/*
 * A write to a present, read-only PTE. Reuse the page when it is exclusively ours (an anonymous
 * page mapped once: 2.6's can_share_swap_page is the mapcount rule), or when the mapping is shared
 * and writable (after ->page_mkwrite); else copy it into a new anonymous page (the zero page: a
 * zeroed one), re-check the PTE under the lock, switch the PTE and drop the old page's mapping.
 * Entered with the PTE mapped and locked; returns with it unlocked.
 */
static int do_wp_page(struct mm_struct *mm, struct vm_area_struct *vma, unsigned long address, pte_t *page_table,
		      pmd_t *pmd, spinlock_t *ptl, pte_t orig_pte)
{
	struct page *old_page, *new_page;
	pte_t entry;
	int reuse = 0;
	int ret = VM_FAULT_MINOR;
	struct page *dirty_page = NULL;

	old_page = vm_normal_page(vma, address, orig_pte);
	if (!old_page) {
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 26)
		/* VM_MIXEDMAP !pfn_valid() case: we should not cow pages in a shared writeable
		 * mapping. Just mark the pages writable. */
		if ((vma->vm_flags & (VM_WRITE | VM_SHARED)) == (VM_WRITE | VM_SHARED))
			goto reuse;
#endif
		goto gotten;
	}

#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 19)
	/* Take out anonymous pages first, anonymous shared vmas are not dirty accountable. */
	if (PageAnon(old_page)) {
		if (trylock_page(old_page)) {
			reuse = page_mapcount(old_page) == 1;
			unlock_page(old_page);
		}
	} else if (unlikely((vma->vm_flags & (VM_WRITE | VM_SHARED)) == (VM_WRITE | VM_SHARED))) {
		/* Only catch write-faults on shared writable pages, read-only shared pages can get
		 * COWed by get_user_pages(.write=1, .force=1). */
		if (vma->vm_ops && vma->vm_ops->page_mkwrite) {
			/* Notify the address space that the page is about to become writable, without the
			 * lock held, so that it can sleep; then revalidate the PTE. */
			get_page(old_page);
			pte_unmap_unlock(page_table, ptl);
			if (vma->vm_ops->page_mkwrite(vma, old_page) < 0)
				goto unwritable_page;
			page_table = pte_offset_map_lock(mm, pmd, address, &ptl);
			put_page(old_page);
			if (!pte_same(*page_table, orig_pte))
				goto unlock;
		}
		dirty_page = old_page;
		get_page(dirty_page);
		reuse = 1;
	}
#else
	if (unlikely((vma->vm_flags & (VM_SHARED | VM_WRITE)) == (VM_SHARED | VM_WRITE))) {
		if (vma->vm_ops && vma->vm_ops->page_mkwrite) {
			get_page(old_page);
			pte_unmap_unlock(page_table, ptl);
			if (vma->vm_ops->page_mkwrite(vma, old_page) < 0)
				goto unwritable_page;
			put_page(old_page);
			/* Since we dropped the lock we need to revalidate the PTE. */
			page_table = pte_offset_map_lock(mm, pmd, address, &ptl);
			if (!pte_same(*page_table, orig_pte))
				goto unlock;
		}
		reuse = 1;
	} else if (PageAnon(old_page) && !TestSetPageLocked(old_page)) {
		reuse = page_mapcount(old_page) == 1;
		unlock_page(old_page);
	} else {
		reuse = 0;
	}
#endif

	if (reuse) {
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 26)
reuse:
#endif
		flush_cache_page(vma, address, pte_pfn(orig_pte));
		entry = pte_mkyoung(orig_pte);
		entry = maybe_mkwrite(pte_mkdirty(entry), vma);
		ptep_set_access_flags(vma, address, page_table, entry, 1);
		update_mmu_cache(vma, address, page_table);
		ret |= VM_FAULT_WRITE;
		goto unlock;
	}

	/* Ok, we need to copy. Oh, well.. */
	get_page(old_page);
gotten:
	pte_unmap_unlock(page_table, ptl);

	if (unlikely(anon_vma_prepare(vma)))
		goto oom;
#if LINUX_VERSION_CODE < KERNEL_VERSION(2, 6, 24)
	if (old_page == ZERO_PAGE(address)) {
		new_page = alloc_page(GFP_ANON_PAGE | __GFP_ZERO);
		if (!new_page)
			goto oom;
	} else
#endif
	{
		new_page = alloc_page(GFP_ANON_PAGE);
		if (!new_page)
			goto oom;
		cow_user_page(new_page, old_page, address, vma);
	}
	__SetPageUptodate(new_page);

	/* Re-check the pte - we dropped the lock */
	page_table = pte_offset_map_lock(mm, pmd, address, &ptl);
	if (likely(pte_same(*page_table, orig_pte))) {
		if (old_page) {
#if LINUX_VERSION_CODE < KERNEL_VERSION(2, 6, 26)
			remove_rmap(old_page, vma);
#endif
			if (!PageAnon(old_page)) {
				dec_file_rss(mm, old_page);
				inc_anon_rss(mm);
			}
		} else {
			inc_anon_rss(mm);
		}
		flush_cache_page(vma, address, pte_pfn(orig_pte));
		entry = mk_pte(new_page, vma->vm_page_prot);
		entry = maybe_mkwrite(pte_mkdirty(entry), vma);
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 20)
		/* Clear the pte entry and flush it first, before updating the pte with the new entry: no
		 * CPU may keep using the old page through its TLB once the new one is visible. */
		ptep_clear_flush(vma, address, page_table);
		set_pte_at(mm, address, page_table, entry);
#else
		/* ptep_establish: the new entry, then the flush of the old translation. */
		set_pte_at(mm, address, page_table, entry);
		flush_tlb_page(vma, address);
#endif
		update_mmu_cache(vma, address, page_table);
		page_add_new_anon_rmap(new_page, vma, address);
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 26)
		/* Only after switching the pte to the new page may we remove the mapcount here (else
		 * another process could find it decremented and reuse the old page while our PTE still
		 * points into it). */
		if (old_page)
			remove_rmap(old_page, vma);
#endif
		/* Free the old page.. */
		new_page = old_page;
		ret |= VM_FAULT_WRITE;
	}
	if (new_page)
		put_page(new_page);
	if (old_page)
		put_page(old_page);
unlock:
	pte_unmap_unlock(page_table, ptl);
	if (dirty_page) {
		set_page_dirty(dirty_page);
		put_page(dirty_page);
	}
	return ret;
oom:
	if (old_page)
		put_page(old_page);
	return VM_FAULT_OOM;
unwritable_page:
	put_page(old_page);
	return VM_FAULT_SIGBUS;
}

/*
 * A none PTE in an anonymous VMA. 2.6.18-2.6.23: a read maps the zero page read-only (a normal
 * page then: a reference, a file rmap count and file_rss), a write a fresh zeroed page. 2.6.24-2.6.31
 * had no zero page here: every fault gets a private page, writable and dirty at once when the VMA
 * allows. The page is prepared with no lock held; the PTE is re-checked under the lock.
 */
static int do_anonymous_page(struct mm_struct *mm, struct vm_area_struct *vma, unsigned long address, pte_t *page_table,
			     pmd_t *pmd, int write_access)
{
	struct page *page;
	spinlock_t *ptl;
	pte_t entry;

#if LINUX_VERSION_CODE < KERNEL_VERSION(2, 6, 24)
	if (write_access) {
#else
	(void)write_access;
	{
#endif
		/* Allocate our own private page. */
		pte_unmap(page_table);
		if (unlikely(anon_vma_prepare(vma)))
			goto oom;
		page = alloc_page(GFP_ANON_PAGE | __GFP_ZERO);
		if (!page)
			goto oom;
		__SetPageUptodate(page);

		entry = mk_pte(page, vma->vm_page_prot);
		entry = maybe_mkwrite(pte_mkdirty(entry), vma);

		page_table = pte_offset_map_lock(mm, pmd, address, &ptl);
		if (!pte_none(*page_table))
			goto release;
		inc_anon_rss(mm);
		page_add_new_anon_rmap(page, vma, address);
	}
#if LINUX_VERSION_CODE < KERNEL_VERSION(2, 6, 24)
	else {
		/* Map the ZERO_PAGE - vm_page_prot is readonly */
		page = ZERO_PAGE(address);
		get_page(page);
		entry = mk_pte(page, vma->vm_page_prot);

		ptl = pte_lockptr(mm, pmd);
		spin_lock(ptl);
		if (!pte_none(*page_table))
			goto release;
		inc_file_rss(mm, page);
		add_file_rmap(page, vma);
	}
#endif
	set_pte_at(mm, address, page_table, entry);
	/* No need to invalidate - it was non-present before */
	update_mmu_cache(vma, address, page_table);
unlock:
	pte_unmap_unlock(page_table, ptl);
	return VM_FAULT_MINOR;
release:
	/* Lost the race: someone else mapped this address. */
	put_page(page);
	goto unlock;
oom:
	return VM_FAULT_OOM;
}

#if LINUX_VERSION_CODE < KERNEL_VERSION(2, 6, 23)
/*
 * 2.6.18-2.6.22: a none PTE in a VMA with ->nopage. The handler returns the page with a reference
 * (or NOPAGE_SIGBUS / NOPAGE_OOM, and from 2.6.19 NOPAGE_REFAULT: re-execute, the handler dealt
 * with it). A write to a private mapping copies at once (early COW); a write to a shared one asks
 * ->page_mkwrite. Then, under the PTE lock:
 *   - if the file's truncate_count moved since it was sampled before ->nopage, an
 *     unmap_mapping_range ran meanwhile and the page may be stale: drop it and call ->nopage again
 *     (kernel-semantics.md 2.1, the "truncate logic" spufs relied on);
 *   - else install it if the PTE is still none (a sibling thread that won keeps its PTE).
 */
static int do_no_page(struct mm_struct *mm, struct vm_area_struct *vma, unsigned long address, pte_t *page_table,
		      pmd_t *pmd, int write_access)
{
	spinlock_t *ptl;
	struct page *new_page;
	struct address_space *mapping = NULL;
	pte_t entry;
	unsigned int sequence = 0;
	int ret = VM_FAULT_MINOR;
	int anon = 0;
	struct page *dirty_page = NULL;

	pte_unmap(page_table);
	BUG_ON(vma->vm_flags & VM_PFNMAP);

	if (vma->vm_file) {
		mapping = vma->vm_file->f_mapping;
		sequence = mapping->truncate_count;
		smp_rmb(); /* serializes i_size against truncate_count */
	}
retry:
	new_page = vma->vm_ops->nopage(vma, address & PAGE_MASK, &ret);
	/* no page was available -- either SIGBUS, OOM (or REFAULT) */
	if (unlikely(new_page == NOPAGE_SIGBUS))
		return VM_FAULT_SIGBUS;
	if (unlikely(new_page == NOPAGE_OOM))
		return VM_FAULT_OOM;
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 19)
	if (unlikely(new_page == NOPAGE_REFAULT))
		return VM_FAULT_MINOR;
#endif

	/* Should we do an early C-O-W break? */
	if (write_access) {
		if (!(vma->vm_flags & VM_SHARED)) {
			struct page *page;

			if (unlikely(anon_vma_prepare(vma)))
				goto oom;
			page = alloc_page(GFP_ANON_PAGE);
			if (!page)
				goto oom;
			copy_page(page_address(page), page_address(new_page));
			put_page(new_page);
			new_page = page;
			anon = 1;
		} else {
			/* if the page will be shareable, see if the backing address space wants to know
			 * that the page is about to become writable */
			if (vma->vm_ops->page_mkwrite && vma->vm_ops->page_mkwrite(vma, new_page) < 0) {
				put_page(new_page);
				return VM_FAULT_SIGBUS;
			}
		}
	}

	// @point: nopage-ptl (2.6.18 do_no_page: ->nopage returned, the PTE lock is next; scenario spu-fault-race switches SPU contexts here)
	page_table = pte_offset_map_lock(mm, pmd, address, &ptl);
	/*
	 * For a file-backed vma, someone could have truncated or otherwise invalidated this page. If
	 * unmap_mapping_range got called, retry getting the page.
	 */
	if (mapping && unlikely(sequence != mapping->truncate_count)) {
		pte_unmap_unlock(page_table, ptl);
		put_page(new_page);
		cond_resched();
		sequence = mapping->truncate_count;
		smp_rmb();
		goto retry;
	}

	/* Only go through if we didn't race with anybody else... */
	if (pte_none(*page_table)) {
		flush_icache_page(vma, new_page);
		entry = mk_pte(new_page, vma->vm_page_prot);
		if (write_access)
			entry = maybe_mkwrite(pte_mkdirty(entry), vma);
		set_pte_at(mm, address, page_table, entry);
		if (anon) {
			inc_anon_rss(mm);
			page_add_new_anon_rmap(new_page, vma, address);
		} else {
			inc_file_rss(mm, new_page);
			add_file_rmap(new_page, vma);
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 19)
			if (write_access) {
				dirty_page = new_page;
				get_page(dirty_page);
			}
#endif
		}
	} else {
		/* One of our sibling threads was faster, back out. */
		put_page(new_page);
		goto unlock;
	}

	/* no need to invalidate: a not-present page shouldn't be cached */
	update_mmu_cache(vma, address, page_table);
unlock:
	pte_unmap_unlock(page_table, ptl);
	if (dirty_page) {
		set_page_dirty(dirty_page);
		put_page(dirty_page);
	}
	return ret;
oom:
	put_page(new_page);
	return VM_FAULT_OOM;
}
#endif

#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 19) && LINUX_VERSION_CODE < KERNEL_VERSION(2, 6, 27)
/*
 * 2.6.19-2.6.26: a none PTE in a VM_PFNMAP VMA with ->nopfn. The handler returns a raw PFN (or
 * NOPFN_SIGBUS / NOPFN_OOM, and from 2.6.21 NOPFN_REFAULT); it is installed if the PTE is still
 * none. There is no truncate_count retry: an unmap_mapping_range between the handler's decision and
 * the install leaves a stale PTE (kernel-semantics.md 2.2, scenario 3).
 */
static int do_no_pfn(struct mm_struct *mm, struct vm_area_struct *vma, unsigned long address, pte_t *page_table,
		     pmd_t *pmd, int write_access)
{
	spinlock_t *ptl;
	pte_t entry;
	unsigned long pfn;
	int ret = VM_FAULT_MINOR;

	pte_unmap(page_table);
	BUG_ON(!(vma->vm_flags & VM_PFNMAP));
	BUG_ON(is_cow_mapping(vma->vm_flags));

	pfn = vma->vm_ops->nopfn(vma, address & PAGE_MASK);
	if (unlikely(pfn == NOPFN_OOM))
		return VM_FAULT_OOM;
	else if (unlikely(pfn == NOPFN_SIGBUS))
		return VM_FAULT_SIGBUS;
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 21)
	else if (unlikely(pfn == NOPFN_REFAULT))
		return VM_FAULT_MINOR;
#endif

	page_table = pte_offset_map_lock(mm, pmd, address, &ptl);

	/* Only go through if we didn't race with anybody else... */
	if (pte_none(*page_table)) {
		entry = pfn_pte(pfn, vma->vm_page_prot);
		if (write_access)
			entry = maybe_mkwrite(pte_mkdirty(entry), vma);
		set_pte_at(mm, address, page_table, entry);
	}
	pte_unmap_unlock(page_table, ptl);
	return ret;
}
#endif

#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 23)
/*
 * 2.6.23-2.6.x: a none PTE in a VMA with ->fault. The handler fills vmf.page (with a reference,
 * locked if it says VM_FAULT_LOCKED) or installs the PTE itself (VM_FAULT_NOPAGE, returned as is,
 * like errors). A private write copies at once; a shared write asks ->page_mkwrite (a page that
 * lost its mapping meanwhile was truncated: give up, the access refaults). Install under the PTE
 * lock only if the PTE is still orig_pte. There is no truncate_count retry any more: the page lock
 * protects page-cache pages against truncation (d00806b1831); a driver returning other pages must
 * serialize against its own invalidations (kernel-semantics.md 2.3).
 */
static int __do_fault(struct mm_struct *mm, struct vm_area_struct *vma, unsigned long address, pmd_t *pmd,
		      pgoff_t pgoff, unsigned int flags, pte_t orig_pte)
{
	pte_t *page_table;
	spinlock_t *ptl;
	struct page *page;
	pte_t entry;
	int anon = 0;
	struct page *dirty_page = NULL;
	struct vm_fault vmf;
	int ret;

	vmf.virtual_address = (void __user *)(address & PAGE_MASK);
	vmf.pgoff = pgoff;
	vmf.flags = flags;
	vmf.page = NULL;

#if LINUX_VERSION_CODE < KERNEL_VERSION(2, 6, 26)
	BUG_ON(vma->vm_flags & VM_PFNMAP);
#endif
	ret = vma->vm_ops->fault(vma, &vmf);
	if (unlikely(ret & (VM_FAULT_ERROR | VM_FAULT_NOPAGE)))
		return ret;

	/* For consistency in subsequent calls, make the faulted page always locked. */
	if (unlikely(!(ret & VM_FAULT_LOCKED)))
		lock_page(vmf.page);
	else
		VM_BUG_ON(!PageLocked(vmf.page));

	/* Should we do an early C-O-W break? */
	page = vmf.page;
	if (flags & FAULT_FLAG_WRITE) {
		if (!(vma->vm_flags & VM_SHARED)) {
			anon = 1;
			if (unlikely(anon_vma_prepare(vma))) {
				ret = VM_FAULT_OOM;
				goto out;
			}
			page = alloc_page(GFP_ANON_PAGE);
			if (!page) {
				ret = VM_FAULT_OOM;
				goto out;
			}
			copy_page(page_address(page), page_address(vmf.page));
			__SetPageUptodate(page);
		} else {
			/* If the page will be shareable, see if the backing address space wants to know
			 * that the page is about to become writable */
			if (vma->vm_ops->page_mkwrite) {
				unlock_page(page);
				if (vma->vm_ops->page_mkwrite(vma, page) < 0) {
					ret = VM_FAULT_SIGBUS;
					anon = 1; /* no anon but release vmf.page */
					goto out_unlocked;
				}
				lock_page(page);
				/* Truncated meanwhile: nothing to map; the access refaults. */
				if (!page->mapping) {
					ret = 0;
					anon = 1; /* no anon but release vmf.page */
					goto out;
				}
			}
		}
	}

	page_table = pte_offset_map_lock(mm, pmd, address, &ptl);

	/* Only go through if we didn't race with anybody else... */
	if (likely(pte_same(*page_table, orig_pte))) {
		flush_icache_page(vma, page);
		entry = mk_pte(page, vma->vm_page_prot);
		if (flags & FAULT_FLAG_WRITE)
			entry = maybe_mkwrite(pte_mkdirty(entry), vma);
		set_pte_at(mm, address, page_table, entry);
		if (anon) {
			inc_anon_rss(mm);
			page_add_new_anon_rmap(page, vma, address);
		} else {
			inc_file_rss(mm, page);
			add_file_rmap(page, vma);
			if (flags & FAULT_FLAG_WRITE) {
				dirty_page = page;
				get_page(dirty_page);
			}
		}
		/* no need to invalidate: a not-present page won't be cached */
		update_mmu_cache(vma, address, page_table);
	} else {
		if (anon)
			put_page(page);
		else
			anon = 1; /* no anon but release faulted_page */
	}

	pte_unmap_unlock(page_table, ptl);

out:
	unlock_page(vmf.page);
out_unlocked:
	if (anon) {
		put_page(vmf.page);
	} else if (dirty_page) {
		set_page_dirty(dirty_page);
		put_page(dirty_page);
	}
	return ret;
}

static int do_linear_fault(struct mm_struct *mm, struct vm_area_struct *vma, unsigned long address, pte_t *page_table,
			   pmd_t *pmd, int write_access, pte_t orig_pte)
{
	pgoff_t pgoff = fault_pgoff(vma, address & PAGE_MASK);
	unsigned int flags = (write_access ? FAULT_FLAG_WRITE : 0);

	pte_unmap(page_table);
	return __do_fault(mm, vma, address, pmd, pgoff, flags, orig_pte);
}
#endif

/*
 * Dispatch on the PTE, read once without the lock (it may change under us; every path re-checks
 * under the PTE lock before acting on it).
 */
static int handle_pte_fault(struct mm_struct *mm, struct vm_area_struct *vma, unsigned long address, pte_t *pte,
			    pmd_t *pmd, int write_access)
{
	pte_t entry;
	pte_t old_entry;
	spinlock_t *ptl;

	old_entry = entry = *pte;
	if (!pte_present(entry)) {
		if (pte_none(entry)) {
			if (vma->vm_ops) {
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 23)
				if (likely(vma->vm_ops->fault))
					return do_linear_fault(mm, vma, address, pte, pmd, write_access, entry);
#endif
#if LINUX_VERSION_CODE < KERNEL_VERSION(2, 6, 23)
				if (vma->vm_ops->nopage)
					return do_no_page(mm, vma, address, pte, pmd, write_access);
#endif
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 19) && LINUX_VERSION_CODE < KERNEL_VERSION(2, 6, 27)
				if (unlikely(vma->vm_ops->nopfn))
					return do_no_pfn(mm, vma, address, pte, pmd, write_access);
#endif
			}
			/* No handler: anonymous memory, even in a driver's VMA (2.6). */
			return do_anonymous_page(mm, vma, address, pte, pmd, write_access);
		}
		/* Swap and nonlinear file PTEs: none are ever created. */
		pte_unmap(pte);
		return VM_FAULT_SIGBUS;
	}

	ptl = pte_lockptr(mm, pmd);
	spin_lock(ptl);
	if (unlikely(!pte_same(*pte, entry)))
		goto unlock;
	if (write_access) {
		if (!pte_write(entry))
			return do_wp_page(mm, vma, address, pte, pmd, ptl, entry);
		entry = pte_mkdirty(entry);
	}
	entry = pte_mkyoung(entry);
	if (!pte_same(old_entry, entry)) {
		ptep_set_access_flags(vma, address, pte, entry, write_access);
		update_mmu_cache(vma, address, pte);
	} else {
		/* This is needed only for protection faults but the arch code is not yet telling us if
		 * this is a protection fault or not. */
		if (write_access)
			flush_tlb_page(vma, address);
	}
unlock:
	pte_unmap_unlock(pte, ptl);
	return VM_FAULT_MINOR;
}

/* Called with mmap_sem held for read; `vma` contains `address`. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 30)
fault_result_t handle_mm_fault(struct mm_struct *mm, struct vm_area_struct *vma, unsigned long address, unsigned int flags)
#else
int handle_mm_fault(struct mm_struct *mm, struct vm_area_struct *vma, unsigned long address, int write_access)
#endif
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 30)
	int write_access = (flags & FAULT_FLAG_WRITE) != 0;
#endif
	pgd_t *pgd;
	pud_t *pud;
	pmd_t *pmd;
	pte_t *pte;

	pgd = pgd_offset(mm, address);
	pud = pud_alloc(mm, pgd, address);
	if (!pud)
		return VM_FAULT_OOM;
	pmd = pmd_alloc(mm, pud, address);
	if (!pmd)
		return VM_FAULT_OOM;
	pte = pte_alloc_map(mm, pmd, address);
	if (!pte)
		return VM_FAULT_OOM;
	return handle_pte_fault(mm, vma, address, pte, pmd, write_access);
}

#else
/* ======== 6.8: struct vm_fault ======== */

/* The gfp mask a ->fault handler allocates page-cache pages with (__get_fault_gfp_mask). */
static gfp_t fault_gfp_mask(struct vm_area_struct *vma)
{
	if (vma->vm_file)
		return mapping_gfp_mask(vma->vm_file->f_mapping) | __GFP_FS | __GFP_IO;
	return GFP_KERNEL;
}

/* Links the PTE table allocated before ->fault ran, unless a racing fault linked one (pmd_install). */
static void pmd_install(struct mm_struct *mm, pmd_t *pmd, pgtable_t *pte)
{
	spinlock_t *ptl = pmd_lockptr(mm, pmd);

	spin_lock(ptl);
	if (likely(pmd_none(*pmd))) {	/* Has another populated it ? */
		mm_inc_nr_ptes(mm);
		smp_wmb();
		pmd_populate(mm, pmd, *pte);
		*pte = NULL;
	}
	spin_unlock(ptl);
}

/* Did the PTE change since the fault looked at it (orig_pte), or, if it was none, is it no more? */
static bool vmf_pte_changed(struct vm_fault *vmf)
{
	if (vmf->flags & FAULT_FLAG_ORIG_PTE_VALID)
		return !pte_same(*vmf->pte, vmf->orig_pte);
	return !pte_none(*vmf->pte);
}

/*
 * Faults under a per-VMA lock must not call ->fault of VMAs without ->map_pages (they may need
 * mmap_lock): retry under mmap_lock. Faultline's arch code always holds mmap_lock (no per-VMA
 * locks), so this answers 0; it is kept where Linux checks it.
 */
static vm_fault_t vmf_can_call_fault(const struct vm_fault *vmf)
{
	if (vmf->vma->vm_ops->map_pages || !(vmf->flags & FAULT_FLAG_VMA_LOCK))
		return 0;
	return VM_FAULT_RETRY;
}

static vm_fault_t vmf_anon_prepare(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;

	if (likely(vma->anon_vma))
		return 0;
	if (vmf->flags & FAULT_FLAG_VMA_LOCK)
		return VM_FAULT_RETRY;
	if (__anon_vma_prepare(vma))
		return VM_FAULT_OOM;
	return 0;
}

/* A new anonymous page for `vma` (zeroed: the zero page is being replaced). */
static struct page *anon_page_prealloc(bool need_zero)
{
	struct page *page = alloc_page(GFP_HIGHUSER_MOVABLE | (need_zero ? __GFP_ZERO : 0));

	if (page)
		__SetPageUptodate(page);
	return page;
}

/*
 * Write faults on pages that can be reused in place: the mapping is shared, or we hold the last
 * reference. Mark the PTE young, dirty and (if the VMA allows) writable, and unlock it.
 */
static void wp_page_reuse(struct vm_fault *vmf, struct page *page)
{
	struct vm_area_struct *vma = vmf->vma;
	pte_t entry;

	VM_BUG_ON(!(vmf->flags & FAULT_FLAG_WRITE));
	if (page)
		VM_BUG_ON(PageAnon(page) && !PageAnonExclusive(vmf->page));
	flush_cache_page(vma, vmf->address, pte_pfn(vmf->orig_pte));
	entry = pte_mkyoung(vmf->orig_pte);
	entry = maybe_mkwrite(pte_mkdirty(entry), vma);
	if (ptep_set_access_flags(vma, vmf->address, vmf->pte, entry, 1))
		update_mmu_cache(vma, vmf->address, vmf->pte);
	pte_unmap_unlock(vmf->pte, vmf->ptl);
}

/*
 * Copy-on-write (or the first write to the zero page): called with the old page referenced (NULL
 * for the zero page and PFN maps) and no PTE lock. Allocate and fill the new page, take the PTE
 * lock; if the PTE is still orig_pte, clear and flush it, map the new page, and only then drop the
 * old page's mapcount (so nobody "reuses" the old page while our PTE still points at it).
 */
static vm_fault_t wp_page_copy(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct mm_struct *mm = vma->vm_mm;
	struct page *old_page = vmf->page;
	struct page *new_page = NULL;
	pte_t entry;
	vm_fault_t ret;
	bool pfn_is_zero;

	ret = vmf_anon_prepare(vmf);
	if (unlikely(ret))
		goto out;

	pfn_is_zero = is_zero_pfn(pte_pfn(vmf->orig_pte));
	new_page = anon_page_prealloc(pfn_is_zero);
	if (!new_page)
		goto oom;
	if (!pfn_is_zero)
		cow_user_page(new_page, old_page, vmf->address, vma);

	/* Re-check the pte - we dropped the lock */
	vmf->pte = pte_offset_map_lock(mm, vmf->pmd, vmf->address, &vmf->ptl);
	if (likely(pte_same(*vmf->pte, vmf->orig_pte))) {
		if (old_page) {
			if (!PageAnon(old_page)) {
				dec_file_rss(mm, old_page);
				inc_anon_rss(mm);
			}
		} else {
			inc_anon_rss(mm);
		}
		flush_cache_page(vma, vmf->address, pte_pfn(vmf->orig_pte));
		entry = mk_pte(new_page, vma->vm_page_prot);
		entry = maybe_mkwrite(pte_mkdirty(entry), vma);
		/* Clear the pte entry and flush it first, before updating the pte with the new entry, to
		 * keep TLBs on different CPUs in sync. */
		ptep_clear_flush(vma, vmf->address, vmf->pte);
		page_add_new_anon_rmap(new_page, vma, vmf->address);
		set_pte_at(mm, vmf->address, vmf->pte, entry);
		update_mmu_cache(vma, vmf->address, vmf->pte);
		if (old_page)
			page_remove_rmap(old_page, vma, false);
		/* Free the old page.. */
		new_page = old_page;
	}
	pte_unmap_unlock(vmf->pte, vmf->ptl);
	if (new_page)
		put_page(new_page);
	if (old_page)
		put_page(old_page);
	return 0;
oom:
	ret = VM_FAULT_OOM;
out:
	if (old_page)
		put_page(old_page);
	return ret;
}

/* ->page_mkwrite for the locked-or-not page of a shared mapping; returns with it locked (or an
 * error / NOPAGE, or 0 when it was truncated meanwhile: retry). */
static vm_fault_t do_page_mkwrite(struct vm_fault *vmf, struct page *page)
{
	vm_fault_t ret;
	unsigned int old_flags = vmf->flags;

	vmf->flags = FAULT_FLAG_WRITE | FAULT_FLAG_MKWRITE;
	ret = vmf->vma->vm_ops->page_mkwrite(vmf);
	/* Restore original flags so that caller is not surprised */
	vmf->flags = old_flags;
	if (unlikely(ret & (VM_FAULT_ERROR | VM_FAULT_NOPAGE)))
		return ret;
	if (unlikely(!(ret & VM_FAULT_LOCKED))) {
		lock_page(page);
		if (!page->mapping) {
			unlock_page(page);
			return 0; /* retry */
		}
		ret |= VM_FAULT_LOCKED;
	} else {
		VM_BUG_ON(!PageLocked(page));
	}
	return ret;
}

/* A shared file page became writable: it is dirty now (the write will land in it). Unlocks it. */
static vm_fault_t fault_dirty_shared_page(struct vm_fault *vmf)
{
	struct page *page = vmf->page;

	set_page_dirty(page);
	VM_BUG_ON(PageAnon(page));
	unlock_page(page);
	return 0;
}

/* PTE-lock retake for a shared page made writable after a handler ran without the lock. */
static vm_fault_t finish_mkwrite_fault(struct vm_fault *vmf, struct page *page)
{
	WARN_ON_ONCE(!(vmf->vma->vm_flags & VM_SHARED));
	vmf->pte = pte_offset_map_lock(vmf->vma->vm_mm, vmf->pmd, vmf->address, &vmf->ptl);
	/* We might have raced with another page fault while we released the pte_offset_map_lock. */
	if (!pte_same(*vmf->pte, vmf->orig_pte)) {
		update_mmu_tlb(vmf->vma, vmf->address, vmf->pte);
		pte_unmap_unlock(vmf->pte, vmf->ptl);
		return VM_FAULT_NOPAGE;
	}
	wp_page_reuse(vmf, page);
	return 0;
}

/* Write faults on VM_PFNMAP/VM_MIXEDMAP PTEs of a shared mapping: ->pfn_mkwrite, then writable. */
static vm_fault_t wp_pfn_shared(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;

	if (vma->vm_ops && vma->vm_ops->pfn_mkwrite) {
		vm_fault_t ret;

		pte_unmap_unlock(vmf->pte, vmf->ptl);
		ret = vmf_can_call_fault(vmf);
		if (ret)
			return ret;
		vmf->flags |= FAULT_FLAG_MKWRITE;
		ret = vma->vm_ops->pfn_mkwrite(vmf);
		if (ret & (VM_FAULT_ERROR | VM_FAULT_NOPAGE))
			return ret;
		return finish_mkwrite_fault(vmf, NULL);
	}
	wp_page_reuse(vmf, NULL);
	return 0;
}

static vm_fault_t wp_page_shared(struct vm_fault *vmf, struct page *page)
{
	struct vm_area_struct *vma = vmf->vma;
	vm_fault_t ret = 0;

	get_page(page);
	if (vma->vm_ops && vma->vm_ops->page_mkwrite) {
		vm_fault_t tmp;

		pte_unmap_unlock(vmf->pte, vmf->ptl);
		tmp = vmf_can_call_fault(vmf);
		if (tmp) {
			put_page(page);
			return tmp;
		}
		tmp = do_page_mkwrite(vmf, page);
		if (unlikely(!tmp || (tmp & (VM_FAULT_ERROR | VM_FAULT_NOPAGE)))) {
			put_page(page);
			return tmp;
		}
		tmp = finish_mkwrite_fault(vmf, page);
		if (unlikely(tmp & (VM_FAULT_ERROR | VM_FAULT_NOPAGE))) {
			unlock_page(page);
			put_page(page);
			return tmp;
		}
	} else {
		wp_page_reuse(vmf, page);
		lock_page(page);
	}
	ret |= fault_dirty_shared_page(vmf);
	put_page(page);
	return ret;
}

/*
 * May a write fault reuse this anonymous page in place? Only when our mapping holds its only
 * reference (6.8's refcount rule: mapcount is not enough, a GUP reference also forbids it), checked
 * again under the page lock; it then becomes exclusively ours.
 */
static bool wp_can_reuse_anon_page(struct page *page, struct vm_area_struct *vma)
{
	if (page_count(page) > 3)
		return false;
	if (page_count(page) > 1)
		return false;
	if (!trylock_page(page))
		return false;
	if (page_count(page) != 1) {
		unlock_page(page);
		return false;
	}
	/* Ok, we've got the only page reference from our mapping and the page is locked. */
	page_move_anon_rmap(page, vma);
	unlock_page(page);
	return true;
}

/*
 * A write to a present, read-only PTE, entered with the PTE mapped and locked (returns with it
 * unlocked). Shared mappings make the page writable (->page_mkwrite / ->pfn_mkwrite first);
 * private ones reuse an anonymous page that is exclusively ours (PageAnonExclusive, or the
 * refcount rule) and copy anything else (file pages, the zero page, shared COW pages).
 */
static vm_fault_t do_wp_page(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct page *page;

	vmf->page = vm_normal_page(vma, vmf->address, vmf->orig_pte);
	page = vmf->page;

	/* Shared mapping: we are guaranteed to have VM_WRITE and FAULT_FLAG_WRITE set at this point. */
	if (vma->vm_flags & (VM_SHARED | VM_MAYSHARE)) {
		if (!page)
			return wp_pfn_shared(vmf);
		return wp_page_shared(vmf, page);
	}

	/* Private mapping: reuse an exclusive anonymous page, else copy (we might miss VM_WRITE for
	 * FOLL_FORCE handling). */
	if (page && PageAnon(page) && (PageAnonExclusive(page) || wp_can_reuse_anon_page(page, vma))) {
		if (!PageAnonExclusive(page))
			SetPageAnonExclusive(page);
		wp_page_reuse(vmf, page);
		return 0;
	}
	/* Ok, we need to copy. Oh, well.. */
	if (page)
		get_page(page);
	pte_unmap_unlock(vmf->pte, vmf->ptl);
	return wp_page_copy(vmf);
}

/*
 * A none PTE in an anonymous VMA. A read maps the zero page: a special PTE, read-only whatever the
 * VMA allows, never counted (no reference, no mapcount, no RSS). A write gets a fresh zeroed page,
 * writable and dirty when the VMA allows. Install only if the PTE is still none.
 */
static vm_fault_t do_anonymous_page(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct page *page;
	vm_fault_t ret = 0;
	pte_t entry;

	/* File mapping without ->vm_ops ? */
	if (vma->vm_flags & VM_SHARED)
		return VM_FAULT_SIGBUS;

	/* pte_alloc rather than pte_alloc_map: OOM is told apart from a transient failure. */
	if (pte_alloc(vma->vm_mm, vmf->pmd))
		return VM_FAULT_OOM;

	/* Use the zero-page for reads */
	if (!(vmf->flags & FAULT_FLAG_WRITE)) {
		entry = pte_mkspecial(pfn_pte(my_zero_pfn(vmf->address), vma->vm_page_prot));
		vmf->pte = pte_offset_map_lock(vma->vm_mm, vmf->pmd, vmf->address, &vmf->ptl);
		if (vmf_pte_changed(vmf)) {
			update_mmu_tlb(vma, vmf->address, vmf->pte);
			goto unlock;
		}
		goto setpte;
	}

	/* Allocate our own private page. */
	if (unlikely(anon_vma_prepare(vma)))
		goto oom;
	page = anon_page_prealloc(true);
	if (!page)
		goto oom;

	entry = mk_pte(page, vma->vm_page_prot);
	if (vma->vm_flags & VM_WRITE)
		entry = pte_mkwrite(pte_mkdirty(entry), vma);

	vmf->pte = pte_offset_map_lock(vma->vm_mm, vmf->pmd, vmf->address, &vmf->ptl);
	if (vmf_pte_changed(vmf)) {
		/* Lost the race: someone else mapped this address. */
		update_mmu_tlb(vma, vmf->address, vmf->pte);
		goto release;
	}
	inc_anon_rss(vma->vm_mm);
	page_add_new_anon_rmap(page, vma, vmf->address);
setpte:
	set_pte_at(vma->vm_mm, vmf->address, vmf->pte, entry);
	/* No need to invalidate - it was non-present before */
	update_mmu_cache(vma, vmf->address, vmf->pte);
unlock:
	pte_unmap_unlock(vmf->pte, vmf->ptl);
	return ret;
release:
	put_page(page);
	goto unlock;
oom:
	return VM_FAULT_OOM;
}

/*
 * Calls ->fault (mmap_lock held for read; the handler may drop it and answer VM_FAULT_RETRY). It
 * returns errors, NOPAGE (it installed the PTE itself: vmf_insert_pfn), RETRY and DONE_COW as they
 * are; otherwise vmf->page holds a referenced page, locked on return here.
 */
static vm_fault_t __do_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	vm_fault_t ret;

	/* Preallocate the PTE table before taking the page lock (reclaim could wait on it). */
	if (pmd_none(*vmf->pmd) && !vmf->prealloc_pte) {
		vmf->prealloc_pte = pte_alloc_one(vma->vm_mm);
		if (!vmf->prealloc_pte)
			return VM_FAULT_OOM;
	}

	ret = vma->vm_ops->fault(vmf);
	if (unlikely(ret & (VM_FAULT_ERROR | VM_FAULT_NOPAGE | VM_FAULT_RETRY | VM_FAULT_DONE_COW)))
		return ret;

	if (unlikely(!(ret & VM_FAULT_LOCKED)))
		lock_page(vmf->page);
	else
		VM_BUG_ON(!PageLocked(vmf->page));
	return ret;
}

/* The PTE of a prepared page: file rmap and counter, or (a private write) the COW copy's anon ones. */
static void set_pte_range(struct vm_fault *vmf, struct page *page, unsigned long addr)
{
	struct vm_area_struct *vma = vmf->vma;
	bool write = vmf->flags & FAULT_FLAG_WRITE;
	pte_t entry;

	flush_icache_page(vma, page);
	entry = mk_pte(page, vma->vm_page_prot);
	if (write)
		entry = maybe_mkwrite(pte_mkdirty(entry), vma);
	/* copy-on-write page */
	if (write && !(vma->vm_flags & VM_SHARED)) {
		inc_anon_rss(vma->vm_mm);
		page_add_new_anon_rmap(page, vma, addr);
	} else {
		inc_file_rss(vma->vm_mm, page);
		page_add_file_rmap(page, vma, false);
	}
	set_pte_at(vma->vm_mm, addr, vmf->pte, entry);
	/* no need to invalidate: a not-present page won't be cached */
	update_mmu_cache(vma, addr, vmf->pte);
}

/*
 * Maps the prepared page (vmf->cow_page for a private write, else vmf->page), consuming one
 * reference to it: link the preallocated PTE table if needed, take the PTE lock, and install only
 * if the PTE did not change meanwhile (else VM_FAULT_NOPAGE: someone else mapped it, fine).
 */
vm_fault_t finish_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct page *page;
	vm_fault_t ret;

	/* Did we COW the page? */
	if ((vmf->flags & FAULT_FLAG_WRITE) && !(vma->vm_flags & VM_SHARED))
		page = vmf->cow_page;
	else
		page = vmf->page;

	if (pmd_none(*vmf->pmd)) {
		if (vmf->prealloc_pte)
			pmd_install(vma->vm_mm, vmf->pmd, &vmf->prealloc_pte);
		else if (unlikely(pte_alloc(vma->vm_mm, vmf->pmd)))
			return VM_FAULT_OOM;
	}

	vmf->pte = pte_offset_map_lock(vma->vm_mm, vmf->pmd, vmf->address, &vmf->ptl);
	/* Re-check under ptl */
	if (likely(!vmf_pte_changed(vmf))) {
		set_pte_range(vmf, page, vmf->address);
		ret = 0;
	} else {
		update_mmu_tlb(vma, vmf->address, vmf->pte);
		ret = VM_FAULT_NOPAGE;
	}
	pte_unmap_unlock(vmf->pte, vmf->ptl);
	return ret;
}

/* A read: map the file's page (fault-around through ->map_pages is not modelled). */
static vm_fault_t do_read_fault(struct vm_fault *vmf)
{
	vm_fault_t ret;
	struct page *page;

	ret = vmf_can_call_fault(vmf);
	if (ret)
		return ret;
	ret = __do_fault(vmf);
	if (unlikely(ret & (VM_FAULT_ERROR | VM_FAULT_NOPAGE | VM_FAULT_RETRY)))
		return ret;

	ret |= finish_fault(vmf);
	page = vmf->page;
	unlock_page(page);
	if (unlikely(ret & (VM_FAULT_ERROR | VM_FAULT_NOPAGE | VM_FAULT_RETRY)))
		put_page(page);
	return ret;
}

/* A write to a private file mapping: copy the file's page into a new anonymous one and map that. */
static vm_fault_t do_cow_fault(struct vm_fault *vmf)
{
	vm_fault_t ret;
	struct page *page;

	ret = vmf_can_call_fault(vmf);
	if (!ret)
		ret = vmf_anon_prepare(vmf);
	if (ret)
		return ret;

	page = anon_page_prealloc(false);
	if (!page)
		return VM_FAULT_OOM;
	vmf->cow_page = page;

	ret = __do_fault(vmf);
	if (unlikely(ret & (VM_FAULT_ERROR | VM_FAULT_NOPAGE | VM_FAULT_RETRY)))
		goto uncharge_out;
	if (ret & VM_FAULT_DONE_COW)
		return ret;

	copy_page(page_address(vmf->cow_page), page_address(vmf->page));
	ret |= finish_fault(vmf);
	unlock_page(vmf->page);
	put_page(vmf->page);
	if (unlikely(ret & (VM_FAULT_ERROR | VM_FAULT_NOPAGE | VM_FAULT_RETRY)))
		goto uncharge_out;
	return ret;
uncharge_out:
	put_page(page);
	return ret;
}

/* A write to a shared file mapping: ->page_mkwrite, map the page writable and dirty it. */
static vm_fault_t do_shared_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	vm_fault_t ret, tmp;
	struct page *page;

	ret = vmf_can_call_fault(vmf);
	if (ret)
		return ret;
	ret = __do_fault(vmf);
	if (unlikely(ret & (VM_FAULT_ERROR | VM_FAULT_NOPAGE | VM_FAULT_RETRY)))
		return ret;
	page = vmf->page;

	/* Check if the backing address space wants to know that the page is about to become writable */
	if (vma->vm_ops->page_mkwrite) {
		unlock_page(page);
		tmp = do_page_mkwrite(vmf, page);
		if (unlikely(!tmp || (tmp & (VM_FAULT_ERROR | VM_FAULT_NOPAGE)))) {
			put_page(page);
			return tmp;
		}
	}

	ret |= finish_fault(vmf);
	if (unlikely(ret & (VM_FAULT_ERROR | VM_FAULT_NOPAGE | VM_FAULT_RETRY))) {
		unlock_page(page);
		put_page(page);
		return ret;
	}
	ret |= fault_dirty_shared_page(vmf);
	return ret;
}

/*
 * A none PTE in a VMA with vm_ops. Without ->fault (the VMA was fully populated at mmap, e.g.
 * remap_pfn_range, and its PTE was zapped since): SIGBUS, unless the PTE is there after all.
 */
static vm_fault_t do_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct mm_struct *vm_mm = vma->vm_mm;
	vm_fault_t ret;

	if (!vma->vm_ops->fault) {
		if (unlikely(pmd_none(*vmf->pmd))) {
			ret = VM_FAULT_SIGBUS;
		} else {
			vmf->pte = pte_offset_map_lock(vm_mm, vmf->pmd, vmf->address, &vmf->ptl);
			/* Make sure this is not a temporary clearing of pte by holding ptl and checking again. */
			if (unlikely(pte_none(*vmf->pte)))
				ret = VM_FAULT_SIGBUS;
			else
				ret = VM_FAULT_NOPAGE;
			pte_unmap_unlock(vmf->pte, vmf->ptl);
		}
	} else if (!(vmf->flags & FAULT_FLAG_WRITE)) {
		ret = do_read_fault(vmf);
	} else if (!(vma->vm_flags & VM_SHARED)) {
		ret = do_cow_fault(vmf);
	} else {
		ret = do_shared_fault(vmf);
	}

	/* preallocated pagetable is unused: free it */
	if (vmf->prealloc_pte) {
		pte_free(vm_mm, vmf->prealloc_pte);
		vmf->prealloc_pte = NULL;
	}
	return ret;
}

static vm_fault_t do_pte_missing(struct vm_fault *vmf)
{
	if (vma_is_anonymous(vmf->vma))
		return do_anonymous_page(vmf);
	return do_fault(vmf);
}

/*
 * Dispatch on the PTE, read once without the lock (it may change under us; every path re-checks
 * under the PTE lock before acting on it).
 */
static vm_fault_t handle_pte_fault(struct vm_fault *vmf)
{
	pte_t entry;

	if (unlikely(pmd_none(*vmf->pmd))) {
		/* Leave __pte_alloc() until later: ->fault may not need a table here. */
		vmf->pte = NULL;
		vmf->flags &= ~FAULT_FLAG_ORIG_PTE_VALID;
	} else {
		vmf->pte = pte_offset_map(vmf->pmd, vmf->address);
		vmf->ptl = pte_lockptr(vmf->vma->vm_mm, vmf->pmd);
		vmf->orig_pte = *vmf->pte;
		vmf->flags |= FAULT_FLAG_ORIG_PTE_VALID;
		if (pte_none(vmf->orig_pte)) {
			pte_unmap(vmf->pte);
			vmf->pte = NULL;
		}
	}

	if (!vmf->pte)
		return do_pte_missing(vmf);

	if (!pte_present(vmf->orig_pte)) {
		/* do_swap_page: no swap entries are ever created. */
		pte_unmap(vmf->pte);
		return VM_FAULT_SIGBUS;
	}

	spin_lock(vmf->ptl);
	entry = vmf->orig_pte;
	if (unlikely(!pte_same(*vmf->pte, entry))) {
		update_mmu_tlb(vmf->vma, vmf->address, vmf->pte);
		goto unlock;
	}
	if (vmf->flags & (FAULT_FLAG_WRITE | FAULT_FLAG_UNSHARE)) {
		if (!pte_write(entry))
			return do_wp_page(vmf);
		else if (likely(vmf->flags & FAULT_FLAG_WRITE))
			entry = pte_mkdirty(entry);
	}
	entry = pte_mkyoung(entry);
	if (ptep_set_access_flags(vmf->vma, vmf->address, vmf->pte, entry, vmf->flags & FAULT_FLAG_WRITE))
		update_mmu_cache(vmf->vma, vmf->address, vmf->pte);
	/* else: a spurious fault (another CPU already fixed the PTE); x86 needs no TLB fix-up. */
unlock:
	pte_unmap_unlock(vmf->pte, vmf->ptl);
	return 0;
}

static vm_fault_t __handle_mm_fault(struct vm_area_struct *vma, unsigned long address, unsigned int flags)
{
	struct vm_fault vmf = {
		.vma = vma,
		.address = address & PAGE_MASK,
		.real_address = address,
		.flags = flags,
		.pgoff = fault_pgoff(vma, address),
		.gfp_mask = fault_gfp_mask(vma),
	};
	struct mm_struct *mm = vma->vm_mm;
	pgd_t *pgd;

	pgd = pgd_offset(mm, address);
	vmf.pud = pud_alloc(mm, pgd, address);
	if (!vmf.pud)
		return VM_FAULT_OOM;
	vmf.pmd = pmd_alloc(mm, vmf.pud, address);
	if (!vmf.pmd)
		return VM_FAULT_OOM;
	return handle_pte_fault(&vmf);
}

/* Write faults on read-only mappings are impossible (FOLL_FORCE only applies to COW mappings). */
static vm_fault_t sanitize_fault_flags(struct vm_area_struct *vma, unsigned int *flags)
{
	if (unlikely(*flags & FAULT_FLAG_UNSHARE)) {
		if (WARN_ON_ONCE(*flags & FAULT_FLAG_WRITE))
			return VM_FAULT_SIGSEGV;
		if (!is_cow_mapping(vma->vm_flags))
			*flags &= ~FAULT_FLAG_UNSHARE;
	} else if (*flags & FAULT_FLAG_WRITE) {
		if (WARN_ON_ONCE(!(vma->vm_flags & VM_MAYWRITE)))
			return VM_FAULT_SIGSEGV;
		if (WARN_ON_ONCE(!(vma->vm_flags & VM_WRITE) && !is_cow_mapping(vma->vm_flags)))
			return VM_FAULT_SIGSEGV;
	}
	return 0;
}

/*
 * Called with mmap_lock held for read; `vma` contains `address`. If the result has VM_FAULT_RETRY
 * (or VM_FAULT_COMPLETED), a ->fault handler released mmap_lock.
 */
struct pt_regs;
vm_fault_t handle_mm_fault(struct vm_area_struct *vma, unsigned long address, unsigned int flags, struct pt_regs *regs)
{
	vm_fault_t ret;

	(void)regs;
	ret = sanitize_fault_flags(vma, &flags);
	if (ret)
		return ret;
	return __handle_mm_fault(vma, address, flags);
}
#endif

#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 27)
/* ---- ->access for PFN maps (ptrace, /proc/PID/mem) ---- */

/*
 * generic_access_phys: copies `len` bytes at `addr` of a VM_IO|VM_PFNMAP VMA through the PTE's
 * physical address, mapped with ioremap_prot and the PTE's cache attributes (so device registers
 * answer and RAM is refused by ioremap unless reserved, as on x86). 2.6.27 reads the PTE under its
 * lock and then copies without re-checking (a concurrent zap or move goes unnoticed); 6.8 (since
 * 5.12, 96667f8a43) takes the PTE lock again and retries if the PTE changed, copying with the lock
 * held (kernel-semantics.md 2.4).
 */
int generic_access_phys(struct vm_area_struct *vma, unsigned long addr, void *buf, int len, int write)
{
	resource_size_t phys_addr;
	unsigned long prot;
	void __iomem *maddr;
	pte_t *ptep, pte;
	spinlock_t *ptl;
	int offset = offset_in_page(addr);
	int ret = -EINVAL;

	if (!(vma->vm_flags & (VM_IO | VM_PFNMAP)))
		return -EINVAL;
#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 12, 0)
retry:
	if (follow_pte(vma->vm_mm, addr, &ptep, &ptl))
		return -EINVAL;
	pte = *ptep;
	pte_unmap_unlock(ptep, ptl);

	prot = pte_val(pte) & _PAGE_CACHE_MASK;
	phys_addr = (resource_size_t)pte_pfn(pte) << PAGE_SHIFT;
	if (write && !pte_write(pte))
		return -EINVAL;
	maddr = ioremap_prot(phys_addr, PAGE_ALIGN(len + offset), prot);
	if (!maddr)
		return -ENOMEM;
	if (follow_pte(vma->vm_mm, addr, &ptep, &ptl))
		goto out_unmap;
	if (!pte_same(pte, *ptep)) {
		pte_unmap_unlock(ptep, ptl);
		iounmap(maddr);
		goto retry;
	}
	if (write)
		memcpy_toio((char *)maddr + offset, buf, len);
	else
		memcpy_fromio(buf, (char *)maddr + offset, len);
	ret = len;
	pte_unmap_unlock(ptep, ptl);
out_unmap:
	iounmap(maddr);
	return ret;
#else
	/* follow_phys */
	if (follow_pte(vma->vm_mm, addr, &ptep, &ptl))
		return -EINVAL;
	pte = *ptep;
	prot = pte_val(pte) & _PAGE_CACHE_MASK;
	phys_addr = (write && !pte_write(pte)) ? 0 : (resource_size_t)pte_pfn(pte) << PAGE_SHIFT;
	pte_unmap_unlock(ptep, ptl);
	if (!phys_addr)
		return -EINVAL;
	maddr = ioremap_prot(phys_addr, PAGE_SIZE, prot);
	if (!maddr)
		return -EINVAL;
	if (write)
		memcpy_toio((char *)maddr + offset, buf, len);
	else
		memcpy_fromio(buf, (char *)maddr + offset, len);
	iounmap(maddr);
	(void)ret;
	return len;
#endif
}
#endif
