/* <asm/bitops.h>: bit operations on unsigned long arrays (x86-64). The atomic ones are single KC
 * statements (see <linux/atomic.h>); the __ ones are the non-atomic variants. */
#ifndef _ASM_X86_BITOPS_H
#define _ASM_X86_BITOPS_H

#include <linux/types.h>

#define BIT(nr) (1UL << (nr))
#define BIT_MASK(nr) (1UL << ((nr) % 64))
#define BIT_WORD(nr) ((nr) / 64)

static inline void set_bit(long nr, volatile unsigned long *addr) { addr[BIT_WORD(nr)] |= BIT_MASK(nr); }
static inline void clear_bit(long nr, volatile unsigned long *addr) { addr[BIT_WORD(nr)] &= ~BIT_MASK(nr); }
static inline void change_bit(long nr, volatile unsigned long *addr) { addr[BIT_WORD(nr)] ^= BIT_MASK(nr); }
static inline void __set_bit(long nr, volatile unsigned long *addr) { addr[BIT_WORD(nr)] |= BIT_MASK(nr); }
static inline void __clear_bit(long nr, volatile unsigned long *addr) { addr[BIT_WORD(nr)] &= ~BIT_MASK(nr); }
static inline int test_bit(long nr, const volatile unsigned long *addr) { return (addr[BIT_WORD(nr)] >> (nr % 64)) & 1; }

/* Each is one statement: the test and the update cannot be separated by another CPU. */
static inline int test_and_set_bit(long nr, volatile unsigned long *addr)
{
	return (addr[BIT_WORD(nr)] & BIT_MASK(nr)) != 0 ? 1 : (addr[BIT_WORD(nr)] |= BIT_MASK(nr), 0);
}

static inline int test_and_clear_bit(long nr, volatile unsigned long *addr)
{
	return (addr[BIT_WORD(nr)] & BIT_MASK(nr)) != 0 ? (addr[BIT_WORD(nr)] &= ~BIT_MASK(nr), 1) : 0;
}

/* Index of the least significant set bit (word must be nonzero). */
static inline unsigned long __ffs(unsigned long word) { return __builtin_ctzl(word); }
/* Index of the most significant set bit (word must be nonzero). */
static inline unsigned long __fls(unsigned long word) { return 63 - __builtin_clzl(word); }
/* 1-based index of the most significant set bit, 0 for 0. */
static inline int fls64(unsigned long x) { return x == 0 ? 0 : 64 - __builtin_clzl(x); }
static inline int fls(unsigned int x) { return x == 0 ? 0 : 32 - __builtin_clz(x); }
static inline int ffs(int x) { return x == 0 ? 0 : __builtin_ctz(x) + 1; }

#endif /* _ASM_X86_BITOPS_H */
