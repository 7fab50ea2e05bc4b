// Checks variadic functions with stdarg: ints, longs, doubles, pointers, va_copy, and forwarding a va_list to vsnprintf.
#include <stdio.h>
#include <stdarg.h>
#include <string.h>

static int sum_ints(int count, ...) {
	va_list ap;
	va_start(ap, count);
	int s = 0;
	for (int i = 0; i < count; i++) s += va_arg(ap, int);
	va_end(ap);
	return s;
}

static double average(int count, ...) {
	va_list ap;
	va_start(ap, count);
	double total = 0;
	for (int i = 0; i < count; i++) total += va_arg(ap, double);
	va_end(ap);
	return count ? total / count : 0;
}

/* A tiny formatter: i=int, l=long, d=double, s=string, c=char (promoted to int), p=null check. */
static void describe(const char *types, ...) {
	va_list ap, copy;
	va_start(ap, types);
	va_copy(copy, ap);
	for (const char *t = types; *t; t++) {
		switch (*t) {
		case 'i': printf("int:%d ", va_arg(ap, int)); break;
		case 'l': printf("long:%ld ", va_arg(ap, long)); break;
		case 'd': printf("double:%.3f ", va_arg(ap, double)); break;
		case 's': printf("str:%s ", va_arg(ap, const char *)); break;
		case 'c': printf("char:%c ", (char)va_arg(ap, int)); break;
		case 'p': printf("ptr:%s ", va_arg(ap, void *) ? "set" : "null"); break;
		}
	}
	printf("\n");
	/* The copy replays the same arguments. */
	int ints = 0;
	for (const char *t = types; *t; t++) {
		if (*t == 'i') ints += va_arg(copy, int);
		else if (*t == 'd') (void)va_arg(copy, double);
		else if (*t == 'l') (void)va_arg(copy, long);
		else if (*t == 'c') (void)va_arg(copy, int);
		else (void)va_arg(copy, void *);
	}
	va_end(copy);
	va_end(ap);
	printf("ints via copy: %d\n", ints);
}

static char log_buffer[256];
static int log_used;

static int logf_(const char *fmt, ...) {
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(log_buffer + log_used, sizeof log_buffer - log_used, fmt, ap);
	va_end(ap);
	log_used += n;
	return n;
}

static void err_printf(const char *prefix, const char *fmt, ...) {
	va_list ap;
	va_start(ap, fmt);
	printf("%s: ", prefix);
	vprintf(fmt, ap);
	va_end(ap);
}

int main(void) {
	printf("sum=%d sum0=%d\n", sum_ints(5, 1, 2, 3, 4, 5), sum_ints(0));
	printf("avg=%.4f\n", average(4, 1.0, 2.5, 3.25, 4.0));
	float f = 1.5f;
	short sh = -7;
	describe("ildscpi", 42, -9000000000L, (double)f, "text", 'Z', (void *)0, (int)sh);
	logf_("[%s:%d]", "file.c", 17);
	logf_(" %5.2f%%", 99.5);
	logf_(" %c%c", 'o', 'k');
	printf("log='%s' used=%d len=%zu\n", log_buffer, log_used, strlen(log_buffer));
	err_printf("error", "code %d (%s)\n", -22, "EINVAL");
	return 0;
}
