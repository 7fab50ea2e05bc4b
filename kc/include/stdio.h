/* <stdio.h> for Faultline user programs: glibc's names, constants and prototypes. The C library
   (kc/lib/stdio.c) implements streams over file descriptors; the flat host implements the
   standard streams only. */
#ifndef _STDIO_H
#define _STDIO_H 1

#include <bits/faultline-types.h>

#ifndef __size_t_defined
#define __size_t_defined 1
typedef unsigned long size_t;
#endif

#ifndef __ssize_t_defined
#define __ssize_t_defined 1
typedef __ssize_t ssize_t;
#endif

#ifndef __off_t_defined
#define __off_t_defined 1
typedef __off_t off_t;
#endif

#ifndef __GNUC_VA_LIST
#define __GNUC_VA_LIST 1
typedef __builtin_va_list __gnuc_va_list;
#endif

#undef NULL
#define NULL ((void *)0)

/* A stream. Its contents are private to the C library. */
typedef struct _IO_FILE FILE;

#define EOF (-1)
#define BUFSIZ 8192
#define _IOFBF 0
#define _IOLBF 1
#define _IONBF 2
#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2
#define FILENAME_MAX 4096
#define FOPEN_MAX 16
#define L_tmpnam 20
#define TMP_MAX 238328

#ifdef __FAULTLINE__
/* The standard streams of the calling process (0 stdin, 1 stdout, 2 stderr). */
extern FILE *__faultline_stdio(int __fd) __attribute__((const));
#define stdin (__faultline_stdio(0))
#define stdout (__faultline_stdio(1))
#define stderr (__faultline_stdio(2))
#else
extern FILE *stdin;
extern FILE *stdout;
extern FILE *stderr;
#define stdin stdin
#define stdout stdout
#define stderr stderr
#endif

int printf(const char *restrict __format, ...);
int fprintf(FILE *restrict __stream, const char *restrict __format, ...);
int dprintf(int __fd, const char *restrict __format, ...);
int sprintf(char *restrict __s, const char *restrict __format, ...);
int snprintf(char *restrict __s, size_t __maxlen, const char *restrict __format, ...);
int asprintf(char **restrict __ptr, const char *restrict __format, ...);
int vprintf(const char *restrict __format, __gnuc_va_list __arg);
int vfprintf(FILE *restrict __stream, const char *restrict __format, __gnuc_va_list __arg);
int vdprintf(int __fd, const char *restrict __format, __gnuc_va_list __arg);
int vsprintf(char *restrict __s, const char *restrict __format, __gnuc_va_list __arg);
int vsnprintf(char *restrict __s, size_t __maxlen, const char *restrict __format, __gnuc_va_list __arg);
int vasprintf(char **restrict __ptr, const char *restrict __format, __gnuc_va_list __arg);

int puts(const char *__s);
int fputs(const char *restrict __s, FILE *restrict __stream);
int putchar(int __c);
int fputc(int __c, FILE *__stream);
int putc(int __c, FILE *__stream);
size_t fwrite(const void *restrict __ptr, size_t __size, size_t __n, FILE *restrict __stream);
int fflush(FILE *__stream);
void perror(const char *__s);

int getchar(void);
int fgetc(FILE *__stream);
int getc(FILE *__stream);
int ungetc(int __c, FILE *__stream);
char *fgets(char *restrict __s, int __n, FILE *restrict __stream);
size_t fread(void *restrict __ptr, size_t __size, size_t __n, FILE *restrict __stream);

ssize_t getline(char **restrict __lineptr, size_t *restrict __n, FILE *restrict __stream);
ssize_t getdelim(char **restrict __lineptr, size_t *restrict __n, int __delimiter, FILE *restrict __stream);

FILE *fopen(const char *restrict __filename, const char *restrict __modes);
FILE *fdopen(int __fd, const char *__modes);
int fclose(FILE *__stream);
int fseek(FILE *__stream, long __off, int __whence);
long ftell(FILE *__stream);
int fseeko(FILE *__stream, __off_t __off, int __whence);
__off_t ftello(FILE *__stream);
void rewind(FILE *__stream);
int remove(const char *__filename);

int setvbuf(FILE *restrict __stream, char *restrict __buf, int __modes, size_t __n);
void setbuf(FILE *restrict __stream, char *restrict __buf);
void setbuffer(FILE *restrict __stream, char *restrict __buf, size_t __size);
void setlinebuf(FILE *__stream);
int feof(FILE *__stream);
int ferror(FILE *__stream);
void clearerr(FILE *__stream);
int fileno(FILE *__stream);

#endif
