/* kernel/sim_harness.c: the simulator-control functions of scenario harness tasks that belong to
 * the kernel itself (the drivers define the others: see src/kernel/devices/registry.ts). A harness
 * task is a kernel thread that calls them, so they run as any kernel code does and can be stepped. */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>

/* Sends `sig` to the task with thread id `pid`, as kill(2) from the kernel would. */
long sim_signal(int pid, int sig)
{
	struct task_struct *p = find_task_by_vpid(pid);

	if (!p)
		return -ESRCH;
	return send_sig(sig, p, 1);
}

/* Writes `text` to the kernel log. */
long sim_log(const char *text)
{
	printk(KERN_INFO "%s\n", text);
	return 0;
}
