// Checks <linux/types.h> and <asm/types.h>: the __u8..__s64, byte-order, checksum, poll and __kernel_* types and __aligned_u64.
#define _GNU_SOURCE
#include <linux/types.h>
#include <asm/types.h>
#include <linux/posix_types.h>
#include "print.h"

struct aligned {
	char c;
	__aligned_u64 u;
	char d;
	__aligned_s64 s;
	char e;
	__aligned_be64 be;
	char f;
	__aligned_le64 le;
};

int main(void)
{
	CONST(__FD_SETSIZE);

	SCALAR(__u8);
	SCALAR(__s8);
	SCALAR(__u16);
	SCALAR(__s16);
	SCALAR(__u32);
	SCALAR(__s32);
	SCALAR(__u64);
	SCALAR(__s64);
	SCALAR(__le16);
	SCALAR(__be16);
	SCALAR(__le32);
	SCALAR(__be32);
	SCALAR(__le64);
	SCALAR(__be64);
	SCALAR(__sum16);
	SCALAR(__wsum);
	SCALAR(__poll_t);
	TYPE(struct aligned);
	MEMBER(struct aligned, u);
	MEMBER(struct aligned, s);
	MEMBER(struct aligned, be);
	MEMBER(struct aligned, le);

	SCALAR(__kernel_long_t);
	SCALAR(__kernel_ulong_t);
	SCALAR(__kernel_ino_t);
	SCALAR(__kernel_mode_t);
	SCALAR(__kernel_pid_t);
	SCALAR(__kernel_ipc_pid_t);
	SCALAR(__kernel_uid_t);
	SCALAR(__kernel_gid_t);
	SCALAR(__kernel_suseconds_t);
	SCALAR(__kernel_daddr_t);
	SCALAR(__kernel_uid32_t);
	SCALAR(__kernel_gid32_t);
	SCALAR(__kernel_old_uid_t);
	SCALAR(__kernel_old_gid_t);
	SCALAR(__kernel_old_dev_t);
	SCALAR(__kernel_size_t);
	SCALAR(__kernel_ssize_t);
	SCALAR(__kernel_ptrdiff_t);
	SCALAR(__kernel_off_t);
	SCALAR(__kernel_loff_t);
	SCALAR(__kernel_old_time_t);
	SCALAR(__kernel_time_t);
	SCALAR(__kernel_time64_t);
	SCALAR(__kernel_clock_t);
	SCALAR(__kernel_timer_t);
	SCALAR(__kernel_clockid_t);
	SCALAR(__kernel_uid16_t);
	SCALAR(__kernel_gid16_t);
	SCALAR(__kernel_key_t);
	SCALAR(__kernel_mqd_t);
	TYPE(__kernel_caddr_t);
	TYPE(__kernel_sighandler_t);
	TYPE(__kernel_fsid_t);
	MEMBER(__kernel_fsid_t, val);
	TYPE(__kernel_fd_set);
	MEMBER(__kernel_fd_set, fds_bits);
	return 0;
}
