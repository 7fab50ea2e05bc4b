/* siginfo_t with glibc's x86-64 layout: 128 bytes; signo, errno, code, then (after 4 bytes of
   padding) a union whose member depends on the signal. Not a standard header. */
#ifndef __siginfo_t_defined
#define __siginfo_t_defined 1

#include <bits/faultline-types.h>
#include <bits/types/__sigval_t.h>

typedef struct {
	int si_signo;
	int si_errno;
	int si_code;
	int __pad0;
	union {
		/* 128 bytes in all: 16 of header, 112 of union. */
		int _pad[28];

		/* kill(), tkill(), sigqueue() sender. */
		struct {
			__pid_t si_pid;
			__uid_t si_uid;
		} _kill;

		/* POSIX timers. */
		struct {
			int si_tid;
			int si_overrun;
			__sigval_t si_sigval;
		} _timer;

		/* Real-time signals. */
		struct {
			__pid_t si_pid;
			__uid_t si_uid;
			__sigval_t si_sigval;
		} _rt;

		/* SIGCHLD. */
		struct {
			__pid_t si_pid;
			__uid_t si_uid;
			int si_status;
			__clock_t si_utime;
			__clock_t si_stime;
		} _sigchld;

		/* SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP: the faulting address. */
		struct {
			void *si_addr;
			short si_addr_lsb;
			union {
				struct {
					void *_lower;
					void *_upper;
				} _addr_bnd;
				__uint32_t _pkey;
			} _bounds;
		} _sigfault;

		/* SIGPOLL. */
		struct {
			long si_band;
			int si_fd;
		} _sigpoll;

		/* SIGSYS from seccomp. */
		struct {
			void *_call_addr;
			int _syscall;
			unsigned int _arch;
		} _sigsys;
	} _sifields;
} siginfo_t;

#define si_pid _sifields._kill.si_pid
#define si_uid _sifields._kill.si_uid
#define si_timerid _sifields._timer.si_tid
#define si_overrun _sifields._timer.si_overrun
#define si_status _sifields._sigchld.si_status
#define si_utime _sifields._sigchld.si_utime
#define si_stime _sifields._sigchld.si_stime
#define si_value _sifields._rt.si_sigval
#define si_int _sifields._rt.si_sigval.sival_int
#define si_ptr _sifields._rt.si_sigval.sival_ptr
#define si_addr _sifields._sigfault.si_addr
#define si_addr_lsb _sifields._sigfault.si_addr_lsb
#define si_lower _sifields._sigfault._bounds._addr_bnd._lower
#define si_upper _sifields._sigfault._bounds._addr_bnd._upper
#define si_pkey _sifields._sigfault._bounds._pkey
#define si_band _sifields._sigpoll.si_band
#define si_fd _sifields._sigpoll.si_fd
#define si_call_addr _sifields._sigsys._call_addr
#define si_syscall _sifields._sigsys._syscall
#define si_arch _sifields._sigsys._arch

#endif
