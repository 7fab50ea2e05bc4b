/* <linux/mm_types.h>: struct page, struct vm_area_struct and struct mm_struct.
 *
 * Field names follow Linux; fields that were renamed carry the era's name (`_count` before 4.6,
 * `_refcount` after; `mmap_sem` before 5.8, `mmap_lock` after). Faultline keeps the VMAs of an mm in
 * one address-sorted singly linked list (mm->mmap, vma->vm_next) as 2.6 did, in every era (no
 * rbtree, no maple tree), and a file's VMAs in a list (address_space->i_mmap, vma->shared) instead
 * of the prio tree / interval tree. The object model is kernel-semantics.md section 1. */
#ifndef _LINUX_MM_TYPES_H
#define _LINUX_MM_TYPES_H

#include <linux/types.h>
#include <linux/version.h>
#include <linux/list.h>
#include <linux/atomic.h>
#include <linux/spinlock_types.h>
#include <linux/rwsem.h>
#include <asm/page.h>
#include <asm/pgtable_types.h>

struct address_space;
struct anon_vma;
struct file;
struct kmem_cache;
struct mm_struct;
struct vm_operations_struct;

/* One per physical frame, in mem_map (see <asm/page.h>). */
struct page {
	unsigned long flags;		/* PG_* bits, <linux/page-flags.h> */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(4, 6, 0)
	atomic_t _refcount;		/* references: page_count() */
#else
	atomic_t _count;		/* references: page_count() */
#endif
	atomic_t _mapcount;		/* PTEs mapping the page, minus one: -1 when unmapped */
	unsigned long private;		/* buddy: the order of a free block; else the owner's */
	union {
		struct {		/* page cache and anonymous pages */
			/* The file's address_space, or the anon_vma with PAGE_MAPPING_ANON set. */
			struct address_space *mapping;
			pgoff_t index;	/* offset in the mapping, in pages */
		};
		struct {		/* pages of the slab allocator (mm/slab.c) */
			struct kmem_cache *slab_cache;
			void *freelist;	/* first free object */
			unsigned int inuse;	/* objects handed out */
		};
	};
	struct list_head lru;		/* buddy free list, slab partial list, LRU */
	spinlock_t ptl;			/* page-table pages: the split page-table lock */
};

/* mapping & PAGE_MAPPING_ANON: an anonymous page whose mapping points at its anon_vma. */
#define PAGE_MAPPING_ANON 0x1

/* A region of a process's address space: [vm_start, vm_end) with one set of attributes. */
struct vm_area_struct {
	struct mm_struct *vm_mm;	/* the address space it belongs to */
	unsigned long vm_start;
	unsigned long vm_end;		/* first byte after the region */
	struct vm_area_struct *vm_next;	/* the next region by address (list sorted, no overlaps) */
	pgprot_t vm_page_prot;		/* PTE protection and cache bits for the region */
	unsigned long vm_flags;		/* VM_* in <linux/mm.h> */
	struct list_head shared;	/* on vm_file->f_mapping->i_mmap */
	struct anon_vma *anon_vma;	/* reverse map of the region's anonymous pages (placeholder) */
	const struct vm_operations_struct *vm_ops;
	unsigned long vm_pgoff;		/* offset in vm_file in pages; the PFN of a COW remap_pfn_range */
	struct file *vm_file;
	void *vm_private_data;
#if LINUX_VERSION_CODE < KERNEL_VERSION(3, 0, 0)
	/* mapping->truncate_count when unmap_mapping_range last zapped this VMA (kernel-semantics.md 2.1). */
	unsigned int vm_truncate_count;
#endif
};

#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 34)
/* Resident pages by kind (mm->rss_stat). */
enum {
	MM_FILEPAGES,
	MM_ANONPAGES,
	MM_SWAPENTS,
	MM_SHMEMPAGES,
	NR_MM_COUNTERS
};
#endif

struct mm_struct {
	struct vm_area_struct *mmap;		/* the VMAs, sorted by address */
	struct vm_area_struct *mmap_cache;	/* the last find_vma result */
	unsigned long mmap_base;		/* top of the top-down mmap area */
	unsigned long task_size;		/* size of the user address space */
	unsigned long free_area_cache;		/* bottom-up search hint (2.6) */
	pgd_t *pgd;
	atomic_t mm_users;			/* users of the address space (threads, GUP) */
	atomic_t mm_count;			/* references to the struct (mm_users counts as one) */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(4, 14, 0)
	atomic_long_t pgtables_bytes;		/* bytes of page-table pages */
#else
	unsigned long nr_ptes;			/* PTE table pages */
#endif
	int map_count;				/* number of VMAs */
	spinlock_t page_table_lock;		/* upper page-table levels, counters */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 8, 0)
	struct rw_semaphore mmap_lock;		/* the VMA set: readers fault, writers change it */
#else
	struct rw_semaphore mmap_sem;		/* the VMA set: readers fault, writers change it */
#endif
	unsigned long hiwater_vm;
	unsigned long total_vm;			/* pages mapped */
	unsigned long locked_vm;
	unsigned long shared_vm;
	unsigned long exec_vm;
	unsigned long stack_vm;
	unsigned long def_flags;
	unsigned long start_code, end_code, start_data, end_data;
	unsigned long start_brk, brk, start_stack;
	unsigned long arg_start, arg_end, env_start, env_end;
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 34)
	atomic_long_t rss_stat[NR_MM_COUNTERS];
#else
	unsigned long _file_rss;
	unsigned long _anon_rss;
#endif
};

#endif /* _LINUX_MM_TYPES_H */
