/* mm/oom_kill.c: the OOM killer, as the era's kernel reports it.
 *
 * When a blocking allocation finds no free page, __alloc_pages_may_oom calls out_of_memory: it
 * picks the user process with the largest resident set (oom_badness: RSS + page tables, no
 * oom_score_adj here), logs it as Linux does and sends it SIGKILL. While a victim is still on its
 * way out (a fatal signal pending or exiting) no second one is chosen: its memory will come back.
 * Kernel threads and init_task are never chosen. */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/oom.h>

/* Resident pages of an mm (get_mm_rss). */
static unsigned long mm_rss(struct mm_struct *mm)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 34)
	return get_mm_counter(mm, MM_FILEPAGES) + get_mm_counter(mm, MM_ANONPAGES) + get_mm_counter(mm, MM_SHMEMPAGES);
#else
	return get_mm_counter(mm, file_rss) + get_mm_counter(mm, anon_rss);
#endif
}

static int oom_victim_exiting(struct task_struct *p)
{
	return (p->flags & PF_EXITING) || fatal_signal_pending(p);
}

int out_of_memory(gfp_t gfp_mask, unsigned int order)
{
	struct task_struct *p, *chosen = NULL;
	unsigned long chosen_points = 0;

	spin_lock(&tasklist_lock);
	list_for_each_entry(p, &init_task.tasks, tasks) {
		unsigned long points;

		if ((p->flags & PF_KTHREAD) || !p->mm || p != p->group_leader)
			continue;
		if (oom_victim_exiting(p)) {
			spin_unlock(&tasklist_lock);
			return 1;	/* a victim is already dying: wait for its memory */
		}
		points = mm_rss(p->mm) + 1;
		if (points > chosen_points) {
			chosen = p;
			chosen_points = points;
		}
	}
	if (chosen)
		get_task_struct(chosen);
	spin_unlock(&tasklist_lock);
	if (!chosen) {
		/* Linux panics next ("System is deadlocked on memory"); here the allocation fails and the
		 * caller sees NULL, so kernel-only machines (tests, boot) go on. */
		printk(KERN_WARNING "Out of memory and no killable processes...\n");
		return 0;
	}
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 34)
	printk(KERN_WARNING "%s invoked oom-killer: gfp_mask=%#x, order=%u, oom_score_adj=0\n", current->comm, gfp_mask, order);
	printk(KERN_ERR "Out of memory: Killed process %d (%s) total-vm:%lukB, anon-rss:%lukB, file-rss:%lukB, shmem-rss:%lukB, UID:0 pgtables:0kB oom_score_adj:0\n",
	       chosen->pid, chosen->comm, chosen->mm->total_vm << (PAGE_SHIFT - 10),
	       get_mm_counter(chosen->mm, MM_ANONPAGES) << (PAGE_SHIFT - 10),
	       get_mm_counter(chosen->mm, MM_FILEPAGES) << (PAGE_SHIFT - 10),
	       get_mm_counter(chosen->mm, MM_SHMEMPAGES) << (PAGE_SHIFT - 10));
#else
	printk(KERN_WARNING "%s invoked oom-killer: gfp_mask=0x%x, order=%u, oomkilladj=0\n", current->comm, gfp_mask, order);
	printk(KERN_ERR "Out of Memory: Kill process %d (%s) score %lu and children.\n", chosen->pid, chosen->comm, chosen_points);
	printk(KERN_ERR "Out of memory: Killed process %d (%s).\n", chosen->pid, chosen->comm);
#endif
	send_sig(SIGKILL, chosen, 1);
	put_task_struct(chosen);
	return 1;
}

void pagefault_out_of_memory(void)
{
	static int warned;	/* pr_warn_ratelimited: once here */

	if (fatal_signal_pending(current))
		return;
	/* The allocator ran the OOM killer; another task is the victim. Retry the fault. */
	if (!warned++)
		printk(KERN_WARNING "Huh VM_FAULT_OOM leaked out to the #PF handler. Retrying PF\n");
}
