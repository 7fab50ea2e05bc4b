/*
 * same_page.c: threads of one process fault the same untouched anonymous page at once
 * (kernel-semantics.md section 2.1 step 7 and section 2.5 finish_fault: when two threads fault
 * one page, both allocate, one installs its PTE, the other finds the PTE already set under the
 * page-table lock and backs out, freeing its page).
 *
 * Four threads wait for a start flag, then each reads and writes its own slot of one page that
 * no one has touched yet. Whatever the interleaving, every thread sees zeros before its store and
 * all four stores land in the same page. Under seeded random scheduling the faults interleave
 * differently for each seed; the output does not change. gcc builds it too.
 */
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <sys/mman.h>

#define PAGE 4096UL
#define THREADS 4

static char *page;
static volatile int ready[THREADS];
static volatile int go;
static int seen[THREADS];

static void *worker(void *argument)
{
	int id = (int)(long)argument;
	ready[id] = 1;
	while (!go)
		sched_yield();
	/* Every thread's first access to the page: a fault on a PTE that is still empty. */
	// @point: first-touch
	seen[id] = page[64 * id];
	page[64 * id] = (char)('A' + id);
	return NULL;
}

int main(void)
{
	page = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (page == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	pthread_t threads[THREADS];
	for (int i = 0; i < THREADS; i++) {
		if (pthread_create(&threads[i], NULL, worker, (void *)(long)i) != 0) {
			fprintf(stderr, "pthread_create failed\n");
			return 1;
		}
	}
	for (int i = 0; i < THREADS; i++)
		while (!ready[i])
			sched_yield();
	go = 1;
	for (int i = 0; i < THREADS; i++)
		pthread_join(threads[i], NULL);
	for (int i = 0; i < THREADS; i++)
		printf("thread %d saw %d, wrote %c\n", i, seen[i], page[64 * i]);
	munmap(page, PAGE);
	return 0;
}
