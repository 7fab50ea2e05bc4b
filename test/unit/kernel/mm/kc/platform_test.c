/* A test module for the kernel's driver platform (test/unit/kernel/platform/platform.test.ts):
 * module parameters, kernel threads with completions and wait queues, schedule_timeout on the
 * machine's timers, vmalloc/vfree, ioremap of a device register window, and a threaded IRQ. */
#include <linux/module.h>
#include <linux/errno.h>
#include <linux/kthread.h>
#include <linux/completion.h>
#include <linux/wait.h>
#include <linux/jiffies.h>
#include <linux/vmalloc.h>
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/slab.h>
#include <linux/mm.h>

static int workers = 2;
module_param(workers, int, 0444);
static char *label = "none";
module_param(label, charp, 0444);
int hidden_knob = 5;

/* What the test reads back. */
int init_workers;
char init_label[16];
int trace[32];
int trace_len;
unsigned long woke_at_jiffies;
int stop_result;
int irq_count;
unsigned long vmalloc_checksum;
int vmalloc_distinct_pages;
unsigned int mmio_value;

static DECLARE_COMPLETION(go);
static DECLARE_WAIT_QUEUE_HEAD(queue);
static int flag;
static struct task_struct *looper;
static DECLARE_COMPLETION(irq_seen);

static void note(int event)
{
	if (trace_len < 32)
		trace[trace_len++] = event;
}

static int waiter(void *data)
{
	int id = (int)(long)data;

	note(100 + id);
	wait_for_completion(&go);
	note(200 + id);
	return 0;
}

static int sleeper(void *data)
{
	(void)data;
	note(1);
	schedule_timeout_uninterruptible(3);
	woke_at_jiffies = jiffies;
	note(2);
	flag = 1;
	wake_up(&queue);
	complete_all(&go);
	return 0;
}

static int loop_until_stopped(void *data)
{
	int rounds = 0;

	(void)data;
	while (!kthread_should_stop()) {
		rounds++;
		wait_event_interruptible(queue, flag || kthread_should_stop());
		if (flag)
			break;
	}
	while (!kthread_should_stop()) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (kthread_should_stop())
			break;
		schedule();
	}
	__set_current_state(TASK_RUNNING);
	return 40 + rounds;
}

static irqreturn_t test_irq(int irq, void *dev)
{
	(void)dev;
	irq_count += irq;
	complete(&irq_seen);
	return IRQ_HANDLED;
}

/* kthread_stop sleeps until the looper exits, so it runs on a kernel thread of its own (a machine
 * kernel call may not sleep). */
static int stopper(void *data)
{
	(void)data;
	stop_result = kthread_stop(looper);
	return 0;
}

int platform_test_stop(void)
{
	return PTR_ERR_OR_ZERO(kthread_run(stopper, NULL, "stopper"));
}

int platform_test_vmalloc(void)
{
	unsigned char *buffer = vmalloc(3 * PAGE_SIZE + 100);
	unsigned long pfns[4];
	int i, j;

	if (!buffer)
		return -ENOMEM;
	for (i = 0; i < 3 * PAGE_SIZE + 100; i++)
		buffer[i] = (unsigned char)(i * 7);
	for (i = 0; i < 3 * PAGE_SIZE + 100; i++)
		vmalloc_checksum += buffer[i];
	for (i = 0; i < 4; i++)
		pfns[i] = vmalloc_to_pfn(buffer + i * PAGE_SIZE);
	vmalloc_distinct_pages = 0;
	for (i = 0; i < 4; i++) {
		int seen = 0;

		for (j = 0; j < i; j++)
			if (pfns[j] == pfns[i])
				seen = 1;
		if (!seen && pfns[i])
			vmalloc_distinct_pages++;
	}
	if (!is_vmalloc_addr(buffer))
		return -EINVAL;
	vfree(buffer);
	return 0;
}

/* Reads the device's register at `phys` + 8 through ioremap and writes `value` to its register 0. */
int platform_test_mmio(unsigned long phys, unsigned int value)
{
	void __iomem *regs = ioremap(phys, 4096);

	if (!regs)
		return -ENOMEM;
	writel(value, regs);
	mmio_value = readl(regs + 8);
	iounmap(regs);
	return 0;
}

/* Touches freed vmalloc memory: must fault (an oops), as the guard and the unmapped PTEs make it. */
int platform_test_use_after_vfree(void)
{
	int *p = vmalloc(PAGE_SIZE);

	vfree(p);
	return *p;
}

int platform_test_wait_irq(void)
{
	wait_for_completion(&irq_seen);
	return irq_count;
}

static int __init platform_init(void)
{
	int i;

	init_workers = workers;
	strscpy(init_label, label, sizeof(init_label));
	for (i = 0; i < workers; i++)
		kthread_run(waiter, (void *)(long)i, "waiter/%d", i);
	kthread_run(sleeper, NULL, "sleeper");
	looper = kthread_run(loop_until_stopped, NULL, "looper");
	return request_irq(5, test_irq, 0, "ptest", NULL);
}

module_init(platform_init);
MODULE_LICENSE("GPL");
