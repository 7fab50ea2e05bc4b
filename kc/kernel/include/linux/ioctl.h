/* <linux/ioctl.h>: the _IO/_IOR/_IOW/_IOWR command encoders and decoders (_IOC_NR...). */
#ifndef _LINUX_IOCTL_H
#define _LINUX_IOCTL_H 1

#include <asm/ioctl.h>

#endif
