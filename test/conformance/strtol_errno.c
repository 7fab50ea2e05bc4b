// Checks strtol/strtoul/strtoll/atoi/strtod: bases, prefixes, signs, end pointers, overflow with ERANGE, and errno.
#include <stdio.h>
#include <stdlib.h>
#include <errno.h>
#include <limits.h>

static void parse(const char *s, int base) {
	char *end = (char *)s; /* strtol leaves it untouched for an invalid base */
	errno = 0;
	long v = strtol(s, &end, base);
	int e = errno;
	printf("strtol(\"%s\", %d) = %ld, consumed %td, errno %s\n", s, base, v, end - s, e == ERANGE ? "ERANGE" : e == EINVAL ? "EINVAL" : e ? "other" : "0");
}

static void parse_unsigned(const char *s, int base) {
	char *end;
	errno = 0;
	unsigned long v = strtoul(s, &end, base);
	int e = errno;
	printf("strtoul(\"%s\", %d) = %lu, consumed %td, errno %d\n", s, base, v, end - s, e);
}

int main(void) {
	parse("12345", 10);
	parse("   -42xyz", 10);
	parse("+17", 0);
	parse("0x1F", 0);
	parse("0x1F", 16);
	parse("1F", 16);
	parse("0755", 0);
	parse("0x", 0);
	parse("0xg", 16);
	parse("zz", 36);
	parse("101101", 2);
	parse("", 10);
	parse("   ", 10);
	parse("9223372036854775807", 10);
	parse("9223372036854775808", 10);
	parse("-9223372036854775809", 10);
	parse("123", 1);
	parse_unsigned("18446744073709551615", 10);
	parse_unsigned("18446744073709551616", 10);
	parse_unsigned("-1", 10);
	parse_unsigned("0xffffffff", 16);
	errno = 0;
	long long ll = strtoll("-9223372036854775808", NULL, 10);
	printf("strtoll min=%lld errno=%d\n", ll, errno);
	unsigned long long ull = strtoull("777777777777777777777", NULL, 8);
	printf("strtoull octal=%llu\n", ull);
	printf("atoi: %d %d %d %d\n", atoi("42"), atoi("  -17abc"), atoi("abc"), atoi("2147483647"));
	printf("atol: %ld atoll: %lld\n", atol("-123456789012"), atoll("9000000000000000000"));
	const char *doubles[] = { "3.14159", "  -2.5e3rest", "1e-5", "inf", "-Infinity", "0x1.8p1", ".5", "1e400", "abc" };
	for (int i = 0; i < 9; i++) {
		char *end;
		errno = 0;
		double d = strtod(doubles[i], &end);
		printf("strtod(\"%s\") = %g, consumed %td, erange %d\n", doubles[i], d, end - doubles[i], errno == ERANGE);
	}
	printf("atof: %.3f\n", atof("2.0625"));
	errno = 0;
	printf("errno starts at 0 after reset: %d\n", errno);
	return 0;
}
