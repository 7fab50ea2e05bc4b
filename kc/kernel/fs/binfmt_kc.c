/* fs/binfmt_kc.c: loading a KC program into a process, the part of execve that binfmt_elf does.
 *
 * A KC "binary" is a program the machine compiled and linked at the user layout (text at 0x400000,
 * then rodata and data; src/interp/linker.ts). The machine (src/kernel/proc/exec.ts) drives the load
 * with these calls, each run to completion on a kernel thread, as load_elf_binary's steps:
 *   kc_exec_map      one VMA per segment, the stack VMA, an empty heap at the break
 *   kc_exec_populate fault a page in (for writing) and return its physical address, so the machine
 *                    copies the segment's bytes and the argument strings in
 *   kc_exec_protect  the final protection of a segment once its bytes are in (text r-x, rodata r--)
 *   kc_exec_layout   mm->start_code .. start_stack, which /proc/PID/maps and brk use
 * Real ELF loading maps the file's pages (file-backed, private); Faultline's segments are anonymous
 * private memory filled at exec, so /proc/PID/maps shows them without a path. */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/rwsem.h>
#include <asm/pgtable.h>
#include <asm/tlbflush.h>

#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 8, 0)
#define exec_mmap_lock(mm) mmap_write_lock(mm)
#define exec_mmap_unlock(mm) mmap_write_unlock(mm)
#else
#define exec_mmap_lock(mm) down_write(&(mm)->mmap_sem)
#define exec_mmap_unlock(mm) up_write(&(mm)->mmap_sem)
#endif

#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 8, 0)
struct pt_regs;
vm_fault_t handle_mm_fault(struct vm_area_struct *vma, unsigned long address, unsigned int flags, struct pt_regs *regs);
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(4, 17, 0)
vm_fault_t handle_mm_fault(struct mm_struct *mm, struct vm_area_struct *vma, unsigned long address, unsigned int flags);
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 30)
int handle_mm_fault(struct mm_struct *mm, struct vm_area_struct *vma, unsigned long address, unsigned int flags);
#else
int handle_mm_fault(struct mm_struct *mm, struct vm_area_struct *vma, unsigned long address, int write_access);
#endif

long kc_exec_map(struct task_struct *p, unsigned long start, unsigned long end, unsigned long vm_flags)
{
	struct mm_struct *mm = p->mm;
	struct vm_area_struct *vma;
	int err;

	if ((start | end) & ~PAGE_MASK || end <= start)
		return -EINVAL;
	vma = vm_area_alloc(mm);
	if (!vma)
		return -ENOMEM;
	vma->vm_start = start;
	vma->vm_end = end;
	vma->vm_flags = vm_flags;
	vma->vm_page_prot = vm_get_page_prot(vm_flags);
	exec_mmap_lock(mm);
	err = insert_vm_struct(mm, vma);
	if (!err)
		mm->total_vm += (end - start) >> PAGE_SHIFT;
	exec_mmap_unlock(mm);
	if (err)
		vm_area_free(vma);
	return err;
}

unsigned long kc_exec_populate(struct task_struct *p, unsigned long addr)
{
	struct mm_struct *mm = p->mm;
	struct vm_area_struct *vma;
	unsigned long saved_flags;
	unsigned long fault;
	unsigned long phys = 0;
	pte_t *ptep;
	spinlock_t *ptl;

	exec_mmap_lock(mm);
	vma = find_vma(mm, addr);
	if (!vma || vma->vm_start > addr) {
		exec_mmap_unlock(mm);
		return 0;
	}
	/* The loader writes read-only segments too: make the VMA writable for the fault. */
	saved_flags = vma->vm_flags;
	vma->vm_flags |= VM_WRITE;
	vma->vm_page_prot = vm_get_page_prot(vma->vm_flags);
#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 8, 0)
	fault = handle_mm_fault(vma, addr, FAULT_FLAG_WRITE, NULL);
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 30)
	fault = handle_mm_fault(mm, vma, addr, FAULT_FLAG_WRITE);
#else
	fault = handle_mm_fault(mm, vma, addr, 1);
#endif
	vma->vm_flags = saved_flags;
	vma->vm_page_prot = vm_get_page_prot(saved_flags);
	(void)fault;
	if (!follow_pte(mm, addr, &ptep, &ptl)) {
		phys = pte_pfn(*ptep) << PAGE_SHIFT;
		pte_unmap_unlock(ptep, ptl);
	}
	exec_mmap_unlock(mm);
	return phys;
}

long kc_exec_protect(struct task_struct *p, unsigned long start, unsigned long end, unsigned long vm_flags)
{
	struct mm_struct *mm = p->mm;
	struct vm_area_struct *vma;
	unsigned long addr;

	exec_mmap_lock(mm);
	vma = find_vma(mm, start);
	if (!vma || vma->vm_start != start || vma->vm_end != end) {
		exec_mmap_unlock(mm);
		return -EINVAL;
	}
	vma->vm_flags = vm_flags;
	vma->vm_page_prot = vm_get_page_prot(vm_flags);
	for (addr = start; addr < end; addr += PAGE_SIZE) {
		pte_t *ptep;
		spinlock_t *ptl;

		if (follow_pte(mm, addr, &ptep, &ptl))
			continue;
		set_pte_at(mm, addr, ptep, pte_modify(*ptep, vma->vm_page_prot));
		pte_unmap_unlock(ptep, ptl);
	}
	flush_tlb_mm_range(mm, start, end);
	exec_mmap_unlock(mm);
	return 0;
}

void kc_exec_layout(struct task_struct *p, unsigned long start_code, unsigned long end_code, unsigned long start_data, unsigned long end_data, unsigned long start_brk, unsigned long start_stack)
{
	struct mm_struct *mm = p->mm;

	mm->start_code = start_code;
	mm->end_code = end_code;
	mm->start_data = start_data;
	mm->end_data = end_data;
	mm->start_brk = start_brk;
	mm->brk = start_brk;
	mm->start_stack = start_stack;
	mm->arg_start = start_stack;
	mm->arg_end = start_stack;
}

/* The file table of the first process: fds 0, 1 and 2 open on /dev/console (fs/console.c), as
 * init gets them from the kernel before it execs. */
struct files_struct *console_stdio_files(void);
struct files_struct *kc_exec_stdio_files(void)
{
	return console_stdio_files();
}
