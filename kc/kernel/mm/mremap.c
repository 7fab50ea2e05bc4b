/* mm/mremap.c: mremap(2). Shrinking unmaps the tail; growing extends the VMA in place when the
 * room above it is free; otherwise, with MREMAP_MAYMOVE, the mapping moves: a new VMA is made at
 * the new address (copy_vma) and the page-table entries themselves are moved there
 * (move_page_tables), so the same frames appear at the new address with no copying of data, then
 * the old range is unmapped. MREMAP_FIXED names the new address (replacing what is there);
 * 6.x's MREMAP_DONTUNMAP leaves the old range mapped and empty.
 *
 * Eras: 2.6 looks the VMA up only once it must grow or move (a shrink of an unmapped range
 * "succeeds"), 6.x looks it up first (-EFAULT). 6.x refuses to duplicate a private mapping with
 * old_len 0 (-EINVAL) and extends in place by merging with the VMA above when it can.
 *
 * Locking: the mmap lock for writing; moving PTEs holds the old and the new PTE table locks (the
 * new one nested: exclusive mmap lock prevents a deadlock between the two), and for a file VMA
 * the i_mmap lock, so that truncation cannot miss a PTE in flight. */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/errno.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include <linux/lockdep.h>
#include <asm/tlbflush.h>

#include "internal.h"

/* The PMD entry covering `addr` if tables down to it exist (and are sane), else NULL. */
static pmd_t *get_old_pmd(struct mm_struct *mm, unsigned long addr)
{
	pgd_t *pgd;
	pud_t *pud;
	pmd_t *pmd;

	pgd = pgd_offset(mm, addr);
	if (mm_pgd_none_or_clear_bad(pgd))
		return NULL;
	pud = pud_offset(pgd, addr);
	if (mm_pud_none_or_clear_bad(pud))
		return NULL;
	pmd = pmd_offset(pud, addr);
	if (mm_pmd_none_or_clear_bad(pmd))
		return NULL;
	return pmd;
}

/* The PMD entry covering `addr`, with the tables down to a PTE table allocated; NULL: no memory. */
static pmd_t *alloc_new_pmd(struct mm_struct *mm, unsigned long addr)
{
	pgd_t *pgd;
	pud_t *pud;
	pmd_t *pmd;

	pgd = pgd_offset(mm, addr);
	pud = pud_alloc(mm, pgd, addr);
	if (!pud)
		return NULL;
	pmd = pmd_alloc(mm, pud, addr);
	if (!pmd)
		return NULL;
	if (!pmd_present(*pmd) && __PTE_ALLOC(mm, pmd, addr))
		return NULL;
	return pmd;
}

/*
 * Moves the PTEs of [old_addr, old_end) (one PTE table) to new_addr: each is cleared at the old
 * place and set, unchanged, at the new one, so the frame, its dirty bit and its reference move
 * together. The TLB of the old range is flushed before the locks are dropped, so no CPU keeps
 * reaching the frames through the old addresses.
 */
static void move_ptes(struct vm_area_struct *vma, pmd_t *old_pmd, unsigned long old_addr, unsigned long old_end,
		      struct vm_area_struct *new_vma, pmd_t *new_pmd, unsigned long new_addr)
{
	struct address_space *mapping = NULL;
	struct mm_struct *mm = vma->vm_mm;
	pte_t *old_pte, *new_pte, pte;
	spinlock_t *old_ptl, *new_ptl;
	unsigned long len = old_end - old_addr;
	int force_flush = 0;

	(void)new_vma;
	if (vma->vm_file) {
		/*
		 * Subtle point from Rajesh Venkatasubramanian: before moving file-based ptes, we must
		 * lock truncate out, since it might clean the dst vma before the src vma, and we
		 * would propagate stale pages into the dst afterward.
		 */
		mapping = vma->vm_file->f_mapping;
		i_mmap_lock_write(mapping);
	}

	/* We don't have to worry about the ordering of src and dst pte locks because exclusive
	 * mmap_lock prevents deadlock. */
	old_pte = pte_offset_map_lock(mm, old_pmd, old_addr, &old_ptl);
	new_pte = pte_offset_map(new_pmd, new_addr);
	new_ptl = pte_lockptr(mm, new_pmd);
	if (new_ptl != old_ptl)
		spin_lock_nested(new_ptl, SINGLE_DEPTH_NESTING);

	for (; old_addr < old_end; old_pte++, old_addr += PAGE_SIZE, new_pte++, new_addr += PAGE_SIZE) {
		if (pte_none(*old_pte))
			continue;
		pte = ptep_get_and_clear(mm, old_addr, old_pte);
		if (pte_present(pte))
			force_flush = 1;
		set_pte_at(mm, new_addr, new_pte, pte);
	}
	if (force_flush)
		flush_tlb_range(vma, old_end - len, old_end);

	if (new_ptl != old_ptl)
		spin_unlock(new_ptl);
	pte_unmap(new_pte - 1);
	pte_unmap_unlock(old_pte - 1, old_ptl);
	if (mapping)
		i_mmap_unlock_write(mapping);
}

#define LATENCY_LIMIT (64 * PAGE_SIZE)

/* Moves the PTEs of [old_addr, old_addr + len) to new_addr, one PTE table's worth at a time; the
 * length moved (short when a page table could not be allocated). */
static unsigned long move_page_tables(struct vm_area_struct *vma, unsigned long old_addr, struct vm_area_struct *new_vma,
				      unsigned long new_addr, unsigned long len)
{
	unsigned long extent, next, old_end;
	pmd_t *old_pmd, *new_pmd;

	old_end = old_addr + len;
	for (; old_addr < old_end; old_addr += extent, new_addr += extent) {
		cond_resched();
		next = (old_addr + PMD_SIZE) & PMD_MASK;
		/* even if next overflowed, extent below will be ok */
		extent = next - old_addr;
		if (extent > old_end - old_addr)
			extent = old_end - old_addr;
		old_pmd = get_old_pmd(vma->vm_mm, old_addr);
		if (!old_pmd)
			continue;
		new_pmd = alloc_new_pmd(vma->vm_mm, new_addr);
		if (!new_pmd)
			break;
		next = (new_addr + PMD_SIZE) & PMD_MASK;
		if (extent > next - new_addr)
			extent = next - new_addr;
		if (extent > LATENCY_LIMIT)
			extent = LATENCY_LIMIT;
		move_ptes(vma, old_pmd, old_addr, old_addr + extent, new_vma, new_pmd, new_addr);
	}
	return len + old_addr - old_end;	/* how much done */
}

/*
 * Moves [old_addr, old_addr + old_len) of `vma` to a new VMA at [new_addr, new_addr + new_len):
 * the PTEs move, then the old range is unmapped (6.x MREMAP_DONTUNMAP: left mapped, empty).
 * Returns new_addr or -errno. VM_ACCOUNT is hidden from the old VMA during the unmap (its
 * reservation now belongs to the new one) and given back to the pieces of it that remain.
 */
static unsigned long move_vma(struct vm_area_struct *vma, unsigned long old_addr, unsigned long old_len,
			      unsigned long new_len, unsigned long new_addr, unsigned long flags)
{
	struct mm_struct *mm = vma->vm_mm;
	struct vm_area_struct *new_vma;
	unsigned long vm_flags = vma->vm_flags;
	unsigned long new_pgoff, moved_len, hiwater_vm;
	unsigned long account_start = 0, account_end = 0;
	int dontunmap = 0;

#ifdef MREMAP_DONTUNMAP
	dontunmap = (flags & MREMAP_DONTUNMAP) != 0;
#else
	(void)flags;
#endif
	/* We'd prefer to avoid failure later on in do_munmap: which may split one vma into three
	 * before unmapping. */
	if (mm->map_count >= sysctl_max_map_count - 3)
		return -ENOMEM;

	new_pgoff = vma->vm_pgoff + ((old_addr - vma->vm_start) >> PAGE_SHIFT);
	new_vma = copy_vma(&vma, new_addr, new_len, new_pgoff);
	if (!new_vma)
		return -ENOMEM;

	moved_len = move_page_tables(vma, old_addr, new_vma, new_addr, old_len);
	if (moved_len < old_len) {
		/*
		 * On error, move entries back from new area to old, which will succeed since page
		 * tables still there, and then proceed to unmap new area instead of old.
		 */
		move_page_tables(new_vma, new_addr, vma, old_addr, moved_len);
		vma = new_vma;
		old_len = new_len;
		old_addr = new_addr;
		new_addr = -ENOMEM;
		dontunmap = 0;
	}

	/* Conceal VM_ACCOUNT so old reservation is not undone. */
	if ((vm_flags & VM_ACCOUNT) && !dontunmap) {
		vma->vm_flags &= ~VM_ACCOUNT;
		if (vma->vm_start < old_addr)
			account_start = vma->vm_start;
		if (vma->vm_end > old_addr + old_len)
			account_end = vma->vm_end;
	}

	/*
	 * total_vm rises by new_len now and drops by old_len in do_munmap; the high-water mark must
	 * not record the moment both are counted.
	 */
	hiwater_vm = mm->hiwater_vm;
	vm_stat_account(mm, vma->vm_flags, vma->vm_file, new_len >> PAGE_SHIFT);

	if (dontunmap) {
		/* The old range stays, empty: its pages went with the PTEs. */
		vma->vm_flags &= ~VM_LOCKED;
		return new_addr;
	}

	if (do_munmap(mm, old_addr, old_len) < 0) {
		/* OOM: unable to split vma, just get accounts right. */
		account_start = account_end = 0;
	}
	mm->hiwater_vm = hiwater_vm;

	/* Restore VM_ACCOUNT if one or two pieces of vma left. */
	if (account_start) {
		struct vm_area_struct *below = find_vma(mm, account_start);

		if (below)
			below->vm_flags |= VM_ACCOUNT;
	}
	if (account_end) {
		struct vm_area_struct *above = find_vma(mm, old_addr + old_len);

		if (above)
			above->vm_flags |= VM_ACCOUNT;
	}

	if (vm_flags & VM_LOCKED) {
		mm->locked_vm += new_len >> PAGE_SHIFT;
		if (new_len > old_len && !IS_ERR_VALUE(new_addr))
			mm_populate_range(mm, new_addr + old_len, new_len - old_len);
	}
	return new_addr;
}

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 1, 0)

/* The VMA at addr when [addr, addr + old_len) may become new_len long (6.x vma_to_resize). */
static struct vm_area_struct *vma_to_resize(struct mm_struct *mm, unsigned long addr, unsigned long old_len,
					    unsigned long new_len, unsigned long flags)
{
	struct vm_area_struct *vma = find_vma(mm, addr);
	pgoff_t pgoff;

	if (!vma || vma->vm_start > addr)
		return ERR_PTR(-EFAULT);
	/* !old_len "duplicates" a mapping: meaningless for a private one. */
	if (!old_len && !(vma->vm_flags & (VM_SHARED | VM_MAYSHARE)))
		return ERR_PTR(-EINVAL);
#ifdef MREMAP_DONTUNMAP
	if ((flags & MREMAP_DONTUNMAP) && (vma->vm_flags & (VM_DONTEXPAND | VM_PFNMAP)))
		return ERR_PTR(-EINVAL);
#else
	(void)flags;
#endif
	/* We can't remap across vm area boundaries. */
	if (old_len > vma->vm_end - addr)
		return ERR_PTR(-EFAULT);
	if (new_len == old_len)
		return vma;
	/* Need to be careful about a growing mapping. */
	pgoff = (addr - vma->vm_start) >> PAGE_SHIFT;
	pgoff += vma->vm_pgoff;
	if (pgoff + (new_len >> PAGE_SHIFT) < pgoff)
		return ERR_PTR(-EINVAL);
	if (vma->vm_flags & (VM_DONTEXPAND | VM_PFNMAP))
		return ERR_PTR(-EFAULT);
	return vma;
}

/* Nothing mapped in [vm_end, vm_end + delta), and the result is a valid range. */
static int vma_expandable(struct vm_area_struct *vma, unsigned long delta)
{
	unsigned long end = vma->vm_end + delta;

	if (end < vma->vm_end)	/* overflow */
		return 0;
	if (find_vma_intersection(vma->vm_mm, vma->vm_end, end))
		return 0;
	if (IS_ERR_VALUE(mm_get_unmapped_area(vma->vm_mm, NULL, vma->vm_start, end - vma->vm_start, 0, MAP_FIXED)))
		return 0;
	return 1;
}

/* MREMAP_FIXED (and MREMAP_DONTUNMAP): the move to new_addr. */
static unsigned long mremap_to(struct mm_struct *mm, unsigned long addr, unsigned long old_len, unsigned long new_addr,
			       unsigned long new_len, unsigned long flags)
{
	struct vm_area_struct *vma;
	unsigned long ret = -EINVAL;
	unsigned long map_flags = 0;

	if (offset_in_page(new_addr))
		return ret;
	if (new_len > TASK_SIZE || new_addr > TASK_SIZE - new_len)
		return ret;
	/* Ensure the old/new locations do not overlap. */
	if (addr + old_len > new_addr && new_addr + new_len > addr)
		return ret;
	/* move_vma needs 4 maps of room; both ranges may split in 3 first. */
	if ((mm->map_count + 2) >= sysctl_max_map_count - 3)
		return -ENOMEM;
	if (flags & MREMAP_FIXED) {
		ret = do_munmap(mm, new_addr, new_len);
		if (ret)
			return ret;
	}
	if (old_len > new_len) {
		ret = do_munmap(mm, addr + new_len, old_len - new_len);
		if (ret)
			return ret;
		old_len = new_len;
	}
	vma = vma_to_resize(mm, addr, old_len, new_len, flags);
	if (IS_ERR(vma))
		return PTR_ERR(vma);
	if (flags & MREMAP_FIXED)
		map_flags |= MAP_FIXED;
	if (vma->vm_flags & VM_MAYSHARE)
		map_flags |= MAP_SHARED;
	ret = mm_get_unmapped_area(mm, vma->vm_file, new_addr, new_len, vma->vm_pgoff + ((addr - vma->vm_start) >> PAGE_SHIFT),
				   map_flags);
	if (IS_ERR_VALUE(ret))
		return ret;
	/* We got a new mapping. */
	if (!(flags & MREMAP_FIXED))
		new_addr = ret;
	return move_vma(vma, addr, old_len, new_len, new_addr, flags);
}

static unsigned long __do_mremap(struct mm_struct *mm, unsigned long addr, unsigned long old_len, unsigned long new_len,
				 unsigned long flags, unsigned long new_addr)
{
	struct vm_area_struct *vma;
	unsigned long ret;

	vma = find_vma(mm, addr);
	if (!vma || vma->vm_start > addr)
		return -EFAULT;

	if (flags & (MREMAP_FIXED | MREMAP_DONTUNMAP))
		return mremap_to(mm, addr, old_len, new_addr, new_len, flags);

	/* Always allow a shrinking remap: that just unmaps the unnecessary pages. */
	if (old_len >= new_len) {
		if (old_len == new_len)
			return addr;
		ret = do_munmap(mm, addr + new_len, old_len - new_len);
		return ret ? ret : addr;
	}

	/* Ok, we need to grow... */
	vma = vma_to_resize(mm, addr, old_len, new_len, flags);
	if (IS_ERR(vma))
		return PTR_ERR(vma);

	/* old_len exactly to the end of the area: can we just expand the current mapping? */
	if (old_len == vma->vm_end - addr) {
		unsigned long delta = new_len - old_len;

		if (vma_expandable(vma, delta)) {
			long pages = delta >> PAGE_SHIFT;

			/* The extension joins the VMA, and the one above if they now touch and are alike. */
			vma = vma_merge(mm, vma, vma->vm_end, vma->vm_end + delta, vma->vm_flags, vma->anon_vma, vma->vm_file,
					vma->vm_pgoff + vma_pages(vma));
			if (!vma)
				return -ENOMEM;
			vm_stat_account(mm, vma->vm_flags, vma->vm_file, pages);
			if (vma->vm_flags & VM_LOCKED) {
				mm->locked_vm += pages;
				mm_populate_range(mm, addr + old_len, delta);
			}
			return addr;
		}
	}

	/* We weren't able to just expand or shrink the area, we need to create a new one and move it. */
	if (flags & MREMAP_MAYMOVE) {
		unsigned long map_flags = 0;

		if (vma->vm_flags & VM_MAYSHARE)
			map_flags |= MAP_SHARED;
		new_addr = mm_get_unmapped_area(mm, vma->vm_file, 0, new_len,
						vma->vm_pgoff + ((addr - vma->vm_start) >> PAGE_SHIFT), map_flags);
		if (IS_ERR_VALUE(new_addr))
			return new_addr;
		return move_vma(vma, addr, old_len, new_len, new_addr, flags);
	}
	return -ENOMEM;
}

#else /* 2.6 */

static unsigned long __do_mremap(struct mm_struct *mm, unsigned long addr, unsigned long old_len, unsigned long new_len,
				 unsigned long flags, unsigned long new_addr)
{
	struct vm_area_struct *vma;
	unsigned long ret = -EINVAL;

	/* new_addr is only valid if MREMAP_FIXED is specified. */
	if (flags & MREMAP_FIXED) {
		if (new_addr & ~PAGE_MASK)
			return ret;
		if (new_len > TASK_SIZE || new_addr > TASK_SIZE - new_len)
			return ret;
		/* Check if the location we're moving into overlaps the old location at all, and fail
		 * if it does. */
		if ((new_addr <= addr) && (new_addr + new_len) > addr)
			return ret;
		if ((addr <= new_addr) && (addr + old_len) > new_addr)
			return ret;
		ret = do_munmap(mm, new_addr, new_len);
		if (ret)
			return ret;
	}

	/* Always allow a shrinking remap: that just unmaps the unnecessary pages. */
	if (old_len >= new_len) {
		ret = do_munmap(mm, addr + new_len, old_len - new_len);
		if (ret && old_len != new_len)
			return ret;
		ret = addr;
		if (!(flags & MREMAP_FIXED) || (new_addr == addr))
			return ret;
		old_len = new_len;
	}

	/* Ok, we need to grow... or relocate. */
	vma = find_vma(mm, addr);
	if (!vma || vma->vm_start > addr)
		return -EFAULT;
	/* We can't remap across vm area boundaries. */
	if (old_len > vma->vm_end - addr)
		return -EFAULT;
	if (vma->vm_flags & (VM_DONTEXPAND | VM_PFNMAP)) {
		if (new_len > old_len)
			return -EFAULT;
	}

	/* old_len exactly to the end of the area, and we're not relocating the area. */
	if (old_len == vma->vm_end - addr && !((flags & MREMAP_FIXED) && (addr != new_addr)) &&
	    (old_len != new_len || !(flags & MREMAP_MAYMOVE))) {
		unsigned long max_addr = TASK_SIZE;

		if (vma->vm_next)
			max_addr = vma->vm_next->vm_start;
		/* Can we just expand the current mapping? */
		if (max_addr - addr >= new_len) {
			long pages = (new_len - old_len) >> PAGE_SHIFT;

			vma_adjust_end(vma, addr + new_len);
			vm_stat_account(mm, vma->vm_flags, vma->vm_file, pages);
			if (vma->vm_flags & VM_LOCKED) {
				mm->locked_vm += pages;
				mm_populate_range(mm, addr + old_len, new_len - old_len);
			}
			return addr;
		}
	}

	/* We weren't able to just expand or shrink the area, we need to create a new one and move it. */
	ret = -ENOMEM;
	if (flags & MREMAP_MAYMOVE) {
		if (!(flags & MREMAP_FIXED)) {
			unsigned long map_flags = 0;

			if (vma->vm_flags & VM_MAYSHARE)
				map_flags |= MAP_SHARED;
			/* 2.6 passed the VMA's own pgoff, not the moved part's. */
			new_addr = mm_get_unmapped_area(mm, vma->vm_file, 0, new_len, vma->vm_pgoff, map_flags);
			if (IS_ERR_VALUE(new_addr))
				return new_addr;
		}
		ret = move_vma(vma, addr, old_len, new_len, new_addr, flags);
	}
	return ret;
}

#endif

/*
 * mremap(2) in `mm`: resizes [addr, addr + old_len) to new_len bytes, moving it if it must and
 * MREMAP_MAYMOVE allows (or to new_addr with MREMAP_FIXED). Returns the (new) address, or
 * -EINVAL (unknown flags, FIXED without MAYMOVE, unaligned addresses, new_len 0, overlapping
 * FIXED ranges), -EFAULT (no VMA at addr, the range crosses VMAs, growing a VM_DONTEXPAND or
 * PFN mapping), -ENOMEM (cannot grow in place and may not move, or no room). Takes the mmap lock
 * for writing.
 */
unsigned long do_mremap(struct mm_struct *mm, unsigned long addr, unsigned long old_len, unsigned long new_len,
			unsigned long flags, unsigned long new_addr)
{
	unsigned long ret;
#ifdef MREMAP_DONTUNMAP
	const unsigned long known = MREMAP_FIXED | MREMAP_MAYMOVE | MREMAP_DONTUNMAP;
#else
	const unsigned long known = MREMAP_FIXED | MREMAP_MAYMOVE;
#endif

	if (flags & ~known)
		return -EINVAL;
	if ((flags & MREMAP_FIXED) && !(flags & MREMAP_MAYMOVE))
		return -EINVAL;
#ifdef MREMAP_DONTUNMAP
	/* MREMAP_DONTUNMAP is always a move and does not allow resizing in the process. */
	if ((flags & MREMAP_DONTUNMAP) && (!(flags & MREMAP_MAYMOVE) || old_len != new_len))
		return -EINVAL;
#endif
	if (offset_in_page(addr))
		return -EINVAL;
	old_len = PAGE_ALIGN(old_len);
	new_len = PAGE_ALIGN(new_len);
	/* A zero old_len is allowed (duplicating a shared mapping); a zero new_len is nonsensical. */
	if (!new_len)
		return -EINVAL;

	mm_write_lock(mm);
	ret = __do_mremap(mm, addr, old_len, new_len, flags, new_addr);
	mm_write_unlock(mm);
	return ret;
}

long sys_mremap(unsigned long addr, unsigned long old_len, unsigned long new_len, unsigned long flags,
		unsigned long new_addr)
{
	return (long)do_mremap(current->mm, addr, old_len, new_len, flags, new_addr);
}
