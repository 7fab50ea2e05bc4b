/* mm/madvise.c: madvise(2). Advice that changes how a range behaves (MADV_NORMAL, RANDOM,
 * SEQUENTIAL: VM_RAND_READ / VM_SEQ_READ; DONTFORK, DOFORK: VM_DONTCOPY) is recorded in the VMA
 * flags, splitting and merging VMAs like mprotect. MADV_DONTNEED throws the range's pages away
 * (zap_page_range): the next access faults, and reads back zeros in a private anonymous mapping,
 * the file's page-cache contents in a file mapping (a private COW copy is dropped too).
 * MADV_WILLNEED is accepted as a hint (there is no I/O to start: tmpfs pages live in memory).
 *
 * Unmapped parts of the range are skipped and reported at the end with -ENOMEM, after the mapped
 * parts were advised. Eras:
 *   2.6.18, 2.6.21: mmap_sem taken for writing for every advice; an unknown advice is only
 *                   noticed at the first VMA (-EINVAL; an unmapped range gives -ENOMEM first);
 *                   MADV_WILLNEED on anonymous memory is -EBADF (until 3.5).
 *   2.6.22+:        DONTNEED, WILLNEED (and REMOVE) take it for reading only.
 *   2.6.31+:        an unknown advice is -EINVAL before anything else.
 * Not implemented (answered like unknown advice): MADV_REMOVE (hole punching in tmpfs) and the
 * advice of later kernels (FREE, COLD, PAGEOUT, POPULATE_*, DONTDUMP, WIPEONFORK...). */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/errno.h>
#include <linux/sched.h>

#include "internal.h"

/* Any behaviour which results in changes to the vma->vm_flags needs to take the mmap lock for
 * writing; others, which simply traverse VMAs, only for reading. */
static int madvise_need_mmap_write(int behavior)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 22)
	switch (behavior) {
	case MADV_WILLNEED:
	case MADV_DONTNEED:
		return 0;
	default:
		/* be safe, default to 1. list exceptions explicitly */
		return 1;
	}
#else
	(void)behavior;
	return 1;
#endif
}

#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 31)
static int madvise_behavior_valid(int behavior)
{
	switch (behavior) {
	case MADV_DOFORK:
	case MADV_DONTFORK:
	case MADV_NORMAL:
	case MADV_SEQUENTIAL:
	case MADV_RANDOM:
	case MADV_WILLNEED:
	case MADV_DONTNEED:
		return 1;
	default:
		return 0;
	}
}
#endif

/* Advice kept in vm_flags: the VMA is split (or merged) so that only [start, end) changes. */
static long madvise_behavior(struct vm_area_struct *vma, struct vm_area_struct **prev, unsigned long start,
			     unsigned long end, int behavior)
{
	struct mm_struct *mm = vma->vm_mm;
	unsigned long new_flags = vma->vm_flags;
	int error = 0;
	pgoff_t pgoff;

	switch (behavior) {
	case MADV_NORMAL:
		new_flags = new_flags & ~VM_RAND_READ & ~VM_SEQ_READ;
		break;
	case MADV_SEQUENTIAL:
		new_flags = (new_flags & ~VM_RAND_READ) | VM_SEQ_READ;
		break;
	case MADV_RANDOM:
		new_flags = (new_flags & ~VM_SEQ_READ) | VM_RAND_READ;
		break;
	case MADV_DONTFORK:
		new_flags |= VM_DONTCOPY;
		break;
	case MADV_DOFORK:
		new_flags &= ~VM_DONTCOPY;
		break;
	}

	if (new_flags == vma->vm_flags) {
		*prev = vma;
		goto out;
	}

	pgoff = vma->vm_pgoff + ((start - vma->vm_start) >> PAGE_SHIFT);
	*prev = vma_merge(mm, *prev, start, end, new_flags, vma->anon_vma, vma->vm_file, pgoff);
	if (*prev) {
		vma = *prev;
		goto success;
	}
	*prev = vma;
	if (start != vma->vm_start) {
		error = split_vma(mm, vma, start, 1);
		if (error)
			goto out;
	}
	if (end != vma->vm_end) {
		error = split_vma(mm, vma, end, 0);
		if (error)
			goto out;
	}
success:
	/* vm_flags is protected by the mmap lock held for writing. */
	vma->vm_flags = new_flags;
out:
	/* madvise reports a temporary shortage, not an unmapped range. */
	if (error == -ENOMEM)
		error = -EAGAIN;
	return error;
}

/* Read-ahead advice. Faultline's files (tmpfs, devices) have no I/O to start; anonymous memory
 * has no swap to read back (6.x: accepted), or was refused before 3.5. */
static long madvise_willneed(struct vm_area_struct *vma, struct vm_area_struct **prev, unsigned long start,
			     unsigned long end)
{
	(void)start;
	(void)end;
	*prev = vma;
#if LINUX_VERSION_CODE < KERNEL_VERSION(3, 5, 0)
	if (!vma->vm_file)
		return -EBADF;
#endif
	return 0;
}

/*
 * The application no longer needs these pages: their PTEs go (and the pages with them once
 * nothing else maps them). Locked, huge and PFN-mapped VMAs refuse.
 */
static long madvise_dontneed(struct vm_area_struct *vma, struct vm_area_struct **prev, unsigned long start,
			     unsigned long end)
{
	*prev = vma;
	if (vma->vm_flags & (VM_LOCKED | VM_HUGETLB | VM_PFNMAP))
		return -EINVAL;
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
	zap_page_range_single(vma, start, end - start, NULL);
#else
	zap_page_range(vma, start, end - start);
#endif
	return 0;
}

static long madvise_vma(struct vm_area_struct *vma, struct vm_area_struct **prev, unsigned long start,
			unsigned long end, int behavior)
{
	switch (behavior) {
	case MADV_DOFORK:
		if (vma->vm_flags & VM_IO)
			return -EINVAL;
		/* fall through */
	case MADV_DONTFORK:
	case MADV_NORMAL:
	case MADV_SEQUENTIAL:
	case MADV_RANDOM:
		return madvise_behavior(vma, prev, start, end, behavior);
	case MADV_WILLNEED:
		return madvise_willneed(vma, prev, start, end);
	case MADV_DONTNEED:
		return madvise_dontneed(vma, prev, start, end);
	default:
		return -EINVAL;
	}
}

/*
 * madvise(2) in `mm`: gives the advice `behavior` for [start, start + len_in). 0, or -EINVAL
 * (unaligned start, a length that wraps, unknown advice, DONTNEED on a locked/PFN mapping),
 * -ENOMEM (part of the range is unmapped: the mapped parts were still advised), -EAGAIN (no
 * memory to split a VMA), -EBADF (2.6: WILLNEED on anonymous memory). Takes the mmap lock.
 */
int do_madvise(struct mm_struct *mm, unsigned long start, size_t len_in, int behavior)
{
	unsigned long end, tmp;
	struct vm_area_struct *vma, *prev;
	int unmapped_error = 0;
	int error = -EINVAL;
	int write;
	size_t len;

#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 31)
	if (!madvise_behavior_valid(behavior))
		return -EINVAL;
#endif
	write = madvise_need_mmap_write(behavior);
	if (write)
		mm_write_lock(mm);
	else
		mm_read_lock(mm);

	if (start & ~PAGE_MASK)
		goto out;
	len = (len_in + ~PAGE_MASK) & PAGE_MASK;
	/* Check to see whether len was rounded up from small -ve to zero. */
	if (len_in && !len)
		goto out;
	end = start + len;
	if (end < start)
		goto out;
	error = 0;
	if (end == start)
		goto out;

	/*
	 * If the interval [start,end) covers some unmapped address ranges, just ignore them, but
	 * return -ENOMEM at the end (unlike mlock and mprotect, which stop at the hole).
	 */
	vma = find_vma_prev(mm, start, &prev);
	if (vma && start > vma->vm_start)
		prev = vma;

	for (;;) {
		/* Still start < end. */
		error = -ENOMEM;
		if (!vma)
			goto out;

		/* Here start < (end|vma->vm_end). */
		if (start < vma->vm_start) {
			unmapped_error = -ENOMEM;
			start = vma->vm_start;
			if (start >= end)
				goto out;
		}

		/* Here vma->vm_start <= start < (end|vma->vm_end). */
		tmp = vma->vm_end;
		if (end < tmp)
			tmp = end;

		/* Here vma->vm_start <= start < tmp <= (end|vma->vm_end). */
		error = madvise_vma(vma, &prev, start, tmp, behavior);
		if (error)
			goto out;
		start = tmp;
		if (start < prev->vm_end)
			start = prev->vm_end;
		error = unmapped_error;
		if (start >= end)
			goto out;
		vma = prev->vm_next;
	}
out:
	if (write)
		mm_write_unlock(mm);
	else
		mm_read_unlock(mm);
	return error;
}

long sys_madvise(unsigned long start, size_t len_in, int behavior)
{
	return do_madvise(current->mm, start, len_in, behavior);
}
