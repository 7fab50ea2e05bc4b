int printf(const char *, ...);
void *malloc(unsigned long); void free(void *);
#define min(a, b) ({ __typeof__(a) _a = (a); __typeof__(b) _b = (b); _a < _b ? _a : _b; })
#define max(a, b) ({ __typeof__(a) _a = (a); __typeof__(b) _b = (b); _a > _b ? _a : _b; })
struct vec { double x, y, z; };
static struct vec add(struct vec a, struct vec b) { struct vec r = { a.x + b.x, a.y + b.y, a.z + b.z }; return r; }
static struct vec scale(struct vec a, double k) { return (struct vec){ a.x * k, a.y * k, a.z * k }; }
static double dot(struct vec a, struct vec b) { return a.x * b.x + a.y * b.y + a.z * b.z; }
struct big { int a[20]; };
static struct big fill(int v) { struct big b; for (int i = 0; i < 20; i++) b.a[i] = v + i; return b; }
static int sum2d(int rows, int (*m)[3]) { int s = 0; for (int i = 0; i < rows; i++) for (int j = 0; j < 3; j++) s += m[i][j]; return s; }
static void rev(char *s) { char *e = s; while (*e) e++; e--; while (s < e) { char t = *s; *s++ = *e; *e-- = t; } }
static unsigned hash(const char *s) { unsigned h = 5381; int c; while ((c = *s++)) h = h * 33 + c; return h; }
typedef struct tree { int key; struct tree *l, *r; } tree;
static tree *insert(tree *t, int k) { if (!t) { t = malloc(sizeof *t); t->key = k; t->l = t->r = 0; return t; } if (k < t->key) t->l = insert(t->l, k); else t->r = insert(t->r, k); return t; }
static void walk(tree *t) { if (!t) return; walk(t->l); printf("%d ", t->key); walk(t->r); }
static int depth(const tree *t) { return t ? 1 + max(depth(t->l), depth(t->r)) : 0; }
int main(void) {
	struct vec a = { 1, 2, 3 }, b = { 4, 5, 6 };
	struct vec c = add(a, scale(b, 2));
	printf("%f %f %f %f\n", c.x, c.y, c.z, dot(add(a, b), c));
	printf("%d %d\n", fill(5).a[19], min(3, 9) + max(-2, -7));
	struct big bb = fill(1); bb = fill(bb.a[3]); printf("%d\n", bb.a[0]);
	int m[2][3] = { { 1, 2, 3 }, { 4, 5, 6 } }; printf("%d\n", sum2d(2, m));
	char s[] = "abcdef"; rev(s); printf("%s %u\n", s, hash(s));
	tree *t = 0; int keys[] = { 50, 30, 70, 20, 40, 60, 80, 35 };
	for (unsigned i = 0; i < sizeof keys / sizeof *keys; i++) t = insert(t, keys[i]);
	walk(t); printf("| %d\n", depth(t));
	int **pp = malloc(3 * sizeof(int *)); for (int i = 0; i < 3; i++) { pp[i] = malloc(4 * sizeof(int)); for (int j = 0; j < 4; j++) pp[i][j] = i * j; }
	printf("%d %d\n", pp[2][3], *(*(pp + 1) + 2));
	unsigned u = 3; int cnt = 0; while (u-- > 0) cnt++; printf("%d %u\n", cnt, u);
	char ch = 'a'; ch += 2; printf("%c %d\n", ch, ch - 'a');
	int k = 0; again: k++; if (k < 5) goto again; printf("%d\n", k);
	for (int i = 0; i < 3; i++) { int *p = &(int){ i * 10 }; printf("%d ", *p); } printf("\n");
	int x = 10; int *px = &x; int **ppx = &px; **ppx = 20; printf("%d\n", x);
	struct vec arr[2] = { a, b }; struct vec *pv = arr; pv[1].y = 9; printf("%f %f\n", arr[1].y, (pv + 1)->z);
	int r = 0; for (int i = 0; i < 10; i++) { switch (i % 3) { case 0: continue; case 1: r += i; break; default: r -= 1; } r *= 2; } printf("%d\n", r);
	long acc = 1; for (int i = 0; i < 62; i++) acc = acc * 2 + (i & 1); printf("%ld\n", acc);
	unsigned long ua = 1; for (int i = 0; i < 70; i++) ua = ua * 3 + 1; printf("%lu\n", ua);
	int neg = -17; printf("%d %d %d %d\n", neg >> 2, neg / 4, neg % 4, (int)((unsigned)neg >> 28));
	return 0;
}
