// Tests of the KC C library's stdio (kc/lib/stdio.c, exit.c) running as user code on the test-only
// fake machine (fakeMachine.ts), checked write(2) call by write(2) call: full buffering on a pipe
// (one write at exit or fflush, 4096-byte buffers, whole blocks written directly), line buffering on
// a terminal (1024-byte buffer from st_blksize; bytes after the last newline wait), unbuffered
// stderr, setvbuf, reading (fgets, getc, ungetc, fread, sticky EOF, stdout flushed before reading a
// terminal), files through fopen/fseek/ftell, and exit/_exit/abort/assert with buffered output.

import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { runSource, type Outcome, type WriteCall } from './fakeMachine';

/** One printf conversion with an argument of its type, as C source. */
const conversionArbitrary: fc.Arbitrary<{ spec: string; args: string[] }> = fc
	.record({
		flags: fc.subarray(['-', '+', ' ', '#', '0']),
		width: fc.oneof(fc.constant(''), fc.constant('*'), fc.integer({ min: 1, max: 12 }).map(String)),
		precision: fc.oneof(fc.constant(''), fc.constant('.*'), fc.integer({ min: 0, max: 6 }).map(n => `.${n}`)),
		kind: fc.constantFrom('d', 'ld', 'hhd', 'u', 'lx', 'X', 'o', 'c', 's', 'f', 'e', 'g', 'p', '%', 'zu'),
		value: fc.integer({ min: -100000, max: 100000 }),
	})
	.map(({ flags, width, precision, kind, value }) => {
		const args: string[] = [];
		if (kind === '%') return { spec: '%%', args };
		const text = kind === 'c' || kind === 'p' ? '' : precision;
		if (width === '*' && kind !== 'p') args.push(String((Math.abs(value) % 9) - 2));
		// The precision's argument only when the spec keeps the precision (not for %c and %p).
		if (text === '.*') args.push(String(Math.abs(value) % 5));
		const values: Record<string, string> = {
			d: String(value), ld: `${value}L * 100000L`, hhd: String(value), u: `${value}U`, lx: `(unsigned long)${value}L`, X: `${value}U`,
			o: `${value}U`, c: `'a' + ${Math.abs(value) % 26}`, s: `"s\\n${value}"`, f: `${value} / 7.0`, e: `${value} * 1e10`, g: `${value} / 3.0`,
			p: `(void *)${Math.abs(value)}L`, zu: `(size_t)${Math.abs(value)}`,
		};
		args.push(values[kind]);
		return { spec: `%${flags.join('')}${kind === 'p' ? '' : width}${text}${kind}`, args };
	});

/** A format of literal text (with newlines) and conversions, and its arguments. */
const formatArbitrary = fc
	.array(fc.oneof(fc.constantFrom('ab', '\\n', 'x\\ny', ' | '), conversionArbitrary), { minLength: 1, maxLength: 6 })
	.map(parts => ({
		format: parts.map(p => (typeof p === 'string' ? p : p.spec)).join(''),
		args: parts.flatMap(p => (typeof p === 'string' ? [] : p.args)),
	}));

const w = (fd: number, text: string): WriteCall => ({ fd, text });

/** The writes of a run, ignoring none: each is one write(2) call. */
function writes(out: Outcome): WriteCall[] {
	return [...out.writes];
}

describe('KC libc stdio (on the fake machine)', function () {
	this.timeout(30000);

	it('buffers stdout fully on a pipe: nothing is written before exit, then everything at once', () => {
		const out = runSource(`
			#include <stdio.h>
			int main(void)
			{
				printf("one %d\\n", 1);
				puts("two");
				fputs("three\\n", stdout);
				putchar('4');
				fwrite("\\n", 1, 1, stdout);
				return 0;
			}`);
		assert.deepEqual(writes(out), [w(1, 'one 1\ntwo\nthree\n4\n')]);
		assert.equal(out.syscalls.at(-1)?.name, 'exit_group');
	});

	it('writes stdout at fflush, in order with unbuffered stderr (each stderr call one write)', () => {
		const out = runSource(`
			#include <stdio.h>
			int main(void)
			{
				printf("A\\n");
				fprintf(stderr, "B %d %s\\n", 2, "x");
				fputc('c', stderr);
				fputc('d', stderr);
				fflush(stdout);
				printf("E\\n");
				return 0;
			}`);
		assert.deepEqual(writes(out), [w(2, 'B 2 x\n'), w(2, 'c'), w(2, 'd'), w(1, 'A\n'), w(1, 'E\n')]);
	});

	it('line-buffers stdout on a terminal: each newline writes, what follows the last one waits', () => {
		const out = runSource(`
			#include <stdio.h>
			int main(void)
			{
				printf("a\\nb");
				fprintf(stderr, "x");
				printf("c\\n");
				printf("no newline");
				return 0;
			}`, { terminals: [1, 2] });
		assert.deepEqual(writes(out), [w(1, 'a\n'), w(2, 'x'), w(1, 'bc\n'), w(1, 'no newline')]);
	});

	it('still finds the terminal with TCGETS when the kernel has no fstat', () => {
		const out = runSource(`
			#include <stdio.h>
			int main(void) { printf("1\\n"); printf("2\\n"); return 0; }`, { terminals: [1], noFstat: true });
		assert.deepEqual(writes(out), [w(1, '1\n'), w(1, '2\n')]);
	});

	it('sizes buffers by st_blksize (4096 on a pipe, 1024 on a terminal) and writes a large first output in whole blocks', () => {
		const program = `
			#include <stdio.h>
			#include <string.h>
			static char text[10001];
			int main(void)
			{
				memset(text, 'y', 10000);
				printf("%s", text);
				return 0;
			}`;
		// Before the first output the stream has no free space: whole buffers go straight out (as
		// glibc 2.36 does: write(1, ..., 8192) then 1808 at exit).
		const pipe = runSource(program);
		assert.deepEqual(pipe.writes.map(x => x.text.length), [8192, 1808]);
		// Longer than printf's 8 KiB stack buffer: formatted in a scratch mapping, not the heap.
		assert.deepEqual(pipe.syscalls.filter(s => s.name === 'mmap').map(s => Number(s.args[1])), [12288]);
		assert.equal(pipe.syscalls.filter(s => s.name === 'munmap').length, 1);
		const terminal = runSource(program, { terminals: [1] });
		assert.deepEqual(terminal.writes.map(x => x.text.length), [1024 * 9, 784]);
		// Once output has set up the buffer, its free space is filled first.
		const later = runSource(program.replace('printf("%s", text);', 'printf("x"); printf("%s", text);'));
		assert.deepEqual(later.writes.map(x => x.text.length), [4096, 4096, 1809]);
	});

	it('puts printf output piece by piece as glibc 2.36 (literal runs, each conversion), so writes fall where gcc-built programs\' do', () => {
		const program = `
			#include <stdio.h>
			#include <string.h>
			static char text[10001];
			int main(void)
			{
				printf("%d\\n%d\\n", 1, 2);
				printf("a\\nb\\n");
				printf("%s|%5d|%-3s|\\n", "x\\ny", -42, "z");
				memset(text, 'y', 10000);
				printf("abc%s", text);
				return 0;
			}`;
		const y = (n: number): string => 'y'.repeat(n);
		// strace of the gcc-built program on a terminal (script(1)) and on a pipe.
		const terminal = runSource(program, { terminals: [1] });
		assert.deepEqual(writes(terminal), [w(1, '1\n'), w(1, '2\n'), w(1, 'a\n'), w(1, 'b\n'), w(1, 'x\n'), w(1, 'y|  -42|z  |\n'), w(1, 'abc' + y(1021)), w(1, y(8192)), w(1, y(787))]);
		const pipe = runSource(program);
		assert.deepEqual(pipe.writes.map(x => x.text.length), [4096, 4096, 1834]);
		assert.equal(pipe.stdout, '1\n2\na\nb\nx\ny|  -42|z  |\nabc' + y(10000));
	});

	it('formats piece by piece exactly the text vsnprintf formats whole (random formats; stdout pieces vs unbuffered stderr)', () => {
		fc.assert(
			fc.property(fc.array(formatArbitrary, { minLength: 1, maxLength: 25 }), calls => {
				const lines = calls.map(c => {
					const args = c.args.length > 0 ? `, ${c.args.join(', ')}` : '';
					return `n1 = printf("${c.format}"${args}); n2 = fprintf(stderr, "${c.format}"${args}); if (n1 != n2) bad++;`;
				});
				const out = runSource(`
					#include <stdio.h>
					#include <stddef.h>
					int main(void)
					{
						int n1, n2, bad = 0;
						${lines.join('\n')}
						return bad;
					}`, { terminals: [1] });
				assert.equal(out.status, 0, 'printf and fprintf(stderr) returned different counts');
				assert.equal(out.stdout, out.stderr);
			}),
			{ numRuns: 6 },
		);
	});

	it('follows setvbuf as glibc: unbuffered, line buffered keeping the one-byte buffer, a user buffer', () => {
		const out = runSource(`
			#include <stdio.h>
			static char mine[8];
			int main(void)
			{
				setvbuf(stdout, NULL, _IONBF, 0);
				printf("ab");
				printf("cd");
				setvbuf(stdout, NULL, _IOLBF, 0);
				printf("e\\nf");
				setvbuf(stdout, mine, _IOFBF, sizeof mine);
				printf("0123456789abcdef!");
				return 0;
			}`);
		// The write calls strace shows for the same program built with gcc (glibc 2.36).
		assert.deepEqual(writes(out), [w(1, 'ab'), w(1, 'cd'), w(1, 'e'), w(1, '\nf'), w(1, '0123456789abcdef!')]);
	});

	it('flushes at exit after the atexit handlers (newest first), but not at _exit or abort', () => {
		const atexit = runSource(`
			#include <stdio.h>
			#include <stdlib.h>
			static void first(void) { printf("first handler\\n"); }
			static void second(void) { printf("second handler\\n"); }
			int main(void)
			{
				atexit(first);
				atexit(second);
				printf("main\\n");
				exit(7);
			}`);
		assert.equal(atexit.status, 7);
		assert.deepEqual(writes(atexit), [w(1, 'main\nsecond handler\nfirst handler\n')]);

		const quick = runSource(`
			#include <stdio.h>
			#include <unistd.h>
			int main(void) { printf("lost"); _exit(3); }`);
		assert.equal(quick.status, 3);
		assert.deepEqual(writes(quick), []);

		const aborted = runSource(`
			#include <stdio.h>
			#include <stdlib.h>
			int main(void) { printf("lost too"); abort(); }`);
		assert.equal(aborted.status, 134);
		assert.deepEqual(writes(aborted), []);
	});

	it('prints a failed assertion as glibc does, with the program name from argv[0], and aborts', () => {
		const out = runSource(`
			#include <assert.h>
			#include <stdio.h>
			int check(int x) { assert(x > 1); return x; }
			int main(void) { printf("buffered\\n"); return check(0); }`, { argv: ['/usr/bin/tool'] });
		assert.equal(out.status, 134);
		assert.deepEqual(writes(out), [w(2, "tool: /test/prog.c:4: check: Assertion `x > 1' failed.\n")]);
	});

	it('reads stdin through a buffer: fgets, getchar, ungetc, fread, then a sticky end of file', () => {
		const out = runSource(`
			#include <stdio.h>
			int main(void)
			{
				char line[16];
				char rest[64];
				fgets(line, sizeof line, stdin);
				printf("[%s]", line);
				fgets(line, 4, stdin);
				printf("[%s]", line);
				int c = getchar();
				ungetc(c, stdin);
				ungetc('Z', stdin);
				size_t n = fread(rest, 1, sizeof rest - 1, stdin);
				rest[n] = 0;
				printf("[%c][%s][%d %d]", c, rest, feof(stdin), getchar() == EOF);
				printf("[%d]\\n", getchar() == EOF && feof(stdin));
				return 0;
			}`, { stdin: 'first line\nsecond\nlast' });
		assert.equal(out.stdout, '[first line\n][sec][o][Zond\nlast][1 1][1]\n');
		// One read filled the buffer, one more saw the end; the sticky EOF needs no further read.
		assert.equal(out.syscalls.filter(s => s.name === 'read').length, 2);
	});

	it('shows a prompt on a terminal before reading the answer, one line per read', () => {
		const out = runSource(`
			#include <stdio.h>
			int main(void)
			{
				char answer[32];
				printf("name? ");
				fgets(answer, sizeof answer, stdin);
				printf("hello %s", answer);
				printf("again? ");
				fgets(answer, sizeof answer, stdin);
				return 0;
			}`, { terminals: [0, 1], stdin: 'ada\nbob\n' });
		const order = out.syscalls.filter(s => s.name === 'read' || s.name === 'write').map(s => s.name);
		assert.deepEqual(order, ['write', 'read', 'write', 'write', 'read']);
		assert.deepEqual(writes(out), [w(1, 'name? '), w(1, 'hello ada\n'), w(1, 'again? ')]);
	});

	it('reports errors: printf on a read-only stream, fgets on an output stream, perror', () => {
		const out = runSource(`
			#include <errno.h>
			#include <stdio.h>
			int main(void)
			{
				char buf[8];
				int r = fprintf(stdin, "x");
				int e = errno;
				char *g = fgets(buf, sizeof buf, stdout);
				printf("%d %d %d %d %d\\n", r, e == EBADF, g == NULL, ferror(stdin), ferror(stdout));
				clearerr(stdout);
				errno = ENOENT;
				perror("open");
				perror(NULL);
				return 0;
			}`);
		// Reading an output stream sets its error flag too (glibc's underflow).
		assert.equal(out.stdout, '-1 1 1 1 1\n');
		assert.deepEqual(out.writes.filter(x => x.fd === 2), [w(2, 'open: No such file or directory\n'), w(2, 'No such file or directory\n')]);
	});

	it('writes and reads files through fopen: buffering, fseek/ftell, append, getline, fdopen, fclose', () => {
		const out = runSource(`
			#include <stdio.h>
			#include <stdlib.h>
			#include <string.h>
			#include <fcntl.h>
			#include <unistd.h>
			int main(void)
			{
				FILE *f = fopen("/data", "w+");
				fprintf(f, "alpha %d\\n", 1);
				fputs("beta\\n", f);
				long at = ftell(f);
				rewind(f);
				char *line = NULL;
				size_t cap = 0;
				ssize_t n = getline(&line, &cap, f);
				printf("%ld %ld [%s]", at, (long)n, line);
				fseek(f, -5, SEEK_END);
				printf("[%c]", fgetc(f));
				fclose(f);
				FILE *a = fopen("/data", "a");
				fputs("gamma\\n", a);
				fclose(a);
				int fd = open("/data", O_RDONLY);
				FILE *r = fdopen(fd, "r");
				char all[64];
				size_t got = fread(all, 1, sizeof all - 1, r);
				all[got] = 0;
				printf("[%s]", all);
				printf("%d %d\\n", fclose(r), fopen("/missing", "r") == NULL);
				free(line);
				return 0;
			}`);
		assert.equal(out.stdout, '13 8 [alpha 1\n][b][alpha 1\nbeta\ngamma\n]0 1\n');
		const fileWrites = out.writes.filter(x => x.fd >= 3).map(x => x.text);
		// The first stream wrote once, when rewind flushed it; the append stream once, at fclose.
		assert.deepEqual(fileWrites, ['alpha 1\nbeta\n', 'gamma\n']);
		assert.equal(new TextDecoder().decode(out.machine.files.get('/data')), 'alpha 1\nbeta\ngamma\n');
	});

	it('returns what glibc returns from puts, putchar, fputs, fwrite, printf, dprintf and asprintf', () => {
		const out = runSource(`
			#include <stdio.h>
			#include <stdlib.h>
			int main(void)
			{
				char *s;
				int a = asprintf(&s, "%s-%d", "joined", 42);
				int d = dprintf(2, "to stderr %d\\n", a);
				int p = puts("xyz");
				int c = putchar('Q');
				int f = fputs("f", stdout);
				size_t n = fwrite("abcdef", 2, 3, stdout);
				int pr = printf("%s\\n", s);
				printf("%d %d %d %d %zu %d %d\\n", a, p, c, f, n, pr, d);
				free(s);
				return 0;
			}`);
		// What the same program prints when built with gcc.
		assert.equal(out.stdout, 'xyz\nQfabcdefjoined-42\n9 4 81 1 3 10 12\n');
		assert.deepEqual(out.writes.filter(x => x.fd === 2), [w(2, 'to stderr 9\n')]);
	});
});
