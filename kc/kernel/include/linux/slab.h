/* <linux/slab.h>: object allocation (mm/slab.c): kmalloc's size classes and named caches. */
#ifndef _LINUX_SLAB_H
#define _LINUX_SLAB_H

#include <linux/types.h>
#include <linux/gfp.h>

/* kmalloc(0) returns this: not NULL, and any access through it faults. */
#define ZERO_SIZE_PTR ((void *)16)
#define ZERO_OR_NULL_PTR(x) ((unsigned long)(x) <= (unsigned long)ZERO_SIZE_PTR)

/* Objects up to this size come from a size class; larger requests get whole pages. */
#define KMALLOC_MAX_CACHE_SIZE 2048
/* The largest kmalloc: one block of the buddy allocator. */
#define KMALLOC_MAX_SIZE (PAGE_SIZE << (NR_PAGE_ORDERS - 1))

#define SLAB_HWCACHE_ALIGN 0x00002000UL
#define SLAB_PANIC 0x00040000UL

struct kmem_cache;

struct kmem_cache *kmem_cache_create(const char *name, unsigned int size, unsigned int align, unsigned long flags, void (*ctor)(void *));
void kmem_cache_destroy(struct kmem_cache *cachep);
void *kmem_cache_alloc(struct kmem_cache *cachep, gfp_t flags);
void kmem_cache_free(struct kmem_cache *cachep, void *objp);
static inline void *kmem_cache_zalloc(struct kmem_cache *k, gfp_t flags)
{
	return kmem_cache_alloc(k, flags | __GFP_ZERO);
}

void *kmalloc(size_t size, gfp_t flags);
void kfree(const void *objp);
/* The usable size of an allocation (its size class). */
size_t ksize(const void *objp);

static inline void *kzalloc(size_t size, gfp_t flags)
{
	return kmalloc(size, flags | __GFP_ZERO);
}

static inline void *kcalloc(size_t n, size_t size, gfp_t flags)
{
	if (size != 0 && n > (~0UL) / size)
		return NULL;
	return kmalloc(n * size, flags | __GFP_ZERO);
}

static inline void *kmalloc_array(size_t n, size_t size, gfp_t flags)
{
	if (size != 0 && n > (~0UL) / size)
		return NULL;
	return kmalloc(n * size, flags);
}

/* Boot: sets up the kmalloc size classes (after the buddy allocator). */
void kmem_cache_init(void);

#endif /* _LINUX_SLAB_H */
