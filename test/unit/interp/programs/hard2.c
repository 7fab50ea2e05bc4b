int printf(const char *, ...);
int strcmp_(const char *a, const char *b) { while (*a && *a == *b) { a++; b++; } return (unsigned char)*a - (unsigned char)*b; }
static void sort(int *a, int n, int (*cmp)(int, int)) { for (int i = 1; i < n; i++) { int v = a[i], j = i - 1; while (j >= 0 && cmp(a[j], v) > 0) { a[j + 1] = a[j]; j--; } a[j + 1] = v; } }
static int asc(int x, int y) { return x - y; }
static int desc(int x, int y) { return y - x; }
struct state { int (*handler)(struct state *, int); int acc; };
static int h_add(struct state *s, int v);
static int h_mul(struct state *s, int v) { s->acc *= v; s->handler = h_add; return s->acc; }
static int h_add(struct state *s, int v) { s->acc += v; s->handler = h_mul; return s->acc; }
union value { long l; double d; char c[8]; };
struct tagged { int kind; union value v; };
static void show(struct tagged t) { switch (t.kind) { case 0: printf("long %ld\n", t.v.l); break; case 1: printf("double %f\n", t.v.d); break; default: printf("chars %c%c\n", t.v.c[0], t.v.c[1]); } }
struct flags { unsigned int ready : 1, error : 1, count : 6; unsigned int : 0; unsigned int high : 4; };
int main(void) {
	printf("%d %d %d\n", strcmp_("abc", "abd") < 0, strcmp_("b", "a") > 0, strcmp_("x", "x"));
	int a[] = { 5, 2, 9, 1, 7, 3 }; sort(a, 6, asc); for (int i = 0; i < 6; i++) printf("%d", a[i]); printf("\n");
	sort(a, 6, desc); for (int i = 0; i < 6; i++) printf("%d", a[i]); printf("\n");
	struct state st = { h_add, 1 }; for (int i = 1; i <= 5; i++) st.handler(&st, i); printf("%d\n", st.acc);
	struct tagged t1 = { 0, { .l = -5 } }, t2 = { .kind = 1, .v.d = 2.5 }, t3 = { 2, { .c = { 'h', 'i' } } };
	show(t1); show(t2); show(t3);
	struct flags f = { .ready = 1, .count = 63, .high = 9 }; f.count++; f.error = f.ready;
	printf("%u %u %u %u %d\n", f.ready, f.error, f.count, f.high, (int)sizeof f);
	unsigned char bytes[8]; unsigned long val = 0x0102030405060708UL;
	for (int i = 0; i < 8; i++) bytes[i] = (unsigned char)(val >> (i * 8)); printf("%d %d\n", bytes[0], bytes[7]);
	unsigned long back = 0; for (int i = 7; i >= 0; i--) back = back << 8 | bytes[i]; printf("%lx\n", back);
	int x = 7; x = x++ + 0; printf("%d\n", x);
	int y = 5; int z = y-- - --y; printf("%d %d\n", y, z);
	const char *p = "hello world"; int spaces = 0; while (*p) spaces += *p++ == ' '; printf("%d\n", spaces);
	long l = 0x7fffffff; l++; printf("%ld\n", l);
	int arr2[4] = { 1, 2, 3, 4 }; int *e = arr2 + 4; int n = 0; for (int *q = arr2; q != e; ++q) n += *q; printf("%d\n", n);
	printf("%d\n", (int)(&arr2[3] - &arr2[0]));
	double dd = 10; dd /= 4; printf("%f\n", dd);
	int ii = 10; ii /= 4; ii *= 2.5; printf("%d\n", ii);
	char cc = 100; cc *= 2; printf("%d\n", cc);
	unsigned short us = 65535; us += 2; printf("%d\n", us);
	return 0;
}
