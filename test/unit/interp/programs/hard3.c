int printf(const char *, ...);
void *malloc(unsigned long);
typedef __builtin_va_list va_list;
#define va_start(ap, last) __builtin_va_start(ap, last)
#define va_arg(ap, t) __builtin_va_arg(ap, t)
#define va_end(ap) __builtin_va_end(ap)
#define va_copy(d, s) __builtin_va_copy(d, s)
struct pair { long a; long b; };
struct triple { char c; short s; int i; };
static long vsum(int n, va_list ap) { long t = 0; while (n--) t += va_arg(ap, long); return t; }
static long twice(int n, ...) { va_list ap, aq; va_start(ap, n); va_copy(aq, ap); long a = vsum(n, ap); long b = vsum(n, aq); va_end(aq); va_end(ap); return a + b; }
static long pairs(int n, ...) { va_list ap; va_start(ap, n); long t = 0; for (int i = 0; i < n; i++) { struct pair p = va_arg(ap, struct pair); t += p.a * p.b; } va_end(ap); return t; }
static int mixed(int n, ...) { va_list ap; va_start(ap, n); int c = va_arg(ap, int); double d = va_arg(ap, double); struct triple t = va_arg(ap, struct triple); char *s = va_arg(ap, char *); va_end(ap); return c + (int)d + t.c + t.s + t.i + s[0] + n; }
struct packet { int len; unsigned char data[]; };
struct anon { int kind; union { int i; float f; }; struct { short x, y; }; };
typedef struct pair (*maker)(long);
static struct pair mk(long v) { struct pair p = { v, v * 2 }; return p; }
static int (*ops[3])(int, int);
static int add(int a, int b) { return a + b; }
static int sub(int a, int b) { return a - b; }
static int mul(int a, int b) { return a * b; }
static const char *name(long v) { switch (v) { case 0x100000000L: return "big"; case -1: return "minus"; case 9223372036854775807L: return "max"; default: return "other"; } }
int main(void) {
	printf("%ld %ld\n", twice(3, 1L, 2L, 3L), pairs(2, (struct pair){ 2, 3 }, (struct pair){ 4, 5 }));
	printf("%d\n", mixed(1, 'a', 2.9, (struct triple){ 1, 2, 3 }, "z"));
	struct packet *pk = malloc(sizeof(struct packet) + 4); pk->len = 4; for (int i = 0; i < 4; i++) pk->data[i] = i * 3; printf("%d %d\n", pk->data[3], (int)sizeof(struct packet));
	struct anon an; an.kind = 1; an.f = 2.0f; an.x = 3; an.y = 4; printf("%x %d %d %d\n", an.i, an.x + an.y, (int)sizeof an, an.kind);
	maker mf = mk; struct pair pr = mf(21); printf("%ld %ld\n", pr.a, mf(4).b);
	ops[0] = add; ops[1] = sub; ops[2] = mul; int acc = 10; for (int i = 0; i < 3; i++) acc = ops[i](acc, 3); printf("%d\n", acc);
	printf("%s %s %s %s\n", name(0x100000000L), name(-1), name(9223372036854775807L), name(5));
	unsigned long big = 0; for (int i = 0; i < 64; i += 7) big |= 1UL << i; printf("%lx %d\n", big, __builtin_popcountl(big));
	long sh = -1; for (int i = 1; i < 64; i *= 2) printf("%ld ", sh << i >> i); printf("\n");
	unsigned char uc = (unsigned char)-3; signed char sc = (signed char)200; printf("%d %d\n", uc, sc);
	double dacc = 1; int ii = 3; dacc += ii; dacc *= ii; ii += dacc; printf("%f %d\n", dacc, ii);
	int *ip = (int *)(long)(int *)0x1000; printf("%lx\n", (unsigned long)ip);
	int a = 5, b = 7; int *pa = &a, *pb = &b; printf("%d %d\n", pa < pb || pa > pb, pa == pa);
	int x = 0; int y = (x++ ? 10 : x++ ? 20 : 30); printf("%d %d\n", x, y);
	int s = 0; for (int i = 0, j = 10; i < j; i++, j--) s += j - i; printf("%d\n", s);
	printf("%lx %d %d\n", __builtin_bswap64(0x0102030405060708UL), __builtin_clzl(1UL), __builtin_ctzll(1UL << 40));
	printf("%s|%c|%d\n", "tab\there", '\x41', "\0abc"[0]);
	long v = ({ long t = 0; for (int i = 0; i < 5; i++) { if (i == 3) break; t += i; } t; }); printf("%ld\n", v);
	char buf[32]; char *w = buf; for (const char *p = "kernel"; *p; ) *w++ = *p++ - 32; *w = 0; printf("%s\n", buf);
	unsigned long ul = 18446744073709551615UL; ul += 2; printf("%lu\n", ul);
	long lmin = -9223372036854775807L - 1; printf("%ld %lu\n", lmin, (unsigned long)lmin);
	printf("%d\n", (int)(3.7 + -1.2));
	return 0;
}
