/* <string.h> for Faultline user programs: glibc's memory and string functions. */
#ifndef _STRING_H
#define _STRING_H 1

#ifndef __size_t_defined
#define __size_t_defined 1
typedef unsigned long size_t;
#endif

#undef NULL
#define NULL ((void *)0)

void *memcpy(void *restrict __dest, const void *restrict __src, size_t __n);
void *memmove(void *__dest, const void *__src, size_t __n);
void *memset(void *__s, int __c, size_t __n);
int memcmp(const void *__s1, const void *__s2, size_t __n);
void *memchr(const void *__s, int __c, size_t __n);

size_t strlen(const char *__s);
size_t strnlen(const char *__s, size_t __maxlen);
char *strcpy(char *restrict __dest, const char *restrict __src);
char *stpcpy(char *restrict __dest, const char *restrict __src);
char *strncpy(char *restrict __dest, const char *restrict __src, size_t __n);
char *strcat(char *restrict __dest, const char *restrict __src);
char *strncat(char *restrict __dest, const char *restrict __src, size_t __n);
int strcmp(const char *__s1, const char *__s2);
int strncmp(const char *__s1, const char *__s2, size_t __n);
char *strchr(const char *__s, int __c);
char *strrchr(const char *__s, int __c);
char *strstr(const char *__haystack, const char *__needle);
size_t strspn(const char *__s, const char *__accept);
size_t strcspn(const char *__s, const char *__reject);
char *strpbrk(const char *__s, const char *__accept);
char *strtok(char *restrict __s, const char *restrict __delim);
char *strtok_r(char *restrict __s, const char *restrict __delim, char **restrict __save_ptr);
char *strdup(const char *__s);
char *strndup(const char *__s, size_t __n);
char *strerror(int __errnum);

/* glibc's <string.h> also declares the <strings.h> functions. */
#include <strings.h>

#endif
