/* kernel/kthread.c: kernel threads.
 *
 * __kthread_create builds the task the way kthreadd's create_kthread does: no mm (active_mm is
 * init_mm), PF_KTHREAD, a child of init_task (which reaps it at exit), and a struct kthread in
 * task->worker_private. The machine gives it a CPU thread that starts in kthread() below (the
 * builtin __kc_kthread_thread, what copy_thread does for a kernel thread). The new task is asleep
 * (TASK_UNINTERRUPTIBLE) until wake_up_process: its first act is schedule().
 *
 * Lifetime: struct kthread lives as long as the task_struct (__put_task_struct frees it);
 * kthread_stop holds a task reference while it waits, so the result can be read after the exit. */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/slab.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/completion.h>
#include <linux/kthread.h>

#define THREAD_SIZE_ORDER 2	/* 16 KiB kernel stacks, as kernel/fork.c */

#define KTHREAD_SHOULD_STOP	0x1
#define KTHREAD_STARTED		0x2

struct kthread {
	int (*threadfn)(void *data);
	void *data;
	unsigned long flags;
	int result;
	struct completion exited;
};

/* The machine creates the CPU thread of kernel thread `p`, starting at `entry(arg)` in kernel mode. */
int __kc_kthread_thread(struct task_struct *p, int (*entry)(void *), void *arg);
pid_t __kc_alloc_pid(void);

static struct kthread *to_kthread(struct task_struct *k)
{
	return (k->flags & PF_KTHREAD) ? k->worker_private : NULL;
}

void kthread_exit(long result)
{
	struct kthread *self = to_kthread(current);

	if (self) {
		self->result = (int)result;
		complete_all(&self->exited);
	}
	do_exit(0);
}

/* Every kernel thread starts here. */
static int kthread(void *arg)
{
	struct kthread *self = arg;
	int ret = -EINTR;

	/* Created asleep: run only once woken (kthread_run, wake_up_process or kthread_stop). */
	schedule();
	if (!(self->flags & KTHREAD_SHOULD_STOP)) {
		self->flags |= KTHREAD_STARTED;
		ret = self->threadfn(self->data);
	}
	kthread_exit(ret);
	return 0;
}

struct task_struct *__kthread_create(int (*threadfn)(void *data), void *data, const char *name)
{
	struct kthread *self = kzalloc(sizeof(*self), GFP_KERNEL);
	struct task_struct *p = kzalloc(sizeof(*p), GFP_KERNEL);
	pid_t pid;
	int i;

	if (!self || !p)
		goto nomem;
	p->stack = (void *)__get_free_pages(GFP_KERNEL, THREAD_SIZE_ORDER);
	p->sighand = alloc_sighand();
	p->signal = alloc_signal();
	if (!p->stack || !p->sighand || !p->signal)
		goto nomem;
	pid = __kc_alloc_pid();
	if (pid < 0)
		goto nomem;
	self->threadfn = threadfn;
	self->data = data;
	init_completion(&self->exited);
	atomic_set(&p->usage, 2);
	p->__state = TASK_UNINTERRUPTIBLE;
	p->flags = PF_KTHREAD;
	p->on_cpu = -1;
	p->pid = pid;
	p->tgid = pid;
	p->exit_signal = SIGCHLD;
	p->group_leader = p;
	p->mm = NULL;
	p->active_mm = &init_mm;
	p->worker_private = self;
	INIT_LIST_HEAD(&p->children);
	INIT_LIST_HEAD(&p->sibling);
	INIT_LIST_HEAD(&p->thread_group);
	INIT_LIST_HEAD(&p->tasks);
	init_sigpending(&p->pending);
	for (i = 0; name && i < TASK_COMM_LEN - 1 && name[i]; i++)
		p->comm[i] = name[i];
	p->real_parent = &init_task;
	p->parent = &init_task;
	spin_lock(&tasklist_lock);
	list_add_tail(&p->sibling, &init_task.children);
	list_add_tail(&p->tasks, &init_task.tasks);
	spin_unlock(&tasklist_lock);
	if (__kc_kthread_thread(p, kthread, self)) {
		spin_lock(&tasklist_lock);
		list_del(&p->tasks);
		list_del(&p->sibling);
		spin_unlock(&tasklist_lock);
		goto nomem;
	}
	return p;

nomem:
	if (p) {
		if (p->stack)
			free_pages((unsigned long)p->stack, THREAD_SIZE_ORDER);
		kfree(p->sighand);
		kfree(p->signal);
		kfree(p);
	}
	kfree(self);
	return ERR_PTR(-ENOMEM);
}

int kthread_should_stop(void)
{
	struct kthread *self = to_kthread(current);

	return self && (self->flags & KTHREAD_SHOULD_STOP);
}

void *kthread_data(struct task_struct *k)
{
	struct kthread *self = to_kthread(k);

	return self ? self->data : NULL;
}

int kthread_stop(struct task_struct *k)
{
	struct kthread *self = to_kthread(k);
	int ret;

	if (!self)
		return -EINVAL;
	get_task_struct(k);
	self->flags |= KTHREAD_SHOULD_STOP;
	wake_up_process(k);
	wait_for_completion(&self->exited);
	ret = self->result;
	put_task_struct(k);
	return ret;
}
