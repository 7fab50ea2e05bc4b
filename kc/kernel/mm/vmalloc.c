/* mm/vmalloc.c: the vmalloc area (vmalloc, vmap, ioremap) and the page-table helpers that map
 * kernel ranges in init_mm (also used by the module loader, kernel/module.c).
 *
 * Invariants:
 * - Areas live in vmlist, sorted by address, under vmap_area_lock; each reserves one guard page
 *   after its pages, never mapped, so an overrun faults (CONFIG_VMAP guard, as Linux).
 * - Kernel mappings are made only below top-level entries that exist since boot (the boot
 *   preallocates VMALLOC_START's entry; the module area shares the kernel image's), so every mm
 *   sees them through the kernel half pgd_alloc copied.
 * - Unmapping clears the PTEs and flushes the kernel range on every CPU before the pages are
 *   freed, so no CPU can reach a page after it returns to the allocator. */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/slab.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include <linux/page-flags.h>
#include <asm/io.h>
#include <asm/tlbflush.h>
#include <asm/pgalloc.h>

static DEFINE_SPINLOCK(vmap_area_lock);
static struct vm_struct *vmlist;

/* ---- Kernel page tables ----------------------------------------------------------------------- */

/* The PTE slot of kernel address `addr` in init_mm, allocating the tables above it. */
static pte_t *kernel_pte_alloc(unsigned long addr)
{
	pgd_t *pgd = pgd_offset_k(addr);
	pud_t *pud;
	pmd_t *pmd;

	if (pgd_none(*pgd))
		return NULL;	/* not a boot-wired range: a mapping here would not reach other mms */
	pud = pud_alloc(&init_mm, pgd, addr);
	if (!pud)
		return NULL;
	pmd = pmd_alloc(&init_mm, pud, addr);
	if (!pmd)
		return NULL;
	return pte_alloc_kernel(pmd, addr);
}

/* The PTE slot of kernel address `addr`, or NULL when no table maps it. */
static pte_t *kernel_pte_lookup(unsigned long addr)
{
	pgd_t *pgd = pgd_offset_k(addr);
	pud_t *pud;
	pmd_t *pmd;

	if (pgd_none(*pgd))
		return NULL;
	pud = pud_offset(pgd, addr);
	if (pud_none(*pud))
		return NULL;
	pmd = pmd_offset(pud, addr);
	if (pmd_none(*pmd) || pmd_large(*pmd))
		return NULL;
	return pte_offset_kernel(pmd, addr);
}

/* Maps [addr, end) to the physical range starting at `phys` (ioremap). */
static int vmap_phys_range(unsigned long addr, unsigned long end, phys_addr_t phys, pgprot_t prot)
{
	for (; addr < end; addr += PAGE_SIZE, phys += PAGE_SIZE) {
		pte_t *pte = kernel_pte_alloc(addr);

		if (!pte)
			return -ENOMEM;
		set_pte_at(&init_mm, addr, pte, pfn_pte(phys >> PAGE_SHIFT, prot));
	}
	return 0;
}

int vmap_pages_range(unsigned long addr, unsigned long end, pgprot_t prot, struct page **pages)
{
	unsigned int i = 0;

	for (; addr < end; addr += PAGE_SIZE, i++) {
		pte_t *pte = kernel_pte_alloc(addr);

		if (!pte)
			return -ENOMEM;
		set_pte_at(&init_mm, addr, pte, mk_pte(pages[i], prot));
	}
	return 0;
}

void vunmap_range(unsigned long addr, unsigned long end)
{
	unsigned long start = addr;

	for (; addr < end; addr += PAGE_SIZE) {
		pte_t *pte = kernel_pte_lookup(addr);

		if (pte && !pte_none(*pte))
			ptep_get_and_clear(&init_mm, addr, pte);
	}
	flush_tlb_kernel_range(start, end);
}

/* ---- Areas ------------------------------------------------------------------------------------ */

/* Reserves `size` bytes (page aligned, plus the guard page) in the vmalloc range. */
static struct vm_struct *get_vm_area_caller(unsigned long size, unsigned long flags, const void *caller)
{
	struct vm_struct *area, **p, *tmp;
	unsigned long addr = VMALLOC_START;

	size = PAGE_ALIGN(size);
	if (!size || size > VMALLOC_END - VMALLOC_START)
		return NULL;
	area = kzalloc(sizeof(*area), GFP_KERNEL);
	if (!area)
		return NULL;
	size += PAGE_SIZE;	/* the guard page */
	spin_lock(&vmap_area_lock);
	for (p = &vmlist; (tmp = *p) != NULL; p = &tmp->next) {
		if ((unsigned long)tmp->addr >= addr + size)
			break;
		addr = (unsigned long)tmp->addr + tmp->size;
	}
	if (addr + size > VMALLOC_END || addr + size < addr) {
		spin_unlock(&vmap_area_lock);
		kfree(area);
		return NULL;
	}
	area->addr = (void *)addr;
	area->size = size;
	area->flags = flags;
	area->caller = caller;
	area->next = *p;
	*p = area;
	spin_unlock(&vmap_area_lock);
	return area;
}

struct vm_struct *find_vm_area(const void *addr)
{
	struct vm_struct *tmp;
	unsigned long a = (unsigned long)addr;

	spin_lock(&vmap_area_lock);
	for (tmp = vmlist; tmp; tmp = tmp->next) {
		if (a >= (unsigned long)tmp->addr && a < (unsigned long)tmp->addr + tmp->size - PAGE_SIZE)
			break;
	}
	spin_unlock(&vmap_area_lock);
	return tmp;
}

/* Unlinks the area that starts exactly at `addr` (NULL when there is none). */
static struct vm_struct *remove_vm_area(const void *addr)
{
	struct vm_struct **p, *tmp;

	spin_lock(&vmap_area_lock);
	for (p = &vmlist; (tmp = *p) != NULL; p = &tmp->next) {
		if (tmp->addr == addr) {
			*p = tmp->next;
			break;
		}
	}
	spin_unlock(&vmap_area_lock);
	if (tmp)
		vunmap_range((unsigned long)tmp->addr, (unsigned long)tmp->addr + tmp->size - PAGE_SIZE);
	return tmp;
}

int is_vmalloc_addr(const void *x)
{
	unsigned long addr = (unsigned long)x;

	return addr >= VMALLOC_START && addr < VMALLOC_END;
}

/* ---- vmalloc ---------------------------------------------------------------------------------- */

static void *__vmalloc_node(unsigned long size, gfp_t gfp, unsigned long flags, const void *caller)
{
	struct vm_struct *area = get_vm_area_caller(size, VM_ALLOC | flags, caller);
	unsigned int nr, i;

	if (!area)
		return NULL;
	nr = (area->size - PAGE_SIZE) >> PAGE_SHIFT;
	area->pages = kzalloc(nr * sizeof(struct page *), GFP_KERNEL);
	if (!area->pages)
		goto fail;
	for (i = 0; i < nr; i++) {
		area->pages[i] = alloc_page(gfp);
		if (!area->pages[i])
			goto fail;
		area->nr_pages++;
	}
	if (vmap_pages_range((unsigned long)area->addr, (unsigned long)area->addr + (nr << PAGE_SHIFT), PAGE_KERNEL, area->pages))
		goto fail;
	return area->addr;

fail:
	pr_warn("vmalloc error: size %lu, allocation failure\n", size);
	vfree(area->addr);
	return NULL;
}

void *vmalloc(unsigned long size)
{
	return __vmalloc_node(size, GFP_KERNEL, 0, NULL);
}

void *vzalloc(unsigned long size)
{
	return __vmalloc_node(size, GFP_KERNEL | __GFP_ZERO, 0, NULL);
}

void *vmalloc_user(unsigned long size)
{
	return __vmalloc_node(size, GFP_KERNEL | __GFP_ZERO, VM_USERMAP, NULL);
}

void vfree(const void *addr)
{
	struct vm_struct *area;
	unsigned int i;

	if (!addr)
		return;
	area = remove_vm_area(addr);
	if (!area) {
		WARN(1, "Trying to vfree() nonexistent vm area (%p)\n", addr);
		return;
	}
	if (area->pages) {
		for (i = 0; i < area->nr_pages; i++)
			__free_pages(area->pages[i], 0);
		kfree(area->pages);
	}
	kfree(area);
}

void *vmap(struct page **pages, unsigned int count, unsigned long flags, pgprot_t prot)
{
	struct vm_struct *area = get_vm_area_caller((unsigned long)count << PAGE_SHIFT, VM_MAP | flags, NULL);

	if (!area)
		return NULL;
	if (vmap_pages_range((unsigned long)area->addr, (unsigned long)area->addr + ((unsigned long)count << PAGE_SHIFT), prot, pages)) {
		remove_vm_area(area->addr);
		kfree(area);
		return NULL;
	}
	return area->addr;
}

void vunmap(const void *addr)
{
	struct vm_struct *area = remove_vm_area(addr);

	if (!area) {
		WARN(1, "Trying to vunmap() nonexistent vm area (%p)\n", addr);
		return;
	}
	kfree(area);
}

struct page *vmalloc_to_page(const void *addr)
{
	pte_t *pte = kernel_pte_lookup((unsigned long)addr);

	if (!pte || !pte_present(*pte))
		return NULL;
	return pte_page(*pte);
}

unsigned long vmalloc_to_pfn(const void *addr)
{
	pte_t *pte = kernel_pte_lookup((unsigned long)addr);

	if (!pte || !pte_present(*pte))
		return 0;
	return pte_pfn(*pte);
}

int remap_vmalloc_range(struct vm_area_struct *vma, void *addr, unsigned long pgoff)
{
	struct vm_struct *area = find_vm_area(addr);
	unsigned long uaddr = vma->vm_start;
	unsigned long size = vma->vm_end - vma->vm_start;
	char *kaddr = (char *)addr + (pgoff << PAGE_SHIFT);

	if (!area || !(area->flags & VM_USERMAP))
		return -EINVAL;
	if ((unsigned long)kaddr + size > (unsigned long)area->addr + area->size - PAGE_SIZE)
		return -EINVAL;
	for (; size; size -= PAGE_SIZE, uaddr += PAGE_SIZE, kaddr += PAGE_SIZE) {
		int ret = vm_insert_page(vma, uaddr, vmalloc_to_page(kaddr));

		if (ret)
			return ret;
	}
#ifdef VM_DONTDUMP
	vma->vm_flags |= VM_DONTEXPAND | VM_DONTDUMP;
#else
	vma->vm_flags |= VM_DONTEXPAND | VM_RESERVED;
#endif
	return 0;
}

/* ---- ioremap (arch/x86/mm/ioremap.c) ---------------------------------------------------------- */

void *__ioremap_caller(phys_addr_t phys, unsigned long size, pgprot_t prot, const void *caller)
{
	phys_addr_t last = phys + size - 1;
	unsigned long offset = phys & ~PAGE_MASK;
	struct vm_struct *area;

	if (!size || last < phys)
		return NULL;
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 27)
	/* Don't allow anybody to remap normal RAM that we're using (x86 __ioremap_caller): RAM in
	 * use must be reached through the direct map; reserved RAM (BIOS, holes) may be remapped. */
	{
		unsigned long pfn;

		for (pfn = phys >> PAGE_SHIFT; pfn <= (last >> PAGE_SHIFT); pfn++) {
			if (pfn_valid(pfn) && !PageReserved(pfn_to_page(pfn))) {
				WARN_ONCE(1, "ioremap on RAM at 0x%llx - 0x%llx\n", (unsigned long long)phys, (unsigned long long)last);
				return NULL;
			}
		}
	}
#endif
	phys &= PAGE_MASK;
	size = PAGE_ALIGN(last + 1) - phys;
	area = get_vm_area_caller(size, VM_IOREMAP, caller);
	if (!area)
		return NULL;
	area->phys_addr = phys;
	if (vmap_phys_range((unsigned long)area->addr, (unsigned long)area->addr + size, phys, prot)) {
		remove_vm_area(area->addr);
		kfree(area);
		return NULL;
	}
	return (char *)area->addr + offset;
}

static pgprot_t pgprot_cache(unsigned long cache)
{
	return __pgprot((__PAGE_KERNEL & ~_PAGE_CACHE_MASK) | cache);
}

void __iomem *ioremap(resource_size_t offset, unsigned long size)
{
	/* x86 ioremap is UC- (_PAGE_CACHE_UC_MINUS) since 4.x; the default type of the era before. */
	return __ioremap_caller(offset, size, pgprot_cache(_PAGE_CACHE_UC_MINUS), NULL);
}

void __iomem *ioremap_uc(resource_size_t offset, unsigned long size)
{
	return __ioremap_caller(offset, size, pgprot_cache(_PAGE_CACHE_UC), NULL);
}

void __iomem *ioremap_wc(resource_size_t offset, unsigned long size)
{
	return __ioremap_caller(offset, size, pgprot_cache(_PAGE_CACHE_WC), NULL);
}

void __iomem *ioremap_cache(resource_size_t offset, unsigned long size)
{
	return __ioremap_caller(offset, size, PAGE_KERNEL, NULL);
}

void __iomem *ioremap_prot(resource_size_t offset, unsigned long size, unsigned long prot_val)
{
	unsigned long cache = prot_val & _PAGE_CACHE_MASK;

	return __ioremap_caller(offset, size, pgprot_cache(cache), NULL);
}

void iounmap(volatile void __iomem *addr)
{
	struct vm_struct *area;

	if (!is_vmalloc_addr((void *)addr))
		return;
	area = remove_vm_area((void *)((unsigned long)addr & PAGE_MASK));
	if (!area) {
		WARN(1, "iounmap: bad address %p\n", addr);
		return;
	}
	kfree(area);
}

phys_addr_t slow_virt_to_phys(void *addr)
{
	unsigned long a = (unsigned long)addr;
	pte_t *pte;

	if (a >= PAGE_OFFSET && a < VMALLOC_START)
		return __pa(a);
	pte = kernel_pte_lookup(a);
	if (!pte || !pte_present(*pte))
		return 0;
	return ((phys_addr_t)pte_pfn(*pte) << PAGE_SHIFT) | (a & ~PAGE_MASK);
}
