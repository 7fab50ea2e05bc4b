/* <sys/mman.h> for Faultline user programs: memory-mapping calls and their flags with the values
   of x86-64 Linux and glibc. */
#ifndef _SYS_MMAN_H
#define _SYS_MMAN_H 1

#include <bits/faultline-types.h>
#include <bits/types/struct_iovec.h>

#ifndef __size_t_defined
#define __size_t_defined 1
typedef unsigned long size_t;
#endif
#ifndef __off_t_defined
#define __off_t_defined 1
typedef __off_t off_t;
#endif
#ifndef __mode_t_defined
#define __mode_t_defined 1
typedef __mode_t mode_t;
#endif

/* Page protections. */
#define PROT_NONE 0x0
#define PROT_READ 0x1
#define PROT_WRITE 0x2
#define PROT_EXEC 0x4
#define PROT_GROWSDOWN 0x01000000
#define PROT_GROWSUP 0x02000000

/* Mapping type (exactly one) and flags. */
#define MAP_SHARED 0x01
#define MAP_PRIVATE 0x02
#define MAP_SHARED_VALIDATE 0x03
#define MAP_TYPE 0x0f
#define MAP_FIXED 0x10
#define MAP_FILE 0
#define MAP_ANONYMOUS 0x20
#define MAP_ANON MAP_ANONYMOUS
#define MAP_32BIT 0x40
#define MAP_GROWSDOWN 0x00100
#define MAP_DENYWRITE 0x00800
#define MAP_EXECUTABLE 0x01000
#define MAP_LOCKED 0x02000
#define MAP_NORESERVE 0x04000
#define MAP_POPULATE 0x08000
#define MAP_NONBLOCK 0x10000
#define MAP_STACK 0x20000
#define MAP_HUGETLB 0x40000
#define MAP_SYNC 0x80000
#define MAP_FIXED_NOREPLACE 0x100000
/* Huge page size (log2) in bits 26-31 of the flags with MAP_HUGETLB. */
#define MAP_HUGE_SHIFT 26
#define MAP_HUGE_MASK 0x3f

#define MAP_FAILED ((void *)-1)

/* msync() flags. */
#define MS_ASYNC 1
#define MS_INVALIDATE 2
#define MS_SYNC 4

/* madvise() advice. */
#define MADV_NORMAL 0
#define MADV_RANDOM 1
#define MADV_SEQUENTIAL 2
#define MADV_WILLNEED 3
#define MADV_DONTNEED 4
#define MADV_FREE 8
#define MADV_REMOVE 9
#define MADV_DONTFORK 10
#define MADV_DOFORK 11
#define MADV_MERGEABLE 12
#define MADV_UNMERGEABLE 13
#define MADV_HUGEPAGE 14
#define MADV_NOHUGEPAGE 15
#define MADV_DONTDUMP 16
#define MADV_DODUMP 17
#define MADV_WIPEONFORK 18
#define MADV_KEEPONFORK 19
#define MADV_COLD 20
#define MADV_PAGEOUT 21
#define MADV_POPULATE_READ 22
#define MADV_POPULATE_WRITE 23
#define MADV_DONTNEED_LOCKED 24
#define MADV_HWPOISON 100

#define POSIX_MADV_NORMAL 0
#define POSIX_MADV_RANDOM 1
#define POSIX_MADV_SEQUENTIAL 2
#define POSIX_MADV_WILLNEED 3
#define POSIX_MADV_DONTNEED 4

/* mlockall() flags. */
#define MCL_CURRENT 1
#define MCL_FUTURE 2
#define MCL_ONFAULT 4

/* mremap() flags: with MREMAP_FIXED a fifth argument gives the new address. */
#define MREMAP_MAYMOVE 1
#define MREMAP_FIXED 2
#define MREMAP_DONTUNMAP 4

/* memfd_create() and mlock2() flags. */
#define MFD_CLOEXEC 1U
#define MFD_ALLOW_SEALING 2U
#define MFD_HUGETLB 4U
#define MLOCK_ONFAULT 1U

void *mmap(void *__addr, size_t __len, int __prot, int __flags, int __fd, __off_t __offset);
int munmap(void *__addr, size_t __len);
int mprotect(void *__addr, size_t __len, int __prot);
int msync(void *__addr, size_t __len, int __flags);
int madvise(void *__addr, size_t __len, int __advice);
int posix_madvise(void *__addr, size_t __len, int __advice);
int mlock(const void *__addr, size_t __len);
int munlock(const void *__addr, size_t __len);
int mlockall(int __flags);
int munlockall(void);
int mincore(void *__start, size_t __len, unsigned char *__vec);
void *mremap(void *__addr, size_t __old_len, size_t __new_len, int __flags, ...);
int remap_file_pages(void *__start, size_t __size, int __prot, size_t __pgoff, int __flags);
int shm_open(const char *__name, int __oflag, mode_t __mode);
int shm_unlink(const char *__name);
int memfd_create(const char *__name, unsigned int __flags);
int mlock2(const void *__addr, size_t __length, unsigned int __flags);
__ssize_t process_madvise(int __pid_fd, const struct iovec *__iov, size_t __count, int __advice, unsigned int __flags);

#endif
