/* kernel/irq/manage.c: interrupt lines and their IRQ threads (see <linux/interrupt.h>).
 *
 * __kc_irq_raise is what the machine calls when a device model raises a line (between slices,
 * on CPU 0, as an interrupt entry would): it takes no lock, only counts the interrupt and wakes
 * the line's thread, so it is safe whatever the interrupted tasks hold. The thread consumes the
 * pending count and calls the handler once per interrupt. */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/atomic.h>
#include <linux/sched.h>
#include <linux/kthread.h>
#include <linux/interrupt.h>

struct irq_desc {
	irq_handler_t handler;
	void *dev_id;
	const char *name;
	atomic_t pending;
	unsigned long count;		/* interrupts raised */
	unsigned long unhandled;	/* IRQ_NONE answers */
	struct task_struct *thread;
};

static struct irq_desc irq_desc[NR_IRQS];

static int irq_thread(void *data)
{
	struct irq_desc *desc = data;
	unsigned int irq = (unsigned int)(desc - irq_desc);

	for (;;) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (kthread_should_stop())
			break;
		if (atomic_read(&desc->pending) == 0) {
			schedule();
			continue;
		}
		__set_current_state(TASK_RUNNING);
		atomic_dec(&desc->pending);
		if (desc->handler(irq, desc->dev_id) == IRQ_NONE)
			desc->unhandled++;
	}
	__set_current_state(TASK_RUNNING);
	return 0;
}

int request_irq(unsigned int irq, irq_handler_t handler, unsigned long flags, const char *name, void *dev_id)
{
	struct irq_desc *desc;
	struct task_struct *t;

	(void)flags;
	if (irq >= NR_IRQS || !handler)
		return -EINVAL;
	desc = &irq_desc[irq];
	if (desc->handler)
		return -EBUSY;
	desc->handler = handler;
	desc->dev_id = dev_id;
	desc->name = name;
	atomic_set(&desc->pending, 0);
	t = kthread_run(irq_thread, desc, "irq/%u-%s", irq, name);
	if (IS_ERR(t)) {
		desc->handler = NULL;
		return PTR_ERR(t);
	}
	desc->thread = t;
	return 0;
}

const void *free_irq(unsigned int irq, void *dev_id)
{
	struct irq_desc *desc;
	const char *name;

	if (irq >= NR_IRQS)
		return NULL;
	desc = &irq_desc[irq];
	if (!desc->handler || desc->dev_id != dev_id) {
		WARN(1, "Trying to free already-free IRQ %u\n", irq);
		return NULL;
	}
	kthread_stop(desc->thread);
	name = desc->name;
	desc->handler = NULL;
	desc->thread = NULL;
	desc->dev_id = NULL;
	return name;
}

unsigned long kstat_irqs(unsigned int irq)
{
	return irq < NR_IRQS ? irq_desc[irq].count : 0;
}

/* The machine: device model raised line `irq`. Returns 1 when a thread was woken. */
int __kc_irq_raise(unsigned int irq)
{
	struct irq_desc *desc;

	if (irq >= NR_IRQS)
		return 0;
	desc = &irq_desc[irq];
	desc->count++;
	if (!desc->handler || !desc->thread) {
		desc->unhandled++;
		return 0;
	}
	atomic_inc(&desc->pending);
	return wake_up_process(desc->thread);
}

/* The machine: a timer armed by schedule_timeout expired (the timer softirq's process_timeout). */
void __kc_timer_fire(struct task_struct *p)
{
	wake_up_process(p);
}
