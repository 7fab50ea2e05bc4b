/* kernel/fork.c (part): allocating address spaces and VMAs. Processes (copy_process, dup_mmap)
 * come later; for now an mm is created empty, as exec does. */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/sched/mm.h>
#include <linux/spinlock.h>
#include <linux/rwsem.h>

struct vm_area_struct *vm_area_alloc(struct mm_struct *mm)
{
	struct vm_area_struct *vma = kzalloc(sizeof(*vma), GFP_KERNEL);

	if (!vma)
		return NULL;
	vma->vm_mm = mm;
	INIT_LIST_HEAD(&vma->shared);
	return vma;
}

struct vm_area_struct *vm_area_dup(struct vm_area_struct *orig)
{
	struct vm_area_struct *new = kmalloc(sizeof(*new), GFP_KERNEL);

	if (!new)
		return NULL;
	*new = *orig;
	new->vm_next = NULL;
	INIT_LIST_HEAD(&new->shared);
	return new;
}

void vm_area_free(struct vm_area_struct *vma)
{
	kfree(vma);
}

struct mm_struct *mm_alloc(void)
{
	struct mm_struct *mm = kzalloc(sizeof(*mm), GFP_KERNEL);

	if (!mm)
		return NULL;
	atomic_set(&mm->mm_users, 1);
	atomic_set(&mm->mm_count, 1);
#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 8, 0)
	mmap_init_lock(mm);
#else
	init_rwsem(&mm->mmap_sem);
#endif
	spin_lock_init(&mm->page_table_lock);
	mm->task_size = TASK_SIZE;
	mm->pgd = pgd_alloc(mm);
	if (!mm->pgd) {
		kfree(mm);
		return NULL;
	}
	arch_pick_mmap_layout(mm);
	return mm;
}

void __mmdrop(struct mm_struct *mm)
{
	BUG_ON(mm == &init_mm);
	/* exit_mmap must have removed every VMA and page table before the last reference goes. */
	WARN_ON(mm->mmap != NULL);
	pgd_free(mm, mm->pgd);
	kfree(mm);
}
