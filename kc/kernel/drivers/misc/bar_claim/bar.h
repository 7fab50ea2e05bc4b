/* drivers/misc/bar_claim/bar.h: the simulated PCI functions' memory BARs (bar_bus.c).
 *
 * bar_bus_scan() is what the PCI core does at boot: read each function's BAR from config space
 * (here the device model's __bar_* builtins) and insert it into iomem_resource as a resource that
 * is not busy, named by its bus address. Drivers then find a BAR by the name the scenario gave its
 * MMIO window and claim it with request_mem_region. */
#ifndef _DRIVERS_MISC_BAR_H
#define _DRIVERS_MISC_BAR_H

#include <linux/types.h>
#include <linux/ioport.h>

#define BAR_MAX 8
#define BAR_NAME_LEN 32

/* BAR registers (src/kernel/devices/bar/model.ts). */
#define BAR_REG_ID 0x00
#define BAR_REG_SCRATCH 0x04
#define BAR_REG_COUNTER 0x08
#define BAR_REG_OWNER 0x0c

struct bar_dev {
	int index;
	char name[BAR_NAME_LEN];	/* the scenario's MMIO window name: "bar0" */
	char bus_id[16];		/* "0000:00:03.0" */
	struct resource res;		/* in iomem_resource, not busy */
};

/* Enumerates the BARs (once): the number found. */
int bar_bus_scan(void);
/* The BAR whose window is called `name`, or NULL. */
struct bar_dev *bar_lookup(const char *name);

#endif /* _DRIVERS_MISC_BAR_H */
