/* mm/mincore.c: mincore(2), which pages of a range are resident.
 *
 *   long sys_mincore(unsigned long start, size_t len, unsigned char __user *vec);   (current->mm)
 *   long do_mincore_range(struct mm_struct *mm, unsigned long start, size_t len, unsigned char __user *vec);
 *
 * A page is resident when its PTE is present, or, for a file VMA whose PTE is none, when the
 * file's page cache holds the page (mincore_page: an unmapped tmpfs page still counts). Errors:
 * an unaligned start: -EINVAL; a range beyond user space, or a part of it not mapped: -ENOMEM; a
 * vec that cannot be written: -EFAULT.
 *
 * Era: 2.6.18 answered only for file VMAs (page-cache residency, -ENOMEM for anonymous ones);
 * "mm: mincore anon" (2.6.21) made it walk the page tables, so anonymous VMAs report present PTEs
 * and everything else reports file pages by their page cache. The page tables are read with
 * mmap_lock held for read, each PTE table under its lock; the result is built in a kernel page
 * and copied out after the lock is dropped, at most PAGE_SIZE entries at a time. */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/mm.h>
#include <linux/fs.h>
#include <linux/pagemap.h>
#include <linux/sched.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 8, 0)
#define mincore_read_lock(mm) mmap_read_lock(mm)
#define mincore_read_unlock(mm) mmap_read_unlock(mm)
#else
#define mincore_read_lock(mm) down_read(&(mm)->mmap_sem)
#define mincore_read_unlock(mm) up_read(&(mm)->mmap_sem)
#endif

/* The page-cache residency of one file page: cached and up to date. */
static unsigned char mincore_page(struct address_space *mapping, pgoff_t pgoff)
{
	unsigned char present = 0;
	struct page *page = find_get_page(mapping, pgoff);

	if (page) {
		present = PageUptodate(page) ? 1 : 0;
		put_page(page);
	}
	return present;
}

static pgoff_t linear_page_index(struct vm_area_struct *vma, unsigned long address)
{
	return ((address - vma->vm_start) >> PAGE_SHIFT) + vma->vm_pgoff;
}

#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 21)
/* Pages with no PTE: the page cache for file VMAs, not resident for anonymous ones. */
static void mincore_unmapped_range(struct vm_area_struct *vma, unsigned long addr, unsigned long end, unsigned char *vec)
{
	unsigned long nr = (end - addr) >> PAGE_SHIFT;
	unsigned long i;

	if (vma->vm_file) {
		pgoff_t pgoff = linear_page_index(vma, addr);

		for (i = 0; i < nr; i++, pgoff++)
			vec[i] = mincore_page(vma->vm_file->f_mapping, pgoff);
	} else {
		memset(vec, 0, nr);
	}
}

static void mincore_pte_range(struct vm_area_struct *vma, pmd_t *pmd, unsigned long addr, unsigned long end, unsigned char *vec)
{
	spinlock_t *ptl;
	pte_t *ptep = pte_offset_map_lock(vma->vm_mm, pmd, addr, &ptl);
	pte_t *first = ptep;

	for (; addr != end; ptep++, addr += PAGE_SIZE) {
		pte_t pte = *ptep;

		if (pte_none(pte))
			mincore_unmapped_range(vma, addr, addr + PAGE_SIZE, vec);
		else if (pte_present(pte))
			*vec = 1;
		else
			*vec = 0;	/* a swap entry: no swap here */
		vec++;
	}
	pte_unmap_unlock(first, ptl);
}

/* Walks [addr, end) of one VMA, filling vec (one byte per page). */
static void mincore_page_range(struct vm_area_struct *vma, unsigned long addr, unsigned long end, unsigned char *vec)
{
	struct mm_struct *mm = vma->vm_mm;

	while (addr < end) {
		pgd_t *pgd = pgd_offset(mm, addr);
		unsigned long next = pmd_addr_end(addr, end);
		pud_t *pud;
		pmd_t *pmd;

		if (pgd_none(*pgd))
			goto unmapped;
		pud = pud_offset(pgd, addr);
		if (pud_none(*pud))
			goto unmapped;
		pmd = pmd_offset(pud, addr);
		if (pmd_none(*pmd))
			goto unmapped;
		mincore_pte_range(vma, pmd, addr, next, vec);
		goto advance;
unmapped:
		mincore_unmapped_range(vma, addr, next, vec);
advance:
		vec += (next - addr) >> PAGE_SHIFT;
		addr = next;
	}
}
#endif

/* One chunk: fills vec for up to `pages` pages from addr inside the VMA there; the number of
 * pages done, or -ENOMEM when addr is not mapped (2.6.18: or anonymous). mmap_lock is held. */
static long do_mincore(struct mm_struct *mm, unsigned long addr, unsigned long pages, unsigned char *vec)
{
	struct vm_area_struct *vma = find_vma(mm, addr);
	unsigned long end;

	if (!vma || addr < vma->vm_start)
		return -ENOMEM;
#if LINUX_VERSION_CODE < KERNEL_VERSION(2, 6, 21)
	/* "Right now, we don't do any anonymous mappings" (2.6.18). */
	if (!vma->vm_file)
		return -ENOMEM;
	{
		unsigned long nr = (vma->vm_end - addr) >> PAGE_SHIFT;
		pgoff_t pgoff = linear_page_index(vma, addr);
		unsigned long i;

		if (nr > pages)
			nr = pages;
		for (i = 0; i < nr; i++, pgoff++)
			vec[i] = mincore_page(vma->vm_file->f_mapping, pgoff);
		return nr;
	}
#else
	end = vma->vm_end;
	if (end - addr > (pages << PAGE_SHIFT))
		end = addr + (pages << PAGE_SHIFT);
	mincore_page_range(vma, addr, end, vec);
	return (end - addr) >> PAGE_SHIFT;
#endif
}

long do_mincore_range(struct mm_struct *mm, unsigned long start, size_t len, unsigned char __user *vec)
{
	unsigned long pages;
	unsigned char *tmp;
	long retval;

	/* Check the start address: needs to be page-aligned. */
	if (start & ~PAGE_MASK)
		return -EINVAL;
	/* ...and we need to be passed a valid user-space range. */
	if (!access_ok((void __user *)start, len))
		return -ENOMEM;
	/* This also avoids any overflows on PAGE_ALIGN. */
	pages = len >> PAGE_SHIFT;
	pages += (len & ~PAGE_MASK) != 0;
	if (!access_ok(vec, pages))
		return -EFAULT;
	if (!mm)
		return -ENOMEM;
	tmp = (void *)__get_free_page(GFP_USER);
	if (!tmp)
		return -EAGAIN;
	retval = 0;
	while (pages) {
		/* At most PAGE_SIZE entries per iteration, due to the temporary buffer size. */
		mincore_read_lock(mm);
		retval = do_mincore(mm, start, pages < PAGE_SIZE ? pages : PAGE_SIZE, tmp);
		mincore_read_unlock(mm);
		if (retval <= 0)
			break;
		if (copy_to_user(vec, tmp, retval)) {
			retval = -EFAULT;
			break;
		}
		pages -= retval;
		vec += retval;
		start += retval << PAGE_SHIFT;
		retval = 0;
	}
	free_page((unsigned long)tmp);
	return retval;
}

long sys_mincore(unsigned long start, size_t len, unsigned char __user *vec)
{
	return do_mincore_range(current->mm, start, len, vec);
}
