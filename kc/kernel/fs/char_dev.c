/* fs/char_dev.c: the character-device registry and the open path of device nodes.
 *
 * register_chrdev(major, name, fops) claims all 256 minors of a major for a driver (major 0: the
 * highest free one, as Linux's dynamic allocation picks from the top). A node (an inode made by
 * init_special_inode, e.g. through devtmpfs_create_node) starts with def_chr_fops; opening it runs
 * chrdev_open, which looks the major up, installs the driver's fops in the file and calls their
 * ->open. A node whose major has no driver opens with -ENXIO. */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/fs.h>
#include <linux/spinlock.h>
#include "internal.h"

struct char_device_struct {
	const char *name;
	const struct file_operations *fops;
};

static struct char_device_struct chrdevs[CHRDEV_MAJOR_MAX];
static DEFINE_SPINLOCK(chrdevs_lock);

/* Majors 234-254 and 384-511 are Linux's dynamic ranges; Faultline picks from 254 down. */
#define CHRDEV_MAJOR_DYN_END 234

int register_chrdev(unsigned int major, const char *name, const struct file_operations *fops)
{
	int ret;

	if (major >= CHRDEV_MAJOR_MAX || !fops)
		return -EINVAL;
	spin_lock(&chrdevs_lock);
	if (major == 0) {
		unsigned int i;

		ret = -EBUSY;
		for (i = 254; i >= CHRDEV_MAJOR_DYN_END; i--) {
			if (!chrdevs[i].fops) {
				major = i;
				ret = 0;
				break;
			}
		}
		if (ret) {
			spin_unlock(&chrdevs_lock);
			return ret;
		}
		ret = major;
	} else {
		ret = chrdevs[major].fops ? -EBUSY : 0;
	}
	if (ret >= 0) {
		chrdevs[major].name = name;
		chrdevs[major].fops = fops;
	}
	spin_unlock(&chrdevs_lock);
	return ret;
}

void unregister_chrdev(unsigned int major, const char *name)
{
	(void)name;
	if (major >= CHRDEV_MAJOR_MAX)
		return;
	spin_lock(&chrdevs_lock);
	chrdevs[major].name = NULL;
	chrdevs[major].fops = NULL;
	spin_unlock(&chrdevs_lock);
}

const struct file_operations *chrdev_fops(dev_t dev)
{
	const struct file_operations *fops = NULL;
	unsigned int major = MAJOR(dev);

	if (major < CHRDEV_MAJOR_MAX && MINOR(dev) < 256) {
		spin_lock(&chrdevs_lock);
		fops = chrdevs[major].fops;
		spin_unlock(&chrdevs_lock);
	}
	return fops;
}

/* The open of every character-device node: hand the file to its driver. */
static int chrdev_open(struct inode *inode, struct file *filp)
{
	const struct file_operations *fops = chrdev_fops(inode->i_rdev);

	if (!fops)
		return -ENXIO;
	filp->f_op = fops;
	if (filp->f_op->open)
		return filp->f_op->open(inode, filp);
	return 0;
}

const struct file_operations def_chr_fops = {
	.open = chrdev_open,
};
