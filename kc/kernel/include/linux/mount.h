/* <linux/mount.h>: mounts. A vfsmount attaches a super block's tree at a dentry of its parent
 * mount. Faultline keeps the 2.6 shape (parent, mountpoint and the mount list in the vfsmount
 * itself; 6.8 moves them into the private struct mount around it) and a plain list of mounts for
 * lookup_mnt instead of the mount hash table. */
#ifndef _LINUX_MOUNT_H
#define _LINUX_MOUNT_H

#include <linux/types.h>
#include <linux/list.h>
#include <linux/atomic.h>

struct dentry;
struct super_block;
struct file_system_type;
struct path;

#define MNT_NOSUID 0x01
#define MNT_NODEV 0x02
#define MNT_NOEXEC 0x04
#define MNT_INTERNAL 0x4000

struct vfsmount {
	struct dentry *mnt_root;		/* root of the mounted tree */
	struct super_block *mnt_sb;
	int mnt_flags;
	struct vfsmount *mnt_parent;		/* the mount we are mounted on (ourselves: a root) */
	struct dentry *mnt_mountpoint;		/* the dentry we are mounted on */
	atomic_t mnt_count;
	struct list_head mnt_list;		/* on the mount list, when attached */
	const char *mnt_devname;
};

struct vfsmount *mntget(struct vfsmount *mnt);
void mntput(struct vfsmount *mnt);
/* A mount of `type` that is attached nowhere (tmpfs's shm_mnt, procfs's proc_mnt). */
struct vfsmount *kern_mount(struct file_system_type *type);
struct vfsmount *vfs_kern_mount(struct file_system_type *type, int flags, const char *name, void *data);
/* The mount on (mnt, dentry), with a reference, or NULL. */
struct vfsmount *lookup_mnt(const struct path *path);

#endif /* _LINUX_MOUNT_H */
