/* <linux/bug.h>: BUG, BUG_ON, WARN_ON and friends.
 *
 * BUG() ends the task with an oops whose message names the site, "kernel BUG at mm/memory.c:123!",
 * as x86's ud2 handler prints it. WARN_ON() prints the era's warning banner with a backtrace and
 * continues; its value is the condition, as in Linux. */
#ifndef _LINUX_BUG_H
#define _LINUX_BUG_H

#include <linux/compiler.h>
#include <linux/version.h>
#include <linux/faultline.h>
#include <linux/printk.h>

#define BUG() __kc_bug(__KC_SITE)

#define BUG_ON(condition) do { if (unlikely(condition)) BUG(); } while (0)

/* Type-checks an expression without evaluating it. */
#define BUILD_BUG_ON_INVALID(e) ((void)(sizeof((long)(e))))
#define BUILD_BUG_ON(condition) _Static_assert(!(condition), "BUILD_BUG_ON failed: " #condition)

#if LINUX_VERSION_CODE < KERNEL_VERSION(2, 6, 26)
/* 2.6.18-2.6.25: the warning is a printk of the site and a stack dump. */
#define __WARN() do { printk("BUG: warning at %s:%d/%s()\n", __FILE__, __LINE__, __func__); dump_stack(); } while (0)
#define __WARN_printf(fmt, ...) do { __WARN(); printk(fmt, ##__VA_ARGS__); } while (0)
#elif LINUX_VERSION_CODE < KERNEL_VERSION(3, 10, 0)
/* 2.6.26-3.9 (approx.): a "cut here" banner and "WARNING: at file:line function()". */
#define __WARN() __kc_warn(0, __KC_SITE, NULL)
#define __WARN_printf(fmt, ...) __kc_warn(0, __KC_SITE, fmt, ##__VA_ARGS__)
#else
/* Modern: "WARNING: CPU: n PID: p at file:line function". */
#define __WARN() __kc_warn(1, __KC_SITE, NULL)
#define __WARN_printf(fmt, ...) __kc_warn(1, __KC_SITE, fmt, ##__VA_ARGS__)
#endif

#define WARN_ON(condition) ({ \
	int __ret_warn_on = !!(condition); \
	if (unlikely(__ret_warn_on)) \
		__WARN(); \
	unlikely(__ret_warn_on); \
})

#define WARN(condition, fmt, ...) ({ \
	int __ret_warn_on = !!(condition); \
	if (unlikely(__ret_warn_on)) \
		__WARN_printf(fmt, ##__VA_ARGS__); \
	unlikely(__ret_warn_on); \
})

/* The once-only variants keep a static flag per site, as Linux does. */
#define WARN_ON_ONCE(condition) ({ \
	static bool __warned; \
	int __ret_warn_once = !!(condition); \
	if (unlikely(__ret_warn_once && !__warned)) { \
		__warned = true; \
		__WARN(); \
	} \
	unlikely(__ret_warn_once); \
})

#define WARN_ONCE(condition, fmt, ...) ({ \
	static bool __warned; \
	int __ret_warn_once = !!(condition); \
	if (unlikely(__ret_warn_once && !__warned)) { \
		__warned = true; \
		__WARN_printf(fmt, ##__VA_ARGS__); \
	} \
	unlikely(__ret_warn_once); \
})

/* CONFIG_DEBUG_VM turns the VM_* assertions on; without it they only type-check. */
#ifdef CONFIG_DEBUG_VM
#define VM_BUG_ON(cond) BUG_ON(cond)
#define VM_WARN_ON(cond) (void)WARN_ON(cond)
#define VM_WARN_ON_ONCE(cond) (void)WARN_ON_ONCE(cond)
#else
#define VM_BUG_ON(cond) BUILD_BUG_ON_INVALID(cond)
#define VM_WARN_ON(cond) BUILD_BUG_ON_INVALID(cond)
#define VM_WARN_ON_ONCE(cond) BUILD_BUG_ON_INVALID(cond)
#endif

#endif /* _LINUX_BUG_H */
