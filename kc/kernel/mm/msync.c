/* mm/msync.c: msync(2).
 *
 *   long sys_msync(unsigned long start, size_t len, int flags);   (current->mm)
 *   long do_msync(struct mm_struct *mm, unsigned long start, size_t len, int flags);
 *
 * The checks are Linux's (2.6.19+, the same in 6.8; 2.6.18 differs only in also pushing PTE dirty
 * bits to the pages for MS_ASYNC, which changes nothing without writeback):
 *   - flags outside MS_ASYNC|MS_INVALIDATE|MS_SYNC, an unaligned start, or MS_ASYNC with MS_SYNC:
 *     -EINVAL; a length that wraps: -ENOMEM; a zero length: 0;
 *   - the range may cross unmapped holes: they are skipped and -ENOMEM is returned at the end
 *     (plain MS_ASYNC stops at the first hole, since nothing else would be done);
 *   - MS_INVALIDATE on a VM_LOCKED mapping: -EBUSY;
 *   - MS_SYNC on a shared file mapping: vfs_fsync_range on the file's range, with mmap_lock
 *     dropped around it (the VMA list is looked up again afterwards). tmpfs has no backing store,
 *     so the write-back itself is a no-op. */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/mm.h>
#include <linux/fs.h>
#include <linux/sched.h>

#define MS_ASYNC 1
#define MS_INVALIDATE 2
#define MS_SYNC 4

#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 8, 0)
#define msync_read_lock(mm) mmap_read_lock(mm)
#define msync_read_unlock(mm) mmap_read_unlock(mm)
#else
#define msync_read_lock(mm) down_read(&(mm)->mmap_sem)
#define msync_read_unlock(mm) up_read(&(mm)->mmap_sem)
#endif

long do_msync(struct mm_struct *mm, unsigned long start, size_t len, int flags)
{
	unsigned long end;
	struct vm_area_struct *vma;
	int unmapped_error = 0;
	int error = -EINVAL;

	if (flags & ~(MS_ASYNC | MS_INVALIDATE | MS_SYNC))
		goto out;
	if (offset_in_page(start))
		goto out;
	if ((flags & MS_ASYNC) && (flags & MS_SYNC))
		goto out;
	error = -ENOMEM;
	len = (len + ~PAGE_MASK) & PAGE_MASK;
	end = start + len;
	if (end < start)
		goto out;
	error = 0;
	if (end == start)
		goto out;
	if (!mm)
		return -ENOMEM;
	/* Unmapped holes are skipped, but reported as -ENOMEM at the end. */
	msync_read_lock(mm);
	vma = find_vma(mm, start);
	for (;;) {
		struct file *file;
		loff_t fstart, fend;

		/* Still start < end. */
		error = -ENOMEM;
		if (!vma)
			goto out_unlock;
		/* Here start < vma->vm_end. */
		if (start < vma->vm_start) {
			if (flags == MS_ASYNC)
				goto out_unlock;
			start = vma->vm_start;
			if (start >= end)
				goto out_unlock;
			unmapped_error = -ENOMEM;
		}
		/* Here vma->vm_start <= start < vma->vm_end. */
		if ((flags & MS_INVALIDATE) && (vma->vm_flags & VM_LOCKED)) {
			error = -EBUSY;
			goto out_unlock;
		}
		file = vma->vm_file;
		fstart = (start - vma->vm_start) + ((loff_t)vma->vm_pgoff << PAGE_SHIFT);
		fend = fstart + ((end < vma->vm_end ? end : vma->vm_end) - start) - 1;
		start = vma->vm_end;
		if ((flags & MS_SYNC) && file && (vma->vm_flags & VM_SHARED)) {
			get_file(file);
			msync_read_unlock(mm);
			error = vfs_fsync_range(file, fstart, fend, 1);
			fput(file);
			if (error || start >= end)
				goto out;
			msync_read_lock(mm);
			vma = find_vma(mm, start);
		} else {
			if (start >= end) {
				error = 0;
				goto out_unlock;
			}
			vma = vma->vm_next;
		}
	}
out_unlock:
	msync_read_unlock(mm);
out:
	return error ? error : unmapped_error;
}

long sys_msync(unsigned long start, size_t len, int flags)
{
	return do_msync(current->mm, start, len, flags);
}
