/*
 * POSIX threads of Faultline's user C library (user code over clone and futex), as glibc's NPTL
 * does them:
 * - pthread_create maps the stack (8 MiB by default, plus a PROT_NONE guard page below it; mapped
 *   PROT_NONE, then the stack made read-write, as glibc's allocate_stack), writes the new thread's
 *   descriptor into the thread area at the top of that stack, and clones with CLONE_VM | CLONE_FS |
 *   CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM | CLONE_SETTLS |
 *   CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID, both tid pointers at the descriptor's tid word.
 * - The thread starts in __kc_clone_start, runs the start routine and leaves through pthread_exit:
 *   the last thread of the process calls exit(0); others end with the exit system call, and the
 *   kernel zeroes the tid word and wakes its futex, which is what pthread_join waits on before it
 *   unmaps the stack. A detached thread's stack is unmapped by a later pthread_create once the
 *   kernel has cleared its tid (glibc's stack cache does the same).
 * - Mutexes (normal, recursive, error-checking) are glibc's low-level lock: 0 free, 1 taken,
 *   2 taken with waiters sleeping in FUTEX_WAIT. Condition variables are a futex sequence word.
 * Not provided: thread-specific data (pthread_key_*), rwlocks, barriers, cancellation.
 */
#include "internal.h"
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

_Static_assert(sizeof(struct __kc_tls) == 120, "struct __kc_tls has the layout internal.h documents");

#define PAGESIZE 4096UL
#define DEFAULT_STACK_SIZE (8 * 1024 * 1024UL)
#define STACK_MIN 16384UL
#define CLONE_THREAD_FLAGS (CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM | CLONE_SETTLS | \
	CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID)

int __libc_multiple_threads;
int __libc_nthreads = 1;

/* ---- Low-level locks ---------------------------------------------------------------------------- */

void __lll_lock_wait(int *futex)
{
	while (__libc_xchg(futex, 2) != 0)
		__syscall4(__NR_futex, futex, __FUTEX_WAIT | __FUTEX_PRIVATE_FLAG, 2, NULL);
}

void __lll_wake(int *futex)
{
	__syscall3(__NR_futex, futex, __FUTEX_WAKE | __FUTEX_PRIVATE_FLAG, 1);
}

/* ---- Descriptors -------------------------------------------------------------------------------- */

/* The calling thread's descriptor. The main thread's is set up on first use: set_tid_address makes
   the kernel clear (and wake) its tid word when it exits, and returns the tid. */
struct pthread *__pthread_self_descriptor(void)
{
	struct pthread *self = &__tls()->self;

	if (!self->initialized) {
		self->tid = (int)__syscall1(__NR_set_tid_address, &self->tid);
		self->joinstate = __PT_JOINABLE;
		self->initialized = 1;
	}
	return self;
}

/* In a fork child: the one thread left is the process's main thread, with a new tid. */
void __pthread_fork_child(void)
{
	struct pthread *self = &__tls()->self;

	self->tid = (int)__syscall1(__NR_set_tid_address, &self->tid);
	self->joinstate = __PT_JOINABLE;
	self->initialized = 1;
	__libc_nthreads = 1;
}

pthread_t pthread_self(void)
{
	return (pthread_t)__pthread_self_descriptor();
}

int pthread_equal(pthread_t a, pthread_t b)
{
	return a == b;
}

/* ---- Stacks of exited detached threads ---------------------------------------------------------- */

static struct pthread *dead_threads;
static int dead_lock;

static void reap_dead_threads(void)
{
	struct pthread **link;

	__libc_lock(&dead_lock);
	link = &dead_threads;
	while (*link != NULL) {
		struct pthread *pd = *link;
		if (pd->tid == 0) {
			*link = pd->next_dead;
			munmap(pd->map_base, pd->map_size);
		} else {
			link = &pd->next_dead;
		}
	}
	__libc_unlock(&dead_lock);
}

/* ---- Attributes --------------------------------------------------------------------------------- */

/* What pthread_attr_t holds (56 opaque bytes in the header). */
struct thread_attr {
	int detachstate;
	int stack_given;
	size_t guardsize;
	void *stackaddr;
	size_t stacksize;
};

_Static_assert(sizeof(struct thread_attr) <= sizeof(pthread_attr_t), "pthread_attr_t holds struct thread_attr");

int pthread_attr_init(pthread_attr_t *attr)
{
	struct thread_attr *a = (struct thread_attr *)attr;

	memset(attr, 0, sizeof *attr);
	a->guardsize = PAGESIZE;
	return 0;
}

int pthread_attr_destroy(pthread_attr_t *attr)
{
	(void)attr;
	return 0;
}

int pthread_attr_getdetachstate(const pthread_attr_t *attr, int *state)
{
	*state = ((const struct thread_attr *)attr)->detachstate;
	return 0;
}

int pthread_attr_setdetachstate(pthread_attr_t *attr, int state)
{
	if (state != PTHREAD_CREATE_JOINABLE && state != PTHREAD_CREATE_DETACHED)
		return EINVAL;
	((struct thread_attr *)attr)->detachstate = state;
	return 0;
}

/* An unset stack size reads as the default the thread would get (glibc). */
int pthread_attr_getstacksize(const pthread_attr_t *attr, size_t *size)
{
	const struct thread_attr *a = (const struct thread_attr *)attr;

	*size = a->stacksize != 0 ? a->stacksize : DEFAULT_STACK_SIZE;
	return 0;
}

int pthread_attr_setstacksize(pthread_attr_t *attr, size_t size)
{
	if (size < STACK_MIN)
		return EINVAL;
	((struct thread_attr *)attr)->stacksize = size;
	return 0;
}

int pthread_attr_getguardsize(const pthread_attr_t *attr, size_t *size)
{
	*size = ((const struct thread_attr *)attr)->guardsize;
	return 0;
}

int pthread_attr_setguardsize(pthread_attr_t *attr, size_t size)
{
	((struct thread_attr *)attr)->guardsize = size;
	return 0;
}

int pthread_attr_getstack(const pthread_attr_t *attr, void **addr, size_t *size)
{
	const struct thread_attr *a = (const struct thread_attr *)attr;

	*addr = a->stackaddr;
	*size = a->stacksize;
	return 0;
}

int pthread_attr_setstack(pthread_attr_t *attr, void *addr, size_t size)
{
	struct thread_attr *a = (struct thread_attr *)attr;

	if (size < STACK_MIN)
		return EINVAL;
	a->stackaddr = addr;
	a->stacksize = size;
	a->stack_given = 1;
	return 0;
}

/* ---- Creating, ending, joining ------------------------------------------------------------------ */

/* Where every clone'd thread starts (the machine calls it): run fn, then end this thread. */
int __kc_clone_start(int (*fn)(void *), void *arg)
{
	int status = fn(arg);

	for (;;)
		__syscall1(__NR_exit, status);
}

static int start_thread(void *arg)
{
	struct pthread *pd = arg;

	pthread_exit(pd->start_routine(pd->arg));
}

int pthread_create(pthread_t *newthread, const pthread_attr_t *attr, void *(*start_routine)(void *), void *arg)
{
	struct thread_attr defaults = { PTHREAD_CREATE_JOINABLE, 0, PAGESIZE, NULL, 0 };
	const struct thread_attr *a = attr != NULL ? (const struct thread_attr *)attr : &defaults;
	char *map = NULL;
	size_t map_size = 0;
	char *top;
	struct __kc_tls *area;
	struct pthread *pd;
	long r;

	__pthread_self_descriptor();
	reap_dead_threads();
	if (a->stack_given) {
		top = (char *)(((uintptr_t)a->stackaddr + a->stacksize) & ~15UL);
	} else {
		size_t size = ((a->stacksize != 0 ? a->stacksize : DEFAULT_STACK_SIZE) + PAGESIZE - 1) & ~(PAGESIZE - 1);
		size_t guard = (a->guardsize + PAGESIZE - 1) & ~(PAGESIZE - 1);

		if (size + guard < size)
			return EINVAL;
		map_size = size + guard;
		map = mmap(NULL, map_size, guard != 0 ? PROT_NONE : PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
		if (map == MAP_FAILED)
			return EAGAIN;
		if (guard != 0 && mprotect(map + guard, size, PROT_READ | PROT_WRITE) != 0) {
			munmap(map, map_size);
			return EAGAIN;
		}
		top = map + map_size;
	}
	/* The top of the stack is the new thread's thread area; its descriptor is in it. */
	area = (struct __kc_tls *)(top - __THREAD_AREA_SIZE);
	memset(area, 0, __THREAD_AREA_SIZE);
	pd = &area->self;
	pd->start_routine = start_routine;
	pd->arg = arg;
	pd->map_base = map;
	pd->map_size = map_size;
	pd->joinstate = a->detachstate == PTHREAD_CREATE_DETACHED ? __PT_DETACHED : __PT_JOINABLE;
	pd->initialized = 1;
	__libc_multiple_threads = 1;
	__libc_add(&__libc_nthreads, 1);
	r = __kc_clone(start_thread, top, CLONE_THREAD_FLAGS, pd, &pd->tid, area, &pd->tid);
	if (__syscall_failed(r)) {
		__libc_add(&__libc_nthreads, -1);
		if (map != NULL)
			munmap(map, map_size);
		return (int)-r;
	}
	*newthread = (pthread_t)pd;
	return 0;
}

void pthread_exit(void *result)
{
	struct pthread *self = __pthread_self_descriptor();

	self->result = result;
	/* The last thread ends the process as if by exit(0) (atexit handlers, stdio flushed). */
	if (__libc_add(&__libc_nthreads, -1) == 0)
		exit(0);
	if (__libc_cas(&self->joinstate, __PT_JOINABLE, __PT_EXITING) == __PT_DETACHED && self->map_base != NULL) {
		__libc_lock(&dead_lock);
		self->next_dead = dead_threads;
		dead_threads = self;
		__libc_unlock(&dead_lock);
	}
	for (;;)
		__syscall1(__NR_exit, 0);
}

/* Sleeps until the kernel has cleared the thread's tid word (the thread is gone). */
static void wait_for_exit(struct pthread *pd)
{
	int tid;

	while ((tid = pd->tid) != 0)
		__syscall4(__NR_futex, &pd->tid, __FUTEX_WAIT, tid, NULL);
}

int pthread_join(pthread_t thread, void **result)
{
	struct pthread *pd = (struct pthread *)thread;
	void *value;

	if (pd == __pthread_self_descriptor())
		return EDEADLK;
	if (pd->joinstate == __PT_DETACHED)
		return EINVAL;
	wait_for_exit(pd);
	value = pd->result;
	if (result != NULL)
		*result = value;
	if (pd->map_base != NULL)
		munmap(pd->map_base, pd->map_size);
	return 0;
}

int pthread_detach(pthread_t thread)
{
	struct pthread *pd = (struct pthread *)thread;
	int old = __libc_cas(&pd->joinstate, __PT_JOINABLE, __PT_DETACHED);

	if (old == __PT_DETACHED)
		return EINVAL;
	if (old == __PT_EXITING) {
		/* It is already on its way out as a joinable thread: reclaim it as join would. */
		wait_for_exit(pd);
		if (pd->map_base != NULL)
			munmap(pd->map_base, pd->map_size);
	}
	return 0;
}

int pthread_yield(void)
{
	return sched_yield();
}

int pthread_kill(pthread_t thread, int sig)
{
	struct pthread *pd = (struct pthread *)thread;
	int tid = pd->tid;
	long r;

	if (tid == 0)
		return ESRCH;
	r = __syscall3(__NR_tgkill, __syscall0(__NR_getpid), tid, sig);
	return __syscall_failed(r) ? (int)-r : 0;
}

/* ---- Mutexes ------------------------------------------------------------------------------------ */

#define MUTEX_KIND_MASK 3
#define MUTEXATTR_PSHARED 0x80000000

int pthread_mutexattr_init(pthread_mutexattr_t *attr)
{
	*(int *)attr = PTHREAD_MUTEX_DEFAULT;
	return 0;
}

int pthread_mutexattr_destroy(pthread_mutexattr_t *attr)
{
	(void)attr;
	return 0;
}

int pthread_mutexattr_settype(pthread_mutexattr_t *attr, int kind)
{
	if (kind < PTHREAD_MUTEX_NORMAL || kind > PTHREAD_MUTEX_ADAPTIVE_NP)
		return EINVAL;
	*(int *)attr = (*(int *)attr & ~MUTEX_KIND_MASK) | kind;
	return 0;
}

int pthread_mutexattr_gettype(const pthread_mutexattr_t *attr, int *kind)
{
	*kind = *(const int *)attr & MUTEX_KIND_MASK;
	return 0;
}

int pthread_mutexattr_setpshared(pthread_mutexattr_t *attr, int pshared)
{
	if (pshared != PTHREAD_PROCESS_PRIVATE && pshared != PTHREAD_PROCESS_SHARED)
		return EINVAL;
	if (pshared == PTHREAD_PROCESS_SHARED)
		*(int *)attr |= (int)MUTEXATTR_PSHARED;
	else
		*(int *)attr &= ~(int)MUTEXATTR_PSHARED;
	return 0;
}

int pthread_mutexattr_getpshared(const pthread_mutexattr_t *attr, int *pshared)
{
	*pshared = (*(const int *)attr & (int)MUTEXATTR_PSHARED) != 0 ? PTHREAD_PROCESS_SHARED : PTHREAD_PROCESS_PRIVATE;
	return 0;
}

int pthread_mutex_init(pthread_mutex_t *mutex, const pthread_mutexattr_t *attr)
{
	memset(mutex, 0, sizeof *mutex);
	mutex->__data.__kind = attr != NULL ? *(const int *)attr & MUTEX_KIND_MASK : PTHREAD_MUTEX_DEFAULT;
	return 0;
}

int pthread_mutex_destroy(pthread_mutex_t *mutex)
{
	if (mutex->__data.__nusers != 0)
		return EBUSY;
	mutex->__data.__kind = -1;
	return 0;
}

static int mutex_acquire(pthread_mutex_t *mutex, int try)
{
	int kind = mutex->__data.__kind & MUTEX_KIND_MASK;
	int id = __pthread_self_descriptor()->tid;

	if (kind == PTHREAD_MUTEX_RECURSIVE && mutex->__data.__owner == id) {
		if (mutex->__data.__count + 1 == 0)
			return EAGAIN;
		mutex->__data.__count++;
		return 0;
	}
	if (kind == PTHREAD_MUTEX_ERRORCHECK && mutex->__data.__owner == id)
		return try ? EBUSY : EDEADLK;
	if (try) {
		if (__lll_trylock(&mutex->__data.__lock))
			return EBUSY;
	} else {
		__lll_lock(&mutex->__data.__lock);
	}
	mutex->__data.__owner = id;
	mutex->__data.__count = 1;
	mutex->__data.__nusers++;
	return 0;
}

int pthread_mutex_lock(pthread_mutex_t *mutex)
{
	return mutex_acquire(mutex, 0);
}

int pthread_mutex_trylock(pthread_mutex_t *mutex)
{
	return mutex_acquire(mutex, 1);
}

int pthread_mutex_unlock(pthread_mutex_t *mutex)
{
	int kind = mutex->__data.__kind & MUTEX_KIND_MASK;

	if (kind == PTHREAD_MUTEX_RECURSIVE || kind == PTHREAD_MUTEX_ERRORCHECK) {
		int id = __pthread_self_descriptor()->tid;
		if (mutex->__data.__owner != id || mutex->__data.__lock == 0)
			return EPERM;
		if (kind == PTHREAD_MUTEX_RECURSIVE && --mutex->__data.__count != 0)
			return 0;
	}
	mutex->__data.__owner = 0;
	mutex->__data.__count = 0;
	mutex->__data.__nusers--;
	__lll_unlock(&mutex->__data.__lock);
	return 0;
}

/* ---- Condition variables: the first word of pthread_cond_t is a wake-up sequence number --------- */

static int *cond_sequence(pthread_cond_t *cond)
{
	return (int *)cond;
}

int pthread_cond_init(pthread_cond_t *cond, const pthread_condattr_t *attr)
{
	(void)attr;
	memset(cond, 0, sizeof *cond);
	return 0;
}

int pthread_cond_destroy(pthread_cond_t *cond)
{
	(void)cond;
	return 0;
}

/* The sequence is read before the mutex is released, so a signal in between changes it and the
   futex wait returns at once: no wake-up is lost. Wake-ups may be spurious, as POSIX allows. */
int pthread_cond_wait(pthread_cond_t *cond, pthread_mutex_t *mutex)
{
	int *sequence = cond_sequence(cond);
	int seen = *sequence;
	int r = pthread_mutex_unlock(mutex);

	if (r != 0)
		return r;
	__syscall4(__NR_futex, sequence, __FUTEX_WAIT | __FUTEX_PRIVATE_FLAG, seen, NULL);
	return pthread_mutex_lock(mutex);
}

int pthread_cond_signal(pthread_cond_t *cond)
{
	int *sequence = cond_sequence(cond);

	__libc_add(sequence, 1);
	__syscall3(__NR_futex, sequence, __FUTEX_WAKE | __FUTEX_PRIVATE_FLAG, 1);
	return 0;
}

int pthread_cond_broadcast(pthread_cond_t *cond)
{
	int *sequence = cond_sequence(cond);

	__libc_add(sequence, 1);
	__syscall3(__NR_futex, sequence, __FUTEX_WAKE | __FUTEX_PRIVATE_FLAG, INT_MAX);
	return 0;
}

int pthread_condattr_init(pthread_condattr_t *attr)
{
	memset(attr, 0, sizeof *attr);
	return 0;
}

int pthread_condattr_destroy(pthread_condattr_t *attr)
{
	(void)attr;
	return 0;
}

/* ---- Once and spin locks ------------------------------------------------------------------------ */

/* pthread_once_t: 0 not run, 1 running, 2 done. Late callers sleep until the first one is done. */
int pthread_once(pthread_once_t *once, void (*init)(void))
{
	for (;;) {
		int state = *once;
		if (state == 2)
			return 0;
		if (state == 0 && __libc_cas(once, 0, 1) == 0) {
			init();
			*once = 2;
			__syscall3(__NR_futex, once, __FUTEX_WAKE | __FUTEX_PRIVATE_FLAG, INT_MAX);
			return 0;
		}
		__syscall4(__NR_futex, once, __FUTEX_WAIT | __FUTEX_PRIVATE_FLAG, 1, NULL);
	}
}

int pthread_spin_init(pthread_spinlock_t *lock, int pshared)
{
	(void)pshared;
	*lock = 0;
	return 0;
}

int pthread_spin_destroy(pthread_spinlock_t *lock)
{
	(void)lock;
	return 0;
}

int pthread_spin_lock(pthread_spinlock_t *lock)
{
	while (__libc_cas((int *)lock, 0, 1) != 0)
		while (*lock != 0)
			;
	return 0;
}

int pthread_spin_trylock(pthread_spinlock_t *lock)
{
	return __libc_cas((int *)lock, 0, 1) == 0 ? 0 : EBUSY;
}

int pthread_spin_unlock(pthread_spinlock_t *lock)
{
	*lock = 0;
	return 0;
}
