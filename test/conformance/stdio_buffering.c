// Checks stdio buffering as glibc does it with stdout on a pipe: printf output waits in the buffer, write(1) goes first, fflush orders them.
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void) {
	printf("1: buffered by printf\n");
	write(1, "2: written directly by write(2)\n", 32);
	fflush(stdout);
	printf("3: after fflush\n");
	fputs("4: fputs", stdout);
	putchar('\n');
	puts("5: puts adds a newline");
	fwrite("6: fwrite\n", 1, 10, stdout);
	fprintf(stdout, "%d: fprintf to stdout\n", 7);
	fflush(stdout);
	write(STDOUT_FILENO, "8: direct after flush\n", 22);
	char big[5000];
	memset(big, '.', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	printf("9: %s\n", big);
	write(1, "10: direct after a 5000-byte printf\n", 36);
	printf("11: end\n");
	int r = putchar('!');
	int p = puts("");
	printf("putchar returned %d, puts returned %d\n", r, p);
	fprintf(stderr, "stderr is unbuffered and not compared\n");
	return 0;
}
