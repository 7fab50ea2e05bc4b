// Checks threads writing disjoint pages of one anonymous mapping: every page ends with its writer's data, all pages resident, and the main thread sees it all after join (kernel-semantics §1 one mm per process, shared by its threads; issue 3: pthread_create/join with a shared mm).
#include <pthread.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#define PAGE 4096UL
#define THREADS 4
#define PAGES_EACH 16

static unsigned char *mem;

static void *writer(void *argument)
{
	long id = (long)argument;
	/* Thread `id` owns pages id, id + THREADS, id + 2*THREADS, ... (interleaved, never shared). */
	for (long k = 0; k < PAGES_EACH; k++) {
		unsigned char *page = mem + (unsigned long)(k * THREADS + id) * PAGE;
		for (unsigned long i = 0; i < PAGE; i += 256)
			page[i] = (unsigned char)(id * 50 + k);
	}
	unsigned long sum = 0;
	for (long k = 0; k < PAGES_EACH; k++)
		sum += mem[(unsigned long)(k * THREADS + id) * PAGE + 512];
	return (void *)sum;
}

int main(void)
{
	const unsigned long pages = THREADS * PAGES_EACH;
	mem = mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		return 1;
	pthread_t threads[THREADS];
	for (long i = 0; i < THREADS; i++)
		if (pthread_create(&threads[i], NULL, writer, (void *)i) != 0)
			return 1;
	for (int i = 0; i < THREADS; i++) {
		void *result = NULL;
		pthread_join(threads[i], &result);
		printf("thread %d read back sum %ld\n", i, (long)result);
	}
	unsigned long total = 0;
	int wrong = 0;
	for (unsigned long p = 0; p < pages; p++) {
		unsigned char expected = (unsigned char)((p % THREADS) * 50 + p / THREADS);
		for (unsigned long i = 0; i < PAGE; i += 256)
			wrong += mem[p * PAGE + i] != expected;
		total += mem[p * PAGE];
	}
	printf("main thread: %lu pages, total %lu, wrong bytes %d\n", pages, total, wrong);
	unsigned char vec[THREADS * PAGES_EACH];
	int resident = 0;
	if (mincore(mem, pages * PAGE, vec) == 0)
		for (unsigned long p = 0; p < pages; p++)
			resident += vec[p] & 1;
	printf("resident pages: %d\n", resident);
	return munmap(mem, pages * PAGE);
}
