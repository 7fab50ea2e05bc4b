/* drivers/char/mem.c: /dev/mem, physical memory as a file (kernel-semantics.md 6).
 *
 * The file offset is the physical address. read()/write() go through the kernel's direct map and
 * are limited to RAM the kernel manages (valid_phys_addr_range: below high_memory); mmap() maps any
 * physical range with remap_pfn_range (VM_IO|VM_PFNMAP): RAM, BIOS areas, PCI BARs.
 *
 * Eras:
 * - 2.6.18: no policy at all. The cache attributes of a mapping are x86-64's phys_mem_access_prot:
 *   uncached only when the file was opened O_SYNC. No vm_ops: ptrace cannot read a /dev/mem
 *   mapping (get_user_pages refuses VM_IO, and there is no ->access), PEEK gives EIO.
 * - 2.6.27+: with CONFIG_STRICT_DEVMEM every page must pass devmem_is_allowed (arch/x86/mm/init.c)
 *   or mmap/read/write give -EPERM; ->access = generic_access_phys lets ptrace read MMIO mappings.
 * - 6.8: read() of a page devmem_is_allowed answers 2 for (low-1 MiB RAM) shows zeros; x86's
 *   phys_mem_access_prot_allowed (PAT) makes an O_DSYNC mapping UC- and cached (WB) otherwise;
 *   every open shares the iomem address_space (iomem_get_mapping), so that when a driver claims a
 *   range (request_mem_region, kernel/resource.c) revoke_iomem zaps it from every process: the
 *   next access faults, finds no ->fault and a none PTE, and gets SIGBUS; a PEEK gets EIO.
 *
 * This is the `devmem` module (built in on Linux: chr_dev_init registers major 1 at boot). Only
 * minor 1 (mem) is provided. Every task is root in Faultline, so CAP_SYS_RAWIO always holds. */
#include <linux/kernel.h>
#include <linux/version.h>
#include <linux/errno.h>
#include <linux/err.h>
#include <linux/module.h>
#include <linux/init.h>
#include <linux/fs.h>
#include <linux/fcntl.h>
#include <linux/mm.h>
#include <linux/ioport.h>
#include <linux/uaccess.h>
#include <linux/io.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <asm/page.h>
#include <asm/pgtable_types.h>

#define MEM_MAJOR 1
#define DEVMEM_MINOR 1

/* The STRICT_DEVMEM policy exists from 2.6.27 (NONPROMISC_DEVMEM in 2.6.26). */
#if defined(CONFIG_STRICT_DEVMEM) && LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 27)
#define DEVMEM_STRICT 1
#endif

/* The end of the direct-mapped RAM the kernel manages (mm's high_memory). */
#define high_memory ((void *)__va(PFN_PHYS(max_mapnr)))

static inline unsigned long size_inside_page(unsigned long start, unsigned long size)
{
	unsigned long sz = PAGE_SIZE - (start & (PAGE_SIZE - 1));

	return min(sz, size);
}

/* read()/write() reach RAM only (the generic version). */
static inline int valid_phys_addr_range(phys_addr_t addr, size_t count)
{
	return addr + count <= __pa(high_memory);
}

/* mmap() may reach anything (the generic version; arches with holes override it). */
static inline int valid_mmap_phys_addr_range(unsigned long pfn, size_t size)
{
	(void)pfn;
	(void)size;
	return 1;
}

#ifdef DEVMEM_STRICT
static inline int page_is_allowed(unsigned long pfn)
{
	return devmem_is_allowed(pfn);
}

static inline int range_is_allowed(unsigned long pfn, unsigned long size)
{
	u64 from = ((u64)pfn) << PAGE_SHIFT;
	u64 to = from + size;
	u64 cursor = from;

	while (cursor < to) {
		if (!devmem_is_allowed(pfn))
			return 0;
		cursor += PAGE_SIZE;
		pfn++;
	}
	return 1;
}
#else
static inline int page_is_allowed(unsigned long pfn)
{
	(void)pfn;
	return 1;
}

static inline int range_is_allowed(unsigned long pfn, unsigned long size)
{
	(void)pfn;
	(void)size;
	return 1;
}
#endif

static ssize_t read_mem(struct file *file, char __user *buf, size_t count, loff_t *ppos)
{
	phys_addr_t p = (phys_addr_t)*ppos;
	ssize_t read = 0, sz;
	int err;

	(void)file;
	if ((loff_t)p != *ppos)
		return 0;
	if (!valid_phys_addr_range(p, count))
		return -EFAULT;
	while (count > 0) {
		unsigned long remaining;
		int allowed;

		sz = (ssize_t)size_inside_page(p, count);
		err = -EPERM;
		allowed = page_is_allowed(p >> PAGE_SHIFT);
		if (!allowed)
			goto failed;
		err = -EFAULT;
#if LINUX_VERSION_CODE >= KERNEL_VERSION(4, 16, 0)
		if (allowed == 2) {
			/* Show zeros for restricted memory. */
			remaining = clear_user(buf, sz);
		} else
#endif
		{
			/* xlate_dev_mem_ptr: the direct map (RAM only, see valid_phys_addr_range). */
			remaining = copy_to_user(buf, __va(p), sz);
		}
		if (remaining)
			goto failed;
		buf += sz;
		p += sz;
		count -= sz;
		read += sz;
		if (signal_pending(current))
			break;
	}
	*ppos += read;
	return read;
failed:
	return err;
}

static ssize_t write_mem(struct file *file, const char __user *buf, size_t count, loff_t *ppos)
{
	phys_addr_t p = (phys_addr_t)*ppos;
	ssize_t written = 0, sz;
	unsigned long copied;

	(void)file;
	if ((loff_t)p != *ppos)
		return -EFBIG;
	if (!valid_phys_addr_range(p, count))
		return -EFAULT;
	while (count > 0) {
		int allowed;

		sz = (ssize_t)size_inside_page(p, count);
		allowed = page_is_allowed(p >> PAGE_SHIFT);
		if (!allowed)
			return -EPERM;
		/* Skip the actual write when a page is marked restricted (allowed == 2). */
		if (allowed == 1) {
			copied = copy_from_user(__va(p), buf, sz);
			if (copied) {
				written += sz - copied;
				if (written)
					break;
				return -EFAULT;
			}
		}
		buf += sz;
		p += sz;
		count -= sz;
		written += sz;
		if (signal_pending(current))
			break;
	}
	*ppos += written;
	return written;
}

#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 27)
/* x86 with PAT (arch/x86/mm/pat/memtype.c): re-checks the policy; WB, or UC- for O_DSYNC. */
static int phys_mem_access_prot_allowed(struct file *file, unsigned long pfn, unsigned long size, pgprot_t *vma_prot)
{
	unsigned long pcm = 0;	/* _PAGE_CACHE_MODE_WB */

	if (!range_is_allowed(pfn, size))
		return 0;
	if (file->f_flags & O_DSYNC)
		pcm = _PAGE_CACHE_UC_MINUS;
	*vma_prot = __pgprot((pgprot_val(*vma_prot) & ~_PAGE_CACHE_MASK) | pcm);
	return 1;
}

/* x86 (__HAVE_PHYS_MEM_ACCESS_PROT): only memory encryption changes the protection. */
static pgprot_t phys_mem_access_prot(struct file *file, unsigned long pfn, unsigned long size, pgprot_t vma_prot)
{
	(void)file;
	(void)pfn;
	(void)size;
	return vma_prot;
}

static const struct vm_operations_struct mmap_mem_ops = {
	.access = generic_access_phys,
};
#else
/* 2.6.18 x86-64 uncached_access: "broken because it can generate memory type aliases ... but
 * bug-to-bug compatible with i386": uncached exactly for O_SYNC opens. */
static int uncached_access(struct file *file, unsigned long addr)
{
	(void)addr;
	if (file->f_flags & O_SYNC)
		return 1;
	return 0;
}

static pgprot_t phys_mem_access_prot(struct file *file, unsigned long pfn, unsigned long size, pgprot_t vma_prot)
{
	unsigned long offset = pfn << PAGE_SHIFT;

	(void)size;
	if (uncached_access(file, offset))
		return pgprot_noncached(vma_prot);
	return vma_prot;
}
#endif

static int mmap_mem(struct file *file, struct vm_area_struct *vma)
{
	size_t size = vma->vm_end - vma->vm_start;
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 27)
	phys_addr_t offset = (phys_addr_t)vma->vm_pgoff << PAGE_SHIFT;

	/* Does it even fit in phys_addr_t? */
	if (offset >> PAGE_SHIFT != vma->vm_pgoff)
		return -EINVAL;
	/* It's illegal to wrap around the end of the physical address space. */
	if (offset + (phys_addr_t)size - 1 < offset)
		return -EINVAL;
#endif
	if (!valid_mmap_phys_addr_range(vma->vm_pgoff, size))
		return -EINVAL;
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 27)
	if (!range_is_allowed(vma->vm_pgoff, size))
		return -EPERM;
	if (!phys_mem_access_prot_allowed(file, vma->vm_pgoff, size, &vma->vm_page_prot))
		return -EINVAL;
#endif
	vma->vm_page_prot = phys_mem_access_prot(file, vma->vm_pgoff, size, vma->vm_page_prot);
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 27)
	vma->vm_ops = &mmap_mem_ops;
#endif
	/* remap_pfn_range marks the range VM_IO (and VM_PFNMAP). */
	if (remap_pfn_range(vma, vma->vm_start, vma->vm_pgoff, size, vma->vm_page_prot))
		return -EAGAIN;
	return 0;
}

/* lseek on /dev/mem: any offset is a physical address (no size). */
static loff_t memory_lseek(struct file *file, loff_t offset, int orig)
{
	loff_t ret;

	switch (orig) {
	case SEEK_CUR:
		offset += file->f_pos;
		/* fall through */
	case SEEK_SET:
		if ((unsigned long long)offset >= -MAX_ERRNO) {
			ret = -EOVERFLOW;
			break;
		}
		file->f_pos = offset;
		ret = file->f_pos;
		break;
	default:
		ret = -EINVAL;
	}
	return ret;
}

static int open_port(struct inode *inode, struct file *filp)
{
	(void)inode;
	/* capable(CAP_SYS_RAWIO) and security_locked_down(LOCKDOWN_DEV_MEM): every task is root and
	 * nothing is locked down in Faultline. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 8, 0)
	if (iminor(inode) != DEVMEM_MINOR)
		return 0;
	/* One address space for every /dev/mem open: a single point to revoke mappings from when a
	 * driver takes a range over. */
	filp->f_mapping = iomem_get_mapping();
	if (!filp->f_mapping)
		return -ENOMEM;
#else
	(void)filp;
#endif
	return 0;
}

#define open_mem open_port

static const struct file_operations mem_fops = {
	.llseek = memory_lseek,
	.read = read_mem,
	.write = write_mem,
	.mmap = mmap_mem,
	.open = open_mem,
};

static const struct memdev {
	const char *name;
	const struct file_operations *fops;
} devlist[] = {
	[DEVMEM_MINOR] = { "mem", &mem_fops },
};

/* The open of every minor of major 1: hand the file to that minor's operations. */
static int memory_open(struct inode *inode, struct file *filp)
{
	int minor = iminor(inode);
	const struct memdev *dev;

	if (minor >= (int)ARRAY_SIZE(devlist))
		return -ENXIO;
	dev = &devlist[minor];
	if (!dev->fops)
		return -ENXIO;
	filp->f_op = dev->fops;
	if (dev->fops->open)
		return dev->fops->open(inode, filp);
	return 0;
}

static const struct file_operations memory_fops = {
	.open = memory_open,
};

static int __init chr_dev_init(void)
{
	int ret = register_chrdev(MEM_MAJOR, "mem", &memory_fops);

	if (ret < 0) {
		printk(KERN_ERR "unable to get major %d for memory devs\n", MEM_MAJOR);
		return ret;
	}
	return devtmpfs_create_node("mem", MEM_MAJOR, DEVMEM_MINOR);
}

static void __exit chr_dev_exit(void)
{
	devtmpfs_delete_node("mem");
	unregister_chrdev(MEM_MAJOR, "mem");
}

module_init(chr_dev_init);
module_exit(chr_dev_exit);
MODULE_LICENSE("GPL");
