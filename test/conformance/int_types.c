// Checks every integer type: sizes, limits, integer promotions, unsigned wrap-around, signed vs unsigned comparisons, conversions.
#include <stdio.h>
#include <limits.h>

int main(void) {
	printf("sizes: %zu %zu %zu %zu %zu %zu %zu\n", sizeof(char), sizeof(short), sizeof(int), sizeof(long),
	       sizeof(long long), sizeof(_Bool), sizeof(void *));
	printf("char: %d..%d, uchar max %d, schar min %d\n", CHAR_MIN, CHAR_MAX, UCHAR_MAX, SCHAR_MIN);
	printf("short: %d..%d, ushort max %d\n", SHRT_MIN, SHRT_MAX, USHRT_MAX);
	printf("int: %d..%d, uint max %u\n", INT_MIN, INT_MAX, UINT_MAX);
	printf("long: %ld..%ld, ulong max %lu\n", LONG_MIN, LONG_MAX, ULONG_MAX);
	printf("llong: %lld..%lld, ullong max %llu\n", LLONG_MIN, LLONG_MAX, ULLONG_MAX);

	/* Integer promotions: char and short arithmetic happens in int. */
	unsigned char uc = 200;
	signed char sc = -100;
	unsigned short us = 65535;
	printf("uc+uc=%d sc*2=%d us+1=%d\n", uc + uc, sc * 2, us + 1);
	printf("sizeof(uc+uc)=%zu sizeof(us*us)=%zu\n", sizeof(uc + uc), sizeof(us * us));
	unsigned char wrap = uc + uc;
	signed char narrow = (signed char)200;
	printf("wrap=%u narrow=%d\n", wrap, narrow);

	/* Unsigned wrap-around is defined. */
	unsigned int u = 0;
	u--;
	printf("0u-1=%u\n", u);
	unsigned int big = 4000000000u;
	printf("big+big=%u big*3=%u\n", big + big, big * 3u);
	unsigned short s16 = 65535;
	s16++;
	printf("ushort wrap=%u\n", s16);

	/* Signed vs unsigned comparisons: -1 converts to UINT_MAX. */
	int minus = -1;
	unsigned int one = 1;
	printf("-1 < 1u: %d\n", minus < one);
	printf("-1 < (int)1u: %d\n", minus < (int)one);
	printf("-1L < 1u: %d\n", -1L < one);
	printf("-1 < 1ul: %d\n", minus < 1ul);
	printf("(unsigned char)-1 == 255: %d\n", (unsigned char)-1 == 255);
	printf("(char)-1 < 0: %d\n", (char)-1 < 0);

	/* Conversions between widths. */
	long long ll = 0x123456789abcdefLL;
	int truncated = (int)ll;
	short sh = (short)ll;
	printf("trunc int=%d short=%d uchar=%u\n", truncated, sh, (unsigned char)ll);
	long sign_extended = (int)0x80000000u;
	unsigned long zero_extended = 0x80000000u;
	printf("sext=%ld zext=%lu\n", sign_extended, zero_extended);
	printf("bool: %d %d %d\n", (_Bool)0, (_Bool)42, (_Bool)0.5);
	printf("char arith: %d %d\n", 'a' + 1, '0' * 2);
	printf("ternary type: %zu %zu\n", sizeof(1 ? (char)1 : (short)2), sizeof(1 ? 1 : 2L));
	return 0;
}
