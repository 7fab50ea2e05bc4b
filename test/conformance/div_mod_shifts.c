// Checks integer division and modulo with negative operands (truncation toward zero), and shifts of signed and unsigned values.
#include <stdio.h>

int main(void) {
	int as[] = { 7, -7, 7, -7, 0, 1, -1 };
	int bs[] = { 2, 2, -2, -2, 5, 3, 3 };
	for (int i = 0; i < 7; i++) {
		int a = as[i], b = bs[i];
		printf("%d / %d = %d, %d %% %d = %d, check %d\n", a, b, a / b, a, b, a % b, (a / b) * b + a % b == a);
	}
	long la = -9000000000L;
	printf("long: %ld %ld\n", la / 7, la % 7);
	unsigned ua = 7;
	printf("unsigned with negative: %u %u\n", ua / (unsigned)-2, (unsigned)-7 % 10u);
	printf("int min / -1 avoided; int min / 1 = %d, %% 1 = %d\n", (-2147483647 - 1) / 1, (-2147483647 - 1) % 1);
	unsigned u = 0x80000001u;
	printf("unsigned shifts: %#x %#x %#x\n", u >> 1, u << 1, u >> 31);
	int s = -16;
	printf("signed right shift (arithmetic in gcc): %d %d %d\n", s >> 1, s >> 4, -1 >> 31);
	printf("left shift: %d %ld %#lx\n", 1 << 30, 1L << 40, 0xffUL << 56);
	unsigned char c = 0x81;
	printf("promoted shift: %d %d\n", c << 1, (unsigned char)(c << 1));
	for (int k = 0; k < 64; k += 21) printf("1ULL<<%d = %llu\n", k, 1ULL << k);
	int count = 0;
	for (unsigned v = 0xdeadbeefu; v; v >>= 1) count += v & 1;
	printf("popcount(0xdeadbeef)=%d\n", count);
	unsigned rot = 0x12345678u;
	printf("rotl8=%#x\n", (rot << 8) | (rot >> 24));
	printf("compound: ");
	int x = 100;
	x /= -3; printf("%d ", x);
	x %= 7; printf("%d ", x);
	x <<= 3; printf("%d ", x);
	x >>= 1; printf("%d\n", x);
	return 0;
}
