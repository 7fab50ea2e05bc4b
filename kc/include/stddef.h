/* <stddef.h> for Faultline user programs: x86-64 LP64 definitions, as gcc's stddef.h gives them. */
#ifndef _STDDEF_H
#define _STDDEF_H 1

#ifndef __size_t_defined
#define __size_t_defined 1
typedef unsigned long size_t;
#endif

#ifndef __ptrdiff_t_defined
#define __ptrdiff_t_defined 1
typedef long ptrdiff_t;
#endif

#ifndef __wchar_t_defined
#define __wchar_t_defined 1
typedef int wchar_t;
#endif

/* C11: the type with the strictest fundamental alignment (16 on x86-64). */
typedef struct {
	long long __max_align_ll;
	long double __max_align_ld;
} max_align_t;

#undef NULL
#define NULL ((void *)0)

#define offsetof(TYPE, MEMBER) __builtin_offsetof(TYPE, MEMBER)

#endif
