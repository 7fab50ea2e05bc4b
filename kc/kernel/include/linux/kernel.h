/* <linux/kernel.h>: the small helpers every kernel file uses. */
#ifndef _LINUX_KERNEL_H
#define _LINUX_KERNEL_H

#include <linux/types.h>
#include <linux/stddef.h>
#include <linux/compiler.h>
#include <linux/version.h>
#include <linux/faultline.h>
#include <linux/printk.h>
#include <linux/bug.h>

#define USHRT_MAX ((unsigned short)~0U)
#define SHRT_MAX ((short)(USHRT_MAX >> 1))
#define INT_MAX ((int)(~0U >> 1))
#define INT_MIN (-INT_MAX - 1)
#define UINT_MAX (~0U)
#define LONG_MAX ((long)(~0UL >> 1))
#define LONG_MIN (-LONG_MAX - 1)
#define ULONG_MAX (~0UL)
#define BITS_PER_LONG 64
#define BITS_PER_BYTE 8

#define ARRAY_SIZE(arr) (sizeof(arr) / sizeof((arr)[0]))

/* The structure that contains `ptr` as its `member`. */
#define container_of(ptr, type, member) ({ \
	void *__mptr = (void *)(ptr); \
	((type *)((char *)__mptr - offsetof(type, member))); \
})

#define __ALIGN_MASK(x, mask) (((x) + (mask)) & ~(mask))
#define ALIGN(x, a) __ALIGN_MASK(x, (__typeof__(x))(a) - 1)
#define ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a) - 1))
#define PTR_ALIGN(p, a) ((__typeof__(p))ALIGN((unsigned long)(p), (a)))
#define IS_ALIGNED(x, a) (((x) & ((__typeof__(x))(a) - 1)) == 0)
#define DIV_ROUND_UP(n, d) (((n) + (d) - 1) / (d))
#define round_up(x, y) ((((x) - 1) | ((__typeof__(x))((y) - 1))) + 1)
#define round_down(x, y) ((x) & ~((__typeof__(x))((y) - 1)))
#define roundup(x, y) ((((x) + ((y) - 1)) / (y)) * (y))

#define min(x, y) ({ __typeof__(x) __min1 = (x); __typeof__(y) __min2 = (y); __min1 < __min2 ? __min1 : __min2; })
#define max(x, y) ({ __typeof__(x) __max1 = (x); __typeof__(y) __max2 = (y); __max1 > __max2 ? __max1 : __max2; })
#define min_t(type, x, y) ({ type __min1 = (x); type __min2 = (y); __min1 < __min2 ? __min1 : __min2; })
#define max_t(type, x, y) ({ type __max1 = (x); type __max2 = (y); __max1 > __max2 ? __max1 : __max2; })
#define clamp(val, lo, hi) min(max(val, lo), hi)
#define swap(a, b) do { __typeof__(a) __tmp = (a); (a) = (b); (b) = __tmp; } while (0)

/* Reports a call that may sleep made in atomic context (a spinlock held, preemption disabled). */
#define might_sleep() __kc_might_sleep(__KC_SITE)
#define might_sleep_if(cond) do { if (cond) might_sleep(); } while (0)

#define preempt_disable() __kc_preempt_disable()
#define preempt_enable() __kc_preempt_enable()

/* lib/vsprintf.c (builtins with printk's formatting): snprintf returns the length the whole text
 * needs, scnprintf the bytes written; both NUL-terminate when size > 0. */
int snprintf(char *buf, size_t size, const char *fmt, ...);
int scnprintf(char *buf, size_t size, const char *fmt, ...);
int sprintf(char *buf, const char *fmt, ...);

#endif /* _LINUX_KERNEL_H */
