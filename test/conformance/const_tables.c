// Checks const data tables: lookup tables, tables of strings and of structs, const pointers, CRC-32 with a generated table.
#include <stdio.h>
#include <stdint.h>

static const unsigned char popcount4[16] = { 0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4 };

static const char *const weekdays[] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };

struct errno_name {
	int value;
	const char *name;
};

static const struct errno_name errnos[] = {
	{ 1, "EPERM" }, { 2, "ENOENT" }, { 12, "ENOMEM" }, { 14, "EFAULT" }, { 22, "EINVAL" }, { 0, NULL },
};

static const double powers[] = { 1e0, 1e1, 1e2, 1e3, 1e4 };

static uint32_t crc_table[256];

static void crc_init(void) {
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;
		for (int k = 0; k < 8; k++) c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
		crc_table[i] = c;
	}
}

static uint32_t crc32(const char *s) {
	uint32_t c = 0xffffffffu;
	while (*s) c = crc_table[(c ^ (unsigned char)*s++) & 0xff] ^ (c >> 8);
	return c ^ 0xffffffffu;
}

static const char *errno_name(int v) {
	for (const struct errno_name *e = errnos; e->name; e++)
		if (e->value == v) return e->name;
	return "unknown";
}

int main(void) {
	unsigned v = 0xb6;
	printf("popcount(0xb6)=%d\n", popcount4[v & 15] + popcount4[v >> 4]);
	for (int d = 0; d < 7; d += 3) printf("%s ", weekdays[d]);
	printf("\nweekdays=%zu\n", sizeof weekdays / sizeof weekdays[0]);
	int probe[] = { 12, 22, 99 };
	for (int i = 0; i < 3; i++) printf("%d=%s\n", probe[i], errno_name(probe[i]));
	double x = 0;
	for (int i = 0; i < 5; i++) x += powers[i] * (i + 1);
	printf("weighted=%.1f\n", x);
	crc_init();
	printf("crc32(\"123456789\")=%08x\n", crc32("123456789"));
	printf("crc32(\"The quick brown fox\")=%08x\n", crc32("The quick brown fox"));
	const int *const fixed = &popcount4[0] == (const unsigned char *)0 ? NULL : (const int *)0;
	printf("const pointer null: %d\n", fixed == NULL);
	static const char hexdigits[] = "0123456789abcdef";
	unsigned long value = 0xfeedfacecafeUL;
	char out[17];
	int pos = 16;
	out[pos] = '\0';
	do {
		out[--pos] = hexdigits[value & 15];
		value >>= 4;
	} while (value);
	printf("hex=%s\n", out + pos);
	return 0;
}
