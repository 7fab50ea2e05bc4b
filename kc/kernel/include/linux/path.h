/* <linux/path.h>: a place in the mount tree: a dentry seen through a mount. */
#ifndef _LINUX_PATH_H
#define _LINUX_PATH_H

struct dentry;
struct vfsmount;

struct path {
	struct vfsmount *mnt;
	struct dentry *dentry;
};

/* Take / drop a reference to both the dentry and the mount (fs/namei.c). */
void path_get(const struct path *path);
void path_put(const struct path *path);

static inline int path_equal(const struct path *path1, const struct path *path2)
{
	return path1->mnt == path2->mnt && path1->dentry == path2->dentry;
}

#endif /* _LINUX_PATH_H */
