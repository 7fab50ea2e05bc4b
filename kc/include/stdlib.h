/* <stdlib.h> for Faultline user programs: glibc's names, constants and prototypes that the flat
   host implements (memory allocation, conversions, sorting, glibc's random(), process exit). */
#ifndef _STDLIB_H
#define _STDLIB_H 1

#ifndef __size_t_defined
#define __size_t_defined 1
typedef unsigned long size_t;
#endif

#ifndef __wchar_t_defined
#define __wchar_t_defined 1
typedef int wchar_t;
#endif

#undef NULL
#define NULL ((void *)0)

#define EXIT_FAILURE 1
#define EXIT_SUCCESS 0
#define RAND_MAX 2147483647

void *malloc(size_t __size);
void *calloc(size_t __nmemb, size_t __size);
void *realloc(void *__ptr, size_t __size);
void *reallocarray(void *__ptr, size_t __nmemb, size_t __size);
void free(void *__ptr);
void *aligned_alloc(size_t __alignment, size_t __size);
int posix_memalign(void **__memptr, size_t __alignment, size_t __size);

int atoi(const char *__nptr);
long atol(const char *__nptr);
long long atoll(const char *__nptr);
double atof(const char *__nptr);
long strtol(const char *restrict __nptr, char **restrict __endptr, int __base);
unsigned long strtoul(const char *restrict __nptr, char **restrict __endptr, int __base);
long long strtoll(const char *restrict __nptr, char **restrict __endptr, int __base);
unsigned long long strtoull(const char *restrict __nptr, char **restrict __endptr, int __base);
double strtod(const char *restrict __nptr, char **restrict __endptr);
float strtof(const char *restrict __nptr, char **restrict __endptr);

int rand(void);
void srand(unsigned int __seed);
long random(void);
void srandom(unsigned int __seed);

void qsort(void *__base, size_t __nmemb, size_t __size, int (*__compar)(const void *, const void *));
void *bsearch(const void *__key, const void *__base, size_t __nmemb, size_t __size,
	int (*__compar)(const void *, const void *));

int abs(int __x) __attribute__((const));
long labs(long __x) __attribute__((const));
long long llabs(long long __x) __attribute__((const));

void exit(int __status) __attribute__((noreturn));
void _Exit(int __status) __attribute__((noreturn));
void abort(void) __attribute__((noreturn));
int atexit(void (*__func)(void));
char *getenv(const char *__name);

#endif
