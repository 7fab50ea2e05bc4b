int printf(const char *, ...);
struct point { int x, y; };
struct rect { struct point a, b; char name[8]; };
union u { int i; unsigned char b[4]; float f; };
struct bits { unsigned a : 3; signed b : 5; unsigned c : 24; unsigned long d : 40; int e : 1; };
enum color { RED, GREEN = 5, BLUE };
static int area(struct rect r) { return (r.b.x - r.a.x) * (r.b.y - r.a.y); }
static struct point mid(struct rect r) { struct point p = { (r.a.x + r.b.x) / 2, (r.a.y + r.b.y) / 2 }; return p; }
static void swap(int *a, int *b) { int t = *a; *a = *b; *b = t; }
int main(void) {
	int arr[5] = {10, 20, 30, 40, 50};
	int *p = arr, *q = &arr[4];
	printf("%d %d %ld\n", *p, *(p + 2), (long)(q - p));
	p++; printf("%d\n", *p); p += 2; printf("%d %d\n", *p, p[-1]);
	int x = 1, y = 2; swap(&x, &y); printf("%d %d\n", x, y);
	struct rect r = { {1, 2}, {5, 8}, "box" };
	printf("%d %s\n", area(r), r.name);
	struct point m = mid(r); printf("%d %d\n", m.x, m.y);
	struct rect r2 = r; r2.a.x = 0; printf("%d %d\n", r.a.x, r2.a.x);
	struct rect *rp = &r2; rp->b.y = 100; printf("%d\n", area(*rp));
	union u un; un.i = 0x01020304; printf("%d %d\n", un.b[0], un.b[3]);
	un.f = 1.0f; printf("%x\n", un.i);
	struct bits bf = {0}; bf.a = 9; bf.b = -3; bf.c = 0xabcdef; bf.d = 0xffffffffffUL; bf.e = -1;
	printf("%u %d %x %lx %d\n", bf.a, bf.b, bf.c, (unsigned long)bf.d, bf.e);
	bf.b += 20; printf("%d\n", bf.b); bf.a++; printf("%u\n", bf.a);
	printf("%d\n", (int)sizeof(struct bits));
	enum color c = BLUE; printf("%d %d\n", c, GREEN);
	int matrix[3][4]; for (int i = 0; i < 3; i++) for (int j = 0; j < 4; j++) matrix[i][j] = i * 10 + j;
	printf("%d %d\n", matrix[2][3], *(*(matrix + 1) + 2));
	char s[] = "hello"; char *t = s; while (*t) { *t = *t - 32; t++; } printf("%s %d\n", s, (int)sizeof(s));
	const char *words[] = {"alpha", "beta", "gamma"}; printf("%s %c\n", words[1], words[2][1]);
	int *np = 0; printf("%d\n", np == 0);
	struct point pts[3] = { [1] = {7, 8}, [2].y = 9 }; printf("%d %d %d %d\n", pts[0].x, pts[1].y, pts[2].x, pts[2].y);
	long addr = (long)&arr[1] - (long)&arr[0]; printf("%ld\n", addr);
	void *vp = arr; int *ip = (int *)vp + 1; printf("%d\n", *ip);
	char *cp = (char *)arr; printf("%d\n", cp[4]);
	return 0;
}
