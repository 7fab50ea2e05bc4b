/* <linux/kref.h>: reference counts for objects with a release function (lib/kref.c). The last
 * kref_put calls `release`; the caller serializes the final put against lookups that could find
 * the object, as in Linux. */
#ifndef _LINUX_KREF_H
#define _LINUX_KREF_H

#include <linux/atomic.h>
#include <linux/bug.h>

struct kref {
	atomic_t refcount;
};

#define KREF_INIT(n) { .refcount = ATOMIC_INIT(n) }

static inline void kref_init(struct kref *kref)
{
	atomic_set(&kref->refcount, 1);
}

static inline unsigned int kref_read(const struct kref *kref)
{
	return atomic_read(&kref->refcount);
}

static inline void kref_get(struct kref *kref)
{
	WARN_ON(atomic_inc_return(&kref->refcount) < 2);
}

/* Drops a reference; calls `release` and returns 1 when it was the last one. */
static inline int kref_put(struct kref *kref, void (*release)(struct kref *kref))
{
	if (atomic_dec_and_test(&kref->refcount)) {
		release(kref);
		return 1;
	}
	return 0;
}

#endif /* _LINUX_KREF_H */
