/* mm/mprotect.c: mprotect(2). The VMAs covering the range get the new VM_READ/WRITE/EXEC (split
 * where the range cuts them, merged with neighbours that end up alike), then every present PTE of
 * the range is rewritten with the VMA's new protection and the TLBs are flushed.
 *
 * Writable private mappings keep read-only PTEs (protection_map has no write bit for them, as in
 * Linux): making such a mapping writable does not make its pages writable; the first write
 * faults and do_wp_page decides whether the page can be reused or must be copied (COW). Eras:
 *   2.6.18:         PTEs take the new protection, nothing more.
 *   2.6.19 - 5.x:   a shared writable mapping that wants write notification (->page_mkwrite)
 *                   gets read-only PTEs, except those already dirty ("dirty_accountable").
 *   6.0 on:         MM_CP_TRY_CHANGE_WRITABLE: a PTE of a private writable mapping is made
 *                   writable right away when it maps an anonymous page nobody else maps
 *                   (Linux: PageAnonExclusive; Faultline: anonymous and mapped once, as mm/gup.c),
 *                   and a dirty PTE of a shared mapping that wants write notification.
 *
 * Locking: the mmap lock for writing (the VMA set and vm_flags change); each PTE table under its
 * page-table lock. */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/errno.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include <asm/tlbflush.h>

#include "internal.h"

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 6, 0)
#define mprotect_mkwrite(pte, vma) pte_mkwrite((pte), (vma))
#else
#define mprotect_mkwrite(pte, vma) pte_mkwrite(pte)
#endif

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 0, 0)
/* Try to make PTEs writable now instead of on the write fault (change_pte_range's cp_flags). */
#define MM_CP_TRY_CHANGE_WRITABLE (1UL << 0)

/* Whether the PTEs of `vma` need a per-PTE decision to become writable (private writable
 * mappings, for COW; shared ones that want write notification). */
static int vma_wants_manual_pte_write_upgrade(struct vm_area_struct *vma)
{
	if (vma->vm_flags & VM_SHARED)
		return vma_wants_writenotify(vma);
	return !!(vma->vm_flags & VM_WRITE);
}

/*
 * A PTE of a writable mapping may be made writable without a write fault when the fault handler
 * would do exactly that: in a private mapping, for an anonymous page mapped only here (no COW
 * needed); in a shared one, when the page is already dirty (its owner was already notified).
 */
static int can_change_pte_writable(struct vm_area_struct *vma, unsigned long addr, pte_t pte)
{
	struct page *page;

	if (WARN_ON_ONCE(!(vma->vm_flags & VM_WRITE)))
		return 0;
	/* Don't touch entries that are not even readable. */
	if (!(pte_flags(pte) & _PAGE_PRESENT))
		return 0;
	if (!(vma->vm_flags & VM_SHARED)) {
		page = vm_normal_page(vma, addr, pte);
		return page && PageAnon(page) && page_mapcount(page) == 1;
	}
	return pte_dirty(pte);
}
#endif

static unsigned long change_pte_range(struct vm_area_struct *vma, pmd_t *pmd, unsigned long addr, unsigned long end,
				      pgprot_t newprot, unsigned long cp_flags)
{
	struct mm_struct *mm = vma->vm_mm;
	unsigned long pages = 0;
	spinlock_t *ptl;
	pte_t *pte;

	pte = pte_offset_map_lock(mm, pmd, addr, &ptl);
	do {
		pte_t oldpte = *pte;

		if (pte_present(oldpte)) {
			pte_t ptent;

			/* Clear the PTE first, so a hardware update of its accessed/dirty bits in
			 * between cannot be lost, then install the new one. */
			ptent = pte_modify(ptep_get_and_clear(mm, addr, pte), newprot);
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 0, 0)
			if ((cp_flags & MM_CP_TRY_CHANGE_WRITABLE) && !pte_write(ptent) &&
			    can_change_pte_writable(vma, addr, ptent))
				ptent = mprotect_mkwrite(ptent, vma);
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 19)
			/* Avoid taking write faults for pages we know to be dirty. */
			if (cp_flags && pte_dirty(ptent))
				ptent = mprotect_mkwrite(ptent, vma);
#endif
			set_pte_at(mm, addr, pte, ptent);
			pages++;
		}
	} while (pte++, addr += PAGE_SIZE, addr != end);
	pte_unmap_unlock(pte - 1, ptl);
	return pages;
}

static unsigned long change_pmd_range(struct vm_area_struct *vma, pud_t *pud, unsigned long addr, unsigned long end,
				      pgprot_t newprot, unsigned long cp_flags)
{
	unsigned long next, pages = 0;
	pmd_t *pmd = pmd_offset(pud, addr);

	do {
		next = pmd_addr_end(addr, end);
		if (mm_pmd_none_or_clear_bad(pmd))
			continue;
		pages += change_pte_range(vma, pmd, addr, next, newprot, cp_flags);
	} while (pmd++, addr = next, addr != end);
	return pages;
}

static unsigned long change_pud_range(struct vm_area_struct *vma, pgd_t *pgd, unsigned long addr, unsigned long end,
				      pgprot_t newprot, unsigned long cp_flags)
{
	unsigned long next, pages = 0;
	pud_t *pud = pud_offset(pgd, addr);

	do {
		next = pud_addr_end(addr, end);
		if (mm_pud_none_or_clear_bad(pud))
			continue;
		pages += change_pmd_range(vma, pud, addr, next, newprot, cp_flags);
	} while (pud++, addr = next, addr != end);
	return pages;
}

unsigned long change_protection(struct vm_area_struct *vma, unsigned long start, unsigned long end, pgprot_t newprot)
{
	struct mm_struct *mm = vma->vm_mm;
	unsigned long addr = start, next, pages = 0;
	unsigned long cp_flags = 0;
	pgd_t *pgd;

	BUG_ON(addr >= end);
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 0, 0)
	if (vma_wants_manual_pte_write_upgrade(vma))
		cp_flags |= MM_CP_TRY_CHANGE_WRITABLE;
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 19)
	/* dirty_accountable */
	cp_flags = vma_wants_writenotify(vma);
#endif
	pgd = pgd_offset(mm, addr);
	do {
		next = pgd_addr_end(addr, end);
		if (mm_pgd_none_or_clear_bad(pgd))
			continue;
		pages += change_pud_range(vma, pgd, addr, next, newprot, cp_flags);
	} while (pgd++, addr = next, addr != end);
	/* Only flush the TLB if we actually modified any entries (3.8+; 2.6 always flushed). */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(3, 8, 0)
	if (pages)
		flush_tlb_range(vma, start, end);
#else
	flush_tlb_range(vma, start, end);
#endif
	return pages;
}

/*
 * Gives [start, end) of `vma` the flags `newflags`: merged into a neighbour when that makes them
 * alike (vma_merge), otherwise split off from the rest of `vma`; then vm_page_prot and the PTEs
 * follow. *pprev is the VMA before the range on entry, the VMA that now covers it on return.
 */
static int mprotect_fixup(struct vm_area_struct *vma, struct vm_area_struct **pprev, unsigned long start,
			  unsigned long end, unsigned long newflags)
{
	struct mm_struct *mm = vma->vm_mm;
	unsigned long oldflags = vma->vm_flags;
	long nrpages = (end - start) >> PAGE_SHIFT;
	pgoff_t pgoff;
	int error;

	if (newflags == oldflags) {
		*pprev = vma;
		return 0;
	}

	/*
	 * A private mapping made writable starts to reserve its size (VM_ACCOUNT), as mmap would have;
	 * making it unwritable again does not give the reservation back, except (6.x) for an
	 * anonymous VMA that never had a page (no anon_vma).
	 */
	if (newflags & VM_WRITE) {
#ifdef VM_NORESERVE
		if (!(oldflags & (VM_ACCOUNT | VM_WRITE | VM_HUGETLB | VM_SHARED | VM_NORESERVE)))
#else
		if (!(oldflags & (VM_ACCOUNT | VM_WRITE | VM_SHARED)))
#endif
			newflags |= VM_ACCOUNT;
	}
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 1, 0)
	else if ((oldflags & VM_ACCOUNT) && !vma->vm_ops && !vma->anon_vma) {
		newflags &= ~VM_ACCOUNT;
	}
#endif

	/* First try to merge with previous and/or next vma. */
	pgoff = vma->vm_pgoff + ((start - vma->vm_start) >> PAGE_SHIFT);
	*pprev = vma_merge(mm, *pprev, start, end, newflags, vma->anon_vma, vma->vm_file, pgoff);
	if (*pprev) {
		vma = *pprev;
		goto success;
	}
	*pprev = vma;
	if (start != vma->vm_start) {
		error = split_vma(mm, vma, start, 1);
		if (error)
			return error;
	}
	if (end != vma->vm_end) {
		error = split_vma(mm, vma, end, 0);
		if (error)
			return error;
	}

success:
	/* vm_flags and vm_page_prot are protected by the mmap lock held for writing. */
	vma->vm_flags = newflags;
	vma_set_page_prot(vma);
	change_protection(vma, start, end, vma->vm_page_prot);
	vm_stat_account(mm, oldflags, vma->vm_file, -nrpages);
	vm_stat_account(mm, newflags, vma->vm_file, nrpages);
	return 0;
}

/*
 * mprotect(2) in `mm`: sets the access of [start, start + len) to `prot` (PROT_READ/WRITE/EXEC,
 * plus PROT_GROWSDOWN/PROT_GROWSUP to extend the change to the edge of a stack VMA). 0, or
 * -EINVAL (unaligned start, unknown bits, both GROWS flags, GROWSDOWN on a VMA that is not a
 * stack), -ENOMEM (part of the range is not mapped: the VMAs before the hole are changed, as in
 * Linux), -EACCES (a VMA's VM_MAY* flags forbid the access: a read-only shared file mapping made
 * writable). Linux's do_mprotect_pkey(start, len, prot, -1) with the mm explicit; takes the mmap
 * lock for writing.
 */
long do_mprotect(struct mm_struct *mm, unsigned long start, size_t len, unsigned long prot)
{
	unsigned long vm_flags, nstart, end, tmp;
	struct vm_area_struct *vma, *prev;
	int error = -EINVAL;
	const unsigned long grows = prot & (PROT_GROWSDOWN | PROT_GROWSUP);

	prot &= ~(PROT_GROWSDOWN | PROT_GROWSUP);
	if (grows == (PROT_GROWSDOWN | PROT_GROWSUP))	/* can't be both */
		return -EINVAL;
	if (start & ~PAGE_MASK)
		return -EINVAL;
	if (!len)
		return 0;
	len = PAGE_ALIGN(len);
	end = start + len;
	if (end <= start)
		return -ENOMEM;
	if (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC | PROT_SEM))
		return -EINVAL;

	vm_flags = calc_vm_prot_bits(prot);

	mm_write_lock(mm);
	vma = find_vma_prev(mm, start, &prev);
	error = -ENOMEM;
	if (!vma)
		goto out;
	if (unlikely(grows & PROT_GROWSDOWN)) {
		if (vma->vm_start >= end)
			goto out;
		start = vma->vm_start;
		error = -EINVAL;
		if (!(vma->vm_flags & VM_GROWSDOWN))
			goto out;
	} else {
		if (vma->vm_start > start)
			goto out;
		if (unlikely(grows & PROT_GROWSUP)) {
			end = vma->vm_end;
			error = -EINVAL;
			if (!(vma->vm_flags & VM_GROWSUP))
				goto out;
		}
	}
	if (start > vma->vm_start)
		prev = vma;

	for (nstart = start;;) {
		unsigned long newflags;

		/* Here we know that vma->vm_start <= nstart < vma->vm_end. */
		newflags = vm_flags | (vma->vm_flags & ~(VM_READ | VM_WRITE | VM_EXEC));

		/* newflags >> 4 shifts VM_MAY* into the place of VM_*: every access asked for must be
		 * allowed. */
		if ((newflags & ~(newflags >> 4)) & (VM_READ | VM_WRITE | VM_EXEC)) {
			error = -EACCES;
			goto out;
		}

		tmp = vma->vm_end;
		if (tmp > end)
			tmp = end;
		error = mprotect_fixup(vma, &prev, nstart, tmp, newflags);
		if (error)
			goto out;
		nstart = tmp;

		if (nstart < prev->vm_end)
			nstart = prev->vm_end;
		if (nstart >= end)
			goto out;

		vma = prev->vm_next;
		if (!vma || vma->vm_start != nstart) {
			error = -ENOMEM;
			goto out;
		}
	}
out:
	mm_write_unlock(mm);
	return error;
}

long sys_mprotect(unsigned long start, size_t len, unsigned long prot)
{
	return do_mprotect(current->mm, start, len, prot);
}
