// Checks loops and jumps: for/while/do-while, break and continue in nested loops, early returns, loop-carried state.
#include <stdio.h>

static int is_prime(int n) {
	if (n < 2) return 0;
	for (int d = 2; d * d <= n; d++)
		if (n % d == 0) return 0;
	return 1;
}

static int collatz_steps(long n) {
	int steps = 0;
	while (n != 1) {
		n = n % 2 ? 3 * n + 1 : n / 2;
		steps++;
	}
	return steps;
}

int main(void) {
	int primes = 0, last = 0;
	for (int i = 0; i < 1000; i++) {
		if (!is_prime(i)) continue;
		primes++;
		last = i;
	}
	printf("primes below 1000: %d, largest %d\n", primes, last);
	int best = 0, arg = 0;
	for (int i = 1; i < 10000; i++) {
		int s = collatz_steps(i);
		if (s > best) {
			best = s;
			arg = i;
		}
	}
	printf("longest collatz below 10000: %d steps from %d\n", best, arg);
	int found_i = -1, found_j = -1;
	for (int i = 1; i < 50 && found_i < 0; i++) {
		for (int j = i; j < 50; j++) {
			if (i * i + j * j == 25 * 25 && i > 10) {
				found_i = i;
				found_j = j;
				break;
			}
		}
	}
	printf("pythagorean pair for 25: %d %d\n", found_i, found_j);
	int n = 0;
	do n += 3;
	while (n < 10);
	printf("do-while n=%d\n", n);
	int k = 100;
	do {
		k--;
	} while (0);
	printf("do-while(0) ran once: %d\n", k);
	int total = 0;
	for (int i = 0;; i++) {
		if (i % 2) continue;
		if (i > 20) break;
		total += i;
	}
	printf("evens to 20: %d\n", total);
	int countdown = 5;
	while (countdown --> 0) printf("%d ", countdown);
	printf("\n");
	unsigned char uc = 250;
	int iterations = 0;
	for (; uc != 4; uc++) iterations++;
	printf("unsigned char wrapped after %d iterations\n", iterations);
	return 0;
}
