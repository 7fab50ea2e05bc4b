/* <linux/page-flags.h>: the state bits of struct page->flags and their accessors.
 *
 * Bit numbers follow Linux 2.6.18 (include/linux/page-flags.h there) in every era; PG_table marks
 * page-table pages (a page type in modern kernels); PG_anon_exclusive (5.19+) aliases PG_mappedtodisk
 * as in Linux. The accessors are generated like Linux's:
 * PageDirty(page), SetPageDirty(page), ClearPageDirty(page), TestSetPageLocked(page)... */
#ifndef _LINUX_PAGE_FLAGS_H
#define _LINUX_PAGE_FLAGS_H

#include <linux/types.h>
#include <linux/version.h>
#include <asm/bitops.h>

enum pageflags {
	PG_locked = 0,		/* page is locked: under I/O, or being set up */
	PG_error = 1,
	PG_referenced = 2,
	PG_uptodate = 3,	/* contents are valid */
	PG_dirty = 4,
	PG_lru = 5,		/* on an LRU list */
	PG_active = 6,
	PG_slab = 7,		/* owned by the slab allocator */
	PG_checked = 8,
	PG_arch_1 = 9,
	PG_reserved = 10,	/* never freed: boot reservations, holes, the kernel image */
	PG_private = 11,	/* page->private is in use by the filesystem */
	PG_writeback = 12,
	PG_nosave = 13,
	PG_compound = 14,
	PG_swapcache = 15,
	PG_mappedtodisk = 16,
	PG_reclaim = 17,
	PG_nosave_free = 18,
	PG_buddy = 19,		/* free, in the buddy allocator; page->private is the order */
	PG_table = 20,		/* a page-table page (Faultline: a page type in modern kernels) */
	__NR_PAGEFLAGS,
#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 19, 0)
	/* Anonymous pages only (5.19+): this mapping is the page's only one, so a write fault may
	 * reuse it without looking at counts. Shares the bit of PG_mappedtodisk, a file-page flag. */
	PG_anon_exclusive = PG_mappedtodisk,
#endif
};

#define TESTPAGEFLAG(uname, lname) \
	static inline int Page##uname(const struct page *page) { return test_bit(PG_##lname, &page->flags); }
#define SETPAGEFLAG(uname, lname) \
	static inline void SetPage##uname(struct page *page) { set_bit(PG_##lname, &page->flags); }
#define CLEARPAGEFLAG(uname, lname) \
	static inline void ClearPage##uname(struct page *page) { clear_bit(PG_##lname, &page->flags); }
#define __SETPAGEFLAG(uname, lname) \
	static inline void __SetPage##uname(struct page *page) { __set_bit(PG_##lname, &page->flags); }
#define __CLEARPAGEFLAG(uname, lname) \
	static inline void __ClearPage##uname(struct page *page) { __clear_bit(PG_##lname, &page->flags); }
#define TESTSETFLAG(uname, lname) \
	static inline int TestSetPage##uname(struct page *page) { return test_and_set_bit(PG_##lname, &page->flags); }
#define TESTCLEARFLAG(uname, lname) \
	static inline int TestClearPage##uname(struct page *page) { return test_and_clear_bit(PG_##lname, &page->flags); }

#define PAGEFLAG(uname, lname) TESTPAGEFLAG(uname, lname) SETPAGEFLAG(uname, lname) CLEARPAGEFLAG(uname, lname)
#define __PAGEFLAG(uname, lname) TESTPAGEFLAG(uname, lname) __SETPAGEFLAG(uname, lname) __CLEARPAGEFLAG(uname, lname)
#define TESTSCFLAG(uname, lname) TESTSETFLAG(uname, lname) TESTCLEARFLAG(uname, lname)

struct page;

PAGEFLAG(Locked, locked) TESTSCFLAG(Locked, locked) __SETPAGEFLAG(Locked, locked) __CLEARPAGEFLAG(Locked, locked)
PAGEFLAG(Error, error) TESTCLEARFLAG(Error, error)
PAGEFLAG(Referenced, referenced) TESTCLEARFLAG(Referenced, referenced)
PAGEFLAG(Uptodate, uptodate) __SETPAGEFLAG(Uptodate, uptodate)
PAGEFLAG(Dirty, dirty) TESTSCFLAG(Dirty, dirty) __CLEARPAGEFLAG(Dirty, dirty)
PAGEFLAG(LRU, lru) TESTCLEARFLAG(LRU, lru) __CLEARPAGEFLAG(LRU, lru)
PAGEFLAG(Active, active) TESTCLEARFLAG(Active, active)
__PAGEFLAG(Slab, slab)
PAGEFLAG(Checked, checked)
PAGEFLAG(Reserved, reserved) __SETPAGEFLAG(Reserved, reserved) __CLEARPAGEFLAG(Reserved, reserved)
PAGEFLAG(Private, private) __SETPAGEFLAG(Private, private) __CLEARPAGEFLAG(Private, private)
PAGEFLAG(Writeback, writeback) TESTSCFLAG(Writeback, writeback)
PAGEFLAG(SwapCache, swapcache)
PAGEFLAG(MappedToDisk, mappedtodisk)
PAGEFLAG(Reclaim, reclaim)
__PAGEFLAG(Buddy, buddy)
__PAGEFLAG(Compound, compound)
__PAGEFLAG(Table, table)
#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 19, 0)
PAGEFLAG(AnonExclusive, anon_exclusive) __CLEARPAGEFLAG(AnonExclusive, anon_exclusive)
#endif

/* Flags that must be clear when a page is freed or handed out (free_pages_check). */
#define PAGE_FLAGS_CHECK_AT_FREE ((1UL << PG_locked) | (1UL << PG_lru) | (1UL << PG_private) | \
	(1UL << PG_active) | (1UL << PG_reclaim) | (1UL << PG_slab) | (1UL << PG_swapcache) | \
	(1UL << PG_writeback) | (1UL << PG_reserved) | (1UL << PG_buddy) | (1UL << PG_table))
#define PAGE_FLAGS_CHECK_AT_PREP (PAGE_FLAGS_CHECK_AT_FREE | (1UL << PG_dirty))

#endif /* _LINUX_PAGE_FLAGS_H */
