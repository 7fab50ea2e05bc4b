/* <linux/rwsem.h>: reader/writer semaphores (mmap_sem/mmap_lock, i_mmap_rwsem). Fair, as in Linux:
 * a queued writer makes new readers wait. The first word is the lock layer's view: the number of
 * readers, -1 for a writer, 0 when free; see <linux/spinlock_types.h>. */
#ifndef _LINUX_RWSEM_H
#define _LINUX_RWSEM_H

#include <linux/types.h>
#include <linux/stddef.h>
#include <linux/lockdep.h>
#include <linux/faultline.h>

struct rw_semaphore {
	long count;
	struct lockdep_map dep_map;
};

_Static_assert(offsetof(struct rw_semaphore, dep_map) == 8, "lock builtins read the class name at offset 8");

#define __RWSEM_INITIALIZER(name) { .count = 0, .dep_map = STATIC_LOCKDEP_MAP_INIT(#name) }
#define DECLARE_RWSEM(name) struct rw_semaphore name = __RWSEM_INITIALIZER(name)

#define init_rwsem(sem) __kc_init_rwsem((void *)(sem), #sem, __KC_SITE)

#define down_read(sem) __kc_down_read((void *)(sem), 0, __KC_SITE)
#define down_read_nested(sem, subclass) __kc_down_read((void *)(sem), (subclass), __KC_SITE)
#define down_read_killable(sem) __kc_down_read_killable((void *)(sem), __KC_SITE)
#define down_read_trylock(sem) __kc_down_read_trylock((void *)(sem), __KC_SITE)
#define up_read(sem) __kc_up_read((void *)(sem), __KC_SITE)
#define down_write(sem) __kc_down_write((void *)(sem), 0, __KC_SITE)
#define down_write_nested(sem, subclass) __kc_down_write((void *)(sem), (subclass), __KC_SITE)
#define down_write_killable(sem) __kc_down_write_killable((void *)(sem), __KC_SITE)
#define down_write_trylock(sem) __kc_down_write_trylock((void *)(sem), __KC_SITE)
#define up_write(sem) __kc_up_write((void *)(sem), __KC_SITE)
#define downgrade_write(sem) __kc_downgrade_write((void *)(sem), __KC_SITE)
#define rwsem_is_locked(sem) __kc_rwsem_is_locked((void *)(sem))

#endif /* _LINUX_RWSEM_H */
