/* <linux/compiler.h>: annotations and compiler hints, as the kernel spells them.
 *
 * KC has no sparse checker and no sections, so the address-space and section annotations expand to
 * nothing. The CPU preempts only at statement boundaries, so a single statement is never torn by
 * another CPU; READ_ONCE/WRITE_ONCE are volatile accesses (never merged or repeated). */
#ifndef _LINUX_COMPILER_H
#define _LINUX_COMPILER_H

#define __user
#define __kernel
#define __iomem
#define __force
#define __bitwise
#define __rcu
#define __percpu
#define __must_check
#define __maybe_unused __attribute__((unused))
#define __always_unused __attribute__((unused))
#define __always_inline inline
#define noinline
#define __init
#define __initdata
#define __exit
#define __read_mostly
#define __cold
#define __pure
#define __noreturn
#define __packed __attribute__((packed))
#define __aligned(x) __attribute__((aligned(x)))

#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

/* A compiler barrier: nothing to do for an interpreter that executes every access in order. */
#define barrier() do { } while (0)

#define READ_ONCE(x) (*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, val) do { *(volatile __typeof__(x) *)&(x) = (val); } while (0)
#define ACCESS_ONCE(x) (*(volatile __typeof__(x) *)&(x))

#endif /* _LINUX_COMPILER_H */
