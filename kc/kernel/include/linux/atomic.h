/* <linux/atomic.h>: atomic counters. Each operation is a single KC statement, and the CPU never
 * switches tasks inside a statement, so each is atomic with respect to every other CPU (the
 * simulated machine's equivalent of a lock-prefixed instruction). */
#ifndef _LINUX_ATOMIC_H
#define _LINUX_ATOMIC_H

#include <linux/types.h>
#include <linux/compiler.h>

#define ATOMIC_INIT(i) { (i) }
#define ATOMIC_LONG_INIT(i) { (i) }

static inline int atomic_read(const atomic_t *v) { return READ_ONCE(v->counter); }
static inline void atomic_set(atomic_t *v, int i) { WRITE_ONCE(v->counter, i); }
static inline void atomic_add(int i, atomic_t *v) { v->counter += i; }
static inline void atomic_sub(int i, atomic_t *v) { v->counter -= i; }
static inline void atomic_inc(atomic_t *v) { v->counter++; }
static inline void atomic_dec(atomic_t *v) { v->counter--; }
static inline int atomic_add_return(int i, atomic_t *v) { return v->counter += i; }
static inline int atomic_sub_return(int i, atomic_t *v) { return v->counter -= i; }
static inline int atomic_inc_return(atomic_t *v) { return ++v->counter; }
static inline int atomic_dec_return(atomic_t *v) { return --v->counter; }
static inline int atomic_inc_and_test(atomic_t *v) { return ++v->counter == 0; }
static inline int atomic_dec_and_test(atomic_t *v) { return --v->counter == 0; }
static inline int atomic_sub_and_test(int i, atomic_t *v) { return (v->counter -= i) == 0; }
static inline int atomic_add_negative(int i, atomic_t *v) { return (v->counter += i) < 0; }
static inline int atomic_xchg(atomic_t *v, int i) { int old = v->counter; v->counter = i; return old; }
/* Read, compare and write in one statement: atomic like the rest (see the header). */
static inline int atomic_cmpxchg(atomic_t *v, int old, int new) { return v->counter == old ? (v->counter = new, old) : v->counter; }
static inline int atomic_add_unless(atomic_t *v, int a, int u) { return v->counter != u ? (v->counter += a, 1) : 0; }
#define atomic_inc_not_zero(v) atomic_add_unless((v), 1, 0)

static inline long atomic_long_read(const atomic_long_t *v) { return READ_ONCE(v->counter); }
static inline void atomic_long_set(atomic_long_t *v, long i) { WRITE_ONCE(v->counter, i); }
static inline void atomic_long_add(long i, atomic_long_t *v) { v->counter += i; }
static inline void atomic_long_sub(long i, atomic_long_t *v) { v->counter -= i; }
static inline void atomic_long_inc(atomic_long_t *v) { v->counter++; }
static inline void atomic_long_dec(atomic_long_t *v) { v->counter--; }
static inline long atomic_long_add_return(long i, atomic_long_t *v) { return v->counter += i; }
static inline long atomic_long_inc_return(atomic_long_t *v) { return ++v->counter; }
static inline long atomic_long_dec_return(atomic_long_t *v) { return --v->counter; }
static inline int atomic_long_dec_and_test(atomic_long_t *v) { return --v->counter == 0; }

/* Memory barriers: the simulated CPUs are sequentially consistent. */
#define smp_mb() barrier()
#define smp_rmb() barrier()
#define smp_wmb() barrier()
#define mb() barrier()
#define rmb() barrier()
#define wmb() barrier()

#endif /* _LINUX_ATOMIC_H */
