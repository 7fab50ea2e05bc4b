// Checks <sys/ioctl.h> and <linux/ioctl.h>: the _IOC encoding, its decoders, and the generic ioctl numbers.
#define _GNU_SOURCE
#include <sys/ioctl.h>
#include <linux/ioctl.h>
#include "print.h"

struct sixteen {
	long a, b;
};

int main(void)
{
	CONST(_IOC_NRBITS);
	CONST(_IOC_TYPEBITS);
	CONST(_IOC_SIZEBITS);
	CONST(_IOC_DIRBITS);
	CONST(_IOC_NRMASK);
	CONST(_IOC_TYPEMASK);
	CONST(_IOC_SIZEMASK);
	CONST(_IOC_DIRMASK);
	CONST(_IOC_NRSHIFT);
	CONST(_IOC_TYPESHIFT);
	CONST(_IOC_SIZESHIFT);
	CONST(_IOC_DIRSHIFT);
	CONST(_IOC_NONE);
	CONST(_IOC_WRITE);
	CONST(_IOC_READ);
	CONST(IOC_IN);
	CONST(IOC_OUT);
	CONST(IOC_INOUT);
	CONST(IOCSIZE_MASK);
	CONST(IOCSIZE_SHIFT);
	CONST(TCGETS);
	CONST(TCSETS);
	CONST(TCSETSW);
	CONST(TCSETSF);
	CONST(TIOCEXCL);
	CONST(TIOCNXCL);
	CONST(TIOCSCTTY);
	CONST(TIOCGPGRP);
	CONST(TIOCSPGRP);
	CONST(TIOCOUTQ);
	CONST(TIOCGWINSZ);
	CONST(TIOCSWINSZ);
	CONST(FIONREAD);
	CONST(TIOCINQ);
	CONST(FIONBIO);
	CONST(TIOCNOTTY);
	CONST(TIOCGPTN);
	CONST(TIOCSPTLCK);
	CONST(FIONCLEX);
	CONST(FIOCLEX);
	CONST(FIOASYNC);
	CONST(FIOQSIZE);

	CONST(_IO('x', 1));
	CONST(_IOR('x', 2, int));
	CONST(_IOW('x', 3, struct winsize));
	CONST(_IOWR('x', 0xff, struct sixteen));
	CONST(_IOR_BAD('x', 4, char));
	CONST(_IOW_BAD('x', 5, short));
	CONST(_IOWR_BAD('x', 6, long));
	CONST(_IOC(_IOC_READ | _IOC_WRITE, 'T', 0x30, 0x3fff));
	CONST(_IOC_TYPECHECK(struct sixteen));
	CONST(_IOC_DIR(_IOWR('x', 0xff, struct sixteen)));
	CONST(_IOC_TYPE(_IOWR('x', 0xff, struct sixteen)));
	CONST(_IOC_NR(_IOWR('x', 0xff, struct sixteen)));
	CONST(_IOC_SIZE(_IOWR('x', 0xff, struct sixteen)));
	CONST(_IOC_DIR(TIOCGPTN));
	CONST(_IOC_TYPE(TIOCGPTN));
	CONST(_IOC_NR(TIOCGPTN));
	CONST(_IOC_SIZE(TIOCGPTN));
	CONST(_IOC_DIR(_IO('x', 1)));

	TYPE(struct winsize);
	INTMEMBER(struct winsize, ws_row);
	INTMEMBER(struct winsize, ws_col);
	INTMEMBER(struct winsize, ws_xpixel);
	INTMEMBER(struct winsize, ws_ypixel);
	return 0;
}
