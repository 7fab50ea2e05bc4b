/* kernel/fork.c: new address spaces, VMAs and tasks.
 *
 * copy_process builds the child task: a task_struct and a kernel stack (THREAD_SIZE, from the page
 * allocator as 2.6 did, before CONFIG_VMAP_STACK), a pid, the address space (shared with CLONE_VM,
 * else duplicated by dup_mmap: every VMA copied and its page tables copied by copy_page_range,
 * which write-protects private pages in both processes for copy-on-write), the file table (shared
 * with CLONE_FILES, else dup_fd), the signal handlers (shared with CLONE_SIGHAND), and its place in
 * the process tree (a thread joins its leader's thread group with CLONE_THREAD). Then
 * __kc_copy_thread asks the machine for the child's CPU thread (what copy_thread does with the
 * child's kernel stack and registers on x86), and wake_up_new_task makes it runnable. */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/string.h>
#include <linux/err.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/gfp.h>
#include <linux/fs.h>
#include <linux/rmap.h>
#include <linux/fdtable.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/spinlock.h>
#include <linux/rwsem.h>
#include <linux/uaccess.h>
#include <asm/tlbflush.h>

/* fs/file.c */
struct files_struct;
struct files_struct *dup_fd(struct files_struct *oldf, int *errorp);
void get_files_struct(struct files_struct *files);
void exit_files(struct task_struct *tsk);
/* mm/mmap.c */
void mmput(struct mm_struct *mm);
/* mm/memory.c: copies the page tables of one VMA for fork (COW for private mappings). */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 10, 0)
int copy_page_range(struct vm_area_struct *dst_vma, struct vm_area_struct *src_vma);
#else
int copy_page_range(struct mm_struct *dst, struct mm_struct *src, struct vm_area_struct *vma);
#endif

#define CLONE_VM		0x00000100
#define CLONE_FS		0x00000200
#define CLONE_FILES		0x00000400
#define CLONE_SIGHAND		0x00000800
#define CLONE_VFORK		0x00004000
#define CLONE_PARENT		0x00008000
#define CLONE_THREAD		0x00010000
#define CLONE_SETTLS		0x00080000
#define CLONE_PARENT_SETTID	0x00100000
#define CLONE_CHILD_CLEARTID	0x00200000
#define CLONE_CHILD_SETTID	0x01000000
#define CSIGNAL			0x000000ff

#define THREAD_SIZE_ORDER 2
#define PID_MAX 32768

#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 8, 0)
#define fork_mmap_write_lock(mm) mmap_write_lock(mm)
#define fork_mmap_write_unlock(mm) mmap_write_unlock(mm)
#define fork_mmap_write_lock_nested(mm) mmap_write_lock_nested(mm, SINGLE_DEPTH_NESTING)
#else
#define fork_mmap_write_lock(mm) down_write(&(mm)->mmap_sem)
#define fork_mmap_write_unlock(mm) up_write(&(mm)->mmap_sem)
#define fork_mmap_write_lock_nested(mm) down_write_nested(&(mm)->mmap_sem, SINGLE_DEPTH_NESTING)
#endif

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

/* Copies the parent's VMAs and page tables into the empty mm (kernel/fork.c dup_mmap). */
static int dup_mmap(struct mm_struct *mm, struct mm_struct *oldmm)
{
	struct vm_area_struct *mpnt;
	struct vm_area_struct **pprev = &mm->mmap;
	int retval = 0;

	fork_mmap_write_lock(oldmm);
	fork_mmap_write_lock_nested(mm);
	mm->total_vm = oldmm->total_vm;
	mm->locked_vm = oldmm->locked_vm;
	mm->shared_vm = oldmm->shared_vm;
	mm->exec_vm = oldmm->exec_vm;
	mm->stack_vm = oldmm->stack_vm;
	mm->mmap_base = oldmm->mmap_base;
	mm->free_area_cache = oldmm->free_area_cache;
	mm->start_code = oldmm->start_code;
	mm->end_code = oldmm->end_code;
	mm->start_data = oldmm->start_data;
	mm->end_data = oldmm->end_data;
	mm->start_brk = oldmm->start_brk;
	mm->brk = oldmm->brk;
	mm->start_stack = oldmm->start_stack;
	mm->arg_start = oldmm->arg_start;
	mm->arg_end = oldmm->arg_end;
	mm->env_start = oldmm->env_start;
	mm->env_end = oldmm->env_end;
	for (mpnt = oldmm->mmap; mpnt; mpnt = mpnt->vm_next) {
		struct vm_area_struct *tmp;

		if (mpnt->vm_flags & VM_DONTCOPY)
			continue;
		tmp = vm_area_dup(mpnt);
		if (!tmp) {
			retval = -ENOMEM;
			break;
		}
		tmp->vm_mm = mm;
		/* The child VMA joins the parent's anon_vma family before its pages are shared with it. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 10, 0)
		if (anon_vma_fork(tmp, mpnt)) {
			vm_area_free(tmp);
			retval = -ENOMEM;
			break;
		}
#else
		anon_vma_link(tmp);
#endif
		if (tmp->vm_file) {
			struct address_space *mapping = tmp->vm_file->f_mapping;

			get_file(tmp->vm_file);
			i_mmap_lock_write(mapping);
			if (tmp->vm_flags & VM_SHARED)
				mapping->i_mmap_writable++;
			/* Next to the parent's VMA in i_mmap, as vma_interval_tree_insert_after does. */
			list_add(&tmp->shared, &mpnt->shared);
			i_mmap_unlock_write(mapping);
		}
		*pprev = tmp;
		pprev = &tmp->vm_next;
		mm->map_count++;
		if (tmp->vm_ops && tmp->vm_ops->open)
			tmp->vm_ops->open(tmp);
#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 10, 0)
		retval = copy_page_range(tmp, mpnt);
#else
		retval = copy_page_range(mm, oldmm, mpnt);
#endif
		if (retval)
			break;
	}
	/* The parent's private pages are now write-protected: its stale writable TLB entries must go. */
	flush_tlb_mm(oldmm);
	fork_mmap_write_unlock(mm);
	fork_mmap_write_unlock(oldmm);
	return retval;
}

static struct mm_struct *dup_mm(struct task_struct *tsk, struct mm_struct *oldmm)
{
	struct mm_struct *mm = mm_alloc();

	if (!mm)
		return NULL;
	if (dup_mmap(mm, oldmm)) {
		mmput(mm);
		return NULL;
	}
	return mm;
}

/* The last pid handed out; pids are allocated upward and wrap, skipping pids in use. */
static pid_t last_pid;

static pid_t alloc_pid(void)
{
	int tries;

	for (tries = 0; tries < PID_MAX; tries++) {
		last_pid++;
		if (last_pid >= PID_MAX)
			last_pid = 2;
		if (!find_task_by_vpid(last_pid))
			return last_pid;
	}
	return -EAGAIN;
}

DEFINE_SPINLOCK(tasklist_lock);

/* alloc_pid for the other task creators (kernel/kthread.c). */
pid_t __kc_alloc_pid(void)
{
	return alloc_pid();
}

static struct task_struct *copy_process(unsigned long clone_flags, unsigned long stack_start, int __user *parent_tidptr, int __user *child_tidptr, unsigned long tls)
{
	struct task_struct *p;
	pid_t pid;
	int retval;

	if ((clone_flags & CLONE_THREAD) && !(clone_flags & CLONE_SIGHAND))
		return ERR_PTR(-EINVAL);
	if ((clone_flags & CLONE_SIGHAND) && !(clone_flags & CLONE_VM))
		return ERR_PTR(-EINVAL);
	pid = alloc_pid();
	if (pid < 0)
		return ERR_PTR(pid);
	p = kmalloc(sizeof(*p), GFP_KERNEL);
	if (!p)
		return ERR_PTR(-ENOMEM);
	*p = *current;
	p->stack = (void *)__get_free_pages(GFP_KERNEL, THREAD_SIZE_ORDER);
	if (!p->stack) {
		kfree(p);
		return ERR_PTR(-ENOMEM);
	}
	atomic_set(&p->usage, 2);
	p->__state = TASK_RUNNING;
	p->flags &= ~(PF_EXITING | PF_KTHREAD);
	p->on_cpu = -1;
	p->exit_state = 0;
	p->exit_code = 0;
	p->pid = pid;
	p->ptrace = 0;
	p->ptrace_parent = NULL;
	INIT_LIST_HEAD(&p->children);
	INIT_LIST_HEAD(&p->sibling);
	INIT_LIST_HEAD(&p->thread_group);
	INIT_LIST_HEAD(&p->tasks);
	init_sigpending(&p->pending);
	p->set_child_tid = (clone_flags & CLONE_CHILD_SETTID) ? (unsigned long)child_tidptr : 0;
	p->clear_child_tid = (clone_flags & CLONE_CHILD_CLEARTID) ? (unsigned long)child_tidptr : 0;

	/* The address space. */
	retval = -ENOMEM;
	if (current->mm) {
		if (clone_flags & CLONE_VM) {
			atomic_inc(&current->mm->mm_users);
			p->mm = current->mm;
		} else {
			p->mm = dup_mm(p, current->mm);
			if (!p->mm)
				goto bad_free_stack;
		}
		p->active_mm = p->mm;
	}
	/* Files. */
	if (current->files) {
		if (clone_flags & CLONE_FILES) {
			get_files_struct(current->files);
		} else {
			p->files = dup_fd(current->files, &retval);
			if (!p->files)
				goto bad_put_mm;
		}
	}
	/* Signal handlers and the thread group's signal state. */
	if (clone_flags & CLONE_SIGHAND) {
		atomic_inc(&current->sighand->count);
	} else {
		p->sighand = alloc_sighand();
		if (!p->sighand)
			goto bad_put_files;
		memcpy(p->sighand->action, current->sighand->action, sizeof(p->sighand->action));
	}
	if (clone_flags & CLONE_THREAD) {
		atomic_inc(&current->signal->live);
	} else {
		p->signal = alloc_signal();
		if (!p->signal)
			goto bad_put_sighand;
	}

	/* The process tree (under tasklist_lock, and the group's siglock for thread_group). */
	spin_lock(&tasklist_lock);
	if (clone_flags & CLONE_THREAD) {
		p->exit_signal = -1;
		p->group_leader = current->group_leader;
		p->tgid = current->tgid;
		spin_lock(&current->sighand->siglock);
		list_add_tail(&p->thread_group, &p->group_leader->thread_group);
		spin_unlock(&current->sighand->siglock);
	} else {
		p->exit_signal = clone_flags & CSIGNAL;
		p->group_leader = p;
		p->tgid = p->pid;
	}
	if (clone_flags & (CLONE_PARENT | CLONE_THREAD)) {
		p->real_parent = current->real_parent;
	} else {
		p->real_parent = current;
	}
	p->parent = p->real_parent;
	if (thread_group_leader(p))
		list_add_tail(&p->sibling, &p->real_parent->children);
	list_add_tail(&p->tasks, &init_task.tasks);
	spin_unlock(&tasklist_lock);

	retval = __kc_copy_thread(p, clone_flags, stack_start, tls);
	if (retval)
		goto bad_unlink;
	if (clone_flags & CLONE_PARENT_SETTID)
		put_user(pid, parent_tidptr);
	if (p->set_child_tid)
		put_user(pid, (int __user *)p->set_child_tid);
	return p;

bad_unlink:
	spin_lock(&tasklist_lock);
	list_del(&p->tasks);
	if (thread_group_leader(p)) {
		list_del(&p->sibling);
	} else {
		spin_lock(&current->sighand->siglock);
		list_del(&p->thread_group);
		spin_unlock(&current->sighand->siglock);
	}
	spin_unlock(&tasklist_lock);
	if (clone_flags & CLONE_THREAD)
		atomic_dec(&current->signal->live);
	else
		kfree(p->signal);
bad_put_sighand:
	if (clone_flags & CLONE_SIGHAND)
		atomic_dec(&current->sighand->count);
	else
		kfree(p->sighand);
bad_put_files:
	if (p->files)
		exit_files(p);
bad_put_mm:
	if (p->mm)
		mmput(p->mm);
bad_free_stack:
	free_pages((unsigned long)p->stack, THREAD_SIZE_ORDER);
	kfree(p);
	return ERR_PTR(retval);
}

pid_t kernel_clone(unsigned long clone_flags, unsigned long stack, int __user *parent_tid, int __user *child_tid, unsigned long tls)
{
	struct task_struct *p = copy_process(clone_flags, stack, parent_tid, child_tid, tls);

	if (IS_ERR(p))
		return PTR_ERR(p);
	/* wake_up_new_task: the machine made the thread runnable in __kc_copy_thread. */
	return p->pid;
}

long sys_fork(void)
{
	return kernel_clone(SIGCHLD, 0, NULL, NULL, 0);
}

long sys_vfork(void)
{
	/* No CLONE_VFORK wait: the parent runs on, as fork. */
	return kernel_clone(SIGCHLD, 0, NULL, NULL, 0);
}

long sys_clone(unsigned long clone_flags, unsigned long newsp, int __user *parent_tidptr, int __user *child_tidptr, unsigned long tls)
{
	return kernel_clone(clone_flags, newsp, parent_tidptr, child_tidptr, tls);
}

long sys_set_tid_address(int __user *tidptr)
{
	current->clear_child_tid = (unsigned long)tidptr;
	return current->pid;
}

/* The first user process (pid 1): a fresh task with an empty mm, its own signal state and file
 * table `files` (the machine's console setup), a child of init_task, which reaps it (and every
 * orphan) as soon as it dies: init_task has no signal handlers, so do_notify_parent autoreaps.
 * Returns it, or NULL. */
struct task_struct *create_user_process(const char *comm, struct files_struct *files)
{
	struct task_struct *p = kzalloc(sizeof(*p), GFP_KERNEL);
	pid_t pid = alloc_pid();
	int i;

	if (!p || pid < 0)
		return NULL;
	p->stack = (void *)__get_free_pages(GFP_KERNEL, THREAD_SIZE_ORDER);
	p->mm = mm_alloc();
	p->sighand = alloc_sighand();
	p->signal = alloc_signal();
	if (!p->stack || !p->mm || !p->sighand || !p->signal)
		return NULL;
	atomic_set(&p->usage, 2);
	p->__state = TASK_RUNNING;
	p->on_cpu = -1;
	p->pid = pid;
	p->tgid = pid;
	p->exit_signal = SIGCHLD;
	p->group_leader = p;
	p->active_mm = p->mm;
	p->files = files;
	INIT_LIST_HEAD(&p->children);
	INIT_LIST_HEAD(&p->sibling);
	INIT_LIST_HEAD(&p->thread_group);
	INIT_LIST_HEAD(&p->tasks);
	init_sigpending(&p->pending);
	for (i = 0; comm && i < TASK_COMM_LEN - 1 && comm[i]; i++)
		p->comm[i] = comm[i];
	p->real_parent = &init_task;
	p->parent = &init_task;
	spin_lock(&tasklist_lock);
	list_add_tail(&p->sibling, &init_task.children);
	list_add_tail(&p->tasks, &init_task.tasks);
	spin_unlock(&tasklist_lock);
	return p;
}
