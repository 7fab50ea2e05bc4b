/* <linux/kdev_t.h>: device numbers. The kernel's dev_t is 12 bits of major and 20 of minor; stat()
 * reports them in the "new" user encoding (new_encode_dev), as Linux does on x86-64. */
#ifndef _LINUX_KDEV_T_H
#define _LINUX_KDEV_T_H

#include <linux/types.h>

#ifndef __kernel_dev_t_defined
#define __kernel_dev_t_defined 1
typedef u32 dev_t;
#endif

#define MINORBITS 20
#define MINORMASK ((1U << MINORBITS) - 1)

#define MAJOR(dev) ((unsigned int)((dev) >> MINORBITS))
#define MINOR(dev) ((unsigned int)((dev) & MINORMASK))
#define MKDEV(ma, mi) ((dev_t)(((ma) << MINORBITS) | (mi)))

/* The user-space encoding: minor bits 0-7 and 20-31, major bits 8-19. */
static inline u32 new_encode_dev(dev_t dev)
{
	unsigned int major = MAJOR(dev);
	unsigned int minor = MINOR(dev);

	return (minor & 0xff) | (major << 8) | ((minor & ~0xffU) << 12);
}

static inline dev_t new_decode_dev(u32 dev)
{
	unsigned int major = (dev & 0xfff00) >> 8;
	unsigned int minor = (dev & 0xff) | ((dev >> 12) & 0xfff00);

	return MKDEV(major, minor);
}

#endif /* _LINUX_KDEV_T_H */
