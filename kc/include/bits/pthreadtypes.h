/* The pthread object types with glibc's x86-64 sizes and alignments. Most are opaque byte arrays;
   the mutex and the rwlock spell out glibc's fields because their static initializers set one.
   Not a standard header: include <pthread.h>. */
#ifndef _BITS_PTHREADTYPES_H
#define _BITS_PTHREADTYPES_H 1

/* A thread's id. */
typedef unsigned long pthread_t;

/* 56 bytes. */
union pthread_attr_t {
	char __size[56];
	long __align;
};
#ifndef __have_pthread_attr_t
#define __have_pthread_attr_t 1
typedef union pthread_attr_t pthread_attr_t;
#endif

typedef struct __pthread_internal_list {
	struct __pthread_internal_list *__prev;
	struct __pthread_internal_list *__next;
} __pthread_list_t;

/* 40 bytes; __kind holds the PTHREAD_MUTEX_* type. */
struct __pthread_mutex_s {
	int __lock;
	unsigned int __count;
	int __owner;
	unsigned int __nusers;
	int __kind;
	short __spins;
	short __elision;
	__pthread_list_t __list;
};

typedef union {
	struct __pthread_mutex_s __data;
	char __size[40];
	long __align;
} pthread_mutex_t;

typedef union {
	char __size[4];
	int __align;
} pthread_mutexattr_t;

/* 48 bytes. */
typedef union {
	char __size[48];
	long long __align;
} pthread_cond_t;

typedef union {
	char __size[4];
	int __align;
} pthread_condattr_t;

typedef unsigned int pthread_key_t;
typedef int pthread_once_t;

/* 56 bytes; __flags holds the PTHREAD_RWLOCK_PREFER_* kind. */
struct __pthread_rwlock_arch_t {
	unsigned int __readers;
	unsigned int __writers;
	unsigned int __wrphase_futex;
	unsigned int __writers_futex;
	unsigned int __pad3;
	unsigned int __pad4;
	int __cur_writer;
	int __shared;
	signed char __rwelision;
	unsigned char __pad1[7];
	unsigned long __pad2;
	unsigned int __flags;
};

typedef union {
	struct __pthread_rwlock_arch_t __data;
	char __size[56];
	long __align;
} pthread_rwlock_t;

typedef union {
	char __size[8];
	long __align;
} pthread_rwlockattr_t;

typedef volatile int pthread_spinlock_t;

/* 32 bytes. */
typedef union {
	char __size[32];
	long __align;
} pthread_barrier_t;

typedef union {
	char __size[4];
	int __align;
} pthread_barrierattr_t;

#endif
