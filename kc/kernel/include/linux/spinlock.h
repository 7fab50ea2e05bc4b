/* <linux/spinlock.h>: spinlocks. Each call goes to a lock builtin with its KC site; a contended
 * spin_lock keeps the CPU busy-waiting (the thread stays runnable and retries). Interrupts are not
 * simulated, so the _irq/_irqsave/_bh variants are plain spinlocks and `flags` is 0. */
#ifndef _LINUX_SPINLOCK_H
#define _LINUX_SPINLOCK_H

#include <linux/spinlock_types.h>
#include <linux/faultline.h>
#include <linux/bug.h>

#define spin_lock_init(lock) __kc_spin_lock_init((void *)(lock), #lock, __KC_SITE)

#define spin_lock(lock) __kc_spin_lock((void *)(lock), 0, __KC_SITE)
#define spin_lock_nested(lock, subclass) __kc_spin_lock((void *)(lock), (subclass), __KC_SITE)
#define spin_trylock(lock) __kc_spin_trylock((void *)(lock), __KC_SITE)
#define spin_unlock(lock) __kc_spin_unlock((void *)(lock), __KC_SITE)
#define spin_is_locked(lock) __kc_spin_is_locked((void *)(lock))

#define spin_lock_irq(lock) spin_lock(lock)
#define spin_unlock_irq(lock) spin_unlock(lock)
#define spin_lock_bh(lock) spin_lock(lock)
#define spin_unlock_bh(lock) spin_unlock(lock)
#define spin_lock_irqsave(lock, flags) do { (flags) = 0; spin_lock(lock); } while (0)
#define spin_unlock_irqrestore(lock, flags) do { (void)(flags); spin_unlock(lock); } while (0)

#define assert_spin_locked(lock) BUG_ON(!spin_is_locked(lock))

#endif /* _LINUX_SPINLOCK_H */
