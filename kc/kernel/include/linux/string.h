/* <linux/string.h>: the mem* functions (builtins: x86's string instructions). */
#ifndef _LINUX_STRING_H
#define _LINUX_STRING_H

#include <linux/types.h>
#include <linux/faultline.h>

#endif /* _LINUX_STRING_H */
