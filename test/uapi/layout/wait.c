// Checks <sys/wait.h>: the option bits, idtype_t, and every W* status macro on exited, killed, dumped, stopped and continued statuses.
#define _GNU_SOURCE
#include <sys/wait.h>
#include "print.h"

static const int statuses[] = { 0x0000, 0x0100, 0x2a00, 0xff00, 0x0009, 0x000b, 0x008b, 0x0086, 0x137f, 0x057f, 0x0b7f, 0xffff, 0x007e };

int main(void)
{
	CONST(WNOHANG);
	CONST(WUNTRACED);
	CONST(WSTOPPED);
	CONST(WEXITED);
	CONST(WCONTINUED);
	CONST(WNOWAIT);
	CONST(__WNOTHREAD);
	CONST(__WALL);
	CONST(__WCLONE);
	CONST(WCOREFLAG);
	CONST(__WCOREFLAG);
	CONST(__W_CONTINUED);
	CONST(WAIT_ANY);
	CONST(WAIT_MYPGRP);

	CONST(P_ALL);
	CONST(P_PID);
	CONST(P_PGID);
	CONST(P_PIDFD);
	TYPE(idtype_t);
	SCALAR(pid_t);
	SCALAR(id_t);

	CONST(W_EXITCODE(3, 0));
	CONST(W_EXITCODE(0, 9));
	CONST(W_STOPCODE(19));
	for (int i = 0; i < (int)(sizeof(statuses) / sizeof(statuses[0])); i++) {
		int s = statuses[i];
		printf("status 0x%04x: exited %d code %d signaled %d termsig %d core %d stopped %d stopsig %d continued %d\n", s,
			WIFEXITED(s), WEXITSTATUS(s), WIFSIGNALED(s), WTERMSIG(s), WCOREDUMP(s) != 0, WIFSTOPPED(s), WSTOPSIG(s),
			WIFCONTINUED(s));
	}
	return 0;
}
