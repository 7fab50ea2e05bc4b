/* struct timespec for Faultline's user headers (x86-64: two longs). Not a standard header. */
#ifndef _STRUCT_TIMESPEC
#define _STRUCT_TIMESPEC 1

#include <bits/faultline-types.h>

struct timespec {
	__time_t tv_sec;
	long tv_nsec;
};

#endif
