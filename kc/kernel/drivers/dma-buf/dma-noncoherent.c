/* drivers/dma-buf/dma-noncoherent.c: the CPU cache maintenance of streaming DMA on a machine whose
 * devices do not snoop the CPU caches (arch/arm64/mm/dma-mapping.c in Linux 6.8).
 *
 * Faultline keeps it in the dma-buf module, with the cache instructions as builtins of the module
 * (`__kc_dcache_clean_poc`, `__kc_dcache_inval_poc`: the machine's cache model does the work,
 * src/kernel/hw/cache.ts), until the kernel itself has them; see <linux/dma-mapping.h>. */
#include <linux/kernel.h>
#include <linux/dma-mapping.h>

/* `dc cvac` / `dc ivac` over [start, start + size): write dirty lines back; drop lines. */
void __kc_dcache_clean_poc(phys_addr_t start, size_t size);
void __kc_dcache_inval_poc(phys_addr_t start, size_t size);

/* Before the device accesses the range: its RAM must hold what the CPU wrote. */
void arch_sync_dma_for_device(phys_addr_t paddr, size_t size, enum dma_data_direction dir)
{
	(void)dir;
	__kc_dcache_clean_poc(paddr, size);
}

/* Before the CPU accesses the range again: forget lines the device may have made stale. A
 * transfer to the device only read RAM: the lines are still right. */
void arch_sync_dma_for_cpu(phys_addr_t paddr, size_t size, enum dma_data_direction dir)
{
	if (dir == DMA_TO_DEVICE)
		return;
	__kc_dcache_inval_poc(paddr, size);
}
