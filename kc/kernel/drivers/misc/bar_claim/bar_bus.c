/* drivers/misc/bar_claim/bar_bus.c: enumeration of the simulated PCI functions' BARs (see bar.h).
 *
 * The device model (src/kernel/devices/bar/model.ts) answers the config-space reads through its
 * builtins; each BAR becomes a non-busy IORESOURCE_MEM resource "0000:00:NN.0" in iomem_resource,
 * as the PCI core's pci_claim_resource leaves it: /dev/mem may still map it (an idle BAR), and a
 * driver's request_mem_region nests a busy resource inside it. */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/string.h>
#include <linux/printk.h>
#include <linux/ioport.h>
#include "bar.h"

/* The PCI core's view of config space (device model builtins). */
int __bar_count(void);
unsigned long __bar_start(int index);
unsigned long __bar_size(int index);
int __bar_name(int index, char *buf, int len);

static struct bar_dev bars[BAR_MAX];
static int nr_bars = -1;

int bar_bus_scan(void)
{
	int i, count;

	if (nr_bars >= 0)
		return nr_bars;
	count = __bar_count();
	if (count > BAR_MAX)
		count = BAR_MAX;
	nr_bars = 0;
	for (i = 0; i < count; i++) {
		struct bar_dev *bar = &bars[nr_bars];

		bar->index = i;
		if (__bar_name(i, bar->name, BAR_NAME_LEN) < 0)
			continue;
		snprintf(bar->bus_id, sizeof(bar->bus_id), "0000:00:%02x.0", i + 3);
		bar->res.name = bar->bus_id;
		bar->res.start = __bar_start(i);
		bar->res.end = bar->res.start + __bar_size(i) - 1;
		bar->res.flags = IORESOURCE_MEM;
		if (insert_resource(&iomem_resource, &bar->res)) {
			printk(KERN_ERR "pci %s: can't claim BAR 0 [mem %#llx-%#llx]: address conflict\n", bar->bus_id,
			       (unsigned long long)bar->res.start, (unsigned long long)bar->res.end);
			continue;
		}
		printk(KERN_INFO "pci %s: BAR 0 [mem %#llx-%#llx] (%s)\n", bar->bus_id, (unsigned long long)bar->res.start,
		       (unsigned long long)bar->res.end, bar->name);
		nr_bars++;
	}
	return nr_bars;
}

struct bar_dev *bar_lookup(const char *name)
{
	int i;

	bar_bus_scan();
	for (i = 0; i < nr_bars; i++)
		if (strcmp(bars[i].name, name) == 0)
			return &bars[i];
	return NULL;
}
