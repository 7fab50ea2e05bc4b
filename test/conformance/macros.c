// Checks the preprocessor: object and function-like macros, # and ##, variadic macros, conditionals, X-macros, do-while(0).
#include <stdio.h>

#define STR(x) #x
#define XSTR(x) STR(x)
#define CAT(a, b) a##b
#define XCAT(a, b) CAT(a, b)
#define VERSION 3
#define SQUARE(x) ((x) * (x))
#define BAD_SQUARE(x) x * x
#define DEBUG_PRINT(fmt, ...) printf("[debug] " fmt "\n", __VA_ARGS__)
#define LOG(...) printf(__VA_ARGS__)
#define SWAP_INT(a, b) do { int _t = (a); (a) = (b); (b) = _t; } while (0)
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define FIELD(name) int name;
#define COLORS(X) X(RED, 0xff0000) X(GREEN, 0x00ff00) X(BLUE, 0x0000ff)
#define AS_ENUM(name, value) COLOR_##name,
#define AS_STRING(name, value) #name,
#define AS_VALUE(name, value) value,

enum color { COLORS(AS_ENUM) COLOR_COUNT };
static const char *color_names[] = { COLORS(AS_STRING) };
static const int color_values[] = { COLORS(AS_VALUE) };

struct generated {
	FIELD(alpha)
	FIELD(beta)
};

#if VERSION >= 3 && defined(VERSION)
#define FEATURE "new"
#elif VERSION == 2
#define FEATURE "old"
#else
#define FEATURE "ancient"
#endif

#ifdef __x86_64__
#define ARCH "x86_64"
#else
#define ARCH "other"
#endif

#ifndef UNDEFINED_THING
#define UNDEFINED_THING 0
#endif

int main(void) {
	int CAT(my, var) = 12;
	printf("%s %s %s\n", STR(hello world), STR(1 + 2), XSTR(VERSION));
	printf("pasted var=%d, version token=%d\n", myvar, XCAT(VERS, ION));
	printf("square: %d %d\n", SQUARE(1 + 2), BAD_SQUARE(1 + 2));
	DEBUG_PRINT("%s=%d", "x", 42);
	LOG("log %d %d %d\n", 1, 2, 3);
	int a = 1, b = 2;
	if (a < b) SWAP_INT(a, b);
	else printf("unreachable\n");
	printf("swapped %d %d\n", a, b);
	int arr[17];
	printf("ARRAY_SIZE=%zu\n", ARRAY_SIZE(arr));
	struct generated g = { 1, 2 };
	printf("generated %d %d\n", g.alpha, g.beta);
	for (int i = 0; i < COLOR_COUNT; i++) printf("%s=%06x ", color_names[i], color_values[i]);
	printf("\nfeature=%s arch=%s undefined=%d\n", FEATURE, ARCH, UNDEFINED_THING);
	printf("line=%d file-ends-with-c=%d\n", __LINE__, __FILE__[sizeof(__FILE__) - 2] == 'c');
#define TEMP 5
	int t1 = TEMP;
#undef TEMP
#define TEMP 6
	printf("redefined: %d %d\n", t1, TEMP);
	printf("stringify escapes: %s\n", STR("quoted" 'c' \n));
	return 0;
}
