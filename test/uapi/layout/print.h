/* Printing helpers of the UAPI layout programs (test/uapi/layout): one line per fact, in a format
   that does not depend on the compiler, so that a program's output under Faultline (with KC's
   headers) and under gcc (with the system headers) can be compared byte for byte. */
#ifndef UAPI_LAYOUT_PRINT_H
#define UAPI_LAYOUT_PRINT_H

#include <stddef.h>
#include <stdio.h>

/* An integer constant: its value, and the size and signedness of its type. */
#define CONST(x) \
	printf("%s = %lld (%d bytes, %s)\n", #x, (long long)(x), (int)sizeof(x), (x) * 0 - 1 < 0 ? "signed" : "unsigned")

/* A pointer constant (MAP_FAILED, SIG_DFL, ...) as an integer. */
#define POINTER(x) printf("%s = %ld\n", #x, (long)(x))

/* A scalar type's size and signedness. */
#define SCALAR(T) printf("%s: %d bytes, %s\n", #T, (int)sizeof(T), (T)-1 < 0 ? "signed" : "unsigned")

/* A type's size and alignment. */
#define TYPE(T) printf("sizeof(%s) = %d, alignof = %d\n", #T, (int)sizeof(T), (int)_Alignof(T))

/* A member's offset and size. */
#define MEMBER(T, m) printf("%s.%s: offset %d, size %d\n", #T, #m, (int)offsetof(T, m), (int)sizeof(((T *)0)->m))

/* An integer member's offset, size and signedness. */
#define INTMEMBER(T, m) \
	printf("%s.%s: offset %d, size %d, %s\n", #T, #m, (int)offsetof(T, m), (int)sizeof(((T *)0)->m), \
		(__typeof__(((T *)0)->m))-1 < 0 ? "signed" : "unsigned")

/* The offsets and values of an object's nonzero bytes (for static initializers). */
static void nonzero_bytes(const char *name, const void *object, size_t size)
{
	const unsigned char *bytes = object;
	printf("%s:", name);
	for (size_t i = 0; i < size; i++) {
		if (bytes[i] != 0) {
			printf(" [%d]=%d", (int)i, bytes[i]);
		}
	}
	printf(" (of %d)\n", (int)size);
}

#endif
