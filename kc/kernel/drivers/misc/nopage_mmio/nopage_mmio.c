/* drivers/misc/nopage_mmio/nopage_mmio.c: a driver that maps device registers into user space, in
 * the four ways drivers have done it (kernel-semantics.md 1, 2.1-2.5, section 8 scenario 12; seed
 * 003, the 2004 question "can ->nopage return a page that is not RAM?").
 *
 * /dev/mmio0 maps the register window at physical `phys` (module parameter; the scenario's BAR).
 * `mode` (module parameter) chooses the mapping:
 *   "nopage" (2.6.18-2.6.25): ->nopage returns pfn_to_page() of the MMIO PFN, with a reference, as
 *            the 2004 driver did. The PFN is past mem_map, so that "struct page" is whatever memory
 *            lies there: get_page(), the rmap and the RSS accounting of do_no_page write into it.
 *            The PTE itself is right (mk_pte of the page gives the MMIO PFN back).
 *   "nopfn"  (2.6.19-2.6.26): ->nopfn on a VM_PFNMAP VMA returns the raw PFN; no struct page.
 *   "fault"  (2.6.27+): ->fault inserts the PFN with vm_insert_pfn / vmf_insert_pfn on VM_PFNMAP.
 *   "remap"  (every era): remap_pfn_range at mmap time; no fault handler at all.
 * On load the driver logs where pfn_to_page(phys >> PAGE_SHIFT) points: inside mem_map (RAM) or
 * past it, and which physical frame that address falls in, so the corruption can be followed. */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/module.h>
#include <linux/init.h>
#include <linux/string.h>
#include <linux/printk.h>
#include <linux/fs.h>
#include <linux/mm.h>

static unsigned long phys;
module_param(phys, ulong, 0444);
MODULE_PARM_DESC(phys, "Physical address of the register window to map");

static char *mode = "remap";
module_param(mode, charp, 0444);
MODULE_PARM_DESC(mode, "nopage, nopfn, fault or remap");

#define MMIO_SIZE PAGE_SIZE

static int major;

/* The PFN of the register page that `address` of `vma` maps. */
static unsigned long mmio_pfn(struct vm_area_struct *vma, unsigned long address)
{
	return (phys >> PAGE_SHIFT) + ((address - vma->vm_start) >> PAGE_SHIFT) + vma->vm_pgoff;
}

#if LINUX_VERSION_CODE < KERNEL_VERSION(2, 6, 26)
/* The 2004 driver: a struct page for a PFN that has none. */
static struct page *mmio_nopage(struct vm_area_struct *vma, unsigned long address, int *type)
{
	struct page *page = pfn_to_page(mmio_pfn(vma, address));

	get_page(page);
	if (type)
		*type = VM_FAULT_MINOR;
	return page;
}

static const struct vm_operations_struct mmio_nopage_ops = {
	.nopage = mmio_nopage,
};
#endif

#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 19) && LINUX_VERSION_CODE < KERNEL_VERSION(2, 6, 27)
static unsigned long mmio_nopfn(struct vm_area_struct *vma, unsigned long address)
{
	return mmio_pfn(vma, address);
}

static const struct vm_operations_struct mmio_nopfn_ops = {
	.nopfn = mmio_nopfn,
};
#endif

#if LINUX_VERSION_CODE >= KERNEL_VERSION(4, 17, 0)
static vm_fault_t mmio_fault(struct vm_fault *vmf)
{
	return vmf_insert_pfn(vmf->vma, vmf->address & PAGE_MASK, mmio_pfn(vmf->vma, vmf->address & PAGE_MASK));
}

static const struct vm_operations_struct mmio_fault_ops = {
	.fault = mmio_fault,
};
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 27)
static int mmio_fault(struct vm_area_struct *vma, struct vm_fault *vmf)
{
	unsigned long address = (unsigned long)vmf->virtual_address & PAGE_MASK;
	int err = vm_insert_pfn(vma, address, mmio_pfn(vma, address));

	if (err == -ENOMEM)
		return VM_FAULT_OOM;
	if (err < 0 && err != -EBUSY)
		return VM_FAULT_SIGBUS;
	return VM_FAULT_NOPAGE;
}

static const struct vm_operations_struct mmio_fault_ops = {
	.fault = mmio_fault,
};
#endif

static int mmio_mmap(struct file *file, struct vm_area_struct *vma)
{
	unsigned long size = vma->vm_end - vma->vm_start;

	if (size + (vma->vm_pgoff << PAGE_SHIFT) > MMIO_SIZE)
		return -EINVAL;
	vma->vm_page_prot = pgprot_noncached(vma->vm_page_prot);
	if (strcmp(mode, "remap") == 0)
		return remap_pfn_range(vma, vma->vm_start, mmio_pfn(vma, vma->vm_start), size, vma->vm_page_prot);
#if LINUX_VERSION_CODE < KERNEL_VERSION(2, 6, 26)
	if (strcmp(mode, "nopage") == 0) {
		/* As in 2004: VM_IO only (VM_RESERVED in 2.6), so that GUP stays away. */
		vma->vm_flags |= VM_IO;
		vma->vm_ops = &mmio_nopage_ops;
		return 0;
	}
#endif
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 19) && LINUX_VERSION_CODE < KERNEL_VERSION(2, 6, 27)
	if (strcmp(mode, "nopfn") == 0) {
		vma->vm_flags |= VM_IO | VM_PFNMAP;
		vma->vm_ops = &mmio_nopfn_ops;
		return 0;
	}
#endif
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 27)
	if (strcmp(mode, "fault") == 0) {
		vma->vm_flags |= VM_IO | VM_PFNMAP;
		vma->vm_ops = &mmio_fault_ops;
		return 0;
	}
#endif
	return -ENODEV;
}

static const struct file_operations mmio_fops = {
	.mmap = mmio_mmap,
};

static int __init nopage_mmio_init(void)
{
	unsigned long pfn = phys >> PAGE_SHIFT;
	struct page *page = pfn_to_page(pfn);
	unsigned long where = __pa(page);
	int ret;

	if (!phys)
		return -EINVAL;
	ret = register_chrdev(0, "mmio", &mmio_fops);
	if (ret < 0)
		return ret;
	major = ret;
	ret = devtmpfs_create_node("mmio0", major, 0);
	if (ret) {
		unregister_chrdev(major, "mmio");
		return ret;
	}
	printk(KERN_INFO "nopage_mmio: /dev/mmio0 maps [mem %#lx-%#lx] by %s\n", phys, phys + MMIO_SIZE - 1, mode);
	if (pfn_valid(pfn))
		printk(KERN_INFO "nopage_mmio: pfn %#lx has a struct page in mem_map\n", pfn);
	else
		printk(KERN_INFO "nopage_mmio: pfn %#lx is past mem_map (%lu frames): pfn_to_page() points at physical %#lx, %s\n",
		       pfn, (unsigned long)max_mapnr, where, (where >> PAGE_SHIFT) < max_mapnr ? "inside RAM" : "outside RAM");
	return 0;
}

module_init(nopage_mmio_init);
MODULE_LICENSE("GPL");
