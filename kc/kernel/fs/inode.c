/* fs/inode.c: inode allocation, reference counting and eviction.
 *
 * new_inode gives an inode with i_count 1 on its super block's s_inodes list. iput drops a
 * reference; at the last one the inode is evicted when the file system says so (drop_inode, by
 * default generic_drop_inode: no links left, or not hashed; Faultline hashes no inode, so every
 * inode goes at its last iput, as tmpfs's do). Eviction frees the page cache (truncate_inode_pages:
 * the pages of an unlinked file live exactly as long as its last open file or mapping) and then
 * the inode. Callers never iput with an inode lock or a spinlock held: eviction locks pages. */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/fs.h>
#include <linux/pagemap.h>
#include <linux/slab.h>
#include <linux/string.h>

static unsigned int last_ino;

/* A fresh inode number (per machine, never reused). */
unsigned int get_next_ino(void)
{
	return ++last_ino;
}

void address_space_init_once(struct address_space *mapping)
{
	memset(mapping, 0, sizeof(*mapping));
	INIT_LIST_HEAD(&mapping->i_pages);
	spin_lock_init(&mapping->tree_lock);
	INIT_LIST_HEAD(&mapping->i_mmap);
#if LINUX_VERSION_CODE >= KERNEL_VERSION(3, 19, 0)
	init_rwsem(&mapping->i_mmap_rwsem);
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(3, 0, 0)
	mutex_init(&mapping->i_mmap_mutex);
#else
	spin_lock_init(&mapping->i_mmap_lock);
#endif
}

/* Sets up the parts of an inode that live as long as its memory. */
void inode_init_once(struct inode *inode)
{
	memset(inode, 0, sizeof(*inode));
	INIT_LIST_HEAD(&inode->i_sb_list);
	address_space_init_once(&inode->i_data);
}

static const struct address_space_operations empty_aops;
static const struct inode_operations empty_iops;
static const struct file_operations no_open_fops;

/* inode_init_always: the state every new inode starts from. */
static void inode_init_always(struct super_block *sb, struct inode *inode)
{
	struct address_space *mapping = &inode->i_data;

	inode->i_sb = sb;
	atomic_set(&inode->i_count, 1);
	inode->i_op = &empty_iops;
	inode->i_fop = &no_open_fops;
	inode->i_nlink = 1;
	inode->i_state = 0;
#if LINUX_VERSION_CODE >= KERNEL_VERSION(4, 7, 0)
	init_rwsem(&inode->i_rwsem);
#else
	mutex_init(&inode->i_mutex);
#endif
	mapping->host = inode;
	mapping->a_ops = &empty_aops;
	mapping->gfp_mask = GFP_HIGHUSER;
	inode->i_mapping = mapping;
}

static struct inode *alloc_inode(struct super_block *sb)
{
	struct inode *inode;

	if (sb->s_op && sb->s_op->alloc_inode) {
		inode = sb->s_op->alloc_inode(sb);
	} else {
		inode = kmalloc(sizeof(*inode), GFP_KERNEL);
		if (inode)
			inode_init_once(inode);
	}
	if (!inode)
		return NULL;
	inode_init_always(sb, inode);
	return inode;
}

static void destroy_inode(struct inode *inode)
{
	struct super_block *sb = inode->i_sb;

	BUG_ON(!list_empty(&inode->i_data.i_pages));
	if (sb->s_op && sb->s_op->destroy_inode)
		sb->s_op->destroy_inode(inode);
	else
		kfree(inode);
}

struct inode *new_inode(struct super_block *sb)
{
	struct inode *inode = alloc_inode(sb);

	if (inode) {
		spin_lock(&sb->s_inode_list_lock);
		list_add(&inode->i_sb_list, &sb->s_inodes);
		spin_unlock(&sb->s_inode_list_lock);
	}
	return inode;
}

struct inode *igrab(struct inode *inode)
{
	if (inode->i_state & I_FREEING)
		return NULL;
	atomic_inc(&inode->i_count);
	return inode;
}

void inc_nlink(struct inode *inode)
{
	inode->i_nlink++;
}

void drop_nlink(struct inode *inode)
{
	WARN_ON(inode->i_nlink == 0);
	inode->i_nlink--;
}

void clear_nlink(struct inode *inode)
{
	inode->i_nlink = 0;
}

void set_nlink(struct inode *inode, unsigned int nlink)
{
	inode->i_nlink = nlink;
}

int generic_drop_inode(struct inode *inode)
{
	/* Faultline hashes no inode (no iget by number), so an unused inode is always dropped. */
	(void)inode;
	return 1;
}

/* The inode must hold no pages any more; marks it dead (the 2.6 clear_inode / 6.8 clear_inode). */
void clear_inode(struct inode *inode)
{
	BUG_ON(inode->i_data.nrpages);
	inode->i_state |= I_FREEING;
}

static void evict(struct inode *inode)
{
	const struct super_operations *op = inode->i_sb->s_op;

	inode->i_state |= I_FREEING;
	spin_lock(&inode->i_sb->s_inode_list_lock);
	list_del_init(&inode->i_sb_list);
	spin_unlock(&inode->i_sb->s_inode_list_lock);
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 36)
	if (op && op->evict_inode) {
		op->evict_inode(inode);
	} else {
		truncate_inode_pages_final(&inode->i_data);
		clear_inode(inode);
	}
#else
	if (op && op->delete_inode) {
		op->delete_inode(inode);
	} else {
		truncate_inode_pages(&inode->i_data, 0);
		clear_inode(inode);
	}
#endif
	destroy_inode(inode);
}

void iput(struct inode *inode)
{
	const struct super_operations *op;

	if (!inode)
		return;
	might_sleep();
	BUG_ON(inode->i_state & I_FREEING);
	if (!atomic_dec_and_test(&inode->i_count))
		return;
	op = inode->i_sb->s_op;
	if (op && op->drop_inode ? op->drop_inode(inode) : generic_drop_inode(inode))
		evict(inode);
}

/* Character and block devices and FIFOs: the VFS routes their opens (fs/char_dev.c). */
void init_special_inode(struct inode *inode, umode_t mode, dev_t rdev)
{
	inode->i_mode = mode;
	if (S_ISCHR(mode)) {
		inode->i_fop = &def_chr_fops;
		inode->i_rdev = rdev;
	} else {
		printk(KERN_DEBUG "init_special_inode: bogus i_mode (%o) for inode %s:%lu\n", mode, inode->i_sb->s_id, inode->i_ino);
	}
}

/* ---- Attributes ---- */

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
void generic_fillattr(struct mnt_idmap *idmap, u32 request_mask, struct inode *inode, struct kstat *stat)
#else
void generic_fillattr(struct inode *inode, struct kstat *stat)
#endif
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
	(void)idmap;
	(void)request_mask;
#endif
	stat->dev = inode->i_sb->s_dev;
	stat->ino = inode->i_ino;
	stat->mode = inode->i_mode;
	stat->nlink = inode->i_nlink;
	stat->uid = inode->i_uid;
	stat->gid = inode->i_gid;
	stat->rdev = inode->i_rdev;
	stat->size = i_size_read(inode);
	stat->atime_sec = 0;
	stat->mtime_sec = 0;
	stat->ctime_sec = 0;
	stat->blksize = 1UL << inode->i_sb->s_blocksize_bits;
	stat->blocks = inode->i_blocks;
}

/* Faultline's permission model is "every task is root": only the size checks remain. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
int setattr_prepare(struct mnt_idmap *idmap, struct dentry *dentry, struct iattr *attr)
{
	(void)idmap;
	if ((attr->ia_valid & ATTR_SIZE) && attr->ia_size > dentry->d_inode->i_sb->s_maxbytes)
		return -EFBIG;
	return 0;
}

void setattr_copy(struct mnt_idmap *idmap, struct inode *inode, const struct iattr *attr)
{
	(void)idmap;
	if (attr->ia_valid & ATTR_MODE)
		inode->i_mode = (inode->i_mode & S_IFMT) | (attr->ia_mode & ~S_IFMT);
}
#else
int inode_change_ok(struct inode *inode, struct iattr *attr)
{
	if ((attr->ia_valid & ATTR_SIZE) && attr->ia_size > inode->i_sb->s_maxbytes)
		return -EFBIG;
	return 0;
}

/* 2.6's inode_setattr: a size change goes through vmtruncate, then the other attributes. */
int inode_setattr(struct inode *inode, struct iattr *attr)
{
	if ((attr->ia_valid & ATTR_SIZE) && attr->ia_size != i_size_read(inode)) {
		int error = vmtruncate(inode, attr->ia_size);

		if (error)
			return error;
	}
	if (attr->ia_valid & ATTR_MODE)
		inode->i_mode = (inode->i_mode & S_IFMT) | (attr->ia_mode & ~S_IFMT);
	return 0;
}
#endif
