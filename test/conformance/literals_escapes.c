// Checks character and string literals: simple, octal and hex escapes, concatenation, integer and float literal forms.
#include <stdio.h>
#include <string.h>

int main(void) {
	const char s[] = "tab\there\nnew\\back\"quote\'apos\a\b\f\v\r\?";
	for (size_t i = 0; i < sizeof s - 1; i++) printf("%02x%c", (unsigned char)s[i], (i + 1) % 16 ? ' ' : '\n');
	printf("\nlen=%zu\n", strlen(s));
	printf("octal: %d %d %d %d\n", '\0', '\7', '\101', '\377');
	printf("hex: %d %d %d\n", '\x41', '\x7f', '\xff');
	printf("char signedness: %d %d\n", (char)'\xff', (unsigned char)'\xff');
	const char joined[] = "con" "cat" "e"
	                      "nation";
	printf("%s %zu\n", joined, sizeof joined);
	const char embedded[] = "a\0b";
	printf("embedded nul: sizeof=%zu strlen=%zu\n", sizeof embedded, strlen(embedded));
	printf("hex-then-text: %s\n", "\x41" "BC");
	printf("octal runs: %s\n", "\1012");
	printf("ints: %d %d %d %u %ld %llu\n", 42, 052, 0x2A, 42u, 42L, 42ULL);
	printf("hex forms: %x %X %o\n", 0XFF, 0xabcdef, 0777);
	printf("floats: %g %g %g %g %g\n", 1.5e3, .25, 3., 0x1p-2, 0x1.8p1);
	printf("float suffix: %zu %zu\n", sizeof 1.0f, sizeof 1.0);
	printf("char arith: %c%c%c\n", 'A' + 2, 'z' - 25, '0' + 7);
	printf("escape in char: [%c] [%c]\n", '\'', '"');
	printf("percent: 100%%\n");
	printf("%s\n", "multi\
line");
	return 0;
}
