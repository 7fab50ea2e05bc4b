/* Shared typedefs of Faultline's user headers (x86-64 Linux, LP64, as glibc defines them).
   Each typedef is guarded so that any header may define it first. Not a standard header. */
#ifndef _BITS_FAULTLINE_TYPES_H
#define _BITS_FAULTLINE_TYPES_H 1

typedef signed char __int8_t;
typedef unsigned char __uint8_t;
typedef short __int16_t;
typedef unsigned short __uint16_t;
typedef int __int32_t;
typedef unsigned int __uint32_t;
typedef long __int64_t;
typedef unsigned long __uint64_t;
typedef long __intmax_t;
typedef unsigned long __uintmax_t;
typedef long __off_t;
typedef long __off64_t;
typedef long __ssize_t;
typedef int __pid_t;
typedef unsigned int __uid_t;
typedef unsigned int __gid_t;
typedef unsigned int __mode_t;
typedef unsigned long __dev_t;
typedef unsigned long __ino_t;
typedef unsigned long __nlink_t;
typedef long __time_t;
typedef long __clock_t;
typedef long __blksize_t;
typedef long __blkcnt_t;
typedef long __suseconds_t;
typedef unsigned int __useconds_t;
typedef unsigned int __id_t;
typedef int __key_t;
typedef char *__caddr_t;

#endif
