/* <linux/dcache.h>: the dentry cache. A dentry names an inode (or, negative, the absence of one)
 * in its parent directory.
 *
 * Faultline keeps each directory's children on its d_subdirs list (linked through d_child) and
 * looks names up there (Linux also hashes them). A dentry on its parent's list is "hashed": lookup
 * finds it; d_delete/d_drop take it off. d_count counts references (6.8: d_lockref); a positive
 * hashed dentry whose count falls to 0 stays cached unless d_op->d_delete says otherwise (procfs's
 * pid entries); an unhashed or negative one is freed by that dput, with its inode and parent
 * references.
 * tmpfs pins its dentries with an extra reference from create/mkdir until unlink/rmdir, so the
 * cache is the directory itself (as ramfs/tmpfs do with d_genocide at unmount). */
#ifndef _LINUX_DCACHE_H
#define _LINUX_DCACHE_H

#include <linux/types.h>
#include <linux/list.h>
#include <linux/atomic.h>
#include <linux/spinlock_types.h>

struct inode;
struct super_block;
struct dentry;

struct qstr {
	unsigned int hash;
	unsigned int len;
	const unsigned char *name;
};

#define QSTR_INIT(n, l) { .hash = 0, .len = (l), .name = (const unsigned char *)(n) }

#define NAME_MAX 255
#define PATH_MAX 4096
#define DNAME_INLINE_LEN 32

struct dentry_operations {
	/* Nonzero: free the dentry at its last dput instead of caching it. */
	int (*d_delete)(const struct dentry *dentry);
	void (*d_release)(struct dentry *dentry);
};

/* d_flags */
#define DCACHE_MOUNTED 0x10000		/* something is mounted on it (2.6: d_mounted) */
#define DCACHE_DISCONNECTED 0x0004

struct dentry {
	unsigned int d_flags;
	atomic_t d_count;
	struct dentry *d_parent;	/* the directory (itself for a root) */
	struct qstr d_name;
	struct inode *d_inode;		/* NULL: a negative dentry */
	struct super_block *d_sb;
	const struct dentry_operations *d_op;
	void *d_fsdata;
	struct list_head d_child;	/* on d_parent->d_subdirs while hashed */
	struct list_head d_subdirs;	/* our children */
	unsigned char d_iname[DNAME_INLINE_LEN];	/* short names live here */
};

extern spinlock_t dcache_lock;

struct dentry *d_alloc(struct dentry *parent, const struct qstr *name);
struct dentry *d_alloc_name(struct dentry *parent, const char *name);
/* The root dentry of a new super block, holding `inode` (d_make_root in 3.4+, d_alloc_root before). */
struct dentry *d_make_root(struct inode *inode);
void d_instantiate(struct dentry *dentry, struct inode *inode);
/* Instantiates and hashes: the dentry becomes visible to lookup. */
void d_add(struct dentry *dentry, struct inode *inode);
void d_rehash(struct dentry *dentry);
/* Unhashes: lookup no longer finds it; it goes at its last dput. */
void d_drop(struct dentry *dentry);
/* unlink's dcache side: the dentry becomes negative if unused, else is unhashed. */
void d_delete(struct dentry *dentry);
/* The hashed child `name` of `parent` with a reference, or NULL. */
struct dentry *d_lookup(const struct dentry *parent, const struct qstr *name);
struct dentry *dget(struct dentry *dentry);
void dput(struct dentry *dentry);
/* Drops every dentry of a tree (tmpfs's pins at unmount). */
void d_genocide(struct dentry *root);

static inline int d_unhashed(const struct dentry *dentry)
{
	return list_empty(&dentry->d_child) && dentry->d_parent != dentry;
}

static inline int d_mountpoint(const struct dentry *dentry)
{
	return (dentry->d_flags & DCACHE_MOUNTED) != 0;
}

static inline int d_really_is_negative(const struct dentry *dentry)
{
	return dentry->d_inode == NULL;
}

static inline struct inode *d_inode(const struct dentry *dentry)
{
	return dentry->d_inode;
}

static inline int IS_ROOT(const struct dentry *dentry)
{
	return dentry == dentry->d_parent;
}

static inline unsigned int full_name_hash(const unsigned char *name, unsigned int len)
{
	unsigned int hash = 0;

	while (len--) {
		unsigned int c = *name++;

		hash = (hash + (c << 4) + (c >> 4)) * 11;
	}
	return hash;
}

#endif /* _LINUX_DCACHE_H */
