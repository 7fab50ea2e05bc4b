/* mm/util.c (part): the mmap entry below sys_mmap. sys_mmap (arch/x86) checks the byte offset
 * and looks the file descriptor up; vm_mmap_pgoff maps in the calling task's address space under
 * its mmap lock, then faults in what MAP_POPULATE (or MAP_LOCKED) asks for once the lock is only
 * held for reading (3.9+; earlier kernels populated inside do_mmap, under the write lock). Linux
 * has had vm_mmap_pgoff since 3.4; before, sys_mmap did the same three steps itself. */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/errno.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/err.h>
#include <linux/sched.h>

#include "internal.h"

unsigned long vm_mmap_pgoff(struct file *file, unsigned long addr, unsigned long len, unsigned long prot,
			    unsigned long flag, unsigned long pgoff)
{
	struct mm_struct *mm = current->mm;
	unsigned long ret;

	mm_write_lock(mm);
	ret = do_mmap(mm, file, addr, len, prot, flag, pgoff);
	mm_write_unlock(mm);
#if LINUX_VERSION_CODE >= KERNEL_VERSION(3, 9, 0)
	/* do_mmap's *populate: the whole length for MAP_POPULATE without MAP_NONBLOCK, or a locked
	 * mapping. */
	if (!IS_ERR_VALUE(ret) &&
	    ((flag & (MAP_POPULATE | MAP_NONBLOCK)) == MAP_POPULATE || (flag & MAP_LOCKED) ||
	     (mm->def_flags & VM_LOCKED))) {
		mm_read_lock(mm);
		mm_populate_range(mm, ret, PAGE_ALIGN(len));
		mm_read_unlock(mm);
	}
#endif
	return ret;
}

unsigned long vm_mmap(struct file *file, unsigned long addr, unsigned long len, unsigned long prot,
		      unsigned long flag, unsigned long offset)
{
	if (unlikely(offset + PAGE_ALIGN(len) < offset))
		return -EINVAL;
	if (unlikely(offset_in_page(offset)))
		return -EINVAL;
	return vm_mmap_pgoff(file, addr, len, prot, flag, offset >> PAGE_SHIFT);
}

/* kstrdup and friends (mm/util.c): kmalloc'd copies. */
char *kstrdup(const char *s, gfp_t gfp)
{
	size_t len;
	char *buf;

	if (!s)
		return NULL;
	len = strlen(s) + 1;
	buf = kmalloc(len, gfp);
	if (buf)
		memcpy(buf, s, len);
	return buf;
}

char *kstrndup(const char *s, size_t max, gfp_t gfp)
{
	size_t len;
	char *buf;

	if (!s)
		return NULL;
	len = strnlen(s, max);
	buf = kmalloc(len + 1, gfp);
	if (buf) {
		memcpy(buf, s, len);
		buf[len] = '\0';
	}
	return buf;
}

void *kmemdup(const void *src, size_t len, gfp_t gfp)
{
	void *p = kmalloc(len, gfp);

	if (p)
		memcpy(p, src, len);
	return p;
}
