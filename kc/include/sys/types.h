/* <sys/types.h> for Faultline user programs: glibc's x86-64 system data types. */
#ifndef _SYS_TYPES_H
#define _SYS_TYPES_H 1

#include <bits/faultline-types.h>

#ifndef __size_t_defined
#define __size_t_defined 1
typedef unsigned long size_t;
#endif

#ifndef __ssize_t_defined
#define __ssize_t_defined 1
typedef __ssize_t ssize_t;
#endif

#ifndef __off_t_defined
#define __off_t_defined 1
typedef __off_t off_t;
#endif

typedef __off64_t loff_t;
typedef __off64_t off64_t;
typedef __pid_t pid_t;
typedef __uid_t uid_t;
typedef __gid_t gid_t;
typedef __mode_t mode_t;
typedef __dev_t dev_t;
typedef __ino_t ino_t;
typedef __nlink_t nlink_t;
typedef __id_t id_t;
typedef __key_t key_t;
typedef __time_t time_t;
typedef __clock_t clock_t;
typedef __blksize_t blksize_t;
typedef __blkcnt_t blkcnt_t;
typedef __suseconds_t suseconds_t;
typedef __useconds_t useconds_t;
typedef __caddr_t caddr_t;

#ifndef __int8_t_defined
#define __int8_t_defined 1
typedef signed char int8_t;
typedef short int16_t;
typedef int int32_t;
typedef long int64_t;
#endif

/* BSD names. */
typedef unsigned char u_char;
typedef unsigned short u_short;
typedef unsigned int u_int;
typedef unsigned long u_long;
typedef unsigned char u_int8_t;
typedef unsigned short u_int16_t;
typedef unsigned int u_int32_t;
typedef unsigned long u_int64_t;
typedef unsigned short ushort;
typedef unsigned int uint;
typedef unsigned long ulong;

#endif
