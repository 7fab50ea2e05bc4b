int printf(const char *, ...);
struct node { int v; struct node *next; };
static struct node n3 = { 3, 0 };
static struct node n2 = { 2, &n3 };
struct node n1 = { 1, &n2 };
int arr[10] = { 1, 2, 3 };
int *parr = arr + 3;
int *pe = &arr[9];
const char *msg = "hello";
char buf[16] = "abc";
long sizes[] = { sizeof(int), sizeof(struct node), -1 };
static int (*fns[2])(const char *, ...) = { printf, 0 };
struct conf { const char *name; int flags; double scale; } confs[] = { { "a", 1, 0.5 }, { "b", 2 }, };
unsigned long mask = ~0UL;
double pi = 3.14159;
static int *pp = &(int){ 77 };
char *strs[] = { "x", "yy", "zzz" };
int main(void) {
	int s = 0; for (struct node *n = &n1; n; n = n->next) s += n->v; printf("%d\n", s);
	printf("%d %d %ld\n", arr[2], *parr, (long)(pe - arr));
	printf("%s %s %c\n", msg, buf, msg[4]);
	printf("%ld %ld %ld\n", sizes[0], sizes[1], sizes[2]);
	fns[0]("via table %d\n", 5);
	printf("%s %d %f %s %d %f\n", confs[0].name, confs[0].flags, confs[0].scale, confs[1].name, confs[1].flags, confs[1].scale);
	printf("%lu %f %d\n", mask, pi, *pp);
	printf("%s %s %d\n", strs[2], strs[1], (int)(sizeof confs / sizeof confs[0]));
	parr[1] = 50; printf("%d\n", arr[4]);
	return 0;
}
