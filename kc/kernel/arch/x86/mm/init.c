/* arch/x86/mm/init.c (the part /dev/mem needs): devmem_is_allowed, the STRICT_DEVMEM policy.
 *
 * Called per page by drivers/char/mem.c's range_is_allowed/page_is_allowed (only with
 * CONFIG_STRICT_DEVMEM) and by revoke_iomem. Eras (kernel-semantics.md 6):
 * - 2.6.27 ("x86: introduce /dev/mem restrictions with a config option", NONPROMISC_DEVMEM in
 *   2.6.26): the first 1 MiB (BIOS, real-mode data) is allowed, exclusive resources and RAM are not;
 * - 6.8: a page that is System RAM is refused (0), except in the first 1 MiB where read() shows
 *   zeros instead (2; mmap still maps it); an exclusive resource (IORESOURCE_EXCLUSIVE, or busy
 *   under CONFIG_IO_STRICT_DEVMEM) is refused above 1 MiB; anything else (idle PCI BARs) is allowed. */
#include <linux/kernel.h>
#include <linux/version.h>
#include <linux/ioport.h>
#include <asm/page.h>

#if LINUX_VERSION_CODE >= KERNEL_VERSION(4, 16, 0)
int devmem_is_allowed(unsigned long pagenr)
{
	if (region_intersects(PFN_PHYS(pagenr), PAGE_SIZE, IORESOURCE_SYSTEM_RAM, IORES_DESC_NONE) != REGION_DISJOINT) {
		/* For disallowed memory regions in the low 1MB range, request that the page be shown
		 * as all zeros. */
		if (pagenr < 256)
			return 2;
		return 0;
	}
	/* This must follow the RAM test: System RAM counts as restricted under STRICT_DEVMEM. */
	if (iomem_is_exclusive(pagenr << PAGE_SHIFT)) {
		/* Low 1MB bypasses iomem restrictions. */
		if (pagenr < 256)
			return 1;
		return 0;
	}
	return 1;
}
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 27)
int devmem_is_allowed(unsigned long pagenr)
{
	if (pagenr <= 256)
		return 1;
	if (iomem_is_exclusive(pagenr << PAGE_SHIFT))
		return 0;
	if (!page_is_ram(pagenr))
		return 1;
	return 0;
}
#endif
