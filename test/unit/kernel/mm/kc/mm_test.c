/* Test entry points for test/unit/kernel/mm: thin wrappers that the TypeScript tests call on KC
 * threads, and checkers that walk kernel data structures and report what they find. */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/mm.h>
#include <linux/memblock.h>
#include <linux/slab.h>
#include <linux/sched/mm.h>
#include <linux/fs.h>
#include <linux/mman.h>
#include <linux/string.h>
#include <asm/pgalloc.h>
#include <asm/tlb.h>

/* The harness's trampoline: calls the function the test asked for, on this thread. */
long __test_invoke(void);

long __test_entry(void)
{
	return __test_invoke();
}

/* ---- Boot and the page allocator ---- */

void test_boot(unsigned long ram_bytes, unsigned long reserved)
{
	memblock_add(0, ram_bytes);
	memblock_reserve(0, reserved);
	free_area_init(ram_bytes >> PAGE_SHIFT);
	mem_init();
	kmem_cache_init();
}

static struct zone *test_zone(void)
{
	return &contig_page_data.node_zones[ZONE_NORMAL];
}

int test_nr_orders(void)
{
	return NR_PAGE_ORDERS;
}

unsigned long test_nr_free(unsigned int order)
{
	return test_zone()->free_area[order].nr_free;
}

unsigned long test_managed_pages(void)
{
	return test_zone()->managed_pages;
}

unsigned long test_max_mapnr(void)
{
	return max_mapnr;
}

unsigned long test_mem_map_phys(void)
{
	return __pa(mem_map);
}

/*
 * Walks every free list and checks the buddy invariants of mm/page_alloc.c. Returns the number of
 * free pages, or a negative code naming the first broken invariant.
 */
long test_check_buddy(void)
{
	struct zone *zone = test_zone();
	unsigned long total = 0;
	unsigned int order;

	for (order = 0; order < NR_PAGE_ORDERS; order++) {
		struct free_area *area = &zone->free_area[order];
		unsigned long count = 0;
		struct page *page;

		list_for_each_entry(page, &area->free_list, lru) {
			unsigned long pfn = page_to_pfn(page);
			unsigned long i;

			if (!PageBuddy(page))
				return -1;
			if (page_private(page) != order)
				return -2;
			if (pfn & ((1UL << order) - 1))
				return -3;
			if (page_count(page) != 0 || PageReserved(page))
				return -4;
			for (i = 1; i < (1UL << order); i++) {
				if (PageBuddy(page + i))
					return -5;
			}
			count++;
			total += 1UL << order;
		}
		if (count != area->nr_free)
			return -6;
	}
	if (total != zone->free_pages || total != nr_free_pages())
		return -7;
	return total;
}

struct page *test_alloc(unsigned int order)
{
	return alloc_pages(GFP_KERNEL | __GFP_NOWARN, order);
}

struct page *test_alloc_warn(unsigned int order)
{
	return alloc_pages(GFP_KERNEL, order);
}

struct page *test_alloc_zeroed(unsigned int order)
{
	return alloc_pages(GFP_KERNEL | __GFP_ZERO, order);
}

void test_free(struct page *page, unsigned int order)
{
	__free_pages(page, order);
}

unsigned long test_pfn(struct page *page)
{
	return page_to_pfn(page);
}

void *test_page_address(struct page *page)
{
	return page_address(page);
}

int test_page_count(struct page *page)
{
	return page_count(page);
}

int test_page_mapcount(struct page *page)
{
	return page_mapcount(page);
}

unsigned long test_page_flags(struct page *page)
{
	return page->flags;
}

void test_get_page(struct page *page)
{
	get_page(page);
}

void test_put_page(struct page *page)
{
	put_page(page);
}

unsigned long test_get_zeroed_page(void)
{
	return get_zeroed_page(GFP_KERNEL);
}

void test_free_page(unsigned long addr)
{
	free_page(addr);
}

void test_fill(void *p, int c, unsigned long n)
{
	memset(p, c, n);
}

/* 1 when the n bytes at p are all c. */
int test_all(const void *p, int c, unsigned long n)
{
	const unsigned char *b = p;
	unsigned long i;

	for (i = 0; i < n; i++) {
		if (b[i] != (unsigned char)c)
			return 0;
	}
	return 1;
}

/* ---- kmalloc ---- */

void *test_kmalloc(unsigned long size)
{
	return kmalloc(size, GFP_KERNEL);
}

void *test_kzalloc(unsigned long size)
{
	return kzalloc(size, GFP_KERNEL);
}

static int ctor_calls;

static void test_ctor(void *object)
{
	ctor_calls++;
	*(int *)object = 0x5a5a;
}

struct kmem_cache *test_cache_create(unsigned int size, int with_ctor)
{
	return kmem_cache_create("test_cache", size, 0, 0, with_ctor ? test_ctor : NULL);
}

void *test_cache_alloc(struct kmem_cache *cache)
{
	return kmem_cache_alloc(cache, GFP_KERNEL);
}

int test_ctor_calls(void)
{
	return ctor_calls;
}

int test_int_at(const void *p)
{
	return *(const int *)p;
}

/* ---- Page tables ---- */

void *test_mm_pgd(struct mm_struct *mm)
{
	return mm->pgd;
}

unsigned long test_nr_pte_tables(struct mm_struct *mm)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(4, 14, 0)
	return atomic_long_read(&mm->pgtables_bytes) / (PTRS_PER_PTE * sizeof(pte_t));
#else
	return mm->nr_ptes;
#endif
}

/* Maps `addr` to frame `pfn` (user, writable or read-only), allocating page tables as needed. */
int test_map(struct mm_struct *mm, unsigned long addr, unsigned long pfn, int writable)
{
	spinlock_t *ptl;
	pte_t *pte = get_locked_pte(mm, addr, &ptl);
	pte_t entry;

	if (!pte)
		return -ENOMEM;
	entry = pfn_pte(pfn, writable ? PAGE_SHARED : PAGE_READONLY);
	if (writable)
		entry = pte_mkdirty(entry);
	set_pte_at(mm, addr, pte, entry);
	pte_unmap_unlock(pte, ptl);
	return 0;
}

/* The PFN mapped at addr, or -EINVAL when no present PTE maps it. */
long test_follow(struct mm_struct *mm, unsigned long addr)
{
	pte_t *ptep;
	spinlock_t *ptl;
	unsigned long pfn;

	if (follow_pte(mm, addr, &ptep, &ptl))
		return -EINVAL;
	pfn = pte_pfn(*ptep);
	pte_unmap_unlock(ptep, ptl);
	return pfn;
}

/* Clears the PTE of addr (pte_clear, or ptep_get_and_clear when `get`); returns the old PFN or -EINVAL. */
long test_unmap(struct mm_struct *mm, unsigned long addr, int get)
{
	pte_t *ptep;
	spinlock_t *ptl;
	long pfn;

	if (follow_pte(mm, addr, &ptep, &ptl))
		return -EINVAL;
	if (get) {
		pte_t old = ptep_get_and_clear(mm, addr, ptep);

		pfn = pte_pfn(old);
	} else {
		pfn = pte_pfn(*ptep);
		pte_clear(mm, addr, ptep);
	}
	pte_unmap_unlock(ptep, ptl);
	return pfn;
}

void test_free_range(struct mm_struct *mm, unsigned long start, unsigned long end, unsigned long floor, unsigned long ceiling)
{
	struct mmu_gather tlb;

	tlb_gather_mmu(&tlb, mm);
	free_pgd_range(&tlb, start, end, floor, ceiling);
	tlb_finish_mmu(&tlb);
}

void test_free_pgtables(struct mm_struct *mm)
{
	struct mmu_gather tlb;

	tlb_gather_mmu(&tlb, mm);
	free_pgtables(&tlb, mm->mmap, FIRST_USER_ADDRESS, 0);
	tlb_finish_mmu(&tlb);
}

void test_mmdrop(struct mm_struct *mm)
{
	mmdrop(mm);
}

/* ---- VMAs ---- */

struct vm_area_struct *test_vma_new(struct mm_struct *mm, unsigned long start, unsigned long end, unsigned long flags,
				    struct file *file, unsigned long pgoff)
{
	struct vm_area_struct *vma = vm_area_alloc(mm);

	if (!vma)
		return NULL;
	vma->vm_start = start;
	vma->vm_end = end;
	vma->vm_flags = flags;
	vma->vm_page_prot = vm_get_page_prot(flags);
	if (file) {
		vma->vm_file = get_file(file);
		vma->vm_pgoff = pgoff;
	}
	if (insert_vm_struct(mm, vma)) {
		if (file)
			fput(file);
		vm_area_free(vma);
		return NULL;
	}
	return vma;
}

/* Field of a VMA: 0 start, 1 end, 2 pgoff, 3 flags, 4 page protection. */
unsigned long test_vma_get(struct vm_area_struct *vma, int field)
{
	switch (field) {
	case 0:
		return vma->vm_start;
	case 1:
		return vma->vm_end;
	case 2:
		return vma->vm_pgoff;
	case 3:
		return vma->vm_flags;
	default:
		return pgprot_val(vma->vm_page_prot);
	}
}

struct vm_area_struct *test_vma_next(struct vm_area_struct *vma)
{
	return vma ? vma->vm_next : NULL;
}

struct vm_area_struct *test_mm_first(struct mm_struct *mm)
{
	return mm->mmap;
}

int test_map_count(struct mm_struct *mm)
{
	return mm->map_count;
}

unsigned long test_mmap_base(struct mm_struct *mm)
{
	return mm->mmap_base;
}

struct vm_area_struct *test_find_vma_prev(struct mm_struct *mm, unsigned long addr, int want_prev)
{
	struct vm_area_struct *prev;
	struct vm_area_struct *vma = find_vma_prev(mm, addr, &prev);

	return want_prev ? prev : vma;
}

struct vm_area_struct *test_merge(struct mm_struct *mm, struct vm_area_struct *prev, unsigned long addr, unsigned long end,
				  unsigned long flags, struct file *file, unsigned long pgoff)
{
	return vma_merge(mm, prev, addr, end, flags, NULL, file, pgoff);
}

unsigned long test_unmapped(struct mm_struct *mm, unsigned long addr, unsigned long len, unsigned long flags)
{
	return mm_get_unmapped_area(mm, NULL, addr, len, 0, flags);
}

/* A file with an address_space, for i_mmap linkage. */
static struct inode test_inode;
static struct file test_file;

struct file *test_file_init(void)
{
	struct address_space *mapping = &test_inode.i_data;

	mapping->host = &test_inode;
	INIT_LIST_HEAD(&mapping->i_mmap);
#if LINUX_VERSION_CODE >= KERNEL_VERSION(3, 19, 0)
	init_rwsem(&mapping->i_mmap_rwsem);
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(3, 0, 0)
	mutex_init(&mapping->i_mmap_mutex);
#else
	spin_lock_init(&mapping->i_mmap_lock);
#endif
	test_inode.i_mapping = mapping;
	test_file.f_mapping = mapping;
	test_file.f_inode = &test_inode;
	atomic_long_set(&test_file.f_count, 1);
	return &test_file;
}

int test_i_mmap_count(struct file *file)
{
	struct vm_area_struct *vma;
	int n = 0;

	list_for_each_entry(vma, &file->f_mapping->i_mmap, shared)
		n++;
	return n;
}

long test_file_count(struct file *file)
{
	return atomic_long_read(&file->f_count);
}

/* Takes every VMA out of mm (off the list and its file's i_mmap) and frees it. */
void test_remove_all(struct mm_struct *mm)
{
	struct vm_area_struct *vma = mm->mmap;

	while (vma) {
		struct vm_area_struct *next = vma->vm_next;

		if (vma->vm_file) {
			struct address_space *mapping = vma->vm_file->f_mapping;

			i_mmap_lock_write(mapping);
			list_del_init(&vma->shared);
			i_mmap_unlock_write(mapping);
		}
		remove_vma(vma);
		vma = next;
	}
	mm->mmap = NULL;
	mm->mmap_cache = NULL;
	mm->map_count = 0;
}

struct page *test_pfn_to_page(unsigned long pfn)
{
	return pfn_to_page(pfn);
}

int test_pfn_valid(unsigned long pfn)
{
	return pfn_valid(pfn);
}

/* Makes `pgd` (a page from the allocator) the kernel's top-level table, as boot does. */
void test_set_init_pgd(void *pgd)
{
	init_mm.pgd = pgd;
}
