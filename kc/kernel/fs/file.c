/* fs/file.c: open-file tables (struct files_struct, <linux/fdtable.h>) and dup/dup2/dup3.
 *
 * Entry points for the process lifecycle (kernel/fork.c, kernel/exit.c, the first process):
 *   struct files_struct *alloc_files(void);
 *       an empty table, count 1; the first process gets it with console_open_stdio(files)
 *       (fs/console.c: fds 0, 1, 2 on /dev/console), or console_stdio_files() does both.
 *   struct files_struct *dup_fd(struct files_struct *oldf, int *errorp);
 *       fork without CLONE_FILES: a copy sharing every open struct file (one more reference each);
 *       NULL with *errorp = -ENOMEM on failure.
 *   void get_files_struct(struct files_struct *files);      CLONE_FILES (<linux/fdtable.h>)
 *   void put_files_struct(struct files_struct *files);      the last put closes every descriptor
 *   void exit_files(struct task_struct *tsk);               tsk->files = NULL, then put
 *   void do_close_on_exec(struct files_struct *files);      exec: O_CLOEXEC descriptors go
 * Descriptors: __alloc_fd (lowest free, like Linux: next_fd remembers where to start), __fd_install,
 * fget_files, __close_fd, and the current->files forms get_unused_fd_flags, fd_install, fget,
 * close_fd (<linux/file.h>). */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/fs.h>
#include <linux/file.h>
#include <linux/fdtable.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sched.h>
#include <linux/syscalls.h>

static void __put_unused_fd_locked(struct files_struct *files, unsigned int fd);

static unsigned int find_next_zero_fd(const unsigned long *map, unsigned int size, unsigned int start)
{
	unsigned int i;

	for (i = start; i < size; i++)
		if (!test_bit(i, map))
			return i;
	return size;
}

/* Descriptors up to the last open one, rounded up to a word of the bitmap. */
static unsigned int count_open_files(struct fdtable *fdt)
{
	unsigned int words = fdt->max_fds / BITS_PER_LONG;
	unsigned int i;

	for (i = words; i > 0; i--)
		if (fdt->open_fds[i - 1])
			break;
	return i * BITS_PER_LONG;
}

static void free_fdtable(struct fdtable *fdt)
{
	kfree(fdt->fd);
	kfree(fdt->open_fds);
	kfree(fdt->close_on_exec);
	kfree(fdt);
}

/* A table for at least nr + 1 descriptors (a power of two, at least a bitmap word). */
static struct fdtable *alloc_fdtable(unsigned int nr)
{
	struct fdtable *fdt;
	unsigned int size = BITS_PER_LONG;

	while (size <= nr)
		size <<= 1;
	if (size > NR_OPEN_MAX)
		size = NR_OPEN_MAX;
	fdt = kzalloc(sizeof(*fdt), GFP_KERNEL);
	if (!fdt)
		return NULL;
	fdt->max_fds = size;
	fdt->fd = kcalloc(size, sizeof(struct file *), GFP_KERNEL);
	fdt->open_fds = kcalloc(size / BITS_PER_LONG, sizeof(unsigned long), GFP_KERNEL);
	fdt->close_on_exec = kcalloc(size / BITS_PER_LONG, sizeof(unsigned long), GFP_KERNEL);
	if (!fdt->fd || !fdt->open_fds || !fdt->close_on_exec) {
		free_fdtable(fdt);
		return NULL;
	}
	return fdt;
}

static void copy_fdtable(struct fdtable *nfdt, struct fdtable *ofdt)
{
	memcpy(nfdt->fd, ofdt->fd, ofdt->max_fds * sizeof(struct file *));
	memcpy(nfdt->open_fds, ofdt->open_fds, ofdt->max_fds / BITS_PER_LONG * sizeof(unsigned long));
	memcpy(nfdt->close_on_exec, ofdt->close_on_exec, ofdt->max_fds / BITS_PER_LONG * sizeof(unsigned long));
}

/* Grows the table to hold descriptor nr. Called and returns with file_lock held, dropping it to
 * allocate. 1 when the table changed (look again), 0 when it was big enough, or -errno. */
static int expand_files(struct files_struct *files, unsigned int nr)
{
	struct fdtable *fdt = files_fdtable(files);
	struct fdtable *new_fdt;

	if (nr < fdt->max_fds)
		return 0;
	if (nr >= NR_OPEN_MAX)
		return -EMFILE;
	spin_unlock(&files->file_lock);
	new_fdt = alloc_fdtable(nr);
	spin_lock(&files->file_lock);
	if (!new_fdt)
		return -ENOMEM;
	fdt = files_fdtable(files);
	if (nr >= fdt->max_fds) {
		copy_fdtable(new_fdt, fdt);
		files->fdt = new_fdt;
		if (fdt != &files->fdtab)
			free_fdtable(fdt);
	} else {
		/* Somebody else grew it while we slept. */
		free_fdtable(new_fdt);
	}
	return 1;
}

struct files_struct *alloc_files(void)
{
	struct files_struct *newf = kzalloc(sizeof(*newf), GFP_KERNEL);

	if (!newf)
		return NULL;
	atomic_set(&newf->count, 1);
	spin_lock_init(&newf->file_lock);
	newf->next_fd = 0;
	newf->fdtab.max_fds = NR_OPEN_DEFAULT;
	newf->fdtab.fd = &newf->fd_array[0];
	newf->fdtab.open_fds = newf->open_fds_init;
	newf->fdtab.close_on_exec = newf->close_on_exec_init;
	newf->fdt = &newf->fdtab;
	return newf;
}

struct files_struct *dup_fd(struct files_struct *oldf, int *errorp)
{
	struct files_struct *newf = alloc_files();
	struct fdtable *old_fdt;
	struct fdtable *new_fdt;
	unsigned int open_files;
	unsigned int i;

	*errorp = -ENOMEM;
	if (!newf)
		return NULL;
	new_fdt = &newf->fdtab;
	spin_lock(&oldf->file_lock);
	old_fdt = files_fdtable(oldf);
	open_files = count_open_files(old_fdt);
	/* The old table may have grown while we allocated: check again each time. */
	while (open_files > new_fdt->max_fds) {
		spin_unlock(&oldf->file_lock);
		if (new_fdt != &newf->fdtab)
			free_fdtable(new_fdt);
		new_fdt = alloc_fdtable(open_files - 1);
		if (!new_fdt) {
			kfree(newf);
			return NULL;
		}
		spin_lock(&oldf->file_lock);
		old_fdt = files_fdtable(oldf);
		open_files = count_open_files(old_fdt);
	}
	newf->next_fd = oldf->next_fd;
	memcpy(new_fdt->open_fds, old_fdt->open_fds, open_files / BITS_PER_LONG * sizeof(unsigned long));
	memcpy(new_fdt->close_on_exec, old_fdt->close_on_exec, open_files / BITS_PER_LONG * sizeof(unsigned long));
	for (i = 0; i < open_files; i++) {
		struct file *f = old_fdt->fd[i];

		if (f) {
			get_file(f);
		} else {
			/* Reserved but not installed (another thread is mid-open): not ours. */
			__clear_bit(i, new_fdt->open_fds);
		}
		new_fdt->fd[i] = f;
	}
	spin_unlock(&oldf->file_lock);
	newf->fdt = new_fdt;
	*errorp = 0;
	return newf;
}

static void close_files(struct files_struct *files)
{
	struct fdtable *fdt = files->fdt;
	unsigned int i;

	for (i = 0; i < fdt->max_fds; i++) {
		struct file *file = fdt->fd[i];

		if (file) {
			fdt->fd[i] = NULL;
			__clear_bit(i, fdt->open_fds);
			filp_close(file, files);
		}
	}
}

void get_files_struct(struct files_struct *files)
{
	atomic_inc(&files->count);
}

void put_files_struct(struct files_struct *files)
{
	if (!atomic_dec_and_test(&files->count))
		return;
	close_files(files);
	if (files->fdt != &files->fdtab)
		free_fdtable(files->fdt);
	kfree(files);
}

void exit_files(struct task_struct *tsk)
{
	struct files_struct *files = tsk->files;

	if (files) {
		tsk->files = NULL;
		put_files_struct(files);
	}
}

/* exec: closes every descriptor marked close-on-exec (O_CLOEXEC, FD_CLOEXEC). */
void do_close_on_exec(struct files_struct *files)
{
	unsigned int fd;

	spin_lock(&files->file_lock);
	for (fd = 0; fd < files_fdtable(files)->max_fds; fd++) {
		struct fdtable *fdt = files_fdtable(files);
		struct file *file;

		if (!test_bit(fd, fdt->close_on_exec))
			continue;
		__clear_bit(fd, fdt->close_on_exec);
		file = fdt->fd[fd];
		if (!file)
			continue;
		fdt->fd[fd] = NULL;
		__put_unused_fd_locked(files, fd);
		spin_unlock(&files->file_lock);
		filp_close(file, files);
		spin_lock(&files->file_lock);
	}
	spin_unlock(&files->file_lock);
}

int files_count_open(struct files_struct *files)
{
	struct fdtable *fdt;
	unsigned int i;
	int n = 0;

	spin_lock(&files->file_lock);
	fdt = files_fdtable(files);
	for (i = 0; i < fdt->max_fds; i++)
		if (test_bit(i, fdt->open_fds))
			n++;
	spin_unlock(&files->file_lock);
	return n;
}

/* ---- Descriptors ---- */

int __alloc_fd(struct files_struct *files, unsigned int start, unsigned int end, unsigned int flags)
{
	struct fdtable *fdt;
	unsigned int fd;
	int error;

	spin_lock(&files->file_lock);
repeat:
	fdt = files_fdtable(files);
	fd = start;
	if (fd < files->next_fd)
		fd = files->next_fd;
	if (fd < fdt->max_fds)
		fd = find_next_zero_fd(fdt->open_fds, fdt->max_fds, fd);
	error = -EMFILE;
	if (fd >= end)
		goto out;
	error = expand_files(files, fd);
	if (error < 0)
		goto out;
	if (error)
		goto repeat;
	if (start <= files->next_fd)
		files->next_fd = fd + 1;
	__set_bit(fd, fdt->open_fds);
	if (flags & O_CLOEXEC)
		__set_bit(fd, fdt->close_on_exec);
	else
		__clear_bit(fd, fdt->close_on_exec);
	error = fd;
	WARN_ON(fdt->fd[fd] != NULL);
out:
	spin_unlock(&files->file_lock);
	return error;
}

static void __put_unused_fd_locked(struct files_struct *files, unsigned int fd)
{
	struct fdtable *fdt = files_fdtable(files);

	__clear_bit(fd, fdt->open_fds);
	if (fd < files->next_fd)
		files->next_fd = fd;
}

void __put_unused_fd(struct files_struct *files, unsigned int fd)
{
	spin_lock(&files->file_lock);
	__put_unused_fd_locked(files, fd);
	spin_unlock(&files->file_lock);
}

void __fd_install(struct files_struct *files, unsigned int fd, struct file *file)
{
	struct fdtable *fdt;

	spin_lock(&files->file_lock);
	fdt = files_fdtable(files);
	BUG_ON(fdt->fd[fd] != NULL);
	fdt->fd[fd] = file;
	spin_unlock(&files->file_lock);
}

struct file *fget_files(struct files_struct *files, unsigned int fd)
{
	struct file *file;

	if (!files)
		return NULL;
	spin_lock(&files->file_lock);
	file = files_lookup_fd_locked(files, fd);
	if (file)
		get_file(file);
	spin_unlock(&files->file_lock);
	return file;
}

int __close_fd(struct files_struct *files, unsigned int fd)
{
	struct file *file;
	struct fdtable *fdt;

	if (!files)
		return -EBADF;
	spin_lock(&files->file_lock);
	fdt = files_fdtable(files);
	if (fd >= fdt->max_fds || !fdt->fd[fd]) {
		spin_unlock(&files->file_lock);
		return -EBADF;
	}
	file = fdt->fd[fd];
	fdt->fd[fd] = NULL;
	__put_unused_fd_locked(files, fd);
	spin_unlock(&files->file_lock);
	return filp_close(file, files);
}

int do_dup2(struct files_struct *files, struct file *file, unsigned int fd, unsigned int flags)
{
	struct fdtable *fdt;
	struct file *tofree;
	int err;

	spin_lock(&files->file_lock);
	err = expand_files(files, fd);
	if (err < 0) {
		spin_unlock(&files->file_lock);
		return err == -EMFILE ? -EBADF : err;
	}
	fdt = files_fdtable(files);
	tofree = fdt->fd[fd];
	if (!tofree && test_bit(fd, fdt->open_fds)) {
		/* Reserved by an open in progress on another thread. */
		spin_unlock(&files->file_lock);
		return -EBUSY;
	}
	get_file(file);
	fdt->fd[fd] = file;
	__set_bit(fd, fdt->open_fds);
	if (flags & O_CLOEXEC)
		__set_bit(fd, fdt->close_on_exec);
	else
		__clear_bit(fd, fdt->close_on_exec);
	spin_unlock(&files->file_lock);
	if (tofree)
		filp_close(tofree, files);
	return fd;
}

/* ---- current->files ---- */

int get_unused_fd_flags(unsigned int flags)
{
	if (!current->files)
		return -EMFILE;
	return __alloc_fd(current->files, 0, NR_OPEN_MAX, flags);
}

void put_unused_fd(unsigned int fd)
{
	__put_unused_fd(current->files, fd);
}

void fd_install(unsigned int fd, struct file *file)
{
	__fd_install(current->files, fd, file);
}

struct file *fget(unsigned int fd)
{
	return fget_files(current->files, fd);
}

int close_fd(unsigned int fd)
{
	return __close_fd(current->files, fd);
}

/* ---- dup ---- */

long do_dup(struct files_struct *files, unsigned int fildes)
{
	struct file *file = fget_files(files, fildes);
	int fd;

	if (!file)
		return -EBADF;
	fd = __alloc_fd(files, 0, NR_OPEN_MAX, 0);
	if (fd >= 0)
		__fd_install(files, fd, file);
	else
		fput(file);
	return fd;
}

long do_dup3(struct files_struct *files, unsigned int oldfd, unsigned int newfd, int flags)
{
	struct file *file;
	long err;

	if (flags & ~O_CLOEXEC)
		return -EINVAL;
	if (oldfd == newfd)
		return -EINVAL;
	if (newfd >= NR_OPEN_MAX)
		return -EBADF;
	file = fget_files(files, oldfd);
	if (!file)
		return -EBADF;
	err = do_dup2(files, file, newfd, flags);
	fput(file);
	return err;
}

long sys_dup(unsigned int fildes)
{
	return do_dup(current->files, fildes);
}

long sys_dup3(unsigned int oldfd, unsigned int newfd, int flags)
{
	return do_dup3(current->files, oldfd, newfd, flags);
}

long sys_dup2(unsigned int oldfd, unsigned int newfd)
{
	if (oldfd == newfd) {
		struct file *file = fget_files(current->files, oldfd);

		if (!file)
			return -EBADF;
		fput(file);
		return newfd;
	}
	return do_dup3(current->files, oldfd, newfd, 0);
}

long sys_close(unsigned int fd)
{
	return close_fd(fd);
}
