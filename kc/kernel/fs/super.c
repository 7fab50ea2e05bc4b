/* fs/super.c and fs/filesystems.c: file system types and super blocks.
 *
 * Only in-memory ("nodev") file systems exist here: each mount makes a new super block with an
 * anonymous device number (set_anon_super: major 0), filled by the type's fill_super. A super
 * block lives while it is mounted (s_active); the last deactivate_super calls the type's kill_sb. */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/fs.h>
#include <linux/mount.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/err.h>
#include <asm/page.h>

static struct file_system_type *file_systems;
static DEFINE_SPINLOCK(file_systems_lock);
static LIST_HEAD(super_blocks);
static DEFINE_SPINLOCK(sb_lock);
static unsigned int next_anon_dev;

static int fs_name_eq(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

int register_filesystem(struct file_system_type *fs)
{
	struct file_system_type **p;
	int res = 0;

	BUG_ON(fs->next);
	spin_lock(&file_systems_lock);
	for (p = &file_systems; *p; p = &(*p)->next) {
		if (fs_name_eq((*p)->name, fs->name)) {
			res = -EBUSY;
			break;
		}
	}
	if (!res) {
		INIT_LIST_HEAD(&fs->fs_supers);
		*p = fs;
	}
	spin_unlock(&file_systems_lock);
	return res;
}

struct file_system_type *get_fs_type(const char *name)
{
	struct file_system_type *fs;

	spin_lock(&file_systems_lock);
	for (fs = file_systems; fs; fs = fs->next)
		if (fs_name_eq(fs->name, name))
			break;
	spin_unlock(&file_systems_lock);
	return fs;
}

static struct super_block *alloc_super(struct file_system_type *type)
{
	struct super_block *s = kzalloc(sizeof(*s), GFP_KERNEL);

	if (!s)
		return NULL;
	INIT_LIST_HEAD(&s->s_list);
	INIT_LIST_HEAD(&s->s_inodes);
	INIT_LIST_HEAD(&s->s_instances);
	spin_lock_init(&s->s_inode_list_lock);
	atomic_set(&s->s_active, 1);
	s->s_type = type;
	s->s_maxbytes = MAX_LFS_FILESIZE;
	s->s_blocksize = PAGE_SIZE;
	s->s_blocksize_bits = PAGE_SHIFT;
	return s;
}

/* An anonymous super block of `type` (sget with set_anon_super): on the lists, not filled. */
static struct super_block *sget_anon(struct file_system_type *type)
{
	struct super_block *s = alloc_super(type);
	int i;

	if (!s)
		return NULL;
	spin_lock(&sb_lock);
	s->s_dev = MKDEV(0, ++next_anon_dev);
	list_add_tail(&s->s_list, &super_blocks);
	list_add(&s->s_instances, &type->fs_supers);
	spin_unlock(&sb_lock);
	for (i = 0; type->name[i] && i < (int)sizeof(s->s_id) - 1; i++)
		s->s_id[i] = type->name[i];
	return s;
}

static void destroy_super(struct super_block *s)
{
	spin_lock(&sb_lock);
	list_del(&s->s_list);
	list_del(&s->s_instances);
	spin_unlock(&sb_lock);
	kfree(s);
}

/* The super block without its root and inodes: put_super, then off the lists. */
void generic_shutdown_super(struct super_block *sb)
{
	struct dentry *root = sb->s_root;

	if (root) {
		sb->s_root = NULL;
		dput(root);
	}
	if (sb->s_op && sb->s_op->put_super)
		sb->s_op->put_super(sb);
	WARN_ON(!list_empty(&sb->s_inodes));
}

void kill_anon_super(struct super_block *sb)
{
	generic_shutdown_super(sb);
}

/* tmpfs and ramfs: the dentries themselves pin the tree, so drop them all first. */
void kill_litter_super(struct super_block *sb)
{
	if (sb->s_root)
		d_genocide(sb->s_root);
	kill_anon_super(sb);
}

void deactivate_super(struct super_block *s)
{
	if (!atomic_dec_and_test(&s->s_active))
		return;
	s->s_type->kill_sb(s);
	destroy_super(s);
}

static struct super_block *fill_anon_super(struct file_system_type *fs_type, int flags, void *data, fill_super_t fill_super, int *errp)
{
	struct super_block *s = sget_anon(fs_type);
	int error;

	(void)flags;
	if (!s) {
		*errp = -ENOMEM;
		return NULL;
	}
	error = fill_super(s, data, 0);
	if (error) {
		deactivate_super(s);
		*errp = error;
		return NULL;
	}
	return s;
}

#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 39)
struct dentry *mount_nodev(struct file_system_type *fs_type, int flags, void *data, fill_super_t fill_super)
{
	int error = 0;
	struct super_block *s = fill_anon_super(fs_type, flags, data, fill_super, &error);

	if (!s)
		return ERR_PTR(error);
	return dget(s->s_root);
}
#else
int simple_set_mnt(struct vfsmount *mnt, struct super_block *sb)
{
	mnt->mnt_sb = sb;
	mnt->mnt_root = dget(sb->s_root);
	return 0;
}

int get_sb_nodev(struct file_system_type *fs_type, int flags, void *data, fill_super_t fill_super, struct vfsmount *mnt)
{
	int error = 0;
	struct super_block *s = fill_anon_super(fs_type, flags, data, fill_super, &error);

	if (!s)
		return error;
	return simple_set_mnt(mnt, s);
}
#endif
