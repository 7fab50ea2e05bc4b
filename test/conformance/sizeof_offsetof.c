// Checks sizeof, offsetof and _Alignof on scalars, arrays, structs with padding, unions, nested members and expressions.
#include <stdio.h>
#include <stddef.h>
#include <stdalign.h>
#include <stdint.h>

struct s1 { char c; int i; char d; };
struct s2 { char c; char d; int i; };
struct s3 { char c; long l; };
struct s4 { short s; char c[3]; };
struct nested { struct s1 a; struct s3 b[2]; union { int x; double y; } u; };
struct flex { int n; int data[]; };
struct __attribute__((packed)) packed { char c; int i; short s; };
struct aligned { char c; int i __attribute__((aligned(16))); };

int main(void) {
	printf("scalars: %zu %zu %zu %zu %zu %zu %zu\n", sizeof(char), sizeof(short), sizeof(int), sizeof(long), sizeof(float),
	       sizeof(double), sizeof(long double));
	printf("align: %zu %zu %zu %zu %zu %zu\n", alignof(char), alignof(short), alignof(int), alignof(long), alignof(double),
	       alignof(long double));
	printf("s1: size %zu align %zu i@%zu d@%zu\n", sizeof(struct s1), alignof(struct s1), offsetof(struct s1, i), offsetof(struct s1, d));
	printf("s2: size %zu i@%zu\n", sizeof(struct s2), offsetof(struct s2, i));
	printf("s3: size %zu l@%zu\n", sizeof(struct s3), offsetof(struct s3, l));
	printf("s4: size %zu align %zu\n", sizeof(struct s4), alignof(struct s4));
	printf("nested: size %zu b@%zu b[1].l@%zu u@%zu a.d@%zu\n", sizeof(struct nested), offsetof(struct nested, b),
	       offsetof(struct nested, b[1].l), offsetof(struct nested, u), offsetof(struct nested, a.d));
	printf("flex: size %zu data@%zu\n", sizeof(struct flex), offsetof(struct flex, data));
	printf("packed: size %zu i@%zu s@%zu\n", sizeof(struct packed), offsetof(struct packed, i), offsetof(struct packed, s));
	printf("aligned: size %zu align %zu i@%zu\n", sizeof(struct aligned), alignof(struct aligned), offsetof(struct aligned, i));
	int arr[7];
	double *dp = 0;
	printf("exprs: %zu %zu %zu %zu %zu\n", sizeof arr, sizeof arr[0], sizeof &arr, sizeof *dp, sizeof(arr) / sizeof(*arr));
	printf("literals: %zu %zu %zu %zu %zu %zu\n", sizeof 'a', sizeof "hello", sizeof 1.0f, sizeof 1.0, sizeof 1L, sizeof 1ULL);
	int counter = 0;
	size_t unevaluated = sizeof(counter++);
	printf("sizeof does not evaluate: %zu %d\n", unevaluated, counter);
	printf("stdint: %zu %zu %zu %zu\n", sizeof(int8_t), sizeof(int16_t), sizeof(uint32_t), sizeof(uintptr_t));
	printf("max_align_t align %zu\n", alignof(max_align_t));
	return 0;
}
