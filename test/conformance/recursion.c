// Checks recursion: factorial, Fibonacci, Ackermann, mutual recursion, Towers of Hanoi, recursive permutations.
#include <stdio.h>
#include <string.h>

static unsigned long factorial(unsigned n) { return n <= 1 ? 1 : n * factorial(n - 1); }

static int fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

static int ackermann(int m, int n) {
	if (m == 0) return n + 1;
	if (n == 0) return ackermann(m - 1, 1);
	return ackermann(m - 1, ackermann(m, n - 1));
}

static int is_odd(unsigned n);
static int is_even(unsigned n) { return n == 0 ? 1 : is_odd(n - 1); }
static int is_odd(unsigned n) { return n == 0 ? 0 : is_even(n - 1); }

static int moves;
static void hanoi(int n, char from, char to, char via) {
	if (n == 0) return;
	hanoi(n - 1, from, via, to);
	if (n >= 4) printf("move disk %d %c->%c\n", n, from, to);
	moves++;
	hanoi(n - 1, via, to, from);
}

static int permutations;
static void permute(char *s, int k, int n) {
	if (k == n) {
		if (permutations < 6) printf("%s ", s);
		permutations++;
		return;
	}
	for (int i = k; i < n; i++) {
		char t = s[k]; s[k] = s[i]; s[i] = t;
		permute(s, k + 1, n);
		t = s[k]; s[k] = s[i]; s[i] = t;
	}
}

static long depth_sum(int depth) {
	char pad[64];
	memset(pad, depth & 0x7f, sizeof pad);
	if (depth == 0) return 0;
	return pad[depth % 64] + depth_sum(depth - 1);
}

int main(void) {
	for (unsigned i = 0; i <= 20; i += 5) printf("%u! = %lu\n", i, factorial(i));
	printf("fib(20)=%d fib(25)=%d\n", fib(20), fib(25));
	printf("ackermann(2,3)=%d ackermann(3,3)=%d\n", ackermann(2, 3), ackermann(3, 3));
	printf("is_even(1000)=%d is_odd(777)=%d\n", is_even(1000), is_odd(777));
	hanoi(6, 'A', 'C', 'B');
	printf("hanoi moves=%d\n", moves);
	char word[] = "abcde";
	permute(word, 0, 5);
	printf("\npermutations=%d\n", permutations);
	printf("depth_sum(5000)=%ld\n", depth_sum(5000));
	return 0;
}
