// Checks static local variables (counters, memoization, per-function state), file-scope statics and globals.
#include <stdio.h>

int global_counter = 100;
static int file_counter;

static int next_id(void) {
	static int id = 1000;
	return id++;
}

static long fib_memo(int n) {
	static long memo[80];
	static int hits;
	if (n < 0) return hits;
	if (n < 2) return n;
	if (memo[n]) {
		hits++;
		return memo[n];
	}
	return memo[n] = fib_memo(n - 1) + fib_memo(n - 2);
}

static const char *ring(void) {
	static const char *names[] = { "red", "green", "blue" };
	static unsigned pos;
	return names[pos++ % 3];
}

static int *counter_address(void) {
	static int c;
	c++;
	return &c;
}

static void bump(void) {
	file_counter += 2;
	global_counter--;
}

int main(void) {
	for (int i = 0; i < 3; i++) printf("id %d\n", next_id());
	printf("fib(70)=%ld hits=%ld\n", fib_memo(70), fib_memo(-1));
	printf("fib(75)=%ld hits=%ld\n", fib_memo(75), fib_memo(-1));
	for (int i = 0; i < 5; i++) printf("%s ", ring());
	printf("\n");
	int *c1 = counter_address();
	int *c2 = counter_address();
	printf("same static object: %d value %d\n", c1 == c2, *c1);
	*c1 = 50;
	counter_address();
	printf("after external write: %d\n", *c2);
	for (int i = 0; i < 4; i++) bump();
	printf("file_counter=%d global_counter=%d\n", file_counter, global_counter);
	return 0;
}
