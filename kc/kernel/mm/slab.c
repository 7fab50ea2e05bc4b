/* mm/slab.c: Faultline's object allocator, a small slab allocator in the style of SLUB.
 *
 * A cache hands out objects of one size carved from slab pages (blocks from the buddy allocator).
 * Each slab page keeps its own list of free objects (page->freelist, the link stored in the free
 * object itself at s->offset) and a count of objects in use (page->inuse); slabs with free
 * objects are on the cache's partial list, full slabs on no list. A slab whose last object is
 * freed goes straight back to the buddy allocator, so memory use returns to where it was.
 * kmalloc serves sizes up to KMALLOC_MAX_CACHE_SIZE from power-of-two size classes (plus 96 and
 * 192, as Linux has) and larger sizes with whole blocks of pages.
 *
 * The page of an object tells everything: PG_slab and page->slab_cache for slab objects,
 * PG_compound and page->private (the order) for large kmalloc blocks. */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/mutex.h>
#include <linux/string.h>

struct kmem_cache {
	const char *name;
	unsigned int object_size;	/* what the user asked for */
	unsigned int size;		/* the stride between objects */
	unsigned int offset;		/* of the free-list link inside a free object */
	unsigned int order;		/* of each slab */
	unsigned int objects;		/* per slab */
	void (*ctor)(void *);
	spinlock_t lock;		/* the partial list and the slabs' free lists */
	struct list_head partial;	/* slabs with free objects (page->lru) */
	unsigned long nr_slabs;
	struct list_head list;		/* on slab_caches */
};

static const unsigned int kmalloc_sizes[] = { 8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048 };
static const char *const kmalloc_names[] = {
	"kmalloc-8", "kmalloc-16", "kmalloc-32", "kmalloc-64", "kmalloc-96", "kmalloc-128",
	"kmalloc-192", "kmalloc-256", "kmalloc-512", "kmalloc-1k", "kmalloc-2k",
};
#define NR_KMALLOC_CACHES (sizeof(kmalloc_sizes) / sizeof(kmalloc_sizes[0]))

static struct kmem_cache kmalloc_caches[NR_KMALLOC_CACHES];
static LIST_HEAD(slab_caches);
static DEFINE_MUTEX(slab_mutex);

static void **freepointer_ptr(struct kmem_cache *s, void *object)
{
	return (void **)((char *)object + s->offset);
}

static void *get_freepointer(struct kmem_cache *s, void *object)
{
	return *freepointer_ptr(s, object);
}

static void set_freepointer(struct kmem_cache *s, void *object, void *fp)
{
	*freepointer_ptr(s, object) = fp;
}

static void kmem_cache_setup(struct kmem_cache *s, const char *name, unsigned int size, unsigned int align, void (*ctor)(void *))
{
	if (align < sizeof(void *))
		align = sizeof(void *);
	s->name = name;
	s->object_size = size;
	s->ctor = ctor;
	s->size = ALIGN(size, align);
	/* A constructed object must keep its contents while free: put the link after it. */
	s->offset = 0;
	if (ctor) {
		s->offset = s->size;
		s->size = ALIGN(s->size + sizeof(void *), align);
	}
	s->order = s->size <= PAGE_SIZE ? 0 : get_order(s->size);
	s->objects = (PAGE_SIZE << s->order) / s->size;
	spin_lock_init(&s->lock);
	INIT_LIST_HEAD(&s->partial);
	s->nr_slabs = 0;
}

void kmem_cache_init(void)
{
	unsigned int i;

	for (i = 0; i < NR_KMALLOC_CACHES; i++) {
		kmem_cache_setup(&kmalloc_caches[i], kmalloc_names[i], kmalloc_sizes[i], 8, NULL);
		list_add_tail(&kmalloc_caches[i].list, &slab_caches);
	}
}

/* A new slab: a block of pages cut into free objects, all on its free list. */
static struct page *new_slab(struct kmem_cache *s, gfp_t flags)
{
	struct page *page = alloc_pages(flags & ~__GFP_ZERO, s->order);
	char *start, *p;
	unsigned int i;

	if (!page)
		return NULL;
	__SetPageSlab(page);
	page->slab_cache = s;
	page->inuse = 0;
	start = page_address(page);
	for (i = 0, p = start; i < s->objects; i++, p += s->size) {
		if (s->ctor)
			s->ctor(p);
		set_freepointer(s, p, i + 1 < s->objects ? p + s->size : NULL);
	}
	page->freelist = start;
	return page;
}

static void discard_slab(struct kmem_cache *s, struct page *page)
{
	__ClearPageSlab(page);
	/* slab_cache and freelist share their words with mapping and index. */
	page->slab_cache = NULL;
	page->freelist = NULL;
	page->inuse = 0;
	__free_pages(page, s->order);
}

void *kmem_cache_alloc(struct kmem_cache *s, gfp_t flags)
{
	struct page *page;
	void *object;

	might_sleep_if(gfpflags_allow_blocking(flags));
	spin_lock(&s->lock);
	if (list_empty(&s->partial)) {
		/* The page allocator may sleep: never call it with the cache's spinlock held. */
		spin_unlock(&s->lock);
		page = new_slab(s, flags);
		if (!page)
			return NULL;
		spin_lock(&s->lock);
		list_add(&page->lru, &s->partial);
		s->nr_slabs++;
	}
	page = list_first_entry(&s->partial, struct page, lru);
	object = page->freelist;
	page->freelist = get_freepointer(s, object);
	page->inuse++;
	if (page->freelist == NULL)
		list_del_init(&page->lru);	/* full: found again through virt_to_page() */
	spin_unlock(&s->lock);
	if (flags & __GFP_ZERO)
		memset(object, 0, s->object_size);
	return object;
}

void kmem_cache_free(struct kmem_cache *s, void *object)
{
	struct page *page;
	int was_full;

	if (!object)
		return;
	page = virt_to_page(object);
	/* Freeing into the wrong cache, or something that is not a slab object, is a kernel bug. */
	BUG_ON(!PageSlab(page) || page->slab_cache != s);
	debug_check_no_locks_freed(object, s->object_size);
	spin_lock(&s->lock);
	/* The cheapest double-free check: the object is already the first free one. */
	BUG_ON(page->freelist == object);
	was_full = page->freelist == NULL;
	set_freepointer(s, object, page->freelist);
	page->freelist = object;
	page->inuse--;
	if (page->inuse == 0) {
		list_del_init(&page->lru);
		s->nr_slabs--;
		spin_unlock(&s->lock);
		discard_slab(s, page);
		return;
	}
	if (was_full)
		list_add(&page->lru, &s->partial);
	spin_unlock(&s->lock);
}

struct kmem_cache *kmem_cache_create(const char *name, unsigned int size, unsigned int align, unsigned long flags, void (*ctor)(void *))
{
	struct kmem_cache *s;

	if (size == 0 || size > KMALLOC_MAX_SIZE)
		return NULL;
	if (flags & SLAB_HWCACHE_ALIGN)
		align = max(align, 64U);
	s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (!s) {
		BUG_ON(flags & SLAB_PANIC);
		return NULL;
	}
	kmem_cache_setup(s, name, size, align, ctor);
	mutex_lock(&slab_mutex);
	list_add_tail(&s->list, &slab_caches);
	mutex_unlock(&slab_mutex);
	return s;
}

void kmem_cache_destroy(struct kmem_cache *s)
{
	if (!s)
		return;
	mutex_lock(&slab_mutex);
	if (s->nr_slabs != 0) {
		/* Linux keeps (leaks) a cache that still has objects, and says so. */
		mutex_unlock(&slab_mutex);
		printk(KERN_ERR "kmem_cache_destroy %s: Slab cache still has objects\n", s->name);
		dump_stack();
		return;
	}
	list_del(&s->list);
	mutex_unlock(&slab_mutex);
	kfree(s);
}

static struct kmem_cache *kmalloc_slab(size_t size)
{
	unsigned int i;

	for (i = 0; i < NR_KMALLOC_CACHES; i++) {
		if (size <= kmalloc_sizes[i])
			return &kmalloc_caches[i];
	}
	return NULL;
}

/* Sizes above the largest class: a block of whole pages, its order kept in page->private. */
static void *kmalloc_large(size_t size, gfp_t flags)
{
	unsigned int order;
	struct page *page;

	if (size > KMALLOC_MAX_SIZE) {
		WARN_ON_ONCE(!(flags & __GFP_NOWARN));
		return NULL;
	}
	order = get_order(size);
	page = alloc_pages(flags, order);
	if (!page)
		return NULL;
	__SetPageCompound(page);
	set_page_private(page, order);
	return page_address(page);
}

void *kmalloc(size_t size, gfp_t flags)
{
	if (size == 0)
		return ZERO_SIZE_PTR;
	if (size > KMALLOC_MAX_CACHE_SIZE)
		return kmalloc_large(size, flags);
	return kmem_cache_alloc(kmalloc_slab(size), flags);
}

void kfree(const void *object)
{
	struct page *page;
	unsigned int order;

	if (ZERO_OR_NULL_PTR(object))
		return;
	page = virt_to_page(object);
	if (PageSlab(page)) {
		kmem_cache_free(page->slab_cache, (void *)object);
		return;
	}
	/* Not from kmalloc at all: warn and leave the memory alone (freeing it would corrupt). */
	if (WARN_ON(!PageCompound(page) || page_address(page) != object))
		return;
	order = page_private(page);
	__ClearPageCompound(page);
	set_page_private(page, 0);
	__free_pages(page, order);
}

size_t ksize(const void *object)
{
	struct page *page;

	if (ZERO_OR_NULL_PTR(object))
		return 0;
	page = virt_to_page(object);
	if (PageSlab(page))
		return page->slab_cache->object_size;
	return PAGE_SIZE << page_private(page);
}
