/* fs/dcache.c: the dentry cache (see <linux/dcache.h> for the model).
 *
 * dcache_lock (the 2.6 global lock) protects every d_subdirs/d_child list and the decision, at a
 * count of zero, whether a dentry dies. Freeing happens after dropping it: the inode's iput may
 * evict the inode, which locks pages and so may sleep. Killing a dentry drops its parent's
 * reference, so dput walks up the tree iteratively, as Linux's does. */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/fs.h>
#include <linux/dcache.h>
#include <linux/slab.h>
#include <linux/string.h>
#include "internal.h"

DEFINE_SPINLOCK(dcache_lock);

struct dentry *d_alloc(struct dentry *parent, const struct qstr *name)
{
	struct dentry *dentry = kzalloc(sizeof(*dentry), GFP_KERNEL);
	unsigned char *dname;

	if (!dentry)
		return NULL;
	if (name->len >= DNAME_INLINE_LEN) {
		dname = kmalloc(name->len + 1, GFP_KERNEL);
		if (!dname) {
			kfree(dentry);
			return NULL;
		}
	} else {
		dname = dentry->d_iname;
	}
	memcpy(dname, name->name, name->len);
	dname[name->len] = 0;
	dentry->d_name.name = dname;
	dentry->d_name.len = name->len;
	dentry->d_name.hash = name->hash;
	atomic_set(&dentry->d_count, 1);
	INIT_LIST_HEAD(&dentry->d_child);
	INIT_LIST_HEAD(&dentry->d_subdirs);
	if (parent) {
		dentry->d_parent = dget(parent);
		dentry->d_sb = parent->d_sb;
	} else {
		dentry->d_parent = dentry;
	}
	return dentry;
}

struct dentry *d_alloc_name(struct dentry *parent, const char *name)
{
	struct qstr q;

	q.name = (const unsigned char *)name;
	q.len = fs_strlen(name);
	q.hash = full_name_hash(q.name, q.len);
	return d_alloc(parent, &q);
}

struct dentry *d_make_root(struct inode *root_inode)
{
	static const struct qstr name = QSTR_INIT("/", 1);
	struct dentry *res;

	if (!root_inode)
		return NULL;
	res = d_alloc(NULL, &name);
	if (!res) {
		iput(root_inode);
		return NULL;
	}
	res->d_sb = root_inode->i_sb;
	d_instantiate(res, root_inode);
	return res;
}

/* Gives a negative dentry its inode (whose reference the dentry takes over). */
void d_instantiate(struct dentry *dentry, struct inode *inode)
{
	BUG_ON(dentry->d_inode);
	dentry->d_inode = inode;
}

void d_rehash(struct dentry *dentry)
{
	struct dentry *parent = dentry->d_parent;

	spin_lock(&dcache_lock);
	if (parent != dentry && list_empty(&dentry->d_child))
		list_add(&dentry->d_child, &parent->d_subdirs);
	spin_unlock(&dcache_lock);
}

void d_add(struct dentry *dentry, struct inode *inode)
{
	if (inode)
		d_instantiate(dentry, inode);
	d_rehash(dentry);
}

static void __d_drop(struct dentry *dentry)
{
	list_del_init(&dentry->d_child);
}

void d_drop(struct dentry *dentry)
{
	spin_lock(&dcache_lock);
	__d_drop(dentry);
	spin_unlock(&dcache_lock);
}

struct dentry *d_lookup(const struct dentry *parent, const struct qstr *name)
{
	struct dentry *child;
	struct dentry *found = NULL;

	spin_lock(&dcache_lock);
	list_for_each_entry(child, &parent->d_subdirs, d_child) {
		if (child->d_name.hash == name->hash && child->d_name.len == name->len &&
		    memcmp(child->d_name.name, name->name, name->len) == 0) {
			found = dget(child);
			break;
		}
	}
	spin_unlock(&dcache_lock);
	return found;
}

struct dentry *dget(struct dentry *dentry)
{
	if (dentry)
		atomic_inc(&dentry->d_count);
	return dentry;
}

/* Frees a dentry whose count fell to zero and which is off its parent's list; returns the parent
 * whose reference this dentry held (NULL for a root). */
static struct dentry *d_kill(struct dentry *dentry)
{
	struct inode *inode = dentry->d_inode;
	struct dentry *parent = dentry->d_parent == dentry ? NULL : dentry->d_parent;

	BUG_ON(!list_empty(&dentry->d_subdirs));
	dentry->d_inode = NULL;
	if (dentry->d_op && dentry->d_op->d_release)
		dentry->d_op->d_release(dentry);
	if (inode)
		iput(inode);
	if (dentry->d_name.name != dentry->d_iname)
		kfree(dentry->d_name.name);
	kfree(dentry);
	return parent;
}

void dput(struct dentry *dentry)
{
	while (dentry) {
		spin_lock(&dcache_lock);
		if (!atomic_dec_and_test(&dentry->d_count)) {
			spin_unlock(&dcache_lock);
			return;
		}
		/* Unused: a positive hashed dentry stays cached, unless the file system wants it gone;
		 * negative ones are not kept (nothing reclaims the cache here). */
		if (!d_unhashed(dentry) && dentry->d_parent != dentry) {
			if (dentry->d_inode && !(dentry->d_op && dentry->d_op->d_delete && dentry->d_op->d_delete(dentry))) {
				spin_unlock(&dcache_lock);
				return;
			}
			__d_drop(dentry);
		}
		spin_unlock(&dcache_lock);
		dentry = d_kill(dentry);
	}
}

/* unlink: with no other user the dentry just turns negative (and is dropped: nothing caches
 * negative entries here); in use (an open file), it is unhashed and lives on until its last dput. */
void d_delete(struct dentry *dentry)
{
	struct inode *inode = NULL;

	spin_lock(&dcache_lock);
	if (atomic_read(&dentry->d_count) == 1) {
		inode = dentry->d_inode;
		dentry->d_inode = NULL;
	}
	__d_drop(dentry);
	spin_unlock(&dcache_lock);
	if (inode)
		iput(inode);
}

/* Drops the pin of every dentry below `root` (tmpfs unmount: kill_litter_super). */
void d_genocide(struct dentry *root)
{
	struct dentry *child;

	for (;;) {
		spin_lock(&dcache_lock);
		if (list_empty(&root->d_subdirs)) {
			spin_unlock(&dcache_lock);
			return;
		}
		child = list_first_entry(&root->d_subdirs, struct dentry, d_child);
		dget(child);
		__d_drop(child);
		spin_unlock(&dcache_lock);
		d_genocide(child);
		/* The pin of the file system (create/mkdir), then our own reference. */
		dput(child);
		dput(child);
	}
}
