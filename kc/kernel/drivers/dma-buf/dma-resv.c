/* drivers/dma-buf/dma-resv.c: reservation objects, a buffer's lock and fences (Linux 6.8).
 *
 * See <linux/dma-resv.h>. The fences live in a dma_resv_list: `num_fences` entries in use out of
 * `max_fences` allocated, each a fence reference and its usage (Linux packs the usage into the
 * pointer's low bits; Faultline keeps two fields so the debugger shows them). Invariants:
 * - the list changes only with the ww_mutex held (dma_resv_assert_held), and, for the readers that
 *   do not hold it, also under fences_lock; a replaced list is freed only after the swap, so an
 *   unlocked reader that notices `obj->fences` changed restarts on the new one;
 * - dma_resv_add_fence never allocates: dma_resv_reserve_fences made room first (BUG otherwise);
 *   reserving compacts out the signalled fences;
 * - a fence replaces an entry of its own context with usage >= its own when it is later, or any
 *   signalled entry; otherwise it takes a new slot. */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/slab.h>
#include <linux/module.h>
#include <linux/dma-resv.h>

/* Wait-die, as 6.8's: a younger transaction backs off. */
DEFINE_WD_CLASS(reservation_ww_class);

struct dma_resv_list_entry {
	struct dma_fence *fence;
	enum dma_resv_usage usage;
};

struct dma_resv_list {
	u32 num_fences, max_fences;
	struct dma_resv_list_entry table[];
};

static struct dma_resv_list *dma_resv_list_alloc(unsigned int max_fences)
{
	struct dma_resv_list *list = kmalloc(sizeof(*list) + max_fences * sizeof(struct dma_resv_list_entry), GFP_KERNEL);

	if (!list)
		return NULL;
	list->num_fences = 0;
	list->max_fences = max_fences;
	return list;
}

/* Frees a list, dropping its fence references. */
static void dma_resv_list_free(struct dma_resv_list *list)
{
	unsigned int i;

	if (!list)
		return;
	for (i = 0; i < list->num_fences; ++i)
		dma_fence_put(list->table[i].fence);
	kfree(list);
}

void dma_resv_init(struct dma_resv *obj)
{
	ww_mutex_init(&obj->lock, &reservation_ww_class);
	spin_lock_init(&obj->fences_lock);
	obj->fences = NULL;
}

void dma_resv_fini(struct dma_resv *obj)
{
	/* Nobody else can hold a reference to the object any more. */
	dma_resv_list_free(obj->fences);
	obj->fences = NULL;
	ww_mutex_destroy(&obj->lock);
}

static struct dma_resv_list *dma_resv_fences_list(struct dma_resv *obj)
{
	return obj->fences;
}

static unsigned int roundup_pow_of_two_uint(unsigned int n)
{
	unsigned int p = 1;

	while (p < n)
		p <<= 1;
	return p;
}

int dma_resv_reserve_fences(struct dma_resv *obj, unsigned int num_fences)
{
	struct dma_resv_list *old, *new;
	unsigned int i, j, k, max;

	dma_resv_assert_held(obj);

	old = dma_resv_fences_list(obj);
	if (old && old->max_fences) {
		if ((old->num_fences + num_fences) <= old->max_fences)
			return 0;
		max = max(old->num_fences + num_fences, old->max_fences * 2);
	} else {
		max = max(4u, roundup_pow_of_two_uint(num_fences));
	}

	new = dma_resv_list_alloc(max);
	if (!new)
		return -ENOMEM;

	/* Keep the unsignalled fences in order; park the signalled ones at the end to drop them
	 * once the new list is visible. */
	for (i = 0, j = 0, k = max; i < (old ? old->num_fences : 0); ++i) {
		struct dma_fence *fence = old->table[i].fence;

		if (dma_fence_is_signaled(fence)) {
			new->table[--k].fence = fence;
		} else {
			new->table[j].fence = fence;
			new->table[j].usage = old->table[i].usage;
			j++;
		}
	}
	new->num_fences = j;

	spin_lock(&obj->fences_lock);
	obj->fences = new;
	spin_unlock(&obj->fences_lock);

	if (!old)
		return 0;
	for (i = k; i < max; ++i)
		dma_fence_put(new->table[i].fence);
	/* The old list's references moved to the new one. */
	kfree(old);
	return 0;
}

void dma_resv_add_fence(struct dma_resv *obj, struct dma_fence *fence, enum dma_resv_usage usage)
{
	struct dma_resv_list *fobj;
	struct dma_fence *old;
	unsigned int i, count;

	dma_fence_get(fence);
	dma_resv_assert_held(obj);

	fobj = dma_resv_fences_list(obj);
	BUG_ON(!fobj);
	count = fobj->num_fences;

	spin_lock(&obj->fences_lock);
	for (i = 0; i < count; ++i) {
		enum dma_resv_usage old_usage = fobj->table[i].usage;

		old = fobj->table[i].fence;
		if ((old->context == fence->context && old_usage >= usage && dma_fence_is_later_or_same(fence, old)) ||
		    dma_fence_is_signaled(old)) {
			fobj->table[i].fence = fence;
			fobj->table[i].usage = usage;
			spin_unlock(&obj->fences_lock);
			dma_fence_put(old);
			return;
		}
	}
	/* No slot reserved: a driver bug (Linux BUGs too). */
	BUG_ON(fobj->num_fences >= fobj->max_fences);
	fobj->table[i].fence = fence;
	fobj->table[i].usage = usage;
	fobj->num_fences = count + 1;
	spin_unlock(&obj->fences_lock);
}

/* Replaces every fence of `context` with `replacement` (a new reference per slot) and `usage`. */
void dma_resv_replace_fences(struct dma_resv *obj, u64 context, struct dma_fence *replacement, enum dma_resv_usage usage)
{
	struct dma_resv_list *list;
	unsigned int i;

	dma_resv_assert_held(obj);
	list = dma_resv_fences_list(obj);
	for (i = 0; list && i < list->num_fences; ++i) {
		struct dma_fence *old = list->table[i].fence;

		if (old->context != context)
			continue;
		spin_lock(&obj->fences_lock);
		list->table[i].fence = dma_fence_get(replacement);
		list->table[i].usage = usage;
		spin_unlock(&obj->fences_lock);
		dma_fence_put(old);
	}
}

/* ---- iterators ---- */

static void dma_resv_iter_restart_unlocked(struct dma_resv_iter *cursor)
{
	cursor->index = 0;
	cursor->fences = dma_resv_fences_list(cursor->obj);
	cursor->num_fences = cursor->fences ? cursor->fences->num_fences : 0;
	cursor->is_restarted = true;
}

/* Steps to the next unsignalled fence of usage <= cursor->usage, taking a reference on it.
 * Called with fences_lock held; restarts when the list was replaced since the last step. */
static void dma_resv_iter_walk_unlocked(struct dma_resv_iter *cursor)
{
	struct dma_resv *obj = cursor->obj;

	cursor->fence = NULL;
	if (cursor->fences != dma_resv_fences_list(obj))
		dma_resv_iter_restart_unlocked(cursor);
	while (cursor->fences && cursor->index < cursor->fences->num_fences) {
		struct dma_resv_list_entry *entry = &cursor->fences->table[cursor->index++];

		if (entry->usage > cursor->usage)
			continue;
		if (test_bit(DMA_FENCE_FLAG_SIGNALED_BIT, &entry->fence->flags))
			continue;
		cursor->fence = dma_fence_get(entry->fence);
		cursor->fence_usage = entry->usage;
		return;
	}
}

/* The first unsignalled fence without the resv lock (a reference the cursor drops at the next
 * step or at dma_resv_iter_end), or NULL. */
struct dma_fence *dma_resv_iter_first_unlocked(struct dma_resv_iter *cursor)
{
	dma_fence_put(cursor->fence);
	spin_lock(&cursor->obj->fences_lock);
	dma_resv_iter_restart_unlocked(cursor);
	dma_resv_iter_walk_unlocked(cursor);
	spin_unlock(&cursor->obj->fences_lock);
	return cursor->fence;
}

struct dma_fence *dma_resv_iter_next_unlocked(struct dma_resv_iter *cursor)
{
	dma_fence_put(cursor->fence);
	spin_lock(&cursor->obj->fences_lock);
	cursor->is_restarted = false;
	dma_resv_iter_walk_unlocked(cursor);
	spin_unlock(&cursor->obj->fences_lock);
	return cursor->fence;
}

/* The locked walk (the resv lock is held): no references are taken, signalled fences included,
 * and the loop ends with cursor->fence NULL (no dma_resv_iter_end). */
static struct dma_fence *dma_resv_iter_walk(struct dma_resv_iter *cursor)
{
	cursor->fence = NULL;
	while (cursor->fences && cursor->index < cursor->fences->num_fences) {
		struct dma_resv_list_entry *entry = &cursor->fences->table[cursor->index++];

		if (entry->usage > cursor->usage)
			continue;
		cursor->fence = entry->fence;
		cursor->fence_usage = entry->usage;
		break;
	}
	return cursor->fence;
}

struct dma_fence *dma_resv_iter_first(struct dma_resv_iter *cursor)
{
	dma_resv_assert_held(cursor->obj);
	cursor->index = 0;
	cursor->fences = dma_resv_fences_list(cursor->obj);
	cursor->is_restarted = true;
	return dma_resv_iter_walk(cursor);
}

struct dma_fence *dma_resv_iter_next(struct dma_resv_iter *cursor)
{
	dma_resv_assert_held(cursor->obj);
	cursor->is_restarted = false;
	return dma_resv_iter_walk(cursor);
}

int dma_resv_copy_fences(struct dma_resv *dst, struct dma_resv *src)
{
	struct dma_resv_iter cursor;
	struct dma_resv_list *list;
	struct dma_fence *f;

	dma_resv_assert_held(dst);
	list = NULL;
	dma_resv_iter_begin(&cursor, src, DMA_RESV_USAGE_BOOKKEEP);
	dma_resv_for_each_fence_unlocked(&cursor, f) {
		if (dma_resv_iter_is_restarted(&cursor)) {
			dma_resv_list_free(list);
			list = dma_resv_list_alloc(cursor.num_fences ? cursor.num_fences : 1);
			if (!list) {
				dma_resv_iter_end(&cursor);
				return -ENOMEM;
			}
		}
		if (list->num_fences < list->max_fences) {
			list->table[list->num_fences].fence = dma_fence_get(f);
			list->table[list->num_fences].usage = dma_resv_iter_usage(&cursor);
			list->num_fences++;
		}
	}
	dma_resv_iter_end(&cursor);

	spin_lock(&dst->fences_lock);
	swap(dst->fences, list);
	spin_unlock(&dst->fences_lock);
	dma_resv_list_free(list);
	return 0;
}

int dma_resv_get_fences(struct dma_resv *obj, enum dma_resv_usage usage, unsigned int *num_fences,
			struct dma_fence ***fences)
{
	struct dma_resv_iter cursor;
	struct dma_fence *fence;

	*num_fences = 0;
	*fences = NULL;

	dma_resv_iter_begin(&cursor, obj, usage);
	dma_resv_for_each_fence_unlocked(&cursor, fence) {
		if (dma_resv_iter_is_restarted(&cursor)) {
			struct dma_fence **new_fences;
			unsigned int count;

			while (*num_fences)
				dma_fence_put((*fences)[--(*num_fences)]);
			count = cursor.num_fences + 1;
			new_fences = kmalloc_array(count, sizeof(void *), GFP_KERNEL);
			kfree(*fences);
			*fences = new_fences;
			if (count && !*fences) {
				dma_resv_iter_end(&cursor);
				return -ENOMEM;
			}
		}
		(*fences)[(*num_fences)++] = dma_fence_get(fence);
	}
	dma_resv_iter_end(&cursor);
	return 0;
}

long dma_resv_wait_timeout(struct dma_resv *obj, enum dma_resv_usage usage, bool intr, unsigned long timeout)
{
	long ret = timeout ? (long)timeout : 1;
	struct dma_resv_iter cursor;
	struct dma_fence *fence;

	dma_resv_iter_begin(&cursor, obj, usage);
	dma_resv_for_each_fence_unlocked(&cursor, fence) {
		ret = dma_fence_wait_timeout(fence, intr, ret);
		if (ret <= 0)
			break;
	}
	dma_resv_iter_end(&cursor);
	return ret;
}

bool dma_resv_test_signaled(struct dma_resv *obj, enum dma_resv_usage usage)
{
	struct dma_resv_iter cursor;
	struct dma_fence *fence;

	dma_resv_iter_begin(&cursor, obj, usage);
	dma_resv_for_each_fence_unlocked(&cursor, fence) {
		/* The walk skips signalled fences: one returned may still signal now. */
		if (!dma_fence_is_signaled(fence)) {
			dma_resv_iter_end(&cursor);
			return false;
		}
	}
	dma_resv_iter_end(&cursor);
	return true;
}
