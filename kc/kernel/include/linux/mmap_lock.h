/* <linux/mmap_lock.h> (5.8+): the mmap_lock API that replaced direct use of mm->mmap_sem.
 * Macros rather than inline functions so that lock reports name the caller's line. */
#ifndef _LINUX_MMAP_LOCK_H
#define _LINUX_MMAP_LOCK_H

#include <linux/rwsem.h>
#include <linux/mm_types.h>

#define MMAP_LOCK_INITIALIZER(name) .mmap_lock = __RWSEM_INITIALIZER((name).mmap_lock),

/* A function, as in Linux, so that every mm's lock has the lockdep class "&mm->mmap_lock". */
static inline void mmap_init_lock(struct mm_struct *mm)
{
	init_rwsem(&mm->mmap_lock);
}

#define mmap_write_lock(mm) down_write(&(mm)->mmap_lock)
#define mmap_write_lock_nested(mm, subclass) down_write_nested(&(mm)->mmap_lock, (subclass))
#define mmap_write_lock_killable(mm) down_write_killable(&(mm)->mmap_lock)
#define mmap_write_trylock(mm) (down_write_trylock(&(mm)->mmap_lock) != 0)
#define mmap_write_unlock(mm) up_write(&(mm)->mmap_lock)
#define mmap_write_downgrade(mm) downgrade_write(&(mm)->mmap_lock)
#define mmap_read_lock(mm) down_read(&(mm)->mmap_lock)
#define mmap_read_lock_killable(mm) down_read_killable(&(mm)->mmap_lock)
#define mmap_read_trylock(mm) (down_read_trylock(&(mm)->mmap_lock) != 0)
#define mmap_read_unlock(mm) up_read(&(mm)->mmap_lock)
#define mmap_assert_locked(mm) lockdep_assert_held(&(mm)->mmap_lock)
#define mmap_assert_write_locked(mm) lockdep_assert_held_write(&(mm)->mmap_lock)

#endif /* _LINUX_MMAP_LOCK_H */
