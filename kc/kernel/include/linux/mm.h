/* <linux/mm.h>: the memory manager's core interface: VMA flags and operations, fault codes by era,
 * struct page reference counting, page-table allocation and the VMA bookkeeping of mm/mmap.c.
 *
 * Era switches follow the table of kernel-semantics.md section 9 (values from sections 1 and 2). */
#ifndef _LINUX_MM_H
#define _LINUX_MM_H

#include <linux/types.h>
#include <linux/version.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/atomic.h>
#include <linux/spinlock.h>
#include <linux/rwsem.h>
#include <linux/mm_types.h>
#include <linux/mmzone.h>
#include <linux/gfp.h>
#include <linux/page-flags.h>
#include <asm/page.h>
#include <asm/pgtable.h>
#include <asm/processor.h>
#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 8, 0)
#include <linux/mmap_lock.h>
#endif

extern struct mm_struct init_mm;
extern unsigned long totalram_pages_count;
extern int sysctl_max_map_count;

/* ---- vm_flags (kernel-semantics.md section 1; the exact values of each era) ---- */

#define VM_NONE 0x00000000UL
#define VM_READ 0x00000001UL
#define VM_WRITE 0x00000002UL
#define VM_EXEC 0x00000004UL
#define VM_SHARED 0x00000008UL
#define VM_MAYREAD 0x00000010UL
#define VM_MAYWRITE 0x00000020UL
#define VM_MAYEXEC 0x00000040UL
#define VM_MAYSHARE 0x00000080UL
#define VM_GROWSDOWN 0x00000100UL
#define VM_PFNMAP 0x00000400UL		/* raw PFNs, no struct page behind them */
#define VM_LOCKED 0x00002000UL
#define VM_IO 0x00004000UL		/* memory-mapped I/O: GUP refuses it, never dumped */
#define VM_SEQ_READ 0x00008000UL
#define VM_RAND_READ 0x00010000UL
#define VM_DONTCOPY 0x00020000UL
#define VM_DONTEXPAND 0x00040000UL	/* mremap cannot grow it */
#define VM_ACCOUNT 0x00100000UL
#define VM_HUGETLB 0x00400000UL
#if LINUX_VERSION_CODE < KERNEL_VERSION(3, 7, 0)
#define VM_GROWSUP 0x00000200UL
#define VM_DENYWRITE 0x00000800UL
#define VM_EXECUTABLE 0x00001000UL
/* Meaningless by 2.6.20 (5c3ecd659bd), still set by remap_pfn_range. */
#define VM_RESERVED 0x00080000UL
#define VM_NONLINEAR 0x00800000UL
#define VM_INSERTPAGE 0x02000000UL
#else
#define VM_UFFD_MISSING 0x00000200UL
#define VM_UFFD_WP 0x00001000UL
#define VM_LOCKONFAULT 0x00080000UL
#define VM_NORESERVE 0x00200000UL
#define VM_SYNC 0x00800000UL
#define VM_WIPEONFORK 0x02000000UL
#define VM_DONTDUMP 0x04000000UL
#endif
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 23) && LINUX_VERSION_CODE < KERNEL_VERSION(4, 0, 0)
#define VM_CAN_NONLINEAR 0x08000000UL
#endif
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 26)
#define VM_MIXEDMAP 0x10000000UL	/* PTEs with and without struct pages */
#endif
#if LINUX_VERSION_CODE >= KERNEL_VERSION(3, 7, 0)
#define VM_HUGEPAGE 0x20000000UL
#define VM_NOHUGEPAGE 0x40000000UL
#define VM_MERGEABLE 0x80000000UL
#endif

/* VMAs that are never merged, and that mremap does not move (remap_pfn_range and friends). */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 26)
#define VM_SPECIAL (VM_IO | VM_DONTEXPAND | VM_PFNMAP | VM_MIXEDMAP)
#elif LINUX_VERSION_CODE < KERNEL_VERSION(3, 7, 0)
#define VM_SPECIAL (VM_IO | VM_DONTEXPAND | VM_RESERVED | VM_PFNMAP)
#endif

#define VM_DATA_DEFAULT_FLAGS (VM_READ | VM_WRITE | VM_EXEC | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC)
#define VM_STACK_FLAGS (VM_GROWSDOWN | VM_DATA_DEFAULT_FLAGS | VM_ACCOUNT)

/* Private and potentially writable: writes copy (kernel-semantics.md section 1). */
static inline bool is_cow_mapping(unsigned long flags)
{
	return (flags & (VM_SHARED | VM_MAYWRITE)) == VM_MAYWRITE;
}

/* ---- Fault results and the handler interface, by era (kernel-semantics.md section 2) ---- */

#if LINUX_VERSION_CODE >= KERNEL_VERSION(4, 17, 0)
typedef unsigned int vm_fault_t;
#endif

#if LINUX_VERSION_CODE < KERNEL_VERSION(2, 6, 23)
/* Era A/B: handle_mm_fault returns one of these values (2.6.18 numbering). */
#define VM_FAULT_OOM 0x00
#define VM_FAULT_SIGBUS 0x01
#define VM_FAULT_MINOR 0x02
#define VM_FAULT_MAJOR 0x03
#define VM_FAULT_WRITE 0x10	/* a separate bit: COW was broken (GUP) */

/* ->nopage results besides a page (returned with a reference held). */
#define NOPAGE_SIGBUS (NULL)
#define NOPAGE_OOM ((struct page *)(-1))
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 19)
#define NOPAGE_REFAULT ((struct page *)(-2))	/* the handler dealt with it: re-execute */
#endif
#else
/* Era C onward: a bitmask. */
#define VM_FAULT_MINOR 0
#define VM_FAULT_OOM 0x0001
#define VM_FAULT_SIGBUS 0x0002
#define VM_FAULT_MAJOR 0x0004
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 2, 0)
#define VM_FAULT_WRITE 0x0008
#endif
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 32)
#define VM_FAULT_HWPOISON 0x0010
#define VM_FAULT_HWPOISON_LARGE 0x0020
#endif
#if LINUX_VERSION_CODE >= KERNEL_VERSION(3, 19, 0)
#define VM_FAULT_SIGSEGV 0x0040
#endif
#define VM_FAULT_NOPAGE 0x0100	/* ->fault installed the PTE, no page returned */
#define VM_FAULT_LOCKED 0x0200	/* ->fault locked the returned page */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 36)
#define VM_FAULT_RETRY 0x0400	/* ->fault dropped mmap_lock: retry with FAULT_FLAG_TRIED */
#endif
#if LINUX_VERSION_CODE >= KERNEL_VERSION(3, 8, 0)
#define VM_FAULT_FALLBACK 0x0800
#endif
#if LINUX_VERSION_CODE >= KERNEL_VERSION(4, 8, 0)
#define VM_FAULT_DONE_COW 0x1000
#endif
#if LINUX_VERSION_CODE >= KERNEL_VERSION(4, 15, 0)
#define VM_FAULT_NEEDDSYNC 0x2000
#endif
#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 16, 0)
#define VM_FAULT_COMPLETED 0x4000
#endif
#if LINUX_VERSION_CODE >= KERNEL_VERSION(3, 19, 0)
#define VM_FAULT_ERROR (VM_FAULT_OOM | VM_FAULT_SIGBUS | VM_FAULT_SIGSEGV | VM_FAULT_HWPOISON | VM_FAULT_HWPOISON_LARGE)
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 32)
#define VM_FAULT_ERROR (VM_FAULT_OOM | VM_FAULT_SIGBUS | VM_FAULT_HWPOISON | VM_FAULT_HWPOISON_LARGE)
#else
#define VM_FAULT_ERROR (VM_FAULT_OOM | VM_FAULT_SIGBUS)
#endif
#endif

#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 19) && LINUX_VERSION_CODE < KERNEL_VERSION(2, 6, 27)
/* ->nopfn results besides a PFN. */
#define NOPFN_SIGBUS ((unsigned long)-1)
#define NOPFN_OOM ((unsigned long)-2)
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 21)
#define NOPFN_REFAULT ((unsigned long)-3)
#endif
#endif

#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 12, 0)
/* The 6.8 numbering (kernel-semantics.md 2.5); the renumbering release is approximate. */
#define FAULT_FLAG_WRITE (1U << 0)
#define FAULT_FLAG_MKWRITE (1U << 1)
#define FAULT_FLAG_ALLOW_RETRY (1U << 2)
#define FAULT_FLAG_RETRY_NOWAIT (1U << 3)
#define FAULT_FLAG_KILLABLE (1U << 4)
#define FAULT_FLAG_TRIED (1U << 5)
#define FAULT_FLAG_USER (1U << 6)
#define FAULT_FLAG_REMOTE (1U << 7)
#define FAULT_FLAG_INSTRUCTION (1U << 8)
#define FAULT_FLAG_INTERRUPTIBLE (1U << 9)
#define FAULT_FLAG_UNSHARE (1U << 10)
#define FAULT_FLAG_ORIG_PTE_VALID (1U << 11)
#define FAULT_FLAG_VMA_LOCK (1U << 12)
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 23)
#define FAULT_FLAG_WRITE 0x01
#if LINUX_VERSION_CODE < KERNEL_VERSION(4, 0, 0)
#define FAULT_FLAG_NONLINEAR 0x02
#endif
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 31)
#define FAULT_FLAG_MKWRITE 0x04
#endif
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 36)
#define FAULT_FLAG_ALLOW_RETRY 0x08
#define FAULT_FLAG_RETRY_NOWAIT 0x10
#define FAULT_FLAG_KILLABLE 0x20
#endif
#endif

#if LINUX_VERSION_CODE >= KERNEL_VERSION(4, 10, 0)
/* What a fault handler is told and answers (6.8 fields; the VMA came into it in 4.10). */
struct vm_fault {
	struct vm_area_struct *vma;
	gfp_t gfp_mask;
	pgoff_t pgoff;			/* offset of the page in the mapping */
	unsigned long address;		/* page-aligned faulting address */
	unsigned long real_address;	/* the faulting address itself */
	unsigned int flags;		/* FAULT_FLAG_* */
	pmd_t *pmd;
	pud_t *pud;
	pte_t orig_pte;			/* the PTE value when the fault started */
	struct page *cow_page;
	struct page *page;		/* ->fault's result, with a reference */
	pte_t *pte;
	spinlock_t *ptl;
	pgtable_t prealloc_pte;
};
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 23)
struct vm_fault {
	unsigned int flags;		/* FAULT_FLAG_* */
	pgoff_t pgoff;			/* offset of the page in the mapping */
	void __user *virtual_address;	/* the faulting address */
	struct page *page;		/* ->fault's result, with a reference */
};
#endif

/* A VMA's handlers: the members each era had (kernel-semantics.md section 9). */
struct vm_operations_struct {
	void (*open)(struct vm_area_struct *area);
	void (*close)(struct vm_area_struct *area);
#if LINUX_VERSION_CODE < KERNEL_VERSION(2, 6, 26)
	struct page *(*nopage)(struct vm_area_struct *area, unsigned long address, int *type);
#endif
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 19) && LINUX_VERSION_CODE < KERNEL_VERSION(2, 6, 27)
	unsigned long (*nopfn)(struct vm_area_struct *area, unsigned long address);
#endif
#if LINUX_VERSION_CODE < KERNEL_VERSION(2, 6, 23)
	int (*populate)(struct vm_area_struct *area, unsigned long address, unsigned long len, pgprot_t prot, unsigned long pgoff, int nonblock);
#endif
#if LINUX_VERSION_CODE >= KERNEL_VERSION(4, 17, 0)
	vm_fault_t (*fault)(struct vm_fault *vmf);
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(4, 11, 0)
	int (*fault)(struct vm_fault *vmf);
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 23)
	int (*fault)(struct vm_area_struct *vma, struct vm_fault *vmf);
#endif
#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 8, 0)
	vm_fault_t (*map_pages)(struct vm_fault *vmf, pgoff_t start_pgoff, pgoff_t end_pgoff);
#endif
	/* A read-only page is about to become writable. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(4, 17, 0)
	vm_fault_t (*page_mkwrite)(struct vm_fault *vmf);
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(4, 11, 0)
	int (*page_mkwrite)(struct vm_fault *vmf);
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 30)
	int (*page_mkwrite)(struct vm_area_struct *vma, struct vm_fault *vmf);
#else
	int (*page_mkwrite)(struct vm_area_struct *vma, struct page *page);
#endif
#if LINUX_VERSION_CODE >= KERNEL_VERSION(4, 17, 0)
	vm_fault_t (*pfn_mkwrite)(struct vm_fault *vmf);
#endif
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 27)
	/* access_process_vm's fallback when get_user_pages fails (kernel-semantics.md 2.4). */
	int (*access)(struct vm_area_struct *vma, unsigned long addr, void *buf, int len, int write);
#endif
#if LINUX_VERSION_CODE >= KERNEL_VERSION(3, 16, 0)
	const char *(*name)(struct vm_area_struct *vma);
#endif
};

/* ---- struct page ---- */

#if LINUX_VERSION_CODE >= KERNEL_VERSION(4, 6, 0)
#define __page_refs(page) (&(page)->_refcount)
#else
#define __page_refs(page) (&(page)->_count)
#endif

static inline int page_count(const struct page *page) { return atomic_read(__page_refs(page)); }
static inline void set_page_count(struct page *page, int v) { atomic_set(__page_refs(page), v); }
/* A page leaving the allocator starts with one reference. */
static inline void init_page_count(struct page *page) { atomic_set(__page_refs(page), 1); }
#define set_page_refcounted(page) init_page_count(page)

static inline void get_page(struct page *page)
{
	VM_BUG_ON(page_count(page) <= 0);
	atomic_inc(__page_refs(page));
}

static inline int get_page_unless_zero(struct page *page)
{
	return atomic_inc_not_zero(__page_refs(page));
}

/* Drops a reference; true when it was the last one (the caller frees the page). */
static inline int put_page_testzero(struct page *page)
{
	VM_BUG_ON(page_count(page) == 0);
	return atomic_dec_and_test(__page_refs(page));
}

/* Drops a reference and frees the page with the last one (mm/swap.c). */
void put_page(struct page *page);

static inline int page_mapcount(struct page *page) { return atomic_read(&page->_mapcount) + 1; }
static inline void page_mapcount_reset(struct page *page) { atomic_set(&page->_mapcount, -1); }
#define reset_page_mapcount(page) page_mapcount_reset(page)
static inline int page_mapped(struct page *page) { return atomic_read(&page->_mapcount) >= 0; }

#define page_private(page) ((page)->private)
#define set_page_private(page, v) ((page)->private = (v))
static inline int PageAnon(struct page *page) { return ((unsigned long)page->mapping & PAGE_MAPPING_ANON) != 0; }

#define page_address(page) page_to_virt(page)
#define lowmem_page_address(page) page_to_virt(page)

/* The one zone every page belongs to (see <linux/mmzone.h>). */
#define page_zone(page) (&contig_page_data.node_zones[ZONE_NORMAL])

#define PAGE_ALIGN(addr) ALIGN(addr, PAGE_SIZE)
#define PAGE_ALIGNED(addr) IS_ALIGNED((unsigned long)(addr), PAGE_SIZE)
#define offset_in_page(p) ((unsigned long)(p) & ~PAGE_MASK)

/* Boot: size mem_map and the zone for RAM up to `max_pfn`, then hand RAM to the buddy allocator. */
void free_area_init(unsigned long max_pfn);
void mem_init(void);

/* ---- Resident-set counters, by era ---- */

#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 34)
static inline unsigned long get_mm_counter(struct mm_struct *mm, int member) { return atomic_long_read(&mm->rss_stat[member]); }
static inline void add_mm_counter(struct mm_struct *mm, int member, long value) { atomic_long_add(value, &mm->rss_stat[member]); }
static inline void inc_mm_counter(struct mm_struct *mm, int member) { atomic_long_inc(&mm->rss_stat[member]); }
static inline void dec_mm_counter(struct mm_struct *mm, int member) { atomic_long_dec(&mm->rss_stat[member]); }
#else
/* 2.6: counters named by member, anon_rss and file_rss. */
#define set_mm_counter(mm, member, value) ((mm)->_##member = (value))
#define get_mm_counter(mm, member) ((mm)->_##member)
#define add_mm_counter(mm, member, value) ((mm)->_##member += (value))
#define inc_mm_counter(mm, member) ((mm)->_##member++)
#define dec_mm_counter(mm, member) ((mm)->_##member--)
#endif

#if LINUX_VERSION_CODE >= KERNEL_VERSION(4, 14, 0)
static inline void mm_inc_nr_ptes(struct mm_struct *mm) { atomic_long_add(PTRS_PER_PTE * sizeof(pte_t), &mm->pgtables_bytes); }
static inline void mm_dec_nr_ptes(struct mm_struct *mm) { atomic_long_sub(PTRS_PER_PTE * sizeof(pte_t), &mm->pgtables_bytes); }
#else
static inline void mm_inc_nr_ptes(struct mm_struct *mm) { mm->nr_ptes++; }
static inline void mm_dec_nr_ptes(struct mm_struct *mm) { mm->nr_ptes--; }
#endif

/* ---- Page tables (mm/memory.c, arch/x86/mm/pgtable.c) ---- */

/* The split page-table lock of a PTE table page (kernel-semantics.md section 1: one per table). */
#define ptlock_ptr(page) (&(page)->ptl)
#define pte_lockptr(mm, pmd) ptlock_ptr(pmd_page(*(pmd)))
/* Upper levels are protected by mm->page_table_lock (no split PMD locks). */
#define pmd_lockptr(mm, pmd) (&(mm)->page_table_lock)

/* Sets up / tears down a page as a PTE table page: its lock and its PG_table mark. */
bool pgtable_pte_page_ctor(struct page *page);
void pgtable_pte_page_dtor(struct page *page);

pgd_t *pgd_alloc(struct mm_struct *mm);
void pgd_free(struct mm_struct *mm, pgd_t *pgd);

int __pud_alloc(struct mm_struct *mm, pgd_t *pgd, unsigned long address);
int __pmd_alloc(struct mm_struct *mm, pud_t *pud, unsigned long address);
#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 0, 0)
int __pte_alloc(struct mm_struct *mm, pmd_t *pmd);
#define __PTE_ALLOC(mm, pmd, address) __pte_alloc((mm), (pmd))
#else
int __pte_alloc(struct mm_struct *mm, pmd_t *pmd, unsigned long address);
#define __PTE_ALLOC(mm, pmd, address) __pte_alloc((mm), (pmd), (address))
#endif
int __pte_alloc_kernel(pmd_t *pmd);

/* The entry for `address` at the next level, allocating the table when it is missing; NULL when
 * no memory is left. */
static inline pud_t *pud_alloc(struct mm_struct *mm, pgd_t *pgd, unsigned long address)
{
	return (unlikely(pgd_none(*pgd)) && __pud_alloc(mm, pgd, address)) ? NULL : pud_offset(pgd, address);
}

static inline pmd_t *pmd_alloc(struct mm_struct *mm, pud_t *pud, unsigned long address)
{
	return (unlikely(pud_none(*pud)) && __pmd_alloc(mm, pud, address)) ? NULL : pmd_offset(pud, address);
}

#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 0, 0)
/* Nonzero when the table was missing and could not be allocated. */
#define pte_alloc(mm, pmd) (unlikely(pmd_none(*(pmd))) && __pte_alloc(mm, pmd))
#endif

#define pte_alloc_map(mm, pmd, address) \
	((unlikely(pmd_none(*(pmd))) && __PTE_ALLOC(mm, pmd, address)) ? NULL : pte_offset_map(pmd, address))

/* The PTE for `address`, mapped and with its table's lock held in *ptlp; NULL when out of memory. */
#define pte_alloc_map_lock(mm, pmd, address, ptlp) \
	((unlikely(pmd_none(*(pmd))) && __PTE_ALLOC(mm, pmd, address)) ? NULL : pte_offset_map_lock(mm, pmd, address, ptlp))

#define pte_alloc_kernel(pmd, address) \
	((unlikely(pmd_none(*(pmd))) && __pte_alloc_kernel(pmd)) ? NULL : pte_offset_kernel(pmd, address))

#define pte_offset_map_lock(mm, pmd, address, ptlp) ({ \
	spinlock_t *__ptl = pte_lockptr(mm, pmd); \
	pte_t *__pte = pte_offset_map(pmd, address); \
	*(ptlp) = __ptl; \
	spin_lock(__ptl); \
	__pte; \
})

#define pte_unmap_unlock(pte, ptl) do { spin_unlock(ptl); pte_unmap(pte); } while (0)

/* Walks to the PTE of `addr`, allocating tables, and returns it locked (NULL: out of memory). */
pte_t *get_locked_pte(struct mm_struct *mm, unsigned long addr, spinlock_t **ptl);
/* Looks up the PTE of `address` without allocating: 0 with *ptepp mapped and *ptlp locked when a
 * present PTE exists, else -EINVAL. */
int follow_pte(struct mm_struct *mm, unsigned long address, pte_t **ptepp, spinlock_t **ptlp);

struct mmu_gather;
/* Frees the page tables that map only [addr, end), keeping those shared with [floor, ceiling)'s
 * outside. The PTEs must already be clear. */
void free_pgd_range(struct mmu_gather *tlb, unsigned long addr, unsigned long end, unsigned long floor, unsigned long ceiling);
/* free_pgd_range for every VMA from `vma` on, as exit and munmap do. */
void free_pgtables(struct mmu_gather *tlb, struct vm_area_struct *vma, unsigned long floor, unsigned long ceiling);

/* ---- VMAs (mm/mmap.c, kernel/fork.c) ---- */

struct vm_area_struct *vm_area_alloc(struct mm_struct *mm);
struct vm_area_struct *vm_area_dup(struct vm_area_struct *orig);
void vm_area_free(struct vm_area_struct *vma);

/* The first VMA with vm_end > addr, or NULL. The caller holds mmap_lock. */
struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long addr);
/* find_vma, also returning the VMA before it (NULL if none). */
struct vm_area_struct *find_vma_prev(struct mm_struct *mm, unsigned long addr, struct vm_area_struct **pprev);

/* The first VMA overlapping [start_addr, end_addr), or NULL. */
static inline struct vm_area_struct *find_vma_intersection(struct mm_struct *mm, unsigned long start_addr, unsigned long end_addr)
{
	struct vm_area_struct *vma = find_vma(mm, start_addr);

	if (vma && end_addr <= vma->vm_start)
		vma = NULL;
	return vma;
}

static inline unsigned long vma_pages(struct vm_area_struct *vma)
{
	return (vma->vm_end - vma->vm_start) >> PAGE_SHIFT;
}

int insert_vm_struct(struct mm_struct *mm, struct vm_area_struct *vma);
int split_vma(struct mm_struct *mm, struct vm_area_struct *vma, unsigned long addr, int new_below);
struct vm_area_struct *vma_merge(struct mm_struct *mm, struct vm_area_struct *prev, unsigned long addr, unsigned long end,
	unsigned long vm_flags, struct anon_vma *anon_vma, struct file *file, pgoff_t pgoff);
/* Frees a VMA already unlinked from its mm: calls ->close and drops its file reference. */
void remove_vma(struct vm_area_struct *vma);

pgprot_t vm_get_page_prot(unsigned long vm_flags);

/* Picks a free range of `len` bytes in `mm` (Faultline passes the mm explicitly until processes
 * exist; get_unmapped_area(file, ...) of Linux is this with current->mm). */
unsigned long mm_get_unmapped_area(struct mm_struct *mm, struct file *file, unsigned long addr, unsigned long len,
	unsigned long pgoff, unsigned long flags);
unsigned long arch_get_unmapped_area(struct mm_struct *mm, struct file *file, unsigned long addr, unsigned long len,
	unsigned long pgoff, unsigned long flags);
unsigned long arch_get_unmapped_area_topdown(struct mm_struct *mm, struct file *file, unsigned long addr, unsigned long len,
	unsigned long pgoff, unsigned long flags);
void arch_pick_mmap_layout(struct mm_struct *mm);

#endif /* _LINUX_MM_H */
