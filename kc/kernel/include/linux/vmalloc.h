/* <linux/vmalloc.h>: virtually contiguous kernel memory (mm/vmalloc.c). vmalloc'd memory lives in
 * [VMALLOC_START, VMALLOC_END), backed by single pages from the page allocator and mapped in
 * init_mm's page tables; the boot preallocates the top-level entry of that range, so every mm
 * (pgd_alloc copies the kernel half) sees the same tables below it. Every area has a one-page
 * guard gap after it, as Linux leaves, so an overrun faults. */
#ifndef _LINUX_VMALLOC_H
#define _LINUX_VMALLOC_H

#include <linux/types.h>
#include <linux/mm_types.h>
#include <asm/pgtable_types.h>

#define VMALLOC_START	0xffffc90000000000UL
/* One top-level entry (512 GiB) of Linux's vmalloc range is wired at boot. */
#define VMALLOC_END	0xffffd10000000000UL

/* vm_struct flags */
#define VM_IOREMAP	0x00000001	/* ioremap() and friends */
#define VM_ALLOC	0x00000002	/* vmalloc() */
#define VM_MAP		0x00000004	/* vmap()ed pages */
#define VM_USERMAP	0x00000008	/* suitable for remap_vmalloc_range */

struct vm_struct {
	struct vm_struct *next;
	void *addr;
	unsigned long size;		/* includes the guard page */
	unsigned long flags;
	struct page **pages;		/* VM_ALLOC / VM_MAP: the pages behind the area */
	unsigned int nr_pages;
	phys_addr_t phys_addr;		/* VM_IOREMAP: the physical base */
	const void *caller;
};

void *vmalloc(unsigned long size);
void *vzalloc(unsigned long size);
/* vmalloc memory that may be mapped to user space (zeroed, VM_USERMAP). */
void *vmalloc_user(unsigned long size);
void vfree(const void *addr);
void *vmap(struct page **pages, unsigned int count, unsigned long flags, pgprot_t prot);
void vunmap(const void *addr);
struct page *vmalloc_to_page(const void *addr);
unsigned long vmalloc_to_pfn(const void *addr);
int is_vmalloc_addr(const void *x);
/* The area containing `addr`, or NULL. */
struct vm_struct *find_vm_area(const void *addr);
struct vm_area_struct;
/* Maps the vmalloc_user area at `addr` (from page `pgoff`) into the user VMA (VM_DONTEXPAND). */
int remap_vmalloc_range(struct vm_area_struct *vma, void *addr, unsigned long pgoff);

/* Reserves an area and maps [phys, phys + size) there with `prot` (ioremap_prot's core). */
void *__ioremap_caller(phys_addr_t phys, unsigned long size, pgprot_t prot, const void *caller);
/* Maps physical pages at a chosen kernel address range the caller owns (modules: MODULES_VADDR). */
int vmap_pages_range(unsigned long addr, unsigned long end, pgprot_t prot, struct page **pages);
void vunmap_range(unsigned long addr, unsigned long end);

#endif /* _LINUX_VMALLOC_H */
