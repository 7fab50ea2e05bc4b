/* fs/internal.h: what the VFS units share among themselves. */
#ifndef _FS_INTERNAL_H
#define _FS_INTERNAL_H

#include <linux/types.h>
#include <linux/fs.h>
#include <linux/path.h>

struct files_struct;

/* "/" of the only mount namespace (fs/namespace.c). */
extern struct path init_root;

/* fs/namei.c */
struct file *do_filp_open(int dfd, const char *name, int flags, umode_t mode);
long do_unlinkat(int dfd, const char *name, int rmdir);
long do_mknodat(int dfd, const char __user *filename, umode_t mode, unsigned int dev);
long do_mkdirat(int dfd, const char __user *pathname, umode_t mode);

/* fs/open.c: open(2) on an explicit table (the sys_* calls pass current->files). */
long do_sys_open(struct files_struct *files, int dfd, const char __user *filename, int flags, umode_t mode);

/* The C library's strlen and strcmp for kernel strings (no lib/string.c in this kernel). */
static inline size_t fs_strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

static inline int fs_streq(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

/* The file-creation mask: init's 0022 for every task (there is no fs_struct and no umask(2)). */
static inline umode_t current_umask(void)
{
	return 0022;
}

/* fs/devtmpfs.c */
int devtmpfs_init(void);

#endif /* _FS_INTERNAL_H */
