/* drivers/media/vcam/vcam.c: a capture/display engine that is not cache-coherent, exporting its
 * frame buffers as dma-bufs (kernel-semantics.md 5, section 8 scenario 8; seed 004).
 *
 * The hardware (src/kernel/devices/vcam/model.ts): a register window, a buffer table per slot (the
 * pages it may DMA to), and an engine that runs capture jobs (write a frame into a buffer) and
 * scanout jobs (read a buffer), one at a time, raising its interrupt when one completes. Its DMA
 * does not snoop the CPU caches.
 *
 * Each buffer is pages from the page allocator, an sg_table mapped for the device
 * (dma_map_sgtable) and programmed into a slot, exported as a dma-buf:
 * - mmap maps the pages cached (remap_pfn_range per page, as the system heap does);
 * - 6.8: begin_cpu_access(dir) is dma_sync_sgtable_for_cpu (invalidate unless TO_DEVICE),
 *   end_cpu_access(dir) dma_sync_sgtable_for_device (clean): DMA_BUF_IOCTL_SYNC's direction is what
 *   lets a CPU writer skip the invalidate (Lorentzon's point in seed 004); the core then waits for
 *   the capture's fence (a WRITE fence in the buffer's dma_resv);
 * - 2.6 profiles (the 2012 RFC): prepare_access waits for the last job and invalidates the whole
 *   buffer, finish_access cleans it: no direction, so both are "assume the worst" (BIDIRECTIONAL).
 * The driver does no cache maintenance when a capture completes: a CPU that reads without SYNC
 * reads whatever its lines held (stale), a CPU that writes without SYNC END leaves its data in
 * dirty lines the scanout does not see.
 *
 * Fences: one timeline (context) for the engine; a job's fence is created at queueing, kept on
 * `pending` in seqno order, and signalled by the threaded IRQ handler when DONE_SEQNO reaches it.
 * Locking: vcam->lock serialises register programming and the slots; fence_lock is the timeline's
 * fence lock and guards `pending`; scan_lock serialises scanouts (queue, wait, read the result). */
#include <linux/kernel.h>
#include <linux/version.h>
#include <linux/errno.h>
#include <linux/module.h>
#include <linux/init.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/fs.h>
#include <linux/fcntl.h>
#include <linux/mm.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/ioport.h>
#include <linux/interrupt.h>
#include <linux/uaccess.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/scatterlist.h>
#include <linux/dma-mapping.h>
#include <linux/dma-fence.h>
#include <linux/dma-resv.h>
#include <linux/dma-buf.h>
#include "vcam_uapi.h"

/* Registers (model.ts). */
#define VCAM_ID 0x00
#define VCAM_CTRL 0x04
#define VCAM_STATUS 0x08
#define VCAM_IRQ_STATUS 0x0c
#define VCAM_IRQ_ENABLE 0x10
#define VCAM_SEQNO 0x14
#define VCAM_DONE_SEQNO 0x18
#define VCAM_FILL 0x1c
#define VCAM_BUF_SELECT 0x20
#define VCAM_SEG_ADDR_LO 0x24
#define VCAM_SEG_ADDR_HI 0x28
#define VCAM_SEG_LEN 0x2c
#define VCAM_SEG_PUSH 0x30
#define VCAM_BUF_CLEAR 0x34
#define VCAM_SEG_COUNT 0x38
#define VCAM_SCAN_FIRST 0x3c
#define VCAM_SCAN_SUM 0x40

#define VCAM_CTRL_CAPTURE 1
#define VCAM_CTRL_SCANOUT 2
#define VCAM_CTRL_RESET 4
#define VCAM_ID_VALUE 0x5643414d
#define VCAM_SLOTS 16
#define VCAM_MAX_PAGES 64

/* Firmware (the device tree): where the engine is. */
unsigned long __vcam_regs_base(void);
unsigned long __vcam_regs_size(void);
int __vcam_irq(void);

struct vcam_dev {
	void __iomem *regs;
	struct resource *region;
	unsigned long phys;
	unsigned long size;
	int irq;
	int major;
	struct mutex lock;
	struct mutex scan_lock;
	spinlock_t fence_lock;
	u64 fence_context;
	u64 next_seqno;
	struct list_head pending;
	unsigned long slots;
};

struct vcam_buffer {
	struct vcam_dev *vcam;
	int slot;
	size_t size;
	unsigned int npages;
	struct page **pages;
	struct sg_table sgt;
	struct dma_buf *dmabuf;
	/* 2.6 (the RFC has no reservation objects): the last job's fence. */
	struct dma_fence *last_fence;
};

struct vcam_fence {
	struct dma_fence base;
	struct list_head node;		/* on vcam->pending until signalled */
};

static struct vcam_dev vcam0;
static const struct dma_buf_ops vcam_dmabuf_ops;
static const struct dma_buf_ops vcam_dmabuf_nommap_ops;

/* A dma-buf this driver exported. */
#define is_vcam_dmabuf(dmabuf) ((dmabuf)->ops == &vcam_dmabuf_ops || (dmabuf)->ops == &vcam_dmabuf_nommap_ops)

/* ---- fences ---- */

static const char *vcam_fence_driver_name(struct dma_fence *fence)
{
	(void)fence;
	return "vcam";
}

static const char *vcam_fence_timeline_name(struct dma_fence *fence)
{
	(void)fence;
	return "vcam0";
}

static const struct dma_fence_ops vcam_fence_ops = {
	.get_driver_name = vcam_fence_driver_name,
	.get_timeline_name = vcam_fence_timeline_name,
};

/* The engine finished every job up to DONE_SEQNO: signal their fences. */
static irqreturn_t vcam_irq(int irq, void *dev_id)
{
	struct vcam_dev *vcam = dev_id;
	struct vcam_fence *f, *tmp;
	LIST_HEAD(done);
	u32 status, seqno;

	(void)irq;
	status = readl(vcam->regs + VCAM_IRQ_STATUS);
	if (!(status & 1))
		return IRQ_NONE;
	writel(status, vcam->regs + VCAM_IRQ_STATUS);
	seqno = readl(vcam->regs + VCAM_DONE_SEQNO);

	spin_lock(&vcam->fence_lock);
	list_for_each_entry_safe(f, tmp, &vcam->pending, node) {
		if ((s32)((u32)f->base.seqno - seqno) > 0)
			break;
		list_move_tail(&f->node, &done);
		dma_fence_signal_locked(&f->base);
	}
	spin_unlock(&vcam->fence_lock);

	/* The pending list's references. */
	list_for_each_entry_safe(f, tmp, &done, node) {
		list_del_init(&f->node);
		dma_fence_put(&f->base);
	}
	return IRQ_HANDLED;
}

/* Queues a job on `buf` and returns its fence (a reference). Capture jobs carry `value`. */
static struct dma_fence *vcam_queue_job(struct vcam_buffer *buf, int kind, u32 value)
{
	struct vcam_dev *vcam = buf->vcam;
	struct vcam_fence *f = kzalloc(sizeof(*f), GFP_KERNEL);
	u64 seqno;

	if (!f)
		return ERR_PTR(-ENOMEM);
	mutex_lock(&vcam->lock);
	seqno = ++vcam->next_seqno;
	dma_fence_init(&f->base, &vcam_fence_ops, &vcam->fence_lock, vcam->fence_context, seqno);
	spin_lock(&vcam->fence_lock);
	list_add_tail(&f->node, &vcam->pending);
	dma_fence_get(&f->base);
	spin_unlock(&vcam->fence_lock);

#if LINUX_VERSION_CODE >= KERNEL_VERSION(3, 3, 0)
	/* Implicit sync: a capture writes the buffer, a scanout reads it. */
	dma_resv_lock(buf->dmabuf->resv, NULL);
	if (dma_resv_reserve_fences(buf->dmabuf->resv, 1) == 0)
		dma_resv_add_fence(buf->dmabuf->resv, &f->base,
				   kind == VCAM_CTRL_CAPTURE ? DMA_RESV_USAGE_WRITE : DMA_RESV_USAGE_READ);
	dma_resv_unlock(buf->dmabuf->resv);
#else
	dma_fence_put(buf->last_fence);
	buf->last_fence = dma_fence_get(&f->base);
#endif

	if (kind == VCAM_CTRL_CAPTURE) {
		/* Before the device writes: dirty CPU lines must not be written back over the frame
		 * later (videobuf2's prepare does this). The stale clean lines stay. */
		dma_sync_sgtable_for_device(NULL, &buf->sgt, DMA_FROM_DEVICE);
		writel(value & 0xff, vcam->regs + VCAM_FILL);
	}
	writel(buf->slot, vcam->regs + VCAM_BUF_SELECT);
	writel((u32)seqno, vcam->regs + VCAM_SEQNO);
	writel(kind, vcam->regs + VCAM_CTRL);
	mutex_unlock(&vcam->lock);
	return &f->base;
}

/* Waits for every job queued on the buffer so far. */
static long vcam_buffer_wait(struct vcam_buffer *buf, bool intr)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(3, 3, 0)
	long ret = dma_resv_wait_timeout(buf->dmabuf->resv, DMA_RESV_USAGE_BOOKKEEP, intr, MAX_SCHEDULE_TIMEOUT);

	return ret < 0 ? ret : 0;
#else
	struct dma_fence *fence;
	long ret = 0;

	mutex_lock(&buf->vcam->lock);
	fence = dma_fence_get(buf->last_fence);
	mutex_unlock(&buf->vcam->lock);
	if (fence) {
		ret = dma_fence_wait(fence, intr);
		dma_fence_put(fence);
	}
	return ret;
#endif
}

/* ---- the dma-buf exporter ---- */

static struct sg_table *vcam_map_dma_buf(struct dma_buf_attachment *attach, enum dma_data_direction dir)
{
	struct vcam_buffer *buf = attach->dmabuf->priv;
	struct sg_table *table = kzalloc(sizeof(*table), GFP_KERNEL);

	if (!table)
		return ERR_PTR(-ENOMEM);
	if (sg_alloc_table_from_pages(table, buf->pages, buf->npages, 0, buf->size, GFP_KERNEL)) {
		kfree(table);
		return ERR_PTR(-ENOMEM);
	}
	if (dma_map_sgtable(attach->dev, table, dir, 0)) {
		sg_free_table(table);
		kfree(table);
		return ERR_PTR(-ENOMEM);
	}
	return table;
}

static void vcam_unmap_dma_buf(struct dma_buf_attachment *attach, struct sg_table *table, enum dma_data_direction dir)
{
	dma_unmap_sgtable(attach->dev, table, dir, 0);
	sg_free_table(table);
	kfree(table);
}

/* The pages, cached, as the system heap maps them. */
static int vcam_mmap_pages(struct vcam_buffer *buf, struct vm_area_struct *vma)
{
	unsigned long addr = vma->vm_start;
	unsigned long pgoff = vma->vm_pgoff;
	int ret;

	/* The 6.8 core checked this already; the RFC left it to the exporter. */
	if (vma->vm_pgoff + vma_pages(vma) > buf->npages)
		return -EINVAL;
	for (; addr < vma->vm_end && pgoff < buf->npages; addr += PAGE_SIZE, pgoff++) {
		ret = remap_pfn_range(vma, addr, page_to_pfn(buf->pages[pgoff]), PAGE_SIZE, vma->vm_page_prot);
		if (ret)
			return ret;
	}
	return 0;
}

static void vcam_buffer_free(struct vcam_buffer *buf)
{
	struct vcam_dev *vcam = buf->vcam;
	unsigned int i;

	/* No job may still write into pages about to be freed. */
	vcam_buffer_wait(buf, false);
	dma_unmap_sgtable(NULL, &buf->sgt, DMA_BIDIRECTIONAL, 0);
	mutex_lock(&vcam->lock);
	writel(buf->slot, vcam->regs + VCAM_BUF_SELECT);
	writel(1, vcam->regs + VCAM_BUF_CLEAR);
	clear_bit(buf->slot, &vcam->slots);
	mutex_unlock(&vcam->lock);
#if LINUX_VERSION_CODE < KERNEL_VERSION(3, 3, 0)
	dma_fence_put(buf->last_fence);
#endif
	for (i = 0; i < buf->npages; i++)
		__free_page(buf->pages[i]);
	sg_free_table(&buf->sgt);
	kfree(buf->pages);
	kfree(buf);
}

static void vcam_dmabuf_release(struct dma_buf *dmabuf)
{
	vcam_buffer_free(dmabuf->priv);
}

#if LINUX_VERSION_CODE >= KERNEL_VERSION(3, 3, 0)

static int vcam_dmabuf_mmap(struct dma_buf *dmabuf, struct vm_area_struct *vma)
{
	return vcam_mmap_pages(dmabuf->priv, vma);
}

/* The CPU is about to access the buffer: drop its lines (unless it only writes). */
static int vcam_begin_cpu_access(struct dma_buf *dmabuf, enum dma_data_direction dir)
{
	struct vcam_buffer *buf = dmabuf->priv;

	dma_sync_sgtable_for_cpu(NULL, &buf->sgt, dir);
	return 0;
}

/* The CPU is done: write its dirty lines back so that the device sees them. */
static int vcam_end_cpu_access(struct dma_buf *dmabuf, enum dma_data_direction dir)
{
	struct vcam_buffer *buf = dmabuf->priv;

	dma_sync_sgtable_for_device(NULL, &buf->sgt, dir);
	return 0;
}

static const struct dma_buf_ops vcam_dmabuf_ops = {
	.map_dma_buf = vcam_map_dma_buf,
	.unmap_dma_buf = vcam_unmap_dma_buf,
	.release = vcam_dmabuf_release,
	.begin_cpu_access = vcam_begin_cpu_access,
	.end_cpu_access = vcam_end_cpu_access,
	.mmap = vcam_dmabuf_mmap,
};

/* VCAM_BUF_NO_MMAP: an exporter that offers no user mapping (mmap is optional). */
static const struct dma_buf_ops vcam_dmabuf_nommap_ops = {
	.map_dma_buf = vcam_map_dma_buf,
	.unmap_dma_buf = vcam_unmap_dma_buf,
	.release = vcam_dmabuf_release,
	.begin_cpu_access = vcam_begin_cpu_access,
	.end_cpu_access = vcam_end_cpu_access,
};

#else /* the 2012 RFC */

static int vcam_dmabuf_mmap(struct dma_buf *dmabuf, struct file *file, struct vm_area_struct *vma)
{
	(void)file;
	return vcam_mmap_pages(dmabuf->priv, vma);
}

/* PREPARE_ACCESS: no direction, no range: wait for the engine and drop every line. */
static int vcam_prepare_access(struct dma_buf *dmabuf)
{
	struct vcam_buffer *buf = dmabuf->priv;
	long ret = vcam_buffer_wait(buf, true);

	if (ret)
		return (int)ret;
	dma_sync_sgtable_for_cpu(NULL, &buf->sgt, DMA_BIDIRECTIONAL);
	return 0;
}

/* FINISH_ACCESS: write every dirty line back. */
static int vcam_finish_access(struct dma_buf *dmabuf)
{
	struct vcam_buffer *buf = dmabuf->priv;

	dma_sync_sgtable_for_device(NULL, &buf->sgt, DMA_BIDIRECTIONAL);
	return 0;
}

static const struct dma_buf_ops vcam_dmabuf_ops = {
	.map_dma_buf = vcam_map_dma_buf,
	.unmap_dma_buf = vcam_unmap_dma_buf,
	.release = vcam_dmabuf_release,
	.mmap = vcam_dmabuf_mmap,
	.prepare_access = vcam_prepare_access,
	.finish_access = vcam_finish_access,
};

static const struct dma_buf_ops vcam_dmabuf_nommap_ops = {
	.map_dma_buf = vcam_map_dma_buf,
	.unmap_dma_buf = vcam_unmap_dma_buf,
	.release = vcam_dmabuf_release,
	.prepare_access = vcam_prepare_access,
	.finish_access = vcam_finish_access,
};

#endif

/* A buffer of `size` bytes programmed into a free slot and exported: the dma-buf or an ERR_PTR. */
static struct dma_buf *vcam_buffer_create(struct vcam_dev *vcam, size_t size, u32 flags)
{
	struct vcam_buffer *buf;
	struct scatterlist *sg;
	struct dma_buf *dmabuf;
	unsigned int i;
	int ret = -ENOMEM;

	if (size == 0 || (size & ~PAGE_MASK) || size > VCAM_MAX_PAGES * PAGE_SIZE)
		return ERR_PTR(-EINVAL);
	buf = kzalloc(sizeof(*buf), GFP_KERNEL);
	if (!buf)
		return ERR_PTR(-ENOMEM);
	buf->vcam = vcam;
	buf->size = size;
	buf->npages = (unsigned int)(size >> PAGE_SHIFT);
	buf->pages = kcalloc(buf->npages, sizeof(struct page *), GFP_KERNEL);
	if (!buf->pages)
		goto err_buf;
	for (i = 0; i < buf->npages; i++) {
		buf->pages[i] = alloc_page(GFP_KERNEL | __GFP_ZERO);
		if (!buf->pages[i])
			goto err_pages;
	}
	if (sg_alloc_table_from_pages(&buf->sgt, buf->pages, buf->npages, 0, size, GFP_KERNEL))
		goto err_pages;
	ret = dma_map_sgtable(NULL, &buf->sgt, DMA_BIDIRECTIONAL, 0);
	if (ret)
		goto err_table;

	mutex_lock(&vcam->lock);
	for (buf->slot = 0; buf->slot < VCAM_SLOTS; buf->slot++)
		if (!test_and_set_bit(buf->slot, &vcam->slots))
			break;
	if (buf->slot == VCAM_SLOTS) {
		mutex_unlock(&vcam->lock);
		ret = -ENOSPC;
		goto err_map;
	}
	/* The engine's buffer table: the bus address of every segment. */
	writel(buf->slot, vcam->regs + VCAM_BUF_SELECT);
	writel(1, vcam->regs + VCAM_BUF_CLEAR);
	for_each_sgtable_dma_sg(&buf->sgt, sg, i) {
		writel((u32)sg_dma_address(sg), vcam->regs + VCAM_SEG_ADDR_LO);
		writel((u32)(sg_dma_address(sg) >> 32), vcam->regs + VCAM_SEG_ADDR_HI);
		writel(sg_dma_len(sg), vcam->regs + VCAM_SEG_LEN);
		writel(1, vcam->regs + VCAM_SEG_PUSH);
	}
	mutex_unlock(&vcam->lock);

#if LINUX_VERSION_CODE >= KERNEL_VERSION(3, 3, 0)
	{
		DEFINE_DMA_BUF_EXPORT_INFO(exp_info);

		exp_info.exp_name = "vcam";
		exp_info.ops = (flags & VCAM_BUF_NO_MMAP) ? &vcam_dmabuf_nommap_ops : &vcam_dmabuf_ops;
		exp_info.size = size;
		exp_info.flags = O_RDWR;
		exp_info.priv = buf;
		dmabuf = dma_buf_export(&exp_info);
	}
#else
	dmabuf = dma_buf_export(buf, (flags & VCAM_BUF_NO_MMAP) ? &vcam_dmabuf_nommap_ops : &vcam_dmabuf_ops, size, O_RDWR);
#endif
	if (IS_ERR(dmabuf)) {
		ret = (int)PTR_ERR(dmabuf);
		goto err_slot;
	}
	buf->dmabuf = dmabuf;
	return dmabuf;

err_slot:
	mutex_lock(&vcam->lock);
	writel(buf->slot, vcam->regs + VCAM_BUF_SELECT);
	writel(1, vcam->regs + VCAM_BUF_CLEAR);
	clear_bit(buf->slot, &vcam->slots);
	mutex_unlock(&vcam->lock);
err_map:
	dma_unmap_sgtable(NULL, &buf->sgt, DMA_BIDIRECTIONAL, 0);
err_table:
	sg_free_table(&buf->sgt);
err_pages:
	for (i = 0; i < buf->npages; i++)
		if (buf->pages[i])
			__free_page(buf->pages[i]);
	kfree(buf->pages);
err_buf:
	kfree(buf);
	return ERR_PTR(ret);
}

/* The vcam buffer behind a dma-buf fd, with a reference on the dma-buf. */
static struct vcam_buffer *vcam_buffer_get(int fd, struct dma_buf **dmabufp)
{
	struct dma_buf *dmabuf = dma_buf_get(fd);

	if (IS_ERR(dmabuf))
		return ERR_CAST(dmabuf);
	if (!is_vcam_dmabuf(dmabuf)) {
		dma_buf_put(dmabuf);
		return ERR_PTR(-EINVAL);
	}
	*dmabufp = dmabuf;
	return dmabuf->priv;
}

/* ---- /dev/vcam0 ---- */

static long vcam_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct vcam_dev *vcam = &vcam0;
	void __user *uarg = (void __user *)arg;
	struct vcam_create_buf create;
	struct vcam_buffer *buf;
	struct dma_buf *dmabuf;
	struct dma_fence *fence;
	struct vcam_job job;
	long ret;

	(void)file;
	switch (cmd) {
	case VCAM_IOC_CREATE_BUF:
		if (copy_from_user(&create, uarg, sizeof(create)))
			return -EFAULT;
		dmabuf = vcam_buffer_create(vcam, create.size, create.flags);
		if (IS_ERR(dmabuf))
			return PTR_ERR(dmabuf);
		create.fd = dma_buf_fd(dmabuf, O_CLOEXEC);
		if (create.fd < 0) {
			ret = create.fd;
			dma_buf_put(dmabuf);
			return ret;
		}
		if (copy_to_user(uarg, &create, sizeof(create)))
			return -EFAULT;
		return 0;

	case VCAM_IOC_CAPTURE:
	case VCAM_IOC_WAIT:
	case VCAM_IOC_SCANOUT:
		if (copy_from_user(&job, uarg, sizeof(job)))
			return -EFAULT;
		buf = vcam_buffer_get(job.fd, &dmabuf);
		if (IS_ERR(buf))
			return PTR_ERR(buf);
		ret = 0;
		if (cmd == VCAM_IOC_CAPTURE) {
			fence = vcam_queue_job(buf, VCAM_CTRL_CAPTURE, job.value);
			if (IS_ERR(fence))
				ret = PTR_ERR(fence);
			else
				dma_fence_put(fence);
		} else if (cmd == VCAM_IOC_WAIT) {
			ret = vcam_buffer_wait(buf, true);
		} else {
			mutex_lock(&vcam->scan_lock);
			fence = vcam_queue_job(buf, VCAM_CTRL_SCANOUT, 0);
			if (IS_ERR(fence)) {
				ret = PTR_ERR(fence);
			} else {
				ret = dma_fence_wait(fence, false);
				dma_fence_put(fence);
				job.first = readl(vcam->regs + VCAM_SCAN_FIRST);
				job.sum = readl(vcam->regs + VCAM_SCAN_SUM);
			}
			mutex_unlock(&vcam->scan_lock);
			if (ret == 0 && copy_to_user(uarg, &job, sizeof(job)))
				ret = -EFAULT;
		}
		dma_buf_put(dmabuf);
		return ret;

	default:
		return -ENOTTY;
	}
}

static const struct file_operations vcam_fops = {
	.unlocked_ioctl = vcam_ioctl,
};

/* Harness call: the device writes a frame of `value` into the `buffer`-th dma-buf exported since
 * boot (a DMA write with a fence, bypassing the CPU caches). 0, -ENOENT or -EINVAL. */
long sim_device_write_frame(int buffer, int value)
{
	struct dma_buf *dmabuf = dma_buf_find_serial((unsigned long)buffer);
	struct dma_fence *fence;

	if (!dmabuf)
		return -ENOENT;
	if (!is_vcam_dmabuf(dmabuf))
		return -EINVAL;
	get_dma_buf(dmabuf);
	fence = vcam_queue_job(dmabuf->priv, VCAM_CTRL_CAPTURE, (u32)value);
	if (!IS_ERR(fence))
		dma_fence_put(fence);
	dma_buf_put(dmabuf);
	return IS_ERR(fence) ? PTR_ERR(fence) : 0;
}

static int __init vcam_init(void)
{
	struct vcam_dev *vcam = &vcam0;
	int ret;

	mutex_init(&vcam->lock);
	mutex_init(&vcam->scan_lock);
	spin_lock_init(&vcam->fence_lock);
	INIT_LIST_HEAD(&vcam->pending);
	vcam->fence_context = dma_fence_context_alloc(1);
	vcam->phys = __vcam_regs_base();
	vcam->size = __vcam_regs_size();
	vcam->irq = __vcam_irq();

	vcam->region = request_mem_region(vcam->phys, vcam->size, "vcam");
	if (!vcam->region)
		return -EBUSY;
	vcam->regs = ioremap(vcam->phys, vcam->size);
	if (!vcam->regs) {
		ret = -ENOMEM;
		goto err_region;
	}
	if (readl(vcam->regs + VCAM_ID) != VCAM_ID_VALUE) {
		ret = -ENODEV;
		goto err_map;
	}
	writel(VCAM_CTRL_RESET, vcam->regs + VCAM_CTRL);
	ret = request_irq(vcam->irq, vcam_irq, 0, "vcam", vcam);
	if (ret)
		goto err_map;
	writel(1, vcam->regs + VCAM_IRQ_ENABLE);
	ret = register_chrdev(0, "vcam", &vcam_fops);
	if (ret < 0)
		goto err_irq;
	vcam->major = ret;
	ret = devtmpfs_create_node("vcam0", vcam->major, 0);
	if (ret)
		goto err_chrdev;
	printk(KERN_INFO "vcam: engine at [mem %#lx-%#lx], irq %d, /dev/vcam0 (major %d)\n", vcam->phys,
	       vcam->phys + vcam->size - 1, vcam->irq, vcam->major);
	return 0;

err_chrdev:
	unregister_chrdev(vcam->major, "vcam");
err_irq:
	free_irq(vcam->irq, vcam);
err_map:
	iounmap(vcam->regs);
err_region:
	release_mem_region(vcam->phys, vcam->size);
	return ret;
}

module_init(vcam_init);
MODULE_LICENSE("GPL");
