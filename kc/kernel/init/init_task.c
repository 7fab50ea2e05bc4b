/* init/init_task.c: the first task, "swapper" (pid 0). The boot CPU runs start_kernel as this task,
 * and every CPU's idle thread is it; `current` is &init_task on a thread the machine has not given
 * a task of its own (src/kernel/proc). It has no user address space of its own: active_mm is
 * init_mm. Tests and scenarios built before exec exist give it an mm (boot_test_new_mm). */
#include <linux/kernel.h>
#include <linux/sched.h>
#include <linux/mm_types.h>

extern struct mm_struct init_mm;

struct task_struct init_task = {
	.__state = TASK_RUNNING,
	.flags = PF_KTHREAD,
	.on_cpu = 0,
	.exit_signal = 17,
	.pid = 0,
	.tgid = 0,
	.real_parent = &init_task,
	.parent = &init_task,
	.children = LIST_HEAD_INIT(init_task.children),
	.sibling = LIST_HEAD_INIT(init_task.sibling),
	.group_leader = &init_task,
	.thread_group = LIST_HEAD_INIT(init_task.thread_group),
	.tasks = LIST_HEAD_INIT(init_task.tasks),
	.mm = NULL,
	.active_mm = &init_mm,
	.pending = { .list = LIST_HEAD_INIT(init_task.pending.list) },
	.comm = "swapper",
	.usage = ATOMIC_INIT(2),
};
