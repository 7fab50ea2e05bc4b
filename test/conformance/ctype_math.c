// Checks <ctype.h> classes (glibc returns class bits, not 1) and case mapping, and exact <math.h> functions.
#include <stdio.h>
#include <ctype.h>
#include <math.h>

int main(void) {
	const char sample[] = "aZ5 \t!~\x7f";
	for (const char *p = sample; *p; p++) {
		int c = (unsigned char)*p;
		printf("%3d: alpha=%d digit=%d space=%d upper=%d lower=%d punct=%d print=%d cntrl=%d alnum=%d xdigit=%d\n", c,
		       isalpha(c), isdigit(c), isspace(c), isupper(c), islower(c), ispunct(c), isprint(c), iscntrl(c), isalnum(c),
		       isxdigit(c));
	}
	printf("blank: %d %d graph: %d %d\n", isblank(' '), isblank('\n'), isgraph(' '), isgraph('#'));
	printf("EOF classes: %d %d\n", isalpha(EOF), isspace(EOF));
	char word[] = "Hello, World 42";
	for (char *p = word; *p; p++) *p = islower((unsigned char)*p) ? toupper((unsigned char)*p) : tolower((unsigned char)*p);
	printf("%s\n", word);
	printf("toupper of non-letters: %d %d %d\n", toupper('1'), tolower('['), toupper(200));
	printf("sqrt: %.17g %.17g %g\n", sqrt(2.0), sqrt(1e-300), sqrt(144.0));
	printf("fabs: %g %g\n", fabs(-3.5), fabs(-0.0));
	printf("floor/ceil: %g %g %g %g\n", floor(-2.5), ceil(-2.5), floor(2.999999), ceil(2.000001));
	printf("trunc/round: %g %g %g %g\n", trunc(-2.7), round(2.5), round(-2.5), round(0.49999999999999994));
	printf("fmod: %g %g %g\n", fmod(10.0, 3.0), fmod(-10.0, 3.0), fmod(5.5, 1.25));
	printf("pow exact: %g %g %g %g\n", pow(2.0, 10.0), pow(2.0, -2.0), pow(-3.0, 3.0), pow(10.0, 0.0));
	int e;
	double m = frexp(48.0, &e);
	double ip;
	double frac = modf(-3.75, &ip);
	printf("frexp(48)=%g*2^%d ldexp(0.75,6)=%g modf(-3.75)=%g+%g\n", m, e, ldexp(0.75, 6), ip, frac);
	printf("fmin/fmax: %g %g\n", fmin(2.0, -1.0), fmax(2.0, -1.0));
	printf("classify: %d %d %d %d\n", isnan(sqrt(-1.0)) != 0, isinf(1.0 / 0.0) != 0, isfinite(1e308) != 0, isfinite(HUGE_VAL) != 0);
	printf("transcendental (6 digits): %.6f %.6f %.6f %.6f %.6f\n", sin(M_PI / 6), cos(M_PI / 3), exp(1.0), log(M_E), atan2(1.0, 1.0) * 4);
	printf("log10/log2: %g %g\n", log10(1000.0), log2(1024.0));
	printf("hypot: %g cbrt: %g\n", hypot(3.0, 4.0), cbrt(27.0));
	printf("float versions: %g %g %g\n", sqrtf(2.25f), floorf(-1.5f), fabsf(-0.25f));
	return 0;
}
