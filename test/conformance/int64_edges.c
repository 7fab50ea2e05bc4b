// Checks 64-bit edge arithmetic: INT64 limits, unsigned wrap, mixed 32/64-bit expressions, big shifts and products.
#include <stdio.h>
#include <stdint.h>
#include <inttypes.h>

static uint64_t mix(uint64_t x) {
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return x;
}

int main(void) {
	int64_t max = INT64_MAX, min = INT64_MIN;
	uint64_t umax = UINT64_MAX;
	printf("%" PRId64 " %" PRId64 " %" PRIu64 "\n", max, min, umax);
	printf("%" PRIx64 " %" PRIX64 " %" PRIo64 "\n", umax, (uint64_t)max, (uint64_t)1 << 63);
	printf("umax+1=%" PRIu64 " umax*umax=%" PRIu64 "\n", umax + 1, umax * umax);
	printf("(uint64)min=%" PRIu64 " -(max)=%" PRId64 "\n", (uint64_t)min, -max);
	printf("min/-2=%" PRId64 " min%%3=%" PRId64 " max/7=%" PRId64 "\n", min / -2, min % 3, max / 7);
	uint64_t a = 0xdeadbeefcafebabeULL;
	printf("a>>1=%#" PRIx64 " a<<4=%#" PRIx64 " a>>63=%" PRIu64 "\n", a >> 1, a << 4, a >> 63);
	int64_t neg = -0x123456789LL;
	printf("neg>>4=%" PRId64 " neg/16=%" PRId64 "\n", neg >> 4, neg / 16);
	printf("2^53+1=%" PRId64 " 2^53+1 as double=%.1f\n", (int64_t)9007199254740993LL, (double)9007199254740993LL);
	printf("(int64)1e18=%" PRId64 " (uint64)1.8e19=%" PRIu64 "\n", (int64_t)1e18, (uint64_t)1.8e19);
	uint32_t u32 = 0xffffffffu;
	printf("u32+1 as 64=%" PRIu64 " u32*u32=%u (uint64)u32*u32=%" PRIu64 "\n", (uint64_t)u32 + 1, u32 * u32, (uint64_t)u32 * u32);
	int32_t i32 = -1;
	printf("(uint64)i32=%" PRIu64 " (uint64)(uint32)i32=%" PRIu64 "\n", (uint64_t)i32, (uint64_t)(uint32_t)i32);
	uint64_t h = 1;
	for (int i = 0; i < 5; i++) {
		h = mix(h + (uint64_t)i);
		printf("mix[%d]=%016" PRIx64 "\n", i, h);
	}
	uint64_t fib[94];
	fib[0] = 0;
	fib[1] = 1;
	for (int i = 2; i < 94; i++) fib[i] = fib[i - 1] + fib[i - 2];
	printf("fib[93]=%" PRIu64 " fib[92]=%" PRIu64 "\n", fib[93], fib[92]);
	long long prod = 1;
	for (int i = 1; i <= 20; i++) prod *= i;
	printf("20!=%lld\n", prod);
	printf("cmp: %d %d %d\n", min < max, (uint64_t)min > (uint64_t)max, -1LL < 0ULL);
	return 0;
}
