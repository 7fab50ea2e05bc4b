/* <ctype.h> for Faultline user programs: character classes of the "C" locale, as glibc provides
   them. The class tests are macros over glibc's class table (reached through __ctype_b_loc), so
   they return glibc's class bit (isdigit('5') == 2048), not just 1; the functions exist too. */
#ifndef _CTYPE_H
#define _CTYPE_H 1

/* Class bits of glibc's table on a little-endian machine. */
enum {
	_ISupper = 256,
	_ISlower = 512,
	_ISalpha = 1024,
	_ISdigit = 2048,
	_ISxdigit = 4096,
	_ISspace = 8192,
	_ISprint = 16384,
	_ISgraph = 32768,
	_ISblank = 1,
	_IScntrl = 2,
	_ISpunct = 4,
	_ISalnum = 8
};

/* Points at a pointer to entry 0 of a 384-entry table indexed by -128 .. 255. */
extern const unsigned short int **__ctype_b_loc(void) __attribute__((const));

int isalnum(int __c);
int isalpha(int __c);
int isblank(int __c);
int iscntrl(int __c);
int isdigit(int __c);
int isgraph(int __c);
int islower(int __c);
int isprint(int __c);
int ispunct(int __c);
int isspace(int __c);
int isupper(int __c);
int isxdigit(int __c);
int isascii(int __c);
int toascii(int __c);
int tolower(int __c);
int toupper(int __c);

#define __isctype(c, type) ((*__ctype_b_loc())[(int)(c)] & (unsigned short int)(type))
#define isalnum(c) __isctype((c), _ISalnum)
#define isalpha(c) __isctype((c), _ISalpha)
#define isblank(c) __isctype((c), _ISblank)
#define iscntrl(c) __isctype((c), _IScntrl)
#define isdigit(c) __isctype((c), _ISdigit)
#define isgraph(c) __isctype((c), _ISgraph)
#define islower(c) __isctype((c), _ISlower)
#define isprint(c) __isctype((c), _ISprint)
#define ispunct(c) __isctype((c), _ISpunct)
#define isspace(c) __isctype((c), _ISspace)
#define isupper(c) __isctype((c), _ISupper)
#define isxdigit(c) __isctype((c), _ISxdigit)
#define isascii(c) (((c) & ~0x7f) == 0)
#define toascii(c) ((c) & 0x7f)

#endif
