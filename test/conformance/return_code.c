// Checks that main's return value becomes the exit status (300 is reported modulo 256 as 44) and output is flushed.
#include <stdio.h>

static int compute(void) {
	int total = 0;
	for (int i = 1; i <= 24; i++) total += i;
	return total;
}

int main(void) {
	int status = compute();
	printf("status will be %d mod 256 = %d\n", status, status % 256);
	return status;
}
