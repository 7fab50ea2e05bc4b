// Tests of the KC C library's system-call wrappers and signal functions (kc/lib/syscalls.c,
// errno.c, signal.c) running as user code on the test-only fake machine (fakeMachine.ts): the
// errno convention (-1 and errno for -4095..-1, anything else passed through), errno in the
// thread area, which system call each wrapper makes with which arguments, glibc's brk/sbrk,
// ptrace PEEK and sysconf conventions, and sigaction's translation to the kernel's struct.

import * as assert from 'node:assert/strict';
import type { Value } from '../../../src/interp/contracts';
import { PID, runSource, type Outcome } from './fakeMachine';

/** The arguments of the calls named `name`, as numbers (64-bit values sign-extended). */
function callsOf(out: Outcome, name: string): number[][] {
	return out.syscalls.filter(s => s.name === name).map(s => s.args.map((v: Value) => (typeof v === 'bigint' ? Number(BigInt.asIntN(64, v)) : v)));
}

describe('KC libc system calls and signals (on the fake machine)', function () {
	this.timeout(30000);

	it('returns -1 and sets errno for -4095..-1, passes every other result through, leaves errno alone on success', () => {
		const out = runSource(`
			#include <errno.h>
			#include <stdio.h>
			#include <sys/mman.h>
			#include <sys/syscall.h>
			#include <unistd.h>
			int main(void)
			{
				errno = 0;
				int c = close(-1);
				int e1 = errno;
				off_t l = lseek(0, 0, SEEK_CUR);
				int e2 = errno;
				errno = 1234;
				ssize_t w = write(1, "hi\\n", 3);
				int e3 = errno;
				void *m = mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
				int e4 = errno;
				void *odd = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 100);
				long s = syscall(SYS_getpid);
				long bad = syscall(9999, 1, 2, 3);
				int e5 = errno;
				printf("%d %d %ld %d %ld %d %d %d %d %ld %ld %d\\n", c, e1 == EBADF, (long)l, e2 == ESPIPE, (long)w, e3,
					m == MAP_FAILED, e4 == EINVAL, odd == MAP_FAILED, s, bad, e5 == ENOSYS);
				return 0;
			}`);
		assert.equal(out.stdout, `hi\n-1 1 -1 1 3 1234 1 1 1 ${PID} -1 1\n`);
		// The misaligned offset never reached the kernel (glibc checks it first).
		assert.equal(callsOf(out, 'mmap').length, 1);
	});

	it('keeps errno at offset 0 of the thread area', () => {
		const out = runSource(`
			#include <errno.h>
			#include <stdio.h>
			void *__kc_thread_area(void);
			int main(void)
			{
				int *area = __kc_thread_area();
				errno = 77;
				printf("%d %d\\n", (void *)&errno == (void *)area, area[0]);
				return 0;
			}`);
		assert.equal(out.stdout, '1 77\n');
	});

	it('passes open/openat mode only with O_CREAT, mremap a new address only with MREMAP_FIXED, ioctl its argument', () => {
		const out = runSource(`
			#include <fcntl.h>
			#include <sys/ioctl.h>
			#include <sys/mman.h>
			#include <unistd.h>
			int main(void)
			{
				close(open("/a", O_RDWR | O_CREAT, 0640));
				close(open("/a", O_RDONLY, 0777));
				openat(AT_FDCWD, "/a", O_RDONLY);
				creat("/b", 0600);
				char *p = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
				mremap(p, 8192, 4096, 0, (void *)0x123000);
				ioctl(1, 0x5401, (void *)0x4242);
				return isatty(1);
			}`);
		const opens = callsOf(out, 'openat');
		assert.deepEqual(opens.map(a => [a[0], a[2], a[3]]), [[-100, 0o102, 0o640], [-100, 0, 0], [-100, 0, 0], [-100, 0o1101, 0o600]]);
		assert.deepEqual(callsOf(out, 'mremap').map(a => a.slice(1, 5)), [[8192, 4096, 0, 0]]);
		assert.deepEqual(callsOf(out, 'ioctl')[0].slice(0, 3), [1, 0x5401, 0x4242]);
		assert.equal(out.status, 0);
	});

	it('implements glibc brk/sbrk: sbrk(0) asks once, growth returns the old break, failures give ENOMEM', () => {
		const out = runSource(`
			#include <errno.h>
			#include <stdint.h>
			#include <stdio.h>
			#include <unistd.h>
			int main(void)
			{
				char *b0 = sbrk(0);
				char *again = sbrk(0);
				char *old = sbrk(8192);
				char *b1 = sbrk(0);
				b1[-1] = 'x';
				int low = brk((void *)4096);
				char *b2 = sbrk(0);
				int high = brk((void *)0x7f0000000000);
				int e1 = errno;
				errno = 0;
				void *wrap = sbrk(INTPTR_MIN);
				int e2 = errno;
				printf("%d %d %ld %d %d %d %d %d %d\\n", b0 == again, old == b0, (long)(b1 - b0), low, b2 == b1, high, e1 == ENOMEM,
					wrap == (void *)-1, e2 == ENOMEM);
				return 0;
			}`);
		assert.equal(out.stdout, '1 1 8192 0 1 -1 1 1 1\n');
		const brks = callsOf(out, 'brk').map(a => a[0]);
		// sbrk(0) twice made one query, then the growth and the two brk calls; the overflowing sbrk
		// made none (the last call is printf's buffer growing the heap).
		assert.equal(brks.length, 5);
		assert.deepEqual([brks[0], brks[1] - out.machine.brkStart, brks[2], brks[3]], [0, 8192, 4096, 0x7f0000000000]);
	});

	it('returns the word of a PTRACE_PEEKDATA, with errno 0 even when the word is -1', () => {
		const program = `
			#include <errno.h>
			#include <stdio.h>
			#include <sys/ptrace.h>
			int main(void)
			{
				errno = 5;
				long word = ptrace(PTRACE_PEEKDATA, 42, (void *)0x1000, NULL);
				int e1 = errno;
				long other = ptrace(PTRACE_CONT, 42, NULL, NULL);
				int e2 = errno;
				printf("%ld %d %ld %d\\n", word, e1, other, e2 == ESRCH);
				return 0;
			}`;
		assert.equal(runSource(program, { peekWord: 0x1234n }).stdout, '4660 0 -1 1\n');
		assert.equal(runSource(program, { peekWord: -1n }).stdout, '-1 0 -1 1\n');
	});

	it('answers sysconf from the page size, the affinity mask and glibc constants', () => {
		const out = runSource(`
			#include <errno.h>
			#include <stdio.h>
			#include <unistd.h>
			int main(void)
			{
				long bad = sysconf(-5);
				int e = errno;
				printf("%ld %ld %ld %ld %d %ld %d\\n", sysconf(_SC_PAGESIZE), sysconf(_SC_PAGE_SIZE), sysconf(_SC_NPROCESSORS_ONLN),
					sysconf(_SC_CLK_TCK), getpagesize(), bad, e == EINVAL);
				return 0;
			}`);
		// The fake's affinity mask has two CPUs.
		assert.equal(out.stdout, '4096 4096 2 100 4096 -1 1\n');
	});

	it('gives rt_sigaction the kernel struct (SA_RESTORER added, the first mask word) and translates the old action back', () => {
		const out = runSource(`
			#include <errno.h>
			#include <signal.h>
			#include <stdio.h>
			#include <string.h>
			static volatile int hits;
			static void on_usr1(int sig, siginfo_t *info, void *context) { (void)info; (void)context; hits += sig; }
			int main(void)
			{
				struct sigaction act, old;
				memset(&act, 0, sizeof act);
				act.sa_sigaction = on_usr1;
				act.sa_flags = SA_SIGINFO;
				sigemptyset(&act.sa_mask);
				sigaddset(&act.sa_mask, SIGUSR2);
				int r = sigaction(SIGUSR1, &act, NULL);
				raise(SIGUSR1);
				raise(SIGUSR1);
				sigaction(SIGUSR1, NULL, &old);
				int bad = sigaction(SIGKILL + 100, &act, NULL);
				int internal = sigaction(32, &act, NULL);
				int e = errno;
				printf("%d %d %d %d %d %d\\n", r, hits, old.sa_sigaction == on_usr1, bad, internal, e == EINVAL);
				signal(SIGUSR2, SIG_IGN);
				raise(SIGUSR2);
				printf("ignored\\n");
				return 0;
			}`);
		assert.equal(out.stdout, '0 20 1 -1 -1 1\nignored\n');
		const actions = callsOf(out, 'rt_sigaction');
		assert.deepEqual(actions[0].slice(0, 1), [10]);
		assert.equal(actions[0][3], 8);
		// The fake stored the handler; the kernel struct's flags carry SA_SIGINFO | SA_RESTORER.
		assert.ok(out.machine.handlers.get(10)! > 0);
		// The last rt_sigaction (signal(SIGUSR2, SIG_IGN)) asked for the old action too.
		assert.notEqual(actions.at(-1)![2], 0);
	});

	it('operates on glibc-sized signal sets, refusing the signals glibc keeps for itself (32, 33)', () => {
		const out = runSource(`
			#include <signal.h>
			#include <stdio.h>
			int main(void)
			{
				sigset_t a, b, c;
				sigemptyset(&a);
				sigfillset(&b);
				sigaddset(&a, SIGINT);
				sigaddset(&a, 64);
				int r32 = sigaddset(&a, 32);
				sigandset(&c, &a, &b);
				printf("%d %d %d %d %d %d %d %d\\n", sigismember(&a, SIGINT), sigismember(&a, 64), sigismember(&a, SIGTERM), r32,
					sigismember(&b, 32), sigismember(&b, 33), sigismember(&c, 64), sigisemptyset(&c));
				sigdelset(&a, SIGINT);
				sigdelset(&a, 64);
				printf("%d %d\\n", sigisemptyset(&a), sigprocmask(SIG_BLOCK, &a, &b));
				return 0;
			}`);
		assert.equal(out.stdout, '1 1 0 -1 0 0 1 0\n1 0\n');
	});

	it('ends the process with exit_group from _exit, keeping only the low 8 bits', () => {
		const out = runSource(`
			#include <unistd.h>
			int main(void) { _exit(256 + 9); }`);
		assert.equal(out.status, 9);
		assert.deepEqual(callsOf(out, 'exit_group'), [[265, 0, 0, 0, 0, 0]]);
	});
});
