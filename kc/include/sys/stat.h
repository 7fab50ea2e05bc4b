/* <sys/stat.h> for Faultline user programs: struct stat (glibc's x86-64 layout), the S_* mode
   macros, and the stat/mkdir/chmod family. */
#ifndef _SYS_STAT_H
#define _SYS_STAT_H 1

#include <bits/faultline-types.h>
#include <bits/faultline-stat.h>

#ifndef __dev_t_defined
#define __dev_t_defined 1
typedef __dev_t dev_t;
#endif
#ifndef __gid_t_defined
#define __gid_t_defined 1
typedef __gid_t gid_t;
#endif
#ifndef __ino_t_defined
#define __ino_t_defined 1
typedef __ino_t ino_t;
#endif
#ifndef __mode_t_defined
#define __mode_t_defined 1
typedef __mode_t mode_t;
#endif
#ifndef __nlink_t_defined
#define __nlink_t_defined 1
typedef __nlink_t nlink_t;
#endif
#ifndef __off_t_defined
#define __off_t_defined 1
typedef __off_t off_t;
#endif
#ifndef __uid_t_defined
#define __uid_t_defined 1
typedef __uid_t uid_t;
#endif
#ifndef __time_t_defined
#define __time_t_defined 1
typedef __time_t time_t;
#endif
#ifndef __blkcnt_t_defined
#define __blkcnt_t_defined 1
typedef __blkcnt_t blkcnt_t;
#endif
#ifndef __blksize_t_defined
#define __blksize_t_defined 1
typedef __blksize_t blksize_t;
#endif

#define S_ISDIR(mode) (((mode) & __S_IFMT) == __S_IFDIR)
#define S_ISCHR(mode) (((mode) & __S_IFMT) == __S_IFCHR)
#define S_ISBLK(mode) (((mode) & __S_IFMT) == __S_IFBLK)
#define S_ISREG(mode) (((mode) & __S_IFMT) == __S_IFREG)
#define S_ISFIFO(mode) (((mode) & __S_IFMT) == __S_IFIFO)
#define S_ISLNK(mode) (((mode) & __S_IFMT) == __S_IFLNK)
#define S_ISSOCK(mode) (((mode) & __S_IFMT) == __S_IFSOCK)

/* Old names. */
#define S_IREAD S_IRUSR
#define S_IWRITE S_IWUSR
#define S_IEXEC S_IXUSR

#define ACCESSPERMS (S_IRWXU | S_IRWXG | S_IRWXO)
#define ALLPERMS (S_ISUID | S_ISGID | S_ISVTX | S_IRWXU | S_IRWXG | S_IRWXO)
#define DEFFILEMODE (S_IRUSR | S_IWUSR | S_IRGRP | S_IWGRP | S_IROTH | S_IWOTH)
#define S_BLKSIZE 512

/* utimensat()/futimens() special nanosecond values. */
#define UTIME_NOW ((1l << 30) - 1l)
#define UTIME_OMIT ((1l << 30) - 2l)

int stat(const char *__restrict __file, struct stat *__restrict __buf);
int fstat(int __fd, struct stat *__buf);
int lstat(const char *__restrict __file, struct stat *__restrict __buf);
int fstatat(int __fd, const char *__restrict __file, struct stat *__restrict __buf, int __flag);
int chmod(const char *__file, __mode_t __mode);
int fchmod(int __fd, __mode_t __mode);
int fchmodat(int __fd, const char *__file, __mode_t __mode, int __flag);
__mode_t umask(__mode_t __mask);
int mkdir(const char *__path, __mode_t __mode);
int mkdirat(int __fd, const char *__path, __mode_t __mode);
int mknod(const char *__path, __mode_t __mode, __dev_t __dev);
int mkfifo(const char *__path, __mode_t __mode);
int utimensat(int __fd, const char *__path, const struct timespec __times[2], int __flags);
int futimens(int __fd, const struct timespec __times[2]);

#endif
