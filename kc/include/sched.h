/* <sched.h> for Faultline user programs: yielding, scheduling policies, CPU sets and the clone()
   flags, with glibc's x86-64 definitions. */
#ifndef _SCHED_H
#define _SCHED_H 1

#include <bits/faultline-types.h>
#include <bits/types/struct_timespec.h>

#ifndef __size_t_defined
#define __size_t_defined 1
typedef unsigned long size_t;
#endif
#ifndef __pid_t_defined
#define __pid_t_defined 1
typedef __pid_t pid_t;
#endif

/* Scheduling policies. */
#define SCHED_OTHER 0
#define SCHED_FIFO 1
#define SCHED_RR 2
#define SCHED_BATCH 3
#define SCHED_ISO 4
#define SCHED_IDLE 5
#define SCHED_DEADLINE 6
#define SCHED_RESET_ON_FORK 0x40000000

struct sched_param {
	int sched_priority;
};

/* clone() flags; the low byte (CSIGNAL) is the signal sent to the parent at exit. */
#define CSIGNAL 0x000000ff
#define CLONE_NEWTIME 0x00000080
#define CLONE_VM 0x00000100
#define CLONE_FS 0x00000200
#define CLONE_FILES 0x00000400
#define CLONE_SIGHAND 0x00000800
#define CLONE_PIDFD 0x00001000
#define CLONE_PTRACE 0x00002000
#define CLONE_VFORK 0x00004000
#define CLONE_PARENT 0x00008000
#define CLONE_THREAD 0x00010000
#define CLONE_NEWNS 0x00020000
#define CLONE_SYSVSEM 0x00040000
#define CLONE_SETTLS 0x00080000
#define CLONE_PARENT_SETTID 0x00100000
#define CLONE_CHILD_CLEARTID 0x00200000
#define CLONE_DETACHED 0x00400000
#define CLONE_UNTRACED 0x00800000
#define CLONE_CHILD_SETTID 0x01000000
#define CLONE_NEWCGROUP 0x02000000
#define CLONE_NEWUTS 0x04000000
#define CLONE_NEWIPC 0x08000000
#define CLONE_NEWUSER 0x10000000
#define CLONE_NEWPID 0x20000000
#define CLONE_NEWNET 0x40000000
#define CLONE_IO 0x80000000

/* A set of up to 1024 CPUs, one bit each. */
#define __CPU_SETSIZE 1024
#define CPU_SETSIZE __CPU_SETSIZE
typedef unsigned long __cpu_mask;
#define __NCPUBITS (8 * sizeof(__cpu_mask))
typedef struct {
	__cpu_mask __bits[__CPU_SETSIZE / __NCPUBITS];
} cpu_set_t;
#define __CPUELT(cpu) ((cpu) / __NCPUBITS)
#define __CPUMASK(cpu) ((__cpu_mask)1 << ((cpu) % __NCPUBITS))

#define CPU_ZERO(setp) \
	do { \
		for (size_t __cpu_word = 0; __cpu_word < __CPU_SETSIZE / __NCPUBITS; __cpu_word++) \
			(setp)->__bits[__cpu_word] = 0; \
	} while (0)
/* These evaluate to the updated word (or 0 when cpu is out of range), as glibc's do. */
#define CPU_SET(cpu, setp) \
	({ size_t __cpu = (cpu); __cpu < __CPU_SETSIZE ? ((setp)->__bits[__CPUELT(__cpu)] |= __CPUMASK(__cpu)) : 0; })
#define CPU_CLR(cpu, setp) \
	({ size_t __cpu = (cpu); __cpu < __CPU_SETSIZE ? ((setp)->__bits[__CPUELT(__cpu)] &= ~__CPUMASK(__cpu)) : 0; })
#define CPU_ISSET(cpu, setp) \
	({ size_t __cpu = (cpu); __cpu < __CPU_SETSIZE ? (((setp)->__bits[__CPUELT(__cpu)] & __CPUMASK(__cpu)) != 0) : 0; })

int sched_setparam(__pid_t __pid, const struct sched_param *__param);
int sched_getparam(__pid_t __pid, struct sched_param *__param);
int sched_setscheduler(__pid_t __pid, int __policy, const struct sched_param *__param);
int sched_getscheduler(__pid_t __pid);
int sched_yield(void);
int sched_get_priority_max(int __algorithm);
int sched_get_priority_min(int __algorithm);
int sched_rr_get_interval(__pid_t __pid, struct timespec *__t);
int sched_setaffinity(__pid_t __pid, size_t __cpusetsize, const cpu_set_t *__cpuset);
int sched_getaffinity(__pid_t __pid, size_t __cpusetsize, cpu_set_t *__cpuset);
int sched_getcpu(void);
/* clone(fn, stack, flags, arg, [parent_tid, tls, child_tid]). */
int clone(int (*__fn)(void *__arg), void *__child_stack, int __flags, void *__arg, ...);
int unshare(int __flags);
int setns(int __fd, int __nstype);

#endif
