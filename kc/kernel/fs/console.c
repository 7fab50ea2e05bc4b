/* fs/console.c: the system console, /dev/console (major 5, minor 1), whose bytes go to and come
 * from the host through the console builtins (<linux/faultline.h>, src/kernel/builtins/console.ts).
 * In Linux this is the tty layer (drivers/tty/tty_io.c and a console driver); Faultline keeps only
 * what a program sees of it: read, write, and the termios ioctls that make isatty() work.
 *
 * Each open file of the console carries the host stream it stands for in private_data: the first
 * process's fds 0, 1 and 2 are three opens (console_open_stdio), so stdout and stderr stay
 * separate on the host. Reads always come from the host's stdin; writes to the stdin file go to
 * stdout (a terminal is one device for both directions). TCGETS answers -ENOTTY unless the host
 * stream is a terminal, which is what glibc's isatty() tests.
 *
 *   int console_open_stdio(struct files_struct *files);   fds 0, 1, 2 of an empty table
 *   struct files_struct *console_stdio_files(void);       alloc_files() + console_open_stdio()
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/fs.h>
#include <linux/file.h>
#include <linux/fdtable.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/err.h>
#include <asm/page.h>
#include "internal.h"

#define TTYAUX_MAJOR 5
#define CONSOLE_MINOR 1

#define TCGETS 0x5401
#define TCSETS 0x5402
#define TCSETSW 0x5403
#define TCSETSF 0x5404
#define TIOCGWINSZ 0x5413
#define TIOCSWINSZ 0x5414

#define NCCS 19
typedef unsigned int tcflag_t;
typedef unsigned char cc_t;

/* The kernel's struct termios (what TCGETS copies out: 36 bytes). */
struct termios {
	tcflag_t c_iflag;
	tcflag_t c_oflag;
	tcflag_t c_cflag;
	tcflag_t c_lflag;
	cc_t c_line;
	cc_t c_cc[NCCS];
};

struct winsize {
	unsigned short ws_row;
	unsigned short ws_col;
	unsigned short ws_xpixel;
	unsigned short ws_ypixel;
};

/* tty_std_termios: ICRNL|IXON, OPOST|ONLCR, B38400|CS8|CREAD|HUPCL, ISIG|ICANON|ECHO|ECHOE|ECHOK|
 * ECHOCTL|ECHOKE|IEXTEN, and INIT_C_CC. */
static const struct termios console_termios = {
	.c_iflag = 0x500,
	.c_oflag = 0x5,
	.c_cflag = 0x4bf,
	.c_lflag = 0x8a3b,
	.c_line = 0,
	.c_cc = { 3, 28, 127, 21, 4, 0, 1, 0, 17, 19, 26, 0, 18, 15, 23, 22, 0, 0, 0 },
};

static long console_stream(const struct file *file)
{
	return (long)file->private_data;
}

static ssize_t console_read(struct file *file, char __user *buf, size_t count, loff_t *ppos)
{
	size_t len = count < PAGE_SIZE ? count : PAGE_SIZE;
	char *kbuf;
	long n;

	(void)file;
	(void)ppos;
	if (!count)
		return 0;
	kbuf = kmalloc(len, GFP_KERNEL);
	if (!kbuf)
		return -ENOMEM;
	n = __kc_host_read(0, kbuf, len);
	if (n > 0 && copy_to_user(buf, kbuf, n))
		n = -EFAULT;
	kfree(kbuf);
	return n;
}

static ssize_t console_write(struct file *file, const char __user *buf, size_t count, loff_t *ppos)
{
	int stream = console_stream(file) == 2 ? 2 : 1;
	size_t written = 0;
	char *kbuf;

	(void)ppos;
	kbuf = kmalloc(PAGE_SIZE, GFP_KERNEL);
	if (!kbuf)
		return -ENOMEM;
	while (written < count) {
		size_t chunk = count - written < PAGE_SIZE ? count - written : PAGE_SIZE;
		size_t left = copy_from_user(kbuf, buf + written, chunk);
		long n;

		if (left == chunk)
			break;
		n = __kc_host_write(stream, kbuf, chunk - left);
		if (n < 0) {
			kfree(kbuf);
			return written ? (ssize_t)written : n;
		}
		written += n;
		if (left)
			break;
	}
	kfree(kbuf);
	return written ? (ssize_t)written : -EFAULT;
}

static long console_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	int tty = __kc_host_isatty((int)console_stream(file));

	switch (cmd) {
	case TCGETS:
		if (!tty)
			return -ENOTTY;
		return copy_to_user((void __user *)arg, &console_termios, sizeof(console_termios)) ? -EFAULT : 0;
	case TCSETS:
	case TCSETSW:
	case TCSETSF:
		return tty ? 0 : -ENOTTY;
	case TIOCGWINSZ: {
		struct winsize ws = { .ws_row = 24, .ws_col = 80, .ws_xpixel = 0, .ws_ypixel = 0 };

		if (!tty)
			return -ENOTTY;
		return copy_to_user((void __user *)arg, &ws, sizeof(ws)) ? -EFAULT : 0;
	}
	case TIOCSWINSZ:
		return tty ? 0 : -ENOTTY;
	default:
		return -ENOIOCTLCMD;
	}
}

static int console_open(struct inode *inode, struct file *filp)
{
	nonseekable_open(inode, filp);
	filp->private_data = (void *)1L;
	return 0;
}

static const struct file_operations console_fops = {
	.llseek = no_llseek,
	.read = console_read,
	.write = console_write,
	.unlocked_ioctl = console_ioctl,
	.open = console_open,
};

static int console_registered;

/* Registers the console driver and its node /dev/console (once). */
int console_init(void)
{
	int err;

	if (console_registered)
		return 0;
	vfs_caches_init();
	err = register_chrdev(TTYAUX_MAJOR, "console", &console_fops);
	if (err < 0 && err != -EBUSY)
		return err;
	err = devtmpfs_create_node("console", TTYAUX_MAJOR, CONSOLE_MINOR);
	if (err && err != -EEXIST)
		return err;
	console_registered = 1;
	return 0;
}

int console_open_stdio(struct files_struct *files)
{
	long stream;
	int err = console_init();

	if (err)
		return err;
	for (stream = 0; stream < 3; stream++) {
		struct file *file = filp_open("/dev/console", O_RDWR, 0);
		int fd;

		if (IS_ERR(file))
			return PTR_ERR(file);
		file->private_data = (void *)stream;
		fd = __alloc_fd(files, 0, NR_OPEN_MAX, 0);
		if (fd < 0) {
			fput(file);
			return fd;
		}
		__fd_install(files, fd, file);
	}
	return 0;
}

struct files_struct *console_stdio_files(void)
{
	struct files_struct *files = alloc_files();

	if (!files)
		return NULL;
	if (console_open_stdio(files)) {
		put_files_struct(files);
		return NULL;
	}
	return files;
}
