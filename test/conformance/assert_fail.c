// Checks a failing assert: glibc prints the assertion to stderr and aborts (status 134); buffered stdout is lost.
#include <stdio.h>
#include <assert.h>

static int checked_divide(int a, int b) {
	assert(b != 0);
	return a / b;
}

int main(void) {
	printf("10/2=%d\n", checked_divide(10, 2));
	fflush(stdout);
	printf("this line stays in the buffer and is lost by abort\n");
	return checked_divide(1, 0);
}
