/* mm/gup.c: get_user_pages (GUP) and follow_page: the struct pages behind a range of user
 * addresses, faulted in when absent, each returned with a reference (kernel-semantics.md 2.1 GUP,
 * 2.5 GUP, section 9 "GUP: refuse VM_IO|VM_PFNMAP. Hand out page references that are not
 * invalidated by later zaps").
 *
 * Linux kept this code in mm/memory.c until gup.c was split out (3.19); Faultline keeps one file
 * for every era and selects each era's interface and behaviour:
 *
 * - 2.6 (2.6.18 / 2.6.21 / 2.6.27): get_user_pages(tsk, mm, start, len, write, force, pages,
 *   vmas). A VMA passes if it has VM_READ/VM_WRITE (with `force`, only VM_MAYREAD/VM_MAYWRITE);
 *   VM_IO|VM_PFNMAP fail with -EFAULT. handle_mm_fault's VM_FAULT_WRITE ("do_wp_page broke COW")
 *   makes the next lookups reads, so a forced write to a read-only private page gets the COWed
 *   copy. From 2.6.26 follow_page answers ERR_PTR(-EFAULT) for a PTE without a struct page.
 * - 6.8: get_user_pages(start, nr_pages, gup_flags, pages) on current->mm and
 *   get_user_pages_remote(mm, start, nr_pages, gup_flags, pages, locked); check_vma_flags refuses
 *   VM_IO|VM_PFNMAP before any walk; FOLL_FORCE|FOLL_WRITE may follow a read-only PTE of a private
 *   mapping once COW has made the page exclusively ours (can_follow_write_pte); a PTE without a
 *   struct page is -EEXIST.
 *
 * The caller holds mmap_lock (mmap_sem) for read; follow_page reads each PTE under its page-table
 * lock; handle_mm_fault (mm/memory.c) is called with mmap_lock held and no other lock. A page
 * reference taken here keeps the frame from being freed, and nothing else: a later zap
 * (unmap_mapping_range, munmap, a driver switching its backing) removes the PTE and leaves the
 * reference, and the page, with the caller (kernel-semantics.md 3.3, the 2.6.18 spufs bug). */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/err.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include <linux/rwsem.h>

/*
 * set_page_dirty()/mark_page_accessed() as GUP uses them: the pages GUP meets are anonymous or
 * tmpfs pages, for which dirtying is the PG_dirty bit (no writeback accounting), and there is no
 * LRU aging, so "accessed" is PG_referenced.
 */
static void gup_page_touched(struct page *page, pte_t pte, unsigned int flags)
{
	if ((flags & FOLL_WRITE) && !pte_dirty(pte) && !PageDirty(page))
		SetPageDirty(page);
	if (!PageReferenced(page))
		SetPageReferenced(page);
}

/*
 * No page table maps the address. A read of an anonymous area (FOLL_ANON, before 6.5) gets the
 * shared zero page without allocating tables, where the kernel has one; otherwise the caller
 * faults the page in.
 */
static struct page *no_page_table(struct vm_area_struct *vma, unsigned int flags)
{
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 5, 0) && defined(ZERO_PAGE)
	if (flags & FOLL_ANON) {
		struct page *page = ZERO_PAGE(0);

		if (flags & FOLL_GET)
			get_page(page);
		BUG_ON(flags & FOLL_WRITE);
		return page;
	}
#endif
	(void)vma;
	(void)flags;
	return NULL;
}

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 5, 0)
/* A present PTE with no struct page: touch it as asked, and say so (-EEXIST). */
static int follow_pfn_pte(struct vm_area_struct *vma, unsigned long address, pte_t *ptep, unsigned int flags)
{
	if (flags & FOLL_TOUCH) {
		pte_t orig_entry = ptep_get(ptep);
		pte_t entry = orig_entry;

		if (flags & FOLL_WRITE)
			entry = pte_mkdirty(entry);
		entry = pte_mkyoung(entry);
		if (!pte_same(orig_entry, entry)) {
			set_pte_at(vma->vm_mm, address, ptep, entry);
			update_mmu_cache(vma, address, ptep);
		}
	}
	return -EEXIST;
}
#endif

/*
 * May a FOLL_WRITE lookup use this PTE? Until 6.0 only a writable PTE (GUP drops FOLL_WRITE once
 * handle_mm_fault reports VM_FAULT_WRITE). 6.8: also a read-only PTE of a private, not-writable
 * VMA that FOLL_FORCE may write, once COW has left an anonymous page that only this PTE maps
 * (Linux tests PageAnonExclusive; Faultline has no such bit and uses "anonymous and mapped once").
 */
static bool can_follow_write_pte(pte_t pte, struct page *page, struct vm_area_struct *vma, unsigned int flags)
{
	if (pte_write(pte))
		return true;
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 5, 0)
	if (!(flags & FOLL_FORCE))
		return false;
	/* FOLL_FORCE has no effect on shared mappings */
	if (vma->vm_flags & (VM_MAYSHARE | VM_SHARED))
		return false;
	/* ... or read-only private ones */
	if (!(vma->vm_flags & VM_MAYWRITE))
		return false;
	/* ... or writable ones that just need to take a write fault */
	if (vma->vm_flags & VM_WRITE)
		return false;
	return page && PageAnon(page) && page_mapcount(page) == 1;
#else
	(void)page;
	(void)vma;
	(void)flags;
	return false;
#endif
}

struct page *follow_page(struct vm_area_struct *vma, unsigned long address, unsigned int flags)
{
	struct mm_struct *mm = vma->vm_mm;
	pgd_t *pgd;
	pud_t *pud;
	pmd_t *pmd;
	pte_t *ptep, pte;
	spinlock_t *ptl;
	struct page *page;

	pgd = pgd_offset(mm, address);
	if (pgd_none(*pgd) || unlikely(pgd_bad(*pgd)))
		return no_page_table(vma, flags);
	pud = pud_offset(pgd, address);
	if (pud_none(*pud) || unlikely(pud_bad(*pud)))
		return no_page_table(vma, flags);
	pmd = pmd_offset(pud, address);
	if (pmd_none(*pmd) || unlikely(pmd_bad(*pmd)))
		return no_page_table(vma, flags);

	ptep = pte_offset_map_lock(mm, pmd, address, &ptl);
	pte = ptep_get(ptep);
	if (!pte_present(pte))
		goto no_page;
	page = vm_normal_page(vma, address, pte);
	if ((flags & FOLL_WRITE) && !can_follow_write_pte(pte, page, vma, flags)) {
		page = NULL;
		goto out;
	}
	if (unlikely(!page)) {
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 5, 0)
		/* The zero page has a struct page GUP may hand out (2.6.32+ maps it as a special PTE). */
		if (is_zero_pfn(pte_pfn(pte))) {
			page = pte_page(pte);
		} else {
			page = ERR_PTR(follow_pfn_pte(vma, address, ptep, flags));
			goto out;
		}
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 26)
		/* 89f5b7da2a6: a PTE with no struct page fails the lookup instead of refaulting. */
		page = ERR_PTR(-EFAULT);
		goto out;
#else
		goto out;
#endif
	}
	if (flags & FOLL_GET)
		get_page(page);
	if (flags & FOLL_TOUCH)
		gup_page_touched(page, pte, flags);
out:
	pte_unmap_unlock(ptep, ptl);
	return page;

no_page:
	pte_unmap_unlock(ptep, ptl);
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 26)
	/* A none PTE is treated like a missing table (the zero page for FOLL_ANON). */
	if (pte_none(pte))
		return no_page_table(vma, flags);
#endif
	return NULL;
}

/* The VMA containing `addr`, or NULL (GUP no longer grows the stack: 6.5's gup_vma_lookup; the
 * 2.6 find_extend_vma would expand a VM_GROWSDOWN stack, which Faultline does not model here). */
static struct vm_area_struct *gup_vma_lookup(struct mm_struct *mm, unsigned long addr)
{
	struct vm_area_struct *vma = find_vma(mm, addr);

	if (!vma || addr < vma->vm_start)
		return NULL;
	return vma;
}

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 5, 0)

/* May GUP touch this VMA the way `gup_flags` asks? 0 or -EFAULT (6.8 check_vma_flags). */
static int check_vma_flags(struct vm_area_struct *vma, unsigned long gup_flags)
{
	unsigned long vm_flags = vma->vm_flags;
	int write = (gup_flags & FOLL_WRITE);

	/* No struct pages behind these (or none GUP may hold): kernel-semantics.md 2.5. */
	if (vm_flags & (VM_IO | VM_PFNMAP))
		return -EFAULT;
	if ((gup_flags & FOLL_ANON) && vma->vm_ops)
		return -EFAULT;
	if (write) {
		if (!(vm_flags & VM_WRITE)) {
			if (!(gup_flags & FOLL_FORCE))
				return -EFAULT;
			/* A forced write copies: only in a private mapping that may become writable. */
			if (!is_cow_mapping(vm_flags))
				return -EFAULT;
		}
	} else if (!(vm_flags & VM_READ)) {
		if (!(gup_flags & FOLL_FORCE))
			return -EFAULT;
		if (!(vm_flags & VM_MAYREAD))
			return -EFAULT;
	}
	return 0;
}

/*
 * Faults the page at `address` in for a GUP lookup that found nothing. 0: look again; -EFAULT,
 * -ENOMEM: the fault failed; -EBUSY: the handler dropped mmap_lock (VM_FAULT_RETRY), *locked = 0.
 */
static int faultin_page(struct vm_area_struct *vma, unsigned long address, unsigned int *flags, int *locked)
{
	unsigned int fault_flags = 0;
	vm_fault_t ret;

	if (*flags & FOLL_NOFAULT)
		return -EFAULT;
	if (*flags & FOLL_WRITE)
		fault_flags |= FAULT_FLAG_WRITE;
	if (*flags & FOLL_REMOTE)
		fault_flags |= FAULT_FLAG_REMOTE;
	ret = handle_mm_fault(vma, address, fault_flags, NULL);
	if (ret & VM_FAULT_ERROR) {
		/* vm_fault_to_errno */
		if (ret & VM_FAULT_OOM)
			return -ENOMEM;
		if (ret & (VM_FAULT_HWPOISON | VM_FAULT_HWPOISON_LARGE))
			return (*flags & FOLL_HWPOISON) ? -EHWPOISON : -EFAULT;
		return -EFAULT;
	}
	if (ret & VM_FAULT_RETRY) {
		*locked = 0;
		return -EBUSY;
	}
	return 0;
}

/*
 * The GUP loop (6.8 __get_user_pages): for each page, the VMA is checked when the walk enters it,
 * then follow_page, faulting the page in and looking again until it is there. Returns the pages
 * done, or -errno when none was.
 */
static long __get_user_pages(struct mm_struct *mm, unsigned long start, unsigned long nr_pages, unsigned int gup_flags,
	struct page **pages, int *locked)
{
	long ret = 0, i = 0;
	struct vm_area_struct *vma = NULL;

	if (!nr_pages)
		return 0;
	do {
		struct page *page;
		unsigned int foll_flags = gup_flags;

		/* first iteration or cross vma bound */
		if (!vma || start >= vma->vm_end) {
			vma = gup_vma_lookup(mm, start);
			if (!vma) {
				ret = -EFAULT;
				goto out;
			}
			ret = check_vma_flags(vma, gup_flags);
			if (ret)
				goto out;
		}
retry:
		cond_resched();
		page = follow_page(vma, start, foll_flags);
		if (!page) {
			ret = faultin_page(vma, start, &foll_flags, locked);
			switch (ret) {
			case 0:
				goto retry;
			case -EBUSY:
				ret = 0;
				goto out;
			default:
				goto out;
			}
		} else if (PTR_ERR(page) == -EEXIST) {
			/* A PTE without a struct page: nothing to hand back in pages[]. */
			if (pages) {
				ret = PTR_ERR(page);
				goto out;
			}
		} else if (IS_ERR(page)) {
			ret = PTR_ERR(page);
			goto out;
		}
		if (pages)
			pages[i] = page;
		i++;
		start += PAGE_SIZE;
		nr_pages--;
	} while (nr_pages);
out:
	return i ? i : ret;
}

/* Takes mmap_lock itself when *locked is 0 (and drops it before returning). */
static long __get_user_pages_locked(struct mm_struct *mm, unsigned long start, unsigned long nr_pages,
	struct page **pages, int *locked, unsigned int flags)
{
	bool must_unlock = false;
	long ret;

	if (!nr_pages)
		return 0;
	if (!*locked) {
		if (mmap_read_lock_killable(mm))
			return -EAGAIN;
		must_unlock = true;
		*locked = 1;
	} else {
		mmap_assert_locked(mm);
	}
	/* Callers that want pages[] filled get references (FOLL_GET), unless they pin. */
	if (pages && !(flags & FOLL_PIN))
		flags |= FOLL_GET;
	ret = __get_user_pages(mm, start, nr_pages, flags, pages, locked);
	if (must_unlock && *locked) {
		mmap_read_unlock(mm);
		*locked = 0;
	}
	return ret;
}

/* The flags a caller may pass (GUP's own are refused), plus those GUP adds. */
static bool is_valid_gup_args(struct page **pages, unsigned int *gup_flags_p, unsigned int to_set)
{
	unsigned int gup_flags = *gup_flags_p;

	if (WARN_ON_ONCE(gup_flags & INTERNAL_GUP_FLAGS))
		return false;
	/* FOLL_GET and FOLL_PIN are mutually exclusive; both need pages[]. */
	if (WARN_ON_ONCE((gup_flags & (FOLL_PIN | FOLL_GET)) == (FOLL_PIN | FOLL_GET)))
		return false;
	if (WARN_ON_ONCE(!pages && (gup_flags & (FOLL_PIN | FOLL_GET))))
		return false;
	*gup_flags_p = gup_flags | to_set;
	return true;
}

long get_user_pages_remote(struct mm_struct *mm, unsigned long start, unsigned long nr_pages, unsigned int gup_flags,
	struct page **pages, int *locked)
{
	int local_locked = 1;

	if (!is_valid_gup_args(pages, &gup_flags, FOLL_TOUCH | FOLL_REMOTE))
		return -EINVAL;
	return __get_user_pages_locked(mm, start, nr_pages, pages, locked ? locked : &local_locked, gup_flags);
}

long get_user_pages(unsigned long start, unsigned long nr_pages, unsigned int gup_flags, struct page **pages)
{
	int locked = 1;

	if (!is_valid_gup_args(pages, &gup_flags, FOLL_TOUCH))
		return -EINVAL;
	return __get_user_pages_locked(current->mm, start, nr_pages, pages, &locked, gup_flags);
}

#else /* 2.6 */

/* FOLL_ANON: reads of areas whose pages are anonymous or have no ->nopage/->fault may get the
 * zero page (use_zero_page). */
static int use_zero_page(struct vm_area_struct *vma)
{
	if (vma->vm_flags & VM_LOCKED)
		return 0;
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 26)
	return !vma->vm_ops || !vma->vm_ops->fault;
#else
	return !vma->vm_ops || !vma->vm_ops->nopage;
#endif
}

/*
 * Faults in the page GUP needs. 0: look again; -EFAULT or -ENOMEM: give up. Clears FOLL_WRITE in
 * *foll_flags when the fault broke COW (VM_FAULT_WRITE), even if the new PTE is not writable
 * because the VMA is not (a forced write): the next lookup is a read of the COWed page.
 */
static int gup_fault(struct mm_struct *mm, struct vm_area_struct *vma, unsigned long start, unsigned int *foll_flags)
{
	int ret = handle_mm_fault(mm, vma, start, (*foll_flags & FOLL_WRITE) ? 1 : 0);

#if LINUX_VERSION_CODE < KERNEL_VERSION(2, 6, 23)
	if (ret & VM_FAULT_WRITE)
		*foll_flags &= ~FOLL_WRITE;
	switch (ret & ~VM_FAULT_WRITE) {
	case VM_FAULT_MINOR:
	case VM_FAULT_MAJOR:
		return 0;
	case VM_FAULT_SIGBUS:
		return -EFAULT;
	case VM_FAULT_OOM:
		return -ENOMEM;
	default:
		BUG();
	}
	return -EFAULT;
#else
	if (ret & VM_FAULT_ERROR) {
		if (ret & VM_FAULT_OOM)
			return -ENOMEM;
		return -EFAULT;
	}
	if (ret & VM_FAULT_WRITE)
		*foll_flags &= ~FOLL_WRITE;
	return 0;
#endif
}

int get_user_pages(struct task_struct *tsk, struct mm_struct *mm, unsigned long start, int len, int write, int force,
	struct page **pages, struct vm_area_struct **vmas)
{
	int i;
	unsigned int vm_flags;

	(void)tsk;	/* Linux counts the faults in tsk->min_flt/maj_flt: no such counters here. */
	if (len <= 0)
		return 0;
	/*
	 * Require read or write permissions.
	 * If 'force' is set, we only require the "MAY" flags.
	 */
	vm_flags = write ? (VM_WRITE | VM_MAYWRITE) : (VM_READ | VM_MAYREAD);
	vm_flags &= force ? (VM_MAYREAD | VM_MAYWRITE) : (VM_READ | VM_WRITE);
	i = 0;

	do {
		struct vm_area_struct *vma;
		unsigned int foll_flags;

		vma = gup_vma_lookup(mm, start);
		/* VM_IO|VM_PFNMAP: no struct pages GUP may hand out (kernel-semantics.md 2.1, item 2). */
		if (!vma || (vma->vm_flags & (VM_IO | VM_PFNMAP)) || !(vm_flags & vma->vm_flags))
			return i ? i : -EFAULT;

		foll_flags = FOLL_TOUCH;
		if (pages)
			foll_flags |= FOLL_GET;
		if (!write && use_zero_page(vma))
			foll_flags |= FOLL_ANON;

		do {
			struct page *page;

			if (write)
				foll_flags |= FOLL_WRITE;
			cond_resched();
			while (!(page = follow_page(vma, start, foll_flags))) {
				int ret = gup_fault(mm, vma, start, &foll_flags);

				if (ret)
					return i ? i : ret;
				cond_resched();
			}
			if (IS_ERR(page))
				return i ? i : PTR_ERR(page);
			if (pages)
				pages[i] = page;
			if (vmas)
				vmas[i] = vma;
			i++;
			start += PAGE_SIZE;
			len--;
		} while (len && start < vma->vm_end);
	} while (len);
	return i;
}

#endif
