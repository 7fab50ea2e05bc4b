/* <linux/interrupt.h>: device interrupts (kernel/irq/manage.c). Every requested line gets an IRQ
 * thread, `irq/N-name` (what request_threaded_irq gives a threaded handler): when the device model
 * raises the line, the machine marks it pending and wakes that thread, which calls the handler.
 * A handler runs in process context on that thread: it may take spinlocks and wake tasks; it
 * should not sleep for long (a real hard-IRQ handler may not sleep at all). */
#ifndef _LINUX_INTERRUPT_H
#define _LINUX_INTERRUPT_H

#include <linux/kernel.h>

#define NR_IRQS 64

enum irqreturn {
	IRQ_NONE = 0,
	IRQ_HANDLED = 1,
	IRQ_WAKE_THREAD = 2,
};
typedef enum irqreturn irqreturn_t;
typedef irqreturn_t (*irq_handler_t)(int irq, void *dev_id);

#define IRQF_SHARED	0x00000080
#define IRQF_ONESHOT	0x00002000

/* 0, -EINVAL (bad line or no handler) or -EBUSY (the line is taken), -ENOMEM. */
int request_irq(unsigned int irq, irq_handler_t handler, unsigned long flags, const char *name, void *dev_id);
/* Stops the line's IRQ thread (after a handler already running returns); returns the name. */
const void *free_irq(unsigned int irq, void *dev_id);
/* Interrupts of the line seen so far (handled or not), as /proc/interrupts counts. */
unsigned long kstat_irqs(unsigned int irq);

#endif /* _LINUX_INTERRUPT_H */
