// Checks unions: type punning of float/int bits, size and alignment, tagged unions.
#include <stdio.h>
#include <stdint.h>

union bits32 {
	float f;
	uint32_t u;
	unsigned char bytes[4];
};

union bits64 {
	double d;
	uint64_t u;
	struct {
		uint32_t lo, hi;
	} half;
};

enum kind { K_INT, K_DOUBLE, K_STR };

struct value {
	enum kind kind;
	union {
		long i;
		double d;
		const char *s;
	} as;
};

static void show(struct value v) {
	switch (v.kind) {
	case K_INT:
		printf("int %ld\n", v.as.i);
		break;
	case K_DOUBLE:
		printf("double %g\n", v.as.d);
		break;
	case K_STR:
		printf("str %s\n", v.as.s);
		break;
	}
}

int main(void) {
	union bits32 b;
	b.f = 1.0f;
	printf("1.0f bits: %08x bytes: %02x %02x %02x %02x\n", b.u, b.bytes[0], b.bytes[1], b.bytes[2], b.bytes[3]);
	b.f = -2.5f;
	printf("-2.5f bits: %08x\n", b.u);
	b.u = 0x40490fdb;
	printf("0x40490fdb as float: %.7f\n", b.f);
	union bits64 w;
	w.d = 1.0;
	printf("1.0 bits: %016llx lo=%08x hi=%08x\n", (unsigned long long)w.u, w.half.lo, w.half.hi);
	w.u = 0x7ff0000000000000ULL;
	printf("inf from bits: %f\n", w.d);
	w.u = 1;
	printf("smallest subnormal: %g\n", w.d);
	printf("sizeof bits32=%zu bits64=%zu value=%zu\n", sizeof(union bits32), sizeof(union bits64), sizeof(struct value));
	struct value vs[3] = { { K_INT, { .i = -42 } }, { K_DOUBLE, { .d = 6.25 } }, { K_STR, { .s = "hello" } } };
	for (int i = 0; i < 3; i++) show(vs[i]);
	union {
		uint16_t word;
		uint8_t byte[2];
	} endian = { .word = 0x1234 };
	printf("little endian: %d\n", endian.byte[0] == 0x34);
	return 0;
}
