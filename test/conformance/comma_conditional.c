// Checks the comma and conditional operators, short-circuit evaluation, and side effects in the right order.
#include <stdio.h>

static int trace_log[32];
static int trace_n;

static int t(int v) {
	trace_log[trace_n++] = v;
	return v;
}

static void dump(const char *label) {
	printf("%s:", label);
	for (int i = 0; i < trace_n; i++) printf(" %d", trace_log[i]);
	printf("\n");
	trace_n = 0;
}

int main(void) {
	int r = (t(1), t(2), t(3));
	printf("comma value %d\n", r);
	dump("comma order");
	r = t(0) && t(1);
	dump("&& short-circuit");
	r = t(5) || t(6);
	dump("|| short-circuit");
	r = t(0) || (t(0) && t(9)) || t(4);
	printf("value %d\n", r);
	dump("mixed");
	r = t(1) ? t(10) : t(20);
	dump("?: taken");
	r = t(0) ? t(10) : t(0) ? t(30) : t(40);
	printf("nested ?: %d\n", r);
	dump("?: chain");
	int i, j;
	for (i = 0, j = 10; i < j; i += 3, j -= 2) printf("(%d,%d) ", i, j);
	printf("\n");
	int x = 5;
	int y = (x++, x++, x);
	printf("x=%d y=%d\n", x, y);
	int a = 3, b = 7;
	int *bigger = a > b ? &a : &b;
	*bigger = 0;
	printf("a=%d b=%d\n", a, b);
	printf("conditional types: %.2f %d\n", 1 ? 1 : 2.5, (int)sizeof(0 ? 'a' : 1L));
	printf("gnu elvis: %d %d\n", 7 ?: 9, 0 ?: 9);
	int n = 0;
	while (n++, n < 5);
	printf("while comma n=%d\n", n);
	printf("logical values: %d %d %d %d\n", !0, !5, 3 && 4, 0 || -2);
	return 0;
}
