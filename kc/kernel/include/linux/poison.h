/* <linux/poison.h>: values written into freed objects so that a later use faults recognisably.
 * x86-64 adds POISON_POINTER_DELTA (0xdead000000000000) so the poisons are non-canonical there; KC
 * pointers are 48-bit (the top 16 bits drop), so here they are small addresses that fault. */
#ifndef _LINUX_POISON_H
#define _LINUX_POISON_H

#define LIST_POISON1 ((void *)0x100)
#define LIST_POISON2 ((void *)0x122)

#endif /* _LINUX_POISON_H */
