/* kernel/sys.c: identity and scheduling system calls (getpid, gettid, getppid, uid calls,
 * sched_yield, uname). Faultline runs everything as root (uid 0), as a debugging sandbox. */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/string.h>
#include <linux/version.h>
#include <linux/sched.h>
#include <linux/uaccess.h>

long sys_getpid(void)
{
	return current->tgid;
}

long sys_gettid(void)
{
	return current->pid;
}

long sys_getppid(void)
{
	return current->group_leader->real_parent->tgid;
}

long sys_getuid(void)
{
	return 0;
}

long sys_sched_yield(void)
{
	yield();
	return 0;
}

#define __NEW_UTS_LEN 64

struct new_utsname {
	char sysname[__NEW_UTS_LEN + 1];
	char nodename[__NEW_UTS_LEN + 1];
	char release[__NEW_UTS_LEN + 1];
	char version[__NEW_UTS_LEN + 1];
	char machine[__NEW_UTS_LEN + 1];
	char domainname[__NEW_UTS_LEN + 1];
};

static void set_field(char *field, const char *text)
{
	int i;

	for (i = 0; i < __NEW_UTS_LEN && text[i]; i++)
		field[i] = text[i];
	field[i] = 0;
}

static void format_release(char *field)
{
	char digits[12];
	unsigned int parts[3];
	int i;
	int at = 0;

	parts[0] = (LINUX_VERSION_CODE >> 16) & 0xff;
	parts[1] = (LINUX_VERSION_CODE >> 8) & 0xff;
	parts[2] = LINUX_VERSION_CODE & 0xff;
	for (i = 0; i < 3; i++) {
		unsigned int v = parts[i];
		int n = 0;

		do {
			digits[n++] = '0' + v % 10;
			v /= 10;
		} while (v);
		while (n)
			field[at++] = digits[--n];
		if (i < 2)
			field[at++] = '.';
	}
	set_field(field + at, "-faultline");
}

long sys_newuname(struct new_utsname __user *name)
{
	struct new_utsname u;

	memset(&u, 0, sizeof(u));
	set_field(u.sysname, "Linux");
	set_field(u.nodename, "faultline");
	format_release(u.release);
	set_field(u.version, "#1 SMP");
	set_field(u.machine, "x86_64");
	set_field(u.domainname, "(none)");
	if (copy_to_user(name, &u, sizeof(u)))
		return -EFAULT;
	return 0;
}
