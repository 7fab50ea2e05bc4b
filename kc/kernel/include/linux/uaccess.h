/* <linux/uaccess.h>: kernel access to user memory.
 *
 * These are builtins (src/kernel/builtins/uaccess.ts), as they are hand-written assembly with
 * exception-table entries in Linux: the copy goes through the calling CPU's MMU with the current
 * address space, so a user page that is not present takes a page fault that the fault handler
 * resolves (demand paging from kernel mode), and an address the handler cannot fix is caught by
 * the exception-table rule: the copy stops and reports what it did not copy (-EFAULT for the
 * single-value forms). Only addresses below TASK_SIZE_MAX are accepted. */
#ifndef _LINUX_UACCESS_H
#define _LINUX_UACCESS_H

#include <linux/types.h>

#define __user

/* Bytes NOT copied (0 on success). */
unsigned long copy_to_user(void __user *to, const void *from, unsigned long n);
unsigned long copy_from_user(void *to, const void __user *from, unsigned long n);
unsigned long clear_user(void __user *to, unsigned long n);
/* Length of the copied string without its NUL (< count), count when no NUL was found in count bytes,
 * or -EFAULT. */
long strncpy_from_user(char *dst, const char __user *src, long count);

/* get_user/put_user for 1, 2, 4 and 8-byte objects: 0 or -EFAULT. */
int __kc_get_user(void *dst, const void __user *src, unsigned long size);
int __kc_put_user(void __user *dst, const void *src, unsigned long size);
#define get_user(x, ptr) ({ __typeof__(*(ptr)) __gu_val = 0; int __gu_err = __kc_get_user(&__gu_val, (ptr), sizeof(*(ptr))); (x) = __gu_val; __gu_err; })
#define put_user(x, ptr) ({ __typeof__(*(ptr)) __pu_val = (x); __kc_put_user((ptr), &__pu_val, sizeof(*(ptr))); })

#define access_ok(addr, size) ((unsigned long)(addr) + (size) >= (unsigned long)(addr) && (unsigned long)(addr) + (size) <= 0x7ffffffff000UL)

#endif /* _LINUX_UACCESS_H */
