/* <linux/ptrace.h>: the ptrace requests and the tracing interface of kernel/ptrace.c.
 *
 * Request numbers are the x86-64 UAPI values (<uapi/linux/ptrace.h>), the same in every era except
 * that each request exists from the release that added it. A tracee has task->ptrace & PT_PTRACED
 * and task->ptrace_parent pointing at its tracer (Linux re-parents the tracee: child->parent =
 * tracer; Faultline keeps that link in ptrace_parent so that wait4 and the process tree stay the
 * lead's). kernel-semantics.md 2.1 and 2.5: PEEK/POKE go through access_process_vm, which uses GUP
 * and, from 2.6.27, vm_ops->access. */
#ifndef _LINUX_PTRACE_H
#define _LINUX_PTRACE_H

#include <linux/types.h>
#include <linux/version.h>
#include <linux/sched.h>

#define PTRACE_TRACEME		0
#define PTRACE_PEEKTEXT		1
#define PTRACE_PEEKDATA		2
#define PTRACE_PEEKUSR		3
#define PTRACE_POKETEXT		4
#define PTRACE_POKEDATA		5
#define PTRACE_POKEUSR		6
#define PTRACE_CONT		7
#define PTRACE_KILL		8
#define PTRACE_SINGLESTEP	9
#define PTRACE_ATTACH		16
#define PTRACE_DETACH		17
#define PTRACE_SYSCALL		24
#define PTRACE_SETOPTIONS	0x4200
#define PTRACE_GETEVENTMSG	0x4201
#define PTRACE_GETSIGINFO	0x4202
#define PTRACE_SETSIGINFO	0x4203
#if LINUX_VERSION_CODE >= KERNEL_VERSION(3, 4, 0)
#define PTRACE_SEIZE		0x4206
#define PTRACE_INTERRUPT	0x4207
#define PTRACE_LISTEN		0x4208
#endif

/* task->ptrace */
#define PT_PTRACED		0x00000001
#if LINUX_VERSION_CODE >= KERNEL_VERSION(3, 4, 0)
#define PT_SEIZED		0x00010000	/* SEIZE used, enable new behavior */
#endif

#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 27)
/* ptrace_may_access modes (2.6.27 split read from attach: 006ebb40d3d). */
#define PTRACE_MODE_READ	0x01
#define PTRACE_MODE_ATTACH	0x02
#endif
#if LINUX_VERSION_CODE >= KERNEL_VERSION(4, 5, 0)
#define PTRACE_MODE_NOAUDIT	0x04
#define PTRACE_MODE_FSCREDS	0x08
#define PTRACE_MODE_REALCREDS	0x10
#define PTRACE_MODE_READ_FSCREDS (PTRACE_MODE_READ | PTRACE_MODE_FSCREDS)
#define PTRACE_MODE_ATTACH_REALCREDS (PTRACE_MODE_ATTACH | PTRACE_MODE_REALCREDS)
#endif

/* The ptrace(2) system call: request on the task with thread id `pid`; PEEK* store the word at
 * user address `data` (the C library's wrapper returns it); 0 or -errno (ESRCH: no such task, or
 * not traced by the caller and stopped; EPERM: may not attach; EIO: bad request or address). */
long sys_ptrace(long request, long pid, unsigned long addr, unsigned long data);

/* May current inspect `task` (/proc/PID/maps, pagemap, ptrace)? Faultline has no credentials
 * (every task has the same uid and a dumpable mm), so this is the same-uid case: true. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 27)
bool ptrace_may_access(struct task_struct *task, unsigned int mode);
#else
int ptrace_may_attach(struct task_struct *task);
#endif

#if LINUX_VERSION_CODE >= KERNEL_VERSION(4, 9, 0)
/* access_process_vm as the tracer: only for a task current traces (0 bytes otherwise). */
int ptrace_access_vm(struct task_struct *tsk, unsigned long addr, void *buf, int len, unsigned int gup_flags);
#endif

/* PTRACE_PEEKDATA/POKEDATA: a word through access_process_vm; -EIO unless all of it was copied.
 * (Consolidated into kernel/ptrace.c in 2.6.23, 7664732315c; 2.6.18's arch_ptrace had it inline.) */
int generic_ptrace_peekdata(struct task_struct *tsk, unsigned long addr, unsigned long data);
int generic_ptrace_pokedata(struct task_struct *tsk, unsigned long addr, unsigned long data);

#endif /* _LINUX_PTRACE_H */
