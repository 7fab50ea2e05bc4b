// Checks compound literals: scalars, arrays, structs, as function arguments, at file scope, and modifying them.
#include <stdio.h>

struct pair {
	int a, b;
};

static int *file_scope = (int[]){ 10, 20, 30 };
static struct pair *file_pair = &(struct pair){ .b = 7 };

static int sum(const int *xs, int n) {
	int s = 0;
	for (int i = 0; i < n; i++) s += xs[i];
	return s;
}

static int dot(struct pair p, struct pair q) { return p.a * q.a + p.b * q.b; }

int main(void) {
	printf("sum=%d\n", sum((int[]){ 1, 2, 3, 4 }, 4));
	printf("dot=%d\n", dot((struct pair){ 1, 2 }, (struct pair){ .b = 5, .a = 3 }));
	int *p = (int[3]){ 0 };
	p[1] = 42;
	printf("modified: %d %d %d\n", p[0], p[1], p[2]);
	struct pair *pp = &(struct pair){ 9, 8 };
	pp->a++;
	printf("pair: %d %d\n", pp->a, pp->b);
	printf("file scope: %d %d %d pair %d %d\n", file_scope[0], file_scope[1], file_scope[2], file_pair->a, file_pair->b);
	file_scope[2] = 33;
	printf("file scope changed: %d\n", file_scope[2]);
	int total = 0;
	for (int i = 0; i < 3; i++) {
		int *row = (int[]){ i, i * i, i * i * i };
		total += row[0] + row[1] + row[2];
	}
	printf("loop total=%d\n", total);
	const char *msg = (const char *){ "literal string" };
	printf("%s %d\n", msg, (int){ 5 } * (int){ 6 });
	char *words[] = { (char[]){ "mutable" }, (char[]){ "words" } };
	words[0][0] = 'M';
	printf("%s %s\n", words[0], words[1]);
	return 0;
}
