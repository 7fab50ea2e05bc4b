// Checks fork + waitpid exit statuses: exit codes 0/3/255, children killed by SIGSEGV (11, shell 139), SIGBUS from a file mapping past EOF (7, shell 135), kill(SIGKILL) and kill(SIGUSR1), waitpid(-1) and ECHILD (issue 3: fork, exit, wait/waitpid, kill, SIGSEGV/SIGBUS delivery).
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE 4096UL

static char *eof_map;
static char *readonly;

static void describe(const char *label, int status)
{
	if (WIFEXITED(status))
		printf("%-28s WIFEXITED, WEXITSTATUS %d\n", label, WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		printf("%-28s WIFSIGNALED, WTERMSIG %d, shell status %d\n", label, WTERMSIG(status), 128 + WTERMSIG(status));
	else
		printf("%-28s neither exited nor signalled\n", label);
}

static pid_t spawn(int how)
{
	fflush(stdout);  /* exit() in a child would flush a copy of pending output */
	pid_t pid = fork();
	if (pid != 0)
		return pid;
	switch (how) {
	case 0: _exit(0);
	case 1: exit(3);
	case 2: _exit(255);
	case 3: _exit(256 + 7);  /* only the low 8 bits survive */
	case 4: readonly[0] = 1; break;
	case 5: { volatile char c = eof_map[PAGE]; (void)c; break; }
	case 6: kill(getpid(), SIGKILL); break;
	case 7: kill(getpid(), SIGUSR1); break;
	}
	_exit(100);
}

int main(void)
{
	char path[64];
	snprintf(path, sizeof path, "/tmp/fl-diff-wait-%d", (int)getpid());
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || write(fd, "x", 1) != 1)
		return 1;
	eof_map = mmap(NULL, 2 * PAGE, PROT_READ, MAP_SHARED, fd, 0);
	readonly = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (eof_map == MAP_FAILED || readonly == MAP_FAILED)
		return 1;

	const char *labels[] = { "_exit(0):", "exit(3):", "_exit(255):", "_exit(263):", "write to PROT_READ:",
		"read past EOF of a file:", "kill(self, SIGKILL):", "kill(self, SIGUSR1):" };
	for (int how = 0; how < 8; how++) {
		pid_t pid = spawn(how);
		int status = -1;
		pid_t waited = waitpid(pid, &status, 0);
		if (waited != pid)
			printf("waitpid returned another pid\n");
		describe(labels[how], status);
	}

	/* waitpid(-1) reaps any child; with none left it fails with ECHILD. */
	pid_t a = spawn(1);
	pid_t b = spawn(2);
	int reaped = 0, total = 0, status;
	pid_t pid;
	while ((pid = waitpid(-1, &status, 0)) > 0) {
		reaped += pid == a || pid == b;
		total += WEXITSTATUS(status);
	}
	printf("waitpid(-1) reaped %d children, exit codes summing to %d, then %s\n", reaped, total, errno == ECHILD ? "ECHILD" : "another errno");
	printf("wait with no children: %d %s\n", (int)wait(NULL), errno == ECHILD ? "ECHILD" : "another errno");

	munmap(eof_map, 2 * PAGE);
	close(fd);
	unlink(path);
	return 0;
}
