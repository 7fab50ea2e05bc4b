/* <assert.h> for Faultline user programs. Deliberately without an include guard: each inclusion
   redefines assert according to the current NDEBUG, as C requires. A failed assertion calls
   glibc's __assert_fail, which prints `prog: file:line: func: Assertion `expr' failed.` and aborts. */

#undef assert

#ifndef _ASSERT_H_DECLS
#define _ASSERT_H_DECLS 1
extern void __assert_fail(const char *__assertion, const char *__file, unsigned int __line,
	const char *__function) __attribute__((noreturn));
#endif

#ifdef NDEBUG
#define assert(expr) ((void)0)
#else
#define assert(expr) ((expr) ? (void)0 : __assert_fail(#expr, __FILE__, __LINE__, __func__))
#endif

#ifndef static_assert
#define static_assert _Static_assert
#endif
