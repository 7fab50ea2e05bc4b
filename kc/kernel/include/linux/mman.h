/* <linux/mman.h>: the user API values of mmap, mprotect, mremap, msync and madvise (x86-64:
 * asm-generic/mman-common.h plus arch/x86's additions), and the translation of PROT_* / MAP_*
 * into VM_* flags (calc_vm_prot_bits, calc_vm_flag_bits) that mmap and mprotect use.
 *
 * Values a profile's kernel did not know are left undefined for it, so that a flag a 2.6 kernel
 * would silently ignore (MAP_FIXED_NOREPLACE on 2.6.18 is just an unknown bit: the address is a
 * hint) is ignored here too. */
#ifndef _LINUX_MMAN_H
#define _LINUX_MMAN_H

#include <linux/version.h>
#include <linux/mm.h>

#define PROT_NONE 0x0
#define PROT_READ 0x1
#define PROT_WRITE 0x2
#define PROT_EXEC 0x4
#define PROT_SEM 0x8
/* mprotect only: extend the change to the start of a VM_GROWSDOWN VMA (end of a VM_GROWSUP one). */
#define PROT_GROWSDOWN 0x01000000
#define PROT_GROWSUP 0x02000000

#define MAP_SHARED 0x01
#define MAP_PRIVATE 0x02
#if LINUX_VERSION_CODE >= KERNEL_VERSION(4, 15, 0)
/* MAP_SHARED that fails (EOPNOTSUPP) on flags the file does not support. */
#define MAP_SHARED_VALIDATE 0x03
#endif
#define MAP_TYPE 0x0f
#define MAP_FIXED 0x10
#define MAP_ANONYMOUS 0x20
#define MAP_ANON MAP_ANONYMOUS
#define MAP_FILE 0
#define MAP_32BIT 0x40
#define MAP_GROWSDOWN 0x0100
#define MAP_DENYWRITE 0x0800
#define MAP_EXECUTABLE 0x1000
#define MAP_LOCKED 0x2000
#define MAP_NORESERVE 0x4000
#define MAP_POPULATE 0x8000
#define MAP_NONBLOCK 0x10000
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 27)
#define MAP_STACK 0x20000
#endif
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 32)
#define MAP_HUGETLB 0x40000
#endif
#if LINUX_VERSION_CODE >= KERNEL_VERSION(4, 17, 0)
/* MAP_FIXED that fails with EEXIST instead of replacing what is there. */
#define MAP_FIXED_NOREPLACE 0x100000
#endif
#if LINUX_VERSION_CODE >= KERNEL_VERSION(2, 6, 33)
#define MAP_UNINITIALIZED 0x4000000
#endif
#ifdef MAP_SHARED_VALIDATE
/* The flags every MAP_SHARED mapping accepted before MAP_SHARED_VALIDATE (others are ignored). */
#define LEGACY_MAP_MASK (MAP_SHARED | MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS | MAP_DENYWRITE | MAP_EXECUTABLE | \
			 MAP_UNINITIALIZED | MAP_GROWSDOWN | MAP_LOCKED | MAP_NORESERVE | MAP_POPULATE | \
			 MAP_NONBLOCK | MAP_STACK | MAP_HUGETLB)
#endif

#define MAP_FAILED ((void *)-1)

/* mremap */
#define MREMAP_MAYMOVE 1
#define MREMAP_FIXED 2
#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 7, 0)
/* Move the pages and leave the old range mapped, empty. */
#define MREMAP_DONTUNMAP 4
#endif

/* msync */
#define MS_ASYNC 1
#define MS_INVALIDATE 2
#define MS_SYNC 4

/* madvise */
#define MADV_NORMAL 0
#define MADV_RANDOM 1
#define MADV_SEQUENTIAL 2
#define MADV_WILLNEED 3
#define MADV_DONTNEED 4
#define MADV_REMOVE 9
#define MADV_DONTFORK 10
#define MADV_DOFORK 11

/* vm.overcommit_memory */
#define OVERCOMMIT_GUESS 0
#define OVERCOMMIT_ALWAYS 1
#define OVERCOMMIT_NEVER 2

/*
 * Moves the bit `bit1` of `x` to the position of `bit2`: `x & bit1` scaled by bit2 / bit1 (both
 * single bits), or divided when bit1 is the higher one.
 */
#define _calc_vm_trans(x, bit1, bit2) \
	((bit1) <= (bit2) ? ((x) & (bit1)) * ((bit2) / (bit1)) : ((x) & (bit1)) / ((bit1) / (bit2)))

/* PROT_READ/WRITE/EXEC as VM_READ/WRITE/EXEC (the same bit values on every era). */
static inline unsigned long calc_vm_prot_bits(unsigned long prot)
{
	return _calc_vm_trans(prot, PROT_READ, VM_READ) |
	       _calc_vm_trans(prot, PROT_WRITE, VM_WRITE) |
	       _calc_vm_trans(prot, PROT_EXEC, VM_EXEC);
}

/* The mmap flags that become VMA flags: MAP_GROWSDOWN and MAP_LOCKED. (Before 3.7 Linux also
 * turned MAP_DENYWRITE and MAP_EXECUTABLE into VM_DENYWRITE / VM_EXECUTABLE for the ELF loader;
 * sys_mmap strips both from user requests, and Faultline's loader does not pass them.) */
static inline unsigned long calc_vm_flag_bits(unsigned long flags)
{
	return _calc_vm_trans(flags, MAP_GROWSDOWN, VM_GROWSDOWN) |
	       _calc_vm_trans(flags, MAP_LOCKED, VM_LOCKED);
}

#endif /* _LINUX_MMAN_H */
