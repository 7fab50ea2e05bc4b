/* mm/rmap.c: the reverse map of the fault, fork and unmap paths: page->_mapcount, page->mapping
 * and page->index of mapped pages, and the anon_vma objects that anonymous pages point at.
 *
 * See <linux/rmap.h> for the model (an anon_vma is a refcounted family of VMAs sharing anonymous
 * pages; Faultline keeps no list of them because nothing walks it) and for who calls what.
 *
 * Locking: the caller of the rmap functions holds the page-table lock of the PTE being added or
 * removed (and mmap_lock), so _mapcount changes are serialized per PTE; _mapcount itself is atomic
 * because different PTEs of one page have different locks. anon_vma_prepare takes the anon_vma's
 * lock and then mm->page_table_lock, in that order (2.6.18 rmap.c's lock-order comment:
 * mmap_sem -> ... -> anon_vma->lock -> mm->page_table_lock). */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/mm.h>
#include <linux/rmap.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

/* ---- anon_vma objects ---- */

static struct anon_vma *anon_vma_alloc(void)
{
	struct anon_vma *anon_vma = kzalloc(sizeof(*anon_vma), GFP_KERNEL);

	if (!anon_vma)
		return NULL;
#if LINUX_VERSION_CODE >= KERNEL_VERSION(3, 8, 0)
	init_rwsem(&anon_vma->rwsem);
#else
	spin_lock_init(&anon_vma->lock);
#endif
	atomic_set(&anon_vma->refcount, 1);
	return anon_vma;
}

static void anon_vma_free(struct anon_vma *anon_vma)
{
	kfree(anon_vma);
}

static void anon_vma_get(struct anon_vma *anon_vma)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(3, 8, 0)
	anon_vma_lock_write(anon_vma);
	atomic_inc(&anon_vma->refcount);
	anon_vma_unlock_write(anon_vma);
#else
	anon_vma_lock(anon_vma);
	atomic_inc(&anon_vma->refcount);
	anon_vma_unlock(anon_vma);
#endif
}

/*
 * Drops one VMA's membership; the last one frees the anon_vma (its pages are gone by then: every
 * PTE of a member VMA was zapped before the VMA was unlinked). A VMA copied without joining
 * (split_vma / copy_vma / dup_mmap that skip anon_vma_clone/link/fork) makes the count too low:
 * that is warned about, once, when the count would go below zero.
 */
static void anon_vma_put(struct anon_vma *anon_vma)
{
	int empty;

#if LINUX_VERSION_CODE >= KERNEL_VERSION(3, 8, 0)
	anon_vma_lock_write(anon_vma);
	if (WARN_ONCE(atomic_read(&anon_vma->refcount) <= 0, "anon_vma %p unlinked more often than linked\n", anon_vma)) {
		anon_vma_unlock_write(anon_vma);
		return;
	}
	empty = atomic_dec_and_test(&anon_vma->refcount);
	anon_vma_unlock_write(anon_vma);
#else
	anon_vma_lock(anon_vma);
	if (WARN_ONCE(atomic_read(&anon_vma->refcount) <= 0, "anon_vma %p unlinked more often than linked\n", anon_vma)) {
		anon_vma_unlock(anon_vma);
		return;
	}
	empty = atomic_dec_and_test(&anon_vma->refcount);
	anon_vma_unlock(anon_vma);
#endif
	if (empty)
		anon_vma_free(anon_vma);
}

/*
 * May `a` (ending where `b` starts) and `b` share anonymous pages, i.e. could they be one VMA apart
 * from their protections? Then a new anon_vma for one of them should be the other's, so that a
 * later mprotect can merge them again (2.6.18 anon_vma_compatible, mm/mmap.c).
 */
static int anon_vma_compatible(struct vm_area_struct *a, struct vm_area_struct *b)
{
	return a->vm_end == b->vm_start && a->vm_file == b->vm_file &&
	       !((a->vm_flags ^ b->vm_flags) & ~(VM_READ | VM_WRITE | VM_EXEC)) &&
	       b->vm_pgoff == a->vm_pgoff + ((b->vm_start - a->vm_start) >> PAGE_SHIFT);
}

/* The anon_vma of an adjacent compatible VMA, or NULL (find_mergeable_anon_vma). */
static struct anon_vma *anon_vma_of_mergeable_neighbour(struct vm_area_struct *vma)
{
	struct vm_area_struct *near = vma->vm_next;
	struct vm_area_struct *prev;

	if (near && near->anon_vma && anon_vma_compatible(vma, near))
		return near->anon_vma;
	find_vma_prev(vma->vm_mm, vma->vm_start, &prev);
	if (prev && prev->anon_vma && anon_vma_compatible(prev, vma))
		return prev->anon_vma;
	return NULL;
}

/*
 * Called before the first anonymous page of `vma` is mapped (do_anonymous_page, COW), with
 * mmap_lock held for read: concurrent faults of other threads may race here, and the
 * page_table_lock decides which anon_vma the VMA gets.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 34)
int __anon_vma_prepare(struct vm_area_struct *vma)
#else
int anon_vma_prepare(struct vm_area_struct *vma)
#endif
{
	struct mm_struct *mm = vma->vm_mm;
	struct anon_vma *anon_vma, *allocated;

	might_sleep();
	if (vma->anon_vma)
		return 0;
	anon_vma = anon_vma_of_mergeable_neighbour(vma);
	allocated = NULL;
	if (!anon_vma) {
		anon_vma = anon_vma_alloc();
		if (unlikely(!anon_vma))
			return -ENOMEM;
		allocated = anon_vma;
	}

#if LINUX_VERSION_CODE >= KERNEL_VERSION(3, 8, 0)
	anon_vma_lock_write(anon_vma);
#else
	anon_vma_lock(anon_vma);
#endif
	/* page_table_lock to protect against threads */
	spin_lock(&mm->page_table_lock);
	if (likely(!vma->anon_vma)) {
		vma->anon_vma = anon_vma;
		if (!allocated)
			atomic_inc(&anon_vma->refcount);
		allocated = NULL;
	}
	spin_unlock(&mm->page_table_lock);
#if LINUX_VERSION_CODE >= KERNEL_VERSION(3, 8, 0)
	anon_vma_unlock_write(anon_vma);
#else
	anon_vma_unlock(anon_vma);
#endif

	if (unlikely(allocated))
		anon_vma_free(allocated);
	return 0;
}

#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 34)
int anon_vma_clone(struct vm_area_struct *dst, struct vm_area_struct *src)
{
	/* dst was copied from src (vm_area_dup): it points at src's anon_vma without a reference. */
	dst->anon_vma = src->anon_vma;
	if (dst->anon_vma)
		anon_vma_get(dst->anon_vma);
	return 0;
}

/*
 * fork: the child's copy `vma` of the parent's `pvma` joins the parent's family, so that the COW
 * pages they share (still pointing at the parent's anon_vma) are accounted to both. Linux 6.8 gives
 * the child its own anon_vma linked to the parent's through anon_vma_chains; see <linux/rmap.h>.
 */
int anon_vma_fork(struct vm_area_struct *vma, struct vm_area_struct *pvma)
{
	vma->anon_vma = NULL;
	if (!pvma->anon_vma)
		return 0;
	return anon_vma_clone(vma, pvma);
}

void unlink_anon_vmas(struct vm_area_struct *vma)
{
	struct anon_vma *anon_vma = vma->anon_vma;

	if (!anon_vma)
		return;
	vma->anon_vma = NULL;
	anon_vma_put(anon_vma);
}

/* vma_merge: `next` is removed and `vma` covers its range. Both are of one family (vma_merge
 * requires is_mergeable_anon_vma); if vma had none it takes next's. */
void anon_vma_merge(struct vm_area_struct *vma, struct vm_area_struct *next)
{
	if (!vma->anon_vma && next->anon_vma) {
		/* next's membership passes to vma */
		vma->anon_vma = next->anon_vma;
		next->anon_vma = NULL;
		return;
	}
	unlink_anon_vmas(next);
}
#else
/* A copy of a member VMA (fork's child VMA, split_vma's new piece) joins the family. */
void anon_vma_link(struct vm_area_struct *vma)
{
	if (vma->anon_vma)
		anon_vma_get(vma->anon_vma);
}

void anon_vma_unlink(struct vm_area_struct *vma)
{
	struct anon_vma *anon_vma = vma->anon_vma;

	if (!anon_vma)
		return;
	vma->anon_vma = NULL;
	anon_vma_put(anon_vma);
}

void __anon_vma_merge(struct vm_area_struct *vma, struct vm_area_struct *next)
{
	if (!vma->anon_vma && next->anon_vma) {
		vma->anon_vma = next->anon_vma;
		next->anon_vma = NULL;
		return;
	}
	anon_vma_unlink(next);
}
#endif

/* ---- Page mappings ---- */

/* The offset of `address` in the object `vma` maps, in pages (linear_page_index). */
static pgoff_t vma_page_index(struct vm_area_struct *vma, unsigned long address)
{
	return ((address - vma->vm_start) >> PAGE_SHIFT) + vma->vm_pgoff;
}

static void __page_set_anon_rmap(struct page *page, struct vm_area_struct *vma, unsigned long address)
{
	struct anon_vma *anon_vma = vma->anon_vma;

	BUG_ON(!anon_vma);
	page->mapping = (struct address_space *)((unsigned long)anon_vma + PAGE_MAPPING_ANON);
	page->index = vma_page_index(vma, address);
}

/*
 * A page just allocated for `vma` at `address` gets its first PTE: nobody else can see it yet, so
 * the count is set rather than incremented. 5.19+: it is mapped only here (PageAnonExclusive).
 */
void page_add_new_anon_rmap(struct page *page, struct vm_area_struct *vma, unsigned long address)
{
	BUG_ON(address < vma->vm_start || address >= vma->vm_end);
	atomic_set(&page->_mapcount, 0);	/* elevate count by 1 (starts at -1) */
	__page_set_anon_rmap(page, vma, address);
#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 19, 0)
	SetPageAnonExclusive(page);
#endif
}

#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 19, 0)
void page_add_anon_rmap(struct page *page, struct vm_area_struct *vma, unsigned long address, rmap_t flags)
#else
void page_add_anon_rmap(struct page *page, struct vm_area_struct *vma, unsigned long address)
#endif
{
	if (atomic_inc_and_test(&page->_mapcount))
		__page_set_anon_rmap(page, vma, address);
	/* else checking page index and mapping is racy */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 19, 0)
	if (flags & RMAP_EXCLUSIVE)
		SetPageAnonExclusive(page);
#endif
}

#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 19, 0)
void page_add_file_rmap(struct page *page, struct vm_area_struct *vma, bool compound)
{
	(void)vma;
	(void)compound;
	atomic_inc(&page->_mapcount);
}
#else
void page_add_file_rmap(struct page *page)
{
	atomic_inc(&page->_mapcount);
}
#endif

/*
 * A PTE mapping `page` was cleared (zap, COW). The page's mapping and index stay as they are when
 * the last mapping goes: a racing page_add_anon_rmap may be setting them, and page freeing clears an
 * anonymous page's mapping (put_page in mm/swap.c). A negative count is a kernel BUG.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 19, 0)
void page_remove_rmap(struct page *page, struct vm_area_struct *vma, bool compound)
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 20)
void page_remove_rmap(struct page *page, struct vm_area_struct *vma)
#else
void page_remove_rmap(struct page *page)
#endif
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 19, 0)
	(void)compound;
#endif
	if (atomic_add_negative(-1, &page->_mapcount)) {
		if (unlikely(page_mapcount(page) < 0)) {
			printk(KERN_EMERG "Eeek! page_mapcount(page) went negative! (%d)\n", page_mapcount(page));
			printk(KERN_EMERG "  page pfn = %lx\n", page_to_pfn(page));
			printk(KERN_EMERG "  page->flags = %lx\n", page->flags);
			printk(KERN_EMERG "  page->count = %x\n", page_count(page));
			printk(KERN_EMERG "  page->mapping = %p\n", page->mapping);
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 20)
			printk(KERN_EMERG "  vma->vm_ops = %p\n", vma->vm_ops);
#endif
			BUG();
		}
	}
}

#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 19, 0)
int page_try_dup_anon_rmap(struct page *page, bool compound, struct vm_area_struct *vma)
{
	(void)compound;
	(void)vma;
	/*
	 * Linux refuses (-EBUSY, the child gets a copy) when the page may be pinned for DMA
	 * (page_needs_cow_for_dma); FOLL_PIN is not modelled, so sharing always goes ahead. Either way
	 * the page stops being exclusive to the parent: its next write fault must check the counts.
	 */
	if (PageAnonExclusive(page))
		ClearPageAnonExclusive(page);
	atomic_inc(&page->_mapcount);
	return 0;
}

void page_move_anon_rmap(struct page *page, struct vm_area_struct *vma)
{
	BUG_ON(!vma->anon_vma);
	page->mapping = (struct address_space *)((unsigned long)vma->anon_vma + PAGE_MAPPING_ANON);
}
#endif
