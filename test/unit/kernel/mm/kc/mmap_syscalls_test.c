/* Test driver for test/unit/kernel/mm/mmapSyscalls.test.ts (mm/mmap.c, mm/util.c, mm/mprotect.c,
 * mm/mremap.c, mm/madvise.c): entry points the TypeScript test calls on kernel threads of a booted
 * machine. They switch current->mm between test address spaces, call the system calls with plain
 * numbers, and report what the kernel's data structures hold (the VMA list, PTEs, counters). */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/syscalls.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/shmem_fs.h>
#include <asm/page.h>

#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 8, 0)
#define ms_write_lock(mm) mmap_write_lock(mm)
#define ms_write_unlock(mm) mmap_write_unlock(mm)
#else
#define ms_write_lock(mm) down_write(&(mm)->mmap_sem)
#define ms_write_unlock(mm) up_write(&(mm)->mmap_sem)
#endif

/* ---- Address spaces ---- */

/* A new empty address space (not yet current). */
struct mm_struct *ms_mm_new(void)
{
	return mm_alloc();
}

/* Makes `mm` init_task's address space (what the syscalls and the fault handler use); returns
 * the physical address of its pgd for CR3. */
unsigned long ms_use_mm(struct mm_struct *mm)
{
	current->mm = mm;
	current->active_mm = mm;
	return __pa(mm->pgd);
}

struct mm_struct *ms_current_mm(void)
{
	return current->mm;
}

/* Sets the heap layout exec would (end of text and data, start of the heap). */
void ms_set_brk_layout(unsigned long end_code, unsigned long end_data, unsigned long start_brk)
{
	struct mm_struct *mm = current->mm;

	mm->start_code = end_code;
	mm->end_code = end_code;
	mm->start_data = end_code;
	mm->end_data = end_data;
	mm->start_brk = start_brk;
	mm->brk = start_brk;
}

/* Drops the address space's last user (exit's mmput) and detaches it from init_task. */
void ms_mmput(struct mm_struct *mm)
{
	if (current->mm == mm) {
		current->mm = NULL;
		current->active_mm = &init_mm;
	}
	mmput(mm);
}

/* ---- The system calls, on current->mm ---- */

/* Anonymous (file NULL) mmap through vm_mmap_pgoff, as sys_mmap does after its fd lookup. */
unsigned long ms_mmap(unsigned long addr, unsigned long len, unsigned long prot, unsigned long flags, unsigned long pgoff)
{
	return vm_mmap_pgoff(NULL, addr, len, prot, flags, pgoff);
}

/* do_mmap itself on an explicit mm, under its lock. */
unsigned long ms_do_mmap(struct mm_struct *mm, unsigned long addr, unsigned long len, unsigned long prot, unsigned long flags)
{
	unsigned long ret;

	ms_write_lock(mm);
	ret = do_mmap(mm, NULL, addr, len, prot, flags, 0);
	ms_write_unlock(mm);
	return ret;
}

long ms_munmap(unsigned long addr, unsigned long len)
{
	return sys_munmap(addr, len);
}

long ms_mprotect(unsigned long start, unsigned long len, unsigned long prot)
{
	return sys_mprotect(start, len, prot);
}

long ms_mremap(unsigned long addr, unsigned long old_len, unsigned long new_len, unsigned long flags, unsigned long new_addr)
{
	return sys_mremap(addr, old_len, new_len, flags, new_addr);
}

long ms_madvise(unsigned long start, unsigned long len, long behavior)
{
	return sys_madvise(start, len, (int)behavior);
}

long ms_brk(unsigned long brk)
{
	return sys_brk(brk);
}

/* Grows the stack VMA above `addr` down to it, as the fault path does for an access just below
 * a stack: expand_downwards under the mmap lock. */
long ms_expand_stack(unsigned long addr)
{
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *vma;
	long ret = -EFAULT;

	ms_write_lock(mm);
	vma = find_vma(mm, addr);
	if (vma)
		ret = expand_downwards(vma, addr);
	ms_write_unlock(mm);
	return ret;
}

/* ---- What the kernel holds ---- */

long ms_map_count(void)
{
	return current->mm->map_count;
}

/* Walks the VMA list and checks its invariants: sorted, non-empty, non-overlapping, page aligned,
 * each VMA's vm_mm the mm, and map_count the length. The length, or a negative code. */
long ms_check_vmas(void)
{
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *vma;
	unsigned long prev_end = 0;
	long n = 0;

	for (vma = mm->mmap; vma; vma = vma->vm_next) {
		if (vma->vm_start >= vma->vm_end)
			return -1;
		if ((vma->vm_start | vma->vm_end) & ~PAGE_MASK)
			return -2;
		if (vma->vm_start < prev_end)
			return -3;
		if (vma->vm_mm != mm)
			return -4;
		prev_end = vma->vm_end;
		n++;
	}
	if (n != mm->map_count)
		return -5;
	return n;
}

static struct vm_area_struct *nth_vma(long i)
{
	struct vm_area_struct *vma = current->mm->mmap;

	while (vma && i-- > 0)
		vma = vma->vm_next;
	return vma;
}

/* Field `field` of the i-th VMA: 0 start, 1 end, 2 vm_flags, 3 vm_pgoff, 4 has a file, 5 has an
 * anon_vma, 6 vm_page_prot; ~0 when there is no such VMA. */
unsigned long ms_vma(long i, int field)
{
	struct vm_area_struct *vma = nth_vma(i);

	if (!vma)
		return ~0UL;
	switch (field) {
	case 0:
		return vma->vm_start;
	case 1:
		return vma->vm_end;
	case 2:
		return vma->vm_flags;
	case 3:
		return vma->vm_pgoff;
	case 4:
		return vma->vm_file != NULL;
	case 5:
		return vma->anon_vma != NULL;
	case 6:
		return pgprot_val(vma->vm_page_prot);
	default:
		return ~0UL;
	}
}

/* Counter `which` of the current mm: 0 total_vm, 1 brk, 2 start_brk, 3 locked_vm, 4 stack_vm,
 * 5 exec_vm, 6 hiwater_vm. */
unsigned long ms_mm_counter(int which)
{
	struct mm_struct *mm = current->mm;

	switch (which) {
	case 0:
		return mm->total_vm;
	case 1:
		return mm->brk;
	case 2:
		return mm->start_brk;
	case 3:
		return mm->locked_vm;
	case 4:
		return mm->stack_vm;
	case 5:
		return mm->exec_vm;
	case 6:
		return mm->hiwater_vm;
	default:
		return ~0UL;
	}
}

/* The PTE that maps `addr` in the current mm, read without allocating (0: none, or no table). */
unsigned long ms_pte(unsigned long addr)
{
	struct mm_struct *mm = current->mm;
	pgd_t *pgd = pgd_offset(mm, addr);
	pud_t *pud;
	pmd_t *pmd;
	pte_t *pte;

	if (pgd_none(*pgd))
		return 0;
	pud = pud_offset(pgd, addr);
	if (pud_none(*pud))
		return 0;
	pmd = pmd_offset(pud, addr);
	if (pmd_none(*pmd))
		return 0;
	pte = pte_offset_map(pmd, addr);
	return pte_val(*pte);
}

/* Whether the PMD entry (a PTE table) covering `addr` exists in the current mm. */
int ms_has_pte_table(unsigned long addr)
{
	struct mm_struct *mm = current->mm;
	pgd_t *pgd = pgd_offset(mm, addr);
	pud_t *pud;

	if (pgd_none(*pgd))
		return 0;
	pud = pud_offset(pgd, addr);
	if (pud_none(*pud))
		return 0;
	return !pmd_none(*pmd_offset(pud, addr));
}

/* page_count and page_mapcount of the page frame `pfn`. */
long ms_page_count(unsigned long pfn)
{
	return page_count(pfn_to_page(pfn));
}

long ms_page_mapcount(unsigned long pfn)
{
	return page_mapcount(pfn_to_page(pfn));
}

/* ---- Files ---- */

/* An unlinked tmpfs file of `size` bytes, as if opened with the FMODE_READ/FMODE_WRITE bits of
 * `mode` (shmem_file_setup opens read-write; the test narrows it as a read-only open would). */
struct file *ms_shmem_file(unsigned long size, unsigned long mode)
{
	struct file *file = shmem_file_setup("ms-test", size, 0);

	if (IS_ERR(file))
		return NULL;
	file->f_mode = (file->f_mode & ~(FMODE_READ | FMODE_WRITE)) | (fmode_t)mode;
	return file;
}

unsigned long ms_mmap_file(struct file *file, unsigned long addr, unsigned long len, unsigned long prot,
			   unsigned long flags, unsigned long pgoff)
{
	return vm_mmap_pgoff(file, addr, len, prot, flags, pgoff);
}

long ms_file_count(struct file *file)
{
	return atomic_long_read(&file->f_count);
}

void ms_fput(struct file *file)
{
	fput(file);
}
