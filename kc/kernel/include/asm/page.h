/* <asm/page.h>: pages, the direct map and the struct page array (x86-64, flat memory model).
 *
 * All RAM is mapped at PAGE_OFFSET: physical address P is the kernel virtual address PAGE_OFFSET + P
 * (the "direct map"). Faultline uses the 4.20+ value 0xffff888000000000 in every era (2.6 kernels
 * had 0xffff810000000000, 2.6.27-4.19 0xffff880000000000); only printed pointers differ.
 * Remember that KC pointers hold 48 bits: (void *)0xffff888000001000UL is the address
 * 0x888000001000 inside the CPU, and converts back to 0xffff888000001000 as an unsigned long.
 *
 * struct page: one per physical frame, in the array mem_map (allocated from memblock at boot, see
 * mm/page_alloc.c), so pfn_to_page is an array index and pfn_valid a bounds check. A PFN past the
 * end of mem_map is not RAM, and pfn_to_page() of it points past the array (kernel-semantics.md
 * section 1: a driver that treats non-RAM as a struct page writes into whatever lies there). */
#ifndef _ASM_X86_PAGE_H
#define _ASM_X86_PAGE_H

#include <linux/types.h>

#define PAGE_SHIFT 12
#define PAGE_SIZE (1UL << PAGE_SHIFT)
#define PAGE_MASK (~(PAGE_SIZE - 1))

#define __PAGE_OFFSET 0xffff888000000000UL
#define PAGE_OFFSET ((unsigned long)__PAGE_OFFSET)

/* Kernel virtual address (in the direct map) <-> physical address. */
#define __pa(x) ((unsigned long)(x) - PAGE_OFFSET)
#define __va(x) ((void *)((unsigned long)(x) + PAGE_OFFSET))
#define pfn_to_kaddr(pfn) __va((unsigned long)(pfn) << PAGE_SHIFT)
#define virt_to_pfn(kaddr) (__pa(kaddr) >> PAGE_SHIFT)
#define PFN_PHYS(pfn) ((phys_addr_t)(pfn) << PAGE_SHIFT)
#define PHYS_PFN(phys) ((unsigned long)((phys) >> PAGE_SHIFT))
#define PFN_UP(x) (((x) + PAGE_SIZE - 1) >> PAGE_SHIFT)
#define PFN_DOWN(x) ((x) >> PAGE_SHIFT)

/* The flat memory model (CONFIG_FLATMEM): mem_map covers PFNs ARCH_PFN_OFFSET .. +max_mapnr. */
struct page;
extern struct page *mem_map;
extern unsigned long max_mapnr;
#define ARCH_PFN_OFFSET 0UL

#define pfn_to_page(pfn) (mem_map + ((unsigned long)(pfn) - ARCH_PFN_OFFSET))
#define page_to_pfn(page) ((unsigned long)((page) - mem_map) + ARCH_PFN_OFFSET)
#define pfn_valid(pfn) ((unsigned long)(pfn) - ARCH_PFN_OFFSET < max_mapnr)
#define virt_to_page(kaddr) pfn_to_page(__pa(kaddr) >> PAGE_SHIFT)
#define virt_addr_valid(kaddr) pfn_valid(__pa(kaddr) >> PAGE_SHIFT)
#define page_to_phys(page) ((phys_addr_t)page_to_pfn(page) << PAGE_SHIFT)
#define page_to_virt(page) __va(page_to_phys(page))

/* The smallest order whose block of 2^order pages holds `size` bytes (size > 0). */
static inline int get_order(unsigned long size)
{
	unsigned long pages = (size - 1) >> PAGE_SHIFT;

	return pages == 0 ? 0 : 64 - __builtin_clzl(pages);
}

/* ---- memory hotplug (spufs helper; mm/memory_hotplug.c) ----
 * 2.6.18-2.6.20: memory added at run time (the Cell's SPE local stores and problem-state areas,
 * hot-added by spu_base.c) has struct pages outside mem_map, so the three lookups also consult the
 * hot-added sections for PFNs past mem_map. RAM PFNs take the flat path exactly as above. */
#include <linux/version.h>
#if LINUX_VERSION_CODE < KERNEL_VERSION(2, 6, 21)
struct page *__hotplug_pfn_to_page(unsigned long pfn);
unsigned long __hotplug_page_to_pfn(const struct page *page);
int __hotplug_pfn_valid(unsigned long pfn);
#undef pfn_to_page
#undef page_to_pfn
#undef pfn_valid
#define pfn_to_page(pfn) ({ unsigned long __pfn = (unsigned long)(pfn) - ARCH_PFN_OFFSET; \
	__pfn < max_mapnr ? mem_map + __pfn : __hotplug_pfn_to_page(__pfn + ARCH_PFN_OFFSET); })
#define page_to_pfn(__page_arg) ({ const struct page *__pg = (__page_arg); \
	(unsigned long)__pg - (unsigned long)mem_map < max_mapnr * sizeof(struct page) ? \
	(unsigned long)(__pg - mem_map) + ARCH_PFN_OFFSET : __hotplug_page_to_pfn(__pg); })
#define pfn_valid(pfn) ({ unsigned long __vpfn = (unsigned long)(pfn) - ARCH_PFN_OFFSET; \
	__vpfn < max_mapnr || __hotplug_pfn_valid(__vpfn + ARCH_PFN_OFFSET); })
#endif

#endif /* _ASM_X86_PAGE_H */
