/* fs/proc/task_mmu.c: /proc/PID/maps and /proc/PID/pagemap, in the format each era printed.
 *
 * maps: one line per VMA, "start-end perms offset major:minor inode" then, for a file mapping or
 * a named anonymous one, the name starting at column 73 (show_map_vma; the header is
 * "%08lx-%08lx %c%c%c%c %08llx %02x:%02x %lu " and seq_pad/pad_len_spaces fill the rest):
 *   - perms: r, w, x from VM_READ/VM_WRITE/VM_EXEC, then 's' for VM_MAYSHARE else 'p';
 *   - offset: vm_pgoff in bytes. Before 2.6.30 (6260a4b0521) anonymous VMAs showed their vm_pgoff
 *     too (a private anonymous mapping's is its address >> PAGE_SHIFT); from 2.6.30 they show 0;
 *   - device and inode of the file (tmpfs: 00:xx, an anonymous device), 00:00 0 without one;
 *   - name: the file's path (d_path, with " (deleted)" once unlinked, newlines escaped as \012);
 *     for anonymous VMAs "[heap]" (the VMA between start_brk and brk: 2.6.18-2.6.38 required it
 *     to contain both, 2.6.39+ any overlap) and "[stack]" (the VMA containing start_stack).
 *     [vdso]/[vvar]/[vsyscall] appear only for VMAs that exist; the simulated machine has none.
 *
 * pagemap (2.6.25+): one little-endian u64 per virtual page, the file position being vpage * 8.
 *   - 2.6.25-4.1: bit 63 present, 62 swapped, bits 55-60 the page shift (12) in every entry, bits
 *     0-54 the PFN (3.5's file bit 61 and 3.11's soft-dirty bit 55 are not modelled: no profile).
 *   - 4.2+ (6.8): bit 63 present, 62 swapped, 61 file page or shared anonymous, 56 mapped
 *     exclusively (mapcount 1), 55 soft-dirty (CONFIG_MEM_SOFT_DIRTY: not built in the profiles, so
 *     always 0), bits 0-54 the PFN, shown only to readers with CAP_SYS_ADMIN (4.0-4.1 refused
 *     others at open). VM_PFNMAP VMAs read as holes (walk_page_range skips them).
 *   Reads must be 8-byte aligned in position and size (-EINVAL), as Linux requires.
 *
 * Locking: the target mm's mmap_lock (mmap_sem) for read while VMAs and page tables are walked,
 * each PTE table under its lock; the output goes to a kernel buffer and is copied to user space
 * (copy_to_user, which may fault) after the lock is dropped, as seq_read and 6.8's pagemap_read do.
 *
 * Reading maps at any position behaves like seq_read after an lseek: the lines are produced from
 * the first VMA and the bytes before *ppos skipped, so a read that stopped inside a line continues
 * with the rest of it. (Linux keeps a per-open buffer and, in 6.8, resumes at the last VMA shown;
 * the two differ only when the VMA set changes between two partial reads.)
 *
 * The two entry points are declared in <linux/proc_fs.h>; fs/proc/base.c's file operations call
 * them with the task of the /proc/PID directory. */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/spinlock.h>
#include <linux/rwsem.h>
#include <linux/uaccess.h>
#include <linux/fs.h>
#include <linux/dcache.h>
#include <linux/mount.h>
#include <linux/path.h>
#include <linux/kdev_t.h>
#include <linux/ptrace.h>
#include <linux/proc_fs.h>

#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 8, 0)
#define proc_mmap_read_lock(mm) mmap_read_lock(mm)
#define proc_mmap_read_unlock(mm) mmap_read_unlock(mm)
#else
#define proc_mmap_read_lock(mm) down_read(&(mm)->mmap_sem)
#define proc_mmap_read_unlock(mm) up_read(&(mm)->mmap_sem)
#endif

/*
 * Stands in for the reader's CAP_SYS_ADMIN (file_ns_capable) until Faultline has credentials:
 * 0, the default, is an unprivileged reader, as the differential tests run on Linux.
 */
int proc_pagemap_cap_sys_admin;

/*
 * The task's mm with an mm_users reference (get_task_mm: none for a kernel thread from 2.6.27),
 * or NULL: then maps is empty and pagemap reads nothing.
 */
static struct mm_struct *proc_get_task_mm(struct task_struct *task)
{
	struct mm_struct *mm = task->mm;

	if (!mm)
		return NULL;
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 27)
	if (task->flags & PF_KTHREAD)
		return NULL;
#endif
	if (!atomic_inc_not_zero(&mm->mm_users))
		return NULL;
	return mm;
}

/* ---- /proc/PID/maps ---- */

/* One line being formatted: the seq_file buffer of one record, with seq_setwidth's column. */
struct maps_line {
	char *buf;
	int size;
	int count;
	int pad_until;
};

/* Room for the header, a path of PATH_MAX bytes (some escaped) and the newline. */
#define MAPS_LINE_SIZE (2 * PAGE_SIZE)
/* The column where names start, minus one: 25 + sizeof(void *) * 6 - 1 (seq_setwidth). */
#define MAPS_NAME_COLUMN (25 + sizeof(void *) * 6 - 1)

static void maps_putc(struct maps_line *m, char c)
{
	if (m->count < m->size)
		m->buf[m->count++] = c;
}

static void maps_puts(struct maps_line *m, const char *s)
{
	while (*s)
		maps_putc(m, *s++);
}

/* seq_put_hex_ll: `delimiter`, then `v` in lower-case hex, zero-padded to `width` digits. */
static void maps_put_hex(struct maps_line *m, const char *delimiter, unsigned long long v, unsigned int width)
{
	char digits[16];
	unsigned int n = 0;

	if (delimiter)
		maps_puts(m, delimiter);
	do {
		digits[n++] = "0123456789abcdef"[v & 0xf];
		v >>= 4;
	} while (v);
	while (width > n) {
		maps_putc(m, '0');
		width--;
	}
	while (n)
		maps_putc(m, digits[--n]);
}

/* seq_put_decimal_ull: `delimiter`, then `v` in decimal. */
static void maps_put_decimal(struct maps_line *m, const char *delimiter, unsigned long long v)
{
	char digits[20];
	unsigned int n = 0;

	if (delimiter)
		maps_puts(m, delimiter);
	do {
		digits[n++] = '0' + (char)(v % 10);
		v /= 10;
	} while (v);
	while (n)
		maps_putc(m, digits[--n]);
}

/* seq_pad: spaces up to the name column, then `c` (2.6's pad_len_spaces prints the same). */
static void maps_pad(struct maps_line *m, char c)
{
	while (m->count < m->pad_until)
		maps_putc(m, ' ');
	if (c)
		maps_putc(m, c);
}

/*
 * d_path(): the path of `file` from the root of the mount tree, written at the end of buf (NUL
 * terminated); " (deleted)" follows the name of an unlinked dentry. A mount attached nowhere (the
 * internal shmem mount of shared anonymous memory) is its own root. NULL when it does not fit.
 * Called with dcache_lock held (2.6's __d_path; 6.8 walks under rename_lock).
 */
static char *proc_maps_d_path(struct file *file, char *buf, int buflen)
{
	struct dentry *dentry = file->f_path.dentry;
	struct vfsmount *mnt = file->f_path.mnt;
	char *end = buf + buflen;
	char *p = end;
	char *names;

	*--p = '\0';
	if (!IS_ROOT(dentry) && d_unhashed(dentry)) {
		if (p - buf < 10)
			return NULL;
		p -= 10;
		memcpy(p, " (deleted)", 10);
	}
	names = p;
	for (;;) {
		unsigned int len;

		if (IS_ROOT(dentry) || (mnt && dentry == mnt->mnt_root)) {
			/* Global root (or a detached mount's root) reached? */
			if (!mnt || mnt->mnt_parent == mnt || !mnt->mnt_parent)
				break;
			dentry = mnt->mnt_mountpoint;
			mnt = mnt->mnt_parent;
			continue;
		}
		len = dentry->d_name.len;
		if (p - buf < (long)len + 1)
			return NULL;
		p -= len;
		memcpy(p, dentry->d_name.name, len);
		*--p = '/';
		dentry = dentry->d_parent;
	}
	if (p == names) {
		if (p == buf)
			return NULL;
		*--p = '/';
	}
	return p;
}

/* seq_file_path(m, file, "\n"): the path, a newline in it printed as \012 (mangle_path). */
static void maps_file_path(struct maps_line *m, struct file *file)
{
	char *scratch = kmalloc(PATH_MAX + 16, GFP_KERNEL);
	char *path;

	if (!scratch)
		return;
	spin_lock(&dcache_lock);
	path = proc_maps_d_path(file, scratch, PATH_MAX + 16);
	spin_unlock(&dcache_lock);
	for (; path && *path; path++) {
		if (*path == '\n') {
			maps_putc(m, '\\');
			maps_putc(m, '0' + ((*path & 0300) >> 6));
			maps_putc(m, '0' + ((*path & 070) >> 3));
			maps_putc(m, '0' + (*path & 07));
		} else {
			maps_putc(m, *path);
		}
	}
	kfree(scratch);
}

/* Is this the heap (the VMA brk grows), by the era's test? */
static bool maps_vma_is_heap(struct vm_area_struct *vma, struct mm_struct *mm)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 39)
	/* 0db0c01b53a: a heap merged with bss or split still counts (6.8 vma_is_initial_heap). */
	return vma->vm_start < mm->brk && vma->vm_end > mm->start_brk;
#else
	return vma->vm_start <= mm->start_brk && vma->vm_end >= mm->brk;
#endif
}

/* show_map_vma: formats the line of one VMA; returns its length. */
static int show_map_vma(struct maps_line *m, struct vm_area_struct *vma)
{
	struct mm_struct *mm = vma->vm_mm;
	struct file *file = vma->vm_file;
	unsigned long flags = vma->vm_flags;
	unsigned long ino = 0;
	unsigned long long pgoff = 0;
	dev_t dev = 0;
	const char *name = NULL;

	if (file) {
		struct inode *inode = file_inode(file);

		dev = inode->i_sb->s_dev;
		ino = inode->i_ino;
		pgoff = ((unsigned long long)vma->vm_pgoff) << PAGE_SHIFT;
	}
#if LINUX_VERSION_CODE < KERNEL_VERSION(2, 6, 30)
	/* Before 6260a4b0521 the offset was printed for every VMA, anonymous ones included. */
	pgoff = ((unsigned long long)vma->vm_pgoff) << PAGE_SHIFT;
#endif

	m->count = 0;
	m->pad_until = MAPS_NAME_COLUMN;
	maps_put_hex(m, NULL, vma->vm_start, 8);
	maps_put_hex(m, "-", vma->vm_end, 8);
	maps_putc(m, ' ');
	maps_putc(m, flags & VM_READ ? 'r' : '-');
	maps_putc(m, flags & VM_WRITE ? 'w' : '-');
	maps_putc(m, flags & VM_EXEC ? 'x' : '-');
	maps_putc(m, flags & VM_MAYSHARE ? 's' : 'p');
	maps_put_hex(m, " ", pgoff, 8);
	maps_put_hex(m, " ", MAJOR(dev), 2);
	maps_put_hex(m, ":", MINOR(dev), 2);
	maps_put_decimal(m, " ", ino);
	maps_putc(m, ' ');

	/*
	 * Print the dentry name for named mappings, and a
	 * special [heap] marker for the heap:
	 */
	if (file) {
		maps_pad(m, ' ');
		maps_file_path(m, file);
		goto done;
	}
#if LINUX_VERSION_CODE >= KERNEL_VERSION(3, 16, 0)
	if (vma->vm_ops && vma->vm_ops->name) {
		name = vma->vm_ops->name(vma);
		if (name)
			goto done;
	}
#endif
	if (!mm)
		name = "[vdso]";
	else if (maps_vma_is_heap(vma, mm))
		name = "[heap]";
	else if (vma->vm_start <= mm->start_stack && vma->vm_end >= mm->start_stack)
		name = "[stack]";
done:
	if (name) {
		maps_pad(m, ' ');
		maps_puts(m, name);
	}
	maps_putc(m, '\n');
	return m->count;
}

/*
 * Formats the lines from the first VMA, keeping the bytes from `pos` on, up to `want` bytes, in
 * `out`. Called with mmap_lock held. Returns the bytes kept (fewer than `want` at the end).
 */
static size_t maps_fill(struct mm_struct *mm, struct maps_line *m, loff_t pos, char *out, size_t want)
{
	struct vm_area_struct *vma;
	loff_t offset = 0;	/* file position of the current line */
	size_t filled = 0;

	for (vma = mm->mmap; vma && filled < want; vma = vma->vm_next) {
		int len = show_map_vma(m, vma);

		if (offset + len > pos) {
			size_t from = (size_t)(pos - offset);
			size_t n = len - from;

			if (n > want - filled)
				n = want - filled;
			memcpy(out + filled, m->buf + from, n);
			filled += n;
			pos += n;
		}
		offset += len;
	}
	return filled;
}

ssize_t proc_pid_maps_read(struct task_struct *task, char __user *buf, size_t count, loff_t *ppos)
{
	struct mm_struct *mm;
	struct maps_line m;
	char *kbuf;
	size_t copied = 0;
	ssize_t err = 0;

	if (*ppos < 0)
		return -EINVAL;
	if (!count)
		return 0;
	mm = proc_get_task_mm(task);
	if (!mm)
		return 0;
	kbuf = kmalloc(PAGE_SIZE, GFP_KERNEL);
	m.buf = kmalloc(MAPS_LINE_SIZE, GFP_KERNEL);
	m.size = MAPS_LINE_SIZE;
	if (!kbuf || !m.buf) {
		err = -ENOMEM;
		goto out;
	}
	while (copied < count) {
		size_t want = count - copied;
		size_t filled;

		if (want > PAGE_SIZE)
			want = PAGE_SIZE;
		proc_mmap_read_lock(mm);
		filled = maps_fill(mm, &m, *ppos + copied, kbuf, want);
		proc_mmap_read_unlock(mm);
		if (!filled)
			break;
		if (copy_to_user(buf + copied, kbuf, filled)) {
			err = -EFAULT;
			break;
		}
		copied += filled;
		if (filled < want)
			break;
	}
	*ppos += copied;
out:
	kfree(m.buf);
	kfree(kbuf);
	mmput(mm);
	return copied ? (ssize_t)copied : err;
}

/* ---- /proc/PID/pagemap ---- */

#define PM_ENTRY_BYTES sizeof(u64)
#define PAGEMAP_WALK_SIZE PMD_SIZE
#define PAGEMAP_WALK_MASK PMD_MASK

#if LINUX_VERSION_CODE >= KERNEL_VERSION(4, 2, 0)
#define PM_PFRAME_BITS 55
#define PM_PFRAME_MASK ((1ULL << PM_PFRAME_BITS) - 1)
#define PM_SOFT_DIRTY (1ULL << 55)
#define PM_MMAP_EXCLUSIVE (1ULL << 56)
#define PM_FILE (1ULL << 61)
#define PM_SWAP (1ULL << 62)
#define PM_PRESENT (1ULL << 63)
/* Outside every VMA, and in a VMA where nothing is mapped (no VM_SOFTDIRTY without
 * CONFIG_MEM_SOFT_DIRTY). */
#define PM_HOLE 0ULL
#define PM_VMA_HOLE 0ULL
#else
#define PM_STATUS_BITS 3
#define PM_STATUS_OFFSET (64 - PM_STATUS_BITS)
#define PM_STATUS_MASK (((1ULL << PM_STATUS_BITS) - 1) << PM_STATUS_OFFSET)
#define PM_STATUS(nr) (((nr) << PM_STATUS_OFFSET) & PM_STATUS_MASK)
#define PM_PSHIFT_BITS 6
#define PM_PSHIFT_OFFSET (PM_STATUS_OFFSET - PM_PSHIFT_BITS)
#define PM_PSHIFT_MASK (((1ULL << PM_PSHIFT_BITS) - 1) << PM_PSHIFT_OFFSET)
#define PM_PSHIFT(x) (((u64)(x) << PM_PSHIFT_OFFSET) & PM_PSHIFT_MASK)
#define PM_PFRAME_MASK ((1ULL << PM_PSHIFT_OFFSET) - 1)
#define PM_PRESENT PM_STATUS(4ULL)
#define PM_SWAP PM_STATUS(2ULL)
#define PM_NOT_PRESENT PM_PSHIFT(PAGE_SHIFT)
#define PM_HOLE PM_NOT_PRESENT
#define PM_VMA_HOLE PM_NOT_PRESENT
#endif

/* One walk: the entries of at most one PMD's worth of pages. */
struct pagemapread {
	int pos, len;		/* units: PM_ENTRY_BYTES */
	u64 *buffer;
	bool show_pfn;
};

/* The entry of a PTE of `vma` (pte_to_pagemap_entry). */
static u64 pte_to_pagemap_entry(struct pagemapread *pm, struct vm_area_struct *vma, unsigned long addr, pte_t pte)
{
	u64 frame = 0, flags = 0;

#if LINUX_VERSION_CODE >= KERNEL_VERSION(4, 2, 0)
	struct page *page = NULL;

	if (pte_present(pte)) {
		if (pm->show_pfn)
			frame = pte_pfn(pte);
		flags |= PM_PRESENT;
		page = vm_normal_page(vma, addr, pte);
	} else if (!pte_none(pte)) {
		/* A swap entry (Faultline has no swap: its PTEs are present or none). */
		flags |= PM_SWAP;
	}
	if (page && !PageAnon(page))
		flags |= PM_FILE;
	if (page && page_mapcount(page) == 1)
		flags |= PM_MMAP_EXCLUSIVE;
	return (frame & PM_PFRAME_MASK) | flags;
#else
	(void)pm;
	(void)vma;
	(void)addr;
	if (pte_present(pte)) {
		frame = pte_pfn(pte);
		flags = PM_PSHIFT(PAGE_SHIFT) | PM_PRESENT;
	} else if (!pte_none(pte)) {
		flags = PM_PSHIFT(PAGE_SHIFT) | PM_SWAP;
	} else {
		return PM_NOT_PRESENT;
	}
	return (frame & PM_PFRAME_MASK) | flags;
#endif
}

/* The locked PTE of `addr` when a PTE table covers it, else NULL (no table is allocated). */
static pte_t *pagemap_pte_table(struct mm_struct *mm, unsigned long addr, spinlock_t **ptlp)
{
	pgd_t *pgd = pgd_offset(mm, addr);
	pud_t *pud;
	pmd_t *pmd;

	if (pgd_none(*pgd) || unlikely(pgd_bad(*pgd)))
		return NULL;
	pud = pud_offset(pgd, addr);
	if (pud_none(*pud) || unlikely(pud_bad(*pud)))
		return NULL;
	pmd = pmd_offset(pud, addr);
	if (pmd_none(*pmd) || unlikely(pmd_bad(*pmd)))
		return NULL;
	return pte_offset_map_lock(mm, pmd, addr, ptlp);
}

/*
 * Fills pm->buffer with the entries of [start, end), which lie in one PMD (walk_page_range with
 * pagemap's pte_hole and pmd_entry). Called with mmap_lock held.
 */
static void pagemap_walk(struct mm_struct *mm, struct pagemapread *pm, unsigned long start, unsigned long end)
{
	struct vm_area_struct *vma = find_vma(mm, start);
	spinlock_t *ptl;
	pte_t *ptep = pagemap_pte_table(mm, start, &ptl);
	unsigned long addr;

	for (addr = start; addr < end; addr += PAGE_SIZE) {
		u64 pme;

		while (vma && addr >= vma->vm_end)
			vma = vma->vm_next;
		if (!vma || addr < vma->vm_start)
			pme = PM_HOLE;
		else if (!ptep)
			pme = PM_VMA_HOLE;
#if LINUX_VERSION_CODE >= KERNEL_VERSION(4, 2, 0)
		else if (vma->vm_flags & VM_PFNMAP)
			/* walk_page_test: PFN maps are reported as holes, whatever their PTEs. */
			pme = PM_VMA_HOLE;
#endif
		else
			pme = pte_to_pagemap_entry(pm, vma, addr, ptep_get(ptep + ((addr - start) >> PAGE_SHIFT)));
		pm->buffer[pm->pos++] = pme;
	}
	if (ptep)
		pte_unmap_unlock(ptep, ptl);
}

ssize_t proc_pid_pagemap_read(struct task_struct *task, char __user *buf, size_t count, loff_t *ppos)
{
#if LINUX_VERSION_CODE < KERNEL_VERSION(2, 6, 25)
	/* /proc/PID/pagemap arrived in 2.6.25. */
	(void)task;
	(void)buf;
	(void)count;
	(void)ppos;
	return -ENOENT;
#else
	struct mm_struct *mm;
	struct pagemapread pm;
	unsigned long src;
	unsigned long svpfn;
	unsigned long start_vaddr;
	unsigned long end_vaddr;
	ssize_t ret = 0;
	size_t copied = 0;

#if LINUX_VERSION_CODE >= KERNEL_VERSION(4, 0, 0) && LINUX_VERSION_CODE < KERNEL_VERSION(4, 2, 0)
	/* ab676b7d6fbf: only CAP_SYS_ADMIN could open pagemap. */
	if (!proc_pagemap_cap_sys_admin)
		return -EPERM;
#endif
	mm = proc_get_task_mm(task);
	if (!mm)
		return 0;
	ret = -EINVAL;
	/* file position must be aligned */
	if ((*ppos % PM_ENTRY_BYTES) || (count % PM_ENTRY_BYTES))
		goto out_mm;
	ret = 0;
	if (!count)
		goto out_mm;

#if LINUX_VERSION_CODE >= KERNEL_VERSION(4, 2, 0)
	/* do not disclose physical addresses: attack vector */
	pm.show_pfn = proc_pagemap_cap_sys_admin != 0;
#else
	pm.show_pfn = true;
#endif
	pm.len = PAGEMAP_WALK_SIZE >> PAGE_SHIFT;
	pm.buffer = kmalloc_array(pm.len, PM_ENTRY_BYTES, GFP_KERNEL);
	ret = -ENOMEM;
	if (!pm.buffer)
		goto out_mm;

	src = *ppos;
	svpfn = src / PM_ENTRY_BYTES;
	end_vaddr = mm->task_size;
	/* watch out for wraparound */
	start_vaddr = end_vaddr;
	if (svpfn <= (ULONG_MAX >> PAGE_SHIFT)) {
		unsigned long end;

		start_vaddr = svpfn << PAGE_SHIFT;
		end = start_vaddr + ((count / PM_ENTRY_BYTES) << PAGE_SHIFT);
		if (end >= start_vaddr && end < mm->task_size)
			end_vaddr = end;
	}
	/* Ensure the address is inside the task */
	if (start_vaddr > mm->task_size)
		start_vaddr = end_vaddr;

	ret = 0;
	while (count && start_vaddr < end_vaddr) {
		size_t len;
		unsigned long end;

		pm.pos = 0;
		end = (start_vaddr + PAGEMAP_WALK_SIZE) & PAGEMAP_WALK_MASK;
		/* overflow ? */
		if (end < start_vaddr || end > end_vaddr)
			end = end_vaddr;
		proc_mmap_read_lock(mm);
		pagemap_walk(mm, &pm, start_vaddr, end);
		proc_mmap_read_unlock(mm);
		start_vaddr = end;

		len = PM_ENTRY_BYTES * pm.pos;
		if (len > count)
			len = count;
		if (copy_to_user(buf, pm.buffer, len)) {
			ret = -EFAULT;
			goto out_free;
		}
		copied += len;
		buf += len;
		count -= len;
	}
	*ppos += copied;
	ret = copied;
out_free:
	kfree(pm.buffer);
out_mm:
	mmput(mm);
	return ret;
#endif
}
