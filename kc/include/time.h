/* <time.h> for Faultline user programs: time types and clocks with glibc's x86-64 definitions.
   The simulated machine keeps simulated time: clocks advance with the simulation, not the host. */
#ifndef _TIME_H
#define _TIME_H 1

#include <bits/faultline-types.h>
#include <bits/types/struct_timespec.h>

#ifndef __size_t_defined
#define __size_t_defined 1
typedef unsigned long size_t;
#endif
#ifndef __time_t_defined
#define __time_t_defined 1
typedef __time_t time_t;
#endif
#ifndef __clock_t_defined
#define __clock_t_defined 1
typedef __clock_t clock_t;
#endif
#ifndef __pid_t_defined
#define __pid_t_defined 1
typedef __pid_t pid_t;
#endif
typedef int clockid_t;
typedef void *timer_t;

#undef NULL
#define NULL ((void *)0)

#define CLOCKS_PER_SEC ((__clock_t)1000000)

/* Clock ids. */
#define CLOCK_REALTIME 0
#define CLOCK_MONOTONIC 1
#define CLOCK_PROCESS_CPUTIME_ID 2
#define CLOCK_THREAD_CPUTIME_ID 3
#define CLOCK_MONOTONIC_RAW 4
#define CLOCK_REALTIME_COARSE 5
#define CLOCK_MONOTONIC_COARSE 6
#define CLOCK_BOOTTIME 7
#define CLOCK_REALTIME_ALARM 8
#define CLOCK_BOOTTIME_ALARM 9
#define CLOCK_TAI 11

/* clock_nanosleep()/timer_settime() flag: the time is absolute. */
#define TIMER_ABSTIME 1
/* timespec_get() base. */
#define TIME_UTC 1

/* Broken-down time: 56 bytes. */
struct tm {
	int tm_sec;
	int tm_min;
	int tm_hour;
	int tm_mday;
	int tm_mon;
	int tm_year;
	int tm_wday;
	int tm_yday;
	int tm_isdst;
	long tm_gmtoff;
	const char *tm_zone;
};

/* An interval timer's period and first expiry. */
struct itimerspec {
	struct timespec it_interval;
	struct timespec it_value;
};

struct sigevent;

clock_t clock(void);
time_t time(time_t *__timer);
double difftime(time_t __time1, time_t __time0);
time_t mktime(struct tm *__tp);
size_t strftime(char *__restrict __s, size_t __maxsize, const char *__restrict __format, const struct tm *__restrict __tp);
struct tm *gmtime(const time_t *__timer);
struct tm *localtime(const time_t *__timer);
struct tm *gmtime_r(const time_t *__restrict __timer, struct tm *__restrict __tp);
struct tm *localtime_r(const time_t *__restrict __timer, struct tm *__restrict __tp);
char *asctime(const struct tm *__tp);
char *ctime(const time_t *__timer);
int nanosleep(const struct timespec *__requested_time, struct timespec *__remaining);
int clock_getres(clockid_t __clock_id, struct timespec *__res);
int clock_gettime(clockid_t __clock_id, struct timespec *__tp);
int clock_settime(clockid_t __clock_id, const struct timespec *__tp);
int clock_nanosleep(clockid_t __clock_id, int __flags, const struct timespec *__req, struct timespec *__rem);
int timer_create(clockid_t __clock_id, struct sigevent *__restrict __evp, timer_t *__restrict __timerid);
int timer_delete(timer_t __timerid);
int timer_settime(timer_t __timerid, int __flags, const struct itimerspec *__restrict __value, struct itimerspec *__restrict __ovalue);
int timer_gettime(timer_t __timerid, struct itimerspec *__value);
int timespec_get(struct timespec *__ts, int __base);

#endif
