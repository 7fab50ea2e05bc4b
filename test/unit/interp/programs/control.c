int printf(const char *, ...);
static int classify(int n) {
	switch (n) {
	case 0: return 100;
	case 1: case 2: n += 10;
	case 3: n *= 2; break;
	case 4 ... 6: return -n;
	default: n = -1;
	}
	return n;
}
static int setup(int fail) {
	int ret = 0;
	int step = 0;
	if (fail == 1) { ret = -1; goto out; }
	step = 1;
	if (fail == 2) { ret = -2; goto undo1; }
	step = 2;
	return step;
undo1:
	step = -step;
out:
	printf("cleanup %d %d\n", ret, step);
	return ret;
}
static int fact(int n) { return n <= 1 ? 1 : n * fact(n - 1); }
static int ack(int m, int n) { if (m == 0) return n + 1; if (n == 0) return ack(m - 1, 1); return ack(m - 1, ack(m, n - 1)); }
int main(void) {
	for (int i = 0; i < 9; i++) printf("%d ", classify(i)); printf("\n");
	printf("%d %d %d\n", setup(0), setup(1), setup(2));
	printf("%d %d\n", fact(10), ack(2, 3));
	int i = 0, sum = 0;
	while (1) { if (++i > 10) break; if (i % 2) continue; sum += i; } printf("%d\n", sum);
	do { sum--; } while (sum > 25); printf("%d\n", sum);
	int n = 0; for (;;) { n++; if (n == 5) break; } printf("%d\n", n);
	int k = 3; int v = k > 2 ? k < 5 ? 1 : 2 : 3; printf("%d\n", v);
	int a = 0; int b = (a++, a++, a); printf("%d %d\n", a, b);
	int c = 0; if (c++ || c++) printf("yes %d\n", c);
	int z = 5; int w = ({ int t = z * 2; t + 1; }); printf("%d\n", w);
	int dev = 0; int cnt = 7;
	switch (cnt % 4) { case 0: do { dev++; case 3: dev++; case 2: dev++; case 1: dev++; } while ((cnt -= 4) > 0); }
	printf("%d\n", dev);
	return 0;
}
