/* <fcntl.h> for Faultline user programs: open() flags, fcntl() commands and the *at() conventions
   with the values of x86-64 Linux and glibc (octal as in the kernel's generic table). */
#ifndef _FCNTL_H
#define _FCNTL_H 1

#include <bits/faultline-types.h>
#include <bits/faultline-stat.h>

#ifndef __mode_t_defined
#define __mode_t_defined 1
typedef __mode_t mode_t;
#endif
#ifndef __off_t_defined
#define __off_t_defined 1
typedef __off_t off_t;
#endif
#ifndef __pid_t_defined
#define __pid_t_defined 1
typedef __pid_t pid_t;
#endif

/* Access mode (one of three) and flags. */
#define O_ACCMODE 0003
#define O_RDONLY 00
#define O_WRONLY 01
#define O_RDWR 02
#define O_CREAT 0100
#define O_EXCL 0200
#define O_NOCTTY 0400
#define O_TRUNC 01000
#define O_APPEND 02000
#define O_NONBLOCK 04000
#define O_NDELAY O_NONBLOCK
#define O_DSYNC 010000
#define O_ASYNC 020000
#define O_DIRECT 040000
/* glibc makes O_LARGEFILE 0 on 64-bit targets: every file is large already. */
#define O_LARGEFILE 0
#define O_DIRECTORY 0200000
#define O_NOFOLLOW 0400000
#define O_NOATIME 01000000
#define O_CLOEXEC 02000000
/* O_SYNC is O_DSYNC plus the kernel's __O_SYNC bit (metadata too). */
#define O_SYNC 04010000
#define O_FSYNC O_SYNC
#define O_RSYNC O_SYNC
#define O_PATH 010000000
#define O_TMPFILE (020000000 | O_DIRECTORY)

/* fcntl() commands. */
#define F_DUPFD 0
#define F_GETFD 1
#define F_SETFD 2
#define F_GETFL 3
#define F_SETFL 4
#define F_GETLK 5
#define F_SETLK 6
#define F_SETLKW 7
#define F_GETLK64 5
#define F_SETLK64 6
#define F_SETLKW64 7
#define F_SETOWN 8
#define F_GETOWN 9
#define F_SETSIG 10
#define F_GETSIG 11
#define F_SETOWN_EX 15
#define F_GETOWN_EX 16
#define F_OFD_GETLK 36
#define F_OFD_SETLK 37
#define F_OFD_SETLKW 38
#define F_SETLEASE 1024
#define F_GETLEASE 1025
#define F_NOTIFY 1026
#define F_DUPFD_CLOEXEC 1030
#define F_SETPIPE_SZ 1031
#define F_GETPIPE_SZ 1032
#define F_ADD_SEALS 1033
#define F_GET_SEALS 1034

/* F_GETFD/F_SETFD flag. */
#define FD_CLOEXEC 1

/* Record lock types. */
#define F_RDLCK 0
#define F_WRLCK 1
#define F_UNLCK 2
#define F_EXLCK 4
#define F_SHLCK 8

/* Seals (F_ADD_SEALS). */
#define F_SEAL_SEAL 0x0001
#define F_SEAL_SHRINK 0x0002
#define F_SEAL_GROW 0x0004
#define F_SEAL_WRITE 0x0008
#define F_SEAL_FUTURE_WRITE 0x0010

/* flock() operations. */
#define LOCK_SH 1
#define LOCK_EX 2
#define LOCK_NB 4
#define LOCK_UN 8

/* BSD names. */
#define FAPPEND O_APPEND
#define FFSYNC O_FSYNC
#define FASYNC O_ASYNC
#define FNONBLOCK O_NONBLOCK
#define FNDELAY O_NDELAY

/* The *at() calls: a directory descriptor (or AT_FDCWD) and flags. */
#define AT_FDCWD -100
#define AT_SYMLINK_NOFOLLOW 0x100
#define AT_REMOVEDIR 0x200
#define AT_EACCESS 0x200
#define AT_SYMLINK_FOLLOW 0x400
#define AT_NO_AUTOMOUNT 0x800
#define AT_EMPTY_PATH 0x1000

/* posix_fadvise() advice. */
#define POSIX_FADV_NORMAL 0
#define POSIX_FADV_RANDOM 1
#define POSIX_FADV_SEQUENTIAL 2
#define POSIX_FADV_WILLNEED 3
#define POSIX_FADV_DONTNEED 4
#define POSIX_FADV_NOREUSE 5

/* lseek() whence and access() modes, as <stdio.h> and <unistd.h> define them. */
#ifndef SEEK_SET
#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2
#endif
#ifndef R_OK
#define R_OK 4
#define W_OK 2
#define X_OK 1
#define F_OK 0
#endif

/* lockf() commands. */
#ifndef F_LOCK
#define F_ULOCK 0
#define F_LOCK 1
#define F_TLOCK 2
#define F_TEST 3
#endif

/* A record lock (F_GETLK, F_SETLK, F_SETLKW): 32 bytes. */
struct flock {
	short l_type;
	short l_whence;
	__off_t l_start;
	__off_t l_len;
	__pid_t l_pid;
};

/* F_SETOWN_EX/F_GETOWN_EX argument. */
enum __pid_type {
	F_OWNER_TID = 0,
	F_OWNER_PID,
	F_OWNER_PGRP,
	F_OWNER_GID = F_OWNER_PGRP
};

struct f_owner_ex {
	enum __pid_type type;
	__pid_t pid;
};

/* open() and openat() take a mode_t third (fourth) argument with O_CREAT or O_TMPFILE. */
int open(const char *__file, int __oflag, ...);
int openat(int __fd, const char *__file, int __oflag, ...);
int creat(const char *__file, mode_t __mode);
int fcntl(int __fd, int __cmd, ...);
int lockf(int __fd, int __cmd, off_t __len);
int posix_fadvise(int __fd, off_t __offset, off_t __len, int __advise);
int posix_fallocate(int __fd, off_t __offset, off_t __len);
int fallocate(int __fd, int __mode, __off_t __offset, __off_t __len);
__ssize_t readahead(int __fd, __off64_t __offset, unsigned long __count);

#endif
