/*
 * Private header of Faultline's user C library (kc/lib/*.c): the machine's entry points, the
 * per-thread block, the thread descriptor, FILE, atomic helpers and the low-level futex lock.
 * Not a user header: programs never include it.
 *
 * ## What the machine provides (TypeScript builtins, user mode)
 * - __kc_syscall(nr, a0..a5): the x86-64 `syscall` instruction. Returns the raw kernel result;
 *   -4095..-1 is -errno. The wrappers turn that into -1 and errno, as glibc's INLINE_SYSCALL does.
 * - __kc_thread_area(): the calling thread's 1 KiB thread-local block (what %fs points at in glibc).
 * - __kc_clone(fn, stack_top, flags, arg, parent_tid, tls, child_tid): glibc's clone(); the child
 *   starts in __kc_clone_start(fn, arg) (pthread.c) on the stack below stack_top - 1 KiB; the top
 *   1 KiB of the stack is the child's thread area.
 *
 * ## The thread area (1024 bytes, zero when the thread starts; fork copies it with the memory)
 *   [0, 4)      int errno                      (__errno_location; the machine relies on offset 0)
 *   [8, 120)    struct pthread self            (pthread_self() is its address)
 *   [120, 256)  reserved for the C library
 *   [256, 1024) owned by the machine: three nested signal frames (siginfo, ucontext)
 * The main thread's descriptor is filled lazily (its tid on first use); a new thread's descriptor is
 * written by pthread_create before the clone.
 *
 * ## Atomicity
 * The simulated CPUs never switch tasks inside one KC statement, so a read-modify-write written as
 * one statement is atomic like a lock-prefixed instruction (as the KC kernel's <linux/atomic.h>).
 */
#ifndef _FAULTLINE_LIBC_INTERNAL_H
#define _FAULTLINE_LIBC_INTERNAL_H 1

#include <stddef.h>
#include <stdint.h>
#include <stdarg.h>
#include <errno.h>
#include <asm/unistd.h>
#include <sys/syscall.h>
#include <bits/pthreadtypes.h>

/* ---- The machine ---------------------------------------------------------------------------- */

long __kc_syscall(long __nr, long __a0, long __a1, long __a2, long __a3, long __a4, long __a5);
void *__kc_thread_area(void);
long __kc_clone(int (*__fn)(void *), void *__stack_top, unsigned long __flags, void *__arg, int *__parent_tid, void *__tls, int *__child_tid);

/* System call numbers <asm/unistd_64.h> does not list (x86-64 values). */
#ifndef __NR_truncate
#define __NR_truncate 76
#endif
#ifndef __NR_prlimit64
#define __NR_prlimit64 302
#endif

#define __THREAD_AREA_SIZE 1024

/* ioctl and futex values the wrappers need (from <asm/ioctls.h> and <linux/futex.h>). */
#define __TCGETS 0x5401
#define __FUTEX_WAIT 0
#define __FUTEX_WAKE 1
#define __FUTEX_PRIVATE_FLAG 128

/* The raw system call with fewer arguments. */
#define __syscall0(nr) __kc_syscall((nr), 0, 0, 0, 0, 0, 0)
#define __syscall1(nr, a) __kc_syscall((nr), (long)(a), 0, 0, 0, 0, 0)
#define __syscall2(nr, a, b) __kc_syscall((nr), (long)(a), (long)(b), 0, 0, 0, 0)
#define __syscall3(nr, a, b, c) __kc_syscall((nr), (long)(a), (long)(b), (long)(c), 0, 0, 0)
#define __syscall4(nr, a, b, c, d) __kc_syscall((nr), (long)(a), (long)(b), (long)(c), (long)(d), 0, 0)
#define __syscall5(nr, a, b, c, d, e) __kc_syscall((nr), (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), 0)
#define __syscall6(nr, a, b, c, d, e, f) __kc_syscall((nr), (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), (long)(f))

/* A raw result in -4095..-1 is an error (glibc's INTERNAL_SYSCALL_ERROR_P). */
#define __syscall_failed(r) ((unsigned long)(r) > -4096UL)

/* The wrappers' convention: an error sets errno and yields -1, anything else passes through. */
long __syscall_ret(long __raw);

/* ---- Threads ---------------------------------------------------------------------------------- */

/* Join states of struct pthread (joinstate). */
#define __PT_JOINABLE 0
#define __PT_DETACHED 1
#define __PT_EXITING 2

/* A thread's descriptor (glibc's struct pthread); it lives in the thread's own thread area. */
struct pthread {
	/* The kernel's word: set by CLONE_PARENT_SETTID, zeroed and futex-woken at thread exit
	   (CLONE_CHILD_CLEARTID). 0 for the main thread until its tid is first needed. */
	int tid;
	/* __PT_JOINABLE, __PT_DETACHED or __PT_EXITING (changed by compare-and-swap). */
	int joinstate;
	void *(*start_routine)(void *);
	void *arg;
	void *result;
	/* The mapping holding the stack (and this descriptor); 0 for the main thread or a user stack. */
	void *map_base;
	size_t map_size;
	/* Next exited detached thread whose stack waits to be unmapped. */
	struct pthread *next_dead;
	/* Nonzero once the descriptor is set up (the main thread's is filled lazily). */
	int initialized;
	int __reserved0;
	long __reserved[6];
};

/* The per-thread block at the start of the thread area. */
struct __kc_tls {
	int errno_value;
	int __pad;
	struct pthread self;
};

/* This thread's block and descriptor. */
static inline struct __kc_tls *__tls(void)
{
	return (struct __kc_tls *)__kc_thread_area();
}

struct pthread *__pthread_self_descriptor(void);
/* In a fork child: the calling thread becomes the only one, with its new tid. */
void __pthread_fork_child(void);

/* Nonzero once a second thread was ever created (glibc's SINGLE_THREAD_P is the opposite). */
extern int __libc_multiple_threads;
/* Threads alive in this process (the last one to call pthread_exit ends the process). */
extern int __libc_nthreads;

/* ---- Atomics (one statement each: see the header comment) ------------------------------------- */

static inline int __libc_cas(int *p, int expected, int desired)
{
	return *p == expected ? (*p = desired, expected) : *p;
}

static inline int __libc_xchg(int *p, int value)
{
	int old;
	return old = *p, *p = value, old;
}

static inline int __libc_add(int *p, int delta)
{
	return *p += delta;
}

/* ---- Low-level locks (glibc's lll_lock: 0 free, 1 taken, 2 taken with waiters) ---------------- */

void __lll_lock_wait(int *__futex);
void __lll_wake(int *__futex);

static inline void __lll_lock(int *futex)
{
	if (__libc_cas(futex, 0, 1) != 0)
		__lll_lock_wait(futex);
}

static inline int __lll_trylock(int *futex)
{
	return __libc_cas(futex, 0, 1) != 0;
}

static inline void __lll_unlock(int *futex)
{
	if (__libc_xchg(futex, 0) == 2)
		__lll_wake(futex);
}

/* Taken only once the process has threads: a single-threaded process never contends. */
#define __libc_lock(futex) do { if (__libc_multiple_threads) __lll_lock(futex); } while (0)
#define __libc_unlock(futex) do { if (__libc_multiple_threads) __lll_unlock(futex); } while (0)

/* ---- stdio ------------------------------------------------------------------------------------ */

/* FILE flags. */
#define __F_READ 0x0001		/* opened for reading */
#define __F_WRITE 0x0002	/* opened for writing */
#define __F_APPEND 0x0004	/* O_APPEND */
#define __F_LINEBUF 0x0008	/* line buffered */
#define __F_UNBUF 0x0010	/* unbuffered */
#define __F_EOF 0x0020		/* end of file seen */
#define __F_ERR 0x0040		/* an error happened */
#define __F_MYBUF 0x0080	/* the buffer was malloc'd by the library */
#define __F_STATIC 0x0200	/* one of the three standard streams: never freed */
#define __F_PUTTING 0x0400	/* put mode: the buffer is set up for output (wpos bytes pending) */
#define __F_GETTING 0x0800	/* the buffer holds input read ahead */

/* A stream. Everything lives in user memory: buffers are malloc'd at the first I/O (as glibc's
   _IO_file_doallocate), so fork duplicates unflushed output as it does on Linux. */
struct _IO_FILE {
	int flags;
	int fd;
	unsigned char *buf;	/* the buffer, or shortbuf when unbuffered */
	size_t size;		/* its size (1 when unbuffered) */
	size_t wpos;		/* output: bytes pending in buf */
	size_t rpos;		/* input: next byte to hand out */
	size_t rend;		/* input: end of the bytes read ahead */
	int ungot;		/* a byte pushed back by ungetc, or -1 */
	int lock;		/* __lll_lock word */
	struct _IO_FILE *next;	/* all open streams (exit flushes them) */
	unsigned char shortbuf[8];
};

/* Flushes every stream with pending output (exit, fflush(NULL)). */
int __stdio_flush_all(void);
/* In a fork child: every stream lock is free again (only the forking thread survives). */
void __stdio_fork_child(void);
void __stdio_fork_prepare(void);
void __stdio_fork_parent(void);

/* ---- malloc around fork (glibc's __malloc_fork_lock_parent and friends) ------------------------- */

void __malloc_fork_prepare(void);
void __malloc_fork_parent(void);
void __malloc_fork_child(void);

/* ---- Process start ---------------------------------------------------------------------------- */

/* Set by __libc_start_main (crt0.kc). */
extern char **__environ;
extern char *__progname;

#endif
