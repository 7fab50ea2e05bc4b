// Checks enums (implicit and explicit values, negative, in switch and arrays) and typedefs of all kinds.
#include <stdio.h>

enum color { RED, GREEN = 5, BLUE, ALPHA = -3, BETA };
typedef enum { SMALL = 1, LARGE = 1000000 } size_class;
typedef unsigned long pgoff_t;
typedef long long s64;
typedef unsigned char u8;
typedef struct node node_t;
struct node {
	int value;
	node_t *next;
};
typedef int (*binop)(int, int);
typedef int vec3[3];
typedef const char *cstr;

static int plus(int a, int b) { return a + b; }
static int times(int a, int b) { return a * b; }

static const char *color_name(enum color c) {
	switch (c) {
	case RED: return "red";
	case GREEN: return "green";
	case BLUE: return "blue";
	case ALPHA: return "alpha";
	case BETA: return "beta";
	}
	return "?";
}

int main(void) {
	printf("%d %d %d %d %d\n", RED, GREEN, BLUE, ALPHA, BETA);
	printf("sizeof enum=%zu size_class=%zu\n", sizeof(enum color), sizeof(size_class));
	enum color all[] = { RED, GREEN, BLUE, ALPHA, BETA };
	for (unsigned i = 0; i < sizeof all / sizeof all[0]; i++) printf("%s ", color_name(all[i]));
	printf("\n");
	size_class sc = LARGE;
	printf("large=%d small<large=%d\n", sc, SMALL < LARGE);
	enum color c = BLUE;
	c++;
	printf("after ++: %d\n", c);
	int names_len[BLUE + 1];
	printf("array sized by enum: %zu\n", sizeof names_len / sizeof names_len[0]);

	pgoff_t off = 1UL << 40;
	s64 neg = -5;
	u8 byte = 250;
	byte += 10;
	printf("pgoff=%lu s64=%lld u8=%u\n", off, neg, byte);
	node_t second = { 2, NULL };
	node_t first = { 1, &second };
	int sum = 0;
	for (node_t *n = &first; n; n = n->next) sum += n->value;
	printf("list sum=%d\n", sum);
	binop ops[] = { plus, times };
	printf("ops: %d %d\n", ops[0](6, 7), ops[1](6, 7));
	vec3 v = { 1, 2, 3 };
	printf("vec3 sizeof=%zu last=%d\n", sizeof(vec3), v[2]);
	cstr greeting = "typedef'd string";
	printf("%s\n", greeting);
	return 0;
}
