/* <linux/jiffies.h>: simulated time in ticks. The machine's clock is the number of statements all
 * CPUs have executed; one statement counts as one nanosecond, and HZ is 1000, so a jiffy is a
 * million statements. `jiffies` reads the machine's clock (a builtin), it is not a variable. */
#ifndef _LINUX_JIFFIES_H
#define _LINUX_JIFFIES_H

#define HZ 1000
#define NSEC_PER_JIFFY 1000000UL

/* The machine's clock in jiffies. */
unsigned long __kc_jiffies(void);
#define jiffies (__kc_jiffies())
#define jiffies_64 ((unsigned long long)__kc_jiffies())

#define time_after(a, b)	((long)((b) - (a)) < 0)
#define time_before(a, b)	time_after(b, a)
#define time_after_eq(a, b)	((long)((a) - (b)) >= 0)
#define time_before_eq(a, b)	time_after_eq(b, a)

static inline unsigned long msecs_to_jiffies(unsigned int m) { return (unsigned long)m; }
static inline unsigned long usecs_to_jiffies(unsigned int u) { return (u + 999) / 1000; }
static inline unsigned int jiffies_to_msecs(unsigned long j) { return (unsigned int)j; }
static inline unsigned int jiffies_to_usecs(unsigned long j) { return (unsigned int)(j * 1000); }

void msleep(unsigned int msecs);
unsigned long msleep_interruptible(unsigned int msecs);

#endif /* _LINUX_JIFFIES_H */
