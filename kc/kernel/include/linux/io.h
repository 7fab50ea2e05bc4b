/* <linux/io.h>: I/O memory access, see <asm/io.h>. */
#ifndef _LINUX_IO_H
#define _LINUX_IO_H

#include <asm/io.h>

#endif /* _LINUX_IO_H */
