/* <sys/time.h> for Faultline user programs: struct timeval, gettimeofday() and interval timers,
   with glibc's x86-64 definitions (simulated time on the simulated machine). */
#ifndef _SYS_TIME_H
#define _SYS_TIME_H 1

#include <bits/faultline-types.h>
#include <bits/types/struct_timeval.h>

#ifndef __time_t_defined
#define __time_t_defined 1
typedef __time_t time_t;
#endif
#ifndef __suseconds_t_defined
#define __suseconds_t_defined 1
typedef __suseconds_t suseconds_t;
#endif

/* Obsolete time-zone argument of gettimeofday(). */
struct timezone {
	int tz_minuteswest;
	int tz_dsttime;
};

/* setitimer()/getitimer() timers. */
enum __itimer_which {
	ITIMER_REAL = 0,
	ITIMER_VIRTUAL = 1,
	ITIMER_PROF = 2
};
#define ITIMER_REAL ITIMER_REAL
#define ITIMER_VIRTUAL ITIMER_VIRTUAL
#define ITIMER_PROF ITIMER_PROF
/* glibc's type for the timer argument when compiling C with _GNU_SOURCE (plain int otherwise). */
typedef enum __itimer_which __itimer_which_t;

struct itimerval {
	struct timeval it_interval;
	struct timeval it_value;
};

/* timeval arithmetic (BSD macros). */
#define timerisset(tvp) ((tvp)->tv_sec || (tvp)->tv_usec)
#define timerclear(tvp) ((tvp)->tv_sec = (tvp)->tv_usec = 0)
#define timercmp(a, b, CMP) \
	(((a)->tv_sec == (b)->tv_sec) ? ((a)->tv_usec CMP (b)->tv_usec) : ((a)->tv_sec CMP (b)->tv_sec))
#define timeradd(a, b, result) \
	do { \
		(result)->tv_sec = (a)->tv_sec + (b)->tv_sec; \
		(result)->tv_usec = (a)->tv_usec + (b)->tv_usec; \
		if ((result)->tv_usec >= 1000000) { \
			++(result)->tv_sec; \
			(result)->tv_usec -= 1000000; \
		} \
	} while (0)
#define timersub(a, b, result) \
	do { \
		(result)->tv_sec = (a)->tv_sec - (b)->tv_sec; \
		(result)->tv_usec = (a)->tv_usec - (b)->tv_usec; \
		if ((result)->tv_usec < 0) { \
			--(result)->tv_sec; \
			(result)->tv_usec += 1000000; \
		} \
	} while (0)

int gettimeofday(struct timeval *__restrict __tv, void *__restrict __tz);
int settimeofday(const struct timeval *__tv, const struct timezone *__tz);
int getitimer(__itimer_which_t __which, struct itimerval *__value);
int setitimer(__itimer_which_t __which, const struct itimerval *__restrict __new, struct itimerval *__restrict __old);
int utimes(const char *__file, const struct timeval __tvp[2]);

#endif
