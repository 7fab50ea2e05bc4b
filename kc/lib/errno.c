/*
 * errno of Faultline's user C library: one int per thread, at offset 0 of the thread's thread area
 * (internal.h), as glibc keeps errno in the thread control block. Every thread, including a fork
 * child's, reaches its own through __errno_location().
 */
#include "internal.h"

int *__errno_location(void)
{
	return &__tls()->errno_value;
}
