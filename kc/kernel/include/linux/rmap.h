/* <linux/rmap.h>: the reverse map: which page-table entries map a page (mm/rmap.c).
 *
 * Per page: _mapcount counts the PTEs that map it, minus one (-1: unmapped); page->mapping says what
 * it belongs to: the file's address_space for page-cache pages, or the anon_vma of the VMA that
 * created it with PAGE_MAPPING_ANON set for anonymous pages, and page->index is its offset there
 * (for an anonymous page, the page offset it had in that VMA: vm_pgoff + (address - vm_start) /
 * PAGE_SIZE, which mremap and fork preserve). A page's references (_refcount / _count) are separate:
 * every PTE holds one reference and one mapcount, while GUP, the page cache and in-flight faults hold
 * references without mapping it.
 *
 * The anon_vma. In Linux it lets the reclaim code find every PTE of an anonymous page (through a
 * list of VMAs, an anon_vma_chain since 2.6.34). Faultline never unmaps anonymous pages behind a
 * process's back (no swap, no migration), so the anon_vma here is what the fault, fork and unmap
 * paths need and nothing more: an object that identifies a family of VMAs sharing anonymous pages
 * (a VMA and its fork copies and split pieces), referenced by every VMA in the family. Like 2.6.18,
 * a fork's child VMA joins its parent's anon_vma (Linux 2.6.34+ gives the child its own anon_vma
 * chained to the parent's; the pages stay on the parent's one either way).
 *
 * Who calls what (each VMA holds one reference from anon_vma_prepare/link/clone/fork until it is
 * unlinked):
 *   anon_vma_prepare(vma)            first anonymous page of a VMA (fault paths): find or make one
 *   2.6: anon_vma_link(vma)          a copy of `vma` with the same anon_vma pointer joins it
 *                                    (fork's dup_mmap after copying the VMA; split_vma's new piece)
 *   2.6: anon_vma_unlink(vma)        the VMA goes (free_pgtables does it for unmapped VMAs)
 *   6.8: anon_vma_fork(vma, pvma)    dup_mmap: the child VMA `vma` joins pvma's family
 *   6.8: anon_vma_clone(dst, src)    __split_vma / copy_vma: dst joins src's family
 *   6.8: unlink_anon_vmas(vma)       the VMA goes (free_pgtables does it for unmapped VMAs)
 *   anon_vma_merge(vma, next)        vma_merge removes `next`, whose range `vma` took over
 *                                    (2.6 spelled it __anon_vma_merge)
 *
 * rmap calls, by era (6.8 has folio_* functions; the page_* forms of 6.2-6.7 stand for them):
 *   page_add_new_anon_rmap(page, vma, address)     a fresh anonymous page, first PTE
 *   page_add_anon_rmap(page, vma, address[, flags]) another PTE for an existing anonymous page
 *   page_add_file_rmap(page[, vma, compound])      a PTE for a page-cache (or other) page
 *   page_remove_rmap(page[, vma[, compound]])      a PTE goes away
 *   2.6: page_dup_rmap(page)                        fork copied a PTE
 *   6.8: page_try_dup_anon_rmap / page_dup_file_rmap  the same, per kind */
#ifndef _LINUX_RMAP_H
#define _LINUX_RMAP_H

#include <linux/types.h>
#include <linux/version.h>
#include <linux/mm.h>
#include <linux/spinlock.h>
#include <linux/rwsem.h>

struct anon_vma {
#if LINUX_VERSION_CODE >= KERNEL_VERSION(3, 8, 0)
	struct rw_semaphore rwsem;	/* 6.8: anon_vma->root->rwsem */
#else
	spinlock_t lock;		/* 2.6: serializes the family's membership */
#endif
	atomic_t refcount;		/* VMAs of the family (Faultline: they are not listed) */
};

#if LINUX_VERSION_CODE >= KERNEL_VERSION(3, 8, 0)
#define anon_vma_lock_write(anon_vma) down_write(&(anon_vma)->rwsem)
#define anon_vma_unlock_write(anon_vma) up_write(&(anon_vma)->rwsem)
#define anon_vma_lock_read(anon_vma) down_read(&(anon_vma)->rwsem)
#define anon_vma_unlock_read(anon_vma) up_read(&(anon_vma)->rwsem)
#else
#define anon_vma_lock(anon_vma) spin_lock(&(anon_vma)->lock)
#define anon_vma_unlock(anon_vma) spin_unlock(&(anon_vma)->lock)
#endif

/* The anon_vma an anonymous page belongs to (NULL for other pages). */
static inline struct anon_vma *page_anon_vma(struct page *page)
{
	if (!PageAnon(page))
		return NULL;
	return (struct anon_vma *)((unsigned long)page->mapping - PAGE_MAPPING_ANON);
}

/* Gives `vma` an anon_vma if it has none (a neighbour's when mergeable). 0 or -ENOMEM. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 34)
int __anon_vma_prepare(struct vm_area_struct *vma);
static inline int anon_vma_prepare(struct vm_area_struct *vma)
{
	if (likely(vma->anon_vma))
		return 0;
	return __anon_vma_prepare(vma);
}
#else
int anon_vma_prepare(struct vm_area_struct *vma);
#endif

#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 34)
int anon_vma_clone(struct vm_area_struct *dst, struct vm_area_struct *src);
int anon_vma_fork(struct vm_area_struct *vma, struct vm_area_struct *pvma);
void unlink_anon_vmas(struct vm_area_struct *vma);
void anon_vma_merge(struct vm_area_struct *vma, struct vm_area_struct *next);
#else
void anon_vma_link(struct vm_area_struct *vma);
void anon_vma_unlink(struct vm_area_struct *vma);
void __anon_vma_merge(struct vm_area_struct *vma, struct vm_area_struct *next);
#define anon_vma_merge(vma, next) __anon_vma_merge((vma), (next))
#endif

/* ---- rmap (mm/rmap.c) ---- */

void page_add_new_anon_rmap(struct page *page, struct vm_area_struct *vma, unsigned long address);

#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 19, 0)
typedef int rmap_t;
#define RMAP_NONE ((rmap_t)0)
#define RMAP_EXCLUSIVE ((rmap_t)1)	/* the page is mapped only here: set PageAnonExclusive */
#define RMAP_COMPOUND ((rmap_t)2)
void page_add_anon_rmap(struct page *page, struct vm_area_struct *vma, unsigned long address, rmap_t flags);
void page_add_file_rmap(struct page *page, struct vm_area_struct *vma, bool compound);
void page_remove_rmap(struct page *page, struct vm_area_struct *vma, bool compound);
/*
 * fork copies a PTE of an anonymous page: one more mapping, which is no longer exclusive. Returns
 * 0, or -EBUSY when the page may be pinned and the child must get a copy (GUP pins are not
 * modelled, so 0).
 */
int page_try_dup_anon_rmap(struct page *page, bool compound, struct vm_area_struct *vma);
static inline void page_dup_file_rmap(struct page *page, bool compound)
{
	(void)compound;
	atomic_inc(&page->_mapcount);
}
/* The page becomes the exclusive anonymous page of `vma` (do_wp_page's reuse). */
void page_move_anon_rmap(struct page *page, struct vm_area_struct *vma);
#else
void page_add_anon_rmap(struct page *page, struct vm_area_struct *vma, unsigned long address);
void page_add_file_rmap(struct page *page);
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 20)
void page_remove_rmap(struct page *page, struct vm_area_struct *vma);
#else
void page_remove_rmap(struct page *page);
#endif
/* fork copied a PTE: one more mapping of the same page (2.6.22+ passed the VMA for debugging). */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 22)
static inline void page_dup_rmap(struct page *page, struct vm_area_struct *vma, unsigned long address)
{
	(void)vma;
	(void)address;
	atomic_inc(&page->_mapcount);
}
#else
static inline void page_dup_rmap(struct page *page)
{
	atomic_inc(&page->_mapcount);
}
#endif
#endif

#endif /* _LINUX_RMAP_H */
