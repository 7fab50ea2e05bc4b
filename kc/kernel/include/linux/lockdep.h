/* <linux/lockdep.h>: what the lock validator keeps in each lock object, and the assertions.
 *
 * The validator itself is the simulator's (src/kernel/locks/lockdep.ts); a lock's dep_map only
 * carries its class name, so that a statically initialised lock can be named on first use. */
#ifndef _LINUX_LOCKDEP_H
#define _LINUX_LOCKDEP_H

#include <linux/faultline.h>

struct lockdep_map {
	/* The lock class: the stringified lock expression of the init site. */
	const char *name;
};

#define STATIC_LOCKDEP_MAP_INIT(_name) { .name = (_name) }

/* Nesting annotation for taking a second lock of the same class (mutex_lock_nested...). */
#define SINGLE_DEPTH_NESTING 1

#define lockdep_assert_held(l) __kc_lockdep_assert_held((void *)(l), __KC_SITE)
#define lockdep_assert_held_write(l) __kc_lockdep_assert_held((void *)(l), __KC_SITE)
#define lockdep_assert_held_read(l) __kc_lockdep_assert_held((void *)(l), __KC_SITE)
#define lockdep_is_held(l) __kc_lock_is_held((void *)(l), 0)

#endif /* _LINUX_LOCKDEP_H */
