/* arch/x86/mm/fault.c: the page-fault entry. The machine injects do_page_fault(error_code, address)
 * on a thread whose access faulted (src/kernel/faults.ts); the return value tells it what follows:
 * 0 re-executes the access; a signal number (SIGSEGV, SIGBUS, SIGKILL for OOM) means the access
 * cannot complete: for a user-mode fault the signal has been queued with its siginfo
 * (force_sig_fault: si_code SEGV_MAPERR/SEGV_ACCERR/BUS_ADRERR, si_addr), and the machine delivers
 * it on the way back to user mode; a bare machine without processes ends the thread.
 *
 * As x86's do_user_addr_fault: take mmap_lock (mmap_sem before 5.8) for read, find the VMA, check
 * the access against its flags (access_error), call handle_mm_fault and map its result
 * (kernel-semantics.md section 2), growing a VM_GROWSDOWN stack. Kernel-mode faults at user
 * addresses inside the uaccess builtins are fixed up by the machine (src/kernel/builtins/uaccess.ts).
 * Not yet: vmalloc-area faults, VM_FAULT_RETRY.
 *
 * The faulting address space is current->mm (<linux/sched.h>).
 * The boot_test_* functions at the end build an address space for tests and scenarios. */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/oom.h>
#include <linux/errno.h>
#include <linux/rwsem.h>
#include <linux/sched/mm.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <asm/page.h>
#include <asm/processor.h>

/* enum x86_pf_error_code */
#define X86_PF_PROT (1UL << 0)	/* 0: not-present page, 1: protection violation */
#define X86_PF_WRITE (1UL << 1)	/* 0: read, 1: write */
#define X86_PF_USER (1UL << 2)	/* 0: kernel-mode access, 1: user-mode access */
#define X86_PF_RSVD (1UL << 3)	/* a reserved bit was set in a paging entry */
#define X86_PF_INSTR (1UL << 4)	/* an instruction fetch */

#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 8, 0)
#define fault_mmap_read_lock(mm) mmap_read_lock(mm)
#define fault_mmap_read_unlock(mm) mmap_read_unlock(mm)
#define fault_mmap_write_lock(mm) mmap_write_lock(mm)
#define fault_mmap_write_unlock(mm) mmap_write_unlock(mm)
#else
#define fault_mmap_read_lock(mm) down_read(&(mm)->mmap_sem)
#define fault_mmap_read_unlock(mm) up_read(&(mm)->mmap_sem)
#define fault_mmap_write_lock(mm) down_write(&(mm)->mmap_sem)
#define fault_mmap_write_unlock(mm) up_write(&(mm)->mmap_sem)
#endif

/* mm/memory.c (its declaration belongs in <linux/mm.h>, with the era's signature). */
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

/* Nonzero when the VMA's permissions forbid the access (x86 access_error). */
static int access_error(unsigned long error_code, struct vm_area_struct *vma)
{
	if (error_code & X86_PF_WRITE)
		return !(vma->vm_flags & VM_WRITE);
	if (error_code & X86_PF_INSTR)
		return !(vma->vm_flags & VM_EXEC);
	/* A read of a present page: a protection fault no read permission can fix. */
	if (error_code & X86_PF_PROT)
		return 1;
	return !(vma->vm_flags & (VM_READ | VM_EXEC | VM_WRITE));
}

/* The signal a handle_mm_fault result calls for (0: done, re-execute the access). */
static int fault_signal(unsigned long fault)
{
#if LINUX_VERSION_CODE < KERNEL_VERSION(2, 6, 23)
	switch (fault & ~VM_FAULT_WRITE) {
	case VM_FAULT_MINOR:
	case VM_FAULT_MAJOR:
		return 0;
	case VM_FAULT_SIGBUS:
		return SIGBUS;
	default:		/* VM_FAULT_OOM: the OOM killer's verdict on the faulting task */
		return SIGKILL;
	}
#else
	if (!(fault & VM_FAULT_ERROR))
		return 0;
	if (fault & VM_FAULT_OOM)
		return SIGKILL;
#if LINUX_VERSION_CODE >= KERNEL_VERSION(3, 19, 0)
	if (fault & VM_FAULT_SIGSEGV)
		return SIGSEGV;
#endif
	return SIGBUS;
#endif
}

/* Stack growth: a fault just below a VM_GROWSDOWN VMA (the main thread's stack) extends it down to
 * the page (mm/mmap.c expand_downwards: stack limit, guard gap, anon_vma, accounting). */
int expand_downwards(struct vm_area_struct *vma, unsigned long address);
static int expand_stack(struct vm_area_struct *vma, unsigned long address)
{
	if (!(vma->vm_flags & VM_GROWSDOWN))
		return -EFAULT;
	return expand_downwards(vma, address);
}

/* Sends the fault's signal to a user-mode faulter (a kernel-mode fault at a user address is the
 * exception table's business: the machine fixes up the uaccess call instead). */
static int bad_area(unsigned long error_code, unsigned long address, int sig, int code)
{
	if (error_code & X86_PF_USER)
		force_sig_fault(sig, code, (void __user *)address);
	return sig;
}

int do_page_fault(unsigned long error_code, unsigned long address)
{
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *vma;
	unsigned long fault;
	int sig;

	/* Kernel addresses (no vmalloc faults yet), reserved bits, or no address space: bad area. */
	if (address >= TASK_SIZE_MAX || (error_code & X86_PF_RSVD) || !mm)
		return bad_area(error_code, address, SIGSEGV, SEGV_MAPERR);

	fault_mmap_read_lock(mm);
	vma = find_vma(mm, address);
	if (!vma) {
		fault_mmap_read_unlock(mm);
		return bad_area(error_code, address, SIGSEGV, SEGV_MAPERR);
	}
	if (vma->vm_start > address && expand_stack(vma, address)) {
		fault_mmap_read_unlock(mm);
		return bad_area(error_code, address, SIGSEGV, SEGV_MAPERR);
	}
	if (access_error(error_code, vma)) {
		fault_mmap_read_unlock(mm);
		return bad_area(error_code, address, SIGSEGV, SEGV_ACCERR);
	}
#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 8, 0)
	fault = handle_mm_fault(vma, address, ((error_code & X86_PF_WRITE) ? FAULT_FLAG_WRITE : 0) | ((error_code & X86_PF_USER) ? FAULT_FLAG_USER : 0), NULL);
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 30)
	fault = handle_mm_fault(mm, vma, address, (error_code & X86_PF_WRITE) ? FAULT_FLAG_WRITE : 0);
#else
	fault = handle_mm_fault(mm, vma, address, (error_code & X86_PF_WRITE) != 0);
#endif
	fault_mmap_read_unlock(mm);
	sig = fault_signal(fault);
	if (sig == SIGKILL) {
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 34)
		/* The allocator already ran the OOM killer: die if we are its victim, else retry. */
		pagefault_out_of_memory();
		return fatal_signal_pending(current) ? SIGKILL : 0;
#else
		/* 2.6.18 out_of_memory label: the faulting process is killed. */
		printk(KERN_WARNING "VM: killing process %s\n", current->comm);
		if (error_code & X86_PF_USER)
			force_sig(SIGKILL);
		return SIGKILL;
#endif
	}
	if (sig)
		return bad_area(error_code, address, sig, sig == SIGBUS ? BUS_ADRERR : SEGV_MAPERR);
	return 0;
}

/* ---- Boot/test helpers: an address space with anonymous VMAs, before exec and mmap exist ---- */

/* Makes a new mm (kernel half shared with init_mm) current->mm (init_task's, before exec exists); returns the physical address
 * of its pgd (what CR3 takes), or 0 when out of memory. */
unsigned long boot_test_new_mm(void)
{
	struct mm_struct *mm = mm_alloc();

	if (!mm)
		return 0;
	current->mm = mm;
	current->active_mm = mm;
	return __pa(mm->pgd);
}

/* Adds a private anonymous read-write VMA [start, start + len) to current->mm, as brk would.
 * Returns 0, or -EINVAL / -ENOMEM (overlap, unaligned range, no memory). */
int boot_test_map_anon(unsigned long start, unsigned long len)
{
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *vma;
	int err;

	if (!mm)
		return -EINVAL;
	vma = vm_area_alloc(mm);
	if (!vma)
		return -ENOMEM;
	vma->vm_start = start;
	vma->vm_end = start + len;
	vma->vm_flags = VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC;
	vma->vm_page_prot = vm_get_page_prot(vma->vm_flags);
	fault_mmap_write_lock(mm);
	err = insert_vm_struct(mm, vma);
	fault_mmap_write_unlock(mm);
	if (err)
		vm_area_free(vma);
	return err;
}
