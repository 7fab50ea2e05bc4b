// Checks float and double arithmetic, conversions and printing (%f %e %g %a, rounding, -0, inf).
#include <stdio.h>

int main(void) {
	float f = 0.1f;
	double d = 0.1;
	printf("%.10f %.20f\n", f, d);
	printf("%.9g %.17g\n", f, d);
	printf("f==d: %d, (double)f: %.17g\n", f == d, (double)f);
	float third = 1.0f / 3.0f;
	double dthird = 1.0 / 3.0;
	printf("%.10g %.17g\n", third, dthird);
	printf("float sum: %.9g\n", 0.1f + 0.2f);
	printf("double sum: %.17g %d\n", 0.1 + 0.2, 0.1 + 0.2 == 0.3);
	printf("%e %E %g %G\n", 123456.789, 0.000123456, 1e-10, 1e20);
	printf("%a %A %.2a\n", 1.0, 0.5, 3.14159);
	printf("[%10.3f] [%-10.2e] [%+g] [%010.4f]\n", 3.14159, 2718.28, 1.5, -2.5);
	double big = 1e300;
	double inf = big * big;
	printf("inf: %f %e %g\n", inf, -inf, inf);
	double negzero = -0.0;
	printf("negzero: %f %g %d\n", negzero, negzero, negzero == 0.0);
	printf("rounding: %.0f %.0f %.0f %.0f %.1f %.2f\n", 0.5, 1.5, 2.5, -0.5, 0.25, 1.005);
	printf("to int: %d %d %d %d\n", (int)3.99, (int)-3.99, (int)2.5f, (int)-0.5);
	printf("from int: %.1f %.1f\n", (double)2147483647, (float)16777217);
	printf("unsigned conv: %u %lu\n", (unsigned)3e9, (unsigned long)1e19);
	float acc = 0;
	for (int i = 0; i < 10; i++) acc += 0.1f;
	printf("acc: %.9g\n", acc);
	double dacc = 0;
	for (int i = 0; i < 10; i++) dacc += 0.1;
	printf("dacc: %.17g\n", dacc);
	printf("mixed: %.17g %.9g\n", 1 / 3.0f + 1.0, (float)(1 / 3.0));
	printf("compare: %d %d %d\n", 1.0f < 1.0000001, 0.1f > 0.1, 3.0 >= 3);
	printf("division: %g %g %g\n", 1.0 / 8, -7.0 / 2, 1e308 * 10 / 10);
	printf("tiny: %g %g\n", 4.9406564584124654e-324, 2.2250738585072014e-308 / 2);
	printf("large: %.0f\n", 1e22);
	printf("%.3f %.3f %.3f\n", 2.0005, 2.0015, 1234567.8915);
	return 0;
}
