// Checks sprintf/snprintf formatting: widths, flags, precision, truncation, return values, %n-free formats of all types.
#include <stdio.h>
#include <stddef.h>
#include <string.h>

int main(void) {
	char buf[128];
	int n = sprintf(buf, "[%d|%5d|%-5d|%05d|%+d|% d]", 7, 7, 7, 7, 7, 7);
	printf("%s -> %d\n", buf, n);
	n = sprintf(buf, "[%x|%X|%#x|%o|%#o|%08.3x]", 255, 255, 255, 8, 8, 10);
	printf("%s -> %d\n", buf, n);
	n = sprintf(buf, "[%s|%10s|%-10s|%.3s|%*s|%-*.*s]", "str", "right", "left", "truncate", 6, "star", 6, 2, "prec");
	printf("%s -> %d\n", buf, n);
	n = sprintf(buf, "[%c|%3c|%-3c]", 'a', 'b', 'c');
	printf("%s -> %d\n", buf, n);
	n = sprintf(buf, "[%f|%.2f|%10.4f|%-10.1f|%e|%.3E|%g|%G]", 3.14159, 2.71828, 1.5, -2.25, 12345.6789, 0.000123, 0.0001, 1e-5);
	printf("%s -> %d\n", buf, n);
	n = sprintf(buf, "[%ld|%lu|%lld|%hhd|%hu|%zu|%td]", -1L, 4294967296UL, -9223372036854775807LL - 1, 257, 65537, sizeof(int), (ptrdiff_t)-3);
	printf("%s -> %d\n", buf, n);
	char small[8];
	n = snprintf(small, sizeof small, "%s", "this does not fit");
	printf("snprintf: '%s' wanted %d\n", small, n);
	n = snprintf(NULL, 0, "%d-%d", 123, 456);
	printf("snprintf(NULL,0) -> %d\n", n);
	n = snprintf(small, 1, "abc");
	printf("snprintf size 1: '%s' -> %d\n", small, n);
	n = sprintf(buf, "%s", "");
	printf("empty -> %d '%s'\n", n, buf);
	n = sprintf(buf, "%%|%5%|%c%c", 'o', 'k');
	printf("%s -> %d\n", buf, n);
	n = sprintf(buf, "%.0f %.0f %.0f %.1f %.10g", 0.5, 1.5, 2.5, 0.05, 1.0 / 3);
	printf("%s -> %d\n", buf, n);
	n = sprintf(buf, "%s %s", (char *)NULL, "after-null");
	printf("%s -> %d\n", buf, n);
	char accumulate[64] = "";
	for (int i = 0; i < 5; i++) sprintf(accumulate + strlen(accumulate), "%d,", i * i);
	printf("accumulated: %s\n", accumulate);
	n = printf("printf returns the byte count\n");
	printf("%d\n", n);
	return 0;
}
