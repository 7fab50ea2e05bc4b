// A comment that never ends must be reported where it starts.
#include <stdio.h>

int main(void) {
	/* this comment is never closed
	printf("unreachable\n");
	return 0;
}
// EXPECT-ERROR: 5:2: error: unterminated comment
