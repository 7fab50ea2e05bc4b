/* mm/mmap.c: the VMAs of an address space and the system calls that change them: mmap, munmap,
 * brk, and the teardown of a whole address space (exit_mmap, mmput).
 *
 * An mm's VMAs form one list sorted by address (mm->mmap, vma->vm_next), never overlapping, with
 * mm->map_count entries; a file-backed VMA is also on its file's i_mmap list. Callers hold the
 * mmap lock for writing to change the set (for reading to look it up); the i_mmap lock is taken
 * here around every change a file's i_mmap walkers could see (unmap_mapping_range never takes the
 * mmap lock: kernel-semantics.md section 2.5, "Lock order").
 *
 * Address-space layout: x86-64 placed mmaps bottom-up from TASK_UNMAPPED_BASE (0x2aaaaaaab000)
 * until the x86 unification in 2.6.25, top-down below mmap_base (128 MiB under the stack top, with
 * randomization off) afterwards.
 *
 * Faultline's interfaces take the mm explicitly where Linux uses current->mm (do_mmap, do_munmap,
 * do_sys_brk, do_brk_flags); the sys_* entry points pass current->mm. Not modelled: rlimits
 * (RLIMIT_AS/DATA/STACK/MEMLOCK: Faultline runs everything as root with no limits), overcommit
 * accounting (VM_ACCOUNT is set and cleared as Linux does, but nothing is charged), mlock beyond
 * VM_LOCKED's populate, security hooks, READ_IMPLIES_EXEC personalities, hugetlb. */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/fs.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/slab.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/shmem_fs.h>
#include <linux/mount.h>
#include <linux/rmap.h>
#include <asm/tlb.h>
#include <asm/tlbflush.h>

#include "internal.h"

/* free_pgtables' ceiling for "no VMA above": the top of the user address space. */
#ifndef USER_PGTABLES_CEILING
#define USER_PGTABLES_CEILING 0UL
#endif

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

/*
 * `dst` takes over part of `src`'s range: it joins src's anon_vma family if it has none, so that
 * anonymous pages moving into it stay reachable (Linux 6.8 dup_anon_vma; 2.6 set the pointer in
 * vma_adjust). Every VMA holds a reference to its anon_vma (<linux/rmap.h>).
 */
static void dup_anon_vma(struct vm_area_struct *dst, struct vm_area_struct *src)
{
	if (!src->anon_vma || dst->anon_vma)
		return;
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 34)
	anon_vma_clone(dst, src);
#else
	dst->anon_vma = src->anon_vma;
	anon_vma_link(dst);
#endif
}

/* Takes `vma` (after `prev`) out of the mm and its file, and frees it without ->close: its range
 * now belongs to `survivor`, a neighbour it was merged into, which inherits its anon_vma
 * membership if it had none. The i_mmap lock is held if it has a file. */
static void __vma_remove_merged(struct mm_struct *mm, struct vm_area_struct *vma, struct vm_area_struct *prev,
				struct vm_area_struct *survivor)
{
	struct address_space *mapping = vma_mapping(vma);

	if (prev)
		prev->vm_next = vma->vm_next;
	else
		mm->mmap = vma->vm_next;
	if (mapping)
		__remove_shared_vm_struct(vma, mapping);
	anon_vma_merge(survivor, vma);
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
	/* The new piece joins the anon_vma family (vm_area_dup copied the pointer, not a reference). */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 34)
	anon_vma_clone(new, vma);
#else
	anon_vma_link(new);
#endif
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
				__vma_remove_merged(mm, area, prev, prev);	/* 6, 7 */
			} else {
				dup_anon_vma(prev, area);			/* 5 */
				area->vm_pgoff += pglen;
				area->vm_start = end;
			}
		}
		if (merge_next) {
			prev->vm_end = next->vm_end;				/* 1, 6 */
			__vma_remove_merged(mm, next, prev, prev);
		} else {
			prev->vm_end = end;					/* 2, 5, 7 */
		}
	} else {
		result = next;
		if (prev && addr < prev->vm_end) {
			dup_anon_vma(next, prev);				/* 4 */
			prev->vm_end = addr;
		} else if (area != next) {
			__vma_remove_merged(mm, area, prev, next);		/* 8 */
		}
		next->vm_start = addr;						/* 3, 4, 8 */
		next->vm_pgoff = pgoff;
	}
	/* Cases 1-3 map a new range: its anonymous pages, if any (mremap), are copy_vma's to adopt. */
	if (mapping)
		i_mmap_unlock_write(mapping);
	vmacache_invalidate(mm);
	return result;
}

/* ---- Moving and resizing (mremap) ---- */

/*
 * Moves the end of `vma` to `end` (growing into a range the caller checked is free, or shrinking
 * a range already unmapped), as 2.6's vma_adjust(vma, vma->vm_start, end, vma->vm_pgoff, NULL)
 * did for mremap: under the i_mmap lock, so that i_mmap walkers see one bound or the other.
 */
void vma_adjust_end(struct vm_area_struct *vma, unsigned long end)
{
	struct address_space *mapping = vma_mapping(vma);

	if (mapping)
		i_mmap_lock_write(mapping);
	vma->vm_end = end;
	if (mapping)
		i_mmap_unlock_write(mapping);
	vmacache_invalidate(vma->vm_mm);
}

/*
 * The VMA an mremap move copies `*vmap`'s pages into: [addr, addr + len) with the same attributes
 * at file page `pgoff`. A neighbour is extended when it can be (and if the source itself merged
 * into the result, *vmap is pointed at it); otherwise a copy is linked, with its own file
 * reference and ->open. NULL when out of memory.
 */
struct vm_area_struct *copy_vma(struct vm_area_struct **vmap, unsigned long addr, unsigned long len, pgoff_t pgoff)
{
	struct vm_area_struct *vma = *vmap;
	unsigned long vma_start = vma->vm_start;
	struct mm_struct *mm = vma->vm_mm;
	struct vm_area_struct *new_vma, *prev;

	/* An anonymous VMA that was never faulted takes the page number of its new place, to merge
	 * more easily. */
	if (!vma->vm_file && !vma->anon_vma)
		pgoff = addr >> PAGE_SHIFT;

	find_vma_prev(mm, addr, &prev);
	new_vma = vma_merge(mm, prev, addr, addr + len, vma->vm_flags, vma->anon_vma, vma->vm_file, pgoff);
	if (new_vma) {
		/* The source VMA may have been merged into new_vma. */
		if (vma_start >= new_vma->vm_start && vma_start < new_vma->vm_end)
			*vmap = new_vma;
		/* The pages moving in point at the source's anon_vma. */
		dup_anon_vma(new_vma, vma);
		return new_vma;
	}
	new_vma = vm_area_dup(vma);
	if (!new_vma)
		return NULL;
	new_vma->vm_start = addr;
	new_vma->vm_end = addr + len;
	new_vma->vm_pgoff = pgoff;
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 34)
	anon_vma_clone(new_vma, vma);
#else
	anon_vma_link(new_vma);
#endif
	if (new_vma->vm_file)
		get_file(new_vma->vm_file);
	if (new_vma->vm_ops && new_vma->vm_ops->open)
		new_vma->vm_ops->open(new_vma);
	vma_link(mm, new_vma, prev);
	return new_vma;
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

/* ---- Accounting ---- */

/*
 * Counts `npages` (negative: uncounts) of a VMA with `flags` in the mm's statistics (shown by
 * /proc/PID/status): total_vm always; then exec_vm for executable non-writable VMAs, stack_vm for
 * stacks, and (2.6) shared_vm for file mappings. The signature is 2.6's (4.5+ dropped `file`).
 * 2.6 callers added to total_vm themselves and 4.5+ does it here (with data_vm, which Faultline's
 * mm_struct lacks); Faultline does it here in every era.
 */
void vm_stat_account(struct mm_struct *mm, unsigned long flags, struct file *file, long npages)
{
	mm->total_vm += npages;
#if LINUX_VERSION_CODE >= KERNEL_VERSION(4, 5, 0)
	(void)file;
	if ((flags & (VM_EXEC | VM_WRITE | VM_GROWSDOWN)) == VM_EXEC)
		mm->exec_vm += npages;
	else if (flags & VM_GROWSDOWN)
		mm->stack_vm += npages;
#else
	if (file) {
		mm->shared_vm += npages;
		if ((flags & (VM_EXEC | VM_WRITE)) == VM_EXEC)
			mm->exec_vm += npages;
	} else if (flags & (VM_GROWSUP | VM_GROWSDOWN)) {
		mm->stack_vm += npages;
	}
#endif
}

static void update_hiwater_vm(struct mm_struct *mm)
{
	if (mm->hiwater_vm < mm->total_vm)
		mm->hiwater_vm = mm->total_vm;
}

/*
 * A shared writable mapping whose owner wants to hear of the first write to each page
 * (->page_mkwrite, 4.17+ also ->pfn_mkwrite) starts with read-only PTEs, like a private one; the
 * write fault then calls the owner. (Linux also asks this of file systems that account dirty
 * pages; Faultline's tmpfs and devices do not.)
 */
int vma_wants_writenotify(struct vm_area_struct *vma)
{
	const struct vm_operations_struct *vm_ops = vma->vm_ops;

	/* If it was private or non-writable, the write bit is already clear. */
	if ((vma->vm_flags & (VM_WRITE | VM_SHARED)) != (VM_WRITE | VM_SHARED))
		return 0;
	/* The backer wishes to know when pages are first written to? */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(4, 17, 0)
	return vm_ops && (vm_ops->page_mkwrite || vm_ops->pfn_mkwrite);
#else
	return vm_ops && vm_ops->page_mkwrite;
#endif
}

/*
 * vm_page_prot from vm_flags (read-only when the VMA wants write notification), keeping the cache
 * attributes a driver chose (x86 pgprot_modify, 2.6.26+; earlier kernels replaced them: an
 * mprotect of an uncached mapping made it cached again). mprotect's rule in every era, and
 * mmap's from 4.0 (vma_set_page_prot); mmap before 4.0 only downgraded for write notification.
 */
void vma_set_page_prot(struct vm_area_struct *vma)
{
	unsigned long vm_flags = vma->vm_flags;

	vma->vm_page_prot = mm_pgprot_modify(vma->vm_page_prot, vm_get_page_prot(vm_flags));
	if (vma_wants_writenotify(vma)) {
		vm_flags &= ~VM_SHARED;
#if LINUX_VERSION_CODE >= KERNEL_VERSION(4, 0, 0)
		vma->vm_page_prot = mm_pgprot_modify(vma->vm_page_prot, vm_get_page_prot(vm_flags));
#else
		vma->vm_page_prot = vm_get_page_prot(vm_flags);
#endif
	}
}

/* ---- Populating ---- */

/*
 * Faults in every page of [start, start + len) that lies in a VMA, through get_user_pages, as
 * MAP_POPULATE and VM_LOCKED ask; errors are ignored (the pages are a hint, not a promise).
 * 2.6.23-3.8 (make_pages_present): a write fault when the VMA is writable (so a shared writable
 * mapping's pages are dirtied now). 3.9+ (__mm_populate / populate_vma_page_range): a write fault
 * only for private writable VMAs (to break COW now), a read otherwise; VM_IO|VM_PFNMAP and
 * PROT_NONE VMAs are skipped. The caller holds the mmap lock (for writing until 3.8; 3.9+ drops
 * it to a read lock first).
 */
void mm_populate_range(struct mm_struct *mm, unsigned long start, unsigned long len)
{
	unsigned long end = start + len;
	unsigned long nstart, nend;
	struct vm_area_struct *vma;

	for (nstart = start; nstart < end; nstart = nend) {
		vma = find_vma(mm, nstart);
		if (!vma || vma->vm_start >= end)
			break;
		if (nstart < vma->vm_start)
			nstart = vma->vm_start;
		nend = min(end, vma->vm_end);
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 5, 0)
		{
			unsigned int gup_flags = 0;
			int locked = 1;

			if (vma->vm_flags & (VM_IO | VM_PFNMAP))
				continue;
			if (!(vma->vm_flags & (VM_READ | VM_WRITE | VM_EXEC)))
				continue;
			if ((vma->vm_flags & (VM_WRITE | VM_SHARED)) == VM_WRITE)
				gup_flags |= FOLL_WRITE;
			/* mlock and populate succeed for any accessible VMA, readable or not. */
			gup_flags |= FOLL_FORCE;
			get_user_pages_remote(mm, nstart, (nend - nstart) >> PAGE_SHIFT, gup_flags, NULL, &locked);
		}
#else
		get_user_pages(current, mm, nstart, (nend - nstart) >> PAGE_SHIFT, (vma->vm_flags & VM_WRITE) != 0, 0, NULL, NULL);
#endif
	}
}

#if LINUX_VERSION_CODE < KERNEL_VERSION(2, 6, 23)
/*
 * MAP_POPULATE before 2.6.23: do_mmap_pgoff dropped mmap_sem and called sys_remap_file_pages on
 * the new range, which prefaults through vm_ops->populate and only for shared file mappings whose
 * file has one (filemap_populate, shmem_populate). A private or anonymous MAP_POPULATE mapping was
 * left to demand faults. Called with the mmap lock held for writing; returns with it held.
 */
static void legacy_populate(struct mm_struct *mm, unsigned long addr, unsigned long len, unsigned long pgoff, int nonblock)
{
	struct vm_area_struct *vma;

	mm_write_unlock(mm);
	mm_read_lock(mm);
	vma = find_vma(mm, addr);
	if (vma && vma->vm_start <= addr && addr + len <= vma->vm_end && (vma->vm_flags & VM_SHARED) &&
	    vma->vm_ops && vma->vm_ops->populate && !(vma->vm_flags & VM_NONLINEAR))
		vma->vm_ops->populate(vma, addr, len, vma->vm_page_prot, pgoff, nonblock);
	mm_read_unlock(mm);
	mm_write_lock(mm);
}
#endif

/* ---- Unmapping ---- */

/* Takes a file VMA off its file's i_mmap (Linux does this in free_pgtables, before the tables go). */
static void unlink_file_vma(struct vm_area_struct *vma)
{
	struct address_space *mapping = vma_mapping(vma);

	if (mapping) {
		i_mmap_lock_write(mapping);
		__remove_shared_vm_struct(vma, mapping);
		i_mmap_unlock_write(mapping);
	}
}

/*
 * Clears the PTEs of [start, end) in the detached VMAs from `vma` on (a list ending in NULL) and
 * frees the page tables only they used: the TLB of every CPU using the mm is flushed before any
 * page or table is freed (mm/mmu_gather.c). `prev` is the VMA below the hole (NULL: none), whose
 * tables, like those of the VMA above it, must survive.
 */
static void unmap_region(struct mm_struct *mm, struct vm_area_struct *vma, struct vm_area_struct *prev,
			 unsigned long start, unsigned long end)
{
	struct vm_area_struct *next = prev ? prev->vm_next : mm->mmap;
	struct vm_area_struct *v;
	struct mmu_gather tlb;

	tlb_gather_mmu(&tlb, mm);
	unmap_vmas(&tlb, vma, start, end);
	/* Hide the VMAs from truncation (i_mmap walkers) before their tables go. */
	for (v = vma; v; v = v->vm_next)
		unlink_file_vma(v);
	free_pgtables(&tlb, vma, prev ? prev->vm_end : FIRST_USER_ADDRESS, next ? next->vm_start : USER_PGTABLES_CEILING);
	tlb_finish_mmu(&tlb);
}

/* Unlinks the VMAs from `vma` up to the first that starts at or after `end` from the mm's list,
 * leaving them as a list of their own ending in NULL. */
static void detach_vmas_to_be_unmapped(struct mm_struct *mm, struct vm_area_struct *vma, struct vm_area_struct *prev,
				       unsigned long end)
{
	struct vm_area_struct **insertion_point = prev ? &prev->vm_next : &mm->mmap;
	struct vm_area_struct *tail_vma = NULL;

	do {
		mm->map_count--;
		tail_vma = vma;
		vma = vma->vm_next;
	} while (vma && vma->vm_start < end);
	*insertion_point = vma;
	tail_vma->vm_next = NULL;
	vmacache_invalidate(mm);
}

/* Frees a detached list of VMAs (->close, file reference), uncounting them. */
static void remove_vma_list(struct mm_struct *mm, struct vm_area_struct *vma)
{
	/* The high-water mark before total_vm drops. */
	update_hiwater_vm(mm);
	do {
		struct vm_area_struct *next = vma->vm_next;
		long nrpages = vma_pages(vma);

		if (vma->vm_flags & VM_LOCKED)
			mm->locked_vm -= nrpages;
		vm_stat_account(mm, vma->vm_flags, vma->vm_file, -nrpages);
		remove_vma(vma);
		vma = next;
	} while (vma);
}

/*
 * Unmaps [start, start + len): VMAs that straddle either end are split first (so the part outside
 * stays), the VMAs inside are detached, their PTEs zapped (pages freed once unreferenced), the page
 * tables only they used freed, and the VMAs closed. An unmapped hole in the range is not an error.
 * 0, or -EINVAL (unaligned start, zero or overflowing length), -ENOMEM (a split would exceed
 * sysctl_max_map_count). The caller holds the mmap lock for writing.
 */
int do_munmap(struct mm_struct *mm, unsigned long start, size_t len)
{
	unsigned long end;
	struct vm_area_struct *vma, *prev, *last;

	if ((start & ~PAGE_MASK) || start > TASK_SIZE || len > TASK_SIZE - start)
		return -EINVAL;
	len = PAGE_ALIGN(len);
	if (len == 0)
		return -EINVAL;

	/* The first VMA that ends above start: start < vma->vm_end. */
	vma = find_vma_prev(mm, start, &prev);
	if (!vma)
		return 0;
	end = start + len;
	if (vma->vm_start >= end)
		return 0;

	/*
	 * Split the VMAs at the ends now, so that what follows only removes whole VMAs. The lower split
	 * keeps the original VMA below and the new one above; the upper keeps the original above.
	 */
	if (start > vma->vm_start) {
		int error = split_vma(mm, vma, start, 0);

		if (error)
			return error;
		prev = vma;
	}
	last = find_vma(mm, end);
	if (last && end > last->vm_start) {
		int error = split_vma(mm, last, end, 1);

		if (error)
			return error;
	}
	vma = prev ? prev->vm_next : mm->mmap;

	detach_vmas_to_be_unmapped(mm, vma, prev, end);
	unmap_region(mm, vma, prev, start, end);
	remove_vma_list(mm, vma);
	return 0;
}

/* do_munmap on current->mm with its mmap lock held for writing. */
int vm_munmap(unsigned long start, size_t len)
{
	struct mm_struct *mm = current->mm;
	int ret;

	mm_write_lock(mm);
	ret = do_munmap(mm, start, len);
	mm_write_unlock(mm);
	return ret;
}

long sys_munmap(unsigned long addr, size_t len)
{
	return vm_munmap(addr, len);
}

/* ---- Mapping ---- */

/* mmap's hint, if below mmap_min_addr, is raised to it (a hint there would only fail). */
static unsigned long round_hint_to_min(unsigned long hint)
{
	hint &= PAGE_MASK;
	if (hint && hint < mmap_min_addr)
		return PAGE_ALIGN(mmap_min_addr);
	return hint;
}

/*
 * Creates the VMA for [addr, addr + len) (checked by do_mmap), replacing whatever was mapped there,
 * or extends a neighbour when the new range continues it (vma_merge). File mappings get a file
 * reference in vm_file and the file's ->mmap; shared anonymous ones a tmpfs file
 * (shmem_zero_setup). Returns addr or -errno.
 */
static unsigned long mmap_region(struct mm_struct *mm, struct file *file, unsigned long addr, unsigned long len,
				 unsigned long vm_flags, unsigned long pgoff, unsigned long map_flags)
{
	struct vm_area_struct *vma, *prev;
	int error;

	/* Unmap whatever is in the way (MAP_FIXED, or a hint get_unmapped_area accepted). */
	if (find_vma_intersection(mm, addr, addr + len)) {
		if (do_munmap(mm, addr, len))
			return -ENOMEM;
	}

	/*
	 * Accounting: a private writable mapping reserves its size (VM_ACCOUNT) unless MAP_NORESERVE
	 * (2.6.28+: VM_NORESERVE). 2.6 also marked shared mappings, for shmem_zero_setup's benefit,
	 * and cleared the mark once the mapping existed.
	 */
#ifdef VM_NORESERVE
	(void)map_flags;
	if ((vm_flags & (VM_NORESERVE | VM_SHARED | VM_WRITE)) == VM_WRITE)
		vm_flags |= VM_ACCOUNT;
#else
	if (!(map_flags & MAP_NORESERVE)) {
		if (vm_flags & VM_SHARED)
			vm_flags |= VM_ACCOUNT;
		else if (vm_flags & VM_WRITE)
			vm_flags |= VM_ACCOUNT;
	}
#endif

	find_vma_prev(mm, addr, &prev);

	/*
	 * Can a neighbour just be extended? 2.6 tried this before creating a VMA only for private
	 * anonymous mappings (a file's ->mmap must see the VMA); 6.x tries it for any mapping that is
	 * not VM_SPECIAL, before ->mmap, so a file mapping that continues one of the same file is a
	 * plain extension that ->mmap never sees. A shared anonymous mapping gets its own tmpfs file
	 * below and so never merges here.
	 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 1, 0)
	if (!(!file && (vm_flags & VM_SHARED)) && vma_merge(mm, prev, addr, addr + len, vm_flags, NULL, file, pgoff))
		goto out;
#else
	if (!file && !(vm_flags & VM_SHARED) && vma_merge(mm, prev, addr, addr + len, vm_flags, NULL, NULL, pgoff))
		goto out;
#endif

	vma = vm_area_alloc(mm);
	if (!vma)
		return -ENOMEM;
	vma->vm_start = addr;
	vma->vm_end = addr + len;
	vma->vm_flags = vm_flags;
	vma->vm_page_prot = vm_get_page_prot(vm_flags);
	vma->vm_pgoff = pgoff;

	if (file) {
		error = -EINVAL;
		if (vm_flags & (VM_GROWSDOWN | VM_GROWSUP))
			goto free_vma;
		vma->vm_file = get_file(file);
		error = file->f_op->mmap(file, vma);
		if (error)
			goto unmap_and_free_vma;
		/* A driver may have changed the flags (VM_IO, VM_PFNMAP...) or even the range. */
		addr = vma->vm_start;
		pgoff = vma->vm_pgoff;
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 1, 0)
		/* ->mmap changed the flags: the merge that failed above may work now. */
		if (vma->vm_flags != vm_flags && prev &&
		    vma_merge(mm, prev, addr, vma->vm_end, vma->vm_flags, NULL, file, pgoff)) {
			vm_flags = vma->vm_flags;
			fput(vma->vm_file);
			vm_area_free(vma);
			goto out;
		}
#endif
		vm_flags = vma->vm_flags;
	} else if (vm_flags & VM_SHARED) {
		error = shmem_zero_setup(vma);
		if (error)
			goto free_vma;
	}

#ifndef VM_NORESERVE
	/* The reservation of a shared mapping belongs to its shmem object, not to the VMA. */
	if ((vm_flags & (VM_SHARED | VM_ACCOUNT)) == (VM_SHARED | VM_ACCOUNT))
		vma->vm_flags &= ~VM_ACCOUNT;
#endif
#if LINUX_VERSION_CODE >= KERNEL_VERSION(4, 0, 0)
	vma_set_page_prot(vma);
#else
	/* Don't make the VMA automatically writable if it's shared, but the backer wishes to know
	 * when pages are first written to; otherwise keep what ->mmap chose. */
	if (vma_wants_writenotify(vma))
		vma->vm_page_prot = vm_get_page_prot(vma->vm_flags & ~VM_SHARED);
#endif

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 1, 0)
	/* 2.6: a file mapping that continues a VMA of the same file joins it after ->mmap. */
	if (file && vma_merge(mm, prev, addr, vma->vm_end, vma->vm_flags, NULL, file, pgoff)) {
		fput(file);
		vm_area_free(vma);
		goto out;
	}
#endif
	vma_link(mm, vma, prev);
	file = vma->vm_file;

out:
	vm_stat_account(mm, vm_flags, file, len >> PAGE_SHIFT);
	if (vm_flags & VM_LOCKED)
		mm->locked_vm += len >> PAGE_SHIFT;
	return addr;

unmap_and_free_vma:
	vma->vm_file = NULL;
	fput(file);
	/* Undo any partial mapping done by a device driver. */
	unmap_region(mm, vma, prev, vma->vm_start, vma->vm_end);
free_vma:
	vm_area_free(vma);
	return error;
}

static int file_noexec(struct file *file)
{
	return file->f_path.mnt && (file->f_path.mnt->mnt_flags & MNT_NOEXEC);
}

/*
 * mmap: maps `len` bytes of `file` from page `pgoff` (or anonymous memory, file NULL) with `prot`
 * (PROT_*) and `flags` (MAP_*) in `mm`, at `addr` exactly (MAP_FIXED: whatever is there is
 * unmapped first), or at a free range near the hint `addr`. Returns the address, or -errno:
 * EINVAL (len 0, neither MAP_SHARED nor MAP_PRIVATE, unaligned MAP_FIXED address, a file mapping
 * with MAP_GROWSDOWN), ENOMEM (no room, too many VMAs, len rounding to 0), EOVERFLOW (pgoff + len
 * wraps), EACCES (the file's open mode forbids the access: not readable, or MAP_SHARED with
 * PROT_WRITE and not open for writing), EPERM (PROT_EXEC on a noexec mount), ENODEV (no ->mmap),
 * EEXIST (6.8: MAP_FIXED_NOREPLACE over a mapping), or the file's ->mmap error.
 *
 * Linux 6.8's do_mmap(file, addr, len, prot, flags, vm_flags, pgoff, &populate, uf) with the mm
 * explicit (Linux uses current->mm), vm_flags 0 and no userfaultfd. MAP_POPULATE and VM_LOCKED by
 * era: before 2.6.23 the pages of a shared file mapping are populated through vm_ops->populate
 * here, with mmap_sem dropped meanwhile (anonymous and private ones are not populated at all);
 * 2.6.23-3.8 every page is faulted in here, under the lock; from 3.9 that is the caller's job once
 * the lock is dropped (vm_mmap_pgoff does it: Linux's *populate result). The caller holds the mmap
 * lock for writing.
 */
unsigned long do_mmap(struct mm_struct *mm, struct file *file, unsigned long addr, unsigned long len,
		      unsigned long prot, unsigned long flags, unsigned long pgoff)
{
	unsigned long vm_flags;

#if LINUX_VERSION_CODE < KERNEL_VERSION(2, 6, 23)
	if (file) {
		if (!file->f_op || !file->f_op->mmap)
			return -ENODEV;
		if ((prot & PROT_EXEC) && file_noexec(file))
			return -EPERM;
	}
#endif
	if (!len)
		return -EINVAL;
#ifdef MAP_FIXED_NOREPLACE
	/* Placed like MAP_FIXED, but refuses to replace (checked once the address is known). */
	if (flags & MAP_FIXED_NOREPLACE)
		flags |= MAP_FIXED;
#endif
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 24)
	if (!(flags & MAP_FIXED))
		addr = round_hint_to_min(addr);
#endif

	/* Careful about overflows. */
	len = PAGE_ALIGN(len);
	if (!len || len > TASK_SIZE)
		return -ENOMEM;
	/* The file offset must not wrap. */
	if ((pgoff + (len >> PAGE_SHIFT)) < pgoff)
		return -EOVERFLOW;
	if (mm->map_count > sysctl_max_map_count)
		return -ENOMEM;

	/* The address: MAP_FIXED's (checked), the hint if free, or a free range. */
	addr = mm_get_unmapped_area(mm, file, addr, len, pgoff, flags);
	if (IS_ERR_VALUE(addr))
		return addr;
#ifdef MAP_FIXED_NOREPLACE
	if ((flags & MAP_FIXED_NOREPLACE) && find_vma_intersection(mm, addr, addr + len))
		return -EEXIST;
#endif

	/* Everything may be granted later by mprotect (VM_MAY*) unless the file's mode says no. */
	vm_flags = calc_vm_prot_bits(prot) | calc_vm_flag_bits(flags) | mm->def_flags |
		   VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC;

	if (file) {
		switch (flags & MAP_TYPE) {
		case MAP_SHARED:
#ifdef MAP_SHARED_VALIDATE
			/* Flags beyond the legacy set are ignored with MAP_SHARED, refused with
			 * MAP_SHARED_VALIDATE (no file here supports MAP_SYNC). */
			flags &= LEGACY_MAP_MASK;
			/* fall through */
		case MAP_SHARED_VALIDATE:
			if (flags & ~LEGACY_MAP_MASK)
				return -EOPNOTSUPP;
#endif
			if ((prot & PROT_WRITE) && !(file->f_mode & FMODE_WRITE))
				return -EACCES;
			vm_flags |= VM_SHARED | VM_MAYSHARE;
			/* Read-only open: shared, but never writable, and mprotect cannot change that. */
			if (!(file->f_mode & FMODE_WRITE))
				vm_flags &= ~(VM_MAYWRITE | VM_SHARED);
			/* fall through */
		case MAP_PRIVATE:
			if (!(file->f_mode & FMODE_READ))
				return -EACCES;
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 23)
			if (file_noexec(file)) {
				if (vm_flags & VM_EXEC)
					return -EPERM;
				vm_flags &= ~VM_MAYEXEC;
			}
			if (!file->f_op || !file->f_op->mmap)
				return -ENODEV;
			if (vm_flags & (VM_GROWSDOWN | VM_GROWSUP))
				return -EINVAL;
#endif
			break;
		default:
			return -EINVAL;
		}
	} else {
		switch (flags & MAP_TYPE) {
		case MAP_SHARED:
#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 0, 0)
			/* A shared stack makes no sense (6.8; the release that added this is approx.). */
			if (vm_flags & (VM_GROWSDOWN | VM_GROWSUP))
				return -EINVAL;
#endif
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 27)
			/* The offset means nothing: the tmpfs object starts at 0. */
			pgoff = 0;
#endif
			vm_flags |= VM_SHARED | VM_MAYSHARE;
			break;
		case MAP_PRIVATE:
			/* An anonymous VMA's pgoff is its start page, so that merges and splits keep it
			 * consistent (see insert_vm_struct). */
			pgoff = addr >> PAGE_SHIFT;
			break;
		default:
			return -EINVAL;
		}
	}

#ifdef VM_NORESERVE
	/* MAP_NORESERVE: no reservation (heuristic overcommit, the default, honours it). */
	if (flags & MAP_NORESERVE)
		vm_flags |= VM_NORESERVE;
#endif

	addr = mmap_region(mm, file, addr, len, vm_flags, pgoff, flags);
	if (IS_ERR_VALUE(addr))
		return addr;
#if LINUX_VERSION_CODE < KERNEL_VERSION(2, 6, 23)
	if (vm_flags & VM_LOCKED)
		mm_populate_range(mm, addr, len);
	if (flags & MAP_POPULATE)
		legacy_populate(mm, addr, len, pgoff, (flags & MAP_NONBLOCK) != 0);
#elif LINUX_VERSION_CODE < KERNEL_VERSION(3, 9, 0)
	if ((vm_flags & VM_LOCKED) || ((flags & MAP_POPULATE) && !(flags & MAP_NONBLOCK)))
		mm_populate_range(mm, addr, len);
#endif
	return addr;
}

/* ---- brk ---- */

#if LINUX_VERSION_CODE >= KERNEL_VERSION(4, 12, 0)
/* The gap kept between a growing stack and the mapping below it (stack_guard_gap, 256 pages). */
unsigned long stack_guard_gap = 256UL << PAGE_SHIFT;

/* Where a VMA starts for whoever wants to map below it: a stack claims its guard gap too. */
static unsigned long vm_start_gap(struct vm_area_struct *vma)
{
	unsigned long vm_start = vma->vm_start;

	if (vma->vm_flags & VM_GROWSDOWN) {
		vm_start -= stack_guard_gap;
		if (vm_start > vma->vm_start)
			vm_start = 0;
	}
	return vm_start;
}
#endif

/* x86-64's data flags (VM_DATA_DEFAULT_FLAGS without READ_IMPLIES_EXEC): the heap is not executable. */
#define VM_DATA_FLAGS_NON_EXEC (VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC)

/*
 * Maps [addr, addr + len) as anonymous heap memory, as brk grows (Linux: do_brk until 4.x,
 * do_brk_flags after; the ELF loader calls it too). 2.6 unmaps whatever is in the way and merges
 * with either neighbour; 6.x extends the heap VMA below `addr` when it can (one that starts at or
 * above mm->start_brk: the first brk gets a VMA of its own even if the data segment ends at
 * start_brk) and otherwise adds a VMA, never merging upwards. `flags` adds VM_* flags (VM_EXEC).
 * Returns addr or -errno. The caller holds the mmap lock for writing.
 */
unsigned long do_brk_flags(struct mm_struct *mm, unsigned long addr, unsigned long len, unsigned long flags)
{
	struct vm_area_struct *vma, *prev;
	pgoff_t pgoff = addr >> PAGE_SHIFT;

	len = PAGE_ALIGN(len);
	if (!len)
		return addr;
	if ((addr + len) > TASK_SIZE || (addr + len) < addr)
		return -EINVAL;
	flags |= VM_DATA_FLAGS_NON_EXEC | VM_ACCOUNT | mm->def_flags;

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 1, 0)
	/* Clear old maps; this also does some error checking for us. */
	if (find_vma_intersection(mm, addr, addr + len) && do_munmap(mm, addr, len))
		return -ENOMEM;
	if (mm->map_count > sysctl_max_map_count)
		return -ENOMEM;
	find_vma_prev(mm, addr, &prev);
	/* Can we just expand an old private anonymous mapping? */
	if (vma_merge(mm, prev, addr, addr + len, flags, NULL, NULL, pgoff))
		goto out;
#else
	if (find_vma_intersection(mm, addr, addr + len))
		return -ENOMEM;
	if (mm->map_count > sysctl_max_map_count)
		return -ENOMEM;
	find_vma_prev(mm, addr, &prev);
	/* Expand the existing heap VMA if possible. */
	if (prev && prev->vm_end == addr && prev->vm_start >= mm->start_brk &&
	    can_vma_merge_after(prev, flags, NULL, NULL, pgoff)) {
		prev->vm_end = addr + len;
		vmacache_invalidate(mm);
		goto out;
	}
#endif
	vma = vm_area_alloc(mm);
	if (!vma)
		return -ENOMEM;
	vma->vm_start = addr;
	vma->vm_end = addr + len;
	vma->vm_pgoff = pgoff;
	vma->vm_flags = flags;
	vma->vm_page_prot = vm_get_page_prot(flags);
	vma_link(mm, vma, prev);
out:
	vm_stat_account(mm, flags, NULL, len >> PAGE_SHIFT);
	if (flags & VM_LOCKED) {
		mm->locked_vm += len >> PAGE_SHIFT;
		mm_populate_range(mm, addr, len);
	}
	return addr;
}

/*
 * brk: moves the end of the heap (mm->brk) to `brk`. Growing maps the pages between the old and
 * the new end (page-rounded) with do_brk_flags; shrinking unmaps them; a change inside the last
 * page only moves mm->brk. Refused (the break is left alone) below the lower limit (the end of the
 * text segment in 2.6, of the data segment in 6.x with heap randomization off), when the heap
 * would come within a page of the next mapping, or when mapping fails. Returns the new break, or
 * the old one when refused: brk reports failure only by not moving. Linux's sys_brk with the mm
 * explicit.
 */
unsigned long do_sys_brk(struct mm_struct *mm, unsigned long brk)
{
	unsigned long newbrk, oldbrk, min_brk;
#if LINUX_VERSION_CODE >= KERNEL_VERSION(4, 12, 0)
	struct vm_area_struct *next;
#endif

	mm_write_lock(mm);
#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 0, 0)
	/* CONFIG_COMPAT_BRK without randomization (the release of the change from end_code is approx.). */
	min_brk = mm->end_data;
#else
	/* CONFIG_COMPAT_BRK (2.6.25+) and before it: anywhere above the text. */
	min_brk = mm->end_code;
#endif
	if (brk < min_brk)
		goto out;

	newbrk = PAGE_ALIGN(brk);
	oldbrk = PAGE_ALIGN(mm->brk);
	if (oldbrk == newbrk)
		goto set_brk;

	/* Always allow shrinking brk. */
	if (brk <= mm->brk) {
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 1, 0)
		/* 6.x unmaps the heap VMA's tail: no heap VMA over [newbrk, oldbrk), no shrinking. */
		struct vm_area_struct *brkvma = find_vma_intersection(mm, newbrk, oldbrk);

		if (!brkvma || brkvma->vm_start >= oldbrk)
			goto out;
#endif
		if (!do_munmap(mm, newbrk, oldbrk - newbrk))
			goto set_brk;
		goto out;
	}

	/* Check against existing mmap mappings: keep a page free above the heap (4.12+: and the
	 * stack guard gap below a stack). */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(4, 12, 0)
	next = find_vma(mm, oldbrk);
	if (next && newbrk + PAGE_SIZE > vm_start_gap(next))
		goto out;
#else
	if (find_vma_intersection(mm, oldbrk, newbrk + PAGE_SIZE))
		goto out;
#endif

	/* Ok, looks good - let it rip. */
	if (do_brk_flags(mm, oldbrk, newbrk - oldbrk, 0) != oldbrk)
		goto out;
set_brk:
	mm->brk = brk;
out:
	brk = mm->brk;
	mm_write_unlock(mm);
	return brk;
}

long sys_brk(unsigned long brk)
{
	return do_sys_brk(current->mm, brk);
}

/* ---- Stack growth ---- */

/* The 8 MiB default RLIMIT_STACK (_STK_LIM): Faultline has no rlimits. */
#define STACK_LIMIT_BYTES (8UL << 20)

/*
 * Grows the VM_GROWSDOWN VMA `vma` down to include `address` (the fault path calls this for an
 * access just below a stack). 0, -EFAULT (not a stack), -EPERM (below mmap_min_addr), -ENOMEM
 * (past the 8 MiB stack limit, or, 4.12+, within stack_guard_gap of the accessible VMA below).
 * The caller holds the mmap lock (for reading suffices in Linux; Faultline's page_table_lock
 * serializes concurrent growths as 6.x does).
 */
int expand_downwards(struct vm_area_struct *vma, unsigned long address)
{
	struct mm_struct *mm = vma->vm_mm;
	struct vm_area_struct *prev;
	int error = 0;

	if (!(vma->vm_flags & VM_GROWSDOWN))
		return -EFAULT;
	address &= PAGE_MASK;
	if (address < mmap_min_addr || address < FIRST_USER_ADDRESS)
		return -EPERM;
	find_vma_prev(mm, vma->vm_start, &prev);
	/* The stack's new pages are anonymous: it needs its anon_vma first. */
	if (unlikely(anon_vma_prepare(vma)))
		return -ENOMEM;
#if LINUX_VERSION_CODE >= KERNEL_VERSION(4, 12, 0)
	if (prev && !(prev->vm_flags & VM_GROWSDOWN) && (prev->vm_flags & (VM_READ | VM_WRITE | VM_EXEC)) &&
	    address - prev->vm_end < stack_guard_gap)
		return -ENOMEM;
#endif
	if (prev && address < prev->vm_end)
		return -ENOMEM;

	spin_lock(&mm->page_table_lock);
	/* Somebody else might have raced and expanded it already. */
	if (address < vma->vm_start) {
		unsigned long size = vma->vm_end - address;
		unsigned long grow = (vma->vm_start - address) >> PAGE_SHIFT;

		error = -ENOMEM;
		if (grow <= vma->vm_pgoff && size <= STACK_LIMIT_BYTES) {
			error = 0;
			if (vma->vm_flags & VM_LOCKED)
				mm->locked_vm += grow;
			vm_stat_account(mm, vma->vm_flags, vma->vm_file, grow);
			vma->vm_start = address;
			vma->vm_pgoff -= grow;
			vmacache_invalidate(mm);
		}
	}
	spin_unlock(&mm->page_table_lock);
	return error;
}

/* ---- Tearing down an address space ---- */

/*
 * Unmaps everything: every PTE zapped with a full-mm gather (one TLB flush of the whole mm), every
 * page table freed, every VMA closed and freed. Called by the last mmput, when no thread uses the
 * mm any more. 6.x holds the mmap lock (for reading while zapping, for writing while freeing),
 * as the OOM reaper may look at the mm meanwhile; 2.6 took none.
 */
void exit_mmap(struct mm_struct *mm)
{
	struct vm_area_struct *vma = mm->mmap;
	struct vm_area_struct *v;
	struct mmu_gather tlb;

	if (!vma)
		return;
#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 19, 0)
	mm_read_lock(mm);
#endif
	tlb_gather_mmu_fullmm(&tlb, mm);
	/* Use ULONG_MAX here to ensure all VMAs in the mm are unmapped. */
	unmap_vmas(&tlb, vma, 0, ULONG_MAX);
#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 19, 0)
	mm_read_unlock(mm);
	mm_write_lock(mm);
#endif
	for (v = vma; v; v = v->vm_next)
		unlink_file_vma(v);
	free_pgtables(&tlb, vma, FIRST_USER_ADDRESS, USER_PGTABLES_CEILING);
	tlb_finish_mmu(&tlb);

	/* Walk the list again, actually closing and freeing it. */
	mm->mmap = NULL;
	mm->map_count = 0;
	vmacache_invalidate(mm);
	update_hiwater_vm(mm);
	while (vma) {
		struct vm_area_struct *next = vma->vm_next;

		vm_stat_account(mm, vma->vm_flags, vma->vm_file, -(long)vma_pages(vma));
		if (vma->vm_flags & VM_LOCKED)
			mm->locked_vm -= vma_pages(vma);
		remove_vma(vma);
		vma = next;
	}
#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 19, 0)
	mm_write_unlock(mm);
#endif
}

/*
 * Drops a user of the address space (a thread, or a temporary user such as ptrace's
 * access_process_vm); the last one tears it down (exit_mmap) and drops the users' reference to
 * the mm_struct (mmdrop). Linux has this in kernel/fork.c.
 */
void mmput(struct mm_struct *mm)
{
	might_sleep();
	if (atomic_dec_and_test(&mm->mm_users)) {
		exit_mmap(mm);
		mmdrop(mm);
	}
}
