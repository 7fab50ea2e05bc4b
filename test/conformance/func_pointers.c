// Checks function pointers: tables of them, callbacks, returning function pointers, comparisons.
#include <stdio.h>

typedef double (*unary_fn)(double);

static double twice(double x) { return 2 * x; }
static double square(double x) { return x * x; }
static double negate(double x) { return -x; }

static double apply_all(unary_fn *fns, int n, double x) {
	for (int i = 0; i < n; i++) x = fns[i](x);
	return x;
}

static int add(int a, int b) { return a + b; }
static int sub(int a, int b) { return a - b; }
static int mul(int a, int b) { return a * b; }

static int (*pick(char op))(int, int) {
	switch (op) {
	case '+': return add;
	case '-': return sub;
	case '*': return mul;
	default: return 0;
	}
}

struct command {
	const char *name;
	int (*run)(int argc);
};

static int cmd_one(int argc) { return argc + 1; }
static int cmd_two(int argc) { return argc * 2; }

static void for_each(const int *xs, int n, void (*visit)(int, void *), void *ctx) {
	for (int i = 0; i < n; i++) visit(xs[i], ctx);
}

static void accumulate(int x, void *ctx) { *(long *)ctx += x; }
static void print_item(int x, void *ctx) { printf("%s%d", (const char *)ctx, x); }

int main(void) {
	unary_fn chain[] = { twice, square, negate, twice };
	printf("chain(3)=%g\n", apply_all(chain, 4, 3));
	const char *expr = "+-*";
	for (const char *p = expr; *p; p++) printf("7 %c 3 = %d\n", *p, pick(*p)(7, 3));
	printf("unknown op is null: %d\n", pick('/') == 0);
	struct command cmds[] = { { "one", cmd_one }, { "two", cmd_two } };
	for (int i = 0; i < 2; i++) printf("%s -> %d\n", cmds[i].name, cmds[i].run(10));
	int xs[] = { 4, 8, 15, 16, 23, 42 };
	long total = 0;
	for_each(xs, 6, accumulate, &total);
	printf("total=%ld\n", total);
	for_each(xs, 3, print_item, " item=");
	printf("\n");
	int (*fp)(int, int) = &add;
	int (*fq)(int, int) = add;
	printf("same: %d deref call: %d %d\n", fp == fq, (*fp)(1, 2), (**fq)(3, 4));
	unary_fn maybe = 0;
	printf("null fn: %d\n", maybe == 0);
	return 0;
}
