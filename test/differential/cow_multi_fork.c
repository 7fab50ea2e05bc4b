// Checks COW with several processes mapping one page at once: three live children and a grandchild each modify their own copy, exit statuses carry what each saw (kernel-semantics §1 struct page mapcount, §2.5 COW; issue 3: fork with COW, wait/waitpid).
#include <sched.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE 4096UL

static int status_of(pid_t pid)
{
	int status = 0;
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int main(void)
{
	int *counter = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	volatile int *go = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if ((void *)counter == MAP_FAILED || (void *)go == MAP_FAILED)
		return 1;
	counter[0] = 10;
	counter[1000] = 5;

	pid_t children[3];
	fflush(stdout);
	for (int i = 0; i < 3; i++) {
		children[i] = fork();
		if (children[i] == 0) {
			go[1 + i] = 1;  /* alive */
			while (go[0] == 0)
				sched_yield();
			for (int k = 0; k <= i; k++)
				counter[0] += 1;
			if (i == 2) {
				/* A grandchild copies the child's copy and changes it again. */
				pid_t grandchild = fork();
				if (grandchild == 0) {
					counter[0] *= 2;
					_exit(counter[0]);
				}
				int seen = status_of(grandchild);
				_exit(seen == 2 * counter[0] ? counter[0] : 99);
			}
			_exit(counter[0] + counter[1000]);
		}
	}
	/* Every child is alive and maps the page before anyone writes. */
	for (int i = 0; i < 3; i++)
		while (go[1 + i] == 0)
			sched_yield();
	counter[0] += 100;
	go[0] = 1;
	for (int i = 0; i < 3; i++)
		printf("child %d exited with %d\n", i, status_of(children[i]));
	printf("parent's counter: %d, untouched word: %d\n", counter[0], counter[1000]);
	printf("no more children: %s\n", waitpid(-1, NULL, 0) == -1 ? "yes" : "no");
	return 0;
}
