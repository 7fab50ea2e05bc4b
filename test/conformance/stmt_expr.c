// Checks GNU statement expressions and typeof as kernel macros use them (min/max without double evaluation, swap).
#include <stdio.h>

#define min(a, b) ({ typeof(a) _a = (a); typeof(b) _b = (b); _a < _b ? _a : _b; })
#define max(a, b) ({ typeof(a) _a = (a); typeof(b) _b = (b); _a > _b ? _a : _b; })
#define swap(a, b) do { typeof(a) _t = (a); (a) = (b); (b) = _t; } while (0)
#define clamp(v, lo, hi) min(max(v, lo), hi)

static int calls;
static int next_value(void) { return ++calls * 10; }

int main(void) {
	int x = 3, y = 9;
	printf("min=%d max=%d\n", min(x, y), max(x, y));
	int m = min(next_value(), 25);
	printf("min(next_value(),25)=%d calls=%d\n", m, calls);
	swap(x, y);
	printf("swapped: %d %d\n", x, y);
	double dx = 2.5, dy = -1.5;
	printf("dmin=%.1f\n", min(dx, dy));
	printf("clamp: %d %d %d\n", clamp(-5, 0, 10), clamp(5, 0, 10), clamp(50, 0, 10));
	int v = ({
		int acc = 0;
		for (int i = 1; i <= 10; i++) acc += i;
		acc;
	});
	printf("block value=%d\n", v);
	long total = ({ long t = 0; for (int i = 0; i < 5; i++) t += ({ int sq = i * i; sq; }); t; });
	printf("nested=%ld\n", total);
	typeof(x) copy = x;
	typeof(int *) p = &copy;
	*p += 1;
	printf("typeof: %d %zu\n", copy, sizeof(typeof(dx)));
	const char *s = ({ const char *r = x > 5 ? "big" : "small"; r; });
	printf("%s\n", s);
	return 0;
}
