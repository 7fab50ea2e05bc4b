// Checks qsort with comparators (ints, strings, structs with ties) and bsearch, counting comparator calls like glibc.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int calls;

static int cmp_int(const void *a, const void *b) {
	calls++;
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

static int cmp_desc(const void *a, const void *b) { return cmp_int(b, a); }

static int cmp_str(const void *a, const void *b) { return strcmp(*(const char *const *)a, *(const char *const *)b); }

struct employee {
	char name[12];
	int age;
	double salary;
};

static int by_age(const void *a, const void *b) {
	const struct employee *x = a, *y = b;
	return x->age - y->age;
}

int main(void) {
	int xs[] = { 42, -7, 19, 0, 88, 19, 3, -100, 55, 1 };
	int n = sizeof xs / sizeof xs[0];
	qsort(xs, n, sizeof xs[0], cmp_int);
	for (int i = 0; i < n; i++) printf("%d ", xs[i]);
	printf("\ncomparisons: %d\n", calls);
	int keys[] = { 19, -100, 88, 4 };
	for (int i = 0; i < 4; i++) {
		int *hit = bsearch(&keys[i], xs, n, sizeof xs[0], cmp_int);
		printf("bsearch %d: %s", keys[i], hit ? "found" : "missing");
		if (hit) printf(" at %td", hit - xs);
		printf("\n");
	}
	calls = 0;
	qsort(xs, n, sizeof xs[0], cmp_desc);
	printf("desc first=%d last=%d comparisons=%d\n", xs[0], xs[n - 1], calls);
	const char *words[] = { "pear", "apple", "fig", "banana", "cherry", "apple" };
	qsort(words, 6, sizeof words[0], cmp_str);
	for (int i = 0; i < 6; i++) printf("%s ", words[i]);
	printf("\n");
	struct employee staff[] = {
		{ "ann", 40, 5000.5 }, { "bob", 25, 3000 }, { "cid", 40, 4200 }, { "dee", 31, 3900 }, { "eve", 25, 3100 },
	};
	qsort(staff, 5, sizeof staff[0], by_age);
	for (int i = 0; i < 5; i++) printf("%s:%d:%.1f ", staff[i].name, staff[i].age, staff[i].salary);
	printf("\n");
	int big[200];
	unsigned seed = 12345;
	for (int i = 0; i < 200; i++) {
		seed = seed * 1103515245u + 12345u;
		big[i] = (int)(seed >> 16) % 1000;
	}
	calls = 0;
	qsort(big, 200, sizeof big[0], cmp_int);
	int sorted = 1;
	for (int i = 1; i < 200; i++) sorted &= big[i - 1] <= big[i];
	printf("big sorted=%d min=%d max=%d comparisons=%d\n", sorted, big[0], big[199], calls);
	qsort(big, 0, sizeof big[0], cmp_int);
	qsort(big, 1, sizeof big[0], cmp_int);
	printf("trivial sorts ok\n");
	return 0;
}
