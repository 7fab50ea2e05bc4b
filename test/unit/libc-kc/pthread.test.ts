// Tests of the KC C library's threads (kc/lib/pthread.c) running as user code on the test-only fake
// machine (fakeMachine.ts), whose threads interleave in small round-robin slices: glibc's clone
// flags and stack mapping (8 MiB plus a PROT_NONE guard, unmapped after join), join through the
// kernel-cleared tid futex, errno per thread, mutexes under contention (futex waits happen),
// recursive and error-checking mutexes, condition variables, pthread_once, detached threads whose
// stacks a later pthread_create reclaims, and the last pthread_exit ending the process.

import * as assert from 'node:assert/strict';
import { runSource, type Outcome } from './fakeMachine';

const CLONE_FLAGS = 0x100 | 0x200 | 0x400 | 0x800 | 0x10000 | 0x40000 | 0x80000 | 0x100000 | 0x200000;

function names(out: Outcome, name: string): number {
	return out.syscalls.filter(s => s.name === name).length;
}

describe('KC libc pthreads (on the fake machine)', function () {
	this.timeout(30000);

	it('creates a thread with glibc\'s clone flags on an mmap\'d stack with a guard page, and joins it', () => {
		const out = runSource(`
			#include <pthread.h>
			#include <stdio.h>
			static void *work(void *arg) { return (void *)((long)arg * 2); }
			int main(void)
			{
				pthread_t t;
				void *result;
				int c = pthread_create(&t, NULL, work, (void *)21);
				int j = pthread_join(t, &result);
				printf("%d %d %ld %d\\n", c, j, (long)result, pthread_equal(pthread_self(), t));
				return 0;
			}`);
		assert.equal(out.stdout, '0 0 42 0\n');
		assert.deepEqual(out.machine.cloneFlags, [CLONE_FLAGS]);
		const mmap = out.syscalls.find(s => s.name === 'mmap')!;
		// 8 MiB + the guard, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK.
		assert.deepEqual(mmap.args.slice(1, 4).map(Number), [8 * 1024 * 1024 + 4096, 0, 0x20022]);
		const mprotect = out.syscalls.find(s => s.name === 'mprotect')!;
		assert.deepEqual(mprotect.args.slice(1, 3).map(Number), [8 * 1024 * 1024, 3]);
		assert.equal(names(out, 'munmap'), 1);
	});

	it('keeps errno per thread, in each thread\'s own thread area', () => {
		const out = runSource(`
			#include <errno.h>
			#include <pthread.h>
			#include <stdio.h>
			#include <unistd.h>
			static int *thread_errno;
			static int thread_value;
			static void *work(void *arg)
			{
				(void)arg;
				close(-1);
				thread_errno = &errno;
				thread_value = errno;
				return NULL;
			}
			int main(void)
			{
				pthread_t t;
				errno = 0;
				pthread_create(&t, NULL, work, NULL);
				pthread_join(t, NULL);
				printf("%d %d %d\\n", thread_value == EBADF, errno, thread_errno != &errno);
				return 0;
			}`);
		assert.equal(out.stdout, '1 0 1\n');
	});

	it('serializes a counter with a mutex while four threads interleave every few statements', () => {
		const out = runSource(`
			#include <pthread.h>
			#include <stdio.h>
			static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
			static long counter;
			static void *work(void *arg)
			{
				(void)arg;
				for (int i = 0; i < 100; i++) {
					pthread_mutex_lock(&lock);
					long seen = counter;
					sched_yield();
					counter = seen + 1;
					pthread_mutex_unlock(&lock);
				}
				return NULL;
			}
			int main(void)
			{
				pthread_t t[4];
				for (int i = 0; i < 4; i++)
					pthread_create(&t[i], NULL, work, NULL);
				for (int i = 0; i < 4; i++)
					pthread_join(t[i], NULL);
				printf("%ld\\n", counter);
				return 0;
			}`, { quantum: 7 });
		assert.equal(out.stdout, '400\n');
		// The yield inside the critical section made others find the lock taken and sleep on it.
		const waits = out.syscalls.filter(s => s.name === 'futex' && (Number(s.args[1]) & 0x7f) === 0).length;
		assert.ok(waits > 0, 'no thread ever waited for the mutex');
	});

	it('implements recursive and error-checking mutexes', () => {
		const out = runSource(`
			#include <errno.h>
			#include <pthread.h>
			#include <stdio.h>
			int main(void)
			{
				pthread_mutexattr_t attr;
				pthread_mutex_t rec, chk;
				pthread_mutexattr_init(&attr);
				pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
				pthread_mutex_init(&rec, &attr);
				pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_ERRORCHECK);
				pthread_mutex_init(&chk, &attr);
				int r = pthread_mutex_lock(&rec) + pthread_mutex_lock(&rec) + pthread_mutex_unlock(&rec);
				int busy = pthread_mutex_destroy(&rec);
				pthread_mutex_unlock(&rec);
				int perm = pthread_mutex_unlock(&chk);
				pthread_mutex_lock(&chk);
				int deadlock = pthread_mutex_lock(&chk);
				int try = pthread_mutex_trylock(&chk);
				printf("%d %d %d %d %d %d\\n", r, busy == EBUSY, perm == EPERM, deadlock == EDEADLK, try == EBUSY, pthread_mutex_unlock(&chk));
				return 0;
			}`);
		assert.equal(out.stdout, '0 1 1 1 1 0\n');
	});

	it('wakes condition variable waiters and runs pthread_once exactly once', () => {
		const out = runSource(`
			#include <pthread.h>
			#include <stdio.h>
			static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
			static pthread_cond_t ready = PTHREAD_COND_INITIALIZER;
			static pthread_once_t once = PTHREAD_ONCE_INIT;
			static int items, consumed, inits;
			static void init(void) { inits++; sched_yield(); }
			static void *consumer(void *arg)
			{
				(void)arg;
				pthread_once(&once, init);
				pthread_mutex_lock(&lock);
				while (items == 0)
					pthread_cond_wait(&ready, &lock);
				items--;
				consumed++;
				pthread_mutex_unlock(&lock);
				return NULL;
			}
			int main(void)
			{
				pthread_t t[3];
				for (int i = 0; i < 3; i++)
					pthread_create(&t[i], NULL, consumer, NULL);
				for (int i = 0; i < 3; i++) {
					sched_yield();
					pthread_mutex_lock(&lock);
					items++;
					pthread_cond_signal(&ready);
					pthread_mutex_unlock(&lock);
				}
				for (int i = 0; i < 3; i++)
					pthread_join(t[i], NULL);
				printf("%d %d %d\\n", consumed, items, inits);
				return 0;
			}`, { quantum: 11 });
		assert.equal(out.stdout, '3 0 1\n');
	});

	it('reclaims a detached thread\'s stack at the next pthread_create, once the kernel cleared its tid', () => {
		const out = runSource(`
			#include <pthread.h>
			#include <stdio.h>
			static volatile int done;
			static void *work(void *arg) { (void)arg; done = 1; return NULL; }
			static void *nothing(void *arg) { return arg; }
			int main(void)
			{
				pthread_attr_t attr;
				pthread_t t, u;
				pthread_attr_init(&attr);
				pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
				pthread_create(&t, &attr, work, NULL);
				while (!done)
					sched_yield();
				for (int i = 0; i < 20; i++)
					sched_yield();
				pthread_create(&u, NULL, nothing, NULL);
				pthread_join(u, NULL);
				return 0;
			}`);
		const calls = out.syscalls.map(s => s.name).filter(n => n === 'mmap' || n === 'munmap' || n === 'exit');
		// The detached thread exits; the next pthread_create unmaps its stack before mapping a new one.
		assert.deepEqual(calls, ['mmap', 'exit', 'munmap', 'mmap', 'exit', 'munmap']);
	});

	it('keeps the process alive after main\'s pthread_exit; the last thread\'s exit flushes stdio (exit(0))', () => {
		const out = runSource(`
			#include <pthread.h>
			#include <stdio.h>
			static void *work(void *arg)
			{
				for (int i = 0; i < 50; i++)
					sched_yield();
				printf("worker done %ld\\n", (long)arg);
				return NULL;
			}
			int main(void)
			{
				pthread_t t;
				pthread_create(&t, NULL, work, (void *)7);
				printf("main leaves\\n");
				pthread_exit(NULL);
			}`);
		assert.equal(out.status, 0);
		assert.equal(out.stdout, 'main leaves\nworker done 7\n');
		assert.equal(out.writes.length, 1);
	});

	it('reports stack attributes as glibc does', () => {
		const out = runSource(`
			#include <errno.h>
			#include <pthread.h>
			#include <stdio.h>
			int main(void)
			{
				pthread_attr_t attr;
				size_t stack, guard;
				int state;
				pthread_attr_init(&attr);
				pthread_attr_getstacksize(&attr, &stack);
				pthread_attr_getguardsize(&attr, &guard);
				pthread_attr_getdetachstate(&attr, &state);
				int small = pthread_attr_setstacksize(&attr, 1000);
				printf("%zu %zu %d %d\\n", stack, guard, state == PTHREAD_CREATE_JOINABLE, small == EINVAL);
				return 0;
			}`);
		assert.equal(out.stdout, '8388608 4096 1 1\n');
	});
});
