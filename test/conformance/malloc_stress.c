// Checks malloc, calloc, realloc and free under a deterministic workload: contents survive realloc, calloc zeroes, alignment is 16.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>

#define SLOTS 64

int main(void) {
	unsigned char *slots[SLOTS] = { 0 };
	size_t sizes[SLOTS] = { 0 };
	unsigned x = 1;
	int misaligned = 0, corrupted = 0, allocations = 0;
	for (int round = 0; round < 3000; round++) {
		x = x * 1664525u + 1013904223u;
		int i = (x >> 8) % SLOTS;
		size_t size = ((x >> 16) % 5 == 0) ? (x >> 12) % 4000 + 1 : (x >> 12) % 100 + 1;
		if (slots[i]) {
			for (size_t k = 0; k < sizes[i]; k++)
				if (slots[i][k] != (unsigned char)(i + k)) corrupted++;
			if ((x >> 20) & 1) {
				unsigned char *p = realloc(slots[i], size);
				size_t keep = size < sizes[i] ? size : sizes[i];
				for (size_t k = 0; k < keep; k++)
					if (p[k] != (unsigned char)(i + k)) corrupted++;
				for (size_t k = 0; k < size; k++) p[k] = (unsigned char)(i + k);
				slots[i] = p;
				sizes[i] = size;
				misaligned += ((uintptr_t)p & 15) != 0;
				continue;
			}
			free(slots[i]);
			slots[i] = NULL;
			continue;
		}
		unsigned char *p = (x >> 21) & 1 ? calloc(size, 1) : malloc(size);
		allocations++;
		misaligned += ((uintptr_t)p & 15) != 0;
		if ((x >> 21) & 1)
			for (size_t k = 0; k < size; k++)
				if (p[k] != 0) corrupted++;
		for (size_t k = 0; k < size; k++) p[k] = (unsigned char)(i + k);
		slots[i] = p;
		sizes[i] = size;
	}
	for (int i = 0; i < SLOTS; i++) free(slots[i]);
	printf("allocations=%d misaligned=%d corrupted=%d\n", allocations, misaligned, corrupted);
	char *zero = malloc(0);
	printf("malloc(0) is %s\n", zero ? "a unique pointer" : "NULL");
	free(zero);
	free(NULL);
	int *grow = NULL;
	for (int n = 1; n <= 1024; n *= 2) {
		grow = realloc(grow, n * sizeof *grow);
		grow[n - 1] = n;
	}
	long sum = 0;
	for (int n = 1; n <= 1024; n *= 2) sum += grow[n - 1];
	printf("realloc growth sum=%ld\n", sum);
	free(grow);
	void *huge = malloc((size_t)1 << 62);
	printf("huge malloc is %s\n", huge ? "non-NULL" : "NULL");
	void *overflow = calloc((size_t)1 << 40, (size_t)1 << 40);
	printf("overflowing calloc is %s\n", overflow ? "non-NULL" : "NULL");
	void *aligned;
	int r = posix_memalign(&aligned, 4096, 100);
	printf("posix_memalign=%d page aligned=%d\n", r, ((uintptr_t)aligned & 4095) == 0);
	free(aligned);
	char *a = aligned_alloc(64, 128);
	printf("aligned_alloc 64: %d\n", ((uintptr_t)a & 63) == 0);
	free(a);
	return 0;
}
