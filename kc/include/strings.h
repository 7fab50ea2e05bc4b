/* <strings.h> for Faultline user programs (POSIX). */
#ifndef _STRINGS_H
#define _STRINGS_H 1

#ifndef __size_t_defined
#define __size_t_defined 1
typedef unsigned long size_t;
#endif

int strcasecmp(const char *__s1, const char *__s2);
int strncasecmp(const char *__s1, const char *__s2, size_t __n);

#endif
