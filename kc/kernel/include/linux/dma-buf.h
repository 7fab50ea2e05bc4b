/* <linux/dma-buf.h>: buffer sharing between drivers and with user space (drivers/dma-buf/dma-buf.c).
 *
 * An exporter wraps its buffer in a dma_buf: an anonymous file (its fd is what processes pass
 * around) whose operations call the exporter's dma_buf_ops. Importers attach and map it for their
 * device (an sg_table); user space may mmap it and brackets CPU access (kernel-semantics.md 5).
 *
 * Two eras, by profile (dma-buf itself appeared in 3.3):
 * - 6.8 (profiles >= 3.3): dma_buf_export(&exp_info) with a dma_resv (implicit fences);
 *   ops->mmap(dmabuf, vma) is optional (absent: mmap gives -EINVAL); DMA_BUF_IOCTL_SYNC calls
 *   begin_cpu_access/end_cpu_access with the direction, and START waits for the resv's fences.
 * - 2.6 profiles: the 2012 RFC ("dma-buf: userspace mmap support", seed 004) on the 3.3 dma-buf, as
 *   if it had been there: dma_buf_export(priv, ops, size, flags), no reservation object and no
 *   fences, ops->mmap(dmabuf, file, vma) (absent: -ENODEV), and the argument-less
 *   DMA_BUF_IOCTL_PREPARE_ACCESS/FINISH_ACCESS ioctls calling the optional prepare_access and
 *   finish_access (absent: 0). */
#ifndef __DMA_BUF_H__
#define __DMA_BUF_H__

#include <linux/version.h>
#include <linux/module.h>
#include <linux/types.h>
#include <linux/err.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/fs.h>
#include <linux/file.h>
#include <linux/mm.h>
#include <linux/scatterlist.h>
#include <linux/dma-direction.h>
#include <linux/dma-mapping.h>
#include <linux/iosys-map.h>
#include <linux/dma-fence.h>
#include <linux/dma-resv.h>
#include <linux/wait.h>
#include <linux/ioctl.h>

struct device;
struct module;
struct dma_buf;
struct dma_buf_attachment;

#if LINUX_VERSION_CODE < KERNEL_VERSION(3, 3, 0)
/* Kernel-private in the RFC ("for now just stuff these here"): no argument, no direction. */
#define DMA_BUF_IOCTL_PREPARE_ACCESS _IO('Z', 0)
#define DMA_BUF_IOCTL_FINISH_ACCESS _IO('Z', 1)
#endif

struct dma_buf_ops {
#if LINUX_VERSION_CODE >= KERNEL_VERSION(3, 3, 0)
	/* Map each attachment once and keep the sg_table until detach. */
	bool cache_sgt_mapping;
#endif
	/* [optional] may this device access the buffer? */
	int (*attach)(struct dma_buf *, struct dma_buf_attachment *);
	void (*detach)(struct dma_buf *, struct dma_buf_attachment *);
#if LINUX_VERSION_CODE >= KERNEL_VERSION(3, 3, 0)
	/* [optional] keep the buffer where it is while a dynamic importer maps it. */
	int (*pin)(struct dma_buf_attachment *attach);
	void (*unpin)(struct dma_buf_attachment *attach);
#endif
	/* The pages of the buffer for the attachment's device (mapped for DMA). */
	struct sg_table *(*map_dma_buf)(struct dma_buf_attachment *, enum dma_data_direction);
	void (*unmap_dma_buf)(struct dma_buf_attachment *, struct sg_table *, enum dma_data_direction);
	/* The last reference to the dma-buf file went away. */
	void (*release)(struct dma_buf *);
#if LINUX_VERSION_CODE >= KERNEL_VERSION(3, 3, 0)
	/* [optional] cache maintenance before/after CPU access (DMA_BUF_IOCTL_SYNC, in-kernel users). */
	int (*begin_cpu_access)(struct dma_buf *, enum dma_data_direction);
	int (*end_cpu_access)(struct dma_buf *, enum dma_data_direction);
	/* [optional] set up a user mapping of the buffer (the core checked its size). */
	int (*mmap)(struct dma_buf *, struct vm_area_struct *vma);
	/* [optional] a kernel mapping. */
	int (*vmap)(struct dma_buf *dmabuf, struct iosys_map *map);
	void (*vunmap)(struct dma_buf *dmabuf, struct iosys_map *map);
#else
	/* [optional, allowed to fail] mmap() on the dma-buf fd (the RFC). */
	int (*mmap)(struct dma_buf *, struct file *, struct vm_area_struct *);
	/* [optional] DMA_BUF_IOCTL_PREPARE_ACCESS / FINISH_ACCESS: no direction, no range. */
	int (*prepare_access)(struct dma_buf *);
	int (*finish_access)(struct dma_buf *);
#endif
};

struct dma_buf {
	size_t size;
	struct file *file;		/* the anonymous file; its private_data is this dma_buf */
	struct list_head attachments;
	const struct dma_buf_ops *ops;
	struct mutex lock;		/* attachments (3.3's dma_buf->lock) and the vmap state */
	unsigned vmapping_counter;
	struct iosys_map vmap_ptr;
	const char *exp_name;		/* the exporter's name (its module) */
	const char *name;		/* DMA_BUF_SET_NAME */
	spinlock_t name_lock;
	struct module *owner;
	struct list_head list_node;	/* on the list of every dma-buf (debugfs) */
	void *priv;			/* the exporter's */
	struct dma_resv *resv;		/* fences and the buffer lock (6.8; NULL on the RFC) */
	wait_queue_head_t poll;
	unsigned long serial;		/* Faultline: the n-th dma-buf exported since boot, from 1 */
};

struct dma_buf_attach_ops {
	bool allow_peer2peer;
	void (*move_notify)(struct dma_buf_attachment *attach);
};

struct dma_buf_attachment {
	struct dma_buf *dmabuf;
	struct device *dev;
	struct list_head node;
	struct sg_table *sgt;		/* the cached mapping (cache_sgt_mapping) */
	enum dma_data_direction dir;
	bool peer2peer;
	const struct dma_buf_attach_ops *importer_ops;
	void *importer_priv;
	void *priv;
};

#if LINUX_VERSION_CODE >= KERNEL_VERSION(3, 3, 0)
struct dma_buf_export_info {
	const char *exp_name;
	struct module *owner;
	const struct dma_buf_ops *ops;
	size_t size;
	int flags;			/* the file's O_* flags (O_RDWR, O_CLOEXEC...) */
	struct dma_resv *resv;		/* NULL: the dma-buf embeds its own */
	void *priv;
};

#ifndef KBUILD_MODNAME
#define KBUILD_MODNAME "dma-buf-exporter"
#endif
#define DEFINE_DMA_BUF_EXPORT_INFO(name) \
	struct dma_buf_export_info name = { .exp_name = KBUILD_MODNAME, .owner = THIS_MODULE }

/* A new dma-buf (its file holds the one reference), or ERR_PTR(-EINVAL/-ENOMEM...). */
struct dma_buf *dma_buf_export(const struct dma_buf_export_info *exp_info);
#else
struct dma_buf *dma_buf_export(void *priv, const struct dma_buf_ops *ops, size_t size, int flags);
#endif

/* A reference on the dma-buf (its file). */
static inline void get_dma_buf(struct dma_buf *dmabuf)
{
	get_file(dmabuf->file);
}

/* A file descriptor of current for it (taking over the caller's reference): fd or -errno. */
int dma_buf_fd(struct dma_buf *dmabuf, int flags);
/* The dma-buf behind fd, with a reference; ERR_PTR(-EBADF) or ERR_PTR(-EINVAL) (not a dma-buf). */
struct dma_buf *dma_buf_get(int fd);
void dma_buf_put(struct dma_buf *dmabuf);
/* true when `file` is a dma-buf file. */
bool is_dma_buf_file(struct file *file);

struct dma_buf_attachment *dma_buf_attach(struct dma_buf *dmabuf, struct device *dev);
void dma_buf_detach(struct dma_buf *dmabuf, struct dma_buf_attachment *attach);
struct sg_table *dma_buf_map_attachment(struct dma_buf_attachment *, enum dma_data_direction);
void dma_buf_unmap_attachment(struct dma_buf_attachment *, struct sg_table *, enum dma_data_direction);

#if LINUX_VERSION_CODE >= KERNEL_VERSION(3, 3, 0)
struct dma_buf_attachment *dma_buf_dynamic_attach(struct dma_buf *dmabuf, struct device *dev,
						  const struct dma_buf_attach_ops *importer_ops, void *importer_priv);
int dma_buf_pin(struct dma_buf_attachment *attach);
void dma_buf_unpin(struct dma_buf_attachment *attach);
struct sg_table *dma_buf_map_attachment_unlocked(struct dma_buf_attachment *attach, enum dma_data_direction direction);
void dma_buf_unmap_attachment_unlocked(struct dma_buf_attachment *attach, struct sg_table *sg_table,
				       enum dma_data_direction direction);
void dma_buf_move_notify(struct dma_buf *dma_buf);
/* The exporter's begin_cpu_access, then (if it succeeded) a wait for the implicit fences a CPU
 * access in direction `dir` must see (kernel-semantics.md 5.2): 0 or -errno. */
int dma_buf_begin_cpu_access(struct dma_buf *dma_buf, enum dma_data_direction dir);
int dma_buf_end_cpu_access(struct dma_buf *dma_buf, enum dma_data_direction dir);
/* An importer's mmap redirected to the dma-buf at page `pgoff`: -EINVAL, -EOVERFLOW or the exporter's. */
int dma_buf_mmap(struct dma_buf *, struct vm_area_struct *, unsigned long);
int dma_buf_vmap(struct dma_buf *dmabuf, struct iosys_map *map);
void dma_buf_vunmap(struct dma_buf *dmabuf, struct iosys_map *map);
int dma_buf_vmap_unlocked(struct dma_buf *dmabuf, struct iosys_map *map);
void dma_buf_vunmap_unlocked(struct dma_buf *dmabuf, struct iosys_map *map);
#endif

/* The dma-buf exported `serial`-th since boot (Faultline's handle for harness calls), or NULL. */
struct dma_buf *dma_buf_find_serial(unsigned long serial);

#endif /* __DMA_BUF_H__ */
