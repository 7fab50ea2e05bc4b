/* mm/filemap.c: the page cache (<linux/pagemap.h>): lookup, insertion and removal of a file's
 * pages, the page lock, and the fault handler and mmap of page-cache files.
 *
 * mapping->i_pages lists the cached pages in index order (through page->lru) under
 * mapping->tree_lock. The cache holds one reference per page (taken by add_to_page_cache, dropped
 * by delete_from_page_cache). A page leaves the cache only locked, so a holder of the page lock
 * who finds page->mapping still set knows the page is cached (the truncate-vs-fault rule since
 * 2.6.23, kernel-semantics.md 2.3). Files here have no backing store: a missing page is a hole and
 * reads as zeros. */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/mm.h>
#include <linux/fs.h>
#include <linux/pagemap.h>
#include <linux/sched.h>
#include <linux/string.h>

struct page *find_get_page(struct address_space *mapping, pgoff_t index)
{
	struct page *page;
	struct page *found = NULL;

	spin_lock(&mapping->tree_lock);
	list_for_each_entry(page, &mapping->i_pages, lru) {
		if (page->index >= index) {
			if (page->index == index) {
				get_page(page);
				found = page;
			}
			break;
		}
	}
	spin_unlock(&mapping->tree_lock);
	return found;
}

unsigned int find_get_pages(struct address_space *mapping, pgoff_t start, unsigned int nr_pages, struct page **pages)
{
	struct page *page;
	unsigned int ret = 0;

	spin_lock(&mapping->tree_lock);
	list_for_each_entry(page, &mapping->i_pages, lru) {
		if (ret == nr_pages)
			break;
		if (page->index < start)
			continue;
		get_page(page);
		pages[ret++] = page;
	}
	spin_unlock(&mapping->tree_lock);
	return ret;
}

/* The page lock sleeps: here, the waiter gives the CPU away until the holder unlocks (Linux
 * queues it on the page's wait queue and the unlock wakes it). */
void __lock_page(struct page *page)
{
	while (TestSetPageLocked(page))
		yield();
}

void unlock_page(struct page *page)
{
	VM_BUG_ON(!PageLocked(page));
	ClearPageLocked(page);
}

struct page *find_lock_page(struct address_space *mapping, pgoff_t index)
{
	struct page *page;

repeat:
	page = find_get_page(mapping, index);
	if (page) {
		lock_page(page);
		/* Truncated while we slept on the lock? */
		if (page->mapping != mapping) {
			unlock_page(page);
			put_page(page);
			goto repeat;
		}
	}
	return page;
}

int add_to_page_cache(struct page *page, struct address_space *mapping, pgoff_t offset, gfp_t gfp_mask)
{
	struct list_head *pos;

	(void)gfp_mask;
	VM_BUG_ON(!PageLocked(page));
	spin_lock(&mapping->tree_lock);
	list_for_each(pos, &mapping->i_pages) {
		struct page *other = list_entry(pos, struct page, lru);

		if (other->index == offset) {
			spin_unlock(&mapping->tree_lock);
			return -EEXIST;
		}
		if (other->index > offset)
			break;
	}
	get_page(page);
	page->mapping = mapping;
	page->index = offset;
	/* Before the first page with a larger index (or at the tail): the list stays sorted. */
	list_add_tail(&page->lru, pos);
	mapping->nrpages++;
	spin_unlock(&mapping->tree_lock);
	return 0;
}

/* There is no LRU (no reclaim): the page's lru link is the cache's. */
int add_to_page_cache_lru(struct page *page, struct address_space *mapping, pgoff_t offset, gfp_t gfp_mask)
{
	return add_to_page_cache(page, mapping, offset, gfp_mask);
}

/* Takes the page out of its mapping; tree_lock held, page locked. */
void __delete_from_page_cache(struct page *page)
{
	struct address_space *mapping = page->mapping;

	list_del_init(&page->lru);
	page->mapping = NULL;
	mapping->nrpages--;
}

#if LINUX_VERSION_CODE < KERNEL_VERSION(2, 6, 39)
void remove_from_page_cache(struct page *page)
{
	struct address_space *mapping = page->mapping;

	VM_BUG_ON(!PageLocked(page));
	spin_lock(&mapping->tree_lock);
	__delete_from_page_cache(page);
	spin_unlock(&mapping->tree_lock);
}
#endif

void delete_from_page_cache(struct page *page)
{
	struct address_space *mapping = page->mapping;

	VM_BUG_ON(!PageLocked(page));
	spin_lock(&mapping->tree_lock);
	__delete_from_page_cache(page);
	spin_unlock(&mapping->tree_lock);
	/* The cache's reference. */
	put_page(page);
}

struct page *find_or_create_page(struct address_space *mapping, pgoff_t index, gfp_t gfp_mask)
{
	struct page *page;
	int err;

repeat:
	page = find_lock_page(mapping, index);
	if (!page) {
		page = alloc_page(gfp_mask | __GFP_ZERO);
		if (!page)
			return NULL;
		__SetPageLocked(page);
		SetPageUptodate(page);
		err = add_to_page_cache_lru(page, mapping, index, gfp_mask);
		if (err) {
			__ClearPageLocked(page);
			put_page(page);
			if (err == -EEXIST)
				goto repeat;
			return NULL;
		}
	}
	return page;
}

/* ---- Mapping page-cache files ---- */

#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 23)
/* ->fault of page-cache files: the page at vmf->pgoff, locked (VM_FAULT_LOCKED) and with a
 * reference; VM_FAULT_SIGBUS at or beyond EOF (kernel-semantics.md 2.3, 2.5). */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(4, 17, 0)
vm_fault_t filemap_fault(struct vm_fault *vmf)
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(4, 11, 0)
int filemap_fault(struct vm_fault *vmf)
#else
int filemap_fault(struct vm_area_struct *vma, struct vm_fault *vmf)
#endif
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(4, 11, 0)
	struct vm_area_struct *vma = vmf->vma;
#endif
	struct file *file = vma->vm_file;
	struct address_space *mapping = file->f_mapping;
	struct inode *inode = mapping->host;
	pgoff_t size = (i_size_read(inode) + PAGE_SIZE - 1) >> PAGE_SHIFT;
	struct page *page;

	if (vmf->pgoff >= size)
		return VM_FAULT_SIGBUS;
	page = find_or_create_page(mapping, vmf->pgoff, mapping_gfp_mask(mapping));
	if (!page)
		return VM_FAULT_OOM;
	/* Truncated while we allocated? */
	if (vmf->pgoff >= (pgoff_t)((i_size_read(inode) + PAGE_SIZE - 1) >> PAGE_SHIFT)) {
		unlock_page(page);
		put_page(page);
		return VM_FAULT_SIGBUS;
	}
	vmf->page = page;
	return VM_FAULT_LOCKED;
}
#else
/* 2.6.18-2.6.22's ->nopage: the page (unlocked, with a reference), NOPAGE_SIGBUS beyond EOF
 * (kernel-semantics.md 2.1). */
struct page *filemap_nopage(struct vm_area_struct *area, unsigned long address, int *type)
{
	struct file *file = area->vm_file;
	struct address_space *mapping = file->f_mapping;
	struct inode *inode = mapping->host;
	pgoff_t pgoff = ((address - area->vm_start) >> PAGE_SHIFT) + area->vm_pgoff;
	pgoff_t size = (i_size_read(inode) + PAGE_SIZE - 1) >> PAGE_SHIFT;
	struct page *page;

	if (pgoff >= size)
		return NOPAGE_SIGBUS;
	page = find_or_create_page(mapping, pgoff, mapping_gfp_mask(mapping));
	if (!page)
		return NOPAGE_OOM;
	unlock_page(page);
	if (type)
		*type = VM_FAULT_MINOR;
	return page;
}
#endif

const struct vm_operations_struct generic_file_vm_ops = {
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 23)
	.fault = filemap_fault,
#else
	.nopage = filemap_nopage,
#endif
};

int generic_file_mmap(struct file *file, struct vm_area_struct *vma)
{
	(void)file;
	vma->vm_ops = &generic_file_vm_ops;
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 23) && LINUX_VERSION_CODE < KERNEL_VERSION(4, 0, 0)
	vma->vm_flags |= VM_CAN_NONLINEAR;
#endif
	return 0;
}

/* Shared writable mappings of a read-only file system make no sense. */
int generic_file_readonly_mmap(struct file *file, struct vm_area_struct *vma)
{
	if ((vma->vm_flags & VM_SHARED) && (vma->vm_flags & VM_MAYWRITE))
		return -EINVAL;
	return generic_file_mmap(file, vma);
}
