/* Test driver for test/unit/kernel/mm/memoryPaths.test.ts: the fault, fork and unmap paths of
 * mm/memory.c and mm/rmap.c on a booted kernel. The TypeScript side calls these functions on a
 * CPU's kernel thread (results are ints: exit codes are 32-bit) and drives user threads through the
 * MMU for the accesses that must fault for real.
 *
 * State lives in statics: address spaces by index (mpt_mm[i]), one test "file" (an address_space
 * with an i_mmap and MPT_FILE_PAGES pages in the role of its page cache), and vm_ops whose
 * ->nopage / ->nopfn / ->fault / ->page_mkwrite count their calls and follow a mode the test sets. */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/mm.h>
#include <linux/rmap.h>
#include <linux/fs.h>
#include <linux/pagemap.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <asm/pgalloc.h>
#include <asm/tlb.h>
#include <asm/tlbflush.h>

#define MPT_MMS 8
#define MPT_FILE_PAGES 4

static struct mm_struct *mpt_mm[MPT_MMS];

#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 8, 0)
#define mpt_read_lock(mm) mmap_read_lock(mm)
#define mpt_read_unlock(mm) mmap_read_unlock(mm)
#define mpt_write_lock(mm) mmap_write_lock(mm)
#define mpt_write_lock_nested(mm) mmap_write_lock_nested(mm, SINGLE_DEPTH_NESTING)
#define mpt_write_unlock(mm) mmap_write_unlock(mm)
#else
#define mpt_read_lock(mm) down_read(&(mm)->mmap_sem)
#define mpt_read_unlock(mm) up_read(&(mm)->mmap_sem)
#define mpt_write_lock(mm) down_write(&(mm)->mmap_sem)
#define mpt_write_lock_nested(mm) down_write_nested(&(mm)->mmap_sem, SINGLE_DEPTH_NESTING)
#define mpt_write_unlock(mm) up_write(&(mm)->mmap_sem)
#endif

/* ---- Address spaces ---- */

int mpt_boot(void)
{
	return init_zero_pfn();
}

int mpt_zero_pfn(void)
{
	return (int)page_to_pfn(ZERO_PAGE(0));
}

/* A new empty mm in slot i; the physical address of its pgd (for CR3). */
int mpt_new_mm(int i)
{
	mpt_mm[i] = mm_alloc();
	if (!mpt_mm[i])
		return -ENOMEM;
	return (int)__pa(mpt_mm[i]->pgd);
}

/* Faults of user threads go to current->mm (init_task's on a bare kernel). */
void mpt_use_mm(int i)
{
	current->mm = mpt_mm[i];
	current->active_mm = mpt_mm[i];
}

static struct vm_area_struct *mpt_vma(int i, unsigned long addr)
{
	struct vm_area_struct *vma = find_vma(mpt_mm[i], addr);

	if (!vma || vma->vm_start > addr)
		return NULL;
	return vma;
}

/* Links a VMA into mm i's sorted list (and the file's i_mmap), as dup_mmap and mmap_region do. */
static void mpt_link(int i, struct vm_area_struct *vma)
{
	struct mm_struct *mm = mpt_mm[i];
	struct vm_area_struct **pp = &mm->mmap;

	while (*pp && (*pp)->vm_start < vma->vm_start)
		pp = &(*pp)->vm_next;
	vma->vm_next = *pp;
	*pp = vma;
	mm->map_count++;
	mm->mmap_cache = NULL;
	if (vma->vm_file) {
		struct address_space *mapping = vma->vm_file->f_mapping;

		i_mmap_lock_write(mapping);
		list_add_tail(&vma->shared, &mapping->i_mmap);
		i_mmap_unlock_write(mapping);
	}
}

static struct vm_area_struct *mpt_new_vma(int i, unsigned long start, unsigned long len, unsigned long flags)
{
	struct vm_area_struct *vma = vm_area_alloc(mpt_mm[i]);

	if (!vma)
		return NULL;
	vma->vm_start = start;
	vma->vm_end = start + len;
	vma->vm_flags = flags;
	vma->vm_page_prot = vm_get_page_prot(flags);
	vma->vm_pgoff = start >> PAGE_SHIFT;
	return vma;
}

/* An anonymous VMA with `flags` (VM_*) in mm i. */
int mpt_map_anon(int i, unsigned long start, unsigned long len, unsigned long flags)
{
	struct vm_area_struct *vma = mpt_new_vma(i, start, len, flags);

	if (!vma)
		return -ENOMEM;
	mpt_write_lock(mpt_mm[i]);
	mpt_link(i, vma);
	mpt_write_unlock(mpt_mm[i]);
	return 0;
}

/* handle_mm_fault as the arch fault handler calls it (mmap_lock held for reading). */
int mpt_fault(int i, unsigned long addr, int write)
{
	struct mm_struct *mm = mpt_mm[i];
	struct vm_area_struct *vma;
	int ret;

	mpt_read_lock(mm);
	vma = mpt_vma(i, addr);
	if (!vma) {
		mpt_read_unlock(mm);
		return -EFAULT;
	}
#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 8, 0)
	ret = handle_mm_fault(vma, addr, write ? FAULT_FLAG_WRITE : 0, NULL);
#else
	ret = handle_mm_fault(mm, vma, addr, write);
#endif
	mpt_read_unlock(mm);
	return ret;
}

/* The PTE of addr in mm i without allocating tables (pte_none when a level is missing). */
static pte_t mpt_pte(int i, unsigned long addr)
{
	struct mm_struct *mm = mpt_mm[i];
	pgd_t *pgd = pgd_offset(mm, addr);
	pud_t *pud;
	pmd_t *pmd;

	if (pgd_none(*pgd))
		return __pte(0);
	pud = pud_offset(pgd, addr);
	if (pud_none(*pud))
		return __pte(0);
	pmd = pmd_offset(pud, addr);
	if (pmd_none(*pmd))
		return __pte(0);
	return *pte_offset_map(pmd, addr);
}

/* The low 12 flag bits of the PTE (P, RW, US, PWT, PCD, A, D, ..., bit 9: special), or -1 if none. */
int mpt_pte_flags(int i, unsigned long addr)
{
	pte_t pte = mpt_pte(i, addr);

	if (pte_none(pte))
		return -1;
	return (int)(pte_val(pte) & 0xfff);
}

int mpt_pte_pfn(int i, unsigned long addr)
{
	return (int)pte_pfn(mpt_pte(i, addr));
}

/* vm_normal_page of the PTE: its pfn, or -1 for "no struct page", -2 for no PTE. */
int mpt_normal_pfn(int i, unsigned long addr)
{
	pte_t pte = mpt_pte(i, addr);
	struct vm_area_struct *vma = mpt_vma(i, addr);
	struct page *page;

	if (!vma || !pte_present(pte))
		return -2;
	page = vm_normal_page(vma, addr, pte);
	return page ? (int)page_to_pfn(page) : -1;
}

int mpt_vma_flags(int i, unsigned long addr)
{
	struct vm_area_struct *vma = mpt_vma(i, addr);

	return vma ? (int)vma->vm_flags : -1;
}

int mpt_vma_pgoff(int i, unsigned long addr)
{
	struct vm_area_struct *vma = mpt_vma(i, addr);

	return vma ? (int)vma->vm_pgoff : -1;
}

int mpt_vma_has_anon_vma(int i, unsigned long addr)
{
	struct vm_area_struct *vma = mpt_vma(i, addr);

	return vma && vma->anon_vma ? 1 : 0;
}

int mpt_anon_vma_refs(int i, unsigned long addr)
{
	struct vm_area_struct *vma = mpt_vma(i, addr);

	return vma && vma->anon_vma ? atomic_read(&vma->anon_vma->refcount) : 0;
}

/* RSS: which 0 = anonymous, 1 = file. */
int mpt_rss(int i, int which)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 34)
	return (int)get_mm_counter(mpt_mm[i], which ? MM_FILEPAGES : MM_ANONPAGES);
#else
	return which ? (int)get_mm_counter(mpt_mm[i], file_rss) : (int)get_mm_counter(mpt_mm[i], anon_rss);
#endif
}

/* ---- struct page of a PFN ---- */

int mpt_page_count(int pfn)
{
	return page_count(pfn_to_page(pfn));
}

int mpt_page_mapcount(int pfn)
{
	return page_mapcount(pfn_to_page(pfn));
}

int mpt_page_anon(int pfn)
{
	return PageAnon(pfn_to_page(pfn)) ? 1 : 0;
}

int mpt_page_index(int pfn)
{
	return (int)pfn_to_page(pfn)->index;
}

int mpt_page_dirty(int pfn)
{
	return PageDirty(pfn_to_page(pfn)) ? 1 : 0;
}

/* 1 when the page's anon_vma is the one of the VMA at addr in mm i. */
int mpt_page_in_vma_anon(int pfn, int i, unsigned long addr)
{
	struct vm_area_struct *vma = mpt_vma(i, addr);

	return vma && page_anon_vma(pfn_to_page(pfn)) == vma->anon_vma ? 1 : 0;
}

int mpt_page_anon_exclusive(int pfn)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 19, 0)
	return PageAnonExclusive(pfn_to_page(pfn)) ? 1 : 0;
#else
	(void)pfn;
	return -1;
#endif
}

/* ---- fork and unmapping ---- */

/*
 * dup_mmap's part for anonymous VMAs: copy each VMA of mm src into mm dst, join its anon_vma
 * family, copy its page tables, then flush the parent's TLBs.
 */
int mpt_fork(int src, int dst)
{
	struct mm_struct *oldmm = mpt_mm[src];
	struct mm_struct *mm = mpt_mm[dst];
	struct vm_area_struct *mpnt;
	int retval = 0;

	mpt_write_lock(oldmm);
	mpt_write_lock_nested(mm);
	for (mpnt = oldmm->mmap; mpnt; mpnt = mpnt->vm_next) {
		struct vm_area_struct *tmp = vm_area_dup(mpnt);

		if (!tmp) {
			retval = -ENOMEM;
			break;
		}
		tmp->vm_mm = mm;
		tmp->vm_file = NULL;
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 34)
		if (anon_vma_fork(tmp, mpnt)) {
			retval = -ENOMEM;
			break;
		}
#else
		anon_vma_link(tmp);
#endif
		mpt_link(dst, tmp);
#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 10, 0)
		retval = copy_page_range(tmp, mpnt);
#else
		retval = copy_page_range(mm, oldmm, mpnt);
#endif
		if (retval)
			break;
	}
	mpt_write_unlock(mm);
	flush_tlb_mm(oldmm);
	mpt_write_unlock(oldmm);
	return retval;
}

/* Takes / releases mm i's mmap_lock for writing (a task that holds it across calls). */
void mpt_hold_mmap_lock(int i)
{
	mpt_write_lock(mpt_mm[i]);
}

void mpt_release_mmap_lock(int i)
{
	mpt_write_unlock(mpt_mm[i]);
}

/* madvise(DONTNEED)-style: zap [start, start + len) of mm i. */
int mpt_zap(int i, unsigned long start, unsigned long len)
{
	struct vm_area_struct *vma;

	mpt_read_lock(mpt_mm[i]);
	vma = mpt_vma(i, start);
	if (vma)
		zap_page_range(vma, start, len);
	mpt_read_unlock(mpt_mm[i]);
	return vma ? 0 : -EFAULT;
}

/* exit_mmap's core for mm i: unmap everything, free the page tables (and anon_vma memberships),
 * take the VMAs off their files' i_mmap and (free_vmas) free them. */
int mpt_teardown(int i, int free_vmas)
{
	struct mm_struct *mm = mpt_mm[i];
	struct vm_area_struct *vma = mm->mmap;
	struct mmu_gather tlb;

	mpt_write_lock(mm);
	tlb_gather_mmu_fullmm(&tlb, mm);
	unmap_vmas(&tlb, vma, 0, ULONG_MAX);
	free_pgtables(&tlb, vma, FIRST_USER_ADDRESS, 0);
	tlb_finish_mmu(&tlb);
	mm->mmap = NULL;
	mm->map_count = 0;
	mm->mmap_cache = NULL;
	mpt_write_unlock(mm);
	while (vma) {
		struct vm_area_struct *next = vma->vm_next;

		if (vma->vm_file) {
			struct address_space *mapping = vma->vm_file->f_mapping;

			i_mmap_lock_write(mapping);
			list_del_init(&vma->shared);
			i_mmap_unlock_write(mapping);
		}
		if (free_vmas)
			vm_area_free(vma);
		vma = next;
	}
	return 0;
}

/* ---- The test file and its handlers ---- */

enum mpt_mode {
	MPT_NORMAL,		/* the page of the faulting offset */
	MPT_RACE,		/* first call: unmap_mapping_range, then answer page 0 (stale); later: page 1 */
	MPT_REFAULT,		/* NOPAGE_REFAULT / NOPFN_REFAULT */
	MPT_SIGBUS,
};

static struct address_space mpt_mapping;
static struct file mpt_file;
static struct page *mpt_pages[MPT_FILE_PAGES];
static int mpt_mode;
static int mpt_fault_calls;
static int mpt_mkwrite_calls;
static unsigned long mpt_pfn_base;

int mpt_file_init(void)
{
	int n;

	address_space_init_once(&mpt_mapping);
	memset(&mpt_file, 0, sizeof(mpt_file));
	mpt_file.f_mapping = &mpt_mapping;
	atomic_long_set(&mpt_file.f_count, 1);
	for (n = 0; n < MPT_FILE_PAGES; n++) {
		struct page *page = alloc_page(GFP_KERNEL | __GFP_ZERO);

		if (!page)
			return -ENOMEM;
		/* Page-cache style: the cache's reference, mapping and index, a recognisable word. */
		page->mapping = &mpt_mapping;
		page->index = n;
		SetPageUptodate(page);
		*(unsigned long *)page_address(page) = 0x1000 + n;
		mpt_pages[n] = page;
	}
	return 0;
}

int mpt_file_pfn(int n)
{
	return (int)page_to_pfn(mpt_pages[n]);
}

void mpt_set_mode(int mode)
{
	mpt_mode = mode;
	mpt_fault_calls = 0;
	mpt_mkwrite_calls = 0;
}

int mpt_calls(void)
{
	return mpt_fault_calls;
}

int mpt_mkwrite_count(void)
{
	return mpt_mkwrite_calls;
}

void mpt_clear_dirty(int n)
{
	ClearPageDirty(mpt_pages[n]);
}

int mpt_truncate_count(void)
{
#if LINUX_VERSION_CODE < KERNEL_VERSION(3, 0, 0)
	return (int)mpt_mapping.truncate_count;
#else
	return -1;
#endif
}

int mpt_vma_truncate_count(int i, unsigned long addr)
{
#if LINUX_VERSION_CODE < KERNEL_VERSION(3, 0, 0)
	struct vm_area_struct *vma = mpt_vma(i, addr);

	return vma ? (int)vma->vm_truncate_count : -1;
#else
	(void)i;
	(void)addr;
	return -1;
#endif
}

/* The page a handler answers for file page `pgoff`, with a reference. */
static struct page *mpt_pick(pgoff_t pgoff)
{
	struct page *page;

	mpt_fault_calls++;
	if (mpt_mode == MPT_RACE) {
		if (mpt_fault_calls == 1) {
			/* The driver switches its backing: every mapping of the file is zapped while this
			 * fault still holds the old page (kernel-semantics.md 2.1, scenario 3). */
			unmap_mapping_range(&mpt_mapping, 0, 0, 1);
			page = mpt_pages[0];
		} else {
			page = mpt_pages[1];
		}
	} else {
		page = mpt_pages[pgoff % MPT_FILE_PAGES];
	}
	get_page(page);
	return page;
}

#if LINUX_VERSION_CODE < KERNEL_VERSION(2, 6, 26)
static struct page *mpt_nopage(struct vm_area_struct *vma, unsigned long address, int *type)
{
	pgoff_t pgoff = ((address - vma->vm_start) >> PAGE_SHIFT) + vma->vm_pgoff;

	if (mpt_mode == MPT_SIGBUS) {
		mpt_fault_calls++;
		return NOPAGE_SIGBUS;
	}
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 19)
	if (mpt_mode == MPT_REFAULT) {
		mpt_fault_calls++;
		return NOPAGE_REFAULT;
	}
#endif
	if (type)
		*type = VM_FAULT_MINOR;
	return mpt_pick(pgoff);
}
#endif

#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 19) && LINUX_VERSION_CODE < KERNEL_VERSION(2, 6, 27)
static unsigned long mpt_nopfn(struct vm_area_struct *vma, unsigned long address)
{
	mpt_fault_calls++;
	if (mpt_mode == MPT_SIGBUS)
		return NOPFN_SIGBUS;
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 21)
	if (mpt_mode == MPT_REFAULT)
		return NOPFN_REFAULT;
#endif
	return mpt_pfn_base + ((address - vma->vm_start) >> PAGE_SHIFT);
}
#endif

#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 23)
#if LINUX_VERSION_CODE >= KERNEL_VERSION(4, 17, 0)
static vm_fault_t mpt_fault_handler(struct vm_fault *vmf)
#else
static int mpt_fault_handler(struct vm_area_struct *vma, struct vm_fault *vmf)
#endif
{
	if (mpt_mode == MPT_SIGBUS) {
		mpt_fault_calls++;
		return VM_FAULT_SIGBUS;
	}
	vmf->page = mpt_pick(vmf->pgoff);
	return 0;
}

/* A PFN-map ->fault: insert the PFN itself and say so (VM_FAULT_NOPAGE). */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(4, 17, 0)
static vm_fault_t mpt_pfn_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	unsigned long address = vmf->address;

	mpt_fault_calls++;
	return vmf_insert_pfn(vma, address, mpt_pfn_base + ((address - vma->vm_start) >> PAGE_SHIFT));
}
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 26)
static int mpt_pfn_fault(struct vm_area_struct *vma, struct vm_fault *vmf)
{
	unsigned long address = (unsigned long)vmf->virtual_address;

	mpt_fault_calls++;
	if (vm_insert_pfn(vma, address, mpt_pfn_base + ((address - vma->vm_start) >> PAGE_SHIFT)) == -ENOMEM)
		return VM_FAULT_OOM;
	return VM_FAULT_NOPAGE;
}
#endif
#endif

#if LINUX_VERSION_CODE >= KERNEL_VERSION(4, 17, 0)
static vm_fault_t mpt_page_mkwrite(struct vm_fault *vmf)
{
	(void)vmf;
	mpt_mkwrite_calls++;
	return 0;
}
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 30)
static int mpt_page_mkwrite(struct vm_area_struct *vma, struct vm_fault *vmf)
{
	mpt_mkwrite_calls++;
	return 0;
}
#else
static int mpt_page_mkwrite(struct vm_area_struct *vma, struct page *page)
{
	(void)vma;
	(void)page;
	mpt_mkwrite_calls++;
	return 0;
}
#endif

static const struct vm_operations_struct mpt_file_ops = {
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 23)
	.fault = mpt_fault_handler,
#else
	.nopage = mpt_nopage,
#endif
	.page_mkwrite = mpt_page_mkwrite,
};

static const struct vm_operations_struct mpt_pfn_ops = {
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 27)
	.fault = mpt_pfn_fault,
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 19)
	.nopfn = mpt_nopfn,
#endif
};

/* No handler at all (a driver that filled the VMA at mmap time). */
static const struct vm_operations_struct mpt_no_fault_ops = {
	.open = NULL,
};

/* A VMA of the test file in mm i at file page `pgoff`. */
int mpt_map_file(int i, unsigned long start, unsigned long len, unsigned long flags, unsigned long pgoff)
{
	struct vm_area_struct *vma = mpt_new_vma(i, start, len, flags);

	if (!vma)
		return -ENOMEM;
	vma->vm_pgoff = pgoff;
	vma->vm_file = &mpt_file;
	vma->vm_ops = &mpt_file_ops;
	mpt_write_lock(mpt_mm[i]);
	mpt_link(i, vma);
	mpt_write_unlock(mpt_mm[i]);
	return 0;
}

/* A VM_IO|VM_PFNMAP VMA whose handler maps PFNs from `pfn_base` (nopfn / ->fault + insert). */
int mpt_map_pfn(int i, unsigned long start, unsigned long len, unsigned long flags, unsigned long pfn_base)
{
	struct vm_area_struct *vma = mpt_new_vma(i, start, len, flags | VM_IO | VM_PFNMAP);

	if (!vma)
		return -ENOMEM;
	mpt_pfn_base = pfn_base;
	vma->vm_ops = &mpt_pfn_ops;
	vma->vm_pgoff = 0;
	mpt_write_lock(mpt_mm[i]);
	mpt_link(i, vma);
	mpt_write_unlock(mpt_mm[i]);
	return 0;
}

/* A driver's ->mmap calling remap_pfn_range over [start + off, start + off + size): its result. */
int mpt_map_remap(int i, unsigned long start, unsigned long len, unsigned long flags, unsigned long off,
		  unsigned long pfn, unsigned long size)
{
	struct vm_area_struct *vma = mpt_new_vma(i, start, len, flags);
	int err;

	if (!vma)
		return -ENOMEM;
	vma->vm_ops = &mpt_no_fault_ops;
	vma->vm_pgoff = 0;
	mpt_write_lock(mpt_mm[i]);
	mpt_link(i, vma);
	err = remap_pfn_range(vma, start + off, pfn, size, vma->vm_page_prot);
	mpt_write_unlock(mpt_mm[i]);
	return err;
}

int mpt_unmap_mapping(long holebegin, long holelen, int even_cows)
{
	unmap_mapping_range(&mpt_mapping, holebegin, holelen, even_cows);
	return 0;
}

/* vm_insert_pfn (2.6.21+) or vmf_insert_pfn_prot (6.8) at addr in mm i; `uncached` picks the prot. */
int mpt_insert_pfn(int i, unsigned long addr, unsigned long pfn, int uncached)
{
	struct vm_area_struct *vma = mpt_vma(i, addr);
	int ret = -EFAULT;

	if (!vma)
		return ret;
	mpt_read_lock(mpt_mm[i]);
#if LINUX_VERSION_CODE >= KERNEL_VERSION(4, 17, 0)
	ret = vmf_insert_pfn_prot(vma, addr, pfn, uncached ? pgprot_noncached(vma->vm_page_prot) : vma->vm_page_prot);
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 21)
	(void)uncached;
	ret = vm_insert_pfn(vma, addr, pfn);
#else
	(void)uncached;
	(void)pfn;
	ret = -ENOSYS;
#endif
	mpt_read_unlock(mpt_mm[i]);
	return ret;
}

/* zap_vma_ptes at addr (2.6.27+): 2.6.27's result, 0 for 6.8's void; -ENOSYS before. */
int mpt_zap_vma_ptes(int i, unsigned long addr, unsigned long size)
{
	struct vm_area_struct *vma = mpt_vma(i, addr);

	if (!vma)
		return -EFAULT;
#if LINUX_VERSION_CODE >= KERNEL_VERSION(4, 18, 0)
	zap_vma_ptes(vma, addr, size);
	return 0;
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 27)
	return zap_vma_ptes(vma, addr, size);
#else
	(void)size;
	return -ENOSYS;
#endif
}

/* generic_access_phys read of one long at addr: the low 32 bits of the value, or the error. */
static unsigned long mpt_access_buf;

int mpt_access_phys(int i, unsigned long addr)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 27)
	struct vm_area_struct *vma = mpt_vma(i, addr);
	int ret;

	if (!vma)
		return -EFAULT;
	mpt_read_lock(mpt_mm[i]);
	ret = generic_access_phys(vma, addr, &mpt_access_buf, sizeof(mpt_access_buf), 0);
	mpt_read_unlock(mpt_mm[i]);
	if (ret != sizeof(mpt_access_buf))
		return ret < 0 ? ret : -EIO;
	return (int)mpt_access_buf;
#else
	(void)i;
	(void)addr;
	return -ENOSYS;
#endif
}

/* A driver VMA without handlers (its ->mmap fills it) in mm i. */
int mpt_map_driver(int i, unsigned long start, unsigned long len, unsigned long flags)
{
	struct vm_area_struct *vma = mpt_new_vma(i, start, len, flags);

	if (!vma)
		return -ENOMEM;
	vma->vm_ops = &mpt_no_fault_ops;
	vma->vm_pgoff = 0;
	mpt_write_lock(mpt_mm[i]);
	mpt_link(i, vma);
	mpt_write_unlock(mpt_mm[i]);
	return 0;
}

/* vm_insert_page of frame `pfn` at addr in mm i (mmap_lock held for writing, as from ->mmap). */
int mpt_insert_page(int i, unsigned long addr, int pfn)
{
	struct vm_area_struct *vma = mpt_vma(i, addr);
	int ret;

	if (!vma)
		return -EFAULT;
	mpt_write_lock(mpt_mm[i]);
	ret = vm_insert_page(vma, addr, pfn_to_page(pfn));
	mpt_write_unlock(mpt_mm[i]);
	return ret;
}

/* A page from the allocator, for PFN maps of RAM. */
int mpt_alloc_pfn(void)
{
	struct page *page = alloc_page(GFP_KERNEL | __GFP_ZERO);

	return page ? (int)page_to_pfn(page) : -ENOMEM;
}
