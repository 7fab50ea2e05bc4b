// A function-like macro invoked with the wrong number of arguments.
#include <stdio.h>

#define ADD(a, b) ((a) + (b))

int main(void) {
	printf("%d\n", ADD(1, 2, 3));
	return 0;
}
// EXPECT-ERROR: 7:17: error: macro "ADD" passed 3 arguments, but takes just 2
