/*
 * Ending a process, as glibc does it (user code): exit runs the atexit handlers newest first
 * (handlers registered meanwhile included), flushes every stdio stream and ends all threads with
 * exit_group; abort raises SIGABRT (unblocked first; if a handler returns, again with the default
 * action) without flushing anything, as glibc since 2.27; a failed assert prints glibc's message on
 * stderr and aborts.
 */
#include "internal.h"
#include <assert.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* atexit handlers: a static block of 32 (the number POSIX guarantees), then malloc'd blocks. */
#define EXIT_BLOCK 32

struct exit_block {
	struct exit_block *next;
	int count;
	void (*fns[EXIT_BLOCK])(void);
};

static struct exit_block initial_block;
static struct exit_block *exit_blocks = &initial_block;
static int exit_lock;

int atexit(void (*fn)(void))
{
	struct exit_block *b;

	__libc_lock(&exit_lock);
	b = exit_blocks;
	if (b->count == EXIT_BLOCK) {
		struct exit_block *more = calloc(1, sizeof(struct exit_block));
		if (more == NULL) {
			__libc_unlock(&exit_lock);
			return -1;
		}
		more->next = b;
		exit_blocks = more;
		b = more;
	}
	b->fns[b->count++] = fn;
	__libc_unlock(&exit_lock);
	return 0;
}

void exit(int status)
{
	for (;;) {
		struct exit_block *b;
		void (*fn)(void);

		__libc_lock(&exit_lock);
		b = exit_blocks;
		while (b != NULL && b->count == 0)
			b = b->next;
		if (b == NULL) {
			__libc_unlock(&exit_lock);
			break;
		}
		fn = b->fns[--b->count];
		__libc_unlock(&exit_lock);
		fn();
	}
	__stdio_flush_all();
	_exit(status);
}

void abort(void)
{
	sigset_t set;
	struct sigaction action;

	sigemptyset(&set);
	sigaddset(&set, SIGABRT);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	raise(SIGABRT);
	/* A handler returned: the default action this time. */
	memset(&action, 0, sizeof action);
	action.sa_handler = SIG_DFL;
	sigfillset(&action.sa_mask);
	sigaction(SIGABRT, &action, NULL);
	raise(SIGABRT);
	for (;;)
		_exit(127);
}

/* "prog: file:line: function: Assertion `expr' failed." (glibc's __assert_fail_base). */
void __assert_fail(const char *assertion, const char *file, unsigned int line, const char *function)
{
	fprintf(stderr, "%s%s%s:%u: %s%sAssertion `%s' failed.\n", __progname, __progname[0] != '\0' ? ": " : "", file, line,
		function != NULL ? function : "", function != NULL ? ": " : "", assertion);
	abort();
}
