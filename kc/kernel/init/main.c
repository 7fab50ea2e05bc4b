/* init/main.c: start_kernel, the first KC code the boot CPU runs.
 *
 * The machine (src/kernel/boot.ts) has already done what head_64.S and the early x86 setup do on a
 * PC: built the kernel page tables (the direct map of all RAM at PAGE_OFFSET with 2 MiB pages and
 * the kernel image at __START_KERNEL_map), loaded CR3 with them, loaded the image and given this
 * thread a kernel stack. It passes the RAM size (the e820 map of a machine with one RAM range), the
 * physical range that holds the image, the page tables and the boot stacks (which must never reach
 * the page allocator), and the physical address of the top-level table (swapper_pg_dir). */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/memblock.h>
#include <linux/slab.h>
#include <linux/printk.h>
#include <linux/fs.h>
#include <asm/page.h>

void start_kernel(phys_addr_t ram_end, phys_addr_t image_start, phys_addr_t image_end, phys_addr_t pgd_phys)
{
	/* setup_arch: e820 RAM to memblock; the first page (real-mode IVT and BIOS data) and the
	 * kernel image stay reserved, as memblock_x86_reserve_range_setup_data and
	 * reserve_real_mode leave them. */
	memblock_add(0, ram_end);
	memblock_reserve(0, PAGE_SIZE);
	memblock_reserve(image_start, image_end - image_start);
	/* The boot page tables become init_mm's: every pgd_alloc copies their kernel half. */
	init_mm.pgd = __va(pgd_phys);
	/* mm_core_init (mm_init before 6.4): mem_map, the buddy allocator, the slab caches. */
	free_area_init(PFN_DOWN(ram_end));
	mem_init();
	kmem_cache_init();
	/* The zero page every read fault of private anonymous memory maps (mm/memory.c). */
	init_zero_pfn();
	/* The dentry and inode caches and the initial mount tree: /, /tmp (tmpfs), /proc, /dev. */
	vfs_caches_init();
}
