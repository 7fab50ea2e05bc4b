/* drivers/dma-buf/dma-buf.c: the dma-buf core, buffers shared as files (kernel-semantics.md 5).
 *
 * Each exported buffer is a file of the "dmabuf" pseudo file system, one anonymous inode per buffer
 * (as dma_buf_getfile does since the pseudo-fs): user space holds it as an fd, mmaps it and brackets
 * CPU access with ioctls; drivers import it with dma_buf_get(fd) and attach their device.
 *
 * Eras (see <linux/dma-buf.h>):
 * - 6.8: mmap checks the exporter has ->mmap and that vm_pgoff + pages fits the buffer (-EINVAL),
 *   then calls it; DMA_BUF_IOCTL_SYNC maps READ/WRITE/RW to FROM_DEVICE/TO_DEVICE/BIDIRECTIONAL,
 *   refuses other bits or no direction (-EINVAL) and calls begin/end_cpu_access; begin waits for
 *   the implicit fences a CPU access in that direction must see (dma_resv_usage_rw); unknown
 *   ioctls give -ENOTTY.
 * - 2.6 profiles, the 2012 RFC (seed 004): mmap without ->mmap gives -ENODEV; the ioctl
 *   dispatches on _IOC_NR alone to the optional prepare_access/finish_access (absent: 0), anything
 *   else is -EINVAL; there are no fences to wait for.
 *
 * This is the dma-buf module (a built-in in Linux: CONFIG_DMA_SHARED_BUFFER is bool); its init
 * registers and mounts the file system. Locking: dmabuf->resv (6.8) or dmabuf->lock (RFC) guards
 * the attachment list; db_list_lock the list of every dma-buf. */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/module.h>
#include <linux/init.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/fs.h>
#include <linux/file.h>
#include <linux/fcntl.h>
#include <linux/mount.h>
#include <linux/dcache.h>
#include <linux/uaccess.h>
#include <linux/mm.h>
#include <linux/dma-buf.h>
#include <linux/dma-resv.h>
#include <linux/dma-fence.h>
#include <uapi/linux/dma-buf.h>

#define DMABUF_MAGIC 0x444d4142 /* "DMAB" */

static struct vfsmount *dma_buf_mnt;

/* Every dma-buf, in export order (debugfs's bufinfo in Linux). */
static LIST_HEAD(db_list);
static DEFINE_MUTEX(db_list_lock);
/* Exports since boot: dma_buf->serial. */
static unsigned long db_serial;

static const struct file_operations dma_buf_fops;

/* ---- the pseudo file system ---- */

static int dma_buf_fs_fill_super(struct super_block *sb, void *data, int silent)
{
	struct inode *root;

	(void)data;
	(void)silent;
	sb->s_magic = DMABUF_MAGIC;
	sb->s_blocksize = PAGE_SIZE;
	sb->s_blocksize_bits = PAGE_SHIFT;
	root = new_inode(sb);
	if (!root)
		return -ENOMEM;
	root->i_ino = get_next_ino();
	root->i_mode = S_IFDIR | 0755;
	sb->s_root = d_make_root(root);
	if (!sb->s_root)
		return -ENOMEM;
	return 0;
}

#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 39)
static struct dentry *dma_buf_fs_mount(struct file_system_type *fs_type, int flags, const char *name, void *data)
{
	(void)name;
	return mount_nodev(fs_type, flags, data, dma_buf_fs_fill_super);
}
#else
static int dma_buf_fs_get_sb(struct file_system_type *fs_type, int flags, const char *name, void *data, struct vfsmount *mnt)
{
	(void)name;
	return get_sb_nodev(fs_type, flags, data, dma_buf_fs_fill_super, mnt);
}
#endif

static struct file_system_type dma_buf_fs_type = {
	.name = "dmabuf",
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 39)
	.mount = dma_buf_fs_mount,
#else
	.get_sb = dma_buf_fs_get_sb,
#endif
	.kill_sb = kill_anon_super,
};

/* The file of a new buffer: a fresh anonymous inode of `size` bytes. */
static struct file *dma_buf_getfile(size_t size, int flags)
{
	struct inode *inode;
	struct dentry *dentry;
	struct path path;
	struct file *file;

	if (!dma_buf_mnt)
		return ERR_PTR(-ENODEV);
	inode = new_inode(dma_buf_mnt->mnt_sb);
	if (!inode)
		return ERR_PTR(-ENOMEM);
	inode->i_ino = get_next_ino();
	inode->i_mode = S_IFREG | 0600;
	inode->i_size = (loff_t)size;
	dentry = d_alloc_name(dma_buf_mnt->mnt_root, "dmabuf");
	if (!dentry) {
		iput(inode);
		return ERR_PTR(-ENOMEM);
	}
	d_instantiate(dentry, inode);
	path.mnt = mntget(dma_buf_mnt);
	path.dentry = dentry;
	file = alloc_file(&path, FMODE_READ | FMODE_WRITE, &dma_buf_fops);
	if (IS_ERR(file)) {
		path_put(&path);
		return file;
	}
	file->f_flags = flags & (O_ACCMODE | O_NONBLOCK);
	file->f_mode |= FMODE_LSEEK;
	return file;
}

/* ---- file operations ---- */

/* The last reference to the file: the exporter releases its buffer. */
static int dma_buf_file_release(struct inode *inode, struct file *file)
{
	struct dma_buf *dmabuf = file->private_data;

	(void)inode;
	if (!dmabuf)
		return 0;
	/* Attachments hold file references: none can be left. */
	BUG_ON(!list_empty(&dmabuf->attachments));
	dmabuf->ops->release(dmabuf);

	mutex_lock(&db_list_lock);
	list_del(&dmabuf->list_node);
	mutex_unlock(&db_list_lock);

#if LINUX_VERSION_CODE >= KERNEL_VERSION(3, 3, 0)
	/* The embedded reservation object lives right after the dma_buf. */
	if (dmabuf->resv == (struct dma_resv *)&dmabuf[1])
		dma_resv_fini(dmabuf->resv);
#endif
	kfree(dmabuf->name);
	kfree(dmabuf);
	file->private_data = NULL;
	return 0;
}

bool is_dma_buf_file(struct file *file)
{
	return file->f_op == &dma_buf_fops;
}

/* lseek(fd, 0, SEEK_END) tells the buffer's size; SEEK_SET to 0 rewinds; nothing else. */
static loff_t dma_buf_llseek(struct file *file, loff_t offset, int whence)
{
	struct dma_buf *dmabuf = file->private_data;

	if (offset != 0)
		return -EINVAL;
	if (whence == SEEK_END)
		return (loff_t)dmabuf->size;
	if (whence == SEEK_SET)
		return 0;
	return -EINVAL;
}

#if LINUX_VERSION_CODE >= KERNEL_VERSION(3, 3, 0)

static int dma_buf_mmap_internal(struct file *file, struct vm_area_struct *vma)
{
	struct dma_buf *dmabuf;

	if (!is_dma_buf_file(file))
		return -EINVAL;
	dmabuf = file->private_data;

	/* mmap is optional for exporters. */
	if (!dmabuf->ops->mmap)
		return -EINVAL;
	/* The mapping may not reach past the buffer. */
	if (vma->vm_pgoff + vma_pages(vma) > dmabuf->size >> PAGE_SHIFT)
		return -EINVAL;
	return dmabuf->ops->mmap(dmabuf, vma);
}

/* Waits for the implicit fences a CPU access in `direction` must see: a write waits for every
 * reader and writer, a read only for writers. */
static int __dma_buf_begin_cpu_access(struct dma_buf *dmabuf, enum dma_data_direction direction)
{
	bool write = (direction == DMA_BIDIRECTIONAL || direction == DMA_TO_DEVICE);
	struct dma_resv *resv = dmabuf->resv;
	long ret;

	ret = dma_resv_wait_timeout(resv, dma_resv_usage_rw(write), true, MAX_SCHEDULE_TIMEOUT);
	if (ret < 0)
		return (int)ret;
	return 0;
}

int dma_buf_begin_cpu_access(struct dma_buf *dmabuf, enum dma_data_direction direction)
{
	bool cookie;
	int ret = 0;

	if (WARN_ON(!dmabuf))
		return -EINVAL;
	cookie = dma_fence_begin_signalling();
	if (dmabuf->ops->begin_cpu_access)
		ret = dmabuf->ops->begin_cpu_access(dmabuf, direction);
	/* All fences are waited for, after giving the exporter the chance to do it better. */
	if (ret == 0)
		ret = __dma_buf_begin_cpu_access(dmabuf, direction);
	dma_fence_end_signalling(cookie);
	return ret;
}

int dma_buf_end_cpu_access(struct dma_buf *dmabuf, enum dma_data_direction direction)
{
	bool cookie;
	int ret = 0;

	WARN_ON(!dmabuf);
	cookie = dma_fence_begin_signalling();
	if (dmabuf->ops->end_cpu_access)
		ret = dmabuf->ops->end_cpu_access(dmabuf, direction);
	dma_fence_end_signalling(cookie);
	return ret;
}

static long dma_buf_set_name(struct dma_buf *dmabuf, const char __user *buf)
{
	char *name = kmalloc(DMA_BUF_NAME_LEN, GFP_KERNEL);
	long len;

	if (!name)
		return -ENOMEM;
	len = strncpy_from_user(name, buf, DMA_BUF_NAME_LEN);
	if (len < 0) {
		kfree(name);
		return len;
	}
	name[DMA_BUF_NAME_LEN - 1] = 0;
	spin_lock(&dmabuf->name_lock);
	kfree(dmabuf->name);
	dmabuf->name = name;
	spin_unlock(&dmabuf->name_lock);
	return 0;
}

static long dma_buf_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct dma_buf *dmabuf = file->private_data;
	struct dma_buf_sync sync;
	enum dma_data_direction direction;
	int ret;

	switch (cmd) {
	case DMA_BUF_IOCTL_SYNC:
		if (copy_from_user(&sync, (void __user *)arg, sizeof(sync)))
			return -EFAULT;
		if (sync.flags & ~DMA_BUF_SYNC_VALID_FLAGS_MASK)
			return -EINVAL;
		switch (sync.flags & DMA_BUF_SYNC_RW) {
		case DMA_BUF_SYNC_READ:
			direction = DMA_FROM_DEVICE;
			break;
		case DMA_BUF_SYNC_WRITE:
			direction = DMA_TO_DEVICE;
			break;
		case DMA_BUF_SYNC_RW:
			direction = DMA_BIDIRECTIONAL;
			break;
		default:
			/* START or END alone: a sync needs a direction. */
			return -EINVAL;
		}
		if (sync.flags & DMA_BUF_SYNC_END)
			ret = dma_buf_end_cpu_access(dmabuf, direction);
		else
			ret = dma_buf_begin_cpu_access(dmabuf, direction);
		return ret;

	case DMA_BUF_SET_NAME_A:
	case DMA_BUF_SET_NAME_B:
		return dma_buf_set_name(dmabuf, (const char __user *)arg);

	default:
		return -ENOTTY;
	}
}

#else /* the 2012 RFC on 2.6 profiles */

static int dma_buf_mmap_internal(struct file *file, struct vm_area_struct *vma)
{
	struct dma_buf *dmabuf;

	if (!is_dma_buf_file(file))
		return -EINVAL;
	dmabuf = file->private_data;
	if (dmabuf->ops->mmap)
		return dmabuf->ops->mmap(dmabuf, file, vma);
	return -ENODEV;
}

static long dma_buf_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct dma_buf *dmabuf;

	(void)arg;
	if (!is_dma_buf_file(file))
		return -EINVAL;
	dmabuf = file->private_data;

	/* The RFC looks at the command number only; no argument, so no direction and no range. */
	switch (_IOC_NR(cmd)) {
	case _IOC_NR(DMA_BUF_IOCTL_PREPARE_ACCESS):
		if (dmabuf->ops->prepare_access)
			return dmabuf->ops->prepare_access(dmabuf);
		return 0;
	case _IOC_NR(DMA_BUF_IOCTL_FINISH_ACCESS):
		if (dmabuf->ops->finish_access)
			return dmabuf->ops->finish_access(dmabuf);
		return 0;
	default:
		return -EINVAL;
	}
}

#endif

static const struct file_operations dma_buf_fops = {
	.release = dma_buf_file_release,
	.mmap = dma_buf_mmap_internal,
	.llseek = dma_buf_llseek,
	.unlocked_ioctl = dma_buf_ioctl,
};

/* ---- export and import ---- */

static struct dma_buf *dma_buf_alloc(const char *exp_name, struct module *owner, const struct dma_buf_ops *ops,
				     size_t size, int flags, struct dma_resv *resv, void *priv)
{
	struct dma_buf *dmabuf;
	struct file *file;
	size_t alloc_size = sizeof(struct dma_buf);

	(void)resv;
	if (WARN_ON(!priv || !ops || !ops->map_dma_buf || !ops->unmap_dma_buf || !ops->release))
		return ERR_PTR(-EINVAL);
#if LINUX_VERSION_CODE >= KERNEL_VERSION(3, 3, 0)
	if (WARN_ON(ops->cache_sgt_mapping && (ops->pin || ops->unpin)))
		return ERR_PTR(-EINVAL);
	if (WARN_ON(!ops->pin != !ops->unpin))
		return ERR_PTR(-EINVAL);
	if (!resv)
		alloc_size += sizeof(struct dma_resv);
#endif
	if (size == 0 || (size & ~PAGE_MASK))
		return ERR_PTR(-EINVAL);

	file = dma_buf_getfile(size, flags);
	if (IS_ERR(file))
		return ERR_CAST(file);

	dmabuf = kzalloc(alloc_size, GFP_KERNEL);
	if (!dmabuf) {
		fput(file);
		return ERR_PTR(-ENOMEM);
	}
	dmabuf->priv = priv;
	dmabuf->ops = ops;
	dmabuf->size = size;
	dmabuf->exp_name = exp_name;
	dmabuf->owner = owner;
	spin_lock_init(&dmabuf->name_lock);
	init_waitqueue_head(&dmabuf->poll);
	mutex_init(&dmabuf->lock);
	INIT_LIST_HEAD(&dmabuf->attachments);
#if LINUX_VERSION_CODE >= KERNEL_VERSION(3, 3, 0)
	if (!resv) {
		dmabuf->resv = (struct dma_resv *)&dmabuf[1];
		dma_resv_init(dmabuf->resv);
	} else {
		dmabuf->resv = resv;
	}
#endif
	file->private_data = dmabuf;
	dmabuf->file = file;

	mutex_lock(&db_list_lock);
	dmabuf->serial = ++db_serial;
	list_add_tail(&dmabuf->list_node, &db_list);
	mutex_unlock(&db_list_lock);
	return dmabuf;
}

#if LINUX_VERSION_CODE >= KERNEL_VERSION(3, 3, 0)
struct dma_buf *dma_buf_export(const struct dma_buf_export_info *exp_info)
{
	return dma_buf_alloc(exp_info->exp_name, exp_info->owner, exp_info->ops, exp_info->size, exp_info->flags,
			     exp_info->resv, exp_info->priv);
}
#else
struct dma_buf *dma_buf_export(void *priv, const struct dma_buf_ops *ops, size_t size, int flags)
{
	return dma_buf_alloc("dma-buf", NULL, ops, size, flags, NULL, priv);
}
#endif

int dma_buf_fd(struct dma_buf *dmabuf, int flags)
{
	int fd;

	if (!dmabuf || !dmabuf->file)
		return -EINVAL;
	fd = get_unused_fd_flags(flags);
	if (fd < 0)
		return fd;
	fd_install(fd, dmabuf->file);
	return fd;
}

struct dma_buf *dma_buf_get(int fd)
{
	struct file *file = fget(fd);

	if (!file)
		return ERR_PTR(-EBADF);
	if (!is_dma_buf_file(file)) {
		fput(file);
		return ERR_PTR(-EINVAL);
	}
	return file->private_data;
}

void dma_buf_put(struct dma_buf *dmabuf)
{
	if (WARN_ON(!dmabuf || !dmabuf->file))
		return;
	fput(dmabuf->file);
}

struct dma_buf *dma_buf_find_serial(unsigned long serial)
{
	struct dma_buf *dmabuf, *found = NULL;

	mutex_lock(&db_list_lock);
	list_for_each_entry(dmabuf, &db_list, list_node) {
		if (dmabuf->serial == serial) {
			found = dmabuf;
			break;
		}
	}
	mutex_unlock(&db_list_lock);
	return found;
}

/* ---- attachments ---- */

#if LINUX_VERSION_CODE >= KERNEL_VERSION(3, 3, 0)
#define dma_buf_attachments_lock(dmabuf) dma_resv_lock((dmabuf)->resv, NULL)
#define dma_buf_attachments_unlock(dmabuf) dma_resv_unlock((dmabuf)->resv)
#else
#define dma_buf_attachments_lock(dmabuf) mutex_lock(&(dmabuf)->lock)
#define dma_buf_attachments_unlock(dmabuf) mutex_unlock(&(dmabuf)->lock)
#endif

static struct dma_buf_attachment *__dma_buf_attach(struct dma_buf *dmabuf, struct device *dev,
						   const struct dma_buf_attach_ops *importer_ops, void *importer_priv)
{
	struct dma_buf_attachment *attach;
	int ret;

	if (WARN_ON(!dmabuf))
		return ERR_PTR(-EINVAL);
	attach = kzalloc(sizeof(*attach), GFP_KERNEL);
	if (!attach)
		return ERR_PTR(-ENOMEM);
	attach->dev = dev;
	attach->dmabuf = dmabuf;
	attach->importer_ops = importer_ops;
	attach->importer_priv = importer_priv;
	attach->dir = DMA_NONE;
	if (dmabuf->ops->attach) {
		ret = dmabuf->ops->attach(dmabuf, attach);
		if (ret) {
			kfree(attach);
			return ERR_PTR(ret);
		}
	}
	/* The attachment keeps the buffer alive. */
	get_dma_buf(dmabuf);
	dma_buf_attachments_lock(dmabuf);
	list_add(&attach->node, &dmabuf->attachments);
	dma_buf_attachments_unlock(dmabuf);
	return attach;
}

struct dma_buf_attachment *dma_buf_attach(struct dma_buf *dmabuf, struct device *dev)
{
	return __dma_buf_attach(dmabuf, dev, NULL, NULL);
}

void dma_buf_detach(struct dma_buf *dmabuf, struct dma_buf_attachment *attach)
{
	if (WARN_ON(!dmabuf || !attach || dmabuf != attach->dmabuf))
		return;
	dma_buf_attachments_lock(dmabuf);
	if (attach->sgt)
		dmabuf->ops->unmap_dma_buf(attach, attach->sgt, attach->dir);
	list_del(&attach->node);
	dma_buf_attachments_unlock(dmabuf);
	if (dmabuf->ops->detach)
		dmabuf->ops->detach(dmabuf, attach);
	kfree(attach);
	dma_buf_put(dmabuf);
}

/* The buffer's pages for the attachment's device; ERR_PTR on failure. */
struct sg_table *dma_buf_map_attachment(struct dma_buf_attachment *attach, enum dma_data_direction direction)
{
	struct sg_table *sg_table;

	might_sleep();
	if (WARN_ON(!attach || !attach->dmabuf))
		return ERR_PTR(-EINVAL);
	if (attach->sgt) {
		/* Two mappings with different directions are not allowed. */
		if (attach->dir != direction && attach->dir != DMA_BIDIRECTIONAL)
			return ERR_PTR(-EBUSY);
		return attach->sgt;
	}
	sg_table = attach->dmabuf->ops->map_dma_buf(attach, direction);
	if (!sg_table)
		sg_table = ERR_PTR(-ENOMEM);
#if LINUX_VERSION_CODE >= KERNEL_VERSION(3, 3, 0)
	if (!IS_ERR(sg_table) && attach->dmabuf->ops->cache_sgt_mapping) {
		attach->sgt = sg_table;
		attach->dir = direction;
	}
#endif
	return sg_table;
}

void dma_buf_unmap_attachment(struct dma_buf_attachment *attach, struct sg_table *sg_table,
			      enum dma_data_direction direction)
{
	might_sleep();
	if (WARN_ON(!attach || !attach->dmabuf || !sg_table))
		return;
	if (attach->sgt == sg_table)
		return;
	attach->dmabuf->ops->unmap_dma_buf(attach, sg_table, direction);
}

#if LINUX_VERSION_CODE >= KERNEL_VERSION(3, 3, 0)

struct dma_buf_attachment *dma_buf_dynamic_attach(struct dma_buf *dmabuf, struct device *dev,
						  const struct dma_buf_attach_ops *importer_ops, void *importer_priv)
{
	return __dma_buf_attach(dmabuf, dev, importer_ops, importer_priv);
}

int dma_buf_pin(struct dma_buf_attachment *attach)
{
	struct dma_buf *dmabuf = attach->dmabuf;

	dma_resv_assert_held(dmabuf->resv);
	if (dmabuf->ops->pin)
		return dmabuf->ops->pin(attach);
	return 0;
}

void dma_buf_unpin(struct dma_buf_attachment *attach)
{
	struct dma_buf *dmabuf = attach->dmabuf;

	dma_resv_assert_held(dmabuf->resv);
	if (dmabuf->ops->unpin)
		dmabuf->ops->unpin(attach);
}

struct sg_table *dma_buf_map_attachment_unlocked(struct dma_buf_attachment *attach, enum dma_data_direction direction)
{
	struct sg_table *sg_table;

	if (WARN_ON(!attach || !attach->dmabuf))
		return ERR_PTR(-EINVAL);
	dma_resv_lock(attach->dmabuf->resv, NULL);
	sg_table = dma_buf_map_attachment(attach, direction);
	dma_resv_unlock(attach->dmabuf->resv);
	return sg_table;
}

void dma_buf_unmap_attachment_unlocked(struct dma_buf_attachment *attach, struct sg_table *sg_table,
				       enum dma_data_direction direction)
{
	if (WARN_ON(!attach || !attach->dmabuf || !sg_table))
		return;
	dma_resv_lock(attach->dmabuf->resv, NULL);
	dma_buf_unmap_attachment(attach, sg_table, direction);
	dma_resv_unlock(attach->dmabuf->resv);
}

/* Tells dynamic importers the buffer moved (the resv lock is held). */
void dma_buf_move_notify(struct dma_buf *dmabuf)
{
	struct dma_buf_attachment *attach;

	dma_resv_assert_held(dmabuf->resv);
	list_for_each_entry(attach, &dmabuf->attachments, node)
		if (attach->importer_ops && attach->importer_ops->move_notify)
			attach->importer_ops->move_notify(attach);
}

/* Points `vma` (of an importer's file) at the dma-buf's file instead. */
static void dma_buf_vma_set_file(struct vm_area_struct *vma, struct file *file)
{
	struct file *old = vma->vm_file;

	get_file(file);
	vma->vm_file = file;
	if (old)
		fput(old);
}

int dma_buf_mmap(struct dma_buf *dmabuf, struct vm_area_struct *vma, unsigned long pgoff)
{
	if (WARN_ON(!dmabuf || !vma))
		return -EINVAL;
	/* mmap is optional for exporters. */
	if (!dmabuf->ops->mmap)
		return -EINVAL;
	/* check for offset overflow */
	if (pgoff + vma_pages(vma) < pgoff)
		return -EOVERFLOW;
	/* check for overflowing the buffer's size */
	if (pgoff + vma_pages(vma) > dmabuf->size >> PAGE_SHIFT)
		return -EINVAL;
	/* readjust the vma */
	dma_buf_vma_set_file(vma, dmabuf->file);
	vma->vm_pgoff = pgoff;
	return dmabuf->ops->mmap(dmabuf, vma);
}

int dma_buf_vmap(struct dma_buf *dmabuf, struct iosys_map *map)
{
	struct iosys_map ptr;
	int ret;

	iosys_map_clear(map);
	if (WARN_ON(!dmabuf))
		return -EINVAL;
	dma_resv_assert_held(dmabuf->resv);
	if (!dmabuf->ops->vmap)
		return -EINVAL;
	if (dmabuf->vmapping_counter) {
		dmabuf->vmapping_counter++;
		BUG_ON(iosys_map_is_null(&dmabuf->vmap_ptr));
		*map = dmabuf->vmap_ptr;
		return 0;
	}
	BUG_ON(iosys_map_is_set(&dmabuf->vmap_ptr));
	ret = dmabuf->ops->vmap(dmabuf, &ptr);
	if (WARN_ON_ONCE(ret))
		return ret;
	dmabuf->vmap_ptr = ptr;
	dmabuf->vmapping_counter = 1;
	*map = dmabuf->vmap_ptr;
	return 0;
}

void dma_buf_vunmap(struct dma_buf *dmabuf, struct iosys_map *map)
{
	if (WARN_ON(!dmabuf))
		return;
	dma_resv_assert_held(dmabuf->resv);
	BUG_ON(iosys_map_is_null(&dmabuf->vmap_ptr));
	BUG_ON(dmabuf->vmapping_counter == 0);
	BUG_ON(!iosys_map_is_equal(&dmabuf->vmap_ptr, map));
	if (--dmabuf->vmapping_counter == 0) {
		if (dmabuf->ops->vunmap)
			dmabuf->ops->vunmap(dmabuf, map);
		iosys_map_clear(&dmabuf->vmap_ptr);
	}
}

int dma_buf_vmap_unlocked(struct dma_buf *dmabuf, struct iosys_map *map)
{
	int ret;

	iosys_map_clear(map);
	if (WARN_ON(!dmabuf))
		return -EINVAL;
	dma_resv_lock(dmabuf->resv, NULL);
	ret = dma_buf_vmap(dmabuf, map);
	dma_resv_unlock(dmabuf->resv);
	return ret;
}

void dma_buf_vunmap_unlocked(struct dma_buf *dmabuf, struct iosys_map *map)
{
	if (WARN_ON(!dmabuf))
		return;
	dma_resv_lock(dmabuf->resv, NULL);
	dma_buf_vunmap(dmabuf, map);
	dma_resv_unlock(dmabuf->resv);
}

#endif

/* ---- module ---- */

/* subsys_initcall in Linux: the file system that holds every dma-buf file. */
static int __init dma_buf_init(void)
{
	int ret = register_filesystem(&dma_buf_fs_type);
	struct vfsmount *mnt;

	if (ret)
		return ret;
	mnt = kern_mount(&dma_buf_fs_type);
	if (IS_ERR(mnt))
		return (int)PTR_ERR(mnt);
	dma_buf_mnt = mnt;
	return 0;
}

module_init(dma_buf_init);
MODULE_LICENSE("GPL");
