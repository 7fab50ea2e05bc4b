/* sigset_t for Faultline's user headers. Not a standard header. */
#ifndef __sigset_t_defined
#define __sigset_t_defined 1

#include <bits/types/__sigset_t.h>

typedef __sigset_t sigset_t;

#endif
