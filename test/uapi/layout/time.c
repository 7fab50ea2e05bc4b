// Checks <time.h>, <sys/time.h> and <sys/uio.h>: clocks, struct timespec/tm/timeval/itimerval/iovec, and the timeval macros.
#define _GNU_SOURCE
#include <time.h>
#include <sys/time.h>
#include <sys/uio.h>
#include "print.h"

int main(void)
{
	POINTER(NULL);
	CONST(CLOCKS_PER_SEC);
	CONST(CLOCK_REALTIME);
	CONST(CLOCK_MONOTONIC);
	CONST(CLOCK_PROCESS_CPUTIME_ID);
	CONST(CLOCK_THREAD_CPUTIME_ID);
	CONST(CLOCK_MONOTONIC_RAW);
	CONST(CLOCK_REALTIME_COARSE);
	CONST(CLOCK_MONOTONIC_COARSE);
	CONST(CLOCK_BOOTTIME);
	CONST(CLOCK_REALTIME_ALARM);
	CONST(CLOCK_BOOTTIME_ALARM);
	CONST(CLOCK_TAI);
	CONST(TIMER_ABSTIME);
	CONST(TIME_UTC);
	CONST(ITIMER_REAL);
	CONST(ITIMER_VIRTUAL);
	CONST(ITIMER_PROF);
	CONST(UIO_MAXIOV);
	CONST(RWF_HIPRI);
	CONST(RWF_DSYNC);
	CONST(RWF_SYNC);
	CONST(RWF_NOWAIT);
	CONST(RWF_APPEND);

	SCALAR(time_t);
	SCALAR(clock_t);
	SCALAR(clockid_t);
	SCALAR(suseconds_t);
	SCALAR(size_t);
	SCALAR(ssize_t);
	TYPE(timer_t);
	TYPE(struct timespec);
	INTMEMBER(struct timespec, tv_sec);
	INTMEMBER(struct timespec, tv_nsec);
	TYPE(struct itimerspec);
	MEMBER(struct itimerspec, it_interval);
	MEMBER(struct itimerspec, it_value);
	TYPE(struct tm);
	INTMEMBER(struct tm, tm_sec);
	INTMEMBER(struct tm, tm_min);
	INTMEMBER(struct tm, tm_hour);
	INTMEMBER(struct tm, tm_mday);
	INTMEMBER(struct tm, tm_mon);
	INTMEMBER(struct tm, tm_year);
	INTMEMBER(struct tm, tm_wday);
	INTMEMBER(struct tm, tm_yday);
	INTMEMBER(struct tm, tm_isdst);
	INTMEMBER(struct tm, tm_gmtoff);
	MEMBER(struct tm, tm_zone);
	TYPE(struct timeval);
	INTMEMBER(struct timeval, tv_sec);
	INTMEMBER(struct timeval, tv_usec);
	TYPE(struct timezone);
	INTMEMBER(struct timezone, tz_minuteswest);
	INTMEMBER(struct timezone, tz_dsttime);
	TYPE(struct itimerval);
	MEMBER(struct itimerval, it_interval);
	MEMBER(struct itimerval, it_value);
	TYPE(struct iovec);
	MEMBER(struct iovec, iov_base);
	INTMEMBER(struct iovec, iov_len);

	struct timeval a = { 5, 900000 }, b = { 2, 200000 }, sum, difference;
	timeradd(&a, &b, &sum);
	timersub(&b, &a, &difference);
	printf("timeradd: %ld.%06ld timersub: %ld.%06ld\n", (long)sum.tv_sec, (long)sum.tv_usec, (long)difference.tv_sec,
		(long)difference.tv_usec);
	CONST(timercmp(&a, &b, <));
	CONST(timercmp(&a, &b, >));
	CONST(timercmp(&a, &a, ==));
	CONST(timerisset(&a) != 0);
	timerclear(&a);
	CONST(timerisset(&a) != 0);
	return 0;
}
