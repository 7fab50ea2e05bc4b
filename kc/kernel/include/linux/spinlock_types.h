/* <linux/spinlock_types.h>: spinlock_t.
 *
 * Layout contract with src/kernel/builtins/locks.ts (checked by the static assertions below): the
 * first word is the lock's state as the lock layer maintains it (1 held, 0 free), and the
 * lockdep map (the class name) is at offset 8 in every lock type. */
#ifndef _LINUX_SPINLOCK_TYPES_H
#define _LINUX_SPINLOCK_TYPES_H

#include <linux/types.h>
#include <linux/stddef.h>
#include <linux/lockdep.h>

typedef struct {
	volatile unsigned int slock;
} raw_spinlock_t;

typedef struct spinlock {
	raw_spinlock_t raw_lock;
	struct lockdep_map dep_map;
} spinlock_t;

_Static_assert(offsetof(spinlock_t, dep_map) == 8, "lock builtins read the class name at offset 8");

#define __RAW_SPIN_LOCK_UNLOCKED { 0 }
#define __SPIN_LOCK_UNLOCKED(lockname) { .raw_lock = __RAW_SPIN_LOCK_UNLOCKED, .dep_map = STATIC_LOCKDEP_MAP_INIT(#lockname) }
#define DEFINE_SPINLOCK(x) spinlock_t x = __SPIN_LOCK_UNLOCKED(x)

#endif /* _LINUX_SPINLOCK_TYPES_H */
