// Checks MADV_DONTNEED per backing: private anonymous pages read back as zero (also pages a child inherited), shared anonymous and shared file pages keep their data and stay resident (kernel-semantics §2.5 zapping, zap_page_range; issue 3 acceptance: MADV_DONTNEED).
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE 4096UL

static void residency(const char *label, char *address, int pages)
{
	unsigned char vec[8];
	printf("%s resident: ", label);
	if (mincore(address, pages * PAGE, vec) != 0) {
		printf("mincore failed\n");
		return;
	}
	for (int i = 0; i < pages; i++)
		putchar(vec[i] & 1 ? '1' : '0');
	putchar('\n');
}

int main(void)
{
	char *anon = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *shanon = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	char path[64];
	snprintf(path, sizeof path, "/tmp/fl-diff-dontneed-%d", (int)getpid());
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	char block[2 * PAGE];
	memset(block, 'f', sizeof block);
	if (anon == MAP_FAILED || shanon == MAP_FAILED || fd < 0 || write(fd, block, sizeof block) != (long)sizeof block)
		return 1;
	char *file = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (file == MAP_FAILED)
		return 1;

	for (int i = 0; i < 4; i++)
		memset(anon + i * PAGE, 'a' + i, PAGE);
	strcpy(shanon, "shared anonymous data");
	strcpy(shanon + PAGE, "second shared page");
	strcpy(file, "shared file data");

	printf("private anonymous DONTNEED pages 1-2: %d\n", madvise(anon + PAGE, 2 * PAGE, MADV_DONTNEED));
	residency("private anonymous", anon, 4);
	printf("private anonymous after: %c %d %d %c\n", anon[0], anon[PAGE], anon[2 * PAGE + 4095], anon[3 * PAGE]);

	printf("shared anonymous DONTNEED: %d\n", madvise(shanon, 2 * PAGE, MADV_DONTNEED));
	residency("shared anonymous", shanon, 2);
	printf("shared anonymous after: %s / %s\n", shanon, shanon + PAGE);

	printf("shared file DONTNEED: %d\n", madvise(file, 2 * PAGE, MADV_DONTNEED));
	residency("shared file", file, 2);
	printf("shared file after: %s, page 1 byte %c\n", file, file[PAGE]);

	/* In a child, DONTNEED drops the inherited private pages: the child reads zeros, the parent keeps its data. */
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		int code = anon[0] == 'a' ? 0 : 1;
		madvise(anon, PAGE, MADV_DONTNEED);
		code |= anon[0] == 0 ? 0 : 2;
		madvise(shanon, PAGE, MADV_DONTNEED);
		code |= strcmp(shanon, "shared anonymous data") == 0 ? 0 : 4;
		_exit(code);
	}
	int status = 0;
	waitpid(pid, &status, 0);
	printf("child checks (0 = inherited page dropped to zero, shared kept): %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	printf("parent's private page 0 after the child's DONTNEED: %c\n", anon[0]);

	munmap(anon, 4 * PAGE);
	munmap(shanon, 2 * PAGE);
	munmap(file, 2 * PAGE);
	close(fd);
	printf("unlink: %d\n", unlink(path));
	return 0;
}
