/* <linux/ioctl.h> for Faultline user programs: the _IO/_IOR/_IOW/_IOWR command encoders. */
#ifndef _LINUX_IOCTL_H
#define _LINUX_IOCTL_H 1

#include <asm/ioctl.h>

#endif
