/* <sys/spu.h> for Faultline user programs: the Cell Broadband Engine spufs calls spu_create() and
   spu_run() and their constants, as Linux on powerpc defines them (the kernel's asm/spu.h and the
   spu_create(2)/spu_run(2) manual pages). glibc has no wrapper for these calls.

   Faultline's simulated machine has SPEs and implements both calls. On real powerpc the wrappers
   below issue the system calls; on any other machine (for example gcc on x86-64, where a program
   using this header must still compile and link) they fail with ENOSYS, as the missing system
   call would. */
#ifndef _SYS_SPU_H
#define _SYS_SPU_H 1

#include <sys/types.h>

/* spu_create() flags. */
#define SPU_CREATE_EVENTS_ENABLED 0x0001
#define SPU_CREATE_GANG 0x0002
#define SPU_CREATE_NOSCHED 0x0004
#define SPU_CREATE_ISOLATE 0x0008
#define SPU_CREATE_AFFINITY_SPU 0x0010
#define SPU_CREATE_AFFINITY_MEM 0x0020
#define SPU_CREATE_FLAG_ALL 0x003f

/* Events spu_run() reports through *event for contexts created with SPU_CREATE_EVENTS_ENABLED
   (without it, these errors raise a signal instead). */
#define SPE_EVENT_DMA_ALIGNMENT 0x0008
#define SPE_EVENT_SPE_ERROR 0x0010
#define SPE_EVENT_SPE_DATA_SEGMENT 0x0020
#define SPE_EVENT_SPE_DATA_STORAGE 0x0040
#define SPE_EVENT_INVALID_DMA 0x0800

/* spu_run() returns the SPU status register: these bits, plus the stop code (the operand of the
   SPU's stop instruction) in bits 16-31 when SPU_STATUS_STOPPED_BY_STOP is set. */
#define SPU_STATUS_STOPPED 0x0
#define SPU_STATUS_RUNNING 0x1
#define SPU_STATUS_STOPPED_BY_STOP 0x2
#define SPU_STATUS_STOPPED_BY_HALT 0x4
#define SPU_STATUS_WAITING_FOR_CHANNEL 0x8
#define SPU_STATUS_SINGLE_STEP 0x10
#define SPU_STATUS_INVALID_INSTR 0x20
#define SPU_STATUS_INVALID_CH 0x40
#define SPU_STATUS_ISOLATED_STATE 0x80
#define SPU_STATUS_ISOLATED_LOAD_STATUS 0x200
#define SPU_STATUS_ISOLATED_EXIT_STATUS 0x400
#define SPU_STOP_STATUS_SHIFT 16

/* Values of the SPU run-control register (problem-state offset 0x401c, the "cntl" file). */
#define SPU_RUNCNTL_STOP 0L
#define SPU_RUNCNTL_RUNNABLE 1L
#define SPU_RUNCNTL_ISOLATE 2L

#if defined(__FAULTLINE__) || defined(__powerpc__) || defined(__powerpc64__)
/* powerpc system call numbers (Faultline uses them too; see <asm/unistd_64.h>). */
#ifndef __NR_spu_run
#define __NR_spu_run 278
#endif
#ifndef __NR_spu_create
#define __NR_spu_create 279
#endif
#ifndef SYS_spu_run
#define SYS_spu_run __NR_spu_run
#endif
#ifndef SYS_spu_create
#define SYS_spu_create __NR_spu_create
#endif
#endif

#if defined(__FAULTLINE__)

/* Creates the context directory `pathname` in spufs and returns a descriptor for it. The fourth
   argument, int neighbor_fd, is read only with SPU_CREATE_AFFINITY_SPU. */
int spu_create(const char *__pathname, unsigned int __flags, mode_t __mode, ...);
/* Runs the context from *npc until it stops; updates *npc and *event; returns the status. */
int spu_run(int __fd, unsigned int *__npc, unsigned int *__event);

#elif defined(__powerpc__) || defined(__powerpc64__)

#include <stdarg.h>
#include <unistd.h>

static inline int spu_create(const char *__pathname, unsigned int __flags, mode_t __mode, ...)
{
	int __neighbor_fd = -1;
	if (__flags & SPU_CREATE_AFFINITY_SPU) {
		va_list __ap;
		va_start(__ap, __mode);
		__neighbor_fd = va_arg(__ap, int);
		va_end(__ap);
	}
	return (int)syscall(__NR_spu_create, __pathname, __flags, __mode, __neighbor_fd);
}

static inline int spu_run(int __fd, unsigned int *__npc, unsigned int *__event)
{
	return (int)syscall(__NR_spu_run, __fd, __npc, __event);
}

#else

#include <errno.h>

static inline int spu_create(const char *__pathname, unsigned int __flags, mode_t __mode, ...)
{
	(void)__pathname;
	(void)__flags;
	(void)__mode;
	errno = ENOSYS;
	return -1;
}

static inline int spu_run(int __fd, unsigned int *__npc, unsigned int *__event)
{
	(void)__fd;
	(void)__npc;
	(void)__event;
	errno = ENOSYS;
	return -1;
}

#endif

#endif
