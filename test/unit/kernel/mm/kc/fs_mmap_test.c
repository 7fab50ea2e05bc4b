/* Test driver for test/unit/kernel/fs/mmap.test.ts on the booted machine: a file table for
 * init_task, files opened by name, mmap of a descriptor in init_task's address space
 * (vm_mmap_pgoff, as sys_mmap does once it has looked the descriptor up), and page-cache probes. */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/fs.h>
#include <linux/file.h>
#include <linux/fdtable.h>
#include <linux/pagemap.h>
#include <linux/err.h>

static const char *const fsm_paths[] = { "/tmp/shared", "/tmp/private", "/tmp/truncated", "/tmp/mincore" };

/* init_task gets a file table (and the VFS is set up, if start_kernel has not done it). */
int fsm_setup(void)
{
	vfs_caches_init();
	if (!init_task.files)
		init_task.files = alloc_files();
	return init_task.files ? 0 : -ENOMEM;
}

/* open(fsm_paths[which], flags, 0644) into current->files: the descriptor or -errno. */
long fsm_open(int which, int flags)
{
	struct file *file;
	int fd;

	if (which < 0 || which >= (int)ARRAY_SIZE(fsm_paths))
		return -EINVAL;
	fd = get_unused_fd_flags(flags);
	if (fd < 0)
		return fd;
	file = filp_open(fsm_paths[which], flags, 0644);
	if (IS_ERR(file)) {
		put_unused_fd(fd);
		return PTR_ERR(file);
	}
	fd_install(fd, file);
	return fd;
}

/* mmap(addr, len, prot, flags, fd, pgoff << PAGE_SHIFT) in current->mm; fd -1: anonymous. */
long fsm_mmap(int fd, unsigned long addr, unsigned long len, unsigned long prot, unsigned long flags, unsigned long pgoff)
{
	struct file *file = NULL;
	unsigned long ret;

	if (fd >= 0) {
		file = fget(fd);
		if (!file)
			return -EBADF;
	}
	ret = vm_mmap_pgoff(file, addr, len, prot, flags, pgoff);
	if (file)
		fput(file);
	return (long)ret;
}

/* The references of fd's cache page at index besides ours, its mapcount, or -1 when not cached. */
long fsm_page_count(int fd, unsigned long index)
{
	struct file *file = fget(fd);
	struct page *page;
	long n;

	if (!file)
		return -2;
	page = find_get_page(file->f_mapping, index);
	fput(file);
	if (!page)
		return -1;
	n = page_count(page) - 1;
	put_page(page);
	return n;
}

long fsm_page_mapcount(int fd, unsigned long index)
{
	struct file *file = fget(fd);
	struct page *page;
	long n;

	if (!file)
		return -2;
	page = find_get_page(file->f_mapping, index);
	fput(file);
	if (!page)
		return -1;
	n = page_mapcount(page);
	put_page(page);
	return n;
}

/* The physical address of fd's cache page at index, or 0. */
unsigned long fsm_page_phys(int fd, unsigned long index)
{
	struct file *file = fget(fd);
	struct page *page;
	unsigned long phys;

	if (!file)
		return 0;
	page = find_get_page(file->f_mapping, index);
	fput(file);
	if (!page)
		return 0;
	phys = page_to_phys(page);
	put_page(page);
	return phys;
}

long fsm_nrpages(int fd)
{
	struct file *file = fget(fd);
	long n;

	if (!file)
		return -1;
	n = file->f_mapping->nrpages;
	fput(file);
	return n;
}

static struct files_struct *fsm_saved_files;

/* init_task's descriptors become the console's 0, 1 and 2 (console_stdio_files). */
int fsm_use_console(void)
{
	struct files_struct *files = console_stdio_files();

	if (!files)
		return -ENOMEM;
	fsm_saved_files = init_task.files;
	init_task.files = files;
	return 0;
}

int fsm_restore_files(void)
{
	struct files_struct *files = init_task.files;

	init_task.files = fsm_saved_files;
	put_files_struct(files);
	return 0;
}
