/* Test driver for test/unit/kernel/proc (fs/proc/task_mmu.c, mm/gup.c, kernel/ptrace.c): entry
 * points the TypeScript tests call on kernel threads of a booted machine. They build address
 * spaces and tasks the way exec and fork will (VMAs with chosen flags, a heap and a stack, file
 * VMAs whose files sit in a small hand-built dentry tree, a VM_IO|VM_PFNMAP VMA with a test
 * vm_ops->access), and wrap the calls under test so that TypeScript can pass plain numbers: a
 * kernel thread's return value reaches TypeScript as an int, so address spaces and tasks are named
 * by slot numbers (pg_mms[], pg_tasks[]). */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/err.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/mm.h>
#include <linux/ptrace.h>
#include <linux/fs.h>
#include <linux/dcache.h>
#include <linux/mount.h>
#include <linux/kdev_t.h>
#include <linux/fcntl.h>
#include <linux/uaccess.h>
#include <linux/proc_fs.h>

extern int proc_pagemap_cap_sys_admin;

#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 8, 0)
#define pg_write_lock(mm) mmap_write_lock(mm)
#define pg_write_unlock(mm) mmap_write_unlock(mm)
#define pg_read_lock(mm) mmap_read_lock(mm)
#define pg_read_unlock(mm) mmap_read_unlock(mm)
#else
#define pg_write_lock(mm) down_write(&(mm)->mmap_sem)
#define pg_write_unlock(mm) up_write(&(mm)->mmap_sem)
#define pg_read_lock(mm) down_read(&(mm)->mmap_sem)
#define pg_read_unlock(mm) up_read(&(mm)->mmap_sem)
#endif

/* ---- Address spaces and tasks ---- */

#define PG_SLOTS 4
static struct mm_struct *pg_mms[PG_SLOTS];
static struct task_struct *pg_tasks[PG_SLOTS];

/* Slot `slot` names current->mm. */
int pg_mm_current(int slot)
{
	pg_mms[slot] = current->mm;
	return current->mm ? 0 : -EINVAL;
}

/* Slot `slot` names a new empty address space. */
int pg_mm_new(int slot)
{
	pg_mms[slot] = mm_alloc();
	return pg_mms[slot] ? 0 : -ENOMEM;
}

/* The physical address of the slot's pgd (what CR3 takes). */
unsigned long pg_mm_pgd_phys(int slot)
{
	return __pa(pg_mms[slot]->pgd);
}

/* Slot `slot` names a new user task with thread id `pid` (its own thread group) on the address
 * space of slot `mm_slot` (-1: none), linked on the task list. */
int pg_task_new(int slot, int pid, int mm_slot)
{
	struct task_struct *t = kzalloc(sizeof(*t), GFP_KERNEL);
	struct mm_struct *mm = mm_slot >= 0 ? pg_mms[mm_slot] : NULL;

	if (!t)
		return -ENOMEM;
	t->__state = TASK_RUNNING;
	t->pid = pid;
	t->tgid = pid;
	t->on_cpu = -1;
	t->real_parent = &init_task;
	t->parent = &init_task;
	t->group_leader = t;
	INIT_LIST_HEAD(&t->children);
	INIT_LIST_HEAD(&t->sibling);
	INIT_LIST_HEAD(&t->thread_group);
	t->sighand = alloc_sighand();
	t->signal = alloc_signal();
	init_sigpending(&t->pending);
	atomic_set(&t->usage, 1);
	if (mm)
		atomic_inc(&mm->mm_users);
	t->mm = mm;
	t->active_mm = mm;
	list_add_tail(&t->tasks, &init_task.tasks);
	pg_tasks[slot] = t;
	return 0;
}

long pg_task_state(int slot)
{
	return pg_tasks[slot]->__state;
}

/* 1 when a SIGSTOP is queued for the task (what PTRACE_ATTACH sends). */
int pg_task_stop_pending(int slot)
{
	return (pg_tasks[slot]->pending.signal.sig[0] & sigmask(SIGSTOP)) != 0;
}

void pg_task_set_state(int slot, long state)
{
	pg_tasks[slot]->__state = state;
}

/* 1 when the task's tracer is current, 0 when it has none, -1 otherwise. */
int pg_task_traced_by_current(int slot)
{
	struct task_struct *tracer = pg_tasks[slot]->ptrace_parent;

	return tracer == current ? 1 : tracer ? -1 : 0;
}

/* Links a new VMA into `mm` (0), or frees it and returns -errno. */
static long pg_insert(struct mm_struct *mm, struct vm_area_struct *vma)
{
	long err;

	pg_write_lock(mm);
	err = insert_vm_struct(mm, vma);
	pg_write_unlock(mm);
	if (err)
		vm_area_free(vma);
	return err;
}

static struct vm_area_struct *pg_vma(struct mm_struct *mm, unsigned long start, unsigned long len, unsigned long flags,
	unsigned long pgoff)
{
	struct vm_area_struct *vma = vm_area_alloc(mm);

	if (!vma)
		return NULL;
	vma->vm_start = start;
	vma->vm_end = start + len;
	vma->vm_flags = flags;
	vma->vm_page_prot = vm_get_page_prot(flags);
	vma->vm_pgoff = pgoff;
	return vma;
}

/* A VMA [start, start + len) with `flags` (and vm_page_prot from them) and `pgoff`: 0 or -errno. */
long pg_map(int mm_slot, unsigned long start, unsigned long len, unsigned long flags, unsigned long pgoff)
{
	struct mm_struct *mm = pg_mms[mm_slot];
	struct vm_area_struct *vma = pg_vma(mm, start, len, flags, pgoff);

	return vma ? pg_insert(mm, vma) : -ENOMEM;
}

void pg_set_layout(int mm_slot, unsigned long start_brk, unsigned long brk, unsigned long start_stack)
{
	struct mm_struct *mm = pg_mms[mm_slot];

	mm->start_brk = start_brk;
	mm->brk = brk;
	mm->start_stack = start_stack;
}

/* ---- A device mapping: VM_IO | VM_PFNMAP, backed by pg_device, with ->access (2.6.27+) ---- */

/* Two pages of "device memory" (RAM the device model owns), allocated by pg_map_device. */
static unsigned char *pg_device;
int pg_access_calls;
unsigned long pg_access_last_addr;

unsigned long pg_device_byte(unsigned long offset)
{
	return pg_device[offset];
}

void pg_device_set(unsigned long offset, unsigned long value)
{
	pg_device[offset] = (unsigned char)value;
}

#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 27)
/* As a driver's ->access: copy between buf and the device memory behind the VMA (generic_access_phys
 * reaches it through the PTE; this one knows its backing directly, as spufs's does). */
static int pg_device_access(struct vm_area_struct *vma, unsigned long addr, void *buf, int len, int write)
{
	unsigned long offset;

	pg_access_calls++;
	pg_access_last_addr = addr;
	if (addr < vma->vm_start || addr >= vma->vm_end)
		return -EFAULT;
	offset = addr - vma->vm_start;
	if (len > (int)(vma->vm_end - addr))
		len = vma->vm_end - addr;
	if (write)
		memcpy(pg_device + offset, buf, len);
	else
		memcpy(buf, pg_device + offset, len);
	return len;
}
#endif

static const struct vm_operations_struct pg_device_vm_ops = {
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 27)
	.access = pg_device_access,
#endif
};

/* Maps pg_device (two pages) at `start`, every PTE filled as remap_pfn_range would. */
long pg_map_device(int mm_slot, unsigned long start)
{
	struct mm_struct *mm = pg_mms[mm_slot];
	struct vm_area_struct *vma;
	unsigned long i;
	long err;

	if (!pg_device) {
		struct page *pages = alloc_pages(GFP_KERNEL | __GFP_ZERO, 1);

		if (!pages)
			return -ENOMEM;
		pg_device = page_address(pages);
	}
	vma = pg_vma(mm, start, 2 * PAGE_SIZE, VM_READ | VM_WRITE | VM_SHARED | VM_MAYREAD | VM_MAYWRITE |
		VM_MAYSHARE | VM_IO | VM_PFNMAP, virt_to_pfn(pg_device));
	if (!vma)
		return -ENOMEM;
	vma->vm_ops = &pg_device_vm_ops;
	err = pg_insert(mm, vma);
	if (err)
		return err;
	for (i = 0; i < 2; i++) {
		unsigned long addr = start + i * PAGE_SIZE;
		spinlock_t *ptl;
		pte_t *pte = get_locked_pte(mm, addr, &ptl);
		pte_t entry;

		if (!pte)
			return -ENOMEM;
		entry = pfn_pte(virt_to_pfn(pg_device) + i, vma->vm_page_prot);
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 26)
		entry = pte_mkspecial(entry);
#endif
		set_pte_at(mm, addr, pte, entry);
		pte_unmap_unlock(pte, ptl);
	}
	return 0;
}

unsigned long pg_device_pfn(void)
{
	return virt_to_pfn(pg_device);
}

/* ---- Files for file VMAs: a dentry tree with a mount, built by hand ---- */

static struct super_block pg_sb;
static struct vfsmount pg_root_mnt, pg_tmp_mnt, pg_shm_mnt;
static struct dentry pg_root, pg_tmp_mountpoint, pg_tmp_root, pg_shm_root;
static struct dentry pg_file_dentry[3];
static struct inode pg_inode[3];
static struct file pg_file[3];

static size_t strlen_kc(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

static void pg_dentry(struct dentry *d, struct dentry *parent, const char *name, struct inode *inode)
{
	d->d_parent = parent ? parent : d;
	d->d_name.name = (const unsigned char *)name;
	d->d_name.len = strlen_kc(name);
	d->d_inode = inode;
	atomic_set(&d->d_count, 1);
	INIT_LIST_HEAD(&d->d_child);
	INIT_LIST_HEAD(&d->d_subdirs);
	if (parent)
		list_add_tail(&d->d_child, &parent->d_subdirs);
}

static void pg_mount(struct vfsmount *mnt, struct dentry *root, struct vfsmount *parent, struct dentry *mountpoint)
{
	mnt->mnt_root = root;
	mnt->mnt_sb = &pg_sb;
	mnt->mnt_parent = parent ? parent : mnt;
	mnt->mnt_mountpoint = mountpoint ? mountpoint : root;
	atomic_set(&mnt->mnt_count, 1);
	INIT_LIST_HEAD(&mnt->mnt_list);
}

/*
 * / (pg_root_mnt) with /tmp a mount point of pg_tmp_mnt, which holds "fl-maps" and "a\nb"; and
 * pg_shm_mnt, attached nowhere, holding "dev/zero" unhashed (shmem_zero_setup's file). Files 0, 1
 * and 2 are /tmp/fl-maps, /dev/zero and /tmp/a\nb; their inodes are 4242, 7 and 99 on device
 * 00:`minor`.
 */
void pg_files_init(unsigned int minor)
{
	static const char *names[3] = { "fl-maps", "dev/zero", "a\nb" };
	static const unsigned long inos[3] = { 4242, 7, 99 };
	int i;

	pg_sb.s_dev = MKDEV(0, minor);
	pg_dentry(&pg_root, NULL, "/", NULL);
	pg_dentry(&pg_tmp_mountpoint, &pg_root, "tmp", NULL);
	pg_dentry(&pg_tmp_root, NULL, "/", NULL);
	pg_dentry(&pg_shm_root, NULL, "/", NULL);
	pg_mount(&pg_root_mnt, &pg_root, NULL, NULL);
	pg_mount(&pg_tmp_mnt, &pg_tmp_root, &pg_root_mnt, &pg_tmp_mountpoint);
	pg_mount(&pg_shm_mnt, &pg_shm_root, NULL, NULL);
	for (i = 0; i < 3; i++) {
		struct inode *inode = &pg_inode[i];
		struct address_space *mapping = &inode->i_data;

		inode->i_ino = inos[i];
		inode->i_sb = &pg_sb;
		atomic_set(&inode->i_count, 1);
		mapping->host = inode;
		INIT_LIST_HEAD(&mapping->i_mmap);
#if LINUX_VERSION_CODE >= KERNEL_VERSION(3, 19, 0)
		init_rwsem(&mapping->i_mmap_rwsem);
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(3, 0, 0)
		mutex_init(&mapping->i_mmap_mutex);
#else
		spin_lock_init(&mapping->i_mmap_lock);
#endif
		inode->i_mapping = mapping;
		pg_dentry(&pg_file_dentry[i], i == 1 ? NULL : &pg_tmp_root, names[i], inode);
		if (i == 1) {
			/* A pseudo dentry: parent is the mount's root, but it is on no list (unhashed). */
			pg_file_dentry[i].d_parent = &pg_shm_root;
		}
		pg_file[i].f_path.dentry = &pg_file_dentry[i];
		pg_file[i].f_path.mnt = i == 1 ? &pg_shm_mnt : &pg_tmp_mnt;
		pg_file[i].f_inode = inode;
		pg_file[i].f_mapping = mapping;
		atomic_long_set(&pg_file[i].f_count, 1);
	}
}

/* Unlinks file `i` from its directory (d_delete of a dentry in use: unhashed). */
void pg_file_unlink(int i)
{
	list_del_init(&pg_file_dentry[i].d_child);
}

long pg_map_file(int mm_slot, unsigned long start, unsigned long len, unsigned long flags, unsigned long pgoff, int i)
{
	struct mm_struct *mm = pg_mms[mm_slot];
	struct vm_area_struct *vma = pg_vma(mm, start, len, flags, pgoff);

	if (!vma)
		return -ENOMEM;
	vma->vm_file = get_file(&pg_file[i]);
	return pg_insert(mm, vma);
}

/* ---- Files of the real VFS: tmpfs through vfs_caches_init's mount tree ---- */

/* fs/namei.c */
long do_unlinkat(int dfd, const char *name, int rmdir);

static struct file *pg_real_file;

/* Sets up the dentry/inode caches and the mount tree (/, /tmp, /proc, /dev, the shmem mount). */
void pg_vfs_init(void)
{
	vfs_caches_init();
}

/* MAP_SHARED|MAP_ANONYMOUS as mmap_region does it: shmem_zero_setup gives the VMA its "dev/zero"
 * tmpfs file before the VMA is linked. 0 or -errno. */
long pg_map_shared_anon(int mm_slot, unsigned long start, unsigned long len, unsigned long flags)
{
	struct mm_struct *mm = pg_mms[mm_slot];
	struct vm_area_struct *vma = pg_vma(mm, start, len, flags, 0);
	long err;

	if (!vma)
		return -ENOMEM;
	err = shmem_zero_setup(vma);
	if (err) {
		vm_area_free(vma);
		return err;
	}
	return pg_insert(mm, vma);
}

/* Maps /tmp/fl-real (created on first use). 0 or -errno. */
long pg_map_tmp_file(int mm_slot, unsigned long start, unsigned long len, unsigned long flags, unsigned long pgoff)
{
	struct mm_struct *mm = pg_mms[mm_slot];
	struct vm_area_struct *vma;

	if (!pg_real_file) {
		struct file *file = filp_open("/tmp/fl-real", O_RDWR | O_CREAT, 0600);

		if (IS_ERR(file))
			return PTR_ERR(file);
		pg_real_file = file;
	}
	vma = pg_vma(mm, start, len, flags, pgoff);
	if (!vma)
		return -ENOMEM;
	vma->vm_file = get_file(pg_real_file);
	return pg_insert(mm, vma);
}

long pg_unlink_tmp_file(void)
{
	return do_unlinkat(AT_FDCWD, "/tmp/fl-real", 0);
}

/* The device number and inode of /tmp/fl-real. */
unsigned long pg_tmp_file_dev(void)
{
	return file_inode(pg_real_file)->i_sb->s_dev;
}

unsigned long pg_tmp_file_ino(void)
{
	return file_inode(pg_real_file)->i_ino;
}

/* ---- /proc/PID/maps and pagemap, with the file position kept here ---- */

static loff_t pg_pos;

void pg_seek(long pos)
{
	pg_pos = pos;
}

long pg_tell(void)
{
	return pg_pos;
}

long pg_maps_read(int task_slot, unsigned long ubuf, unsigned long count)
{
	return proc_pid_maps_read(pg_tasks[task_slot], (char __user *)ubuf, count, &pg_pos);
}

long pg_pagemap_read(int task_slot, unsigned long ubuf, unsigned long count)
{
	return proc_pid_pagemap_read(pg_tasks[task_slot], (char __user *)ubuf, count, &pg_pos);
}

void pg_set_cap_sys_admin(int on)
{
	proc_pagemap_cap_sys_admin = on;
}

/* ---- GUP ---- */

#define PG_MAX_PAGES 8
static struct page *pg_pages[PG_MAX_PAGES];
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 5, 0)
static struct vm_area_struct *pg_vmas[PG_MAX_PAGES];
#endif

/* get_user_pages on `mm` as the era spells it: the number of pages, or -errno. */
long pg_gup(int mm_slot, unsigned long start, long nr, int write, int force)
{
	struct mm_struct *mm = pg_mms[mm_slot];
	long ret;
	int i;

	for (i = 0; i < PG_MAX_PAGES; i++)
		pg_pages[i] = NULL;
	if (nr > PG_MAX_PAGES)
		return -EINVAL;
	pg_read_lock(mm);
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 5, 0)
	ret = get_user_pages_remote(mm, start, nr, (write ? FOLL_WRITE : 0) | (force ? FOLL_FORCE : 0), pg_pages, NULL);
#else
	ret = get_user_pages(current, mm, start, (int)nr, write, force, pg_pages, pg_vmas);
#endif
	pg_read_unlock(mm);
	return ret;
}

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 5, 0)
/* 2.6 GUP also hands back each page's VMA: 1 when vmas[i] contains `addr`. */
int pg_gup_vma_contains(int i, unsigned long addr)
{
	return pg_vmas[i] && pg_vmas[i]->vm_start <= addr && addr < pg_vmas[i]->vm_end;
}
#endif

unsigned long pg_gup_pfn(int i)
{
	return page_to_pfn(pg_pages[i]);
}

/* Releases the references GUP took. */
void pg_gup_put(int i)
{
	put_page(pg_pages[i]);
	pg_pages[i] = NULL;
}

/* The word at `offset` of a pinned page, through the direct map (the page's current contents). */
unsigned long pg_gup_word(int i, unsigned long offset)
{
	return *(unsigned long *)((char *)page_address(pg_pages[i]) + offset);
}

long pg_page_count(unsigned long pfn)
{
	return page_count(pfn_to_page(pfn));
}

long pg_page_mapcount(unsigned long pfn)
{
	return page_mapcount(pfn_to_page(pfn));
}

/* follow_page as GUP calls it: the PFN, -1 for NULL, or the error of an ERR_PTR. */
long pg_follow_page(int mm_slot, unsigned long addr, unsigned int flags)
{
	struct mm_struct *mm = pg_mms[mm_slot];
	struct vm_area_struct *vma;
	struct page *page;
	long ret;

	pg_read_lock(mm);
	vma = find_vma(mm, addr);
	page = vma ? follow_page(vma, addr, flags) : NULL;
	if (!page)
		ret = -1;
	else if (IS_ERR(page))
		ret = PTR_ERR(page);
	else
		ret = page_to_pfn(page);
	if (page && !IS_ERR(page) && (flags & FOLL_GET))
		put_page(page);
	pg_read_unlock(mm);
	return ret;
}

/* The era's FOLL_* value: 0 FOLL_WRITE, 1 FOLL_GET, else FOLL_TOUCH. */
unsigned int pg_foll(int which)
{
	switch (which) {
	case 0:
		return FOLL_WRITE;
	case 1:
		return FOLL_GET;
	default:
		return FOLL_TOUCH;
	}
}

/* Zaps the page at `addr` as madvise(MADV_DONTNEED) does (zap_page_range, mmap_lock held for
 * read): the PTE goes, with the mapping's reference and mapcount. 0, or -EFAULT without a VMA. */
long pg_zap(int mm_slot, unsigned long addr)
{
	struct mm_struct *mm = pg_mms[mm_slot];
	struct vm_area_struct *vma;

	pg_read_lock(mm);
	vma = find_vma(mm, addr);
	if (!vma || addr < vma->vm_start) {
		pg_read_unlock(mm);
		return -EFAULT;
	}
	zap_page_range(vma, addr & PAGE_MASK, PAGE_SIZE);
	pg_read_unlock(mm);
	return 0;
}

/* ---- access_process_vm ---- */

static unsigned char pg_kbuf[3 * PAGE_SIZE];

unsigned long pg_kbuf_byte(unsigned long i)
{
	return pg_kbuf[i];
}

void pg_kbuf_fill(unsigned long len, unsigned long seed)
{
	unsigned long i;

	for (i = 0; i < len; i++)
		pg_kbuf[i] = (unsigned char)(seed + i * 7);
}

long pg_access(int task_slot, unsigned long addr, long len, int write)
{
	struct task_struct *t = pg_tasks[task_slot];

#if LINUX_VERSION_CODE >= KERNEL_VERSION(4, 9, 0)
	return access_process_vm(t, addr, pg_kbuf, (int)len, FOLL_FORCE | (write ? FOLL_WRITE : 0));
#else
	return access_process_vm(t, addr, pg_kbuf, (int)len, write);
#endif
}

long pg_sys_ptrace(long request, long pid, unsigned long addr, unsigned long data)
{
	return sys_ptrace(request, pid, addr, data);
}
