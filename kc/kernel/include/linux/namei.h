/* <linux/namei.h>: path lookup (fs/namei.c).
 *
 * Lookup starts at the root of the mount tree (or, for *at() calls, at a directory file), walks
 * one component at a time through the dentry cache and ->lookup, steps onto mounts (and back off
 * them for ".."), and follows symbolic links (at most MAXSYMLINKS in one walk: -ELOOP). There is
 * no per-process cwd or chroot (no fs_struct): relative paths with AT_FDCWD start at "/". */
#ifndef _LINUX_NAMEI_H
#define _LINUX_NAMEI_H

#include <linux/types.h>
#include <linux/path.h>
#include <linux/dcache.h>

#define MAXSYMLINKS 40

/* lookup flags */
#define LOOKUP_FOLLOW 0x0001		/* follow a final symlink */
#define LOOKUP_DIRECTORY 0x0002		/* the final component must be a directory */
#define LOOKUP_PARENT 0x0010		/* stop at the parent of the final component */
#define LOOKUP_OPEN 0x0100
#define LOOKUP_CREATE 0x0200
#define LOOKUP_EXCL 0x0400

/* The state of one walk: where it is and what the last component was (2.6's struct nameidata;
 * 6.8 keeps one too, private to fs/namei.c). */
struct nameidata {
	struct path path;		/* current position, with references */
	struct qstr last;		/* the final component, for LOOKUP_PARENT */
	unsigned int flags;
	int depth;			/* symlinks followed so far */
	struct path root;		/* where "/" leads */
};

/* Resolves `name` from (dirfd, current root); on success fills *path with references. */
int kern_path(const char *name, unsigned int flags, struct path *path);
int user_path_at(int dfd, const char __user *name, unsigned int flags, struct path *path);
/* The dentry of `name` in `base`, looked up or created negative, with a reference; the parent's
 * inode lock is held. */
struct dentry *lookup_one_len(const char *name, struct dentry *base, int len);
/* The parent of `name` (held) and the final component's dentry, for create/mknod/mkdir. */
struct dentry *kern_path_create(int dfd, const char *name, struct path *path, unsigned int lookup_flags);
void done_path_create(struct path *path, struct dentry *dentry);

#endif /* _LINUX_NAMEI_H */
