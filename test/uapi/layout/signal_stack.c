// Checks <signal.h> without _GNU_SOURCE: the fixed signal stack sizes MINSIGSTKSZ and SIGSTKSZ.
#include <signal.h>
#include "print.h"

int main(void)
{
	CONST(MINSIGSTKSZ);
	CONST(SIGSTKSZ);
	return 0;
}
