// Checks pointer arithmetic, differences, comparisons, pointers to pointers and void * arithmetic (GNU).
#include <stdio.h>
#include <stddef.h>

static void fill(int *p, int n, int start) {
	for (int *end = p + n; p < end; p++) *p = start++;
}

static int sum_via_pp(int **pp, int n) {
	int s = 0;
	for (int i = 0; i < n; i++) s += *pp[i];
	return s;
}

int main(void) {
	int a[10];
	fill(a, 10, 100);
	int *p = a;
	int *q = &a[7];
	printf("q-p=%td *p=%d *(p+3)=%d p[5]=%d 5[p]=%d\n", q - p, *p, *(p + 3), p[5], 5[p]);
	printf("q>p=%d q==&a[7]=%d p+7==q=%d\n", q > p, q == &a[7], p + 7 == q);
	p += 4;
	printf("after p+=4: %d, p[-2]=%d\n", *p, p[-2]);
	p--;
	printf("after p--: %d\n", *p);
	int *r = q--;
	printf("r=%d q=%d\n", *r, *q);

	int *ptrs[3] = { &a[1], &a[2], &a[9] };
	printf("sum via pp=%d\n", sum_via_pp(ptrs, 3));
	int **pp = ptrs;
	**pp = -1;
	*pp[1] = -2;
	printf("a[1]=%d a[2]=%d\n", a[1], a[2]);

	char buf[16] = "abcdefghijklmno";
	char *c = buf + 3;
	printf("c=%s c[2]=%c end-c=%td\n", c, c[2], (buf + 15) - c);
	void *v = buf;
	v = (char *)v + 5;
	printf("void ptr: %c\n", *(char *)v);
	v += 2; /* GNU: arithmetic on void * counts bytes */
	printf("void ptr gnu: %c\n", *(char *)v);

	long la[4] = { 1, 2, 3, 4 };
	char *bytes = (char *)la;
	long *second = (long *)(bytes + sizeof(long));
	printf("second=%ld diff bytes=%td\n", *second, (char *)&la[3] - (char *)&la[0]);

	int (*row)[3];
	int grid[2][3] = { { 1, 2, 3 }, { 4, 5, 6 } };
	row = grid + 1;
	printf("row[0][2]=%d sizeof *row=%zu\n", (*row)[2], sizeof *row);

	const char *strs[] = { "zero", "one", "two" };
	const char **sp = strs;
	sp++;
	printf("*sp=%s **sp=%c\n", *sp, **sp);
	int *null = NULL;
	printf("null is %s\n", null == 0 ? "null" : "set");
	printf("ptrdiff sizeof=%zu\n", sizeof(ptrdiff_t));
	return 0;
}
