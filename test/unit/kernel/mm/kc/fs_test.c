/* Test entry points for test/unit/kernel/fs: boot of the memory manager and the VFS in the
 * harness, a file table for init_task (which has none), and probes that read VFS and page-cache
 * state (reference counts, page-cache pages) that no system call reports. */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/mm.h>
#include <linux/memblock.h>
#include <linux/slab.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/fs.h>
#include <linux/file.h>
#include <linux/fdtable.h>
#include <linux/pagemap.h>
#include <linux/shmem_fs.h>
#include <linux/mount.h>
#include <linux/namei.h>
#include <linux/err.h>
#include <linux/string.h>

/* The harness's trampoline: calls the function the test asked for, on this thread. */
long __test_invoke(void);

long __test_entry(void)
{
	return __test_invoke();
}

/* The allocators over RAM, the mount tree, and a file table for init_task (`current`). */
void fs_test_boot(unsigned long ram_bytes, unsigned long reserved)
{
	memblock_add(0, ram_bytes);
	memblock_reserve(0, reserved);
	free_area_init(ram_bytes >> PAGE_SHIFT);
	mem_init();
	kmem_cache_init();
	vfs_caches_init();
	init_task.files = alloc_files();
}

/* init_task plays a process with pid `pid` (procfs has no /proc/0). */
void fs_test_set_pid(int pid)
{
	init_task.pid = pid;
	init_task.tgid = pid;
	/* A user process, not a kernel thread (procfs shows no maps for kernel threads). */
	if (pid)
		init_task.flags &= ~PF_KTHREAD;
	else
		init_task.flags |= PF_KTHREAD;
}

/* Gives init_task the address space `mm` (its maps and pagemap are what /proc/self shows). */
void fs_test_set_mm(struct mm_struct *mm)
{
	init_task.mm = mm;
}

/* ---- Descriptors ---- */

struct files_struct *fs_test_files(void)
{
	return init_task.files;
}

void fs_test_set_files(struct files_struct *files)
{
	init_task.files = files;
}

/* fork's copy of the current table (NULL on failure). */
struct files_struct *fs_test_dup_files(void)
{
	int err;

	return dup_fd(init_task.files, &err);
}

void fs_test_put_files(struct files_struct *files)
{
	put_files_struct(files);
}

int fs_test_open_count(struct files_struct *files)
{
	return files_count_open(files);
}

/* The struct file of fd in `files`, without a reference (NULL if none). */
struct file *fs_test_file_of(struct files_struct *files, int fd)
{
	struct file *f = fget_files(files, fd);

	if (f)
		fput(f);
	return f;
}

/* ---- Objects behind a descriptor ---- */

static struct file *file_of(int fd)
{
	struct file *f = fget(fd);

	if (f)
		fput(f);
	return f;
}

long fs_test_file_count(int fd)
{
	struct file *f = file_of(fd);

	return f ? atomic_long_read(&f->f_count) : -1;
}

long fs_test_dentry_count(int fd)
{
	struct file *f = file_of(fd);

	return f ? atomic_read(&f->f_path.dentry->d_count) : -1;
}

long fs_test_inode_count(int fd)
{
	struct file *f = file_of(fd);

	return f ? atomic_read(&file_inode(f)->i_count) : -1;
}

long fs_test_nlink(int fd)
{
	struct file *f = file_of(fd);

	return f ? (long)file_inode(f)->i_nlink : -1;
}

long fs_test_nrpages(int fd)
{
	struct file *f = file_of(fd);

	return f ? (long)f->f_mapping->nrpages : -1;
}

/* The references of the cache page at `index` besides our lookup's, or -1 when not cached. */
long fs_test_page_count(int fd, unsigned long index)
{
	struct file *f = file_of(fd);
	struct page *page;
	long n;

	if (!f)
		return -2;
	page = find_get_page(f->f_mapping, index);
	if (!page)
		return -1;
	n = page_count(page) - 1;
	put_page(page);
	return n;
}

/* Flags of the cache page (PG_* bits), or -1. */
long fs_test_page_flags(int fd, unsigned long index)
{
	struct file *f = file_of(fd);
	struct page *page;
	long flags;

	if (!f)
		return -2;
	page = find_get_page(f->f_mapping, index);
	if (!page)
		return -1;
	flags = page->flags;
	put_page(page);
	return flags;
}

/* The inode number behind fd. */
long fs_test_ino(int fd)
{
	struct file *f = file_of(fd);

	return f ? (long)file_inode(f)->i_ino : -1;
}

/* The number of tmpfs pages in use on the super block of fd's file. */
long fs_test_sb_used(int fd)
{
	struct file *f = file_of(fd);

	return f ? (long)((struct shmem_sb_info *)file_inode(f)->i_sb->s_fs_info)->used_blocks : -1;
}

/* ---- Address spaces with file VMAs (mmap's bookkeeping, without do_mmap) ---- */

struct mm_struct *fs_test_new_mm(void)
{
	return mm_alloc();
}

static struct vm_area_struct *new_vma(struct mm_struct *mm, unsigned long start, unsigned long len, unsigned long flags, unsigned long pgoff)
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

#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 8, 0)
#define test_mmap_lock(mm) mmap_write_lock(mm)
#define test_mmap_unlock(mm) mmap_write_unlock(mm)
#else
#define test_mmap_lock(mm) down_write(&(mm)->mmap_sem)
#define test_mmap_unlock(mm) up_write(&(mm)->mmap_sem)
#endif

/* A VMA mapping fd's file at pgoff through its ->mmap; the VMA or NULL. */
struct vm_area_struct *fs_test_map_file(struct mm_struct *mm, int fd, unsigned long start, unsigned long len, unsigned long flags, unsigned long pgoff)
{
	struct file *file = fget(fd);
	struct vm_area_struct *vma;

	if (!file)
		return NULL;
	vma = new_vma(mm, start, len, flags, pgoff);
	if (!vma) {
		fput(file);
		return NULL;
	}
	vma->vm_file = file;
	if (file->f_op->mmap(file, vma) != 0) {
		fput(file);
		vm_area_free(vma);
		return NULL;
	}
	test_mmap_lock(mm);
	if (insert_vm_struct(mm, vma)) {
		test_mmap_unlock(mm);
		fput(file);
		vm_area_free(vma);
		return NULL;
	}
	test_mmap_unlock(mm);
	return vma;
}

/* A MAP_SHARED|MAP_ANONYMOUS VMA as mmap_region builds it: shmem_zero_setup before linking. */
struct vm_area_struct *fs_test_map_shared_anon(struct mm_struct *mm, unsigned long start, unsigned long len, unsigned long flags)
{
	struct vm_area_struct *vma = new_vma(mm, start, len, flags, 0);

	if (!vma)
		return NULL;
	if (shmem_zero_setup(vma)) {
		vm_area_free(vma);
		return NULL;
	}
	test_mmap_lock(mm);
	if (insert_vm_struct(mm, vma)) {
		test_mmap_unlock(mm);
		fput(vma->vm_file);
		vm_area_free(vma);
		return NULL;
	}
	test_mmap_unlock(mm);
	return vma;
}

struct vm_area_struct *fs_test_map_anon(struct mm_struct *mm, unsigned long start, unsigned long len, unsigned long flags)
{
	struct vm_area_struct *vma = new_vma(mm, start, len, flags, 0);

	if (!vma)
		return NULL;
	test_mmap_lock(mm);
	if (insert_vm_struct(mm, vma)) {
		test_mmap_unlock(mm);
		vm_area_free(vma);
		return NULL;
	}
	test_mmap_unlock(mm);
	return vma;
}

/* VMAs on the i_mmap of vma's file. */
int fs_test_i_mmap_count(struct vm_area_struct *vma)
{
	struct address_space *mapping = vma->vm_file->f_mapping;
	struct vm_area_struct *v;
	int n = 0;

	i_mmap_lock_read(mapping);
	list_for_each_entry(v, &mapping->i_mmap, shared)
		n++;
	i_mmap_unlock_read(mapping);
	return n;
}

long fs_test_vma_file_size(struct vm_area_struct *vma)
{
	return vma->vm_file ? (long)i_size_read(file_inode(vma->vm_file)) : -1;
}

long fs_test_vma_file_nlink(struct vm_area_struct *vma)
{
	return vma->vm_file ? (long)file_inode(vma->vm_file)->i_nlink : -1;
}

int fs_test_vma_has_fault_handler(struct vm_area_struct *vma)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 23)
	return vma->vm_ops && vma->vm_ops->fault != NULL;
#else
	return vma->vm_ops && vma->vm_ops->nopage != NULL;
#endif
}

/* Calls the VMA's fault handler for the page at `address` as the core fault path would, and
 * reports: the result code in *result (VM_FAULT_* bits; for ->nopage: 0 page, 1 SIGBUS, 2 OOM),
 * whether the returned page was locked, and the page (its references handed to the caller). */
struct page *fs_test_call_fault(struct vm_area_struct *vma, unsigned long address, long *result, int *locked)
{
	struct page *page;

#if LINUX_VERSION_CODE >= KERNEL_VERSION(4, 10, 0)
	struct vm_fault vmf;

	memset(&vmf, 0, sizeof(vmf));
	vmf.vma = vma;
	vmf.address = address & PAGE_MASK;
	vmf.real_address = address;
	vmf.pgoff = ((address - vma->vm_start) >> PAGE_SHIFT) + vma->vm_pgoff;
	*result = vma->vm_ops->fault(&vmf);
	page = vmf.page;
	if (*result & VM_FAULT_ERROR)
		page = NULL;
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 23)
	struct vm_fault vmf;

	memset(&vmf, 0, sizeof(vmf));
	vmf.pgoff = ((address - vma->vm_start) >> PAGE_SHIFT) + vma->vm_pgoff;
	vmf.virtual_address = (void __user *)(address & PAGE_MASK);
	*result = vma->vm_ops->fault(vma, &vmf);
	page = vmf.page;
	if (*result & VM_FAULT_ERROR)
		page = NULL;
#else
	int type = 0;

	page = vma->vm_ops->nopage(vma, address & PAGE_MASK, &type);
	if (page == NOPAGE_SIGBUS) {
		*result = 1;
		page = NULL;
	} else if (page == NOPAGE_OOM) {
		*result = 2;
		page = NULL;
	} else {
		*result = 0;
	}
#endif
	*locked = page ? PageLocked(page) : 0;
	return page;
}

void fs_test_release_page(struct page *page, int locked)
{
	if (locked)
		unlock_page(page);
	put_page(page);
}

long fs_test_page_refs(struct page *page)
{
	return page_count(page);
}

/* Takes every VMA out of mm and frees it (and, with them, their file references). */
void fs_test_unmap_all(struct mm_struct *mm)
{
	struct vm_area_struct *vma;

	test_mmap_lock(mm);
	vma = mm->mmap;
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
	test_mmap_unlock(mm);
}

/* msync/mincore on an explicit mm. */
long do_msync(struct mm_struct *mm, unsigned long start, size_t len, int flags);
long do_mincore_range(struct mm_struct *mm, unsigned long start, size_t len, unsigned char __user *vec);

long fs_test_msync(struct mm_struct *mm, unsigned long start, unsigned long len, int flags)
{
	return do_msync(mm, start, len, flags);
}

long fs_test_mincore(struct mm_struct *mm, unsigned long start, unsigned long len, unsigned char __user *vec)
{
	return do_mincore_range(mm, start, len, vec);
}

void fs_test_set_vma_flags(struct vm_area_struct *vma, unsigned long flags)
{
	vma->vm_flags = flags;
}

/* Free pages in the machine (the page allocator's count). */
unsigned long fs_test_free_pages(void)
{
	return nr_free_pages();
}

/* ---- A character-device driver (what issue 4's drivers do with the chrdev API) ---- */

static int fstest_opens;
static int fstest_releases;

static ssize_t fstest_read(struct file *file, char __user *buf, size_t count, loff_t *ppos)
{
	static const char message[] = "minor ?";
	char text[8];

	memcpy(text, message, sizeof(text));
	text[6] = '0' + (long)file->private_data;
	return simple_read_from_buffer(buf, count, ppos, text, 7);
}

static int fstest_open(struct inode *inode, struct file *file)
{
	fstest_opens++;
	file->private_data = (void *)(long)iminor(inode);
	return 0;
}

static int fstest_release(struct inode *inode, struct file *file)
{
	(void)inode;
	(void)file;
	fstest_releases++;
	return 0;
}

static const struct file_operations fstest_fops = {
	.read = fstest_read,
	.open = fstest_open,
	.release = fstest_release,
};

int fs_test_register_driver(unsigned int major)
{
	return register_chrdev(major, "fstest", &fstest_fops);
}

void fs_test_unregister_driver(unsigned int major)
{
	unregister_chrdev(major, "fstest");
}

int fs_test_driver_opens(void)
{
	return fstest_opens;
}

int fs_test_driver_releases(void)
{
	return fstest_releases;
}

int fs_test_create_node(const char *name, unsigned int major, unsigned int minor)
{
	return devtmpfs_create_node(name, major, minor);
}

int fs_test_delete_node(const char *name)
{
	return devtmpfs_delete_node(name);
}

struct files_struct *fs_test_console_files(void)
{
	return console_stdio_files();
}

/* A fresh, empty file table for init_task (the old one is dropped). */
void fs_test_new_files(void)
{
	struct files_struct *old = init_task.files;

	init_task.files = alloc_files();
	if (old)
		put_files_struct(old);
}

/* The kernel (direct-map) address of a page's contents. */
void *fs_test_page_address(struct page *page)
{
	return page_address(page);
}

/* exec's descriptor cleanup on the current table. */
void fs_test_close_on_exec(void)
{
	do_close_on_exec(init_task.files);
}
