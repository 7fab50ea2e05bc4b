/* <linux/sched/mm.h>: allocating and reference-counting struct mm_struct (kernel/fork.c). */
#ifndef _LINUX_SCHED_MM_H
#define _LINUX_SCHED_MM_H

#include <linux/mm_types.h>
#include <linux/atomic.h>

/* A new, empty address space: a pgd sharing the kernel half, no VMAs, mm_users = mm_count = 1. */
struct mm_struct *mm_alloc(void);
/* Frees the mm_struct and its pgd once mm_count drops to zero (the VMAs must be gone). */
void __mmdrop(struct mm_struct *mm);

static inline void mmgrab(struct mm_struct *mm)
{
	atomic_inc(&mm->mm_count);
}

static inline void mmdrop(struct mm_struct *mm)
{
	if (atomic_dec_and_test(&mm->mm_count))
		__mmdrop(mm);
}

#endif /* _LINUX_SCHED_MM_H */
