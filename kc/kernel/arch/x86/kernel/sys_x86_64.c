/* arch/x86/kernel/sys_x86_64.c: sys_mmap, the x86-64 entry of mmap(2). The byte offset must be page
 * aligned; a file mapping looks its descriptor up (MAP_ANONYMOUS ignores fd), then vm_mmap_pgoff
 * (mm/util.c) maps it in current->mm. MAP_DENYWRITE and MAP_EXECUTABLE are ignored, as Linux does
 * for user requests. */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/err.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/fs.h>
#include <linux/file.h>

unsigned long vm_mmap_pgoff(struct file *file, unsigned long addr, unsigned long len, unsigned long prot, unsigned long flag, unsigned long pgoff);

long sys_mmap(unsigned long addr, unsigned long len, unsigned long prot, unsigned long flags, unsigned long fd, unsigned long off)
{
	struct file *file = NULL;
	unsigned long ret;

	if (off & ~PAGE_MASK)
		return -EINVAL;
	if (!(flags & MAP_ANONYMOUS)) {
		file = fget((unsigned int)fd);
		if (!file)
			return -EBADF;
	}
	flags &= ~(MAP_DENYWRITE | MAP_EXECUTABLE);
	ret = vm_mmap_pgoff(file, addr, len, prot, flags, off >> PAGE_SHIFT);
	if (file)
		fput(file);
	return (long)ret;
}
