/* fs/namei.c: path lookup and the namespace operations that need it (create, mknod, mkdir,
 * unlink, rmdir, open).
 *
 * A walk (struct nameidata) holds references to its current (mount, dentry). Each component is
 * looked up in the dentry cache (d_lookup); on a miss the directory's inode lock is taken, the
 * cache checked again, and the file system's ->lookup asked (lookup_slow), as Linux does. Stepping
 * onto a dentry that has something mounted on it moves to the mounted root (follow_mount); ".."
 * at a mount's root moves back to the mountpoint first (follow_dotdot), and never above init_root.
 * Symbolic links (procfs's "self") are followed for intermediate components and, with
 * LOOKUP_FOLLOW, for the last one; MAXSYMLINKS bounds them (-ELOOP).
 *
 * Operations that change a directory take its inode lock (I_MUTEX_PARENT) around the final lookup
 * and the change, and drop the last reference to a removed inode only after unlocking (eviction
 * frees page-cache pages, which takes page locks). */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/fs.h>
#include <linux/namei.h>
#include <linux/mount.h>
#include <linux/file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/err.h>
#include <linux/uaccess.h>
#include <linux/delayed_call.h>
#include <linux/sched.h>
#include "internal.h"

void path_get(const struct path *path)
{
	mntget(path->mnt);
	dget(path->dentry);
}

void path_put(const struct path *path)
{
	dput(path->dentry);
	mntput(path->mnt);
}

/* ---- User names ---- */

char *getname(const char __user *filename)
{
	char *result = kmalloc(PATH_MAX, GFP_KERNEL);
	long len;

	if (!result)
		return ERR_PTR(-ENOMEM);
	len = strncpy_from_user(result, filename, PATH_MAX);
	if (len < 0) {
		kfree(result);
		return ERR_PTR(len);
	}
	if (len == PATH_MAX) {
		kfree(result);
		return ERR_PTR(-ENAMETOOLONG);
	}
	if (len == 0) {
		kfree(result);
		return ERR_PTR(-ENOENT);
	}
	return result;
}

void putname(const char *name)
{
	kfree(name);
}

/* ---- Walking ---- */

/* Steps onto whatever is mounted on path (repeatedly: mounts can stack). */
static void follow_mount(struct path *path)
{
	while (d_mountpoint(path->dentry)) {
		struct vfsmount *mounted = lookup_mnt(path);

		if (!mounted)
			break;
		dput(path->dentry);
		mntput(path->mnt);
		path->mnt = mounted;
		path->dentry = dget(mounted->mnt_root);
	}
}

static void follow_dotdot(struct nameidata *nd)
{
	for (;;) {
		struct dentry *old = nd->path.dentry;

		if (path_equal(&nd->path, &nd->root))
			break;
		if (old != nd->path.mnt->mnt_root) {
			nd->path.dentry = dget(old->d_parent);
			dput(old);
			break;
		}
		/* The root of a mount: continue from its mountpoint in the parent mount. */
		if (nd->path.mnt->mnt_parent == nd->path.mnt)
			break;
		{
			struct vfsmount *parent = mntget(nd->path.mnt->mnt_parent);
			struct dentry *mountpoint = dget(nd->path.mnt->mnt_mountpoint);

			path_put(&nd->path);
			nd->path.mnt = parent;
			nd->path.dentry = mountpoint;
		}
	}
	follow_mount(&nd->path);
}

#if LINUX_VERSION_CODE >= KERNEL_VERSION(3, 6, 0)
#define call_lookup(dir, dentry, nd) (dir)->i_op->lookup((dir), (dentry), (nd) ? (nd)->flags : 0)
#else
#define call_lookup(dir, dentry, nd) (dir)->i_op->lookup((dir), (dentry), (nd))
#endif

/* The dentry of `name` in `base` (a reference; negative if the name does not exist). The caller
 * holds base's inode lock. */
static struct dentry *__lookup_hash(const struct qstr *name, struct dentry *base, struct nameidata *nd)
{
	struct inode *dir = base->d_inode;
	struct dentry *dentry;
	struct dentry *old;

	dentry = d_lookup(base, name);
	if (dentry)
		return dentry;
	if (!dir->i_op->lookup)
		return ERR_PTR(-ENOTDIR);
	dentry = d_alloc(base, name);
	if (!dentry)
		return ERR_PTR(-ENOMEM);
	old = call_lookup(dir, dentry, nd);
	if (old) {
		dput(dentry);
		dentry = old;
	}
	return dentry;
}

static struct dentry *lookup_slow(const struct qstr *name, struct dentry *dir, struct nameidata *nd)
{
	struct inode *inode = dir->d_inode;
	struct dentry *dentry;

	inode_lock_shared(inode);
	dentry = __lookup_hash(name, dir, nd);
	inode_unlock_shared(inode);
	return dentry;
}

struct dentry *lookup_one_len(const char *name, struct dentry *base, int len)
{
	struct qstr this;

	if (len <= 0 || len > NAME_MAX)
		return ERR_PTR(len <= 0 ? -EACCES : -ENAMETOOLONG);
	this.name = (const unsigned char *)name;
	this.len = len;
	this.hash = full_name_hash(this.name, len);
	return __lookup_hash(&this, base, NULL);
}

static int is_dir(const struct dentry *dentry)
{
	return dentry->d_inode && S_ISDIR(dentry->d_inode->i_mode);
}

static int link_path_walk(const char *name, struct nameidata *nd);

/* Continues the walk through the symlink `link` (whose parent directory is nd->path). */
static int follow_link(struct path *link, struct nameidata *nd)
{
	struct inode *inode = link->dentry->d_inode;
	DEFINE_DELAYED_CALL(done);
	const char *target;
	int err;

	if (++nd->depth > MAXSYMLINKS)
		return -ELOOP;
	target = inode->i_op->get_link(link->dentry, inode, &done);
	if (IS_ERR(target))
		return PTR_ERR(target);
	if (*target == '/') {
		path_put(&nd->path);
		nd->path = nd->root;
		path_get(&nd->path);
	}
	err = link_path_walk(target, nd);
	do_delayed_call(&done);
	return err;
}

static int is_symlink(const struct dentry *dentry)
{
	return dentry->d_inode && dentry->d_inode->i_op->get_link;
}

/* Walks `name` from nd->path. On success nd->path is the result (or, with LOOKUP_PARENT, the
 * parent of the final component, named in nd->last; an empty last means the path named a
 * directory itself, "/", "." or ".."). On failure nd->path still holds references. */
static int link_path_walk(const char *name, struct nameidata *nd)
{
	unsigned int flags = nd->flags;

	while (*name == '/')
		name++;
	nd->last.len = 0;
	nd->last.name = (const unsigned char *)name;
	while (*name) {
		struct qstr this;
		struct path next;
		int last;
		int trailing_slash;
		const char *p = name;

		while (*p && *p != '/')
			p++;
		this.name = (const unsigned char *)name;
		this.len = p - name;
		if (this.len > NAME_MAX)
			return -ENAMETOOLONG;
		this.hash = full_name_hash(this.name, this.len);
		trailing_slash = *p == '/';
		while (*p == '/')
			p++;
		last = *p == 0;
		name = p;

		if (!is_dir(nd->path.dentry))
			return -ENOTDIR;
		if (last && (flags & LOOKUP_PARENT)) {
			nd->last = this;
			if (trailing_slash)
				nd->flags |= LOOKUP_DIRECTORY;
			if ((this.len == 1 && this.name[0] == '.') || (this.len == 2 && this.name[0] == '.' && this.name[1] == '.')) {
				/* The parent walk of "x/.." or "x/.": name the directory itself. */
				if (this.len == 2)
					follow_dotdot(nd);
				nd->last.len = 0;
			}
			return 0;
		}
		if (this.len == 1 && this.name[0] == '.')
			continue;
		if (this.len == 2 && this.name[0] == '.' && this.name[1] == '.') {
			follow_dotdot(nd);
			continue;
		}
		next.dentry = d_lookup(nd->path.dentry, &this);
		if (!next.dentry)
			next.dentry = lookup_slow(&this, nd->path.dentry, nd);
		if (IS_ERR(next.dentry))
			return PTR_ERR(next.dentry);
		next.mnt = mntget(nd->path.mnt);
		follow_mount(&next);
		if (!next.dentry->d_inode) {
			path_put(&next);
			return -ENOENT;
		}
		if (is_symlink(next.dentry) && (!last || (flags & LOOKUP_FOLLOW) || trailing_slash)) {
			int err;

			nd->flags = (flags & ~LOOKUP_PARENT) | LOOKUP_FOLLOW;
			if (!last)
				nd->flags |= LOOKUP_DIRECTORY;
			err = follow_link(&next, nd);
			nd->flags = flags;
			path_put(&next);
			if (err)
				return err;
		} else {
			path_put(&nd->path);
			nd->path = next;
		}
		if (trailing_slash && !is_dir(nd->path.dentry))
			return -ENOTDIR;
	}
	if ((nd->flags & LOOKUP_DIRECTORY) && !(flags & LOOKUP_PARENT) && !is_dir(nd->path.dentry))
		return -ENOTDIR;
	return 0;
}

/* Where a walk of `name` starts: "/" for absolute names and AT_FDCWD (no per-process cwd),
 * else the directory open as `dfd`. */
static int path_init(int dfd, const char *name, unsigned int flags, struct nameidata *nd)
{
	vfs_caches_init();
	nd->flags = flags;
	nd->depth = 0;
	nd->last.len = 0;
	nd->last.name = NULL;
	nd->root = init_root;
	if (*name == '/' || dfd == AT_FDCWD) {
		nd->path = init_root;
		path_get(&nd->path);
		return 0;
	}
	{
		struct file *file = fget(dfd);

		if (!file)
			return -EBADF;
		if (!is_dir(file->f_path.dentry)) {
			fput(file);
			return -ENOTDIR;
		}
		nd->path = file->f_path;
		path_get(&nd->path);
		fput(file);
	}
	return 0;
}

static int path_walk_at(int dfd, const char *name, unsigned int flags, struct nameidata *nd)
{
	int err = path_init(dfd, name, flags, nd);

	if (err)
		return err;
	err = link_path_walk(name, nd);
	if (err)
		path_put(&nd->path);
	return err;
}

int kern_path(const char *name, unsigned int flags, struct path *path)
{
	struct nameidata nd;
	int err = path_walk_at(AT_FDCWD, name, flags & ~LOOKUP_PARENT, &nd);

	if (!err)
		*path = nd.path;
	return err;
}

int user_path_at(int dfd, const char __user *name, unsigned int flags, struct path *path)
{
	char *tmp = getname(name);
	struct nameidata nd;
	int err;

	if (IS_ERR(tmp))
		return PTR_ERR(tmp);
	err = path_walk_at(dfd, tmp, flags & ~LOOKUP_PARENT, &nd);
	putname(tmp);
	if (!err)
		*path = nd.path;
	return err;
}

/* ---- Changing directories ---- */

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
#define IDMAP &nop_mnt_idmap,
#else
#define IDMAP
#endif

int vfs_create(struct inode *dir, struct dentry *dentry, umode_t mode, bool want_excl)
{
	if (!dir->i_op->create)
		return -EACCES;
	mode = (mode & S_IALLUGO) | S_IFREG;
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
	return dir->i_op->create(IDMAP dir, dentry, mode, want_excl);
#else
	(void)want_excl;
	return dir->i_op->create(dir, dentry, mode, NULL);
#endif
}

int vfs_mkdir(struct inode *dir, struct dentry *dentry, umode_t mode)
{
	if (!dir->i_op->mkdir)
		return -EPERM;
	return dir->i_op->mkdir(IDMAP dir, dentry, (mode & (S_IRWXUGO | S_ISVTX)) | S_IFDIR);
}

int vfs_mknod(struct inode *dir, struct dentry *dentry, umode_t mode, dev_t dev)
{
	if (!dir->i_op->mknod)
		return -EPERM;
	return dir->i_op->mknod(IDMAP dir, dentry, mode, dev);
}

int vfs_unlink(struct inode *dir, struct dentry *dentry)
{
	int error;

	if (!dentry->d_inode)
		return -ENOENT;
	if (S_ISDIR(dentry->d_inode->i_mode))
		return -EISDIR;
	if (!dir->i_op->unlink)
		return -EPERM;
	if (d_mountpoint(dentry))
		return -EBUSY;
	error = dir->i_op->unlink(dir, dentry);
	if (!error)
		d_delete(dentry);
	return error;
}

int vfs_rmdir(struct inode *dir, struct dentry *dentry)
{
	int error;

	if (!dentry->d_inode)
		return -ENOENT;
	if (!S_ISDIR(dentry->d_inode->i_mode))
		return -ENOTDIR;
	if (!dir->i_op->rmdir)
		return -EPERM;
	if (d_mountpoint(dentry))
		return -EBUSY;
	error = dir->i_op->rmdir(dir, dentry);
	if (!error)
		d_delete(dentry);
	return error;
}

/* The parent walk of `name` for a create: returns the (negative or existing) dentry of the final
 * component with the parent's inode lock held and the parent in *path; ERR_PTR on failure. */
struct dentry *kern_path_create(int dfd, const char *name, struct path *path, unsigned int lookup_flags)
{
	struct nameidata nd;
	struct dentry *dentry;
	int err = path_walk_at(dfd, name, LOOKUP_PARENT | (lookup_flags & LOOKUP_DIRECTORY), &nd);

	if (err)
		return ERR_PTR(err);
	if (nd.last.len == 0) {
		path_put(&nd.path);
		return ERR_PTR(-EEXIST);
	}
	inode_lock_nested(nd.path.dentry->d_inode, I_MUTEX_PARENT);
	dentry = __lookup_hash(&nd.last, nd.path.dentry, &nd);
	if (IS_ERR(dentry))
		goto unlock;
	if (dentry->d_inode) {
		dput(dentry);
		dentry = ERR_PTR(-EEXIST);
		goto unlock;
	}
	/* "name/" for a non-directory create: the final slash has no directory to name. */
	if ((nd.flags & LOOKUP_DIRECTORY) && !(lookup_flags & LOOKUP_DIRECTORY)) {
		dput(dentry);
		dentry = ERR_PTR(-ENOENT);
		goto unlock;
	}
	*path = nd.path;
	return dentry;
unlock:
	inode_unlock(nd.path.dentry->d_inode);
	path_put(&nd.path);
	return dentry;
}

void done_path_create(struct path *path, struct dentry *dentry)
{
	dput(dentry);
	inode_unlock(path->dentry->d_inode);
	path_put(path);
}

long do_mknodat(int dfd, const char __user *filename, umode_t mode, unsigned int dev)
{
	char *name = getname(filename);
	struct path path;
	struct dentry *dentry;
	long error;

	if (IS_ERR(name))
		return PTR_ERR(name);
	dentry = kern_path_create(dfd, name, &path, 0);
	putname(name);
	if (IS_ERR(dentry))
		return PTR_ERR(dentry);
	if (S_ISREG(mode) || (mode & S_IFMT) == 0)
		error = vfs_create(path.dentry->d_inode, dentry, (mode & S_IALLUGO & ~current_umask()) | S_IFREG, true);
	else if (S_ISCHR(mode))
		error = vfs_mknod(path.dentry->d_inode, dentry, mode & ~current_umask(), new_decode_dev(dev));
	else
		error = S_ISDIR(mode) ? -EPERM : -EINVAL;
	done_path_create(&path, dentry);
	return error;
}

long do_mkdirat(int dfd, const char __user *pathname, umode_t mode)
{
	char *name = getname(pathname);
	struct path path;
	struct dentry *dentry;
	long error;

	if (IS_ERR(name))
		return PTR_ERR(name);
	dentry = kern_path_create(dfd, name, &path, LOOKUP_DIRECTORY);
	putname(name);
	if (IS_ERR(dentry))
		return PTR_ERR(dentry);
	error = vfs_mkdir(path.dentry->d_inode, dentry, mode & ~current_umask());
	done_path_create(&path, dentry);
	return error;
}

/* unlink(2) and rmdir(2) on a kernel name. */
long do_unlinkat(int dfd, const char *name, int rmdir)
{
	struct nameidata nd;
	struct dentry *dentry;
	struct inode *dir;
	struct inode *held = NULL;
	long error = path_walk_at(dfd, name, LOOKUP_PARENT, &nd);

	if (error)
		return error;
	if (nd.last.len == 0) {
		path_put(&nd.path);
		return rmdir ? -EBUSY : -EISDIR;
	}
	dir = nd.path.dentry->d_inode;
	inode_lock_nested(dir, I_MUTEX_PARENT);
	dentry = __lookup_hash(&nd.last, nd.path.dentry, &nd);
	error = PTR_ERR(dentry);
	if (!IS_ERR(dentry)) {
		struct inode *inode = dentry->d_inode;

		if (!inode) {
			error = -ENOENT;
		} else if (!rmdir && (nd.flags & LOOKUP_DIRECTORY)) {
			/* "file/": only a directory could be named that way. */
			error = S_ISDIR(inode->i_mode) ? -EISDIR : -ENOTDIR;
		} else {
			/* Keep the inode past the directory lock: its eviction locks pages. */
			held = inode;
			ihold(held);
			error = rmdir ? vfs_rmdir(dir, dentry) : vfs_unlink(dir, dentry);
		}
		dput(dentry);
	}
	inode_unlock(dir);
	if (held)
		iput(held);
	path_put(&nd.path);
	return error;
}

/* ---- open ---- */

static int open_to_namei_flags(int flag)
{
	return (flag & O_NOFOLLOW) ? 0 : LOOKUP_FOLLOW;
}

/* The file `name` opened with `flags` (O_*) from dfd: a struct file or an ERR_PTR. */
struct file *do_filp_open(int dfd, const char *name, int flags, umode_t mode)
{
	struct nameidata nd;
	struct path path;
	struct file *file;
	int created = 0;
	int error;
	int acc = flags & O_ACCMODE;

	if (acc == 3)
		return ERR_PTR(-EINVAL);
	if (flags & O_CREAT) {
		error = path_walk_at(dfd, name, LOOKUP_PARENT, &nd);
		if (error)
			return ERR_PTR(error);
		if (nd.last.len == 0) {
			/* "/", "dir/." and the like: a directory. */
			path_put(&nd.path);
			return ERR_PTR(-EISDIR);
		}
		{
			struct inode *dir = nd.path.dentry->d_inode;
			struct dentry *dentry;

			inode_lock_nested(dir, I_MUTEX_PARENT);
			dentry = __lookup_hash(&nd.last, nd.path.dentry, &nd);
			if (IS_ERR(dentry)) {
				inode_unlock(dir);
				path_put(&nd.path);
				return ERR_PTR(PTR_ERR(dentry));
			}
			if (!dentry->d_inode) {
				if (nd.flags & LOOKUP_DIRECTORY)
					error = -EISDIR;
				else
					error = vfs_create(dir, dentry, mode & ~current_umask(), (flags & O_EXCL) != 0);
				inode_unlock(dir);
				if (error) {
					dput(dentry);
					path_put(&nd.path);
					return ERR_PTR(error);
				}
				created = 1;
				path.mnt = mntget(nd.path.mnt);
				path.dentry = dentry;
				path_put(&nd.path);
			} else {
				inode_unlock(dir);
				if (flags & O_EXCL) {
					dput(dentry);
					path_put(&nd.path);
					return ERR_PTR(-EEXIST);
				}
				if (is_dir(dentry)) {
					/* O_CREAT never opens a directory. */
					dput(dentry);
					path_put(&nd.path);
					return ERR_PTR(-EISDIR);
				}
				if (is_symlink(dentry)) {
					/* Resolve the link like an open without O_CREAT (the target must exist). */
					dput(dentry);
					path_put(&nd.path);
					if (flags & O_NOFOLLOW)
						return ERR_PTR(-ELOOP);
					error = path_walk_at(dfd, name, LOOKUP_FOLLOW, &nd);
					if (error)
						return ERR_PTR(error);
					path = nd.path;
				} else {
					path.mnt = mntget(nd.path.mnt);
					path.dentry = dentry;
					path_put(&nd.path);
					follow_mount(&path);
				}
			}
		}
	} else {
		error = path_walk_at(dfd, name, open_to_namei_flags(flags) | ((flags & O_DIRECTORY) ? LOOKUP_DIRECTORY : 0), &nd);
		if (error)
			return ERR_PTR(error);
		path = nd.path;
		if (is_symlink(path.dentry)) {
			path_put(&path);
			return ERR_PTR(-ELOOP);
		}
	}
	/* may_open */
	if (is_dir(path.dentry) && (acc != O_RDONLY || (flags & O_TRUNC))) {
		path_put(&path);
		return ERR_PTR(-EISDIR);
	}
	if ((flags & O_DIRECTORY) && !is_dir(path.dentry)) {
		path_put(&path);
		return ERR_PTR(-ENOTDIR);
	}
	file = dentry_open(&path, flags);
	path_put(&path);
	if (IS_ERR(file))
		return file;
	/* O_TRUNC truncates whatever the access mode (it asks for write permission, which every
	 * task here has). */
	if ((flags & O_TRUNC) && !created && S_ISREG(file_inode(file)->i_mode)) {
		error = do_truncate(file->f_path.dentry, 0, ATTR_MTIME | ATTR_CTIME | ATTR_OPEN, file);
		if (error) {
			fput(file);
			return ERR_PTR(error);
		}
	}
	return file;
}

struct file *filp_open(const char *filename, int flags, umode_t mode)
{
	return do_filp_open(AT_FDCWD, filename, flags, mode);
}

/* ---- The system calls ---- */

static long unlinkat_user(int dfd, const char __user *pathname, int rmdir)
{
	char *name = getname(pathname);
	long error;

	if (IS_ERR(name))
		return PTR_ERR(name);
	error = do_unlinkat(dfd, name, rmdir);
	putname(name);
	return error;
}

long sys_unlinkat(int dfd, const char __user *pathname, int flag)
{
	if (flag & ~AT_REMOVEDIR)
		return -EINVAL;
	return unlinkat_user(dfd, pathname, (flag & AT_REMOVEDIR) != 0);
}

long sys_unlink(const char __user *pathname)
{
	return unlinkat_user(AT_FDCWD, pathname, 0);
}

long sys_rmdir(const char __user *pathname)
{
	return unlinkat_user(AT_FDCWD, pathname, 1);
}

long sys_mkdirat(int dfd, const char __user *pathname, umode_t mode)
{
	return do_mkdirat(dfd, pathname, mode);
}

long sys_mkdir(const char __user *pathname, umode_t mode)
{
	return do_mkdirat(AT_FDCWD, pathname, mode);
}

long sys_mknod(const char __user *filename, umode_t mode, unsigned int dev)
{
	return do_mknodat(AT_FDCWD, filename, mode, dev);
}
