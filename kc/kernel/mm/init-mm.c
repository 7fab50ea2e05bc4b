/* mm/init-mm.c: the kernel's own address space. Its pgd (swapper_pg_dir) is set at boot by the code
 * that builds the kernel page tables; every new pgd copies its kernel half. */
#include <linux/mm.h>
#include <linux/spinlock.h>
#include <linux/rwsem.h>

struct mm_struct init_mm = {
	.mmap = NULL,
	.pgd = NULL,
	.mm_users = ATOMIC_INIT(2),
	.mm_count = ATOMIC_INIT(1),
#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 8, 0)
	.mmap_lock = __RWSEM_INITIALIZER(init_mm.mmap_lock),
#else
	.mmap_sem = __RWSEM_INITIALIZER(init_mm.mmap_sem),
#endif
	.page_table_lock = __SPIN_LOCK_UNLOCKED(init_mm.page_table_lock),
	.task_size = TASK_SIZE,
};
