// Checks <pthread.h>: the sizes of every pthread type, the mutex and rwlock fields, every constant, and the bytes of each static initializer.
#define _GNU_SOURCE
#include <pthread.h>
#include "print.h"

static pthread_mutex_t timed = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t recursive = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP;
static pthread_mutex_t errorcheck = PTHREAD_ERRORCHECK_MUTEX_INITIALIZER_NP;
static pthread_mutex_t adaptive = PTHREAD_ADAPTIVE_MUTEX_INITIALIZER_NP;
static pthread_rwlock_t rwlock = PTHREAD_RWLOCK_INITIALIZER;
static pthread_rwlock_t writer = PTHREAD_RWLOCK_WRITER_NONRECURSIVE_INITIALIZER_NP;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static pthread_once_t once = PTHREAD_ONCE_INIT;

/* Initializers also work inside other initializers. */
static struct {
	int before;
	pthread_mutex_t lock;
	int after;
} guarded = { 1, PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP, 2 };

int main(void)
{
	CONST(PTHREAD_CREATE_JOINABLE);
	CONST(PTHREAD_CREATE_DETACHED);
	CONST(PTHREAD_INHERIT_SCHED);
	CONST(PTHREAD_EXPLICIT_SCHED);
	CONST(PTHREAD_SCOPE_SYSTEM);
	CONST(PTHREAD_SCOPE_PROCESS);
	CONST(PTHREAD_PROCESS_PRIVATE);
	CONST(PTHREAD_PROCESS_SHARED);
	CONST(PTHREAD_CANCEL_ENABLE);
	CONST(PTHREAD_CANCEL_DISABLE);
	CONST(PTHREAD_CANCEL_DEFERRED);
	CONST(PTHREAD_CANCEL_ASYNCHRONOUS);
	POINTER(PTHREAD_CANCELED);
	CONST(PTHREAD_ONCE_INIT);
	CONST(PTHREAD_BARRIER_SERIAL_THREAD);

	CONST(PTHREAD_MUTEX_TIMED_NP);
	CONST(PTHREAD_MUTEX_RECURSIVE_NP);
	CONST(PTHREAD_MUTEX_ERRORCHECK_NP);
	CONST(PTHREAD_MUTEX_ADAPTIVE_NP);
	CONST(PTHREAD_MUTEX_NORMAL);
	CONST(PTHREAD_MUTEX_RECURSIVE);
	CONST(PTHREAD_MUTEX_ERRORCHECK);
	CONST(PTHREAD_MUTEX_DEFAULT);
	CONST(PTHREAD_MUTEX_FAST_NP);
	CONST(PTHREAD_MUTEX_STALLED);
	CONST(PTHREAD_MUTEX_STALLED_NP);
	CONST(PTHREAD_MUTEX_ROBUST);
	CONST(PTHREAD_MUTEX_ROBUST_NP);
	CONST(PTHREAD_PRIO_NONE);
	CONST(PTHREAD_PRIO_INHERIT);
	CONST(PTHREAD_PRIO_PROTECT);
	CONST(PTHREAD_RWLOCK_PREFER_READER_NP);
	CONST(PTHREAD_RWLOCK_PREFER_WRITER_NP);
	CONST(PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
	CONST(PTHREAD_RWLOCK_DEFAULT_NP);

	SCALAR(pthread_t);
	SCALAR(pthread_key_t);
	SCALAR(pthread_once_t);
	SCALAR(pthread_spinlock_t);
	TYPE(pthread_attr_t);
	TYPE(union pthread_attr_t);
	TYPE(pthread_mutex_t);
	TYPE(pthread_mutexattr_t);
	TYPE(pthread_cond_t);
	TYPE(pthread_condattr_t);
	TYPE(pthread_rwlock_t);
	TYPE(pthread_rwlockattr_t);
	TYPE(pthread_barrier_t);
	TYPE(pthread_barrierattr_t);

	INTMEMBER(pthread_mutex_t, __data.__lock);
	INTMEMBER(pthread_mutex_t, __data.__count);
	INTMEMBER(pthread_mutex_t, __data.__owner);
	INTMEMBER(pthread_mutex_t, __data.__nusers);
	INTMEMBER(pthread_mutex_t, __data.__kind);
	INTMEMBER(pthread_mutex_t, __data.__spins);
	INTMEMBER(pthread_mutex_t, __data.__elision);
	MEMBER(pthread_mutex_t, __data.__list);
	INTMEMBER(pthread_rwlock_t, __data.__readers);
	INTMEMBER(pthread_rwlock_t, __data.__writers);
	INTMEMBER(pthread_rwlock_t, __data.__cur_writer);
	INTMEMBER(pthread_rwlock_t, __data.__shared);
	INTMEMBER(pthread_rwlock_t, __data.__flags);

	nonzero_bytes("PTHREAD_MUTEX_INITIALIZER", &timed, sizeof(timed));
	nonzero_bytes("PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP", &recursive, sizeof(recursive));
	nonzero_bytes("PTHREAD_ERRORCHECK_MUTEX_INITIALIZER_NP", &errorcheck, sizeof(errorcheck));
	nonzero_bytes("PTHREAD_ADAPTIVE_MUTEX_INITIALIZER_NP", &adaptive, sizeof(adaptive));
	nonzero_bytes("PTHREAD_RWLOCK_INITIALIZER", &rwlock, sizeof(rwlock));
	nonzero_bytes("PTHREAD_RWLOCK_WRITER_NONRECURSIVE_INITIALIZER_NP", &writer, sizeof(writer));
	nonzero_bytes("PTHREAD_COND_INITIALIZER", &cond, sizeof(cond));
	nonzero_bytes("PTHREAD_ONCE_INIT", &once, sizeof(once));
	nonzero_bytes("nested initializer", &guarded, sizeof(guarded));
	return 0;
}
