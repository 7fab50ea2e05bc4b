int printf(const char *, ...);
typedef __builtin_va_list va_list;
#define va_start(ap, last) __builtin_va_start(ap, last)
#define va_arg(ap, t) __builtin_va_arg(ap, t)
#define va_end(ap) __builtin_va_end(ap)
#define offsetof(t, m) __builtin_offsetof(t, m)
#define container_of(ptr, type, member) ((type *)((char *)(ptr) - offsetof(type, member)))
struct list_head { struct list_head *next, *prev; };
#define list_for_each_entry(pos, head, member) \
	for (pos = container_of((head)->next, __typeof__(*pos), member); &pos->member != (head); \
	     pos = container_of(pos->member.next, __typeof__(*pos), member))
static void list_add_tail(struct list_head *n, struct list_head *head) { n->prev = head->prev; n->next = head; head->prev->next = n; head->prev = n; }
struct item { int value; struct list_head link; };
struct ops { int (*open)(int); int (*close)(int); const char *name; };
static int my_open(int x) { return x + 1; }
static int my_close(int x) { return x * 2; }
static const struct ops table = { .open = my_open, .close = my_close, .name = "dev" };
static int sum(int count, ...) { va_list ap; va_start(ap, count); int s = 0; for (int i = 0; i < count; i++) s += va_arg(ap, int); va_end(ap); return s; }
static double avg(int count, ...) { va_list ap; va_start(ap, count); double s = 0; for (int i = 0; i < count; i++) s += va_arg(ap, double); va_end(ap); return s / count; }
static long mix(const char *fmt, ...) { va_list ap; va_start(ap, fmt); long t = 0; for (const char *p = fmt; *p; p++) { if (*p == 'l') t += va_arg(ap, long); else if (*p == 'c') t += va_arg(ap, int); else if (*p == 's') t += *va_arg(ap, char *); } va_end(ap); return t; }
static int apply(int (*f)(int), int v) { return f(v); }
int counter(void) { static int n; return ++n; }
int *get_ptr(void) { static int cell = 42; return &cell; }
int main(void) {
	struct list_head head = { &head, &head };
	struct item items[4];
	for (int i = 0; i < 4; i++) { items[i].value = i * i; list_add_tail(&items[i].link, &head); }
	struct item *pos; int total = 0;
	list_for_each_entry(pos, &head, link) total += pos->value;
	printf("%d\n", total);
	printf("%d %d %s\n", table.open(3), table.close(5), table.name);
	const struct ops *o = &table; printf("%d\n", o->open(o->close(10)));
	printf("%d %f\n", sum(4, 1, 2, 3, 4), avg(3, 1.0, 2.0, 4.5));
	printf("%ld\n", mix("lcs", 10000000000L, 'A', "B"));
	printf("%d %d\n", apply(my_open, 1), apply(&my_close, 4));
	int (*fp)(int) = my_open; printf("%d\n", (*fp)(7));
	counter(); counter(); printf("%d\n", counter());
	*get_ptr() += 1; printf("%d\n", *get_ptr());
	int *lit = (int[]){ 5, 6, 7 }; printf("%d\n", lit[1] + lit[2]);
	struct item *it = &(struct item){ .value = 99 }; printf("%d\n", it->value);
	printf("%d %d %d\n", __builtin_clz(1), __builtin_ctz(8), __builtin_popcount(255));
	printf("%x\n", __builtin_bswap32(0x12345678));
	printf("%d\n", (int)offsetof(struct item, link));
	return 0;
}
