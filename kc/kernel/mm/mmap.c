/* mm/mmap.c (part): the VMA bookkeeping of an address space.
 *
 * An mm's VMAs form one list sorted by address (mm->mmap, vma->vm_next), never overlapping, with
 * mm->map_count entries; a file-backed VMA is also on its file's i_mmap list. Callers hold the
 * mmap lock for writing to change the set (for reading to look it up); the i_mmap lock is taken
 * here around every change a file's i_mmap walkers could see (unmap_mapping_range never takes the
 * mmap lock: kernel-semantics.md section 2.5, "Lock order").
 *
 * Address-space layout: x86-64 placed mmaps bottom-up from TASK_UNMAPPED_BASE (0x2aaaaaaab000)
 * until the x86 unification in 2.6.25, top-down below mmap_base (128 MiB under the stack top, with
 * randomization off) afterwards. */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/fs.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/slab.h>

int sysctl_max_map_count = 65530;

#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 23)
/* The lowest address mmap may hand out (CONFIG_DEFAULT_MMAP_MIN_ADDR's default). */
unsigned long mmap_min_addr = 4096;
#else
unsigned long mmap_min_addr = 0;
#endif

/* PTE protection for each combination of VM_READ, VM_WRITE, VM_EXEC and VM_SHARED (x86): private
 * writable mappings start read-only, so that the first write faults and copies. */
static const pgprotval_t protection_map[16] = {
	[0x0] = _PAGE_PROTNONE | _PAGE_ACCESSED,
	[0x1] = _PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED | _PAGE_NX,
	[0x2] = _PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED | _PAGE_NX,
	[0x3] = _PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED | _PAGE_NX,
	[0x4] = _PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED,
	[0x5] = _PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED,
	[0x6] = _PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED,
	[0x7] = _PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED,
	[0x8] = _PAGE_PROTNONE | _PAGE_ACCESSED,
	[0x9] = _PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED | _PAGE_NX,
	[0xa] = _PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_ACCESSED | _PAGE_NX,
	[0xb] = _PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_ACCESSED | _PAGE_NX,
	[0xc] = _PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED,
	[0xd] = _PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED,
	[0xe] = _PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_ACCESSED,
	[0xf] = _PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_ACCESSED,
};

pgprot_t vm_get_page_prot(unsigned long vm_flags)
{
	return __pgprot(protection_map[vm_flags & (VM_READ | VM_WRITE | VM_EXEC | VM_SHARED)]);
}

/* The lookup cache is only a hint; any change to the VMA set drops it. */
static void vmacache_invalidate(struct mm_struct *mm)
{
	mm->mmap_cache = NULL;
}

/* ---- Lookup ---- */

struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long addr)
{
	struct vm_area_struct *vma = mm->mmap_cache;

	if (vma && vma->vm_end > addr && vma->vm_start <= addr)
		return vma;
	for (vma = mm->mmap; vma; vma = vma->vm_next) {
		if (vma->vm_end > addr) {
			mm->mmap_cache = vma;
			return vma;
		}
	}
	return NULL;
}

struct vm_area_struct *find_vma_prev(struct mm_struct *mm, unsigned long addr, struct vm_area_struct **pprev)
{
	struct vm_area_struct *prev = NULL;
	struct vm_area_struct *vma;

	for (vma = mm->mmap; vma; vma = vma->vm_next) {
		if (vma->vm_end > addr)
			break;
		prev = vma;
	}
	*pprev = prev;
	return vma;
}

/* The VMA after which [addr, end) would be linked, in *pprev; -ENOMEM if the range overlaps one. */
static int find_vma_links(struct mm_struct *mm, unsigned long addr, unsigned long end, struct vm_area_struct **pprev)
{
	struct vm_area_struct *next = find_vma_prev(mm, addr, pprev);

	if (next && next->vm_start < end)
		return -ENOMEM;
	return 0;
}

/* ---- Linking ---- */

static void __vma_link_list(struct mm_struct *mm, struct vm_area_struct *vma, struct vm_area_struct *prev)
{
	if (prev) {
		vma->vm_next = prev->vm_next;
		prev->vm_next = vma;
	} else {
		vma->vm_next = mm->mmap;
		mm->mmap = vma;
	}
}

/* Puts a file VMA on its file's i_mmap. The i_mmap lock is held. */
static void __vma_link_file(struct vm_area_struct *vma)
{
	struct file *file = vma->vm_file;

	if (file) {
		struct address_space *mapping = file->f_mapping;

		if (vma->vm_flags & VM_SHARED)
			mapping->i_mmap_writable++;
		list_add_tail(&vma->shared, &mapping->i_mmap);
	}
}

static void __remove_shared_vm_struct(struct vm_area_struct *vma, struct address_space *mapping)
{
	if (vma->vm_flags & VM_SHARED)
		mapping->i_mmap_writable--;
	list_del_init(&vma->shared);
}

static struct address_space *vma_mapping(struct vm_area_struct *vma)
{
	return vma->vm_file ? vma->vm_file->f_mapping : NULL;
}

static void vma_link(struct mm_struct *mm, struct vm_area_struct *vma, struct vm_area_struct *prev)
{
	struct address_space *mapping = vma_mapping(vma);

	if (mapping)
		i_mmap_lock_write(mapping);
	__vma_link_list(mm, vma, prev);
	__vma_link_file(vma);
	if (mapping)
		i_mmap_unlock_write(mapping);
	mm->map_count++;
	vmacache_invalidate(mm);
}

int insert_vm_struct(struct mm_struct *mm, struct vm_area_struct *vma)
{
	struct vm_area_struct *prev;

	if (vma->vm_start >= vma->vm_end || (vma->vm_start & ~PAGE_MASK) || (vma->vm_end & ~PAGE_MASK))
		return -EINVAL;
	if (find_vma_links(mm, vma->vm_start, vma->vm_end, &prev))
		return -ENOMEM;
	/*
	 * A purely anonymous VMA's vm_pgoff means nothing until it is merged or split; giving it the
	 * page number of vm_start keeps pgoff arithmetic consistent for vma_merge, as Linux does.
	 */
	if (!vma->vm_file) {
		BUG_ON(vma->anon_vma);
		vma->vm_pgoff = vma->vm_start >> PAGE_SHIFT;
	}
	vma->vm_mm = mm;
	vma_link(mm, vma, prev);
	return 0;
}

void remove_vma(struct vm_area_struct *vma)
{
	if (vma->vm_ops && vma->vm_ops->close)
		vma->vm_ops->close(vma);
	if (vma->vm_file)
		fput(vma->vm_file);
	vm_area_free(vma);
}

/* Takes `vma` (after `prev`) out of the mm and its file, and frees it without ->close: its range
 * now belongs to a neighbour it was merged into. The i_mmap lock is held if it has a file. */
static void __vma_remove_merged(struct mm_struct *mm, struct vm_area_struct *vma, struct vm_area_struct *prev)
{
	struct address_space *mapping = vma_mapping(vma);

	if (prev)
		prev->vm_next = vma->vm_next;
	else
		mm->mmap = vma->vm_next;
	if (mapping)
		__remove_shared_vm_struct(vma, mapping);
	mm->map_count--;
	if (vma->vm_file)
		fput(vma->vm_file);
	vm_area_free(vma);
}

/* ---- Splitting ---- */

int split_vma(struct mm_struct *mm, struct vm_area_struct *vma, unsigned long addr, int new_below)
{
	struct vm_area_struct *new;
	struct address_space *mapping;

	if (addr <= vma->vm_start || addr >= vma->vm_end || (addr & ~PAGE_MASK))
		return -EINVAL;
	if (mm->map_count >= sysctl_max_map_count)
		return -ENOMEM;
	new = vm_area_dup(vma);
	if (!new)
		return -ENOMEM;
	if (new_below) {
		new->vm_end = addr;
	} else {
		new->vm_start = addr;
		new->vm_pgoff += (addr - vma->vm_start) >> PAGE_SHIFT;
	}
	if (new->vm_file)
		get_file(new->vm_file);
	if (new->vm_ops && new->vm_ops->open)
		new->vm_ops->open(new);

	/* Shrinking the old VMA and linking the new one is one step for i_mmap's walkers. */
	mapping = vma_mapping(vma);
	if (mapping)
		i_mmap_lock_write(mapping);
	if (new_below) {
		vma->vm_pgoff += (addr - vma->vm_start) >> PAGE_SHIFT;
		vma->vm_start = addr;
		/* The new VMA goes before the old one: after the old one's predecessor. */
		{
			struct vm_area_struct *prev;

			find_vma_prev(mm, new->vm_start, &prev);
			__vma_link_list(mm, new, prev);
		}
	} else {
		vma->vm_end = addr;
		__vma_link_list(mm, new, vma);
	}
	__vma_link_file(new);
	if (mapping)
		i_mmap_unlock_write(mapping);
	mm->map_count++;
	vmacache_invalidate(mm);
	return 0;
}

/* ---- Merging ---- */

static int is_mergeable_vma(struct vm_area_struct *vma, struct file *file, unsigned long vm_flags)
{
	if (vma->vm_flags != vm_flags)
		return 0;
	if (vma->vm_file != file)
		return 0;
	/* A ->close per VMA counts VMAs: merging would lose a call. */
	if (vma->vm_ops && vma->vm_ops->close)
		return 0;
	return 1;
}

static int is_mergeable_anon_vma(struct anon_vma *anon_vma1, struct anon_vma *anon_vma2)
{
	return !anon_vma1 || !anon_vma2 || anon_vma1 == anon_vma2;
}

/* `vma` can grow up over [.., ..) whose first page is file page `vm_pgoff`. */
static int can_vma_merge_after(struct vm_area_struct *vma, unsigned long vm_flags, struct anon_vma *anon_vma,
			       struct file *file, pgoff_t vm_pgoff)
{
	return is_mergeable_vma(vma, file, vm_flags) && is_mergeable_anon_vma(anon_vma, vma->anon_vma) &&
	       vma->vm_pgoff + vma_pages(vma) == vm_pgoff;
}

/* `vma` can grow down over a range that ends where it starts, at file page `vm_pgoff`. */
static int can_vma_merge_before(struct vm_area_struct *vma, unsigned long vm_flags, struct anon_vma *anon_vma,
				struct file *file, pgoff_t vm_pgoff)
{
	return is_mergeable_vma(vma, file, vm_flags) && is_mergeable_anon_vma(anon_vma, vma->anon_vma) &&
	       vma->vm_pgoff == vm_pgoff;
}

/*
 * The range [addr, end) with these attributes is being mapped (or an existing VMA's part of it is
 * changing to them): if it can join the VMA before it (prev, ending at addr) and/or the VMA after
 * it (starting at end), extend them instead of creating a VMA, and return the VMA that now covers
 * the range; else NULL. Cases, with AAAA the range:
 *   1. PPPP AAAA NNNN -> PPPPPPPPPPPP      2. PPPP AAAA -> PPPPPPPP      3. AAAA NNNN -> NNNNNNNN
 *   4. PPPP[AAAA]NNNN (AAAA the tail of P) -> PPPPNNNNNNNN
 *   5. PPPP[AAAA]NNNN (AAAA the head of N) -> PPPPPPPPNNNN
 *   6-8. AAAA is a whole VMA between P and N: merged into P and N (6), into P (7), into N (8).
 * The caller holds the mmap lock for writing.
 */
struct vm_area_struct *vma_merge(struct mm_struct *mm, struct vm_area_struct *prev, unsigned long addr, unsigned long end,
				 unsigned long vm_flags, struct anon_vma *anon_vma, struct file *file, pgoff_t pgoff)
{
	pgoff_t pglen = (end - addr) >> PAGE_SHIFT;
	struct vm_area_struct *area, *next, *result = NULL;
	struct address_space *mapping = file ? file->f_mapping : NULL;
	int merge_prev, merge_next;

	if (vm_flags & VM_SPECIAL)
		return NULL;
	next = prev ? prev->vm_next : mm->mmap;
	area = next;
	/* The range is exactly the VMA `area` (cases 6-8): look past it for the one to merge with. */
	if (next && next->vm_start == addr && next->vm_end == end)
		next = next->vm_next;
	merge_prev = prev && prev->vm_end == addr && can_vma_merge_after(prev, vm_flags, anon_vma, file, pgoff);
	merge_next = next && end == next->vm_start && can_vma_merge_before(next, vm_flags, anon_vma, file, pgoff + pglen);
	if (merge_prev && merge_next && !is_mergeable_anon_vma(prev->anon_vma, next->anon_vma))
		merge_next = 0;
	if (!merge_prev && !merge_next)
		return NULL;

	if (mapping)
		i_mmap_lock_write(mapping);
	if (merge_prev) {
		result = prev;
		if (area && area->vm_start < end) {
			/* Cases 5-7: the range overlaps `area`, which starts at addr. */
			if (area->vm_end == end) {
				__vma_remove_merged(mm, area, prev);		/* 6, 7 */
			} else {
				area->vm_pgoff += pglen;			/* 5 */
				area->vm_start = end;
			}
		}
		if (merge_next) {
			prev->vm_end = next->vm_end;				/* 1, 6 */
			__vma_remove_merged(mm, next, prev);
		} else {
			prev->vm_end = end;					/* 2, 5, 7 */
		}
	} else {
		result = next;
		if (prev && addr < prev->vm_end) {
			prev->vm_end = addr;					/* 4 */
		} else if (area != next) {
			__vma_remove_merged(mm, area, prev);			/* 8 */
		}
		next->vm_start = addr;						/* 3, 4, 8 */
		next->vm_pgoff = pgoff;
	}
	if (!result->anon_vma)
		result->anon_vma = anon_vma;
	if (mapping)
		i_mmap_unlock_write(mapping);
	vmacache_invalidate(mm);
	return result;
}

/* ---- Finding room ---- */

void arch_pick_mmap_layout(struct mm_struct *mm)
{
	/* x86-64 with randomization off: the stack gap (8 MiB rlimit plus guard) is under the 128 MiB
	 * minimum, so the base is TASK_SIZE - 128 MiB = 0x7ffff7fff000. */
	unsigned long gap = 128UL << 20;

	mm->mmap_base = PAGE_ALIGN(TASK_SIZE - gap);
	mm->free_area_cache = TASK_UNMAPPED_BASE;
}

unsigned long arch_get_unmapped_area(struct mm_struct *mm, struct file *filp, unsigned long addr, unsigned long len,
				     unsigned long pgoff, unsigned long flags)
{
	struct vm_area_struct *vma;

	(void)filp;
	(void)pgoff;
	if (len > TASK_SIZE - mmap_min_addr)
		return -ENOMEM;
	if (flags & MAP_FIXED)
		return addr;
	if (addr) {
		addr = PAGE_ALIGN(addr);
		vma = find_vma(mm, addr);
		if (TASK_SIZE - len >= addr && addr >= mmap_min_addr && (!vma || addr + len <= vma->vm_start))
			return addr;
	}
	/* First fit upward from TASK_UNMAPPED_BASE. */
	addr = TASK_UNMAPPED_BASE;
	for (vma = find_vma(mm, addr);; vma = vma->vm_next) {
		if (TASK_SIZE - len < addr)
			return -ENOMEM;
		if (!vma || addr + len <= vma->vm_start)
			return addr;
		addr = vma->vm_end;
	}
}

unsigned long arch_get_unmapped_area_topdown(struct mm_struct *mm, struct file *filp, unsigned long addr0, unsigned long len,
					     unsigned long pgoff, unsigned long flags)
{
	struct vm_area_struct *vma;
	unsigned long addr = addr0;
	unsigned long gap_start = mmap_min_addr;
	unsigned long best = 0;
	int found = 0;

	if (len > TASK_SIZE - mmap_min_addr)
		return -ENOMEM;
	if (flags & MAP_FIXED)
		return addr;
	if (addr) {
		addr = PAGE_ALIGN(addr);
		vma = find_vma(mm, addr);
		if (TASK_SIZE - len >= addr && addr >= mmap_min_addr && (!vma || addr + len <= vma->vm_start))
			return addr;
	}
	/* The highest gap below mmap_base that holds len bytes; the end of that gap is used. Gaps come
	 * in address order, so the last fit is the highest. */
	for (vma = mm->mmap;; vma = vma->vm_next) {
		unsigned long gap_end = vma ? vma->vm_start : TASK_SIZE;
		unsigned long high = min(gap_end, mm->mmap_base);

		if (high > gap_start && high - gap_start >= len) {
			best = high - len;
			found = 1;
		}
		if (!vma)
			break;
		if (vma->vm_end > gap_start)
			gap_start = vma->vm_end;
	}
	if (found)
		return best;
	/* Nothing below mmap_base: fall back to the bottom-up search, as Linux does. */
	return arch_get_unmapped_area(mm, filp, addr0, len, pgoff, flags);
}

unsigned long mm_get_unmapped_area(struct mm_struct *mm, struct file *file, unsigned long addr, unsigned long len,
				   unsigned long pgoff, unsigned long flags)
{
	if (len > TASK_SIZE)
		return -ENOMEM;
	if (file && file->f_op && file->f_op->get_unmapped_area)
		addr = file->f_op->get_unmapped_area(file, addr, len, pgoff, flags);
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 25)
	else
		addr = arch_get_unmapped_area_topdown(mm, file, addr, len, pgoff, flags);
#else
	else
		addr = arch_get_unmapped_area(mm, file, addr, len, pgoff, flags);
#endif
	if (IS_ERR_VALUE(addr))
		return addr;
	if (addr > TASK_SIZE - len)
		return -ENOMEM;
	if (addr & ~PAGE_MASK)
		return -EINVAL;
	return addr;
}
