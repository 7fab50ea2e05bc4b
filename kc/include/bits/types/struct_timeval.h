/* struct timeval for Faultline's user headers (x86-64: two longs). Not a standard header. */
#ifndef __timeval_defined
#define __timeval_defined 1

#include <bits/faultline-types.h>

struct timeval {
	__time_t tv_sec;
	__suseconds_t tv_usec;
};

#endif
