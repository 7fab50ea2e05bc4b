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

/* ---- proc-and-gup: get_user_pages and follow_page (mm/gup.c), access_process_vm (kernel/ptrace.c) ---- */

struct task_struct;

/* follow_page / get_user_pages flags, with each era's values (kernel-semantics.md 2.1, 2.5). */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 5, 0)
#define FOLL_WRITE (1U << 0)		/* check the PTE is writable */
#define FOLL_GET (1U << 1)		/* take a page reference (put_page releases it) */
#define FOLL_DUMP (1U << 2)
#define FOLL_FORCE (1U << 3)		/* ignore VM_READ/VM_WRITE: ptrace, /proc/PID/mem */
#define FOLL_NOWAIT (1U << 4)
#define FOLL_NOFAULT (1U << 5)		/* never fault a page in */
#define FOLL_HWPOISON (1U << 6)
#define FOLL_ANON (1U << 7)		/* anonymous VMAs only */
#define FOLL_LONGTERM (1U << 8)
/* mm/internal.h in Linux: set by GUP itself. */
#define FOLL_TOUCH (1U << 16)		/* mark the page accessed (and dirty for a write) */
#define FOLL_TRIED (1U << 17)
#define FOLL_REMOTE (1U << 18)		/* the mm is not current's */
#define FOLL_PIN (1U << 19)
#define INTERNAL_GUP_FLAGS (FOLL_TOUCH | FOLL_TRIED | FOLL_REMOTE | FOLL_PIN)
#else
#define FOLL_WRITE 0x01			/* check the PTE is writable */
#define FOLL_TOUCH 0x02			/* mark the page accessed (and dirty for a write) */
#define FOLL_GET 0x04			/* take a page reference (put_page releases it) */
#define FOLL_ANON 0x08			/* give the zero page where there is no page table */
#endif

/* The page mapped at `address` in `vma` (with a reference when FOLL_GET), NULL when it must be
 * faulted in first, or (2.6.27+) an ERR_PTR for a PTE with no struct page. The caller holds the
 * mm's mmap_lock; the PTE is read under its page-table lock. */
struct page *follow_page(struct vm_area_struct *vma, unsigned long address, unsigned int foll_flags);

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 5, 0)
/* Pins `nr_pages` pages of current->mm from `start` (mmap_lock held for read): the number pinned,
 * or -errno when none was. */
long get_user_pages(unsigned long start, unsigned long nr_pages, unsigned int gup_flags, struct page **pages);
/* The same in another mm. `locked` NULL: the caller holds mmap_lock and keeps it; *locked == 0:
 * GUP takes and drops it. */
long get_user_pages_remote(struct mm_struct *mm, unsigned long start, unsigned long nr_pages, unsigned int gup_flags,
	struct page **pages, int *locked);
#else
/* Pins `len` pages of `mm` from `start` for `tsk` (mmap_sem held for read): `write` checks write
 * access, `force` only needs VM_MAYREAD/VM_MAYWRITE. The number pinned, or -errno when none was. */
int get_user_pages(struct task_struct *tsk, struct mm_struct *mm, unsigned long start, int len, int write, int force,
	struct page **pages, struct vm_area_struct **vmas);
#endif

/* Copies between `buf` (kernel memory) and `tsk`'s address space at `addr`; the bytes copied. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(4, 9, 0)
int access_process_vm(struct task_struct *tsk, unsigned long addr, void *buf, int len, unsigned int gup_flags);
#else
int access_process_vm(struct task_struct *tsk, unsigned long addr, void *buf, int len, int write);
#endif

/* ---- files: tmpfs and the page cache (mm/shmem.c, mm/filemap.c, mm/truncate.c) ---- */

struct inode;
/* MAP_SHARED|MAP_ANONYMOUS: gives the VMA an unlinked tmpfs file ("dev/zero") of its size as
 * vm_file and the tmpfs vm_ops. 0 or -errno. Call it before linking the VMA (mmap_region does),
 * so that __vma_link_file puts the VMA on the file's i_mmap. */
int shmem_zero_setup(struct vm_area_struct *vma);
#if LINUX_VERSION_CODE < KERNEL_VERSION(3, 8, 0)
/* 2.6: change i_size, unmapping and freeing what lies beyond a smaller one (mm/truncate.c). */
int vmtruncate(struct inode *inode, loff_t offset);
#endif

/* ---- memory: the fault, fork and unmap paths (mm/memory.c; rmap in <linux/rmap.h>) ---- */

struct address_space;
struct mmu_gather;

/* What unmap_mapping_range zaps (2.6: check_mapping NULL zaps COWed anonymous pages too; 6.8:
 * even_cows). NULL details: zap everything. */
struct zap_details {
#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 17, 0)
	bool even_cows;			/* also zap private COWed (anonymous) pages */
#else
	struct address_space *check_mapping;	/* non-NULL: only zap pages of this mapping */
	pgoff_t first_index;		/* the file pages of the hole */
	pgoff_t last_index;
	spinlock_t *i_mmap_lock;	/* held by the caller (unmap_mapping_range) */
	unsigned int truncate_count;	/* the mapping's, after this unmap's increment */
#endif
};

/* The struct page a present PTE maps, or NULL when it has none to count or map: PFN maps
 * (VM_PFNMAP linear rule before 2.6.26, special PTEs after), the zero page from 2.6.32, a PFN past
 * mem_map (reported as a bad PTE). */
struct page *vm_normal_page(struct vm_area_struct *vma, unsigned long addr, pte_t pte);

/* The fault entry, with the era's signature (called with mmap_lock held for read). 6.8: a result
 * with VM_FAULT_RETRY (or COMPLETED) means mmap_lock was released. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 8, 0)
struct pt_regs;
vm_fault_t handle_mm_fault(struct vm_area_struct *vma, unsigned long address, unsigned int flags, struct pt_regs *regs);
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(4, 17, 0)
vm_fault_t handle_mm_fault(struct mm_struct *mm, struct vm_area_struct *vma, unsigned long address, unsigned int flags);
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 30)
int handle_mm_fault(struct mm_struct *mm, struct vm_area_struct *vma, unsigned long address, unsigned int flags);
#else
int handle_mm_fault(struct mm_struct *mm, struct vm_area_struct *vma, unsigned long address, int write_access);
#endif

/*
 * fork (dup_mmap): copies the PTEs of one VMA into the child's page tables. COW mappings are
 * write-protected in the parent and the child; shared mappings are copied clean; each copied page
 * gains a reference and a mapcount; VMAs without anon_vma (and not PFN/mixed maps) are skipped:
 * their pages fault back in. The caller holds both mmap locks for writing, has linked the child
 * VMA into its anon_vma (anon_vma_fork / anon_vma_link), and flushes the parent's TLB afterwards
 * (dup_mmap's flush_tlb_mm(oldmm)): the parent's CPUs may still hold writable translations.
 * 0 or -ENOMEM.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 10, 0)
int copy_page_range(struct vm_area_struct *dst_vma, struct vm_area_struct *src_vma);
#else
int copy_page_range(struct mm_struct *dst_mm, struct mm_struct *src_mm, struct vm_area_struct *vma);
#endif

/*
 * Unmapping. Each clears PTEs through the traced builtins, drops rmap and RSS counts, marks dirty
 * file pages dirty, and queues the pages on `tlb` (freed after its TLB flush).
 *   unmap_vmas: [start_addr, end_addr) of `vma` and the VMAs after it (vm_next), munmap and exit
 *     (Faultline's 4-argument form in every era: 2.6 also took nr_accounted and details and
 *     returned a restart address, 6.8 takes a maple state; the caller does the VM_ACCOUNT sums).
 *   zap_page_range: [start, start + size) of one VMA with its own mmu_gather (madvise DONTNEED);
 *     6.8 calls it zap_page_range_single (with details). */
void unmap_page_range(struct mmu_gather *tlb, struct vm_area_struct *vma, unsigned long addr, unsigned long end,
	struct zap_details *details);
void unmap_vmas(struct mmu_gather *tlb, struct vm_area_struct *vma, unsigned long start_addr, unsigned long end_addr);
void zap_page_range(struct vm_area_struct *vma, unsigned long start, unsigned long size);
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
void zap_page_range_single(struct vm_area_struct *vma, unsigned long address, unsigned long size, struct zap_details *details);
#endif
/* Zaps [address, address + size) of a VM_PFNMAP VMA only (drivers); 2.6.27 answers -1 on misuse,
 * 6.8 silently does nothing. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(4, 18, 0)
void zap_vma_ptes(struct vm_area_struct *vma, unsigned long address, unsigned long size);
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 27)
int zap_vma_ptes(struct vm_area_struct *vma, unsigned long address, unsigned long size);
#endif

/*
 * Unmaps file bytes [holebegin, holebegin + holelen) (holelen 0: to the end) from every VMA of
 * every process mapping `mapping` (its i_mmap), under the i_mmap lock and no mmap_lock. even_cows:
 * also private COWed pages (truncation); 0 keeps them (invalidation). 2.6 bumps
 * mapping->truncate_count first, so that a racing do_no_page retries (kernel-semantics.md 2.1).
 */
void unmap_mapping_range(struct address_space *mapping, loff_t holebegin, loff_t holelen, int even_cows);
#if LINUX_VERSION_CODE >= KERNEL_VERSION(4, 16, 0)
void unmap_mapping_pages(struct address_space *mapping, pgoff_t start, pgoff_t nr, bool even_cows);
#endif

/*
 * Drivers: map device memory (kernel-semantics.md 2.1-2.5).
 *   remap_pfn_range: PFNs [pfn, pfn + size/PAGE_SIZE) at [addr, addr + size), every PTE now;
 *     sets VM_IO|VM_PFNMAP (+VM_RESERVED in 2.6, +VM_DONTEXPAND|VM_DONTDUMP in 6.8); a COW mapping
 *     must be covered whole and gets vm_pgoff = pfn. BUGs on a present PTE. 0 or -errno.
 *   vm_insert_page: one refcounted page (not anonymous) into a VMA; -EBUSY if present.
 *   vm_insert_pfn (2.6.21-4.x): one PFN from a fault handler; -EBUSY if present.
 *   vmf_insert_pfn / _prot (6.8): the same returning VM_FAULT_NOPAGE (also when present).
 *   generic_access_phys (2.6.27+): ->access of VM_IO|VM_PFNMAP VMAs (ptrace, /proc/PID/mem).
 */
int remap_pfn_range(struct vm_area_struct *vma, unsigned long addr, unsigned long pfn, unsigned long size, pgprot_t prot);
#define io_remap_pfn_range remap_pfn_range
int vm_insert_page(struct vm_area_struct *vma, unsigned long addr, struct page *page);
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 21) && LINUX_VERSION_CODE < KERNEL_VERSION(4, 20, 0)
int vm_insert_pfn(struct vm_area_struct *vma, unsigned long addr, unsigned long pfn);
#endif
#if LINUX_VERSION_CODE >= KERNEL_VERSION(4, 17, 0)
vm_fault_t vmf_insert_pfn(struct vm_area_struct *vma, unsigned long addr, unsigned long pfn);
vm_fault_t vmf_insert_pfn_prot(struct vm_area_struct *vma, unsigned long addr, unsigned long pfn, pgprot_t pgprot);
#endif
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 27)
int generic_access_phys(struct vm_area_struct *vma, unsigned long addr, void *buf, int len, int write);
#endif

/* An anonymous VMA: no handlers (6.8: shared anonymous memory is shmem, with vm_ops). */
static inline bool vma_is_anonymous(struct vm_area_struct *vma)
{
	return !vma->vm_ops;
}

#if LINUX_VERSION_CODE >= KERNEL_VERSION(4, 17, 0)
/* Maps vmf->page (or the COW copy) under the PTE lock if the PTE is unchanged (->fault helpers). */
vm_fault_t finish_fault(struct vm_fault *vmf);
#endif

/* Boot: takes the shared zero page's frame (Linux's early_initcall init_zero_pfn). Faults take it on
 * first use otherwise. 0 or -ENOMEM. */
int init_zero_pfn(void);

/* RSS counters by era: 6.8 MM_ANONPAGES/MM_FILEPAGES in rss_stat, 2.6 anon_rss/file_rss. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 34)
#define mm_counter_file(page) MM_FILEPAGES
#define mm_counter(page) (PageAnon(page) ? MM_ANONPAGES : mm_counter_file(page))
#endif

/* ---- mm-syscalls: mmap, munmap, brk, mprotect, mremap, madvise, exit_mmap (mm/mmap.c, mm/util.c,
 * mm/mprotect.c, mm/mremap.c, mm/madvise.c). Faultline passes the mm explicitly where Linux uses
 * current->mm (the sys_* functions of <linux/syscalls.h> pass current->mm). Unless said otherwise
 * the caller holds the mm's mmap lock for writing. Functions returning unsigned long answer an
 * address or -errno (IS_ERR_VALUE). ---- */

struct file;

#ifndef VM_GROWSUP
/* No upward-growing stacks on x86 (3.7+ defines it as VM_NONE there). */
#define VM_GROWSUP VM_NONE
#endif

/* mmap(2)'s work in `mm` (mm/mmap.c; Linux: do_mmap with current->mm). MAP_POPULATE: see there. */
unsigned long do_mmap(struct mm_struct *mm, struct file *file, unsigned long addr, unsigned long len,
	unsigned long prot, unsigned long flags, unsigned long pgoff);
/* do_mmap in current->mm under its mmap lock (taken here), then MAP_POPULATE / MAP_LOCKED faults
 * (3.9+: after dropping the lock). sys_mmap's body once the fd is looked up (mm/util.c). */
unsigned long vm_mmap_pgoff(struct file *file, unsigned long addr, unsigned long len, unsigned long prot,
	unsigned long flag, unsigned long pgoff);
/* vm_mmap_pgoff with a byte offset: -EINVAL unless page aligned (mm/util.c). */
unsigned long vm_mmap(struct file *file, unsigned long addr, unsigned long len, unsigned long prot,
	unsigned long flag, unsigned long offset);
/* munmap(2)'s work: 0, -EINVAL or -ENOMEM. */
int do_munmap(struct mm_struct *mm, unsigned long start, size_t len);
/* do_munmap in current->mm, taking its mmap lock. */
int vm_munmap(unsigned long start, size_t len);
/* Maps anonymous heap memory at [addr, addr + len) plus VM_* `flags`, as brk and the loader do. */
unsigned long do_brk_flags(struct mm_struct *mm, unsigned long addr, unsigned long len, unsigned long flags);
/* brk(2) in `mm` (takes the mmap lock): the new break, or the old one when refused. */
unsigned long do_sys_brk(struct mm_struct *mm, unsigned long brk);
/* mprotect(2) in `mm` (takes the mmap lock): 0, -EINVAL, -ENOMEM or -EACCES (mm/mprotect.c). */
long do_mprotect(struct mm_struct *mm, unsigned long start, size_t len, unsigned long prot);
/* mremap(2) in `mm` (takes the mmap lock): the new address or -errno (mm/mremap.c). */
unsigned long do_mremap(struct mm_struct *mm, unsigned long addr, unsigned long old_len, unsigned long new_len,
	unsigned long flags, unsigned long new_addr);
/* madvise(2) in `mm` (takes the mmap lock): 0 or -errno (mm/madvise.c; Linux 6.8's signature). */
int do_madvise(struct mm_struct *mm, unsigned long start, size_t len_in, int behavior);
/* Grows a VM_GROWSDOWN VMA down to `address` (the fault path's stack growth): 0 or -errno. */
int expand_downwards(struct vm_area_struct *vma, unsigned long address);
/* Unmaps everything and frees the page tables and VMAs of an mm nobody uses any more. */
void exit_mmap(struct mm_struct *mm);
/* Drops an mm_users reference: the last one calls exit_mmap and mmdrop. */
void mmput(struct mm_struct *mm);

/* VMA helpers shared by mm/mmap.c, mprotect.c, mremap.c and madvise.c. */
void vm_stat_account(struct mm_struct *mm, unsigned long flags, struct file *file, long npages);
int vma_wants_writenotify(struct vm_area_struct *vma);
void vma_set_page_prot(struct vm_area_struct *vma);
/* A copy of `*vmap` for [addr, addr + len) at file page `pgoff` (mremap's target), linked into the
 * mm, or a neighbour extended over that range; *vmap is updated if the source merged into it. */
struct vm_area_struct *copy_vma(struct vm_area_struct **vmap, unsigned long addr, unsigned long len, pgoff_t pgoff);
/* Moves [vma->vm_start, end) bounds: the caller checked the new range is free (mremap growth). */
void vma_adjust_end(struct vm_area_struct *vma, unsigned long end);
/* Changes the protection of the present PTEs of [start, end) in `vma` to `newprot` (with each
 * era's write-upgrade rules), flushing the TLB range; the number of PTEs changed. */
unsigned long change_protection(struct vm_area_struct *vma, unsigned long start, unsigned long end, pgprot_t newprot);

#endif /* _LINUX_MM_H */
