/* <linux/file.h>: descriptors of the current process (fs/file.c, fs/file_table.c). */
#ifndef _LINUX_FILE_H
#define _LINUX_FILE_H

#include <linux/types.h>
#include <linux/fs.h>
#include <linux/fdtable.h>

/* current->files forms of the fdtable.h calls. */
int get_unused_fd_flags(unsigned int flags);
void put_unused_fd(unsigned int fd);
void fd_install(unsigned int fd, struct file *file);
/* The file of descriptor `fd` of the current process with a reference (fput it), or NULL. */
struct file *fget(unsigned int fd);
/* close(fd) of the current process (6.8's close_fd; 2.6 called sys_close): 0 or -EBADF. */
int close_fd(unsigned int fd);


#endif /* _LINUX_FILE_H */
