int printf(const char *, ...);
double sq(double x) { return x * x; }
int main(void) {
	double a = 1.5, b = 2.25; printf("%f %f %f %f\n", a + b, a - b, a * b, a / b);
	float f = 1.0f / 3.0f; double d = f; printf("%f\n", d);
	int i = (int)3.99; int j = (int)-3.99; printf("%d %d\n", i, j);
	long l = (long)1e15; printf("%ld\n", l);
	unsigned u = (unsigned)3000000000.0; printf("%u\n", u);
	double z = 7 / 2; double y = 7 / 2.0; printf("%f %f\n", z, y);
	printf("%f\n", sq(3.0));
	float g = 0.1f; g *= 3; printf("%f\n", (double)g);
	double e = 1e308; e *= 10; printf("%d\n", e > 1e308);
	printf("%d\n", 0.1 + 0.2 == 0.3);
	double acc = 0; for (int k = 1; k <= 10; k++) acc += 1.0 / k; printf("%f\n", acc);
	int neg = -5; double dn = neg; printf("%f\n", dn);
	unsigned long big = 18446744073709551615UL; double db = big; printf("%f\n", db / 1e18);
	float fi = 16777217; printf("%f\n", (double)fi);
	double dd = 2.5; dd++; dd--; ++dd; printf("%f\n", dd);
	return 0;
}
