/* <math.h> for Faultline user programs: glibc's names and constants for the double (and a few
   float) functions the flat host implements. Results come from the host's IEEE-754 arithmetic:
   sqrt, fabs, floor, ceil, trunc, round, fmod, fmin, fmax, ldexp, frexp and modf are exact as in
   glibc; transcendental functions may differ from glibc in the last bit. */
#ifndef _MATH_H
#define _MATH_H 1

#ifdef __FAULTLINE__
#define HUGE_VAL (1e10000)
#define HUGE_VALF (1e10000f)
#define INFINITY (1e10000f)
#define NAN (0.0f / 0.0f)
#else
#define HUGE_VAL (__builtin_huge_val())
#define HUGE_VALF (__builtin_huge_valf())
#define INFINITY (__builtin_inff())
#define NAN (__builtin_nanf(""))
#endif

#define M_E 2.7182818284590452354
#define M_LOG2E 1.4426950408889634074
#define M_LOG10E 0.43429448190325182765
#define M_LN2 0.69314718055994530942
#define M_LN10 2.30258509299404568402
#define M_PI 3.14159265358979323846
#define M_PI_2 1.57079632679489661923
#define M_PI_4 0.78539816339744830962
#define M_1_PI 0.31830988618379067154
#define M_2_PI 0.63661977236758134308
#define M_2_SQRTPI 1.12837916709551257390
#define M_SQRT2 1.41421356237309504880
#define M_SQRT1_2 0.70710678118654752440

/* Classification of doubles (floats convert exactly), through glibc's exported helpers. */
extern int __isnan(double __x) __attribute__((const));
extern int __isinf(double __x) __attribute__((const));
extern int __finite(double __x) __attribute__((const));
extern int __signbit(double __x) __attribute__((const));
#define isnan(x) __isnan(x)
#define isinf(x) __isinf(x)
#define isfinite(x) __finite(x)
#define signbit(x) __signbit(x)

double fabs(double __x) __attribute__((const));
double sqrt(double __x);
double cbrt(double __x);
double floor(double __x) __attribute__((const));
double ceil(double __x) __attribute__((const));
double trunc(double __x) __attribute__((const));
double round(double __x) __attribute__((const));
double fmod(double __x, double __y);
double fmin(double __x, double __y) __attribute__((const));
double fmax(double __x, double __y) __attribute__((const));
double hypot(double __x, double __y);
double pow(double __x, double __y);
double exp(double __x);
double exp2(double __x);
double log(double __x);
double log2(double __x);
double log10(double __x);
double sin(double __x);
double cos(double __x);
double tan(double __x);
double asin(double __x);
double acos(double __x);
double atan(double __x);
double atan2(double __y, double __x);
double sinh(double __x);
double cosh(double __x);
double tanh(double __x);
double ldexp(double __x, int __exponent);
double frexp(double __x, int *__exponent);
double modf(double __x, double *__iptr);

float fabsf(float __x) __attribute__((const));
float sqrtf(float __x);
float floorf(float __x) __attribute__((const));
float ceilf(float __x) __attribute__((const));

#endif
