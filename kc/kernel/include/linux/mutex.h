/* <linux/mutex.h>: sleeping mutual exclusion. The first word follows the 2.6 encoding (1 unlocked,
 * 0 locked, -1 locked with waiters), kept by the lock layer; see <linux/spinlock_types.h>. */
#ifndef _LINUX_MUTEX_H
#define _LINUX_MUTEX_H

#include <linux/types.h>
#include <linux/stddef.h>
#include <linux/lockdep.h>
#include <linux/faultline.h>
#include <linux/atomic.h>

struct mutex {
	atomic_t count;
	struct lockdep_map dep_map;
};

_Static_assert(offsetof(struct mutex, dep_map) == 8, "lock builtins read the class name at offset 8");

#define __MUTEX_INITIALIZER(lockname) { .count = ATOMIC_INIT(1), .dep_map = STATIC_LOCKDEP_MAP_INIT(#lockname) }
#define DEFINE_MUTEX(mutexname) struct mutex mutexname = __MUTEX_INITIALIZER(mutexname)

#define mutex_init(mutex) __kc_mutex_init((void *)(mutex), #mutex, __KC_SITE)
#define mutex_destroy(mutex) do { (void)(mutex); } while (0)

#define mutex_lock(lock) __kc_mutex_lock((void *)(lock), 0, __KC_SITE)
#define mutex_lock_nested(lock, subclass) __kc_mutex_lock((void *)(lock), (subclass), __KC_SITE)
#define mutex_lock_interruptible(lock) __kc_mutex_lock_interruptible((void *)(lock), 0, __KC_SITE)
#define mutex_lock_killable(lock) __kc_mutex_lock_interruptible((void *)(lock), 1, __KC_SITE)
#define mutex_trylock(lock) __kc_mutex_trylock((void *)(lock), __KC_SITE)
#define mutex_unlock(lock) __kc_mutex_unlock((void *)(lock), __KC_SITE)
#define mutex_is_locked(lock) __kc_mutex_is_locked((void *)(lock))

#endif /* _LINUX_MUTEX_H */
