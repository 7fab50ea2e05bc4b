// Checks exit() with atexit handlers (run newest first, with stdout still flushed) and the exit status 7.
#include <stdio.h>
#include <stdlib.h>

static int order;

static void first(void) { printf("first handler (registered first), order %d\n", ++order); }
static void second(void) { printf("second handler, order %d\n", ++order); }
static void third(void) { printf("third handler, order %d\n", ++order); }

static void finish(int code) {
	printf("finishing with %d\n", code);
	exit(code);
}

int main(void) {
	atexit(first);
	atexit(second);
	atexit(third);
	printf("main body (buffered output survives exit)\n");
	finish(7);
	printf("never printed\n");
	return 0;
}
