/* <linux/faultline.h>: the builtins of the Faultline KC kernel, in one place.
 *
 * A builtin is a function the simulator implements in TypeScript (src/kernel/builtins/): what real
 * Linux does in assembly or hardware (page-table stores that the trace must see, TLB flushes,
 * string instructions), the lock primitives (so the lock validator sees every acquisition with its
 * KC source site), and the console. Kernel code never calls these directly: it uses the Linux names
 * (spin_lock, set_pte_at, printk, BUG_ON...) that the other headers define on top of them.
 *
 * Every lock and debug builtin takes the call site as its last three arguments (__KC_SITE), so
 * reports name the KC file, line and function that took the lock or hit the BUG. */
#ifndef _LINUX_FAULTLINE_H
#define _LINUX_FAULTLINE_H

/* The source site of the statement that expands this macro. */
#define __KC_SITE __FILE__, __LINE__, __func__

/* ---- Locks (src/kernel/builtins/locks.ts, over src/kernel/locks/lockSystem.ts) ----
 * A lock is identified by its address. `name` is the lockdep class (the stringified lock
 * expression, as spin_lock_init(&mm->page_table_lock) gives "&mm->page_table_lock"). A lock that
 * was initialised statically (DEFINE_SPINLOCK...) is registered on first use, named by its
 * dep_map.name. `subclass` is the lockdep nesting annotation (0 outside the *_nested calls).
 * A contended lock stops the calling CPU thread ("blocked"); the scheduler runs it again when
 * the lock is handed over (sleeping locks) or to spin again (spinlocks), and the call completes. */
void __kc_spin_lock_init(void *lock, const char *name, const char *file, int line, const char *func);
void __kc_spin_lock(void *lock, int subclass, const char *file, int line, const char *func);
int __kc_spin_trylock(void *lock, const char *file, int line, const char *func);
void __kc_spin_unlock(void *lock, const char *file, int line, const char *func);
int __kc_spin_is_locked(void *lock);

void __kc_mutex_init(void *lock, const char *name, const char *file, int line, const char *func);
void __kc_mutex_lock(void *lock, int subclass, const char *file, int line, const char *func);
/* 0, or -EINTR when a signal ended the wait (`killable`: only a fatal one). */
int __kc_mutex_lock_interruptible(void *lock, int killable, const char *file, int line, const char *func);
int __kc_mutex_trylock(void *lock, const char *file, int line, const char *func);
void __kc_mutex_unlock(void *lock, const char *file, int line, const char *func);
int __kc_mutex_is_locked(void *lock);

void __kc_init_rwsem(void *sem, const char *name, const char *file, int line, const char *func);
void __kc_down_read(void *sem, int subclass, const char *file, int line, const char *func);
void __kc_down_write(void *sem, int subclass, const char *file, int line, const char *func);
/* 0, or -EINTR when a fatal signal ended the wait. */
int __kc_down_read_killable(void *sem, const char *file, int line, const char *func);
int __kc_down_write_killable(void *sem, const char *file, int line, const char *func);
int __kc_down_read_trylock(void *sem, const char *file, int line, const char *func);
int __kc_down_write_trylock(void *sem, const char *file, int line, const char *func);
void __kc_up_read(void *sem, const char *file, int line, const char *func);
void __kc_up_write(void *sem, const char *file, int line, const char *func);
void __kc_downgrade_write(void *sem, const char *file, int line, const char *func);
int __kc_rwsem_is_locked(void *sem);

/* 1 when the calling task holds the lock (any kind; `shared`: as a reader), else 0. */
int __kc_lock_is_held(void *lock, int shared);
/* lockdep_assert_held: a warning in the kernel log and a lock report when the task does not hold it. */
void __kc_lockdep_assert_held(void *lock, const char *file, int line, const char *func);
/* might_sleep(): reports a sleeping call in atomic context (spinlock held, preemption disabled). */
void __kc_might_sleep(const char *file, int line, const char *func);
void __kc_preempt_disable(void);
void __kc_preempt_enable(void);
/* Lock objects inside freed memory: a held one is reported ("held lock freed!"), the others forgotten. */
void debug_check_no_locks_freed(const void *from, unsigned long len);

/* ---- Console and crashes (src/kernel/builtins/debug.ts) ---- */
int printk(const char *fmt, ...);
/* Prints the KC call stack of the calling task to the kernel log. */
void dump_stack(void);
/* BUG(): logs "kernel BUG at FILE:LINE!" and ends the task with a trap (an oops). Never returns. */
void __kc_bug(const char *file, int line, const char *func);
/* WARN(): logs a warning with the site and a backtrace; `fmt` (may be NULL) and its arguments
 * follow. `style` selects the era's banner: 0 "WARNING: at f:l fn()", 1 "WARNING: CPU: c PID: p at f:l fn". */
void __kc_warn(int style, const char *file, int line, const char *func, const char *fmt, ...);

/* ---- Page tables and the trace (src/kernel/builtins/pgtable.ts) ----
 * These store the entry (one 64-bit store, as the hardware sees it) and emit a trace event with the
 * mm, the virtual address the entry maps, the old and new values and the KC site. */
void __kc_set_pte(void *ptep, unsigned long pteval, void *mm, unsigned long addr, const char *file, int line, const char *func);
void __kc_pte_clear(void *ptep, void *mm, unsigned long addr, const char *file, int line, const char *func);
unsigned long __kc_ptep_get_and_clear(void *ptep, void *mm, unsigned long addr, const char *file, int line, const char *func);
/* Trace points of the page allocator (trace/events/kmem.h). */
void __kc_trace_page_alloc(unsigned long pfn, unsigned int order, unsigned int gfp_flags);
void __kc_trace_page_free(unsigned long pfn, unsigned int order);
/* TLB maintenance (asm/tlbflush.h): the machine drops the translations of the range on every CPU that
 * uses `mm` (NULL: the kernel's, on all CPUs). */
void __kc_flush_tlb_mm_range(void *mm, unsigned long start, unsigned long end);

/* ---- String instructions (src/kernel/builtins/string.ts): arch/x86/lib's rep movs/stos ---- */
void *memset(void *s, int c, unsigned long n);
void *memcpy(void *dst, const void *src, unsigned long n);
void *memmove(void *dst, const void *src, unsigned long n);
int memcmp(const void *a, const void *b, unsigned long n);
void clear_page(void *page);
void copy_page(void *to, void *from);

/* ---- The host console (src/kernel/builtins/console.ts) ----
 * The console character device's file operations move bytes between kernel memory and the host:
 * stream 0 is stdin, 1 stdout, 2 stderr. Writes return n; reads return 0 at end of input. */
long __kc_host_write(int stream, const void *kbuf, unsigned long n);
long __kc_host_read(int stream, void *kbuf, unsigned long n);
int __kc_host_isatty(int stream);

#endif /* _LINUX_FAULTLINE_H */
