/* kernel/ptrace.c: ptrace(2) (attach, detach, PEEK/POKE of the tracee's memory) and
 * access_process_vm, the copy between a kernel buffer and another process's memory that PEEK/POKE
 * and /proc/PID/mem use.
 *
 * access_process_vm lives here in 2.6.18 (kernel/ptrace.c); 2.6.27 moved it to mm/memory.c, and
 * 6.8 has it there as access_process_vm -> __access_remote_vm. Faultline keeps it here in every
 * era. It pins one page at a time with get_user_pages (mm/gup.c, with force: a debugger may read
 * a mapping the program may not) and copies through the kernel's direct map (kmap: there is no
 * highmem); when GUP refuses the page (VM_IO|VM_PFNMAP), 2.6.27+ hands the whole remaining length
 * to the VMA's vm_ops->access (kernel-semantics.md 2.4, and 3.3 for why: spufs local store). A
 * short copy makes PEEK/POKE fail with -EIO (kernel-semantics.md section 9).
 *
 * Tracing, simplified (no signal is sent): PTRACE_ATTACH makes current the tracee's tracer and
 * stops the tracee at once by setting its state to __TASK_TRACED (Linux sends SIGSTOP and the
 * tracee stops itself when it takes the signal; the machine's scheduler does not run a task that
 * is not TASK_RUNNING, so the effect a tracer sees is the same: a stopped tracee). PTRACE_DETACH
 * and PTRACE_CONT make it TASK_RUNNING again (wake_up_process); the signal in `data` is checked
 * but not delivered. Tasks are found by walking init_task.tasks. There are no credentials, so
 * every permission check is the same-uid, dumpable case. */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/err.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/ptrace.h>
#include <linux/rwsem.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <asm/page.h>

#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 8, 0)
#define ptrace_mmap_read_lock(mm) mmap_read_lock(mm)
#define ptrace_mmap_read_unlock(mm) mmap_read_unlock(mm)
#else
#define ptrace_mmap_read_lock(mm) down_read(&(mm)->mmap_sem)
#define ptrace_mmap_read_unlock(mm) up_read(&(mm)->mmap_sem)
#endif

/* No highmem on x86-64: every page is in the direct map. */
#define ptrace_kmap(page) page_address(page)
/* copy_{to,from}_user_page: x86 needs no cache maintenance around the copy. */
#define ptrace_copy_page(dst, src, len) memcpy((dst), (src), (len))

#define _NSIG 64
#define valid_signal(sig) ((unsigned long)(sig) <= _NSIG)

/*
 * get_task_mm (kernel/fork.c): the task's address space with an mm_users reference, or NULL (a
 * kernel thread's borrowed mm, or an mm already being torn down). Linux reads task->mm under
 * task_lock; here exit_mm's store of NULL is one statement, which no other CPU interleaves.
 */
static struct mm_struct *ptrace_get_task_mm(struct task_struct *task)
{
	struct mm_struct *mm = task->mm;

	if (!mm)
		return NULL;
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 27)
	/* 6.8 (and, as PF_BORROWED_MM, 2.6): a kernel thread's mm is not its own. */
	if (task->flags & PF_KTHREAD)
		return NULL;
#endif
	if (!atomic_inc_not_zero(&mm->mm_users))
		return NULL;
	return mm;
}

#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 27)
bool ptrace_may_access(struct task_struct *task, unsigned int mode)
{
	(void)task;
	(void)mode;
	return true;
}
#else
int ptrace_may_attach(struct task_struct *task)
{
	(void)task;
	return 1;
}
#endif

/* ---- access_process_vm ---- */

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 5, 0)

/* The VMA that contains `addr`, or NULL. */
static struct vm_area_struct *ptrace_vma_lookup(struct mm_struct *mm, unsigned long addr)
{
	struct vm_area_struct *vma = find_vma(mm, addr);

	if (vma && addr < vma->vm_start)
		vma = NULL;
	return vma;
}

/* One page of `mm` at `addr`, referenced, and its VMA; or an ERR_PTR (6.8 <linux/mm.h>). */
static struct page *get_user_page_vma_remote(struct mm_struct *mm, unsigned long addr, int gup_flags,
	struct vm_area_struct **vmap)
{
	struct page *page;
	struct vm_area_struct *vma;
	long got = get_user_pages_remote(mm, addr, 1, gup_flags, &page, NULL);

	if (got < 0)
		return ERR_PTR(got);
	if (got == 0)
		return ERR_PTR(-EFAULT);
	vma = ptrace_vma_lookup(mm, addr);
	if (WARN_ON_ONCE(!vma)) {
		put_page(page);
		return ERR_PTR(-EINVAL);
	}
	*vmap = vma;
	return page;
}

/* 6.8 mm/memory.c __access_remote_vm. */
static int __access_remote_vm(struct mm_struct *mm, unsigned long addr, void *buf, int len, unsigned int gup_flags)
{
	void *old_buf = buf;
	int write = gup_flags & FOLL_WRITE;

	if (mmap_read_lock_killable(mm))
		return 0;
	/* (6.8 would try to grow a stack VMA here: not modelled.) */
	if (!ptrace_vma_lookup(mm, addr)) {
		mmap_read_unlock(mm);
		return 0;
	}
	/* ignore errors, just check how much was successfully transferred */
	while (len) {
		int bytes, offset;
		void *maddr;
		struct vm_area_struct *vma = NULL;
		struct page *page = get_user_page_vma_remote(mm, addr, gup_flags, &vma);

		if (IS_ERR(page)) {
			vma = ptrace_vma_lookup(mm, addr);
			if (!vma)
				break;
			/* A VM_IO | VM_PFNMAP VMA: the driver may know how to reach it. */
			bytes = 0;
			if (vma->vm_ops && vma->vm_ops->access)
				bytes = vma->vm_ops->access(vma, addr, buf, len, write);
			if (bytes <= 0)
				break;
		} else {
			bytes = len;
			offset = addr & (PAGE_SIZE - 1);
			if (bytes > PAGE_SIZE - offset)
				bytes = PAGE_SIZE - offset;
			maddr = ptrace_kmap(page);
			if (write) {
				ptrace_copy_page(maddr + offset, buf, bytes);
				SetPageDirty(page);	/* set_page_dirty_lock */
			} else {
				ptrace_copy_page(buf, maddr + offset, bytes);
			}
			put_page(page);
		}
		len -= bytes;
		buf += bytes;
		addr += bytes;
	}
	mmap_read_unlock(mm);
	return buf - old_buf;
}

int access_process_vm(struct task_struct *tsk, unsigned long addr, void *buf, int len, unsigned int gup_flags)
{
	struct mm_struct *mm = ptrace_get_task_mm(tsk);
	int ret;

	if (!mm)
		return 0;
	ret = __access_remote_vm(mm, addr, buf, len, gup_flags);
	mmput(mm);
	return ret;
}

int ptrace_access_vm(struct task_struct *tsk, unsigned long addr, void *buf, int len, unsigned int gup_flags)
{
	struct mm_struct *mm = ptrace_get_task_mm(tsk);
	int ret;

	if (!mm)
		return 0;
	if (!tsk->ptrace || current != tsk->ptrace_parent) {
		mmput(mm);
		return 0;
	}
	ret = __access_remote_vm(mm, addr, buf, len, gup_flags);
	mmput(mm);
	return ret;
}

#else /* 2.6 */

int access_process_vm(struct task_struct *tsk, unsigned long addr, void *buf, int len, int write)
{
	struct mm_struct *mm;
	struct vm_area_struct *vma;
	void *old_buf = buf;

	mm = ptrace_get_task_mm(tsk);
	if (!mm)
		return 0;

	ptrace_mmap_read_lock(mm);
	/* ignore errors, just check how much was successfully transferred */
	while (len) {
		int bytes, ret, offset;
		void *maddr;
		struct page *page = NULL;

		ret = get_user_pages(tsk, mm, addr, 1, write, 1, &page, &vma);
		if (ret <= 0) {
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 27)
			/*
			 * Check if this is a VM_IO | VM_PFNMAP VMA, which we can access using slightly
			 * different code. (2.6.27 uses find_vma: an address in a hole reaches the
			 * VMA above it, with the whole remaining length.)
			 */
			vma = find_vma(mm, addr);
			if (!vma)
				break;
			if (vma->vm_ops && vma->vm_ops->access)
				ret = vma->vm_ops->access(vma, addr, buf, len, write);
			if (ret <= 0)
				break;
			bytes = ret;
#else
			/* No vm_ops fallback before 2.6.27: a VM_IO mapping cannot be read. */
			break;
#endif
		} else {
			bytes = len;
			offset = addr & (PAGE_SIZE - 1);
			if (bytes > PAGE_SIZE - offset)
				bytes = PAGE_SIZE - offset;
			// @point: peek-copy (2.6 access_process_vm: GUP gave the page, the copy is next; scenario spu-stale-ptrace switches SPU contexts here)
			maddr = ptrace_kmap(page);
			if (write) {
				ptrace_copy_page(maddr + offset, buf, bytes);
				SetPageDirty(page);	/* set_page_dirty_lock */
			} else {
				ptrace_copy_page(buf, maddr + offset, bytes);
			}
			put_page(page);	/* page_cache_release */
		}
		len -= bytes;
		buf += bytes;
		addr += bytes;
	}
	ptrace_mmap_read_unlock(mm);
	mmput(mm);
	return buf - old_buf;
}

#endif

/* ---- ptrace(2) ---- */

int generic_ptrace_peekdata(struct task_struct *tsk, unsigned long addr, unsigned long data)
{
	unsigned long tmp;
	int copied;

#if LINUX_VERSION_CODE >= KERNEL_VERSION(4, 9, 0)
	copied = ptrace_access_vm(tsk, addr, &tmp, sizeof(tmp), FOLL_FORCE);
#else
	copied = access_process_vm(tsk, addr, &tmp, sizeof(tmp), 0);
#endif
	if (copied != sizeof(tmp))
		return -EIO;
	return put_user(tmp, (unsigned long __user *)data);
}

int generic_ptrace_pokedata(struct task_struct *tsk, unsigned long addr, unsigned long data)
{
	int copied;

#if LINUX_VERSION_CODE >= KERNEL_VERSION(4, 9, 0)
	copied = ptrace_access_vm(tsk, addr, &data, sizeof(data), FOLL_FORCE | FOLL_WRITE);
#else
	copied = access_process_vm(tsk, addr, &data, sizeof(data), 1);
#endif
	return (copied == sizeof(data)) ? 0 : -EIO;
}

/* find_task_by_vpid: the live task with thread id `pid`, from the list of every task. */
static struct task_struct *ptrace_find_task(pid_t pid)
{
	if (init_task.pid == pid)
		return &init_task;
	return find_task_by_vpid(pid);
}

static int ptrace_traceme(void)
{
	int ret = -EPERM;

	/* Are we already being traced? */
	if (!current->ptrace) {
		current->ptrace = PT_PTRACED;
		current->ptrace_parent = current->real_parent;
		ret = 0;
	}
	return ret;
}

static int ptrace_attach(struct task_struct *task)
{
	int retval = -EPERM;

#if LINUX_VERSION_CODE < KERNEL_VERSION(2, 6, 26)
	/* 2.6.18: init (and the idle task) may not be traced. */
	if (task->pid <= 1)
		goto out;
#endif
	/* Kernel threads have no user state to trace (2.6: no mm). */
	if (task->flags & PF_KTHREAD)
		goto out;
	if (task->tgid == current->tgid)
		goto out;
	if (!task->mm)
		goto out;
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 27)
	if (!ptrace_may_access(task, PTRACE_MODE_ATTACH))
		goto out;
#else
	if (!ptrace_may_attach(task))
		goto out;
#endif
	/* the same process cannot be attached many times */
	if (task->ptrace)
		goto out;
	if (task->exit_state)
		goto out;

	task->ptrace = PT_PTRACED;
	task->ptrace_parent = current;
	/* The tracee stops when it takes this SIGSTOP (get_signal -> ptrace_signal), and the tracer's
	 * wait4 then reports it stopped by SIGSTOP. */
	send_sig(SIGSTOP, task, 1);
	retval = 0;
out:
	return retval;
}

/* Is `child` traced by current and stopped (or may it be anyway: `ignore_state`)? 0 or -ESRCH. */
static int ptrace_check_attach(struct task_struct *child, bool ignore_state)
{
	if (!(child->ptrace & PT_PTRACED) || child->ptrace_parent != current)
		return -ESRCH;
	if (child->exit_state)
		return -ESRCH;
	/* Requests other than PTRACE_KILL need the tracee stopped in ptrace_stop. */
	if (!ignore_state && !(child->__state & __TASK_TRACED))
		return -ESRCH;
	return 0;
}

static int ptrace_detach(struct task_struct *child, unsigned long data)
{
	if (!valid_signal(data))
		return -EIO;
	child->ptrace = 0;
	child->ptrace_parent = NULL;
	/* .. and wake it up, delivering the signal in `data` (0: none). */
	child->exit_code = data;
	if ((child->__state & __TASK_TRACED) && !child->exit_state)
		wake_up_process(child);
	return 0;
}

static int ptrace_resume(struct task_struct *child, unsigned long data)
{
	if (!valid_signal(data))
		return -EIO;
	/* The tracee resumes from ptrace_stop with `data` as the signal to deliver (0: none). */
	child->exit_code = data;
	wake_up_process(child);
	return 0;
}

/*
 * ptrace_signal (kernel/signal.c, called by get_signal for a traced task): the tracee stops in
 * TASK_TRACED with the signal in exit_code, its tracer is woken (wait4 reports the stop as
 * (sig << 8) | 0x7f), and when PTRACE_CONT or PTRACE_DETACH wakes it, the signal the tracer passed
 * is the one to deliver (0: none). SIGKILL wakes a traced task (TASK_WAKEKILL).
 */
int ptrace_signal(int signr)
{
	struct task_struct *tracer = current->ptrace_parent;

	current->exit_code = signr;
	set_current_state(__TASK_TRACED | TASK_WAKEKILL);
	if (tracer)
		wake_up_process(tracer);
	schedule();
	__set_current_state(TASK_RUNNING);
	signr = current->exit_code;
	current->exit_code = 0;
	if (fatal_signal_pending(current))
		return 0;
	return signr;
}

/* exit_ptrace: a dying tracer lets its tracees go (they resume, no signal). */
void exit_ptrace(struct task_struct *tracer)
{
	struct task_struct *p;

	spin_lock(&tasklist_lock);
	list_for_each_entry(p, &init_task.tasks, tasks) {
		if (p->ptrace_parent != tracer)
			continue;
		p->ptrace = 0;
		p->ptrace_parent = NULL;
		if ((p->__state & __TASK_TRACED) && !p->exit_state) {
			p->exit_code = 0;
			wake_up_process(p);
		}
	}
	spin_unlock(&tasklist_lock);
}

/* arch_ptrace + ptrace_request for the requests Faultline simulates; -EIO for the others. */
static long arch_ptrace(struct task_struct *child, long request, unsigned long addr, unsigned long data)
{
	switch (request) {
	/* when I and D space are separate, these will need to be fixed. */
	case PTRACE_PEEKTEXT:
	case PTRACE_PEEKDATA:
		return generic_ptrace_peekdata(child, addr, data);
	case PTRACE_POKETEXT:
	case PTRACE_POKEDATA:
		return generic_ptrace_pokedata(child, addr, data);
	case PTRACE_CONT:
		return ptrace_resume(child, data);
	case PTRACE_DETACH:
		return ptrace_detach(child, data);
	default:
		return -EIO;
	}
}

long sys_ptrace(long request, long pid, unsigned long addr, unsigned long data)
{
	struct task_struct *child;
	long ret;

	if (request == PTRACE_TRACEME)
		return ptrace_traceme();

#if LINUX_VERSION_CODE < KERNEL_VERSION(2, 6, 26)
	/* Tracing init is not allowed (ptrace_get_task_struct). */
	if (pid == 1)
		return -EPERM;
#endif
	child = ptrace_find_task((pid_t)pid);
	if (!child)
		return -ESRCH;
	get_task_struct(child);
	if (request == PTRACE_ATTACH) {
		ret = ptrace_attach(child);
		goto out_put_task_struct;
	}
	ret = ptrace_check_attach(child, request == PTRACE_KILL);
	if (ret < 0)
		goto out_put_task_struct;
	ret = arch_ptrace(child, request, addr, data);
out_put_task_struct:
	put_task_struct(child);
	return ret;
}
