// Checks threads faulting the same page concurrently: every thread of one mm sees the same contents (zero for anonymous, the file for a shared file mapping) and each other's stores (kernel-semantics §2.1 step 7 / §2.5 finish_fault: the loser of a fault race backs out quietly; issue 3 acceptance: threads faulting the same page).
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define PAGE 4096UL
#define THREADS 4

static char *anon;
static char *file;
static volatile int ready[THREADS];
static volatile int go;
static int seen_anon[THREADS];
static char seen_file[THREADS][16];

static void *worker(void *argument)
{
	int id = (int)(long)argument;
	ready[id] = 1;
	while (!go)
		sched_yield();
	/* All threads touch the same untouched pages at once. */
	seen_anon[id] = anon[PAGE + 64];
	memcpy(seen_file[id], file + 10, 15);
	/* Each thread writes its own slot of one shared page. */
	anon[8 * id] = (char)('A' + id);
	return NULL;
}

int main(void)
{
	anon = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char path[64];
	snprintf(path, sizeof path, "/tmp/fl-diff-threads-%d", (int)getpid());
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	char block[PAGE];
	memset(block, '-', sizeof block);
	memcpy(block + 10, "file page value", 15);
	if (anon == MAP_FAILED || fd < 0 || write(fd, block, PAGE) != (long)PAGE)
		return 1;
	file = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, fd, 0);
	if (file == MAP_FAILED)
		return 1;

	pthread_t threads[THREADS];
	for (int i = 0; i < THREADS; i++)
		if (pthread_create(&threads[i], NULL, worker, (void *)(long)i) != 0)
			return 1;
	for (int i = 0; i < THREADS; i++)
		while (!ready[i])
			sched_yield();
	go = 1;
	for (int i = 0; i < THREADS; i++)
		pthread_join(threads[i], NULL);

	for (int i = 0; i < THREADS; i++)
		printf("thread %d saw anonymous byte %d and file text \"%.15s\"\n", i, seen_anon[i], seen_file[i]);
	printf("slots written by the threads:");
	for (int i = 0; i < THREADS; i++)
		printf(" %c", anon[8 * i]);
	printf("\n");
	munmap(anon, 2 * PAGE);
	munmap(file, PAGE);
	close(fd);
	printf("unlink: %d\n", unlink(path));
	return 0;
}
