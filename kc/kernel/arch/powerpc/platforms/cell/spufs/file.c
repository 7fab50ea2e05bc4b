/* spufs/file.c: the files of a context directory: mem (the local store: read, write, mmap),
 * cntl (the problem-state control area: status and run control, mmap), psmap (the whole
 * problem-state area, mmap; 2.6.20+), npc, mbox, mbox_stat, wbox and signal1.
 *
 * The mappings are where the eras differ (kernel-semantics.md 3.2):
 * - 2.6.18: ->nopage. The LS handler returns the struct page of the SPE's local store (hot-added by
 *   spu_base.c) or of the save area (vmalloc), taking the state lock for reading only while it
 *   decides; do_no_page's truncate_count retry catches a context switch between the decision and
 *   the PTE (scenario 3). No VM_IO, so get_user_pages (ptrace) succeeds on these pages and keeps
 *   the struct page after a later switch (scenario 1: the stale page).
 * - 2.6.21-2.6.26: VM_IO|VM_PFNMAP and ->nopfn: the handler decides the PFN and vm_insert_pfn()s
 *   it while it holds state_mutex, which bind/unbind also hold, so no switch can slip in between
 *   (78bde53e351); it returns NOPFN_REFAULT. GUP refuses VM_IO: ptrace gets -EIO.
 * - 2.6.27+: ->fault (VM_FAULT_NOPAGE after the insert, same locking) and ->access for mem, so
 *   access_process_vm reads the context's current backing under state_mutex (a352894d070).
 * Problem-state faults bind a saved context first (spu_acquire_runnable) up to 2.6.24; from 2.6.25
 * they drop mmap_lock and sleep until the context is RUNNABLE, then return without a PTE so the
 * access faults again (scenario 4). There is no ->access for the problem state in any era.
 *
 * Module parameter fault_insert_locked (default 1): 0 makes the 2.6.21+ LS handler release the
 * state lock after choosing the PFN and before inserting it, as a PFN driver without its own lock
 * would (scenario 3's stale PTE). */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include <linux/module.h>
#include <linux/pagemap.h>
#include <asm/io.h>
#include "spufs.h"

static int fault_insert_locked = 1;
module_param(fault_insert_locked, int, 0644);

/* powerpc's page-protection helpers, with the x86 cache types of the simulated MMU. */
#define pgprot_cached(prot) __pgprot(pgprot_val(prot) & ~_PAGE_CACHE_MASK)
#define pgprot_noncached_wc(prot) pgprot_writecombine(prot)

/* The offset in the file of the page at `address` of `vma`. */
static unsigned long spufs_vma_offset(struct vm_area_struct *vma, unsigned long address)
{
	return (address & PAGE_MASK) - vma->vm_start + (vma->vm_pgoff << PAGE_SHIFT);
}

/* ---- mem: the local store ---- */

static int spufs_mem_open(struct inode *inode, struct file *file)
{
	struct spufs_inode_info *i = SPUFS_I(inode);
	struct spu_context *ctx = i->i_ctx;

#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 22)
	mutex_lock(&ctx->mapping_lock);
	file->private_data = ctx;
	if (!i->i_openers++)
		ctx->local_store = inode->i_mapping;
	mutex_unlock(&ctx->mapping_lock);
#else
	file->private_data = ctx;
	file->f_mapping = inode->i_mapping;
	ctx->local_store = inode->i_mapping;
#endif
	return 0;
}

static int spufs_mem_release(struct inode *inode, struct file *file)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 22)
	struct spufs_inode_info *i = SPUFS_I(inode);
	struct spu_context *ctx = i->i_ctx;

	mutex_lock(&ctx->mapping_lock);
	if (!--i->i_openers)
		ctx->local_store = NULL;
	mutex_unlock(&ctx->mapping_lock);
#else
	(void)inode;
#endif
	(void)file;
	return 0;
}

static ssize_t spufs_mem_read(struct file *file, char __user *buffer, size_t size, loff_t *pos)
{
	struct spu_context *ctx = file->private_data;
	ssize_t ret;

	ret = spu_acquire_intr(ctx);
	if (ret)
		return ret;
	ret = simple_read_from_buffer(buffer, size, pos, ctx->ops->get_ls(ctx), LS_SIZE);
	spu_release(ctx);
	return ret;
}

static ssize_t spufs_mem_write(struct file *file, const char __user *buffer, size_t size, loff_t *ppos)
{
	struct spu_context *ctx = file->private_data;
	char *local_store;
	loff_t pos = *ppos;
	int ret;

	if (pos < 0)
		return -EINVAL;
	if (pos > LS_SIZE)
		return -EFBIG;
	if (size > LS_SIZE - pos)
		size = LS_SIZE - pos;
	ret = spu_acquire_intr(ctx);
	if (ret)
		return ret;
	local_store = ctx->ops->get_ls(ctx);
	ret = copy_from_user(local_store + pos, buffer, size);
	spu_release(ctx);
	if (ret)
		return -EFAULT;
	*ppos = pos + size;
	return size;
}

#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 21)
#if LINUX_VERSION_CODE >= KERNEL_VERSION(4, 17, 0)
typedef vm_fault_t spufs_insert_t;
#else
typedef int spufs_insert_t;
#endif
/*
 * The 2.6.21+ local-store fault: called with the state lock held, picks the context's current
 * backing (the save area's vmalloc page, cached, or the SPE's local store, uncached), inserts its
 * PFN and releases the lock. The lock is held from the decision to the insert (78bde53e351), so a
 * switch cannot zap and move the data in between; fault_insert_locked=0 drops it early.
 */
static spufs_insert_t spufs_mem_insert(struct spu_context *ctx, struct vm_area_struct *vma, unsigned long address,
				       unsigned long offset)
{
	unsigned long pfn;
	spufs_insert_t ret;

	if (ctx->state == SPU_STATE_SAVED) {
#if LINUX_VERSION_CODE >= KERNEL_VERSION(4, 17, 0)
		vma->vm_page_prot = pgprot_cached(vma->vm_page_prot);
#else
		vma->vm_page_prot = __pgprot(pgprot_val(vma->vm_page_prot) & ~_PAGE_NO_CACHE);
#endif
		pfn = vmalloc_to_pfn(ctx->csa.lscsa->ls + offset);
	} else {
#if LINUX_VERSION_CODE >= KERNEL_VERSION(4, 17, 0)
		vma->vm_page_prot = pgprot_noncached_wc(vma->vm_page_prot);
#else
		vma->vm_page_prot = __pgprot(pgprot_val(vma->vm_page_prot) | _PAGE_NO_CACHE);
#endif
		pfn = (ctx->spu->local_store_phys + offset) >> PAGE_SHIFT;
	}
	if (!fault_insert_locked)
		spu_release(ctx);
	// @point: ls-pfn-insert
#if LINUX_VERSION_CODE >= KERNEL_VERSION(4, 17, 0)
	ret = vmf_insert_pfn(vma, address, pfn);
#else
	ret = vm_insert_pfn(vma, address, pfn);
#endif
	if (fault_insert_locked)
		spu_release(ctx);
	return ret;
}
#endif

#if LINUX_VERSION_CODE < KERNEL_VERSION(2, 6, 21)
/* 2.6.18: a struct page of the hardware LS (hot-added) or of the save area, with a reference. */
static struct page *spufs_mem_mmap_nopage(struct vm_area_struct *vma, unsigned long address, int *type)
{
	struct page *page = NOPAGE_SIGBUS;
	struct spu_context *ctx = vma->vm_file->private_data;
	unsigned long offset = spufs_vma_offset(vma, address);

	if (offset >= LS_SIZE)
		return NOPAGE_SIGBUS;

	spu_acquire(ctx);
	if (ctx->state == SPU_STATE_SAVED)
		page = vmalloc_to_page(ctx->csa.lscsa->ls + offset);
	else
		page = pfn_to_page((ctx->spu->local_store_phys + offset) >> PAGE_SHIFT);
	// @point: ls-page-chosen
	spu_release(ctx);

	if (type)
		*type = VM_FAULT_MINOR;
	page_cache_get(page);
	return page;
}

static const struct vm_operations_struct spufs_mem_mmap_vmops = {
	.nopage = spufs_mem_mmap_nopage,
};

#elif LINUX_VERSION_CODE < KERNEL_VERSION(2, 6, 27)
/* 2.6.21-2.6.26: decide the PFN and insert it under the state lock; refault. */
static unsigned long spufs_mem_mmap_nopfn(struct vm_area_struct *vma, unsigned long address)
{
	struct spu_context *ctx = vma->vm_file->private_data;
	unsigned long offset = spufs_vma_offset(vma, address);

	if (offset >= LS_SIZE)
		return NOPFN_SIGBUS;

	spu_acquire(ctx);
	spufs_mem_insert(ctx, vma, address & PAGE_MASK, offset);
	return NOPFN_REFAULT;
}

static const struct vm_operations_struct spufs_mem_mmap_vmops = {
	.nopfn = spufs_mem_mmap_nopfn,
};

#else
/* 2.6.27+: ->fault, the same under state_mutex; a signal while taking it refaults. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(4, 17, 0)
static vm_fault_t spufs_mem_mmap_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	unsigned long address = vmf->address;
	vm_fault_t ret;
#else
static int spufs_mem_mmap_fault(struct vm_area_struct *vma, struct vm_fault *vmf)
{
	unsigned long address = (unsigned long)vmf->virtual_address;
	int ret = VM_FAULT_NOPAGE;
#endif
	struct spu_context *ctx = vma->vm_file->private_data;
	unsigned long offset;

	offset = vmf->pgoff << PAGE_SHIFT;
	if (offset >= LS_SIZE)
		return VM_FAULT_SIGBUS;

	if (spu_acquire(ctx))
		return VM_FAULT_NOPAGE;
#if LINUX_VERSION_CODE >= KERNEL_VERSION(4, 17, 0)
	ret = spufs_mem_insert(ctx, vma, address & PAGE_MASK, offset);
#else
	spufs_mem_insert(ctx, vma, address & PAGE_MASK, offset);
#endif
	return ret;
}

/* ->access (ptrace, /proc/PID/mem): copy from or to the context's current backing under the state
 * lock, so the context cannot switch mid-copy and the data is always this context's. (As in Linux,
 * the length clamp compares with vm_end instead of the LS size: kernel-semantics.md 3.2.) */
static int spufs_mem_mmap_access(struct vm_area_struct *vma, unsigned long address, void *buf, int len, int write)
{
	struct spu_context *ctx = vma->vm_file->private_data;
	unsigned long offset = address - vma->vm_start;
	char *local_store;

	if (write && !(vma->vm_flags & VM_WRITE))
		return -EACCES;
	if (spu_acquire(ctx))
		return -EINTR;
	// @point: ls-access-locked
	if ((offset + len) > vma->vm_end)
		len = vma->vm_end - offset;
	local_store = ctx->ops->get_ls(ctx);
	if (write)
		memcpy_toio(local_store + offset, buf, len);
	else
		memcpy_fromio(buf, local_store + offset, len);
	spu_release(ctx);
	return len;
}

static const struct vm_operations_struct spufs_mem_mmap_vmops = {
	.fault = spufs_mem_mmap_fault,
	.access = spufs_mem_mmap_access,
};
#endif

static int spufs_mem_mmap(struct file *file, struct vm_area_struct *vma)
{
	(void)file;
	if (!(vma->vm_flags & VM_SHARED))
		return -EINVAL;
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 21)
	/* 6.8 writes vm_flags_set(vma, VM_IO | VM_PFNMAP). */
	vma->vm_flags |= VM_IO | VM_PFNMAP;
#endif
#if LINUX_VERSION_CODE >= KERNEL_VERSION(4, 17, 0)
	vma->vm_page_prot = pgprot_noncached_wc(vma->vm_page_prot);
#else
	/* FIXME: */
	vma->vm_page_prot = __pgprot(pgprot_val(vma->vm_page_prot) | _PAGE_NO_CACHE);
#endif
	vma->vm_ops = &spufs_mem_mmap_vmops;
	return 0;
}

static const struct file_operations spufs_mem_fops = {
	.open = spufs_mem_open,
	.release = spufs_mem_release,
	.read = spufs_mem_read,
	.write = spufs_mem_write,
	.llseek = generic_file_llseek,
	.mmap = spufs_mem_mmap,
};

/* ---- The problem-state mappings (cntl, psmap) ---- */

#if LINUX_VERSION_CODE < KERNEL_VERSION(2, 6, 21)
/* 2.6.18: bind the context (spu_acquire_runnable), then the struct page of the register area. */
static struct page *spufs_ps_nopage(struct vm_area_struct *vma, unsigned long address, int *type, unsigned long ps_offs,
				    unsigned long ps_size)
{
	struct page *page = NOPAGE_SIGBUS;
	int fault_type = VM_FAULT_SIGBUS;
	struct spu_context *ctx = vma->vm_file->private_data;
	unsigned long offset = spufs_vma_offset(vma, address);
	unsigned long area;
	int ret;

	if (offset >= ps_size)
		goto out;
	ret = spu_acquire_runnable(ctx, 0);
	if (ret)
		goto out;
	area = ctx->spu->problem_phys + ps_offs;
	page = pfn_to_page((area + offset) >> PAGE_SHIFT);
	fault_type = VM_FAULT_MINOR;
	page_cache_get(page);
	spu_release(ctx);
out:
	if (type)
		*type = fault_type;
	return page;
}

static struct page *spufs_cntl_mmap_nopage(struct vm_area_struct *vma, unsigned long address, int *type)
{
	return spufs_ps_nopage(vma, address, type, 0x4000, SPUFS_CNTL_MAP_SIZE);
}

static const struct vm_operations_struct spufs_cntl_mmap_vmops = {
	.nopage = spufs_cntl_mmap_nopage,
};

#elif LINUX_VERSION_CODE < KERNEL_VERSION(2, 6, 27)
/* 2.6.21-2.6.26: bind the context, insert the register PFN, refault. */
static unsigned long spufs_ps_nopfn(struct vm_area_struct *vma, unsigned long address, unsigned long ps_offs,
				    unsigned long ps_size)
{
	struct spu_context *ctx = vma->vm_file->private_data;
	unsigned long area, offset = spufs_vma_offset(vma, address);
	int ret;

	if (offset >= ps_size)
		return NOPFN_SIGBUS;
	/* error here usually means a signal.. we might want to test the error code more precisely
	 * though */
	ret = spu_acquire_runnable(ctx, 0);
	if (ret)
		return NOPFN_REFAULT;
	area = ctx->spu->problem_phys + ps_offs;
	vm_insert_pfn(vma, address & PAGE_MASK, (area + offset) >> PAGE_SHIFT);
	spu_release(ctx);
	return NOPFN_REFAULT;
}

static unsigned long spufs_cntl_mmap_nopfn(struct vm_area_struct *vma, unsigned long address)
{
	return spufs_ps_nopfn(vma, address, 0x4000, SPUFS_CNTL_MAP_SIZE);
}

static const struct vm_operations_struct spufs_cntl_mmap_vmops = {
	.nopfn = spufs_cntl_mmap_nopfn,
};

static unsigned long spufs_psmap_mmap_nopfn(struct vm_area_struct *vma, unsigned long address)
{
	return spufs_ps_nopfn(vma, address, 0x0000, SPUFS_PS_MAP_SIZE);
}

static const struct vm_operations_struct spufs_psmap_mmap_vmops = {
	.nopfn = spufs_psmap_mmap_nopfn,
};

#else
/*
 * 2.6.27+: a saved context is not bound here. The handler drops mmap_lock and sleeps until the
 * context is RUNNABLE (someone runs it, or the scheduler binds it), then returns without a PTE:
 * the access faults again and finds the context bound. 6.8: a fatal signal gives SIGBUS.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(4, 17, 0)
static vm_fault_t spufs_ps_fault(struct vm_fault *vmf, unsigned long ps_offs, unsigned long ps_size)
{
	struct vm_area_struct *vma = vmf->vma;
	unsigned long address = vmf->address;
	vm_fault_t ret = VM_FAULT_NOPAGE;
#else
static int spufs_ps_fault(struct vm_area_struct *vma, struct vm_fault *vmf, unsigned long ps_offs, unsigned long ps_size)
{
	unsigned long address = (unsigned long)vmf->virtual_address;
	int ret = VM_FAULT_NOPAGE;
#endif
	struct spu_context *ctx = vma->vm_file->private_data;
	unsigned long area, offset = vmf->pgoff << PAGE_SHIFT;
	int err = 0;

	if (offset >= ps_size)
		return VM_FAULT_SIGBUS;
#if LINUX_VERSION_CODE >= KERNEL_VERSION(4, 17, 0)
	if (fatal_signal_pending(current))
		return VM_FAULT_SIGBUS;
#endif
	/*
	 * Because we release the mmap_lock, the context may be destroyed while we're in spu_wait.
	 * Grab an extra reference so it isn't destroyed in the meantime.
	 */
	get_spu_context(ctx);

	/*
	 * We have to wait for context to be loaded before we have pages to hand out to the user, but
	 * we don't want to wait with the mmap_lock held. It is possible to drop the mmap_lock here,
	 * but then we need to return VM_FAULT_NOPAGE because the mappings may have changed.
	 */
	if (spu_acquire(ctx))
		goto refault;

	if (ctx->state == SPU_STATE_SAVED) {
#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 8, 0)
		mmap_read_unlock(current->mm);
#else
		up_read(&current->mm->mmap_sem);
#endif
		// @point: ps-fault-sleep
		err = spufs_wait(ctx->run_wq, ctx->state == SPU_STATE_RUNNABLE);
#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 8, 0)
		mmap_read_lock(current->mm);
#else
		down_read(&current->mm->mmap_sem);
#endif
	} else {
		area = ctx->spu->problem_phys + ps_offs;
#if LINUX_VERSION_CODE >= KERNEL_VERSION(4, 17, 0)
		ret = vmf_insert_pfn(vma, address & PAGE_MASK, (area + offset) >> PAGE_SHIFT);
#else
		vm_insert_pfn(vma, address & PAGE_MASK, (area + offset) >> PAGE_SHIFT);
#endif
	}

	if (!err)
		spu_release(ctx);

refault:
	put_spu_context(ctx);
	return ret;
}

#if LINUX_VERSION_CODE >= KERNEL_VERSION(4, 17, 0)
static vm_fault_t spufs_cntl_mmap_fault(struct vm_fault *vmf)
{
	return spufs_ps_fault(vmf, 0x4000, SPUFS_CNTL_MAP_SIZE);
}

static vm_fault_t spufs_psmap_mmap_fault(struct vm_fault *vmf)
{
	return spufs_ps_fault(vmf, 0x0000, SPUFS_PS_MAP_SIZE);
}
#else
static int spufs_cntl_mmap_fault(struct vm_area_struct *vma, struct vm_fault *vmf)
{
	return spufs_ps_fault(vma, vmf, 0x4000, SPUFS_CNTL_MAP_SIZE);
}

static int spufs_psmap_mmap_fault(struct vm_area_struct *vma, struct vm_fault *vmf)
{
	return spufs_ps_fault(vma, vmf, 0x0000, SPUFS_PS_MAP_SIZE);
}
#endif

static const struct vm_operations_struct spufs_cntl_mmap_vmops = {
	.fault = spufs_cntl_mmap_fault,
};

static const struct vm_operations_struct spufs_psmap_mmap_vmops = {
	.fault = spufs_psmap_mmap_fault,
};
#endif

/* mmap support for problem state control area [0x4000 - 0x4fff] (2.6.18: [0x4000 - 0x7fff]). */
static int spufs_cntl_mmap(struct file *file, struct vm_area_struct *vma)
{
	(void)file;
	if (!(vma->vm_flags & VM_SHARED))
		return -EINVAL;
#if LINUX_VERSION_CODE < KERNEL_VERSION(2, 6, 21)
	/* (2.6.18 also required CAP_SYS_RAWIO; this kernel has no credentials: everyone is root.) */
	vma->vm_flags |= VM_RESERVED;
#else
	vma->vm_flags |= VM_IO | VM_PFNMAP;
#endif
	vma->vm_page_prot = __pgprot(pgprot_val(vma->vm_page_prot) | _PAGE_NO_CACHE | _PAGE_GUARDED);
	vma->vm_ops = &spufs_cntl_mmap_vmops;
	return 0;
}

#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 20)
/* mmap support for full problem state area [0x00000 - 0x1ffff]. */
static int spufs_psmap_mmap(struct file *file, struct vm_area_struct *vma)
{
	(void)file;
	if (!(vma->vm_flags & VM_SHARED))
		return -EINVAL;
	vma->vm_flags |= VM_IO | VM_PFNMAP;
	vma->vm_page_prot = __pgprot(pgprot_val(vma->vm_page_prot) | _PAGE_NO_CACHE | _PAGE_GUARDED);
	vma->vm_ops = &spufs_psmap_mmap_vmops;
	return 0;
}

static int spufs_psmap_open(struct inode *inode, struct file *file)
{
	struct spufs_inode_info *i = SPUFS_I(inode);
	struct spu_context *ctx = i->i_ctx;

#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 22)
	mutex_lock(&ctx->mapping_lock);
	file->private_data = i->i_ctx;
	if (!i->i_openers++)
		ctx->psmap = inode->i_mapping;
	mutex_unlock(&ctx->mapping_lock);
#else
	file->private_data = i->i_ctx;
	ctx->psmap = inode->i_mapping;
#endif
	return nonseekable_open(inode, file);
}

static int spufs_psmap_release(struct inode *inode, struct file *file)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 22)
	struct spufs_inode_info *i = SPUFS_I(inode);
	struct spu_context *ctx = i->i_ctx;

	mutex_lock(&ctx->mapping_lock);
	if (!--i->i_openers)
		ctx->psmap = NULL;
	mutex_unlock(&ctx->mapping_lock);
#else
	(void)inode;
#endif
	(void)file;
	return 0;
}

static const struct file_operations spufs_psmap_fops = {
	.open = spufs_psmap_open,
	.release = spufs_psmap_release,
	.mmap = spufs_psmap_mmap,
};
#endif

/* ---- Attribute files: cntl (status / run control) and npc, "0x%08x\n" ---- */

static ssize_t spufs_attr_read_value(char __user *buf, size_t len, loff_t *ppos, u64 value)
{
	char text[24];
	int size = scnprintf(text, sizeof(text), "0x%08llx\n", (unsigned long long)value);

	return simple_read_from_buffer(buf, len, ppos, text, size);
}

/* simple_strtoul(buf, NULL, 0) of a user buffer; -EFAULT or -EINVAL. */
static int spufs_attr_parse(const char __user *buf, size_t len, u64 *value)
{
	char text[24];
	size_t size = len < sizeof(text) - 1 ? len : sizeof(text) - 1;
	u64 v = 0;
	int base = 10;
	size_t i = 0;

	if (copy_from_user(text, buf, size))
		return -EFAULT;
	text[size] = '\0';
	if (text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
		base = 16;
		i = 2;
	}
	for (; i < size; i++) {
		char c = text[i];
		int digit;

		if (c >= '0' && c <= '9')
			digit = c - '0';
		else if (base == 16 && c >= 'a' && c <= 'f')
			digit = c - 'a' + 10;
		else if (base == 16 && c >= 'A' && c <= 'F')
			digit = c - 'A' + 10;
		else if (c == '\n' || c == '\0' || c == ' ')
			break;
		else
			return -EINVAL;
		v = v * base + digit;
	}
	*value = v;
	return 0;
}

static int spufs_cntl_open(struct inode *inode, struct file *file)
{
	struct spufs_inode_info *i = SPUFS_I(inode);
	struct spu_context *ctx = i->i_ctx;

#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 22)
	mutex_lock(&ctx->mapping_lock);
	file->private_data = ctx;
	if (!i->i_openers++)
		ctx->cntl = inode->i_mapping;
	mutex_unlock(&ctx->mapping_lock);
#else
	file->private_data = ctx;
	file->f_mapping = inode->i_mapping;
	ctx->cntl = inode->i_mapping;
#endif
	return 0;
}

static int spufs_cntl_release(struct inode *inode, struct file *file)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 22)
	struct spufs_inode_info *i = SPUFS_I(inode);
	struct spu_context *ctx = i->i_ctx;

	mutex_lock(&ctx->mapping_lock);
	if (!--i->i_openers)
		ctx->cntl = NULL;
	mutex_unlock(&ctx->mapping_lock);
#else
	(void)inode;
#endif
	(void)file;
	return 0;
}

static ssize_t spufs_cntl_read(struct file *file, char __user *buf, size_t len, loff_t *ppos)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 21)
	struct spu_context *ctx = file->private_data;
	u64 status;
	int ret = spu_acquire_intr(ctx);

	if (ret)
		return ret;
	status = ctx->ops->status_read(ctx);
	spu_release(ctx);
	return spufs_attr_read_value(buf, len, ppos, status);
#else
	/* FIXME: read from spu status */
	(void)file;
	(void)buf;
	(void)len;
	(void)ppos;
	return -EINVAL;
#endif
}

static ssize_t spufs_cntl_write(struct file *file, const char __user *buf, size_t len, loff_t *ppos)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 21)
	struct spu_context *ctx = file->private_data;
	u64 value;
	int ret = spufs_attr_parse(buf, len, &value);

	(void)ppos;
	if (ret)
		return ret;
	ret = spu_acquire_intr(ctx);
	if (ret)
		return ret;
	ctx->ops->runcntl_write(ctx, value);
	spu_release(ctx);
	return len;
#else
	/* FIXME: write to runctl bit */
	(void)file;
	(void)buf;
	(void)len;
	(void)ppos;
	return -EINVAL;
#endif
}

static const struct file_operations spufs_cntl_fops = {
	.open = spufs_cntl_open,
	.release = spufs_cntl_release,
	.read = spufs_cntl_read,
	.write = spufs_cntl_write,
	.llseek = generic_file_llseek,
	.mmap = spufs_cntl_mmap,
};

static int spufs_ctx_open(struct inode *inode, struct file *file)
{
	file->private_data = SPUFS_I(inode)->i_ctx;
	return 0;
}

/* npc: the next program counter (the context's, wherever it lives). */
static ssize_t spufs_npc_read(struct file *file, char __user *buf, size_t len, loff_t *ppos)
{
	struct spu_context *ctx = file->private_data;
	u64 npc;
	int ret = spu_acquire_intr(ctx);

	if (ret)
		return ret;
	npc = ctx->ops->npc_read(ctx);
	spu_release(ctx);
	return spufs_attr_read_value(buf, len, ppos, npc);
}

static ssize_t spufs_npc_write(struct file *file, const char __user *buf, size_t len, loff_t *ppos)
{
	struct spu_context *ctx = file->private_data;
	u64 value;
	int ret = spufs_attr_parse(buf, len, &value);

	(void)ppos;
	if (ret)
		return ret;
	ret = spu_acquire_intr(ctx);
	if (ret)
		return ret;
	ctx->ops->npc_write(ctx, value);
	spu_release(ctx);
	return len;
}

static const struct file_operations spufs_npc_ops = {
	.open = spufs_ctx_open,
	.read = spufs_npc_read,
	.write = spufs_npc_write,
	.llseek = generic_file_llseek,
};

/* ---- Mailboxes and signals ---- */

/* mbox: read the SPU's outbound mailbox without waiting (-EAGAIN when empty). */
static ssize_t spufs_mbox_read(struct file *file, char __user *buf, size_t len, loff_t *pos)
{
	struct spu_context *ctx = file->private_data;
	u32 mbox_data;
	ssize_t count;

	(void)pos;
	if (len < 4)
		return -EINVAL;
	count = spu_acquire_intr(ctx);
	if (count)
		return count;
	count = ctx->ops->mbox_read(ctx, &mbox_data) ? 4 : 0;
	spu_release(ctx);
	if (!count)
		return -EAGAIN;
	if (copy_to_user(buf, &mbox_data, sizeof(mbox_data)))
		return -EFAULT;
	return 4;
}

static const struct file_operations spufs_mbox_fops = {
	.open = spufs_ctx_open,
	.read = spufs_mbox_read,
};

static ssize_t spufs_mbox_stat_read(struct file *file, char __user *buf, size_t len, loff_t *pos)
{
	struct spu_context *ctx = file->private_data;
	u32 mbox_stat;
	ssize_t ret;

	(void)pos;
	if (len < 4)
		return -EINVAL;
	ret = spu_acquire_intr(ctx);
	if (ret)
		return ret;
	mbox_stat = ctx->ops->mbox_stat_read(ctx) & 0xff;
	spu_release(ctx);
	if (copy_to_user(buf, &mbox_stat, sizeof(mbox_stat)))
		return -EFAULT;
	return 4;
}

static const struct file_operations spufs_mbox_stat_fops = {
	.open = spufs_ctx_open,
	.read = spufs_mbox_stat_read,
};

/* wbox: write one word to the SPU's inbound mailbox (-EAGAIN when it is full). */
static ssize_t spufs_wbox_write(struct file *file, const char __user *buf, size_t len, loff_t *pos)
{
	struct spu_context *ctx = file->private_data;
	u32 wbox_data;
	ssize_t ret;

	(void)pos;
	if (len < 4)
		return -EINVAL;
	if (copy_from_user(&wbox_data, buf, sizeof(wbox_data)))
		return -EFAULT;
	ret = spu_acquire_intr(ctx);
	if (ret)
		return ret;
	ret = ctx->ops->wbox_write(ctx, wbox_data) ? 4 : -EAGAIN;
	spu_release(ctx);
	return ret;
}

static const struct file_operations spufs_wbox_fops = {
	.open = spufs_ctx_open,
	.write = spufs_wbox_write,
};

/* signal1: write a signal notification (read: the pending one). */
static ssize_t spufs_signal1_read(struct file *file, char __user *buf, size_t len, loff_t *pos)
{
	struct spu_context *ctx = file->private_data;
	u32 data;
	int ret;

	if (len < 4)
		return -EINVAL;
	ret = spu_acquire_saved(ctx);
	if (ret)
		return ret;
	data = ctx->csa.spu_chnlcnt_RW[SPU_RdSigNotify1] ? ctx->csa.spu_chnldata_RW[SPU_RdSigNotify1] : 0;
	spu_release_saved(ctx);
	if (*pos)
		return 0;
	if (copy_to_user(buf, &data, 4))
		return -EFAULT;
	*pos = 4;
	return 4;
}

static ssize_t spufs_signal1_write(struct file *file, const char __user *buf, size_t len, loff_t *pos)
{
	struct spu_context *ctx = file->private_data;
	u32 data;
	ssize_t ret;

	(void)pos;
	if (len < 4)
		return -EINVAL;
	if (copy_from_user(&data, buf, 4))
		return -EFAULT;
	ret = spu_acquire_intr(ctx);
	if (ret)
		return ret;
	ctx->ops->signal1_write(ctx, data);
	spu_release(ctx);
	return 4;
}

static int spufs_signal1_open(struct inode *inode, struct file *file)
{
	struct spufs_inode_info *i = SPUFS_I(inode);
	struct spu_context *ctx = i->i_ctx;

	(void)i;
	file->private_data = ctx;
	return nonseekable_open(inode, file);
}

static const struct file_operations spufs_signal1_fops = {
	.open = spufs_signal1_open,
	.read = spufs_signal1_read,
	.write = spufs_signal1_write,
};

/* The files of every context directory (inode.c spufs_fill_dir). */
const struct spufs_tree_descr spufs_dir_contents[] = {
	{ "mem", &spufs_mem_fops, 0666, LS_SIZE },
	{ "mbox", &spufs_mbox_fops, 0444, 0 },
	{ "wbox", &spufs_wbox_fops, 0222, 0 },
	{ "mbox_stat", &spufs_mbox_stat_fops, 0444, 0 },
	{ "signal1", &spufs_signal1_fops, 0666, 4 },
	{ "cntl", &spufs_cntl_fops, 0666, 0 },
	{ "npc", &spufs_npc_ops, 0666, 0 },
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 20)
	{ "psmap", &spufs_psmap_fops, 0666, SPUFS_PS_MAP_SIZE },
#endif
	{ NULL, NULL, 0, 0 },
};
