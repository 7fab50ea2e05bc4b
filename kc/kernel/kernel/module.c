/* kernel/module.c: the kernel side of loading a module (the machine's insmod is
 * src/kernel/proc/modules.ts). The loader asks for the module's pages here so that they come
 * from the page allocator and are mapped in init_mm like Linux's module_alloc (vmalloc pages in
 * the module area), and asks again to write-protect its read-only data. */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <asm/tlbflush.h>

#define MODULES_VADDR	0xffffffffa0000000UL
#define MODULES_END	0xffffffffff000000UL

/* Backs [addr, addr + size) of the module area with fresh zeroed pages, writable or not.
 * 0 or -ENOMEM / -EINVAL (outside the module area). Pages already mapped are kept. */
int __kc_module_map(unsigned long addr, unsigned long size, int writable)
{
	unsigned long end = PAGE_ALIGN(addr + size);
	pgprot_t prot = writable ? PAGE_KERNEL : PAGE_KERNEL_RO;

	addr &= PAGE_MASK;
	if (addr < MODULES_VADDR || end > MODULES_END || end < addr)
		return -EINVAL;
	for (; addr < end; addr += PAGE_SIZE) {
		struct page *page;

		if (vmalloc_to_page((void *)addr))
			continue;
		page = alloc_page(GFP_KERNEL | __GFP_ZERO);
		if (!page)
			return -ENOMEM;
		if (vmap_pages_range(addr, addr + PAGE_SIZE, prot, &page)) {
			__free_pages(page, 0);
			return -ENOMEM;
		}
	}
	return 0;
}

/* Changes [addr, addr + size) of the module area to read-only or writable (set_memory_ro/rw).
 * The pages stay; their PTEs are rewritten and the range flushed. */
int __kc_module_protect(unsigned long addr, unsigned long size, int writable)
{
	unsigned long end = PAGE_ALIGN(addr + size);
	unsigned long start;

	addr &= PAGE_MASK;
	start = addr;
	if (addr < MODULES_VADDR || end > MODULES_END || end < addr)
		return -EINVAL;
	for (; addr < end; addr += PAGE_SIZE) {
		struct page *page = vmalloc_to_page((void *)addr);

		if (!page)
			return -EINVAL;
		vunmap_range(addr, addr + PAGE_SIZE);
		if (vmap_pages_range(addr, addr + PAGE_SIZE, writable ? PAGE_KERNEL : PAGE_KERNEL_RO, &page))
			return -ENOMEM;
	}
	flush_tlb_kernel_range(start, end);
	return 0;
}

/* Memory for a string parameter (charp) the loader copies in: kmalloc(GFP_KERNEL) of this era. */
void *__kc_module_param_alloc(unsigned long size)
{
	return kmalloc(size, GFP_KERNEL);
}
