/* drivers/misc/bar_claim/bar_claim.c: a driver that claims a PCI BAR (kernel-semantics.md 6, §8.11).
 *
 * What any PCI driver's probe does: request_mem_region over its BAR (a busy resource nested in the
 * BAR's), ioremap it and talk to the registers. On 6.8 the claim revokes /dev/mem mappings of the
 * BAR when devmem_is_allowed no longer permits it (CONFIG_IO_STRICT_DEVMEM makes a busy range
 * exclusive): every process that mapped the BAR through /dev/mem loses its PTEs and gets SIGBUS at
 * its next access. `claim` (module parameter) claims a BAR at load; the harness call
 * sim_request_region(name) claims one later, while user programs run. */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/module.h>
#include <linux/init.h>
#include <linux/string.h>
#include <linux/printk.h>
#include <linux/ioport.h>
#include <linux/io.h>
#include "bar.h"

static char *claim = "";
module_param(claim, charp, 0444);
MODULE_PARM_DESC(claim, "Name of a BAR (machine.mmio window) to claim at load");

#define BAR_CLAIM_TAG 0xc1a10000

struct bar_claim {
	struct bar_dev *bar;
	struct resource *region;
	void __iomem *regs;
};

static struct bar_claim claims[BAR_MAX];

/* probe: claim the BAR, map it, check the ID and tag the device. 0, -ENODEV or -EBUSY. */
static int bar_claim_probe(const char *name)
{
	struct bar_dev *bar = bar_lookup(name);
	struct bar_claim *c;
	u32 id;

	if (!bar) {
		printk(KERN_ERR "bar_claim: no BAR called %s\n", name);
		return -ENODEV;
	}
	c = &claims[bar->index];
	if (c->region)
		return -EBUSY;
	c->region = request_mem_region(bar->res.start, resource_size(&bar->res), "bar_claim");
	if (!c->region) {
		printk(KERN_ERR "bar_claim %s: can't request region [mem %#llx-%#llx]\n", bar->bus_id,
		       (unsigned long long)bar->res.start, (unsigned long long)bar->res.end);
		return -EBUSY;
	}
	c->regs = ioremap(bar->res.start, resource_size(&bar->res));
	if (!c->regs) {
		release_mem_region(bar->res.start, resource_size(&bar->res));
		c->region = NULL;
		return -ENOMEM;
	}
	c->bar = bar;
	id = readl(c->regs + BAR_REG_ID);
	writel(BAR_CLAIM_TAG | bar->index, c->regs + BAR_REG_OWNER);
	printk(KERN_INFO "bar_claim %s: claimed %s [mem %#llx-%#llx], id %08x\n", bar->bus_id, bar->name,
	       (unsigned long long)bar->res.start, (unsigned long long)bar->res.end, id);
	return 0;
}

/* Harness call: a driver claims the MMIO window `region` now. */
long sim_request_region(const char *region)
{
	return bar_claim_probe(region);
}

static int __init bar_claim_init(void)
{
	bar_bus_scan();
	if (claim[0])
		return bar_claim_probe(claim);
	return 0;
}

static void __exit bar_claim_exit(void)
{
	int i;

	for (i = 0; i < BAR_MAX; i++) {
		struct bar_claim *c = &claims[i];

		if (!c->region)
			continue;
		iounmap(c->regs);
		release_mem_region(c->bar->res.start, resource_size(&c->bar->res));
		c->region = NULL;
	}
}

module_init(bar_claim_init);
module_exit(bar_claim_exit);
MODULE_LICENSE("GPL");
