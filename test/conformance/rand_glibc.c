// Checks that rand()/srand() reproduce glibc's TYPE_3 random() sequences, including the default seed and srand(0).
#include <stdio.h>
#include <stdlib.h>

int main(void) {
	printf("default:");
	for (int i = 0; i < 5; i++) printf(" %d", rand());
	printf("\n");
	unsigned seeds[] = { 1, 42, 0, 12345, 4294967295u };
	for (int s = 0; s < 5; s++) {
		srand(seeds[s]);
		printf("srand(%u):", seeds[s]);
		for (int i = 0; i < 6; i++) printf(" %d", rand());
		printf("\n");
	}
	srand(7);
	long total = 0;
	for (int i = 0; i < 10000; i++) total += rand() % 1000;
	printf("sum of 10000 rand()%%1000 after srand(7): %ld\n", total);
	srandom(99);
	printf("random(): %ld %ld, RAND_MAX=%d\n", random(), random(), RAND_MAX);
	int histogram[4] = { 0 };
	srand(2024);
	for (int i = 0; i < 4000; i++) histogram[rand() / (RAND_MAX / 4 + 1)]++;
	printf("histogram: %d %d %d %d\n", histogram[0], histogram[1], histogram[2], histogram[3]);
	return 0;
}
