/* <sys/ioctl.h> for Faultline user programs: ioctl() and the command encoders and generic
   terminal/file ioctl numbers that glibc's header makes visible on x86-64 Linux. */
#ifndef _SYS_IOCTL_H
#define _SYS_IOCTL_H 1

#include <asm/ioctl.h>

/* Terminal and file ioctls of the generic table ('T' commands are historical plain numbers). */
#define TCGETS 0x5401
#define TCSETS 0x5402
#define TCSETSW 0x5403
#define TCSETSF 0x5404
#define TIOCEXCL 0x540C
#define TIOCNXCL 0x540D
#define TIOCSCTTY 0x540E
#define TIOCGPGRP 0x540F
#define TIOCSPGRP 0x5410
#define TIOCOUTQ 0x5411
#define TIOCGWINSZ 0x5413
#define TIOCSWINSZ 0x5414
#define FIONREAD 0x541B
#define TIOCINQ FIONREAD
#define FIONBIO 0x5421
#define TIOCNOTTY 0x5422
#define TIOCGPTN _IOR('T', 0x30, unsigned int)
#define TIOCSPTLCK _IOW('T', 0x31, int)
#define FIONCLEX 0x5450
#define FIOCLEX 0x5451
#define FIOASYNC 0x5452
#define FIOQSIZE 0x5460

/* TIOCGWINSZ/TIOCSWINSZ argument. */
struct winsize {
	unsigned short ws_row;
	unsigned short ws_col;
	unsigned short ws_xpixel;
	unsigned short ws_ypixel;
};

int ioctl(int __fd, unsigned long __request, ...);

#endif
