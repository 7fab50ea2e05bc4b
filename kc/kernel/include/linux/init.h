/* <linux/init.h>: section markers. Init memory is never freed on this machine, so they are empty. */
#ifndef _LINUX_INIT_H
#define _LINUX_INIT_H

#define __init
#define __exit
#define __initdata
#define __initconst
#define __exitdata
#define __ref

#endif /* _LINUX_INIT_H */
