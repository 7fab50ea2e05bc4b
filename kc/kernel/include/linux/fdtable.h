/* <linux/fdtable.h>: a process's open-file table (fs/file.c).
 *
 * files_struct is shared by the threads of a process (CLONE_FILES) and copied by fork (dup_fd).
 * fdt->fd[n] is the struct file of descriptor n (one reference per slot); open_fds has bit n set
 * from alloc_fd until close, also while the slot is still NULL between alloc_fd and fd_install.
 * The table starts with the embedded fdtab of NR_OPEN_DEFAULT slots and grows by powers of two
 * (expand_files) up to NR_OPEN_MAX (the default RLIMIT_NOFILE). file_lock guards the table; old
 * tables are freed at once (Linux defers that with RCU for its lockless fget). */
#ifndef _LINUX_FDTABLE_H
#define _LINUX_FDTABLE_H

#include <linux/types.h>
#include <linux/atomic.h>
#include <linux/spinlock.h>
#include <linux/kernel.h>
#include <asm/bitops.h>

struct file;
struct task_struct;

#define NR_OPEN_DEFAULT BITS_PER_LONG
/* The soft RLIMIT_NOFILE of a Linux process: descriptors are below it (-EMFILE). */
#define NR_OPEN_MAX 1024

struct fdtable {
	unsigned int max_fds;
	struct file **fd;		/* max_fds slots */
	unsigned long *close_on_exec;
	unsigned long *open_fds;
};

struct files_struct {
	atomic_t count;			/* tasks sharing it */
	struct fdtable *fdt;		/* the current table (&fdtab until it grows) */
	struct fdtable fdtab;
	spinlock_t file_lock;
	unsigned int next_fd;		/* lowest possibly free descriptor */
	unsigned long close_on_exec_init[1];
	unsigned long open_fds_init[1];
	struct file *fd_array[NR_OPEN_DEFAULT];
};

#define files_fdtable(files) ((files)->fdt)

/* The file at `fd` of `files` without taking a reference; file_lock (or a sole owner) protects it. */
static inline struct file *files_lookup_fd_locked(struct files_struct *files, unsigned int fd)
{
	struct fdtable *fdt = files->fdt;

	if (fd < fdt->max_fds)
		return fdt->fd[fd];
	return NULL;
}
#define fcheck_files(files, fd) files_lookup_fd_locked((files), (fd))

/* ---- The process-lifetime interface (kernel/fork.c, kernel/exit.c, the first process) ---- */

/* An empty table with count 1 (the first process's; then console_open_stdio). NULL: no memory. */
struct files_struct *alloc_files(void);
/* fork without CLONE_FILES: a copy of `oldf` whose slots share the same struct files (each gets
 * a reference); *errorp = -ENOMEM and NULL on failure. */
struct files_struct *dup_fd(struct files_struct *oldf, int *errorp);
/* CLONE_FILES: one more task shares the table. */
void get_files_struct(struct files_struct *files);
/* Drops a reference; the last one closes every descriptor and frees the table. */
void put_files_struct(struct files_struct *files);
/* exit: tsk->files = NULL, then put_files_struct. */
void exit_files(struct task_struct *tsk);
/* exec: closes the descriptors marked close-on-exec. */
void do_close_on_exec(struct files_struct *files);

/* The console (fs/console.c): opens /dev/console three times into fds 0 (stdin), 1 (stdout) and
 * 2 (stderr) of an empty table: 0 or -errno. console_stdio_files allocates the table too (NULL on
 * failure). */
int console_open_stdio(struct files_struct *files);
struct files_struct *console_stdio_files(void);
int console_init(void);

/* ---- Explicit-table forms (the sys_* calls use current->files) ---- */

/* The lowest free descriptor >= start, reserved (bit set, slot NULL): fd, -EMFILE or -ENOMEM. */
int __alloc_fd(struct files_struct *files, unsigned int start, unsigned int end, unsigned int flags);
void __put_unused_fd(struct files_struct *files, unsigned int fd);
/* Fills a reserved slot; the table takes over the caller's reference. */
void __fd_install(struct files_struct *files, unsigned int fd, struct file *file);
/* The file at `fd` with a new reference, or NULL. */
struct file *fget_files(struct files_struct *files, unsigned int fd);
/* Empties slot `fd` and closes the file (filp_close): 0 or -EBADF. */
int __close_fd(struct files_struct *files, unsigned int fd);
/* dup2's core: makes `newfd` refer to `file` (closing what was there): newfd or -errno. */
int do_dup2(struct files_struct *files, struct file *file, unsigned int newfd, unsigned int flags);
/* Open descriptors (bits set in open_fds). */
int files_count_open(struct files_struct *files);

#endif /* _LINUX_FDTABLE_H */
